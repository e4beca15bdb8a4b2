//! Where the loader's files come from: a [`Folder`] on disk for builds,
//! [`InMemory`] text for the fuzz targets and tests, or an import's
//! entries, checked before anything is written (`import::Checked`). The loader (`content::load`) sees only
//! this interface, so every caller gets the same checks and the same
//! messages, word for word.

use super::files::is_ignored_name;
use super::yaml::limits::MAX_FILE_BYTES;
use crate::model::diag::{Diagnostics, Pos};
use std::path::{Path, PathBuf};

/// What a name in a folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    File,
    Folder,
    /// Neither (a device, a socket): listed, never read.
    Other,
}

/// The files of one content folder: list a folder, read a file.
pub trait Source: Sync {
    /// The content folder, as messages name it.
    fn root(&self) -> &Path;
    /// Whether the content folder is there at all.
    fn exists(&self) -> bool;
    /// The names in folder `dir` (a path below [`Source::root`]) with
    /// their paths and kinds, sorted by name; editor droppings are left
    /// out, and names that cannot be published are reported and left out.
    fn list(&self, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf, FileKind)>;
    /// The text of file `path`, without a byte-order mark; `None` (with the
    /// problem reported) when it is too large, not UTF-8 or unreadable.
    fn read(&self, path: &Path, diags: &mut Diagnostics) -> Option<String>;
    /// What the file system says about file `path`'s bytes, when it can
    /// vouch that equal stamps mean equal bytes ([`Stamp`]); `None` means
    /// "read it to know".
    fn stamp(&self, _path: &Path) -> Option<Stamp> {
        None
    }
    /// The size of file `path` in bytes, when known without reading it.
    fn size(&self, _path: &Path) -> Option<u64> {
        None
    }
}

/// A file's identity, size and change times. Any write changes the
/// change time (`ctime`), which no tool can set back, so a later stamp
/// equal to this one means the same bytes, as long as the later write
/// did not fall in the same tick of the file system's clock. Stamps are
/// therefore given only for files unchanged for [`Folder`]'s margin,
/// the way git treats "racily clean" files: a write after the stamp was
/// taken is then at least a margin later, in another tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    device: u64,
    inode: u64,
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

/// How long a file must be left alone before its stamp is trusted: above
/// the coarsest timestamps in use (FAT's two seconds).
const STAMP_MARGIN: std::time::Duration = std::time::Duration::from_secs(3);

/// A content folder on disk.
pub struct Folder {
    root: PathBuf,
    margin: std::time::Duration,
}

impl Folder {
    pub fn new(root: &Path) -> Folder {
        Folder {
            root: root.to_path_buf(),
            margin: STAMP_MARGIN,
        }
    }

    /// A folder whose files' stamps are trusted at once: for tests, which
    /// cannot wait for the margin (no tool sets a change time back).
    #[cfg(test)]
    pub(crate) fn trusting_at_once(root: &Path) -> Folder {
        Folder {
            root: root.to_path_buf(),
            margin: std::time::Duration::ZERO,
        }
    }
}

#[cfg(unix)]
fn stamp_of(meta: &std::fs::Metadata, margin: std::time::Duration) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let changed = std::time::UNIX_EPOCH
        + std::time::Duration::new(
            u64::try_from(meta.ctime()).ok()?,
            u32::try_from(meta.ctime_nsec()).ok()?,
        );
    // A clock that went back makes everything look recent: no stamp.
    let settled = std::time::SystemTime::now().duration_since(changed).ok()?;
    (settled >= margin && meta.is_file()).then(|| Stamp {
        device: meta.dev(),
        inode: meta.ino(),
        len: meta.len(),
        modified: (meta.mtime(), meta.mtime_nsec()),
        changed: (meta.ctime(), meta.ctime_nsec()),
    })
}

/// Elsewhere nothing is vouched for: every file is read.
#[cfg(not(unix))]
fn stamp_of(_: &std::fs::Metadata, _: std::time::Duration) -> Option<Stamp> {
    None
}

impl Source for Folder {
    fn root(&self) -> &Path {
        &self.root
    }

    fn exists(&self) -> bool {
        self.root.is_dir()
    }

    fn stamp(&self, path: &Path) -> Option<Stamp> {
        stamp_of(&std::fs::metadata(path).ok()?, self.margin)
    }

    fn size(&self, path: &Path) -> Option<u64> {
        let meta = std::fs::metadata(path).ok()?;
        meta.is_file().then_some(meta.len())
    }

    fn list(&self, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf, FileKind)> {
        super::sorted_dir(dir, diags)
            .into_iter()
            .map(|(name, path, ty)| {
                let kind = if ty.is_dir() {
                    FileKind::Folder
                } else if ty.is_file() {
                    FileKind::File
                } else {
                    FileKind::Other
                };
                (name, path, kind)
            })
            .collect()
    }

    fn read(&self, path: &Path, diags: &mut Diagnostics) -> Option<String> {
        // Opened once and asked its size once: `fs::metadata` and then
        // `fs::read` looked each path up twice and asked its size twice,
        // for every content file of a build (issue 27).
        let read = || -> std::io::Result<Result<Vec<u8>, u64>> {
            use std::io::Read as _;
            let file = std::fs::File::open(path)?;
            let len = file.metadata()?.len();
            if len > MAX_FILE_BYTES {
                return Ok(Err(len));
            }
            // No more than the limit, whatever the file grew to since.
            let mut bytes = Vec::with_capacity(len as usize);
            file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
            match bytes.len() as u64 {
                n if n > MAX_FILE_BYTES => Ok(Err(n)),
                _ => Ok(Ok(bytes)),
            }
        };
        match read() {
            Ok(Ok(bytes)) => text_of(path, bytes, diags),
            Ok(Err(len)) => {
                too_large(path, len, diags);
                None
            }
            Err(e) => {
                diags.error(path, Pos::START, format!("cannot read file: {e}"));
                None
            }
        }
    }
}

/// Files held in memory as `(path below the root, text)` pairs such as
/// `("register/CI-001.yaml", "title: ...")`, reported below `root`. A
/// path ending in `/` (`("register/", "")`) is a folder, empty or not.
pub struct InMemory {
    root: PathBuf,
    /// Sorted by path.
    files: Vec<(String, String)>,
}

impl InMemory {
    pub fn new<P: Into<String>, T: Into<String>>(
        root: &Path,
        files: impl IntoIterator<Item = (P, T)>,
    ) -> InMemory {
        let mut files: Vec<(String, String)> = files
            .into_iter()
            .map(|(p, t)| (p.into(), t.into()))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        InMemory {
            root: root.to_path_buf(),
            files,
        }
    }

    /// The path `dir` names below the root, `/`-separated ("" for the root).
    fn relative(&self, dir: &Path) -> Option<String> {
        let rel = dir.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }
}

impl Source for InMemory {
    fn root(&self) -> &Path {
        &self.root
    }

    fn exists(&self) -> bool {
        true
    }

    fn list(&self, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf, FileKind)> {
        let Some(rel) = self.relative(dir) else {
            return Vec::new();
        };
        let prefix = if rel.is_empty() {
            rel
        } else {
            format!("{rel}/")
        };
        let mut out: Vec<(String, PathBuf, FileKind)> = Vec::new();
        for (path, _) in &self.files {
            let Some(rest) = path.strip_prefix(&prefix) else {
                continue;
            };
            let (name, kind) = match rest.split_once('/') {
                Some((folder, _)) => (folder, FileKind::Folder),
                None => (rest, FileKind::File),
            };
            let seen = out.last().is_some_and(|(n, _, _)| n == name);
            if name.is_empty() || seen || is_ignored_name(name) {
                continue;
            }
            let path = dir.join(name);
            if super::plain_name(name, &path, diags) {
                out.push((name.to_string(), path, kind));
            }
        }
        out
    }

    fn read(&self, path: &Path, diags: &mut Diagnostics) -> Option<String> {
        let rel = self.relative(path)?;
        let i = self.files.binary_search_by(|(p, _)| p.cmp(&rel)).ok()?;
        let text = &self.files[i].1;
        if too_large(path, text.len() as u64, diags) {
            return None;
        }
        Some(text.strip_prefix('\u{feff}').unwrap_or(text).to_string())
    }
}

/// Reports a file over the size limit (checked before reading it).
fn too_large(path: &Path, len: u64, diags: &mut Diagnostics) -> bool {
    let limit = MAX_FILE_BYTES;
    if len <= limit {
        return false;
    }
    diags
        .error(
            path,
            Pos::START,
            format!(
                "file is {len} bytes, over the limit of {limit} bytes ({} MiB) per content file",
                limit >> 20
            ),
        )
        .hint("split it into several files, or move large attachments to evidence/");
    true
}

/// The bytes of a file as text without a byte-order mark, or the line
/// where they stop being UTF-8.
fn text_of(path: &Path, bytes: Vec<u8>, diags: &mut Diagnostics) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.remove(0);
            }
            Some(s)
        }
        Err(e) => {
            let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            diags
                .error(path, Pos::new(line, 1), "file is not valid UTF-8 text")
                .hint("save the file as UTF-8 in your editor");
            None
        }
    }
}
