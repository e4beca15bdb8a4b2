//! `feed.xml` (Atom 1.0, RFC 4287) of register changes and `sitemap.xml`
//! (sitemaps.org), written only when `site.yaml` sets `base_url`: both
//! formats need absolute URLs, and the site itself only has relative ones.
//!
//! Feed entries come from the model (each entry's status timeline and the
//! reviews), never from files, and only up to the as-of date: a feed lists
//! what has happened.
//!
//! The files themselves are the theme's `feed.xml` and `sitemap.xml`
//! templates, rendered from [`FeedContext`] and [`SitemapContext`].

use crate::content::i18n::Catalogue;
use crate::model::Enumerated;
use crate::model::*;
use crate::output::ids::UuidSource;
use crate::output::markdown::one_line;
use crate::output::sink::{Out, RenderError};
use crate::output::theme::{Theme, flatten_error};
use chrono::NaiveDate;
use fluent_bundle::FluentValue;
use serde::Serialize;
use std::cmp::Reverse;

/// The feed holds the newest changes only: readers poll it, and a register
/// of thousands of entries would otherwise make every poll heavy.
pub const MAX_ENTRIES: usize = 50;

/// What happened to the register on a day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    /// Order within one day: reviews, then completions, status changes,
    /// new entries (a newest-first reader sees the outcome before the cause).
    Review,
    Completed,
    Status(Status),
    New,
}

struct Event {
    date: NaiveDate,
    change: Change,
    /// Register id or review slug: with date and change, unique.
    key: String,
    title: String,
    /// Relative to the site root.
    url: String,
    summary: String,
}

/// `base_url` joined with a site path; `base_url` may or may not end in `/`.
pub fn absolute(base: &str, rel: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        rel.trim_start_matches('/')
    )
}

fn entry_events(e: &Entry, i18n: &Catalogue, out: &mut Vec<Event>) {
    let say = |key: &str, args: &[(&str, String)]| {
        let args: Vec<(&str, FluentValue)> = args
            .iter()
            .map(|(k, v)| (*k, FluentValue::from(v.clone())))
            .collect();
        i18n.t_args(key, &args)
    };
    let url = format!("register/{}/index.html", e.id);
    let title = one_line(&e.title);
    let note_on = |date: NaiveDate, status: Status| {
        e.history
            .iter()
            .find(|h| h.date == date && h.status == Some(status))
            .and_then(|h| h.note.as_deref())
            .map(one_line)
    };
    for (n, (date, status)) in crate::compute::timeline::timeline(e)
        .into_iter()
        .enumerate()
    {
        let (change, headline) = match (n, status) {
            (0, _) => (
                Change::New,
                say(
                    "feed-new",
                    &[
                        ("id", e.id.clone()),
                        ("title", title.clone()),
                        ("status", i18n.label(status).into()),
                    ],
                ),
            ),
            (_, Status::Completed) => (
                Change::Completed,
                say(
                    "feed-completed",
                    &[("id", e.id.clone()), ("title", title.clone())],
                ),
            ),
            (_, s) => (
                Change::Status(s),
                format!("{}: {} {title}", i18n.label(s), e.id),
            ),
        };
        let summary = note_on(date, status).unwrap_or_else(|| match &change {
            Change::New => say(
                "feed-identified",
                &[
                    ("type", i18n.label(e.entry_type).into()),
                    ("priority", i18n.label(e.priority).to_lowercase()),
                ],
            ),
            Change::Completed => e
                .outcome
                .as_deref()
                .map(|o| crate::output::markdown::excerpt(o, 300))
                .unwrap_or_else(|| say("feed-completed-summary", &[])),
            _ => say(
                "feed-status-changed",
                &[("status", i18n.label(status).to_lowercase())],
            ),
        });
        out.push(Event {
            date,
            change,
            key: e.id.clone(),
            title: headline,
            url: url.clone(),
            summary,
        });
    }
}

/// Every change up to `as_of`, newest first, at most [`MAX_ENTRIES`].
fn events(reg: &Register, i18n: &Catalogue, as_of: NaiveDate) -> Vec<Event> {
    let mut all = Vec::new();
    for e in &reg.entries {
        entry_events(e, i18n, &mut all);
    }
    for r in &reg.reviews {
        all.push(Event {
            date: r.date,
            change: Change::Review,
            key: r.slug.clone(),
            title: format!("{}: {}", i18n.label(r.kind), one_line(&r.title)),
            url: format!(
                "reviews/{}/index.html",
                crate::output::urls::encode_segment(&r.slug)
            ),
            summary: i18n.t_args(
                "feed-entries-discussed",
                &[("count", (r.entries.len() as i64).into())],
            ),
        });
    }
    all.retain(|ev| ev.date <= as_of);
    all.sort_by(|a, b| {
        (Reverse(a.date), &a.change)
            .cmp(&(Reverse(b.date), &b.change))
            .then_with(|| natural_cmp(&a.key, &b.key))
    });
    all.truncate(MAX_ENTRIES);
    all
}

fn stamp(d: NaiveDate) -> String {
    format!("{d}T00:00:00Z")
}

/// What `feed.xml` renders: one Atom feed. Every string is plain text;
/// the template escapes it for XML.
#[derive(Serialize)]
pub struct FeedContext {
    /// The site's title, on one line.
    pub title: String,
    /// The feed's id, a UUID (stable for the site).
    pub id: String,
    /// The newest change's date (or the as-of date), RFC 3339.
    pub updated: String,
    /// The feed's own absolute URL.
    pub self_url: String,
    /// The dashboard's absolute URL.
    pub home_url: String,
    /// `responsible`, else `organization`, else the site's title.
    pub author: String,
    /// `isms-site` and its version.
    pub generator: String,
    /// The newest changes first, at most [`MAX_ENTRIES`].
    pub entries: Vec<FeedEntry>,
}

/// One change in the feed.
#[derive(Serialize)]
pub struct FeedEntry {
    /// E.g. `Completed: CI-004 Title`.
    pub title: String,
    /// A UUID, stable across builds.
    pub id: String,
    /// The change's date, RFC 3339.
    pub updated: String,
    /// The entry's or review's absolute URL.
    pub url: String,
    /// `new`, `completed`, `review` or `status-SLUG`.
    pub category: String,
    /// One line of text.
    pub summary: String,
}

/// What `sitemap.xml` renders.
#[derive(Serialize)]
pub struct SitemapContext {
    /// Every page's absolute URL, percent-encoded, in path order.
    pub urls: Vec<String>,
}

/// The Atom feed's data; `base` is the site's `base_url`.
pub fn feed_context(reg: &Register, i18n: &Catalogue, base: &str, as_of: NaiveDate) -> FeedContext {
    let uuids = UuidSource::for_site(&reg.site);
    let events = events(reg, i18n, as_of);
    let updated = events.first().map(|e| e.date).unwrap_or(as_of);
    let author = reg
        .site
        .responsible
        .as_deref()
        .or(reg.site.organization.as_deref())
        .unwrap_or(&reg.site.title);
    let mut used = std::collections::HashSet::new();
    let entries = events
        .iter()
        .map(|ev| {
            let category = match &ev.change {
                Change::Review => "review".to_string(),
                Change::Completed => "completed".to_string(),
                Change::New => "new".to_string(),
                Change::Status(s) => format!("status-{}", s.slug()),
            };
            // The same change twice on one day (A → B → A) still gets its own id.
            let mut name = format!("feed:{category}:{}:{}", ev.key.to_lowercase(), ev.date);
            while !used.insert(name.clone()) {
                name.push('+');
            }
            FeedEntry {
                title: ev.title.clone(),
                id: uuids.get(&name),
                updated: stamp(ev.date),
                url: absolute(base, &ev.url),
                category,
                summary: ev.summary.clone(),
            }
        })
        .collect();
    FeedContext {
        title: one_line(&reg.site.title),
        id: uuids.get("feed"),
        updated: stamp(updated),
        self_url: absolute(base, "feed.xml"),
        home_url: absolute(base, "index.html"),
        author: one_line(author),
        generator: concat!("isms-site ", env!("CARGO_PKG_VERSION")).to_string(),
        entries,
    }
}

/// The sitemap's data for `pages` (site-relative paths of HTML files,
/// `/`-separated).
pub fn sitemap_context(base: &str, pages: &[String]) -> SitemapContext {
    let urls = pages
        .iter()
        .map(|p| {
            let encoded: Vec<String> = p
                .split('/')
                .map(crate::output::urls::encode_segment)
                .collect();
            absolute(base, &encoded.join("/"))
        })
        .collect();
    SitemapContext { urls }
}

/// Renders one of the theme's XML templates.
fn render_xml(theme: &Theme, template: &str, ctx: &impl Serialize) -> Result<String, RenderError> {
    let fail = |e: tera::Error| RenderError(format!("template {template}: {}", flatten_error(&e)));
    let ctx = tera::Context::from_serialize(ctx).map_err(fail)?;
    theme.xml.render(template, &ctx).map_err(fail)
}

/// The HTML pages written so far into the staging folder: the sitemap
/// lists what was rendered, whatever page kinds the renderer has.
/// Evidence files and theme assets are attachments, not pages.
fn pages(out: &Out) -> Vec<String> {
    out.written()
        .into_iter()
        .filter(|rel| rel.ends_with(".html"))
        .filter(|rel| !rel.starts_with("evidence/") && !rel.starts_with("assets/"))
        .collect()
}

/// `feed.xml`, when site.yaml gives a `base_url`.
pub struct Feed;

impl crate::output::Output for Feed {
    fn name(&self) -> &'static str {
        "feed"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        let Some(base) = i.register.site.base_url.as_deref() else {
            return Ok(0);
        };
        let ctx = feed_context(i.register, &i.context.i18n, base, i.rollups.as_of);
        out.write(
            "feed.xml",
            render_xml(i.theme, "feed.xml", &ctx)?.as_bytes(),
        )?;
        Ok(1)
    }
}

/// `sitemap.xml`, when site.yaml gives a `base_url`: it lists the pages
/// written, so it comes after every other output.
pub struct Sitemap;

impl crate::output::Output for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn after_the_others(&self) -> bool {
        true
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        let Some(base) = i.register.site.base_url.as_deref() else {
            return Ok(0);
        };
        let ctx = sitemap_context(base, &pages(out));
        out.write(
            "sitemap.xml",
            render_xml(i.theme, "sitemap.xml", &ctx)?.as_bytes(),
        )?;
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::markup::escape;

    #[test]
    fn base_url_joins_with_or_without_slash() {
        assert_eq!(absolute("https://x/r/", "feed.xml"), "https://x/r/feed.xml");
        assert_eq!(absolute("https://x/r", "feed.xml"), "https://x/r/feed.xml");
        assert_eq!(absolute("https://x", "/a/b.html"), "https://x/a/b.html");
    }

    #[test]
    fn escaping_drops_characters_xml_forbids() {
        assert_eq!(escape("a<b>&\"'\u{1}c"), "a&lt;b&gt;&amp;&quot;&apos;c");
    }
}
