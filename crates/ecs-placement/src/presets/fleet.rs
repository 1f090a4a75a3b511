//! The generated fleets for scale tests (`fleet-300`, `fleet-1000`): instances of common t2, t3,
//! m5, c5 and r5 sizes spread over three zones, three in four of them already running tasks of a
//! few groups (about 30 % of the fleet's capacity in use), and the sample's task definitions.
//! Built in code rather than stored as JSON; a fixed seed gives the same fleet every time.

use crate::catalog::{self, InstanceType};
use crate::error::{Error, Result};
use crate::model::{ContainerInstance, InstanceStatus, Task, TaskDetails, TaskStatus};
use crate::rng::{Rng, ec2_instance_id, hex_id};
use crate::scenario::{ClusterInfo, Scenario, Subnet, hold};
use crate::taskdef::{SizeOverrides, TaskDefinition};
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// Seed of the fleets (the scenario's seed too).
const SEED: u64 = 20_240_101;
/// Mixed into the seed for container instance, EC2 instance and task IDs.
const INSTANCE_SALT: u64 = 0x666c_6565_742d_6369;
const EC2_SALT: u64 = 0x666c_6565_742d_6563;
const TASK_SALT: u64 = 0x666c_6565_742d_7461;
/// The zones and their subnets, in one VPC.
const ZONES: [(&str, &str); 3] = [
    ("us-east-1a", "subnet-0f1ee7a1"),
    ("us-east-1b", "subnet-0f1ee7b2"),
    ("us-east-1c", "subnet-0f1ee7c3"),
];
const VPC: &str = "vpc-0f1ee70000000000f";
const AMI: &str = "ami-0fe5f366c083f59ca";
/// The sizes the fleet mixes (all in the catalog).
const TYPES: [&str; 13] = [
    "t2.medium",
    "t2.large",
    "t3.medium",
    "t3.large",
    "t3.xlarge",
    "m5.large",
    "m5.xlarge",
    "m5.2xlarge",
    "c5.large",
    "c5.xlarge",
    "c5.2xlarge",
    "r5.large",
    "r5.xlarge",
];
const AGENT_VERSIONS: [&str; 3] = ["1.82.0", "1.82.1", "1.86.2"];
const CAPABILITIES: [&str; 4] = [
    "com.amazonaws.ecs.capability.docker-remote-api.1.21",
    "com.amazonaws.ecs.capability.logging-driver.awslogs",
    "ecs.capability.docker-plugin.local",
    "ecs.capability.task-eni",
];
const STACKS: [&str; 3] = ["prod", "prod", "dev"];
const TEAMS: [&str; 3] = ["payments", "search", "platform"];
/// Task definition family and task group of the tasks already running; caches (the most
/// memory per CPU unit) are drawn three times as often as the others.
const WORKLOADS: [(&str, &str); 6] = [
    ("webserver", "service:web"),
    ("cache", "family:cache"),
    ("cache", "family:cache"),
    ("cache", "family:cache"),
    ("batch-job", "family:batch-job"),
    ("nouvelleApp", "family:nouvelleApp"),
];
/// Instances running tasks, per mille; each is filled to [`FILL_PERCENT`] of its CPU and memory.
const BUSY_PER_MILLE: u64 = 750;
const FILL_PERCENT: i64 = 50;
/// Drawn tasks that do not fit before an instance counts as full.
const MAX_MISSES: u32 = 4;
/// The first instance registered at 2024-01-01T00:00:00Z, the others a minute apart.
const FIRST_REGISTRATION: i64 = 1_704_067_200_000;

/// `fleet-300`.
pub(super) fn fleet_300(sample: Scenario) -> Result<Scenario> {
    fleet(sample, 300)
}

/// `fleet-1000`.
pub(super) fn fleet_1000(sample: Scenario) -> Result<Scenario> {
    fleet(sample, 1000)
}

/// A task the fleet runs: what it reserves and where it comes from.
struct Workload {
    group: &'static str,
    task_definition_arn: String,
    cpu: i64,
    memory: i64,
    ports: Vec<u16>,
}

/// `count` instances over the three zones (zone by zone), with their tasks and the task
/// definitions of `sample`.
fn fleet(sample: Scenario, count: usize) -> Result<Scenario> {
    let definitions = sample.task_definitions;
    let workloads = workloads(&definitions)?;
    let mut scenario = Scenario::new(ClusterInfo::default());
    scenario.seed = Some(SEED);
    scenario.subnets = subnets();
    scenario.task_definitions = definitions;
    let mut rng = Rng::new(SEED);
    for index in 0..count {
        let zone = ZONES.get(index * ZONES.len() / count).copied().unwrap_or_default();
        let mut instance = instance(&scenario.cluster, &mut rng, index, zone)?;
        if rng.below(1000) < BUSY_PER_MILLE {
            let tasks = fill(&scenario, &mut instance, &workloads, &mut rng);
            scenario.tasks.extend(tasks);
        }
        scenario.instances.push(instance);
    }
    scenario.normalized()
}

fn subnets() -> Vec<Subnet> {
    ZONES
        .iter()
        .map(|(zone, subnet)| Subnet {
            subnet_id: (*subnet).to_string(),
            availability_zone: (*zone).to_string(),
            vpc_id: Some(VPC.to_string()),
        })
        .collect()
}

/// The running tasks' reservations, from the task definitions.
fn workloads(definitions: &[TaskDefinition]) -> Result<Vec<Workload>> {
    // Pushed one by one: `collect::<Result<Vec<_>>>()` compiles its own adapters for this one
    // element type.
    let mut workloads = Vec::with_capacity(WORKLOADS.len());
    for (family, group) in WORKLOADS {
        let definition = definitions
            .iter()
            .find(|d| d.family == *family)
            .ok_or_else(|| Error::invalid_input(format!("the sample has no task definition `{family}`")))?;
        let reservation = definition.reservation(&SizeOverrides::default())?;
        workloads.push(Workload {
            group,
            task_definition_arn: definition.task_definition_arn.clone().unwrap_or_default(),
            cpu: reservation.cpu,
            memory: reservation.memory,
            ports: reservation.ports,
        });
    }
    Ok(workloads)
}

/// Instance `index` of the fleet, in `zone`, of a type and agent drawn from `rng`.
fn instance(
    cluster: &ClusterInfo,
    rng: &mut Rng,
    index: usize,
    (zone, subnet): (&str, &str),
) -> Result<ContainerInstance> {
    let kind = pick(rng, &TYPES).copied().and_then(catalog::lookup);
    let kind = kind.ok_or_else(|| Error::invalid_input("the fleet names a type the catalog lacks"))?;
    let sequence = index as u64;
    let id = hex_id(SEED ^ INSTANCE_SALT, sequence);
    let registered = kind.registered_resources(&id);
    Ok(ContainerInstance {
        container_instance_arn: cluster.resource_arn("container-instance", &id).into(),
        ec2_instance_id: ec2_instance_id(SEED ^ EC2_SALT, sequence).into(),
        status: InstanceStatus::Active,
        agent_connected: true,
        agent_version: pick(rng, &AGENT_VERSIONS).copied().unwrap_or_default().into(),
        registered_at: Timestamp(FIRST_REGISTRATION + 60_000 * i64::try_from(index).unwrap_or(0)),
        remaining_resources: Some(registered.clone()),
        registered_resources: Some(registered.into()),
        attributes: attributes(rng, kind, zone, subnet).into(),
        task_eni_limit: None,
        untracked_running_tasks: 0,
        version: crate::model::FIRST_VERSION,
    })
}

fn attributes(rng: &mut Rng, kind: &InstanceType, zone: &str, subnet: &str) -> BTreeMap<String, Option<String>> {
    let mut attributes: BTreeMap<String, Option<String>> =
        crate::order::map_of(CAPABILITIES.iter().map(|name| ((*name).to_string(), None)));
    let stack = pick(rng, &STACKS).copied().unwrap_or_default();
    let team = pick(rng, &TEAMS).copied().unwrap_or_default();
    for (name, value) in [
        ("ecs.ami-id", AMI),
        ("ecs.availability-zone", zone),
        ("ecs.instance-type", kind.name),
        ("ecs.os-type", "linux"),
        ("ecs.os-family", "LINUX"),
        ("ecs.cpu-architecture", kind.cpu_architecture()),
        ("ecs.vpc-id", VPC),
        ("ecs.subnet-id", subnet),
        ("stack", stack),
        ("team", team),
    ] {
        attributes.insert(name.to_string(), Some(value.to_string()));
    }
    attributes
}

/// Tasks for `instance` within [`FILL_PERCENT`] of its CPU and memory, drawn until
/// [`MAX_MISSES`] draws did not fit; the instance's remaining resources are updated.
fn fill(scenario: &Scenario, instance: &mut ContainerInstance, workloads: &[Workload], rng: &mut Rng) -> Vec<Task> {
    let registered = instance.registered().clone();
    let budget = |total: i64| total * FILL_PERCENT / 100;
    let (cpu_budget, memory_budget) = (budget(registered.cpu.into()), budget(registered.memory.into()));
    let mut remaining = registered.clone();
    let mut tasks: Vec<Task> = Vec::new();
    let mut misses = 0;
    while misses < MAX_MISSES {
        let Some(workload) = pick(rng, workloads) else {
            break;
        };
        let used_cpu = i64::from(registered.cpu) - i64::from(remaining.cpu) + workload.cpu;
        let used_memory = i64::from(registered.memory) - i64::from(remaining.memory) + workload.memory;
        let port_taken = workload.ports.iter().any(|p| remaining.ports.contains(p));
        if used_cpu > cpu_budget || used_memory > memory_budget || port_taken {
            misses += 1;
            continue;
        }
        let sequence = (scenario.tasks.len() + tasks.len()) as u64;
        let task = task(scenario, instance, workload, sequence);
        hold(&mut remaining, &task);
        tasks.push(task);
    }
    instance.remaining_resources = Some(remaining);
    tasks
}

fn task(scenario: &Scenario, instance: &ContainerInstance, workload: &Workload, sequence: u64) -> Task {
    let id = hex_id(SEED ^ TASK_SALT, sequence);
    Task {
        task_arn: scenario.cluster.resource_arn("task", &id).into(),
        container_instance_arn: instance.container_instance_arn.clone(),
        group: workload.group.into(),
        task_definition_arn: workload.task_definition_arn.as_str().into(),
        desired_status: TaskStatus::Running,
        last_status: TaskStatus::Running,
        cpu: workload.cpu,
        memory: workload.memory,
        eni: false,
        started_by: None,
        ..Task::default()
    }
    .with_details(TaskDetails {
        ports: workload.ports.as_slice().into(),
        ..TaskDetails::default()
    })
}

/// One of `items`, drawn from `rng`.
fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> Option<&'a T> {
    items.get(usize::try_from(rng.below(items.len() as u64)).unwrap_or(0))
}
