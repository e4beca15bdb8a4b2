//! The content folder as committed on a day, extracted from git into a
//! folder of its own: what `pack` builds an auditor's copy from, so the
//! copy says what the register said on that day, not what the working
//! folder says now.
//!
//! The commit is the newest dated (by its committer) on or before the day,
//! the rule [`super::git_text`] follows. The repository is opened only when
//! git itself would open it ([`super::git::open`]), and reading is bounded:
//! every object's size is read from its header before the object is, the
//! files and bytes written have limits, names must be plain names, and
//! symbolic links and submodules are left out (the loader skips links too).

use super::git::{MAX_READ_BYTES, MAX_TREE_BYTES, Trust};
use chrono::NaiveDate;
use gix::ObjectId;
use gix::objs::tree::EntryKind;
use std::path::{Path, PathBuf};

/// Files extracted at most.
const MAX_FILES: usize = 200_000;
/// Folders nested at most below the content folder.
const MAX_DEPTH: usize = 64;

type Result<T> = std::result::Result<T, String>;

/// A content folder extracted from a commit into a folder of our own,
/// removed when dropped.
#[derive(Debug)]
pub struct Extracted {
    /// The extracted content folder.
    pub dir: PathBuf,
    /// The full id of the commit it came from.
    pub commit: String,
    /// The commit's date (UTC).
    pub date: NaiveDate,
}

impl Drop for Extracted {
    fn drop(&mut self) {
        // Our own folder, made by `extract`: nothing else is in it.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The content folder of `content_dir`'s repository as committed on or
/// before `day`, extracted into a new folder inside `scratch`. `None`
/// outside a repository or in one without commits; an error when no
/// commit is dated on or before the day, or reading git fails.
pub fn extract(content_dir: &Path, day: NaiveDate, scratch: &Path) -> Result<Option<Extracted>> {
    let content = std::fs::canonicalize(content_dir).map_err(|e| e.to_string())?;
    let Some(repo) = super::git::open(&content, Trust::Owner)? else {
        return Ok(None);
    };
    let Some(super::git::Committed { repo, prefix, head }) =
        super::git::committed(repo.to_thread_local(), &content)?
    else {
        return Ok(None);
    };
    let (commit, date, root) = commit_on(&repo, head, day)?;
    let root = repo.find_tree(root).map_err(|e| e.to_string())?;
    let path = prefix.iter().map(|p| p.as_slice());
    let tree = match root.lookup_entry(path).map_err(|e| e.to_string())? {
        Some(e) if e.mode().is_tree() => e.object_id(),
        _ => {
            return Err(format!(
                "the content folder is not in commit {commit}, the last on or before {day}"
            ));
        }
    };
    let dir = scratch_dir(scratch)?;
    let extracted = Extracted {
        dir: dir.clone(),
        commit: commit.to_string(),
        date,
    };
    let mut budget = Budget { files: 0, bytes: 0 };
    write_tree(&repo, tree, &dir, 0, &mut budget)?;
    Ok(Some(extracted))
}

/// The newest commit from `head` dated on or before `day`: its id, date
/// and root tree.
fn commit_on(
    repo: &gix::Repository,
    head: ObjectId,
    day: NaiveDate,
) -> Result<(ObjectId, NaiveDate, ObjectId)> {
    for c in super::git::newest_first(repo, head)? {
        let c = c?;
        if let Some(date) = c.date.filter(|d| *d <= day) {
            return Ok((c.id, date, c.tree));
        }
    }
    Err(format!(
        "no commit of the content's repository is dated on or before {day}"
    ))
}

/// A new, empty folder of our own inside `scratch`.
fn scratch_dir(scratch: &Path) -> Result<PathBuf> {
    for n in 0..1000u32 {
        let dir = scratch.join(format!(".isms-pack-{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot create {}: {e}", dir.display())),
        }
    }
    Err(format!("cannot create a folder in {}", scratch.display()))
}

struct Budget {
    files: usize,
    bytes: u64,
}

/// Writes tree `id` into `dir`, folders first made, within the limits.
fn write_tree(
    repo: &gix::Repository,
    id: ObjectId,
    dir: &Path,
    depth: usize,
    budget: &mut Budget,
) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "folders nest deeper than {MAX_DEPTH} in the content folder"
        ));
    }
    let size = repo.find_header(id).map_err(|e| e.to_string())?.size();
    if size > MAX_TREE_BYTES {
        return Err(format!(
            "tree {id} is {size} bytes, over the limit of {MAX_TREE_BYTES}"
        ));
    }
    let tree = repo.find_tree(id).map_err(|e| e.to_string())?;
    for entry in tree.iter() {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = plain_name(entry.inner.filename)?;
        let oid = entry.inner.oid.to_owned();
        let path = dir.join(name);
        match entry.inner.mode.kind() {
            EntryKind::Tree => {
                std::fs::create_dir(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                write_tree(repo, oid, &path, depth + 1, budget)?;
            }
            EntryKind::Blob | EntryKind::BlobExecutable => {
                write_blob(repo, oid, &path, budget)?;
            }
            // Not files the loader reads.
            EntryKind::Link | EntryKind::Commit => {}
        }
    }
    Ok(())
}

fn write_blob(
    repo: &gix::Repository,
    id: ObjectId,
    path: &Path,
    budget: &mut Budget,
) -> Result<()> {
    budget.files += 1;
    if budget.files > MAX_FILES {
        return Err(format!(
            "the content folder holds more than {MAX_FILES} files"
        ));
    }
    let size = repo.find_header(id).map_err(|e| e.to_string())?.size();
    budget.bytes += size;
    if budget.bytes > MAX_READ_BYTES {
        return Err(format!(
            "the content folder holds more than {} MiB",
            MAX_READ_BYTES >> 20
        ));
    }
    let blob = repo.find_blob(id).map_err(|e| e.to_string())?;
    std::fs::write(path, &blob.data).map_err(|e| format!("{}: {e}", path.display()))
}

/// A tree entry's name when it is a plain file name (UTF-8, no `/`, not
/// `.` or `..`, no NUL): nothing else may become a path on disk.
fn plain_name(name: &gix::bstr::BStr) -> Result<&str> {
    let text = std::str::from_utf8(name).ok();
    match text {
        Some(n) if !n.is_empty() && n != "." && n != ".." && !n.contains(['/', '\\', '\0']) => {
            Ok(n)
        }
        _ => Err(format!(
            "a file name in the commit is not a plain name: {:?}",
            String::from_utf8_lossy(name)
        )),
    }
}
