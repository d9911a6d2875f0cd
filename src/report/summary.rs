//! The scan's summary, folded from every file's record as it is written.

use crate::inventory::{RecordDigest, RetentionCheck, Status, StoreCounts, Summary};

/// Folds every file outcome into the summary.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    summary: Summary,
}

impl SummaryBuilder {
    /// Counts one file: its record's digest, retention check and bytes scanned now.
    pub fn add(
        &mut self,
        r: &RecordDigest,
        retention: Option<&RetentionCheck>,
        bytes_scanned: u64,
    ) {
        let s = &mut self.summary;
        s.files_seen += 1;
        if r.member {
            s.members_seen += 1;
        }
        *s.by_status.entry(r.status).or_default() += 1;
        if let Some(code) = r.reason {
            *s.not_fully_scanned.entry(code).or_default() += 1;
        }
        if matches!(r.status, Status::Complete | Status::Partial) {
            s.files_scanned += 1;
            s.bytes_scanned += bytes_scanned;
        }
        if r.personal_data {
            s.files_with_personal_data += 1;
        } else if r.status == Status::Complete {
            s.files_clean += 1;
        }
        s.files_with_children_data += u64::from(r.children_data);
        if let Some(check) = retention {
            let over = s.over_retention.get_or_insert_with(Default::default);
            if check.over_retention {
                over.files += 1;
                over.paths.push(r.path.clone());
            }
        }
        for k in &r.findings {
            let kind = s.kinds.entry(k.kind.clone()).or_default();
            kind.count += k.count;
            kind.files += 1;
            let cat = s.categories.entry(k.category).or_default();
            cat.count += k.count;
        }
        let mut categories: Vec<_> = r.findings.iter().map(|k| k.category).collect();
        categories.sort();
        categories.dedup();
        for c in categories {
            s.categories.entry(c).or_default().files += 1;
        }
    }

    /// The summary so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Adds what the scan did with its store.
    pub fn set_store(&mut self, counts: StoreCounts) {
        self.summary.store = Some(counts);
    }

    /// Completes the summary.
    pub fn finish(mut self, finished_at: String, elapsed_seconds: f64) -> Summary {
        self.summary.finished_at = finished_at;
        if let Some(over) = &mut self.summary.over_retention {
            over.paths.sort();
        }
        self.summary.elapsed_seconds = elapsed_seconds;
        self.summary.mb_per_second = if elapsed_seconds > 0.0 {
            self.summary.bytes_scanned as f64 / 1e6 / elapsed_seconds
        } else {
            0.0
        };
        self.summary
    }
}
