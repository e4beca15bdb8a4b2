//! `isms-site check`: validate only, and print every problem.

use super::{print_bytes, print_human};
use crate::site::build;
use chrono::NaiveDate;
use clap::ValueEnum;

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Format {
    Human,
    Json,
}

/// `strict`: warnings fail the check too, for authors who want their CI
/// to hold the register to the data-quality rules.
pub(super) fn run(
    content: &std::path::Path,
    as_of: NaiveDate,
    format: Format,
    strict: bool,
    git: crate::content::git::GitHistory,
) -> i32 {
    let (computed, diags) = build::compute_for_check(content, as_of, git);
    match format {
        Format::Human => {
            if diags.is_empty() {
                crate::content::stdio::errln!("0 errors, 0 warnings");
            } else {
                print_human(&diags);
            }
            if let Some(c) = &computed {
                say_unchecked_approvals(content, c, git);
                let v = c.validated;
                crate::content::stdio::errln!(
                    "{} entries, {} plans, {} reviews valid",
                    v.entries,
                    v.plans,
                    v.reviews
                );
                let r = &c.register;
                if build::Validated::of(r) != v {
                    crate::content::stdio::errln!(
                        "as of {as_of}: {} entries, {} plans, {} reviews (later ones are left out of a build as of that day)",
                        r.entries.len(),
                        r.plans.len(),
                        r.reviews.len()
                    );
                }
            }
        }
        Format::Json => {
            if print_bytes(format!("{}\n", diags.render_json()).as_bytes()) != 0 {
                return 1;
            }
        }
    }
    let failed = diags.has_errors() || (strict && !diags.is_empty());
    if strict && !diags.has_errors() && !diags.is_empty() && matches!(format, Format::Human) {
        crate::content::stdio::errln!("--strict: warnings count as errors");
    }
    if failed { 1 } else { 0 }
}

/// Outside git, whether approved texts changed cannot be known: said once,
/// not per file, when any plan or review records an approval.
fn say_unchecked_approvals(
    content: &std::path::Path,
    c: &build::Computed,
    git: crate::content::git::GitHistory,
) {
    use crate::content::approval;
    if git == crate::content::git::GitHistory::Read
        && approval::any(&c.register)
        && !approval::in_git(content)
    {
        crate::content::stdio::errln!(
            "note: approvals cannot be checked against the text approved: {} is not in a git repository",
            crate::model::diag::terminal_safe(&content.display().to_string())
        );
    }
}
