//! Register entries: `register/*.yaml`, one entry or a list of them.
//!
//! Each field is read with its position; the cross-field rules of the spec
//! (history order, completion, effectiveness) are checked here, each
//! pointing at the field that breaks it.

use super::{opt, parse_yaml, stem};
use crate::content::yaml::{self, Ctx, Fields, Kind, Node};
use crate::model::diag::{Diagnostics, Pos};
use crate::model::schema::{self, Field, keys_of};
use crate::model::*;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The description `isms-site new entry` writes, for the author to
/// replace: `check` warns while it is still there.
pub const PLACEHOLDER_DESCRIPTION: &str = "What was found, where, and why it matters.";

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

/// Reads the text of one register file; `path` names it in messages and
/// gives single-entry files their default id.
pub fn read_register_text(
    path: &Path,
    text: &str,
    evidence: &HashSet<String>,
    diags: &mut Diagnostics,
) -> (Vec<Entry>, Vec<String>) {
    let mut out = Vec::new();
    let mut ids = Vec::new();
    let Some(node) = parse_yaml(text, 0, path, diags) else {
        return (out, ids);
    };
    let ctx = &mut Ctx { file: path, diags };
    match &node.kind {
        Kind::Seq(items) => {
            // A list of one is still a single-entry file: its id may
            // default to the file name, as for a plain mapping.
            let stem = stem(path);
            let default = (items.len() == 1).then_some(stem.as_str());
            for item in items {
                ids.extend(declared_id(item, default));
                out.extend(read_entry(item, default, evidence, ctx));
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

fn read_entry(
    node: &Node,
    default_id: Option<&str>,
    evidence: &HashSet<String>,
    ctx: &mut Ctx,
) -> Option<Entry> {
    let what = "register entry";
    let f = Fields::of(node, what, ctx)?;
    let known: Vec<&str> = Field::all().map(Field::key).collect();
    f.finish(&known, what, ctx);

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
    warn_placeholder(&f, description.as_deref(), ctx);
    let source = opt(&f, "source", ctx, yaml::enumeration::<Source>);
    let owner = opt(&f, "owner", ctx, yaml::required_text);
    let target = opt(&f, "target", ctx, yaml::date);
    let completed_field = opt(&f, "completed", ctx, completion);
    let outcome = opt(&f, "outcome", ctx, yaml::text);
    let entry_type =
        opt(&f, "type", ctx, yaml::enumeration::<EntryType>).unwrap_or(EntryType::Improvement);
    let benefit = opt(&f, "benefit", ctx, yaml::enumeration::<Level>);
    let effort = opt(&f, "effort", ctx, yaml::enumeration::<Level>);
    let resources = opt(&f, "resources", ctx, yaml::text);
    let (controls, controls_pos): (Vec<String>, Vec<Pos>) = f
        .get("controls")
        .map(|n| yaml::positioned_text_list(n, "controls", ctx))
        .unwrap_or_default()
        .into_iter()
        .unzip();
    let (risks, risks_pos): (Vec<String>, Vec<Pos>) = f
        .get("risks")
        .map(|n| yaml::positioned_text_list(n, "risks", ctx))
        .unwrap_or_default()
        .into_iter()
        .unzip();
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

    let visibility =
        opt(&f, "visibility", ctx, yaml::enumeration::<Visibility>).unwrap_or(Visibility::Internal);
    let nonconformity = f
        .get("nonconformity")
        .and_then(|n| read_nonconformity(n, ctx));
    let root_cause = opt(&f, "root_cause", ctx, yaml::text);
    let correction = opt(&f, "correction", ctx, yaml::text);
    let follows_up = read_id_refs(&f, "follows_up", ctx);
    let related = read_id_refs(&f, "related", ctx);

    let (id, title, identified, status, priority) = (id?, title?, identified?, status?, priority?);

    // Cross-field rules, each pointing at the field that breaks it.
    let completed_record = history
        .iter()
        .rev()
        .find(|h| h.status == Some(Status::Completed));
    let undated = completed_field == Some(Completion::Unknown);
    let completed_field = completed_field.and_then(Completion::date);
    let completed = completed_field.or_else(|| completed_record.map(|h| h.date));
    let completed_pos = match completed_field {
        Some(_) => f.get("completed").map(|n| n.pos),
        None if undated => f.get("completed").map(|n| n.pos),
        None => completed_record.map(|h| h.pos),
    };
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
    if status == Status::Completed && completed.is_none() && !undated {
        let pos = f.get("status").map(|n| n.pos).unwrap_or(f.pos);
        ctx.error(
            pos,
            "status is completed but there is no completion date",
            "add `completed: YYYY-MM-DD`, or a history record with `status: completed`; if nobody knows the date, write `completed: unknown`",
        );
    }
    if undated && (status != Status::Completed || completed.is_some()) {
        let pos = f.get("completed").map(|n| n.pos).unwrap_or(f.pos);
        let why = if completed.is_some() {
            "`completed: unknown`, but a history record dates the completion"
        } else {
            "`completed: unknown` on an entry that is not completed"
        };
        ctx.error(
            pos,
            why,
            "`unknown` is for a completed entry whose completion date nobody recorded; remove it, or give the date",
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

    let mut entry = Entry {
        id,
        title,
        description,
        source,
        identified,
        status,
        priority,
        owner,
        target: history.iter().rev().find_map(|h| h.target).or(target),
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
        visibility,
        origin: Origin {
            file: ctx.file.to_path_buf(),
            pos: f.pos,
        },
        target_pos: f.get("target").map(|n| n.pos),
        completed_pos,
        nonconformity,
        root_cause,
        correction,
        follows_up,
        related,
        controls_pos,
        risks,
        risks_pos,
        target_baseline: target,
        revisions: Revisions::default(),
    };
    fit(&mut entry);
    Some(entry)
}

/// Frees the spare capacity of an entry's lists. They grow by doubling as
/// records are read, and every entry is held for the whole build: the
/// spare room was about 16 MB at 50,000 synthetic entries (issue 27).
fn fit(e: &mut Entry) {
    e.controls.shrink_to_fit();
    e.controls_pos.shrink_to_fit();
    e.tags.shrink_to_fit();
    e.risks.shrink_to_fit();
    e.risks_pos.shrink_to_fit();
    e.history.shrink_to_fit();
    e.kpis.shrink_to_fit();
    for k in &mut e.kpis {
        k.measurements.shrink_to_fit();
    }
    e.links.shrink_to_fit();
    e.follows_up.shrink_to_fit();
    e.related.shrink_to_fit();
}

/// `follows_up` or `related`: register ids, each kept with its position
/// so that the cross-file check can point at a wrong one.
fn read_id_refs(f: &Fields, field: &str, ctx: &mut Ctx) -> Vec<IdRef> {
    f.get(field)
        .map(|n| yaml::positioned_text_list(n, field, ctx))
        .unwrap_or_default()
        .into_iter()
        .map(|(id, pos)| IdRef { id, pos })
        .collect()
}

fn read_nonconformity(node: &Node, ctx: &mut Ctx) -> Option<Nonconformity> {
    let what = "nonconformity";
    let f = Fields::of(node, what, ctx)?;
    f.finish(&keys_of(schema::NONCONFORMITY), what, ctx);
    let reference = f
        .required("ref", what, ctx)
        .and_then(|n| yaml::required_text(n, "ref", ctx));
    let severity = f
        .required("severity", what, ctx)
        .and_then(|n| yaml::enumeration::<Severity>(n, "severity", ctx));
    let raised = f
        .required("raised", what, ctx)
        .and_then(|n| yaml::date(n, "raised", ctx));
    let requirement = opt(&f, "requirement", ctx, yaml::required_text);
    let by = opt(&f, "by", ctx, yaml::required_text);
    let statement = opt(&f, "statement", ctx, yaml::text);
    Some(Nonconformity {
        reference: reference?,
        severity: severity?,
        requirement,
        raised: raised?,
        by,
        statement,
    })
}

/// Template text left in place would be published as if it were a
/// finding: said once, as a warning, where it is.
fn warn_placeholder(f: &Fields, description: Option<&str>, ctx: &mut Ctx) {
    if description.is_some_and(|d| d.trim() == PLACEHOLDER_DESCRIPTION)
        && let Some(n) = f.get("description")
    {
        ctx.diags
            .warning(
                ctx.file,
                n.pos,
                "`description` is still the placeholder text of `isms-site new`",
            )
            .hint("describe what was found, where, and why it matters, or remove the description");
    }
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
    if crate::content::files::is_reserved_name(&id) {
        ctx.error(
            pos,
            format!("id `{id}` cannot be published: the site writes register/{id} itself"),
            "choose another id; each entry's page is register/<id>/index.html",
        );
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
        f.finish(&keys_of(schema::HISTORY), "history record", ctx);
        let date = f
            .required("date", "history record", ctx)
            .and_then(|n| yaml::date(n, "date", ctx));
        let status = opt(&f, "status", ctx, yaml::enumeration::<Status>);
        let note = opt(&f, "note", ctx, yaml::text);
        let target = opt(&f, "target", ctx, yaml::date);
        let reason = opt(&f, "reason", ctx, yaml::text);
        if let Some(date) = date {
            out.push(HistoryRecord {
                date,
                pos: item.pos,
                status,
                note,
                target,
                reason,
            });
        }
    }
    out
}

fn read_effectiveness(node: &Node, ctx: &mut Ctx) -> Option<Effectiveness> {
    let what = "effectiveness review";
    let f = Fields::of(node, what, ctx)?;
    f.finish(&keys_of(schema::EFFECTIVENESS), what, ctx);
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
        f.finish(&keys_of(schema::KPI), "KPI", ctx);
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
                mf.finish(&keys_of(schema::MEASUREMENT), "measurement", ctx);
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

fn read_links(node: &Node, evidence: &HashSet<String>, ctx: &mut Ctx) -> Vec<Link> {
    let mut out = Vec::new();
    for item in yaml::strict_list(node, "links", ctx) {
        let Some(f) = Fields::of(item, "link", ctx) else {
            continue;
        };
        f.finish(&keys_of(schema::LINK), "link", ctx);
        let title = f
            .required("title", "link", ctx)
            .and_then(|n| yaml::required_text(n, "title", ctx));
        let Some(url_node) = f.required("url", "link", ctx) else {
            continue;
        };
        let Some(url) = yaml::required_text(url_node, "url", ctx) else {
            continue;
        };
        let target = if let Some(rest) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        {
            web_target(&url, rest, url_node.pos, ctx)
        } else {
            evidence_target(&url, url_node.pos, evidence, ctx)
        };
        if let (Some(title), Some(target)) = (title, target) {
            out.push(Link { title, target });
        }
    }
    out
}

/// A web link must be a URL a browser can open: readers click it on the
/// published page, and a typo like `https://` alone or `http://intra net/x`
/// would only show up there as a dead link.
fn web_target(url: &str, rest: &str, pos: Pos, ctx: &mut Ctx) -> Option<LinkTarget> {
    match web_url_problem(rest) {
        None => Some(LinkTarget::Web(url.to_string())),
        Some(problem) => {
            ctx.error(
                pos,
                format!("link `{url}` is not a valid URL: {problem}"),
                "write a full address such as `https://intranet.example.com/page`; \
                 encode spaces as %20",
            );
            None
        }
    }
}

/// What is wrong with the part of an http(s) URL after `://`, if anything.
fn web_url_problem(rest: &str) -> Option<&'static str> {
    if let Some(c) = rest
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\'))
    {
        return Some(if c.is_whitespace() {
            "it contains a space"
        } else if c.is_control() {
            "it contains a control character"
        } else {
            "it contains a character URLs do not allow (< > \" \\)"
        });
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = split_port(host_port);
    if host.is_empty() {
        return Some("it names no host");
    }
    if port.is_some_and(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Some("the port is not a number");
    }
    let host_ok = if let Some(ip6) = host.strip_prefix('[') {
        ip6.strip_suffix(']').is_some_and(|a| {
            !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        })
    } else {
        host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '%')
        })
    };
    (!host_ok).then_some("the host name is not valid")
}

/// Splits `host:port`, leaving an IPv6 literal's colons alone.
fn split_port(host_port: &str) -> (&str, Option<&str>) {
    if host_port.starts_with('[') {
        return match host_port.split_once("]:") {
            Some((h, p)) => (&host_port[..h.len() + 1], Some(p)),
            None => (host_port, None),
        };
    }
    match host_port.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (host_port, None),
    }
}

/// A link path must stay inside `evidence/` and name a file that is there.
fn evidence_target(
    url: &str,
    pos: Pos,
    evidence: &HashSet<String>,
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

/// Custom columns keep each value's text as written; an empty value
/// leaves the column out.
fn read_extra(node: &Node, ctx: &mut Ctx) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(f) = Fields::of(node, "extra columns", ctx) else {
        return out;
    };
    for (key, value, _) in f.keys() {
        let v = match &value.kind {
            Kind::Seq(_) | Kind::Map(_) => {
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
            _ => match value.written_text() {
                Some(text) => text,
                None => continue,
            },
        };
        out.insert(key.to_string(), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_links_must_parse_as_urls() {
        for bad in [
            "",
            "/path",
            "intra net/x",
            "host/a b",
            "host/\u{7}",
            "host:port/",
            "host:/",
            "-host.example/",
            "a..b/",
            "[zz]/",
            "user@/",
            "host/<script>",
        ] {
            assert!(web_url_problem(bad).is_some(), "{bad:?}");
        }
        for good in [
            "example.com",
            "intranet.example.com/page?q=1#x",
            "localhost:8080/",
            "[::1]:8443/a",
            "user@host.example/",
            "bücher.example/",
            "host/a%20b",
        ] {
            assert_eq!(web_url_problem(good), None, "{good:?}");
        }
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

/// What `completed:` says: a date, or that the date was never recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Completion {
    On(chrono::NaiveDate),
    /// `completed: unknown`: the entry is completed, on a day nobody wrote
    /// down (typically a row from an old spreadsheet). Kept out of every
    /// figure that needs the day, never dated by a guess.
    Unknown,
}

impl Completion {
    fn date(self) -> Option<chrono::NaiveDate> {
        match self {
            Completion::On(d) => Some(d),
            Completion::Unknown => None,
        }
    }
}

fn completion(node: &yaml::Node, field: &str, ctx: &mut Ctx) -> Option<Completion> {
    if node
        .scalar_text()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("unknown"))
    {
        return Some(Completion::Unknown);
    }
    yaml::date(node, field, ctx).map(Completion::On)
}
