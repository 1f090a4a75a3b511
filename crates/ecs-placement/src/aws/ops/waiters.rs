//! `aws ecs wait services-stable` and `aws ecs wait services-inactive`: the AWS CLI's waiters
//! over DescribeServices (botocore's `waiters-2.json`: a poll every 15 s, at most 40), and
//! `aws ecs wait tasks-running` and `tasks-stopped` over DescribeTasks (every 6 s, at most 100). The
//! scenario is settled after every command, so the simulated waiter decides on its first poll:
//! success (nothing printed), a terminal failure state, or the failure the AWS CLI gives after
//! its last attempt. It does not advance the clock.

use super::Outcome;
use super::service_shape::{DescribeRequest, described};
use crate::error::{Error, ErrorKind, Result};
use crate::scenario::Scenario;
use serde_json::Value;

/// Runs a waiter by its botocore name.
pub(super) fn wait(scenario: &Scenario, waiter: &str, invocation: &super::Invocation) -> Result<Outcome> {
    match waiter {
        #[cfg(feature = "all-operations")]
        "TasksRunning" | "TasksStopped" => wait_tasks(scenario, waiter, super::request(invocation)?),
        _ => wait_services(scenario, waiter, super::request(invocation)?),
    }
}

/// TasksRunning and TasksStopped, whose acceptors read the DescribeTasks response (botocore's
/// `waiters-2.json`, in order). TasksRunning: any task STOPPED or any failure MISSING is a
/// terminal failure; success when every task is RUNNING. TasksStopped: success when every task
/// is STOPPED. botocore's `pathAll` never matches an empty list, so a call whose tasks are all
/// missing waits until it gives up. (They poll DescribeTasks, one of the `all-operations`
/// feature's: without it their commands are refused when parsed.)
#[cfg(feature = "all-operations")]
fn wait_tasks(scenario: &Scenario, waiter: &str, request: super::tasks::DescribeRequest) -> Result<Outcome> {
    let response = super::tasks::describe(scenario, request)?.response;
    let list = |key: &str| {
        response
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
    };
    let field = |item: &'_ Value, key: &str| item.get(key).and_then(Value::as_str).map(str::to_string);
    let statuses: Vec<String> = list("tasks").iter().filter_map(|t| field(t, "lastStatus")).collect();
    let missing = list("failures")
        .iter()
        .any(|f| field(f, "reason").as_deref() == Some("MISSING"));
    let all = |status: &str| !statuses.is_empty() && statuses.iter().all(|s| *s == status);
    let done = if waiter == "TasksRunning" {
        if statuses.iter().any(|s| s == "STOPPED") {
            return Err(terminal(waiter, "tasks[].lastStatus", "STOPPED"));
        }
        if missing {
            return Err(terminal(waiter, "failures[].reason", "MISSING"));
        }
        all("RUNNING")
    } else {
        all("STOPPED")
    };
    finish(waiter, done)
}

/// ServicesStable and ServicesInactive, whose acceptors read the DescribeServices response.
fn wait_services(scenario: &Scenario, waiter: &str, request: DescribeRequest) -> Result<Outcome> {
    let (services, failures) = described(scenario, &request)?;
    if !failures.is_empty() {
        return Err(terminal(waiter, "failures[].reason", "MISSING"));
    }
    let done = match waiter {
        "ServicesInactive" => services.iter().any(|s| s["status"] == "INACTIVE"),
        _ => stable(waiter, &services)?,
    };
    finish(waiter, done)
}

/// Success (nothing printed), or the failure the AWS CLI gives after its last attempt.
fn finish(waiter: &str, done: bool) -> Result<Outcome> {
    if done {
        Ok(Outcome::response(Value::Null))
    } else {
        Err(Error::new(
            ErrorKind::WaiterFailed,
            format!("Waiter {waiter} failed: Max attempts exceeded"),
        ))
    }
}

/// ServicesStable's acceptors in order: any DRAINING or INACTIVE service is a terminal failure;
/// success when every service runs its desired count with one deployment.
fn stable(waiter: &str, services: &[Value]) -> Result<bool> {
    for status in ["DRAINING", "INACTIVE"] {
        if services.iter().any(|s| s["status"] == status) {
            return Err(terminal(waiter, "services[].status", status));
        }
    }
    Ok(services.iter().all(|s| {
        let deployments = s["deployments"].as_array().map_or(0, Vec::len);
        deployments == 1 && s["runningCount"] == s["desiredCount"]
    }))
}

/// botocore's words for a failure acceptor that matched.
fn terminal(waiter: &str, expression: &str, expected: &str) -> Error {
    Error::new(
        ErrorKind::WaiterFailed,
        format!(
            "Waiter {waiter} failed: Waiter encountered a terminal failure state: For expression \"{expression}\" we matched expected path: \"{expected}\" at least once"
        ),
    )
}
