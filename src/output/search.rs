//! The full-text search index, written at build time.
//!
//! The site has no server, so the search box searches an index the build
//! writes beside the pages. It is made from the same `RenderContext` the pages are
//! rendered from, so it holds exactly what the site shows.
//!
//! It is written twice: `search-index.json` for tools, and
//! `search-index.js`, the same data assigned to a global, because a page
//! opened from `file://` may not `fetch()` a JSON file but may load a
//! script. Pages load the script on first use of the search box.

use crate::content::markdown::Rendered;
use crate::model::Enumerated;
use crate::model::{Entry, Plan, Review};
use crate::output::pages::{self as render, EntryFields, RenderContext};
use crate::output::sink::{Out, RenderError};
use crate::output::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

/// The global `search-index.js` assigns; `assets/search.js` reads it.
const GLOBAL: &str = "ISMS_SEARCH_INDEX";

/// One searchable page. Field names are short: the index is loaded into
/// every page that searches.
#[derive(Serialize)]
struct Doc {
    /// `entry`, `plan` or `review`.
    kind: &'static str,
    /// The entry id; empty for plans and reviews.
    id: String,
    title: String,
    /// Relative to the site root.
    url: String,
    /// One line shown under the title in the results.
    meta: String,
    /// Short fields that rank above body text: owner, controls, tags…
    keys: String,
    /// Body text without markup.
    text: String,
}

#[derive(Serialize)]
struct Index<'a> {
    version: u32,
    site: &'a str,
    docs: Vec<Doc>,
}

/// Joins the non-empty parts with `sep`.
fn join<'a>(parts: impl IntoIterator<Item = &'a str>, sep: &str) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

fn entry_doc(site: &RenderContext, i: usize, e: &Entry, md: &EntryFields<String>) -> Doc {
    let owner = e.owner.as_deref().unwrap_or("");
    let keys = join(
        [
            owner,
            e.entry_type.label(),
            e.source.map_or("", |s| s.label()),
        ]
        .into_iter()
        .chain(e.controls.iter().map(String::as_str))
        .chain(e.tags.iter().map(String::as_str))
        .chain(e.kpis.iter().map(|k| k.name.as_str()))
        .chain(e.extra.values().map(String::as_str)),
        " · ",
    );
    let texts = [
        &md.description,
        &md.outcome,
        &md.resources,
        &md.lessons,
        &md.effectiveness_note,
    ];
    let text = join(
        texts
            .into_iter()
            .chain(&md.history_notes)
            .map(render::text_of),
        " ",
    );
    let overdue = if site.facts[i].overdue { "Overdue" } else { "" };
    Doc {
        kind: "entry",
        id: e.id.clone(),
        title: e.title.clone(),
        url: urls::entry_url(&e.id),
        meta: join(
            [
                "Entry",
                e.status.label(),
                e.priority.label(),
                owner,
                overdue,
            ],
            " · ",
        ),
        keys,
        text,
    }
}

fn plan_doc(p: &Plan, body: &Rendered) -> Doc {
    let owner = p.owner.as_deref().unwrap_or("");
    Doc {
        kind: "plan",
        id: String::new(),
        title: p.title.clone(),
        url: urls::plan_url(&p.slug),
        meta: join(["Plan", owner], " · "),
        keys: join(
            [owner]
                .into_iter()
                .chain(p.entries.iter().map(String::as_str))
                .chain(p.milestones.iter().map(|m| m.title.as_str())),
            " · ",
        ),
        text: body.text.clone(),
    }
}

fn review_doc(r: &Review, body: &Rendered) -> Doc {
    let date = r.date.format("%Y-%m-%d").to_string();
    Doc {
        kind: "review",
        id: String::new(),
        title: r.title.clone(),
        url: urls::review_url(&r.slug),
        meta: join(["Review", &date, r.kind.label()], " · "),
        keys: join(
            [r.kind.label(), r.kind.slug()]
                .into_iter()
                .chain(r.attendees.iter().map(String::as_str))
                .chain(r.entries.iter().map(String::as_str)),
            " · ",
        ),
        text: body.text.clone(),
    }
}

/// Every searchable page, in register order, then plans and reviews.
fn index<'a>(site: &RenderContext<'a>) -> Index<'a> {
    let reg = site.reg;
    let texts = site.take_entry_text();
    let mut docs: Vec<Doc> = reg
        .entries
        .par_iter()
        .enumerate()
        .zip(&texts)
        .map(|((i, e), md)| entry_doc(site, i, e, md))
        .collect();
    docs.extend(
        reg.plans
            .iter()
            .zip(&site.plan_md)
            .map(|(p, b)| plan_doc(p, b)),
    );
    docs.extend(
        reg.reviews
            .iter()
            .zip(&site.review_md)
            .map(|(r, b)| review_doc(r, b)),
    );
    Index {
        version: 1,
        site: &reg.site.title,
        docs,
    }
}

/// Passes JSON through, writing `<`, `>` and `&` as `\u003c`…: the text
/// can then never close a script element or read as markup, whatever an
/// author wrote. (In JSON these characters only occur inside strings.)
struct ScriptSafe<W: Write>(W);

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0;
        for (i, b) in buf.iter().enumerate() {
            let escaped: &[u8] = match b {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.write_all(&buf[start..i])?;
            self.0.write_all(escaped)?;
            start = i + 1;
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

fn write_json(index: &Index, w: &mut dyn Write) -> std::io::Result<()> {
    // serde_json writes many small pieces: buffer them before the escaping
    // and the (dynamic) file writer see them.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, ScriptSafe(w));
    serde_json::to_writer(&mut buffered, index)?;
    buffered.flush()
}

/// Writes `search-index.json` and `search-index.js`, streaming each (the
/// index of a large register is tens of megabytes); returns the count.
pub fn write_index(site: &RenderContext, out: &Out) -> Result<usize, RenderError> {
    let index = index(site);
    let (json, script) = rayon::join(
        || out.write_with("search-index.json", |w| write_json(&index, w)),
        || {
            out.write_with("search-index.js", |w| {
                write!(w, "window.{GLOBAL} = ")?;
                write_json(&index, w)?;
                w.write_all(b";\n")
            })
        },
    );
    json?;
    script?;
    Ok(2)
}
/// `search-index.js`.
pub struct SearchIndex;

impl crate::output::Output for SearchIndex {
    fn name(&self) -> &'static str {
        "search index"
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        write_index(i.context, out)
    }
}
