//! The first hour of a new team: `init`, `new entry`, and what the command
//! line says when it is used wrongly.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run isms-site")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn init_then_build_works_at_once_and_init_never_replaces_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["init", "--as-of", "2026-01-15"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let content = tmp.path().join("content");
    for f in [
        "site.yaml",
        "register/CI-001.yaml",
        "plans/example-plan.md",
        "reviews/2026-01-example-review.md",
    ] {
        assert!(content.join(f).is_file(), "{f} missing");
    }
    assert!(content.join("evidence").is_dir());
    // Builds at once, with nothing to fix: not even a warning.
    let o = run(tmp.path(), &["build", "--as-of", "2026-01-15"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("built 1 entries"), "{}", stderr(&o));
    let o = run(tmp.path(), &["check", "--as-of", "2026-01-15"]);
    assert!(
        stderr(&o).starts_with("0 errors, 0 warnings"),
        "{}",
        stderr(&o)
    );
    assert!(
        tmp.path()
            .join("output/register/CI-001/index.html")
            .is_file(),
        "the example entry is published"
    );

    // A second init into the same folder refuses and changes nothing.
    fs::write(content.join("site.yaml"), "title: Mine\n").unwrap();
    let o = run(tmp.path(), &["init"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: content is not empty; init writes a new content folder only where nothing would be replaced (choose a new folder, e.g. `isms-site init my-register`)\n"
    );
    assert_eq!(
        fs::read_to_string(content.join("site.yaml")).unwrap(),
        "title: Mine\n"
    );

    // A named folder, with a title of one's own.
    let o = run(
        tmp.path(),
        &[
            "init",
            "reg",
            "--title",
            "Acme: ISMS register",
            "--as-of",
            "2026-01-15",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let site = fs::read_to_string(tmp.path().join("reg/site.yaml")).unwrap();
    assert!(site.contains("title: \"Acme: ISMS register\"\n"), "{site}");
    let o = run(
        tmp.path(),
        &[
            "build",
            "--content",
            "reg",
            "--output",
            "out2",
            "--as-of",
            "2026-01-15",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A folder made by `init` on 2026-01-15, then `new KIND TITLE` a day later.
fn init_then_new(kind: &str, title: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["init", "--as-of", "2026-01-15"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(tmp.path(), &["new", kind, title, "--as-of", "2026-01-16"]);
    assert!(o.status.success(), "{}", stderr(&o));
    tmp
}

#[test]
fn new_entry_shows_every_optional_field_and_check_warns_about_its_placeholder() {
    let tmp = init_then_new("entry", "Patch SLA");
    let path = tmp.path().join("content/register/CI-002.yaml");
    let text = fs::read_to_string(&path).unwrap();
    // Every optional field of an entry, as a line an author can uncomment.
    for field in [
        "owner",
        "target",
        "completed",
        "source",
        "type",
        "benefit",
        "effort",
        "controls",
        "tags",
        "visibility",
        "outcome",
        "resources",
        "lessons",
        "history",
        "effectiveness",
        "kpis",
        "links",
        "extra",
        "nonconformity",
        "root_cause",
        "correction",
        "follows_up",
        "related",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("# {field}:"))),
            "`{field}` missing from:\n{text}"
        );
    }
    let o = run(tmp.path(), &["check", "--as-of", "2026-01-16"]);
    assert!(
        o.status.success(),
        "a placeholder is a warning: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).starts_with(&format!(
            "{f}:4:1: warning: CI-002 is open with no owner and no target\n  hint: an open action needs an `owner` and a `target` date\n{f}:7:3: warning: `description` is still the placeholder text of `isms-site new`\n  hint: describe what was found, where, and why it matters, or remove the description\n0 errors, 2 warnings\n",
            f = Path::new("content/register/CI-002.yaml").display()
        )),
        "{}",
        stderr(&o)
    );
    // Uncommenting every field gives a valid entry: the comments are real YAML.
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if !l.starts_with("# A register")
                    && !l.starts_with("# Lines")
                    && !l.starts_with("# yaml-language-server") =>
            {
                rest
            }
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replace("status: not-started", "status: completed")
        .replace("status: planned", "status: completed")
        .replace(
            "What was found, where, and why it matters.",
            "Found in audit.",
        );
    fs::write(&path, uncommented).unwrap();
    fs::create_dir_all(tmp.path().join("content/evidence")).unwrap();
    fs::write(tmp.path().join("content/evidence/audit-report.pdf"), "%PDF").unwrap();
    let o = run(tmp.path(), &["check", "--as-of", "2026-06-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn an_output_inside_the_content_folder_is_a_usage_error_without_a_position() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run(tmp.path(), &["init"]).status.success());
    for command in ["build", "watch", "serve"] {
        let o = run(tmp.path(), &[command, "--output", "content/out"]);
        assert_eq!(o.status.code(), Some(2), "{command}: {}", stderr(&o));
        assert_eq!(
            stderr(&o),
            "error: refusing to publish into content/out: it is inside the content folder\n  hint: choose an --output outside content/\n",
            "{command}"
        );
    }
    let o = run(tmp.path(), &["build", "--output", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .starts_with("error: refusing to publish into .: it contains the content folder\n"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("content/out").exists());
}

/// Every option and argument of every command says what it is for.
#[test]
fn every_option_has_help_text() {
    let top = Command::new(BIN).arg("--help").output().unwrap();
    let top = String::from_utf8(top.stdout).unwrap();
    let commands: Vec<String> = top
        .split_once("Commands:\n")
        .unwrap()
        .1
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect();
    assert!(commands.contains(&"init".to_string()), "{commands:?}");
    let mut bare = Vec::new();
    for c in &commands {
        // -h: one line per option, its help on the same line.
        let o = Command::new(BIN).args([c, "-h"]).output().unwrap();
        let help = String::from_utf8(o.stdout).unwrap();
        for line in help.lines().filter(|l| l.starts_with("  ")) {
            let t = line.trim_start();
            // "--name <VALUE>   text": the text follows a gap of 2+ spaces.
            let described = t
                .split_once("  ")
                .is_some_and(|(_, rest)| !rest.trim().is_empty() && !rest.trim().starts_with('['));
            if !described {
                bare.push(format!("{c}: {t}"));
            }
        }
    }
    assert!(
        bare.is_empty(),
        "options without help text:\n{}",
        bare.join("\n")
    );
}

#[test]
fn new_plan_placeholder_objective_is_warned_about_until_replaced() {
    let tmp = init_then_new("plan", "Backup assurance");
    let o = run(tmp.path(), &["check", "--as-of", "2026-01-16"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = Path::new("content/plans/backup-assurance.md");
    assert!(
        stderr(&o).starts_with(&format!(
            "{}:14:1: warning: the objective is still the placeholder text of `isms-site new`\n  hint: say what this plan achieves and how you will know, or remove the sentence\n0 errors, 1 warning\n",
            path.display()
        )),
        "{}",
        stderr(&o)
    );
    let file = tmp.path().join(path);
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replace(
            "What this plan achieves, and how we will know.",
            "Restores tested monthly.",
        ),
    )
    .unwrap();
    let o = run(tmp.path(), &["check", "--as-of", "2026-01-16"]);
    assert!(
        stderr(&o).starts_with("0 errors, 0 warnings"),
        "{}",
        stderr(&o)
    );
}

/// A register folder with `files` (name, text) besides a site.yaml.
fn register(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    fs::create_dir_all(content.join("register")).unwrap();
    fs::write(content.join("site.yaml"), "title: T\n").unwrap();
    for (name, text) in files {
        fs::write(content.join("register").join(name), text).unwrap();
    }
    tmp
}

const ENTRY_HEAD: &str = "title: t\nidentified: 2026-01-05\npriority: low\n";

#[test]
fn a_spreadsheet_status_word_gets_the_value_to_write() {
    let tmp = register(&[
        ("CI-001.yaml", &format!("{ENTRY_HEAD}status: Done\n")),
        ("CI-002.yaml", &format!("{ENTRY_HEAD}status: On Hold\n")),
        ("CI-003.yaml", &format!("{ENTRY_HEAD}status: Someday\n")),
    ]);
    let err = stderr(&run(tmp.path(), &["check", "--as-of", "2026-02-01"]));
    let allowed = "allowed values: not-started, planned, in-progress, completed, cancelled";
    assert!(
        err.contains(&format!(
            "CI-001.yaml:4:9: `status` has a value outside its list: `Done`\n  hint: write `status: completed` (what `Done` means in a spreadsheet import); {allowed}\n"
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: write `status: in-progress` (what `On Hold` means"),
        "{err}"
    );
    assert!(
        err.contains(&format!("`Someday`\n  hint: {allowed}\n")),
        "{err}"
    );
}

#[test]
fn a_duplicate_id_names_the_next_free_one() {
    let tmp = register(&[
        (
            "CI-007.yaml",
            &format!("id: CI-007\n{ENTRY_HEAD}status: planned\n"),
        ),
        (
            "CI-031.yaml",
            &format!("id: CI-031\n{ENTRY_HEAD}status: planned\n"),
        ),
        (
            "copy.yaml",
            &format!("id: CI-007\n{ENTRY_HEAD}status: planned\n"),
        ),
    ]);
    let err = stderr(&run(tmp.path(), &["check", "--as-of", "2026-02-01"]));
    assert!(err.contains("duplicate id `CI-007`"), "{err}");
    assert!(
        err.contains("give one of them the next free id, `CI-032`"),
        "{err}"
    );
}

#[test]
fn a_completion_after_the_as_of_date_points_at_completed_and_says_what_shows() {
    let tmp = register(&[(
        "CI-001.yaml",
        &format!("{ENTRY_HEAD}status: completed\ncompleted: 2062-03-01\n"),
    )]);
    let err = stderr(&run(tmp.path(), &["check", "--as-of", "2026-02-01"]));
    assert!(
        err.contains(
            "CI-001.yaml:5:12: warning: CI-001: completed 2062-03-01 is after the as-of date 2026-02-01, so the site as of 2026-02-01 shows it still open"
        ),
        "{err}"
    );
    assert!(err.contains("check the year in `completed:`"), "{err}");
}

#[test]
fn a_missing_content_folder_is_one_error_with_no_git_warning() {
    // As after `init my-register` then a bare `build`: the one problem is
    // the folder, and no git warning about it follows.
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["build", "--as-of", "2026-01-15"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content:1:1: content folder not found"),
        "{err}"
    );
    assert!(!err.contains("revision history"), "{err}");
    assert!(err.contains("1 error, 0 warnings"), "{err}");
}

/// `run` with `SOURCE_DATE_EPOCH` set to `epoch`.
fn run_at_epoch(dir: &Path, epoch: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .expect("run isms-site")
}

/// A `SOURCE_DATE_EPOCH` past 9999-12-31 (one second past it, a value in
/// milliseconds, chrono's last second) is a usage error that names the
/// variable: `init` and `new` used to panic, `build` and `check` to loop.
#[test]
fn source_date_epoch_past_the_year_9999_is_a_usage_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["init", "--as-of", "2026-01-15"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (epoch, year) in [
        ("253402300800", "10000"),
        ("1765000000000", "57900"),
        ("8210266876799", "262142"),
    ] {
        for args in [
            &["check"][..],
            &["build"],
            &["new", "entry", "Later"],
            &["init", "fresh"],
        ] {
            let o = run_at_epoch(tmp.path(), epoch, args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{args:?} {epoch}: {err}");
            assert!(
                err.starts_with(&format!(
                    "error: SOURCE_DATE_EPOCH `{epoch}` is the year {year}, after 9999-12-31"
                )) && err.contains("hint: SOURCE_DATE_EPOCH counts seconds"),
                "{args:?} {epoch}: {err}"
            );
        }
    }
    assert!(!tmp.path().join("fresh").exists());
    // The last second of 9999 is still a date: check reads the register as
    // it stands then, and stops.
    let o = run_at_epoch(tmp.path(), "253402300799", &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `init --title` and `new` refuse a title holding a DEL, an escape or a
/// bidirectional override: written out, the loader would refuse the file.
#[test]
fn titles_with_control_characters_are_refused_by_init_and_new() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(
        tmp.path(),
        &["init", "--title", "Register\u{7f}", "--as-of", "2026-01-15"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: the title holds the control character U+007F"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("content").exists());
    let o = run(tmp.path(), &["init", "--as-of", "2026-01-15"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (title, what) in [
        ("Patch\u{1b}[2J", "the control character U+001B"),
        (
            "Patch\u{202e}",
            "the bidirectional formatting character U+202E",
        ),
    ] {
        let o = run(
            tmp.path(),
            &["new", "entry", title, "--as-of", "2026-01-15"],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).starts_with(&format!("error: the title holds {what}")),
            "{}",
            stderr(&o)
        );
    }
    assert!(!tmp.path().join("content/register/CI-002.yaml").exists());
    // On the last day there is, the suggested target stays in the year 9999.
    let o = run(
        tmp.path(),
        &["new", "entry", "Late", "--as-of", "9999-12-31"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = fs::read_to_string(tmp.path().join("content/register/CI-002.yaml")).unwrap();
    assert!(text.contains("# target: 9999-12-31"), "{text}");
}
