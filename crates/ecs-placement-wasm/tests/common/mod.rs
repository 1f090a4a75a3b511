//! What the browser tests share: converting between JS values and JSON, the presets and the
//! blog examples they run.
// Each test crate compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

use ecs_placement_wasm as api;
use serde_json::{Map, Value, json};
use wasm_bindgen::JsValue;

/// A JS value (an export's result) as JSON, to compare with `json!` literals.
pub fn to_json(value: &JsValue) -> Value {
    serde_wasm_bindgen::from_value(value.clone()).expect("the result converts to JSON")
}

/// JSON text as a plain JS object (what the page passes in).
pub fn parse_js(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("valid JSON")
}

/// A JSON literal as a plain JS object (what the page passes in).
pub fn to_js(value: &Value) -> JsValue {
    parse_js(&value.to_string())
}

/// The `sample` preset.
pub fn sample() -> JsValue {
    api::load_preset("sample").expect("the sample preset loads")
}

/// The `blog` preset.
pub fn blog() -> JsValue {
    api::load_preset("blog").expect("the blog preset loads")
}

/// What the page passes to `runScript` and `explainTask`: keep going, explain nothing.
pub fn page_options() -> JsValue {
    to_js(&json!({"keepGoing": true}))
}

/// The blog example called `name` (from `examples`).
pub fn example(name: &str) -> Value {
    to_json(&api::examples().unwrap())
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no example `{name}`"))
        .clone()
}

/// An example's `[[name, content]]` files as the `files` run option (name to content).
pub fn example_files(example: &Value) -> Map<String, Value> {
    example["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap().to_string(), pair[1].clone()))
        .collect()
}
