//! Reading scripts back: checking a composed script as the operations would, and the inverse
//! mapping from a script's last `run-task` to a [`RunSpec`].

use super::script::container;
use super::{ConstraintSpec, PortSpec, Protocol, RunSpec, StrategySpec, TaskDefinitionSpec, not_in_builder};
use crate::aws::ops::run_task::{self, Request, resolve_definition};
use crate::aws::ops::{register_task_definition, request as typed_request};
use crate::aws::words::{ScriptCommand, split_script};
use crate::aws::{FileSource, Invocation, NoFiles, Options, parse_invocation};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::taskdef::{SizeOverrides, TaskDefinition};
use serde_json::{Value, json};

/// Reads a composed script with the crate's own splitter and parser and validates each command
/// as its operation does (the registration as RegisterTaskDefinition, the run as RunTask
/// before it looks at the cluster).
pub(super) fn check_composed(script: &str, spec: &RunSpec, options: Options) -> Result<()> {
    let mut definition = spec_definition(&spec.task_definition)?;
    for command in split_script(script)? {
        let invocation = parse_invocation(&command.words, &NoFiles)?;
        match invocation.operation() {
            "RegisterTaskDefinition" => {
                definition = register_task_definition::definition(invocation.request)?.0;
            }
            _ => {
                run_task::validate(&typed_request(&invocation)?, &definition, options)?;
            }
        }
    }
    Ok(())
}

/// The definition a spec describes: its one container, its network mode.
fn spec_definition(spec: &TaskDefinitionSpec) -> Result<TaskDefinition> {
    let document = json!({
        "family": spec.family,
        "networkMode": spec.network_mode,
        "containerDefinitions": [container(spec)],
    });
    crate::json::typed::from_value(document)
        .map_err(|e| Error::invalid_parameter(format!("invalid task definition: {}", e.message)))
}

/// The spec of the script's last `run-task`.
pub(super) fn parse(scenario: &Scenario, script: &str, files: &dyn FileSource) -> Result<RunSpec> {
    let commands = split_script(script)?;
    let index = commands
        .iter()
        .rposition(is_run_task)
        .ok_or_else(|| not_in_builder("the script has no `aws ecs run-task` command: the builder edits a run-task"))?;
    let (earlier, rest) = commands.split_at(index);
    let command = rest.first().ok_or_else(|| Error::invalid_parameter("no run-task"))?;
    let invocation = parse_invocation(&command.words, files)?;
    check_run_members(scenario, &invocation)?;
    let request: Request = typed_request(&invocation)?;
    let (definition, register) = definition_for(scenario, &request.task_definition, earlier, files)?;
    let mut task_definition = definition_spec(&definition, register)?;
    if register {
        check_registered(&definition, &task_definition)?;
    } else if request.task_definition.contains(':') {
        task_definition.revision = definition.revision;
    }
    let what_if = Options {
        what_if: true,
        ..Options::default()
    };
    run_task::validate(&request, &definition, what_if)?;
    run_spec(request, task_definition, &invocation)
}

fn is_run_task(command: &ScriptCommand) -> bool {
    command.words.get(2).is_some_and(|w| w == "run-task")
}

/// The run-task members the builder has (`--launch-type EC2` is the default, so it is dropped),
/// and `--region` only when it is the scenario's.
fn check_run_members(scenario: &Scenario, invocation: &Invocation) -> Result<()> {
    const MEMBERS: [&str; 8] = [
        "cluster",
        "taskDefinition",
        "count",
        "group",
        "startedBy",
        "placementConstraints",
        "placementStrategy",
        "networkConfiguration",
    ];
    for (member, value) in &invocation.request {
        if MEMBERS.contains(&member.as_str()) || (member == "launchType" && value == "EC2") {
            continue;
        }
        let flag = invocation
            .command
            .params
            .iter()
            .find(|p| p.member == member)
            .map_or(member.as_str(), |p| p.flag);
        let shown = match value {
            Value::String(text) => format!("--{flag} {text}"),
            _ => format!("--{flag}"),
        };
        return Err(not_in_builder(format!("{shown} cannot be edited in the builder")));
    }
    match &invocation.region {
        Some(region) if *region != scenario.cluster.region => Err(not_in_builder(format!(
            "--region {region} cannot be edited in the builder (the scenario's cluster is in {})",
            scenario.cluster.region
        ))),
        _ => Ok(()),
    }
}

/// The definition a run names: registered by an earlier command of the script (true), or in
/// the scenario (false). When neither has it and an earlier registration could not be read,
/// that registration's error is the one to show.
fn definition_for(
    scenario: &Scenario,
    reference: &str,
    earlier: &[ScriptCommand],
    files: &dyn FileSource,
) -> Result<(TaskDefinition, bool)> {
    let mut unreadable = None;
    if !reference.contains(':') {
        for command in earlier
            .iter()
            .rev()
            .filter(|c| c.words.get(2).is_some_and(|w| w == "register-task-definition"))
        {
            match parse_invocation(&command.words, files) {
                Ok(invocation) if invocation.request.get("family").and_then(Value::as_str) == Some(reference) => {
                    return Ok((register_task_definition::definition(invocation.request)?.0, true));
                }
                Ok(_) => {}
                Err(error) => {
                    unreadable.get_or_insert(error);
                }
            }
        }
    }
    match resolve_definition(scenario, reference) {
        Ok(definition) => Ok((definition.clone(), false)),
        Err(error) => Err(unreadable.unwrap_or(error)),
    }
}

/// The builder's view of a definition: what one task reserves (decision D15), its ports.
fn definition_spec(definition: &TaskDefinition, register: bool) -> Result<TaskDefinitionSpec> {
    let reservation = definition.reservation(&SizeOverrides::default())?;
    let ports = definition
        .container_definitions
        .iter()
        .flat_map(|c| &c.port_mappings)
        .map(|m| {
            let container_port = m.container_port.ok_or_else(|| {
                not_in_builder("port mappings without a containerPort (port ranges) cannot be edited in the builder")
            })?;
            let protocol = match m.protocol.as_deref() {
                None | Some("tcp") => Protocol::Tcp,
                Some("udp") => Protocol::Udp,
                Some(other) => {
                    return Err(not_in_builder(format!(
                        "the port mapping protocol `{other}` cannot be edited in the builder (tcp or udp)"
                    )));
                }
            };
            Ok(PortSpec {
                container_port,
                host_port: m.host_port.unwrap_or(0),
                protocol,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let image = match definition.container_definitions.as_slice() {
        [only] => only.image.clone(),
        _ => None,
    };
    Ok(TaskDefinitionSpec {
        family: definition.family.clone(),
        revision: None,
        register,
        network_mode: definition.network_mode()?.as_str().to_string(),
        cpu: reservation.cpu,
        memory: reservation.memory,
        ports,
        image,
    })
}

/// A definition the script registers must be one the builder registers the same way, as far as
/// placement goes: one container, no constraints, no GPUs, not Fargate-only, and no instance
/// attributes required beyond those of the builder's own definition. Details that do not
/// change placement (environment, command, task-level rather than container-level sizes,
/// `memoryReservation`, log settings without required attributes, tags) are not kept.
fn check_registered(definition: &TaskDefinition, spec: &TaskDefinitionSpec) -> Result<()> {
    let containers = definition.container_definitions.len();
    if containers != 1 {
        return Err(not_in_builder(format!(
            "a task definition with {containers} containers cannot be edited in the builder (it registers one container)"
        )));
    }
    if !definition.placement_constraints.is_empty() {
        return Err(not_in_builder(
            "task definition placement constraints cannot be edited in the builder (give them to run-task instead)",
        ));
    }
    if definition.is_fargate_only() {
        return Err(not_in_builder(
            "a task definition that requires FARGATE cannot be edited in the builder",
        ));
    }
    if definition.reservation(&SizeOverrides::default())?.gpus > 0 {
        return Err(not_in_builder(
            "GPU resource requirements cannot be edited in the builder",
        ));
    }
    let own = spec_definition(spec)?.derive_requires_attributes();
    let extra: Vec<String> = definition
        .derive_requires_attributes()
        .into_iter()
        .filter(|a| !own.contains(a))
        .collect();
    if !extra.is_empty() {
        return Err(not_in_builder(format!(
            "a task definition that requires the instance attributes {} (from its roles, volumes, logging, secrets or registry credentials) cannot be edited in the builder",
            extra.join(", ")
        )));
    }
    Ok(())
}

fn run_spec(request: Request, task_definition: TaskDefinitionSpec, invocation: &Invocation) -> Result<RunSpec> {
    let awsvpc = request.network_configuration.and_then(|n| n.awsvpc_configuration);
    let (subnets, security_groups, assign_public_ip) = match awsvpc {
        Some(config) => (config.subnets, config.security_groups, config.assign_public_ip),
        None => (Vec::new(), Vec::new(), None),
    };
    let constraints = request
        .placement_constraints
        .into_iter()
        .map(|c| match (c.kind.as_str(), c.expression) {
            ("memberOf", Some(expression)) => Ok(ConstraintSpec::MemberOf { expression }),
            ("distinctInstance", None) => Ok(ConstraintSpec::DistinctInstance),
            (other, _) => Err(Error::invalid_parameter(format!("unexpected constraint `{other}`"))),
        })
        .collect::<Result<Vec<_>>>()?;
    let strategies = request
        .placement_strategy
        .into_iter()
        .map(|s| match (s.kind.as_str(), s.field) {
            ("random", _) => Ok(StrategySpec::Random),
            ("binpack", Some(field)) => Ok(StrategySpec::Binpack { field }),
            ("spread", Some(field)) => Ok(StrategySpec::Spread { field }),
            (other, _) => Err(Error::invalid_parameter(format!("unexpected strategy `{other}`"))),
        })
        .collect::<Result<Vec<_>>>()?;
    let count = request.count.unwrap_or(1);
    Ok(RunSpec {
        task_definition,
        count: u32::try_from(count).map_err(|_| Error::invalid_parameter(format!("count {count}")))?,
        group: request.group,
        started_by: request.started_by,
        constraints,
        strategies,
        subnets,
        security_groups,
        assign_public_ip,
        cluster: invocation
            .request
            .get("cluster")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}
