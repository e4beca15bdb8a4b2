//! What an installed binary says about itself: `isms-site --version`
//! names the version and the commit, and a build from sources without git
//! history (a tarball, a container build) still works and says so.

#[path = "../../build/version.rs"]
mod version;

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn version_names_the_version_and_the_commit_of_the_checkout() {
    let o = Command::new(BIN).arg("--version").output().unwrap();
    assert!(o.status.success(), "{o:?}");
    let text = String::from_utf8(o.stdout).unwrap();
    let expected = match std::env::var("ISMS_SITE_COMMIT") {
        Ok(c) if !c.trim().is_empty() => format!("commit {}", c.trim()),
        // A test run from a checkout: the binary was built from its HEAD.
        _ => match version::git(Path::new(ROOT), &["rev-parse", "--short=12", "HEAD"]) {
            Some(head) => format!("commit {head}"),
            None => "unknown commit".to_string(),
        },
    };
    assert_eq!(
        text.trim(),
        format!("isms-site {} ({expected})", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn outside_a_repository_the_commit_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(version::commit(dir.path(), None), None);
    assert_eq!(
        version::version_text("1.2.3", None),
        "1.2.3 (unknown commit)"
    );
}

#[test]
fn the_environment_names_the_commit_when_there_is_no_repository() {
    let dir = tempfile::tempdir().unwrap();
    let c = version::commit(dir.path(), Some(" abcdef123456 \n".into()));
    assert_eq!(c.as_deref(), Some("abcdef123456"));
    assert_eq!(version::commit(dir.path(), Some("  ".into())), None);
}

#[test]
fn a_crate_tarball_names_the_commit_cargo_package_recorded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".cargo_vcs_info.json"),
        "{\n  \"git\": {\n    \"sha1\": \"0123456789abcdef0123456789abcdef01234567\"\n  },\n  \"path_in_vcs\": \"\"\n}",
    )
    .unwrap();
    assert_eq!(
        version::commit(dir.path(), None).as_deref(),
        Some("0123456789ab")
    );
}

#[test]
fn sources_inside_another_repository_do_not_claim_its_commit() {
    if version::git(Path::new(ROOT), &["--version"]).is_none() {
        return; // without git there is no other repository to claim
    }
    let repo = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .arg("-C")
            .arg(repo.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {o:?}");
    };
    git(&["init", "-q"]);
    git(&["commit", "-q", "--allow-empty", "-m", "x"]);
    let vendored = repo.path().join("vendor/isms-site");
    std::fs::create_dir_all(&vendored).unwrap();
    assert_eq!(version::commit(&vendored, None), None);
    assert!(version::commit(repo.path(), None).is_some());
}
