//! The scheduler's Fargate services (decision D19): their tasks start in the zone of the
//! service's subnets with the fewest of them (`crate::fargate::place`), scale-in stops a task in
//! a zone with the most, and deletion stops them all. Fargate capacity is not simulated, so a
//! placement never fails for lack of room; no container instance means nothing drains and no
//! AZ rebalancing is needed (placements and stops keep the zones within one task of each other).

use super::events;
use super::model::{LaunchType, Service};
use super::request;
use super::scale_in;
use super::scheduler::{Placed, Scheduler};
use super::steps::{FargateAction, FargateStep, FargateStopped, PlaceReason, SchedulerStep, StopReason};
use crate::TaskArn;
use crate::aws::ops::fargate as api;
use crate::error::Result;
use crate::fargate::{self as core, FargateRequest};
use crate::scenario::Scenario;

/// Whether the service runs on Fargate.
pub fn is_fargate(service: &Service) -> bool {
    service.launch_type == LaunchType::Fargate
}

/// Starts `count` tasks of Fargate service `index` and records the step and its events.
pub fn place(scheduler: &mut Scheduler<'_>, index: usize, count: usize, reason: PlaceReason) -> Placed {
    let Some(service) = scheduler.service_copy(index) else {
        return Placed::default();
    };
    let request = match build(scheduler.scenario, &service, count) {
        Ok(request) => request,
        Err(error) => return scheduler.cannot_place(index, &error.message, false),
    };
    let at = events::tick(scheduler.scenario);
    let first = scheduler.scenario.tasks.len();
    let placed = core::place(scheduler.scenario, &request);
    let new_tasks = first..scheduler.scenario.tasks.len();
    debug_assert!(
        placed.iter().copied().eq(new_tasks.clone()),
        "Fargate tasks are added at the end"
    );
    scheduler.date_new_tasks(new_tasks.clone(), at);
    let tasks = scheduler
        .scenario
        .tasks
        .get(new_tasks.clone())
        .unwrap_or_default()
        .iter()
        .filter_map(core::task_view)
        .collect();
    scheduler.steps.push(SchedulerStep::Fargate(FargateStep {
        service: service.service_name.clone(),
        at,
        action: FargateAction::Started { reason, tasks },
    }));
    scheduler.after_placement(index, new_tasks.clone(), false, &[], None);
    Placed {
        tasks: new_tasks,
        failed: false,
    }
}

/// The Fargate request of `count` tasks of the service (its subnets, task size, platform
/// version and capacity providers), checked as CreateService checked it.
fn build(scenario: &Scenario, service: &Service, count: usize) -> Result<FargateRequest> {
    let definition = request::definition(scenario, service)?;
    let settings = service.fargate.clone().unwrap_or_default();
    let placement = (
        service.placement_constraints.as_slice(),
        service.placement_strategy.as_slice(),
    );
    let (subnets, platform) = api::check(
        scenario,
        definition,
        placement,
        service.network_configuration.as_ref(),
        Some(settings.platform_version.as_str()),
    )?;
    let request = api::fargate_request(definition, service.group(), count, subnets, platform)?;
    Ok(FargateRequest {
        started_by: Some(service.deployment_id.clone()),
        providers: settings.capacity_provider_strategy,
        ..request
    })
}

/// Stops `count` tasks, each in a zone with the most of the service's tasks (a seeded draw
/// among them), each choice seeing the stops before it.
pub fn scale_in(scheduler: &mut Scheduler<'_>, index: usize, count: usize) {
    let at = events::tick(scheduler.scenario);
    let mut rng = scale_in::rng(scheduler.scenario);
    let mut stopped = Vec::new();
    for _ in 0..count {
        let candidates = scheduler.census(index).running;
        let Some((task, choice)) = core::choose_stop(scheduler.scenario, &candidates, &mut rng) else {
            break;
        };
        stopped.extend(stop_one(scheduler, index, task, Some(choice)));
    }
    record(scheduler, index, StopReason::ScaleIn, at, stopped);
}

/// Stops the given tasks (scenario indexes) for one reason, in one step.
pub fn stop_all(scheduler: &mut Scheduler<'_>, index: usize, reason: StopReason, tasks: Vec<usize>) {
    if tasks.is_empty() {
        return;
    }
    let at = events::tick(scheduler.scenario);
    let stopped = tasks
        .into_iter()
        .filter_map(|task| stop_one(scheduler, index, task, None))
        .collect();
    record(scheduler, index, reason, at, stopped);
}

fn stop_one(
    scheduler: &mut Scheduler<'_>,
    index: usize,
    task: usize,
    choice: Option<core::StopChoice>,
) -> Option<FargateStopped> {
    let (stopped, _) = scheduler.stop_task(index, task)?;
    Some(FargateStopped {
        availability_zone: stopped
            .fargate()
            .map(|f| f.availability_zone.clone())
            .unwrap_or_default(),
        task_arn: stopped.task_arn.to_string(),
        choice,
    })
}

/// The stop step and AWS's "has stopped" events.
fn record(
    scheduler: &mut Scheduler<'_>,
    index: usize,
    reason: StopReason,
    at: crate::time::Timestamp,
    tasks: Vec<FargateStopped>,
) {
    let Some(service) = scheduler.service_copy(index) else {
        return;
    };
    if tasks.is_empty() {
        return;
    }
    scheduler.changed(index);
    let arns: Vec<TaskArn> = tasks.iter().map(|t| TaskArn::from(t.task_arn.as_str())).collect();
    scheduler.steps.push(SchedulerStep::Fargate(FargateStep {
        service: service.service_name.clone(),
        at,
        action: FargateAction::Stopped { reason, tasks },
    }));
    for chunk in arns.chunks(events::TASKS_PER_EVENT) {
        scheduler.event(index, events::stopped(&service, chunk.iter()));
    }
}
