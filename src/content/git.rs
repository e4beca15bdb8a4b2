//! Revision history from git: which commits changed each content file.
//!
//! When the content folder is inside a git repository, one walk over the
//! history from HEAD finds, for every commit, the files under `register/`,
//! `plans/` and `reviews/` of the content folder whose contents differ from
//! the commit's parents. Only those three folders are compared, and a
//! folder whose tree id is unchanged is never opened, so the cost follows
//! the number of commits, not the size of the repository.
//!
//! Reading git never fails a build: a problem is a warning and the site is
//! built without revisions. Nothing is followed outside the repository's
//! object database: symbolic links recorded in git are not files the
//! loader reads, so they have no revisions. Only commits whose committer
//! date is on or before the as-of date count, so a build as of a past date
//! shows the history as it stood then.

use crate::model::diag::Diagnostics;
use crate::model::diag::Pos;
use crate::model::{Register, Revision, Revisions};
use chrono::NaiveDate;
use gix::ObjectId;
use gix::objs::FindExt;
use gix::objs::tree::EntryKind;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Whether a build reads revision history from git (`--no-git`: `Off`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitHistory {
    Read,
    Off,
}

/// Commits walked at most: a bound on time and memory for huge histories.
pub const MAX_COMMITS: usize = 100_000;
/// Revisions listed per page; older ones are counted.
pub const SHOWN: usize = 20;
/// A message's first line is cut to this many characters.
pub const SUMMARY_CHARS: usize = 200;
/// An author's name is cut to this many characters.
const NAME_CHARS: usize = 100;
/// Distinct files remembered at most (files renamed or deleted long ago
/// count too): a memory bound.
const MAX_FILES: usize = 200_000;
/// Memory for objects read more than once (trees shared by a commit and
/// its child).
const OBJECT_CACHE_BYTES: usize = 16 * 1024 * 1024;
/// Memory for delta bases of packed objects.
const PACK_CACHE_BYTES: usize = 32 * 1024 * 1024;
/// The folders of the content folder whose files have pages.
const KINDS: [&str; 3] = ["register", "plans", "reviews"];

/// Each content file's revisions, by its path relative to the content
/// folder with `/` separators (`register/CI-001.yaml`).
#[derive(Debug, Clone, Default)]
pub struct History {
    files: HashMap<String, Revisions>,
}

impl History {
    /// The revisions of `file`, a path inside `content_dir`.
    pub fn of(&self, content_dir: &Path, file: &Path) -> Revisions {
        let rel = file.strip_prefix(content_dir).ok().and_then(slash_path);
        rel.and_then(|r| self.files.get(&r))
            .cloned()
            .unwrap_or_default()
    }
}

/// Gives every entry, plan and review its file's revisions: the entries
/// of a register file that holds several share them.
pub fn attach(register: &mut Register, content_dir: &Path, history: &History) {
    for e in &mut register.entries {
        e.revisions = history.of(content_dir, &e.origin.file);
    }
    for p in &mut register.plans {
        p.revisions = history.of(content_dir, &p.origin.file);
    }
    for r in &mut register.reviews {
        r.revisions = history.of(content_dir, &r.origin.file);
    }
}

fn slash_path(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    parts.map(|p| p.join("/"))
}

/// What one walk found, kept by the live preview for the next rebuild.
struct Found {
    key: (ObjectId, NaiveDate, PathBuf),
    history: History,
    warnings: Vec<String>,
}

/// The last walk's result: rebuilds of the live preview walk again only
/// when HEAD, the as-of date or the content folder changed.
#[derive(Default)]
pub struct Memo(Mutex<Option<Found>>);

/// Reads the history of `content_dir` as of `as_of`. Outside a repository,
/// or in one without commits, the history is empty and nothing is said.
pub fn read(
    content_dir: &Path,
    as_of: NaiveDate,
    memo: Option<&Memo>,
    diags: &mut Diagnostics,
) -> History {
    if !content_dir.is_dir() {
        // The reader reports the missing folder; a git warning about it
        // would only repeat that.
        return History::default();
    }
    let (history, warnings) = match read_all(content_dir, as_of, memo) {
        Ok(Some(found)) => found,
        Ok(None) => (History::default(), Vec::new()),
        Err(e) => (
            History::default(),
            vec![format!("cannot read the revision history from git: {e}")],
        ),
    };
    for w in warnings {
        let hint = if w == SHALLOW {
            // CI checkouts are shallow by default; the cure is the full
            // history, not doing without it.
            "fetch the whole history: `fetch-depth: 0` for actions/checkout, \
             `GIT_DEPTH: 0` in GitLab CI, or `git fetch --unshallow`"
        } else {
            "pages are built without it; pass --no-git to skip reading git (see the user guide)"
        };
        diags.warning(content_dir, Pos::START, w).hint(hint);
    }
    history
}

type Result<T> = std::result::Result<T, String>;

/// The warning for a shallow clone, which gets a hint of its own.
const SHALLOW: &str =
    "the repository is a shallow clone: only the revisions after its oldest commit are shown";

fn read_all(
    content_dir: &Path,
    as_of: NaiveDate,
    memo: Option<&Memo>,
) -> Result<Option<(History, Vec<String>)>> {
    let content = std::fs::canonicalize(content_dir).map_err(|e| e.to_string())?;
    if let Err(e) = gix::discover::upwards(&content) {
        use gix::discover::upwards::Error;
        let not_found = matches!(
            e.downcast_any_ref::<Error>(),
            Some(
                Error::NoGitRepository { .. }
                    | Error::NoGitRepositoryWithinCeiling { .. }
                    | Error::NoGitRepositoryWithinFs { .. }
            )
        );
        return if not_found {
            Ok(None)
        } else {
            Err(e.to_string())
        };
    }
    let mut repo = gix::discover(&content).map_err(|e| e.to_string())?;
    // A tree read as a commit's is read again as its child's parent's.
    repo.object_cache_size(OBJECT_CACHE_BYTES);
    // In a packed repository (every clone) each version of a folder's tree
    // is a delta on another: without a cache of delta bases, every read
    // replays its whole chain. gix sets one only with its
    // `max-performance` feature, which brings C code; we set it here.
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            PACK_CACHE_BYTES,
        ))
    });
    let Some(workdir) = repo.workdir() else {
        return Ok(None);
    };
    let workdir = std::fs::canonicalize(workdir).map_err(|e| e.to_string())?;
    let prefix = match content.strip_prefix(&workdir) {
        Ok(rel) => components(rel)?,
        // The content folder is inside the .git folder: not content in git.
        Err(_) => return Ok(None),
    };
    let head = match repo.head_id() {
        Ok(id) => id.detach(),
        // No commit yet.
        Err(_) => return Ok(None),
    };
    let key = (head, as_of, content.clone());
    if let Some(m) = memo {
        let kept = m.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = kept.as_ref().filter(|f| f.key == key) {
            return Ok(Some((f.history.clone(), f.warnings.clone())));
        }
    }
    let mut walk = Walk {
        repo: &repo,
        prefix,
        as_of,
        commits: Vec::new(),
        files: HashMap::new(),
        files_capped: false,
        warnings: Vec::new(),
    };
    walk.run(head)?;
    let (history, warnings) = walk.finish();
    if let Some(m) = memo {
        *m.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Found {
            key,
            history: history.clone(),
            warnings: warnings.clone(),
        });
    }
    Ok(Some((history, warnings)))
}

fn components(rel: &Path) -> Result<Vec<Vec<u8>>> {
    rel.components()
        .map(|c| match c {
            Component::Normal(s) => s
                .to_str()
                .map(|s| s.as_bytes().to_vec())
                .ok_or_else(|| format!("the path {} is not UTF-8", rel.display())),
            _ => Err(format!("unexpected path {}", rel.display())),
        })
        .collect()
}

/// A file's revisions while walking: indices into `Walk::commits`, newest
/// first, and how many more there were.
#[derive(Default)]
struct Seen {
    newest: Vec<u32>,
    earlier: usize,
}

struct Walk<'r> {
    repo: &'r gix::Repository,
    /// The content folder's path inside the repository, by component.
    prefix: Vec<Vec<u8>>,
    as_of: NaiveDate,
    /// The commits that changed a content file, as shown on pages.
    commits: Vec<Revision>,
    files: HashMap<String, Seen>,
    /// Whether [`MAX_FILES`] was reached (and said).
    files_capped: bool,
    warnings: Vec<String>,
}

impl Walk<'_> {
    fn run(&mut self, head: ObjectId) -> Result<()> {
        use gix::revision::walk::Sorting;
        use gix::traverse::commit::simple::CommitTimeOrder;
        let shallow = self.repo.shallow_commits().map_err(|e| e.to_string())?;
        let walk = self
            .repo
            .rev_walk([head])
            .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
            .all()
            .map_err(|e| e.to_string())?;
        let mut shallow_seen = false;
        for (n, info) in walk.enumerate() {
            if n == MAX_COMMITS {
                self.warnings.push(format!(
                    "the history has more than {MAX_COMMITS} commits; older ones are not shown"
                ));
                break;
            }
            let info = info.map_err(|e| e.to_string())?;
            let parents: Vec<ObjectId> = info.parent_ids.iter().copied().collect();
            if shallow.as_ref().is_some_and(|s| s.contains(&info.id)) {
                // A shallow clone's oldest commit: its parents are missing,
                // so what it changed cannot be known.
                shallow_seen = true;
                continue;
            }
            self.commit(info.id, &parents)?;
        }
        if shallow_seen {
            self.warnings.push(SHALLOW.to_string());
        }
        Ok(())
    }

    /// Records what one commit changed, if it is dated on or before as-of.
    fn commit(&mut self, id: ObjectId, parents: &[ObjectId]) -> Result<()> {
        let mut buf = Vec::new();
        let c = self
            .repo
            .objects
            .find_commit(&id, &mut buf)
            .map_err(|e| e.to_string())?;
        let committer = c.committer().map_err(|e| e.to_string())?;
        let Some(date) = chrono::DateTime::from_timestamp(committer.seconds(), 0) else {
            return Ok(());
        };
        let date = date.date_naive();
        if date > self.as_of {
            return Ok(());
        }
        let author = c.author().map_err(|e| e.to_string())?;
        let revision = Revision {
            date,
            author: clean(&String::from_utf8_lossy(author.name), NAME_CHARS),
            summary: summary(&String::from_utf8_lossy(c.message)),
        };
        let tree = c.tree();
        let mut changed = match self.content_tree(tree)? {
            Some(t) => self.changed_since_parents(t, parents)?,
            None => Vec::new(),
        };
        if changed.is_empty() {
            return Ok(());
        }
        changed.sort();
        let index = u32::try_from(self.commits.len()).map_err(|e| e.to_string())?;
        self.commits.push(revision);
        for path in changed {
            self.note(path, index);
        }
        Ok(())
    }

    /// The files a commit changed against every parent: a merge lists only
    /// what differs from all of its parents (a conflict resolved, say), as
    /// `git log -- FILE` does, so a change merged in is listed once, at the
    /// commit that made it.
    fn changed_since_parents(&self, tree: ObjectId, parents: &[ObjectId]) -> Result<Vec<String>> {
        let Some((first, rest)) = parents.split_first() else {
            return self.changed(None, tree);
        };
        let mut changed = self.changed(self.parent_content_tree(first)?, tree)?;
        for p in rest {
            if changed.is_empty() {
                break;
            }
            let also = self.changed(self.parent_content_tree(p)?, tree)?;
            changed.retain(|f| also.contains(f));
        }
        Ok(changed)
    }

    fn parent_content_tree(&self, parent: &ObjectId) -> Result<Option<ObjectId>> {
        let mut buf = Vec::new();
        let tree = self
            .repo
            .objects
            .find_commit(parent, &mut buf)
            .map_err(|e| e.to_string())?
            .tree();
        self.content_tree(tree)
    }

    fn note(&mut self, path: String, index: u32) {
        if !self.files.contains_key(&path) && self.files.len() >= MAX_FILES {
            if !self.files_capped {
                self.files_capped = true;
                self.warnings.push(format!(
                    "the history names more than {MAX_FILES} content files; the others have no revisions"
                ));
            }
            return;
        }
        let seen = self.files.entry(path).or_default();
        if seen.newest.len() < SHOWN {
            seen.newest.push(index);
        } else {
            seen.earlier += 1;
        }
    }

    /// The tree of the content folder in a commit's tree, if it is there.
    fn content_tree(&self, root: ObjectId) -> Result<Option<ObjectId>> {
        let mut id = root;
        for name in &self.prefix {
            match self.entries(id)?.remove(name.as_slice()) {
                Some((EntryKind::Tree, sub)) => id = sub,
                _ => return Ok(None),
            }
        }
        Ok(Some(id))
    }

    /// A tree's entries by name. Trees are read by id, never through a
    /// path on disk.
    fn entries(&self, id: ObjectId) -> Result<HashMap<Vec<u8>, (EntryKind, ObjectId)>> {
        let mut buf = Vec::new();
        let tree = self
            .repo
            .objects
            .find_tree(&id, &mut buf)
            .map_err(|e| e.to_string())?;
        Ok(tree
            .entries
            .iter()
            .map(|e| (e.filename.to_vec(), (e.mode.kind(), e.oid.to_owned())))
            .collect())
    }

    /// Files of `KINDS` whose contents differ between two content trees
    /// (`None`: no content folder before). Folders with the same tree id
    /// are not opened.
    fn changed(&self, old: Option<ObjectId>, new: ObjectId) -> Result<Vec<String>> {
        if old == Some(new) {
            return Ok(Vec::new());
        }
        let new_top = self.entries(new)?;
        let old_top = match old {
            Some(o) => self.entries(o)?,
            None => HashMap::new(),
        };
        let mut out = Vec::new();
        for kind in KINDS {
            let Some((EntryKind::Tree, new_dir)) = new_top.get(kind.as_bytes()) else {
                continue;
            };
            let old_dir = match old_top.get(kind.as_bytes()) {
                Some((EntryKind::Tree, d)) if d == new_dir => continue,
                Some((EntryKind::Tree, d)) => Some(*d),
                _ => None,
            };
            self.changed_files(kind, old_dir, *new_dir, &mut out)?;
        }
        Ok(out)
    }

    /// The files of folder `kind` whose blob differs between two versions
    /// of it. Git keeps a tree's entries sorted, so one pass over both
    /// lists finds them without building a map of either.
    fn changed_files(
        &self,
        kind: &str,
        old: Option<ObjectId>,
        new: ObjectId,
        out: &mut Vec<String>,
    ) -> Result<()> {
        let (mut old_buf, mut new_buf) = (Vec::new(), Vec::new());
        let old_entries = match old {
            Some(o) => {
                self.repo
                    .objects
                    .find_tree(&o, &mut old_buf)
                    .map_err(|e| e.to_string())?
                    .entries
            }
            None => Vec::new(),
        };
        let new_tree = self
            .repo
            .objects
            .find_tree(&new, &mut new_buf)
            .map_err(|e| e.to_string())?;
        let mut olds = old_entries.iter().peekable();
        for e in &new_tree.entries {
            while olds.next_if(|o| *o < e).is_some() {}
            let same = olds
                .peek()
                .is_some_and(|o| o.filename == e.filename && o.oid == e.oid);
            let is_file = matches!(e.mode.kind(), EntryKind::Blob | EntryKind::BlobExecutable);
            if is_file
                && !same
                && let Ok(name) = std::str::from_utf8(e.filename)
            {
                out.push(format!("{kind}/{name}"));
            }
        }
        Ok(())
    }

    fn finish(self) -> (History, Vec<String>) {
        let commits = self.commits;
        let files = self
            .files
            .into_iter()
            .map(|(path, seen)| {
                let mut newest: Vec<Revision> = seen
                    .newest
                    .iter()
                    .map(|&i| commits[i as usize].clone())
                    .collect();
                // Clocks can be skewed: list by date, keeping the walk's
                // order within a day.
                newest.sort_by_key(|r| std::cmp::Reverse(r.date));
                let revisions = Revisions {
                    newest,
                    earlier: seen.earlier,
                };
                (path, revisions)
            })
            .collect();
        (History { files }, self.warnings)
    }
}

/// A message's first non-empty line, cut to [`SUMMARY_CHARS`].
fn summary(message: &str) -> String {
    let line = message.lines().map(str::trim).find(|l| !l.is_empty());
    clean(line.unwrap_or(""), SUMMARY_CHARS)
}

/// Text from a commit, safe to show: control characters become spaces,
/// and it is cut at `max` characters with an ellipsis.
fn clean(text: &str, max: usize) -> String {
    let text: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_the_first_line_cut_and_cleaned() {
        assert_eq!(summary("\n  Fix the title \n\nBody text"), "Fix the title");
        assert_eq!(summary("a\tb\u{7}c"), "a b c");
        let long = "x".repeat(500);
        let s = summary(&long);
        assert_eq!(s.chars().count(), SUMMARY_CHARS);
        assert!(s.ends_with('…'));
        assert_eq!(summary(""), "");
    }

    #[test]
    fn paths_are_relative_to_the_content_folder() {
        let mut h = History::default();
        let r = Revisions {
            newest: vec![Revision {
                date: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
                author: "A".into(),
                summary: "s".into(),
            }],
            earlier: 0,
        };
        h.files.insert("register/CI-1.yaml".into(), r.clone());
        let dir = Path::new("/x/content");
        assert_eq!(h.of(dir, &dir.join("register/CI-1.yaml")), r);
        assert_eq!(
            h.of(dir, &dir.join("register/CI-2.yaml")),
            Revisions::default()
        );
        assert_eq!(
            h.of(dir, Path::new("/y/register/CI-1.yaml")),
            Revisions::default()
        );
    }
}
