//! The pages' dependency map: what each page that is rendered once per
//! register entry or plan, and each page of the register list, reads,
//! as a digest ([`PageKeys`]). A rebuild
//! keeps the previous site's page of every entry and plan whose key is
//! unchanged and renders only the others; every other page (dashboard,
//! lists, taxonomies, reviews, which show the register as it stood on
//! their date…) is rendered every time, being cheap or reading the whole
//! register.
//!
//! An entry's page reads, and its key is made of:
//! - the site-wide inputs ([`PageKeys::global`]): the theme, `site.yaml`
//!   (language and its strings included), the control and risk
//!   catalogues, the values every template sees (as-of date, audience,
//!   content commit, which sections exist), the binary's version, and
//!   what the caller adds (`build`: the binary's identity and options);
//! - the entry itself (every field, its revisions and positions: the
//!   digest of its `Debug` text, made once for its Markdown), its
//!   computed facts and its register row (which carries the slugs of its
//!   owner, controls, tags and risks);
//! - its [`Neighbours`](super::entry::Neighbours): the plans and reviews
//!   naming it, the entries it follows up or that follow it up, its
//!   related entries both ways, its controls and risks with their
//!   catalogue text, the findings whose chain it is in (with the state of
//!   the whole chain) and its effectiveness review due: each as the page
//!   shows it.
//!
//! A plan's page reads the site-wide inputs, the plan itself and the
//! register rows of the entries it names; a page of the register list,
//! the site-wide inputs, the list's filters and length, and its rows.
//!
//! A dependency left out of a key would keep a stale page: the randomized
//! tests in `tests/suite/serve.rs` and `tests/suite/publishing.rs` compare
//! rebuilds after random edits with builds from nothing.

use super::entry::neighbours;
use super::*;
use sha2::{Digest, Sha256};

/// What each entry's page was rendered from, by entry id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageKeys {
    /// Everything site-wide an entry's page reads.
    pub global: [u8; 32],
    /// Each entry's key (the global one included).
    pub entries: HashMap<String, [u8; 32]>,
    /// Each plan's key, by slug (the global one included).
    pub plans: HashMap<String, [u8; 32]>,
    /// Each page of the register list's key, first page first (the
    /// global one included).
    pub register: Vec<[u8; 32]>,
}

/// Which pages may be taken from the previous site: one flag per entry,
/// per plan and per page of the register list, in order.
#[derive(Default)]
pub struct Keep {
    pub entries: Vec<bool>,
    pub plans: Vec<bool>,
    pub register: Vec<bool>,
}

impl PageKeys {
    /// The keys of the pages `site` renders with `theme` and `globals`;
    /// `salt` is what else the caller wants the pages keyed on.
    pub fn of(site: &RenderContext, theme: &Theme, globals: &Globals, salt: &[u8]) -> PageKeys {
        let global = global_key(site.reg, theme, globals, salt);
        // Each row's digest, made once: entry, plan and register pages
        // all show rows.
        let rows: Vec<[u8; 32]> = site
            .reg
            .entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| {
                // The row as built, not its template value: that is a hash map.
                let mut h = Hasher::new(&[]);
                h.compact(&site.row(e, &site.facts[i], &site.entry_text[i]));
                h.done()
            })
            .collect();
        let entries = site
            .reg
            .entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), entry_key(site, &global, i, e, &rows[i])))
            .collect();
        let plans = site
            .reg
            .plans
            .par_iter()
            .map(|p| (p.slug.clone(), plan_key(site, &global, p, &rows)))
            .collect();
        PageKeys {
            global,
            entries,
            plans,
            register: register_keys(site, &global, &rows),
        }
    }

    /// Which pages of `reg` may be taken from the site `previous`
    /// describes: those whose key is the same.
    pub fn unchanged_since(&self, previous: &PageKeys, reg: &Register) -> Keep {
        let same =
            |now: &HashMap<String, [u8; 32]>, was: &HashMap<String, [u8; 32]>, k: &String| {
                self.global == previous.global && now.get(k).is_some_and(|n| was.get(k) == Some(n))
            };
        let register = self
            .register
            .iter()
            .enumerate()
            .map(|(n, k)| self.global == previous.global && previous.register.get(n) == Some(k))
            .collect();
        Keep {
            register,
            entries: reg
                .entries
                .iter()
                .map(|e| same(&self.entries, &previous.entries, &e.id))
                .collect(),
            plans: reg
                .plans
                .iter()
                .map(|p| same(&self.plans, &previous.plans, &p.slug))
                .collect(),
        }
    }
}

/// Feeds a value's `Debug` text or JSON into a hash. The bytes need only
/// be the same for the same value within one binary (the build cache is
/// keyed on the binary).
struct Hasher(Sha256);

impl Hasher {
    fn new(global: &[u8]) -> Hasher {
        let mut h = Sha256::new();
        h.update(global);
        Hasher(h)
    }

    fn debug(&mut self, v: &impl std::fmt::Debug) {
        feed_debug(&mut self.0, v);
        self.0.update([0]);
    }

    fn encoded(&mut self, v: &(impl Serialize + std::fmt::Debug)) {
        feed_encoded(&mut self.0, v);
        self.0.update([0]);
    }

    fn json(&mut self, v: &impl Serialize) {
        // In one piece, as `feed_debug`; the views serialize without fail.
        let text = serde_json::to_vec(v).unwrap_or_default();
        self.0.update(&text);
        self.0.update([0]);
    }

    /// Feeds `v`'s postcard encoding, or its JSON where postcard cannot
    /// encode it ([`feed_encoded_or`]). For values made afresh for every
    /// entry (its row, its neighbours): their JSON, every field named and
    /// every string escaped, was a third of the page keys' time (issue 27).
    fn compact(&mut self, v: &impl Serialize) {
        feed_encoded_or(&mut self.0, v, |h| {
            h.update(serde_json::to_vec(v).unwrap_or_default())
        });
        self.0.update([0]);
    }

    fn done(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

/// Feeds `v`, every field of it, into `h`: its postcard encoding (what
/// the kept parses are made of, `site::parsed`). Its `Debug` text escaped
/// every character of every entry: with the encoding a one-change build's
/// "entry markdown" went 110 → 57 ms at 10,000 entries (issue 27).
/// A value postcard cannot encode gives its `Debug` text, behind another
/// tag byte, so the two never meet.
pub(crate) fn feed_encoded(h: &mut Sha256, v: &(impl Serialize + std::fmt::Debug)) {
    feed_encoded_or(h, v, |h| feed_debug(h, v));
}

/// Feeds `v`'s postcard encoding into `h`, or, where postcard cannot
/// encode it, what `otherwise` feeds, behind another tag byte so the two
/// never meet.
fn feed_encoded_or(h: &mut Sha256, v: &impl Serialize, otherwise: impl FnOnce(&mut Sha256)) {
    match postcard::to_stdvec(v) {
        Ok(bytes) => {
            h.update([0]);
            h.update(&bytes);
        }
        Err(_) => {
            h.update([1]);
            otherwise(h);
        }
    }
}

/// Feeds `v`'s `Debug` text into `h` in one piece: formatting straight
/// into the hash fed it a few bytes at a time, which made the keys and
/// the Markdown memo's digests cost 30 ms a save at 1,000 entries.
/// The SHA-256 of `v`'s `Debug` text.
pub(crate) fn debug_digest(v: &impl std::fmt::Debug) -> [u8; 32] {
    let mut h = Sha256::new();
    feed_debug(&mut h, v);
    h.finalize().into()
}

pub(crate) fn feed_debug(h: &mut Sha256, v: &impl std::fmt::Debug) {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(4096);
    // Writing into a String cannot fail.
    let _ = write!(text, "{v:?}");
    h.update(text.as_bytes());
}

fn global_key(reg: &Register, theme: &Theme, globals: &Globals, salt: &[u8]) -> [u8; 32] {
    let mut h = Hasher::new(env!("ISMS_SITE_VERSION").as_bytes());
    h.0.update((salt.len() as u64).to_le_bytes());
    h.0.update(salt);
    h.0.update(theme.digest);
    h.debug(&reg.site);
    h.debug(&reg.controls);
    h.debug(&reg.risks);
    h.debug(&reg.restricted_stubs);
    h.json(globals);
    h.done()
}

fn entry_key(
    site: &RenderContext,
    global: &[u8; 32],
    i: usize,
    e: &Entry,
    row: &[u8; 32],
) -> [u8; 32] {
    let mut h = Hasher::new(global);
    // The digest of the entry's `Debug` text, made once for its Markdown
    // (`MarkdownMemo`).
    h.0.update(site.md_sources[0][i]);
    h.0.update(site.facts_digest(i));
    h.0.update(row);
    h.compact(&neighbours(site, i, e));
    h.done()
}

fn plan_key(site: &RenderContext, global: &[u8; 32], p: &Plan, rows: &[[u8; 32]]) -> [u8; 32] {
    let mut h = Hasher::new(global);
    h.encoded(p);
    for i in site.named(&p.entries) {
        h.0.update(rows[i]);
    }
    h.done()
}

/// A register list page reads the site-wide inputs, the filters (which
/// owners, controls, tags… the whole register has), the entry count,
/// its number and the rows it shows.
fn register_keys(site: &RenderContext, global: &[u8; 32], rows: &[[u8; 32]]) -> Vec<[u8; 32]> {
    let mut h = Hasher::new(global);
    h.json(&register_filters(site));
    h.0.update((rows.len() as u64).to_le_bytes());
    let list = h.done();
    let pages = rows.len().div_ceil(REGISTER_PAGE_SIZE).max(1);
    (0..pages)
        .map(|n| {
            let mut h = Hasher::new(&list);
            h.0.update((n as u64).to_le_bytes());
            let shown = n * REGISTER_PAGE_SIZE..((n + 1) * REGISTER_PAGE_SIZE).min(rows.len());
            rows[shown].iter().for_each(|r| h.0.update(r));
            h.done()
        })
        .collect()
}

/// The keys of pages keyed on what their template receives: the
/// site-wide key, the template, the frame and the page's variables as
/// canonical JSON (object keys sorted). Whatever such a page shows comes
/// from those, so an equal key means equal bytes with no list of
/// dependencies to keep up to date; the price is making the variables,
/// which is most of the page's time only for pages that are cheap anyway.
/// Used by the live preview for the pages that read the whole register
/// (reviews, review input, taxonomies), which its other keys do not
/// cover. Empty (nothing kept, nothing recorded) unless made with
/// [`VarsKeys::over`].
#[derive(Default)]
pub struct VarsKeys {
    global: Option<[u8; 32]>,
    previous: HashMap<String, [u8; 32]>,
    now: std::sync::Mutex<HashMap<String, [u8; 32]>>,
}

impl VarsKeys {
    /// Keys made on `global`, taking pages whose key is in `previous`.
    pub fn over(global: [u8; 32], previous: HashMap<String, [u8; 32]>) -> VarsKeys {
        VarsKeys {
            global: Some(global),
            previous,
            now: Default::default(),
        }
    }

    /// Page `path`'s key, if keys are made.
    pub(super) fn key(
        &self,
        path: &str,
        template: &str,
        frame: &Frame,
        vars: &impl Serialize,
    ) -> Option<[u8; 32]> {
        let mut h = Hasher::new(self.global.as_ref()?);
        h.0.update(path.as_bytes());
        h.0.update([0]);
        h.0.update(template.as_bytes());
        h.0.update([0]);
        h.json(frame);
        // Through `serde_json::Value`, whose objects are sorted maps: the
        // template values inside are hash maps, which serialize in any order.
        h.json(&serde_json::to_value(vars).ok()?);
        Some(h.done())
    }

    /// Whether page `path` had `key` in the site rendered over.
    pub(super) fn unchanged(&self, path: &str, key: &[u8; 32]) -> bool {
        self.previous.get(path) == Some(key)
    }

    /// Notes page `path`'s key, for the next rebuild.
    pub(super) fn record(&self, path: &str, key: [u8; 32]) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        now.insert(path.to_string(), key);
    }

    /// This render's keys; `None` when none were made.
    pub fn into_recorded(self) -> Option<HashMap<String, [u8; 32]>> {
        self.global?;
        Some(self.now.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}
