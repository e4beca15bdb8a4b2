//! Reading a spreadsheet into rows of cells, each with the row and column
//! number a spreadsheet program shows (both from 1, header row included).

use calamine::{Data, Reader};
use chrono::NaiveDate;
use std::path::Path;

mod ods;

/// One cell, typed as far as the file says.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell formatted as a date in a workbook.
    Date(NaiveDate),
    Bool(bool),
    /// A date-formatted cell that is not a real date (Excel's 1900-02-29).
    BadDate(String),
    /// A formula error such as `#N/A`.
    Error(String),
    /// A mapping or list of mappings of isms-site's own `register.json`
    /// (`history`, `kpis`, ...), kept whole for `import` to write back.
    Json(serde_json::Value),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row as the spreadsheet numbers it.
pub struct Row {
    pub number: u32,
    /// Spreadsheet column number of `cells[0]`.
    pub first_column: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn column(&self, index: usize) -> u32 {
        self.first_column + index as u32
    }
}

/// A problem reading the file as a whole.
pub struct ReadError {
    pub row: u32,
    pub column: u32,
    pub message: String,
    pub hint: String,
}

fn whole_file(message: String, hint: &str) -> ReadError {
    ReadError {
        row: 1,
        column: 1,
        message,
        hint: hint.into(),
    }
}

/// What one import may read. Together they bound the memory of any import
/// of any file (about 720 MB at every limit at once, most of it the
/// loader's read-back; see docs/safety.md): a file that claims more (a zip
/// "bomb", a sheet that declares a million rows, one cell of a gigabyte)
/// ends with an error instead of exhausting the machine.
pub mod limits {
    /// The file on disk, CSV or workbook.
    pub const MAX_FILE_BYTES: u64 = 32 << 20;
    /// One part of a workbook (a sheet's XML, the shared strings) unpacked.
    pub const MAX_PART_BYTES: u64 = 32 << 20;
    /// All parts of a workbook unpacked.
    pub const MAX_UNPACKED_BYTES: u64 = 96 << 20;
    /// Parts in a workbook's zip (a real one has a few dozen).
    pub const MAX_PARTS: usize = 10_000;
    /// Rows (by spreadsheet row number) and columns (by column number).
    pub const MAX_ROWS: u32 = 100_000;
    pub const MAX_COLUMNS: u32 = 1_000;
    /// Cells kept in memory, empty ones between used ones included.
    pub const MAX_CELLS: usize = 2_000_000;
    /// Characters in one cell: Excel's own limit.
    pub const MAX_CELL_CHARS: usize = 32_767;
    /// Bytes of text kept, all cells together: a cell repeated by
    /// reference (a shared string, an ODS repeat) counts each time.
    pub const MAX_TEXT_BYTES: u64 = 32 << 20;
    /// A `.json` file: parsed whole, each value takes several times its
    /// text in memory (a register.json of 1,000 entries is about 1 MiB).
    pub const MAX_JSON_BYTES: u64 = 8 << 20;
}

fn too_big(what: String) -> ReadError {
    whole_file(
        what,
        "import reads registers of ordinary size; remove what the register does not need (other sheets, pictures, stray cells far from the table) or split the file",
    )
}

/// Refuses a file larger than [`limits::MAX_FILE_BYTES`] before reading it.
fn check_file_size(path: &Path) -> Result<(), ReadError> {
    let len = std::fs::metadata(path)
        .map_err(|e| {
            whole_file(
                format!("cannot read file: {e}"),
                "check the path and that you may read it",
            )
        })?
        .len();
    if len > limits::MAX_FILE_BYTES {
        return Err(too_big(format!(
            "file is {} MiB; import reads at most {} MiB",
            len >> 20,
            limits::MAX_FILE_BYTES >> 20
        )));
    }
    Ok(())
}

/// Counts what a reader keeps, and refuses the cell that would pass a limit.
#[derive(Default)]
struct Budget {
    cells: u64,
    text: u64,
}

/// An error at a cell, for a register of more than ordinary size.
fn too_big_at(row: u32, column: u32, message: String) -> ReadError {
    ReadError {
        row,
        column,
        message,
        hint: "import reads registers of ordinary size; delete stray cells far from the table, or split the file".into(),
    }
}

impl Budget {
    /// `row` and `column` count from 1.
    fn admit(&mut self, row: u32, column: u32, text: Option<&str>) -> Result<(), ReadError> {
        self.reach(row, column)?;
        if text.is_some_and(|t| {
            t.len() > limits::MAX_CELL_CHARS && t.chars().count() > limits::MAX_CELL_CHARS
        }) {
            return Err(too_big_at(
                row,
                column,
                format!("cell holds more than {} characters", limits::MAX_CELL_CHARS),
            ));
        }
        self.charge(row, column, 1, text.map_or(0, |t| t.len() as u64))
    }

    /// Refuses a cell past the last row or column import reads.
    fn reach(&self, row: u32, column: u32) -> Result<(), ReadError> {
        if row > limits::MAX_ROWS {
            return Err(too_big_at(
                row,
                column,
                format!(
                    "row {row} is past the last row import reads ({})",
                    limits::MAX_ROWS
                ),
            ));
        }
        if column > limits::MAX_COLUMNS {
            return Err(too_big_at(
                row,
                column,
                format!(
                    "column {column} is past the last column import reads ({})",
                    limits::MAX_COLUMNS
                ),
            ));
        }
        Ok(())
    }

    /// Adds `cells` cells and `text` bytes kept, reported at `row`/`column`.
    fn charge(&mut self, row: u32, column: u32, cells: u64, text: u64) -> Result<(), ReadError> {
        self.cells = self.cells.saturating_add(cells);
        self.text = self.text.saturating_add(text);
        if self.cells > limits::MAX_CELLS as u64 {
            return Err(too_big_at(
                row,
                column,
                format!("more than {} cells", limits::MAX_CELLS),
            ));
        }
        if self.text > limits::MAX_TEXT_BYTES {
            return Err(too_big_at(
                row,
                column,
                format!(
                    "more than {} MiB of text in all cells",
                    limits::MAX_TEXT_BYTES >> 20
                ),
            ));
        }
        Ok(())
    }
}

/// The kinds of file `import` reads, by extension.
pub fn is_workbook(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
}

/// What a file gave: its rows, and what only JSON says.
#[derive(Default)]
pub struct Sheet {
    pub rows: Vec<Row>,
    /// isms-site's own `register.json`.
    pub own_export: bool,
    /// JSON keys whose values are lists of mappings or mappings, which no
    /// column can hold.
    pub skipped_keys: Vec<String>,
}

/// Whether `path` is read as JSON (by its extension, as [`read`] does).
pub fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

pub fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    check_file_size(path)?;
    let is_json = is_json(path);
    if sheet.is_some() && !is_workbook(path) {
        return Err(whole_file(
            "--sheet applies to workbooks only".into(),
            "leave out --sheet for a .csv or .json file",
        ));
    }
    if is_workbook(path) {
        read_workbook(path, sheet).map(rows_only)
    } else if is_json {
        read_json(path)
    } else {
        read_csv(path).map(rows_only)
    }
}

fn rows_only(rows: Vec<Row>) -> Sheet {
    Sheet {
        rows,
        ..Sheet::default()
    }
}

/// Our own `register.json` (an object with `entries`), or a plain list
/// of objects: a header row of the keys in the order first met, one row
/// per entry, and the register's header as a title block above it. Of our
/// own file, the fields that hold mappings (`history`, `kpis`, `links`,
/// `extra`, `effectiveness`, `nonconformity`) are kept whole
/// ([`Cell::Json`]), and `target` is the target as first agreed
/// (`original_target`), as the YAML holds it: the history moves it.
fn read_json(path: &Path) -> Result<Sheet, ReadError> {
    use serde_json::Value as J;
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len > limits::MAX_JSON_BYTES {
        return Err(too_big(format!(
            "file is {} MiB; import reads JSON files of at most {} MiB",
            len >> 20,
            limits::MAX_JSON_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        whole_file(
            format!("cannot read file: {e}"),
            "check the path and that you may read it",
        )
    })?;
    let doc: J = serde_json::from_slice(&bytes).map_err(|e| ReadError {
        row: e.line() as u32,
        column: e.column() as u32,
        message: format!(
            "JSON syntax: {}",
            e.to_string()
                .rsplit_once(" at line ")
                .map_or_else(|| e.to_string(), |(m, _)| m.to_string())
        ),
        hint: "import reads register.json as isms-site writes it, or a list of objects".into(),
    })?;
    let (own_export, header, entries) = match &doc {
        J::Object(o) => match o.get("entries") {
            Some(J::Array(list)) => (true, Some(o), list),
            _ => return Err(not_a_register_json()),
        },
        J::Array(list) => (false, None, list),
        _ => return Err(not_a_register_json()),
    };
    let mut rows = Vec::new();
    let next = |cells: Vec<Cell>, rows: &mut Vec<Row>| {
        rows.push(Row {
            number: rows.len() as u32 + 1,
            first_column: 1,
            cells,
        });
    };
    for (key, label) in [
        ("title", "Title:"),
        ("organization", "Organization:"),
        ("created", "Date of Creation:"),
        ("responsible", "Responsible Person:"),
    ] {
        if let Some(J::String(v)) = header.and_then(|h| h.get(key)) {
            next(
                vec![Cell::Text(label.into()), Cell::Text(v.clone())],
                &mut rows,
            );
        }
    }
    let mut keys: Vec<String> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for e in entries {
        let J::Object(o) = e else {
            return Err(not_a_register_json());
        };
        for (k, v) in o {
            // `url` is where the site put the page: derived, not data;
            // `original_target` is read as `target`, `effectiveness_review`
            // with `effectiveness`.
            if own_export
                && matches!(
                    k.as_str(),
                    "url" | "original_target" | "effectiveness_review"
                )
            {
                continue;
            }
            let whole = own_export && super::columns::nested_field(k).is_some();
            let nested = !whole
                && (matches!(v, J::Object(_))
                    || matches!(v, J::Array(a) if a.iter().any(|x| x.is_object() || x.is_array())));
            let list = if nested { &mut skipped } else { &mut keys };
            if !list.contains(k) {
                if list.len() as u32 >= limits::MAX_COLUMNS {
                    return Err(too_big(format!(
                        "the entries have more than {} different keys",
                        limits::MAX_COLUMNS
                    )));
                }
                list.push(k.clone());
            }
        }
    }
    skipped.retain(|k| !keys.contains(k));
    next(
        keys.iter().map(|k| Cell::Text(k.clone())).collect(),
        &mut rows,
    );
    let mut budget = Budget::default();
    for e in entries {
        let J::Object(o) = e else { continue };
        let mut cells = Vec::with_capacity(keys.len());
        // Our own export since `original_target` was added: `target` is
        // the target now, and the YAML's `target` the first one.
        let first_target = own_export.then(|| o.get("original_target")).flatten();
        let review = own_export.then(|| whole_review(o)).flatten();
        for (j, k) in keys.iter().enumerate() {
            let value = match (first_target, &review) {
                (Some(first), _) if k == "target" => Some(first),
                (_, Some(review)) if k == "effectiveness" => Some(review),
                _ => o.get(k),
            };
            let whole = own_export && super::columns::nested_field(k).is_some();
            let c = match value {
                None | Some(J::Null) => Cell::Empty,
                Some(J::Array(a)) if whole && a.is_empty() => Cell::Empty,
                Some(J::Object(m)) if whole && m.is_empty() => Cell::Empty,
                Some(v) if whole && (v.is_object() || v.is_array()) => Cell::Json(v.clone()),
                // Exports before `effectiveness_review` wrote the result
                // alone, without the date a review needs: not data to keep.
                Some(_) if whole => Cell::Empty,
                Some(J::String(s)) if s.is_empty() => Cell::Empty,
                Some(J::String(s)) => Cell::Text(s.clone()),
                Some(J::Bool(b)) => Cell::Bool(*b),
                Some(J::Number(n)) => n.as_f64().map_or(Cell::Empty, Cell::Number),
                Some(J::Array(items)) => {
                    let parts: Vec<String> = items
                        .iter()
                        .map(|x| match x {
                            J::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect();
                    if parts.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(parts.join("\n"))
                    }
                }
                Some(J::Object(_)) => Cell::Empty,
            };
            let text = match &c {
                Cell::Text(t) => Some(t.as_str()),
                _ => None,
            };
            budget.admit(rows.len() as u32 + 1, j as u32 + 1, text)?;
            if let Cell::Json(v) = &c {
                budget.charge(rows.len() as u32 + 1, j as u32 + 1, 0, json_text_bytes(v))?;
            }
            cells.push(c);
        }
        next(cells, &mut rows);
    }
    Ok(Sheet {
        rows,
        own_export,
        skipped_keys: skipped,
    })
}

/// An entry's effectiveness review whole, as the YAML holds it: the result
/// from `effectiveness`, the rest from `effectiveness_review`; `None`
/// when either is missing.
fn whole_review(o: &serde_json::Map<String, serde_json::Value>) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    let (Some(J::String(result)), Some(J::Object(rest))) =
        (o.get("effectiveness"), o.get("effectiveness_review"))
    else {
        return None;
    };
    let mut whole = rest.clone();
    whole.insert("result".into(), J::String(result.clone()));
    Some(J::Object(whole))
}

/// The bytes of text in a JSON value, keys included, for the budget.
fn json_text_bytes(v: &serde_json::Value) -> u64 {
    use serde_json::Value as J;
    match v {
        J::String(s) => s.len() as u64,
        J::Array(items) => items.iter().map(json_text_bytes).sum(),
        J::Object(m) => m
            .iter()
            .map(|(k, v)| k.len() as u64 + json_text_bytes(v))
            .sum(),
        J::Null | J::Bool(_) | J::Number(_) => 8,
    }
}

fn not_a_register_json() -> ReadError {
    whole_file(
        "this JSON is not a register: expected isms-site's register.json (an object with `entries`) or a list of objects".into(),
        "import the register.json a build wrote, or a CSV/XLSX export of your sheet",
    )
}

/// Excel's own CSV export uses `;` where `,` is the decimal separator: the
/// header line says which one the file uses.
fn delimiter(text: &[u8]) -> u8 {
    let first = text.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| first.iter().filter(|b| **b == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| (count(*d), *d == b','))
        .unwrap_or(b',')
}

/// Our own `register.csv` prefixes risky cells with `'` so a spreadsheet
/// does not run them as formulas (see `model::spreadsheet::needs_guard`); undo exactly
/// that.
fn unprotect(s: String) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if crate::model::spreadsheet::needs_guard(rest) => rest.to_string(),
        _ => s,
    }
}

fn read_csv(path: &Path) -> Result<Vec<Row>, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| {
        whole_file(
            format!("cannot read file: {e}"),
            "check the path and that you may read it",
        )
    })?;
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text);
    let mut rows = Vec::new();
    let mut budget = Budget::default();
    for (i, record) in reader.byte_records().enumerate() {
        let number = i as u32 + 1;
        let record = record.map_err(|e| ReadError {
            row: number,
            column: 1,
            message: format!("CSV syntax: {e}"),
            hint: "check the quotes in this row: a cell holding a quote is written \"like \"\"this\"\"\"".into(),
        })?;
        let mut cells = Vec::with_capacity(record.len());
        for (j, field) in record.iter().enumerate() {
            let s = String::from_utf8(field.to_vec()).map_err(|_| ReadError {
                row: number,
                column: j as u32 + 1,
                message: "cell is not UTF-8 text".into(),
                hint:
                    "save the spreadsheet as \"CSV UTF-8\" (Excel) or choose UTF-8 when exporting"
                        .into(),
            })?;
            budget.admit(number, j as u32 + 1, Some(&s))?;
            cells.push(if s.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(unprotect(s))
            });
        }
        rows.push(Row {
            number,
            first_column: 1,
            cells,
        });
    }
    Ok(rows)
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Vec<Row>, ReadError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext.eq_ignore_ascii_case("xls") {
        return Err(xls_refused());
    }
    check_zip_parts(path)?;
    if ext.eq_ignore_ascii_case("xlsx") || ext.eq_ignore_ascii_case("xlsm") {
        return read_xlsx(path, sheet);
    }
    ods::check(path)?;
    let mut book = calamine::open_workbook_auto(path).map_err(cannot_read)?;
    let name = pick_sheet(book.sheet_names(), sheet)?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| cannot_read_sheet(&name, e))?;
    // A range starts at its first used cell, not at A1.
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut budget = Budget::default();
    let mut cells = Vec::new();
    for (r, c, d) in range.used_cells() {
        let (row, col) = (row0 + r as u32, col0 + c as u32);
        cells.push(admitted(&mut budget, row, col, cell(d))?);
    }
    rows_of(cells)
}

/// calamine reads every sheet of an `.xls` file into a dense grid as it
/// opens it, from the first to the last used cell: two cells at A1 and
/// IV65536 take half a GB per sheet, and nothing in the file can be
/// checked before that without a second BIFF reader.
fn xls_refused() -> ReadError {
    whole_file(
        "Excel 97-2003 workbooks (.xls) are not read: their reader cannot be kept to the import limits".into(),
        "open the file in your spreadsheet program and save it as .xlsx, or export the sheet as CSV UTF-8",
    )
}

/// Streams an Excel sheet cell by cell: calamine's `worksheet_range` makes
/// one dense grid from the first to the last used cell, so two cells at
/// A1 and XFD1048576 asked for 512 GB and aborted the process.
fn read_xlsx(path: &Path, sheet: Option<&str>) -> Result<Vec<Row>, ReadError> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(cannot_read)?;
    let name = pick_sheet(book.sheet_names(), sheet)?;
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|e| cannot_read_sheet(&name, e))?;
    let mut budget = Budget::default();
    let mut cells = Vec::new();
    while let Some(c) = reader
        .next_cell()
        .map_err(|e| cannot_read_sheet(&name, e))?
    {
        let (row, col) = c.get_position();
        let data: Data = c.get_value().clone().into();
        if data != Data::Empty {
            cells.push(admitted(&mut budget, row, col, cell(&data))?);
        }
    }
    rows_of(cells)
}

/// A cell at 0-based `(row, col)`, once the budget allows it.
fn admitted(
    budget: &mut Budget,
    row: u32,
    col: u32,
    c: Cell,
) -> Result<(u32, u32, Cell), ReadError> {
    let text = match &c {
        Cell::Text(t) => Some(t.as_str()),
        _ => None,
    };
    budget.admit(row.saturating_add(1), col.saturating_add(1), text)?;
    Ok((row, col, c))
}

/// Rows as the spreadsheet numbers them from used cells at 0-based
/// positions. Every row starts at the leftmost used column, as a range
/// would; rows without a used cell are left out (import skips blank rows).
fn rows_of(mut cells: Vec<(u32, u32, Cell)>) -> Result<Vec<Row>, ReadError> {
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let col0 = cells.iter().map(|(_, c, _)| *c).min().unwrap_or(0);
    let mut rows: Vec<Row> = Vec::new();
    let mut kept = 0usize;
    for (r, c, value) in cells {
        if rows.last().is_none_or(|row| row.number != r + 1) {
            rows.push(Row {
                number: r + 1,
                first_column: col0 + 1,
                cells: Vec::new(),
            });
        }
        let row = rows.last_mut().expect("just pushed");
        let index = (c - col0) as usize;
        kept += index + 1 - row.cells.len().min(index + 1);
        if kept > limits::MAX_CELLS {
            return Err(too_big(format!("more than {} cells", limits::MAX_CELLS)));
        }
        if row.cells.len() <= index {
            row.cells.resize(index + 1, Cell::Empty);
        }
        row.cells[index] = value;
    }
    Ok(rows)
}

/// Checks every part's unpacked size, as the zip declares it, before
/// calamine unpacks anything. The zip reader stops with an error at the
/// declared size, so a part cannot unpack to more than it declared.
fn check_zip_parts(path: &Path) -> Result<(), ReadError> {
    let file = std::fs::File::open(path).map_err(|e| {
        whole_file(
            format!("cannot read file: {e}"),
            "check the path and that you may read it",
        )
    })?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(cannot_read)?;
    if zip.len() > limits::MAX_PARTS {
        return Err(too_big(format!(
            "the workbook has {} parts; import reads at most {}",
            zip.len(),
            limits::MAX_PARTS
        )));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(cannot_read)?;
        let size = part.size();
        if size > limits::MAX_PART_BYTES {
            return Err(too_big(format!(
                "`{}` in the workbook unpacks to {} MiB; import reads at most {} MiB per part",
                part.name().unwrap_or_default(),
                size >> 20,
                limits::MAX_PART_BYTES >> 20
            )));
        }
        total = total.saturating_add(size);
    }
    if total > limits::MAX_UNPACKED_BYTES {
        return Err(too_big(format!(
            "the workbook unpacks to {} MiB; import reads at most {} MiB",
            total >> 20,
            limits::MAX_UNPACKED_BYTES >> 20
        )));
    }
    Ok(())
}

fn cannot_read(e: impl std::fmt::Display) -> ReadError {
    whole_file(
        format!("cannot read workbook: {e}"),
        "save it again as .xlsx from your spreadsheet program, or export it as CSV",
    )
}

fn cannot_read_sheet(name: &str, e: impl std::fmt::Display) -> ReadError {
    whole_file(
        format!("cannot read sheet `{name}`: {e}"),
        "save it again as .xlsx from your spreadsheet program",
    )
}

fn pick_sheet(names: Vec<String>, sheet: Option<&str>) -> Result<String, ReadError> {
    match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(s)))
            .cloned()
            .ok_or_else(|| {
                whole_file(
                    format!("no sheet named `{s}`"),
                    &format!("sheets in this workbook: {}", names.join(", ")),
                )
            }),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| whole_file("the workbook has no sheets".into(), "add a sheet")),
    }
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            // calamine applies the workbook's 1900 or 1904 date system.
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(y.into(), m.into(), d.into())
                .map(Cell::Date)
                .unwrap_or_else(|| Cell::BadDate(format!("{y:04}-{m:02}-{d:02}")))
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// An Excel serial day number (1900 date system) as a date. Excel counts
/// 1900-02-29, which never existed (a bug kept from Lotus 1-2-3): serial 60
/// is that day, and every later serial is one more than the true count.
pub fn excel_serial(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let day = serial.floor() as i64;
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 31)?;
    match day {
        60 => None,
        1..=59 => epoch.checked_add_signed(chrono::Duration::days(day)),
        _ => epoch.checked_add_signed(chrono::Duration::days(day - 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn excel_serial_dates_account_for_the_1900_leap_year_bug() {
        assert_eq!(excel_serial(1.0), d(1900, 1, 1));
        assert_eq!(excel_serial(59.0), d(1900, 2, 28));
        assert_eq!(excel_serial(60.0), None);
        assert_eq!(excel_serial(61.0), d(1900, 3, 1));
        assert_eq!(excel_serial(45658.0), d(2025, 1, 1));
        assert_eq!(excel_serial(46000.75), d(2025, 12, 9));
        assert_eq!(excel_serial(2_958_465.0), d(9999, 12, 31));
        assert_eq!(excel_serial(0.0), None);
        assert_eq!(excel_serial(f64::NAN), None);
    }

    #[test]
    fn export_protection_is_undone_exactly() {
        assert_eq!(unprotect("'=SUM(A1)".into()), "=SUM(A1)");
        assert_eq!(unprotect("'-1+2".into()), "-1+2");
        assert_eq!(unprotect("'- a bullet".into()), "- a bullet");
        assert_eq!(unprotect("''=1".into()), "'=1");
        assert_eq!(unprotect("'not ours".into()), "'not ours");
        assert_eq!(unprotect("'quoted'".into()), "'quoted'");
    }

    #[test]
    fn the_header_line_picks_the_delimiter() {
        assert_eq!(delimiter(b"#;Title;Status\n1,5;x;y"), b';');
        assert_eq!(delimiter(b"#,Title,Status\n"), b',');
        assert_eq!(delimiter(b"#\tTitle\tStatus\n"), b'\t');
        assert_eq!(delimiter(b"Title\n"), b',');
    }
}
