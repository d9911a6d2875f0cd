//! Spreadsheets through calamine: the text of every cell with its sheet and A1 reference.
//! xlsx, xlsm and xlsb stream their cells, so memory stays bounded on sheets with millions of
//! cells; xls and ods are read a sheet at a time as a range (calamine has no streaming for them).

use std::borrow::Cow;
use std::fmt::Display;
use std::io::{BufReader, Read, Seek};

use calamine::{DataType, Ods, Reader, Xls, Xlsb, Xlsx};

use super::{ExtractError, Shortfall};

/// The spreadsheet formats read here (by the format name the sniffer gives).
pub const FORMATS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Calls `visit(sheet, (row, column), text)` for every cell that holds text or a whole
/// number, in the workbook read from `reader`. Returns the sheets that could not be read to
/// their end.
pub fn for_each_cell<R: Read + Seek>(
    reader: R,
    format: &str,
    mut visit: impl FnMut(&str, (u32, u32), &str),
) -> Result<Vec<Shortfall>, ExtractError> {
    let reader = BufReader::new(reader);
    let mut read = Vec::new();
    match format {
        "xlsx" | "xlsm" => {
            let mut wb = Xlsx::new(reader)
                .map_err(|e| workbook_error(matches!(e, calamine::XlsxError::Password), e))?;
            for sheet in wb.sheet_names() {
                let result = wb.worksheet_cells_reader(&sheet).and_then(|mut cells| {
                    while let Some(cell) = cells.next_cell()? {
                        visit_cell(&sheet, cell.get_position(), cell.get_value(), &mut visit);
                    }
                    Ok(())
                });
                record_failure(&mut read, &sheet, result);
            }
        }
        "xlsb" => {
            let mut wb = Xlsb::new(reader)
                .map_err(|e| workbook_error(matches!(e, calamine::XlsbError::Password), e))?;
            for sheet in wb.sheet_names() {
                let result = wb.worksheet_cells_reader(&sheet).and_then(|mut cells| {
                    while let Some(cell) = cells.next_cell()? {
                        visit_cell(&sheet, cell.get_position(), cell.get_value(), &mut visit);
                    }
                    Ok(())
                });
                record_failure(&mut read, &sheet, result);
            }
        }
        "xls" => {
            let wb = Xls::new(reader)
                .map_err(|e| workbook_error(matches!(e, calamine::XlsError::Password), e))?;
            read_ranges(wb, &mut read, &mut visit);
        }
        "ods" => {
            let wb = Ods::new(reader)
                .map_err(|e| workbook_error(matches!(e, calamine::OdsError::Password), e))?;
            read_ranges(wb, &mut read, &mut visit);
        }
        other => {
            return Err(ExtractError::Corrupt(format!(
                "{other} is not a spreadsheet format"
            )));
        }
    }
    Ok(read)
}

/// Reads every sheet as a whole range (xls, ods).
fn read_ranges<RS, W>(
    mut wb: W,
    read: &mut Vec<Shortfall>,
    visit: &mut impl FnMut(&str, (u32, u32), &str),
) where
    RS: Read + Seek,
    W: Reader<RS>,
    W::Error: Display,
{
    for sheet in wb.sheet_names() {
        let result = wb.worksheet_range(&sheet).map(|range| {
            let (row0, col0) = range.start().unwrap_or((0, 0));
            for (row, col, value) in range.cells() {
                visit_cell(&sheet, (row0 + row as u32, col0 + col as u32), value, visit);
            }
        });
        record_failure(read, &sheet, result);
    }
}

fn record_failure<E: Display>(read: &mut Vec<Shortfall>, sheet: &str, result: Result<(), E>) {
    if let Err(e) = result {
        read.push(Shortfall::Unreadable(format!("{sheet}: {e}")));
    }
}

fn workbook_error(password: bool, e: impl Display) -> ExtractError {
    if password {
        ExtractError::Encrypted
    } else {
        ExtractError::Corrupt(e.to_string())
    }
}

fn visit_cell<T: DataType>(
    sheet: &str,
    position: (u32, u32),
    value: &T,
    visit: &mut impl FnMut(&str, (u32, u32), &str),
) {
    if let Some(text) = cell_text(value) {
        visit(sheet, position, &text);
    }
}

/// The text of a cell: strings as they are, whole numbers without exponent or decimals (a
/// personal code or card typed as a number), nothing for fractions, dates, booleans, errors.
fn cell_text<T: DataType>(value: &T) -> Option<Cow<'_, str>> {
    if let Some(s) = value.get_string() {
        return Some(Cow::Borrowed(s));
    }
    if let Some(i) = value.get_int() {
        return Some(Cow::Owned(i.to_string()));
    }
    let f = value.get_float()?;
    (f.fract() == 0.0 && f.abs() < 1e15).then(|| Cow::Owned(format!("{f:.0}")))
}

/// The A1 reference of a zero-based `(row, column)`: `(6, 2)` → `C7`.
pub fn a1(position: (u32, u32)) -> String {
    let (row, mut col) = position;
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1((0, 0)), "A1");
        assert_eq!(a1((6, 2)), "C7");
        assert_eq!(a1((0, 25)), "Z1");
        assert_eq!(a1((0, 26)), "AA1");
        assert_eq!(a1((9, 701)), "ZZ10");
        assert_eq!(a1((0, 702)), "AAA1");
    }

    #[test]
    fn numbers_become_digits() {
        assert_eq!(
            cell_text(&calamine::Data::Float(28126512366.0)).as_deref(),
            Some("28126512366")
        );
        assert_eq!(
            cell_text(&calamine::Data::Int(26000001)).as_deref(),
            Some("26000001")
        );
        assert_eq!(cell_text(&calamine::Data::Float(12.5)), None);
        assert_eq!(cell_text(&calamine::Data::Bool(true)), None);
    }
}
