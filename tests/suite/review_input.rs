//! The management review input pack and `changes.json` (issue 23, items
//! 4, 5 and 8), on the demo register and on small registers made here.

use chrono::NaiveDate;
use isms_site::content::git::GitHistory;
use isms_site::model::Visibility;
use isms_site::output::sink::Out;
use isms_site::output::theme;
use isms_site::site::build;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::tools;
use tools::{BIN, fresh_tmp_dir, output_text, page_text, root_dir};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// The demo built in memory as of `as_of`, without git (the files as
/// they are).
fn demo_site(as_of: &str) -> BTreeMap<String, Vec<u8>> {
    let content = root_dir().join("content");
    let (c, mut theme) = computed(&content, as_of);
    let out = Out::memory();
    build::render_into(&c, &mut theme, &out).expect("render");
    out.into_files()
}

fn demo_register_json(as_of: &str) -> serde_json::Value {
    let content = root_dir().join("content");
    tools::changes::register_json(&computed(&content, as_of).0)
}

/// The demo loaded and computed for the internal audience as of `as_of`,
/// with the built-in theme.
fn computed(content: &Path, as_of: &str) -> (build::Computed, theme::Theme) {
    let (prepared, diags) = build::prepare_build(
        content,
        None,
        day(as_of),
        Visibility::Internal,
        GitHistory::Off,
        None,
    );
    prepared.unwrap_or_else(|| panic!("{}", diags.render_human(true)))
}

fn text(site: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    let bytes = site
        .get(path)
        .unwrap_or_else(|| panic!("{path} is not written"));
    String::from_utf8(bytes.clone()).expect("UTF-8")
}

#[test]
fn every_demo_management_review_has_a_pack_whose_changes_match_two_as_of_builds() {
    let site = demo_site("2026-12-05");
    let reviews: Vec<&str> = [
        "2025-q1", "2025-q2", "2025-q3", "2025-q4", "2026-q1", "2026-q2", "2026-q3",
    ]
    .into();
    let mut files: Vec<String> = reviews
        .iter()
        .map(|r| format!("reviews/{r}-management-review/changes.json"))
        .collect();
    files.push("review-input/changes.json".into());
    for path in &files {
        let got: serde_json::Value = serde_json::from_str(&text(&site, path)).expect("JSON");
        let (from, to) = (got["from"].as_str().unwrap(), got["to"].as_str().unwrap());
        let want =
            tools::changes::between(&demo_register_json(from), &demo_register_json(to), from, to);
        assert_eq!(got, want, "{path}");
        let page = path.replace("changes.json", "input/index.html");
        let page = page.replace("review-input/input/", "review-input/");
        let html = page_text(&text(&site, &page));
        for section in [
            "a) Status of actions from previous reviews",
            "b) Changes in the period",
            "c) Information security performance",
            "Nonconformities and corrective actions",
            "Monitoring and measurement results",
            "Audit results",
            "d) Feedback from interested parties",
            "e) Results of risk assessment",
            "f) Opportunities for continual improvement",
        ] {
            assert!(html.contains(section), "{page} lacks {section:?}");
        }
    }
    // Audits are not management reviews: they have no pack.
    assert!(!site.contains_key("reviews/2025-09-internal-audit/changes.json"));
}

/// One period rule: built on a management review's day, the dashboard's
/// period (register.json `rollups.period`) is the period that review's
/// pack covers, for the first review too (no earlier one: both start with
/// the register), and the dashboard says so in words.
#[test]
fn the_dashboard_on_a_review_day_covers_the_days_of_that_reviews_pack() {
    let site = demo_site("2026-12-05");
    for (review, date) in [
        ("2025-q1", "2025-03-31"),
        ("2025-q2", "2025-06-30"),
        ("2026-q2", "2026-06-30"),
    ] {
        let path = format!("reviews/{review}-management-review/changes.json");
        let pack: serde_json::Value = serde_json::from_str(&text(&site, &path)).unwrap();
        let period = &demo_register_json(date)["rollups"]["period"];
        assert_eq!(
            (&period["after"], &period["until"]),
            (&pack["from"], &pack["to"]),
            "{review}"
        );
    }
    let first = page_text(&text(&demo_site("2025-03-31"), "index.html"));
    assert!(
        first.contains("this period : 2024-11-04 to 2025-03-31 , since the register began"),
        "{first}"
    );
    assert!(
        first.contains("since the register began ( 2024-11-03 )"),
        "{first}"
    );
}

/// The figure: the Q2 2026 review closed a period in which CI-016
/// and CI-018 were completed, whatever the build date.
#[test]
fn the_q2_2026_pack_says_what_changed_since_q1_and_what_became_of_q1s_decisions() {
    for as_of in ["2026-06-30", "2026-12-05"] {
        let site = demo_site(as_of);
        let changes: serde_json::Value = serde_json::from_str(&text(
            &site,
            "reviews/2026-q2-management-review/changes.json",
        ))
        .unwrap();
        assert_eq!(changes["from"], "2026-03-31", "as of {as_of}");
        assert_eq!(changes["to"], "2026-06-30");
        assert_eq!(
            changes["completed"],
            serde_json::json!(["CI-016", "CI-018"])
        );
        assert_eq!(changes["cancelled"], serde_json::json!(["CI-022"]));
        let page = page_text(&text(
            &site,
            "reviews/2026-q2-management-review/input/index.html",
        ));
        // Q1 2026 decided on CI-024 (due 2026-09-30): open on 2026-06-30.
        assert!(
            page.contains(
                "Automate patching of the legacy Linux servers, as the SLA alone did not hold Open"
            ),
            "as of {as_of}: {page}"
        );
        // Q4 2025's decision on CI-022 was done by then (cancelled).
        assert!(page.contains(
            "Stop the server room biometric project if the colocation move goes ahead Done"
        ));
        let review = page_text(&text(&site, "reviews/2026-q2-management-review/index.html"));
        assert!(review.contains("Input pack Inputs from the register (9.3.2)"));
    }
}

#[test]
fn the_pack_ahead_covers_the_period_since_the_last_management_review() {
    // On a review's day, the review ahead starts on that day.
    let site = demo_site("2026-06-30");
    let ahead: serde_json::Value =
        serde_json::from_str(&text(&site, "review-input/changes.json")).unwrap();
    assert_eq!(
        (ahead["from"].as_str(), ahead["to"].as_str()),
        (Some("2026-06-30"), Some("2026-06-30"))
    );
    let site = demo_site("2026-12-05");
    let ahead: serde_json::Value =
        serde_json::from_str(&text(&site, "review-input/changes.json")).unwrap();
    assert_eq!(ahead["from"], "2026-09-30");
    let page = page_text(&text(&site, "review-input/index.html"));
    assert!(
        page.contains("Input pack for the next management review"),
        "{page}"
    );
    assert!(page.contains("since Management review Q3 2026"), "{page}");
    let reviews = page_text(&text(&site, "reviews/index.html"));
    assert!(reviews.contains("Input pack for the next management review"));
}

/// Item 8: the vulnerability management plan (the corrective actions for
/// the major finding NC-2025-03) was approved on 2025-08-04, had two of
/// its four milestones done by mid-2026 and was edited on 2026-10-26. A
/// build as of 2026-06-30 shows it, cut back to that day.
#[test]
fn a_plan_approved_before_the_as_of_date_and_edited_after_it_is_in_that_build() {
    let site = demo_site("2026-06-30");
    let page = page_text(&text(&site, "plans/vulnerability-management/index.html"));
    assert!(
        page.contains("Approved by Head of IT on 2025-08-04"),
        "{page}"
    );
    assert!(page.contains("Milestones reached 2 of 4"), "{page}");
    assert!(
        page.contains("Updated —"),
        "the later edit is not shown: {page}"
    );
    assert!(
        text(&site, "plans/index.html").contains("vulnerability-management"),
        "listed with the plans"
    );
}

/// Item 8, without an approval: the incident response plan had two
/// milestones done by 2026-01-30 and the awareness programme its Q1 and Q2
/// campaigns by 2026-06-26; both were edited in the autumn. Work recorded
/// on a plan dates it: both are in the build as of 2026-06-30, cut back.
#[test]
fn a_plan_with_milestones_done_before_the_as_of_date_and_edited_after_it_is_in_that_build() {
    let site = demo_site("2026-06-30");
    let plans = text(&site, "plans/index.html");
    for (slug, reached) in [
        ("incident-response-improvement", "Milestones reached 2 of 4"),
        ("awareness-programme-2026", "Milestones reached 2 of 5"),
    ] {
        assert!(plans.contains(slug), "{slug} not listed with the plans");
        let page = page_text(&text(&site, &format!("plans/{slug}/index.html")));
        assert!(page.contains(reached), "{slug}: {page}");
        assert!(
            page.contains("Updated —"),
            "{slug}: the later edit is shown: {page}"
        );
    }
    // Nothing done and not updated by then: not yet written.
    assert!(!demo_site("2025-12-31").contains_key("plans/awareness-programme-2026/index.html"));
}

#[test]
fn decisions_are_validated_with_their_positions() {
    let review = "---\ntitle: R\ndate: 2026-01-31\nkind: management-review\ndecisions:\n  - text: Fund it\n    entries: [CI-001, CI-999]\n    due: 2026-13-01\n  - owner: CISO\n    budget: 10\n---\nNotes.\n";
    let files = [
        ("site.yaml", "title: T\n"),
        (
            "register/CI-001.yaml",
            "title: A\nidentified: 2026-01-01\nstatus: planned\npriority: low\n",
        ),
        ("reviews/r.md", review),
    ];
    let (_, diags) = isms_site::content::load(
        &isms_site::content::InMemory::new(Path::new("content"), files),
        None,
    );
    let out = diags.render_human(true);
    for want in [
        "reviews/r.md:7:23: `entries` names `CI-999`, which is not a register id",
        "reviews/r.md:8:10: `due` is not a date",
        "reviews/r.md:9:5: missing required field `text` in decision",
        "reviews/r.md:10:5: unknown field `budget` in decision",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

/// Runs `git args…` in `dir`, dated `date`, with no user configuration.
fn git(dir: &Path, date: &str, args: &[&str]) {
    tools::git_as(dir, "A <a@example.org>", date, args);
}

/// Item 8 with git: a past-date build shows a plan's and a review's text
/// as committed on or before that day; a later build, the text as it is.
#[test]
fn a_past_date_build_reads_plans_and_reviews_as_committed_then() {
    let dir = fresh_tmp_dir("review-input-git");
    let content = dir.join("content");
    let write = |rel: &str, text: &str| {
        let p = content.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("site.yaml", "title: Git plans\n");
    write(
        "register/CI-001.yaml",
        "title: A\nidentified: 2026-01-05\nstatus: in-progress\npriority: low\ntarget: 2027-01-01\n",
    );
    let plan = |words: &str| {
        format!(
            "---\ntitle: The plan\nentries: [CI-001]\napproved: {{by: CISO, date: 2026-01-10}}\nupdated: 2026-03-01\n---\n{words}\n"
        )
    };
    let review = |words: &str| {
        format!("---\ntitle: The review\ndate: 2026-01-20\nentries: [CI-001]\n---\n{words}\n")
    };
    write("plans/p.md", &plan("Phase one wording."));
    write("reviews/r.md", &review("Minutes as first written."));
    git(&dir, "2026-01-01", &["init", "-q"]);
    git(&dir, "2026-01-20", &["add", "-A"]);
    git(&dir, "2026-01-20", &["commit", "-q", "-m", "first"]);
    write("plans/p.md", &plan("Phase two wording."));
    write("reviews/r.md", &review("Minutes as corrected."));
    git(&dir, "2026-03-01", &["add", "-A"]);
    git(&dir, "2026-03-01", &["commit", "-q", "-m", "second"]);
    let build = |as_of: &str| {
        let out = dir.join(format!("out-{as_of}"));
        let o = Command::new(BIN)
            .args(["build", "--content"])
            .arg(&content)
            .arg("--output")
            .arg(&out)
            .args(["--as-of", as_of])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", output_text(&o));
        let read = |rel: &str| page_text(&std::fs::read_to_string(out.join(rel)).unwrap());
        (read("plans/p/index.html"), read("reviews/r/index.html"))
    };
    let (plan_then, review_then) = build("2026-02-01");
    assert!(plan_then.contains("Phase one wording."), "{plan_then}");
    assert!(
        review_then.contains("Minutes as first written."),
        "{review_then}"
    );
    let (plan_now, review_now) = build("2026-04-01");
    assert!(plan_now.contains("Phase two wording."), "{plan_now}");
    assert!(review_now.contains("Minutes as corrected."), "{review_now}");
    // A review restricted since is not published through its old text.
    write(
        "reviews/r.md",
        &review("Minutes as corrected.").replace("entries:", "visibility: restricted\nentries:"),
    );
    git(&dir, "2026-03-05", &["add", "-A"]);
    git(&dir, "2026-03-05", &["commit", "-q", "-m", "restricted"]);
    let out = dir.join("out-restricted");
    let o = Command::new(BIN)
        .args(["build", "--content"])
        .arg(&content)
        .arg("--output")
        .arg(&out)
        .args(["--as-of", "2026-02-01"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output_text(&o));
    assert!(
        !out.join("reviews/r/index.html").exists(),
        "restricted now, so not published"
    );
    // Without git, the current text (as documented).
    let out = dir.join("out-nogit");
    let o = Command::new(BIN)
        .args(["build", "--no-git", "--content"])
        .arg(&content)
        .arg("--output")
        .arg(&out)
        .args(["--as-of", "2026-02-01"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output_text(&o));
    let plan = std::fs::read_to_string(out.join("plans/p/index.html")).unwrap();
    assert!(page_text(&plan).contains("Phase two wording."));
}

#[test]
fn the_pack_is_byte_identical_for_the_same_input_and_date() {
    let (a, b) = (demo_site("2026-06-30"), demo_site("2026-06-30"));
    for (path, bytes) in a
        .iter()
        .filter(|(p, _)| p.contains("input") || p.ends_with("changes.json"))
    {
        assert_eq!(Some(bytes), b.get(path), "{path}");
    }
}

/// The pack prints as one A4 document: Chromium's PDF of the demo's Q2
/// 2026 pack is on A4 paper and a few pages long, not dozens.
#[test]
#[ignore = "needs Chromium"]
fn the_pack_prints_on_a_few_a4_pages() {
    let mut missing = Vec::new();
    if !tools::runs("chromium", &["--version"]) {
        missing.push("chromium (apt-get install chromium)".to_string());
    }
    tools::require_tools("the_pack_prints_on_a_few_a4_pages", &missing);
    let dir = fresh_tmp_dir("review-input-print");
    let out = dir.join("site");
    let o = Command::new(BIN)
        .args(["build", "--no-git", "--as-of", "2026-12-05", "--content"])
        .arg(root_dir().join("content"))
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output_text(&o));
    let pdf = dir.join("pack.pdf");
    let page = out.join("reviews/2026-q2-management-review/input/index.html");
    let o = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output_text(&o));
    let bytes = std::fs::read(&pdf).expect("a PDF");
    let text = String::from_utf8_lossy(&bytes);
    // Each page object says `/Type /Page`; the page tree says `/Pages`.
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!((1..=6).contains(&pages), "{pages} pages");
    assert!(
        text.contains("/MediaBox [0 0 594"),
        "A4 pages (595 × 842 pt)"
    );
}

/// A generated register (tests/tools/registers.rs) computed as of
/// [`tools::AS_OF`], with some completed entries reopened later (and some
/// of those completed again, on a moved target): the shapes whose status
/// goes back and forth.
fn generated_with_reopened(seed: u64) -> build::Computed {
    use isms_site::compute::rollup;
    use isms_site::model::{HistoryRecord, Status, diag::Pos};
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("generated");
    tools::registers::write(&content, seed, 60);
    let (reg, diags) = isms_site::content::load(&isms_site::content::Folder::new(&content), None);
    let as_of = day(tools::AS_OF);
    let (c, diags) = build::compute_figures(reg, diags, as_of, Visibility::Internal);
    assert!(!diags.has_errors(), "{}", diags.render_human(false));
    let mut c = c.expect("computed");
    let record = |date, status, target| HistoryRecord {
        date,
        pos: Pos::START,
        status: Some(status),
        note: None,
        target,
        reason: None,
    };
    for (n, e) in c.register.entries.iter_mut().enumerate() {
        let Some(done) = e.completed.filter(|_| e.status == Status::Completed) else {
            continue;
        };
        if n % 2 == 0 {
            continue;
        }
        let reopened = done + chrono::Duration::days(3 + n as i64 % 40);
        let moved = reopened + chrono::Duration::days(20);
        e.history
            .push(record(reopened, Status::InProgress, Some(moved)));
        e.status = Status::InProgress;
        if n % 3 == 0 {
            e.history.push(record(
                moved + chrono::Duration::days(9),
                Status::Completed,
                None,
            ));
            e.status = Status::Completed;
        }
    }
    c.facts = c
        .register
        .entries
        .iter()
        .map(|e| rollup::entry_facts(e, as_of))
        .collect();
    c
}

/// Every day the register's records name, the days either side of each,
/// and days before and after everything.
fn every_day_of(reg: &isms_site::model::Register) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    for e in &reg.entries {
        days.push(e.identified);
        days.extend(e.target);
        days.extend(e.target_baseline);
        days.extend(e.completed);
        days.extend(e.effectiveness.as_ref().map(|x| x.date));
        for h in &e.history {
            days.push(h.date);
            days.extend(h.target);
        }
        for k in &e.kpis {
            days.extend(k.measurements.iter().map(|m| m.date));
        }
    }
    let first = *days.iter().min().unwrap();
    let last = *days.iter().max().unwrap();
    days.extend([
        first - chrono::Duration::days(400),
        last + chrono::Duration::days(400),
    ]);
    let one = chrono::Duration::days(1);
    let around: Vec<NaiveDate> = days.iter().flat_map(|d| [*d - one, *d + one]).collect();
    days.extend(around);
    days.sort_unstable();
    days.dedup();
    days
}

/// Issue 27 item 5: the one-pass sweeps behind the review pages and the
/// input packs give, on every day (on each dated record, between them,
/// before and after everything), exactly what the per-day definitions
/// give: the figures of a review, its bounded lists in their order, the
/// KPI results and what changed in a period.
#[test]
fn the_review_sweeps_equal_the_per_day_definitions_on_every_day() {
    use isms_site::compute::{changes, sweep};
    for seed in 1..=6u64 {
        let c = generated_with_reopened(seed);
        let (reg, facts) = (&c.register, &c.facts);
        let days = every_day_of(reg);
        // Each day with no "since", since the day before the previous
        // day, and since a day after it (nothing can be counted).
        let queries: Vec<(NaiveDate, Option<NaiveDate>)> = days
            .iter()
            .enumerate()
            .flat_map(|(n, d)| {
                let earlier = days[n.saturating_sub(7)];
                [(*d, None), (*d, Some(earlier)), (*d, Some(*d))]
            })
            .rev()
            .collect();
        for limit in [3, usize::MAX] {
            let swept = sweep::review_days(reg, facts, &queries, limit);
            for ((d, since), got) in queries.iter().zip(&swept) {
                let want = sweep::review_day(reg, facts, *d, *since, limit);
                assert_eq!(
                    got, &want,
                    "seed {seed}, {d} since {since:?}, limit {limit}"
                );
            }
            let kpis = sweep::kpi_days(reg, &days, limit);
            for (d, got) in days.iter().zip(&kpis) {
                assert_eq!(got, &sweep::kpi_day(reg, *d, limit), "seed {seed}, {d}");
            }
        }
        let index = sweep::DateIndex::new(&reg.entries, facts);
        for (n, to) in days.iter().enumerate() {
            for from in [days[n.saturating_sub(1)], days[n.saturating_sub(13)], *to] {
                assert_eq!(
                    changes::between_indexed(&reg.entries, facts, &index, from, *to),
                    changes::between_facts(&reg.entries, facts, from, *to),
                    "seed {seed}, ({from}, {to}]"
                );
            }
        }
        let overdue = swept_lists_are_not_empty(reg, facts, &days);
        assert!(overdue, "seed {seed}: no day lists an overdue entry");
    }
}

/// Whether some day lists an overdue entry and a completion (so the
/// property above compares lists, not only empty ones).
fn swept_lists_are_not_empty(
    reg: &isms_site::model::Register,
    facts: &[isms_site::compute::rollup::EntryFacts],
    days: &[NaiveDate],
) -> bool {
    let q: Vec<_> = days.iter().map(|d| (*d, None)).collect();
    let all = isms_site::compute::sweep::review_days(reg, facts, &q, 10);
    all.iter().any(|r| r.overdue_count > 0) && all.iter().any(|r| r.completed_since_count > 0)
}
