//! Putting a built site in place without ever losing the previous one.
//!
//! The site is written to a staging folder beside the output folder (same
//! file system, so renames are cheap and atomic), then swapped in. A failed
//! build removes its staging folder and leaves the output as it was.
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

/// Files below `dir` (anything that is not a folder; links are not
/// followed) as `/`-separated relative paths with their full paths, sorted.
/// Names for which `skip` is true are left out, folders included.
pub fn walk(dir: &Path, skip: impl Fn(&str) -> bool) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((d, prefix)) = stack.pop() {
        let Ok(read) = fs::read_dir(&d) else { continue };
        for e in read.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Ok(ty) = e.file_type() else { continue };
            if skip(&name) {
                continue;
            }
            if ty.is_dir() {
                stack.push((e.path(), format!("{prefix}{name}/")));
            } else {
                out.push((format!("{prefix}{name}"), e.path()));
            }
        }
    }
    out.sort();
    out
}

fn files_under(dir: &Path) -> Vec<String> {
    walk(dir, |_| false)
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
    let abs = absolute(output);
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let parent = abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    parent.join(format!(".{name}.isms-{tag}-{}", std::process::id()))
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
    pub fn publish(mut self) -> std::io::Result<usize> {
        let files = files_under(&self.dir);
        let mut manifest = files.join("\n");
        manifest.push('\n');
        fs::write(self.dir.join(MANIFEST), manifest)?;
        if let Some(parent) = absolute(&self.output).parent() {
            fs::create_dir_all(parent)?;
        }
        if self.output.exists() {
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
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.dir, &self.output)?;
        }
        self.published = true;
        Ok(files.len())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
