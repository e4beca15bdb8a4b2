//! `isms-site group`: a group site from the published exports of several
//! registers, written into a staging folder and swapped in like a build
//! (the same lock, recovery, foreign-file check and atomic publish).

use crate::compute::group;
use crate::content::group::read_sources;
use crate::model::diag::{Diagnostics, Pos};
use crate::model::group::GroupSource;
use crate::model::{Enumerated, Visibility};
use crate::output::group::{GroupInputs, SiteLink};
use crate::output::integrity::{self, Identity};
use crate::output::sink::Out;
use crate::output::theme;
use crate::output::urls::encode_segment;
use crate::site::publish::{self, Staging, absolute};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

pub struct Options {
    /// Published site folders, or their `register.json` files.
    pub sources: Vec<PathBuf>,
    pub output: PathBuf,
    pub theme: Option<PathBuf>,
    /// The group site's heading.
    pub title: String,
    /// Who the group site is for: every register must have been built for
    /// this audience or a wider one.
    pub audience: Visibility,
    /// The date the registers are compared on; `None`: the latest
    /// register's as-of date.
    pub as_of: Option<NaiveDate>,
}

/// What a group build wrote.
pub struct Report {
    pub registers: usize,
    pub entries: usize,
    pub files: usize,
    pub as_of: NaiveDate,
}

/// Reads, checks and publishes the group site; on any error the output
/// folder is left as it was.
pub fn build(opts: &Options) -> (Option<Report>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let read = read_sources(&opts.sources, &mut diags);
    let sources: Vec<GroupSource> = read.into_iter().flatten().collect();
    for s in &sources {
        refuse_narrower(s, opts.audience, &mut diags);
        refuse_placement(s, &opts.output, &mut diags);
    }
    let theme = theme::load(opts.theme.as_deref(), &mut diags);
    if diags.has_errors() || sources.len() != opts.sources.len() {
        return (None, diags);
    }
    let Some(mut theme) = theme else {
        return (None, diags);
    };
    // The group has no site.yaml, hence no language: English words, taken
    // from the catalogue like every site's.
    let i18n = std::sync::Arc::new(crate::content::i18n::Catalogue::english());
    crate::output::localize::install(&mut theme.tera, &i18n);
    let figures = group::summarise(&sources, opts.as_of);
    for i in &figures.differing {
        let s = &sources[*i];
        diags
            .warning(
                &s.given,
                Pos::START,
                format!(
                    "{} is as of {}, not {}: its figures are flagged as of another date",
                    s.title, s.as_of, figures.as_of
                ),
            )
            .hint("build every register with the same --as-of for figures of one day");
    }
    let output = match publish::resolve(&opts.output) {
        Ok(o) => o,
        Err(r) => {
            diags
                .error(&opts.output, Pos::START, r.message)
                .hint(r.hint);
            return (None, diags);
        }
    };
    let links: Vec<SiteLink> = sources
        .iter()
        .map(|s| site_link(s, &output, &mut diags))
        .collect();
    let inputs = GroupInputs {
        title: &opts.title,
        sources: &sources,
        links: &links,
        figures: &figures,
        audience: opts.audience,
        i18n: &i18n,
    };
    match publish_group(
        &inputs,
        &theme,
        &opts.output,
        &output,
        opts.theme.as_deref(),
    ) {
        Ok(files) => (
            Some(Report {
                registers: sources.len(),
                entries: sources.iter().map(|s| s.entries.len()).sum(),
                files,
                as_of: figures.as_of,
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

/// A register built for a narrower audience than the group's holds what
/// the group's readers may not see: refused, never filtered here (the
/// register's own build is the one place that filters).
fn refuse_narrower(s: &GroupSource, audience: Visibility, diags: &mut Diagnostics) {
    if group::may_show(s.audience, audience) {
        return;
    }
    diags
        .error(
            &s.given,
            Pos::START,
            format!(
                "{} was built for the {} audience, narrower than this group's {} audience",
                s.title,
                s.audience.slug(),
                audience.slug()
            ),
        )
        .hint(format!(
            "build that register with --audience {} (or wider) for this group, or build the group with --audience {}",
            audience.slug(),
            s.audience.slug()
        ));
}

/// The group site may not replace, hold or sit inside a register's site.
fn refuse_placement(s: &GroupSource, output: &Path, diags: &mut Diagnostics) {
    let (r, o) = (absolute(&s.root), absolute(output));
    if r == o || r.starts_with(&o) || o.starts_with(&r) {
        diags
            .error(
                output,
                Pos::START,
                format!("it is, holds or is inside the site of {}", s.title),
            )
            .hint(
                "write the group site into a folder of its own, e.g. beside the registers' sites",
            );
    }
}

/// How the group links into register `s`'s site: relative when the two
/// sit side by side (same parent folder), else from its `base_url`, else
/// relative to where the folders are now (with a warning).
fn site_link(s: &GroupSource, output: &Path, diags: &mut Diagnostics) -> SiteLink {
    let root = absolute(&s.root);
    let name = root.file_name().map(|n| n.to_string_lossy().into_owned());
    if root.parent() == output.parent()
        && let Some(name) = name
    {
        return SiteLink::Relative(format!("../{}/", encode_segment(&name)));
    }
    if let Some(base) = s
        .base_url
        .as_deref()
        .filter(|b| b.starts_with("https://") || b.starts_with("http://"))
    {
        let slash = if base.ends_with('/') { "" } else { "/" };
        return SiteLink::Absolute(format!("{base}{slash}"));
    }
    diags
        .warning(
            &s.given,
            Pos::START,
            format!(
                "{} is not beside the group site and has no base_url: its links are relative to where the folders are now",
                s.title
            ),
        )
        .hint("publish the registers' sites beside the group site, or set base_url in each register's site.yaml");
    SiteLink::Relative(relative_path(output, &root))
}

/// The way from folder `from` to folder `to` as a link prefix (`../../a/b/`).
fn relative_path(from: &Path, to: &Path) -> String {
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(f.len() - common);
    for c in &t[common..] {
        out.push_str(&encode_segment(&c.as_os_str().to_string_lossy()));
        out.push('/');
    }
    out
}

/// Writes the group site into a staging folder beside `output` and swaps
/// it in, under the output's lock; returns the number of files.
fn publish_group(
    g: &GroupInputs,
    theme: &theme::Theme,
    shown: &Path,
    output: &Path,
    theme_dir: Option<&Path>,
) -> Result<usize, String> {
    let refused = |r: publish::Refusal| format!("{} ({})", r.message, r.hint);
    let _lock = publish::Lock::take(output).map_err(refused)?;
    for w in publish::recover(output)
        .map_err(|e| format!("cannot clean up after an interrupted build: {e}"))?
    {
        crate::content::stdio::errln!("warning: {}", crate::model::diag::terminal_safe(&w));
    }
    // The theme stands in for the content folder: the group has none.
    let placement = theme_dir.unwrap_or(Path::new("themes/default"));
    let seen = publish::check_target(placement, None, shown).map_err(refused)?;
    let mut staging = Staging::new(output).map_err(|e| {
        format!(
            "cannot create a staging folder beside {}: {e}",
            output.display()
        )
    })?;
    staging.after_check(seen);
    let out = Out::dir(&staging.dir);
    let written = crate::output::group::write(g, theme, &out).map_err(|e| e.to_string())?;
    let identity = Identity::new(None, g.figures.as_of, g.audience);
    let own = integrity::write(&identity, &out).map_err(|e| e.to_string())?;
    let published = staging.publish(&out.written())?;
    for w in published.warnings {
        crate::content::stdio::errln!("warning: {}", crate::model::diag::terminal_safe(&w));
    }
    Ok(written + own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_then_descend() {
        assert_eq!(
            relative_path(Path::new("/a/b/group"), Path::new("/a/c d/site")),
            "../../c%20d/site/"
        );
    }
}
