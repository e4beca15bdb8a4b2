//! The clause 10.2 chain as published: entry pages in the auditor's order
//! with links both ways, the nonconformities page and its figures, the
//! dashboard's counts, the control catalogue, approvals, the register's
//! filters and the data exports. Figures are computed here from the
//! content itself, never copied from the output.

use isms_site::model::{Entry, Enumerated, Register, Severity, Status};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::tools;
use tools::{AS_OF, build_site, page_text, root_dir};

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()
}

/// The demo built once as of [`AS_OF`].
fn demo() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| build_site("nc-demo-", &root_dir().join("content")))
}

fn demo_register() -> &'static Register {
    static REG: OnceLock<Register> = OnceLock::new();
    REG.get_or_init(|| {
        let (reg, diags) = isms_site::content::load(
            &isms_site::content::Folder::new(&root_dir().join("content")),
            None,
        );
        reg.unwrap_or_else(|| panic!("{}", diags.render_human(false)))
    })
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn entry<'a>(reg: &'a Register, id: &str) -> &'a Entry {
    &reg.entries[reg.entry_index(id).unwrap()]
}

#[test]
fn entry_pages_show_the_chain_in_the_auditors_order() {
    let page = read(demo(), "register/CI-015/index.html");
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("CI-015 has no {needle}"))
    };
    let order = [
        at(">Nonconformity</h2>"),
        at(">Correction</h2>"),
        at(">Root cause</h2>"),
        at(">Corrective action</h2>"),
        at(">Effectiveness review</h2>"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    let shown = page_text(&page);
    let nc = entry(demo_register(), "CI-015")
        .nonconformity
        .clone()
        .unwrap();
    for want in [
        format!("Reference {}", nc.reference),
        format!("Severity {}", nc.severity.label()),
        format!("Requirement {}", nc.requirement.unwrap()),
        format!("Raised {} by {}", nc.raised, nc.by.unwrap()),
    ] {
        assert!(shown.contains(&want), "CI-015 page lacks `{want}`");
    }
}

#[test]
fn follows_up_and_related_link_both_ways() {
    let reg = demo_register();
    let follow = entry(reg, "CI-024");
    assert_eq!(follow.follows_up[0].id, "CI-015");
    let later = page_text(&read(demo(), "register/CI-015/index.html"));
    assert!(
        later.contains("Followed up by CI-024 Automate patch deployment"),
        "{later}"
    );
    let page = read(demo(), "register/CI-015/index.html");
    assert!(
        page.contains(r#"Followed up by <a href="../../register/CI-024/index.html">CI-024</a>"#)
    );
    let page = read(demo(), "register/CI-024/index.html");
    assert!(page.contains(r#"Follows up <a href="../../register/CI-015/index.html">CI-015</a>"#));
    // `related` is written on one side only and shown on both.
    let (a, b) = reg
        .entries
        .iter()
        .find_map(|e| e.related.first().map(|r| (e.id.clone(), r.id.clone())))
        .expect("the demo relates two entries");
    for (page_of, other) in [(&a, &b), (&b, &a)] {
        let page = read(demo(), &format!("register/{page_of}/index.html"));
        let link = format!(r#"Related: <a href="../../register/{other}/index.html">{other}</a>"#);
        assert!(page.contains(&link), "{page_of} does not link {other}");
    }
}

#[test]
fn control_ids_show_their_catalogue_titles() {
    let reg = demo_register();
    let catalogue = reg.controls.as_ref().expect("the demo has controls.yaml");
    let e = entry(reg, "CI-015");
    let page = page_text(&read(demo(), "register/CI-015/index.html"));
    for id in &e.controls {
        let c = catalogue.iter().find(|c| &c.id == id).unwrap();
        assert!(
            page.contains(&format!("{id} {}", c.title)),
            "{id} without its title"
        );
    }
    let term = page_text(&read(demo(), "controls/a-8-8/index.html"));
    let title = &reg.control("A.8.8").unwrap().title;
    assert!(
        term.contains(&format!("Control: A.8.8 — {title}")),
        "{term}"
    );
}

/// The rows of a table as the texts of their cells.
fn table_rows(html: &str) -> Vec<Vec<String>> {
    html.split("<tr")
        .skip(1)
        .map(|row| {
            let row = row.split("</tr>").next().unwrap();
            let starts: Vec<usize> = row
                .match_indices("<t")
                .map(|(i, _)| i)
                .filter(|i| {
                    row[*i..].starts_with("<td") || row[*i..].starts_with("<th scope=\"row\"")
                })
                .collect();
            let end = |n: usize| starts.get(n + 1).copied().unwrap_or(row.len());
            (0..starts.len())
                .map(|n| page_text(&row[starts[n]..end(n)]))
                .collect()
        })
        .filter(|cells: &Vec<String>| !cells.is_empty())
        .collect()
}

#[test]
fn the_nonconformities_page_lists_each_finding_with_its_figures() {
    let reg = demo_register();
    let page = read(demo(), "nonconformities/index.html");
    let rows = table_rows(&page);
    let mut refs: Vec<&str> = reg
        .entries
        .iter()
        .filter(|e| e.nonconformity.is_some() && e.identified <= as_of())
        .map(|e| e.nonconformity.as_ref().unwrap().reference.as_str())
        .collect();
    refs.sort_unstable();
    refs.dedup();
    assert!(refs.len() >= 3);
    // One row per ref, however often it was raised.
    assert_eq!(rows.len(), refs.len(), "{rows:?}");
    for row in &rows {
        let reference = row[0].split(' ').next().unwrap();
        assert!(refs.contains(&reference), "{row:?}");
        let raised = chrono::NaiveDate::parse_from_str(&row[2], "%Y-%m-%d").unwrap();
        let state = row[1].as_str();
        let end = if state.starts_with("Closed") {
            let closed = row[7].rsplit(' ').next().unwrap();
            chrono::NaiveDate::parse_from_str(closed, "%Y-%m-%d").unwrap()
        } else {
            as_of()
        };
        assert_eq!(row[3], (end - raised).num_days().to_string(), "{row:?}");
        assert!(
            ["Open", "Reopened", "Awaiting verification", "Closed"]
                .iter()
                .any(|s| state.starts_with(s)),
            "{row:?}"
        );
    }
    // Gravest first.
    assert!(page.find("nc-major-h").unwrap() < page.find("nc-minor-h").unwrap());
    assert!(read(demo(), "index.html").contains(r#"href="nonconformities/index.html""#));
}

/// The issue's register: a major finding whose corrective action was found
/// not effective, and a follow-up still in progress and overdue. The
/// finding is open (reopened) on the dashboard, its days run to the as-of
/// date, and the follow-up's page shows the finding it serves.
#[test]
fn a_failed_corrective_action_leaves_its_major_finding_reopened() {
    let tmp = site_with(&[
        (
            "register/CA-1.yaml",
            "title: Fix access reviews\nidentified: 2025-01-02\nstatus: completed\npriority: high\n\
             type: corrective-action\ncompleted: 2025-03-02\n\
             effectiveness: {date: 2025-05-01, result: not-effective}\n\
             nonconformity: {ref: NC-7, severity: major, raised: 2025-01-01}\n",
        ),
        (
            "register/CA-2.yaml",
            "title: Automate access reviews\nidentified: 2025-05-02\nstatus: in-progress\npriority: high\n\
             type: corrective-action\nowner: Head of IT\ntarget: 2025-09-30\nfollows_up: [CA-1]\n",
        ),
    ]);
    let out = build_site("nc-reopened-", &tmp.path().join("content"));
    let dashboard = read(&out, "index.html");
    assert!(
        dashboard.contains(r#"<span class="num">1</span> <a href="nonconformities/index.html#nc-major-h">open major</a>"#),
        "{}",
        page_text(&dashboard)
    );
    assert!(page_text(&dashboard).contains("1 reopened"));
    let days = (as_of() - chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).num_days();
    let rows = table_rows(&read(&out, "nonconformities/index.html"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0][1].starts_with("Reopened"), "{:?}", rows[0]);
    assert_eq!(rows[0][3], days.to_string(), "{:?}", rows[0]);
    assert!(rows[0][7].starts_with("Not effective"), "{:?}", rows[0]);
    let follow_up = page_text(&read(&out, "register/CA-2/index.html"));
    assert!(follow_up.contains("NC-7"), "{follow_up}");
    assert!(follow_up.contains("Reopened"), "{follow_up}");
}

/// The review input pack judges a finding by its whole chain, as the
/// nonconformities page does: a follow-up found effective closes the
/// finding its failed predecessor reopened.
#[test]
fn the_review_input_pack_closes_a_finding_when_its_follow_up_was_effective() {
    let tmp = site_with(&[
        (
            "register/CA-1.yaml",
            "title: Fix access reviews\nidentified: 2025-01-02\nstatus: completed\npriority: high\n\
             type: corrective-action\ncompleted: 2025-03-02\n\
             effectiveness: {date: 2025-05-01, result: not-effective}\n\
             nonconformity: {ref: NC-7, severity: major, raised: 2025-01-01}\n",
        ),
        (
            "register/CA-2.yaml",
            "title: Automate access reviews\nidentified: 2025-05-02\nstatus: completed\npriority: high\n\
             type: corrective-action\ncompleted: 2025-08-01\nfollows_up: [CA-1]\n\
             effectiveness: {date: 2025-10-01, result: effective}\n",
        ),
    ]);
    let out = build_site("nc-pack-", &tmp.path().join("content"));
    let rows = table_rows(&read(&out, "nonconformities/index.html"));
    assert!(rows[0][1].starts_with("Closed"), "{:?}", rows[0]);
    let pack = page_text(&read(&out, "review-input/index.html"));
    assert!(pack.contains("NC-7"), "{pack}");
    assert!(pack.contains("Closed"), "{pack}");
    assert!(!pack.contains("Reopened"), "{pack}");
}

#[test]
fn the_dashboard_counts_open_major_and_minor_nonconformities() {
    // Computed as the build does: one finding per ref, open until its
    // chain's last action is found effective.
    let reg = isms_site::compute::asof::register_on(demo_register().clone(), as_of());
    let findings = isms_site::compute::nonconformity::findings(&reg, as_of());
    let open = |s: Severity| {
        findings
            .iter()
            .filter(|f| f.severity == s && f.state.is_open())
            .count()
    };
    let page = read(demo(), "index.html");
    for (s, label) in [(Severity::Major, "major"), (Severity::Minor, "minor")] {
        let want = format!(
            r#"<span class="num">{}</span> <a href="nonconformities/index.html#nc-{label}-h">open {label}</a>"#,
            open(s)
        );
        assert!(page.contains(&want), "dashboard lacks {want}");
    }
    // CI-015 was not effective, and CI-024 follows it up.
    assert!(page.contains("Every action found not effective has a follow-up."));
}

/// A small content folder: `site.yaml` and the given register files.
fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    fs::create_dir_all(content.join("register")).unwrap();
    fs::write(content.join("site.yaml"), "title: T\n").unwrap();
    for (rel, body) in files {
        let p = content.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    }
    tmp
}

const NOT_EFFECTIVE: &str = "title: Patch SLA\nidentified: 2025-01-01\nstatus: completed\npriority: high\ncompleted: 2025-02-01\n\
effectiveness: {date: 2025-03-01, result: not-effective}\n\
nonconformity: {ref: NC-1, severity: minor, raised: 2025-01-01}\n";

#[test]
fn actions_found_not_effective_without_a_follow_up_are_listed_on_the_dashboard() {
    let tmp = site_with(&[("register/A-1.yaml", NOT_EFFECTIVE)]);
    let out = build_site("nc-unfollowed-", &tmp.path().join("content"));
    let page = read(&out, "index.html");
    let list = page.split("Actions found not effective").nth(1).unwrap();
    let list = list.split("</section>").next().unwrap();
    assert!(list.contains(r#"href="register/A-1/index.html""#), "{list}");
    // Once followed up, it leaves the list.
    let tmp = site_with(&[
        ("register/A-1.yaml", NOT_EFFECTIVE),
        (
            "register/A-2.yaml",
            "title: Automate\nidentified: 2025-03-02\nstatus: planned\npriority: high\nfollows_up: [A-1]\n",
        ),
    ]);
    let out = build_site("nc-followed-", &tmp.path().join("content"));
    let page = read(&out, "index.html");
    assert!(page.contains("Every action found not effective has a follow-up."));
}

#[test]
fn without_nonconformities_there_is_no_page_link_or_filter() {
    let tmp = site_with(&[(
        "register/A-1.yaml",
        "title: Plain\nidentified: 2025-01-01\nstatus: planned\npriority: low\n",
    )]);
    let out = build_site("nc-none-", &tmp.path().join("content"));
    assert!(!out.join("nonconformities").exists());
    assert!(!read(&out, "index.html").contains("nonconformities/index.html"));
    let register = read(&out, "register/index.html");
    assert!(!register.contains(r#"name="severity""#));
    assert!(register.contains(r#"<select name="type">"#));
}

#[test]
fn the_register_filters_by_type_and_severity() {
    let reg = demo_register();
    let page = read(demo(), "register/index.html");
    let select = |name: &str| {
        let s = page
            .split(&format!(r#"<select name="{name}">"#))
            .nth(1)
            .unwrap_or_else(|| panic!("no {name} filter"));
        s.split("</select>").next().unwrap().to_string()
    };
    for t in ["improvement", "corrective-action", "preventive-action"] {
        assert!(
            select("type").contains(&format!(r#"value="{t}""#)),
            "type {t}"
        );
    }
    for s in [Severity::Major, Severity::Minor, Severity::Observation] {
        let occurs = reg
            .entries
            .iter()
            .any(|e| e.nonconformity.as_ref().is_some_and(|n| n.severity == s));
        let offered = select("severity").contains(&format!(r#"value="{}""#, s.slug()));
        assert_eq!(occurs, offered, "{s:?}");
    }
    // The script finds each entry's type and severity in register-rows
    // (.json, and the same in .js: tests/search_index.rs).
    let rows = read(demo(), "register-rows.json");
    let data: serde_json::Value = serde_json::from_str(&rows).unwrap();
    let i = reg.entry_index("CI-024").unwrap();
    assert_eq!(data["rows"][i][10], "corrective-action");
    assert_eq!(data["rows"][i][11], "major");
}

#[test]
fn csv_and_json_carry_the_chain() {
    let csv = read(demo(), "register.csv");
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("\u{feff}\"#\",\"Improvement Opportunity\""),
        "{header}"
    );
    assert!(header.contains(
        "\"Effectiveness\",\"Nonconformity Ref\",\"Nonconformity Severity\",\"Nonconformity Requirement\",\
         \"Nonconformity Raised\",\"Nonconformity Raised By\",\"Nonconformity Statement\",\"Correction\",\
         \"Root Cause\",\"Follows Up\",\"Related\",\"Original Target Date\""
    ), "{header}");
    let row = csv
        .split("\r\n")
        .find(|l| l.starts_with("\"CI-024\""))
        .unwrap();
    // Follows Up, then Related (empty), then the original target.
    assert!(row.contains("\"CI-015\",\"\",\"20"), "{row}");
    assert!(
        row.contains("\"NC-2025-03\",\"major\",\"A.8.8\",\"2026-03-31\",\"ISMS Manager\""),
        "{row}"
    );

    let json: serde_json::Value = serde_json::from_str(&read(demo(), "register.json")).unwrap();
    let e = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "CI-024")
        .unwrap();
    assert_eq!(e["follows_up"], serde_json::json!(["CI-015"]));
    assert_eq!(e["nonconformity"]["ref"], "NC-2025-03");
    assert_eq!(e["nonconformity"]["severity"], "major");
    assert_eq!(e["nonconformity"]["raised"], "2026-03-31");
    assert!(
        e["root_cause"]
            .as_str()
            .unwrap()
            .starts_with("Manual patching")
    );
    assert!(e["correction"].as_str().is_some());
}

#[test]
fn the_controls_index_shows_titles_applicability_and_work_per_control() {
    let reg = demo_register();
    let page = read(demo(), "controls/index.html");
    let rows = table_rows(&page);
    for c in reg.controls.as_ref().unwrap() {
        let members: Vec<&Entry> = reg
            .entries
            .iter()
            .filter(|e| e.controls.contains(&c.id))
            .collect();
        let open = members.iter().filter(|e| e.status.is_open()).count();
        let done = members
            .iter()
            .filter(|e| e.status == Status::Completed)
            .count();
        let applicable = match c.applicable {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "—",
        };
        let row = rows
            .iter()
            .find(|r| r[0] == c.id)
            .unwrap_or_else(|| panic!("{} not on the controls index", c.id));
        // Control, title, applicable, overdue, open, completed, all.
        assert_eq!(row[1], c.title, "{row:?}");
        assert_eq!(row[2], applicable, "{row:?}");
        assert_eq!(row[4], open.to_string(), "{} open: {row:?}", c.id);
        assert_eq!(row[5], done.to_string(), "{} completed: {row:?}", c.id);
        assert_eq!(row[6], members.len().to_string(), "{row:?}");
    }
    // A catalogued control no entry names has its row and page too.
    let unused = reg
        .controls
        .as_ref()
        .unwrap()
        .iter()
        .find(|c| c.applicable == Some(false))
        .expect("the demo catalogue has a control that is not applicable");
    let term = page_text(&read(demo(), "controls/a-8-30/index.html"));
    assert!(term.contains(&format!(
        "Not applicable: {}",
        unused.justification.clone().unwrap()
    )));
}

#[test]
fn plans_and_reviews_show_who_approved_them() {
    let reg = demo_register();
    let plan = reg.plans.iter().find(|p| p.approved.is_some()).unwrap();
    let a = plan.approved.as_ref().unwrap();
    let page = page_text(&read(demo(), &format!("plans/{}/index.html", plan.slug)));
    assert!(
        page.contains(&format!("Approved by {} on {}", a.by, a.date)),
        "{page}"
    );
    let review = reg.reviews.iter().find(|r| r.approved.is_some()).unwrap();
    let a = review.approved.as_ref().unwrap();
    let page = page_text(&read(
        demo(),
        &format!("reviews/{}/index.html", review.slug),
    ));
    assert!(
        page.contains(&format!("Approved by {} on {}", a.by, a.date)),
        "{page}"
    );
    let unapproved = reg.plans.iter().find(|p| p.approved.is_none()).unwrap();
    let page = page_text(&read(
        demo(),
        &format!("plans/{}/index.html", unapproved.slug),
    ));
    assert!(page.contains("Approved not recorded"), "{page}");
}

/// Every file below `dir` whose bytes hold `marker`.
fn files_holding(dir: &Path, marker: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_holding(&p, marker));
        } else if String::from_utf8_lossy(&fs::read(&p).unwrap()).contains(marker) {
            out.push(p);
        }
    }
    out
}

#[test]
fn an_audience_sees_no_restricted_finding_text_but_the_counts_stay() {
    let tmp = site_with(&[
        (
            "site.yaml",
            "title: T\nvisibility:\n  fields: {nonconformity: restricted}\n  hidden_entries: stub\n",
        ),
        (
            "register/A-1.yaml",
            "title: Shown\nidentified: 2025-01-01\nstatus: planned\npriority: low\n\
             nonconformity: {ref: MARKREF, severity: minor, raised: 2025-01-01, by: MARKBY, requirement: MARKREQ, statement: MARKSTATEMENT}\n\
             correction: MARKCORRECTION\nroot_cause: MARKCAUSE\n",
        ),
        (
            "register/B-1.yaml",
            "title: Hidden\nidentified: 2025-01-01\nstatus: planned\npriority: low\nvisibility: restricted\n\
             nonconformity: {ref: MARKHIDDEN, severity: minor, raised: 2025-01-01}\nrelated: [A-1]\n",
        ),
    ]);
    let build = |audience: &str| {
        let out = tmp.path().join(format!("site-{audience}"));
        let o = std::process::Command::new(tools::BIN)
            .current_dir(tmp.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .args([
                "build",
                "--as-of",
                AS_OF,
                "--audience",
                audience,
                "--content",
            ])
            .arg(tmp.path().join("content"))
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", tools::output_text(&o));
        out
    };
    let markers = [
        "MARKREF",
        "MARKBY",
        "MARKREQ",
        "MARKSTATEMENT",
        "MARKCORRECTION",
        "MARKCAUSE",
        "MARKHIDDEN",
    ];
    let internal = build("internal");
    for m in markers {
        assert!(
            files_holding(&internal, m).is_empty(),
            "{m} leaked: {:?}",
            files_holding(&internal, m)
        );
    }
    // Both findings still count, the stub's too.
    let dashboard = read(&internal, "index.html");
    assert!(dashboard.contains(r#"<span class="num">2</span> <a href="nonconformities/index.html#nc-minor-h">open minor</a>"#));
    // The restricted build holds every marker, so the test can fail.
    let restricted = build("restricted");
    for m in markers {
        assert!(!files_holding(&restricted, m).is_empty(), "{m} missing");
    }
}

/// Two refs that differ only where a slug cannot tell (`NC-2025-03`, `NC
/// 2025 03`) are two findings: each gets a row id of its own, and each
/// entry page links to its own finding's row, not both to the first.
#[test]
fn findings_whose_refs_slugify_alike_get_rows_of_their_own() {
    let dir = tools::fresh_tmp_dir("nc-anchors");
    let content = dir.join("content");
    tools::copy_dir(&root_dir().join("content"), &content);
    let twin = fs::read_to_string(content.join("register/CI-015.yaml"))
        .unwrap()
        .replace("  ref: NC-2025-03\n", "  ref: NC 2025 03\n");
    assert!(twin.contains("ref: NC 2025 03"));
    fs::write(content.join("register/CI-950.yaml"), twin).unwrap();
    let out = build_site("nc-anchors-", &content);
    let page = read(&out, "nonconformities/index.html");
    let ids: Vec<&str> = page
        .match_indices("<tr id=\"")
        .map(|(i, m)| {
            let rest = &page[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), ids.len(), "row ids repeat: {ids:?}");
    let link = |id: &str| {
        let page = read(&out, &format!("register/{id}/index.html"));
        let at = page
            .find("nonconformities/index.html#")
            .unwrap_or_else(|| panic!("{id} does not link its finding"));
        let rest = &page[at + "nonconformities/index.html#".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let (first, second) = (link("CI-015"), link("CI-950"));
    assert_ne!(first, second, "both entries link the same row");
    for anchor in [&first, &second] {
        assert!(ids.contains(&anchor.as_str()), "no row {anchor}: {ids:?}");
    }
}
