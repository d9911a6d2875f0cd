//! IBAN (reference §4): country length and BBAN shape from the SWIFT registry (via the
//! `iban_validate` crate), ISO 7064 MOD 97-10.

use iban::IbanLike;

use super::{Candidates, Tier, Validated, Validator};

const TIERS: &[&str] = &["checked"];
const CHECKED: Tier = Tier::named(TIERS, "checked");

/// IBANs, masked to the country and the bank code.
pub(super) const VALIDATOR: Validator = Validator {
    name: "iban",
    tiers: TIERS,
    description: "country length and BBAN shape per the SWIFT registry, mod-97",
    candidates: Candidates::Patterns,
    validate,
    mask,
    birth_date: None,
    column_value: None,
    prepare: None,
    words: None,
    word_filter: None,
};

fn mask(value: &str) -> String {
    let head = value.get(..value.len().min(8)).unwrap_or("");
    format!(
        "{}XX {} {}",
        head.get(..2.min(head.len())).unwrap_or(""),
        head.get(4..).unwrap_or(""),
        "X".repeat(value.len().saturating_sub(8))
    )
}

fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    let raw = &text[start..end];
    // The pattern takes characters with single separators, in any grouping and either case; a
    // trailing token ("... 2024") may have been taken in. Try the longest candidate first, then
    // drop separated groups from the end.
    let mut cut = raw.len();
    let mut compact = String::with_capacity(raw.len());
    loop {
        let candidate = &raw[..cut];
        compact.clear();
        compact.extend(
            candidate
                .chars()
                .filter(|c| !matches!(c, ' ' | '-'))
                .map(|c| c.to_ascii_uppercase()),
        );
        if let Some(found) = parse(&compact) {
            let (value, country, bank) = found;
            let mut found = Validated::new(start + cut, value, CHECKED)
                .checks(&["length", "bban_format", "mod97"])
                .attribute("country", country);
            if let Some(bank) = bank {
                found = found.attribute("bank", bank);
            }
            return Some(found);
        }
        cut = candidate.rfind([' ', '-'])?;
    }
}

/// An IBAN in electronic form: its value, country and bank code, if it is one.
fn parse(compact: &str) -> Option<(String, String, Option<String>)> {
    match compact.parse::<iban::Iban>() {
        Ok(iban) => Some((
            iban.electronic_str().to_string(),
            iban.country_code().to_string(),
            iban.bank_identifier().map(str::to_string),
        )),
        Err(iban::ParseIbanError::UnknownCountry(base)) => {
            let value = base.electronic_str();
            let country = MISSING_COUNTRIES
                .iter()
                .find(|c| value.starts_with(c.code))?;
            let bban = &value[4..];
            let mut at = 0;
            let shaped = value.len() == country.length
                && country.bban.iter().all(|&(n, allowed)| {
                    let part = bban.get(at..at + n);
                    at += n;
                    part.is_some_and(|p| p.bytes().all(|b| allowed(&b)))
                });
            shaped.then(|| {
                (
                    value.to_string(),
                    country.code.to_string(),
                    Some(bban[..4].to_string()),
                )
            })
        }
        Err(_) => None,
    }
}

/// A country of the SWIFT IBAN registry (release 101, reference §4.3) that the `iban_validate`
/// crate does not know yet.
struct MissingCountry {
    code: &'static str,
    length: usize,
    /// The BBAN as runs of a length and the characters allowed in them.
    bban: &'static [(usize, CharClass)],
}

/// Which bytes a run of a BBAN may hold.
type CharClass = fn(&u8) -> bool;

/// Honduras `4!a20!n`, Pakistan `4!a16!c`. Their check digits are verified by `BaseIban`.
const MISSING_COUNTRIES: &[MissingCountry] = &[
    MissingCountry {
        code: "HN",
        length: 28,
        bban: &[(4, u8::is_ascii_uppercase), (20, u8::is_ascii_digit)],
    },
    MissingCountry {
        code: "PK",
        length: 24,
        bban: &[(4, u8::is_ascii_uppercase), (16, u8::is_ascii_alphanumeric)],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The two check digits for a country code and BBAN, for making valid test values.
    fn iban_check_digits(country: &str, bban: &str) -> u8 {
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
            // Lower case (stdnum accepts it, reference §4.4), hyphens, irregular groups.
            "lv80bank0000435195001",
            "lv80 bank 0000 4351 9500 1",
            "LV80-BANK-0000-4351-9500-1",
            "LV80 BANK 000 0435 1950 01",
            // Honduras and Pakistan (SWIFT registry samples), unknown to iban_validate 5.0.
            "HN88CABF00000000000250005469",
            "PK36SCBL0000001123456702",
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
            "HN88CABF0000000000025000546",
            "PK36SCBL0000001123456703",
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
