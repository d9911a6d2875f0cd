//! Postal addresses: a town street with a house number (`Brīvības iela 12-5`, `Krišjāņa Barona
//! ielā 45 k-2`, `13. janvāra iela 3`, `5. līnija 7`) or a rural house name in quotes with its
//! parish or county (`"Kalnāji", Mārupes pag., Mārupes nov.`), with the town and the postcode
//! `LV-NNNN` that follow. A street type (one of this validator's [candidate words]) or the
//! rule's pattern (the opening quote) is the candidate; this validator reads the street's name
//! back from there and the number, town and postcode forward (reference
//! people-and-documents.md, Addresses).
//!
//! [candidate words]: super::Validator::words

use std::sync::LazyLock;

use super::{Candidates, Tier, Validated, Validator};
use crate::detect::{letters_end, without_diacritics};

const TIERS: &[&str] = &["street", "flat", "rural", "column"];
const STREET: Tier = Tier::named(TIERS, "street");
const FLAT: Tier = Tier::named(TIERS, "flat");
const RURAL: Tier = Tier::named(TIERS, "rural");

/// Accepts a street address or a rural house address; the value is the street in the
/// nominative (`Brīvības iela 12-5`) or the house with its parish, and the postcode when given.
pub(super) const VALIDATOR: Validator = Validator {
    name: "postal_address",
    tiers: TIERS,
    description: "a street name, street type and house number (flat, block, town, postcode), or a rural house name in quotes with its pag./nov.",
    candidates: Candidates::Patterns,
    validate,
    mask,
    birth_date: None,
    column_value: Some(column_value),
    prepare: None,
    words: Some(candidate_words),
    word_filter: None,
};

/// Street types: the nominative, and its case forms as spelled (nominative, genitive,
/// dative, accusative, locative).
const STREET_TYPES: [(&str, [&str; 5]); 12] = [
    ("iela", ["iela", "ielas", "ielai", "ielu", "ielā"]),
    (
        "bulvāris",
        ["bulvāris", "bulvāra", "bulvārim", "bulvāri", "bulvārī"],
    ),
    (
        "prospekts",
        [
            "prospekts",
            "prospekta",
            "prospektam",
            "prospektu",
            "prospektā",
        ],
    ),
    ("gatve", ["gatve", "gatves", "gatvei", "gatvi", "gatvē"]),
    ("aleja", ["aleja", "alejas", "alejai", "aleju", "alejā"]),
    (
        "laukums",
        ["laukums", "laukuma", "laukumam", "laukumu", "laukumā"],
    ),
    (
        "šoseja",
        ["šoseja", "šosejas", "šosejai", "šoseju", "šosejā"],
    ),
    ("dambis", ["dambis", "dambja", "dambim", "dambi", "dambī"]),
    (
        "krastmala",
        [
            "krastmala",
            "krastmalas",
            "krastmalai",
            "krastmalu",
            "krastmalā",
        ],
    ),
    (
        "līnija",
        ["līnija", "līnijas", "līnijai", "līniju", "līnijā"],
    ),
    ("gāte", ["gāte", "gātes", "gātei", "gāti", "gātē"]),
    ("ceļš", ["ceļš", "ceļa", "ceļam", "ceļu", "ceļā"]),
];

/// Abbreviated street types, with their nominative (shorter ones, `g.`, `d.`, are too often
/// something else).
const ABBREVIATIONS: [(&str, &str); 2] = [("bulv.", "bulvāris"), ("prosp.", "prospekts")];

/// Words of a parish or county in their case forms, without diacritics (`pag.`, `novadā`).
const ADMINISTRATIVE: [&str; 8] = [
    "pag.", "pagasts", "pagasta", "pagastam", "nov.", "novads", "novada", "novadam",
];

/// Months in the genitive, as streets named after a date have them (`13. janvāra iela`).
const MONTHS: [&str; 12] = [
    "janvara",
    "februara",
    "marta",
    "aprila",
    "maija",
    "junija",
    "julija",
    "augusta",
    "septembra",
    "oktobra",
    "novembra",
    "decembra",
];

/// Most words of a street's name before its type (`Krišjāņa Barona`, `Kr. Valdemāra`).
const MAX_NAME_WORDS: usize = 3;
/// Most bytes of a rural house's name in quotes.
const MAX_HOUSE_NAME: usize = 40;
/// Most comma-separated parts (town, parish, county, postcode) read after the number.
const MAX_TAIL_PARTS: usize = 4;

/// Whether `word` is a street type in any case form, with or without diacritics, or one of
/// its abbreviations (`ielā`, `gatvi`, `bulv.`): what makes a name before it a street's
/// (`Krišjāņa Barona ielā`, for the names rule).
pub(super) fn is_street_type(word: &str) -> bool {
    let plain = without_diacritics(&word.to_lowercase()).into_owned();
    street_type(&plain).is_some() || ABBREVIATIONS.iter().any(|(a, _)| *a == plain)
}

/// The nominative of the street type whose case form, without diacritics, is `plain`.
fn street_type(plain: &str) -> Option<&'static str> {
    static PLAIN_FORMS: LazyLock<Vec<(&str, Vec<String>)>> = LazyLock::new(|| {
        STREET_TYPES
            .iter()
            .map(|(nominative, forms)| {
                let plain = forms.iter().map(|f| without_diacritics(f).into_owned());
                (*nominative, plain.collect())
            })
            .collect()
    });
    PLAIN_FORMS
        .iter()
        .find(|(_, forms)| forms.iter().any(|f| f == plain))
        .map(|(nominative, _)| *nominative)
}

/// The words that start a street address's candidate: each street type's case forms and
/// abbreviations, in lower case and in capitals, each also without diacritics (`ielā`, `iela`,
/// `IELĀ`, `IELA`).
fn candidate_words() -> Vec<String> {
    let spelled = STREET_TYPES
        .iter()
        .flat_map(|(_, forms)| forms.iter().copied())
        .chain(ABBREVIATIONS.iter().map(|(a, _)| *a));
    let mut words: Vec<String> = spelled
        .flat_map(|form| [form.to_string(), form.to_uppercase()])
        .flat_map(|word| [without_diacritics(&word).into_owned(), word])
        .collect();
    words.sort();
    words.dedup();
    words
}

fn validate(text: &str, start: usize, _end: usize) -> Option<Validated> {
    match text[start..].chars().next()? {
        '"' | '„' | '“' | '«' => rural(text, start),
        _ => street(text, start),
    }
}

/// `Brīvības ielā 12-5, Rīga, LV-1010` from the street type at `start`.
fn street(text: &str, start: usize) -> Option<Validated> {
    let mut type_end = letters_end(text, start);
    // No house number after it (`ielā.`, `iela ir`): most street types in prose are no
    // address, told before anything is allocated.
    let dot = usize::from(text[type_end..].starts_with('.'));
    if !number_follows(text, type_end + dot) {
        return None;
    }
    let word = &text[start..type_end];
    let upper = word.chars().all(char::is_uppercase);
    if !upper && !word.chars().all(char::is_lowercase) {
        return None;
    }
    let plain = without_diacritics(&word.to_lowercase()).into_owned();
    let abbreviation = text[type_end..]
        .starts_with('.')
        .then(|| {
            ABBREVIATIONS
                .iter()
                .find(|(a, _)| a.strip_suffix('.') == Some(plain.as_str()))
        })
        .flatten();
    let nominative = match abbreviation {
        Some((_, nominative)) => {
            type_end += 1;
            *nominative
        }
        None => street_type(&plain)?,
    };
    let (number, number_end, flat) = house_number(text, type_end)?;
    let (name_start, name) = street_name(text, start, upper)?;
    // Typed without diacritics (`Brivibas bulv.`), the nominative has none either.
    let nominative = if text[name_start..type_end].is_ascii() {
        without_diacritics(nominative).into_owned()
    } else {
        nominative.to_string()
    };
    let mut value = format!("{name} {nominative} {number}");
    let (end, postcode) = tail(text, number_end);
    if let Some(postcode) = postcode {
        value.push_str(", ");
        value.push_str(&postcode);
    }
    let tier = if flat { FLAT } else { STREET };
    Some(
        Validated::new(end, value, tier)
            .starting_at(name_start)
            .checks(&["street_type", "house_number"]),
    )
}

/// The street's name before its type at `type_start` (a single space between): its start and
/// its words. The nearest word is capitalised (`Brīvības`), an ordinal (`5.` of `5. līnija`),
/// or a month after an ordinal (`13. janvāra`); up to two more capitalised words before it
/// ending as a genitive or an abbreviation does (`Krišjāņa`, `Kr.`).
fn street_name(text: &str, type_start: usize, upper: bool) -> Option<(usize, String)> {
    let mut words: Vec<&str> = Vec::new();
    let mut start = type_start;
    while words.len() < MAX_NAME_WORDS {
        let Some(before) = text[..start].strip_suffix(' ') else {
            break;
        };
        let word_start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| {
                c.is_whitespace()
                    || matches!(c, ',' | ';' | ':' | '(' | '"' | '„' | '“' | '”' | '«' | '»')
            })
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[word_start..];
        let fits = match words.last() {
            None => is_capitalised(word, upper) || is_ordinal(word) || is_month(word),
            Some(last) if is_month(last) => is_ordinal(word),
            Some(_) => is_capitalised(word, upper) && ends_as_a_genitive(word),
        };
        if !fits {
            break;
        }
        words.push(word);
        start = word_start;
    }
    let last = *words.last()?;
    if is_month(last) {
        return None;
    }
    words.reverse();
    Some((start, words.join(" ")))
}

/// A word of a name: a capital and then letters, hyphens or dots (`Brīvības`, `Kr.`,
/// `Liepiņa-Ozola`); in an upper-case address, upper-case letters only.
fn is_capitalised(word: &str, upper: bool) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().any(char::is_alphabetic)
        && chars
            .all(|c| (c.is_alphabetic() && (!upper || c.is_uppercase())) || c == '-' || c == '.')
}

/// Whether a word before a street's name ends as the genitive of a first name, an adjective
/// or an abbreviation does (`Krišjāņa`, `Annas`, `Mazā`, `Kr.`), not as a nominative
/// (`Birojs Krišjāņa Barona ielā`: the office is not in the street's name).
fn ends_as_a_genitive(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.ends_with(['a', 'ā', '.']) || lower.ends_with("as") || lower.ends_with("es")
}

/// `5.`, `13.`: an ordinal of a numbered line or a date.
fn is_ordinal(word: &str) -> bool {
    word.strip_suffix('.').is_some_and(|n| {
        (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0')
    })
}

fn is_month(word: &str) -> bool {
    MONTHS.contains(&without_diacritics(&word.to_lowercase()).as_ref())
}

/// Whether a space and a house number's first digit (not `0`) stand at `at`.
fn number_follows(text: &str, at: usize) -> bool {
    text[at..]
        .strip_prefix(' ')
        .is_some_and(|rest| rest.starts_with(|c: char| matches!(c, '1'..='9')))
}

/// The house number after the street type at `at` (one space between): `12`, `12A`, with a
/// block (`k-2`, `k. 2`) and a flat (`-5`, ` - 5`, ` dz. 5`). Returns the number as written
/// normalised (`12A k-2-5`), where it ends, and whether it names a flat.
fn house_number(text: &str, at: usize) -> Option<(String, usize, bool)> {
    if !number_follows(text, at) {
        return None;
    }
    let rest = &text[at + 1..];
    let mut pos = at + 1;
    let digits = leading_digits(rest);
    if digits > 4 {
        return None;
    }
    let mut number = rest[..digits].to_string();
    pos += digits;
    let bytes = text.as_bytes();
    if let Some(&letter) = bytes.get(pos).filter(|b| b.is_ascii_alphabetic())
        && !bytes
            .get(pos + 1)
            .is_some_and(|b| b.is_ascii_alphanumeric())
    {
        number.push(char::from(letter.to_ascii_uppercase()));
        pos += 1;
    }
    // `2024. gadā`: a year after a street's name in running text, not a house.
    if text[pos..].starts_with(". g") {
        return None;
    }
    // A block: `k-2`, `k. 2`, `k2`.
    if let Some((block, len)) = marked_number(&text[pos..], &["k-", "k.", "k"]) {
        number.push_str(" k-");
        number.push_str(block);
        pos += len;
    }
    // A flat: `-5`, ` - 5`, ` dz. 5`, `, dz. 5`.
    let flat = marked_number(&text[pos..], &["-", "–", "dz.", "dz"]);
    if let Some((flat, len)) = flat {
        number.push('-');
        number.push_str(flat);
        pos += len;
    }
    if text[pos..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    Some((number, pos, flat.is_some()))
}

/// A number of one to four digits after one of `marks` (spaces and a comma allowed around the
/// mark): the digits and the bytes read.
fn marked_number<'t>(text: &'t str, marks: &[&str]) -> Option<(&'t str, usize)> {
    let lead = text.len() - text.trim_start_matches([' ', ',']).len();
    let after_lead = &text[lead..];
    let mark = marks.iter().find(|m| after_lead.starts_with(**m))?;
    // A comma or spaces before a hyphen are not how a flat is written (`12, - `).
    if lead > 0 && after_lead.starts_with(['-', '–']) && text[..lead].contains(',') {
        return None;
    }
    let after_mark = &after_lead[mark.len()..];
    let gap = after_mark.len() - after_mark.trim_start_matches(' ').len();
    let digits_text = &after_mark[gap..];
    let digits = leading_digits(digits_text);
    let next = digits_text[digits..].chars().next();
    if !(1..=4).contains(&digits) || next.is_some_and(char::is_alphanumeric) || gap > 1 {
        return None;
    }
    Some((&digits_text[..digits], lead + mark.len() + gap + digits))
}

fn leading_digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// `"Kalnāji", Mārupes pag., LV-2167` from the opening quote at `start`.
fn rural(text: &str, start: usize) -> Option<Validated> {
    let open = text[start..].chars().next()?;
    let inner_start = start + open.len_utf8();
    let inner_len = text[inner_start..]
        .char_indices()
        .take_while(|&(i, _)| i <= MAX_HOUSE_NAME)
        .find(|&(_, c)| matches!(c, '"' | '”' | '“' | '»' | '\n'))
        .filter(|&(_, c)| c != '\n')?
        .0;
    let house = &text[inner_start..inner_start + inner_len];
    let close = text[inner_start + inner_len..].chars().next()?;
    if house.len() < 2
        || !house
            .split(' ')
            .all(|w| is_capitalised(w, false) || leading_digits(w) == w.len() && !w.is_empty())
    {
        return None;
    }
    let after = inner_start + inner_len + close.len_utf8();
    let (end, postcode) = tail(text, after);
    if end == after {
        return None;
    }
    let parts: Vec<&str> = text[after..end]
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty() && !is_postcode(p))
        .collect();
    let mut value = format!("\"{house}\"");
    for part in parts {
        value.push_str(", ");
        value.push_str(part);
    }
    if let Some(postcode) = postcode {
        value.push_str(", ");
        value.push_str(&postcode);
    }
    Some(Validated::new(end, value, RURAL).checks(&["house_name", "parish"]))
}

/// What follows a house number or a house name: comma-separated parts, each a capitalised
/// town, parish or county (`Rīga`, `Mārupes pag.`, `Ādažu novadā`) or the postcode. They belong
/// to the address only up to the last parish, county or postcode (a town alone may be the
/// next sentence's first word). Returns the address's end (`at` when there is none of them)
/// and its postcode (`LV-1010`).
fn tail(text: &str, at: usize) -> (usize, Option<String>) {
    let mut end = at;
    let mut pos = at;
    for _ in 0..MAX_TAIL_PARTS {
        let rest = &text[pos..];
        let sep = rest.len() - rest.trim_start_matches([',', ' ']).len();
        if sep == 0 || sep > 2 || rest[..sep].matches(',').count() > 1 {
            break;
        }
        let part_start = pos + sep;
        if let Some((code, len)) = postcode_at(&text[part_start..]) {
            return (part_start + len, Some(code));
        }
        let Some((len, administrative)) = place_at(&text[part_start..]) else {
            break;
        };
        pos = part_start + len;
        if administrative {
            end = pos;
        }
    }
    (end, None)
}

/// A postcode at the start of `text`: `LV-1010`, `LV 1010`, `LV1010`, `LV–1010`, normalised
/// to `LV-1010`, and its length.
fn postcode_at(text: &str) -> Option<(String, usize)> {
    let rest = text.strip_prefix("LV")?;
    let sep = [" ", "-", "–", ""]
        .into_iter()
        .find(|s| rest.starts_with(s))?;
    let digits = &rest[sep.len()..];
    (leading_digits(digits) == 4
        && !digits[4..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric))
    .then(|| (format!("LV-{}", &digits[..4]), 2 + sep.len() + 4))
}

fn is_postcode(part: &str) -> bool {
    postcode_at(part).is_some_and(|(_, len)| len == part.len())
}

/// A town, parish or county at the start of `text`: up to four words, the first capitalised,
/// the others capitalised or a parish/county word (`Mārupes pag.`, `Ādažu novadā`). Returns
/// its length and whether it names a parish or county.
fn place_at(text: &str) -> Option<(usize, bool)> {
    let mut len = 0;
    let mut administrative = false;
    for i in 0..4 {
        let rest = &text[len..];
        let word = &rest[..rest
            .find([' ', ',', ';', ')', '\n', '\r', '\t'])
            .unwrap_or(rest.len())];
        let parish = is_administrative(word);
        let fits = if i == 0 {
            is_capitalised(word, false)
        } else {
            parish || is_capitalised(word, false)
        };
        if !fits {
            break;
        }
        administrative |= parish;
        len += word.len();
        if !text[len..].starts_with(' ') || text[len + 1..].starts_with("LV") {
            break;
        }
        len += 1;
    }
    let len = text[..len].trim_end().len();
    (len > 0).then_some((len, administrative))
}

fn is_administrative(word: &str) -> bool {
    let plain = without_diacritics(&word.to_lowercase()).into_owned();
    ADMINISTRATIVE.contains(&plain.as_str())
}

/// The street type and the postcode stay (`X… iela X, LV-1010`); the name, number and flat do
/// not.
fn mask(value: &str) -> String {
    let (body, postcode) = match value.rsplit_once(", ") {
        Some((body, last)) if is_postcode(last) => (body, Some(last)),
        _ => (value, None),
    };
    let street_type = body.split(' ').find(|w| {
        STREET_TYPES
            .iter()
            .any(|(n, _)| *n == *w || without_diacritics(n) == *w)
    });
    let mut masked = match street_type {
        Some(t) => format!("X… {t} X"),
        None if body.starts_with('"') => "\"X…\"".to_string(),
        None => "X…".to_string(),
    };
    if let Some(postcode) = postcode {
        masked.push_str(", ");
        masked.push_str(postcode);
    }
    masked
}

/// A cell under an address header (`Adrese`, `Dzīvesvieta`): any text with letters and a
/// number or a quoted house name, blanks collapsed.
fn column_value(text: &str) -> Option<String> {
    let text = text.trim();
    let has_letters = text.chars().filter(|c| c.is_alphabetic()).count() >= 2;
    let has_number = text.bytes().any(|b| b.is_ascii_digit());
    let quoted = text.contains(['"', '„', '“']);
    if !has_letters || !(has_number || quoted) || text.len() > 200 || text.contains('@') {
        return None;
    }
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value and the matched text of the address whose street type (or opening quote) is
    /// `at` in `text`.
    fn read(text: &str, at: &str) -> Option<(String, String)> {
        let start = text.find(at).unwrap();
        let v = validate(text, start, start + at.len())?;
        let from = v.start.unwrap_or(start);
        Some((v.value, text[from..v.end].to_string()))
    }

    fn value(text: &str, at: &str) -> Option<String> {
        read(text, at).map(|(value, _)| value)
    }

    #[test]
    fn every_case_of_a_street_type_gives_the_nominative() {
        for (text, at) in [
            ("Brīvības iela 12", "iela"),
            ("pie Brīvības ielas 12", "ielas"),
            ("uz Brīvības ielu 12", "ielu"),
            ("dzīvo Brīvības ielā 12", "ielā"),
            ("BRĪVĪBAS IELĀ 12", "IELĀ"),
        ] {
            let expected = if text.contains("BRĪV") {
                "BRĪVĪBAS iela 12"
            } else {
                "Brīvības iela 12"
            };
            assert_eq!(value(text, at).as_deref(), Some(expected), "{text}");
        }
        assert_eq!(
            value("Kr. Valdemāra bulvārī 7", "bulvārī").as_deref(),
            Some("Kr. Valdemāra bulvāris 7")
        );
        assert_eq!(
            value("Brivibas gatve 3", "gatve").as_deref(),
            Some("Brivibas gatve 3"),
            "without diacritics the nominative has none either"
        );
        assert_eq!(
            value("Ganību dambī 30", "dambī").as_deref(),
            Some("Ganību dambis 30")
        );
        assert_eq!(
            value("Ropažu šosejā 4", "šosejā").as_deref(),
            Some("Ropažu šoseja 4")
        );
        assert_eq!(
            value("Kr. Valdemāra bulv. 7", "bulv.").as_deref(),
            Some("Kr. Valdemāra bulvāris 7")
        );
    }

    #[test]
    fn numbered_and_dated_streets() {
        assert_eq!(
            value("dzīvo 5. līnijā 7", "līnijā").as_deref(),
            Some("5. līnija 7")
        );
        assert_eq!(
            value("uz 13. janvāra ielu 3", "ielu").as_deref(),
            Some("13. janvāra iela 3")
        );
        // A month without its day is no street's name.
        assert_eq!(value("līdz janvāra ielai 3", "ielai"), None);
    }

    #[test]
    fn house_letter_block_and_flat() {
        assert_eq!(
            read("Brīvības iela 12a k-2 - 15, Rīga", "iela"),
            Some((
                "Brīvības iela 12A k-2-15".into(),
                "Brīvības iela 12a k-2 - 15".into()
            ))
        );
        assert_eq!(
            value("Brīvības iela 12, dz. 5", "iela").as_deref(),
            Some("Brīvības iela 12-5")
        );
        let tier =
            |text: &str| validate(text, text.find("iela").unwrap(), text.len()).map(|v| v.tier);
        assert_eq!(tier("Brīvības iela 12-5"), Some(FLAT));
        assert_eq!(tier("Brīvības iela 12"), Some(STREET));
    }

    #[test]
    fn town_and_postcode_follow_the_number() {
        assert_eq!(
            read("Brīvības iela 12-5, Rīga, LV-1010. Tālāk", "iela"),
            Some((
                "Brīvības iela 12-5, LV-1010".into(),
                "Brīvības iela 12-5, Rīga, LV-1010".into()
            ))
        );
        assert_eq!(
            value("Rīgas gatve 16, Ādaži, Ādažu nov., LV2164", "gatve").as_deref(),
            Some("Rīgas gatve 16, LV-2164")
        );
        // A town alone may be the next sentence: not in the span.
        assert_eq!(
            read("Brīvības iela 5, Jānis atnāca", "iela").unwrap().1,
            "Brīvības iela 5"
        );
    }

    #[test]
    fn rural_houses_need_their_parish() {
        assert_eq!(
            value("\"Kalnāji\", Mārupes pag., Mārupes nov., LV-2167", "\"").as_deref(),
            Some("\"Kalnāji\", Mārupes pag., Mārupes nov., LV-2167")
        );
        assert_eq!(
            value("„Mazie Ozoli”, Ikšķiles novadā", "„").as_deref(),
            Some("\"Mazie Ozoli\", Ikšķiles novadā")
        );
        assert_eq!(value("SIA \"Ābols\" ar pašvaldību", "\""), None);
        assert_eq!(value("\"Ābols\", Rīga", "\""), None);
    }

    #[test]
    fn not_addresses() {
        for (text, at) in [
            ("Gaismas ielā notiks svētki", "ielā"),
            ("Šķērsiela 5", "iela"),
            ("gatavs 5 minūtēs", "gat"),
            ("Brīvības ielā 2024. gadā", "ielā"),
            ("dzīvo ielā 5", "ielā"),
            ("Brīvības Iela 5", "Iela"),
            ("Brīvības iela 05", "iela"),
            ("Brīvības iela 12345", "iela"),
        ] {
            assert_eq!(value(text, at), None, "{text}");
        }
        // The office is not in the street's name.
        assert_eq!(
            read("Birojs Krišjāņa Barona ielā 3", "ielā").unwrap().1,
            "Krišjāņa Barona ielā 3"
        );
    }

    #[test]
    fn masks_keep_the_street_type_and_the_postcode() {
        assert_eq!(mask("Brīvības iela 12-5, LV-1010"), "X… iela X, LV-1010");
        assert_eq!(mask("Brivibas gatve 3"), "X… gatve X");
        assert_eq!(
            mask("\"Kalnāji\", Mārupes pag., LV-2167"),
            "\"X…\", LV-2167"
        );
    }

    #[test]
    fn an_address_columns_cell_needs_letters_and_a_number() {
        assert_eq!(
            column_value("  Dzirnavu 5-3,\n Rīga ").as_deref(),
            Some("Dzirnavu 5-3, Rīga")
        );
        assert_eq!(column_value("Jelgava"), None);
        assert_eq!(column_value("12345"), None);
        assert_eq!(column_value("anna@piemers.lv 5"), None);
    }
}
