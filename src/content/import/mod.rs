//! `isms-site import`: a spreadsheet register (CSV or XLSX) becomes one
//! YAML file per entry in `register/`.
//!
//! Most registers start as a spreadsheet with the classic columns (#,
//! Improvement Opportunity, Description, Identification Date, Status,
//! Priority, Action Owner, Target Completion Date, Results/Outcomes). The
//! import recognises those and their usual synonyms, converts every cell it
//! can, and reports every one it cannot — by row and column, as the
//! spreadsheet numbers them — before anything is written. What it gives
//! back is checked with the project's own loader first (in memory), so an
//! import that succeeds gives files `isms-site check` accepts; `cmd::import`
//! writes them.

mod columns;
mod emit;
mod existing;
mod read;
mod site;

use crate::model::json_schema;
use crate::model::schema::Field as S;
pub use columns::{DateFormat, FieldPath, Target, parse_map, parse_status_map};

use crate::content::{FileKind, Source};
use crate::model::Status;
use crate::model::diag::{Diagnostics, Pos};
use columns::{Column, Reading, Value};
use std::path::{Path, PathBuf};

pub struct Options {
    pub file: PathBuf,
    pub content: PathBuf,
    pub sheet: Option<String>,
    /// `--map COLUMN=field`, in the order given.
    pub maps: Vec<(String, Target)>,
    pub date_format: DateFormat,
    pub skip_bad_rows: bool,
    pub force: bool,
    /// `--map-status WORD=status`: normalised word → status.
    pub status_maps: Vec<(String, Status)>,
    /// `--title` and `--organization`, for a new `site.yaml`.
    pub title: Option<String>,
    pub organization: Option<String>,
}

/// What a successful import gives to write: checked, not yet written.
/// The entries' YAML is made again from the rows each time it is read
/// ([`Imported::files`]): never all in memory at once.
pub struct Imported {
    /// The `register/` folder the entries go into.
    pub register: PathBuf,
    pub skipped_rows: usize,
    /// The `site.yaml` to create (path and text) because the folder had
    /// none; never written over an author's.
    pub site: Option<(PathBuf, String)>,
    /// How day/month dates were read when the sheet decided it (no
    /// `--date-format`), said in one line.
    pub date_order: Option<String>,
    /// What the sheet could not carry, said once when it is isms-site's
    /// own `register.csv` (see [`SHEET_LIMITS`]).
    pub sheet_limits: Option<&'static str>,
    cols: Vec<Column>,
    entries: Vec<Prepared>,
    source: RowsFrom,
}

/// Where the rows came from, for the comment atop each entry file.
struct RowsFrom {
    /// The file's name, when it is safe to write into YAML.
    name: Option<String>,
    /// Of a JSON file, the row number of its first entry: its rows are
    /// made up (a header row of keys, one row per entry), so a file says
    /// which entry it is, not which row.
    first_entry_row: Option<u32>,
}

impl RowsFrom {
    fn of(file: &Path, json_first_row: Option<u32>) -> RowsFrom {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.chars().any(|c| c.is_control()) && first_unsafe_char(n).is_none());
        RowsFrom {
            name,
            first_entry_row: json_first_row,
        }
    }

    /// `# Imported from register.xlsx, row 7` (or `..., entry 3` of JSON).
    fn comment(&self, row: u32) -> String {
        let name = self.name.as_deref().unwrap_or("the imported file");
        match self.first_entry_row {
            Some(first) => format!("# Imported from {name}, entry {}\n", row + 1 - first),
            None => format!("# Imported from {name}, row {row}\n"),
        }
    }
}

impl Imported {
    /// The entry files' names in `register/`, in row order. A name that
    /// exists already is the entry's own file, replaced (`--force`).
    pub fn file_names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|p| p.file_name.as_str())
    }

    /// Each entry file's name and YAML text, made one at a time.
    pub fn files(&self) -> impl Iterator<Item = (&str, String)> {
        self.entries
            .iter()
            .map(|p| (p.file_name.as_str(), p.yaml(&self.cols, &self.source)))
    }
}

/// What isms-site's own `register.csv` (or a workbook saved from it) may
/// lose: its nested fields travel as JSON text, which a spreadsheet
/// program may cut or retype. Said once per import, not per entry;
/// docs/user-guide.md says the same.
pub const SHEET_LIMITS: &str = "register.csv holds history, KPIs, links and extra columns as JSON text (its last four columns); a spreadsheet program cuts a cell at 32,767 characters and may change the text, so a sheet saved from one can lose them: import register.json to be sure";

/// A problem with one cell (or row, at column 1).
#[derive(Debug, Clone)]
struct Problem {
    row: u32,
    column: u32,
    message: String,
    hint: String,
    /// A kind of problem that tends to repeat down a column (a date
    /// format, an empty required cell): the cells of one column with the
    /// same kind are reported once.
    kind: Option<&'static str>,
}

/// One spreadsheet row, converted.
struct Draft {
    row: u32,
    /// From the id column, normalised; `None` gets the next free number.
    id: Option<String>,
    id_column: u32,
    values: Vec<(FieldPath, Value, u32)>,
    /// Custom columns: index into the columns, value, spreadsheet column
    /// (the header is looked up when written, not copied into each row).
    extra: Vec<(usize, String, u32)>,
    /// The status cell of a completed row with no completion date, which
    /// is written as `completed: unknown`.
    undated: Option<u32>,
    /// Mappings of our own `register.json` (`history`, `kpis`, ...), in
    /// the schema's order, each with its spreadsheet column.
    nested: Vec<(S, serde_json::Value, u32)>,
    /// The "Original Target Date" cell: the date and its column.
    original_target: Option<(chrono::NaiveDate, u32)>,
    /// A target moved after it was first agreed, as a sheet says it (an
    /// original and a later target): recorded as a history record on the
    /// identification day, the one day the sheet knows it was after. The
    /// new target and its column.
    moved_target: Option<(chrono::NaiveDate, u32)>,
}

/// A draft with its id and file name, ready to write.
struct Prepared {
    row: u32,
    id: String,
    file_name: String,
    draft: Draft,
    /// First line of each field in `yaml` and its spreadsheet column, to
    /// point a loader message about the file back at the cell.
    lines: Vec<(u32, u32)>,
}

impl Prepared {
    fn yaml(&self, cols: &[Column], source: &RowsFrom) -> String {
        to_yaml(&self.draft, &self.id, cols, source).0
    }

    fn column_at(&self, line: u32) -> u32 {
        self.lines
            .iter()
            .take_while(|(l, _)| *l <= line)
            .last()
            .map(|(_, c)| *c)
            .unwrap_or(1)
    }
}

/// Reads the spreadsheet and checks every entry it gives; writes nothing.
pub fn import(opts: &Options) -> (Option<Imported>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let imported = run(opts, &mut diags);
    (imported, diags)
}

fn run(opts: &Options, diags: &mut Diagnostics) -> Option<Imported> {
    let file = opts.file.as_path();
    for (option, value) in [
        ("--title", &opts.title),
        ("--organization", &opts.organization),
    ] {
        if let Some(c) = value.as_deref().and_then(first_unsafe_char) {
            let (what, hint) = crate::content::yaml::unsafe_char_problem(c);
            diags
                .error(file, Pos::START, format!("{option} holds {what}"))
                .hint(hint);
            return None;
        }
    }
    let sheet = match read::read(file, opts.sheet.as_deref()) {
        Ok(sheet) => sheet,
        Err(e) => {
            diags
                .error(file, Pos::new(e.row, e.column), e.message)
                .hint(e.hint);
            return None;
        }
    };
    let mut rows = sheet.rows;
    for key in &sheet.skipped_keys {
        diags
            .warning(
                file,
                Pos::START,
                format!("`{key}` holds nested records; not imported"),
            )
            .hint("add them to the imported entries by hand");
    }
    let (header_at, cols, own_export) =
        columns::plan(&rows, &opts.maps, sheet.own_export, file, diags)?;
    // Our own register.json carries everything; our own sheet does not.
    let sheet_limits = (own_export && !sheet.own_export).then_some(SHEET_LIMITS);
    // Owned: the cell positions a message names, kept past the rows.
    let names = ColumnNames::new(&rows[header_at], &cols);
    let json_first_row = read::is_json(file).then(|| rows[header_at].number + 1);
    let source = RowsFrom::of(file, json_first_row);
    let (date_format, date_order) = match opts.date_format {
        DateFormat::Iso => match columns::infer_date_order(&rows[header_at + 1..], &cols) {
            Some((format, line)) => (format, Some(line)),
            None => (DateFormat::Iso, None),
        },
        given => (given, None),
    };
    let how = Reading {
        date_format,
        own_export,
        statuses: &opts.status_maps,
    };
    let mut placeholders = Placeholders::default();
    let mut problems = Vec::new();
    let mut drafts = Vec::new();
    let mut undated = Vec::new();
    let mut bad_rows = std::collections::BTreeSet::new();
    // Each row is dropped once converted: the cells and the drafts are
    // never all in memory together. The rows above stay for the title block.
    let body = rows.split_off(header_at + 1);
    for row in body
        .into_iter()
        .filter(|r| !r.cells.iter().all(read::Cell::is_blank))
    {
        match convert_row(&row, &cols, &how, &mut placeholders) {
            Ok(d) => {
                if let Some(column) = d.undated {
                    undated.push((d.row, column));
                }
                drafts.push(d)
            }
            Err(mut p) => {
                bad_rows.insert(row.number);
                problems.append(&mut p);
            }
        }
    }
    if drafts.is_empty() && problems.is_empty() {
        diags
            .error(
                file,
                Pos::new(rows[header_at].number, 1),
                "no register rows below the header row",
            )
            .hint("put one improvement opportunity per row under the column names");
        return None;
    }
    let register = opts.content.join("register");
    let existing = existing::existing_ids(&register);
    let mut prepared = prepare(
        drafts,
        &cols,
        &existing,
        opts.force,
        &register,
        &source,
        &mut problems,
    );
    problems.extend(loader_problems(&opts.content, &prepared, &cols, &source));
    for p in &problems {
        bad_rows.insert(p.row);
    }
    placeholders.report(file, diags);
    report_problems(&problems, &names, file, opts.skip_bad_rows, diags);
    if !bad_rows.is_empty() && !opts.skip_bad_rows {
        return None;
    }
    prepared.retain(|p| !bad_rows.contains(&p.row));
    undated.retain(|(row, _)| !bad_rows.contains(row));
    report_undated(&undated, &names, file, diags);
    if prepared.is_empty() {
        diags
            .error(file, Pos::START, "no row could be imported")
            .hint("fix the rows reported above");
        return None;
    }
    let site_path = opts.content.join("site.yaml");
    let site_text = (!site_path.exists()).then(|| {
        let mut info = site::from_title_block(&rows[..header_at], &how, file, diags);
        info.title = opts.title.clone().or(info.title);
        info.organization = opts.organization.clone().or(info.organization);
        if info.title.is_none() {
            diags
                .warning(&site_path, Pos::START, format!("the sheet names no register; site.yaml gets the title `{}`", site::DEFAULT_TITLE))
                .hint("change `title:` in site.yaml to your register's name (or pass --title \"Your register\" when importing into an empty folder)");
        }
        site::site_yaml(&info, file)
    });
    Some(Imported {
        register,
        cols,
        entries: prepared,
        source,
        skipped_rows: bad_rows.len(),
        site: site_text.map(|text| (site_path, text)),
        date_order,
        sheet_limits,
    })
}

/// Converts every mapped cell of a row; all of its problems, or the draft.
fn convert_row(
    row: &read::Row,
    cols: &[Column],
    how: &Reading,
    placeholders: &mut Placeholders,
) -> Result<Draft, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut draft = Draft {
        row: row.number,
        id: None,
        id_column: 1,
        values: Vec::new(),
        extra: Vec::new(),
        undated: None,
        nested: Vec::new(),
        original_target: None,
        moved_target: None,
    };
    for (col_index, col) in cols.iter().enumerate() {
        let cell = row.cells.get(col.index).unwrap_or(&read::Cell::Empty);
        let column = row.column(col.index);
        let at = |message: String, hint: String, kind| Problem {
            row: row.number,
            column,
            message,
            hint,
            kind,
        };
        let text = match columns::cell_text(cell) {
            Ok(Some(t)) if columns::is_placeholder(&t) => {
                placeholders.add(&col.header, row.number, column, t.trim());
                None
            }
            Ok(t) => t,
            Err(e) => {
                problems.push(at(
                    format!("{} holds the spreadsheet error {e}", col.header),
                    "fix the formula or type the value".into(),
                    None,
                ));
                continue;
            }
        };
        let from_text;
        let json = match (&col.target, cell) {
            (Target::Nested(_), read::Cell::Json(v)) => Some(v),
            (Target::Nested(_), _) => match text.as_deref().map(str::trim) {
                None | Some("") => continue,
                Some(t) => match serde_json::from_str::<serde_json::Value>(t) {
                    Ok(v) => {
                        from_text = v;
                        Some(&from_text)
                    }
                    Err(e) => {
                        problems.push(at(
                            format!("{} is not the JSON register.csv wrote: {e}", col.header),
                            "a spreadsheet program cuts a cell at 32,767 characters: import register.json instead, or empty the cell to leave the field out".into(),
                            None,
                        ));
                        continue;
                    }
                },
            },
            _ => None,
        };
        if let (Target::Nested(f), Some(v)) = (&col.target, json) {
            match first_unsafe_in(v) {
                Some(c) => {
                    let (what, hint) = crate::content::yaml::unsafe_char_problem(c);
                    problems.push(at(
                        format!("{} holds {what}", col.header),
                        hint.into(),
                        None,
                    ));
                }
                None => draft.nested.push((*f, v.clone(), column)),
            }
            continue;
        }
        if col.target != Target::Ignore
            && let Some(c) = text.as_deref().and_then(first_unsafe_char)
        {
            let (what, hint) = crate::content::yaml::unsafe_char_problem(c);
            problems.push(at(
                format!("{} holds {what}", col.header),
                hint.into(),
                None,
            ));
            continue;
        }
        match &col.target {
            Target::Ignore | Target::Nested(_) => {}
            Target::OriginalTarget => {
                match columns::convert(FieldPath::entry(S::Target), cell, text.as_deref(), how) {
                    Ok(Some(Value::Date(d))) => draft.original_target = Some((d, column)),
                    Ok(_) => {}
                    Err((message, hint)) => problems.push(at(message, hint, Some("date"))),
                }
            }
            Target::Extra => {
                if let Some(t) = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
                    draft.extra.push((col_index, t, column));
                }
            }
            Target::Field(f) => match columns::convert(*f, cell, text.as_deref(), how) {
                Ok(None) if f.required() => problems.push(at(
                    format!("{} is empty, and `{}` is required", col.header, f.name()),
                    format!("fill in the {}", col.header),
                    Some("empty"),
                )),
                Ok(None) => {}
                Ok(Some(Value::Text(id))) if *f == FieldPath::entry(S::Id) => {
                    draft.id = Some(id);
                    draft.id_column = column;
                }
                Ok(Some(v)) => draft.values.push((*f, v, column)),
                Err((message, hint)) => {
                    let kind = f.is_date().then_some("date");
                    problems.push(at(message, hint, kind))
                }
            },
        }
    }
    if let Some(column) = completed_without_date(&draft) {
        // Never guessed: a made-up completion date would become an
        // on-time figure and a days-to-complete on the dashboard.
        draft.values.push((
            FieldPath::entry(S::Completed),
            Value::Text("unknown".into()),
            column,
        ));
        draft.undated = Some(column);
    }
    first_target(&mut draft);
    if problems.is_empty() {
        draft.values.sort_by_key(|(f, _, _)| *f);
        draft.nested.sort_by_key(|(f, _, _)| *f);
        Ok(draft)
    } else {
        Err(problems)
    }
}

/// With an original target, `target` is that one (the on-time figure
/// counts against it), and a later target in the sheet becomes a target
/// move (see [`Draft::moved_target`]).
fn first_target(d: &mut Draft) {
    let Some((first, column)) = d.original_target else {
        return;
    };
    let at = FieldPath::entry(S::Target);
    match d.values.iter_mut().find(|(f, _, _)| *f == at) {
        Some((_, Value::Date(now), now_column)) => {
            if *now != first {
                d.moved_target = Some((*now, *now_column));
                *now = first;
            }
        }
        Some(_) => {}
        None => d.values.push((at, Value::Date(first), column)),
    }
}

/// The first character no content text may hold in any string of a JSON
/// value, keys included.
fn first_unsafe_in(v: &serde_json::Value) -> Option<char> {
    use serde_json::Value as J;
    match v {
        J::String(s) => first_unsafe_char(s),
        J::Array(items) => items.iter().find_map(first_unsafe_in),
        J::Object(m) => m
            .iter()
            .find_map(|(k, v)| first_unsafe_char(k).or_else(|| first_unsafe_in(v))),
        J::Null | J::Bool(_) | J::Number(_) => None,
    }
}

/// The first character of `text` that no content text may hold (an ESC
/// or BEL from a cell would reach the pages and `register.csv` as is).
fn first_unsafe_char(text: &str) -> Option<char> {
    text.chars()
        .find(|c| crate::content::yaml::is_unsafe_text_char(*c))
}

/// The status column of a completed row without a completion date: the
/// classic register has no such column, and the loader needs the date.
fn completed_without_date(d: &Draft) -> Option<u32> {
    let has = |f: FieldPath| d.values.iter().any(|(x, _, _)| *x == f);
    let status = d
        .values
        .iter()
        .find(|(f, _, _)| *f == FieldPath::entry(S::Status))?;
    (status.1 == Value::Text("completed".into()) && !has(FieldPath::entry(S::Completed)))
        .then_some(status.2)
}

/// Gives each draft its id and file, refusing ids used twice and files
/// that exist (unless `force` allows replacing an entry's own file).
fn prepare(
    drafts: Vec<Draft>,
    cols: &[Column],
    existing: &existing::Existing,
    force: bool,
    register: &Path,
    source: &RowsFrom,
    problems: &mut Vec<Problem>,
) -> Vec<Prepared> {
    let mut next = drafts
        .iter()
        .filter_map(|d| d.id.as_deref().and_then(columns::ci_number))
        .max()
        .unwrap_or(0)
        + 1;
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for d in drafts {
        let id = d.id.clone().unwrap_or_else(|| {
            let id = columns::ci_id(next);
            next += 1;
            id
        });
        let at = |message: String, hint: &str| Problem {
            row: d.row,
            column: d.id_column,
            message,
            hint: hint.into(),
            kind: None,
        };
        if let Some(first) = seen.get(&id.to_lowercase()) {
            problems.push(at(
                format!("id `{id}` is also used in row {first}"),
                "ids are unique ignoring case; give one of the rows another id",
            ));
            continue;
        }
        seen.insert(id.to_lowercase(), d.row);
        let file_name = match existing.check(&id, force) {
            Ok(name) => name.unwrap_or_else(|| format!("{id}.yaml")),
            Err(path) => {
                let shown = register.join(&path);
                let (message, hint) = if existing.is_own_file(&id, &path) {
                    (
                        format!("{} already exists", shown.display()),
                        "pass --force to replace it, or give the row another id",
                    )
                } else {
                    (
                        format!("id `{id}` is already used in {}", shown.display()),
                        "give the row another id, or remove that entry first (--force only replaces a file named after the id)",
                    )
                };
                problems.push(at(message, hint));
                continue;
            }
        };
        let (_, lines) = to_yaml(&d, &id, cols, source);
        out.push(Prepared {
            row: d.row,
            id,
            file_name,
            draft: d,
            lines,
        });
    }
    out
}

/// The entry as YAML, with the line each field starts on.
fn to_yaml(d: &Draft, id: &str, cols: &[Column], source: &RowsFrom) -> (String, Vec<(u32, u32)>) {
    let mut y = String::new();
    let mut lines = Vec::new();
    let mut line = 1u32;
    y.push_str(&json_schema::modeline(
        json_schema::FROM_REGISTER,
        json_schema::REGISTER_SCHEMA,
    ));
    y.push_str(&source.comment(d.row));
    line += 2;
    lines.push((line, d.id_column));
    line += emit::field(&mut y, 0, "id", id) as u32;
    let mut parent = None;
    for (f, v, column) in &d.values {
        // Nested fields come last and together (see `FieldPath`): their
        // mapping's key once, then each indented.
        let (indent, key) = match f.nested() {
            Some((p, key)) => {
                if parent != Some(p) {
                    y.push_str(&format!("{p}:\n"));
                    line += 1;
                    parent = Some(p);
                }
                (2, key)
            }
            None => (0, f.name()),
        };
        lines.push((line, *column));
        line += match v {
            Value::Text(t) => emit::field(&mut y, indent, key, t),
            // Plain, as authors write them: the loader reads dates as text.
            Value::Date(date) => {
                y.push_str(&format!("{:indent$}{key}: {date}\n", ""));
                1
            }
            Value::List(items) => emit::list(&mut y, key, items),
        } as u32;
    }
    // With its history (the JSON column), the sheet has the move itself.
    let has_history = d.nested.iter().any(|(f, _, _)| *f == S::History);
    if let Some((now, column)) = d.moved_target.filter(|_| !has_history) {
        let identified = d.values.iter().find_map(|(f, v, _)| match v {
            Value::Date(day) if *f == FieldPath::entry(S::Identified) => Some(*day),
            _ => None,
        });
        if let Some(day) = identified {
            lines.push((line, column));
            y.push_str(&format!("history:\n  - date: {day}\n    target: {now}\n"));
            line += 3;
        }
    }
    for (f, v, column) in &d.nested {
        lines.push((line, *column));
        line += emit::json(&mut y, 0, f.key(), v, f.spec().kind) as u32;
    }
    if !d.extra.is_empty() {
        y.push_str("extra:\n");
        line += 1;
        for (index, value, column) in &d.extra {
            lines.push((line, *column));
            line += emit::field(&mut y, 2, &cols[*index].header, value) as u32;
        }
    }
    (y, lines)
}

/// Problems the project's loader finds in the prepared files, read as a
/// content folder of their own (with a minimal `site.yaml`), pointed back
/// at the row (and, through the field's line, the column).
fn loader_problems(
    content: &Path,
    prepared: &[Prepared],
    cols: &[Column],
    from: &RowsFrom,
) -> Vec<Problem> {
    let source = Checked::new(content, prepared, cols, from);
    let (_, diags) = crate::content::load(&source, None);
    let mut out = Vec::new();
    for d in diags
        .iter()
        .filter(|d| d.severity == crate::model::diag::ProblemKind::Error)
    {
        let name = d.file.file_name().map(|n| n.to_string_lossy().into_owned());
        let Some(p) = prepared
            .iter()
            .find(|p| Some(&p.file_name) == name.as_ref())
        else {
            continue;
        };
        out.push(Problem {
            row: p.row,
            column: p.column_at(d.pos.line),
            message: format!("{} (entry {})", d.message, p.id),
            hint: d.hint.clone().unwrap_or_default(),
            kind: None,
        });
    }
    out
}

/// The name of each spreadsheet column, for hints that name the cell.
struct ColumnNames(Vec<(u32, String)>);

impl ColumnNames {
    fn new(header: &read::Row, cols: &[Column]) -> ColumnNames {
        ColumnNames(
            cols.iter()
                .map(|c| (header.column(c.index), c.header.clone()))
                .collect(),
        )
    }

    /// `row 14, column Identification Date (D14)`, as a user finds it.
    fn cell(&self, row: u32, column: u32) -> String {
        let cell = format!("{}{row}", columns::column_letters(column));
        match self.0.iter().find(|(n, _)| *n == column) {
            Some((_, name)) => format!("row {row}, column {name} ({cell})"),
            None => format!("row {row} ({cell})"),
        }
    }
}

/// Every problem, once per cell; the cells of one column with the same
/// kind of problem (a date format the whole column shares, say) as one
/// message at the first, naming the others' rows. Each hint names the
/// cell and, unless given, the flag that imports the other rows.
fn report_problems(
    problems: &[Problem],
    names: &ColumnNames,
    file: &Path,
    skip: bool,
    diags: &mut Diagnostics,
) {
    let mut done = vec![false; problems.len()];
    for (i, p) in problems.iter().enumerate() {
        if done[i] {
            continue;
        }
        let same: Vec<usize> = match p.kind {
            Some(kind) => (i..problems.len())
                .filter(|&j| problems[j].kind == Some(kind) && problems[j].column == p.column)
                .collect(),
            None => vec![i],
        };
        for &j in &same {
            done[j] = true;
        }
        let mut message = p.message.clone();
        if same.len() > 1 {
            let rows: Vec<String> = same[1..]
                .iter()
                .map(|&j| problems[j].row.to_string())
                .collect();
            message.push_str(&format!(
                "; and {} more cells of this column like it, in rows {}",
                rows.len(),
                shorten(&rows)
            ));
        }
        let mut hint = format!("{}: {}", names.cell(p.row, p.column), p.hint);
        let pos = Pos::new(p.row, p.column);
        if skip {
            let n = same.len();
            let skipped = if n == 1 {
                "row skipped".to_string()
            } else {
                format!("{n} rows skipped")
            };
            diags
                .warning(file, pos, format!("{message} ({skipped})"))
                .hint(hint);
        } else {
            hint.push_str("; or pass --skip-bad-rows to import the other rows");
            diags.error(file, pos, message).hint(hint);
        }
    }
}

/// Completed rows without a completion date, said once: they are written
/// as `completed: unknown`, which keeps them out of every dated figure.
fn report_undated(rows: &[(u32, u32)], names: &ColumnNames, file: &Path, diags: &mut Diagnostics) {
    let Some(&(row, column)) = rows.first() else {
        return;
    };
    let numbers: Vec<String> = rows.iter().map(|(r, _)| r.to_string()).collect();
    let message = if rows.len() == 1 {
        format!(
            "row {row} is completed but has no completion date; written as `completed: unknown`"
        )
    } else {
        format!(
            "{} completed rows have no completion date (rows {}); written as `completed: unknown`",
            rows.len(),
            shorten(&numbers)
        )
    };
    diags
        .warning(file, Pos::new(row, column), message)
        .hint(format!(
            "{}: they count as completed, but not in on-time, days-to-complete or completed-in-period figures; add a Completion Date column with the real dates to count them",
            names.cell(row, column)
        ));
}

/// A list of row numbers, cut after the first ten.
fn shorten(rows: &[String]) -> String {
    if rows.len() <= 10 {
        rows.join(", ")
    } else {
        format!("{}, … ({} in all)", rows[..10].join(", "), rows.len())
    }
}

/// Template text left in cells (`[Insert Date]`, `TBD`), by column: said
/// once per column, as the same template fills the whole column.
#[derive(Default)]
struct Placeholders(Vec<PlaceholderColumn>);

struct PlaceholderColumn {
    header: String,
    column: u32,
    first_row: u32,
    words: Vec<String>,
    rows: Vec<String>,
}

impl Placeholders {
    fn add(&mut self, header: &str, row: u32, column: u32, word: &str) {
        let at = match self.0.iter().position(|c| c.column == column) {
            Some(at) => at,
            None => {
                self.0.push(PlaceholderColumn {
                    header: header.to_string(),
                    column,
                    first_row: row,
                    words: Vec::new(),
                    rows: Vec::new(),
                });
                self.0.len() - 1
            }
        };
        let c = &mut self.0[at];
        if !c.words.iter().any(|w| w == word) {
            c.words.push(word.to_string());
        }
        c.rows.push(row.to_string());
    }

    fn report(&self, file: &Path, diags: &mut Diagnostics) {
        for c in &self.0 {
            let words: Vec<String> = c.words.iter().take(5).map(|w| format!("`{w}`")).collect();
            let message = if c.rows.len() == 1 {
                format!("placeholder {} in {} read as missing", words[0], c.header)
            } else {
                format!(
                    "placeholders {} in {} read as missing, in rows {}",
                    words.join(", "),
                    c.header,
                    shorten(&c.rows)
                )
            };
            diags
                .warning(file, Pos::new(c.first_row, c.column), message)
                .hint("fill in the values in the spreadsheet, or leave the cells empty");
        }
    }
}

/// The prepared entries as a content folder for the loader: `site.yaml`
/// and `register/`, each entry's YAML made when the loader reads it, and
/// the content folder's own `evidence/`, which links name.
struct Checked<'a> {
    root: PathBuf,
    register: PathBuf,
    prepared: &'a [Prepared],
    cols: &'a [Column],
    from: &'a RowsFrom,
    /// File name → index into `prepared`, sorted by name.
    by_name: std::collections::BTreeMap<&'a str, usize>,
}

impl<'a> Checked<'a> {
    fn new(
        root: &Path,
        prepared: &'a [Prepared],
        cols: &'a [Column],
        from: &'a RowsFrom,
    ) -> Checked<'a> {
        let by_name = prepared
            .iter()
            .enumerate()
            .map(|(i, p)| (p.file_name.as_str(), i))
            .collect();
        Checked {
            root: root.to_path_buf(),
            register: root.join("register"),
            prepared,
            cols,
            from,
            by_name,
        }
    }
}

impl Source for Checked<'_> {
    fn root(&self) -> &Path {
        &self.root
    }

    fn exists(&self) -> bool {
        true
    }

    fn list(&self, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf, FileKind)> {
        let evidence = self.root.join("evidence");
        if dir.starts_with(&evidence) {
            // Listed only, never read: the names a link may give.
            return crate::content::Folder::new(&self.root).list(dir, diags);
        }
        if dir == self.root {
            let mut names = Vec::new();
            if evidence.is_dir() {
                names.push(("evidence".into(), evidence, FileKind::Folder));
            }
            names.extend([
                ("register".into(), self.register.clone(), FileKind::Folder),
                (
                    "site.yaml".into(),
                    self.root.join("site.yaml"),
                    FileKind::File,
                ),
            ]);
            names
        } else if dir == self.register {
            self.by_name
                .keys()
                .map(|name| (name.to_string(), dir.join(name), FileKind::File))
                .collect()
        } else {
            Vec::new()
        }
    }

    fn read(&self, path: &Path, _: &mut Diagnostics) -> Option<String> {
        if path == self.root.join("site.yaml") {
            return Some("title: import check\n".into());
        }
        let name = path.file_name()?.to_str()?;
        let i = *self.by_name.get(name)?;
        Some(self.prepared[i].yaml(self.cols, self.from))
    }
}
