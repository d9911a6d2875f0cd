//! Spreadsheets: the text of every cell with its sheet and position, and the header row found
//! on the way. xlsx/xlsm (`xlsx.rs`) and ods (`ods.rs`) are streamed by piimap's own readers,
//! xlsb by calamine's streaming cell reader; xls through calamine's ranges, after a pass over its
//! records that refuses a workbook whose sheets would not fit the memory budget (calamine
//! allocates every sheet as one dense block, sized by its outermost cells). Chart and dialog
//! sheets hold no cells and are passed over.

use std::fmt::Display;
use std::io::{BufReader, Read, Seek};

use calamine::{DataType, Reader, SheetType, Xls, Xlsb};

use super::cell::CellValue;
use super::{Caps, ExtractError, Format, Shortfall, ods, xlsx};

/// Calls `visit(sheet, (row, column), text, header)` for every cell that holds text or a whole
/// number, in the workbook read from `reader`. `header` is the text of the column's header
/// cell: the first row of the sheet with two or more cells, all of them text (rows above it,
/// such as a title, and the header row itself are visited without a header). A sheet is read
/// up to `caps.max_cells` cells. Returns the sheets that could not be read to their end.
pub fn for_each_cell<R: Read + Seek>(
    reader: R,
    format: Format,
    caps: &Caps,
    mut visit: impl FnMut(&str, (u32, u32), &str, Option<&str>),
) -> Result<Vec<Shortfall>, ExtractError> {
    let mut read = Vec::new();
    match format {
        Format::Xlsx | Format::Xlsm => {
            let mut wb = xlsx::Workbook::open(BufReader::new(reader), caps, &mut read)?;
            for sheet in wb.sheets.clone() {
                let mut table = Table::new(&sheet.name, caps);
                let result = wb.read_sheet(&sheet, caps, |position, value| {
                    table.push(position, value, &mut visit)
                });
                table.finish(&mut read, &mut visit);
                if let Err(shortfall) = result {
                    read.push(shortfall);
                }
            }
        }
        Format::Ods => {
            // Cells come table by table; a new sheet name starts a new table.
            let mut table: Option<Table<'static>> = None;
            let shortfalls = ods::for_each_cell(reader, caps, |sheet, position, value| {
                if table.as_ref().is_none_or(|t| t.sheet != sheet) {
                    if let Some(done) = table.take() {
                        done.finish(&mut read, &mut visit);
                    }
                    table = Some(Table::owned(sheet.to_string(), caps));
                }
                let table = table.as_mut().expect("a table for this sheet");
                table.push(position, value, &mut visit)
            })?;
            if let Some(done) = table.take() {
                done.finish(&mut read, &mut visit);
            }
            read.extend(shortfalls);
        }
        Format::Xlsb => {
            let mut wb = Xlsb::new(BufReader::new(reader))
                .map_err(|e| workbook_error(matches!(e, calamine::XlsbError::Password), e))?;
            for sheet in cell_sheets(wb.sheets_metadata()) {
                let mut table = Table::new(&sheet, caps);
                let result = wb.worksheet_cells_reader(&sheet).and_then(|mut cells| {
                    while let Some(cell) = cells.next_cell()? {
                        let Some(value) = calamine_value(cell.get_value()) else {
                            continue;
                        };
                        if !table.push(cell.get_position(), value, &mut visit) {
                            break;
                        }
                    }
                    Ok(())
                });
                table.finish(&mut read, &mut visit);
                record_failure(&mut read, &sheet, result);
            }
        }
        Format::Xls => {
            let mut reader = BufReader::new(reader);
            xls_fits(&mut reader, caps)?;
            reader
                .rewind()
                .map_err(|e| ExtractError::Corrupt(e.to_string()))?;
            let mut wb = Xls::new(reader)
                .map_err(|e| workbook_error(matches!(e, calamine::XlsError::Password), e))?;
            for sheet in cell_sheets(wb.sheets_metadata()) {
                let mut table = Table::new(&sheet, caps);
                let result = wb.worksheet_range(&sheet).map(|range| {
                    let (row0, col0) = range.start().unwrap_or((0, 0));
                    for (row, col, value) in range.cells() {
                        let Some(value) = calamine_value(value) else {
                            continue;
                        };
                        let position = (row0 + row as u32, col0 + col as u32);
                        if !table.push(position, value, &mut visit) {
                            break;
                        }
                    }
                });
                table.finish(&mut read, &mut visit);
                record_failure(&mut read, &sheet, result);
            }
        }
        other => {
            return Err(ExtractError::Corrupt(format!(
                "{other} is not a spreadsheet format"
            )));
        }
    }
    Ok(read)
}

/// The sheets that can hold cells (worksheets and macro sheets; not charts, dialogs, VBA).
fn cell_sheets(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| matches!(s.typ, SheetType::WorkSheet | SheetType::MacroSheet))
        .map(|s| s.name.clone())
        .collect()
}

/// A calamine cell as a [`CellValue`]: strings and numbers; nothing for dates, booleans,
/// errors and empty cells.
fn calamine_value<T: DataType>(value: &T) -> Option<CellValue<'_>> {
    if let Some(s) = value.get_string() {
        return Some(CellValue::Text(s));
    }
    if let Some(i) = value.get_int() {
        return Some(CellValue::Int(i));
    }
    value.get_float().map(CellValue::Float)
}

/// Bytes calamine keeps per cell of a sheet's dense block (a `Data`), and per cell it collects
/// before (a `Cell<Data>`, reserved by the sheet's DIMENSIONS record).
const XLS_BYTES_PER_CELL: u64 = 32;
const XLS_BYTES_PER_COLLECTED_CELL: u64 = 40;

/// Refuses an xls workbook that calamine could not read within the memory budget: a sheet's
/// DIMENSIONS record, or its outermost cells, spanning more rows × columns than fit. Walks the
/// workbook stream's records without holding it.
fn xls_fits<R: Read + Seek>(reader: R, caps: &Caps) -> Result<(), ExtractError> {
    // calamine has a compound-file reader of its own, which panics on some damage the cfb
    // crate reports as an error: a file cfb cannot open is not handed to calamine.
    let mut file = cfb::CompoundFile::open(reader)
        .map_err(|e| ExtractError::Corrupt(format!("not a readable compound file: {e}")))?;
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|name| file.exists(name));
    let Some(stream) = stream.and_then(|name| file.open_stream(name).ok()) else {
        return Ok(());
    };
    let mut stream = BufReader::new(stream);
    let mut span = Span::default();
    let mut head = [0u8; 4];
    let mut data = [0u8; 14];
    while stream.read_exact(&mut head).is_ok() {
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = u64::from(u16::from_le_bytes([head[2], head[3]]));
        let take = len.min(data.len() as u64) as usize;
        if stream.read_exact(&mut data[..take]).is_err() {
            break;
        }
        if std::io::copy(
            &mut (&mut stream).take(len - take as u64),
            &mut std::io::sink(),
        )
        .is_err()
        {
            break;
        }
        let at = |i: usize| u64::from(u16::from_le_bytes([data[i], data[i + 1]]));
        match (kind, take) {
            // BOF: a new substream (sheet).
            (0x0809, _) => {
                span.check(caps)?;
                span = Span::default();
            }
            // DIMENSIONS, BIFF8 (32-bit rows) and BIFF5 (16-bit rows): last row/column + 1.
            (0x0200, 14) => {
                let rows = u64::from(u32::from_le_bytes([data[4], data[5], data[6], data[7]]))
                    .saturating_sub(u64::from(u32::from_le_bytes([
                        data[0], data[1], data[2], data[3],
                    ])));
                let cols = at(10).saturating_sub(at(8));
                span.declared = span.declared.max(rows.saturating_mul(cols));
            }
            (0x0200, 10) => {
                let rows = at(2).saturating_sub(at(0));
                let cols = at(6).saturating_sub(at(4));
                span.declared = span.declared.max(rows.saturating_mul(cols));
            }
            // Cells: Number, Label, LabelSst, RK, RString, BoolErr, Formula; MulRk spans columns.
            (0x0203 | 0x0204 | 0x00FD | 0x027E | 0x00D6 | 0x0205 | 0x0006, 4..) => {
                span.cell(at(0), at(2), at(2))
            }
            (0x00BD, 6..) => {
                // MulRk: row, first column, RK values, last column (the record's last u16).
                let cells = (len.saturating_sub(6)) / 6;
                span.cell(at(0), at(2), at(2) + cells.saturating_sub(1));
            }
            _ => {}
        }
    }
    span.check(caps)
}

/// The rows and columns one xls sheet spans.
#[derive(Default)]
struct Span {
    declared: u64,
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Span {
    fn cell(&mut self, row: u64, first_col: u64, last_col: u64) {
        let widen = |range: &mut Option<(u64, u64)>, lo: u64, hi: u64| {
            *range = Some(match *range {
                Some((a, b)) => (a.min(lo), b.max(hi)),
                None => (lo, hi),
            })
        };
        widen(&mut self.rows, row, row);
        widen(&mut self.cols, first_col, last_col);
    }

    fn check(&self, caps: &Caps) -> Result<(), ExtractError> {
        let extent = |r: Option<(u64, u64)>| r.map_or(0, |(a, b)| b - a + 1);
        let dense = extent(self.rows).saturating_mul(extent(self.cols));
        let bytes = dense
            .saturating_mul(XLS_BYTES_PER_CELL)
            .max(self.declared.saturating_mul(XLS_BYTES_PER_COLLECTED_CELL));
        if bytes > caps.max_memory / 2 {
            return Err(ExtractError::Capped(format!(
                "a sheet spans {} cells (rows x columns), more than reading it within \
                 --max-file-memory allows",
                dense.max(self.declared)
            )));
        }
        Ok(())
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
    sheet: std::borrow::Cow<'s, str>,
    /// Cells taken so far, and the most to take.
    cells: u64,
    max_cells: u64,
    /// When reading must stop (`--max-file-time`).
    caps: Caps,
    /// A cell was refused: the sheet was not read to its end.
    capped: Option<String>,
    /// The header row's texts by column number, once found.
    headers: Option<Vec<Option<String>>>,
    row: Option<u32>,
    /// The held-back row: `(column, text, is a number)`.
    pending: Vec<(u32, String, bool)>,
}

impl<'s> Table<'s> {
    fn new(sheet: &'s str, caps: &Caps) -> Self {
        Table::with_name(std::borrow::Cow::Borrowed(sheet), caps)
    }

    fn owned(sheet: String, caps: &Caps) -> Table<'static> {
        Table::with_name(std::borrow::Cow::Owned(sheet), caps)
    }

    fn with_name(sheet: std::borrow::Cow<'s, str>, caps: &Caps) -> Self {
        Table {
            sheet,
            cells: 0,
            max_cells: caps.max_cells,
            caps: *caps,
            capped: None,
            headers: None,
            row: None,
            pending: Vec::new(),
        }
    }

    /// Takes one cell; `false` once the sheet's cell cap is reached or the file's time is up
    /// (the cell is not taken).
    fn push(
        &mut self,
        (row, col): (u32, u32),
        value: CellValue<'_>,
        visit: &mut impl FnMut(&str, (u32, u32), &str, Option<&str>),
    ) -> bool {
        if self.cells >= self.max_cells {
            self.capped = Some(format!(
                "stopped after {} cells (--max-cells)",
                self.max_cells
            ));
            return false;
        }
        self.cells += 1;
        if self.cells.is_multiple_of(4096) && self.caps.out_of_time() {
            self.capped = Some(format!(
                "stopped after {} cells (--max-file-time)",
                self.cells
            ));
            return false;
        }
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
                visit(&self.sheet, (row, col), text, header)
            }
            None => self.pending.push((col, text.to_string(), numeric)),
        }
        true
    }

    /// Visits the held-back row; it becomes the header row if it has two or more cells, all text.
    fn settle_row(&mut self, visit: &mut impl FnMut(&str, (u32, u32), &str, Option<&str>)) {
        let Some(row) = self.row else { return };
        for (col, text, _) in &self.pending {
            visit(&self.sheet, (row, *col), text, None);
        }
        if self.pending.len() >= 2 && self.pending.iter().all(|(_, _, numeric)| !numeric) {
            let mut headers = Vec::new();
            for (col, text, _) in self.pending.drain(..) {
                let col = col as usize;
                // A header far to the right (a stray cell in column XFD) is not worth a
                // vector that wide.
                if col >= 1 << 14 {
                    continue;
                }
                if headers.len() <= col {
                    headers.resize(col + 1, None);
                }
                headers[col] = Some(text);
            }
            self.headers = Some(headers);
        }
        self.pending.clear();
    }

    /// Visits what is held back; notes the sheet in `read` if a cap stopped it.
    fn finish(
        mut self,
        read: &mut Vec<Shortfall>,
        visit: &mut impl FnMut(&str, (u32, u32), &str, Option<&str>),
    ) {
        if self.headers.is_none() {
            self.settle_row(visit);
        }
        if let Some(why) = &self.capped {
            read.push(Shortfall::Capped(format!("{}: {why}", self.sheet)));
        }
    }
}

/// The text of a cell: strings as they are, whole numbers of up to 16 digits without exponent
/// or decimals (a personal code or card typed as a number; Excel keeps 15 significant digits,
/// so a 16-digit card arrives with its last digit 0), nothing for fractions. Returns the text
/// (a number's digits written in `digits`) and whether the cell is a number.
fn cell_text<'a>(value: CellValue<'a>, digits: &'a mut itoa::Buffer) -> Option<(&'a str, bool)> {
    match value {
        CellValue::Text(s) => Some((s, false)),
        CellValue::Int(i) => Some((digits.format(i), true)),
        // A whole number below 10¹⁶ converts to i64 exactly, and integers print faster than
        // floats.
        CellValue::Float(f) => {
            (f.fract() == 0.0 && f.abs() < 1e16).then(|| (digits.format(f as i64), true))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::cell::a1;

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
        let caps = Caps {
            max_cells,
            ..Caps::TEST
        };
        let mut table = Table::new("S", &caps);
        for (position, value) in cells {
            let Some(value) = calamine_value(value) else {
                continue;
            };
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
            let value = calamine_value(&d)?;
            cell_text(value, &mut itoa::Buffer::new()).map(|(t, numeric)| (t.to_string(), numeric))
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
