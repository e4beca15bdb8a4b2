//! Output to a reader that went away: `isms-site check 2>&1 | head -1`
//! with many problems, `isms-site completions bash | head -1`. Each
//! command stops writing quietly and exits with its normal status; none
//! panics (exit 101, "panicked at … failed printing to stderr").
//!
//! The pipes are made here and their read ends closed before the child
//! starts, so every write the child makes fails with `BrokenPipe`: no
//! race with a reader closing early or late.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");
const AS_OF: &str = "2026-01-15";

/// The write end of a pipe nobody reads any more.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer
}

/// Which of the child's streams goes to a closed pipe; the other is
/// captured.
#[derive(Clone, Copy, Debug)]
enum Closed {
    Stdout,
    Stderr,
}

fn run(dir: &Path, args: &[&str], closed: Closed) -> Output {
    let mut c = Command::new(BIN);
    c.args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null());
    match closed {
        Closed::Stdout => c.stdout(closed_pipe()).stderr(Stdio::piped()),
        Closed::Stderr => c.stderr(closed_pipe()).stdout(Stdio::piped()),
    };
    c.output().expect("run isms-site")
}

/// Exits with `code`, and says nothing of a panic on the stream that is
/// still open.
fn exits_quietly(dir: &Path, args: &[&str], closed: Closed, code: i32) {
    let o = run(dir, args, closed);
    let open = match closed {
        Closed::Stdout => &o.stderr,
        Closed::Stderr => &o.stdout,
    };
    let open = String::from_utf8_lossy(open);
    assert_eq!(
        o.status.code(),
        Some(code),
        "isms-site {args:?} with {closed:?} closed: {open}"
    );
    assert!(!open.contains("panicked"), "{args:?}: {open}");
}

/// A content folder whose register has `n` broken files: many problems,
/// more than a pipe's buffer would matter for.
fn broken_content(dir: &Path, n: usize) {
    let register = dir.join("content/register");
    fs::create_dir_all(&register).unwrap();
    fs::write(dir.join("content/site.yaml"), "title: Broken\n").unwrap();
    for i in 0..n {
        fs::write(
            register.join(format!("CI-{i:03}.yaml")),
            "title: x\nidentified: 2025-13-45\nstatus: maybe\npriority: urgent\n",
        )
        .unwrap();
    }
}

#[test]
fn check_with_many_problems_stops_quietly_at_a_closed_pipe() {
    let tmp = tempfile::tempdir().unwrap();
    broken_content(tmp.path(), 200);
    let check = ["check", "--as-of", AS_OF];
    exits_quietly(tmp.path(), &check, Closed::Stderr, 1);
    let json = ["check", "--as-of", AS_OF, "--format", "json"];
    exits_quietly(tmp.path(), &json, Closed::Stdout, 1);
}

#[test]
fn generated_text_stops_quietly_at_a_closed_pipe() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"],
        &["man"],
        &["--help"],
        &["check", "--help"],
        &["--version"],
    ] {
        let o = run(tmp.path(), args, Closed::Stdout);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        // The reader went away on purpose: nothing to complain about.
        assert_eq!(String::from_utf8_lossy(&o.stderr), "", "{args:?}");
    }
}

/// `init`, `new` and `build` finish their work with both streams closed
/// in turn: the files are written, the exit status is the usual one.
#[test]
fn commands_finish_their_work_when_nobody_reads_their_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    exits_quietly(dir, &["init", "--as-of", AS_OF], Closed::Stdout, 0);
    assert!(dir.join("content/site.yaml").is_file());
    let new = ["new", "entry", "Closed pipes", "--as-of", AS_OF];
    exits_quietly(dir, &new, Closed::Stdout, 0);
    exits_quietly(dir, &new, Closed::Stderr, 0);
    assert_eq!(
        fs::read_dir(dir.join("content/register")).unwrap().count(),
        3
    );
    // The new entries' placeholders are warnings: build has things to say.
    exits_quietly(dir, &["build", "--as-of", AS_OF], Closed::Stderr, 0);
    assert!(dir.join("output/index.html").is_file());
    exits_quietly(dir, &["check", "--as-of", AS_OF], Closed::Stderr, 0);
}

#[test]
fn import_finishes_when_nobody_reads_its_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("register.csv");
    fs::write(
        &csv,
        "Title,Identification Date,Status,Priority\n\
         One,2025-01-01,planned,low\n\
         Two,2025-01-02,bogus,low\n",
    )
    .unwrap();
    let content = tmp.path().join("content");
    let import = |extra: &[&str]| {
        let mut args = vec!["import", csv.to_str().unwrap(), "--content"];
        args.push(content.to_str().unwrap());
        args.extend_from_slice(extra);
        exits_quietly(
            tmp.path(),
            &args,
            Closed::Stderr,
            if extra.is_empty() { 1 } else { 0 },
        );
    };
    import(&[]);
    import(&["--skip-bad-rows"]);
    assert!(content.join("register").is_dir());
}

/// Every message in `src/` goes through `isms_site::content::stdio`: `print!` and
/// its kin panic on a closed pipe.
#[test]
fn no_panicking_print_macro_is_left_in_the_source() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut found = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            if ["print!(", "println!(", "eprint!(", "eprintln!(", "dbg!("]
                .iter()
                .any(|m| names_macro(line, m))
            {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "use isms_site::content::stdio (errln!, err, out) instead:\n{}",
        found.join("\n")
    );
}

/// Whether `line` calls `mac` itself, not a macro whose name ends in it.
fn names_macro(line: &str, mac: &str) -> bool {
    line.match_indices(mac).any(|(i, _)| {
        i == 0 || {
            let b = line.as_bytes()[i - 1];
            !(b.is_ascii_alphanumeric() || b == b'_')
        }
    })
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}
