//! A pre-scan of an OpenDocument sheet before calamine reads it.
//!
//! calamine's ODS reader parses every sheet of the file as it opens it and
//! expands `table:number-rows-repeated` / `table:number-columns-repeated`
//! into dense grids (up to 100 million cells, several GB). So the extent of
//! every sheet is measured here first, streaming `content.xml` without
//! keeping it, and a file past the import limits is refused before calamine
//! runs. Empty repeated rows and cells cost nothing in calamine and are not
//! counted: LibreOffice ends every sheet with a block of a million of them.

use super::{Budget, ReadError, cannot_read, limits, too_big_at};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufRead, BufReader};
use std::path::Path;

/// The used area of one sheet, 1-based and inclusive.
#[derive(Default)]
struct Extent {
    rows: Option<(u64, u64)>,
    columns: Option<(u64, u64)>,
}

impl Extent {
    fn widen(&mut self, rows: (u64, u64), columns: (u64, u64)) {
        let join = |a: Option<(u64, u64)>, b: (u64, u64)| {
            Some(a.map_or(b, |(lo, hi)| (lo.min(b.0), hi.max(b.1))))
        };
        self.rows = join(self.rows, rows);
        self.columns = join(self.columns, columns);
    }

    /// Cells calamine holds for this sheet: while parsing, every row
    /// from column A to its last used cell; then the dense grid of the
    /// used area. Counting from column A bounds both.
    fn grid(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some((r0, r1)), Some((_, c1))) => (r1 - r0 + 1).saturating_mul(c1),
            _ => 0,
        }
    }
}

/// Refuses an `.ods` file whose sheets, once calamine expands them, pass
/// the limits. `content.xml`'s unpacked size is already capped by the
/// caller's part check.
pub(super) fn check(path: &Path) -> Result<(), ReadError> {
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(cannot_read)?;
    let content = zip.by_name("content.xml").map_err(cannot_read)?;
    scan(BufReader::new(content))
}

/// Where the scan stands: inside a sheet and a row (as calamine sees
/// them), the next row's number (1-based), the current row's repeat
/// count, the next cell's column number.
struct Cursor {
    in_sheet: bool,
    in_row: bool,
    row: u64,
    row_repeat: u64,
    column: u64,
}

/// Walks `content.xml` with calamine's reader settings and calamine's
/// rules for which element starts and ends what, so that this scan sees
/// the same rows and cells calamine will build, however the XML is bent.
fn scan(input: impl BufRead) -> Result<(), ReadError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    config.trim_text(false);
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut skip = Vec::new();
    let mut budget = Budget::default();
    let mut grid = 0u64;
    let mut sheet = Extent::default();
    let mut at = Cursor {
        in_sheet: false,
        in_row: false,
        row: 1,
        row_repeat: 1,
        column: 1,
    };
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).map_err(cannot_read)? {
            Event::Eof => return Ok(()),
            Event::Start(e) => match e.name().as_ref() {
                "table:table"
                    if !at.in_sheet
                        && e.try_get_attribute("table:name").ok().flatten().is_some() =>
                {
                    sheet = Extent::default();
                    at.in_sheet = true;
                    at.row = 1;
                }
                "table:table-row" if at.in_sheet && !at.in_row => {
                    at.in_row = true;
                    at.row_repeat = repeat(&e, "table:number-rows-repeated");
                    at.column = 1;
                }
                "table:table-cell" | "table:covered-table-cell" if at.in_row => {
                    let e = e.into_owned();
                    cell(&mut reader, &mut skip, &e, &mut at, &mut budget, &mut sheet)?;
                    // Refused at the cell that passes the limit, not at the sheet's end.
                    fit_sheets(grid, &sheet)?;
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" if at.in_row => {
                    at.in_row = false;
                    at.row = at.row.saturating_add(at.row_repeat);
                }
                "table:table" if at.in_sheet && !at.in_row => {
                    at.in_sheet = false;
                    fit_sheets(grid, &sheet)?;
                    grid = grid.saturating_add(sheet.grid());
                }
                _ => {}
            },
            _ => {}
        }
    }
}

/// One cell, read to its end as calamine reads it, charged if it holds
/// something.
fn cell(
    reader: &mut quick_xml::Reader<impl BufRead>,
    buf: &mut Vec<u8>,
    e: &BytesStart,
    at: &mut Cursor,
    budget: &mut Budget,
    sheet: &mut Extent,
) -> Result<(), ReadError> {
    let columns = repeat(e, "table:number-columns-repeated");
    let value = Value::of(e);
    let mut bytes = attribute_text(e);
    if value.reads_content {
        bytes = bytes.saturating_add(content_text(reader, buf)?);
    } else {
        buf.clear();
        reader
            .read_to_end_into(e.name(), buf)
            .map_err(cannot_read)?;
    }
    if value.used {
        let block = Block {
            rows: (at.row, at.row.saturating_add(at.row_repeat - 1)),
            columns: (at.column, at.column.saturating_add(columns - 1)),
        };
        charge_cells(budget, &block, bytes)?;
        sheet.widen(block.rows, block.columns);
    }
    at.column = at.column.saturating_add(columns);
    Ok(())
}

/// What calamine's `get_datatype` makes of a cell's attributes.
struct Value {
    /// calamine reads the paragraphs inside for the value.
    reads_content: bool,
    /// The cell may hold a value or a formula (counted generously).
    used: bool,
}

impl Value {
    fn of(e: &BytesStart) -> Value {
        let (mut set, mut string, mut error, mut empty_string, mut formula) =
            (false, false, false, false, false);
        for a in e.attributes().with_checks(false).flatten() {
            let v = a.value.as_ref();
            match a.key.as_ref() {
                "office:value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value"
                    if !set =>
                {
                    set = true
                }
                "office:string-value" if !set => {
                    set = true;
                    empty_string = v.is_empty();
                }
                "office:value-type" if !set => string = v == "string",
                "calcext:value-type" => error = v == "error",
                "table:formula" => formula = true,
                _ => {}
            }
        }
        let reads_content = (!set && string) || (error && empty_string);
        Value {
            reads_content,
            used: set || formula || reads_content,
        }
    }
}

/// A used cell as calamine copies it: `columns` times in its row, and the
/// row `rows` times.
struct Block {
    rows: (u64, u64),
    columns: (u64, u64),
}

fn charge_cells(budget: &mut Budget, block: &Block, bytes: u64) -> Result<(), ReadError> {
    let (row, column) = (clamp(block.rows.1), clamp(block.columns.1));
    budget.reach(row, column)?;
    let copies =
        (block.rows.1 - block.rows.0 + 1).saturating_mul(block.columns.1 - block.columns.0 + 1);
    let each = match bytes {
        0 => 0,
        n => n.saturating_add(STRING_OVERHEAD),
    };
    budget.charge(row, column, 0, each.saturating_mul(copies))
}

/// What calamine spends on a text cell beyond its characters: the value's
/// and the formula's `String`, and the allocator's rounding.
const STRING_OVERHEAD: u64 = 64;

/// Cells of all sheets together: calamine keeps a value grid and a
/// formula grid per sheet and copies the one import reads, about four
/// times what a cell costs on the `.xlsx` path.
const MAX_GRID_CELLS: u64 = limits::MAX_CELLS as u64 / 2;

/// Every sheet's grid stays in memory until import picks one: `before`
/// is what the sheets before this one hold.
fn fit_sheets(before: u64, sheet: &Extent) -> Result<(), ReadError> {
    let (Some((_, row)), Some((_, column))) = (sheet.rows, sheet.columns) else {
        return Ok(());
    };
    if before.saturating_add(sheet.grid()) > MAX_GRID_CELLS {
        return Err(too_big_at(
            clamp(row),
            clamp(column),
            format!(
                "more than {MAX_GRID_CELLS} cells in the .ods file's sheets, empty ones between used ones included"
            ),
        ));
    }
    Ok(())
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A repeat count as calamine reads it; one if missing, zero or not a
/// number (calamine then refuses the file itself).
fn repeat(e: &BytesStart, name: &str) -> u64 {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1)
}

/// The attributes calamine copies into a cell's value or formula.
const TEXT_ATTRIBUTES: [&str; 4] = [
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "table:formula",
];

fn attribute_text(e: &BytesStart) -> u64 {
    TEXT_ATTRIBUTES
        .iter()
        .filter_map(|a| e.try_get_attribute(a).ok().flatten())
        .map(|a| a.value.len() as u64)
        .sum()
}

/// Bytes of text calamine collects from a string cell's content: it
/// reads up to the first end of any cell, skips annotations, and makes
/// `<text:s text:c="N"/>` N spaces.
fn content_text(
    reader: &mut quick_xml::Reader<impl BufRead>,
    buf: &mut Vec<u8>,
) -> Result<u64, ReadError> {
    let mut bytes = 0u64;
    loop {
        buf.clear();
        match reader.read_event_into(buf).map_err(cannot_read)? {
            Event::End(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                return Ok(bytes);
            }
            Event::Start(e) if e.name().as_ref() == "office:annotation" => {
                skip_annotation(reader, buf)?
            }
            Event::Start(e) => bytes = bytes.saturating_add(spaces(&e)),
            Event::Text(t) => bytes = bytes.saturating_add(t.len() as u64),
            Event::GeneralRef(t) => bytes = bytes.saturating_add(t.len() as u64 + 2),
            Event::Eof => return Err(cannot_read("a cell is not closed")),
            _ => {}
        }
    }
}

/// Up to the first end of an annotation, as calamine skips it; calamine
/// would wait for ever at the end of the file, so that is refused here.
fn skip_annotation(
    reader: &mut quick_xml::Reader<impl BufRead>,
    buf: &mut Vec<u8>,
) -> Result<(), ReadError> {
    loop {
        buf.clear();
        match reader.read_event_into(buf).map_err(cannot_read)? {
            Event::End(e) if e.name().as_ref() == "office:annotation" => return Ok(()),
            Event::Eof => return Err(cannot_read("a note in a cell is not closed")),
            _ => {}
        }
    }
}

/// Characters a content element adds: N spaces for `text:s`, one for a
/// tab, a line break or a paragraph after the first.
fn spaces(e: &BytesStart) -> u64 {
    match e.name().as_ref() {
        "text:s" => repeat(e, "text:c"),
        _ => 1,
    }
}
