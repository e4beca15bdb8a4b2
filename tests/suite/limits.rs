//! Resource limits: hostile content files are refused with a clear,
//! located error, quickly and in bounded memory — never a hang or an
//! out-of-memory. Each case runs the real binary under a memory cap
//! (`ulimit -v`) and a deadline; without the limit under test, the run
//! would either blow the cap, miss the deadline, or print no such error.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far more than a refusal needs, even on a machine at load 10; far less
/// than an unbounded parse takes. A guard against a hang, not a speed claim.
const DEADLINE: Duration = Duration::from_secs(120);
/// Virtual memory cap for the child, in KiB (2 GiB).
const MEMORY_KIB: u64 = 2 * 1024 * 1024;

struct Run {
    code: i32,
    stderr: String,
    took: Duration,
}

/// `isms-site check` on a content folder whose `register/CI-001.yaml` is
/// written by `write_entry`, under the memory cap and the deadline.
fn check_with_entry(write_entry: impl FnOnce(&mut std::fs::File)) -> (Run, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    std::fs::create_dir_all(content.join("register")).unwrap();
    std::fs::write(content.join("site.yaml"), "title: Limits\n").unwrap();
    let entry = content.join("register/CI-001.yaml");
    let mut f = std::fs::File::create(&entry).unwrap();
    write_entry(&mut f);
    f.flush().unwrap();
    drop(f);
    // The folder (and a 50 MB file) goes when `tmp` drops; the path stays
    // valid as text for matching messages.
    (run_capped(&content), entry)
}

fn run_capped(content: &Path) -> Run {
    run_capped_args(
        &["check", "--as-of", "2026-01-31", "--content"],
        content,
        &[],
    )
}

/// isms-site with `args`, then `content`, then `more`, under the memory
/// cap and the deadline.
fn run_capped_args(args: &[&str], content: &Path, more: &[&Path]) -> Run {
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_isms-site"))
        .args(args)
        .arg(content)
        .args(more)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run isms-site");
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
            let code = status
                .code()
                .unwrap_or_else(|| panic!("killed by a signal ({status:?}):\n{stderr}"));
            return Run {
                code,
                stderr,
                took: start.elapsed(),
            };
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("isms-site {args:?} still running after {DEADLINE:?}: no limit stopped it");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Exit 1 with an error at `file:line:col` naming the limit, and a hint.
fn assert_refused(run: &Run, file: &Path, at: &str, words: &[&str]) {
    let head = format!("{}:{at}", file.display());
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with(&head))
        .unwrap_or_else(|| panic!("no error at {head}\n{}", run.stderr));
    for w in words {
        assert!(line.contains(w), "`{w}` missing from: {line}");
    }
    assert!(
        run.stderr.contains("  hint: "),
        "no hint in:\n{}",
        run.stderr
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    eprintln!("refused in {:?}: {line}", run.took);
}

const HEAD: &str = "title: Hostile entry\nidentified: 2025-01-10\nstatus: planned\npriority: low\n";

#[test]
fn a_50_mb_file_is_refused_before_it_is_read() {
    let (run, file) = check_with_entry(|f| {
        f.write_all(HEAD.as_bytes()).unwrap();
        f.write_all(b"description: \"").unwrap();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..50 {
            f.write_all(&chunk).unwrap();
        }
        f.write_all(b"\"\n").unwrap();
    });
    assert_refused(&run, &file, "1:1: ", &["bytes", "limit", "10 MiB"]);
}

#[test]
fn a_list_of_100_000_items_is_refused() {
    let (run, file) = check_with_entry(|f| {
        f.write_all(HEAD.as_bytes()).unwrap();
        f.write_all(b"tags:\n").unwrap();
        for i in 0..100_000 {
            writeln!(f, "  - tag-{i}").unwrap();
        }
    });
    assert_refused(
        &run,
        &file,
        "6:3: ",
        &["list longer than the limit of 10000"],
    );
}

#[test]
fn deeply_nested_yaml_is_refused() {
    let (run, file) = check_with_entry(|f| {
        f.write_all(HEAD.as_bytes()).unwrap();
        let depth = 100_000;
        writeln!(f, "extra: {}{}", "[".repeat(depth), "]".repeat(depth)).unwrap();
    });
    assert_refused(&run, &file, "5:", &["nested deeper than the limit of 32"])
}

#[test]
fn deeply_nested_block_yaml_is_refused() {
    let (run, file) = check_with_entry(|f| {
        f.write_all(HEAD.as_bytes()).unwrap();
        for level in 0..500 {
            writeln!(f, "{}k{level}:", " ".repeat(level)).unwrap();
        }
    });
    assert_refused(&run, &file, "", &["nested deeper than the limit of 32"])
}

/// Ten levels of ten aliases each: 10^10 values if expanded.
#[test]
fn billion_laughs_aliases_are_refused() {
    let (run, file) = check_with_entry(|f| {
        f.write_all(HEAD.as_bytes()).unwrap();
        f.write_all(b"extra:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
            .unwrap();
        for i in 1..10 {
            let prev = format!("*l{}", i - 1);
            let items = [prev.as_str(); 10].join(", ");
            writeln!(f, "  l{i}: &l{i} [{items}]").unwrap();
        }
    });
    assert_refused(&run, &file, "", &["alias bomb"])
}

#[test]
fn content_within_the_limits_is_accepted() {
    let (run, _) = check_with_entry(|f| {
        f.write_all(HEAD.as_bytes()).unwrap();
        f.write_all(b"tags:\n").unwrap();
        for i in 0..10_000 {
            writeln!(f, "  - tag-{i}").unwrap();
        }
        f.write_all(b"extra:\n  a: &a shared\n  b: *a\n").unwrap();
    });
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A named pipe in the content folder fails `build` with the loader's
/// error, as `check`: the content digests open files without blocking and
/// read only regular files (before, `build` waited for a writer forever).
#[cfg(unix)]
#[test]
fn a_named_pipe_in_the_content_fails_the_build_instead_of_hanging() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    std::fs::create_dir_all(content.join("register")).unwrap();
    std::fs::write(content.join("site.yaml"), "title: Limits\n").unwrap();
    let pipe = content.join("register/pipe.yaml");
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    let out = tmp.path().join("out");
    // An output folder that exists: the build takes the digests it keeps.
    std::fs::create_dir(&out).unwrap();
    let run = run_capped_args(
        &["build", "--as-of", "2026-01-31", "--content"],
        &content,
        &[Path::new("--output"), &out],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("pipe.yaml"), "{}", run.stderr);
}
