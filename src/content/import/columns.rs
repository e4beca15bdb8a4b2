//! Which column is which field, and how a cell becomes a field's value.
//!
//! Column names are compared lower-cased with everything but letters and
//! digits dropped, so `Target Completion Date`, `target_completion_date`
//! and `TARGET COMPLETION DATE:` are the same column.

use super::read::{Cell, Row, excel_serial};
use crate::model::diag::{Diagnostics, Pos};
use crate::model::schema::{self, Choice, Field as S, Kind};
use crate::model::*;
use crate::model::{Enumerated, normalise};
use chrono::NaiveDate;
use std::path::Path;

/// A register field a column can fill: a field of the entry, or one of a
/// nested mapping's (`nonconformity.ref`), by its place there. Ordered as
/// import writes them: the schema's order, nested fields last and
/// together (see [`crate::model::schema::ENTRY`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldPath {
    top: S,
    sub: Option<u8>,
}

impl FieldPath {
    /// A field of the entry itself.
    pub const fn entry(top: S) -> FieldPath {
        FieldPath { top, sub: None }
    }

    /// Every field a column can fill: those the schema gives spreadsheet
    /// column names.
    pub fn all() -> Vec<FieldPath> {
        let mut out = Vec::new();
        for s in schema::ENTRY {
            if !s.import.is_empty() {
                out.push(FieldPath::entry(s.field));
            }
            for (i, sub) in schema::subs_of(s.field).iter().enumerate() {
                if sub.import.is_some() {
                    out.push(FieldPath {
                        top: s.field,
                        sub: Some(i as u8),
                    });
                }
            }
        }
        out
    }

    fn sub_spec(self) -> Option<&'static schema::Sub> {
        self.sub.map(|i| &schema::subs_of(self.top)[i as usize])
    }

    /// The field's name in YAML (and in `--map`).
    pub fn name(self) -> &'static str {
        match self.sub_spec() {
            Some(sub) => sub.import.map_or(sub.key, |(name, _)| name),
            None => self.top.key(),
        }
    }

    /// The mapping a field is written inside (`nonconformity`), and its
    /// key there; `None` for a field of the entry itself.
    pub fn nested(self) -> Option<(&'static str, &'static str)> {
        self.sub_spec().map(|sub| (self.top.key(), sub.key))
    }

    fn kind(self) -> Kind {
        self.sub_spec().map_or(self.top.spec().kind, |sub| sub.kind)
    }

    /// Whether the field's cells are dates.
    pub fn is_date(self) -> bool {
        matches!(self.kind(), Kind::Date | Kind::Completion)
    }

    pub fn required(self) -> bool {
        self.sub.is_none() && self.top.spec().required
    }

    /// Column names that mean this field, normalised (see the module doc).
    fn synonyms(self) -> &'static [&'static str] {
        match self.sub_spec() {
            Some(sub) => sub.import.map_or(&[], |(_, names)| names),
            None => self.top.spec().import,
        }
    }
}

/// Columns of `register.csv` that isms-site computes at build time: read
/// back, they would freeze a figure that depends on the day.
const COMPUTED: &[&str] = &["overdue", "daysoverdue", "age", "agedays"];

/// Column names of the target as first agreed (our own `register.csv`'s
/// "Original Target Date"), beside the target now.
const ORIGINAL_TARGET: &[&str] = &[
    "originaltargetdate",
    "originaltarget",
    "baselinetarget",
    "firsttargetdate",
];

/// The entry field whose value in isms-site's own `register.json` is a
/// mapping or a list of mappings, read as it is (see
/// [`Target::Nested`]).
pub fn nested_field(header: &str) -> Option<S> {
    let f = S::from_key(header)?;
    matches!(
        f.spec().kind,
        Kind::Record(_) | Kind::RecordList(_) | Kind::FreeMap
    )
    .then_some(f)
}

/// The field a column of isms-site's own `register.csv` holds as JSON
/// text (see [`schema::CSV_JSON`]).
fn json_column(header: &str) -> Option<S> {
    schema::CSV_JSON
        .iter()
        .find(|(_, _, h)| *h == header)
        .map(|(_, f, _)| *f)
}

/// How isms-site's own `register.csv` starts (later versions add columns
/// after these, never before): such a sheet is read back as it was
/// written, ids included.
pub fn own_export_headers() -> Vec<&'static str> {
    schema::csv_columns()
        .into_iter()
        .take(crate::model::spreadsheet::FIRST_REGISTER_CSV_COLUMNS)
        .map(|(_, header)| header)
        .collect()
}

/// The header row of our own `register.csv`.
pub fn is_own_export(header: &Row) -> bool {
    let own = own_export_headers();
    header.cells.len() >= own.len()
        && own
            .iter()
            .zip(&header.cells)
            .all(|(want, c)| matches!(c, Cell::Text(t) if t.trim() == *want))
}

/// The field whose name or column names are nearest to `header`, for a
/// `--map` suggestion.
fn nearest_field(header: &str) -> Option<FieldPath> {
    let n = normalise_header(header);
    FieldPath::all()
        .into_iter()
        .flat_map(|f| f.synonyms().iter().map(move |s| (f, *s)))
        .map(|(f, s)| (strsim::jaro_winkler(&n, s), f))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, f)| f)
}

/// Where a column's cells go.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Field(FieldPath),
    /// `extra` (a custom column), keyed by the column's name.
    Extra,
    /// A field of isms-site's own `register.json` that holds a mapping or
    /// a list of them (`history`, `kpis`, `nonconformity`, ...), or one
    /// of its own `register.csv`'s JSON columns: written back as YAML of
    /// the same shape, not read as a cell.
    Nested(S),
    /// The target as first agreed: with a later "Target Completion Date"
    /// it becomes `target`, and the later one a history record.
    OriginalTarget,
    Ignore,
}

/// How to read day/month dates such as `03/04/2025`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// YYYY-MM-DD (and YYYY/MM/DD) and Excel serials; day/month dates in the order a date in
    /// the sheet decides, if one does
    Iso,
    /// Day first: 31/01/2025, 31.01.2025
    Dmy,
    /// Month first: 01/31/2025
    Mdy,
}

/// A column name, normalised: lower case, letters and digits only (`#`
/// is kept when it is all there is).
pub fn normalise_header(s: &str) -> String {
    let n: String = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if n.is_empty() && s.contains('#') {
        "#".into()
    } else {
        n
    }
}

/// Parses `--map "Column Name=field"`.
pub fn parse_map(s: &str) -> Result<(String, Target), String> {
    let (column, field) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("`{s}` is not COLUMN=field, e.g. \"Action Owner=owner\""))?;
    let column = column.trim();
    if column.is_empty() {
        return Err(format!("`{s}` names no column before `=`"));
    }
    let f = field.trim().to_lowercase();
    let target = match f.as_str() {
        "ignore" | "skip" => Target::Ignore,
        "extra" => Target::Extra,
        _ => Target::Field(
            FieldPath::all()
                .into_iter()
                .find(|x| x.name() == f)
                .ok_or_else(|| {
                    let names: Vec<&str> = FieldPath::all().iter().map(|x| x.name()).collect();
                    format!(
                        "unknown field `{}`; use one of: {}, extra, ignore",
                        field.trim(),
                        names.join(", ")
                    )
                })?,
        ),
    };
    Ok((column.to_string(), target))
}

/// A header cell and where its column goes.
pub struct Column {
    /// Position in the row's cells.
    pub index: usize,
    /// The column's name as written, for messages and `extra` keys.
    pub header: String,
    pub target: Target,
}

fn recognise(header: &str, maps: &[(String, Target)]) -> Option<Target> {
    let n = normalise_header(header);
    if let Some((_, t)) = maps
        .iter()
        .find(|(c, _)| c == header.trim())
        .or_else(|| maps.iter().find(|(c, _)| normalise_header(c) == n))
    {
        return Some(t.clone());
    }
    if ORIGINAL_TARGET.contains(&n.as_str()) {
        return Some(Target::OriginalTarget);
    }
    FieldPath::all()
        .into_iter()
        .find(|f| f.synonyms().contains(&n.as_str()))
        .map(Target::Field)
}

/// How many rows from the top may precede the header (a title block).
const HEADER_SEARCH: usize = 20;

/// Finds the header row (the first with two or more known column names)
/// and plans each column; reports what makes the sheet unusable.
/// `own_export` says the file is known to be our own export; the header
/// row can also say so. Returns the header row's index, the columns and
/// whether the sheet is our own export.
/// The longest custom column name import writes, as the YAML key it
/// becomes (quotes and escapes counted): YAML refuses an implicit key over
/// 1,024 characters, and the loader reads back what import writes.
const MAX_EXTRA_KEY: usize = 1_000;

pub fn plan(
    rows: &[Row],
    maps: &[(String, Target)],
    own_export: bool,
    file: &Path,
    diags: &mut Diagnostics,
) -> Option<(usize, Vec<Column>, bool)> {
    let header_text = |c: &Cell| cell_text(c).ok().flatten().map(|t| t.trim().to_string());
    let found = rows.iter().take(HEADER_SEARCH).position(|r| {
        r.cells
            .iter()
            .filter_map(header_text)
            .filter(|h| matches!(recognise(h, maps), Some(Target::Field(_))))
            .count()
            >= 2
    });
    let Some(at) = found else {
        diags
            .error(file, Pos::START, "no header row with known column names in the first 20 rows")
            .hint("name the columns as in the classic register (#, Improvement Opportunity, Description, Identification Date, Status, Priority, Action Owner, Target Completion Date, Results/Outcomes), or map yours to fields with --map, e.g. --map \"Finding=title\" --map \"Raised=identified\"");
        return None;
    };
    let row = &rows[at];
    // Only register.json holds mappings; a sheet's cells are flat.
    let from_json = own_export;
    let own_export = own_export || is_own_export(row);
    let mut cols: Vec<Column> = Vec::new();
    let mut ok = true;
    for (index, cell) in row.cells.iter().enumerate() {
        let Some(header) = header_text(cell).filter(|h| !h.is_empty()) else {
            continue;
        };
        let pos = Pos::new(row.number, row.column(index));
        let nested = match from_json {
            true => nested_field(&header),
            false => own_export.then(|| json_column(&header)).flatten(),
        };
        let target = match nested
            .map(Target::Nested)
            .or_else(|| recognise(&header, maps))
        {
            Some(t) => t,
            None if COMPUTED.contains(&normalise_header(&header).as_str()) && own_export => {
                Target::Ignore
            }
            None if COMPUTED.contains(&normalise_header(&header).as_str()) => {
                diags
                    .warning(file, pos, format!("column `{header}` is computed at build time; not imported"))
                    .hint("an effectiveness review needs a date and result: add `effectiveness:` to the entry by hand");
                Target::Ignore
            }
            None if super::emit::scalar(&header).chars().count() > MAX_EXTRA_KEY => {
                let start: String = header.chars().take(40).collect();
                diags
                    .error(
                        file,
                        pos,
                        format!(
                            "column `{start}…` is {} characters long, too long for a custom column's name",
                            header.chars().count()
                        ),
                    )
                    .hint(format!(
                        "a custom column becomes a key under `extra`, and YAML keys hold at most {MAX_EXTRA_KEY} characters: shorten the header in the sheet, or map the column to a field with --map"
                    ));
                ok = false;
                Target::Ignore
            }
            None => {
                diags
                    .warning(file, pos, format!("column `{header}` is not a register field; imported as a custom column under `extra`"))
                    .hint(unknown_column_hint(&header));
                Target::Extra
            }
        };
        let clash = cols.iter().find(|c| match (&c.target, &target) {
            (Target::Field(a), Target::Field(b)) => a == b,
            (Target::Extra, Target::Extra) => normalise(&c.header) == normalise(&header),
            (Target::OriginalTarget, Target::OriginalTarget) => true,
            _ => false,
        });
        if let Some(first) = clash {
            let what = match &target {
                Target::Field(f) => format!("`{}`", f.name()),
                Target::OriginalTarget => "the original target".into(),
                _ => "the same custom column".into(),
            };
            diags
                .error(
                    file,
                    pos,
                    format!("columns `{}` and `{header}` both give {what}", first.header),
                )
                .hint(format!(
                    "use --map \"{header}=ignore\", or map one of them to another field"
                ));
            ok = false;
        }
        cols.push(Column {
            index,
            header,
            target,
        });
    }
    for (name, _) in maps {
        let known = cols
            .iter()
            .any(|c| c.header == *name || normalise_header(&c.header) == normalise_header(name));
        if !known {
            let headers: Vec<&str> = cols.iter().map(|c| c.header.as_str()).collect();
            diags
                .error(
                    file,
                    Pos::new(row.number, 1),
                    format!("--map names column `{name}`, which is not in the header row"),
                )
                .hint(format!(
                    "columns in row {}: {}",
                    row.number,
                    headers.join(", ")
                ));
            ok = false;
        }
    }
    without_review_date(&mut cols, row, file, diags);
    for f in FieldPath::all().into_iter().filter(|f| f.required()) {
        if !cols.iter().any(|c| c.target == Target::Field(f)) {
            diags
                .error(
                    file,
                    Pos::new(row.number, 1),
                    format!("no column gives `{}`, which every entry needs", f.name()),
                )
                .hint(missing_column_hint(f, &cols));
            ok = false;
        }
    }
    ok.then_some((at, cols, own_export))
}

/// Effectiveness columns without a column for the review's date are left
/// out, with a warning: a review needs its date, and a sheet that only
/// rates effectiveness (as many do) still imports, as it did before
/// `register.csv` carried the date.
fn without_review_date(cols: &mut [Column], header: &Row, file: &Path, diags: &mut Diagnostics) {
    let review = |c: &Column| matches!(c.target, Target::Field(f) if f.top == S::Effectiveness);
    let dated = cols
        .iter()
        .any(|c| matches!(c.target, Target::Field(f) if f.top == S::Effectiveness && f.is_date()));
    if dated {
        return;
    }
    for c in cols.iter_mut().filter(|c| review(c)) {
        diags
            .warning(
                file,
                Pos::new(header.number, header.column(c.index)),
                format!("column `{}` is part of an effectiveness review, but no column gives its date; not imported", c.header),
            )
            .hint(format!(
                "add an \"Effectiveness Date\" column with the reviews' dates; to leave this column out: --map \"{}=ignore\"",
                c.header.replace('"', "")
            ));
        c.target = Target::Ignore;
    }
}

/// Both suggestions can be pasted as they are.
fn unknown_column_hint(header: &str) -> String {
    let quoted = header.replace('"', "");
    match nearest_field(header) {
        Some(f) => format!(
            "to read it as `{}`: --map \"{quoted}={}\"; to leave it out: --map \"{quoted}=ignore\"",
            f.name(),
            f.name()
        ),
        None => format!("to leave it out: --map \"{quoted}=ignore\""),
    }
}

/// A custom column that may hold the missing field, else the classic
/// column name to add.
fn missing_column_hint(f: FieldPath, cols: &[Column]) -> String {
    let candidate = cols
        .iter()
        .filter(|c| c.target == Target::Extra)
        .map(|c| {
            let n = normalise_header(&c.header);
            let score = f
                .synonyms()
                .iter()
                .map(|s| strsim::jaro_winkler(&n, s))
                .fold(0.0, f64::max);
            (score, c)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c);
    // The published register.csv's header, which import reads back.
    let classic = f.top.spec().csv.map_or(f.name(), |(_, header)| header);
    match candidate {
        Some(c) => format!(
            "if column `{}` holds it: --map \"{}={}\"; else add a column named `{classic}`",
            c.header,
            c.header.replace('"', ""),
            f.name()
        ),
        None => format!("add a column named `{classic}`"),
    }
}

/// A spreadsheet column's letters: 1 → A, 27 → AA.
pub fn column_letters(mut n: u32) -> String {
    let mut letters = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        letters.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The order a `d/m/yyyy` or `m/d/yyyy` text can only be read in: day
/// first when its first number is over 12, month first when its second is.
fn only_order(text: &str) -> Option<DateFormat> {
    let parts: Vec<&str> = text.trim().split(['/', '.', '-']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || a.len() > 2 || b.len() > 2 {
        return None;
    }
    let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    match (a, b) {
        (13..=31, 1..=12) => Some(DateFormat::Dmy),
        (1..=12, 13..=31) => Some(DateFormat::Mdy),
        _ => None,
    }
}

/// How the sheet's day/month dates must be read, when a date in one of
/// its date columns can only be read one way and none the other way: the
/// order, and the line that says so and which cell decided it. A sheet
/// comes from one spreadsheet's locale, so one cell decides for all of
/// its date columns.
pub fn infer_date_order(rows: &[Row], cols: &[Column]) -> Option<(DateFormat, String)> {
    let mut first: [Option<(String, u32, u32, &str)>; 2] = [None, None];
    for row in rows {
        for col in cols {
            let Target::Field(f) = col.target else {
                continue;
            };
            if !f.is_date() {
                continue;
            }
            let Some(Cell::Text(t)) = row.cells.get(col.index) else {
                continue;
            };
            let slot = match only_order(t) {
                Some(DateFormat::Dmy) => 0,
                Some(DateFormat::Mdy) => 1,
                _ => continue,
            };
            if first[slot].is_none() {
                first[slot] = Some((
                    t.trim().to_string(),
                    row.number,
                    row.column(col.index),
                    &col.header,
                ));
            }
        }
    }
    let (format, (text, row, column, header), name, other) = match first {
        [Some(d), None] => (DateFormat::Dmy, d, "day-first (31/01/2025)", "mdy"),
        [None, Some(m)] => (DateFormat::Mdy, m, "month-first (01/31/2025)", "dmy"),
        _ => return None,
    };
    let cell = format!("{}{row}", column_letters(column));
    Some((
        format,
        format!(
            "dates read {name}: `{text}` in {header} ({cell}) can only be read that way; --date-format {other} reads them the other way"
        ),
    ))
}

/// A converted cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    List(Vec<String>),
}

/// Whole numbers as a spreadsheet shows them (`7`, not `7.0`).
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// A cell as text (`None` when empty); a formula error is an error.
pub fn cell_text(cell: &Cell) -> Result<Option<String>, String> {
    Ok(match cell {
        Cell::Empty => None,
        Cell::Text(s) => Some(s.replace("\r\n", "\n").replace('\r', "\n")),
        Cell::Number(n) => Some(number_text(*n)),
        Cell::Date(d) => Some(d.to_string()),
        Cell::Bool(b) => Some(b.to_string()),
        Cell::BadDate(s) => Some(s.clone()),
        Cell::Error(e) => return Err(e.clone()),
        // Written back whole (see `Target::Nested`), never as one cell.
        Cell::Json(_) => None,
    }
    .filter(|s| !s.trim().is_empty()))
}

/// Template text left in a cell: `[Insert Date]`, `<owner name>`,
/// `[dd/mm/yyyy]`, `TBD`, `N/A`. Brackets count only around words (letters,
/// spaces, `/`, `.`, `-`), so `[a, b]` or `<x@y>` stay text.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    let bracketed = |open: char, close: char| {
        t.len() > 2
            && t.starts_with(open)
            && t.ends_with(close)
            && t[1..t.len() - 1]
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, ' ' | '/' | '.' | '-'))
    };
    bracketed('[', ']')
        || bracketed('<', '>')
        || matches!(
            t.to_lowercase().as_str(),
            "tbd" | "tbc" | "tba" | "n/a" | "na" | "-" | "--" | "—" | "–" | "?" | "..." | "…"
        )
}

/// The number of a `CI-<n>` id, to continue numbering after it.
pub fn ci_number(id: &str) -> Option<u64> {
    id.get(..3).filter(|p| p.eq_ignore_ascii_case("ci-"))?;
    id[3..].parse().ok()
}

/// The id for number `n`: `CI-007`, `CI-1234`.
pub fn ci_id(n: u64) -> String {
    format!("CI-{n:03}")
}

type Failure = (String, String);

/// How cells are read, from the command line and the sheet.
pub struct Reading<'a> {
    pub date_format: DateFormat,
    /// The sheet is isms-site's own `register.csv` or `register.json`:
    /// ids are kept as they are, numbers included.
    pub own_export: bool,
    /// `--map-status`: normalised word → status.
    pub statuses: &'a [(String, Status)],
}

/// One cell as the value of `field`; `Ok(None)` when empty.
pub fn convert(
    field: FieldPath,
    cell: &Cell,
    text: Option<&str>,
    how: &Reading,
) -> Result<Option<Value>, Failure> {
    let Some(text) = text else {
        return Ok(None);
    };
    let value = match field.kind() {
        Kind::Id if how.own_export && crate::content::is_valid_id(text.trim()) => {
            Value::Text(text.trim().to_string())
        }
        Kind::Id => Value::Text(id(text.trim())?),
        // Our own exports hold Markdown as written (register.csv trims
        // trailing space from cells itself, register.json does not).
        Kind::Markdown if how.own_export => Value::Text(text.to_string()),
        Kind::Markdown => Value::Text(text.trim_end().to_string()),
        // What our own export writes for a completion nobody dated.
        Kind::Completion if text.trim().eq_ignore_ascii_case("unknown") => {
            Value::Text("unknown".into())
        }
        Kind::Date | Kind::Completion => Value::Date(date(cell, text, how.date_format)?),
        Kind::TextList | Kind::IdList | Kind::RiskIds => Value::List(
            text.split([';', ',', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        Kind::Enum(choice) => {
            let name = field.nested().map_or(field.name(), |(_, key)| key);
            Value::Text(enumerated(choice, text, name, how)?.into())
        }
        Kind::Text
        | Kind::Number
        | Kind::Days
        | Kind::Bool
        | Kind::Url
        | Kind::WebUrl
        | Kind::FieldAudiences
        | Kind::Record(_)
        | Kind::RecordList(_)
        | Kind::FreeMap => Value::Text(text.trim().to_string()),
    };
    Ok(Some(value))
}

/// A cell as one of `choice`'s slugs, with the spreadsheet words each
/// enumeration knows.
fn enumerated(
    choice: Choice,
    text: &str,
    name: &str,
    how: &Reading,
) -> Result<&'static str, Failure> {
    match choice {
        Choice::Status => status(text, how.statuses),
        Choice::Level => slug(text, level_alias::<Level>, name),
        Choice::EntryType => slug(text, type_alias, name),
        Choice::Source => slug(text, |_| None::<Source>, name),
        Choice::Severity => slug(text, |_| None::<Severity>, name),
        Choice::EffectivenessResult => slug(text, |_| None::<EffectivenessResult>, name),
        Choice::Direction => slug(text, |_| None::<Direction>, name),
        Choice::Visibility => slug(text, |_| None::<Visibility>, name),
        Choice::ReviewKind => slug(text, |_| None::<ReviewKind>, name),
        Choice::HiddenEntries => slug(text, |_| None::<crate::model::HiddenEntries>, name),
        Choice::DateStyle => slug(text, |_| None::<crate::model::DateStyle>, name),
    }
}

/// Whole numbers become `CI-` ids (`7` → `CI-007`): a bare number would
/// read as a number in YAML and says nothing in a URL. Other valid ids are
/// kept as written.
fn id(text: &str) -> Result<String, Failure> {
    if !text.is_empty()
        && text.len() <= 15
        && text.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse::<u64>()
    {
        return Ok(ci_id(n));
    }
    if crate::content::is_valid_id(text) {
        Ok(text.to_string())
    } else {
        Err((
            format!("`{text}` is not a valid id"),
            "ids start with a letter or digit and use only letters, digits, `.`, `_` and `-` (e.g. CI-001); a whole number n becomes CI-00n".into(),
        ))
    }
}

/// A status word: `--map-status` first, then the slugs, then the
/// common spreadsheet words.
fn status(text: &str, map: &[(String, Status)]) -> Result<&'static str, Failure> {
    let n = normalise(text);
    if let Some((_, s)) = map.iter().find(|(w, _)| *w == n) {
        return Ok(s.slug());
    }
    slug(text, status_alias, "status").map_err(|(message, hint)| {
        let word = text.trim().replace('"', "");
        (
            message,
            format!("{hint}; or say what `{word}` means: --map-status \"{word}=planned\""),
        )
    })
}

fn slug<T: Enumerated>(
    text: &str,
    alias: impl Fn(&str) -> Option<T>,
    field: &str,
) -> Result<&'static str, Failure> {
    T::from_text(text)
        .or_else(|| alias(&normalise(text)))
        .map(|v| v.slug())
        .ok_or_else(|| {
            let allowed: Vec<&str> = T::ALL.iter().map(|v| v.slug()).collect();
            (
                format!("`{}` is not a {field}", text.trim()),
                format!("allowed values: {}", allowed.join(", ")),
            )
        })
}

pub use crate::content::status_words::status_alias;

/// Parses `--map-status "On Hold=planned"`.
pub fn parse_status_map(s: &str) -> Result<(String, Status), String> {
    let (word, status) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("`{s}` is not WORD=status, e.g. \"On Hold=planned\""))?;
    let word = normalise(word);
    if word.is_empty() {
        return Err(format!("`{s}` names no status word before `=`"));
    }
    let status = Status::from_text(status.trim()).ok_or_else(|| {
        let allowed: Vec<&str> = Status::ALL.iter().map(|v| v.slug()).collect();
        format!(
            "`{}` is not a status; use one of: {}",
            status.trim(),
            allowed.join(", ")
        )
    })?;
    Ok((word, status))
}

/// `H`, `M`, `L` and `Med` for high, medium, low.
fn level_alias<T: Enumerated>(n: &str) -> Option<T> {
    let full = match n {
        "h" => "high",
        "m" | "med" => "medium",
        "l" => "low",
        _ => return None,
    };
    T::from_text(full)
}

fn type_alias(n: &str) -> Option<EntryType> {
    Some(match n {
        "ofi" | "opportunityforimprovement" | "opportunity" => EntryType::Improvement,
        "corrective" | "correction" => EntryType::CorrectiveAction,
        "preventive" | "preventative" | "preventativeaction" => EntryType::PreventiveAction,
        _ => return None,
    })
}

/// A date from a date cell, an Excel serial number, or text.
fn date(cell: &Cell, text: &str, format: DateFormat) -> Result<NaiveDate, Failure> {
    let not_a_date = |what: &str| {
        (
            format!("`{what}` is not a date"),
            "write dates as YYYY-MM-DD (or pass --date-format dmy|mdy for 31/01/2025 or 01/31/2025)"
                .to_string(),
        )
    };
    match cell {
        Cell::Date(d) => return Ok(*d),
        Cell::Number(n) => return excel_serial(*n).ok_or_else(|| not_a_date(&number_text(*n))),
        Cell::BadDate(s) => {
            return Err((
                format!("`{s}` is not a real date"),
                "Excel counts 1900-02-29, which never existed; type the intended date".into(),
            ));
        }
        _ => {}
    }
    let t = text.trim();
    if !t.is_empty() && t.len() <= 7 && t.bytes().all(|b| b.is_ascii_digit()) {
        // A date cell exported without its format: an Excel serial.
        return t
            .parse::<f64>()
            .ok()
            .and_then(excel_serial)
            .ok_or_else(|| not_a_date(t));
    }
    let iso_part = t
        .get(..10)
        .filter(|_| t.len() == 10 || t[10..].starts_with('T') || t[10..].starts_with(' '));
    if let Some(d) = iso_part.and_then(crate::content::yaml::parse_date) {
        return Ok(d);
    }
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if parts.len() != 3 || nums.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return Err(not_a_date(t));
    }
    let ymd = |y: u32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| not_a_date(t))
    };
    if parts[0].len() == 4 {
        return ymd(nums[0], nums[1], nums[2]);
    }
    if parts[2].len() != 4 {
        return Err((
            format!("`{t}` has a two-digit year"),
            "write the year in full (2025), or the date as YYYY-MM-DD".into(),
        ));
    }
    match format {
        DateFormat::Dmy => ymd(nums[2], nums[1], nums[0]),
        DateFormat::Mdy => ymd(nums[2], nums[0], nums[1]),
        DateFormat::Iso => {
            let reading = if nums[0] > 12 {
                "it can only be day-first: pass --date-format dmy"
            } else if nums[1] > 12 {
                "it can only be month-first: pass --date-format mdy"
            } else {
                "no date in the sheet says which comes first: pass --date-format dmy (31/01/2025) or --date-format mdy (01/31/2025)"
            };
            Err((
                format!("`{t}` is not a YYYY-MM-DD date and day/month order is not given"),
                reading.into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_column_names_are_recognised() {
        let f = |h: &str| recognise(h, &[]);
        assert_eq!(f("#"), Some(Target::Field(FieldPath::entry(S::Id))));
        assert_eq!(
            f("Improvement Opportunity"),
            Some(Target::Field(FieldPath::entry(S::Title)))
        );
        assert_eq!(
            f("Identification Date"),
            Some(Target::Field(FieldPath::entry(S::Identified)))
        );
        assert_eq!(
            f("ACTION OWNER:"),
            Some(Target::Field(FieldPath::entry(S::Owner)))
        );
        assert_eq!(
            f("target_completion_date"),
            Some(Target::Field(FieldPath::entry(S::Target)))
        );
        assert_eq!(
            f("Results/Outcomes"),
            Some(Target::Field(FieldPath::entry(S::Outcome)))
        );
        assert_eq!(
            f("Outcome/Results"),
            Some(Target::Field(FieldPath::entry(S::Outcome)))
        );
        assert_eq!(
            f("Responsible Person"),
            Some(Target::Field(FieldPath::entry(S::Owner)))
        );
        assert_eq!(
            f("Responsible"),
            Some(Target::Field(FieldPath::entry(S::Owner)))
        );
        assert_eq!(f("Risk rating"), None);
        let maps = vec![parse_map("Risk rating=priority").unwrap()];
        assert_eq!(
            recognise("risk RATING", &maps),
            Some(Target::Field(FieldPath::entry(S::Priority)))
        );
        assert!(parse_map("x=titel").is_err());
        assert!(parse_map("no equals").is_err());
        assert_eq!(
            parse_map("a=b=ignore").unwrap(),
            ("a=b".into(), Target::Ignore)
        );
    }

    #[test]
    fn dates_in_spreadsheet_forms() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let t = |s: &str, f| date(&Cell::Text(s.into()), s, f);
        assert_eq!(t("2025-01-31", DateFormat::Iso), Ok(d(2025, 1, 31)));
        assert_eq!(
            t("2025-01-31T00:00:00", DateFormat::Iso),
            Ok(d(2025, 1, 31))
        );
        assert_eq!(t("2025/01/31", DateFormat::Iso), Ok(d(2025, 1, 31)));
        assert_eq!(t("31/01/2025", DateFormat::Dmy), Ok(d(2025, 1, 31)));
        assert_eq!(t("31.01.2025", DateFormat::Dmy), Ok(d(2025, 1, 31)));
        assert_eq!(t("01/31/2025", DateFormat::Mdy), Ok(d(2025, 1, 31)));
        assert_eq!(t("45688", DateFormat::Iso), Ok(d(2025, 1, 31)));
        assert_eq!(
            date(&Cell::Number(45688.0), "45688", DateFormat::Iso),
            Ok(d(2025, 1, 31))
        );
        let e = t("31/01/2025", DateFormat::Iso).unwrap_err();
        assert!(e.1.contains("dmy"), "{e:?}");
        assert!(t("02/30/2025", DateFormat::Mdy).is_err());
        assert!(
            t("1/2/25", DateFormat::Dmy)
                .unwrap_err()
                .0
                .contains("two-digit")
        );
        assert!(t("soon", DateFormat::Iso).is_err());
    }

    #[test]
    fn a_date_that_reads_one_way_only_decides_the_order() {
        assert_eq!(only_order("30/06/2025"), Some(DateFormat::Dmy));
        assert_eq!(only_order("06/30/2025"), Some(DateFormat::Mdy));
        assert_eq!(only_order("31.01.2025"), Some(DateFormat::Dmy));
        assert_eq!(only_order("03/04/2025"), None, "either way");
        assert_eq!(only_order("2025/06/30"), None, "year first");
        assert_eq!(only_order("30/06/25"), None, "two-digit year");
        assert_eq!(only_order("40/06/2025"), None, "no such day");
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
    }

    const ISO: Reading = Reading {
        date_format: DateFormat::Iso,
        own_export: false,
        statuses: &[],
    };

    #[test]
    fn status_words_of_spreadsheets_and_their_override() {
        let st = |t: &str, how: &Reading| match convert(
            FieldPath::entry(S::Status),
            &Cell::Empty,
            Some(t),
            how,
        ) {
            Ok(Some(Value::Text(s))) => s,
            other => panic!("{t}: {other:?}"),
        };
        for (word, slug) in [
            ("Open", "not-started"),
            ("Closed", "completed"),
            ("Done", "completed"),
            ("WIP", "in-progress"),
            ("On Hold", "in-progress"),
            ("Not Started", "not-started"),
            ("In Progress", "in-progress"),
            ("Cancelled", "cancelled"),
            ("Withdrawn", "cancelled"),
        ] {
            assert_eq!(st(word, &ISO), slug, "{word}");
        }
        let map = [parse_status_map("on hold=planned").unwrap()];
        let how = Reading {
            statuses: &map,
            ..ISO
        };
        assert_eq!(st("On Hold", &how), "planned");
        let e = convert(
            FieldPath::entry(S::Status),
            &Cell::Empty,
            Some("Parked"),
            &ISO,
        )
        .unwrap_err();
        assert_eq!(e.0, "`Parked` is not a status");
        assert_eq!(
            e.1,
            "allowed values: not-started, planned, in-progress, completed, cancelled; or say what `Parked` means: --map-status \"Parked=planned\""
        );
        assert!(parse_status_map("x=doing").is_err());
    }

    #[test]
    fn ids_numbers_and_placeholders() {
        assert_eq!(id("7"), Ok("CI-007".into()));
        assert_eq!(id("1234"), Ok("CI-1234".into()));
        assert_eq!(id("CI-007"), Ok("CI-007".into()));
        assert!(id("a b").is_err());
        assert_eq!(ci_number("ci-012"), Some(12));
        assert_eq!(ci_number("NC-3"), None);
        for p in [
            "[Insert Date]",
            "<owner name>",
            "[dd/mm/yyyy]",
            "TBD",
            "n/a",
            "-",
            " [x] ",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for p in [
            "[link](https://x)",
            "- a bullet",
            "Done",
            "[a] and [b]",
            "[a, b]",
            "[]",
        ] {
            assert!(!is_placeholder(p), "{p}");
        }
        assert_eq!(
            convert(
                FieldPath::entry(S::Status),
                &Cell::Empty,
                Some("Done"),
                &ISO
            ),
            Ok(Some(Value::Text("completed".into())))
        );
        assert_eq!(
            convert(FieldPath::entry(S::Priority), &Cell::Empty, Some("H"), &ISO),
            Ok(Some(Value::Text("high".into())))
        );
    }
}
