//! Property tests of the service scheduler (spec §6, decisions D12, D16, D17, D18) on random
//! clusters of identical instances and random sequences of commands.
//!
//! | property | spec |
//! | --- | --- |
//! | 1. the desired count is reached whenever capacity allows, else capacity is used up | §6.1 |
//! | 2. a draining instance never receives a task | §4.5, §6.5 |
//! | 3. a daemon never runs twice on one instance, and runs on every eligible one | §6.3 |
//! | 4. scale-in never leaves the zones less even than D16 allows | D16 |
//! | 5. the scheduler's frames are what explaining its tasks reports | D18 |
//! | 6. the same commands on the same scenario give the same scenario; it saves and loads back | D18 |

use ecs_placement::Scenario;
use ecs_placement::aws::trace::{TaskAddress, explain_at};
use ecs_placement::aws::{self, CommandReport, NoFiles, Options};
use ecs_placement::model::{InstanceStatus, short_id};
use ecs_placement::service::SchedulerStep;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

const CASES: u32 = 64;
/// What one instance holds of `app` (2048 CPU units / 256 per task).
const PER_INSTANCE: usize = 8;

fn cluster(zones: usize, per_zone: usize, seed: u64) -> Scenario {
    let instances: Vec<_> = (0..zones * per_zone)
        .map(|i| {
            let zone = format!("us-east-1{}", ["a", "b", "c"][i % zones]);
            json!({
                "containerInstanceArn": format!("i{i}"),
                "ec2InstanceId": format!("i-{i:017}"),
                "registeredAt": "2024-04-01T09:00:00Z",
                "registeredResources": {"cpu": 2048, "memory": 8192},
                "attributes": {"ecs.availability-zone": zone, "ecs.instance-type": "m5.large"}
            })
        })
        .collect();
    Scenario::from_value(json!({
        "version": 1,
        "seed": seed,
        "instances": instances,
        "taskDefinitions": [
            {"family": "app", "containerDefinitions": [{"name": "app", "cpu": 256, "memory": 512}]},
            {"family": "agent", "containerDefinitions": [{"name": "agent", "cpu": 0, "memory": 16}]}
        ]
    }))
    .unwrap()
}

fn run(scenario: &mut Scenario, line: &str) -> CommandReport {
    aws::run_command(scenario, line, &NoFiles, Options::default())
}

/// A command of a random sequence.
#[derive(Debug, Clone)]
enum Op {
    Create { desired: u32, chain: usize, distinct: bool },
    Scale(u32),
    Drain(usize),
    Activate(usize),
    StopTask(usize),
    Daemon,
    Label(usize, bool),
    Delete,
}

const CHAINS: [&str; 4] = [
    "",
    " --placement-strategy type=binpack,field=memory",
    " --placement-strategy type=random",
    " --placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=cpu",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u32..40, 0usize..CHAINS.len(), any::<bool>()).prop_map(|(desired, chain, distinct)| Op::Create {
            desired,
            chain,
            distinct
        }),
        (0u32..60).prop_map(Op::Scale),
        (0usize..12).prop_map(Op::Drain),
        (0usize..12).prop_map(Op::Activate),
        (0usize..40).prop_map(Op::StopTask),
        Just(Op::Daemon),
        (0usize..12, any::<bool>()).prop_map(|(i, on)| Op::Label(i, on)),
        Just(Op::Delete),
    ]
}

/// The command line of an op on `scenario` (instances and tasks named by index, modulo).
fn line(scenario: &Scenario, op: &Op) -> String {
    let instance = |i: usize| format!("i{}", i % scenario.instances.len().max(1));
    match op {
        Op::Create { desired, chain, distinct } => format!(
            "aws ecs create-service --service-name web --task-definition app --desired-count {desired}{}{}",
            CHAINS[*chain],
            if *distinct { " --placement-constraints type=distinctInstance" } else { "" }
        ),
        Op::Scale(n) => format!("aws ecs update-service --service web --desired-count {n}"),
        Op::Drain(i) => format!("aws ecs update-container-instances-state --container-instances {} --status DRAINING", instance(*i)),
        Op::Activate(i) => format!("aws ecs update-container-instances-state --container-instances {} --status ACTIVE", instance(*i)),
        Op::StopTask(k) => {
            let running: Vec<_> = scenario.tasks.iter().filter(|t| t.is_desired_running()).collect();
            match running.get(k % running.len().max(1)) {
                Some(task) => format!("aws ecs stop-task --task {}", task.short_id()),
                None => "aws ecs list-tasks".into(),
            }
        }
        Op::Daemon => "aws ecs create-service --service-name agent --task-definition agent --scheduling-strategy DAEMON --placement-constraints 'type=memberOf,expression=not(attribute:skip exists)'".into(),
        Op::Label(i, true) => format!("aws ecs put-attributes --attributes name=skip,targetId={},targetType=container-instance", instance(*i)),
        Op::Label(i, false) => format!("aws ecs delete-attributes --attributes name=skip,targetId={},targetType=container-instance", instance(*i)),
        Op::Delete => "aws ecs delete-service --service web --force".into(),
    }
}

/// Runs the ops; checks properties 2 and 3 after each; returns the reports.
fn run_ops(scenario: &mut Scenario, ops: &[Op]) -> Result<Vec<(Scenario, CommandReport)>, TestCaseError> {
    let mut reports = Vec::new();
    for op in ops {
        let before = scenario.clone();
        let command = line(scenario, op);
        let report = run(scenario, &command);
        check_no_draining_placement(&report)?;
        check_daemon(scenario)?;
        reports.push((before, report));
    }
    Ok(reports)
}

/// Property 2: every instance a scheduler frame placed on is ACTIVE.
fn check_no_draining_placement(report: &CommandReport) -> Result<(), TestCaseError> {
    for step in &report.scheduler {
        let SchedulerStep::Placement(p) = step else { continue };
        for frame in &p.placement.frames {
            if let Some(instance) = &frame.instance {
                prop_assert_eq!(
                    instance.status,
                    InstanceStatus::Active,
                    "{}",
                    short_id(&instance.container_instance_arn)
                );
            }
        }
    }
    Ok(())
}

/// Property 3: at most one daemon task per instance, and one on every ACTIVE instance without
/// the `skip` attribute (the daemon needs 16 MiB; an instance always has that left).
fn check_daemon(scenario: &Scenario) -> Result<(), TestCaseError> {
    if !scenario
        .services
        .iter()
        .any(|s| s.service_name == "agent" && s.is_active())
    {
        return Ok(());
    }
    for instance in &scenario.instances {
        let on = scenario
            .running_tasks_on(&instance.container_instance_arn)
            .filter(|t| t.group == "service:agent")
            .count();
        let eligible = instance.status == InstanceStatus::Active && !instance.attributes.contains_key("skip");
        prop_assert!(on <= 1, "two daemons on {}", instance.short_id());
        prop_assert_eq!(
            on == 1,
            eligible,
            "{}: daemon {} eligible {}",
            instance.short_id(),
            on,
            eligible
        );
    }
    Ok(())
}

fn running(scenario: &Scenario, service: &str) -> usize {
    let group = format!("service:{service}");
    scenario
        .tasks
        .iter()
        .filter(|t| t.group == group && t.is_desired_running())
        .count()
}

fn zone_counts(scenario: &Scenario, service: &str) -> BTreeMap<String, usize> {
    let group = format!("service:{service}");
    let mut counts: BTreeMap<String, usize> = scenario
        .instances
        .iter()
        .filter_map(|i| i.availability_zone())
        .map(|z| (z.to_string(), 0))
        .collect();
    for task in scenario
        .tasks
        .iter()
        .filter(|t| t.group == group && t.is_desired_running())
    {
        let index = scenario.instance_index(&task.container_instance_arn).unwrap();
        if let Some(zone) = scenario.instances[index].availability_zone() {
            *counts.entry(zone.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

fn spread(counts: &BTreeMap<String, usize>) -> usize {
    let max = counts.values().max().copied().unwrap_or(0);
    let min = counts.values().min().copied().unwrap_or(0);
    max - min
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// Property 1: a new service runs its desired count when the ACTIVE instances can hold it,
    /// else it fills them (one per instance with distinctInstance).
    #[test]
    fn the_desired_count_is_reached_whenever_capacity_allows(
        zones in 1usize..=3,
        per_zone in 1usize..=3,
        drained in proptest::collection::vec(any::<bool>(), 9),
        desired in 0u32..60,
        chain in 0usize..CHAINS.len(),
        distinct in any::<bool>(),
        seed in 0u64..(1u64 << 53),
    ) {
        let mut scenario = cluster(zones, per_zone, seed);
        let mut active = 0;
        for (i, drain) in drained.iter().take(zones * per_zone).enumerate() {
            if *drain {
                run(&mut scenario, &format!("aws ecs update-container-instances-state --container-instances i{i} --status DRAINING"));
            } else {
                active += 1;
            }
        }
        let op = Op::Create { desired, chain, distinct };
        let command = line(&scenario, &op);
        let report = run(&mut scenario, &command);
        prop_assert!(report.error.is_none(), "{:?}", report.error.map(|e| e.text));
        let capacity = active * if distinct { 1 } else { PER_INSTANCE };
        prop_assert_eq!(running(&scenario, "web"), (desired as usize).min(capacity));
    }

    /// Properties 2 and 3 (checked after every command), and 6: the same commands give the same
    /// scenario, which saves and loads back byte for byte.
    #[test]
    fn random_commands_keep_the_invariants(
        zones in 1usize..=3,
        per_zone in 1usize..=4,
        ops in proptest::collection::vec(op(), 1..12),
        seed in 0u64..(1u64 << 53),
    ) {
        let start = cluster(zones, per_zone, seed);
        let mut first = start.clone();
        run_ops(&mut first, &ops)?;
        let mut second = start;
        run_ops(&mut second, &ops)?;
        prop_assert!(first == second, "the same commands gave different scenarios");
        let saved = first.to_json_pretty();
        let loaded = Scenario::from_json(&saved).unwrap();
        prop_assert!(loaded == first, "the scenario does not load back");
        prop_assert_eq!(loaded.to_json_pretty(), saved);
    }

    /// Property 4: scaling in a default-chain service never leaves the zones less even than
    /// before (or more than one apart when they were even).
    #[test]
    fn scale_in_never_worsens_the_zone_spread(
        per_zone in 1usize..=3,
        placed in proptest::collection::vec(0usize..9, 1..24),
        keep in 0u32..24,
        seed in 0u64..(1u64 << 53),
    ) {
        let mut scenario = cluster(3, per_zone, seed);
        let instances = scenario.instances.len();
        for (n, i) in placed.iter().enumerate() {
            scenario.tasks.push(serde_json::from_value(json!({
                "taskArn": format!("arn:aws:ecs:us-east-1:123456789012:task/default/t{n}"),
                "containerInstanceArn": scenario.instances[i % instances].container_instance_arn,
                "group": "service:web", "cpu": 0, "memory": 0
            })).unwrap());
        }
        let mut value = serde_json::to_value(&scenario).unwrap();
        value["version"] = json!(2);
        value["services"] = json!([{"serviceName": "web", "taskDefinition": "app:1", "desiredCount": placed.len()}]);
        let mut scenario = Scenario::from_value(value).unwrap();
        let before = spread(&zone_counts(&scenario, "web"));
        let keep = keep.min(placed.len() as u32);
        let report = run(&mut scenario, &format!("aws ecs update-service --service web --desired-count {keep}"));
        prop_assert!(report.error.is_none());
        prop_assert_eq!(running(&scenario, "web"), keep as usize);
        let after = spread(&zone_counts(&scenario, "web"));
        prop_assert!(after <= before.max(1), "zone spread {} -> {}: {:?}", before, after, zone_counts(&scenario, "web"));
    }

    /// Property 5: for every task the scheduler placed after a command, explaining it (command,
    /// step and attempt) reports the decision, funnel, task and instance its frame recorded.
    #[test]
    fn scheduler_frames_match_their_explanation(
        zones in 1usize..=3,
        per_zone in 1usize..=3,
        ops in proptest::collection::vec(op(), 1..6),
        seed in 0u64..(1u64 << 53),
    ) {
        let mut scenario = cluster(zones, per_zone, seed);
        for (before, report) in run_ops(&mut scenario, &ops)? {
            for (index, step) in report.scheduler.iter().enumerate() {
                let SchedulerStep::Placement(p) = step else { continue };
                for frame in &p.placement.frames {
                    let address = TaskAddress { step: Some(index), attempt: frame.attempt };
                    let explained = explain_at(&before, &report.words, &NoFiles, false, address).unwrap();
                    let task = &explained.tasks[0];
                    prop_assert_eq!(&task.decision, &frame.decision);
                    prop_assert_eq!(&task.funnel, &frame.funnel);
                    prop_assert_eq!(task.task_arn.as_ref(), frame.task.as_ref().map(|t| &t.task_arn));
                    prop_assert_eq!(task.placed_on.as_ref(), frame.instance.as_ref().map(|i| &i.container_instance_arn));
                }
            }
        }
    }
}
