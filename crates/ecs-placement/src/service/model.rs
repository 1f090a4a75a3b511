//! Services as a scenario records them: what `create-service` and `update-service` set (desired
//! count, placement, deployment configuration, AZ rebalancing) and what the scheduler keeps
//! (its deployment ID and its events). Field names follow AWS's `Service` object, so a scenario
//! reads like `describe-services` output. A service's tasks are the scenario's tasks of group
//! `service:NAME`.

use crate::taskdef::{NetworkConfiguration, PlacementConstraint, PlacementStrategy};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Events a service keeps, newest first (AWS shows "a maximum of 100 of the latest events").
pub const MAX_EVENTS: usize = 100;
/// Services per DescribeServices call (AWS limit).
pub const MAX_DESCRIBE: usize = 10;
/// Longest service name (AWS limit).
pub const MAX_NAME: usize = 255;
/// Tasks the scheduler keeps running per service: AWS's default quota "tasks per service".
/// Larger desired counts are accepted (as AWS accepts them) but never reached.
pub const MAX_TASKS_PER_SERVICE: usize = 5_000;

/// A service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Service {
    /// The name (unique among the cluster's ACTIVE and DRAINING services).
    pub service_name: String,
    /// `arn:aws:ecs:<region>:<account>:service/<cluster>/<name>`; derived when absent.
    #[serde(default)]
    pub service_arn: String,
    /// ACTIVE, DRAINING (being deleted) or INACTIVE (deleted).
    #[serde(default)]
    pub status: ServiceStatus,
    /// The task definition ARN (or `family:revision`) its tasks run.
    pub task_definition: String,
    /// Tasks to keep running. For a DAEMON service, the scheduler sets it to the number of
    /// instances the daemon should run on.
    #[serde(default)]
    pub desired_count: u32,
    /// REPLICA (default) or DAEMON.
    #[serde(default)]
    pub scheduling_strategy: SchedulingStrategy,
    /// EC2 (default), EXTERNAL or FARGATE.
    #[serde(default)]
    pub launch_type: LaunchType,
    /// A Fargate service's platform version and capacity providers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fargate: Option<FargateService>,
    /// The service's constraints (the task definition's apply too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraint>,
    /// The service's strategy chain; empty means the default of decision D12.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategy>,
    /// Deployment bounds (draining, rebalancing).
    #[serde(default)]
    pub deployment_configuration: DeploymentConfiguration,
    /// Whether AZ rebalancing (decision D17) is on.
    #[serde(default)]
    pub availability_zone_rebalancing: AzRebalancing,
    /// awsvpc subnets and security groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    /// Load balancers, kept as given and returned in `describe-services` (not simulated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancers: Vec<Value>,
    /// Kept as given and returned in `describe-services` (not simulated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_grace_period_seconds: Option<i64>,
    /// When the service was created (on the scenario's simulated clock).
    #[serde(default)]
    pub created_at: Timestamp,
    /// When the scheduler last changed the service's tasks or settings.
    #[serde(default)]
    pub updated_at: Timestamp,
    /// The ID of its deployment (`ecs-svc/` and 19 digits); its tasks are `startedBy` it.
    /// Derived from the seed when absent.
    #[serde(default)]
    pub deployment_id: String,
    /// Events, newest first, at most [`MAX_EVENTS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<ServiceEvent>,
}

impl Service {
    /// The task group of its tasks: `service:<name>`.
    pub fn group(&self) -> String {
        format!("service:{}", self.service_name)
    }

    /// Whether the service is ACTIVE.
    pub fn is_active(&self) -> bool {
        self.status == ServiceStatus::Active
    }

    /// Whether it runs one task per instance.
    pub fn is_daemon(&self) -> bool {
        self.scheduling_strategy == SchedulingStrategy::Daemon
    }

    /// `maximumPercent`, or its default: 200 for REPLICA, 100 for DAEMON.
    pub fn maximum_percent(&self) -> u32 {
        let default = if self.is_daemon() { 100 } else { 200 };
        self.deployment_configuration.maximum_percent.unwrap_or(default)
    }

    /// `minimumHealthyPercent`, or its default: 100 for REPLICA, 0 for DAEMON.
    pub fn minimum_healthy_percent(&self) -> u32 {
        let default = if self.is_daemon() { 0 } else { 100 };
        self.deployment_configuration.minimum_healthy_percent.unwrap_or(default)
    }

    /// Most tasks that may run during a deployment or drain: `desiredCount × maximumPercent`,
    /// rounded down (AWS's rounding).
    pub fn max_running(&self) -> u64 {
        u64::from(self.desired_count) * u64::from(self.maximum_percent()) / 100
    }

    /// Fewest tasks that must keep running: `desiredCount × minimumHealthyPercent`, rounded up.
    pub fn min_healthy(&self) -> u64 {
        (u64::from(self.desired_count) * u64::from(self.minimum_healthy_percent())).div_ceil(100)
    }

    /// Whether the service has settled, given its `running` tasks (desired status RUNNING) and
    /// how many of them are `draining` (on an instance that is not ACTIVE): its desired count
    /// runs, none of it on a draining instance.
    pub fn is_steady(&self, running: u64, draining: u64) -> bool {
        running == u64::from(self.desired_count) && draining == 0
    }
}

/// A service's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceStatus {
    /// Running and scheduled.
    #[default]
    Active,
    /// Deleted; its tasks are being stopped.
    Draining,
    /// Deleted; no task left.
    Inactive,
}

impl ServiceStatus {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceStatus::Active => "ACTIVE",
            ServiceStatus::Draining => "DRAINING",
            ServiceStatus::Inactive => "INACTIVE",
        }
    }
}

/// `schedulingStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SchedulingStrategy {
    /// Keep `desiredCount` tasks.
    #[default]
    Replica,
    /// One task per eligible ACTIVE instance.
    Daemon,
}

impl SchedulingStrategy {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SchedulingStrategy::Replica => "REPLICA",
            SchedulingStrategy::Daemon => "DAEMON",
        }
    }
}

/// The launch types the playground simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LaunchType {
    /// EC2 container instances.
    #[default]
    Ec2,
    /// External instances (`ecs.capability.external`).
    External,
    /// AWS Fargate: no container instance (decision D19).
    Fargate,
}

/// What a Fargate service runs on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FargateService {
    /// The platform version as requested (`LATEST` unless given).
    #[serde(default = "latest")]
    pub platform_version: String,
    /// The capacity provider strategy (FARGATE, FARGATE_SPOT) when one was given instead of the
    /// launch type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_strategy: Vec<crate::fargate::ProviderShare>,
}

fn latest() -> String {
    "LATEST".into()
}

impl LaunchType {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchType::Ec2 => "EC2",
            LaunchType::External => "EXTERNAL",
            LaunchType::Fargate => "FARGATE",
        }
    }
}

/// `availabilityZoneRebalancing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AzRebalancing {
    /// Rebalance when the first strategy is AZ spread (decision D17).
    Enabled,
    /// Never rebalance (AWS's value for a service that never set it).
    #[default]
    Disabled,
}

impl AzRebalancing {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AzRebalancing::Enabled => "ENABLED",
            AzRebalancing::Disabled => "DISABLED",
        }
    }
}

/// `deploymentConfiguration` (the members the simulator uses; absent ones take the defaults of
/// the scheduling strategy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentConfiguration {
    /// Upper bound of running tasks, in percent of the desired count (rounded down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_percent: Option<u32>,
    /// Lower bound of running tasks, in percent of the desired count (rounded up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_healthy_percent: Option<u32>,
    /// Kept as given (the circuit breaker is not simulated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_circuit_breaker: Option<CircuitBreaker>,
}

/// `deploymentConfiguration.deploymentCircuitBreaker`, kept as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CircuitBreaker {
    /// Whether it is on.
    #[serde(default)]
    pub enable: bool,
    /// Whether a failed deployment rolls back.
    #[serde(default)]
    pub rollback: bool,
}

/// A service event (`{id, createdAt, message}`), as `describe-services` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceEvent {
    /// A UUID, derived from the scenario's seed.
    pub id: crate::Name,
    /// When, on the scenario's simulated clock.
    pub created_at: Timestamp,
    /// AWS's wording, e.g. `(service web) has reached a steady state.` (shared: the service
    /// keeps it and the scheduler's step shows it; a scale-out writes a thousand, each listing
    /// ten task IDs).
    pub message: crate::Name,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(desired: u32, max: Option<u32>, min: Option<u32>) -> Service {
        Service {
            service_name: "web".into(),
            service_arn: String::new(),
            status: ServiceStatus::Active,
            task_definition: "web:1".into(),
            desired_count: desired,
            scheduling_strategy: SchedulingStrategy::Replica,
            launch_type: LaunchType::Ec2,
            fargate: None,
            placement_constraints: Vec::new(),
            placement_strategy: Vec::new(),
            deployment_configuration: DeploymentConfiguration {
                maximum_percent: max,
                minimum_healthy_percent: min,
                deployment_circuit_breaker: None,
            },
            availability_zone_rebalancing: AzRebalancing::Enabled,
            network_configuration: None,
            load_balancers: Vec::new(),
            health_check_grace_period_seconds: None,
            created_at: Timestamp::default(),
            updated_at: Timestamp::default(),
            deployment_id: String::new(),
            events: Vec::new(),
        }
    }

    /// The API reference's examples: desired 4 with min 50 may stop 2; desired 2 with min 75
    /// can stop none; desired 3 with max 125 cannot start an extra task.
    #[test]
    fn percentages_round_like_aws() {
        assert_eq!(service(4, None, Some(50)).min_healthy(), 2);
        assert_eq!(service(2, None, Some(75)).min_healthy(), 2);
        assert_eq!(service(3, Some(125), None).max_running(), 3);
        assert_eq!(service(4, None, None).max_running(), 8);
        assert_eq!(service(4, None, None).min_healthy(), 4);
    }
}
