//! The cluster model: container instances, their resources, and tasks.
//!
//! Field names follow the AWS API (`containerInstanceArn`, `registeredResources`, ...) so that a
//! scenario file reads like the AWS output it was imported from.

use crate::Name;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Ports the ECS agent reserves on every Linux container instance (spec §4.2).
pub const AGENT_RESERVED_PORTS: [u16; 5] = [22, 2375, 2376, 51678, 51679];

/// The largest CPU (units) or memory (MiB) figure anywhere: AWS's API holds them in 32-bit
/// integers (`Integer`). Resources, tasks, container sizes and overrides are checked against it,
/// so sums and differences never overflow.
pub const MAX_UNITS: i64 = i32::MAX as i64;

/// The status of a container instance (AWS `ContainerInstance.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InstanceStatus {
    /// Receives tasks.
    #[default]
    Active,
    /// Never receives new tasks.
    Draining,
    /// Registering.
    Registering,
    /// Deregistering.
    Deregistering,
    /// Registration failed.
    RegistrationFailed,
    /// Deregistered.
    Inactive,
}

impl InstanceStatus {
    /// The AWS spelling (`ACTIVE`, `DRAINING`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceStatus::Active => "ACTIVE",
            InstanceStatus::Draining => "DRAINING",
            InstanceStatus::Registering => "REGISTERING",
            InstanceStatus::Deregistering => "DEREGISTERING",
            InstanceStatus::RegistrationFailed => "REGISTRATION_FAILED",
            InstanceStatus::Inactive => "INACTIVE",
        }
    }

    /// Parses the AWS spelling.
    pub fn parse(text: &str) -> Option<InstanceStatus> {
        [
            InstanceStatus::Active,
            InstanceStatus::Draining,
            InstanceStatus::Registering,
            InstanceStatus::Deregistering,
            InstanceStatus::RegistrationFailed,
            InstanceStatus::Inactive,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// CPU, memory, ports and GPUs of an instance: registered (total) or remaining (unallocated).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resources {
    /// CPU units (1 vCPU = 1024). AWS's `integerValue`, a 32-bit integer.
    #[serde(deserialize_with = "units_from_json")]
    pub cpu: i32,
    /// Memory in MiB. AWS's `integerValue`, a 32-bit integer.
    #[serde(deserialize_with = "units_from_json")]
    pub memory: i32,
    /// Reserved TCP host ports (`PORTS`). For registered resources: the agent's reserved ports
    /// (22, 2375, 2376, 51678, 51679 when the field is absent).
    #[serde(default = "agent_ports")]
    pub ports: PortSet,
    /// Reserved UDP host ports (`PORTS_UDP`).
    #[serde(default, skip_serializing_if = "no_ports")]
    pub ports_udp: PortSet,
    /// GPU IDs (`GPU`).
    #[serde(default, skip_serializing_if = "no_gpus")]
    pub gpus: Shared<Vec<String>>,
}

/// A set of host ports. Shared like the attributes (see [`Shared`]): an instance's remaining
/// ports are its registered ones until a task takes one, so most instances share one set.
pub type PortSet = Shared<BTreeSet<u16>>;

fn agent_ports() -> PortSet {
    crate::order::set_of(AGENT_RESERVED_PORTS).into()
}

fn no_ports(ports: &PortSet) -> bool {
    ports.is_empty()
}

fn no_gpus(gpus: &Shared<Vec<String>>) -> bool {
    gpus.is_empty()
}

impl Resources {
    /// Resources with the agent's reserved ports.
    pub fn with_agent_ports(cpu: i32, memory: i32) -> Self {
        Resources {
            cpu,
            memory,
            ports: agent_ports(),
            ..Resources::default()
        }
    }

    /// Takes a task's `cpu` units and `memory` MiB out of these resources. The figures stop at
    /// the ends of AWS's 32-bit range instead of wrapping (only an over-committed scenario,
    /// which loading refuses, gets near them).
    pub fn take_units(&mut self, cpu: i64, memory: i64) {
        self.cpu = saturating_units(i64::from(self.cpu).saturating_sub(cpu));
        self.memory = saturating_units(i64::from(self.memory).saturating_sub(memory));
    }

    /// Gives a task's `cpu` units and `memory` MiB back (the reverse of [`Self::take_units`]).
    pub fn give_back_units(&mut self, cpu: i64, memory: i64) {
        self.cpu = saturating_units(i64::from(self.cpu).saturating_add(cpu));
        self.memory = saturating_units(i64::from(self.memory).saturating_add(memory));
    }
}

/// Reads a CPU or memory figure as a JSON integer and refuses one beyond AWS's 32-bit range
/// with the range in words (the message the scenario checks gave when the figure was 64-bit).
fn units_from_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    let value = i64::deserialize(deserializer)?;
    units_from(value).map_err(|range| serde::de::Error::custom(format!("{value} {range}")))
}

/// A CPU or memory figure as AWS's 32-bit integer, or the range it must lie in, in words (for
/// the caller's message: the scenario reader's and the import's).
pub(crate) fn units_from(value: i64) -> std::result::Result<i32, String> {
    i32::try_from(value).map_err(|_| format!("must be between 0 and {MAX_UNITS} (AWS's 32-bit integers)"))
}

/// `value` as a 32-bit figure, the nearest end of the range when it lies outside.
pub(crate) fn saturating_units(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(if value < 0 { i32::MIN } else { i32::MAX })
}

/// A container instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerInstance {
    /// The container instance ARN (a short ID is expanded to an ARN when a scenario is loaded).
    pub container_instance_arn: Name,
    /// The EC2 instance ID.
    #[serde(default)]
    pub ec2_instance_id: Name,
    /// ACTIVE, DRAINING, ...
    #[serde(default)]
    pub status: InstanceStatus,
    /// Whether the agent is connected.
    #[serde(default = "default_true")]
    pub agent_connected: bool,
    /// The ECS agent version (instances with the same version share its text).
    #[serde(default)]
    pub agent_version: Name,
    /// When the instance registered.
    #[serde(default)]
    pub registered_at: Timestamp,
    /// Total resources; taken from the instance-type catalog when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_resources: Option<Shared<Resources>>,
    /// Unallocated resources; computed from the tasks when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_resources: Option<Resources>,
    /// Attributes: name to value (`null` for attributes without a value).
    #[serde(default)]
    pub attributes: Attributes,
    /// How many task ENIs (awsvpc) the instance can attach; from the instance-type catalog when
    /// absent (ENIs of the type minus the primary one, or AWS's documented trunked task limit
    /// when the instance has `ecs.awsvpc-trunk-id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_eni_limit: Option<u32>,
    /// Tasks the instance runs that the scenario has no details of (from an import of
    /// `describe-container-instances` without `describe-tasks`); they count in `runningTasksCount`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub untracked_running_tasks: u32,
    /// The version counter ECS increments on every change of the instance (a task placed or
    /// stopped, an attribute put or deleted, a status change); 1 when the scenario gives none.
    #[serde(default = "first_version", skip_serializing_if = "is_first_version")]
    pub version: u64,
}

fn default_true() -> bool {
    true
}

/// The version of an instance the scenario says nothing about.
pub const FIRST_VERSION: u64 = 1;

fn first_version() -> u64 {
    FIRST_VERSION
}

fn is_first_version(version: &u64) -> bool {
    *version == FIRST_VERSION
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A value that instances with equal values share: an `Arc` that reads as the value, copies
/// itself before a change (copy on write, through `DerefMut`) and is written to JSON as the value.
///
/// The instances of a fleet mostly have equal attributes (the same capabilities, types and
/// zones over and over) and equal registered resources, so a scenario keeps one of each distinct
/// value and the instances share it ([`share_equal_values`]): reading costs what it did, copying
/// an instance copies pointers, and changing one instance's value first copies it.
#[derive(Default, PartialEq, Eq)]
pub struct Shared<T>(std::sync::Arc<T>);

impl<T> Clone for Shared<T> {
    /// Another reference to the same value.
    fn clone(&self) -> Self {
        Shared(std::sync::Arc::clone(&self.0))
    }
}

/// An instance's attributes: name to value (`None` for attributes without a value).
pub type Attributes = Shared<BTreeMap<String, Option<String>>>;

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone> std::ops::DerefMut for Shared<T> {
    /// The instance's own value: copied first when other instances share it.
    fn deref_mut(&mut self) -> &mut T {
        std::sync::Arc::make_mut(&mut self.0)
    }
}

impl<T> Shared<T> {
    /// Where the value lives: equal for the instances that share it (a key for what is worth
    /// computing once per shared value; valid while the value is shared).
    pub(crate) fn address(&self) -> usize {
        std::sync::Arc::as_ptr(&self.0) as *const u8 as usize
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared(std::sync::Arc::new(value))
    }
}

impl<A, T: FromIterator<A>> FromIterator<A> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = A>>(items: I) -> Self {
        Shared::from(T::from_iter(items))
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a String, &'a Option<String>);
    type IntoIter = std::collections::btree_map::Iter<'a, String, Option<String>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl<T: std::hash::Hash> std::hash::Hash for Shared<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shared<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Shared::from)
    }
}

/// Makes instances with equal attributes, equal registered resources and equal agent versions
/// share one value each (see [`Shared`]; a [`Name`] is shared the same way).
pub fn share_equal_values(instances: &mut [ContainerInstance]) {
    share_equal(instances, |instance| Some(&mut instance.attributes));
    share_equal(instances, |instance| instance.registered_resources.as_mut());
    share_equal(instances, |instance| Some(&mut instance.agent_version));
}

/// Makes the instances' `field`s that are equal share one value (`V` is a reference-counted
/// value: cloning it shares it).
fn share_equal<V: std::hash::Hash + Eq + Clone>(
    instances: &mut [ContainerInstance],
    field: impl Fn(&mut ContainerInstance) -> Option<&mut V>,
) {
    use std::hash::{Hash, Hasher};
    let hashes: Vec<u64> = instances
        .iter_mut()
        .map(|instance| {
            let mut hasher = rustc_hash::FxHasher::default();
            if let Some(value) = field(instance) {
                value.hash(&mut hasher);
            }
            hasher.finish()
        })
        .collect();
    // Instances in the order of their values' hashes: equal values are neighbours (the shared
    // sort of indices, no hash table of values).
    let order = crate::order::stable_order(hashes.len(), &|a, b| hashes.get(a).cmp(&hashes.get(b)));
    let mut same_hash: Vec<V> = Vec::new();
    let mut current = None;
    for index in order {
        let hash = hashes.get(index);
        if hash != current {
            same_hash.clear();
            current = hash;
        }
        let Some(value) = instances.get_mut(index).and_then(&field) else {
            continue;
        };
        match same_hash.iter().find(|shared| *shared == value) {
            Some(shared) => *value = shared.clone(),
            None => same_hash.push(value.clone()),
        }
    }
}

impl ContainerInstance {
    /// The last segment of the ARN (the container instance ID).
    pub fn short_id(&self) -> &str {
        short_id(&self.container_instance_arn)
    }

    /// The value of an attribute: `None` when absent, `Some(None)` when present without a value.
    pub fn attribute(&self, name: &str) -> Option<Option<&str>> {
        self.attributes.get(name).map(Option::as_deref)
    }

    /// `ecs.instance-type`, when set.
    pub fn instance_type(&self) -> Option<&str> {
        self.attribute("ecs.instance-type").flatten()
    }

    /// `ecs.availability-zone`, when set.
    pub fn availability_zone(&self) -> Option<&str> {
        self.attribute("ecs.availability-zone").flatten()
    }

    /// Registered resources (empty if not known yet; a loaded scenario always has them).
    pub fn registered(&self) -> &Resources {
        static EMPTY: std::sync::LazyLock<Resources> = std::sync::LazyLock::new(Resources::default);
        self.registered_resources.as_deref().unwrap_or(&EMPTY)
    }

    /// Remaining resources (registered ones if not computed yet).
    pub fn remaining(&self) -> &Resources {
        self.remaining_resources.as_ref().unwrap_or_else(|| self.registered())
    }

    /// Counts a change of the instance in its `version` (what DescribeContainerInstances shows).
    pub fn record_change(&mut self) {
        self.version = self.version.saturating_add(1);
    }

    /// The task ENI limit: explicit, else from the catalog; `None` when unknown.
    pub fn eni_limit(&self) -> Option<u32> {
        self.task_eni_limit.or_else(|| {
            let trunking = self.attributes.contains_key("ecs.awsvpc-trunk-id");
            self.instance_type()
                .and_then(|name| crate::catalog::task_eni_limit(name, trunking))
        })
    }
}

/// A task's desired or last status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskStatus {
    /// Provisioning.
    Provisioning,
    /// Pending.
    Pending,
    /// Activating.
    Activating,
    /// Running.
    #[default]
    Running,
    /// Deactivating.
    Deactivating,
    /// Stopping.
    Stopping,
    /// Deprovisioning.
    Deprovisioning,
    /// Stopped.
    Stopped,
    /// Deleted.
    Deleted,
}

impl TaskStatus {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Provisioning => "PROVISIONING",
            TaskStatus::Pending => "PENDING",
            TaskStatus::Activating => "ACTIVATING",
            TaskStatus::Running => "RUNNING",
            TaskStatus::Deactivating => "DEACTIVATING",
            TaskStatus::Stopping => "STOPPING",
            TaskStatus::Deprovisioning => "DEPROVISIONING",
            TaskStatus::Stopped => "STOPPED",
            TaskStatus::Deleted => "DELETED",
        }
    }
}

/// A task placed on a container instance.
///
/// What every task has is kept in the record itself; what few tasks have (host ports, GPUs,
/// a stop reason, overrides, a subnet, Fargate) is kept in one boxed [`TaskDetails`], absent
/// when it would be empty. A placed task writes 120 bytes where it wrote 200.
/// Read the details with [`Task::details`], change them with [`Task::edit_details`]. The JSON
/// shape is the same flat object either way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Task {
    /// The task ARN (a short ID is expanded when a scenario is loaded).
    pub task_arn: crate::TaskArn,
    /// The instance it runs on (ARN or short ID); empty for a Fargate task.
    pub container_instance_arn: Name,
    /// Its task group (`family:<name>`, `service:<name>` or a custom group).
    pub group: Name,
    /// The task definition ARN (or `family:revision`).
    pub task_definition_arn: Name,
    /// RUNNING or STOPPED; placement counts tasks whose desired status is RUNNING.
    pub desired_status: TaskStatus,
    /// The last known status; resources are held until it is STOPPED.
    pub last_status: TaskStatus,
    /// Reserved CPU units.
    pub cpu: i64,
    /// Reserved memory in MiB.
    pub memory: i64,
    /// Whether the task has its own ENI (awsvpc network mode).
    pub eni: bool,
    /// Who started it (`--started-by`; a service's tasks carry its deployment).
    pub started_by: Option<Name>,
    /// When it was created (the service scheduler dates every task it starts).
    pub created_at: Option<Timestamp>,
    /// What few tasks have, boxed when there is any: read it with [`Task::details`], change it
    /// with [`Task::edit_details`] or [`Task::with_details`].
    pub details: Details,
}

/// The parts of a [`Task`] that few tasks have (see there), kept in one box.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskDetails {
    /// Static TCP host ports the task holds.
    pub ports: Vec<u16>,
    /// Static UDP host ports the task holds.
    pub ports_udp: Vec<u16>,
    /// GPU IDs the task holds.
    pub gpu_ids: Vec<String>,
    /// Why it stopped (`StopTask --reason`).
    pub stopped_reason: Option<Name>,
    /// How it stopped (`UserInitiated` for `StopTask`).
    pub stop_code: Option<Name>,
    /// The `overrides` it was started with (RunTask's request member), echoed by DescribeTasks.
    pub overrides: Option<Box<serde_json::Value>>,
    /// Whether ECS Exec was turned on (`--enable-execute-command`).
    pub enable_execute_command: bool,
    /// The subnet of its ENI (awsvpc), chosen among the requested subnets.
    pub subnet_id: Option<Name>,
    /// For a task on Fargate (no container instance): its zone, subnet, platform version and
    /// capacity provider.
    pub fargate: Option<Box<crate::fargate::FargateTask>>,
}

/// The details of a task that has none (a constant: reading it costs no check).
static NO_DETAILS: TaskDetails = TaskDetails {
    ports: Vec::new(),
    ports_udp: Vec::new(),
    gpu_ids: Vec::new(),
    stopped_reason: None,
    stop_code: None,
    overrides: None,
    enable_execute_command: false,
    subnet_id: None,
    fargate: None,
};

impl TaskDetails {
    /// Whether it holds nothing (what a task without details reads).
    fn is_empty(&self) -> bool {
        *self == NO_DETAILS
    }
}

/// A task's [`TaskDetails`], boxed when there is any: never a box of empty details (every way
/// in goes through [`Details::of`]), so equal details are equal boxes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details(Option<Box<TaskDetails>>);

impl Details {
    /// `details` boxed, or no box when they are empty.
    fn of(details: TaskDetails) -> Details {
        Details((!details.is_empty()).then(|| Box::new(details)))
    }

    /// The details, or the empty ones when there is no box.
    fn get(&self) -> &TaskDetails {
        self.0.as_deref().unwrap_or(&NO_DETAILS)
    }
}

/// A task as JSON: the flat object of the scenario file, [`Task`] and its details side by side.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TaskJson {
    task_arn: crate::TaskArn,
    #[serde(default)]
    container_instance_arn: Name,
    group: Name,
    #[serde(default)]
    task_definition_arn: Name,
    #[serde(default)]
    desired_status: TaskStatus,
    #[serde(default)]
    last_status: TaskStatus,
    #[serde(default)]
    cpu: i64,
    #[serde(default)]
    memory: i64,
    #[serde(default)]
    ports: Vec<u16>,
    #[serde(default)]
    ports_udp: Vec<u16>,
    #[serde(default)]
    gpu_ids: Vec<String>,
    #[serde(default)]
    eni: bool,
    #[serde(default)]
    started_by: Option<Name>,
    #[serde(default)]
    created_at: Option<Timestamp>,
    #[serde(default)]
    stopped_reason: Option<Name>,
    #[serde(default)]
    stop_code: Option<Name>,
    #[serde(default)]
    overrides: Option<Box<serde_json::Value>>,
    #[serde(default)]
    enable_execute_command: bool,
    #[serde(default)]
    subnet_id: Option<Name>,
    #[serde(default)]
    fargate: Option<Box<crate::fargate::FargateTask>>,
}

/// [`TaskJson`] borrowed from a [`Task`], to write it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskJsonRef<'a> {
    task_arn: &'a crate::TaskArn,
    #[serde(skip_serializing_if = "str::is_empty")]
    container_instance_arn: &'a str,
    group: &'a Name,
    task_definition_arn: &'a Name,
    desired_status: TaskStatus,
    last_status: TaskStatus,
    cpu: i64,
    memory: i64,
    #[serde(skip_serializing_if = "<[u16]>::is_empty")]
    ports: &'a [u16],
    #[serde(skip_serializing_if = "<[u16]>::is_empty")]
    ports_udp: &'a [u16],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    gpu_ids: &'a [String],
    #[serde(skip_serializing_if = "is_false")]
    eni: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    started_by: Option<&'a Name>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<&'a Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped_reason: Option<&'a Name>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop_code: Option<&'a Name>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overrides: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "is_false")]
    enable_execute_command: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    subnet_id: Option<&'a Name>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fargate: Option<&'a crate::fargate::FargateTask>,
}

impl From<TaskJson> for Task {
    fn from(json: TaskJson) -> Task {
        let details = TaskDetails {
            ports: json.ports,
            ports_udp: json.ports_udp,
            gpu_ids: json.gpu_ids,
            stopped_reason: json.stopped_reason,
            stop_code: json.stop_code,
            overrides: json.overrides,
            enable_execute_command: json.enable_execute_command,
            subnet_id: json.subnet_id,
            fargate: json.fargate,
        };
        Task {
            task_arn: json.task_arn,
            container_instance_arn: json.container_instance_arn,
            group: json.group,
            task_definition_arn: json.task_definition_arn,
            desired_status: json.desired_status,
            last_status: json.last_status,
            cpu: json.cpu,
            memory: json.memory,
            eni: json.eni,
            started_by: json.started_by,
            created_at: json.created_at,
            details: Details::default(),
        }
        .with_details(details)
    }
}

impl Serialize for Task {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let details = self.details();
        TaskJsonRef {
            task_arn: &self.task_arn,
            container_instance_arn: &self.container_instance_arn,
            group: &self.group,
            task_definition_arn: &self.task_definition_arn,
            desired_status: self.desired_status,
            last_status: self.last_status,
            cpu: self.cpu,
            memory: self.memory,
            ports: &details.ports,
            ports_udp: &details.ports_udp,
            gpu_ids: &details.gpu_ids,
            eni: self.eni,
            started_by: self.started_by.as_ref(),
            created_at: self.created_at.as_ref(),
            stopped_reason: details.stopped_reason.as_ref(),
            stop_code: details.stop_code.as_ref(),
            overrides: details.overrides.as_deref(),
            enable_execute_command: details.enable_execute_command,
            subnet_id: details.subnet_id.as_ref(),
            fargate: details.fargate.as_deref(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Task {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Task, D::Error> {
        TaskJson::deserialize(deserializer).map(Task::from)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Task {
    /// What few tasks have: host ports, GPUs, stop reason, overrides, subnet,
    /// Fargate (empty details for a task without any).
    pub fn details(&self) -> &TaskDetails {
        self.details.get()
    }

    /// Changes the details with `change`; no box is kept when they end up empty.
    pub fn edit_details(&mut self, change: impl FnOnce(&mut TaskDetails)) {
        let mut details = self.details.0.take().map_or_else(TaskDetails::default, |boxed| *boxed);
        change(&mut details);
        self.details = Details::of(details);
    }

    /// The task with `details` (none kept when they are empty).
    pub fn with_details(mut self, details: TaskDetails) -> Task {
        self.details = Details::of(details);
        self
    }

    /// True when the task counts for placement (desired status RUNNING).
    pub fn is_desired_running(&self) -> bool {
        self.desired_status == TaskStatus::Running
    }

    /// True when the task still holds its resources (last status not STOPPED).
    pub fn holds_resources(&self) -> bool {
        !matches!(self.last_status, TaskStatus::Stopped | TaskStatus::Deleted)
    }

    /// The last segment of the ARN.
    pub fn short_id(&self) -> &str {
        short_id(&self.task_arn)
    }

    /// True when the task runs on Fargate (no container instance).
    pub fn is_fargate(&self) -> bool {
        self.fargate().is_some()
    }

    /// Where and how it runs on Fargate (`None` for a task on a container instance).
    pub fn fargate(&self) -> Option<&crate::fargate::FargateTask> {
        self.details().fargate.as_deref()
    }
}

/// The last `/`-separated segment of an ARN (or the whole text when it has no `/`).
pub fn short_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    impl<T> Shared<T> {
        /// Whether two instances share one value (not merely equal ones).
        fn shares_with(&self, other: &Shared<T>) -> bool {
            std::sync::Arc::ptr_eq(&self.0, &other.0)
        }
    }

    fn instance_in(zone: &str) -> ContainerInstance {
        let json = serde_json::json!({
            "containerInstanceArn": format!("i-{zone}"),
            "registeredResources": { "cpu": 1024, "memory": 2048 },
            "attributes": { "ecs.availability-zone": zone, "ecs.os-type": "linux", "gpu": null },
        });
        serde_json::from_value(json).expect("an instance")
    }

    #[test]
    fn a_figure_beyond_32_bits_is_refused_in_words() {
        let json = |cpu: serde_json::Value| serde_json::json!({ "cpu": cpu, "memory": 2048 });
        let read = |cpu| serde_json::from_value::<Resources>(json(cpu)).map(|r| r.cpu);
        assert_eq!(read(serde_json::json!(2_147_483_647)).ok(), Some(i32::MAX));
        let error = read(serde_json::json!(3_000_000_000_i64)).expect_err("beyond 32 bits");
        assert!(
            error
                .to_string()
                .contains("3000000000 must be between 0 and 2147483647 (AWS's 32-bit integers)"),
            "{error}"
        );
        let error = read(serde_json::json!("lots")).expect_err("not a number");
        assert!(error.to_string().contains("expected i64"), "{error}");
    }

    #[test]
    fn units_taken_and_given_back_stop_at_the_ends_of_32_bits() {
        let mut resources = Resources::with_agent_ports(1_024, 2_048);
        resources.take_units(512, 2_000);
        assert_eq!((resources.cpu, resources.memory), (512, 48));
        resources.give_back_units(512, 2_000);
        assert_eq!((resources.cpu, resources.memory), (1_024, 2_048));
        resources.take_units(i64::from(i32::MAX) * 2, 0);
        assert_eq!(resources.cpu, i32::MIN, "an over-commitment stops at the lowest figure");
        resources.give_back_units(0, i64::from(i32::MAX) * 2);
        assert_eq!(resources.memory, i32::MAX);
        resources.take_units(i64::MAX, i64::MIN);
        assert_eq!(
            (resources.cpu, resources.memory),
            (i32::MIN, i32::MAX),
            "no overflow anywhere"
        );
    }

    #[test]
    fn equal_values_are_shared_and_copied_on_write() {
        let mut instances = vec![
            instance_in("us-east-1a"),
            instance_in("us-east-1b"),
            instance_in("us-east-1a"),
        ];
        share_equal_values(&mut instances);
        let [a1, b, a2] = &mut instances[..] else {
            unreachable!()
        };
        assert!(a1.attributes.shares_with(&a2.attributes), "equal maps are shared");
        let registered = |i: &ContainerInstance| i.registered_resources.clone().expect("registered");
        assert!(
            registered(a1).shares_with(&registered(b)),
            "equal registered resources are shared"
        );
        assert!(!a1.attributes.shares_with(&b.attributes), "different maps are not");
        a2.attributes.insert("team".into(), Some("red".into()));
        assert!(
            !a1.attributes.shares_with(&a2.attributes),
            "a change copies the map first"
        );
        assert_eq!(
            a1.attributes.get("team"),
            None,
            "the other instance keeps its attributes"
        );
        assert_eq!(a2.attributes.get("team"), Some(&Some("red".to_string())));
        let written = serde_json::to_value(&a1.attributes).expect("a map");
        assert_eq!(
            written,
            serde_json::json!({ "ecs.availability-zone": "us-east-1a", "ecs.os-type": "linux", "gpu": null })
        );
    }

    #[test]
    fn a_task_is_one_flat_object_whose_details_are_boxed_only_when_it_has_some() {
        let plain = r#"{"taskArn":"t1","containerInstanceArn":"i1","group":"family:web","taskDefinitionArn":"web:1","desiredStatus":"RUNNING","lastStatus":"RUNNING","cpu":10,"memory":32,"startedBy":"me"}"#;
        let task: Task = serde_json::from_str(plain).expect("a task");
        assert!(task.details.0.is_none(), "no details, no box");
        assert_eq!(serde_json::to_string(&task).ok().as_deref(), Some(plain));

        let detailed = r#"{"taskArn":"t2","group":"family:web","taskDefinitionArn":"web:1","desiredStatus":"STOPPED","lastStatus":"STOPPED","cpu":10,"memory":32,"ports":[80],"portsUdp":[53],"gpuIds":["g0"],"eni":true,"stoppedReason":"done","stopCode":"UserInitiated","enableExecuteCommand":true,"subnetId":"subnet-1"}"#;
        let task: Task = serde_json::from_str(detailed).expect("a task");
        assert_eq!(task.details().ports.as_ref(), [80]);
        assert_eq!(task.details().stop_code.as_deref(), Some("UserInitiated"));
        assert_eq!(
            serde_json::to_string(&task).ok().as_deref(),
            Some(detailed),
            "the same fields in the same order"
        );

        let error = serde_json::from_str::<Task>(r#"{"taskArn":"t3","group":"g","port":[80]}"#).expect_err("a typo");
        assert!(
            error
                .to_string()
                .starts_with("unknown field `port`, expected one of `taskArn`"),
            "{error}"
        );

        let mut emptied = Task::default();
        emptied.edit_details(|details| details.ports = Vec::new());
        assert_eq!(emptied, Task::default(), "an empty box equals no box");
        assert_eq!(Task::default().with_details(TaskDetails::default()).details.0, None);
    }
}
