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

use super::source::Stamp;
use crate::model::diag::Diagnostics;
use crate::model::{Entry, Plan, Review};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Default)]
pub struct Cache {
    pub(super) register: Slot<(Vec<Entry>, Vec<String>)>,
    pub(super) plans: Slot<Option<Plan>>,
    pub(super) reviews: Slot<Option<Review>>,
    /// The evidence list the register results were checked against.
    evidence: Mutex<Option<HashSet<String>>>,
    /// The last revision history read from git.
    pub(crate) git: super::git::Memo,
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
        fn stamp(&self, path: &Path) -> Option<crate::content::source::Stamp> {
            self.folder.stamp(path)
        }
    }

    /// Saves read one file, not all of them; and any write is seen, even
    /// one that keeps the size and puts the modification time back.
    #[test]
    fn a_file_is_read_again_only_when_its_stamp_moved() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("content");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &dir);
        let source = Counting {
            folder: Folder::trusting_at_once(&dir),
            reads: Default::default(),
        };
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
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("content");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &dir);
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
}
