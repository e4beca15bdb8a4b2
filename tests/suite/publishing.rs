//! Publishing safety, tried for real with the binary: builds killed with
//! SIGKILL at many points leave exactly the old site or exactly the new one;
//! concurrent builds never corrupt the output; symbolic links in content
//! never carry a file from outside into the site.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::tools;
use isms_site::output::integrity::{SEAL_LEN, sealed};
use isms_site::site::publish;
use tools::snapshot;

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");
/// The file every folder a build makes gets first.
const MARKER: &str = publish::MARKER;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// A register big enough that a debug build takes a noticeable time.
/// `version` changes every title, so the two sites differ in every page.
fn big_content(dir: &Path, version: &str, entries: usize) -> PathBuf {
    let c = dir.join(format!("content-{version}"));
    write(&c, "site.yaml", &format!("title: Register {version}\n"));
    for i in 1..=entries {
        let status = ["planned", "in-progress", "completed", "not-started"][i % 4];
        let mut e = format!(
            "title: Item {i} of version {version}\ndescription: |\n  Some **Markdown** for item {i}.\nidentified: 2025-0{}-1{}\nstatus: {status}\npriority: {}\nowner: Owner {}\ntarget: 2026-0{}-15\ntags: [t{}, all]\ncontrols: [A.5.{}]\n",
            1 + i % 9,
            i % 9,
            ["high", "medium", "low"][i % 3],
            i % 7,
            1 + i % 9,
            i % 5,
            i % 30,
        );
        if status == "completed" {
            e.push_str("completed: 2026-01-20\n");
        }
        write(&c, &format!("register/CI-{i:04}.yaml"), &e);
    }
    c
}

fn build_cmd(content: &Path, output: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.args(["build", "--as-of", "2026-02-01", "--content"])
        .arg(content)
        .arg("--output")
        .arg(output)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn build(content: &Path, output: &Path) -> Output {
    build_cmd(content, output).output().unwrap()
}

fn assert_built(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Which reference the folder equals exactly, or a description of the mix.
/// A killed build may leave the bookkeeping [`MARKER`] at the top (written
/// into the old site just before the swap, taken out of the new one just
/// after): not part of either site, and replaced by the next build.
fn which(out: &Path, refs: &[(&str, &BTreeMap<String, Vec<u8>>)]) -> Result<&'static str, String> {
    let mut now = snapshot(out);
    now.remove(MARKER);
    for (name, r) in refs {
        if &&now == r {
            return Ok(if *name == "A" { "A" } else { "B" });
        }
    }
    let (a, b) = (refs[0].1, refs[1].1);
    let from_a = now.iter().filter(|(k, v)| a.get(*k) == Some(v)).count();
    let from_b = now.iter().filter(|(k, v)| b.get(*k) == Some(v)).count();
    Err(format!(
        "output is neither site: {} files, {from_a} as in A ({}), {from_b} as in B ({})",
        now.len(),
        a.len(),
        b.len()
    ))
}

/// Hidden folders a build leaves beside the output while it runs (not the
/// lock, the build cache, the spare or its record, the Markdown memo, the
/// kept parses, the content's sums, the folders seen or the search terms,
/// which are kept on purpose).
fn leftovers(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".out.isms-")
                && !n.ends_with("-lock")
                && !n.ends_with("-cache")
                && !n.ends_with("-spare")
                && !n.ends_with("-markdown")
                && !n.ends_with("-parsed")
                && !n.ends_with("-sums")
                && !n.ends_with("-folders")
                && !n.ends_with("-search")
        })
        .collect()
}

/// The phase lines (`timing: …`) a build prints with `ISMS_SITE_TIMINGS=1`,
/// each as its phase ends.
fn phase_lines(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.starts_with("timing: "))
        .map(str::to_string)
        .collect()
}

/// Kills `child` (SIGKILL) as soon as it has printed `lines` phase lines
/// (0: at once). The kill point is set by the build's own progress, not by
/// the clock, so a round lands at the same stage however loaded the machine
/// is. Returns whether the build had finished first, and the phase lines
/// it printed before the kill.
fn kill_after_phases(mut child: Child, lines: usize) -> (bool, Vec<String>) {
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = Vec::new();
    let mut read = stderr.lines();
    while seen.len() < lines {
        match read.next() {
            Some(Ok(l)) if l.starts_with("timing: ") => seen.push(l),
            Some(Ok(_)) => {}
            _ => break,
        }
    }
    let _ = child.kill(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    (status.success(), seen)
}

/// Whether a build printing `line` as a phase ended had put its new site
/// in place: the previous one is checked where the swap put it, or
/// removed, only after the swap.
fn past_the_swap(line: &str) -> bool {
    line.starts_with("timing: remove previous") || line.starts_with("timing: check previous")
}

#[test]
fn a_build_killed_at_any_point_leaves_the_old_site_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cb) = (
        big_content(tmp.path(), "a", 80),
        big_content(tmp.path(), "b", 80),
    );
    let out = tmp.path().join("out");
    // References: each site built whole, into the output in turn. The
    // second also says the phases a build goes through, in order: the kill
    // points below.
    assert_built(&build(&cb, &out));
    let site_b = snapshot(&out);
    let o = build_cmd(&ca, &out)
        .env("ISMS_SITE_TIMINGS", "1")
        .output()
        .unwrap();
    assert_built(&o);
    let phases = phase_lines(&o.stderr);
    assert!(
        phases.iter().any(|l| past_the_swap(l)),
        "no `remove previous` or `check previous` phase in {phases:?}"
    );
    let site_a = snapshot(&out);
    assert_ne!(site_a, site_b);
    let refs = [("A", &site_a), ("B", &site_b)];

    // Each round builds the other site and kills it with SIGKILL as soon
    // as it has ended `k` phases: at once, then after each phase in turn
    // (rendering's phases end one by one while others still run; after
    // `SHA256SUMS` comes the swap), and once more after the build ended.
    let rounds = phases.len() + 2;
    let (mut old_seen, mut new_seen, mut finished) = (0, 0, 0);
    let mut current = "A";
    for k in 0..rounds {
        let (content, next) = if current == "A" {
            (&cb, "B")
        } else {
            (&ca, "A")
        };
        let child = build_cmd(content, &out)
            .env("ISMS_SITE_TIMINGS", "1")
            .spawn()
            .unwrap();
        let (done, seen) = kill_after_phases(child, k);
        if done {
            finished += 1;
        }
        match which(&out, &refs) {
            Ok(found) if found == current => {
                // Phases that run side by side end in a different order
                // from one build to the next: what this build printed
                // says whether it was past the swap.
                assert!(
                    !seen.iter().any(|l| past_the_swap(l)),
                    "killed after phase {k} ({:?}), past the swap: still the old site",
                    seen.last()
                );
                old_seen += 1;
            }
            Ok(found) => {
                assert_eq!(found, next);
                new_seen += 1;
                current = next;
            }
            Err(mix) => panic!("killed after {k} phases: {mix}"),
        }
    }
    eprintln!(
        "{rounds} kills over {} phases: old site {old_seen}, new site {new_seen} ({finished} had finished)",
        phases.len()
    );
    assert!(old_seen > 0, "no kill landed before the swap");
    assert!(new_seen > 0, "no build ever got to publish");
    // A complete build afterwards cleans up what the killed ones left.
    let (content, next) = if current == "A" {
        (&cb, "B")
    } else {
        (&ca, "A")
    };
    let o = build(content, &out);
    assert_built(&o);
    assert_eq!(which(&out, &refs), Ok(next));
    assert!(!out.join(MARKER).exists(), "the marker stayed in the site");
    let left = leftovers(tmp.path());
    assert!(
        left.is_empty(),
        "left beside the output after a complete build: {}\nits messages:\n{}",
        left.iter()
            .map(|l| describe(&tmp.path().join(l)))
            .collect::<Vec<_>>()
            .join("; "),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// What a leftover folder holds, for a failure message: how many files,
/// the first few, and its marker's text.
fn describe(dir: &Path) -> String {
    let files = snapshot(dir);
    let names: Vec<&String> = files.keys().take(8).collect();
    let marker = files
        .get(MARKER)
        .map(|b| String::from_utf8_lossy(b).into_owned());
    let meta = fs::symlink_metadata(dir).unwrap();
    #[cfg(unix)]
    let id = {
        use std::os::unix::fs::MetadataExt;
        format!("{} {}", meta.dev(), meta.ino())
    };
    #[cfg(not(unix))]
    let id = String::new();
    format!(
        "{}: {} files {names:?}…, marker {marker:?}, folder {id} made {:?}",
        dir.display(),
        files.len(),
        meta.created().ok()
    )
}

#[test]
fn a_missing_output_with_the_previous_site_set_aside_is_restored() {
    // What a crash between the two renames of the non-Linux fallback leaves.
    let tmp = tempfile::tempdir().unwrap();
    let ca = big_content(tmp.path(), "a", 3);
    let out = tmp.path().join("out");
    assert_built(&build(&ca, &out));
    let site_a = snapshot(&out);
    // Named and marked as a build makes them: the output is marked just
    // before it is set aside.
    let aside = tmp.path().join(".out.isms-old-999999-0");
    fs::rename(&out, &aside).unwrap();
    publish::mark(&aside).unwrap();
    let stale = tmp.path().join(".out.isms-staging-999998-3");
    write(&stale, "index.html", "half a site");
    publish::mark(&stale).unwrap();
    // A build that fails on content still repairs, and leaves that site.
    write(&ca, "register/BROKEN.yaml", "title: [\n");
    let o = build(&ca, &out);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&out), site_a);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[test]
fn two_builds_at_once_never_corrupt_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let (ca, cb) = (
        big_content(tmp.path(), "a", 100),
        big_content(tmp.path(), "b", 100),
    );
    let out = tmp.path().join("out");
    assert_built(&build(&cb, &out));
    let site_b = snapshot(&out);
    assert_built(&build(&ca, &out));
    let site_a = snapshot(&out);
    let refs = [("A", &site_a), ("B", &site_b)];
    // A build while another holds the output's lock is refused at once and
    // changes nothing. The lock is taken here as a build takes it, so that
    // the overlap is certain, not left to the timing of two processes.
    let Ok(held) = publish::Lock::take(&out) else {
        panic!("cannot lock {}", out.display())
    };
    let o = build(&cb, &out);
    drop(held);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("another isms-site build is publishing"),
        "{err}"
    );
    assert!(err.contains("hint: wait for that build to finish"), "{err}");
    assert_eq!(which(&out, &refs), Ok("A"));
    // Two builds started together, however they overlap: one publishes or
    // both do in turn, the other is refused as above, and the output is
    // always one whole site.
    for _ in 0..4 {
        let first = build_cmd(&ca, &out).spawn().unwrap();
        let second = build_cmd(&cb, &out).spawn().unwrap();
        let (o1, o2) = (
            first.wait_with_output().unwrap(),
            second.wait_with_output().unwrap(),
        );
        for o in [&o1, &o2] {
            if !o.status.success() {
                let err = String::from_utf8_lossy(&o.stderr);
                assert_eq!(o.status.code(), Some(1), "{err}");
                assert!(
                    err.contains("another isms-site build is publishing"),
                    "{err}"
                );
                assert!(err.contains("hint: wait for that build to finish"), "{err}");
            }
        }
        assert!(
            o1.status.success() || o2.status.success(),
            "neither build ran"
        );
        which(&out, &refs).unwrap();
    }
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn symbolic_links_in_content_are_not_followed_into_the_output() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let secret_dir = tmp.path().join("secrets");
    let secret = secret_dir.join("key.txt");
    write(&secret_dir, "key.txt", "SECRET-7f3a\n");
    write(
        &secret_dir,
        "entry.yaml",
        "title: SECRET-7f3a\nidentified: 2025-01-01\nstatus: planned\npriority: low\n",
    );
    let c = big_content(tmp.path(), "a", 2);
    fs::create_dir_all(c.join("evidence")).unwrap();
    symlink(&secret, c.join("evidence/key.txt")).unwrap();
    symlink(&secret_dir, c.join("evidence/all")).unwrap();
    symlink(
        secret_dir.join("entry.yaml"),
        c.join("register/CI-9999.yaml"),
    )
    .unwrap();
    fs::create_dir_all(c.join("plans")).unwrap();
    symlink(&secret, c.join("plans/leak.md")).unwrap();
    let out = tmp.path().join("out");
    let o = build(&c, &out);
    assert_built(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    for link in [
        "evidence/key.txt",
        "evidence/all",
        "register/CI-9999.yaml",
        "plans/leak.md",
    ] {
        let head = format!("{}:1:1: warning: symbolic link", c.join(link).display());
        assert!(
            err.lines()
                .any(|l| l.starts_with(&head) && l.contains("not followed")),
            "no warning for {link}:\n{err}"
        );
    }
    let site = snapshot(&out);
    assert!(site.contains_key("index.html"));
    for (rel, bytes) in &site {
        assert!(
            !String::from_utf8_lossy(bytes).contains("SECRET-7f3a"),
            "{rel} holds the secret"
        );
    }
}

/// `build` of `content` into `output` on the tests' as-of date, under
/// a shell's `ulimit -f 16`: no file it writes may pass 8 KiB.
fn build_with_files_up_to_8_kib(content: &Path, output: &Path) -> Output {
    Command::new("sh")
        .args(["-c", "ulimit -f 16 && exec \"$0\" \"$@\"", BIN])
        .args(["build", "--as-of", "2026-02-01", "--content"])
        .arg(content)
        .arg("--output")
        .arg(output)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

fn stderr_of(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary folder with contents `a` and `b` of `entries` entries each.
fn two_contents(entries: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let ca = big_content(tmp.path(), "a", entries);
    let cb = big_content(tmp.path(), "b", entries);
    (tmp, ca, cb)
}

/// A temporary folder with content `a` built into `NAME/`.
fn built(name: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let ca = big_content(tmp.path(), "a", 2);
    let out = tmp.path().join(name);
    assert_built(&build(&ca, &out));
    (tmp, ca, out)
}

fn check(content: &Path) -> Output {
    Command::new(BIN)
        .args(["check", "--as-of", "2026-02-01", "--content"])
        .arg(content)
        .output()
        .unwrap()
}

/// Names in `dir` (not below) that a build leaves while it runs: staging,
/// set-aside and lock files.
fn build_leftovers(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains(".isms-")
                && !n.ends_with(".isms-cache")
                && !n.ends_with(".isms-spare")
                && !n.ends_with(".isms-spare-cache")
                && !n.ends_with(".isms-markdown")
                && !n.ends_with(".isms-parsed")
                && !n.ends_with(".isms-sums")
                && !n.ends_with(".isms-folders")
                && !n.ends_with(".isms-search")
        })
        .collect();
    found.sort();
    found
}

fn title_of_index(out: &Path) -> String {
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    let start = html.find("Register ").unwrap();
    html[start..start + 10].to_string()
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_published_into_its_target_and_the_link_kept() {
    use std::os::unix::fs::symlink;
    let (tmp, ca, cb) = two_contents(3);
    let webroot = tmp.path().join("webroot");
    assert_built(&build(&ca, &webroot));
    let link = tmp.path().join("siteln");
    symlink("webroot", &link).unwrap();
    assert_built(&build(&cb, &link));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("webroot"));
    assert_eq!(title_of_index(&webroot), "Register b");
    assert!(webroot.join("register/CI-0003/index.html").is_file());
    assert_eq!(build_leftovers(tmp.path()), Vec::<String>::new());
    // Built again through the link: still the link, still no leftovers.
    assert_built(&build(&ca, &link));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(title_of_index(&webroot), "Register a");
    assert_eq!(build_leftovers(tmp.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_that_leads_nowhere_or_to_a_file_is_refused() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let ca = big_content(tmp.path(), "a", 2);
    write(tmp.path(), "notes.txt", "my notes\n");
    for (name, to, why) in [
        ("dangling", "missing", "which does not exist"),
        ("tofile", "notes.txt", "which is not a folder"),
    ] {
        let link = tmp.path().join(name);
        symlink(to, &link).unwrap();
        let o = build(&ca, &link);
        let err = stderr_of(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("{}:1:1: refusing to publish", link.display()))
                && err.contains(why)
                && err.contains("hint: "),
            "{err}"
        );
        assert_eq!(fs::read_link(&link).unwrap(), Path::new(to));
    }
    assert_eq!(
        fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "my notes\n"
    );
    assert!(!tmp.path().join("missing").exists());
    assert_eq!(build_leftovers(tmp.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_output_is_removed_never_followed() {
    use std::os::unix::fs::symlink;
    let (tmp, ca, out) = built("out");
    write(tmp.path(), "elsewhere/precious.txt", "keep me\n");
    symlink("../elsewhere", out.join("linked")).unwrap();
    // Listed as ours, so the build replaces it: the link goes, not what
    // it points to.
    let mut manifest = fs::read_to_string(out.join(".isms-site-manifest")).unwrap();
    manifest.push_str("linked\n");
    fs::write(out.join(".isms-site-manifest"), manifest).unwrap();
    assert_built(&build(&ca, &out));
    assert!(fs::symlink_metadata(out.join("linked")).is_err());
    assert_eq!(
        fs::read_to_string(tmp.path().join("elsewhere/precious.txt")).unwrap(),
        "keep me\n"
    );
}

#[test]
fn folders_that_only_look_like_leftovers_are_left_alone() {
    let (tmp, ca, site) = built("site");
    let backup = tmp.path().join(".site.isms-old-mybackup");
    let notes = tmp.path().join(".site.isms-staging-notes");
    // Our name shape, but no marker: still not ours.
    let unproven = tmp.path().join(".site.isms-staging-12-3");
    write(&backup, "a.txt", "backup\n");
    write(&notes, "b.txt", "notes\n");
    write(&unproven, "c.txt", "mine\n");
    let before = [snapshot(&backup), snapshot(&notes), snapshot(&unproven)];
    assert_built(&build(&ca, &site));
    assert_eq!(
        [snapshot(&backup), snapshot(&notes), snapshot(&unproven)],
        before
    );
    // With no site/, the look-alike is not put in its place either.
    fs::remove_dir_all(&site).unwrap();
    assert_built(&build(&ca, &site));
    assert!(!site.join("a.txt").exists());
    assert_eq!(
        [snapshot(&backup), snapshot(&notes), snapshot(&unproven)],
        before
    );
    // A real leftover (named and marked as a build makes it) is removed.
    let killed = tmp.path().join(".site.isms-staging-77-0");
    write(&killed, "index.html", "half a site");
    publish::mark(&killed).unwrap();
    assert_built(&build(&ca, &site));
    assert!(!killed.exists());
    assert!(backup.join("a.txt").exists() && notes.join("b.txt").exists());
}

#[test]
fn an_empty_folder_in_the_output_is_not_ours_and_is_kept() {
    let (_tmp, ca, out) = built("out");
    fs::create_dir_all(out.join("emptydir/sub")).unwrap();
    let o = build(&ca, &out);
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("did not write") && err.contains("emptydir/") && !err.contains("sub/"),
        "{err}"
    );
    assert!(out.join("emptydir/sub").is_dir());
    assert!(out.join("index.html").is_file());
}

#[cfg(unix)]
#[test]
fn a_read_only_output_folder_is_refused_and_kept() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, ca, cb) = two_contents(2);
    let out = tmp.path().join("out");
    assert_built(&build(&ca, &out));
    let site_a = snapshot(&out);
    // The output itself, then a folder inside it, made read-only (root
    // could write either way; a folder with no write bit is refused even
    // so, as it was made read-only on purpose).
    for (folder, named) in [
        (out.clone(), "it is read-only"),
        (out.join("register"), "its folder register/ is read-only"),
    ] {
        let mode = fs::metadata(&folder).unwrap().permissions().mode();
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
        let o = build(&cb, &out);
        fs::set_permissions(&folder, fs::Permissions::from_mode(mode)).unwrap();
        let err = stderr_of(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(named) && err.contains("hint: "), "{err}");
        assert_eq!(snapshot(&out), site_a);
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    }
    assert_built(&build(&cb, &out));
}

#[test]
fn a_file_name_with_a_line_break_is_refused_by_check_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let ca = big_content(tmp.path(), "a", 2);
    let bad = ca.join("evidence/two\nlines.txt");
    write(&ca, "evidence/two\nlines.txt", "x");
    write(&ca, "evidence/fine.txt", "x");
    let o = check(&ca);
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{}:1:1: file name",
            isms_site::model::diag::shown(&bad)
        )) && err.contains("control character"),
        "{err}"
    );
    let out = tmp.path().join("out");
    let o = build(&ca, &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr_of(&o));
    assert!(!out.exists());
}

#[test]
fn ids_and_page_names_the_site_uses_itself_are_refused_before_publishing() {
    let (tmp, ca, out) = built("out");
    let site_a = snapshot(&out);
    let entry =
        "id: index.html\ntitle: X\nidentified: 2025-01-01\nstatus: planned\npriority: low\n";
    let plan = "---\ntitle: P\nentries: [CI-0001]\n---\nBody\n";
    let review = "---\ntitle: R\ndate: 2025-01-01\nentries: [CI-0001]\n---\nBody\n";
    for (rel, text, at) in [
        ("register/X.yaml", entry, ":1:5: id `index.html`"),
        (
            "plans/index.html.md",
            plan,
            ":1:1: file name `index.html.md`",
        ),
        (
            "reviews/INDEX.HTML.md",
            review,
            ":1:1: file name `INDEX.HTML.md`",
        ),
    ] {
        write(&ca, rel, text);
        let o = check(&ca);
        let err = stderr_of(&o);
        assert_eq!(o.status.code(), Some(1), "{rel}: {err}");
        let head = format!("{}{at}", ca.join(rel).display());
        assert!(
            err.lines().any(|l| l.starts_with(&head)) && err.contains("hint: "),
            "{rel}: {err}"
        );
        let o = build(&ca, &out);
        assert_eq!(o.status.code(), Some(1), "{rel}: {}", stderr_of(&o));
        assert_eq!(snapshot(&out), site_a, "{rel}");
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
        fs::remove_file(ca.join(rel)).unwrap();
    }
}

/// An output inside the theme would be copied into every later build (a
/// restricted site built into `theme/static/` ends up in the public one);
/// an output holding the theme or the content would delete it. All are
/// usage errors for every command that publishes, said before anything is
/// read or written.
#[test]
fn an_output_inside_or_around_the_theme_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ca = big_content(tmp.path(), "a", 2);
    let site = tmp.path().join("site");
    let theme = site.join("theme");
    write(&theme, "static/logo.txt", "logo\n");
    for (output, says) in [
        (
            theme.join("static/restricted"),
            "is inside the theme folder",
        ),
        (theme.clone(), "is the theme folder"),
        (site.clone(), "contains the theme folder"),
    ] {
        for command in ["build", "watch", "serve"] {
            let o = Command::new(BIN)
                .args([command, "--as-of", "2026-02-01", "--content"])
                .arg(&ca)
                .arg("--theme")
                .arg(&theme)
                .arg("--output")
                .arg(&output)
                .args(if command == "serve" {
                    &["--port", "0"][..]
                } else {
                    &[]
                })
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let err = stderr_of(&o);
            assert_eq!(o.status.code(), Some(2), "{command} {output:?}: {err}");
            assert!(
                err.starts_with(&format!(
                    "error: refusing to publish into {}: it {says}",
                    output.display()
                )) && err.contains("hint: "),
                "{command}: {err}"
            );
        }
    }
    assert!(!theme.join("static/restricted").exists());
    assert_eq!(build_leftovers(&theme), Vec::<String>::new());
    assert_eq!(build_leftovers(&site), Vec::<String>::new());
    // Beside the theme is fine.
    assert_built(
        &build_cmd(&ca, &tmp.path().join("out"))
            .arg("--theme")
            .arg(&theme)
            .output()
            .unwrap(),
    );
}

/// Publishes a one-page site into `out` (a built site), calling `hook` at
/// each step, the way a build or serve does: under the lock.
fn publish_with(
    out: &Path,
    files: &[(&str, &str)],
    hook: &mut dyn FnMut(publish::Step),
) -> Result<publish::Published, String> {
    let _lock = publish::Lock::take(out).unwrap_or_else(|r| panic!("{}", r.message));
    let staging = publish::Staging::new(out).unwrap();
    for (rel, text) in files {
        write(&staging.dir, rel, text);
    }
    let names: Vec<String> = files.iter().map(|(rel, _)| rel.to_string()).collect();
    staging.publish_with(&names, hook)
}

/// A file put into the output while a build or serve renders used to go
/// with the previous site. Put in before the last check (on Linux, of the
/// previous site just after the swap), the publish is refused and the
/// output left as it was. Put into the previous site after that check
/// (through a folder opened before the swap), it is moved back into the
/// new site, or, where the new site has a file of that name, kept with
/// the previous site. Put into the output after it, it is in the new
/// site. `serve` publishes through the same code.
#[test]
fn a_file_put_into_the_output_while_publishing_is_never_deleted() {
    let (tmp, _ca, out) = built("out");
    let site_a = snapshot(&out);
    let put = |rel: &str| write(&out, rel, "mine, not the site's\n");
    // Where the previous site lies once checked: swapped out on Linux, to
    // the staging folder's place; elsewhere still the output.
    let put_aside = |rel: &str| {
        if cfg!(target_os = "linux") {
            let aside = leftovers(tmp.path());
            assert_eq!(aside.len(), 1, "{aside:?}");
            write(&tmp.path().join(&aside[0]), rel, "mine, not the site's\n");
        } else {
            put(rel);
        }
    };

    // Before the last check: refused, the output left as it was.
    let refused = publish_with(&out, &[("index.html", "new")], &mut |step| {
        if step == publish::Step::Rendered {
            put("notes.txt");
        }
    })
    .err()
    .expect("published over a file put in meanwhile");
    assert!(
        refused.contains("did not write") && refused.contains("notes.txt"),
        "{refused}"
    );
    let mut expected = site_a.clone();
    expected.insert("notes.txt".into(), b"mine, not the site's\n".to_vec());
    assert_eq!(snapshot(&out), expected);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    fs::remove_file(out.join("notes.txt")).unwrap();

    // Into the previous site after its check: moved back into the new site.
    let published = publish_with(&out, &[("index.html", "new")], &mut |step| {
        if step == publish::Step::Checked {
            put_aside("register/notes.txt");
        }
    })
    .unwrap();
    assert!(
        published
            .warnings
            .iter()
            .any(|w| w.contains("register/notes.txt")),
        "{:?}",
        published.warnings
    );
    assert_eq!(
        fs::read_to_string(out.join("register/notes.txt")).unwrap(),
        "mine, not the site's\n"
    );
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    fs::remove_dir_all(out.join("register")).unwrap();

    // Into the output after the check: on Linux, that is the new site.
    if cfg!(target_os = "linux") {
        publish_with(&out, &[("index.html", "new")], &mut |step| {
            if step == publish::Step::Checked {
                put("late.txt");
            }
        })
        .unwrap();
        assert_eq!(
            fs::read_to_string(out.join("late.txt")).unwrap(),
            "mine, not the site's\n"
        );
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
        fs::remove_file(out.join("late.txt")).unwrap();
    }

    // A name the new site uses itself: kept aside with the previous site.
    let published = publish_with(
        &out,
        &[("index.html", "newer"), ("extra.txt", "ours")],
        &mut |step| {
            if step == publish::Step::Checked {
                put_aside("extra.txt");
            }
        },
    )
    .unwrap();
    let kept = leftovers(tmp.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    let aside = tmp.path().join(&kept[0]);
    assert_eq!(
        fs::read_to_string(aside.join("extra.txt")).unwrap(),
        "mine, not the site's\n"
    );
    assert!(
        published
            .warnings
            .iter()
            .any(|w| w.contains("kept at") && w.contains("extra.txt")),
        "{:?}",
        published.warnings
    );
    assert_eq!(fs::read_to_string(out.join("extra.txt")).unwrap(), "ours");
    // Later builds keep it too, and say so.
    let o = build(&_ca, &out);
    assert_built(&o);
    assert!(stderr_of(&o).contains("did not write"), "{}", stderr_of(&o));
    assert!(aside.join("extra.txt").is_file());
}

/// A backup named like a leftover (`.site.isms-old-2025-06`) that is a
/// copy of a site, marker included, used to be deleted with the user's
/// files: the marker names its own folder, so a copy proves nothing. A
/// real leftover loses only what its manifest lists.
#[test]
fn a_copied_leftover_is_never_removed_and_a_real_one_keeps_foreign_files() {
    let (tmp, ca, site) = built("site");
    // A site set aside by a killed build: genuine, marked as a build marks it.
    let real = tmp.path().join(".site.isms-old-41-7");
    assert_built(&build(&ca, &real));
    publish::mark(&real).unwrap();
    // The user's backup: a copy of that folder, marker and manifest included.
    let backup = tmp.path().join(".site.isms-old-2025-06");
    copy_tree(&real, &backup);
    write(&backup, "my-notes.txt", "keep\n");
    let backup_before = snapshot(&backup);
    // And a file of the user's in the genuine leftover.
    write(&real, "register/mine.txt", "mine\n");
    let o = build(&ca, &site);
    assert_built(&o);
    assert_eq!(snapshot(&backup), backup_before, "the backup was touched");
    let err = stderr_of(&o);
    assert!(
        err.contains(&format!("kept {}", real.display())) && err.contains("register/mine.txt"),
        "{err}"
    );
    // Of the real leftover only the user's file and its folder are left.
    assert_eq!(
        snapshot(&real).into_keys().collect::<Vec<_>>(),
        [
            MARKER.to_string(),
            publish::MANIFEST.to_string(),
            "register/mine.txt".to_string()
        ]
    );
}

/// Copies a folder tree (files only), as `cp -a` would for this test.
fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in snapshot(from) {
        let p = to.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
}

/// `ulimit -f` used to kill the build with SIGXFSZ (exit 153, no message,
/// a staging folder left behind): now the write fails, the build says so,
/// and the output is left as it was.
#[cfg(unix)]
#[test]
fn a_file_size_limit_fails_the_build_with_a_message_and_keeps_the_output() {
    let (tmp, ca, cb) = two_contents(2);
    let out = tmp.path().join("out");
    assert_built(&build(&ca, &out));
    let site_a = snapshot(&out);
    // 8 KiB: below the size of the site's scripts.
    let o = build_with_files_up_to_8_kib(&cb, &out);
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("File too large") && err.contains("hint: "),
        "{err}"
    );
    assert_eq!(snapshot(&out), site_a);
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// A mount point cannot be renamed: publishing into one used to fail with
/// "Device or resource busy" after writing our marker into it. It is
/// refused before anything is written.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "needs unshare (util-linux) and user namespaces"]
fn a_mount_point_output_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let ca = big_content(tmp.path(), "a", 2);
    let mnt = tmp.path().join("mnt");
    fs::create_dir_all(&mnt).unwrap();
    let script = "mount -t tmpfs none \"$0\" && \"$@\"; s=$?; echo 'in the mount:' >&2; ls -A \"$0\" >&2; exit $s";
    let o = Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .arg(&mnt)
        .args([BIN, "build", "--as-of", "2026-02-01", "--content"])
        .arg(&ca)
        .arg("--output")
        .arg(&mnt)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("unshare (util-linux) is not installed");
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("it is a mount point") && err.contains("hint: "),
        "{err}"
    );
    // What `ls -A` found in the mount: nothing.
    assert!(err.trim_end().ends_with("in the mount:"), "{err}");
    assert_eq!(build_leftovers(tmp.path()), Vec::<String>::new());
}

/// The inode of every file below `dir`, by path.
#[cfg(unix)]
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    snapshot(dir)
        .into_keys()
        .map(|rel| {
            let ino = fs::symlink_metadata(dir.join(&rel)).unwrap().ino();
            (rel, ino)
        })
        .collect()
}

/// A register file of `content`, the one `pick` picks by its place among
/// them all (given their count): its path, text and file name, and how
/// many there are.
fn random_register_file(
    content: &Path,
    pick: impl FnOnce(usize) -> usize,
) -> (PathBuf, String, String, usize) {
    let mut entries: Vec<PathBuf> = fs::read_dir(content.join("register"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let file = entries[pick(entries.len())].clone();
    let text = fs::read_to_string(&file).unwrap();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    (file, text, name, entries.len())
}

/// One random edit of a generated register, as an author makes them:
/// returns what it did.
fn random_edit(content: &Path, next: &mut impl FnMut(usize) -> usize, step: usize) -> String {
    let (file, text, name, files) = random_register_file(content, &mut *next);
    let set = |from: &str, to: &str| {
        assert!(text.contains(from), "{name}: {from}");
        fs::write(&file, text.replacen(from, to, 1)).unwrap();
    };
    match next(8) {
        0 => {
            set("title: ", &format!("title: Retitled {step} "));
            format!("retitled {name}")
        }
        1 => {
            set(
                "description: |\n",
                &format!("description: |\n  *Changed {step}*.\n"),
            );
            format!("changed the description of {name}")
        }
        2 => {
            set("tags: [", &format!("tags: [new-{step}, "));
            format!("tagged {name}")
        }
        3 => {
            set("priority: ", "priority: low\n# was: ");
            format!("lowered the priority of {name}")
        }
        4 if files > 5 => {
            fs::remove_file(&file).unwrap();
            format!("removed {name}")
        }
        5 => {
            let new = content.join(format!("register/CI-9{step:03}.yaml"));
            fs::write(
                &new,
                text.replace("title: ", &format!("title: Copy {step} of ")),
            )
            .unwrap();
            format!("added a copy of {name}")
        }
        6 => {
            write(content, "site.yaml", &format!("title: Register {step}\n"));
            "retitled the site".into()
        }
        _ => {
            // Saved again unchanged: only the modification time moves.
            fs::write(&file, &text).unwrap();
            format!("saved {name} unchanged")
        }
    }
}

/// Issue 27: a build over its previous output links the files whose
/// bytes did not change instead of writing them, and writes nothing when
/// nothing changed; after any single random edit it gives exactly the
/// files a cold build gives, byte for byte.
#[cfg(unix)]
#[test]
fn an_incremental_build_gives_the_files_of_a_cold_build_after_any_single_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let content = big_content(tmp.path(), "a", 24);
    let out = tmp.path().join("out");
    let first = build(&content, &out);
    assert_built(&first);
    // Nothing changed: no file is written again, none removed, and the
    // same warnings are given.
    let before = inodes(&out);
    let bytes = snapshot(&out);
    let again = build(&content, &out);
    assert_built(&again);
    assert_eq!(inodes(&out), before, "a file was written again");
    assert_eq!(snapshot(&out), bytes);
    let warnings = |o: &Output| {
        let text = stderr_of(o);
        let kept: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with("built "))
            .map(str::to_string)
            .collect();
        kept
    };
    assert!(
        stderr_of(&first).contains("warning"),
        "{}",
        stderr_of(&first)
    );
    assert_eq!(warnings(&again), warnings(&first));
    let mut next = tools::edits::xorshift(27);
    for step in 0..12 {
        let did = random_edit(&content, &mut next, step);
        let (old_bytes, old_inodes) = (snapshot(&out), inodes(&out));
        assert_built(&build(&content, &out));
        let cold = tmp.path().join(format!("cold-{step}"));
        assert_built(&build(&content, &cold));
        let now = snapshot(&out);
        assert!(
            now == snapshot(&cold),
            "step {step} ({did}): the incremental build differs from a cold one"
        );
        // Every page whose bytes are the same is the same file.
        let new_inodes = inodes(&out);
        for (rel, b) in &now {
            if rel.ends_with(".html") && old_bytes.get(rel) == Some(b) {
                assert_eq!(
                    new_inodes[rel], old_inodes[rel],
                    "step {step} ({did}): {rel} was written again"
                );
            }
        }
        fs::remove_dir_all(&cold).unwrap();
    }
}

/// Issue 27: after edits that reach across pages (an entry's title or
/// status shown on the pages of the entries naming it, `related` and
/// `follows_up` added or removed, nonconformity chains, plans and reviews
/// naming entries, entries added and removed, `site.yaml`: see
/// `tools::edits`), a build over the previous output, which keeps the
/// entry pages whose inputs did not change (`pages::deps`), gives
/// exactly the files of a cold build.
#[test]
fn an_incremental_build_after_edits_that_cross_pages_gives_the_cold_build() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    tools::copy_dir(&tools::root_dir().join("content"), &content);
    let out = tmp.path().join("out");
    assert_built(&build(&content, &out));
    let cache = tmp.path().join(".out.isms-cache");
    assert!(
        fs::read_to_string(&cache).unwrap().contains("\np "),
        "the cache records the entry pages' keys"
    );
    let mut next = tools::edits::xorshift(31);
    for step in 0..16 {
        let did = tools::edits::cross_page_edit(&content, &mut next, step);
        assert_built(&build(&content, &out));
        let cold = tmp.path().join(format!("cold-{step}"));
        assert_built(&build(&content, &cold));
        let (now, cold_files) = (snapshot(&out), snapshot(&cold));
        let differ: std::collections::BTreeSet<&String> = now
            .keys()
            .chain(cold_files.keys())
            .filter(|rel| now.get(*rel) != cold_files.get(*rel))
            .collect();
        assert!(
            differ.is_empty(),
            "step {step} ({did}): these files differ from a cold build's: {differ:?}"
        );
        fs::remove_dir_all(&cold).unwrap();
    }
}

/// The build cache is only a hint: a page changed in the output by hand
/// is noticed (its stamp moved) and written again, and a cache file that
/// is damaged, or not ours, never fails a build.
#[cfg(unix)]
#[test]
fn an_output_changed_by_hand_or_a_bad_cache_still_gives_the_cold_build() {
    let tmp = tempfile::tempdir().unwrap();
    let content = big_content(tmp.path(), "a", 3);
    let out = tmp.path().join("out");
    assert_built(&build(&content, &out));
    let site = snapshot(&out);
    fs::write(out.join("index.html"), "edited by hand").unwrap();
    assert_built(&build(&content, &out));
    assert_eq!(snapshot(&out), site);
    let cache = tmp.path().join(".out.isms-cache");
    assert!(cache.is_file());
    for damaged in ["", "# isms-site build cache 1\nkey zz\n", "someone's notes"] {
        fs::write(&cache, damaged).unwrap();
        fs::write(out.join("index.html"), "edited by hand").unwrap();
        assert_built(&build(&content, &out));
        assert_eq!(snapshot(&out), site, "with the cache {damaged:?}");
    }
    // A file of that name that is not ours is kept as it is.
    assert_eq!(fs::read_to_string(&cache).unwrap(), "someone's notes");
}

/// Changes the title of entry `i` of a [`big_content`] register.
fn retitle(content: &Path, i: usize, title: &str) {
    let file = content.join(format!("register/CI-{i:04}.yaml"));
    let text = fs::read_to_string(&file).unwrap();
    let at = text.find('\n').unwrap();
    fs::write(&file, format!("title: {title}{}", &text[at..])).unwrap();
}

/// A register built, then built again after one change: the output,
/// and the spare (the first site) with its record beside it.
#[cfg(target_os = "linux")]
fn with_spare() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = big_content(tmp.path(), "a", 6);
    let out = tmp.path().join("out");
    let spare = tmp.path().join(".out.isms-spare");
    assert_built(&build(&content, &out));
    assert!(
        !spare.exists(),
        "a build into a new folder has no previous site"
    );
    retitle(&content, 1, "First change");
    assert_built(&build(&content, &out));
    assert!(
        spare.is_dir(),
        "the previous site was not kept as the spare"
    );
    assert!(tmp.path().join(".out.isms-spare-cache").is_file());
    (tmp, content, out, spare)
}

/// The output equals a cold build of `content`, file for file.
fn assert_cold(tmp: &Path, content: &Path, out: &Path, what: &str) {
    let cold = tmp.join("cold");
    assert_built(&build(content, &cold));
    assert_same_files(out, &cold, what);
    fs::remove_dir_all(&cold).unwrap();
    let _ = fs::remove_file(tmp.join(".cold.isms-cache"));
}

/// The files of `out` are those of the cold build `cold`, byte for byte.
fn assert_same_files(out: &Path, cold: &Path, what: &str) {
    let (now, want) = (snapshot(out), snapshot(cold));
    let differ: Vec<&String> = now
        .keys()
        .chain(want.keys())
        .filter(|rel| now.get(*rel) != want.get(*rel))
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: these files differ from a cold build's: {differ:?}"
    );
}

/// The inode of `path` itself.
#[cfg(unix)]
fn ino(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(path).unwrap().ino()
}

/// Issue 27: after a swap the previous site is kept beside the output as
/// the spare, and the next build renders into it (the spare's folder
/// becomes the output) instead of making and removing a whole tree; the
/// result is a cold build's, every page whose bytes did not change keeps
/// its inode, and the site it replaced is the next spare.
#[cfg(target_os = "linux")]
#[test]
fn a_build_renders_into_the_spare_and_keeps_the_inodes_of_unchanged_pages() {
    let (tmp, content, out, spare) = with_spare();
    let spare_folder = ino(&spare);
    let (old_bytes, old_inodes) = (snapshot(&out), inodes(&out));
    let old_output = ino(&out);
    retitle(&content, 2, "Second change");
    assert_built(&build(&content, &out));
    assert_eq!(
        ino(&out),
        spare_folder,
        "the build did not render into the spare"
    );
    assert_eq!(
        ino(&spare),
        old_output,
        "the replaced site is not the next spare"
    );
    assert_cold(tmp.path(), &content, &out, "over the spare");
    let new_inodes = inodes(&out);
    let mut kept = 0;
    for (rel, b) in &snapshot(&out) {
        // The manifest is written anew by every build that publishes.
        if old_bytes.get(rel) == Some(b) && rel != publish::MANIFEST {
            assert_eq!(new_inodes[rel], old_inodes[rel], "{rel} was written again");
            kept += 1;
        }
    }
    assert!(kept > 10, "only {kept} files unchanged");
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// A file or folder put into the spare by hand makes it untrusted: the
/// build renders into a new staging folder, never publishes that file,
/// and never deletes it (the spare loses only what isms-site wrote, and
/// the rest is kept and reported).
#[cfg(target_os = "linux")]
#[test]
fn a_file_added_by_hand_inside_the_spare_is_never_deleted_and_never_published() {
    let (tmp, content, out, spare) = with_spare();
    fs::write(spare.join("notes.txt"), "mine\n").unwrap();
    fs::create_dir(spare.join("drafts")).unwrap();
    retitle(&content, 2, "Second change");
    let o = build(&content, &out);
    assert_built(&o);
    let err = stderr_of(&o);
    assert!(
        err.contains("did not write") && err.contains("notes.txt"),
        "{err}"
    );
    assert!(!out.join("notes.txt").exists() && !out.join("drafts").exists());
    assert_eq!(
        fs::read_to_string(spare.join("notes.txt")).unwrap(),
        "mine\n"
    );
    assert!(spare.join("drafts").is_dir());
    assert_cold(
        tmp.path(),
        &content,
        &out,
        "beside a spare with a file added",
    );
    // Later builds keep it too.
    retitle(&content, 3, "Third change");
    assert_built(&build(&content, &out));
    assert_eq!(
        fs::read_to_string(spare.join("notes.txt")).unwrap(),
        "mine\n"
    );
    assert_cold(tmp.path(), &content, &out, "the build after");
}

/// The folders a build saw settled are kept beside the output
/// (`.NAME.isms-folders`), so that the next build's checks read only the
/// folders changed since: a file put by hand into a folder deep in the
/// output after that build is still found (the build refuses), and so is
/// one put into the spare (not trusted, the file kept, never published).
#[cfg(target_os = "linux")]
#[test]
fn files_put_into_recorded_folders_between_builds_are_found() {
    let (tmp, content, out, spare) = with_spare();
    wait_until_settled(tmp.path());
    retitle(&content, 2, "Second change");
    assert_built(&build(&content, &out));
    let folders = fs::read(tmp.path().join(".out.isms-folders")).unwrap();
    assert!(folders.len() > 1000, "hardly any folder recorded");
    let ours = out.join("register/CI-0003");
    let theirs = spare.join("register/CI-0004");
    assert!(ours.join("index.html").is_file() && theirs.join("index.html").is_file());
    fs::write(ours.join("notes.txt"), "mine\n").unwrap();
    fs::write(theirs.join("draft.txt"), "mine\n").unwrap();
    retitle(&content, 3, "Third change");
    let o = build(&content, &out);
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("did not write") && err.contains("notes.txt"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(ours.join("notes.txt")).unwrap(),
        "mine\n"
    );
    fs::remove_file(ours.join("notes.txt")).unwrap();
    let o = build(&content, &out);
    assert_built(&o);
    let err = stderr_of(&o);
    assert!(err.contains("draft.txt"), "{err}");
    assert_eq!(
        fs::read_to_string(theirs.join("draft.txt")).unwrap(),
        "mine\n"
    );
    assert_cold(
        tmp.path(),
        &content,
        &out,
        "after the spare was not trusted",
    );
}

/// A file of the spare replaced by hand (another file now, whatever its
/// bytes) makes it untrusted: left alone as unchanged, it would have been
/// published.
#[cfg(target_os = "linux")]
#[test]
fn a_file_changed_by_hand_in_the_spare_is_not_trusted() {
    let (tmp, content, out, spare) = with_spare();
    // A file the next build leaves as it is.
    let rel = snapshot(&spare)
        .into_keys()
        .find(|rel| rel.ends_with(".css"))
        .expect("a stylesheet");
    fs::remove_file(spare.join(&rel)).unwrap();
    fs::write(spare.join(&rel), "changed by hand").unwrap();
    retitle(&content, 2, "Second change");
    assert_built(&build(&content, &out));
    assert_ne!(fs::read(out.join(&rel)).unwrap(), b"changed by hand");
    assert_cold(tmp.path(), &content, &out, "beside a spare changed by hand");
}

/// A build that fails after it began to write into the spare (its record
/// removed first) leaves the output as it was, and the next build gives
/// a cold build's files.
#[cfg(target_os = "linux")]
#[test]
fn a_build_that_fails_over_the_spare_keeps_the_output_and_the_next_is_cold() {
    let (tmp, content, out, _spare) = with_spare();
    let site = snapshot(&out);
    for i in 1..=6 {
        retitle(
            &content,
            i,
            &format!("A much longer title for entry {i} this time"),
        );
    }
    // 8 KiB: below the size of the site's larger pages.
    let o = build_with_files_up_to_8_kib(&content, &out);
    let err = stderr_of(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(snapshot(&out), site, "a failed build changed the output");
    assert!(!tmp.path().join(".out.isms-spare-cache").exists());
    assert_built(&build(&content, &out));
    assert_cold(tmp.path(), &content, &out, "after a failed build");
    assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
}

/// A build of `content` into `output` as of the generated registers' date.
fn build_generated(content: &Path, output: &Path) -> Output {
    let o = Command::new(BIN)
        .args(["build", "--as-of", tools::AS_OF, "--content"])
        .arg(content)
        .arg("--output")
        .arg(output)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert_built(&o);
    o
}

/// A generated register (`tools::registers`) with plans and reviews
/// whose bodies are Markdown naming its entries.
fn generated_with_plans(dir: &Path, seed: u64) -> PathBuf {
    let content = dir.join("content");
    tools::registers::write(&content, seed, 30);
    for i in 1..=3 {
        write(
            &content,
            &format!("plans/plan-{i}.md"),
            &format!(
                "---\ntitle: Plan {i}\nentries: [CI-00{i}, CI-01{i}]\n---\n## Scope\n\nOne paragraph of plan {i}, with **bold** words.\n\n- [ ] a task\n- [x] a done task\n"
            ),
        );
        write(
            &content,
            &format!("reviews/review-{i}.md"),
            &format!(
                "---\ntitle: Review {i}\ndate: 2026-0{i}-15\nkind: management-review\nentries: [CI-02{i}]\n---\n## Inputs\n\nOne paragraph of review {i}.\n"
            ),
        );
    }
    content
}

/// One random edit of a [`generated_with_plans`] register that changes
/// Markdown somewhere: an entry's text, a plan's or review's body, a copy
/// of an entry, or the site's language (the task lists' labels are part
/// of what a text is rendered from). Returns what it did.
fn markdown_edit(content: &Path, r: &mut tools::rng::Rng, step: usize) -> String {
    let pick = |dir: &str, r: &mut tools::rng::Rng| {
        let mut files: Vec<PathBuf> = fs::read_dir(content.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files[r.below(files.len() as u64) as usize].clone()
    };
    let edit = |file: &Path, from: &str, to: &str| {
        let text = fs::read_to_string(file).unwrap();
        let found = text.contains(from);
        fs::write(file, text.replacen(from, to, 1)).unwrap();
        format!("{} in {} ({found})", to, file.display())
    };
    match r.below(6) {
        0 | 1 => {
            let file = pick("register", r);
            // Words of `tools::registers`' Markdown, in quoted and block
            // texts alike; an entry without them is saved unchanged.
            let (from, to) = [
                ("One paragraph.", format!("One *edited {step}* paragraph.")),
                ("First line", format!("First line {step}")),
                ("A list:", format!("A list {step}:")),
                ("**Bold**", format!("**Bold {step}**")),
                ("indented first line", format!("indented first line {step}")),
            ][r.below(5) as usize]
                .clone();
            edit(&file, from, &to)
        }
        2 => edit(
            &pick("plans", r),
            "One paragraph",
            &format!("One *new {step}* paragraph"),
        ),
        3 => edit(
            &pick("reviews", r),
            "## Inputs",
            &format!("## Inputs {step}\n\n- [ ] open"),
        ),
        4 => {
            let single: Vec<PathBuf> = (1..=30)
                .map(|i| content.join(format!("register/CI-{i:03}.yaml")))
                .filter(|p| p.is_file())
                .collect();
            let from = &single[r.below(single.len() as u64) as usize];
            let to = content.join(format!("register/CI-9{step:02}.yaml"));
            fs::copy(from, &to).unwrap();
            format!("copied {} to {}", from.display(), to.display())
        }
        _ => {
            let site = content.join("site.yaml");
            let text = fs::read_to_string(&site).unwrap();
            let text = match text.strip_suffix("language: de\n") {
                Some(t) => t.to_string(),
                None => format!("{text}language: de\n"),
            };
            fs::write(&site, &text).unwrap();
            format!("site language now {}", text.contains("language: de"))
        }
    }
}

/// The files of `out` equal those of a build of `content` into a new
/// folder beside it, which has no memo to read.
fn assert_as_cold(tmp: &Path, content: &Path, out: &Path, what: &str) {
    let cold = tmp.join("cold");
    build_generated(content, &cold);
    assert_same_files(out, &cold, what);
    fs::remove_dir_all(&cold).unwrap();
    for sibling in [".cold.isms-cache", ".cold.isms-markdown"] {
        let _ = fs::remove_file(tmp.join(sibling));
    }
}

/// Issue 27: `build` keeps the Markdown it rendered beside its output
/// (`.NAME.isms-markdown`) and the next build takes from it every text
/// whose source is unchanged; after random single-file edits of entries,
/// plans, reviews and the site's language, a build over its previous
/// output gives byte for byte the files of a cold build.
#[test]
fn a_build_taking_the_markdown_memo_gives_the_cold_build_after_random_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let content = generated_with_plans(tmp.path(), 35);
    let out = tmp.path().join("out");
    // A folder that exists: builds into it keep what the next one takes.
    fs::create_dir(&out).unwrap();
    let memo = tmp.path().join(".out.isms-markdown");
    build_generated(&content, &out);
    assert!(memo.is_file(), "no memo beside the output");
    let mut r = tools::rng::Rng(35);
    for step in 0..14 {
        let did = markdown_edit(&content, &mut r, step);
        build_generated(&content, &out);
        assert!(memo.is_file(), "step {step}: no memo after {did}");
        assert_as_cold(tmp.path(), &content, &out, &format!("step {step} ({did})"));
    }
}

/// A generated register of `entries` (`tools::registers`) in a new
/// temporary folder, built into `out` beside it: the folder, the content
/// and the output.
fn generated_and_built(seed: u64, entries: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    tools::registers::write(&content, seed, entries);
    let out = tmp.path().join("out");
    build_generated(&content, &out);
    (tmp, content, out)
}

/// Issue 27: the build cache keeps the keys of the register list's
/// pages (`r` lines) and a build over its output keeps each page whose
/// rows are unchanged. With 450 entries (three pages of 200 rows), random
/// edits (some add an entry, moving rows from page to page) give byte for
/// byte the files of a cold build.
#[test]
fn register_list_pages_kept_by_their_keys_give_the_cold_build_after_random_edits() {
    let (tmp, content, out) = generated_and_built(27, 450);
    let cache = fs::read_to_string(tmp.path().join(".out.isms-cache")).unwrap();
    let keys = cache.lines().filter(|l| l.starts_with("r ")).count();
    assert_eq!(keys, 3, "one key per page of the register list");
    let mut r = tools::rng::Rng(450);
    for step in 0..8 {
        let did = list_edit(&content, &mut r, step);
        build_generated(&content, &out);
        assert_as_cold(tmp.path(), &content, &out, &format!("step {step} ({did})"));
    }
}

/// One random edit of a generated register that changes a row of the
/// register list, adds one (moving the rows after it) or changes the
/// site's title (on every page): returns what it did.
fn list_edit(content: &Path, r: &mut tools::rng::Rng, step: usize) -> String {
    let (file, text, name, _) = random_register_file(content, |n| r.below(n as u64) as usize);
    match r.below(3) {
        0 => {
            fs::write(
                &file,
                text.replacen("title: ", &format!("title: Retitled {step} "), 1),
            )
            .unwrap();
            format!("retitled {name}")
        }
        1 => {
            write(content, "site.yaml", &format!("title: Register {step}\n"));
            "retitled the site".to_string()
        }
        _ => {
            // Sorted just after the original: the rows after it move on.
            let id = name.trim_end_matches(".yaml");
            let copy = format!("{id}-{step}");
            let text = text.replace(id, &copy);
            fs::write(content.join(format!("register/{copy}.yaml")), text).unwrap();
            format!("added {copy}, a copy of {name}")
        }
    }
}

/// Issue 27: a build over its output copies each unchanged entry's row
/// of `register.csv` and object of `register.json` out of the published
/// file (`output::pieces`), and only while that file has the stamp the
/// build cache recorded. Shown with the published files changed in place
/// to bytes of the same length: with a new modification time the rows
/// are made again (a cold build's bytes); with the old one put back, the
/// changed rows are copied (the trust the build cache puts in a stamp, as
/// for every file it keeps).
#[cfg(unix)]
#[test]
fn export_rows_are_copied_from_the_published_files_only_while_they_keep_their_stamp() {
    let (tmp, content, out) = generated_and_built(7, 30);
    let exports = ["register.csv", "register.json"];
    let poison = |keep_stamp: bool| {
        for name in exports {
            let path = out.join(name);
            let modified = fs::metadata(&path).unwrap().modified().unwrap();
            let bytes = fs::read(&path).unwrap();
            let changed = replaced(&bytes, b"CI-005", b"CX-005");
            assert_ne!(changed, bytes, "{name} names CI-005");
            // In place: the same file, the same size.
            fs::write(&path, changed).unwrap();
            if keep_stamp {
                let file = fs::File::options().write(true).open(&path).unwrap();
                file.set_modified(modified).unwrap();
            }
        }
    };
    let retitle = |step: usize| {
        let file = content.join("register/CI-010.yaml");
        let text = fs::read_to_string(&file).unwrap();
        fs::write(
            &file,
            text.replacen("title: ", &format!("title: Now {step} "), 1),
        )
        .unwrap();
    };
    poison(false);
    retitle(1);
    build_generated(&content, &out);
    assert_as_cold(tmp.path(), &content, &out, "rows of files with a new stamp");
    poison(true);
    retitle(2);
    build_generated(&content, &out);
    for name in exports {
        let text = fs::read_to_string(out.join(name)).unwrap();
        assert!(
            text.contains("CX-005"),
            "{name}: unchanged rows were made again"
        );
        assert!(
            text.contains("Now 2 "),
            "{name}: the changed row was copied"
        );
    }
}

/// Issue 27: the OSCAL POA&M's pieces (each entry's observation, risk
/// and item) are keyed on what else they read: a plan's milestones (the
/// tasks of every entry it names), the state of a finding's whole chain
/// (the observation of an entry left as it was) and the site (the links'
/// base). After each such edit of the demo the POA&M changes and is the
/// cold build's.
#[test]
fn poam_pieces_follow_plans_findings_and_the_site_they_read() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    tools::copy_dir(&tools::root_dir().join("content"), &content);
    let out = tmp.path().join("out");
    build_generated(&content, &out);
    let edit = |rel: &str, from: &str, to: &str| {
        let path = content.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel}: {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    let poam = || fs::read(out.join("oscal/poam.json")).unwrap();
    let completed = "    note: Vendor delivered the upgrade; two of the four servers replaced.\n";
    // What each edit is, and its changes: a file, what is replaced, by what.
    type Change<'a> = (&'a str, &'a str, &'a str);
    let edits: [(&str, &[Change]); 3] = [
        (
            "a milestone moved",
            &[(
                "plans/access-control-hardening.md",
                "due: 2025-10-31",
                "due: 2025-11-30",
            )],
        ),
        (
            "a follow-up completed",
            &[
                (
                    "register/CI-024.yaml",
                    "status: in-progress",
                    "status: completed\ncompleted: 2026-11-01",
                ),
                (
                    "register/CI-024.yaml",
                    completed,
                    &format!("{completed}  - date: 2026-11-01\n    status: completed\n"),
                ),
            ],
        ),
        (
            "a base address",
            &[(
                "site.yaml",
                "title:",
                "base_url: https://isms.example.org/\ntitle:",
            )],
        ),
    ];
    for (what, changes) in edits {
        let before = poam();
        for (rel, from, to) in changes {
            edit(rel, from, to);
        }
        build_generated(&content, &out);
        assert_ne!(poam(), before, "{what}: the POA&M should change");
        assert_as_cold(tmp.path(), &content, &out, what);
    }
}

/// `bytes` with `from` replaced by `to` (of the same length) everywhere.
fn replaced(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut at = 0;
    while let Some(i) = out[at..].windows(from.len()).position(|w| w == from) {
        out[at + i..at + i + to.len()].copy_from_slice(to);
        at += i + from.len();
    }
    out
}

/// The memo is only a hint: one that is damaged, cut short, written by
/// another binary, too large, or a symbolic link gives a cold build's
/// files and no error; the link is neither followed nor removed, nor is a
/// link in place of the file the memo is written to. Each bad memo is a
/// poisoned one (a word changed in its HTML and text) that, as a proper
/// file, does show in the site: so each is seen to be left unread.
#[cfg(unix)]
#[test]
fn a_damaged_foreign_oversized_or_linked_markdown_memo_gives_the_cold_build() {
    use isms_site::output::pages::memo::MAGIC;
    let tmp = tempfile::tempdir().unwrap();
    let content = generated_with_plans(tmp.path(), 36);
    let out = tmp.path().join("out");
    // A folder that exists: builds into it keep what the next one takes.
    fs::create_dir(&out).unwrap();
    let memo = tmp.path().join(".out.isms-markdown");
    build_generated(&content, &out);
    let good = fs::read(&memo).unwrap();
    let body = &good[..good.len() - SEAL_LEN];
    assert!(body.windows(9).any(|w| w == b"paragraph"));
    let poisoned_body = replaced(body, b"paragraph", b"PARAGRAPH");
    let poisoned = sealed(poisoned_body.clone());
    // The identity's last byte changed: another binary's memo.
    let id_len = u32::from_le_bytes(good[MAGIC.len()..MAGIC.len() + 4].try_into().unwrap());
    let mut foreign_body = poisoned_body.clone();
    foreign_body[MAGIC.len() + 4 + id_len as usize - 1] ^= 0x01;
    let retitle_site = |step: usize| {
        let site = content.join("site.yaml");
        let text = fs::read_to_string(&site).unwrap();
        let text = text.replacen("title: ", &format!("title: Step {step} of "), 1);
        fs::write(&site, text).unwrap();
    };
    // The control: a poisoned memo that is whole and ours is read (the
    // site's new title renders every page again).
    fs::write(&memo, &poisoned).unwrap();
    retitle_site(0);
    build_generated(&content, &out);
    let shows = snapshot(&out)
        .values()
        .any(|b| b.windows(9).any(|w| w == b"PARAGRAPH"));
    assert!(shows, "the memo was not read");
    let elsewhere = tmp.path().join("elsewhere.bin");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("damaged (its digest not made anew)", poisoned_body.clone()),
        ("cut short", poisoned[..poisoned.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("of another binary", sealed(foreign_body)),
        ("not ours", b"someone's notes\n".to_vec()),
    ];
    for (step, (what, bytes)) in cases.into_iter().enumerate() {
        fs::write(&memo, &bytes).unwrap();
        retitle_site(step + 1);
        let o = build_generated(&content, &out);
        assert!(!stderr_of(&o).contains("memo"), "{what}: {}", stderr_of(&o));
        assert_as_cold(tmp.path(), &content, &out, &format!("a memo {what}"));
        if what == "not ours" {
            assert_eq!(
                fs::read(&memo).unwrap(),
                bytes,
                "a file not ours was replaced"
            );
        }
    }
    // Too large to be read (a sparse file: no disk taken), yet ours.
    let file = fs::File::create(&memo).unwrap();
    fs::write(&memo, MAGIC).unwrap();
    file.set_len(1024 * 1024 * 1024 + 1).unwrap();
    retitle_site(10);
    build_generated(&content, &out);
    assert_as_cold(tmp.path(), &content, &out, "a memo too large");
    assert!(
        fs::metadata(&memo).unwrap().len() < 1024 * 1024,
        "not written anew"
    );
    // A link to a poisoned memo is not followed, nor removed, nor
    // written through; nor is a link where the memo is written first.
    let part = tmp.path().join(".out.isms-markdown-new");
    for link in [&memo, &part] {
        fs::write(&elsewhere, &poisoned).unwrap();
        let _ = fs::remove_file(&memo);
        std::os::unix::fs::symlink(&elsewhere, link).unwrap();
        retitle_site(11);
        build_generated(&content, &out);
        assert_as_cold(
            tmp.path(),
            &content,
            &out,
            &format!("a link at {}", link.display()),
        );
        assert!(fs::symlink_metadata(link).unwrap().file_type().is_symlink());
        assert_eq!(
            fs::read(&elsewhere).unwrap(),
            poisoned,
            "written through the link"
        );
        fs::remove_file(link).unwrap();
    }
}

/// The Markdown memo and the kept parses are written over in place
/// (their inodes kept), each cut to its new length; but one that another
/// name links to (a hard link) is never written through: it is replaced,
/// and the other name keeps its bytes. The site is the cold build's
/// either way.
#[cfg(unix)]
#[test]
fn kept_files_are_written_in_place_but_never_through_a_hard_link() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let content = generated_with_plans(tmp.path(), 37);
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let kept = [
        tmp.path().join(".out.isms-markdown"),
        tmp.path().join(".out.isms-parsed"),
    ];
    build_generated(&content, &out);
    let entry = fs::read_dir(content.join("register"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "yaml"))
        .unwrap();
    let retitle = |step: usize| {
        let text = fs::read_to_string(&entry).unwrap();
        let text = text.replacen("title: ", &format!("title: Step {step} of "), 1);
        fs::write(&entry, text).unwrap();
    };
    let ino = |p: &Path| fs::metadata(p).unwrap().ino();
    let before: Vec<u64> = kept.iter().map(|p| ino(p)).collect();
    retitle(1);
    build_generated(&content, &out);
    let after: Vec<u64> = kept.iter().map(|p| ino(p)).collect();
    assert_eq!(before, after, "not written in place");
    assert_as_cold(tmp.path(), &content, &out, "kept files written in place");
    for (n, file) in kept.iter().enumerate() {
        let other = tmp.path().join(format!("other-{n}"));
        fs::hard_link(file, &other).unwrap();
        let bytes = fs::read(&other).unwrap();
        retitle(2 + n);
        build_generated(&content, &out);
        assert_eq!(fs::read(&other).unwrap(), bytes, "{}", file.display());
        assert_ne!(ino(file), ino(&other), "{}", file.display());
        assert_as_cold(tmp.path(), &content, &out, "a kept file linked elsewhere");
    }
}

/// A memo a killed build left half written beside the output is removed
/// by the next build; a file of that name that is not ours is kept.
#[test]
fn a_memo_left_half_written_is_removed_and_one_not_ours_kept() {
    use isms_site::output::pages::memo::MAGIC;
    let tmp = tempfile::tempdir().unwrap();
    let content = big_content(tmp.path(), "a", 3);
    let out = tmp.path().join("out");
    // A folder that exists: builds into it keep what the next one takes.
    fs::create_dir(&out).unwrap();
    let part = tmp.path().join(".out.isms-markdown-new");
    fs::write(&part, &MAGIC[..10]).unwrap();
    assert_built(&build(&content, &out));
    assert!(!part.exists(), "the half-written memo was kept");
    assert!(tmp.path().join(".out.isms-markdown").is_file());
    fs::write(&part, "mine\n").unwrap();
    retitle(&content, 1, "Changed");
    assert_built(&build(&content, &out));
    assert_eq!(fs::read_to_string(&part).unwrap(), "mine\n");
}

/// What a build said (its exit code and every line but the last one,
/// which names the output folder, and the time taken when it was built).
fn said(o: &Output) -> (Option<i32>, Vec<String>) {
    let lines = stderr_of(o)
        .lines()
        .filter(|l| !l.starts_with("built ") && !l.starts_with("build failed; "))
        .map(str::to_string)
        .collect();
    (o.status.code(), lines)
}

/// Builds `content` over `out` and, into a new folder, from nothing; the
/// two give the same files and say the same (warnings and errors alike).
fn assert_same_as_cold(tmp: &Path, content: &Path, out: &Path, what: &str) {
    let over = build(content, out);
    let cold = tmp.join("cold");
    let fresh = build(content, &cold);
    assert_eq!(said(&over), said(&fresh), "{what}: the problems differ");
    if fresh.status.success() {
        let (now, want) = (snapshot(out), snapshot(&cold));
        let differ: Vec<&String> = now
            .keys()
            .chain(want.keys())
            .filter(|rel| now.get(*rel) != want.get(*rel))
            .collect();
        assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
    }
    let _ = fs::remove_dir_all(&cold);
    for e in fs::read_dir(tmp).unwrap().flatten() {
        if e.file_name().to_string_lossy().starts_with(".cold.isms-") {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// One edit of a generated register (`tools::registers`) that reaches
/// what parsing a file gives: a title, an entry added with a warning, a
/// file broken (mended by the next edit), the evidence list (register
/// files' links are checked against it), `site.yaml`, a file saved
/// unchanged or removed.
fn parse_edit(
    content: &Path,
    r: &mut tools::rng::Rng,
    step: usize,
    broken: &mut Option<(PathBuf, String)>,
) -> String {
    if let Some((file, text)) = broken.take() {
        fs::write(file, text).unwrap();
    }
    let mut files: Vec<PathBuf> = fs::read_dir(content.join("register"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let file = files[r.below(files.len() as u64) as usize].clone();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let text = fs::read_to_string(&file).unwrap();
    match r.below(7) {
        0 => {
            fs::write(
                &file,
                text.replacen("title: \"", &format!("title: \"Retitled {step} "), 1),
            )
            .unwrap();
            format!("retitled {name}")
        }
        1 => {
            let placeholder = isms_site::content::PLACEHOLDER_DESCRIPTION;
            write(
                content,
                &format!("register/CI-8{step:02}.yaml"),
                &format!(
                    "title: New {step}\nidentified: 2026-01-0{}\nstatus: planned\npriority: low\ndescription: {placeholder}\n",
                    1 + step % 9
                ),
            );
            format!("added CI-8{step:02} with a warning")
        }
        2 => {
            fs::write(&file, text.replacen("status: ", "status: [", 1)).unwrap();
            *broken = Some((file, text));
            format!("broke {name}")
        }
        3 => {
            let report = content.join("evidence/report.pdf");
            if report.exists() {
                fs::remove_file(report).unwrap();
                "removed the evidence".into()
            } else {
                fs::write(report, b"%PDF-1.4 report\n").unwrap();
                "put the evidence back".into()
            }
        }
        4 => {
            write(content, "site.yaml", &format!("title: Register {step}\n"));
            "retitled the site".into()
        }
        5 if files.len() > 5 => {
            fs::remove_file(&file).unwrap();
            format!("removed {name}")
        }
        _ => {
            fs::write(&file, &text).unwrap();
            format!("saved {name} unchanged")
        }
    }
}

/// Waits, on the clock, until every file below `dir` changed at least
/// `site::survey::SETTLED` (3 s) ago and so may be trusted by its stamp
/// (`site::sums`): what the test needs is the time, not an event.
fn wait_until_settled(dir: &Path) {
    use std::os::unix::fs::MetadataExt;
    let mut newest = 0i64;
    for e in walkdir(dir) {
        newest = newest.max(fs::symlink_metadata(e).unwrap().ctime());
    }
    let settled = std::time::UNIX_EPOCH + std::time::Duration::from_secs(newest as u64 + 5);
    while std::time::SystemTime::now() < settled {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all.extend(walkdir(&p));
        }
        all.push(p);
    }
    all
}

/// A build over its own output takes the SHA-256 of the content files
/// unchanged since the last build from `.NAME.isms-sums` (`site::sums`),
/// by their stamps: a file edited with its size and modification time put
/// back as they were is still read again (its change time moved), and the
/// site is the cold build's.
#[cfg(unix)]
#[test]
fn a_content_file_changed_with_its_size_and_time_kept_is_read_again() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("demo");
    tools::copy_dir(&tools::root_dir().join("content"), &content);
    wait_until_settled(&content);
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    assert_built(&build(&content, &out));
    let sums = fs::read_to_string(tmp.path().join(".out.isms-sums")).unwrap();
    let files = walkdir(&content).iter().filter(|p| p.is_file()).count();
    assert_eq!(sums.lines().count(), files + 1, "a line per content file");
    let file = content.join("register/CI-001.yaml");
    let old = fs::read_to_string(&file).unwrap();
    let mtime = fs::metadata(&file).unwrap().modified().unwrap();
    // The title's first letter swapped for another: the same size.
    let at = old.find("title: ").unwrap() + "title: ".len();
    let at = at + old[at..].find(|c: char| c.is_ascii_alphabetic()).unwrap();
    let other = if &old[at..at + 1] == "Q" { "Z" } else { "Q" };
    let new = format!("{}{other}{}", &old[..at], &old[at + 1..]);
    fs::write(&file, &new).unwrap();
    let f = fs::File::options().write(true).open(&file).unwrap();
    f.set_modified(mtime).unwrap();
    drop(f);
    assert_eq!(fs::metadata(&file).unwrap().len() as usize, old.len());
    assert_same_as_cold(tmp.path(), &content, &out, "title changed, time kept");
    let title = new[at..].lines().next().unwrap().trim_matches('"');
    let id = file.file_stem().unwrap().to_string_lossy();
    let page = fs::read_to_string(out.join(format!("register/{id}/index.html"))).unwrap();
    assert!(page.contains(title), "the entry page lacks {title:?}");
}

/// Issue 27: a build takes each register file's, plan's and review's
/// parse from those the last build kept beside the output
/// (`.NAME.isms-parsed`) when the file's bytes are the same. After random
/// single-file edits (of the demo: entries, plans, reviews, `site.yaml`,
/// `tools::edits`; of generated registers: titles, warnings, errors, the
/// evidence list, `site.yaml`), it gives byte for byte the files, and the
/// warnings and errors, of a cold build into a new folder.
#[test]
fn kept_parses_give_the_files_and_problems_of_a_cold_build_after_random_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("demo");
    tools::copy_dir(&tools::root_dir().join("content"), &content);
    let out = tmp.path().join("out");
    // A folder that exists: builds into it keep what the next one takes.
    fs::create_dir(&out).unwrap();
    assert_built(&build(&content, &out));
    let parsed = tmp.path().join(".out.isms-parsed");
    assert!(publish::PARSED.is_ours(&parsed), "no parses kept");
    let mut next = tools::edits::xorshift(35);
    for step in 0..8 {
        let did = tools::edits::cross_page_edit(&content, &mut next, step);
        assert_same_as_cold(
            tmp.path(),
            &content,
            &out,
            &format!("demo, step {step} ({did})"),
        );
    }
    for seed in [35, 36] {
        let content = tmp.path().join(format!("generated-{seed}"));
        tools::registers::write(&content, seed, 14);
        let out = tmp.path().join(format!("out-{seed}"));
        // A folder that exists: builds into it keep what the next one takes.
        fs::create_dir(&out).unwrap();
        assert_built(&build(&content, &out));
        let mut r = tools::rng::Rng(seed);
        let mut broken = None;
        for step in 0..10 {
            let did = parse_edit(&content, &mut r, step, &mut broken);
            let what = format!("seed {seed}, step {step} ({did})");
            assert_same_as_cold(tmp.path(), &content, &out, &what);
        }
    }
}

/// Issue 27: a warning or an error that parsing a file gave is said again,
/// at the same path:line:column, by a build that takes the file's parse
/// from those kept (kept after a build that stopped at the error too, so
/// an author fixing errors does not wait for the rest to be parsed).
#[test]
fn a_problem_from_a_kept_parse_is_reported_at_the_same_place() {
    let tmp = tempfile::tempdir().unwrap();
    let content = big_content(tmp.path(), "a", 4);
    let placeholder = isms_site::content::PLACEHOLDER_DESCRIPTION;
    write(
        &content,
        "register/CI-0001.yaml",
        &format!(
            "title: T\nidentified: 2025-01-01\nstatus: planned\npriority: low\ndescription: {placeholder}\n"
        ),
    );
    let broken = content.join("register/CI-0002.yaml");
    let text = fs::read_to_string(&broken).unwrap();
    fs::write(&broken, text.replacen("status: ", "status: [", 1)).unwrap();
    let out = tmp.path().join("out");
    // A folder that exists: builds into it keep what the next one takes.
    fs::create_dir(&out).unwrap();
    let first = said(&build(&content, &out));
    assert_eq!(first.0, Some(1));
    let warning = first
        .1
        .iter()
        .find(|l| l.contains("placeholder"))
        .unwrap()
        .clone();
    assert!(warning.contains("CI-0001.yaml:5:14: warning"), "{warning}");
    let error = first
        .1
        .iter()
        .find(|l| l.contains("CI-0002.yaml:"))
        .unwrap()
        .clone();
    let parsed = tmp.path().join(".out.isms-parsed");
    assert!(
        publish::PARSED.is_ours(&parsed),
        "no parses kept after the error"
    );
    let kept = fs::read(&parsed).unwrap();
    #[cfg(unix)]
    let kept_ino = ino(&parsed);
    assert_eq!(
        said(&build(&content, &out)),
        first,
        "the same problems, from the kept parses"
    );
    assert_eq!(fs::read(&parsed).unwrap(), kept);
    // Nothing parsed afresh: the file is not written again.
    #[cfg(unix)]
    assert_eq!(ino(&parsed), kept_ino);
    assert!(first.1.contains(&error));
    fs::write(&broken, &text).unwrap();
    let fixed = said(&build(&content, &out));
    assert_eq!(fixed.0, Some(0));
    assert!(fixed.1.contains(&warning), "{:?}", fixed.1);
    assert_same_as_cold(tmp.path(), &content, &out, "after the fix");
}

/// A first build of a small register into a folder that exists, so
/// that it keeps `kind` beside it: the content, the output, the kept
/// file's path and its bytes.
fn built_keeping(tmp: &Path, kind: &publish::Kept) -> (PathBuf, PathBuf, PathBuf, Vec<u8>) {
    let content = big_content(tmp, "a", 4);
    let out = tmp.join("out");
    fs::create_dir(&out).unwrap();
    assert_built(&build(&content, &out));
    let kept = kind.path(&out);
    let good = fs::read(&kept).unwrap();
    assert!(good.starts_with(kind.header.as_bytes()));
    (content, out, kept, good)
}

/// Puts in place of the kept file `kept` (whose files start with
/// `header`, `good` a whole one) in turn: `good` damaged, cut short,
/// `foreign` (another binary's, but for its digest) sealed, nothing, the
/// header alone; then a link to a copy of `good`, then someone's notes.
/// Each time the next build gives the cold build's site, writes the file
/// again when it was ours and leaves the link and the notes as they were.
#[cfg(unix)]
fn assert_kept_file_is_only_a_hint(
    tmp: &Path,
    (content, out): (&Path, &Path),
    (kept, header, good): (&Path, &[u8], &[u8]),
    foreign: Vec<u8>,
) {
    let foreign = sealed(foreign);
    let mut damaged = good.to_vec();
    damaged[good.len() / 2] ^= 1;
    let cases = [
        ("damaged", damaged),
        ("cut short", good[..good.len() / 2].to_vec()),
        ("another binary's", foreign),
        ("empty", Vec::new()),
        ("the header only", header.to_vec()),
    ];
    for (i, (what, bytes)) in cases.into_iter().enumerate() {
        fs::write(kept, &bytes).unwrap();
        retitle(content, 1, &format!("Change {i} of {what}"));
        assert_same_as_cold(tmp, content, out, what);
        let now = fs::read(kept).unwrap();
        assert!(
            now != bytes && now.starts_with(header),
            "{what}: not written again"
        );
    }
    // A link in its place: not followed, not removed, its target as it was.
    let elsewhere = tmp.join("elsewhere");
    fs::write(&elsewhere, good).unwrap();
    fs::remove_file(kept).unwrap();
    std::os::unix::fs::symlink(&elsewhere, kept).unwrap();
    retitle(content, 1, "Change beside a link");
    assert_same_as_cold(tmp, content, out, "a link");
    assert!(fs::symlink_metadata(kept).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&elsewhere).unwrap(), good);
    // Someone else's file of that name.
    fs::remove_file(kept).unwrap();
    fs::write(kept, "someone's notes").unwrap();
    retitle(content, 1, "Change beside notes");
    assert_same_as_cold(tmp, content, out, "not ours");
    assert_eq!(fs::read_to_string(kept).unwrap(), "someone's notes");
}

/// The kept parses are only a hint: damaged, cut short, made by another
/// binary, oversized, or not ours, the build parses as before and says
/// nothing more; a symbolic link in their place is neither followed nor
/// removed, and a file of that name that is not ours is kept.
#[cfg(unix)]
#[test]
fn damaged_foreign_or_linked_kept_parses_mean_parsing_again() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let (content, out, parsed, good) = built_keeping(tmp.path(), &publish::PARSED);
    let header = publish::PARSED.header.as_bytes();
    // Another binary's: named so, and sealed again.
    let identity_end = header.len()
        + good[header.len()..]
            .iter()
            .position(|b| *b == b'\n')
            .unwrap()
        + 1;
    let mut foreign = header.to_vec();
    foreign.extend_from_slice(b"0.0.0 another binary\n");
    foreign.extend_from_slice(&good[identity_end..good.len() - SEAL_LEN]);
    let files = (content.as_path(), out.as_path());
    assert_kept_file_is_only_a_hint(tmp.path(), files, (&parsed, header, &good), foreign);
    // Oversized (sparse): not read.
    let file = fs::File::create(&parsed).unwrap();
    (&file).write_all(header).unwrap();
    file.set_len(300 << 20).unwrap();
    drop(file);
    retitle(&content, 1, "Change after an oversized file");
    assert_same_as_cold(tmp.path(), &content, &out, "oversized");
    assert!(fs::metadata(&parsed).unwrap().len() < 1 << 20);
}

/// The kept search terms (`.NAME.isms-search`) are only a hint, as the
/// kept parses are: damaged, cut short, made by another binary, or not
/// ours, the build takes every page's terms and publishes the cold
/// build's site; a link in their place is neither followed nor removed.
#[cfg(unix)]
#[test]
fn damaged_foreign_or_linked_search_terms_mean_taking_them_again() {
    let tmp = tempfile::tempdir().unwrap();
    let (content, out, kept, good) = built_keeping(tmp.path(), &publish::SEARCH);
    let header = publish::SEARCH.header.as_bytes();
    // Another binary's: named so, and sealed again.
    let at = header.len();
    let len = u32::from_le_bytes(good[at..at + 4].try_into().unwrap()) as usize;
    let other = b"0.0.0 another binary";
    let mut foreign = header.to_vec();
    foreign.extend_from_slice(&(other.len() as u32).to_le_bytes());
    foreign.extend_from_slice(other);
    foreign.extend_from_slice(&good[at + 4 + len..good.len() - SEAL_LEN]);
    let files = (content.as_path(), out.as_path());
    assert_kept_file_is_only_a_hint(tmp.path(), files, (&kept, header, &good), foreign);
}

/// A build killed while writing the kept parses leaves their temporary
/// file; the next build removes it when it is ours, and keeps one that
/// is not.
#[test]
fn a_half_written_parses_file_is_removed_by_the_next_build() {
    let tmp = tempfile::tempdir().unwrap();
    let content = big_content(tmp.path(), "a", 2);
    let out = tmp.path().join("out");
    // A folder that exists: builds into it keep what the next one takes.
    fs::create_dir(&out).unwrap();
    let temp = tmp.path().join(".out.isms-parsed-new");
    fs::write(&temp, &publish::PARSED.header.as_bytes()[..10]).unwrap();
    assert_built(&build(&content, &out));
    assert!(!temp.exists());
    fs::write(&temp, "someone's notes").unwrap();
    retitle(&content, 1, "Changed");
    assert_built(&build(&content, &out));
    assert_eq!(fs::read_to_string(&temp).unwrap(), "someone's notes");
    assert!(publish::PARSED.is_ours(&tmp.path().join(".out.isms-parsed")));
}

/// A build into a new folder (CI from a clean checkout, which never builds
/// again) keeps neither its Markdown nor its parses: 80 MB and some
/// hundreds of milliseconds at 10,000 entries for nothing. A build into a
/// folder that exists, its own earlier output, keeps both for the next.
#[test]
fn a_build_into_a_new_folder_keeps_no_markdown_or_parses_and_the_next_does() {
    let tmp = tempfile::tempdir().unwrap();
    let content = big_content(tmp.path(), "a", 5);
    let out = tmp.path().join("out");
    let kept = [
        tmp.path().join(".out.isms-markdown"),
        tmp.path().join(".out.isms-parsed"),
        tmp.path().join(".out.isms-search"),
    ];
    assert_built(&build(&content, &out));
    for k in &kept {
        assert!(!k.exists(), "{} beside a first build", k.display());
    }
    // Changed: with nothing changed a build writes nothing at all.
    retitle(&content, 1, "Changed");
    assert_built(&build(&content, &out));
    assert!(publish::is_our_memo(&kept[0]), "no Markdown kept");
    assert!(publish::PARSED.is_ours(&kept[1]), "no parses kept");
    assert!(publish::SEARCH.is_ours(&kept[2]), "no search terms kept");
}
