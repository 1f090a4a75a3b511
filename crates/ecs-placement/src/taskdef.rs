//! Task definitions as AWS writes them (`register-task-definition` input, `describe-task-definition`
//! output): what a task reserves (decision D15), the `requiresAttributes` ECS derives from it, and
//! the checks `RegisterTaskDefinition` makes. Fields the simulator does not use are kept as they
//! were given, so `describe-task-definition` returns the user's document.

use crate::error::{Error, ErrorKind, Result};
use crate::json::others::KeepOthers;
use crate::model::MAX_UNITS;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A placement constraint (`{type, expression}`), as in task definitions and requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementConstraint {
    /// `memberOf` or `distinctInstance`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The CQL expression (memberOf only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

/// A placement strategy as requests give it (`{type, field}`): RunTask, CreateService and
/// UpdateService, and services in a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementStrategy {
    /// `random`, `spread` or `binpack`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The field (`memory`, `instanceId`, `attribute:ecs.availability-zone`); none for `random`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `networkConfiguration` of RunTask, CreateService and services in a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkConfiguration {
    /// The awsvpc configuration (the only one EC2 tasks use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awsvpc_configuration: Option<AwsvpcConfiguration>,
}

/// `networkConfiguration.awsvpcConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsvpcConfiguration {
    /// Subnet IDs (1-16).
    #[serde(default)]
    pub subnets: Vec<String>,
    /// Security group IDs (at most 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<String>,
    /// `ENABLED` or `DISABLED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign_public_ip: Option<String>,
}

/// An attribute name in `requiresAttributes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequiredAttribute {
    /// The attribute name.
    pub name: String,
    /// Its value, when a specific one is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A task definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", remote = "Self")]
pub struct TaskDefinition {
    /// Set when registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    /// The containers.
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinition>,
    /// The family.
    #[serde(default)]
    pub family: String,
    /// The task role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    /// The execution role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    /// `bridge` (default on Linux), `host`, `awsvpc` or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
    /// Set when registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u32>,
    /// Volumes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    /// `ACTIVE` or `INACTIVE` once registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Derived by ECS at registration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_attributes: Vec<RequiredAttribute>,
    /// `memberOf` constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    /// Launch types the definition is valid for (set at registration).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compatibilities: Vec<String>,
    /// Launch types requested.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_compatibilities: Vec<String>,
    /// Task CPU (`"1024"`, `"1 vCPU"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "string_or_number"
    )]
    pub cpu: Option<String>,
    /// Task memory (`"2048"`, `"2GB"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "string_or_number"
    )]
    pub memory: Option<String>,
    /// Everything else, kept as given.
    #[serde(flatten, skip_deserializing)]
    pub other: Map<String, Value>,
}

/// A container definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", remote = "Self")]
pub struct ContainerDefinition {
    /// Container name.
    #[serde(default)]
    pub name: String,
    /// Image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// CPU units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i64>,
    /// Hard memory limit (MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// Soft memory reservation (MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i64>,
    /// Port mappings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub port_mappings: Vec<PortMapping>,
    /// GPUs and other resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_requirements: Vec<ResourceRequirement>,
    /// Log configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
    /// Private registry credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_credentials: Option<Value>,
    /// Secrets (`valueFrom` a Secrets Manager or SSM ARN).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Secret>,
    /// Everything else, kept as given.
    #[serde(flatten, skip_deserializing)]
    pub other: Map<String, Value>,
}

/// A port mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", remote = "Self")]
pub struct PortMapping {
    /// Container port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<u16>,
    /// Host port (absent or 0: dynamic in bridge mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<u16>,
    /// `tcp` (default) or `udp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Everything else.
    #[serde(flatten, skip_deserializing)]
    pub other: Map<String, Value>,
}

/// A resource requirement (`{type: GPU, value: "1"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRequirement {
    /// `GPU` or `InferenceAccelerator`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The amount, as a string.
    pub value: String,
}

/// A log configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", remote = "Self")]
pub struct LogConfiguration {
    /// `awslogs`, `json-file`, `awsfirelens`, ...
    #[serde(default)]
    pub log_driver: String,
    /// Everything else.
    #[serde(flatten, skip_deserializing)]
    pub other: Map<String, Value>,
}

/// A secret reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    /// Variable name.
    #[serde(default)]
    pub name: String,
    /// ARN or name of the secret.
    #[serde(default)]
    pub value_from: String,
}

/// A volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", remote = "Self")]
pub struct Volume {
    /// Volume name.
    #[serde(default)]
    pub name: String,
    /// A Docker volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_volume_configuration: Option<DockerVolumeConfiguration>,
    /// An EFS volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efs_volume_configuration: Option<Value>,
    /// Everything else.
    #[serde(flatten, skip_deserializing)]
    pub other: Map<String, Value>,
}

/// A Docker volume configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", remote = "Self")]
pub struct DockerVolumeConfiguration {
    /// The volume driver (`rexray/ebs`, `local`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    /// Everything else (scope, autoprovision, driverOpts, labels).
    #[serde(flatten, skip_deserializing)]
    pub other: Map<String, Value>,
}

/// The structs that keep the fields they do not name (`other`): their derived readers and
/// writers are inherent functions (`remote = "Self"`), wrapped here so that reading keeps the
/// unknown entries through [`KeepOthers`] instead of serde's `flatten` buffering; writing
/// them is the derived `flatten` writer.
macro_rules! keeps_others {
    ($($name:ident),*) => {$(
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                $name::serialize(self, serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let mut other = Map::new();
                let mut read = $name::deserialize(KeepOthers::new(deserializer, &mut other))?;
                read.other = other;
                Ok(read)
            }
        }
    )*};
}

keeps_others!(
    TaskDefinition,
    ContainerDefinition,
    PortMapping,
    LogConfiguration,
    Volume,
    DockerVolumeConfiguration
);

fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => {
            let other = crate::json::text::compact(&other);
            Err(serde::de::Error::custom(format!(
                "expected a string or a number, found {other}"
            )))
        }
    }
}

/// The network mode of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NetworkMode {
    /// Docker bridge: static and dynamic host ports.
    Bridge,
    /// Host networking: host port = container port.
    Host,
    /// Own ENI per task: no host ports, one ENI slot.
    Awsvpc,
    /// No networking.
    None,
}

impl NetworkMode {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkMode::Bridge => "bridge",
            NetworkMode::Host => "host",
            NetworkMode::Awsvpc => "awsvpc",
            NetworkMode::None => "none",
        }
    }
}

/// What one task reserves on its instance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    /// CPU units.
    pub cpu: i64,
    /// Memory in MiB.
    pub memory: i64,
    /// GPUs.
    pub gpus: u32,
    /// Static TCP host ports.
    pub ports: Vec<u16>,
    /// Static UDP host ports.
    pub ports_udp: Vec<u16>,
    /// Dynamically mapped ports (they never conflict).
    pub dynamic_ports: u32,
    /// Whether the task needs an ENI (awsvpc).
    pub eni: bool,
}

/// CPU and memory overrides from a RunTask `overrides` document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SizeOverrides {
    /// Task-level `overrides.cpu`.
    pub cpu: Option<String>,
    /// Task-level `overrides.memory`.
    pub memory: Option<String>,
    /// Per-container overrides.
    pub containers: Vec<ContainerOverride>,
}

/// A container's CPU and memory overrides (`overrides.containerOverrides[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerOverride {
    /// The container name.
    pub name: String,
    /// CPU units.
    pub cpu: Option<i64>,
    /// Hard memory limit.
    pub memory: Option<i64>,
    /// Soft memory reservation.
    pub memory_reservation: Option<i64>,
}

/// Revisions per family: AWS's quota of 1,000,000.
pub const MAX_REVISION: u32 = 1_000_000;

/// A revision given in a scenario: between 1 and [`MAX_REVISION`].
pub fn check_revision(revision: u32) -> Result<u32> {
    if (1..=MAX_REVISION).contains(&revision) {
        Ok(revision)
    } else {
        Err(client(&format!(
            "revision {revision} is out of range: revisions are numbered from 1 to {MAX_REVISION} (AWS's limit per family)"
        )))
    }
}

/// The revision after the family's latest: refused past [`MAX_REVISION`].
pub fn next_revision(latest: u32) -> Result<u32> {
    match latest.checked_add(1) {
        Some(next) if next <= MAX_REVISION => Ok(next),
        _ => Err(client(&format!(
            "the family has reached revision {latest}; AWS allows {MAX_REVISION} revisions per family"
        ))),
    }
}

/// Parses a task CPU size: units (`"1024"`) or vCPUs (`"1 vCPU"`, `"0.5 vCPU"`).
pub fn parse_cpu(text: &str) -> Result<i64> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    let (number, scale) = match lower.strip_suffix("vcpu") {
        Some(n) => (n.trim(), 1024.0),
        None => (lower.as_str(), 1.0),
    };
    scaled(number, scale).ok_or_else(|| {
        Error::new(
            ErrorKind::Client,
            format!("Invalid 'cpu' setting `{text}`: use CPU units such as \"1024\" or vCPUs such as \"1 vCPU\""),
        )
    })
}

/// Parses a task memory size: MiB (`"512"`, `"512 MiB"`) or GB (`"1GB"`, `"0.5 GB"`; 1 GB = 1024 MiB).
pub fn parse_memory(text: &str) -> Result<i64> {
    let lower = text.trim().to_ascii_lowercase();
    let units = [("gib", 1024.0), ("gb", 1024.0), ("mib", 1.0), ("mb", 1.0)];
    let (number, scale) = units
        .iter()
        .find_map(|(suffix, scale)| lower.strip_suffix(suffix).map(|n| (n.trim(), *scale)))
        .unwrap_or((lower.as_str(), 1.0));
    scaled(number, scale).ok_or_else(|| {
        Error::new(
            ErrorKind::Client,
            format!("Invalid 'memory' setting `{text}`: use MiB such as \"512\" or GB such as \"1GB\""),
        )
    })
}

fn scaled(number: &str, scale: f64) -> Option<i64> {
    let value = crate::decimal::parse_f64(number)?;
    let result = (value * scale).round();
    (value.is_finite() && value >= 0.0 && result <= MAX_UNITS as f64).then_some(result as i64)
}

/// A container's size figure (`cpu`, `memory`, `memoryReservation`, given in the definition or
/// overridden): between 0 and [`MAX_UNITS`].
fn check_size(container: &str, field: &str, value: Option<i64>, overridden: bool) -> Result<Option<i64>> {
    match value {
        Some(v) if !(0..=MAX_UNITS).contains(&v) => {
            let source = if overridden { "The override of " } else { "" };
            Err(client(&format!(
                "Invalid setting for container '{container}'. {source}'{field}' is {v}; it must be between 0 and {MAX_UNITS}."
            )))
        }
        _ => Ok(value),
    }
}

/// One container's CPU and memory reservation, overrides applied first.
fn container_size(c: &ContainerDefinition, overrides: &SizeOverrides) -> Result<(i64, i64)> {
    let o = overrides.containers.iter().find(|o| o.name == c.name);
    let pick = |field: &str, over: Option<i64>, own: Option<i64>| match over {
        Some(v) => check_size(&c.name, field, Some(v), true),
        None => check_size(&c.name, field, own, false),
    };
    let cpu = pick("cpu", o.and_then(|o| o.cpu), c.cpu)?;
    let memory = pick("memory", o.and_then(|o| o.memory), c.memory)?;
    let reservation = pick(
        "memoryReservation",
        o.and_then(|o| o.memory_reservation),
        c.memory_reservation,
    )?;
    Ok((cpu.unwrap_or(0), reservation.or(memory).unwrap_or(0)))
}

/// The sum of the containers' figures, refused past [`MAX_UNITS`].
fn total(what: &str, values: impl Iterator<Item = i64>) -> Result<i64> {
    let sum = values.fold(0i64, i64::saturating_add);
    if sum > MAX_UNITS {
        return Err(client(&format!(
            "The containers reserve {sum} {what} together; a task reserves at most {MAX_UNITS}."
        )));
    }
    Ok(sum)
}

impl TaskDefinition {
    /// The network mode (`bridge` when absent, the Linux default).
    pub fn network_mode(&self) -> Result<NetworkMode> {
        match self.network_mode.as_deref().unwrap_or("bridge") {
            "bridge" => Ok(NetworkMode::Bridge),
            "host" => Ok(NetworkMode::Host),
            "awsvpc" => Ok(NetworkMode::Awsvpc),
            "none" => Ok(NetworkMode::None),
            other => Err(Error::new(
                ErrorKind::Client,
                format!("Invalid networkMode `{other}`: use bridge, host, awsvpc or none"),
            )),
        }
    }

    /// `family:revision`.
    pub fn family_revision(&self) -> String {
        match self.revision {
            Some(revision) => format!("{}:{revision}", self.family),
            None => self.family.clone(),
        }
    }

    /// True when only Fargate can run it (`requiresCompatibilities: ["FARGATE"]`).
    pub fn is_fargate_only(&self) -> bool {
        !self.requires_compatibilities.is_empty() && self.requires_compatibilities.iter().all(|c| c == "FARGATE")
    }

    /// What one task reserves (D15): task-level `cpu`/`memory` win; otherwise the sums over the
    /// containers (`memoryReservation` before `memory`). Overrides apply first.
    pub fn reservation(&self, overrides: &SizeOverrides) -> Result<Reservation> {
        let mode = self.network_mode()?;
        let sizes = self
            .container_definitions
            .iter()
            .map(|c| container_size(c, overrides))
            .collect::<Result<Vec<_>>>()?;
        let sums = (
            total("CPU units", sizes.iter().map(|s| s.0))?,
            total("MiB of memory", sizes.iter().map(|s| s.1))?,
        );
        let cpu = match overrides.cpu.as_ref().or(self.cpu.as_ref()) {
            Some(text) => parse_cpu(text)?,
            None => sums.0,
        };
        let memory = match overrides.memory.as_ref().or(self.memory.as_ref()) {
            Some(text) => parse_memory(text)?,
            None => sums.1,
        };
        let mut reservation = Reservation {
            cpu,
            memory,
            eni: mode == NetworkMode::Awsvpc,
            ..Reservation::default()
        };
        for c in &self.container_definitions {
            reservation.gpus = reservation.gpus.saturating_add(gpus_of(c));
            add_ports(&mut reservation, c, mode);
        }
        Ok(reservation)
    }

    /// The registered `requiresAttributes` as (name, value) pairs, the form a placement request
    /// checks instances against.
    pub fn required_attribute_pairs(&self) -> Vec<(String, Option<String>)> {
        self.requires_attributes
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect()
    }

    /// The attributes ECS requires of an instance to run this definition.
    pub fn derive_requires_attributes(&self) -> Vec<String> {
        let mut names = Vec::new();
        let mut add = |name: String| {
            if !names.contains(&name) {
                names.push(name);
            }
        };
        if self.network_mode.as_deref() == Some("awsvpc") {
            add("ecs.capability.task-eni".into());
        }
        if self.task_role_arn.is_some() {
            add("com.amazonaws.ecs.capability.task-iam-role".into());
        }
        for volume in &self.volumes {
            if let Some(driver) = volume
                .docker_volume_configuration
                .as_ref()
                .and_then(|d| d.driver.as_ref())
            {
                add(docker_plugin_attribute(driver));
            }
            if volume.efs_volume_configuration.is_some() {
                add("ecs.capability.efs".into());
            }
        }
        for container in &self.container_definitions {
            container_requirements(container, self.execution_role_arn.is_some(), &mut add);
        }
        names
    }

    /// The checks RegisterTaskDefinition makes (ClientException).
    pub fn validate_for_registration(&self) -> Result<()> {
        check_family(&self.family)?;
        if self.container_definitions.is_empty() {
            return Err(client("Container list cannot be empty."));
        }
        let mode = self.network_mode()?;
        if let Some(bad) = self.placement_constraints.iter().find(|c| c.kind != "memberOf") {
            return Err(client(&format!("constraint.type '{}' is not supported.", bad.kind)));
        }
        self.validate_fargate(mode)?;
        for container in &self.container_definitions {
            validate_container(container, mode, self.memory.is_some())?;
        }
        self.reservation(&SizeOverrides::default()).map(|_| ())
    }

    fn validate_fargate(&self, mode: NetworkMode) -> Result<()> {
        if !self.requires_compatibilities.iter().any(|c| c == "FARGATE") {
            return Ok(());
        }
        if mode != NetworkMode::Awsvpc {
            return Err(client("Fargate only supports network mode \u{2018}awsvpc\u{2019}."));
        }
        let Some(cpu) = &self.cpu else {
            return Err(client("Fargate requires that 'cpu' be defined at the task level."));
        };
        let Some(memory) = &self.memory else {
            return Err(client("Fargate requires that 'memory' be defined at the task level."));
        };
        crate::fargate::check_task_size(parse_cpu(cpu)?, parse_memory(memory)?)
    }
}

/// The launch types a valid definition is compatible with (what ECS reports as
/// `compatibilities`): EC2 and EXTERNAL always, FARGATE when requested and valid.
pub fn compatibilities(definition: &TaskDefinition) -> Vec<String> {
    let mut out = vec!["EC2".to_string()];
    if definition.requires_compatibilities.iter().any(|c| c == "FARGATE") {
        out.push("FARGATE".into());
    }
    out.push("EXTERNAL".into());
    out
}

fn client(message: &str) -> Error {
    Error::new(ErrorKind::Client, message)
}

fn check_family(family: &str) -> Result<()> {
    let valid = !family.is_empty()
        && family.chars().count() <= 255
        && family
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(client(&format!(
            "Family `{family}` is invalid: use up to 255 letters (uppercase and lowercase), numbers, hyphens and underscores."
        )))
    }
}

fn validate_container(c: &ContainerDefinition, mode: NetworkMode, task_memory: bool) -> Result<()> {
    if !task_memory && c.memory.is_none() && c.memory_reservation.is_none() {
        return Err(client(&format!(
            "Invalid setting for container '{}'. At least one of 'memory' or 'memoryReservation' must be specified.",
            c.name
        )));
    }
    if let (Some(memory), Some(reservation)) = (c.memory, c.memory_reservation) {
        if memory <= reservation {
            return Err(client(&format!(
                "Invalid setting for container '{}'. The value for 'memory' must be greater than 'memoryReservation'.",
                c.name
            )));
        }
    }
    for mapping in &c.port_mappings {
        let host_differs = mapping.host_port.is_some_and(|h| Some(h) != mapping.container_port);
        match mode {
            NetworkMode::Awsvpc if host_differs => {
                return Err(client(
                    "When networkMode=awsvpc, the host ports and container ports in port mappings must match.",
                ));
            }
            NetworkMode::Host if host_differs => {
                return Err(client(
                    "When networkMode=host, the host ports and container ports in port mappings must match.",
                ));
            }
            NetworkMode::None => return Err(client("Port mappings are not supported when networkMode=none.")),
            _ => {}
        }
    }
    Ok(())
}

fn gpus_of(c: &ContainerDefinition) -> u32 {
    c.resource_requirements
        .iter()
        .filter(|r| r.kind == "GPU")
        .filter_map(|r| r.value.trim().parse::<u32>().ok())
        .fold(0, u32::saturating_add)
}

fn add_ports(reservation: &mut Reservation, c: &ContainerDefinition, mode: NetworkMode) {
    for mapping in &c.port_mappings {
        let host = match mode {
            NetworkMode::Bridge => mapping.host_port.filter(|p| *p != 0),
            NetworkMode::Host => mapping.host_port.or(mapping.container_port),
            NetworkMode::Awsvpc | NetworkMode::None => continue,
        };
        let udp = mapping.protocol.as_deref() == Some("udp");
        match (host, udp) {
            (None, _) => reservation.dynamic_ports += 1,
            (Some(port), false) => reservation.ports.push(port),
            (Some(port), true) => reservation.ports_udp.push(port),
        }
    }
}

fn container_requirements(c: &ContainerDefinition, execution_role: bool, add: &mut impl FnMut(String)) {
    if let Some(log) = &c.log_configuration {
        add(format!(
            "com.amazonaws.ecs.capability.logging-driver.{}",
            log.log_driver
        ));
        if log.log_driver == "awslogs" && execution_role {
            add("ecs.capability.execution-role-awslogs".into());
        }
        // Secrets for the log driver: the agent's `secrets.{asm,ssm}.bootstrap.log-driver`.
        let secret_sources = log
            .other
            .get("secretOptions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|o| o.get("valueFrom").and_then(Value::as_str));
        for source in secret_sources {
            add(format!(
                "ecs.capability.secrets.{}.bootstrap.log-driver",
                secret_store(source)
            ));
        }
    }
    if c.repository_credentials.is_some() {
        add("ecs.capability.private-registry-authentication.secretsmanager".into());
    }
    if c.image
        .as_deref()
        .is_some_and(|i| i.contains(".dkr.ecr.") && i.contains(".amazonaws.com"))
    {
        add("com.amazonaws.ecs.capability.ecr-auth".into());
        if execution_role {
            add("ecs.capability.execution-role-ecr-pull".into());
        }
    }
    for secret in &c.secrets {
        add(format!(
            "ecs.capability.secrets.{}.environment-variables",
            secret_store(&secret.value_from)
        ));
    }
    if c.other.contains_key("dependsOn") {
        add("ecs.capability.container-ordering".into());
    }
    if c.other.contains_key("healthCheck") {
        add("ecs.capability.container-health-check".into());
    }
    if let Some(firelens) = c.other.get("firelensConfiguration") {
        // The agent registers `ecs.capability.firelens.fluentd` and `...fluentbit`; a
        // definition needs the one its `firelensConfiguration.type` names.
        let kind = firelens.get("type").and_then(Value::as_str).unwrap_or("fluentbit");
        add(format!("ecs.capability.firelens.{kind}"));
    }
}

/// `asm` for a Secrets Manager secret, `ssm` for a Systems Manager parameter (the agent's names).
fn secret_store(value_from: &str) -> &'static str {
    if value_from.contains(":secretsmanager:") {
        "asm"
    } else {
        "ssm"
    }
}

/// The attribute an instance needs for a Docker volume driver: `ecs.capability.docker-plugin.`
/// and the driver name with every `:` (the tag separator) replaced by `.`, as the ECS agent
/// names the plugin capabilities it registers (attribute names cannot contain `:`). The agent
/// registers a plugin installed with the default tag under both names (`rexray/ebs` and
/// `rexray/ebs.latest`), so `rexray/ebs:latest` needs `...docker-plugin.rexray/ebs.latest`.
pub fn docker_plugin_attribute(driver: &str) -> String {
    format!("ecs.capability.docker-plugin.{}", driver.replace(':', "."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn td(value: Value) -> TaskDefinition {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_cpu("1 vCPU").unwrap(), 1024);
        assert_eq!(parse_cpu("0.5 vCPU").unwrap(), 512);
        assert_eq!(parse_cpu("256").unwrap(), 256);
        assert_eq!(parse_memory("1GB").unwrap(), 1024);
        assert_eq!(parse_memory("0.5 GB").unwrap(), 512);
        assert_eq!(parse_memory("512").unwrap(), 512);
        assert!(parse_cpu("lots").is_err());
        assert!(parse_memory("-1").is_err());
        assert!(parse_cpu("2147483648").is_err());
    }

    #[test]
    fn negative_and_overflowing_sizes_are_refused() {
        let negative =
            td(json!({"family": "a", "containerDefinitions": [{"name": "x", "cpu": -4096, "memory": -128}]}));
        let err = negative.validate_for_registration().unwrap_err();
        assert_eq!(
            err.message,
            "Invalid setting for container 'x'. 'cpu' is -4096; it must be between 0 and 2147483647."
        );
        let huge = td(json!({"family": "a", "containerDefinitions": [
            {"name": "x", "cpu": 2147483647, "memory": 1}, {"name": "y", "cpu": 2147483647, "memory": 1}]}));
        let err = huge.reservation(&SizeOverrides::default()).unwrap_err();
        assert!(
            err.message
                .starts_with("The containers reserve 4294967294 CPU units together"),
            "{}",
            err.message
        );
        let fine = td(json!({"family": "a", "containerDefinitions": [{"name": "x", "cpu": 10, "memory": 10}]}));
        let overrides = SizeOverrides {
            containers: vec![ContainerOverride {
                name: "x".into(),
                cpu: Some(-100_000),
                ..ContainerOverride::default()
            }],
            ..SizeOverrides::default()
        };
        let err = fine.reservation(&overrides).unwrap_err();
        assert!(
            err.message.contains("The override of 'cpu' is -100000"),
            "{}",
            err.message
        );
    }

    #[test]
    fn reservation_prefers_task_level_then_memory_reservation() {
        let def = td(json!({"family": "a", "containerDefinitions": [
            {"name": "x", "cpu": 128, "memory": 300, "memoryReservation": 128},
            {"name": "y", "memory": 256, "portMappings": [{"containerPort": 80, "hostPort": 8080}, {"containerPort": 81}, {"containerPort": 53, "hostPort": 53, "protocol": "udp"}]}
        ]}));
        let r = def.reservation(&SizeOverrides::default()).unwrap();
        assert_eq!(
            (r.cpu, r.memory, r.ports, r.ports_udp, r.dynamic_ports),
            (128, 384, vec![8080], vec![53], 1)
        );
        let with_task = td(
            json!({"family": "a", "cpu": "1 vCPU", "memory": "2GB", "containerDefinitions": [{"name": "x", "memory": 300}]}),
        );
        let r = with_task.reservation(&SizeOverrides::default()).unwrap();
        assert_eq!((r.cpu, r.memory), (1024, 2048));
    }

    #[test]
    fn derived_attributes() {
        let def = td(json!({
            "family": "space", "networkMode": "awsvpc", "executionRoleArn": "arn:aws:iam::1:role/x",
            "containerDefinitions": [{"name": "s", "image": "1.dkr.ecr.us-east-1.amazonaws.com/space",
                "logConfiguration": {"logDriver": "awslogs", "options": {}},
                "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:1:secret:x"}}],
            "volumes": [{"name": "v", "dockerVolumeConfiguration": {"driver": "rexray/efs", "scope": "shared"}}]
        }));
        assert_eq!(
            def.derive_requires_attributes(),
            vec![
                "ecs.capability.task-eni",
                "ecs.capability.docker-plugin.rexray/efs",
                "com.amazonaws.ecs.capability.logging-driver.awslogs",
                "ecs.capability.execution-role-awslogs",
                "ecs.capability.private-registry-authentication.secretsmanager",
                "com.amazonaws.ecs.capability.ecr-auth",
                "ecs.capability.execution-role-ecr-pull",
            ]
        );
    }

    /// Issue 11, divergences 1 and 7: the names the ECS agent registers (its
    /// `agent/app/agent_capability.go`): `ecs.capability.private-registry-authentication.secretsmanager`
    /// (no `com.amazonaws.` prefix), a tagged plugin with `:` replaced by `.`, and the FireLens
    /// capability of the configuration's type.
    #[test]
    fn derived_attribute_names_are_the_ones_the_agent_registers() {
        let def = td(json!({
            "family": "f",
            "containerDefinitions": [
                {"name": "a", "memory": 64, "repositoryCredentials": {"credentialsParameter": "arn:aws:secretsmanager:us-east-1:1:secret:x"}},
                {"name": "b", "memory": 64, "firelensConfiguration": {"type": "fluentd"}},
                {"name": "c", "memory": 64, "logConfiguration": {"logDriver": "splunk",
                    "secretOptions": [{"name": "splunk-token", "valueFrom": "arn:aws:ssm:us-east-1:1:parameter/token"}]}}
            ],
            "volumes": [{"name": "v", "dockerVolumeConfiguration": {"driver": "rexray/ebs:latest", "scope": "shared"}}]
        }));
        let names = def.derive_requires_attributes();
        assert_eq!(
            names,
            vec![
                "ecs.capability.docker-plugin.rexray/ebs.latest",
                "ecs.capability.private-registry-authentication.secretsmanager",
                "ecs.capability.firelens.fluentd",
                "com.amazonaws.ecs.capability.logging-driver.splunk",
                "ecs.capability.secrets.ssm.bootstrap.log-driver",
            ]
        );
        for name in &names {
            assert!(crate::scenario::check_attribute_name(name).is_ok(), "{name}");
        }
        assert_eq!(
            docker_plugin_attribute("rexray/ebs"),
            "ecs.capability.docker-plugin.rexray/ebs"
        );
    }

    #[test]
    fn registration_checks() {
        let distinct = td(
            json!({"family": "a", "containerDefinitions": [{"name": "x", "memory": 1}], "placementConstraints": [{"type": "distinctInstance"}]}),
        );
        assert_eq!(
            distinct.validate_for_registration().unwrap_err().message,
            "constraint.type 'distinctInstance' is not supported."
        );
        let no_memory = td(json!({"family": "a", "containerDefinitions": [{"name": "x"}]}));
        assert!(
            no_memory
                .validate_for_registration()
                .unwrap_err()
                .message
                .contains("At least one of 'memory' or 'memoryReservation'")
        );
        let fargate = td(
            json!({"family": "a", "requiresCompatibilities": ["FARGATE"], "containerDefinitions": [{"name": "x", "memory": 1}]}),
        );
        assert!(
            fargate
                .validate_for_registration()
                .unwrap_err()
                .message
                .contains("awsvpc")
        );
        let keeps_other_fields = td(
            json!({"family": "a", "containerDefinitions": [{"name": "x", "memory": 1, "essential": true}], "tags": [{"key": "k", "value": "v"}]}),
        );
        assert_eq!(
            serde_json::to_value(&keeps_other_fields).unwrap()["tags"],
            json!([{"key": "k", "value": "v"}])
        );
    }
}
