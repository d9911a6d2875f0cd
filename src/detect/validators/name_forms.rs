//! The first names' forms table, made from `rules/names/first_names.txt` when piimap is built
//! (this file is compiled into the build script, which writes the table as Rust statics; a
//! test builds it again and compares): every case form of every listed name (see
//! [`super::declension`]), capitalised and in capitals, each also without diacritics, with the
//! readings (name, gender, case) it has.

use std::borrow::Cow;
use std::collections::HashMap;

use super::declension::{self, Case, Gender};

/// One reading of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// The name's index in [`FormTable::names`].
    pub name: u32,
    /// Its gender; `None` for a name that is not declined.
    pub gender: Option<Gender>,
    /// The case the form is in.
    pub case: Case,
    /// The form is written without diacritics (`Janis`), and so is the nominative.
    pub plain: bool,
}

/// The forms table.
#[derive(Debug, PartialEq, Eq)]
pub struct FormTable {
    /// The listed names, in the nominative.
    pub names: Vec<String>,
    /// Per name: marked `*` in the list (also an ordinary word: `Liepa`).
    pub ambiguous: Vec<bool>,
    /// Each form, with where its readings start in `readings` and how many there are.
    pub forms: Vec<(String, u32, u32)>,
    /// The readings, each form's side by side, in the order they were made.
    pub readings: Vec<Reading>,
}

/// Builds the table from the list's text (a name a line, `*` after an ambiguous one, `#`
/// comments); `plain` writes a word without its diacritics.
pub fn build(list: &str, plain: impl for<'a> Fn(&'a str) -> Cow<'a, str>) -> FormTable {
    let mut names = Vec::new();
    let mut ambiguous = Vec::new();
    for line in list.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, marked) = match line.strip_suffix('*') {
            Some(name) => (name.trim(), true),
            None => (line, false),
        };
        names.push(name.to_string());
        ambiguous.push(marked);
    }
    let mut slots: HashMap<String, u32> = HashMap::new();
    let mut forms = Vec::new();
    let mut placed: Vec<(u32, Reading)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        for (form, gender, case) in declension::first_name_forms(name) {
            let upper = form.to_uppercase();
            let (plain_form, plain_upper) = (plain(&form), plain(&upper));
            for (variant, without) in [
                (&*plain_form, true),
                (&*plain_upper, true),
                (form.as_str(), false),
                (upper.as_str(), false),
            ] {
                let slot = *slots.entry(variant.to_string()).or_insert_with(|| {
                    forms.push(variant.to_string());
                    forms.len() as u32 - 1
                });
                let reading = Reading {
                    name: i as u32,
                    gender,
                    case,
                    plain: without && variant != form && variant != upper,
                };
                placed.push((slot, reading));
            }
        }
    }
    // Stable: a form's readings keep the order they were made in; a repeated one is kept once.
    placed.sort_by_key(|&(slot, _)| slot);
    let mut readings: Vec<Reading> = Vec::with_capacity(placed.len());
    let mut ranges = vec![(0, 0); forms.len()];
    for (slot, reading) in placed {
        let (start, len) = &mut ranges[slot as usize];
        if *len == 0 {
            *start = readings.len() as u32;
        }
        let known = readings[*start as usize..]
            .iter()
            .any(|r| r.name == reading.name && r.case == reading.case && r.plain == reading.plain);
        if !known {
            readings.push(reading);
            *len += 1;
        }
    }
    FormTable {
        names,
        ambiguous,
        forms: forms
            .into_iter()
            .zip(ranges)
            .map(|(form, (start, len))| (form, start, len))
            .collect(),
        readings,
    }
}
