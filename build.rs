//! Stamps the commit into `isms-site --version` (see build/version.rs).

#[path = "build/version.rs"]
mod version;

use std::path::{Path, PathBuf};

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-env-changed=ISMS_SITE_COMMIT");
    println!("cargo:rerun-if-changed=build/version.rs");
    rerun_when_head_moves(&dir);
    let commit = version::commit(&dir, std::env::var("ISMS_SITE_COMMIT").ok());
    let pkg = std::env::var("CARGO_PKG_VERSION").expect("set by cargo");
    println!(
        "cargo:rustc-env=ISMS_SITE_VERSION={}",
        version::version_text(&pkg, commit.as_deref())
    );
}

/// Watches HEAD, the branch it names and packed-refs, so a new commit
/// re-stamps the version. Only existing files: cargo reruns a build script
/// on every build when a watched path is missing.
fn rerun_when_head_moves(dir: &Path) {
    let mut refs = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = version::git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        refs.push(branch);
    }
    for r in refs {
        let Some(path) = version::git(dir, &["rev-parse", "--git-path", &r]) else {
            continue;
        };
        let path = dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}
