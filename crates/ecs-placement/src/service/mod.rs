//! The service scheduler (spec §6, decisions D12, D16, D17): services that keep a desired number
//! of tasks running (REPLICA) or one task per instance (DAEMON), placed through the same funnel
//! as RunTask (`engine::place`), replaced when their instance drains, scaled in by decision D16,
//! rebalanced across Availability Zones by decision D17, with AWS-worded events on the
//! scenario's simulated clock.
//!
//! [`reconcile`] settles a scenario: it runs the scheduler until every service's desired state
//! holds or nothing more can be done, and returns its steps. The `aws ecs` commands run it after
//! every command that can change what services need, and [`crate::edit::apply`] after every
//! cluster edit; a caller that changes a scenario in another way calls it itself.

mod daemon;
pub mod events;
mod fargate;
pub mod model;
mod rebalance;
mod render;
mod replica;
mod request;
mod scale_in;
mod scheduler;
pub mod steps;

pub use model::{
    AzRebalancing, CircuitBreaker, DeploymentConfiguration, FargateService, LaunchType, SchedulingStrategy, Service,
    ServiceEvent, ServiceStatus,
};
pub use render::why as why_in_words;
pub(crate) use request::{chain as chain_of, definition as definition_of};
pub use request::{default_chain, starts_with_zone_spread};
pub use scheduler::STOP_CODE;
pub use steps::{
    DaemonCause, EventStep, FargateAction, FargateStep, FargateStopped, NoteStep, PlaceReason, PlacementStep,
    ScaleInChoice, ScaleInStep, SchedulerStep, StopReason, StopStep, StopWhy, StoppedTask,
};

use crate::engine::Explain;
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use rustc_hash::FxHashMap as HashMap;

/// Which of the scheduler's placements to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReconcileOptions {
    /// `All` explains every placement step (unless `step` names one); `Task(n)` explains task
    /// `n` (0-based) of the placement step `step`.
    pub explain: Explain,
    /// The index (in the returned steps) of the one placement step to explain.
    pub step: Option<usize>,
}

/// Runs the scheduler until the scenario is settled; returns what it did, in order. A scenario
/// without services is left unchanged (and its clock is not started).
pub fn reconcile(scenario: &mut Scenario, options: ReconcileOptions) -> Vec<SchedulerStep> {
    if scenario.services.is_empty() {
        return Vec::new();
    }
    let mut scheduler = scheduler::Scheduler::new(scenario, options.explain, options.step);
    scheduler.settle();
    scheduler.steps
}

/// Checks everything a placement of the service's tasks needs (its task definition,
/// constraints, strategies, network configuration and reservation) as RunTask would, by
/// building the request the scheduler gives the funnel; `warnings` gets the constraints' and
/// strategies' warnings.
pub(crate) fn check_placement(scenario: &Scenario, service: &Service, warnings: &mut Vec<String>) -> Result<()> {
    request::build(scenario, service, 0, Explain::Off, None, warnings).map(drop)
}

/// The index of the service a reference (name or ARN) names: the ACTIVE or DRAINING one, else
/// the most recent INACTIVE one.
pub fn find(scenario: &Scenario, reference: &str) -> Option<usize> {
    let matches = |s: &Service| s.service_name == reference || s.service_arn == reference;
    let services = &scenario.services;
    services
        .iter()
        .position(|s| matches(s) && s.status != ServiceStatus::Inactive)
        .or_else(|| services.iter().rposition(matches))
}

/// Checks a service name: 1-255 letters, digits, underscores and hyphens.
pub fn check_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.chars().count() <= model::MAX_NAME
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        return Ok(());
    }
    Err(Error::invalid_parameter(format!(
        "Invalid service name `{name}`: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."
    ))
    .at_path("serviceName"))
}

/// Checks the scenario's services and fills in what can be derived (ARNs, deployment IDs).
pub(crate) fn normalize_services(scenario: &mut Scenario) -> Result<()> {
    let seed = scenario.seed.unwrap_or(0);
    let cluster = scenario.cluster.clone();
    let mut live: HashMap<String, usize> = HashMap::default();
    for (index, service) in scenario.services.iter_mut().enumerate() {
        let at = |e: Error, field: &str| Error::invalid_input(e.message).at_path(format!("services[{index}]{field}"));
        check_name(&service.service_name).map_err(|e| at(e, ".serviceName"))?;
        if service.service_arn.is_empty() {
            service.service_arn = cluster.resource_arn("service", &service.service_name);
        }
        if service.deployment_id.is_empty() {
            service.deployment_id = events::deployment_id(seed, &service.service_arn, service.created_at);
        }
        if service.status == ServiceStatus::Inactive {
            continue;
        }
        if let Some(first) = live.insert(service.service_name.clone(), index) {
            let message = format!(
                "duplicate service `{}` (also services[{first}]); only one ACTIVE or DRAINING service may have a name",
                service.service_name
            );
            return Err(at(Error::invalid_input(message), ".serviceName"));
        }
    }
    Ok(())
}
