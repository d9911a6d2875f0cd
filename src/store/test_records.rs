//! Records for the store's unit tests.

use crate::inventory::{Category, Confidence, FileRecord, KindFindings};

/// A complete text record `a.txt` with the given finding counts per kind.
pub(super) fn record(counts: &[(&str, u64)]) -> FileRecord {
    let mut record: FileRecord = serde_json::from_value(serde_json::json!({
        "path": "a.txt", "size": 1, "modified": null, "format": "text",
        "status": "complete", "personal_data": true, "findings": []
    }))
    .unwrap();
    record.findings = counts
        .iter()
        .map(|(kind, count)| KindFindings {
            kind: kind.to_string(),
            category: Category::Identification,
            personal: true,
            count: *count,
            distinct: *count,
            distinct_capped: false,
            max_confidence: Confidence::High,
            samples: Vec::new(),
            values: None,
        })
        .collect();
    record
}
