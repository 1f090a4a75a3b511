//! The FARGATE launch type: RunTask and CreateService responses, every refusal with AWS's
//! message, tasks in the subnets' zones spread across them (decision D19), describe / list /
//! stop of Fargate tasks, services that scale out, in and are deleted, capacity providers, and
//! the property that a group's zones never differ by more than one task.

use ecs_placement::aws::{self, FileMap, Options};
use ecs_placement::service::{FargateAction, SchedulerStep};
use ecs_placement::{Scenario, json};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Three zones, one subnet each, plus a second subnet in us-east-1a; one EC2 instance so the
/// cluster is not empty (Fargate needs none).
fn cluster() -> Scenario {
    Scenario::from_value(json!({
        "version": 1,
        "seed": 7,
        "subnets": [
            {"subnetId": "subnet-a1", "availabilityZone": "us-east-1a", "vpcId": "vpc-1"},
            {"subnetId": "subnet-a2", "availabilityZone": "us-east-1a", "vpcId": "vpc-1"},
            {"subnetId": "subnet-b1", "availabilityZone": "us-east-1b", "vpcId": "vpc-1"},
            {"subnetId": "subnet-c1", "availabilityZone": "us-east-1c", "vpcId": "vpc-1"}
        ],
        "instances": [
            {"containerInstanceArn": "ec2-a", "attributes": {"ecs.instance-type": "m5.large", "ecs.availability-zone": "us-east-1a"}}
        ],
        "tasks": [],
        "taskDefinitions": [
            {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
             "containerDefinitions": [{"name": "web", "image": "nginx", "portMappings": [{"containerPort": 80}]}]},
            {"family": "big", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "8 vCPU", "memory": "16GB",
             "containerDefinitions": [{"name": "big", "image": "app"}]},
            {"family": "ec2only", "networkMode": "awsvpc", "cpu": "256", "memory": "512",
             "containerDefinitions": [{"name": "x", "image": "app"}]},
            {"family": "bridge", "containerDefinitions": [{"name": "x", "image": "app", "memory": 128}]},
            {"family": "pinned", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
             "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.availability-zone == us-east-1a"}],
             "containerDefinitions": [{"name": "x", "image": "app"}]}
        ]
    }))
    .unwrap()
}

const NETWORK: &str = "--network-configuration awsvpcConfiguration={subnets=[subnet-a1,subnet-a2,subnet-b1,subnet-c1],assignPublicIp=ENABLED}";

/// Runs one command; the response, or the error as `Exception: message`.
fn run(scenario: &mut Scenario, line: &str) -> Result<aws::Outcome, String> {
    aws::run_line(scenario, line, &FileMap::default(), Options::default())
        .map(|(_, outcome)| outcome)
        .map_err(|e| format!("{}: {}", e.kind.aws_exception().unwrap_or("error"), e.message))
}

fn ok(scenario: &mut Scenario, line: &str) -> aws::Outcome {
    run(scenario, line).unwrap_or_else(|e| panic!("`{line}` failed: {e}"))
}

fn zones_of(response: &Value) -> Vec<String> {
    response["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["availabilityZone"].as_str().unwrap().to_string())
        .collect()
}

/// The running Fargate tasks of a group per zone.
fn zone_counts(scenario: &Scenario, group: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for task in scenario
        .tasks
        .iter()
        .filter(|t| t.group == group && t.is_desired_running())
    {
        let zone = task.fargate().expect("a Fargate task").availability_zone.clone();
        *counts.entry(zone).or_insert(0) += 1;
    }
    counts
}

#[test]
fn run_task_on_fargate_answers_in_aws_shape() {
    let mut scenario = cluster();
    let outcome = ok(
        &mut scenario,
        &format!("aws ecs run-task --launch-type FARGATE --task-definition web --count 2 {NETWORK}"),
    );
    assert!(
        outcome.placement.is_none(),
        "no funnel: Fargate has no container instances"
    );
    insta::assert_snapshot!(json::to_pretty(&outcome.response));
}

#[test]
fn tasks_spread_over_the_subnets_zones() {
    let mut scenario = cluster();
    let outcome = ok(
        &mut scenario,
        &format!("aws ecs run-task --launch-type FARGATE --task-definition web --count 6 {NETWORK}"),
    );
    let mut zones = zones_of(&outcome.response);
    zones.sort();
    assert_eq!(
        zones,
        [
            "us-east-1a",
            "us-east-1a",
            "us-east-1b",
            "us-east-1b",
            "us-east-1c",
            "us-east-1c"
        ],
        "two subnets in us-east-1a count as one zone"
    );
    let subnets: Vec<&str> = outcome.response["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["availabilityZone"] == "us-east-1a")
        .map(|t| t["attachments"][0]["details"][0]["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        subnets,
        ["subnet-a1", "subnet-a1"],
        "the zone's first subnet of the request"
    );
}

#[test]
fn the_same_seed_places_the_same_way() {
    let line = format!("aws ecs run-task --launch-type FARGATE --task-definition web --count 5 {NETWORK}");
    let first = ok(&mut cluster(), &line).response;
    let second = ok(&mut cluster(), &line).response;
    assert_eq!(first, second);
}

#[test]
fn eight_and_sixteen_vcpu_tasks_run() {
    let mut scenario = cluster();
    let outcome = ok(
        &mut scenario,
        &format!("aws ecs run-task --launch-type FARGATE --task-definition big {NETWORK}"),
    );
    let task = &outcome.response["tasks"][0];
    assert_eq!(
        (task["cpu"].as_str(), task["memory"].as_str()),
        (Some("8192"), Some("16384"))
    );
}

#[test]
fn describe_list_and_stop_know_fargate_tasks() {
    let mut scenario = cluster();
    let placed = ok(
        &mut scenario,
        &format!("aws ecs run-task --launch-type FARGATE --task-definition web {NETWORK}"),
    );
    let arn = placed.response["tasks"][0]["taskArn"].as_str().unwrap().to_string();
    let described = ok(&mut scenario, &format!("aws ecs describe-tasks --tasks {arn}")).response;
    let task = &described["tasks"][0];
    assert_eq!(task["lastStatus"], "RUNNING");
    assert_eq!(task["capacityProviderName"], "FARGATE");
    assert!(task.get("containerInstanceArn").is_none());
    let fargate = ok(&mut scenario, "aws ecs list-tasks --launch-type FARGATE").response;
    assert_eq!(fargate["taskArns"], json!([arn]));
    let ec2 = ok(&mut scenario, "aws ecs list-tasks --launch-type EC2").response;
    assert_eq!(ec2["taskArns"], json!([]));
    let stopped = ok(&mut scenario, &format!("aws ecs stop-task --task {arn} --reason done")).response;
    assert_eq!(stopped["task"]["lastStatus"], "STOPPED");
    assert_eq!(stopped["task"]["availabilityZone"], task["availabilityZone"]);
    let left = ok(&mut scenario, "aws ecs list-tasks --launch-type FARGATE").response;
    assert_eq!(left["taskArns"], json!([]));
}

#[test]
fn a_saved_scenario_with_fargate_tasks_loads_again() {
    let mut scenario = cluster();
    ok(
        &mut scenario,
        &format!("aws ecs run-task --launch-type FARGATE --task-definition web --count 3 {NETWORK}"),
    );
    let saved = scenario.to_json_pretty();
    let loaded = Scenario::from_json(&saved).unwrap();
    assert_eq!(loaded.tasks, scenario.tasks);
    assert!(
        !saved.contains("\"containerInstanceArn\": \"\""),
        "no empty instance ARN is written"
    );
}

/// Every request ECS refuses for Fargate, with its exception and message.
#[test]
fn fargate_refusals_use_aws_messages() {
    let cases = [
        // The definition must be registered for FARGATE.
        "aws ecs run-task --launch-type FARGATE --task-definition ec2only --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs run-task --launch-type FARGATE --task-definition bridge --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        // No constraints (the request's or the definition's) and no strategies.
        "aws ecs run-task --launch-type FARGATE --task-definition web --placement-constraints type=distinctInstance --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs run-task --launch-type FARGATE --task-definition pinned --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs run-task --launch-type FARGATE --task-definition web --placement-strategy type=spread,field=attribute:ecs.availability-zone --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        // The network configuration.
        "aws ecs run-task --launch-type FARGATE --task-definition web",
        "aws ecs run-task --launch-type FARGATE --task-definition web --network-configuration awsvpcConfiguration={subnets=[]}",
        "aws ecs run-task --launch-type FARGATE --task-definition web --network-configuration awsvpcConfiguration={subnets=[subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1,subnet-a1]}",
        "aws ecs run-task --launch-type FARGATE --task-definition web --network-configuration awsvpcConfiguration={subnets=[subnet-nope]}",
        "aws ecs run-task --launch-type FARGATE --task-definition web --network-configuration awsvpcConfiguration={subnets=[subnet-a1],assignPublicIp=YES}",
        // Platform versions and capacity providers.
        "aws ecs run-task --launch-type FARGATE --platform-version 1.2.0 --task-definition web --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs run-task --launch-type FARGATE --capacity-provider-strategy capacityProvider=FARGATE,weight=1 --task-definition web --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs run-task --capacity-provider-strategy capacityProvider=FARGATE,base=1,weight=1 capacityProvider=FARGATE_SPOT,base=2,weight=1 --task-definition web --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs run-task --capacity-provider-strategy capacityProvider=FARGATE,weight=0 capacityProvider=FARGATE_SPOT,weight=0 --task-definition web --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs run-task --capacity-provider-strategy capacityProvider=FARGATE,weight=1001 --task-definition web --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        // A Fargate-only definition on EC2.
        "aws ecs run-task --task-definition web --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        // Services.
        "aws ecs create-service --service-name s --launch-type FARGATE --task-definition web --desired-count 1 --placement-strategy type=binpack,field=memory --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs create-service --service-name s --launch-type FARGATE --task-definition web --desired-count 1 --placement-constraints type=memberOf,expression=attribute:stack==prod --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs create-service --service-name s --launch-type FARGATE --task-definition web --desired-count 1",
        "aws ecs create-service --service-name s --launch-type FARGATE --task-definition web --scheduling-strategy DAEMON --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs create-service --service-name s --capacity-provider-strategy capacityProvider=FARGATE,weight=1 --task-definition web --scheduling-strategy DAEMON --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
        "aws ecs create-service --service-name s --launch-type FARGATE --task-definition ec2only --desired-count 1 --network-configuration awsvpcConfiguration={subnets=[subnet-a1]}",
    ];
    let mut out = String::new();
    for line in cases {
        let mut scenario = cluster();
        let answer = run(&mut scenario, line);
        let text = answer.err().unwrap_or_else(|| panic!("`{line}` should be refused"));
        out.push_str(&format!("$ {line}\n{text}\n\n"));
        assert!(scenario.tasks.is_empty() && scenario.services.is_empty(), "{line}");
    }
    insta::assert_snapshot!(out);
}

/// RegisterTaskDefinition's Fargate checks (ClientException).
#[test]
fn registration_refuses_definitions_fargate_cannot_run() {
    let cases = [
        r#"{"family":"a","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"1024","memory":"1024","containerDefinitions":[{"name":"x","image":"i"}]}"#,
        r#"{"family":"a","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"300","memory":"512","containerDefinitions":[{"name":"x","image":"i"}]}"#,
        r#"{"family":"a","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"1536","containerDefinitions":[{"name":"x","image":"i"}]}"#,
        r#"{"family":"a","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"16 vCPU","memory":"36GB","containerDefinitions":[{"name":"x","image":"i"}]}"#,
        r#"{"family":"a","requiresCompatibilities":["EC2","FARGATE"],"networkMode":"bridge","cpu":"256","memory":"512","containerDefinitions":[{"name":"x","image":"i"}]}"#,
        r#"{"family":"a","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","memory":"512","containerDefinitions":[{"name":"x","image":"i"}]}"#,
        r#"{"family":"a","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","containerDefinitions":[{"name":"x","image":"i"}]}"#,
    ];
    let mut out = String::new();
    for definition in cases {
        let line = format!("aws ecs register-task-definition --cli-input-json '{definition}'");
        let text = run(&mut cluster(), &line)
            .err()
            .unwrap_or_else(|| panic!("{line} should be refused"));
        out.push_str(&format!("{definition}\n{text}\n\n"));
    }
    insta::assert_snapshot!(out);
    let valid = r#"{"family":"a","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"16384","memory":"122880","containerDefinitions":[{"name":"x","image":"i"}]}"#;
    let registered = ok(
        &mut cluster(),
        &format!("aws ecs register-task-definition --cli-input-json '{valid}'"),
    );
    assert_eq!(
        registered.response["taskDefinition"]["compatibilities"],
        json!(["EC2", "FARGATE", "EXTERNAL"])
    );
}

#[test]
fn a_fargate_service_scales_out_in_and_is_deleted() {
    let mut scenario = cluster();
    let created = ok(
        &mut scenario,
        &format!(
            "aws ecs create-service --service-name web --launch-type FARGATE --task-definition web --desired-count 7 {NETWORK}"
        ),
    );
    let counts = zone_counts(&scenario, "service:web");
    assert_eq!(counts.values().copied().collect::<Vec<_>>().iter().sum::<usize>(), 7);
    assert!(
        counts.values().max().unwrap() - counts.values().min().unwrap() <= 1,
        "{counts:?}"
    );
    let scaled = ok(&mut scenario, "aws ecs update-service --service web --desired-count 2");
    let counts = zone_counts(&scenario, "service:web");
    assert_eq!(counts.values().sum::<usize>(), 2);
    assert!(
        counts.values().all(|&n| n == 1),
        "scale-in takes from the fullest zones: {counts:?}"
    );
    let described = ok(&mut scenario, "aws ecs describe-services --services web").response;
    assert_eq!(described["services"][0]["runningCount"], 2);
    assert_eq!(described["services"][0]["launchType"], "FARGATE");
    let deleted = ok(&mut scenario, "aws ecs delete-service --service web --force");
    assert!(zone_counts(&scenario, "service:web").is_empty());
    let mut out = String::new();
    for (line, outcome) in [
        ("create-service", &created),
        ("update-service", &scaled),
        ("delete-service", &deleted),
    ] {
        out.push_str(&format!("$ {line}\n{}\n", json::to_pretty(&outcome.response)));
        for step in &outcome.scheduler {
            match step {
                SchedulerStep::Fargate(step) => out.push_str(&format!("{}\n", json::to_pretty(step))),
                other => out.push_str(&format!(
                    "event: {}\n",
                    other.event().map_or("", |e| e.message.as_str())
                )),
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn a_stopped_fargate_task_is_replaced_in_the_zone_that_lost_it() {
    let mut scenario = cluster();
    ok(
        &mut scenario,
        &format!(
            "aws ecs create-service --service-name web --launch-type FARGATE --task-definition web --desired-count 3 {NETWORK}"
        ),
    );
    let victim = scenario
        .tasks
        .iter()
        .find(|t| t.fargate().unwrap().availability_zone == "us-east-1b")
        .unwrap()
        .task_arn
        .clone();
    let outcome = ok(&mut scenario, &format!("aws ecs stop-task --task {victim}"));
    let started: Vec<&str> = outcome
        .scheduler
        .iter()
        .filter_map(|s| match s {
            SchedulerStep::Fargate(f) => match &f.action {
                FargateAction::Started { tasks, .. } => Some(tasks.iter().map(|t| t.placement.as_ref().unwrap())),
                FargateAction::Stopped { .. } => None,
            },
            _ => None,
        })
        .flatten()
        .map(|_| "started")
        .collect();
    assert_eq!(started, ["started"]);
    let counts = zone_counts(&scenario, "service:web");
    assert_eq!(counts.get("us-east-1b"), Some(&1), "{counts:?}");
}

#[test]
fn capacity_providers_share_tasks_by_base_and_weight() {
    let mut scenario = cluster();
    let outcome = ok(
        &mut scenario,
        &format!(
            "aws ecs create-service --service-name web --task-definition web --desired-count 6 --capacity-provider-strategy capacityProvider=FARGATE,base=2,weight=1 capacityProvider=FARGATE_SPOT,weight=1 {NETWORK}"
        ),
    );
    assert!(outcome.response["service"].get("launchType").is_none());
    assert_eq!(
        outcome.response["service"]["capacityProviderStrategy"][1]["capacityProvider"],
        "FARGATE_SPOT"
    );
    let mut providers = BTreeMap::new();
    for task in &scenario.tasks {
        *providers
            .entry(task.fargate().unwrap().capacity_provider_name.clone())
            .or_insert(0) += 1;
    }
    assert_eq!(
        providers,
        BTreeMap::from([("FARGATE".to_string(), 4), ("FARGATE_SPOT".to_string(), 2)])
    );
}

#[test]
fn the_cluster_view_has_a_lane_per_zone() {
    let mut scenario = cluster();
    ok(
        &mut scenario,
        &format!("aws ecs run-task --launch-type FARGATE --task-definition web --count 2 {NETWORK}"),
    );
    let view = ecs_placement::view::cluster_view(&scenario);
    let zones: Vec<&str> = view.fargate.iter().map(|l| l.availability_zone.as_str()).collect();
    assert_eq!(
        zones,
        ["us-east-1a", "us-east-1b", "us-east-1c"],
        "every zone of the subnets"
    );
    assert_eq!(view.fargate.iter().map(|l| l.tasks.len()).sum::<usize>(), 2);
    assert!(view.tasks.is_empty(), "Fargate tasks are in no instance's bin");
    let placement = view
        .fargate
        .iter()
        .flat_map(|l| &l.tasks)
        .next()
        .unwrap()
        .placement
        .clone()
        .unwrap();
    assert_eq!(placement.group, "family:web");
    assert_eq!(placement.zones.len(), 3);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// However a group's tasks come and go — RunTask calls, service scale-out and scale-in, a
    /// user stopping a service's task (the scheduler replaces it) — its running Fargate tasks in
    /// the request's zones differ by at most one task.
    #[test]
    fn zones_stay_within_one_task(seed in 0u64..1000, steps in prop::collection::vec((0u8..4, 1u32..10), 1..12)) {
        let mut scenario = cluster();
        scenario.seed = Some(seed);
        ok(&mut scenario, &format!("aws ecs create-service --service-name s --launch-type FARGATE --task-definition web --desired-count 1 {NETWORK}"));
        for (kind, n) in steps {
            match kind {
                0 => { ok(&mut scenario, &format!("aws ecs run-task --launch-type FARGATE --task-definition web --count {n} {NETWORK}")); }
                1 | 2 => { ok(&mut scenario, &format!("aws ecs update-service --service s --desired-count {}", n * u32::from(kind))); }
                _ => {
                    let running: Vec<String> = scenario.tasks.iter().filter(|t| t.group == "service:s" && t.is_desired_running()).map(|t| t.task_arn.to_string()).collect();
                    if let Some(arn) = running.get(n as usize % running.len().max(1)) {
                        ok(&mut scenario, &format!("aws ecs stop-task --task {arn}"));
                    }
                }
            }
            for group in ["service:s", "family:web"] {
                let counts = zone_counts(&scenario, group);
                let per_zone: Vec<usize> = ["us-east-1a", "us-east-1b", "us-east-1c"].iter().map(|z| counts.get(*z).copied().unwrap_or(0)).collect();
                let (min, max) = (per_zone.iter().min().unwrap(), per_zone.iter().max().unwrap());
                prop_assert!(max - min <= 1, "{group}: {per_zone:?}");
            }
        }
    }
}

/// A Fargate service created with the name of tasks already on an instance (an import without
/// the service) counts them, and scale-in stops them as one bucket of their own.
#[test]
fn a_fargate_service_adopts_and_scales_in_earlier_tasks_of_its_group() {
    let mut scenario = cluster();
    scenario.tasks.push(
        serde_json::from_value(json!({"taskArn": "old-1", "containerInstanceArn": scenario.instances[0].container_instance_arn, "group": "service:web", "cpu": 256, "memory": 512}))
            .unwrap(),
    );
    let mut scenario = Scenario::from_json(&scenario.to_json_pretty()).unwrap();
    ok(
        &mut scenario,
        &format!(
            "aws ecs create-service --service-name web --launch-type FARGATE --task-definition web --desired-count 3 {NETWORK}"
        ),
    );
    assert_eq!(
        zone_counts_any(&scenario),
        3,
        "the earlier task counts: 2 started on Fargate"
    );
    ok(&mut scenario, "aws ecs update-service --service web --desired-count 1");
    assert_eq!(zone_counts_any(&scenario), 1);
}

fn zone_counts_any(scenario: &Scenario) -> usize {
    scenario
        .tasks
        .iter()
        .filter(|t| t.group == "service:web" && t.is_desired_running())
        .count()
}
