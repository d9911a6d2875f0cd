//! Spreadsheets through calamine: the text of every cell with its sheet and A1 reference.
//! xlsx, xlsm and xlsb stream their cells, so memory stays bounded on sheets with millions of
//! cells; xls and ods are read a sheet at a time as a range (calamine has no streaming for them).

use std::fmt::Display;
use std::io::{BufReader, Read, Seek};

use calamine::{DataType, Ods, Reader, Xls, Xlsb, Xlsx};

use super::{Caps, ExtractError, Shortfall};

/// The spreadsheet formats read here (by the format name the sniffer gives).
pub const FORMATS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Calls `visit(sheet, (row, column), text, header)` for every cell that holds text or a whole
/// number, in the workbook read from `reader`. `header` is the text of the column's header
/// cell: the first row of the sheet with two or more cells, all of them text (rows above it,
/// such as a title, and the header row itself are visited without a header). A sheet is read
/// up to `caps.max_cells` cells. Returns the sheets that could not be read to their end.
pub fn for_each_cell<R: Read + Seek>(
    reader: R,
    format: &str,
    caps: &Caps,
    mut visit: impl FnMut(&str, (u32, u32), &str, Option<&str>),
) -> Result<Vec<Shortfall>, ExtractError> {
    let max_cells = caps.max_cells;
    let reader = BufReader::new(reader);
    let mut read = Vec::new();
    // xlsx and xlsb stream their cells through readers of different types with the same API.
    macro_rules! stream_sheets {
        ($wb:expr) => {
            let mut wb = $wb;
            for sheet in wb.sheet_names() {
                let mut table = Table::new(&sheet, max_cells);
                let result = wb.worksheet_cells_reader(&sheet).and_then(|mut cells| {
                    while let Some(cell) = cells.next_cell()? {
                        if !table.push(cell.get_position(), cell.get_value(), &mut visit) {
                            break;
                        }
                    }
                    Ok(())
                });
                table.finish(&mut read, &mut visit);
                record_failure(&mut read, &sheet, result);
            }
        };
    }
    match format {
        "xlsx" | "xlsm" => {
            stream_sheets!(
                Xlsx::new(reader)
                    .map_err(|e| workbook_error(matches!(e, calamine::XlsxError::Password), e))?
            );
        }
        "xlsb" => {
            stream_sheets!(
                Xlsb::new(reader)
                    .map_err(|e| workbook_error(matches!(e, calamine::XlsbError::Password), e))?
            );
        }
        "xls" => {
            let wb = Xls::new(reader)
                .map_err(|e| workbook_error(matches!(e, calamine::XlsError::Password), e))?;
            read_ranges(wb, max_cells, &mut read, &mut visit);
        }
        "ods" => {
            let wb = Ods::new(reader)
                .map_err(|e| workbook_error(matches!(e, calamine::OdsError::Password), e))?;
            read_ranges(wb, max_cells, &mut read, &mut visit);
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
    max_cells: u64,
    read: &mut Vec<Shortfall>,
    visit: &mut impl FnMut(&str, (u32, u32), &str, Option<&str>),
) where
    RS: Read + Seek,
    W: Reader<RS>,
    W::Error: Display,
{
    for sheet in wb.sheet_names() {
        let mut table = Table::new(&sheet, max_cells);
        let result = wb.worksheet_range(&sheet).map(|range| {
            let (row0, col0) = range.start().unwrap_or((0, 0));
            for (row, col, value) in range.cells() {
                if !table.push((row0 + row as u32, col0 + col as u32), value, visit) {
                    break;
                }
            }
        });
        table.finish(read, visit);
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

/// One sheet's cells in row order, with the header row found on the way. Until the header is
/// known, the current row is held back (one row at most).
struct Table<'s> {
    sheet: &'s str,
    /// Cells taken so far, and the most to take.
    cells: u64,
    max_cells: u64,
    /// A cell was refused: the sheet was not read to its end.
    capped: bool,
    /// The header row's texts by column number, once found.
    headers: Option<Vec<Option<String>>>,
    row: Option<u32>,
    /// The held-back row: `(column, text, is a number)`.
    pending: Vec<(u32, String, bool)>,
}

impl<'s> Table<'s> {
    fn new(sheet: &'s str, max_cells: u64) -> Self {
        Table {
            sheet,
            cells: 0,
            max_cells,
            capped: false,
            headers: None,
            row: None,
            pending: Vec::new(),
        }
    }

    /// Takes one cell; `false` once the sheet's cell cap is reached (the cell is not taken).
    fn push<T: DataType>(
        &mut self,
        (row, col): (u32, u32),
        value: &T,
        visit: &mut impl FnMut(&str, (u32, u32), &str, Option<&str>),
    ) -> bool {
        if self.cells >= self.max_cells {
            self.capped = true;
            return false;
        }
        self.cells += 1;
        let mut digits = itoa::Buffer::new();
        let Some((text, numeric)) = cell_text(value, &mut digits) else {
            return true;
        };
        if self.headers.is_none() && self.row != Some(row) {
            // A new row: the held-back one is settled, and may turn out to be the header.
            self.settle_row(visit);
            self.row = Some(row);
        }
        match &self.headers {
            Some(headers) => {
                let header = headers.get(col as usize).and_then(Option::as_deref);
                visit(self.sheet, (row, col), text, header)
            }
            None => self.pending.push((col, text.to_string(), numeric)),
        }
        true
    }

    /// Visits the held-back row; it becomes the header row if it has two or more cells, all text.
    fn settle_row(&mut self, visit: &mut impl FnMut(&str, (u32, u32), &str, Option<&str>)) {
        let Some(row) = self.row else { return };
        for (col, text, _) in &self.pending {
            visit(self.sheet, (row, *col), text, None);
        }
        if self.pending.len() >= 2 && self.pending.iter().all(|(_, _, numeric)| !numeric) {
            let mut headers = Vec::new();
            for (col, text, _) in self.pending.drain(..) {
                let col = col as usize;
                if headers.len() <= col {
                    headers.resize(col + 1, None);
                }
                headers[col] = Some(text);
            }
            self.headers = Some(headers);
        }
        self.pending.clear();
    }

    /// Visits what is held back; notes the sheet in `read` if the cell cap stopped it.
    fn finish(
        mut self,
        read: &mut Vec<Shortfall>,
        visit: &mut impl FnMut(&str, (u32, u32), &str, Option<&str>),
    ) {
        if self.headers.is_none() {
            self.settle_row(visit);
        }
        if self.capped {
            read.push(Shortfall::Capped(format!(
                "{}: stopped after {} cells (--max-cells)",
                self.sheet, self.max_cells
            )));
        }
    }
}

/// The text of a cell: strings as they are, whole numbers of up to 16 digits without exponent
/// or decimals (a personal code or card typed as a number; Excel keeps 15 significant digits,
/// so a 16-digit card arrives with its last digit 0), nothing for fractions, dates, booleans,
/// errors. Returns the text (a number's digits written in `digits`) and whether the cell is a
/// number.
fn cell_text<'a, T: DataType>(
    value: &'a T,
    digits: &'a mut itoa::Buffer,
) -> Option<(&'a str, bool)> {
    if let Some(s) = value.get_string() {
        return Some((s, false));
    }
    if let Some(i) = value.get_int() {
        return Some((digits.format(i), true));
    }
    let f = value.get_float()?;
    // A whole number below 10¹⁶ converts to i64 exactly, and integers print faster than floats.
    (f.fract() == 0.0 && f.abs() < 1e16).then(|| (digits.format(f as i64), true))
}

/// The A1 reference of a zero-based `(row, column)`: `(6, 2)` → `C7`.
pub fn a1(position: (u32, u32)) -> String {
    // Built by hand: this runs for every cell, and `format!` was 5 % of a workbook's scan.
    let mut cell = String::with_capacity(16);
    push_column_name(&mut cell, position.1);
    let mut digits = [0u8; 10];
    let mut row = u64::from(position.0) + 1;
    let mut start = digits.len();
    while row > 0 {
        start -= 1;
        digits[start] = b'0' + (row % 10) as u8;
        row /= 10;
    }
    cell.extend(digits[start..].iter().map(|&d| char::from(d)));
    cell
}

/// The letters of 0-based column `col` (`A`, `Z`, `AA`).
pub fn column_name(col: u32) -> String {
    let mut letters = String::new();
    push_column_name(&mut letters, col);
    letters
}

/// Appends the letters of 0-based column `col`.
fn push_column_name(out: &mut String, mut col: u32) {
    let mut letters = [0u8; 7];
    let mut start = letters.len();
    loop {
        start -= 1;
        letters[start] = b'A' + (col % 26) as u8;
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.extend(letters[start..].iter().map(|&l| char::from(l)));
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
        assert_eq!(a1((1_048_575, 16_383)), "XFD1048576");
        assert_eq!(a1((u32::MAX, u32::MAX)), "MWLQKWV4294967296");
    }

    /// Runs cells through a `Table` taking at most `max_cells`; returns what was visited and
    /// the shortfalls.
    fn visited_capped(
        cells: &[((u32, u32), calamine::Data)],
        max_cells: u64,
    ) -> (Vec<(String, Option<String>)>, Vec<Shortfall>) {
        let mut out = Vec::new();
        let mut visit = |_: &str, (r, c): (u32, u32), text: &str, header: Option<&str>| {
            out.push((format!("{}:{text}", a1((r, c))), header.map(str::to_string)))
        };
        let mut table = Table::new("S", max_cells);
        for (position, value) in cells {
            if !table.push(*position, value, &mut visit) {
                break;
            }
        }
        let mut read = Vec::new();
        table.finish(&mut read, &mut visit);
        (out, read)
    }

    fn visited(cells: &[((u32, u32), calamine::Data)]) -> Vec<(String, Option<String>)> {
        let (out, read) = visited_capped(cells, u64::MAX);
        assert!(read.is_empty());
        out
    }

    #[test]
    fn the_cell_cap_stops_a_sheet_and_says_so() {
        use calamine::Data::String as S;
        let cells: Vec<_> = (0..5).map(|r| ((r, 0), S(format!("r{r}")))).collect();
        let (out, read) = visited_capped(&cells, 3);
        assert_eq!(out.len(), 3);
        assert!(
            matches!(&read[..], [Shortfall::Capped(m)] if m == "S: stopped after 3 cells (--max-cells)")
        );
        // Exactly at the cap: read to the end, nothing to report.
        let (out, read) = visited_capped(&cells, 5);
        assert_eq!((out.len(), read.len()), (5, 0));
    }

    #[test]
    fn every_cell_is_visited_once_with_its_header() {
        use calamine::Data::{Float, String as S};
        let cells = [
            ((0, 0), S("Saraksts 2024".into())),
            ((1, 0), S("Vārds".into())),
            ((1, 1), S("Tālrunis".into())),
            ((2, 0), S("Anna".into())),
            ((2, 1), Float(26000005.0)),
            ((3, 0), S("Ilze".into())),
        ];
        let got = visited(&cells);
        let want = [
            ("A1:Saraksts 2024", None),
            ("A2:Vārds", None),
            ("B2:Tālrunis", None),
            ("A3:Anna", Some("Vārds")),
            ("B3:26000005", Some("Tālrunis")),
            ("A4:Ilze", Some("Vārds")),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(c, h)| (c.to_string(), h.map(str::to_string)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_sheet_without_a_header_row_is_still_visited() {
        use calamine::Data::Float;
        let got = visited(&[
            ((0, 0), Float(1.0)),
            ((0, 1), Float(2.0)),
            ((1, 0), Float(3.0)),
        ]);
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|(_, h)| h.is_none()));
    }

    #[test]
    fn numbers_become_digits() {
        let text = |d: calamine::Data| {
            cell_text(&d, &mut itoa::Buffer::new()).map(|(t, numeric)| (t.to_string(), numeric))
        };
        assert_eq!(
            text(calamine::Data::Float(28126512366.0)),
            Some(("28126512366".into(), true))
        );
        assert_eq!(
            text(calamine::Data::Int(26000001)),
            Some(("26000001".into(), true))
        );
        assert_eq!(
            text(calamine::Data::String("Vārds".into())),
            Some(("Vārds".into(), false))
        );
        // Excel's 15 significant digits of a 16-digit card number, and the largest taken.
        assert_eq!(
            text(calamine::Data::Float(4111111111111110.0)),
            Some(("4111111111111110".into(), true))
        );
        assert_eq!(
            text(calamine::Data::Float(9999999999999998.0)),
            Some(("9999999999999998".into(), true))
        );
        assert_eq!(text(calamine::Data::Float(1e16)), None);
        assert_eq!(text(calamine::Data::Float(12.5)), None);
        assert_eq!(text(calamine::Data::Bool(true)), None);
    }
}
