//! Tables: what a column holds judged from its header (data in
//! `rules/tables/columns.toml`), the header as each value's label, per-column tallies
//! (spreadsheets and CSV/TSV), each row's name cells joined into one name, and the view that
//! names CSV/TSV findings by row and column.

mod classes;
mod csv;
mod row_name;
mod tally;

pub use classes::{ColumnClass, ColumnClasses, NamePart};
pub use csv::CsvView;
pub use row_name::{NAME_KIND, NameOfRow, RowName};
pub use tally::ColumnTally;

use crate::detect::{Detector, Finding};

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
    let value_at = labelled(label, value, segment);
    let start = value_at.start;
    detector.scan(segment, value_at, 0, out);
    start
}

/// Writes `"{label}: {value}"` (or the value alone) into `segment`; returns where the value is.
fn labelled(label: Option<&str>, value: &str, segment: &mut String) -> std::ops::Range<usize> {
    segment.clear();
    if let Some(label) = label {
        segment.push_str(label);
        segment.push_str(": ");
    }
    let start = segment.len();
    segment.push_str(value);
    start..segment.len()
}

/// The finding a cell of a classified column gives by its header alone (`Adrese` over
/// `Dzirnavu 5-3`: see [`Detector::column_finding`]), when the cell's own scan (`found`) gave
/// nothing of the column's kind. Name columns are the row's name instead (see [`RowName`]).
pub fn column_fallback(
    detector: &Detector<'_>,
    class: &ColumnClass,
    text: &str,
    found: &[Finding],
) -> Option<Finding> {
    let kind = class.kind.as_deref()?;
    if found.iter().any(|f| detector.rules()[f.rule].kind == kind) {
        return None;
    }
    detector.column_finding(kind, text)
}
