//! The versioned scenario file: a cluster's instances and tasks, plus the seed that makes every
//! random choice reproducible. The same JSON is what the CLI reads and writes, what share links
//! and presets hold, and what crosses the WebAssembly boundary.
//!
//! The format is documented in `docs/scenario-format.md`.

use crate::Name;
use crate::catalog;
use crate::cql::parser::{MAX_ATTRIBUTE_NAME, is_attribute_name_char};
use crate::error::{Error, Result};
use crate::model::{ContainerInstance, MAX_UNITS, Resources, Task};
use crate::service::Service;
use crate::taskdef::TaskDefinition;
use crate::time::Timestamp;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The scenario format version this crate writes for scenarios with services or a clock
/// (version 2). Scenarios without them keep the version they were read with, so version-1 files
/// save unchanged.
pub const SCENARIO_VERSION: u32 = 2;
/// The oldest scenario format version this crate reads.
pub const OLDEST_SCENARIO_VERSION: u32 = 1;

/// The largest seed: 2^53 - 1, the largest whole number a JavaScript number holds exactly (the
/// page passes seeds as numbers), so every seed the CLI writes replays in the page.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// Attribute values: 1-128 characters (AWS, spec §7.4).
pub const MAX_ATTRIBUTE_VALUE: usize = 128;

/// A seed: a whole number. A JavaScript number past 2^53 arrives as a float; it is read (as a
/// whole number) so that [`check_seed`] can say what is wrong with it.
fn seed_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Option<u64>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
            (Some(seed), _) => Ok(Some(seed)),
            (None, Some(f)) if f.is_finite() && f >= 0.0 && f.fract() == 0.0 => Ok(Some(f as u64)),
            _ => Err(serde::de::Error::custom(format!(
                "the seed must be a whole number from 0 to {MAX_SEED}, not {n}"
            ))),
        },
        Some(other) => {
            let other = crate::json::text::compact(&other);
            Err(serde::de::Error::custom(format!(
                "the seed must be a whole number from 0 to {MAX_SEED}, not {other}"
            )))
        }
    }
}

/// Checks a seed against [`MAX_SEED`].
pub fn check_seed(seed: u64) -> Result<u64> {
    if seed > MAX_SEED {
        return Err(Error::invalid_input(format!(
            "the seed {seed} is above {MAX_SEED} (2^53 - 1), the largest whole number a JavaScript number holds exactly, so the page could not replay it: use a seed from 0 to {MAX_SEED}"
        )));
    }
    Ok(seed)
}

/// A cluster to simulate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// Format version: 1, or 2 when the scenario has services or a clock.
    pub version: u32,
    /// Seed of every random choice (decision D18), 0 to [`MAX_SEED`]. Drawn and recorded when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "seed_number")]
    pub seed: Option<u64>,
    /// The cluster's identity (used to build and check ARNs).
    #[serde(default)]
    pub cluster: ClusterInfo,
    /// Subnets and their Availability Zones (for awsvpc `--network-configuration`); subnets
    /// named by instances' `ecs.subnet-id` attributes are located without being listed here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Subnet>,
    /// Container instances, in display order.
    #[serde(default)]
    pub instances: Vec<ContainerInstance>,
    /// Tasks on those instances.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// Registered task definitions (as `register-task-definition` input or
    /// `describe-task-definition` output).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub task_definitions: Vec<TaskDefinition>,
    /// Services (version 2), in creation order; their tasks are the tasks of group
    /// `service:<name>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
    /// The simulated clock (version 2): when the scheduler last acted. Service events and
    /// creation times are read from it; it starts when the first service is created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<Timestamp>,
}

/// A subnet of the cluster's VPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subnet {
    /// `subnet-...`.
    pub subnet_id: String,
    /// Its Availability Zone.
    pub availability_zone: String,
    /// Its VPC, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
}

/// Name, region and account of the simulated cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterInfo {
    /// Cluster name (`default` unless set).
    #[serde(default = "default_cluster_name")]
    pub name: String,
    /// AWS Region used in ARNs.
    #[serde(default = "default_region")]
    pub region: String,
    /// AWS account ID used in ARNs.
    #[serde(default = "default_account")]
    pub account_id: String,
}

fn default_cluster_name() -> String {
    "default".into()
}

fn default_region() -> String {
    "us-east-1".into()
}

fn default_account() -> String {
    "123456789012".into()
}

impl Default for ClusterInfo {
    fn default() -> Self {
        ClusterInfo {
            name: default_cluster_name(),
            region: default_region(),
            account_id: default_account(),
        }
    }
}

impl ClusterInfo {
    /// `arn:aws:ecs:<region>:<account>:cluster/<name>`.
    pub fn arn(&self) -> String {
        format!("{}cluster/{}", self.arn_prefix(), self.name)
    }

    /// `arn:aws:ecs:<region>:<account>:`.
    pub fn arn_prefix(&self) -> String {
        format!("arn:aws:ecs:{}:{}:", self.region, self.account_id)
    }

    /// The ARN of a resource of `kind` (`container-instance`, `task`) with a short `id`.
    pub fn resource_arn(&self, kind: &str, id: &str) -> String {
        format!("{}{kind}/{}/{id}", self.arn_prefix(), self.name)
    }

    /// True when `name_or_arn` names this cluster (`--cluster` accepts either).
    pub fn matches(&self, name_or_arn: &str) -> bool {
        name_or_arn == self.name || name_or_arn == self.arn()
    }
}

impl Scenario {
    /// An empty scenario for a cluster (format version 1 until it gets services or a clock).
    pub fn new(cluster: ClusterInfo) -> Self {
        Scenario {
            version: OLDEST_SCENARIO_VERSION,
            seed: None,
            cluster,
            subnets: Vec::new(),
            instances: Vec::new(),
            tasks: Vec::new(),
            task_definitions: Vec::new(),
            services: Vec::new(),
            clock: None,
        }
    }

    /// Reads a scenario from JSON, checks it, expands short IDs to ARNs and computes remaining
    /// resources where they are absent. Errors name the JSON path of the problem.
    pub fn from_json(text: &str) -> Result<Scenario> {
        Self::from_value(crate::json::parse_named(text, "the scenario")?)
    }

    /// Like [`Scenario::from_json`], from an already parsed JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Scenario> {
        check_shape(&value)?;
        let scenario: Scenario = crate::json::typed::from_value(value)
            .map_err(|e| Error::invalid_input(format!("invalid scenario: {}", e.message)).at_path(e.path))?;
        scenario.normalized()
    }

    /// Checks the scenario and fills in what can be derived (ARNs, remaining resources).
    pub fn normalized(mut self) -> Result<Scenario> {
        self.check_version()?;
        if let Some(seed) = self.seed {
            check_seed(seed).map_err(|e| e.at_path("seed"))?;
        }
        self.expand_arns();
        self.fill_registered_from_catalog()?;
        self.check_instances()?;
        crate::model::share_equal_values(&mut self.instances);
        self.check_tasks()?;
        self.check_holdings()?;
        self.compute_remaining()?;
        self.normalize_task_definitions()?;
        crate::service::normalize_services(&mut self)?;
        Ok(self)
    }

    /// Versions 1 and 2 are read; services and the clock need version 2.
    fn check_version(&self) -> Result<()> {
        if !(OLDEST_SCENARIO_VERSION..=SCENARIO_VERSION).contains(&self.version) {
            return Err(Error::invalid_input(format!(
                "unsupported scenario version {} (this playground reads versions {OLDEST_SCENARIO_VERSION} and {SCENARIO_VERSION})",
                self.version
            ))
            .at_path("version"));
        }
        if self.version < SCENARIO_VERSION && (!self.services.is_empty() || self.clock.is_some()) {
            let path = if self.services.is_empty() { "clock" } else { "services" };
            return Err(Error::invalid_input(format!(
                "`services` and `clock` are part of scenario format version {SCENARIO_VERSION}; set \"version\": {SCENARIO_VERSION}"
            ))
            .at_path(path));
        }
        Ok(())
    }

    /// Raises the format version to [`SCENARIO_VERSION`] once the scenario has services or a
    /// clock (called by the service scheduler when it records either).
    pub fn upgrade_version(&mut self) {
        if !self.services.is_empty() || self.clock.is_some() {
            self.version = self.version.max(SCENARIO_VERSION);
        }
    }

    /// Pretty JSON with the AWS CLI's 4-space indentation.
    pub fn to_json_pretty(&self) -> String {
        crate::json::to_pretty(self)
    }

    fn expand_arns(&mut self) {
        let cluster = self.cluster.clone();
        let expand = |kind: &str, id: &mut Name| {
            if !id.starts_with("arn:") {
                *id = cluster.resource_arn(kind, id).into();
            }
        };
        for instance in &mut self.instances {
            expand("container-instance", &mut instance.container_instance_arn);
        }
        for task in &mut self.tasks {
            if !task.task_arn.starts_with("arn:") {
                task.task_arn = cluster.resource_arn("task", &task.task_arn).into();
            }
            if !task.is_fargate() {
                expand("container-instance", &mut task.container_instance_arn);
            }
        }
    }

    /// Instances that only name their type get the catalog's CPU, memory and GPUs.
    fn fill_registered_from_catalog(&mut self) -> Result<()> {
        for (index, instance) in self.instances.iter_mut().enumerate() {
            if instance.registered_resources.is_some() {
                continue;
            }
            let Some(kind) = instance.instance_type().and_then(catalog::lookup) else {
                let named = instance.instance_type().map_or_else(
                    || "it has no `ecs.instance-type` attribute".to_string(),
                    |t| format!("its type `{t}` is not in the catalog"),
                );
                return Err(Error::invalid_input(format!(
                    "instance `{}` has no registeredResources and {named}",
                    instance.short_id()
                ))
                .at_path(format!("instances[{index}].registeredResources")));
            };
            instance.registered_resources = Some(kind.registered_resources(instance.short_id()).into());
        }
        Ok(())
    }

    /// Task definitions get a revision, an ARN, a status and their derived attributes.
    fn normalize_task_definitions(&mut self) -> Result<()> {
        let prefix = self.cluster.arn_prefix();
        let mut revisions: HashMap<String, u32> = HashMap::default();
        let mut seen: HashMap<String, usize> = HashMap::default();
        for (index, definition) in self.task_definitions.iter_mut().enumerate() {
            let at = |e: Error| e.at_path(format!("taskDefinitions[{index}]"));
            definition
                .validate_for_registration()
                .map_err(|e| at(Error::invalid_input(e.message)))?;
            let next = revisions.entry(definition.family.clone()).or_insert(0);
            let revision = match definition.revision {
                Some(revision) => crate::taskdef::check_revision(revision),
                None => crate::taskdef::next_revision(*next),
            }
            .map_err(|e| Error::invalid_input(e.message).at_path(format!("taskDefinitions[{index}].revision")))?;
            *next = (*next).max(revision);
            definition.revision = Some(revision);
            let arn = format!("{prefix}task-definition/{}:{revision}", definition.family);
            let arn = definition.task_definition_arn.get_or_insert(arn).clone();
            for key in [definition.family_revision(), arn] {
                if let Some(first) = seen.insert(key.clone(), index) {
                    return Err(Error::invalid_input(format!(
                        "task definition `{key}` is registered twice (also taskDefinitions[{first}]): give each revision once"
                    ))
                    .at_path(format!("taskDefinitions[{index}]")));
                }
            }
            definition.status.get_or_insert_with(|| "ACTIVE".to_string());
            if definition.requires_attributes.is_empty() {
                definition.requires_attributes = definition
                    .derive_requires_attributes()
                    .into_iter()
                    .map(|name| crate::taskdef::RequiredAttribute { name, value: None })
                    .collect();
            }
            if definition.compatibilities.is_empty() {
                definition.compatibilities = crate::taskdef::compatibilities(definition);
            }
        }
        Ok(())
    }

    fn check_instances(&self) -> Result<()> {
        let mut seen = HashMap::default();
        for (index, instance) in self.instances.iter().enumerate() {
            let path = |field: &str| format!("instances[{index}]{field}");
            if instance.short_id().is_empty() {
                return Err(Error::invalid_input(
                    "the container instance has no ID: give `containerInstanceArn` an ARN or a short ID",
                )
                .at_path(path(".containerInstanceArn")));
            }
            if let Some(first) = seen.insert(instance.container_instance_arn.as_str(), index) {
                return Err(Error::invalid_input(format!(
                    "duplicate container instance `{}` (also instances[{first}])",
                    instance.container_instance_arn
                ))
                .at_path(path(".containerInstanceArn")));
            }
            check_resources(instance.registered()).map_err(|e| e.at_path(path(".registeredResources")))?;
            if let Some(remaining) = &instance.remaining_resources {
                check_resources(remaining).map_err(|e| e.at_path(path(".remainingResources")))?;
            }
            for (name, value) in &instance.attributes {
                let at = |e: Error| e.at_path(path(&format!(".attributes[\"{name}\"]")));
                check_attribute_name(name).map_err(at)?;
                check_attribute_value(name, value.as_deref()).map_err(at)?;
            }
        }
        Ok(())
    }

    /// Tasks: unique non-empty ARNs, on one of the scenario's instances (named by its ARN from
    /// then on) or on Fargate (no instance, a zone), with CPU and memory between 0 and
    /// [`MAX_UNITS`].
    fn check_tasks(&mut self) -> Result<()> {
        let arns = instance_indexes(&self.instances);
        let mut seen: HashMap<Name, usize> = HashMap::default();
        for index in 0..self.tasks.len() {
            let path = |field: &str| format!("tasks[{index}]{field}");
            let Some(task) = self.tasks.get(index) else { continue };
            if task.short_id().is_empty() {
                return Err(
                    Error::invalid_input("the task has no ID: give `taskArn` an ARN or a short ID")
                        .at_path(path(".taskArn")),
                );
            }
            if let Some(first) = seen.insert(task.task_arn.to_name(), index) {
                return Err(
                    Error::invalid_input(format!("duplicate task `{}` (also tasks[{first}])", task.task_arn))
                        .at_path(path(".taskArn")),
                );
            }
            if task.is_fargate() {
                check_fargate_task(task).map_err(|e| e.at_path(path("")))?;
                continue;
            }
            let instance = arns
                .get(task.container_instance_arn.as_str())
                .copied()
                .or_else(|| self.instance_index(&task.container_instance_arn));
            let Some(instance) = instance.and_then(|i| self.instances.get(i)) else {
                return Err(Error::invalid_input(format!(
                    "task `{}` runs on `{}`, which is not one of the scenario's instances",
                    task.short_id(),
                    task.container_instance_arn
                ))
                .at_path(path(".containerInstanceArn")));
            };
            check_units(task.cpu, task.memory).map_err(|e| e.at_path(path("")))?;
            let arn = instance.container_instance_arn.clone();
            if let Some(task) = self.tasks.get_mut(index) {
                task.container_instance_arn = arn;
            }
        }
        Ok(())
    }

    /// A host port or a GPU is held by one task at a time, and only if its instance has it.
    fn check_holdings(&self) -> Result<()> {
        let instances = instance_indexes(&self.instances);
        // Keyed by text: a map type the module has (`normalized`'s), not one of its own.
        let mut held: HashMap<String, usize> = HashMap::default();
        for (index, task) in self.tasks.iter().enumerate().filter(|(_, t)| t.holds_resources()) {
            let instance = instances
                .get(task.container_instance_arn.as_str())
                .and_then(|&at| self.instances.get(at));
            let Some(instance) = instance else {
                continue;
            };
            let registered = instance.registered();
            let ports = [
                ("TCP port", &task.details().ports, &registered.ports),
                ("UDP port", &task.details().ports_udp, &registered.ports_udp),
            ];
            for (kind, ports, reserved) in ports {
                for port in crate::order::set_of(ports.iter().copied()) {
                    if reserved.contains(&port) {
                        return Err(Error::invalid_input(format!(
                            "task `{}` holds {kind} {port}, which instance `{}` reserves (registeredResources)",
                            task.short_id(),
                            instance.short_id()
                        ))
                        .at_path(format!("tasks[{index}]")));
                    }
                    holder_once(&mut held, (kind, &port.to_string()), index, task, instance)?;
                }
            }
            for gpu in crate::order::set_of(task.details().gpu_ids.iter().map(String::as_str)) {
                if !registered.gpus.iter().any(|g| g == gpu) {
                    return Err(Error::invalid_input(format!(
                        "task `{}` holds GPU `{gpu}`, which instance `{}` does not have (registeredResources.gpus)",
                        task.short_id(),
                        instance.short_id()
                    ))
                    .at_path(format!("tasks[{index}].gpuIds")));
                }
                holder_once(&mut held, ("GPU", gpu), index, task, instance)?;
            }
        }
        Ok(())
    }

    /// Remaining = registered minus what the scenario's tasks hold (for instances without an
    /// explicit `remainingResources`). Tasks that hold more than their instance registered are
    /// refused: the remaining figures could not be written (they would be negative).
    fn compute_remaining(&mut self) -> Result<()> {
        // The tasks holding resources, per instance index.
        let index_of = instance_indexes(&self.instances);
        let mut holding: Vec<Vec<&Task>> = vec![Vec::new(); self.instances.len()];
        for task in self.tasks.iter().filter(|t| t.holds_resources()) {
            let list = index_of
                .get(task.container_instance_arn.as_str())
                .and_then(|&index| holding.get_mut(index));
            if let Some(list) = list {
                list.push(task);
            }
        }
        let mut computed = Vec::new();
        for (index, instance) in self.instances.iter().enumerate() {
            if instance.remaining_resources.is_some() {
                continue;
            }
            let mut remaining = instance.registered().clone();
            for task in holding.get(index).into_iter().flatten() {
                hold(&mut remaining, task);
            }
            if remaining.cpu < 0 || remaining.memory < 0 {
                let registered = instance.registered();
                return Err(Error::invalid_input(format!(
                    "instance `{}` is over-committed: its tasks hold {} CPU units and {} MiB, but it registered {} and {}; remove tasks, or give the instance more registeredResources",
                    instance.short_id(),
                    i64::from(registered.cpu) - i64::from(remaining.cpu),
                    i64::from(registered.memory) - i64::from(remaining.memory),
                    registered.cpu,
                    registered.memory
                ))
                .at_path(format!("instances[{index}].registeredResources")));
            }
            computed.push((index, remaining));
        }
        for (index, remaining) in computed {
            if let Some(instance) = self.instances.get_mut(index) {
                instance.remaining_resources = Some(remaining);
            }
        }
        Ok(())
    }

    /// The index of the instance with this ARN, short ID or EC2 instance ID.
    pub fn instance_index(&self, reference: &str) -> Option<usize> {
        self.instances.iter().position(|i| {
            i.container_instance_arn == reference || i.short_id() == reference || i.ec2_instance_id == reference
        })
    }

    /// The tasks on an instance whose desired status is RUNNING.
    pub fn running_tasks_on<'a>(&'a self, instance_arn: &'a str) -> impl Iterator<Item = &'a Task> + 'a {
        self.tasks
            .iter()
            .filter(move |t| t.container_instance_arn == instance_arn && t.is_desired_running())
    }
}

/// A Fargate task runs on no container instance, in a zone, with a valid task size.
fn check_fargate_task(task: &Task) -> Result<()> {
    if !task.container_instance_arn.is_empty() {
        return Err(Error::invalid_input(format!(
            "task `{}` runs on Fargate (`fargate`) and on container instance `{}`: a Fargate task has no container instance",
            task.short_id(),
            task.container_instance_arn
        )));
    }
    if task.fargate().is_some_and(|f| f.availability_zone.is_empty()) {
        return Err(Error::invalid_input(format!(
            "Fargate task `{}` has no `availabilityZone`",
            task.short_id()
        )));
    }
    check_units(task.cpu, task.memory)
}

/// Each instance's index by its ARN (a loaded scenario's instance ARNs are unique).
pub(crate) fn instance_indexes(instances: &[ContainerInstance]) -> HashMap<&str, usize> {
    instances
        .iter()
        .enumerate()
        .map(|(index, instance)| (instance.container_instance_arn.as_str(), index))
        .collect()
}

/// Subtracts what a task holds from an instance's remaining resources.
pub fn hold(remaining: &mut Resources, task: &Task) {
    remaining.take_units(task.cpu, task.memory);
    hold_ports(remaining, task);
    if !task.details().gpu_ids.is_empty() {
        // Shared like the port sets: touched only when the task holds a GPU.
        remaining.gpus.retain(|g| !task.details().gpu_ids.contains(g));
    }
}

/// Takes a task's static host ports out of an instance's remaining ports. The sets are shared
/// (copied on a change), so they are touched only when the task holds a port.
pub fn hold_ports(remaining: &mut Resources, task: &Task) {
    if !task.details().ports.is_empty() {
        remaining.ports.extend(task.details().ports.iter().copied());
    }
    if !task.details().ports_udp.is_empty() {
        remaining.ports_udp.extend(task.details().ports_udp.iter().copied());
    }
}

/// The second holder of a port or GPU (`kind`, `what`) on one instance is refused.
fn holder_once(
    held: &mut HashMap<String, usize>,
    (kind, what): (&str, &str),
    index: usize,
    task: &Task,
    instance: &ContainerInstance,
) -> Result<()> {
    // The ARN's length first: no two holdings share a key (the kinds are `TCP port`, `UDP port`
    // and `GPU`, none the start of another).
    let arn = &instance.container_instance_arn;
    let key = format!("{}:{arn}{kind}{what}", arn.len());
    match held.insert(key, index) {
        Some(first) => Err(Error::invalid_input(format!(
            "tasks[{first}] and task `{}` both hold {kind} {what} on instance `{}`; one task at a time holds it",
            task.short_id(),
            instance.short_id()
        ))
        .at_path(format!("tasks[{index}]"))),
        None => Ok(()),
    }
}

fn check_resources(resources: &Resources) -> Result<()> {
    check_units(resources.cpu.into(), resources.memory.into())?;
    // A set type the module has.
    let mut gpus = BTreeSet::new();
    if let Some(twice) = resources.gpus.iter().find(|g| !gpus.insert(g.as_str())) {
        return Err(Error::invalid_input(format!("GPU `{twice}` is listed twice")));
    }
    Ok(())
}

/// CPU and memory figures lie between 0 and [`MAX_UNITS`] (AWS's 32-bit integers).
fn check_units(cpu: i64, memory: i64) -> Result<()> {
    if !(0..=MAX_UNITS).contains(&cpu) || !(0..=MAX_UNITS).contains(&memory) {
        return Err(Error::invalid_input(format!(
            "cpu ({cpu}) and memory ({memory}) must be between 0 and {MAX_UNITS}"
        )));
    }
    Ok(())
}

/// Attribute values: at most [`MAX_ATTRIBUTE_VALUE`] characters (AWS).
pub fn check_attribute_value(name: &str, value: Option<&str>) -> Result<()> {
    let length = value.map_or(0, |v| v.chars().count());
    if length > MAX_ATTRIBUTE_VALUE {
        return Err(Error::invalid_input(format!(
            "the value of attribute `{name}` is {length} characters long; AWS allows at most {MAX_ATTRIBUTE_VALUE}"
        )));
    }
    Ok(())
}

/// Attribute names: 1-128 letters, digits, `-`, `_`, `/`, `\` or `.` (spec §7.4).
pub fn check_attribute_name(name: &str) -> Result<()> {
    let valid =
        !name.is_empty() && name.chars().count() <= MAX_ATTRIBUTE_NAME && name.chars().all(is_attribute_name_char);
    if valid {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "invalid attribute name `{name}`: use 1-128 letters, digits, `-`, `_`, `/`, `\\` or `.`"
        )))
    }
}

/// Recognises AWS CLI output passed where a scenario is expected, and says what to do instead.
fn check_shape(value: &serde_json::Value) -> Result<()> {
    let Some(object) = value.as_object() else {
        return Err(Error::invalid_input(
            "a scenario is a JSON object with `version`, `instances` and `tasks`",
        ));
    };
    if object.contains_key("containerInstances") {
        return Err(Error::invalid_input(
            "this is `describe-container-instances` output, not a scenario: convert it with `placement import --instances FILE`",
        )
        .with_hint("import-instances"));
    }
    if object.contains_key("tasks") && !object.contains_key("version") {
        return Err(Error::invalid_input(
            "this looks like `describe-tasks` output, not a scenario: pass it to `placement import --tasks FILE` together with --instances",
        )
        .with_hint("import-tasks"));
    }
    if !object.contains_key("version") {
        return Err(
            Error::invalid_input("the scenario has no `version` (this playground reads versions 1 and 2)")
                .at_path("version"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A scenario of two instances (`a`, `b`) and `tasks` on them, as JSON.
    fn with_tasks(tasks: serde_json::Value) -> Result<Scenario> {
        let instance = |arn: &str| {
            json!({
                "containerInstanceArn": arn,
                "registeredResources": {"cpu": 4096, "memory": 8192, "gpus": ["g0", "g1"]}
            })
        };
        Scenario::from_value(json!({"version": 1, "instances": [instance("a"), instance("b")], "tasks": tasks}))
    }

    fn task(id: &str, instance: &str, ports: &[u16], udp: &[u16], gpus: &[&str]) -> serde_json::Value {
        json!({
            "taskArn": id, "containerInstanceArn": instance, "taskDefinitionArn": "td:1", "group": "g",
            "desiredStatus": "RUNNING", "lastStatus": "RUNNING",
            "cpu": 1, "memory": 1, "ports": ports, "portsUdp": udp, "gpuIds": gpus
        })
    }

    #[test]
    fn a_port_or_gpu_is_held_by_one_task_per_instance() {
        let tcp = with_tasks(json!([
            task("t1", "a", &[80], &[], &[]),
            task("t2", "a", &[80], &[], &[])
        ]));
        let error = tcp.unwrap_err();
        assert_eq!(
            error.message,
            "tasks[0] and task `t2` both hold TCP port 80 on instance `a`; one task at a time holds it"
        );
        assert_eq!(error.path.as_deref(), Some("tasks[1]"));
        let gpu = with_tasks(json!([
            task("t1", "b", &[], &[], &["g1"]),
            task("t2", "b", &[], &[], &["g1"])
        ]));
        assert_eq!(
            gpu.unwrap_err().message,
            "tasks[0] and task `t2` both hold GPU g1 on instance `b`; one task at a time holds it"
        );
        let udp = with_tasks(json!([
            task("t1", "a", &[], &[53], &[]),
            task("t2", "a", &[], &[53], &[])
        ]));
        assert!(
            udp.unwrap_err()
                .message
                .contains("both hold UDP port 53 on instance `a`")
        );
        // The same port on two instances, TCP and UDP on one, or a GPU and a port of the same
        // name: no conflict.
        let apart = with_tasks(json!([
            task("t1", "a", &[80], &[80], &["g0"]),
            task("t2", "b", &[80], &[], &["g0"]),
        ]));
        assert!(apart.is_ok(), "{apart:?}");
    }
}
