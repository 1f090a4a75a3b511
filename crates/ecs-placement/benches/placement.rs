//! Benchmark of the placement funnel (`engine::place`): one call placing 1,000 or 100,000 small
//! tasks (10 CPU units, 32 MiB) on 1,000, 10,000 or 100,000 instances, with the chain
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
//! The scan and the naive reference are timed up to a billion candidate visits per call
//! (100,000 tasks on 10,000 instances: about 7 s per call for the scan); beyond, on 100,000
//! instances with 100,000 tasks, the naive reference runs once, untimed, to check the
//! placements (about 10-20 s), and the scan does not run.
//!
//! Run with `cargo bench -p ecs-placement --bench placement` (about 15 minutes on 2 cores, most
//! of it the scan of the 100,000 x 10,000 case); `-- 1000\ tasks` runs the 1,000-task cases
//! only. `cargo test --benches` runs only the smallest case, once, as a smoke test.

mod common;

use common::spread_binpack::{assert_all_placed_as_naive, cluster, naive, request};
use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use ecs_placement::engine::{self, Chooser};
use std::hint::black_box;
use std::time::Duration;

/// Instances per cluster.
const CLUSTERS: [usize; 3] = [1_000, 10_000, 100_000];

/// Tasks per call.
const COUNTS: [usize; 2] = [1_000, 100_000];

/// Up to how many candidate visits per call (tasks times instances) the scan and the naive
/// reference are timed.
const TIMED_VISITS: usize = 1_000_000_000;

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
            let timed_references = count * instances <= TIMED_VISITS;
            let agreement = assert_all_placed_as_naive(&scenario, &request, timed_references);
            let scan = agreement
                .scan
                .map_or("not run".to_string(), |sum| format!("{sum:016x}"));
            eprintln!(
                "checksum of the placements, {count} tasks on {instances} instances: indexed {:016x}, scan {scan}",
                agreement.indexed
            );
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
            if !timed_references {
                continue;
            }
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
