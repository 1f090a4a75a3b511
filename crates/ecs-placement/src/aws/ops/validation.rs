//! Pieces shared by the operations: AWS-style enum validation errors, batch-size limits,
//! `failures` entries and lookups by ARN or short ID.

use crate::error::{Error, Result};
use crate::model::{ContainerInstance, Task};
use crate::scenario::Scenario;
use serde::Serialize;

/// A `failures` entry of a batch operation (`{arn, reason}`; AWS's `detail` is omitted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The resource as the request named it.
    pub arn: String,
    /// The AWS reason (`MISSING`).
    pub reason: String,
}

impl Failure {
    /// `{"arn": <as given>, "reason": "MISSING"}`: the resource does not exist (spec §5).
    pub fn missing(arn: &str) -> Failure {
        Failure {
            arn: arn.to_string(),
            reason: "MISSING".to_string(),
        }
    }
}

/// The API's enum validation error:
/// `1 validation error detected: Value 'X' at 'path' failed to satisfy constraint: Member must
/// satisfy enum value set: [A, B]`.
pub fn enum_error(value: &str, path: &str, valid: &[&str]) -> Error {
    Error::invalid_parameter(format!(
        "1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
        valid.join(", ")
    ))
}

/// Parses an optional enum member: `default` when absent, an [`enum_error`] when not in `valid`.
pub fn enum_value<'a>(value: Option<&'a str>, default: &'a str, path: &str, valid: &[&str]) -> Result<&'a str> {
    let value = value.unwrap_or(default);
    if valid.contains(&value) {
        Ok(value)
    } else {
        Err(enum_error(value, path, valid))
    }
}

/// Checks that a batch has between 1 and `limit` items (the playground's wording; AWS's limits
/// are in spec §7.7).
pub fn check_batch(operation: &str, member: &str, count: usize, limit: usize) -> Result<()> {
    if count == 0 {
        return Err(Error::invalid_parameter(format!(
            "{operation} needs at least one item in {member}."
        )));
    }
    if count > limit {
        return Err(Error::invalid_parameter(format!(
            "{operation} accepts at most {limit} items in {member} per call; {count} were given."
        )));
    }
    Ok(())
}

/// The index of the instance a reference names: its full ARN or its short ID (the container
/// instance API accepts these two forms; EC2 instance IDs are not container instance IDs).
pub fn instance_index(scenario: &Scenario, reference: &str) -> Option<usize> {
    scenario
        .instances
        .iter()
        .position(|i| i.container_instance_arn == reference || i.short_id() == reference)
}

/// The instance a reference (ARN or short ID) names.
pub fn find_instance<'a>(scenario: &'a Scenario, reference: &str) -> Option<&'a ContainerInstance> {
    instance_index(scenario, reference).and_then(|index| scenario.instances.get(index))
}

/// The index of the task a reference (full ARN or short ID) names.
pub fn task_index(scenario: &Scenario, reference: &str) -> Option<usize> {
    scenario
        .tasks
        .iter()
        .position(|t| t.task_arn == reference || t.short_id() == reference)
}

/// The task a reference (ARN or short ID) names.
pub fn find_task<'a>(scenario: &'a Scenario, reference: &str) -> Option<&'a Task> {
    task_index(scenario, reference).and_then(|index| scenario.tasks.get(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_errors_read_like_aws() {
        let err = enum_value(Some("UP"), "RUNNING", "desiredStatus", &["RUNNING", "STOPPED"]).unwrap_err();
        assert_eq!(
            err.message,
            "1 validation error detected: Value 'UP' at 'desiredStatus' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, STOPPED]"
        );
        assert_eq!(enum_value(None, "RUNNING", "x", &["RUNNING"]).unwrap(), "RUNNING");
    }

    #[test]
    fn batches_have_limits() {
        assert!(check_batch("Op", "items", 10, 10).is_ok());
        assert!(check_batch("Op", "items", 11, 10).is_err());
        assert!(check_batch("Op", "items", 0, 10).is_err());
    }

    #[test]
    fn lookups_take_arns_and_short_ids_not_ec2_ids() {
        let scenario = crate::presets::sample().unwrap();
        let first = scenario.instances.first().unwrap();
        assert_eq!(instance_index(&scenario, first.short_id()), Some(0));
        assert_eq!(instance_index(&scenario, &first.container_instance_arn), Some(0));
        assert_eq!(instance_index(&scenario, &first.ec2_instance_id), None);
        let task = scenario.tasks.first().unwrap();
        assert_eq!(task_index(&scenario, task.short_id()), Some(0));
        assert!(find_task(&scenario, "nope").is_none());
    }
}
