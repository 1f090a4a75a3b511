//! JSON in and out. Out: the way the AWS CLI prints it (4-space indentation, non-ASCII kept as
//! is). In: [`parse`] reads untrusted JSON text (scenario files, imports, `--cli-input-json`,
//! JSON arguments) and refuses what `serde_json` alone would accept silently: a key given twice
//! in one object (the later one would win), and nesting deeper than [`MAX_DEPTH`].

pub(crate) mod float;
pub(crate) mod others;
mod path;
pub mod text;
pub mod typed;

use crate::error::{Error, Result};
use path::{Step, Track};
use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// How deeply arrays and objects may nest in input JSON: 127 levels, the most `serde_json`'s own
/// recursion limit reads, applied to every reader (also values that cross the WebAssembly
/// boundary, where the stack is small).
pub const MAX_DEPTH: usize = 127;

/// Serializes `value` with 4-space indentation (the AWS CLI's `--output json` layout).
/// Written by the core's writer ([`text::to_text_indented`]), byte for byte what `serde_json`'s
/// `PrettyFormatter::with_indent(b"    ")` writes.
pub fn to_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    match text::to_text_indented(value, "    ") {
        Ok(text) => text,
        Err(e) => format!("{{\"error\": \"{e}\"}}"),
    }
}

/// Parses JSON text into a value, refusing duplicate keys and nesting deeper than
/// [`MAX_DEPTH`]. The error's message is the reader's (callers say what the text was); a
/// duplicate key's error carries the JSON path of the second occurrence.
pub fn parse(text: &str) -> Result<Value> {
    parse_with(text, false)
}

/// JSON text read as `serde_json::from_str::<Value>` reads it: a key given twice keeps its first
/// place and its last value (as Python's `json.loads` does: JMESPath's literals). Nesting is
/// limited as in [`parse`], which is `serde_json`'s own limit. One reader of JSON text in the
/// module instead of two (`serde_json`'s `Value` reader compiled beside [`parse`]'s).
pub fn parse_last_key_wins(text: &str) -> Result<Value> {
    parse_with(text, true)
}

/// [`parse`], or [`parse_last_key_wins`] when `last_key_wins`.
fn parse_with(text: &str, last_key_wins: bool) -> Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = read_value(&mut deserializer, last_key_wins)?;
    deserializer.end().map_err(|e| Error::invalid_input(e.to_string()))?;
    Ok(value)
}

/// [`parse`] with an error that says what the text was: "`what` is not valid JSON: ...".
pub fn parse_named(text: &str, what: &str) -> Result<Value> {
    parse(text).map_err(|e| Error {
        message: format!("{what} is not valid JSON: {}", e.message),
        ..e
    })
}

/// Reads a value from any serde deserializer (e.g. a JavaScript value) with the checks of
/// [`parse`].
pub fn value_from<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value> {
    read_value(deserializer, false)
}

/// [`value_from`]; a key given twice is refused unless `last_key_wins` (then it keeps its first
/// place and its last value).
fn read_value<'de, D: Deserializer<'de>>(deserializer: D, last_key_wins: bool) -> Result<Value> {
    let context = Track::default();
    let result = Node {
        context: &context,
        last_key_wins,
    }
    .deserialize(deserializer);
    result.map_err(|e| {
        let error = Error::invalid_input(e.to_string());
        match context.failed() {
            Some(path) => error.at_path(path),
            None => error,
        }
    })
}

#[derive(Clone, Copy)]
struct Node<'c> {
    context: &'c Track,
    /// A key given twice: its last value in its first place (`serde_json`'s reading), not an
    /// error.
    last_key_wins: bool,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Node<'_> {
    fn too_deep<E: de::Error>(self) -> E {
        self.context.leave();
        self.context.fail_here();
        E::custom(format!(
            "the JSON nests deeper than {MAX_DEPTH} levels (the limit of this playground)"
        ))
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> std::result::Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            if self.context.enter(Step::Index(items.len())) > MAX_DEPTH {
                return Err(self.too_deep());
            }
            let item = seq.next_element_seed(self);
            self.context.leave();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let duplicate = object.contains_key(&key);
            if self.context.enter(Step::Key(key.clone())) > MAX_DEPTH {
                return Err(self.too_deep());
            }
            if duplicate && !self.last_key_wins {
                self.context.fail_here();
                self.context.leave();
                return Err(de::Error::custom(format!(
                    "duplicate key `{key}` (a key may appear once per object: remove one of them)"
                )));
            }
            let value = map.next_value_seed(self);
            self.context.leave();
            object.insert(key, value?);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"a": [1, -2, 3.5, true, null, "x"], "b": {"c": {}}, "d": 18446744073709551615}"#;
        assert_eq!(parse(text).unwrap(), serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn refuses_duplicate_keys_with_their_path() {
        let err = parse(r#"{"version": 1, "instances": [{"a": 1, "b": {"x": 1, "x": 2}}]}"#).unwrap_err();
        assert!(err.message.starts_with("duplicate key `x`"), "{}", err.message);
        assert_eq!(err.path.as_deref(), Some("instances[0].b.x"));
        let err = parse(r#"{"version":1,"instances":[],"instances":[]}"#).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("instances"));
        assert_eq!(
            parse(r#"{"a": {"x": 1}, "b": {"x": 2}}"#).unwrap(),
            json!({"a": {"x": 1}, "b": {"x": 2}})
        );
    }

    #[test]
    fn reads_as_serde_json_reads_when_the_last_key_wins() {
        let deep = |open: &str, close: &str, depth: usize| format!("{}1{}", open.repeat(depth), close.repeat(depth));
        let mut texts = vec![
            r#"{"b": 1, "a": 2, "b": [3, {"x": 1, "x": null}]}"#.to_string(),
            r#"[1.5, -0, 1e400, 18446744073709551616, "\u00e9\n", true]"#.to_string(),
            "{} x".to_string(),
            "[1,]".to_string(),
            " \"text\" ".to_string(),
        ];
        for depth in [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2] {
            texts.push(deep("[", "]", depth));
            texts.push(deep("{\"k\":", "}", depth));
            texts.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        }
        for text in texts {
            let ours = parse_last_key_wins(&text).ok();
            let theirs = serde_json::from_str::<Value>(&text).ok();
            assert_eq!(ours, theirs, "{text}");
        }
        let value = parse_last_key_wins(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"b":3,"a":2}"#);
    }

    #[test]
    fn refuses_deep_nesting_and_trailing_text() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep).is_err());
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let over = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&over).is_err());
        assert!(parse("{} x").is_err());
    }
}
