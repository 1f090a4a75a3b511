//! Shell splitting, the AWS CLI argument parser, shorthand, and running the command on the
//! sample cluster: arbitrary text never panics.
#![no_main]

use ecs_placement::engine::Explain;
use ecs_placement::aws::{self, NoFiles, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = aws::shorthand::parse(text);
    let Ok(mut scenario) = ecs_placement::presets::sample() else { return };
    let line = format!("aws ecs run-task --task-definition x {text}");
    let _ = aws::run_line(&mut scenario, &line, &NoFiles, Options { explain: Explain::All, what_if: false, scheduler_step: None });
    let _ = aws::run_line(&mut scenario, text, &NoFiles, Options::default());
});
