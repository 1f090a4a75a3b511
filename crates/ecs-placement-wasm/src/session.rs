//! A scenario kept inside the module between calls.
//!
//! Every free export reads its scenario from JavaScript, which for a large cluster costs more
//! than the call itself (at `fleet-1000`, reading the scenario takes longer than running a
//! 10-task `run-task`; see `tests/placement_bench.rs`). A [`Session`] reads it once; the page's
//! engine worker keeps a few sessions, one per cluster state it has seen, and calls their
//! methods instead. Each method answers exactly as the free export of the same name does on the
//! session's scenario.

use super::{
    JsValue, Scenario, explain_edit_task_in, explain_in, explain_task_in, filter_in, run_traced, scenario_from_js,
    seeded, to_js, view, wasm_bindgen,
};

/// A scenario read once and kept inside the module.
#[wasm_bindgen]
pub struct Session {
    scenario: Scenario,
}

#[wasm_bindgen]
impl Session {
    /// Reads `scenario` exactly as the free exports do (same checks, same errors).
    #[wasm_bindgen(constructor)]
    pub fn new(scenario: JsValue) -> Result<Session, JsValue> {
        Ok(Session {
            scenario: scenario_from_js(scenario)?,
        })
    }

    /// Another session on a copy of this one's scenario (a copy inside the module: nothing
    /// crosses the boundary).
    pub fn fork(&self) -> Session {
        Session {
            scenario: self.scenario.clone(),
        }
    }

    /// `runScript` on the session's scenario, which then becomes the run's final cluster (the
    /// timeline's `scenario`). A script that cannot run at all (an error) changes nothing. A
    /// scenario without a seed gets one for the run, as with the free export (decision D18).
    #[wasm_bindgen(js_name = runScript)]
    pub fn run_script(
        &mut self,
        text: &str,
        options: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsValue> {
        let trace = run_traced(seeded(self.scenario.clone())?, text, options, on_progress)?;
        let answer = to_js(&trace)?;
        self.scenario = trace.scenario;
        Ok(answer)
    }

    /// `explainTask` with the session's scenario as the cluster the command started from.
    #[wasm_bindgen(js_name = explainTask)]
    pub fn explain_task(&self, words: JsValue, options: JsValue, attempt: u32) -> Result<JsValue, JsValue> {
        explain_task_in(&self.scenario, words, options, attempt)
    }

    /// `explainEditTask` with the session's scenario as the cluster the edit started from.
    #[wasm_bindgen(js_name = explainEditTask)]
    pub fn explain_edit_task(&self, change: JsValue, step: u32, attempt: u32) -> Result<JsValue, JsValue> {
        explain_edit_task_in(&self.scenario, change, step, attempt)
    }

    /// `filter` on the session's scenario.
    pub fn filter(&self, source: &str, tables: Option<bool>) -> Result<JsValue, JsValue> {
        filter_in(&self.scenario, source, tables)
    }

    /// `explain` on the session's scenario.
    pub fn explain(&self, source: &str, instance: &str) -> Result<JsValue, JsValue> {
        explain_in(&self.scenario, source, instance)
    }

    /// `clusterView` of the session's scenario.
    #[wasm_bindgen(js_name = clusterView)]
    pub fn cluster_view(&self) -> Result<JsValue, JsValue> {
        to_js(&view::cluster_view(&self.scenario))
    }

    /// The session's scenario, as the free exports return scenarios.
    pub fn scenario(&self) -> Result<JsValue, JsValue> {
        to_js(&self.scenario)
    }
}
