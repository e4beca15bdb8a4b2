//! Reading a spreadsheet into rows of cells, each with the row and column
//! number a spreadsheet program shows (both from 1, header row included).

use calamine::{Data, Reader};
use chrono::NaiveDate;
use std::path::Path;

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

/// The kinds of file `import` reads, by extension.
pub fn is_workbook(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
}

pub fn read(path: &Path, sheet: Option<&str>) -> Result<Vec<Row>, ReadError> {
    if is_workbook(path) {
        read_workbook(path, sheet)
    } else {
        if sheet.is_some() {
            return Err(whole_file(
                "--sheet applies to workbooks only; this file is read as CSV".into(),
                "leave out --sheet for a .csv file",
            ));
        }
        read_csv(path)
    }
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
/// does not run them as formulas (see `export::cell`); undo exactly that.
fn unprotect(s: String) -> String {
    let b = s.as_bytes();
    let protected = match b {
        [b'\'', b'=' | b'+' | b'@' | b'\t' | b'\r', ..] => true,
        [b'\'', b'-', next, ..] => *next != b' ',
        _ => false,
    };
    if protected { s[1..].to_string() } else { s }
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
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        whole_file(
            format!("cannot read workbook: {e}"),
            "save it again as .xlsx from your spreadsheet program, or export it as CSV",
        )
    })?;
    let names = book.sheet_names();
    let name = match sheet {
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
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| whole_file("the workbook has no sheets".into(), "add a sheet"))?,
    };
    let range = book.worksheet_range(&name).map_err(|e| {
        whole_file(
            format!("cannot read sheet `{name}`: {e}"),
            "save it again as .xlsx from your spreadsheet program",
        )
    })?;
    // A range starts at its first used cell, not at A1.
    let (row0, col0) = range.start().unwrap_or((0, 0));
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| Row {
            number: row0 + i as u32 + 1,
            first_column: col0 + 1,
            cells: cells.iter().map(cell).collect(),
        })
        .collect())
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
        assert_eq!(unprotect("'- not ours".into()), "'- not ours");
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
