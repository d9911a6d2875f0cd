//! A CSV/TSV file seen as a table while its text streams past.

use super::{ColumnClass, ColumnClasses, ColumnTally, scan_labelled};
use crate::detect::{Detector, Finding};
use crate::extract::Format;
use crate::extract::cell::column_name;
use crate::extract::delimited::{DelimitedTable, NumberField};
use crate::extract::text::{LineTracker, Window};
use crate::inventory::{ColumnSummary, Location};

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
    /// A view of a file of `format` (CSV or TSV).
    pub fn new(format: Format, classes: &'c ColumnClasses) -> CsvView<'c> {
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
            let Some(restored) = class.and_then(|c| c.restore_number(&number.digits)) else {
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
