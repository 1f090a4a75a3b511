//! What the browser benchmarks share: the clock, the breaks the test driver needs, and the
//! C1M-like case, measured on the page (`placement_bench.rs`) and in a dedicated worker
//! (`c1m_worker_bench.rs`), where the page runs long work.

use crate::common::c1m::{self, Size};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::console_log;

/// `performance.now()` in milliseconds (on the page and in a worker: both have `performance`).
pub fn now_ms() -> f64 {
    let global = js_sys::global();
    let now = js_sys::Reflect::get(&global, &JsValue::from_str("performance"))
        .and_then(|performance| {
            let now = js_sys::Reflect::get(&performance, &JsValue::from_str("now"))?;
            js_sys::Function::from(now).call0(&performance)
        })
        .ok()
        .and_then(|value| value.as_f64());
    now.unwrap_or_else(js_sys::Date::now)
}

/// Lets the browser handle its messages before the next measurement: the test driver reads the
/// page's output while a test runs and gives up on a page that has not answered for 30 seconds,
/// so no measurement runs longer than that without a break.
pub async fn let_the_browser_breathe() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout = js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout"))
            .unwrap_or_else(|e| panic!("no setTimeout: {e:?}"));
        js_sys::Function::from(set_timeout)
            .call2(&global, &resolve, &JsValue::from(0))
            .unwrap_or_else(|e| panic!("setTimeout failed: {e:?}"));
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .unwrap_or_else(|e| panic!("the timer failed: {e:?}"));
}

/// The C1M-like case (`benches/common/c1m.rs`: services of 1,000 tasks on 5,000 instances in
/// three zones, the services' default chain, the scheduler run once) in the browser, one run per
/// size, beside the naive reference compiled into the same module. The checksum of the
/// placements must be the native one (`5d40aac9acc0d024` for 100 services). The naive reference
/// places in pieces of [`NAIVE_PIECE`] services with the browser answering between them (at
/// 1,000 services it takes half a minute or more, and the test driver gives up on a page that
/// does not answer for 30 seconds); only the pieces are timed.
pub async fn c1m_like(thread: &str) {
    let size = |instances, services, tasks| Size {
        instances,
        services,
        tasks,
    };
    let sizes = if cfg!(feature = "bench") {
        vec![size(5_000, 100, 1_000), size(5_000, 1_000, 1_000)]
    } else {
        vec![size(500, 5, 100)]
    };
    for size in sizes {
        let mut scenario = c1m::setup(size);
        let_the_browser_breathe().await;
        let start = now_ms();
        let steps = c1m::scale_out(&mut scenario, size.tasks).len();
        let scheduler_ms = now_ms() - start;
        let placed = c1m::placements(&scenario);
        assert_eq!(placed.len(), size.services * size.tasks, "every task placed");
        drop(scenario);
        let (naive_placed, naive_ms) = naive_in_pieces(size).await;
        c1m::assert_agrees(size, &placed, &naive_placed);
        console_log!(
            "wasm c1m ({thread}): {} instances, {} services x {} tasks, {steps} steps, checksum {:016x}: scheduler {scheduler_ms:.0} ms, naive {naive_ms:.0} ms; scheduler/naive {:.2}",
            size.instances,
            size.services,
            size.tasks,
            c1m::checksum(&placed),
            scheduler_ms / naive_ms,
        );
    }
}

/// How many services the naive reference places between two answers to the test driver.
const NAIVE_PIECE: usize = 100;

/// The naive reference's placements and its time (the pieces only).
async fn naive_in_pieces(size: Size) -> (Vec<(usize, usize)>, f64) {
    let mut scheduler = c1m::naive::Scheduler::new(size);
    let mut elapsed = 0.0;
    loop {
        let_the_browser_breathe().await;
        let start = now_ms();
        let more = scheduler.run(NAIVE_PIECE);
        elapsed += now_ms() - start;
        if !more {
            return (scheduler.placed, elapsed);
        }
    }
}
