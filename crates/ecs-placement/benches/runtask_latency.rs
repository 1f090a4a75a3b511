//! RunTask latency: the whole command (`aws ecs run-task --count 10` with `spread(zone)` then
//! `binpack(memory)`, read, checked, placed and answered as the AWS response) on 5,000 instances
//! that are half full, called 300 times one after another; prints the median and the 99th
//! percentile. In the same run, the engine's part alone (placing the same 10 tasks with
//! `engine::place_using`) with the indexed chooser and with the scan (what `engine::place` uses
//! for fewer than `INDEX_FROM_TASKS` tasks), so each figure reads as a ratio.
//!
//! Run with `cargo bench -p ecs-placement --bench runtask_latency` (under a minute);
//! `cargo test --benches` runs it with 20 calls, unoptimized, as a smoke test.

mod common;

use common::{binpack_memory, cluster, request, zone_spread};
use ecs_placement::aws::{NoFiles, Options, run_command};
use ecs_placement::engine::{self, Chooser, Constraint, Origin};
use ecs_placement::scenario::Scenario;
use ecs_placement::taskdef::Reservation;
use std::hint::black_box;
use std::time::{Duration, Instant};

const INSTANCES: usize = 5_000;
const ZONES: usize = 3;

const REGISTER: &str = r#"aws ecs register-task-definition --family web --container-definitions '[{"name":"web","image":"nginx","cpu":10,"memory":32}]'"#;
const RUN_TASK: &str = "aws ecs run-task --task-definition web --count 10 \
    --placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=memory";

/// 5,000 instances, each half full (one task of 2,048 CPU units and 7,788 MiB), and the `web`
/// task definition.
fn half_full() -> Scenario {
    let mut scenario = cluster(INSTANCES, ZONES, |_| "m5.xlarge");
    let mut half = request(
        INSTANCES,
        Vec::new(),
        vec![Constraint::DistinctInstance {
            origin: Origin::Request,
        }],
        Reservation {
            cpu: 2_048,
            memory: 7_788,
            ..Reservation::default()
        },
    );
    half.group = "family:base".into();
    assert_eq!(engine::place(&mut scenario, &half).placements.len(), INSTANCES);
    let report = run_command(&mut scenario, REGISTER, &NoFiles, Options::default());
    assert!(report.error.is_none(), "register-task-definition: {:?}", report.error);
    scenario
}

/// Median and 99th percentile of `samples`.
fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

fn time(calls: usize, mut call: impl FnMut()) -> (Duration, Duration) {
    let samples = (0..calls)
        .map(|_| {
            let start = Instant::now();
            call();
            start.elapsed()
        })
        .collect();
    percentiles(samples)
}

fn main() {
    let calls = if common::measuring() { 300 } else { 20 };
    let base = half_full();
    let mut scenario = base.clone();
    let command = time(calls, || {
        let report = run_command(&mut scenario, black_box(RUN_TASK), &NoFiles, Options::default());
        assert!(report.error.is_none(), "run-task: {:?}", report.error);
    });
    let engine_only = |chooser| {
        let mut scenario = base.clone();
        let ten = request(
            10,
            vec![zone_spread(), binpack_memory()],
            Vec::new(),
            common::small_task(),
        );
        time(calls, || {
            let placed = engine::place_using(&mut scenario, black_box(&ten), chooser)
                .placements
                .len();
            assert_eq!(placed, 10);
        })
    };
    let indexed = engine_only(Chooser::Indexed);
    let scan = engine_only(Chooser::Scan);
    println!("RunTask of 10 tasks on {INSTANCES} half-full instances, {calls} calls each:");
    for (what, (median, p99)) in [
        ("whole command (aws ecs run-task)", command),
        ("engine only, indexed chooser", indexed),
        ("engine only, scan", scan),
    ] {
        println!("  {what:34} median {median:>10.3?}   p99 {p99:>10.3?}");
    }
}
