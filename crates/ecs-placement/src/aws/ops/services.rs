//! `CreateService`, `UpdateService` and `DeleteService`: validate the request as ECS does,
//! change the service, answer with the `Service` object as it is before the scheduler acts (the
//! scheduler then settles the cluster, see [`crate::aws::execute`]).

use super::fargate;
use super::run_task::{self, launch_type_is_external};
use super::service_shape::service_at;
use super::validation::{enum_error, enum_value};
use super::{Outcome, response};
use crate::error::{Error, ErrorKind, Result};
use crate::scenario::Scenario;
use crate::service::events;
use crate::service::{
    self, AzRebalancing, CircuitBreaker, DeploymentConfiguration, FargateService, LaunchType, SchedulingStrategy,
    Service, ServiceStatus,
};
use crate::taskdef::{NetworkConfiguration, PlacementConstraint, PlacementStrategy};
use serde::Deserialize;
use serde_json::{Value, json};

/// `deploymentConfiguration` as requests give it.
#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeploymentInput {
    #[serde(default)]
    maximum_percent: Option<i64>,
    #[serde(default)]
    minimum_healthy_percent: Option<i64>,
    #[serde(default)]
    deployment_circuit_breaker: Option<CircuitBreaker>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CreateRequest {
    service_name: String,
    #[serde(default)]
    task_definition: Option<String>,
    #[serde(default)]
    desired_count: Option<i64>,
    #[serde(default)]
    scheduling_strategy: Option<String>,
    #[serde(default)]
    launch_type: Option<String>,
    #[serde(default)]
    capacity_provider_strategy: Option<Value>,
    #[serde(default)]
    platform_version: Option<String>,
    #[serde(default)]
    placement_constraints: Vec<PlacementConstraint>,
    #[serde(default)]
    placement_strategy: Vec<PlacementStrategy>,
    #[serde(default)]
    deployment_configuration: Option<DeploymentInput>,
    #[serde(default)]
    availability_zone_rebalancing: Option<String>,
    #[serde(default)]
    network_configuration: Option<NetworkConfiguration>,
    #[serde(default)]
    load_balancers: Vec<Value>,
    #[serde(default)]
    health_check_grace_period_seconds: Option<i64>,
    #[serde(default)]
    deployment_controller: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UpdateRequest {
    service: String,
    #[serde(default)]
    task_definition: Option<String>,
    #[serde(default)]
    desired_count: Option<i64>,
    #[serde(default)]
    capacity_provider_strategy: Option<Value>,
    #[serde(default)]
    placement_constraints: Option<Vec<PlacementConstraint>>,
    #[serde(default)]
    placement_strategy: Option<Vec<PlacementStrategy>>,
    #[serde(default)]
    deployment_configuration: Option<DeploymentInput>,
    #[serde(default)]
    availability_zone_rebalancing: Option<String>,
    #[serde(default)]
    network_configuration: Option<NetworkConfiguration>,
    #[serde(default)]
    load_balancers: Option<Vec<Value>>,
    #[serde(default)]
    health_check_grace_period_seconds: Option<i64>,
    #[serde(default)]
    force_new_deployment: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeleteRequest {
    service: String,
    #[serde(default)]
    force: Option<bool>,
}

/// The `AvailabilityZoneRebalancing` enum.
const REBALANCING: [&str; 2] = ["ENABLED", "DISABLED"];
/// The `SchedulingStrategy` enum.
const SCHEDULING: [&str; 2] = ["REPLICA", "DAEMON"];
/// AWS's message for a desired count on a daemon.
const DAEMON_COUNT: &str = "The daemon scheduling strategy does not support a desired count for services.";
/// AWS's message for strategies on a daemon.
const DAEMON_STRATEGY: &str = "The daemon scheduling strategy does not support placement strategies.";

/// `CreateService`.
pub(super) fn create(scenario: &mut Scenario, request: CreateRequest) -> Result<Outcome> {
    service::check_name(&request.service_name)?;
    if service::find(scenario, &request.service_name)
        .and_then(|i| scenario.services.get(i))
        .is_some_and(|s| s.status != ServiceStatus::Inactive)
    {
        return Err(Error::invalid_parameter("Creation of service was not idempotent."));
    }
    let mut warnings = Vec::new();
    let created = new_service(scenario, &request, &mut warnings)?;
    let index = add(scenario, created);
    let mut outcome = Outcome::response(response(&json!({"service": service_at(scenario, index)}))?);
    outcome.warnings = warnings;
    Ok(outcome)
}

/// Builds and validates the service a CreateService request describes, stamped with the clock's
/// next second.
fn new_service(scenario: &mut Scenario, request: &CreateRequest, warnings: &mut Vec<String>) -> Result<Service> {
    let scheduling = scheduling_strategy(request.scheduling_strategy.as_deref())?;
    let daemon = scheduling == SchedulingStrategy::Daemon;
    let desired = match (daemon, request.desired_count) {
        (true, Some(_)) => return Err(Error::invalid_parameter(DAEMON_COUNT).at_path("desiredCount")),
        (true, None) => 0,
        (false, None) => {
            return Err(Error::invalid_parameter(
                "desiredCount is required for services with the REPLICA scheduling strategy.",
            )
            .at_path("desiredCount"));
        }
        (false, Some(count)) => desired_count(count)?,
    };
    if daemon && !request.placement_strategy.is_empty() {
        return Err(Error::invalid_parameter(DAEMON_STRATEGY).at_path("placementStrategy"));
    }
    check_controller(request.deployment_controller.as_ref())?;
    let reference = request.task_definition.as_deref().ok_or_else(|| {
        Error::invalid_parameter("taskDefinition is required (the ECS deployment controller runs a task definition).")
            .at_path("taskDefinition")
    })?;
    let definition = run_task::resolve_definition(scenario, reference)?.clone();
    let on_fargate = fargate::launch(
        request.launch_type.as_deref(),
        request.capacity_provider_strategy.as_ref(),
    )?;
    let external = match &on_fargate {
        Some(_) => false,
        None => launch_type_is_external(
            request.launch_type.as_deref(),
            request.capacity_provider_strategy.is_some(),
            &definition,
        )?,
    };
    if on_fargate.is_none() {
        run_task::check_public_ip_for_launch_type(
            request.launch_type.as_deref(),
            request.network_configuration.as_ref(),
        )?;
    }
    let deployment = deployment(
        &DeploymentConfiguration::default(),
        request.deployment_configuration.as_ref(),
        daemon,
    )?;
    let arn = scenario.cluster.resource_arn("service", &request.service_name);
    let mut created = Service {
        service_name: request.service_name.clone(),
        service_arn: arn,
        status: ServiceStatus::Active,
        task_definition: definition.task_definition_arn.clone().unwrap_or_default(),
        desired_count: desired,
        scheduling_strategy: scheduling,
        launch_type: match (&on_fargate, external) {
            (Some(_), _) => LaunchType::Fargate,
            (None, true) => LaunchType::External,
            (None, false) => LaunchType::Ec2,
        },
        fargate: on_fargate.map(|launch| FargateService {
            platform_version: request.platform_version.clone().unwrap_or_else(|| "LATEST".into()),
            capacity_provider_strategy: launch.providers,
        }),
        placement_constraints: request.placement_constraints.clone(),
        placement_strategy: request.placement_strategy.clone(),
        deployment_configuration: deployment,
        availability_zone_rebalancing: AzRebalancing::Disabled,
        network_configuration: request.network_configuration.clone(),
        load_balancers: request.load_balancers.clone(),
        health_check_grace_period_seconds: request.health_check_grace_period_seconds,
        created_at: Default::default(),
        updated_at: Default::default(),
        deployment_id: String::new(),
        events: Vec::new(),
    };
    check_launch(scenario, &created, &definition, warnings)?;
    created.availability_zone_rebalancing =
        rebalancing_default(&created, request.availability_zone_rebalancing.as_deref())?;
    let at = events::tick(scenario);
    created.created_at = at;
    created.updated_at = at;
    created.deployment_id = events::deployment_id(scenario.seed.unwrap_or(0), &created.service_arn, at);
    Ok(created)
}

/// What CreateService checks of where the service's tasks go: Fargate's rules for a Fargate
/// service (no daemon, no placement constraints or strategies, subnets), else the funnel's.
fn check_launch(
    scenario: &Scenario,
    created: &Service,
    definition: &crate::taskdef::TaskDefinition,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let Some(settings) = &created.fargate else {
        return service::check_placement(scenario, created, warnings);
    };
    if created.is_daemon() && !settings.capacity_provider_strategy.is_empty() {
        return Err(Error::invalid_parameter(
            "Specifying a capacity provider strategy is not supported when you create a service using the DAEMON scheduling strategy.",
        ));
    }
    if created.is_daemon() {
        // AWS documents that Fargate does not support DAEMON; the words are the playground's.
        return Err(Error::invalid_parameter(
            "The daemon scheduling strategy is not supported with the FARGATE launch type.",
        ));
    }
    let placement = (
        created.placement_constraints.as_slice(),
        created.placement_strategy.as_slice(),
    );
    fargate::check(
        scenario,
        definition,
        placement,
        created.network_configuration.as_ref(),
        Some(settings.platform_version.as_str()),
    )
    .map(drop)
}

/// Adds a service, in place of an INACTIVE one of the same name; returns its index.
fn add(scenario: &mut Scenario, created: Service) -> usize {
    let same = |s: &Service| s.service_name == created.service_name;
    let index = match scenario.services.iter().position(same) {
        Some(index) => {
            if let Some(slot) = scenario.services.get_mut(index) {
                *slot = created;
            }
            index
        }
        None => {
            scenario.services.push(created);
            scenario.services.len() - 1
        }
    };
    scenario.upgrade_version();
    index
}

/// A `schedulingStrategy` member: REPLICA when absent.
pub(super) fn scheduling_strategy(value: Option<&str>) -> Result<SchedulingStrategy> {
    match enum_value(value, "REPLICA", "schedulingStrategy", &SCHEDULING)? {
        "DAEMON" => Ok(SchedulingStrategy::Daemon),
        _ => Ok(SchedulingStrategy::Replica),
    }
}

/// A desired count: 0 to 2147483647 (the API's Integer).
fn desired_count(count: i64) -> Result<u32> {
    if count < 0 {
        return Err(Error::invalid_parameter(format!(
            "1 validation error detected: Value '{count}' at 'desiredCount' failed to satisfy constraint: Member must have value greater than or equal to 0"
        ))
        .at_path("desiredCount"));
    }
    u32::try_from(count)
        .ok()
        .filter(|c| i32::try_from(*c).is_ok())
        .ok_or_else(|| {
            Error::invalid_parameter(format!("desiredCount {count} is beyond the API's integer range"))
                .at_path("desiredCount")
        })
}

/// Only the ECS deployment controller (rolling updates) is simulated.
fn check_controller(controller: Option<&Value>) -> Result<()> {
    let kind = controller.and_then(|c| c.get("type")).and_then(Value::as_str);
    match kind {
        None | Some("ECS") => Ok(()),
        Some(other) => Err(Error::invalid_parameter(format!(
            "the playground simulates the ECS deployment controller only, not {other}"
        ))
        .at_path("deploymentController.type")),
    }
}

/// The deployment configuration after a request: given members replace the current ones.
/// `minimumHealthyPercent` is 0-100 and `maximumPercent` at least 100 (for a daemon exactly
/// 100); the circuit breaker is kept as given.
fn deployment(
    current: &DeploymentConfiguration,
    input: Option<&DeploymentInput>,
    daemon: bool,
) -> Result<DeploymentConfiguration> {
    let Some(input) = input else {
        return Ok(current.clone());
    };
    let percent = |value: Option<i64>, field: &str, valid: &dyn Fn(i64) -> bool, rule: &str| -> Result<Option<u32>> {
        match value {
            Some(v) if !valid(v) => Err(Error::invalid_parameter(format!(
                "deploymentConfiguration.{field} {v} is not valid: {rule}"
            ))
            .at_path(format!("deploymentConfiguration.{field}"))),
            Some(v) => Ok(u32::try_from(v).ok()),
            None => Ok(None),
        }
    };
    let max_rule = if daemon {
        "the daemon scheduling strategy requires 100"
    } else {
        "it must be at least 100"
    };
    let max_valid = move |v: i64| if daemon { v == 100 } else { v >= 100 };
    let maximum = percent(input.maximum_percent, "maximumPercent", &max_valid, max_rule)?;
    let minimum = percent(
        input.minimum_healthy_percent,
        "minimumHealthyPercent",
        &|v| (0..=100).contains(&v),
        "it must be between 0 and 100",
    )?;
    Ok(DeploymentConfiguration {
        maximum_percent: maximum.or(current.maximum_percent),
        minimum_healthy_percent: minimum.or(current.minimum_healthy_percent),
        deployment_circuit_breaker: input.deployment_circuit_breaker.or(current.deployment_circuit_breaker),
    })
}

/// CreateService's default: ENABLED when the chain starts with AZ spread (the default chain
/// does), DISABLED otherwise (binpack services are "not compatible") and for daemons.
fn rebalancing_default(service: &Service, given: Option<&str>) -> Result<AzRebalancing> {
    if let Some(value) = given {
        return rebalancing(value);
    }
    let (chain, _) = service::chain_of(service)?;
    let compatible = !service.is_daemon() && service::starts_with_zone_spread(&chain);
    Ok(if compatible {
        AzRebalancing::Enabled
    } else {
        AzRebalancing::Disabled
    })
}

fn rebalancing(value: &str) -> Result<AzRebalancing> {
    match value {
        "ENABLED" => Ok(AzRebalancing::Enabled),
        "DISABLED" => Ok(AzRebalancing::Disabled),
        other => Err(enum_error(other, "availabilityZoneRebalancing", &REBALANCING)),
    }
}

/// The service a request names; `ServiceNotFoundException` when none, and
/// `ServiceNotActiveException` when it is DRAINING or INACTIVE.
fn active_service(scenario: &Scenario, reference: &str) -> Result<usize> {
    let index = service::find(scenario, reference)
        .ok_or_else(|| Error::new(ErrorKind::ServiceNotFound, "Service not found."))?;
    match scenario.services.get(index) {
        Some(found) if found.is_active() => Ok(index),
        _ => Err(Error::new(ErrorKind::ServiceNotActive, "Service was not ACTIVE.")),
    }
}

/// `UpdateService`: the desired count, constraints and strategies (a given list replaces the
/// current one, an empty one clears it), the deployment configuration (given members replace)
/// and AZ rebalancing. None of these starts a new deployment; what would (another task
/// definition, `--force-new-deployment`, another network configuration) is refused.
pub(super) fn update(scenario: &mut Scenario, request: UpdateRequest) -> Result<Outcome> {
    let index = active_service(scenario, &request.service)?;
    let current = scenario
        .services
        .get(index)
        .cloned()
        .ok_or_else(|| Error::new(ErrorKind::ServiceNotFound, "Service not found."))?;
    check_no_deployment(scenario, &current, &request)?;
    let mut warnings = Vec::new();
    let updated = updated_service(&current, &request)?;
    match service::definition_of(scenario, &updated) {
        Ok(definition) if updated.fargate.is_some() => {
            check_launch(scenario, &updated, &definition.clone(), &mut warnings)?;
        }
        _ => service::check_placement(scenario, &updated, &mut warnings)?,
    }
    let at = events::tick(scenario);
    if let Some(slot) = scenario.services.get_mut(index) {
        *slot = Service {
            updated_at: at,
            ..updated
        };
    }
    let mut outcome = Outcome::response(response(&json!({"service": service_at(scenario, index)}))?);
    outcome.warnings = warnings;
    Ok(outcome)
}

/// The service with the request's changes.
fn updated_service(current: &Service, request: &UpdateRequest) -> Result<Service> {
    let daemon = current.is_daemon();
    let mut updated = current.clone();
    if let Some(count) = request.desired_count {
        if daemon {
            return Err(Error::invalid_parameter(DAEMON_COUNT).at_path("desiredCount"));
        }
        updated.desired_count = desired_count(count)?;
    }
    if let Some(constraints) = &request.placement_constraints {
        updated.placement_constraints = constraints.clone();
    }
    if let Some(strategies) = &request.placement_strategy {
        if daemon && !strategies.is_empty() {
            return Err(Error::invalid_parameter(DAEMON_STRATEGY).at_path("placementStrategy"));
        }
        updated.placement_strategy = strategies.clone();
    }
    updated.deployment_configuration = deployment(
        &current.deployment_configuration,
        request.deployment_configuration.as_ref(),
        daemon,
    )?;
    if let Some(value) = &request.availability_zone_rebalancing {
        updated.availability_zone_rebalancing = rebalancing(value)?;
    }
    if let Some(balancers) = &request.load_balancers {
        updated.load_balancers = balancers.clone();
    }
    if let Some(grace) = request.health_check_grace_period_seconds {
        updated.health_check_grace_period_seconds = Some(grace);
    }
    Ok(updated)
}

/// Refuses what would start a new deployment, which the playground does not simulate.
fn check_no_deployment(scenario: &Scenario, current: &Service, request: &UpdateRequest) -> Result<()> {
    let refuse = |what: &str, path: &str| {
        Err(Error::invalid_parameter(format!(
            "{what} starts a new deployment, which the playground does not simulate yet; update the desired count, placement, deployment configuration or AZ rebalancing instead"
        ))
        .at_path(path))
    };
    if let Some(reference) = &request.task_definition {
        let definition = run_task::resolve_definition(scenario, reference)?;
        if definition.task_definition_arn.as_deref() != Some(current.task_definition.as_str()) {
            return refuse("another task definition", "taskDefinition");
        }
    }
    if request.force_new_deployment == Some(true) {
        return refuse("--force-new-deployment", "forceNewDeployment");
    }
    if request.capacity_provider_strategy.is_some() {
        return refuse("a capacity provider strategy", "capacityProviderStrategy");
    }
    match &request.network_configuration {
        Some(network) if Some(network) != current.network_configuration.as_ref() => {
            refuse("another network configuration", "networkConfiguration")
        }
        _ => Ok(()),
    }
}

/// `DeleteService`: refused while a REPLICA service is scaled above 0 unless `--force` (which
/// scales it to 0); the service becomes DRAINING, and INACTIVE once the scheduler has stopped
/// its tasks. The response shows it DRAINING.
pub(super) fn delete(scenario: &mut Scenario, request: DeleteRequest) -> Result<Outcome> {
    let index = active_service(scenario, &request.service)?;
    let force = request.force == Some(true);
    let scaled = scenario
        .services
        .get(index)
        .is_some_and(|s| !s.is_daemon() && s.desired_count > 0);
    if scaled && !force {
        return Err(Error::invalid_parameter(
            "The service cannot be stopped while it is scaled above 0.",
        ));
    }
    let at = events::tick(scenario);
    if let Some(found) = scenario.services.get_mut(index) {
        found.status = ServiceStatus::Draining;
        found.desired_count = 0;
        found.updated_at = at;
    }
    Ok(Outcome::response(response(
        &json!({"service": service_at(scenario, index)}),
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_bounds() {
        let input = |max, min| DeploymentInput {
            maximum_percent: max,
            minimum_healthy_percent: min,
            deployment_circuit_breaker: None,
        };
        let current = DeploymentConfiguration::default();
        let ok = deployment(&current, Some(&input(Some(100), Some(0))), false).unwrap();
        assert_eq!((ok.maximum_percent, ok.minimum_healthy_percent), (Some(100), Some(0)));
        assert!(deployment(&current, Some(&input(Some(99), None)), false).is_err());
        assert!(deployment(&current, Some(&input(None, Some(101))), false).is_err());
        assert!(deployment(&current, Some(&input(Some(200), None)), true).is_err());
        let kept = deployment(&ok, Some(&input(None, Some(50))), false).unwrap();
        assert_eq!(
            (kept.maximum_percent, kept.minimum_healthy_percent),
            (Some(100), Some(50))
        );
    }

    #[test]
    fn desired_counts_are_api_integers() {
        assert_eq!(desired_count(0).unwrap(), 0);
        assert!(
            desired_count(-1)
                .unwrap_err()
                .message
                .contains("greater than or equal to 0")
        );
        assert!(desired_count(i64::from(i32::MAX) + 1).is_err());
    }
}
