//! Subject search (`piimap find`): for an access or erasure request, every file and place that
//! holds a person's personal code, e-mail, phone or IBAN. A value is recognised and normalised
//! by the same rules as a scan, then fingerprinted with the same key, so it is looked up by
//! fingerprint: in the store (nothing is read, no raw value is stored) or in the occurrences
//! of a targeted scan.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::detect::RuleSet;
use crate::inventory::fingerprint::{FingerprintKey, to_hex};
use crate::inventory::{Location, Occurrence};
use crate::store::StoreQueries;

/// A value to look for, as the rules read it.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    /// 1-based position among the values given.
    pub value: usize,
    /// The kind the rules give it (`lv_personal_code`, `email`...).
    pub kind: String,
    /// The value masked as in the inventory.
    pub masked: String,
    /// Its keyed fingerprint (hex).
    pub fingerprint: String,
}

/// One place that holds a queried value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// Which value (its 1-based position).
    pub value: usize,
    /// The record's path (`arhivs.zip!/saraksts.xlsx` for a member).
    pub path: String,
    /// The kind.
    pub kind: String,
    /// The first location of the value at this logical place (`Sheet!C7`, a document part;
    /// for plain text, the first line in the file).
    pub location: Location,
}

/// Recognises each value with the rules: the finding that covers the whole value, at any
/// confidence. A value no rule recognises is an error that names its position, not the value.
pub fn queries(rules: &RuleSet, key: &FingerprintKey, values: &[String]) -> Result<Vec<Query>> {
    let mut detector = rules.detector();
    let mut found = Vec::new();
    let mut queries = Vec::new();
    for (i, raw) in values.iter().enumerate() {
        let text = raw.trim();
        found.clear();
        detector.scan(text, 0..text.len(), 0, &mut found);
        let Some(finding) = found
            .iter()
            .find(|f| f.span.start == 0 && f.span.end == text.len())
        else {
            bail!(
                "value {} is not a personal code, e-mail, phone, IBAN or other value the rules recognise \
                 (write it as it would appear in a file, e.g. 161175-19997 or +371 29123456)",
                i + 1
            );
        };
        let rule = &rules.rules()[finding.rule];
        queries.push(Query {
            value: i + 1,
            kind: rule.kind.clone(),
            masked: rule.validator.mask(&finding.value),
            fingerprint: to_hex(&key.fingerprint(&rule.kind, &finding.value)),
        });
    }
    Ok(queries)
}

/// The places in `occurrences` (of the record at `path`) that hold a queried value.
pub fn hits_in(queries: &[Query], path: &str, occurrences: &[Occurrence]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for o in occurrences {
        for q in queries
            .iter()
            .filter(|q| q.fingerprint == o.fingerprint && q.kind == o.kind)
        {
            hits.push(Hit {
                value: q.value,
                path: path.to_string(),
                kind: o.kind.clone(),
                location: o.location.clone(),
            });
        }
    }
    hits
}

/// Looks the queries up in a store, as of its files' last scan. Fails when the store's scans
/// were made with another fingerprint key (nothing would match).
pub fn in_store(store: &Path, key_check: &str, queries: &[Query]) -> Result<Vec<Hit>> {
    let stored = StoreQueries::open(store, true)?;
    if stored.key_check()?.is_some_and(|c| c != key_check) {
        bail!(
            "{}: the store was made with another fingerprint key; give the scans' key with --key-file",
            store.display()
        );
    }
    if !stored.index_for_search() {
        eprintln!("piimap: note: the store is read-only here; searching it without an index");
    }
    let mut hits = Vec::new();
    for q in queries {
        for (path, location) in stored.places_of(&q.kind, &q.fingerprint)? {
            hits.push(Hit {
                value: q.value,
                path,
                kind: q.kind.clone(),
                location,
            });
        }
    }
    Ok(hits)
}

/// A location for people: `Saraksts!C7`, `page 3`, `line 12`, `word/document.xml ¶4`.
pub fn describe(location: &Location) -> String {
    let mut parts = Vec::new();
    match (&location.sheet, &location.cell) {
        (Some(sheet), Some(cell)) => parts.push(format!("{sheet}!{cell}")),
        (None, Some(cell)) => parts.push(format!("cell {cell}")),
        _ => {}
    }
    if let Some(part) = &location.part {
        parts.push(part.clone());
    }
    if let Some(page) = location.page {
        parts.push(format!("page {page}"));
    }
    if let Some(paragraph) = location.paragraph {
        parts.push(format!("paragraph {paragraph}"));
    }
    if let Some(line) = location.line {
        parts.push(format!("line {line}"));
    }
    parts.join(", ")
}

/// Groups hits by value, in the order the values were given.
pub fn by_value(queries: &[Query], hits: &[Hit]) -> Vec<(Query, Vec<Hit>)> {
    let mut grouped: HashMap<usize, Vec<Hit>> = HashMap::new();
    for h in hits {
        grouped.entry(h.value).or_default().push(h.clone());
    }
    queries
        .iter()
        .map(|q| {
            let mut hits = grouped.remove(&q.value).unwrap_or_default();
            hits.sort_by(|a, b| a.path.cmp(&b.path));
            (q.clone(), hits)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> FingerprintKey {
        let dir = tempfile::tempdir().unwrap();
        FingerprintKey::load_or_create(&dir.path().join("k"), false).unwrap()
    }

    #[test]
    fn values_are_normalised_like_findings() {
        let rules = RuleSet::builtin().unwrap();
        let key = key();
        // Reference §1.7 vector, written with and without the hyphen.
        let q = queries(
            &rules,
            &key,
            &["161175-19997".into(), " 16117519997 ".into()],
        )
        .unwrap();
        assert_eq!(q[0].kind, "lv_personal_code");
        assert_eq!(q[0].fingerprint, q[1].fingerprint);
        assert_eq!((q[0].value, q[1].value), (1, 2));
        assert!(!q[0].masked.contains("1611"), "{}", q[0].masked);
    }

    #[test]
    fn an_unrecognised_value_is_refused_without_echoing_it() {
        let rules = RuleSet::builtin().unwrap();
        let err = queries(&rules, &key(), &["161175-19998".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("value 1"), "{err}");
        assert!(!err.contains("161175-19998"), "{err}");
    }
}
