//! `RunTask`: validate the request as ECS does (limits of decision D13, whole request rejected),
//! build the placement request, run the funnel, answer `{tasks, failures}`.

use super::task_shape::{find_definition, task_json_on};
use super::{Options, Outcome, fargate, response};
use crate::Name;
use crate::aws::Explanation;
use crate::engine::{
    self, Constraint, Location, Origin, PlacementRequest, Resource, SpreadField, Strategy, StrategySource,
};
use crate::error::{Error, ErrorKind, Result};
use crate::model::TaskStatus;
use crate::query::parse_expression;
use crate::scenario::Scenario;
use crate::taskdef::{
    AwsvpcConfiguration, ContainerOverride, NetworkConfiguration, NetworkMode, PlacementConstraint, PlacementStrategy,
    SizeOverrides, TaskDefinition,
};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// Tasks per RunTask call (AWS limit).
pub const MAX_COUNT: i64 = 10;
/// Tasks per call in the playground's labelled what-if mode.
pub const MAX_WHAT_IF_COUNT: i64 = 10_000;
/// Constraints per task, task definition and request together.
pub const MAX_CONSTRAINTS: usize = 10;
/// Strategies per task.
pub const MAX_STRATEGIES: usize = 5;
/// Task group names.
pub const MAX_GROUP_LENGTH: usize = 255;

/// A RunTask request as the operation reads it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(in crate::aws) struct Request {
    pub(in crate::aws) task_definition: String,
    #[serde(default)]
    pub(in crate::aws) count: Option<i64>,
    #[serde(default)]
    pub(in crate::aws) group: Option<String>,
    #[serde(default)]
    pub(in crate::aws) started_by: Option<String>,
    #[serde(default)]
    pub(in crate::aws) placement_constraints: Vec<PlacementConstraint>,
    #[serde(default)]
    pub(in crate::aws) placement_strategy: Vec<PlacementStrategy>,
    #[serde(default)]
    pub(in crate::aws) launch_type: Option<String>,
    #[serde(default)]
    pub(in crate::aws) capacity_provider_strategy: Option<Value>,
    #[serde(default)]
    pub(in crate::aws) platform_version: Option<String>,
    #[serde(default)]
    pub(in crate::aws) network_configuration: Option<NetworkConfiguration>,
    #[serde(default)]
    overrides: Option<Value>,
    #[serde(default)]
    enable_execute_command: Option<bool>,
}

pub(super) fn run(scenario: &mut Scenario, request: Request, options: Options) -> Result<Outcome> {
    let mut warnings = Vec::new();
    let definition = resolve_definition(scenario, &request.task_definition)?.clone();
    let launch = fargate::launch(
        request.launch_type.as_deref(),
        request.capacity_provider_strategy.as_ref(),
    )?;
    if let Some(launch) = launch {
        return run_on_fargate(scenario, &request, &definition, launch, options);
    }
    let placement = build(scenario, &request, &definition, options, &mut warnings)?;
    // The engine appends the new tasks to the scenario, in placement order.
    let first_new = scenario.tasks.len();
    let outcome = engine::place_recording(scenario, &placement, engine::Records::InstanceIndexes);
    let subnet_zones: Vec<(&String, Option<String>)> = placement
        .location
        .as_ref()
        .map(|l| {
            l.subnets
                .iter()
                .map(|s| (s, subnet_zone(scenario, s).map(|(z, _)| z)))
                .collect()
        })
        .unwrap_or_default();
    let subnets: Vec<Option<String>> = outcome
        .instance_indexes
        .iter()
        .map(|&placed_on| {
            let zone = scenario.instances.get(placed_on).and_then(|i| i.availability_zone());
            subnet_zones
                .iter()
                .find(|(_, z)| z.is_some() && z.as_deref() == zone)
                .map(|(s, _)| (*s).clone())
        })
        .collect();
    record_request_details(scenario, first_new, &request, subnets);
    let new_tasks = scenario.tasks.get(first_new..).unwrap_or_default();
    let tasks = new_tasks
        .iter()
        .zip(&outcome.instance_indexes)
        .map(|(task, &placed_on)| {
            let instance = scenario.instances.get(placed_on);
            task_json_on(scenario, task, instance, Some(TaskStatus::Pending))
        })
        .collect();
    // The tasks are JSON already: moved into the response, not serialized a second time.
    let mut body = serde_json::Map::new();
    body.insert("tasks".into(), Value::Array(tasks));
    body.insert("failures".into(), response(&outcome.failures)?);
    let response = Value::Object(body);
    Ok(Outcome {
        explanation: outcome.explanation.map(|e| Explanation::Placement(Box::new(e))),
        warnings,
        placement: Some(engine::PlacementTrace {
            call: outcome.call,
            frames: outcome.frames,
        }),
        ..Outcome::response(response)
    })
}

/// What DescribeTasks shows of a RunTask request on the tasks it started.
pub(crate) struct RequestDetails {
    overrides: Option<Value>,
    enable_execute_command: bool,
}

impl RequestDetails {
    pub(in crate::aws) fn of(request: &Request) -> RequestDetails {
        RequestDetails {
            overrides: request.overrides.clone(),
            enable_execute_command: request.enable_execute_command.unwrap_or(false),
        }
    }

    /// Stores on the tasks at `indexes` when they were created (the scenario's clock, not
    /// advanced), the `overrides` and ECS Exec.
    pub(crate) fn record(&self, scenario: &mut Scenario, indexes: &[usize]) {
        let now = crate::service::events::now(scenario);
        for &index in indexes {
            if let Some(task) = scenario.tasks.get_mut(index) {
                task.created_at = Some(now);
                task.edit_details(|details| {
                    details.overrides = self.overrides.clone().map(Box::new);
                    details.enable_execute_command = self.enable_execute_command;
                });
            }
        }
    }
}

/// Stores on the tasks RunTask just placed (from `first_new` on) what DescribeTasks shows of the
/// request (see [`RequestDetails`]) and the subnet of each task's ENI.
fn record_request_details(scenario: &mut Scenario, first_new: usize, request: &Request, subnets: Vec<Option<String>>) {
    let new: Vec<usize> = (first_new..scenario.tasks.len()).collect();
    RequestDetails::of(request).record(scenario, &new);
    let new_tasks = scenario.tasks.get_mut(first_new..).unwrap_or_default();
    for (task, subnet) in new_tasks.iter_mut().zip(subnets) {
        let subnet = subnet.filter(|_| task.eni).map(Name::from);
        task.edit_details(|details| details.subnet_id = subnet);
    }
}

/// RunTask with the FARGATE launch type (or Fargate capacity providers): the count and group
/// as for EC2, then what Fargate checks (`fargate::check`); no container instance is needed.
fn run_on_fargate(
    scenario: &mut Scenario,
    request: &Request,
    definition: &TaskDefinition,
    launch: fargate::FargateLaunch,
    options: Options,
) -> Result<Outcome> {
    let mut warnings = Vec::new();
    let count = check_count(request.count, options.what_if, &mut warnings)?;
    check_started_by(request.started_by.as_deref())?;
    let placement = (
        request.placement_constraints.as_slice(),
        request.placement_strategy.as_slice(),
    );
    let (subnets, platform) = fargate::check(
        scenario,
        definition,
        placement,
        request.network_configuration.as_ref(),
        request.platform_version.as_deref(),
    )?;
    let group = check_group(group_of(request, definition))?;
    let call = fargate::RunTaskCall {
        definition,
        group,
        count,
        started_by: request.started_by.clone(),
        launch,
        details: RequestDetails::of(request),
    };
    let outcome = fargate::run_task(scenario, call, subnets, platform)?;
    Ok(Outcome { warnings, ..outcome })
}

/// The definition a reference names: `family` (latest ACTIVE revision), `family:revision` or an ARN.
pub fn resolve_definition<'a>(scenario: &'a Scenario, reference: &str) -> Result<&'a TaskDefinition> {
    let found = if reference.contains(':') {
        find_definition(scenario, reference)
    } else {
        scenario
            .task_definitions
            .iter()
            .filter(|d| d.family == reference && d.status.as_deref() != Some("INACTIVE"))
            .max_by_key(|d| d.revision)
    };
    let definition = found.ok_or_else(|| Error::new(ErrorKind::Client, "TaskDefinition not found."))?;
    if definition.status.as_deref() == Some("INACTIVE") {
        return Err(Error::new(ErrorKind::Client, "TaskDefinition is inactive"));
    }
    Ok(definition)
}

pub(in crate::aws) fn build(
    scenario: &Scenario,
    request: &Request,
    definition: &TaskDefinition,
    options: Options,
    warnings: &mut Vec<String>,
) -> Result<PlacementRequest> {
    let count = check_count(request.count, options.what_if, warnings)?;
    let external = check_launch_type(request, definition)?;
    check_started_by(request.started_by.as_deref())?;
    check_public_ip_for_launch_type(request.launch_type.as_deref(), request.network_configuration.as_ref())?;
    if scenario.instances.is_empty() {
        return Err(Error::invalid_parameter(
            "No Container Instances were found in your cluster.",
        ));
    }
    let network_mode = definition.network_mode()?;
    let group = check_group(group_of(request, definition))?;
    let constraints = constraints(definition, &request.placement_constraints, warnings)?;
    let (strategies, strategy_source) = strategies(&request.placement_strategy, warnings)?;
    let location = location(scenario, network_mode, request.network_configuration.as_ref())?;
    let reservation = definition.reservation(&size_overrides(request.overrides.as_ref()))?;
    Ok(PlacementRequest {
        reservation,
        network_mode,
        required_attributes: definition.required_attribute_pairs(),
        constraints,
        strategies,
        strategy_source,
        group: group.into(),
        count,
        location,
        external,
        task_definition_arn: definition.task_definition_arn.clone().unwrap_or_default().into(),
        started_by: request.started_by.as_deref().map(Name::from),
        explain: options.explain,
    })
}

/// What RunTask checks before it looks at the cluster, in the order it checks them: the count,
/// the launch type, the network mode, the group, the constraints (the definition's and the
/// request's), the strategies, the network configuration and the reservation. Returns the
/// warnings RunTask would give.
pub(in crate::aws) fn validate(
    request: &Request,
    definition: &TaskDefinition,
    options: Options,
) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    check_count(request.count, options.what_if, &mut warnings)?;
    check_launch_type(request, definition)?;
    check_started_by(request.started_by.as_deref())?;
    check_public_ip_for_launch_type(request.launch_type.as_deref(), request.network_configuration.as_ref())?;
    let mode = definition.network_mode()?;
    check_group(group_of(request, definition))?;
    constraints(definition, &request.placement_constraints, &mut warnings)?;
    strategies(&request.placement_strategy, &mut warnings)?;
    if let Some(config) = awsvpc_configuration(mode, request.network_configuration.as_ref())? {
        check_awsvpc(config)?;
    }
    definition.reservation(&size_overrides(request.overrides.as_ref()))?;
    Ok(warnings)
}

/// The request's group, or `family:<family>`.
fn group_of(request: &Request, definition: &TaskDefinition) -> String {
    request
        .group
        .clone()
        .unwrap_or_else(|| format!("family:{}", definition.family))
}

fn check_count(count: Option<i64>, what_if: bool, warnings: &mut Vec<String>) -> Result<usize> {
    let count = count.unwrap_or(1);
    let limit = if what_if { MAX_WHAT_IF_COUNT } else { MAX_COUNT };
    if !(1..=limit).contains(&count) {
        return Err(Error::invalid_parameter(format!(
            "count must be between 1 and {MAX_COUNT} (RunTask starts at most {MAX_COUNT} tasks per call){}",
            if what_if {
                format!("; the playground's what-if mode allows up to {MAX_WHAT_IF_COUNT}")
            } else {
                String::new()
            }
        )));
    }
    if count > MAX_COUNT {
        warnings.push(format!(
            "what-if: count {count} is beyond AWS's limit of {MAX_COUNT} tasks per RunTask call"
        ));
    }
    Ok(usize::try_from(count).unwrap_or(1))
}

/// Returns whether the call targets external instances.
fn check_launch_type(request: &Request, definition: &TaskDefinition) -> Result<bool> {
    launch_type_is_external(
        request.launch_type.as_deref(),
        request.capacity_provider_strategy.is_some(),
        definition,
    )
}

/// Whether a launch type (EC2 when absent) targets external instances; capacity provider
/// strategies, Fargate and Managed Instances are refused (RunTask and CreateService alike).
pub(crate) fn launch_type_is_external(
    launch_type: Option<&str>,
    capacity_provider_strategy: bool,
    definition: &TaskDefinition,
) -> Result<bool> {
    if capacity_provider_strategy {
        return Err(Error::invalid_parameter(
            "capacity provider strategies are not simulated by the playground yet; use --launch-type EC2 (the default)",
        ));
    }
    let launch_type = launch_type.unwrap_or("EC2");
    let external = match launch_type {
        "EC2" => false,
        "EXTERNAL" => true,
        "FARGATE" | "MANAGED_INSTANCES" => {
            return Err(Error::invalid_parameter(format!(
                "the playground simulates placement on container instances (launch types EC2 and EXTERNAL); {launch_type} places tasks on capacity AWS manages"
            )));
        }
        other => {
            return Err(Error::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'launchType' failed to satisfy constraint: Member must satisfy enum value set: [EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES]"
            )));
        }
    };
    if definition.is_fargate_only() {
        return Err(Error::invalid_parameter(format!(
            "Task definition does not support launch_type {launch_type}."
        )));
    }
    Ok(external)
}

/// The launch types whose tasks may get a public IP (`assignPublicIp: ENABLED`): only
/// FARGATE. Tasks on container instances (EC2, EXTERNAL) share the instance's networking, and
/// ECS refuses the request.
const PUBLIC_IP_LAUNCH_TYPES: &[&str] = &["FARGATE"];

/// ECS's answer to `assignPublicIp: ENABLED` for a launch type other than FARGATE (EC2 when no
/// launch type is given), for RunTask and CreateService alike.
pub(crate) fn check_public_ip_for_launch_type(
    launch_type: Option<&str>,
    configuration: Option<&NetworkConfiguration>,
) -> Result<()> {
    let enabled = configuration
        .and_then(|c| c.awsvpc_configuration.as_ref())
        .and_then(|a| a.assign_public_ip.as_deref())
        == Some("ENABLED");
    if enabled && !PUBLIC_IP_LAUNCH_TYPES.contains(&launch_type.unwrap_or("EC2")) {
        return Err(Error::invalid_parameter(
            "Assign public IP is not supported for this launch type.",
        ));
    }
    Ok(())
}

/// `startedBy`: up to 128 letters (uppercase and lowercase), numbers, hyphens, forward slashes
/// and underscores (the RunTask API reference).
pub const MAX_STARTED_BY_LENGTH: usize = 128;

/// Checks `startedBy` as RunTask and StartTask do.
pub(crate) fn check_started_by(started_by: Option<&str>) -> Result<()> {
    let Some(value) = started_by else {
        return Ok(());
    };
    let valid = value.chars().count() <= MAX_STARTED_BY_LENGTH
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_'));
    if valid {
        Ok(())
    } else {
        Err(Error::invalid_parameter(STARTED_BY_MESSAGE))
    }
}

/// The message for an invalid `startedBy` (an InvalidParameterException). ECS's own wording is
/// not documented; this quotes the rule of the RunTask API reference (and botocore's model).
pub const STARTED_BY_MESSAGE: &str = "startedBy: Up to 128 letters (uppercase and lowercase), numbers, hyphens (-), forward slash (/), and underscores (_) are allowed.";

fn check_group(group: String) -> Result<String> {
    if group.chars().count() > MAX_GROUP_LENGTH {
        return Err(Error::invalid_parameter(format!(
            "group names are at most {MAX_GROUP_LENGTH} characters"
        )));
    }
    Ok(group)
}

/// Task definition constraints first, then the request's; at most 10 together. Expression
/// warnings (a glob-looking pattern, ...) are passed on with carets.
pub(crate) fn constraints(
    definition: &TaskDefinition,
    requested: &[PlacementConstraint],
    warnings: &mut Vec<String>,
) -> Result<Vec<Constraint>> {
    let total = definition.placement_constraints.len() + requested.len();
    if total > MAX_CONSTRAINTS {
        return Err(Error::invalid_parameter(format!(
            "{total} placement constraints (task definition and request together); the maximum is {MAX_CONSTRAINTS}"
        )));
    }
    let from_definition = definition
        .placement_constraints
        .iter()
        .map(|c| (c, Origin::TaskDefinition));
    let from_request = requested.iter().map(|c| (c, Origin::Request));
    from_definition
        .chain(from_request)
        .enumerate()
        .map(|(index, (c, origin))| constraint(c, origin, index, warnings))
        .collect()
}

fn constraint(c: &PlacementConstraint, origin: Origin, index: usize, warnings: &mut Vec<String>) -> Result<Constraint> {
    match (c.kind.as_str(), &c.expression) {
        ("distinctInstance", None) => Ok(Constraint::DistinctInstance { origin }),
        ("distinctInstance", Some(_)) => Err(Error::invalid_parameter(
            "distinctInstance expression should not be specified.",
        )),
        ("memberOf", Some(expression)) => {
            let (expr, diagnostics) = parse_expression(expression)?;
            if !diagnostics.is_empty() {
                let rendered = crate::diagnostic::render_plain(expression, &diagnostics);
                warnings.push(rendered.trim_end().to_string());
            }
            Ok(Constraint::MemberOf {
                expression: expression.clone(),
                expr: Box::new(expr),
                origin,
            })
        }
        ("memberOf", None) => Err(Error::invalid_parameter("memberOf constraints need an expression.")),
        (other, _) => Err(Error::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'placementConstraints.{}.member.type' failed to satisfy constraint: Member must satisfy enum value set: [distinctInstance, memberOf]",
            index + 1
        ))),
    }
}

/// The request's chain (at most 5), or RunTask's default `random` (decision D12).
fn strategies(inputs: &[PlacementStrategy], warnings: &mut Vec<String>) -> Result<(Vec<Strategy>, StrategySource)> {
    let default = (vec![Strategy::Random], StrategySource::RunTaskDefault);
    strategy_chain(inputs, default, warnings)
}

/// A requested chain (at most 5 strategies), or `default` when none is given (decision D12).
pub(crate) fn strategy_chain(
    inputs: &[PlacementStrategy],
    default: (Vec<Strategy>, StrategySource),
    warnings: &mut Vec<String>,
) -> Result<(Vec<Strategy>, StrategySource)> {
    if inputs.is_empty() {
        return Ok(default);
    }
    if inputs.len() > MAX_STRATEGIES {
        return Err(Error::invalid_parameter(format!(
            "{} placement strategies given; the maximum is {MAX_STRATEGIES}",
            inputs.len()
        )));
    }
    let chain = inputs
        .iter()
        .enumerate()
        .map(|(i, s)| strategy(s, i, warnings))
        .collect::<Result<Vec<_>>>()?;
    Ok((chain, StrategySource::Request))
}

fn strategy(input: &PlacementStrategy, index: usize, warnings: &mut Vec<String>) -> Result<Strategy> {
    let field = input.field.as_deref();
    match (input.kind.as_str(), field) {
        ("random", field) => {
            if let Some(field) = field {
                warnings.push(format!(
                    "placementStrategy {}: random takes no field; `{field}` was ignored",
                    index + 1
                ));
            }
            Ok(Strategy::Random)
        }
        ("binpack", Some("cpu" | "CPU")) => Ok(Strategy::Binpack(Resource::Cpu)),
        ("binpack", Some("memory" | "MEMORY")) => Ok(Strategy::Binpack(Resource::Memory)),
        ("binpack", other) => Err(Error::invalid_parameter(format!(
            "binpack needs field cpu or memory, not {}",
            other.map_or("nothing".to_string(), |f| format!("`{f}`"))
        ))),
        ("spread", Some(f @ ("instanceId" | "host"))) => Ok(Strategy::Spread(SpreadField::Instance(f.to_string()))),
        ("spread", Some(f)) => spread_attribute(f),
        ("spread", None) => Err(Error::invalid_parameter(
            "spread needs a field: instanceId, host or attribute:<name> (e.g. attribute:ecs.availability-zone)",
        )),
        (other, _) => Err(Error::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'placementStrategy.{}.member.type' failed to satisfy constraint: Member must satisfy enum value set: [random, spread, binpack]",
            index + 1
        ))),
    }
}

fn spread_attribute(field: &str) -> Result<Strategy> {
    let name = field
        .strip_prefix("attribute:")
        .or_else(|| field.strip_prefix("instance:attribute:"));
    match name {
        Some(name) if crate::scenario::check_attribute_name(name).is_ok() => {
            Ok(Strategy::Spread(SpreadField::Attribute(name.to_string())))
        }
        _ => Err(Error::invalid_parameter(format!(
            "invalid spread field `{field}`: use instanceId, host or attribute:<name>"
        ))),
    }
}

/// awsvpc tasks need subnets, located through the scenario's subnets or instance attributes.
pub(crate) fn location(
    scenario: &Scenario,
    mode: NetworkMode,
    configuration: Option<&NetworkConfiguration>,
) -> Result<Option<Location>> {
    awsvpc_configuration(mode, configuration)?
        .map(|config| locate(scenario, config))
        .transpose()
}

/// The awsvpc configuration, required for awsvpc tasks and refused for the other modes.
fn awsvpc_configuration(
    mode: NetworkMode,
    configuration: Option<&NetworkConfiguration>,
) -> Result<Option<&AwsvpcConfiguration>> {
    let awsvpc = configuration.and_then(|c| c.awsvpc_configuration.as_ref());
    match (mode, awsvpc) {
        (NetworkMode::Awsvpc, None) => Err(Error::invalid_parameter(
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        )),
        (NetworkMode::Awsvpc, Some(config)) => Ok(Some(config)),
        (_, Some(_)) => Err(Error::invalid_parameter(
            "Network Configuration is not valid for the given networkMode of this task definition.",
        )),
        (_, None) => Ok(None),
    }
}

/// Between 1 and 16 subnets, at most 5 security groups.
fn check_awsvpc(config: &AwsvpcConfiguration) -> Result<()> {
    if config.subnets.is_empty() || config.subnets.len() > 16 {
        return Err(Error::invalid_parameter(
            "awsvpcConfiguration needs between 1 and 16 subnets.",
        ));
    }
    if config.security_groups.len() > 5 {
        return Err(Error::invalid_parameter(
            "awsvpcConfiguration allows at most 5 security groups.",
        ));
    }
    Ok(())
}

fn locate(scenario: &Scenario, config: &AwsvpcConfiguration) -> Result<Location> {
    check_awsvpc(config)?;
    let mut zones = BTreeSet::new();
    let mut vpcs = BTreeSet::new();
    let mut unknown = Vec::new();
    for subnet in &config.subnets {
        match subnet_zone(scenario, subnet) {
            Some((zone, vpc)) => {
                zones.insert(zone);
                vpcs.extend(vpc);
            }
            None => unknown.push(subnet.clone()),
        }
    }
    if !unknown.is_empty() {
        return Err(Error::invalid_parameter(format!(
            "Error retrieving subnet information for [{}]: The subnet ID '{}' does not exist (ErrorCode: InvalidSubnetID.NotFound)",
            unknown.join(", "),
            unknown.first().map_or("", String::as_str)
        )));
    }
    let vpc = if vpcs.len() == 1 { vpcs.into_iter().next() } else { None };
    Ok(Location {
        subnets: config.subnets.clone(),
        zones,
        vpc,
    })
}

/// A subnet's zone and VPC: declared in the scenario, or seen on an instance.
pub fn subnet_zone(scenario: &Scenario, subnet: &str) -> Option<(String, Option<String>)> {
    if let Some(s) = scenario.subnets.iter().find(|s| s.subnet_id == subnet) {
        return Some((s.availability_zone.clone(), s.vpc_id.clone()));
    }
    scenario.instances.iter().find_map(|i| {
        (i.attribute("ecs.subnet-id").flatten() == Some(subnet)).then(|| {
            let zone = i.availability_zone().unwrap_or_default().to_string();
            (zone, i.attribute("ecs.vpc-id").flatten().map(str::to_string))
        })
    })
}

fn size_overrides(overrides: Option<&Value>) -> SizeOverrides {
    let Some(overrides) = overrides else {
        return SizeOverrides::default();
    };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let containers: Vec<ContainerOverride> = overrides
        .get("containerOverrides")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|c| {
                    // The `overrides` shape has made these integers.
                    let number = |key: &str| c.get(key).and_then(Value::as_i64);
                    let name = c.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                    ContainerOverride {
                        name,
                        cpu: number("cpu"),
                        memory: number("memory"),
                        memory_reservation: number("memoryReservation"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    SizeOverrides {
        cpu: overrides.get("cpu").and_then(text),
        memory: overrides.get("memory").and_then(text),
        containers,
    }
}
