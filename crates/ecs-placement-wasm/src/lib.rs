//! WebAssembly bindings of `ecs-placement` for the browser playground.
//!
//! Every export is a thin adapter: convert the input (typed serde structs through
//! `serde-wasm-bindgen`), call the core, map the error through [`to_js_error`]. Errors reach
//! JavaScript as `Error` objects carrying `kind`, `exception`, `path` and `diagnostics`.
//! Nothing here panics: the core denies `unwrap`/`expect`/`panic`/indexing in library code.
#![forbid(unsafe_code)]

use ecs_placement::aws::{self, CommandReport, Options};
use ecs_placement::cql::{self, HighlightToken};
use ecs_placement::diagnostic::Diagnostic;
use ecs_placement::query::{InstanceMatch, explain_instance as explain_instance_at, explain_instances};
use ecs_placement::{Error, ErrorKind, Scenario, import, presets};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
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

/// How to run commands from the page.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunOptions {
    /// Build explanations.
    pub explain: bool,
    /// Allow what-if requests beyond AWS's limits (clearly labelled in the response warnings).
    pub what_if: bool,
    /// Scripts: run the remaining commands after a failed one.
    pub keep_going: bool,
    /// Files `file://` arguments may read (name to content), e.g. an example's bundled files.
    pub files: std::collections::BTreeMap<String, String>,
}

impl aws::FileSource for RunOptions {
    fn read(&self, path: &str) -> Result<String, String> {
        self.files.get(path).cloned().ok_or_else(|| {
            format!(
                "the browser has no file `{path}`: paste its content into the command, or add it to the run's files"
            )
        })
    }
}

/// The scenario after running commands, and one report per command.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunOutcome {
    /// The scenario after the commands (with its seed recorded).
    pub scenario: Scenario,
    /// One report per command run.
    pub reports: Vec<CommandReport>,
}

/// The lexer's tokens with their highlighting classes (`[{kind, span: {start, end}}]`, byte
/// offsets): what the editor colours.
#[wasm_bindgen]
pub fn tokenize(source: &str) -> Result<JsValue, JsValue> {
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

/// The truth table of `source` on one instance (named by ARN, short ID or EC2 instance ID):
/// `{diagnostics, match?}`; `match` is absent when the expression has errors. An unknown
/// instance is an error.
#[wasm_bindgen]
pub fn explain(scenario: JsValue, source: &str, instance: &str) -> Result<JsValue, JsValue> {
    let scenario = scenario_from_js(scenario)?;
    to_js(&explain_instance(&scenario, source, instance).map_err(to_js_error)?)
}

/// The result of [`explain`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainOutcome {
    /// Errors and warnings, with byte spans.
    pub diagnostics: Vec<Diagnostic>,
    /// The instance's verdict and truth table; absent when the expression has errors.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub matched: Option<InstanceMatch>,
}

/// Core logic of [`explain`], independent of JavaScript values.
pub fn explain_instance(scenario: &Scenario, source: &str, instance: &str) -> Result<ExplainOutcome, Error> {
    let index = scenario
        .instance_index(instance)
        .ok_or_else(|| Error::invalid_input(format!("the scenario has no container instance `{instance}`")))?;
    let parsed = cql::parse(source);
    let matched = parsed
        .expr
        .as_ref()
        .and_then(|expr| explain_instance_at(scenario, expr, index));
    Ok(ExplainOutcome {
        diagnostics: parsed.diagnostics,
        matched,
    })
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

/// The blog use cases: `[{name, title, preset, script, files: [[name, content]]}]`. Run one with
/// `runScript(loadPreset(preset), script, {files: Object.fromEntries(files), explain: true})`.
#[wasm_bindgen]
pub fn examples() -> Result<JsValue, JsValue> {
    to_js(presets::EXAMPLES)
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

/// Runs one `aws ecs ...` command line on a scenario. A failed command is not an exception: its
/// report carries the AWS CLI's error text and exit code. A scenario without a seed gets one
/// (decision D18). `files` are not available in the browser (`file://` arguments fail).
#[wasm_bindgen(js_name = runCommand)]
pub fn run_command(scenario: JsValue, line: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let (mut scenario, options) = (seeded(scenario_from_js(scenario)?)?, run_options(options)?);
    let report = aws::run_command(&mut scenario, line, &options, options.core());
    to_js(&RunOutcome {
        scenario,
        reports: vec![report],
    })
}

/// Runs a script of commands (comments and `\` continuations allowed), stopping at the first
/// failure unless `keepGoing`.
#[wasm_bindgen(js_name = runScript)]
pub fn run_script(scenario: JsValue, text: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let (mut scenario, options) = (seeded(scenario_from_js(scenario)?)?, run_options(options)?);
    let reports =
        aws::run_script(&mut scenario, text, &options, options.core(), options.keep_going).map_err(to_js_error)?;
    to_js(&RunOutcome { scenario, reports })
}

impl RunOptions {
    fn core(&self) -> Options {
        Options {
            explain: self.explain,
            what_if: self.what_if,
        }
    }
}

fn run_options(value: JsValue) -> Result<RunOptions, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(RunOptions::default());
    }
    from_js(value, "invalid options")
}

fn seeded(mut scenario: Scenario) -> Result<Scenario, JsValue> {
    if scenario.seed.is_none() {
        scenario.seed = Some(draw_seed()? as u64);
    }
    Ok(scenario)
}

/// Core logic of [`filter`], independent of JavaScript values.
pub fn filter_scenario(scenario: &Scenario, source: &str) -> FilterOutcome {
    let parsed = cql::parse(source);
    let matches = parsed.expr.as_ref().map(|expr| explain_instances(scenario, expr));
    FilterOutcome {
        diagnostics: parsed.diagnostics,
        matches,
    }
}

/// A scenario object from JavaScript, read exactly as a scenario file is (same checks, same
/// JSON paths in errors).
fn scenario_from_js(value: JsValue) -> Result<Scenario, JsValue> {
    Scenario::from_value(json_from_js(value, "invalid scenario")?).map_err(to_js_error)
}

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_path_to_error::deserialize(json_from_js(value, what)?).map_err(|e| {
        let path = e.path().to_string();
        to_js_error(Error::invalid_input(format!("{what}: {}", e.into_inner())).at_path(path))
    })
}

/// JavaScript values cross the boundary as `serde_json::Value`, the form the core already reads
/// and writes: one (de)serialization path per type instead of two keeps the module small.
fn json_from_js(value: JsValue, what: &str) -> Result<serde_json::Value, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        let message = e.to_string();
        let message = message.strip_prefix("Error: ").unwrap_or(&message).to_string();
        to_js_error(Error::invalid_input(format!("{what}: {message}")))
    })
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let convert_error = |e: &dyn std::fmt::Display| {
        to_js_error(Error::new(
            ErrorKind::InvalidInput,
            format!("cannot convert the result: {e}"),
        ))
    };
    let json = serde_json::to_value(value).map_err(|e| convert_error(&e))?;
    json.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| convert_error(&e))
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
