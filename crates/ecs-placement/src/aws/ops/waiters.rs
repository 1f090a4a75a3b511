//! `aws ecs wait services-stable` and `aws ecs wait services-inactive`: the AWS CLI's waiters
//! over DescribeServices (botocore's `waiters-2.json`: a poll every 15 s, at most 40). The
//! scenario is settled after every command, so the simulated waiter decides on its first poll:
//! success (nothing printed), a terminal failure state, or the failure the AWS CLI gives after
//! its last attempt. It does not advance the clock.

use super::Outcome;
use super::service_shape::{DescribeRequest, counts, described};
use crate::error::{Error, ErrorKind, Result};
use crate::scenario::Scenario;
use crate::service::{self, ServiceStatus};
use serde_json::Value;

/// Runs a waiter by its botocore name.
pub(super) fn wait(scenario: &Scenario, waiter: &str, request: DescribeRequest) -> Result<Outcome> {
    let (_, failures) = described(scenario, &request)?;
    if !failures.is_empty() {
        return Err(terminal(waiter, "failures[].reason", "MISSING"));
    }
    let statuses: Vec<ServiceStatus> = request
        .services
        .iter()
        .filter_map(|name| service::find(scenario, name))
        .filter_map(|i| scenario.services.get(i))
        .map(|s| s.status)
        .collect();
    let done = match waiter {
        "ServicesInactive" => statuses.contains(&ServiceStatus::Inactive),
        _ => stable(scenario, waiter, &request, &statuses)?,
    };
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
fn stable(scenario: &Scenario, waiter: &str, request: &DescribeRequest, statuses: &[ServiceStatus]) -> Result<bool> {
    for status in [ServiceStatus::Draining, ServiceStatus::Inactive] {
        if statuses.contains(&status) {
            return Err(terminal(waiter, "services[].status", status.as_str()));
        }
    }
    let counts = counts(scenario);
    Ok(request
        .services
        .iter()
        .filter_map(|name| service::find(scenario, name))
        .filter_map(|i| scenario.services.get(i))
        .all(|s| counts.get(&s.group()).map_or(0, |c| c.running) == u64::from(s.desired_count)))
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
