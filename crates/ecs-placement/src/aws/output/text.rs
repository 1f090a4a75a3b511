//! `--output text`: the AWS CLI v1's `awscli/text.py`, rule for rule. Scalars on their own
//! line; a list of scalars on one tab-separated line (one `IDENTIFIER\tvalue` line each when
//! it sits under a key); a dict's scalar values on one line, sorted by key, after its key in
//! capitals; nested values after, each under its own key.

use super::python::str_of;
use serde_json::{Map, Value};

/// The text the AWS CLI prints for `value`.
pub fn format(value: &Value) -> String {
    let mut out = String::new();
    format_value(value, &mut out, None, None);
    out
}

fn format_value(item: &Value, out: &mut String, identifier: Option<&str>, scalar_keys: Option<&[String]>) {
    match item {
        Value::Object(map) => format_dict(scalar_keys, map, identifier, out),
        Value::Array(items) => format_list(items, identifier, out),
        scalar => {
            out.push_str(&str_of(scalar));
            out.push('\n');
        }
    }
}

fn is_nested(value: &Value) -> bool {
    matches!(value, Value::Array(_) | Value::Object(_))
}

fn format_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let keys = all_scalar_keys(items);
        for element in items {
            format_value(element, out, identifier, Some(&keys));
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, nested): (Vec<&Value>, Vec<&Value>) = items.iter().partition(|v| !is_nested(v));
        if !scalars.is_empty() {
            format_scalar_list(&scalars, identifier, out);
        }
        for element in nested {
            format_value(element, out, identifier, None);
        }
    } else {
        format_scalar_list(&items.iter().collect::<Vec<_>>(), identifier, out);
    }
}

fn format_scalar_list(items: &[&Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(identifier) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", upper(identifier), str_of(item)));
            }
        }
        None => {
            out.push_str(&items.iter().map(|v| str_of(v)).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
    }
}

fn format_dict(scalar_keys: Option<&[String]>, map: &Map<String, Value>, identifier: Option<&str>, out: &mut String) {
    let (mut scalars, nested) = partition_dict(map, scalar_keys);
    if !scalars.is_empty() {
        if let Some(identifier) = identifier {
            scalars.insert(0, upper(identifier));
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in nested {
        format_value(value, out, Some(key), None);
    }
}

/// The keys with scalar values in any of the dicts, sorted.
fn all_scalar_keys(items: &[Value]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|m| m.iter().filter(|(_, v)| !is_nested(v)).map(|(k, _)| k.clone()))
        .collect();
    crate::order::sort_stable_by(&mut keys, |a, b| a.cmp(b));
    keys.dedup();
    keys
}

/// A dict's scalar values (as text, in key order) and its other entries (sorted by key).
fn partition_dict<'a>(
    map: &'a Map<String, Value>,
    scalar_keys: Option<&[String]>,
) -> (Vec<String>, Vec<(&'a str, &'a Value)>) {
    let mut sorted: Vec<(&String, &Value)> = map.iter().collect();
    crate::order::sort_stable_by(&mut sorted, |a, b| a.0.cmp(b.0));
    match scalar_keys {
        None => {
            let scalars = sorted
                .iter()
                .filter(|(_, v)| !is_nested(v))
                .map(|(_, v)| str_of(v))
                .collect();
            let nested = sorted
                .into_iter()
                .filter(|(_, v)| is_nested(v))
                .map(|(k, v)| (k.as_str(), v))
                .collect();
            (scalars, nested)
        }
        Some(keys) => {
            let scalars = keys
                .iter()
                .map(|k| map.get(k).map_or_else(String::new, str_of))
                .collect();
            let nested = sorted
                .into_iter()
                .filter(|(k, _)| !keys.contains(k))
                .map(|(k, v)| (k.as_str(), v))
                .collect();
            (scalars, nested)
        }
    }
}

/// Python's `str.upper()` for the ASCII letters; other characters are kept as they are (Rust's
/// full Unicode case tables would add kilobytes to the browser's module for keys that AWS
/// responses never have).
fn upper(identifier: &str) -> String {
    identifier.to_ascii_uppercase()
}
