//! Due-date calendars: `calendar.ics` and `owners/<slug>/calendar.ics`,
//! read back with a real iCalendar parser (the `icalendar` crate) and
//! checked event by event against the content that made them.

use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const AS_OF: &str = "2026-03-15";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn entry(title: &str, status: &str, owner: Option<&str>, target: Option<&str>) -> String {
    let mut s =
        format!("title: {title:?}\nidentified: 2025-06-01\nstatus: {status}\npriority: high\n");
    if let Some(o) = owner {
        s.push_str(&format!("owner: {o}\n"));
    }
    if let Some(t) = target {
        s.push_str(&format!("target: {t}\n"));
    }
    if status == "completed" {
        s.push_str("completed: 2026-01-10\n");
    }
    s
}

/// Title with every character RFC 5545 escapes, and enough non-ASCII text
/// to be folded across lines.
const TRICKY: &str = "Backup; restore, verify \\ repeat — ünïcödé ünïcödé ünïcödé ünïcödé ünïcödé";

/// A register with open, closed and undated entries, two owners and the
/// unassigned, and a plan with open, done and undated milestones.
fn fixture(dir: &Path, base_url: Option<&str>) -> PathBuf {
    let c = dir.join("content");
    let mut site = "title: Calendar test, Ltd\n".to_string();
    if let Some(u) = base_url {
        site.push_str(&format!("base_url: {u}\n"));
    }
    write(&c, "site.yaml", &site);
    let reg = [
        (
            "CI-001",
            entry(
                "Patch servers",
                "in-progress",
                Some("Alice Ops"),
                Some("2026-04-01"),
            ),
        ),
        (
            "CI-002",
            entry(TRICKY, "planned", Some("Alice Ops"), Some("2026-02-01")),
        ),
        (
            "CI-003",
            entry("No target", "not-started", Some("Alice Ops"), None),
        ),
        (
            "CI-004",
            entry(
                "Done already",
                "completed",
                Some("Bob Sec"),
                Some("2026-01-20"),
            ),
        ),
        (
            "CI-005",
            entry(
                "Cancelled",
                "cancelled",
                Some("Bob Sec"),
                Some("2026-05-01"),
            ),
        ),
        (
            "CI-006",
            entry("Nobody's", "planned", None, Some("2026-06-30")),
        ),
        (
            "CI-007",
            entry(
                "Bob's open",
                "in-progress",
                Some("Bob Sec"),
                Some("2026-07-01"),
            ),
        ),
    ];
    for (id, text) in &reg {
        write(&c, &format!("register/{id}.yaml"), text);
    }
    write(
        &c,
        "plans/hardening.md",
        "---\ntitle: Hardening\nentries: [CI-001, CI-002]\nowner: Alice Ops\nmilestones:\n  - title: Inventory\n    due: 2026-03-01\n    done: 2026-02-27\n  - title: Roll out\n    due: 2026-04-15\n  - title: Someday\n---\nBody\n",
    );
    write(
        &c,
        "plans/bob.md",
        "---\ntitle: Bob's plan\nentries: [CI-007]\nowner: Head of IT\nmilestones:\n  - title: Pilot, phase 1\n    due: 2026-05-05\n---\nBody\n",
    );
    c
}

fn build(content: &Path, out: &Path) {
    build_as_of(content, out, AS_OF)
}

fn build_as_of(content: &Path, out: &Path, as_of: &str) {
    let o = Command::new(env!("CARGO_BIN_EXE_isms-site"))
        .args(["build", "--as-of", as_of, "--content"])
        .arg(content)
        .arg("--output")
        .arg(out)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The raw file obeys RFC 5545's line rules; returns it parsed.
fn parse(path: &Path) -> Calendar {
    let raw = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(raw.ends_with("\r\n"), "no CRLF at end");
    for line in raw.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    assert!(raw.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(raw.contains("\r\nCALSCALE:GREGORIAN\r\n"));
    raw.parse::<Calendar>()
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()))
}

/// Summary → (start date, UID, description, URL) of every event.
fn events(cal: &Calendar) -> BTreeMap<String, (String, String, String, Option<String>)> {
    let mut out = BTreeMap::new();
    for c in &cal.components {
        let CalendarComponent::Event(e) = c else {
            panic!("unexpected component {c:?}");
        };
        let start = match e.get_start() {
            Some(DatePerhapsTime::Date(d)) => d.to_string(),
            other => panic!("not an all-day event: {other:?}"),
        };
        assert_eq!(e.property_value("DTSTAMP"), Some("20260315T000000Z"));
        let prev = out.insert(
            e.get_summary().unwrap().to_string(),
            (
                start,
                e.get_uid().unwrap().to_string(),
                e.get_description().unwrap().to_string(),
                e.get_url().map(str::to_string),
            ),
        );
        assert!(prev.is_none(), "duplicate summary");
    }
    out
}

fn summaries(cal: &Calendar) -> Vec<String> {
    events(cal).into_keys().collect()
}

#[test]
fn register_calendar_has_one_event_per_open_target_and_open_milestone() {
    let tmp = tempfile::tempdir().unwrap();
    let content = fixture(tmp.path(), None);
    let out = tmp.path().join("output");
    build(&content, &out);
    let cal = parse(&out.join("calendar.ics"));
    let ev = events(&cal);
    let tricky = format!("CI-002 due: {TRICKY}");
    let mut expected = vec![
        "CI-001 due: Patch servers".to_string(),
        tricky.clone(),
        "CI-006 due: Nobody's".to_string(),
        "CI-007 due: Bob's open".to_string(),
        "CI-004 effectiveness review due: Done already".to_string(),
        "Milestone due: Roll out (Hardening)".to_string(),
        "Milestone due: Pilot, phase 1 (Bob's plan)".to_string(),
    ];
    expected.sort();
    assert_eq!(summaries(&cal), expected);
    // Overdue open work stays in the calendar; dates are the content's.
    assert_eq!(ev[&tricky].0, "2026-02-01");
    assert_eq!(ev["Milestone due: Roll out (Hardening)"].0, "2026-04-15");
    // Stable, unique ids with a host-like suffix.
    assert_eq!(
        ev["CI-001 due: Patch servers"].1,
        "entry-ci-001-target@calendar-test-ltd.isms-site"
    );
    assert_eq!(
        ev["Milestone due: Roll out (Hardening)"].1,
        "milestone-hardening-roll-out@calendar-test-ltd.isms-site"
    );
    // Without base_url: no URL and no relative link in the text.
    for (summary, (_, _, description, url)) in &ev {
        assert!(url.is_none(), "{summary}: {url:?}");
        assert!(!description.contains("index.html"), "{description}");
    }
    assert!(ev[&tricky].2.contains("Owner: Alice Ops."));
}

#[test]
fn owners_get_their_own_calendars_linked_from_their_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let content = fixture(tmp.path(), None);
    let out = tmp.path().join("output");
    build(&content, &out);
    let alice = parse(&out.join("owners/alice-ops/calendar.ics"));
    assert_eq!(
        summaries(&alice),
        vec![
            "CI-001 due: Patch servers".to_string(),
            format!("CI-002 due: {TRICKY}"),
            "Milestone due: Roll out (Hardening)".to_string(),
        ]
    );
    // Bob's plan belongs to "Head of IT", who owns no entry and so has no
    // page: its milestone goes to the owner of the plan's entry.
    let bob = parse(&out.join("owners/bob-sec/calendar.ics"));
    assert_eq!(
        summaries(&bob),
        vec![
            "CI-004 effectiveness review due: Done already".to_string(),
            "CI-007 due: Bob's open".to_string(),
            "Milestone due: Pilot, phase 1 (Bob's plan)".to_string(),
        ]
    );
    let nobody = parse(&out.join("owners/unassigned/calendar.ics"));
    assert_eq!(summaries(&nobody), vec!["CI-006 due: Nobody's".to_string()]);
    let page = fs::read_to_string(out.join("owners/alice-ops/index.html")).unwrap();
    assert!(
        page.contains("href=\"calendar.ics\""),
        "no calendar link on the owner page"
    );
    let tags = fs::read_to_string(out.join("status/planned/index.html")).unwrap();
    assert!(
        !tags.contains("calendar.ics"),
        "calendar link on a non-owner page"
    );
    let dash = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        dash.contains("href=\"calendar.ics\""),
        "no calendar link on the dashboard"
    );
}

#[test]
fn with_base_url_events_link_to_absolute_pages_and_pages_offer_webcal() {
    let tmp = tempfile::tempdir().unwrap();
    let content = fixture(tmp.path(), Some("https://isms.example.org/register/"));
    let out = tmp.path().join("output");
    build(&content, &out);
    let ev = events(&parse(&out.join("calendar.ics")));
    let (_, uid, description, url) = &ev["CI-001 due: Patch servers"];
    assert_eq!(uid, "entry-ci-001-target@isms.example.org");
    let page = "https://isms.example.org/register/register/CI-001/index.html";
    assert_eq!(url.as_deref(), Some(page));
    assert!(description.ends_with(page), "{description}");
    let (_, _, _, url) = &ev["Milestone due: Roll out (Hardening)"];
    assert_eq!(
        url.as_deref(),
        Some("https://isms.example.org/register/plans/hardening/index.html")
    );
    let dash = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(dash.contains("href=\"webcal://isms.example.org/register/calendar.ics\""));
    let owner = fs::read_to_string(out.join("owners/bob-sec/index.html")).unwrap();
    assert!(
        owner.contains("href=\"webcal://isms.example.org/register/owners/bob-sec/calendar.ics\"")
    );
}

#[test]
fn calendars_are_byte_identical_across_builds_and_change_only_their_stamp_with_as_of() {
    let tmp = tempfile::tempdir().unwrap();
    let content = fixture(tmp.path(), None);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&content, &a);
    build(&content, &b);
    for rel in ["calendar.ics", "owners/alice-ops/calendar.ics"] {
        assert_eq!(
            fs::read(a.join(rel)).unwrap(),
            fs::read(b.join(rel)).unwrap(),
            "{rel}"
        );
    }
    // A later as-of date: the same events, a new DTSTAMP (never the clock).
    let c = tmp.path().join("c");
    build_as_of(&content, &c, "2026-03-16");
    let (old, new) = (
        fs::read_to_string(a.join("calendar.ics")).unwrap(),
        fs::read_to_string(c.join("calendar.ics")).unwrap(),
    );
    assert_ne!(old, new);
    assert_eq!(
        old.replace("DTSTAMP:20260315T000000Z", "DTSTAMP:20260316T000000Z"),
        new
    );
}

/// A completed action without an effectiveness review falls due for one
/// `effectiveness_review_days` after completion (90 by default): one event
/// per such action, in the register's and the owner's calendar, named by
/// the entry id and "effectiveness review"; reviewed actions have none.
#[test]
fn completed_actions_without_a_review_have_an_effectiveness_review_event() {
    let tmp = tempfile::tempdir().unwrap();
    let content = fixture(tmp.path(), None);
    write(
        &content,
        "register/CI-008.yaml",
        "title: Reviewed\nidentified: 2025-06-01\nstatus: completed\npriority: low\nowner: Bob Sec\ncompleted: 2026-01-10\neffectiveness: {date: 2026-02-01, result: effective}\n",
    );
    let out = tmp.path().join("output");
    build(&content, &out);
    let ev = events(&parse(&out.join("calendar.ics")));
    let due: Vec<(&String, &String)> = ev
        .iter()
        .filter(|(s, _)| s.contains("effectiveness review"))
        .map(|(s, (date, ..))| (s, date))
        .collect();
    assert_eq!(
        due,
        vec![(
            &"CI-004 effectiveness review due: Done already".to_string(),
            &"2026-04-10".to_string()
        )]
    );
    let (_, uid, description, _) = &ev["CI-004 effectiveness review due: Done already"];
    assert_eq!(
        uid,
        "entry-ci-004-effectiveness@calendar-test-ltd.isms-site"
    );
    assert!(
        description.contains("completed on 2026-01-10"),
        "{description}"
    );
    let bob = summaries(&parse(&out.join("owners/bob-sec/calendar.ics")));
    assert!(bob.contains(&"CI-004 effectiveness review due: Done already".to_string()));
    // The owner's page lists it too.
    let page = fs::read_to_string(out.join("owners/bob-sec/index.html")).unwrap();
    let section = page
        .split("Effectiveness reviews due")
        .nth(1)
        .expect("owner page lists it");
    assert!(section.contains("CI-004"), "{section}");
    assert!(
        !section
            .split("</section>")
            .next()
            .unwrap()
            .contains("CI-008")
    );
}
