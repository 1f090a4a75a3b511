//! Browser smoke test: the wasm exports load and answer in a real (headless) browser.
//!
//! Run with `cargo xtask test --only wasm`, which drives headless Chromium through
//! `wasm-bindgen-test-runner` (the `wasm32-unknown-unknown` runner in `.cargo/config.toml`).
#![cfg(target_arch = "wasm32")]
#![forbid(unsafe_code)]

use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Converts an export's result into a JS array, failing the test with the JS error otherwise.
fn as_array(result: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>) -> Array {
    let value = result.unwrap_or_else(|error| panic!("export threw: {error:?}"));
    value
        .dyn_into::<Array>()
        .unwrap_or_else(|value| panic!("expected a JS array, got {value:?}"))
}

#[wasm_bindgen_test]
fn tokenize_returns_one_token_per_lexeme() {
    let tokens = as_array(ecs_placement_wasm::tokenize("attribute:a == b"));
    assert_eq!(tokens.length(), 3, "tokens: {tokens:?}");
}

#[wasm_bindgen_test]
fn check_reports_one_diagnostic() {
    let diagnostics = as_array(ecs_placement_wasm::check("agentVersion =~ 1.*"));
    assert_eq!(diagnostics.length(), 1, "diagnostics: {diagnostics:?}");
}
