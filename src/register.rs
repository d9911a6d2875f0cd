//! The register view (`piimap report --store FILE`): a store's records folded per folder (to a
//! depth below the scan root) and register category: files, findings, distinct people, oldest
//! and newest file, files over retention, files with children's data. These are the "where is
//! the data" columns of a GDPR processing register.
//!
//! Distinct people are distinct values by fingerprint within the folder and category: a person
//! with an e-mail and a phone counts once under each, two people sharing a phone count once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use anyhow::Result;
use serde::Serialize;

use crate::inventory::{Category, FileRecord};
use crate::retention::{Retention, parse_period, parse_retention_policy};
use crate::store::{FinishedScan, StoreQueries};

/// One folder × category row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegisterRow {
    /// The folder (the scan root and up to `depth` folders below it).
    pub folder: String,
    /// Register category.
    pub category: String,
    /// Files (archive members and attachments count as files) with findings of the category.
    pub files: u64,
    /// Findings of the category.
    pub findings: u64,
    /// Distinct values of the category (by fingerprint).
    pub distinct_persons: u64,
    /// Last-modified time of the oldest file, RFC 3339.
    pub oldest: Option<String>,
    /// Last-modified time of the newest file.
    pub newest: Option<String>,
    /// Files over their retention period (with the retention policies of the last scan).
    pub over_retention: u64,
    /// Files with personal codes of people under 18 (as of the file's last read).
    pub files_with_children_data: u64,
}

/// The register view of a store.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterView {
    /// When the last finished scan started.
    pub scan_started_at: String,
    /// Its roots.
    pub roots: Vec<String>,
    /// Its retention policies (`GLOB=PERIOD`, `default=PERIOD`).
    pub retention: Vec<String>,
    /// Folder depth below the root.
    pub depth: usize,
    /// Rows, by folder and category.
    pub rows: Vec<RegisterRow>,
}

/// Builds the register view of the store at `path`, grouping folders `depth` levels below
/// the roots; retention ages are measured at `now`.
pub fn from_store(path: &Path, depth: usize, now: SystemTime) -> Result<RegisterView> {
    let store = StoreQueries::open(path, false)?;
    let FinishedScan {
        started_at,
        roots,
        retention: policies,
    } = store.last_finished_scan(path)?;
    let retention = retention_of(&policies, now)?;

    let mut rows: BTreeMap<(String, Category), (RegisterRow, HashSet<String>)> = BTreeMap::new();
    // Each record's folder, by (file id, ordinal), and each kind's category.
    let mut folders: HashMap<(i64, i64), String> = HashMap::new();
    let mut categories: HashMap<String, Category> = HashMap::new();
    store.for_each_record(|(file_id, ordinal), record| {
        let folder = folder_of(&record, &roots, depth);
        let over = retention
            .as_ref()
            .and_then(|r| {
                r.check(
                    &record.path,
                    record.modified.as_deref(),
                    record.personal_data,
                )
            })
            .is_some_and(|c| c.over_retention);
        let mut seen = HashSet::new();
        for k in record.findings.iter().filter(|k| k.personal) {
            categories.insert(k.kind.clone(), k.category);
            let (row, _) = rows.entry((folder.clone(), k.category)).or_insert_with(|| {
                (
                    RegisterRow {
                        folder: folder.clone(),
                        category: k.category.name().to_string(),
                        ..RegisterRow::default()
                    },
                    HashSet::new(),
                )
            });
            row.findings += k.count;
            if seen.insert(k.category) {
                row.files += 1;
                row.over_retention += u64::from(over);
                row.files_with_children_data += u64::from(record.children_data);
                if let Some(modified) = &record.modified {
                    if row.oldest.as_ref().is_none_or(|o| modified < o) {
                        row.oldest = Some(modified.clone());
                    }
                    if row.newest.as_ref().is_none_or(|n| modified > n) {
                        row.newest = Some(modified.clone());
                    }
                }
            }
        }
        if !seen.is_empty() {
            folders.insert((file_id, ordinal), folder);
        }
    })?;
    store.for_each_finding(|key, kind, fingerprint| {
        let (Some(folder), Some(category)) = (folders.get(&key), categories.get(kind)) else {
            return;
        };
        if let Some((_, values)) = rows.get_mut(&(folder.clone(), *category)) {
            values.insert(fingerprint);
        }
    })?;
    Ok(RegisterView {
        scan_started_at: started_at,
        roots,
        retention: policies,
        depth,
        rows: rows
            .into_values()
            .map(|(mut row, values)| {
                row.distinct_persons = values.len() as u64;
                row
            })
            .collect(),
    })
}

/// The retention policies recorded with a scan, compiled.
fn retention_of(policies: &[String], now: SystemTime) -> Result<Option<Retention>> {
    let mut parsed = Vec::new();
    let mut default = None;
    for p in policies {
        match p.strip_prefix("default=") {
            Some(period) => default = Some(parse_period(period).map_err(anyhow::Error::msg)?),
            None => parsed.push(parse_retention_policy(p).map_err(anyhow::Error::msg)?),
        }
    }
    Retention::new(parsed, default, now)
}

/// The folder a record is counted under: the root it is under and up to `depth` folders
/// below it (a member counts under its file's folder).
fn folder_of(record: &FileRecord, roots: &[String], depth: usize) -> String {
    let on_disk = record
        .inside
        .as_ref()
        .map_or(record.path.as_str(), |i| i.file.as_str());
    let dir = Path::new(on_disk).parent().unwrap_or(Path::new(""));
    let root = roots
        .iter()
        .filter(|r| dir.starts_with(r))
        .max_by_key(|r| r.len());
    let (base, rest) = match root {
        Some(root) => (
            Path::new(root).to_path_buf(),
            dir.strip_prefix(root).unwrap_or(Path::new("")),
        ),
        None => (Path::new("").to_path_buf(), dir),
    };
    let mut folder = base;
    for part in rest.components().take(depth) {
        folder.push(part);
    }
    folder.to_string_lossy().into_owned()
}

/// The view as CSV (UTF-8 with BOM, `;`), one row per folder and category.
pub fn write_csv(view: &RegisterView, out: &mut dyn Write) -> Result<()> {
    let mut csv = crate::report::csv_writer(out)?;
    csv.write_record([
        "folder",
        "category",
        "files",
        "findings",
        "distinct_persons",
        "oldest",
        "newest",
        "over_retention",
        "files_with_children_data",
    ])?;
    for row in &view.rows {
        csv.write_record([
            row.folder.as_str(),
            &row.category,
            &row.files.to_string(),
            &row.findings.to_string(),
            &row.distinct_persons.to_string(),
            row.oldest.as_deref().unwrap_or_default(),
            row.newest.as_deref().unwrap_or_default(),
            &row.over_retention.to_string(),
            &row.files_with_children_data.to_string(),
        ])?;
    }
    csv.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, inside: Option<&str>) -> FileRecord {
        let mut r: FileRecord = serde_json::from_value(serde_json::json!({
            "path": path, "size": 1, "modified": null, "format": "text",
            "status": "complete", "personal_data": true, "findings": []
        }))
        .unwrap();
        r.inside = inside.map(|file| crate::inventory::Inside {
            file: file.into(),
            members: vec!["x".into()],
        });
        r
    }

    #[test]
    fn folders_are_cut_at_the_depth_below_the_longest_root() {
        let roots = ["share".to_string(), "share/HR".to_string()];
        assert_eq!(
            folder_of(&record("share/a/b/c/f.txt", None), &roots, 2),
            "share/a/b"
        );
        assert_eq!(folder_of(&record("share/f.txt", None), &roots, 2), "share");
        assert_eq!(
            folder_of(&record("share/HR/x/y/z.txt", None), &roots, 1),
            "share/HR/x"
        );
        assert_eq!(
            folder_of(
                &record("share/a/z.zip!/x", Some("share/a/z.zip")),
                &roots,
                3
            ),
            "share/a"
        );
        assert_eq!(folder_of(&record("/elsewhere/f.txt", None), &roots, 0), "");
    }
}
