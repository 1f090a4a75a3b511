//! AWS Fargate: tasks that run on capacity AWS manages, with no container instance. Everything
//! the launch type needs lives here: the task sizes Fargate offers, where a Fargate task runs
//! (an Availability Zone of the request's subnets, spread across them: decision D19 of
//! `docs/semantics.md`), which task a Fargate service stops when it scales in, and how the page
//! draws Fargate tasks (a lane per zone, each task with why it went there).
//!
//! The API side (which requests are Fargate, what RunTask and CreateService refuse) is
//! `aws::ops::fargate`.

use crate::Name;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Task, TaskDetails, TaskStatus};
use crate::rng::Rng;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The Fargate platform version `LATEST` stands for (Linux).
pub const LATEST_PLATFORM_VERSION: &str = "1.4.0";
/// The platform versions a request may name.
pub const PLATFORM_VERSIONS: [&str; 2] = ["LATEST", LATEST_PLATFORM_VERSION];
/// The capacity providers of Fargate.
pub const CAPACITY_PROVIDERS: [&str; 2] = ["FARGATE", "FARGATE_SPOT"];

/// The task sizes Fargate runs (AWS "Task CPU and memory" table): CPU units, and the memory
/// (MiB) allowed with it: from, to, in steps of.
pub const TASK_SIZES: [(i64, i64, i64, i64); 7] = [
    (256, 512, 2048, 512),
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122880, 8192),
];

/// Whether Fargate runs a task of `cpu` units and `memory` MiB. 256 CPU units take 512, 1024 or
/// 2048 MiB (the table's first row is not in 512 MiB steps: 1536 is refused).
pub fn is_task_size(cpu: i64, memory: i64) -> bool {
    TASK_SIZES.iter().any(|&(units, from, to, step)| {
        let in_row = units == cpu && (from..=to).contains(&memory) && (memory - from) % step == 0;
        in_row && (cpu != 256 || matches!(memory, 512 | 1024 | 2048))
    })
}

/// RegisterTaskDefinition's check of a Fargate task size (ClientException, AWS's words).
pub fn check_task_size(cpu: i64, memory: i64) -> Result<()> {
    if is_task_size(cpu, memory) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Client,
        format!(
            "No Fargate configuration exists for given values: {cpu} CPU, {memory} memory. See the Amazon ECS documentation for the valid values."
        ),
    ))
}

/// Where a Fargate task runs, and why it went there. Stored on the scenario's task (`fargate`);
/// a task with it has no container instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FargateTask {
    /// The Availability Zone it runs in.
    pub availability_zone: String,
    /// The subnet of its ENI.
    pub subnet_id: String,
    /// The platform version it runs on (`LATEST` resolved: 1.4.0).
    #[serde(default = "latest")]
    pub platform_version: String,
    /// `FARGATE` or `FARGATE_SPOT`.
    #[serde(default = "fargate")]
    pub capacity_provider_name: String,
    /// How its zone was chosen (decision D19); absent for tasks read from elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<ZoneChoice>,
}

fn latest() -> String {
    LATEST_PLATFORM_VERSION.into()
}

fn fargate() -> String {
    "FARGATE".into()
}

/// How a zone was chosen among the request's zones: the group's tasks in each before the choice,
/// and whether the seeded draw decided among the zones tied for the fewest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ZoneChoice {
    /// The task group counted (`service:NAME`, `family:NAME` or the request's group).
    pub group: String,
    /// Each zone of the request's subnets, with the group's Fargate tasks there before the choice.
    pub zones: Vec<ZoneCount>,
    /// The zones that had the fewest tasks (the chosen one among them).
    #[serde(default)]
    pub tied: Vec<String>,
    /// Whether several zones had the fewest and the seeded draw chose among them.
    pub drawn: bool,
}

/// The tasks of a group in one zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ZoneCount {
    /// The Availability Zone.
    pub zone: String,
    /// The group's tasks there (desired status RUNNING).
    pub tasks: u32,
}

/// One capacity provider of a `capacityProviderStrategy` (FARGATE or FARGATE_SPOT).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderShare {
    /// `FARGATE` or `FARGATE_SPOT`.
    pub capacity_provider: String,
    /// Relative share of the tasks beyond the bases (0-1000).
    #[serde(default)]
    pub weight: u32,
    /// Tasks that run on this provider first (0-100000).
    #[serde(default)]
    pub base: u32,
}

/// Everything Fargate needs to start `count` tasks.
#[derive(Debug, Clone, PartialEq)]
pub struct FargateRequest {
    /// The task group (`family:NAME`, `service:NAME` or the request's).
    pub group: String,
    /// How many tasks.
    pub count: usize,
    /// The request's subnets with their zones, in request order.
    pub subnets: Vec<(String, String)>,
    /// Task CPU units.
    pub cpu: i64,
    /// Task memory (MiB).
    pub memory: i64,
    /// Recorded on the tasks.
    pub task_definition_arn: String,
    /// Recorded on the tasks.
    pub started_by: Option<String>,
    /// The platform version the tasks run on.
    pub platform_version: String,
    /// The capacity providers; empty: `FARGATE` (the launch type).
    pub providers: Vec<ProviderShare>,
}

/// Starts the tasks: each in the zone of the request's subnets with the fewest running Fargate
/// tasks of the group, ties drawn with the seeded generator (decision D19), in the first of the
/// request's subnets in that zone. Appends them to `scenario.tasks` and returns their indexes.
pub fn place(scenario: &mut Scenario, request: &FargateRequest) -> Vec<usize> {
    let seed = scenario.seed.unwrap_or(0);
    let mut stream = seed ^ (scenario.tasks.len() as u64).wrapping_mul(0xA076_1D64_78BD_642F);
    let mut rng = Rng::new(crate::rng::splitmix64(&mut stream));
    let zones: BTreeSet<&str> = crate::order::set_of(request.subnets.iter().map(|(_, z)| z.as_str()));
    let mut ids = crate::engine::TakenIds::of(scenario);
    let mut placed = Vec::new();
    for _ in 0..request.count {
        let counts = zone_counts(scenario, &request.group, &zones);
        let Some((choice, zone)) = choose_zone(&request.group, counts, &mut rng) else {
            break;
        };
        let subnet = request
            .subnets
            .iter()
            .find(|(_, z)| *z == zone)
            .map(|(s, _)| s.clone())
            .unwrap_or_default();
        let provider = next_provider(scenario, &request.group, &request.providers);
        let task = Task {
            task_arn: crate::engine::fresh_task_arn(scenario, &mut ids).into(),
            container_instance_arn: Name::default(),
            group: request.group.as_str().into(),
            task_definition_arn: request.task_definition_arn.as_str().into(),
            desired_status: TaskStatus::Running,
            last_status: TaskStatus::Running,
            cpu: request.cpu,
            memory: request.memory,
            eni: true,
            started_by: request.started_by.as_deref().map(Name::from),
            ..Task::default()
        }
        .with_details(TaskDetails {
            fargate: Some(Box::new(FargateTask {
                availability_zone: zone,
                subnet_id: subnet,
                platform_version: request.platform_version.clone(),
                capacity_provider_name: provider,
                placement: Some(choice),
            })),
            ..TaskDetails::default()
        });
        placed.push(scenario.tasks.len());
        scenario.tasks.push(task);
    }
    placed
}

/// The group's running Fargate tasks in each of `zones`.
fn zone_counts(scenario: &Scenario, group: &str, zones: &BTreeSet<&str>) -> Vec<ZoneCount> {
    let mut counts: BTreeMap<&str, u32> = crate::order::map_of(zones.iter().map(|z| (*z, 0)));
    for task in scenario
        .tasks
        .iter()
        .filter(|t| t.group == group && t.is_desired_running())
    {
        if let Some(count) = task
            .fargate()
            .and_then(|f| counts.get_mut(f.availability_zone.as_str()))
        {
            *count += 1;
        }
    }
    counts
        .into_iter()
        .map(|(zone, tasks)| ZoneCount {
            zone: zone.to_string(),
            tasks,
        })
        .collect()
}

/// The zone with the fewest tasks (one drawn with the seeded generator when several tie), and
/// the record of the choice; `None` without zones.
fn choose_zone(group: &str, zones: Vec<ZoneCount>, rng: &mut Rng) -> Option<(ZoneChoice, String)> {
    let fewest = zones.iter().map(|z| z.tasks).min()?;
    let tied: Vec<&ZoneCount> = zones.iter().filter(|z| z.tasks == fewest).collect();
    let pick = if tied.len() > 1 {
        usize::try_from(rng.below(tied.len() as u64)).unwrap_or(0)
    } else {
        0
    };
    let zone = tied.get(pick)?.zone.clone();
    let choice = ZoneChoice {
        group: group.to_string(),
        tied: tied.iter().map(|z| z.zone.clone()).collect(),
        drawn: tied.len() > 1,
        zones: zones.clone(),
    };
    Some((choice, zone))
}

/// The capacity provider of the group's next task (decision D19): a provider with a `base`
/// gets tasks until it runs that many; after that each task goes to the provider whose tasks
/// beyond its base are furthest below its `weight` share ((beyond + 1) / weight is smallest),
/// the first in the strategy on a tie. Without providers: `FARGATE`.
fn next_provider(scenario: &Scenario, group: &str, providers: &[ProviderShare]) -> String {
    let running = |name: &str| -> u64 {
        scenario
            .tasks
            .iter()
            .filter(|t| t.group == group && t.is_desired_running())
            .filter(|t| t.fargate().is_some_and(|f| f.capacity_provider_name == name))
            .count() as u64
    };
    if let Some(based) = providers
        .iter()
        .find(|p| p.base > 0 && running(&p.capacity_provider) < u64::from(p.base))
    {
        return based.capacity_provider.clone();
    }
    // Compare (running + 1) / weight across providers without division: a/b < c/d ⇔ a·d < c·b.
    let mut best: Option<(&ProviderShare, u64)> = None;
    for provider in providers.iter().filter(|p| p.weight > 0) {
        let load = running(&provider.capacity_provider).saturating_sub(u64::from(provider.base)) + 1;
        let better = best.is_none_or(|(b, b_load)| load * u64::from(b.weight) < b_load * u64::from(provider.weight));
        if better {
            best = Some((provider, load));
        }
    }
    best.map(|(p, _)| p.capacity_provider.clone())
        .or_else(|| providers.first().map(|p| p.capacity_provider.clone()))
        .unwrap_or_else(fargate)
}

/// Which running Fargate task of a group stops when its service scales in (decision D19, the
/// reverse of the placement): the tasks in the zones with the most of the group's tasks are
/// kept, and one of them is drawn with the seeded generator (tasks of the group that are not on
/// Fargate form one bucket, zone ""). Returns its scenario index and the
/// record of the choice.
pub fn choose_stop(scenario: &Scenario, candidates: &[usize], rng: &mut Rng) -> Option<(usize, StopChoice)> {
    // A task of the group that is not on Fargate (one the scenario had before the service was
    // created) counts in a bucket of its own, named "".
    let zone_of = |index: &usize| {
        let task = scenario.tasks.get(*index)?;
        Some(task.fargate().map_or("", |f| f.availability_zone.as_str()))
    };
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for zone in candidates.iter().filter_map(zone_of) {
        *counts.entry(zone).or_insert(0) += 1;
    }
    let most = counts.values().copied().max()?;
    let kept: Vec<usize> = candidates
        .iter()
        .filter(|i| zone_of(i).and_then(|z| counts.get(z)) == Some(&most))
        .copied()
        .collect();
    let pick = usize::try_from(rng.below(kept.len() as u64)).unwrap_or(0);
    let task = *kept.get(pick)?;
    let choice = StopChoice {
        zones: counts
            .iter()
            .map(|(zone, tasks)| ZoneCount {
                zone: (*zone).to_string(),
                tasks: *tasks,
            })
            .collect(),
        kept: kept.len(),
    };
    Some((task, choice))
}

/// How a Fargate task to stop was chosen: the service's tasks per zone before the stop, and
/// how many tasks the zones with the most held (the seeded draw chose among them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StopChoice {
    /// The service's running tasks per zone before the stop.
    pub zones: Vec<ZoneCount>,
    /// The tasks in the zones with the most, among which the draw chose.
    pub kept: usize,
}

/// The Fargate tasks of one Availability Zone, as a page draws them (a lane).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FargateLane {
    /// The Availability Zone.
    pub availability_zone: String,
    /// The tasks that run there (desired RUNNING, or stopping but not yet STOPPED), in
    /// scenario order.
    pub tasks: Vec<FargateTaskView>,
}

/// A Fargate task as a page draws it, with why it runs in its zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FargateTaskView {
    /// The task ARN.
    pub task_arn: String,
    /// Its task group (the colour it is drawn in).
    pub group: String,
    /// CPU units.
    pub cpu: i64,
    /// Memory (MiB).
    pub memory: i64,
    /// Its subnet.
    pub subnet_id: String,
    /// `FARGATE` or `FARGATE_SPOT`.
    pub capacity_provider_name: String,
    /// Its platform version.
    pub platform_version: String,
    /// Whether it is stopping (desired STOPPED) while still running.
    #[serde(skip_serializing_if = "is_false")]
    pub stopping: bool,
    /// How its zone was chosen, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<ZoneChoice>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A task as its lane shows it; `None` for a task with a container instance.
pub fn task_view(task: &Task) -> Option<FargateTaskView> {
    let fargate = task.fargate()?;
    Some(FargateTaskView {
        task_arn: task.task_arn.to_string(),
        group: task.group.to_string(),
        cpu: task.cpu,
        memory: task.memory,
        subnet_id: fargate.subnet_id.clone(),
        capacity_provider_name: fargate.capacity_provider_name.clone(),
        platform_version: fargate.platform_version.clone(),
        stopping: !task.is_desired_running(),
        placement: fargate.placement.clone(),
    })
}

/// The lanes of a cluster: one per zone of its subnets and of its Fargate tasks, in zone order;
/// empty when no Fargate task runs.
pub fn lanes(scenario: &Scenario) -> Vec<FargateLane> {
    let running: Vec<&Task> = scenario
        .tasks
        .iter()
        .filter(|t| t.is_fargate() && t.holds_resources())
        .collect();
    if running.is_empty() {
        return Vec::new();
    }
    let zones: BTreeSet<&str> = crate::order::set_of(
        scenario.subnets.iter().map(|s| s.availability_zone.as_str()).chain(
            running
                .iter()
                .filter_map(|t| Some(t.fargate()?.availability_zone.as_str())),
        ),
    );
    // A lane per zone, in zone order (a `Vec` searched by zone: a cluster has a few zones).
    let mut lanes: Vec<FargateLane> = zones
        .into_iter()
        .map(|zone| FargateLane {
            availability_zone: zone.to_string(),
            tasks: Vec::new(),
        })
        .collect();
    for task in running {
        let Some(fargate) = task.fargate() else {
            continue;
        };
        let lane = lanes
            .iter_mut()
            .find(|l| l.availability_zone == fargate.availability_zone);
        if let (Some(lane), Some(view)) = (lane, task_view(task)) {
            lane.tasks.push(view);
        }
    }
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_table_has_every_row_of_the_aws_table() {
        assert!(is_task_size(256, 512) && is_task_size(256, 2048));
        assert!(!is_task_size(256, 1536), "256 CPU units take 512, 1024 or 2048 MiB");
        assert!(is_task_size(512, 3072) && !is_task_size(512, 512));
        assert!(is_task_size(1024, 8192) && !is_task_size(1024, 9216));
        assert!(is_task_size(2048, 4096) && is_task_size(2048, 16384) && !is_task_size(2048, 2048));
        assert!(is_task_size(4096, 30720) && !is_task_size(4096, 31744));
        assert!(is_task_size(8192, 16384) && is_task_size(8192, 61440) && !is_task_size(8192, 17408));
        assert!(is_task_size(16384, 122880) && !is_task_size(16384, 36864) && !is_task_size(16384, 131072));
        assert!(!is_task_size(300, 512));
        assert_eq!(
            check_task_size(1024, 1024).unwrap_err().message,
            "No Fargate configuration exists for given values: 1024 CPU, 1024 memory. See the Amazon ECS documentation for the valid values."
        );
    }

    #[test]
    fn providers_fill_their_base_then_share_by_weight() {
        let mut scenario = Scenario::new(Default::default());
        let shares = vec![
            ProviderShare {
                capacity_provider: "FARGATE".into(),
                weight: 1,
                base: 2,
            },
            ProviderShare {
                capacity_provider: "FARGATE_SPOT".into(),
                weight: 3,
                base: 0,
            },
        ];
        let request = FargateRequest {
            group: "g".into(),
            count: 10,
            subnets: vec![("subnet-a".into(), "us-east-1a".into())],
            cpu: 256,
            memory: 512,
            task_definition_arn: "td:1".into(),
            started_by: None,
            platform_version: LATEST_PLATFORM_VERSION.into(),
            providers: shares,
        };
        let placed = place(&mut scenario, &request);
        let names: Vec<&str> = placed
            .iter()
            .map(|&i| scenario.tasks[i].fargate().unwrap().capacity_provider_name.as_str())
            .collect();
        let spot = names.iter().filter(|n| **n == "FARGATE_SPOT").count();
        assert_eq!(&names[..2], ["FARGATE", "FARGATE"], "the base first");
        assert_eq!(spot, 6, "8 tasks beyond the base, 3 of every 4 on FARGATE_SPOT");
    }
}
