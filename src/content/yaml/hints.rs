//! Syntax errors in the author's terms. The parser words a mistake as it
//! meets it ("mapping values are not allowed in this context", "did not
//! find expected '-' indicator"), often a line after the mistake. Most
//! syntax errors in a register file are one of three things: a line
//! indented to the wrong column, a tab in the indentation, or a quote
//! never closed. Each is recognised from the text around the error and
//! reported where it is, with what to write instead.

use super::SyntaxError;
use crate::model::diag::Pos;

/// The error as the author should read it; `e` when nothing fits better.
pub(super) fn explain(text: &str, e: SyntaxError) -> SyntaxError {
    let lines: Vec<&str> = text.lines().collect();
    tab(&lines, &e)
        .or_else(|| quote(&e))
        .or_else(|| indentation(&lines, &e))
        .or_else(|| colon_in_value(&lines, &e))
        .unwrap_or(e)
}

/// A tab in a line's indentation, at or just after the error.
fn tab(lines: &[&str], e: &SyntaxError) -> Option<SyntaxError> {
    let last = (e.pos.line as usize).min(lines.len());
    let from = last.saturating_sub(1).max(1);
    (from..=last + 1).find_map(|n| {
        let line = lines.get(n - 1)?;
        let indent = &line[..line.len() - line.trim_start().len()];
        let at = indent.find('\t')?;
        Some(SyntaxError {
            pos: Pos::new(n as u32, at as u32 + 1),
            message: "YAML syntax: a tab in the indentation".into(),
            hint: "YAML indents with spaces only: replace the tab with spaces".into(),
        })
    })
}

fn quote(e: &SyntaxError) -> Option<SyntaxError> {
    e.message.contains("unclosed quote").then(|| SyntaxError {
        pos: e.pos,
        message: "YAML syntax: this quote is never closed".into(),
        hint:
            "end the text with the same quote mark, or leave the quotes out: YAML text needs none"
                .into(),
    })
}

/// `title: Audit: access rights`: the second `: ` starts a key in YAML.
fn colon_in_value(lines: &[&str], e: &SyntaxError) -> Option<SyntaxError> {
    if !e.message.contains("mapping values are not allowed") {
        return None;
    }
    let line = lines.get((e.pos.line as usize).checked_sub(1)?)?;
    let (key, value) = line.split_once(": ")?;
    let value = value.trim();
    let key = key.trim_start_matches([' ', '-']).trim();
    if key.is_empty() || !value.contains(": ") || value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(SyntaxError {
        pos: e.pos,
        message: "YAML syntax: `: ` inside a value starts another key".into(),
        hint: format!("put the value in quotes: {key}: \"{quoted}\""),
    })
}

/// Parser messages that, in a register file, mean a line is indented to
/// the wrong column.
const INDENTATION_SIGNS: &[&str] = &[
    "mapping values are not allowed",
    "did not find expected",
    "could not find expected ':'",
];

/// A line near the error whose indentation matches no open block, and
/// the column it belongs in.
fn indentation(lines: &[&str], e: &SyntaxError) -> Option<SyntaxError> {
    if !INDENTATION_SIGNS.iter().any(|s| e.message.contains(s)) {
        return None;
    }
    let err = (e.pos.line as usize).min(lines.len());
    let candidates = (err.saturating_sub(2).max(1)..=err).rev();
    candidates.into_iter().find_map(|n| misindented(lines, n))
}

/// Leading spaces; `None` for blank lines, comments and document markers.
fn indent_of(line: &str) -> Option<usize> {
    let body = line.trim_start_matches(' ');
    (!body.is_empty() && !body.starts_with('#') && !body.starts_with("---"))
        .then(|| line.len() - body.len())
}

/// The key a line starts with (after `- `), for naming a sibling.
fn key_of(line: &str) -> Option<&str> {
    let body = line.trim_start_matches([' ', '-']);
    body.split_once(':').map(|(k, _)| k.trim())
}

/// Checks line `n` (from 1) against the blocks open above it.
fn misindented(lines: &[&str], n: usize) -> Option<SyntaxError> {
    let line = lines.get(n.checked_sub(1)?)?;
    let ind = indent_of(line)?;
    // (indentation, line index) of each open block, innermost last.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut previous: Option<&str> = None;
    for (i, l) in lines.iter().enumerate().take(n - 1) {
        let Some(li) = indent_of(l) else { continue };
        if previous.is_some_and(opens_text_block) && open.last().is_some_and(|o| li > o.0) {
            continue;
        }
        while open.last().is_some_and(|o| o.0 > li) {
            open.pop();
        }
        match open.last_mut() {
            Some(top) if top.0 == li => top.1 = i,
            _ => open.push((li, i)),
        }
        if let Some(item) = l[li..].strip_prefix("- ") {
            let inner = li + 2 + (item.len() - item.trim_start().len());
            open.push((inner, i));
        }
        previous = Some(l);
    }
    let prev = previous?;
    let prev_ind = indent_of(prev)?;
    let opens_block = prev.trim_end().ends_with(':');
    if opens_text_block(prev) || (opens_block && ind > prev_ind) || open.iter().any(|o| o.0 == ind)
    {
        return None;
    }
    // The open block nearest in column; on a tie, the deeper one (the
    // line above is usually the sibling meant).
    let &(want, sibling) = open
        .iter()
        .min_by_key(|o| (o.0.abs_diff(ind), std::cmp::Reverse(o.0)))?;
    let sibling_key = key_of(lines[sibling]).filter(|k| !k.is_empty());
    let key = key_of(line).filter(|k| !k.is_empty());
    let item = line.trim_start().starts_with("- ");
    let hint = match (key, sibling_key) {
        (Some(k), Some(s)) if !item => {
            format!("start `{k}:` in column {}, as `{s}:` above it", want + 1)
        }
        _ if item => format!(
            "start this `- ` item in column {}, as the item above it",
            want + 1
        ),
        _ => format!("start this line in column {}", want + 1),
    };
    Some(SyntaxError {
        pos: Pos::new(n as u32, ind as u32 + 1),
        message: format!(
            "YAML syntax: this line is indented to column {}, which matches no field above it",
            ind + 1
        ),
        hint,
    })
}

/// `key: |` or `key: >-`: the lines below are text, indented as the
/// author likes.
fn opens_text_block(line: &str) -> bool {
    let value = line.split_once(": ").map_or("", |(_, v)| v.trim());
    value.starts_with('|') || value.starts_with('>')
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    fn err(text: &str) -> (u32, u32, String, String) {
        let e = parse(text, 0).unwrap_err();
        (e.pos.line, e.pos.column, e.message, e.hint)
    }

    #[test]
    fn a_line_indented_too_far_names_the_column_it_belongs_in() {
        assert_eq!(
            err("title: x\nidentified: 2025-01-10\n  status: planned\npriority: high\n"),
            (
                3,
                3,
                "YAML syntax: this line is indented to column 3, which matches no field above it"
                    .into(),
                "start `status:` in column 1, as `identified:` above it".into()
            )
        );
    }

    #[test]
    fn a_list_item_field_off_by_one() {
        assert_eq!(
            err("title: x\nlinks:\n  - title: a\n   url: https://x.example/\nstatus: planned\n"),
            (
                4,
                4,
                "YAML syntax: this line is indented to column 4, which matches no field above it"
                    .into(),
                "start `url:` in column 5, as `title:` above it".into()
            )
        );
        assert_eq!(
            err("history:\n  - date: 2025-01-10\n    status: planned\n   note: x\n").3,
            "start `note:` in column 5, as `status:` above it"
        );
    }

    #[test]
    fn list_items_and_colons_in_values() {
        assert_eq!(
            err("controls:\n  - A.5.15\n - A.8.8\n").3,
            "start this `- ` item in column 3, as the item above it"
        );
        assert_eq!(
            err("title: Audit: \"access\" rights\nstatus: planned\n"),
            (
                1,
                13,
                "YAML syntax: `: ` inside a value starts another key".into(),
                "put the value in quotes: title: \"Audit: \\\"access\\\" rights\"".into()
            )
        );
    }

    #[test]
    fn tabs_and_unclosed_quotes() {
        assert_eq!(
            err("title: x\nidentified: 2025-01-10\n\tstatus: planned\n"),
            (
                3,
                1,
                "YAML syntax: a tab in the indentation".into(),
                "YAML indents with spaces only: replace the tab with spaces".into()
            )
        );
        assert_eq!(
            err("title: \"x\nidentified: 2025-01-10\n"),
            (
                1,
                8,
                "YAML syntax: this quote is never closed".into(),
                "end the text with the same quote mark, or leave the quotes out: YAML text needs none".into()
            )
        );
    }
}
