//! How spreadsheets read a cell: a rule both the CSV export (which guards
//! cells) and the import (which undoes exactly that guard) must share.

/// Spreadsheets run a cell as a formula when it starts with `=`, `+`, `-`
/// or `@` (Excel also after leading spaces or line breaks, and for the
/// full-width forms `＝＋－＠`), and a leading tab or carriage return can
/// hide such a start. Following OWASP's CSV-injection guidance, every such
/// cell gets a leading apostrophe, which spreadsheets show as text; every
/// cell is quoted (see `output::export::csv`). No CSV column is numeric, so `-3` is
/// neutralised too. A cell that already starts with an apostrophe before
/// such a start gets one more, so `import` can undo exactly one.
pub fn needs_guard(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        None => false,
        Some('\t' | '\r') => true,
        Some('\'') => needs_guard(chars.as_str()),
        Some(_) => s
            .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
            .starts_with([
                '=', '+', '-', '@', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
            ]),
    }
}

/// How many columns the first published `register.csv` had (see
/// [`crate::model::schema::csv_columns`]): every `register.csv` isms-site
/// ever wrote starts with these, and new columns go at the end, never
/// before, so `import` knows our own file by how it starts.
pub const FIRST_REGISTER_CSV_COLUMNS: usize = 17;
