//! Tables in the scan: the header as each value's label, per-column tallies (spreadsheets and
//! CSV/TSV), and the view that names CSV/TSV findings by row and column.

use std::collections::BTreeMap;

use crate::detect::columns::{ColumnClass, ColumnClasses};
use crate::detect::validators::luhn_check_digit;
use crate::detect::{Detector, Finding};
use crate::extract::delimited::{DelimitedTable, NumberField};
use crate::extract::spreadsheet::column_name;
use crate::extract::text::{LineTracker, Window};
use crate::inventory::{ColumnSummary, Location};

/// Scans `value` with `label` (a column header) as its context: the detector sees
/// `"{label}: {value}"` and reports only what starts in the value. Returns where the value
/// starts in `segment`.
pub fn scan_labelled(
    detector: &mut Detector<'_>,
    label: Option<&str>,
    value: &str,
    segment: &mut String,
    out: &mut Vec<Finding>,
) -> usize {
    segment.clear();
    if let Some(label) = label {
        segment.push_str(label);
        segment.push_str(": ");
    }
    let start = segment.len();
    segment.push_str(value);
    detector.scan(segment, start..segment.len(), 0, out);
    start
}

/// Restores the digits a spreadsheet lost by keeping a value as a number (reference §1.5, §6):
/// ten digits in a `personal_code` column get their leading zero back; sixteen digits ending in
/// 0 that fail Luhn in a `payment_card` column get back the last digit Excel's 15 significant
/// digits dropped. That digit is a card number's Luhn check digit, so it follows from the rest.
pub fn restore_spreadsheet_number(class: Option<&ColumnClass>, value: &str) -> Option<String> {
    // Runs for every cell under a header: the cheap tests first.
    if !matches!(value.len(), 10 | 16) || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match (class?.class.as_str(), value.len()) {
        ("personal_code", 10) => Some(["0", value].concat()),
        ("payment_card", 16) if value.ends_with('0') => {
            let mut digits = [0u8; 15];
            for (d, b) in digits.iter_mut().zip(value.bytes()) {
                *d = b - b'0';
            }
            let check = luhn_check_digit(&digits);
            (check != 0).then(|| {
                let mut restored = value[..15].to_string();
                restored.push(char::from(b'0' + check));
                restored
            })
        }
        _ => None,
    }
}

/// Per-column statistics of a table: values below the header and findings per kind.
#[derive(Default)]
pub struct ColumnTally<'c> {
    /// Per sheet (none for CSV): the columns by their zero-based numbers (a B-tree: a sheet
    /// has few columns, and this is looked up for every cell).
    sheets: Vec<(Option<String>, BTreeMap<u32, ColumnStats<'c>>)>,
}

/// One column's statistics.
pub struct ColumnStats<'c> {
    header: String,
    class: Option<&'c ColumnClass>,
    values: u64,
    kinds: BTreeMap<String, u64>,
}

impl<'c> ColumnStats<'c> {
    /// The class of the column's header.
    pub fn class(&self) -> Option<&'c ColumnClass> {
        self.class
    }

    /// Counts `values` more values.
    pub fn add_values(&mut self, values: u64) {
        self.values += values;
    }

    /// Counts a finding of `kind`.
    pub fn add_finding(&mut self, kind: &str) {
        match self.kinds.get_mut(kind) {
            Some(count) => *count += 1,
            None => {
                self.kinds.insert(kind.to_string(), 1);
            }
        }
    }
}

impl<'c> ColumnTally<'c> {
    /// The statistics of zero-based `column` of `sheet` (none for CSV). On first use the column
    /// is created with `header` and the class `classify` gives it, so a header is classified
    /// once, not for every cell below it.
    pub fn column(
        &mut self,
        sheet: Option<&str>,
        column: u32,
        header: &str,
        classify: impl FnOnce() -> Option<&'c ColumnClass>,
    ) -> &mut ColumnStats<'c> {
        // The sheet being read is the last one added.
        let i = match self.sheets.iter().rposition(|(s, _)| s.as_deref() == sheet) {
            Some(i) => i,
            None => {
                self.sheets
                    .push((sheet.map(str::to_string), BTreeMap::new()));
                self.sheets.len() - 1
            }
        };
        let columns = &mut self.sheets[i].1;
        columns.entry(column).or_insert_with(|| ColumnStats {
            header: header.to_string(),
            class: classify(),
            values: 0,
            kinds: BTreeMap::new(),
        })
    }

    /// Columns with a class or with findings. A column whose class has a detector, with values
    /// of which none validated, is suspicious.
    pub fn into_summaries(self) -> Vec<ColumnSummary> {
        let mut columns: Vec<_> = self
            .sheets
            .into_iter()
            .flat_map(|(sheet, columns)| {
                columns
                    .into_iter()
                    .map(move |(column, stats)| ((sheet.clone(), column_name(column)), stats))
            })
            .filter(|(_, s)| s.class.is_some() || !s.kinds.is_empty())
            .collect();
        columns.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        columns
            .into_iter()
            .map(|((sheet, column), s)| {
                let expected_kind = s.class.and_then(|c| c.kind.as_deref());
                let suspicious =
                    s.values > 0 && expected_kind.is_some_and(|k| !s.kinds.contains_key(k));
                ColumnSummary {
                    sheet,
                    column,
                    header: s.header,
                    class: s.class.map(|c| c.class.clone()),
                    category: s.class.map(|c| c.category),
                    values: s.values,
                    kinds: s.kinds,
                    suspicious,
                }
            })
            .collect()
    }
}

/// A CSV/TSV file seen as a table while its text streams past: names each finding by line and
/// column and by cell (`C7`, row = record), labels values with their column header, restores
/// personal codes that lost their leading zero, and tallies the columns.
pub struct CsvView<'c> {
    table: DelimitedTable,
    lines: LineTracker,
    classes: &'c ColumnClasses,
    /// The class of each header column, once the header row is known.
    column_classes: Option<Vec<Option<&'c ColumnClass>>>,
    numbers: Vec<NumberField>,
    segment: String,
    relabelled: Vec<Finding>,
    tally: ColumnTally<'c>,
}

impl<'c> CsvView<'c> {
    /// A view of a file of `format` (`csv` or `tsv`).
    pub fn new(format: &str, classes: &'c ColumnClasses) -> CsvView<'c> {
        CsvView {
            table: DelimitedTable::new(format),
            lines: LineTracker::default(),
            classes,
            column_classes: None,
            numbers: Vec::new(),
            segment: String::new(),
            relabelled: Vec::new(),
            tally: ColumnTally::default(),
        }
    }

    /// Places finding `f` of `window` (found by the detector in it), after any restored codes
    /// of fields that ended before it; hands each with its location to `emit`, which returns
    /// whether it kept the finding (its confidence was enough) and of which kind it is.
    pub fn place<'k>(
        &mut self,
        window: &Window<'_>,
        mut f: Finding,
        detector: &mut Detector<'_>,
        emit: &mut impl FnMut(Finding, Location) -> Option<&'k str>,
    ) {
        let at = window.base + f.span.start as u64;
        self.move_to(window, at, detector, emit);
        let (row, column) = self.table.position();
        let header = self.header_of(column);
        if let Some((header, _)) = &header {
            let value = &window.text[f.span.clone()];
            let start = scan_labelled(
                detector,
                Some(header),
                value,
                &mut self.segment,
                &mut self.relabelled,
            );
            if let Some(better) = self
                .relabelled
                .drain(..)
                .find(|g| g.rule == f.rule && g.span.start == start)
                .filter(|g| g.confidence > f.confidence)
            {
                f.confidence = better.confidence;
                f.context = better.context;
            }
        }
        let mut location = self.lines.locate(window, at);
        location.cell = Some(cell_name(row, column));
        // A header may name a special category (`Tautība`); a value in it makes it data.
        let is_value = !f.checks.contains(&"keyword");
        if let Some(kind) = emit(f, location) {
            if is_value {
                self.table.finding_here();
            }
            if let Some((header, class)) = header {
                self.tally
                    .column(None, column_number(column), &header, || class)
                    .add_finding(kind);
            }
        }
    }

    /// Ends a window: follows the table to the end of its report range.
    pub fn end_window<'k>(
        &mut self,
        window: &Window<'_>,
        detector: &mut Detector<'_>,
        emit: &mut impl FnMut(Finding, Location) -> Option<&'k str>,
    ) {
        let end = window.base + window.report.end as u64;
        self.move_to(window, end, detector, emit);
    }

    /// Ends the file; returns the column summaries.
    pub fn finish<'k>(
        mut self,
        detector: &mut Detector<'_>,
        emit: &mut impl FnMut(Finding, Location) -> Option<&'k str>,
    ) -> Vec<ColumnSummary> {
        self.table.finish(&mut self.numbers);
        self.restore_numbers(None, detector, emit);
        if let Some(header) = self.table.header() {
            let values = self.table.values();
            for (column, text) in header.iter().enumerate() {
                let count = values.get(column).copied().unwrap_or(0);
                let classes = self.classes;
                self.tally
                    .column(None, column_number(column), text, || classes.classify(text))
                    .add_values(count);
            }
        }
        self.tally.into_summaries()
    }

    /// Follows the table and the lines to `to`. The line tracker never passes the start of a
    /// field that may still turn out to be a bare ten-digit number, so that it can be located.
    fn move_to<'k>(
        &mut self,
        window: &Window<'_>,
        to: u64,
        detector: &mut Detector<'_>,
        emit: &mut impl FnMut(Finding, Location) -> Option<&'k str>,
    ) {
        self.table.advance(window, to, &mut self.numbers);
        self.restore_numbers(Some(window), detector, emit);
        let safe = self
            .table
            .open_number_field()
            .map_or(to, |start| start.min(to));
        self.lines.advance(window, safe.max(self.lines.position()));
    }

    /// Scans the ten-digit fields of `personal_code` columns with their leading zero restored.
    /// Without a window (at the end of the file) the line tracker stands at the field's start.
    fn restore_numbers<'k>(
        &mut self,
        window: Option<&Window<'_>>,
        detector: &mut Detector<'_>,
        emit: &mut impl FnMut(Finding, Location) -> Option<&'k str>,
    ) {
        let numbers = std::mem::take(&mut self.numbers);
        for number in &numbers {
            let Some((header, class)) = self.header_of(number.column) else {
                continue;
            };
            let Some(restored) = restore_spreadsheet_number(class, &number.digits) else {
                continue;
            };
            scan_labelled(
                detector,
                Some(&header),
                &restored,
                &mut self.segment,
                &mut self.relabelled,
            );
            let at = number.start.max(self.lines.position());
            for f in std::mem::take(&mut self.relabelled) {
                let mut location = match window {
                    Some(window) => self.lines.locate(window, at),
                    None => self.lines.here(),
                };
                location.cell = Some(cell_name(number.row, number.column));
                if let Some(kind) = emit(f, location) {
                    self.tally
                        .column(None, column_number(number.column), &header, || class)
                        .add_finding(kind);
                }
            }
        }
        self.numbers = numbers;
        self.numbers.clear();
    }

    /// The header text and class of `column`, when the table has a header row.
    fn header_of(&mut self, column: usize) -> Option<(String, Option<&'c ColumnClass>)> {
        let header = self.table.header()?;
        let classes = self.classes;
        let column_classes = self
            .column_classes
            .get_or_insert_with(|| header.iter().map(|h| classes.classify(h)).collect());
        let text = header.get(column)?;
        Some((text.clone(), column_classes.get(column).copied().flatten()))
    }
}

/// The cell name of 1-based `row` and 0-based `column`.
fn cell_name(row: u64, column: usize) -> String {
    format!("{}{row}", column_letters(column))
}

fn column_letters(column: usize) -> String {
    column_name(column_number(column))
}

/// A CSV column's index as a spreadsheet column number (CSV has no more than 2³² columns).
fn column_number(column: usize) -> u32 {
    u32::try_from(column).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(name: &str) -> ColumnClass {
        ColumnClass {
            class: name.into(),
            category: crate::inventory::Category::Identification,
            kind: None,
            stems: Vec::new(),
        }
    }

    #[test]
    fn spreadsheet_numbers_get_their_lost_digits_back() {
        let code = class("personal_code");
        assert_eq!(
            restore_spreadsheet_number(Some(&code), "1017512345").as_deref(),
            Some("01017512345")
        );
        let card = class("payment_card");
        // Reference §6: Excel keeps 15 significant digits, so 4111 1111 1111 1111 (a test
        // Visa number) typed as a number becomes 4111111111111110.
        assert_eq!(
            restore_spreadsheet_number(Some(&card), "4111111111111110").as_deref(),
            Some("4111111111111111")
        );
        // A number that passes Luhn as it is, or does not end in 0, was not cut.
        assert_eq!(
            restore_spreadsheet_number(Some(&card), "5500000000000004"),
            None
        );
        assert_eq!(
            restore_spreadsheet_number(Some(&card), "4111111111111111"),
            None
        );
        // Only under a header that says so.
        assert_eq!(restore_spreadsheet_number(None, "4111111111111110"), None);
        assert_eq!(
            restore_spreadsheet_number(Some(&code), "4111111111111110"),
            None
        );
    }
}
