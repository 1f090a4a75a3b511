//! Patterns that read like shell globs (`g2*`, `*large`): `=~` takes a regular expression, so
//! a `*` after a literal character repeats it instead of meaning "anything". The CQL checker warns
//! about them (or suggests the fix when the pattern does not compile).

/// A pattern that reads like a shell glob (`g2*`, `*large`): where it is and what was meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobLook {
    /// The pattern the user probably meant (`g2.*`).
    pub suggestion: String,
    /// Values the pattern does match, for the explanation (`g`, `g2`, `g22`), when it compiles.
    pub examples: Vec<String>,
    /// A value the glob would match but the regex does not (`g2.2xlarge`-like), when one is known.
    pub missed: Option<String>,
}

/// Detects a `*` that follows a literal character or starts the pattern: in a glob it means
/// "anything", in a regex it repeats the previous character.
pub fn glob_look(source: &str) -> Option<GlobLook> {
    let pieces = pieces(source);
    let mut suggestion = String::new();
    let mut first_star = None;
    let mut last_end = 0;
    for (index, (offset, piece)) in pieces.iter().enumerate() {
        let previous = index.checked_sub(1).and_then(|i| pieces.get(i)).map(|(_, p)| p);
        let glob_star = matches!(piece, Piece::Char('*')) && is_literal_or_start(previous);
        suggestion.push_str(source.get(last_end..*offset).unwrap_or(""));
        last_end = *offset;
        if glob_star {
            first_star.get_or_insert(*offset);
            suggestion.push_str(".*");
            last_end = offset + 1;
        }
    }
    suggestion.push_str(source.get(last_end..).unwrap_or(""));
    let star = first_star?;
    Some(GlobLook {
        examples: star_examples(source, star),
        missed: missed_example(source, star),
        suggestion,
    })
}

fn is_literal_or_start(previous: Option<&Piece>) -> bool {
    match previous {
        None => true,
        Some(Piece::Char(c)) => c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '/'),
        Some(_) => false,
    }
}

/// For `g2*`: `g`, `g2`, `g22` (the starred character zero, one and two times).
fn star_examples(source: &str, star: usize) -> Vec<String> {
    let before = source.get(..star).unwrap_or("");
    let Some(repeated) = before.chars().last() else {
        return Vec::new();
    };
    let stem = before.get(..before.len() - repeated.len_utf8()).unwrap_or("");
    if source.get(star + 1..).is_some_and(|rest| !rest.is_empty()) || !stem.chars().all(char::is_alphanumeric) {
        return Vec::new();
    }
    (0..3)
        .map(|n| format!("{stem}{}", repeated.to_string().repeat(n)))
        .collect()
}

/// For `g2*`: `g2.2xlarge` is the instance type the glob was meant to catch.
fn missed_example(source: &str, star: usize) -> Option<String> {
    let stem = source.get(..star)?;
    let family = ["g2", "p2", "p3", "g3", "g4dn", "t2", "t3", "m5", "c5", "r5"];
    let example = |f: &str| match f {
        "g2" => "g2.2xlarge".to_string(),
        "p2" => "p2.xlarge".to_string(),
        other => format!("{other}.large"),
    };
    if let Some(f) = family.iter().find(|f| **f == stem) {
        return Some(example(f));
    }
    (source.get(star + 1..) == Some("") && !stem.is_empty()).then(|| format!("{stem}.anything"))
}

/// One lexical piece of a pattern, enough to tell a glob's `*` from a quantifier.
#[derive(Debug, PartialEq)]
enum Piece {
    /// `\x`, an escape.
    Escape,
    /// A character class `[...]`.
    Class,
    /// Any other character.
    Char(char),
}

/// Splits a pattern into escapes, classes and plain characters, with byte offsets.
fn pieces(source: &str) -> Vec<(usize, Piece)> {
    let mut out = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
                out.push((i, Piece::Escape));
            }
            '[' => {
                skip_class(&mut chars);
                out.push((i, Piece::Class));
            }
            _ => out.push((i, Piece::Char(c))),
        }
    }
    out
}

fn skip_class(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) {
    let mut depth = 1;
    let mut first = true;
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            ']' if !first => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            '[' => depth += 1,
            '^' if first => continue,
            _ => {}
        }
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_detection() {
        let g = glob_look("g2*").unwrap();
        assert_eq!(g.suggestion, "g2.*");
        assert_eq!(g.examples, vec!["g", "g2", "g22"]);
        assert_eq!(g.missed.as_deref(), Some("g2.2xlarge"));
        assert_eq!(glob_look("*large").unwrap().suggestion, ".*large");
        assert_eq!(glob_look("t2.*"), None);
        assert_eq!(glob_look("(g2|p2).*"), None);
        assert_eq!(glob_look("[gp]2*").map(|g| g.suggestion).as_deref(), Some("[gp]2.*"));
    }
}
