//! WebAssembly bindings of `ecs-placement` for the browser playground.
//!
//! Every export is a thin adapter: convert the input (typed serde structs through
//! `serde-wasm-bindgen`), call the core, map the error through [`to_js_error`]. Errors reach
//! JavaScript as `Error` objects carrying `kind`, `exception`, `path` and `diagnostics`.
//! Nothing here panics: the core denies `unwrap`/`expect`/`panic`/indexing in library code.
#![forbid(unsafe_code)]

use ecs_placement::cql::{self, HighlightToken};
use ecs_placement::diagnostic::{Diagnostic, has_errors};
use ecs_placement::query::{InstanceMatch, explain_instances};
use ecs_placement::{Error, ErrorKind, Scenario, import, presets};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// The result of filtering a scenario with an expression: the diagnostics, and the per-instance
/// verdicts and truth tables when the expression has no errors.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterOutcome {
    /// Errors and warnings, with byte spans.
    pub diagnostics: Vec<Diagnostic>,
    /// One entry per instance in scenario order; absent when the expression has errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches: Option<Vec<InstanceMatch>>,
}

/// A built-in scenario's name and description.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresetInfo {
    /// Name to pass to `loadPreset`.
    pub name: &'static str,
    /// One line about it.
    pub description: &'static str,
}

/// A scenario built from AWS output, with notes about what the import skipped.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcome {
    /// The scenario.
    pub scenario: Scenario,
    /// What was skipped or assumed.
    pub warnings: Vec<String>,
}

/// Token classes for syntax highlighting (`[{kind, span: {start, end}}]`, byte offsets).
#[wasm_bindgen]
pub fn highlight(source: &str) -> Result<JsValue, JsValue> {
    to_js::<Vec<HighlightToken>>(&cql::highlight(source))
}

/// The diagnostics of an expression (`[]` when it is clean).
#[wasm_bindgen]
pub fn check(source: &str) -> Result<JsValue, JsValue> {
    to_js(&cql::check(source))
}

/// Evaluates `source` on every instance of `scenario` with truth tables. A bad expression is not
/// an exception: it comes back as diagnostics with no `matches`.
#[wasm_bindgen]
pub fn filter(scenario: JsValue, source: &str) -> Result<JsValue, JsValue> {
    let scenario = scenario_from_js(scenario)?;
    to_js(&filter_scenario(&scenario, source))
}

/// The built-in scenarios.
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsValue> {
    let list: Vec<PresetInfo> = presets::PRESETS
        .iter()
        .map(|p| PresetInfo {
            name: p.name,
            description: p.description,
        })
        .collect();
    to_js(&list)
}

/// Loads a built-in scenario by name.
#[wasm_bindgen(js_name = loadPreset)]
pub fn load_preset(name: &str) -> Result<JsValue, JsValue> {
    let scenario = presets::load(name)
        .unwrap_or_else(|| Err(Error::invalid_input(format!("there is no built-in scenario `{name}`"))))
        .map_err(to_js_error)?;
    to_js(&scenario)
}

/// Reads scenario JSON text: checks it and fills in ARNs and remaining resources.
#[wasm_bindgen(js_name = parseScenario)]
pub fn parse_scenario(json: &str) -> Result<JsValue, JsValue> {
    to_js(&Scenario::from_json(json).map_err(to_js_error)?)
}

/// Builds a scenario from `describe-container-instances` JSON and optional `describe-tasks` JSON.
#[wasm_bindgen(js_name = importAws)]
pub fn import_aws(instances_json: &str, tasks_json: Option<String>) -> Result<JsValue, JsValue> {
    let imported = import::import(instances_json, tasks_json.as_deref()).map_err(to_js_error)?;
    to_js(&ImportOutcome {
        scenario: imported.scenario,
        warnings: imported.warnings,
    })
}

/// A seed drawn from the browser's random source (decision D18: recorded in the scenario).
#[wasm_bindgen(js_name = drawSeed)]
pub fn draw_seed() -> Result<f64, JsValue> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| to_js_error(Error::invalid_input(format!("no random source: {e}"))))?;
    Ok(f64::from(u32::from_le_bytes(bytes)))
}

/// Core logic of [`filter`], independent of JavaScript values.
pub fn filter_scenario(scenario: &Scenario, source: &str) -> FilterOutcome {
    let parsed = cql::parse(source);
    let matches = match (&parsed.expr, has_errors(&parsed.diagnostics)) {
        (Some(expr), false) => Some(explain_instances(scenario, expr)),
        _ => None,
    };
    FilterOutcome {
        diagnostics: parsed.diagnostics,
        matches,
    }
}

fn scenario_from_js(value: JsValue) -> Result<Scenario, JsValue> {
    let scenario: Scenario = from_js(value)?;
    scenario.normalized().map_err(to_js_error)
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    let deserializer = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        to_js_error(Error::invalid_input(format!("invalid scenario: {}", e.into_inner())).at_path(path))
    })
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|e| {
        to_js_error(Error::new(
            ErrorKind::InvalidInput,
            format!("cannot convert the result: {e}"),
        ))
    })
}

/// The one place core errors become JavaScript `Error`s, with the error's fields attached.
pub fn to_js_error(error: Error) -> JsValue {
    let js_error = js_sys::Error::new("");
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    if let Ok(details) = error.serialize(&serializer) {
        js_sys::Object::<JsValue>::assign(js_error.unchecked_ref(), details.unchecked_ref());
    }
    js_error.set_message(&error.detailed());
    js_error.into()
}
