//! Phase timings for profiling a build: with `ISMS_SITE_TIMINGS=1` in the
//! environment, each phase prints its wall time to stderr when it ends.
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
    start: Option<Instant>,
}

/// Starts timing a phase; keep the value alive for the phase's length.
pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        start: enabled().then(Instant::now),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(start) = self.start {
            crate::content::stdio::errln!(
                "timing: {:<24} {:>8.1} ms {:>6} MB resident",
                self.name,
                start.elapsed().as_secs_f64() * 1e3,
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

/// Resident memory now, in MB (Linux; 0 elsewhere).
fn resident_mb() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096 / 1_000_000)
}
