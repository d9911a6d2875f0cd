//! CSV and TSV files as tables. The text path scans them like any text; a [`DelimitedTable`]
//! follows records and fields as the decoded text streams past, so that a finding can be named
//! by row and column (`C7`, as a spreadsheet program shows the file), the header row can give
//! each value its label, the fields of chosen columns can be handed over whole (to be scanned
//! with their header as label), and the values of each column can be counted.

use std::ops::Range;

use super::Format;
use super::text::Window;

/// Fields kept of a header row; wider tables keep their first columns' headers only.
const MAX_HEADER_FIELDS: usize = 1024;
/// Bytes kept of one header field.
const MAX_HEADER_BYTES: usize = 256;
/// Longest field of a captured column handed over whole; longer ones are prose, not values.
const MAX_CAPTURED_BYTES: usize = 256;

/// Where the parser is inside a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// Outside quotes: the delimiter, a newline or (at the field's start) a quote is special.
    Unquoted,
    /// Inside a quoted field: only a quote is special.
    Quoted,
    /// Just after a quote inside a quoted field: a second quote is an escaped quote.
    QuoteInQuoted,
}

/// What the first record turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HeaderState {
    /// Still reading the first record.
    Reading,
    /// The first record is a header row.
    Found,
    /// The first record holds data.
    Absent,
}

/// A whole field of a captured column (see [`DelimitedTable::capture_columns`]), handed over
/// when it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedField {
    /// Absolute offset of its first byte (after an opening quote) in the decoded file.
    pub start: u64,
    /// 1-based record number.
    pub row: u64,
    /// 0-based field index.
    pub column: usize,
    /// The field's text, unquoted, without a trailing `\r`.
    pub text: String,
    /// Whether it was quoted: a number a spreadsheet program wrote is never quoted.
    pub quoted: bool,
}

/// Follows the records and fields of delimited text, moving forward only.
#[derive(Debug)]
pub struct DelimitedTable {
    delimiter: Option<u8>,
    tab_default: bool,
    pos: u64,
    row: u64,
    column: usize,
    quoting: Quoting,
    field_start: u64,
    field_len: usize,
    field_nonempty: bool,
    field_quoted: bool,
    /// Per column: whether its fields are captured.
    captured: Vec<bool>,
    /// The current field's text while it is captured and fits.
    field_text: String,
    /// The current field is too long to be captured.
    field_overflow: bool,
    header_state: HeaderState,
    header: Vec<String>,
    header_field: Vec<u8>,
    row_one_has_finding: bool,
    values: Vec<u64>,
}

impl DelimitedTable {
    /// A table for a file of `format` (CSV or TSV); the delimiter is sniffed from the first
    /// line (`;`, `,` or tab, the most frequent outside quotes; tab for TSV when none occurs).
    pub fn new(format: Format) -> DelimitedTable {
        DelimitedTable {
            delimiter: None,
            tab_default: format == Format::Tsv,
            pos: 0,
            row: 1,
            column: 0,
            quoting: Quoting::Unquoted,
            field_start: 0,
            field_len: 0,
            field_nonempty: false,
            field_quoted: false,
            captured: Vec::new(),
            field_text: String::new(),
            field_overflow: false,
            header_state: HeaderState::Reading,
            header: Vec::new(),
            header_field: Vec::new(),
            row_one_has_finding: false,
            values: Vec::new(),
        }
    }

    /// The header row's fields, once the first record has been read and is a header.
    pub fn header(&self) -> Option<&[String]> {
        (self.header_state == HeaderState::Found).then_some(self.header.as_slice())
    }

    /// Non-empty values per column below the header (all rows when there is no header).
    pub fn values(&self) -> &[u64] {
        &self.values
    }

    /// The 1-based row and 0-based column at the current position.
    pub fn position(&self) -> (u64, usize) {
        (self.row, self.column)
    }

    /// From the next record on, the fields of the columns marked in `columns` are handed over
    /// whole as [`CapturedField`]s (those of at most 256 bytes).
    pub fn capture_columns(&mut self, columns: Vec<bool>) {
        self.captured = columns;
    }

    /// Where the current field started, when it is being captured (a caller that locates
    /// captured fields must not move past that offset yet).
    pub fn open_captured_field(&self) -> Option<u64> {
        (self.capturing() && !self.field_overflow).then_some(self.field_start)
    }

    fn capturing(&self) -> bool {
        self.row > 1 && self.captured.get(self.column).copied().unwrap_or(false)
    }

    /// Tells the table that a finding starts at the current position: a first record holding
    /// personal data is data, not a header.
    pub fn finding_here(&mut self) {
        if self.row == 1 {
            self.row_one_has_finding = true;
        }
    }

    /// Moves to absolute offset `to`, which must lie in `window`; captured fields that end on
    /// the way are appended to `fields`. Returns `false` when it stopped short, right after the
    /// header row: the caller may choose the columns to capture, then advances again.
    #[must_use]
    pub fn advance(
        &mut self,
        window: &Window<'_>,
        to: u64,
        fields: &mut Vec<CapturedField>,
    ) -> bool {
        if to <= self.pos {
            return true;
        }
        let from = (self.pos - window.base) as usize;
        let end = (to - window.base) as usize;
        let bytes = window.text.as_bytes();
        let delimiter = match self.delimiter {
            Some(d) => d,
            None => {
                let d = sniff_delimiter(&window.text[from..], self.tab_default);
                self.delimiter = Some(d);
                d
            }
        };
        let mut i = from;
        while i < end {
            let rest = &bytes[i..end];
            let hit = match self.quoting {
                Quoting::Quoted => memchr::memchr(b'"', rest),
                Quoting::Unquoted => memchr::memchr3(delimiter, b'\n', b'"', rest),
                Quoting::QuoteInQuoted => Some(0),
            };
            let content_end = hit.map_or(end, |h| i + h);
            self.content(window.base, bytes, i..content_end);
            let Some(h) = hit else { break };
            let at = i + h;
            let b = bytes[at];
            i = at + 1;
            match self.quoting {
                Quoting::Quoted => self.quoting = Quoting::QuoteInQuoted,
                Quoting::QuoteInQuoted => {
                    if b == b'"' {
                        self.quoting = Quoting::Quoted;
                        self.content(window.base, bytes, at..at + 1);
                    } else {
                        // The quoted part ended; what follows is handled as unquoted text.
                        self.quoting = Quoting::Unquoted;
                        i = at;
                    }
                }
                Quoting::Unquoted if b == b'"' => {
                    if self.field_len == 0 {
                        self.quoting = Quoting::Quoted;
                        self.field_nonempty = true;
                        self.field_quoted = true;
                    } else {
                        self.content(window.base, bytes, at..at + 1);
                    }
                }
                Quoting::Unquoted => {
                    self.end_field(window.base + at as u64 + 1, fields);
                    if b == b'\n' && self.end_record() {
                        self.pos = window.base + i as u64;
                        return false;
                    }
                }
            }
        }
        self.pos = to;
        true
    }

    /// Ends the last record at the end of the file.
    pub fn finish(&mut self, fields: &mut Vec<CapturedField>) {
        if self.field_len > 0 || self.column > 0 || self.quoting != Quoting::Unquoted {
            self.end_field(self.pos, fields);
            let _header = self.end_record();
        }
    }

    /// Field content `range` of the window's bytes.
    fn content(&mut self, base: u64, bytes: &[u8], range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let piece = &bytes[range.clone()];
        if self.field_len == 0 {
            self.field_start = base + range.start as u64;
        }
        if !self.field_nonempty {
            self.field_nonempty = piece.iter().any(|b| !b.is_ascii_whitespace());
        }
        if self.capturing() && !self.field_overflow {
            if self.field_text.len() + piece.len() > MAX_CAPTURED_BYTES {
                self.field_overflow = true;
                self.field_text.clear();
            } else {
                // Pieces end at ASCII delimiters and quotes, so each is whole UTF-8.
                self.field_text
                    .push_str(std::str::from_utf8(piece).unwrap_or_default());
            }
        }
        self.field_len += piece.len();
        if self.row == 1
            && self.column < MAX_HEADER_FIELDS
            && self.header_field.len() < MAX_HEADER_BYTES
        {
            let room = MAX_HEADER_BYTES - self.header_field.len();
            self.header_field
                .extend_from_slice(&piece[..piece.len().min(room)]);
        }
    }

    /// Ends the current field; `next` is where the following one starts.
    fn end_field(&mut self, next: u64, fields: &mut Vec<CapturedField>) {
        if self.capturing() && !self.field_overflow && self.field_nonempty {
            let mut text = std::mem::take(&mut self.field_text);
            if text.ends_with('\r') {
                text.pop();
            }
            fields.push(CapturedField {
                start: self.field_start,
                row: self.row,
                column: self.column,
                text,
                quoted: self.field_quoted,
            });
        }
        let counts = self.row > 1 || self.header_state == HeaderState::Absent;
        if self.row == 1 && self.column < MAX_HEADER_FIELDS {
            let text = String::from_utf8_lossy(&self.header_field)
                .trim()
                .to_string();
            self.header.push(text);
            self.header_field.clear();
        }
        if counts && self.field_nonempty {
            if self.values.len() <= self.column {
                self.values.resize(self.column + 1, 0);
            }
            self.values[self.column] += 1;
        }
        self.column += 1;
        self.quoting = Quoting::Unquoted;
        self.field_start = next;
        self.field_len = 0;
        self.field_nonempty = false;
        self.field_quoted = false;
        self.field_overflow = false;
        self.field_text.clear();
    }

    /// Ends the current record; returns whether it was the first one and is a header row.
    fn end_record(&mut self) -> bool {
        let mut header = false;
        if self.row == 1 {
            let is_header = !self.row_one_has_finding
                && self.header.len() >= 2
                && self
                    .header
                    .iter()
                    .all(|h| !h.is_empty() && h.replace(',', ".").parse::<f64>().is_err());
            if is_header {
                self.header_state = HeaderState::Found;
                header = true;
            } else {
                self.header_state = HeaderState::Absent;
                // The first record was data: count it.
                for (column, field) in self.header.iter().enumerate() {
                    if !field.is_empty() {
                        if self.values.len() <= column {
                            self.values.resize(column + 1, 0);
                        }
                        self.values[column] += 1;
                    }
                }
                self.header.clear();
            }
        }
        self.row += 1;
        self.column = 0;
        header
    }
}

/// The delimiter of a table whose text starts with `text`: the most frequent of `;`, `,` and tab
/// outside quotes on the first line; tab (for TSV) or `,` when none occurs.
fn sniff_delimiter(text: &str, tab_default: bool) -> u8 {
    let line = text.split('\n').next().unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => counts[0] += 1,
            b',' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b';', b',', b'\t'];
    match counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, &n)| (n, i == 2 && tab_default))
    {
        Some((i, &n)) if n > 0 => candidates[i],
        _ if tab_default => b'\t',
        _ => b',',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `text` through a table in windows of `step` bytes (at char boundaries), capturing
    /// the columns whose header starts with `P`.
    fn read(text: &str, format: Format, step: usize) -> (DelimitedTable, Vec<CapturedField>) {
        let mut table = DelimitedTable::new(format);
        let mut fields = Vec::new();
        let window = Window {
            text,
            report: 0..text.len(),
            resume: 0,
            base: 0,
        };
        let mut at = 0;
        while at < text.len() {
            let mut next = (at + step).min(text.len());
            while !text.is_char_boundary(next) {
                next += 1;
            }
            while !table.advance(&window, next as u64, &mut fields) {
                let header = table.header().unwrap();
                let captured = header.iter().map(|h| h.starts_with('P')).collect();
                table.capture_columns(captured);
            }
            at = next;
        }
        table.finish(&mut fields);
        (table, fields)
    }

    /// The (row, column) of the first occurrence of `needle`.
    fn position_of(text: &str, needle: &str) -> (u64, usize) {
        let mut table = DelimitedTable::new(Format::Csv);
        let window = Window {
            text,
            report: 0..text.len(),
            resume: 0,
            base: 0,
        };
        let to = text.find(needle).unwrap() as u64;
        while !table.advance(&window, to, &mut Vec::new()) {}
        table.position()
    }

    #[test]
    fn the_delimiter_is_sniffed_from_the_first_line() {
        assert_eq!(sniff_delimiter("a;b;c\n1,2;3", false), b';');
        assert_eq!(sniff_delimiter("a,b,c", false), b',');
        assert_eq!(sniff_delimiter("a\tb\tc", false), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c,d", false), b',');
        assert_eq!(sniff_delimiter("single", true), b'\t');
        assert_eq!(sniff_delimiter("single", false), b',');
    }

    #[test]
    fn header_values_and_positions() {
        let text = "Vārds;Personas kods;E-pasts\r\nAnna;161175-19997;anna@x.lv\r\nJānis;;\r\n";
        for step in [1, 3, 7, 1000] {
            let (table, fields) = read(text, Format::Csv, step);
            assert_eq!(
                table.header().unwrap(),
                ["Vārds", "Personas kods", "E-pasts"],
                "{step}"
            );
            assert_eq!(table.values(), [2, 1, 1], "{step}");
            let captured: Vec<_> = fields
                .iter()
                .map(|f| (f.row, f.column, f.text.as_str()))
                .collect();
            assert_eq!(captured, [(2, 1, "161175-19997")], "{step}");
        }
        assert_eq!(position_of(text, "161175"), (2, 1));
        assert_eq!(position_of(text, "anna@"), (2, 2));
        assert_eq!(position_of(text, "Jānis"), (3, 0));
    }

    #[test]
    fn quoted_fields_may_hold_delimiters_quotes_and_newlines() {
        let text = "Vārds,Adrese,Tālrunis\n\"Anna\",\"Rīga, \"\"Centrs\"\"\nLV-1050\",26123456\n";
        assert_eq!(position_of(text, "26123456"), (2, 2));
        let (table, _) = read(text, Format::Csv, 2);
        assert_eq!(table.values(), [1, 1, 1]);
        // A quote inside an unquoted field is just a character.
        assert_eq!(position_of("a,b\n5\" disk,x@y.lv\n", "x@y"), (2, 1));
    }

    #[test]
    fn a_first_record_of_data_is_not_a_header() {
        let (table, _) = read("Anna,37\nJānis,2\n", Format::Csv, 5);
        assert!(table.header().is_none());
        assert_eq!(table.values(), [2, 2]);
        let (numeric, _) = read("1,2\n3,4\n", Format::Csv, 100);
        assert!(numeric.header().is_none());
        let mut table = DelimitedTable::new(Format::Csv);
        let text = "anna@x.lv,b\n1,2\n";
        let window = Window {
            text,
            report: 0..text.len(),
            resume: 0,
            base: 0,
        };
        table.finding_here();
        assert!(table.advance(&window, text.len() as u64, &mut Vec::new()));
        assert!(table.header().is_none());
    }

    #[test]
    fn captured_columns_hand_over_whole_fields() {
        let long = "x".repeat(300);
        let text = format!(
            "Personas kods\tTālrunis\tPiezīmes\r\n0101751234\t26123456\t{long}\r\n\"1234\"\"567890\"\t1\t\"a\tb\"\r\n\t\t"
        );
        for step in [1, 4, 1000] {
            let (table, fields) = read(&text, Format::Tsv, step);
            assert!(table.header().is_some());
            let found: Vec<_> = fields
                .iter()
                .map(|f| (f.row, f.column, f.text.as_str(), f.start, f.quoted))
                .collect();
            let first = text.find("0101751234").unwrap() as u64;
            let quoted = text.find("1234\"").unwrap() as u64;
            let ab = text.find("a\tb").unwrap() as u64;
            // Only the columns asked for; unquoted; not the 300-byte field; not empty ones.
            assert_eq!(
                found,
                [
                    (2, 0, "0101751234", first, false),
                    (3, 0, "1234\"567890", quoted, true),
                    (3, 2, "a\tb", ab, true)
                ],
                "{step}"
            );
        }
    }
}
