//! The 26 built-in functions of Python's `jmespath/functions.py`: their signatures and type
//! checks (with the library's error messages, which name JMESPath types for an argument and
//! Python types for an array's item), and their results as Python computes them (`int` or
//! `float`, the first of equal maxima, stable sorts, objects in insertion order).

use super::eval::{Evaluated, evaluate};
use super::parser::Ast;
use super::values::{Num, dumps, float_value, jmespath_type, python_equal, python_order, python_type, unorderable};
use crate::aws::output::python::str_of;
use serde_json::{Map, Value};
use std::cmp::Ordering;

/// An evaluated argument: a value, or an `&expression`.
pub(super) enum Argument<'a> {
    Value(Value),
    Expression(&'a Ast),
}

impl Argument<'_> {
    fn jmespath_type(&self) -> &'static str {
        match self {
            Argument::Value(value) => jmespath_type(value),
            Argument::Expression(_) => "expref",
        }
    }

    /// Python's `str()` of the argument, as type errors print it.
    fn text(&self) -> String {
        match self {
            Argument::Value(value) => str_of(value),
            Argument::Expression(_) => "<jmespath.visitor._Expression object>".into(),
        }
    }
}

/// A function's name, the types each argument accepts (none: any), and whether more arguments
/// of the last kind may follow.
type Signature = (&'static str, &'static [&'static [&'static str]], bool);

const NUMBER: &[&str] = &["number"];
const STRING: &[&str] = &["string"];
const OBJECT: &[&str] = &["object"];
const ARRAY: &[&str] = &["array"];
const EXPREF: &[&str] = &["expref"];
const ANY: &[&str] = &[];

static SIGNATURES: [Signature; 26] = [
    ("abs", &[NUMBER], false),
    ("avg", &[&["array-number"]], false),
    ("ceil", &[NUMBER], false),
    ("contains", &[&["array", "string"], ANY], false),
    ("ends_with", &[STRING, STRING], false),
    ("floor", &[NUMBER], false),
    ("join", &[STRING, &["array-string"]], false),
    ("keys", &[OBJECT], false),
    ("length", &[&["string", "array", "object"]], false),
    ("map", &[EXPREF, ARRAY], false),
    ("max", &[&["array-number", "array-string"]], false),
    ("max_by", &[ARRAY, EXPREF], false),
    ("merge", &[OBJECT], true),
    ("min", &[&["array-number", "array-string"]], false),
    ("min_by", &[ARRAY, EXPREF], false),
    ("not_null", &[ANY], true),
    ("reverse", &[&["array", "string"]], false),
    ("sort", &[&["array-string", "array-number"]], false),
    ("sort_by", &[ARRAY, EXPREF], false),
    ("starts_with", &[STRING, STRING], false),
    ("sum", &[&["array-number"]], false),
    ("to_array", &[ANY], false),
    ("to_number", &[ANY], false),
    ("to_string", &[ANY], false),
    ("type", &[ANY], false),
    ("values", &[OBJECT], false),
];

/// Calls the function `name` with evaluated arguments: Python's checks of the name, the number
/// of arguments and their types, in that order, then the function.
pub(super) fn call(name: &str, arguments: Vec<Argument<'_>>) -> Evaluated {
    let (_, signature, variadic) = SIGNATURES
        .iter()
        .find(|(known, _, _)| *known == name)
        .ok_or_else(|| format!("Unknown function: {name}()"))?;
    check_arity(name, signature.len(), *variadic, arguments.len())?;
    for (types, argument) in signature.iter().zip(&arguments) {
        check_type(name, types, argument)?;
    }
    let mut expression = None;
    let mut values = Vec::with_capacity(arguments.len());
    for argument in arguments {
        match argument {
            Argument::Value(value) => values.push(value),
            Argument::Expression(ast) => {
                expression = Some(ast);
                values.push(Value::Null);
            }
        }
    }
    run(name, &values, expression.unwrap_or(&Ast::Identity))
}

fn check_arity(name: &str, expected: usize, variadic: bool, actual: usize) -> Result<(), String> {
    let plural = if expected == 1 { "" } else { "s" };
    if variadic && actual < expected {
        return Err(format!(
            "Expected at least {expected} argument{plural} for function {name}(), received {actual}"
        ));
    }
    if !variadic && actual != expected {
        return Err(format!(
            "Expected {expected} argument{plural} for function {name}(), received {actual}"
        ));
    }
    Ok(())
}

/// Python's `JMESPathTypeError` text.
fn type_error(name: &str, value: &str, received: &str, types: &[&str]) -> String {
    let expected: Vec<String> = types.iter().map(|t| format!("'{t}'")).collect();
    format!(
        "In function {name}(), invalid type for value: {value}, expected one of: [{}], received: \"{received}\"",
        expected.join(", ")
    )
}

/// Checks an argument against its accepted types (`array-number`: an array of numbers); an
/// array allowed several item types takes the type of its first item for all.
fn check_type(name: &str, types: &[&str], argument: &Argument<'_>) -> Result<(), String> {
    if types.is_empty() {
        return Ok(());
    }
    let actual = argument.jmespath_type();
    if !types.iter().any(|t| t.split('-').next() == Some(actual)) {
        return Err(type_error(name, &argument.text(), actual, types));
    }
    let item_types: Vec<&str> = types
        .iter()
        .filter_map(|t| t.split_once('-').map(|(_, item)| item))
        .collect();
    let Argument::Value(Value::Array(items)) = argument else {
        return Ok(());
    };
    let required = match (item_types.as_slice(), items.first()) {
        ([], _) | (_, None) => return Ok(()),
        ([only], _) => *only,
        (_, Some(first)) => *item_types
            .iter()
            .find(|t| **t == jmespath_type(first))
            .ok_or_else(|| type_error(name, &str_of(first), python_type(first), types))?,
    };
    match items.iter().find(|item| jmespath_type(item) != required) {
        Some(item) => Err(type_error(name, &str_of(item), python_type(item), types)),
        None => Ok(()),
    }
}

static NULL: Value = Value::Null;

/// The function's result, its arguments checked.
fn run(name: &str, values: &[Value], expression: &Ast) -> Evaluated {
    let first = values.first().unwrap_or(&NULL);
    let second = values.get(1).unwrap_or(&NULL);
    let items = first.as_array().map_or(&[][..], Vec::as_slice);
    Ok(match name {
        "abs" => number(first, |n| match n {
            Num::Int(i) => i.checked_abs().map_or(Num::Float((i as f64).abs()), Num::Int),
            Num::Float(f) => Num::Float(f.abs()),
        }),
        "avg" => average(items),
        "ceil" => number(first, |n| whole(n, f64::ceil)),
        "floor" => number(first, |n| whole(n, f64::floor)),
        "contains" => Value::Bool(contains(first, second)?),
        "ends_with" => Value::Bool(text(first).ends_with(text(second))),
        "starts_with" => Value::Bool(text(first).starts_with(text(second))),
        "join" => Value::String(
            second
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(text)
                .collect::<Vec<_>>()
                .join(text(first)),
        ),
        "keys" => Value::Array(object(first).keys().map(|k| Value::String(k.clone())).collect()),
        "values" => Value::Array(object(first).values().cloned().collect()),
        "length" => Value::from(length(first)),
        "map" => Value::Array(
            second
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|item| evaluate(expression, item))
                .collect::<Result<_, _>>()?,
        ),
        "max" => extreme(items, Ordering::Greater),
        "min" => extreme(items, Ordering::Less),
        "max_by" => extreme_by(name, items, expression, Ordering::Greater)?,
        "min_by" => extreme_by(name, items, expression, Ordering::Less)?,
        "merge" => merge(values)?,
        "not_null" => values.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null),
        "reverse" => reverse(first),
        "sort" => sort(items),
        "sort_by" => sort_by(items, expression)?,
        "sum" => sum(items).value(),
        "to_array" => match first {
            Value::Array(_) => first.clone(),
            other => Value::Array(vec![other.clone()]),
        },
        "to_number" => to_number(first),
        "to_string" => match first {
            Value::String(_) => first.clone(),
            other => Value::String(dumps(other)),
        },
        _ => Value::from(jmespath_type(first)),
    })
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn object(value: &Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

fn number(value: &Value, apply: impl Fn(Num) -> Num) -> Value {
    value.as_number().map_or(Value::Null, |n| apply(Num::of(n)).value())
}

/// `math.ceil`, `math.floor`: an `int` in Python 3.
fn whole(n: Num, round: fn(f64) -> f64) -> Num {
    match n {
        Num::Float(f) if round(f).abs() < 9.2e18 => Num::Int(round(f) as i64),
        Num::Float(f) => Num::Float(round(f)),
        int => int,
    }
}

/// Python's `sum()`: exact while the items are `int`, a float from the first `float` on.
fn sum(items: &[Value]) -> Num {
    items
        .iter()
        .filter_map(Value::as_number)
        .map(Num::of)
        .fold(Num::Int(0), |total, n| match (total, n) {
            (Num::Int(a), Num::Int(b)) => a.checked_add(b).map_or(Num::Float(a as f64 + b as f64), Num::Int),
            (total, n) => Num::Float(total.float() + n.float()),
        })
}

/// `sum(items) / len(items)`, always a float; null for no items.
fn average(items: &[Value]) -> Value {
    if items.is_empty() {
        return Value::Null;
    }
    float_value(sum(items).float() / items.len() as f64)
}

fn contains(subject: &Value, search: &Value) -> Result<bool, String> {
    match (subject, search) {
        (Value::Array(items), _) => Ok(items.iter().any(|item| python_equal(item, search))),
        (Value::String(text), Value::String(part)) => Ok(text.contains(part.as_str())),
        (_, other) => Err(format!(
            "'in <string>' requires string as left operand, not {}",
            python_type(other)
        )),
    }
}

fn length(value: &Value) -> usize {
    match value {
        Value::String(text) => text.chars().count(),
        Value::Array(items) => items.len(),
        Value::Object(map) => map.len(),
        _ => 0,
    }
}

fn reverse(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(text.chars().rev().collect()),
        Value::Array(items) => Value::Array(items.iter().rev().cloned().collect()),
        other => other.clone(),
    }
}

/// Python's `max()` (`wanted` Greater) or `min()`: the first of the best items.
fn extreme(items: &[Value], wanted: Ordering) -> Value {
    let mut best: Option<&Value> = None;
    for item in items {
        if best.is_none_or(|b| python_order(item, b) == Some(wanted)) {
            best = Some(item);
        }
    }
    best.cloned().unwrap_or(Value::Null)
}

/// `max_by`, `min_by`: the first item with the best key; keys must be numbers or strings, and
/// a string key compared with a number one is Python's `TypeError`.
fn extreme_by(name: &str, items: &[Value], expression: &Ast, wanted: Ordering) -> Evaluated {
    let symbol = if wanted == Ordering::Greater { ">" } else { "<" };
    let mut best: Option<(Value, &Value)> = None;
    for item in items {
        let key = evaluate(expression, item)?;
        let kind = jmespath_type(&key);
        if kind != "number" && kind != "string" {
            return Err(type_error(name, &str_of(&key), kind, &["number", "string"]));
        }
        let better = match &best {
            None => true,
            Some((best_key, _)) => {
                python_order(&key, best_key).ok_or_else(|| unorderable(symbol, &key, best_key))? == wanted
            }
        };
        if better {
            best = Some((key, item));
        }
    }
    Ok(best.map_or(Value::Null, |(_, item)| item.clone()))
}

fn sort(items: &[Value]) -> Value {
    let mut sorted = items.to_vec();
    sorted.sort_by(|a, b| python_order(a, b).unwrap_or(Ordering::Equal));
    Value::Array(sorted)
}

/// `sort_by`: the first item's key decides whether keys are numbers or strings; every key must
/// then be of that type.
fn sort_by(items: &[Value], expression: &Ast) -> Evaluated {
    let Some(first) = items.first() else {
        return Ok(Value::Array(Vec::new()));
    };
    let required = jmespath_type(&evaluate(expression, first)?);
    if required != "number" && required != "string" {
        return Err(type_error("sort_by", &str_of(first), required, &["string", "number"]));
    }
    let mut keyed = Vec::with_capacity(items.len());
    for item in items {
        let key = evaluate(expression, item)?;
        if jmespath_type(&key) != required {
            return Err(type_error("sort_by", &str_of(&key), jmespath_type(&key), &[required]));
        }
        keyed.push((key, item));
    }
    keyed.sort_by(|(a, _), (b, _)| python_order(a, b).unwrap_or(Ordering::Equal));
    Ok(Value::Array(keyed.into_iter().map(|(_, item)| item.clone()).collect()))
}

/// `merge`: Python's `dict.update` with each argument in turn (only the first is type checked,
/// so a later one that is not an object fails as `update` does, or adds its pairs).
fn merge(values: &[Value]) -> Evaluated {
    let mut merged = Map::new();
    for value in values {
        match value {
            Value::Object(map) => merged.extend(map.iter().map(|(k, v)| (k.clone(), v.clone()))),
            Value::Array(pairs) => add_pairs(&mut merged, pairs)?,
            Value::String(text) if !text.is_empty() => {
                return Err("dictionary update sequence element #0 has length 1; 2 is required".into());
            }
            Value::String(_) => {}
            other => return Err(format!("'{}' object is not iterable", python_type(other))),
        }
    }
    Ok(Value::Object(merged))
}

/// `dict.update` with a list of key and value pairs.
fn add_pairs(merged: &mut Map<String, Value>, pairs: &[Value]) -> Result<(), String> {
    for (i, pair) in pairs.iter().enumerate() {
        let (key, value) = match pair {
            Value::Array(kv) if kv.len() == 2 => (kv.first().unwrap_or(&NULL), kv.get(1).cloned().unwrap_or_default()),
            Value::String(kv) if kv.chars().count() == 2 => {
                let mut chars = kv.chars();
                let key = chars.next().map(String::from).unwrap_or_default();
                merged.insert(key, Value::String(chars.collect()));
                continue;
            }
            Value::Array(_) | Value::String(_) | Value::Object(_) => {
                return Err(format!(
                    "dictionary update sequence element #{i} has length {}; 2 is required",
                    length(pair)
                ));
            }
            _ => {
                return Err(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                ));
            }
        };
        let key = match key {
            Value::String(name) => name.clone(),
            Value::Array(_) | Value::Object(_) => return Err(format!("unhashable type: '{}'", python_type(key))),
            other => dumps(other),
        };
        merged.insert(key, value);
    }
    Ok(())
}

/// `to_number`: numbers as they are, strings read by Python's `int()` then `float()`, null for
/// the rest.
fn to_number(value: &Value) -> Value {
    match value {
        Value::Number(_) => value.clone(),
        Value::String(text) => {
            let text = text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c));
            python_int(text).map_or_else(
                || python_float(text).map_or(Value::Null, float_value),
                |i| Num::Int(i).value(),
            )
        }
        _ => Value::Null,
    }
}

/// Digits with single underscores between them, as Python's number literals allow.
fn is_digits(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('_')
        && !text.ends_with('_')
        && !text.contains("__")
        && text.chars().all(|c| c.is_ascii_digit() || c == '_')
}

fn unsigned(text: &str) -> &str {
    text.strip_prefix(['+', '-']).unwrap_or(text)
}

/// Python's `int(text)` in base 10 (within 64 bits).
fn python_int(text: &str) -> Option<i64> {
    if !is_digits(unsigned(text)) {
        return None;
    }
    text.replace('_', "").parse().ok()
}

/// Python's `float(text)`.
fn python_float(text: &str) -> Option<f64> {
    let body = unsigned(text).to_ascii_lowercase();
    if matches!(body.as_str(), "inf" | "infinity" | "nan") {
        return text.to_ascii_lowercase().parse().ok();
    }
    let (mantissa, exponent) = body.split_once('e').unwrap_or((&body, "0"));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let parts_ok = (is_digits(whole) || whole.is_empty())
        && (is_digits(fraction) || fraction.is_empty())
        && !(whole.is_empty() && fraction.is_empty())
        && is_digits(unsigned(exponent));
    if !parts_ok {
        return None;
    }
    text.replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_python_reads_them() {
        assert_eq!(to_number(&Value::from(" 1_000 ")), Value::from(1000));
        assert_eq!(to_number(&Value::from("1e3")), float_value(1000.0));
        assert_eq!(to_number(&Value::from(".5")), float_value(0.5));
        assert_eq!(to_number(&Value::from("5.")), float_value(5.0));
        assert_eq!(to_number(&Value::from("1__0")), Value::Null);
        assert_eq!(to_number(&Value::from("0x10")), Value::Null);
        assert_eq!(to_number(&Value::from("-7")), Value::from(-7));
    }

    #[test]
    fn sums_stay_integers_until_a_float() {
        let items = [Value::from(1), Value::from(2)];
        assert_eq!(sum(&items), Num::Int(3));
        let mixed = [Value::from(1), float_value(0.5)];
        assert_eq!(sum(&mixed), Num::Float(1.5));
    }
}
