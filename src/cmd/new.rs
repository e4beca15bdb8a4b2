//! `new entry|plan|review "Title"`: a new content file that passes `check`
//! as written, with the optional fields shown as comments to fill in.

use crate::content;
use crate::model::Enumerated;
use crate::model::diag::{shown, terminal_safe};
use crate::model::{ReviewKind, Visibility, json_schema, schema};
use crate::output::urls::slugify;
use chrono::NaiveDate;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Entry,
    Plan,
    Review,
}

pub struct Request<'a> {
    pub content: &'a Path,
    pub kind: Kind,
    pub title: &'a str,
    pub today: NaiveDate,
    /// Register ids a plan or review names.
    pub entries: &'a [String],
}

/// Writes the new file and returns its path. Never overwrites a file.
pub fn create(req: &Request) -> Result<PathBuf, String> {
    let title = req.title.trim();
    if title.is_empty() {
        return Err(
            "the title is empty; give one, e.g. `new entry \"Patch SLA for servers\"`".into(),
        );
    }
    check_title(title)?;
    if !req.content.is_dir() {
        return Err(format!(
            "{}: no content folder here; run this in your project folder or pass --content DIR",
            req.content.display()
        ));
    }
    let ids = content::declared_ids(req.content);
    let (path, text) = match req.kind {
        Kind::Entry => {
            let dir = req.content.join("register");
            let id = next_free(&ids, |id| dir.join(format!("{id}.yaml")).exists());
            (
                dir.join(format!("{id}.yaml")),
                entry_text(&id, title, req.today),
            )
        }
        Kind::Plan => {
            let entries = plan_entries(req.entries, &ids)?;
            let path = free_path(&req.content.join("plans"), &slugify(title));
            (path, plan_text(title, &entries, req.today))
        }
        Kind::Review => {
            let slug = slugify(title);
            let dated = if starts_with_year(&slug) {
                slug
            } else {
                format!("{}-{slug}", req.today.format("%Y-%m"))
            };
            let path = free_path(&req.content.join("reviews"), &dated);
            (path, review_text(title, req.entries, req.today))
        }
    };
    write_new(&path, &text)?;
    Ok(path)
}

/// The id after the highest one of the register's most common pattern
/// (`CI-040` → `CI-041`, keeping the zero padding), skipping taken ones.
pub fn next_id(ids: &[String]) -> String {
    next_free(ids, |_| false)
}

fn next_free(ids: &[String], taken: impl Fn(&str) -> bool) -> String {
    let numbered: Vec<(&str, &str, u64)> = ids.iter().filter_map(|id| split_number(id)).collect();
    let Some(prefix) = most_common_prefix(&numbered) else {
        return "CI-001".into();
    };
    let same: Vec<&(&str, &str, u64)> = numbered
        .iter()
        .filter(|n| n.0.eq_ignore_ascii_case(prefix))
        .collect();
    let width = same.iter().map(|n| n.1.len()).max().unwrap_or(3);
    let mut next = same.iter().map(|n| n.2).max().unwrap_or(0);
    let lower: Vec<String> = ids.iter().map(|i| i.to_lowercase()).collect();
    loop {
        next = next.saturating_add(1);
        let id = format!("{prefix}{next:0width$}");
        if !lower.contains(&id.to_lowercase()) && !taken(&id) {
            return id;
        }
    }
}

/// `CI-007` → (`CI-`, `007`, 7); ids without trailing digits have no number.
fn split_number(id: &str) -> Option<(&str, &str, u64)> {
    let digits_from = id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (prefix, digits) = id.split_at(digits_from);
    let n = digits.parse().ok()?;
    Some((prefix, digits, n))
}

/// The prefix most ids share, ignoring case as ids do; on a tie, the one
/// with the highest number (the pattern in use most recently). Spelled as
/// in that highest id.
fn most_common_prefix<'a>(numbered: &[(&'a str, &str, u64)]) -> Option<&'a str> {
    let mut groups: std::collections::BTreeMap<String, (usize, u64, &'a str)> = Default::default();
    for &(prefix, _, n) in numbered {
        let g = groups
            .entry(prefix.to_lowercase())
            .or_insert((0, n, prefix));
        g.0 += 1;
        if n >= g.1 {
            (g.1, g.2) = (n, prefix);
        }
    }
    groups
        .into_values()
        .max_by_key(|&(count, max, _)| (count, max))
        .map(|(_, _, spelling)| spelling)
}

/// A plan must name at least one entry: the ones given, else the newest.
fn plan_entries(given: &[String], ids: &[String]) -> Result<Vec<String>, String> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let mut known: Vec<&String> = ids.iter().collect();
    known.sort_by(|a, b| crate::model::natural_cmp(a, b));
    known.last().map(|id| vec![id.to_string()]).ok_or_else(|| {
        "a plan names at least one register entry and the register is empty; \
             create an entry first, or pass --entry ID"
            .into()
    })
}

fn starts_with_year(slug: &str) -> bool {
    slug.len() >= 5 && slug[..4].bytes().all(|b| b.is_ascii_digit()) && &slug[4..5] == "-"
}

fn free_path(dir: &Path, stem: &str) -> PathBuf {
    let stem = if stem.is_empty() { "untitled" } else { stem };
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.md")),
            n => dir.join(format!("{stem}-{n}.md")),
        })
        .find(|p| !p.exists())
        .expect("some numbered name is free")
}

/// Creates the file only if it does not exist, so a race with another
/// `new` or an editor never overwrites anything.
pub(super) fn write_new(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// A title with a character no content text may hold (a DEL, an escape,
/// a bidirectional override) is refused: written out, the loader would
/// refuse the file.
pub(super) fn check_title(title: &str) -> Result<(), String> {
    match title
        .chars()
        .find(|c| crate::content::yaml::is_unsafe_text_char(*c))
    {
        Some(c) => {
            let (what, _) = crate::content::yaml::unsafe_char_problem(c);
            Err(format!(
                "the title holds {what}, which no text in the content may hold; \
                 give a title of letters, digits, spaces and punctuation"
            ))
        }
        None => Ok(()),
    }
}

/// The suggested date `days` after `today`, but no later than 9999-12-31:
/// content dates have four-digit years.
fn days_after(today: NaiveDate, days: u64) -> NaiveDate {
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    today
        .checked_add_days(chrono::Days::new(days))
        .map_or(last, |d| d.min(last))
}

/// A YAML string that stays a string whatever the title holds (`no`,
/// `12`, `a: b`, quotes): JSON's quoted form is valid YAML.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn choices<T: Enumerated>() -> String {
    T::ALL
        .iter()
        .map(|v| v.slug())
        .collect::<Vec<_>>()
        .join(", ")
}

fn entry_text(id: &str, title: &str, today: NaiveDate) -> String {
    entry_template(id, title, today, content::PLACEHOLDER_DESCRIPTION)
}

/// A register entry with `description`, and every optional field as a
/// comment to fill in (`init` gives a real description; `new` the
/// placeholder that `check` warns about until it is replaced). Each
/// field's line is the schema's (see [`crate::model::schema::ENTRY`]); the
/// first line points editors at the JSON Schema `isms-site schema` and
/// `init` write into `content/.schema/`.
pub(super) fn entry_template(id: &str, title: &str, today: NaiveDate, description: &str) -> String {
    let description: String = description.lines().map(|l| format!("  {l}\n")).collect();
    format!(
        "{modeline}\
         # A register entry: fill in what you know, then run `isms-site check`.\n\
         # Lines starting with # are comments: remove the # to use a field.\n\
         {fields}",
        modeline = json_schema::modeline(json_schema::FROM_REGISTER, json_schema::REGISTER_SCHEMA),
        fields = schema::template(
            id,
            &quoted(title),
            today,
            days_after(today, 90),
            description.trim_end_matches('\n'),
        ),
    )
}

fn plan_text(title: &str, entries: &[String], today: NaiveDate) -> String {
    plan_template(title, entries, today, content::PLACEHOLDER_OBJECTIVE)
}

/// A plan with `objective` under its first heading (`init` gives a real
/// one; `new` the placeholder that `check` warns about).
pub(super) fn plan_template(
    title: &str,
    entries: &[String],
    today: NaiveDate,
    objective: &str,
) -> String {
    format!(
        "---\n\
         title: {title}\n\
         entries: [{entries}]  # the register entries this plan carries out\n\
         # owner: Head of IT\n\
         # visibility: internal  # {visibilities}\n\
         updated: {today}\n\
         # milestones:\n\
         #   - title: First milestone\n\
         #     due: {due}\n\
         #     done: {due}  # when it was reached\n\
         ---\n\
         ## Objective\n\n\
         {objective}\n\n\
         ## Approach\n\n\
         - [ ] First step\n",
        title = quoted(title),
        entries = entries
            .iter()
            .map(|e| quoted(e))
            .collect::<Vec<_>>()
            .join(", "),
        due = days_after(today, 30),
        visibilities = choices::<Visibility>(),
    )
}

pub(super) fn review_text(title: &str, entries: &[String], today: NaiveDate) -> String {
    let entries = if entries.is_empty() {
        "# entries: [CI-001]  # register entries discussed\n".to_string()
    } else {
        format!(
            "entries: [{}]  # register entries discussed\n",
            entries
                .iter()
                .map(|e| quoted(e))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!(
        "---\n\
         title: {title}\n\
         date: {today}\n\
         kind: {kind}  # {kinds}\n\
         # attendees: [CISO, ISMS Manager]\n\
         # visibility: internal  # {visibilities}\n\
         {entries}\
         ---\n\
         ## Inputs\n\n\
         ## Decisions and actions\n",
        title = quoted(title),
        kind = ReviewKind::ALL[0].slug(),
        kinds = choices::<ReviewKind>(),
        visibilities = choices::<Visibility>(),
    )
}

/// `isms-site new`: writes the file and prints its path.
pub(super) fn run(req: &Request) -> i32 {
    match create(req) {
        Ok(path) => super::print_bytes(format!("{}\n", shown(&path)).as_bytes()),
        Err(e) => {
            crate::content::stdio::errln!("error: {}", terminal_safe(&e.to_string()));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn next_id_follows_the_pattern_in_use() {
        assert_eq!(next_id(&ids(&["CI-039", "CI-040", "CI-007"])), "CI-041");
        assert_eq!(next_id(&ids(&["CI-9", "CI-10"])), "CI-11");
        assert_eq!(next_id(&ids(&["IMP0099"])), "IMP0100");
        assert_eq!(
            next_id(&ids(&[
                "CI-001",
                "CI-002",
                "2026-q3-audit-findings",
                "NC-7"
            ])),
            "CI-003"
        );
        assert_eq!(next_id(&[]), "CI-001");
        assert_eq!(next_id(&ids(&["alpha", "beta"])), "CI-001");
    }

    #[test]
    fn taken_names_are_skipped() {
        let taken = |id: &str| id == "CI-003";
        assert_eq!(next_free(&ids(&["ci-001", "CI-002"]), taken), "CI-004");
    }

    #[test]
    fn review_names_carry_the_month_unless_the_title_has_a_year() {
        assert!(starts_with_year("2026-q4-management-review"));
        assert!(!starts_with_year("management-review-q4"));
    }
}
