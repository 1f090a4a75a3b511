//! Regular expressions for `=~` / `!~` (decision D4).
//!
//! AWS documents Java `java.util.regex.Pattern`; the pattern must match the whole value (Java's
//! `String.matches`). The playground runs its own small engine, in time linear in the value's
//! length whatever the pattern: `syntax` parses Java's syntax (rejecting, with a message that
//! names it, what needs backtracking or what the engine lacks), `program` compiles the tree into
//! a Thompson NFA of at most 5,000 instructions, and `matcher` runs it. Java's `\Q...\E` quoting
//! is translated into escapes first.
//!
//! Where the engine differs from Java, on purpose, to stay small (as regex-lite, the engine it
//! replaced, did): `.` excludes only `\n` (Java also excludes `\r`, `\u0085`, `\u2028` and
//! `\u2029`), `\v` is the vertical tab (Java: any vertical whitespace), `\b` counts ASCII word
//! characters, and `$` matches only at the very end (Java also before a final line terminator).
//! `(?i)` folds ASCII letters, as Java does by default.
//!
//! Where it differs from regex-lite, following Java: a quantifier right after another (`a**`,
//! `a{2}*`), a `)` that closes no group (regex-lite's `^(?:...)$` wrapper took `a)(b`), a
//! quantifier after a flag directive (`a(?i)*`), a POSIX class (`[[:alpha:]]`: Java reads a
//! nested class) and spaces inside `{2, 3}` are errors; `\<` and `\>` are the characters
//! (regex-lite: word start and end), `\e` is escape, `~~` in a class is two tildes, a flag may be
//! named twice (`(?ii)`), and under `(?i)` a class range folds the cases of all its letters
//! (`(?i)[X-c]` takes `x`) and may end with an escaped letter. To stay small, it also rejects the
//! flags `x`, `U`, `u` and `R` and the special boundaries such as `\b{start}`, which regex-lite
//! ran (Java has no `R` or `\b{start}`, and its `U` and `u` mean other things). Group names are
//! letters, digits and `_`; groups nest at most 50 deep; counted repetitions are capped by the
//! program's size (`a{5000}` is too large).

mod glob;
mod matcher;
mod program;
mod syntax;

pub use glob::{GlobLook, glob_look};

use program::Instruction;
use std::fmt;

/// A compiled whole-value pattern.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    program: Vec<Instruction>,
}

impl Pattern {
    /// Compiles `source` as a whole-value match, or says why it cannot be used.
    pub fn compile(source: &str) -> Result<Pattern, String> {
        let tree = syntax::parse(&translate_quoting(source))?;
        Ok(Pattern {
            source: source.to_string(),
            program: program::compile(&tree)?,
        })
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when the pattern matches the whole of `value`.
    pub fn is_match(&self, value: &str) -> bool {
        matcher::is_match(&self.program, value)
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

/// Replaces Java's `\Q...\E` literal quoting with escaped characters.
fn translate_quoting(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = find_unescaped(rest, "\\Q") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let quoted = rest.get(start + 2..).unwrap_or("");
        let (literal, after) = match quoted.find("\\E") {
            Some(end) => (quoted.get(..end).unwrap_or(""), quoted.get(end + 2..).unwrap_or("")),
            None => (quoted, ""),
        };
        for c in literal.chars() {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
        rest = after;
    }
    out.push_str(rest);
    out
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
        let p = Pattern::compile("a\\Q(*)[\\E+").unwrap();
        assert!(p.is_match("a(*)[[[") && !p.is_match("a(*)"));
        let p = Pattern::compile("\\Qé|x").unwrap();
        assert!(p.is_match("é|x") && !p.is_match("é"));
    }

    /// Asserts which of `values` the pattern matches (`yes`) and which it does not (`no`).
    fn check(pattern: &str, yes: &[&str], no: &[&str]) {
        let p = Pattern::compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        for value in yes {
            assert!(p.is_match(value), "{pattern} should match {value:?}");
        }
        for value in no {
            assert!(!p.is_match(value), "{pattern} should not match {value:?}");
        }
    }

    #[test]
    fn literals_dot_and_empty() {
        check("abc", &["abc"], &["ab", "abcd", "ABC", ""]);
        check("a.c", &["abc", "a.c", "aéc", "a\rc"], &["a\nc", "ac"]);
        check("", &[""], &["a"]);
        check("é+", &["é", "éé"], &["e", ""]);
    }

    #[test]
    fn alternation_and_groups() {
        check("(ab|cd)+e", &["abe", "cdabe"], &["e", "abce"]);
        check("(?:x|y){2}", &["xy", "yy"], &["x", "xyx"]);
        check("(?<kind>m5|c5)\\.large", &["m5.large"], &["r5.large"]);
        check("(?P<kind>a)b", &["ab"], &["a"]);
        check("a|", &["a", ""], &["b"]);
        check("(|a)b", &["b", "ab"], &["a"]);
        check("()", &[""], &["a"]);
    }

    #[test]
    fn quantifiers_greedy_and_lazy() {
        check("a*", &["", "aaa"], &["b"]);
        check("a+", &["a", "aa"], &[""]);
        check("a?", &["", "a"], &["aa"]);
        check("a{2}", &["aa"], &["a", "aaa"]);
        check("a{2,}", &["aa", "aaaaa"], &["a"]);
        check("a{1,3}", &["a", "aaa"], &["", "aaaa"]);
        check("a{0}b", &["b"], &["ab"]);
        for lazy in ["a*?", "a+?b?", "a??a", "a{1,2}?", "a{1,}?", "a{1}?"] {
            let greedy = lazy.replacen('?', "", 1);
            let (l, g) = (Pattern::compile(lazy).unwrap(), Pattern::compile(&greedy).unwrap());
            for value in ["", "a", "aa", "aab", "aaa"] {
                assert_eq!(l.is_match(value), g.is_match(value), "{lazy} / {greedy} on {value:?}");
            }
        }
    }

    #[test]
    fn anchors() {
        check("^a$", &["a"], &[""]);
        check("a^b", &[], &["ab", "a^b"]);
        check("\\Aa\\z", &["a"], &["aa"]);
        check("a$\\nb", &[], &["a\nb"]);
        check("(?m)a$\\n^b", &["a\nb"], &["ab"]);
        check("(?:(?m)a$)\\n(?:^b)", &[], &["a\nb"]);
    }

    #[test]
    fn classes() {
        check("[abc]+", &["cab"], &["abd", ""]);
        check("[^abc]", &["d", "é", "\n"], &["a"]);
        check("[a-z0-9]+", &["m5"], &["M5"]);
        check("[]a]+", &["]a]"], &["b"]);
        check("[^]a]", &["b"], &["]", "a"]);
        check("[-a]+", &["-a"], &["b"]);
        check("[a-]+", &["-a"], &["b"]);
        check("[\\]\\-\\\\]+", &["]-\\"], &["a"]);
        check("[\\d.]+", &["1.2"], &["a"]);
        check("[^\\s]+", &["ab"], &["a b"]);
        check("[\\W\\d]+", &["1-2 "], &["a"]);
        check("[à-ÿ]", &["é"], &["e"]);
        check("[\\x41-\\x43]", &["B"], &["D"]);
        check("[{}()|*+?.$^]+", &["{}()|*+?.$^"], &["a"]);
        check("[~~]", &["~"], &["~~"]);
    }

    #[test]
    fn shorthand_classes_are_ascii() {
        check("\\d+", &["0123456789"], &["a", "\u{663}"]);
        check("\\D", &["a", "\u{663}"], &["1"]);
        check("\\w+", &["aZ_09"], &["é", "-"]);
        check("\\W", &["é", "-", " "], &["a", "_"]);
        check("\\s+", &[" \t\n\r\u{b}\u{c}"], &["a", "\u{a0}"]);
        check("\\S", &["a", "\u{a0}"], &[" "]);
    }

    #[test]
    fn escapes() {
        check("m5\\.large", &["m5.large"], &["m5xlarge"]);
        check("\\t\\n\\r\\f\\v\\a\\e", &["\t\n\r\u{c}\u{b}\u{7}\u{1b}"], &[""]);
        check("\\x41\\x{e9}\\u00e9\\U0001F600\\u{1F600}", &["Aéé😀😀"], &["A"]);
        check("\\<a\\>\\ \\#\\&\\~\\%", &["<a> #&~%"], &["a"]);
    }

    #[test]
    fn word_boundaries() {
        check("a\\b", &["a"], &[]);
        check("a\\b.", &["a-", "aé"], &["ab", "a_"]);
        check("a\\Bb", &["ab"], &[]);
        check("\\bfoo\\b-bar", &["foo-bar"], &["foox-bar"]);
        check(".\\B.", &["ab", "--"], &["a-"]);
    }

    #[test]
    fn case_insensitive_flag() {
        check("(?i)m5\\.LARGE", &["M5.large", "m5.Large"], &["m5xlarge"]);
        check("(?i)[^x]", &["y"], &["x", "X"]);
        check("(?i)[a-c]+", &["aBC"], &["d"]);
        check("(?i:a)b", &["Ab", "ab"], &["AB"]);
        check("a(?i)b|c", &["aB", "C"], &["AB"]);
        check("(?i)a(?-i)a", &["Aa"], &["AA"]);
        check("(?i)é", &["é"], &["É"]);
        check("(?i)\\x41", &["a"], &["b"]);
        check("(?i)[X-c]", &["x", "Y", "b", "B", "_"], &["w", "d"]);
        check("(?is).", &["\n"], &[]);
    }

    #[test]
    fn source_equality_and_debug() {
        let p = Pattern::compile("a+").unwrap();
        assert_eq!(p.source(), "a+");
        assert_eq!(p, p.clone());
        assert_ne!(p, Pattern::compile("a*").unwrap());
        assert_eq!(format!("{p:?}"), "Pattern(\"a+\")");
    }
}
