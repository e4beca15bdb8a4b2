//! Where output goes: a folder (`build`) or memory (`serve`). Every writer
//! of every layer above writes through [`Out`].

use sha2::{Digest, Sha256};
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
                let sum = Sha256::digest(bytes).into();
                lock(written).add(rel, sum);
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
                let hashing = Hashing {
                    inner: file,
                    hasher: Sha256::new(),
                };
                let mut w = std::io::BufWriter::with_capacity(64 * 1024, hashing);
                fill(&mut w)
                    .and_then(|()| w.flush())
                    .map_err(|e| failed(&path, e))?;
                let sum = w.into_parts().0.hasher.finalize().into();
                lock(written).add(rel, sum);
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

    /// The SHA-256 of every file written so far, by `/`-separated path,
    /// sorted: of the bytes handed to the file system as they went out
    /// (a folder), or of the bytes kept (memory).
    pub fn sums(&self) -> BTreeMap<String, [u8; 32]> {
        match self {
            Out::Dir(_, written) => lock(written).sums.clone(),
            Out::Memory(files) => lock(files)
                .iter()
                .map(|(rel, bytes)| (rel.clone(), Sha256::digest(bytes).into()))
                .collect(),
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

/// What has been written into a folder: files with their SHA-256, and the
/// folders made.
#[derive(Default)]
pub struct Written {
    files: Vec<String>,
    sums: BTreeMap<String, [u8; 32]>,
    folders: std::collections::HashSet<String>,
}

impl Written {
    fn add(&mut self, rel: &str, sum: [u8; 32]) {
        self.files.push(rel.to_string());
        self.sums.insert(rel.to_string(), sum);
    }
}

/// Passes writes on to a file, hashing the bytes on their way: the sum is
/// of what was written, without reading the file back.
struct Hashing {
    inner: fs::File,
    hasher: Sha256,
}

impl Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
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
