//! What to scan and how: the walk, the caps on reading one file, and what the inventory keeps.

use std::path::PathBuf;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::detect::RuleSource;
use crate::extract::Caps;
use crate::extract::archive;
use crate::inventory::{Confidence, ReadLimits, ScanOptionsRecord};
use crate::walk::WalkOptions;

/// What to scan and how. A reader process gets these options in its setup: all but the walk,
/// the scan's own files and the reader program, which are the scanner's alone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanOptions {
    /// Roots, excludes, links, threads.
    #[serde(skip)]
    pub walk: WalkOptions,
    /// What reading any one file may cost.
    pub limits: ReadLimits,
    /// Findings below this confidence are dropped.
    pub min_confidence: Confidence,
    /// List the distinct raw values (owner verification only).
    pub reveal: bool,
    /// Masked samples per kind per file.
    pub samples: usize,
    /// Files the scan itself writes (output, key file, store): never scanned.
    #[serde(skip)]
    pub own_files: Vec<PathBuf>,
    /// Keep every distinct value at its logical place on the outcomes (for the store and
    /// for `find`).
    pub track_occurrences: bool,
    /// The scan date, days since 1970-01-01 (UTC): children's ages are measured on it.
    pub today: i64,
    /// Where the formats read by third-party parsers are read: in reader processes started
    /// from this program (`piimap` itself), or, when `None`, in the scanning threads.
    #[serde(skip)]
    pub readers: Option<Readers>,
}

/// How reader processes are started.
#[derive(Debug, Clone)]
pub struct Readers {
    /// The program: the running `piimap`.
    pub program: PathBuf,
}

impl ScanOptions {
    /// The caps every extractor applies to the current file, which must stop at `deadline`.
    pub fn caps(&self, deadline: Option<Instant>) -> Caps {
        let limits = &self.limits;
        Caps {
            max_part: limits.max_extracted_size,
            max_cells: limits.max_cells,
            max_member: limits.max_member_size,
            max_members: limits.max_archive_members,
            max_memory: limits.max_file_memory,
            deadline,
        }
    }

    /// The caps on one archive's members.
    pub fn archive_limits(&self) -> archive::Limits {
        archive::Limits {
            max_members: self.limits.max_archive_members,
            max_member_size: self.limits.max_member_size,
            max_ratio: self.limits.max_compression_ratio,
        }
    }

    /// The options as the inventory's header records them, with the rules' source and the
    /// retention policies.
    pub fn record(&self, rules: &RuleSource, retention: Vec<String>) -> ScanOptionsRecord {
        ScanOptionsRecord {
            min_confidence: self.min_confidence,
            limits: self.limits,
            exclude: self.walk.exclude.clone(),
            follow_links: self.walk.follow_links,
            reveal: self.reveal,
            samples: self.samples,
            threads: self.walk.threads,
            rules_dir: rules.dir.as_ref().map(|d| d.display().to_string()),
            no_builtin_rules: rules.no_builtin,
            retention,
        }
    }

    /// The digest of all that shapes a file's records: piimap's version, the rules (their
    /// `digest`), the fingerprint key (its `key_check`) and the options that change what is
    /// found and kept. Stored records made under another digest are not reused.
    pub fn records_key(&self, rules_digest: &str, key_check: &str) -> String {
        #[derive(Serialize)]
        struct Shaping<'a> {
            version: &'a str,
            rules: &'a str,
            key: &'a str,
            min_confidence: Confidence,
            samples: usize,
            reveal: bool,
            limits: &'a ReadLimits,
        }
        let shaping = Shaping {
            version: env!("CARGO_PKG_VERSION"),
            rules: rules_digest,
            key: key_check,
            min_confidence: self.min_confidence,
            samples: self.samples,
            reveal: self.reveal,
            limits: &self.limits,
        };
        let text = serde_json::to_string(&shaping).expect("plain data serialises");
        blake3::hash(text.as_bytes()).to_hex().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> ScanOptions {
        ScanOptions {
            walk: WalkOptions::default(),
            limits: ReadLimits {
                max_file_size: 1 << 30,
                max_extracted_size: 1 << 30,
                max_cells: 1000,
                max_file_time: std::time::Duration::from_secs(600),
                max_file_memory: 256 << 20,
                max_archive_depth: 5,
                max_archive_members: 100,
                max_member_size: 1 << 20,
                max_archive_bytes: 1 << 30,
                max_compression_ratio: 200,
            },
            min_confidence: Confidence::Medium,
            reveal: false,
            samples: 3,
            own_files: Vec::new(),
            track_occurrences: false,
            today: 0,
            readers: None,
        }
    }

    /// Every read limit is in the records' key: changing any one of them makes stored records
    /// stale. The limits are serialised for the key, so a new limit cannot be left out.
    #[test]
    fn every_limit_changes_the_records_key() {
        let base = options();
        let key = base.records_key("rules", "key");
        let as_json = serde_json::to_value(base.limits).unwrap();
        let fields = as_json.as_object().unwrap();
        assert_eq!(fields.len(), 10, "{fields:?}");
        for name in fields.keys() {
            let mut changed = as_json.clone();
            changed[name] = match changed[name].as_u64() {
                Some(n) => serde_json::json!(n + 1),
                None => serde_json::json!(changed[name].as_f64().unwrap() + 1.0),
            };
            let mut options = options();
            options.limits = serde_json::from_value(changed).unwrap();
            assert_ne!(options.records_key("rules", "key"), key, "{name}");
        }
        let mut more_samples = options();
        more_samples.samples += 1;
        assert_ne!(more_samples.records_key("rules", "key"), key);
        assert_ne!(base.records_key("other rules", "key"), key);
        // What does not shape records does not change the key.
        let mut more_threads = options();
        more_threads.walk.threads = 64;
        assert_eq!(more_threads.records_key("rules", "key"), key);
    }

    #[test]
    fn the_header_records_the_limits_flat() {
        let record = options().record(&RuleSource::default(), Vec::new());
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["max_file_time_seconds"], 600.0);
        assert_eq!(json["max_cells"], 1000);
        assert!(json.get("limits").is_none());
        assert!(json.get("no_builtin_rules").is_none());
    }
}
