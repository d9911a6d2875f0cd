//! OpenDocument spreadsheets (ods), streamed from `content.xml` with quick-xml. A table's rows
//! and cells come one by one; repeated rows and cells (`number-rows-repeated`,
//! `number-columns-repeated`, which LibreOffice writes for runs of empty or equal cells) move
//! the position without being held or expanded when empty, and are taken once per repetition,
//! up to the cell cap, when they hold something. So an 18 KB file that repeats a row of 16,384
//! cells 20,000 times costs what its content costs, not gigabytes.

use std::io::{BufRead, BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::cell::CellValue;
use super::xml;
use super::{Caps, ExtractError, Shortfall};

/// A cell being read.
#[derive(Default)]
struct PendingCell {
    /// How many columns it covers.
    repeat: u32,
    /// A number's `office:value`, when its type is a number.
    number: Option<f64>,
    /// Whether its type is text (or absent: text then).
    text_type: bool,
    text: String,
    paragraphs: u32,
}

/// A row's non-empty cells, waiting for the row's end (it may repeat).
struct Row {
    repeat: u32,
    cells: Vec<(u32, RowCell)>,
}

enum RowCell {
    Text(String),
    Number(f64),
}

/// Calls `visit(sheet, (row, column), value)` for every cell with text or a number, table by
/// table; `visit` returns `false` to skip the rest of that table (its cell cap). Returns what
/// was not read.
pub fn for_each_cell<R: Read + Seek>(
    reader: R,
    caps: &Caps,
    mut visit: impl FnMut(&str, (u32, u32), CellValue<'_>) -> bool,
) -> Result<Vec<Shortfall>, ExtractError> {
    let mut zip = ZipArchive::new(BufReader::new(reader))
        .map_err(|e| ExtractError::Corrupt(e.to_string()))?;
    if super::office::odf_encrypted(&mut zip) {
        return Err(ExtractError::Encrypted);
    }
    let part = zip
        .by_name("content.xml")
        .map_err(|e| ExtractError::Corrupt(format!("no content.xml ({e})")))?;
    let size = part.size();
    if size > caps.max_part {
        return Err(ExtractError::Capped(format!(
            "content.xml is {size} bytes, over --max-extracted-size"
        )));
    }
    let mut limited = part.take(caps.max_part);
    let mut shortfalls = Vec::new();
    if let Err(e) = read_tables(
        BufReader::new(&mut limited),
        caps,
        &mut shortfalls,
        &mut visit,
    ) {
        shortfalls.push(Shortfall::Unreadable(format!("content.xml: {e}")));
    }
    if limited.limit() == 0 {
        shortfalls.push(Shortfall::Capped(format!(
            "content.xml: cut at --max-extracted-size ({} bytes)",
            caps.max_part
        )));
    }
    Ok(shortfalls)
}

/// A count attribute (`number-rows-repeated`), at least 1.
fn count(e: &BytesStart<'_>, name: &str) -> u32 {
    xml::attr(e, name)
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

/// A row with content repeated more often than this is read this many times: the rest are
/// copies, and a file of a few kilobytes could otherwise ask for hundreds of millions of cells.
const ROW_REPEATS_READ: u32 = 1000;

/// Streams every table of `content.xml`.
fn read_tables(
    part: impl BufRead,
    caps: &Caps,
    shortfalls: &mut Vec<Shortfall>,
    visit: &mut impl FnMut(&str, (u32, u32), CellValue<'_>) -> bool,
) -> Result<(), String> {
    let mut xml = Reader::from_reader(part);
    let mut buf = Vec::new();
    let mut sheet = String::new();
    // The table's cell cap bit: the rest of it is passed over.
    let mut skipping = false;
    let mut row_number = 0u32;
    let mut col = 0u32;
    let mut row: Option<Row> = None;
    let mut cell: Option<PendingCell> = None;
    // Depth of `text:p`/`text:h` inside the current cell.
    let mut in_paragraph = 0u32;
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| xml::error_message(&e, &xml))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "table" => {
                    sheet = xml::attr(&e, "name").unwrap_or_default().into_owned();
                    skipping = false;
                    row_number = 0;
                }
                "table-row" => {
                    row = Some(Row {
                        repeat: count(&e, "number-rows-repeated"),
                        cells: Vec::new(),
                    });
                    col = 0;
                }
                "table-cell" | "covered-table-cell" => cell = Some(start_cell(&e)),
                "p" | "h" if cell.is_some() => {
                    if let Some(cell) = &mut cell
                        && in_paragraph == 0
                    {
                        if cell.paragraphs > 0 {
                            cell.text.push('\n');
                        }
                        cell.paragraphs += 1;
                    }
                    in_paragraph += 1;
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "table-row" => {
                    row_number = row_number.saturating_add(count(&e, "number-rows-repeated"))
                }
                "table-cell" | "covered-table-cell" => {
                    let done = start_cell(&e);
                    end_cell(done, &mut col, row.as_mut());
                }
                "s" if in_paragraph > 0 => {
                    if let Some(cell) = &mut cell {
                        let n = count(&e, "c").min(64) as usize;
                        cell.text.extend(std::iter::repeat_n(' ', n));
                    }
                }
                "tab" if in_paragraph > 0 => push(&mut cell, "\t"),
                "line-break" if in_paragraph > 0 => push(&mut cell, "\n"),
                _ => {}
            },
            Event::Text(t) if in_paragraph > 0 => {
                if let Some(cell) = &mut cell {
                    cell.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_paragraph > 0 => {
                if let Some(cell) = &mut cell {
                    xml::push_reference(&r, &mut cell.text);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "p" | "h" => in_paragraph = in_paragraph.saturating_sub(1),
                "table-cell" | "covered-table-cell" => {
                    if let Some(done) = cell.take() {
                        end_cell(done, &mut col, row.as_mut());
                    }
                    in_paragraph = 0;
                }
                "table-row" => {
                    if let Some(done) = row.take() {
                        if !done.cells.is_empty() && done.repeat > ROW_REPEATS_READ && !skipping {
                            shortfalls.push(Shortfall::Capped(format!(
                                "{sheet}: a row with content repeated {} times, of which the \
                                 first {ROW_REPEATS_READ} were read",
                                done.repeat
                            )));
                        }
                        if !skipping && !emit_row(&sheet, row_number, &done, visit) {
                            skipping = true;
                        }
                        row_number = row_number.saturating_add(done.repeat);
                    }
                    if caps.out_of_time() {
                        return Err("stopped at --max-file-time".into());
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

fn push(cell: &mut Option<PendingCell>, text: &str) {
    if let Some(cell) = cell {
        cell.text.push_str(text);
    }
}

/// A cell's start tag: its repetition and value type.
fn start_cell(e: &BytesStart<'_>) -> PendingCell {
    let kind = xml::attr(e, "value-type");
    let number = match kind.as_deref() {
        Some("float" | "percentage" | "currency") => {
            xml::attr(e, "value").and_then(|v| v.trim().parse::<f64>().ok())
        }
        _ => None,
    };
    PendingCell {
        repeat: count(e, "number-columns-repeated"),
        number,
        text_type: matches!(kind.as_deref(), None | Some("string")),
        ..PendingCell::default()
    }
}

/// Puts a finished cell into its row (if it holds something) and moves past its columns.
fn end_cell(cell: PendingCell, col: &mut u32, row: Option<&mut Row>) {
    let value = match cell.number {
        Some(n) => Some(RowCell::Number(n)),
        None if cell.text_type && !cell.text.trim().is_empty() => Some(RowCell::Text(cell.text)),
        None => None,
    };
    if let (Some(value), Some(row)) = (value, row) {
        // A repeated cell with content stands for that many cells.
        let repeat = cell.repeat.min(u32::MAX - *col);
        if repeat > 1 {
            for i in 0..repeat {
                let copy = match &value {
                    RowCell::Text(t) => RowCell::Text(t.clone()),
                    RowCell::Number(n) => RowCell::Number(*n),
                };
                row.cells.push((*col + i, copy));
                // Beyond a sheet's width (16,384 in LibreOffice) a repeat is no real cell.
                if i >= 1 << 14 {
                    break;
                }
            }
        } else {
            row.cells.push((*col, value));
        }
    }
    *col = col.saturating_add(cell.repeat);
}

/// Visits a finished row once per repetition; `false` when `visit` refused a cell.
fn emit_row(
    sheet: &str,
    first: u32,
    row: &Row,
    visit: &mut impl FnMut(&str, (u32, u32), CellValue<'_>) -> bool,
) -> bool {
    if row.cells.is_empty() {
        return true;
    }
    for r in 0..row.repeat.min(ROW_REPEATS_READ) {
        let number = first.saturating_add(r);
        for (col, value) in &row.cells {
            let value = match value {
                RowCell::Text(t) => CellValue::Text(t),
                RowCell::Number(n) => CellValue::Float(*n),
            };
            if !visit(sheet, (number, *col), value) {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(content: &str, caps: &Caps) -> Vec<String> {
        let mut out = Vec::new();
        let mut visit = |sheet: &str, (r, c): (u32, u32), v: CellValue<'_>| {
            out.push(format!("{sheet}!{}:{v:?}", super::super::cell::a1((r, c))));
            out.len() < 50
        };
        let mut shortfalls = Vec::new();
        read_tables(content.as_bytes(), caps, &mut shortfalls, &mut visit).unwrap();
        out
    }

    #[test]
    fn cells_rows_repeats_and_text() {
        let content = r#"<office:document-content><office:body><office:spreadsheet>
          <table:table table:name="Saraksts">
            <table:table-row><table:table-cell office:value-type="string"><text:p>Vārds</text:p></table:table-cell>
              <table:table-cell table:number-columns-repeated="3"/>
              <table:table-cell office:value-type="float" office:value="26123456"><text:p>26 123 456</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            <table:table-row>
              <table:table-cell> <text:p>Anna<text:s text:c="2"/>Bērziņa</text:p><text:p>otrā</text:p> </table:table-cell>
              <table:table-cell office:value-type="date" office:date-value="2024-01-01"><text:p>01.01.24</text:p></table:table-cell>
            </table:table-row>
          </table:table>
        </office:spreadsheet></office:body></office:document-content>"#;
        assert_eq!(
            cells(content, &Caps::TEST),
            [
                "Saraksts!A1:Text(\"Vārds\")",
                "Saraksts!E1:Float(26123456.0)",
                "Saraksts!A1002:Text(\"Anna  Bērziņa\\notrā\")",
            ]
        );
    }

    #[test]
    fn repeated_content_is_taken_per_repetition_and_capped() {
        let content = r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="20000">
            <table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell>
            </table:table-row></table:table>"#;
        // The visitor refuses after 50 cells: the table is passed over from there.
        assert_eq!(cells(content, &Caps::TEST).len(), 50);
    }
}
