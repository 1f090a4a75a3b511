//! The AWS CLI's shorthand syntax (`key=value,key2=[a,b],key3={k=v}`), with the AWS CLI's rules:
//! unquoted values cannot contain spaces, commas or closing brackets; `a=b,c` is the list
//! `[b, c]`; quoted values may contain anything (with `\"` / `\'` escapes).
//!
//! Blog posts write `expression="attribute:ecs.instance-type == t2.small"` in a shell, which
//! removes the quotes, and the AWS CLI then rejects the spaces. [`parse_lenient`] reads such
//! flat structures by their known member names so that the playground can run them, with a
//! warning that says what the AWS CLI would do.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// How deeply `[...]` and `{...}` may nest in shorthand: the limit of JSON input
/// ([`crate::json::MAX_DEPTH`]); the AWS CLI has none of its own.
pub const MAX_NESTING: usize = crate::json::MAX_DEPTH;

/// Parses shorthand strictly, as the AWS CLI does.
pub fn parse(input: &str) -> Result<Value> {
    let mut parser = Parser {
        input,
        chars: input.char_indices().collect(),
        index: 0,
        depth: 0,
    };
    parser.parameter().map(Value::Object)
}

/// Reads a flat structure by its member names: `type=memberOf,expression=a == b, c` gives
/// `{type: memberOf, expression: "a == b, c"}`. A value ends only where `,<member>=` starts the
/// next key; surrounding quotes are removed. `None` when the text is not of that form.
pub fn parse_lenient(input: &str, members: &[&str]) -> Option<Value> {
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for member in members {
        let key = format!("{member}=");
        if input.starts_with(&key) {
            starts.push((0, member));
        }
        let separated = format!(",{key}");
        starts.extend(input.match_indices(&separated).map(|(i, _)| (i + 1, *member)));
    }
    starts.sort_unstable();
    if starts.first().map(|(i, _)| *i) != Some(0) {
        return None;
    }
    let mut object = Map::new();
    for (index, (start, member)) in starts.iter().enumerate() {
        let value_start = start + member.len() + 1;
        let value_end = starts.get(index + 1).map_or(input.len(), |(next, _)| next - 1);
        let raw = input.get(value_start..value_end)?.trim();
        object.insert((*member).to_string(), Value::String(strip_quotes(raw).to_string()));
    }
    Some(Value::Object(object))
}

fn strip_quotes(text: &str) -> &str {
    for quote in ['"', '\''] {
        if text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) {
            return text.get(1..text.len() - 1).unwrap_or(text);
        }
    }
    text
}

struct Parser<'a> {
    input: &'a str,
    chars: Vec<(usize, char)>,
    index: usize,
    depth: usize,
}

/// Characters that may start an unquoted value (the AWS CLI's `_FIRST_VALUE` start set).
fn starts_value(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z') || c >= '|'
}

/// Characters that may continue an unquoted first value.
fn continues_first(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|') || c >= '~'
}

/// Characters that may continue a later value of a comma-separated list.
fn continues_second(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<') || c >= '>'
}

impl Parser<'_> {
    fn current(&self) -> Option<char> {
        self.chars.get(self.index).map(|(_, c)| *c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.index).map_or(self.input.len(), |(i, _)| *i)
    }

    fn at_eof(&self) -> bool {
        self.index >= self.chars.len()
    }

    fn skip_whitespace(&mut self) {
        while self.current().is_some_and(char::is_whitespace) {
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
            found => Err(self.error(
                &format!("'{wanted}'"),
                found.map_or("EOF".to_string(), |c| format!("'{c}'")),
            )),
        }
    }

    fn error(&self, expected: &str, received: String) -> Error {
        let column = self
            .input
            .get(..self.offset())
            .map_or(0, |s| s.rsplit('\n').next().unwrap_or("").chars().count());
        Error::usage(format!(
            "Expected: {expected}, received: {received} for input:\n{}\n{}^",
            self.input,
            " ".repeat(column)
        ))
    }

    fn parameter(&mut self) -> Result<Map<String, Value>> {
        let mut params = Map::new();
        let (key, value) = self.keyval()?;
        params.insert(key, value);
        while !self.at_eof() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            params.insert(key, value);
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
        while self.current().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.index += 1;
        }
        self.chars
            .get(start..self.index)
            .unwrap_or_default()
            .iter()
            .map(|(_, c)| c)
            .collect()
    }

    fn values(&mut self) -> Result<Value> {
        match self.current() {
            None => Ok(Value::String(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    fn csv_value(&mut self) -> Result<Value> {
        let first = self.first_value()?;
        self.skip_whitespace();
        if self.at_eof() || self.current() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first.clone()];
        loop {
            let before = self.index;
            match self.second_value() {
                Ok(value) => {
                    self.skip_whitespace();
                    if self.at_eof() {
                        list.push(value);
                        break;
                    }
                    if self.current() == Some(',') {
                        self.expect(',', true)?;
                        list.push(value);
                    } else {
                        self.index = before;
                        self.backtrack_to_comma();
                        break;
                    }
                }
                Err(error) if self.at_eof() => return Err(error),
                Err(_) => {
                    self.index = before;
                    self.backtrack_to_comma();
                    break;
                }
            }
        }
        Ok(if list.len() == 1 { first } else { Value::Array(list) })
    }

    fn backtrack_to_comma(&mut self) {
        while self.index > 0 && self.current() != Some(',') {
            self.index -= 1;
        }
    }

    fn first_value(&mut self) -> Result<Value> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => Ok(Value::String(self.unquoted(continues_first))),
        }
    }

    fn second_value(&mut self) -> Result<Value> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            Some(c) if starts_value(c) => Ok(Value::String(self.unquoted(continues_second))),
            found => Err(self.error("<second>", found.map_or("<none>".into(), |c| format!("'{c}'")))),
        }
    }

    /// An unquoted value; `\,` is an escaped comma.
    fn unquoted(&mut self, continues: fn(char) -> bool) -> String {
        let mut out = String::new();
        let mut first = true;
        while let Some(c) = self.current() {
            if c == '\\' && self.chars.get(self.index + 1).map(|(_, c)| *c) == Some(',') {
                out.push(',');
                self.index += 2;
            } else if (first && starts_value(c)) || (!first && continues(c)) {
                out.push(c);
                self.index += 1;
            } else {
                break;
            }
            first = false;
        }
        out
    }

    fn quoted(&mut self, quote: char) -> Result<Value> {
        let start = self.index;
        self.index += 1;
        let mut out = String::new();
        loop {
            match self.current() {
                None => {
                    self.index = start;
                    let name = if quote == '"' {
                        "<double quoted>"
                    } else {
                        "<singled quoted>"
                    };
                    return Err(self.error(name, "<none>".into()));
                }
                Some('\\') => {
                    let next = self.chars.get(self.index + 1).map(|(_, c)| *c);
                    match next {
                        Some(n) if n == quote || n == '\\' => {
                            out.push(n);
                            self.index += 2;
                        }
                        _ => {
                            out.push('\\');
                            self.index += 1;
                        }
                    }
                }
                Some(c) if c == quote => {
                    self.index += 1;
                    return Ok(Value::String(out));
                }
                Some(c) => {
                    out.push(c);
                    self.index += 1;
                }
            }
        }
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
            if self.at_eof() {
                return Err(self.error("']'", "EOF".into()));
            }
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
            if self.at_eof() {
                return Err(self.error("'}'", "EOF".into()));
            }
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

    #[test]
    fn spaces_in_unquoted_values_are_rejected_like_the_aws_cli() {
        let err = parse("type=memberOf,expression=attribute:ecs.instance-type == t2.small").unwrap_err();
        assert!(
            err.message.starts_with("Expected: ',', received: '='"),
            "{}",
            err.message
        );
        assert!(
            err.message.ends_with(&format!("\n{}^", " ".repeat(53))),
            "{:?}",
            err.message
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

    #[test]
    fn lenient_reading_by_member_names() {
        let members = ["type", "expression"];
        assert_eq!(
            parse_lenient(
                "type=memberOf,expression=attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
                &members
            )
            .unwrap(),
            json!({"type": "memberOf", "expression": "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"})
        );
        assert_eq!(
            parse_lenient("expression=a == b,type=memberOf", &members).unwrap(),
            json!({"expression": "a == b", "type": "memberOf"})
        );
        assert_eq!(parse_lenient("nonsense", &members), None);
    }
}
