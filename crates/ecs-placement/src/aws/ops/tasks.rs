//! `ListTasks`, `DescribeTasks` and `StopTask`, and [`release`], the reverse of
//! [`crate::scenario::hold`].
// What only the operations of the `all-operations` feature use is unused without it.
#![cfg_attr(not(feature = "all-operations"), allow(dead_code))]

use super::task_shape::task_json;
use super::validation::{
    AwsAnswer, Failure, check_batch, enum_error, enum_value, find_task, resolve_instance, task_index,
};
use super::{Outcome, response};
use crate::error::{Error, Result};
use crate::model::{PortSet, Resources, Task, TaskStatus};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Tasks per DescribeTasks call (AWS limit).
pub const MAX_DESCRIBE: usize = 100;
/// The `DesiredStatus` enum.
const DESIRED_STATUSES: [&str; 3] = ["RUNNING", "PENDING", "STOPPED"];
/// The `LaunchType` enum.
const LAUNCH_TYPES: [&str; 4] = ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListRequest {
    #[serde(default)]
    container_instance: Option<String>,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    started_by: Option<String>,
    #[serde(default)]
    service_name: Option<String>,
    #[serde(default)]
    desired_status: Option<String>,
    #[serde(default)]
    launch_type: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct DescribeRequest {
    pub(super) tasks: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct StopRequest {
    task: String,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListResponse {
    task_arns: Vec<String>,
}

#[derive(Serialize)]
struct DescribeResponse {
    tasks: Vec<Value>,
    failures: Vec<Failure>,
}

/// The filters of a ListTasks call, resolved.
struct Filters<'a> {
    instance_arn: Option<&'a str>,
    family: Option<&'a str>,
    started_by: Option<&'a str>,
    group: Option<String>,
    desired: Option<TaskStatus>,
    launch_type: Option<&'a str>,
    /// Set when `--container-instance` was an EC2 instance ID.
    warning: Option<String>,
}

/// `ListTasks`: task ARNs in scenario order, every given filter applied.
///
/// * `--desired-status` defaults to RUNNING. `PENDING` lists nothing: ECS never sets a task's
///   desired status to PENDING (only `lastStatus` can be PENDING), and in the simulator tasks
///   start instantly anyway.
/// * `--container-instance` takes an ARN or a short ID; one the cluster does not have is an
///   `InvalidParameterException` (the playground's choice: an unknown instance is more likely a
///   typo than a question). An EC2 instance ID is read as its container instance, with a warning.
/// * `--service-name X` matches tasks whose group is `service:X` (X a service's name or ARN);
///   a name that is neither a service nor the group of a task is `ServiceNotFoundException`;
///   `--family` matches the family
///   of the task definition ARN; `--launch-type` matches EC2 or EXTERNAL (instances with
///   `ecs.capability.external`) or FARGATE; MANAGED_INSTANCES lists nothing.
/// * AWS documents that `--started-by` must be the only filter; the playground combines it with
///   the others and says so in a warning.
pub(super) fn list(scenario: &Scenario, request: ListRequest) -> Result<Outcome> {
    let filters = filters(scenario, &request)?;
    let task_arns = scenario
        .tasks
        .iter()
        .filter(|t| matches(scenario, t, &filters))
        .map(|t| t.task_arn.to_string())
        .collect();
    let warnings = filters.warning.clone().into_iter().chain(started_by_warning(&request));
    Ok(Outcome {
        warnings: warnings.collect(),
        ..Outcome::response(response(&ListResponse { task_arns })?)
    })
}

fn filters<'a>(scenario: &'a Scenario, request: &'a ListRequest) -> Result<Filters<'a>> {
    let desired = match enum_value(
        request.desired_status.as_deref(),
        "RUNNING",
        "desiredStatus",
        &DESIRED_STATUSES,
    )? {
        "RUNNING" => Some(TaskStatus::Running),
        "STOPPED" => Some(TaskStatus::Stopped),
        _ => None,
    };
    if let Some(launch_type) = request.launch_type.as_deref().filter(|l| !LAUNCH_TYPES.contains(l)) {
        return Err(enum_error(launch_type, "launchType", &LAUNCH_TYPES));
    }
    let instance = request
        .container_instance
        .as_deref()
        .map(|reference| instance_arn(scenario, reference))
        .transpose()?;
    let (instance_arn, warning) = instance.unzip();
    let group = request
        .service_name
        .as_deref()
        .map(|name| service_group(scenario, name))
        .transpose()?;
    Ok(Filters {
        instance_arn,
        warning: warning.flatten(),
        family: request.family.as_deref(),
        started_by: request.started_by.as_deref(),
        group,
        desired,
        launch_type: request.launch_type.as_deref(),
    })
}

/// The task group of the service `--service-name` names (its name or ARN): a service of the
/// scenario, or tasks of group `service:NAME` (imported without their service). Neither is
/// `ServiceNotFoundException`.
fn service_group(scenario: &Scenario, name: &str) -> Result<String> {
    if let Some(found) = crate::service::find(scenario, name).and_then(|i| scenario.services.get(i)) {
        return Ok(found.group());
    }
    let group = format!("service:{name}");
    if scenario.tasks.iter().any(|t| t.group == group) {
        return Ok(group);
    }
    Err(Error::new(
        crate::error::ErrorKind::ServiceNotFound,
        "Service not found.",
    ))
}

/// The ARN of the instance `--container-instance` names, and the warning when it was an EC2
/// instance ID.
fn instance_arn<'a>(scenario: &'a Scenario, reference: &str) -> Result<(&'a str, Option<String>)> {
    resolve_instance(scenario, reference, AwsAnswer::InvalidParameter)
        .and_then(|r| {
            Some((
                scenario.instances.get(r.index)?.container_instance_arn.as_str(),
                r.warning,
            ))
        })
        .ok_or_else(|| {
            Error::invalid_parameter(format!(
                "The referenced container instance `{reference}` was not found in cluster {} (give its ARN or ID).",
                scenario.cluster.name
            ))
        })
}

fn matches(scenario: &Scenario, task: &Task, filters: &Filters<'_>) -> bool {
    filters.desired == Some(task.desired_status)
        && filters
            .instance_arn
            .is_none_or(|arn| task.container_instance_arn == arn)
        && filters
            .family
            .is_none_or(|family| family_of(&task.task_definition_arn) == family)
        && filters.started_by.is_none_or(|s| task.started_by.as_deref() == Some(s))
        && filters.group.as_deref().is_none_or(|group| task.group == group)
        && filters.launch_type.is_none_or(|l| launch_type(scenario, task) == l)
}

/// The family of `arn:...:task-definition/FAMILY:REV` or `FAMILY:REV`.
fn family_of(task_definition: &str) -> &str {
    let tail = task_definition
        .split_once("task-definition/")
        .map_or(task_definition, |(_, tail)| tail);
    tail.rsplit_once(':').map_or(tail, |(family, _)| family)
}

/// FARGATE for Fargate tasks, EXTERNAL for tasks on external instances
/// (`ecs.capability.external`), else EC2.
fn launch_type(scenario: &Scenario, task: &Task) -> &'static str {
    if task.is_fargate() {
        return "FARGATE";
    }
    let external = scenario
        .instances
        .iter()
        .find(|i| i.container_instance_arn == task.container_instance_arn)
        .is_some_and(|i| i.attributes.contains_key("ecs.capability.external"));
    if external { "EXTERNAL" } else { "EC2" }
}

fn started_by_warning(request: &ListRequest) -> Option<String> {
    request.started_by.as_ref()?;
    let others: Vec<&str> = [
        ("containerInstance", request.container_instance.is_some()),
        ("family", request.family.is_some()),
        ("serviceName", request.service_name.is_some()),
        ("launchType", request.launch_type.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, given)| given.then_some(name))
    .collect();
    (!others.is_empty()).then(|| {
        format!(
            "AWS documents that startedBy must be the only filter of ListTasks; the playground combined it with {}",
            others.join(", ")
        )
    })
}

/// `DescribeTasks`: each task named by ARN or short ID, in request order; unknown ones as
/// `MISSING` failures (`arn` as given). `--include TAGS` is accepted and ignored.
pub(super) fn describe(scenario: &Scenario, request: DescribeRequest) -> Result<Outcome> {
    check_batch("DescribeTasks", "tasks", request.tasks.len(), MAX_DESCRIBE)?;
    let mut tasks = Vec::new();
    let mut failures = Vec::new();
    for name in &request.tasks {
        match find_task(scenario, name) {
            Some(task) => tasks.push(task_json(scenario, task)),
            None => failures.push(Failure::missing(name)),
        }
    }
    Ok(Outcome::response(response(&DescribeResponse { tasks, failures })?))
}

/// `StopTask`: desired and last status become STOPPED at once (the simulator has no clock, so
/// `stoppingAt`/`stoppedAt` are omitted) and the task's CPU, memory, static ports, GPUs and ENI
/// go back to its instance. The task stays in the scenario (`list-tasks --desired-status
/// STOPPED` shows it). A task that is already stopped is returned unchanged.
pub(super) fn stop(scenario: &mut Scenario, request: StopRequest) -> Result<Outcome> {
    let not_found = || Error::invalid_parameter("The referenced task was not found.");
    let index = task_index(scenario, &request.task).ok_or_else(not_found)?;
    let (task, _) = stop_task(scenario, index, request.reason.as_deref()).ok_or_else(not_found)?;
    Ok(Outcome::response(json!({ "task": task_json(scenario, &task) })))
}

/// Stops the task at `index` as StopTask does (`reason` defaults to "Task stopped by user");
/// returns the task as it is now and whether this call stopped it (false when it was already
/// stopped: it is left unchanged). `None` when there is no task at `index`.
pub(crate) fn stop_task(scenario: &mut Scenario, index: usize, reason: Option<&str>) -> Option<(Task, bool)> {
    stop_task_as(
        scenario,
        index,
        reason.unwrap_or("Task stopped by user"),
        "UserInitiated",
    )
}

/// Stops the task at `index` with a stop code (`UserInitiated` for StopTask,
/// `ServiceSchedulerInitiated` for the service scheduler) and reason; like [`stop_task`].
pub(crate) fn stop_task_as(
    scenario: &mut Scenario,
    index: usize,
    reason: &str,
    stop_code: &str,
) -> Option<(Task, bool)> {
    let task = scenario.tasks.get(index).cloned()?;
    if !task.holds_resources() {
        return Some((task, false));
    }
    Some((mark_stopped(scenario, index, &task, reason, stop_code), true))
}

/// Gives the task's resources back and stores it as STOPPED; returns the stopped task.
fn mark_stopped(scenario: &mut Scenario, index: usize, task: &Task, reason: &str, stop_code: &str) -> Task {
    give_back(scenario, task);
    let mut stopped = Task {
        desired_status: TaskStatus::Stopped,
        last_status: TaskStatus::Stopped,
        ..task.clone()
    };
    stopped.edit_details(|details| {
        details.stop_code = Some(stop_code.into());
        details.stopped_reason = Some(reason.into());
    });
    if let Some(stored) = scenario.tasks.get_mut(index) {
        *stored = stopped.clone();
    }
    stopped
}

/// Releases what `task` holds on its instance; ports other tasks there still hold stay reserved.
fn give_back(scenario: &mut Scenario, task: &Task) {
    let others: Vec<Task> = scenario
        .tasks
        .iter()
        .filter(|t| {
            t.container_instance_arn == task.container_instance_arn
                && t.task_arn != task.task_arn
                && t.holds_resources()
        })
        .cloned()
        .collect();
    let Some(instance) = scenario
        .instances
        .iter_mut()
        .find(|i| i.container_instance_arn == task.container_instance_arn)
    else {
        return;
    };
    let registered = instance.registered().clone();
    let mut remaining = instance.remaining().clone();
    release(&mut remaining, &registered, task);
    for other in &others {
        crate::scenario::hold_ports(&mut remaining, other);
    }
    instance.remaining_resources = Some(remaining);
    instance.record_change();
}

/// Takes the ports a task held (`held`), but not the ones reserved at registration, out of an
/// instance's remaining `ports`. The set is rebuilt rather than shrunk with `BTreeSet::remove`,
/// whose code would be the module's only for port sets; it is copied first when shared, as a
/// removal copied it, and only when the task held a port that was not reserved.
fn free_ports(ports: &mut PortSet, held: &[u16], registered: &PortSet) {
    if held.iter().any(|p| !registered.contains(p)) {
        let ports: &mut BTreeSet<u16> = ports;
        for port in std::mem::take(ports) {
            if registered.contains(&port) || !held.contains(&port) {
                ports.insert(port);
            }
        }
    }
}

/// The reverse of [`crate::scenario::hold`]: gives a task's CPU, memory, static ports and GPUs
/// back to an instance's remaining resources. Remaining ports are a set, so only the ports the
/// task held are removed, and never the ones reserved at registration (the agent's).
pub fn release(remaining: &mut Resources, registered: &Resources, task: &Task) {
    remaining.give_back_units(task.cpu, task.memory);
    free_ports(&mut remaining.ports, &task.details().ports, &registered.ports);
    free_ports(
        &mut remaining.ports_udp,
        &task.details().ports_udp,
        &registered.ports_udp,
    );
    if task.details().gpu_ids.is_empty() {
        // The GPU list is shared (copied on a change): left alone when nothing comes back.
        return;
    }
    for gpu in &task.details().gpu_ids {
        if !remaining.gpus.contains(gpu) {
            remaining.gpus.push(gpu.clone());
        }
    }
    let order = |gpu: &String| registered.gpus.iter().position(|g| g == gpu).unwrap_or(usize::MAX);
    crate::order::sort_stable_by_key(&mut remaining.gpus, order);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::presets::sample;

    fn list_request() -> ListRequest {
        ListRequest {
            container_instance: None,
            family: None,
            started_by: None,
            service_name: None,
            desired_status: None,
            launch_type: None,
        }
    }

    fn arns(scenario: &Scenario, request: ListRequest) -> Vec<String> {
        let out = list(scenario, request).unwrap().response;
        out["taskArns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| crate::model::short_id(a.as_str().unwrap()).to_string())
            .collect()
    }

    #[test]
    fn lists_running_tasks_in_scenario_order() {
        let scenario = sample().unwrap();
        assert_eq!(arns(&scenario, list_request()).len(), scenario.tasks.len());
        let pending = ListRequest {
            desired_status: Some("PENDING".into()),
            ..list_request()
        };
        assert!(arns(&scenario, pending).is_empty());
        let stopped = ListRequest {
            desired_status: Some("STOPPED".into()),
            ..list_request()
        };
        assert!(arns(&scenario, stopped).is_empty());
    }

    #[test]
    fn filters_combine() {
        let scenario = sample().unwrap();
        let web = ListRequest {
            family: Some("web".into()),
            ..list_request()
        };
        assert_eq!(
            arns(&scenario, web),
            [
                "a1f0000000000000000000000000000a",
                "a1f0000000000000000000000000000b",
                "a1f0000000000000000000000000000c"
            ]
        );
        let service = ListRequest {
            service_name: Some("production".into()),
            container_instance: Some("1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d".into()),
            ..list_request()
        };
        assert_eq!(arns(&scenario, service), ["a1f0000000000000000000000000000a"]);
        let on = ListRequest {
            container_instance: Some(
                "arn:aws:ecs:us-east-1:123456789012:container-instance/default/1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d".into(),
            ),
            ..list_request()
        };
        assert_eq!(arns(&scenario, on).len(), 2);
        let fargate = ListRequest {
            launch_type: Some("FARGATE".into()),
            ..list_request()
        };
        assert!(arns(&scenario, fargate).is_empty());
        let ec2 = ListRequest {
            launch_type: Some("EC2".into()),
            ..list_request()
        };
        assert_eq!(arns(&scenario, ec2).len(), scenario.tasks.len());
    }

    #[test]
    fn list_rejects_bad_parameters() {
        let scenario = sample().unwrap();
        for request in [
            ListRequest {
                desired_status: Some("DONE".into()),
                ..list_request()
            },
            ListRequest {
                launch_type: Some("ec2".into()),
                ..list_request()
            },
            ListRequest {
                container_instance: Some("i-ffff1234".into()),
                ..list_request()
            },
        ] {
            assert_eq!(list(&scenario, request).unwrap_err().kind, ErrorKind::InvalidParameter);
        }
    }

    #[test]
    fn container_instance_by_ec2_instance_id_warns() {
        let scenario = sample().unwrap();
        let by_ec2 = ListRequest {
            container_instance: Some("i-0a1b2c3d4e5f60001".into()),
            ..list_request()
        };
        let by_id = ListRequest {
            container_instance: Some("1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d".into()),
            ..list_request()
        };
        let out = list(&scenario, by_ec2).unwrap();
        assert_eq!(out.response, list(&scenario, by_id).unwrap().response);
        assert_eq!(out.response["taskArns"].as_array().unwrap().len(), 2);
        assert_eq!(
            out.warnings,
            [
                "`i-0a1b2c3d4e5f60001` is an EC2 instance ID; ECS itself expects a container instance ID or ARN here \
              (it would answer InvalidParameterException). The playground used container instance \
              `1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d`."
            ]
        );
    }

    #[test]
    fn started_by_is_matched_and_combining_it_warns() {
        let mut scenario = sample().unwrap();
        if let Some(task) = scenario.tasks.first_mut() {
            task.started_by = Some("ci".into());
        }
        let request = ListRequest {
            started_by: Some("ci".into()),
            family: Some("web".into()),
            ..list_request()
        };
        let out = list(&scenario, request).unwrap();
        assert_eq!(out.response["taskArns"].as_array().unwrap().len(), 1);
        assert_eq!(out.warnings.len(), 1);
    }

    #[test]
    fn family_of_arns_and_short_forms() {
        assert_eq!(family_of("arn:aws:ecs:us-east-1:1:task-definition/web:7"), "web");
        assert_eq!(family_of("web:7"), "web");
        assert_eq!(family_of("web"), "web");
    }

    #[test]
    fn describe_finds_and_misses() {
        let scenario = sample().unwrap();
        let request = DescribeRequest {
            tasks: vec!["a1f0000000000000000000000000000a".into(), "ghost".into()],
        };
        let out = describe(&scenario, request).unwrap().response;
        assert_eq!(
            out["tasks"][0]["taskArn"],
            "arn:aws:ecs:us-east-1:123456789012:task/default/a1f0000000000000000000000000000a"
        );
        assert_eq!(out["failures"], json!([{"arn": "ghost", "reason": "MISSING"}]));
        let many = DescribeRequest {
            tasks: vec!["x".into(); MAX_DESCRIBE + 1],
        };
        assert!(describe(&scenario, many).is_err());
    }

    #[test]
    fn stop_releases_resources_and_keeps_the_task() {
        let mut scenario = sample().unwrap();
        let instance = scenario.instances.get(1).unwrap().clone();
        let before = instance.remaining().clone();
        assert!(before.ports.contains(&80));
        let request = StopRequest {
            task: "a1f0000000000000000000000000000a".into(),
            reason: Some("maintenance".into()),
        };
        let out = stop(&mut scenario, request).unwrap().response;
        assert_eq!(out["task"]["desiredStatus"], "STOPPED");
        assert_eq!(out["task"]["lastStatus"], "STOPPED");
        assert_eq!(out["task"]["stopCode"], "UserInitiated");
        assert_eq!(out["task"]["stoppedReason"], "maintenance");
        let after = scenario.instances.get(1).unwrap().remaining().clone();
        assert_eq!((after.cpu, after.memory), (before.cpu + 512, before.memory + 1024));
        assert!(!after.ports.contains(&80));
        assert!(after.ports.contains(&22));
        assert_eq!(scenario.tasks.len(), 7);
        let again = stop(
            &mut scenario,
            StopRequest {
                task: "a1f0000000000000000000000000000a".into(),
                reason: None,
            },
        )
        .unwrap()
        .response;
        assert_eq!(
            again["task"]["stoppedReason"], "maintenance",
            "unchanged: the first stop's reason is kept"
        );
        assert_eq!(scenario.instances.get(1).unwrap().remaining(), &after);
    }

    #[test]
    fn stop_default_reason_and_unknown_tasks() {
        let mut scenario = sample().unwrap();
        let out = stop(
            &mut scenario,
            StopRequest {
                task: "cac0000000000000000000000000000a".into(),
                reason: None,
            },
        )
        .unwrap()
        .response;
        assert_eq!(out["task"]["stoppedReason"], "Task stopped by user");
        let keys: Vec<&String> = out["task"].as_object().unwrap().keys().collect();
        let stop_code = keys.iter().position(|k| *k == "stopCode").unwrap();
        assert_eq!(keys.get(stop_code + 2).map(|k| k.as_str()), Some("tags"));
        let err = stop(
            &mut scenario,
            StopRequest {
                task: "ghost".into(),
                reason: None,
            },
        )
        .unwrap_err();
        assert_eq!(err.message, "The referenced task was not found.");
    }

    #[test]
    fn release_reverses_hold() {
        let registered = Resources {
            gpus: vec!["g0".into(), "g1".into()].into(),
            ..Resources::with_agent_ports(4096, 8192)
        };
        let task = Task {
            task_arn: "t".into(),
            container_instance_arn: "i".into(),
            group: "g".into(),
            task_definition_arn: crate::Name::default(),
            desired_status: TaskStatus::Running,
            last_status: TaskStatus::Running,
            cpu: 256,
            memory: 512,
            eni: false,
            started_by: None,
            ..Task::default()
        }
        .with_details(crate::model::TaskDetails {
            ports: [80, 22].into(),
            ports_udp: [53].into(),
            gpu_ids: ["g0".into()].into(),
            ..Default::default()
        });
        let mut remaining = registered.clone();
        crate::scenario::hold(&mut remaining, &task);
        assert_ne!(remaining, registered);
        release(&mut remaining, &registered, &task);
        assert_eq!(remaining, registered);
    }
}
