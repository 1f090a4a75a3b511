//! `ListClusters` and `DescribeClusters`: the scenario is one cluster, so the account has that
//! cluster only. Its counts are the scenario's: registered instances (ACTIVE and DRAINING),
//! RUNNING and PENDING tasks, ACTIVE services.
// What only the operations of the `all-operations` feature use is unused without it.
#![cfg_attr(not(feature = "all-operations"), allow(dead_code))]

use super::validation::{Failure, enum_error};
use super::{Outcome, response};
use crate::error::{Error, Result};
use crate::model::{InstanceStatus, TaskStatus};
use crate::scenario::Scenario;
use crate::service::ServiceStatus;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// Clusters per DescribeClusters call (AWS limit).
pub const MAX_DESCRIBE: usize = 100;
/// The `ClusterField` enum (`--include`).
const CLUSTER_FIELDS: [&str; 5] = ["ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS"];

#[derive(Deserialize)]
pub(super) struct DescribeRequest {
    #[serde(default)]
    clusters: Option<Vec<String>>,
    #[serde(default)]
    include: Vec<String>,
}

/// `ListClusters`: the scenario's cluster.
pub(super) fn list(scenario: &Scenario) -> Result<Outcome> {
    Ok(Outcome::response(json!({ "clusterArns": [scenario.cluster.arn()] })))
}

/// `DescribeClusters`: each cluster named by name or ARN (`default` when none is named, as
/// AWS does); any other cluster is a `failures` entry `{arn, reason: "MISSING"}` with the ARN
/// it would have. `--include STATISTICS` adds the counts by launch type, `SETTINGS` the
/// Container Insights setting (disabled), `TAGS` and `ATTACHMENTS` their (empty) lists.
pub(super) fn describe(scenario: &Scenario, request: DescribeRequest) -> Result<Outcome> {
    let names = request.clusters.unwrap_or_else(|| vec!["default".to_string()]);
    if names.len() > MAX_DESCRIBE {
        return Err(Error::invalid_parameter(format!(
            "DescribeClusters accepts at most {MAX_DESCRIBE} items in clusters per call; {} were given.",
            names.len()
        )));
    }
    for field in &request.include {
        if !CLUSTER_FIELDS.contains(&field.as_str()) {
            return Err(enum_error(field, "include", &CLUSTER_FIELDS));
        }
    }
    let mut clusters = Vec::new();
    let mut failures = Vec::new();
    for name in &names {
        if scenario.cluster.matches(name) {
            clusters.push(cluster_json(scenario, &request.include));
        } else {
            failures.push(Failure::missing(&missing_arn(scenario, name)));
        }
    }
    Ok(Outcome::response(json!({
        "clusters": clusters,
        "failures": response(&failures)?,
    })))
}

/// The ARN a cluster name would have in the scenario's account and Region.
fn missing_arn(scenario: &Scenario, name: &str) -> String {
    if name.starts_with("arn:") {
        name.to_string()
    } else {
        format!("{}cluster/{name}", scenario.cluster.arn_prefix())
    }
}

/// The counts a cluster reports.
struct Counts {
    registered_instances: usize,
    running_tasks: usize,
    pending_tasks: usize,
    active_services: usize,
    draining_services: usize,
}

fn counts(scenario: &Scenario) -> Counts {
    let registered = |s: InstanceStatus| matches!(s, InstanceStatus::Active | InstanceStatus::Draining);
    let tasks_in = |status: TaskStatus| scenario.tasks.iter().filter(|t| t.last_status == status).count();
    let services_in = |status: ServiceStatus| scenario.services.iter().filter(|s| s.status == status).count();
    Counts {
        registered_instances: scenario.instances.iter().filter(|i| registered(i.status)).count(),
        running_tasks: tasks_in(TaskStatus::Running),
        pending_tasks: tasks_in(TaskStatus::Pending),
        active_services: services_in(ServiceStatus::Active),
        draining_services: services_in(ServiceStatus::Draining),
    }
}

/// The `Cluster` object.
pub(crate) fn cluster_json(scenario: &Scenario, include: &[String]) -> Value {
    let counts = counts(scenario);
    let included = |field: &str| include.iter().any(|f| f == field);
    let mut cluster = Map::new();
    cluster.insert("clusterArn".into(), json!(scenario.cluster.arn()));
    cluster.insert("clusterName".into(), json!(scenario.cluster.name));
    cluster.insert("status".into(), json!("ACTIVE"));
    cluster.insert(
        "registeredContainerInstancesCount".into(),
        json!(counts.registered_instances),
    );
    cluster.insert("runningTasksCount".into(), json!(counts.running_tasks));
    cluster.insert("pendingTasksCount".into(), json!(counts.pending_tasks));
    cluster.insert("activeServicesCount".into(), json!(counts.active_services));
    let statistics = if included("STATISTICS") {
        statistics(&counts)
    } else {
        Vec::new()
    };
    cluster.insert("statistics".into(), Value::Array(statistics));
    cluster.insert("tags".into(), json!([]));
    let settings = if included("SETTINGS") {
        json!([{"name": "containerInsights", "value": "disabled"}])
    } else {
        json!([])
    };
    cluster.insert("settings".into(), settings);
    cluster.insert("capacityProviders".into(), json!([]));
    cluster.insert("defaultCapacityProviderStrategy".into(), json!([]));
    if included("ATTACHMENTS") {
        cluster.insert("attachments".into(), json!([]));
    }
    Value::Object(cluster)
}

/// `--include STATISTICS`: AWS's per-launch-type counts (every task and service of the
/// scenario runs on EC2 or EXTERNAL instances, so the Fargate counts are 0).
fn statistics(counts: &Counts) -> Vec<Value> {
    [
        ("runningEC2TasksCount", counts.running_tasks),
        ("runningFargateTasksCount", 0),
        ("pendingEC2TasksCount", counts.pending_tasks),
        ("pendingFargateTasksCount", 0),
        ("activeEC2ServiceCount", counts.active_services),
        ("activeFargateServiceCount", 0),
        ("drainingEC2ServiceCount", counts.draining_services),
        ("drainingFargateServiceCount", 0),
    ]
    .into_iter()
    .map(|(name, value)| json!({"name": name, "value": value.to_string()}))
    .collect()
}
