//! Pages: turns the register and its rollups into files in a folder.
//!
//! Views (`*View`, `Row`) are the template-facing shapes, built once per
//! entry and shared by every page that lists the entry. Markdown is
//! rendered once per field. Every link is relative (`root` is the way back
//! to the site root from the page), so the site works from any sub-path and
//! from `file://`, and every link names a file (`.../index.html`).

use crate::chart::{self, Chart};
use crate::markdown;
use crate::model::*;
use crate::rollup::{self, EntryFacts, Rollups};
use crate::theme::{Theme, flatten_error};
use crate::yaml::Enumerated;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use tera::Context;

/// What went wrong while writing the site (not a content problem).
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, RenderError>;

/// Writes into the staging folder, creating parent folders as needed.
pub struct Out<'a> {
    pub dir: &'a Path,
}

impl Out<'_> {
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| RenderError(format!("{}: {e}", parent.display())))?;
        }
        fs::write(&path, bytes).map_err(|e| RenderError(format!("{}: {e}", path.display())))
    }
}

/// Lower-case ASCII slug for a URL segment; other characters become `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "item".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Percent-encodes a path segment that came from a file name.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Gives each distinct name a unique slug, numbering clashes (`it-ops-2`).
fn unique_slugs<'a>(names: impl Iterator<Item = &'a String>) -> HashMap<String, String> {
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut out = HashMap::new();
    for name in names {
        if out.contains_key(name) {
            continue;
        }
        let base = slugify(name);
        let n = taken.entry(base.clone()).or_insert(0);
        *n += 1;
        let slug = if *n == 1 { base } else { format!("{base}-{n}") };
        out.insert(name.clone(), slug);
    }
    out
}

#[derive(Serialize, Clone)]
pub struct NameLink {
    pub name: String,
    pub url: String,
}

/// One register row: what tables and lists show of an entry.
#[derive(Serialize, Clone)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub url: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub priority: &'static str,
    pub priority_label: &'static str,
    pub entry_type: &'static str,
    pub type_label: &'static str,
    pub source: Option<&'static str>,
    pub source_label: Option<&'static str>,
    pub owner: Option<NameLink>,
    pub identified: String,
    pub target: Option<String>,
    pub completed: Option<String>,
    pub overdue: bool,
    pub days_overdue: Option<i64>,
    pub age_days: Option<i64>,
    pub description: String,
    pub outcome: String,
    pub controls: Vec<NameLink>,
    pub tags: Vec<NameLink>,
}

#[derive(Serialize)]
struct HistoryView {
    date: String,
    status: Option<&'static str>,
    status_label: Option<&'static str>,
    note_html: Option<String>,
}

#[derive(Serialize)]
struct KpiView {
    name: String,
    unit: Option<String>,
    baseline: Option<f64>,
    target: Option<f64>,
    direction_label: &'static str,
    latest: Option<f64>,
    latest_date: Option<String>,
    /// Whether the latest value meets the target in the KPI's direction.
    met: Option<bool>,
    chart: Option<ChartView>,
}

#[derive(Serialize, Clone)]
pub struct ChartView {
    pub src: String,
    pub title: String,
    pub description: String,
    pub table: Vec<Vec<String>>,
}

fn chart_view(c: &Chart, dir: &str) -> ChartView {
    ChartView {
        src: format!("{dir}{}", c.file),
        title: c.title.clone(),
        description: c.description.clone(),
        table: c.table.clone(),
    }
}

#[derive(Serialize)]
struct LinkView {
    title: String,
    href: String,
    external: bool,
}

#[derive(Serialize)]
struct DatedLink {
    title: String,
    url: String,
    date: Option<String>,
}

/// Everything the site's pages are made from, computed once.
pub struct Site<'a> {
    pub reg: &'a Register,
    pub facts: &'a [EntryFacts],
    pub rollups: &'a Rollups,
    pub rows: Vec<Row>,
    owner_slugs: HashMap<String, String>,
    control_slugs: HashMap<String, String>,
    tag_slugs: HashMap<String, String>,
    plans_of: Vec<Vec<usize>>,
    reviews_of: Vec<Vec<usize>>,
}

fn entry_url(id: &str) -> String {
    format!("register/{id}/index.html")
}

fn plan_url(slug: &str) -> String {
    format!("plans/{}/index.html", encode_segment(slug))
}

fn review_url(slug: &str) -> String {
    format!("reviews/{}/index.html", encode_segment(slug))
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl<'a> Site<'a> {
    pub fn new(reg: &'a Register, facts: &'a [EntryFacts], rollups: &'a Rollups) -> Site<'a> {
        let owners: Vec<String> = reg.entries.iter().map(owner_name).collect();
        let owner_slugs = unique_slugs(owners.iter());
        let control_slugs = unique_slugs(reg.entries.iter().flat_map(|e| e.controls.iter()));
        let tag_slugs = unique_slugs(reg.entries.iter().flat_map(|e| e.tags.iter()));
        let plans_of = referrers(reg, reg.plans.iter().map(|p| &p.entries));
        let reviews_of = referrers(reg, reg.reviews.iter().map(|r| &r.entries));
        let mut site = Site {
            reg,
            facts,
            rollups,
            rows: Vec::new(),
            owner_slugs,
            control_slugs,
            tag_slugs,
            plans_of,
            reviews_of,
        };
        site.rows = reg
            .entries
            .par_iter()
            .zip(facts.par_iter())
            .map(|(e, f)| site.row(e, f))
            .collect();
        site
    }

    fn row(&self, e: &Entry, f: &EntryFacts) -> Row {
        let owner = e.owner.as_ref().map(|o| NameLink {
            name: o.clone(),
            url: format!("owners/{}/index.html", self.owner_slugs[o]),
        });
        Row {
            id: e.id.clone(),
            title: e.title.clone(),
            url: entry_url(&e.id),
            status: e.status.slug(),
            status_label: e.status.label(),
            priority: e.priority.slug(),
            priority_label: e.priority.label(),
            entry_type: e.entry_type.slug(),
            type_label: e.entry_type.label(),
            source: e.source.map(|s| s.slug()),
            source_label: e.source.map(|s| s.label()),
            owner,
            identified: iso(e.identified),
            target: e.target.map(iso),
            completed: e.completed.map(iso),
            overdue: f.overdue,
            days_overdue: f.days_overdue,
            age_days: f.age_days,
            description: e
                .description
                .as_deref()
                .map(|d| markdown::excerpt(d, 160))
                .unwrap_or_default(),
            outcome: e
                .outcome
                .as_deref()
                .map(|d| markdown::excerpt(d, 160))
                .unwrap_or_default(),
            controls: e
                .controls
                .iter()
                .map(|c| NameLink {
                    name: c.clone(),
                    url: format!("controls/{}/index.html", self.control_slugs[c]),
                })
                .collect(),
            tags: e
                .tags
                .iter()
                .map(|t| NameLink {
                    name: t.clone(),
                    url: format!("tags/{}/index.html", self.tag_slugs[t]),
                })
                .collect(),
        }
    }

    fn rows_of(&self, idx: &[usize]) -> Vec<&Row> {
        idx.iter().map(|i| &self.rows[*i]).collect()
    }
}

/// For each entry, the positions of the plans (or reviews) naming it:
/// one pass over the references, not a search per entry.
fn referrers<'a>(reg: &Register, lists: impl Iterator<Item = &'a Vec<String>>) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); reg.entries.len()];
    for (n, ids) in lists.enumerate() {
        for id in ids {
            if let Some(i) = reg.entry_index(id)
                && out[i].last() != Some(&n)
            {
                out[i].push(n);
            }
        }
    }
    out
}

fn owner_name(e: &Entry) -> String {
    e.owner
        .clone()
        .unwrap_or_else(|| rollup::UNASSIGNED.to_string())
}

/// Renders a template with the page's own variables.
fn page(theme: &Theme, template: &str, root: &str, section: &str, ctx: Context) -> Result<String> {
    let mut c = ctx;
    c.insert("root", root);
    c.insert("section", section);
    theme
        .tera
        .render(template, &c)
        .map_err(|e| RenderError(format!("template {template}: {}", flatten_error(&e))))
}

/// Writes every page, chart and data file of the site into `out`.
pub fn render_site(site: &Site, theme: &mut Theme, out: &Out, as_of: NaiveDate) -> Result<usize> {
    // Values every template sees, set once on the shared Tera instance.
    let globals = theme.tera.global_context();
    globals.insert("site", &site_view(site.reg));
    globals.insert("as_of", &iso(as_of));
    globals.insert(
        "generator",
        concat!("isms-site ", env!("CARGO_PKG_VERSION")),
    );
    let theme: &Theme = theme;

    for (name, bytes) in &theme.assets {
        out.write(&format!("assets/{name}"), bytes)?;
    }
    let mut count = theme.assets.len();

    let charts = chart::dashboard_charts(site.rollups);
    for c in &charts {
        out.write(&format!("charts/{}", c.file), c.svg.as_bytes())?;
    }
    count += charts.len();

    count += render_dashboard(site, theme, out, &charts)?;
    count += render_register(site, theme, out)?;
    count += render_entries(site, theme, out)?;
    count += render_plans(site, theme, out)?;
    count += render_reviews(site, theme, out)?;
    count += render_taxonomies(site, theme, out)?;
    count += copy_evidence(site.reg, out)?;
    Ok(count)
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    organization: Option<&'a str>,
    description_html: Option<String>,
    created: Option<String>,
    responsible: Option<&'a str>,
}

fn site_view(reg: &Register) -> SiteView<'_> {
    SiteView {
        title: &reg.site.title,
        organization: reg.site.organization.as_deref(),
        description_html: reg
            .site
            .description
            .as_deref()
            .map(|d| markdown::to_html(d, "")),
        created: reg.site.created.map(iso),
        responsible: reg.site.responsible.as_deref(),
    }
}

#[derive(Serialize)]
struct CountView {
    label: String,
    count: usize,
    url: Option<String>,
    key: String,
}

fn render_dashboard(site: &Site, theme: &Theme, out: &Out, charts: &[Chart]) -> Result<usize> {
    let r = site.rollups;
    let mut c = Context::new();
    c.insert("r", r);
    c.insert("last_updated", &r.last_updated.map(iso));
    c.insert(
        "by_status",
        &r.by_status
            .iter()
            .map(|(s, n)| CountView {
                label: s.label().into(),
                count: *n,
                url: Some(format!("status/{}/index.html", s.slug())),
                key: s.slug().into(),
            })
            .collect::<Vec<_>>(),
    );
    c.insert(
        "by_priority",
        &r.by_priority
            .iter()
            .map(|(p, n)| CountView {
                label: p.label().into(),
                count: *n,
                url: Some(format!("priority/{}/index.html", p.slug())),
                key: p.slug().into(),
            })
            .collect::<Vec<_>>(),
    );
    c.insert(
        "by_type",
        &r.by_type
            .iter()
            .map(|(t, n)| CountView {
                label: t.label().into(),
                count: *n,
                url: None,
                key: t.slug().into(),
            })
            .collect::<Vec<_>>(),
    );
    c.insert(
        "by_source",
        &r.by_source
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| CountView {
                label: s.map(|s| s.label()).unwrap_or("Not given").into(),
                count: *n,
                url: s.map(|s| format!("source/{}/index.html", s.slug())),
                key: s.map(|s| s.slug()).unwrap_or("none").into(),
            })
            .collect::<Vec<_>>(),
    );
    c.insert(
        "by_owner",
        &r.by_owner
            .iter()
            .map(|(o, n)| CountView {
                label: o.clone(),
                count: *n,
                url: Some(format!(
                    "owners/{}/index.html",
                    site.owner_slugs
                        .get(o)
                        .cloned()
                        .unwrap_or_else(|| slugify(o))
                )),
                key: o.clone(),
            })
            .collect::<Vec<_>>(),
    );
    c.insert(
        "by_control",
        &r.by_control
            .iter()
            .take(12)
            .map(|(o, n)| CountView {
                label: o.clone(),
                count: *n,
                url: Some(format!("controls/{}/index.html", site.control_slugs[o])),
                key: o.clone(),
            })
            .collect::<Vec<_>>(),
    );
    c.insert("overdue", &site.rows_of(&r.overdue));
    let ms: Vec<DatedLink> = r
        .overdue_milestones
        .iter()
        .map(|m| {
            let p = &site.reg.plans[m.plan];
            DatedLink {
                title: format!("{} — {}", p.milestones[m.milestone].title, p.title),
                url: plan_url(&p.slug),
                date: p.milestones[m.milestone].due.map(iso),
            }
        })
        .collect();
    c.insert("overdue_milestones", &ms);
    let recent: Vec<&Row> = r
        .recently_completed
        .iter()
        .take(8)
        .map(|i| &site.rows[*i])
        .collect();
    c.insert("recent", &recent);
    c.insert(
        "charts",
        &charts
            .iter()
            .map(|ch| chart_view(ch, "charts/"))
            .collect::<Vec<_>>(),
    );
    let html = page(theme, "index.html", "", "dashboard", c)?;
    out.write("index.html", html.as_bytes())?;
    Ok(1)
}

/// Filter choices for the register table, from the data itself.
#[derive(Serialize)]
struct FilterOption {
    value: String,
    label: String,
}

fn render_register(site: &Site, theme: &Theme, out: &Out) -> Result<usize> {
    let mut c = Context::new();
    c.insert("rows", &site.rows);
    c.insert(
        "statuses",
        &Status::ALL
            .iter()
            .map(|s| FilterOption {
                value: s.slug().into(),
                label: s.label().into(),
            })
            .collect::<Vec<_>>(),
    );
    c.insert(
        "priorities",
        &Priority::ALL
            .iter()
            .map(|s| FilterOption {
                value: s.slug().into(),
                label: s.label().into(),
            })
            .collect::<Vec<_>>(),
    );
    c.insert(
        "owners",
        &site
            .rollups
            .by_owner
            .iter()
            .filter(|(o, _)| o != rollup::UNASSIGNED)
            .map(|(o, _)| FilterOption {
                value: o.clone(),
                label: o.clone(),
            })
            .collect::<Vec<_>>(),
    );
    let html = page(theme, "register.html", "../", "register", c)?;
    out.write("register/index.html", html.as_bytes())?;
    Ok(1)
}

fn render_entries(site: &Site, theme: &Theme, out: &Out) -> Result<usize> {
    let counts: Vec<usize> = site
        .reg
        .entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| render_entry(site, theme, out, i, e))
        .collect::<Result<Vec<_>>>()?;
    Ok(counts.iter().sum())
}

fn md(s: &Option<String>, root: &str) -> Option<String> {
    s.as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| markdown::to_html(t, root))
}

fn render_entry(site: &Site, theme: &Theme, out: &Out, i: usize, e: &Entry) -> Result<usize> {
    const ROOT: &str = "../../";
    let dir = format!("register/{}/", e.id);
    let mut files = 1;
    let mut kpis = Vec::new();
    for (k, kpi) in e.kpis.iter().enumerate() {
        let chart = chart::kpi_chart(&e.id, k, kpi);
        if let Some(ch) = &chart {
            out.write(&format!("{dir}{}", ch.file), ch.svg.as_bytes())?;
            files += 1;
        }
        let latest = kpi.measurements.last();
        kpis.push(KpiView {
            name: kpi.name.clone(),
            unit: kpi.unit.clone(),
            baseline: kpi.baseline,
            target: kpi.target,
            direction_label: kpi.direction.label(),
            latest: latest.map(|m| m.value),
            latest_date: latest.map(|m| iso(m.date)),
            met: match (latest, kpi.target) {
                (Some(m), Some(t)) => Some(match kpi.direction {
                    Direction::Increase => m.value >= t,
                    Direction::Decrease => m.value <= t,
                }),
                _ => None,
            },
            chart: chart.as_ref().map(|ch| chart_view(ch, &dir)),
        });
    }
    let history: Vec<HistoryView> = e
        .history
        .iter()
        .map(|h| HistoryView {
            date: iso(h.date),
            status: h.status.map(|s| s.slug()),
            status_label: h.status.map(|s| s.label()),
            note_html: md(&h.note, ROOT),
        })
        .collect();
    let timeline: Vec<(String, &str, &str)> = site.facts[i]
        .timeline
        .iter()
        .map(|(d, s)| (iso(*d), s.slug(), s.label()))
        .collect();
    let links: Vec<LinkView> = e
        .links
        .iter()
        .map(|l| match &l.target {
            LinkTarget::Web(u) => LinkView {
                title: l.title.clone(),
                href: u.clone(),
                external: true,
            },
            LinkTarget::Evidence(p) => LinkView {
                title: l.title.clone(),
                href: format!(
                    "{ROOT}evidence/{}",
                    p.split('/')
                        .map(encode_segment)
                        .collect::<Vec<_>>()
                        .join("/")
                ),
                external: false,
            },
        })
        .collect();
    let plans: Vec<DatedLink> = site.plans_of[i]
        .iter()
        .map(|p| {
            let p = &site.reg.plans[*p];
            DatedLink {
                title: p.title.clone(),
                url: plan_url(&p.slug),
                date: p.updated.map(iso),
            }
        })
        .collect();
    let reviews: Vec<DatedLink> = site.reviews_of[i]
        .iter()
        .map(|r| {
            let r = &site.reg.reviews[*r];
            DatedLink {
                title: r.title.clone(),
                url: review_url(&r.slug),
                date: Some(iso(r.date)),
            }
        })
        .collect();
    let extra: Vec<(String, String)> = e
        .extra
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();

    let mut c = Context::new();
    c.insert("e", &site.rows[i]);
    c.insert("description_html", &md(&e.description, ROOT));
    c.insert("outcome_html", &md(&e.outcome, ROOT));
    c.insert("lessons_html", &md(&e.lessons, ROOT));
    c.insert("resources_html", &md(&e.resources, ROOT));
    c.insert("benefit", &e.benefit.map(|l| l.label()));
    c.insert("effort", &e.effort.map(|l| l.label()));
    c.insert(
        "effectiveness",
        &e.effectiveness.as_ref().map(|x| {
            BTreeMap::from([
                ("date", Some(iso(x.date))),
                ("result", Some(x.result.slug().to_string())),
                ("result_label", Some(x.result.label().to_string())),
                ("by", x.by.clone()),
                ("note_html", md(&x.note, ROOT)),
            ])
        }),
    );
    c.insert("history", &history);
    c.insert("timeline", &timeline);
    c.insert("kpis", &kpis);
    c.insert("links", &links);
    c.insert("plans", &plans);
    c.insert("reviews", &reviews);
    c.insert("extra", &extra);
    let html = page(theme, "entry.html", ROOT, "register", c)?;
    out.write(&format!("{dir}index.html"), html.as_bytes())?;
    Ok(files)
}

#[derive(Serialize)]
struct MilestoneView {
    title: String,
    due: Option<String>,
    done: Option<String>,
    /// done, late (done after due), overdue, open
    state: &'static str,
}

fn milestone_views(p: &Plan, as_of: NaiveDate) -> Vec<MilestoneView> {
    p.milestones
        .iter()
        .map(|m| MilestoneView {
            title: m.title.clone(),
            due: m.due.map(iso),
            done: m.done.map(iso),
            state: match (m.due, m.done) {
                (Some(due), Some(done)) if done > due => "late",
                (_, Some(_)) => "done",
                (Some(due), None) if due < as_of => "overdue",
                _ => "open",
            },
        })
        .collect()
}

#[derive(Serialize)]
struct PlanSummary {
    title: String,
    url: String,
    owner: Option<String>,
    updated: Option<String>,
    milestones_total: usize,
    milestones_done: usize,
    milestones_overdue: usize,
    entries: usize,
}

fn render_plans(site: &Site, theme: &Theme, out: &Out) -> Result<usize> {
    let as_of = site.rollups.as_of;
    let results: Vec<Result<PlanSummary>> = site
        .reg
        .plans
        .par_iter()
        .map(|p| {
            const ROOT: &str = "../../";
            let milestones = milestone_views(p, as_of);
            let done = milestones
                .iter()
                .filter(|m| matches!(m.state, "done" | "late"))
                .count();
            let overdue = milestones.iter().filter(|m| m.state == "overdue").count();
            let rows: Vec<&Row> = p
                .entries
                .iter()
                .filter_map(|id| site.reg.entry_index(id))
                .map(|i| &site.rows[i])
                .collect();
            let mut c = Context::new();
            c.insert(
                "plan",
                &BTreeMap::from([
                    ("title", Some(p.title.clone())),
                    ("owner", p.owner.clone()),
                    ("updated", p.updated.map(iso)),
                ]),
            );
            c.insert("body_html", &markdown::to_html(&p.body, ROOT));
            c.insert("milestones", &milestones);
            c.insert("milestones_done", &done);
            c.insert(
                "progress",
                &if milestones.is_empty() {
                    0
                } else {
                    done * 100 / milestones.len()
                },
            );
            c.insert("rows", &rows);
            let html = page(theme, "plan.html", ROOT, "plans", c)?;
            out.write(&format!("plans/{}/index.html", p.slug), html.as_bytes())?;
            Ok(PlanSummary {
                title: p.title.clone(),
                url: plan_url(&p.slug),
                owner: p.owner.clone(),
                updated: p.updated.map(iso),
                milestones_total: milestones.len(),
                milestones_done: done,
                milestones_overdue: overdue,
                entries: rows.len(),
            })
        })
        .collect();
    let summaries = results.into_iter().collect::<Result<Vec<_>>>()?;
    let mut c = Context::new();
    c.insert("plans", &summaries);
    let html = page(theme, "plans.html", "../", "plans", c)?;
    out.write("plans/index.html", html.as_bytes())?;
    Ok(summaries.len() + 1)
}

/// The "Continual improvement" section of a review, as of its date.
#[derive(Serialize)]
struct ReviewFigures {
    date: String,
    since: Option<String>,
    by_status: Vec<CountView>,
    open: usize,
    completed_since: Vec<Row>,
    overdue: Vec<Row>,
}

fn review_figures(site: &Site, review: &Review, previous: Option<&Review>) -> ReviewFigures {
    let snap = rollup::snapshot(site.reg, site.facts, review.date);
    let since = previous.map(|p| p.date);
    let completed_since: Vec<Row> = site
        .reg
        .entries
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            rollup::status_on(&site.facts[*i].timeline, review.date) == Some(Status::Completed)
                && e.completed
                    .is_some_and(|c| c <= review.date && since.is_none_or(|s| c > s))
        })
        .map(|(i, _)| site.rows[i].clone())
        .collect();
    ReviewFigures {
        date: iso(review.date),
        since: since.map(iso),
        by_status: snap
            .by_status
            .iter()
            .map(|(s, n)| CountView {
                label: s.label().into(),
                count: *n,
                url: None,
                key: s.slug().into(),
            })
            .collect(),
        open: snap.open,
        completed_since,
        overdue: snap
            .overdue
            .iter()
            .map(|i| {
                let mut row = site.rows[*i].clone();
                // Overdue as of the review day, not as of the build.
                row.overdue = true;
                row.days_overdue = site.reg.entries[*i]
                    .target
                    .map(|t| (review.date - t).num_days());
                row
            })
            .collect(),
    }
}

fn render_reviews(site: &Site, theme: &Theme, out: &Out) -> Result<usize> {
    let reviews = &site.reg.reviews;
    let results: Vec<Result<DatedLink>> = reviews
        .par_iter()
        .enumerate()
        .map(|(ri, r)| {
            const ROOT: &str = "../../";
            let previous = reviews[..ri]
                .iter()
                .rev()
                .find(|p| p.kind == r.kind && p.date < r.date);
            let rows: Vec<&Row> = r
                .entries
                .iter()
                .filter_map(|id| site.reg.entry_index(id))
                .map(|i| &site.rows[i])
                .collect();
            let mut c = Context::new();
            c.insert(
                "review",
                &BTreeMap::from([
                    ("title", Some(r.title.clone())),
                    ("date", Some(iso(r.date))),
                    ("kind", Some(r.kind.label().to_string())),
                    ("previous", previous.map(|p| p.title.clone())),
                    ("previous_url", previous.map(|p| review_url(&p.slug))),
                ]),
            );
            c.insert("attendees", &r.attendees);
            c.insert("body_html", &markdown::to_html(&r.body, ROOT));
            c.insert("rows", &rows);
            c.insert("ci", &review_figures(site, r, previous));
            let html = page(theme, "review.html", ROOT, "reviews", c)?;
            out.write(&format!("reviews/{}/index.html", r.slug), html.as_bytes())?;
            Ok(DatedLink {
                title: r.title.clone(),
                url: review_url(&r.slug),
                date: Some(iso(r.date)),
            })
        })
        .collect();
    let mut list = results.into_iter().collect::<Result<Vec<_>>>()?;
    list.reverse(); // newest first
    let kinds: Vec<&str> = reviews.iter().rev().map(|r| r.kind.label()).collect();
    let mut c = Context::new();
    c.insert("reviews", &list);
    c.insert("kinds", &kinds);
    let html = page(theme, "reviews.html", "../", "reviews", c)?;
    out.write("reviews/index.html", html.as_bytes())?;
    Ok(list.len() + 1)
}

#[derive(Serialize)]
struct TermView {
    name: String,
    url: String,
    count: usize,
    open: usize,
    overdue: usize,
}

#[derive(Serialize)]
struct GroupView {
    heading: String,
    terms: Vec<TermView>,
}

/// One way of grouping entries (owner, status, …): an index page listing
/// the terms and one page per term.
struct Taxonomy {
    dir: &'static str,
    title: &'static str,
    singular: &'static str,
    /// Term name, slug, entry indices; in display order.
    terms: Vec<(String, String, Vec<usize>)>,
    group: fn(&str) -> String,
}

fn no_group(_: &str) -> String {
    String::new()
}

/// Annex A controls by theme (A.5–A.8), clauses by number, per ISO/IEC
/// 27001:2022's structure.
pub fn control_group(name: &str) -> String {
    let n = name.trim();
    let upper = n.to_ascii_uppercase();
    if let Some(rest) = upper
        .strip_prefix("A.")
        .or_else(|| upper.strip_prefix("A "))
    {
        return match rest.split('.').next() {
            Some("5") => "Annex A theme 5 — Organizational controls",
            Some("6") => "Annex A theme 6 — People controls",
            Some("7") => "Annex A theme 7 — Physical controls",
            Some("8") => "Annex A theme 8 — Technological controls",
            _ => "Annex A — other",
        }
        .to_string();
    }
    let clause = n.split('.').next().unwrap_or("");
    match clause {
        "4" => "Clause 4 — Context of the organization",
        "5" => "Clause 5 — Leadership",
        "6" => "Clause 6 — Planning",
        "7" => "Clause 7 — Support",
        "8" => "Clause 8 — Operation",
        "9" => "Clause 9 — Performance evaluation",
        "10" => "Clause 10 — Improvement",
        _ => "Other references",
    }
    .to_string()
}

fn group_order(heading: &str) -> (u8, String) {
    let rank = if heading.starts_with("Annex A theme") {
        1
    } else if heading.starts_with("Annex") {
        2
    } else if heading.starts_with("Clause") {
        0
    } else {
        3
    };
    let num: String = heading
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (rank, format!("{:>4}", num))
}

fn taxonomies(site: &Site) -> Vec<Taxonomy> {
    let entries = &site.reg.entries;
    let by_enum = |keys: Vec<(&'static str, &'static str)>, of: &dyn Fn(&Entry) -> &'static str| {
        keys.into_iter()
            .map(|(slug, label)| {
                (
                    label.to_string(),
                    slug.to_string(),
                    (0..entries.len())
                        .filter(|i| of(&entries[*i]) == slug)
                        .collect(),
                )
            })
            .collect::<Vec<(String, String, Vec<usize>)>>()
    };
    vec![
        Taxonomy {
            dir: "owners",
            title: "Owners",
            singular: "Owner",
            terms: terms_by(entries, &site.owner_slugs, |e| vec![owner_name(e)]),
            group: no_group,
        },
        Taxonomy {
            dir: "status",
            title: "Statuses",
            singular: "Status",
            terms: by_enum(
                Status::ALL.iter().map(|s| (s.slug(), s.label())).collect(),
                &|e| e.status.slug(),
            ),
            group: no_group,
        },
        Taxonomy {
            dir: "priority",
            title: "Priorities",
            singular: "Priority",
            terms: by_enum(
                Priority::ALL
                    .iter()
                    .map(|s| (s.slug(), s.label()))
                    .collect(),
                &|e| e.priority.slug(),
            ),
            group: no_group,
        },
        Taxonomy {
            dir: "source",
            title: "Sources",
            singular: "Source",
            terms: by_enum(
                Source::ALL.iter().map(|s| (s.slug(), s.label())).collect(),
                &|e| e.source.map(|s| s.slug()).unwrap_or(""),
            ),
            group: no_group,
        },
        Taxonomy {
            dir: "controls",
            title: "Controls and clauses",
            singular: "Control",
            terms: terms_by(entries, &site.control_slugs, |e| e.controls.clone()),
            group: control_group,
        },
        Taxonomy {
            dir: "tags",
            title: "Tags",
            singular: "Tag",
            terms: terms_by(entries, &site.tag_slugs, |e| e.tags.clone()),
            group: no_group,
        },
    ]
}

/// Entries grouped by free-text names (owners, controls, tags), each term
/// with its slug, in natural order. One pass over the entries.
fn terms_by(
    entries: &[Entry],
    slugs: &HashMap<String, String>,
    names_of: impl Fn(&Entry) -> Vec<String>,
) -> Vec<(String, String, Vec<usize>)> {
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        for name in names_of(e) {
            let list = members.entry(name).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let mut terms: Vec<_> = members
        .into_iter()
        .map(|(name, list)| {
            let slug = slugs.get(&name).cloned().unwrap_or_else(|| slugify(&name));
            (name, slug, list)
        })
        .collect();
    terms.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    terms
}

fn render_taxonomies(site: &Site, theme: &Theme, out: &Out) -> Result<usize> {
    let mut count = 0;
    for tax in taxonomies(site) {
        let mut groups: BTreeMap<(u8, String), GroupView> = BTreeMap::new();
        for (name, slug, members) in &tax.terms {
            let heading = (tax.group)(name);
            let g = groups
                .entry(group_order(&heading))
                .or_insert_with(|| GroupView {
                    heading: heading.clone(),
                    terms: Vec::new(),
                });
            g.terms.push(TermView {
                name: name.clone(),
                url: format!("{}/{slug}/index.html", tax.dir),
                count: members.len(),
                open: members
                    .iter()
                    .filter(|i| site.reg.entries[**i].status.is_open())
                    .count(),
                overdue: members.iter().filter(|i| site.facts[**i].overdue).count(),
            });
        }
        let groups: Vec<GroupView> = groups.into_values().collect();
        let mut c = Context::new();
        c.insert("title", tax.title);
        c.insert("singular", tax.singular);
        c.insert("groups", &groups);
        let html = page(theme, "taxonomy.html", "../", tax.dir, c)?;
        out.write(&format!("{}/index.html", tax.dir), html.as_bytes())?;
        count += 1;
        let pages: Vec<Result<()>> = tax
            .terms
            .par_iter()
            .map(|(name, slug, members)| {
                let mut c = Context::new();
                c.insert("title", tax.title);
                c.insert("singular", tax.singular);
                c.insert("index_url", &format!("{}/index.html", tax.dir));
                c.insert("name", name);
                c.insert("group", &(tax.group)(name));
                c.insert("rows", &site.rows_of(members));
                let html = page(theme, "term.html", "../../", tax.dir, c)?;
                out.write(&format!("{}/{slug}/index.html", tax.dir), html.as_bytes())
            })
            .collect();
        for p in pages {
            p?;
        }
        count += tax.terms.len();
    }
    Ok(count)
}

fn copy_evidence(reg: &Register, out: &Out) -> Result<usize> {
    for f in &reg.evidence {
        let bytes =
            fs::read(&f.source).map_err(|e| RenderError(format!("{}: {e}", f.source.display())))?;
        out.write(&format!("evidence/{}", f.rel), &bytes)?;
    }
    Ok(reg.evidence.len())
}

/// For tests and tools: where a page for an entry lands.
pub fn entry_page_path(out: &Path, id: &str) -> PathBuf {
    out.join(entry_url(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_unique() {
        assert_eq!(slugify("IT Operations"), "it-operations");
        assert_eq!(slugify("A.5.15"), "a-5-15");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("€€"), "item");
        let names = ["IT Ops".to_string(), "it-ops".to_string()];
        let s = unique_slugs(names.iter());
        assert_eq!(s["IT Ops"], "it-ops");
        assert_eq!(s["it-ops"], "it-ops-2");
    }

    #[test]
    fn controls_group_by_annex_theme_and_clause() {
        assert!(control_group("A.5.15").contains("theme 5"));
        assert!(control_group("A.8.8").contains("Technological"));
        assert!(control_group("10.2").contains("Clause 10"));
        assert!(control_group("6.1.3").contains("Planning"));
        assert_eq!(control_group("PCI DSS 11.3"), "Other references");
    }
}
