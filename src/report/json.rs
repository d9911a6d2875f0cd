//! The inventory as JSON: one document (`--format json`) or JSON Lines (`--format jsonl`).
//! Records reused from the store are written as stored, spliced with their change and
//! retention check, without being parsed again.

use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use super::{Destination, RecordSink};
use crate::inventory::{FileRecord, RetentionCheck, ScanHeader, Summary};
use crate::outcome::StoredRecord;

/// One JSON document: `{schema_version, scan, files: [...], summary}`.
pub struct JsonDocument {
    out: Destination,
    records: u64,
}

impl JsonDocument {
    /// A document written to `out`.
    pub fn new(out: Destination) -> JsonDocument {
        JsonDocument { out, records: 0 }
    }

    /// What goes before the next record: a newline, and a comma after the first.
    fn separator(&self) -> &'static [u8] {
        if self.records == 0 { b"\n" } else { b",\n" }
    }
}

impl RecordSink for JsonDocument {
    fn begin(&mut self, header: &ScanHeader) -> Result<()> {
        write!(
            self.out,
            "{{\"schema_version\":{},\"scan\":",
            header.schema_version
        )?;
        serde_json::to_writer(&mut self.out, header)?;
        self.out.write_all(b",\"files\":[")?;
        Ok(())
    }

    fn record(&mut self, record: &FileRecord) -> Result<()> {
        let separator = self.separator();
        self.out.write_all(separator)?;
        serde_json::to_writer(&mut self.out, record)?;
        self.records += 1;
        Ok(())
    }

    fn stored(&mut self, stored: &StoredRecord, retention: Option<&RetentionCheck>) -> Result<()> {
        let separator = self.separator();
        self.out.write_all(separator)?;
        write_spliced(&mut self.out, b"{", stored, retention)?;
        self.out.write_all(b"}")?;
        self.records += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>, summary: &Summary) -> Result<()> {
        self.out.write_all(b"\n],\"summary\":")?;
        serde_json::to_writer(&mut self.out, summary)?;
        self.out.write_all(b"}\n")?;
        self.out.commit()
    }
}

/// JSON Lines: a `header` line, one `file` line per record, a `summary` line.
pub struct JsonLines {
    out: Destination,
}

/// A JSON Lines line.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Line<'a> {
    Header(&'a ScanHeader),
    File(&'a FileRecord),
    Summary(&'a Summary),
}

impl JsonLines {
    /// Lines written to `out`.
    pub fn new(out: Destination) -> JsonLines {
        JsonLines { out }
    }

    fn line(&mut self, line: &Line<'_>) -> Result<()> {
        serde_json::to_writer(&mut self.out, line)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }
}

impl RecordSink for JsonLines {
    fn begin(&mut self, header: &ScanHeader) -> Result<()> {
        self.line(&Line::Header(header))
    }

    fn record(&mut self, record: &FileRecord) -> Result<()> {
        self.line(&Line::File(record))
    }

    fn stored(&mut self, stored: &StoredRecord, retention: Option<&RetentionCheck>) -> Result<()> {
        write_spliced(&mut self.out, b"{\"type\":\"file\",", stored, retention)?;
        self.out.write_all(b"}\n")?;
        Ok(())
    }

    fn finish(mut self: Box<Self>, summary: &Summary) -> Result<()> {
        self.line(&Line::Summary(summary))?;
        self.out.commit()
    }
}

/// Writes `opening`, then a stored record's fields as stored, then its change and retention
/// check as the last fields: the bytes serde writes for the same record, but for the closing
/// brace.
fn write_spliced(
    out: &mut impl Write,
    opening: &[u8],
    stored: &StoredRecord,
    retention: Option<&RetentionCheck>,
) -> Result<()> {
    let fields = stored
        .json
        .strip_prefix('{')
        .and_then(|j| j.strip_suffix('}'))
        .context("a stored record is not a JSON object")?;
    out.write_all(opening)?;
    out.write_all(fields.as_bytes())?;
    if let Some(change) = &stored.change {
        out.write_all(b",\"change\":")?;
        serde_json::to_writer(&mut *out, change)?;
    }
    if let Some(retention) = retention {
        out.write_all(b",\"retention\":")?;
        serde_json::to_writer(&mut *out, retention)?;
    }
    Ok(())
}
