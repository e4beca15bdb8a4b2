//! `isms-site check`: validate only, and print every problem.

use super::print_human;
use crate::site::build;
use chrono::NaiveDate;
use clap::ValueEnum;

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Format {
    Human,
    Json,
}

pub(super) fn run(
    content: &std::path::Path,
    as_of: NaiveDate,
    format: Format,
    git: crate::content::git::GitHistory,
) -> i32 {
    let (computed, diags) = build::compute(content, as_of, git);
    match format {
        Format::Human => {
            if diags.is_empty() {
                eprintln!("0 errors, 0 warnings");
            } else {
                print_human(&diags);
            }
            if let Some(c) = &computed {
                eprintln!(
                    "{} entries, {} plans, {} reviews valid as of {as_of}",
                    c.register.entries.len(),
                    c.register.plans.len(),
                    c.register.reviews.len()
                );
            }
        }
        Format::Json => println!("{}", diags.render_json()),
    }
    if diags.has_errors() { 1 } else { 0 }
}
