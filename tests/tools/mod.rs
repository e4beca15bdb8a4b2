//! Shared by the integration tests: the rule for tools beyond Rust
//! (Chromium, Node, vnu, compliance-trestle), a demo build to run them on,
//! and folder copies.
//!
//! A test that needs such a tool is `#[ignore = "needs …"]`, so plain
//! `cargo test` lists it as ignored on a machine with only Rust. Run with
//! `--include-ignored` (as `.ci/run` does after installing the tools), it
//! fails when a tool is missing: a test that could not run never reports ok.
//!
//! Each test file uses part of this module.
#![allow(dead_code)]

pub mod changes;
pub mod edits;
pub mod registers;
pub mod rng;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_isms-site");
pub const AS_OF: &str = "2026-11-27";

pub fn root_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails `test`, naming each missing tool and how to get it. Called first
/// by every `#[ignore = "needs …"]` test, so running it without its tools
/// is a failure, never a silent pass.
pub fn require_tools(test: &str, missing: &[String]) {
    assert!(
        missing.is_empty(),
        "{test} needs tools that are missing: {} (.ci/run installs them)",
        missing.join("; ")
    );
}

/// Whether `program args…` runs and exits 0.
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A new folder under Cargo's target/tmp named `prefix…`, kept after the
/// test (for a look after a failure; statics are never dropped). Folders
/// with that prefix over an hour old are removed first.
pub fn fresh_tmp_dir(prefix: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    fs::create_dir_all(base).unwrap();
    for e in fs::read_dir(base).unwrap().flatten() {
        let old = e.file_name().to_string_lossy().starts_with(prefix)
            && e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600);
        if old {
            let _ = fs::remove_dir_all(e.path());
        }
    }
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(base)
        .unwrap()
        .keep()
}

/// The demo content built once per test run (as of [`AS_OF`], without git,
/// the default theme; see [`build_in`]), for tests that only read it.
pub fn demo_site() -> &'static Path {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| build_site("demo-site-", &root_dir().join("content")))
}

/// The part of `html` from the first `start` to the first `end` after it,
/// both included, without its blank lines: what a reviewed snapshot holds
/// (`insta`, in `tests/suite/snapshots/`), so that a template's blank lines
/// are not a change to review. Panics, naming them, if either is missing.
pub fn fragment(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no `{start}` in the page"));
    let len = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"))
        + end.len();
    html[from..from + len]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A command's stdout and stderr, for a failure message.
pub fn output_text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Builds `content` into a fresh folder (see [`fresh_tmp_dir`]) as of
/// [`AS_OF`]; returns the output folder.
pub fn build_site(name: &str, content: &Path) -> PathBuf {
    let theme = root_dir().join("themes/default");
    build_in(&fresh_tmp_dir(name), content, Some(&theme))
}

/// Builds `content` as of [`AS_OF`] with `theme` (the built-in theme when
/// `None`) into `dir/site`, run from `dir` so no `themes/default/` there
/// is picked up by accident; returns the output folder. Without git: the
/// demo content lives in this project's repository, whose commits are
/// development history, and a build as of a day before the newest commit
/// would show plans and reviews as committed then (tests/suite/git_history.rs
/// and tests/suite/review_input.rs make repositories of their own for that).
pub fn build_in(dir: &Path, content: &Path, theme: Option<&Path>) -> PathBuf {
    fs::create_dir_all(dir).unwrap();
    let out = dir.join("site");
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .arg("build")
        .arg("--content")
        .arg(content)
        .arg("--output")
        .arg(&out)
        .args(["--as-of", AS_OF, "--no-git"]);
    if let Some(t) = theme {
        cmd.arg("--theme").arg(t);
    }
    let o = cmd.output().expect("run isms-site");
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// Every file below `dir` with its bytes, by `/`-separated relative path
/// (a missing folder is empty; links are not followed).
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(read) = fs::read_dir(&d) else { continue };
        for e in read.flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// [`snapshot`] of a built site, which must be there: a test comparing
/// or searching its files must not pass on a folder that is missing.
pub fn site_files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    assert!(dir.is_dir(), "{} is not a built site", dir.display());
    snapshot(dir)
}

/// Copies a folder tree (a fixture or the demo content) file by file.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Writes a synthetic register of `n` entries into `dir` (ids R-00001…):
/// titles and 130-word descriptions and outcomes drawn from a vocabulary,
/// 300 owners, 93 controls, 40 tags, targets over a year, some completed;
/// returns the bytes of indexed text (titles, descriptions, outcomes).
/// Deterministic.
#[allow(dead_code)]
pub fn synthetic_register(dir: &Path, n: usize) -> usize {
    const WORDS: &[&str] = &[
        "access",
        "review",
        "control",
        "supplier",
        "backup",
        "restore",
        "incident",
        "response",
        "phishing",
        "training",
        "awareness",
        "patch",
        "vulnerability",
        "encryption",
        "logging",
        "monitoring",
        "policy",
        "procedure",
        "evidence",
        "audit",
        "finding",
        "owner",
        "quarterly",
        "privileged",
        "accounts",
        "network",
        "segmentation",
        "firewall",
        "change",
        "management",
        "asset",
        "inventory",
        "classification",
        "retention",
        "continuity",
        "exercise",
        "tabletop",
        "contract",
        "assessment",
        "risk",
        "treatment",
        "register",
        "improvement",
    ];
    fs::create_dir_all(dir.join("register")).unwrap();
    fs::write(dir.join("site.yaml"), "title: Synthetic\n").unwrap();
    let mut seed = 7u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut text = |words: usize| {
        (0..words)
            .map(|_| WORDS[next() % WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut text_bytes = 0;
    for i in 1..=n {
        let (title, description, outcome) = (text(6), text(130), text(130));
        text_bytes += title.len() + description.len() + outcome.len();
        let status = if i % 3 == 0 {
            "completed\ncompleted: 2025-06-01"
        } else {
            "in-progress"
        };
        fs::write(
            dir.join(format!("register/R-{i:05}.yaml")),
            format!(
                "title: {title} {i}\nidentified: 2025-01-01\ntarget: 2025-{:02}-15\nstatus: {status}\npriority: {}\nowner: Owner number {}\ncontrols: [A.{}.{}]\ntags: [tag-{}]\ndescription: {description}\noutcome: {outcome}\n",
                i % 12 + 1,
                ["high", "medium", "low"][i / 7 % 3],
                i % 300,
                i % 4 + 5,
                i % 93,
                i % 40
            ),
        )
        .unwrap();
    }
    text_bytes
}

/// The page's text without tags, whitespace collapsed: what a reader sees.
pub fn page_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x27;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `git args…` in `dir` as `author`, dated `date` (author and
/// committer alike), with no user or system configuration.
pub fn git_as(dir: &Path, author: &str, date: &str, args: &[&str]) {
    let (name, email) = author.split_once(" <").unwrap();
    let email = email.trim_end_matches('>');
    let o = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_AUTHOR_DATE", format!("{date}T10:00:00+00:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T10:00:00+00:00"))
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("these tests need the git command line (apt-get install git): {e}")
        });
    assert!(o.status.success(), "git {args:?}: {}", output_text(&o));
}
