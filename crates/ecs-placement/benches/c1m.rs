//! C1M-like: 5,000 instances in three zones, services of 1,000 tasks each (16 CPU units, 64 MiB)
//! with the services' default chain (decision D12: spread over zones, then over instances).
//!
//! The services are created through the core API (`aws ecs create-service`, desired count 0),
//! outside the timed section; the timed section sets every service's desired count to 1,000 and
//! runs the service scheduler once (`service::reconcile`), which places all the tasks, records
//! the steps and events, and finds every service steady. Rows: 100 services (100,000 tasks) and
//! the full 1,000 services (1,000,000 tasks).
//!
//! Beside each row, in the same run, a naive reference: the same scheduling written as the
//! simplest loop over plain numbers (per task one scan of every instance for the fewest tasks
//! of the service in the zone, then on the instance, among those the task fits; the first
//! such), no events, no steps. Its placements are checked against the scheduler's (every task
//! placed, the zones' totals of each service, at most one task of a service per instance: the
//! same whichever equally good instance a draw picked), and the scheduler's placements print a
//! checksum (FNV-1a over each task's instance, in order) that must not change when the
//! scheduler gets faster.
//!
//! This is a bench binary (medians of a few runs), not criterion: the full row takes seconds.
//! Each run prints its CPU time (this thread's time on a core) beside the wall-clock time: on a
//! shared machine the CPU time is the steadier of the two.
//! `cargo bench -p ecs-placement --bench c1m` runs both rows (`C1M_RUNS`, default 3, runs of
//! each; `C1M_SERVICES=N` runs only N services); `cargo test --benches` runs 5 services on 500
//! instances once, as a smoke test.

mod common;

use ecs_placement::Scenario;
use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::service::{self, ReconcileOptions, SchedulerStep};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Zones of the cluster.
const ZONES: usize = 3;
/// What one task reserves.
const TASK_CPU: u32 = 16;
/// What one task reserves (MiB).
const TASK_MEMORY: u32 = 64;

/// The size of a row.
#[derive(Debug, Clone, Copy)]
struct Size {
    instances: usize,
    services: usize,
    tasks: usize,
}

fn command(scenario: &mut Scenario, line: &str) {
    let report = aws::run_command(scenario, line, &NoFiles, Options::default());
    if let Some(error) = report.error {
        panic!("{line}: {}", error.text);
    }
}

/// The cluster, the task definition and the services (desired count 0), made through the API.
fn setup(size: Size) -> Scenario {
    let mut scenario = common::cluster(size.instances, ZONES, |_| "m5.xlarge");
    command(
        &mut scenario,
        &format!(
            "aws ecs register-task-definition --family app --container-definitions \
             '[{{\"name\":\"app\",\"image\":\"app\",\"cpu\":{TASK_CPU},\"memory\":{TASK_MEMORY}}}]'"
        ),
    );
    for s in 0..size.services {
        command(
            &mut scenario,
            &format!("aws ecs create-service --service-name svc-{s:04} --task-definition app:1 --desired-count 0"),
        );
    }
    scenario
}

/// The timed part: every service wants `tasks`, the scheduler settles.
fn scale_out(scenario: &mut Scenario, tasks: usize) -> Vec<SchedulerStep> {
    for service in &mut scenario.services {
        service.desired_count = tasks as u32;
    }
    service::reconcile(scenario, ReconcileOptions::default())
}

/// The instance number a benchmark ARN encodes (its ID is `{index:032x}`).
fn instance_number(arn: &str) -> usize {
    let id = arn.rsplit('/').next().unwrap_or(arn);
    usize::from_str_radix(id, 16).expect("a benchmark instance ARN")
}

/// (service number, instance number) of every task, in scenario order.
fn placements(scenario: &Scenario) -> Vec<(usize, usize)> {
    scenario
        .tasks
        .iter()
        .map(|t| {
            let service = t.group.strip_prefix("service:svc-").expect("a service task");
            (
                service.parse().expect("a service number"),
                instance_number(&t.container_instance_arn),
            )
        })
        .collect()
}

fn checksum(placed: &[(usize, usize)]) -> u64 {
    placed.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &(_, instance)| {
        (hash ^ instance as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Per service, its zones' totals (sorted), and the most tasks of one service on one instance.
fn shape(size: Size, placed: &[(usize, usize)]) -> (Vec<Vec<usize>>, usize) {
    let mut zones = vec![vec![0; ZONES]; size.services];
    let mut per_instance: HashMap<(usize, usize), usize> = HashMap::new();
    for &(service, instance) in placed {
        zones[service][instance % ZONES] += 1;
        *per_instance.entry((service, instance)).or_default() += 1;
    }
    for totals in &mut zones {
        totals.sort_unstable();
    }
    (zones, per_instance.values().copied().max().unwrap_or(0))
}

/// The naive reference over plain numbers.
mod naive {
    use super::{Size, TASK_CPU, TASK_MEMORY, ZONES};

    /// Places every service's tasks, service after service; returns (service, instance) per task.
    pub fn schedule(size: Size) -> Vec<(usize, usize)> {
        let mut cpu = vec![4_096u32; size.instances];
        let mut memory = vec![15_576u32; size.instances];
        let mut placed = Vec::with_capacity(size.services * size.tasks);
        let mut on_instance = vec![0u32; size.instances];
        for service in 0..size.services {
            on_instance.fill(0);
            let mut in_zone = [0u32; ZONES];
            for _ in 0..size.tasks {
                let mut best: Option<(usize, (u32, u32))> = None;
                for index in 0..size.instances {
                    if cpu[index] < TASK_CPU || memory[index] < TASK_MEMORY {
                        continue;
                    }
                    let key = (in_zone[index % ZONES], on_instance[index]);
                    if best.is_none_or(|(_, best_key)| key < best_key) {
                        best = Some((index, key));
                    }
                }
                let Some((index, _)) = best else { break };
                cpu[index] -= TASK_CPU;
                memory[index] -= TASK_MEMORY;
                in_zone[index % ZONES] += 1;
                on_instance[index] += 1;
                placed.push((service, index));
            }
        }
        placed
    }
}

/// Time this thread has spent on a CPU (`/proc/thread-self/schedstat`, Linux): the machine is
/// shared, so the wall-clock time includes waits for a core that the CPU time leaves out.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Runs `work`, returning its result, wall-clock time and CPU time (the wall-clock time when the
/// system does not say).
fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (cpu, start) = (cpu_time(), Instant::now());
    let result = work();
    let wall = start.elapsed();
    let cpu = cpu
        .zip(cpu_time())
        .map_or(wall, |(before, after)| after.saturating_sub(before));
    (result, wall, cpu)
}

fn seconds(times: &[Duration]) -> String {
    let list: Vec<String> = times.iter().map(|t| format!("{:.3}", t.as_secs_f64())).collect();
    list.join(", ")
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn row(size: Size, runs: usize) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    let mut sums = Vec::new();
    let mut steps = 0;
    let mut placed = Vec::new();
    for _ in 0..runs {
        let mut scenario = setup(size);
        let (done, wall_time, cpu_time) = timed(|| black_box(scale_out(&mut scenario, size.tasks)));
        wall.push(wall_time);
        cpu.push(cpu_time);
        steps = done.len();
        placed = placements(&scenario);
        sums.push(checksum(&placed));
        drop(done);
    }
    assert_eq!(placed.len(), size.services * size.tasks, "every task placed");
    assert!(sums.windows(2).all(|w| w[0] == w[1]), "the runs disagree");
    let (mut naive_wall, mut naive_cpu) = (Vec::new(), Vec::new());
    let mut naive_placed = Vec::new();
    for _ in 0..runs {
        let (done, wall_time, cpu_time) = timed(|| black_box(naive::schedule(size)));
        naive_placed = done;
        naive_wall.push(wall_time);
        naive_cpu.push(cpu_time);
    }
    let (engine_shape, naive_shape) = (shape(size, &placed), shape(size, &naive_placed));
    assert_eq!(
        engine_shape.0, naive_shape.0,
        "zone totals differ from the naive reference"
    );
    assert_eq!(
        (engine_shape.1, naive_shape.1),
        (1, 1),
        "a service doubled up on an instance"
    );
    let (engine, naive) = (median(cpu.clone()), median(naive_cpu.clone()));
    println!(
        "c1m/{} instances/{} services x {} tasks, {} steps, checksum {:016x}:",
        size.instances, size.services, size.tasks, steps, sums[0]
    );
    println!(
        "  scheduler: CPU median {:.3} s ({}), wall median {:.3} s ({})",
        engine.as_secs_f64(),
        seconds(&cpu),
        median(wall.clone()).as_secs_f64(),
        seconds(&wall)
    );
    println!(
        "  naive:     CPU median {:.3} s ({}), wall median {:.3} s ({})",
        naive.as_secs_f64(),
        seconds(&naive_cpu),
        median(naive_wall.clone()).as_secs_f64(),
        seconds(&naive_wall)
    );
    println!(
        "  scheduler / naive (CPU): {:.2}",
        engine.as_secs_f64() / naive.as_secs_f64()
    );
}

fn main() {
    if !common::measuring() {
        row(
            Size {
                instances: 500,
                services: 5,
                tasks: 100,
            },
            1,
        );
        return;
    }
    let runs = std::env::var("C1M_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let only: Option<usize> = std::env::var("C1M_SERVICES").ok().and_then(|s| s.parse().ok());
    let rows = only.map_or_else(|| vec![100, 1_000], |o| vec![o]);
    for services in rows {
        let size = Size {
            instances: 5_000,
            services,
            tasks: 1_000,
        };
        row(size, runs);
    }
}
