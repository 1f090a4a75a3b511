//! Helpers of the service tests: small scenarios, commands and what the scheduler did.
#![allow(dead_code)]

use ecs_placement::Scenario;
use ecs_placement::aws::{self, CommandReport, NoFiles, Options};
use ecs_placement::engine::Explain;
use ecs_placement::model::short_id;
use ecs_placement::service::{PlacementStep, SchedulerStep, StopReason, StopWhy};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// An instance: short ID, zone, CPU, memory.
pub fn instance(id: &str, zone: &str, cpu: i64, memory: i64) -> Value {
    json!({
        "containerInstanceArn": id,
        "ec2InstanceId": format!("i-{id}"),
        "registeredAt": "2024-04-01T09:00:00Z",
        "registeredResources": {"cpu": cpu, "memory": memory},
        "attributes": {"ecs.availability-zone": zone, "ecs.instance-type": "m5.large"}
    })
}

pub fn task(id: &str, on: &str) -> Value {
    json!({"taskArn": id, "containerInstanceArn": on, "group": "service:web", "taskDefinitionArn": "app:1", "cpu": 256, "memory": 512, "startedBy": "ecs-svc/1000000000000000001"})
}

pub fn scenario(instances: Vec<Value>, tasks: Vec<Value>, services: Vec<Value>) -> Scenario {
    let definitions = json!([
        {"family": "app", "containerDefinitions": [{"name": "app", "cpu": 256, "memory": 512}]},
        {"family": "big", "containerDefinitions": [{"name": "big", "cpu": 256, "memory": 3000}]},
        {"family": "cpu", "containerDefinitions": [{"name": "cpu", "cpu": 3000, "memory": 10}]},
        {"family": "web80", "containerDefinitions": [{"name": "web", "cpu": 10, "memory": 10, "portMappings": [{"containerPort": 80, "hostPort": 80}]}]},
        {"family": "ebs", "containerDefinitions": [{"name": "db", "cpu": 10, "memory": 10}], "volumes": [{"name": "v", "dockerVolumeConfiguration": {"driver": "rexray/ebs", "scope": "shared"}}]},
        {"family": "agent", "containerDefinitions": [{"name": "agent", "cpu": 64, "memory": 64}]}
    ]);
    let version = if services.is_empty() { 1 } else { 2 };
    Scenario::from_value(json!({
        "version": version, "seed": 5, "instances": instances, "tasks": tasks,
        "taskDefinitions": definitions, "services": services
    }))
    .unwrap()
}

pub fn web(desired: u32, extra: Value) -> Value {
    let mut service = json!({
        "serviceName": "web", "taskDefinition": "app:1", "desiredCount": desired,
        "availabilityZoneRebalancing": "ENABLED", "deploymentId": "ecs-svc/1000000000000000001"
    });
    for (key, value) in extra.as_object().into_iter().flatten() {
        service[key] = value.clone();
    }
    service
}

pub fn run(scenario: &mut Scenario, line: &str) -> CommandReport {
    let options = Options {
        explain: Explain::Off,
        what_if: false,
        scheduler_step: None,
    };
    aws::run_command(scenario, line, &NoFiles, options)
}

pub fn ok(scenario: &mut Scenario, line: &str) -> CommandReport {
    let report = run(scenario, line);
    if let Some(error) = &report.error {
        panic!("{line}: {}", error.text);
    }
    report
}

pub fn error(scenario: &mut Scenario, line: &str) -> (String, i32) {
    let report = run(scenario, line);
    let error = report.error.unwrap_or_else(|| panic!("{line} should fail"));
    (error.text, error.exit_code)
}

pub fn placements(steps: &[SchedulerStep]) -> Vec<&PlacementStep> {
    steps
        .iter()
        .filter_map(|s| match s {
            SchedulerStep::Placement(p) => Some(p.as_ref()),
            _ => None,
        })
        .collect()
}

/// Short IDs of the instances the scheduler placed on.
pub fn placed(steps: &[SchedulerStep]) -> Vec<String> {
    placements(steps)
        .iter()
        .flat_map(|p| &p.placement.frames)
        .filter_map(|f| f.instance)
        .map(|i| short_id(&i.container_instance_arn).to_string())
        .collect()
}

/// (short instance ID, reason, why) of the tasks the scheduler stopped.
pub fn stopped(steps: &[SchedulerStep]) -> Vec<(String, StopReason, StopWhy)> {
    steps
        .iter()
        .filter_map(|s| match s {
            SchedulerStep::Stop(stop) => Some(stop),
            _ => None,
        })
        .flat_map(|stop| {
            stop.tasks.iter().map(|t| {
                (
                    short_id(&t.container_instance_arn).to_string(),
                    stop.reason,
                    t.why.clone(),
                )
            })
        })
        .collect()
}

pub fn events(steps: &[SchedulerStep]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| s.event().map(|e| e.message.to_string()))
        .collect()
}

/// The service's running tasks per instance (short IDs).
pub fn running(scenario: &Scenario, service: &str) -> BTreeMap<String, usize> {
    let group = format!("service:{service}");
    let mut map = BTreeMap::new();
    for task in scenario
        .tasks
        .iter()
        .filter(|t| t.group == group && t.is_desired_running())
    {
        *map.entry(short_id(&task.container_instance_arn).to_string())
            .or_insert(0) += 1;
    }
    map
}

pub fn zones(scenario: &Scenario, service: &str) -> BTreeMap<String, usize> {
    let mut map = BTreeMap::new();
    for (instance, n) in running(scenario, service) {
        let index = scenario.instance_index(&instance).unwrap();
        let zone = scenario.instances[index].availability_zone().unwrap().to_string();
        *map.entry(zone).or_insert(0) += n;
    }
    map
}

pub fn six_instances() -> Vec<Value> {
    ["a", "b", "c"]
        .iter()
        .flat_map(|z| [1, 2].map(|n| instance(&format!("{z}{n}"), &format!("us-east-1{z}"), 4096, 8192)))
        .collect()
}
