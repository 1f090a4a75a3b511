//! AZ rebalancing (decision D17): a steady service whose chain starts with AZ spread and whose
//! `availabilityZoneRebalancing` is ENABLED is rebalanced while the zones it can run in differ
//! by more than one task: start a task in the zone with the fewest (a `memberOf` on that zone),
//! then stop one in the zone with the most (decision D16 chooses it there), with AWS's events.
//! The zones are those of the ACTIVE instances that satisfy the service's `memberOf`
//! constraints. Rebalancing starts before it stops, so it needs `maximumPercent` room for one
//! more task; without it the service reports the deployment-configuration stall.

use super::daemon::{ineligibility, is_external_service};
use super::events;
use super::model::AzRebalancing;
use super::request;
use super::scale_in;
use super::scheduler::Scheduler;
use super::steps::{PlaceReason, StopReason, StopWhy};
use crate::query::instance_views;
use std::collections::BTreeSet;

/// Rebalances service `index` when decision D17 applies.
pub fn reconcile(scheduler: &mut Scheduler<'_>, index: usize) {
    // A Fargate service stays balanced by itself: its placements and stops both follow the
    // zone counts (decision D19).
    if scheduler
        .scenario
        .services
        .get(index)
        .is_some_and(super::fargate::is_fargate)
    {
        return;
    }
    if !applies(scheduler, index) || scheduler.failed_recently(index, "rebalance") {
        return;
    }
    let mut announced = false;
    let bound = scheduler
        .scenario
        .services
        .get(index)
        .map_or(0, |s| s.desired_count as usize);
    for _ in 0..=bound {
        let census = scheduler.census(index);
        let Some(service) = scheduler.service_copy(index) else {
            return;
        };
        if !census.is_steady(&service) {
            return;
        }
        let counts = zone_counts(scheduler, index);
        let (Some(fewest), Some(most)) = (min_zone(&counts), max_zone(&counts)) else {
            return;
        };
        if most.1 - fewest.1 <= 1 {
            if announced {
                scheduler.event(index, events::az_balanced(&service, &counts));
            }
            return;
        }
        if !announced {
            scheduler.event(index, events::not_az_balanced(&service, &counts));
            announced = true;
        }
        if census.running.len() as u64 + 1 > service.max_running() {
            scheduler.event(index, events::deployment_stalled(&service));
            return;
        }
        let placed = scheduler.place(index, 1, PlaceReason::Rebalance, Some(&fewest.0));
        if placed.tasks.is_empty() {
            return;
        }
        stop_in_zone(scheduler, index, &most, &fewest);
    }
}

/// Whether the service is one AZ rebalancing applies to.
fn applies(scheduler: &Scheduler<'_>, index: usize) -> bool {
    let Some(service) = scheduler.scenario.services.get(index) else {
        return false;
    };
    let enabled = service.availability_zone_rebalancing == AzRebalancing::Enabled;
    enabled && request::chain(service).is_ok_and(|(chain, _)| request::starts_with_zone_spread(&chain))
}

/// The service's running tasks per zone it can run in, by zone name.
fn zone_counts(scheduler: &mut Scheduler<'_>, index: usize) -> Vec<(String, usize)> {
    let constraints = scheduler.member_of(index);
    let external = is_external_service(scheduler, index);
    // The zones in a set type the module has, then counted in a `Vec` in their order.
    let mut zones: BTreeSet<String> = BTreeSet::new();
    if constraints.is_empty() {
        for zone in scheduler.open_zones(external) {
            zones.insert(zone.clone());
        }
    } else {
        for view in instance_views(scheduler.scenario) {
            let zone = view.instance.availability_zone();
            if let (Some(zone), None) = (zone, ineligibility(&view, &constraints, external)) {
                if !zones.contains(zone) {
                    zones.insert(zone.to_string());
                }
            }
        }
    }
    let mut counts: Vec<(String, usize)> = zones.into_iter().map(|zone| (zone, 0)).collect();
    // Counted by zone number, then added up by name.
    let mut by_number: Vec<usize> = Vec::new();
    for task in scheduler.census(index).running {
        if let Some(zone) = scheduler.zone_of_task(task) {
            if by_number.len() <= zone {
                by_number.resize(zone + 1, 0);
            }
            if let Some(count) = by_number.get_mut(zone) {
                *count += 1;
            }
        }
    }
    for (zone, tasks) in by_number.into_iter().enumerate() {
        let count = scheduler
            .zone_name(zone)
            .and_then(|name| counts.iter_mut().find(|(zone, _)| zone == name));
        if let Some((_, count)) = count {
            *count += tasks;
        }
    }
    counts
}

/// The Availability Zone of the instance task `task` runs on.
fn task_zone<'a>(scheduler: &'a Scheduler<'_>, task: usize) -> Option<&'a str> {
    scheduler.zone_name(scheduler.zone_of_task(task)?)
}

/// The first zone with the fewest tasks.
fn min_zone(counts: &[(String, usize)]) -> Option<(String, usize)> {
    counts.iter().min_by_key(|(_, n)| *n).cloned()
}

/// The first zone with the most tasks.
fn max_zone(counts: &[(String, usize)]) -> Option<(String, usize)> {
    counts.iter().rev().max_by_key(|(_, n)| *n).cloned()
}

/// Stops one task in the zone with the most, chosen there by decision D16.
fn stop_in_zone(scheduler: &mut Scheduler<'_>, index: usize, most: &(String, usize), fewest: &(String, usize)) {
    let candidates: Vec<usize> = scheduler
        .census(index)
        .running
        .into_iter()
        .filter(|&t| task_zone(scheduler, t) == Some(most.0.as_str()))
        .collect();
    let at = events::tick(scheduler.scenario);
    let mut rng = scale_in::rng(scheduler.scenario);
    let Some(service) = scheduler.scenario.services.get(index) else {
        return;
    };
    let Some((task, choice)) = scale_in::choose(scheduler.scenario, service, &candidates, &mut rng) else {
        return;
    };
    let why = StopWhy::Rebalance {
        zone: most.0.clone(),
        zone_tasks: most.1,
        fewest_zone: fewest.0.clone(),
        fewest_tasks: fewest.1,
        choice,
    };
    let stopped: Vec<_> = scheduler.stop_one(index, task, why).into_iter().collect();
    scheduler.record_stop(index, StopReason::Rebalance, at, stopped, Some(&most.0));
}
