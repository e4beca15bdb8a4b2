//! `isms-site import`: spreadsheets in, YAML entries out, read back with
//! the project's own loader.

use isms_site::content;
use isms_site::model::Enumerated;
use isms_site::model::{Entry, Register};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");

fn root_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn isms(args: &[&str], paths: &[&Path]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args).env_remove("SOURCE_DATE_EPOCH");
    for p in paths {
        c.arg(p);
    }
    c.output().expect("run isms-site")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `isms-site import FILE --content DIR [extra...]`.
fn import(file: &Path, content: &Path, extra: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.arg("import")
        .arg(file)
        .arg("--content")
        .arg(content)
        .args(extra);
    c.output().expect("run isms-site import")
}

/// The command's messages include `needle`.
fn says(err: &str, needle: impl AsRef<str>) {
    assert!(
        err.contains(needle.as_ref()),
        "expected {:?} in:\n{err}",
        needle.as_ref()
    );
}

fn load(content_dir: &Path) -> Register {
    let (reg, diags) = content::load(content_dir);
    reg.unwrap_or_else(|| panic!("does not load:\n{}", diags.render_human(false)))
}

fn entry<'a>(reg: &'a Register, id: &str) -> &'a Entry {
    let i = reg
        .entry_index(id)
        .unwrap_or_else(|| panic!("no entry {id}"));
    &reg.entries[i]
}

/// A content folder with a `site.yaml` and no register yet.
fn empty_content(dir: &Path) -> PathBuf {
    let c = dir.join("content");
    fs::create_dir_all(&c).unwrap();
    fs::write(c.join("site.yaml"), "title: Imported register\n").unwrap();
    c
}

fn register_files(content: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(content.join("register"))
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn check_passes(content: &Path) {
    let o = isms(&["check", "--as-of", "2026-11-27", "--content"], &[content]);
    assert!(o.status.success(), "check failed:\n{}", stderr(&o));
    assert!(stderr(&o).contains("0 errors"), "{}", stderr(&o));
}

#[test]
fn importing_the_published_csv_gives_back_the_demo_register() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(BIN)
        .args(["build", "--as-of", "2026-11-27", "--content"])
        .arg(root_dir().join("content"))
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));

    let content = tmp.path().join("content");
    fs::create_dir_all(&content).unwrap();
    fs::copy(
        root_dir().join("content/site.yaml"),
        content.join("site.yaml"),
    )
    .unwrap();
    let o = import(&out.join("register.csv"), &content, &[]);
    assert!(o.status.success(), "import failed:\n{}", stderr(&o));
    assert!(stderr(&o).contains("imported 32 entries"), "{}", stderr(&o));
    check_passes(&content);

    let demo = load(&root_dir().join("content"));
    let back = load(&content);
    let ids = |r: &Register| r.entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&back), ids(&demo));
    let trimmed = |s: &Option<String>| s.as_deref().map(str::trim_end).map(str::to_string);
    for (a, b) in demo.entries.iter().zip(&back.entries) {
        let who = &a.id;
        assert_eq!(a.title, b.title, "{who}");
        assert_eq!(a.status, b.status, "{who}");
        assert_eq!(a.priority, b.priority, "{who}");
        assert_eq!(a.owner, b.owner, "{who}");
        assert_eq!(a.identified, b.identified, "{who}");
        assert_eq!(a.target, b.target, "{who}");
        assert_eq!(a.completed, b.completed, "{who}");
        assert_eq!(trimmed(&a.description), trimmed(&b.description), "{who}");
        assert_eq!(trimmed(&a.outcome), trimmed(&b.outcome), "{who}");
        assert_eq!(a.entry_type, b.entry_type, "{who}");
        assert_eq!(a.source, b.source, "{who}");
        assert_eq!(a.benefit, b.benefit, "{who}");
        assert_eq!(a.effort, b.effort, "{who}");
        assert_eq!(a.controls, b.controls, "{who}");
        assert_eq!(a.tags, b.tags, "{who}");
        // The clause 10.2 chain comes back too.
        let nc = |e: &isms_site::model::Entry| {
            e.nonconformity.as_ref().map(|n| {
                (
                    n.reference.clone(),
                    n.severity,
                    n.requirement.clone(),
                    n.raised,
                    n.by.clone(),
                    trimmed(&n.statement),
                )
            })
        };
        assert_eq!(nc(a), nc(b), "{who}");
        assert_eq!(trimmed(&a.correction), trimmed(&b.correction), "{who}");
        assert_eq!(trimmed(&a.root_cause), trimmed(&b.root_cause), "{who}");
        let ids =
            |r: &[isms_site::model::IdRef]| r.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a.follows_up), ids(&b.follows_up), "{who}");
        assert_eq!(ids(&a.related), ids(&b.related), "{who}");
    }
    assert!(
        demo.entries
            .iter()
            .any(|e| e.nonconformity.is_some() && !e.follows_up.is_empty()),
        "the demo has a nonconformity with a follow-up to round-trip"
    );
}

/// The classic spreadsheet register, with a title block above the header,
/// day-first dates, template placeholders and a few broken rows.
const CLASSIC: &str = "\
Continual Improvement Register,,,,,,,,,,
Date of Creation:,10/01/2025,,,,,,,,,
,,,,,,,,,,
#,Improvement Opportunity,Description,Identification Date,Status,Priority,Action Owner,Target Completion Date,Results/Outcomes,Completion Date,Department
1,Review access control,\"Line one\r\nLine two\",04/11/2024,Completed,High,Head of IT,31/05/2025,Done well,20/06/2025,IT
2,no,123,15/01/2025,In Progress,Medium,[Insert Name],[Insert Date],,,
CI-010,- x,a: b,20/02/2025,Not Started,Low,,,,,HR
4,Closed without a date,,01/03/2025,Done,H,,,,,
5,Bad priority,,01/03/2025,Open,Urgent,,,,,
6,,,,Planned,Low,,,,,
";

#[test]
fn every_bad_cell_is_reported_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let content = empty_content(tmp.path());
    let csv = tmp.path().join("register.csv");
    fs::write(&csv, CLASSIC).unwrap();
    let o = import(&csv, &content, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let at = |pos: &str| format!("{}:{pos}: ", csv.display());
    // Day/month order not given: each such date, with the reading it allows.
    says(
        &err,
        format!("{}`04/11/2024` is not a YYYY-MM-DD date", at("5:4")),
    );
    says(&err, "it can only be day-first: pass --date-format dmy");
    says(&err, at("5:8"));
    says(&err, format!("{}`Urgent` is not a priority", at("9:6")));
    says(&err, "hint: allowed values: high, medium, low");
    says(
        &err,
        format!(
            "{}Improvement Opportunity is empty, and `title` is required",
            at("10:2")
        ),
    );
    says(&err, at("10:4"));
    says(
        &err,
        format!("{}warning: placeholder `[Insert Date]`", at("6:8")),
    );
    says(&err, "import failed; nothing was written");
    assert!(register_files(&content).is_empty(), "nothing written");
    let leftovers: Vec<_> = fs::read_dir(&content)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("site.yaml")],
        "no staging left behind"
    );
}

#[test]
fn classic_register_imports_with_day_first_dates_and_skipped_bad_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let content = empty_content(tmp.path());
    let csv = tmp.path().join("register.csv");
    fs::write(&csv, CLASSIC).unwrap();
    let o = import(&csv, &content, &["--date-format", "dmy", "--skip-bad-rows"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    says(&err, "imported 3 entries");
    says(&err, "3 rows skipped");
    let at = |pos: &str| format!("{}:{pos}: warning: ", csv.display());
    says(
        &err,
        format!(
            "{}status is completed but the row has no completion date (row skipped)",
            at("8:5")
        ),
    );
    says(&err, at("9:6"));
    says(
        &err,
        format!("{}column `Department` is not a register field", at("4:11")),
    );
    assert_eq!(
        register_files(&content),
        ["CI-001.yaml", "CI-002.yaml", "CI-010.yaml"]
    );
    check_passes(&content);

    let reg = load(&content);
    let e1 = entry(&reg, "CI-001");
    assert_eq!(e1.title, "Review access control");
    assert_eq!(e1.description.as_deref(), Some("Line one\nLine two"));
    assert_eq!(e1.identified.to_string(), "2024-11-04");
    assert_eq!(e1.target.unwrap().to_string(), "2025-05-31");
    assert_eq!(e1.completed.unwrap().to_string(), "2025-06-20");
    assert_eq!(e1.status.slug(), "completed");
    assert_eq!(e1.owner.as_deref(), Some("Head of IT"));
    assert_eq!(e1.outcome.as_deref(), Some("Done well"));
    assert_eq!(e1.extra["Department"].to_string(), "IT");
    // Words YAML would retype come back as the text they were.
    let e2 = entry(&reg, "CI-002");
    assert_eq!(e2.title, "no");
    assert_eq!(e2.description.as_deref(), Some("123"));
    assert_eq!(e2.owner, None, "placeholder read as missing");
    assert_eq!(e2.target, None, "placeholder read as missing");
    let e10 = entry(&reg, "CI-010");
    assert_eq!(e10.title, "- x");
    assert_eq!(e10.description.as_deref(), Some("a: b"));

    // Importing again does not overwrite; --force replaces the files.
    let o = import(&csv, &content, &["--date-format", "dmy", "--skip-bad-rows"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no row could be imported"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("hint: pass --force to replace it"),
        "{}",
        stderr(&o)
    );
    let o = import(&csv, &content, &["--date-format", "dmy"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("CI-001.yaml already exists"),
        "{}",
        stderr(&o)
    );
    fs::write(
        content.join("register/CI-002.yaml"),
        "title: edited\nidentified: 2025-01-01\nstatus: planned\npriority: low\n",
    )
    .unwrap();
    let o = import(
        &csv,
        &content,
        &["--date-format", "dmy", "--skip-bad-rows", "--force"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(entry(&load(&content), "CI-002").title, "no");
}

#[test]
fn an_id_held_by_another_file_is_refused_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let content = empty_content(tmp.path());
    fs::create_dir_all(content.join("register")).unwrap();
    let list = "- id: CI-001\n  title: a\n  identified: 2025-01-01\n  status: planned\n  priority: low\n- id: CI-009\n  title: b\n  identified: 2025-01-01\n  status: planned\n  priority: low\n";
    fs::write(content.join("register/batch.yaml"), list).unwrap();
    let csv = tmp.path().join("r.csv");
    fs::write(
        &csv,
        "#,Title,Identified,Status,Priority\nci-001,x,2025-02-01,planned,low\n",
    )
    .unwrap();
    let o = import(&csv, &content, &["--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(":2:1: id `ci-001` is already used in"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read_to_string(content.join("register/batch.yaml")).unwrap(),
        list
    );
    assert_eq!(register_files(&content), ["batch.yaml"]);
}

#[test]
fn adversarial_text_comes_back_exactly() {
    let titles = [
        "no",
        "Yes",
        "~",
        "null",
        "123",
        "1e3",
        ".inf",
        "0x10",
        "2026-01-01",
        "10.1",
        "- x",
        "a: b",
        "#x",
        "x #y",
        "@x",
        "'quoted'",
        "\"dq\"",
        "[a, b]",
        "{a: b}",
        "*ref",
        "&a",
        "!tag",
        "%x",
        "|",
        ">",
        "ünïcödé — “curly” 日本語 😀",
        "ends with colon:",
        "tab\tinside",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let content = empty_content(tmp.path());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "#",
        "Improvement Opportunity",
        "Description",
        "Identification Date",
        "Status",
        "Priority",
        "Notes",
    ])
    .unwrap();
    for (i, t) in titles.iter().enumerate() {
        let description = format!("  {t}\n\n- {t}\n  {t}   \n```\n{t}\n```");
        let n = (i + 1).to_string();
        w.write_record([
            n.as_str(),
            t,
            &description,
            "2025-01-01",
            "planned",
            "low",
            t,
        ])
        .unwrap();
    }
    // Trailing spaces around a title are a spreadsheet accident, trimmed.
    w.write_record([
        "99",
        "  spaced title   ",
        "",
        "2025-01-01",
        "planned",
        "low",
        "",
    ])
    .unwrap();
    let csv_path = tmp.path().join("hostile.csv");
    fs::write(&csv_path, w.into_inner().unwrap()).unwrap();
    let o = import(&csv_path, &content, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    check_passes(&content);
    let reg = load(&content);
    for (i, t) in titles.iter().enumerate() {
        let e = entry(&reg, &format!("CI-{:03}", i + 1));
        assert_eq!(e.title, *t);
        assert_eq!(
            e.description.as_deref(),
            Some(format!("  {t}\n\n- {t}\n  {t}   \n```\n{t}\n```").as_str())
        );
        assert_eq!(e.extra["Notes"].to_string(), *t);
    }
    assert_eq!(entry(&reg, "CI-099").title, "spaced title");
}

#[test]
fn map_overrides_and_semicolon_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let content = empty_content(tmp.path());
    let csv = tmp.path().join("r.csv");
    fs::write(
        &csv,
        "\u{feff}Ref;Finding;Raised;State;Risk rating;Who;Old notes\nNC-7;Firewall review;2025-03-01;WIP;M;Ops;x\n",
    )
    .unwrap();
    let o = import(
        &csv,
        &content,
        &[
            "--map",
            "Risk rating=priority",
            "--map",
            "Who=owner",
            "--map",
            "old notes=ignore",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let reg = load(&content);
    let e = entry(&reg, "NC-7");
    assert_eq!(e.title, "Firewall review");
    assert_eq!(e.status.slug(), "in-progress");
    assert_eq!(e.priority.slug(), "medium");
    assert_eq!(e.owner.as_deref(), Some("Ops"));
    assert!(e.extra.is_empty());

    let o = import(&csv, &content, &["--map", "Risk rating=prio"]);
    assert_eq!(o.status.code(), Some(2), "a bad --map is a usage error");
    assert!(
        stderr(&o).contains("unknown field `prio`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_sheet_without_a_required_column_is_refused_at_the_header() {
    let tmp = tempfile::tempdir().unwrap();
    let content = empty_content(tmp.path());
    let csv = tmp.path().join("r.csv");
    fs::write(&csv, "Title,Status,Owner\nx,planned,me\n").unwrap();
    let o = import(&csv, &content, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    says(&err, ":1:1: no column gives `identified`");
    says(&err, ":1:1: no column gives `priority`");
}

/// A workbook as people make them: a title block, the table starting in
/// column B, a date-formatted cell, a bare serial number and a placeholder.
fn write_workbook(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let intro = book.add_worksheet();
    intro.set_name("Intro").unwrap();
    intro
        .write_string(0, 0, "How to use this register")
        .unwrap();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    // The classic register's columns, as register.csv starts.
    let headers = &isms_site::output::export::CSV_HEADERS[..9];
    for (name, broken) in [("Register", false), ("Broken", true)] {
        let s = book.add_worksheet();
        s.set_name(name).unwrap();
        s.write_string(1, 1, "Continual Improvement Register")
            .unwrap();
        for (i, h) in headers.iter().enumerate() {
            s.write_string(3, 1 + i as u16, *h).unwrap();
        }
        s.write_number(4, 1, 1).unwrap();
        s.write_string(4, 2, "Patch servers monthly").unwrap();
        s.write_string(4, 3, "Line one\nLine two").unwrap();
        if broken {
            s.write_string(4, 4, "[Insert Date]").unwrap();
        } else {
            let d = ExcelDateTime::from_ymd(2025, 1, 15).unwrap();
            s.write_datetime_with_format(4, 4, &d, &date_format)
                .unwrap();
        }
        s.write_string(4, 5, "Planned").unwrap();
        s.write_string(4, 6, "Low").unwrap();
        s.write_string(4, 7, "IT Operations").unwrap();
        s.write_number(4, 8, 45838).unwrap(); // a serial without date format
        s.write_number(5, 1, 2).unwrap();
        s.write_string(5, 2, "Train staff").unwrap();
        s.write_string(5, 4, "2025-02-01").unwrap();
        s.write_string(5, 5, "In progress").unwrap();
        s.write_string(5, 6, "High").unwrap();
        s.write_string(5, 8, "[Insert Date]").unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn xlsx_with_title_block_serial_dates_and_placeholders() {
    let tmp = tempfile::tempdir().unwrap();
    let content = empty_content(tmp.path());
    let book = tmp.path().join("register.xlsx");
    write_workbook(&book);

    let o = import(&book, &content, &["--sheet", "Register"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    says(
        &err,
        format!(
            "{}:6:9: warning: placeholder `[Insert Date]`",
            book.display()
        ),
    );
    check_passes(&content);
    let reg = load(&content);
    let e1 = entry(&reg, "CI-001");
    assert_eq!(e1.title, "Patch servers monthly");
    assert_eq!(e1.description.as_deref(), Some("Line one\nLine two"));
    assert_eq!(
        e1.identified.to_string(),
        "2025-01-15",
        "date-formatted cell"
    );
    assert_eq!(
        e1.target.unwrap().to_string(),
        "2025-06-30",
        "Excel serial 45838"
    );
    assert_eq!(e1.owner.as_deref(), Some("IT Operations"));
    let e2 = entry(&reg, "CI-002");
    assert_eq!(e2.status.slug(), "in-progress");
    assert_eq!(e2.target, None);

    // The same table with a placeholder where a required date belongs:
    // reported at the cell as the spreadsheet numbers it (row 5, column E).
    let other = empty_content(&tmp.path().join("b"));
    let o = import(&book, &other, &["--sheet", "Broken"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    says(
        &err,
        format!(
            "{}:5:5: warning: placeholder `[Insert Date]`",
            book.display()
        ),
    );
    says(
        &err,
        format!(
            "{}:5:5: Identification Date is empty, and `identified` is required",
            book.display()
        ),
    );
    assert!(register_files(&other).is_empty());

    // The first sheet has no register; a wrong sheet name lists the sheets.
    let o = import(&book, &other, &[]);
    assert!(stderr(&o).contains("no header row"), "{}", stderr(&o));
    let o = import(&book, &other, &["--sheet", "Nope"]);
    assert!(
        stderr(&o).contains("sheets in this workbook: Intro, Register, Broken"),
        "{}",
        stderr(&o)
    );
}
