//! A group site: one dashboard over several registers (their figures side
//! by side and in total), and a combined register whose rows link to each
//! register's own entry pages. Made only from the registers' exports
//! ([`crate::model::group`]); written through [`Out`] like every site.

use crate::compute::group::GroupFigures;
use crate::content::i18n::Catalogue;
use crate::model::Enumerated;
use crate::model::group::{Figures, GroupSource};
use crate::model::{Priority, Status};
use crate::output::sink::{Out, RenderError};
use crate::output::theme::{Theme, flatten_error};
use crate::output::urls::encode_segment;
use chrono::NaiveDate;
use serde::Serialize;
use tera::Context;

type Result<T> = std::result::Result<T, RenderError>;

/// Rows per page of the combined register, as in a register's own.
pub const PAGE_SIZE: usize = crate::output::pages::REGISTER_PAGE_SIZE;

/// The combined register's filter script, written with the group site.
const GROUP_JS: &str = include_str!("group.js");

/// Where a register's site is, seen from the group site's root: a
/// relative prefix (`../site-a/`) or an absolute address from its
/// `base_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteLink {
    Relative(String),
    Absolute(String),
}

impl SiteLink {
    /// The link to `rel` (a path inside that site) from a group page
    /// `root` away from the group's root.
    fn to(&self, root: &str, rel: &str) -> String {
        match self {
            SiteLink::Relative(p) => format!("{root}{p}{rel}"),
            SiteLink::Absolute(base) => format!("{base}{rel}"),
        }
    }
}

/// Everything the group pages are made from.
pub struct GroupInputs<'a> {
    pub title: &'a str,
    pub sources: &'a [GroupSource],
    pub links: &'a [SiteLink],
    pub figures: &'a GroupFigures,
    pub audience: crate::model::Visibility,
    /// The group site's words: English, as the group has no site.yaml
    /// (its templates still take every word from the catalogue).
    pub i18n: &'a Catalogue,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    organization: Option<&'a str>,
}

#[derive(Serialize)]
struct RegisterView<'a> {
    n: usize,
    title: &'a str,
    organization: Option<&'a str>,
    as_of: String,
    differs: bool,
    audience: &'static str,
    home: String,
    figures: &'a Figures,
    effective_percent: Option<usize>,
}

#[derive(Serialize)]
struct Row<'a> {
    /// The register's number (1-based), for the filter.
    r: usize,
    register: &'a str,
    id: &'a str,
    title: &'a str,
    href: String,
    status: &'static str,
    status_label: &'static str,
    priority: &'static str,
    priority_label: &'static str,
    owner: Option<&'a str>,
    target: Option<&'a str>,
    overdue: bool,
}

#[derive(Serialize)]
struct PageLink {
    n: usize,
    url: Option<String>,
}

#[derive(Serialize)]
struct FilterChoice {
    value: String,
    label: String,
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The file of combined register page `n` (1-based), all in one folder.
pub fn page_path(n: usize) -> String {
    if n <= 1 {
        "register/index.html".to_string()
    } else {
        format!("register/{n}.html")
    }
}

fn render(theme: &Theme, template: &str, mut c: Context, root: &str) -> Result<String> {
    c.insert("root", root);
    theme
        .tera
        .render(template, &c)
        .map_err(|e| RenderError(format!("template {template}: {}", flatten_error(&e))))
}

fn base_context(g: &GroupInputs) -> Context {
    let mut c = Context::new();
    c.insert(
        "site",
        &SiteView {
            title: g.title,
            organization: None,
        },
    );
    c.insert("as_of", &iso(g.figures.as_of));
    c.insert("audience", g.audience.slug());
    c.insert(
        "audience_label",
        g.i18n.t(&format!("audience-{}", g.audience.slug())),
    );
    c.insert("lang", g.i18n.tag());
    c.insert(
        "generator",
        concat!("isms-site ", env!("CARGO_PKG_VERSION")),
    );
    c.insert("section", "");
    c
}

fn register_views<'a>(g: &'a GroupInputs, root: &str) -> Vec<RegisterView<'a>> {
    g.sources
        .iter()
        .zip(g.links)
        .enumerate()
        .map(|(i, (s, link))| RegisterView {
            n: i + 1,
            title: &s.title,
            organization: s.organization.as_deref(),
            as_of: iso(s.as_of),
            differs: g.figures.differing.contains(&i),
            audience: s.audience.slug(),
            home: link.to(root, "index.html"),
            figures: &s.figures,
            effective_percent: s.figures.effective_percent(),
        })
        .collect()
}

/// A row of the combined register; its link is made from the id (never
/// from a URL in the export, which could point anywhere).
fn row<'a>(g: &'a GroupInputs, i: usize, e: &'a crate::model::group::GroupEntry) -> Row<'a> {
    let status = Status::from_text(&e.status);
    let priority = Priority::from_text(&e.priority);
    Row {
        r: i + 1,
        register: &g.sources[i].title,
        id: &e.id,
        title: &e.title,
        href: g.links[i].to(
            "../",
            &format!("register/{}/index.html", encode_segment(&e.id)),
        ),
        status: status.map_or("", |s| s.slug()),
        status_label: status.map_or("", |s| g.i18n.label(s)),
        priority: priority.map_or("", |p| p.slug()),
        priority_label: priority.map_or("", |p| g.i18n.label(p)),
        owner: e.owner.as_deref(),
        target: e.target.as_deref(),
        overdue: e.overdue,
    }
}

/// Writes the group site; returns how many files.
pub fn write(g: &GroupInputs, theme: &Theme, out: &Out) -> Result<usize> {
    for (name, bytes) in &theme.assets {
        out.write(&format!("assets/{name}"), bytes)?;
    }
    out.write("assets/group.js", GROUP_JS.as_bytes())?;
    let mut count = theme.assets.len() + 1;
    count += write_dashboard(g, theme, out)?;
    count += write_register(g, theme, out)?;
    out.write_with("group.json", |w| group_json(g, w))?;
    Ok(count + 1)
}

fn write_dashboard(g: &GroupInputs, theme: &Theme, out: &Out) -> Result<usize> {
    let mut c = base_context(g);
    c.insert("section", "dashboard");
    c.insert("registers", &register_views(g, ""));
    c.insert("total", &g.figures.total);
    c.insert("total_percent", &g.figures.total.effective_percent());
    let differing: Vec<&str> = g
        .figures
        .differing
        .iter()
        .map(|i| g.sources[*i].title.as_str())
        .collect();
    c.insert("differing", &differing);
    let html = render(theme, "group_index.html", c, "")?;
    out.write("index.html", html.as_bytes())?;
    Ok(1)
}

fn write_register(g: &GroupInputs, theme: &Theme, out: &Out) -> Result<usize> {
    let rows: Vec<Row> = g
        .sources
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.entries.iter().map(move |e| (i, e)))
        .map(|(i, e)| row(g, i, e))
        .collect();
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let registers: Vec<FilterChoice> = g
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| FilterChoice {
            value: (i + 1).to_string(),
            label: s.title.clone(),
        })
        .collect();
    let statuses: Vec<FilterChoice> = Status::ALL
        .iter()
        .map(|s| FilterChoice {
            value: s.slug().into(),
            label: g.i18n.label(*s).into(),
        })
        .collect();
    for n in 1..=pages {
        let range = (n - 1) * PAGE_SIZE..(n * PAGE_SIZE).min(total);
        let mut c = base_context(g);
        c.insert("section", "register");
        c.insert("total", &total);
        c.insert("first", &(range.start + 1));
        c.insert("last", &range.end);
        c.insert("rows", &rows[range]);
        c.insert("registers", &registers);
        c.insert("statuses", &statuses);
        c.insert("page", &n);
        c.insert("pages", &pages);
        let link = |k: usize| page_path(k).trim_start_matches("register/").to_string();
        c.insert("prev", &(n > 1).then(|| link(n - 1)));
        c.insert("next", &(n < pages).then(|| link(n + 1)));
        let links: Vec<PageLink> = (1..=pages)
            .map(|k| PageLink {
                n: k,
                url: (k != n).then(|| link(k)),
            })
            .collect();
        c.insert("links", &links);
        let html = render(theme, "group_register.html", c, "../")?;
        out.write(&page_path(n), html.as_bytes())?;
    }
    // Every row, for the filter: `.json` over http(s), `.js` from file://.
    let data = crate::output::search::write_data(out, ROWS, &rows)?;
    Ok(pages + data)
}

/// The combined register's rows as data, for `group.js`.
const ROWS: &str = "register/group-rows";

#[derive(Serialize)]
struct GroupJson<'a> {
    as_of: String,
    audience: &'static str,
    registers: Vec<GroupJsonRegister<'a>>,
    total: &'a Figures,
}

#[derive(Serialize)]
struct GroupJsonRegister<'a> {
    title: &'a str,
    as_of: String,
    as_of_differs: bool,
    audience: &'static str,
    figures: &'a Figures,
}

/// `group.json`: every register's figures and the total, as data.
fn group_json(g: &GroupInputs, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let doc = GroupJson {
        as_of: iso(g.figures.as_of),
        audience: g.audience.slug(),
        registers: g
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| GroupJsonRegister {
                title: &s.title,
                as_of: iso(s.as_of),
                as_of_differs: g.figures.differing.contains(&i),
                audience: s.audience.slug(),
                figures: &s.figures,
            })
            .collect(),
        total: &g.figures.total,
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    w.write_all(b"\n")
}
