//! Folding one file's findings into the inventory's per-kind summaries: counts, distinct values,
//! the best few masked and fingerprinted samples, the ages behind personal codes, and (with
//! `--reveal`) the raw distinct values; and the people named in a document's metadata.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

use crate::detect::validators::Validator;
use crate::detect::{Finding, Rule};
use crate::inventory::fingerprint::{Fingerprint, FingerprintKey, to_hex};
use crate::inventory::{
    Category, Children, Confidence, KindFindings, Location, MetadataField, Occurrence, Sample,
};

/// Distinct values counted per kind per file; past this `distinct` is a lower bound.
const DISTINCT_CAP: usize = 1_000_000;

/// Occurrences (distinct value at a logical place) tracked per file for the store.
const OCCURRENCE_CAP: usize = 100_000;

/// Accumulates one file's findings.
#[derive(Debug)]
pub struct FileFindings<'k> {
    key: &'k FingerprintKey,
    max_samples: usize,
    reveal: bool,
    /// Per kind, in order of first finding.
    kinds: Vec<(String, KindAccumulator)>,
    /// The index in `kinds` of each rule's kind, by rule index, once the rule has a finding.
    kind_of_rule: Vec<Option<usize>>,
    /// With a store: each distinct (kind, fingerprint, logical place) and its first location.
    occurrences: Option<BTreeMap<(String, Fingerprint, String), Location>>,
    /// The ages behind the distinct personal codes.
    ages: AgeCount,
    /// Hashes values for counting distinct ones.
    value_hasher: RandomState,
}

/// Distinct values of one kind in one file, counted by a 64-bit hash of each value under a key
/// drawn at random for the run (std's SipHash). The keyed BLAKE3 fingerprint is computed only
/// for what the inventory shows (samples, occurrences): computing it for every finding was a
/// twentieth of a dense workbook's scan. Two values of one file share a hash with a probability
/// of about n²/2⁶⁵ (3·10⁻⁸ for a million), so the count is exact in practice.
#[derive(Debug, Default)]
struct DistinctValues(HashSet<u64, BuildHasherDefault<PrehashedHasher>>);

impl DistinctValues {
    /// Adds a value's hash; `true` if it was not there.
    fn insert(&mut self, hash: u64) -> bool {
        self.0.insert(hash)
    }

    /// Whether a value's hash is there.
    fn contains(&self, hash: u64) -> bool {
        self.0.contains(&hash)
    }

    /// How many distinct values.
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Hashes keys that are keyed hashes already by taking them as they are: they are uniform, and
/// without the key nobody can aim values at one bucket.
#[derive(Debug, Default)]
struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; any other key is folded in eight bytes at a time.
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The ages behind a file's distinct personal codes, folded in as each code is first seen.
#[derive(Debug)]
struct AgeCount {
    /// The scan date, as days since 1970-01-01.
    today: i64,
    /// `None` until a code is seen.
    children: Option<Children>,
    /// The next day one of the children turns 18.
    recount_on: Option<i64>,
}

impl AgeCount {
    /// Counts a personal code seen for the first time in the file, born on `birth_date`
    /// (`None`: the code carries no date).
    fn add(&mut self, birth_date: Option<(u32, u32, u32)>) {
        let children = self.children.get_or_insert_with(Children::default);
        let adult_on =
            birth_date.map(|(year, month, day)| days_from_civil(year as i64 + 18, month, day));
        match adult_on {
            None => children.age_unknown += 1,
            Some(day) if day > self.today => {
                children.under_18 += 1;
                self.recount_on = Some(self.recount_on.map_or(day, |d| d.min(day)));
            }
            Some(_) => {}
        }
    }
}

#[derive(Debug)]
struct KindAccumulator {
    category: Category,
    count: u64,
    distinct: DistinctValues,
    capped: bool,
    max_confidence: Confidence,
    /// By the hash of their values.
    samples: Vec<(u64, Sample)>,
    values: BTreeSet<String>,
}

impl<'k> FileFindings<'k> {
    /// An empty accumulator; ages are measured on `today` (days since 1970-01-01).
    pub fn new(key: &'k FingerprintKey, max_samples: usize, reveal: bool, today: i64) -> Self {
        FileFindings {
            key,
            max_samples,
            reveal,
            kinds: Vec::new(),
            kind_of_rule: Vec::new(),
            occurrences: None,
            ages: AgeCount {
                today,
                children: None,
                recount_on: None,
            },
            value_hasher: RandomState::new(),
        }
    }

    /// The ages behind the personal codes found (`None` without any), and the first day on
    /// which the count of children will be lower (the next 18th birthday among them).
    pub fn children(&self) -> (Option<Children>, Option<i64>) {
        (self.ages.children, self.ages.recount_on)
    }

    /// Also keeps every occurrence (for the store), up to a cap per file.
    pub fn tracking_occurrences(mut self, track: bool) -> Self {
        self.occurrences = track.then(BTreeMap::new);
        self
    }

    /// The occurrences kept, sorted by kind, fingerprint and place.
    pub fn take_occurrences(&mut self) -> Vec<Occurrence> {
        self.occurrences
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(|((kind, fp, logical), location)| Occurrence {
                kind,
                fingerprint: to_hex(&fp),
                logical,
                location,
            })
            .collect()
    }

    /// Adds a finding of `rule`, the rule at index `finding.rule` of the scan's rule set;
    /// `location` is called only if the finding is kept as a sample or an occurrence.
    pub fn add(&mut self, rule: &Rule, finding: Finding, location: impl Fn() -> Location) {
        let validator = rule.validator;
        let hash = self.value_hasher.hash_one(finding.value.as_str());
        let key = self.key;
        let slot = match self.kind_of_rule.get(finding.rule).copied().flatten() {
            Some(slot) => slot,
            None => self.kind_slot(rule, &finding),
        };
        let acc = &mut self.kinds[slot].1;
        acc.count += 1;
        acc.max_confidence = acc.max_confidence.max(finding.confidence);
        let new_value = if acc.distinct.len() < DISTINCT_CAP {
            acc.distinct.insert(hash)
        } else {
            acc.capped |= !acc.distinct.contains(hash);
            false
        };
        // Values of a kind that carries birth dates (personal codes) are people of an age.
        if new_value && validator.carries_birth_dates() {
            self.ages.add(validator.birth_date(&finding.value));
        }
        if self.reveal && new_value {
            acc.values.insert(finding.value.clone());
        }
        if let Some(occurrences) = &mut self.occurrences
            && occurrences.len() < OCCURRENCE_CAP
        {
            let location = location();
            let fp = key.fingerprint(&rule.kind, &finding.value);
            occurrences
                .entry((rule.kind.clone(), fp, location.logical()))
                .or_insert(location);
        }
        let fingerprint = |value: &str| key.fingerprint(&rule.kind, value);
        acc.offer_sample(
            self.max_samples,
            hash,
            validator,
            finding,
            fingerprint,
            location,
        );
    }

    /// The index in `kinds` of the kind of `finding`'s rule, added if it is the kind's first
    /// finding; remembered for the rule (rules of one kind share it).
    fn kind_slot(&mut self, rule: &Rule, finding: &Finding) -> usize {
        let slot = match self.kinds.iter().position(|(kind, _)| *kind == rule.kind) {
            Some(slot) => slot,
            None => {
                let acc = KindAccumulator {
                    category: rule.category,
                    count: 0,
                    distinct: DistinctValues::default(),
                    capped: false,
                    max_confidence: finding.confidence,
                    samples: Vec::new(),
                    values: BTreeSet::new(),
                };
                self.kinds.push((rule.kind.clone(), acc));
                self.kinds.len() - 1
            }
        };
        if self.kind_of_rule.len() <= finding.rule {
            self.kind_of_rule.resize(finding.rule + 1, None);
        }
        self.kind_of_rule[finding.rule] = Some(slot);
        slot
    }

    /// The per-kind summaries, sorted by kind.
    pub fn into_kinds(mut self) -> Vec<KindFindings> {
        let reveal = self.reveal;
        self.kinds.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.kinds
            .into_iter()
            .map(|(kind, acc)| KindFindings {
                kind,
                category: acc.category,
                personal: acc.category.is_personal(),
                count: acc.count,
                distinct: acc.distinct.len() as u64,
                distinct_capped: acc.capped,
                max_confidence: acc.max_confidence,
                samples: acc.samples.into_iter().map(|(_, s)| s).collect(),
                values: reveal.then(|| acc.values.into_iter().collect()),
            })
            .collect()
    }
}

impl KindAccumulator {
    /// Keeps the first samples of distinct values (by their `hash`), preferring higher
    /// confidence; a sample's fingerprint and location are computed only if it is kept.
    fn offer_sample(
        &mut self,
        max: usize,
        hash: u64,
        validator: &Validator,
        finding: Finding,
        fingerprint: impl FnOnce(&str) -> Fingerprint,
        location: impl FnOnce() -> Location,
    ) {
        let existing = self.samples.iter().position(|(h, _)| *h == hash);
        let slot = match existing {
            Some(i) if self.samples[i].1.confidence < finding.confidence => Some(i),
            Some(_) => return,
            None if self.samples.len() < max => None,
            None => {
                let weakest = (0..self.samples.len()).min_by_key(|&i| self.samples[i].1.confidence);
                match weakest.filter(|&i| self.samples[i].1.confidence < finding.confidence) {
                    Some(i) => Some(i),
                    None => return,
                }
            }
        };
        let sample = Sample {
            masked: validator.mask(&finding.value),
            fingerprint: to_hex(&fingerprint(&finding.value)),
            location: location(),
            confidence: finding.confidence,
            checks: finding.checks.iter().map(|c| c.to_string()).collect(),
            attributes: finding
                .attributes
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.into_owned()))
                .collect(),
            context: finding.context,
        };
        match slot {
            Some(i) => self.samples[i] = (hash, sample),
            None => self.samples.push((hash, sample)),
        }
        self.samples
            .sort_by_key(|s| std::cmp::Reverse(s.1.confidence));
    }
}

/// Masks a person's name: the first letter of each word (`Anna Bērziņa` → `A*** B***`).
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let first: String = word.chars().take(1).collect();
            format!("{first}***")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The metadata field `field` naming the person `name`: masked and fingerprinted like a
/// finding, the name itself only with `reveal`.
pub fn metadata_field(
    field: &str,
    name: &str,
    key: &FingerprintKey,
    reveal: bool,
) -> MetadataField {
    let normalised = name.split_whitespace().collect::<Vec<_>>().join(" ");
    MetadataField {
        field: field.to_string(),
        masked: mask_name(&normalised),
        fingerprint: to_hex(&key.fingerprint("person_name", &normalised)),
        value: reveal.then_some(normalised),
    }
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (H. Hinnant's
/// `days_from_civil`). A day past the month's end rolls over: 29 February of a common year is
/// 1 March, which is when someone born on a leap day turns 18.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_are_counted_on_the_scan_date_and_recounted_on_the_next_18th_birthday() {
        let rules = crate::detect::RuleSet::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let key = FingerprintKey::load_or_create(&dir.path().join("k"), false).unwrap();
        // Reference §1.1: born 1 Jan 2015 and 15 Jun 2010 (century digit 2), 16 Nov 1975
        // (§1.7 vector), and a new-format code.
        let text = "personas kods 010115-20007, personas kods 150610-20008, \
                    personas kods 161175-19997, personas kods 329999-99995, \
                    personas kods 010115-20007";
        let mut found = Vec::new();
        rules.detector().scan(text, 0..text.len(), 0, &mut found);
        let today = days_from_civil(2026, 11, 22);
        let mut findings = FileFindings::new(&key, 1, false, today);
        for f in found {
            let rule = &rules.rules()[f.rule];
            findings.add(rule, f, Location::default);
        }
        let (children, recount_on) = findings.children();
        assert_eq!(
            children,
            Some(Children {
                under_18: 2,
                age_unknown: 1
            })
        );
        assert_eq!(recount_on, Some(days_from_civil(2028, 6, 15)));
        let none = FileFindings::new(&key, 1, false, today);
        assert_eq!(none.children(), (None, None));
    }

    #[test]
    fn distinct_values_are_counted_once_and_samples_carry_their_fingerprints() {
        let rules = crate::detect::RuleSet::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let key = FingerprintKey::load_or_create(&dir.path().join("k"), false).unwrap();
        let text = "anna@inbox.lv, juris@delfi.lv, anna@inbox.lv, anna@inbox.lv";
        let mut found = Vec::new();
        rules.detector().scan(text, 0..text.len(), 0, &mut found);
        let mut findings = FileFindings::new(&key, 5, true, 0);
        for f in found {
            let rule = &rules.rules()[f.rule];
            findings.add(rule, f, Location::default);
        }
        let kinds = findings.into_kinds();
        let email = kinds.iter().find(|k| k.kind == "email").unwrap();
        assert_eq!((email.count, email.distinct), (4, 2));
        assert_eq!(email.values.as_deref().map(<[String]>::len), Some(2));
        let mut fingerprints: Vec<_> = email.samples.iter().map(|s| &s.fingerprint).collect();
        fingerprints.sort();
        let mut expected = [
            to_hex(&key.fingerprint("email", "anna@inbox.lv")),
            to_hex(&key.fingerprint("email", "juris@delfi.lv")),
        ];
        expected.sort();
        assert_eq!(fingerprints, expected.iter().collect::<Vec<_>>());
    }

    #[test]
    fn names_keep_initials() {
        assert_eq!(mask_name("Anna Bērziņa"), "A*** B***");
        assert_eq!(mask_name("  Ēriks  "), "Ē***");
    }

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 11, 22), 20_779);
        // A leap-day birthday in a common year is the next day.
        assert_eq!(days_from_civil(2023, 2, 29), days_from_civil(2023, 3, 1));
    }
}
