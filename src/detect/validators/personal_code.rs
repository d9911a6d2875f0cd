//! Latvian personal code (personas kods). Facts: reference `latvian-pii-facts.md` §1.

use super::{Candidates, Tier, Validated, Validator, digit_string, digits_of, is_real_date, tail};

const TIERS: &[&str] = &["old_format", "new_format_checked", "new_format_unchecked"];
const OLD_FORMAT: Tier = Tier::named(TIERS, "old_format");
const NEW_FORMAT_CHECKED: Tier = Tier::named(TIERS, "new_format_checked");
const NEW_FORMAT_UNCHECKED: Tier = Tier::named(TIERS, "new_format_unchecked");

/// Latvian personal codes, masked to their last two digits; old-format codes carry a birth date.
pub(super) const VALIDATOR: Validator = Validator {
    name: "lv_personal_code",
    tiers: TIERS,
    description: "old format: real birth date, century digit 0-2, date before 2017-07-01, mod-11 check digit; new format: prefix 32-39, check digit raises confidence",
    candidates: Candidates::Patterns,
    validate,
    mask,
    birth_date: Some(old_format_birth_date),
    column_value: None,
    prepare: None,
    words: None,
    word_filter: None,
};

fn mask(value: &str) -> String {
    format!("XXXXXX-XXX{}", tail(value, 2))
}

/// Check-digit weights, "Form A" of the reference (§1.2).
const WEIGHTS: [u32; 10] = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check digit of a personal code from its first ten digits:
/// `((1101 - Σ wᵢ·dᵢ) mod 11) mod 10` (reference §1.2).
fn personal_code_check_digit(first_ten: &[u8]) -> u8 {
    let sum: u32 = WEIGHTS
        .iter()
        .zip(first_ten)
        .map(|(w, d)| w * u32::from(*d))
        .sum();
    ((1101 - sum) % 11 % 10) as u8
}

/// The last day old-format codes were issued for (reference §1.1: "up to and including 30 June 2017").
const LAST_OLD_FORMAT_DATE: (u32, u32, u32) = (2017, 6, 30);

fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    let raw = &text[start..end];
    let digits = digits_of(raw);
    if digits.len() != 11 || !hyphen_in_place(raw) {
        return None;
    }
    let check_ok = personal_code_check_digit(&digits[..10]) == digits[10];
    let value = digit_string(&digits);
    if digits[0] == 3 && digits[1] >= 2 {
        let tier = if check_ok {
            NEW_FORMAT_CHECKED
        } else {
            NEW_FORMAT_UNCHECKED
        };
        let found = Validated::new(end, value, tier).attribute("format", "new");
        return Some(if check_ok {
            found.checks(&["check_digit"])
        } else {
            found.attribute("check_digit", "not_matching")
        });
    }
    if !check_ok || birth_date(&digits).is_none() {
        return None;
    }
    Some(
        Validated::new(end, value, OLD_FORMAT)
            .attribute("format", "old")
            .checks(&["birth_date", "check_digit"]),
    )
}

/// The birth date `(year, month, day)` of a normalised old-format code (11 digits); `None` for
/// new-format codes, which carry no date (reference §1.1).
fn old_format_birth_date(value: &str) -> Option<(u32, u32, u32)> {
    let digits = digits_of(value);
    if digits.len() != 11 || (digits[0] == 3 && digits[1] >= 2) {
        return None;
    }
    birth_date(&digits)
}

/// A code is written as 11 digits or as 6 digits, a hyphen (or a space) and 5 digits; split
/// over two adjacent cells, a cell separator stands between the parts (`;`, `,`, `|`, tab).
fn hyphen_in_place(raw: &str) -> bool {
    match raw.len() {
        11 => true,
        12 => matches!(raw.as_bytes()[6], b'-' | b' ' | b';' | b',' | b'|' | b'\t'),
        _ => false,
    }
}

/// The birth date of an old-format code, if it is a real date before the switch to the new format.
pub(crate) fn birth_date(digits: &[u8]) -> Option<(u32, u32, u32)> {
    let num = |i: usize| u32::from(digits[i]) * 10 + u32::from(digits[i + 1]);
    let (day, month, yy) = (num(0), num(2), num(4));
    let century = match digits[6] {
        0 => 1800,
        1 => 1900,
        2 => 2000,
        _ => return None,
    };
    let year = century + yy;
    let date = (year, month, day);
    (is_real_date(year, month, day) && date <= LAST_OLD_FORMAT_DATE).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tier(s: &str) -> Option<&'static str> {
        validate(s, 0, s.len()).map(|v| v.tier.name)
    }

    // Independent vectors: reference §1.7 (python-stdnum pvn.py doctests, DataDog
    // latvia_national_id_checksum.rs tests, java-personal-code README, SK Smart-ID demo identities).
    #[test]
    fn birth_dates_of_old_format_codes_only() {
        // Reference §1.1: ddmmyy, then the century digit (1 = 1900s, 2 = 2000s).
        assert_eq!(old_format_birth_date("16117519997"), Some((1975, 11, 16)));
        assert_eq!(old_format_birth_date("030303-10012"), Some((1903, 3, 3)));
        assert_eq!(old_format_birth_date("32345678901"), None, "new format");
    }

    #[test]
    fn valid_old_format_vectors() {
        for code in [
            "161175-19997",
            "121282-11210",
            "280794-12344",
            "290156-11605",
            "030303-10012",
            "010101-10006",
            "16117519997",
        ] {
            assert_eq!(tier(code), Some("old_format"), "{code}");
        }
    }

    #[test]
    fn invalid_old_format_vectors() {
        // month 13 (stdnum), checksum fails (2003 PMLP slide), wrong check digit.
        for code in ["161375-19997", "121203-14668", "161175-19998"] {
            assert_eq!(tier(code), None, "{code}");
        }
    }

    /// The first ten digits with their check digit appended.
    fn with_check(first_ten: &[u8]) -> String {
        let mut d = first_ten.to_vec();
        d.push(personal_code_check_digit(first_ten));
        digit_string(&d)
    }

    #[test]
    fn old_format_dates_after_the_switch_are_not_codes() {
        // 01.07.2017 with century digit 2: such people got new-format codes (§1.1).
        assert_eq!(tier(&with_check(&[0, 1, 0, 7, 1, 7, 2, 1, 2, 3])), None);
        // 01.06.2017 is still old format.
        assert_eq!(
            tier(&with_check(&[0, 1, 0, 6, 1, 7, 2, 1, 2, 3])),
            Some("old_format")
        );
    }

    #[test]
    fn new_format_vectors() {
        for code in [
            "328673-00679",
            "329999-99901",
            "320000-10003",
            "32503511782",
            "323691-93794",
        ] {
            assert_eq!(tier(code), Some("new_format_checked"), "{code}");
        }
        for code in ["328673-00677", "320010-10002", "32001010003"] {
            assert_eq!(tier(code), Some("new_format_unchecked"), "{code}");
        }
    }

    #[test]
    fn separator_only_after_the_sixth_digit() {
        assert_eq!(tier("1611751-9997"), None);
        assert_eq!(tier("1611751 9997"), None);
        // A space for the hyphen is how some people type it (issue 15's recall gaps).
        assert_eq!(tier("161175 19997"), Some("old_format"));
    }

    #[test]
    fn leap_days() {
        assert!(is_real_date(2000, 2, 29));
        assert!(!is_real_date(1900, 2, 29));
        assert!(is_real_date(1996, 2, 29));
        assert!(!is_real_date(1997, 2, 29));
    }

    proptest! {
        #[test]
        fn generated_valid_codes_pass(day in 1u8..=28, month in 1u8..=12, yy in 0u8..=99, serial in 0u16..=999) {
            let century = if yy <= 16 { 2 } else { 1 };
            let d = vec![day / 10, day % 10, month / 10, month % 10, yy / 10, yy % 10, century,
                             (serial / 100) as u8, (serial / 10 % 10) as u8, (serial % 10) as u8];
            prop_assert_eq!(tier(&with_check(&d)), Some("old_format"));
        }

        #[test]
        fn changing_one_digit_breaks_the_check(day in 1u8..=28, month in 1u8..=12, yy in 20u8..=99,
                                               serial in 0u16..=999, pos in 7usize..11, delta in 1u8..=9) {
            let mut d = vec![day / 10, day % 10, month / 10, month % 10, yy / 10, yy % 10, 1,
                             (serial / 100) as u8, (serial / 10 % 10) as u8, (serial % 10) as u8];
            d.push(personal_code_check_digit(&d));
            d[pos] = (d[pos] + delta) % 10;
            // A single changed digit always changes the weighted sum mod 11 (weights are
            // non-zero mod 11), except that remainders 0 and 10 both map to check digit 0.
            let code = digit_string(&d);
            let still_valid = tier(&code).is_some();
            if still_valid {
                prop_assert_eq!(d[10], 0);
            }
        }
    }
}
