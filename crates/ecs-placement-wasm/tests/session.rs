//! A `Session` answers exactly as the free exports do on the same scenario, keeps the cluster a
//! run leaves, and leaves it alone when a script cannot run.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

mod common;

use common::{blog, page_options, sample, to_js, to_json};
use ecs_placement_wasm::{self as api, Session};
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const JAKE: &str = include_str!("../../../tests/scenarios/jake.sh");

fn session(scenario: JsValue) -> Session {
    Session::new(scenario).unwrap_or_else(|e| panic!("the session reads the scenario: {e:?}"))
}

#[wasm_bindgen_test]
fn a_run_answers_as_run_script_and_the_session_keeps_its_cluster() {
    let free = to_json(&api::run_script(blog(), JAKE, page_options(), None).unwrap());
    let mut jake = session(blog());
    let kept = jake.fork();
    let answer = to_json(&jake.run_script(JAKE, page_options(), None).unwrap());
    assert_eq!(answer, free);
    assert_eq!(to_json(&jake.scenario().unwrap()), free["scenario"]);
    // The fork still holds the cluster before the run.
    assert_eq!(to_json(&kept.scenario().unwrap()), to_json(&blog()));
    // A second run starts from the first one's cluster, as the free export given it does.
    let again = to_json(&api::run_script(to_js(&free["scenario"]), JAKE, page_options(), None).unwrap());
    assert_eq!(to_json(&jake.run_script(JAKE, page_options(), None).unwrap()), again);
}

#[wasm_bindgen_test]
fn a_script_that_cannot_run_changes_nothing() {
    let mut cluster = session(sample());
    let error = cluster.run_script("aws ecs run-task --task-definition 'unclosed", page_options(), None);
    let free = api::run_script(
        sample(),
        "aws ecs run-task --task-definition 'unclosed",
        page_options(),
        None,
    );
    let message = |e: JsValue| js_sys::Error::from(e).message().as_string();
    assert_eq!(error.map_err(message).err(), free.map_err(message).err());
    assert_eq!(to_json(&cluster.scenario().unwrap()), to_json(&sample()));
}

#[wasm_bindgen_test]
fn queries_views_and_explanations_answer_as_the_free_exports() {
    let blog_session = session(blog());
    let expression = "attribute:ecs.availability-zone == us-east-1a";
    assert_eq!(
        to_json(&blog_session.filter(expression, Some(false)).unwrap()),
        to_json(&api::filter(blog(), expression, Some(false)).unwrap())
    );
    assert_eq!(
        to_json(&blog_session.cluster_view().unwrap()),
        to_json(&api::cluster_view(blog()).unwrap())
    );
    let instance = to_json(&blog())["instances"][0]["containerInstanceArn"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        to_json(&blog_session.explain(expression, &instance).unwrap()),
        to_json(&api::explain(blog(), expression, &instance).unwrap())
    );
    let trace = to_json(&api::run_script(blog(), JAKE, page_options(), None).unwrap());
    let words = to_js(&trace["commands"][0]["report"]["words"]);
    for attempt in [1, 5, 9] {
        assert_eq!(
            to_json(
                &blog_session
                    .explain_task(words.clone(), page_options(), attempt)
                    .unwrap()
            ),
            to_json(&api::explain_task(blog(), words.clone(), page_options(), attempt).unwrap())
        );
    }
    let drain = to_js(&json!({"type": "setStatus", "instance": instance, "status": "DRAINING"}));
    // The blog cluster has no services, so the edit places nothing: both refuse the same way.
    let message = |e: JsValue| js_sys::Error::from(e).message().as_string();
    let free = api::explain_edit_task(blog(), drain.clone(), 0, 1).map(|v| to_json(&v));
    let kept = blog_session.explain_edit_task(drain, 0, 1).map(|v| to_json(&v));
    assert_eq!(kept.map_err(message), free.map_err(message));
}

#[wasm_bindgen_test]
fn a_bad_scenario_is_refused_as_the_free_exports_refuse_it() {
    let bad = to_js(&json!({"version": 1, "instances": [{"containerInstanceArn": 7}]}));
    let session_error = Session::new(bad.clone()).err().expect("refused");
    let free_error = api::cluster_view(bad).expect_err("refused");
    let message = |e: &JsValue| js_sys::Error::from(e.clone()).message().as_string();
    assert_eq!(message(&session_error), message(&free_error));
}
