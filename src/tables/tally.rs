//! Per-column tallies of a table: values below each header and findings per kind, folded into
//! the record's column summaries.

use std::collections::BTreeMap;

use super::ColumnClass;
use crate::extract::cell::column_name;
use crate::inventory::ColumnSummary;

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

    /// Counts a finding of `kind` in zero-based `column` of `sheet`, if that column was seen.
    pub fn count_finding(&mut self, sheet: Option<&str>, column: u32, kind: &str) {
        let stats = self
            .sheets
            .iter_mut()
            .rev()
            .find(|(s, _)| s.as_deref() == sheet)
            .and_then(|(_, columns)| columns.get_mut(&column));
        if let Some(stats) = stats {
            stats.add_finding(kind);
        }
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
