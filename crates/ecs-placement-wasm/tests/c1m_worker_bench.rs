//! The C1M-like case of the browser benchmark in a dedicated Web Worker, where the page runs
//! long work (issue #10's goal for it is stated for the worker): the same case as
//! `placement_bench.rs` runs on the page's main thread, with the same checksums.
//!
//! `cargo xtask bench-wasm` runs it at full size (`--features bench`); the README's test command
//! runs it small, as a test that the worker gives the native placements.
#![cfg(target_arch = "wasm32")]
#![forbid(unsafe_code)]

#[path = "../../ecs-placement/benches/common/mod.rs"]
mod common;
/// The clock, the breaks and the C1M-like case (shared with `placement_bench.rs`).
#[path = "bench_support/mod.rs"]
mod support;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_test]
async fn c1m_like_in_a_worker() {
    support::c1m_like("dedicated worker").await;
}
