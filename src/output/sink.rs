//! Where output goes: a folder (`build`) or memory (`serve`). Every writer
//! of every layer above writes through [`Out`].

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// What went wrong while writing the site (not a content problem).
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, RenderError>;

/// Where the pages go: a folder (`build`), or memory (`serve`, which answers
/// from memory so a slow disk never delays the preview).
pub enum Out {
    /// A folder, and the paths written into it (the publish manifest and
    /// the sitemap need the list; keeping it saves walking the folder),
    /// and the previous site whose unchanged files may be linked rather
    /// than written.
    Dir(PathBuf, Mutex<Written>, Option<Box<Reuse>>),
    /// Files by path; and the previous generation (the live preview's
    /// last site), whose bytes a file equal to them shares instead of
    /// keeping a copy: memory holds one site plus what changed.
    /// And what halts its writing ([`Out::halt_when`]).
    Memory(
        Mutex<BTreeMap<String, Shared>>,
        Option<Arc<SharedFiles>>,
        Halt,
    ),
}

/// A flag that, once raised, makes a memory sink refuse every write
/// ([`Out::halt_when`]); none: never.
#[derive(Default)]
pub struct Halt(Mutex<Option<Arc<AtomicBool>>>);

impl Halt {
    fn raised(&self) -> bool {
        lock(&self.0)
            .as_ref()
            .is_some_and(|f| f.load(Ordering::SeqCst))
    }
}

/// What a write refused by a raised [`Halt`] fails with.
const HALTED: &str = "halted for a newer change";

/// A file's bytes, shared between generations of the live preview.
pub type Shared = Arc<[u8]>;
/// A whole site in memory.
pub type SharedFiles = BTreeMap<String, Shared>;

impl Out {
    pub fn dir(dir: &Path) -> Out {
        Out::Dir(dir.to_path_buf(), Mutex::new(Written::default()), None)
    }

    /// A folder, into which a file whose bytes `reuse` already holds is
    /// hard-linked from there instead of written (see [`Reuse`]).
    pub fn dir_reusing(dir: &Path, reuse: Reuse) -> Out {
        Out::Dir(
            dir.to_path_buf(),
            Mutex::new(Written::default()),
            Some(Box::new(reuse)),
        )
    }

    pub fn memory() -> Out {
        Out::Memory(Mutex::new(BTreeMap::new()), None, Halt::default())
    }

    /// Memory, sharing the bytes of every file equal to `previous`'s.
    pub fn memory_over(previous: Arc<SharedFiles>) -> Out {
        Out::Memory(Mutex::new(BTreeMap::new()), Some(previous), Halt::default())
    }

    /// Writes one file at a `/`-separated path below the site root, creating
    /// parent folders as needed.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        match self {
            Out::Dir(dir, written, reuse) => {
                let sum = Sha256::digest(bytes).into();
                let stamp = match already_there(reuse, written, rel, &sum) {
                    Some(held) => held,
                    None => {
                        let path = file_path(dir, written, reuse, rel)?;
                        let target = Target::new(dir, &path, reuse);
                        let linked = reuse.as_ref().and_then(|r| r.link(rel, &sum, &target.at));
                        let stamp = match linked {
                            Some(stamp) => stamp,
                            None => {
                                unlink_reused(reuse, &target.at)?;
                                write_file(&target.at, bytes)?
                            }
                        };
                        target.finish(dir, reuse, rel)?;
                        stamp
                    }
                };
                lock(written).add(rel, sum, Some(stamp));
            }
            Out::Memory(files, previous, halt) => {
                if halt.raised() {
                    return Err(RenderError(format!("{rel}: {HALTED}")));
                }
                let kept = shared(previous, rel, bytes);
                lock(files).insert(rel.to_string(), kept);
            }
        }
        Ok(())
    }

    /// Keeps the previous site's file at `rel` as this site's, without its
    /// bytes: for a page whose inputs are those it was rendered from (see
    /// `pages::deps`). A memory sink shares the previous generation's
    /// bytes; a folder hard-links the published file when it is still the
    /// very file the build cache recorded. `false` when there is no such
    /// file: then the caller renders it.
    pub fn keep(&self, rel: &str) -> Result<bool> {
        match self {
            Out::Dir(dir, written, reuse @ Some(r)) => {
                let Some(sum) = r.files.get(rel).map(|f| f.sum) else {
                    return Ok(false);
                };
                let stamp = match already_there(reuse, written, rel, &sum) {
                    Some(held) => held,
                    None => {
                        let path = file_path(dir, written, reuse, rel)?;
                        let target = Target::new(dir, &path, reuse);
                        let Some(stamp) = r.link(rel, &sum, &target.at) else {
                            return Ok(false);
                        };
                        target.finish(dir, reuse, rel)?;
                        stamp
                    }
                };
                lock(written).add(rel, sum, Some(stamp));
                Ok(true)
            }
            Out::Dir(_, _, None) => Ok(false),
            Out::Memory(files, previous, _) => {
                let Some(old) = previous.as_ref().and_then(|p| p.get(rel)) else {
                    return Ok(false);
                };
                lock(files).insert(rel.to_string(), Arc::clone(old));
                Ok(true)
            }
        }
    }

    /// Writes one file by streaming into it: the big exports (OSCAL, JSON,
    /// CSV, search index) then never exist whole in memory when building
    /// into a folder.
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        match self {
            Out::Dir(_, _, Some(reuse)) if reuse.may_hold(rel) => {
                // Small enough to compare before writing.
                let mut bytes = Vec::new();
                fill(&mut bytes).map_err(|e| RenderError(format!("{rel}: {e}")))?;
                return self.write(rel, &bytes);
            }
            Out::Dir(dir, written, reuse) => {
                let path = file_path(dir, written, reuse, rel)?;
                if let Some(file) = spare_own(reuse, &path) {
                    let (sum, stamp) = stream(file, fill, true).map_err(|e| failed(&path, e))?;
                    lock(written).add(rel, sum, stamp);
                    return Ok(());
                }
                let target = Target::new(dir, &path, reuse);
                unlink_reused(reuse, &target.at)?;
                let file = fs::File::create(&target.at).map_err(|e| failed(&target.at, e))?;
                let (sum, stamp) = stream(file, fill, false).map_err(|e| failed(&target.at, e))?;
                target.finish(dir, reuse, rel)?;
                lock(written).add(rel, sum, stamp);
            }
            Out::Memory(files, previous, halt) => {
                let mut bytes = Halting {
                    bytes: Vec::new(),
                    flag: lock(&halt.0).clone(),
                };
                fill(&mut bytes).map_err(|e| RenderError(format!("{rel}: {e}")))?;
                let bytes = bytes.bytes;
                let kept = shared(previous, rel, &bytes);
                lock(files).insert(rel.to_string(), kept);
            }
        }
        Ok(())
    }

    /// Makes a memory sink refuse every write from the moment `flag` is
    /// raised, streamed ones mid-stream, until called again (`None`:
    /// never). The live preview halts the exports of a save when a newer
    /// save comes: it waited for the export in progress (up to 250 ms at
    /// 10,000 entries). A folder is never halted.
    pub fn halt_when(&self, flag: Option<Arc<AtomicBool>>) {
        if let Out::Memory(_, _, halt) = self {
            *lock(&halt.0) = flag;
        }
    }

    /// Whether a write was or would be refused by [`Out::halt_when`]'s flag.
    pub fn halted(&self) -> bool {
        matches!(self, Out::Memory(_, _, halt) if halt.raised())
    }

    /// The `/`-separated paths written so far, sorted.
    pub fn written(&self) -> Vec<String> {
        match self {
            Out::Dir(_, written, _) => {
                let mut list = lock(written).files.clone();
                list.sort();
                list.dedup();
                list
            }
            Out::Memory(files, ..) => lock(files).keys().cloned().collect(),
        }
    }

    /// The SHA-256 of every file written so far, by `/`-separated path,
    /// sorted: of the bytes handed to the file system as they went out
    /// (a folder), or of the bytes kept (memory).
    pub fn sums(&self) -> BTreeMap<String, [u8; 32]> {
        self.with_done(|done| done.iter().map(|(rel, d)| (rel.clone(), d.sum)).collect())
    }

    /// Lends `f` every file written so far, by `/`-separated path: its
    /// SHA-256 as [`Out::sums`] has it, and, written into a folder, its
    /// stamp as it was written, linked or found there (see [`Written`]).
    /// Lent, not copied: the build cache reads some 12,900 of them once.
    pub fn with_done<R>(&self, f: impl FnOnce(&BTreeMap<String, Done>) -> R) -> R {
        match self {
            Out::Dir(_, written, _) => f(&lock(written).done),
            Out::Memory(files, ..) => {
                let done = lock(files)
                    .par_iter()
                    .map(|(rel, bytes)| {
                        let sum = Sha256::digest(bytes).into();
                        (rel.clone(), Done { sum, stamp: None })
                    })
                    .collect();
                f(&done)
            }
        }
    }

    /// The files written to a memory sink, by path (empty for a folder).
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        match self {
            Out::Dir(..) => BTreeMap::new(),
            Out::Memory(..) => self
                .into_shared()
                .into_iter()
                .map(|(rel, bytes)| (rel, bytes.to_vec()))
                .collect(),
        }
    }

    /// The files written to a memory sink, shared (empty for a folder).
    pub fn into_shared(self) -> SharedFiles {
        match self {
            Out::Dir(..) => BTreeMap::new(),
            Out::Memory(files, ..) => files.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// A copy of what a memory sink holds so far (the bytes shared, not
    /// copied): the live preview serves the pages while the exports are
    /// still being written.
    pub fn shared_so_far(&self) -> SharedFiles {
        match self {
            Out::Dir(..) => BTreeMap::new(),
            Out::Memory(files, ..) => lock(files).clone(),
        }
    }
}

/// A streamed file's bytes, refused once its sink's [`Halt`] is raised.
/// The flag is taken once, when the stream starts: a write costs one
/// atomic load, not a lock (a JSON export makes millions of small writes).
struct Halting {
    bytes: Vec<u8>,
    flag: Option<Arc<AtomicBool>>,
}

impl Write for Halting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self
            .flag
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Relaxed))
        {
            return Err(std::io::Error::other(HALTED));
        }
        self.bytes.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `bytes` to keep for `rel`: the previous generation's, when equal.
fn shared(previous: &Option<Arc<SharedFiles>>, rel: &str, bytes: &[u8]) -> Shared {
    match previous.as_ref().and_then(|p| p.get(rel)) {
        Some(old) if **old == *bytes => Arc::clone(old),
        _ => Arc::from(bytes),
    }
}

/// A file's identity on disk: the same stamp means the same file, not
/// changed since (as git's index and make judge it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    /// Nanoseconds since 1970.
    pub mtime_ns: u64,
}

impl Stamp {
    #[cfg(unix)]
    pub fn of(m: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime_ns: (m.mtime() as u64)
                .wrapping_mul(1_000_000_000)
                .wrapping_add(m.mtime_nsec() as u64),
        }
    }

    /// [`Stamp::of`] what `statat` gave (its fields' types differ
    /// between targets, hence casts that are no-ops on some).
    #[cfg(target_os = "linux")]
    #[allow(clippy::unnecessary_cast)]
    pub fn of_stat(st: &rustix::fs::Stat) -> Stamp {
        Stamp {
            dev: st.st_dev,
            ino: st.st_ino,
            size: st.st_size as u64,
            mtime_ns: (st.st_mtime as u64)
                .wrapping_mul(1_000_000_000)
                .wrapping_add(st.st_mtime_nsec as u64),
        }
    }

    /// Without inodes nothing is ever taken for unchanged.
    #[cfg(not(unix))]
    pub fn of(_: &fs::Metadata) -> Stamp {
        Stamp {
            dev: u64::MAX,
            ino: u64::MAX,
            size: u64::MAX,
            mtime_ns: u64::MAX,
        }
    }
}

/// The previous site: for each file, the SHA-256 of its bytes and the
/// [`Stamp`] it had when those bytes were written (the build cache,
/// `site::reuse`).
pub struct Reuse {
    pub from: PathBuf,
    pub files: std::collections::HashMap<String, Record>,
    /// When the folder written into is the spare (`site::publish`, the
    /// site before last, checked file by file against its record): the
    /// SHA-256 of each file it holds. A file whose new bytes are those is
    /// left alone; any other is written under a temporary name and renamed
    /// over, never written in place, since the spare's files are hard
    /// links shared with the published site; but for a streamed file (the
    /// big exports) that only the spare has (`spare_own`). `None`: a
    /// fresh folder.
    pub holds: Option<std::collections::HashMap<String, Record>>,
}

/// A published file as the build cache remembers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    pub sum: [u8; 32],
    pub stamp: Stamp,
}

/// Streamed files up to this size are rendered into memory when the
/// previous site has one at that path, so that they can be linked if
/// unchanged; larger ones (the big exports) are streamed as always.
const COMPARE_UP_TO: u64 = 4 * 1024 * 1024;

impl Reuse {
    /// Whether the previous site has a file at `rel` small enough to
    /// compare with ([`COMPARE_UP_TO`]).
    fn may_hold(&self, rel: &str) -> bool {
        self.files
            .get(rel)
            .is_some_and(|r| r.stamp.size <= COMPARE_UP_TO)
    }

    /// Hard-links `rel` from the previous site to `to` when the previous
    /// file holds `sum` and is still the very file the cache recorded
    /// (checked on the new link itself: whatever was put in its place,
    /// a link included, is removed again and the bytes written instead);
    /// the linked file's stamp, or `None` when nothing was linked.
    fn link(&self, rel: &str, sum: &[u8; 32], to: &Path) -> Option<Stamp> {
        if !cfg!(unix) {
            return None;
        }
        let Record {
            sum: old_sum,
            stamp,
        } = self.files.get(rel)?;
        if old_sum != sum || fs::hard_link(self.from.join(rel), to).is_err() {
            return None;
        }
        let same = fs::symlink_metadata(to).is_ok_and(|m| m.is_file() && Stamp::of(&m) == *stamp);
        if !same {
            let _ = fs::remove_file(to);
        }
        same.then_some(*stamp)
    }
}

/// Streams what `fill` writes into `file` from its start, hashed; when
/// `over` (a file written over in place), cut to what was written.
/// Returns the SHA-256 and the stamp of the file as written.
fn stream(
    file: fs::File,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    over: bool,
) -> std::io::Result<([u8; 32], Option<Stamp>)> {
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, Hashing::<_, Sha256>::new(file));
    fill(&mut w)?;
    w.flush()?;
    let (mut file, sum) = w.into_parts().0.into_parts();
    if over {
        use std::io::Seek;
        let len = file.stream_position()?;
        file.set_len(len)?;
    }
    let stamp = file.metadata().ok().map(|m| Stamp::of(&m));
    Ok((sum, stamp))
}

/// Over a spare, the spare's own file at `path`, opened to be written
/// over in place ([`open_own`]). Written under a temporary name and
/// renamed over it instead, a big export's old copy was freed inside the
/// rename, which held its folder meanwhile: 50 to 160 ms for each of the
/// three big exports of a one-change build at 10,000 entries on ext4
/// mounted with `discard` (issue 27). A file the spare shares with the
/// published site (a hard link) is never written in place.
fn spare_own(reuse: &Option<Box<Reuse>>, path: &Path) -> Option<fs::File> {
    reuse.as_ref()?.holds.as_ref()?;
    open_own(path)
}

/// The file at `path` opened to be written over in place, when it is a
/// regular file no other name links to: never through a link, nor
/// waiting on a pipe. The caller writes from its start and cuts it to
/// what it wrote.
#[cfg(unix)]
pub fn open_own(path: &Path) -> Option<fs::File> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let seen = fs::symlink_metadata(path).ok()?;
    if !seen.is_file() || seen.nlink() != 1 {
        return None;
    }
    let file = fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .ok()?;
    let meta = file.metadata().ok()?;
    let same = (meta.dev(), meta.ino()) == (seen.dev(), seen.ino());
    (same && meta.is_file() && meta.nlink() == 1).then_some(file)
}

#[cfg(not(unix))]
pub fn open_own(_: &Path) -> Option<fs::File> {
    None
}

/// Removes a file written earlier at `path` in this build before it is
/// written again, when files may have been linked: writing into a linked
/// file would change the published site's copy too.
fn unlink_reused(reuse: &Option<Box<Reuse>>, path: &Path) -> Result<()> {
    match reuse.as_ref().map(|_| fs::remove_file(path)) {
        Some(Err(e)) if e.kind() != std::io::ErrorKind::NotFound => Err(failed(path, e)),
        _ => Ok(()),
    }
}

/// The path of `rel` below `dir`, its folder made if this build has not
/// made it yet (not checked again for every file). Over a spare, a file
/// the spare holds where this build needs a folder (a path that was a file
/// in the site before last) is removed first.
fn file_path(
    dir: &Path,
    written: &Mutex<Written>,
    reuse: &Option<Box<Reuse>>,
    rel: &str,
) -> Result<PathBuf> {
    if let Some((folder, _)) = rel.rsplit_once('/')
        && !lock(written).folders.contains(folder)
    {
        let parent = dir.join(folder);
        if fs::create_dir_all(&parent).is_err() {
            let holds = reuse.as_ref().and_then(|r| r.holds.as_ref());
            for (i, _) in folder.match_indices('/').chain([(folder.len(), "")]) {
                if holds.is_some_and(|h| h.contains_key(&folder[..i])) {
                    let _ = fs::remove_file(dir.join(&folder[..i]));
                }
            }
            fs::create_dir_all(&parent).map_err(|e| failed(&parent, e))?;
        }
        lock(written).folders.insert(folder.to_string());
    }
    Ok(dir.join(rel))
}

/// Whether the spare written into already holds `sum` at `rel`, and this
/// build has not written `rel` yet: then the file is left alone, and its
/// folder is there (the spare was checked to hold it), so it is not made
/// again: asking for each of some 12,000 folders that exist was as many
/// failed `mkdir` calls a build.
fn already_there(
    reuse: &Option<Box<Reuse>>,
    written: &Mutex<Written>,
    rel: &str,
    sum: &[u8; 32],
) -> Option<Stamp> {
    let held = reuse.as_ref()?.holds.as_ref()?.get(rel)?;
    (held.sum == *sum && !lock(written).done.contains_key(rel)).then_some(held.stamp)
}

/// Numbers the temporary names of the files written into a spare.
static PART: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Where a file is written: its own path in a fresh folder; over a spare,
/// a temporary name at the top of the folder (`.isms-site-part-N`, no
/// site file is named so), renamed over the path by [`Target::finish`].
struct Target {
    at: PathBuf,
    path: PathBuf,
}

impl Target {
    fn new(dir: &Path, path: &Path, reuse: &Option<Box<Reuse>>) -> Target {
        let over_spare = reuse.as_ref().is_some_and(|r| r.holds.is_some());
        let at = if over_spare {
            let n = PART.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            dir.join(format!(".isms-site-part-{n}"))
        } else {
            path.to_path_buf()
        };
        Target {
            at,
            path: path.to_path_buf(),
        }
    }

    /// Renames the temporary file over the path. A folder the spare holds
    /// where this build writes a file (a path that was a folder in the
    /// site before last) loses the files the spare's record lists, and
    /// then goes; anything else in it makes the write fail.
    fn finish(self, dir: &Path, reuse: &Option<Box<Reuse>>, rel: &str) -> Result<()> {
        if self.at == self.path || fs::rename(&self.at, &self.path).is_ok() {
            return Ok(());
        }
        if let Some(holds) = reuse.as_ref().and_then(|r| r.holds.as_ref())
            && fs::symlink_metadata(&self.path).is_ok_and(|m| m.is_dir())
        {
            clear_folder(dir, holds, rel);
        }
        fs::rename(&self.at, &self.path).map_err(|e| {
            let _ = fs::remove_file(&self.at);
            failed(&self.path, e)
        })
    }
}

/// Removes from the spare `dir` the files below `rel/` that `holds`
/// lists, then the folders below it and `rel` itself once empty.
fn clear_folder(dir: &Path, holds: &std::collections::HashMap<String, Record>, rel: &str) {
    let prefix = format!("{rel}/");
    let mut folders = std::collections::BTreeSet::new();
    for f in holds.keys().filter(|f| f.starts_with(&prefix)) {
        let _ = fs::remove_file(dir.join(f));
        for (i, _) in f.match_indices('/') {
            if i >= rel.len() {
                folders.insert(f[..i].to_string());
            }
        }
    }
    // Deepest first.
    let mut folders: Vec<String> = folders.into_iter().collect();
    folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for f in folders {
        let _ = fs::remove_dir(dir.join(f));
    }
}

/// Writes `bytes` as a new file at `path`; its stamp once written, asked
/// of the open file.
fn write_file(path: &Path, bytes: &[u8]) -> Result<Stamp> {
    let mut file = fs::File::create(path).map_err(|e| failed(path, e))?;
    file.write_all(bytes).map_err(|e| failed(path, e))?;
    let meta = file.metadata().map_err(|e| failed(path, e))?;
    Ok(Stamp::of(&meta))
}

fn failed(path: &Path, e: std::io::Error) -> RenderError {
    RenderError(format!("{}: {e}", path.display()))
}

/// What has been written into a folder: files with their SHA-256, and the
/// folders made.
#[derive(Default)]
pub struct Written {
    files: Vec<String>,
    done: BTreeMap<String, Done>,
    folders: std::collections::HashSet<String>,
}

/// A file written by this build.
#[derive(Clone, Copy, Debug)]
pub struct Done {
    pub sum: [u8; 32],
    /// Its stamp as it was written, linked or found: the build cache
    /// records these instead of asking every file's again after the swap
    /// (12,000 `statx` at 10,000 entries), and a file changed by anyone
    /// after this build wrote it then never matches its record. `None`
    /// when not known (a memory sink, or the stamp could not be had).
    pub stamp: Option<Stamp>,
}

impl Written {
    fn add(&mut self, rel: &str, sum: [u8; 32], stamp: Option<Stamp>) {
        self.files.push(rel.to_string());
        self.done.insert(rel.to_string(), Done { sum, stamp });
    }
}

/// What a [`Hashing`] writer sums the bytes with: SHA-256 for the
/// published files (`SHA256SUMS`), a seal for the files a build keeps
/// (`integrity::Sealing`).
pub(crate) trait Summer: Default {
    type Sum;
    fn add(&mut self, bytes: &[u8]);
    fn sum(self) -> Self::Sum;
}

impl Summer for Sha256 {
    type Sum = [u8; 32];
    fn add(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
    fn sum(self) -> [u8; 32] {
        self.finalize().into()
    }
}

/// Passes writes on to `inner` (a file), hashing the bytes on their way:
/// the sum is of what was written, without reading the file back.
pub(crate) struct Hashing<W: Write, S: Summer = Sha256> {
    inner: W,
    hasher: S,
}

impl<W: Write, S: Summer> Hashing<W, S> {
    pub(crate) fn new(inner: W) -> Self {
        Hashing {
            inner,
            hasher: S::default(),
        }
    }

    /// What it wrote to, and the sum of every byte it wrote.
    pub(crate) fn into_parts(self) -> (W, S::Sum) {
        (self.inner, self.hasher.sum())
    }
}

impl<W: Write, S: Summer> Write for Hashing<W, S> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.add(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A poisoned lock only means another writer panicked; the data is fine.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A memory sink refuses every write once its flag is raised, a
    /// streamed file mid-stream, and writes again once it is let go.
    #[test]
    fn a_halted_memory_sink_refuses_writes_until_let_go() {
        let out = Out::memory();
        let flag = Arc::new(AtomicBool::new(false));
        out.halt_when(Some(Arc::clone(&flag)));
        out.write("a.html", b"a").unwrap();
        assert!(!out.halted());
        let streamed = out.write_with("b.json", |w| {
            w.write_all(b"[1,")?;
            flag.store(true, Ordering::SeqCst);
            w.write_all(b"2]")
        });
        assert!(streamed.unwrap_err().0.contains(HALTED));
        assert!(out.halted());
        assert!(out.write("c.html", b"c").is_err());
        assert_eq!(out.written(), ["a.html"]);
        out.halt_when(None);
        assert!(!out.halted());
        out.write("c.html", b"c").unwrap();
        // A folder is never halted.
        let dir = tempfile::tempdir().unwrap();
        let folder = Out::dir(dir.path());
        folder.halt_when(Some(flag));
        folder.write("d.html", b"d").unwrap();
        assert!(!folder.halted());
    }

    /// Over a spare, a streamed file that only the spare has is written
    /// over in place (same inode), cut to its new length; one the spare
    /// shares with the published site (a hard link) is written under a
    /// new inode, the published copy untouched; a link is replaced, never
    /// written through.
    #[cfg(unix)]
    #[test]
    fn a_streamed_file_is_written_in_place_only_where_the_spare_alone_has_it() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let (spare, live) = (tmp.path().join("spare"), tmp.path().join("live"));
        fs::create_dir_all(&spare).unwrap();
        fs::create_dir_all(&live).unwrap();
        fs::write(spare.join("own.json"), "the site before last, longer").unwrap();
        fs::write(live.join("shared.json"), "published").unwrap();
        fs::hard_link(live.join("shared.json"), spare.join("shared.json")).unwrap();
        fs::write(tmp.path().join("elsewhere.json"), "not the site's").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("elsewhere.json"), spare.join("link.json"))
            .unwrap();
        let ino = |p: &Path| fs::symlink_metadata(p).unwrap().ino();
        let (own, shared) = (
            ino(&spare.join("own.json")),
            ino(&spare.join("shared.json")),
        );
        let reuse = Reuse {
            from: live.clone(),
            files: Default::default(),
            holds: Some(Default::default()),
        };
        let out = Out::dir_reusing(&spare, reuse);
        for name in ["own.json", "shared.json", "link.json"] {
            out.write_with(name, |w| w.write_all(b"new")).unwrap();
            assert_eq!(fs::read(spare.join(name)).unwrap(), b"new", "{name}");
        }
        assert_eq!(ino(&spare.join("own.json")), own, "not written in place");
        assert_ne!(ino(&spare.join("shared.json")), shared);
        assert_eq!(fs::read(live.join("shared.json")).unwrap(), b"published");
        assert!(
            fs::symlink_metadata(spare.join("link.json"))
                .unwrap()
                .is_file()
        );
        assert_eq!(
            fs::read(tmp.path().join("elsewhere.json")).unwrap(),
            b"not the site's"
        );
        // Each with the SHA-256 of what it now holds.
        let sums = out.sums();
        assert_eq!(sums["own.json"], <[u8; 32]>::from(Sha256::digest(b"new")));
    }
}
