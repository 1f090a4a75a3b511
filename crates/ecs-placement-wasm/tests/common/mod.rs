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

/// The text of a preset file, as the page fetches it from `pkg/presets/` (here from the copy
/// compiled into the core for the tests).
pub fn preset_file(name: &str) -> String {
    ecs_placement::presets::embedded::text(name)
        .unwrap_or_else(|| panic!("no preset file `{name}`"))
        .to_string()
}

/// Loads a preset as the page does: the file `presets` names, fetched, given to `loadPreset`.
pub fn load_preset(name: &str) -> Result<JsValue, JsValue> {
    let presets = to_json(&api::presets().unwrap());
    let file = presets
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["file"].as_str());
    api::load_preset(name, file.map(preset_file))
}

/// The `sample` preset.
pub fn sample() -> JsValue {
    load_preset("sample").expect("the sample preset loads")
}

/// The `blog` preset.
pub fn blog() -> JsValue {
    load_preset("blog").expect("the blog preset loads")
}

/// What the page passes to `runScript` and `explainTask`: keep going, explain nothing.
pub fn page_options() -> JsValue {
    to_js(&json!({"keepGoing": true}))
}

/// The blog examples as the page holds them once it fetched their files: `examples` with the
/// text of the script (`script`) and of each file (`files: [[name, content]]`).
pub fn examples() -> Vec<Value> {
    let examples = to_json(&api::examples().unwrap());
    examples
        .as_array()
        .unwrap()
        .iter()
        .map(|example| {
            let mut example = example.clone();
            example["script"] = json!(preset_file(example["scriptFile"].as_str().unwrap()));
            let files: Vec<Value> = example["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|name| json!([name, preset_file(name.as_str().unwrap())]))
                .collect();
            example["files"] = json!(files);
            example
        })
        .collect()
}

/// The blog example called `name` (see [`examples`]).
pub fn example(name: &str) -> Value {
    examples()
        .into_iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no example `{name}`"))
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
