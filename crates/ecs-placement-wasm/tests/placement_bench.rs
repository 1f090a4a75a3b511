//! The placement benchmark in the browser: the native benchmark's headline case
//! (`crates/ecs-placement/benches/placement.rs`: spread(zone) → binpack(memory) with a memberOf
//! constraint), compiled to WebAssembly and timed in headless Chromium, beside the scan
//! reference and the naive reference compiled into the same module and timed in the same run.
//!
//! `cargo xtask bench-wasm` runs it at full size (`--features bench`, the page's optimisation
//! profile) and prints medians; the README's test command runs it small, as a test that the
//! three agree in the browser.
#![cfg(target_arch = "wasm32")]
#![forbid(unsafe_code)]

#[path = "../../ecs-placement/benches/common/mod.rs"]
mod common;
/// What the browser tests share (loading a preset as the page does).
#[path = "common/mod.rs"]
mod page;
/// The clock, the breaks and the C1M-like case the page's and the worker's benchmarks share.
#[path = "bench_support/mod.rs"]
mod support;

use common::spread_binpack::{assert_all_placed_as, cluster, naive, request};
use ecs_placement::engine::{self, Chooser, PlacementRequest};
use ecs_placement::scenario::Scenario;
use support::{let_the_browser_breathe, now_ms};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// One measured case: tasks per call, instances, runs (the median is reported), whether the
/// scan reference runs too (it is slow at 100,000 tasks and beyond).
struct Case {
    tasks: usize,
    instances: usize,
    runs: usize,
    scan: bool,
}

/// The cases: the full set under `--features bench`, one small one otherwise.
fn cases() -> Vec<Case> {
    let case = |tasks, instances, runs, scan| Case {
        tasks,
        instances,
        runs,
        scan,
    };
    if cfg!(feature = "bench") {
        vec![
            case(1_000, 1_000, 9, true),
            case(1_000, 10_000, 9, true),
            case(100_000, 10_000, 3, false),
            case(1_000_000, 10_000, 1, false),
        ]
    } else {
        vec![case(200, 1_000, 1, true)]
    }
}

/// The median of `runs` timings of `work` (milliseconds); `setup` runs untimed before each.
fn median_ms<T, R>(runs: usize, mut setup: impl FnMut() -> T, mut work: impl FnMut(T) -> R) -> f64 {
    let samples: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let input = setup();
            let start = now_ms();
            let output = work(input);
            let elapsed = now_ms() - start;
            drop(std::hint::black_box(output));
            elapsed
        })
        .collect();
    median(samples)
}

/// The median of timings (the upper one of an even count).
fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Tasks the naive reference places between two breaks of the browser (about a second).
const NAIVE_CHUNK: usize = 50_000;

/// The naive reference's time (milliseconds, the median of `runs`) and placements for `tasks`
/// tasks on `instances` instances. A million tasks on 10,000 instances is one loop of about 15
/// seconds, twice that on a loaded machine, where the test driver would give up on the page: the
/// loop runs in pieces of [`NAIVE_CHUNK`] tasks (the reference keeps no state between them but
/// its cluster), the browser breathes between them, and only the pieces are timed.
async fn naive_in_pieces(instances: usize, tasks: usize, runs: usize) -> (f64, Vec<usize>) {
    let mut samples = Vec::new();
    let mut placed = Vec::new();
    for _ in 0..runs.max(1) {
        let mut cluster = naive::Cluster::new(instances);
        placed = Vec::with_capacity(tasks);
        let mut elapsed = 0.0;
        while placed.len() < tasks {
            let wanted = (tasks - placed.len()).min(NAIVE_CHUNK);
            let start = now_ms();
            let piece = cluster.place(wanted);
            elapsed += now_ms() - start;
            let complete = piece.len() == wanted;
            placed.extend(piece);
            let_the_browser_breathe().await;
            if !complete {
                break;
            }
        }
        samples.push(elapsed);
    }
    (median(samples), placed)
}

fn place(scenario: Scenario, request: &PlacementRequest, chooser: Chooser) -> usize {
    let mut scenario = scenario;
    engine::place_using(&mut scenario, request, chooser).placements.len()
}

#[wasm_bindgen_test]
async fn spread_binpack_member_of_in_the_browser() {
    for case in cases() {
        let scenario = cluster(case.instances);
        let request = request(case.tasks);
        let (naive, naive_placed) = naive_in_pieces(case.instances, case.tasks, case.runs).await;
        let agreement = assert_all_placed_as(&scenario, &request, case.scan, &naive_placed);
        drop(naive_placed);
        let_the_browser_breathe().await;
        let indexed = median_ms(case.runs, || scenario.clone(), |s| place(s, &request, Chooser::Indexed));
        let_the_browser_breathe().await;
        let scan = case
            .scan
            .then(|| median_ms(case.runs, || scenario.clone(), |s| place(s, &request, Chooser::Scan)));
        let_the_browser_breathe().await;
        let per_task_ns = |ms: f64| ms * 1e6 / case.tasks as f64;
        let scan_text = scan.map_or_else(
            || "not run".to_string(),
            |ms| format!("{ms:.2} ms ({:.0} ns/task)", per_task_ns(ms)),
        );
        console_log!(
            "wasm bench: {} tasks on {} instances, median of {}: indexed {:.2} ms ({:.0} ns/task), scan {scan_text}, naive {:.2} ms ({:.0} ns/task); indexed/naive {:.2}; checksum indexed {:016x} scan {}",
            case.tasks,
            case.instances,
            case.runs,
            indexed,
            per_task_ns(indexed),
            naive,
            per_task_ns(naive),
            indexed / naive,
            agreement.indexed,
            agreement
                .scan
                .map_or_else(|| "not run".to_string(), |sum| format!("{sum:016x}")),
        );
    }
}

/// The C1M-like case on the page's main thread (see [`support::c1m_like`]; the page runs long
/// work in its Web Worker: `c1m_worker_bench.rs` measures the same case there).
#[wasm_bindgen_test]
async fn c1m_like_in_the_browser() {
    support::c1m_like("main thread").await;
}

/// What one command costs the page at `fleet-1000` (1,000 instances, about 2,000 tasks): the
/// whole `runCommand` call (the scenario read from JavaScript, the command, the timeline written
/// back), the same on a `Session` that keeps the scenario inside the module (what the page's
/// worker does: only the timeline crosses), and the command alone.
#[wasm_bindgen_test]
fn run_command_across_the_boundary() {
    const LINE: &str = "aws ecs run-task --task-definition webserver --count 10 --placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=memory";
    let runs = if cfg!(feature = "bench") { 9 } else { 1 };
    let preset = page::load_preset("fleet-1000").unwrap_or_else(|e| panic!("{e:?}"));
    let native = ecs_placement::presets::load("fleet-1000").unwrap_or_else(|e| panic!("{e}"));
    let options = ecs_placement::aws::Options::default();
    let whole = median_ms(
        runs,
        || preset.clone(),
        |scenario| ecs_placement_wasm::run_command(scenario, LINE, JsValue::UNDEFINED).map(|_| ()),
    );
    let kept = ecs_placement_wasm::Session::new(preset.clone()).unwrap_or_else(|e| panic!("{e:?}"));
    let session = median_ms(
        runs,
        || kept.fork(),
        |mut session| session.run_script(LINE, JsValue::UNDEFINED, None).map(|_| ()),
    );
    let core = median_ms(
        runs,
        || native.clone(),
        |scenario| {
            ecs_placement::aws::trace::run_traced(
                scenario,
                LINE,
                &ecs_placement::aws::NoFiles,
                options,
                true,
                &mut |_| {},
            )
            .map(|trace| trace.commands.len())
        },
    );
    console_log!(
        "wasm bench: run-task --count 10 at fleet-1000, median of {runs}: runCommand {whole:.2} ms, Session.runScript {session:.2} ms, the command inside the module {core:.2} ms (crossing the boundary: {:.0}% of runCommand, {:.0}% of the session's call)",
        (whole - core) / whole * 100.0,
        (session - core) / session * 100.0
    );
}
