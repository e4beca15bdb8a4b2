//! As-of builds show the register as it stood at the end of the as-of
//! date, and nothing written about later days (issue 15).
//!
//! Two properties over registers from a seeded generator, built in
//! process into memory: adding content dated after D leaves the as-of-D
//! site byte-identical (every file), and the month-end trend figures of
//! a build equal the figures of an as-of build on each month end. Then
//! the demo register as of 2025-06-30, against counts made in the test
//! straight from its YAML.

use chrono::{Datelike, Duration, NaiveDate};
use isms_site::content;
use isms_site::model::Visibility;
use isms_site::output::sink::Out;
use isms_site::output::theme;
use isms_site::site::build::{self, Computed};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::tools;
use tools::{BIN, fresh_tmp_dir, output_text, page_text, root_dir};

use tools::rng::Rng;

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
}

/// Days the generated registers span.
const SPAN: i64 = 900;

fn after(rng: &mut Rng, d: NaiveDate, max: i64) -> NaiveDate {
    d + Duration::days(1 + rng.below(max as u64) as i64)
}

/// One history record of a generated entry.
struct Record {
    date: NaiveDate,
    status: Option<&'static str>,
    target: Option<NaiveDate>,
}

/// How a generated entry records its status.
enum Kind {
    /// No history: `status` (and `completed`) only. Completing it later
    /// writes `status: completed` and `completed`.
    Plain {
        status: &'static str,
        completes: Option<NaiveDate>,
    },
    /// Status changes in history; the first record may sit on
    /// `identified` with the status it started with.
    Logged(Vec<Record>),
}

struct GenEntry {
    id: String,
    identified: NaiveDate,
    priority: &'static str,
    owner: Option<&'static str>,
    target: Option<NaiveDate>,
    corrective: bool,
    kind: Kind,
    effectiveness: Option<NaiveDate>,
    measurements: Vec<(NaiveDate, u64)>,
    /// Entries identified before it (clause 10.2 chain).
    follows_up: Vec<usize>,
    /// Any other entries; one identified later is named only once it exists.
    related: Vec<usize>,
}

struct GenPlan {
    slug: String,
    updated: Option<NaiveDate>,
    entries: Vec<usize>,
    milestones: Vec<(NaiveDate, Option<NaiveDate>)>,
    approved: Option<NaiveDate>,
}

struct GenReview {
    slug: String,
    date: NaiveDate,
    kind: &'static str,
    entries: Vec<usize>,
    approved: Option<NaiveDate>,
}

struct GenRegister {
    entries: Vec<GenEntry>,
    plans: Vec<GenPlan>,
    reviews: Vec<GenReview>,
}

const OPEN: [&str; 3] = ["not-started", "planned", "in-progress"];
const LATER: [&str; 5] = [
    "planned",
    "in-progress",
    "completed",
    "cancelled",
    "in-progress",
];

fn gen_entry(rng: &mut Rng, i: usize) -> GenEntry {
    let identified = day0() + Duration::days(rng.below(SPAN as u64 * 3 / 4) as i64);
    let target = rng.chance(80).then(|| after(rng, identified, 200));
    let mut last_completion = None;
    let kind = if rng.chance(30) {
        let completes = rng.chance(50).then(|| after(rng, identified, 300));
        last_completion = completes;
        Kind::Plain {
            status: if completes.is_some() {
                "in-progress"
            } else {
                rng.pick(&["not-started", "planned", "in-progress", "cancelled"])
            },
            completes,
        }
    } else {
        let mut records = Vec::new();
        if rng.chance(60) {
            records.push(Record {
                date: identified,
                status: Some(rng.pick(&OPEN)),
                target: None,
            });
        }
        let mut d = identified;
        let mut current = target;
        for _ in 0..rng.below(6) {
            d = after(rng, d, 90);
            let status = rng.chance(60).then(|| rng.pick(&LATER));
            let moved = (current.is_some() && rng.chance(35)).then(|| after(rng, d, 150));
            current = moved.or(current);
            if status == Some("completed") {
                last_completion = Some(d);
            } else if status.is_some() {
                last_completion = None;
            }
            records.push(Record {
                date: d,
                status,
                target: moved,
            });
        }
        Kind::Logged(records)
    };
    let effectiveness = last_completion
        .filter(|_| rng.chance(60))
        .map(|c| after(rng, c, 120));
    let start = identified;
    let measurements = (0..rng.below(4))
        .map(|k| (after(rng, start, 400), k * 7 + rng.below(50)))
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    GenEntry {
        id: format!("G-{i:03}"),
        identified,
        priority: rng.pick(&["high", "medium", "low"]),
        owner: rng
            .chance(80)
            .then(|| rng.pick(&["CISO", "IT Operations", "HR"])),
        target,
        corrective: rng.chance(40),
        kind,
        effectiveness,
        measurements,
        follows_up: Vec::new(),
        related: Vec::new(),
    }
}

fn gen_register(seed: u64) -> GenRegister {
    let mut rng = Rng(seed);
    let n = 4 + rng.below(9) as usize;
    let mut entries: Vec<GenEntry> = (0..n).map(|i| gen_entry(&mut rng, i)).collect();
    for i in 0..n {
        let key = |j: usize| (entries[j].identified, j);
        let earlier: Vec<usize> = (0..n).filter(|&j| key(j) < key(i)).collect();
        if !earlier.is_empty() && rng.chance(25) {
            let j = earlier[rng.below(earlier.len() as u64) as usize];
            entries[i].follows_up.push(j);
        }
        let j = rng.below(n as u64) as usize;
        if j != i && rng.chance(30) {
            entries[i].related.push(j);
        }
    }
    let mut plans = Vec::new();
    for p in 0..rng.below(4) {
        let updated = rng
            .chance(70)
            .then(|| day0() + Duration::days(rng.below(SPAN as u64) as i64));
        let mut named: Vec<usize> = (0..1 + rng.below(3))
            .map(|_| rng.below(n as u64) as usize)
            .filter(|&i| updated.is_none_or(|u| entries[i].identified <= u))
            .collect();
        named.sort_unstable();
        named.dedup();
        if named.is_empty() {
            continue;
        }
        let dated = updated.unwrap_or_else(|| {
            let latest = named.iter().map(|&i| entries[i].identified).max();
            latest.unwrap_or_else(day0)
        });
        // A milestone is done once the plan is written: a done date dates
        // the plan (asof::plan_date).
        let milestones = (0..rng.below(3))
            .map(|_| {
                let due = day0() + Duration::days(rng.below(SPAN as u64) as i64);
                let done = rng.chance(50).then(|| after(&mut rng, dated, SPAN));
                (due, done)
            })
            .collect();
        let approved = rng.chance(50).then(|| after(&mut rng, dated, 60));
        plans.push(GenPlan {
            slug: format!("plan-{p}"),
            updated,
            entries: named,
            milestones,
            approved,
        });
    }
    let mut reviews = Vec::new();
    for r in 0..rng.below(4) {
        let date = day0() + Duration::days(rng.below(SPAN as u64) as i64);
        let named: Vec<usize> = (0..n)
            .filter(|&i| entries[i].identified <= date)
            .filter(|_| rng.chance(50))
            .collect();
        let kind = rng.pick(&["management-review", "internal-audit", "progress-review"]);
        let approved = rng.chance(50).then(|| after(&mut rng, date, 60));
        reviews.push(GenReview {
            slug: format!("review-{r}"),
            date,
            kind,
            entries: named,
            approved,
        });
    }
    GenRegister {
        entries,
        plans,
        reviews,
    }
}

/// The content folder as an author would have had it at the end of
/// `upto` (everything dated later not yet written); `None`: all of it.
fn files(g: &GenRegister, upto: Option<NaiveDate>) -> Vec<(String, String)> {
    let by = |d: NaiveDate| upto.is_none_or(|u| d <= u);
    let mut out = vec![(
        "site.yaml".to_string(),
        "title: Generated\nbase_url: https://isms.example/reg/\nregister:\n  created: 2024-01-01\n"
            .to_string(),
    )];
    for e in g.entries.iter().filter(|e| by(e.identified)) {
        let mut yaml = entry_yaml(e, &by);
        let named = |list: &[usize]| -> Vec<usize> {
            let exists = |j: &usize| by(g.entries[*j].identified);
            list.iter().copied().filter(exists).collect()
        };
        for (field, list) in [("follows_up", &e.follows_up), ("related", &e.related)] {
            let list = named(list);
            if !list.is_empty() {
                let _ = writeln!(yaml, "{field}: [{}]", ids(g, &list));
            }
        }
        out.push((format!("register/{}.yaml", e.id), yaml));
    }
    let approval = |a: Option<NaiveDate>| match a.filter(|d| by(*d)) {
        Some(d) => format!("approved: {{by: CISO, date: {d}}}\n"),
        None => String::new(),
    };
    let identified = |i: usize| g.entries[i].identified;
    for p in &g.plans {
        let date = p
            .updated
            .unwrap_or_else(|| p.entries.iter().map(|&i| identified(i)).max().unwrap());
        if !by(date) {
            continue;
        }
        let mut t = format!("---\ntitle: Plan {}\nentries: [", p.slug);
        t += &ids(g, &p.entries);
        t += "]\n";
        if let Some(u) = p.updated {
            let _ = writeln!(t, "updated: {u}");
        }
        t += &approval(p.approved);
        if !p.milestones.is_empty() {
            t += "milestones:\n";
            for (k, (due, done)) in p.milestones.iter().enumerate() {
                let _ = writeln!(t, "  - title: Step {k}\n    due: {due}");
                if let Some(done) = done.filter(|d| by(*d)) {
                    let _ = writeln!(t, "    done: {done}");
                }
            }
        }
        t += "---\nThe plan.\n";
        out.push((format!("plans/{}.md", p.slug), t));
    }
    for r in g.reviews.iter().filter(|r| by(r.date)) {
        let t = format!(
            "---\ntitle: Review {}\ndate: {}\nkind: {}\nentries: [{}]\n{}---\nNotes.\n",
            r.slug,
            r.date,
            r.kind,
            ids(g, &r.entries),
            approval(r.approved)
        );
        out.push((format!("reviews/{}.md", r.slug), t));
    }
    out
}

fn ids(g: &GenRegister, idx: &[usize]) -> String {
    idx.iter()
        .map(|&i| g.entries[i].id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn entry_yaml(e: &GenEntry, by: &dyn Fn(NaiveDate) -> bool) -> String {
    let mut t = format!(
        "id: {}\ntitle: Entry {}\nidentified: {}\npriority: {}\n",
        e.id, e.id, e.identified, e.priority
    );
    if let Some(o) = e.owner {
        let _ = writeln!(t, "owner: {o}");
    }
    if let Some(target) = e.target {
        let _ = writeln!(t, "target: {target}");
    }
    if e.corrective {
        t += "type: corrective-action\n";
    }
    let mut completed_now = false;
    match &e.kind {
        Kind::Plain { status, completes } => match completes.filter(|c| by(*c)) {
            Some(c) => {
                let _ = writeln!(t, "status: completed\ncompleted: {c}");
                completed_now = true;
            }
            None => {
                let _ = writeln!(t, "status: {status}");
            }
        },
        Kind::Logged(records) => {
            let kept: Vec<&Record> = records.iter().filter(|r| by(r.date)).collect();
            let status = kept
                .iter()
                .rev()
                .find_map(|r| r.status)
                .unwrap_or("not-started");
            completed_now = status == "completed";
            let _ = writeln!(t, "status: {status}");
            if !kept.is_empty() {
                t += "history:\n";
            }
            for r in kept {
                let _ = writeln!(t, "  - date: {}", r.date);
                if let Some(s) = r.status {
                    let _ = writeln!(t, "    status: {s}");
                }
                if let Some(target) = r.target {
                    let _ = writeln!(
                        t,
                        "    target: {target}\n    reason: Waiting for a supplier."
                    );
                }
                let _ = writeln!(t, "    note: Record of {}.", r.date);
            }
        }
    }
    if let Some(x) = e.effectiveness.filter(|x| completed_now && by(*x)) {
        let _ = writeln!(t, "effectiveness:\n  date: {x}\n  result: effective");
    }
    if !e.measurements.is_empty() {
        t += "kpis:\n  - name: Score\n    direction: increase\n    measurements:\n";
        for (d, v) in e.measurements.iter().filter(|(d, _)| by(*d)) {
            let _ = writeln!(t, "      - {{date: {d}, value: {v}}}");
        }
        if !e.measurements.iter().any(|(d, _)| by(*d)) {
            t = t.replace("    measurements:\n", "    measurements: []\n");
        }
    }
    t
}

/// Loads content held in memory, with a `register/` folder even when no
/// entry is generated (as a content folder on disk has one).
fn load(
    files: &[(String, String)],
) -> (
    Option<isms_site::model::Register>,
    isms_site::model::diag::Diagnostics,
) {
    let folder = [("register/".to_string(), String::new())];
    let files = files.iter().chain(&folder).cloned();
    content::load(&content::InMemory::new(Path::new("content"), files), None)
}

/// Loads and computes content held in memory as of `as_of`; fails the
/// test on any content error.
fn computed(files: &[(String, String)], as_of: NaiveDate) -> Computed {
    let (reg, diags) = load(files);
    let (c, diags) = build::compute_figures(reg, diags, as_of, Visibility::Internal);
    assert!(
        !diags.has_errors(),
        "generated content is invalid:\n{}\n{files:#?}",
        diags.render_human(true)
    );
    c.expect("computed")
}

/// Every file of the site built from `files` as of `as_of`, in memory.
fn site(files: &[(String, String)], as_of: NaiveDate) -> BTreeMap<String, Vec<u8>> {
    let c = computed(files, as_of);
    let mut diags = Default::default();
    let mut theme = theme::load(None, &mut diags).expect("built-in theme");
    let out = Out::memory();
    build::render_into(&c, &mut theme, &out).expect("render");
    out.into_files()
}

/// The first difference between two sites, for the failure message.
fn difference(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    for (path, bytes) in a {
        match b.get(path) {
            None => return Some(format!("{path} only in the first")),
            Some(other) if other != bytes => {
                let at = bytes
                    .iter()
                    .zip(other)
                    .position(|(x, y)| x != y)
                    .unwrap_or(bytes.len().min(other.len()));
                let show = |v: &[u8]| {
                    String::from_utf8_lossy(&v[at.saturating_sub(80)..(at + 120).min(v.len())])
                        .into_owned()
                };
                return Some(format!(
                    "{path} differs at byte {at}:\n--- without later content\n{}\n--- with it\n{}",
                    show(bytes),
                    show(other)
                ));
            }
            _ => {}
        }
    }
    b.keys()
        .find(|p| !a.contains_key(*p))
        .map(|p| format!("{p} only in the second"))
}

const CASES: u64 = 40;

#[test]
fn content_dated_after_the_as_of_date_changes_nothing_in_the_build() {
    let mut differed = 0;
    for seed in 1..=CASES {
        let g = gen_register(seed);
        let mut rng = Rng(seed ^ 0xA5A5);
        let d = day0() + Duration::days(30 + rng.below(SPAN as u64) as i64);
        let then = files(&g, Some(d));
        let now = files(&g, None);
        differed += usize::from(then != now);
        let (a, b) = (site(&then, d), site(&now, d));
        if let Some(diff) = difference(&a, &b) {
            panic!("seed {seed}, as of {d}: {diff}");
        }
    }
    // The property says something only if content was added after D.
    assert!(
        differed as u64 > CASES * 3 / 4,
        "only {differed} cases had later content"
    );
}

/// A build checks the full content: an error in content dated after the
/// as-of date is still an error.
#[test]
fn later_content_is_still_validated() {
    let g = gen_register(3);
    let mut files = files(&g, None);
    files.push((
        "register/LATE.yaml".into(),
        "title: Later\nidentified: 2030-01-01\nstatus: done\npriority: high\n".into(),
    ));
    let (reg, diags) = load(&files);
    let d = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
    let (_, diags) = build::compute_figures(reg, diags, d, Visibility::Internal);
    let text = diags.render_human(true);
    assert!(diags.has_errors() && text.contains("LATE.yaml"), "{text}");
}

fn month_end(d: NaiveDate) -> bool {
    d.succ_opt().is_some_and(|n| n.day() == 1)
}

#[test]
fn month_end_trend_figures_equal_the_dashboard_as_of_each_month_end() {
    let end = day0() + Duration::days(SPAN);
    let mut checked = 0;
    for seed in 100..100 + CASES / 2 {
        let g = gen_register(seed);
        let files = files(&g, None);
        let whole = computed(&files, end);
        for point in whole.rollups.months.iter().filter(|p| month_end(p.day)) {
            let then = computed(&files, point.day).rollups;
            let ctx = format!("seed {seed}, month {}", point.month);
            assert_eq!(then.by_status, point.by_status, "{ctx}: by status");
            let open: usize = point
                .by_status
                .iter()
                .filter(|(s, _)| s.is_open())
                .map(|(_, n)| n)
                .sum();
            assert_eq!(then.open, open, "{ctx}: open");
            assert_eq!(then.overdue.len(), point.overdue, "{ctx}: overdue");
            let last = then.months.last().expect("a month");
            assert_eq!(
                (last.opened, last.completed),
                (point.opened, point.completed),
                "{ctx}: opened and completed in the month"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} month ends checked");
}

/// Every `changes.json` of a build (each management review's and the
/// review ahead's) says what the `register.json` files of two as-of
/// builds, on its `from` and `to` dates, say changed (issue 23).
#[test]
fn changes_json_is_the_difference_of_two_as_of_register_json_files() {
    let mut checked = 0;
    let mut changed = 0;
    for seed in 200..200 + CASES {
        let g = gen_register(seed);
        let files = files(&g, None);
        let mut rng = Rng(seed ^ 0x5A5A);
        let as_of = day0() + Duration::days(60 + rng.below(SPAN as u64) as i64);
        let built = site(&files, as_of);
        let mut json_on = BTreeMap::new();
        for (path, bytes) in built.iter().filter(|(p, _)| p.ends_with("changes.json")) {
            let got: serde_json::Value = serde_json::from_slice(bytes).expect("changes.json");
            let day = |k: &str| -> NaiveDate { got[k].as_str().unwrap().parse().unwrap() };
            let (from, to) = (day("from"), day("to"));
            let mut on = |d: NaiveDate| {
                json_on
                    .entry(d)
                    .or_insert_with(|| tools::changes::register_json(&computed(&files, d)))
                    .clone()
            };
            let (before, after) = (on(from), on(to));
            let want = tools::changes::between(&before, &after, &from.to_string(), &to.to_string());
            assert_eq!(got, want, "seed {seed}, as of {as_of}: {path}");
            checked += 1;
            changed += usize::from(
                got["new"] != serde_json::json!([]) || got["status"] != serde_json::json!([]),
            );
        }
    }
    assert!(
        checked >= CASES as usize,
        "only {checked} changes.json files checked"
    );
    assert!(
        changed * 2 > checked,
        "only {changed} of {checked} periods had changes"
    );
}

// The demo register, as of 2025-06-30 and on its reviews' dates, against
// counts made here straight from its YAML (serde-saphyr into plain JSON
// values; none of isms-site's reader or rules).

/// An entry as its YAML says, dates as `YYYY-MM-DD` text (which sorts as
/// dates do), enumerations normalised as authors may write them.
struct Written {
    id: String,
    identified: String,
    status: String,
    completed: Option<String>,
    target: Option<String>,
    /// `(date, status, target)` per history record.
    history: Vec<(String, Option<String>, Option<String>)>,
    /// Every other date the entry records (KPI measurements).
    measured: Vec<String>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase().replace([' ', '_'], "-")
}

fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_string)
}

fn written_entries() -> Vec<Written> {
    let dir = root_dir().join("content/register");
    let mut out = Vec::new();
    for f in std::fs::read_dir(&dir).unwrap() {
        let path = f.unwrap().path();
        let yaml = std::fs::read_to_string(&path).unwrap();
        let v: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let items = match v {
            serde_json::Value::Array(items) => items,
            one => vec![one],
        };
        for e in items {
            let history = e
                .get("history")
                .and_then(|h| h.as_array())
                .map(|h| {
                    h.iter()
                        .map(|r| {
                            let status = text(r, "status").map(|s| norm(&s));
                            (text(r, "date").unwrap(), status, text(r, "target"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let measured = e
                .get("kpis")
                .and_then(|k| k.as_array())
                .into_iter()
                .flatten()
                .flat_map(|k| k["measurements"].as_array().cloned().unwrap_or_default())
                .filter_map(|m| text(&m, "date"))
                .collect();
            out.push(Written {
                id: text(&e, "id").unwrap_or_else(|| stem.clone()),
                identified: text(&e, "identified").unwrap(),
                status: norm(&text(&e, "status").unwrap()),
                completed: text(&e, "completed"),
                target: text(&e, "target"),
                history,
                measured,
            });
        }
    }
    out
}

impl Written {
    /// The rule of the user guide: the last status change on or before
    /// the day; before the first, `not-started` when history records
    /// statuses, else the current status (in progress until completed).
    fn status_on(&self, day: &str) -> Option<String> {
        if self.identified.as_str() > day {
            return None;
        }
        let statuses: Vec<&(String, Option<String>, Option<String>)> =
            self.history.iter().filter(|h| h.1.is_some()).collect();
        if let Some(last) = statuses.iter().rev().find(|h| h.0.as_str() <= day) {
            return last.1.clone();
        }
        Some(if !statuses.is_empty() {
            "not-started".into()
        } else if self.status == "completed" {
            match &self.completed {
                Some(c) if c.as_str() <= day => "completed".into(),
                _ => "in-progress".into(),
            }
        } else {
            self.status.clone()
        })
    }

    fn target_on(&self, day: &str) -> Option<String> {
        self.history
            .iter()
            .rev()
            .filter(|h| h.0.as_str() <= day)
            .find_map(|h| h.2.clone())
            .or_else(|| self.target.clone())
    }

    fn overdue_on(&self, day: &str) -> bool {
        let open = self
            .status_on(day)
            .is_some_and(|s| s != "completed" && s != "cancelled");
        open && self.target_on(day).is_some_and(|t| t.as_str() < day)
    }

    fn dates(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.identified)
            .chain(self.history.iter().map(|h| &h.0))
            .chain(self.completed.iter())
            .chain(self.measured.iter())
    }
}

/// `build --as-of DAY` of the demo into a fresh folder.
fn demo_site(day: &str) -> std::path::PathBuf {
    let dir = fresh_tmp_dir("asof-demo");
    let out = dir.join("site");
    let o = Command::new(BIN)
        .current_dir(&dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .arg("build")
        .arg("--content")
        .arg(root_dir().join("content"))
        .arg("--output")
        .arg(&out)
        .args(["--as-of", day])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output_text(&o));
    out
}

const DEMO_DAY: &str = "2025-06-30";

#[test]
fn the_demo_dashboard_as_of_a_past_day_counts_what_the_yaml_says_then() {
    let entries = written_entries();
    let then: Vec<(&Written, String)> = entries
        .iter()
        .filter_map(|e| e.status_on(DEMO_DAY).map(|s| (e, s)))
        .collect();
    let count = |s: &str| then.iter().filter(|(_, x)| x == s).count();
    let open = then
        .iter()
        .filter(|(_, s)| s != "completed" && s != "cancelled")
        .count();
    let overdue = then.iter().filter(|(e, _)| e.overdue_on(DEMO_DAY)).count();
    let last_updated = entries
        .iter()
        .flat_map(|e| e.dates())
        .filter(|d| d.as_str() <= DEMO_DAY)
        .max()
        .unwrap();
    let mut ages: Vec<i64> = then
        .iter()
        .filter(|(_, s)| s != "completed" && s != "cancelled")
        .map(|(e, _)| {
            let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
            (d(DEMO_DAY) - d(&e.identified)).num_days()
        })
        .collect();
    ages.sort_unstable();
    let median_age = (ages[(ages.len() - 1) / 2] + ages[ages.len() / 2]) as f64 / 2.0;

    let site = demo_site(DEMO_DAY);
    let html = std::fs::read_to_string(site.join("index.html")).unwrap();
    let t = page_text(&html);
    let has = |s: String| assert!(t.contains(&s), "dashboard lacks `{s}`:\n{t}");
    has(format!("{} items in the register", then.len()));
    has(format!("{open} open"));
    has(format!("{overdue} overdue"));
    has(format!(
        "By status Status Items Not started {} Planned {} In progress {} Completed {} Cancelled {}",
        count("not-started"),
        count("planned"),
        count("in-progress"),
        count("completed"),
        count("cancelled")
    ));
    has(format!("{} median age of open items", median_age.round()));
    has(format!(
        "Last updated {last_updated} Figures as of {DEMO_DAY}"
    ));
    // The trend's last month says the same.
    has(format!(
        "2025-06 {} {} {} {open}",
        count("not-started"),
        count("planned"),
        count("in-progress")
    ));
    // Nothing completed after the day is listed, and the exports hold
    // exactly the entries identified by then.
    for (i, _) in html.match_indices("completed <time datetime=\"") {
        let date = &html[i + 26..i + 36];
        assert!(date <= DEMO_DAY, "completion {date} listed");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("register.json")).unwrap())
            .unwrap();
    assert_eq!(json["last_updated"], last_updated.as_str());
    let mut ids: Vec<&str> = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let mut expected: Vec<&str> = then.iter().map(|(e, _)| e.id.as_str()).collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
}

/// Each review page's "Entries discussed" shows every entry as it stood
/// on the review's date: status and overdue as the YAML gives them then.
#[test]
fn review_pages_show_the_entries_discussed_as_on_the_review_date() {
    let entries = written_entries();
    let site = demo_site("2026-11-27");
    let dir = root_dir().join("content/reviews");
    let mut rows_checked = 0;
    for f in std::fs::read_dir(&dir).unwrap() {
        let path = f.unwrap().path();
        let md = std::fs::read_to_string(&path).unwrap();
        let front = md.split("---").nth(1).unwrap();
        let v: serde_json::Value = serde_saphyr::from_str(front).unwrap();
        let date = text(&v, "date").unwrap();
        let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
        let page =
            std::fs::read_to_string(site.join(format!("reviews/{slug}/index.html"))).unwrap();
        let discussed = page.split("id=\"discussed-h\"").nth(1).unwrap_or("");
        let discussed = discussed.split("</table>").next().unwrap();
        for row in discussed.split("<tr").skip(2) {
            let id = row
                .split("index.html\">")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap();
            let e = entries
                .iter()
                .find(|e| e.id.eq_ignore_ascii_case(id))
                .unwrap();
            let status = row
                .split("badge status-")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let expected = e
                .status_on(&date)
                .unwrap_or_else(|| "not-identified".into());
            assert_eq!(status, expected, "{slug}: {id} on {date}");
            assert_eq!(
                row.starts_with(" class=\"overdue\""),
                e.overdue_on(&date),
                "{slug}: {id} overdue on {date}"
            );
            rows_checked += 1;
        }
    }
    assert!(rows_checked > 20, "only {rows_checked} rows");
}

/// A moved target is shown where an auditor looks: the entry page (the
/// original and current target, how often and how far it moved, each
/// change with its reason), the register, and the dashboard's list of
/// actions extended repeatedly; on-time counts the original target.
#[test]
fn moved_targets_show_on_the_entry_the_register_and_the_dashboard() {
    let site = demo_site("2026-11-27");
    let read = |rel: &str| page_text(&std::fs::read_to_string(site.join(rel)).unwrap());
    let entry = read("register/CI-019/index.html");
    for s in [
        "Target completion 2026-10-31 (originally 2026-06-30 ; extended 2×, +123 days)",
        "2026-03-02 — In progress — target set to 2026-08-31 : The MDM licences were ordered two months later than planned.",
        "target set to 2026-10-31 : The works council meets",
    ] {
        assert!(entry.contains(s), "CI-019 page lacks `{s}`:\n{entry}");
    }
    let once = read("register/CI-018/index.html");
    assert!(
        once.contains("2026-04-30 (originally 2026-03-31 ; extended 1×, +30 days)"),
        "{once}"
    );
    let register = read("register/index.html");
    assert!(
        register.contains("2026-10-31 extended 2× Overdue"),
        "{register}"
    );
    let dashboard = read("index.html");
    assert!(
        dashboard.contains("Targets extended repeatedly CI-019 Mobile device management for phones and tablets — extended 2×, originally 2026-06-30 , now 2026-10-31 (+123 days)"),
        "{dashboard}"
    );
    assert!(
        !dashboard.contains("Targets extended repeatedly CI-018"),
        "{dashboard}"
    );
    // CI-018 was completed on its moved target, a month after the first.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("register.json")).unwrap())
            .unwrap();
    let r = &json["rollups"];
    assert_eq!(
        r["on_time_rebaselined"]["part"].as_u64().unwrap(),
        r["on_time"]["part"].as_u64().unwrap() + 1,
        "{r}"
    );
}
