//! The JSON Schema of the inventory (`piimap schema`), generated from the record types, so it
//! cannot drift from what is written. `docs/inventory.schema.json` is a committed copy; a test
//! fails when they differ.

use schemars::JsonSchema;

use super::{FileRecord, ScanHeader, Summary};

/// The inventory as `--format json` writes it.
#[derive(JsonSchema)]
#[schemars(title = "piimap inventory", rename = "Inventory")]
#[allow(dead_code)] // Only its schema is used; the writer streams the parts.
struct Inventory {
    /// The inventory schema version.
    schema_version: u32,
    /// What ran, where, with which options.
    scan: ScanHeader,
    /// One record per file with findings or gaps (archive members included), in no
    /// particular order.
    files: Vec<FileRecord>,
    /// Totals over every file seen.
    summary: Summary,
}

/// The schema, pretty-printed JSON.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Inventory);
    serde_json::to_string_pretty(&schema).expect("a schema serialises")
}
