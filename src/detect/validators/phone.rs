//! Phone numbers: Latvian numbers against the numbering plan (reference §3.1) and international
//! `+CC` numbers with a known country calling code.

use super::{Candidates, Tier, Validated, Validator, digits_of, push_digits, tail};

const TIERS: &[&str] = &["lv_international", "lv_national", "international"];
const LV_INTERNATIONAL: Tier = Tier::named(TIERS, "lv_international");
const LV_NATIONAL: Tier = Tier::named(TIERS, "lv_national");
const INTERNATIONAL: Tier = Tier::named(TIERS, "international");

/// Phone numbers (E.164), masked to the country code and the last two digits.
pub(super) const VALIDATOR: Validator = Validator {
    name: "phone",
    tiers: TIERS,
    description: "+371/00371 numbers against the Latvian numbering plan; bare 8-digit national numbers; international +CC numbers of 8-15 digits with a known country code",
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
    let prefix = if value.starts_with("+371") {
        "+371"
    } else {
        value.get(..value.len().min(3)).unwrap_or("")
    };
    let hidden = value.len().saturating_sub(prefix.len() + 2);
    format!("{prefix}{}{}", "X".repeat(hidden), tail(value, 2))
}

/// The groupings a bare national number may be written in (reference §3.3): 8, 2-3-3, 4-4, 3-5.
const NATIONAL_GROUPINGS: &[&[usize]] = &[&[8], &[2, 3, 3], &[4, 4], &[3, 5]];

fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    // The pattern takes a greedy run of digits and separators; drop trailing groups (a date or
    // an amount after the number) until what is left is a valid number.
    let mut cut = end;
    loop {
        if let Some(found) = validate_exact(&text[start..cut], cut) {
            return Some(found);
        }
        cut = start + text[start..cut].rfind([' ', '-'])?;
        cut = start
            + text[start..cut]
                .trim_end_matches([' ', '-', '(', ')'])
                .len();
    }
}

fn validate_exact(raw: &str, end: usize) -> Option<Validated> {
    let international = raw.starts_with('+') || raw.starts_with("(+") || raw.starts_with("00");
    // `+44 (0)20 7946 0958`: the bracketed trunk 0 is dialled only from inside the country and
    // is not part of the number (E.164), so the value is the same as `+44 20 7946 0958`.
    let trunk = if international { raw.find("(0)") } else { None };
    let digits = match trunk {
        Some(at) => {
            let mut digits = digits_of(&raw[..at]);
            digits.extend(digits_of(&raw[at + 3..]));
            digits
        }
        _ => digits_of(raw),
    };
    if !international {
        let groups: Vec<usize> = raw.split([' ', '-']).map(str::len).collect();
        if !NATIONAL_GROUPINGS.contains(&groups.as_slice()) {
            return None;
        }
        let kind = lv_number_type(&digits)?;
        return Some(
            Validated::new(end, e164(&[3, 7, 1], &digits), LV_NATIONAL)
                .checks(&["numbering_plan"])
                .attribute("country", "LV")
                .attribute("type", kind),
        );
    }
    let digits = if raw.starts_with("00") {
        &digits[2..]
    } else {
        &digits[..]
    };
    if let Some(national) = digits.strip_prefix(&[3, 7, 1][..]) {
        let kind = lv_number_type(national)?;
        return Some(
            Validated::new(end, e164(&[], digits), LV_INTERNATIONAL)
                .checks(&["numbering_plan"])
                .attribute("country", "LV")
                .attribute("type", kind),
        );
    }
    if raw.starts_with("00") || !(8..=15).contains(&digits.len()) {
        return None;
    }
    let cc = calling_code(digits)?;
    Some(
        Validated::new(end, e164(&[], digits), INTERNATIONAL)
            .checks(&["country_code"])
            .attribute("calling_code", cc.to_string()),
    )
}

/// `+`, then the digits of `country` and of `number`.
fn e164(country: &[u8], number: &[u8]) -> String {
    let mut value = String::with_capacity(1 + country.len() + number.len());
    value.push('+');
    push_digits(&mut value, country);
    push_digits(&mut value, number);
    value
}

/// The type of a Latvian 8-digit national number under the plan, or `None` if the plan has no
/// such number (libphonenumber metadata for LV, reference §3.1).
fn lv_number_type(d: &[u8]) -> Option<&'static str> {
    if d.len() != 8 {
        return None;
    }
    match (d[0], d[1]) {
        (2, 3) => {
            // Mobile gaps: 2301-2306, 2308-2309, 2321, 23339.
            let valid = match (d[2], d[3]) {
                (0, 0) | (0, 7) => true,
                (0, _) => false,
                (2, 1) => false,
                (2, _) => true,
                (3, 3) => d[4] != 9,
                (3, _) => true,
                _ => true,
            };
            valid.then_some("mobile")
        }
        (2, _) => Some("mobile"),
        (6, _) => Some("fixed_line"),
        (8, 0) => Some("toll_free"),
        (8, 1) => Some("shared_cost"),
        (9, 0) => Some("premium_rate"),
        _ => None,
    }
}

/// ITU-T E.164 country calling codes in service (1-3 digits; `1` and `7` cover NANP and
/// Russia/Kazakhstan).
const CALLING_CODES: &[u16] = &[
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
    55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211,
    212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234,
    235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253,
    254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298,
    299, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 372, 373, 374, 375, 376, 377, 378,
    380, 381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505, 506, 507,
    508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676, 677,
    678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 850, 852, 853, 855, 856,
    880, 886, 960, 961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975, 976, 977,
    992, 993, 994, 995, 996, 998,
];

fn calling_code(digits: &[u8]) -> Option<u16> {
    (1..=3).find_map(|len| {
        let cc = digits[..len]
            .iter()
            .fold(0u16, |acc, d| acc * 10 + u16::from(*d));
        CALLING_CODES.contains(&cc).then_some(cc)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(s: &str) -> Option<(&'static str, String)> {
        validate(s, 0, s.len()).map(|v| (v.tier.name, v.value))
    }

    // Written forms from reference §3.3, plan from §3.1.
    #[test]
    fn latvian_forms() {
        for s in [
            "+371 2612 3456",
            "(+371) 29 123 456",
            "00371 67000000",
            "+37126123456",
            "+371-26123456",
        ] {
            assert_eq!(check(s).map(|c| c.0), Some("lv_international"), "{s}");
        }
        assert_eq!(
            check("67 123 456"),
            Some(("lv_national", "+37167123456".into()))
        );
        assert_eq!(check("26123456").map(|c| c.0), Some("lv_national"));
        assert_eq!(check("643 81496").map(|c| c.0), Some("lv_national"));
    }

    #[test]
    fn numbering_plan_gaps() {
        for s in [
            "+371 23011234",
            "+371 23211234",
            "+371 23339123",
            "+371 78123456",
            "+371 12345678",
            "+37100021699",
            "12345678",
            "+371 2612345",
        ] {
            assert_eq!(check(s), None, "{s}");
        }
        assert!(check("+371 23001234").is_some());
        assert!(check("+371 23338123").is_some());
    }

    #[test]
    fn international() {
        assert_eq!(
            check("+44 20 7946 0958").map(|c| c.0),
            Some("international")
        );
        assert_eq!(check("+49 30 123456").map(|c| c.0), Some("international"));
        assert_eq!(check("+1 202 555 0143").map(|c| c.0), Some("international"));
        assert_eq!(check("+999 1234 5678"), None); // no such country code
        // The bracketed trunk 0 is not part of the number: one value, written either way.
        assert_eq!(
            check("+44 (0)20 7946 0958").map(|c| c.1),
            Some("+442079460958".into())
        );
        assert_eq!(
            check("+44 20 7946 0958").map(|c| c.1),
            Some("+442079460958".into())
        );
        assert_eq!(check("+44 12"), None); // too short
        assert_eq!(check("0044 20 7946 0958"), None); // 00 only for +371
    }

    #[test]
    fn greedy_runs_are_trimmed_to_the_number() {
        let text = "+371 26123456 12 2024";
        let v = validate(text, 0, text.len()).unwrap();
        assert_eq!(&text[..v.end], "+371 26123456");
        assert_eq!(check("26 12 34 56"), None); // not a national grouping
        assert_eq!(
            check("+371 26 12 34 56").map(|c| c.0),
            Some("lv_international")
        );
    }
}
