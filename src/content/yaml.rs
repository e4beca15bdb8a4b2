//! YAML as a tree of positioned nodes, and typed readers over it.
//!
//! serde-saphyr parses the text (YAML 1.2, duplicate keys rejected, resource
//! budget on aliases and depth). We deliberately do not deserialize straight
//! into our model structs: serde stops at the first error, while authors need
//! every problem at once with its line and column. So the file becomes a
//! [`Node`] tree where every value knows its position, and the readers below
//! turn nodes into typed values, reporting each problem into [`Diagnostics`].

use crate::model::Enumerated;
use crate::model::diag::{Diagnostics, Pos};
use chrono::NaiveDate;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::path::Path;

#[doc(hidden)] // for the fuzz targets and tests/fuzz_regressions.rs
pub mod differential;
mod events;
mod hints;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A YAML value and where it starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub pos: Pos,
    /// Byte range of the value's source text, where the parser knows it.
    span: Option<(usize, usize)>,
    /// The source text of a number, boolean or null, as written: `10.10`
    /// stays `10.10` and `yes` stays `yes` where text is expected.
    raw: Option<String>,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Kind>::deserialize(d)?;
        let span = spanned.defined.span();
        let range = match (span.byte_offset(), span.byte_len()) {
            (Some(o), Some(l)) => Some((o as usize, (o + l) as usize)),
            _ => None,
        };
        Ok(Node {
            kind: spanned.value,
            pos: Pos::new(
                spanned.referenced.line() as u32,
                spanned.referenced.column() as u32,
            ),
            span: range,
            raw: None,
        })
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_none<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
        Ok(Kind::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
        Ok(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Kind, E> {
        Ok(Kind::Float(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Kind, E> {
        Ok(Kind::Float(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Kind, E> {
        Ok(Kind::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Kind, E> {
        Ok(Kind::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Kind, A::Error> {
        let mut v = Vec::new();
        while let Some(n) = a.next_element()? {
            if v.len() == limits::MAX_LIST_ITEMS {
                // Stop reading here: the rest of a huge list is never built.
                return Err(serde::de::Error::custom(format!(
                    "{LONG_LIST} of {} items",
                    limits::MAX_LIST_ITEMS
                )));
            }
            v.push(n);
        }
        Ok(Kind::Seq(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Kind, A::Error> {
        let mut v = Vec::new();
        while let Some(pair) = a.next_entry()? {
            v.push(pair);
        }
        Ok(Kind::Map(v))
    }
}

/// Resource limits. Content is untrusted (anyone who can commit to the
/// register can write it), so a file must not be able to exhaust the build
/// machine's memory or time: an alias bomb ("billion laughs"), a deeply
/// nested or enormous document is refused with a message, not parsed.
/// The numbers are far above any real register file and are documented in
/// the user guide (docs/user-guide.md, "Limits").
pub mod limits {
    /// Bytes per content file (YAML or Markdown), checked before reading.
    pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
    /// Items in one YAML list (history, kpis, measurements, links, tags...).
    pub const MAX_LIST_ITEMS: usize = 10_000;
    /// Nesting of lists and mappings; the format itself needs five levels.
    pub const MAX_DEPTH: usize = 32;
    /// YAML values in one file, aliases expanded.
    pub const MAX_NODES: usize = 200_000;
    /// Values that aliases (`*name`) may copy in, over the whole file.
    pub const MAX_ALIAS_EVENTS: usize = 10_000;
}

const LONG_LIST: &str = "a list longer than the limit";

fn parser_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: limits::MAX_DEPTH,
            flow_nesting_limit: limits::MAX_DEPTH,
            max_nodes: limits::MAX_NODES,
            max_total_scalar_bytes: limits::MAX_FILE_BYTES as usize,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: limits::MAX_ALIAS_EVENTS,
        },
    }
}

/// A YAML syntax error, already split into position and message.
#[derive(Debug)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    pub hint: String,
}

const SYNTAX_HINT: &str = "check indentation, quotes and `key: value` spacing at this point";
const LIMIT_HINT: &str = "a register file is small, plain YAML: split huge lists across files, \
avoid deep nesting and aliases (`&name`/`*name`); see \"Limits\" in the user guide";

fn depth_message() -> String {
    format!(
        "lists and mappings nested deeper than the limit of {} levels",
        limits::MAX_DEPTH
    )
}

/// A message in the author's words when a resource limit stopped parsing.
/// `text` is the parser's own message: the scanner reports nesting as a
/// "recursion limit", and our list limit is a custom message.
fn limit_message(err: &serde_saphyr::Error, text: &str) -> Option<String> {
    if text.contains("recursion limit exceeded") {
        return Some(depth_message());
    }
    if text.contains(LONG_LIST) {
        return Some(text.replace("YAML syntax: ", ""));
    }
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let mut err = err;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = err {
        err = error;
    }
    let alias = format!(
        "aliases (`*name`) expand to more than {} values: refused as a possible alias bomb",
        limits::MAX_ALIAS_EVENTS
    );
    Some(match err {
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => depth_message(),
            B::Nodes { .. } => format!(
                "more than {} values in one file, the limit",
                limits::MAX_NODES
            ),
            B::ScalarBytes { .. } => format!(
                "more than {} bytes of text in one file, the limit",
                limits::MAX_FILE_BYTES
            ),
            _ => alias,
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => alias,
        _ => return None,
    })
}

/// Parses one YAML document. `line_offset` shifts reported lines, for front
/// matter that starts below the first line of its file. A key or value
/// that holds a character no content text may hold (see
/// [`is_unsafe_text_char`]) is refused like a syntax error, since YAML's
/// escapes can write what its syntax refuses raw.
pub fn parse(text: &str, line_offset: u32) -> Result<Node, SyntaxError> {
    let node = parse_syntax(text, line_offset)?;
    match unsafe_char_in(&node) {
        Some((pos, c)) => Err(unsafe_char_error(pos, c)),
        None => Ok(node),
    }
}

/// [`parse`] without the rule on characters: YAML's own syntax only.
pub(crate) fn parse_syntax(text: &str, line_offset: u32) -> Result<Node, SyntaxError> {
    let shift = |mut pos: Pos| {
        pos.line += line_offset;
        pos
    };
    let parsed = match events::parse(text) {
        Some(mut node) => {
            attach_raw(&mut node, text);
            Ok(node)
        }
        None => parse_reference(text),
    };
    match parsed {
        Ok(mut node) => {
            shift_positions(&mut node, line_offset);
            Ok(node)
        }
        Err(e) => Err(SyntaxError {
            pos: shift(e.pos),
            ..e
        }),
    }
}

/// Whether text in the content may not hold `c`, however it is written:
/// control characters but tab and line breaks (YAML refuses them raw, but
/// reads `"\e"` or `"\u001b"` in double quotes; an imported cell may hold
/// them too), and the bidirectional embeddings, overrides and isolates,
/// which make text display in another order than it reads. Either would
/// reach the pages, `register.csv` and terminals as they are.
pub fn is_unsafe_text_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The byte offset of the first character of `text` that
/// [`is_unsafe_text_char`] refuses, and that character; what
/// `text.char_indices().find(..)` gives, from the UTF-8 bytes without
/// decoding them. Every field of every entry is checked when it is read
/// and again when its Markdown is rendered: decoding each character was a
/// percent of a build's CPU time. In UTF-8 those characters are the bytes
/// below 0x20 (but tab and line breaks) and 0x7F, `C2 80`–`C2 9F` (U+0080
/// to U+009F), `E2 80 AA`–`E2 80 AE` and `E2 81 A6`–`E2 81 A9`; `C2` and
/// `E2` are never inside another character's bytes.
pub fn find_unsafe_text_char(text: &str) -> Option<(usize, char)> {
    const BLOCK: usize = 32;
    let b = text.as_bytes();
    // Blocks with none of the bytes that start such a character are
    // skipped whole (the test compiles to a few vector instructions).
    let suspect =
        |c: u8| (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r')) | matches!(c, 0x7f | 0xc2 | 0xe2);
    let unsafe_at = |i: usize| match b[i] {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1f | 0x7f => true,
        0xc2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    };
    let whole = b.len() / BLOCK * BLOCK;
    let blocks = b[..whole].chunks_exact(BLOCK).enumerate();
    let suspects = blocks
        .filter(|(_, block)| block.iter().fold(false, |any, &c| any | suspect(c)))
        .map(|(n, _)| n * BLOCK..(n + 1) * BLOCK);
    // The last, shorter block padded with spaces (most scalars are short).
    let mut last = [b' '; BLOCK];
    last[..b.len() - whole].copy_from_slice(&b[whole..]);
    let last = match last.iter().fold(false, |any, &c| any | suspect(c)) {
        true => whole..b.len(),
        false => 0..0,
    };
    let at = suspects.chain([last]).flatten().find(|&i| unsafe_at(i))?;
    text[at..].chars().next().map(|c| (at, c))
}

/// The first key or value in `node` that holds a character
/// [`is_unsafe_text_char`] refuses, and that character.
fn unsafe_char_in(node: &Node) -> Option<(Pos, char)> {
    match &node.kind {
        Kind::Str(s) => find_unsafe_text_char(s).map(|(_, c)| (node.pos, c)),
        Kind::Seq(items) => items.iter().find_map(unsafe_char_in),
        Kind::Map(pairs) => pairs
            .iter()
            .find_map(|(k, v)| unsafe_char_in(k).or_else(|| unsafe_char_in(v))),
        _ => None,
    }
}

/// The character `c` that [`is_unsafe_text_char`] refuses, in words
/// ("the control character U+001B"), and what to do about it.
pub fn unsafe_char_problem(c: char) -> (String, &'static str) {
    if c.is_control() {
        (
            format!("the control character U+{:04X}", c as u32),
            "remove it: text holds no control characters but tabs and line breaks \
             (in YAML, an escape such as \"\\e\", \"\\a\" or \"\\u001b\" writes one)",
        )
    } else {
        (
            format!("the bidirectional formatting character U+{:04X}", c as u32),
            "remove it: it makes text display in another order than it reads; \
             a left-to-right or right-to-left mark (U+200E, U+200F) sets direction safely",
        )
    }
}

fn unsafe_char_error(pos: Pos, c: char) -> SyntaxError {
    let (what, hint) = unsafe_char_problem(c);
    SyntaxError {
        pos,
        message: format!("text holds {what}"),
        hint: hint.into(),
    }
}

/// Test aid: `rounds` mutated demo register files (see
/// [`differential::mutate`]).
#[cfg(test)]
fn mutated_register_files(rounds: usize) -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/content/register");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    files.sort();
    differential::mutate(&files, rounds)
}

/// Parses through serde-saphyr: the reference for every file, and the
/// only path for files outside the fast path's subset (see [`events`]).
fn parse_reference(text: &str) -> Result<Node, SyntaxError> {
    match serde_saphyr::from_str_with_options::<Node>(text, parser_options()) {
        Ok(mut node) => {
            attach_raw(&mut node, text);
            Ok(node)
        }
        Err(err) => {
            let pos = err
                .location()
                .map(|l| Pos::new(l.line() as u32, l.column() as u32))
                .unwrap_or(Pos::START);
            let message = clean_message(&err.without_snippet().to_string());
            match limit_message(&err, &message) {
                Some(message) => Err(SyntaxError {
                    pos,
                    message,
                    hint: LIMIT_HINT.into(),
                }),
                None => Err(hints::explain(
                    text,
                    SyntaxError {
                        pos,
                        message,
                        hint: SYNTAX_HINT.into(),
                    },
                )),
            }
        }
    }
}

/// Keeps the source text of numbers, booleans and nulls (see [`Node::raw`]).
fn attach_raw(node: &mut Node, text: &str) {
    match &mut node.kind {
        Kind::Int(_) | Kind::Float(_) | Kind::Bool(_) | Kind::Null => {
            node.raw = node
                .span
                .and_then(|(a, b)| text.get(a..b))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty() && !s.starts_with(['*', '&', '!']));
        }
        Kind::Seq(items) => items.iter_mut().for_each(|n| attach_raw(n, text)),
        Kind::Map(pairs) => pairs.iter_mut().for_each(|(k, v)| {
            attach_raw(k, text);
            attach_raw(v, text);
        }),
        _ => {}
    }
}

fn shift_positions(node: &mut Node, by: u32) {
    if by == 0 {
        return;
    }
    node.pos.line += by;
    match &mut node.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|n| shift_positions(n, by)),
        Kind::Map(pairs) => pairs.iter_mut().for_each(|(k, v)| {
            shift_positions(k, by);
            shift_positions(v, by);
        }),
        _ => {}
    }
}

/// serde-saphyr prefixes messages with "error: line N column M: "; we print
/// the position ourselves, in `path:line:column` form.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let rest = first.strip_prefix("error: ").unwrap_or(first);
    let rest = match rest.strip_prefix("line ") {
        Some(after) => after.split_once(": ").map(|(_, msg)| msg).unwrap_or(after),
        None => rest,
    };
    let rest = rest
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(rest);
    let rest = match rest.rfind(" at line ") {
        Some(i) => &rest[..i],
        None => rest,
    };
    format!("YAML syntax: {rest}")
}

impl Node {
    fn new(kind: Kind, pos: Pos, span: Option<(usize, usize)>) -> Node {
        Node {
            kind,
            pos,
            span,
            raw: None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "nothing",
            Kind::Bool(_) => "true/false",
            Kind::Int(_) | Kind::Float(_) => "a number",
            Kind::Str(_) => "text",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }

    /// The text of a scalar, as an author would read it; `None` for a
    /// null, which no text field may hold.
    pub fn scalar_text(&self) -> Option<String> {
        if matches!(self.kind, Kind::Null) {
            return None;
        }
        if let Some(raw) = &self.raw {
            return Some(raw.clone());
        }
        match &self.kind {
            Kind::Str(s) => Some(s.clone()),
            Kind::Int(i) => Some(i.to_string()),
            Kind::Float(f) => Some(f.to_string()),
            Kind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A scalar's text exactly as written, minus quotes, nulls included
    /// (`~` stays `~`): for free-form values such as custom columns.
    /// `None` for an empty value, a list or a mapping.
    pub fn written_text(&self) -> Option<String> {
        match self.kind {
            Kind::Null => self.raw.clone(),
            _ => self.scalar_text(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }
}

/// Everything a reader needs to report a problem: the file and the sink.
pub struct Ctx<'a> {
    pub file: &'a Path,
    pub diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    /// Every problem comes with a hint: the spec promises one, and an
    /// author fixing a register needs to know what to write instead.
    pub fn error(&mut self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.error(self.file, pos, message).hint(hint);
    }
}

/// The fields of a YAML mapping, read by name. Keys that no reader asked
/// for are reported by [`Fields::finish`] with the nearest known name.
pub struct Fields<'a> {
    pairs: Vec<(String, &'a Node, Pos)>,
    pub pos: Pos,
    /// Missing fields an unknown key was reported as a misspelling of.
    misspelt: std::cell::RefCell<Vec<String>>,
}

impl<'a> Fields<'a> {
    /// `what` names the thing in messages ("register entry", "KPI").
    pub fn of(node: &'a Node, what: &str, ctx: &mut Ctx) -> Option<Fields<'a>> {
        match &node.kind {
            Kind::Map(pairs) => {
                let mut out = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    match k.scalar_text() {
                        Some(name) => out.push((name, v, k.pos)),
                        None => ctx.error(
                            k.pos,
                            format!("a {what} key must be text"),
                            "write field names as plain words, e.g. `title:`",
                        ),
                    }
                }
                Some(Fields {
                    pairs: out,
                    pos: node.pos,
                    misspelt: Default::default(),
                })
            }
            _ => {
                ctx.error(
                    node.pos,
                    format!(
                        "expected a {what} (a mapping of `field: value`), found {}",
                        node.type_name()
                    ),
                    "write one `field: value` per line, indented under its parent",
                );
                None
            }
        }
    }

    /// The value of a field; a present-but-empty field counts as absent.
    pub fn get(&self, name: &str) -> Option<&'a Node> {
        self.pairs
            .iter()
            .find(|(k, _, _)| k == name)
            .map(|(_, v, _)| *v)
            .filter(|v| !v.is_null())
    }

    pub fn key_pos(&self, name: &str) -> Option<Pos> {
        self.pairs
            .iter()
            .find(|(k, _, _)| k == name)
            .map(|(_, _, p)| *p)
    }

    pub fn required(&self, name: &str, what: &str, ctx: &mut Ctx) -> Option<&'a Node> {
        let found = self.get(name);
        if found.is_none() && !self.misspelt.borrow().iter().any(|m| m == name) {
            let pos = self.key_pos(name).unwrap_or(self.pos);
            ctx.error(
                pos,
                format!("missing required field `{name}` in {what}"),
                format!("add a line `{name}: ...` to this {what}"),
            );
        }
        found
    }

    /// Reports every key not in `known`, suggesting the closest known one.
    /// A misspelling of a field the mapping lacks is the one message about
    /// that field: [`Fields::required`] then says nothing more.
    pub fn finish(&self, known: &[&str], what: &str, ctx: &mut Ctx) {
        for (key, _, pos) in &self.pairs {
            if known.contains(&key.as_str()) {
                continue;
            }
            match nearest(key, known) {
                Some(near) if self.key_pos(near).is_none() => {
                    self.misspelt.borrow_mut().push(near.to_string());
                    ctx.error(
                        *pos,
                        format!("unknown field `{key}` in {what}; did you mean `{near}`?"),
                        format!("rename `{key}:` to `{near}:`"),
                    );
                }
                Some(near) => ctx.error(
                    *pos,
                    format!("unknown field `{key}` in {what}"),
                    format!("did you mean `{near}`? It is set already: remove one of the two"),
                ),
                None => ctx.error(
                    *pos,
                    format!("unknown field `{key}` in {what}"),
                    format!("known fields are: {}", known.join(", ")),
                ),
            }
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = (&str, &'a Node, Pos)> {
        self.pairs.iter().map(|(k, v, p)| (k.as_str(), *v, *p))
    }
}

/// The known name closest to a misspelt one, if any is close enough.
pub fn nearest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = word.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&lower, &k.to_lowercase()), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

pub fn text(node: &Node, field: &str, ctx: &mut Ctx) -> Option<String> {
    match node.scalar_text() {
        Some(s) => Some(s),
        None => {
            ctx.error(
                node.pos,
                format!("`{field}` must be text, found {}", node.type_name()),
                format!("write `{field}` as a single value on its line, e.g. `{field}: Some text`"),
            );
            None
        }
    }
}

/// A non-empty piece of text, trimmed.
pub fn required_text(node: &Node, field: &str, ctx: &mut Ctx) -> Option<String> {
    let s = text(node, field, ctx)?;
    if s.trim().is_empty() {
        ctx.error(
            node.pos,
            format!("`{field}` must not be empty"),
            format!("write a value after `{field}:` or remove the line"),
        );
        return None;
    }
    Some(s.trim().to_string())
}

pub fn date(node: &Node, field: &str, ctx: &mut Ctx) -> Option<NaiveDate> {
    let raw = node.scalar_text().unwrap_or_default();
    match parse_date(raw.trim()) {
        Some(d) => Some(d),
        None => {
            let (why, hint) = date_problem(raw.trim());
            let why = why.map(|w| format!(" ({w})")).unwrap_or_default();
            ctx.error(
                node.pos,
                format!("`{field}` is not a date: `{raw}`{why}"),
                hint,
            );
            None
        }
    }
}

/// What is wrong with a date that [`parse_date`] refused, if it can be
/// said more precisely than "not a date", and what to write instead.
pub fn date_problem(s: &str) -> (Option<String>, String) {
    const GENERIC: &str = "write dates as YYYY-MM-DD, e.g. 2026-03-31";
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if parts.len() != 3 || nums.len() != 3 || parts.iter().any(|p| p.len() > 4) {
        return (None, GENERIC.into());
    }
    let iso = |y: u32, m: u32, d: u32| format!("{y:04}-{m:02}-{d:02}");
    let real = |y: u32, m: u32, d: u32| NaiveDate::from_ymd_opt(y as i32, m, d).is_some();
    if parts[0].len() == 4 {
        let (y, m, d) = (nums[0], nums[1], nums[2]);
        if !(1..=12).contains(&m) {
            let hint = if real(y, d, m) {
                format!(
                    "the month comes second in YYYY-MM-DD: did you mean {}?",
                    iso(y, d, m)
                )
            } else {
                "the month comes second in YYYY-MM-DD and runs from 01 to 12".into()
            };
            return (Some(format!("month {m} does not exist")), hint);
        }
        if !real(y, m, d) {
            let month = NaiveDate::from_ymd_opt(y as i32, m, 1)
                .map(|f| f.format("%B %Y").to_string())
                .unwrap_or_default();
            return (
                Some(format!("day {d} does not exist in {month}")),
                "check the day of the month".into(),
            );
        }
        if s.contains(['/', '.']) || parts[1].len() != 2 || parts[2].len() != 2 {
            return (None, format!("write it as {}", iso(y, m, d)));
        }
        return (None, GENERIC.into());
    }
    if parts[2].len() == 4 {
        let (a, b, y) = (nums[0], nums[1], nums[2]);
        let hint = match (real(y, b, a), real(y, a, b)) {
            (true, true) if a != b => format!(
                "write it as YYYY-MM-DD: {} if the day comes first, {} if the month does",
                iso(y, b, a),
                iso(y, a, b)
            ),
            (true, _) => format!("write it as {}", iso(y, b, a)),
            (_, true) => format!("write it as {}", iso(y, a, b)),
            _ => GENERIC.into(),
        };
        return (None, hint);
    }
    (None, GENERIC.into())
}

/// Strict `YYYY-MM-DD`: a spreadsheet's `3/31/26` is ambiguous, so refused.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // Digits only (nearly every date): the numbers read directly; chrono
    // reads them alike, and reads the rest.
    if b.iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        let n =
            |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
        return NaiveDate::from_ymd_opt(n(0..4) as i32, n(5..7), n(8..10));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn number(node: &Node, field: &str, ctx: &mut Ctx) -> Option<f64> {
    let value = match &node.kind {
        Kind::Int(i) => Some(*i as f64),
        Kind::Float(f) => Some(*f),
        Kind::Str(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match value.filter(|v| v.is_finite()) {
        Some(v) => Some(v),
        None => {
            ctx.error(
                node.pos,
                format!("`{field}` must be a number, found {}", node.type_name()),
                "write a plain number such as 12 or 4.5, without units",
            );
            None
        }
    }
}

/// A list; a single value where a list is expected is read as a list of one,
/// as authors often write `controls: A.5.15`.
pub fn list(node: &Node) -> Vec<&Node> {
    match &node.kind {
        Kind::Seq(items) => items.iter().collect(),
        Kind::Null => Vec::new(),
        _ => vec![node],
    }
}

pub fn strict_list<'a>(node: &'a Node, field: &str, ctx: &mut Ctx) -> Vec<&'a Node> {
    match &node.kind {
        Kind::Seq(items) => items.iter().collect(),
        Kind::Null => Vec::new(),
        _ => {
            ctx.error(
                node.pos,
                format!("`{field}` must be a list, found {}", node.type_name()),
                format!("write each item on its own line starting with `- ` under `{field}:`"),
            );
            Vec::new()
        }
    }
}

pub fn text_list(node: &Node, field: &str, ctx: &mut Ctx) -> Vec<String> {
    list(node)
        .into_iter()
        .filter_map(|n| required_text(n, field, ctx))
        .collect()
}

/// As [`text_list`], each item with its position.
pub fn positioned_text_list(node: &Node, field: &str, ctx: &mut Ctx) -> Vec<(String, Pos)> {
    list(node)
        .into_iter()
        .filter_map(|n| required_text(n, field, ctx).map(|t| (t, n.pos)))
        .collect()
}

/// `true` or `false` (YAML 1.1 spellings such as `yes` included, as the
/// parser reads them).
pub fn boolean(node: &Node, field: &str, ctx: &mut Ctx) -> Option<bool> {
    if let Kind::Bool(b) = node.kind {
        return Some(b);
    }
    ctx.error(
        node.pos,
        format!(
            "`{field}` must be true or false, found {}",
            node.type_name()
        ),
        format!("write `{field}: true` or `{field}: false`"),
    );
    None
}

pub fn enumeration<T: Enumerated>(node: &Node, field: &str, ctx: &mut Ctx) -> Option<T> {
    let raw = node.scalar_text().unwrap_or_default();
    match T::from_text(&raw) {
        Some(v) => Some(v),
        None => {
            let allowed: Vec<&str> = T::ALL.iter().map(|v| v.slug()).collect();
            let shown = if raw.is_empty() {
                node.type_name().to_string()
            } else {
                format!("`{raw}`")
            };
            let allowed = format!("allowed values: {}", allowed.join(", "));
            let hint = match spreadsheet_meaning(field, &raw) {
                Some(slug) => format!(
                    "write `{field}: {slug}` (what `{}` means in a spreadsheet import); {allowed}",
                    raw.trim()
                ),
                None => allowed,
            };
            ctx.error(
                node.pos,
                format!("`{field}` has a value outside its list: {shown}"),
                hint,
            );
            None
        }
    }
}

/// The value a spreadsheet word stands for (`Done` → `completed`, `On
/// Hold` → `in-progress`), read as `import` reads it, so a word an author
/// brings from the spreadsheet gets the value to write.
fn spreadsheet_meaning(field: &str, raw: &str) -> Option<&'static str> {
    let n = crate::model::normalise(raw);
    match field {
        "status" => super::status_words::status_alias(&n).map(|s| s.slug()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds what a scan of the characters finds, for every
    /// character alone and between others (issue 27: a faster check).
    #[test]
    fn the_byte_scan_finds_the_unsafe_characters_the_char_scan_finds() {
        let by_chars = |t: &str| t.char_indices().find(|(_, c)| is_unsafe_text_char(*c));
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            for t in [
                c.to_string(),
                format!("a\u{a0}é{c}\u{202f}z"),
                format!("{c}\u{2029}\u{80}"),
            ] {
                assert_eq!(find_unsafe_text_char(&t), by_chars(&t), "{:?}", c as u32);
            }
        }
        assert_eq!(find_unsafe_text_char("tab\there\r\n"), None);
        // In and across the blocks the scan skips, and in the rest.
        let long = "x".repeat(70);
        for at in 0..long.len() {
            for c in [
                '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2069}', 'é', '—', '\n',
            ] {
                let mut t = long.clone();
                t.insert(at, c);
                assert_eq!(find_unsafe_text_char(&t), by_chars(&t), "{at} {c:?}");
            }
        }
    }

    /// Issue 27: dates are read as chrono reads them.
    #[test]
    fn dates_are_read_as_chrono_reads_them() {
        let chrono = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        for y in ["0000", "0001", "1999", "2026", "9999"] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let s = format!("{y}-{m:02}-{d:02}");
                    assert_eq!(parse_date(&s), chrono(&s), "{s}");
                }
            }
        }
        for s in [
            "+026-01-01",
            "2026-1-011",
            " 2026-01-0",
            "2026-01-1 ",
            "20x6-01-01",
        ] {
            assert_eq!(parse_date(s), chrono(s), "{s}");
        }
    }

    /// The limit hint sends authors to a section that exists: the limits
    /// moved from the README to the user guide, and the hint once still
    /// named the README.
    #[test]
    fn limit_hint_names_the_user_guides_limits_section() {
        assert!(
            LIMIT_HINT.contains("\"Limits\" in the user guide"),
            "{LIMIT_HINT}"
        );
        let guide = include_str!("../../docs/user-guide.md");
        assert!(guide.lines().any(|l| l == "### Limits"));
        assert!(guide.contains("| items in one YAML list | 10,000 |"));
    }

    /// Mutated register files: wherever the event reader still reads one,
    /// it must agree with serde-saphyr. Many still read, so the check has
    /// teeth.
    #[test]
    fn fast_path_agrees_on_mutated_files() {
        let mutants = mutated_register_files(3000);
        let read = mutants
            .iter()
            .filter(|t| differential::check(t).unwrap_or_else(|e| panic!("{e}\nfor:\n{t}")))
            .count();
        assert!(read * 4 > mutants.len(), "only {read} of 3000 read");
    }

    /// [`parse_syntax`] gives exactly what serde-saphyr gives on `text`,
    /// tree or error; returns that answer.
    fn as_reference(text: &str) -> Result<Node, SyntaxError> {
        let (ours, reference) = (parse_syntax(text, 0), parse_reference(text));
        assert_eq!(
            format!("{ours:?}"),
            format!("{reference:?}"),
            "for {text:?}"
        );
        differential::check(text).unwrap_or_else(|e| panic!("{e}\nfor {text:?}"));
        ours
    }

    /// NUL, BEL, ESC and DEL are not YAML text: refused as serde-saphyr
    /// refuses them, so they never reach HTML, CSV or a terminal.
    #[test]
    fn control_characters_are_refused_as_the_reference_refuses_them() {
        for c in ['\0', '\u{7}', '\u{1b}', '\u{7f}'] {
            for t in [
                format!("title: a{c}b\n"),
                format!("title: \"a{c}b\"\n"),
                format!("title: 'a{c}b'\n"),
                format!("title: |\n  a{c}b\n"),
                format!("t{c}: x\n"),
                format!("- a{c}\n"),
            ] {
                let answer = as_reference(&t);
                assert!(answer.is_err(), "accepted {t:?}: {answer:?}");
            }
        }
        // Written as escapes in double quotes they are YAML, and read; but
        // no content text may hold them, so `parse` refuses them where they
        // are, as it refuses bidirectional overrides.
        as_reference("title: \"\\e]0;x\\a\"\n").unwrap();
        for (t, at, what) in [
            (
                "title: \"\\e]0;x\\a\"\n",
                (1, 8),
                "control character U+001B",
            ),
            (
                "a:\n  \"\\u0085k\": 1\n",
                (2, 3),
                "control character U+0085",
            ),
            (
                "- ok\n- \"x\\u2066\"\n",
                (2, 3),
                "formatting character U+2066",
            ),
        ] {
            let e = parse(t, 0).unwrap_err();
            assert_eq!((e.pos.line, e.pos.column), at, "{t:?}");
            assert!(e.message.ends_with(what), "{t:?}: {}", e.message);
        }
        // Tabs and line breaks are text.
        parse("title: \"a\\tb\\r\\nc\"\n", 0).unwrap();
    }

    /// `<<` merges the named mapping, as serde-saphyr does, whether the
    /// mapping is written in place or through an alias.
    #[test]
    fn merge_keys_merge_as_the_reference_merges_them() {
        for t in [
            "m:\n  <<: {x: 1}\n  y: 2\n",
            "<<: {x: 1}\ny: 2\n",
            "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n",
            "m:\n  <<: [{x: 1}, {z: 3}]\n  y: 2\n",
        ] {
            let node = as_reference(t).unwrap();
            let m = match &node.kind {
                Kind::Map(p)
                    if p.iter()
                        .any(|(k, _)| k.scalar_text().as_deref() == Some("m")) =>
                {
                    field(&node, "m")
                }
                _ => &node,
            };
            assert_eq!(field(m, "x").scalar_text().as_deref(), Some("1"), "{t}");
            let Kind::Map(pairs) = &m.kind else { panic!() };
            assert!(
                pairs
                    .iter()
                    .all(|(k, _)| k.scalar_text().as_deref() != Some("<<"))
            );
        }
        // Quoted, `<<` is an ordinary key.
        let node = as_reference("'<<': x\n").unwrap();
        assert_eq!(field(&node, "<<").scalar_text().as_deref(), Some("x"));
    }

    /// A plain key may be at most 1,024 characters (YAML's limit on
    /// implicit keys): a 1,100-character key is refused as serde-saphyr
    /// refuses it, at any depth.
    #[test]
    fn keys_longer_than_yaml_allows_are_refused_as_the_reference_refuses_them() {
        let long = "k".repeat(1100);
        for t in [
            format!("{long}: v\n"),
            format!("a:\n  {long}: v\n"),
            format!("- {long}: v\n"),
        ] {
            assert!(as_reference(&t).is_err(), "accepted a 1,100-character key");
        }
        let ok = "k".repeat(1000);
        as_reference(&format!("{ok}: v\n")).unwrap();
    }

    /// `from_text` tries exact slugs first: that gives the same answer as
    /// normalising only because no two slugs normalise alike.
    #[test]
    fn slugs_stay_distinct_when_normalised() {
        use crate::model::*;
        fn distinct<T: Enumerated>() {
            let mut all: Vec<String> = T::ALL.iter().map(|v| normalise(v.slug())).collect();
            let n = all.len();
            all.sort();
            all.dedup();
            assert_eq!(all.len(), n);
            for v in T::ALL {
                assert!(T::from_text(&v.slug().to_uppercase().replace('-', " ")).is_some());
            }
        }
        distinct::<Status>();
        distinct::<Level>();
        distinct::<Source>();
        distinct::<EntryType>();
        distinct::<EffectivenessResult>();
        distinct::<Direction>();
        distinct::<Visibility>();
        distinct::<ReviewKind>();
    }

    fn field<'a>(node: &'a Node, name: &str) -> &'a Node {
        let Kind::Map(pairs) = &node.kind else {
            panic!("not a map")
        };
        &pairs
            .iter()
            .find(|(k, _)| k.scalar_text().as_deref() == Some(name))
            .unwrap()
            .1
    }

    #[test]
    fn numbers_and_booleans_keep_their_source_text() {
        let node = parse("c: 10.10\nowner: yes\nn: 007\nq: \"x\"\n", 0).unwrap();
        assert_eq!(field(&node, "c").scalar_text().as_deref(), Some("10.10"));
        assert_eq!(field(&node, "owner").scalar_text().as_deref(), Some("yes"));
        assert_eq!(field(&node, "n").scalar_text().as_deref(), Some("007"));
        assert_eq!(field(&node, "q").scalar_text().as_deref(), Some("x"));
        assert!(matches!(field(&node, "c").kind, Kind::Float(_)));
    }

    #[test]
    fn positions_count_from_one_and_shift_for_front_matter() {
        let node = parse("title: x\nlist:\n  - a\n", 1).unwrap();
        assert_eq!(field(&node, "list").pos, Pos::new(4, 3));
        let err = parse("a: [1, 2\n", 0).unwrap_err();
        assert!(err.message.starts_with("YAML syntax:"), "{}", err.message);
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }
}
