//! Parsed content files kept between rebuilds of the live preview.
//!
//! Parsing YAML is the largest single cost of a build. When an author saves
//! one file, every other file reads back the same text, so `serve` keeps
//! what each file gave last time and parses again only the files whose
//! text changed. A file's result depends on its text alone, except for a
//! register entry's evidence links, which depend on the evidence folder's
//! file list: when that list changes, the register results are dropped.
//! Results are reused only for byte-identical text, so a cached build is
//! exactly the build `build` would make.
//!
//! `build` keeps its parses too, on disk between runs ([`Cache::for_build`],
//! written by `site::parsed`): encoded, and checked against the SHA-256 of
//! each file's bytes that the build reads anyway for its key, so a file
//! unchanged since the last build is neither read nor parsed.

use super::source::{Source, Stamp};
use crate::model::diag::Diagnostics;
use crate::model::{Entry, Plan, Review};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

#[derive(Default)]
pub struct Cache {
    pub(super) register: Slot<(Vec<Entry>, Vec<String>)>,
    pub(super) plans: Slot<Option<Plan>>,
    pub(super) reviews: Slot<Option<Review>>,
    /// The evidence list the register results were checked against.
    evidence: Mutex<Option<HashSet<String>>>,
    /// The last revision history read from git.
    pub(crate) git: super::git::Memo,
    /// A build's: the parses kept on disk between builds, used instead of
    /// the slots (see [`Cache::for_build`]).
    pub(super) parsed: Option<Parsed>,
}

/// One kind of file: path → what reading and parsing it gave.
pub(super) struct Slot<T>(Mutex<HashMap<PathBuf, Kept<T>>>);

pub(super) struct Kept<T> {
    text: String,
    /// The file's stamp when `text` was read, if the source vouched for it.
    stamp: Option<Stamp>,
    /// Shared, so the lock is held for a reference count, not a deep
    /// copy: the copies are made outside it, on every thread at once
    /// (copied under the one lock, 10,000 entries took the preview's two
    /// threads one at a time).
    value: Arc<(T, Diagnostics)>,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(Mutex::new(HashMap::new()))
    }
}

impl<T: Clone> Slot<T> {
    /// What the file gave last time, without reading it, when its stamp
    /// is the one it had then (reading every file was most of a save's
    /// load at 10,000 entries).
    pub(super) fn unchanged(&self, path: &Path, stamp: Option<Stamp>) -> Option<(T, Diagnostics)> {
        let stamp = stamp?;
        let kept = {
            let map = self.lock();
            Arc::clone(&map.get(path).filter(|k| k.stamp == Some(stamp))?.value)
        };
        Some(kept.as_ref().clone())
    }

    /// What `parse` gives for `text`, reused when the file's text is
    /// unchanged since the last call. `stamp` is the file's as `text`
    /// was read.
    pub(super) fn get(
        &self,
        path: &Path,
        text: String,
        stamp: Option<Stamp>,
        parse: impl FnOnce(&str, &mut Diagnostics) -> T,
    ) -> (T, Diagnostics) {
        let same = self.lock().get_mut(path).and_then(|kept| {
            (kept.text == text).then(|| {
                kept.stamp = stamp;
                Arc::clone(&kept.value)
            })
        });
        if let Some(kept) = same {
            return kept.as_ref().clone();
        }
        let mut diags = Diagnostics::default();
        let value = parse(&text, &mut diags);
        let kept = Kept {
            text,
            stamp,
            value: Arc::new((value.clone(), diags.clone())),
        };
        self.lock().insert(path.to_path_buf(), kept);
        (value, diags)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<PathBuf, Kept<T>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Cache {
    /// Forgets register results checked against another evidence list, and
    /// files that are gone, so the cache never outgrows the content.
    pub(super) fn refresh(&self, evidence: &HashSet<String>, present: &HashSet<&Path>) {
        if let Some(p) = &self.parsed {
            let _ = p.evidence.set(evidence_sum(evidence));
            return;
        }
        let mut seen = self.evidence.lock().unwrap_or_else(|e| e.into_inner());
        if seen.as_ref() != Some(evidence) {
            self.register.lock().clear();
            *seen = Some(evidence.clone());
        }
        self.register
            .lock()
            .retain(|p, _| present.contains(p.as_path()));
        self.plans
            .lock()
            .retain(|p, _| present.contains(p.as_path()));
        self.reviews
            .lock()
            .retain(|p, _| present.contains(p.as_path()));
    }
}

/// The kinds of file a build keeps parses of. A register file's parse
/// also depends on the evidence list (its links are checked against it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParsedKind {
    Register,
    Plan,
    Review,
}

impl ParsedKind {
    pub const ALL: [ParsedKind; 3] = [ParsedKind::Register, ParsedKind::Plan, ParsedKind::Review];

    /// Its tag in the file `site::parsed` writes.
    pub fn tag(self) -> u8 {
        self as u8
    }

    pub fn of_tag(tag: u8) -> Option<ParsedKind> {
        Self::ALL.get(usize::from(tag)).copied()
    }
}

/// One content file's parse as a build keeps it: the SHA-256 of the text
/// parsed, and what parsing it gave (the value and its problems), encoded
/// with postcard. Kept encoded: decoded only when used, on the loader's
/// threads, and written again as it is. Shared: a kept parse goes both to
/// the loader and to the set written for the next build, and a copy of
/// each was some 36 MB a build at 10,000 entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFile {
    pub kind: ParsedKind,
    pub path: PathBuf,
    pub sum: [u8; 32],
    pub bytes: Shared,
}

/// A part of bytes shared with others: the kept parses are records of
/// one file read whole, each used where it lies. Copied out into a buffer
/// of its own, every record was 36 MB more copied (and as many pages
/// first touched) a build at 10,000 entries (issue 27).
#[derive(Clone)]
pub struct Shared {
    all: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl Shared {
    /// The bytes `all[range]`; `None` when the range lies outside them.
    pub fn part(all: &Arc<Vec<u8>>, range: std::ops::Range<usize>) -> Option<Shared> {
        all.get(range.clone())?;
        Some(Shared {
            all: Arc::clone(all),
            start: range.start,
            end: range.end,
        })
    }
}

impl std::ops::Deref for Shared {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // Checked when made: never out of bounds.
        self.all.get(self.start..self.end).unwrap_or_default()
    }
}

impl From<Vec<u8>> for Shared {
    fn from(mut bytes: Vec<u8>) -> Shared {
        // A record just encoded has room to spare (its vector doubled as
        // it grew): kept as it is, that was held for every file.
        bytes.shrink_to_fit();
        let end = bytes.len();
        Shared {
            all: Arc::new(bytes),
            start: 0,
            end,
        }
    }
}

impl From<&[u8]> for Shared {
    fn from(bytes: &[u8]) -> Shared {
        bytes.to_vec().into()
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        **self == **other
    }
}

impl Eq for Shared {}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} bytes", self.len())
    }
}

/// The SHA-256 of content files' bytes, by the path the loader reads
/// each at, with their length when it is known.
pub type Digests = HashMap<PathBuf, Digested>;

/// A content file's SHA-256 and the length of the bytes it is of: a kept
/// parse is bounded by that length without asking the file's size again
/// (a `statx` per file was 35 ms of CPU at 10,000 entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digested {
    pub sum: [u8; 32],
    pub len: Option<u64>,
}

/// The parses a build keeps between runs (`site::parsed` writes and reads
/// them beside the output): one per register, plan and review file, and
/// the digest of the evidence list the register files were read against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedSet {
    pub evidence: [u8; 32],
    pub files: Vec<ParsedFile>,
}

/// A build's parses: last build's, taken for a file whose bytes are the
/// ones they were parsed from, and this build's, to keep for the next.
pub(super) struct Parsed {
    /// The SHA-256 of each content file's bytes as the build read them
    /// for its key (`site::reuse::tree`): what a kept parse is checked
    /// against, without reading the file again.
    digests: Digests,
    earlier: HashMap<(ParsedKind, PathBuf), ParsedFile>,
    earlier_evidence: Option<[u8; 32]>,
    /// This build's evidence list's digest, set by [`Cache::refresh`].
    evidence: OnceLock<[u8; 32]>,
    now: Mutex<Vec<ParsedFile>>,
    /// Whether any file was parsed rather than taken from `earlier`.
    parsed_afresh: std::sync::atomic::AtomicBool,
}

impl Cache {
    /// A build's cache: `digests` holds the SHA-256 of each content file's
    /// bytes (by the path the loader reads it at), `earlier` what the last
    /// build kept. A file whose digest is the one a kept parse was made
    /// from is not read or parsed again; every other file is, and what it
    /// gives is kept for [`Cache::into_parsed`]. Only parses are taken:
    /// every check across files runs on every load.
    pub fn for_build(digests: Digests, earlier: Option<ParsedSet>) -> Cache {
        let earlier_evidence = earlier.as_ref().map(|e| e.evidence);
        let earlier = earlier
            .map(|e| e.files)
            .unwrap_or_default()
            .into_iter()
            .map(|f| ((f.kind, f.path.clone()), f))
            .collect();
        Cache {
            parsed: Some(Parsed {
                digests,
                earlier,
                earlier_evidence,
                evidence: OnceLock::new(),
                now: Mutex::new(Vec::new()),
                parsed_afresh: Default::default(),
            }),
            ..Cache::default()
        }
    }

    /// The parses of the last load through a build's cache, sorted by
    /// path, to keep for the next build; `None` for the live preview's
    /// cache, or before a load.
    pub fn into_parsed(self) -> Option<ParsedSet> {
        let p = self.parsed?;
        let evidence = *p.evidence.get()?;
        let mut files = p.now.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| (a.kind.tag(), &a.path).cmp(&(b.kind.tag(), &b.path)));
        Some(ParsedSet { evidence, files })
    }

    /// Whether the parses to keep differ from those the build was given:
    /// a file was parsed, or one given was not used (its file changed or
    /// is gone), or the evidence list changed. When not, the kept file is
    /// already what it would be written as.
    pub fn parsed_changed(&self) -> bool {
        let Some(p) = &self.parsed else {
            return false;
        };
        let now = p.now.lock().unwrap_or_else(|e| e.into_inner()).len();
        p.parsed_afresh.load(std::sync::atomic::Ordering::Relaxed)
            || now != p.earlier.len()
            || p.earlier_evidence != p.evidence.get().copied()
    }

    /// The git memo, for the live preview only: a build reads git once.
    pub(crate) fn git_memo(&self) -> Option<&super::git::Memo> {
        self.parsed.is_none().then_some(&self.git)
    }
}

impl Parsed {
    /// What `path` gives: the kept parse when its bytes are unchanged,
    /// else read and parsed (and kept for the next build).
    pub(super) fn get<T: Default + Serialize + DeserializeOwned>(
        &self,
        kind: ParsedKind,
        source: &dyn Source,
        path: &Path,
        parse: impl FnOnce(&str, &mut Diagnostics) -> T,
    ) -> (T, Diagnostics) {
        if let Some(kept) = self.kept(kind, path, || source.size(path)) {
            return kept;
        }
        let mut diags = Diagnostics::default();
        let Some(text) = source.read(path, &mut diags) else {
            return (T::default(), diags);
        };
        let value = parse(&text, &mut diags);
        self.parsed_afresh
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if let Ok(bytes) = postcard::to_allocvec(&(&value, &diags)) {
            self.keep(ParsedFile {
                kind,
                path: path.to_path_buf(),
                sum: Sha256::digest(text.as_bytes()).into(),
                bytes: bytes.into(),
            });
        }
        (value, diags)
    }

    /// The last build's parse of `path`, when the file's bytes are those
    /// it was made from (and, for a register file, the evidence list is
    /// the same); anything that does not decode is parsed afresh.
    ///
    /// A parse is used only when it is no more than four times the file's
    /// size (and 64 KiB more; as written it is about its size): a planted
    /// file of parses, whose every record decodes to many times its own
    /// size, then takes no more memory than parsing the content would.
    fn kept<T: DeserializeOwned>(
        &self,
        kind: ParsedKind,
        path: &Path,
        size: impl FnOnce() -> Option<u64>,
    ) -> Option<(T, Diagnostics)> {
        if kind == ParsedKind::Register && self.earlier_evidence != self.evidence.get().copied() {
            return None;
        }
        let digested = self.digests.get(path)?;
        let sum = &digested.sum;
        let file = self.earlier.get(&(kind, path.to_path_buf()))?;
        // `Path` equality passes over `.` and doubled separators, but the
        // parse names its file as the build that made it spelt it.
        if file.sum != *sum || file.path.as_os_str() != path.as_os_str() {
            return None;
        }
        let size = digested.len.or_else(size)?;
        let bound = size.saturating_mul(4).saturating_add(64 << 10);
        if u64::try_from(file.bytes.len()).ok()? > bound {
            return None;
        }
        let value = postcard::from_bytes(&file.bytes).ok()?;
        self.keep(file.clone());
        Some(value)
    }

    fn keep(&self, file: ParsedFile) {
        self.now
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file);
    }
}

/// The digest of an evidence list (its paths sorted).
fn evidence_sum(evidence: &HashSet<String>) -> [u8; 32] {
    let mut paths: Vec<&String> = evidence.iter().collect();
    paths.sort();
    let mut h = Sha256::new();
    for p in paths {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::source::{FileKind, Source};
    use crate::content::{Folder, copy_dir, load};
    use std::fs;

    /// The same register and the same problems as an uncached load.
    fn same_as_uncached(dir: &Path, cache: &Cache) {
        let (plain, plain_diags) = load(&Folder::new(dir), None);
        let (cached, cached_diags) = load(&Folder::trusting_at_once(dir), Some(cache));
        // The id index is a HashMap, whose Debug order varies: compare the rest.
        let shown = |r: &Option<crate::model::Register>| {
            r.as_ref().map(|r| {
                format!(
                    "{:?} {:?} {:?} {:?} {:?}",
                    r.site, r.entries, r.plans, r.reviews, r.evidence
                )
            })
        };
        assert_eq!(shown(&plain), shown(&cached));
        assert_eq!(
            plain_diags.render_human(false),
            cached_diags.render_human(false)
        );
    }

    /// A folder that counts the register files it reads.
    struct Counting {
        folder: Folder,
        reads: std::sync::atomic::AtomicUsize,
    }

    impl Counting {
        fn over(folder: Folder) -> Counting {
            Counting {
                folder,
                reads: Default::default(),
            }
        }
    }

    /// A copy of the demo content in a new temporary folder (removed when
    /// the first value is dropped), and the content's path.
    fn demo_copy() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("content");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &dir);
        (tmp, dir)
    }

    /// Adds `CI-900`, whose description is still the template's
    /// placeholder: a register file with a warning of its own.
    fn add_placeholder_entry(dir: &Path) {
        let placeholder = crate::content::PLACEHOLDER_DESCRIPTION;
        fs::write(
            dir.join("register/CI-900.yaml"),
            format!("title: T\nidentified: 2025-01-01\nstatus: planned\npriority: low\ndescription: {placeholder}\n"),
        )
        .unwrap();
    }

    impl Source for Counting {
        fn root(&self) -> &Path {
            self.folder.root()
        }
        fn exists(&self) -> bool {
            self.folder.exists()
        }
        fn list(&self, dir: &Path, d: &mut Diagnostics) -> Vec<(String, PathBuf, FileKind)> {
            self.folder.list(dir, d)
        }
        fn read(&self, path: &Path, d: &mut Diagnostics) -> Option<String> {
            if path.parent().is_some_and(|p| p.ends_with("register")) {
                self.reads
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            self.folder.read(path, d)
        }
        fn size(&self, path: &Path) -> Option<u64> {
            self.folder.size(path)
        }

        fn stamp(&self, path: &Path) -> Option<crate::content::source::Stamp> {
            self.folder.stamp(path)
        }
    }

    /// Saves read one file, not all of them; and any write is seen, even
    /// one that keeps the size and puts the modification time back.
    #[test]
    fn a_file_is_read_again_only_when_its_stamp_moved() {
        let (_tmp, dir) = demo_copy();
        let source = Counting::over(Folder::trusting_at_once(&dir));
        let reads = || source.reads.swap(0, std::sync::atomic::Ordering::Relaxed);
        let cache = Cache::default();
        load(&source, Some(&cache));
        assert!(reads() > 10);
        load(&source, Some(&cache));
        assert_eq!(reads(), 0);

        let entry = dir.join("register/CI-001.yaml");
        let text = fs::read_to_string(&entry).unwrap();
        let mtime = fs::metadata(&entry).unwrap().modified().unwrap();
        let same_size = text
            .replacen("title: ", "title: X", 1)
            .replacen("  ", " ", 1);
        assert_eq!(same_size.len(), text.len());
        fs::write(&entry, &same_size).unwrap();
        fs::File::options()
            .write(true)
            .open(&entry)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        // Changed a moment ago: no stamp, so it is read every time (a
        // margin of 3 s; checked at once, so a slow machine is no matter).
        assert!(Folder::new(&dir).stamp(&entry).is_none());
        let (reg, _) = load(&source, Some(&cache));
        assert_eq!(reads(), 1);
        let reg = reg.unwrap();
        let i = reg.entry_index("CI-001").unwrap();
        assert!(reg.entries[i].title.starts_with('X'));
        same_as_uncached(&dir, &cache);
        assert!(source.stamp(&entry).is_some());
    }

    #[test]
    fn cached_loads_equal_fresh_loads_through_edits() {
        let (_tmp, dir) = demo_copy();
        let cache = Cache::default();
        same_as_uncached(&dir, &cache);
        same_as_uncached(&dir, &cache);

        let entry = dir.join("register/CI-001.yaml");
        let text = fs::read_to_string(&entry).unwrap();
        fs::write(&entry, text.replacen("title:", "title: Edited", 1)).unwrap();
        same_as_uncached(&dir, &cache);
        let (reg, _) = load(&Folder::new(&dir), Some(&cache));
        assert!(reg.unwrap().entries[0].title.starts_with("Edited"));

        // A typo is reported from the cache exactly as fresh.
        fs::write(&entry, text.replacen("status:", "status: [", 1)).unwrap();
        same_as_uncached(&dir, &cache);

        // An evidence file disappearing breaks links in unchanged entries.
        fs::write(&entry, &text).unwrap();
        let evidence = fs::read_dir(dir.join("evidence"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        if evidence.file_type().unwrap().is_dir() {
            fs::remove_dir_all(evidence.path()).unwrap();
        } else {
            fs::remove_file(evidence.path()).unwrap();
        }
        same_as_uncached(&dir, &cache);
        let plan = dir.join("plans/access-control-hardening.md");
        fs::remove_file(&plan).unwrap();
        same_as_uncached(&dir, &cache);
    }

    /// The SHA-256 of each file below `dir`, as a build gives them
    /// (`site::reuse::tree_with_sums`).
    fn digests(dir: &Path) -> Digests {
        let mut out = HashMap::new();
        for e in fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                out.extend(digests(&path));
            } else {
                let bytes = fs::read(&path).unwrap();
                let digested = Digested {
                    sum: Sha256::digest(&bytes).into(),
                    len: Some(bytes.len() as u64),
                };
                out.insert(path.clone(), digested);
            }
        }
        out
    }

    /// A load of `dir` without any cache, shown as [`load_for_build`]
    /// shows its register and problems.
    fn uncached(dir: &Path) -> (String, String) {
        let (plain, diags) = load(&Folder::new(dir), None);
        let plain = plain.map(|r| format!("{:?} {:?} {:?}", r.entries, r.plans, r.reviews));
        (format!("{plain:?}"), diags.render_human(false))
    }

    /// A build's load through the parses `earlier` kept: the register (as
    /// `same_as_uncached` shows it), the problems, and what to keep next.
    fn load_for_build(
        source: &dyn Source,
        earlier: Option<ParsedSet>,
    ) -> (String, String, ParsedSet) {
        let given = earlier.clone();
        let cache = Cache::for_build(digests(source.root()), earlier);
        let (reg, diags) = load(source, Some(&cache));
        let changed = cache.parsed_changed();
        let shown = reg.map(|r| format!("{:?} {:?} {:?}", r.entries, r.plans, r.reviews));
        let kept = cache.into_parsed().unwrap();
        assert_eq!(changed, given.as_ref() != Some(&kept));
        (format!("{shown:?}"), diags.render_human(false), kept)
    }

    /// Issue 27: a build takes the parse of a file whose bytes are those
    /// the last build parsed instead of reading it, and gives what parsing
    /// gives: the same register, the same problems at the same places
    /// (errors and warnings alike), until its bytes or the evidence list
    /// change.
    #[test]
    fn a_build_takes_kept_parses_of_unchanged_files_with_their_problems() {
        let (_tmp, dir) = demo_copy();
        add_placeholder_entry(&dir);
        let broken = dir.join("register/CI-002.yaml");
        let broken_text = fs::read_to_string(&broken).unwrap();
        fs::write(&broken, broken_text.replacen("status:", "status: [", 1)).unwrap();
        let source = Counting::over(Folder::new(&dir));
        let reads = || source.reads.swap(0, std::sync::atomic::Ordering::Relaxed);

        let (fresh, fresh_diags, kept) = load_for_build(&source, None);
        assert!(reads() > 10);
        assert!(
            fresh_diags.contains("CI-900.yaml:5:14: warning"),
            "{fresh_diags}"
        );
        assert!(fresh_diags.contains("CI-002.yaml:"), "{fresh_diags}");
        let (again, again_diags, kept_again) = load_for_build(&source, Some(kept.clone()));
        assert_eq!(reads(), 0, "an unchanged file was read again");
        assert_eq!((&again, &again_diags), (&fresh, &fresh_diags));
        assert_eq!(
            kept_again, kept,
            "the same parses are kept for the next build"
        );

        // A fixed file is read again, and only it.
        fs::write(&broken, &broken_text).unwrap();
        let (fixed, fixed_diags, kept) = load_for_build(&source, Some(kept));
        assert_eq!(reads(), 1);
        let (plain, plain_diags) = uncached(&dir);
        assert!(plain_diags.contains("placeholder"));
        assert_eq!((fixed, fixed_diags), (plain, plain_diags));

        // Another evidence list: every register file is parsed again (its
        // links are checked against the list), plans and reviews are not.
        let evidence = fs::read_dir(dir.join("evidence"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        if evidence.file_type().unwrap().is_dir() {
            fs::remove_dir_all(evidence.path()).unwrap();
        } else {
            fs::remove_file(evidence.path()).unwrap();
        }
        let register_files = fs::read_dir(dir.join("register")).unwrap().count();
        let (linked, linked_diags, _) = load_for_build(&source, Some(kept));
        assert_eq!(reads(), register_files);
        let (plain, plain_diags) = uncached(&dir);
        assert_eq!((linked, linked_diags), (plain, plain_diags));
    }

    /// A kept parse made from other bytes, or one that does not decode,
    /// is never used: the file is parsed.
    #[test]
    fn a_kept_parse_is_used_only_for_the_bytes_it_was_made_from() {
        let (_tmp, dir) = demo_copy();
        let source = Counting::over(Folder::new(&dir));
        let (fresh, fresh_diags, mut kept) = load_for_build(&source, None);
        source.reads.swap(0, std::sync::atomic::Ordering::Relaxed);
        let (first, second) = (kept.files[0].clone(), kept.files[1].clone());
        assert_eq!(first.kind, ParsedKind::Register);
        assert_eq!(second.kind, ParsedKind::Register);
        // The first under the second's sum; the second cut short.
        kept.files[0].sum = second.sum;
        kept.files[1].bytes = kept.files[1].bytes[..3].into();
        let (again, again_diags, _) = load_for_build(&source, Some(kept));
        assert_eq!(source.reads.load(std::sync::atomic::Ordering::Relaxed), 2);
        assert_ne!(first.sum, second.sum);
        assert_eq!((again, again_diags), (fresh, fresh_diags));
    }

    /// Review s35: a kept parse is found by `Path` equality, which ignores
    /// `.` components and doubled separators, but holds the path text of
    /// the build that made it (in its problems and its entries' origin).
    /// After a build with `--content content/.`, one with `--content
    /// content` must name files as a cold build does.
    #[test]
    fn a_kept_parse_names_files_as_this_build_spells_them() {
        let (_tmp, dir) = demo_copy();
        add_placeholder_entry(&dir);
        let (_, dotted_diags, kept) = load_for_build(&Folder::new(&dir.join(".")), None);
        assert!(
            dotted_diags.contains("/./register/CI-900.yaml"),
            "{dotted_diags}"
        );
        let (again, again_diags, _) = load_for_build(&Folder::new(&dir), Some(kept));
        let (plain, plain_diags) = uncached(&dir);
        assert_eq!((again, again_diags), (plain, plain_diags));
    }

    /// Review s35: a kept parse many times the size of its file (a planted
    /// file of parses, whose records each decode to many times their own
    /// size) is not used: the file is read and parsed again.
    #[test]
    fn a_kept_parse_far_larger_than_its_file_is_not_used() {
        let (_tmp, dir) = demo_copy();
        let source = Counting::over(Folder::new(&dir));
        let reads = || source.reads.swap(0, std::sync::atomic::Ordering::Relaxed);
        let (fresh, _, mut kept) = load_for_build(&source, None);
        reads();
        // Trailing bytes decode the same: only the bound tells them apart.
        let padded = kept
            .files
            .iter_mut()
            .find(|f| f.path.ends_with("CI-001.yaml"))
            .unwrap();
        let mut longer = padded.bytes.to_vec();
        longer.extend(std::iter::repeat_n(0, 1 << 20));
        padded.bytes = longer.into();
        let (again, _, _) = load_for_build(&source, Some(kept));
        assert_eq!(reads(), 1, "the oversized parse was used");
        assert_eq!(again, fresh);
    }
}
