//! `--query` against the `jmespath` crate on random expressions (from a small grammar covering
//! every kind of node and every built-in function) and random JSON documents: both must fail,
//! or give equal values (numbers by value, objects whatever their key order, as the crate sorts
//! keys).
//!
//! Ours follows Python's `jmespath` where the crate differs; the generators steer clear of those
//! places, and the one left is accepted by [`python_differs`]:
//! - ordering a number against a string is Python's `TypeError` (the crate gives null): the
//!   grammar only orders against number literals, so the other side may be a string;
//! - `avg([])` is null in Python (the crate fails, as it makes a NaN);
//! - `merge` checks only its first argument's type in Python, so a later empty array or string
//!   adds nothing (the crate fails);
//! - Python orders two strings (the crate gives null): never generated (see above);
//! - inside arrays and objects Python's `True == 1` (the crate says no): the documents hold no
//!   0 or 1;
//! - `keys`, `values` and `*` follow the object's order (the crate sorts keys): the documents'
//!   and the multiselect hashes' keys are written in sorted order, and `merge` adds a last key
//!   (`e`) or starts with the first (`a`), so its result's keys are in sorted order too;
//! - `to_string` is Python's `json.dumps` (ASCII only, Python floats, keys in order): strings
//!   compare as the JSON they hold when both hold JSON;
//! - after an index, a slice does not project in Python (`a[0][1:]`): slices follow only a
//!   field or `@`;
//! - in Python a multiselect after a dot ends a projection's right side, so brackets after it
//!   apply to the whole projection (`[?c].{a: a}[*]` is `([?c].{a: a})[*]`; the crate applies
//!   them to each multiselect): the right side of a generated filter is a field;
//! - in Python the right side of `.*` ends at a filter, which then filters the whole projection
//!   (`a.*[?c]` filters `a.*`; the crate filters each value): a generated `.*` is in
//!   parentheses.

use ecs_placement::aws::output::search;
use proptest::prelude::*;
use serde_json::{Map, Value};

/// A document: objects with keys among `a`..`d` (written in sorted order), numbers without 0
/// and 1, a few strings.
fn document() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (2i64..9).prop_map(Value::from),
        (-9i64..-1).prop_map(Value::from),
        prop::sample::select(vec!["x", "y", "ab", "2", ""]).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(vec!["a", "b", "c", "d"]), inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())),
        ]
    })
}

/// An expression of the grammar.
fn expression() -> impl Strategy<Value = String> {
    let field = prop::sample::select(vec!["a", "b", "c", "d", "\"a\""]).prop_map(String::from);
    let leaf = prop_oneof![
        3 => field.clone(),
        1 => Just("@".to_string()),
        1 => prop::sample::select(vec!["`2`", "`\"x\"`", "`[2, 3]`", "`{\"a\": 2}`", "'y'", "`null`", "`true`"])
            .prop_map(String::from),
        1 => (field, slice()).prop_map(|(f, s)| format!("{f}{s}")),
        1 => slice().prop_map(|s| format!("@{s}")),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        let e = || inner.clone();
        prop_oneof![
            (e(), prop::sample::select(vec!["a", "b", "c", "d"])).prop_map(|(x, f)| format!("{x}.{f}")),
            (e(), -3i64..3).prop_map(|(x, i)| format!("{x}[{i}]")),
            (e(), prop::sample::select(vec!["[*]", "[]"])).prop_map(|(x, p)| format!("{x}{p}")),
            e().prop_map(|x| format!("({x}.*)")),
            (e(), e(), prop::sample::select(vec!["a", "b", "c", "d"])).prop_map(|(x, c, f)| format!("{x}[?{c}].{f}")),
            (e(), e()).prop_map(|(x, c)| format!("{x}[?{c}]")),
            (e(), e()).prop_map(|(x, y)| format!("[{x}, {y}]")),
            (e(), e()).prop_map(|(x, y)| format!("{{a: {x}, b: {y}}}")),
            (e(), e(), prop::sample::select(vec!["|", "||", "&&", "==", "!="]))
                .prop_map(|(x, y, op)| format!("({x} {op} {y})")),
            (e(), prop::sample::select(vec!["<", "<=", ">", ">="]), -3i64..9)
                .prop_map(|(x, op, n)| format!("({x} {op} `{n}`)")),
            e().prop_map(|x| format!("!({x})")),
            function(e()),
        ]
    })
}

/// `[start:stop:step]` with each part optional (no zero step).
fn slice() -> impl Strategy<Value = String> {
    let part = || prop::option::of(-4i64..4);
    (
        part(),
        part(),
        prop::option::of(prop::sample::select(vec![-2i64, -1, 1, 2, 3])),
    )
        .prop_map(|(a, b, c)| {
            let show = |p: Option<i64>| p.map(|n| n.to_string()).unwrap_or_default();
            match c {
                Some(step) => format!("[{}:{}:{step}]", show(a), show(b)),
                None => format!("[{}:{}]", show(a), show(b)),
            }
        })
}

/// A call of one of the 26 built-in functions.
fn function(e: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let one = prop::sample::select(vec![
        "abs",
        "avg",
        "ceil",
        "floor",
        "keys",
        "length",
        "max",
        "min",
        "not_null",
        "reverse",
        "sort",
        "sum",
        "to_array",
        "to_number",
        "to_string",
        "type",
        "values",
    ]);
    let by = prop::sample::select(vec!["max_by", "min_by", "sort_by"]);
    prop_oneof![
        (one, e.clone()).prop_map(|(f, x)| format!("{f}({x})")),
        (by, e.clone(), e.clone()).prop_map(|(f, x, k)| format!("{f}({x}, &{k})")),
        (e.clone(), e.clone()).prop_map(|(k, x)| format!("map(&{k}, {x})")),
        e.clone().prop_map(|x| format!("merge({x}, `{{\"e\": 2}}`)")),
        e.clone().prop_map(|x| format!("merge(`{{\"a\": 2}}`, {x})")),
        (e.clone(), e.clone()).prop_map(|(x, y)| format!("not_null({x}, {y})")),
        e.clone().prop_map(|x| format!("contains({x}, 'x')")),
        e.clone().prop_map(|x| format!("starts_with({x}, 'a')")),
        e.clone().prop_map(|x| format!("ends_with({x}, 'b')")),
        e.prop_map(|x| format!("join('-', {x})")),
    ]
}

/// The crate's answer, as a JSON value.
fn crate_search(expression: &str, document: &Value) -> Result<Value, String> {
    let compiled = jmespath::compile(expression).map_err(|e| e.to_string())?;
    let found = compiled.search(document).map_err(|e| e.to_string())?;
    serde_json::to_value(&*found).map_err(|e| e.to_string())
}

/// Equal as the comparison of this test sees values (see the module's comment).
fn same(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::String(x), Value::String(y)) if x != y => {
            match (serde_json::from_str::<Value>(x), serde_json::from_str::<Value>(y)) {
                (Ok(p), Ok(q)) => same(&p, &q),
                _ => false,
            }
        }
        _ => ours == theirs,
    }
}

/// Where Python's behaviour, which ours follows, is known to differ from the crate's (see the
/// module's comment).
fn python_differs(ours: &Result<Value, String>, theirs: &Result<Value, String>) -> bool {
    match (ours, theirs) {
        (Err(message), Ok(_)) => message.contains("not supported between instances of"),
        (Ok(_), Err(message)) => {
            message.contains("Expected to be a valid f64") || message.contains("Argument 1 expects type object")
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn queries_agree_with_the_jmespath_crate(expression in expression(), document in document()) {
        let ours = search(&expression, &document).map_err(|e| e.message);
        let theirs = crate_search(&expression, &document);
        let agree = match (&ours, &theirs) {
            (Ok(a), Ok(b)) => same(a, b),
            (Err(_), Err(_)) => true,
            _ => python_differs(&ours, &theirs),
        };
        prop_assert!(agree, "`{}` on {}:\nours   {:?}\ncrate  {:?}", expression, document, ours, theirs);
    }
}
