//! Import from real AWS output: `aws ecs describe-container-instances` (and optionally
//! `aws ecs describe-tasks`) JSON into a scenario. The user's ARNs and IDs are kept as they are.

use crate::Name;
use crate::error::{Error, Result};
use crate::model::{ContainerInstance, InstanceStatus, Resources, Task, TaskDetails, TaskStatus};
use crate::scenario::{ClusterInfo, Scenario};
use crate::time::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

pub mod services;
pub use services::ServiceEvents;

/// A scenario built from AWS output, with notes about what was skipped.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The scenario.
    pub scenario: Scenario,
    /// Things the import skipped or assumed, one sentence each.
    pub warnings: Vec<String>,
}

/// Builds a scenario from `describe-container-instances` JSON and optional `describe-tasks` JSON.
pub fn import(instances_json: &str, tasks_json: Option<&str>) -> Result<Imported> {
    import_all(instances_json, tasks_json, None)
}

/// Builds a scenario from `describe-container-instances` JSON, optional `describe-tasks` JSON and
/// optional `describe-services` JSON (see [`crate::import::services`]).
pub fn import_all(
    instances_json: &str,
    tasks_json: Option<&str>,
    services: Option<(&str, ServiceEvents)>,
) -> Result<Imported> {
    let described: DescribedInstances = parse_document(instances_json, "describe-container-instances")?;
    if described.container_instances.is_empty() {
        return Err(
            Error::invalid_input("the describe-container-instances output lists no container instances")
                .at_path("containerInstances"),
        );
    }
    let cluster = cluster_of(&described.container_instances)?;
    let mut warnings = Vec::new();
    let mut scenario = Scenario::new(cluster);
    for (index, aws) in described.container_instances.into_iter().enumerate() {
        let instance = convert_instance(aws).map_err(|e| prefix_path(e, &format!("containerInstances[{index}]")))?;
        scenario.instances.push(instance);
    }
    if let Some(tasks_json) = tasks_json {
        let described: DescribedTasks = parse_document(tasks_json, "describe-tasks")?;
        import_tasks(&mut scenario, described.tasks, &mut warnings);
    }
    let running = running_counts(&scenario);
    for instance in &mut scenario.instances {
        let known = running
            .get(instance.container_instance_arn.as_str())
            .copied()
            .unwrap_or(0);
        instance.untracked_running_tasks = instance.untracked_running_tasks.saturating_sub(known);
    }
    if let Some((text, events)) = services {
        services::import_services(&mut scenario, text, events, tasks_json.is_some(), &mut warnings)?;
    }
    let scenario = scenario.normalized()?;
    Ok(Imported { scenario, warnings })
}

fn parse_document<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    let value = crate::json::parse_named(text, &format!("the {what} output"))?;
    crate::json::typed::from_value(value)
        .map_err(|e| Error::invalid_input(format!("unexpected {what} output: {}", e.message)).at_path(e.path))
}

fn prefix_path(mut error: Error, prefix: &str) -> Error {
    error.path = Some(match error.path.take() {
        // `registeredResources` + `[1]` is `registeredResources[1]`, not `registeredResources.[1]`.
        Some(path) if path.starts_with('[') => format!("{prefix}{path}"),
        Some(path) if !path.is_empty() => format!("{prefix}.{path}"),
        _ => prefix.to_string(),
    });
    error
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DescribedInstances {
    container_instances: Vec<AwsContainerInstance>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AwsContainerInstance {
    container_instance_arn: String,
    #[serde(default)]
    ec2_instance_id: Option<String>,
    #[serde(default)]
    version_info: Option<VersionInfo>,
    #[serde(default)]
    remaining_resources: Option<Vec<AwsResource>>,
    #[serde(default)]
    registered_resources: Vec<AwsResource>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    agent_connected: Option<bool>,
    #[serde(default)]
    running_tasks_count: Option<u32>,
    #[serde(default)]
    attributes: Vec<AwsAttribute>,
    #[serde(default)]
    registered_at: Option<Timestamp>,
    #[serde(default)]
    version: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VersionInfo {
    #[serde(default)]
    agent_version: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AwsResource {
    name: String,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    double_value: Option<f64>,
    #[serde(default)]
    long_value: Option<i64>,
    #[serde(default)]
    integer_value: Option<i64>,
    #[serde(default)]
    string_set_value: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct AwsAttribute {
    name: String,
    #[serde(default)]
    value: Option<String>,
}

fn cluster_of(instances: &[AwsContainerInstance]) -> Result<ClusterInfo> {
    let mut found: Option<ClusterInfo> = None;
    for (index, instance) in instances.iter().enumerate() {
        let info = cluster_from_arn(&instance.container_instance_arn).ok_or_else(|| {
            Error::invalid_input(format!(
                "`{}` is not a container instance ARN",
                instance.container_instance_arn
            ))
            .at_path(format!("containerInstances[{index}].containerInstanceArn"))
        })?;
        match &found {
            Some(first) if *first != info => {
                return Err(Error::invalid_input(format!(
                    "the instances belong to different clusters (`{}` and `{}`); import one cluster at a time",
                    first.arn(),
                    info.arn()
                ))
                .at_path(format!("containerInstances[{index}].containerInstanceArn")));
            }
            _ => found = Some(info),
        }
    }
    found.ok_or_else(|| Error::invalid_input("no container instances"))
}

/// Region, account and cluster from `arn:aws:ecs:REGION:ACCOUNT:container-instance/CLUSTER/ID`
/// (the older `container-instance/ID` form belongs to the `default` cluster).
fn cluster_from_arn(arn: &str) -> Option<ClusterInfo> {
    let mut parts = arn.splitn(6, ':');
    let (_, _, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if service != "ecs" {
        return None;
    }
    let path: Vec<&str> = resource.strip_prefix("container-instance/")?.split('/').collect();
    let name = match path.as_slice() {
        [_id] => "default",
        [cluster, _id] => cluster,
        _ => return None,
    };
    Some(ClusterInfo {
        name: name.to_string(),
        region: region.to_string(),
        account_id: account.to_string(),
    })
}

fn convert_instance(aws: AwsContainerInstance) -> Result<ContainerInstance> {
    let status = match aws.status.as_deref() {
        None => InstanceStatus::Active,
        Some(text) => InstanceStatus::parse(text).ok_or_else(|| {
            Error::invalid_input(format!("unknown container instance status `{text}`")).at_path("status")
        })?,
    };
    let registered = convert_resources(&aws.registered_resources).map_err(|e| prefix_path(e, "registeredResources"))?;
    let remaining = aws
        .remaining_resources
        .as_deref()
        .map(convert_resources)
        .transpose()
        .map_err(|e| prefix_path(e, "remainingResources"))?;
    let attributes: BTreeMap<String, Option<String>> =
        crate::order::map_of(aws.attributes.into_iter().map(|a| (a.name, a.value)));
    Ok(ContainerInstance {
        container_instance_arn: aws.container_instance_arn.into(),
        ec2_instance_id: aws.ec2_instance_id.unwrap_or_default().into(),
        status,
        agent_connected: aws.agent_connected.unwrap_or(true),
        agent_version: aws
            .version_info
            .and_then(|v| v.agent_version)
            .unwrap_or_default()
            .into(),
        registered_at: aws.registered_at.unwrap_or_default(),
        registered_resources: Some(registered.into()),
        remaining_resources: remaining,
        task_eni_limit: None,
        attributes: attributes.into(),
        untracked_running_tasks: aws.running_tasks_count.unwrap_or(0),
        version: aws.version.unwrap_or(crate::model::FIRST_VERSION),
    })
}

fn convert_resources(resources: &[AwsResource]) -> Result<Resources> {
    let mut out = Resources::default();
    for (index, resource) in resources.iter().enumerate() {
        let at = |e: Error| prefix_path(e, &format!("[{index}]"));
        match resource.name.as_str() {
            "CPU" => out.cpu = units(resource).map_err(at)?,
            "MEMORY" => out.memory = units(resource).map_err(at)?,
            "PORTS" => out.ports = ports(resource).map_err(at)?.into(),
            "PORTS_UDP" => out.ports_udp = ports(resource).map_err(at)?.into(),
            "GPU" => out.gpus = resource.string_set_value.clone().unwrap_or_default().into(),
            _ => {}
        }
    }
    Ok(out)
}

/// The value of a numeric resource, by its declared type (INTEGER, LONG or DOUBLE).
/// A CPU or MEMORY figure, which AWS gives as a 32-bit `integerValue`.
fn units(resource: &AwsResource) -> Result<i32> {
    let value = number(resource);
    crate::model::units_from(value)
        .map_err(|range| Error::invalid_input(format!("{} is {value}: it {range}", resource.name)))
}

fn number(resource: &AwsResource) -> i64 {
    let double = resource.double_value.map(|d| d.round() as i64);
    match resource.kind.as_deref() {
        Some("LONG") => resource.long_value.or(resource.integer_value).or(double),
        Some("DOUBLE") => double.or(resource.integer_value).or(resource.long_value),
        _ => resource.integer_value.or(resource.long_value).or(double),
    }
    .unwrap_or(0)
}

fn ports(resource: &AwsResource) -> Result<std::collections::BTreeSet<u16>> {
    let mut ports = std::collections::BTreeSet::new();
    for p in resource.string_set_value.iter().flatten() {
        let port = p
            .trim()
            .parse::<u16>()
            .map_err(|_| Error::invalid_input(format!("`{p}` is not a port number")).at_path("stringSetValue"))?;
        ports.insert(port);
    }
    Ok(ports)
}

#[derive(Deserialize)]
struct DescribedTasks {
    tasks: Vec<AwsTask>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AwsTask {
    task_arn: String,
    #[serde(default)]
    container_instance_arn: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    task_definition_arn: Option<String>,
    #[serde(default)]
    desired_status: Option<String>,
    #[serde(default)]
    last_status: Option<String>,
    #[serde(default)]
    cpu: Option<serde_json::Value>,
    #[serde(default)]
    memory: Option<serde_json::Value>,
    #[serde(default)]
    containers: Vec<AwsContainer>,
    #[serde(default)]
    attachments: Vec<AwsAttachment>,
    #[serde(default)]
    started_by: Option<String>,
    #[serde(default)]
    created_at: Option<Timestamp>,
    #[serde(default)]
    stopped_reason: Option<String>,
    #[serde(default)]
    stop_code: Option<String>,
    #[serde(default)]
    overrides: Option<serde_json::Value>,
    #[serde(default)]
    enable_execute_command: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AwsContainer {
    #[serde(default)]
    network_bindings: Vec<NetworkBinding>,
    #[serde(default)]
    gpu_ids: Vec<String>,
    #[serde(default)]
    cpu: Option<serde_json::Value>,
    #[serde(default)]
    memory: Option<serde_json::Value>,
    #[serde(default)]
    memory_reservation: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NetworkBinding {
    #[serde(default)]
    host_port: Option<u16>,
    #[serde(default)]
    protocol: Option<String>,
}

#[derive(Deserialize)]
struct AwsAttachment {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    details: Vec<AwsKeyValue>,
}

#[derive(Deserialize)]
struct AwsKeyValue {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

/// Whether an imported `overrides` echo overrides anything: more than the containers' names
/// (which DescribeTasks lists for every container) or a non-empty task-level member.
fn overrides_anything(overrides: &serde_json::Value) -> bool {
    let Some(members) = overrides.as_object() else {
        return false;
    };
    members.iter().any(|(key, value)| match (key.as_str(), value) {
        ("containerOverrides", serde_json::Value::Array(items)) => items
            .iter()
            .any(|c| c.as_object().is_some_and(|o| o.keys().any(|k| k != "name"))),
        (_, serde_json::Value::Array(items)) => !items.is_empty(),
        (_, serde_json::Value::Null) => false,
        _ => true,
    })
}

/// The `subnetId` of a task's ENI attachment.
fn eni_subnet(attachments: &[AwsAttachment]) -> Option<String> {
    attachments
        .iter()
        .filter(|a| a.kind.as_deref() == Some("ElasticNetworkInterface"))
        .flat_map(|a| &a.details)
        .find(|d| d.name.as_deref() == Some("subnetId"))
        .and_then(|d| d.value.clone())
}

fn import_tasks(scenario: &mut Scenario, tasks: Vec<AwsTask>, warnings: &mut Vec<String>) {
    for aws in tasks {
        let Some(instance_arn) = aws.container_instance_arn.clone() else {
            warnings.push(format!(
                "skipped task {}: it runs on no container instance (Fargate?)",
                aws.task_arn
            ));
            continue;
        };
        if scenario.instance_index(&instance_arn).is_none() {
            warnings.push(format!(
                "skipped task {}: its instance {instance_arn} is not in the describe-container-instances output",
                aws.task_arn
            ));
            continue;
        }
        match convert_task(aws, instance_arn) {
            Ok(task) => scenario.tasks.push(task),
            Err(message) => warnings.push(message),
        }
    }
}

fn convert_task(aws: AwsTask, instance_arn: String) -> std::result::Result<Task, String> {
    let status = |text: Option<&str>, fallback: TaskStatus| -> std::result::Result<TaskStatus, String> {
        match text {
            None => Ok(fallback),
            Some(t) => crate::json::typed::from_value(serde_json::Value::String(t.to_string()))
                .map_err(|_| format!("skipped task {}: unknown status `{t}`", aws.task_arn)),
        }
    };
    let desired_status = status(aws.desired_status.as_deref(), TaskStatus::Running)?;
    let last_status = status(aws.last_status.as_deref(), desired_status)?;
    let container_sum = |pick: fn(&AwsContainer) -> Option<&serde_json::Value>| -> i64 {
        aws.containers.iter().filter_map(|c| pick(c).and_then(integer)).sum()
    };
    let cpu = aws
        .cpu
        .as_ref()
        .and_then(integer)
        .unwrap_or_else(|| container_sum(|c| c.cpu.as_ref()));
    let memory = aws
        .memory
        .as_ref()
        .and_then(integer)
        .unwrap_or_else(|| container_sum(|c| c.memory_reservation.as_ref().or(c.memory.as_ref())));
    let bindings = aws.containers.iter().flat_map(|c| &c.network_bindings);
    let (udp, tcp): (Vec<&NetworkBinding>, Vec<&NetworkBinding>) =
        bindings.partition(|b| b.protocol.as_deref() == Some("udp"));
    let details = TaskDetails {
        ports: tcp.iter().filter_map(|b| b.host_port).collect(),
        ports_udp: udp.iter().filter_map(|b| b.host_port).collect(),
        gpu_ids: aws.containers.iter().flat_map(|c| c.gpu_ids.iter().cloned()).collect(),
        stopped_reason: aws.stopped_reason.as_deref().map(Name::from),
        stop_code: aws.stop_code.as_deref().map(Name::from),
        overrides: aws.overrides.clone().filter(overrides_anything).map(Box::new),
        enable_execute_command: aws.enable_execute_command.unwrap_or(false),
        subnet_id: eni_subnet(&aws.attachments).map(Name::from),
        fargate: None,
    };
    let task = Task {
        group: aws.group.clone().unwrap_or_default().into(),
        task_definition_arn: aws.task_definition_arn.clone().unwrap_or_default().into(),
        desired_status,
        last_status,
        cpu,
        memory,
        eni: aws
            .attachments
            .iter()
            .any(|a| a.kind.as_deref() == Some("ElasticNetworkInterface")),
        started_by: aws.started_by.as_deref().map(Name::from),
        created_at: aws.created_at,
        container_instance_arn: instance_arn.into(),
        task_arn: aws.task_arn.into(),
        ..Task::default()
    };
    Ok(task.with_details(details))
}

/// A number given as a JSON number or a numeric string (`"256"`).
fn integer(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn running_counts(scenario: &Scenario) -> rustc_hash::FxHashMap<String, u32> {
    let mut counts = rustc_hash::FxHashMap::default();
    for task in scenario.tasks.iter().filter(|t| t.is_desired_running()) {
        *counts.entry(task.container_instance_arn.to_string()).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_names_from_both_arn_formats() {
        let new = cluster_from_arn("arn:aws:ecs:us-west-2:111122223333:container-instance/prod/0a1b2c").unwrap();
        assert_eq!(
            (new.name.as_str(), new.region.as_str(), new.account_id.as_str()),
            ("prod", "us-west-2", "111122223333")
        );
        let old = cluster_from_arn("arn:aws:ecs:us-east-1:111122223333:container-instance/0a1b2c").unwrap();
        assert_eq!(old.name, "default");
        assert!(cluster_from_arn("arn:aws:ec2:us-east-1:1:instance/i-1").is_none());
    }

    #[test]
    fn a_cpu_figure_beyond_32_bits_is_refused_with_its_path() {
        let instances = serde_json::json!({"containerInstances": [{
            "containerInstanceArn": "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/0a1b2c",
            "ec2InstanceId": "i-0a1b2c",
            "registeredResources": [
                {"name": "CPU", "type": "INTEGER", "integerValue": 2048},
                {"name": "MEMORY", "type": "LONG", "longValue": 3_000_000_000_i64}
            ]
        }]});
        let error = super::import(&instances.to_string(), None).expect_err("memory beyond 32 bits");
        assert_eq!(
            error.path.as_deref(),
            Some("containerInstances[0].registeredResources[1]")
        );
        assert!(
            error
                .to_string()
                .contains("MEMORY is 3000000000: it must be between 0 and 2147483647"),
            "{error}"
        );
    }
}
