//! The 26 built-in functions of Python's `jmespath/functions.py`: their signatures and type
//! checks (with the library's error messages, which name JMESPath types for an argument and
//! Python types for an array's item), and their results as Python computes them (`int` or
//! `float`, the first of equal maxima, stable sorts, objects in insertion order).

use super::eval::{Evaluated, evaluate};
use super::parser::Ast;
use super::values::{Num, dumps, float_value, jmespath_type, python_equal, python_order, unorderable};
use crate::aws::output::python::str_of;
use crate::aws::output::python::type_name as python_type;
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

/// A built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Builtin {
    Abs,
    Avg,
    Ceil,
    Contains,
    EndsWith,
    Floor,
    Join,
    Keys,
    Length,
    Map,
    Max,
    MaxBy,
    Merge,
    Min,
    MinBy,
    NotNull,
    Reverse,
    Sort,
    SortBy,
    StartsWith,
    Sum,
    ToArray,
    ToNumber,
    ToString,
    Type,
    Values,
}

/// A function's name, the function, the types each argument accepts (none: any), and whether
/// more arguments of the last kind may follow.
type Signature = (&'static str, Builtin, &'static [&'static [&'static str]], bool);

const NUMBER: &[&str] = &["number"];
const STRING: &[&str] = &["string"];
const OBJECT: &[&str] = &["object"];
const ARRAY: &[&str] = &["array"];
const EXPREF: &[&str] = &["expref"];
const ANY: &[&str] = &[];

static SIGNATURES: [Signature; 26] = [
    ("abs", Builtin::Abs, &[NUMBER], false),
    ("avg", Builtin::Avg, &[&["array-number"]], false),
    ("ceil", Builtin::Ceil, &[NUMBER], false),
    ("contains", Builtin::Contains, &[&["array", "string"], ANY], false),
    ("ends_with", Builtin::EndsWith, &[STRING, STRING], false),
    ("floor", Builtin::Floor, &[NUMBER], false),
    ("join", Builtin::Join, &[STRING, &["array-string"]], false),
    ("keys", Builtin::Keys, &[OBJECT], false),
    ("length", Builtin::Length, &[&["string", "array", "object"]], false),
    ("map", Builtin::Map, &[EXPREF, ARRAY], false),
    ("max", Builtin::Max, &[&["array-number", "array-string"]], false),
    ("max_by", Builtin::MaxBy, &[ARRAY, EXPREF], false),
    ("merge", Builtin::Merge, &[OBJECT], true),
    ("min", Builtin::Min, &[&["array-number", "array-string"]], false),
    ("min_by", Builtin::MinBy, &[ARRAY, EXPREF], false),
    ("not_null", Builtin::NotNull, &[ANY], true),
    ("reverse", Builtin::Reverse, &[&["array", "string"]], false),
    ("sort", Builtin::Sort, &[&["array-string", "array-number"]], false),
    ("sort_by", Builtin::SortBy, &[ARRAY, EXPREF], false),
    ("starts_with", Builtin::StartsWith, &[STRING, STRING], false),
    ("sum", Builtin::Sum, &[&["array-number"]], false),
    ("to_array", Builtin::ToArray, &[ANY], false),
    ("to_number", Builtin::ToNumber, &[ANY], false),
    ("to_string", Builtin::ToString, &[ANY], false),
    ("type", Builtin::Type, &[ANY], false),
    ("values", Builtin::Values, &[OBJECT], false),
];

/// Calls the function `name` with evaluated arguments: Python's checks of the name, the number
/// of arguments and their types, in that order, then the function.
pub(super) fn call(name: &str, arguments: Vec<Argument<'_>>) -> Evaluated {
    let (_, function, signature, variadic) = SIGNATURES
        .iter()
        .find(|(known, ..)| *known == name)
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
    if *function == Builtin::Type && expression.is_some() {
        // Python's `type()` knows no `_Expression`: it answers None.
        return Ok(Value::Null);
    }
    run(*function, &values, expression.unwrap_or(&Ast::Identity))
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
fn run(function: Builtin, values: &[Value], expression: &Ast) -> Evaluated {
    let first = values.first().unwrap_or(&NULL);
    let second = values.get(1).unwrap_or(&NULL);
    let items = first.as_array().map_or(&[][..], Vec::as_slice);
    Ok(match function {
        Builtin::Abs => number(first, |n| match n {
            Num::Int(i) => i.checked_abs().map_or(Num::Float((i as f64).abs()), Num::Int),
            Num::Float(f) => Num::Float(f.abs()),
        }),
        Builtin::Avg => average(items),
        Builtin::Ceil => number(first, |n| whole(n, f64::ceil)),
        Builtin::Floor => number(first, |n| whole(n, f64::floor)),
        Builtin::Contains => Value::Bool(contains(first, second)?),
        Builtin::EndsWith => Value::Bool(text(first).ends_with(text(second))),
        Builtin::StartsWith => Value::Bool(text(first).starts_with(text(second))),
        Builtin::Join => Value::String(
            second
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(text)
                .collect::<Vec<_>>()
                .join(text(first)),
        ),
        Builtin::Keys => Value::Array(entries(first).map(|(k, _)| Value::String(k.clone())).collect()),
        Builtin::Values => Value::Array(entries(first).map(|(_, v)| v.clone()).collect()),
        Builtin::Length => Value::from(length(first)),
        Builtin::Map => Value::Array(
            second
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|item| evaluate(expression, item))
                .collect::<Result<_, _>>()?,
        ),
        Builtin::Max => extreme(items, Ordering::Greater),
        Builtin::Min => extreme(items, Ordering::Less),
        Builtin::MaxBy => extreme_by("max_by", items, expression, Ordering::Greater)?,
        Builtin::MinBy => extreme_by("min_by", items, expression, Ordering::Less)?,
        Builtin::Merge => merge(values)?,
        Builtin::NotNull => values.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null),
        Builtin::Reverse => reverse(first),
        Builtin::Sort => sort(items),
        Builtin::SortBy => sort_by(items, expression)?,
        Builtin::Sum => sum(items).value(),
        Builtin::ToArray => match first {
            Value::Array(_) => first.clone(),
            other => Value::Array(vec![other.clone()]),
        },
        Builtin::ToNumber => to_number(first),
        Builtin::ToString => match first {
            Value::String(_) => first.clone(),
            other => Value::String(dumps(other)),
        },
        Builtin::Type => Value::from(jmespath_type(first)),
    })
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

/// The keys and values of an object (none for other values).
fn entries(value: &Value) -> impl Iterator<Item = (&String, &Value)> {
    value.as_object().into_iter().flatten()
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
    Value::Array(in_key_order(items, items))
}

/// `items` in the order of their `keys` (Python's stable sort); keys are numbers or strings.
fn in_key_order(items: &[Value], keys: &[Value]) -> Vec<Value> {
    let order = crate::order::stable_order(keys.len(), &|a, b| match (keys.get(a), keys.get(b)) {
        (Some(a), Some(b)) => python_order(a, b).unwrap_or(Ordering::Equal),
        _ => Ordering::Equal,
    });
    order.into_iter().filter_map(|i| items.get(i)).cloned().collect()
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
    let mut keys = Vec::with_capacity(items.len());
    for item in items {
        let key = evaluate(expression, item)?;
        if jmespath_type(&key) != required {
            return Err(type_error("sort_by", &str_of(&key), jmespath_type(&key), &[required]));
        }
        keys.push(key);
    }
    Ok(Value::Array(in_key_order(items, &keys)))
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

/// `dict.update` with a list of key and value pairs (an item is iterated as Python does: an
/// object gives its keys, a string its characters).
fn add_pairs(merged: &mut Map<String, Value>, pairs: &[Value]) -> Result<(), String> {
    for (i, pair) in pairs.iter().enumerate() {
        let two: Vec<Value> = match pair {
            Value::Array(items) => items.clone(),
            Value::String(text) => text.chars().map(|c| Value::String(c.into())).collect(),
            Value::Object(map) => map.keys().map(|k| Value::String(k.clone())).collect(),
            _ => {
                return Err(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                ));
            }
        };
        let [key, value] = <[Value; 2]>::try_from(two).map_err(|two| {
            format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                two.len()
            )
        })?;
        let key = match key {
            Value::String(name) => name,
            Value::Array(_) | Value::Object(_) => return Err(format!("unhashable type: '{}'", python_type(&key))),
            other => dumps(&other),
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
        return crate::decimal::parse_f64(&text.to_ascii_lowercase());
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
    crate::decimal::parse_f64(&text.replace('_', ""))
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
