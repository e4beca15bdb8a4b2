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
            eprintln!(
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
            eprintln!("build failed; {} left unchanged", shown(&opts.output));
            1
        }
    }
}
