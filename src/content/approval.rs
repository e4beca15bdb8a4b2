//! Approvals bound to the text approved (ISO/IEC 27001 7.5.2, 9.3).
//!
//! `approved: {by, date, revision?}` says who signed off a plan or review.
//! The text they signed is the file as committed in `revision`, or,
//! without it, in the newest commit dated on or before the approval's
//! date. Git then says whether the text published today (or, as of a past
//! day, the text committed then: see [`super::git_text`]) is still that
//! text, how many commits changed it since, and which lines.
//!
//! The `approved` field itself is left out of the comparison: recording
//! the approval in the file is not a change of what was approved.
//!
//! Like the revision lists, reading git never fails a build: a revision
//! git does not have is a warning at the `revision` field, and a page
//! whose approval cannot be checked says so.

use super::git::Trust;
use super::pages;
use crate::content::yaml::limits::MAX_FILE_BYTES;
use crate::model::diag::{Diagnostics, Pos};
use crate::model::{Approval, DiffKind, DiffLine, Register, TextSince, Visibility};
use chrono::NaiveDate;
use gix::ObjectId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

/// Characters of a commit id shown on pages (as `git log --oneline`).
pub const SHORT_ID: usize = 7;
/// Texts longer than this (either side) get no diff, only the counts:
/// comparing them line by line would cost too much time.
const MAX_DIFF_BYTES: usize = 256 * 1024;
/// Lines of a diff shown at most; the rest is one gap line.
const MAX_DIFF_LINES: usize = 2_000;
/// Unchanged lines shown around each change.
const CONTEXT_LINES: usize = 3;

type Result<T> = std::result::Result<T, String>;

/// Whether `content_dir` is inside a git work tree: outside one,
/// approvals cannot be checked (`check` says so once).
pub fn in_git(content_dir: &Path) -> bool {
    let Ok(content) = std::fs::canonicalize(content_dir) else {
        return false;
    };
    matches!(super::git::open(&content, Trust::Owner), Ok(Some(r)) if r.work_dir().is_some())
}

/// Whether any plan or review records an approval.
pub fn any(register: &Register) -> bool {
    register.plans.iter().any(|p| p.approved.is_some())
        || register.reviews.iter().any(|r| r.approved.is_some())
}

/// Sets `since` on every approval dated on or before `day`. `content_dir`
/// is the content folder in the repository; the register's files were
/// read from `files_dir` (the same folder, or a copy of it extracted from
/// a commit, by `pack`). A text that changed after its approval is a
/// warning at the approval; so is a `revision` git does not have.
pub fn bind(
    register: &mut Register,
    content_dir: &Path,
    files_dir: &Path,
    day: NaiveDate,
    diags: &mut Diagnostics,
) {
    if !any(register) {
        return;
    }
    let history = match History::read(content_dir, day) {
        Ok(Some(h)) => h,
        Ok(None) => return,
        Err(e) => {
            diags
                .warning(
                    content_dir,
                    Pos::START,
                    format!("cannot check approvals against git: {e}"),
                )
                .hint("pages say nothing about their approved text; pass --no-git to skip reading git");
            return;
        }
    };
    let plans = register.plans.iter_mut().map(|p| {
        let v = p.visibility;
        (&p.origin.file, &mut p.approved, v, Kind::Plan)
    });
    let reviews = register.reviews.iter_mut().map(|r| {
        let v = r.visibility;
        (&r.origin.file, &mut r.approved, v, Kind::Review)
    });
    for (file, approved, visibility, kind) in plans.chain(reviews) {
        let Some(a) = approved.as_mut().filter(|a| a.date <= day) else {
            continue;
        };
        let Some(rel) = file
            .strip_prefix(files_dir)
            .ok()
            .and_then(super::git::path_parts)
        else {
            continue;
        };
        let page = Page {
            file,
            rel: &rel,
            visibility,
            kind,
        };
        let since = match history.since(&page, a) {
            Ok(s) => s,
            Err(e) => TextSince::Unknown(format!("git could not be read: {e}")),
        };
        warn(file, a, &since, diags);
        a.since = Some(since);
    }
}

/// The warning `check` and builds give about an approval.
fn warn(file: &Path, a: &Approval, since: &TextSince, diags: &mut Diagnostics) {
    match since {
        TextSince::Changed {
            revision, commits, ..
        } => {
            diags
                .warning(
                    file,
                    a.pos,
                    format!(
                        "its text changed since its approval by {} on {} (revision {revision}): {commits} commit{} since",
                        a.by,
                        a.date,
                        if *commits == 1 { "" } else { "s" }
                    ),
                )
                .hint(format!(
                    "have the new text approved and update `approved`; `git diff {revision} -- FILE` shows what changed"
                ));
        }
        TextSince::Unknown(why) if a.revision.is_some() => {
            diags
                .warning(file, a.pos, format!("the approval cannot be checked: {why}"))
                .hint("copy the approved commit's id from `git log --oneline -- FILE`; a shallow clone lacks older commits (`git fetch --unshallow`)");
        }
        _ => {}
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Plan,
    Review,
}

/// A plan or review whose approval is checked.
struct Page<'a> {
    file: &'a Path,
    /// Its path inside the content folder, by component.
    rel: &'a [Vec<u8>],
    visibility: Visibility,
    kind: Kind,
}

/// Objects looked up, by what they were looked up with (`None`: not
/// there).
type Found<K> = HashMap<K, Option<ObjectId>>;

/// One commit of the walk.
struct Commit {
    id: ObjectId,
    date: NaiveDate,
    tree: ObjectId,
}

/// The commits from HEAD (newest first, by committer date, as
/// [`super::git_text`] reads them; at most [`MAX_COMMITS`]), and where the
/// text as of the build's day is. The whole history is walked: the commit
/// that last touched a file before its approval may be older than any
/// approval.
struct History {
    repo: gix::Repository,
    prefix: Vec<Vec<u8>>,
    commits: Vec<Commit>,
    /// The first commit dated on or before the day: the text published.
    tip: usize,
    /// The text published is the file as it is in the folder: no commit
    /// is dated after the day (or none on or before it).
    disk: bool,
    /// Folder trees by commit and folder (see [`History::blob`]).
    folders: RefCell<Found<(usize, Vec<Vec<u8>>)>>,
    /// Blobs by folder tree and file name.
    files: RefCell<Found<(ObjectId, Vec<u8>)>>,
}

impl History {
    fn read(content_dir: &Path, day: NaiveDate) -> Result<Option<History>> {
        let content = std::fs::canonicalize(content_dir).map_err(|e| e.to_string())?;
        // Only a repository git itself would open (see `super::git`).
        let Some(repo) = super::git::open(&content, Trust::Owner)? else {
            return Ok(None);
        };
        let mut repo = repo.to_thread_local();
        repo.object_cache_size(16 * 1024 * 1024);
        let Some(super::git::Committed { repo, prefix, head }) =
            super::git::committed(repo, &content)?
        else {
            return Ok(None);
        };
        let mut commits = Vec::new();
        for c in super::git::newest_first(&repo, head)? {
            let c = c?;
            if let Some(date) = c.date {
                commits.push(Commit {
                    id: c.id,
                    date,
                    tree: c.tree,
                });
            }
        }
        let tip = commits
            .iter()
            .position(|c| c.date <= day)
            .unwrap_or(commits.len());
        let disk = tip == 0 || tip == commits.len();
        Ok(Some(History {
            repo,
            prefix,
            commits,
            tip,
            disk,
            folders: RefCell::default(),
            files: RefCell::default(),
        }))
    }

    /// The approved commit's position in the walk.
    fn approved(&self, a: &Approval) -> std::result::Result<usize, String> {
        let Some(rev) = &a.revision else {
            return self
                .commits
                .iter()
                .position(|c| c.date <= a.date)
                .ok_or_else(|| format!("no commit is dated on or before {}", a.date));
        };
        let mut found = self
            .commits
            .iter()
            .enumerate()
            .filter(|(_, c)| c.id.to_string().starts_with(rev.as_str()));
        match (found.next(), found.next()) {
            (Some((i, _)), None) => Ok(i),
            (Some(_), Some(_)) => Err(format!(
                "the revision {rev} names more than one commit; write more of its digits"
            )),
            (None, _) => Err(format!(
                "the revision {rev} names no commit in the history of HEAD"
            )),
        }
    }

    fn since(&self, page: &Page, a: &Approval) -> Result<TextSince> {
        let mut at = match self.approved(a) {
            Ok(at) => at,
            Err(why) => return Ok(TextSince::Unknown(why)),
        };
        let tip = self.tip.min(self.commits.len().saturating_sub(1));
        if at < tip {
            return Ok(TextSince::Unknown(format!(
                "the approved revision {} is dated after the day this site shows",
                short(&self.commits[at].id)
            )));
        }
        let mut texts = Texts::default();
        let Some(approved) = self.blob(at, page.rel)? else {
            return Ok(TextSince::Unknown(format!(
                "the file is not in the approved revision {}",
                short(&self.commits[at].id)
            )));
        };
        // Without `revision`: the last commit that touched the file on or
        // before the approval, the one that wrote the text approved.
        if a.revision.is_none() {
            while at + 1 < self.commits.len() && self.blob(at + 1, page.rel)? == Some(approved) {
                at += 1;
            }
        }
        let revision = short(&self.commits[at].id);
        // Commits from the published one back to the approved one, each
        // counted when it changed the text (the approval aside).
        let mut commits = 0;
        let mut newer = self.blob(tip, page.rel)?;
        for i in tip + 1..=at {
            let older = self.blob(i, page.rel)?;
            if newer != older && texts.get(self, newer)? != texts.get(self, older)? {
                commits += 1;
            }
            newer = older;
        }
        let committed = texts.get(self, self.blob(tip, page.rel)?)?;
        let now = if self.disk {
            Some(without_approval(&read_file(page.file)?))
        } else {
            committed.clone()
        };
        let uncommitted = self.disk && now != committed;
        let old = texts.get(self, Some(approved))?.unwrap_or_default();
        let now = now.unwrap_or_default();
        if old == now {
            return Ok(TextSince::Unchanged { revision });
        }
        let raw = self.raw(approved)?;
        let (old_front, old_body) = split(&old);
        let (new_front, new_body) = split(&now);
        let diff = if stricter_then(page, &raw) {
            Vec::new()
        } else {
            diff(old_body, new_body)
        };
        Ok(TextSince::Changed {
            revision,
            commits,
            uncommitted,
            fields: changed_fields(old_front, new_front),
            diff,
        })
    }

    /// The blob of `rel` in the commit at `i`, if it is a file there. Its
    /// folder's tree is looked up once per commit and folder, and the file
    /// once per tree of that folder: a commit that changed no file of the
    /// folder costs one lookup, however many files are checked.
    fn blob(&self, i: usize, rel: &[Vec<u8>]) -> Result<Option<ObjectId>> {
        let Some((name, dir)) = rel.split_last() else {
            return Ok(None);
        };
        let Some(folder) = self.folder(i, dir)? else {
            return Ok(None);
        };
        let key = (folder, name.clone());
        if let Some(found) = self.files.borrow().get(&key) {
            return Ok(*found);
        }
        let tree = self.repo.find_tree(folder).map_err(|e| e.to_string())?;
        let found = tree
            .lookup_entry([name.as_slice()])
            .map_err(|e| e.to_string())?
            .filter(|e| e.mode().is_blob())
            .map(|e| e.object_id());
        self.files.borrow_mut().insert(key, found);
        Ok(found)
    }

    /// The tree of folder `dir` (inside the content folder) in the commit
    /// at `i`, if it is a folder there.
    fn folder(&self, i: usize, dir: &[Vec<u8>]) -> Result<Option<ObjectId>> {
        let key = (i, dir.to_vec());
        if let Some(found) = self.folders.borrow().get(&key) {
            return Ok(*found);
        }
        let root = self
            .repo
            .find_tree(self.commits[i].tree)
            .map_err(|e| e.to_string())?;
        let path: Vec<&[u8]> = self
            .prefix
            .iter()
            .chain(dir)
            .map(|p| p.as_slice())
            .collect();
        let found = if path.is_empty() {
            Some(self.commits[i].tree)
        } else {
            root.lookup_entry(path)
                .map_err(|e| e.to_string())?
                .filter(|e| e.mode().is_tree())
                .map(|e| e.object_id())
        };
        self.folders.borrow_mut().insert(key, found);
        Ok(found)
    }

    /// A blob's text, within the file size limit (read from its header
    /// first); not UTF-8 reads as empty.
    fn raw(&self, id: ObjectId) -> Result<String> {
        let size = self.repo.find_header(id).map_err(|e| e.to_string())?.size();
        if size > MAX_FILE_BYTES {
            return Err(format!(
                "a committed version is {size} bytes, over the limit"
            ));
        }
        let blob = self.repo.find_blob(id).map_err(|e| e.to_string())?;
        Ok(String::from_utf8(blob.data.clone()).unwrap_or_default())
    }
}

/// Texts by blob, the approval left out, each read once.
#[derive(Default)]
struct Texts(HashMap<ObjectId, String>);

impl Texts {
    fn get(&mut self, h: &History, id: Option<ObjectId>) -> Result<Option<String>> {
        let Some(id) = id else {
            return Ok(None);
        };
        if let Some(t) = self.0.get(&id) {
            return Ok(Some(t.clone()));
        }
        let text = without_approval(&h.raw(id)?);
        self.0.insert(id, text.clone());
        Ok(Some(text))
    }
}

/// Whether the approved text was for a stricter audience than the page
/// is now: its lines must not be shown to the page's readers.
fn stricter_then(page: &Page, raw: &str) -> bool {
    let mut own = Diagnostics::default();
    let then = match page.kind {
        Kind::Plan => pages::plan_from_text(page.file, raw, &mut own).map(|p| p.visibility),
        Kind::Review => pages::review_from_text(page.file, raw, &mut own).map(|r| r.visibility),
    };
    // Unreadable then: nobody can say who it was for, so show nothing.
    then.is_none_or(|v| v > page.visibility)
}

/// The file as it is in the folder, within the file size limit.
fn read_file(path: &Path) -> Result<String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!("the file is {size} bytes, over the limit"));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// The text without its front matter's `approved` field (one line in
/// flow style, or the line and the indented ones under it), and with
/// `\n` line breaks.
pub fn without_approval(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let Some((yaml, _, body)) = pages::split_front_matter(&text) else {
        return text;
    };
    let mut kept = String::with_capacity(yaml.len());
    let mut skipping = false;
    for line in yaml.split_inclusive('\n') {
        if line.starts_with("approved:") {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with([' ', '\t']) || line.trim().is_empty()) {
            continue;
        }
        skipping = false;
        kept.push_str(line);
    }
    format!("---\n{kept}---\n{body}")
}

/// A text's front matter and body (all body when it has none).
fn split(text: &str) -> (&str, &str) {
    match pages::split_front_matter(text) {
        Some((front, _, body)) => (front, body),
        None => ("", text),
    }
}

/// The top-level fields of two front matters whose lines differ, by name,
/// in the order of the newer. Only names: a field's value may hold what
/// the page's audience does not see (the audience filter drops restricted
/// ids from `entries`), while the names are the format's own (the reader
/// refuses any other).
pub fn changed_fields(old: &str, new: &str) -> Vec<String> {
    let (old, new) = (fields(old), fields(new));
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(k, v)| {
            old.iter()
                .find(|(o, _)| o == k)
                .is_none_or(|(_, ov)| ov != v)
        })
        .map(|(k, _)| k.clone())
        .collect();
    changed.extend(
        old.iter()
            .filter(|(k, _)| !new.iter().any(|(n, _)| n == k))
            .map(|(k, _)| k.clone()),
    );
    changed
}

/// Each top-level `key:` of a front matter with its lines (the indented
/// ones under it included).
fn fields(front: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in front.lines() {
        let top = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        match line.split_once(':').filter(|_| top) {
            Some((key, _)) => out.push((key.trim().to_string(), line.to_string())),
            None => {
                if let Some((_, lines)) = out.last_mut() {
                    lines.push('\n');
                    lines.push_str(line);
                }
            }
        }
    }
    out
}

/// The changed lines of `old` → `new`, with [`CONTEXT_LINES`] around each
/// change; nothing when either text is too large to compare.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    if old.len() > MAX_DIFF_BYTES || new.len() > MAX_DIFF_BYTES {
        return Vec::new();
    }
    let d = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (n, group) in d.grouped_ops(CONTEXT_LINES).iter().enumerate() {
        if n > 0 || group.first().is_some_and(|op| op.old_range().start > 0) {
            out.push(line(DiffKind::Gap, ""));
        }
        for op in group {
            for change in d.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => DiffKind::Same,
                    ChangeTag::Delete => DiffKind::Removed,
                    ChangeTag::Insert => DiffKind::Added,
                };
                out.push(line(kind, change.value().trim_end_matches('\n')));
            }
        }
    }
    if out.len() > MAX_DIFF_LINES {
        out.truncate(MAX_DIFF_LINES);
        out.push(line(DiffKind::Gap, ""));
    }
    out
}

fn line(kind: DiffKind, text: &str) -> DiffLine {
    DiffLine {
        kind,
        text: text.to_string(),
    }
}

/// A commit id as pages show it.
fn short(id: &ObjectId) -> String {
    id.to_string()[..SHORT_ID].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_approval_itself_is_not_a_change() {
        let before = "---\ntitle: T\nentries: [A-1]\n---\nBody\n";
        let flow =
            "---\ntitle: T\napproved: {by: CEO, date: 2026-01-02}\nentries: [A-1]\n---\nBody\n";
        let block =
            "---\ntitle: T\napproved:\n  by: CEO\n  date: 2026-01-02\nentries: [A-1]\n---\nBody\n";
        assert_eq!(without_approval(flow), before);
        assert_eq!(without_approval(block), before);
        assert_eq!(without_approval(&before.replace('\n', "\r\n")), before);
    }

    #[test]
    fn changed_fields_are_named_not_shown() {
        let old =
            "title: T\nentries: [A-1, SECRET-9]\nmilestones:\n  - title: M\n    due: 2026-01-01\n";
        let new =
            "title: T\nentries: [A-1]\nmilestones:\n  - title: M\n    due: 2026-02-01\nowner: X\n";
        assert_eq!(changed_fields(old, new), ["entries", "milestones", "owner"]);
        assert_eq!(changed_fields(new, old), ["entries", "milestones", "owner"]);
        assert!(changed_fields(old, old).is_empty());
    }

    #[test]
    fn a_diff_shows_changed_lines_with_context_and_gaps() {
        let old: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let new = old.replace("line 10\n", "line ten\n");
        let d = diff(&old, &new);
        let shown: Vec<String> = d
            .iter()
            .map(|l| format!("{}{}", l.kind.marker(), l.text))
            .collect();
        assert_eq!(
            shown,
            [
                "…",
                " line 7",
                " line 8",
                " line 9",
                "-line 10",
                "+line ten",
                " line 11",
                " line 12",
                " line 13"
            ]
        );
        assert!(diff(&"x\n".repeat(MAX_DIFF_BYTES), "y\n").is_empty());
    }
}
