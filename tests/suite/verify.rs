//! A copy of a built site can be checked: every build writes `SHA256SUMS`
//! (the format `sha256sum -c` reads) and `build.json` (the build's
//! identity), and `isms-site verify DIR [--content PATH]` checks a copy
//! against them, and against a fresh build of the content.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::tools;
use tools::{AS_OF, BIN, copy_dir, fresh_tmp_dir, output_text, require_tools, root_dir, runs};

/// The demo built without git as of [`AS_OF`] into a fresh folder; returns
/// (the folder holding it, the site).
fn demo_site(name: &str) -> (PathBuf, PathBuf) {
    let dir = fresh_tmp_dir(name);
    let site = tools::build_in(&dir, &root_dir().join("content"), None);
    (dir, site)
}

fn verify(dir: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(root_dir())
        .arg("verify")
        .arg(dir)
        .args(extra)
        .output()
        .expect("run isms-site")
}

fn copy_of(site: &Path, dir: &Path) -> PathBuf {
    let copy = dir.join("copy");
    copy_dir(site, &copy);
    copy
}

/// Every file below `dir`, as `/`-separated paths, sorted.
fn files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let rel = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.file_type().unwrap().is_dir() {
            files(&e.path(), &format!("{rel}/"), out);
        } else {
            out.push(rel);
        }
    }
}

#[test]
#[ignore = "needs sha256sum (GNU coreutils)"]
fn sha256sum_accepts_a_copy_of_the_demo() {
    let missing: Vec<String> = (!runs("sha256sum", &["--version"]))
        .then(|| "sha256sum (GNU coreutils)".to_string())
        .into_iter()
        .collect();
    require_tools("sha256sum_accepts_a_copy_of_the_demo", &missing);
    let (dir, site) = demo_site("verify-sha256sum-");
    let copy = copy_of(&site, &dir);
    let o = Command::new("sha256sum")
        .current_dir(&copy)
        .args(["-c", "--strict", "SHA256SUMS"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output_text(&o));
    fs::write(copy.join("register.csv"), "changed").unwrap();
    let o = Command::new("sha256sum")
        .current_dir(&copy)
        .args(["-c", "--quiet", "SHA256SUMS"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(output_text(&o).contains("register.csv: FAILED"));
}

#[test]
fn sums_list_every_published_file_sorted_in_sha256sum_format() {
    let (_dir, site) = demo_site("verify-format-");
    let text = fs::read_to_string(site.join("SHA256SUMS")).unwrap();
    assert!(text.ends_with('\n') && !text.contains('\r'));
    let listed: Vec<String> = text
        .lines()
        .map(|l| {
            let (digest, path) = l.split_once("  ").unwrap_or_else(|| panic!("{l}"));
            assert_eq!(digest.len(), 64, "{l}");
            assert!(
                digest
                    .bytes()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            );
            path.to_string()
        })
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "sorted by path");
    let mut all = Vec::new();
    files(&site, "", &mut all);
    all.sort();
    // Everything but the sums themselves and the publish manifest, which
    // isms-site keeps for itself (web servers are told to hide it).
    let expected: Vec<String> = all
        .into_iter()
        .filter(|f| f != "SHA256SUMS" && f != ".isms-site-manifest")
        .collect();
    assert_eq!(listed, expected);
    assert!(listed.iter().any(|f| f.starts_with("evidence/")));
    assert!(listed.contains(&"build.json".to_string()));
}

#[test]
fn build_json_names_the_as_of_date_audience_and_version() {
    let (_dir, site) = demo_site("verify-identity-");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("build.json")).unwrap()).unwrap();
    assert_eq!(json["as_of"], AS_OF);
    assert_eq!(json["audience"], "internal");
    // Built with --no-git: no commit to name.
    assert!(json["content_commit"].is_null(), "{json}");
    let version = Command::new(BIN).arg("--version").output().unwrap();
    let version = String::from_utf8(version.stdout).unwrap();
    assert_eq!(
        version.trim(),
        format!("isms-site {}", json["version"].as_str().unwrap())
    );
}

#[test]
fn two_builds_give_identical_sums_and_build_json() {
    let (_, a) = demo_site("verify-same-a-");
    let (_, b) = demo_site("verify-same-b-");
    for f in ["SHA256SUMS", "build.json"] {
        assert_eq!(
            fs::read(a.join(f)).unwrap(),
            fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn verify_passes_on_a_copy_and_names_a_changed_byte() {
    let (dir, site) = demo_site("verify-changed-");
    let copy = copy_of(&site, &dir);
    let o = verify(&copy, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", output_text(&o));
    assert!(
        output_text(&o).contains("files match"),
        "{}",
        output_text(&o)
    );

    let page = copy.join("register/CI-001/index.html");
    let mut bytes = fs::read(&page).unwrap();
    bytes[100] ^= 1;
    fs::write(&page, bytes).unwrap();
    let o = verify(&copy, &[]);
    let text = output_text(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("register/CI-001/index.html: changed"),
        "{text}"
    );
    assert!(text.contains("1 problem in"), "{text}");
}

#[test]
fn verify_names_missing_and_added_files_and_follows_no_link() {
    let (dir, site) = demo_site("verify-missing-");
    let copy = copy_of(&site, &dir);
    fs::remove_file(copy.join("register.csv")).unwrap();
    fs::write(copy.join("evidence/added.txt"), "not the build's").unwrap();
    // A listed file replaced by a link to an identical file outside: named,
    // never read through.
    let outside = dir.join("outside.json");
    fs::copy(copy.join("register.json"), &outside).unwrap();
    fs::remove_file(copy.join("register.json")).unwrap();
    std::os::unix::fs::symlink(&outside, copy.join("register.json")).unwrap();
    let o = verify(&copy, &[]);
    let text = output_text(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("register.csv: missing from the copy"),
        "{text}"
    );
    assert!(
        text.contains("evidence/added.txt: not listed in SHA256SUMS"),
        "{text}"
    );
    assert!(
        text.contains("register.json: a symbolic link; not followed"),
        "{text}"
    );
}

#[test]
fn verify_reads_nothing_outside_the_folder_and_reports_bad_lines() {
    let (dir, site) = demo_site("verify-escape-");
    let copy = copy_of(&site, &dir);
    let mut sums = fs::read_to_string(copy.join("SHA256SUMS")).unwrap();
    sums.push_str(&format!("{}  ../outside.txt\n", "0".repeat(64)));
    sums.push_str("not a line\n");
    fs::write(copy.join("SHA256SUMS"), sums).unwrap();
    let o = verify(&copy, &[]);
    let text = output_text(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("`../outside.txt` is not a path inside the folder; not read"),
        "{text}"
    );
    assert!(
        text.contains("not a `<64 hex digits>  <path>` line"),
        "{text}"
    );
}

#[test]
fn verify_without_sums_is_a_usage_error() {
    let dir = fresh_tmp_dir("verify-usage-");
    let o = verify(&dir, &[]);
    let text = output_text(&o);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(text.contains("SHA256SUMS"), "{text}");
}

#[test]
fn verify_content_passes_on_a_copy_and_fails_after_a_byte_change() {
    let (dir, site) = demo_site("verify-content-");
    let copy = copy_of(&site, &dir);
    let content = root_dir().join("content");
    let content = content.to_str().unwrap();
    let o = verify(&copy, &["--content", content]);
    let text = output_text(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("the content builds to the same bytes"),
        "{text}"
    );

    // The copy changed and its sums made to agree: only the rebuild can tell.
    let csv = copy.join("register.csv");
    let mut bytes = fs::read(&csv).unwrap();
    bytes.push(b'\n');
    fs::write(&csv, &bytes).unwrap();
    let sums = Command::new(BIN)
        .current_dir(&copy)
        .arg("verify")
        .arg(".")
        .output()
        .unwrap();
    assert_eq!(sums.status.code(), Some(1));
    let digest = {
        use sha2::Digest;
        let d: [u8; 32] = sha2::Sha256::digest(&bytes).into();
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let text = fs::read_to_string(copy.join("SHA256SUMS")).unwrap();
    let text: String = text
        .lines()
        .map(|l| match l.strip_suffix("  register.csv") {
            Some(_) => format!("{digest}  register.csv\n"),
            None => format!("{l}\n"),
        })
        .collect();
    fs::write(copy.join("SHA256SUMS"), text).unwrap();
    assert_eq!(verify(&copy, &[]).status.code(), Some(0));
    let o = verify(&copy, &["--content", content]);
    let text = output_text(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("register.csv: differs from the rebuild"),
        "{text}"
    );
    assert!(
        text.contains("SHA256SUMS: differs from the rebuild"),
        "{text}"
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git");
    assert!(o.status.success(), "git {args:?}: {}", output_text(&o));
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

#[test]
fn in_git_build_json_names_the_head_and_verify_says_when_it_moved() {
    let dir = fresh_tmp_dir("verify-git-");
    let repo = dir.join("repo");
    copy_dir(&root_dir().join("content"), &repo.join("content"));
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "content"]);
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let site = dir.join("site");
    let o = Command::new(BIN)
        .current_dir(&dir)
        .args(["build", "--as-of", AS_OF, "--content"])
        .arg(repo.join("content"))
        .arg("--output")
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output_text(&o));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("build.json")).unwrap()).unwrap();
    assert_eq!(json["content_commit"], head.as_str());
    let content = repo.join("content");
    let content = content.to_str().unwrap();
    let o = verify(&site, &["--content", content]);
    assert_eq!(o.status.code(), Some(0), "{}", output_text(&o));

    git(&repo, &["commit", "-q", "--allow-empty", "-m", "later"]);
    let o = verify(&site, &["--content", content]);
    let text = output_text(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("but build.json names {head}")),
        "{text}"
    );
}
