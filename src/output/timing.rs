//! Phase timings for profiling a build: with `ISMS_SITE_TIMINGS=1` in the
//! environment, each phase prints its wall time, the CPU time the whole
//! process used meanwhile (every thread, so a phase that keeps both cores
//! busy shows twice its wall time; phases running side by side each count
//! the other's too) and the resident memory to stderr when it ends.
//! Off by default, so output and logs stay the same.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ISMS_SITE_TIMINGS").is_some_and(|v| v != "0"))
}

/// Prints `name` and its elapsed time when dropped (only when enabled).
pub struct Phase {
    name: &'static str,
    start: Option<(Instant, u64)>,
}

/// Starts timing a phase; keep the value alive for the phase's length.
pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        start: enabled().then(|| (Instant::now(), cpu_ms())),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some((start, cpu)) = self.start {
            crate::content::stdio::errln!(
                "timing: {:<24} {:>8.1} ms {:>6} ms CPU {:>6} MB resident",
                self.name,
                start.elapsed().as_secs_f64() * 1e3,
                cpu_ms().saturating_sub(cpu),
                resident_mb()
            );
        }
    }
}

/// Runs `f` as one phase: for a run of phases in one function, where a
/// [`phase`] guard each would live to the function's end and time the
/// phases after it too.
pub fn timed<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    let _t = phase(name);
    f()
}

/// The CPU time (user and system, every thread) the process has used so
/// far, in ms, to the kernel's clock tick (10 ms; Linux; 0 elsewhere).
fn cpu_ms() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0;
    };
    // The fields after the command (which may hold spaces) in parentheses.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    // USER_HZ, 100 on every Linux the project builds for.
    ticks * 10
}

/// Resident memory now, in MB (Linux; 0 elsewhere).
fn resident_mb() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096 / 1_000_000)
}
