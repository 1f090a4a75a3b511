//! A million tasks on 10,000 instances in one call (issue #10's "1M tasks on 10k instances"
//! row), beside the naive reference in the same run: the headline case of `placement.rs`
//! (`spread(attribute:ecs.availability-zone)` then `binpack(memory)`, with
//! `memberOf(attribute:ecs.instance-type =~ m5.*)`) at a million tasks.
//!
//! Criterion would need ten samples of the naive reference (about 15 s each), so this is a bench
//! binary: the engine runs `MILLION_RUNS` times (default 5; the scenario cloned outside the
//! timed section) and the naive reference `MILLION_NAIVE_RUNS` times (default 1); each prints
//! its CPU time (this thread's time on a core) beside the wall-clock time. The engine's runs
//! must give the same placements (one checksum), and the naive reference's placements the same
//! shape (zone totals, tasks per instance, none on a rejected instance: the same whichever
//! equally good instance a tie-break picks). After each engine run the fresh-memory floor
//! (`common/fresh_memory.rs`) runs: the same number of tasks' records of the engine's sizes
//! written into fresh vectors, and nothing else; no engine that keeps those records can be
//! faster than it. The same records are then written again into the memory they hold: the
//! floor without the kernel's first touch of each page.
//!
//! The engine runs twice per run: as `engine::place` (the outcome lists a `Placement` per task)
//! and as RunTask and the service scheduler call it (`engine::place_recording` with
//! `Records::InstanceIndexes`: the outcome lists only each task's instance, the tasks being the
//! scenario's last ones). Both must give the same checksum.
//!
//! `cargo bench -p ecs-placement --bench million` (about a minute and a half); `cargo test
//! --benches` runs 20,000 tasks on 1,000 instances once, as a smoke test.

mod common;

use common::fresh_memory;
use common::spread_binpack::{assert_same_shape, cluster, naive, request};
use common::timing::{Runs, env_number};
use ecs_placement::engine::{self, Records};
use std::hint::black_box;

fn row(instances: usize, tasks: usize, runs: usize, naive_runs: usize) {
    let scenario = cluster(instances);
    let request = request(tasks);
    let (mut placing, mut sums, mut placements) = (Runs::default(), Vec::new(), Vec::new());
    let (mut floor, mut held) = (Runs::default(), Runs::default());
    let mut indexing = Runs::default();
    for _ in 0..runs {
        let mut copy = scenario.clone();
        let outcome = placing.time(|| black_box(engine::place(&mut copy, &request)));
        assert_eq!(outcome.placements.len(), tasks, "every task placed");
        sums.push(common::checksum(&outcome.placements));
        placements = outcome.placements;
        drop((copy, outcome.frames));
        let mut copy = scenario.clone();
        let outcome =
            indexing.time(|| black_box(engine::place_recording(&mut copy, &request, Records::InstanceIndexes)));
        assert_eq!(outcome.instance_indexes.len(), tasks, "every task placed");
        sums.push(common::checksum_of_indexes(outcome.instance_indexes.iter().copied()));
        drop((copy, outcome));
        let mut records = floor.time(|| fresh_memory::write_records(tasks));
        held.time(|| fresh_memory::write_again(&mut records, tasks));
        assert_eq!(records.len(), tasks, "every task's records written");
    }
    assert!(
        sums.windows(2).all(|w| w[0] == w[1]),
        "the runs (or the two records) disagree"
    );
    let (mut naive, mut naive_placed) = (Runs::default(), Vec::new());
    for _ in 0..naive_runs {
        let mut kernel = naive::Cluster::new(instances);
        naive_placed = naive.time(|| black_box(kernel.place(tasks)));
    }
    assert_same_shape(instances, &placements, &naive_placed);
    let (engine_cpu, naive_cpu) = (placing.cpu_median().as_secs_f64(), naive.cpu_median().as_secs_f64());
    let indexing_cpu = indexing.cpu_median().as_secs_f64();
    let floor_cpu = floor.cpu_median().as_secs_f64();
    println!(
        "million/{tasks} tasks on {instances} instances, checksum {:016x}:",
        sums[0]
    );
    println!(
        "  engine: {} ({:.0} ns per task)",
        placing.summary(),
        engine_cpu * 1e9 / tasks as f64
    );
    println!(
        "  engine, instance indexes only (as RunTask and the service scheduler call it): {} ({:.0} ns per task)",
        indexing.summary(),
        indexing_cpu * 1e9 / tasks as f64
    );
    println!("  naive:  {}", naive.summary());
    println!(
        "  fresh-memory floor ({} bytes per task written, nothing else): {} ({:.0} ns per task)",
        fresh_memory::BYTES_PER_TASK,
        floor.summary(),
        floor_cpu * 1e9 / tasks as f64
    );
    println!(
        "  the same records into memory already held: {} ({:.0} ns per task, wall-clock)",
        held.summary(),
        held.wall_median().as_secs_f64() * 1e9 / tasks as f64
    );
    println!("  engine / naive (CPU): {:.3}", engine_cpu / naive_cpu);
    println!(
        "  engine, instance indexes only / naive (CPU): {:.3}",
        indexing_cpu / naive_cpu
    );
    println!("  floor / engine (CPU): {:.3}", floor_cpu / engine_cpu);
}

fn main() {
    if !common::measuring() {
        row(1_000, 20_000, 1, 1);
        return;
    }
    row(
        10_000,
        1_000_000,
        env_number("MILLION_RUNS", 5),
        env_number("MILLION_NAIVE_RUNS", 1),
    );
}
