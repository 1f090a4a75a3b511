//! The AWS CLI shorthand parser on arbitrary text, directly and as RunTask's structure
//! arguments on the sample cluster: errors, never panics (deep nesting is refused), and whatever
//! runs leaves a scenario that saves and loads again unchanged.
#![no_main]

use ecs_placement::Scenario;
use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::engine::Explain;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = aws::shorthand::parse(text);
    let Ok(mut scenario) = ecs_placement::presets::sample() else { return };
    for flag in ["--overrides", "--placement-constraints", "--placement-strategy", "--network-configuration"] {
        let words: Vec<String> = ["aws", "ecs", "run-task", "--task-definition", "webserver", "--count", "3", flag, text]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let Ok(invocation) = aws::parse_invocation(&words, &NoFiles) else { continue };
        let options = Options { explain: Explain::All, what_if: false, scheduler_step: None };
        let _ = aws::execute(&mut scenario, &invocation, options);
    }
    let saved = scenario.to_json_pretty();
    let loaded = Scenario::from_json(&saved).expect("a scenario the commands left loads again");
    assert_eq!(loaded.to_json_pretty(), saved);
});
