//! What a scan finds things with: the detection rules and the table column classes.

use anyhow::Result;

use crate::detect::{RuleError, RuleSet, RuleSource};
use crate::tables::ColumnClasses;

/// What a scan finds things with: the detection rules and the table column classes, both from
/// one [`RuleSource`].
#[derive(Debug)]
pub struct ScanRules {
    /// Where they came from (a reader process loads them again from there).
    pub source: RuleSource,
    /// The compiled detection rules.
    pub rules: RuleSet,
    /// The column classes, each `kind` checked against the rules.
    pub columns: ColumnClasses,
}

impl ScanRules {
    /// Loads and checks the rules and column classes of `source`.
    pub fn load(source: &RuleSource) -> Result<ScanRules, RuleError> {
        let rules = RuleSet::load(source)?;
        let columns = ColumnClasses::load(source, &rules)?;
        Ok(ScanRules {
            source: source.clone(),
            rules,
            columns,
        })
    }

    /// A digest of all that shapes findings: stored records made under another are not
    /// reused, and a reader process refuses to run with rules other than the scanner's.
    pub fn digest(&self) -> String {
        let both = format!("{} {}", self.rules.digest(), self.columns.digest());
        blake3::hash(both.as_bytes()).to_hex().to_string()
    }
}
