//! Loading and validating the content folder.
//!
//! The loader reads every file (in parallel), turns each into typed model
//! values while collecting every problem, then checks the rules that span
//! files (unique ids, references, evidence). It returns a [`Register`] only
//! when there is no error, so nothing downstream sees half-valid content.

use crate::model::diag::{Diagnostics, Pos, Severity};
use crate::model::*;
use files::is_ignored_name;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use yaml::{Ctx, Fields, Node};

mod cache;
mod catalogues;
mod chain;
mod controls;
mod entry;
pub mod files;
pub mod git;
pub mod git_text;
pub mod group;
pub mod import;
pub mod markdown;
mod pages;
mod policy;
pub mod stdio;
pub mod timing;
pub mod yaml;

pub use cache::Cache;

pub use entry::read_register_text;
pub use entry::{PLACEHOLDER_DESCRIPTION, is_valid_id};
pub use pages::{PLACEHOLDER_OBJECTIVE, split_front_matter};

const SITE_FIELDS: &[&str] = &[
    "title",
    "organization",
    "description",
    "register",
    "base_url",
    "visibility",
    "next_review",
];

/// Reads and validates `content_dir`. Warnings are returned either way.
pub fn load(content_dir: &Path) -> (Option<Register>, Diagnostics) {
    load_with(content_dir, None)
}

/// [`load`], reusing what `cache` kept of files whose text is unchanged
/// since the last call (the live preview's rebuilds).
pub fn load_with(content_dir: &Path, cache: Option<&Cache>) -> (Option<Register>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let Some(layout) = scan(content_dir, &mut diags) else {
        return (None, diags);
    };

    let site = match &layout.site {
        Some(path) => load_site(path, &mut diags),
        None => {
            diags
                .error(
                    &content_dir.join("site.yaml"),
                    Pos::START,
                    "missing site.yaml",
                )
                .hint("create content/site.yaml with at least `title: <your register's name>`");
            None
        }
    };

    if let Some(c) = cache {
        let present = layout
            .register
            .iter()
            .chain(&layout.plans)
            .chain(&layout.reviews)
            .map(PathBuf::as_path)
            .collect();
        c.refresh(&layout.evidence_set, &present);
    }
    let evidence = &layout.evidence_set;
    let entry_results: Vec<EntryResult> = layout
        .register
        .par_iter()
        .map(|path| {
            let ((list, ids), d) = parse_file(path, cache.map(|c| &c.register), |text, d| {
                entry::read_register_text(path, text, evidence, d)
            });
            (list, ids, d)
        })
        .collect();
    let plan_results: Vec<(Option<Plan>, Diagnostics)> = layout
        .plans
        .par_iter()
        .map(|p| {
            parse_file(p, cache.map(|c| &c.plans), |text, d| {
                pages::plan_from_text(p, text, d)
            })
        })
        .collect();
    let review_results: Vec<(Option<Review>, Diagnostics)> = layout
        .reviews
        .par_iter()
        .map(|p| {
            parse_file(p, cache.map(|c| &c.reviews), |text, d| {
                pages::review_from_text(p, text, d)
            })
        })
        .collect();

    // Apart until the register is assembled, which stops at any error:
    // a catalogue's own problems and its references are reported together.
    let mut cat_diags = Diagnostics::default();
    let catalogue = catalogues::Catalogues {
        controls: layout.controls.as_ref().and_then(|p| {
            let text = read_text(p, &mut cat_diags)?;
            controls::catalogue_from_text(p, &text, &mut cat_diags)
        }),
        objectives: layout.objectives.as_ref().and_then(|p| {
            let text = read_text(p, &mut cat_diags)?;
            let list = catalogues::objectives_from_text(p, &text, &mut cat_diags)?;
            Some((p.clone(), list))
        }),
        risks: layout.risks.as_ref().and_then(|p| {
            let text = read_text(p, &mut cat_diags)?;
            let list = catalogues::risks_from_text(p, &text, &mut cat_diags)?;
            Some((p.clone(), list))
        }),
    };
    let (register, mut diags) = assemble(
        site,
        entry_results,
        plan_results,
        review_results,
        layout.evidence,
        diags,
    );
    diags.extend(cat_diags);
    with_catalogue(register, catalogue, diags)
}

/// The register with its catalogues, and the warnings about control ids
/// the control catalogue does not know (only when there is one); `None`
/// when a catalogue names what the register does not have.
fn with_catalogue(
    register: Option<Register>,
    catalogue: catalogues::Catalogues,
    mut diags: Diagnostics,
) -> (Option<Register>, Diagnostics) {
    let Some(mut register) = register else {
        return (None, diags);
    };
    if let Some(list) = &catalogue.controls {
        controls::warn_unknown_controls(&register.entries, list, &mut diags);
    }
    register.controls = catalogue.controls;
    if let Some((path, list)) = catalogue.objectives {
        catalogues::check_objectives(&path, &list, &register, &mut diags);
        register.objectives = Some(list);
    }
    if let Some((_, list)) = catalogue.risks {
        catalogues::warn_unknown_risks(&register.entries, &list, &mut diags);
        register.risks = Some(list);
    }
    if diags.has_errors() {
        return (None, diags);
    }
    (Some(register), diags)
}

type EntryResult = (Vec<Entry>, Vec<String>, Diagnostics);

/// Reads one file and parses its text, through the cache when there is one.
/// A file that cannot be read yields `T::default()` and the problem.
fn parse_file<T: Clone + Default>(
    path: &Path,
    slot: Option<&cache::Slot<T>>,
    parse: impl FnOnce(&str, &mut Diagnostics) -> T,
) -> (T, Diagnostics) {
    let mut diags = Diagnostics::default();
    let Some(text) = read_text(path, &mut diags) else {
        return (T::default(), diags);
    };
    match slot {
        Some(slot) => slot.get(path, text, parse),
        None => {
            let value = parse(&text, &mut diags);
            (value, diags)
        }
    }
}

/// Content held in memory, as `(relative path, text)` pairs such as
/// `("register/CI-001.yaml", "title: ...")`: validated exactly as [`load`]
/// validates a folder, without touching a disk (the fuzz targets use it).
/// Paths are reported below `root`. There is no evidence in memory, so
/// links to evidence files are reported as missing.
pub fn load_memory(root: &Path, files: &[(&str, &str)]) -> (Option<Register>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let (mut site, mut entries, mut plans, mut reviews) = (None, vec![], vec![], vec![]);
    let mut site_seen = false;
    let mut catalogue = catalogues::Catalogues::default();
    let evidence = std::collections::HashSet::new();
    for (rel, text) in files {
        let path = root.join(rel);
        let mut d = Diagnostics::default();
        match (rel.split_once('/').map(|(dir, _)| dir), *rel) {
            (None, "site.yaml") => {
                site_seen = true;
                site = site_from_text(&path, text, &mut d);
            }
            (None, "controls.yaml") => {
                catalogue.controls = controls::catalogue_from_text(&path, text, &mut d)
            }
            (None, "objectives.yaml") => {
                catalogue.objectives = catalogues::objectives_from_text(&path, text, &mut d)
                    .map(|list| (path.clone(), list))
            }
            (None, "risks.yaml") => {
                catalogue.risks = catalogues::risks_from_text(&path, text, &mut d)
                    .map(|list| (path.clone(), list))
            }
            (Some("register"), _) => {
                // Its problems travel with it, as in `load`: assemble
                // tells an unreadable file by them.
                let mut own = Diagnostics::default();
                let (list, ids) = entry::read_register_text(&path, text, &evidence, &mut own);
                entries.push((list, ids, own));
            }
            (Some("plans"), _) => plans.push((
                pages::plan_from_text(&path, text, &mut d),
                Diagnostics::default(),
            )),
            (Some("reviews"), _) => reviews.push((
                pages::review_from_text(&path, text, &mut d),
                Diagnostics::default(),
            )),
            _ => {
                d.error(&path, Pos::START, "unexpected file in the content folder");
            }
        }
        diags.extend(d);
    }
    if !site_seen {
        diags.error(&root.join("site.yaml"), Pos::START, "missing site.yaml");
    }
    let (register, diags) = assemble(site, entries, plans, reviews, Vec::new(), diags);
    with_catalogue(register, catalogue, diags)
}

/// The checks that span files, then the register in its fixed order.
fn assemble(
    site: Option<Site>,
    entry_results: Vec<EntryResult>,
    plan_results: Vec<(Option<Plan>, Diagnostics)>,
    review_results: Vec<(Option<Review>, Diagnostics)>,
    evidence: Vec<EvidenceFile>,
    mut diags: Diagnostics,
) -> (Option<Register>, Diagnostics) {
    let mut entries = Vec::new();
    let mut declared = Vec::new();
    let mut unreadable = Vec::new();
    for (mut list, mut ids, d) in entry_results {
        if ids.is_empty()
            && let Some(first) = d.iter().find(|x| x.severity == Severity::Error)
        {
            unreadable.push((first.file.clone(), first.pos));
        }
        entries.append(&mut list);
        declared.append(&mut ids);
        diags.extend(d);
    }
    let mut plans = Vec::new();
    for (plan, d) in plan_results {
        plans.extend(plan);
        diags.extend(d);
    }
    let mut reviews = Vec::new();
    for (review, d) in review_results {
        reviews.extend(review);
        diags.extend(d);
    }

    check_unique_ids(&entries, &mut diags);
    check_references(&declared, &unreadable, &plans, &reviews, &mut diags);

    entries.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    if unreadable.is_empty() {
        // An id in the unreadable file may be the one named: no knock-on errors.
        chain::check_entry_refs(&entries, &declared, &mut diags);
    }
    chain::check_follow_up_cycles(&entries, &mut diags);
    plans.sort_by(|a, b| a.slug.cmp(&b.slug));
    reviews.sort_by(|a, b| (a.date, &a.slug).cmp(&(b.date, &b.slug)));

    if diags.has_errors() {
        return (None, diags);
    }
    let Some(site) = site else {
        return (None, diags);
    };
    let register = Register::new(site, entries, plans, reviews, evidence);
    (Some(register), diags)
}

/// The files of a content folder, sorted, by kind.
#[derive(Default)]
struct Layout {
    site: Option<PathBuf>,
    /// `controls.yaml`, the control catalogue, if there is one.
    controls: Option<PathBuf>,
    /// `objectives.yaml`, the information security objectives, if any.
    objectives: Option<PathBuf>,
    /// `risks.yaml`, the risk catalogue, if any.
    risks: Option<PathBuf>,
    register: Vec<PathBuf>,
    plans: Vec<PathBuf>,
    reviews: Vec<PathBuf>,
    evidence: Vec<EvidenceFile>,
    /// Evidence paths (relative, `/`-separated) for link checks.
    evidence_set: std::collections::HashSet<String>,
}

pub(crate) fn sorted_dir(
    dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, PathBuf, fs::FileType)> {
    let read = match fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            diags.error(dir, Pos::START, format!("cannot read folder: {e}"));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for e in read.filter_map(Result::ok) {
        // Editor droppings are skipped whatever their name's encoding.
        if is_ignored_name(&e.file_name().to_string_lossy()) {
            continue;
        }
        let (Some(name), Ok(ty)) = (utf8_name(&e, diags), e.file_type()) else {
            continue;
        };
        let path = e.path();
        if ty.is_symlink() {
            report_symlink(&path, diags);
        } else if plain_name(&name, &path, diags) {
            out.push((name, path, ty));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn scan(content_dir: &Path, diags: &mut Diagnostics) -> Option<Layout> {
    if !content_dir.is_dir() {
        diags
            .error(content_dir, Pos::START, "content folder not found")
            .hint("run from the folder that holds `content/`, or pass --content DIR");
        return None;
    }
    let mut layout = Layout::default();
    let mut saw_register = false;
    for (name, path, ty) in sorted_dir(content_dir, diags) {
        match (name.as_str(), ty.is_dir()) {
            ("site.yaml", false) => layout.site = Some(path),
            ("controls.yaml", false) => layout.controls = Some(path),
            ("objectives.yaml", false) => layout.objectives = Some(path),
            ("risks.yaml", false) => layout.risks = Some(path),
            ("register", true) => {
                saw_register = true;
                layout.register = kind_files(
                    &path,
                    &["yaml", "yml"],
                    "register entries (.yaml or .yml)",
                    diags,
                );
            }
            ("plans", true) => layout.plans = kind_files(&path, &["md"], "plans (.md)", diags),
            ("reviews", true) => {
                layout.reviews = kind_files(&path, &["md"], "review notes (.md)", diags)
            }
            ("evidence", true) => scan_evidence(&path, "", &mut layout, diags),
            _ => {
                diags
                    .error(&path, Pos::START, format!("unexpected {} in the content folder", if ty.is_dir() { "folder" } else { "file" }))
                    .hint("the content folder holds site.yaml, controls.yaml, objectives.yaml, risks.yaml, register/, plans/, reviews/ and evidence/; move other files elsewhere");
            }
        }
    }
    if !saw_register {
        diags
            .error(
                &content_dir.join("register"),
                Pos::START,
                "missing register/ folder",
            )
            .hint("create content/register/ and put one YAML file per register entry in it");
    }
    Some(layout)
}

fn kind_files(dir: &Path, exts: &[&str], what: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (_, path, ty) in sorted_dir(dir, diags) {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ty.is_file() && exts.contains(&ext) {
            out.push(path);
        } else {
            diags
                .error(
                    &path,
                    Pos::START,
                    format!("not one of the {what} this folder holds"),
                )
                .hint(
                    "move it to evidence/ if it is evidence, or rename it with the right extension",
                );
        }
    }
    out
}

/// A file name that is not UTF-8 has no one way to be shown, linked or
/// published: two such names can print alike (both lossily as `�`) and
/// one file would overwrite the other in the output. Reported as an error
/// naming the path (lossily printed) and left out, as names with control
/// characters are.
fn utf8_name(entry: &fs::DirEntry, diags: &mut Diagnostics) -> Option<String> {
    match entry.file_name().into_string() {
        Ok(name) => Some(name),
        Err(raw) => {
            diags
                .error(
                    &entry.path(),
                    Pos::START,
                    format!(
                        "file name {:?} is not valid UTF-8 text",
                        raw.to_string_lossy()
                    ),
                )
                .hint("rename it with letters, digits, spaces and punctuation only (save the name as UTF-8)");
            None
        }
    }
}

/// File names with control characters (a line break, an escape) cannot be
/// linked, listed or shown sanely: reported as an error and left out.
fn plain_name(name: &str, path: &Path, diags: &mut Diagnostics) -> bool {
    if !name.chars().any(char::is_control) {
        return true;
    }
    diags
        .error(
            path,
            Pos::START,
            format!("file name {name:?} holds a control character (such as a line break)"),
        )
        .hint("rename it with letters, digits, spaces and punctuation only");
    false
}

/// Symbolic links anywhere in the content folder are never followed: one
/// could point anywhere on the build machine (a key, a CI secret) and
/// publish it. Reported as a warning; the link is skipped as if absent.
pub(crate) fn report_symlink(path: &Path, diags: &mut Diagnostics) {
    let target = fs::read_link(path)
        .map(|t| format!(" (to {})", t.display()))
        .unwrap_or_default();
    diags
        .warning(
            path,
            Pos::START,
            format!("symbolic link{target} is not followed; nothing from it is published"),
        )
        .hint("copy the file or folder itself in place of the link");
}

/// Evidence is copied verbatim (symbolic links were left out by
/// [`sorted_dir`]).
fn scan_evidence(dir: &Path, prefix: &str, layout: &mut Layout, diags: &mut Diagnostics) {
    for (name, path, ty) in sorted_dir(dir, diags) {
        let rel = format!("{prefix}{name}");
        if ty.is_dir() {
            scan_evidence(&path, &format!("{rel}/"), layout, diags);
        } else if ty.is_file() {
            warn_active_content(&path, diags);
            layout.evidence_set.insert(rel.clone());
            layout.evidence.push(EvidenceFile { rel, source: path });
        }
    }
}

/// File kinds a browser runs script from when opened on the site's own
/// origin (HTML, SVG, XML with XSLT, JavaScript).
const ACTIVE_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt",
    "js", "mjs", "cjs",
];

/// Evidence is published verbatim beside the register, so a script in it
/// would run with the site's origin: it could read every page, and the
/// register export, as the reader. Warned, not refused: the intranet
/// server can still sandbox it.
fn warn_active_content(path: &Path, diags: &mut Diagnostics) {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ACTIVE_EXTENSIONS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(ext))
    {
        diags
            .warning(path, Pos::START, format!("active content: a browser runs script in a .{ext} file with the site's own rights when it is opened"))
            .hint("link a PDF or PNG export of it instead, or have the web server send evidence/ with `Content-Security-Policy: sandbox` (see docs/safety.md, Evidence that could run script)");
    }
}

fn read_text(path: &Path, diags: &mut Diagnostics) -> Option<String> {
    let limit = yaml::limits::MAX_FILE_BYTES;
    if let Ok(meta) = fs::metadata(path)
        && meta.len() > limit
    {
        diags
            .error(
                path,
                Pos::START,
                format!(
                    "file is {} bytes, over the limit of {limit} bytes ({} MiB) per content file",
                    meta.len(),
                    limit >> 20
                ),
            )
            .hint("split it into several files, or move large attachments to evidence/");
        return None;
    }
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(mut s) => {
                if s.starts_with('\u{feff}') {
                    s.remove(0);
                }
                Some(s)
            }
            Err(e) => {
                let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
                diags
                    .error(path, Pos::new(line, 1), "file is not valid UTF-8 text")
                    .hint("save the file as UTF-8 in your editor");
                None
            }
        },
        Err(e) => {
            diags.error(path, Pos::START, format!("cannot read file: {e}"));
            None
        }
    }
}

fn parse_yaml(text: &str, line_offset: u32, path: &Path, diags: &mut Diagnostics) -> Option<Node> {
    match yaml::parse(text, line_offset) {
        Ok(node) => Some(node),
        Err(e) => {
            diags.error(path, e.pos, e.message).hint(e.hint);
            None
        }
    }
}

fn load_site(path: &Path, diags: &mut Diagnostics) -> Option<Site> {
    let text = read_text(path, diags)?;
    site_from_text(path, &text, diags)
}

fn site_from_text(path: &Path, text: &str, diags: &mut Diagnostics) -> Option<Site> {
    let node = parse_yaml(text, 0, path, diags)?;
    let ctx = &mut Ctx { file: path, diags };
    let f = Fields::of(&node, "site.yaml", ctx)?;
    f.finish(SITE_FIELDS, "site.yaml", ctx);
    let title = f
        .required("title", "site.yaml", ctx)
        .and_then(|n| yaml::required_text(n, "title", ctx));
    let organization = f
        .get("organization")
        .and_then(|n| yaml::text(n, "organization", ctx));
    let description = f
        .get("description")
        .and_then(|n| yaml::text(n, "description", ctx));
    let base_url = f
        .get("base_url")
        .and_then(|n| yaml::text(n, "base_url", ctx));
    if let (Some(url), Some(n)) = (&base_url, f.get("base_url"))
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        ctx.error(
            n.pos,
            "`base_url` must start with http:// or https://",
            "write the site's full address, e.g. https://isms.intranet.example/register/",
        );
    }
    let (mut created, mut responsible) = (None, None);
    let mut review_days = None;
    if let Some(reg) = f.get("register")
        && let Some(rf) = Fields::of(reg, "register header", ctx)
    {
        rf.finish(
            &["created", "responsible", "effectiveness_review_days"],
            "register header",
            ctx,
        );
        review_days = rf
            .get("effectiveness_review_days")
            .and_then(|n| review_days_of(n, ctx));
        created = rf
            .get("created")
            .and_then(|n| yaml::date(n, "created", ctx));
        responsible = rf
            .get("responsible")
            .and_then(|n| yaml::text(n, "responsible", ctx));
    }
    let next_review = f
        .get("next_review")
        .and_then(|n| yaml::date(n, "next_review", ctx));
    let visibility = f
        .get("visibility")
        .map(|n| policy::read_policy(n, ctx))
        .unwrap_or_default();
    Some(Site {
        title: title?,
        organization,
        description,
        created,
        responsible,
        base_url: base_url.map(|u| if u.ends_with('/') { u } else { format!("{u}/") }),
        visibility,
        effectiveness_review_days: review_days.unwrap_or(EFFECTIVENESS_REVIEW_DAYS),
        next_review,
    })
}

/// `effectiveness_review_days`: a whole number of days, 1 to 3650.
fn review_days_of(n: &Node, ctx: &mut Ctx) -> Option<u32> {
    let days = yaml::number(n, "effectiveness_review_days", ctx)?;
    if days.fract() == 0.0 && (1.0..=3650.0).contains(&days) {
        return Some(days as u32);
    }
    ctx.error(
        n.pos,
        format!(
            "`effectiveness_review_days` must be a whole number of days from 1 to 3650, not {days}"
        ),
        "write e.g. `effectiveness_review_days: 90`",
    );
    None
}

fn opt<T>(
    f: &Fields,
    name: &str,
    ctx: &mut Ctx,
    read: impl FnOnce(&Node, &str, &mut Ctx) -> Option<T>,
) -> Option<T> {
    f.get(name).and_then(|n| read(n, name, ctx))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The id after the highest one with `id`'s prefix (`CI-007` and a
/// register up to `CI-032` → `CI-033`, keeping the zero padding), not
/// used by any entry; `id-2`, `id-3`, … for an id without a number.
fn next_free_id(id: &str, entries: &[Entry]) -> String {
    let used: std::collections::HashSet<String> =
        entries.iter().map(|e| e.id.to_lowercase()).collect();
    let split = |s: &str| {
        let at = s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (prefix, digits) = s.split_at(at);
        (prefix.to_string(), digits.len(), digits.parse::<u64>().ok())
    };
    let (prefix, width, number) = split(id);
    let Some(_) = number else {
        return (2..)
            .map(|n| format!("{id}-{n}"))
            .find(|c| !used.contains(&c.to_lowercase()))
            .unwrap_or_default();
    };
    let highest = entries
        .iter()
        .map(|e| split(&e.id))
        .filter(|(p, _, _)| p.eq_ignore_ascii_case(&prefix))
        .filter_map(|(_, _, n)| n)
        .max()
        .unwrap_or(0);
    (highest.saturating_add(1)..)
        .map(|n| format!("{prefix}{n:0width$}"))
        .find(|c| !used.contains(&c.to_lowercase()))
        .unwrap_or_default()
}

fn check_unique_ids(entries: &[Entry], diags: &mut Diagnostics) {
    let mut seen: HashMap<String, &Entry> = HashMap::new();
    for e in entries {
        match seen.get(&e.id.to_lowercase()) {
            Some(first) => {
                diags
                    .error(
                        &e.origin.file,
                        e.origin.pos,
                        format!(
                            "duplicate id `{}`: also used in {}:{}:{}",
                            e.id,
                            first.origin.file.display(),
                            first.origin.pos.line,
                            first.origin.pos.column
                        ),
                    )
                    .hint(format!(
                        "ids are unique ignoring case; give one of them the next free id, `{}`",
                        next_free_id(&e.id, entries)
                    ));
            }
            None => {
                seen.insert(e.id.to_lowercase(), e);
            }
        }
    }
}

/// Plans and reviews name register ids; a wrong one is a broken link.
/// `declared` holds every id written in register files, valid entry or not,
/// so that an invalid entry is reported once, not again at each reference.
/// While a register file cannot be read (`unreadable`: its first error),
/// an id it may declare is unknown: references that find no entry are then
/// not reported, and the file says once that they could not be checked.
fn check_references(
    declared: &[String],
    unreadable: &[(PathBuf, Pos)],
    plans: &[Plan],
    reviews: &[Review],
    diags: &mut Diagnostics,
) {
    let ids: std::collections::HashSet<String> =
        declared.iter().map(|id| id.to_lowercase()).collect();
    let known: Vec<&str> = declared.iter().map(String::as_str).collect();
    let mut unchecked = 0usize;
    let mut check = |list: &[String], positions: &[Pos], origin: &Origin| {
        for (id, pos) in list.iter().zip(positions) {
            if ids.contains(&id.to_lowercase()) {
                continue;
            }
            if !unreadable.is_empty() {
                unchecked += 1;
                continue;
            }
            diags
                .error(
                    &origin.file,
                    *pos,
                    format!("`entries` names `{id}`, which is not a register id"),
                )
                .hint(chain::unknown_id_hint(id, &known));
        }
    };
    for p in plans {
        check(&p.entries, &p.entry_pos, &p.origin);
    }
    for r in reviews {
        check(&r.entries, &r.entry_pos, &r.origin);
        for d in &r.decisions {
            check(&d.entries, &d.entry_pos, &r.origin);
        }
    }
    if unchecked > 0 {
        let (file, pos) = &unreadable[0];
        let refs = if unchecked == 1 {
            "reference"
        } else {
            "references"
        };
        diags
            .warning(
                file,
                *pos,
                format!("{unchecked} {refs} from plans and reviews could not be checked while this file cannot be read"),
            )
            .hint("fix the error above; the references are checked again then");
    }
}

/// The declared id a misspelt one most likely means. Case and zero
/// padding are ignored first (`ci-17`, `CI-0017` → `CI-017`), then the
/// nearest by spelling.
pub fn nearest_id<'k>(id: &str, known: &[&'k str]) -> Option<&'k str> {
    let key = id_key(id);
    known
        .iter()
        .find(|k| id_key(k) == key)
        .copied()
        .or_else(|| {
            let lower: Vec<String> = known.iter().map(|k| k.to_lowercase()).collect();
            let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
            let near = yaml::nearest(id, &refs)?;
            let at = refs.iter().position(|r| *r == near)?;
            Some(known[at])
        })
}

/// An id lower-cased with the leading zeros of each number dropped.
fn id_key(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut in_number = false;
    let mut chars = id.chars().peekable();
    while let Some(c) = chars.next() {
        let leading_zero = c == '0' && !in_number && chars.peek().is_some_and(char::is_ascii_digit);
        if !leading_zero {
            out.extend(c.to_lowercase());
            in_number = c.is_ascii_digit();
        }
    }
    out
}

/// Every register id the content folder declares, in entries valid or not,
/// and every register file stem: the names `new` must not reuse. Problems
/// are ignored here; `check` reports them.
pub fn declared_ids(content_dir: &Path) -> Vec<String> {
    let mut ignored = Diagnostics::default();
    let Some(layout) = scan(content_dir, &mut ignored) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = layout
        .register
        .par_iter()
        .flat_map_iter(|p| {
            let ((_, ids), _) = parse_file(p, None, |text, d| {
                entry::read_register_text(p, text, &layout.evidence_set, d)
            });
            ids
        })
        .collect();
    ids.extend(layout.register.iter().map(|p| stem(p)));
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_register_file_is_the_only_error() {
        let (reg, diags) = load_memory(
            Path::new("c"),
            &[
                ("site.yaml", "title: T\n"),
                ("register/CI-005.yaml", "title: [x\n"),
                ("plans/p.md", "---\ntitle: P\nentries: [CI-005]\n---\nx\n"),
            ],
        );
        assert!(reg.is_none());
        assert_eq!(
            diags.count(Severity::Error),
            1,
            "{}",
            diags.render_human(false)
        );
        assert_eq!(diags.count(Severity::Warning), 1);
    }

    #[test]
    fn misspelt_ids_find_the_id_meant() {
        let known = ["CI-017", "CI-018", "NC-2"];
        for typo in ["CI-17", "CI-0017", "ci-17", "ci-0017", "CI-017 "] {
            assert_eq!(nearest_id(typo.trim(), &known), Some("CI-017"), "{typo}");
        }
        assert_eq!(nearest_id("nc-02", &known), Some("NC-2"));
        assert_eq!(nearest_id("budget", &known), None);
        assert_eq!(id_key("CI-0100"), "ci-100");
        assert_eq!(id_key("0"), "0");
    }

    #[test]
    fn editor_droppings_are_ignored() {
        for name in [".CI-001.yaml.swp", "CI-001.yaml~", "x.tmp", ".DS_Store"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("CI-001.yaml"));
    }
}
