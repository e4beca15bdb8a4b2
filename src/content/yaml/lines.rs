//! The fastest path of [`super::parse`]: register files read line by line.
//!
//! Register files are a small, regular part of YAML: block mappings and
//! lists, one-line scalars and flow lists, and literal blocks (`|`) of
//! Markdown, which are most of their bytes. This reader handles exactly
//! that, with every node at the position serde-saphyr gives it, and returns
//! `None` for anything else (tabs, folded or multi-line scalars, escapes,
//! anchors, tags, comments inside flow lists...). The caller then tries the
//! event parser ([`super::events`]) and finally serde-saphyr, the reference;
//! tests check that all three agree.

use super::events::{has_duplicate_keys, resolve};
use super::{Kind, Node, limits};
use crate::model::diag::Pos;
use granit_parser::ScalarStyle;
use std::borrow::Cow;

/// One line of the file: where it starts, its indentation and the rest.
struct Line<'a> {
    /// Byte offset of the line's first character.
    start: usize,
    /// The whole line, without the line break.
    raw: &'a str,
    number: u32,
    indent: usize,
    /// After the indentation, without the line break.
    text: &'a str,
}

impl Line<'_> {
    /// Blank or a comment: no node starts here.
    fn is_quiet(&self) -> bool {
        let t = self.text.trim_end();
        t.is_empty() || t.starts_with('#')
    }

    fn is_item(&self) -> bool {
        self.text == "-" || self.text.starts_with("- ")
    }

    /// The position of byte `col` of the line; columns count characters.
    fn pos(&self, col: usize) -> Pos {
        let head = &self.raw[..col];
        let chars = if head.is_ascii() {
            col
        } else {
            head.chars().count()
        };
        Pos::new(self.number, chars as u32 + 1)
    }
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    /// The length of the text.
    end: usize,
    nodes: std::cell::Cell<usize>,
}

/// Parses `text` when it is within the subset (see the module docs).
pub(super) fn parse(text: &str) -> Option<Node> {
    if text.contains(['\r', '\t', '\u{feff}']) || !text.ends_with('\n') {
        return None;
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        let trimmed = body.trim_start_matches(' ');
        lines.push(Line {
            start,
            raw: body,
            number: n as u32 + 1,
            indent: body.len() - trimmed.len(),
            text: trimmed,
        });
        start += raw.len();
    }
    let mut r = Reader {
        lines,
        end: text.len(),
        nodes: std::cell::Cell::new(0),
    };
    let first = r.next_significant(0)?;
    let line = &r.lines[first];
    if line.indent != 0 || ["---", "...", "%"].iter().any(|m| line.text.starts_with(m)) {
        return None;
    }
    let (node, next) = r.block(first, 0)?;
    match r.next_significant(next) {
        Some(_) => None,
        None => Some(node),
    }
}

impl<'a> Reader<'a> {
    /// The first line from `i` on where a node can start.
    fn next_significant(&self, mut i: usize) -> Option<usize> {
        while i < self.lines.len() {
            if !self.lines[i].is_quiet() {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// Counts a node against the file's budget.
    fn count(&self) -> Option<()> {
        self.nodes.set(self.nodes.get() + 1);
        (self.nodes.get() <= limits::MAX_NODES).then_some(())
    }

    /// A block mapping or list starting on line `i`, at its indentation.
    fn block(&mut self, i: usize, depth: usize) -> Option<(Node, usize)> {
        if depth >= limits::MAX_DEPTH {
            return None;
        }
        let col = self.lines[i].indent;
        if self.lines[i].is_item() {
            self.sequence(i, col, depth, false)
        } else {
            self.mapping(i, col, depth)
        }
    }

    /// A block list whose `-` are in column `col`. An indentless list (a
    /// mapping's value at the key's own indentation) is placed at its first
    /// item, as the parser does.
    fn sequence(
        &mut self,
        mut i: usize,
        col: usize,
        depth: usize,
        indentless: bool,
    ) -> Option<(Node, usize)> {
        let first = &self.lines[i];
        let (pos, at) = if indentless {
            let skip = first.text[1..].len() - first.text[1..].trim_start_matches(' ').len();
            let c = col + 1 + skip;
            (first.pos(c), first.start + c)
        } else {
            (first.pos(col), first.start + col)
        };
        let mut items = Vec::new();
        loop {
            let line = &self.lines[i];
            if line.indent != col || !line.is_item() {
                if line.indent > col {
                    return None;
                }
                break;
            }
            if items.len() == limits::MAX_LIST_ITEMS {
                return None;
            }
            let rest = &line.text[1..];
            let skip = rest.len() - rest.trim_start_matches(' ').len();
            let item_col = col + 1 + skip;
            let value = &rest[skip..];
            let (item, next) = if value.is_empty() || value.starts_with('#') {
                let j = self.next_significant(i + 1)?;
                if self.lines[j].indent <= col {
                    return None;
                }
                self.block(j, depth + 1)?
            } else if key_split(value).is_some() {
                self.mapping(i, item_col, depth + 1)?
            } else {
                self.inline(i, item_col, col)?
            };
            items.push(item);
            match self.next_significant(next) {
                Some(j) => i = j,
                None => {
                    i = self.lines.len();
                    break;
                }
            }
        }
        self.count()?;
        Some((Node::new(Kind::Seq(items), pos, Some((at, at))), i))
    }

    /// A block mapping whose keys are in column `col`; its first key may
    /// follow a list's `-` on line `i`.
    fn mapping(&mut self, mut i: usize, col: usize, depth: usize) -> Option<(Node, usize)> {
        if depth >= limits::MAX_DEPTH {
            return None;
        }
        let first_line = &self.lines[i];
        let pos = first_line.pos(col);
        let at = first_line.start + col;
        let mut pairs = Vec::new();
        let mut first = true;
        loop {
            let line = &self.lines[i];
            let text = if first {
                &line.text[col - line.indent..]
            } else {
                if line.indent != col {
                    if line.indent > col {
                        return None;
                    }
                    break;
                }
                line.text
            };
            first = false;
            if text.starts_with("- ") || text == "-" {
                return None;
            }
            let key_text = key_split(text)?;
            let key_start = line.start + col;
            let key = plain(key_text, line.pos(col), key_start)?;
            let colon = col + key_text.len();
            let rest = &text[key_text.len() + 1..];
            let (value, next) =
                if rest.trim_start().is_empty() || rest.trim_start().starts_with('#') {
                    match self.next_significant(i + 1) {
                        Some(j) if self.lines[j].indent > col => self.block(j, depth + 1)?,
                        Some(j) if self.lines[j].indent == col && self.lines[j].is_item() => {
                            self.sequence(j, col, depth + 1, true)?
                        }
                        _ => {
                            let at = line.start + colon;
                            (
                                Node::new(Kind::Null, line.pos(colon), Some((at, at))),
                                i + 1,
                            )
                        }
                    }
                } else {
                    let skip = rest.len() - rest.trim_start_matches(' ').len();
                    self.inline(i, colon + 1 + skip, col)?
                };
            self.count()?;
            pairs.push((key, value));
            match self.next_significant(next) {
                Some(j) => i = j,
                None => {
                    i = self.lines.len();
                    break;
                }
            }
        }
        if has_duplicate_keys(&pairs) {
            return None;
        }
        self.count()?;
        Some((Node::new(Kind::Map(pairs), pos, Some((at, at))), i))
    }

    /// A value that starts at column `col` of line `i` (after `key: ` or
    /// `- `); `parent` is the indentation of the key or item. Returns the
    /// node and the line after it.
    fn inline(&self, i: usize, col: usize, parent: usize) -> Option<(Node, usize)> {
        let line = &self.lines[i];
        let text = &line.text[col - line.indent..];
        let at = line.start + col;
        let pos = line.pos(col);
        let node = match text.as_bytes()[0] {
            b'|' => return self.literal(i, col, parent),
            b'"' => {
                let end = text[1..].find('"')? + 1;
                let inner = &text[1..end];
                if inner.contains('\\') || !only_comment(&text[end + 1..]) {
                    return None;
                }
                Node::new(Kind::Str(inner.to_string()), pos, Some((at, at + end + 1)))
            }
            b'\'' => {
                let (value, end) = single_quoted(text)?;
                if !only_comment(&text[end..]) {
                    return None;
                }
                Node::new(Kind::Str(value), pos, Some((at, at + end)))
            }
            b'[' => self.flow_list(i, col)?,
            b'{' => self.flow_map(i, col)?,
            _ => {
                let value = match text.find(" #") {
                    Some(c) => &text[..c],
                    None => text,
                }
                .trim_end_matches(' ');
                if value.contains(": ") || value.ends_with(':') {
                    return None;
                }
                plain(value, pos, at)?
            }
        };
        // A more indented line next would continue the scalar: not ours.
        if let Some(j) = self.next_significant(i + 1)
            && self.lines[j].indent > parent
        {
            return None;
        }
        self.count()?;
        Some((node, i + 1))
    }

    /// A literal block scalar (`|`, `|-`, `|+`) whose indicator is at
    /// column `col` of line `i`, below a key or item indented `parent`.
    fn literal(&self, i: usize, col: usize, parent: usize) -> Option<(Node, usize)> {
        let line = &self.lines[i];
        let header = &line.text[col - line.indent + 1..];
        let (chomp, after) = match header.as_bytes().first() {
            Some(b'-') => ('-', &header[1..]),
            Some(b'+') => ('+', &header[1..]),
            _ => (' ', header),
        };
        if !only_comment(after) {
            return None;
        }
        let first = i + 1;
        let content = self.lines.get(first)?;
        if content.text.trim_end().is_empty() || content.indent <= parent {
            return None; // leading blank lines or an empty block
        }
        let indent = content.indent;
        let mut value = String::new();
        let mut j = first;
        while let Some(l) = self.lines.get(j) {
            if l.text.is_empty() {
                if l.indent > indent {
                    return None; // spaces that would be content
                }
                value.push('\n');
            } else if l.indent >= indent {
                value.push_str(&" ".repeat(l.indent - indent));
                value.push_str(l.text);
                value.push('\n');
            } else {
                break;
            }
            j += 1;
        }
        match chomp {
            '+' => {}
            '-' => value.truncate(value.trim_end_matches('\n').len()),
            _ => {
                let kept = value.trim_end_matches('\n').len();
                value.truncate(kept);
                value.push('\n');
            }
        }
        let at = content.start + indent;
        let end = self.lines.get(j).map_or(self.end, |l| l.start + l.indent);
        let node = Node::new(Kind::Str(value), content.pos(indent), Some((at, end)));
        self.count()?;
        Some((node, j))
    }

    /// `[a, b, c]` on one line, of plain scalars, at byte `col` of line `i`.
    fn flow_list(&self, i: usize, col: usize) -> Option<Node> {
        let line = &self.lines[i];
        let text = &line.raw[col..];
        let end = text.find(']')?;
        if !only_comment(&text[end + 1..]) {
            return None;
        }
        let mut items = Vec::new();
        for (off, item) in flow_parts(&text[1..end], col + 1)? {
            if items.len() == limits::MAX_LIST_ITEMS {
                return None;
            }
            items.push(flow_scalar(item, line.pos(off), line.start + off)?);
            self.count()?;
        }
        let at = line.start + col;
        Some(Node::new(
            Kind::Seq(items),
            line.pos(col),
            Some((at, at + 1)),
        ))
    }

    /// `{a: 1, b: two}` on one line, of plain keys and values.
    fn flow_map(&self, i: usize, col: usize) -> Option<Node> {
        let line = &self.lines[i];
        let text = &line.raw[col..];
        let end = text.find('}')?;
        if !only_comment(&text[end + 1..]) {
            return None;
        }
        let mut pairs = Vec::new();
        let inner = &text[1..end];
        let mut offset = col + 1;
        if !inner.trim().is_empty() {
            for part in inner.split(',') {
                let (k, v) = part.split_once(": ")?;
                let (k_off, key) = flow_item(k, offset)?;
                let (v_off, value) = flow_item(v, offset + k.len() + 2)?;
                let key = plain(key, line.pos(k_off), line.start + k_off)?;
                let value = flow_scalar(value, line.pos(v_off), line.start + v_off)?;
                self.count()?;
                self.count()?;
                pairs.push((key, value));
                offset += part.len() + 1;
            }
        }
        if has_duplicate_keys(&pairs) {
            return None;
        }
        let at = line.start + col;
        Some(Node::new(
            Kind::Map(pairs),
            line.pos(col),
            Some((at, at + 1)),
        ))
    }
}

/// The items of a one-line flow list (`inner` is between the brackets and
/// starts at byte `offset` of its line), with their byte offsets.
fn flow_parts(inner: &str, mut offset: usize) -> Option<Vec<(usize, &str)>> {
    let mut out = Vec::new();
    if inner.trim().is_empty() {
        return Some(out);
    }
    for part in inner.split(',') {
        out.push(flow_item(part, offset)?);
        offset += part.len() + 1;
    }
    Some(out)
}

/// One item of a flow collection, trimmed, with its byte offset; `None`
/// for anything but a simple plain or quoted scalar.
fn flow_item(part: &str, offset: usize) -> Option<(usize, &str)> {
    let lead = part.len() - part.trim_start_matches(' ').len();
    let item = part.trim_matches(' ');
    let quoted = |q: char| {
        item.len() >= 2
            && item.starts_with(q)
            && item.ends_with(q)
            && !item[1..item.len() - 1].contains([q, '\\'])
    };
    let simple = !item.is_empty()
        && (quoted('"')
            || quoted('\'')
            || !item.contains(['[', '{', ']', '}', '#', ':', '"', '\'', '&', '*', '!']));
    simple.then_some((offset + lead, item))
}

/// A flow item: quoted (text) or plain.
fn flow_scalar(item: &str, pos: Pos, at: usize) -> Option<Node> {
    if item.starts_with(['"', '\'']) {
        let inner = item[1..item.len() - 1].to_string();
        return Some(Node::new(
            Kind::Str(inner),
            pos,
            Some((at, at + item.len())),
        ));
    }
    plain(item, pos, at)
}

/// The key of `key: rest` or `key:`; `None` when the line is no simple
/// mapping entry.
fn key_split(text: &str) -> Option<&str> {
    let text = text.trim_end_matches(' ');
    let colon = match text.find(": ") {
        Some(c) => c,
        None if text.ends_with(':') => text.len() - 1,
        None => return None,
    };
    let key = &text[..colon];
    let simple = !key.is_empty()
        && !key.ends_with(' ')
        && !key.contains(" #")
        && !key.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ]);
    simple.then_some(key)
}

/// Nothing but spaces and perhaps a comment.
fn only_comment(rest: &str) -> bool {
    let t = rest.trim_start_matches(' ');
    t.is_empty() || (t.starts_with('#') && (t.len() < rest.len()))
}

/// `'it''s'` at the start of `text`: the value and the byte after it.
fn single_quoted(text: &str) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, c)| *c == '\'') {
                chars.next();
                value.push('\'');
            } else {
                return Some((value, i + 1));
            }
        } else {
            value.push(c);
        }
    }
    None
}

/// A plain scalar, typed as serde-saphyr types it, or `None` when unsure
/// or when it starts with a character YAML gives another meaning.
fn plain(text: &str, pos: Pos, at: usize) -> Option<Node> {
    let first = text.chars().next()?;
    if "?:,[]{}#&*!|>'\"%@`".contains(first) || (first == '-' && text.len() == 1) {
        return None;
    }
    if text.starts_with("- ") {
        return None;
    }
    let kind = resolve(Cow::Borrowed(text), ScalarStyle::Plain)?;
    Some(Node::new(kind, pos, Some((at, at + text.len()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line reader must give exactly what serde-saphyr gives, or
    /// nothing.
    fn agrees(text: &str) -> bool {
        super::super::same_as_reference(parse(text), text)
    }

    #[test]
    fn register_yaml_is_read_line_by_line_and_agrees() {
        for t in [
            "a: 1\n",
            "title: Quoted\nowner: IT Operations\nn2: -3\nf: 12.50\nz: 0\nd: 2026-01-02\n",
            "k:\nx: 1\n",
            "k:   # note\n  # c\nx: 1\n",
            "s:\n  - a\n  - b\n",
            "s:\n- a\n- b\nt: 1\n",
            "- x: 1\n  z: 2\n- x: 3\n",
            "d: |\n  hi\n\n  there\n",
            "d: |-\n  hi\n\n",
            "d: |+\n  hi\n\n",
            "d: |\n  - a\n    - b\n  # not a comment\nn2: 1\n",
            "f: [a, b, A.5.15]\ng: []\nh: [A.7.7, \"10.2\", '9.1']\n",
            "m: {date: 2026-02-01, value: 4.5}\n",
            "q: \"x: y\"\ne: ''\ns: 'it''s' # c\n",
            "h:\n  - date: 2026-01-01\n    status: open\n    note: x\n  - date: 2026-02-01\n",
            "url: https://intranet.example/x\nc: 6.1.3\nb: true\n",
            "- \n  a: 1\n",
        ] {
            assert!(agrees(t), "expected the line reader for {t:?}");
        }
    }

    #[test]
    fn anything_else_is_left_to_the_parsers() {
        for t in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "a: b\n  c\n",
            "a: >\n  x\n",
            "a: \"x\\ty\"\n",
            "a:\tb\n",
            "a: [\n  b]\n",
            "---\na: 1\n",
            "",
            "a: b: c\n",
            "a: |\n\n  x\n",
            "a: |2\n  x\n",
            "  a: 1\n",
            "? a\n: b\n",
            "a: 1\r\n",
        ] {
            assert!(!agrees(t), "expected the parsers for {t:?}");
        }
    }
}
