//! The validator `none`: the rule's pattern, boundary and context keywords decide alone. It is
//! for identifiers that have no check digit or other structure to verify (an employee number
//! `DARB-123456`, a case number), so that a new kind is a rule file and no code.

use super::{Candidates, Tier, Validated, Validator};

const TIERS: &[&str] = &["match"];
const MATCH: Tier = Tier::named(TIERS, "match");

/// Accepts every match, blanks inside it dropped; masks all letters and digits but the last two.
pub(super) const VALIDATOR: Validator = Validator {
    name: "none",
    tiers: TIERS,
    description: "no check: the pattern, boundary and context keywords decide",
    candidates: Candidates::Patterns,
    validate,
    mask,
    birth_date: None,
    column_value: None,
    prepare: None,
    words: None,
    word_filter: None,
};

/// The match is the value, without the blanks a pattern may allow inside it (`PA 1234567` is
/// `PA1234567`: one document, one fingerprint).
fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    let value = text[start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some(Validated::new(end, value, MATCH))
}

/// Every letter and digit becomes `X` but the last two, which stay only when the value has
/// more than four; separators stay (`DARB-123456` → `XXXX-XXXX56`).
fn mask(value: &str) -> String {
    let alphanumeric = value.chars().filter(|c| c.is_alphanumeric()).count();
    let keep = if alphanumeric > 4 { 2 } else { 0 };
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen > alphanumeric - keep { c } else { 'X' }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_match_is_taken_as_it_is_and_masked_to_its_tail() {
        let v = validate("Nr. DARB-123456.", 4, 15).unwrap();
        assert_eq!(
            (v.value.as_str(), v.end, v.tier),
            ("DARB-123456", 15, MATCH)
        );
        assert_eq!(mask("DARB-123456"), "XXXX-XXXX56");
        let spaced = validate("pase PA 1234567", 5, 15).unwrap();
        assert_eq!(spaced.value, "PA1234567");
        assert_eq!(mask("ABC-12"), "XXX-12");
        // Four letters and digits or fewer: nothing of the value is shown.
        assert_eq!(mask("AB-12"), "XX-XX");
    }
}
