//! The register as data: `register.csv` for spreadsheets, `register.json`
//! for tools. Both use the normalised slugs (`in-progress`), so a filter or
//! pivot on them works whatever spelling the author used.

use crate::compute::rollup::{EntryFacts, Rollups};
use crate::model::Enumerated;
use crate::model::schema::{CsvColumn, JsonField, Value, csv_columns, json_fields};
use crate::model::spreadsheet::needs_guard;
use crate::model::*;
use crate::output::pieces::{Key, Pieces, Spliced};
use crate::output::sink::{Out, RenderError};
use serde::Serialize;
use std::io::Write;

/// The header row of `register.csv` (import reads our own file back).
pub fn csv_headers() -> Vec<&'static str> {
    csv_columns()
        .into_iter()
        .map(|(_, header)| header)
        .collect()
}

fn cell(s: &str) -> String {
    if needs_guard(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

pub fn csv(reg: &Register, facts: &[EntryFacts], out: &mut dyn Write) -> std::io::Result<()> {
    let pieces = Pieces::default();
    let mut w = pieces.writer(CSV, out);
    write_csv(reg, facts, &mut w, &|_| None)
}

/// Where the CSV export goes in the output folder.
pub const CSV: &str = "register.csv";
/// Where the JSON export goes.
pub const JSON: &str = "register.json";
/// Every export made of per-entry pieces ([`Pieces`]): these two and the
/// OSCAL POA&M.
pub const PIECED: [&str; 3] = [CSV, JSON, crate::output::oscal::PATH];

/// `register.csv` into `w`, each entry's row a piece under `key` (see
/// [`Pieces`]).
fn write_csv(
    reg: &Register,
    facts: &[EntryFacts],
    w: &mut Spliced,
    key: &dyn Fn(usize) -> Option<Key>,
) -> std::io::Result<()> {
    w.plain("\u{feff}".as_bytes())?; // BOM: Excel then reads UTF-8
    // One record at a time into a buffer: every field quoted, so each
    // row's bytes are the same whatever rows come before it.
    let mut builder = csv::WriterBuilder::new();
    builder
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always);
    let record = |fields: &mut dyn Iterator<Item = String>, into: &mut Vec<u8>| {
        let mut row = builder.from_writer(std::mem::take(into));
        row.write_record(fields)?;
        *into = row.into_inner().map_err(|e| e.into_error())?;
        std::io::Result::Ok(())
    };
    let columns = csv_columns();
    let mut header = Vec::new();
    record(&mut columns.iter().map(|(_, h)| h.to_string()), &mut header)?;
    w.plain(&header)?;
    for (i, (e, f)) in reg.entries.iter().zip(facts).enumerate() {
        w.piece(key(i), |buf| {
            let mut cells = columns
                .iter()
                .map(|(col, _)| cell(csv_cell(e, f, *col).trim_end()));
            record(&mut cells, buf)
        })?;
    }
    Ok(())
}

/// One cell of `register.csv`, by its column's name in the schema.
fn csv_cell(e: &Entry, f: &EntryFacts, column: CsvColumn) -> String {
    match column {
        CsvColumn::Overdue => if f.overdue { "yes" } else { "no" }.into(),
        CsvColumn::OriginalTarget => value_text(Value::Date(e.target_baseline)),
        CsvColumn::Field(field) => value_text(e.value(field)),
        CsvColumn::Sub(field, key) => sub_text(e.value(field), key),
        CsvColumn::Json(field) => json_text(e.value(field)),
    }
}

/// A nested field as `register.json` writes it, or an empty cell when the
/// entry has none.
fn json_text(v: Value) -> String {
    let empty = match &v {
        Value::History(h) => h.is_empty(),
        Value::Kpis(k) => k.is_empty(),
        Value::Links(l) => l.is_empty(),
        Value::Extra(x) => x.is_empty(),
        _ => true,
    };
    if empty {
        return String::new();
    }
    serde_json::to_string(&JsonValue(v)).unwrap_or_default()
}

/// A field's value as one cell: slugs for enumerations, ISO dates, lists
/// joined with `; ` as authors write them in a cell.
fn value_text(v: Value) -> String {
    let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    match v {
        Value::Text(t) | Value::Markdown(t) => t.unwrap_or("").into(),
        Value::Date(date) => d(date),
        Value::Enum(e) => e.map_or("", |(slug, _)| slug).into(),
        Value::List(items) => items.join("; "),
        Value::Ids(refs) => ids(refs),
        Value::Nonconformity(_)
        | Value::Effectiveness(_)
        | Value::History(_)
        | Value::Kpis(_)
        | Value::Links(_)
        | Value::Extra(_) => String::new(),
    }
}

/// A field of a nested mapping as one cell.
fn sub_text(v: Value, key: &str) -> String {
    let d = |d: chrono::NaiveDate| d.to_string();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    match (v, key) {
        (Value::Nonconformity(Some(n)), "ref") => n.reference.clone(),
        (Value::Nonconformity(Some(n)), "severity") => n.severity.slug().into(),
        (Value::Nonconformity(Some(n)), "requirement") => text(&n.requirement),
        (Value::Nonconformity(Some(n)), "raised") => d(n.raised),
        (Value::Nonconformity(Some(n)), "by") => text(&n.by),
        (Value::Nonconformity(Some(n)), "statement") => text(&n.statement),
        (Value::Effectiveness(Some(x)), "result") => x.result.slug().into(),
        (Value::Effectiveness(Some(x)), "date") => d(x.date),
        (Value::Effectiveness(Some(x)), "by") => text(&x.by),
        (Value::Effectiveness(Some(x)), "note") => text(&x.note),
        _ => String::new(),
    }
}

/// Ids as one cell, as `controls` and `tags` are written.
fn ids(refs: &[IdRef]) -> String {
    refs.iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Serialize)]
struct JsonNonconformity<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    severity: Severity,
    requirement: Option<&'a str>,
    raised: String,
    by: Option<&'a str>,
    statement: Option<&'a str>,
}

/// `effectiveness_review`: the effectiveness review but its result, which
/// `effectiveness` holds (as it always has, for the file's readers).
#[derive(Serialize)]
struct JsonReview<'a> {
    date: String,
    by: Option<&'a str>,
    note: Option<&'a str>,
}

/// A `history` record, as the YAML holds it: absent keys are `null`.
#[derive(Serialize)]
struct JsonHistory<'a> {
    date: String,
    status: Option<Status>,
    note: Option<&'a str>,
    target: Option<String>,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonMeasurement {
    date: String,
    value: f64,
}

#[derive(Serialize)]
struct JsonKpi<'a> {
    name: &'a str,
    unit: Option<&'a str>,
    baseline: Option<f64>,
    target: Option<f64>,
    direction: Direction,
    measurements: Vec<JsonMeasurement>,
}

/// A link with its `url` as written: `https://...` or `evidence/<file>`.
#[derive(Serialize)]
struct JsonLink<'a> {
    title: &'a str,
    url: std::borrow::Cow<'a, str>,
}

fn json_history(h: &HistoryRecord) -> JsonHistory<'_> {
    JsonHistory {
        date: h.date.to_string(),
        status: h.status,
        note: h.note.as_deref(),
        target: h.target.map(|d| d.to_string()),
        reason: h.reason.as_deref(),
    }
}

fn json_kpi(k: &Kpi) -> JsonKpi<'_> {
    JsonKpi {
        name: &k.name,
        unit: k.unit.as_deref(),
        baseline: k.baseline,
        target: k.target,
        direction: k.direction,
        measurements: k
            .measurements
            .iter()
            .map(|m| JsonMeasurement {
                date: m.date.to_string(),
                value: m.value,
            })
            .collect(),
    }
}

fn json_link(l: &Link) -> JsonLink<'_> {
    JsonLink {
        title: &l.title,
        url: match &l.target {
            LinkTarget::Web(url) => url.as_str().into(),
            LinkTarget::Evidence(rel) => format!("evidence/{rel}").into(),
        },
    }
}

/// An entry of `register.json`: the schema's JSON fields in their order,
/// each by name, then the computed ones where the schema puts them.
struct JsonEntry<'a> {
    e: &'a Entry,
    f: &'a EntryFacts,
    fields: &'a [JsonField],
}

impl Serialize for JsonEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.fields.len()))?;
        for field in self.fields.iter().copied() {
            match field {
                JsonField::Field(field) => {
                    map.serialize_entry(field.key(), &JsonValue(self.e.value(field)))?
                }
                JsonField::Computed("overdue") => {
                    map.serialize_entry("overdue", &self.f.overdue)?
                }
                JsonField::Computed("days_overdue") => {
                    map.serialize_entry("days_overdue", &self.f.days_overdue)?
                }
                JsonField::Computed("age_days") => {
                    map.serialize_entry("age_days", &self.f.age_days)?
                }
                JsonField::Computed("url") => {
                    map.serialize_entry("url", &format!("register/{}/index.html", self.e.id))?
                }
                JsonField::Computed("original_target") => map.serialize_entry(
                    "original_target",
                    &JsonValue(Value::Date(self.e.target_baseline)),
                )?,
                JsonField::Computed("effectiveness_review") => map.serialize_entry(
                    "effectiveness_review",
                    &self.e.effectiveness.as_ref().map(|x| JsonReview {
                        date: x.date.to_string(),
                        by: x.by.as_deref(),
                        note: x.note.as_deref(),
                    }),
                )?,
                JsonField::Computed(other) => map.serialize_entry(other, &())?,
            }
        }
        map.end()
    }
}

/// A field's value in `register.json`: `null` when absent, slugs for
/// enumerations, ISO dates, lists as arrays, `effectiveness` as its result
/// (the rest is `effectiveness_review`), and the nested mappings
/// (`history`, `kpis`, `links`, `extra`) in full, so `import` can give
/// back the YAML they came from.
struct JsonValue<'a>(Value<'a>);

impl Serialize for JsonValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Text(t) | Value::Markdown(t) => t.serialize(s),
            Value::Date(d) => d.map(|d| d.to_string()).serialize(s),
            Value::Enum(e) => e.map(|(slug, _)| slug).serialize(s),
            Value::List(items) => items.serialize(s),
            Value::Ids(refs) => s.collect_seq(refs.iter().map(|r| r.id.as_str())),
            Value::Effectiveness(x) => x.map(|x| x.result.slug()).serialize(s),
            Value::Nonconformity(n) => n
                .map(|n| JsonNonconformity {
                    reference: &n.reference,
                    severity: n.severity,
                    requirement: n.requirement.as_deref(),
                    raised: n.raised.to_string(),
                    by: n.by.as_deref(),
                    statement: n.statement.as_deref(),
                })
                .serialize(s),
            Value::History(h) => s.collect_seq(h.iter().map(json_history)),
            Value::Kpis(k) => s.collect_seq(k.iter().map(json_kpi)),
            Value::Links(l) => s.collect_seq(l.iter().map(json_link)),
            Value::Extra(x) => x.serialize(s),
        }
    }
}

#[derive(Serialize)]
struct JsonRegister<'a> {
    title: &'a str,
    organization: Option<&'a str>,
    created: Option<String>,
    responsible: Option<&'a str>,
    /// Where the site is published, when site.yaml says: a group view
    /// links entries from there.
    base_url: Option<&'a str>,
    as_of: String,
    last_updated: Option<String>,
    /// Entries published as redacted stubs for this audience; counts
    /// include them.
    restricted_stubs: usize,
    /// The dashboard's management figures, for group views.
    figures: crate::model::group::Figures,
    entries: Vec<JsonEntry<'a>>,
    rollups: &'a Rollups,
}

pub fn json(
    reg: &Register,
    facts: &[EntryFacts],
    rollups: &Rollups,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let pieces = Pieces::default();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut w = pieces.writer(JSON, &mut out);
    write_json(reg, facts, rollups, &mut w, &|_| None)?;
    out.flush()
}

/// `register.json` into `w`, each object of its `entries` list a piece
/// under `key` (see [`Pieces`]): the document as `serde_json` writes it
/// pretty, byte for byte (test `the_json_export_is_serde_json_s_pretty_text`).
fn write_json(
    reg: &Register,
    facts: &[EntryFacts],
    rollups: &Rollups,
    w: &mut Spliced,
    key: &dyn Fn(usize) -> Option<Key>,
) -> std::io::Result<()> {
    // The document with no entries, then the entries put in its list.
    let doc = serde_json::to_vec_pretty(&json_document(reg, rollups, Vec::new()))?;
    let list = b"\n  \"entries\": []";
    let at = doc
        .windows(list.len())
        .position(|w| w == list)
        .ok_or_else(|| std::io::Error::other("register.json: no entries list"))?
        + list.len()
        - 2;
    w.plain(&doc[..at])?;
    let fields = json_fields();
    if reg.entries.is_empty() {
        w.plain(b"[]")?;
    }
    for (i, (e, f)) in reg.entries.iter().zip(facts).enumerate() {
        w.plain(if i == 0 { b"[\n    " } else { b",\n    " })?;
        w.piece(key(i), |buf| {
            let entry = JsonEntry {
                e,
                f,
                fields: &fields,
            };
            // Two levels down in the document, written there: made at
            // the top level and indented line by line, the entries took a
            // second pass over 55 MB at 10,000 entries (issue 27).
            let mut ser = serde_json::Serializer::with_formatter(buf, Indented::at(2));
            Ok(entry.serialize(&mut ser)?)
        })?;
    }
    if !reg.entries.is_empty() {
        w.plain(b"\n  ]")?;
    }
    w.plain(&doc[at + 2..])?;
    w.plain(b"\n")
}

/// serde_json's pretty text (two spaces a level) of a value that starts
/// `level` levels down in a document: what `to_vec_pretty` writes, each
/// line break followed by the indentation of those levels too.
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    fn at(level: usize) -> Indented {
        Indented {
            level,
            has_value: false,
        }
    }

    fn line<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `register.json`'s document around `entries`.
fn json_document<'a>(
    reg: &'a Register,
    rollups: &'a Rollups,
    entries: Vec<JsonEntry<'a>>,
) -> JsonRegister<'a> {
    JsonRegister {
        title: &reg.site.title,
        organization: reg.site.organization.as_deref(),
        created: reg.site.created.map(|d| d.to_string()),
        responsible: reg.site.responsible.as_deref(),
        as_of: rollups.as_of.to_string(),
        last_updated: rollups.last_updated.map(|d| d.to_string()),
        restricted_stubs: reg.restricted_stubs,
        base_url: reg.site.base_url.as_deref(),
        figures: crate::compute::figures::of(reg, rollups),
        entries,
        rollups,
    }
}

/// `register.csv` as one CSV writer writes every row: what [`write_csv`]
/// must give.
#[cfg(test)]
pub(crate) fn csv_whole(reg: &Register, facts: &[EntryFacts]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(&mut out);
    let columns = csv_columns();
    w.write_record(columns.iter().map(|(_, header)| header))
        .unwrap();
    for (e, f) in reg.entries.iter().zip(facts) {
        let record = columns.iter().map(|(col, _)| csv_cell(e, f, *col));
        w.write_record(record.map(|s| cell(s.trim_end()))).unwrap();
    }
    drop(w);
    out
}

/// `register.json` as `serde_json` writes the whole document pretty: what
/// [`write_json`] must give.
#[cfg(test)]
pub(crate) fn json_whole(reg: &Register, facts: &[EntryFacts], rollups: &Rollups) -> Vec<u8> {
    let fields = json_fields();
    let entries = reg
        .entries
        .iter()
        .zip(facts)
        .map(|(e, f)| JsonEntry {
            e,
            f,
            fields: &fields,
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&json_document(reg, rollups, entries)).unwrap();
    out.push(b'\n');
    out
}

/// `register.csv`.
pub struct Csv;

impl crate::output::Output for Csv {
    fn name(&self) -> &'static str {
        "register.csv"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        out.write_with(CSV, |w| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
            let mut pieces = i.pieces.writer(CSV, &mut out);
            write_csv(i.register, i.facts, &mut pieces, &|n| i.piece_key(CSV, n))?;
            pieces.finish();
            out.flush()
        })?;
        Ok(1)
    }
}

/// `register.json`.
pub struct Json;

impl crate::output::Output for Json {
    fn name(&self) -> &'static str {
        "register.json"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        out.write_with(JSON, |w| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
            let mut pieces = i.pieces.writer(JSON, &mut out);
            let key = |n| i.piece_key(JSON, n);
            write_json(i.register, i.facts, i.rollups, &mut pieces, &key)?;
            pieces.finish();
            out.flush()
        })?;
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn every_formula_start_is_neutralised() {
        for risky in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-1+2",
            "-3",
            "- a bullet",
            "- 2+3+cmd|' /C calc'!A0",
            " =1+1",
            "\n=1+1",
            "\u{3000}@SUM(A1)",
            "\u{ff1d}1+1",
            "\u{ff0b}1",
            "\u{ff0d}1",
            "\u{ff20}SUM(A1)",
            "\tplain",
            "\rplain",
            "'=1",
        ] {
            assert_eq!(cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["plain", "a=b", " plain", "'quoted'", "", "2025-01-01"] {
            assert_eq!(cell(plain), plain, "{plain:?}");
        }
    }
}
