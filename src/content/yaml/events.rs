//! The fast path of [`super::parse`]: a [`Node`] tree built straight from
//! the YAML parser's events (the same parser and settings serde-saphyr
//! uses, so both see the same syntax, control characters included).
//!
//! Going through serde (`Spanned<Kind>`) costs several times what parsing
//! itself costs, and a register is thousands of small files. Register files
//! are plain YAML (mappings, lists, plain, quoted and block scalars), so
//! this path builds the tree for exactly that subset and gives up —
//! returns `None` — on everything else: a syntax error, anchors, aliases,
//! tags, merge keys (`<<`), several documents, a duplicate key, a resource
//! limit, or a scalar whose type it does not settle with certainty. The caller then runs
//! serde-saphyr, which is the reference: it produces every error message,
//! and on success the same tree: [`super::differential`] holds the two to
//! each other, in the tests and in the `yaml_differential` fuzz target.

use super::{Kind, Node, limits};
use crate::model::diag::Pos;
use granit_parser::{Event, Parser, ScalarStyle, Span};
use std::borrow::Cow;

/// The parser settings serde-saphyr uses with our budget.
fn parser_options() -> granit_parser::Options {
    let mut o = granit_parser::Options::default();
    o.flow_nesting_limit = limits::MAX_DEPTH;
    o.block_nesting_limit = o.block_nesting_limit.max(limits::MAX_DEPTH + 1);
    o.simple_key_max_lookahead = 1024;
    o.emit_comments = false;
    o
}

/// A collection being filled.
enum Open {
    Seq(Vec<Node>, Pos, Option<(usize, usize)>),
    /// Pairs so far, and a key waiting for its value.
    Map(Vec<(Node, Node)>, Option<Node>, Pos, Option<(usize, usize)>),
}

/// Parses `text` when it is within the subset (see the module docs).
pub(super) fn parse(text: &str) -> Option<Node> {
    let mut parser = Parser::new_from_str_with_options(text, parser_options());
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    let mut nodes = 0usize;
    let mut scalar_bytes = 0usize;
    for item in &mut parser {
        let (event, span) = item.ok()?;
        let node = match event {
            Event::StreamStart | Event::DocumentEnd | Event::StreamEnd => continue,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(value, style, 0, None) => {
                scalar_bytes += value.len();
                if scalar_bytes > limits::MAX_FILE_BYTES as usize {
                    return None;
                }
                let kind = resolve(value, style)?;
                leaf(kind, &span)
            }
            Event::SequenceStart(_, 0, None) => {
                if stack.len() >= limits::MAX_DEPTH {
                    return None;
                }
                let (pos, range) = place(&span);
                stack.push(Open::Seq(Vec::new(), pos, range));
                continue;
            }
            Event::MappingStart(_, 0, None) => {
                if stack.len() >= limits::MAX_DEPTH {
                    return None;
                }
                let (pos, range) = place(&span);
                stack.push(Open::Map(Vec::new(), None, pos, range));
                continue;
            }
            Event::SequenceEnd => match stack.pop()? {
                Open::Seq(items, pos, span) => Node::new(Kind::Seq(items), pos, span),
                Open::Map(..) => return None,
            },
            Event::MappingEnd => match stack.pop()? {
                Open::Map(pairs, key, pos, span) => {
                    if key.is_some() || has_duplicate_keys(&pairs) {
                        return None;
                    }
                    Node::new(Kind::Map(pairs), pos, span)
                }
                Open::Seq(..) => return None,
            },
            // Anchors, aliases, tags, comments: the reference path.
            _ => return None,
        };
        nodes += 1;
        if nodes > limits::MAX_NODES {
            return None;
        }
        if !add(&mut stack, &mut root, node) {
            return None;
        }
    }
    if !stack.is_empty() {
        return None;
    }
    root
}

/// Puts a finished node into its parent, or makes it the root. A mapping
/// receives a key, then its value.
fn add(stack: &mut [Open], root: &mut Option<Node>, node: Node) -> bool {
    match stack.last_mut() {
        None => root.replace(node).is_none(),
        Some(Open::Seq(items, ..)) => {
            if items.len() == limits::MAX_LIST_ITEMS {
                return false;
            }
            items.push(node);
            true
        }
        Some(Open::Map(pairs, key, ..)) => {
            match key.take() {
                Some(k) => pairs.push((k, node)),
                None => *key = Some(node),
            }
            true
        }
    }
}

/// Whether two keys of one mapping are the same scalar. serde-saphyr
/// refuses duplicates; the reference path words that error.
fn has_duplicate_keys(pairs: &[(Node, Node)]) -> bool {
    let mut keys = Vec::with_capacity(pairs.len());
    for (k, _) in pairs {
        match &k.kind {
            Kind::Str(s) => keys.push(s.as_str()),
            _ => return true, // keys other than text: let the reference decide
        }
    }
    keys.sort_unstable();
    keys.windows(2).any(|w| w[0] == w[1])
}

/// Line and 1-based column of a span's start, and its byte range: what
/// serde-saphyr reports for the same event.
fn place(span: &Span) -> (Pos, Option<(usize, usize)>) {
    let pos = Pos::new(span.start.line() as u32, span.start.col() as u32 + 1);
    let range = match (span.start.byte_offset(), span.end.byte_offset()) {
        (Some(a), Some(b)) => Some((a, b.max(a))),
        _ => None,
    };
    (pos, range)
}

fn leaf(kind: Kind, span: &Span) -> Node {
    let (pos, range) = place(span);
    Node::new(kind, pos, range)
}

/// The type of an untagged scalar, as serde-saphyr's untyped
/// deserialization settles it, for the spellings this path is sure of.
/// `None`: leave this file to the reference path.
fn resolve(value: Cow<'_, str>, style: ScalarStyle) -> Option<Kind> {
    if !matches!(style, ScalarStyle::Plain) {
        return Some(Kind::Str(value.into_owned()));
    }
    let t = value.as_ref();
    if t == "<<" {
        // A merge key: serde-saphyr merges the mapping it names.
        return None;
    }
    if matches!(t, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Kind::Null);
    }
    let first = t.as_bytes()[0];
    if first.is_ascii_alphabetic() {
        if let Some(b) = yaml11_bool(t) {
            return Some(Kind::Bool(b));
        }
        // Words that read as special floats or null in some spelling.
        let special = t.len() <= 8
            && ["nan", "inf", "infinity", "null"]
                .iter()
                .any(|w| t.eq_ignore_ascii_case(w));
        return (!special).then(|| Kind::Str(value.into_owned()));
    }
    if let Some(kind) = plain_number(t) {
        return Some(kind);
    }
    if is_iso_date(t) || is_clause_number(t) {
        return Some(Kind::Str(value.into_owned()));
    }
    // Text that cannot be any number or boolean: it contains a character
    // no numeric, boolean or null spelling has.
    let numeric = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | '_' | ':');
    if !t.chars().all(numeric) {
        return Some(Kind::Str(value.into_owned()));
    }
    None
}

/// `-?(0|[1-9][0-9]*)` as an integer and `-?(0|[1-9][0-9]*)\.[0-9]+` as
/// a float, short enough to be exact and finite; anything else `None`.
fn plain_number(t: &str) -> Option<Kind> {
    if t.len() > 18 {
        return None;
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    match frac {
        None => t.parse::<i64>().ok().map(Kind::Int),
        Some(f) if all_digits(f) => t.parse::<f64>().ok().map(Kind::Float),
        Some(_) => None,
    }
}

/// Booleans as serde-saphyr reads them by default (YAML 1.1 spellings).
fn yaml11_bool(t: &str) -> Option<bool> {
    let is = |words: [&str; 4]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(["true", "yes", "y", "on"]) {
        Some(true)
    } else if is(["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// `6.1.3`: digits with two or more dots is no number, so text.
fn is_clause_number(t: &str) -> bool {
    t.bytes().filter(|b| *b == b'.').count() >= 2
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// `YYYY-MM-DD`: text to YAML's core schema (dates are read by our own
/// readers, from the text).
fn is_iso_date(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {

    /// The fast path must give exactly what serde-saphyr gives, or nothing.
    fn agrees(text: &str) -> bool {
        super::super::differential::check(text).unwrap_or_else(|e| panic!("{e}\nfor:\n{text}"))
    }

    #[test]
    fn register_yaml_takes_the_fast_path_and_agrees() {
        let text = "entries:\n  - id: CI-001\n    title: \"Quoted: title\"\n    identified: 2026-01-02\n    owner: IT Operations\n    empty:\n    tilde: ~\n    count: 12\n    neg: -3\n    f: 12.50\n    zero: 0\n    list: [a, 'b', \"c\"]\n    flow: {x: 1, z: two}\n    description: |\n      Line one\n\n      **Bold** line\n    folded: >-\n      a\n      b\n    kpis:\n      - name: Mean time\n        measurements:\n          - {date: 2026-02-01, value: 4.5}\n";
        assert!(agrees(text));
        for t in [
            "a: 1\n",
            "- x\n- 2\n",
            "a:\n  - b: c\n",
            "k: 'it''s'\n",
            "k: \"\\u00e9\\n\"\n",
            "k: v2\n",
            "k: a#b\n",
            "k: x # comment\n",
            "k: |+\n  keep\n\n",
            "k: 2026-13-45\n",
            "k: 12345678901234567\n",
            "k: 6.1.3\n",
            "k: yes\n",
            "k: True\n",
            "k: off\n",
            "k: N\n",
            "k: tRUE\n",
        ] {
            assert!(agrees(t), "expected the fast path for {t:?}");
        }
    }

    #[test]
    fn anything_unusual_goes_to_the_reference_path() {
        for t in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "a: 0x1F\n",
            "a: 1e3\n",
            "a: .inf\n",
            "a: 0755\n",
            "a: +5\n",
            "---\na: 1\n---\nb: 2\n",
            "a: [\n",
            "",
            "a: 1_000\n",
            "a: NaN\n",
            "a: -.5\n",
            "a: nULL\n",
        ] {
            assert!(!agrees(t), "expected the reference path for {t:?}");
        }
    }

    /// Every YAML document of a content folder: register files and the
    /// front matter of plans and reviews.
    fn documents(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in read.flatten() {
            let path = entry.path();
            if path.is_dir() {
                documents(&path, out);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let name = path.display().to_string();
            if name.ends_with(".yaml") || name.ends_with(".yml") {
                out.push((name, text));
            } else if name.ends_with(".md")
                && let Some((yaml, _, _)) = crate::content::split_front_matter(&text)
            {
                out.push((name, yaml.to_string()));
            }
        }
    }

    /// The demo register (and any folder named in `ISMS_YAML_AGREE_DIR`,
    /// e.g. a synthetic register) parses the same both ways, nearly all of
    /// it on the fast path.
    #[test]
    fn content_folders_agree() {
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/content"
        ))];
        dirs.extend(std::env::var_os("ISMS_YAML_AGREE_DIR").map(Into::into));
        for dir in dirs {
            let mut docs = Vec::new();
            documents(&dir, &mut docs);
            assert!(
                docs.len() > 30,
                "{}: {} documents",
                dir.display(),
                docs.len()
            );
            let slow: Vec<&String> = docs
                .iter()
                .filter(|(_, text)| !agrees(text))
                .map(|(name, _)| name)
                .collect();
            assert!(
                slow.len() * 20 <= docs.len(),
                "{} of {} documents took the reference path: {slow:?}",
                slow.len(),
                docs.len()
            );
        }
    }
}
