//! CSV for spreadsheets: a UTF-8 byte-order mark, `;`-separated fields, as Excel opens them in
//! Latvian locales. The inventory as CSV (`--format csv`) is one row per file record.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::{Destination, RecordSink};
use crate::inventory::{FileRecord, RetentionCheck, ScanHeader, Summary};
use crate::outcome::StoredRecord;

/// One row per file record, under a row of column names (no header or summary).
pub struct CsvRows {
    out: Destination,
}

impl CsvRows {
    /// Rows written to `out`.
    pub fn new(out: Destination) -> CsvRows {
        CsvRows { out }
    }
}

impl RecordSink for CsvRows {
    fn begin(&mut self, _header: &ScanHeader) -> Result<()> {
        let names = csv_line(CSV_COLUMNS)?;
        self.out.write_all(UTF8_BOM.as_bytes())?;
        self.out.write_all(&names)?;
        Ok(())
    }

    fn record(&mut self, record: &FileRecord) -> Result<()> {
        let row = csv_row(record)?;
        self.out.write_all(&row)?;
        Ok(())
    }

    fn stored(&mut self, stored: &StoredRecord, retention: Option<&RetentionCheck>) -> Result<()> {
        let mut record: FileRecord = serde_json::from_str(&stored.json)?;
        record.change = stored.change.clone();
        record.retention = retention.cloned();
        self.record(&record)
    }

    fn finish(self: Box<Self>, _summary: &Summary) -> Result<()> {
        self.out.commit()
    }
}

/// A CSV writer as Excel opens it in Latvian locales: a UTF-8 byte-order mark, then
/// `;`-separated fields.
pub fn csv_writer(mut out: impl Write) -> Result<csv::Writer<impl Write>> {
    out.write_all(UTF8_BOM.as_bytes())?;
    Ok(csv_builder().from_writer(out))
}

/// The byte-order mark that tells Excel a CSV file is UTF-8.
const UTF8_BOM: &str = "\u{feff}";

/// `;`-separated CSV with a small buffer (a row is written at a time).
fn csv_builder() -> csv::WriterBuilder {
    let mut builder = csv::WriterBuilder::new();
    builder.delimiter(b';').buffer_capacity(1024);
    builder
}

/// One CSV line (`;`-separated, quoted where needed).
fn csv_line<I: AsRef<[u8]>>(fields: impl IntoIterator<Item = I>) -> Result<Vec<u8>> {
    let mut line = csv_builder().from_writer(Vec::new());
    line.write_record(fields)?;
    Ok(line.into_inner().map_err(|e| e.into_error())?)
}

/// The serialised name of a unit enum value (`complete`, `over_retention`...).
pub fn enum_name(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// One file record as a CSV row.
fn csv_row(record: &FileRecord) -> Result<Vec<u8>> {
    let kinds: Vec<String> = record
        .findings
        .iter()
        .map(|k| format!("{} {}", k.kind, k.count))
        .collect();
    let mut categories: Vec<&str> = record.findings.iter().map(|k| k.category.name()).collect();
    categories.sort_unstable();
    categories.dedup();
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    csv_line([
        record.path.as_str(),
        &record.format,
        &number(record.size),
        record.modified.as_deref().unwrap_or_default(),
        &enum_name(&record.status),
        &record
            .reason
            .as_ref()
            .map(|r| format!("{}: {}", enum_name(&r.code), r.message))
            .unwrap_or_default(),
        if record.personal_data { "yes" } else { "no" },
        &categories.join(", "),
        &kinds.join(", "),
        &number(record.children.map(|c| c.under_18)),
        &number(record.retention.as_ref().map(|r| r.age_days)),
        match &record.retention {
            Some(r) if r.over_retention => "yes",
            Some(_) => "no",
            None => "",
        },
        &record
            .change
            .as_ref()
            .map(|c| enum_name(&c.state))
            .unwrap_or_default(),
    ])
}

/// The CSV columns, in the order `csv_row` writes them.
const CSV_COLUMNS: [&str; 13] = [
    "path",
    "format",
    "size",
    "modified",
    "status",
    "reason",
    "personal_data",
    "categories",
    "kinds",
    "children_under_18",
    "age_days",
    "over_retention",
    "change",
];
