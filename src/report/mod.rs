//! Writers: the inventory in one of its formats (one type per format behind [`RecordSink`]),
//! streamed record by record from the scan's one [`Consumer`] to a private [`Destination`]
//! written atomically; the summary fold; and the terminal's progress line and summary.

mod consumer;
mod csv;
mod destination;
mod json;
mod summary;
mod terminal;

use anyhow::Result;

use crate::inventory::{FileRecord, RetentionCheck, ScanHeader, Summary};
use crate::outcome::StoredRecord;

pub use consumer::Consumer;
pub use csv::{csv_writer, enum_name};
pub use destination::{Destination, exit_on_interrupt};
pub use summary::SummaryBuilder;
pub use terminal::{Progress, print_summary};

/// Inventory format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON document: `{schema_version, scan, files: [...], summary}`.
    Json,
    /// JSON Lines: a `header` line, one `file` line per record, a `summary` line.
    Jsonl,
    /// CSV of the file records for spreadsheets: UTF-8 with a byte-order mark, `;`-separated,
    /// one row per record (no header or summary).
    Csv,
}

/// Where an inventory's parts go, in order: the header, the records, the summary.
pub trait RecordSink {
    /// Writes the header.
    fn begin(&mut self, header: &ScanHeader) -> Result<()>;
    /// Writes one file record.
    fn record(&mut self, record: &FileRecord) -> Result<()>;
    /// Writes a record reused from the store: as stored, with its change and retention check
    /// (the bytes [`RecordSink::record`] writes for the same record).
    fn stored(&mut self, stored: &StoredRecord, retention: Option<&RetentionCheck>) -> Result<()>;
    /// Writes the summary and puts the inventory in place.
    fn finish(self: Box<Self>, summary: &Summary) -> Result<()>;
}

/// The writer of `format` to `out`.
pub fn sink(format: OutputFormat, out: Destination) -> Box<dyn RecordSink> {
    match format {
        OutputFormat::Json => Box::new(json::JsonDocument::new(out)),
        OutputFormat::Jsonl => Box::new(json::JsonLines::new(out)),
        OutputFormat::Csv => Box::new(csv::CsvRows::new(out)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::RecordDigest;

    /// A record with most fields set, `change` and `retention` included.
    fn record() -> FileRecord {
        serde_json::from_value(serde_json::json!({
            "path": "share/a\"b\\\\c.txt", "size": 10, "modified": "2024-01-01T00:00:00Z",
            "format": "text", "encoding": "utf-8", "status": "partial",
            "reason": {"code": "limit_exceeded", "message": "cut at 1 MB"},
            "personal_data": true,
            "findings": [{"kind": "email", "category": "contact", "personal": true, "count": 2,
                "distinct": 1, "max_confidence": "high",
                "samples": [{"masked": "j***@pasts.lv", "fingerprint": "ab",
                    "location": {"line": 3, "column": 1}, "confidence": "high",
                    "checks": ["public_suffix"]}]}],
            "children": {"under_18": 1, "age_unknown": 0}, "children_data": true,
            "change": {"state": "changed", "kinds": {"email": {"before": 1, "after": 2,
                "added": 1, "removed": 0}}},
            "retention": {"policy": "default", "period": "1y", "age_days": 1056,
                "over_retention": true}
        }))
        .unwrap()
    }

    /// What a writer in `format` writes for `write`.
    fn written(format: OutputFormat, write: impl FnOnce(&mut dyn RecordSink)) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let mut writer = sink(format, Destination::create(Some(&path)).unwrap());
        write(writer.as_mut());
        writer.finish(&Summary::default()).unwrap();
        std::fs::read(path).unwrap()
    }

    #[test]
    fn a_stored_record_is_written_as_the_record_itself() {
        let mut full = record();
        let stored = StoredRecord {
            json: full.to_stored_json().unwrap(),
            digest: RecordDigest::of(&full),
            change: full.change.clone(),
        };
        assert!(!stored.json.contains("change") && !stored.json.contains("retention"));
        for format in [OutputFormat::Json, OutputFormat::Jsonl, OutputFormat::Csv] {
            let direct = written(format, |w| {
                w.record(&full).unwrap();
                w.record(&full).unwrap();
            });
            let passed = written(format, |w| {
                w.stored(&stored, full.retention.as_ref()).unwrap();
                w.stored(&stored, full.retention.as_ref()).unwrap();
            });
            assert_eq!(
                String::from_utf8(passed).unwrap(),
                String::from_utf8(direct).unwrap(),
                "{format:?}"
            );
        }
        // Without a change or a retention check, nothing is appended.
        full.change = None;
        full.retention = None;
        let bare = StoredRecord {
            change: None,
            ..stored
        };
        let direct = written(OutputFormat::Json, |w| w.record(&full).unwrap());
        let passed = written(OutputFormat::Json, |w| w.stored(&bare, None).unwrap());
        assert_eq!(passed, direct);
    }

    #[test]
    fn a_digest_read_from_json_is_the_digest_of_the_record() {
        let mut full = record();
        let json = full.to_stored_json().unwrap();
        let read: RecordDigest = serde_json::from_str(&json).unwrap();
        assert_eq!(read, RecordDigest::of(&full));
        assert!(!read.member && read.reason.is_some() && read.children_data);
        full.inside = Some(crate::inventory::Inside {
            file: "share/a.zip".into(),
            members: vec!["b.txt".into()],
        });
        full.reason = None;
        let read: RecordDigest = serde_json::from_str(&full.to_stored_json().unwrap()).unwrap();
        assert_eq!(read, RecordDigest::of(&full));
        assert!(read.member && read.reason.is_none());
    }
}
