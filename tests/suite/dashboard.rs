//! The management summary and every other summary page stay bounded: at
//! most ten rows per list, with the count and a link to the full,
//! filtered register. Checked on generated registers larger than the
//! bound, the way a reader would look at the pages.

use chrono::{Duration, NaiveDate};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::tools;
use tools::{AS_OF, build_site, fresh_tmp_dir};

/// A 40-character owner name without spaces (item 9 of issue 14).
const LONG_OWNER: &str = "Informationssicherheitsbeauftragterinnen";
const OWNERS: [&str; 4] = ["IT Operations", "CISO", LONG_OWNER, "HR Manager"];
const CONTROLS: [&str; 12] = [
    "A.5.15", "A.5.17", "A.5.18", "A.6.3", "A.8.8", "A.5.24", "A.5.26", "A.8.13", "A.8.15",
    "A.8.16", "10.1", "10.2",
];
/// The last management review before the as-of date opens the period.
const LAST_REVIEW_DAYS_AGO: i64 = 60;

fn as_of() -> NaiveDate {
    NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()
}

fn ago(days: i64) -> NaiveDate {
    as_of() - Duration::days(days)
}

/// What entry `i` of a generated register is, by `i % 5`.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// In progress, target passed (also before the last review).
    Overdue,
    /// Completed after the last management review.
    DoneInPeriod,
    /// Completed between the two management reviews.
    DoneBefore,
    Planned,
    NotStarted,
}

fn kind(i: usize) -> Kind {
    match i % 5 {
        0 => Kind::Overdue,
        1 => Kind::DoneInPeriod,
        2 => Kind::DoneBefore,
        3 => Kind::Planned,
        _ => Kind::NotStarted,
    }
}

fn owner(i: usize) -> &'static str {
    OWNERS[i % OWNERS.len()]
}

fn id(i: usize) -> String {
    format!("T-{i:05}")
}

fn entry_yaml(i: usize) -> String {
    let k = kind(i);
    let identified = ago(900 - (i % 50) as i64);
    let mut y = String::new();
    let _ = writeln!(y, "- id: {}", id(i));
    let _ = writeln!(y, "  title: Generated improvement number {i}");
    let _ = writeln!(y, "  identified: {identified}");
    let _ = writeln!(y, "  priority: {}", ["high", "medium", "low"][i % 3]);
    let _ = writeln!(y, "  owner: {}", owner(i));
    let _ = writeln!(
        y,
        "  controls: [\"{}\", \"{}\"]",
        CONTROLS[i % 12],
        CONTROLS[(i / 12) % 12]
    );
    let (status, target, completed) = match k {
        Kind::Overdue => ("in-progress", Some(ago(70 + (i % 400) as i64)), None),
        Kind::DoneInPeriod => {
            let c = ago(1 + (i % 50) as i64);
            ("completed", Some(c), Some(c))
        }
        Kind::DoneBefore => {
            let c = ago(100 + (i % 250) as i64);
            ("completed", Some(c + Duration::days(3)), Some(c))
        }
        Kind::Planned => ("planned", Some(ago(-30 - (i % 100) as i64)), None),
        Kind::NotStarted => ("not-started", None, None),
    };
    let _ = writeln!(y, "  status: {status}");
    if let Some(t) = target {
        let _ = writeln!(y, "  target: {t}");
    }
    if let Some(c) = completed {
        let _ = writeln!(y, "  completed: {c}");
        let _ = writeln!(y, "  outcome: Outcome of improvement {i} achieved.");
    }
    y
}

fn review_md(title: &str, kind: &str, date: NaiveDate, entries: &[String]) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nkind: {kind}\nentries: [{}]\n---\nNotes.\n",
        entries.join(", ")
    )
}

/// A register of `n` entries (see [`Kind`]), two management reviews (the
/// last one discussing 25 entries) and a later progress review.
fn generate(dir: &Path, n: usize) {
    for sub in ["register", "reviews"] {
        fs::create_dir_all(dir.join(sub)).unwrap();
    }
    fs::write(
        dir.join("site.yaml"),
        "title: Generated register\nregister:\n  created: 2024-01-02\n  responsible: ISMS Manager\n",
    )
    .unwrap();
    for (chunk, ids) in (1..=n).collect::<Vec<_>>().chunks(200).enumerate() {
        let yaml: String = ids.iter().map(|i| entry_yaml(*i)).collect();
        fs::write(dir.join(format!("register/part-{chunk:03}.yaml")), yaml).unwrap();
    }
    let ids: Vec<String> = (1..=n).map(id).collect();
    let reviews = [
        (
            "mr-old",
            "Management review old",
            "management-review",
            ago(400),
            3,
        ),
        (
            "mr-last",
            "Management review last",
            "management-review",
            ago(LAST_REVIEW_DAYS_AGO),
            25,
        ),
        ("progress", "Progress review", "progress-review", ago(20), 2),
    ];
    for (slug, title, kind, date, discussed) in reviews {
        fs::write(
            dir.join(format!("reviews/{slug}.md")),
            review_md(title, kind, date, &ids[..discussed.min(n)]),
        )
        .unwrap();
    }
}

fn build(name: &str, n: usize) -> PathBuf {
    let content = fresh_tmp_dir(&format!("{name}-content-"));
    generate(&content, n);
    build_site(name, &content)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// The text from `start` to the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let rest = &text[from..];
    let to = rest.find(end).unwrap_or(rest.len());
    &rest[..to]
}

/// Body rows of the first table in `html`.
fn body_rows(html: &str) -> usize {
    between(html, "<tbody>", "</tbody>").matches("<tr").count()
}

/// How many of the first `n` entries are of kind `k`.
fn count(n: usize, k: Kind) -> usize {
    (1..=n).filter(|i| kind(*i) == k).count()
}

/// The contents of the element with `id="…"` up to its first `</`.
fn text_of_id<'a>(html: &'a str, id: &str) -> &'a str {
    let s = between(html, &format!("id=\"{id}\">"), "</");
    &s[s.find('>').unwrap() + 1..]
}

const N: usize = 120;

fn small_site() -> &'static Path {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| build("dash-small-", N))
}

#[test]
fn dashboard_headlines_name_the_period_achievements_and_overdue_owners() {
    let html = read(small_site(), "index.html");
    let summary = between(&html, "id=\"summary-h\"", "</section>");
    assert_eq!(
        text_of_id(summary, "achieved-count"),
        count(N, Kind::DoneInPeriod).to_string(),
        "completed this period"
    );
    assert_eq!(
        text_of_id(summary, "overdue-count"),
        count(N, Kind::Overdue).to_string()
    );
    let review_day = ago(LAST_REVIEW_DAYS_AGO).to_string();
    let line = between(&html, "class=\"as-of\"", "</p>");
    assert!(
        line.contains("Management review last") && line.contains(&review_day),
        "period not named after the last management review: {line}"
    );
    // The first screen as a whole is a reviewed snapshot
    // (`tests/suite/snapshots/`): the oldest overdue first, with its owner
    // and whole days late, the link to all overdue items, the trend in words.
    insta::assert_snapshot!(tools::fragment(
        &html,
        "<section aria-labelledby=\"summary-h\"",
        "</section>"
    ));
}

#[test]
fn dashboard_lists_are_bounded_with_count_and_filtered_link() {
    let html = read(small_site(), "index.html");
    let overdue = count(N, Kind::Overdue);
    assert!(overdue > 10, "the fixture must overflow the bound");
    let section = between(&html, "id=\"overdue-h\"", "</section>");
    assert_eq!(body_rows(section), 10, "overdue rows on the dashboard");
    assert!(
        section.contains(&format!("10 of {overdue} shown")),
        "no count: {section}"
    );
    assert!(
        section.contains(&format!(
            "<a href=\"register/index.html?overdue=1\">all {overdue} overdue →</a>"
        )),
        "no link to the filtered register"
    );
    let recent = between(&html, "id=\"recent-h\"", "</section>");
    let completed = count(N, Kind::DoneInPeriod) + count(N, Kind::DoneBefore);
    assert_eq!(recent.matches("<li>").count(), 10);
    assert!(recent.contains(&format!("all {completed} completed →")));
    assert!(recent.contains("href=\"register/index.html?status=completed\""));
    let controls = between(&html, "Most addressed controls", "</div>");
    assert_eq!(body_rows(controls), 10);
    assert!(controls.contains("10 of 12 shown"));
    assert!(controls.contains("href=\"controls/index.html\""));
}

/// The owners table is a reviewed snapshot (`tests/suite/snapshots/`):
/// open and overdue per owner, each overdue count a link to that owner's
/// overdue items. The open counts are checked against the generator too.
#[test]
fn owners_rollup_shows_open_and_overdue_not_totals() {
    let html = read(small_site(), "index.html");
    let table = tools::fragment(&html, "<section aria-labelledby=\"owners-h\"", "</table>");
    insta::assert_snapshot!(table);
    for name in OWNERS {
        let of = |k: Kind| {
            (1..=N)
                .filter(|i| owner(*i) == name && kind(*i) == k)
                .count()
        };
        let open = of(Kind::Overdue) + of(Kind::Planned) + of(Kind::NotStarted);
        let row = format!(">{name}</a></th><td>{open}</td>");
        assert!(table.contains(&row), "{name}: no `{row}` in\n{table}");
    }
}

#[test]
fn days_are_whole_numbers() {
    let html = read(small_site(), "index.html");
    let figures = between(&html, "id=\"kpis-h\"", "</section>");
    for label in ["median days to complete", "median age of open items"] {
        let before = &figures[..figures.find(label).unwrap()];
        let num = before.rsplit("<span class=\"num\">").next().unwrap();
        let num = num.split("</span>").next().unwrap();
        assert!(
            !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
            "{label}: `{num}` is not a whole number of days"
        );
    }
}

#[test]
fn review_page_lists_are_bounded_with_counts() {
    let html = read(small_site(), "reviews/mr-last/index.html");
    let discussed = between(&html, "id=\"discussed-h\"", "</section>");
    assert!(discussed.contains("Entries discussed (25)"));
    assert_eq!(body_rows(discussed), 10);
    // The other 15 stay one click away.
    let rest = between(discussed, "And 15 more:", "</p>");
    for i in 11..=25 {
        assert!(rest.contains(&format!("href=\"../../register/{}/index.html\"", id(i))));
    }
    let ci = between(&html, "id=\"ci-h\"", "</section>");
    let done = between(ci, "id=\"ci-completed-h\"", "id=\"ci-overdue-h\"");
    let n_done = count(N, Kind::DoneBefore);
    assert!(n_done > 10);
    assert!(done.contains(&format!(
        "<span class=\"num\">{n_done}</span> completed since"
    )));
    assert_eq!(body_rows(done), 10);
    assert!(done.contains(&format!("10 of {n_done} shown")));
    let late = &ci[ci.find("id=\"ci-overdue-h\"").unwrap()..];
    let n_late = count(N, Kind::Overdue);
    assert!(late.contains(&format!("<span class=\"num\">{n_late}</span> overdue on")));
    assert_eq!(body_rows(late), 10);
    assert!(late.contains(&format!("10 of {n_late} shown")));
}

#[test]
fn owner_page_puts_overdue_first_bounded_with_filtered_links() {
    let out = small_site();
    let index = read(out, "owners/index.html");
    let head = between(&index, "<thead>", "</thead>");
    assert!(head.find("Overdue").unwrap() < head.find("All items").unwrap());
    let slug = LONG_OWNER.to_lowercase();
    let html = read(out, &format!("owners/{slug}/index.html"));
    let mine = |k: Kind| {
        (1..=N)
            .filter(|i| owner(*i) == LONG_OWNER && kind(*i) == k)
            .count()
    };
    let overdue = between(&html, "id=\"term-overdue-h\"", "</section>");
    assert!(overdue.contains("Overdue"));
    assert!(body_rows(overdue) <= 10);
    assert_eq!(body_rows(overdue), mine(Kind::Overdue).min(10));
    assert!(
        html.find("term-overdue-h").unwrap() < html.find("term-completed-h").unwrap(),
        "overdue entries come first"
    );
    let all = format!("register/index.html?owner={LONG_OWNER}");
    assert!(
        html.contains(&format!("href=\"../../{all}\"")),
        "no register link"
    );
    let completed = between(&html, "id=\"term-completed-h\"", "</section>");
    let n_done = mine(Kind::DoneBefore) + mine(Kind::DoneInPeriod);
    assert!(n_done > 10, "fixture too small: {n_done}");
    assert_eq!(body_rows(completed), 10);
    assert!(completed.contains(&format!(
        "href=\"../../{all}&amp;status=completed\">all {n_done} completed →"
    )));
}

/// Bytes of a page of a site built from `n` generated entries.
fn sizes(n: usize) -> [u64; 3] {
    let out = build(&format!("dash-size-{n}-"), n);
    let size = |rel: &str| fs::metadata(out.join(rel)).unwrap().len();
    [
        size("index.html"),
        size("reviews/mr-last/index.html"),
        size(&format!("owners/{}/index.html", LONG_OWNER.to_lowercase())),
    ]
}

#[test]
fn summary_pages_do_not_grow_with_the_register() {
    let small = sizes(300);
    let large = sizes(3000);
    for (name, (s, l)) in ["index.html", "review", "owner page"]
        .iter()
        .zip(small.iter().zip(large.iter()))
    {
        let growth = (*l as f64 - *s as f64) / *s as f64;
        assert!(
            growth.abs() < 0.10,
            "{name}: {s} bytes at 300 entries, {l} at 3,000 ({:.0} % more)",
            growth * 100.0
        );
    }
}

/// Built on the Q2 2026 management review's own day, the demo's period is
/// the one that review closed (2026-03-31 → 2026-06-30), in which CI-016
/// and CI-018 were completed: never "0 completed" on review day.
#[test]
fn on_a_review_day_the_period_is_the_one_that_review_closed() {
    let dir = fresh_tmp_dir("dash-review-day-");
    let out = dir.join("site");
    let o = std::process::Command::new(tools::BIN)
        .current_dir(&dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["build", "--as-of", "2026-06-30", "--content"])
        .arg(tools::root_dir().join("content"))
        .arg("--theme")
        .arg(tools::root_dir().join("themes/default"))
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", tools::output_text(&o));
    let html = read(&out, "index.html");
    let summary = between(&html, "id=\"summary-h\"", "</section>");
    assert_eq!(text_of_id(summary, "achieved-count"), "2");
    for id in ["CI-016", "CI-018"] {
        assert!(summary.contains(&format!(">{id}</a>")), "{id} not named");
    }
    let line = tools::page_text(between(&html, "class=\"as-of\"", "</p>"));
    for want in [
        "2026-04-01 to 2026-06-30",
        "Management review Q1 2026",
        "2026-03-31",
        "Management review Q2 2026 closed",
    ] {
        assert!(line.contains(want), "{want:?} not in {line:?}");
    }
    let json: serde_json::Value = serde_json::from_str(&read(&out, "register.json")).unwrap();
    let period = &json["rollups"]["period"];
    assert_eq!(period["after"], "2026-03-31");
    assert_eq!(period["completed"], 2);
    assert_eq!(json["rollups"]["quarter"]["name"], "2026-Q2");
    assert_eq!(json["rollups"]["quarter"]["completed"], 2);
}

/// No open entry of this register is rated for benefit or effort: the
/// dashboard says so ("unrated: N") instead of drawing a grid of zeros.
#[test]
fn an_unrated_register_shows_unrated_not_a_grid_of_zeros() {
    let html = read(small_site(), "index.html");
    assert!(
        !html.contains("charts/benefit-effort.svg"),
        "grid of zeros shown"
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(small_site(), "register.json")).unwrap();
    let open = json["rollups"]["open"].as_u64().unwrap();
    assert!(open > 0);
    assert!(
        html.contains(&format!("unrated: {open} open items")),
        "no unrated count"
    );
}

/// The content folder with two entries measuring KPIs and an objective
/// naming one of them, for the objectives page (issue 28).
fn kpi_content(dir: &Path) {
    fs::create_dir_all(dir.join("register")).unwrap();
    fs::write(dir.join("site.yaml"), "title: KPIs\n").unwrap();
    let entry = |id: &str, kpi: &str| {
        format!(
            "title: {id} <b>bold</b>\nidentified: 2026-01-05\nstatus: in-progress\npriority: high\nowner: CISO\ntarget: 2027-01-01\n{kpi}"
        )
    };
    fs::write(
        dir.join("register/K-1.yaml"),
        entry(
            "K-1",
            "kpis:\n  - name: Coverage\n    unit: '%'\n    target: 90\n    direction: increase\n    measurements:\n      - {date: 2026-02-28, value: 70}\n      - {date: 2026-09-30, value: 95}\n",
        ),
    )
    .unwrap();
    fs::write(
        dir.join("register/K-2.yaml"),
        entry(
            "K-2",
            "kpis:\n  - name: Incidents\n    target: 2\n    direction: decrease\n    measurements: [{date: 2026-03-31, value: 5}]\n  - name: Unmeasured\n    direction: increase\n    measurements: []\n",
        ),
    )
    .unwrap();
    fs::write(
        dir.join("objectives.yaml"),
        "- id: O-1\n  title: Know every <asset>\n  owner: CIO\n  target: All of them\n  kpis: [k-1/coverage]\n- id: O-2\n  title: Not measured yet\n",
    )
    .unwrap();
}

/// Builds the KPI content as of `as_of` and returns the objectives page
/// and the dashboard.
fn kpi_pages(as_of: &str) -> (String, String) {
    let dir = fresh_tmp_dir("objectives");
    kpi_content(&dir.join("content"));
    let out = dir.join("site");
    let o = std::process::Command::new(tools::BIN)
        .args(["build", "--no-git", "--as-of", as_of, "--content"])
        .arg(dir.join("content"))
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", tools::output_text(&o));
    (
        read(&out, "objectives/index.html"),
        read(&out, "index.html"),
    )
}

/// Every KPI is listed once under its objective or under "Other KPIs",
/// with latest value, target and standing; the dashboard counts met and
/// missed and links the page; catalogue text is escaped.
#[test]
fn the_objectives_page_lists_every_kpi_by_objective() {
    let (page, dashboard) = kpi_pages(AS_OF);
    let o1 = between(&page, "id=\"objective-o-1\"", "</section>");
    let text = tools::page_text(o1);
    assert!(
        text.contains("O-1: Know every &lt;asset&gt; (1 met, 0 missed of 1)"),
        "{text}"
    );
    assert!(text.contains("Owner: CIO · Target: All of them"), "{text}");
    assert!(
        text.contains("Coverage ( K-1 K-1 &lt;b&gt;bold&lt;/b&gt;) 95 % on 2026-09-30 90 %"),
        "{text}"
    );
    assert!(o1.contains("href=\"../register/K-1/index.html\""));
    assert!(o1.contains("<svg class=\"spark\""), "a trend is drawn");
    assert!(
        !page.contains("<asset>") && !page.contains("<b>bold"),
        "escaped"
    );
    let o2 = tools::page_text(between(&page, "id=\"objective-o-2\"", "</section>"));
    assert!(o2.contains("No KPI measures this objective yet"), "{o2}");
    let other = tools::page_text(between(&page, "id=\"other-kpis\"", "</section>"));
    assert!(
        other.contains("Incidents") && other.contains("Missed"),
        "{other}"
    );
    assert!(
        other.contains("Unmeasured") && other.contains("No data"),
        "{other}"
    );
    assert!(
        !other.contains("Coverage"),
        "a KPI an objective names is not other"
    );
    let tile = tools::page_text(between(&dashboard, "id=\"kpi-tile\"", "</li>"));
    assert!(tile.contains("1 KPIs met, 1 missed"), "{tile}");
    assert!(dashboard.contains("href=\"objectives/index.html\""));
}

/// Built as of an earlier day, each KPI stands as it stood then: the
/// later measurement is not used, so Coverage was missed.
#[test]
fn an_as_of_build_shows_each_kpi_as_it_stood() {
    let (page, dashboard) = kpi_pages("2026-03-01");
    let o1 = tools::page_text(between(&page, "id=\"objective-o-1\"", "</section>"));
    assert!(
        o1.contains("70 % on 2026-02-28") && o1.contains("Missed"),
        "{o1}"
    );
    assert!(!page.contains("2026-09-30"), "a later measurement shows");
    let tile = tools::page_text(between(&dashboard, "id=\"kpi-tile\"", "</li>"));
    assert!(tile.contains("0 KPIs met, 1 missed"), "{tile}");
}

/// Issue 27: the KPIs no objective names grow with the register (15,000
/// at 10,000 synthetic entries made the page 13 MB). The page lists the
/// first 100 in register order and says how many more there are; its
/// counts still cover every KPI, and the entries' pages keep theirs.
#[test]
fn the_objectives_page_lists_at_most_100_other_kpis_and_counts_the_rest() {
    let dir = fresh_tmp_dir("objectives-bounded");
    let content = dir.join("content");
    fs::create_dir_all(content.join("register")).unwrap();
    fs::write(content.join("site.yaml"), "title: KPIs\n").unwrap();
    for n in 1..=65 {
        let kpi = |name: &str, value: u32| {
            format!(
                "  - name: {name}\n    target: 50\n    direction: increase\n    measurements: [{{date: 2026-03-31, value: {value}}}]\n"
            )
        };
        fs::write(
            content.join(format!("register/K-{n:03}.yaml")),
            format!(
                "title: Entry {n}\nidentified: 2026-01-05\nstatus: in-progress\npriority: high\nowner: CISO\ntarget: 2027-01-01\nkpis:\n{}{}",
                kpi("First", 10),
                kpi("Second", 90)
            ),
        )
        .unwrap();
    }
    let out = dir.join("site");
    let o = std::process::Command::new(tools::BIN)
        .args(["build", "--no-git", "--as-of", AS_OF, "--content"])
        .arg(&content)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", tools::output_text(&o));
    let page = read(&out, "objectives/index.html");
    let other = between(&page, "id=\"other-kpis\"", "</section>");
    assert_eq!(
        other.matches("<tr>").count(),
        1 + 100,
        "a head and 100 KPIs"
    );
    let text = tools::page_text(other);
    assert!(text.contains("(65 met, 65 missed of 130)"), "{text}");
    assert!(
        text.contains("30 more KPIs are on their entries’ pages"),
        "{text}"
    );
    assert!(other.contains("href=\"../register.csv\""), "{other}");
    assert!(
        other.contains("K-050") && !other.contains("K-051"),
        "register order"
    );
    assert!(
        page.contains("130 KPIs: 65 met, 65 missed"),
        "counts cover all"
    );
    let last = read(&out, "register/K-065/index.html");
    assert!(last.contains("Second"), "the entry's page keeps its KPIs");
}
