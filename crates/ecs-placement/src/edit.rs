//! Cluster edits: the changes a user interface makes to a scenario directly, outside the AWS API
//! (add, clone and remove instances, change an instance's attributes, status or agent, stop a
//! task). Each edit follows the rules of the AWS operation it resembles where there is one
//! (`put-attributes`, `update-container-instances-state`, `stop-task`), changes nothing when it
//! fails, and leaves a scenario that saves and loads back unchanged. After every edit the service
//! scheduler settles the cluster (a drained instance's service tasks are replaced, a new instance
//! gets its daemons, ...).
//!
//! Instances are named by container instance ARN, container instance ID or EC2 instance ID;
//! tasks by ARN or ID. New instances get IDs derived from the scenario's seed, so the same edits
//! on the same scenario always create the same IDs.

use crate::Name;
use crate::aws::ops::{attributes, container_instances, tasks, validation};
use crate::catalog::{self, InstanceType};
use crate::cql::value::{compare_versions, parse_agent_version};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{ContainerInstance, InstanceStatus};
use crate::rng::{ec2_instance_id, hex_id};
use crate::scenario::Scenario;
use crate::service::{self, ReconcileOptions, SchedulerStep};
use crate::time::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Instances one `addInstances` edit may add.
pub const MAX_ADD: u32 = 100;
/// The agent version of new instances when the scenario has none to copy.
pub const DEFAULT_AGENT_VERSION: &str = "1.82.0";
/// When new instances registered if the scenario has no instance to date them by:
/// 2024-01-01T00:00:00Z.
pub const DEFAULT_REGISTERED_AT: Timestamp = Timestamp(1_704_067_200_000);
/// Mixed into the seed for container instance IDs (so they differ from task IDs).
const CONTAINER_INSTANCE_SALT: u64 = 0x6564_6974_2d63_6921;
/// Mixed into the seed for EC2 instance IDs.
const EC2_INSTANCE_SALT: u64 = 0x6564_6974_2d65_6332;

/// One change to a scenario. JSON: `{"type": "addInstances", "instanceType": "t2.micro",
/// "availabilityZone": "us-east-1a", "count": 2}`, `{"type": "setStatus", "instance":
/// "i-0a1b2c3d4e5f60001", "status": "DRAINING"}`, ... ([`ClusterEdit::from_json`] reads it with
/// errors that name the offending field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ClusterEdit {
    /// Registers `count` (1-100) new instances of a catalog type in a zone.
    AddInstances(AddInstances),
    /// Registers a copy of an instance (type, zone, attributes, resources) without its tasks.
    CloneInstance(InstanceRef),
    /// Removes an instance and every task on it.
    RemoveInstance(InstanceRef),
    /// Creates or overwrites an attribute, with `put-attributes`' rules.
    PutAttribute(PutAttribute),
    /// Deletes an attribute, with `delete-attributes`' rules.
    DeleteAttribute(DeleteAttribute),
    /// Sets the status to ACTIVE or DRAINING, with `update-container-instances-state`'s rules.
    SetStatus(SetStatus),
    /// Connects or disconnects the instance's agent.
    SetAgentConnected(SetAgentConnected),
    /// Stops a task as `stop-task` does: its resources go back, the task stays as STOPPED.
    StopTask(StopTask),
}

/// The `type` of each [`ClusterEdit`], as JSON spells it.
pub const EDIT_TYPES: [&str; 8] = [
    "addInstances",
    "cloneInstance",
    "removeInstance",
    "putAttribute",
    "deleteAttribute",
    "setStatus",
    "setAgentConnected",
    "stopTask",
];

/// [`ClusterEdit::AddInstances`]: `{instanceType, availabilityZone, count}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddInstances {
    /// A type of the catalog ([`crate::catalog::all`]).
    pub instance_type: String,
    /// The zone (`ecs.availability-zone`).
    pub availability_zone: String,
    /// How many (1-100).
    pub count: u32,
}

/// [`ClusterEdit::CloneInstance`] and [`ClusterEdit::RemoveInstance`]: `{instance}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceRef {
    /// The instance: container instance ARN or ID, or EC2 instance ID.
    pub instance: String,
}

/// [`ClusterEdit::PutAttribute`]: `{instance, name, value?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PutAttribute {
    /// The instance.
    pub instance: String,
    /// The attribute name.
    pub name: String,
    /// Its value; none for an attribute without one (like a capability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// [`ClusterEdit::DeleteAttribute`]: `{instance, name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteAttribute {
    /// The instance.
    pub instance: String,
    /// The attribute name.
    pub name: String,
}

/// [`ClusterEdit::SetStatus`]: `{instance, status}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetStatus {
    /// The instance.
    pub instance: String,
    /// `ACTIVE` or `DRAINING`.
    pub status: InstanceStatus,
}

/// [`ClusterEdit::SetAgentConnected`]: `{instance, connected}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetAgentConnected {
    /// The instance.
    pub instance: String,
    /// Whether the agent is connected.
    pub connected: bool,
}

/// [`ClusterEdit::StopTask`]: `{task, reason?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StopTask {
    /// The task (ARN or ID).
    pub task: String,
    /// Why (`stoppedReason`); "Task stopped by user" when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ClusterEdit {
    /// Reads an edit from JSON text; see [`ClusterEdit::from_value`].
    pub fn from_json(text: &str) -> Result<ClusterEdit> {
        Self::from_value(crate::json::parse_named(text, "the cluster edit")?)
    }

    /// Reads an edit from JSON; errors name the offending field (`count`, `status`, ...).
    pub fn from_value(value: Value) -> Result<ClusterEdit> {
        let Value::Object(mut object) = value else {
            return Err(Error::invalid_input(
                "a cluster edit is a JSON object with a `type` and its fields",
            ));
        };
        let kind = match object.remove("type") {
            Some(Value::String(kind)) => kind,
            _ => return Err(unknown_type("a cluster edit needs a `type`")),
        };
        let fields = Value::Object(object);
        match kind.as_str() {
            "addInstances" => fields_of(fields).map(ClusterEdit::AddInstances),
            "cloneInstance" => fields_of(fields).map(ClusterEdit::CloneInstance),
            "removeInstance" => fields_of(fields).map(ClusterEdit::RemoveInstance),
            "putAttribute" => fields_of(fields).map(ClusterEdit::PutAttribute),
            "deleteAttribute" => fields_of(fields).map(ClusterEdit::DeleteAttribute),
            "setStatus" => fields_of(fields).map(ClusterEdit::SetStatus),
            "setAgentConnected" => fields_of(fields).map(ClusterEdit::SetAgentConnected),
            "stopTask" => fields_of(fields).map(ClusterEdit::StopTask),
            other => {
                let suggestion = crate::similar::closest(other, EDIT_TYPES)
                    .map(|close| format!(" (did you mean `{close}`?)"))
                    .unwrap_or_default();
                Err(unknown_type(&format!(
                    "unknown cluster edit type `{other}`{suggestion}"
                )))
            }
        }
    }
}

fn unknown_type(message: &str) -> Error {
    Error::invalid_input(format!("{message}; the types are {}", EDIT_TYPES.join(", "))).at_path("type")
}

/// The fields of an edit, with the path of the offending one on error.
fn fields_of<T: DeserializeOwned>(fields: Value) -> Result<T> {
    crate::json::typed::from_value(fields)
        .map_err(|e| Error::invalid_input(format!("invalid cluster edit: {}", e.message)).at_path(e.path))
}

/// What an edit did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditOutcome {
    /// One plain sentence: "Added 2 t2.micro instances in us-east-1a".
    pub summary: String,
    /// The container instance ARNs the edit created, changed or removed.
    pub instances: Vec<String>,
    /// Notes, as the AWS operation the edit resembles gives them (an attribute named with a
    /// prefix ECS reserves, a zone outside the cluster's region).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// What the service scheduler did after the edit (the same steps as a command's
    /// `scheduler`): an edit can drain a service's instance, add room or remove its tasks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scheduler: Vec<SchedulerStep>,
}

impl EditOutcome {
    fn new(summary: String, instances: Vec<String>) -> Self {
        EditOutcome {
            summary,
            instances,
            warnings: Vec::new(),
            scheduler: Vec::new(),
        }
    }

    fn with_warnings(mut self, warnings: Vec<String>) -> Self {
        self.warnings = warnings;
        self
    }
}

/// Applies an edit, then lets the service scheduler settle the cluster (its steps are the
/// outcome's `scheduler`). On error (an unknown instance or task, an invalid name or value, a
/// limit) the scenario is unchanged and the error names the offending field.
pub fn apply(scenario: &mut Scenario, edit: &ClusterEdit) -> Result<EditOutcome> {
    apply_with(scenario, edit, ReconcileOptions::default())
}

/// [`apply`] with the scheduler's placements explained as `options` says.
pub fn apply_with(scenario: &mut Scenario, edit: &ClusterEdit, options: ReconcileOptions) -> Result<EditOutcome> {
    let mut outcome = apply_edit(scenario, edit)?;
    outcome.scheduler = service::reconcile(scenario, options);
    Ok(outcome)
}

/// The full explanation of task `attempt` (1-based) of the scheduler's placement step `step`
/// after an edit, given the scenario the edit started from (the same scenario, seed and edit
/// take the same steps, decision D18).
pub fn explain_task(
    scenario: &Scenario,
    edit: &ClusterEdit,
    step: usize,
    attempt: usize,
) -> Result<crate::engine::PlacementExplanation> {
    let position = attempt
        .checked_sub(1)
        .ok_or_else(|| Error::invalid_input("tasks are numbered from 1"))?;
    let options = ReconcileOptions {
        explain: crate::engine::Explain::Task(position),
        step: Some(step),
    };
    let outcome = apply_with(&mut scenario.clone(), edit, options)?;
    match outcome.scheduler.get(step) {
        Some(SchedulerStep::Placement(placement)) => placement
            .explanation
            .clone()
            .filter(|e| !e.tasks.is_empty())
            .ok_or_else(|| Error::invalid_input(format!("the placement attempted fewer than {attempt} tasks"))),
        _ => Err(Error::invalid_input(format!(
            "scheduler step {step} after the edit is not a placement"
        ))),
    }
}

fn apply_edit(scenario: &mut Scenario, edit: &ClusterEdit) -> Result<EditOutcome> {
    match edit {
        ClusterEdit::AddInstances(add) => add_instances(scenario, add),
        ClusterEdit::CloneInstance(target) => clone_instance(scenario, &target.instance),
        ClusterEdit::RemoveInstance(target) => remove_instance(scenario, &target.instance),
        ClusterEdit::PutAttribute(put) => put_attribute(scenario, put),
        ClusterEdit::DeleteAttribute(delete) => delete_attribute(scenario, &delete.instance, &delete.name),
        ClusterEdit::SetStatus(set) => set_status(scenario, &set.instance, set.status),
        ClusterEdit::SetAgentConnected(set) => set_agent_connected(scenario, &set.instance, set.connected),
        ClusterEdit::StopTask(stop) => stop_task(scenario, &stop.task, stop.reason.as_deref()),
    }
}

fn add_instances(scenario: &mut Scenario, add: &AddInstances) -> Result<EditOutcome> {
    let (instance_type, zone, count) = (add.instance_type.as_str(), add.availability_zone.as_str(), add.count);
    let kind = catalog_type(instance_type)?;
    check_zone(zone)?;
    if !(1..=MAX_ADD).contains(&count) {
        return Err(
            Error::invalid_parameter(format!("count must be between 1 and {MAX_ADD}; {count} was given"))
                .at_path("count"),
        );
    }
    let template = new_instance(scenario, kind, zone);
    let mut ids = IdSource::new(scenario);
    let added: Vec<ContainerInstance> = (0..count)
        .map(|_| with_fresh_ids(scenario, &template, &mut ids))
        .collect();
    let arns = added.iter().map(|i| i.container_instance_arn.to_string()).collect();
    let position = zone_end(scenario, zone);
    scenario.instances.splice(position..position, added);
    let plural = if count == 1 { "instance" } else { "instances" };
    let summary = format!("Added {count} {instance_type} {plural} in {zone}");
    Ok(EditOutcome::new(summary, arns).with_warnings(zone_warning(scenario, zone)))
}

fn clone_instance(scenario: &mut Scenario, reference: &str) -> Result<EditOutcome> {
    let index = instance_at(scenario, reference)?;
    let original = scenario
        .instances
        .get(index)
        .cloned()
        .ok_or_else(|| unknown(reference))?;
    let template = ContainerInstance {
        status: InstanceStatus::Active,
        agent_connected: true,
        registered_at: registration_time(scenario),
        untracked_running_tasks: 0,
        version: crate::model::FIRST_VERSION,
        ..original.clone()
    };
    let clone = with_fresh_ids(scenario, &template, &mut IdSource::new(scenario));
    let summary = format!("Cloned instance {} as {}", original.short_id(), clone.short_id());
    let arn = clone.container_instance_arn.clone();
    scenario.instances.insert(index + 1, clone);
    Ok(EditOutcome::new(summary, vec![arn.to_string()]))
}

fn remove_instance(scenario: &mut Scenario, reference: &str) -> Result<EditOutcome> {
    let index = instance_at(scenario, reference)?;
    let arn = scenario.instances.remove(index).container_instance_arn;
    let before = scenario.tasks.len();
    scenario.tasks.retain(|t| t.container_instance_arn != arn);
    let removed = before - scenario.tasks.len();
    let id = crate::model::short_id(&arn);
    let summary = match removed {
        0 => format!("Removed instance {id}; no tasks were on it"),
        1 => format!("Removed instance {id} and the 1 task on it"),
        n => format!("Removed instance {id} and the {n} tasks on it"),
    };
    Ok(EditOutcome::new(summary, vec![arn.to_string()]))
}

fn put_attribute(scenario: &mut Scenario, put: &PutAttribute) -> Result<EditOutcome> {
    let (reference, name, value) = (put.instance.as_str(), put.name.as_str(), put.value.as_deref());
    let index = instance_at(scenario, reference)?;
    let warnings = attributes::put_attribute(scenario, index, name, value).map_err(attribute_error)?;
    let (id, arn) = names(scenario, index);
    let shown = value.map_or_else(|| format!("{name} (no value)"), |v| format!("{name}={v}"));
    Ok(EditOutcome::new(format!("Set attribute {shown} on instance {id}"), vec![arn]).with_warnings(warnings))
}

fn delete_attribute(scenario: &mut Scenario, reference: &str, name: &str) -> Result<EditOutcome> {
    let index = instance_at(scenario, reference)?;
    let had = scenario
        .instances
        .get(index)
        .is_some_and(|i| i.attributes.contains_key(name));
    let warnings = attributes::delete_attribute(scenario, index, name).map_err(attribute_error)?;
    let (id, arn) = names(scenario, index);
    let summary = if had {
        format!("Deleted attribute {name} from instance {id}")
    } else {
        format!("Instance {id} has no attribute {name}; nothing changed")
    };
    Ok(EditOutcome::new(summary, vec![arn]).with_warnings(warnings))
}

fn set_status(scenario: &mut Scenario, reference: &str, status: InstanceStatus) -> Result<EditOutcome> {
    let index = instance_at(scenario, reference)?;
    container_instances::update_instance_status(scenario, index, status).map_err(|e| e.at_path("status"))?;
    let (id, arn) = names(scenario, index);
    Ok(EditOutcome::new(
        format!("Set instance {id} to {}", status.as_str()),
        vec![arn],
    ))
}

fn set_agent_connected(scenario: &mut Scenario, reference: &str, connected: bool) -> Result<EditOutcome> {
    let index = instance_at(scenario, reference)?;
    if let Some(instance) = scenario.instances.get_mut(index) {
        instance.agent_connected = connected;
    }
    let (id, arn) = names(scenario, index);
    let verb = if connected { "Connected" } else { "Disconnected" };
    Ok(EditOutcome::new(
        format!("{verb} the agent of instance {id}"),
        vec![arn],
    ))
}

fn stop_task(scenario: &mut Scenario, reference: &str, reason: Option<&str>) -> Result<EditOutcome> {
    let not_found = || {
        Error::invalid_parameter(format!("the cluster has no task `{reference}` (give its ARN or ID)")).at_path("task")
    };
    let index = validation::task_index(scenario, reference).ok_or_else(not_found)?;
    let (task, stopped) = tasks::stop_task(scenario, index, reason).ok_or_else(not_found)?;
    let on = match task.fargate() {
        Some(fargate) => format!("Fargate in {}", fargate.availability_zone),
        None => format!("instance {}", crate::model::short_id(&task.container_instance_arn)),
    };
    let summary = if stopped {
        format!("Stopped task {} on {on}", task.short_id())
    } else {
        format!("Task {} was already stopped; nothing changed", task.short_id())
    };
    // A Fargate task changes no instance.
    let instances = if task.is_fargate() {
        Vec::new()
    } else {
        vec![task.container_instance_arn.to_string()]
    };
    Ok(EditOutcome::new(summary, instances))
}

/// The index of the instance a reference (ARN, ID or EC2 instance ID) names.
fn instance_at(scenario: &Scenario, reference: &str) -> Result<usize> {
    (!reference.is_empty())
        .then(|| scenario.instance_index(reference))
        .flatten()
        .ok_or_else(|| unknown(reference))
}

fn unknown(reference: &str) -> Error {
    Error::invalid_parameter(format!(
        "the cluster has no container instance `{reference}` (give its ARN, its ID or its EC2 instance ID)"
    ))
    .at_path("instance")
}

/// The short ID and ARN of the instance at `index`.
fn names(scenario: &Scenario, index: usize) -> (String, String) {
    scenario.instances.get(index).map_or_else(Default::default, |i| {
        (i.short_id().to_string(), i.container_instance_arn.to_string())
    })
}

/// Attribute errors point at `value` (an invalid value) or `name` (an invalid name, or one
/// custom attribute too many).
fn attribute_error(error: Error) -> Error {
    let field = if error.kind == ErrorKind::InvalidParameter && error.message.starts_with("invalid value") {
        "value"
    } else {
        "name"
    };
    error.at_path(field)
}

/// The catalog type `name`; an unknown one is an error with the closest name and the sizes of
/// its family (or the whole catalog).
fn catalog_type(name: &str) -> Result<&'static InstanceType> {
    catalog::lookup(name).ok_or_else(|| {
        let names = catalog::all().iter().map(|t| t.name);
        let suggestion = crate::similar::closest(name, names)
            .map(|close| format!(" (did you mean `{close}`?)"))
            .unwrap_or_default();
        let family = name.split('.').next().unwrap_or(name);
        let sizes: Vec<&str> = catalog::all()
            .iter()
            .map(|t| t.name)
            .filter(|t| t.split('.').next() == Some(family))
            .collect();
        let known = if sizes.is_empty() {
            let all: Vec<&str> = catalog::all().iter().map(|t| t.name).collect();
            format!("the catalog has {}", all.join(", "))
        } else {
            format!("the catalog's {family} sizes are {}", sizes.join(", "))
        };
        Error::invalid_parameter(format!("unknown instance type `{name}`{suggestion}; {known}")).at_path("instanceType")
    })
}

/// A zone is an attribute value (`ecs.availability-zone`).
fn check_zone(zone: &str) -> Result<()> {
    attributes::check_value(zone, "availabilityZone").map_err(|e| e.at_path("availabilityZone"))
}

fn zone_warning(scenario: &Scenario, zone: &str) -> Vec<String> {
    let region = &scenario.cluster.region;
    if zone.starts_with(region.as_str()) {
        return Vec::new();
    }
    vec![format!(
        "availability zone {zone} is not in the cluster's region {region}"
    )]
}

/// Where new instances of a zone go: after the zone's last instance, else at the end.
fn zone_end(scenario: &Scenario, zone: &str) -> usize {
    scenario
        .instances
        .iter()
        .rposition(|i| i.availability_zone() == Some(zone))
        .map_or(scenario.instances.len(), |last| last + 1)
}

/// A new instance of `kind` in `zone` (IDs and resources are set per copy).
fn new_instance(scenario: &Scenario, kind: &InstanceType, zone: &str) -> ContainerInstance {
    ContainerInstance {
        container_instance_arn: Name::default(),
        ec2_instance_id: Name::default(),
        status: InstanceStatus::Active,
        agent_connected: true,
        agent_version: newest_agent_version(scenario),
        registered_at: registration_time(scenario),
        registered_resources: Some(kind.registered_resources("").into()),
        remaining_resources: None,
        attributes: new_attributes(scenario, kind, zone).into(),
        task_eni_limit: None,
        untracked_running_tasks: 0,
        version: crate::model::FIRST_VERSION,
    }
}

/// A copy of `template` with fresh IDs, its GPUs renamed after it and nothing allocated.
fn with_fresh_ids(scenario: &Scenario, template: &ContainerInstance, ids: &mut IdSource) -> ContainerInstance {
    let (id, ec2_instance_id) = ids.next();
    let mut registered = template.registered().clone();
    registered.gpus = (0..registered.gpus.len())
        .map(|g| catalog::gpu_id(&id, u32::try_from(g).unwrap_or(u32::MAX)))
        .collect();
    ContainerInstance {
        container_instance_arn: scenario.cluster.resource_arn("container-instance", &id).into(),
        ec2_instance_id: ec2_instance_id.into(),
        remaining_resources: Some(registered.clone()),
        registered_resources: Some(registered.into()),
        ..template.clone()
    }
}

/// The attributes ECS would give a new Linux instance of `kind` in `zone`, with the AMI,
/// network and capabilities of the scenario's other instances.
fn new_attributes(scenario: &Scenario, kind: &InstanceType, zone: &str) -> BTreeMap<String, Option<String>> {
    let mut attributes: BTreeMap<String, Option<String>> =
        crate::order::map_of(common_capabilities(scenario).into_iter().map(|name| (name, None)));
    let mut set = |name: &str, value: &str| {
        attributes.insert(name.to_string(), Some(value.to_string()));
    };
    set("ecs.instance-type", kind.name);
    set("ecs.availability-zone", zone);
    set("ecs.os-type", "linux");
    set("ecs.os-family", "LINUX");
    set("ecs.cpu-architecture", kind.cpu_architecture());
    if let Some(ami) = first_value(scenario, "ecs.ami-id") {
        set("ecs.ami-id", &ami);
    }
    let (vpc, subnet) = zone_network(scenario, zone);
    if let Some(vpc) = vpc {
        set("ecs.vpc-id", &vpc);
    }
    if let Some(subnet) = subnet {
        set("ecs.subnet-id", &subnet);
    }
    attributes
}

/// Attributes without a value under the prefixes ECS reserves (capabilities) that at least
/// half of the scenario's instances have.
fn common_capabilities(scenario: &Scenario) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for instance in &scenario.instances {
        for (name, value) in &instance.attributes {
            if !attributes::is_custom(name) && value.is_none() {
                *counts.entry(name.as_str()).or_default() += 1;
            }
        }
    }
    let total = scenario.instances.len();
    counts
        .into_iter()
        .filter(|(_, count)| count * 2 >= total)
        .map(|(name, _)| name.to_string())
        .collect()
}

fn first_value(scenario: &Scenario, name: &str) -> Option<String> {
    scenario
        .instances
        .iter()
        .find_map(|i| i.attribute(name).flatten())
        .map(str::to_string)
}

/// The VPC and subnet of an instance in `zone` that has a subnet, else of a listed subnet there.
fn zone_network(scenario: &Scenario, zone: &str) -> (Option<String>, Option<String>) {
    let instance = scenario
        .instances
        .iter()
        .filter(|i| i.availability_zone() == Some(zone))
        .find(|i| i.attribute("ecs.subnet-id").flatten().is_some());
    if let Some(instance) = instance {
        let value = |name: &str| instance.attribute(name).flatten().map(str::to_string);
        return (value("ecs.vpc-id"), value("ecs.subnet-id"));
    }
    scenario
        .subnets
        .iter()
        .find(|s| s.availability_zone == zone)
        .map_or((None, None), |s| (s.vpc_id.clone(), Some(s.subnet_id.clone())))
}

/// The newest agent version among the scenario's instances.
fn newest_agent_version(scenario: &Scenario) -> Name {
    scenario
        .instances
        .iter()
        .filter_map(|i| Some((parse_agent_version(&i.agent_version)?, &i.agent_version)))
        .max_by(|(a, _), (b, _)| compare_versions(a, b))
        .map_or_else(|| DEFAULT_AGENT_VERSION.into(), |(_, text)| text.clone())
}

/// New instances register at the latest registration time of the scenario (a fixed instant,
/// so edits are reproducible), or [`DEFAULT_REGISTERED_AT`].
fn registration_time(scenario: &Scenario) -> Timestamp {
    scenario
        .instances
        .iter()
        .map(|i| i.registered_at)
        .max()
        .unwrap_or(DEFAULT_REGISTERED_AT)
}

/// Container instance and EC2 instance IDs derived from the scenario's seed and a counter,
/// skipping IDs the scenario already has.
struct IdSource {
    seed: u64,
    counter: u64,
    /// A `BTreeSet` (a set type the module has) of the IDs in use.
    taken: BTreeSet<String>,
}

impl IdSource {
    fn new(scenario: &Scenario) -> Self {
        let taken = crate::order::set_of(
            scenario
                .instances
                .iter()
                .flat_map(|i| [i.short_id().to_string(), i.ec2_instance_id.to_string()]),
        );
        IdSource {
            seed: scenario.seed.unwrap_or(0),
            counter: 0,
            taken,
        }
    }

    /// The next free (container instance ID, EC2 instance ID) pair.
    fn next(&mut self) -> (String, String) {
        loop {
            let counter = self.counter;
            self.counter += 1;
            let id = hex_id(self.seed ^ CONTAINER_INSTANCE_SALT, counter);
            let ec2 = ec2_instance_id(self.seed ^ EC2_INSTANCE_SALT, counter);
            if !self.taken.contains(&id) && !self.taken.contains(&ec2) {
                self.taken.insert(id.clone());
                self.taken.insert(ec2.clone());
                return (id, ec2);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_registration_time_is_2024() {
        assert_eq!(DEFAULT_REGISTERED_AT.to_string(), "2024-01-01T00:00:00Z");
    }

    #[test]
    fn ids_are_fresh_and_reproducible() {
        let scenario = crate::presets::sample().unwrap();
        let mut a = IdSource::new(&scenario);
        let mut b = IdSource::new(&scenario);
        let first = a.next();
        assert_eq!(first, b.next());
        assert_ne!(first, a.next());
        assert_eq!(first.0.len(), 32);
        assert_eq!(first.1.len(), 19);
        assert!(first.1.starts_with("i-"));
    }

    #[test]
    fn new_instances_have_nothing_allocated() {
        let scenario = crate::presets::sample().unwrap();
        let kind = catalog::lookup("g2.2xlarge").unwrap();
        let template = new_instance(&scenario, kind, "us-east-1a");
        let instance = with_fresh_ids(&scenario, &template, &mut IdSource::new(&scenario));
        assert_eq!(instance.remaining_resources.as_ref(), Some(instance.registered()));
        assert_eq!(*instance.registered().gpus, [format!("GPU-{}-0", instance.short_id())]);
    }
}
