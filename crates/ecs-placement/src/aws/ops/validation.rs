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

/// What ECS answers when it is given an EC2 instance ID where it expects a container instance;
/// the playground's warning says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsAnswer {
    /// A `MISSING` failure (DescribeContainerInstances, UpdateContainerInstancesState).
    Missing,
    /// An `InvalidParameterException` (ListTasks).
    InvalidParameter,
    /// A `TargetNotFoundException` (PutAttributes, DeleteAttributes).
    TargetNotFound,
}

impl AwsAnswer {
    fn describe(self) -> &'static str {
        match self {
            AwsAnswer::Missing => "it would report it as MISSING",
            AwsAnswer::InvalidParameter => "it would answer InvalidParameterException",
            AwsAnswer::TargetNotFound => "it would answer TargetNotFoundException",
        }
    }
}

/// A container instance reference resolved leniently: the instance, and a warning when the
/// reference was its EC2 instance ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The instance's index in the scenario.
    pub index: usize,
    /// Set when the reference was an EC2 instance ID (ECS itself would not find it).
    pub warning: Option<String>,
}

/// The instance a reference names: its ARN or short ID as ECS accepts them, else, leniently,
/// its EC2 instance ID with a warning saying what ECS would answer instead.
pub fn resolve_instance(scenario: &Scenario, reference: &str, answer: AwsAnswer) -> Option<Resolved> {
    if let Some(index) = instance_index(scenario, reference) {
        return Some(Resolved { index, warning: None });
    }
    let index = scenario
        .instances
        .iter()
        .position(|i| !reference.is_empty() && i.ec2_instance_id == reference)?;
    let instance = scenario.instances.get(index)?;
    Some(Resolved {
        index,
        warning: Some(ec2_id_warning(reference, instance, answer)),
    })
}

/// "`i-...` is an EC2 instance ID; ECS itself expects a container instance ID or ARN here (...).
/// The playground used container instance `...`."
fn ec2_id_warning(reference: &str, instance: &ContainerInstance, answer: AwsAnswer) -> String {
    format!(
        "`{reference}` is an EC2 instance ID; ECS itself expects a container instance ID or ARN here ({}). \
         The playground used container instance `{}`.",
        answer.describe(),
        instance.short_id()
    )
}

/// Adds a warning unless the list already has it (a reference named twice warns once).
pub fn push_warning(warnings: &mut Vec<String>, warning: Option<String>) {
    if let Some(warning) = warning.filter(|w| !warnings.contains(w)) {
        warnings.push(warning);
    }
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
    fn lookups_take_arns_and_short_ids_and_ec2_ids_with_a_warning() {
        let scenario = crate::presets::sample().unwrap();
        let first = scenario.instances.first().unwrap();
        assert_eq!(instance_index(&scenario, first.short_id()), Some(0));
        assert_eq!(instance_index(&scenario, &first.container_instance_arn), Some(0));
        assert_eq!(instance_index(&scenario, &first.ec2_instance_id), None);
        let strict = resolve_instance(&scenario, first.short_id(), AwsAnswer::Missing).unwrap();
        assert_eq!(
            strict,
            Resolved {
                index: 0,
                warning: None
            }
        );
        let lenient = resolve_instance(&scenario, "i-0a1b2c3d4e5f60001", AwsAnswer::Missing).unwrap();
        assert_eq!(lenient.index, 1);
        assert_eq!(
            lenient.warning.unwrap(),
            "`i-0a1b2c3d4e5f60001` is an EC2 instance ID; ECS itself expects a container instance ID or ARN here \
             (it would report it as MISSING). The playground used container instance `1c7a1b2d3e4f5a6b7c8d9e0f1a2b3c4d`."
        );
        assert_eq!(resolve_instance(&scenario, "i-ffffffff", AwsAnswer::Missing), None);
        assert_eq!(resolve_instance(&scenario, "", AwsAnswer::Missing), None);
        let task = scenario.tasks.first().unwrap();
        assert_eq!(task_index(&scenario, task.short_id()), Some(0));
        assert!(find_task(&scenario, "nope").is_none());
    }
}
