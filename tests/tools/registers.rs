//! Small generated registers for round-trip property tests: each seed
//! gives a deterministic content folder whose entries use the optional
//! fields in their many shapes (history with status changes, target moves
//! and reasons; effectiveness with by and note; nonconformities; KPIs with
//! measurements; evidence and web links; `follows_up`, `related`; extra
//! columns whose text YAML would retype; multi-line Markdown; entries
//! sharing a file), all valid as of [`super::AS_OF`].

use chrono::{Duration, NaiveDate};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::rng::Rng;

/// Text with YAML's and Markdown's sharp edges, each written double-quoted
/// (with the escapes it needs) or as a literal block.
const TEXTS: &[&str] = &[
    "Plain words",
    "Review: access #2",
    "yes",
    "1.10",
    "2026-01-02",
    "- not a list",
    "Ünïcödé — “quotes” and 日本語",
    "a 'single' and a \"double\" quote",
    "back\\slash and tab\there",
    "<b>not markup</b> & co",
];

const MARKDOWN: &[&str] = &[
    "One paragraph.",
    "First line\nsecond line\n",
    "A list:\n\n- one\n- two with `code`\n",
    "**Bold**, *emphasis* and [a link](https://example.com/a?b=1#c).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "  indented first line\nthen not\n\n",
];

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn block(out: &mut String, indent: usize, key: &str, text: &str) {
    let pad = " ".repeat(indent);
    if !text.contains('\n') {
        let _ = writeln!(out, "{pad}{key}: {}", quoted(text));
        return;
    }
    let body = text.trim_end_matches('\n');
    let chomp = match text.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let indicator = if body.starts_with(' ') { "2" } else { "" };
    let _ = writeln!(out, "{pad}{key}: |{indicator}{chomp}");
    for line in body.split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}  {line}");
        }
    }
    for _ in 1..(text.len() - body.len()) {
        out.push('\n');
    }
}

const STATUSES: &[&str] = &[
    "not-started",
    "planned",
    "in-progress",
    "completed",
    "cancelled",
];

/// One entry's YAML (without `id` when it is alone in its file).
fn entry(r: &mut Rng, i: usize, start: NaiveDate, as_of: NaiveDate) -> String {
    let mut y = String::new();
    let identified = start + r.days(0, 400);
    let _ = writeln!(y, "title: {}", quoted(r.pick(TEXTS)));
    if r.chance(70) {
        block(&mut y, 0, "description", r.pick(MARKDOWN));
    }
    if r.chance(60) {
        let _ = writeln!(
            y,
            "source: {}",
            r.pick(&["internal-audit", "incident", "feedback", "other"])
        );
    }
    if r.chance(50) {
        let _ = writeln!(
            y,
            "type: {}",
            r.pick(&["improvement", "corrective-action", "preventive-action"])
        );
    }
    let _ = writeln!(y, "identified: {identified}");
    let status = r.pick(STATUSES);
    let _ = writeln!(y, "status: {status}");
    let _ = writeln!(y, "priority: {}", r.pick(&["low", "medium", "high"]));
    if r.chance(80) {
        let _ = writeln!(y, "owner: {}", quoted(r.pick(TEXTS)));
    }
    let first_target = r.chance(80).then(|| identified + r.days(20, 200));
    if let Some(t) = first_target {
        let _ = writeln!(y, "target: {t}");
    }
    // The day it was completed: at most as-of, after identification.
    let done = (status == "completed").then(|| (identified + r.days(5, 300)).min(as_of));
    let undated = done.is_some() && r.chance(10);
    let by_history = done.is_some() && !undated && r.chance(40);
    if let Some(d) = done.filter(|_| !by_history) {
        if undated {
            y.push_str("completed: unknown\n");
        } else {
            let _ = writeln!(y, "completed: {d}");
        }
    }
    if r.chance(50) {
        block(&mut y, 0, "outcome", r.pick(MARKDOWN));
    }
    if r.chance(50) {
        let _ = writeln!(y, "benefit: {}", r.pick(&["low", "medium", "high"]));
        let _ = writeln!(y, "effort: {}", r.pick(&["low", "medium", "high"]));
    }
    if r.chance(40) {
        block(&mut y, 0, "resources", r.pick(MARKDOWN));
    }
    if r.chance(50) {
        let _ = writeln!(y, "controls: [A.5.15, \"10.2\"]");
    }
    if r.chance(50) {
        let _ = writeln!(
            y,
            "tags: [{}, \"yes\"]",
            r.pick(&["access", "cloud", "people"])
        );
    }
    if r.chance(30) {
        block(&mut y, 0, "lessons", r.pick(MARKDOWN));
    }
    if r.chance(30) {
        block(&mut y, 0, "root_cause", r.pick(MARKDOWN));
        block(&mut y, 0, "correction", r.pick(MARKDOWN));
    }
    if i > 1 && r.chance(30) {
        let _ = writeln!(y, "follows_up: [CI-{:03}]", 1 + r.below(i as u64 - 1));
    }
    if i > 1 && r.chance(30) {
        let _ = writeln!(y, "related: [CI-{:03}]", 1 + r.below(i as u64 - 1));
    }
    if r.chance(35) {
        y.push_str("nonconformity:\n");
        let _ = writeln!(y, "  ref: {}", quoted(&format!("NC-{i}")));
        let _ = writeln!(
            y,
            "  severity: {}",
            r.pick(&["major", "minor", "observation"])
        );
        if r.chance(60) {
            y.push_str("  requirement: A.8.8\n");
        }
        let _ = writeln!(y, "  raised: {identified}");
        if r.chance(60) {
            let _ = writeln!(y, "  by: {}", quoted(r.pick(TEXTS)));
        }
        if r.chance(60) {
            block(&mut y, 2, "statement", r.pick(MARKDOWN));
        }
    }
    if let Some(d) = done.filter(|_| !undated && r.chance(60)) {
        y.push_str("effectiveness:\n");
        let _ = writeln!(y, "  date: {}", (d + r.days(0, 60)).min(as_of));
        let _ = writeln!(
            y,
            "  result: {}",
            r.pick(&["effective", "partially-effective", "not-effective"])
        );
        if r.chance(60) {
            let _ = writeln!(y, "  by: {}", quoted(r.pick(TEXTS)));
        }
        if r.chance(60) {
            block(&mut y, 2, "note", r.pick(MARKDOWN));
        }
    }
    history(
        &mut y,
        r,
        identified,
        status,
        done.filter(|_| by_history),
        as_of,
    );
    if r.chance(35) {
        y.push_str("kpis:\n");
        for k in 0..1 + r.below(2) {
            let _ = writeln!(y, "  - name: {}", quoted(&format!("KPI {k} of {i}")));
            if r.chance(60) {
                y.push_str("    unit: \"%\"\n");
            }
            if r.chance(70) {
                let _ = writeln!(y, "    baseline: {}", r.below(100));
                let _ = writeln!(y, "    target: {}.5", r.below(100));
            }
            let _ = writeln!(y, "    direction: {}", r.pick(&["increase", "decrease"]));
            y.push_str("    measurements:\n");
            let mut day = identified;
            for _ in 0..1 + r.below(3) {
                day = (day + r.days(1, 60)).min(as_of);
                let _ = writeln!(
                    y,
                    "      - date: {day}\n        value: {}",
                    r.below(1000) as f64 / 10.0
                );
            }
        }
    }
    if r.chance(35) {
        y.push_str("links:\n  - title: Audit report\n    url: evidence/report.pdf\n");
        if r.chance(50) {
            y.push_str("  - title: \"Ticket: #12\"\n    url: https://example.com/t?a=1&b=2#c\n");
        }
    }
    if r.chance(40) {
        y.push_str(
            "extra:\n  Department: IT\n  Code: \"1.10\"\n  Flag: \"yes\"\n  Mode: \"0755\"\n",
        );
    }
    if r.chance(25) {
        let _ = writeln!(y, "visibility: {}", r.pick(&["public", "internal"]));
    }
    y
}

/// History records from identification on: notes, status changes ending
/// in `status` (and in the completion, when it gives the date), target
/// moves with their reasons.
fn history(
    y: &mut String,
    r: &mut Rng,
    identified: NaiveDate,
    status: &str,
    completion: Option<NaiveDate>,
    as_of: NaiveDate,
) {
    if completion.is_none() && !r.chance(60) {
        return;
    }
    // A `completed` field gives the date: no status record may say otherwise.
    let statuses = !(status == "completed" && completion.is_none());
    let end = completion.unwrap_or(as_of);
    let mut day = identified;
    let mut records = Vec::new();
    for _ in 0..r.below(4) {
        let next = day + r.days(1, 40);
        if next >= end {
            break;
        }
        day = next;
        let mut rec = format!("  - date: {day}\n");
        match r.below(3) {
            0 if statuses => {
                let _ = writeln!(rec, "    status: {}", r.pick(&["planned", "in-progress"]));
            }
            1 => {
                let _ = writeln!(rec, "    target: {}", day + r.days(30, 120));
                let _ = writeln!(rec, "    reason: {}", quoted(r.pick(TEXTS)));
            }
            _ => {}
        }
        if r.chance(70) {
            let mut note = String::new();
            block(&mut note, 4, "note", r.pick(MARKDOWN));
            rec.push_str(&note);
        }
        if rec.lines().count() == 1 {
            rec.push_str("    note: Checked.\n");
        }
        records.push(rec);
    }
    let has_status = records.iter().any(|r| r.contains("status:"));
    if let Some(d) = completion {
        records.push(format!("  - date: {d}\n    status: completed\n"));
    } else if has_status && statuses {
        records.push(format!(
            "  - date: {}\n    status: {status}\n",
            (day + Duration::days(1)).min(as_of)
        ));
    }
    if !records.is_empty() {
        y.push_str("history:\n");
        for rec in records {
            y.push_str(&rec);
        }
    }
}

/// Writes a content folder of `n` entries for `seed` into `dir`.
pub fn write(dir: &Path, seed: u64, n: usize) {
    let mut r = Rng(seed);
    let start = NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
    let as_of = NaiveDate::parse_from_str(super::AS_OF, "%Y-%m-%d").unwrap();
    fs::create_dir_all(dir.join("register")).unwrap();
    fs::create_dir_all(dir.join("evidence")).unwrap();
    fs::write(dir.join("evidence/report.pdf"), b"%PDF-1.4 report\n").unwrap();
    fs::write(
        dir.join("site.yaml"),
        format!("title: Generated register {seed}\norganization: \"Acme: #1\"\n"),
    )
    .unwrap();
    let mut i = 1;
    while i <= n {
        // Some files hold two entries, as a list.
        if i < n && r.chance(20) {
            let mut text = String::new();
            for j in [i, i + 1] {
                let body = entry(&mut r, j, start, as_of);
                let _ = writeln!(text, "- id: CI-{j:03}");
                for line in body.lines() {
                    if line.is_empty() {
                        text.push('\n');
                    } else {
                        let _ = writeln!(text, "  {line}");
                    }
                }
            }
            fs::write(dir.join(format!("register/pair-{i:03}.yaml")), text).unwrap();
            i += 2;
        } else {
            let body = entry(&mut r, i, start, as_of);
            fs::write(dir.join(format!("register/CI-{i:03}.yaml")), body).unwrap();
            i += 1;
        }
    }
}
