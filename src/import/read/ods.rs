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

    /// Cells in the dense grid calamine builds for this sheet.
    fn grid(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
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

/// Where the scan stands: the next row's number (1-based), the current
/// row's repeat count, the next cell's column number.
struct Cursor {
    row: u64,
    row_repeat: u64,
    column: u64,
}

fn scan(input: impl BufRead) -> Result<(), ReadError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    // As calamine reads it: a file it accepts must not fail here.
    reader.config_mut().check_end_names = false;
    reader.config_mut().check_comments = false;
    let mut buf = Vec::new();
    let mut skip = Vec::new();
    let mut budget = Budget::default();
    let mut grid = 0u64;
    let mut sheet = Extent::default();
    let mut at = Cursor {
        row: 1,
        row_repeat: 1,
        column: 1,
    };
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(cannot_read)?;
        let (start, closed) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) if e.name().as_ref() == "table:table" => {
                charge_sheet(&mut grid, &sheet)?;
                continue;
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                at.row = at.row.saturating_add(at.row_repeat);
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        match start.name().as_ref() {
            "table:table" => {
                sheet = Extent::default();
                at.row = 1;
            }
            "table:table-row" => {
                at.row_repeat = repeat(start, "table:number-rows-repeated");
                at.column = 1;
                if closed {
                    at.row = at.row.saturating_add(at.row_repeat);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let columns = repeat(start, "table:number-columns-repeated");
                if !closed || has_value(start) {
                    let mut bytes = attribute_text(start);
                    if !closed {
                        let inner = inner_text(&mut reader, &mut skip)?;
                        if is_string(start) {
                            bytes = bytes.saturating_add(inner);
                        }
                    }
                    let block = Block {
                        rows: (at.row, at.row.saturating_add(at.row_repeat - 1)),
                        columns: (at.column, at.column.saturating_add(columns - 1)),
                    };
                    charge_cells(&mut budget, &block, bytes)?;
                    sheet.widen(block.rows, block.columns);
                }
                at.column = at.column.saturating_add(columns);
            }
            _ => {}
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

/// Every sheet's grid stays in memory until import picks one.
fn charge_sheet(total: &mut u64, sheet: &Extent) -> Result<(), ReadError> {
    let (Some((_, row)), Some((_, column))) = (sheet.rows, sheet.columns) else {
        return Ok(());
    };
    *total = total.saturating_add(sheet.grid());
    if *total > MAX_GRID_CELLS {
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

/// calamine reads a cell's paragraphs only for a string cell.
fn is_string(e: &BytesStart) -> bool {
    matches!(e.try_get_attribute("office:value-type"), Ok(Some(a)) if a.value.as_ref() == "string")
}

/// Bytes of text inside the cell just opened, read up to its end tag;
/// `<text:s text:c="N"/>` is N spaces.
fn inner_text(
    reader: &mut quick_xml::Reader<impl BufRead>,
    buf: &mut Vec<u8>,
) -> Result<u64, ReadError> {
    let (mut depth, mut bytes) = (0u32, 0u64);
    loop {
        buf.clear();
        match reader.read_event_into(buf).map_err(cannot_read)? {
            Event::Start(e) => {
                depth += 1;
                bytes = bytes.saturating_add(spaces(&e));
            }
            Event::Empty(e) => bytes = bytes.saturating_add(spaces(&e)),
            Event::End(_) if depth == 0 => return Ok(bytes),
            Event::End(_) => depth -= 1,
            Event::Text(t) => bytes = bytes.saturating_add(t.len() as u64),
            Event::CData(t) => bytes = bytes.saturating_add(t.len() as u64),
            Event::GeneralRef(t) => bytes = bytes.saturating_add(t.len() as u64 + 2),
            Event::Eof => return Ok(bytes),
            _ => {}
        }
    }
}

fn spaces(e: &BytesStart) -> u64 {
    match e.name().as_ref() {
        "text:s" => repeat(e, "text:c"),
        _ => 0,
    }
}

/// A self-closing cell holds something if it says what type or formula
/// it has; a cell with content always counts.
fn has_value(e: &BytesStart) -> bool {
    ["office:value-type", "office:value", "office:boolean-value"]
        .iter()
        .chain(&TEXT_ATTRIBUTES)
        .any(|a| matches!(e.try_get_attribute(a), Ok(Some(_))))
}
