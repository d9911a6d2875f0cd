//! IBAN (reference §4): country length and BBAN shape from the SWIFT registry (via the
//! `iban_validate` crate), ISO 7064 MOD 97-10.

use iban::IbanLike;

use super::Validated;

pub(super) const TIERS: &[&str] = &["checked"];

pub(super) fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    let raw = &text[start..end];
    // The pattern is greedy over groups of four; a trailing token ("... 2024") may have been taken
    // in. Try the longest candidate first, then drop separated groups from the end.
    let mut cut = raw.len();
    let mut compact = String::with_capacity(raw.len());
    loop {
        let candidate = &raw[..cut];
        compact.clear();
        compact.extend(candidate.chars().filter(|c| !matches!(c, ' ' | '-')));
        if let Ok(iban) = compact.parse::<iban::Iban>() {
            let mut found =
                Validated::new(start + cut, iban.electronic_str().to_string(), "checked")
                    .checks(&["length", "bban_format", "mod97"])
                    .attribute("country", iban.country_code().to_string());
            if let Some(bank) = iban.bank_identifier() {
                found = found.attribute("bank", bank.to_string());
            }
            return Some(found);
        }
        cut = candidate.rfind([' ', '-'])?;
    }
}

/// The two check digits for a country code and BBAN (used by the corpus generator).
pub fn iban_check_digits(country: &str, bban: &str) -> u8 {
    let rearranged = format!("{bban}{country}00");
    let remainder = rearranged.chars().fold(0u32, |acc, c| {
        let v = c.to_digit(36).expect("alphanumeric IBAN");
        if v < 10 {
            (acc * 10 + v) % 97
        } else {
            (acc * 100 + v) % 97
        }
    });
    (98 - remainder) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> Option<String> {
        validate(s, 0, s.len()).map(|v| v.value)
    }

    // Reference §4.4 (SWIFT registry sample, stdnum, Presidio) and DataDog iban_checker.rs.
    #[test]
    fn valid_vectors() {
        for s in [
            "LV80BANK0000435195001",
            "LV80 BANK 0000 4351 9500 1",
            "LV07HABA0000000000001",
            "LV77UNLA0000000000001",
            "LV94TREL0000000000001",
            "LV75PARX0000000000001",
            "LV35AIZK0001110030289",
            "DE44500105175407324931",
            "DE4450-0105-1754-0732-4931",
            "KZ86 125K ZT50 0410 0100",
        ] {
            assert!(ok(s).is_some(), "{s}");
        }
    }

    #[test]
    fn invalid_vectors() {
        for s in [
            "LV80 BANK 0000 4351 9500 2",
            "LV81BANK0000435195001",
            "LV02HABALV0000000000",
            "LV10RTMB00000000000016",
            "DE45500105175407324931",
            "AL84212110090000AB023569874",
            "AT93 1904 3002 3457 3201 99",
            "BG93 BNBG 9661 1A20 3456 78",
            "QQ93 1234 5678",
        ] {
            assert!(ok(s).is_none(), "{s}");
        }
    }

    #[test]
    fn trailing_token_is_dropped() {
        let s = "LV80 BANK 0000 4351 9500 1 2024";
        let v = validate(s, 0, s.len()).unwrap();
        assert_eq!(&s[..v.end], "LV80 BANK 0000 4351 9500 1");
    }

    #[test]
    fn generated_check_digits() {
        assert_eq!(iban_check_digits("LV", "HABA0000000000001"), 7);
        assert_eq!(iban_check_digits("LV", "BANK0000435195001"), 80);
    }

    proptest! {
        // MOD 97-10 detects every single-character change (ISO 7064).
        #[test]
        fn generated_latvian_ibans_pass_and_a_changed_digit_fails(account in "[0-9]{13}", bank in "(HABA|UNLA|PARX|TREL)",
                                                                pos in 0usize..13, delta in 1u8..10) {
            let bban = format!("{bank}{account}");
            let valid = format!("LV{:02}{bban}", iban_check_digits("LV", &bban));
            prop_assert!(validate(&valid, 0, valid.len()).is_some());
            let mut bytes = valid.into_bytes();
            let at = 8 + pos;
            bytes[at] = b'0' + (bytes[at] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(validate(&changed, 0, changed.len()).is_none());
        }
    }
}
