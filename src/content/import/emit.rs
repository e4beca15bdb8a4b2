//! Writing YAML text. The project only reads YAML, and the few shapes an
//! imported entry needs (a mapping of scalars, lists of scalars, one nested
//! mapping) are easy to write by hand — provided every string comes back
//! as exactly that string. So: plain only when nothing could retype it,
//! literal blocks for multi-line Markdown, double quotes otherwise.

use crate::model::schema::{Kind, Sub};
use serde_json::Value as J;

/// Words YAML 1.1 or 1.2 reads as booleans or null when unquoted.
const RESERVED: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf",
];

/// Characters that a YAML file may not hold literally (outside the
/// printable set, or line breaks other than `\n`).
fn needs_escape(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && c != '\t' && c != '\n')
        || (0x7F..=0x9F).contains(&n)
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

/// A plain scalar is only written when it starts with a letter (so no
/// number, date, indicator or quote), is not a reserved word, and holds
/// nothing that ends or comments a plain scalar.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && !s.ends_with(|c: char| c.is_whitespace() || c == ':')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(|c| c == '\t' || c == '\n' || needs_escape(c))
        && !RESERVED.contains(&s.to_lowercase().as_str())
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if needs_escape(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One scalar on one line: plain where safe, else double-quoted.
pub fn scalar(s: &str) -> String {
    if plain_ok(s) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// A literal block keeps Markdown readable in the file. It is used for
/// multi-line text with something visible and nothing to escape.
fn block_ok(s: &str) -> bool {
    s.contains('\n') && !s.trim().is_empty() && !s.chars().any(|c| c == '\r' || needs_escape(c))
}

/// Appends `key: value` (at `indent` spaces) to `out`; returns the number
/// of lines written.
pub fn field(out: &mut String, indent: usize, key: &str, value: &str) -> usize {
    let pad = " ".repeat(indent);
    if !block_ok(value) {
        out.push_str(&format!("{pad}{}: {}\n", scalar(key), scalar(value)));
        return 1;
    }
    let body = value.trim_end_matches('\n');
    let chomp = match value.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    // An indentation indicator where the first text line starts with a
    // space, which the parser would otherwise take as the indentation.
    let first = body.lines().find(|l| !l.is_empty()).unwrap_or("");
    let indicator = if first.starts_with(' ') { "2" } else { "" };
    out.push_str(&format!("{pad}{}: |{indicator}{chomp}\n", scalar(key)));
    let mut lines = 1;
    for line in body.split('\n').chain(std::iter::repeat_n(
        "",
        (value.len() - body.len()).saturating_sub(1),
    )) {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}  {line}\n"));
        }
        lines += 1;
    }
    lines
}

/// Appends a list of scalars; returns the number of lines written.
pub fn list(out: &mut String, key: &str, items: &[String]) -> usize {
    out.push_str(&format!("{}:\n", scalar(key)));
    for item in items {
        out.push_str(&format!("  - {}\n", scalar(item)));
    }
    1 + items.len()
}

/// A value of isms-site's own `register.json` (a mapping, or a list of
/// them, as `history` or `kpis` hold) as the YAML it came from, under
/// `key` at `indent` spaces: the schema's keys in the schema's order,
/// then any others as given (the loader names them), `null`s left out.
/// Returns the number of lines written.
pub fn json(out: &mut String, indent: usize, key: &str, value: &J, kind: Kind) -> usize {
    let pad = " ".repeat(indent);
    match (value, kind) {
        (J::Null, _) => 0,
        (J::Object(map), _) => {
            out.push_str(&format!("{pad}{}:\n", scalar(key)));
            1 + mapping(out, indent + 2, map, subs(kind))
        }
        (J::Array(items), _) => {
            out.push_str(&format!("{pad}{}:\n", scalar(key)));
            let item_kind = match kind {
                Kind::RecordList(s) => Kind::Record(s),
                _ => Kind::Text,
            };
            1 + items
                .iter()
                .map(|item| list_item(out, indent + 2, item, item_kind))
                .sum::<usize>()
        }
        (J::String(s), Kind::Date) if crate::content::yaml::parse_date(s).is_some() => {
            out.push_str(&format!("{pad}{}: {s}\n", scalar(key)));
            1
        }
        (J::String(s), _) => field(out, indent, key, s),
        (J::Number(n), _) => {
            out.push_str(&format!("{pad}{}: {n}\n", scalar(key)));
            1
        }
        (J::Bool(b), _) => {
            out.push_str(&format!("{pad}{}: {b}\n", scalar(key)));
            1
        }
    }
}

fn subs(kind: Kind) -> &'static [Sub] {
    match kind {
        Kind::Record(s) | Kind::RecordList(s) => s,
        _ => &[],
    }
}

/// A mapping's fields at `indent`: those of `subs` in their order first.
fn mapping(
    out: &mut String,
    indent: usize,
    map: &serde_json::Map<String, J>,
    subs: &[Sub],
) -> usize {
    let known = subs
        .iter()
        .filter_map(|s| map.get(s.key).map(|v| (s.key, v, s.kind)));
    let others = map
        .iter()
        .filter(|(k, _)| !subs.iter().any(|s| s.key == k.as_str()))
        .map(|(k, v)| (k.as_str(), v, Kind::Text));
    known
        .chain(others)
        .map(|(k, v, kind)| json(out, indent, k, v, kind))
        .sum()
}

/// One item of a list at `indent`: `- ` and a mapping's first field on
/// its line, the others under it.
fn list_item(out: &mut String, indent: usize, item: &J, kind: Kind) -> usize {
    let pad = " ".repeat(indent);
    match item {
        J::Object(map) => {
            let mut body = String::new();
            let lines = mapping(&mut body, indent + 2, map, subs(kind));
            if lines == 0 {
                out.push_str(&format!("{pad}- {{}}\n"));
                return 1;
            }
            // The first field's indentation becomes the item's dash.
            out.push_str(&pad);
            out.push_str("- ");
            out.push_str(&body[indent + 2..]);
            lines
        }
        J::String(s) => {
            out.push_str(&format!("{pad}- {}\n", scalar(s)));
            1
        }
        J::Array(items) => {
            out.push_str(&format!("{pad}-\n"));
            1 + items
                .iter()
                .map(|i| list_item(out, indent + 2, i, Kind::Text))
                .sum::<usize>()
        }
        // Numbers, booleans and null as JSON writes them, which YAML reads
        // the same way (the loader says where a mapping was expected).
        other => {
            out.push_str(&format!("{pad}- {other}\n"));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml::{Kind, parse_syntax};

    /// Writes `value` under a key and reads it back with the project's own
    /// YAML reader: it must come back as the same text, as text.
    fn round_trip(value: &str) {
        let mut out = String::new();
        field(&mut out, 0, "k", value);
        let node =
            parse_syntax(&out, 0).unwrap_or_else(|e| panic!("{value:?} → {out:?}: {}", e.message));
        let Kind::Map(pairs) = &node.kind else {
            panic!("{out:?} is not a mapping")
        };
        assert_eq!(pairs.len(), 1, "{out:?}");
        match &pairs[0].1.kind {
            Kind::Str(s) => assert_eq!(s, value, "written as {out:?}"),
            other => panic!("{value:?} written as {out:?} came back as {other:?}"),
        }
    }

    #[test]
    fn strings_yaml_would_retype_are_quoted() {
        for s in [
            "no",
            "No",
            "yes",
            "on",
            "off",
            "y",
            "n",
            "true",
            "False",
            "null",
            "~",
            "123",
            "0x1F",
            "1e3",
            ".inf",
            "-.5",
            "2026-01-02",
            "10.1",
            "007",
            "- x",
            "a: b",
            "#x",
            "x #y",
            "a:",
            "? q",
            "[list]",
            "{map}",
            "*alias",
            "&anchor",
            "!tag",
            "|",
            ">",
            "@x",
            "`x",
            "%x",
            "'single'",
            "\"double\"",
            "trailing  ",
            "  leading",
            "tab\tinside",
            "",
            "back\\slash",
            "ünïcödé — “quotes”",
            "日本語",
            "😀 emoji",
            "---",
            "...",
            "a,b",
            "C#",
            "http://x.example/a#b",
            "bell\u{7}",
            "del\u{7f}",
            "nel\u{85}x",
            "ls\u{2028}x",
            "bom\u{feff}x",
            "cr\rx",
        ] {
            round_trip(s);
        }
    }

    #[test]
    fn multi_line_text_survives_as_written() {
        for s in [
            "line one\nline two",
            "ends with newline\n",
            "ends with two\n\n",
            "  indented first line\nsecond",
            "\nstarts with a newline",
            "- a bullet\n- another\n\n```\ncode: x # not a comment\n```\n",
            "trailing spaces   \nkept  ",
            "# heading\n\n---\n...\n",
            "tab\tin block\n\tstarting tab",
            "\n\n",
            "x\n  \ny",
        ] {
            round_trip(s);
        }
    }

    #[test]
    fn generated_strings_round_trip() {
        // Deterministic pseudo-random strings over YAML's sharp edges.
        let pieces = [
            "a", "1", " ", ":", "#", "-", "\n", "'", "\"", "\\", "[", "{", ",", "?", "é", "\t",
            "yes", "0", ".", "|", ">", "&", "*", "!", "%", "@", "`", "\u{85}", "~",
        ];
        let mut rng = crate::model::rng::XorShift::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..3000 {
            let mut s = String::new();
            let seed = rng.next_u64();
            let len = (seed % 7) as usize + 1;
            let mut x = seed;
            for _ in 0..len {
                s.push_str(pieces[(x % pieces.len() as u64) as usize]);
                x /= pieces.len() as u64;
            }
            round_trip(&s);
        }
    }

    /// The YAML a value of register.json becomes, read back as JSON.
    fn as_json(node: &crate::content::yaml::Node) -> J {
        match &node.kind {
            Kind::Null => J::Null,
            Kind::Bool(b) => J::Bool(*b),
            Kind::Int(i) => J::from(*i),
            Kind::Float(f) => J::from(*f),
            Kind::Str(s) => J::String(s.clone()),
            Kind::Seq(items) => J::Array(items.iter().map(as_json).collect()),
            Kind::Map(pairs) => J::Object(
                pairs
                    .iter()
                    .map(|(k, v)| match &k.kind {
                        Kind::Str(k) => (k.clone(), as_json(v)),
                        other => panic!("key {other:?}"),
                    })
                    .collect(),
            ),
        }
    }

    #[test]
    fn nested_json_comes_back_as_written() {
        use crate::model::schema::{Field, Kind as K};
        let history = serde_json::json!([
            {"note": "first line\nsecond: line\n", "date": "2025-01-02", "status": null},
            {"date": "2025-02-03", "reason": "  indented\nreason", "target": "2025-06-30"},
            {},
            {"odd": ["a", 1, true, null, ["b"]], "date": "2025-13-01"}
        ]);
        let extra = serde_json::json!({"Code": "1.10", "Flag": "yes", "x: #y": "- z"});
        for (key, value, kind) in [
            ("history", history, Field::History.spec().kind),
            ("extra", extra, K::FreeMap),
        ] {
            let mut out = String::new();
            let lines = json(&mut out, 0, key, &value, kind);
            assert_eq!(lines, out.lines().count(), "{out}");
            let node = parse_syntax(&out, 0).unwrap_or_else(|e| panic!("{out}: {}", e.message));
            let mut want = serde_json::Map::new();
            let mut value = value.clone();
            // `null`s are left out, as the YAML leaves them out.
            if let J::Array(items) = &mut value {
                for item in items {
                    if let J::Object(m) = item {
                        m.retain(|_, v| !v.is_null());
                    }
                }
            }
            want.insert(key.to_string(), value);
            let got = as_json(&node);
            let sorted = |v: &J| serde_json::to_string(&sort(v)).unwrap();
            assert_eq!(sorted(&got), sorted(&J::Object(want)), "written as:\n{out}");
        }
    }

    /// Key order aside (the schema's order comes first in the YAML).
    fn sort(v: &J) -> J {
        match v {
            J::Object(m) => {
                let mut pairs: Vec<_> = m.iter().map(|(k, v)| (k.clone(), sort(v))).collect();
                pairs.sort_by(|a, b| a.0.cmp(&b.0));
                J::Object(pairs.into_iter().collect())
            }
            J::Array(items) => J::Array(items.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
}
