//! Payment card numbers (reference §6): issuer prefix, issuer length, Luhn. Maestro is left out
//! (too broad), so 13-digit millisecond timestamps starting with 1 never qualify.

use super::{Candidates, Tier, Validated, Validator, digit_string, digits_of, tail};

const TIERS: &[&str] = &["checked"];
const CHECKED: Tier = Tier::named(TIERS, "checked");

/// Payment card numbers, masked to their last four digits.
pub(super) const VALIDATOR: Validator = Validator {
    name: "payment_card",
    tiers: TIERS,
    description: "issuer prefix and length (Visa 16/19, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Mir), Luhn",
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
    format!(
        "{}{}",
        "X".repeat(value.len().saturating_sub(4)),
        tail(value, 4)
    )
}

fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    let digits = digits_of(&text[start..end]);
    let brand = issuer(&digits)?;
    if luhn_check_digit(&digits[..digits.len() - 1]) != digits[digits.len() - 1] {
        return None;
    }
    if digits.iter().all(|d| *d == digits[0]) {
        return None;
    }
    Some(
        Validated::new(end, digit_string(&digits), CHECKED)
            .checks(&["issuer", "luhn"])
            .attribute("brand", brand),
    )
}

/// The issuer whose prefix and length the number fits (pii-shield IIN table, reference §6).
fn issuer(d: &[u8]) -> Option<&'static str> {
    let prefix = |n: usize| d[..n].iter().fold(0u32, |acc, x| acc * 10 + u32::from(*x));
    let len = d.len();
    if len < 13 {
        return None;
    }
    let p2 = prefix(2);
    let p3 = prefix(3);
    let p4 = prefix(4);
    let p6 = prefix(6);
    match () {
        // 13-digit Visa numbers are long retired, while EAN-13 barcodes with a GS1 prefix 400-499
        // (475 = Latvia) are everywhere in procurement and inventory files.
        _ if d[0] == 4 && matches!(len, 16 | 19) => Some("visa"),
        _ if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16 => {
            Some("mastercard")
        }
        _ if matches!(p2, 34 | 37) && len == 15 => Some("amex"),
        _ if (p4 == 6011
            || (622126..=622925).contains(&p6)
            || (644..=649).contains(&p3)
            || p2 == 65)
            && matches!(len, 16 | 19) =>
        {
            Some("discover")
        }
        _ if (3528..=3589).contains(&p4) && (16..=19).contains(&len) => Some("jcb"),
        _ if ((300..=305).contains(&p3) || p2 == 36 || (38..=39).contains(&p2))
            && (14..=19).contains(&len) =>
        {
            Some("diners")
        }
        _ if p2 == 62 && (16..=19).contains(&len) => Some("unionpay"),
        // Mir (Russia's national system): 2200-2204, 16-19 digits.
        _ if (2200..=2204).contains(&p4) && (16..=19).contains(&len) => Some("mir"),
        _ => None,
    }
}

/// The Luhn (mod 10) check digit for the given payload digits.
pub fn luhn_check_digit(payload: &[u8]) -> u8 {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> Option<&'static str> {
        validate(s, 0, s.len()).and_then(|v| v.attributes.first().map(|_| v.tier.name))
    }

    // Presidio test numbers and the 2-series Mastercard (reference §6).
    #[test]
    fn valid_cards() {
        for s in [
            "4111111111111111",
            "5555555555554444",
            "371449635398431",
            "6011000400000000",
            "3528000700000000",
            "2221000010000015",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
        ] {
            assert!(ok(s).is_some(), "{s}");
        }
    }

    #[test]
    fn mir_cards() {
        // 2200-2204, Luhn-valid (check digit computed with luhn_check_digit).
        for payload in ["220000000000000", "220400000000001", "220212345678901234"] {
            let digits: Vec<u8> = payload.bytes().map(|b| b - b'0').collect();
            let card = format!("{payload}{}", luhn_check_digit(&digits));
            let v = validate(&card, 0, card.len()).unwrap_or_else(|| panic!("{card}"));
            assert_eq!(v.attributes[0].1, "mir");
        }
        // Just past the range: Luhn-valid, but no issuer.
        let payload = [2, 2, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let outside: String = payload
            .iter()
            .chain([luhn_check_digit(&payload)].iter())
            .map(|d| char::from(b'0' + d))
            .collect();
        assert!(ok(&outside).is_none());
    }

    #[test]
    fn not_cards() {
        // Luhn-bad, Diners 14-digit test number excluded by Presidio, ms timestamps (pii-shield #209),
        // an EAN-13 barcode with the Latvian GS1 prefix 475 that also passes Luhn.
        for s in [
            "4012-8888-8888-1882",
            "1748503543012",
            "1548138160707",
            "4444444444444444",
            "4750000000048",
        ] {
            assert!(ok(s).is_none(), "{s}");
        }
    }

    proptest! {
        #[test]
        fn luhn_detects_any_single_digit_change(payload in proptest::collection::vec(0u8..10, 12..18),
                                                 pos_seed in 0usize..100, delta in 1u8..10) {
            let mut d = payload.clone();
            d.push(luhn_check_digit(&payload));
            let pos = pos_seed % d.len();
            d[pos] = (d[pos] + delta) % 10;
            let (body, last) = d.split_at(d.len() - 1);
            prop_assert_ne!(luhn_check_digit(body), last[0]);
        }
    }
}
