//! The JSON paths of task definitions and overrides: arbitrary text as
//! `register-task-definition --cli-input-json`, as `run-task --overrides`, and as a scenario's
//! `taskDefinitions` entry. Errors, never panics, and every scenario that results saves and
//! loads again byte for byte.
#![no_main]

use ecs_placement::Scenario;
use ecs_placement::aws::{self, NoFiles, Options};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The sample cluster, loaded once.
fn sample() -> Option<Scenario> {
    static SAMPLE: OnceLock<Option<Scenario>> = OnceLock::new();
    SAMPLE.get_or_init(|| ecs_placement::presets::sample().ok()).clone()
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

fn run(scenario: &mut Scenario, list: &[&str]) {
    if let Ok(invocation) = aws::parse_invocation(&words(list), &NoFiles) {
        let options = Options { what_if: true, ..Options::default() };
        let _ = aws::execute(scenario, &invocation, options);
    }
}

fn round_trips(scenario: &Scenario) {
    let saved = scenario.to_json_pretty();
    let loaded = Scenario::from_json(&saved).expect("the saved scenario loads again");
    assert_eq!(loaded.to_json_pretty(), saved);
}

fuzz_target!(|text: &str| {
    let Some(mut scenario) = sample() else { return };
    run(&mut scenario, &["aws", "ecs", "register-task-definition", "--cli-input-json", text]);
    run(&mut scenario, &["aws", "ecs", "run-task", "--task-definition", "webserver", "--count", "20", "--overrides", text]);
    // The registered family, if the text registered one, placed with the same overrides.
    if let Some(family) = scenario.task_definitions.last().map(|d| d.family.clone()) {
        run(&mut scenario, &["aws", "ecs", "run-task", "--task-definition", &family, "--count", "20", "--overrides", text]);
    }
    round_trips(&scenario);
    if let Ok(definition) = ecs_placement::json::parse(text) {
        let mut value = serde_json::json!({"version": 1, "seed": 7, "instances": [
            {"containerInstanceArn": "a", "attributes": {"ecs.instance-type": "t3.small"}}
        ]});
        value["taskDefinitions"] = serde_json::json!([definition]);
        if let Ok(loaded) = Scenario::from_value(value) {
            round_trips(&loaded);
        }
    }
});
