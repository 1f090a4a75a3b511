//! Cluster edits (`ecs_placement::edit`): every variant on the sample cluster, success and
//! error, and random sequences of edits that must keep the scenario loadable and unchanged by a
//! save and load.

use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::edit::{
    AddInstances, ClusterEdit, DeleteAttribute, EditOutcome, InstanceRef, PutAttribute, SetAgentConnected, SetStatus,
    StopTask, apply,
};
use ecs_placement::model::{InstanceStatus, TaskStatus};
use ecs_placement::{ErrorKind, Scenario};
use proptest::prelude::*;
use serde_json::json;

const M5_1A: &str = "1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d";
const M5_1A_EC2: &str = "i-0a1b2c3d4e5f60001";
const T2_1A: &str = "0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c";
const G2_1A: &str = "2d8b2c3e4f5a6b7c8d9e0f1a2b3c4d5e";
const M5_XL_1B: &str = "50be5f6b7c8d9e0f1a2b3c4d5e6f7081";
const T2_1C: &str = "61cf607c8d9e0f1a2b3c4d5e6f708192";

fn sample() -> Scenario {
    ecs_placement::presets::sample().unwrap()
}

fn edit(value: serde_json::Value) -> ClusterEdit {
    serde_json::from_value(value).unwrap()
}

/// Applies an edit that must succeed, and checks the scenario still saves and loads back equal.
fn ok(scenario: &mut Scenario, value: serde_json::Value) -> EditOutcome {
    let outcome = apply(scenario, &edit(value.clone())).unwrap_or_else(|e| panic!("{value}: {}", e.detailed()));
    assert_round_trips(scenario);
    outcome
}

/// Applies an edit that must fail and change nothing; returns the error.
fn err(scenario: &mut Scenario, value: serde_json::Value) -> ecs_placement::Error {
    let before = scenario.clone();
    let error = apply(scenario, &edit(value.clone())).expect_err(&value.to_string());
    assert_eq!(*scenario, before, "{value} changed the scenario");
    error
}

fn assert_round_trips(scenario: &Scenario) {
    let loaded = Scenario::from_json(&scenario.to_json_pretty()).unwrap_or_else(|e| panic!("{}", e.detailed()));
    assert_eq!(&loaded, scenario);
    assert_resources_consistent(scenario);
}

/// Every instance's remaining CPU and memory is what its tasks leave of the registered figures.
fn assert_resources_consistent(scenario: &Scenario) {
    for instance in &scenario.instances {
        let held = scenario
            .tasks
            .iter()
            .filter(|t| t.container_instance_arn == instance.container_instance_arn && t.holds_resources());
        let (cpu, memory) = held.fold((0, 0), |(c, m), t| (c + t.cpu, m + t.memory));
        let remaining = instance.remaining();
        assert_eq!(
            (i64::from(remaining.cpu), i64::from(remaining.memory)),
            (
                i64::from(instance.registered().cpu) - cpu,
                i64::from(instance.registered().memory) - memory
            ),
            "{}",
            instance.short_id()
        );
    }
}

fn index_of(scenario: &Scenario, reference: &str) -> usize {
    scenario.instance_index(reference).unwrap()
}

fn short(arn: &str) -> &str {
    ecs_placement::model::short_id(arn)
}

#[test]
fn add_instances_registers_catalog_instances_in_the_zone() {
    let mut scenario = sample();
    let out = ok(
        &mut scenario,
        json!({"type": "addInstances", "instanceType": "t2.micro", "availabilityZone": "us-east-1a", "count": 2}),
    );
    assert_eq!(out.summary, "Added 2 t2.micro instances in us-east-1a");
    assert_eq!(out.instances.len(), 2);
    assert!(out.warnings.is_empty());
    assert_eq!(scenario.instances.len(), 11);
    // After the zone's last instance.
    assert_eq!(scenario.instances[3].container_instance_arn, out.instances[0]);
    assert_eq!(scenario.instances[4].container_instance_arn, out.instances[1]);
    let added = &scenario.instances[3];
    assert!(
        added
            .container_instance_arn
            .starts_with("arn:aws:ecs:us-east-1:123456789012:container-instance/default/")
    );
    assert_eq!(added.short_id().len(), 32);
    assert!(added.short_id().chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(added.ec2_instance_id.len(), 19);
    assert!(added.ec2_instance_id.starts_with("i-"));
    assert_eq!(added.status, InstanceStatus::Active);
    assert!(added.agent_connected);
    assert_eq!(added.agent_version, "1.82.0");
    assert_eq!(added.registered_at.to_string(), "2024-06-01T16:20:00Z");
    assert_eq!((added.registered().cpu, added.registered().memory), (1024, 993));
    assert_eq!(added.remaining(), added.registered());
    let attributes = serde_json::to_value(&added.attributes).unwrap();
    assert_eq!(
        attributes,
        json!({
            "com.amazonaws.ecs.capability.docker-remote-api.1.21": null,
            "com.amazonaws.ecs.capability.logging-driver.awslogs": null,
            "ecs.ami-id": "ami-0fe5f366c083f59ca",
            "ecs.availability-zone": "us-east-1a",
            "ecs.capability.docker-plugin.local": null,
            "ecs.capability.task-eni": null,
            "ecs.cpu-architecture": "x86_64",
            "ecs.instance-type": "t2.micro",
            "ecs.os-family": "LINUX",
            "ecs.os-type": "linux",
            "ecs.subnet-id": "subnet-0a11aa11",
            "ecs.vpc-id": "vpc-0123456789abcdef0"
        })
    );
}

#[test]
fn added_instances_receive_tasks() {
    let mut scenario = sample();
    let out = ok(
        &mut scenario,
        json!({"type": "addInstances", "instanceType": "c5.large", "availabilityZone": "us-east-1d", "count": 1}),
    );
    assert_eq!(out.summary, "Added 1 c5.large instance in us-east-1d");
    // A new zone: last in the list, no subnet to copy.
    let added = scenario.instances.last().unwrap();
    assert_eq!(added.container_instance_arn, out.instances[0]);
    assert!(!added.attributes.contains_key("ecs.subnet-id"));
    let ec2_instance_id = added.ec2_instance_id.clone();
    let register = r#"aws ecs register-task-definition --family probe --container-definitions '[{"name": "probe", "image": "probe", "cpu": 128, "memory": 128}]'"#;
    aws::run_line(&mut scenario, register, &NoFiles, Options::default()).unwrap();
    let line = format!(
        "aws ecs run-task --task-definition probe --placement-constraints \"type=memberOf,expression=ec2InstanceId == {ec2_instance_id}\""
    );
    let (_, outcome) = aws::run_line(&mut scenario, &line, &NoFiles, Options::default()).unwrap();
    assert_eq!(outcome.response["tasks"][0]["containerInstanceArn"], out.instances[0]);
    assert_round_trips(&scenario);
}

#[test]
fn add_instances_is_reproducible_and_never_reuses_ids() {
    let add = json!({"type": "addInstances", "instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 3});
    let mut a = sample();
    let mut b = sample();
    let first = ok(&mut a, add.clone());
    assert_eq!(first, ok(&mut b, add.clone()));
    assert_eq!(a, b);
    let second = ok(&mut a, add.clone());
    assert!(second.instances.iter().all(|arn| !first.instances.contains(arn)));
    // Another seed, other IDs.
    let mut c = sample();
    c.seed = Some(7);
    let other = ok(&mut c, add);
    assert!(other.instances.iter().all(|arn| !first.instances.contains(arn)));
}

#[test]
fn add_instances_on_an_empty_cluster() {
    let mut scenario = Scenario::new(Default::default());
    let out = ok(
        &mut scenario,
        json!({"type": "addInstances", "instanceType": "g4dn.xlarge", "availabilityZone": "us-east-1a", "count": 1}),
    );
    let added = &scenario.instances[0];
    assert_eq!(added.container_instance_arn, out.instances[0]);
    assert_eq!(added.agent_version, "1.82.0");
    assert_eq!(added.registered_at.to_string(), "2024-01-01T00:00:00Z");
    assert_eq!(*added.registered().gpus, [format!("GPU-{}-0", added.short_id())]);
    assert!(!added.attributes.contains_key("ecs.ami-id"));
}

#[test]
fn add_instances_errors_name_the_field() {
    let mut scenario = sample();
    let error = err(
        &mut scenario,
        json!({"type": "addInstances", "instanceType": "t2.mirco", "availabilityZone": "us-east-1a", "count": 1}),
    );
    assert_eq!(error.kind, ErrorKind::InvalidParameter);
    assert_eq!(error.path.as_deref(), Some("instanceType"));
    assert_eq!(
        error.message,
        "unknown instance type `t2.mirco` (did you mean `t2.micro`?); the catalog's t2 sizes are t2.nano, t2.micro, \
         t2.small, t2.medium, t2.large, t2.xlarge"
    );
    let error = err(
        &mut scenario,
        json!({"type": "addInstances", "instanceType": "z9.huge", "availabilityZone": "us-east-1a", "count": 1}),
    );
    assert!(
        error.message.contains("the catalog has t2.nano, t2.micro"),
        "{}",
        error.message
    );
    for count in [0, 101] {
        let error = err(
            &mut scenario,
            json!({"type": "addInstances", "instanceType": "t2.micro", "availabilityZone": "us-east-1a", "count": count}),
        );
        assert_eq!(error.path.as_deref(), Some("count"));
        assert_eq!(
            error.message,
            format!("count must be between 1 and 100; {count} was given")
        );
    }
    let error = err(
        &mut scenario,
        json!({"type": "addInstances", "instanceType": "t2.micro", "availabilityZone": "", "count": 1}),
    );
    assert_eq!(error.path.as_deref(), Some("availabilityZone"));
    let out = ok(
        &mut scenario,
        json!({"type": "addInstances", "instanceType": "t2.micro", "availabilityZone": "eu-west-1a", "count": 1}),
    );
    assert_eq!(
        out.warnings,
        ["availability zone eu-west-1a is not in the cluster's region us-east-1"]
    );
}

#[test]
fn clone_instance_copies_everything_but_ids_and_tasks() {
    let mut scenario = sample();
    let out = ok(&mut scenario, json!({"type": "cloneInstance", "instance": M5_1A_EC2}));
    let original = &scenario.instances[1];
    let clone = &scenario.instances[2];
    assert_eq!(out.instances, std::slice::from_ref(&clone.container_instance_arn));
    assert_eq!(out.summary, format!("Cloned instance {M5_1A} as {}", clone.short_id()));
    assert_ne!(clone.short_id(), original.short_id());
    assert_ne!(clone.ec2_instance_id, original.ec2_instance_id);
    assert_eq!(clone.attributes, original.attributes);
    assert_eq!(clone.attributes.get("color"), Some(&Some("green".to_string())));
    assert_eq!(clone.registered(), original.registered());
    assert_eq!(clone.remaining(), clone.registered());
    assert_ne!(original.remaining(), original.registered());
    assert_eq!(clone.agent_version, original.agent_version);
    assert_eq!(scenario.running_tasks_on(&clone.container_instance_arn).count(), 0);
    assert_eq!(scenario.tasks.len(), 7);
}

#[test]
fn clones_are_active_and_have_their_own_gpus() {
    let mut scenario = sample();
    ok(
        &mut scenario,
        json!({"type": "setStatus", "instance": G2_1A, "status": "DRAINING"}),
    );
    ok(
        &mut scenario,
        json!({"type": "setAgentConnected", "instance": G2_1A, "connected": false}),
    );
    let out = ok(&mut scenario, json!({"type": "cloneInstance", "instance": G2_1A}));
    let clone = &scenario.instances[index_of(&scenario, &out.instances[0])];
    assert_eq!(clone.status, InstanceStatus::Active);
    assert!(clone.agent_connected);
    assert_eq!(*clone.registered().gpus, [format!("GPU-{}-0", clone.short_id())]);
    let error = err(&mut scenario, json!({"type": "cloneInstance", "instance": "ghost"}));
    assert_eq!(error.path.as_deref(), Some("instance"));
}

#[test]
fn remove_instance_removes_its_tasks() {
    let mut scenario = sample();
    let out = ok(&mut scenario, json!({"type": "removeInstance", "instance": M5_1A_EC2}));
    assert_eq!(out.summary, format!("Removed instance {M5_1A} and the 2 tasks on it"));
    assert_eq!(short(&out.instances[0]), M5_1A);
    assert_eq!(scenario.instances.len(), 8);
    assert_eq!(scenario.tasks.len(), 5);
    assert!(scenario.instance_index(M5_1A).is_none());
    let out = ok(&mut scenario, json!({"type": "removeInstance", "instance": M5_XL_1B}));
    assert_eq!(out.summary, format!("Removed instance {M5_XL_1B} and the 1 task on it"));
    let arn = format!("arn:aws:ecs:us-east-1:123456789012:container-instance/default/{T2_1C}");
    let out = ok(&mut scenario, json!({"type": "removeInstance", "instance": arn}));
    assert_eq!(out.summary, format!("Removed instance {T2_1C}; no tasks were on it"));
    for reference in [M5_1A, "", "i-nope"] {
        let error = err(&mut scenario, json!({"type": "removeInstance", "instance": reference}));
        assert_eq!(error.kind, ErrorKind::InvalidParameter);
        assert_eq!(error.path.as_deref(), Some("instance"));
        assert_eq!(
            error.message,
            format!(
                "the cluster has no container instance `{reference}` (give its ARN, its ID or its EC2 instance ID)"
            )
        );
    }
}

#[test]
fn put_attribute_follows_put_attributes() {
    let mut scenario = sample();
    let out = ok(
        &mut scenario,
        json!({"type": "putAttribute", "instance": T2_1A, "name": "stack", "value": "prod"}),
    );
    assert_eq!(out.summary, format!("Set attribute stack=prod on instance {T2_1A}"));
    assert_eq!(scenario.instances[0].attributes["stack"], Some("prod".to_string()));
    let out = ok(
        &mut scenario,
        json!({"type": "putAttribute", "instance": "i-abcd1234", "name": "canary"}),
    );
    assert_eq!(
        out.summary,
        format!("Set attribute canary (no value) on instance {T2_1A}")
    );
    assert_eq!(scenario.instances[0].attributes["canary"], None);
    let out = ok(
        &mut scenario,
        json!({"type": "putAttribute", "instance": T2_1A, "name": "ecs.capability.task-eni"}),
    );
    assert_eq!(out.warnings.len(), 1);
    assert!(
        out.warnings[0].contains("AWS reserves the `ecs.` prefix"),
        "{:?}",
        out.warnings
    );
    let error = err(
        &mut scenario,
        json!({"type": "putAttribute", "instance": T2_1A, "name": "bad name", "value": "x"}),
    );
    assert_eq!(
        (error.kind, error.path.as_deref()),
        (ErrorKind::InvalidParameter, Some("name"))
    );
    assert!(
        error.message.starts_with("invalid attribute name `bad name`"),
        "{}",
        error.message
    );
    let error = err(
        &mut scenario,
        json!({"type": "putAttribute", "instance": T2_1A, "name": "stack", "value": "a,b"}),
    );
    assert_eq!(
        (error.kind, error.path.as_deref()),
        (ErrorKind::InvalidParameter, Some("value"))
    );
    assert!(
        error.message.starts_with("invalid value `a,b` for attribute `stack`"),
        "{}",
        error.message
    );
    let error = err(
        &mut scenario,
        json!({"type": "putAttribute", "instance": "ghost", "name": "stack"}),
    );
    assert_eq!(error.path.as_deref(), Some("instance"));
}

#[test]
fn the_eleventh_custom_attribute_is_refused() {
    let mut scenario = sample();
    // `stack`, `color` and `canary` are custom; seven more make ten.
    ok(
        &mut scenario,
        json!({"type": "putAttribute", "instance": T2_1A, "name": "canary"}),
    );
    for i in 0..7 {
        ok(
            &mut scenario,
            json!({"type": "putAttribute", "instance": T2_1A, "name": format!("c{i}")}),
        );
    }
    ok(
        &mut scenario,
        json!({"type": "putAttribute", "instance": T2_1A, "name": "ecs.capability.extra"}),
    );
    ok(
        &mut scenario,
        json!({"type": "putAttribute", "instance": T2_1A, "name": "color", "value": "red"}),
    );
    let error = err(
        &mut scenario,
        json!({"type": "putAttribute", "instance": T2_1A, "name": "eleventh"}),
    );
    assert_eq!(error.kind, ErrorKind::AttributeLimitExceeded);
    assert_eq!(error.path.as_deref(), Some("name"));
}

#[test]
fn delete_attribute_follows_delete_attributes() {
    let mut scenario = sample();
    let out = ok(
        &mut scenario,
        json!({"type": "deleteAttribute", "instance": T2_1A, "name": "color"}),
    );
    assert_eq!(out.summary, format!("Deleted attribute color from instance {T2_1A}"));
    assert!(!scenario.instances[0].attributes.contains_key("color"));
    let out = ok(
        &mut scenario,
        json!({"type": "deleteAttribute", "instance": T2_1A, "name": "color"}),
    );
    assert_eq!(
        out.summary,
        format!("Instance {T2_1A} has no attribute color; nothing changed")
    );
    let out = ok(
        &mut scenario,
        json!({"type": "deleteAttribute", "instance": T2_1A, "name": "ecs.capability.docker-plugin.local"}),
    );
    assert!(out.warnings[0].contains("simulate an instance without that capability"));
    let error = err(
        &mut scenario,
        json!({"type": "deleteAttribute", "instance": T2_1A, "name": ""}),
    );
    assert_eq!(error.path.as_deref(), Some("name"));
}

#[test]
fn set_status_follows_update_container_instances_state() {
    let mut scenario = sample();
    let out = ok(
        &mut scenario,
        json!({"type": "setStatus", "instance": M5_1A_EC2, "status": "DRAINING"}),
    );
    assert_eq!(out.summary, format!("Set instance {M5_1A} to DRAINING"));
    assert_eq!(scenario.instances[1].status, InstanceStatus::Draining);
    assert!(scenario.tasks.iter().all(|t| t.is_desired_running()));
    ok(
        &mut scenario,
        json!({"type": "setStatus", "instance": M5_1A, "status": "ACTIVE"}),
    );
    assert_eq!(scenario.instances[1].status, InstanceStatus::Active);
    let error = err(
        &mut scenario,
        json!({"type": "setStatus", "instance": M5_1A, "status": "INACTIVE"}),
    );
    assert_eq!(
        (error.kind, error.path.as_deref()),
        (ErrorKind::InvalidParameter, Some("status"))
    );
    assert!(
        error.message.contains("enum value set: [ACTIVE, DRAINING]"),
        "{}",
        error.message
    );
    scenario.instances[1].status = InstanceStatus::Registering;
    let error = err(
        &mut scenario,
        json!({"type": "setStatus", "instance": M5_1A, "status": "ACTIVE"}),
    );
    assert!(
        error
            .message
            .starts_with("Container instance cannot be updated from status REGISTERING")
    );
}

#[test]
fn set_agent_connected() {
    let mut scenario = sample();
    let out = ok(
        &mut scenario,
        json!({"type": "setAgentConnected", "instance": T2_1A, "connected": false}),
    );
    assert_eq!(out.summary, format!("Disconnected the agent of instance {T2_1A}"));
    assert!(!scenario.instances[0].agent_connected);
    let out = ok(
        &mut scenario,
        json!({"type": "setAgentConnected", "instance": T2_1A, "connected": true}),
    );
    assert_eq!(out.summary, format!("Connected the agent of instance {T2_1A}"));
    assert!(scenario.instances[0].agent_connected);
}

#[test]
fn stop_task_follows_stop_task() {
    let mut scenario = sample();
    let before = scenario.instances[1].remaining().clone();
    let out = ok(
        &mut scenario,
        json!({"type": "stopTask", "task": "a1f0000000000000000000000000000a", "reason": "maintenance"}),
    );
    assert_eq!(
        out.summary,
        format!("Stopped task a1f0000000000000000000000000000a on instance {M5_1A}")
    );
    assert_eq!(short(&out.instances[0]), M5_1A);
    let task = &scenario.tasks[0];
    assert_eq!(
        (task.desired_status, task.last_status),
        (TaskStatus::Stopped, TaskStatus::Stopped)
    );
    assert_eq!(task.details().stopped_reason.as_deref(), Some("maintenance"));
    let after = scenario.instances[1].remaining();
    assert_eq!((after.cpu, after.memory), (before.cpu + 512, before.memory + 1024));
    assert!(!after.ports.contains(&80));
    let arn = "arn:aws:ecs:us-east-1:123456789012:task/default/a1f0000000000000000000000000000a";
    let out = ok(&mut scenario, json!({"type": "stopTask", "task": arn}));
    assert_eq!(
        out.summary,
        "Task a1f0000000000000000000000000000a was already stopped; nothing changed"
    );
    assert_eq!(
        scenario.tasks[0].details().stopped_reason.as_deref(),
        Some("maintenance")
    );
    let out = ok(
        &mut scenario,
        json!({"type": "stopTask", "task": "cac0000000000000000000000000000a"}),
    );
    assert!(out.summary.starts_with("Stopped task"));
    assert_eq!(
        scenario.tasks[4].details().stopped_reason.as_deref(),
        Some("Task stopped by user")
    );
    let error = err(&mut scenario, json!({"type": "stopTask", "task": "ghost"}));
    assert_eq!(
        (error.kind, error.path.as_deref()),
        (ErrorKind::InvalidParameter, Some("task"))
    );
    assert_eq!(error.message, "the cluster has no task `ghost` (give its ARN or ID)");
}

#[test]
fn edits_read_and_write_json() {
    for text in [
        r#"{"type":"addInstances","instanceType":"t2.micro","availabilityZone":"us-east-1a","count":2}"#,
        r#"{"type":"cloneInstance","instance":"i-abcd1234"}"#,
        r#"{"type":"removeInstance","instance":"i-abcd1234"}"#,
        r#"{"type":"putAttribute","instance":"i-abcd1234","name":"stack","value":"prod"}"#,
        r#"{"type":"putAttribute","instance":"i-abcd1234","name":"canary"}"#,
        r#"{"type":"deleteAttribute","instance":"i-abcd1234","name":"stack"}"#,
        r#"{"type":"setStatus","instance":"i-abcd1234","status":"DRAINING"}"#,
        r#"{"type":"setAgentConnected","instance":"i-abcd1234","connected":false}"#,
        r#"{"type":"stopTask","task":"a1f0000000000000000000000000000a","reason":"done"}"#,
        r#"{"type":"stopTask","task":"a1f0000000000000000000000000000a"}"#,
    ] {
        let parsed = ClusterEdit::from_json(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(serde_json::to_string(&parsed).unwrap(), text);
        assert_eq!(serde_json::from_str::<ClusterEdit>(text).unwrap(), parsed, "{text}");
    }
    let refused = [
        (
            r#"{"type":"setStatus","instance":"x","satus":"ACTIVE"}"#,
            "satus",
            "unknown field `satus`",
        ),
        (r#"{"type":"setStatus","instance":"x"}"#, ".", "missing field `status`"),
        (
            r#"{"type":"setStatus","instance":"x","status":"draining"}"#,
            "status",
            "unknown variant `draining`",
        ),
        (
            r#"{"type":"addInstances","instanceType":"t2.micro","availabilityZone":"a","count":-1}"#,
            "count",
            "expected u32",
        ),
        (
            r#"{"type":"setAgentConnected","instance":"x","connected":"no"}"#,
            "connected",
            "expected a boolean",
        ),
        (
            r#"{"type":"renameInstance"}"#,
            "type",
            "unknown cluster edit type `renameInstance`",
        ),
        (
            r#"{"type":"stoptask","task":"x"}"#,
            "type",
            "(did you mean `stopTask`?)",
        ),
        (
            r#"{"instance":"x"}"#,
            "type",
            "a cluster edit needs a `type`; the types are addInstances, cloneInstance",
        ),
    ];
    for (text, path, message) in refused {
        let error = ClusterEdit::from_json(text).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidInput, "{text}");
        assert_eq!(error.path.as_deref(), Some(path), "{text}: {error}");
        assert!(error.message.contains(message), "{text}: {}", error.message);
    }
    assert!(ClusterEdit::from_json("[1]").is_err());
    assert!(ClusterEdit::from_json("{").is_err());
    let outcome = EditOutcome {
        summary: "Added 1 t2.micro instance in us-east-1a".into(),
        instances: vec!["arn".into()],
        warnings: Vec::new(),
        scheduler: Vec::new(),
    };
    assert_eq!(
        serde_json::to_value(&outcome).unwrap(),
        json!({"summary": "Added 1 t2.micro instance in us-east-1a", "instances": ["arn"]})
    );
}

/// An edit chosen from random numbers, naming instances and tasks the scenario has (or not).
fn pick(scenario: &Scenario, kind: u8, a: usize, b: usize, flag: bool) -> ClusterEdit {
    let instance = match scenario.instances.len() {
        0 => "none".to_string(),
        n => {
            let chosen = &scenario.instances[a % n];
            match b % 3 {
                0 => chosen.container_instance_arn.to_string(),
                1 => chosen.short_id().to_string(),
                _ => chosen.ec2_instance_id.to_string(),
            }
        }
    };
    let task = scenario
        .tasks
        .get(a % scenario.tasks.len().max(1))
        .map_or_else(|| "none".to_string(), |t| t.short_id().to_string());
    let types = ecs_placement::catalog::all();
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];
    match kind % 9 {
        0 => ClusterEdit::AddInstances(AddInstances {
            instance_type: types[a % types.len()].name.to_string(),
            availability_zone: zones[b % zones.len()].to_string(),
            count: u32::try_from(b % 4).unwrap(),
        }),
        1 => ClusterEdit::CloneInstance(InstanceRef { instance }),
        2 => ClusterEdit::RemoveInstance(InstanceRef { instance }),
        3 => ClusterEdit::PutAttribute(PutAttribute {
            instance,
            name: format!("custom-{}", b % 12),
            value: flag.then(|| format!("v{a}")),
        }),
        4 => ClusterEdit::DeleteAttribute(DeleteAttribute {
            instance,
            name: format!("custom-{}", b % 12),
        }),
        5 => ClusterEdit::SetStatus(SetStatus {
            instance,
            status: if flag {
                InstanceStatus::Draining
            } else {
                InstanceStatus::Active
            },
        }),
        6 => ClusterEdit::SetAgentConnected(SetAgentConnected {
            instance,
            connected: flag,
        }),
        7 => ClusterEdit::StopTask(StopTask {
            task,
            reason: flag.then(|| "random".to_string()),
        }),
        _ => ClusterEdit::PutAttribute(PutAttribute {
            instance,
            name: "ecs.capability.random".into(),
            value: None,
        }),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_edits_keep_the_scenario_loadable(
        steps in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<bool>()), 1..16),
    ) {
        let mut scenario = sample();
        let mut replay = sample();
        for (kind, a, b, flag) in steps {
            let edit = pick(&scenario, kind, a, b, flag);
            let before = scenario.clone();
            match apply(&mut scenario, &edit) {
                Ok(outcome) => {
                    prop_assert!(!outcome.summary.is_empty());
                    assert_round_trips(&scenario);
                }
                Err(_) => prop_assert_eq!(&scenario, &before, "a failed edit changed the scenario"),
            }
            // The same edits on the same scenario give the same result.
            let _ = apply(&mut replay, &edit);
            prop_assert_eq!(&replay, &scenario);
        }
    }
}

/// Removing an instance removes its tasks, leaving a gap in the task numbering: the next
/// placement must not reuse a surviving task's ARN (regression: the saved scenario then failed
/// to load with "duplicate task").
#[test]
fn tasks_placed_after_a_removal_get_fresh_arns() {
    let mut scenario = sample();
    let run =
        |scenario: &mut Scenario, line: &str| aws::run_line(scenario, line, &NoFiles, Options::default()).unwrap();
    run(
        &mut scenario,
        "aws ecs run-task --task-definition nouvelleApp --count 3",
    );
    let first = scenario.instances[0].container_instance_arn.clone();
    ok(&mut scenario, json!({"type": "removeInstance", "instance": first}));
    run(
        &mut scenario,
        "aws ecs run-task --task-definition nouvelleApp --count 3",
    );
    let mut arns: Vec<&str> = scenario.tasks.iter().map(|t| t.task_arn.as_str()).collect();
    let total = arns.len();
    arns.sort_unstable();
    arns.dedup();
    assert_eq!(arns.len(), total, "a task ARN was reused");
    assert_round_trips(&scenario);
}
