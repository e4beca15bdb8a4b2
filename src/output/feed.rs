//! `feed.xml` (Atom 1.0, RFC 4287) of register changes and `sitemap.xml`
//! (sitemaps.org), written only when `site.yaml` sets `base_url`: both
//! formats need absolute URLs, and the site itself only has relative ones.
//!
//! Feed entries come from the model (each entry's status timeline and the
//! reviews), never from files, and only up to the as-of date: a feed lists
//! what has happened.

use crate::compute::rollup;
use crate::content::markdown::one_line;
use crate::model::Enumerated;
use crate::model::*;
use crate::output::ids::UuidSource;
use crate::output::markup::escape;
use crate::output::sink::{Out, RenderError};
use chrono::NaiveDate;
use std::cmp::Reverse;
use std::fmt::Write as _;

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

fn entry_events(e: &Entry, out: &mut Vec<Event>) {
    let url = format!("register/{}/index.html", e.id);
    let title = one_line(&e.title);
    let note_on = |date: NaiveDate, status: Status| {
        e.history
            .iter()
            .find(|h| h.date == date && h.status == Some(status))
            .and_then(|h| h.note.as_deref())
            .map(one_line)
    };
    for (n, (date, status)) in rollup::timeline(e).into_iter().enumerate() {
        let (change, headline) = match (n, status) {
            (0, _) => (
                Change::New,
                format!("New: {} {title} ({})", e.id, status.label()),
            ),
            (_, Status::Completed) => (Change::Completed, format!("Completed: {} {title}", e.id)),
            (_, s) => (
                Change::Status(s),
                format!("{}: {} {title}", s.label(), e.id),
            ),
        };
        let summary = note_on(date, status).unwrap_or_else(|| match &change {
            Change::New => format!(
                "{} identified, priority {}.",
                e.entry_type.label(),
                e.priority.slug()
            ),
            Change::Completed => e
                .outcome
                .as_deref()
                .map(|o| crate::content::markdown::excerpt(o, 300))
                .unwrap_or_else(|| "Completed.".into()),
            _ => format!("Status changed to {}.", status.label().to_lowercase()),
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
fn events(reg: &Register, as_of: NaiveDate) -> Vec<Event> {
    let mut all = Vec::new();
    for e in &reg.entries {
        entry_events(e, &mut all);
    }
    for r in &reg.reviews {
        all.push(Event {
            date: r.date,
            change: Change::Review,
            key: r.slug.clone(),
            title: format!("{}: {}", r.kind.label(), one_line(&r.title)),
            url: format!(
                "reviews/{}/index.html",
                crate::output::urls::encode_segment(&r.slug)
            ),
            summary: format!("{} entries discussed.", r.entries.len()),
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

/// The Atom feed; `base` is the site's `base_url`.
pub fn atom(reg: &Register, base: &str, as_of: NaiveDate) -> String {
    let uuids = UuidSource::for_site(&reg.site);
    let events = events(reg, as_of);
    let updated = events.first().map(|e| e.date).unwrap_or(as_of);
    let author = reg
        .site
        .responsible
        .as_deref()
        .or(reg.site.organization.as_deref())
        .unwrap_or(&reg.site.title);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(x, "  <title>{}</title>", escape(&one_line(&reg.site.title)));
    let _ = writeln!(
        x,
        "  <subtitle>Register changes: new entries, status changes, completions, reviews</subtitle>"
    );
    let _ = writeln!(x, "  <id>urn:uuid:{}</id>", uuids.get("feed"));
    let _ = writeln!(x, "  <updated>{}</updated>", stamp(updated));
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&absolute(base, "feed.xml"))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&absolute(base, "index.html"))
    );
    let _ = writeln!(
        x,
        "  <author><name>{}</name></author>",
        escape(&one_line(author))
    );
    let _ = writeln!(
        x,
        "  <generator>isms-site {}</generator>",
        env!("CARGO_PKG_VERSION")
    );
    let mut used = std::collections::HashSet::new();
    for ev in &events {
        let kind = match &ev.change {
            Change::Review => "review".to_string(),
            Change::Completed => "completed".to_string(),
            Change::New => "new".to_string(),
            Change::Status(s) => format!("status-{}", s.slug()),
        };
        // The same change twice on one day (A → B → A) still gets its own id.
        let mut name = format!("feed:{kind}:{}:{}", ev.key.to_lowercase(), ev.date);
        while !used.insert(name.clone()) {
            name.push('+');
        }
        let id = uuids.get(&name);
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <title>{}</title>", escape(&ev.title));
        let _ = writeln!(x, "    <id>urn:uuid:{id}</id>");
        let _ = writeln!(x, "    <updated>{}</updated>", stamp(ev.date));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&absolute(base, &ev.url))
        );
        let _ = writeln!(x, "    <category term=\"{kind}\"/>");
        let _ = writeln!(
            x,
            "    <summary type=\"text\">{}</summary>",
            escape(&ev.summary)
        );
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// A sitemap of `pages` (site-relative paths of HTML files, `/`-separated).
pub fn sitemap(base: &str, pages: &[String]) -> String {
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        let encoded: Vec<String> = p
            .split('/')
            .map(crate::output::urls::encode_segment)
            .collect();
        let _ = writeln!(
            x,
            "  <url><loc>{}</loc></url>",
            escape(&absolute(base, &encoded.join("/")))
        );
    }
    x.push_str("</urlset>\n");
    x
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
        out.write(
            "feed.xml",
            atom(i.register, base, i.rollups.as_of).as_bytes(),
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
        out.write("sitemap.xml", sitemap(base, &pages(out)).as_bytes())?;
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
