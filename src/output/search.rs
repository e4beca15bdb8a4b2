//! The search index, written at build time, once, and the register's rows.
//!
//! The site has no server, so the search box searches an index the build
//! writes beside the pages. It is made from the same `RenderContext` the
//! pages are rendered from, so it holds exactly what the site shows.
//!
//! Every data file is written twice: `NAME.json`, which pages served over
//! http(s) `fetch()` (the same-origin policy protects it from other sites),
//! and `NAME.js`, a script that adds the same data to `window.ISMS_DATA`
//! only when the page including it was opened from `file://`, where a
//! script is the only way to read a file (so another site's page that
//! includes it gets nothing).
//!
//! It is a term index, not the full text: every word of a page once, with
//! the numbers of the pages holding it (the postings), and per page only
//! what a result shows (title, link, one line, a short snippet). A query
//! loads only what it needs: the small `search-index` (page count, file
//! names), the shard of each query word's first character, and the parts of
//! the docs table its first results are in (index load 5.3 MB → 0.36 MB
//! for "backup restore" at 10,000 entries).
//!
//! Format (version 3), all positions 0-based:
//! - `search-index`: `count` pages (entries in register order, then plans,
//!   then reviews), `chunk` (pages per docs file), `shards` (the keys of
//!   the term files, all written even when empty).
//! - `search/t-KEY`: the lower-cased words starting with `KEY` (an ASCII
//!   letter or digit; `_` for any other character), sorted; `postings[k]`
//!   the pages of `terms[k]` as three lists, `title|keys|text` (the best
//!   field a page holds the word in), each a comma-separated list of
//!   base-36 gaps between page numbers; `ids`, `[n, id]` of the entries
//!   whose lower-cased id starts with `KEY`.
//! - `search/d-N`: `docs`, pages `N * chunk ..`, each `[id, title, url,
//!   meta, snippet]`; `id` is empty but for entries.
//! - `register-rows`: `docs[i]`, entry `i`'s `[id, title, url,
//!   description]`; `rows[i]`, its other register columns, `[status,
//!   priority, owner, source, controls, tags, identified, target, overdue,
//!   outcome, type, severity, extensions, risks]` (`severity` of the entry's
//!   nonconformity, or ""; `extensions`: how often the target was moved
//!   later), `owner` an index into `owners` (`[name, url]`) or -1,
//!   `controls`, `tags` and `risks` their slugs as `" a b "` (`risks`
//!   empty when the entry names none).

use crate::model::Enumerated;
use crate::model::schema::{self, Field, Search, Value};
use crate::model::{Entry, Plan, Review};
use crate::output::markdown::{self, EntryText, Rendered};
use crate::output::oscal::Each;
use crate::output::pages::{self as render, RenderContext};
use crate::output::search_memo::{SearchMemo, page_key};
use crate::output::sink::{Out, RenderError, lock};
use crate::output::terms::{cjk_bigrams, compounds, fold, is_cjk, words};
use crate::output::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

/// Characters of text a result shows; the register's description column
/// is cut the same, so entries share it.
const SNIPPET: usize = 160;

/// One searchable page, as the index is made from it.
struct Doc {
    /// The entry id; empty for plans and reviews.
    id: String,
    title: String,
    /// Relative to the site root.
    url: String,
    /// One line shown under the title in the results.
    meta: String,
    /// Short fields that rank above body text: owner, controls, tags…
    keys: String,
    /// Its body: indexed, not written.
    body: Body,
    /// What a result shows of the text.
    snippet: String,
}

/// A page's body as the index takes it.
enum Body {
    /// Text without markup, its terms taken here (plans, reviews).
    Text(String),
    /// Its terms taken already ([`crate::output::terms::text_terms`]): an
    /// entry's, kept with its Markdown ([`EntryText::terms`]).
    Terms(String),
}

/// An entry's register columns (see the module doc).
type RowData<'a> = (
    &'a str,
    &'a str,
    i64,
    &'a str,
    String,
    String,
    String,
    String,
    u8,
    String,
    &'static str,
    &'static str,
    usize,
    String,
);

/// The part of the index every search needs: how many pages, and how the
/// other files are called.
#[derive(Serialize)]
struct Core<'a> {
    version: u32,
    site: &'a str,
    /// Pages in the index: entries, then plans, then reviews.
    count: usize,
    /// `docs[n]` is in `search/d-<n / chunk>`.
    chunk: usize,
    /// The term shards written, by key (`search/t-<key>`).
    shards: Vec<String>,
}

/// The terms starting with one character, and their postings; and the
/// entries whose id starts with it (a query matches ids as typed, so a
/// query loads the ids it may match with its terms: no file of every id).
#[derive(Serialize, Default)]
struct Shard {
    terms: Vec<String>,
    postings: Vec<String>,
    /// `[entry number, id]`.
    ids: Vec<(usize, String)>,
}

/// A run of `CHUNK` pages of the docs table.
#[derive(Serialize)]
struct Docs<'a> {
    docs: &'a [DocRow],
}

/// `[id, title, url, meta, snippet]`.
type DocRow = (String, String, String, String, String);

/// The terms of a run of pages, each page's with its key
/// ([`page_key`]) and its row of the docs table.
type Run<'m> = Vec<([u8; 32], Taken<'m>, DocRow)>;

/// The register's columns beyond the search's docs table, in a file of
/// their own: the search box never needs them, the register page needs
/// nothing else (`docs`: each entry's `[id, title, url, description]`).
#[derive(Serialize)]
struct Rows<R: Serialize, D: Serialize> {
    owners: Vec<(String, String)>,
    rows: R,
    docs: D,
}

/// Pages per file of the docs table: a query shows 12 results, so it loads
/// at most 12 of these files (about 18 KB each for synthetic entries)
/// instead of the whole table (3.3 MB at 10,000 entries). The first
/// results of a query are spread over the register: at 10,000 entries
/// "backup restore" needs 11 parts of 256 pages (0.8 MB), or 12 of 64
/// (0.2 MB).
const CHUNK: usize = 64;

/// The shard a term is in: its first character if that is an ASCII letter
/// or digit, else `_`. A query word is folded (accents off) before it is
/// looked up, so a word starting with `u` may match a term starting with
/// `ü`: search.js loads the `_` shard with every other one. Terms are
/// lower case; one that is not (from a memo made by hand) goes to `_`.
fn shard_key(term: &str) -> char {
    match term.chars().next() {
        Some(c) if c.is_ascii_digit() || c.is_ascii_lowercase() => c,
        _ => '_',
    }
}

/// The index but for its docs table (written as it is made), in the
/// files it is written as.
struct Index<'a> {
    core: Core<'a>,
    shards: Vec<(char, Shard)>,
}

/// A page's distinct words, sorted, each with the best field holding it:
/// 0 title, 1 keys, 2 text (search.js ranks them in that order). In one
/// buffer: a `String` a word was some 1.5 million allocations a build at
/// 10,000 entries, and most words are in the index already.
#[derive(Debug, PartialEq, Eq)]
struct Terms {
    text: String,
    /// Each word's place in `text`, and its field.
    spans: Vec<(usize, usize, u8)>,
}

impl Terms {
    fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.spans
            .iter()
            .map(|&(start, end, field)| (&self.text[start..end], field))
    }
}

fn terms_of(d: &Doc) -> Terms {
    let body = match &d.body {
        Body::Text(text) => fold(text),
        Body::Terms(_) => String::new(),
    };
    let folded = [fold(&d.title), fold(&d.keys), body];
    let mut found: Vec<(&str, u8)> = Vec::new();
    let mut pairs: Vec<(String, u8)> = Vec::new();
    for (field, lower) in (0u8..).zip(&folded) {
        for w in words(lower).chain(compounds(lower)) {
            if w.contains(is_cjk) {
                pairs.extend(cjk_bigrams(w).into_iter().map(|p| (p, field)));
            }
            found.push((w, field));
        }
    }
    // Sorted below: any order of hashing gives the same terms.
    let mut best: rustc_hash::FxHashMap<&str, u8> = Default::default();
    best.reserve(found.len());
    let pairs = pairs.iter().map(|(p, field)| (p.as_str(), *field));
    for (w, field) in found.into_iter().chain(pairs) {
        best.entry(w)
            .and_modify(|b| *b = (*b).min(field))
            .or_insert(field);
    }
    let mut terms: Vec<(&str, u8)> = best.into_iter().collect();
    terms.sort_unstable();
    if let Body::Terms(body) = &d.body {
        terms = with_body_terms(terms, body);
    }
    let mut text = String::with_capacity(terms.iter().map(|(t, _)| t.len()).sum());
    let spans = terms
        .into_iter()
        .map(|(t, field)| {
            let start = text.len();
            text.push_str(t);
            (start, text.len(), field)
        })
        .collect();
    Terms { text, spans }
}

/// `terms` (sorted, distinct) with the body's terms `body` (sorted,
/// distinct, space-separated) in the text field, where not in a better
/// one already: one pass over both, instead of hashing and sorting the
/// body's terms again for every entry of every build.
fn with_body_terms<'t>(terms: Vec<(&'t str, u8)>, body: &'t str) -> Vec<(&'t str, u8)> {
    let mut out = Vec::with_capacity(terms.len() + body.len() / 6);
    let mut body = body.split(' ').filter(|t| !t.is_empty()).peekable();
    for (t, field) in terms {
        while let Some(b) = body.next_if(|b| *b < t) {
            out.push((b, 2));
        }
        body.next_if_eq(&t);
        out.push((t, field));
    }
    out.extend(body.map(|b| (b, 2)));
    out
}

fn base36(mut n: u32, out: &mut String) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 8];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&b| b as char));
}

/// One term's postings: `title|keys|text`, each the gaps between
/// ascending page numbers in base 36 (small numbers for common words),
/// encoded as the pages are added: the page numbers of every term were
/// tens of MB at 50,000 entries beside their text (issue 27).
#[derive(Default)]
struct Postings {
    fields: [String; 3],
    /// The last page added to each field (gaps are from 0 at first).
    last: [u32; 3],
}

impl Postings {
    /// Adds page `n`, after every page added before it, to `field`.
    fn add(&mut self, field: usize, n: u32) {
        let out = &mut self.fields[field];
        if !out.is_empty() {
            out.push(',');
        }
        base36(n - self.last[field], out);
        self.last[field] = n;
    }

    fn encoded(self) -> String {
        self.fields.join("|")
    }
}

/// Pages whose terms are taken at once. The terms of every page at once
/// were the largest thing a build held (about 100 MB at 10,000 entries);
/// a run of pages at a time keeps both cores busy for a fraction of it.
const TERMS_AT_ONCE: usize = 512;

/// The docs table's files start at a run of pages: each run writes its own.
const _: () = assert!(TERMS_AT_ONCE.is_multiple_of(CHUNK));

/// A page's terms as a run takes them: the memo's, by number, when it
/// holds the page's key, else taken from its text.
enum Taken<'m> {
    Kept(&'m [u32]),
    New(Terms),
}

/// The terms this render numbered, each with its postings, and each
/// page's terms by number: the memo the next render takes.
struct Numbered<'m> {
    earlier: &'m SearchMemo,
    /// By term: its number, where it is a term of this render.
    number: rustc_hash::FxHashMap<String, u32>,
    /// By the earlier memo's number: this render's, or `u32::MAX` when
    /// not looked up yet.
    renumbered: Vec<u32>,
    terms: Vec<String>,
    postings: Vec<Postings>,
    pages: HashMap<[u8; 32], Vec<u32>>,
}

impl<'m> Numbered<'m> {
    fn over(earlier: &'m SearchMemo) -> Self {
        Numbered {
            earlier,
            number: Default::default(),
            renumbered: vec![u32::MAX; earlier.terms()],
            terms: Vec::new(),
            postings: Vec::new(),
            pages: HashMap::new(),
        }
    }

    /// This render's number for `term`, given one when it is new.
    fn of(&mut self, term: &str) -> u32 {
        if let Some(&n) = self.number.get(term) {
            return n;
        }
        let n = self.terms.len() as u32;
        self.number.insert(term.to_string(), n);
        self.terms.push(term.to_string());
        self.postings.push(Postings::default());
        n
    }

    /// This render's number for the earlier memo's term `t` (a number
    /// the memo has: it was checked when read).
    fn renumber(&mut self, t: u32) -> u32 {
        let at = t as usize;
        match self.renumbered.get(at) {
            Some(&n) if n != u32::MAX => n,
            _ => {
                let n = self.of(self.earlier.term(at).unwrap_or_default());
                if let Some(slot) = self.renumbered.get_mut(at) {
                    *slot = n;
                }
                n
            }
        }
    }

    /// Page `n` holds `term` in `field`: in its postings, and in the
    /// page's `list` for the memo.
    fn add(&mut self, term: u32, field: u8, n: u32, list: &mut Vec<u32>) {
        self.postings[term as usize].add(usize::from(field), n);
        list.push(term << 2 | u32::from(field));
    }
}

/// The sorted terms of all `count` pages with their encoded postings.
/// Page `n`'s [`Doc`] is made by `doc` when its run of pages takes its
/// terms, and the run's rows of the docs table are handed to `emit` (with
/// the number of the run's first page) to be written: the docs of every
/// page at once, with their keys and body text (a copy of every plan's
/// and review's), were about 60 MB of the 50,000-entry build's peak
/// (issue 27). Returns what `emit` returned, added up, and the memo of
/// this render's terms for the next.
///
/// A page whose key `earlier` holds takes its terms from there, by number
/// ([`SearchMemo`]); the postings are the same either way.
///
/// A run's postings are added on one thread while the next run's terms
/// are taken on the others: added after each run, they kept one core
/// alone for about a third of the index's time (issue 27). The runs are
/// added in order, so the index is the same.
fn term_index(
    count: usize,
    doc: impl Fn(usize) -> Doc + Sync,
    mut emit: impl FnMut(usize, Vec<DocRow>) -> Result<usize, RenderError> + Send,
    earlier: &SearchMemo,
) -> Result<(Vec<String>, Vec<String>, usize, SearchMemo), RenderError> {
    let mut numbered = Numbered::over(earlier);
    let terms_of_run = |start: usize| -> Run<'_> {
        let end = (start + TERMS_AT_ONCE).min(count);
        (start..end)
            .into_par_iter()
            .map(|n| {
                let d = doc(n);
                let (text, body) = match &d.body {
                    Body::Text(t) => (true, t.as_str()),
                    Body::Terms(t) => (false, t.as_str()),
                };
                let key = page_key(&d.title, &d.keys, text, body);
                let taken = match earlier.pages.get(&key) {
                    Some(kept) => Taken::Kept(kept),
                    None => Taken::New(terms_of(&d)),
                };
                (key, taken, (d.id, d.title, d.url, d.meta, d.snippet))
            })
            .collect()
    };
    let mut add = |start: usize, run: Run| {
        let mut rows = Vec::with_capacity(run.len());
        for (k, (key, taken, row)) in run.into_iter().enumerate() {
            let n = (start + k) as u32;
            let mut list = Vec::new();
            match taken {
                Taken::Kept(kept) => {
                    list.reserve(kept.len());
                    for &t in kept {
                        let term = numbered.renumber(t >> 2);
                        numbered.add(term, (t & 3) as u8, n, &mut list);
                    }
                }
                Taken::New(terms) => {
                    list.reserve(terms.spans.len());
                    for (term, field) in terms.iter() {
                        let term = numbered.of(term);
                        numbered.add(term, field, n, &mut list);
                    }
                }
            }
            numbered.pages.insert(key, list);
            rows.push(row);
        }
        emit(start, rows)
    };
    let mut emitted = 0;
    let mut pending: Option<(usize, Run)> = None;
    for start in (0..count).step_by(TERMS_AT_ONCE) {
        let last = pending.take();
        let (run, added) = rayon::join(|| terms_of_run(start), || last.map(|(s, r)| add(s, r)));
        emitted += added.transpose()?.unwrap_or(0);
        pending = Some((start, run));
    }
    if let Some((s, r)) = pending {
        emitted += add(s, r)?;
    }
    let Numbered {
        terms: names,
        postings,
        pages,
        ..
    } = numbered;
    let mut sorted: Vec<(&String, Postings)> = names.iter().zip(postings).collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let (terms, encoded) = sorted
        .into_iter()
        .map(|(t, p)| (t.clone(), p.encoded()))
        .unzip();
    // A register too large to number its terms keeps none.
    let memo = SearchMemo::new(&names, pages).unwrap_or_default();
    Ok((terms, encoded, emitted, memo))
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

/// The fields the schema indexes in one part of a document (`part` picks
/// the rank), in rank order.
fn ranked(part: impl Fn(&Search) -> Option<u8>) -> impl Iterator<Item = Field> {
    let mut fields: Vec<(u8, Field)> = schema::ENTRY
        .iter()
        .filter_map(|s| part(&s.search).map(|rank| (rank, s.field)))
        .collect();
    fields.sort_unstable();
    fields.into_iter().map(|(_, f)| f)
}

/// The names and terms a field adds to an entry's keys.
fn key_texts(v: Value<'_>) -> Vec<&str> {
    match v {
        Value::Text(t) => vec![t.unwrap_or("")],
        Value::Enum(e) => vec![e.map_or("", |(_, label)| label)],
        Value::List(items) => items.iter().map(String::as_str).collect(),
        Value::Kpis(kpis) => kpis.iter().map(|k| k.name.as_str()).collect(),
        Value::Extra(extra) => extra.values().map(String::as_str).collect(),
        Value::Nonconformity(nc) => nc.iter().map(|n| n.reference.as_str()).collect(),
        Value::Markdown(_)
        | Value::Date(_)
        | Value::Ids(_)
        | Value::Effectiveness(_)
        | Value::History(_)
        | Value::Links(_) => Vec::new(),
    }
}

/// An entry's page in the index.
fn entry_doc(site: &RenderContext, i: usize, e: &Entry, md: &EntryText) -> Doc {
    let owner = e.owner.as_deref().unwrap_or("");
    let keys = join(ranked(|s| s.key).flat_map(|f| key_texts(e.value(f))), " · ");
    let overdue = if site.facts[i].overdue { "Overdue" } else { "" };
    Doc {
        snippet: entry_snippet(md),
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
        body: Body::Terms(md.terms().to_string()),
    }
}

/// An entry's line under its title, in search results and in the
/// register's description column.
fn entry_snippet(md: &EntryText) -> String {
    markdown::cut(md.description().map_or("", String::as_str), SNIPPET)
}

fn plan_doc(p: &Plan, body: &Rendered) -> Doc {
    let owner = p.owner.as_deref().unwrap_or("");
    Doc {
        snippet: markdown::cut(&body.text, SNIPPET),
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
        body: Body::Text(body.text.clone()),
    }
}

fn review_doc(r: &Review, body: &Rendered) -> Doc {
    let date = r.date.format("%Y-%m-%d").to_string();
    Doc {
        snippet: markdown::cut(&body.text, SNIPPET),
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
        body: Body::Text(body.text.clone()),
    }
}

/// The owners named in the rows, in the order the rows first name them
/// (the page of each owner's name), and each name's position there.
fn row_owners<'s>(site: &'s RenderContext) -> (Vec<(String, String)>, HashMap<&'s str, i64>) {
    let slugs: HashMap<&String, &String> = site.owner_pages().into_iter().collect();
    let mut owners = Vec::new();
    let mut owner_at = HashMap::new();
    for o in site.reg.entries.iter().filter_map(|e| e.owner.as_ref()) {
        owner_at.entry(o.as_str()).or_insert_with(|| {
            owners.push((o.clone(), urls::term_url("owners", slugs[o])));
            owners.len() as i64 - 1
        });
    }
    (owners, owner_at)
}

/// Entry `i`'s register columns, its owner by position in `owner_at`.
fn row_data<'a>(site: &RenderContext<'a>, i: usize, owner_at: &HashMap<&str, i64>) -> RowData<'a> {
    let e = &site.reg.entries[i];
    let r = site.row(e, &site.facts[i], &site.entry_text()[i]);
    let owner = r.owner.map_or(-1, |o| owner_at[o.name.as_str()]);
    let slugs = |links: &[render::NameLink]| {
        let mut s = String::from(" ");
        for l in links {
            s.push_str(&l.slug);
            s.push(' ');
        }
        s
    };
    (
        r.status,
        r.priority,
        owner,
        r.source.unwrap_or(""),
        slugs(&r.controls),
        slugs(&r.tags),
        r.identified,
        r.target.unwrap_or_default(),
        u8::from(r.overdue),
        r.outcome,
        r.entry_type,
        e.nonconformity.as_ref().map_or("", |n| n.severity.slug()),
        r.extensions,
        // Empty rather than " ": most entries name no risk.
        if r.risks.is_empty() {
            String::new()
        } else {
            slugs(&r.risks)
        },
    )
}

/// Every shard key: the ASCII digits and letters, and `_`.
const SHARD_KEYS: &str = "0123456789abcdefghijklmnopqrstuvwxyz_";

/// Splits the sorted terms into shards by first character, every key in
/// `SHARD_KEYS` order, empty ones too: search.js then knows the file names
/// before it has read any file, and loads a query's shards while it
/// loads `search-index` (one wait instead of two). Ids go by their own
/// first character: a query matches them as typed.
fn shards<'i>(
    terms: Vec<String>,
    postings: Vec<String>,
    ids: impl Iterator<Item = &'i String>,
) -> Vec<(char, Shard)> {
    let mut out: Vec<(char, Shard)> = SHARD_KEYS.chars().map(|k| (k, Shard::default())).collect();
    let at = |word: &str| {
        let key = shard_key(word);
        SHARD_KEYS.find(key).unwrap_or(SHARD_KEYS.len() - 1)
    };
    for (t, p) in terms.into_iter().zip(postings) {
        let shard = &mut out[at(&t)].1;
        shard.terms.push(t);
        shard.postings.push(p);
    }
    for (n, id) in ids.enumerate() {
        out[at(&id.to_lowercase())].1.ids.push((n, id.clone()));
    }
    out
}

/// Every searchable page, in register order, then plans and reviews: the
/// docs table written as its runs of pages are indexed, the rest
/// returned with the count of files written.
fn index<'a>(
    site: &RenderContext<'a>,
    out: &Out,
    memo: &std::sync::Mutex<SearchMemo>,
) -> Result<(Index<'a>, usize), RenderError> {
    let reg = site.reg;
    let texts = site.entry_text();
    let (entries, plans) = (reg.entries.len(), reg.plans.len());
    let doc = |n: usize| {
        if n < entries {
            entry_doc(site, n, &reg.entries[n], &texts[n])
        } else if n < entries + plans {
            plan_doc(&reg.plans[n - entries], &site.plan_md[n - entries])
        } else {
            let r = n - entries - plans;
            review_doc(&reg.reviews[r], &site.review_md[r])
        }
    };
    let write_docs = |start: usize, rows: Vec<DocRow>| {
        rows.par_chunks(CHUNK)
            .enumerate()
            .map(|(k, docs)| {
                let n = start / CHUNK + k;
                write_data(out, &format!("search/d-{n}"), &Docs { docs })
            })
            .try_reduce(|| 0, |a, b| Ok(a + b))
    };
    let count = entries + plans + reg.reviews.len();
    // Taken while the index is made: should it fail, the next render
    // takes every page's terms.
    let earlier = std::mem::take(&mut *lock(memo));
    let (terms, postings, written, made) = term_index(count, doc, write_docs, &earlier)?;
    *lock(memo) = made;
    let shards = shards(terms, postings, reg.entries.iter().map(|e| &e.id));
    let core = Core {
        version: 3,
        site: &reg.site.title,
        count,
        chunk: CHUNK,
        shards: shards.iter().map(|(k, _)| k.to_string()).collect(),
    };
    Ok((Index { core, shards }, written))
}

/// The register page's data: each entry's columns and its
/// `[id, title, url, description]` (the description cut as a search
/// result's snippet is), as JSON. Each row is made as it is serialised:
/// the rows of every entry at once were about 55 MB of the 50,000-entry
/// build's peak, their JSON is half of that (issue 27).
fn register_rows(site: &RenderContext) -> serde_json::Result<Vec<u8>> {
    let (owners, owner_at) = row_owners(site);
    let n = site.reg.entries.len();
    let rows = Each(|| (0..n).map(|i| row_data(site, i, &owner_at)));
    let docs = Each(|| {
        site.reg
            .entries
            .iter()
            .zip(site.entry_text())
            .map(|(e, md)| {
                (
                    e.id.clone(),
                    e.title.clone(),
                    urls::entry_url(&e.id),
                    entry_snippet(md),
                )
            })
    });
    serde_json::to_vec(&Rows { owners, rows, docs })
}

/// A writer that replaces some bytes with escapes on the way through; the
/// two uses below differ only in their bytes.
struct Escaping<W: Write> {
    inner: W,
    escape: Escape,
}

/// Which bytes an [`Escaping`] writer escapes, and how.
#[derive(Clone, Copy)]
enum Escape {
    /// `<`, `>` and `&` as `\u003c`… ([`json_safe`]).
    Json,
    /// `\` and `'` as `\\` and `\'` ([`script_safe`]).
    Script,
}

impl Escape {
    /// Where the first byte to escape is: `memchr` looks at many bytes at
    /// once (a call for each byte was a tenth of the search index's time).
    fn find(self, buf: &[u8]) -> Option<usize> {
        match self {
            Escape::Json => memchr::memchr3(b'<', b'>', b'&', buf),
            Escape::Script => memchr::memchr2(b'\\', b'\'', buf),
        }
    }

    /// What `b`, a byte [`Escape::find`] found, is written as.
    fn of(self, b: u8) -> &'static [u8] {
        match b {
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            b'&' => b"\\u0026",
            b'\\' => b"\\\\",
            _ => b"\\'",
        }
    }
}

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = self.escape.find(rest) {
            self.inner.write_all(&rest[..i])?;
            self.inner.write_all(self.escape.of(rest[i]))?;
            rest = &rest[i + 1..];
        }
        self.inner.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// JSON with `<`, `>` and `&` written as `\u003c`… (in JSON they only occur
/// inside strings): no file the index is written to can close a script
/// element or read as markup, whatever an author wrote, even served with
/// the wrong type.
fn json_safe<W: Write>(inner: W) -> Escaping<W> {
    Escaping {
        inner,
        escape: Escape::Json,
    }
}

/// Writes JSON as the body of a single-quoted JavaScript string: `\` and
/// `'` escaped (behind [`json_safe`], so `<` arrives as `\\u003c`). The
/// script hands the string to `JSON.parse`, which Chromium reads about
/// three times faster than the same data as an object literal (1.1 s →
/// 0.4 s at 10,000 entries on a busy 2-core machine).
fn script_safe<W: Write>(inner: W) -> Escaping<W> {
    Escaping {
        inner,
        escape: Escape::Script,
    }
}

fn write_json(value: &impl Serialize, w: impl Write) -> std::io::Result<()> {
    // serde_json writes many small pieces: buffer them before the escaping
    // and the (dynamic) file writer see them.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, json_safe(w));
    serde_json::to_writer(&mut buffered, value)?;
    buffered.flush()
}

/// The global the `.js` files add their data to, by name.
const GLOBAL: &str = "ISMS_DATA";

/// Writes `value` twice: as `<name>.json`, which pages served over http(s)
/// `fetch()` (the same-origin policy keeps other sites from reading it),
/// and as `<name>.js`, for pages opened from `file://`, where a script is
/// the only way in. The script hands its data over only when the page
/// including it is itself a `file://` page: another web site that includes
/// it (`<script src=…>`) gets nothing, even from a server that sends no
/// `Cross-Origin-Resource-Policy`.
pub(crate) fn write_data(
    out: &Out,
    name: &str,
    value: &(impl Serialize + Sync),
) -> Result<usize, RenderError> {
    write_both(out, name, |w| write_json(value, w))
}

/// [`write_data`] of JSON already serialised.
fn write_json_bytes(out: &Out, name: &str, json: &[u8]) -> Result<usize, RenderError> {
    write_both(out, name, |w| {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, json_safe(w));
        buffered.write_all(json)?;
        buffered.flush()
    })
}

/// Writes `<name>.json` and `<name>.js` (see [`write_data`]), the JSON
/// from `json`, which writes it to the writer it is given.
fn write_both<F>(out: &Out, name: &str, json: F) -> Result<usize, RenderError>
where
    F: Fn(&mut dyn Write) -> std::io::Result<()> + Sync,
{
    let (a, b) = rayon::join(
        || out.write_with(&format!("{name}.json"), |w| json(w)),
        || {
            out.write_with(&format!("{name}.js"), |w| {
                write!(
                    w,
                    "if (location.protocol === \"file:\") (window.{GLOBAL} = window.{GLOBAL} || {{}})[\"{name}\"] = JSON.parse('"
                )?;
                json(&mut script_safe(&mut *w))?;
                w.write_all(b"');\n")
            })
        },
    );
    a?;
    b?;
    Ok(2)
}

/// Writes the search index (`search-index`, its term shards `search/t-*`
/// and its docs table `search/d-*`), each as `.json` and `.js`, streaming
/// each; returns the count of files.
/// `memo` holds the terms of an earlier render's pages ([`SearchMemo`]),
/// and this one's after.
pub fn write_index(
    site: &RenderContext,
    out: &Out,
    memo: &std::sync::Mutex<SearchMemo>,
) -> Result<usize, RenderError> {
    let (Index { core, shards }, docs) = index(site, out, memo)?;
    type Job<'j> = Box<dyn Fn() -> Result<usize, RenderError> + Sync + Send + 'j>;
    let mut jobs: Vec<Job> = vec![Box::new(|| write_data(out, "search-index", &core))];
    for (key, shard) in &shards {
        jobs.push(Box::new(move || {
            write_data(out, &format!("search/t-{key}"), shard)
        }));
    }
    let written = jobs
        .par_iter()
        .map(|job| job())
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok(written + docs)
}

/// `search-index` and its parts. A live preview serves the pages without
/// it and writes it next, with the exports: the header search reads it
/// only when a reader types, and it was the slowest part of a save
/// (about 64 of the 143 ms at 1,000 entries).
pub struct SearchIndex;

impl crate::output::Output for SearchIndex {
    fn parallel_inside(&self) -> bool {
        true
    }
    fn name(&self) -> &'static str {
        "search index"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        write_index(i.context, out, i.search)
    }
}

/// `register-rows`, the register page's table: a preview writes it with
/// the pages, so the register shows a saved change at once.
pub struct RegisterRows;

impl crate::output::Output for RegisterRows {
    fn name(&self) -> &'static str {
        "register rows"
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        let json =
            register_rows(i.context).map_err(|e| RenderError(format!("register-rows: {e}")))?;
        write_json_bytes(out, "register-rows", &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, text: &str) -> Doc {
        Doc {
            id: String::new(),
            title: title.into(),
            url: String::new(),
            meta: String::new(),
            keys: String::new(),
            body: Body::Text(text.into()),
            snippet: String::new(),
        }
    }

    fn terms(d: &Doc) -> Vec<String> {
        terms_of(d).iter().map(|(t, _)| t.to_string()).collect()
    }

    /// The escaping writers give, for any bytes written in any pieces,
    /// what escaping byte by byte gives.
    #[test]
    fn escaping_writers_escape_every_byte_they_should_and_no_other() {
        let one = |b: u8, script: bool| -> Vec<u8> {
            match (script, b) {
                (false, b'<') => b"\\u003c".to_vec(),
                (false, b'>') => b"\\u003e".to_vec(),
                (false, b'&') => b"\\u0026".to_vec(),
                (true, b'\\') => b"\\\\".to_vec(),
                (true, b'\'') => b"\\'".to_vec(),
                _ => vec![b],
            }
        };
        let mut rng = crate::model::rng::XorShift::new(0x00E5_CA9E);
        for round in 0..2_000 {
            let len = rng.below(64);
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(3) {
                    0 => b"<>&\\'"[rng.below(5)],
                    _ => rng.below(256) as u8,
                })
                .collect();
            let script = round % 2 == 1;
            let want: Vec<u8> = bytes.iter().flat_map(|&b| one(b, script)).collect();
            let mut got = Vec::new();
            {
                let mut w = match script {
                    true => script_safe(&mut got),
                    false => json_safe(&mut got),
                };
                let cut = rng.below(len + 1);
                w.write_all(&bytes[..cut]).unwrap();
                w.write_all(&bytes[cut..]).unwrap();
            }
            assert_eq!(got, want, "{bytes:?}");
        }
    }

    /// A page whose body's terms were taken already ([`EntryText`]).
    fn doc_with_terms(title: &str, keys: &str, texts: &[&str]) -> Doc {
        let mut d = doc(title, "");
        d.keys = keys.into();
        d.body = Body::Terms(
            EntryText::new(None, None, texts.iter().copied())
                .terms()
                .into(),
        );
        d
    }

    /// Issue 27: an entry's body is held as its search terms, and the
    /// index takes the same terms, with the same ranks, from them as from
    /// the whole text (accents, compounds, CJK pairs, punctuation, a final
    /// sigma, repeated words, words of the title and keys).
    #[test]
    fn an_entry_text_s_terms_give_the_terms_of_its_whole_text() {
        let notes = [
            "Backup restore: see A.5.15 and CI-017, end-to-end. Backup again!",
            "Überfällig — ΟΔΟΣ Straße (https://intranet.example/x?y=1) 情報セキュリティ",
            "backup BACKUP ci-017 “quoted” 'single' a.b.c",
        ];
        let whole = doc("Backup title", &notes.join(" "));
        let kept = doc_with_terms("Backup title", "", &notes);
        assert_eq!(terms_of(&whole), terms_of(&kept));
    }

    /// The same for random titles, keys and texts of letters, accents,
    /// CJK, punctuation and spaces: the terms taken with an entry's
    /// Markdown are those the whole text gives (fails when the kept terms
    /// miss compounds or CJK pairs, or outrank the title, seen).
    #[test]
    fn kept_terms_give_the_terms_of_the_text_for_any_text() {
        let alphabet: Vec<char> = "abAB é\u{301}ßΣς.-_:/ 情報セキュ\tx1·".chars().collect();
        let mut rng = crate::model::rng::XorShift::new(0x51ED_2701);
        for _ in 0..5_000 {
            let title = rng.text(&alphabet, 6);
            let keys = rng.text(&alphabet, 6);
            let texts: Vec<String> = (0..rng.below(4)).map(|_| rng.text(&alphabet, 16)).collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let mut whole = doc(&title, &texts.join(" "));
            whole.keys = keys.clone();
            let kept = doc_with_terms(&title, &keys, &texts);
            assert_eq!(
                terms_of(&whole),
                terms_of(&kept),
                "{title:?} {keys:?} {texts:?}"
            );
        }
    }

    /// The index of `docs` (terms, postings, docs table) and the memo it
    /// makes, over `earlier`.
    fn indexed(
        docs: &[Doc],
        earlier: &SearchMemo,
    ) -> (Vec<String>, Vec<String>, Vec<DocRow>, SearchMemo) {
        let copy = |d: &Doc| Doc {
            id: d.id.clone(),
            title: d.title.clone(),
            url: d.url.clone(),
            meta: d.meta.clone(),
            keys: d.keys.clone(),
            body: match &d.body {
                Body::Text(t) => Body::Text(t.clone()),
                Body::Terms(t) => Body::Terms(t.clone()),
            },
            snippet: d.snippet.clone(),
        };
        let mut rows = Vec::new();
        let emit = |_: usize, mut run: Vec<DocRow>| {
            rows.append(&mut run);
            Ok(0)
        };
        let (terms, postings, _, memo) =
            term_index(docs.len(), |n| copy(&docs[n]), emit, earlier).unwrap();
        (terms, postings, rows, memo)
    }

    /// Issue 27: the index made over the memo of an earlier render (pages
    /// changed, added, removed, moved, across several runs of pages) is
    /// the index made from nothing, generation after generation, and so
    /// is the memo's own round trip through its file's bytes (fails when
    /// a kept page's terms are added under its old numbers, seen).
    #[test]
    fn an_index_made_over_an_earlier_memo_is_the_index_made_from_nothing() {
        let alphabet: Vec<char> = "abcdé ß情報 x1-".chars().collect();
        let mut rng = crate::model::rng::XorShift::new(0x5EA2_C4E5);
        let page = |rng: &mut crate::model::rng::XorShift| {
            let title = rng.text(&alphabet, 8);
            let keys = rng.text(&alphabet, 5);
            let text = rng.text(&alphabet, 30);
            match rng.below(2) {
                0 => {
                    let mut d = doc(&title, &text);
                    d.keys = keys;
                    d
                }
                _ => doc_with_terms(&title, &keys, &[&text]),
            }
        };
        let mut docs: Vec<Doc> = (0..1_300).map(|_| page(&mut rng)).collect();
        let mut memo = SearchMemo::default();
        for generation in 0..6 {
            let (terms, postings, rows, made) = indexed(&docs, &memo);
            let (cold_terms, cold_postings, cold_rows, _) = indexed(&docs, &SearchMemo::default());
            assert!(
                terms == cold_terms,
                "terms differ in generation {generation}"
            );
            assert!(
                postings == cold_postings,
                "postings differ in generation {generation}"
            );
            assert!(rows == cold_rows, "docs differ in generation {generation}");
            if generation > 0 {
                assert!(made.len() > docs.len() / 2, "pages kept: {}", made.len());
            }
            let head = b"# test\n";
            let bytes = made.encode(head, "me").unwrap();
            memo = SearchMemo::decode(&bytes, head, "me").unwrap();
            for _ in 0..1 + rng.below(40) {
                let at = rng.below(docs.len());
                match rng.below(4) {
                    0 => docs[at] = page(&mut rng),
                    1 => docs.insert(at, page(&mut rng)),
                    2 => {
                        docs.remove(at);
                    }
                    _ => docs[at].title.push_str(" zz"),
                }
            }
        }
    }

    /// [`EntryText`] holds the words of every text an entry's page renders
    /// for the index: each must be one the search indexes.
    #[test]
    fn every_text_an_entry_page_renders_is_searched() {
        for spec in schema::ENTRY {
            let rendered = matches!(spec.kind, schema::Kind::Markdown)
                || matches!(
                    spec.field,
                    Field::Nonconformity | Field::Effectiveness | Field::History
                );
            if rendered {
                assert!(spec.search.text.is_some(), "{}", spec.key);
            }
        }
    }

    /// Issue 29: `Uberfallig` finds `Überfällig` (search.js folds the
    /// query the same way), in either Unicode form; `ß` is `ss`.
    /// The folding of every text as it was before text needing no
    /// normalisation was let through: the same for any text.
    #[test]
    fn folding_gives_what_normalising_every_text_gave() {
        use unicode_normalization::UnicodeNormalization;
        let slow = |text: &str| -> String {
            text.to_lowercase()
                .nfd()
                .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
                .nfc()
                .collect::<String>()
                .replace('ß', "ss")
        };
        // Accented letters in both forms, marks alone, ß, letters that
        // compose with a following letter (Hangul jamo, Kannada), ones with
        // a one-character decomposition (U+0387, U+2000, U+212B), and
        // punctuation that needs nothing.
        let alphabet: Vec<char> = "aeßüÜe\u{301}\u{305}\u{308}\u{327}\u{1100}\u{1161}\u{11a8}\u{ac00}\u{0cc6}\u{0cc2}\u{0387}\u{2000}\u{212b}·—’ é.Σς"
            .chars()
            .collect();
        let mut rng = crate::model::rng::XorShift::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let text = rng.text(&alphabet, 12);
            assert_eq!(fold(&text), slow(&text), "{text:?}");
        }
    }

    #[test]
    fn words_are_indexed_without_their_accents() {
        let t = terms(&doc("Überfällige Maßnahmen", "Re\u{301}sumé"));
        assert!(t.contains(&"uberfallige".to_string()), "{t:?}");
        assert!(t.contains(&"massnahmen".to_string()), "{t:?}");
        assert!(t.contains(&"resume".to_string()), "{t:?}");
        assert_eq!(shard_key("uberfallige"), 'u');
        // English text is indexed as it was.
        assert_eq!(terms(&doc("Backup restore", "")), ["backup", "restore"]);
    }

    /// Issue 29: Japanese has no spaces between words: its text is
    /// indexed as character pairs, so a two-character word of a title
    /// finds it.
    #[test]
    fn cjk_text_is_indexed_as_character_pairs() {
        let t = terms(&doc("パスワード管理の改善", "ISMS監査"));
        for pair in ["パス", "管理", "の改", "改善", "監査"] {
            assert!(t.contains(&pair.to_string()), "{pair} in {t:?}");
        }
        assert!(
            t.contains(&"isms監査".to_string()),
            "the word as a whole too"
        );
        assert_eq!(cjk_bigrams("漢"), ["漢"]);
        // Kana with a sound mark stay one character (NFC after folding).
        assert!(terms(&doc("ドア", "")).contains(&"ドア".to_string()));
    }
}
