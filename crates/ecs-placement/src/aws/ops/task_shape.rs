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
    task_json_on(scenario, task, instance, None, None)
}

/// [`task_json`] for a task whose instance the caller knows (RunTask's placements). `last_status`
/// overrides the stored status (RunTask answers `PENDING`); `subnet` is the ENI's.
pub fn task_json_on(
    scenario: &Scenario,
    task: &Task,
    instance: Option<&ContainerInstance>,
    last_status: Option<TaskStatus>,
    subnet: Option<&str>,
) -> Value {
    let definition = find_definition(scenario, &task.task_definition_arn);
    let last = last_status.unwrap_or(task.last_status);
    let mut object = Map::new();
    let subnet = subnet.or_else(|| task.fargate.as_ref().map(|f| f.subnet_id.as_str()));
    let attachments = match (task.eni, subnet) {
        (true, subnet) => vec![eni_attachment(task, subnet)],
        (false, _) => Vec::new(),
    };
    object.insert("attachments".into(), Value::Array(attachments));
    if let Some(zone) = instance.and_then(|i| i.availability_zone()) {
        object.insert("availabilityZone".into(), json!(zone));
    }
    object.insert("clusterArn".into(), json!(scenario.cluster.arn()));
    object.insert("containerInstanceArn".into(), json!(task.container_instance_arn));
    object.insert(
        "containers".into(),
        Value::Array(containers(scenario, task, definition, last)),
    );
    object.insert("cpu".into(), json!(task.cpu.to_string()));
    object.insert("desiredStatus".into(), json!(task.desired_status.as_str()));
    object.insert("group".into(), json!(task.group));
    object.insert("lastStatus".into(), json!(last.as_str()));
    object.insert(
        "launchType".into(),
        json!(launch_type(
            instance.map(|i| i.attributes.contains_key("ecs.capability.external"))
        )),
    );
    object.insert("memory".into(), json!(task.memory.to_string()));
    object.insert("overrides".into(), overrides(definition));
    if let Some(started_by) = &task.started_by {
        object.insert("startedBy".into(), json!(started_by));
    }
    if let Some(code) = &task.stop_code {
        object.insert("stopCode".into(), json!(code));
    }
    if let Some(reason) = &task.stopped_reason {
        object.insert("stoppedReason".into(), json!(reason));
    }
    object.insert("tags".into(), json!([]));
    object.insert("taskArn".into(), json!(task.task_arn));
    object.insert("taskDefinitionArn".into(), json!(task.task_definition_arn));
    object.insert("version".into(), json!(if last == TaskStatus::Pending { 1 } else { 2 }));
    super::fargate::decorate(task, &mut object);
    Value::Object(object)
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

fn containers(scenario: &Scenario, task: &Task, definition: Option<&TaskDefinition>, last: TaskStatus) -> Vec<Value> {
    let Some(definition) = definition else {
        return Vec::new();
    };
    definition
        .container_definitions
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let id = format!("{}-{index}", task.short_id());
            let mut container = Map::new();
            container.insert(
                "containerArn".into(),
                json!(scenario.cluster.resource_arn("container", &id)),
            );
            container.insert("taskArn".into(), json!(task.task_arn));
            container.insert("name".into(), json!(c.name));
            if let Some(image) = &c.image {
                container.insert("image".into(), json!(image));
            }
            container.insert("lastStatus".into(), json!(last.as_str()));
            container.insert("networkBindings".into(), Value::Array(bindings(task, c)));
            container.insert("networkInterfaces".into(), json!([]));
            container.insert("cpu".into(), json!(c.cpu.unwrap_or(0).to_string()));
            if let Some(memory) = c.memory {
                container.insert("memory".into(), json!(memory.to_string()));
            }
            if let Some(reservation) = c.memory_reservation {
                container.insert("memoryReservation".into(), json!(reservation.to_string()));
            }
            if !task.gpu_ids.is_empty() && c.resource_requirements.iter().any(|r| r.kind == "GPU") {
                container.insert("gpuIds".into(), json!(task.gpu_ids));
            }
            Value::Object(container)
        })
        .collect()
}

fn bindings(task: &Task, container: &crate::taskdef::ContainerDefinition) -> Vec<Value> {
    container
        .port_mappings
        .iter()
        .filter_map(|m| {
            let udp = m.protocol.as_deref() == Some("udp");
            let held = if udp { &task.ports_udp } else { &task.ports };
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

fn overrides(definition: Option<&TaskDefinition>) -> Value {
    let containers: Vec<Value> = definition
        .map(|d| {
            d.container_definitions
                .iter()
                .map(|c| json!({"name": c.name}))
                .collect()
        })
        .unwrap_or_default();
    json!({"containerOverrides": containers, "inferenceAcceleratorOverrides": []})
}

fn eni_attachment(task: &Task, subnet: Option<&str>) -> Value {
    let id = task.short_id();
    let attachment_id = format!(
        "{}-{}-{}-{}-{}",
        id.get(0..8).unwrap_or("00000000"),
        id.get(8..12).unwrap_or("0000"),
        id.get(12..16).unwrap_or("0000"),
        id.get(16..20).unwrap_or("0000"),
        id.get(20..32).unwrap_or("000000000000")
    );
    let details: Vec<Value> = subnet
        .map(|s| vec![json!({"name": "subnetId", "value": s})])
        .unwrap_or_default();
    json!({"id": attachment_id, "type": "ElasticNetworkInterface", "status": "PRECREATED", "details": details})
}
