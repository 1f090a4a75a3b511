//! Decision D18: the same scenario and seed give the same placements on every platform. The
//! responses of `fixtures/determinism/script.sh` on `tests/scenarios/blog-cluster.json` are
//! committed in `fixtures/determinism/responses.json`; this test checks them natively and the
//! wasm crate's `tests/determinism.rs` checks the same file in headless Chromium.

use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::engine::Explain;
use ecs_placement::{Scenario, json};
use serde_json::Value;

const SCENARIO: &str = include_str!("../../../tests/scenarios/blog-cluster.json");
const SCRIPT: &str = include_str!("fixtures/determinism/script.sh");
const EXPECTED: &str = include_str!("fixtures/determinism/responses.json");

#[test]
fn responses_are_the_committed_ones() {
    let mut scenario = Scenario::from_json(SCENARIO).unwrap();
    let reports = aws::run_script(&mut scenario, SCRIPT, &NoFiles, Options::default(), false).unwrap();
    let responses: Vec<Value> = reports
        .into_iter()
        .map(|r| r.response.expect("every command succeeds"))
        .collect();
    let actual = json::to_pretty(&responses) + "\n";
    if std::env::var_os("UPDATE_DETERMINISM").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/determinism/responses.json");
        std::fs::write(path, &actual).unwrap();
        return;
    }
    assert!(
        actual == EXPECTED,
        "placements changed; if intended, run UPDATE_DETERMINISM=1 cargo test --test determinism"
    );
}

#[test]
fn explanations_do_not_change_the_result() {
    let run = |explain| {
        let mut scenario = Scenario::from_json(SCENARIO).unwrap();
        let options = Options {
            explain: Explain::from(explain),
            what_if: false,
            scheduler_step: None,
        };
        let reports = aws::run_script(&mut scenario, SCRIPT, &NoFiles, options, false).unwrap();
        reports.into_iter().map(|r| r.response).collect::<Vec<_>>()
    };
    assert_eq!(run(true), run(false));
}
