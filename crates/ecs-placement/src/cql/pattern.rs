//! Regular expressions for `=~` / `!~` (decision D4).
//!
//! AWS documents Java `java.util.regex.Pattern`; the pattern must match the whole value (Java's
//! `String.matches`). The engine here is `regex-lite`: Java constructs it cannot run
//! (backreferences, look-around, atomic groups, possessive quantifiers) are rejected with an
//! error that names the construct, and Java's `\Q...\E` quoting is translated.

use regex_lite::Regex;
use std::fmt;

/// A compiled whole-value pattern.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: Regex,
}

impl Pattern {
    /// Compiles `source` as a whole-value match, or says why it cannot be used.
    pub fn compile(source: &str) -> Result<Pattern, String> {
        if let Some(construct) = unsupported_construct(source) {
            return Err(format!(
                "{construct} is a Java regex feature the playground cannot run; rewrite the pattern without it"
            ));
        }
        let translated = translate_quoting(source)?;
        let regex = Regex::new(&format!("^(?:{translated})$")).map_err(|e| describe_regex_error(&e.to_string()))?;
        Ok(Pattern {
            source: source.to_string(),
            regex,
        })
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when the pattern matches the whole of `value`.
    pub fn is_match(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

fn describe_regex_error(message: &str) -> String {
    let first = message.lines().find(|l| !l.trim().is_empty()).unwrap_or(message);
    format!("invalid regular expression: {}", first.trim())
}

/// One lexical piece of a pattern, enough to find Java-only constructs.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    /// `\x` (the escaped text, backslash included).
    Escape(&'a str),
    /// A character class `[...]`.
    Class,
    /// Any other character.
    Char(char),
}

/// Splits a pattern into escapes, classes and plain characters, with byte offsets.
fn pieces(source: &str) -> Vec<(usize, Piece<'_>)> {
    let mut out = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let end = chars.next().map_or(source.len(), |(j, e)| j + e.len_utf8());
                out.push((i, Piece::Escape(source.get(i..end).unwrap_or(""))));
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

fn unsupported_construct(source: &str) -> Option<String> {
    let pieces = pieces(source);
    for (index, (offset, piece)) in pieces.iter().enumerate() {
        let next = pieces.get(index + 1).map(|(_, p)| p);
        match piece {
            Piece::Escape(e) if e.len() == 2 && e.as_bytes().get(1).is_some_and(|b| (b'1'..=b'9').contains(b)) => {
                return Some(format!("the backreference `{e}`"));
            }
            Piece::Escape(e) if e.starts_with("\\k") => {
                return Some("a named backreference `\\k<...>`".into());
            }
            Piece::Char('(') => {
                if let Some(name) = group_construct(source.get(*offset..).unwrap_or("")) {
                    return Some(name);
                }
            }
            Piece::Char('*' | '+' | '?' | '}') if next == Some(&Piece::Char('+')) => {
                let q = source.get(*offset..*offset + 1).unwrap_or("");
                return Some(format!("the possessive quantifier `{q}+`"));
            }
            _ => {}
        }
    }
    None
}

fn group_construct(rest: &str) -> Option<String> {
    let named = [
        ("(?<=", "look-behind `(?<=...)`"),
        ("(?<!", "negative look-behind `(?<!...)`"),
        ("(?=", "look-ahead `(?=...)`"),
        ("(?!", "negative look-ahead `(?!...)`"),
        ("(?>", "the atomic group `(?>...)`"),
    ];
    named
        .iter()
        .find(|(prefix, _)| rest.starts_with(prefix))
        .map(|(_, name)| format!("the {name}"))
}

/// Replaces Java's `\Q...\E` literal quoting with escaped characters.
fn translate_quoting(source: &str) -> Result<String, String> {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = find_unescaped(rest, "\\Q") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let quoted = rest.get(start + 2..).unwrap_or("");
        let (literal, after) = match quoted.find("\\E") {
            Some(end) => (quoted.get(..end).unwrap_or(""), quoted.get(end + 2..).unwrap_or("")),
            None => (quoted, ""),
        };
        out.push_str(&regex_lite::escape(literal));
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

fn find_unescaped(text: &str, needle: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if !escaped && text.get(i..).is_some_and(|t| t.starts_with(needle)) {
            return Some(i);
        }
        escaped = !escaped && c == '\\';
    }
    None
}

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

fn is_literal_or_start(previous: Option<&Piece<'_>>) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_value_match() {
        let p = Pattern::compile("t2.*").unwrap();
        assert!(p.is_match("t2.micro"));
        assert!(!p.is_match("xt2.micro"));
        let p = Pattern::compile("g2|p2").unwrap();
        assert!(p.is_match("p2") && !p.is_match("g2.2xlarge"));
    }

    #[test]
    fn glob_star_matches_like_java() {
        let p = Pattern::compile("g2*").unwrap();
        for yes in ["g", "g2", "g22"] {
            assert!(p.is_match(yes), "{yes}");
        }
        assert!(!p.is_match("g2.2xlarge"));
    }

    #[test]
    fn rejects_java_only_constructs() {
        for (pattern, named) in [
            ("(a)\\1", "backreference"),
            ("(?=a)a", "look-ahead"),
            ("(?<!a)b", "look-behind"),
            ("(?>a)", "atomic"),
            ("a*+", "possessive"),
        ] {
            let err = Pattern::compile(pattern).unwrap_err();
            assert!(err.contains(named), "{pattern}: {err}");
        }
    }

    #[test]
    fn quoting_is_translated() {
        let p = Pattern::compile("\\Qm5.large\\E").unwrap();
        assert!(p.is_match("m5.large") && !p.is_match("m5xlarge"));
    }

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
