//! Column classes: what a table column holds, judged from its header alone (`Personas kods`,
//! `Vārds`, `Tautība`...). Data in `rules/tables/columns.toml`, compiled into the binary.

use std::path::Path;

use serde::Deserialize;

use super::RuleError;
use crate::inventory::Category;

const BUILTIN: &str = include_str!("../../rules/tables/columns.toml");

/// One class of column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnClass {
    /// What the column holds (`personal_code`, `name`, `address`...).
    pub class: String,
    /// Register category of such a column.
    pub category: Category,
    /// The finding kind that validates values of this column, if there is a detector for it.
    #[serde(default)]
    pub kind: Option<String>,
    /// Lower-case header stems.
    pub stems: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnsFile {
    column: Vec<ColumnClass>,
}

/// All column classes.
#[derive(Debug, Clone)]
pub struct ColumnClasses {
    classes: Vec<ColumnClass>,
}

impl ColumnClasses {
    /// The built-in classes.
    pub fn builtin() -> Result<ColumnClasses, RuleError> {
        ColumnClasses::parse("rules/tables/columns.toml", BUILTIN)
    }

    /// The classes in `rules_dir/tables/columns.toml`, or the built-in ones when that file is
    /// missing.
    pub fn load_or_builtin(rules_dir: &Path) -> Result<ColumnClasses, RuleError> {
        let path = rules_dir.join("tables").join("columns.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => ColumnClasses::parse(&path.display().to_string(), &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ColumnClasses::builtin(),
            Err(source) => Err(RuleError::Read {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    fn parse(path: &str, text: &str) -> Result<ColumnClasses, RuleError> {
        let file: ColumnsFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            path: path.to_string(),
            source: Box::new(e),
        })?;
        Ok(ColumnClasses {
            classes: file.column,
        })
    }

    /// The class of a column with this header: the longest stem the header starts with, at a
    /// word boundary (so `pk` does not match `pkt.`, and `vārds, uzvārds` beats `vārds`).
    pub fn classify(&self, header: &str) -> Option<&ColumnClass> {
        let header = header.trim().to_lowercase();
        self.classes
            .iter()
            .flat_map(|c| c.stems.iter().map(move |s| (c, s)))
            .filter(|(_, stem)| {
                header.strip_prefix(stem.as_str()).is_some_and(|rest| {
                    stem.ends_with('.')
                        || !rest.starts_with(|ch: char| ch.is_alphanumeric())
                        || stem_is_prefix(stem)
                })
            })
            .max_by_key(|(_, stem)| stem.len())
            .map(|(c, _)| c)
    }
}

/// Latvian stems (`tālr`, `telefon`, `personas kod`) match inflected words; English words and
/// short abbreviations must stand alone.
fn stem_is_prefix(stem: &str) -> bool {
    !stem.is_ascii()
        || [
            "telefon",
            "personas kod",
            "pers. kod",
            "pers.kod",
            "pers_kod",
            "konta nr",
            "mob",
        ]
        .contains(&stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(header: &str) -> Option<String> {
        ColumnClasses::builtin()
            .unwrap()
            .classify(header)
            .map(|c| c.class.clone())
    }

    #[test]
    fn latvian_and_english_headers() {
        assert_eq!(class("Personas kods").as_deref(), Some("personal_code"));
        assert_eq!(class("PERSONAS KODS").as_deref(), Some("personal_code"));
        assert_eq!(class("P.K.").as_deref(), Some("personal_code"));
        assert_eq!(class("Tālrunis").as_deref(), Some("phone"));
        assert_eq!(class("Tālruņa nr.").as_deref(), Some("phone"));
        assert_eq!(class("Mob. tel.").as_deref(), Some("phone"));
        assert_eq!(class("E-pasts").as_deref(), Some("email"));
        assert_eq!(class("Vārds, uzvārds").as_deref(), Some("name"));
        assert_eq!(class("Uzvārds").as_deref(), Some("name"));
        assert_eq!(class("Tautība").as_deref(), Some("ethnicity"));
        assert_eq!(class("Dzimšanas datums").as_deref(), Some("birth_date"));
        assert_eq!(class("Date of birth").as_deref(), Some("birth_date"));
    }

    #[test]
    fn look_alikes_are_not_classes() {
        assert_eq!(class("Nr.p.k."), None);
        assert_eq!(class("Pkt."), None);
        assert_eq!(class("Named range"), None);
        assert_eq!(class("Summa"), None);
    }
}
