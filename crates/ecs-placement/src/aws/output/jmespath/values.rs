//! JSON values seen as Python sees them once `json.loads` has read them: `int` or `float`
//! numbers, Python's truthiness, equality (where `True == 1` inside arrays and objects) and
//! ordering, type names for error messages, and `json.dumps` with compact separators.

use crate::aws::output::python::{float_repr, type_name as python_type};
use serde_json::{Number, Value};
use std::cmp::Ordering;

/// A number as Python holds it (an `int` beyond 64 bits is taken as a float).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    /// The number of a JSON number: an `int` unless it was written as a float.
    pub(super) fn of(number: &Number) -> Num {
        match number.as_i64() {
            Some(i) => Num::Int(i),
            None => Num::Float(number.as_f64().unwrap_or_default()),
        }
    }

    /// The number as a float (Python's `float(x)`).
    pub(super) fn float(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    /// The JSON value of the number.
    pub(super) fn value(self) -> Value {
        match self {
            Num::Int(i) => Value::from(i),
            Num::Float(f) => float_value(f),
        }
    }
}

/// A float as a JSON value (null when it is not finite, which JSON cannot hold).
pub(super) fn float_value(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// Python's ordering of two numbers (an `int` and a `float` compared exactly).
pub(super) fn compare_numbers(a: Num, b: Num) -> Ordering {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x.cmp(&y),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        (Num::Int(x), Num::Float(y)) => compare_int_float(x, y),
        (Num::Float(x), Num::Int(y)) => compare_int_float(y, x).reverse(),
    }
}

fn compare_int_float(i: i64, f: f64) -> Ordering {
    match (i as f64).partial_cmp(&f) {
        Some(Ordering::Equal) if f.abs() < 9.2e18 => i.cmp(&(f as i64)),
        Some(order) => order,
        None => Ordering::Equal,
    }
}

/// Python's `<`-family ordering of two numbers or two strings; `None` for other pairs (which
/// raise a `TypeError` in Python).
pub(super) fn python_order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Some(compare_numbers(Num::of(x), Num::of(y))),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Python's `TypeError` for `a OP b` between values it cannot order.
pub(super) fn unorderable(symbol: &str, a: &Value, b: &Value) -> String {
    format!(
        "'{symbol}' not supported between instances of '{}' and '{}'",
        python_type(a),
        python_type(b)
    )
}

/// JMESPath's falsy values: `false`, `null`, `""`, `[]` and `{}` (numbers are all true).
pub(super) fn is_true(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(_) => true,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// JMESPath's `==`: Python's, except that a boolean is never equal to a number at the top level
/// (inside arrays and objects Python's `True == 1` holds).
pub(super) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Bool(_), Value::Number(_)) | (Value::Number(_), Value::Bool(_)) => false,
        _ => python_equal(a, b),
    }
}

/// Python's `==` of the values `json.loads` gives.
pub(super) fn python_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| python_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| python_equal(v, w)))
        }
        _ => match (scalar_number(a), scalar_number(b)) {
            (Some(x), Some(y)) => compare_numbers(x, y) == Ordering::Equal,
            _ => a == b,
        },
    }
}

/// A number or a boolean as Python's number (`True` is `1`).
fn scalar_number(value: &Value) -> Option<Num> {
    match value {
        Value::Number(n) => Some(Num::of(n)),
        Value::Bool(b) => Some(Num::Int(i64::from(*b))),
        _ => None,
    }
}

/// JMESPath's name of the value's type.
pub(super) fn jmespath_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Python's `json.dumps(value, separators=(',', ':'))`: ASCII only, keys in order.
pub(super) fn dumps(value: &Value) -> String {
    let mut out = String::new();
    dump(value, &mut out);
    out
}

fn dump(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_f64() => out.push_str(&float_repr(n.as_f64().unwrap_or_default())),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => dump_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                dump(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                dump_string(key, out);
                out.push(':');
                dump(item, out);
            }
            out.push('}');
        }
    }
}

/// A JSON string with everything outside printable ASCII escaped, as `ensure_ascii` does.
fn dump_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}
