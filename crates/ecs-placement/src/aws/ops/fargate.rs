//! The FARGATE launch type in RunTask and CreateService: which requests run on Fargate (a
//! `launchType` of FARGATE, or a `capacityProviderStrategy` of FARGATE and FARGATE_SPOT), what
//! ECS refuses for them (with AWS's messages), RunTask's Fargate tasks, and the Fargate members
//! of the `Task` object. Where the tasks go is `crate::fargate` (decision D19).

use super::task_shape::task_json_on;
use super::validation::enum_error;
use super::{Outcome, response};
use crate::error::{Error, Result};
use crate::fargate::{
    self, CAPACITY_PROVIDERS, FargateRequest, LATEST_PLATFORM_VERSION, PLATFORM_VERSIONS, ProviderShare,
};
use crate::model::{Task, TaskStatus};
use crate::scenario::Scenario;
use crate::taskdef::{NetworkConfiguration, PlacementConstraint, PlacementStrategy, TaskDefinition};
use serde_json::{Map, Value, json};

/// Subnets per `awsvpcConfiguration` (AWS).
pub const MAX_SUBNETS: usize = 16;
/// Security groups per `awsvpcConfiguration` (AWS).
pub const MAX_SECURITY_GROUPS: usize = 5;
/// The `AssignPublicIp` enum.
const ASSIGN_PUBLIC_IP: [&str; 2] = ["ENABLED", "DISABLED"];

/// A request that runs on Fargate: its capacity providers (empty for `launchType` FARGATE).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct FargateLaunch {
    /// The `capacityProviderStrategy`, when one was given.
    pub(crate) providers: Vec<ProviderShare>,
}

/// Whether a request runs on Fargate: `launchType` FARGATE, or a capacity provider strategy
/// whose providers are all FARGATE or FARGATE_SPOT. `None` for any other request (EC2, EXTERNAL,
/// other capacity providers: the container-instance path answers those). Both a launch type and
/// a strategy: AWS's InvalidParameterException.
pub(crate) fn launch(
    launch_type: Option<&str>,
    capacity_provider_strategy: Option<&Value>,
) -> Result<Option<FargateLaunch>> {
    if launch_type.is_some() && capacity_provider_strategy.is_some() {
        return Err(Error::invalid_parameter(
            "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.",
        ));
    }
    if launch_type == Some("FARGATE") {
        return Ok(Some(FargateLaunch::default()));
    }
    let Some(strategy) = capacity_provider_strategy else {
        return Ok(None);
    };
    let providers: Vec<ProviderShare> = crate::json::typed::from_value(strategy.clone()).map_err(|e| {
        Error::invalid_parameter(format!("capacityProviderStrategy: {}", e.message)).at_path("capacityProviderStrategy")
    })?;
    let all_fargate = !providers.is_empty()
        && providers
            .iter()
            .all(|p| CAPACITY_PROVIDERS.contains(&p.capacity_provider.as_str()));
    if !all_fargate {
        return Ok(None);
    }
    check_providers(&providers)?;
    Ok(Some(FargateLaunch { providers }))
}

/// A capacity provider strategy's limits (AWS's API reference: weight 0-1000, base 0-100000,
/// a base on one provider at most, some weight above 0).
fn check_providers(providers: &[ProviderShare]) -> Result<()> {
    for (index, provider) in providers.iter().enumerate() {
        if provider.weight > 1000 {
            return Err(range_error(provider.weight, index, "weight", 1000));
        }
        if provider.base > 100_000 {
            return Err(range_error(provider.base, index, "base", 100_000));
        }
    }
    if providers.iter().filter(|p| p.base > 0).count() > 1 {
        return Err(Error::invalid_parameter(
            "Only one capacity provider in a capacity provider strategy can have a base defined.",
        ));
    }
    if providers.len() > 1 && providers.iter().all(|p| p.weight == 0) {
        return Err(Error::invalid_parameter(
            "At least one capacity provider in a capacity provider strategy must have a weight greater than zero.",
        ));
    }
    Ok(())
}

fn range_error(value: u32, index: usize, member: &str, max: u32) -> Error {
    Error::invalid_parameter(format!(
        "1 validation error detected: Value '{value}' at 'capacityProviderStrategy.{}.member.{member}' failed to satisfy constraint: Member must have value less than or equal to {max}",
        index + 1
    ))
}

/// What RunTask and CreateService check of a Fargate request, in this order: the task
/// definition is compatible with FARGATE, the platform version exists, no placement constraint
/// (the task definition's included) and no strategy, and an awsvpc configuration with 1-16
/// known subnets. Returns the subnets with their zones and the resolved platform version.
pub(crate) fn check(
    scenario: &Scenario,
    definition: &TaskDefinition,
    placement: (&[PlacementConstraint], &[PlacementStrategy]),
    network: Option<&NetworkConfiguration>,
    platform_version: Option<&str>,
) -> Result<(Vec<(String, String)>, String)> {
    if !definition.compatibilities.iter().any(|c| c == "FARGATE") {
        return Err(Error::invalid_parameter(
            "Task definition does not support launch_type FARGATE.",
        ));
    }
    let platform = platform(platform_version)?;
    let (constraints, strategies) = placement;
    if !constraints.is_empty() || !definition.placement_constraints.is_empty() {
        return Err(Error::invalid_parameter(
            "Placement constraints are not supported with FARGATE launch type.",
        ));
    }
    if !strategies.is_empty() {
        return Err(Error::invalid_parameter(
            "Placement strategies are not supported with FARGATE launch type.",
        ));
    }
    let subnets = subnets(scenario, network)?;
    Ok((subnets, platform))
}

/// `LATEST` (1.4.0) or `1.4.0`; absent is `LATEST`.
fn platform(version: Option<&str>) -> Result<String> {
    match version {
        None => Ok(LATEST_PLATFORM_VERSION.into()),
        Some(v) if PLATFORM_VERSIONS.contains(&v) => Ok(LATEST_PLATFORM_VERSION.into()),
        Some(_) => Err(Error::invalid_parameter("The specified platform does not exist.")),
    }
}

/// The awsvpc configuration's subnets with their zones (the scenario's `subnets`, or instances'
/// `ecs.subnet-id` attributes); AWS's messages for a missing configuration, no subnets, too
/// many subnets or security groups, and unknown subnets.
fn subnets(scenario: &Scenario, network: Option<&NetworkConfiguration>) -> Result<Vec<(String, String)>> {
    let Some(config) = network.and_then(|n| n.awsvpc_configuration.as_ref()) else {
        return Err(Error::invalid_parameter(
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        ));
    };
    if config.subnets.is_empty() {
        return Err(Error::invalid_parameter("subnets can not be empty."));
    }
    if config.subnets.len() > MAX_SUBNETS {
        return Err(Error::invalid_parameter(format!(
            "subnets can have at most {MAX_SUBNETS} items."
        )));
    }
    if config.security_groups.len() > MAX_SECURITY_GROUPS {
        return Err(Error::invalid_parameter(format!(
            "securityGroups can have at most {MAX_SECURITY_GROUPS} items."
        )));
    }
    if let Some(assign) = config
        .assign_public_ip
        .as_deref()
        .filter(|a| !ASSIGN_PUBLIC_IP.contains(a))
    {
        return Err(enum_error(
            assign,
            "networkConfiguration.awsvpcConfiguration.assignPublicIp",
            &ASSIGN_PUBLIC_IP,
        ));
    }
    let located: Vec<(String, Option<String>)> = config
        .subnets
        .iter()
        .map(|s| {
            (
                s.clone(),
                super::run_task::subnet_zone(scenario, s).map(|(zone, _)| zone),
            )
        })
        .collect();
    let unknown: Vec<&str> = located
        .iter()
        .filter(|(_, zone)| zone.as_deref().is_none_or(str::is_empty))
        .map(|(s, _)| s.as_str())
        .collect();
    if let Some(first) = unknown.first() {
        return Err(Error::invalid_parameter(format!(
            "Error retrieving subnet information for [{}]: The subnet ID '{first}' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
            unknown.join(", ")
        )));
    }
    Ok(located
        .into_iter()
        .filter_map(|(subnet, zone)| zone.map(|z| (subnet, z)))
        .collect())
}

/// What RunTask needs of a Fargate call beyond [`check`].
pub(crate) struct RunTaskCall<'a> {
    /// The task definition.
    pub(crate) definition: &'a TaskDefinition,
    /// The task group.
    pub(crate) group: String,
    /// How many tasks (already checked).
    pub(crate) count: usize,
    /// `--started-by`.
    pub(crate) started_by: Option<String>,
    /// The capacity providers.
    pub(crate) launch: FargateLaunch,
    /// What DescribeTasks shows of the request (`overrides`, ECS Exec).
    pub(crate) details: super::run_task::RequestDetails,
}

/// RunTask on Fargate: the tasks start in the subnets' zones (decision D19); the response is
/// `{tasks, failures: []}` (Fargate capacity is not simulated: every task starts).
pub(crate) fn run_task(
    scenario: &mut Scenario,
    call: RunTaskCall<'_>,
    subnets: Vec<(String, String)>,
    platform_version: String,
) -> Result<Outcome> {
    let request = fargate_request(call.definition, call.group, call.count, subnets, platform_version)?;
    let request = FargateRequest {
        started_by: call.started_by,
        providers: call.launch.providers,
        ..request
    };
    let placed = fargate::place(scenario, &request);
    call.details.record(scenario, &placed);
    let tasks: Vec<Value> = placed
        .iter()
        .filter_map(|&i| scenario.tasks.get(i))
        .map(|task| {
            // RunTask answers a Fargate task PROVISIONING (its containers PENDING), version 1.
            let mut json = task_json_on(scenario, task, None, Some(TaskStatus::Provisioning));
            if let Some(object) = json.as_object_mut() {
                object.insert("version".into(), json!(1));
                for container in object
                    .get_mut("containers")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object_mut)
                {
                    container.insert("lastStatus".into(), json!("PENDING"));
                }
            }
            json
        })
        .collect();
    Ok(Outcome::response(response(&json!({"tasks": tasks, "failures": []}))?))
}

/// The placement request of Fargate tasks of a definition (its task-level CPU and memory).
pub(crate) fn fargate_request(
    definition: &TaskDefinition,
    group: String,
    count: usize,
    subnets: Vec<(String, String)>,
    platform_version: String,
) -> Result<FargateRequest> {
    let reservation = definition.reservation(&Default::default())?;
    Ok(FargateRequest {
        group,
        count,
        subnets,
        cpu: reservation.cpu,
        memory: reservation.memory,
        task_definition_arn: definition.task_definition_arn.clone().unwrap_or_default(),
        started_by: None,
        platform_version,
        providers: Vec::new(),
    })
}

/// The Fargate members of a task's JSON: no `containerInstanceArn`, the zone, `launchType`
/// FARGATE, the capacity provider, the platform version and family, and Fargate's default
/// 20 GiB of ephemeral storage.
pub(crate) fn decorate(task: &Task, object: &mut Map<String, Value>) {
    let Some(fargate) = task.fargate() else { return };
    object.insert("availabilityZone".into(), json!(fargate.availability_zone));
    object.insert("capacityProviderName".into(), json!(fargate.capacity_provider_name));
    object.insert("launchType".into(), json!("FARGATE"));
    object.insert("platformVersion".into(), json!(fargate.platform_version));
    object.insert("platformFamily".into(), json!("Linux"));
    object.insert("ephemeralStorage".into(), json!({"sizeInGiB": 20}));
    let mut entries: Vec<(String, Value)> = std::mem::take(object)
        .into_iter()
        .filter(|(key, _)| key != "containerInstanceArn")
        .collect();
    let rank = |key: &str| TASK_KEYS.iter().position(|k| *k == key).unwrap_or(TASK_KEYS.len());
    crate::order::sort_stable_by_key(&mut entries, |(key, _)| rank(key));
    object.extend(entries);
}

/// The members of the API's `Task` shape, in the model's order (the order responses list them).
const TASK_KEYS: [&str; 37] = [
    "attachments",
    "attributes",
    "availabilityZone",
    "capacityProviderName",
    "clusterArn",
    "connectivity",
    "connectivityAt",
    "containerInstanceArn",
    "containers",
    "cpu",
    "createdAt",
    "desiredStatus",
    "enableExecuteCommand",
    "executionStoppedAt",
    "group",
    "healthStatus",
    "inferenceAccelerators",
    "lastStatus",
    "launchType",
    "memory",
    "overrides",
    "platformVersion",
    "platformFamily",
    "pullStartedAt",
    "pullStoppedAt",
    "startedAt",
    "startedBy",
    "stopCode",
    "stoppedAt",
    "stoppedReason",
    "stoppingAt",
    "tags",
    "taskArn",
    "taskDefinitionArn",
    "version",
    "ephemeralStorage",
    "fargateEphemeralStorage",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_fargate_strategy_is_read_with_the_typed_reader() {
        let strategy = json!([{"capacityProviderStrategy": "x"}]);
        let error = launch(None, Some(&strategy)).expect_err("an unknown field is fine, a missing one is not");
        assert_eq!(
            error.message,
            "capacityProviderStrategy: missing field `capacityProvider`"
        );
        assert_eq!(error.path.as_deref(), Some("capacityProviderStrategy"));
        let strategy = json!([["FARGATE", 1, 0]]);
        let error = launch(None, Some(&strategy)).expect_err("a list is not a structure");
        assert_eq!(
            error.message,
            "capacityProviderStrategy: invalid type: sequence, expected struct ProviderShare"
        );
        let strategy = json!([{"capacityProvider": "FARGATE_SPOT", "weight": 1}]);
        let launch = launch(None, Some(&strategy)).expect("valid").expect("on Fargate");
        assert_eq!(launch.providers.len(), 1);
    }
}
