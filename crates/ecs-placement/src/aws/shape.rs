//! A small model of AWS API input shapes, enough to do what botocore does on the client side:
//! coerce shorthand strings to the member types and reject unknown or mistyped parameters with
//! `Parameter validation failed` messages.

use super::output::python;
use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// The type of an API input member.
#[derive(Debug)]
pub enum Shape {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A boolean.
    Boolean,
    /// A list of the inner shape.
    List(&'static Shape),
    /// A map from strings to the inner shape.
    Map(&'static Shape),
    /// A structure with named members.
    Structure(&'static [Member]),
    /// Anything (documents such as `overrides` that the simulator reads loosely).
    Any,
}

/// A named member of a structure.
#[derive(Debug)]
pub struct Member {
    /// The API member name (camelCase).
    pub name: &'static str,
    /// Its shape.
    pub shape: &'static Shape,
    /// Whether the API requires it (botocore rejects the call without it).
    pub required: bool,
}

/// Shorthand for declaring optional members.
pub const fn member(name: &'static str, shape: &'static Shape) -> Member {
    Member {
        name,
        shape,
        required: false,
    }
}

/// Shorthand for declaring required members.
pub const fn required_member(name: &'static str, shape: &'static Shape) -> Member {
    Member {
        name,
        shape,
        required: true,
    }
}

/// String lists appear everywhere.
pub static STRING_LIST: Shape = Shape::List(&Shape::String);

impl Shape {
    /// The member names of a structure (empty for other shapes).
    pub fn member_names(&self) -> Vec<&'static str> {
        match self {
            Shape::Structure(members) => members.iter().map(|m| m.name).collect(),
            _ => Vec::new(),
        }
    }
}

/// How values are read: shorthand and plain words are text that the AWS CLI converts; JSON
/// (a JSON argument, `--cli-input-json`) already has types, which botocore checks as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Shorthand,
    Json,
}

/// Coerces `value` to `shape` as the AWS CLI does after shorthand parsing (strings to integers
/// and booleans, a scalar to a one-element list) and validates it as botocore does.
/// `path` is the parameter path used in messages (e.g. `placementConstraints[0]`).
pub fn coerce(value: Value, shape: &Shape, path: &str) -> Result<Value> {
    convert(value, shape, path, Mode::Shorthand)
}

/// Validates JSON input against `shape` as botocore does, without conversions: `"3"` where an
/// integer is expected is an error, as is `1e20`.
pub fn check_json(value: Value, shape: &Shape, path: &str) -> Result<Value> {
    convert(value, shape, path, Mode::Json)
}

fn convert(value: Value, shape: &Shape, path: &str, mode: Mode) -> Result<Value> {
    match shape {
        Shape::Any => Ok(value),
        Shape::String => match value {
            Value::String(_) => Ok(value),
            Value::Number(n) if mode == Mode::Shorthand => Ok(Value::String(n.to_string())),
            other => Err(invalid_type(path, &other, "str")),
        },
        Shape::Integer => coerce_integer(value, path, mode),
        Shape::Boolean => coerce_boolean(value, path, mode),
        Shape::List(inner) => coerce_list(value, inner, path, mode),
        Shape::Map(inner) => coerce_map(value, inner, path, mode),
        Shape::Structure(members) => coerce_structure(value, members, path, mode),
    }
}

fn coerce_integer(value: Value, path: &str, mode: Mode) -> Result<Value> {
    match &value {
        Value::Number(n) if n.is_i64() => Ok(value),
        // The AWS CLI converts shorthand text with Python's `int()`, whose error it prints.
        Value::String(s) if mode == Mode::Shorthand => s.trim().parse::<i64>().map(Value::from).map_err(|_| {
            Error::usage(format!(
                "invalid literal for int() with base 10: {}",
                python::string_repr(s)
            ))
        }),
        _ => Err(invalid_type(path, &value, "int")),
    }
}

fn coerce_boolean(value: Value, path: &str, mode: Mode) -> Result<Value> {
    let text = mode == Mode::Shorthand;
    match &value {
        Value::Bool(_) => Ok(value),
        Value::String(s) if text && s.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
        Value::String(s) if text && s.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
        _ => Err(invalid_type(path, &value, "bool")),
    }
}

fn coerce_list(value: Value, inner: &Shape, path: &str, mode: Mode) -> Result<Value> {
    let items = match value {
        Value::Array(items) => items,
        scalar @ (Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Object(_))
            if mode == Mode::Shorthand =>
        {
            vec![scalar]
        }
        other => return Err(invalid_type(path, &other, "list, tuple")),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| convert(item, inner, &format!("{path}[{i}]"), mode))
        .collect::<Result<Vec<_>>>()
        .map(Value::Array)
}

fn coerce_map(value: Value, inner: &Shape, path: &str, mode: Mode) -> Result<Value> {
    let Value::Object(map) = value else {
        return Err(invalid_type(path, &value, "dict"));
    };
    // Inserted one by one, as `coerce_structure` does: collecting into a `Map` would compile
    // `IndexMap`'s `FromIterator` (and a `try_process`) for this one place.
    let mut out = Map::new();
    for (k, v) in map {
        let item_path = format!("{path}.{k}");
        let v = convert(v, inner, &item_path, mode)?;
        out.insert(k, v);
    }
    Ok(Value::Object(out))
}

fn coerce_structure(value: Value, members: &[Member], path: &str, mode: Mode) -> Result<Value> {
    let Value::Object(map) = value else {
        return Err(invalid_type(path, &value, "dict"));
    };
    let mut out = Map::new();
    for (key, item) in map {
        let Some(member) = members.iter().find(|m| m.name == key) else {
            let names: Vec<&str> = members.iter().map(|m| m.name).collect();
            let at = if path.is_empty() {
                String::new()
            } else {
                format!(" in {path}")
            };
            return Err(Error::usage(format!(
                "Parameter validation failed:\nUnknown parameter{at}: \"{key}\", must be one of: {}",
                names.join(", ")
            )));
        };
        let item_path = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        out.insert(key, convert(item, member.shape, &item_path, mode)?);
    }
    if let Some(missing) = members.iter().find(|m| m.required && !out.contains_key(m.name)) {
        let at = if path.is_empty() {
            String::new()
        } else {
            format!(" in {path}")
        };
        return Err(Error::usage(format!(
            "Parameter validation failed:\nMissing required parameter{at}: \"{}\"",
            missing.name
        )));
    }
    Ok(Value::Object(out))
}

fn invalid_type(path: &str, value: &Value, expected: &str) -> Error {
    let python_type = match value {
        Value::String(_) => "str",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::Bool(_) => "bool",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
        Value::Null => "NoneType",
    };
    let valid = expected
        .split(", ")
        .map(|t| format!("<class '{t}'>"))
        .collect::<Vec<_>>()
        .join(", ");
    Error::usage(format!(
        "Parameter validation failed:\nInvalid type for parameter {path}, value: {}, type: <class '{python_type}'>, valid types: {valid}",
        python::str_of(value)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static CONSTRAINT: Shape = Shape::Structure(&[
        required_member("type", &Shape::String),
        member("expression", &Shape::String),
    ]);
    static CONSTRAINTS: Shape = Shape::List(&CONSTRAINT);

    #[test]
    fn coerces_like_the_cli() {
        assert_eq!(coerce(json!("5"), &Shape::Integer, "count").unwrap(), json!(5));
        assert_eq!(coerce(json!("TRUE"), &Shape::Boolean, "b").unwrap(), json!(true));
        assert_eq!(coerce(json!("a"), &STRING_LIST, "l").unwrap(), json!(["a"]));
    }

    #[test]
    fn json_input_keeps_its_types() {
        for (value, shape) in [
            (json!("3"), &Shape::Integer),
            (json!(1e20), &Shape::Integer),
            (json!("true"), &Shape::Boolean),
            (json!(5), &Shape::String),
            (json!("a"), &STRING_LIST),
        ] {
            let err = check_json(value.clone(), shape, "count").unwrap_err();
            assert!(
                err.message.contains("Invalid type for parameter count"),
                "{value}: {}",
                err.message
            );
        }
        assert_eq!(check_json(json!(3), &Shape::Integer, "count").unwrap(), json!(3));
    }

    #[test]
    fn rejects_unknown_members_and_bad_types() {
        let err = coerce(
            json!([{"type": "memberOf", "expr": "x"}]),
            &CONSTRAINTS,
            "placementConstraints",
        )
        .unwrap_err();
        assert!(
            err.message
                .contains("Unknown parameter in placementConstraints[0]: \"expr\", must be one of: type, expression"),
            "{}",
            err.message
        );
        let err = coerce(json!([{"expression": "x"}]), &CONSTRAINTS, "placementConstraints").unwrap_err();
        assert!(
            err.message
                .ends_with("Missing required parameter in placementConstraints[0]: \"type\""),
            "{}",
            err.message
        );
        let err = check_json(json!("many"), &Shape::Integer, "count").unwrap_err();
        assert!(
            err.message
                .contains("Invalid type for parameter count, value: many, type: <class 'str'>"),
            "{}",
            err.message
        );
        // AWS CLI 1.45.11, `aws ecs run-task --task-definition w --overrides 'containerOverrides=[{name=app,cpu=abc}]'`.
        let err = coerce(json!("abc"), &Shape::Integer, "count").unwrap_err();
        assert_eq!(err.message, "invalid literal for int() with base 10: 'abc'");
    }

    /// Issue 11, divergence 4: a comma in an unquoted expression makes a list, which botocore
    /// refuses. Exact message of AWS CLI 1.45.11 for
    /// `aws ecs run-task --task-definition web --endpoint-url http://127.0.0.1:9 --placement-constraints 'type=memberOf,expression=attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'`.
    #[test]
    fn values_are_shown_as_python_shows_them() {
        let err = coerce(
            json!([{"type": "memberOf", "expression": ["attribute:ecs.availability-zone in [us-east-1a", "us-east-1b]"]}]),
            &CONSTRAINTS,
            "placementConstraints",
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "Parameter validation failed:\nInvalid type for parameter placementConstraints[0].expression, value: ['attribute:ecs.availability-zone in [us-east-1a', 'us-east-1b]'], type: <class 'list'>, valid types: <class 'str'>"
        );
        assert_eq!(
            python::repr(&json!({"a": [true, null, 1, "it's", "say \"hi\"\n"]})),
            r#"{'a': [True, None, 1, "it's", 'say "hi"\n']}"#
        );
    }
}
