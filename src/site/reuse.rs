//! What lets a build over its own previous output do less: the build cache,
//! one file `.NAME.isms-cache` beside the output folder (like the lock
//! file), written after each successful publish and removed just before
//! each swap.
//!
//! It holds a key of everything a build reads (the content and theme
//! folders byte for byte, the options, the content's git HEAD, and the
//! binary's identity) and, for every published file, its SHA-256 and the
//! file's stamp (device, inode, size, modification time) as published.
//!
//! - Same key and every published file still has its stamp: the output is
//!   exactly what this build would write, so nothing is written at all.
//! - Otherwise the site is rendered again into a staging folder as always,
//!   but a file whose new bytes have the SHA-256 the cache records for the
//!   same path is hard-linked from the published site instead of written,
//!   when that file still has its recorded stamp (checked again on the link
//!   itself, so a file replaced meanwhile, or a link planted in its place,
//!   is written afresh). The swap is the same atomic swap; the bytes are
//!   the same as a cold build's, always.
//!
//! The cache is only a hint: a missing, damaged or foreign cache file means
//! a cold build, never an error.
//!
//! At the swap the cache becomes the record of the spare, the site that
//! just left the output and is kept beside it (`publish::Staging::over_spare`):
//! the next build renders into that spare when every file it holds still
//! has its recorded stamp, leaving alone each file whose bytes are already
//! there.

use crate::model::diag::{Diagnostic, Diagnostics, Pos, ProblemKind};
use crate::model::{Enumerated, Visibility};
use crate::output::integrity::unhex;
use crate::output::pages::deps::PageKeys;
use crate::output::pages::{MarkdownMemo, RenderContext};
use crate::output::search_memo::SearchMemo;
use crate::output::sink::{Done, Record, Stamp};
use crate::site::{publish, sums};
use chrono::NaiveDate;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use publish::{CACHE_HEADER as HEADER, is_our_cache as is_ours};

/// Larger cache files are not read (a 50,000-entry site's is about 10 MB).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// The cache of the last successful build into an output folder.
pub struct Cache {
    pub key: [u8; 32],
    /// Entries the build published, and the warnings it gave: a build
    /// that writes nothing says them again without loading anything.
    pub entries: usize,
    pub warnings: Vec<Diagnostic>,
    pub files: HashMap<String, Record>,
    /// What the published entry pages were rendered from (`g` and `p`
    /// lines): a build whose key differs renders only the pages whose
    /// inputs changed (`pages::deps`). `None` from a cache without them.
    pub pages: Option<PageKeys>,
    /// Where each entry's piece lies in the published exports
    /// (`output::pieces`), as `x` lines hold it: by file, not decoded.
    pub pieces: BTreeMap<String, String>,
}

/// What a build's output depends on besides the content and theme folders.
pub struct Options<'a> {
    pub as_of: NaiveDate,
    pub audience: Visibility,
    pub git: bool,
    pub content_commit: Option<&'a str>,
}

/// The key of a cache that only records the files (the live preview
/// publishes without reading the inputs itself): no build's key.
pub const NO_KEY: [u8; 32] = [0; 32];

pub use publish::cache_path as path;

/// The key of a build: the trees' digests ([`tree`]), the options, and the
/// binary (its version and file identity: a rebuilt binary has another).
pub fn key(content: &[u8; 32], theme: Option<&[u8; 32]>, opts: &Options) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(HEADER.as_bytes());
    h.update(env!("ISMS_SITE_VERSION").as_bytes());
    h.update(binary_identity().as_bytes());
    h.update(content);
    match theme {
        Some(t) => {
            h.update([1]);
            h.update(t);
        }
        None => h.update([0]),
    }
    h.update(
        format!(
            "\n{} {} {} {}\n",
            opts.as_of,
            opts.audience.slug(),
            opts.git,
            opts.content_commit.unwrap_or("-")
        )
        .as_bytes(),
    );
    h.finalize().into()
}

/// The running binary's path and stamp: a new build of isms-site is
/// another file (or the same file written again), so it never reuses an
/// older one's output unchecked.
pub(crate) fn binary_identity() -> String {
    let exe = std::env::current_exe().ok();
    let stamp = exe
        .as_deref()
        .and_then(|p| fs::metadata(p).ok())
        .map(|m| Stamp::of(&m));
    format!("{exe:?} {stamp:?}")
}

/// A digest of everything below `dir`: every name, its kind, and a file's
/// bytes or a link's target (links are never followed, as the loader
/// never follows them). `None` when anything could not be read: then no
/// cache is used.
pub fn tree(dir: &Path) -> Option<[u8; 32]> {
    tree_with_sums(dir, &sums::Known::default()).map(|(digest, _)| digest)
}

/// Files' SHA-256 (and length) by their `/`-separated paths below a folder.
pub type FileSums = Vec<(String, crate::content::Digested)>;

/// [`tree`], and each file as it was taken (`site::sums`), by its
/// `/`-separated path below `dir`: its SHA-256 is what a build checks its
/// kept parses against (`site::parsed`), without reading the files again.
/// A file whose stamp `known` records with its SHA-256 is not read.
pub fn tree_with_sums(dir: &Path, known: &sums::Known) -> Option<([u8; 32], Vec<sums::Taken>)> {
    let mut items = Vec::new();
    walk(dir, String::new(), &mut items).ok()?;
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let stamps = Stamps::of(dir);
    let sums: Vec<Option<Took>> = items
        .par_iter()
        .map(|(rel, kind)| match kind {
            Kind::File => file_sum(&dir.join(rel), rel, known, &stamps).ok(),
            Kind::Link(target) => Some((None, Sha256::digest(target.as_bytes()).into(), true)),
            Kind::Folder => Some((None, [0; 32], true)),
        })
        .collect();
    let mut h = Sha256::new();
    let mut files = Vec::with_capacity(items.len());
    for ((rel, kind), taken) in items.into_iter().zip(sums) {
        let (stamp, sum, fresh) = taken?;
        let tag = match kind {
            Kind::File => b'f',
            Kind::Link(_) => b'l',
            Kind::Folder => b'd',
        };
        h.update([tag]);
        h.update((rel.len() as u64).to_le_bytes());
        h.update(rel.as_bytes());
        h.update(sum);
        if matches!(kind, Kind::File) {
            files.push(sums::Taken {
                rel,
                stamp,
                sum,
                fresh,
            });
        }
    }
    Some((h.finalize().into(), files))
}

/// A file's stamp (none for what is not a file), its SHA-256, and
/// whether it was read rather than taken from the last build's record.
type Took = (Option<sums::FileStamp>, [u8; 32], bool);

enum Kind {
    File,
    Folder,
    Link(String),
}

fn walk(dir: &Path, prefix: String, items: &mut Vec<(String, Kind)>) -> std::io::Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let ty = e.file_type()?;
        if ty.is_dir() {
            walk(&e.path(), format!("{rel}/"), items)?;
            items.push((rel, Kind::Folder));
        } else if ty.is_symlink() {
            let target = fs::read_link(e.path())?;
            items.push((rel, Kind::Link(target.to_string_lossy().into_owned())));
        } else {
            items.push((rel, Kind::File));
        }
    }
    Ok(())
}

/// The SHA-256 of a file, read in pieces (evidence files may be large)
/// into one buffer per thread: a zeroed buffer per file was 0.8 GB of
/// `memset` for the 12,000 files of a 10,000-entry register.
///
/// A file that still has the stamp `known` records for `rel` is not read:
/// its recorded SHA-256 is taken (the last value: whether it was read).
/// The stamp of a file read is taken from the open file before reading
/// it: a change while it is read gives the next build another stamp.
fn file_sum(path: &Path, rel: &str, known: &sums::Known, stamps: &Stamps) -> std::io::Result<Took> {
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 64 * 1024]);
    }
    if !known.is_empty() {
        let stamp = stamps.of_file(path, rel);
        if let Some(sum) = known.sum(rel, stamp.as_ref()) {
            return Ok((stamp, sum, false));
        }
    }
    // Without blocking and only a regular file: a named pipe in the
    // content folder would wait for a writer forever (the loader then
    // reports it as a file that does not belong there).
    let mut file = publish::open_no_link(path)?;
    let stamp = sums::FileStamp::of(&file.metadata()?);
    let mut h = Sha256::new();
    BUF.with_borrow_mut(|buf| {
        loop {
            let n = file.read(buf)?;
            if n == 0 {
                return Ok((stamp, h.finalize().into(), true));
            }
            h.update(&buf[..n]);
        }
    })
}

/// The stamps of the files below a folder, each asked by its path from
/// the folder, opened once ([`survey::Below`]), where the system allows.
struct Stamps {
    #[cfg(target_os = "linux")]
    below: Option<crate::site::survey::Below>,
}

impl Stamps {
    fn of(dir: &Path) -> Stamps {
        #[cfg(not(target_os = "linux"))]
        let _ = dir;
        Stamps {
            #[cfg(target_os = "linux")]
            below: crate::site::survey::Below::open(dir).ok(),
        }
    }

    /// The stamp of the file at `path`, which is `rel` below the folder.
    fn of_file(&self, path: &Path, rel: &str) -> Option<sums::FileStamp> {
        #[cfg(target_os = "linux")]
        if let Some(below) = &self.below {
            return below
                .lstat(rel)
                .ok()
                .map(|st| sums::FileStamp::of_stat(&st));
        }
        #[cfg(not(target_os = "linux"))]
        let _ = rel;
        fs::symlink_metadata(path)
            .ok()
            .and_then(|m| sums::FileStamp::of(&m))
    }
}

/// Reads the cache beside `output`; `None` when there is none, or it is
/// damaged, too large, or not ours.
pub fn read(output: &Path) -> Option<Cache> {
    read_at(&path(output))
}

/// The record of the spare beside `output` (`publish::over_spare`): the
/// files of the cache of the site it held when it left the output, which
/// was renamed there at the swap. `None` when there is none or it is
/// damaged.
pub fn read_spare(output: &Path) -> Option<HashMap<String, Record>> {
    read_at(&publish::spare_record_path(output)).map(|c| c.files)
}

fn read_at(path: &Path) -> Option<Cache> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    parse(&text)
}

/// One line of the cache after the key and the count.
enum Line {
    Warning(Diagnostic),
    Global([u8; 32]),
    Register([u8; 32]),
    Entry(String, [u8; 32]),
    Plan(String, [u8; 32]),
    Pieces(String, String),
    File(String, Record),
}

/// The cache in `text`. Its lines are read on every core (a cache is
/// some 7 MB at 10,000 entries, read twice a build: as the cache and as
/// the spare's record), then put together in order.
fn parse(text: &str) -> Option<Cache> {
    let rest = text.strip_prefix(HEADER)?;
    let (key, rest) = rest.split_once('\n')?;
    let (entries, rest) = rest.split_once('\n').unwrap_or((rest, ""));
    let key = unhex(key.strip_prefix("key ")?)?;
    let entries = entries.strip_prefix("entries ")?.parse().ok()?;
    let lines: Vec<Line> = rest.par_lines().map(parse_line).collect::<Option<_>>()?;
    let mut cache = Cache {
        key,
        entries,
        warnings: Vec::new(),
        files: HashMap::with_capacity(lines.len()),
        pages: None,
        pieces: BTreeMap::new(),
    };
    for line in lines {
        match line {
            Line::Warning(w) => cache.warnings.push(w),
            Line::Global(global) => {
                cache.pages = Some(PageKeys {
                    global,
                    ..PageKeys::default()
                })
            }
            Line::Register(key) => cache.pages.as_mut()?.register.push(key),
            Line::Entry(name, key) => _ = cache.pages.as_mut()?.entries.insert(name, key),
            Line::Plan(name, key) => _ = cache.pages.as_mut()?.plans.insert(name, key),
            Line::Pieces(name, index) => _ = cache.pieces.insert(name, index),
            Line::File(rel, record) => _ = cache.files.insert(rel, record),
        }
    }
    Some(cache)
}

fn parse_line(line: &str) -> Option<Line> {
    let (kind, rest) = line.split_once(' ')?;
    Some(match kind {
        "w" => Line::Warning(parse_warning(rest)?),
        "g" => Line::Global(unhex(rest)?),
        "r" => Line::Register(unhex(rest)?),
        "x" => {
            let (name, index) = rest.split_once(' ')?;
            Line::Pieces(publish::unescape(name), index.to_string())
        }
        "p" | "q" => {
            let (sum, name) = rest.split_once(' ')?;
            let (name, sum) = (publish::unescape(name), unhex(sum)?);
            match kind {
                "p" => Line::Entry(name, sum),
                _ => Line::Plan(name, sum),
            }
        }
        sum => {
            let mut parts = rest.splitn(5, ' ');
            let sum = unhex(sum)?;
            let mut num = || parts.next()?.parse::<u64>().ok();
            let stamp = Stamp {
                dev: num()?,
                ino: num()?,
                size: num()?,
                mtime_ns: num()?,
            };
            let rel = publish::unescape(parts.next()?);
            Line::File(rel, Record { sum, stamp })
        }
    })
}

/// A warning line: line, column, then file, message and hint (`-` for
/// none, otherwise `+` and the hint), tab-separated and %-escaped.
/// The `g` line (the pages' global key), an `r` line per page of the
/// register list (first page first), a `p` line per entry page and a `q`
/// line per plan page.
fn page_lines(p: &PageKeys) -> String {
    use crate::output::integrity::hex;
    let mut text = format!("g {}\n", hex(&p.global));
    for key in &p.register {
        text.push_str(&format!("r {}\n", hex(key)));
    }
    for (kind, keys) in [("p", &p.entries), ("q", &p.plans)] {
        let mut names: Vec<(&String, &[u8; 32])> = keys.iter().collect();
        names.sort();
        for (name, key) in names {
            text.push_str(&format!("{kind} {} {}\n", hex(key), publish::escape(name)));
        }
    }
    text
}

fn warning_line(d: &Diagnostic) -> String {
    let hint = d
        .hint
        .as_deref()
        .map_or("-".to_string(), |h| format!("+{}", field(h)));
    format!(
        "w {} {} {}\t{}\t{hint}\n",
        d.pos.line,
        d.pos.column,
        field(&d.file.to_string_lossy()),
        field(&d.message)
    )
}

fn parse_warning(text: &str) -> Option<Diagnostic> {
    let (line, rest) = text.split_once(' ')?;
    let (column, rest) = rest.split_once(' ')?;
    let mut parts = rest.split('\t');
    let file = unfield(parts.next()?);
    let message = unfield(parts.next()?);
    let hint = match parts.next()? {
        "-" => None,
        h => Some(unfield(h.strip_prefix('+')?)),
    };
    Some(Diagnostic {
        file: PathBuf::from(file),
        pos: Pos::new(line.parse().ok()?, column.parse().ok()?),
        severity: ProblemKind::Warning,
        message,
        hint,
    })
}

/// `%`, tab and line breaks %-escaped: one field of one line.
fn field(s: &str) -> String {
    if !s.contains(['%', '\t', '\n', '\r']) {
        return s.to_string();
    }
    s.replace('%', "%25")
        .replace('\t', "%09")
        .replace('\n', "%0A")
        .replace('\r', "%0D")
}

fn unfield(s: &str) -> String {
    // Most fields have nothing escaped: one copy, not four.
    if !s.contains('%') {
        return s.to_string();
    }
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%09", "\t")
        .replace("%25", "%")
}

/// Whether the published site is still exactly what the cache describes:
/// its manifest lists exactly the cached files, and each has its stamp.
pub fn intact(output: &Path, cache: &Cache) -> bool {
    let listed = publish::read_manifest(output);
    listed.len() == cache.files.len()
        && listed.iter().all(|rel| cache.files.contains_key(rel))
        && cache
            .files
            .par_iter()
            .all(|(rel, r)| current(&output.join(rel)) == Some(r.stamp))
}

/// The stamp of the file at `path` itself (a link is no file).
pub fn current(path: &Path) -> Option<Stamp> {
    fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| Stamp::of(&m))
}

/// What a build cache records: the build's key, how many entries it
/// showed, its warnings, the files its sink wrote with their page keys
/// and the exports' pieces.
pub struct CacheOf<'a> {
    pub key: &'a [u8; 32],
    pub entries: usize,
    pub warnings: &'a Diagnostics,
    pub site: &'a crate::output::sink::Out,
    pub pages: Option<&'a PageKeys>,
    pub pieces: &'a crate::output::pieces::Index,
}

impl CacheOf<'_> {
    /// Writes the cache for the site just published into `output`: the
    /// files with their sums (as `SHA256SUMS` has them) and their stamps
    /// as the sink wrote, linked or found them (asked of the file now only
    /// where the sink has none: a memory sink's). Any failure only means
    /// no cache.
    pub fn write(&self, output: &Path) {
        let found = |rel: &str, d: &Done| d.stamp.or_else(|| current(&output.join(rel)));
        if let Some(text) = self.text(found) {
            write_text(output, &text);
        }
    }

    /// The text of the cache [`CacheOf::write`] writes, each file's
    /// stamp given by `stamp_of` (`None`: no cache). A build makes it while
    /// the site is published, with the stamps its sink has (any missing:
    /// `None`), then writes it with [`write_text`] once the site is in
    /// place: made after the publish, it was the build's last 40 ms at
    /// 10,000 entries (issue 27).
    pub fn text(&self, stamp_of: impl Fn(&str, &Done) -> Option<Stamp> + Sync) -> Option<String> {
        let CacheOf {
            key,
            entries,
            warnings,
            site,
            pages,
            pieces,
        } = *self;
        let (lines, pieces) = site.with_done(|done| {
            // Only for files this cache lists (and so stamps).
            let pieces: Vec<_> = pieces
                .iter()
                .filter(|(name, _)| done.contains_key(*name))
                .collect();
            let lines: Option<Vec<String>> = done
                .par_iter()
                .map(|(rel, d)| {
                    let stamp = stamp_of(rel, d)?;
                    Some(format!(
                        "{} {} {} {} {} {}\n",
                        crate::output::integrity::hex(&d.sum),
                        stamp.dev,
                        stamp.ino,
                        stamp.size,
                        stamp.mtime_ns,
                        publish::escape(rel)
                    ))
                })
                .collect();
            (lines, pieces)
        });
        let mut lines = lines?;
        // Its parts side by side: one after another they were the last 40 ms
        // of a one-entry rebuild at 10,000 entries, on one core (issue 27).
        let ((warned, paged), (pieced, ())) = rayon::join(
            || {
                rayon::join(
                    || {
                        warnings
                            .iter()
                            .filter(|d| d.severity == ProblemKind::Warning)
                            .map(warning_line)
                            .collect::<String>()
                    },
                    || pages.map(page_lines).unwrap_or_default(),
                )
            },
            || {
                rayon::join(
                    || {
                        pieces
                            .par_iter()
                            .map(|(name, index)| {
                                let index = crate::output::pieces::encode(index);
                                format!("x {} {index}\n", publish::escape(name))
                            })
                            .collect::<Vec<String>>()
                    },
                    || lines.par_sort_unstable(),
                )
            },
        );
        let mut text = format!(
            "{HEADER}key {}\nentries {entries}\n",
            crate::output::integrity::hex(key)
        );
        text.push_str(&warned);
        text.push_str(&paged);
        text.extend(pieced);
        text.extend(lines);
        Some(text)
    }
}

/// Writes `text` ([`CacheOf::text`]) as the cache beside `output`, unless a file
/// not ours is in the way.
pub fn write_text(output: &Path, text: &str) {
    let path = path(output);
    if fs::symlink_metadata(&path).is_ok() && !is_ours(&path) {
        return;
    }
    let tmp = publish::sibling_fixed(output, "cache-new");
    let Some(mut file) = publish::new_part(&tmp, is_ours) else {
        return;
    };
    if file.write_all(text.as_bytes()).is_err() || fs::rename(&tmp, &path).is_err() {
        let _ = fs::remove_file(&tmp);
    }
}

/// Larger Markdown memo files are not read (one is about the size of the
/// site's entry pages' Markdown: some 40 MB at 10,000 synthetic entries).
const MEMO_MAX_BYTES: u64 = 1024 * 1024 * 1024;

/// Who may read a memo: this version of this binary file ([`binary_identity`]),
/// since another may render Markdown otherwise.
fn memo_identity() -> String {
    format!("{} {}", env!("ISMS_SITE_VERSION"), binary_identity())
}

/// The Markdown memo of the last build into `output` ([`publish::memo_path`]),
/// or an empty one when there is none, or it is a link, too large,
/// damaged, or written by another binary: then every text is rendered,
/// as in a cold build.
pub fn read_memo(output: &Path) -> MarkdownMemo {
    let _t = crate::output::timing::phase("read markdown memo");
    read_memo_at(&publish::memo_path(output), MEMO_MAX_BYTES).unwrap_or_default()
}

fn read_memo_at(path: &Path, max: u64) -> Option<MarkdownMemo> {
    let file = publish::open_no_link(path).ok()?;
    let len = file.metadata().ok()?.len();
    if len > max {
        return None;
    }
    // Read in blocks by the memo's reader itself: no buffer in between.
    MarkdownMemo::read(file.take(len), len, &memo_identity())
}

/// Larger kept search terms are not read (some 5 MB at 10,000 synthetic
/// entries); read, they take at most about three times their size.
const SEARCH_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The search terms of the last build's pages ([`publish::SEARCH`]), or
/// none when there are none, or they are a link, too large, damaged, or
/// written by another binary: then every page's terms are taken again.
pub fn read_search(output: &Path) -> SearchMemo {
    let header = publish::SEARCH.header.as_bytes();
    let bytes = publish::SEARCH.read(output, SEARCH_MAX_BYTES);
    let memo = bytes.and_then(|b| SearchMemo::decode(&b, header, &memo_identity()));
    memo.unwrap_or_default()
}

/// Keeps `memo` beside `output` for the next build; call under the
/// build's lock. Any failure only means none is kept.
pub fn write_search(output: &Path, memo: &SearchMemo) {
    if let Some(bytes) = search_bytes(memo) {
        write_search_bytes(output, &bytes);
    }
}

/// The bytes [`write_search`] writes: a build makes them while the site
/// is published, and writes them once it is.
pub fn search_bytes(memo: &SearchMemo) -> Option<Vec<u8>> {
    memo.encode(publish::SEARCH.header.as_bytes(), &memo_identity())
}

/// Writes [`search_bytes`] beside `output`.
pub fn write_search_bytes(output: &Path, bytes: &[u8]) {
    publish::SEARCH.write(output, bytes);
}

/// A Markdown memo being written beside an output: over the last one in
/// place when it may be ([`MemoFile::write`]), else into
/// [`publish::memo_part_path`], renamed over [`publish::memo_path`] by
/// [`MemoFile::commit`] once the site is published; dropped before that,
/// the part is removed. `None` from [`MemoFile::start`] when a file of
/// either name is in the way that is not ours (a link, someone's file):
/// then no memo is written, and the one there is left alone.
pub struct MemoFile {
    part: PathBuf,
    path: PathBuf,
    /// The thread writing the part file.
    writer: Option<crate::output::pages::memo::MemoWriting>,
    /// Whether the last build's memo is written over in place (then there
    /// is no part file).
    in_place: bool,
}

impl MemoFile {
    /// Prepares to write the memo beside `output`; call under the build's
    /// lock.
    pub fn start(output: &Path) -> Option<MemoFile> {
        let (part, path) = (publish::memo_part_path(output), publish::memo_path(output));
        let in_way = |p: &Path| fs::symlink_metadata(p).is_ok() && !publish::is_our_memo(p);
        if in_way(&part) || in_way(&path) {
            return None;
        }
        let _ = fs::remove_file(&part);
        Some(MemoFile {
            part,
            path,
            writer: None,
            in_place: false,
        })
    }

    /// Writes `site`'s Markdown over the last build's memo, read before
    /// (ours, a regular file no other name links to: see
    /// `sink::open_own`), or else into the part file (a new file: never
    /// through a link planted since [`MemoFile::start`]). Any failure only
    /// means no memo. Removed, then renamed over, the last memo was freed
    /// in the removal at the end of the build (36 ms for 47 MB on ext4
    /// mounted with `discard` at 10,000 entries, issue 27); the memo ends
    /// in its seal, so one cut short by a killed build is refused.
    pub fn write(&mut self, site: &RenderContext) {
        let _t = crate::output::timing::phase("write markdown memo");
        let over = publish::is_our_memo(&self.path)
            .then(|| crate::output::sink::open_own(&self.path))
            .flatten();
        self.in_place = over.is_some();
        let file = over.or_else(|| {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&self.part)
                .ok()
        });
        if let Some(file) = file {
            self.writer = Some(site.write_memo_file(&memo_identity(), file));
        }
    }

    /// Whether the memo went whole to the part file, once its thread is
    /// done.
    fn finished(&mut self) -> bool {
        self.writer.take().is_some_and(|w| w.finish())
    }

    /// Puts the memo in place, replacing the last one (ours, checked
    /// again: a file put there since is left alone).
    pub fn commit(mut self) {
        let written = self.finished();
        if self.in_place {
            if !written {
                let _ = fs::remove_file(&self.path);
            }
            return;
        }
        let there = fs::symlink_metadata(&self.path).is_ok();
        let ours = !there || publish::is_our_memo(&self.path);
        if written && ours {
            // Removed first, not renamed over, as `publish::Kept` does:
            // renamed over, ext4 wrote the new memo out at once (47 MB,
            // 60-70 ms at the end of a one-change build at 10,000
            // entries, issue 27).
            if there {
                let _ = fs::remove_file(&self.path);
            }
            let _ = fs::rename(&self.part, &self.path);
        }
    }
}

impl Drop for MemoFile {
    fn drop(&mut self) {
        self.finished();
        // Not committed: the part goes (only a regular file of ours). A
        // memo written in place stays: it holds what it was keyed on.
        if !self.in_place && publish::is_our_memo(&self.part) {
            let _ = fs::remove_file(&self.part);
        }
    }
}

#[cfg(test)]
mod memo_tests {
    use super::*;

    /// The memo file is read up to its size bound and not past it, and
    /// never through a symbolic link.
    #[test]
    fn a_memo_file_is_read_within_its_bound_and_never_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".out.isms-markdown");
        let mut bytes = Vec::new();
        MarkdownMemo::default()
            .write(&memo_identity(), &mut bytes)
            .unwrap();
        fs::write(&path, &bytes).unwrap();
        let len = bytes.len() as u64;
        assert!(read_memo_at(&path, len).is_some());
        assert!(
            read_memo_at(&path, len - 1).is_none(),
            "read past its bound"
        );
        #[cfg(unix)]
        {
            let link = tmp.path().join(".link.isms-markdown");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            assert!(read_memo_at(&link, len).is_none(), "read through a link");
        }
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;
    use crate::output::pieces::{Index, Span};

    /// A cache as `write` writes it, for `files` published into `out`.
    fn written(out: &Path, files: &[&str]) -> String {
        fs::create_dir_all(out).unwrap();
        let site = crate::output::sink::Out::dir(out);
        for rel in files {
            site.write(rel, rel.as_bytes()).unwrap();
        }
        let mut warnings = Diagnostics::default();
        warnings
            .warning(Path::new("register/a b.yaml"), Pos::new(3, 4), "tab\there")
            .hint("100% sure");
        warnings.warning(Path::new("site.yaml"), Pos::new(1, 1), "no hint");
        let pages = PageKeys {
            global: [7; 32],
            entries: HashMap::from([("CI-001".into(), [8; 32]), ("CI 2".into(), [9; 32])]),
            plans: HashMap::from([("plan-a".into(), [10; 32])]),
            register: (0..40).map(|n| [n; 32]).collect(),
        };
        let mut pieces = Index::new();
        let spans = vec![([11; 32], Span { start: 0, len: 3 })];
        pieces.insert("register.csv".into(), spans);
        let cache = CacheOf {
            key: &[1; 32],
            entries: 3,
            warnings: &warnings,
            site: &site,
            pages: Some(&pages),
            pieces: &pieces,
        };
        cache.write(out);
        fs::read_to_string(path(out)).unwrap()
    }

    /// Issue 27: the cache, read on every core, reads back as written,
    /// the register list's keys in their order; one damaged line, or the
    /// page keys before their global key, voids it.
    #[test]
    fn a_cache_reads_back_as_written_and_a_damaged_line_voids_it() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let files = [
            "index.html",
            "register/CI-001/index.html",
            "a%b\nc.txt",
            "register.csv",
        ];
        let text = written(&out, &files);
        let cache = parse(&text).expect("the cache written");
        assert_eq!((cache.key, cache.entries), ([1; 32], 3));
        let pages = cache.pages.as_ref().unwrap();
        assert_eq!(pages.register, (0..40).map(|n| [n; 32]).collect::<Vec<_>>());
        assert_eq!(pages.entries[&"CI 2".to_string()], [9; 32]);
        assert_eq!(pages.plans[&"plan-a".to_string()], [10; 32]);
        assert_eq!(cache.warnings.len(), 2);
        assert_eq!(cache.warnings[0].message, "tab\there");
        assert_eq!(cache.warnings[0].hint.as_deref(), Some("100% sure"));
        assert_eq!(cache.pieces.len(), 1);
        let mut names: Vec<&String> = cache.files.keys().collect();
        names.sort();
        let expected = [
            "a%b\nc.txt",
            "index.html",
            "register.csv",
            "register/CI-001/index.html",
        ];
        assert_eq!(names, expected);
        // Its sum and its stamp as written: those of the file now.
        let record = cache.files["index.html"];
        assert_eq!(record.sum, <[u8; 32]>::from(Sha256::digest(b"index.html")));
        assert_eq!(Some(record.stamp), current(&out.join("index.html")));

        let lines: Vec<&str> = text.lines().collect();
        // An `x` line's index is read when the export is opened
        // (`pieces::decode`, which voids a damaged one).
        for n in (2..lines.len()).filter(|n| !lines[*n].starts_with("x ")) {
            let mut damaged = lines.clone();
            let cut = &lines[n][..lines[n].len() / 3];
            damaged[n] = cut;
            let damaged = damaged.join("\n") + "\n";
            assert!(parse(&damaged).is_none(), "line {n} cut: {cut}");
        }
        let g = lines.iter().position(|l| l.starts_with("g ")).unwrap();
        let mut reordered = lines.clone();
        let global = reordered.remove(g);
        reordered.push(global);
        assert!(parse(&(reordered.join("\n") + "\n")).is_none());
    }
}
