//! Import of `aws ecs describe-services` output: each service's desired count, scheduling
//! strategy, launch type, task definition, constraints, strategies, deployment configuration,
//! AZ rebalancing, network configuration, deployment ID and (unless dropped) events. The tasks
//! of group `service:NAME` (from `describe-tasks`) are that service's tasks. The scenario's
//! clock starts at the latest instant the output mentions.

use super::{parse_document, prefix_path};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::service::model::MAX_EVENTS;
use crate::service::{
    AzRebalancing, CircuitBreaker, DeploymentConfiguration, LaunchType, SchedulingStrategy, Service, ServiceEvent,
    ServiceStatus,
};
use crate::taskdef::{NetworkConfiguration, PlacementConstraint, PlacementStrategy};
use crate::time::Timestamp;
use serde::Deserialize;
use serde_json::Value;

/// Whether imported services keep their events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServiceEvents {
    /// Keep them (at most 100, newest first), so the timeline continues them.
    #[default]
    Keep,
    /// Drop them: the services start with no events.
    Drop,
}

#[derive(Deserialize)]
struct DescribedServices {
    services: Vec<AwsService>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AwsService {
    service_name: String,
    #[serde(default)]
    service_arn: Option<String>,
    #[serde(default)]
    cluster_arn: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    task_definition: Option<String>,
    #[serde(default)]
    desired_count: Option<u32>,
    #[serde(default)]
    running_count: Option<u32>,
    #[serde(default)]
    launch_type: Option<String>,
    #[serde(default)]
    capacity_provider_strategy: Option<Value>,
    #[serde(default)]
    scheduling_strategy: Option<String>,
    #[serde(default)]
    placement_constraints: Vec<PlacementConstraint>,
    #[serde(default)]
    placement_strategy: Vec<PlacementStrategy>,
    #[serde(default)]
    deployment_configuration: Option<AwsDeploymentConfiguration>,
    #[serde(default)]
    availability_zone_rebalancing: Option<String>,
    #[serde(default)]
    network_configuration: Option<NetworkConfiguration>,
    #[serde(default)]
    load_balancers: Vec<Value>,
    #[serde(default)]
    health_check_grace_period_seconds: Option<i64>,
    #[serde(default)]
    created_at: Option<Timestamp>,
    #[serde(default)]
    deployments: Vec<AwsDeployment>,
    #[serde(default)]
    events: Vec<ServiceEvent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AwsDeploymentConfiguration {
    #[serde(default)]
    maximum_percent: Option<u32>,
    #[serde(default)]
    minimum_healthy_percent: Option<u32>,
    #[serde(default)]
    deployment_circuit_breaker: Option<CircuitBreaker>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AwsDeployment {
    id: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    updated_at: Option<Timestamp>,
}

/// Adds the services of `describe-services` output to the scenario; `with_tasks` says whether
/// `describe-tasks` output was imported (without it the services' running tasks are unknown).
pub(super) fn import_services(
    scenario: &mut Scenario,
    text: &str,
    events: ServiceEvents,
    with_tasks: bool,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let described: DescribedServices = parse_document(text, "describe-services")?;
    let cluster_arn = scenario.cluster.arn();
    for (index, aws) in described.services.into_iter().enumerate() {
        let at = |e: Error| prefix_path(e, &format!("services[{index}]"));
        if aws.cluster_arn.as_deref().is_some_and(|c| c != cluster_arn) {
            return Err(at(Error::invalid_input(format!(
                "service `{}` belongs to another cluster than the instances ({cluster_arn})",
                aws.service_name
            ))
            .at_path("clusterArn")));
        }
        let Some(launch_type) = launch_type(&aws, warnings) else {
            continue;
        };
        note_tasks(scenario, &aws, with_tasks, warnings);
        let service = convert(aws, launch_type, events).map_err(at)?;
        note_definition(scenario, &service, warnings);
        scenario.services.push(service);
    }
    scenario.clock = latest(scenario);
    scenario.upgrade_version();
    Ok(())
}

/// Warns when the scenario will not know all of a service's running tasks.
fn note_tasks(scenario: &Scenario, aws: &AwsService, with_tasks: bool, warnings: &mut Vec<String>) {
    let running = aws.running_count.unwrap_or(0);
    let group = format!("service:{}", aws.service_name);
    let known = scenario
        .tasks
        .iter()
        .filter(|t| t.group == group && t.is_desired_running())
        .count();
    if (known as u64) < u64::from(running) {
        let source = if with_tasks {
            format!("the describe-tasks output has {known} of them")
        } else {
            "no describe-tasks output was given".to_string()
        };
        warnings.push(format!(
            "service {} reports {running} running tasks but {source}: the scheduler will start the missing ones at the next command that reconciles services",
            aws.service_name
        ));
    }
}

/// Warns when the scenario lacks the service's task definition (imports bring none): when the
/// scheduler's own lookup does not find it.
fn note_definition(scenario: &Scenario, service: &Service, warnings: &mut Vec<String>) {
    let known = crate::service::definition_of(scenario, service).is_ok();
    if !known && service.status == ServiceStatus::Active {
        warnings.push(format!(
            "service {} runs {}, which the scenario does not have: the scheduler can stop its tasks but starts new ones only once that revision is added to the scenario's taskDefinitions (describe-task-definition output)",
            service.service_name, service.task_definition
        ));
    }
}

fn convert(aws: AwsService, launch_type: LaunchType, events: ServiceEvents) -> Result<Service> {
    let status = match aws.status.as_deref() {
        None | Some("ACTIVE") => ServiceStatus::Active,
        Some("DRAINING") => ServiceStatus::Draining,
        Some("INACTIVE") => ServiceStatus::Inactive,
        Some(other) => return Err(Error::invalid_input(format!("unknown service status `{other}`")).at_path("status")),
    };
    let scheduling_strategy = match aws.scheduling_strategy.as_deref() {
        None | Some("REPLICA") => SchedulingStrategy::Replica,
        Some("DAEMON") => SchedulingStrategy::Daemon,
        Some(other) => {
            return Err(
                Error::invalid_input(format!("unknown scheduling strategy `{other}`")).at_path("schedulingStrategy")
            );
        }
    };
    let deployment = aws.deployments.iter().find(|d| d.status.as_deref() == Some("PRIMARY"));
    let created_at = aws.created_at.unwrap_or_default();
    let mut kept_events = match events {
        ServiceEvents::Keep => aws.events,
        ServiceEvents::Drop => Vec::new(),
    };
    crate::order::sort_stable_by_key(&mut kept_events, |e| std::cmp::Reverse(e.created_at));
    kept_events.truncate(MAX_EVENTS);
    let deployment_configuration = aws.deployment_configuration.map(|d| DeploymentConfiguration {
        maximum_percent: d.maximum_percent,
        minimum_healthy_percent: d.minimum_healthy_percent,
        deployment_circuit_breaker: d.deployment_circuit_breaker,
    });
    Ok(Service {
        fargate: None,
        service_arn: aws.service_arn.unwrap_or_default(),
        status,
        task_definition: aws.task_definition.unwrap_or_default(),
        desired_count: aws.desired_count.unwrap_or(0),
        scheduling_strategy,
        launch_type,
        placement_constraints: aws.placement_constraints,
        placement_strategy: aws.placement_strategy,
        deployment_configuration: deployment_configuration.unwrap_or_default(),
        availability_zone_rebalancing: match aws.availability_zone_rebalancing.as_deref() {
            Some("ENABLED") => AzRebalancing::Enabled,
            _ => AzRebalancing::Disabled,
        },
        network_configuration: aws.network_configuration,
        load_balancers: aws.load_balancers,
        health_check_grace_period_seconds: aws.health_check_grace_period_seconds,
        created_at,
        updated_at: deployment.and_then(|d| d.updated_at).unwrap_or(created_at),
        deployment_id: deployment.map(|d| d.id.clone()).unwrap_or_default(),
        events: kept_events,
        service_name: aws.service_name,
    })
}

/// EC2 or EXTERNAL. A service on Fargate (or Managed Instances) is skipped, with a warning: its
/// tasks run on capacity AWS manages, not on the imported instances. A capacity provider
/// strategy of Fargate providers is skipped too; another one is read as EC2 (capacity providers
/// are not simulated), with a warning.
fn launch_type(aws: &AwsService, warnings: &mut Vec<String>) -> Option<LaunchType> {
    let name = &aws.service_name;
    let providers = aws
        .capacity_provider_strategy
        .as_ref()
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.get("capacityProvider").and_then(Value::as_str))
                .collect::<Vec<_>>()
        });
    match (aws.launch_type.as_deref(), providers) {
        (Some("EXTERNAL"), _) => Some(LaunchType::External),
        (Some("EC2"), _) => Some(LaunchType::Ec2),
        (Some(other), _) => {
            warnings.push(format!(
                "skipped service {name}: launch type {other} runs its tasks on capacity AWS manages, not on container instances"
            ));
            None
        }
        (None, Some(providers)) if providers.iter().all(|p| p.starts_with("FARGATE")) && !providers.is_empty() => {
            warnings.push(format!(
                "skipped service {name}: its capacity providers ({}) are Fargate",
                providers.join(", ")
            ));
            None
        }
        (None, _) => {
            warnings.push(format!(
                "service {name} uses a capacity provider strategy or no launch type; the playground simulates it with launch type EC2 on the imported instances"
            ));
            Some(LaunchType::Ec2)
        }
    }
}

/// The latest instant of the scenario: instance registrations, service creations and updates,
/// events.
fn latest(scenario: &Scenario) -> Option<Timestamp> {
    let registered = scenario.instances.iter().map(|i| i.registered_at);
    let services = scenario.services.iter().flat_map(|s| {
        [s.created_at, s.updated_at]
            .into_iter()
            .chain(s.events.iter().map(|e| e.created_at))
    });
    registered.chain(services).max()
}
