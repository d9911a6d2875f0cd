//! Column classes: what a table column holds, judged from its header alone (`Personas kods`,
//! `Vārds`, `Tautība`...), and the repair of numbers a spreadsheet kept as numbers. Data in
//! `rules/tables/columns.toml`, compiled into the binary; a `--rules` directory's
//! `tables/columns.toml` adds classes and replaces those of the same name.

use std::path::Path;

use serde::Deserialize;

use crate::detect::validators::luhn_check_digit;
use crate::detect::{RuleError, RuleSet, RuleSource};
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
    /// The finding kind that validates values of this column, if a rule finds them.
    #[serde(default)]
    pub kind: Option<String>,
    /// Lower-case header stems, matched whatever follows them (Latvian inflects).
    #[serde(default)]
    pub stems: Vec<String>,
    /// Lower-case header words, matched only when no letter or digit follows.
    #[serde(default)]
    pub words: Vec<String>,
    /// How numbers of this column that a spreadsheet kept as numbers are repaired.
    #[serde(default)]
    pub restore: Option<Restore>,
    /// Lower-case word starts of a header that names a first name (`vārd`, `first name`).
    #[serde(default)]
    pub given: Vec<String>,
    /// Lower-case word starts of a header that names a surname (`uzvārd`, `surname`).
    #[serde(default)]
    pub family: Vec<String>,
}

/// Which part of a person's name a name column holds; a row's parts make one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePart {
    /// First names (`Vārds`).
    Given,
    /// Surnames (`Uzvārds`).
    Family,
    /// The whole name (`Vārds, uzvārds`, `Name`).
    Full,
}

/// A repair of a value a spreadsheet stored as a number (reference §1.5, §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restore {
    /// Ten digits get back the leading zero of an 11-digit code.
    LeadingZero,
    /// Sixteen digits ending in 0 that fail Luhn get back the last digit Excel's 15
    /// significant digits dropped: a card number's Luhn check digit follows from the rest.
    CheckDigit,
}

impl Restore {
    /// The value with its lost digit back, when `value` is a number this repair applies to.
    pub fn apply(self, value: &str) -> Option<String> {
        // Runs for every cell under such a header: the cheap tests first.
        if !matches!(value.len(), 10 | 16) || !value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match (self, value.len()) {
            (Restore::LeadingZero, 10) => Some(["0", value].concat()),
            (Restore::CheckDigit, 16) if value.ends_with('0') => {
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
}

impl ColumnClass {
    /// The part of a name that a column of this class headed `header` holds: first names when
    /// the header has only a `given` word, surnames when it has only a `family` word, the whole
    /// name otherwise. `None` for classes with neither list (not names).
    pub fn name_part(&self, header: &str) -> Option<NamePart> {
        if self.given.is_empty() && self.family.is_empty() {
            return None;
        }
        let header = header.to_lowercase();
        let has = |starts: &[String]| {
            starts.iter().any(|start| {
                header.match_indices(start.as_str()).any(|(i, _)| {
                    !header[..i]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphabetic)
                })
            })
        };
        Some(match (has(&self.given), has(&self.family)) {
            (true, false) => NamePart::Given,
            (false, true) => NamePart::Family,
            _ => NamePart::Full,
        })
    }

    /// The value with the digits a spreadsheet lost put back, when the class has a repair for
    /// it (see [`Restore`]).
    pub fn restore_number(&self, value: &str) -> Option<String> {
        self.restore?.apply(value)
    }

    /// The length of the longest stem or word that `header` (lower-case, trimmed) starts with.
    fn matching_length(&self, header: &str) -> Option<usize> {
        let stems = self
            .stems
            .iter()
            .filter(|stem| header.starts_with(stem.as_str()));
        let words = self.words.iter().filter(|word| {
            header.strip_prefix(word.as_str()).is_some_and(|rest| {
                word.ends_with(|c: char| !c.is_alphanumeric())
                    || !rest.starts_with(|c: char| c.is_alphanumeric())
            })
        });
        stems.chain(words).map(String::len).max()
    }
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

    /// The classes of a rule source: the built-in ones (unless left out), then those of the
    /// directory's `tables/columns.toml`, each replacing a class of the same name. Every
    /// class's `kind` must be a kind that one of `rules` finds.
    pub fn load(source: &RuleSource, rules: &RuleSet) -> Result<ColumnClasses, RuleError> {
        let mut classes = if source.no_builtin {
            Vec::new()
        } else {
            ColumnClasses::builtin()?.classes
        };
        if let Some(dir) = &source.dir
            && let Some(added) = ColumnClasses::in_dir(dir)?
        {
            for class in added.classes {
                match classes.iter_mut().find(|c| c.class == class.class) {
                    Some(builtin) => *builtin = class,
                    None => classes.push(class),
                }
            }
        }
        let loaded = ColumnClasses { classes };
        loaded.check_kinds(rules)?;
        Ok(loaded)
    }

    /// The classes of `rules_dir/tables/columns.toml`, `None` when there is no such file.
    fn in_dir(rules_dir: &Path) -> Result<Option<ColumnClasses>, RuleError> {
        let path = rules_dir.join("tables").join("columns.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => ColumnClasses::parse(&path.display().to_string(), &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
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
        let classes = ColumnClasses {
            classes: file.column,
        };
        for class in &classes.classes {
            if class.stems.is_empty() && class.words.is_empty() {
                return Err(RuleError::Invalid {
                    id: format!("column class {}", class.class),
                    message: format!("{path}: no stems and no words"),
                });
            }
        }
        Ok(classes)
    }

    /// Refuses a class whose `kind` no rule finds: its columns would all look suspicious.
    fn check_kinds(&self, rules: &RuleSet) -> Result<(), RuleError> {
        for class in &self.classes {
            let Some(kind) = &class.kind else { continue };
            if !rules.rules().iter().any(|r| &r.kind == kind) {
                return Err(RuleError::Invalid {
                    id: format!("column class {}", class.class),
                    message: format!("kind `{kind}` is not a kind any rule finds"),
                });
            }
        }
        Ok(())
    }

    /// A digest of the classes: stored findings made under other classes are not reused.
    pub fn digest(&self) -> String {
        blake3::hash(format!("{:?}", self.classes).as_bytes())
            .to_hex()
            .to_string()
    }

    /// The class of a column with this header: the longest stem or word the header starts
    /// with (so `vārds, uzvārds` beats `vārds`).
    pub fn classify(&self, header: &str) -> Option<&ColumnClass> {
        let header = header.trim().to_lowercase();
        self.classes
            .iter()
            .filter_map(|c| c.matching_length(&header).map(|len| (c, len)))
            .max_by_key(|(_, len)| *len)
            .map(|(c, _)| c)
    }
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
        assert_eq!(class("Konta nr.").as_deref(), Some("bank_account"));
    }

    #[test]
    fn name_headers_say_which_part_of_a_name_they_hold() {
        let classes = ColumnClasses::builtin().unwrap();
        let part = |header: &str| classes.classify(header).and_then(|c| c.name_part(header));
        assert_eq!(part("Vārds"), Some(NamePart::Given));
        assert_eq!(part("Uzvārds"), Some(NamePart::Family));
        assert_eq!(part("UZVĀRDS"), Some(NamePart::Family));
        assert_eq!(part("Vārds, uzvārds"), Some(NamePart::Full));
        assert_eq!(part("Vārds Uzvārds"), Some(NamePart::Full));
        assert_eq!(part("First name"), Some(NamePart::Given));
        assert_eq!(part("Last name"), Some(NamePart::Family));
        assert_eq!(part("Name"), Some(NamePart::Full));
        assert_eq!(part("Personas kods"), None);
    }

    #[test]
    fn look_alikes_are_not_classes() {
        assert_eq!(class("Nr.p.k."), None);
        assert_eq!(class("Pkt."), None);
        assert_eq!(class("Named range"), None);
        assert_eq!(class("Summa"), None);
        assert_eq!(class("Kontsaldo"), None);
    }

    #[test]
    fn spreadsheet_numbers_get_their_lost_digits_back() {
        let code = Restore::LeadingZero;
        assert_eq!(code.apply("1017512345").as_deref(), Some("01017512345"));
        let card = Restore::CheckDigit;
        // Reference §6: Excel keeps 15 significant digits, so 4111 1111 1111 1111 (a test
        // Visa number) typed as a number becomes 4111111111111110.
        assert_eq!(
            card.apply("4111111111111110").as_deref(),
            Some("4111111111111111")
        );
        // A number that passes Luhn as it is, or does not end in 0, was not cut.
        assert_eq!(card.apply("5500000000000004"), None);
        assert_eq!(card.apply("4111111111111111"), None);
        assert_eq!(code.apply("4111111111111110"), None);
        // Only classes that say so repair numbers.
        let classes = ColumnClasses::builtin().unwrap();
        let repaired = |header: &str, value: &str| {
            classes
                .classify(header)
                .and_then(|c| c.restore_number(value))
        };
        assert_eq!(
            repaired("Personas kods", "1017512345").as_deref(),
            Some("01017512345")
        );
        assert_eq!(repaired("Tālrunis", "1017512345"), None);
    }

    #[test]
    fn a_class_must_name_a_kind_some_rule_finds() {
        let rules = RuleSet::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("tables")).unwrap();
        let write = |text: &str| {
            std::fs::write(dir.path().join("tables/columns.toml"), text).unwrap();
        };
        let source = RuleSource {
            dir: Some(dir.path().to_path_buf()),
            no_builtin: false,
        };
        write(
            "[[column]]\nclass = \"x\"\ncategory = \"contact\"\nkind = \"nope\"\nwords = [\"x\"]\n",
        );
        let refused = ColumnClasses::load(&source, &rules).unwrap_err();
        assert!(refused.to_string().contains("kind `nope`"), "{refused}");
        // A class of the same name replaces the built-in one; others are added.
        write(
            "[[column]]\nclass = \"phone\"\ncategory = \"contact\"\nkind = \"phone\"\nwords = [\"numurs\"]\n[[column]]\nclass = \"nationality\"\ncategory = \"special_category\"\nstems = [\"pilsonība\"]\n",
        );
        let loaded = ColumnClasses::load(&source, &rules).unwrap();
        let class = |h: &str| loaded.classify(h).map(|c| c.class.as_str());
        assert_eq!(class("Numurs"), Some("phone"));
        assert_eq!(class("Tālrunis"), None);
        assert_eq!(class("Pilsonība"), Some("nationality"));
        assert_eq!(class("E-pasts"), Some("email"));
    }
}
