//! Validation as an author sees it: one small content folder per rule, run
//! through the real `isms-site` binary, checking the exit status and that
//! each problem points at the right file, line and column with a useful hint.
//!
//! Fixture positions are counted by hand from the fixture text: lines and
//! columns start at 1.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// "Today" for every run, so overdue warnings do not depend on the clock.
const AS_OF: &str = "2026-01-31";

/// A valid register entry of exactly four lines (no `target`, so no overdue
/// warning). Text appended to it starts on line 5.
const ENTRY: &str = "\
title: Encrypt laptops
identified: 2025-01-10
status: in-progress
priority: high
";

/// A second valid entry for sequence files, as one item of a YAML list
/// (five lines, `id` on the first).
fn list_item(id: &str) -> String {
    format!(
        "- id: {id}\n  title: Review firewall rules\n  identified: 2025-03-01\n  status: planned\n  priority: medium\n"
    )
}

/// A temporary folder holding `content/` (a minimal valid site: `site.yaml`
/// with a title and `register/CI-001.yaml`), and room for `output/`.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        site.write("site.yaml", "title: Test register\n");
        site.write("register/CI-001.yaml", ENTRY);
        site
    }

    fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    /// A path inside the content folder, as the program prints it.
    fn path(&self, rel: &str) -> PathBuf {
        self.content().join(rel)
    }

    /// Adds or overwrites a file under `content/`.
    fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Site {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    fn remove(&self, rel: &str) -> &Site {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }

    /// `check --as-of 2026-01-31 --format json`, parsed.
    fn check(&self) -> Check {
        let content = self.content();
        let out = self.run(&[
            "check",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--content",
            content.to_str().unwrap(),
        ]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let diags: Vec<Diag> = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("check --format json printed no JSON ({e}):\n{stdout}"));
        Check {
            code: exit_code(&out),
            diags,
        }
    }

    /// `check --as-of 2026-01-31` in human form: exit code and stderr.
    fn check_human(&self) -> (i32, String) {
        let content = self.content();
        let out = self.run(&[
            "check",
            "--as-of",
            AS_OF,
            "--content",
            content.to_str().unwrap(),
        ]);
        (
            exit_code(&out),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `build --as-of 2026-01-31` of the content into `output`.
    fn build(&self, output: &Path) -> Output {
        let content = self.content();
        self.run(&[
            "build",
            "--as-of",
            AS_OF,
            "--content",
            content.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ])
    }

    /// Runs the binary from the temporary folder; never accepts a panic.
    fn run(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_isms-site"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("run isms-site");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked"),
            "isms-site panicked:\n{stderr}"
        );
        out
    }
}

fn exit_code(out: &Output) -> i32 {
    out.status
        .code()
        .unwrap_or_else(|| panic!("isms-site was killed by a signal: {:?}", out.status))
}

/// One object of `check --format json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Diag {
    file: String,
    line: u32,
    column: u32,
    severity: String,
    message: String,
    hint: Option<String>,
}

impl Diag {
    fn hint(&self) -> &str {
        self.hint
            .as_deref()
            .unwrap_or_else(|| panic!("no hint on {self:?}"))
    }
}

struct Check {
    code: i32,
    diags: Vec<Diag>,
}

impl Check {
    fn dump(&self) -> String {
        format!("exit {}\n{:#?}", self.code, self.diags)
    }

    fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.severity == "error").count()
    }

    /// The problems other than the data-quality warnings every minimal
    /// fixture gets (an open entry with no owner or target, a completed
    /// one with no outcome: see `data_quality_warnings_name_the_entry`).
    fn beyond_data_quality(&self) -> Vec<&Diag> {
        self.diags
            .iter()
            .filter(|d| {
                !(d.severity == "warning"
                    && (d.message.contains(" is open with no ")
                        || d.message.contains(" is completed but records no outcome")))
            })
            .collect()
    }

    /// Exit 0 and not a single problem, not even a warning (beyond the
    /// data-quality warnings of minimal fixtures).
    fn assert_clean(&self) {
        assert!(
            self.code == 0 && self.beyond_data_quality().is_empty(),
            "expected valid content, got {}",
            self.dump()
        );
    }

    /// Exit 1 with exactly `n` errors.
    fn assert_errors(&self, n: usize) {
        assert!(
            self.code == 1 && self.errors() == n,
            "expected exit 1 with {n} error(s), got {}",
            self.dump()
        );
    }

    /// An error in `file` at `line:column` with exactly this message and hint.
    fn exactly(&self, file: &Path, line: u32, column: u32, message: &str, hint: &str) {
        let file = file.display().to_string();
        let found = self.diags.iter().any(|d| {
            d.severity == "error"
                && d.file == file
                && (d.line, d.column) == (line, column)
                && d.message == message
                && d.hint.as_deref() == Some(hint)
        });
        assert!(
            found,
            "expected {file}:{line}:{column}: {message}\n  hint: {hint}\ngot {}",
            self.dump()
        );
    }

    /// The one error in `file` at `line:column` whose message holds every word.
    fn error_at(&self, file: &Path, line: u32, column: u32, words: &[&str]) -> &Diag {
        let file = file.display().to_string();
        let found: Vec<&Diag> = self
            .diags
            .iter()
            .filter(|d| d.severity == "error" && d.file == file)
            .filter(|d| words.iter().all(|w| d.message.contains(w)))
            .collect();
        match found.as_slice() {
            [d] => {
                assert_eq!(
                    (d.line, d.column),
                    (line, column),
                    "wrong position for {d:?}"
                );
                d
            }
            _ => panic!(
                "expected one error in {file} mentioning {words:?}, got {}",
                self.dump()
            ),
        }
    }
}

// ---------------------------------------------------------------- fields

#[test]
fn all_missing_required_fields_are_reported_at_once() {
    let site = Site::new();
    site.write("register/CI-001.yaml", "owner: Security team\n");
    let check = site.check();
    check.assert_errors(4);
    let file = site.path("register/CI-001.yaml");
    for field in ["title", "identified", "status", "priority"] {
        let d = check.error_at(&file, 1, 1, &["missing required field", field]);
        assert!(d.hint().contains(&format!("{field}:")), "{d:?}");
    }
}

#[test]
fn unknown_field_suggests_the_nearest_known_name() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "identified: 2025-01-10\ntitel: Encrypt laptops\nstatus: in-progress\npriority: high\n",
    );
    let check = site.check();
    let file = site.path("register/CI-001.yaml");
    // One mistake, one message: the misspelling is not also reported as
    // a missing `title`.
    check.assert_errors(1);
    check.exactly(
        &file,
        2,
        1,
        "unknown field `titel` in register entry; did you mean `title`?",
        "rename `titel:` to `title:`",
    );
}

#[test]
fn a_misspelt_field_beside_the_real_one_is_reported_alone() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        format!(
            "{ENTRY}titel: x
"
        ),
    );
    let check = site.check();
    check.assert_errors(1);
    check.exactly(
        &site.path("register/CI-001.yaml"),
        5,
        1,
        "unknown field `titel` in register entry",
        "did you mean `title`? It is set already: remove one of the two",
    );
}

#[test]
fn status_outside_its_list_names_the_allowed_values() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops\nidentified: 2025-01-10\nstatus: done\npriority: high\n",
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        3,
        9,
        &["status", "done"],
    );
    for allowed in [
        "not-started",
        "planned",
        "in-progress",
        "completed",
        "cancelled",
    ] {
        assert!(d.hint().contains(allowed), "{allowed} missing from {d:?}");
    }
}

#[test]
fn other_enumerations_outside_their_lists_name_the_allowed_values() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops
identified: 2025-01-10
status: in-progress
priority: urgent
source: hallway chat
type: fix
benefit: huge
",
    );
    let check = site.check();
    check.assert_errors(4);
    let file = site.path("register/CI-001.yaml");
    let cases: [(&str, u32, u32, &str, &[&str]); 4] = [
        ("priority", 4, 11, "urgent", &["high", "medium", "low"]),
        (
            "source",
            5,
            9,
            "hallway chat",
            &[
                "internal-audit",
                "external-audit",
                "incident",
                "nonconformity",
                "management-review",
                "risk-assessment",
                "feedback",
                "monitoring",
                "other",
            ],
        ),
        (
            "type",
            6,
            7,
            "fix",
            &["improvement", "corrective-action", "preventive-action"],
        ),
        ("benefit", 7, 10, "huge", &["high", "medium", "low"]),
    ];
    for (field, line, column, value, allowed) in cases {
        let d = check.error_at(&file, line, column, &[field, value]);
        for a in allowed {
            assert!(d.hint().contains(a), "{a} missing from {d:?}");
        }
    }
}

#[test]
fn spreadsheet_spellings_of_enumerations_are_accepted() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops
identified: 2025-01-10
status: In Progress
priority: HIGH
source: Internal_Audit
",
    );
    site.check().assert_clean();
}

#[test]
fn dates_not_in_iso_form_are_errors_with_a_format_hint() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops
identified: 31/01/2025
status: in-progress
priority: high
target: 2025-13-01
",
    );
    let check = site.check();
    check.assert_errors(2);
    let file = site.path("register/CI-001.yaml");
    let d = check.error_at(&file, 2, 13, &["identified", "31/01/2025"]);
    assert_eq!(d.hint(), "write it as 2025-01-31", "{d:?}");
    let d = check.error_at(&file, 5, 9, &["target", "2025-13-01"]);
    assert!(d.hint().contains("YYYY-MM-DD"), "{d:?}");
}

// ---------------------------------------------------------------- ids

#[test]
fn duplicate_id_ignoring_case_names_both_files() {
    let site = Site::new();
    site.write(
        "register/dup.yaml",
        "id: ci-001\ntitle: Patch servers\nidentified: 2025-02-01\nstatus: planned\npriority: low\n",
    );
    let check = site.check();
    check.assert_errors(1);
    // Files load in name order, so the second one read (dup.yaml) is flagged
    // and the message names the first.
    let d = check.error_at(&site.path("register/dup.yaml"), 1, 1, &["duplicate id"]);
    let first = site.path("register/CI-001.yaml").display().to_string();
    assert!(d.message.contains(&first), "{d:?}");
}

#[test]
fn ids_that_could_leave_the_output_folder_are_errors() {
    let site = Site::new();
    let text = list_item("../evil") + &list_item("a/b");
    site.write("register/batch.yaml", text);
    let check = site.check();
    check.assert_errors(2);
    let file = site.path("register/batch.yaml");
    let d = check.error_at(&file, 1, 7, &["invalid id", "../evil"]);
    assert!(d.hint().contains("letters, digits"), "{d:?}");
    check.error_at(&file, 6, 7, &["invalid id", "a/b"]);
}

#[test]
fn list_file_entry_without_id_is_an_error() {
    let site = Site::new();
    let text = list_item("CI-101")
        + "- title: Rotate keys\n  identified: 2025-03-02\n  status: planned\n  priority: low\n";
    site.write("register/audit-findings.yaml", text);
    let check = site.check();
    check.assert_errors(1);
    let file = site.path("register/audit-findings.yaml");
    let d = check.error_at(&file, 6, 3, &["missing required field", "id"]);
    assert!(d.hint().contains("own `id`"), "{d:?}");
}

#[test]
fn a_list_of_one_entry_takes_its_id_from_the_file_name() {
    let site = Site::new();
    site.write(
        "register/CI-002.yaml",
        "- title: Rotate keys\n  identified: 2025-03-02\n  status: planned\n  priority: low\n",
    );
    site.check().assert_clean();
}

#[test]
fn list_file_with_ids_counts_every_entry() {
    let site = Site::new();
    site.remove("register/CI-001.yaml");
    site.write(
        "register/audit-findings.yaml",
        list_item("CI-101") + &list_item("CI-102"),
    );
    site.check().assert_clean();
    let (code, stderr) = site.check_human();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("2 entries"), "{stderr}");
}

// ---------------------------------------------------------------- history and dates

#[test]
fn history_out_of_date_order_is_an_error() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        format!(
            "{ENTRY}history:
  - date: 2025-02-01
    status: planned
  - date: 2025-01-20
    status: in-progress
"
        ),
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        8,
        5,
        &["out of date order", "2025-01-20"],
    );
    assert!(d.hint().contains("oldest first"), "{d:?}");
}

#[test]
fn history_out_of_order_points_at_the_right_record_after_an_invalid_one() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        format!(
            "{ENTRY}history:
  - date: soon
  - date: 2025-03-01
  - date: 2025-02-01
"
        ),
    );
    let check = site.check();
    check.assert_errors(2);
    let file = site.path("register/CI-001.yaml");
    check.error_at(&file, 6, 11, &["not a date", "soon"]);
    check.error_at(&file, 8, 5, &["out of date order", "2025-02-01"]);
}

#[test]
fn history_dated_before_identified_is_an_error() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        format!("{ENTRY}history:\n  - date: 2024-12-20\n    status: in-progress\n"),
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        6,
        5,
        &["2024-12-20", "before identified"],
    );
    assert!(d.hint.is_some(), "{d:?}");
}

#[test]
fn last_history_status_must_match_status() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops
identified: 2025-01-10
status: planned
priority: high
history:
  - date: 2025-02-01
    status: in-progress
",
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        3,
        9,
        &["planned", "in-progress"],
    );
    assert!(d.hint().contains("history"), "{d:?}");
}

#[test]
fn completed_before_identified_is_an_error() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops
identified: 2025-01-10
status: completed
priority: high
completed: 2024-12-31
",
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        5,
        12,
        &["completed 2024-12-31", "before identified"],
    );
    assert!(d.hint.is_some(), "{d:?}");
}

#[test]
fn completed_status_without_a_completion_date_is_an_error() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops\nidentified: 2025-01-10\nstatus: completed\npriority: high\n",
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        3,
        9,
        &["no completion date"],
    );
    assert!(d.hint().contains("completed: YYYY-MM-DD"), "{d:?}");
}

/// `completed: unknown` records a completion nobody dated; on an entry
/// that is not completed, or whose history dates the completion, it is an
/// error at the `completed:` line.
#[test]
fn an_unknown_completion_date_is_accepted_only_on_an_undated_completed_entry() {
    let site = Site::new();
    let head = "title: Encrypt laptops\nidentified: 2025-01-10\npriority: high\n";
    site.write(
        "register/CI-001.yaml",
        format!("{head}status: completed\ncompleted: unknown\noutcome: Done\n"),
    );
    site.write(
        "register/CI-002.yaml",
        format!("{head}status: in-progress\ncompleted: Unknown\n"),
    );
    site.write(
        "register/CI-003.yaml",
        format!(
            "{head}status: completed\ncompleted: unknown\noutcome: Done\nhistory:\n  - date: 2025-03-01\n    status: completed\n"
        ),
    );
    let check = site.check();
    check.assert_errors(2);
    check.error_at(
        &site.path("register/CI-002.yaml"),
        5,
        12,
        &["`completed: unknown` on an entry that is not completed"],
    );
    check.error_at(
        &site.path("register/CI-003.yaml"),
        5,
        12,
        &["`completed: unknown`, but a history record dates the completion"],
    );
}

#[test]
fn completion_date_may_come_from_history_alone() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops
identified: 2025-01-10
status: completed
priority: high
history:
  - date: 2025-03-01
    status: completed
",
    );
    site.check().assert_clean();
}

#[test]
fn effectiveness_review_on_an_open_entry_is_an_error() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        format!("{ENTRY}effectiveness:\n  date: 2025-06-01\n  result: effective\n"),
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        6,
        3,
        &["effectiveness", "in-progress", "not completed"],
    );
    assert!(d.hint.is_some(), "{d:?}");
}

#[test]
fn effectiveness_review_before_completion_is_an_error() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops
identified: 2025-01-10
status: completed
priority: high
completed: 2025-05-01
effectiveness:
  date: 2025-04-01
  result: effective
",
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        7,
        3,
        &["2025-04-01", "before completion", "2025-05-01"],
    );
    assert!(d.hint.is_some(), "{d:?}");
}

// ---------------------------------------------------------------- links

/// ENTRY with one link; the `url` value is on line 7, column 10.
fn entry_linking(url: &str) -> String {
    format!("{ENTRY}links:\n  - title: Evidence\n    url: {url}\n")
}

#[test]
fn link_leaving_the_evidence_folder_is_an_error() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        entry_linking("evidence/../site.yaml"),
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        7,
        10,
        &["evidence/../site.yaml", "leaves the evidence/ folder"],
    );
    assert!(d.hint.is_some(), "{d:?}");
}

#[test]
fn link_to_a_missing_evidence_file_is_an_error() {
    let site = Site::new();
    site.write("evidence/other.pdf", "x");
    site.write(
        "register/CI-001.yaml",
        entry_linking("evidence/missing.pdf"),
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        7,
        10,
        &["not found", "evidence/missing.pdf"],
    );
    assert!(d.hint().contains("missing.pdf"), "{d:?}");
}

#[test]
fn link_with_a_non_web_scheme_is_an_error() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        entry_linking("ftp://files.example/report.pdf"),
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        7,
        10,
        &["ftp://files.example/report.pdf"],
    );
    assert!(d.hint().contains("https://"), "{d:?}");
}

#[test]
fn web_links_that_are_not_valid_urls_are_errors() {
    for (url, problem) in [
        ("https://intranet example/policy", "space"),
        ("https://", "no host"),
        ("http:///policy", "no host"),
        ("https://intranet.example:80x/", "port"),
        ("https://bad_host..example/", "host name"),
    ] {
        let site = Site::new();
        site.write("register/CI-001.yaml", entry_linking(url));
        let check = site.check();
        check.assert_errors(1);
        let d = check.error_at(
            &site.path("register/CI-001.yaml"),
            7,
            10,
            &[url, "not a valid URL", problem],
        );
        assert!(d.hint().contains("https://"), "{d:?}");
    }
}

#[test]
fn links_to_existing_evidence_and_the_web_are_valid() {
    let site = Site::new();
    site.write("evidence/reports/pentest.pdf", "%PDF-1.4");
    site.write(
        "register/CI-001.yaml",
        format!(
            "{ENTRY}links:
  - title: Pen test report
    url: evidence/reports/pentest.pdf
  - title: Policy
    url: https://intranet.example/policy
  - title: Wiki
    url: http://wiki.intra:8080/isms?page=A%205#top
"
        ),
    );
    site.check().assert_clean();
}

// ---------------------------------------------------------------- plans and reviews

const PLAN_UNKNOWN_ID: &str = "---
title: Access control hardening
entries: [CI-001, CI-999]
---
# Plan
";

const REVIEW_UNKNOWN_ID: &str = "---
title: Management review Q1
date: 2026-01-15
entries: [CI-001, CI-404]
---
Minutes.
";

#[test]
fn plan_naming_an_unknown_id_is_an_error_at_the_id() {
    let site = Site::new();
    site.write("plans/access.md", PLAN_UNKNOWN_ID);
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(&site.path("plans/access.md"), 3, 19, &["CI-999"]);
    assert!(d.hint.is_some(), "{d:?}");
}

#[test]
fn an_invalid_entry_is_reported_once_not_again_where_a_plan_names_it() {
    let site = Site::new();
    site.write(
        "register/CI-002.yaml",
        "title: Broken\nidentified: 2025-01-10\nstatus: done\npriority: high\n",
    );
    site.write("plans/p.md", "---\ntitle: P\nentries: [CI-002]\n---\n");
    let check = site.check();
    check.assert_errors(1);
    check.error_at(&site.path("register/CI-002.yaml"), 3, 9, &["status"]);
}

#[test]
fn plan_without_entries_is_an_error() {
    let site = Site::new();
    site.write(
        "plans/access.md",
        "---\ntitle: Access control hardening\nowner: Head of IT\n---\n# Plan\n",
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("plans/access.md"),
        2,
        1,
        &["missing required field", "entries"],
    );
    assert!(d.hint().contains("entries:"), "{d:?}");
}

#[test]
fn review_naming_an_unknown_id_is_an_error_at_the_id() {
    let site = Site::new();
    site.write("reviews/2026-q1.md", REVIEW_UNKNOWN_ID);
    let check = site.check();
    check.assert_errors(1);
    check.error_at(&site.path("reviews/2026-q1.md"), 4, 19, &["CI-404"]);
}

#[test]
fn review_without_date_is_an_error() {
    let site = Site::new();
    site.write(
        "reviews/2026-q1.md",
        "---\ntitle: Management review Q1\nentries: [CI-001]\n---\nMinutes.\n",
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("reviews/2026-q1.md"),
        2,
        1,
        &["missing required field", "date"],
    );
    assert!(d.hint().contains("date:"), "{d:?}");
}

#[test]
fn markdown_without_front_matter_is_an_error() {
    let site = Site::new();
    site.write(
        "plans/notes.md",
        "# Just some notes\n\nNo front matter here.\n",
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(&site.path("plans/notes.md"), 1, 1, &["front matter"]);
    assert!(d.hint().contains("---"), "{d:?}");
}

// ---------------------------------------------------------------- files

#[test]
fn unexpected_files_are_errors_naming_the_file() {
    let site = Site::new();
    site.write("register/notes.txt", "remember the milk\n");
    site.write("random.txt", "hello\n");
    let check = site.check();
    check.assert_errors(2);
    let d = check.error_at(&site.path("register/notes.txt"), 1, 1, &["not one of"]);
    assert!(d.hint.is_some(), "{d:?}");
    let d = check.error_at(&site.path("random.txt"), 1, 1, &["unexpected file"]);
    assert!(d.hint.is_some(), "{d:?}");
}

/// The loader's list of names it passes over (`content::is_ignored_name`),
/// through `check`: the one test of it (a unit test of the same names was
/// merged into this one). `watch`'s own list is tested in `cmd::watch`.
#[test]
fn editor_droppings_are_ignored() {
    let site = Site::new();
    let junk = "not: [valid yaml\n";
    site.write("register/.CI-001.yaml.swp", junk)
        .write("register/CI-001.yaml~", junk)
        .write("register/x.tmp", junk)
        .write("register/.DS_Store", junk)
        .write(".DS_Store", junk);
    site.check().assert_clean();
}

/// `text` as register/CI-001.yaml gives exactly one error: this one.
fn entry_gives_only(text: &str, line: u32, column: u32, message: &str, hint: &str) {
    let site = Site::new();
    site.write("register/CI-001.yaml", text);
    let check = site.check();
    check.assert_errors(1);
    check.exactly(
        &site.path("register/CI-001.yaml"),
        line,
        column,
        message,
        hint,
    );
}

// ---------------------------------------------------------------- YAML

#[test]
fn bad_indentation_is_a_located_syntax_error() {
    entry_gives_only(
        "title: Encrypt laptops\nidentified: 2025-01-10\n  status: in-progress\npriority: high\n",
        3,
        3,
        "YAML syntax: this line is indented to column 3, which matches no field above it",
        "start `status:` in column 1, as `identified:` above it",
    );
}

#[test]
fn a_list_item_field_off_by_one_column_names_the_column() {
    entry_gives_only(
        &format!(
            "{ENTRY}history:\n  - date: 2025-02-01\n    status: in-progress\n   note: Started\n"
        ),
        8,
        4,
        "YAML syntax: this line is indented to column 4, which matches no field above it",
        "start `note:` in column 5, as `status:` above it",
    );
}

#[test]
fn a_tab_in_the_indentation_is_named() {
    entry_gives_only(
        "title: Encrypt laptops\nidentified: 2025-01-10\n\tstatus: in-progress\npriority: high\n",
        3,
        1,
        "YAML syntax: a tab in the indentation",
        "YAML indents with spaces only: replace the tab with spaces",
    );
}

#[test]
fn impossible_dates_say_what_is_impossible() {
    let site = Site::new();
    let file = site.path("register/CI-001.yaml");
    for (date, message, hint) in [
        (
            "2026-13-01",
            "`identified` is not a date: `2026-13-01` (month 13 does not exist)",
            "the month comes second in YYYY-MM-DD: did you mean 2026-01-13?",
        ),
        (
            "2026-14-20",
            "`identified` is not a date: `2026-14-20` (month 14 does not exist)",
            "the month comes second in YYYY-MM-DD and runs from 01 to 12",
        ),
        (
            "2026-02-29",
            "`identified` is not a date: `2026-02-29` (day 29 does not exist in February 2026)",
            "check the day of the month",
        ),
        (
            "31/01/2026",
            "`identified` is not a date: `31/01/2026`",
            "write it as 2026-01-31",
        ),
        (
            "03/01/2026",
            "`identified` is not a date: `03/01/2026`",
            "write it as YYYY-MM-DD: 2026-01-03 if the day comes first, 2026-03-01 if the month does",
        ),
        (
            "2026-3-1",
            "`identified` is not a date: `2026-3-1`",
            "write it as 2026-03-01",
        ),
    ] {
        site.write(
            "register/CI-001.yaml",
            format!("title: x\nidentified: {date}\nstatus: planned\npriority: high\n"),
        );
        let check = site.check();
        check.assert_errors(1);
        check.exactly(&file, 2, 13, message, hint);
    }
}

#[test]
fn misspelt_ids_suggest_the_id_ignoring_case_and_zero_padding() {
    let site = Site::new();
    site.remove("register/CI-001.yaml");
    for id in ["CI-016", "CI-017", "CI-018"] {
        site.write(&format!("register/{id}.yaml"), ENTRY);
    }
    let plan = site.path("plans/p.md");
    for typo in ["CI-17", "CI-0017", "ci-17"] {
        site.write(
            "plans/p.md",
            format!("---\ntitle: P\nentries: [{typo}]\n---\nText\n"),
        );
        let check = site.check();
        check.assert_errors(1);
        check.exactly(
            &plan,
            3,
            11,
            &format!("`entries` names `{typo}`, which is not a register id"),
            "did you mean `CI-017`?",
        );
    }
}

#[test]
fn a_file_that_does_not_parse_causes_no_reference_errors_elsewhere() {
    let site = Site::new();
    site.write(
        "register/CI-005.yaml",
        "title: x\nidentified: 2025-01-10\nstatus: planned\n priority: high\n",
    );
    site.write(
        "plans/p.md",
        "---\ntitle: P\nentries: [CI-005, CI-001]\n---\nText\n",
    );
    site.write(
        "reviews/r.md",
        "---\ntitle: R\ndate: 2025-06-01\nentries: [CI-005]\n---\nText\n",
    );
    let check = site.check();
    check.assert_errors(1);
    let file = site.path("register/CI-005.yaml");
    check.exactly(
        &file,
        4,
        2,
        "YAML syntax: this line is indented to column 2, which matches no field above it",
        "start `priority:` in column 1, as `status:` above it",
    );
    let notes: Vec<&Diag> = check
        .diags
        .iter()
        .filter(|d| d.severity == "warning")
        .collect();
    assert_eq!(notes.len(), 1, "{}", check.dump());
    assert_eq!(
        (
            notes[0].file.as_str(),
            notes[0].line,
            notes[0].message.as_str()
        ),
        (
            file.display().to_string().as_str(),
            4,
            "2 references from plans and reviews could not be checked while this file cannot be read"
        )
    );
}

#[test]
fn unclosed_quote_is_a_located_syntax_error() {
    entry_gives_only(
        "title: \"Encrypt laptops\nidentified: 2025-01-10\nstatus: in-progress\npriority: high\n",
        1,
        8,
        "YAML syntax: this quote is never closed",
        "end the text with the same quote mark, or leave the quotes out: YAML text needs none",
    );
}

#[test]
fn duplicate_key_is_an_error() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        format!("{ENTRY}title: Encrypt desktops\n"),
    );
    let check = site.check();
    check.assert_errors(1);
    check.error_at(
        &site.path("register/CI-001.yaml"),
        5,
        1,
        &["duplicate", "title"],
    );
}

#[test]
fn empty_register_file_is_an_error() {
    let site = Site::new();
    site.write("register/CI-002.yaml", "");
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(&site.path("register/CI-002.yaml"), 1, 1, &["empty"]);
    assert!(d.hint.is_some(), "{d:?}");
}

#[test]
fn comment_only_register_file_is_an_error_within_the_file() {
    let site = Site::new();
    site.write("register/CI-002.yaml", "# nothing yet\n");
    let check = site.check();
    check.assert_errors(1);
    check.error_at(&site.path("register/CI-002.yaml"), 1, 1, &["empty"]);
}

#[test]
fn register_file_holding_a_scalar_is_an_error() {
    let site = Site::new();
    site.write("register/CI-002.yaml", "just some text\n");
    let check = site.check();
    check.assert_errors(1);
    check.error_at(
        &site.path("register/CI-002.yaml"),
        1,
        1,
        &["expected a register entry", "text"],
    );
}

#[test]
fn type_errors_carry_a_hint() {
    let site = Site::new();
    site.write("register/CI-002.yaml", "just some text\n");
    site.write(
        "register/CI-003.yaml",
        "title: [Encrypt, laptops]\nidentified: 2025-01-10\nstatus: planned\npriority: low\n",
    );
    let check = site.check();
    check.assert_errors(2);
    check
        .error_at(&site.path("register/CI-002.yaml"), 1, 1, &["text"])
        .hint();
    check
        .error_at(
            &site.path("register/CI-003.yaml"),
            1,
            8,
            &["title", "a list"],
        )
        .hint();
}

// ---------------------------------------------------------------- whole runs

#[test]
fn every_problem_is_reported_in_one_run_sorted_by_file() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops
identified: 2025-01-10
status: done
priority: high
target: 2025-13-01
",
    );
    site.write(
        "register/CI-002.yaml",
        "title: Patch servers
identified: 2025-02-01
status: planned
priority: urgent
colour: red
",
    );
    site.write(
        "plans/access.md",
        "---\ntitle: Access control\nentries: [CI-999]\n---\n",
    );
    let check = site.check();
    check.assert_errors(5);
    let got: Vec<(String, &str)> = check
        .diags
        .iter()
        .map(|d| (d.file.clone(), d.message.as_str()))
        .collect();
    let expected = [
        ("plans/access.md", "CI-999"),
        ("register/CI-001.yaml", "`status`"),
        ("register/CI-001.yaml", "`target`"),
        ("register/CI-002.yaml", "`priority`"),
        ("register/CI-002.yaml", "`colour`"),
    ];
    assert_eq!(got.len(), expected.len(), "{}", check.dump());
    for ((file, message), (want_file, word)) in got.iter().zip(expected) {
        assert_eq!(file, &site.path(want_file).display().to_string());
        assert!(message.contains(word), "{message:?} lacks {word}");
    }

    let (code, stderr) = site.check_human();
    assert_eq!(code, 1);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("5 errors"),
        "last line {last:?} of:\n{stderr}"
    );
    // Every problem is a `path:line:column: message` line followed by a hint.
    let located = stderr
        .lines()
        .filter(|l| l.starts_with(&site.content().display().to_string()))
        .count();
    let hints = stderr.lines().filter(|l| l.starts_with("  hint: ")).count();
    assert_eq!((located, hints), (5, 5), "{stderr}");
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

#[test]
fn build_with_content_errors_leaves_the_output_folder_untouched() {
    let site = Site::new();
    let output = site.dir.path().join("output");
    std::fs::create_dir_all(output.join("register")).unwrap();
    std::fs::write(output.join("index.html"), "<p>last good site</p>").unwrap();
    std::fs::write(output.join("register/index.html"), "<p>register</p>").unwrap();
    std::fs::write(
        output.join(".isms-site-manifest"),
        "index.html\nregister/index.html\n",
    )
    .unwrap();
    let before = snapshot(&output);

    site.write(
        "register/CI-001.yaml",
        "title: Encrypt laptops\nidentified: 2025-01-10\nstatus: done\npriority: high\n",
    );
    let out = site.build(&output);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(exit_code(&out), 1, "{stderr}");
    // Failed because of the content, not because the output was refused.
    assert!(stderr.contains("`status`"), "{stderr}");
    assert!(!stderr.contains("refusing"), "{stderr}");

    assert_eq!(snapshot(&output), before);
    // No staging folder left beside the output.
    let mut left: Vec<String> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    // The build cache, the Markdown memo, the kept parses, the content's
    // sums and the folders seen are kept beside the output on purpose.
    let kept =
        ["cache", "markdown", "parsed", "sums", "folders"].map(|k| format!(".output.isms-{k}"));
    left.retain(|n| !kept.contains(n));
    assert_eq!(left, ["content", "output"]);
}

#[test]
fn invalid_as_of_date_is_a_usage_error() {
    let site = Site::new();
    let content = site.content();
    for command in ["check", "build"] {
        let out = site.run(&[
            command,
            "--as-of",
            "2026-13-40",
            "--content",
            content.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(exit_code(&out), 2, "{command}: {stderr}");
        assert!(stderr.contains("2026-13-40"), "{command}: {stderr}");
    }
    assert!(!site.dir.path().join("output").exists());
}

#[test]
fn check_on_a_missing_content_folder_fails_with_a_message() {
    let site = Site::new();
    let missing = site.dir.path().join("no-such-content");
    let out = site.run(&[
        "check",
        "--as-of",
        AS_OF,
        "--content",
        missing.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(exit_code(&out), 1, "{stderr}");
    assert!(stderr.contains("content folder not found"), "{stderr}");
    assert!(stderr.contains(missing.to_str().unwrap()), "{stderr}");
}

#[test]
fn overdue_open_entry_is_a_warning_at_its_target() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        format!("{ENTRY}target: 2025-12-31\n"),
    );
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.dump());
    let problems = check.beyond_data_quality();
    assert_eq!(problems.len(), 1, "{}", check.dump());
    let d = problems[0];
    assert_eq!(d.severity, "warning");
    assert_eq!(
        d.file,
        site.path("register/CI-001.yaml").display().to_string()
    );
    assert_eq!((d.line, d.column), (5, 9), "{d:?}");
    assert!(d.message.contains("overdue"), "{d:?}");

    let (code, stderr) = site.check_human();
    assert_eq!(code, 0, "{stderr}");
    // The overdue warning, and that the entry has no owner.
    assert!(stderr.contains("0 errors, 2 warnings"), "{stderr}");
}

#[test]
fn odd_inputs_never_panic() {
    let deep = format!("title: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let mut binary = b"title: \xff\xfe\x00 laptops\n".to_vec();
    binary.extend_from_slice(&[0x80, 0x81, 0xc3, 0x28, b'\n']);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "tabs",
            b"title:\tEncrypt laptops\n\tidentified: 2025-01-10\n".to_vec(),
        ),
        ("deep nesting", deep.into_bytes()),
        ("invalid UTF-8", binary),
        (
            "history as text",
            format!("{ENTRY}history: done last week\n").into_bytes(),
        ),
        (
            "kpi without direction",
            format!("{ENTRY}kpis: [{{name: x}}]\n").into_bytes(),
        ),
    ];
    for (what, text) in cases {
        let site = Site::new();
        site.write("register/CI-002.yaml", text);
        // `run` already fails on a panic or a signal.
        let check = site.check();
        assert!(
            check.code == 0 || check.code == 1,
            "{what}: {}",
            check.dump()
        );
        // Each of these is invalid content, reported in the file.
        let file = site.path("register/CI-002.yaml").display().to_string();
        assert!(
            check.code == 1 && check.diags.iter().any(|d| d.file == file),
            "{what}: {}",
            check.dump()
        );
    }
}

/// Custom columns (`extra`) show each value exactly as written, minus
/// quotes, on the entry page and in the search index: a version `1.10`, a
/// file mode `0755` or a 30-digit reference is no number to round.
#[test]
fn extra_values_are_shown_as_written() {
    let site = Site::new();
    let written = [
        ("version", "1.10", "1.10"),
        ("mode", "0755", "0755"),
        (
            "ref",
            "123456789012345678901234567890",
            "123456789012345678901234567890",
        ),
        ("ratio", "1e3", "1e3"),
        ("hex", "0x1F", "0x1F"),
        ("signed", "+5", "+5"),
        ("flag", "true", "true"),
        ("answer", "yes", "yes"),
        ("tilde", "~", "~"),
        ("nothing", "null", "null"),
        ("quoted", "'007'", "007"),
        ("text", "\"Ops & IT\"", "Ops &amp; IT"),
    ];
    let mut entry = format!("{ENTRY}extra:\n");
    for (key, value, _) in written {
        entry.push_str(&format!("  {key}: {value}\n"));
    }
    entry.push_str("  empty:\n");
    site.write("register/CI-001.yaml", entry);
    let output = site.dir.path().join("output");
    let out = site.build(&output);
    assert_eq!(
        exit_code(&out),
        0,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(output.join("register/CI-001/index.html")).unwrap();
    for (key, _, shown) in written {
        let row = format!("<dt>{key}</dt><dd>{shown}</dd>");
        assert!(page.contains(&row), "no `{row}` on the entry page");
    }
    // An empty value leaves its column out.
    assert!(!page.contains("<dt>empty</dt>"));
    // The search index's term shards (search/t-*.json).
    let index: String = std::fs::read_dir(output.join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for needle in ["1.10", "0755", "123456789012345678901234567890"] {
        assert!(index.contains(needle), "search index lacks {needle}");
    }
}

// ------------------------------------------- nonconformities (clause 10.2)

/// The fixture entry (four lines) with `more` from line 5.
fn entry_with(more: &str) -> String {
    format!("{ENTRY}{more}")
}

#[test]
fn the_clause_10_2_fields_are_accepted() {
    let site = Site::new();
    site.write(
        "register/CI-002.yaml",
        entry_with(
            "nonconformity:\n  ref: NC-1\n  severity: Major\n  requirement: A.8.8\n  raised: 2025-01-09\n  by: Auditor\n  statement: |\n    Patches *late*.\n\
             root_cause: Manual patching.\ncorrection: Patched at once.\nfollows_up: [CI-001]\nrelated: [ci-001]\n",
        ),
    );
    site.check().assert_clean();
}

#[test]
fn nonconformity_fields_are_checked_each_at_its_place() {
    let site = Site::new();
    site.write(
        "register/CI-002.yaml",
        entry_with("nonconformity:\n  ref: NC-1\n  severity: critical\n  raised: 09/01/2025\n  sevrity: x\n"),
    );
    let check = site.check();
    check.assert_errors(3);
    let file = site.path("register/CI-002.yaml");
    let d = check.error_at(&file, 7, 13, &["severity"]);
    assert!(d.hint().contains("major, minor, observation"), "{d:?}");
    check.error_at(&file, 8, 11, &["raised", "not a date"]);
    let d = check.error_at(&file, 9, 3, &["unknown field `sevrity` in nonconformity"]);
    assert!(d.hint().contains("did you mean `severity`"), "{d:?}");
}

#[test]
fn follows_up_and_related_must_name_register_ids() {
    let site = Site::new();
    site.write(
        "register/CI-015.yaml",
        entry_with("follows_up: [CI-001, CI-0001]\nrelated:\n  - CI-404\n"),
    );
    let check = site.check();
    check.assert_errors(2);
    let file = site.path("register/CI-015.yaml");
    let d = check.error_at(
        &file,
        5,
        22,
        &["`follows_up` names `CI-0001`, which is not a register id"],
    );
    assert!(d.hint().contains("did you mean `CI-001`?"), "{d:?}");
    check.error_at(
        &file,
        7,
        5,
        &["`related` names `CI-404`, which is not a register id"],
    );
}

#[test]
fn a_cycle_in_follows_up_is_an_error_naming_the_cycle() {
    let site = Site::new();
    site.write("register/CI-001.yaml", entry_with("follows_up: [CI-003]\n"));
    site.write("register/CI-002.yaml", entry_with("follows_up: [CI-001]\n"));
    site.write("register/CI-003.yaml", entry_with("follows_up: [CI-002]\n"));
    // A chain that ends is fine: CI-004 follows the cycle's members up.
    site.write(
        "register/CI-004.yaml",
        entry_with("follows_up: [CI-002, CI-003]\n"),
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("register/CI-001.yaml"),
        5,
        14,
        &["`follows_up` forms a cycle: CI-001 → CI-003 → CI-002 → CI-001"],
    );
    assert_eq!(
        d.message,
        "`follows_up` forms a cycle: CI-001 → CI-003 → CI-002 → CI-001"
    );
    // An entry that follows itself up is a cycle of one.
    let site = Site::new();
    site.write("register/CI-001.yaml", entry_with("follows_up: CI-001\n"));
    let check = site.check();
    check.assert_errors(1);
    check.error_at(
        &site.path("register/CI-001.yaml"),
        5,
        13,
        &["`follows_up` forms a cycle: CI-001 → CI-001"],
    );
}

/// `n` entries `{prefix}0001`… in one sequence file, each following up
/// the next (the last the first), and those past the second also the
/// first: with `back`, a knot of n² cycles that used to print each in full.
fn ring_of_entries(prefix: &str, n: usize, back: bool) -> String {
    (1..=n)
        .map(|i| {
            let next = format!("{prefix}{:04}", i % n + 1);
            let first = if back && i > 2 {
                format!(", {prefix}0001")
            } else {
                String::new()
            };
            format!(
                "- id: {prefix}{i:04}\n  title: T\n  identified: 2025-01-01\n  status: planned\n  priority: low\n  follows_up: [{next}{first}]\n"
            )
        })
        .collect()
}

/// A cycle through thousands of entries, and thousands of cycles through
/// one entry, are each one short error: the first ids and a count.
#[test]
fn long_and_tangled_follows_up_cycles_are_each_reported_once_in_brief() {
    let site = Site::new();
    site.write("register/a.yaml", ring_of_entries("A-", 2000, true));
    site.write("register/b.yaml", ring_of_entries("B-", 1500, false));
    let check = site.check();
    check.assert_errors(2);
    let a = check.error_at(&site.path("register/a.yaml"), 6, 16, &["A-0001"]);
    assert_eq!(
        a.message,
        "`follows_up` forms a cycle: A-0001 → A-0002 → A-0003 → A-0001 \
         (one of several: 2000 entries follow one another up in loops)"
    );
    let b = check.error_at(&site.path("register/b.yaml"), 6, 16, &["B-0001"]);
    assert_eq!(
        b.message,
        "`follows_up` forms a cycle: B-0001 → B-0002 → B-0003 → B-0004 → B-0005 → … and 1495 more → B-0001"
    );
    let (code, stderr) = site.check_human();
    assert_eq!(code, 1);
    assert!(stderr.len() < 2_000, "{} bytes of errors", stderr.len());
}

#[test]
fn approvals_are_read_and_checked() {
    let site = Site::new();
    site.write(
        "plans/p.md",
        "---\ntitle: P\nentries: [CI-001]\napproved: {by: CISO, date: 2025-02-01}\n---\n",
    );
    site.write(
        "reviews/r.md",
        "---\ntitle: R\ndate: 2025-03-01\napproved: {by: CEO, date: 1 March}\n---\n",
    );
    let check = site.check();
    check.assert_errors(1);
    check.error_at(&site.path("reviews/r.md"), 4, 27, &["`date` is not a date"]);
}

#[test]
fn an_approvals_revision_must_be_a_commit_id() {
    let site = Site::new();
    site.write(
        "plans/ok.md",
        "---\ntitle: P\nentries: [CI-001]\napproved: {by: CISO, date: 2025-02-01, revision: 3F9A1C2}\n---\n",
    );
    // Ids YAML reads as numbers keep their digits as written.
    site.write(
        "plans/digits.md",
        "---\ntitle: P\nentries: [CI-001]\napproved: {by: CISO, date: 2025-02-01, revision: 0012345}\n---\n",
    );
    site.write(
        "plans/exponent.md",
        "---\ntitle: P\nentries: [CI-001]\napproved: {by: CISO, date: 2025-02-01, revision: \"3e45678\"}\n---\n",
    );
    site.write(
        "plans/short.md",
        "---\ntitle: P\nentries: [CI-001]\napproved: {by: CISO, date: 2025-02-01, revision: 3f9a1c}\n---\n",
    );
    site.write(
        "reviews/r.md",
        "---\ntitle: R\ndate: 2025-03-01\napproved:\n  by: CEO\n  date: 2025-03-02\n  revision: main~1\n---\n",
    );
    let check = site.check();
    check.assert_errors(2);
    let short = check.error_at(
        &site.path("plans/short.md"),
        4,
        50,
        &["`revision` must be a commit id"],
    );
    assert!(short.hint().contains("git log --oneline"), "{short:?}");
    check.error_at(
        &site.path("reviews/r.md"),
        7,
        13,
        &["7 to 40 hexadecimal digits"],
    );
}

/// A plan with an overdue milestone (as of 2026-01-31), approved or not.
fn late_plan(approved: &str) -> String {
    format!(
        "---\ntitle: Late plan\nentries: [CI-001]\n{approved}milestones:\n  - title: M\n    due: 2025-06-01\n---\n"
    )
}

fn warnings<'c>(check: &'c Check, words: &str) -> Vec<&'c Diag> {
    check
        .diags
        .iter()
        .filter(|d| d.severity == "warning" && d.message.contains(words))
        .collect()
}

#[test]
fn a_late_plan_without_approval_is_warned_about() {
    let site = Site::new();
    site.write("plans/late.md", late_plan(""));
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.dump());
    let found = warnings(&check, "has overdue milestones and no approval");
    assert_eq!(found.len(), 1, "{}", check.dump());
    let d = found[0];
    assert_eq!(d.file, site.path("plans/late.md").display().to_string());
    assert_eq!(
        d.message,
        "plan `Late plan` has overdue milestones and no approval"
    );
    assert!(d.hint().contains("approved:"), "{d:?}");
    // Approved, or not late: no such warning.
    site.write(
        "plans/late.md",
        late_plan("approved: {by: CISO, date: 2025-01-15}\n"),
    );
    assert!(warnings(&site.check(), "no approval").is_empty());
}

#[test]
fn controls_yaml_is_read_and_unknown_control_ids_are_warned_about() {
    let site = Site::new();
    site.write(
        "register/CI-002.yaml",
        entry_with("controls: [A.8.8, A.8.88, X.1]\n"),
    );
    // Without a catalogue, no control id is unknown.
    site.check().assert_clean();
    site.write(
        "controls.yaml",
        "- id: A.8.8\n  title: Patching\n  applicable: true\n- {id: A.8.9, title: Config, applicable: no, justification: None here}\n",
    );
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.dump());
    let found = warnings(&check, "is not in controls.yaml");
    assert_eq!(found.len(), 2, "{}", check.dump());
    let file = site.path("register/CI-002.yaml").display().to_string();
    assert!(
        found.iter().any(|d| d.file == file
            && (d.line, d.column) == (5, 19)
            && d.message == "control `A.8.88` is not in controls.yaml"
            && d.hint().contains("did you mean `A.8.8`?")),
        "{}",
        check.dump()
    );
    assert!(
        found
            .iter()
            .any(|d| d.message.contains("`X.1`") && (d.line, d.column) == (5, 27))
    );
}

#[test]
fn a_bad_controls_yaml_is_reported_at_its_places() {
    let site = Site::new();
    site.write(
        "controls.yaml",
        "- id: A.8.8\n  title: Patching\n  applicable: maybe\n- title: No id\n- id: A.8.8\n  title: Twice\n  titel: x\n",
    );
    let check = site.check();
    check.assert_errors(4);
    let file = site.path("controls.yaml");
    check.error_at(&file, 3, 15, &["`applicable` must be true or false"]);
    check.error_at(&file, 4, 3, &["missing required field `id` in control"]);
    check.error_at(&file, 5, 3, &["control `A.8.8` is listed twice"]);
    let d = check.error_at(&file, 7, 3, &["unknown field `titel` in control"]);
    assert!(d.hint().contains("`title`"), "{d:?}");
    site.write("controls.yaml", "title: not a list\n");
    let check = site.check();
    check.assert_errors(1);
    check.error_at(&file, 1, 1, &["expected a list of controls"]);
}

/// The warnings an auditor asks about (issue 15), each naming the entry:
/// open work without owner or target, completed work without outcome, a
/// corrective action left without effectiveness review past the period
/// site.yaml sets, and a `completed` date the status contradicts.
#[test]
fn data_quality_warnings_name_the_entry() {
    let site = Site::new();
    let done = |id: &str, completed: &str, extra: &str| {
        format!(
            "title: {id}\nidentified: 2025-01-10\nstatus: completed\npriority: high\nowner: CISO\ntarget: 2025-12-31\ncompleted: {completed}\n{extra}"
        )
    };
    site.write(
        "register/CI-002.yaml",
        done("CI-002", "2025-02-01", ""),
    )
    .write(
        "register/CI-003.yaml",
        done("CI-003", "2025-06-01", "type: corrective-action\noutcome: Fixed.\n"),
    )
    .write(
        "register/CI-004.yaml",
        done("CI-004", "2025-12-01", "type: corrective-action\noutcome: Fixed.\n"),
    )
    .write(
        "register/CI-005.yaml",
        "title: t\nidentified: 2025-01-10\nstatus: in-progress\npriority: high\nowner: CISO\ntarget: 2026-12-31\ncompleted: 2025-03-01\n",
    );
    let warned = |check: &Check, id: &str, words: &str| {
        check.diags.iter().any(|d| {
            d.severity == "warning"
                && d.file.ends_with(&format!("{id}.yaml"))
                && d.message.contains(words)
        })
    };
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.dump());
    assert!(
        warned(
            &check,
            "CI-001",
            "CI-001 is open with no owner and no target"
        ),
        "{}",
        check.dump()
    );
    assert!(
        warned(&check, "CI-002", "completed but records no outcome"),
        "{}",
        check.dump()
    );
    assert!(
        warned(
            &check,
            "CI-003",
            "more than 90 days ago, and its effectiveness is not reviewed"
        ),
        "{}",
        check.dump()
    );
    assert!(
        !warned(&check, "CI-004", "effectiveness"),
        "61 days is within 90: {}",
        check.dump()
    );
    assert!(
        warned(&check, "CI-005", "its status is in-progress"),
        "{}",
        check.dump()
    );
    assert!(!warned(&check, "CI-003", "no owner"), "{}", check.dump());

    site.write(
        "site.yaml",
        "title: Test register\nregister:\n  effectiveness_review_days: 30\n",
    );
    let check = site.check();
    assert!(
        warned(&check, "CI-004", "more than 30 days ago"),
        "{}",
        check.dump()
    );
}

/// `check --strict` fails on warnings alone; without it they never do.
#[test]
fn strict_check_turns_warnings_into_errors() {
    let site = Site::new();
    let (code, stderr) = site.check_human();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 errors, 1 warning"), "{stderr}");
    let strict = || {
        let content = site.content();
        site.run(&[
            "check",
            "--strict",
            "--as-of",
            AS_OF,
            "--content",
            content.to_str().unwrap(),
        ])
    };
    let out = strict();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(exit_code(&out), 1, "{stderr}");
    assert!(
        stderr.contains("--strict: warnings count as errors"),
        "{stderr}"
    );
    // Clean content passes --strict.
    site.write(
        "register/CI-001.yaml",
        format!("{ENTRY}owner: CISO\ntarget: 2026-12-31\n"),
    );
    let out = strict();
    assert_eq!(
        exit_code(&out),
        0,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A target moved in history without a reason is a warning at the record;
/// with a reason it is not.
#[test]
fn a_target_moved_without_a_reason_is_a_warning_at_its_record() {
    let site = Site::new();
    let entry = |reason: &str| {
        format!(
            "{ENTRY}owner: CISO\ntarget: 2025-06-30\nhistory:\n  - date: 2025-05-02\n    target: 2026-09-30\n{reason}"
        )
    };
    site.write("register/CI-001.yaml", entry(""));
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.dump());
    assert_eq!(check.diags.len(), 1, "{}", check.dump());
    let d = &check.diags[0];
    assert_eq!(
        (d.severity.as_str(), d.line, d.column),
        ("warning", 8, 5),
        "{d:?}"
    );
    assert!(
        d.message
            .contains("target moved from 2025-06-30 to 2026-09-30 on 2025-05-02 without a reason"),
        "{d:?}"
    );
    site.write(
        "register/CI-001.yaml",
        entry("    reason: The supplier delivers in September.\n"),
    );
    site.check().assert_clean();
    // The moved target counts: 2026-09-30 is not overdue on 2026-01-31.
    assert!(site.check().diags.is_empty(), "{}", site.check().dump());
}

/// `check` lists every date recorded after the as-of date (an as-of
/// build leaves those out); a target in the future is not one of them.
#[test]
fn dates_after_the_as_of_date_are_warnings_in_check() {
    let site = Site::new();
    site.write(
        "register/CI-001.yaml",
        format!("{ENTRY}owner: CISO\ntarget: 2026-12-31\nhistory:\n  - date: 2026-02-10\n    note: Typo in the year?\n"),
    )
    .write(
        "reviews/later.md",
        "---\ntitle: Later review\ndate: 2026-03-31\nkind: management-review\n---\nNotes.\n",
    );
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.dump());
    let later: Vec<&Diag> = check
        .diags
        .iter()
        .filter(|d| d.message.contains("is after the as-of date 2026-01-31"))
        .collect();
    assert_eq!(later.len(), 2, "{}", check.dump());
    assert_eq!((later[0].line, later[0].column), (8, 5), "{:?}", later[0]);
    assert!(later[0].message.contains("history record 2026-02-10"));
    assert!(later[1].file.ends_with("later.md"), "{:?}", later[1]);
    assert!(
        !check.diags.iter().any(|d| d.message.contains("2026-12-31")),
        "{}",
        check.dump()
    );
}

#[test]
fn effectiveness_review_days_must_be_a_whole_number_of_days() {
    let site = Site::new();
    site.write(
        "site.yaml",
        "title: Test register\nregister:\n  effectiveness_review_days: 0\n",
    );
    let check = site.check();
    check.assert_errors(1);
    let d = check.error_at(
        &site.path("site.yaml"),
        3,
        30,
        &["effectiveness_review_days"],
    );
    assert!(d.hint().contains("effectiveness_review_days: 90"), "{d:?}");
}

#[test]
fn next_review_must_be_a_date() {
    let site = Site::new();
    site.write("site.yaml", "title: Test register\nnext_review: soon\n");
    let check = site.check();
    check.assert_errors(1);
    check.error_at(&site.path("site.yaml"), 2, 14, &["next_review"]);
}

// ------------------------------------------------- names and values (issue 22)

/// Two evidence names that are not UTF-8 and differ only in the bytes that
/// are not print alike (`report-�.pdf`): published, one would overwrite the
/// other. Each is refused, naming its path, as a control character is.
#[test]
fn evidence_file_names_that_are_not_utf8_are_refused() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let site = Site::new();
    let evidence = site.path("evidence");
    std::fs::create_dir_all(&evidence).unwrap();
    for raw in [&b"report-\xff.pdf"[..], &b"report-\xfe.pdf"[..]] {
        std::fs::write(evidence.join(OsStr::from_bytes(raw)), "x").unwrap();
    }
    let check = site.check();
    check.assert_errors(2);
    let lossy = evidence.join("report-\u{fffd}.pdf").display().to_string();
    for d in &check.diags {
        assert_eq!(d.file, lossy, "{d:?}");
        assert_eq!(
            d.message, "file name \"report-\u{fffd}.pdf\" is not valid UTF-8 text",
            "{d:?}"
        );
        assert!(d.hint().contains("rename it"), "{d:?}");
    }
    let out = site.dir.path().join("out");
    assert_eq!(exit_code(&site.build(&out)), 1);
    assert!(!out.exists());
}

/// A plan's or review's Markdown is held to the rule YAML values are: a
/// raw ESC (a terminal's title sequence), a BEL or a right-to-left override
/// in the body is refused at its line and column, with the YAML rule's
/// message and hint, and no page is published.
#[test]
fn control_and_bidi_characters_in_markdown_bodies_are_refused() {
    let site = Site::new();
    site.write(
        "plans/p.md",
        "---\ntitle: P\nentries: [CI-001]\n---\n# Plan\n\nSee \u{1b}]0;owned\u{7} here.\n",
    );
    site.write(
        "reviews/r.md",
        "---\r\ntitle: R\r\ndate: 2025-03-31\r\n---\r\nDecided:\tfund \u{202e}cba\r\n",
    );
    site.write(
        "reviews/s.md",
        "---\ntitle: S\ndate: 2025-03-31\n---\n\u{7}\n",
    );
    let check = site.check();
    check.assert_errors(3);
    let esc = "remove it: text holds no control characters but tabs and line breaks \
               (in YAML, an escape such as \"\\e\", \"\\a\" or \"\\u001b\" writes one)";
    check.exactly(
        &site.path("plans/p.md"),
        7,
        5,
        "text holds the control character U+001B",
        esc,
    );
    let d = check.error_at(&site.path("reviews/r.md"), 5, 15, &["U+202E"]);
    assert_eq!(
        d.message,
        "text holds the bidirectional formatting character U+202E"
    );
    check.exactly(
        &site.path("reviews/s.md"),
        5,
        1,
        "text holds the control character U+0007",
        esc,
    );
    let out = site.dir.path().join("out");
    assert_eq!(exit_code(&site.build(&out)), 1);
    assert!(!out.exists());
}

/// YAML's escapes write what its syntax refuses raw: an ESC or BEL (`"\e"`,
/// `"\u0007"`) in a value, a bidirectional override in a key. Each is
/// refused where it is written, so none reaches a page, `register.csv` or
/// a terminal.
#[test]
fn control_and_bidi_characters_written_as_escapes_are_refused() {
    let site = Site::new();
    site.write(
        "register/CI-002.yaml",
        "title: \"a\\e]0;x\\a\"\nidentified: 2025-01-10\nstatus: planned\npriority: low\n",
    );
    site.write(
        "register/CI-003.yaml",
        format!("{ENTRY}extra:\n  \"Team\\u202e\": x\n"),
    );
    site.write(
        "register/CI-004.yaml",
        format!("{ENTRY}owner: \"Ops\\u0007\"\n"),
    );
    let check = site.check();
    check.assert_errors(3);
    let esc = "remove it: text holds no control characters but tabs and line breaks \
               (in YAML, an escape such as \"\\e\", \"\\a\" or \"\\u001b\" writes one)";
    check.exactly(
        &site.path("register/CI-002.yaml"),
        1,
        8,
        "text holds the control character U+001B",
        esc,
    );
    let d = check.error_at(&site.path("register/CI-003.yaml"), 6, 3, &["U+202E"]);
    assert_eq!(
        d.message,
        "text holds the bidirectional formatting character U+202E"
    );
    check.exactly(
        &site.path("register/CI-004.yaml"),
        5,
        8,
        "text holds the control character U+0007",
        esc,
    );
    let out = site.dir.path().join("out");
    assert_eq!(exit_code(&site.build(&out)), 1);
    assert!(!out.exists());
}

/// `objectives.yaml` (issue 28): its own problems and every KPI it names
/// that the register does not have, all at once, each at its place with
/// a "did you mean".
#[test]
fn objectives_yaml_problems_and_unknown_kpis_are_reported_at_their_places() {
    let site = Site::new();
    site.write(
        "register/CI-002.yaml",
        entry_with(
            "kpis:\n  - name: Laptops encrypted\n    direction: increase\n    measurements: [{date: 2025-02-01, value: 3}]\n",
        ),
    );
    site.write(
        "objectives.yaml",
        "- id: O-1\n  title: Protect data\n  kpis:\n    - CI-002/Laptops encrypted\n    - CI-002/Laptop encrypted\n    - CI-020/Laptops encrypted\n    - no slash here\n- id: O-1\n  title: Twice\n  colour: red\n",
    );
    let check = site.check();
    check.assert_errors(5);
    let file = site.path("objectives.yaml");
    let d = check.error_at(
        &file,
        5,
        7,
        &["entry `CI-002` has no KPI named `Laptop encrypted`"],
    );
    assert!(
        d.hint()
            .contains("did you mean `CI-002/Laptops encrypted`?"),
        "{d:?}"
    );
    let d = check.error_at(
        &file,
        6,
        7,
        &["names entry `CI-020`, which is not in the register"],
    );
    assert!(d.hint().contains("did you mean `CI-002`?"), "{d:?}");
    check.error_at(&file, 7, 7, &["`no slash here` does not name a KPI"]);
    check.error_at(&file, 8, 3, &["objective `O-1` is listed twice"]);
    let d = check.error_at(&file, 10, 3, &["unknown field `colour` in objective"]);
    assert!(d.hint().contains("kpis"), "{d:?}");
    site.write(
        "objectives.yaml",
        "- id: O-1\n  title: Protect data\n  kpis: [ci-002/LAPTOPS ENCRYPTED]\n",
    );
    site.check().assert_clean();
}

/// `risks.yaml` (issue 28): read like controls.yaml; a risk id an entry
/// names that the catalogue lacks is a warning with a "did you mean", and
/// the catalogue's own problems are errors at their places.
#[test]
fn risks_yaml_is_read_and_unknown_risk_ids_are_warned_about() {
    let site = Site::new();
    site.write(
        "register/CI-002.yaml",
        entry_with("risks: [R-01, R-011, r-02]\n"),
    );
    // Without a catalogue, no risk id is unknown.
    site.check().assert_clean();
    site.write(
        "risks.yaml",
        "- id: R-01\n  title: Stolen laptops\n  level: 12\n- {id: R-02, title: Phishing, owner: CISO, treatment: Reduce}\n",
    );
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.dump());
    let found = warnings(&check, "is not in risks.yaml");
    assert_eq!(found.len(), 1, "{}", check.dump());
    let d = found[0];
    assert_eq!((d.line, d.column), (5, 15), "{d:?}");
    assert_eq!(d.message, "risk `R-011` is not in risks.yaml");
    assert!(d.hint().contains("did you mean `R-01`?"), "{d:?}");
    site.write(
        "risks.yaml",
        "- id: R-01\n  title: A\n- id: R-01\n  title: B\n- title: No id\n  likelihood: 3\n",
    );
    let check = site.check();
    check.assert_errors(3);
    let file = site.path("risks.yaml");
    check.error_at(&file, 3, 3, &["risk `R-01` is listed twice"]);
    check.error_at(&file, 5, 3, &["missing required field `id` in risk"]);
    let d = check.error_at(&file, 6, 3, &["unknown field `likelihood` in risk"]);
    assert!(d.hint().contains("level"), "{d:?}");
}
