//! The C1M-like case, shared by the native bench binary (`benches/c1m.rs`) and the browser
//! benchmark (`crates/ecs-placement-wasm/tests/placement_bench.rs`): 5,000 instances in three
//! zones, services created through the core API, every service then asked for its tasks and the
//! scheduler run once; and the naive reference that schedules the same tasks as the simplest loop
//! over plain numbers.

use ecs_placement::Scenario;
use ecs_placement::aws::{self, NoFiles, Options};
use ecs_placement::service::{self, ReconcileOptions, SchedulerStep};
use std::collections::HashMap;

/// Zones of the cluster.
pub const ZONES: usize = 3;
/// What one task reserves.
pub const TASK_CPU: u32 = 16;
/// What one task reserves (MiB).
pub const TASK_MEMORY: u32 = 64;

/// The size of a row.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Instances of the cluster.
    pub instances: usize,
    /// Services.
    pub services: usize,
    /// Tasks each service wants.
    pub tasks: usize,
}

/// Runs an AWS CLI command on the scenario; panics on an error.
pub fn command(scenario: &mut Scenario, line: &str) {
    let report = aws::run_command(scenario, line, &NoFiles, Options::default());
    if let Some(error) = report.error {
        panic!("{line}: {}", error.text);
    }
}

/// The cluster, the task definition and the services (desired count 0), made through the API.
pub fn setup(size: Size) -> Scenario {
    let mut scenario = super::cluster(size.instances, ZONES, |_| "m5.xlarge");
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
pub fn scale_out(scenario: &mut Scenario, tasks: usize) -> Vec<SchedulerStep> {
    for service in &mut scenario.services {
        service.desired_count = tasks as u32;
    }
    service::reconcile(scenario, ReconcileOptions::default())
}

/// The instance number a benchmark ARN encodes (its ID is `{index:032x}`).
pub fn instance_number(arn: &str) -> usize {
    let id = arn.rsplit('/').next().unwrap_or(arn);
    usize::from_str_radix(id, 16).expect("a benchmark instance ARN")
}

/// (service number, instance number) of every task, in scenario order.
pub fn placements(scenario: &Scenario) -> Vec<(usize, usize)> {
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

/// FNV-1a over each task's instance, in order: unchanged while the scheduler gets faster.
pub fn checksum(placed: &[(usize, usize)]) -> u64 {
    placed.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &(_, instance)| {
        (hash ^ instance as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Per service, its zones' totals (sorted), and the most tasks of one service on one instance.
pub fn shape(size: Size, placed: &[(usize, usize)]) -> (Vec<Vec<usize>>, usize) {
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

/// Checks that the scheduler placed every task and that the naive reference agrees: each
/// service's zone totals equal, never two tasks of a service on one instance (whichever equally
/// good instance a draw picked). Panics otherwise.
pub fn assert_agrees(size: Size, placed: &[(usize, usize)], naive_placed: &[(usize, usize)]) {
    assert_eq!(placed.len(), size.services * size.tasks, "every task placed");
    let (engine_shape, naive_shape) = (shape(size, placed), shape(size, naive_placed));
    assert_eq!(
        engine_shape.0, naive_shape.0,
        "zone totals differ from the naive reference"
    );
    assert_eq!(
        (engine_shape.1, naive_shape.1),
        (1, 1),
        "a service doubled up on an instance"
    );
}

/// The naive reference over plain numbers.
pub mod naive {
    use super::{Size, TASK_CPU, TASK_MEMORY, ZONES};

    /// Places every service's tasks, service after service; returns (service, instance) per task.
    pub fn schedule(size: Size) -> Vec<(usize, usize)> {
        let mut scheduler = Scheduler::new(size);
        scheduler.run(size.services);
        scheduler.placed
    }

    /// The naive scheduler, resumable between services (the browser places in pieces, answering
    /// its driver between them).
    pub struct Scheduler {
        size: Size,
        cpu: Vec<u32>,
        memory: Vec<u32>,
        on_instance: Vec<u32>,
        next_service: usize,
        /// (service, instance) per task placed so far.
        pub placed: Vec<(usize, usize)>,
    }

    impl Scheduler {
        /// Empty instances, no service placed yet.
        pub fn new(size: Size) -> Self {
            Scheduler {
                size,
                cpu: vec![4_096; size.instances],
                memory: vec![15_576; size.instances],
                on_instance: vec![0; size.instances],
                next_service: 0,
                placed: Vec::with_capacity(size.services * size.tasks),
            }
        }

        /// Places the tasks of up to `services` more services; returns whether any is left.
        pub fn run(&mut self, services: usize) -> bool {
            let end = (self.next_service + services).min(self.size.services);
            for service in self.next_service..end {
                self.place_service(service);
            }
            self.next_service = end;
            end < self.size.services
        }

        fn place_service(&mut self, service: usize) {
            let Scheduler {
                size,
                cpu,
                memory,
                on_instance,
                placed,
                ..
            } = self;
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
    }
}
