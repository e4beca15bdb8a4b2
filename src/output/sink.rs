//! Where output goes: a folder (`build`) or memory (`serve`). Every writer
//! of every layer above writes through [`Out`].

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    /// the sitemap need the list; keeping it saves walking the folder).
    Dir(PathBuf, Mutex<Written>),
    Memory(Mutex<BTreeMap<String, Vec<u8>>>),
}

impl Out {
    pub fn dir(dir: &Path) -> Out {
        Out::Dir(dir.to_path_buf(), Mutex::new(Written::default()))
    }

    pub fn memory() -> Out {
        Out::Memory(Mutex::new(BTreeMap::new()))
    }

    /// Writes one file at a `/`-separated path below the site root, creating
    /// parent folders as needed.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        match self {
            Out::Dir(dir, written) => {
                let path = file_path(dir, written, rel)?;
                fs::write(&path, bytes).map_err(|e| failed(&path, e))?;
                lock(written).files.push(rel.to_string());
            }
            Out::Memory(files) => {
                lock(files).insert(rel.to_string(), bytes.to_vec());
            }
        }
        Ok(())
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
            Out::Dir(dir, written) => {
                let path = file_path(dir, written, rel)?;
                let file = fs::File::create(&path).map_err(|e| failed(&path, e))?;
                let mut w = std::io::BufWriter::with_capacity(64 * 1024, file);
                fill(&mut w)
                    .and_then(|()| w.flush())
                    .map_err(|e| failed(&path, e))?;
                lock(written).files.push(rel.to_string());
            }
            Out::Memory(files) => {
                let mut bytes = Vec::new();
                fill(&mut bytes).map_err(|e| RenderError(format!("{rel}: {e}")))?;
                lock(files).insert(rel.to_string(), bytes);
            }
        }
        Ok(())
    }

    /// The `/`-separated paths written so far, sorted.
    pub fn written(&self) -> Vec<String> {
        match self {
            Out::Dir(_, written) => {
                let mut list = lock(written).files.clone();
                list.sort();
                list.dedup();
                list
            }
            Out::Memory(files) => lock(files).keys().cloned().collect(),
        }
    }

    /// The files written to a memory sink, by path (empty for a folder).
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        match self {
            Out::Dir(..) => BTreeMap::new(),
            Out::Memory(files) => files.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }
}

/// The path of `rel` below `dir`, its folder made if this build has not
/// made it yet (not checked again for every file).
fn file_path(dir: &Path, written: &Mutex<Written>, rel: &str) -> Result<PathBuf> {
    if let Some((folder, _)) = rel.rsplit_once('/')
        && !lock(written).folders.contains(folder)
    {
        let parent = dir.join(folder);
        fs::create_dir_all(&parent).map_err(|e| failed(&parent, e))?;
        lock(written).folders.insert(folder.to_string());
    }
    Ok(dir.join(rel))
}

fn failed(path: &Path, e: std::io::Error) -> RenderError {
    RenderError(format!("{}: {e}", path.display()))
}

/// What has been written into a folder: files, and the folders made.
#[derive(Default)]
pub struct Written {
    files: Vec<String>,
    folders: std::collections::HashSet<String>,
}

/// A poisoned lock only means another writer panicked; the data is fine.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
