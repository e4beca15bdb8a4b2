//! Loading and validating the content folder.
//!
//! The loader reads every file (in parallel), turns each into typed model
//! values while collecting every problem, then checks the rules that span
//! files (unique ids, references, evidence). It returns a [`Register`] only
//! when there is no error, so nothing downstream sees half-valid content.

use crate::model::diag::{Diagnostics, Pos, ProblemKind};
use crate::model::*;
use files::is_ignored_name;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use yaml::{Ctx, Fields, Node};

pub mod approval;
mod cache;
mod catalogues;
mod chain;
mod controls;
mod entry;
pub mod files;
pub mod git;
pub mod git_text;
pub mod git_tree;
pub mod group;
pub mod i18n;
pub mod import;
mod pages;
mod policy;
mod source;
pub mod status_words;
pub mod stdio;
pub mod yaml;

pub use cache::{Cache, Digested, Digests, ParsedFile, ParsedKind, ParsedSet, Shared};
pub use source::{FileKind, Folder, InMemory, Source};

pub use entry::read_register_text;
pub use entry::{PLACEHOLDER_DESCRIPTION, is_valid_id};
pub use pages::{PLACEHOLDER_OBJECTIVE, split_front_matter};

/// Reads and validates the content folder `source` gives (a [`Folder`]
/// for builds, [`InMemory`] for the fuzz targets and `import`'s check).
/// Warnings are returned either way. With a `cache`, what it kept of
/// files whose text is unchanged since the last call is reused (the live
/// preview's rebuilds).
pub fn load(source: &dyn Source, cache: Option<&Cache>) -> (Option<Register>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let Some(layout) = scan(source, &mut diags) else {
        return (None, diags);
    };
    let content_dir = source.root();

    let site = match &layout.site {
        Some(path) => load_site(source, path, &mut diags).map(|mut site| {
            i18n::attach(
                &mut site.locale,
                &layout.translations,
                path,
                source,
                &mut diags,
            );
            site
        }),
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
            let slot = cache.map(|c| (c, &c.register, ParsedKind::Register));
            let ((list, ids), d) = parse_file(source, path, slot, |text, d| {
                entry::read_register_text(path, text, evidence, d)
            });
            (list, ids, d)
        })
        .collect();
    let plan_results: Vec<(Option<Plan>, Diagnostics)> = layout
        .plans
        .par_iter()
        .map(|p| {
            let slot = cache.map(|c| (c, &c.plans, ParsedKind::Plan));
            parse_file(source, p, slot, |text, d| pages::plan_from_text(p, text, d))
        })
        .collect();
    let review_results: Vec<(Option<Review>, Diagnostics)> = layout
        .reviews
        .par_iter()
        .map(|p| {
            let slot = cache.map(|c| (c, &c.reviews, ParsedKind::Review));
            parse_file(source, p, slot, |text, d| {
                pages::review_from_text(p, text, d)
            })
        })
        .collect();

    // Apart until the register is assembled, which stops at any error:
    // a catalogue's own problems and its references are reported together.
    let mut cat_diags = Diagnostics::default();
    let catalogue = catalogues::Catalogues {
        controls: layout.controls.as_ref().and_then(|p| {
            let text = source.read(p, &mut cat_diags)?;
            controls::catalogue_from_text(p, &text, &mut cat_diags)
        }),
        objectives: layout.objectives.as_ref().and_then(|p| {
            let text = source.read(p, &mut cat_diags)?;
            let list = catalogues::objectives_from_text(p, &text, &mut cat_diags)?;
            Some((p.clone(), list))
        }),
        risks: layout.risks.as_ref().and_then(|p| {
            let text = source.read(p, &mut cat_diags)?;
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

/// Where one kind of file's parses are kept: the cache, its slot for the
/// live preview, and the kind for a build's ([`Cache::for_build`]).
type Kept<'a, T> = (&'a Cache, &'a cache::Slot<T>, ParsedKind);

/// Reads one file and parses its text, through the cache when there is one.
/// A file that cannot be read yields `T::default()` and the problem.
fn parse_file<T: Clone + Default + serde::Serialize + serde::de::DeserializeOwned>(
    source: &dyn Source,
    path: &Path,
    kept: Option<Kept<T>>,
    parse: impl FnOnce(&str, &mut Diagnostics) -> T,
) -> (T, Diagnostics) {
    if let Some((
        Cache {
            parsed: Some(p), ..
        },
        _,
        kind,
    )) = kept
    {
        return p.get(kind, source, path, parse);
    }
    let slot = kept.map(|(_, slot, _)| slot);
    let mut diags = Diagnostics::default();
    // Taken before reading: a write after it changes the stamp.
    let stamp = slot.and_then(|_| source.stamp(path));
    if let Some(kept) = slot.and_then(|s| s.unchanged(path, stamp)) {
        return kept;
    }
    let Some(text) = source.read(path, &mut diags) else {
        return (T::default(), diags);
    };
    match slot {
        Some(slot) => slot.get(path, text, stamp, parse),
        None => {
            let value = parse(&text, &mut diags);
            (value, diags)
        }
    }
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
    // Sized once: grown by doubling, the moves of entries (large structs)
    // into ever larger vectors were a stretch of the load on one core
    // at 10,000 entries (issue 27).
    let mut entries = Vec::with_capacity(entry_results.iter().map(|(l, ..)| l.len()).sum());
    let mut declared = Vec::with_capacity(entry_results.iter().map(|(_, i, _)| i.len()).sum());
    let mut unreadable = Vec::new();
    for (mut list, mut ids, d) in entry_results {
        if ids.is_empty()
            && let Some(first) = d.iter().find(|x| x.severity == ProblemKind::Error)
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

    // In parallel: comparing ids digit run by digit run was one of the
    // load's stretches on one core at 10,000 entries (issue 27). Stable,
    // as `sort_by` is.
    entries.par_sort_by(|a, b| natural_cmp(&a.id, &b.id));
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
    /// `translations/*.ftl`: the team's strings, one file per language.
    translations: Vec<PathBuf>,
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

fn scan(source: &dyn Source, diags: &mut Diagnostics) -> Option<Layout> {
    let content_dir = source.root();
    if !source.exists() {
        diags
            .error(content_dir, Pos::START, "content folder not found")
            .hint("run from the folder that holds `content/`, or pass --content DIR");
        return None;
    }
    let mut layout = Layout::default();
    let mut saw_register = false;
    for (name, path, kind) in source.list(content_dir, diags) {
        let is_dir = kind == FileKind::Folder;
        match (name.as_str(), is_dir) {
            ("site.yaml", false) => layout.site = Some(path),
            ("controls.yaml", false) => layout.controls = Some(path),
            ("objectives.yaml", false) => layout.objectives = Some(path),
            ("risks.yaml", false) => layout.risks = Some(path),
            ("register", true) => {
                saw_register = true;
                layout.register = kind_files(
                    source,
                    &path,
                    &["yaml", "yml"],
                    "register entries (.yaml or .yml)",
                    diags,
                );
            }
            ("plans", true) => {
                layout.plans = kind_files(source, &path, &["md"], "plans (.md)", diags)
            }
            ("reviews", true) => {
                layout.reviews = kind_files(source, &path, &["md"], "review notes (.md)", diags)
            }
            ("evidence", true) => scan_evidence(source, &path, "", &mut layout, diags),
            ("translations", true) => {
                layout.translations =
                    kind_files(source, &path, &["ftl"], "translations (Fluent .ftl)", diags)
            }
            _ => {
                diags
                    .error(&path, Pos::START, format!("unexpected {} in the content folder", if is_dir { "folder" } else { "file" }))
                    .hint("the content folder holds site.yaml, controls.yaml, objectives.yaml, risks.yaml, register/, plans/, reviews/, evidence/ and translations/; move other files elsewhere");
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

fn kind_files(
    source: &dyn Source,
    dir: &Path,
    exts: &[&str],
    what: &str,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (_, path, kind) in source.list(dir, diags) {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if kind == FileKind::File && exts.contains(&ext) {
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
pub(crate) fn plain_name(name: &str, path: &Path, diags: &mut Diagnostics) -> bool {
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
fn scan_evidence(
    source: &dyn Source,
    dir: &Path,
    prefix: &str,
    layout: &mut Layout,
    diags: &mut Diagnostics,
) {
    for (name, path, kind) in source.list(dir, diags) {
        let rel = format!("{prefix}{name}");
        if kind == FileKind::Folder {
            scan_evidence(source, &path, &format!("{rel}/"), layout, diags);
        } else if kind == FileKind::File {
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

fn parse_yaml(text: &str, line_offset: u32, path: &Path, diags: &mut Diagnostics) -> Option<Node> {
    match yaml::parse(text, line_offset) {
        Ok(node) => Some(node),
        Err(e) => {
            diags.error(path, e.pos, e.message).hint(e.hint);
            None
        }
    }
}

fn load_site(source: &dyn Source, path: &Path, diags: &mut Diagnostics) -> Option<Site> {
    let text = source.read(path, diags)?;
    site_from_text(path, &text, diags)
}

fn site_from_text(path: &Path, text: &str, diags: &mut Diagnostics) -> Option<Site> {
    let node = parse_yaml(text, 0, path, diags)?;
    let ctx = &mut Ctx { file: path, diags };
    let f = Fields::of(&node, "site.yaml", ctx)?;
    f.finish(&schema::keys_of(schema::SITE), "site.yaml", ctx);
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
            &schema::keys_of(schema::SITE_REGISTER),
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
    let locale = i18n::read_locale(&f, ctx);
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
        locale,
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
    let source = Folder::new(content_dir);
    let Some(layout) = scan(&source, &mut ignored) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = layout
        .register
        .par_iter()
        .flat_map_iter(|p| {
            let ((_, ids), _) = parse_file(&source, p, None, |text, d| {
                entry::read_register_text(p, text, &layout.evidence_set, d)
            });
            ids
        })
        .collect();
    ids.extend(layout.register.iter().map(|p| stem(p)));
    ids
}

/// Copies the folder `from` to `to`, for the unit tests that need a
/// content folder of their own (the demo's, to edit).
#[cfg(test)]
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_register_file_is_the_only_error() {
        let files = [
            ("site.yaml", "title: T\n"),
            ("register/CI-005.yaml", "title: [x\n"),
            ("plans/p.md", "---\ntitle: P\nentries: [CI-005]\n---\nx\n"),
        ];
        let (reg, diags) = load(&InMemory::new(Path::new("c"), files), None);
        assert!(reg.is_none());
        assert_eq!(
            diags.count(ProblemKind::Error),
            1,
            "{}",
            diags.render_human(false)
        );
        assert_eq!(diags.count(ProblemKind::Warning), 1);
    }

    /// One loader for every source: a folder and the same files in memory
    /// give the same problems, word for word. The in-memory loader once
    /// worded a missing site.yaml without its hint and skipped the checks
    /// of folder and file names.
    #[test]
    fn a_folder_and_memory_give_the_same_problems() {
        let files = [
            (
                "register/CI-001.yaml",
                "title: t\nidentified: 2025-01-01\nstatus: planned\npriority: low\n",
            ),
            ("register/notes.txt", "x"),
            ("stray.txt", "x"),
        ];
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let (_, on_disk) = load(&Folder::new(dir.path()), None);
        let (_, in_memory) = load(&InMemory::new(dir.path(), files), None);
        let disk = on_disk.render_human(false);
        assert_eq!(disk, in_memory.render_human(false));
        for want in [
            "missing site.yaml",
            "create content/site.yaml",
            "not one of the register entries",
            "unexpected file",
        ] {
            assert!(disk.contains(want), "{want} in:\n{disk}");
        }
    }

    /// An empty folder in memory is a path ending in `/`, as on disk.
    #[test]
    fn an_empty_register_folder_in_memory_is_a_folder() {
        let files = [("site.yaml", "title: T\n"), ("register/", "")];
        let (reg, diags) = load(&InMemory::new(Path::new("c"), files), None);
        assert!(diags.is_empty(), "{}", diags.render_human(false));
        assert!(reg.is_some_and(|r| r.entries.is_empty()));
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
}
