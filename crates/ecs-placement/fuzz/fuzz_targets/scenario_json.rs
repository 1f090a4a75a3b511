//! Scenario and AWS-output import on arbitrary JSON text: errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = ecs_placement::Scenario::from_json(text);
    let _ = ecs_placement::import::import(text, Some(text));
});
