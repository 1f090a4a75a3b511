//! Memory: how much a scenario holds per instance and per placed task, measured two ways while
//! 100,000 instances are built and then while 100,000 tasks are placed on them (spread by zone,
//! then binpack):
//! - the growth of the process's resident memory (`/proc/self/statm`, Linux only), which
//!   includes the allocator's own overhead and what building the scenario used and freed: what
//!   a browser tab or a CI runner pays;
//! - the growth of the bytes the program holds (allocated and not freed, counted by an
//!   instrumented allocator, `stats_alloc`): the core's state itself.
//!
//! Run with `cargo bench -p ecs-placement --bench memory` (seconds); `cargo test --benches` runs it
//! on 2,000 instances and tasks.

mod common;

use common::{binpack_memory, cluster, request, small_task, zone_spread};
use ecs_placement::engine;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::hint::black_box;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes held (allocated and not freed) since `region` started. `stats_alloc` counts a
/// reallocation's growth in `bytes_allocated` (and its shrinking in `bytes_deallocated`) as well as
/// in `bytes_reallocated`, so the difference of the first two is what is held.
fn held_bytes(region: &Region<'_, System>) -> i64 {
    let change = region.change();
    change.bytes_allocated as i64 - change.bytes_deallocated as i64
}

/// Resident memory of this process in bytes, if the system says.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn per_item(before: Option<u64>, after: Option<u64>, items: usize) -> String {
    match (before, after) {
        (Some(before), Some(after)) => format!("{} bytes", after.saturating_sub(before) / items as u64),
        _ => "not measured (no /proc/self/statm)".to_string(),
    }
}

fn main() {
    let size = if common::measuring() { 100_000 } else { 2_000 };
    let start = resident_bytes();
    let region = Region::new(GLOBAL);
    let mut scenario = black_box(cluster(size, 6, |_| "m5.xlarge"));
    let built = resident_bytes();
    let held_by_instances = held_bytes(&region);
    let request = request(size, vec![zone_spread(), binpack_memory()], Vec::new(), small_task());
    let region = Region::new(GLOBAL);
    let placed = engine::place(&mut scenario, &request);
    let held_by_tasks = held_bytes(&region);
    let after = resident_bytes();
    assert_eq!(placed.placements.len(), size);
    println!("{size} instances, then {size} tasks placed in one call:");
    println!(
        "  per instance (the scenario's ContainerInstance): {}",
        per_item(start, built, size)
    );
    println!(
        "  per placed task (Task, placement and per-task frame): {}",
        per_item(built, after, size)
    );
    println!("held by the program (allocated, not freed):");
    println!("  per instance: {} bytes", held_by_instances / size as i64);
    println!("  per placed task: {} bytes", held_by_tasks / size as i64);
    black_box((scenario, placed));
}
