//! Dates of birth: a calendar date written `12.03.1985`, `1985-03-12` or in the Latvian long
//! form `1985. gada 12. martā`. Which dates are births is the rule's context (its keywords);
//! this validator checks that the date is real and normalises it (reference
//! people-and-documents.md, Dates of birth).

use super::{Candidates, Date, Tier, Validated, Validator, is_real_date};
use crate::detect::without_diacritics;

const TIERS: &[&str] = &["date"];
const DATE: Tier = Tier::named(TIERS, "date");

/// Accepts a real date from 1900 to 2100, normalised to `YYYY-MM-DD`; masks all but the year.
pub(super) const VALIDATOR: Validator = Validator {
    name: "birth_date",
    tiers: TIERS,
    description: "a real calendar date (DD.MM.YYYY, YYYY-MM-DD, `YYYY. gada D. mēnesī`)",
    candidates: Candidates::Patterns,
    validate,
    mask,
    birth_date: Some(parse),
    column_value: None,
    prepare: None,
    words: None,
    word_filter: None,
};

/// The months in the locative case (`martā`: "in March"), as written without diacritics.
const MONTHS: [&str; 12] = [
    "janvari",
    "februari",
    "marta",
    "aprili",
    "maija",
    "junija",
    "julija",
    "augusta",
    "septembri",
    "oktobri",
    "novembri",
    "decembri",
];

fn validate(text: &str, start: usize, end: usize) -> Option<Validated> {
    // A month name's bytes may stop inside a character.
    let raw = text.get(start..end)?;
    let (year, month, day) = parse(raw)?;
    if !(1900..=2100).contains(&year) || !is_real_date(year, month, day) {
        return None;
    }
    let value = format!("{year:04}-{month:02}-{day:02}");
    Some(Validated::new(end, value, DATE).checks(&["date"]))
}

/// `(year, month, day)` of a date in one of the three written forms (a normalised value is
/// the ISO one).
fn parse(raw: &str) -> Option<Date> {
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if let Some((year, rest)) = raw.split_once(". ") {
        // 1985. gada 12. martā, 1985. g. 12. martā
        let rest = rest
            .strip_prefix("gada ")
            .or_else(|| rest.strip_prefix("g. "))?;
        let (day, month) = rest.split_once(". ")?;
        let month = without_diacritics(&month.to_lowercase()).into_owned();
        let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
        return Some((number(year)?, month, number(day)?));
    }
    if let Some((year, rest)) = raw.split_once('-') {
        let (month, day) = rest.split_once('-')?;
        return Some((number(year)?, number(month)?, number(day)?));
    }
    let mut parts = raw.split('.');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    (parts.next().is_none() && year.len() == 4).then_some(())?;
    Some((number(year)?, number(month)?, number(day)?))
}

/// The year stays (an age group), the month and day do not: `1985-XX-XX`.
fn mask(value: &str) -> String {
    match value.split_once('-') {
        Some((year, _)) => format!("{year}-XX-XX"),
        None => "XXXX-XX-XX".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> Option<String> {
        validate(s, 0, s.len()).map(|v| v.value)
    }

    #[test]
    fn the_three_written_forms() {
        // The forms in people-and-documents.md, Dates of birth.
        assert_eq!(value("12.03.1985").as_deref(), Some("1985-03-12"));
        assert_eq!(value("2.3.1985").as_deref(), Some("1985-03-02"));
        assert_eq!(value("1985-03-12").as_deref(), Some("1985-03-12"));
        assert_eq!(value("1985. gada 12. martā").as_deref(), Some("1985-03-12"));
        assert_eq!(
            value("1985. g. 1. septembrī").as_deref(),
            Some("1985-09-01")
        );
        assert_eq!(
            value("2012. gada 29. februari").as_deref(),
            Some("2012-02-29")
        );
    }

    #[test]
    fn dates_that_are_not_real_are_refused() {
        for s in [
            "31.02.1985",
            "29.02.2013",
            "12.13.1985",
            "1985-00-10",
            "12.03.1850",
            "1985. gada 12. martš",
            "1985. gada 32. martā",
            "12.03.85",
        ] {
            assert_eq!(value(s), None, "{s}");
        }
    }

    #[test]
    fn a_cut_inside_a_character_is_refused_not_a_panic() {
        let text = "1985. gada 12. martā";
        assert_eq!(validate(text, 0, text.len() - 1), None);
    }

    #[test]
    fn masks_keep_the_year_and_dates_feed_ages() {
        assert_eq!(mask("1985-03-12"), "1985-XX-XX");
        assert_eq!(parse("2015-06-01"), Some((2015, 6, 1)));
    }
}
