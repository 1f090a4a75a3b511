//! The AWS `Service` object (CreateService, UpdateService, DeleteService and DescribeServices
//! responses), keys in the order of the API model, and `DescribeServices` / `ListServices`.
// What only the operations of the `all-operations` feature use is unused without it.
#![cfg_attr(not(feature = "all-operations"), allow(dead_code))]

use super::services::scheduling_strategy;
use super::validation::{Failure, check_batch, enum_value};
use super::{Outcome, response};
use crate::error::Result;
use crate::model::InstanceStatus;
use crate::scenario::Scenario;
use crate::service::model::MAX_DESCRIBE;
use crate::service::{self, Service, ServiceStatus};
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The `LaunchType` enum.
const LAUNCH_TYPES: [&str; 4] = ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DescribeRequest {
    pub(crate) services: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListRequest {
    #[serde(default)]
    launch_type: Option<String>,
    #[serde(default)]
    scheduling_strategy: Option<String>,
}

/// A service's running and draining task counts.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counts {
    /// Tasks with desired status RUNNING.
    pub(crate) running: u64,
    /// Of those, the ones on instances that are not ACTIVE.
    pub(crate) draining: u64,
}

/// The running tasks of every service group.
pub(crate) fn counts(scenario: &Scenario) -> HashMap<String, Counts> {
    let instances = crate::scenario::instance_indexes(&scenario.instances);
    let mut counts: HashMap<String, Counts> = HashMap::default();
    for task in scenario.tasks.iter().filter(|t| t.is_desired_running()) {
        let entry = counts.entry(task.group.to_string()).or_default();
        entry.running += 1;
        let status = instances
            .get(task.container_instance_arn.as_str())
            .and_then(|&at| scenario.instances.get(at))
            .map(|i| i.status);
        let on_inactive = status != Some(InstanceStatus::Active);
        if on_inactive && !task.is_fargate() {
            entry.draining += 1;
        }
    }
    counts
}

/// How a service (and its deployment) says where its tasks run: the capacity provider strategy
/// or the launch type, and for Fargate the platform version and family.
fn launch_members(service: &Service) -> Vec<(&'static str, Value)> {
    let mut members = match &service.fargate {
        Some(settings) if !settings.capacity_provider_strategy.is_empty() => {
            vec![("capacityProviderStrategy", json!(settings.capacity_provider_strategy))]
        }
        _ => vec![("launchType", json!(service.launch_type.as_str()))],
    };
    if let Some(settings) = &service.fargate {
        members.push(("platformVersion", json!(settings.platform_version)));
        members.push(("platformFamily", json!("Linux")));
    }
    members
}

/// The `Service` JSON.
pub(crate) fn service_json(scenario: &Scenario, service: &Service, counts: Counts) -> Value {
    let mut object = Map::new();
    let mut put = |key: &str, value: Value| {
        object.insert(key.to_string(), value);
    };
    put("serviceArn", json!(service.service_arn));
    put("serviceName", json!(service.service_name));
    put("clusterArn", json!(scenario.cluster.arn()));
    put("loadBalancers", json!(service.load_balancers));
    put("serviceRegistries", json!([]));
    put("status", json!(service.status.as_str()));
    put("desiredCount", json!(service.desired_count));
    put("runningCount", json!(counts.running));
    put("pendingCount", json!(0));
    for (key, value) in launch_members(service) {
        put(key, value);
    }
    put("taskDefinition", json!(service.task_definition));
    put("deploymentConfiguration", deployment_configuration(service));
    put("deployments", deployments(service, counts));
    put("events", json!(service.events));
    put("createdAt", json!(service.created_at));
    put("placementConstraints", json!(service.placement_constraints));
    put("placementStrategy", json!(service.placement_strategy));
    if let Some(network) = &service.network_configuration {
        put("networkConfiguration", json!(network));
    }
    if let Some(grace) = service.health_check_grace_period_seconds {
        put("healthCheckGracePeriodSeconds", json!(grace));
    }
    put("schedulingStrategy", json!(service.scheduling_strategy.as_str()));
    put("deploymentController", json!({"type": "ECS"}));
    put("enableECSManagedTags", json!(false));
    put("propagateTags", json!("NONE"));
    put("enableExecuteCommand", json!(false));
    put(
        "availabilityZoneRebalancing",
        json!(service.availability_zone_rebalancing.as_str()),
    );
    Value::Object(object)
}

fn deployment_configuration(service: &Service) -> Value {
    let breaker = service
        .deployment_configuration
        .deployment_circuit_breaker
        .unwrap_or_default();
    json!({
        "deploymentCircuitBreaker": {"enable": breaker.enable, "rollback": breaker.rollback},
        "maximumPercent": service.maximum_percent(),
        "minimumHealthyPercent": service.minimum_healthy_percent(),
    })
}

/// The service's one deployment (the playground does not simulate new deployments); none once
/// the service is INACTIVE.
fn deployments(service: &Service, counts: Counts) -> Value {
    if service.status == ServiceStatus::Inactive {
        return json!([]);
    }
    let (state, word) = if service.is_steady(counts.running, counts.draining) {
        ("COMPLETED", "completed")
    } else {
        ("IN_PROGRESS", "in progress")
    };
    let mut deployment = Map::new();
    let mut put = |key: &str, value: Value| {
        deployment.insert(key.to_string(), value);
    };
    put("id", json!(service.deployment_id));
    put("status", json!("PRIMARY"));
    put("taskDefinition", json!(service.task_definition));
    put("desiredCount", json!(service.desired_count));
    put("pendingCount", json!(0));
    put("runningCount", json!(counts.running));
    put("failedTasks", json!(0));
    put("createdAt", json!(service.created_at));
    put("updatedAt", json!(service.updated_at));
    for (key, value) in launch_members(service) {
        put(key, value);
    }
    if let Some(network) = &service.network_configuration {
        put("networkConfiguration", json!(network));
    }
    put("rolloutState", json!(state));
    put(
        "rolloutStateReason",
        json!(format!("ECS deployment {} {word}.", service.deployment_id)),
    );
    json!([Value::Object(deployment)])
}

/// The `Service` JSON of the service at `index`, with its counts.
pub(crate) fn service_at(scenario: &Scenario, index: usize) -> Value {
    let Some(service) = scenario.services.get(index) else {
        return Value::Null;
    };
    let counts = counts(scenario).remove(&service.group()).unwrap_or_default();
    service_json(scenario, service, counts)
}

/// The services a DescribeServices request names, and `MISSING` failures for the others
/// (`arn` as AWS builds it from the name).
pub(crate) fn described(scenario: &Scenario, request: &DescribeRequest) -> Result<(Vec<Value>, Vec<Failure>)> {
    check_batch("DescribeServices", "services", request.services.len(), MAX_DESCRIBE)?;
    let counts = counts(scenario);
    let mut services = Vec::new();
    let mut failures = Vec::new();
    for name in &request.services {
        match service::find(scenario, name).and_then(|i| scenario.services.get(i)) {
            Some(found) => {
                let counted = counts.get(&found.group()).copied().unwrap_or_default();
                services.push(service_json(scenario, found, counted));
            }
            None => failures.push(Failure {
                arn: missing_arn(scenario, name),
                reason: "MISSING".into(),
            }),
        }
    }
    Ok((services, failures))
}

fn missing_arn(scenario: &Scenario, name: &str) -> String {
    if name.starts_with("arn:") {
        name.to_string()
    } else {
        scenario.cluster.resource_arn("service", name)
    }
}

/// `DescribeServices`: each service by name or ARN, in request order; unknown ones as
/// `MISSING` failures. `--include TAGS` is accepted and ignored.
pub(super) fn describe(scenario: &Scenario, request: DescribeRequest) -> Result<Outcome> {
    let (services, failures) = described(scenario, &request)?;
    Ok(Outcome::response(response(
        &json!({"services": services, "failures": failures}),
    )?))
}

/// `ListServices`: the ARNs of the ACTIVE services (DRAINING and INACTIVE ones are not listed,
/// as AWS documents), in creation order, filtered by launch type and scheduling strategy.
pub(super) fn list(scenario: &Scenario, request: ListRequest) -> Result<Outcome> {
    let strategy = request
        .scheduling_strategy
        .as_deref()
        .map(|s| scheduling_strategy(Some(s)))
        .transpose()?;
    let launch_type = request
        .launch_type
        .as_deref()
        .map(|l| enum_value(Some(l), "EC2", "launchType", &LAUNCH_TYPES))
        .transpose()?;
    let arns: Vec<&str> = scenario
        .services
        .iter()
        .filter(|s| s.is_active())
        .filter(|s| strategy.is_none_or(|v| s.scheduling_strategy == v))
        .filter(|s| launch_type.is_none_or(|v| s.launch_type.as_str() == v))
        .map(|s| s.service_arn.as_str())
        .collect();
    Ok(Outcome::response(response(&json!({"serviceArns": arns}))?))
}
