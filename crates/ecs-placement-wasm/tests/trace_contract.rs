//! The trace contract between the wasm exports and the page: every field the page reads from a
//! run's timeline (`runScript`) and from a task's explanation (`explainTask`) is there, with the
//! type the page expects. Checked on Jake's run (tests/scenarios/jake.sh on the `blog` preset),
//! then on a run that reaches the other decisions (random strategy, only candidate, failed).
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs)]

mod common;

use common::{blog, example, example_files, load_preset, page_options, to_js, to_json};
use ecs_placement_wasm as api;
use serde_json::{Value, json};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const JAKE_SH: &str = include_str!("../../../tests/scenarios/jake.sh");

/// The value at a JSON pointer, which must be there (and not `null`).
#[track_caller]
fn at<'a>(value: &'a Value, pointer: &str) -> &'a Value {
    match value.pointer(pointer) {
        Some(Value::Null) | None => panic!("missing `{pointer}` in {value}"),
        Some(found) => found,
    }
}

#[track_caller]
fn string<'a>(value: &'a Value, pointer: &str) -> &'a str {
    at(value, pointer)
        .as_str()
        .unwrap_or_else(|| panic!("`{pointer}` is not a string in {value}"))
}

#[track_caller]
fn number(value: &Value, pointer: &str) -> i64 {
    at(value, pointer)
        .as_i64()
        .unwrap_or_else(|| panic!("`{pointer}` is not an integer in {value}"))
}

#[track_caller]
fn boolean(value: &Value, pointer: &str) -> bool {
    at(value, pointer)
        .as_bool()
        .unwrap_or_else(|| panic!("`{pointer}` is not a boolean in {value}"))
}

#[track_caller]
fn array<'a>(value: &'a Value, pointer: &str) -> &'a Vec<Value> {
    at(value, pointer)
        .as_array()
        .unwrap_or_else(|| panic!("`{pointer}` is not an array in {value}"))
}

/// A decision as the page words it (web/js/placement-words.js): its kind and the fields of
/// that kind.
#[track_caller]
fn check_decision(decision: &Value) -> &str {
    let kind = string(decision, "/kind");
    match kind {
        "strategy" => {
            number(decision, "/step");
            string(decision, "/strategy/type");
        }
        "tieBreak" | "randomStrategy" => {
            assert!(number(decision, "/among") > 1, "{decision}");
            number(decision, "/seed");
        }
        "onlyCandidate" | "failed" => {}
        other => panic!("unknown decision kind `{other}`"),
    }
    kind
}

/// The funnel's counts, which only narrow: ACTIVE → checks → constraints → each strategy.
#[track_caller]
fn check_funnel(funnel: &Value, strategies: usize, placed: bool) {
    let mut counts = vec![
        number(funnel, "/active"),
        number(funnel, "/passedChecks"),
        number(funnel, "/passedConstraints"),
    ];
    let kept = array(funnel, "/strategies");
    if placed {
        assert!(!kept.is_empty() && kept.len() <= strategies, "{funnel}");
    }
    counts.extend(kept.iter().map(|n| n.as_i64().expect("a count")));
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "the funnel widens: {funnel}");
    if placed {
        assert!(counts.last().copied().unwrap_or(0) >= 1, "{funnel}");
    }
}

/// The call of a placement: chain, where it came from, seed, skipped instances, reservation.
#[track_caller]
fn check_call(call: &Value, seed: &Value) -> usize {
    let strategies = array(call, "/strategies");
    for strategy in strategies {
        let kind = string(strategy, "/type");
        if kind != "random" {
            string(strategy, "/field");
        }
    }
    assert!(
        ["request", "runTaskDefault", "serviceDefault"].contains(&string(call, "/strategySource")),
        "{call}"
    );
    assert_eq!(at(call, "/seed"), seed);
    for skipped in array(call, "/skipped") {
        string(skipped, "/containerInstanceArn");
        string(skipped, "/reason");
    }
    number(call, "/reservation/cpu");
    number(call, "/reservation/memory");
    strategies.len()
}

/// One frame: what decided, the funnel, and (when placed) the task and its instance after it.
#[track_caller]
fn check_frame(frame: &Value, attempt: usize, strategies: usize) -> bool {
    assert_eq!(number(frame, "/attempt"), attempt as i64);
    let kind = check_decision(at(frame, "/decision"));
    let placed = kind != "failed";
    check_funnel(at(frame, "/funnel"), strategies, placed);
    if !placed {
        assert!(
            frame.get("task").is_none() && frame.get("instance").is_none(),
            "{frame}"
        );
        return false;
    }
    let task = at(frame, "/task");
    assert!(string(task, "/taskArn").starts_with("arn:aws:ecs:"));
    let arn = string(task, "/containerInstanceArn");
    string(task, "/group");
    assert!(number(task, "/cpu") >= 0);
    assert!(number(task, "/memory") >= 0);
    let instance = at(frame, "/instance");
    assert_eq!(string(instance, "/containerInstanceArn"), arn);
    for resource in ["/cpu", "/memory"] {
        let registered = number(instance, &format!("{resource}/registered"));
        let remaining = number(instance, &format!("{resource}/remaining"));
        assert!(remaining <= registered, "{instance}");
    }
    string(instance, "/status");
    boolean(instance, "/agentConnected");
    true
}

/// The explanation of one task: every instance's fate and findings, every strategy step's
/// candidates; it agrees with the frame.
#[track_caller]
fn check_explained_task(task: &Value, frame: &Value) {
    assert_eq!(at(task, "/decision"), at(frame, "/decision"));
    assert_eq!(at(task, "/funnel"), at(frame, "/funnel"));
    let placed = frame.get("task").is_some();
    let mut chosen = Vec::new();
    for instance in array(task, "/instances") {
        let arn = string(instance, "/containerInstanceArn");
        boolean(instance, "/eligible");
        match string(instance, "/fate/kind") {
            "chosen" => chosen.push(arn.to_string()),
            "dropped" => {
                number(instance, "/fate/step");
            }
            "failedCheck" | "failedConstraint" => {
                string(instance, "/fate/check");
            }
            "notDrawn" => {}
            other => panic!("unknown fate `{other}`"),
        }
        let findings = array(instance, "/findings");
        assert!(!findings.is_empty(), "{instance}");
        for finding in findings {
            string(finding, "/check");
            string(finding, "/title");
            string(finding, "/reason");
            string(finding, "/summary");
            boolean(finding, "/passed");
            boolean(finding, "/constraint");
            string(finding, "/detail");
        }
    }
    let steps = array(task, "/steps");
    let kept_after: Vec<i64> = array(frame, "/funnel/strategies")
        .iter()
        .map(|n| n.as_i64().unwrap())
        .collect();
    assert_eq!(steps.len(), kept_after.len(), "{task}");
    for (step, kept_after) in steps.iter().zip(kept_after) {
        string(step, "/strategy/type");
        let kept = number(step, "/kept");
        assert_eq!(kept, kept_after, "a step keeps what the funnel says");
        number(step, "/best");
        let candidates = array(step, "/candidates");
        for candidate in candidates {
            string(candidate, "/containerInstanceArn");
            number(candidate, "/value");
            string(candidate, "/label");
            boolean(candidate, "/kept");
        }
        let marked = candidates.iter().filter(|c| c["kept"] == true).count();
        assert_eq!(marked as i64, kept, "{step}");
    }
    if placed {
        let arn = string(frame, "/task/containerInstanceArn");
        assert_eq!(chosen, [arn], "one instance is chosen: the frame's");
        assert_eq!(string(task, "/placedOn"), arn);
        assert_eq!(string(task, "/taskArn"), string(frame, "/task/taskArn"));
    } else {
        assert!(chosen.is_empty(), "{task}");
        assert!(task.get("placedOn").is_none(), "{task}");
    }
}

/// Runs `script` on the blog cluster as the page does, checks every field the page reads, and
/// returns the decision kinds seen.
fn check_run(script: &str) -> Vec<String> {
    let trace = to_json(&api::run_script(blog(), script, page_options(), None).unwrap());
    let seed = at(&trace, "/seed").clone();
    assert!(seed.is_u64());
    assert!(at(&trace, "/scenario").is_object());
    let mut before = to_json(&blog());
    before["seed"] = seed.clone();
    let mut kinds = Vec::new();
    for command in array(&trace, "/commands") {
        let report = at(command, "/report");
        let words = array(report, "/words");
        assert!(words.iter().all(Value::is_string));
        if let Some(placement) = report.get("placement") {
            let call = at(placement, "/call");
            let strategies = check_call(call, &seed);
            for (index, frame) in array(placement, "/frames").iter().enumerate() {
                check_frame(frame, index + 1, strategies);
                kinds.push(string(frame, "/decision/kind").to_string());
                // The explanation the page asks for when it shows this task.
                let attempt = u32::try_from(index + 1).unwrap();
                let explained = to_json(
                    &api::explain_task(to_js(&before), to_js(&report["words"]), page_options(), attempt).unwrap(),
                );
                assert_eq!(at(&explained, "/strategies"), at(call, "/strategies"));
                assert_eq!(at(&explained, "/strategySource"), at(call, "/strategySource"));
                assert_eq!(at(&explained, "/seed"), &seed);
                assert_eq!(at(&explained, "/skipped"), at(call, "/skipped"));
                let tasks = array(&explained, "/tasks");
                assert_eq!(tasks.len(), 1);
                check_explained_task(&tasks[0], frame);
            }
        }
        if let Some(scenario) = command.get("scenario") {
            at(command, "/view/instances");
            at(command, "/view/tasks");
            before = scenario.clone();
        }
    }
    kinds
}

#[wasm_bindgen_test]
fn jakes_run_has_every_field_the_page_reads() {
    let kinds = check_run(JAKE_SH);
    assert_eq!(kinds.len(), 9);
    assert!(kinds.iter().any(|k| k == "tieBreak"), "{kinds:?}");
    assert!(kinds.iter().any(|k| k == "strategy"), "{kinds:?}");
}

#[wasm_bindgen_test]
fn the_other_decisions_have_every_field_the_page_reads() {
    // RunTask's default chain (random), then a constraint only one instance meets, twice on
    // distinct instances: the second task fails.
    let script = "aws ecs run-task --task-definition nouvelleApp --count 2\n\
        aws ecs run-task --task-definition nouvelleApp --group gpu --count 2 --placement-constraints type=distinctInstance 'type=memberOf,expression=attribute:ecs.instance-type == g2.2xlarge'\n";
    let kinds = check_run(script);
    assert_eq!(kinds, ["randomStrategy", "randomStrategy", "onlyCandidate", "failed"]);
}

/// The scheduler's steps after a command, as the page will read them: the EBS walkthrough's
/// drain has a stop step (task, instance, why, the instance after), a placement step with
/// RunTask-like frames, and events; `explainTask` with `schedulerStep` explains a task the
/// scheduler placed.
#[wasm_bindgen_test]
fn scheduler_steps_carry_what_a_page_draws() {
    let example = example("ebs-mysql");
    let files = example_files(&example);
    let preset = load_preset(example["preset"].as_str().unwrap()).unwrap();
    let options = to_js(&json!({"keepGoing": true, "files": files}));
    let trace = to_json(&api::run_script(preset, example["script"].as_str().unwrap(), options, None).unwrap());
    let commands = array(&trace, "/commands");
    let drain = commands
        .iter()
        .find(|c| c["report"]["operation"] == "UpdateContainerInstancesState")
        .unwrap();
    let steps = array(drain, "/report/scheduler");
    let kinds: Vec<&str> = steps.iter().map(|s| string(s, "/kind")).collect();
    assert_eq!(kinds, ["stop", "event", "placement", "event", "event"]);
    let stop = &steps[0];
    assert_eq!(string(stop, "/reason"), "draining");
    string(stop, "/at");
    string(stop, "/tasks/0/taskArn");
    string(stop, "/tasks/0/containerInstanceArn");
    assert_eq!(string(stop, "/tasks/0/why/kind"), "instanceDraining");
    assert_eq!(string(stop, "/tasks/0/instance/status"), "DRAINING");
    let placement = &steps[2];
    assert_eq!(string(placement, "/reason"), "replace-draining");
    assert_eq!(string(placement, "/service"), "mysql-svc");
    check_decision(at(placement, "/placement/frames/0/decision"));
    number(placement, "/placement/frames/0/funnel/active");
    string(placement, "/placement/frames/0/task/taskArn");
    string(placement, "/placement/frames/0/instance/containerInstanceArn");
    assert!(string(&steps[1], "/event/message").starts_with("(service mysql-svc) has stopped 1 running tasks"));
    string(&steps[1], "/event/id");
    string(&steps[1], "/event/createdAt");

    let index = commands.iter().position(|c| std::ptr::eq(c, drain)).unwrap();
    let last_change = commands[..index]
        .iter()
        .rev()
        .find(|c| c.get("scenario").is_some())
        .unwrap();
    let before = to_js(at(last_change, "/scenario"));
    let explain_options = to_js(&json!({"files": files, "schedulerStep": 2}));
    let words = to_js(at(drain, "/report/words"));
    let explanation = to_json(&api::explain_task(before, words, explain_options, 1).unwrap());
    assert_eq!(
        at(&explanation, "/tasks/0/decision"),
        at(placement, "/placement/frames/0/decision")
    );
    assert_eq!(
        string(&explanation, "/tasks/0/placedOn"),
        string(placement, "/placement/frames/0/instance/containerInstanceArn")
    );
}
