//! WebAssembly bindings of `ecs-placement` for the browser playground.
//!
//! Every export is a thin adapter: convert the input (JSON text read by the core's typed reader),
//! call the core, map the error through [`to_js_error`]. Errors reach
//! JavaScript as `Error` objects carrying `kind`, `exception`, `path` and `diagnostics`.
//! Nothing here panics: the core denies `unwrap`/`expect`/`panic`/indexing in library code.
#![forbid(unsafe_code)]

use ecs_placement::aws::compose::{self, RunSpec};
use ecs_placement::aws::trace::{self, Progress};
use ecs_placement::aws::{FileMap, Options};
use ecs_placement::cql::{self, HighlightToken};
use ecs_placement::edit::{self, ClusterEdit, EditOutcome};
use ecs_placement::engine::Explain;
use ecs_placement::{Error, ErrorKind, Scenario, catalog, presets, query, view};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

mod session;
pub use session::Session;

/// A built-in scenario's name and description, and the file the page fetches it from.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresetInfo {
    /// Name to pass to `loadPreset`.
    pub name: &'static str,
    /// One line about it.
    pub description: &'static str,
    /// Its file among the preset files (`pkg/presets/` on the page), whose text `loadPreset`
    /// takes (for a generated preset, the file it builds on).
    pub file: &'static str,
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
    /// Explain every placement (the page explains one task at a time with `explainTask`).
    pub explain: bool,
    /// Allow what-if requests beyond AWS's limits (clearly labelled in the response warnings).
    pub what_if: bool,
    /// Scripts: run the remaining commands after a failed one.
    pub keep_going: bool,
    /// Files `file://` arguments may read (name to content), e.g. an example's bundled files.
    pub files: FileMap,
    /// `explainTask` only: the index of the scheduler step (in the command report's
    /// `scheduler`) whose task to explain; absent for the command's own placement (RunTask).
    pub scheduler_step: Option<usize>,
}

impl RunOptions {
    fn core(&self) -> Options {
        Options {
            explain: Explain::from(self.explain),
            what_if: self.what_if,
            scheduler_step: None,
        }
    }
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

/// Evaluates `source` on every instance of `scenario`: `{diagnostics, matches?}`, with truth
/// tables unless `tables` is `false`. A bad expression is not an exception: it comes back as
/// diagnostics with no `matches`.
#[wasm_bindgen]
pub fn filter(scenario: JsValue, source: &str, tables: Option<bool>) -> Result<JsValue, JsValue> {
    filter_in(&scenario_from_js(scenario)?, source, tables)
}

/// [`filter`] on a scenario already read.
fn filter_in(scenario: &Scenario, source: &str, tables: Option<bool>) -> Result<JsValue, JsValue> {
    to_js(&query::filter_scenario(scenario, source, tables.unwrap_or(true)))
}

/// The truth table of `source` on one instance (named by ARN, short ID or EC2 instance ID):
/// `{diagnostics, match?}`; `match` is absent when the expression has errors. An unknown
/// instance is an error.
#[wasm_bindgen]
pub fn explain(scenario: JsValue, source: &str, instance: &str) -> Result<JsValue, JsValue> {
    explain_in(&scenario_from_js(scenario)?, source, instance)
}

/// [`explain`] on a scenario already read.
fn explain_in(scenario: &Scenario, source: &str, instance: &str) -> Result<JsValue, JsValue> {
    to_js(&query::explain_reference(scenario, source, instance).map_err(to_js_error)?)
}

/// What the bins draw for a scenario: per instance its resources, GPUs, ENIs and host ports in
/// use; the tasks holding resources.
#[wasm_bindgen(js_name = clusterView)]
pub fn cluster_view(scenario: JsValue) -> Result<JsValue, JsValue> {
    to_js(&view::cluster_view(&scenario_from_js(scenario)?))
}

/// The built-in scenarios: `[{name, description, file}]`. The preset files are not compiled into
/// the module: the page fetches `file` and gives its text to `loadPreset`.
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsValue> {
    let list: Vec<PresetInfo> = presets::PRESETS
        .iter()
        .map(|p| PresetInfo {
            name: p.name,
            description: p.description,
            file: p.file(),
        })
        .collect();
    to_js(&list)
}

/// The blog use cases: `[{name, title, preset, scriptFile, files: [name]}]`, where the script and
/// the files a script reads with `file://` are preset files the page fetches. Run one with
/// `runScript(loadPreset(preset, presetText), script, {files: {name: text}, explain: true})`.
#[wasm_bindgen]
pub fn examples() -> Result<JsValue, JsValue> {
    to_js(presets::EXAMPLES)
}

/// Loads a built-in scenario by name, from the text of its file (fetched by the page; see
/// `presets`).
#[wasm_bindgen(js_name = loadPreset)]
pub fn load_preset(name: &str, json: Option<String>) -> Result<JsValue, JsValue> {
    let scenario = presets::find(name)
        .and_then(|preset| preset.load_from(json.as_deref()))
        .map_err(to_js_error)?;
    to_js(&scenario)
}

/// Reads scenario JSON text: checks it and fills in ARNs and remaining resources.
#[wasm_bindgen(js_name = parseScenario)]
pub fn parse_scenario(json: &str) -> Result<JsValue, JsValue> {
    to_js(&Scenario::from_json(json).map_err(to_js_error)?)
}

/// Builds a scenario from `describe-container-instances` JSON and optional `describe-tasks` JSON.
/// A module without the `full` feature (the page's first one) leaves the import out: its error's
/// kind is `featureLeftOut`, and the page calls the full module's (the same doc on both: the
/// bindings of the page's modules must be identical).
#[wasm_bindgen(js_name = importAws)]
#[cfg(feature = "full")]
pub fn import_aws(instances_json: &str, tasks_json: Option<String>) -> Result<JsValue, JsValue> {
    let imported = ecs_placement::import::import(instances_json, tasks_json.as_deref()).map_err(to_js_error)?;
    to_js(&ImportOutcome {
        scenario: imported.scenario,
        warnings: imported.warnings,
    })
}

/// Builds a scenario from `describe-container-instances` JSON and optional `describe-tasks` JSON.
/// A module without the `full` feature (the page's first one) leaves the import out: its error's
/// kind is `featureLeftOut`, and the page calls the full module's (the same doc on both: the
/// bindings of the page's modules must be identical).
#[wasm_bindgen(js_name = importAws)]
#[cfg(not(feature = "full"))]
pub fn import_aws(instances_json: &str, tasks_json: Option<String>) -> Result<JsValue, JsValue> {
    let _ = (instances_json, tasks_json);
    Err(to_js_error(Error::left_out("importing AWS output")))
}

/// A seed drawn from the browser's random source (decision D18: recorded in the scenario).
#[wasm_bindgen(js_name = drawSeed)]
pub fn draw_seed() -> Result<f64, JsValue> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| to_js_error(Error::invalid_input(format!("no random source: {e}"))))?;
    Ok(f64::from(u32::from_le_bytes(bytes)))
}

/// Runs one `aws ecs ...` command line on a scenario: the same timeline as [`run_script`]
/// with one command. A failed command is not an exception: its report carries the AWS CLI's
/// error text and exit code. A scenario without a seed gets one (decision D18).
#[wasm_bindgen(js_name = runCommand)]
pub fn run_command(scenario: JsValue, line: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let (scenario, options) = (seeded(scenario_from_js(scenario)?)?, run_options(options)?);
    let trace =
        trace::run_traced(scenario, line, &options.files, options.core(), true, &mut |_| {}).map_err(to_js_error)?;
    to_js(&trace)
}

/// Runs a script of commands (comments and `\` continuations allowed), stopping at the first
/// failure unless `keepGoing`: `{seed, scenario, commands: [{report, scenario?, view?}]}`, where
/// each RunTask report has `placement: {call, frames}` (one frame per attempted task). Calls
/// `onProgress({done, total})` after each command when given.
#[wasm_bindgen(js_name = runScript)]
pub fn run_script(
    scenario: JsValue,
    text: &str,
    options: JsValue,
    on_progress: Option<js_sys::Function>,
) -> Result<JsValue, JsValue> {
    let trace = run_traced(seeded(scenario_from_js(scenario)?)?, text, options, on_progress)?;
    to_js(&trace)
}

/// [`run_script`] on a scenario already read: the run's timeline.
fn run_traced(
    scenario: Scenario,
    text: &str,
    options: JsValue,
    on_progress: Option<js_sys::Function>,
) -> Result<trace::RunTrace, JsValue> {
    let options = run_options(options)?;
    let mut progress = |p: Progress| {
        if let (Some(callback), Ok(value)) = (&on_progress, to_js(&p)) {
            let _ = callback.call1(&JsValue::NULL, &value);
        }
    };
    trace::run_traced(
        scenario,
        text,
        &options.files,
        options.core(),
        options.keep_going,
        &mut progress,
    )
    .map_err(to_js_error)
}

/// The full explanation of task `attempt` (1-based) of a placement command, given the cluster
/// the command started from — with the run's seed — and its `words` (from its report): `{group, reservation, ...,
/// strategies, strategySource, seed, skipped, tasks: [task]}`. With `options.schedulerStep`, the
/// task is one the service scheduler placed after the command (that step of the report's
/// `scheduler`).
#[wasm_bindgen(js_name = explainTask)]
pub fn explain_task(scenario: JsValue, words: JsValue, options: JsValue, attempt: u32) -> Result<JsValue, JsValue> {
    explain_task_in(&scenario_from_js(scenario)?, words, options, attempt)
}

/// [`explain_task`] on a scenario already read.
fn explain_task_in(scenario: &Scenario, words: JsValue, options: JsValue, attempt: u32) -> Result<JsValue, JsValue> {
    let words: Vec<String> = from_js(words, "invalid command words")?;
    let options = run_options(options)?;
    let address = trace::TaskAddress {
        step: options.scheduler_step,
        attempt: attempt as usize,
    };
    let explanation =
        trace::explain_at(scenario, &words, &options.files, options.what_if, address).map_err(to_js_error)?;
    to_js(&explanation)
}

/// A cluster edit (`{type: "addInstances" | "cloneInstance" | "removeInstance" | "putAttribute" |
/// "deleteAttribute" | "setStatus" | "setAgentConnected" | "stopTask", ...}`) applied to a
/// scenario, after which the service scheduler settles it: `{scenario, summary, instances,
/// warnings?, scheduler?}`. A refused edit is an error naming the field.
#[wasm_bindgen(js_name = applyEdit)]
pub fn apply_edit(scenario: JsValue, change: JsValue) -> Result<JsValue, JsValue> {
    let mut scenario = scenario_from_js(scenario)?;
    let change = ClusterEdit::from_value(json_from_js(change, "invalid cluster edit")?).map_err(to_js_error)?;
    let outcome = edit::apply(&mut scenario, &change).map_err(to_js_error)?;
    to_js(&EditedScenario { scenario, outcome })
}

/// The result of [`apply_edit`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditedScenario {
    /// The scenario after the edit.
    pub scenario: Scenario,
    /// What changed.
    #[serde(flatten)]
    pub outcome: EditOutcome,
}

/// The full explanation of task `attempt` (1-based) of the service scheduler's placement step
/// `step` after a cluster edit, given the scenario the edit started from (what `applyEdit`
/// returned in `scheduler`).
#[wasm_bindgen(js_name = explainEditTask)]
pub fn explain_edit_task(scenario: JsValue, change: JsValue, step: u32, attempt: u32) -> Result<JsValue, JsValue> {
    explain_edit_task_in(&scenario_from_js(scenario)?, change, step, attempt)
}

/// [`explain_edit_task`] on a scenario already read.
fn explain_edit_task_in(scenario: &Scenario, change: JsValue, step: u32, attempt: u32) -> Result<JsValue, JsValue> {
    let change = ClusterEdit::from_value(json_from_js(change, "invalid cluster edit")?).map_err(to_js_error)?;
    to_js(&edit::explain_task(scenario, &change, step as usize, attempt as usize).map_err(to_js_error)?)
}

/// The instance types of the catalog: `[{name, vcpus, memoryMib, cpu, memory, gpus, taskEnis,
/// cpuArchitecture}]` (`cpu` and `memory` as an instance of the type registers them).
#[wasm_bindgen(js_name = instanceTypes)]
pub fn instance_types() -> Result<JsValue, JsValue> {
    to_js(&catalog::infos())
}

/// The `aws ecs` script (register-task-definition when the spec registers one, then run-task)
/// that does what a run builder's spec says; `options.whatIf` allows counts beyond 10.
#[wasm_bindgen(js_name = composeRun)]
pub fn compose_run(spec: JsValue, options: JsValue) -> Result<String, JsValue> {
    let spec: RunSpec = from_js(spec, "invalid run spec")?;
    let options = run_options(options)?;
    compose::compose_script_with(&spec, options.core()).map_err(to_js_error)
}

/// The run builder's spec of a script's last run-task (with the task definition it registers, or
/// the scenario's). A command the builder cannot represent is an error whose `hint` is
/// `not-in-builder` and whose message names the feature.
#[wasm_bindgen(js_name = parseRun)]
pub fn parse_run(scenario: JsValue, script: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let scenario = scenario_from_js(scenario)?;
    let options = run_options(options)?;
    to_js(&compose::parse_run_spec_with_files(&scenario, script, &options.files).map_err(to_js_error)?)
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

/// A scenario object from JavaScript, read exactly as a scenario file is (same checks, same
/// JSON paths in errors).
fn scenario_from_js(value: JsValue) -> Result<Scenario, JsValue> {
    Scenario::from_value(json_from_js(value, "invalid scenario")?).map_err(to_js_error)
}

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    ecs_placement::json::typed::from_value(json_from_js(value, what)?)
        .map_err(|e| to_js_error(Error::invalid_input(format!("{what}: {}", e.message)).at_path(e.path)))
}

/// JavaScript values cross the boundary as JSON text: `JSON.stringify` on the way in, read by
/// the core's JSON reader (whose nesting limit keeps a deeply nested object from exhausting the
/// module's stack: a trap would take every later call down with it), and `JSON.parse` on the
/// way out. Both are the browser's native code, and the text crosses in one copy: a scenario of
/// 1,000 instances read and written this way costs a fraction of what building it value by
/// value through `serde-wasm-bindgen` did (see `tests/placement_bench.rs`), and every type keeps
/// one (de)serialization path, the core's.
fn json_from_js(value: JsValue, what: &str) -> Result<serde_json::Value, JsValue> {
    let text = js_sys::JSON::stringify(&value).map_err(|e| {
        to_js_error(Error::invalid_input(format!(
            "{what}: it cannot be read as JSON ({})",
            js_message(&e)
        )))
    })?;
    // `JSON.stringify(undefined)` (and of a function) is `undefined`: read as `null`.
    let text = text.as_string().unwrap_or_else(|| "null".to_string());
    ecs_placement::json::parse(&text).map_err(|e| {
        to_js_error(Error {
            message: format!("{what}: {}", e.message),
            ..e
        })
    })
}

/// The message of a thrown JavaScript value.
fn js_message(thrown: &JsValue) -> String {
    thrown
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| thrown.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let convert_error = |e: &dyn std::fmt::Display| {
        to_js_error(Error::new(
            ErrorKind::InvalidInput,
            format!("cannot convert the result: {e}"),
        ))
    };
    let text = ecs_placement::json::text::to_text(value).map_err(|e| convert_error(&e))?;
    js_sys::JSON::parse(&text).map_err(|e| convert_error(&js_message(&e)))
}

/// The one place core errors become JavaScript `Error`s, with the error's fields attached (as
/// JSON, like every result: no second way of converting values into the module).
pub fn to_js_error(error: Error) -> JsValue {
    let js_error = js_sys::Error::new("");
    let details = ecs_placement::json::text::to_text(&error)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok());
    if let Some(details) = details {
        js_sys::Object::<JsValue>::assign(js_error.unchecked_ref(), details.unchecked_ref());
    }
    js_error.set_message(&error.detailed());
    js_error.into()
}
