//! The JMESPath interpreter, as Python's `TreeInterpreter` runs a parsed expression: fields of
//! objects only, Python's negative indexes and slices, projections that drop null results,
//! ordering comparisons of numbers and of strings (null for other types, a `TypeError` for a
//! number against a string), and multiselects of null giving null.

use super::functions::{self, Argument};
use super::parser::{Ast, Comparator};
use super::values::{equal, is_true, python_order, unorderable};
use serde_json::{Map, Value};
use std::cmp::Ordering;

/// The result of an expression, or the text of the exception Python raises.
pub(super) type Evaluated = Result<Value, String>;

/// Runs `ast` on `value`.
pub(super) fn evaluate(ast: &Ast, value: &Value) -> Evaluated {
    match ast {
        Ast::Identity => Ok(value.clone()),
        Ast::Field(name) => Ok(value.get(name.as_str()).cloned().unwrap_or(Value::Null)),
        Ast::Literal(literal) => Ok(literal.clone()),
        Ast::Index(index) => Ok(index_of(value, *index)),
        Ast::Slice(parts) => slice(value, *parts),
        Ast::Chain(steps) | Ast::IndexChain(steps) => chain(steps, value),
        Ast::Projection(left, right) => match evaluate(left, value)? {
            Value::Array(items) => project(&mut items.iter(), right, None),
            _ => Ok(Value::Null),
        },
        Ast::ValueProjection(left, right) => match evaluate(left, value)? {
            Value::Object(map) => project(&mut map.values(), right, None),
            _ => Ok(Value::Null),
        },
        Ast::Filter { left, right, condition } => match evaluate(left, value)? {
            Value::Array(items) => project(&mut items.iter(), right, Some(condition)),
            _ => Ok(Value::Null),
        },
        Ast::Flatten(inner) => Ok(flatten(evaluate(inner, value)?)),
        Ast::MultiList(items) if !value.is_null() => multi_list(items, value),
        Ast::MultiHash(pairs) if !value.is_null() => multi_hash(pairs, value),
        Ast::MultiList(_) | Ast::MultiHash(_) | Ast::ExpRef(_) => Ok(Value::Null),
        Ast::Compare(comparator, left, right) => {
            compare(*comparator, &evaluate(left, value)?, &evaluate(right, value)?)
        }
        Ast::Or(left, right) => {
            let found = evaluate(left, value)?;
            if is_true(&found) {
                Ok(found)
            } else {
                evaluate(right, value)
            }
        }
        Ast::And(left, right) => {
            let found = evaluate(left, value)?;
            if is_true(&found) {
                evaluate(right, value)
            } else {
                Ok(found)
            }
        }
        Ast::Not(inner) => Ok(Value::Bool(!is_true(&evaluate(inner, value)?))),
        Ast::Function(name, arguments) => call(name, arguments, value),
    }
}

fn chain(steps: &[Ast], value: &Value) -> Evaluated {
    let mut current = value.clone();
    for step in steps {
        current = evaluate(step, &current)?;
    }
    Ok(current)
}

/// `right` of each item (that meets the `condition` of a filter), without the null results;
/// each item's condition and right side are evaluated in turn, as Python does (which shows in
/// which error comes first).
fn project(items: &mut dyn Iterator<Item = &Value>, right: &Ast, condition: Option<&Ast>) -> Evaluated {
    let mut collected = Vec::new();
    for item in items {
        let meets = match condition {
            Some(condition) => is_true(&evaluate(condition, item)?),
            None => true,
        };
        if !meets {
            continue;
        }
        let found = evaluate(right, item)?;
        if !found.is_null() {
            collected.push(found);
        }
    }
    Ok(Value::Array(collected))
}

fn flatten(base: Value) -> Value {
    let Value::Array(items) = base else {
        return Value::Null;
    };
    let mut merged = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Array(inner) => merged.extend(inner),
            other => merged.push(other),
        }
    }
    Value::Array(merged)
}

fn multi_list(items: &[Ast], value: &Value) -> Evaluated {
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        list.push(evaluate(item, value)?);
    }
    Ok(Value::Array(list))
}

fn multi_hash(pairs: &[(String, Ast)], value: &Value) -> Evaluated {
    let mut map = Map::new();
    for (key, item) in pairs {
        map.insert(key.clone(), evaluate(item, value)?);
    }
    Ok(Value::Object(map))
}

/// `value[index]` of an array, from the end when negative; null outside it.
fn index_of(value: &Value, index: i64) -> Value {
    let Value::Array(items) = value else {
        return Value::Null;
    };
    let position = if index < 0 {
        usize::try_from(index.unsigned_abs())
            .ok()
            .and_then(|back| items.len().checked_sub(back))
    } else {
        usize::try_from(index).ok()
    };
    position.and_then(|p| items.get(p)).cloned().unwrap_or(Value::Null)
}

/// Python's `list[start:stop:step]`; a step of zero is Python's `ValueError`.
fn slice(value: &Value, [start, stop, step]: [Option<i64>; 3]) -> Evaluated {
    let Value::Array(items) = value else {
        return Ok(Value::Null);
    };
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err("slice step cannot be zero".into());
    }
    let length = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let (lower, upper) = if step < 0 { (-1, length - 1) } else { (0, length) };
    let bound = |given: Option<i64>, default: i64| match given {
        None => default,
        Some(i) if i < 0 => (i + length).max(lower),
        Some(i) => i.min(upper),
    };
    let (mut i, end) = if step < 0 {
        (bound(start, upper), bound(stop, lower))
    } else {
        (bound(start, lower), bound(stop, upper))
    };
    let mut picked = Vec::new();
    while (step > 0 && i < end) || (step < 0 && i > end) {
        if let Some(item) = usize::try_from(i).ok().and_then(|p| items.get(p)) {
            picked.push(item.clone());
        }
        i = i.saturating_add(step);
    }
    Ok(Value::Array(picked))
}

fn compare(comparator: Comparator, left: &Value, right: &Value) -> Evaluated {
    let order = match comparator {
        Comparator::Eq => return Ok(Value::Bool(equal(left, right))),
        Comparator::Ne => return Ok(Value::Bool(!equal(left, right))),
        _ if !comparable(left) || !comparable(right) => return Ok(Value::Null),
        _ => python_order(left, right).ok_or_else(|| unorderable(comparator.symbol(), left, right))?,
    };
    Ok(Value::Bool(match comparator {
        Comparator::Lt => order == Ordering::Less,
        Comparator::Lte => order != Ordering::Greater,
        Comparator::Gt => order == Ordering::Greater,
        _ => order != Ordering::Less,
    }))
}

/// Numbers and strings can be ordered (other types give null).
fn comparable(value: &Value) -> bool {
    matches!(value, Value::Number(_) | Value::String(_))
}

/// Evaluates the arguments (an `&expression` stays an expression) and calls the function.
fn call(name: &str, arguments: &[Ast], value: &Value) -> Evaluated {
    let mut resolved = Vec::with_capacity(arguments.len());
    for argument in arguments {
        resolved.push(match argument {
            Ast::ExpRef(expression) => Argument::Expression(expression),
            other => Argument::Value(evaluate(other, value)?),
        });
    }
    functions::call(name, resolved)
}
