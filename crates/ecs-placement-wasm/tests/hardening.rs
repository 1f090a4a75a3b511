//! Issue 9's reproducers that reach the WebAssembly exports: hostile input is an error or a
//! correct result, never a trap (with `panic = "abort"` a panic or a stack overflow would take
//! every later call of the module down with it). After each one, the module still answers.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

mod common;

use common::{load_preset, parse_js, sample, to_js, to_json};
use ecs_placement_wasm as api;
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The message and `path` of a thrown `Error`.
fn thrown(result: Result<JsValue, JsValue>) -> (String, Option<String>) {
    let error = match result {
        Ok(value) => panic!("expected an Error, got {:?}", to_json(&value)),
        Err(error) => error,
    };
    assert!(error.is_instance_of::<js_sys::Error>(), "not an Error: {error:?}");
    let get = |name: &str| {
        js_sys::Reflect::get(&error, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
    };
    (get("message").unwrap_or_default(), get("path"))
}

/// The module still answers: the calls the page makes on every keystroke and at load.
fn still_alive() {
    assert_eq!(to_json(&api::check("attribute:a == b").unwrap()), json!([]));
    assert!(to_json(&api::tokenize("agentConnected == true").unwrap()).is_array());
    assert!(load_preset("sample").is_ok());
}

fn page_run(scenario: JsValue, script: &str, options: Value) -> Value {
    to_json(&api::run_script(scenario, script, to_js(&options), None).expect("runScript answers"))
}

fn error_text(trace: &Value, index: usize) -> String {
    trace["commands"][index]["report"]["error"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// 1. A `cmd=` share link with thousands of shorthand levels: a failed command, not a trap.
#[wasm_bindgen_test]
fn deep_shorthand_nesting_in_a_command_is_an_error() {
    for nested in [
        format!("a={}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!("a={}{}", "{a=".repeat(10_000), "}".repeat(10_000)),
    ] {
        let script = format!("aws ecs run-task --task-definition nouvelleApp --overrides '{nested}'");
        let trace = page_run(sample(), &script, json!({"explain": true, "keepGoing": true}));
        let text = error_text(&trace, 0);
        assert!(text.contains("deeper than 127 levels"), "{text}");
        still_alive();
    }
    // At the limit, the module's small stack still holds (debug build).
    let at_limit = format!("inferenceAcceleratorOverrides={}{}", "[".repeat(126), "]".repeat(126));
    let script = format!("aws ecs run-task --task-definition nouvelleApp --overrides '{at_limit}'");
    let trace = page_run(sample(), &script, json!({"explain": true, "keepGoing": true}));
    assert!(
        trace["commands"][0]["report"]["response"]["tasks"].is_array(),
        "{}",
        error_text(&trace, 0)
    );
    still_alive();
}

/// 1. A deeply nested JavaScript object where a scenario is expected: an Error, not a trap.
#[wasm_bindgen_test]
fn a_deeply_nested_object_is_an_error() {
    let deep = format!(
        r#"{{"version": 1, "instances": [], "taskDefinitions": [{{"family": "x", "deep": {}{}}}]}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    // A JavaScript object crosses as JSON text, read by the same reader as scenario text.
    let (message, _) = thrown(api::filter(parse_js(&deep), "agentConnected == true", None));
    assert!(
        message.starts_with("invalid scenario: recursion limit exceeded"),
        "{message}"
    );
    let (message, _) = thrown(api::parse_scenario(&deep));
    assert!(message.contains("recursion limit exceeded"), "{message}");
    still_alive();
}

/// A JavaScript value with no JSON form (an object that contains itself, a BigInt) where a
/// scenario is expected: an Error that says so, not a trap.
#[wasm_bindgen_test]
fn a_value_without_a_json_form_is_an_error() {
    let cyclic = parse_js(r#"{"version": 1, "instances": []}"#);
    js_sys::Reflect::set(&cyclic, &JsValue::from_str("self"), &cyclic).expect("an object takes a field");
    let (message, _) = thrown(api::filter(cyclic, "agentConnected == true", None));
    assert!(
        message.starts_with("invalid scenario: it cannot be read as JSON ("),
        "{message}"
    );
    let big = parse_js(r#"{"version": 1, "instances": []}"#);
    js_sys::Reflect::set(&big, &JsValue::from_str("seed"), &JsValue::bigint_from_str("12")).expect("a field");
    let (message, _) = thrown(api::filter(big, "agentConnected == true", None));
    assert!(
        message.starts_with("invalid scenario: it cannot be read as JSON ("),
        "{message}"
    );
    still_alive();
}

/// 2. Negative and overflowing sizes: a failed command; the scenario keeps its resources.
#[wasm_bindgen_test]
fn negative_sizes_are_refused() {
    let script = r#"aws ecs run-task --task-definition nouvelleApp --overrides '{"containerOverrides":[{"name":"nouvelleApp","cpu":-100000,"memory":-100000}]}'"#;
    let trace = page_run(sample(), script, json!({"keepGoing": true}));
    let text = error_text(&trace, 0);
    assert!(text.contains("The override of 'cpu' is -100000"), "{text}");
    let register = r#"aws ecs register-task-definition --family big --container-definitions '[{"name": "a", "memory": 1, "cpu": 9223372036854775807}]'"#;
    let trace = page_run(sample(), register, json!({"keepGoing": true}));
    assert!(
        error_text(&trace, 0).contains("it must be between 0 and 2147483647"),
        "{}",
        error_text(&trace, 0)
    );
    still_alive();
}

/// 3. Timestamps the format cannot write back, and over-committed instances, are refused.
#[wasm_bindgen_test]
fn scenarios_whose_save_would_not_load_are_refused() {
    for registered_at in ["1e13", "-62167219201", r#""9999-12-31T23:59:59-05:00""#] {
        let text = format!(
            r#"{{"version": 1, "instances": [{{"containerInstanceArn": "a", "registeredAt": {registered_at}, "attributes": {{"ecs.instance-type": "t2.small"}}}}]}}"#
        );
        let (message, path) = thrown(api::parse_scenario(&text));
        assert!(message.contains("between the years 0000 and 9999"), "{message}");
        assert_eq!(path.as_deref(), Some("instances[0].registeredAt"));
    }
    let over = r#"{"version": 1, "instances": [{"containerInstanceArn": "a", "attributes": {"ecs.instance-type": "t2.small"}}],
        "tasks": [{"taskArn": "t", "containerInstanceArn": "a", "group": "g", "cpu": 4096}]}"#;
    let (message, _) = thrown(api::parse_scenario(over));
    assert!(message.contains("is over-committed"), "{message}");
    let edited = api::apply_edit(
        sample(),
        to_js(
            &json!({"type": "putAttribute", "instance": "0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c", "name": "x", "value": "a".repeat(129)}),
        ),
    );
    let (message, _) = thrown(edited);
    assert!(message.contains("128"), "{message}");
    still_alive();
}

/// 4. The page explains every run: count 3,000 on 300 instances stays bounded.
#[wasm_bindgen_test]
fn a_large_what_if_run_is_explained_within_bounds() {
    let fleet = load_preset("fleet-300").unwrap();
    let script = "aws ecs run-task --task-definition nouvelleApp --count 3000";
    let trace = page_run(
        fleet,
        script,
        json!({"explain": true, "whatIf": true, "keepGoing": true}),
    );
    let report = &trace["commands"][0]["report"];
    assert_eq!(
        report["response"]["tasks"].as_array().map(Vec::len),
        Some(3000),
        "{}",
        error_text(&trace, 0)
    );
    let explained = report["explanation"]["tasks"].as_array().map_or(0, Vec::len);
    assert!(explained <= 11, "{explained} tasks explained in full");
    still_alive();
}

/// 8. Duplicate keys: refused with their path.
#[wasm_bindgen_test]
fn duplicate_keys_are_refused() {
    let text = r#"{"version":1,"instances":[{"containerInstanceArn":"a","attributes":{"ecs.instance-type":"t2.small"}}],"instances":[]}"#;
    let (message, path) = thrown(api::parse_scenario(text));
    assert!(message.contains("duplicate key `instances`"), "{message}");
    assert_eq!(path.as_deref(), Some("instances"));
    let (message, _) = thrown(api::import_aws(
        r#"{"containerInstances": [], "containerInstances": []}"#,
        None,
    ));
    assert!(message.contains("duplicate key `containerInstances`"), "{message}");
}

/// 10. A 1 MB expression: the too-long error at once, no "did you mean" work.
#[wasm_bindgen_test]
fn a_huge_expression_is_refused_at_once() {
    let word = "x".repeat(1_000_000);
    let diagnostics = to_json(&api::check(&word).unwrap());
    assert_eq!(diagnostics.as_array().map(Vec::len), Some(1), "{diagnostics}");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("AWS allows at most 2000")
    );
    let filtered = to_json(&api::filter(sample(), &word, None).unwrap());
    assert!(filtered.get("matches").is_none());
    still_alive();
}

/// 11. Typed JSON: a string count from --cli-input-json is refused.
#[wasm_bindgen_test]
fn input_json_keeps_its_types() {
    let script = r#"aws ecs run-task --task-definition nouvelleApp --cli-input-json '{"count":"3"}'"#;
    let trace = page_run(sample(), script, json!({"keepGoing": true}));
    assert!(
        error_text(&trace, 0).contains("Invalid type for parameter count"),
        "{}",
        error_text(&trace, 0)
    );
}

/// 13. Seeds above 2^53 - 1 are refused, whether in JSON text or as a JavaScript number.
#[wasm_bindgen_test]
fn seeds_above_2_pow_53_are_refused() {
    let text = r#"{"version": 1, "seed": 18446744073709551615, "instances": []}"#;
    let (message, path) = thrown(api::parse_scenario(text));
    assert!(message.contains("above 9007199254740991"), "{message}");
    assert_eq!(path.as_deref(), Some("seed"));
    let (message, _) = thrown(api::filter(
        parse_js(r#"{"version": 1, "seed": 9007199254740993, "instances": []}"#),
        "agentConnected == true",
        None,
    ));
    assert!(message.contains("above 9007199254740991"), "{message}");
    assert!(
        api::filter(
            parse_js(r#"{"version": 1, "seed": 9007199254740991, "instances": []}"#),
            "agentConnected == true",
            None
        )
        .is_ok()
    );
}
