//! A REPLICA service's reconciliation: replace the tasks on DRAINING instances within the
//! deployment configuration (spec §4.5, §6.5), then start or stop tasks until the desired count
//! runs (scale-in chooses by decision D16).

use super::events;
use super::scale_in;
use super::scheduler::Scheduler;
use super::steps::{PlaceReason, StopReason, StopWhy};

/// Draining, then scale-out or scale-in.
pub fn reconcile(scheduler: &mut Scheduler<'_>, index: usize) {
    drain(scheduler, index);
    let census = scheduler.census(index);
    let Some(desired) = scheduler.scenario.services.get(index).map(|s| s.desired_count as usize) else {
        return;
    };
    let running = census.running.len();
    if running < desired && !scheduler.failed_recently(index, "place") {
        scheduler.place(index, desired - running, PlaceReason::ScaleOut, None);
    } else if running > desired {
        scale_in(scheduler, index, running - desired);
    }
}

/// Replaces the tasks on DRAINING instances: start replacements while the running tasks stay
/// within `maximumPercent` (rounded down), stop drained tasks while they stay at or above
/// `minimumHealthyPercent` (rounded up); when neither is allowed the drain stalls with AWS's
/// deployment-configuration event.
fn drain(scheduler: &mut Scheduler<'_>, index: usize) {
    let mut stopped_any = false;
    loop {
        let census = scheduler.census(index);
        let Some(service) = scheduler.scenario.services.get(index) else {
            return;
        };
        let (desired, max, min) = (
            u64::from(service.desired_count),
            service.max_running(),
            service.min_healthy(),
        );
        let running = census.running.len() as u64;
        let healthy = running - census.draining.len() as u64;
        let need = desired.saturating_sub(healthy);
        if census.draining.is_empty() && (!stopped_any || need == 0) {
            return;
        }
        let start = need.min(max.saturating_sub(running)) as usize;
        let mut placed = false;
        let mut failed = false;
        if start > 0 && !scheduler.failed_recently(index, "place") {
            let result = scheduler.place(index, start, PlaceReason::ReplaceDraining, None);
            placed = !result.tasks.is_empty();
            failed = result.failed;
        }
        let stopped = stop_drained(scheduler, index, min);
        stopped_any |= stopped;
        if !placed && !stopped {
            if !census.draining.is_empty() && !failed {
                stall(scheduler, index);
            }
            return;
        }
    }
}

/// Stops as many tasks on DRAINING instances as `minimumHealthyPercent` allows; returns whether
/// it stopped any.
fn stop_drained(scheduler: &mut Scheduler<'_>, index: usize, min: u64) -> bool {
    let census = scheduler.census(index);
    let allowed = (census.running.len() as u64).saturating_sub(min) as usize;
    let tasks: Vec<(usize, StopWhy)> = census
        .draining
        .into_iter()
        .take(allowed)
        .map(|t| (t, StopWhy::InstanceDraining))
        .collect();
    let any = !tasks.is_empty();
    scheduler.stop_all(index, StopReason::Draining, tasks);
    any
}

/// The percentages forbid both starting and stopping: AWS's event, once.
fn stall(scheduler: &mut Scheduler<'_>, index: usize) {
    let Some(service) = scheduler.scenario.services.get(index) else {
        return;
    };
    let message = events::deployment_stalled(service);
    scheduler.event(index, message);
}

/// Stops `count` tasks chosen one after another by decision D16 (each census leaves out the
/// tasks stopped before it).
fn scale_in(scheduler: &mut Scheduler<'_>, index: usize, count: usize) {
    if scheduler
        .scenario
        .services
        .get(index)
        .is_some_and(super::fargate::is_fargate)
    {
        super::fargate::scale_in(scheduler, index, count);
        return;
    }
    let at = events::tick(scheduler.scenario);
    let mut rng = scale_in::rng(scheduler.scenario);
    let mut stopped = Vec::new();
    for _ in 0..count {
        let candidates = scheduler.census(index).running;
        let Some(service) = scheduler.scenario.services.get(index) else {
            break;
        };
        let Some((task, choice)) = scale_in::choose(scheduler.scenario, service, &candidates, &mut rng) else {
            break;
        };
        stopped.extend(scheduler.stop_one(index, task, StopWhy::ScaleIn(choice)));
    }
    scheduler.record_stop(index, StopReason::ScaleIn, at, stopped, None);
}
