//! Timing for the bench binaries that are not criterion (runs of seconds): wall-clock and CPU
//! time per run, medians.

use std::time::{Duration, Instant};

/// Time this thread has spent on a CPU (`/proc/thread-self/schedstat`, Linux): the machine is
/// shared, so the wall-clock time includes waits for a core that the CPU time leaves out.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Runs `work`, returning its result, wall-clock time and CPU time (the wall-clock time when the
/// system does not say).
fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (cpu, start) = (cpu_time(), Instant::now());
    let result = work();
    let wall = start.elapsed();
    let cpu = cpu
        .zip(cpu_time())
        .map_or(wall, |(before, after)| after.saturating_sub(before));
    (result, wall, cpu)
}

/// The times in seconds, comma-separated.
fn seconds(times: &[Duration]) -> String {
    let list: Vec<String> = times.iter().map(|t| format!("{:.3}", t.as_secs_f64())).collect();
    list.join(", ")
}

/// The median (the upper one of an even count).
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// The number in environment variable `name`, else `default`.
pub fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The wall-clock and CPU times of a bench's runs.
#[derive(Debug, Default)]
pub struct Runs {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl Runs {
    /// Runs `work` and records its times; returns its result.
    pub fn time<T>(&mut self, work: impl FnOnce() -> T) -> T {
        let (result, wall, cpu) = timed(work);
        self.wall.push(wall);
        self.cpu.push(cpu);
        result
    }

    /// The median CPU time.
    pub fn cpu_median(&self) -> Duration {
        median(self.cpu.clone())
    }

    /// The median wall-clock time: for runs of a few milliseconds, where the CPU time (which
    /// the kernel advances at its scheduler ticks, every few milliseconds) is too coarse.
    pub fn wall_median(&self) -> Duration {
        median(self.wall.clone())
    }

    /// "wall median … s (each run)": for work done by other processes, which this thread's CPU
    /// time does not count.
    pub fn wall_summary(&self) -> String {
        format!(
            "wall median {:.3} s ({})",
            self.wall_median().as_secs_f64(),
            seconds(&self.wall)
        )
    }

    /// "CPU median … s (each run), wall median … s (each run)".
    pub fn summary(&self) -> String {
        format!(
            "CPU median {:.3} s ({}), wall median {:.3} s ({})",
            self.cpu_median().as_secs_f64(),
            seconds(&self.cpu),
            self.wall_median().as_secs_f64(),
            seconds(&self.wall)
        )
    }
}
