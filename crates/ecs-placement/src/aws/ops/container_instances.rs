//! `DescribeContainerInstances` and `UpdateContainerInstancesState`, and the AWS
//! `ContainerInstance` JSON both answer with (which `placement import` reads back).
// What only the operations of the `all-operations` feature use is unused without it.
#![cfg_attr(not(feature = "all-operations"), allow(dead_code))]

use super::validation::{AwsAnswer, Failure, check_batch, push_warning, resolve_instance};
use super::{Outcome, response};
use crate::error::{Error, Result};
use crate::model::{ContainerInstance, InstanceStatus, Resources};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Instances per DescribeContainerInstances call (AWS limit, spec §7.7).
pub const MAX_DESCRIBE: usize = 100;
/// Instances per UpdateContainerInstancesState call (AWS limit, spec §7.7).
pub const MAX_UPDATE: usize = 10;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DescribeRequest {
    container_instances: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UpdateRequest {
    container_instances: Vec<String>,
    status: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    container_instances: Vec<Value>,
    failures: Vec<Failure>,
}

/// `DescribeContainerInstances`: each instance named by ARN or short ID, in request order;
/// unknown ones as `MISSING` failures. An EC2 instance ID is read as its container instance,
/// with a warning (ECS would report it MISSING). `--include` is accepted and ignored (no tags or
/// health are simulated).
pub(super) fn describe(scenario: &Scenario, request: DescribeRequest) -> Result<Outcome> {
    let names = &request.container_instances;
    check_batch(
        "DescribeContainerInstances",
        "containerInstances",
        names.len(),
        MAX_DESCRIBE,
    )?;
    let mut found = Vec::new();
    let mut failures = Vec::new();
    let mut warnings = Vec::new();
    for name in names {
        let resolved = resolve_instance(scenario, name, AwsAnswer::Missing);
        match resolved.and_then(|r| Some((scenario.instances.get(r.index)?, r.warning))) {
            Some((instance, warning)) => {
                found.push(container_instance_json(scenario, instance));
                push_warning(&mut warnings, warning);
            }
            None => failures.push(Failure::missing(name)),
        }
    }
    outcome(found, failures, warnings)
}

/// `UpdateContainerInstancesState`: ACTIVE ↔ DRAINING.
///
/// Decisions where AWS documents no exact behaviour:
/// * unknown instances are `failures` entries `{arn: <as given>, reason: "MISSING"}`; an EC2
///   instance ID is read as its container instance, with a warning;
/// * an instance in any other status (REGISTERING, DEREGISTERING, REGISTRATION_FAILED,
///   INACTIVE) rejects the whole call with `InvalidParameterException` "Container instance
///   cannot be updated from status X" and changes nothing: the API reference says "If the
///   instance is in any other status, an error will be received" (spec §4.5);
/// * the operation itself touches no task: standalone tasks are not stopped by draining (spec
///   §4.5), and the service scheduler, which runs after the command, replaces the services'
///   tasks on DRAINING instances (`crate::service`); the engine places nothing on non-ACTIVE
///   instances.
pub(super) fn update_state(scenario: &mut Scenario, request: UpdateRequest) -> Result<Outcome> {
    let names = &request.container_instances;
    check_batch(
        "UpdateContainerInstancesState",
        "containerInstances",
        names.len(),
        MAX_UPDATE,
    )?;
    let status = parse_target_status(&request.status)?;
    let resolved: Vec<_> = names
        .iter()
        .map(|n| resolve_instance(scenario, n, AwsAnswer::Missing))
        .collect();
    for instance in resolved
        .iter()
        .flatten()
        .filter_map(|r| scenario.instances.get(r.index))
    {
        check_updatable(instance)?;
    }
    let mut described = Vec::new();
    let mut failures = Vec::new();
    let mut warnings = Vec::new();
    for (name, resolved) in names.iter().zip(resolved) {
        match resolved {
            Some(resolved) => {
                set_status(scenario, resolved.index, status);
                described.extend(describe_at(scenario, resolved.index));
                push_warning(&mut warnings, resolved.warning);
            }
            None => failures.push(Failure::missing(name)),
        }
    }
    outcome(described, failures, warnings)
}

/// Sets the status of the instance at `index` as UpdateContainerInstancesState does: `status`
/// must be ACTIVE or DRAINING and the instance ACTIVE or DRAINING, else an
/// `InvalidParameterException` and nothing changes.
pub(crate) fn update_instance_status(scenario: &mut Scenario, index: usize, status: InstanceStatus) -> Result<()> {
    let status = parse_target_status(status.as_str())?;
    if let Some(instance) = scenario.instances.get(index) {
        check_updatable(instance)?;
    }
    set_status(scenario, index, status);
    Ok(())
}

/// Sets an instance's status.
fn set_status(scenario: &mut Scenario, index: usize, status: InstanceStatus) {
    if let Some(instance) = scenario.instances.get_mut(index).filter(|i| i.status != status) {
        instance.status = status;
        instance.record_change();
    }
}

/// The description of the instance at `index`.
fn describe_at(scenario: &Scenario, index: usize) -> Option<Value> {
    let instance = scenario.instances.get(index)?;
    Some(container_instance_json(scenario, instance))
}

fn outcome(container_instances: Vec<Value>, failures: Vec<Failure>, warnings: Vec<String>) -> Result<Outcome> {
    let response = response(&Response {
        container_instances,
        failures,
    })?;
    Ok(Outcome {
        warnings,
        ..Outcome::response(response)
    })
}

/// `--status` must be ACTIVE or DRAINING (the other `ContainerInstanceStatus` values are set by
/// ECS itself).
fn parse_target_status(text: &str) -> Result<InstanceStatus> {
    match InstanceStatus::parse(text) {
        Some(status @ (InstanceStatus::Active | InstanceStatus::Draining)) => Ok(status),
        _ => Err(Error::invalid_parameter(format!(
            "1 validation error detected: Value '{text}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, DRAINING] \
             (the ContainerInstanceStatus enum also has REGISTERING, DEREGISTERING and REGISTRATION_FAILED, but ECS sets those itself: \
             UpdateContainerInstancesState accepts only ACTIVE and DRAINING)"
        ))),
    }
}

fn check_updatable(instance: &ContainerInstance) -> Result<()> {
    match instance.status {
        InstanceStatus::Active | InstanceStatus::Draining => Ok(()),
        other => Err(Error::invalid_parameter(format!(
            "Container instance cannot be updated from status {} (container instance {}): only ACTIVE and DRAINING instances can be updated.",
            other.as_str(),
            instance.short_id()
        ))),
    }
}

/// The AWS `ContainerInstance` object, keys in the order `describe-container-instances` prints
/// them. `placement import` reads it back to the same instance.
pub fn container_instance_json(scenario: &Scenario, instance: &ContainerInstance) -> Value {
    let gpus = !instance.registered().gpus.is_empty();
    json!({
        "containerInstanceArn": instance.container_instance_arn,
        "ec2InstanceId": instance.ec2_instance_id,
        "version": instance.version,
        "versionInfo": {
            "agentVersion": instance.agent_version,
            "agentHash": "simulated",
            "dockerVersion": "DockerVersion: simulated",
        },
        "remainingResources": resources_json(instance.remaining(), gpus),
        "registeredResources": resources_json(instance.registered(), gpus),
        "status": instance.status.as_str(),
        "agentConnected": instance.agent_connected,
        "runningTasksCount": running_tasks_count(scenario, instance),
        "pendingTasksCount": 0,
        "attributes": attributes_json(instance),
        "registeredAt": instance.registered_at.to_string(),
        "attachments": [],
        "tags": [],
    })
}

/// Tasks with desired status RUNNING on the instance, plus the ones it runs that the scenario
/// has no details of.
fn running_tasks_count(scenario: &Scenario, instance: &ContainerInstance) -> u64 {
    let tracked = scenario.running_tasks_on(&instance.container_instance_arn).count();
    u64::try_from(tracked)
        .unwrap_or(u64::MAX)
        .saturating_add(u64::from(instance.untracked_running_tasks))
}

/// AWS `Resource` lists: CPU, MEMORY, PORTS, PORTS_UDP, and GPU when the instance has GPUs.
fn resources_json(resources: &Resources, gpus: bool) -> Vec<Value> {
    let ports = |set: &std::collections::BTreeSet<u16>| set.iter().map(u16::to_string).collect();
    let mut list = vec![
        integer_resource("CPU", resources.cpu.into()),
        integer_resource("MEMORY", resources.memory.into()),
        string_set_resource("PORTS", ports(&resources.ports)),
        string_set_resource("PORTS_UDP", ports(&resources.ports_udp)),
    ];
    if gpus {
        list.push(string_set_resource("GPU", resources.gpus.to_vec()));
    }
    list
}

fn integer_resource(name: &str, value: i64) -> Value {
    json!({"name": name, "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": value})
}

fn string_set_resource(name: &str, values: Vec<String>) -> Value {
    json!({
        "name": name,
        "type": "STRINGSET",
        "doubleValue": 0.0,
        "longValue": 0,
        "integerValue": 0,
        "stringSetValue": values,
    })
}

/// `[{name, value?}]`, `value` omitted for attributes without one.
fn attributes_json(instance: &ContainerInstance) -> Vec<Value> {
    instance
        .attributes
        .iter()
        .map(|(name, value)| match value {
            Some(value) => json!({"name": name, "value": value}),
            None => json!({"name": name}),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::sample;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn describe_all(scenario: &Scenario) -> Value {
        let all = scenario
            .instances
            .iter()
            .map(|i| i.container_instance_arn.to_string())
            .collect();
        describe(
            scenario,
            DescribeRequest {
                container_instances: all,
            },
        )
        .unwrap()
        .response
    }

    #[test]
    fn describe_shapes_an_instance_like_aws() {
        let scenario = sample().unwrap();
        let first = scenario.instances.first().unwrap();
        let out = describe(
            &scenario,
            DescribeRequest {
                container_instances: names(&[first.short_id()]),
            },
        )
        .unwrap()
        .response;
        let instance = &out["containerInstances"][0];
        let keys: Vec<&str> = instance.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "containerInstanceArn",
                "ec2InstanceId",
                "version",
                "versionInfo",
                "remainingResources",
                "registeredResources",
                "status",
                "agentConnected",
                "runningTasksCount",
                "pendingTasksCount",
                "attributes",
                "registeredAt",
                "attachments",
                "tags"
            ]
        );
        assert_eq!(
            instance["registeredResources"][0],
            json!({"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 1024})
        );
        assert_eq!(
            instance["registeredResources"][2]["stringSetValue"],
            json!(["22", "2375", "2376", "51678", "51679"])
        );
        assert_eq!(instance["registeredAt"], "2018-01-10T09:15:00Z");
        assert_eq!(instance["runningTasksCount"], 1);
        assert!(
            instance["attributes"]
                .as_array()
                .unwrap()
                .contains(&json!({"name": "ecs.capability.docker-plugin.local"}))
        );
        assert!(
            instance["attributes"]
                .as_array()
                .unwrap()
                .contains(&json!({"name": "color", "value": "blue"}))
        );
    }

    #[test]
    fn gpu_instances_list_their_gpus() {
        let scenario = sample().unwrap();
        let out = describe_all(&scenario);
        let g2 = &out["containerInstances"][2];
        assert_eq!(
            g2["registeredResources"][4],
            json!({"name": "GPU", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": ["GPU-2d8b2c3e-0"]})
        );
        assert_eq!(
            out["containerInstances"][0]["registeredResources"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
    }

    #[test]
    fn unknown_instances_are_missing() {
        let scenario = sample().unwrap();
        let out = describe(
            &scenario,
            DescribeRequest {
                container_instances: names(&["nope", "i-ffff1234"]),
            },
        )
        .unwrap();
        assert_eq!(out.response["containerInstances"], json!([]));
        assert_eq!(
            out.response["failures"],
            json!([{"arn": "nope", "reason": "MISSING"}, {"arn": "i-ffff1234", "reason": "MISSING"}])
        );
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn ec2_instance_ids_are_read_as_their_container_instance_with_a_warning() {
        let scenario = sample().unwrap();
        let by_ec2 = describe(
            &scenario,
            DescribeRequest {
                container_instances: names(&["i-abcd1234", "i-abcd1234"]),
            },
        )
        .unwrap();
        let by_id = describe(
            &scenario,
            DescribeRequest {
                container_instances: names(&["0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c", "0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c"]),
            },
        )
        .unwrap();
        assert_eq!(by_ec2.response, by_id.response);
        assert!(by_id.warnings.is_empty());
        assert_eq!(
            by_ec2.warnings,
            [
                "`i-abcd1234` is an EC2 instance ID; ECS itself expects a container instance ID or ARN here \
              (it would report it as MISSING). The playground used container instance `0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c`."
            ]
        );
    }

    #[test]
    fn describe_limits_batches() {
        let scenario = sample().unwrap();
        let many = vec!["x".to_string(); MAX_DESCRIBE + 1];
        let err = describe(
            &scenario,
            DescribeRequest {
                container_instances: many,
            },
        )
        .unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::InvalidParameter);
    }

    #[test]
    #[cfg(feature = "aws-import")]
    fn describe_round_trips_through_import() {
        let scenario = sample().unwrap();
        let described = describe_all(&scenario).to_string();
        let imported = crate::import::import(&described, None).unwrap().scenario;
        for (original, back) in scenario.instances.iter().zip(&imported.instances) {
            let running = scenario.running_tasks_on(&original.container_instance_arn).count();
            let expected = ContainerInstance {
                untracked_running_tasks: original.untracked_running_tasks + u32::try_from(running).unwrap(),
                ..original.clone()
            };
            assert_eq!(back, &expected);
        }
        assert_eq!(imported.instances.len(), scenario.instances.len());
    }

    fn update(scenario: &mut Scenario, list: &[&str], status: &str) -> Result<Value> {
        update_state(
            scenario,
            UpdateRequest {
                container_instances: names(list),
                status: status.into(),
            },
        )
        .map(|o| o.response)
    }

    #[test]
    fn drain_and_reactivate() {
        let mut scenario = sample().unwrap();
        let id = scenario.instances.first().unwrap().short_id().to_string();
        let out = update(&mut scenario, &[&id, "ghost"], "DRAINING").unwrap();
        assert_eq!(out["containerInstances"][0]["status"], "DRAINING");
        assert_eq!(out["failures"], json!([{"arn": "ghost", "reason": "MISSING"}]));
        assert_eq!(scenario.instances.first().unwrap().status, InstanceStatus::Draining);
        assert!(scenario.tasks.iter().all(|t| t.is_desired_running()));
        update(&mut scenario, &[&id], "ACTIVE").unwrap();
        assert_eq!(scenario.instances.first().unwrap().status, InstanceStatus::Active);
    }

    #[test]
    fn drain_by_ec2_instance_id() {
        let mut scenario = sample().unwrap();
        let mut by_id = scenario.clone();
        let out = update_state(
            &mut scenario,
            UpdateRequest {
                container_instances: names(&["i-0a1b2c3d4e5f60001"]),
                status: "DRAINING".into(),
            },
        )
        .unwrap();
        let expected = update(&mut by_id, &["1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d"], "DRAINING").unwrap();
        assert_eq!(out.response, expected);
        assert_eq!(scenario, by_id);
        assert_eq!(out.warnings.len(), 1);
        assert!(
            out.warnings[0].ends_with("The playground used container instance `1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d`."),
            "{:?}",
            out.warnings
        );
    }

    #[test]
    fn update_instance_status_follows_the_operation() {
        let mut scenario = sample().unwrap();
        update_instance_status(&mut scenario, 0, InstanceStatus::Draining).unwrap();
        assert_eq!(scenario.instances[0].status, InstanceStatus::Draining);
        let err = update_instance_status(&mut scenario, 0, InstanceStatus::Inactive).unwrap_err();
        assert!(err.message.contains("[ACTIVE, DRAINING]"), "{}", err.message);
        scenario.instances[1].status = InstanceStatus::Registering;
        let err = update_instance_status(&mut scenario, 1, InstanceStatus::Active).unwrap_err();
        assert!(
            err.message
                .starts_with("Container instance cannot be updated from status REGISTERING")
        );
        assert_eq!(scenario.instances[1].status, InstanceStatus::Registering);
    }

    #[test]
    fn only_active_and_draining_are_targets() {
        let mut scenario = sample().unwrap();
        let err = update(&mut scenario, &["0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c"], "REGISTERING").unwrap_err();
        assert!(
            err.message.contains("enum value set: [ACTIVE, DRAINING]"),
            "{}",
            err.message
        );
        assert!(update(&mut scenario, &["0b6f0a1c2d3e4f5a6b7c8d9e0f1a2b3c"], "draining").is_err());
    }

    #[test]
    fn other_statuses_reject_the_whole_call() {
        let mut scenario = sample().unwrap();
        if let Some(second) = scenario.instances.get_mut(1) {
            second.status = InstanceStatus::Registering;
        }
        let first = scenario.instances.first().unwrap().short_id().to_string();
        let second = scenario.instances.get(1).unwrap().short_id().to_string();
        let err = update(&mut scenario, &[&first, &second], "DRAINING").unwrap_err();
        assert!(
            err.message
                .starts_with("Container instance cannot be updated from status REGISTERING"),
            "{}",
            err.message
        );
        assert_eq!(scenario.instances.first().unwrap().status, InstanceStatus::Active);
    }

    #[test]
    fn update_limits_batches() {
        let mut scenario = sample().unwrap();
        let ids: Vec<String> = scenario.instances.iter().map(|i| i.short_id().to_string()).collect();
        let mut list: Vec<&str> = ids.iter().map(String::as_str).collect();
        list.extend(["a", "b"]);
        assert_eq!(list.len(), 11);
        assert!(update(&mut scenario, &list, "DRAINING").is_err());
        assert!(scenario.instances.iter().all(|i| i.status == InstanceStatus::Active));
    }
}
