//! The JMESPath lexer, as Python's `jmespath/lexer.py` reads an expression: the whole text is
//! turned into tokens before parsing (so a bad character anywhere is reported before any
//! grammar mistake), positions count characters, and literals keep the library's quirks (a
//! backtick literal that is not JSON is read as a JSON string's contents, the legacy form).

use super::SyntaxError;
use serde_json::Value;

/// What a token is; its name is the Python token type (`unquoted_identifier`, `lbracket`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Eof,
    UnquotedIdentifier,
    QuotedIdentifier,
    Literal,
    Number,
    Dot,
    Star,
    Flatten,
    Filter,
    Lbracket,
    Rbracket,
    Lbrace,
    Rbrace,
    Lparen,
    Rparen,
    Comma,
    Colon,
    Current,
    Expref,
    Pipe,
    Or,
    And,
    Not,
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Kind {
    /// The Python library's name of the token type, as its errors print it (upper-cased there).
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Eof => "eof",
            Kind::UnquotedIdentifier => "unquoted_identifier",
            Kind::QuotedIdentifier => "quoted_identifier",
            Kind::Literal => "literal",
            Kind::Number => "number",
            Kind::Dot => "dot",
            Kind::Star => "star",
            Kind::Flatten => "flatten",
            Kind::Filter => "filter",
            Kind::Lbracket => "lbracket",
            Kind::Rbracket => "rbracket",
            Kind::Lbrace => "lbrace",
            Kind::Rbrace => "rbrace",
            Kind::Lparen => "lparen",
            Kind::Rparen => "rparen",
            Kind::Comma => "comma",
            Kind::Colon => "colon",
            Kind::Current => "current",
            Kind::Expref => "expref",
            Kind::Pipe => "pipe",
            Kind::Or => "or",
            Kind::And => "and",
            Kind::Not => "not",
            Kind::Eq => "eq",
            Kind::Ne => "ne",
            Kind::Lt => "lt",
            Kind::Lte => "lte",
            Kind::Gt => "gt",
            Kind::Gte => "gte",
        }
    }
}

/// A token: its kind, the column (in characters) where it starts, and its value (the name of an
/// identifier, the number, the literal's JSON value, or the symbol's text).
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub value: Value,
}

/// The tokens of `expression`, ending with an end-of-file token at its length.
pub(super) fn tokenize(expression: &str) -> Result<Vec<Token>, SyntaxError> {
    let mut lexer = Lexer {
        chars: expression.chars().collect(),
        position: 0,
        tokens: Vec::new(),
    };
    while let Some(c) = lexer.current() {
        lexer.next_token(c)?;
    }
    let end = lexer.chars.len();
    lexer.push(Kind::Eof, end, Value::from(""));
    Ok(lexer.tokens)
}

struct Lexer {
    chars: Vec<char>,
    position: usize,
    tokens: Vec<Token>,
}

impl Lexer {
    fn current(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.position + 1).copied()
    }

    fn push(&mut self, kind: Kind, start: usize, value: Value) {
        self.tokens.push(Token { kind, start, value });
    }

    /// A token of `length` characters from here whose value is its text.
    fn symbol(&mut self, kind: Kind, length: usize) {
        let start = self.position;
        let text: String = self.chars.iter().skip(start).take(length).collect();
        self.position += length;
        self.push(kind, start, Value::String(text));
    }

    /// `first` alone, or `first` followed by `second` as the token `pair`.
    fn one_or_two(&mut self, second: char, pair: Kind, single: Kind) {
        if self.peek() == Some(second) {
            self.symbol(pair, 2);
        } else {
            self.symbol(single, 1);
        }
    }

    fn next_token(&mut self, c: char) -> Result<(), SyntaxError> {
        match c {
            '.' => self.symbol(Kind::Dot, 1),
            '*' => self.symbol(Kind::Star, 1),
            ']' => self.symbol(Kind::Rbracket, 1),
            ',' => self.symbol(Kind::Comma, 1),
            ':' => self.symbol(Kind::Colon, 1),
            '@' => self.symbol(Kind::Current, 1),
            '(' => self.symbol(Kind::Lparen, 1),
            ')' => self.symbol(Kind::Rparen, 1),
            '{' => self.symbol(Kind::Lbrace, 1),
            '}' => self.symbol(Kind::Rbrace, 1),
            ' ' | '\t' | '\n' | '\r' => self.position += 1,
            '[' => match self.peek() {
                Some(']') => self.symbol(Kind::Flatten, 2),
                Some('?') => self.symbol(Kind::Filter, 2),
                _ => self.symbol(Kind::Lbracket, 1),
            },
            '|' => self.one_or_two('|', Kind::Or, Kind::Pipe),
            '&' => self.one_or_two('&', Kind::And, Kind::Expref),
            '<' => self.one_or_two('=', Kind::Lte, Kind::Lt),
            '>' => self.one_or_two('=', Kind::Gte, Kind::Gt),
            '!' => self.one_or_two('=', Kind::Ne, Kind::Not),
            '=' if self.peek() == Some('=') => self.symbol(Kind::Eq, 2),
            '=' => return Err(SyntaxError::lexer(self.position, "Unknown token '='".into())),
            '\'' => self.raw_string()?,
            '`' => self.literal()?,
            '"' => self.quoted_identifier()?,
            '-' | '0'..='9' => self.number()?,
            c if c.is_ascii_alphabetic() || c == '_' => self.identifier(),
            c => return Err(SyntaxError::lexer(self.position, format!("Unknown token {c}"))),
        }
        Ok(())
    }

    fn identifier(&mut self) {
        let start = self.position;
        let mut name = String::new();
        while let Some(c) = self.current().filter(|c| c.is_ascii_alphanumeric() || *c == '_') {
            name.push(c);
            self.position += 1;
        }
        self.push(Kind::UnquotedIdentifier, start, Value::String(name));
    }

    /// A number: digits with an optional leading `-` (a lone `-` is an unknown token).
    fn number(&mut self) -> Result<(), SyntaxError> {
        let start = self.position;
        let mut text = String::new();
        if self.current() == Some('-') {
            text.push('-');
            self.position += 1;
        }
        while let Some(c) = self.current().filter(char::is_ascii_digit) {
            text.push(c);
            self.position += 1;
        }
        if text == "-" {
            return Err(SyntaxError::lexer(start, "Unknown token '-'".into()));
        }
        let value = text
            .parse::<i64>()
            .unwrap_or(if text.starts_with('-') { i64::MIN } else { i64::MAX });
        self.push(Kind::Number, start, Value::from(value));
        Ok(())
    }

    /// The text up to an unescaped `delimiter`, from after the opening one; a backslash keeps
    /// itself and the character after it (Python's `_consume_until`).
    fn until(&mut self, delimiter: char) -> Result<String, SyntaxError> {
        let start = self.position;
        let mut text = String::new();
        self.position += 1;
        while self.current() != Some(delimiter) {
            if self.current() == Some('\\') {
                text.push('\\');
                self.position += 1;
            }
            let c = self
                .current()
                .ok_or_else(|| SyntaxError::lexer(start, format!("Unclosed {delimiter} delimiter")))?;
            text.push(c);
            self.position += 1;
        }
        self.position += 1;
        Ok(text)
    }

    /// `'raw string'`: the text with `\'` read as `'` (other backslashes kept).
    fn raw_string(&mut self) -> Result<(), SyntaxError> {
        let start = self.position;
        let text = self.until('\'')?.replace("\\'", "'");
        self.push(Kind::Literal, start, Value::String(text));
        Ok(())
    }

    /// `` `json` ``: JSON, or else (the legacy form) the contents of a JSON string.
    fn literal(&mut self) -> Result<(), SyntaxError> {
        let start = self.position;
        let text = self.until('`')?.replace("\\`", "`");
        let value = crate::json::parse_last_key_wins(&text)
            .or_else(|_| crate::json::parse_last_key_wins(&format!("\"{}\"", text.trim_start())))
            .map_err(|_| SyntaxError::lexer(start, format!("Bad token {text}")))?;
        self.push(Kind::Literal, start, value);
        Ok(())
    }

    /// `"quoted identifier"`: the contents of a JSON string.
    fn quoted_identifier(&mut self) -> Result<(), SyntaxError> {
        let start = self.position;
        let text = self.until('"')?;
        let name = unescape_json_string(&text).map_err(|reason| SyntaxError::lexer(start, reason.into()))?;
        self.push(Kind::QuotedIdentifier, start, Value::String(name));
        Ok(())
    }
}

/// The value of a JSON string whose contents (between the quotes) are `text`, or the start of
/// Python's `json` error message.
fn unescape_json_string(text: &str) -> Result<String, &'static str> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(unescape(&mut chars)?),
            c if (c as u32) < 0x20 => return Err("Invalid control character at"),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The character an escape sequence (after its backslash) stands for.
fn unescape(chars: &mut std::str::Chars<'_>) -> Result<char, &'static str> {
    Ok(match chars.next() {
        Some('"') => '"',
        Some('\\') => '\\',
        Some('/') => '/',
        Some('b') => '\u{8}',
        Some('f') => '\u{c}',
        Some('n') => '\n',
        Some('r') => '\r',
        Some('t') => '\t',
        Some('u') => return unicode_escape(chars),
        _ => return Err("Invalid \\escape"),
    })
}

/// A `\uXXXX` escape (after `\u`), joined with a following low surrogate escape when it is a
/// high surrogate.
fn unicode_escape(chars: &mut std::str::Chars<'_>) -> Result<char, &'static str> {
    let high = hex4(chars)?;
    if (0xD800..0xDC00).contains(&high) {
        let mut after = chars.clone();
        let low = match (after.next(), after.next()) {
            (Some('\\'), Some('u')) => hex4(&mut after).ok(),
            _ => None,
        };
        if let Some(low) = low.filter(|low| (0xDC00..0xE000).contains(low)) {
            *chars = after;
            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
        }
    }
    Ok(char::from_u32(high).unwrap_or('\u{FFFD}'))
}

/// Four hexadecimal digits.
fn hex4(chars: &mut std::str::Chars<'_>) -> Result<u32, &'static str> {
    let mut code = 0;
    for _ in 0..4 {
        let digit = chars
            .next()
            .and_then(|c| c.to_digit(16))
            .ok_or("Invalid \\uXXXX escape")?;
        code = code * 16 + digit;
    }
    Ok(code)
}
