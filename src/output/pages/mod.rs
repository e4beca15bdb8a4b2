//! Pages: turns the register and its rollups into files in a folder.
//!
//! Views (`*View`, `Row`) are the template-facing shapes; an entry's row
//! is made for each page that lists it, not held for the whole render.
//! Markdown is rendered once per field. Every link is relative (`root` is the way back
//! to the site root from the page), so the site works from any sub-path and
//! from `file://`, and every link names a file (`.../index.html`).

use crate::compute::rollup::{self, EntryFacts, Rollups};
use crate::content::i18n::Catalogue;
use crate::model::Enumerated;
use crate::model::schema::{self, Field};
use crate::model::*;
use crate::output::chart::{self, Chart};
use crate::output::markdown::{self, EntryText, Rendered};
use crate::output::sink::{Out, RenderError};
use crate::output::theme::{Theme, flatten_error};
use crate::output::urls::{
    encode_segment, entry_url, plan_url, review_url, slugify, subscribe_url, term_url, unique_slugs,
};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fs;

use tera::value::Key;
use tera::{Context, Value};

pub mod context;
pub mod deps;
mod entry;
pub mod memo;
mod nonconformities;
pub mod objectives;
mod plans;
pub mod review_input;
pub mod risks;
mod taxonomy;

pub use context::*;

type Result<T> = std::result::Result<T, RenderError>;

/// A chart shown from its file (`dir` + file name).
fn chart_view(c: &Chart, dir: &str) -> ChartView {
    ChartView {
        src: Some(format!("{dir}{}", c.file)),
        svg: None,
        ..inline_chart_view(c)
    }
}

/// A chart written into the page itself, taken rather than copied: an
/// entry page's charts are made for it alone (most of their bytes are the
/// SVG, 41 % of the entry pages at 10,000 synthetic entries).
fn inline_chart_view_of(c: Chart) -> ChartView {
    ChartView {
        src: None,
        svg: Some(c.svg),
        width: c.width,
        height: c.height,
        title: c.title,
        description: c.description,
        table: c.table,
    }
}

/// A chart written into the page itself: no file to create or fetch.
fn inline_chart_view(c: &Chart) -> ChartView {
    ChartView {
        src: None,
        svg: Some(c.svg.clone()),
        width: c.width,
        height: c.height,
        title: c.title.clone(),
        description: c.description.clone(),
        table: c.table.clone(),
    }
}

/// Everything the site's pages are made from, computed once.
pub struct RenderContext<'a> {
    pub reg: &'a Register,
    /// The site's language: its words, labels, dates and numbers.
    pub i18n: std::sync::Arc<Catalogue>,
    pub facts: &'a [EntryFacts],
    pub rollups: &'a Rollups,
    owner_slugs: HashMap<String, String>,
    control_slugs: HashMap<String, String>,
    tag_slugs: HashMap<String, String>,
    /// Lower-cased risk id → its section's slug on the risks page.
    risk_slugs: HashMap<String, String>,
    plans_of: Vec<Vec<usize>>,
    reviews_of: Vec<Vec<usize>>,
    /// Each entry's Markdown, rendered once before any output runs: the
    /// HTML for its page, what the register rows and the search index
    /// read of its text ([`EntryText`]). Read by every output that needs
    /// it, never handed over.
    entry_text: Vec<EntryText>,
    /// Behind a lock so that a build's entry page can take its own
    /// ([`Self::html_once`]).
    entry_html: Vec<std::sync::Mutex<EntryFields<String>>>,
    /// Whether each entry's HTML is let go once its page has it: a build,
    /// which hands no Markdown to a next render (150 MB at 50,000 entries
    /// while the other pages render).
    html_once: bool,
    /// Each plan's and review's body.
    pub plan_md: Vec<Rendered>,
    pub review_md: Vec<Rendered>,
    /// For each entry, the entries naming it in `follows_up`.
    followed_up_by: Vec<Vec<usize>>,
    /// For each entry, the entries it names in `related` or that name it:
    /// related is symmetric, whichever side wrote it.
    related: Vec<Vec<usize>>,
    /// For each entry, the findings (indices into `rollups.findings`)
    /// whose chain it belongs to.
    findings_of: Vec<Vec<usize>>,
    /// Each finding's row id on the nonconformities page, in the order of
    /// `rollups.findings` ([`nonconformities::anchors`]).
    finding_anchors: Vec<String>,
    /// Which entry and plan pages may be taken from the previous site
    /// (see [`deps`]); empty: none.
    keep: deps::Keep,
    /// The pages keyed on their variables ([`deps::VarsKeys`]).
    vars_keys: deps::VarsKeys,
    /// The digest of what each entry's, plan's and review's Markdown was
    /// rendered from ([`MarkdownMemo`]), in register order.
    md_sources: [Vec<[u8; 32]>; 3],
    /// The digest of each entry's computed facts' `Debug` text, made with
    /// `md_sources`: the entry's page key and its pieces of two exports
    /// all read it, and its text made three times was a twentieth of a
    /// one-change build at 10,000 entries (issue 27).
    facts_digests: Vec<[u8; 32]>,
}

/// The pages the live preview serves before the rest of the site: those
/// of the entries and plans read from the files a save changed (indices
/// into the register's entries and plans).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirstPages {
    pub entries: Vec<usize>,
    pub plans: Vec<usize>,
}

impl FirstPages {
    /// How many pages.
    pub fn len(&self) -> usize {
        self.entries.len() + self.plans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The pages `first` names, and no other file.
pub fn render_first_pages(
    site: &RenderContext,
    theme: &Theme,
    out: &Out,
    first: &FirstPages,
) -> Result<usize> {
    Ok(entry::render_entry_pages(site, theme, out, &first.entries)?
        + plans::render_plan_pages(site, theme, out, &first.plans)?)
}

/// Markdown rendered by one render, kept for the next (the live preview):
/// by the digest of what it was rendered from (an entry's every field, or
/// a plan's or review's body, and the task labels), so only what changed
/// is parsed again. It holds the rendered text of the register, no more.
/// `build` keeps it in a file between runs ([`memo`]).
#[derive(Default)]
pub struct MarkdownMemo {
    entries: HashMap<[u8; 32], (EntryFields<String>, EntryText)>,
    bodies: HashMap<[u8; 32], Rendered>,
}

/// The digest of `source` (its encoding, [`deps::feed_encoded`]) with
/// the task labels.
fn md_source(
    labels: &markdown::TaskLabels,
    source: &(impl Serialize + std::fmt::Debug),
) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for label in [&labels.done, &labels.not_done] {
        h.update(label.as_bytes());
        h.update([0]);
    }
    deps::feed_encoded(&mut h, source);
    h.finalize().into()
}

/// An entry's Markdown fields, one value each (its HTML, its text...). A
/// field that is absent or blank has no value.
#[derive(Clone)]
pub struct EntryFields<T> {
    /// The entry's own Markdown fields (the schema's `Kind::Markdown`), in
    /// schema order: a few per entry, so a list, not a map (a map's node
    /// is some 300 bytes, twice per entry: 30 MB at 50,000 entries).
    texts: Vec<(Field, T)>,
    pub effectiveness_note: Option<T>,
    pub history_notes: Vec<Option<T>>,
    pub nc_statement: Option<T>,
}

impl<T> Default for EntryFields<T> {
    fn default() -> Self {
        EntryFields {
            texts: Vec::new(),
            effectiveness_note: None,
            history_notes: Vec::new(),
            nc_statement: None,
        }
    }
}

impl<T> EntryFields<T> {
    /// The value of one of the entry's own Markdown fields.
    pub fn text(&self, field: Field) -> Option<&T> {
        self.texts.iter().find(|(f, _)| *f == field).map(|(_, t)| t)
    }

    /// Every value: the search indexes them all (see the test
    /// `every_text_an_entry_page_renders_is_searched`).
    fn values(&self) -> impl Iterator<Item = &T> {
        let fields = self.texts.iter().map(|(_, t)| t);
        let notes = self.history_notes.iter().flatten();
        fields
            .chain(&self.effectiveness_note)
            .chain(&self.nc_statement)
            .chain(notes)
    }
}

/// The root prefix of pages one folder below a section (`register/ID/`,
/// `plans/SLUG/`, `reviews/SLUG/`): Markdown links are rebased on it.
pub(crate) const ITEM_ROOT: &str = "../../";

fn rendered(md: Option<&str>, labels: &markdown::TaskLabels) -> Option<Rendered> {
    md.filter(|t| !t.trim().is_empty())
        .map(|t| markdown::render_labelled(t, ITEM_ROOT, labels))
}

impl EntryFields<Rendered> {
    /// Renders every Markdown field of `e` for the entry's page.
    fn of(e: &Entry, labels: &markdown::TaskLabels) -> Self {
        let texts = Field::all()
            .filter_map(|f| match e.value(f) {
                schema::Value::Markdown(md) => rendered(md, labels).map(|r| (f, r)),
                _ => None,
            })
            .collect();
        EntryFields {
            texts,
            effectiveness_note: e
                .effectiveness
                .as_ref()
                .and_then(|x| rendered(x.note.as_deref(), labels)),
            history_notes: e
                .history
                .iter()
                .map(|h| rendered(h.note.as_deref(), labels))
                .collect(),
            nc_statement: e
                .nonconformity
                .as_ref()
                .and_then(|n| rendered(n.statement.as_deref(), labels)),
        }
    }

    /// The HTML, copied to its length ([`exact`]), and the text made
    /// compact ([`EntryText`]): both are held for the whole render.
    fn split(self) -> (EntryFields<String>, EntryText) {
        let mut html = EntryFields::default();
        let mut text = EntryFields::default();
        let put = |r: Option<Rendered>, h: &mut Option<String>, t: &mut Option<String>| {
            if let Some(r) = r {
                *h = Some(exact(r.html));
                *t = Some(r.text);
            }
        };
        html.texts.reserve_exact(self.texts.len());
        for (f, r) in self.texts {
            html.texts.push((f, exact(r.html)));
            text.texts.push((f, r.text));
        }
        put(
            self.effectiveness_note,
            &mut html.effectiveness_note,
            &mut text.effectiveness_note,
        );
        put(
            self.nc_statement,
            &mut html.nc_statement,
            &mut text.nc_statement,
        );
        for note in self.history_notes {
            let (mut h, mut t) = (None, None);
            put(note, &mut h, &mut t);
            html.history_notes.push(h);
            text.history_notes.push(t);
        }
        let texts = text.values().map(String::as_str);
        let compact = EntryText::new(
            text.text(Field::Description).map(String::as_str),
            text.text(Field::Outcome).map(String::as_str),
            texts,
        );
        (html, compact)
    }
}

/// `s` in an allocation of its own length. The renderer grows its output
/// by doubling, so a string's buffer is up to twice its text; shrinking in
/// place frees nothing with mimalloc when the text is over half its
/// buffer, a copy does. Every entry's HTML and text, held through the
/// render, were 440 MB at 50,000 synthetic entries (issue 27).
fn exact(s: String) -> String {
    if s.capacity() == s.len() {
        s
    } else {
        s.as_str().to_owned()
    }
}

/// The text of an optional field ("" when absent).
pub fn text_of(t: &Option<String>) -> &str {
    t.as_deref().unwrap_or("")
}

/// A term (owner, control, tag) with its page in `dir`.
fn name_link(name: &str, slugs: &HashMap<String, String>, dir: &str) -> NameLink {
    let slug = slugs[name].clone();
    NameLink {
        name: name.to_string(),
        url: term_url(dir, &slug),
        slug,
    }
}

/// `d` as `YYYY-MM-DD`, what `d.format("%Y-%m-%d")` writes, without
/// reading the format for each of the dozens of dates of every page.
fn iso(d: NaiveDate) -> String {
    use chrono::Datelike;
    let y = d.year();
    if !(0..=9999).contains(&y) {
        // A sign and more digits: chrono's own way.
        return d.format("%Y-%m-%d").to_string();
    }
    let (y, m, day) = (y as u32, d.month(), d.day());
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(day / 10),
        digit(day),
    ]
    .into_iter()
    .collect()
}

/// A page's revisions as its template shows them.
fn revisions_view(r: &crate::model::Revisions) -> context::RevisionsView<'_> {
    context::RevisionsView {
        last_updated: r.last_updated().map(iso),
        list: r
            .newest
            .iter()
            .map(|v| context::RevisionView {
                date: iso(v.date),
                author: &v.author,
                summary: &v.summary,
            })
            .collect(),
        earlier: r.earlier,
    }
}

impl<'a> RenderContext<'a> {
    pub fn new(
        reg: &'a Register,
        facts: &'a [EntryFacts],
        rollups: &'a Rollups,
    ) -> RenderContext<'a> {
        let i18n = std::sync::Arc::new(Catalogue::new(&reg.site.locale));
        Self::with_memo(reg, facts, rollups, i18n, MarkdownMemo::default())
    }

    /// As [`RenderContext::new`], in the words of `i18n` (the catalogue
    /// of `reg`'s locale the theme was compiled with), taking the Markdown
    /// `memo` already holds (moved out, not copied) instead of rendering
    /// it again.
    pub fn with_memo(
        reg: &'a Register,
        facts: &'a [EntryFacts],
        rollups: &'a Rollups,
        i18n: std::sync::Arc<Catalogue>,
        memo: MarkdownMemo,
    ) -> RenderContext<'a> {
        let site = Self::bare(reg, facts, rollups, i18n);
        let labels = site.task_labels();
        Self::with_markdown(site, memo, labels)
    }

    fn task_labels(&self) -> markdown::TaskLabels {
        markdown::TaskLabels {
            done: self.i18n.t("task-done").into(),
            not_done: self.i18n.t("task-not-done").into(),
        }
    }

    /// A context for the pages `first` names and nothing else: their
    /// Markdown alone is rendered (no memo is read or made), with that of
    /// the entries a plan's rows show. The live preview serves these pages
    /// before the Markdown of the whole register is looked up; they are
    /// byte for byte the pages the full context renders, because an
    /// entry's page reads no other entry's Markdown, and a plan's reads
    /// its own and its entries' rows (see [`deps`]).
    pub fn for_first(
        reg: &'a Register,
        facts: &'a [EntryFacts],
        rollups: &'a Rollups,
        i18n: std::sync::Arc<Catalogue>,
        first: &FirstPages,
    ) -> RenderContext<'a> {
        let mut site = Self::bare(reg, facts, rollups, i18n);
        let labels = site.task_labels();
        let n = reg.entries.len();
        site.entry_text = vec![EntryText::default(); n];
        site.entry_html = (0..n).map(|_| Default::default()).collect();
        site.plan_md = vec![Rendered::default(); reg.plans.len()];
        let plans: Vec<(usize, &Plan)> = first
            .plans
            .iter()
            .filter_map(|&pi| reg.plans.get(pi).map(|p| (pi, p)))
            .collect();
        let named = plans.iter().flat_map(|(_, p)| site.named(&p.entries));
        let entries: std::collections::BTreeSet<usize> = first
            .entries
            .iter()
            .copied()
            .filter(|i| *i < n)
            .chain(named)
            .collect();
        for i in entries {
            let (html, text) = EntryFields::of(&reg.entries[i], &labels).split();
            site.entry_html[i] = std::sync::Mutex::new(html);
            site.entry_text[i] = text;
        }
        for (pi, p) in plans {
            site.plan_md[pi] = markdown::render_labelled(&p.body, ITEM_ROOT, &labels);
        }
        site
    }

    /// The context without any Markdown: names, slugs and who refers to
    /// whom.
    fn bare(
        reg: &'a Register,
        facts: &'a [EntryFacts],
        rollups: &'a Rollups,
        i18n: std::sync::Arc<Catalogue>,
    ) -> RenderContext<'a> {
        let owners: Vec<String> = reg.entries.iter().map(owner_name).collect();
        let owner_slugs = unique_slugs(owners.iter());
        let control_slugs = unique_slugs(
            reg.entries
                .iter()
                .flat_map(|e| e.controls.iter())
                .chain(reg.controls.iter().flatten().map(|c| &c.id)),
        );
        let tag_slugs = unique_slugs(reg.entries.iter().flat_map(|e| e.tags.iter()));
        let plans_of = referrers(reg, reg.plans.iter().map(|p| &p.entries));
        let reviews_of = referrers(reg, reg.reviews.iter().map(|r| &r.entries));
        RenderContext {
            reg,
            i18n,
            facts,
            rollups,
            owner_slugs,
            control_slugs,
            tag_slugs,
            risk_slugs: risks::slugs(reg),
            plans_of,
            reviews_of,
            entry_text: Vec::new(),
            entry_html: Vec::new(),
            html_once: false,
            plan_md: Vec::new(),
            review_md: Vec::new(),
            followed_up_by: referrers(reg, reg.entries.iter().map(follows_up_ids)),
            related: related_pairs(reg),
            findings_of: crate::compute::nonconformity::served_by_entry(
                reg.entries.len(),
                &rollups.findings,
            ),
            finding_anchors: nonconformities::anchors(&rollups.findings),
            keep: deps::Keep::default(),
            vars_keys: deps::VarsKeys::default(),
            md_sources: Default::default(),
            facts_digests: Vec::new(),
        }
    }

    /// Renders the rest of the Markdown into `site`, from `memo` where
    /// it holds it.
    fn with_markdown(mut site: Self, mut memo: MarkdownMemo, labels: markdown::TaskLabels) -> Self {
        let reg = site.reg;
        let _t1 = crate::output::timing::phase("entry markdown");
        let sources: Vec<[u8; 32]> = reg
            .entries
            .par_iter()
            .map(|e| md_source(&labels, e))
            .collect();
        // Taken out of the memo in order, then the rest rendered in parallel.
        let kept: Vec<_> = sources.iter().map(|k| memo.entries.remove(k)).collect();
        let (html, text): (Vec<_>, Vec<_>) = reg
            .entries
            .par_iter()
            .zip(kept)
            .map(|(e, kept)| kept.unwrap_or_else(|| EntryFields::of(e, &labels).split()))
            .unzip();
        site.entry_html = html.into_iter().map(std::sync::Mutex::new).collect();
        site.entry_text = text;
        drop(_t1);
        let _t2 = crate::output::timing::phase("plan markdown");
        let bodies = |texts: Vec<&String>, memo: &mut MarkdownMemo| {
            let keys: Vec<[u8; 32]> = texts.par_iter().map(|b| md_source(&labels, b)).collect();
            let kept: Vec<_> = keys.iter().map(|k| memo.bodies.remove(k)).collect();
            let md: Vec<Rendered> = texts
                .par_iter()
                .zip(kept)
                .map(|(b, kept)| {
                    kept.unwrap_or_else(|| markdown::render_labelled(b, ITEM_ROOT, &labels))
                })
                .collect();
            (keys, md)
        };
        let (plan_sources, plan_md) =
            bodies(reg.plans.iter().map(|p| &p.body).collect(), &mut memo);
        let (review_sources, review_md) =
            bodies(reg.reviews.iter().map(|r| &r.body).collect(), &mut memo);
        (site.plan_md, site.review_md) = (plan_md, review_md);
        site.md_sources = [sources, plan_sources, review_sources];
        site.facts_digests = site.facts.par_iter().map(deps::debug_digest).collect();
        drop(_t2);
        site
    }

    /// Entry `e`'s register row; also the search index's row data.
    pub(crate) fn row(&self, e: &Entry, f: &EntryFacts, md: &EntryText) -> Row {
        let owner = e
            .owner
            .as_ref()
            .map(|o| name_link(o, &self.owner_slugs, "owners"));
        Row {
            id: e.id.clone(),
            title: e.title.clone(),
            url: entry_url(&e.id),
            status: e.status.slug(),
            status_label: self.i18n.label(e.status),
            priority: e.priority.slug(),
            priority_label: self.i18n.label(e.priority),
            entry_type: e.entry_type.slug(),
            type_label: self.i18n.label(e.entry_type),
            source: e.source.map(|s| s.slug()),
            source_label: e.source.map(|s| self.i18n.label(s)),
            owner,
            identified: iso(e.identified),
            target: e.target.map(iso),
            completed: e.completed.map(iso),
            completed_undated: e.completed_undated(),
            overdue: f.overdue,
            days_overdue: f.days_overdue,
            age_days: f.age_days,
            description: markdown::cut(md.description().map_or("", String::as_str), 160),
            outcome: markdown::cut(md.outcome().map_or("", String::as_str), 160),
            controls: e
                .controls
                .iter()
                .map(|c| name_link(c, &self.control_slugs, "controls"))
                .collect(),
            tags: e
                .tags
                .iter()
                .map(|t| name_link(t, &self.tag_slugs, "tags"))
                .collect(),
            risks: e.risks.iter().map(|r| self.risk_link(r)).collect(),
            original_target: f
                .slipped_days
                .and(crate::compute::timeline::original_target(e))
                .map(iso),
            extensions: f.extensions,
            slipped_days: f.slipped_days,
        }
    }

    /// Entry `i`'s [`Row`] as a template value, made when a page lists
    /// the entry. Made once for all pages, the values of every entry were
    /// held through the whole render (233 MB at 50,000 synthetic entries,
    /// issue 27); an entry is listed on few pages (the register's, its
    /// own, a few bounded lists), so making it again costs less than that.
    fn row_value(&self, i: usize) -> Value {
        let e = &self.reg.entries[i];
        Value::from_serializable(&self.row(e, &self.facts[i], &self.entry_text[i]))
    }

    /// The HTML of entry `i`'s Markdown fields: taken, when it is used
    /// once ([`Self::html_once`]), otherwise copied.
    fn entry_html(&self, i: usize) -> EntryFields<String> {
        let Some(slot) = self.entry_html.get(i) else {
            return EntryFields::default();
        };
        let mut html = slot.lock().unwrap_or_else(|e| e.into_inner());
        match self.html_once {
            true => std::mem::take(&mut *html),
            false => html.clone(),
        }
    }

    /// What the rows and the search read of every entry's Markdown text,
    /// in register order.
    pub fn entry_text(&self) -> &[EntryText] {
        &self.entry_text
    }

    /// Owner names with the slug of their page, in name order.
    pub fn owner_pages(&self) -> Vec<(&String, &String)> {
        let mut pages: Vec<_> = self.owner_slugs.iter().collect();
        pages.sort();
        pages
    }

    /// Positions of the entries a plan or review names, in its order.
    fn named(&self, ids: &[String]) -> Vec<usize> {
        ids.iter()
            .filter_map(|id| self.reg.entry_index(id))
            .collect()
    }

    /// Row `i` as a template value, with some fields replaced.
    fn row_with<const N: usize>(&self, i: usize, fields: [(&'static str, Value); N]) -> Value {
        let mut map = self.row_value(i).as_map().cloned().unwrap_or_default();
        for (k, v) in fields {
            map.insert(Key::from(k), v);
        }
        Value::from(map)
    }

    /// The rows of these entries, as a template value.
    fn rows_of(&self, idx: &[usize]) -> Value {
        Value::from(idx.iter().map(|i| self.row_value(*i)).collect::<Vec<_>>())
    }

    /// Entries by position, as links from another entry's page.
    fn entry_links(&self, idx: impl IntoIterator<Item = usize>) -> Vec<EntryLink> {
        idx.into_iter()
            .map(|i| {
                let e = &self.reg.entries[i];
                EntryLink {
                    id: e.id.clone(),
                    title: e.title.clone(),
                    url: entry_url(&e.id),
                    status_label: self.i18n.label(e.status),
                }
            })
            .collect()
    }

    /// A control id with its page and what the catalogue says of it.
    fn control_view(&self, id: &str) -> ControlView {
        let c = self.reg.control(id);
        ControlView {
            name: id.to_string(),
            url: term_url("controls", &self.control_slugs[id]),
            title: c.map(|c| c.title.clone()),
            applicable: c.and_then(|c| c.applicable),
        }
    }

    /// A risk id an entry names, linked to its section on the risks page.
    fn risk_link(&self, id: &str) -> NameLink {
        let slug = self.risk_slugs[&id.to_lowercase()].clone();
        NameLink {
            name: self
                .reg
                .risk(id)
                .map_or_else(|| id.to_string(), |r| r.id.clone()),
            url: risks::url(&slug),
            slug,
        }
    }

    /// A risk id with its catalogue entry, for an entry's page.
    fn risk_view(&self, id: &str) -> RiskView {
        let r = self.reg.risk(id);
        let link = self.risk_link(id);
        RiskView {
            name: link.name,
            url: link.url,
            title: r.map(|r| r.title.clone()),
            level: r.and_then(|r| r.level.clone()),
        }
    }

    /// Has each entry page take its entry's HTML rather than copy it, and
    /// [`Self::forget_entry_html`] drop the rest: for a build, which hands
    /// no Markdown to a next render.
    pub fn use_entry_html_once(&mut self) {
        self.html_once = true;
    }

    /// The digest of entry `i` as parsed (every field and position), made
    /// once for its Markdown; `None` in a context that made none.
    pub fn entry_digest(&self, i: usize) -> Option<&[u8; 32]> {
        self.md_sources[0].get(i)
    }

    /// The digest of entry `i`'s computed facts (their `Debug` text):
    /// made once with the Markdown, or now in a context that made none.
    pub fn facts_digest(&self, i: usize) -> [u8; 32] {
        match self.facts_digests.get(i) {
            Some(d) => *d,
            None => deps::debug_digest(&self.facts[i]),
        }
    }

    /// Lets the HTML of entries whose page was kept go, once the pages
    /// are written, when no later render will take it from the memo (a
    /// build). Only entry pages read it.
    pub fn forget_entry_html(&mut self) {
        self.entry_html = Vec::new();
    }

    /// This render's Markdown, for the next ([`MarkdownMemo`]).
    pub fn into_memo(self) -> MarkdownMemo {
        let [entries, plans, reviews] = self.md_sources;
        let html = self
            .entry_html
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()));
        let fields = html.zip(self.entry_text);
        let bodies = self.plan_md.into_iter().chain(self.review_md);
        MarkdownMemo {
            entries: entries.into_iter().zip(fields).collect(),
            bodies: plans.into_iter().chain(reviews).zip(bodies).collect(),
        }
    }

    /// Which entry and plan pages may be taken from the previous site
    /// rather than rendered ([`deps::PageKeys::unchanged_since`]).
    pub fn keep_pages(&mut self, keep: deps::Keep) {
        self.keep = keep;
    }

    /// Keys the pages [`write_page`] writes with `keys`, taking those
    /// unchanged since the site rendered over.
    pub fn key_pages_on_vars(&mut self, keys: deps::VarsKeys) {
        self.vars_keys = keys;
    }

    /// The keys [`write_page`] made, if asked to ([`Self::key_pages_on_vars`]).
    pub fn take_vars_keys(&mut self) -> Option<HashMap<String, [u8; 32]>> {
        std::mem::take(&mut self.vars_keys).into_recorded()
    }

    /// Whether entry `i`'s page may be taken from the previous site.
    fn keeps(&self, i: usize) -> bool {
        self.keep.entries.get(i).copied().unwrap_or(false)
    }

    /// Whether plan `i`'s page may be taken from the previous site.
    fn keeps_plan(&self, i: usize) -> bool {
        self.keep.plans.get(i).copied().unwrap_or(false)
    }

    /// Whether the register list's page `n` (from 1) may be taken from
    /// the previous site.
    fn keeps_register_page(&self, n: usize) -> bool {
        n.checked_sub(1)
            .and_then(|k| self.keep.register.get(k))
            .copied()
            .unwrap_or(false)
    }

    /// Entry `i`'s row, shared.
    fn row_of(&self, i: usize) -> SharedValue {
        SharedValue(self.row_value(i))
    }
}

/// For each entry, the positions of the plans (or reviews) naming it:
/// one pass over the references, not a search per entry.
fn referrers<L: AsRef<[String]>>(
    reg: &Register,
    lists: impl Iterator<Item = L>,
) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); reg.entries.len()];
    for (n, ids) in lists.enumerate() {
        for id in ids.as_ref() {
            if let Some(i) = reg.entry_index(id)
                && out[i].last() != Some(&n)
            {
                out[i].push(n);
            }
        }
    }
    out
}

fn follows_up_ids(e: &Entry) -> Vec<String> {
    e.follows_up.iter().map(|r| r.id.clone()).collect()
}

/// Each entry's related entries, both ways, in register order, without
/// itself.
fn related_pairs(reg: &Register) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); reg.entries.len()];
    for (i, e) in reg.entries.iter().enumerate() {
        for j in e.related.iter().filter_map(|r| reg.entry_index(&r.id)) {
            if i != j {
                out[i].push(j);
                out[j].push(i);
            }
        }
    }
    for list in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    out
}

fn owner_name(e: &Entry) -> String {
    e.owner
        .clone()
        .unwrap_or_else(|| rollup::UNASSIGNED.to_string())
}

/// The template's variables as a Tera context.
fn context_of<T: Serialize + ?Sized>(vars: &T) -> Result<Context> {
    Context::from_serialize(vars).map_err(|e| RenderError(format!("template context: {e}")))
}

/// Renders a template with its page's variables (see [`context`]).
fn render_page<T: Serialize>(
    theme: &Theme,
    template: &str,
    frame: Frame,
    vars: &T,
) -> Result<String> {
    render_context(theme, template, frame, context_of(vars)?)
}

/// Renders `template` with `vars` into `path`, or takes the file from
/// the site rendered over when its key on those variables is unchanged
/// ([`deps::VarsKeys`]; only when keys are made).
fn write_page<T: Serialize>(
    site: &RenderContext,
    theme: &Theme,
    out: &Out,
    path: &str,
    template: &str,
    frame: Frame,
    vars: &T,
) -> Result<()> {
    let key = site.vars_keys.key(path, template, &frame, vars);
    let kept = match &key {
        Some(k) => site.vars_keys.unchanged(path, k) && out.keep(path)?,
        None => false,
    };
    if !kept {
        let html = render_page(theme, template, frame, vars)?;
        out.write(path, html.as_bytes())?;
    }
    if let Some(k) = key {
        site.vars_keys.record(path, k);
    }
    Ok(())
}

fn render_context(theme: &Theme, template: &str, frame: Frame, mut c: Context) -> Result<String> {
    c.extend(context_of(&frame)?);
    theme
        .tera
        .render(template, &c)
        .map_err(|e| RenderError(format!("template {template}: {}", flatten_error(&e))))
}

/// Sets the values every template sees ([`Globals`]), once, on the
/// shared Tera instance.
pub fn set_globals(
    site: &RenderContext,
    theme: &mut Theme,
    as_of: NaiveDate,
    audience: crate::model::Visibility,
    content_commit: Option<&str>,
) -> Result<()> {
    let globals = globals(site, as_of, audience, content_commit);
    theme.tera.global_context().extend(context_of(&globals)?);
    crate::output::localize::install(&mut theme.tera, &site.i18n);
    crate::output::localize::install(&mut theme.xml, &site.i18n);
    Ok(())
}

/// The values every template sees ([`Globals`]).
pub fn globals<'a>(
    site: &'a RenderContext,
    as_of: NaiveDate,
    audience: crate::model::Visibility,
    content_commit: Option<&str>,
) -> Globals<'a> {
    use crate::model::Enumerated;
    let commit = content_commit.unwrap_or_default();
    Globals {
        site: site_view(site.reg),
        as_of: iso(as_of),
        generator: concat!("isms-site ", env!("CARGO_PKG_VERSION")),
        audience: audience.slug(),
        audience_label: site.i18n.t(&format!("audience-{}", audience.slug())),
        lang: site.i18n.tag().to_string(),
        js_messages: site.i18n.script_messages(),
        content_commit: commit.to_string(),
        content_commit_short: commit.chars().take(12).collect(),
        feed: site.reg.site.base_url.is_some(),
        nonconformities: site.reg.entries.iter().any(|e| e.nonconformity.is_some()),
        objectives: objectives::present(site.reg),
        risks: risks::present(site.reg),
    }
}

/// Writes every page, chart and data file of the site into `out`; call
/// [`set_globals`] first.
pub fn render_site(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    for (name, bytes) in &theme.assets {
        out.write(&format!("assets/{name}"), bytes)?;
    }
    let mut count = theme.assets.len();

    use crate::output::timing::timed;
    let charts = timed("dashboard charts", || {
        chart::dashboard_charts(site.rollups, &site.i18n)
    });
    for c in &charts {
        out.write(&format!("charts/{}", c.file), c.svg.as_bytes())?;
    }
    count += charts.len();

    type Step<'a> = (&'static str, &'a (dyn Fn() -> Result<usize> + Sync));
    let steps: [Step; 10] = [
        ("dashboard", &|| render_dashboard(site, theme, out, &charts)),
        ("register", &|| render_register(site, theme, out)),
        ("entries", &|| entry::render_entries(site, theme, out)),
        ("plans", &|| plans::render_plans(site, theme, out)),
        ("reviews", &|| plans::render_reviews(site, theme, out)),
        ("nonconformities", &|| {
            nonconformities::render(site, theme, out)
        }),
        ("objectives", &|| objectives::render(site, theme, out)),
        ("risks", &|| risks::render(site, theme, out)),
        ("taxonomies", &|| {
            taxonomy::render_taxonomies(site, theme, out)
        }),
        ("evidence", &|| copy_evidence(site.reg, out)),
    ];
    // Side by side: each writes files of its own. When a site changes a
    // little, most steps have a page or two to render, and one after
    // another they left a core idle (issue 27). The first failure in this
    // order is the one reported, whichever ended first.
    count += crate::output::in_order(&steps, |(name, step)| timed(name, step))?;
    Ok(count)
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
        restricted_stubs: reg.restricted_stubs,
    }
}

/// Rollup counts as template rows: `describe` gives each key's label and,
/// where the term has a page, its link.
fn count_views<K>(
    list: &[(K, usize)],
    describe: impl Fn(&K) -> (String, Option<String>),
) -> Vec<CountView> {
    list.iter()
        .map(|(k, n)| {
            let (label, url) = describe(k);
            CountView {
                label,
                count: *n,
                url,
            }
        })
        .collect()
}

/// How many items any list on a summary page shows: the rest is one link
/// away, so no summary page grows with the register.
pub(crate) const LIST_MAX: usize = 10;

/// How many items the dashboard's headline cards show.
const HEADLINE_MAX: usize = 3;

/// The register filtered by `query` (`overdue=1`, `owner=…`): the full
/// list behind a bounded one. Names are percent-encoded for the query.
pub(crate) fn register_query(query: &[(&str, &str)]) -> String {
    let q: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_segment(v)))
        .collect();
    format!("register/index.html?{}", q.join("&"))
}

/// The first [`LIST_MAX`] rows of `idx`, with how many there are and
/// where all of them are listed (`all_url`, relative to the site root).
fn bounded_rows(site: &RenderContext, idx: &[usize], all_url: Option<String>) -> BoundedRows {
    bounded_values(idx.iter().map(|i| site.row_value(*i)), idx.len(), all_url)
}

/// As [`bounded_rows`], from rows already made into values.
fn bounded_values(
    rows: impl Iterator<Item = Value>,
    total: usize,
    all_url: Option<String>,
) -> BoundedRows {
    let rows: Vec<Value> = rows.take(LIST_MAX).collect();
    BoundedRows {
        rows: SharedValue(Value::from(rows)),
        total,
        all_url,
    }
}

fn bounded_counts(mut rows: Vec<CountView>, all_url: Option<&'static str>) -> BoundedCounts {
    let total = rows.len();
    rows.truncate(LIST_MAX);
    BoundedCounts {
        rows,
        total,
        all_url,
    }
}

/// Days as people say them: a whole number.
fn whole_days(d: Option<f64>) -> Option<i64> {
    d.map(|d| d.round() as i64)
}

fn owner_loads(site: &RenderContext) -> Vec<OwnerLoadView> {
    site.rollups
        .owner_load
        .iter()
        .filter(|o| o.open > 0)
        .take(LIST_MAX)
        .map(|o| {
            let assigned = o.owner != rollup::UNASSIGNED;
            OwnerLoadView {
                name: o.owner.clone(),
                url: site
                    .owner_slugs
                    .get(&o.owner)
                    .map(|slug| term_url("owners", slug)),
                open: o.open,
                overdue: o.overdue,
                overdue_url: (assigned && o.overdue > 0)
                    .then(|| register_query(&[("owner", &o.owner), ("overdue", "1")])),
            }
        })
        .collect()
}

fn period_view(site: &RenderContext) -> PeriodView {
    let p = &site.rollups.period;
    let review = p.review.map(|i| &site.reg.reviews[i]);
    let closed_by = p.closed_by.map(|i| &site.reg.reviews[i]);
    PeriodView {
        after: iso(p.after),
        from: iso(p.after.succ_opt().unwrap_or(p.after)),
        until: iso(p.until),
        review_title: review.map(|r| r.title.clone()),
        review_url: review.map(|r| review_url(&r.slug)),
        closed_by_title: closed_by.map(|r| r.title.clone()),
        closed_by_url: closed_by.map(|r| review_url(&r.slug)),
    }
}

/// The first sentence of a text: up to the first `.`, `!` or `?` that
/// ends a sentence, cut at 200 characters.
fn first_sentence(text: &str) -> String {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '.' | '!' | '?')
                && t[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(t.len());
    markdown::cut(&t[..end], 200)
}

/// Completed entries in words: id, title, first sentence of the outcome.
fn outcome_views(site: &RenderContext, idx: &[usize]) -> Vec<OutcomeView> {
    let as_of = site.rollups.as_of;
    idx.iter()
        .map(|i| {
            let e = &site.reg.entries[*i];
            let outcome = site.entry_text[*i].outcome().cloned();
            OutcomeView {
                id: e.id.clone(),
                title: e.title.clone(),
                url: entry_url(&e.id),
                completed: e.completed.map(iso).unwrap_or_default(),
                days_ago: e.completed.map(|c| (as_of - c).num_days()).unwrap_or(0),
                sentence: outcome
                    .map(|o| first_sentence(&o))
                    .filter(|o| !o.is_empty()),
            }
        })
        .collect()
}

/// An effectiveness review due, for templates.
fn due_view(site: &RenderContext, d: &crate::compute::effectiveness::Due) -> DueView {
    let e = &site.reg.entries[d.entry];
    DueView {
        id: e.id.clone(),
        title: e.title.clone(),
        url: entry_url(&e.id),
        owner: e.owner.clone(),
        due: iso(d.due),
        overdue: d.overdue,
    }
}

fn effectiveness_summary(site: &RenderContext) -> EffectivenessSummary {
    let r = site.rollups;
    EffectivenessSummary {
        effective: r.effective.part,
        reviewed: r.reviewed.part,
        completed: r.reviewed.of,
        unreviewed: r.reviewed.of - r.reviewed.part,
        percent: r.effective.percent,
        due: r.effectiveness_due.len(),
        overdue: r.effectiveness_due.iter().filter(|d| d.overdue).count(),
        list: r
            .effectiveness_due
            .iter()
            .take(LIST_MAX)
            .map(|d| due_view(site, d))
            .collect(),
    }
}

fn next_review_view(site: &RenderContext) -> Option<NextReviewView> {
    let r = site.rollups;
    let n = r.next_review.as_ref()?;
    let before = |d: NaiveDate| d <= n.date;
    Some(NextReviewView {
        date: iso(n.date),
        estimated: n.estimated,
        interval_days: n.interval_days,
        days_away: (n.date - r.as_of).num_days(),
        due: bounded_rows(site, &r.due_before_next_review, None),
        milestones_due: site
            .reg
            .plans
            .iter()
            .flat_map(|p| &p.milestones)
            .filter(|m| m.done.is_none() && m.due.is_some_and(|d| d > r.as_of && before(d)))
            .count(),
        effectiveness_due: r.effectiveness_due.iter().filter(|d| before(d.due)).count(),
    })
}

fn trend_view(site: &RenderContext) -> TrendView {
    let r = site.rollups;
    let then = &r.period_start;
    let now_overdue = r.overdue.len();
    let direction = match (now_overdue.cmp(&then.overdue_count), r.open.cmp(&then.open)) {
        (std::cmp::Ordering::Less, _) | (std::cmp::Ordering::Equal, std::cmp::Ordering::Less) => {
            "better"
        }
        (std::cmp::Ordering::Equal, std::cmp::Ordering::Equal) => "same",
        _ => "worse",
    };
    TrendView {
        since: iso(then.date),
        review_title: r.period.review.map(|i| site.reg.reviews[i].title.clone()),
        open_then: then.open,
        open_now: r.open,
        overdue_then: then.overdue_count,
        overdue_now: now_overdue,
        direction,
    }
}

fn render_dashboard(
    site: &RenderContext,
    theme: &Theme,
    out: &Out,
    charts: &[Chart],
) -> Result<usize> {
    let r = site.rollups;
    let ms: Vec<DatedLink> = r
        .overdue_milestones
        .iter()
        .take(LIST_MAX)
        .map(|m| {
            let p = &site.reg.plans[m.plan];
            DatedLink {
                title: format!("{} — {}", p.milestones[m.milestone].title, p.title),
                url: plan_url(&p.slug),
                date: p.milestones[m.milestone].due.map(iso),
            }
        })
        .collect();
    // A grid of zeros says nothing: with no open entry rated, the
    // dashboard says how many are unrated instead.
    let rated = r.benefit_effort.iter().flatten().any(|n| *n > 0);
    let mut views: Vec<ChartView> = charts
        .iter()
        .filter(|ch| rated || ch.file != "benefit-effort.svg")
        .map(|ch| chart_view(ch, "charts/"))
        .collect();
    let trend = (!views.is_empty()).then(|| views.remove(0));
    let mut c = DashboardPage {
        r: SharedValue(Value::from_serializable(r)),
        last_updated: r.last_updated.map(iso),
        period: period_view(site),
        days: DaysView {
            to_complete: whole_days(r.days_to_complete.median),
            age_open: whole_days(r.age_open.median),
            oldest_open: r.age_open.max,
        },
        overdue_milestones: ms,
        overdue_milestones_total: r.overdue_milestones.len(),
        trend,
        charts: views,
        webcal: subscribe_url(site.reg, "calendar.ics"),
        next_review: next_review_view(site),
        trend_words: trend_view(site),
        effectiveness: effectiveness_summary(site),
        unrated: r.benefit_effort_unrated,
        kpis: crate::compute::objectives::counts(site.reg, r.as_of),
        ..DashboardPage::default()
    };
    set_headlines(site, &mut c);
    set_nonconformities(site, &mut c);
    set_rollups(site, &mut c);
    let html = render_page(
        theme,
        "index.html",
        Frame {
            root: "",
            section: "dashboard",
        },
        &c,
    )?;
    out.write("index.html", html.as_bytes())?;
    Ok(1)
}

/// What top management reads first: what was achieved this period, what
/// is late and who owns it. Each list bounded, with its count and link.
fn set_headlines(site: &RenderContext, c: &mut DashboardPage) {
    let r = site.rollups;
    let overdue_url = register_query(&[("overdue", "1")]);
    let completed_url = register_query(&[("status", Status::Completed.slug())]);
    let head = |idx: &[usize]| SharedValue(site.rows_of(&idx[..idx.len().min(HEADLINE_MAX)]));
    c.achieved_latest = head(&r.completed_in_period);
    c.achieved_total = r.completed_in_period.len();
    c.oldest_overdue = head(&r.overdue);
    c.overdue = bounded_rows(site, &r.overdue, Some(overdue_url.clone()));
    // "Recently completed" is the period's; with nothing completed in
    // it, the latest before it, each saying how long ago.
    c.recent_in_period = !r.completed_in_period.is_empty();
    c.recent = if c.recent_in_period {
        bounded_rows(site, &r.completed_in_period, None)
    } else {
        let rows = r.recently_completed.iter().take(HEADLINE_MAX).map(|i| {
            let ago = site.reg.entries[*i]
                .completed
                .map(|d| (r.as_of - d).num_days());
            site.row_with(*i, [("days_ago", Value::from(ago))])
        });
        bounded_values(
            rows,
            r.recently_completed.len(),
            Some(completed_url.clone()),
        )
    };
    c.outcomes = outcome_views(
        site,
        &r.completed_in_period[..r.completed_in_period.len().min(2)],
    );
    c.extended = bounded_rows(site, &r.extended, None);
    c.completed_url = completed_url;
    c.overdue_url = overdue_url;
    c.owner_load = owner_loads(site);
    c.top_overdue_owner = owner_loads(site).into_iter().find(|o| o.overdue > 0);
    c.owners_total = r.owner_load.iter().filter(|o| o.open > 0).count();
}

/// Open nonconformities, and the chains that stopped at an action found
/// not effective.
fn set_nonconformities(site: &RenderContext, c: &mut DashboardPage) {
    let r = site.rollups;
    let url = |sev: Severity| Some(format!("{}#nc-{}-h", nonconformities::PATH, sev.slug()));
    c.nc_open = vec![
        CountView {
            label: site.i18n.t("nc-open-major").into(),
            count: r.nc_open_major,
            url: url(Severity::Major),
        },
        CountView {
            label: site.i18n.t("nc-open-minor").into(),
            count: r.nc_open_minor,
            url: url(Severity::Minor),
        },
    ];
    c.not_effective_unfollowed = bounded_rows(site, &r.not_effective_unfollowed, None);
    use crate::compute::nonconformity::State;
    let not_closed = |s: State| r.findings.iter().filter(|f| f.state == s).count();
    c.nc_states = [State::Reopened, State::Open, State::AwaitingVerification]
        .iter()
        .map(|s| CountView {
            label: site.i18n.keyed("finding-state", s.slug()).to_lowercase(),
            count: not_closed(*s),
            url: None,
        })
        .filter(|v| v.count > 0)
        .collect();
    c.nc_no_follow_up = r.findings.iter().filter(|f| f.no_follow_up).count();
}

/// The counts below the fold, each bounded like every list.
fn set_rollups(site: &RenderContext, c: &mut DashboardPage) {
    let r = site.rollups;
    let linked = |dir: &str, slug: &str| Some(term_url(dir, slug));
    c.by_status = bounded_counts(
        count_views(&r.by_status, |s| {
            (site.i18n.label(*s).into(), linked("status", s.slug()))
        }),
        Some("status/index.html"),
    );
    c.by_priority = bounded_counts(
        count_views(&r.by_priority, |p| {
            (site.i18n.label(*p).into(), linked("priority", p.slug()))
        }),
        Some("priority/index.html"),
    );
    c.by_type = bounded_counts(
        count_views(&r.by_type, |t| (site.i18n.label(*t).into(), None)),
        None,
    );
    let mut by_source = count_views(&r.by_source, |s| match s {
        Some(s) => (site.i18n.label(*s).into(), linked("source", s.slug())),
        None => (site.i18n.t("not-given").into(), None),
    });
    by_source.retain(|c| c.count > 0);
    c.by_source = bounded_counts(by_source, Some("source/index.html"));
    c.by_control = bounded_counts(
        count_views(&r.by_control, |o| {
            (o.clone(), linked("controls", &site.control_slugs[o]))
        }),
        Some("controls/index.html"),
    );
}

/// Choices of an enumerated filter: slug as value, label as text.
fn options<T: Copy>(
    all: &[T],
    slug_label: impl Fn(T) -> (&'static str, &'static str),
) -> Vec<FilterOption> {
    all.iter()
        .map(|v| {
            let (value, label) = slug_label(*v);
            FilterOption {
                value: value.into(),
                label: label.into(),
            }
        })
        .collect()
}

/// Choices of a free-text term filter (control, tag): slug as value, in
/// natural order of the names.
fn term_options(counts: &[(String, usize)], slugs: &HashMap<String, String>) -> Vec<FilterOption> {
    let mut names: Vec<&String> = counts.iter().map(|(n, _)| n).collect();
    names.sort_by(|a, b| natural_cmp(a, b));
    names
        .into_iter()
        .filter_map(|n| {
            slugs.get(n).map(|slug| FilterOption {
                value: slug.clone(),
                label: n.clone(),
            })
        })
        .collect()
}

/// Choices of the risk filter: each risk entries name, catalogue id
/// spelling where there is one, in natural order.
fn risk_options(site: &RenderContext) -> Vec<FilterOption> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out: Vec<FilterOption> = site
        .reg
        .entries
        .iter()
        .flat_map(|e| &e.risks)
        .filter(|r| seen.insert(r.to_lowercase()))
        .map(|r| {
            let link = site.risk_link(r);
            FilterOption {
                value: link.slug,
                label: link.name,
            }
        })
        .collect();
    out.sort_by(|a, b| natural_cmp(&a.label, &b.label));
    out
}

/// Rows per register page: at 200 a page is about 250 KB of HTML, within
/// the 500 KB first load the register must keep at any size.
pub const REGISTER_PAGE_SIZE: usize = 200;

/// The file of register page `n` (1-based): the first is the register's
/// own page; the others are numbered in a folder of their own, outside
/// `register/`, where any name could be an entry's id.
pub fn register_page_path(n: usize) -> String {
    if n <= 1 {
        "register/index.html".to_string()
    } else {
        format!("register-pages/{n}/index.html")
    }
}

fn pager(page: usize, pages: usize, rows: std::ops::Range<usize>) -> Pager {
    let url = |n: usize| register_page_path(n);
    Pager {
        page,
        pages,
        first: rows.start + 1,
        last: rows.end,
        prev: (page > 1).then(|| url(page - 1)),
        next: (page < pages).then(|| url(page + 1)),
        links: (1..=pages)
            .map(|n| PageLink {
                n,
                url: (n != page).then(|| url(n)),
            })
            .collect(),
    }
}

/// The register's filter choices, the same on every page.
fn register_filters(site: &RenderContext) -> RegisterFilters {
    let severities: Vec<Severity> = Severity::ALL
        .iter()
        .copied()
        .filter(|s| {
            site.reg
                .entries
                .iter()
                .any(|e| e.nonconformity.as_ref().is_some_and(|n| n.severity == *s))
        })
        .collect();
    let sources: Vec<Source> = site
        .rollups
        .by_source
        .iter()
        .filter_map(|(s, n)| s.filter(|_| *n > 0))
        .collect();
    RegisterFilters {
        statuses: options(Status::ALL, |s| (s.slug(), site.i18n.label(s))),
        priorities: options(Priority::ALL, |p| (p.slug(), site.i18n.label(p))),
        sources: options(&sources, |s| (s.slug(), site.i18n.label(s))),
        controls: term_options(&site.rollups.by_control, &site.control_slugs),
        tags: term_options(&site.rollups.by_tag, &site.tag_slugs),
        risk_choices: risk_options(site),
        owners: site
            .rollups
            .by_owner
            .iter()
            .filter(|(o, _)| o != rollup::UNASSIGNED)
            .map(|(o, _)| FilterOption {
                value: o.clone(),
                label: o.clone(),
            })
            .collect(),
        types: options(EntryType::ALL, |t| (t.slug(), site.i18n.label(t))),
        severities: options(&severities, |s| (s.slug(), site.i18n.label(s))),
    }
}

/// Writes the register as numbered pages of [`REGISTER_PAGE_SIZE`] rows in
/// register order (by id), so an entry's page changes only when entries
/// before it come or go. JavaScript filters and sorts all entries from the
/// search index's row data.
fn render_register(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let filters = register_filters(site);
    let total = site.reg.entries.len();
    let pages = total.div_ceil(REGISTER_PAGE_SIZE).max(1);
    (1..=pages)
        .into_par_iter()
        .map(|n| {
            let path = register_page_path(n);
            if site.keeps_register_page(n) && out.keep(&path)? {
                return Ok(());
            }
            let rows = (n - 1) * REGISTER_PAGE_SIZE..(n * REGISTER_PAGE_SIZE).min(total);
            let vars = RegisterPage {
                total,
                rows: SharedValue(site.rows_of(&rows.clone().collect::<Vec<_>>())),
                pager: pager(n, pages, rows),
                filters: &filters,
            };
            let root = "../".repeat(path.matches('/').count());
            let frame = Frame {
                root: &root,
                section: "register",
            };
            let html = render_page(theme, "register.html", frame, &vars)?;
            out.write(&path, html.as_bytes())
        })
        .collect::<Result<Vec<()>>>()?;
    Ok(pages)
}

fn copy_evidence(reg: &Register, out: &Out) -> Result<usize> {
    for f in &reg.evidence {
        let bytes =
            fs::read(&f.source).map_err(|e| RenderError(format!("{}: {e}", f.source.display())))?;
        out.write(&format!("evidence/{}", f.rel), &bytes)?;
    }
    Ok(reg.evidence.len())
}

/// Every page, chart, theme asset and evidence copy.
pub struct Pages;

impl crate::output::Output for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }
    fn parallel_inside(&self) -> bool {
        true
    }
    fn reads_entry_html(&self) -> bool {
        true
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize> {
        render_site(i.context, i.theme, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 27: the dates pages show are what chrono's format writes,
    /// every day of some centuries and the years it writes differently.
    #[test]
    fn iso_dates_are_what_chrono_writes() {
        use chrono::Datelike;
        let mut d = NaiveDate::from_ymd_opt(1899, 12, 25).unwrap();
        while d.year() < 2101 {
            assert_eq!(iso(d), d.format("%Y-%m-%d").to_string());
            d = d.succ_opt().unwrap();
        }
        for y in [-10_000, -1, 0, 1, 9, 99, 999, 1000, 9999, 10_000, 262_142] {
            let d = NaiveDate::from_ymd_opt(y, 2, 28).unwrap();
            assert_eq!(iso(d), d.format("%Y-%m-%d").to_string(), "{y}");
        }
    }

    #[test]
    fn the_first_sentence_ends_at_a_full_stop_before_a_space() {
        assert_eq!(
            first_sentence("Exercise held on 2026-05-21. Orders could be taken."),
            "Exercise held on 2026-05-21."
        );
        // A version number or a decimal is not the end of a sentence.
        assert_eq!(
            first_sentence("Moved to v2.1 today! Then more."),
            "Moved to v2.1 today!"
        );
        assert_eq!(first_sentence("  no stop at all  "), "no stop at all");
    }

    #[test]
    fn file_names_are_percent_encoded_in_links() {
        assert_eq!(
            encode_segment("Q1 review (draft)"),
            "Q1%20review%20%28draft%29"
        );
        assert_eq!(encode_segment("a-b_c.d~"), "a-b_c.d~");
    }
}
