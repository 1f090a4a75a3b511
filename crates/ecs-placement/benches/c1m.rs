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
//! each; `C1M_NAIVE_RUNS`, default `C1M_RUNS`, of the naive reference; `C1M_SERVICES=N` runs
//! only N services); `cargo test --benches` runs 5 services on 500
//! instances once, as a smoke test.

mod common;

use common::c1m::{Size, assert_agrees, checksum, naive, placements, scale_out, setup};
use common::timing::{Runs, env_number};
use std::hint::black_box;

fn row(size: Size, runs: usize, naive_runs: usize) {
    let mut scheduler = Runs::default();
    let mut sums = Vec::new();
    let mut steps = 0;
    let mut placed = Vec::new();
    for _ in 0..runs {
        let mut scenario = setup(size);
        let done = scheduler.time(|| black_box(scale_out(&mut scenario, size.tasks)));
        steps = done.len();
        placed = placements(&scenario);
        sums.push(checksum(&placed));
        drop(done);
    }
    assert_eq!(placed.len(), size.services * size.tasks, "every task placed");
    assert!(sums.windows(2).all(|w| w[0] == w[1]), "the runs disagree");
    let mut naive = Runs::default();
    let mut naive_placed = Vec::new();
    for _ in 0..naive_runs.max(1) {
        naive_placed = naive.time(|| black_box(naive::schedule(size)));
    }
    assert_agrees(size, &placed, &naive_placed);
    println!(
        "c1m/{} instances/{} services x {} tasks, {} steps, checksum {:016x}:",
        size.instances, size.services, size.tasks, steps, sums[0]
    );
    println!("  scheduler: {}", scheduler.summary());
    println!("  naive:     {}", naive.summary());
    println!(
        "  scheduler / naive (CPU): {:.2}",
        scheduler.cpu_median().as_secs_f64() / naive.cpu_median().as_secs_f64()
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
            1,
        );
        return;
    }
    let runs = env_number("C1M_RUNS", 3);
    let naive_runs = env_number("C1M_NAIVE_RUNS", runs);
    let only: Option<usize> = std::env::var("C1M_SERVICES").ok().and_then(|s| s.parse().ok());
    let rows = only.map_or_else(|| vec![100, 1_000], |o| vec![o]);
    for services in rows {
        let size = Size {
            instances: 5_000,
            services,
            tasks: 1_000,
        };
        row(size, runs, naive_runs);
    }
}
