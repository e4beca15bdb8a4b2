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

use crate::model::diag::Diagnostics;
use crate::model::{Entry, Plan, Review};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

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

/// One kind of file: path → (text, what parsing it gave).
pub(super) struct Slot<T>(Mutex<HashMap<PathBuf, (String, T, Diagnostics)>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(Mutex::new(HashMap::new()))
    }
}

impl<T: Clone> Slot<T> {
    /// What `parse` gives for `text`, reused when the file's text is
    /// unchanged since the last call.
    pub(super) fn get(
        &self,
        path: &Path,
        text: String,
        parse: impl FnOnce(&str, &mut Diagnostics) -> T,
    ) -> (T, Diagnostics) {
        if let Some((old, value, diags)) = self.lock().get(path)
            && *old == text
        {
            return (value.clone(), diags.clone());
        }
        let mut diags = Diagnostics::default();
        let value = parse(&text, &mut diags);
        self.lock()
            .insert(path.to_path_buf(), (text, value.clone(), diags.clone()));
        (value, diags)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<PathBuf, (String, T, Diagnostics)>> {
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
    use crate::content::{Folder, copy_dir, load};
    use std::fs;

    /// The same register and the same problems as an uncached load.
    fn same_as_uncached(dir: &Path, cache: &Cache) {
        let (plain, plain_diags) = load(&Folder::new(dir), None);
        let (cached, cached_diags) = load(&Folder::new(dir), Some(cache));
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
