//! Check digits of the planted values, written apart from piimap's validators (and in another
//! form where the reference gives two), so that the precision and recall gate catches a wrong
//! check in either: a value planted here that piimap rejects, or accepts wrongly, shows up as
//! a miss. Facts and test vectors: `latvian-pii-facts.md` §1.2, §1.4, §1.7, §4.2, §4.4, §6.

/// The check digit of a personal code from its first ten digits, in the reference's Form B
/// (python-stdnum): `(1 + Σ wᵢ·dᵢ) mod 11 mod 10` with weights `10,5,8,4,2,1,6,3,7,9` (§1.2).
pub fn personal_code(first_ten: &[u8]) -> u8 {
    const WEIGHTS: [u32; 10] = [10, 5, 8, 4, 2, 1, 6, 3, 7, 9];
    let sum = first_ten
        .iter()
        .zip(WEIGHTS)
        .fold(1, |acc, (d, w)| acc + w * u32::from(*d));
    (sum % 11 % 10) as u8
}

/// The last digit that makes a company registration number valid: weights
/// `9,1,4,8,3,10,2,5,7,6,1` over all eleven digits, sum mod 11 equal to 3 (§1.4), found by
/// trying each digit. `None` when no digit does.
pub fn company_code(first_ten: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 11] = [9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1];
    let partial: u32 = first_ten
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| w * u32::from(*d))
        .sum();
    (0..10u8).find(|last| (partial + u32::from(*last)) % 11 == 3)
}

/// The two IBAN check digits for `country` and `bban` (ISO 7064 MOD 97-10, §4.2): 98 minus
/// the remainder of BBAN, country and `00`, letters as 10..35, computed digit by digit.
pub fn iban(country: &str, bban: &str) -> u8 {
    let rearranged = format!("{bban}{country}00");
    let mut remainder = 0u32;
    for c in rearranged.chars() {
        let value = c.to_digit(36).expect("an IBAN is letters and digits");
        for digit in value.to_string().chars() {
            remainder = (remainder * 10 + digit.to_digit(10).expect("a digit")) % 97;
        }
    }
    (98 - remainder) as u8
}

/// The last digit that makes a card number pass Luhn (§6), found by trying each digit: every
/// second digit from the right is doubled (its digits summed), and the total must end in 0.
pub fn luhn(body: &[u8]) -> u8 {
    let passes = |number: &[u8]| {
        let total: u32 = number
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| {
                let d = u32::from(*d);
                if i % 2 == 1 {
                    let doubled = d * 2;
                    doubled / 10 + doubled % 10
                } else {
                    d
                }
            })
            .sum();
        total.is_multiple_of(10)
    };
    (0..10u8)
        .find(|last| {
            let mut number = body.to_vec();
            number.push(*last);
            passes(&number)
        })
        .expect("one digit in ten passes Luhn")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect()
    }

    /// §1.7: valid old- and new-format codes from stdnum, DataDog, java-personal-code and the
    /// SK Smart-ID demo identities; `121203-14668` and `328673-00677` fail the check.
    #[test]
    fn personal_code_vectors() {
        for valid in [
            "161175-19997",
            "121282-11210",
            "280794-12344",
            "290156-11605",
            "030303-10012",
            "010101-10006",
            "328673-00679",
            "329999-99901",
            "320000-10003",
        ] {
            let d = digits(valid);
            assert_eq!(personal_code(&d[..10]), d[10], "{valid}");
        }
        for bad in ["121203-14668", "328673-00677"] {
            let d = digits(bad);
            assert_ne!(personal_code(&d[..10]), d[10], "{bad}");
        }
    }

    /// §1.4 and §8: `LV 4000 3521 600` (stdnum's VAT tests) and a public institution's
    /// `90000528023`.
    #[test]
    fn company_code_vectors() {
        for valid in ["40003521600", "90000528023"] {
            let d = digits(valid);
            assert_eq!(company_code(&d[..10]), Some(d[10]), "{valid}");
        }
    }

    /// §4.4: the SWIFT registry's sample and the synthetic checksum-correct accounts.
    #[test]
    fn iban_vectors() {
        for valid in [
            "LV80BANK0000435195001",
            "LV07HABA0000000000001",
            "LV77UNLA0000000000001",
            "LV94TREL0000000000001",
            "LV75PARX0000000000001",
        ] {
            let check: u8 = valid[2..4].parse().unwrap();
            assert_eq!(iban(&valid[..2], &valid[4..]), check, "{valid}");
        }
    }

    /// §6: test card numbers, the Mastercard 2-series one included.
    #[test]
    fn luhn_vectors() {
        for valid in ["4111111111111111", "2221000010000015", "5500000000000004"] {
            let d = digits(valid);
            assert_eq!(luhn(&d[..d.len() - 1]), d[d.len() - 1], "{valid}");
        }
    }
}
