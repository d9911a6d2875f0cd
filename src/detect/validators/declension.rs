//! Latvian declension of personal names: the case forms of a first name in the nominative, and
//! the readings (gender, case, nominative) of a surname form by its ending alone.
//!
//! Paradigms (singular; nominative, genitive, dative, accusative):
//! - 1st declension, masculine `-s`/`-š`: Kaspars, Kaspara, Kasparam, Kasparu; Bērziņš,
//!   Bērziņa, Bērziņam, Bērziņu.
//! - 2nd declension, masculine `-is`: Jānis, Jāņa, Jānim, Jāni. The genitive alternates the
//!   stem's last consonant (n→ņ, l→ļ, t→š, d→ž, s→š, z→ž, c→č, sn→šņ, ...); first names in
//!   `-tis`/`-dis` usually do not (Gatis, Gata), surnames do (Eglītis, Eglīša), so both forms
//!   are generated.
//! - 3rd declension, masculine `-us`: Ingus, Ingus, Ingum, Ingu.
//! - 4th declension `-a`: feminine Anna, Annas, Annai, Annu; masculine surnames (Liepa, Liepas,
//!   Liepam, Liepu).
//! - 5th declension `-e`: feminine Eglīte, Eglītes, Eglītei, Eglīti; masculine surnames (Roze,
//!   Rozes, Rozem, Rozi).
//! - Names in `-o` and other vowels (Ivo, Hugo, Naomi) are not declined.
//!
//! The accusative is also the instrumental (`ar Annu`) and the 2nd declension's vocative. The
//! locative and the plural are not generated: names rarely take them.

/// Grammatical gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// Masculine.
    Male,
    /// Feminine.
    Female,
}

/// The cases names are matched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `Jānis`.
    Nominative,
    /// `Jāņa`.
    Genitive,
    /// `Jānim`.
    Dative,
    /// `Jāni`.
    Accusative,
}

use Case::{Accusative, Dative, Genitive, Nominative};
use Gender::{Female, Male};

// The first names' forms are made by the build script (see `name_forms.rs`) and by tests.
#[cfg_attr(not(test), allow(dead_code))]
/// The gender of a first name, from its ending (`-a`, `-e` feminine; `-s`, `-š`, `-o`
/// masculine); `None` for names in other vowels (Naomi, Renē), which are not declined.
pub fn first_name_gender(name: &str) -> Option<Gender> {
    match name.chars().next_back()? {
        'a' | 'e' => Some(Female),
        's' | 'š' | 'o' => Some(Male),
        _ => None,
    }
}

// The first names' forms are made by the build script (see `name_forms.rs`) and by tests.
#[cfg_attr(not(test), allow(dead_code))]
/// Every case form of a first name given in the nominative, with the gender and case of each
/// (a form may appear twice: the 2nd declension's genitive with and without alternation).
pub fn first_name_forms(name: &str) -> Vec<(String, Option<Gender>, Case)> {
    let Some(gender) = first_name_gender(name) else {
        return [Nominative, Genitive, Dative, Accusative]
            .into_iter()
            .map(|case| (name.to_string(), None, case))
            .collect();
    };
    let mut out = Vec::with_capacity(6);
    let mut push = |form: String, case| out.push((form, Some(gender), case));
    push(name.to_string(), Nominative);
    if let Some(stem) = name.strip_suffix("is") {
        push(with_ending(&alternate(stem), "a"), Genitive);
        push(with_ending(stem, "a"), Genitive);
        push(with_ending(stem, "im"), Dative);
        push(with_ending(stem, "i"), Accusative);
    } else if let Some(stem) = name.strip_suffix("us") {
        push(name.to_string(), Genitive);
        push(with_ending(stem, "um"), Dative);
        push(with_ending(stem, "u"), Accusative);
    } else if let Some(stem) = name.strip_suffix(['s', 'š']) {
        push(with_ending(stem, "a"), Genitive);
        push(with_ending(stem, "am"), Dative);
        push(with_ending(stem, "u"), Accusative);
    } else if let Some(stem) = name.strip_suffix('a') {
        push(with_ending(stem, "as"), Genitive);
        push(with_ending(stem, "ai"), Dative);
        push(with_ending(stem, "u"), Accusative);
    } else if let Some(stem) = name.strip_suffix('e') {
        push(with_ending(stem, "es"), Genitive);
        push(with_ending(stem, "ei"), Dative);
        push(with_ending(stem, "i"), Accusative);
    } else {
        // -o: not declined.
        for case in [Genitive, Dative, Accusative] {
            push(name.to_string(), case);
        }
    }
    out
}

// The first names' forms are made by the build script (see `name_forms.rs`) and by tests.
#[cfg_attr(not(test), allow(dead_code))]
/// `stem` followed by `ending` (`format!` was an eighth of building the forms table).
fn with_ending(stem: &str, ending: &str) -> String {
    let mut form = String::with_capacity(stem.len() + ending.len());
    form.push_str(stem);
    form.push_str(ending);
    form
}

// The first names' forms are made by the build script (see `name_forms.rs`) and by tests.
#[cfg_attr(not(test), allow(dead_code))]
/// The 2nd declension's genitive stem: the last consonant (or pair) alternated.
fn alternate(stem: &str) -> String {
    const PAIRS: [(&str, &str); 19] = [
        ("sn", "šņ"),
        ("zn", "žņ"),
        ("sl", "šļ"),
        ("zl", "žļ"),
        ("ln", "ļņ"),
        ("ll", "ļļ"),
        ("nn", "ņņ"),
        ("dz", "dž"),
        ("t", "š"),
        ("d", "ž"),
        ("s", "š"),
        ("z", "ž"),
        ("c", "č"),
        ("n", "ņ"),
        ("l", "ļ"),
        ("b", "bj"),
        ("m", "mj"),
        ("p", "pj"),
        ("v", "vj"),
    ];
    PAIRS
        .iter()
        .find_map(|(from, to)| stem.strip_suffix(from).map(|s| format!("{s}{to}")))
        .unwrap_or_else(|| stem.to_string())
}

/// The nominative of a masculine 1st/2nd declension stem seen in a genitive `-a`, dative
/// `-am` or accusative `-u` (`Bērziņ` → `Bērziņš`, `Ozol` → `Ozols`); a stem that ends in an
/// alternated consonant is 2nd declension (`Jāņ` → `Jānis`, `Eglīš` → `Eglītis`).
fn masculine_nominative(stem: &str, alternated: bool) -> String {
    if stem.ends_with("iņ") {
        return format!("{stem}š");
    }
    if alternated {
        const BACK: [(&str, &str); 6] = [
            ("ņ", "n"),
            ("ļ", "l"),
            ("š", "t"),
            ("ž", "d"),
            ("č", "c"),
            ("sk", "sk"),
        ];
        if let Some(plain) = BACK
            .iter()
            .find_map(|(from, to)| stem.strip_suffix(from).map(|s| format!("{s}{to}is")))
        {
            return plain;
        }
    }
    format!("{stem}s")
}

/// The nominative of a surname form read in `gender` and `case`, by its ending; `None` when a surname
/// of that gender cannot end so in that case.
pub fn surname_nominative(word: &str, gender: Gender, case: Case) -> Option<String> {
    let strip = |suffix: &str| word.strip_suffix(suffix).filter(|s| s.chars().count() >= 2);
    let found = match (gender, case) {
        (Male, Nominative) => word
            .ends_with(['s', 'š', 'a', 'e'])
            .then(|| word.to_string()),
        (Male, Genitive) => strip("us")
            .map(|_| word.to_string())
            .or_else(|| strip("as").map(|s| format!("{s}a")))
            .or_else(|| strip("es").map(|s| format!("{s}e")))
            .or_else(|| strip("a").map(|s| masculine_nominative(s, true))),
        (Male, Dative) => strip("im")
            .map(|s| format!("{s}is"))
            .or_else(|| strip("um").map(|s| format!("{s}us")))
            .or_else(|| strip("em").map(|s| format!("{s}e")))
            .or_else(|| strip("am").map(|s| masculine_nominative(s, false))),
        (Male, Accusative) => strip("i")
            .map(|s| format!("{s}is"))
            .or_else(|| strip("u").map(|s| masculine_nominative(s, false))),
        (Female, Nominative) => word.ends_with(['a', 'e']).then(|| word.to_string()),
        (Female, Genitive) => strip("as")
            .map(|s| format!("{s}a"))
            .or_else(|| strip("es").map(|s| format!("{s}e"))),
        (Female, Dative) => strip("ai")
            .map(|s| format!("{s}a"))
            .or_else(|| strip("ei").map(|s| format!("{s}e"))),
        (Female, Accusative) => strip("u")
            .map(|s| format!("{s}a"))
            .or_else(|| strip("i").map(|s| format!("{s}e"))),
    };
    found.filter(|n| n.chars().count() >= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(name: &str) -> Vec<(String, Case)> {
        first_name_forms(name)
            .into_iter()
            .map(|(f, _, c)| (f, c))
            .collect()
    }

    fn has(name: &str, form: &str, case: Case) -> bool {
        forms(name).contains(&(form.to_string(), case))
    }

    /// Reference people-and-documents.md, "Declension reminders".
    #[test]
    fn first_names_decline_by_their_paradigm() {
        assert!(has("Jānis", "Jāņa", Genitive));
        assert!(has("Jānis", "Jānim", Dative));
        assert!(has("Jānis", "Jāni", Accusative));
        assert!(has("Kārlis", "Kārļa", Genitive));
        assert!(has("Gatis", "Gata", Genitive));
        assert!(has("Kaspars", "Kaspara", Genitive));
        assert!(has("Kaspars", "Kasparam", Dative));
        assert!(has("Mārtiņš", "Mārtiņa", Genitive));
        assert!(has("Pēteris", "Pēterim", Dative));
        assert!(has("Ingus", "Ingus", Genitive));
        assert!(has("Ingus", "Ingum", Dative));
        assert!(has("Anna", "Annas", Genitive));
        assert!(has("Anna", "Annai", Dative));
        assert!(has("Anna", "Annu", Accusative));
        assert!(has("Alise", "Alises", Genitive));
        assert!(has("Alise", "Alisei", Dative));
        assert!(has("Alise", "Alisi", Accusative));
        assert!(has("Ivo", "Ivo", Dative));
        assert_eq!(first_name_gender("Anna"), Some(Female));
        assert_eq!(first_name_gender("Ivo"), Some(Male));
        assert_eq!(first_name_gender("Naomi"), None);
    }

    #[test]
    fn the_second_declension_alternates_consonant_pairs() {
        assert_eq!(alternate("Eglīt"), "Eglīš");
        assert_eq!(alternate("Bried"), "Briež");
        assert_eq!(alternate("Zvirbul"), "Zvirbuļ");
        assert_eq!(alternate("Krasn"), "Krašņ");
        assert_eq!(alternate("Andr"), "Andr");
    }

    /// Reference: Bērziņš → Bērziņa, Bērziņam; Kalniņa → Kalniņas, Kalniņai; Eglītis →
    /// Eglīša; Eglīte → Eglītes, Eglītei.
    #[test]
    fn surname_forms_lead_back_to_their_nominative() {
        let nom = |w, g, c| surname_nominative(w, g, c);
        assert_eq!(nom("Bērziņa", Male, Genitive).as_deref(), Some("Bērziņš"));
        assert_eq!(nom("Bērziņam", Male, Dative).as_deref(), Some("Bērziņš"));
        assert_eq!(nom("Bērziņu", Male, Accusative).as_deref(), Some("Bērziņš"));
        assert_eq!(nom("Ozola", Male, Genitive).as_deref(), Some("Ozols"));
        assert_eq!(nom("Eglīša", Male, Genitive).as_deref(), Some("Eglītis"));
        assert_eq!(
            nom("Zvirbuļa", Male, Genitive).as_deref(),
            Some("Zvirbulis")
        );
        assert_eq!(nom("Eglītim", Male, Dative).as_deref(), Some("Eglītis"));
        assert_eq!(nom("Ivanova", Male, Genitive).as_deref(), Some("Ivanovs"));
        assert_eq!(
            nom("Kovaļevska", Male, Genitive).as_deref(),
            Some("Kovaļevskis")
        );
        assert_eq!(nom("Liepas", Male, Genitive).as_deref(), Some("Liepa"));
        assert_eq!(
            nom("Kalniņas", Female, Genitive).as_deref(),
            Some("Kalniņa")
        );
        assert_eq!(nom("Kalniņai", Female, Dative).as_deref(), Some("Kalniņa"));
        assert_eq!(nom("Eglītes", Female, Genitive).as_deref(), Some("Eglīte"));
        assert_eq!(nom("Eglītei", Female, Dative).as_deref(), Some("Eglīte"));
        assert_eq!(nom("Berzina", Male, Genitive).as_deref(), Some("Berzins"));
        // A female surname takes -a/-e, a male one does not end in -ai.
        assert_eq!(nom("Bērziņš", Female, Nominative), None);
        assert_eq!(nom("Kalniņai", Male, Dative), None);
        assert_eq!(nom("Ozols", Male, Genitive), None);
    }

    /// The algebra: every form generated from a nominative reads back to it.
    #[test]
    fn generated_surname_forms_read_back() {
        for (name, gender) in [
            ("Bērziņš", Male),
            ("Ozols", Male),
            ("Eglītis", Male),
            ("Kalniņa", Female),
            ("Eglīte", Female),
            ("Ivanova", Female),
        ] {
            for (form, _, case) in first_name_forms(name) {
                if form.ends_with("ta") && name.ends_with("tis") {
                    continue; // the unalternated genitive is a first names' form only
                }
                let read = surname_nominative(&form, gender, case);
                assert_eq!(read.as_deref(), Some(name), "{form} ({case:?}) of {name}");
            }
        }
    }
}
