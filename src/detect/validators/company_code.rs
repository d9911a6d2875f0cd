//! Latvian company and institution registration numbers (reference §1.4): organisation
//! identifiers, classified so they are never counted as persons.

use super::{Candidates, Tier, Validated, Validator, digit_string, digits_of};

const TIERS: &[&str] = &["checked"];
const CHECKED: Tier = Tier::named(TIERS, "checked");

/// Company and institution registration numbers: public register data, shown whole.
pub(super) const VALIDATOR: Validator = Validator {
    name: "lv_company_code",
    tiers: TIERS,
    description: "11 digits starting 4, 5 or 9; weighted sum mod 11 = 3 (optional LV prefix)",
    candidates: Candidates::Patterns,
    validate,
    mask: str::to_string,
    birth_date: None,
    column_value: None,
    prepare: None,
    words: None,
    word_filter: None,
};

/// Weights over all eleven digits; a valid number has a weighted sum ≡ 3 (mod 11).
const WEIGHTS: [u32; 11] = [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1];

/// The last digit that makes the weighted sum ≡ 3 (mod 11), if one exists.
fn company_code_check_digit(first_ten: &[u8]) -> Option<u8> {
    let sum: u32 = WEIGHTS
        .iter()
        .zip(first_ten)
        .map(|(w, d)| w * u32::from(*d))
        .sum();
    let needed = (3 + 11 - sum % 11) % 11;
    (needed < 10).then_some(needed as u8)
}

fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    let raw = &text[start..end];
    let digits = digits_of(raw);
    if digits.len() != 11 || !matches!(digits[0], 4 | 5 | 9) {
        return None;
    }
    if company_code_check_digit(&digits[..10]) != Some(digits[10]) {
        return None;
    }
    let found = Validated::new(end, digit_string(&digits), CHECKED).checks(&["check_digit"]);
    Some(if raw.starts_with("LV") {
        found.attribute("form", "vat")
    } else {
        found
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> bool {
        validate(s, 0, s.len()).is_some()
    }

    // python-stdnum tests/test_eu_vat.doctest (reference §8).
    #[test]
    fn stdnum_vectors() {
        for v in [
            "40003521600",
            "40003189718",
            "90000528023",
            "40003241337",
            "LV40003521600",
        ] {
            assert!(ok(v), "{v}");
        }
        for v in ["40003189715", "90000528022", "10103241337", "42103048181"] {
            assert!(!ok(v), "{v}");
        }
    }

    #[test]
    fn check_digit_round_trip() {
        let d = [4, 0, 0, 0, 3, 5, 2, 1, 6, 0];
        assert_eq!(company_code_check_digit(&d), Some(0));
    }
}
