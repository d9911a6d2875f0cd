//! Latvian company and institution registration numbers (reference §1.4): organisation
//! identifiers, classified so they are never counted as persons.

use super::{Validated, digit_string, digits_of};

pub(super) const TIERS: &[&str] = &["checked"];

/// Weights over all eleven digits; a valid number has a weighted sum ≡ 3 (mod 11).
const WEIGHTS: [u32; 11] = [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1];

/// The last digit that makes the weighted sum ≡ 3 (mod 11), if one exists.
pub fn company_code_check_digit(first_ten: &[u8]) -> Option<u8> {
    let sum: u32 = WEIGHTS
        .iter()
        .zip(first_ten)
        .map(|(w, d)| w * u32::from(*d))
        .sum();
    let needed = (3 + 11 - sum % 11) % 11;
    (needed < 10).then_some(needed as u8)
}

pub(super) fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    let raw = &text[start..end];
    let digits = digits_of(raw);
    if digits.len() != 11 || !matches!(digits[0], 4 | 5 | 9) {
        return None;
    }
    if company_code_check_digit(&digits[..10]) != Some(digits[10]) {
        return None;
    }
    let found = Validated::new(end, digit_string(&digits), "checked").checks(&["check_digit"]);
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
