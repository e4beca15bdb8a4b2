//! One build, from content folder to published output: the pipeline that
//! `build` runs and that later commands (watch, serve) reuse.

use crate::diag::{Diagnostics, Pos};
use crate::model::Register;
use crate::publish::{self, Staging};
use crate::render::{self, Out};
use crate::rollup::{self, EntryFacts, Rollups};
use crate::{content, export, feed, oscal, theme};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub struct Options {
    pub content: PathBuf,
    pub output: PathBuf,
    /// `None`: the built-in theme only.
    pub theme: Option<PathBuf>,
    pub as_of: NaiveDate,
}

/// What a successful build wrote.
pub struct Report {
    pub files: usize,
    pub entries: usize,
}

/// Validated content with its computed figures.
pub struct Computed {
    pub register: Register,
    pub facts: Vec<EntryFacts>,
    pub rollups: Rollups,
}

/// Loads, validates and computes; warnings (overdue work) are added.
pub fn compute(content_dir: &Path, as_of: NaiveDate) -> (Option<Computed>, Diagnostics) {
    let (register, mut diags) = content::load(content_dir);
    let Some(register) = register else {
        return (None, diags);
    };
    let facts: Vec<EntryFacts> = register
        .entries
        .par_iter()
        .map(|e| rollup::entry_facts(e, as_of))
        .collect();
    let rollups = rollup::compute(&register, &facts, as_of);
    rollup::warnings(&register, &facts, as_of, &mut diags);
    (
        Some(Computed {
            register,
            facts,
            rollups,
        }),
        diags,
    )
}

/// Builds the site. On any error the output folder is left untouched and
/// the problems are returned.
pub fn build(opts: &Options) -> (Option<Report>, Diagnostics) {
    let (computed, mut diags) = compute(&opts.content, opts.as_of);
    let theme = theme::load(opts.theme.as_deref(), &mut diags);
    if let Err(r) = publish::check_target(&opts.content, &opts.output) {
        diags
            .error(&opts.output, Pos::START, r.message)
            .hint(r.hint);
    }
    let (Some(c), Some(mut theme)) = (computed, theme) else {
        return (None, diags);
    };
    if diags.has_errors() {
        return (None, diags);
    }
    match write_site(&c, &mut theme, &opts.output) {
        Ok(files) => (
            Some(Report {
                files,
                entries: c.register.entries.len(),
            }),
            diags,
        ),
        Err(message) => {
            diags
                .error(&opts.output, Pos::START, message)
                .hint("the previous output folder was left as it was");
            (None, diags)
        }
    }
}

fn write_site(c: &Computed, theme: &mut theme::Theme, output: &Path) -> Result<usize, String> {
    let staging = Staging::new(output).map_err(|e| {
        format!(
            "cannot create a staging folder beside {}: {e}",
            output.display()
        )
    })?;
    let out = Out { dir: &staging.dir };
    let site = render::Site::new(&c.register, &c.facts, &c.rollups);
    let base_url = c.register.site.base_url.as_deref();
    // Pages link the feed (in base.html's head) only when there is one.
    theme
        .tera
        .global_context()
        .insert("feed", &base_url.is_some());
    render::render_site(&site, theme, &out, c.rollups.as_of).map_err(|e| e.to_string())?;
    let csv = export::csv(&c.register, &c.facts)?;
    out.write("register.csv", &csv).map_err(|e| e.to_string())?;
    let json = export::json(&c.register, &c.facts, &c.rollups)?;
    out.write("register.json", &json)
        .map_err(|e| e.to_string())?;
    if let Some(poam) = oscal::poam(&c.register, c.rollups.as_of) {
        out.write(oscal::PATH, &poam).map_err(|e| e.to_string())?;
    }
    if let Some(base) = base_url {
        feed::write(&c.register, base, c.rollups.as_of, &out).map_err(|e| e.to_string())?;
    }
    staging
        .publish()
        .map_err(|e| format!("cannot put the new site in place: {e}"))
}
