//! Service events in AWS's words, their IDs, and the scenario's simulated clock.
//!
//! Where AWS documents no exact behaviour (the playground's choices, in `docs/semantics.md`):
//! the clock starts at the latest `registeredAt` of the scenario's instances and advances one
//! second per service operation, scheduler step and event; an event identical to the service's
//! newest one is not repeated (AWS omits duplicates for six hours); a "has started" or "has
//! stopped" event names at most 10 tasks.

use super::model::{MAX_EVENTS, Service, ServiceEvent};
use crate::TaskArn;
use crate::engine::{Check, Failure};
use crate::rng::{hex_id, splitmix64};
use crate::scenario::Scenario;
use crate::time::Timestamp;

/// Tasks one "has started" / "has stopped" event names (more make several events; ECS starts
/// and stops tasks in batches of at most 10, as RunTask places at most 10).
pub const TASKS_PER_EVENT: usize = 10;
/// One second of simulated time.
pub const SECOND: i64 = 1_000;
/// When the clock starts in a scenario without instances: 2024-01-01T00:00:00Z.
pub const DEFAULT_START: Timestamp = Timestamp(1_704_067_200_000);
/// AWS omits a repeated event for six hours.
const DUPLICATE_WINDOW: i64 = 6 * 3_600 * SECOND;
/// Mixed into the seed for event IDs.
const EVENT_SALT: u64 = 0x7376_632d_6576_656e;
/// Mixed into the seed for deployment IDs.
const DEPLOYMENT_SALT: u64 = 0x7376_632d_6465_706c;

/// The time now: the clock, or where it starts.
pub fn now(scenario: &Scenario) -> Timestamp {
    scenario.clock.unwrap_or_else(|| start(scenario))
}

/// Where the clock starts: the latest registration of an instance.
fn start(scenario: &Scenario) -> Timestamp {
    scenario
        .instances
        .iter()
        .map(|i| i.registered_at)
        .max()
        .unwrap_or(DEFAULT_START)
}

/// Advances the clock by one second and returns the new time.
pub fn tick(scenario: &mut Scenario) -> Timestamp {
    advance(scenario, SECOND)
}

/// Advances the clock by `millis` and returns the new time.
pub fn advance(scenario: &mut Scenario, millis: i64) -> Timestamp {
    let next = Timestamp(now(scenario).0.saturating_add(millis));
    scenario.clock = Some(next);
    scenario.upgrade_version();
    next
}

/// A stable 64-bit hash (FNV-1a) of a text, to derive IDs per service.
pub fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `ecs-svc/` and 19 digits, derived from the seed, the service ARN and its creation time.
pub fn deployment_id(seed: u64, service_arn: &str, created_at: Timestamp) -> String {
    let mut state = seed ^ DEPLOYMENT_SALT ^ fnv(service_arn) ^ created_at.0 as u64;
    let digits = splitmix64(&mut state) % 9_000_000_000_000_000_000 + 1_000_000_000_000_000_000;
    format!("ecs-svc/{digits}")
}

/// A UUID-shaped event ID derived from the seed, the service ARN's hash ([`fnv`]) and the
/// event's time.
fn event_id(seed: u64, service_hash: u64, at: Timestamp) -> String {
    let hex = hex_id(seed ^ EVENT_SALT ^ service_hash, at.0 as u64);
    let mut id = String::with_capacity(36);
    for (n, range) in [0..8, 8..12, 12..16, 16..20, 20..32].into_iter().enumerate() {
        if n > 0 {
            id.push('-');
        }
        id.push_str(hex.get(range).unwrap_or("0"));
    }
    id
}

/// Records an event on service `index` at the next tick, newest first, at most 100; returns it
/// unless it repeats the service's newest event within six hours (then nothing is recorded).
pub fn record(scenario: &mut Scenario, index: usize, message: String) -> Option<ServiceEvent> {
    let service_hash = fnv(&scenario.services.get(index)?.service_arn);
    let newest = scenario.services.get(index).and_then(|s| s.events.first());
    let current = now(scenario);
    if newest.is_some_and(|e| e.message == message && current.0.saturating_sub(e.created_at.0) < DUPLICATE_WINDOW) {
        return None;
    }
    let at = tick(scenario);
    let event = ServiceEvent {
        id: event_id(scenario.seed.unwrap_or(0), service_hash, at).into(),
        created_at: at,
        message: message.into(),
    };
    let service = scenario.services.get_mut(index)?;
    service.events.insert(0, event.clone());
    service.events.truncate(MAX_EVENTS);
    Some(event)
}

/// `head` followed by `(task ID) (task ID) ...` for the tasks of an event, and a full stop:
/// written into `head` itself (a service's scale-out writes a thousand events).
fn with_task_list<'a>(mut head: String, task_arns: impl ExactSizeIterator<Item = &'a TaskArn>) -> String {
    // Room for as many 32-digit IDs (but for hand-written ones).
    head.reserve(task_arns.len() * (32 + "(task ) ".len()) + 1);
    for (n, arn) in task_arns.enumerate() {
        if n > 0 {
            head.push(' ');
        }
        head.push_str("(task ");
        arn.push_id(&mut head);
        head.push(')');
    }
    head.push('.');
    head
}

/// `(service NAME) has started N tasks: (task ID) ...`.
pub fn started<'a>(service: &Service, task_arns: impl ExactSizeIterator<Item = &'a TaskArn>) -> String {
    let head = format!(
        "(service {}) has started {} tasks: ",
        service.service_name,
        task_arns.len()
    );
    with_task_list(head, task_arns)
}

/// `(service NAME) has stopped N running tasks: (task ID) ...`.
pub fn stopped<'a>(service: &Service, task_arns: impl ExactSizeIterator<Item = &'a TaskArn>) -> String {
    let head = format!(
        "(service {}) has stopped {} running tasks: ",
        service.service_name,
        task_arns.len()
    );
    with_task_list(head, task_arns)
}

/// `(service NAME) has reached a steady state.`
pub fn steady(service: &Service) -> String {
    format!("(service {}) has reached a steady state.", service.service_name)
}

/// The deployment configuration forbids both starting and stopping (a drain that stalls).
pub fn deployment_stalled(service: &Service) -> String {
    format!(
        "(service {}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.",
        service.service_name
    )
}

/// `(service NAME) was unable to place a task because no container instance met all of its
/// requirements.`, with the closest matching instance and why it was rejected. The closest
/// matching instance is the one rejected by the latest check in decision D14's order (it passed
/// the most), the first such in scenario order.
pub fn unable_to_place(service: &Service, failures: &[Failure], instances: usize) -> String {
    let head = format!(
        "(service {}) was unable to place a task because no container instance met all of its requirements.",
        service.service_name
    );
    if instances == 0 {
        return format!("{head} Reason: No Container Instances were found in your cluster.");
    }
    let Some(closest) = closest(failures) else {
        return head;
    };
    format!(
        "{head} The closest matching (container-instance {}) {}. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
        crate::model::short_id(&closest.arn),
        rejection(&closest.reason)
    )
}

/// The failure of the instance that passed the most checks.
fn closest(failures: &[Failure]) -> Option<&Failure> {
    let rank = |reason: &str| D14_ORDER.iter().position(|c| c.reason() == reason).unwrap_or(0);
    failures
        .iter()
        .enumerate()
        .max_by_key(|(index, f)| (rank(&f.reason), std::cmp::Reverse(*index)))
        .map(|(_, f)| f)
}

/// The funnel's checks in decision D14's order (their failure reasons are [`Check::reason`]).
const D14_ORDER: [Check; 10] = [
    Check::Agent,
    Check::Attribute,
    Check::Location,
    Check::Cpu,
    Check::Memory,
    Check::Gpu,
    Check::Ports,
    Check::Eni,
    Check::MemberOf,
    Check::DistinctInstance,
];

/// AWS's words for a rejection: its documented phrases for CPU, memory, ports and attributes,
/// `encountered error "REASON"` otherwise.
fn rejection(reason: &str) -> String {
    match D14_ORDER.into_iter().find(|c| c.reason() == reason) {
        Some(Check::Cpu) => "has insufficient CPU units available".into(),
        Some(Check::Memory) => "has insufficient memory available".into(),
        Some(Check::Ports) => "is already using a port required by your task".into(),
        Some(Check::Attribute) => "is missing an attribute required by your task".into(),
        _ => format!("encountered error \"{reason}\""),
    }
}

/// Tasks per zone in AWS's AZ-rebalancing wording: `3 tasks in us-east-1a, 1 in us-east-1b,
/// and 0 in us-east-1c` (`tasks` after every count when `every` is set).
fn zone_counts(counts: &[(String, usize)], every: bool) -> String {
    let parts: Vec<String> = counts
        .iter()
        .enumerate()
        .map(|(i, (zone, n))| {
            if i == 0 || every {
                format!("{n} tasks in {zone}")
            } else {
                format!("{n} in {zone}")
            }
        })
        .collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

/// `(service NAME) is not AZ balanced with ... AZ Rebalancing in progress.`
pub fn not_az_balanced(service: &Service, counts: &[(String, usize)]) -> String {
    format!(
        "(service {}) is not AZ balanced with {}. AZ Rebalancing in progress.",
        service.service_name,
        zone_counts(counts, false)
    )
}

/// `(service NAME) is AZ balanced with ...`
pub fn az_balanced(service: &Service, counts: &[(String, usize)]) -> String {
    format!(
        "(service {}) is AZ balanced with {}.",
        service.service_name,
        zone_counts(counts, true)
    )
}

/// A task started in a zone by AZ rebalancing.
pub fn az_started<'a>(service: &Service, zone: &str, task_arns: impl ExactSizeIterator<Item = &'a TaskArn>) -> String {
    let head = format!(
        "(service {}) has started {} tasks in Availability Zone {zone} to AZ Rebalance: ",
        service.service_name,
        task_arns.len()
    );
    with_task_list(head, task_arns)
}

/// A task stopped in a zone by AZ rebalancing.
pub fn az_stopped<'a>(service: &Service, zone: &str, task_arns: impl ExactSizeIterator<Item = &'a TaskArn>) -> String {
    let head = format!(
        "(service {}) has stopped {} running tasks in Availability Zone {zone} due to AZ rebalancing: ",
        service.service_name,
        task_arns.len()
    );
    with_task_list(head, task_arns)
}

/// AZ rebalancing found no instance in the zone with the fewest tasks.
pub fn az_unable(service: &Service, zone: &str) -> String {
    format!(
        "(service {}) is unable to place a task in Availability Zone {zone} because no container instance met all of its requirements.",
        service.service_name
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_listed_like_aws() {
        let counts = |list: &[(&str, usize)]| -> Vec<(String, usize)> {
            list.iter().map(|(z, n)| (z.to_string(), *n)).collect()
        };
        let three = counts(&[("a", 3), ("b", 1), ("c", 0)]);
        assert_eq!(zone_counts(&three, false), "3 tasks in a, 1 in b, and 0 in c");
        assert_eq!(
            zone_counts(&three, true),
            "3 tasks in a, 1 tasks in b, and 0 tasks in c"
        );
        assert_eq!(
            zone_counts(&counts(&[("a", 2), ("b", 0)]), false),
            "2 tasks in a and 0 in b"
        );
    }

    #[test]
    fn the_closest_instance_passed_the_most_checks() {
        let failure = |arn: &str, reason: &str| Failure {
            arn: arn.into(),
            reason: reason.into(),
            detail: String::new(),
        };
        let failures = [
            failure("a", "RESOURCE:CPU"),
            failure("b", "RESOURCE:MEMORY"),
            failure("c", "RESOURCE:MEMORY"),
            failure("d", "AGENT"),
        ];
        assert_eq!(closest(&failures).map(|f| f.arn.as_str()), Some("b"));
        assert_eq!(rejection("RESOURCE:MEMORY"), "has insufficient memory available");
        assert_eq!(
            rejection("DistinctInstance placement constraint unsatisfied."),
            "encountered error \"DistinctInstance placement constraint unsatisfied.\""
        );
    }

    #[test]
    fn deployment_ids_have_19_digits() {
        let id = deployment_id(7, "arn:aws:ecs:us-east-1:1:service/default/web", Timestamp(0));
        assert!(id.starts_with("ecs-svc/"));
        assert_eq!(id.len(), "ecs-svc/".len() + 19);
        assert_eq!(
            id,
            deployment_id(7, "arn:aws:ecs:us-east-1:1:service/default/web", Timestamp(0))
        );
    }
}
