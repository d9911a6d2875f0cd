//! A reproducible synthetic corpus: Latvian-like office text with planted personal data (every
//! value valid by construction; people's names in their case forms) and hard negatives (company
//! numbers count as their own kind; words and places that are also names, streets and schools
//! named after people;
//! invoice numbers, wrong check digits, impossible dates, version strings, clause numbers, GUIDs,
//! ISBNs, EAN-13 barcodes, timestamps, image names with `@`, amounts). The ground truth of every file is written
//! beside the tree, so tests can measure precision and recall per kind, and benchmarks have a
//! share-like tree to scan. Used by piimap's tests, `benches/` and the `piimap-corpus` program.
//! Check digits are computed by [`check_digits`], apart from piimap's validators.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::Path;

use anyhow::{Result, bail};
use encoding_rs::WINDOWS_1257;
use serde::{Deserialize, Serialize};

pub mod check_digits;

/// SplitMix64: small, seeded, good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A random element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn digits(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.below(10) as u8).collect()
    }
}

fn digits_str(d: &[u8]) -> String {
    d.iter().map(|x| char::from(b'0' + x)).collect()
}

/// Planted values of one file: kind → normalised values (as the validators normalise them).
pub type FileTruth = BTreeMap<String, BTreeSet<String>>;

/// The ground truth of a generated corpus.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Truth {
    /// Files written.
    pub files: usize,
    /// Values planted.
    pub planted: usize,
    /// Per file (path relative to the share directory): the planted values.
    pub by_file: BTreeMap<String, FileTruth>,
}

/// First names as (nominative, genitive, dative), male then female; `Ausma` is also a word.
const MALE_FIRST_NAMES: &[[&str; 3]] = &[
    ["Jānis", "Jāņa", "Jānim"],
    ["Pēteris", "Pētera", "Pēterim"],
    ["Kristaps", "Kristapa", "Kristapam"],
    ["Mārtiņš", "Mārtiņa", "Mārtiņam"],
    ["Andris", "Andra", "Andrim"],
    ["Ģirts", "Ģirta", "Ģirtam"],
    ["Aleksandrs", "Aleksandra", "Aleksandram"],
    ["Dmitrijs", "Dmitrija", "Dmitrijam"],
];
const FEMALE_FIRST_NAMES: &[[&str; 3]] = &[
    ["Anna", "Annas", "Annai"],
    ["Līga", "Līgas", "Līgai"],
    ["Ilze", "Ilzes", "Ilzei"],
    ["Dace", "Daces", "Dacei"],
    ["Inese", "Ineses", "Inesei"],
    ["Žanete", "Žanetes", "Žanetei"],
    ["Jeļena", "Jeļenas", "Jeļenai"],
    ["Ausma", "Ausmas", "Ausmai"],
];
/// Surnames as (nominative, genitive, dative): the male form, then the female one.
const SURNAMES: &[[[&str; 3]; 2]] = &[
    [
        ["Bērziņš", "Bērziņa", "Bērziņam"],
        ["Bērziņa", "Bērziņas", "Bērziņai"],
    ],
    [
        ["Kalniņš", "Kalniņa", "Kalniņam"],
        ["Kalniņa", "Kalniņas", "Kalniņai"],
    ],
    [["Ozols", "Ozola", "Ozolam"], ["Ozola", "Ozolas", "Ozolai"]],
    [
        ["Krūmiņš", "Krūmiņa", "Krūmiņam"],
        ["Krūmiņa", "Krūmiņas", "Krūmiņai"],
    ],
    [
        ["Jansons", "Jansona", "Jansonam"],
        ["Jansone", "Jansones", "Jansonei"],
    ],
    [
        ["Vītols", "Vītola", "Vītolam"],
        ["Vītola", "Vītolas", "Vītolai"],
    ],
    [
        ["Kļaviņš", "Kļaviņa", "Kļaviņam"],
        ["Kļaviņa", "Kļaviņas", "Kļaviņai"],
    ],
    [
        ["Ivanovs", "Ivanova", "Ivanovam"],
        ["Ivanova", "Ivanovas", "Ivanovai"],
    ],
    [
        ["Zariņš", "Zariņa", "Zariņam"],
        ["Zariņa", "Zariņas", "Zariņai"],
    ],
    [
        ["Šteins", "Šteina", "Šteinam"],
        ["Šteina", "Šteinas", "Šteinai"],
    ],
    [
        ["Kalējs", "Kalēja", "Kalējam"],
        ["Kalēja", "Kalējas", "Kalējai"],
    ],
];

/// A person: first name and surname of one gender, each as (nominative, genitive, dative).
struct Person {
    first: [&'static str; 3],
    surname: [&'static str; 3],
    female: bool,
}

impl Person {
    fn random(rng: &mut Rng) -> Person {
        let female = rng.below(2) == 0;
        let first = if female {
            *rng.pick(FEMALE_FIRST_NAMES)
        } else {
            *rng.pick(MALE_FIRST_NAMES)
        };
        Person {
            first,
            surname: rng.pick(SURNAMES)[usize::from(female)],
            female,
        }
    }

    /// The name in case `case` (0 nominative, 1 genitive, 2 dative).
    fn name(&self, case: usize) -> String {
        format!("{} {}", self.first[case], self.surname[case])
    }

    /// Whether the first name's genitive is itself a first name (with or without diacritics).
    fn genitive_is_a_name(&self) -> bool {
        let genitive = plain_letters(self.first[1]);
        MALE_FIRST_NAMES
            .iter()
            .chain(FEMALE_FIRST_NAMES)
            .any(|other| plain_letters(other[0]) == genitive)
            || ["Jana", "Martina", "Andra", "Aleksandra"].contains(&genitive.as_str())
    }

    /// What piimap should report: the nominative.
    fn truth(&self) -> (&'static str, String) {
        ("person_name", self.name(0))
    }
}

const WORDS: &[&str] = &[
    "iesniegums",
    "par",
    "lēmums",
    "saskaņā",
    "ar",
    "pašvaldības",
    "dokuments",
    "pielikums",
    "noteikumi",
    "domes",
    "sēdes",
    "protokols",
    "izskatīja",
    "nolēma",
    "apstiprināt",
    "līgums",
    "pakalpojums",
    "iedzīvotāju",
    "reģistrs",
    "atbilstoši",
    "termiņš",
    "datums",
    "iestāde",
    "nodaļa",
    "vadītājs",
    "darbinieks",
    "sociālā",
    "palīdzība",
    "būvniecība",
    "zemesgrāmata",
    "adrese",
    "Rīga",
    "Jelgava",
    "ielā",
    "dzīvoklis",
    "maksājums",
    "summa",
    "euro",
];
const DOMAINS: &[&str] = &[
    "pasts.lv",
    "inbox.lv",
    "gmail.com",
    "riga.lv",
    "vid.gov.lv",
    "example.lv",
    "tvnet.lv",
];
const BANKS: &[&str] = &["HABA", "UNLA", "PARX", "RIKO", "NDEA", "TREL", "RTMB"];

/// What a generator of one planted line returns: the line and, for positives, `(kind, value)`.
type Planted = (String, Values);

/// The `(kind, normalised value)` pairs planted in one file.
type Values = Vec<(&'static str, String)>;

/// A valid old-format personal code, as `(written, normalised)`.
fn personal_code(rng: &mut Rng) -> (String, String) {
    let (day, month) = (1 + rng.below(28) as u8, 1 + rng.below(12) as u8);
    let year = 1930 + rng.below(86) as u16; // 1930..2015
    let century = if year >= 2000 { 2 } else { 1 };
    let yy = (year % 100) as u8;
    let mut d = vec![
        day / 10,
        day % 10,
        month / 10,
        month % 10,
        yy / 10,
        yy % 10,
        century,
    ];
    d.extend(rng.digits(3));
    d.push(check_digits::personal_code(&d));
    let s = digits_str(&d);
    let written = if rng.below(3) == 0 {
        s.clone()
    } else {
        format!("{}-{}", &s[..6], &s[6..])
    };
    (written, s)
}

/// A new-format personal code with its check digit.
fn new_personal_code(rng: &mut Rng) -> (String, String) {
    let mut d = vec![3, 2 + rng.below(8) as u8];
    d.extend(rng.digits(8));
    d.push(check_digits::personal_code(&d));
    let s = digits_str(&d);
    (format!("{}-{}", &s[..6], &s[6..]), s)
}

fn company_code(rng: &mut Rng) -> String {
    loop {
        let mut d = vec![*rng.pick(&[4u8, 5, 9])];
        d.extend(rng.digits(9));
        if let Some(c) = check_digits::company_code(&d) {
            d.push(c);
            return digits_str(&d);
        }
    }
}

fn email(rng: &mut Rng) -> (String, String) {
    let person = Person::random(rng);
    let (first, last) = (fold_ascii(person.first[0]), fold_ascii(person.surname[0]));
    let n = rng.below(100);
    let local = match rng.below(3) {
        0 => format!("{first}.{last}"),
        1 => format!("{first}{n}"),
        _ => format!("{}{last}", &first[..1]),
    };
    let addr = format!("{local}@{}", rng.pick(DOMAINS));
    let written = if rng.below(4) == 0 {
        addr.to_uppercase()
    } else {
        addr.clone()
    };
    (written, addr.to_lowercase())
}

fn fold_ascii(s: &str) -> String {
    plain_letters(&s.to_lowercase())
}

/// Latvian letters written without their diacritics (`Bērziņš` → `Berzins`), as people type
/// them in e-mail addresses and as the standard PDF fonts show them.
fn plain_letters(text: &str) -> String {
    const WITH: &str = "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ";
    const WITHOUT: &str = "acegiklnsuzACEGIKLNSUZ";
    text.chars()
        .map(|c| match WITH.chars().position(|l| l == c) {
            Some(i) => WITHOUT.chars().nth(i).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// A Latvian mobile or fixed number, as `(national 8 digits, normalised +371...)`.
fn phone(rng: &mut Rng) -> (String, String) {
    let mut d = vec![*rng.pick(&[2u8, 6])];
    d.push(if d[0] == 2 {
        *rng.pick(&[0u8, 1, 2, 4, 5, 6, 7, 8, 9])
    } else {
        rng.below(10) as u8
    });
    d.extend(rng.digits(6));
    let s = digits_str(&d);
    (s.clone(), format!("+371{s}"))
}

fn grouped_phone(rng: &mut Rng, national: &str) -> String {
    match rng.below(4) {
        0 => national.to_string(),
        1 => format!("{} {} {}", &national[..2], &national[2..5], &national[5..]),
        2 => format!("{} {}", &national[..4], &national[4..]),
        _ => format!("{} {}", &national[..3], &national[3..]),
    }
}

fn iban(rng: &mut Rng) -> (String, String) {
    let bban = format!("{}{}", rng.pick(BANKS), digits_str(&rng.digits(13)));
    let check = check_digits::iban("LV", &bban);
    let compact = format!("LV{check:02}{bban}");
    let written = if rng.below(2) == 0 {
        compact
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        compact.clone()
    };
    (written, compact)
}

fn card(rng: &mut Rng) -> (String, String) {
    let mut d = if rng.below(2) == 0 {
        vec![4]
    } else {
        vec![5, 1 + rng.below(5) as u8]
    };
    let body = 15 - d.len();
    d.extend(rng.digits(body));
    d.push(check_digits::luhn(&d));
    let s = digits_str(&d);
    let written = if rng.below(2) == 0 {
        format!("{} {} {} {}", &s[..4], &s[4..8], &s[8..12], &s[12..])
    } else {
        s.clone()
    };
    (written, s)
}

/// A passport, eID card or residence permit number (two letters, seven digits) or a driver's
/// licence number (three letters, six digits), as `(written, normalised)`.
fn id_document(rng: &mut Rng) -> (String, String) {
    let letters = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'A' + rng.below(26) as u8))
            .collect()
    };
    let (prefix, digits) = if rng.below(4) == 0 {
        (letters(rng, 3), digits_str(&rng.digits(6)))
    } else {
        (letters(rng, 2), digits_str(&rng.digits(7)))
    };
    let gap = if rng.below(3) == 0 { " " } else { "" };
    (
        format!("{prefix}{gap}{digits}"),
        format!("{prefix}{digits}"),
    )
}

/// The months in the locative case, as the long date form has them (`12. martā`).
const MONTHS_LOCATIVE: [&str; 12] = [
    "janvārī",
    "februārī",
    "martā",
    "aprīlī",
    "maijā",
    "jūnijā",
    "jūlijā",
    "augustā",
    "septembrī",
    "oktobrī",
    "novembrī",
    "decembrī",
];

/// A date of birth in one of its written forms, as `(written, YYYY-MM-DD)`.
fn birth_date(rng: &mut Rng) -> (String, String) {
    let (year, month, day) = (1940 + rng.below(80), 1 + rng.below(12), 1 + rng.below(28));
    let written = match rng.below(3) {
        0 => format!("{day:02}.{month:02}.{year}."),
        1 => format!("{year}-{month:02}-{day:02}"),
        _ => format!(
            "{year}. gada {day}. {}",
            MONTHS_LOCATIVE[month as usize - 1]
        ),
    };
    (written, format!("{year}-{month:02}-{day:02}"))
}

/// Street names in the genitive, as addresses have them.
const STREETS: &[&str] = &[
    "Brīvības",
    "Lāčplēša",
    "Elizabetes",
    "Tērbatas",
    "Dzirnavu",
    "Ganību",
    "Kalnciema",
    "Maskavas",
    "Slokas",
    "Krišjāņa Valdemāra",
    "Aleksandra Čaka",
    "Skolas",
    "Jūras",
    "Pils",
];
/// Street types: nominative, accusative, locative (`iela`, `ielu`, `ielā`).
const STREET_TYPES: &[[&str; 3]] = &[
    ["iela", "ielu", "ielā"],
    ["iela", "ielu", "ielā"],
    ["iela", "ielu", "ielā"],
    ["gatve", "gatvi", "gatvē"],
    ["bulvāris", "bulvāri", "bulvārī"],
    ["prospekts", "prospektu", "prospektā"],
];
/// Towns and their postcodes' first two digits.
const TOWNS: &[(&str, u64)] = &[
    ("Rīga", 10),
    ("Jelgava", 30),
    ("Liepāja", 34),
    ("Valmiera", 42),
    ("Daugavpils", 54),
];

/// A street address in case `case` (0 nominative, 1 accusative, 2 locative) with its house
/// number and town, and a postcode or flat at times, as `(written, normalised)`: the
/// nominative street with the postcode (`Brīvības iela 12-5, LV-1010`).
fn street_address(rng: &mut Rng, case: usize) -> (String, String) {
    let street = *rng.pick(STREETS);
    let kind = rng.pick(STREET_TYPES);
    let mut number = (1 + rng.below(150)).to_string();
    if rng.below(5) == 0 {
        number.push('A');
    }
    if rng.below(2) == 0 {
        number.push_str(&format!("-{}", 1 + rng.below(80)));
    }
    let (town, region) = *rng.pick(TOWNS);
    let postcode = format!("LV-{region}{:02}", rng.below(100));
    let mut written = format!("{street} {} {number}, {town}", kind[case]);
    let mut value = format!("{street} {} {number}", kind[0]);
    if rng.below(3) != 0 {
        written.push_str(&format!(", {postcode}"));
        value.push_str(&format!(", {postcode}"));
    }
    (written, value)
}

/// A person's address: a street address in case `case` (see [`street_address`]) or a rural
/// house with its parish (which does not inflect), as `(written, normalised)`.
fn postal_address(rng: &mut Rng, case: usize) -> (String, String) {
    if rng.below(4) == 0 {
        let house = *rng.pick(&["Kalnāji", "Jaunzemji", "Liepkalni", "Ozoli", "Mazsili"]);
        let parish = *rng.pick(&["Mārupes", "Ikšķiles", "Salaspils", "Kandavas", "Rojas"]);
        let postcode = format!("LV-{}", 2000 + rng.below(2000));
        let written = format!("\"{house}\", {parish} pag., {parish} nov., {postcode}");
        return (written.clone(), written);
    }
    street_address(rng, case)
}

fn public_ip(rng: &mut Rng) -> String {
    let first = *rng.pick(&[62u64, 80, 81, 83, 85, 87, 91, 94, 159, 195, 212, 213]);
    format!(
        "{first}.{}.{}.{}",
        rng.below(256),
        rng.below(256),
        1 + rng.below(254)
    )
}

/// One planted positive with its context, in one of several written forms.
fn positive(rng: &mut Rng) -> Planted {
    let person = Person::random(rng);
    let name = person.name(0);
    let (line, value) = match rng.below(18) {
        11 | 12 => return name_line(rng, &person),
        13 => {
            let (w, v) = id_document(rng);
            let line = match rng.below(4) {
                0 => format!("{name}, pases Nr. {w}, izdota 12.03.2019."),
                1 => format!("Personas apliecība {w}, derīga līdz 2030. gadam."),
                2 => format!("Uzturēšanās atļauja Nr. {w}"),
                _ => format!("Vadītāja apliecības numurs {w}"),
            };
            (line, ("id_document", v))
        }
        14 => {
            let (w, v) = birth_date(rng);
            let born = if person.female { "dzimusi" } else { "dzimis" };
            let line = match rng.below(3) {
                0 => format!("{name}, {born} {w}, dzīvo Rīgā."),
                1 => format!("Dzimšanas datums: {w}"),
                _ => format!("Bērna dzimšanas datums {w}; vecāks {name}."),
            };
            (line, ("birth_date", v))
        }
        15 | 16 => {
            // The street type inflects: nominative after a label, accusative after `uz`,
            // locative after `dzīvo`.
            let case = rng.below(3) as usize;
            let (w, v) = postal_address(rng, case);
            let line = match case {
                0 => format!("Deklarētā dzīvesvieta: {w}"),
                1 => format!("Atbildi nosūtīt uz {w}"),
                _ => format!("{name} dzīvo {w}, lūdz izsniegt izziņu."),
            };
            (line, ("postal_address", v))
        }
        17 => {
            let code = company_code(rng);
            let (w, v) = street_address(rng, 0);
            let line = match rng.below(2) {
                0 => format!("SIA \"Piemērs\", reģ. Nr. {code}, juridiskā adrese: {w}"),
                _ => format!("Pašvaldības iestāde \"Sociālais dienests\", {w}, darba laiks 8-17"),
            };
            let mut values = vec![("organisation_address", v)];
            if line.contains(&code) {
                values.push(("lv_company_code", code));
            }
            return (line, values);
        }
        0 | 1 => {
            let (w, v) = personal_code(rng);
            let line = match rng.below(4) {
                0 => format!("{name}, personas kods {w}, iesniedza iesniegumu."),
                1 => format!("Personas kods: {w}"),
                2 => format!("{name} (p.k. {w}) dzīvo Rīgā."),
                _ => format!("Iesniedzējs {name}, {w}, lūdz izsniegt izziņu."),
            };
            (line, ("lv_personal_code", v))
        }
        2 => {
            let (w, v) = new_personal_code(rng);
            (format!("{name}, pers. kods {w}"), ("lv_personal_code", v))
        }
        3 | 4 => {
            let (w, v) = email(rng);
            let line = match rng.below(3) {
                0 => format!("Kontaktpersona: {name}, e-pasts: {w}"),
                1 => format!("Lūdzam sūtīt atbildi uz {w}."),
                _ => format!("<a href=\"mailto:{w}\">{name}</a>"),
            };
            (line, ("email", v))
        }
        5 | 6 => {
            let (national, v) = phone(rng);
            let grouped = grouped_phone(rng, &national);
            let line = match rng.below(4) {
                0 => format!("tālr. {grouped}"),
                1 => format!("Tālrunis: +371 {grouped}"),
                2 => format!("Zvanīt {name} pa tālruni {grouped} darba laikā."),
                _ => format!("mob. (+371) {grouped}, {name}"),
            };
            (line, ("phone", v))
        }
        7 => {
            let (w, v) = iban(rng);
            let line = match rng.below(2) {
                0 => format!("Konts (IBAN): {w}"),
                _ => format!("Pārskaitīt uz {name} kontu {w} līdz mēneša beigām."),
            };
            (line, ("iban", v))
        }
        8 => {
            let ip = public_ip(rng);
            let line = match rng.below(2) {
                0 => format!(
                    "{ip} - - [12/Mar/2024:10:15:32 +0200] \"GET /pakalpojumi HTTP/1.1\" 200 5120"
                ),
                _ => format!("Pieslēgšanās no IP adreses {ip} konstatēta 12.03.2024."),
            };
            (line, ("ipv4", ip))
        }
        9 => {
            let (w, v) = card(rng);
            (
                format!("Kartes numurs {w}, derīga līdz 12/27"),
                ("payment_card", v),
            )
        }
        _ => {
            let code = company_code(rng);
            let line = match rng.below(2) {
                0 => format!("SIA \"Piemērs\", reģ. Nr. {code}, juridiskā adrese Rīgā"),
                _ => format!("Pasūtītājs: pašvaldība, nodokļu maksātāja kods LV{code}"),
            };
            (line, ("lv_company_code", code))
        }
    };
    let mut values = vec![value];
    if line.contains(&name) {
        values.push(person.truth());
    }
    (line, values)
}

/// A line naming a person and nothing else: inflected (`Jāņa Bērziņa iesniegums`, `izsniegt
/// Annai Kalniņai`), surname first, in capitals, or as an initial and a surname.
fn name_line(rng: &mut Rng, person: &Person) -> Planted {
    let (first, surname) = (person.first, person.surname);
    let line = match rng.below(6) {
        // A genitive that reads as another name's nominative (`Aleksandra`, `Andra`, and
        // without diacritics `Jana`, `Martina`) is ambiguous in Latvian itself: left out.
        0 if !person.genitive_is_a_name() => {
            format!("{} iesniegums par sociālo pabalstu.", person.name(1))
        }
        1 => format!("Izziņu izsniegt {} personīgi.", person.name(2)),
        2 => format!("Atbildīgais darbinieks: {} {}", surname[0], first[0]),
        3 => format!(
            "IESNIEDZĒJS: {} {}",
            first[0].to_uppercase(),
            surname[0].to_uppercase()
        ),
        4 => {
            let initial = first[0].chars().next().unwrap_or('A');
            let line = format!("Sagatavoja {initial}. {}, tālr. nav norādīts.", surname[0]);
            return (
                line,
                vec![("person_name", format!("{initial}. {}", surname[0]))],
            );
        }
        _ => format!("Sēdē piedalījās {} un citi.", person.name(0)),
    };
    (line, vec![person.truth()])
}

/// One hard negative: looks like personal data, is not.
fn negative(rng: &mut Rng) -> String {
    match rng.below(26) {
        // Document-shaped codes without a document word, dates that are not births, streets
        // without a house number, a year after a street, an event's venue.
        20 => format!("Rēķins Nr. AB{} apmaksāts.", digits_str(&rng.digits(7))),
        21 => format!(
            "Pase izdota {:02}.{:02}.{}, derīga 10 gadus.",
            1 + rng.below(28),
            1 + rng.below(12),
            2010 + rng.below(15)
        ),
        22 => format!(
            "Dzimšanas datums: 31.02.{}; lūdzam precizēt.",
            1950 + rng.below(50)
        ),
        23 => "Gaismas ielā notiks talka, Jūras ielas posms slēgts.".to_string(),
        24 => format!(
            "Brīvības ielā {}. gadā atklāja pieminekli.",
            1920 + rng.below(100)
        ),
        25 => format!("Sapulce notiks Tērbatas ielā {}, Rīgā.", 1 + rng.below(90)),
        // Words that are also first names or surnames, and names that are not people: streets,
        // schools, companies, places (people-and-documents.md, names).
        15 => "Liepa zied, egle zaļo un ausma aust pār Gaismas ielu.".to_string(),
        16 => "Birojs atrodas Krišjāņa Barona ielā, Rīgā.".to_string(),
        17 => "Līgumu slēdz SIA \"Bērziņš un partneri\" ar pašvaldību.".to_string(),
        18 => "Augustā Liepājā un Ozolniekos notiks svētki Rasas parkā.".to_string(),
        19 => "Jāņa Poruka vidusskolas audzēkņi apmeklēja Raiņa muzeju.".to_string(),
        14 => {
            // An EAN-13 barcode with the Latvian GS1 prefix 475 (a tenth of them also pass Luhn).
            let mut d = vec![4, 7, 5];
            d.extend(rng.digits(9));
            let sum: u32 = d
                .iter()
                .enumerate()
                .map(|(i, x)| u32::from(*x) * if i % 2 == 0 { 1 } else { 3 })
                .sum();
            d.push(((10 - sum % 10) % 10) as u8);
            format!("Preces svītrkods {}", digits_str(&d))
        }
        0 => {
            // A personal-code shape with a wrong check digit.
            let (_, v) = personal_code(rng);
            let mut d: Vec<u8> = v.bytes().map(|b| b - b'0').collect();
            d[10] = (d[10] + 1 + rng.below(8) as u8) % 10;
            if check_digits::personal_code(&d[..10]) == d[10] {
                d[10] = (d[10] + 1) % 10;
            }
            let s = digits_str(&d);
            format!("Rēķins Nr. {}-{} apmaksāts.", &s[..6], &s[6..])
        }
        1 => {
            // An impossible date (month 13-19) with a matching check digit.
            let mut d = vec![
                1 + rng.below(2) as u8,
                rng.below(10) as u8,
                1,
                3 + rng.below(7) as u8,
            ];
            d.extend(rng.digits(2));
            d.push(1);
            d.extend(rng.digits(3));
            d.push(check_digits::personal_code(&d));
            format!("Lietas numurs {}", digits_str(&d))
        }
        2 => format!(
            "Programmatūras versija v{}.{}.{}.{}",
            rng.below(10),
            rng.below(10),
            rng.below(10),
            rng.below(300)
        ),
        3 => format!(
            "{}.{}.{}.{}. apakšpunkts nosaka kārtību.",
            1 + rng.below(9),
            1 + rng.below(9),
            1 + rng.below(9),
            1 + rng.below(9)
        ),
        4 => format!(
            "Dokumenta ID {:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            rng.next_u64() as u32,
            rng.below(0x10000),
            rng.below(0x10000),
            rng.below(0x10000),
            rng.next_u64() & 0xFFFF_FFFF_FFFF
        ),
        5 => format!(
            "ISBN 978-9984-{}-{}-{}",
            rng.below(9000) + 1000,
            rng.below(90) + 10,
            rng.below(10)
        ),
        6 => format!(
            "timestamp={}",
            1_500_000_000_000 + rng.below(200_000_000_000)
        ),
        7 => format!("<img src=\"logo@{}x.png\"> attēls@2x.jpg", 2 + rng.below(2)),
        8 => format!(
            "Summa: {} {:03} {:03},{:02} EUR",
            1 + rng.below(99),
            rng.below(1000),
            rng.below(1000),
            rng.below(100)
        ),
        9 => format!(
            "Līguma summa {} euro, apmaksas termiņš {:02}.{:02}.2024.",
            10_000_000 + rng.below(89_999_999),
            1 + rng.below(28),
            1 + rng.below(12)
        ),
        10 => format!(
            "Nr.p.k. {}; datums {:02}.{:02}.{}",
            rng.below(500),
            1 + rng.below(28),
            1 + rng.below(12),
            2000 + rng.below(25)
        ),
        11 => {
            // 11 digits starting 6-8: neither a personal code (0-3) nor a company number (4, 5, 9).
            format!(
                "Pasūtījuma numurs {}{}",
                6 + rng.below(3),
                digits_str(&rng.digits(10))
            )
        }
        12 => format!(
            "Oracle datubāzes versija {}.{}.0.{}",
            11 + rng.below(9),
            rng.below(3),
            1 + rng.below(4)
        ),
        _ => format!(
            "Build {}.{}.{}.{} (x64)",
            10 + rng.below(5),
            rng.below(10),
            19000 + rng.below(2000),
            rng.below(2000)
        ),
    }
}

/// Latvian-like prose of about `bytes` bytes with `density` planted values per MB. Returns the
/// text and the planted `(kind, value)` pairs.
pub fn latvian_text(rng: &mut Rng, bytes: usize, density: u32) -> (String, Values) {
    let mut text = String::with_capacity(bytes + 256);
    let mut planted = Vec::new();
    // One planted line (positive or negative) every `gap` bytes on average.
    let gap = (1_000_000 / u64::from(density.max(1))).max(100);
    while text.len() < bytes {
        let sentence_words = 6 + rng.below(12);
        for i in 0..sentence_words {
            let w = *rng.pick(WORDS);
            if i == 0 {
                let mut c = w.chars();
                text.extend(c.next().into_iter().flat_map(char::to_uppercase));
                text.push_str(c.as_str());
            } else {
                text.push(' ');
                text.push_str(w);
            }
        }
        text.push_str(".\n");
        if rng.below(gap) < 120 {
            if rng.below(3) == 0 {
                text.push_str(&negative(rng));
            } else {
                let (line, value) = positive(rng);
                text.push_str(&line);
                planted.extend(value);
            }
            text.push('\n');
        }
    }
    (text, planted)
}

/// A CSV export: a header row and people rows (`;`-separated, as Latvian Excel writes).
fn csv_table(rng: &mut Rng, rows: usize) -> (String, Values) {
    let mut text = String::from("Nr.p.k.;Vārds;Uzvārds;Personas kods;E-pasts;Tālrunis;Summa\n");
    let mut planted = Vec::new();
    for i in 1..=rows {
        let (pk_w, pk) = personal_code(rng);
        let (mail_w, mail) = email(rng);
        let (national, tel) = phone(rng);
        let person = Person::random(rng);
        // A third of the numbers bare and grouped: the header is their label.
        let phone = if rng.below(3) == 0 {
            grouped_phone(rng, &national)
        } else {
            format!("+371 {national}")
        };
        text.push_str(&format!(
            "{i};{};{};{pk_w};{mail_w};{phone};{},{:02}\n",
            person.first[0],
            person.surname[0],
            rng.below(5000),
            rng.below(100)
        ));
        planted.extend([
            ("lv_personal_code", pk),
            ("email", mail),
            ("phone", tel),
            person.truth(),
        ]);
    }
    (text, planted)
}

/// Columns of the generated workbook's people list.
const WORKBOOK_HEADER: [&str; 9] = [
    "Nr.p.k.",
    "Vārds",
    "Uzvārds",
    "Personas kods",
    "E-pasts",
    "Tālrunis",
    "Konts",
    "Kartes numurs",
    "Summa",
];

/// How a generated workbook stores its cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum WorkbookLayout {
    /// Every text cell inline (`t="inlineStr"`) and amounts as text, as streaming exporters
    /// write them: the slowest layout to read.
    #[default]
    Streaming,
    /// Text cells in a shared-strings table (`t="s"`) and amounts as numbers, as Excel and
    /// LibreOffice save them.
    Excel,
}

/// The fixed parts of a one-sheet workbook: content types, relationships and the workbook.
fn workbook_parts(layout: WorkbookLayout) -> [(&'static str, String); 4] {
    let (strings_type, strings_rel) = match layout {
        WorkbookLayout::Streaming => ("", ""),
        WorkbookLayout::Excel => (
            r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
        ),
    };
    [
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{strings_type}</Types>"#
            ),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Darbinieki" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{strings_rel}</Relationships>"#
            ),
        ),
    ]
}

/// A workbook's text cells in a shared-strings table: each distinct text once, cells by index.
#[derive(Default)]
struct SharedStrings {
    index: HashMap<String, usize>,
    texts: Vec<String>,
    references: u64,
}

impl SharedStrings {
    /// The index of `text`, added if new.
    fn index_of(&mut self, text: &str) -> usize {
        self.references += 1;
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        self.texts.push(text.to_string());
        self.index.insert(text.to_string(), self.texts.len() - 1);
        self.texts.len() - 1
    }

    /// `xl/sharedStrings.xml`.
    fn write_part(&self, out: &mut impl io::Write) -> io::Result<()> {
        write!(
            out,
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{}" uniqueCount="{}">"#,
            self.references,
            self.texts.len()
        )?;
        for text in &self.texts {
            write!(out, "<si><t>{text}</t></si>")?;
        }
        out.write_all(b"</sst>")
    }
}

/// Writes an xlsx workbook with one sheet, `Darbinieki`: a header row and people rows, at least
/// `cells` cells in all, stored as `layout` says. The sheet is streamed into the zip (an Excel
/// layout keeps its distinct texts in memory until the end). Returns the planted values.
fn write_workbook(
    path: &Path,
    rng: &mut Rng,
    cells: u64,
    layout: WorkbookLayout,
) -> Result<Values> {
    use std::io::Write;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(io::BufWriter::new(fs::File::create(path)?));
    for (name, xml) in workbook_parts(layout) {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    zip.start_file("xl/worksheets/sheet1.xml", options)?;
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    )?;
    let mut shared = SharedStrings::default();
    let mut row_xml = |number: u64, values: &[String]| {
        let mut xml = format!("<row r=\"{number}\">");
        for (column, value) in (b'A'..).zip(values) {
            let cell = format!("{}{number}", column as char);
            let digits = value.bytes().all(|b| b.is_ascii_digit());
            let amount = value.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            match layout {
                _ if digits => xml.push_str(&format!("<c r=\"{cell}\"><v>{value}</v></c>")),
                WorkbookLayout::Excel if amount => {
                    xml.push_str(&format!("<c r=\"{cell}\"><v>{value}</v></c>"))
                }
                WorkbookLayout::Excel => xml.push_str(&format!(
                    "<c r=\"{cell}\" t=\"s\"><v>{}</v></c>",
                    shared.index_of(value)
                )),
                WorkbookLayout::Streaming => xml.push_str(&format!(
                    "<c r=\"{cell}\" t=\"inlineStr\"><is><t>{value}</t></is></c>"
                )),
            }
        }
        xml + "</row>"
    };
    let header: Vec<String> = WORKBOOK_HEADER.iter().map(|h| h.to_string()).collect();
    zip.write_all(row_xml(1, &header).as_bytes())?;
    let rows = cells
        .div_ceil(WORKBOOK_HEADER.len() as u64)
        .saturating_sub(1);
    let mut planted = Vec::new();
    for i in 1..=rows {
        let (pk_w, pk) = personal_code(rng);
        let (mail_w, mail) = email(rng);
        let (national, tel) = phone(rng);
        let (iban_w, iban) = iban(rng);
        let (_, pan) = card(rng);
        // A 16-digit card typed as a number: Excel keeps 15 significant digits (reference §6).
        let typed = if pan.len() == 16 {
            format!("{}0", &pan[..15])
        } else {
            pan.clone()
        };
        let person = Person::random(rng);
        let values = [
            i.to_string(),
            person.first[0].to_string(),
            person.surname[0].to_string(),
            pk_w,
            mail_w,
            format!("+371 {national}"),
            iban_w,
            typed,
            format!("{}.{:02}", rng.below(5000), rng.below(100)),
        ];
        zip.write_all(row_xml(i + 1, &values).as_bytes())?;
        planted.extend([
            ("lv_personal_code", pk),
            ("email", mail),
            ("phone", tel),
            ("iban", iban),
            ("payment_card", pan),
            person.truth(),
        ]);
    }
    zip.write_all(b"</sheetData></worksheet>")?;
    if layout == WorkbookLayout::Excel {
        zip.start_file("xl/sharedStrings.xml", options)?;
        shared.write_part(&mut zip)?;
    }
    zip.finish()?.flush()?;
    Ok(planted)
}

/// What `generate` writes. The default writes nothing: a spec names what it wants and takes
/// the rest from `..CorpusSpec::default()`.
#[derive(Debug, Clone, Default)]
pub struct CorpusSpec {
    /// Random seed: the same spec writes the same bytes.
    pub seed: u64,
    /// Approximate total size of the many small files.
    pub size: u64,
    /// Planted values per MB of text.
    pub density: u32,
    /// Also `darbinieki.xlsx`, a people list of at least this many cells.
    pub workbook_cells: Option<u64>,
    /// How every generated workbook stores its cells.
    pub workbook_layout: WorkbookLayout,
    /// Besides text, CSV and logs, about one file in five is an office file, a PDF or an
    /// archive (see `OFFICE_SHARE`). Without it the share is text only (for `rg`).
    pub mixed: bool,
    /// Also `liels_zurnals.log`, one text file of this many bytes.
    pub big_text: Option<u64>,
    /// Also `eksports.json`, one file of this many bytes without a line break.
    pub line_less: Option<u64>,
    /// Also `gada_parskats.pdf`, a PDF of about this many pages.
    pub pdf_pages: Option<u64>,
    /// Also this many one-line files under `mazie/` (one in ten with a personal code): a tree
    /// where opening files costs more than reading them.
    pub tiny_files: u64,
}

/// In a mixed share, per 100 files: workbooks, Word files, PDFs, zip archives and e-mails; the rest are
/// text, CSV and logs.
const OFFICE_SHARE: [(&str, u64); 5] =
    [("xlsx", 6), ("docx", 6), ("pdf", 5), ("zip", 3), ("eml", 5)];

/// Writes a corpus as `spec` says under `dir/share`, and the truth to `dir/truth.json`. Big
/// files are written in chunks, so memory stays small whatever their size.
pub fn generate(dir: &Path, spec: &CorpusSpec) -> Result<Truth> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        bail!("{} exists and is not empty", dir.display());
    }
    let share = dir.join("share");
    let mut rng = Rng::new(spec.seed);
    let mut truth = Truth::default();
    let mut written = 0u64;
    let mut n = 0usize;
    while written < spec.size {
        let folder = format!("nodala_{:02}/{}", rng.below(8), 2015 + rng.below(10));
        if let Some(format) = spec.mixed.then(|| office_format(&mut rng)).flatten() {
            let name = format!("{folder}/fails_{n}.{format}");
            let path = share.join(&name);
            fs::create_dir_all(path.parent().expect("file has a folder"))?;
            let planted = match format {
                "xlsx" => {
                    let cells = 100 + rng.below(2_000);
                    vec![(
                        name.clone(),
                        write_workbook(&path, &mut rng, cells, spec.workbook_layout)?,
                    )]
                }
                "docx" => vec![(name.clone(), write_docx(&path, &mut rng, spec.density)?)],
                "eml" => vec![(name.clone(), write_eml(&path, &mut rng, spec.density)?)],
                "pdf" => {
                    let len = 2_000 + rng.below(30_000) as usize;
                    vec![(name.clone(), write_pdf(&path, &mut rng, spec.density, len)?)]
                }
                _ => write_zip(&path, &name, &mut rng, spec.density)?,
            };
            written += fs::metadata(&path)?.len();
            for (name, values) in planted {
                truth.add(name, values);
            }
            n += 1;
            continue;
        }
        let kind = rng.below(10);
        let (name, text, planted) = match kind {
            0 | 1 => {
                let rows = 20 + rng.below(200) as usize;
                let (t, p) = csv_table(&mut rng, rows);
                (format!("{folder}/saraksts_{n}.csv"), t, p)
            }
            _ => {
                let len = 2_000 + rng.below(60_000) as usize;
                let (t, p) = latvian_text(&mut rng, len, spec.density);
                let ext = *rng.pick(&["txt", "txt", "log", "html"]);
                (format!("{folder}/dokuments_{n}.{ext}"), t, p)
            }
        };
        // Most files UTF-8; some Windows-1257 (legacy Latvian), some UTF-16LE with BOM.
        let bytes = match rng.below(10) {
            0 => WINDOWS_1257.encode(&text).0.into_owned(),
            1 => {
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                b
            }
            _ => text.into_bytes(),
        };
        let path = share.join(&name);
        fs::create_dir_all(path.parent().expect("file has a folder"))?;
        fs::write(&path, &bytes)?;
        written += bytes.len() as u64;
        truth.add(name, planted);
        n += 1;
    }
    fs::create_dir_all(&share)?;
    if let Some(cells) = spec.workbook_cells {
        let planted = write_workbook(
            &share.join("darbinieki.xlsx"),
            &mut rng,
            cells,
            spec.workbook_layout,
        )?;
        truth.add("darbinieki.xlsx".into(), planted);
        n += 1;
    }
    if let Some(size) = spec.big_text {
        let planted = write_big_text(&share.join("liels_zurnals.log"), &mut rng, size, spec, '\n')?;
        truth.add("liels_zurnals.log".into(), planted);
        n += 1;
    }
    if let Some(size) = spec.line_less {
        let planted = write_big_text(&share.join("eksports.json"), &mut rng, size, spec, ' ')?;
        truth.add("eksports.json".into(), planted);
        n += 1;
    }
    if let Some(pages) = spec.pdf_pages {
        // About 110 bytes a line, 60 lines a page.
        let len = (pages * 60 * 110) as usize;
        let path = share.join("gada_parskats.pdf");
        let planted = write_pdf(&path, &mut rng, spec.density, len)?;
        truth.add("gada_parskats.pdf".into(), planted);
        n += 1;
    }
    for i in 0..spec.tiny_files {
        let name = format!("mazie/{:03}/piezime_{i}.txt", i / 1000);
        let mut line = format!("{}. piezīme", i + 1);
        let mut planted = Vec::new();
        if rng.below(10) == 0 {
            let (written, code) = personal_code(&mut rng);
            line.push_str(&format!(": personas kods {written}"));
            planted.push(("lv_personal_code", code));
        }
        line.push('\n');
        let path = share.join(&name);
        fs::create_dir_all(path.parent().expect("file has a folder"))?;
        fs::write(&path, line)?;
        truth.add(name, planted);
        n += 1;
    }
    truth.files = n;
    fs::write(dir.join("truth.json"), serde_json::to_vec_pretty(&truth)?)?;
    Ok(truth)
}

impl Truth {
    /// Notes what was planted in the file `name`.
    fn add(&mut self, name: String, planted: Values) {
        self.planted += planted.len();
        let entry = self.by_file.entry(name).or_default();
        for (kind, value) in planted {
            entry.entry(kind.to_string()).or_default().insert(value);
        }
    }
}

/// The format of the next file of a mixed share, when it is not text (`OFFICE_SHARE`).
fn office_format(rng: &mut Rng) -> Option<&'static str> {
    let mut draw = rng.below(100);
    for (format, share) in OFFICE_SHARE {
        if draw < share {
            return Some(format);
        }
        draw -= share;
    }
    None
}

/// One text file of `size` bytes, written a megabyte at a time; line breaks become
/// `separator` (a space: one line of `size` bytes, as a minified export is).
fn write_big_text(
    path: &Path,
    rng: &mut Rng,
    size: u64,
    spec: &CorpusSpec,
    separator: char,
) -> Result<Values> {
    use std::io::Write;
    let mut out = io::BufWriter::new(fs::File::create(path)?);
    let mut planted = Vec::new();
    let mut left = size;
    while left > 0 {
        let (mut text, values) = latvian_text(rng, (left as usize).min(1 << 20), spec.density);
        if separator != '\n' {
            text = text.replace('\n', &separator.to_string());
        }
        let take = text.len().min(left as usize);
        // Cut at a character boundary, and keep only values wholly inside what is written.
        let take = (0..=take)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let kept = &text[..take];
        planted.extend(
            values
                .into_iter()
                .filter(|(_, v)| kept.contains(v.as_str())),
        );
        out.write_all(kept.as_bytes())?;
        left -= take as u64;
        if take == 0 {
            break;
        }
    }
    out.flush()?;
    Ok(planted)
}

/// A Word document (docx): the paragraphs of generated prose.
fn write_docx(path: &Path, rng: &mut Rng, density: u32) -> Result<Values> {
    use std::io::Write;
    let len = 3_000 + rng.below(40_000) as usize;
    let (text, planted) = latvian_text(rng, len, density);
    let mut body = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        body.push_str("<w:p><w:r><w:t xml:space=\"preserve\">");
        body.push_str(&html_escape::encode_text(line));
        body.push_str("</w:t></w:r></w:p>");
    }
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(io::BufWriter::new(fs::File::create(path)?));
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
            ),
        ),
    ];
    for (name, xml) in parts {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    zip.finish()?.flush()?;
    Ok(planted)
}

/// An e-mail as a mail client saves it: the sender's and the recipient's addresses, the
/// sending client's IP address in a `Received:` trace header, and generated prose as its body,
/// UTF-8 in 8 bits or in base64.
fn write_eml(path: &Path, rng: &mut Rng, density: u32) -> Result<Values> {
    use base64::Engine;
    let len = 2_000 + rng.below(60_000) as usize;
    let (text, mut planted) = latvian_text(rng, len, density);
    let (sender, sender_value) = email(rng);
    let ip = public_ip(rng);
    let base64 = rng.below(2) == 0;
    let mut mail = format!(
        "Received: from klients.example.lv ([{ip}]) by mx.iestade.lv with ESMTPSA; Tue, 12 Mar 2024 10:15:32 +0200\r\n\
         From: {sender}\r\nTo: pieteikumi@iestade.lv\r\nSubject: Iesniegums\r\n\
         Date: Tue, 12 Mar 2024 10:15:32 +0200\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: {}\r\n\r\n",
        if base64 { "base64" } else { "8bit" }
    );
    if base64 {
        let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
        for chunk in encoded.as_bytes().chunks(76) {
            mail.push_str(std::str::from_utf8(chunk)?);
            mail.push_str("\r\n");
        }
    } else {
        mail.push_str(&text.replace('\n', "\r\n"));
    }
    fs::write(path, mail)?;
    planted.push(("email", sender_value));
    planted.push(("email", "pieteikumi@iestade.lv".to_string()));
    planted.push(("ipv4", ip));
    Ok(planted)
}

/// A PDF with a text layer: generated prose, 60 lines a page, in Helvetica (the standard fonts
/// have no Latvian letters, so they lose their diacritics; the planted values are ASCII).
fn write_pdf(path: &Path, rng: &mut Rng, density: u32, len: usize) -> Result<Values> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let (text, mut planted) = latvian_text(rng, len, density);
    // Names lose their diacritics in the standard fonts, as the text does.
    for (_, value) in &mut planted {
        *value = plain_letters(value);
    }
    let lines: Vec<String> = text.lines().map(plain_letters).collect();
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for page_lines in lines.chunks(60) {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 9.into()]),
            Operation::new("TL", vec![11.into()]),
            Operation::new("Td", vec![40.into(), 760.into()]),
        ];
        for line in page_lines {
            operations.push(Operation::new(
                "Tj",
                vec![Object::string_literal(line.as_str())],
            ));
            operations.push(Operation::new("T*", vec![]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }.encode()?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    doc.save(path)?;
    Ok(planted)
}

/// A zip archive of a few text files and CSV exports. Returns the planted values per member
/// (`archive.zip!/member`, as the inventory names them).
fn write_zip(
    path: &Path,
    name: &str,
    rng: &mut Rng,
    density: u32,
) -> Result<Vec<(String, Values)>> {
    use std::io::Write;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(io::BufWriter::new(fs::File::create(path)?));
    let mut planted = Vec::new();
    for i in 0..2 + rng.below(5) {
        let (member, (text, values)) = match rng.below(3) {
            0 => {
                let rows = 10 + rng.below(100) as usize;
                (format!("saraksts_{i}.csv"), csv_table(rng, rows))
            }
            _ => {
                let len = 2_000 + rng.below(20_000) as usize;
                (format!("vestule_{i}.txt"), latvian_text(rng, len, density))
            }
        };
        zip.start_file(member.as_str(), options)?;
        zip.write_all(text.as_bytes())?;
        planted.push((format!("{name}!/{member}"), values));
    }
    zip.finish()?.flush()?;
    Ok(planted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_text() {
        let a = latvian_text(&mut Rng::new(7), 10_000, 500);
        let b = latvian_text(&mut Rng::new(7), 10_000, 500);
        assert_eq!(a, b);
        assert!(!a.1.is_empty());
    }
}
