//! `DeregisterContainerInstance`: the instance leaves the cluster (status INACTIVE: listed no
//! more, still described, never given a task again).
// What only the operations of the `all-operations` feature use is unused without it.
#![cfg_attr(not(feature = "all-operations"), allow(dead_code))]

use super::Outcome;
use super::container_instances::container_instance_json;
use super::tasks::stop_task_as;
use super::validation::{AwsAnswer, resolve_instance};
use crate::error::{Error, Result};
use crate::model::InstanceStatus;
use crate::scenario::Scenario;
use serde::Deserialize;
use serde_json::json;

/// Why a task on a force-deregistered instance is recorded as stopped (the playground's words).
pub const ORPHANED_REASON: &str = "Container instance deregistered with --force: the task was orphaned";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Request {
    container_instance: String,
    #[serde(default)]
    force: Option<bool>,
}

/// `DeregisterContainerInstance`, answering `{containerInstance}` with status INACTIVE.
///
/// * An instance with running tasks is refused without `--force`: `InvalidParameterException`
///   "Found running tasks on the instance." (AWS: stop them first or use `--force`).
/// * With `--force` its tasks are orphaned: AWS stops accounting for them and the service
///   scheduler starts replacements elsewhere. The playground records them as STOPPED (stop code
///   `UserInitiated`, reason [`ORPHANED_REASON`]) so that services see them gone; the scheduler
///   runs after the command.
/// * An unknown instance is an `InvalidParameterException` (the playground's wording: AWS
///   documents none); an EC2 instance ID is read as its container instance, with a warning.
/// * Deregistering an INACTIVE instance again returns it unchanged.
pub(super) fn deregister(scenario: &mut Scenario, request: Request) -> Result<Outcome> {
    let resolved =
        resolve_instance(scenario, &request.container_instance, AwsAnswer::InvalidParameter).ok_or_else(|| {
            Error::invalid_parameter(format!(
                "Container instance {} not found in the cluster.",
                request.container_instance
            ))
        })?;
    let index = resolved.index;
    let arn = scenario
        .instances
        .get(index)
        .map(|i| i.container_instance_arn.clone())
        .unwrap_or_default();
    let running: Vec<usize> = scenario
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.container_instance_arn == arn && t.holds_resources())
        .map(|(i, _)| i)
        .collect();
    if !running.is_empty() && !request.force.unwrap_or(false) {
        return Err(Error::invalid_parameter("Found running tasks on the instance."));
    }
    for task in running {
        stop_task_as(scenario, task, ORPHANED_REASON, "UserInitiated");
    }
    if let Some(instance) = scenario.instances.get_mut(index) {
        instance.status = InstanceStatus::Inactive;
        instance.agent_connected = false;
    }
    let instance = scenario
        .instances
        .get(index)
        .map(|i| container_instance_json(scenario, i))
        .unwrap_or_default();
    Ok(Outcome {
        warnings: resolved.warning.into_iter().collect(),
        ..Outcome::response(json!({ "containerInstance": instance }))
    })
}
