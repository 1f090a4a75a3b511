//! A pattern's syntax: parses the text into a tree of [`Node`]s, or says what is wrong with it.
//!
//! The syntax is Java's (`java.util.regex.Pattern`) where the playground can run it: literals,
//! `.`, `|`, groups (`(...)`, `(?:...)`, `(?<name>...)`), the quantifiers `* + ? {n} {n,}
//! {n,m}` with their lazy forms, `^ $ \A \z \b \B`, classes `[...]` with ranges and escapes, the
//! ASCII shorthand classes `\d \D \w \W \s \S`, hexadecimal escapes and the inline flags `i`,
//! `m` and `s`. Java constructs that need backtracking (backreferences, look-around, atomic
//! groups, possessive quantifiers) and the ones the engine lacks (nested classes, class
//! intersection, `\p{...}`, other flags) are rejected with a message naming them.

/// The highest code point, the end of a negated set.
const LAST_CODE_POINT: u32 = char::MAX as u32;

/// How deep groups may nest.
const MAX_NESTING: usize = 50;

/// `\d`: the ASCII digits.
const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
/// `\s`: tab, line feed, vertical tab, form feed, carriage return and space.
const SPACE: &[(u32, u32)] = &[(0x09, 0x0D), (0x20, 0x20)];
/// `\w`: ASCII letters, digits and `_`.
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];

/// A set of characters one step of a match consumes: inclusive code point ranges, or everything
/// outside them when `negated`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct CharSet {
    ranges: Vec<(u32, u32)>,
    negated: bool,
}

impl CharSet {
    /// The set of `ranges` as they are.
    fn of(ranges: &[(u32, u32)]) -> CharSet {
        CharSet {
            ranges: ranges.to_vec(),
            negated: false,
        }
    }

    /// The set of one character.
    fn single(c: char) -> CharSet {
        CharSet::of(&[(u32::from(c), u32::from(c))])
    }

    /// True when `c` is in the set.
    pub(super) fn contains(&self, c: char) -> bool {
        let code = u32::from(c);
        self.ranges.iter().any(|&(low, high)| low <= code && code <= high) != self.negated
    }

    /// Adds the other case of every ASCII letter in the set (Java's `(?i)` without
    /// `UNICODE_CASE`): flipping bit 5 turns `a-z` into `A-Z` and back.
    fn fold_ascii_case(&mut self) {
        let mut other_case = Vec::new();
        for &(low, high) in &self.ranges {
            for (first, last) in [(0x41, 0x5A), (0x61, 0x7A)] {
                let (start, end) = (low.max(first), high.min(last));
                if start <= end {
                    other_case.push((start ^ 0x20, end ^ 0x20));
                }
            }
        }
        self.ranges.extend(other_case);
    }
}

/// The characters outside `ranges` (sorted, not overlapping).
fn complement(ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut outside = Vec::new();
    let mut next = 0;
    for &(low, high) in ranges {
        if low > next {
            outside.push((next, low - 1));
        }
        next = high.saturating_add(1);
    }
    outside.push((next, LAST_CODE_POINT));
    outside
}

/// A shorthand class such as `\d`, or its negation `\D` spelled out as ranges (so that it can
/// join a bracketed class).
fn shorthand_class(ranges: &[(u32, u32)], negated: bool) -> CharSet {
    if negated {
        CharSet {
            ranges: complement(ranges),
            negated: false,
        }
    } else {
        CharSet::of(ranges)
    }
}

/// A zero-width assertion about the characters on either side of a position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Look {
    /// `\A`, and `^` without the `m` flag: the start of the value.
    TextStart,
    /// `\z`, and `$` without the `m` flag: the end of the value.
    TextEnd,
    /// `^` with the `m` flag: the start of the value or just after a line feed.
    LineStart,
    /// `$` with the `m` flag: the end of the value or just before a line feed.
    LineEnd,
    /// `\b`: between an ASCII word character and something else.
    WordBoundary,
    /// `\B`: anywhere `\b` is not.
    NotWordBoundary,
}

impl Look {
    /// True at a position between `before` and `after` (`None` at either end of the value).
    pub(super) fn holds(self, before: Option<char>, after: Option<char>) -> bool {
        match self {
            Look::TextStart => before.is_none(),
            Look::TextEnd => after.is_none(),
            Look::LineStart => before.is_none_or(|c| c == '\n'),
            Look::LineEnd => after.is_none_or(|c| c == '\n'),
            Look::WordBoundary => is_word(before) != is_word(after),
            Look::NotWordBoundary => is_word(before) == is_word(after),
        }
    }
}

/// True for an ASCII letter, digit or `_`, what `\w` and `\b` count as a word character.
fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A parsed pattern.
#[derive(Debug, PartialEq)]
pub(super) enum Node {
    /// One character from a set.
    Set(CharSet),
    /// An assertion that consumes nothing.
    Look(Look),
    /// The nodes one after the other (nothing when empty).
    Concat(Vec<Node>),
    /// Any one of the branches.
    Alternation(Vec<Node>),
    /// A quantified node.
    Repeat(Box<Repeat>),
}

/// A node repeated `min` to `max` times (`None`: no upper bound).
#[derive(Debug, PartialEq)]
pub(super) struct Repeat {
    /// What is repeated.
    pub(super) node: Node,
    /// The fewest repetitions.
    pub(super) min: u32,
    /// The most repetitions, if bounded.
    pub(super) max: Option<u32>,
}

/// The inline flags in force.
#[derive(Clone, Copy, Default)]
struct Flags {
    /// `i`: ASCII letters match either case.
    case_insensitive: bool,
    /// `m`: `^` and `$` also match at line feeds.
    multi_line: bool,
    /// `s`: `.` also matches a line feed.
    dot_matches_line_feed: bool,
}

/// What an escape sequence stands for.
enum Escaped {
    Char(char),
    Set(CharSet),
    Look(Look),
}

/// Parses a pattern (Java's `\Q...\E` already replaced by escapes).
pub(super) fn parse(pattern: &str) -> Result<Node, String> {
    let mut parser = Parser {
        rest: pattern,
        flags: Flags::default(),
        depth: 0,
        group_names: Vec::new(),
    };
    let tree = parser.alternation()?;
    if parser.rest.is_empty() {
        Ok(tree)
    } else {
        Err(invalid(
            "`)` closes a group that was never opened; write `\\)` to match a parenthesis",
        ))
    }
}

/// An error in the pattern's syntax.
fn invalid(problem: &str) -> String {
    format!("invalid regular expression: {problem}")
}

/// A Java construct the engine cannot run.
fn java_only(construct: &str) -> String {
    format!("{construct} is a Java regex feature the playground cannot run; rewrite the pattern without it")
}

/// A recursive-descent parser over the rest of the pattern.
struct Parser<'a> {
    rest: &'a str,
    flags: Flags,
    depth: usize,
    group_names: Vec<&'a str>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.rest.chars().nth(1)
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.rest = self.rest.get(c.len_utf8()..).unwrap_or("");
        Some(c)
    }

    /// Consumes `expected` when the rest starts with it.
    fn eat(&mut self, expected: &str) -> bool {
        match self.rest.strip_prefix(expected) {
            Some(after) => {
                self.rest = after;
                true
            }
            None => false,
        }
    }

    /// Consumes the characters before the first one that fails `keep` (at most `limit`).
    fn take_while(&mut self, limit: usize, keep: fn(char) -> bool) -> &'a str {
        let end = self
            .rest
            .char_indices()
            .take(limit)
            .take_while(|&(_, c)| keep(c))
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        let (taken, after) = self.rest.split_at_checked(end).unwrap_or(("", self.rest));
        self.rest = after;
        taken
    }

    /// Branches separated by `|`, up to the end or a `)`.
    fn alternation(&mut self) -> Result<Node, String> {
        let mut branches = vec![self.concatenation()?];
        while self.eat("|") {
            branches.push(self.concatenation()?);
        }
        Ok(Node::Alternation(branches))
    }

    /// Quantified atoms, up to the end, a `|` or a `)`.
    fn concatenation(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek().filter(|c| !matches!(c, '|' | ')')) {
            self.next();
            if let Some(atom) = self.atom(c)? {
                items.push(self.quantified(atom)?);
            }
        }
        Ok(Node::Concat(items))
    }

    /// What `c` (just consumed) starts; `None` for a flag directive such as `(?i)`.
    fn atom(&mut self, c: char) -> Result<Option<Node>, String> {
        let node = match c {
            '(' => return self.group(),
            '[' => Node::Set(self.class()?),
            '.' => Node::Set(self.dot()),
            '^' if self.flags.multi_line => Node::Look(Look::LineStart),
            '^' => Node::Look(Look::TextStart),
            '$' if self.flags.multi_line => Node::Look(Look::LineEnd),
            '$' => Node::Look(Look::TextEnd),
            '\\' => match self.escape()? {
                Escaped::Char(c) => Node::Set(self.literal(c)),
                Escaped::Set(set) => Node::Set(set),
                Escaped::Look(look) => Node::Look(look),
            },
            '*' | '+' | '?' | '{' => {
                return Err(invalid(&format!(
                    "`{c}` has nothing before it to repeat; write `\\{c}` to match the character itself"
                )));
            }
            c => Node::Set(self.literal(c)),
        };
        Ok(Some(node))
    }

    fn literal(&self, c: char) -> CharSet {
        let mut set = CharSet::single(c);
        if self.flags.case_insensitive {
            set.fold_ascii_case();
        }
        set
    }

    fn dot(&self) -> CharSet {
        if self.flags.dot_matches_line_feed {
            CharSet::of(&[(0, LAST_CODE_POINT)])
        } else {
            CharSet::of(&[(0, 0x09), (0x0B, LAST_CODE_POINT)])
        }
    }

    /// `node` with the quantifier that follows it, if any.
    fn quantified(&mut self, node: Node) -> Result<Node, String> {
        let Some(symbol) = self.peek().filter(|c| matches!(c, '*' | '+' | '?' | '{')) else {
            return Ok(node);
        };
        self.next();
        let (min, max) = match symbol {
            '*' => (0, None),
            '+' => (1, None),
            '?' => (0, Some(1)),
            _ => self.counted_repetition()?,
        };
        if self.eat("+") {
            let last = if symbol == '{' { '}' } else { symbol };
            return Err(java_only(&format!("the possessive quantifier `{last}+`")));
        }
        // A lazy quantifier matches the same whole values as a greedy one.
        self.eat("?");
        if let Some(next) = self.peek().filter(|c| matches!(c, '*' | '+' | '?' | '{')) {
            return Err(invalid(&format!(
                "`{next}` follows another quantifier; to repeat a repetition put it in a group, as in `(a+){next}`"
            )));
        }
        Ok(Node::Repeat(Box::new(Repeat { node, min, max })))
    }

    /// `{n}`, `{n,}` or `{n,m}` after the `{`.
    fn counted_repetition(&mut self) -> Result<(u32, Option<u32>), String> {
        let min = self.count()?;
        let max = match self.eat(",") {
            false => Some(min),
            true if self.peek() == Some('}') => None,
            true => Some(self.count()?),
        };
        if !self.eat("}") {
            return Err(invalid(
                "a counted repetition `{n}`, `{n,}` or `{n,m}` is not closed with `}`; write `\\{` to match a brace",
            ));
        }
        if max.is_some_and(|max| max < min) {
            return Err(invalid(&format!(
                "the counted repetition `{{{min},{}}}` has its minimum above its maximum",
                max.unwrap_or(min)
            )));
        }
        Ok((min, max))
    }

    fn count(&mut self) -> Result<u32, String> {
        let digits = self.take_while(usize::MAX, |c| c.is_ascii_digit());
        if digits.is_empty() {
            return Err(invalid(
                "a counted repetition needs a number after `{` (as in `a{2}` or `a{1,3}`); write `\\{` to match a brace",
            ));
        }
        digits
            .parse()
            .map_err(|_| invalid(&format!("the repetition count {digits} is too large")))
    }

    /// A group after its `(`; `None` for a flag directive such as `(?i)`, whose flags stay in
    /// force to the end of the enclosing group.
    fn group(&mut self) -> Result<Option<Node>, String> {
        if let Some(construct) = self.unsupported_group() {
            return Err(java_only(construct));
        }
        if self.depth >= MAX_NESTING {
            return Err(invalid(&format!("groups nest more than {MAX_NESTING} deep")));
        }
        let outer_flags = self.flags;
        if self.eat("?P<") || self.eat("?<") {
            self.group_name()?;
        } else if self.eat("?") {
            self.inline_flags()?;
            if self.eat(")") {
                return Ok(None);
            }
            self.eat(":");
        }
        self.depth += 1;
        let inner = self.alternation()?;
        self.depth -= 1;
        self.flags = outer_flags;
        if !self.eat(")") {
            return Err(invalid(
                "a group `(` is not closed with `)`; write `\\(` to match a parenthesis",
            ));
        }
        Ok(Some(inner))
    }

    /// The name of a look-around or atomic group starting here.
    fn unsupported_group(&self) -> Option<&'static str> {
        [
            ("?<=", "the look-behind `(?<=...)`"),
            ("?<!", "the negative look-behind `(?<!...)`"),
            ("?=", "the look-ahead `(?=...)`"),
            ("?!", "the negative look-ahead `(?!...)`"),
            ("?>", "the atomic group `(?>...)`"),
        ]
        .into_iter()
        .find(|(prefix, _)| self.rest.starts_with(prefix))
        .map(|(_, name)| name)
    }

    /// A group's name after `(?<`, through the `>`.
    fn group_name(&mut self) -> Result<(), String> {
        let name = self.take_while(usize::MAX, |c| c.is_alphanumeric() || c == '_');
        let starts_well = name.chars().next().is_some_and(|c| !c.is_numeric());
        if !starts_well || !self.eat(">") {
            return Err(invalid(
                "a named group is written `(?<name>...)`, the name a letter followed by letters, digits or `_`",
            ));
        }
        if self.group_names.contains(&name) {
            return Err(invalid(&format!("the group name `{name}` is used twice")));
        }
        self.group_names.push(name);
        Ok(())
    }

    /// Flags such as `i` or `-i` after `(?`, up to the `)` or `:` that ends them.
    fn inline_flags(&mut self) -> Result<(), String> {
        let mut turning_off = false;
        let mut last_was_minus = false;
        let mut letters = 0;
        loop {
            match self.peek() {
                Some(':' | ')') => break,
                Some('-') if !turning_off => turning_off = true,
                Some(letter @ ('i' | 'm' | 's')) => {
                    self.set_flag(letter, !turning_off);
                    letters += 1;
                }
                Some(other) => {
                    return Err(invalid(&format!(
                        "the inline flag `{other}` is not supported; the playground knows `i` (either case), `m` (`^` and `$` at line feeds) and `s` (`.` matches a line feed)"
                    )));
                }
                None => return Err(invalid("the inline flags `(?...` are not closed with `)`")),
            }
            last_was_minus = self.next() == Some('-');
        }
        if last_was_minus || (letters == 0 && self.peek() == Some(')')) {
            return Err(invalid(
                "`(?` must be followed by flags such as `(?i)` or `(?-i)`, or by `:`",
            ));
        }
        Ok(())
    }

    fn set_flag(&mut self, letter: char, on: bool) {
        match letter {
            'i' => self.flags.case_insensitive = on,
            'm' => self.flags.multi_line = on,
            _ => self.flags.dot_matches_line_feed = on,
        }
    }

    /// A bracketed class after its `[`.
    fn class(&mut self) -> Result<CharSet, String> {
        let negated = self.eat("^");
        let mut ranges = Vec::new();
        while self.eat("-") {
            ranges.push((0x2D, 0x2D));
        }
        if ranges.is_empty() && self.eat("]") {
            ranges.push((0x5D, 0x5D));
        }
        loop {
            match (self.peek(), self.peek_second()) {
                (None, _) => {
                    return Err(invalid(
                        "a character class `[` is not closed with `]`; write `\\[` to match a bracket",
                    ));
                }
                (Some(']'), _) => break,
                (Some('['), _) => {
                    return Err(invalid(
                        "a class inside a class (Java's `[a[b]]`, or a POSIX class such as `[[:alpha:]]`) is not supported; write `\\[` to match a bracket",
                    ));
                }
                (Some('&'), Some('&')) => return Err(java_only("the class intersection `&&`")),
                (Some('-'), Some('-')) => {
                    return Err(invalid("`--` in a character class: write `\\-` to match a dash"));
                }
                _ => self.class_member(&mut ranges)?,
            }
        }
        self.next();
        let mut set = CharSet { ranges, negated };
        if self.flags.case_insensitive {
            set.fold_ascii_case();
        }
        Ok(set)
    }

    /// One character, shorthand class or range inside a class, added to `ranges`.
    fn class_member(&mut self, ranges: &mut Vec<(u32, u32)>) -> Result<(), String> {
        let first = self.class_item()?;
        let is_range = self.peek() == Some('-') && !matches!(self.peek_second(), Some(']' | '-'));
        match (first, is_range) {
            (Escaped::Char(c), false) => ranges.push((u32::from(c), u32::from(c))),
            (Escaped::Set(set), false) => ranges.extend(set.ranges),
            (Escaped::Char(start), true) => {
                self.next();
                let Escaped::Char(end) = self.class_item()? else {
                    return Err(range_of_classes());
                };
                if end < start {
                    return Err(invalid(&format!(
                        "the class range `{start}-{end}` runs backwards; write `{end}-{start}`"
                    )));
                }
                ranges.push((u32::from(start), u32::from(end)));
            }
            (Escaped::Set(_), true) => return Err(range_of_classes()),
            (Escaped::Look(_), _) => {
                return Err(invalid(
                    "`\\b`, `\\B`, `\\A` and `\\z` cannot be used in a character class",
                ));
            }
        }
        Ok(())
    }

    fn class_item(&mut self) -> Result<Escaped, String> {
        match self.next() {
            Some('\\') => self.escape(),
            Some(c) => Ok(Escaped::Char(c)),
            None => Err(invalid("a character class `[` is not closed with `]`")),
        }
    }

    /// An escape sequence after its `\`.
    fn escape(&mut self) -> Result<Escaped, String> {
        let Some(c) = self.next() else {
            return Err(invalid(
                "the pattern ends with a lone `\\`; write `\\\\` to match a backslash",
            ));
        };
        let escaped = match c {
            'd' | 'D' => Escaped::Set(shorthand_class(DIGIT, c == 'D')),
            's' | 'S' => Escaped::Set(shorthand_class(SPACE, c == 'S')),
            'w' | 'W' => Escaped::Set(shorthand_class(WORD, c == 'W')),
            'b' if self.rest.starts_with('{') && self.peek_second().is_some_and(|c| c.is_ascii_alphabetic()) => {
                return Err(java_only("the boundary `\\b{...}`"));
            }
            'b' => Escaped::Look(Look::WordBoundary),
            'B' => Escaped::Look(Look::NotWordBoundary),
            'A' => Escaped::Look(Look::TextStart),
            'z' => Escaped::Look(Look::TextEnd),
            'x' => Escaped::Char(self.hexadecimal(2)?),
            'u' => Escaped::Char(self.hexadecimal(4)?),
            'U' => Escaped::Char(self.hexadecimal(8)?),
            '1'..='9' => return Err(java_only(&format!("the backreference `\\{c}`"))),
            'k' => return Err(java_only("a named backreference `\\k<...>`")),
            '0' => return Err(java_only("the octal escape `\\0`")),
            'p' | 'P' => return Err(java_only(&format!("the property class `\\{c}{{...}}`"))),
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Escaped::Char(c),
            c => Escaped::Char(control_escape(c).ok_or_else(|| unknown_escape(c))?),
        };
        Ok(escaped)
    }

    /// The character of `\x41`, `\x{41}`, `\u0041` or `\U00000041` after the letter.
    fn hexadecimal(&mut self, fixed_digits: usize) -> Result<char, String> {
        let braced = self.eat("{");
        let digits = self.take_while(if braced { usize::MAX } else { fixed_digits }, |c| {
            c.is_ascii_hexdigit()
        });
        let complete = if braced {
            self.eat("}") && !digits.is_empty()
        } else {
            digits.len() == fixed_digits
        };
        complete
            .then(|| u32::from_str_radix(digits, 16).ok().and_then(char::from_u32))
            .flatten()
            .ok_or_else(|| {
                invalid("a hexadecimal escape is written `\\x41`, `\\x{41}` or `\\u0041`, with a valid character code")
            })
    }
}

/// The control character a letter escape such as `\t` stands for.
fn control_escape(letter: char) -> Option<char> {
    Some(match letter {
        't' => '\t',
        'n' => '\n',
        'r' => '\r',
        'f' => '\x0C',
        'v' => '\x0B',
        'a' => '\x07',
        'e' => '\x1B',
        _ => return None,
    })
}

fn unknown_escape(c: char) -> String {
    invalid(&format!(
        "`\\{c}` is not an escape the playground knows (it knows `\\d \\D \\w \\W \\s \\S \\b \\B \\A \\z`, `\\t \\n \\r \\f \\v \\a \\e`, `\\x41`, `\\u0041` and a backslash before punctuation)"
    ))
}

fn range_of_classes() -> String {
    invalid("a class range such as `a-z` must start and end with single characters, not a class like `\\d`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(pattern: &str) -> String {
        parse(pattern)
            .map(|tree| format!("parsed: {tree:?}"))
            .unwrap_or_else(|e| e)
    }

    fn set(ranges: &[(char, char)]) -> Node {
        let ranges: Vec<(u32, u32)> = ranges.iter().map(|&(a, b)| (u32::from(a), u32::from(b))).collect();
        Node::Set(CharSet::of(&ranges))
    }

    #[test]
    fn tree_of_a_quantified_concatenation_and_alternation() {
        let tree = parse("ab*|c{2,}").unwrap();
        let star = Repeat {
            node: set(&[('b', 'b')]),
            min: 0,
            max: None,
        };
        let counted = Repeat {
            node: set(&[('c', 'c')]),
            min: 2,
            max: None,
        };
        assert_eq!(
            tree,
            Node::Alternation(vec![
                Node::Concat(vec![set(&[('a', 'a')]), Node::Repeat(Box::new(star))]),
                Node::Concat(vec![Node::Repeat(Box::new(counted))]),
            ])
        );
    }

    #[test]
    fn tree_of_classes_and_flags() {
        let Node::Alternation(branches) = parse("(?i)[^a-b\\d]").unwrap() else {
            panic!("an alternation");
        };
        let expected = CharSet {
            ranges: vec![(0x61, 0x62), (0x30, 0x39), (0x41, 0x42)],
            negated: true,
        };
        assert_eq!(branches, vec![Node::Concat(vec![Node::Set(expected)])]);
        assert_eq!(
            shorthand_class(DIGIT, true).ranges,
            vec![(0, 0x2F), (0x3A, LAST_CODE_POINT)]
        );
    }

    #[test]
    fn syntax_errors_say_what_is_wrong() {
        for (pattern, message) in [
            (
                "[abc",
                "invalid regular expression: a character class `[` is not closed with `]`",
            ),
            ("[", "a character class `[` is not closed with `]`"),
            ("[a-", "a character class `[` is not closed with `]`"),
            ("*large", "`*` has nothing before it to repeat; write `\\*`"),
            ("a|+", "`+` has nothing before it to repeat"),
            ("{2}", "`{` has nothing before it to repeat"),
            ("(?i)*", "`*` has nothing before it to repeat"),
            ("a)", "`)` closes a group that was never opened"),
            ("(a", "a group `(` is not closed with `)`"),
            ("a**", "`*` follows another quantifier"),
            ("a{2}{3}", "`{` follows another quantifier"),
            ("a*?+", "`+` follows another quantifier"),
            ("a{2", "is not closed with `}`"),
            ("a{2,3", "is not closed with `}`"),
            ("a{x}", "a counted repetition needs a number after `{`"),
            ("a{,3}", "a counted repetition needs a number after `{`"),
            ("a{ 2}", "a counted repetition needs a number after `{`"),
            (
                "a{3,2}",
                "the counted repetition `{3,2}` has its minimum above its maximum",
            ),
            ("a{99999999999}", "the repetition count 99999999999 is too large"),
            ("\\", "the pattern ends with a lone `\\`"),
            ("\\G", "`\\G` is not an escape the playground knows"),
            ("\\é", "`\\é` is not an escape the playground knows"),
            ("\\xZ1", "a hexadecimal escape is written"),
            ("\\x4", "a hexadecimal escape is written"),
            ("\\x{}", "a hexadecimal escape is written"),
            ("\\x{110000}", "a hexadecimal escape is written"),
            ("\\ud800", "a hexadecimal escape is written"),
            ("\\x{41", "a hexadecimal escape is written"),
            ("(?x)a", "the inline flag `x` is not supported"),
            ("(?U)a", "the inline flag `U` is not supported"),
            ("(?)", "`(?` must be followed by flags"),
            ("(?-)", "`(?` must be followed by flags"),
            ("(?i-:a)", "`(?` must be followed by flags"),
            ("(?i", "the inline flags `(?...` are not closed"),
            ("(?<1a>x)", "a named group is written `(?<name>...)`"),
            ("(?<>x)", "a named group is written `(?<name>...)`"),
            ("(?<a x)", "a named group is written `(?<name>...)`"),
            ("(?<a>x)(?<a>y)", "the group name `a` is used twice"),
            ("[a[b]]", "a class inside a class"),
            ("[[:alpha:]]", "a class inside a class"),
            ("[a--]", "`--` in a character class"),
            ("[z-a]", "the class range `z-a` runs backwards"),
            ("[\\d-z]", "must start and end with single characters"),
            ("[a-\\w]", "must start and end with single characters"),
            ("[\\b]", "cannot be used in a character class"),
        ] {
            let found = error(pattern);
            assert!(found.starts_with("invalid regular expression: "), "{pattern}: {found}");
            assert!(found.contains(message), "{pattern}: {found}");
        }
    }

    #[test]
    fn java_only_constructs_are_named() {
        for (pattern, message) in [
            ("(a)\\1", "the backreference `\\1`"),
            ("(?<n>a)\\k<n>", "a named backreference `\\k<...>`"),
            ("(?=a)a", "the look-ahead `(?=...)`"),
            ("(?!a)b", "the negative look-ahead `(?!...)`"),
            ("(?<=a)b", "the look-behind `(?<=...)`"),
            ("(?<!a)b", "the negative look-behind `(?<!...)`"),
            ("(?>a)", "the atomic group `(?>...)`"),
            ("a*+", "the possessive quantifier `*+`"),
            ("a++", "the possessive quantifier `++`"),
            ("a?+", "the possessive quantifier `?+`"),
            ("a{2}+", "the possessive quantifier `}+`"),
            ("\\0101", "the octal escape `\\0`"),
            ("\\p{Alpha}", "the property class `\\p{...}`"),
            ("\\P{L}", "the property class `\\P{...}`"),
            ("[a&&b]", "the class intersection `&&`"),
            ("\\b{g}", "the boundary `\\b{...}`"),
        ] {
            let found = error(pattern);
            assert_eq!(
                found,
                format!("{message} is a Java regex feature the playground cannot run; rewrite the pattern without it"),
                "{pattern}"
            );
        }
    }

    #[test]
    fn nesting_is_limited() {
        let deep = |n| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&deep(MAX_NESTING)).is_ok());
        assert_eq!(
            error(&deep(MAX_NESTING + 1)),
            "invalid regular expression: groups nest more than 50 deep"
        );
    }

    #[test]
    fn accepted_odd_corners() {
        for pattern in [
            "",
            "()",
            "(|)",
            "a|",
            "^*",
            "\\b+",
            "a{0}",
            "a{2,}?",
            "(?i)(?i)a",
            "(?i-i)a",
            "}",
            "]",
            "\\b{2}",
        ] {
            assert!(parse(pattern).is_ok(), "{pattern}: {}", error(pattern));
        }
    }
}
