//! Benchmark of the placement funnel (`engine::place`): one call placing 1,000 or 100,000 small
//! tasks (10 CPU units, 32 MiB) on 1,000 or 10,000 instances, with the chain
//! `spread(attribute:ecs.availability-zone)` then `binpack(memory)` and the constraint
//! `memberOf(attribute:ecs.instance-type =~ m5.*)` (90% of the instances are m5, the rest t3).
//!
//! The request is built directly: the AWS-level limit of 10 tasks per RunTask does not apply to
//! the engine. Each scenario is built once per case and cloned outside the timed section.
//! Every case fits: 1,000 instances hold about 400 tasks each at most (CPU), 900 m5 of them
//! take 100,000 tasks.
//!
//! Beside each case, in the same run: the engine with its scan of every candidate per task
//! instead of the indexed chooser (`scan/...`, the reference whose placements the indexed chooser
//! must equal: both checksums are printed), and a naive reference (`naive/...`): the same funnel written
//! as the simplest loop over plain numbers — per task one scan of every instance, the constraint
//! as a precomputed boolean, spread then binpack as one lexicographic key (fewest tasks in the
//! zone, then least memory left), no explanation, no frames. Its placements are checked against
//! the engine's once per case (zone totals, tasks per instance, none on a rejected instance: the
//! same whichever equally good instance a tie-break picks), so every engine figure reads as a
//! ratio to a kernel that computes the same answer.
//!
//! Run with `cargo bench -p ecs-placement --bench placement` (about 12 minutes on 2 cores, most
//! of it the scan of the 100,000 x 10,000 case at about 7 s per call); `-- 1000\ tasks` runs the
//! 1,000-task cases only. `cargo test --benches` runs only the smallest case, once, as a smoke test.

mod common;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use ecs_placement::engine::{self, Chooser, PlacementRequest};
use ecs_placement::scenario::Scenario;
use std::hint::black_box;
use std::time::Duration;

/// Instances per cluster.
const CLUSTERS: [usize; 2] = [1_000, 10_000];

/// Tasks per call.
const COUNTS: [usize; 2] = [1_000, 100_000];

/// The memberOf constraint: keeps the m5 instances.
const EXPRESSION: &str = "attribute:ecs.instance-type =~ m5.*";

/// Every tenth instance is a t3, which the constraint rejects.
fn instance_type(index: usize) -> &'static str {
    if index % 10 == 9 { "t3.large" } else { "m5.xlarge" }
}

/// Zones: 3 for the small cluster, 6 for the large one.
fn zone_count(instances: usize) -> usize {
    if instances >= 10_000 { 6 } else { 3 }
}

/// A normalized cluster of `instances` empty instances.
fn cluster(instances: usize) -> Scenario {
    common::cluster(instances, zone_count(instances), instance_type)
}

fn request(count: usize) -> PlacementRequest {
    common::request(
        count,
        vec![common::zone_spread(), common::binpack_memory()],
        vec![common::member_of(EXPRESSION)],
        common::small_task(),
    )
}

/// Checks once, outside the measurements, that every task of the case fits, that the scan
/// places exactly as the indexed chooser (same instances in the same order: the checksum printed
/// for both) and that the naive reference computes the same placements (see [`shape`]).
fn assert_all_placed_as_naive(scenario: &Scenario, request: &PlacementRequest) {
    let mut copy = scenario.clone();
    let outcome = engine::place(&mut copy, request);
    assert_eq!(
        outcome.placements.len(),
        request.count,
        "failures: {:?}",
        outcome.failures.first()
    );
    let mut scanned = scenario.clone();
    let scan = engine::place_using(&mut scanned, request, Chooser::Scan);
    let (indexed_sum, scan_sum) = (
        common::checksum(&outcome.placements),
        common::checksum(&scan.placements),
    );
    eprintln!(
        "checksum of the placements, {} tasks on {} instances: indexed {indexed_sum:016x}, scan {scan_sum:016x}",
        request.count,
        scenario.instances.len()
    );
    assert_eq!(indexed_sum, scan_sum, "the indexed chooser and the scan disagree");
    let engine_counts = counts(
        scenario.instances.len(),
        outcome
            .placements
            .iter()
            .map(|p| instance_number(&p.container_instance_arn)),
    );
    let mut naive = naive::Cluster::new(scenario.instances.len());
    let naive_counts = counts(scenario.instances.len(), naive.place(request.count).into_iter());
    let zones = zone_count(scenario.instances.len());
    assert_eq!(
        shape(&engine_counts, zones),
        shape(&naive_counts, zones),
        "the engine and the naive reference disagree"
    );
}

/// The instance number a benchmark ARN encodes (its ID is `{index:032x}`).
fn instance_number(arn: &str) -> usize {
    let id = arn.rsplit('/').next().unwrap_or(arn);
    usize::from_str_radix(id, 16).expect("a benchmark instance ARN")
}

/// Tasks per instance number.
fn counts(instances: usize, placed: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut counts = vec![0; instances];
    for index in placed {
        counts[index] += 1;
    }
    counts
}

/// What the placements look like whichever of equally good instances or zones a draw picked:
/// the zones' task totals (sorted), the instances' task counts (sorted) and the tasks on
/// instances the constraint rejects (must be 0).
fn shape(counts: &[usize], zones: usize) -> (Vec<usize>, Vec<usize>, usize) {
    let mut zone_totals = vec![0; zones];
    for (index, &count) in counts.iter().enumerate() {
        zone_totals[index % zones] += count;
    }
    zone_totals.sort_unstable();
    let mut per_instance = counts.to_vec();
    per_instance.sort_unstable();
    let rejected = counts
        .iter()
        .enumerate()
        .filter(|(index, _)| !instance_type(*index).starts_with("m5."))
        .map(|(_, count)| count)
        .sum();
    (zone_totals, per_instance, rejected)
}

/// The naive reference: the benchmark's funnel over plain numbers.
mod naive {
    use super::{instance_type, zone_count};

    /// One instance: what is left of it, its zone, whether the constraint keeps it.
    #[derive(Clone)]
    struct Instance {
        cpu: u32,
        memory: u32,
        zone: usize,
        eligible: bool,
    }

    /// The cluster of the benchmark, and the group's tasks per zone.
    #[derive(Clone)]
    pub struct Cluster {
        instances: Vec<Instance>,
        zone_tasks: Vec<usize>,
    }

    impl Cluster {
        /// The same cluster as the engine's case (4,096 CPU units and 15,576 MiB each).
        pub fn new(instances: usize) -> Self {
            let zones = zone_count(instances);
            let instances = (0..instances)
                .map(|index| Instance {
                    cpu: 4_096,
                    memory: 15_576,
                    zone: index % zones,
                    eligible: instance_type(index).starts_with("m5."),
                })
                .collect();
            Cluster {
                instances,
                zone_tasks: vec![0; zones],
            }
        }

        /// Places `count` tasks of 10 CPU units and 32 MiB; returns the instance of each.
        pub fn place(&mut self, count: usize) -> Vec<usize> {
            let mut placed = Vec::with_capacity(count);
            for _ in 0..count {
                let Some(best) = self.best() else { break };
                let instance = &mut self.instances[best];
                instance.cpu -= 10;
                instance.memory -= 32;
                self.zone_tasks[instance.zone] += 1;
                placed.push(best);
            }
            placed
        }

        /// One scan: the fitting instance with the fewest tasks in its zone, then the least
        /// memory left (the first such).
        fn best(&self) -> Option<usize> {
            let mut best: Option<(usize, (usize, u32))> = None;
            for (index, instance) in self.instances.iter().enumerate() {
                if !instance.eligible || instance.cpu < 10 || instance.memory < 32 {
                    continue;
                }
                let key = (self.zone_tasks[instance.zone], instance.memory);
                if best.is_none_or(|(_, best_key)| key < best_key) {
                    best = Some((index, key));
                }
            }
            best.map(|(index, _)| index)
        }
    }
}

fn placement(c: &mut Criterion) {
    let mut group = c.benchmark_group("place");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));
    let smallest_only = !common::measuring();
    for instances in CLUSTERS {
        let scenario = cluster(instances);
        for count in COUNTS {
            if smallest_only && (instances, count) != (CLUSTERS[0], COUNTS[0]) {
                continue;
            }
            let request = request(count);
            assert_all_placed_as_naive(&scenario, &request);
            group.throughput(Throughput::Elements(count as u64));
            group.measurement_time(Duration::from_secs(if count >= 100_000 { 20 } else { 5 }));
            let id = BenchmarkId::new(format!("{count} tasks"), format!("{instances} instances"));
            group.bench_with_input(id, &request, |b, request| {
                b.iter_batched(
                    || scenario.clone(),
                    |mut scenario| {
                        let outcome = engine::place(&mut scenario, black_box(request));
                        (scenario, outcome)
                    },
                    BatchSize::LargeInput,
                );
            });
            let id = BenchmarkId::new(format!("scan/{count} tasks"), format!("{instances} instances"));
            group.bench_with_input(id, &request, |b, request| {
                b.iter_batched(
                    || scenario.clone(),
                    |mut scenario| {
                        let outcome = engine::place_using(&mut scenario, black_box(request), Chooser::Scan);
                        (scenario, outcome)
                    },
                    BatchSize::LargeInput,
                );
            });
            let naive = naive::Cluster::new(instances);
            let id = BenchmarkId::new(format!("naive/{count} tasks"), format!("{instances} instances"));
            group.bench_with_input(id, &count, |b, &count| {
                b.iter_batched(
                    || naive.clone(),
                    |mut cluster| cluster.place(black_box(count)),
                    BatchSize::LargeInput,
                );
            });
        }
    }
    group.finish();
}

criterion_group!(benches, placement);
criterion_main!(benches);
