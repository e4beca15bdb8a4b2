//! Walking folders the way every reader of files agrees on: which names
//! are editor leftovers, and the files below a folder. Used by the content
//! loader, the importer, the theme loader, publishing and the watcher.

use std::fs;
use std::path::{Path, PathBuf};

/// Files an editor leaves beside the real ones; never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
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

/// Files the build writes directly into `register/`, `plans/` and
/// `reviews/`, beside the one folder per entry, plan or review: an id or a
/// plan or review file stem with such a name could not be published (its
/// folder would take the file's place). Held to what the build writes by
/// `folder_files_are_all_reserved`.
pub const FOLDER_FILES: &[&str] = &["index.html"];

/// Whether an id or file stem would collide with a file of [`FOLDER_FILES`],
/// ignoring case as the file systems of Windows and macOS do.
pub fn is_reserved_name(name: &str) -> bool {
    FOLDER_FILES.iter().any(|f| f.eq_ignore_ascii_case(name))
}
