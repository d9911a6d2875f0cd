//! Validators: the code half of a rule. A rule's pattern proposes a candidate span; its validator
//! decides whether the span really is that kind of value, normalises it, and names the *tier* of
//! the decision (for example `old_format` or `new_format_unchecked`). The rule file maps each tier
//! to a base confidence, so how much a check is worth stays in data.

mod address;
mod birth_date;
mod card;
mod company_code;
mod declension;
mod email;
mod iban;
mod ip;
mod keyword;
#[cfg(test)]
mod name_forms;
mod none;
mod person_name;
mod personal_code;
mod phone;

pub use card::luhn_check_digit;

use std::borrow::Cow;

use serde::Serialize;

/// What a validator concluded about a candidate it accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    /// Start of the accepted value, when the validator moved it (an e-mail's `key=` query
    /// prefix); otherwise the candidate's own start.
    pub start: Option<usize>,
    /// End of the accepted value in the text; a validator may trim a greedy match.
    pub end: usize,
    /// The normalised value (digits only, upper-case IBAN, lower-case domain...): what is
    /// fingerprinted, masked and, with `--reveal`, shown.
    pub value: String,
    /// Which tier of evidence the value reached; the rule maps it to a confidence.
    pub tier: Tier,
    /// Checks the value passed, for the finding's evidence (`date`, `check_digit`, `mod97`...).
    pub checks: &'static [&'static str],
    /// Facts about the value that are not personal data themselves (`format`, `range`, `country`).
    pub attributes: Vec<(&'static str, Cow<'static, str>)>,
}

impl Validated {
    fn new(end: usize, value: String, tier: Tier) -> Self {
        Validated {
            start: None,
            end,
            value,
            tier,
            checks: &[],
            attributes: Vec::new(),
        }
    }

    /// The value starts later than the candidate, at `start`.
    fn starting_at(mut self, start: usize) -> Self {
        self.start = Some(start);
        self
    }

    /// The checks the value passed (a fixed list per outcome: nothing is allocated per value).
    fn checks(mut self, names: &'static [&'static str]) -> Self {
        self.checks = names;
        self
    }

    fn attribute(mut self, name: &'static str, value: impl Into<Cow<'static, str>>) -> Self {
        self.attributes.push((name, value.into()));
        self
    }
}

/// A validator: the code half of a rule, named in rule files by [`Validator::name`]. Each
/// validator file defines one and owns all of it: what it accepts, its tiers, its description
/// and how its values are masked.
pub struct Validator {
    /// The name rule files use (`lv_personal_code`).
    pub name: &'static str,
    /// The tiers it decides between; a rule must give each a confidence.
    pub tiers: &'static [&'static str],
    /// One line on what it checks, for `rules list`.
    pub description: &'static str,
    /// Where its candidates come from.
    pub candidates: Candidates,
    validate: fn(&str, usize, usize) -> Option<Validated>,
    mask: fn(&str) -> String,
    birth_date: Option<fn(&str) -> Option<Date>>,
    column_value: Option<fn(&str) -> Option<String>>,
    prepare: Option<fn()>,
    words: Option<fn() -> Vec<String>>,
    word_filter: Option<fn(&[u8]) -> bool>,
}

/// Where a validator's candidates come from, and so what its rules must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Candidates {
    /// The rule's regex patterns.
    Patterns,
    /// The rule's keyword terms.
    Keywords,
    /// Every capitalised word (a name's first letter); the rule gives no patterns.
    CapitalisedWords,
}

/// A date as `(year, month, day)`.
pub type Date = (u32, u32, u32);

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // By name alone: the functions' addresses differ from one process to the next, and a
        // rule set's digest (its Debug text) must not.
        write!(f, "Validator({})", self.name)
    }
}

impl PartialEq for Validator {
    fn eq(&self, other: &Validator) -> bool {
        self.name == other.name
    }
}

impl Eq for Validator {}

impl Serialize for Validator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name)
    }
}

/// Every validator, in the order `rules list` shows them.
pub const ALL: [&Validator; 13] = [
    &personal_code::VALIDATOR,
    &birth_date::VALIDATOR,
    &company_code::VALIDATOR,
    &email::VALIDATOR,
    &phone::VALIDATOR,
    &iban::VALIDATOR,
    &ip::IPV4,
    &ip::IPV6,
    &card::VALIDATOR,
    &person_name::VALIDATOR,
    &address::VALIDATOR,
    &keyword::VALIDATOR,
    &none::VALIDATOR,
];

impl Validator {
    /// Looks a validator up by its rule-file name.
    pub fn named(name: &str) -> Option<&'static Validator> {
        ALL.into_iter().find(|v| v.name == name)
    }

    /// The tier called `name`, if the validator has one.
    pub fn tier(&self, name: &str) -> Option<Tier> {
        self.tiers
            .iter()
            .position(|t| *t == name)
            .map(|i| Tier::of(self.tiers, i))
    }

    /// Validates the candidate `text[start..end]`. `None` rejects it.
    pub fn validate(&self, text: &str, start: usize, end: usize) -> Option<Validated> {
        (self.validate)(text, start, end)
    }

    /// The value as a sample shows it: never the whole of a personal value.
    pub fn mask(&self, value: &str) -> String {
        (self.mask)(value)
    }

    /// Whether its values are people's codes that may carry a birth date (personal codes).
    pub fn carries_birth_dates(&self) -> bool {
        self.birth_date.is_some()
    }

    /// The birth date `(year, month, day)` a value carries (an old-format personal code);
    /// `None` otherwise.
    pub fn birth_date(&self, value: &str) -> Option<Date> {
        self.birth_date.and_then(|date| date(value))
    }

    /// Builds what the validator needs before its first candidate (the first names' forms), so
    /// that the cost falls at start-up, not inside the first file's time limit.
    pub fn prepare(&self) {
        if let Some(prepare) = self.prepare {
            prepare();
        }
    }

    /// Words whose every occurrence after a space is a candidate besides the rule's patterns
    /// (the street types, which follow their street's name), as written: the detector finds
    /// them in the one pass of its keyword automaton, which costs no more for them, where a
    /// pattern of their own grew every other pattern's lazy-DFA states.
    pub fn words(&self) -> Vec<String> {
        self.words.map(|words| words()).unwrap_or_default()
    }

    /// Whether the capitalised word at the start of `bytes` may be a candidate at all (for a
    /// validator of capitalised words): a test of its first bytes, before the detector finds
    /// the word's end and calls [`Validator::validate`]. `false` only where `validate` would
    /// reject the word.
    pub fn may_start_a_candidate(&self, bytes: &[u8]) -> bool {
        self.word_filter.is_none_or(|may| may(bytes))
    }

    /// A table cell's text under a header that names this kind (`Vārds`, `Adrese`), as a value
    /// of tier [`COLUMN_TIER`]: the header is the evidence, the text needs only the value's
    /// shape. `None` when the validator takes no such values or the text has not the shape.
    pub fn column_value(&self, text: &str) -> Option<String> {
        self.column_value.and_then(|normalise| normalise(text))
    }
}

/// The tier of a value that a table column's header names (see [`Validator::column_value`]).
pub const COLUMN_TIER: &str = "column";

/// One of a validator's tiers: its index in [`Validator::tiers`] (what a rule's confidences
/// are looked up by) and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    /// Index in the validator's tiers.
    pub index: usize,
    /// Its name in rule files.
    pub name: &'static str,
}

impl Tier {
    const fn of(tiers: &'static [&'static str], index: usize) -> Tier {
        Tier {
            index,
            name: tiers[index],
        }
    }

    /// The tier called `name` of `tiers`, found when the program is compiled (a misspelt tier
    /// does not compile).
    const fn named(tiers: &'static [&'static str], name: &str) -> Tier {
        let mut i = 0;
        while i < tiers.len() {
            if tiers[i].len() == name.len() {
                let (a, b) = (tiers[i].as_bytes(), name.as_bytes());
                let mut j = 0;
                while j < a.len() && a[j] == b[j] {
                    j += 1;
                }
                if j == a.len() {
                    return Tier::of(tiers, i);
                }
            }
            i += 1;
        }
        panic!("no such tier")
    }
}

/// The tail of a value: its last `n` bytes (masks keep check digits and card tails).
fn tail(value: &str, n: usize) -> &str {
    let mut at = value.len().saturating_sub(n);
    while !value.is_char_boundary(at) {
        at += 1;
    }
    &value[at..]
}

/// The ASCII digits of `s`, skipping separators.
fn digits_of(s: &str) -> Vec<u8> {
    // Sized up front: collecting a filter grows the vector from nothing, twice for a code.
    let mut digits = Vec::with_capacity(s.len());
    digits.extend(s.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0'));
    digits
}

/// The digits as a string.
fn digit_string(digits: &[u8]) -> String {
    let mut text = String::with_capacity(digits.len());
    push_digits(&mut text, digits);
    text
}

/// Appends the digits to `out` as text.
fn push_digits(out: &mut String, digits: &[u8]) {
    out.extend(digits.iter().map(|d| char::from(b'0' + d)));
}

/// Whether `day`.`month`.`year` is a date of the Gregorian calendar.
fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(validator: &str, value: &str) -> String {
        Validator::named(validator).unwrap().mask(value)
    }

    #[test]
    fn masks_hide_the_value() {
        assert_eq!(masked("lv_personal_code", "16117519997"), "XXXXXX-XXX97");
        assert_eq!(masked("email", "janis.berzins@pasts.lv"), "j***@pasts.lv");
        assert_eq!(masked("phone", "+37126123456"), "+371XXXXXX56");
        assert_eq!(
            masked("iban", "LV80BANK0000435195001"),
            "LVXX BANK XXXXXXXXXXXXX"
        );
        assert_eq!(
            masked("payment_card", "4111111111111111"),
            "XXXXXXXXXXXX1111"
        );
        assert_eq!(masked("ipv4", "83.241.12.7"), "83.241.x.x");
        assert_eq!(masked("ipv6", "2001:db8::1"), "2001:db8:…");
        assert_eq!(masked("lv_company_code", "40003521600"), "40003521600");
        assert_eq!(masked("none", "DARB-123456"), "XXXX-XXXX56");
    }

    #[test]
    fn masked_value_never_contains_the_whole_value() {
        for (v, value) in [
            ("lv_personal_code", "16117519997"),
            ("email", "a@pasts.lv"),
            ("phone", "+37126123456"),
            ("iban", "LV80BANK0000435195001"),
            ("payment_card", "4111111111111111"),
            ("ipv4", "10.0.0.1"),
            ("none", "DARB-123456"),
        ] {
            assert!(!masked(v, value).contains(value), "{value}");
        }
    }

    #[test]
    fn every_validator_has_a_unique_name_and_tiers() {
        let mut names: Vec<&str> = ALL.iter().map(|v| v.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        assert!(ALL.iter().all(|v| !v.tiers.is_empty()));
        assert_eq!(
            Validator::named("email")
                .unwrap()
                .tier("address")
                .unwrap()
                .index,
            0
        );
        assert!(Validator::named("email").unwrap().tier("nope").is_none());
    }
}
