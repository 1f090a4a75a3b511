//! Any scenario the loader accepts saves, loads and saves again byte for byte, and replays
//! identically: the same commands on the loaded copy give the same responses and the same
//! saved scenario. Arbitrary text as a scenario file and as `import` input.
#![no_main]

use ecs_placement::Scenario;
use ecs_placement::aws::{self, NoFiles, Options};
use libfuzzer_sys::fuzz_target;

const SCRIPT: &str = "aws ecs run-task --task-definition nouvelleApp --count 4 --placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=memory\n\
aws ecs list-container-instances --filter 'agentConnected == true'\n\
aws ecs describe-container-instances --container-instances a\n";

fn check(scenario: Scenario) {
    let saved = scenario.to_json_pretty();
    let loaded = Scenario::from_json(&saved).expect("a saved scenario loads again");
    assert_eq!(loaded.to_json_pretty(), saved, "save, load, save changed the file");
    let replay = |mut s: Scenario| {
        let reports = aws::run_script(&mut s, SCRIPT, &NoFiles, Options::default(), true).ok()?;
        let responses: Vec<_> = reports.iter().map(|r| (r.response.clone(), r.error.as_ref().map(|e| e.text.clone()))).collect();
        Some((responses, s.to_json_pretty()))
    };
    let first = replay(scenario);
    let second = replay(loaded);
    assert_eq!(first, second, "the loaded copy replays differently");
    if let Some((_, after)) = first {
        let again = Scenario::from_json(&after).expect("the scenario after the commands loads again");
        assert_eq!(again.to_json_pretty(), after);
    }
}

fuzz_target!(|text: &str| {
    if let Ok(scenario) = Scenario::from_json(text) {
        check(scenario);
    }
    if let Ok(imported) = ecs_placement::import::import(text, Some(text)) {
        check(imported.scenario);
    }
});
