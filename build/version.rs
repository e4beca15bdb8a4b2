//! Which commit a binary was built from, for `isms-site --version`.
//!
//! Shared by `build.rs` and `tests/suite/install.rs` (through `#[path]`), so the
//! fallbacks a user meets when building from a tarball are tested, not
//! only the happy path in a checkout.

use std::path::Path;
use std::process::Command;

/// Where the commit came from; `None` when nothing names one, which a
/// build from a plain tarball must survive.
pub fn commit(manifest_dir: &Path, from_env: Option<String>) -> Option<String> {
    from_env
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .or_else(|| from_git(manifest_dir))
        .or_else(|| from_vcs_info(manifest_dir))
}

/// `0.1.0 (commit 0123456789ab)` or `0.1.0 (unknown commit)`.
pub fn version_text(version: &str, commit: Option<&str>) -> String {
    match commit {
        Some(c) => format!("{version} (commit {c})"),
        None => format!("{version} (unknown commit)"),
    }
}

/// The checkout's HEAD, but only when the crate is the repository's root:
/// a copy of the sources inside some other repository (a vendored tree)
/// must not claim that repository's commit.
fn from_git(manifest_dir: &Path) -> Option<String> {
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    let same = Path::new(&top).canonicalize().ok()? == manifest_dir.canonicalize().ok()?;
    if !same {
        return None;
    }
    git(manifest_dir, &["rev-parse", "--short=12", "HEAD"])
}

/// `cargo package` records the commit in `.cargo_vcs_info.json`
/// (`"sha1": "…"`), so a crate tarball still names it.
fn from_vcs_info(manifest_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest_dir.join(".cargo_vcs_info.json")).ok()?;
    let after = text.split_once("\"sha1\"")?.1;
    let value = after.split('"').nth(1)?;
    let hex = value.len() >= 12 && value.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| value[..12].to_string())
}

/// A git command's trimmed output, or `None` without git or a repository.
pub fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}
