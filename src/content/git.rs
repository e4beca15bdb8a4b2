//! Revision history from git: which commits changed each content file.
//!
//! When the content folder is inside a git repository, one walk over the
//! history from HEAD finds, for every commit, the files under `register/`,
//! `plans/` and `reviews/` of the content folder whose contents differ from
//! the commit's parents. Only those three folders are compared, and a
//! folder whose tree id is unchanged is never opened, so the cost follows
//! the number of commits, not the size of the repository: names are found
//! by binary search in git's sorted trees, and each commit's root tree is
//! read once.
//!
//! The repository is untrusted input. It is opened only when git itself
//! would open it (owned by the user running the build, or named by
//! `safe.directory`); every object's size is read from its header before
//! the object is, and oversized ones are skipped; the files of the git
//! folder that are read whole must be regular files of bounded size.
//! Reading git never fails a build: a problem is a warning and the site is
//! built without revisions. Nothing is followed outside the repository's
//! object database: symbolic links recorded in git are not files the
//! loader reads, so they have no revisions. Only commits whose committer
//! date is on or before the as-of date count, so a build as of a past date
//! shows the history as it stood then.

use crate::model::diag::Diagnostics;
use crate::model::diag::Pos;
use crate::model::{Register, Revision, Revisions, Visibility};
use chrono::NaiveDate;
use gix::ObjectId;
use gix::objs::tree::EntryKind;
use gix::objs::{FindExt, TreeRef};
use gix::odb::HeaderExt;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
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
/// The largest commit read, message included. Git itself writes commits
/// of a few hundred bytes; a larger one is skipped (its header says how
/// large it is before it is read).
pub const MAX_COMMIT_BYTES: u64 = 1 << 20;
/// The largest tree read: a folder of 200,000 files is about 10 MB.
pub const MAX_TREE_BYTES: u64 = 32 << 20;
/// Bytes of git objects read at most in one walk: a bound on time, since
/// memory is bounded object by object.
pub const MAX_READ_BYTES: u64 = 4 << 30;
/// The largest file of the git folder read whole (`HEAD`, `config`,
/// a ref, `objects/info/alternates`, a `.git` file).
const MAX_GIT_FILE_BYTES: u64 = 1 << 20;
/// `packed-refs` holds one line per branch and tag.
const MAX_PACKED_REFS_BYTES: u64 = 64 << 20;
/// Alternate object folders nest at most this deep (git's own limit).
const MAX_ALTERNATES_DEPTH: usize = 5;
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
    /// The full id of the commit HEAD named when the history was read.
    head: Option<String>,
}

impl History {
    /// The full id of the commit HEAD named (the content's commit), or
    /// `None` outside a repository or in one without commits.
    pub fn head(&self) -> Option<&str> {
        self.head.as_deref()
    }

    /// The revisions of `file`, a path inside `content_dir`.
    pub fn of(&self, content_dir: &Path, file: &Path) -> Revisions {
        let rel = file.strip_prefix(content_dir).ok().and_then(slash_path);
        rel.and_then(|r| self.files.get(&r))
            .cloned()
            .unwrap_or_default()
    }
}

/// Gives every entry, plan and review its file's revisions. The entries
/// of a register file that holds several share them, and with them the
/// most restricted visibility among those entries
/// ([`Revisions::readable_by`]): the audience filter shows the messages
/// only to an audience that may read every entry of the file.
pub fn attach(register: &mut Register, content_dir: &Path, history: &History) {
    let mut widest: HashMap<&Path, (usize, Visibility)> = HashMap::new();
    for e in &register.entries {
        let w = widest
            .entry(e.origin.file.as_path())
            .or_insert((0, e.visibility));
        w.0 += 1;
        w.1 = w.1.max(e.visibility);
    }
    let readable_by: Vec<Option<Visibility>> = register
        .entries
        .iter()
        .map(|e| {
            widest
                .get(e.origin.file.as_path())
                .filter(|(n, _)| *n > 1)
                .map(|(_, v)| *v)
        })
        .collect();
    for (e, readable_by) in register.entries.iter_mut().zip(readable_by) {
        e.revisions = history.of(content_dir, &e.origin.file);
        e.revisions.readable_by = readable_by;
    }
    for p in &mut register.plans {
        p.revisions = history.of(content_dir, &p.origin.file);
    }
    for r in &mut register.reviews {
        r.revisions = history.of(content_dir, &r.origin.file);
    }
}

/// A path below a repository's work tree as the names git's trees hold;
/// `None` for anything but plain UTF-8 names (`..`, a root), which no
/// tree lookup should follow.
pub(crate) fn path_parts(rel: &Path) -> Option<Vec<Vec<u8>>> {
    rel.components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str().map(|s| s.as_bytes().to_vec()),
            _ => None,
        })
        .collect()
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

/// What a walk read, for tests that hold its cost to the number of
/// commits rather than the size of the repository.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Commit objects read.
    pub commits_read: usize,
    /// Tree objects read.
    pub trees_read: usize,
    /// Bytes of objects read (their sizes as their headers give them).
    pub bytes_read: u64,
}

/// Reads the history of `content_dir` as of `as_of`. Outside a repository,
/// or in one without commits, the history is empty and nothing is said.
pub fn read(
    content_dir: &Path,
    as_of: NaiveDate,
    memo: Option<&Memo>,
    diags: &mut Diagnostics,
) -> History {
    read_with(content_dir, as_of, memo, Trust::Owner, diags).0
}

/// Whom the repository's files are taken to belong to.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// As their owner says: the normal case.
    Owner,
    /// To another user, whoever owns them: stands in, in tests that cannot
    /// change a file's owner, for a repository created by someone else.
    Other,
}

/// [`read`], with what it cost, and with the ownership of the repository
/// as `trust` says.
#[doc(hidden)]
pub fn read_with(
    content_dir: &Path,
    as_of: NaiveDate,
    memo: Option<&Memo>,
    trust: Trust,
    diags: &mut Diagnostics,
) -> (History, Stats) {
    if !content_dir.is_dir() {
        // The reader reports the missing folder; a git warning about it
        // would only repeat that.
        return (History::default(), Stats::default());
    }
    let (history, warnings, stats) = match read_all(content_dir, as_of, memo, trust) {
        Ok(Some(found)) => found,
        Ok(None) => (History::default(), Vec::new(), Stats::default()),
        Err(e) => (
            History::default(),
            vec![format!("cannot read the revision history from git: {e}")],
            Stats::default(),
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
    (history, stats)
}

type Result<T> = std::result::Result<T, String>;

/// The warning for a shallow clone, which gets a hint of its own.
const SHALLOW: &str =
    "the repository is a shallow clone: only the revisions after its oldest commit are shown";

fn read_all(
    content_dir: &Path,
    as_of: NaiveDate,
    memo: Option<&Memo>,
    trust: Trust,
) -> Result<Option<(History, Vec<String>, Stats)>> {
    let content = std::fs::canonicalize(content_dir).map_err(|e| e.to_string())?;
    let Some(repo) = open(&content, trust)? else {
        return Ok(None);
    };
    let mut repo = repo.to_thread_local();
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
    let Some(head) = head(&repo)? else {
        return Ok(None);
    };
    let key = (head, as_of, content.clone());
    if let Some(m) = memo {
        let kept = m.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = kept.as_ref().filter(|f| f.key == key) {
            return Ok(Some((
                f.history.clone(),
                f.warnings.clone(),
                Stats::default(),
            )));
        }
    }
    let shallow = repo.shallow_commits().map_err(|e| e.to_string())?;
    let mut walk = Walk::new(&repo, prefix, as_of);
    walk.shallow = shallow
        .map(|s| s.iter().copied().collect())
        .unwrap_or_default();
    walk.run(head)?;
    let (mut history, warnings, stats) = walk.finish();
    history.head = Some(head.to_string());
    if let Some(m) = memo {
        *m.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Found {
            key,
            history: history.clone(),
            warnings: warnings.clone(),
        });
    }
    Ok(Some((history, warnings, stats)))
}

/// The commit HEAD names for the repository holding `content_dir`, as a
/// build records it, without reading any history: for the build cache's
/// key. `Ok(None)`: no repository, content outside its work tree, or no
/// commit yet; anything else is an error (and then no cache is used).
pub fn head_commit(content_dir: &Path) -> Result<Option<String>> {
    let content = std::fs::canonicalize(content_dir).map_err(|e| e.to_string())?;
    let Some(repo) = open(&content, Trust::Owner)? else {
        return Ok(None);
    };
    let repo = repo.to_thread_local();
    let Some(workdir) = repo.workdir() else {
        return Ok(None);
    };
    let workdir = std::fs::canonicalize(workdir).map_err(|e| e.to_string())?;
    if content.strip_prefix(&workdir).is_err() {
        return Ok(None);
    }
    Ok(head(&repo)?.map(|h| h.to_string()))
}

/// The commit HEAD names; `None` only for an unborn HEAD (a repository
/// without commits yet). Anything else that stops HEAD being read is
/// damage, and said.
fn head(repo: &gix::Repository) -> Result<Option<ObjectId>> {
    let head = repo
        .head()
        .map_err(|e| format!("HEAD cannot be read: {e}"))?;
    if head.is_unborn() {
        return Ok(None);
    }
    match head.id() {
        Some(id) => Ok(Some(id.detach())),
        None => Err("HEAD names no commit".to_string()),
    }
}

/// A repository opened to read the content's committed files: where the
/// content folder is in its trees, and the commit HEAD names.
pub(super) struct Committed {
    pub repo: gix::Repository,
    /// The content folder's path in the work tree, as tree names.
    pub prefix: Vec<Vec<u8>>,
    pub head: ObjectId,
}

/// `repo` with where `content` (canonical) lies in its work tree and
/// HEAD's commit: `None` without a work tree or a commit, or when the
/// content is not inside the work tree. The readers of committed text
/// (`approval`, `git_text`, `git_tree`) each open the repository
/// themselves: they treat a repository that cannot be opened each in
/// their own way.
pub(super) fn committed(repo: gix::Repository, content: &Path) -> Result<Option<Committed>> {
    let Some(workdir) = repo.workdir() else {
        return Ok(None);
    };
    let workdir = std::fs::canonicalize(workdir).map_err(|e| e.to_string())?;
    let Some(prefix) = content.strip_prefix(&workdir).ok().and_then(path_parts) else {
        return Ok(None);
    };
    let head = match repo.head_id() {
        Ok(head) => head.detach(),
        Err(_) => return Ok(None),
    };
    Ok(Some(Committed { repo, prefix, head }))
}

/// A commit as the readers of committed text need it.
pub(super) struct Dated {
    pub id: ObjectId,
    /// The day it was committed (UTC); none when its time is out of range.
    pub date: Option<NaiveDate>,
    /// Its root tree.
    pub tree: ObjectId,
}

/// The commits from `head`, newest first by commit time, no more than
/// [`MAX_COMMITS`].
pub(super) fn newest_first(
    repo: &gix::Repository,
    head: ObjectId,
) -> Result<impl Iterator<Item = Result<Dated>> + '_> {
    use gix::revision::walk::Sorting;
    use gix::traverse::commit::simple::CommitTimeOrder;
    let walk = repo
        .rev_walk([head])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .all()
        .map_err(|e| e.to_string())?;
    Ok(walk.take(MAX_COMMITS).map(move |info| {
        let info = info.map_err(|e| e.to_string())?;
        let commit = repo.find_commit(info.id).map_err(|e| e.to_string())?;
        let seconds = commit.committer().map_err(|e| e.to_string())?.seconds();
        Ok(Dated {
            id: info.id,
            date: chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.date_naive()),
            tree: commit.tree_id().map_err(|e| e.to_string())?.detach(),
        })
    }))
}

/// The repository holding `content`, opened as git would open it:
/// `None` when there is none. A `.git` that is not a repository, or one
/// owned by another user and not named by git's `safe.directory`, is an
/// error (git refuses the latter as "dubious ownership": whoever could
/// create a `.git` in a shared parent folder would choose the revisions
/// shown).
pub(super) fn open(content: &Path, trust: Trust) -> Result<Option<gix::ThreadSafeRepository>> {
    use gix::discover::upwards::{Error, Options, TrustPolicy};
    let nearest = nearest_dot_git(content)?;
    let policy = match trust {
        Trust::Owner => TrustPolicy::default(),
        Trust::Other => TrustPolicy::Assume(gix::sec::Trust::Reduced),
    };
    let options = || Options {
        trust: policy,
        ..Options::default()
    };
    let (path, found_trust) = match gix::discover::upwards_opts(content, options()) {
        Ok(found) => found,
        Err(e) => {
            let not_found = matches!(
                e.downcast_any_ref::<Error>(),
                Some(
                    Error::NoGitRepository { .. }
                        | Error::NoGitRepositoryWithinCeiling { .. }
                        | Error::NoGitRepositoryWithinFs { .. }
                )
            );
            return match nearest {
                Some(dir) => Err(not_a_repository(&dir, &e.to_string())),
                None if not_found => Ok(None),
                None => Err(e.to_string()),
            };
        }
    };
    let (git_dir, worktree) = path.into_repository_and_work_tree_directories();
    if let (Some(dir), Some(wt)) = (&nearest, &worktree) {
        let wt = std::fs::canonicalize(wt).unwrap_or_else(|_| wt.clone());
        if dir != &wt && dir.starts_with(&wt) {
            return Err(not_a_repository(dir, "git finds no repository there"));
        }
    }
    check_git_folder(&git_dir)?;
    let strict = |level| {
        use gix::sec::trust::DefaultForLevel;
        gix::open::Options::default_for_level(level).bail_if_untrusted(true)
    };
    let map = gix::sec::trust::Mapping {
        full: strict(gix::sec::Trust::Full),
        reduced: strict(gix::sec::Trust::Reduced),
    };
    gix::ThreadSafeRepository::discover_opts(content, options(), map)
        .map(Some)
        .map_err(|e| {
            let owned = |p: &Path| gix::sec::identity::is_path_owned_by_current_user(p).unwrap_or(false);
            let foreign = found_trust != gix::sec::Trust::Full
                || worktree.as_deref().is_some_and(|w| !owned(w));
            if foreign {
                format!(
                    "the repository {} belongs to another user and git's safe.directory does not name it, so git would not read it either (\"dubious ownership\"): {e}",
                    worktree.as_deref().unwrap_or(&git_dir).display()
                )
            } else {
                e.to_string()
            }
        })
}

fn not_a_repository(dir: &Path, why: &str) -> String {
    format!(
        "{} is not a repository git can open ({why})",
        dir.join(".git").display()
    )
}

/// The nearest folder at or above `content` that holds a `.git`, on the
/// same file system. A `.git` that is neither a folder nor a small regular
/// file (a link to `/dev/zero`, a pipe) is refused here, before git's
/// discovery reads it.
fn nearest_dot_git(content: &Path) -> Result<Option<PathBuf>> {
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;
    #[cfg(unix)]
    let device = std::fs::metadata(content).map(|m| m.dev()).ok();
    for dir in content.ancestors() {
        #[cfg(unix)]
        if std::fs::metadata(dir).map(|m| m.dev()).ok() != device {
            return Ok(None);
        }
        let dot_git = dir.join(".git");
        if std::fs::symlink_metadata(&dot_git).is_err() {
            continue;
        }
        if !std::fs::metadata(&dot_git).is_ok_and(|m| m.is_dir()) {
            check_file(&dot_git, MAX_GIT_FILE_BYTES)?;
        }
        return Ok(Some(dir.to_path_buf()));
    }
    Ok(None)
}

/// The files of the git folder that are read whole must be regular files
/// of bounded size, and every alternate object folder a folder: checked
/// before the repository is opened, so that a link to `/dev/zero` or a
/// pipe is refused instead of read without end.
fn check_git_folder(git_dir: &Path) -> Result<()> {
    check_files(git_dir)?;
    let common = match bounded_text(&git_dir.join("commondir"))? {
        Some(rel) => git_dir.join(rel.trim()),
        None => git_dir.to_path_buf(),
    };
    if common != git_dir {
        check_files(&common)?;
    }
    if let Some(head) = bounded_text(&git_dir.join("HEAD"))?
        && let Some(target) = head.trim().strip_prefix("ref:")
    {
        let target = target.trim();
        if target.split('/').any(|c| c.is_empty() || c == "..") {
            return Err(format!(
                "HEAD names the reference {target}, which is not a valid name"
            ));
        }
        check_file(&git_dir.join(target), MAX_GIT_FILE_BYTES)?;
        check_file(&common.join(target), MAX_GIT_FILE_BYTES)?;
    }
    check_alternates(&common.join("objects"), 0)
}

fn check_files(dir: &Path) -> Result<()> {
    for (name, limit) in [
        ("HEAD", MAX_GIT_FILE_BYTES),
        ("config", MAX_GIT_FILE_BYTES),
        ("commondir", MAX_GIT_FILE_BYTES),
        ("shallow", MAX_PACKED_REFS_BYTES),
        ("packed-refs", MAX_PACKED_REFS_BYTES),
    ] {
        check_file(&dir.join(name), limit)?;
    }
    Ok(())
}

/// A file that may be absent, else a regular file of at most `limit` bytes.
fn check_file(path: &Path, limit: u64) -> Result<()> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", path.display())),
        Ok(m) if !m.is_file() => Err(format!("{} is not a regular file", path.display())),
        Ok(m) if m.len() > limit => Err(format!(
            "{} is {} bytes, over the limit of {limit}",
            path.display(),
            m.len()
        )),
        Ok(_) => Ok(()),
    }
}

/// A small file's text, once [`check_file`] has passed it; `None` if absent.
fn bounded_text(path: &Path) -> Result<Option<String>> {
    check_file(path, MAX_GIT_FILE_BYTES)?;
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// `objects/info/alternates` names further object folders (a clone made
/// with `--reference` or `--shared`): each must be a folder, and their own
/// alternates likewise, at most [`MAX_ALTERNATES_DEPTH`] deep.
fn check_alternates(objects: &Path, depth: usize) -> Result<()> {
    let file = objects.join("info/alternates");
    let Some(text) = bounded_text(&file)? else {
        return Ok(());
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('"') || depth >= MAX_ALTERNATES_DEPTH {
            return Err(format!(
                "{} names {line}, which is quoted or nested too deep",
                file.display()
            ));
        }
        let alternate = objects.join(line);
        if !std::fs::metadata(&alternate).is_ok_and(|m| m.is_dir()) {
            return Err(format!(
                "{} names {}, which is not a folder",
                file.display(),
                alternate.display()
            ));
        }
        check_alternates(&alternate, depth + 1)?;
    }
    Ok(())
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

/// A commit read and queued, not yet walked.
struct Queued {
    parents: Vec<ObjectId>,
    tree: ObjectId,
    /// `None` when it is dated after the as-of date.
    revision: Option<Revision>,
}

/// Why an object was not used.
enum Skip {
    /// The repository is damaged: no revisions at all.
    Damaged(String),
    /// Larger than its limit: skipped, and counted for a warning.
    Oversized,
}

impl From<String> for Skip {
    fn from(e: String) -> Skip {
        Skip::Damaged(e)
    }
}

/// The largest object skipped, and how many were.
#[derive(Default)]
struct Oversized {
    count: usize,
    largest: Option<(u64, ObjectId, &'static str)>,
}

struct Walk<'r> {
    repo: &'r gix::Repository,
    /// The content folder's path inside the repository, by component.
    prefix: Vec<Vec<u8>>,
    as_of: NaiveDate,
    shallow: HashSet<ObjectId>,
    /// Commits read but not yet walked, newest first by committer time;
    /// ties in the order they were found.
    queue: BinaryHeap<(i64, Reverse<u64>, ObjectId)>,
    found: u64,
    queued: HashMap<ObjectId, Queued>,
    /// Every commit found, whether it could be read or not.
    seen: HashSet<ObjectId>,
    /// The root tree of every commit read: a child's parent is read once.
    roots: HashMap<ObjectId, ObjectId>,
    /// The content folder's tree in each root tree looked at.
    content_trees: HashMap<ObjectId, Option<ObjectId>>,
    /// The folders of [`KINDS`] in each content tree looked at.
    kinds: HashMap<ObjectId, [Option<ObjectId>; 3]>,
    /// Trees whose size was read from their header and found within limits.
    measured: HashSet<ObjectId>,
    /// The commits that changed a content file, as shown on pages.
    commits: Vec<Revision>,
    files: HashMap<String, Seen>,
    /// Whether [`MAX_FILES`] was reached (and said).
    files_capped: bool,
    oversized: Oversized,
    stats: Stats,
    warnings: Vec<String>,
}

impl<'r> Walk<'r> {
    fn new(repo: &'r gix::Repository, prefix: Vec<Vec<u8>>, as_of: NaiveDate) -> Walk<'r> {
        Walk {
            repo,
            prefix,
            as_of,
            shallow: HashSet::new(),
            queue: BinaryHeap::new(),
            found: 0,
            queued: HashMap::new(),
            seen: HashSet::new(),
            roots: HashMap::new(),
            content_trees: HashMap::new(),
            kinds: HashMap::new(),
            measured: HashSet::new(),
            commits: Vec::new(),
            files: HashMap::new(),
            files_capped: false,
            oversized: Oversized::default(),
            stats: Stats::default(),
            warnings: Vec::new(),
        }
    }

    /// Walks from `head` to the oldest commit, newest first by committer
    /// time, each commit after all of its children (unless clocks lie).
    fn run(&mut self, head: ObjectId) -> Result<()> {
        self.find(head)?;
        let (mut walked, mut shallow_seen) = (0, false);
        while let Some((_, _, id)) = self.queue.pop() {
            if walked == MAX_COMMITS {
                self.warnings.push(format!(
                    "the history has more than {MAX_COMMITS} commits; older ones are not shown"
                ));
                break;
            }
            if self.stats.bytes_read > MAX_READ_BYTES {
                self.warnings.push(format!(
                    "reading the history stopped after {} MiB of git objects; older revisions are not shown",
                    MAX_READ_BYTES >> 20
                ));
                break;
            }
            walked += 1;
            let Some(commit) = self.queued.remove(&id) else {
                continue;
            };
            if self.shallow.contains(&id) {
                // A shallow clone's oldest commit: its parents are missing,
                // so what it changed cannot be known.
                shallow_seen = true;
                continue;
            }
            let mut parent_roots = Vec::with_capacity(commit.parents.len());
            for p in &commit.parents {
                if !self.seen.contains(p) {
                    self.find(*p)?;
                }
                // A parent too large to read: what this commit changed
                // is unknown.
                parent_roots.extend(self.roots.get(p));
            }
            if parent_roots.len() < commit.parents.len() {
                continue;
            }
            if let Some(revision) = commit.revision {
                match self.record(revision, commit.tree, &parent_roots) {
                    Ok(()) | Err(Skip::Oversized) => {}
                    Err(Skip::Damaged(e)) => return Err(e),
                }
            }
        }
        if shallow_seen {
            self.warnings.push(SHALLOW.to_string());
        }
        Ok(())
    }

    /// Reads a commit found as HEAD or as a parent, and queues it; one
    /// over [`MAX_COMMIT_BYTES`] is skipped, and the history behind it
    /// with it (its parents are named inside it).
    fn find(&mut self, id: ObjectId) -> Result<()> {
        self.seen.insert(id);
        let mut buf = Vec::new();
        let c = match self.read(&id, gix::object::Kind::Commit, MAX_COMMIT_BYTES, &mut buf) {
            Ok(()) => gix::objs::CommitRef::from_bytes(&buf, gix::hash::Kind::Sha1)
                .map_err(|e| format!("commit {id}: {e}"))?,
            Err(Skip::Oversized) => return Ok(()),
            Err(Skip::Damaged(e)) => return Err(e),
        };
        self.stats.commits_read += 1;
        let tree = c.tree();
        self.roots.insert(id, tree);
        let committer = c.committer().map_err(|e| format!("commit {id}: {e}"))?;
        let seconds = committer.seconds();
        let revision = match chrono::DateTime::from_timestamp(seconds, 0) {
            Some(date) if date.date_naive() <= self.as_of => {
                let author = c.author().map_err(|e| format!("commit {id}: {e}"))?;
                Some(Revision {
                    date: date.date_naive(),
                    author: clean(&String::from_utf8_lossy(author.name), NAME_CHARS),
                    summary: summary(c.message),
                })
            }
            _ => None,
        };
        let parents = c.parents().collect();
        self.queue.push((seconds, Reverse(self.found), id));
        self.found += 1;
        self.queued.insert(
            id,
            Queued {
                parents,
                tree,
                revision,
            },
        );
        Ok(())
    }

    /// Reads object `id` into `buf` once its header says it is of `kind`
    /// and at most `limit` bytes.
    fn read(
        &mut self,
        id: &ObjectId,
        kind: gix::object::Kind,
        limit: u64,
        buf: &mut Vec<u8>,
    ) -> std::result::Result<(), Skip> {
        // A tree read before (a folder's version as a commit's, then as its
        // child's parent's) was measured then: gix's object cache has it,
        // and its header would be read from disk again.
        if self.measured.contains(id) {
            repo_find(self.repo, id, kind, buf)?;
            return Ok(());
        }
        let header = self
            .repo
            .objects
            .header(id)
            .map_err(|e| format!("object {id}: {e}"))?;
        if header.kind() != kind {
            return Err(Skip::Damaged(format!(
                "object {id} is a {}, not a {kind}",
                header.kind()
            )));
        }
        let size = header.size();
        if size > limit {
            self.oversized.count += 1;
            if self.oversized.largest.is_none_or(|(s, _, _)| size > s) {
                let what = if kind == gix::object::Kind::Commit {
                    "commit"
                } else {
                    "tree"
                };
                self.oversized.largest = Some((size, *id, what));
            }
            return Err(Skip::Oversized);
        }
        self.stats.bytes_read += size;
        repo_find(self.repo, id, kind, buf)?;
        if kind == gix::object::Kind::Tree {
            self.measured.insert(*id);
        }
        Ok(())
    }

    /// A tree, read within [`MAX_TREE_BYTES`].
    fn tree<'b>(
        &mut self,
        id: &ObjectId,
        buf: &'b mut Vec<u8>,
    ) -> std::result::Result<TreeRef<'b>, Skip> {
        self.read(id, gix::object::Kind::Tree, MAX_TREE_BYTES, buf)?;
        self.stats.trees_read += 1;
        let buf: &'b Vec<u8> = buf;
        TreeRef::from_bytes(buf, gix::hash::Kind::Sha1)
            .map_err(|e| Skip::Damaged(format!("tree {id}: {e}")))
    }

    /// Records what one commit changed: a merge lists only what differs
    /// from all of its parents (a conflict resolved, say), as `git log --
    /// FILE` does, so a change merged in is listed once, at the commit
    /// that made it.
    fn record(
        &mut self,
        revision: Revision,
        root: ObjectId,
        parent_roots: &[ObjectId],
    ) -> std::result::Result<(), Skip> {
        // The same root tree as a parent: nothing changed anywhere.
        if parent_roots.contains(&root) {
            return Ok(());
        }
        let Some(tree) = self.content_tree(root)? else {
            return Ok(());
        };
        let mut changed = match parent_roots.split_first() {
            None => self.changed(None, tree)?,
            Some((first, rest)) => {
                let old = self.content_tree(*first)?;
                let mut changed = self.changed(old, tree)?;
                for p in rest {
                    if changed.is_empty() {
                        break;
                    }
                    let old = self.content_tree(*p)?;
                    let also = self.changed(old, tree)?;
                    changed.retain(|f| also.contains(f));
                }
                changed
            }
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

    /// The tree of the content folder in a root tree, if it is there; each
    /// root tree is looked into once.
    fn content_tree(&mut self, root: ObjectId) -> std::result::Result<Option<ObjectId>, Skip> {
        if let Some(known) = self.content_trees.get(&root) {
            return Ok(*known);
        }
        let mut id = Some(root);
        for name in self.prefix.clone() {
            let Some(tree) = id else { break };
            id = self.subtree(tree, &name)?;
        }
        self.content_trees.insert(root, id);
        Ok(id)
    }

    /// The folder `name` of a tree, found by binary search: git keeps a
    /// tree's entries sorted (a folder as if its name ended in `/`).
    fn subtree(
        &mut self,
        tree: ObjectId,
        name: &[u8],
    ) -> std::result::Result<Option<ObjectId>, Skip> {
        let mut buf = Vec::new();
        let tree = self.tree(&tree, &mut buf)?;
        Ok(folder(&tree, name))
    }

    /// The folders of [`KINDS`] in a content tree; each content tree is
    /// read once (as a commit's, then as its child's parent's).
    fn kinds(&mut self, content: ObjectId) -> std::result::Result<[Option<ObjectId>; 3], Skip> {
        if let Some(known) = self.kinds.get(&content) {
            return Ok(*known);
        }
        let mut buf = Vec::new();
        let tree = self.tree(&content, &mut buf)?;
        let found = KINDS.map(|k| folder(&tree, k.as_bytes()));
        self.kinds.insert(content, found);
        Ok(found)
    }

    /// Files of `KINDS` whose contents differ between two content trees
    /// (`None`: no content folder before). Folders with the same tree id
    /// are not opened.
    fn changed(
        &mut self,
        old: Option<ObjectId>,
        new: ObjectId,
    ) -> std::result::Result<Vec<String>, Skip> {
        if old == Some(new) {
            return Ok(Vec::new());
        }
        let new_dirs = self.kinds(new)?;
        let old_dirs = match old {
            Some(o) => self.kinds(o)?,
            None => [None; 3],
        };
        let mut out = Vec::new();
        for ((kind, new_dir), old_dir) in KINDS.into_iter().zip(new_dirs).zip(old_dirs) {
            let Some(new_dir) = new_dir else { continue };
            if old_dir != Some(new_dir) {
                self.changed_files(kind, old_dir, new_dir, &mut out)?;
            }
        }
        Ok(out)
    }

    /// The files of folder `kind` whose blob differs between two versions
    /// of it. Git keeps a tree's entries sorted, so one pass over both
    /// lists finds them without building a map of either.
    fn changed_files(
        &mut self,
        kind: &str,
        old: Option<ObjectId>,
        new: ObjectId,
        out: &mut Vec<String>,
    ) -> std::result::Result<(), Skip> {
        let (mut old_buf, mut new_buf) = (Vec::new(), Vec::new());
        let old_entries = match old {
            Some(o) => self.tree(&o, &mut old_buf)?.entries,
            None => Vec::new(),
        };
        let new_tree = self.tree(&new, &mut new_buf)?;
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

    fn finish(mut self) -> (History, Vec<String>, Stats) {
        if let Some((size, id, what)) = self.oversized.largest {
            self.warnings.push(format!(
                "{} git object{} over the size limit (commits {} KiB, trees {} MiB) {} skipped, the largest a {what} of {size} bytes ({id}): what {} changed is not listed, nor the history behind a skipped commit",
                self.oversized.count,
                if self.oversized.count == 1 { "" } else { "s" },
                MAX_COMMIT_BYTES >> 10,
                MAX_TREE_BYTES >> 20,
                if self.oversized.count == 1 { "was" } else { "were" },
                if self.oversized.count == 1 { "it" } else { "they" },
            ));
        }
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
                    readable_by: None,
                };
                (path, revisions)
            })
            .collect();
        (History { files, head: None }, self.warnings, self.stats)
    }
}

/// Reads object `id`, of `kind`, into `buf`.
fn repo_find(
    repo: &gix::Repository,
    id: &ObjectId,
    kind: gix::object::Kind,
    buf: &mut Vec<u8>,
) -> std::result::Result<(), Skip> {
    let data = repo
        .objects
        .find(id, buf)
        .map_err(|e| format!("object {id}: {e}"))?;
    if data.kind != kind {
        return Err(Skip::Damaged(format!("object {id} is not a {kind}")));
    }
    Ok(())
}

/// The folder `name` among a tree's entries, by binary search.
fn folder(tree: &TreeRef<'_>, name: &[u8]) -> Option<ObjectId> {
    tree.bisect_entry(name.into(), true)
        .filter(|e| e.mode.kind() == EntryKind::Tree)
        .map(|e| e.oid.to_owned())
}

/// A message's first non-empty line, cut to [`SUMMARY_CHARS`]. Only that
/// line is decoded, however long the message.
fn summary(message: &[u8]) -> String {
    let line = message
        .split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .find(|l| !l.is_empty())
        .unwrap_or(b"");
    // Enough bytes for the characters shown, in any encoding.
    let line = &line[..line.len().min(SUMMARY_CHARS * 4 + 4)];
    clean(&String::from_utf8_lossy(line), SUMMARY_CHARS)
}

/// Text from a commit, safe to show: control characters become spaces,
/// bidirectional controls (which would reorder what a reader sees, as in
/// "Trojan Source") become a visible U+FFFD, and it is cut at `max`
/// characters with an ellipsis.
fn clean(text: &str, max: usize) -> String {
    let text: String = text
        .trim()
        .chars()
        .map(|c| match c {
            c if c.is_control() => ' ',
            '\u{2028}' | '\u{2029}' => ' ',
            c if is_bidi_control(c) => '\u{fffd}',
            c => c,
        })
        .collect();
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The Unicode bidirectional embeddings, overrides, isolates and marks.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_the_first_line_cut_and_cleaned() {
        assert_eq!(summary(b"\n  Fix the title \n\nBody text"), "Fix the title");
        assert_eq!(summary("a\tb\u{7}c".as_bytes()), "a b c");
        let long = "x".repeat(500);
        let s = summary(long.as_bytes());
        assert_eq!(s.chars().count(), SUMMARY_CHARS);
        assert!(s.ends_with('…'));
        assert_eq!(summary(b""), "");
        assert_eq!(
            summary("é".repeat(10_000).as_bytes()).chars().count(),
            SUMMARY_CHARS
        );
    }

    /// Issue 22, part of 12: bidirectional overrides in a commit would
    /// reorder the text a reader sees on the page.
    #[test]
    fn bidirectional_controls_in_commit_text_are_shown_not_obeyed() {
        let s = summary(
            "Fix \u{202e}txt.exe\u{202c} and \u{2066}x\u{2069}\u{200f}\u{1b}[31m".as_bytes(),
        );
        assert_eq!(
            s,
            "Fix \u{fffd}txt.exe\u{fffd} and \u{fffd}x\u{fffd}\u{fffd} [31m"
        );
        assert_eq!(
            clean("Bob\u{2028}\u{202d}Evil", NAME_CHARS),
            "Bob \u{fffd}Evil"
        );
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}') {
            assert!(!clean(&format!("a{c}b"), 10).contains(c), "{c:?}");
        }
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
            readable_by: None,
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
