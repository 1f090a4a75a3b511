//! The AWS CLI's shorthand syntax (`key=value,key2=[a,b],key3={k=v}`), read with the grammar of
//! AWS CLI v1's own parser (`awscli/shorthand.py`): unquoted values may contain spaces (trailing
//! ones are dropped) and `=`, a comma ends a value (`\,` is a literal comma) and `a=b,c` is the
//! list `[b, c]`; quoted values may contain anything (with `\"` / `\'` escapes). A comma inside
//! an unquoted expression (`in [a, b]`) therefore makes a list where the API wants a string, and
//! the AWS CLI then stops with botocore's "Invalid type for parameter" (see `shape.rs`).
//!
//! One difference: AWS CLI 1.45 prints the literal text `{self._error_location()}` after
//! "for input:" (a missing `f` prefix in its source); the playground prints what that code
//! means to show, the input with a caret under the error, as earlier AWS CLI versions did.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// How deeply `[...]` and `{...}` may nest in shorthand: the limit of JSON input
/// ([`crate::json::MAX_DEPTH`]); the AWS CLI has none of its own.
pub const MAX_NESTING: usize = crate::json::MAX_DEPTH;

/// Parses shorthand as the AWS CLI does.
pub fn parse(input: &str) -> Result<Value> {
    let mut parser = Parser {
        chars: input.chars().collect(),
        index: 0,
        depth: 0,
    };
    parser.parameter().map(Value::Object)
}

struct Parser {
    chars: Vec<char>,
    index: usize,
    depth: usize,
}

/// Characters that may start an unquoted value (the AWS CLI's `_START_WORD`): not whitespace,
/// `"`, `'`, `,`, `=`, `[` or `{`.
fn starts_word(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z') || c >= '|'
}

/// Characters that may continue the first value of a key (`_FIRST_FOLLOW_CHARS`): whitespace
/// and everything but `"`, `'`, `,`, `]` and `}`.
fn continues_first(c: char) -> bool {
    c.is_whitespace() || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|') || c >= '~'
}

/// Characters that may continue a later value of a comma-separated list
/// (`_SECOND_FOLLOW_CHARS`): whitespace and everything but `"`, `'`, `,` and `=`.
fn continues_second(c: char) -> bool {
    c.is_whitespace() || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<') || c >= '>'
}

/// Characters of a key (`_key`): letters, digits and `-_.#/:`.
fn in_key(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')
}

/// The whitespace the parser skips between tokens (Python's `string.whitespace`).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
}

impl Parser {
    fn current(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    fn at(&self, index: usize) -> Option<char> {
        self.chars.get(index).copied()
    }

    fn at_eof(&self) -> bool {
        self.index >= self.chars.len()
    }

    fn skip_whitespace(&mut self) {
        while self.current().is_some_and(is_space) {
            self.index += 1;
        }
    }

    fn expect(&mut self, wanted: char, skip_whitespace: bool) -> Result<()> {
        if skip_whitespace {
            self.skip_whitespace();
        }
        match self.current() {
            Some(c) if c == wanted => {
                self.index += 1;
                if skip_whitespace {
                    self.skip_whitespace();
                }
                Ok(())
            }
            Some(c) => Err(self.syntax_error(&wanted.to_string(), &c.to_string(), self.index)),
            None => Err(self.syntax_error(&wanted.to_string(), "EOF", self.index)),
        }
    }

    /// `Expected: 'X', received: 'Y' for input:` and the input with a caret.
    fn syntax_error(&self, expected: &str, received: &str, index: usize) -> Error {
        Error::usage(format!(
            "Expected: '{expected}', received: '{received}' for input:\n{}",
            self.error_location(index)
        ))
    }

    /// The input with a caret under `index`, on the line of the error when the input has several.
    fn error_location(&self, index: usize) -> String {
        let before = self.chars.get(..index).unwrap_or(&self.chars);
        let column = match before.iter().rposition(|c| *c == '\n') {
            Some(newline) => index - newline - 1,
            None => index,
        };
        let after = self.chars.get(index..).unwrap_or_default();
        let (consumed, remaining): (String, String) = match after.iter().position(|c| *c == '\n') {
            Some(offset) => {
                let split = index + offset;
                (
                    self.chars.iter().take(split).collect(),
                    self.chars.iter().skip(split).collect(),
                )
            }
            None => (self.chars.iter().collect(), String::new()),
        };
        format!("{consumed}\n{}^{remaining}", " ".repeat(column))
    }

    fn parameter(&mut self) -> Result<Map<String, Value>> {
        let mut params = Map::new();
        let (key, value) = self.keyval()?;
        params.insert(key, value);
        let mut last_index = self.index;
        while !self.at_eof() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            if params.contains_key(&key) {
                return Err(Error::usage(format!(
                    "Second instance of key \"{key}\" encountered for input:\n{}\nThis is often because there is a preceding \",\" instead of a space.",
                    self.error_location(last_index + 1)
                )));
            }
            params.insert(key, value);
            last_index = self.index;
        }
        Ok(params)
    }

    fn keyval(&mut self) -> Result<(String, Value)> {
        let key = self.key();
        self.expect('=', true)?;
        Ok((key, self.values()?))
    }

    fn key(&mut self) -> String {
        let start = self.index;
        while self.current().is_some_and(in_key) {
            self.index += 1;
        }
        self.chars.get(start..self.index).unwrap_or_default().iter().collect()
    }

    fn values(&mut self) -> Result<Value> {
        match self.current() {
            None => Ok(Value::String(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    /// A first value, then, after commas, further values that make it a list; a later value
    /// followed by something other than a comma (`,next=...`) is given back to the caller.
    fn csv_value(&mut self) -> Result<Value> {
        let first = self.first_value()?;
        self.skip_whitespace();
        if self.current() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first];
        loop {
            let attempt = self.second_value().and_then(|value| {
                self.skip_whitespace();
                if self.at_eof() {
                    return Ok((value, true));
                }
                self.expect(',', true).map(|()| (value, false))
            });
            match attempt {
                Ok((value, last)) => {
                    list.push(value);
                    if last {
                        break;
                    }
                }
                Err(error) if self.at_eof() => return Err(error),
                Err(_) => {
                    self.backtrack_to_comma();
                    break;
                }
            }
        }
        Ok(if list.len() == 1 {
            list.pop().unwrap_or_default()
        } else {
            Value::Array(list)
        })
    }

    fn backtrack_to_comma(&mut self) {
        while self.index > 0 && self.current() != Some(',') {
            self.index -= 1;
        }
    }

    fn first_value(&mut self) -> Result<Value> {
        match self.current() {
            Some(quote @ ('\'' | '"')) => self.quoted(quote),
            _ => Ok(Value::String(self.unquoted(continues_first).unwrap_or_default())),
        }
    }

    fn second_value(&mut self) -> Result<Value> {
        match self.current() {
            Some(quote @ ('\'' | '"')) => self.quoted(quote),
            _ => match self.unquoted(continues_second) {
                Some(text) => Ok(Value::String(text)),
                None => Err(self.syntax_error("<second>", "<none>", self.index)),
            },
        }
    }

    /// An unquoted value: a start character, then `continues` characters; `\,` is a literal
    /// comma anywhere and trailing whitespace is dropped. `None` when no value starts here.
    fn unquoted(&mut self, continues: fn(char) -> bool) -> Option<String> {
        let mut out = String::new();
        let mut first = true;
        while let Some(c) = self.current() {
            if c == '\\' && self.at(self.index + 1) == Some(',') {
                out.push(',');
                self.index += 2;
            } else if (first && starts_word(c)) || (!first && continues(c)) {
                out.push(c);
                self.index += 1;
            } else {
                break;
            }
            first = false;
        }
        (!first).then(|| out.trim_end().to_string())
    }

    /// A quoted value as the AWS CLI's regular expression `"(?:\\"|[^"])*"` reads it: it ends
    /// at the first quote not escaped by `\`, or, when there is none, at the last escaped one.
    /// Then `\<quote>` becomes the quote and `\\` one backslash.
    fn quoted(&mut self, quote: char) -> Result<Value> {
        let start = self.index;
        let mut index = start + 1;
        let mut last_escaped = None;
        let end = loop {
            match self.at(index) {
                Some('\\') if self.at(index + 1) == Some(quote) => {
                    last_escaped = Some(index + 1);
                    index += 2;
                }
                Some(c) if c == quote => break Some(index),
                Some(_) => index += 1,
                None => break last_escaped,
            }
        };
        let Some(end) = end else {
            let name = if quote == '"' {
                "<double quoted>"
            } else {
                "<singled quoted>"
            };
            return Err(self.syntax_error(name, "<none>", start));
        };
        let inner: String = self.chars.get(start + 1..end).unwrap_or_default().iter().collect();
        self.index = end + 1;
        let unescaped = inner
            .replace(&format!("\\{quote}"), &quote.to_string())
            .replace("\\\\", "\\");
        Ok(Value::String(unescaped))
    }

    /// Enters a `[` or `{`; refuses nesting deeper than [`MAX_NESTING`].
    fn nest(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Error::usage(format!(
                "the shorthand nests lists and structures deeper than {MAX_NESTING} levels (the playground's limit, as for JSON)"
            )));
        }
        Ok(())
    }

    fn explicit_list(&mut self) -> Result<Value> {
        self.nest()?;
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.current() != Some(']') {
            values.push(self.explicit_value()?);
            self.skip_whitespace();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.skip_whitespace();
            }
        }
        self.expect(']', false)?;
        self.depth -= 1;
        Ok(Value::Array(values))
    }

    fn explicit_value(&mut self) -> Result<Value> {
        match self.current() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value(),
        }
    }

    fn hash_literal(&mut self) -> Result<Value> {
        self.nest()?;
        self.expect('{', true)?;
        let mut map = Map::new();
        while self.current() != Some('}') {
            let key = self.key();
            self.expect('=', true)?;
            let value = self.explicit_value()?;
            self.skip_whitespace();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.skip_whitespace();
            }
            map.insert(key, value);
        }
        self.expect('}', false)?;
        self.depth -= 1;
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_aws_cli_examples() {
        assert_eq!(parse("a=b").unwrap(), json!({"a": "b"}));
        assert_eq!(parse("a=b,c").unwrap(), json!({"a": ["b", "c"]}));
        assert_eq!(parse("a=b,c=d").unwrap(), json!({"a": "b", "c": "d"}));
        assert_eq!(
            parse("foo=a,b,c=d,e=f").unwrap(),
            json!({"foo": ["a", "b"], "c": "d", "e": "f"})
        );
        assert_eq!(
            parse("type=spread,field=attribute:ecs.availability-zone").unwrap(),
            json!({"type": "spread", "field": "attribute:ecs.availability-zone"})
        );
        assert_eq!(
            parse("awsvpcConfiguration={subnets=[subnet-1,subnet-2],securityGroups=[sg-1],assignPublicIp=ENABLED}")
                .unwrap(),
            json!({"awsvpcConfiguration": {"subnets": ["subnet-1", "subnet-2"], "securityGroups": ["sg-1"], "assignPublicIp": "ENABLED"}})
        );
        assert_eq!(
            parse(r#"type="memberOf",expression="attribute:ecs.instance-type == t2.small""#).unwrap(),
            json!({"type": "memberOf", "expression": "attribute:ecs.instance-type == t2.small"})
        );
        assert_eq!(parse(r"a=b\,c").unwrap(), json!({"a": "b,c"}));
        assert_eq!(parse("a=").unwrap(), json!({"a": ""}));
    }

    /// Issue 11, divergence 4: what AWS CLI 1.45.11 reads, captured with its own parser
    /// (`python3 -c 'from awscli.shorthand import ShorthandParser; print(ShorthandParser().parse(TEXT))'`)
    /// and, for the `--placement-constraints` values, the request body of
    /// `aws ecs run-task --task-definition web --placement-constraints TEXT --endpoint-url http://127.0.0.1:9 --debug`.
    #[test]
    fn values_as_aws_cli_1_45_reads_them() {
        for (text, expected) in [
            (
                "type=memberOf,expression=attribute:ecs.instance-type == t2.small",
                json!({"type": "memberOf", "expression": "attribute:ecs.instance-type == t2.small"}),
            ),
            (
                "type=memberOf,expression=attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
                json!({"type": "memberOf", "expression": ["attribute:ecs.availability-zone in [us-east-1a", "us-east-1b]"]}),
            ),
            (
                "type=memberOf , expression = attribute:x == y  ",
                json!({"type": "memberOf", "expression": "attribute:x == y"}),
            ),
            (
                "type=memberOf,expression=a=b",
                json!({"type": "memberOf", "expression": "a=b"}),
            ),
            (
                r"type=memberOf,expression=a\,b",
                json!({"type": "memberOf", "expression": "a,b"}),
            ),
            (
                r#"type=memberOf,expression="a\"b""#,
                json!({"type": "memberOf", "expression": "a\"b"}),
            ),
            (
                r"type=memberOf,expression='it\'s'",
                json!({"type": "memberOf", "expression": "it's"}),
            ),
            ("a=b,c,d=e", json!({"a": ["b", "c"], "d": "e"})),
            ("a=[b, c d ,e]", json!({"a": ["b", "c d", "e"]})),
            ("a={b=c d,e=[f]}", json!({"a": {"b": "c d", "e": ["f"]}})),
            ("aws:key/x.y#z=1", json!({"aws:key/x.y#z": "1"})),
            ("a=,b=c", json!({"a": "", "b": "c"})),
            ("a=b c,d", json!({"a": ["b c", "d"]})),
        ] {
            assert_eq!(parse(text).unwrap(), expected, "{text}");
        }
    }

    /// The AWS CLI's syntax errors, first line as AWS CLI 1.45.11 prints it and the caret at the
    /// index its exception records (`ShorthandParseError.index`, captured as above);
    /// the playground then shows the input and a caret where 1.45.11 prints the literal
    /// `{self._error_location()}`.
    #[test]
    fn syntax_errors_as_aws_cli_1_45_words_them() {
        for (text, first_line, caret_column) in [
            (
                r#"type=memberOf,expression="a\"b\"c"#,
                "Expected: ',', received: 'c' for input:",
                32,
            ),
            ("a=b,", "Expected: '<second>', received: '<none>' for input:", 4),
            ("a=[b", "Expected: ',', received: 'EOF' for input:", 4),
            ("a={b=c", "Expected: ',', received: 'EOF' for input:", 6),
            (
                "a=\"unterminated",
                "Expected: '<double quoted>', received: '<none>' for input:",
                2,
            ),
            (
                "a='unterminated",
                "Expected: '<singled quoted>', received: '<none>' for input:",
                2,
            ),
        ] {
            let message = parse(text).unwrap_err().message;
            assert_eq!(
                message,
                format!("{first_line}\n{text}\n{}^", " ".repeat(caret_column)),
                "{text}"
            );
        }
        // Duplicate keys: the whole message, exactly as AWS CLI 1.45.11 prints it.
        assert_eq!(
            parse("a=b,a=c").unwrap_err().message,
            "Second instance of key \"a\" encountered for input:\na=b,a=c\n    ^\nThis is often because there is a preceding \",\" instead of a space."
        );
        assert_eq!(
            parse("a=b\nc,a=d").unwrap_err().message,
            "Second instance of key \"a\" encountered for input:\na=b\nc,a=d\n  ^\nThis is often because there is a preceding \",\" instead of a space."
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for text in [
            format!("a={}{}", "[".repeat(10_000), "]".repeat(10_000)),
            format!("a={}{}", "{a=".repeat(10_000), "}".repeat(10_000)),
        ] {
            let err = parse(&text).unwrap_err();
            assert!(err.message.contains("deeper than 127 levels"), "{}", err.message);
        }
        let ok = format!("a={}{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(parse(&ok).is_ok());
    }
}
