//! `tokenize` and `explain`, the names issue #2 gives the CQL exports, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

#[wasm_bindgen_test]
fn tokenize_returns_the_lexer_tokens_with_classes() {
    let tokens =
        js_sys::Array::from(&ecs_placement_wasm::tokenize("attribute:stack == 'prod' and not(x exists)").unwrap());
    let kinds: Vec<String> = tokens.iter().map(|t| get(&t, "kind").as_string().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "subject",
            "operator",
            "string",
            "keyword",
            "keyword",
            "punctuation",
            "subject",
            "operator",
            "punctuation"
        ]
    );
    let first_span = get(&tokens.get(0), "span");
    assert_eq!(get(&first_span, "end").as_f64(), Some(15.0));
}

#[wasm_bindgen_test]
fn explain_gives_one_instances_truth_table() {
    let scenario = ecs_placement_wasm::load_preset(
        "sample",
        ecs_placement::presets::embedded::text("sample.json").map(str::to_string),
    )
    .unwrap();
    let outcome = ecs_placement_wasm::explain(
        scenario.clone(),
        "attribute:ecs.instance-type =~ t2.* and agentVersion < 1.14.5",
        "i-abcd1234",
    )
    .unwrap();
    let matched = get(&outcome, "match");
    assert_eq!(get(&matched, "matched").as_bool(), Some(true));
    assert_eq!(js_sys::Array::from(&get(&matched, "clauses")).length(), 3);
    let broken = ecs_placement_wasm::explain(scenario.clone(), "attribute:x = y", "i-abcd1234").unwrap();
    assert!(get(&broken, "match").is_undefined());
    assert_eq!(js_sys::Array::from(&get(&broken, "diagnostics")).length(), 1);
    let unknown = ecs_placement_wasm::explain(scenario, "attribute:x == y", "i-nope").unwrap_err();
    assert!(
        get(&unknown, "message")
            .as_string()
            .unwrap()
            .contains("no container instance `i-nope`")
    );
}
