//! Decision D18 in the browser: the wasm build gives exactly the responses the native build
//! gives (and commits) for the same scenario, seed and commands.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const SCENARIO: &str = include_str!("../../../tests/scenarios/blog-cluster.json");
const SCRIPT: &str = include_str!("../../ecs-placement/tests/fixtures/determinism/script.sh");
const EXPECTED: &str = include_str!("../../ecs-placement/tests/fixtures/determinism/responses.json");

#[wasm_bindgen_test]
fn wasm_places_exactly_like_native() {
    let scenario = js_sys::JSON::parse(SCENARIO).unwrap();
    let trace = ecs_placement_wasm::run_script(scenario, SCRIPT, JsValue::UNDEFINED, None).unwrap();
    // The timeline as the page receives it, as JSON text (key order as the core wrote it).
    let text = js_sys::JSON::stringify(&trace).unwrap().as_string().unwrap();
    let trace: Value = serde_json::from_str(&text).unwrap();
    let commands = trace["commands"].as_array().unwrap();
    let responses: Vec<Value> = commands
        .iter()
        .map(|command| {
            let report = &command["report"];
            assert!(report.get("error").is_none(), "{report}");
            report["response"].clone()
        })
        .collect();
    let expected: Vec<Value> = serde_json::from_str(EXPECTED).unwrap();
    assert_eq!(responses.len(), expected.len());
    for (index, (actual, wanted)) in responses.iter().zip(&expected).enumerate() {
        assert_eq!(actual, wanted, "command {} of the determinism script", index + 1);
    }
    // Byte for byte, as the native test compares them.
    let actual = ecs_placement::json::to_pretty(&responses) + "\n";
    assert!(actual == EXPECTED, "the responses differ from the native fixture");
}
