//! A table row's name cells (`Vārds`, `Uzvārds`, or one `Vārds, uzvārds`) joined into one
//! person's name, found as such under its headers.

use super::NamePart;
use crate::detect::{Detector, Finding};
use crate::inventory::Location;

/// The kind a row's name is found as.
pub const NAME_KIND: &str = "person_name";

/// The name cells of the table row being read: first names first, then surnames, whatever the
/// columns' order (`Uzvārds;Vārds` is still `Jānis Bērziņš`).
#[derive(Debug, Default)]
pub struct RowName {
    row: Option<u64>,
    given: String,
    family: String,
    /// Where the row's first name cell is.
    at: Option<Location>,
    /// The columns of the row's name cells.
    columns: Vec<u32>,
}

/// The name of a table row that ended.
#[derive(Debug)]
pub struct NameOfRow {
    /// The name, found at the `column` tier.
    pub finding: Finding,
    /// Where its first cell is.
    pub location: Location,
    /// The columns its cells are in.
    pub columns: Vec<u32>,
}

impl RowName {
    /// Adds the cell `text` of `row` from a column holding `part`. A cell of a new row ends the
    /// previous one: its name, if any, is returned. `locate` is called for a row's first name
    /// cell only.
    pub fn add(
        &mut self,
        detector: &Detector<'_>,
        row: u64,
        column: u32,
        part: NamePart,
        text: &str,
        locate: impl FnOnce() -> Location,
    ) -> Option<NameOfRow> {
        let ended = match self.row {
            Some(current) if current != row => self.finish(detector),
            _ => None,
        };
        self.row = Some(row);
        let text = text.trim();
        if text.is_empty() {
            return ended;
        }
        let parts = match part {
            NamePart::Family => &mut self.family,
            NamePart::Given | NamePart::Full => &mut self.given,
        };
        if !parts.is_empty() {
            parts.push(' ');
        }
        parts.push_str(text);
        if self.at.is_none() {
            self.at = Some(locate());
        }
        self.columns.push(column);
        ended
    }

    /// Whether a row before `row` still has name cells to be ended.
    pub fn is_before(&self, row: u64) -> bool {
        self.row.is_some_and(|current| current < row)
    }

    /// Ends the row: its name as a finding of the `person_name` column tier, when its cells
    /// have a name's shape.
    pub fn finish(&mut self, detector: &Detector<'_>) -> Option<NameOfRow> {
        self.row = None;
        let at = self.at.take();
        if !self.family.is_empty() {
            if !self.given.is_empty() {
                self.given.push(' ');
            }
            self.given.push_str(&self.family);
            self.family.clear();
        }
        let found = detector.column_finding(NAME_KIND, &self.given);
        self.given.clear();
        let columns = std::mem::take(&mut self.columns);
        Some(NameOfRow {
            finding: found?,
            location: at?,
            columns,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::RuleSet;

    #[test]
    fn a_rows_name_cells_are_one_name_in_given_then_family_order() {
        let rules = RuleSet::builtin().unwrap();
        let detector = rules.detector();
        let mut row = RowName::default();
        let here = Location::default;
        assert!(
            row.add(&detector, 2, 1, NamePart::Family, "BĒRZIŅŠ", here)
                .is_none()
        );
        assert!(
            row.add(&detector, 2, 2, NamePart::Given, "Jānis", here)
                .is_none()
        );
        let name = row
            .add(&detector, 3, 1, NamePart::Family, "-", here)
            .unwrap();
        assert_eq!(name.finding.value, "Jānis Bērziņš");
        assert_eq!(name.columns, [1, 2]);
        // A row whose cells have no name's shape gives nothing.
        assert!(row.finish(&detector).is_none());
        assert!(
            row.add(&detector, 4, 0, NamePart::Full, "Jevgeņijs Ivanovs", here)
                .is_none()
        );
        assert!(row.is_before(5));
        let name = row.finish(&detector).unwrap();
        assert_eq!(name.finding.value, "Jevgeņijs Ivanovs");
    }
}
