//! Loading and validating the content folder.
//!
//! The loader reads every file (in parallel), turns each into typed model
//! values while collecting every problem, then checks the rules that span
//! files (unique ids, references, evidence). It returns a [`Register`] only
//! when there is no error, so nothing downstream sees half-valid content.

use crate::diag::{Diagnostics, Pos};
use crate::model::*;
use crate::yaml::{self, Ctx, Enumerated, Fields, Kind, Node};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

const ENTRY_FIELDS: &[&str] = &[
    "id",
    "title",
    "description",
    "source",
    "identified",
    "status",
    "priority",
    "owner",
    "target",
    "completed",
    "outcome",
    "type",
    "benefit",
    "effort",
    "resources",
    "controls",
    "tags",
    "lessons",
    "effectiveness",
    "history",
    "kpis",
    "links",
    "extra",
];
const SITE_FIELDS: &[&str] = &[
    "title",
    "organization",
    "description",
    "register",
    "base_url",
];
const PLAN_FIELDS: &[&str] = &["title", "entries", "owner", "updated", "milestones"];
const REVIEW_FIELDS: &[&str] = &["title", "date", "kind", "attendees", "entries"];

/// Files an editor leaves beside the real ones; never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

/// Reads and validates `content_dir`. Warnings are returned either way.
pub fn load(content_dir: &Path) -> (Option<Register>, Diagnostics) {
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

    let entry_results: Vec<(Vec<Entry>, Vec<String>, Diagnostics)> = layout
        .register
        .par_iter()
        .map(|path| load_register_file(path, &layout.evidence_set))
        .collect();
    let plan_results: Vec<(Option<Plan>, Diagnostics)> =
        layout.plans.par_iter().map(|p| load_plan(p)).collect();
    let review_results: Vec<(Option<Review>, Diagnostics)> =
        layout.reviews.par_iter().map(|p| load_review(p)).collect();

    let mut entries = Vec::new();
    let mut declared = Vec::new();
    for (mut list, mut ids, d) in entry_results {
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
    check_references(&declared, &plans, &reviews, &mut diags);

    entries.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    plans.sort_by(|a, b| a.slug.cmp(&b.slug));
    reviews.sort_by(|a, b| (a.date, &a.slug).cmp(&(b.date, &b.slug)));

    if diags.has_errors() {
        return (None, diags);
    }
    let Some(site) = site else {
        return (None, diags);
    };
    let register = Register::new(site, entries, plans, reviews, layout.evidence);
    (Some(register), diags)
}

/// The files of a content folder, sorted, by kind.
#[derive(Default)]
struct Layout {
    site: Option<PathBuf>,
    register: Vec<PathBuf>,
    plans: Vec<PathBuf>,
    reviews: Vec<PathBuf>,
    evidence: Vec<EvidenceFile>,
    /// Evidence paths (relative, `/`-separated) for link checks.
    evidence_set: std::collections::HashSet<String>,
}

fn sorted_dir(dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf, fs::FileType)> {
    let read = match fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            diags.error(dir, Pos::START, format!("cannot read folder: {e}"));
            return Vec::new();
        }
    };
    let mut out: Vec<_> = read
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let ty = e.file_type().ok()?;
            (!is_ignored_name(&name)).then(|| (name, e.path(), ty))
        })
        .collect();
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
                    .hint("the content folder holds site.yaml, register/, plans/, reviews/ and evidence/; move other files elsewhere");
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

/// Evidence is copied verbatim. Symbolic links are not followed: one could
/// point anywhere on the build machine and publish it.
fn scan_evidence(dir: &Path, prefix: &str, layout: &mut Layout, diags: &mut Diagnostics) {
    for (name, path, ty) in sorted_dir(dir, diags) {
        let rel = format!("{prefix}{name}");
        if ty.is_symlink() {
            diags
                .warning(
                    &path,
                    Pos::START,
                    "symbolic link in evidence/ is not published",
                )
                .hint("copy the file itself into evidence/");
        } else if ty.is_dir() {
            scan_evidence(&path, &format!("{rel}/"), layout, diags);
        } else if ty.is_file() {
            layout.evidence_set.insert(rel.clone());
            layout.evidence.push(EvidenceFile { rel, source: path });
        }
    }
}

fn read_text(path: &Path, diags: &mut Diagnostics) -> Option<String> {
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
            diags
                .error(path, e.pos, e.message)
                .hint("check indentation, quotes and `key: value` spacing at this point");
            None
        }
    }
}

fn load_site(path: &Path, diags: &mut Diagnostics) -> Option<Site> {
    let text = read_text(path, diags)?;
    let node = parse_yaml(&text, 0, path, diags)?;
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
    if let Some(reg) = f.get("register")
        && let Some(rf) = Fields::of(reg, "register header", ctx)
    {
        rf.finish(&["created", "responsible"], "register header", ctx);
        created = rf
            .get("created")
            .and_then(|n| yaml::date(n, "created", ctx));
        responsible = rf
            .get("responsible")
            .and_then(|n| yaml::text(n, "responsible", ctx));
    }
    Some(Site {
        title: title?,
        organization,
        description,
        created,
        responsible,
        base_url: base_url.map(|u| if u.ends_with('/') { u } else { format!("{u}/") }),
    })
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Ids become folder names in the output, so only a safe alphabet is
/// allowed: no separators, no leading dot, nothing a shell or URL mangles.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && id.len() <= 100
}

/// The id an entry declares, even when the entry is invalid: so that a
/// plan naming it is not reported as well (one mistake, one message).
fn declared_id(node: &Node, default_id: Option<&str>) -> Option<String> {
    let Kind::Map(pairs) = &node.kind else {
        return None;
    };
    pairs
        .iter()
        .find(|(k, _)| k.scalar_text().as_deref() == Some("id"))
        .and_then(|(_, v)| v.scalar_text())
        .or_else(|| default_id.map(str::to_string))
}

/// Reads one register file: its valid entries, and every id it declares.
fn load_register_file(
    path: &Path,
    evidence: &std::collections::HashSet<String>,
) -> (Vec<Entry>, Vec<String>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let (out, ids) = read_register_file(path, evidence, &mut diags);
    (out, ids, diags)
}

fn read_register_file(
    path: &Path,
    evidence: &std::collections::HashSet<String>,
    diags: &mut Diagnostics,
) -> (Vec<Entry>, Vec<String>) {
    let mut out = Vec::new();
    let mut ids = Vec::new();
    let Some(text) = read_text(path, diags) else {
        return (out, ids);
    };
    let Some(node) = parse_yaml(&text, 0, path, diags) else {
        return (out, ids);
    };
    let ctx = &mut Ctx { file: path, diags };
    match &node.kind {
        Kind::Seq(items) => {
            for item in items {
                ids.extend(declared_id(item, None));
                out.extend(read_entry(item, None, evidence, ctx));
            }
        }
        Kind::Map(_) => {
            ids.extend(declared_id(&node, Some(&stem(path))));
            out.extend(read_entry(&node, Some(&stem(path)), evidence, ctx));
        }
        Kind::Null => ctx.error(Pos::START, "empty register file", "write a register entry (a mapping with title, identified, status, priority) or delete the file"),
        _ => ctx.error(node.pos, format!("expected a register entry or a list of entries, found {}", node.type_name()), "a register file holds one entry (`title: ...` and its other fields) or a list of entries, each starting with `- `"),
    }
    (out, ids)
}

fn opt<T>(
    f: &Fields,
    name: &str,
    ctx: &mut Ctx,
    read: impl FnOnce(&Node, &str, &mut Ctx) -> Option<T>,
) -> Option<T> {
    f.get(name).and_then(|n| read(n, name, ctx))
}

fn read_entry(
    node: &Node,
    default_id: Option<&str>,
    evidence: &std::collections::HashSet<String>,
    ctx: &mut Ctx,
) -> Option<Entry> {
    let what = "register entry";
    let f = Fields::of(node, what, ctx)?;
    f.finish(ENTRY_FIELDS, what, ctx);

    let id = read_id(&f, default_id, ctx);
    let title = f
        .required("title", what, ctx)
        .and_then(|n| yaml::required_text(n, "title", ctx));
    let identified = f
        .required("identified", what, ctx)
        .and_then(|n| yaml::date(n, "identified", ctx));
    let status = f
        .required("status", what, ctx)
        .and_then(|n| yaml::enumeration::<Status>(n, "status", ctx));
    let priority = f
        .required("priority", what, ctx)
        .and_then(|n| yaml::enumeration::<Priority>(n, "priority", ctx));
    let description = opt(&f, "description", ctx, yaml::text);
    let source = opt(&f, "source", ctx, yaml::enumeration::<Source>);
    let owner = opt(&f, "owner", ctx, yaml::required_text);
    let target = opt(&f, "target", ctx, yaml::date);
    let completed_field = opt(&f, "completed", ctx, yaml::date);
    let outcome = opt(&f, "outcome", ctx, yaml::text);
    let entry_type =
        opt(&f, "type", ctx, yaml::enumeration::<EntryType>).unwrap_or(EntryType::Improvement);
    let benefit = opt(&f, "benefit", ctx, yaml::enumeration::<Level>);
    let effort = opt(&f, "effort", ctx, yaml::enumeration::<Level>);
    let resources = opt(&f, "resources", ctx, yaml::text);
    let controls = f
        .get("controls")
        .map(|n| yaml::text_list(n, "controls", ctx))
        .unwrap_or_default();
    let tags = f
        .get("tags")
        .map(|n| yaml::text_list(n, "tags", ctx))
        .unwrap_or_default();
    let lessons = opt(&f, "lessons", ctx, yaml::text);
    let effectiveness = f
        .get("effectiveness")
        .and_then(|n| read_effectiveness(n, ctx));
    let history = f
        .get("history")
        .map(|n| read_history(n, ctx))
        .unwrap_or_default();
    let kpis = f.get("kpis").map(|n| read_kpis(n, ctx)).unwrap_or_default();
    let links = f
        .get("links")
        .map(|n| read_links(n, evidence, ctx))
        .unwrap_or_default();
    let extra = f
        .get("extra")
        .map(|n| read_extra(n, ctx))
        .unwrap_or_default();

    let (id, title, identified, status, priority) = (id?, title?, identified?, status?, priority?);

    // Cross-field rules, each pointing at the field that breaks it.
    let completed = completed_field.or_else(|| {
        history
            .iter()
            .rev()
            .find(|h| h.status == Some(Status::Completed))
            .map(|h| h.date)
    });
    check_history(&f, &history, identified, status, ctx);
    if let Some(c) = completed
        && c < identified
    {
        let pos = f.get("completed").map(|n| n.pos).unwrap_or(f.pos);
        ctx.error(
            pos,
            format!("completed {c} is before identified {identified}"),
            "a completion date cannot precede the identification date",
        );
    }
    if status == Status::Completed && completed.is_none() {
        let pos = f.get("status").map(|n| n.pos).unwrap_or(f.pos);
        ctx.error(
            pos,
            "status is completed but there is no completion date",
            "add `completed: YYYY-MM-DD`, or a history record with `status: completed`",
        );
    }
    if let Some(eff) = &effectiveness {
        let pos = f.get("effectiveness").map(|n| n.pos).unwrap_or(f.pos);
        if status != Status::Completed {
            ctx.error(
                pos,
                format!(
                    "effectiveness review on an entry that is {}, not completed",
                    status.slug()
                ),
                "review effectiveness once the action is completed, or remove `effectiveness`",
            );
        } else if let Some(c) = completed.filter(|c| eff.date < *c) {
            ctx.error(
                pos,
                format!(
                    "effectiveness review dated {} is before completion on {c}",
                    eff.date
                ),
                "an effectiveness review comes after the action is completed",
            );
        }
    }

    Some(Entry {
        id,
        title,
        description,
        source,
        identified,
        status,
        priority,
        owner,
        target,
        completed,
        outcome,
        entry_type,
        benefit,
        effort,
        resources,
        controls,
        tags,
        lessons,
        effectiveness,
        history,
        kpis,
        links,
        extra,
        origin: Origin {
            file: ctx.file.to_path_buf(),
            pos: f.pos,
        },
        target_pos: f.get("target").map(|n| n.pos),
    })
}

fn read_id(f: &Fields, default_id: Option<&str>, ctx: &mut Ctx) -> Option<String> {
    let (id, pos) = match f.get("id") {
        Some(n) => (yaml::required_text(n, "id", ctx)?, n.pos),
        None => match default_id {
            Some(stem) => (stem.to_string(), f.pos),
            None => {
                ctx.error(
                    f.pos,
                    "missing required field `id` in register entry",
                    "entries in a file that holds a list need their own `id`",
                );
                return None;
            }
        },
    };
    if !is_valid_id(&id) {
        let from = if f.get("id").is_some() {
            "id"
        } else {
            "id (taken from the file name)"
        };
        ctx.error(pos, format!("invalid {from} `{id}`"), "ids start with a letter or digit and use only letters, digits, `.`, `_` and `-` (e.g. CI-001)");
        return None;
    }
    Some(id)
}

fn check_history(
    f: &Fields,
    history: &[HistoryRecord],
    identified: chrono::NaiveDate,
    status: Status,
    ctx: &mut Ctx,
) {
    if let Some(first) = history.first()
        && first.date < identified
    {
        ctx.error(
            first.pos,
            format!(
                "history record dated {} is before identified {identified}",
                first.date
            ),
            "progress cannot be logged before the opportunity was identified",
        );
    }
    for pair in history.windows(2) {
        if pair[1].date < pair[0].date {
            ctx.error(
                pair[1].pos,
                format!(
                    "history is out of date order: {} comes after {}",
                    pair[1].date, pair[0].date
                ),
                "list history records oldest first",
            );
        }
    }
    if let Some(last) = history.iter().rev().find_map(|h| h.status)
        && last != status
    {
        let pos = f.get("status").map(|n| n.pos).unwrap_or(f.pos);
        ctx.error(
            pos,
            format!(
                "status is {} but the last status in history is {}",
                status.slug(),
                last.slug()
            ),
            "add a history record for the latest status change, or correct `status`",
        );
    }
}

fn read_history(node: &Node, ctx: &mut Ctx) -> Vec<HistoryRecord> {
    let mut out = Vec::new();
    for item in yaml::strict_list(node, "history", ctx) {
        let Some(f) = Fields::of(item, "history record", ctx) else {
            continue;
        };
        f.finish(&["date", "status", "note"], "history record", ctx);
        let date = f
            .required("date", "history record", ctx)
            .and_then(|n| yaml::date(n, "date", ctx));
        let status = opt(&f, "status", ctx, yaml::enumeration::<Status>);
        let note = opt(&f, "note", ctx, yaml::text);
        if let Some(date) = date {
            out.push(HistoryRecord {
                date,
                pos: item.pos,
                status,
                note,
            });
        }
    }
    out
}

fn read_effectiveness(node: &Node, ctx: &mut Ctx) -> Option<Effectiveness> {
    let what = "effectiveness review";
    let f = Fields::of(node, what, ctx)?;
    f.finish(&["date", "result", "by", "note"], what, ctx);
    let date = f
        .required("date", what, ctx)
        .and_then(|n| yaml::date(n, "date", ctx));
    let result = f
        .required("result", what, ctx)
        .and_then(|n| yaml::enumeration::<EffectivenessResult>(n, "result", ctx));
    let by = opt(&f, "by", ctx, yaml::text);
    let note = opt(&f, "note", ctx, yaml::text);
    Some(Effectiveness {
        date: date?,
        result: result?,
        by,
        note,
    })
}

fn read_kpis(node: &Node, ctx: &mut Ctx) -> Vec<Kpi> {
    let mut out = Vec::new();
    for item in yaml::strict_list(node, "kpis", ctx) {
        let Some(f) = Fields::of(item, "KPI", ctx) else {
            continue;
        };
        f.finish(
            &[
                "name",
                "unit",
                "baseline",
                "target",
                "direction",
                "measurements",
            ],
            "KPI",
            ctx,
        );
        let name = f
            .required("name", "KPI", ctx)
            .and_then(|n| yaml::required_text(n, "name", ctx));
        let unit = opt(&f, "unit", ctx, yaml::text);
        let baseline = opt(&f, "baseline", ctx, yaml::number);
        let target = opt(&f, "target", ctx, yaml::number);
        let direction = f
            .required("direction", "KPI", ctx)
            .and_then(|n| yaml::enumeration::<Direction>(n, "direction", ctx));
        let mut measurements = Vec::new();
        if let Some(m) = f.get("measurements") {
            for mi in yaml::strict_list(m, "measurements", ctx) {
                let Some(mf) = Fields::of(mi, "measurement", ctx) else {
                    continue;
                };
                mf.finish(&["date", "value"], "measurement", ctx);
                let date = mf
                    .required("date", "measurement", ctx)
                    .and_then(|n| yaml::date(n, "date", ctx));
                let value = mf
                    .required("value", "measurement", ctx)
                    .and_then(|n| yaml::number(n, "value", ctx));
                if let (Some(date), Some(value)) = (date, value) {
                    measurements.push(Measurement { date, value });
                }
            }
        }
        measurements.sort_by_key(|m| m.date);
        if let (Some(name), Some(direction)) = (name, direction) {
            out.push(Kpi {
                name,
                unit,
                baseline,
                target,
                direction,
                measurements,
            });
        }
    }
    out
}

fn read_links(
    node: &Node,
    evidence: &std::collections::HashSet<String>,
    ctx: &mut Ctx,
) -> Vec<Link> {
    let mut out = Vec::new();
    for item in yaml::strict_list(node, "links", ctx) {
        let Some(f) = Fields::of(item, "link", ctx) else {
            continue;
        };
        f.finish(&["title", "url"], "link", ctx);
        let title = f
            .required("title", "link", ctx)
            .and_then(|n| yaml::required_text(n, "title", ctx));
        let Some(url_node) = f.required("url", "link", ctx) else {
            continue;
        };
        let Some(url) = yaml::required_text(url_node, "url", ctx) else {
            continue;
        };
        let target = if url.starts_with("https://") || url.starts_with("http://") {
            Some(LinkTarget::Web(url))
        } else {
            evidence_target(&url, url_node.pos, evidence, ctx)
        };
        if let (Some(title), Some(target)) = (title, target) {
            out.push(Link { title, target });
        }
    }
    out
}

/// A link path must stay inside `evidence/` and name a file that is there.
fn evidence_target(
    url: &str,
    pos: Pos,
    evidence: &std::collections::HashSet<String>,
    ctx: &mut Ctx,
) -> Option<LinkTarget> {
    let Some(rest) = url.strip_prefix("evidence/") else {
        ctx.error(
            pos,
            format!("link `{url}` is neither an http(s) URL nor a path under evidence/"),
            "write `https://...` or `evidence/<file>` for a file in content/evidence/",
        );
        return None;
    };
    let leaves = rest.contains('\\')
        || rest
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..");
    if leaves {
        ctx.error(
            pos,
            format!("link `{url}` leaves the evidence/ folder"),
            "evidence links name a file inside content/evidence/ without `..`",
        );
        return None;
    }
    if !evidence.contains(rest) {
        let hint = format!("put the file at content/evidence/{rest}, or correct the path");
        ctx.error(pos, format!("evidence file not found: `{url}`"), hint);
        return None;
    }
    Some(LinkTarget::Evidence(rest.to_string()))
}

fn read_extra(node: &Node, ctx: &mut Ctx) -> BTreeMap<String, ExtraValue> {
    let mut out = BTreeMap::new();
    let Some(f) = Fields::of(node, "extra columns", ctx) else {
        return out;
    };
    for (key, value, _) in f.keys() {
        let v = match &value.kind {
            Kind::Str(s) => ExtraValue::Text(s.clone()),
            Kind::Int(i) => ExtraValue::Int(*i),
            Kind::Float(x) => ExtraValue::Float(*x),
            Kind::Bool(b) => ExtraValue::Bool(*b),
            Kind::Null => continue,
            _ => {
                ctx.error(
                    value.pos,
                    format!(
                        "extra column `{key}` must be a single value, found {}",
                        value.type_name()
                    ),
                    "custom columns hold text, numbers or true/false",
                );
                continue;
            }
        };
        out.insert(key.to_string(), v);
    }
    out
}

/// Splits `---\nyaml\n---\nbody`. Returns the YAML, its first line number
/// minus one (to shift positions), and the body.
pub fn split_front_matter(text: &str) -> Option<(&str, u32, &str)> {
    let rest = text.strip_prefix("---")?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((yaml, 1, body));
        }
        offset += line.len();
    }
    None
}

fn front_matter<'t>(
    path: &Path,
    text: &'t str,
    diags: &mut Diagnostics,
) -> Option<(Node, &'t str)> {
    let Some((yaml_text, offset, body)) = split_front_matter(text) else {
        diags
            .error(path, Pos::START, "missing front matter")
            .hint("start the file with a `---` line, the YAML fields, and another `---` line before the Markdown");
        return None;
    };
    let node = parse_yaml(yaml_text, offset, path, diags)?;
    Some((node, body))
}

fn load_plan(path: &Path) -> (Option<Plan>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let plan = (|| {
        let text = read_text(path, &mut diags)?;
        let (node, body) = front_matter(path, &text, &mut diags)?;
        let ctx = &mut Ctx {
            file: path,
            diags: &mut diags,
        };
        let what = "plan front matter";
        let f = Fields::of(&node, what, ctx)?;
        f.finish(PLAN_FIELDS, what, ctx);
        let title = f
            .required("title", what, ctx)
            .and_then(|n| yaml::required_text(n, "title", ctx));
        let refs = read_entry_refs(&f, true, what, ctx);
        let owner = opt(&f, "owner", ctx, yaml::text);
        let updated = opt(&f, "updated", ctx, yaml::date);
        let mut milestones = Vec::new();
        if let Some(m) = f.get("milestones") {
            for item in yaml::strict_list(m, "milestones", ctx) {
                let Some(mf) = Fields::of(item, "milestone", ctx) else {
                    continue;
                };
                mf.finish(&["title", "due", "done"], "milestone", ctx);
                let title = mf
                    .required("title", "milestone", ctx)
                    .and_then(|n| yaml::required_text(n, "title", ctx));
                let due = opt(&mf, "due", ctx, yaml::date);
                let done = opt(&mf, "done", ctx, yaml::date);
                if let Some(title) = title {
                    milestones.push(Milestone {
                        title,
                        due,
                        done,
                        pos: item.pos,
                    });
                }
            }
        }
        Some(Plan {
            slug: stem(path),
            title: title?,
            entries: refs.clone()?.0,
            entry_pos: refs?.1,
            owner,
            updated,
            milestones,
            body: body.to_string(),
            origin: Origin {
                file: path.to_path_buf(),
                pos: node.pos,
            },
        })
    })();
    (plan, diags)
}

/// The ids a plan or review names, each with its position for messages.
fn read_entry_refs(
    f: &Fields,
    required: bool,
    what: &str,
    ctx: &mut Ctx,
) -> Option<(Vec<String>, Vec<Pos>)> {
    let node = if required {
        f.required("entries", what, ctx)?
    } else {
        match f.get("entries") {
            Some(n) => n,
            None => return Some((Vec::new(), Vec::new())),
        }
    };
    let (ids, positions): (Vec<String>, Vec<Pos>) = yaml::list(node)
        .into_iter()
        .filter_map(|n| yaml::required_text(n, "entries", ctx).map(|id| (id, n.pos)))
        .unzip();
    if required && ids.is_empty() {
        ctx.error(
            node.pos,
            "`entries` must name at least one register id",
            "e.g. `entries: [CI-001]`",
        );
        return None;
    }
    Some((ids, positions))
}

fn load_review(path: &Path) -> (Option<Review>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let review = (|| {
        let text = read_text(path, &mut diags)?;
        let (node, body) = front_matter(path, &text, &mut diags)?;
        let ctx = &mut Ctx {
            file: path,
            diags: &mut diags,
        };
        let what = "review front matter";
        let f = Fields::of(&node, what, ctx)?;
        f.finish(REVIEW_FIELDS, what, ctx);
        let title = f
            .required("title", what, ctx)
            .and_then(|n| yaml::required_text(n, "title", ctx));
        let date = f
            .required("date", what, ctx)
            .and_then(|n| yaml::date(n, "date", ctx));
        let kind = opt(&f, "kind", ctx, yaml::enumeration::<ReviewKind>)
            .unwrap_or(ReviewKind::ManagementReview);
        let attendees = f
            .get("attendees")
            .map(|n| yaml::text_list(n, "attendees", ctx))
            .unwrap_or_default();
        let refs = read_entry_refs(&f, false, what, ctx);
        Some(Review {
            slug: stem(path),
            title: title?,
            date: date?,
            kind,
            attendees,
            entries: refs.clone()?.0,
            entry_pos: refs?.1,
            body: body.to_string(),
            origin: Origin {
                file: path.to_path_buf(),
                pos: node.pos,
            },
        })
    })();
    (review, diags)
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
                    .hint("ids are unique ignoring case; give one of them the next free id");
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
fn check_references(
    declared: &[String],
    plans: &[Plan],
    reviews: &[Review],
    diags: &mut Diagnostics,
) {
    let ids: std::collections::HashSet<String> =
        declared.iter().map(|id| id.to_lowercase()).collect();
    let known: Vec<&str> = declared.iter().map(String::as_str).collect();
    let mut check = |list: &[String], positions: &[Pos], origin: &Origin| {
        for (id, pos) in list.iter().zip(positions) {
            if !ids.contains(&id.to_lowercase()) {
                let hint = match yaml::nearest(id, &known) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name an id from content/register/".to_string(),
                };
                diags
                    .error(
                        &origin.file,
                        *pos,
                        format!("`entries` names `{id}`, which is not a register id"),
                    )
                    .hint(hint);
            }
        }
    };
    for p in plans {
        check(&p.entries, &p.entry_pos, &p.origin);
    }
    for r in reviews {
        check(&r.entries, &r.entry_pos, &r.origin);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_splits_and_reports_line_offset() {
        let (y, off, body) = split_front_matter("---\ntitle: x\n---\n# Body\n").unwrap();
        assert_eq!(y, "title: x\n");
        assert_eq!(off, 1);
        assert_eq!(body, "# Body\n");
        assert!(split_front_matter("title: x\n").is_none());
        assert!(split_front_matter("---\ntitle: x\n").is_none());
    }

    #[test]
    fn ids_that_could_escape_the_output_are_invalid() {
        for bad in ["../x", "a/b", ".hidden", "", "a b", "a\\b", "-x"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
        for good in ["CI-001", "nc.2025.3", "A_1"] {
            assert!(is_valid_id(good), "{good}");
        }
    }
}
