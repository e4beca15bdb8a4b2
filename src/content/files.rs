//! Names every reader of files agrees on: which are editor leftovers (the
//! content loader, the importer, the theme loader and the watcher skip
//! them), and which cannot be published because the build writes a file of
//! that name itself.

/// Files an editor leaves beside the real ones; never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
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
