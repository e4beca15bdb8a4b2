//! `isms-site build`: validate, then publish the site.

use super::print_human;
use crate::model::Enumerated;
use crate::model::diag::shown;
use crate::site::build::{self, Options};
use std::time::Instant;

pub(super) fn run(opts: &Options) -> i32 {
    let start = Instant::now();
    let mut left = build::Leftovers::default();
    let (report, diags) = build::build_leaving(opts, &mut left);
    // The process exits next: the system takes their memory back at once.
    left.abandon();
    print_human(&diags);
    match report {
        Some(r) => {
            crate::content::stdio::errln!(
                "built {} entries, {} files into {} as of {} for the {} audience in {} ms",
                r.entries,
                r.files,
                shown(&opts.output),
                opts.as_of,
                opts.audience.slug(),
                start.elapsed().as_millis()
            );
            0
        }
        None => {
            crate::content::stdio::errln!("build failed; {} left unchanged", shown(&opts.output));
            1
        }
    }
}

/// Catches SIGXFSZ. A file size limit (`ulimit -f`) otherwise kills the
/// process with that signal at the first write past it, with no message
/// (exit 153) and a staging folder left behind; caught, the write fails
/// with "File too large", which the build reports like any failed write,
/// leaving the output as it was. signal-hook's `flag::register` is a safe
/// API over `sigaction` (the handler only sets a flag nobody reads), so
/// the crate forbids `unsafe` code.
pub(super) fn survive_file_size_limit() {
    #[cfg(unix)]
    {
        let caught = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        // Only fails for a signal that cannot be caught; SIGXFSZ can.
        let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, caught);
    }
}
