//! Putting a built site in place without ever losing the previous one.
//!
//! The site is written to a staging folder beside the output folder (same
//! file system, so renames are cheap and atomic), then swapped in. A failed
//! build removes its staging folder and leaves the output as it was.
//!
//! On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`: a build
//! killed at any instant leaves the old site or the new one, never a mix and
//! never nothing. Elsewhere it is two renames, and the next build puts the
//! old site back if a crash fell between them ([`recover`]). A lock file
//! beside the output ([`Lock`]) keeps two builds from publishing at once.
//!
//! The output folder is replaced wholesale, so we make sure it is ours: it
//! must not be or contain the content folder, and an existing non-empty
//! output must carry our manifest and hold nothing the manifest does not
//! list — otherwise a user's files there would be deleted.

use std::fs;
use std::path::{Path, PathBuf};

/// Lists every file the generator wrote, one `/`-separated path a line.
pub const MANIFEST: &str = ".isms-site-manifest";

fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // Not there yet: resolve the parent and keep the last component.
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf()),
    }
}

/// Why the output folder cannot be used, with how to fix it.
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

pub fn check_target(content: &Path, output: &Path) -> Result<(), Refusal> {
    let (c, o) = (absolute(content), absolute(output));
    if c == o || c.starts_with(&o) {
        return Err(Refusal {
            message: format!(
                "refusing to publish into {}: it {} the content folder",
                output.display(),
                if c == o { "is" } else { "contains" }
            ),
            hint: "choose another --output, e.g. output/ next to content/".into(),
        });
    }
    if o.starts_with(&c) {
        return Err(Refusal {
            message: format!(
                "refusing to publish into {}: it is inside the content folder",
                output.display()
            ),
            hint: "choose an --output outside content/".into(),
        });
    }
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        return Err(Refusal {
            message: format!(
                "refusing to publish into {}: it is a file, not a folder",
                output.display()
            ),
            hint: "remove it or choose another --output".into(),
        });
    }
    let present = files_under(output);
    if present.is_empty() {
        return Ok(());
    }
    let manifest = fs::read_to_string(output.join(MANIFEST)).unwrap_or_default();
    let ours: std::collections::HashSet<&str> = manifest.lines().collect();
    let foreign: Vec<&String> = present
        .iter()
        .filter(|f| f.as_str() != MANIFEST && !ours.contains(f.as_str()))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = foreign.iter().take(5).map(|s| s.as_str()).collect();
    Err(Refusal {
        message: format!(
            "refusing to publish into {}: it holds {} file(s) isms-site did not write, e.g. {}",
            output.display(),
            foreign.len(),
            shown.join(", ")
        ),
        hint: "a build replaces the whole output folder; move those files away, delete the folder, or choose another --output".into(),
    })
}

fn files_under(dir: &Path) -> Vec<String> {
    crate::content::files::walk(dir, |_| false)
        .into_iter()
        .map(|(rel, _)| rel)
        .collect()
}

/// A folder to build into, removed again unless [`Staging::publish`] runs.
pub struct Staging {
    pub dir: PathBuf,
    output: PathBuf,
    published: bool,
}

fn sibling(output: &Path, tag: &str) -> PathBuf {
    let (parent, prefix) = leftover_prefix(output, tag)
        .unwrap_or_else(|| (PathBuf::from("."), format!(".output.isms-{tag}-")));
    parent.join(format!("{prefix}{}", std::process::id()))
}

impl Staging {
    pub fn new(output: &Path) -> std::io::Result<Staging> {
        let dir = sibling(output, "staging");
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            published: false,
        })
    }

    /// Writes the manifest and swaps the staging folder in as the output.
    /// Swaps the staging folder in as the output. `files` are the paths
    /// written into it (`/`-separated): they become the manifest.
    pub fn publish(mut self, files: &[String]) -> std::io::Result<usize> {
        let _t = crate::content::timing::phase("publish");
        let mut manifest = files.join("\n");
        manifest.push('\n');
        fs::write(self.dir.join(MANIFEST), manifest)?;
        if let Some(parent) = absolute(&self.output).parent() {
            fs::create_dir_all(parent)?;
        }
        if !self.output.exists() {
            fs::rename(&self.dir, &self.output)?;
        } else if exchange(&self.dir, &self.output).is_ok() {
            // The staging path now holds the previous site.
            let _t = crate::content::timing::phase("remove previous");
            let _ = remove_tree(&self.dir);
        } else {
            let old = sibling(&self.output, "old");
            if old.exists() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.output, &old)?;
            if let Err(e) = fs::rename(&self.dir, &self.output) {
                // Put the previous site back before reporting.
                let _ = fs::rename(&old, &self.output);
                return Err(e);
            }
            let _ = remove_tree(&old);
        }
        self.published = true;
        Ok(files.len())
    }
}

/// Removes a folder tree, spreading the work over the thread pool: a
/// previous site is tens of thousands of files. Symbolic links are removed,
/// never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries = fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            fs::remove_file(e.path())
        }
    })?;
    fs::remove_dir(dir)
}

/// Swaps two folders in one step, where the system can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The name of the folders a build leaves beside the output while it runs:
/// `.NAME.isms-staging-PID` and `.NAME.isms-old-PID`.
fn leftover_prefix(output: &Path, tag: &str) -> Option<(PathBuf, String)> {
    let abs = absolute(output);
    let name = abs.file_name()?.to_string_lossy().into_owned();
    Some((abs.parent()?.to_path_buf(), format!(".{name}.isms-{tag}-")))
}

fn leftovers(output: &Path, tag: &str) -> Vec<PathBuf> {
    let Some((parent, prefix)) = leftover_prefix(output, tag) else {
        return Vec::new();
    };
    let Ok(read) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = read
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Repairs what a killed build left behind. Runs under the [`Lock`], so no
/// other build is using these folders: a missing output with a previous
/// site set aside (a crash between the two renames of the fallback) gets
/// it back; stale staging and set-aside folders are removed.
pub fn recover(output: &Path) -> std::io::Result<()> {
    let mut old = leftovers(output, "old");
    if !output.exists()
        && let Some(previous) = old.pop()
    {
        fs::rename(&previous, output)?;
    }
    for dir in old.into_iter().chain(leftovers(output, "staging")) {
        fs::remove_dir_all(&dir)?;
    }
    Ok(())
}

/// An exclusive lock on an output folder, held for a whole build: a file
/// `.NAME.isms-lock` beside the output, removed again when the build ends.
/// The operating system releases the lock when the process ends, however it
/// ends, so a killed build leaves at most an unlocked file, never a stale
/// lock.
pub struct Lock {
    _file: fs::File,
    path: PathBuf,
}

impl Lock {
    /// Takes the lock, or says at once who holds it: a second build fails
    /// rather than waiting, so a stuck build is noticed.
    pub fn take(output: &Path) -> Result<Lock, Refusal> {
        let path = sibling_fixed(output, "lock");
        let cannot = |e: std::io::Error| Refusal {
            message: format!("cannot lock {}: {e}", path.display()),
            hint: "check that the folder holding --output is writable".into(),
        };
        loop {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(cannot)?;
            }
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(cannot)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Refusal {
                        message: format!(
                            "another isms-site build is publishing into {} right now (it holds {})",
                            output.display(),
                            path.display()
                        ),
                        hint: "wait for that build to finish, then build again".into(),
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(cannot(e)),
            }
            // The previous holder removes the file as it finishes: if that
            // happened between our open and our lock, we hold a file no one
            // else will see, so start again with the current one.
            if same_file(&file, &path) {
                return Ok(Lock { _file: file, path });
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked; the lock goes with `_file` just after.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &fs::File, path: &Path) -> bool {
    path.exists()
}

fn sibling_fixed(output: &Path, tag: &str) -> PathBuf {
    match leftover_prefix(output, tag) {
        Some((parent, prefix)) => parent.join(prefix.trim_end_matches('-')),
        None => PathBuf::from(format!(".output.isms-{tag}")),
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crash-proof path must really be taken where it exists.
    #[cfg(target_os = "linux")]
    #[test]
    fn folders_are_exchanged_in_one_step_on_linux() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&b).unwrap();
        fs::write(a.join("new"), "").unwrap();
        fs::write(b.join("old"), "").unwrap();
        exchange(&a, &b).unwrap();
        assert!(b.join("new").exists() && a.join("old").exists());
    }

    #[test]
    fn a_second_lock_on_the_same_output_is_refused_until_the_first_is_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let first = Lock::take(&out).unwrap_or_else(|r| panic!("{}", r.message));
        let refused = Lock::take(&out).err().expect("second lock taken");
        assert!(refused.message.contains("another isms-site build"));
        assert!(tmp.path().join(".out.isms-lock").is_file());
        drop(first);
        assert!(!tmp.path().join(".out.isms-lock").exists());
        assert!(Lock::take(&out).is_ok());
    }
}
