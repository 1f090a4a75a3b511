//! The AWS `Task` object (RunTask, DescribeTasks, StopTask responses) built from a scenario task.

use crate::model::{ContainerInstance, Task, TaskStatus};
use crate::scenario::Scenario;
use crate::taskdef::TaskDefinition;
use serde_json::{Map, Value, json};

/// The `Task` JSON, keys in the order the ECS API returns them.
pub fn task_json(scenario: &Scenario, task: &Task) -> Value {
    let instance = scenario
        .instances
        .iter()
        .find(|i| i.container_instance_arn == task.container_instance_arn);
    task_json_on(scenario, task, instance, None)
}

/// [`task_json`] for a task whose instance the caller knows (RunTask's placements). `last_status`
/// overrides the stored status (RunTask answers `PENDING`).
pub fn task_json_on(
    scenario: &Scenario,
    task: &Task,
    instance: Option<&ContainerInstance>,
    last_status: Option<TaskStatus>,
) -> Value {
    let definition = find_definition(scenario, &task.task_definition_arn);
    let last = last_status.unwrap_or(task.last_status);
    let eni = task.eni.then(|| TaskEni::of(scenario, task, instance));
    let mut object = Map::new();
    let attachments: Vec<Value> = eni.iter().map(|e| e.attachment_json(last)).collect();
    object.insert("attachments".into(), Value::Array(attachments));
    if let Some(architecture) = instance.and_then(cpu_architecture) {
        object.insert(
            "attributes".into(),
            json!([{"name": "ecs.cpu-architecture", "value": architecture}]),
        );
    }
    if let Some(zone) = instance.and_then(|i| i.availability_zone()) {
        object.insert("availabilityZone".into(), json!(zone));
    }
    object.insert("clusterArn".into(), json!(scenario.cluster.arn()));
    object.insert("containerInstanceArn".into(), json!(task.container_instance_arn));
    let containers = ContainersOf {
        scenario,
        task,
        last,
        eni: eni.as_ref(),
    };
    object.insert("containers".into(), Value::Array(containers.json(definition)));
    object.insert("cpu".into(), json!(task.cpu.to_string()));
    if let Some(created) = task.created_at.or_else(|| instance.map(|i| i.registered_at)) {
        object.insert("createdAt".into(), json!(created.to_string()));
    }
    object.insert("desiredStatus".into(), json!(task.desired_status.as_str()));
    object.insert(
        "enableExecuteCommand".into(),
        json!(task.details().enable_execute_command),
    );
    object.insert("group".into(), json!(task.group));
    object.insert("lastStatus".into(), json!(last.as_str()));
    object.insert(
        "launchType".into(),
        json!(launch_type(
            instance.map(|i| i.attributes.contains_key("ecs.capability.external"))
        )),
    );
    object.insert("memory".into(), json!(task.memory.to_string()));
    object.insert("overrides".into(), overrides(task, definition));
    if let Some(started_by) = &task.started_by {
        object.insert("startedBy".into(), json!(started_by));
    }
    if let Some(code) = &task.details().stop_code {
        object.insert("stopCode".into(), json!(code));
    }
    if let Some(reason) = &task.details().stopped_reason {
        object.insert("stoppedReason".into(), json!(reason));
    }
    object.insert("tags".into(), json!([]));
    object.insert("taskArn".into(), json!(task.task_arn));
    object.insert("taskDefinitionArn".into(), json!(task.task_definition_arn));
    object.insert("version".into(), json!(if last == TaskStatus::Pending { 1 } else { 2 }));
    super::fargate::decorate(task, &mut object);
    Value::Object(object)
}

/// The `ecs.cpu-architecture` a task reports (DescribeTasks' `attributes`): its instance's
/// attribute, else what the instance type implies.
fn cpu_architecture(instance: &ContainerInstance) -> Option<String> {
    match instance.attribute("ecs.cpu-architecture") {
        Some(Some(value)) => Some(value.to_string()),
        _ => instance
            .instance_type()
            .map(|t| crate::catalog::cpu_architecture(t).to_string()),
    }
}

fn launch_type(external: Option<bool>) -> &'static str {
    if external == Some(true) { "EXTERNAL" } else { "EC2" }
}

/// The registered definition a task names (by ARN or `family:revision`).
pub fn find_definition<'a>(scenario: &'a Scenario, reference: &str) -> Option<&'a TaskDefinition> {
    scenario
        .task_definitions
        .iter()
        .find(|d| d.task_definition_arn.as_deref() == Some(reference) || d.family_revision() == reference)
}

/// What the `containers` of a task are built from.
struct ContainersOf<'a> {
    scenario: &'a Scenario,
    task: &'a Task,
    last: TaskStatus,
    eni: Option<&'a TaskEni>,
}

impl ContainersOf<'_> {
    /// One container per container definition; for a task whose definition the scenario lacks
    /// (imported or preset tasks), one container named after the definition's family that holds
    /// the task's CPU, memory, GPUs and static host ports.
    fn json(&self, definition: Option<&TaskDefinition>) -> Vec<Value> {
        match definition {
            Some(definition) => definition
                .container_definitions
                .iter()
                .enumerate()
                .map(|(index, c)| self.container(index, c))
                .collect(),
            None => vec![self.stand_in()],
        }
    }

    fn container(&self, index: usize, c: &crate::taskdef::ContainerDefinition) -> Value {
        let mut container = self.head(index, &c.name);
        if let Some(image) = &c.image {
            container.insert("image".into(), json!(image));
        }
        self.status_and_network(&mut container, bindings(self.task, c));
        container.insert("cpu".into(), json!(c.cpu.unwrap_or(0).to_string()));
        if let Some(memory) = c.memory {
            container.insert("memory".into(), json!(memory.to_string()));
        }
        if let Some(reservation) = c.memory_reservation {
            container.insert("memoryReservation".into(), json!(reservation.to_string()));
        }
        if !self.task.details().gpu_ids.is_empty() && c.resource_requirements.iter().any(|r| r.kind == "GPU") {
            container.insert("gpuIds".into(), json!(self.task.details().gpu_ids));
        }
        Value::Object(container)
    }

    fn stand_in(&self) -> Value {
        let name = family_of(&self.task.task_definition_arn);
        let mut container = self.head(0, name);
        let held = |ports: &[u16], protocol: &str| -> Vec<Value> {
            ports
                .iter()
                .map(|p| json!({"bindIP": "0.0.0.0", "containerPort": p, "hostPort": p, "protocol": protocol}))
                .collect()
        };
        let mut bindings = held(&self.task.details().ports, "tcp");
        bindings.extend(held(&self.task.details().ports_udp, "udp"));
        self.status_and_network(&mut container, bindings);
        container.insert("cpu".into(), json!(self.task.cpu.to_string()));
        container.insert("memory".into(), json!(self.task.memory.to_string()));
        if !self.task.details().gpu_ids.is_empty() {
            container.insert("gpuIds".into(), json!(self.task.details().gpu_ids));
        }
        Value::Object(container)
    }

    fn head(&self, index: usize, name: &str) -> Map<String, Value> {
        let id = format!("{}-{index}", self.task.short_id());
        let mut container = Map::new();
        container.insert(
            "containerArn".into(),
            json!(self.scenario.cluster.resource_arn("container", &id)),
        );
        container.insert("taskArn".into(), json!(self.task.task_arn));
        container.insert("name".into(), json!(name));
        container
    }

    /// `lastStatus`, `networkBindings`, and the task ENI once it is attached.
    fn status_and_network(&self, container: &mut Map<String, Value>, bindings: Vec<Value>) {
        container.insert("lastStatus".into(), json!(self.last.as_str()));
        container.insert("networkBindings".into(), Value::Array(bindings));
        let interfaces: Vec<Value> = self
            .eni
            .filter(|_| !matches!(self.last, TaskStatus::Pending | TaskStatus::Provisioning))
            .map(|eni| json!({"attachmentId": eni.attachment_id, "privateIpv4Address": eni.private_ip}))
            .into_iter()
            .collect();
        container.insert("networkInterfaces".into(), Value::Array(interfaces));
    }
}

/// The family a task definition ARN or `family:revision` names (`web` of
/// `arn:aws:ecs:...:task-definition/web:7`).
fn family_of(reference: &str) -> &str {
    let name = reference.rsplit('/').next().unwrap_or(reference);
    name.split(':').next().unwrap_or(name)
}

fn bindings(task: &Task, container: &crate::taskdef::ContainerDefinition) -> Vec<Value> {
    container
        .port_mappings
        .iter()
        .filter_map(|m| {
            let udp = m.protocol.as_deref() == Some("udp");
            let held = if udp {
                &task.details().ports_udp
            } else {
                &task.details().ports
            };
            let host = m.host_port.filter(|p| *p != 0 && held.contains(p))?;
            Some(json!({
                "bindIP": "0.0.0.0",
                "containerPort": m.container_port.unwrap_or(host),
                "hostPort": host,
                "protocol": if udp { "udp" } else { "tcp" },
            }))
        })
        .collect()
}

/// The `overrides` echo: a `containerOverrides` entry per container of the definition (the
/// override given for it, else just its name) and any others given, then the task-level
/// overrides given (`cpu`, `memory`, roles, ...).
fn overrides(task: &Task, definition: Option<&TaskDefinition>) -> Value {
    let given = task.details().overrides.as_deref().and_then(Value::as_object);
    let given_containers: Vec<&Value> = given
        .and_then(|o| o.get("containerOverrides"))
        .and_then(Value::as_array)
        .map(|items| items.iter().collect())
        .unwrap_or_default();
    let named = |name: &str| {
        given_containers
            .iter()
            .find(|c| c.get("name").and_then(Value::as_str) == Some(name))
            .map(|c| (*c).clone())
    };
    let defined: Vec<&str> = definition
        .map(|d| d.container_definitions.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    let mut containers: Vec<Value> = defined
        .iter()
        .map(|name| named(name).unwrap_or_else(|| json!({"name": name})))
        .collect();
    containers.extend(
        given_containers
            .iter()
            .filter(|c| {
                !c.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| defined.contains(&n))
            })
            .map(|c| (*c).clone()),
    );
    let mut out = Map::new();
    out.insert("containerOverrides".into(), Value::Array(containers));
    let accelerators = given.and_then(|o| o.get("inferenceAcceleratorOverrides")).cloned();
    out.insert(
        "inferenceAcceleratorOverrides".into(),
        accelerators.unwrap_or_else(|| json!([])),
    );
    for (key, value) in given.into_iter().flatten() {
        if !out.contains_key(key) {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}

/// A task's ENI (awsvpc) as ECS describes it. The IDs and addresses are derived from the task
/// ID, so that they are stable; the subnet is the one RunTask chose, else one of the task's
/// service's subnets in the instance's zone, else the instance's own (`ecs.subnet-id`).
struct TaskEni {
    attachment_id: String,
    subnet: Option<String>,
    interface_id: String,
    mac_address: String,
    private_ip: String,
    private_dns_name: String,
}

impl TaskEni {
    fn of(scenario: &Scenario, task: &Task, instance: Option<&ContainerInstance>) -> TaskEni {
        let id = task.short_id();
        let hex = |range: std::ops::Range<usize>, fallback: &'static str| id.get(range).unwrap_or(fallback).to_string();
        let byte = |at: usize| u8::from_str_radix(id.get(at..at + 2).unwrap_or("00"), 16).unwrap_or(0);
        let attachment_id = format!(
            "{}-{}-{}-{}-{}",
            hex(0..8, "00000000"),
            hex(8..12, "0000"),
            hex(12..16, "0000"),
            hex(16..20, "0000"),
            hex(20..32, "000000000000")
        );
        let (third, fourth) = (byte(0), byte(2) % 250 + 4);
        let private_ip = format!("10.0.{third}.{fourth}");
        let dns_suffix = match scenario.cluster.region.as_str() {
            "us-east-1" => "ec2.internal".to_string(),
            region => format!("{region}.compute.internal"),
        };
        TaskEni {
            subnet: task
                .details()
                .subnet_id
                .as_deref()
                .map(str::to_string)
                .or_else(|| task.fargate().map(|f| f.subnet_id.clone()))
                .or_else(|| fallback_subnet(scenario, task, instance)),
            interface_id: format!("eni-{}", hex(15..32, "00000000000000000")),
            mac_address: format!(
                "0e:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
                byte(4),
                byte(6),
                byte(8),
                byte(10),
                byte(12)
            ),
            private_dns_name: format!("ip-10-0-{third}-{fourth}.{dns_suffix}"),
            private_ip,
            attachment_id,
        }
    }

    /// `PRECREATED` with the subnet while the task is pending (RunTask's answer), `ATTACHED` with
    /// the interface's details once it runs, `DELETED` once it stopped.
    fn attachment_json(&self, last: TaskStatus) -> Value {
        let subnet = self.subnet.iter().map(|s| json!({"name": "subnetId", "value": s}));
        let (status, details): (&str, Vec<Value>) = match last {
            TaskStatus::Pending | TaskStatus::Provisioning => ("PRECREATED", subnet.collect()),
            other => {
                let status = if matches!(other, TaskStatus::Stopped | TaskStatus::Deleted) {
                    "DELETED"
                } else {
                    "ATTACHED"
                };
                let interface = [
                    ("networkInterfaceId", &self.interface_id),
                    ("macAddress", &self.mac_address),
                    ("privateDnsName", &self.private_dns_name),
                    ("privateIPv4Address", &self.private_ip),
                ]
                .into_iter()
                .map(|(name, value)| json!({"name": name, "value": value}));
                (status, subnet.chain(interface).collect())
            }
        };
        json!({"id": self.attachment_id, "type": "ElasticNetworkInterface", "status": status, "details": details})
    }
}

/// The subnet of a task RunTask did not place: one of its service's subnets in the instance's
/// zone, else the instance's `ecs.subnet-id`.
fn fallback_subnet(scenario: &Scenario, task: &Task, instance: Option<&ContainerInstance>) -> Option<String> {
    let zone = instance.and_then(|i| i.availability_zone());
    let service_subnet = task.group.strip_prefix("service:").and_then(|name| {
        let service = scenario.services.iter().find(|s| s.service_name == name)?;
        let config = service.network_configuration.as_ref()?.awsvpc_configuration.as_ref()?;
        config
            .subnets
            .iter()
            .find(|s| zone.is_some() && super::run_task::subnet_zone(scenario, s).map(|(z, _)| z).as_deref() == zone)
            .cloned()
    });
    service_subnet.or_else(|| {
        instance
            .and_then(|i| i.attribute("ecs.subnet-id").flatten())
            .map(str::to_string)
    })
}
