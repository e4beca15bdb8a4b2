//! The registers of a group view, read from what each register's build
//! published: `register.json` (figures, entries) and `build.json` (as-of
//! date, audience). Nothing else of a site is read, and nothing is
//! recomputed: each register's build stays the single source.

use crate::model::Enumerated;
use crate::model::Visibility;
use crate::model::diag::{Diagnostics, Pos};
use crate::model::group::{Figures, GroupEntry, GroupSource};
use serde::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};

/// The largest `register.json` read: about 300,000 entries with their
/// text. A bigger file is refused before it is read, so a group of many
/// registers stays within memory.
pub const MAX_REGISTER_JSON: u64 = 1 << 30;
/// `build.json` is a few lines.
const MAX_BUILD_JSON: u64 = 64 * 1024;

/// What a group needs of `register.json`; every other key is skipped.
#[derive(Deserialize)]
struct RegisterJson {
    title: String,
    #[serde(default)]
    organization: Option<String>,
    as_of: String,
    #[serde(default)]
    base_url: Option<String>,
    /// Absent in sites built before group views existed.
    #[serde(default)]
    figures: Option<Figures>,
    entries: Vec<GroupEntry>,
}

#[derive(Deserialize)]
struct BuildJson {
    as_of: String,
    audience: String,
}

/// Reads every source (a published site folder, or its `register.json`),
/// in parallel, reporting every problem in the order given; `None` for a
/// source that cannot be used.
pub fn read_sources(given: &[PathBuf], diags: &mut Diagnostics) -> Vec<Option<GroupSource>> {
    use rayon::prelude::*;
    let read: Vec<(Option<GroupSource>, Diagnostics)> = given
        .par_iter()
        .map(|g| {
            let mut d = Diagnostics::default();
            (read_source(g, &mut d), d)
        })
        .collect();
    read.into_iter()
        .map(|(source, d)| {
            diags.extend(d);
            source
        })
        .collect()
}

fn read_source(given: &Path, diags: &mut Diagnostics) -> Option<GroupSource> {
    if !given.exists() {
        diags
            .error(given, Pos::START, "no such site folder or register.json")
            .hint("give the folder `isms-site build` published, or its register.json");
        return None;
    }
    let (root, json) = if given.is_dir() {
        (given.to_path_buf(), given.join("register.json"))
    } else {
        let root = given
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        (root, given.to_path_buf())
    };
    let build_path = root.join("build.json");
    let build: Option<BuildJson> = read_json(&build_path, MAX_BUILD_JSON, diags, || {
        "give the folder `isms-site build` published (it holds register.json and build.json); build.json says which audience the register was built for".into()
    });
    let reg: Option<RegisterJson> = read_json(&json, MAX_REGISTER_JSON, diags, || {
        "give a site folder published by `isms-site build`, or its register.json".into()
    });
    let (build, reg) = (build?, reg?);
    let Some(audience) = Visibility::from_text(&build.audience) else {
        diags
            .error(
                &build_path,
                Pos::START,
                format!("unknown audience `{}`", build.audience),
            )
            .hint("build.json names public, internal or restricted; rebuild the site");
        return None;
    };
    let as_of = crate::content::yaml::parse_date(&reg.as_of);
    if build.as_of != reg.as_of || as_of.is_none() {
        diags
            .error(
                &json,
                Pos::START,
                format!(
                    "register.json is as of `{}` but build.json says `{}`",
                    reg.as_of, build.as_of
                ),
            )
            .hint("the two files come from different builds; publish the site again");
        return None;
    }
    let Some(figures) = reg.figures else {
        diags
            .error(&json, Pos::START, "register.json has no `figures`")
            .hint("it was built by an older isms-site; build the register again with this version");
        return None;
    };
    Some(GroupSource {
        given: given.to_path_buf(),
        root,
        title: reg.title,
        organization: reg.organization,
        as_of: as_of?,
        audience,
        base_url: reg.base_url,
        figures,
        entries: reg.entries,
    })
}

/// A JSON file read into `T`, within `limit` bytes; problems reported at
/// the line and column serde_json names.
fn read_json<T: for<'de> Deserialize<'de>>(
    path: &Path,
    limit: u64,
    diags: &mut Diagnostics,
    hint: impl Fn() -> String,
) -> Option<T> {
    match fs::metadata(path) {
        Ok(m) if m.len() > limit => {
            diags
                .error(
                    path,
                    Pos::START,
                    format!("file is larger than {limit} bytes"),
                )
                .hint("a group reads registers of up to about 300,000 entries each");
            return None;
        }
        Ok(m) if !m.is_file() => {
            diags.error(path, Pos::START, "not a file").hint(hint());
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            diags
                .error(path, Pos::START, format!("cannot read: {e}"))
                .hint(hint());
            return None;
        }
    }
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags
                .error(path, Pos::START, format!("cannot read: {e}"))
                .hint(hint());
            return None;
        }
    };
    match serde_json::from_str(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            let pos = Pos::new(e.line().max(1) as u32, e.column().max(1) as u32);
            diags
                .error(path, pos, format!("not a register export: {e}"))
                .hint(hint());
            None
        }
    }
}
