//! The headline case, shared by the native benchmark (`benches/placement.rs`) and the browser
//! benchmark (`crates/ecs-placement-wasm/tests/placement_bench.rs`): small tasks (10 CPU units,
//! 32 MiB) placed with the chain `spread(attribute:ecs.availability-zone)` then
//! `binpack(memory)` and the constraint `memberOf(attribute:ecs.instance-type =~ m5.*)` (90% of
//! the instances are m5, the rest t3), and the naive reference that computes the same
//! placements as the simplest loop over plain numbers.

use super::{binpack_memory, member_of, small_task, zone_spread};
use ecs_placement::engine::{self, Chooser, PlacementRequest};
use ecs_placement::scenario::Scenario;

/// The memberOf constraint: keeps the m5 instances.
pub const EXPRESSION: &str = "attribute:ecs.instance-type =~ m5.*";

/// Every tenth instance is a t3, which the constraint rejects.
pub fn instance_type(index: usize) -> &'static str {
    if index % 10 == 9 { "t3.large" } else { "m5.xlarge" }
}

/// Zones: 3 below 10,000 instances, 6 from there.
pub fn zone_count(instances: usize) -> usize {
    if instances >= 10_000 { 6 } else { 3 }
}

/// A normalized cluster of `instances` empty instances.
pub fn cluster(instances: usize) -> Scenario {
    super::cluster(instances, zone_count(instances), instance_type)
}

/// The request: `count` small tasks, the case's chain and constraint.
pub fn request(count: usize) -> PlacementRequest {
    super::request(
        count,
        vec![zone_spread(), binpack_memory()],
        vec![member_of(EXPRESSION)],
        small_task(),
    )
}

/// The checksums of one case's placements, computed outside the measurements.
pub struct Agreement {
    /// The indexed chooser's checksum.
    pub indexed: u64,
    /// The scan's checksum (equal to `indexed`), when the scan ran.
    pub scan: Option<u64>,
}

/// Checks that every task of the case fits, that the scan (when `with_scan`: it takes seconds
/// from 100,000 tasks on 10,000 instances) places exactly as the indexed chooser (same instances
/// in the same order: equal checksums) and that the naive reference computes the same
/// placements (see [`shape`]). Panics otherwise; returns the checksums to print.
pub fn assert_all_placed_as_naive(scenario: &Scenario, request: &PlacementRequest, with_scan: bool) -> Agreement {
    let mut naive = naive::Cluster::new(scenario.instances.len());
    assert_all_placed_as(scenario, request, with_scan, &naive.place(request.count))
}

/// [`assert_all_placed_as_naive`] given the naive reference's placements (the instance of each
/// task), for a caller that computed them itself (the browser benchmark, in pieces).
pub fn assert_all_placed_as(
    scenario: &Scenario,
    request: &PlacementRequest,
    with_scan: bool,
    naive_placed: &[usize],
) -> Agreement {
    let mut copy = scenario.clone();
    let outcome = engine::place(&mut copy, request);
    assert_eq!(
        outcome.placements.len(),
        request.count,
        "failures: {:?}",
        outcome.failures.first()
    );
    let scan = with_scan.then(|| {
        let mut scanned = scenario.clone();
        super::checksum(&engine::place_using(&mut scanned, request, Chooser::Scan).placements)
    });
    let agreement = Agreement {
        indexed: super::checksum(&outcome.placements),
        scan,
    };
    if let Some(scan) = agreement.scan {
        assert_eq!(agreement.indexed, scan, "the indexed chooser and the scan disagree");
    }
    assert_same_shape(scenario.instances.len(), &outcome.placements, naive_placed);
    agreement
}

/// Checks that the engine's `placements` on `instances` instances have the [`shape`] of the
/// naive reference's (the instance of each task). Panics otherwise.
pub fn assert_same_shape(instances: usize, placements: &[engine::Placement], naive_placed: &[usize]) {
    let engine_counts = counts(instances, placements.iter().map(|p| p.instance_index));
    let naive_counts = counts(instances, naive_placed.iter().copied());
    let zones = zone_count(instances);
    assert_eq!(
        shape(&engine_counts, zones),
        shape(&naive_counts, zones),
        "the engine and the naive reference disagree"
    );
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
pub mod naive {
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
