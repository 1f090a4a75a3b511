//! The placement request of a service's tasks: the same funnel as RunTask, with the service's
//! constraints (the task definition's first), its strategy chain or decision D12's default, the
//! group `service:NAME` and `startedBy` its deployment ID.

use super::model::{LaunchType, Service};
use crate::aws::ops::run_task;
use crate::engine::{Constraint, Explain, Origin, PlacementRequest, SpreadField, Strategy, StrategySource};
use crate::error::Result;
use crate::scenario::Scenario;
use crate::taskdef::{SizeOverrides, TaskDefinition};

/// The attribute AZ spread and AZ rebalancing use.
pub const ZONE_ATTRIBUTE: &str = "ecs.availability-zone";

/// Decision D12's chain for services: spread over zones, then over instances.
pub fn default_chain() -> Vec<Strategy> {
    vec![
        Strategy::Spread(SpreadField::Attribute(ZONE_ATTRIBUTE.into())),
        Strategy::Spread(SpreadField::Instance("instanceId".into())),
    ]
}

/// The service's chain and where it came from: its own strategies, decision D12's default, or
/// none for a daemon. Warnings (a `random` with a field) are dropped here: they were given when
/// the service was created or updated.
pub fn chain(service: &Service) -> Result<(Vec<Strategy>, StrategySource)> {
    strategies(service, &mut Vec::new())
}

/// [`chain`], giving the strategies' warnings to `warnings`.
fn strategies(service: &Service, warnings: &mut Vec<String>) -> Result<(Vec<Strategy>, StrategySource)> {
    if service.is_daemon() {
        return Ok((Vec::new(), StrategySource::Daemon));
    }
    let default = (default_chain(), StrategySource::ServiceDefault);
    run_task::strategy_chain(&service.placement_strategy, default, warnings)
}

/// Whether the chain starts with AZ spread (the services AZ rebalancing applies to, D17).
pub fn starts_with_zone_spread(chain: &[Strategy]) -> bool {
    matches!(chain.first(), Some(Strategy::Spread(SpreadField::Attribute(name))) if name == ZONE_ATTRIBUTE)
}

/// The service's task definition: the revision it names, even once deregistered (services keep
/// running INACTIVE revisions, as in AWS).
pub fn definition<'a>(scenario: &'a Scenario, service: &Service) -> Result<&'a TaskDefinition> {
    let reference = service.task_definition.as_str();
    match crate::aws::ops::task_shape::find_definition(scenario, reference) {
        Some(definition) => Ok(definition),
        None => run_task::resolve_definition(scenario, reference),
    }
}

/// The service's constraints, the task definition's first; `warnings` gets the expressions'
/// warnings (a glob-looking pattern, ...).
pub fn constraints(
    definition: &TaskDefinition,
    service: &Service,
    warnings: &mut Vec<String>,
) -> Result<Vec<Constraint>> {
    run_task::constraints(definition, &service.placement_constraints, warnings)
}

/// The request that places `count` tasks of the service; `extra` is a constraint the scheduler
/// adds (AZ rebalancing's zone; a daemon gets its one task per instance here). `warnings` gets
/// the constraints' and strategies' warnings (the scheduler drops them: they were given when
/// the service was created or updated).
pub fn build(
    scenario: &Scenario,
    service: &Service,
    count: usize,
    explain: Explain,
    extra: Option<Constraint>,
    warnings: &mut Vec<String>,
) -> Result<PlacementRequest> {
    let definition = definition(scenario, service)?;
    let network_mode = definition.network_mode()?;
    let mut constraints = constraints(definition, service, warnings)?;
    constraints.extend(extra);
    if service.is_daemon() {
        constraints.push(Constraint::DistinctInstance { origin: Origin::Daemon });
    }
    let (strategies, strategy_source) = strategies(service, warnings)?;
    let location = run_task::location(scenario, network_mode, service.network_configuration.as_ref())?;
    Ok(PlacementRequest {
        reservation: definition.reservation(&SizeOverrides::default())?,
        network_mode,
        required_attributes: definition.required_attribute_pairs(),
        constraints,
        strategies,
        strategy_source,
        group: service.group().into(),
        count,
        location,
        external: service.launch_type == LaunchType::External,
        task_definition_arn: definition.task_definition_arn.clone().unwrap_or_default().into(),
        started_by: Some(service.deployment_id.as_str().into()),
        explain,
    })
}

/// A `memberOf` on the zone AZ rebalancing places in.
pub fn zone_constraint(zone: &str) -> Result<Constraint> {
    let expression = format!("attribute:{ZONE_ATTRIBUTE} == '{}'", zone.replace('\'', ""));
    let (expr, _) = crate::query::parse_expression(&expression)?;
    Ok(Constraint::MemberOf {
        expression,
        expr: Box::new(expr),
        origin: Origin::Rebalance,
    })
}
