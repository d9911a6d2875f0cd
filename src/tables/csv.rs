//! A CSV/TSV file seen as a table while its text streams past.

use super::{
    ColumnClass, ColumnClasses, ColumnTally, NAME_KIND, NameOfRow, NamePart, RowName,
    column_fallback, labelled, scan_labelled,
};
use crate::detect::validators::Candidates;
use crate::detect::{Detector, Finding};
use crate::extract::Format;
use crate::extract::cell::a1_of_row;
use crate::extract::delimited::{CapturedField, DelimitedTable};
use crate::extract::text::{LineTracker, Window};
use crate::inventory::{ColumnSummary, Confidence, Location};

/// A CSV/TSV file seen as a table while its text streams past: names each finding by line and
/// column and by cell (`C7`, row = record), labels values with their column header, scans the
/// cells of classified columns again with their header as label (a bare `26566847` under
/// `Tālrunis`, a personal code that lost its leading zero), joins each row's name cells into
/// one person's name, and tallies the columns.
pub struct CsvView<'c> {
    table: DelimitedTable,
    lines: LineTracker,
    classes: &'c ColumnClasses,
    /// The class and name part of each header column, once the header row is known.
    column_classes: Vec<Option<(&'c ColumnClass, Option<NamePart>)>>,
    fields: Vec<CapturedField>,
    placed: PlacedInRow,
    row_name: RowName,
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
            column_classes: Vec::new(),
            fields: Vec::new(),
            placed: PlacedInRow::default(),
            row_name: RowName::default(),
            segment: String::new(),
            relabelled: Vec::new(),
            tally: ColumnTally::default(),
        }
    }

    /// Whether a plain text file that starts with `head` is a table all the same (a `.txt`
    /// export, a table pasted into a note): its first line splits on tabs or semicolons (more
    /// of them than commas) into at least two fields, one a header some column class knows
    /// (`Tālrunis`), and its second line has as many separators. Returns the table's format.
    pub fn sniff(head: &str, classes: &ColumnClasses) -> Option<Format> {
        let mut lines = head.lines();
        let (header, row) = (lines.next()?, lines.next()?);
        let count = |line: &str, sep: char| line.matches(sep).count();
        [('\t', Format::Tsv), (';', Format::Csv)]
            .into_iter()
            .find(|&(sep, _)| {
                let n = count(header, sep);
                n >= 1
                    && count(row, sep) == n
                    && n > count(header, ',')
                    && ['\t', ';']
                        .iter()
                        .all(|&other| other == sep || count(header, other) < n)
                    && header.split(sep).any(|h| classes.classify(h).is_some())
            })
            .map(|(_, format)| format)
    }

    /// Places finding `f` of `window` (found by the detector in it), after what the captured
    /// fields that ended before it gave; hands each with its location to `emit`, which returns
    /// whether it kept the finding (its confidence was enough) and of which kind it is. A
    /// name the detector found in a name column is left to the row's name.
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
        let header = header_of(&self.table, &self.column_classes, column);
        if self.is_name_column(column) && detector.rules()[f.rule].kind == NAME_KIND {
            return;
        }
        if let Some((_, Some(_))) = header {
            self.placed.note(row, column, f.rule);
        }
        // A finding at the highest confidence cannot gain from its header.
        if let Some((header, _)) = header
            && f.confidence < Confidence::High
        {
            let value = &window.text[f.span.clone()];
            if let Some(better) = relabel(
                detector,
                header,
                value,
                f.rule,
                &mut self.segment,
                &mut self.relabelled,
            )
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
            if let Some((header, class)) = header {
                self.tally
                    .column(None, column_number(column), header, || class)
                    .add_finding(kind);
            }
            if is_value {
                self.table.finding_here();
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
        self.table.finish(&mut self.fields);
        self.scan_fields(None, detector, emit);
        self.end_row_name(detector, emit);
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
    /// captured field before it ended, so that what it gives can be located.
    fn move_to<'k>(
        &mut self,
        window: &Window<'_>,
        to: u64,
        detector: &mut Detector<'_>,
        emit: &mut impl FnMut(Finding, Location) -> Option<&'k str>,
    ) {
        while !self.table.advance(window, to, &mut self.fields) {
            self.classify_header();
        }
        self.scan_fields(Some(window), detector, emit);
        if self.row_name.is_before(self.table.position().0) {
            self.end_row_name(detector, emit);
        }
        let safe = self
            .table
            .open_captured_field()
            .map_or(to, |start| start.min(to));
        self.lines.advance(window, safe.max(self.lines.position()));
    }

    /// Ends the row's name and emits it, if it has one.
    fn end_row_name<'k>(
        &mut self,
        detector: &Detector<'_>,
        emit: &mut impl FnMut(Finding, Location) -> Option<&'k str>,
    ) {
        let ended = self.row_name.finish(detector);
        emit_name(
            &mut self.tally,
            &self.table,
            &self.column_classes,
            ended,
            emit,
        );
    }

    /// Classifies the header row's columns and captures the fields of those with a kind.
    fn classify_header(&mut self) {
        let Some(header) = self.table.header() else {
            return;
        };
        let classes = self.classes;
        self.column_classes = header
            .iter()
            .map(|h| classes.classify(h).map(|c| (c, c.name_part(h))))
            .collect();
        let captured = self
            .column_classes
            .iter()
            .map(|c| c.is_some_and(|(class, _)| class.kind.is_some()))
            .collect();
        self.table.capture_columns(captured);
    }

    fn is_name_column(&self, column: usize) -> bool {
        matches!(self.column_classes.get(column), Some(Some((_, Some(_)))))
    }

    /// What the captured fields that ended give: a name cell goes to the row's name; a number
    /// that lost a digit is scanned restored; any other cell whose column's kind was not found
    /// in it is scanned again with its header as label, and what the detector had not placed
    /// there is emitted. Without a window (at the end of the file) the line tracker stands at
    /// the field's start.
    fn scan_fields<'k>(
        &mut self,
        window: Option<&Window<'_>>,
        detector: &mut Detector<'_>,
        emit: &mut impl FnMut(Finding, Location) -> Option<&'k str>,
    ) {
        let fields = std::mem::take(&mut self.fields);
        for field in &fields {
            let Some((header, Some(class))) =
                header_of(&self.table, &self.column_classes, field.column)
            else {
                continue;
            };
            let at = field.start.max(self.lines.position());
            let lines = &mut self.lines;
            let mut locate = || {
                let mut location = match window {
                    Some(window) => lines.locate(window, at),
                    None => lines.here(),
                };
                location.cell = Some(cell_name(field.row, field.column));
                location
            };
            if let Some(Some((_, Some(part)))) = self.column_classes.get(field.column) {
                let column = column_number(field.column);
                let ended =
                    self.row_name
                        .add(detector, field.row, column, *part, &field.text, locate);
                emit_name(
                    &mut self.tally,
                    &self.table,
                    &self.column_classes,
                    ended,
                    emit,
                );
                continue;
            }
            let restored = (!field.quoted)
                .then(|| class.restore_number(&field.text))
                .flatten();
            let rules = detector.rules();
            // Of the column's kind, or read by the same validator under another rule (an
            // organisation's address in an address column).
            let reads_kind = |rule: usize| {
                class.kind.as_ref().is_some_and(|kind| {
                    rules.iter().any(|r| {
                        &r.kind == kind
                            && (r.kind == rules[rule].kind || r.validator == rules[rule].validator)
                    })
                })
            };
            let kind_placed = self
                .placed
                .rules_in(field.row, field.column)
                .any(reads_kind);
            if restored.is_none() && kind_placed {
                continue;
            }
            let value = restored.as_deref().unwrap_or(&field.text);
            scan_labelled(
                detector,
                Some(header),
                value,
                &mut self.segment,
                &mut self.relabelled,
            );
            let mut found = std::mem::take(&mut self.relabelled);
            if restored.is_none() {
                let placed = &self.placed;
                found.retain(|f| {
                    !placed
                        .rules_in(field.row, field.column)
                        .any(|r| r == f.rule)
                });
            }
            found.extend(column_fallback(detector, class, value, &found));
            for f in found.drain(..) {
                if let Some(kind) = emit(f, locate()) {
                    self.tally
                        .column(None, column_number(field.column), header, || Some(class))
                        .add_finding(kind);
                }
            }
            self.relabelled = found;
        }
        self.fields = fields;
        self.fields.clear();
    }
}

/// The cell name of 1-based `row` and 0-based `column`.
fn cell_name(row: u64, column: usize) -> String {
    a1_of_row(row, column_number(column))
}

/// A CSV column's index as a spreadsheet column number (CSV has no more than 2³² columns).
fn column_number(column: usize) -> u32 {
    u32::try_from(column).unwrap_or(u32::MAX)
}

/// Finding `rule`'s `value` again with `header` as its label (`Tālrunis: 26566847`), for
/// the confidence the header gives it. A rule whose candidates are its patterns judges the
/// value alone; when that does not take it (a validator that reads back from its pattern's
/// match, an address's street type) and for other rules (names, keywords), the whole
/// labelled value is scanned.
fn relabel(
    detector: &mut Detector<'_>,
    header: &str,
    value: &str,
    rule: usize,
    segment: &mut String,
    relabelled: &mut Vec<Finding>,
) -> Option<Finding> {
    if detector.rules()[rule].validator.candidates == Candidates::Patterns {
        let value_at = labelled(Some(header), value, segment);
        let judged = detector.judge(segment, rule, value_at);
        if judged.is_some() {
            return judged;
        }
    }
    let start = scan_labelled(detector, Some(header), value, segment, relabelled);
    relabelled
        .drain(..)
        .find(|g| g.rule == rule && g.span.start == start)
}

/// The rules of the findings placed in one row's classified columns.
#[derive(Debug, Default)]
struct PlacedInRow {
    row: u64,
    /// `(column, rule)` per finding.
    cells: Vec<(usize, usize)>,
}

impl PlacedInRow {
    /// Notes that a finding of `rule` was placed in `column` of `row`; a new row forgets the
    /// last one.
    fn note(&mut self, row: u64, column: usize, rule: usize) {
        if row != self.row {
            self.cells.clear();
            self.row = row;
        }
        self.cells.push((column, rule));
    }

    /// The rules of the findings placed in `column` of `row`.
    fn rules_in(&self, row: u64, column: usize) -> impl Iterator<Item = usize> + '_ {
        let cells = if row == self.row {
            &self.cells[..]
        } else {
            &[]
        };
        cells
            .iter()
            .filter(move |&&(c, _)| c == column)
            .map(|&(_, rule)| rule)
    }
}

/// The header text and class of `column`, when the table has a header row.
fn header_of<'t, 'c>(
    table: &'t DelimitedTable,
    column_classes: &[Option<(&'c ColumnClass, Option<NamePart>)>],
    column: usize,
) -> Option<(&'t str, Option<&'c ColumnClass>)> {
    let text = table.header()?.get(column)?;
    let class = column_classes.get(column).copied().flatten();
    Some((text.as_str(), class.map(|(c, _)| c)))
}

/// Emits the name of a row that ended, and counts it in `tally` under the columns of its
/// cells.
fn emit_name<'c, 'k>(
    tally: &mut ColumnTally<'c>,
    table: &DelimitedTable,
    column_classes: &[Option<(&'c ColumnClass, Option<NamePart>)>],
    ended: Option<NameOfRow>,
    emit: &mut impl FnMut(Finding, Location) -> Option<&'k str>,
) {
    let Some(name) = ended else {
        return;
    };
    let Some(kind) = emit(name.finding, name.location) else {
        return;
    };
    for column in name.columns {
        if let Some((header, class)) = header_of(table, column_classes, column as usize) {
            tally
                .column(None, column, header, || class)
                .add_finding(kind);
        }
    }
}
