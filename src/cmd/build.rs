//! `isms-site build`: validate, then publish the site.

use super::print_human;
use crate::model::Enumerated;
use crate::model::diag::shown;
use crate::site::build::{self, Options};
use std::time::Instant;

pub(super) fn run(opts: &Options) -> i32 {
    let start = Instant::now();
    let (report, diags) = build::build(opts);
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

/// Ignores SIGXFSZ. A file size limit (`ulimit -f`) otherwise kills the
/// process with that signal at the first write past it, with no message
/// (exit 153) and a staging folder left behind; ignored, the write fails
/// with "File too large", which the build reports like any failed write,
/// leaving the output as it was. The crate's one `unsafe` block (lib.rs
/// denies `unsafe_code` everywhere else): libc's `signal` is the only
/// stable way to set a disposition; rustix has no signal API yet.
#[allow(unsafe_code)]
pub(super) fn survive_file_size_limit() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no
    // handler and touches no memory of ours; it is done once, before any
    // thread is started.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
