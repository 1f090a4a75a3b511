//! Benchmark of the placement engine on the cases of `docs/performance.md`, each timed twice in
//! the same run: with the indexed chooser (`indexed/...`, what `engine::place` uses) and with the
//! scan of every candidate per task (`scan/...`, the reference the indexed chooser is
//! property-tested against). Before timing, each case checks that both give the same placements
//! and prints the checksum of each.
//!
//! Every case runs on 10,000 instances (4,096 CPU units, 15,576 MiB, six zones; m5 and c5 in
//! turn) and places 10 CPU units / 32 MiB tasks unless it says otherwise:
//! - `binpack`: 10,000 tasks, `binpack(memory)`.
//! - `distinctInstance`: 5,000 tasks, `spread(zone)`, `distinctInstance`.
//! - `static port`: 5,000 tasks holding host port 80, `spread(zone)` then `binpack(memory)`.
//! - `dynamic ports`: the same tasks with dynamic host ports (nothing reserved).
//! - `task-group affinity`: 10,000 tasks with `memberOf(task:group == family:db)` on a cluster
//!   where every m5 already runs a `family:db` task, `binpack(memory)`.
//! - `20 task shapes`: 10,000 tasks in 200 calls of 50, twenty shapes (10-200 CPU units,
//!   32-640 MiB) taking turns, `spread(zone)` then `binpack(memory)`.
//! - `setup, 10 constraints` and `setup, no constraint`: one task (what a RunTask call costs
//!   before its first placement: every instance checked once).
//! - `1M tasks`: 1,000,000 tasks, `spread(zone)` then `binpack(memory)` (indexed only: the scan
//!   would take minutes; `benches/placement.rs` compares both with a naive kernel).
//! - `1M tasks on 100k instances`: the same on 100,000 instances (indexed only).
//!
//! Run with `cargo bench -p ecs-placement --bench cases` (about 6 minutes on 2 cores);
//! `cargo test --benches` runs the smallest case once, unoptimized, as a smoke test.

mod common;

use common::{binpack_memory, cluster, member_of, request, small_task, zone_spread};
use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use ecs_placement::engine::{self, Chooser, Constraint, Origin, Placement, PlacementRequest};
use ecs_placement::scenario::Scenario;
use ecs_placement::taskdef::Reservation;
use std::hint::black_box;
use std::time::Duration;

/// Instances of every case.
const INSTANCES: usize = 10_000;

/// Zones of every case.
const ZONES: usize = 6;

/// m5 and c5 instances in turn.
fn instance_type(index: usize) -> &'static str {
    if index % 2 == 0 { "m5.xlarge" } else { "c5.xlarge" }
}

/// One benchmark case: a cluster and the calls placed on it, in order.
struct Case {
    name: &'static str,
    scenario: Scenario,
    calls: Vec<PlacementRequest>,
    /// Whether the scan is timed too (not for the million-task case).
    scan: bool,
}

impl Case {
    fn new(name: &'static str, scenario: &Scenario, calls: Vec<PlacementRequest>) -> Case {
        Case {
            name,
            scenario: scenario.clone(),
            calls,
            scan: true,
        }
    }

    fn tasks(&self) -> usize {
        self.calls.iter().map(|c| c.count).sum()
    }
}

/// Places every call of `case` on a copy of its cluster; returns every placement.
fn run(case: &Case, mut scenario: Scenario, chooser: Chooser) -> (Scenario, Vec<Placement>) {
    let mut placements = Vec::with_capacity(case.tasks());
    for call in &case.calls {
        placements.extend(engine::place_using(&mut scenario, black_box(call), chooser).placements);
    }
    (scenario, placements)
}

fn with_ports(ports: Vec<u16>) -> Reservation {
    Reservation { ports, ..small_task() }
}

fn distinct() -> Constraint {
    Constraint::DistinctInstance {
        origin: Origin::Request,
    }
}

/// The base cluster with one `family:db` task on every m5.
fn with_databases(base: &Scenario) -> Scenario {
    let mut scenario = base.clone();
    let mut databases = request(
        INSTANCES / 2,
        Vec::new(),
        vec![member_of("attribute:ecs.instance-type == m5.xlarge"), distinct()],
        small_task(),
    );
    databases.group = "family:db".into();
    let placed = engine::place(&mut scenario, &databases).placements.len();
    assert_eq!(placed, INSTANCES / 2, "one database task per m5");
    scenario
}

/// Ten constraints every instance passes.
fn ten_constraints() -> Vec<Constraint> {
    [
        "attribute:ecs.instance-type =~ [mc]5.*",
        "attribute:ecs.os-type == linux",
        "agentConnected == true",
        "runningTasksCount < 100",
        "not(task:group == family:batch)",
        "attribute:ecs.availability-zone in [us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f]",
        "ec2InstanceId != i-0",
        "attribute:ecs.instance-type != t2.micro",
        "agentVersion >= 1.0.0",
        "not(attribute:stack exists)",
    ]
    .iter()
    .map(|e| member_of(e))
    .collect()
}

/// Twenty task shapes taking turns: 200 calls of 50 tasks.
fn twenty_shapes() -> Vec<PlacementRequest> {
    (0..200)
        .map(|call| {
            let shape = (call % 20) as i64 + 1;
            let reservation = Reservation {
                cpu: 10 * shape,
                memory: 32 * shape,
                ..Reservation::default()
            };
            request(50, vec![zone_spread(), binpack_memory()], Vec::new(), reservation)
        })
        .collect()
}

fn cases() -> Vec<Case> {
    let base = cluster(INSTANCES, ZONES, instance_type);
    let chain = || vec![zone_spread(), binpack_memory()];
    let mut million = Case::new(
        "1M tasks",
        &base,
        vec![request(1_000_000, chain(), Vec::new(), small_task())],
    );
    million.scan = false;
    let mut cases = vec![
        Case::new(
            "binpack",
            &base,
            vec![request(10_000, vec![binpack_memory()], Vec::new(), small_task())],
        ),
        Case::new(
            "distinctInstance",
            &base,
            vec![request(5_000, vec![zone_spread()], vec![distinct()], small_task())],
        ),
        Case::new(
            "static port",
            &base,
            vec![request(5_000, chain(), Vec::new(), with_ports(vec![80]))],
        ),
        Case::new(
            "dynamic ports",
            &base,
            vec![request(5_000, chain(), Vec::new(), with_ports(Vec::new()))],
        ),
        Case::new(
            "task-group affinity",
            &with_databases(&base),
            vec![request(
                10_000,
                vec![binpack_memory()],
                vec![member_of("task:group == family:db")],
                small_task(),
            )],
        ),
        Case::new("20 task shapes", &base, twenty_shapes()),
        Case::new(
            "setup, 10 constraints",
            &base,
            vec![request(1, chain(), ten_constraints(), small_task())],
        ),
        Case::new(
            "setup, no constraint",
            &base,
            vec![request(1, chain(), Vec::new(), small_task())],
        ),
        million,
    ];
    if common::measuring() {
        // Built only when measured: a smoke test (unoptimized) skips the case anyway.
        let mut on_100k = Case::new(
            "1M tasks on 100k instances",
            &cluster(100_000, ZONES, instance_type),
            vec![request(1_000_000, chain(), Vec::new(), small_task())],
        );
        on_100k.scan = false;
        cases.push(on_100k);
    }
    cases
}

/// Checks, outside the measurements, that every task of the case is placed and that the scan
/// places them exactly as the indexed chooser; prints both checksums.
fn check(case: &Case) {
    let (_, indexed) = run(case, case.scenario.clone(), Chooser::Indexed);
    assert_eq!(indexed.len(), case.tasks(), "{}: every task fits", case.name);
    let indexed_sum = common::checksum(&indexed);
    if !case.scan {
        eprintln!("checksum of the placements, {}: indexed {indexed_sum:016x}", case.name);
        return;
    }
    let (_, scanned) = run(case, case.scenario.clone(), Chooser::Scan);
    let scan_sum = common::checksum(&scanned);
    eprintln!(
        "checksum of the placements, {}: indexed {indexed_sum:016x}, scan {scan_sum:016x}",
        case.name
    );
    assert_eq!(
        indexed_sum, scan_sum,
        "{}: the indexed chooser and the scan disagree",
        case.name
    );
}

fn bench_cases(c: &mut Criterion) {
    let mut group = c.benchmark_group("cases");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let measuring = common::measuring();
    for case in cases() {
        if !measuring && case.name != "setup, no constraint" {
            continue;
        }
        check(&case);
        group.throughput(Throughput::Elements(case.tasks() as u64));
        let choosers: &[(&str, Chooser)] = if case.scan {
            &[("indexed", Chooser::Indexed), ("scan", Chooser::Scan)]
        } else {
            &[("indexed", Chooser::Indexed)]
        };
        for &(label, chooser) in choosers {
            group.bench_with_input(BenchmarkId::new(label, case.name), &case, |b, case| {
                b.iter_batched(
                    || case.scenario.clone(),
                    |scenario| run(case, scenario, chooser),
                    BatchSize::LargeInput,
                );
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_cases);
criterion_main!(benches);
