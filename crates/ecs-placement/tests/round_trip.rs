//! Property: every scenario the loader accepts saves, loads and saves again byte for byte, and
//! the loaded copy replays identically (the same commands give the same responses and the same
//! scenario, which saves and loads again too). Cluster edits and AWS commands keep the
//! invariants the loader checks, so whatever they leave loads again.
//!
//! Scenarios are generated as JSON text with edge values: timestamps at the ends of the range the
//! format writes, epoch seconds with fractions, offsets, attribute values of up to 128
//! characters of any script, control characters in IDs, explicit and computed remaining
//! resources, ports, GPUs, stopped tasks, task definitions with and without revisions.

use ecs_placement::Scenario;
use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::edit::{self, ClusterEdit};
use ecs_placement::engine::Explain;
use proptest::prelude::*;
use serde_json::{Value, json};

const TYPES: [&str; 4] = ["t2.micro", "t3.large", "g4dn.xlarge", "m5.large"];
const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const IDS: [&str; 6] = [
    "web-1",
    "i\u{1b}[31m",
    "ünï-çødé",
    "a b",
    "arn:aws:ecs:us-east-1:123456789012:container-instance/default/full",
    "x/y",
];

fn registered_at() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("0000-01-01T00:00:00Z")),
        Just(json!("9999-12-31T23:59:59.999Z")),
        Just(json!("9999-12-31T18:59:59-05:00")),
        Just(json!("2016-12-31T23:59:60Z")),
        Just(json!("2024-02-29")),
        (-62_167_219_200.0f64..253_402_300_799.0).prop_map(|s| json!(s)),
        (0i64..2_000_000_000).prop_map(|s| json!(s)),
    ]
}

fn attribute_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        "[a-z0-9.]{1,12}".prop_map(Value::from),
        "\\PC{0,128}".prop_map(Value::from),
    ]
}

fn instance(index: usize) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(TYPES.to_vec()),
        prop::sample::select(ZONES.to_vec()),
        registered_at(),
        prop::collection::btree_map("[a-z][a-z0-9._-]{0,10}", attribute_value(), 0..4),
        prop::option::of((0i64..=4096, 0i64..=8192)),
        prop::sample::select(vec!["ACTIVE", "DRAINING", "INACTIVE"]),
        any::<bool>(),
    )
        .prop_map(move |(kind, zone, at, extra, explicit, status, connected)| {
            let mut attributes = serde_json::Map::new();
            attributes.insert("ecs.instance-type".into(), json!(kind));
            attributes.insert("ecs.availability-zone".into(), json!(zone));
            for (name, value) in extra {
                attributes.insert(name, value);
            }
            let id = IDS.get(index).map_or_else(|| format!("i{index}"), |s| (*s).to_string());
            let mut instance = json!({
                "containerInstanceArn": id, "ec2InstanceId": format!("i-{index:017x}"), "registeredAt": at,
                "status": status, "agentConnected": connected, "agentVersion": "1.82.1", "attributes": attributes,
            });
            if let Some((cpu, memory)) = explicit {
                instance["registeredResources"] = json!({"cpu": cpu, "memory": memory, "gpus": ["GPU-a", "GPU-b"]});
            }
            instance
        })
}

fn task(instances: usize) -> impl Strategy<Value = Value> {
    (
        0..instances.max(1),
        0i64..=600,
        0i64..=900,
        prop::option::of(prop::sample::select(vec![80u16, 443, 8080])),
        prop::sample::select(vec![
            ("RUNNING", "RUNNING"),
            ("STOPPED", "RUNNING"),
            ("STOPPED", "STOPPED"),
        ]),
        prop::option::of(registered_at()),
    )
        .prop_map(|(on, cpu, memory, port, (desired, last), created)| {
            let mut task = json!({
                "containerInstanceArn": IDS.get(on).map_or_else(|| format!("i{on}"), |s| (*s).to_string()),
                "group": "family:probe", "taskDefinitionArn": "probe:1", "cpu": cpu, "memory": memory,
                "desiredStatus": desired, "lastStatus": last,
            });
            if let Some(port) = port {
                task["ports"] = json!([port]);
            }
            if let Some(created) = created {
                task["createdAt"] = created;
            }
            task
        })
}

fn scenario_text() -> impl Strategy<Value = String> {
    (1usize..=7)
        .prop_flat_map(|n| {
            let instances: Vec<_> = (0..n).map(instance).collect();
            (
                instances,
                prop::collection::vec(task(n), 0..10),
                prop::option::of(0..=ecs_placement::scenario::MAX_SEED),
                prop::option::of(1u32..=1_000_000),
                any::<bool>(),
            )
        })
        .prop_map(|(instances, tasks, seed, revision, explicit_remaining)| {
            let tasks: Vec<Value> = tasks
                .into_iter()
                .enumerate()
                .map(|(i, mut t)| {
                    t["taskArn"] = json!(format!("t{i:02}"));
                    t
                })
                .collect();
            let mut probe = json!({"family": "probe", "containerDefinitions": [
                {"name": "probe", "image": "nginx", "cpu": 64, "memory": 96, "portMappings": [{"containerPort": 80, "hostPort": 0}]}]});
            if let Some(revision) = revision {
                probe["revision"] = json!(revision);
            }
            let mut scenario = json!({"version": 1, "instances": instances, "tasks": tasks, "taskDefinitions": [probe,
                {"family": "probe", "cpu": "0.25 vCPU", "memory": "0.25GB", "containerDefinitions": [{"name": "p", "memory": 1}]}]});
            if let Some(seed) = seed {
                scenario["seed"] = json!(seed);
            }
            if explicit_remaining {
                for instance in scenario["instances"].as_array_mut().into_iter().flatten() {
                    instance["remainingResources"] = json!({"cpu": 100, "memory": 100});
                }
            }
            scenario.to_string()
        })
}

const SCRIPT: &str = "\
aws ecs run-task --task-definition probe --count 3 --placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=memory
aws ecs run-task --task-definition probe --count 25 --placement-constraints type=distinctInstance
aws ecs put-attributes --attributes name=stack,value=prod,targetId=web-1
aws ecs register-task-definition --family probe --container-definitions '[{\"name\": \"p\", \"memory\": 32, \"cpu\": 32}]'
aws ecs list-tasks
aws ecs describe-container-instances --container-instances web-1
";

/// Each command's response or error text.
type Answers = Vec<(Option<Value>, Option<String>)>;

/// Responses (or error texts) of the script, and the scenario after it, saved.
fn replay(mut scenario: Scenario) -> (Answers, String) {
    let options = Options {
        explain: Explain::All,
        what_if: true,
        scheduler_step: None,
    };
    let reports = aws::run_script(&mut scenario, SCRIPT, &NoFiles, options, true).expect("the script splits");
    let responses = reports
        .into_iter()
        .map(|r| (r.response, r.error.map(|e| e.text)))
        .collect();
    (responses, scenario.to_json_pretty())
}

/// Saves, loads and saves again: the same text.
fn round_trips(scenario: &Scenario) -> Result<String, TestCaseError> {
    let saved = scenario.to_json_pretty();
    let loaded = Scenario::from_json(&saved).map_err(|e| TestCaseError::fail(format!("{e}\n{saved}")))?;
    prop_assert_eq!(&loaded.to_json_pretty(), &saved, "save, load, save changed the file");
    Ok(saved)
}

fn edits() -> impl Strategy<Value = Vec<Value>> {
    let one = prop_oneof![
        (prop::sample::select(TYPES.to_vec()), 1u32..=3).prop_map(
            |(t, n)| json!({"type": "addInstances", "instanceType": t, "availabilityZone": "us-east-1b", "count": n})
        ),
        prop::sample::select(IDS.to_vec()).prop_map(|i| json!({"type": "cloneInstance", "instance": i})),
        prop::sample::select(IDS.to_vec()).prop_map(|i| json!({"type": "removeInstance", "instance": i})),
        (prop::sample::select(IDS.to_vec()), "[a-z]{1,8}", "[a-z0-9 ]{1,20}")
            .prop_map(|(i, n, v)| json!({"type": "putAttribute", "instance": i, "name": n, "value": v})),
        prop::sample::select(IDS.to_vec())
            .prop_map(|i| json!({"type": "setStatus", "instance": i, "status": "DRAINING"})),
        (0usize..10).prop_map(|t| json!({"type": "stopTask", "task": format!("t{t:02}")})),
    ];
    prop::collection::vec(one, 0..5)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn accepted_scenarios_save_load_and_replay_identically(text in scenario_text(), changes in edits()) {
        let Ok(scenario) = Scenario::from_json(&text) else {
            return Ok(());
        };
        let saved = round_trips(&scenario)?;
        let loaded = Scenario::from_json(&saved).expect("round_trips checked it");
        let (first, after) = replay(scenario.clone());
        let (second, after_loaded) = replay(loaded);
        prop_assert_eq!(&first, &second, "the loaded copy answers differently");
        prop_assert_eq!(&after, &after_loaded, "the loaded copy ends differently");
        let after = Scenario::from_json(&after).map_err(|e| TestCaseError::fail(format!("after the script: {e}")))?;
        round_trips(&after)?;
        let mut edited = scenario;
        for change in changes {
            let change = ClusterEdit::from_value(change).expect("a well-formed edit");
            let _ = edit::apply(&mut edited, &change);
            round_trips(&edited)?;
        }
    }
}

/// The generator must produce scenarios the loader accepts (or the property says little).
#[test]
fn most_generated_scenarios_load() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = scenario_text();
    let accepted = (0..200)
        .filter(|_| Scenario::from_json(&strategy.new_tree(&mut runner).unwrap().current()).is_ok())
        .count();
    assert!(accepted >= 100, "only {accepted} of 200 generated scenarios load");
}
