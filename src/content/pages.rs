//! Plans and review notes: Markdown files with YAML front matter.

use super::{opt, parse_yaml, stem};
use crate::content::yaml::{self, Ctx, Fields, Node};
use crate::model::diag::{Diagnostics, Pos};
use crate::model::*;
use std::path::Path;

const PLAN_FIELDS: &[&str] = &[
    "title",
    "entries",
    "owner",
    "updated",
    "milestones",
    "visibility",
    "approved",
];

const REVIEW_FIELDS: &[&str] = &[
    "title",
    "date",
    "kind",
    "attendees",
    "entries",
    "visibility",
    "approved",
    "decisions",
];

/// The fields of one item of a review's `decisions:`.
const DECISION_FIELDS: &[&str] = &["text", "entries", "owner", "due"];

/// A review's `decisions:` (9.3.3), each `{text, entries?, owner?, due?}`.
/// Every problem is reported; a decision with one is left out.
fn read_decisions(f: &Fields, ctx: &mut Ctx) -> Vec<Decision> {
    let Some(list) = f.get("decisions") else {
        return Vec::new();
    };
    let what = "decision";
    let mut out = Vec::new();
    for item in yaml::strict_list(list, "decisions", ctx) {
        let Some(df) = Fields::of(item, what, ctx) else {
            continue;
        };
        df.finish(DECISION_FIELDS, what, ctx);
        let text = df
            .required("text", what, ctx)
            .and_then(|n| yaml::required_text(n, "text", ctx));
        let refs = read_entry_refs(&df, false, what, ctx);
        let owner = opt(&df, "owner", ctx, yaml::text);
        let due = opt(&df, "due", ctx, yaml::date);
        if let (Some(text), Some((entries, entry_pos))) = (text, refs) {
            out.push(Decision {
                text,
                entries,
                entry_pos,
                owner,
                due,
            });
        }
    }
    out
}

/// `approved: {by, date, revision?}` of a plan or review.
fn read_approval(f: &Fields, ctx: &mut Ctx) -> Option<Approval> {
    let what = "approval";
    let node = f.get("approved")?;
    let af = Fields::of(node, what, ctx)?;
    af.finish(&["by", "date", "revision"], what, ctx);
    let by = af
        .required("by", what, ctx)
        .and_then(|n| yaml::required_text(n, "by", ctx));
    let date = af
        .required("date", what, ctx)
        .and_then(|n| yaml::date(n, "date", ctx));
    let revision = match af.get("revision") {
        Some(n) => Some((read_revision(n, ctx)?, n.pos)),
        None => None,
    };
    Some(Approval {
        by: by?,
        date: date?,
        pos: revision.as_ref().map_or(node.pos, |r| r.1),
        revision: revision.map(|r| r.0),
        since: None,
    })
}

/// An approval's `revision`: a commit id, full (40 hex digits) or
/// abbreviated to no fewer than 7, as `git log --oneline` prints it.
fn read_revision(n: &Node, ctx: &mut Ctx) -> Option<String> {
    let text = yaml::required_text(n, "revision", ctx)?;
    let id = text.trim().to_ascii_lowercase();
    if (7..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(id);
    }
    ctx.error(
        n.pos,
        "`revision` must be a commit id: 7 to 40 hexadecimal digits",
        "copy it from `git log --oneline -- FILE`, e.g. `revision: 3f9a1c2`",
    );
    None
}

/// `visibility:` of a plan or review; `internal` when absent.
fn read_visibility(f: &Fields, ctx: &mut Ctx) -> Visibility {
    opt(f, "visibility", ctx, yaml::enumeration::<Visibility>).unwrap_or(Visibility::Internal)
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
    check_body_chars(path, text, body, diags);
    let node = parse_yaml(yaml_text, offset, path, diags)?;
    Some((node, body))
}

/// The Markdown body is held to the rule YAML values are held to
/// ([`yaml::is_unsafe_text_char`]): a raw ESC, BEL or bidirectional
/// override would reach the page, and a terminal showing the file, as it
/// is. The first one is refused where it stands, as in a YAML value.
fn check_body_chars(path: &Path, text: &str, body: &str, diags: &mut Diagnostics) {
    let Some(at) = body.find(yaml::is_unsafe_text_char) else {
        return;
    };
    let c = body[at..].chars().next().unwrap_or_default();
    let before = &text[..text.len().saturating_sub(body.len()) + at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let pos = Pos::new(
        before.matches('\n').count() as u32 + 1,
        before[line_start..].chars().count() as u32 + 1,
    );
    let (what, hint) = yaml::unsafe_char_problem(c);
    diags
        .error(path, pos, format!("text holds {what}"))
        .hint(hint);
}

/// A plan's or review's file stem names its page's folder in `dir`: it
/// must not take the name of a file the site writes there.
fn check_slug(path: &Path, dir: &str, diags: &mut Diagnostics) {
    let slug = stem(path);
    if crate::content::files::is_reserved_name(&slug) {
        diags
            .error(
                path,
                Pos::START,
                format!(
                    "file name `{slug}.md` cannot be published: the site writes {dir}/{slug} itself"
                ),
            )
            .hint(format!(
                "rename the file; its name without .md becomes the folder {dir}/<name>/"
            ));
    }
}

/// The objective `isms-site new plan` writes, for the author to replace:
/// `check` warns while it is still there.
pub const PLACEHOLDER_OBJECTIVE: &str = "What this plan achieves, and how we will know.";

/// Template text left in a plan would be published as its objective.
fn warn_placeholder(path: &Path, text: &str, body: &str, diags: &mut Diagnostics) {
    let Some(at) = body.find(PLACEHOLDER_OBJECTIVE) else {
        return;
    };
    let before = &text[..text.len().saturating_sub(body.len()) + at];
    let line = before.matches('\n').count() as u32 + 1;
    diags
        .warning(
            path,
            Pos::new(line, 1),
            "the objective is still the placeholder text of `isms-site new`",
        )
        .hint("say what this plan achieves and how you will know, or remove the sentence");
}

/// A plan from its file's text; `path` names it and gives its slug.
pub(super) fn plan_from_text(path: &Path, text: &str, diags: &mut Diagnostics) -> Option<Plan> {
    check_slug(path, "plans", diags);
    let (node, body) = front_matter(path, text, diags)?;
    if text.ends_with(body) {
        warn_placeholder(path, text, body, diags);
    }
    let ctx = &mut Ctx { file: path, diags };
    let what = "plan front matter";
    let f = Fields::of(&node, what, ctx)?;
    f.finish(PLAN_FIELDS, what, ctx);
    let title = f
        .required("title", what, ctx)
        .and_then(|n| yaml::required_text(n, "title", ctx));
    let refs = read_entry_refs(&f, true, what, ctx);
    let owner = opt(&f, "owner", ctx, yaml::text);
    let visibility = read_visibility(&f, ctx);
    let updated = opt(&f, "updated", ctx, yaml::date);
    let approved = read_approval(&f, ctx);
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
        visibility,
        origin: Origin {
            file: path.to_path_buf(),
            pos: node.pos,
        },
        approved,
        revisions: Revisions::default(),
    })
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

/// A review from its file's text; `path` names it and gives its slug.
pub(super) fn review_from_text(path: &Path, text: &str, diags: &mut Diagnostics) -> Option<Review> {
    check_slug(path, "reviews", diags);
    let (node, body) = front_matter(path, text, diags)?;
    let ctx = &mut Ctx { file: path, diags };
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
    let visibility = read_visibility(&f, ctx);
    let approved = read_approval(&f, ctx);
    let decisions = read_decisions(&f, ctx);
    Some(Review {
        slug: stem(path),
        title: title?,
        date: date?,
        kind,
        attendees,
        entries: refs.clone()?.0,
        entry_pos: refs?.1,
        body: body.to_string(),
        visibility,
        origin: Origin {
            file: path.to_path_buf(),
            pos: node.pos,
        },
        approved,
        decisions,
        revisions: Revisions::default(),
    })
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
        let (y, _, body) = split_front_matter("---\r\ntitle: x\r\n---\r\nbody").unwrap();
        assert_eq!((y, body), ("title: x\r\n", "body"));
    }
}
