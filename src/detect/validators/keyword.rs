//! Keyword rules: a listed term (a Latvian stem or an English word) is the finding itself, for
//! the special categories of data. Their terms are matched by one automaton in
//! [`crate::detect`]; this validator only names their tiers.

use super::{Candidates, Validated, Validator};

/// Keyword rules' validator: `strong` terms indicate the category on their own, `weak` ones
/// often appear without personal data. The keyword is shown as it is.
pub(super) const VALIDATOR: Validator = Validator {
    name: "keyword",
    tiers: &["strong", "weak"],
    description: "a listed Latvian stem or English keyword at a word start",
    candidates: Candidates::Keywords,
    validate,
    mask: str::to_string,
    birth_date: None,
    column_value: None,
    prepare: None,
    words: None,
    word_filter: None,
};

/// Keyword rules have no patterns, so nothing comes here to validate.
fn validate(_text: &str, _start: usize, _end: usize) -> Option<Validated> {
    None
}
