//! Folding one file's findings into per-kind summaries: counts, distinct values by fingerprint,
//! the best few masked samples, and (with `--reveal`) the raw distinct values.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::fingerprint::{Fingerprint, FingerprintKey, to_hex};
use super::{Category, Confidence, KindFindings, Location, Occurrence, Sample, mask};
use crate::detect::validators::Validator;
use crate::detect::{Finding, Rule};

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
    kinds: BTreeMap<String, KindAccumulator>,
    /// With a store: each distinct (kind, fingerprint, logical place) and its first location.
    occurrences: Option<BTreeMap<(String, Fingerprint, String), Location>>,
}

#[derive(Debug)]
struct KindAccumulator {
    category: Category,
    count: u64,
    distinct: HashSet<Fingerprint>,
    capped: bool,
    max_confidence: Confidence,
    samples: Vec<(Fingerprint, Sample)>,
    values: BTreeSet<String>,
}

impl<'k> FileFindings<'k> {
    /// An empty accumulator.
    pub fn new(key: &'k FingerprintKey, max_samples: usize, reveal: bool) -> Self {
        FileFindings {
            key,
            max_samples,
            reveal,
            kinds: BTreeMap::new(),
            occurrences: None,
        }
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

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// Adds a finding of `rule` at `location`.
    pub fn add(&mut self, rule: &Rule, finding: Finding, location: Location) {
        let validator = rule.validator();
        let fp = self.key.fingerprint(&rule.kind, &finding.value);
        let acc = self
            .kinds
            .entry(rule.kind.clone())
            .or_insert_with(|| KindAccumulator {
                category: rule.category,
                count: 0,
                distinct: HashSet::new(),
                capped: false,
                max_confidence: finding.confidence,
                samples: Vec::new(),
                values: BTreeSet::new(),
            });
        acc.count += 1;
        acc.max_confidence = acc.max_confidence.max(finding.confidence);
        let new_value = if acc.distinct.len() < DISTINCT_CAP {
            acc.distinct.insert(fp)
        } else {
            acc.capped |= !acc.distinct.contains(&fp);
            false
        };
        if self.reveal && new_value {
            acc.values.insert(finding.value.clone());
        }
        if let Some(occurrences) = &mut self.occurrences
            && occurrences.len() < OCCURRENCE_CAP
        {
            occurrences
                .entry((rule.kind.clone(), fp, location.logical()))
                .or_insert_with(|| location.clone());
        }
        acc.offer_sample(self.max_samples, fp, validator, finding, location);
    }

    /// The per-kind summaries, sorted by kind.
    pub fn into_kinds(self) -> Vec<KindFindings> {
        let reveal = self.reveal;
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
    /// Keeps the first samples of distinct values, preferring higher confidence.
    fn offer_sample(
        &mut self,
        max: usize,
        fp: Fingerprint,
        validator: Validator,
        finding: Finding,
        location: Location,
    ) {
        let existing = self.samples.iter().position(|(f, _)| *f == fp);
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
            masked: mask::mask(validator, &finding.value),
            fingerprint: to_hex(&fp),
            location,
            confidence: finding.confidence,
            checks: finding.checks.iter().map(|c| c.to_string()).collect(),
            attributes: finding
                .attributes
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            context: finding.context,
        };
        match slot {
            Some(i) => self.samples[i] = (fp, sample),
            None => self.samples.push((fp, sample)),
        }
        self.samples
            .sort_by_key(|s| std::cmp::Reverse(s.1.confidence));
    }
}
