//! What a user interface draws for a cluster: per container instance its resources as
//! registered and remaining, GPUs, task ENIs and host ports in use, and the tasks that hold
//! resources on it. Every figure comes from the core, so a page never recomputes resource
//! accounting (which tasks hold resources, ENI limits from the instance-type catalog, ...).

use crate::Name;
use crate::model::{ContainerInstance, InstanceStatus, PortSet, Task};
use crate::scenario::Scenario;
use crate::service::{SchedulingStrategy, Service, ServiceEvent, ServiceStatus};
use crate::taskdef::{PlacementConstraint, PlacementStrategy};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// Everything the bins of a cluster show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterView {
    /// One entry per container instance, in scenario order.
    pub instances: Vec<InstanceUsage>,
    /// The tasks that hold resources on an instance (desired RUNNING, or stopping but not yet
    /// STOPPED), in scenario order; Fargate tasks are in `fargate`.
    pub tasks: Vec<TaskChip>,
    /// The services, with their counts and latest events (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceView>,
    /// Tasks on Fargate, one lane per Availability Zone (absent when none runs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fargate: Vec<crate::fargate::FargateLane>,
}

/// How many events of a service a view carries (the newest).
pub const VIEW_EVENTS: usize = 20;

/// A service as a page lists it: what it asks for, what runs, and its newest events.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceView {
    /// The name.
    pub service_name: String,
    /// ACTIVE, DRAINING or INACTIVE.
    pub status: ServiceStatus,
    /// REPLICA or DAEMON.
    pub scheduling_strategy: SchedulingStrategy,
    /// The task definition it runs.
    pub task_definition: String,
    /// The desired count.
    pub desired_count: u32,
    /// Its tasks whose desired status is RUNNING (`runningCount`).
    pub running_count: u64,
    /// Of those, the ones on instances that are not ACTIVE (being replaced).
    pub draining_count: u64,
    /// Whether the desired count runs and none of it on a draining instance.
    pub steady: bool,
    /// Its placement strategies, as given.
    pub placement_strategy: Vec<PlacementStrategy>,
    /// Its placement constraints, as given.
    pub placement_constraints: Vec<PlacementConstraint>,
    /// Its newest events, newest first (at most [`VIEW_EVENTS`]).
    pub events: Vec<ServiceEvent>,
}

/// Registered and remaining amounts of one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    /// What the instance registered.
    pub registered: i64,
    /// What is left for new tasks.
    pub remaining: i64,
}

/// One container instance as drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceUsage {
    /// The container instance ARN.
    pub container_instance_arn: Name,
    /// The EC2 instance ID.
    pub ec2_instance_id: Name,
    /// `ecs.instance-type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<Name>,
    /// `ecs.availability-zone`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<Name>,
    /// ACTIVE, DRAINING, ...
    pub status: InstanceStatus,
    /// Whether the ECS agent is connected.
    pub agent_connected: bool,
    /// CPU units.
    pub cpu: Amount,
    /// Memory (MiB).
    pub memory: Amount,
    /// GPUs, when the instance registered any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpus: Option<Amount>,
    /// Task ENIs in use (awsvpc tasks) and the instance's limit when known; absent when the
    /// instance has neither a known limit nor a task ENI in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enis: Option<EniUsage>,
    /// Host ports held by tasks (`80/tcp`), beyond the ones the instance registered as reserved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub host_ports: Vec<String>,
    /// `runningTasksCount`: tasks whose desired status is RUNNING, untracked ones included.
    pub running_tasks: u32,
    /// Running tasks the scenario has no details of (imports without `describe-tasks`).
    #[serde(skip_serializing_if = "is_zero")]
    pub untracked_tasks: u32,
}

/// Task ENIs of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EniUsage {
    /// Task ENIs attached.
    pub in_use: u32,
    /// How many it can attach, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// A task as drawn in its instance's bin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskChip {
    /// The task ARN.
    pub task_arn: Name,
    /// The instance it holds resources on.
    pub container_instance_arn: Name,
    /// Its task group (the colour it is drawn in).
    pub group: Name,
    /// CPU units it holds.
    pub cpu: i64,
    /// Memory (MiB) it holds.
    pub memory: i64,
    /// Whether it is stopping (desired STOPPED) while still holding its resources.
    #[serde(skip_serializing_if = "is_false")]
    pub stopping: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The view of a whole cluster.
pub fn cluster_view(scenario: &Scenario) -> ClusterView {
    // Counted as `usize`, in a map type the module has.
    let mut enis: HashMap<&str, usize> = HashMap::default();
    let mut running: HashMap<&str, usize> = HashMap::default();
    let mut tasks = Vec::new();
    for task in scenario.tasks.iter().filter(|t| !t.is_fargate()) {
        let arn = task.container_instance_arn.as_str();
        if task.is_desired_running() {
            *running.entry(arn).or_insert(0) += 1;
        }
        if task.holds_resources() {
            if task.eni {
                *enis.entry(arn).or_insert(0) += 1;
            }
            tasks.push(task_chip(task));
        }
    }
    let instances = scenario
        .instances
        .iter()
        .map(|instance| {
            let arn = instance.container_instance_arn.as_str();
            let count = |map: &HashMap<&str, usize>| map.get(arn).map_or(0, |n| u32::try_from(*n).unwrap_or(u32::MAX));
            instance_usage(instance, count(&enis), count(&running))
        })
        .collect();
    ClusterView {
        instances,
        tasks,
        services: service_views(scenario),
        fargate: crate::fargate::lanes(scenario),
    }
}

/// The services of a scenario as a page lists them.
pub fn service_views(scenario: &Scenario) -> Vec<ServiceView> {
    if scenario.services.is_empty() {
        return Vec::new();
    }
    let counts = crate::aws::ops::service_shape::counts(scenario);
    scenario
        .services
        .iter()
        .map(|service| {
            let counts = counts.get(&service.group()).copied().unwrap_or_default();
            service_view(service, counts.running, counts.draining)
        })
        .collect()
}

fn service_view(service: &Service, running: u64, draining: u64) -> ServiceView {
    ServiceView {
        service_name: service.service_name.clone(),
        status: service.status,
        scheduling_strategy: service.scheduling_strategy,
        task_definition: service.task_definition.clone(),
        desired_count: service.desired_count,
        running_count: running,
        draining_count: draining,
        steady: service.is_steady(running, draining),
        placement_strategy: service.placement_strategy.clone(),
        placement_constraints: service.placement_constraints.clone(),
        events: service.events.iter().take(VIEW_EVENTS).cloned().collect(),
    }
}

/// How the instance at `index` is drawn now (its task ENIs and running tasks counted from the
/// scenario's tasks).
pub fn instance_usage_at(scenario: &Scenario, index: usize) -> Option<InstanceUsage> {
    let instance = scenario.instances.get(index)?;
    let on = |t: &&Task| t.container_instance_arn == instance.container_instance_arn;
    let tasks = scenario.tasks.iter().filter(on);
    let (mut enis, mut running) = (0u32, 0u32);
    for task in tasks {
        enis += u32::from(task.eni && task.holds_resources());
        running += u32::from(task.is_desired_running());
    }
    Some(instance_usage(instance, enis, running))
}

/// How a task is drawn.
pub fn task_chip(task: &Task) -> TaskChip {
    TaskChip {
        task_arn: task.task_arn.to_name(),
        container_instance_arn: task.container_instance_arn.clone(),
        group: task.group.clone(),
        cpu: task.cpu,
        memory: task.memory,
        stopping: !task.is_desired_running(),
    }
}

/// How an instance is drawn, given the task ENIs it holds and the tasks it runs (tracked ones;
/// untracked ones are added here).
pub fn instance_usage(instance: &ContainerInstance, enis_in_use: u32, running_tasks: u32) -> InstanceUsage {
    instance_usage_labelled(instance, enis_in_use, running_tasks, instance_labels(instance))
}

/// An instance's type and Availability Zone, as [`InstanceUsage`] shows them.
#[derive(Debug, Clone, Default)]
pub struct InstanceLabels {
    /// `ecs.instance-type`.
    pub instance_type: Option<Name>,
    /// `ecs.availability-zone`.
    pub availability_zone: Option<Name>,
}

/// The labels of `instance`, read from its attributes.
pub fn instance_labels(instance: &ContainerInstance) -> InstanceLabels {
    InstanceLabels {
        instance_type: instance.instance_type().map(Name::from),
        availability_zone: instance.availability_zone().map(Name::from),
    }
}

/// The host ports tasks hold (`80/tcp`): the remaining set lists the registered (reserved) ports
/// and the ones tasks hold. Most instances hold none, which is told without walking both sets:
/// their remaining set is still the registered one, shared (see [`crate::model::PortSet`]).
fn held_ports<'a>(
    remaining: &'a PortSet,
    registered: &'a PortSet,
    protocol: &'static str,
) -> Option<impl Iterator<Item = String> + 'a> {
    let none_held = remaining.address() == registered.address()
        || (remaining.len() <= registered.len() && remaining.iter().all(|port| registered.contains(port)));
    // Filtered by lookups rather than `BTreeSet::difference` (its iterator is code of its own).
    let ports = (!none_held).then(|| remaining.iter().filter(|port| !registered.contains(port)));
    ports.map(move |ports| ports.map(move |p| format!("{p}/{protocol}")))
}

/// [`instance_usage`] with the instance's labels read already.
pub fn instance_usage_labelled(
    instance: &ContainerInstance,
    enis_in_use: u32,
    running_tasks: u32,
    labels: InstanceLabels,
) -> InstanceUsage {
    usage_of(
        &still_of(instance, labels),
        live_of(instance, enis_in_use, running_tasks),
    )
}

/// What an instance's drawing shows that placing tasks does not change: the placement engine
/// reads it once per call for every instance it places on, and keeps only an [`InstanceLive`]
/// per placed task.
#[derive(Debug, Clone)]
pub(crate) struct InstanceStill {
    container_instance_arn: Name,
    ec2_instance_id: Name,
    labels: InstanceLabels,
    status: InstanceStatus,
    agent_connected: bool,
    registered_cpu: i64,
    registered_memory: i64,
    /// Registered GPUs, when the instance registered any.
    registered_gpus: Option<i64>,
    eni_limit: Option<u32>,
    untracked_tasks: u32,
}

/// What placing a task changes in an instance's drawing, kept for every placed task's frame:
/// its numbers ([`LiveNumbers`]) and the host ports its tasks hold (most instances hold none).
#[derive(Debug, Clone)]
pub(crate) struct InstanceLive {
    pub(crate) numbers: LiveNumbers,
    pub(crate) host_ports: Box<[String]>,
}

/// The numbers of an [`InstanceLive`]: CPU and memory as the instance keeps them (AWS's 32-bit
/// integers), 20 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LiveNumbers {
    remaining_cpu: i32,
    remaining_memory: i32,
    remaining_gpus: u32,
    enis_in_use: u32,
    /// Tracked tasks (untracked ones are added when drawn).
    running_tasks: u32,
}

/// The unchanging part of `instance`'s drawing.
pub(crate) fn still_of(instance: &ContainerInstance, labels: InstanceLabels) -> InstanceStill {
    let registered = instance.registered();
    InstanceStill {
        container_instance_arn: instance.container_instance_arn.clone(),
        ec2_instance_id: instance.ec2_instance_id.clone(),
        labels,
        status: instance.status,
        agent_connected: instance.agent_connected,
        registered_cpu: registered.cpu.into(),
        registered_memory: registered.memory.into(),
        registered_gpus: (!registered.gpus.is_empty()).then_some(registered.gpus.len() as i64),
        eni_limit: instance.eni_limit(),
        untracked_tasks: instance.untracked_running_tasks,
    }
}

/// The changing part of `instance`'s drawing, given the task ENIs it holds and the tracked
/// tasks it runs.
pub(crate) fn live_of(instance: &ContainerInstance, enis_in_use: u32, running_tasks: u32) -> InstanceLive {
    let (registered, remaining) = (instance.registered(), instance.remaining());
    let tcp = held_ports(&remaining.ports, &registered.ports, "tcp");
    let udp = held_ports(&remaining.ports_udp, &registered.ports_udp, "udp");
    // Most frames' instances hold no port: no iterator to drain for them.
    let host_ports = if tcp.is_none() && udp.is_none() {
        Box::default()
    } else {
        tcp.into_iter().flatten().chain(udp.into_iter().flatten()).collect()
    };
    InstanceLive {
        numbers: LiveNumbers {
            remaining_cpu: remaining.cpu,
            remaining_memory: remaining.memory,
            remaining_gpus: u32::try_from(remaining.gpus.len()).unwrap_or(u32::MAX),
            enis_in_use,
            running_tasks,
        },
        host_ports,
    }
}

/// An instance's drawing from its two parts.
pub(crate) fn usage_of(still: &InstanceStill, live: InstanceLive) -> InstanceUsage {
    let amount = |registered: i64, remaining: i64| Amount { registered, remaining };
    let InstanceLive {
        numbers: live,
        host_ports,
    } = live;
    InstanceUsage {
        container_instance_arn: still.container_instance_arn.clone(),
        ec2_instance_id: still.ec2_instance_id.clone(),
        instance_type: still.labels.instance_type.clone(),
        availability_zone: still.labels.availability_zone.clone(),
        status: still.status,
        agent_connected: still.agent_connected,
        cpu: amount(still.registered_cpu, live.remaining_cpu.into()),
        memory: amount(still.registered_memory, live.remaining_memory.into()),
        gpus: still
            .registered_gpus
            .map(|registered| amount(registered, live.remaining_gpus.into())),
        enis: (still.eni_limit.is_some() || live.enis_in_use > 0).then_some(EniUsage {
            in_use: live.enis_in_use,
            limit: still.eni_limit,
        }),
        host_ports: host_ports.into_vec(),
        running_tasks: live.running_tasks.saturating_add(still.untracked_tasks),
        untracked_tasks: still.untracked_tasks,
    }
}

impl InstanceStill {
    /// The instance's ARN.
    pub(crate) fn arn(&self) -> &Name {
        &self.container_instance_arn
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    #[test]
    fn the_sample_cluster_view_matches_its_tasks() {
        let scenario = presets::sample().unwrap();
        let view = cluster_view(&scenario);
        assert_eq!(view.instances.len(), scenario.instances.len());
        for usage in &view.instances {
            let held: i64 = view
                .tasks
                .iter()
                .filter(|t| t.container_instance_arn == usage.container_instance_arn)
                .map(|t| t.memory)
                .sum();
            assert_eq!(usage.memory.registered - usage.memory.remaining, held, "{usage:?}");
        }
    }

    #[test]
    fn services_show_their_counts_and_newest_events() {
        let mut scenario = presets::load("blog").unwrap();
        let line = "aws ecs create-service --service-name web --task-definition nouvelleApp --desired-count 4";
        crate::aws::run_line(
            &mut scenario,
            line,
            &crate::aws::NoFiles,
            crate::aws::Options::default(),
        )
        .unwrap();
        let view = cluster_view(&scenario);
        let [service] = view.services.as_slice() else {
            panic!("one service: {:?}", view.services)
        };
        assert_eq!(
            (service.desired_count, service.running_count, service.steady),
            (4, 4, true)
        );
        assert!(
            service
                .events
                .first()
                .is_some_and(|e| e.message.contains("steady state")),
            "{:?}",
            service.events
        );
        assert!(cluster_view(&presets::sample().unwrap()).services.is_empty());
    }

    #[test]
    fn host_ports_are_the_ones_tasks_hold() {
        let mut scenario = presets::sample().unwrap();
        let arn = scenario.instances[0].container_instance_arn.clone();
        let remaining = scenario.instances[0].remaining_resources.as_mut().unwrap();
        remaining.ports.insert(80);
        remaining.ports_udp.insert(53);
        let usage = cluster_view(&scenario).instances.remove(0);
        assert_eq!(usage.container_instance_arn, arn);
        assert_eq!(usage.host_ports, vec!["80/tcp".to_string(), "53/udp".to_string()]);
    }
}
