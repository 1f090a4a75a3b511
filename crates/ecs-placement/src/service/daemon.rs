//! DAEMON services (spec §6.3): exactly one task on each ACTIVE instance of the launch type
//! that satisfies the service's `memberOf` constraints (the task definition's too). Daemons are
//! placed before every REPLICA service in each pass (so a new instance gets its daemon first)
//! and stopped after them; a daemon task on an instance that is no longer ACTIVE, or whose
//! constraints became false, is stopped. The desired count follows the eligible instances.

use super::model::LaunchType;
use super::scheduler::Scheduler;
use super::steps::{DaemonCause, PlaceReason, StopReason, StopWhy};
use crate::Name;
use crate::cql;
use crate::engine::Constraint;
use crate::query::{InstanceView, instance_views};
use rustc_hash::FxHashSet as HashSet;

/// Places the daemon's task on every eligible instance that has none.
pub fn place_missing(scheduler: &mut Scheduler<'_>, index: usize) {
    let eligible = eligible_instances(scheduler, index);
    let census = scheduler.census(index);
    let running_on: HashSet<Name> = census
        .running
        .iter()
        .filter_map(|&t| scheduler.scenario.tasks.get(t))
        .map(|t| t.container_instance_arn.clone())
        .collect();
    if let Some(service) = scheduler.scenario.services.get_mut(index) {
        service.desired_count = u32::try_from(eligible.len()).unwrap_or(u32::MAX);
    }
    let missing = eligible.iter().filter(|arn| !running_on.contains(arn.as_str())).count();
    if missing > 0 && !scheduler.failed_recently(index, "place") {
        scheduler.place(index, missing, PlaceReason::Daemon, None);
    }
}

/// Stops daemon tasks on instances the daemon no longer belongs on, and second copies.
pub fn stop_ineligible(scheduler: &mut Scheduler<'_>, index: usize) {
    let constraints = scheduler.member_of(index);
    let external = is_external_service(scheduler, index);
    let census = scheduler.census(index);
    let views = instance_views(scheduler.scenario);
    // A set type the module has.
    let mut seen = std::collections::BTreeSet::new();
    let mut stops = Vec::new();
    for task in census.running {
        let Some(arn) = scheduler
            .scenario
            .tasks
            .get(task)
            .map(|t| t.container_instance_arn.as_str())
        else {
            continue;
        };
        let view = scheduler.scenario.instance_index(arn).and_then(|i| views.get(i));
        let cause = match view {
            _ if !seen.insert(arn) => Some(DaemonCause::Duplicate),
            Some(view) => ineligibility(view, &constraints, external),
            None => Some(DaemonCause::NotActive),
        };
        if let Some(cause) = cause {
            stops.push((task, StopWhy::DaemonIneligible { cause }));
        }
    }
    scheduler.stop_all(index, StopReason::DaemonIneligible, stops);
}

/// The ARNs of the instances the daemon belongs on.
fn eligible_instances(scheduler: &Scheduler<'_>, index: usize) -> Vec<String> {
    let constraints = scheduler.member_of(index);
    let external = is_external_service(scheduler, index);
    instance_views(scheduler.scenario)
        .iter()
        .filter(|view| ineligibility(view, &constraints, external).is_none())
        .map(|view| view.instance.container_instance_arn.to_string())
        .collect()
}

pub(super) fn is_external_service(scheduler: &Scheduler<'_>, index: usize) -> bool {
    scheduler
        .scenario
        .services
        .get(index)
        .is_some_and(|s| s.launch_type == LaunchType::External)
}

/// Why the instance is not for the daemon (`None`: it is). Instances of the other launch type
/// are simply not the daemon's (reported as not ACTIVE for the daemon).
pub(super) fn ineligibility(
    view: &InstanceView<'_>,
    constraints: &[Constraint],
    external: bool,
) -> Option<DaemonCause> {
    if crate::engine::skip_reason(view.instance, external).is_some() {
        return Some(DaemonCause::NotActive);
    }
    constraints.iter().find_map(|c| match c {
        Constraint::MemberOf { expression, expr, .. } if !cql::evaluate(expr, view) => {
            Some(DaemonCause::ConstraintUnsatisfied {
                expression: expression.clone(),
            })
        }
        _ => None,
    })
}
