//! `piimap diff OLD NEW`: what changed between two inventories, without a store. Records are
//! matched by path; a record gone from one path and new at another with the same size,
//! modified time and findings is `moved`.
//!
//! An inventory lists only files with findings or gaps, so a file missing from NEW was deleted,
//! cleaned of personal data, or left outside NEW's roots: `removed` means "not listed any
//! more". Inventories carry counts and a few samples, not every fingerprint, so per kind
//! `added` and `removed` are lower bounds from the distinct counts (a store gives exact ones).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::inventory::{ChangeState, FileChange, FileRecord, KindChange};

/// The parts of an inventory a diff uses.
#[derive(Debug, Clone)]
pub struct Inventory {
    /// When its scan started.
    pub started_at: String,
    /// Its roots.
    pub roots: Vec<String>,
    /// Its file records.
    pub files: Vec<FileRecord>,
}

#[derive(Deserialize)]
struct Header {
    started_at: String,
    roots: Vec<String>,
}

#[derive(Deserialize)]
struct Document {
    scan: Header,
    files: Vec<FileRecord>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Line {
    Header(Header),
    File(Box<FileRecord>),
    Summary(serde::de::IgnoredAny),
}

impl Inventory {
    /// Reads an inventory written with `--format json` or `--format jsonl`.
    pub fn read(path: &Path) -> Result<Inventory> {
        let file = std::fs::File::open(path)
            .with_context(|| format!("cannot open the inventory {}", path.display()))?;
        let mut reader = BufReader::new(file);
        let jsonl = reader.fill_buf()?.starts_with(b"{\"type\"");
        let context = || format!("{} is not a piimap inventory", path.display());
        if !jsonl {
            let doc: Document = serde_json::from_reader(reader).with_context(context)?;
            return Ok(Inventory {
                started_at: doc.scan.started_at,
                roots: doc.scan.roots,
                files: doc.files,
            });
        }
        let mut header = None;
        let mut files = Vec::new();
        for line in reader.lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(&line).with_context(context)? {
                Line::Header(h) => header = Some(h),
                Line::File(f) => files.push(*f),
                Line::Summary(_) => {}
            }
        }
        let Some(header) = header else {
            bail!("{}: no header line", path.display());
        };
        Ok(Inventory {
            started_at: header.started_at,
            roots: header.roots,
            files,
        })
    }
}

/// One side of a diff.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// When its scan started.
    pub started_at: String,
    /// Its roots.
    pub roots: Vec<String>,
    /// Records listed.
    pub files: usize,
}

/// One file's change.
#[derive(Debug, Clone, Serialize)]
pub struct FileDiff {
    /// The path in NEW (in OLD for `removed`).
    pub path: String,
    /// The change.
    #[serde(flatten)]
    pub change: FileChange,
}

/// The diff of two inventories.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The earlier inventory.
    pub old: Side,
    /// The later inventory.
    pub new: Side,
    /// Files per state.
    pub counts: BTreeMap<ChangeState, u64>,
    /// Files that changed (all files with `--all`), sorted by path.
    pub files: Vec<FileDiff>,
}

/// Compares two inventories; `all` also lists unchanged files.
pub fn compare(old: &Inventory, new: &Inventory, all: bool) -> Diff {
    let before: BTreeMap<&str, &FileRecord> =
        old.files.iter().map(|r| (r.path.as_str(), r)).collect();
    let after: BTreeMap<&str, &FileRecord> =
        new.files.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut files = Vec::new();
    let mut gone: Vec<&FileRecord> = before
        .iter()
        .filter(|(path, _)| !after.contains_key(*path))
        .map(|(_, r)| *r)
        .collect();
    for (path, record) in &after {
        let change = match before.get(path) {
            Some(previous) => {
                let kinds = kind_changes(previous, record);
                let same = kinds.is_empty()
                    && previous.status == record.status
                    && previous.size == record.size
                    && previous.modified == record.modified;
                FileChange {
                    state: if same {
                        ChangeState::Unchanged
                    } else {
                        ChangeState::Changed
                    },
                    moved_from: None,
                    kinds,
                }
            }
            None => match gone.iter().position(|g| same_content(g, record)) {
                Some(i) => FileChange {
                    moved_from: Some(gone.swap_remove(i).path.clone()),
                    ..FileChange::plain(ChangeState::Moved)
                },
                None => FileChange {
                    kinds: kind_changes(&empty_like(record), record),
                    ..FileChange::plain(ChangeState::New)
                },
            },
        };
        files.push(FileDiff {
            path: path.to_string(),
            change,
        });
    }
    for record in gone {
        files.push(FileDiff {
            path: record.path.clone(),
            change: FileChange {
                kinds: kind_changes(record, &empty_like(record)),
                ..FileChange::plain(ChangeState::Removed)
            },
        });
    }
    let mut counts = BTreeMap::new();
    for f in &files {
        *counts.entry(f.change.state).or_default() += 1;
    }
    files.retain(|f| all || f.change.state != ChangeState::Unchanged);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Diff {
        old: side(old),
        new: side(new),
        counts,
        files,
    }
}

fn side(inventory: &Inventory) -> Side {
    Side {
        started_at: inventory.started_at.clone(),
        roots: inventory.roots.clone(),
        files: inventory.files.len(),
    }
}

/// A record like `record` with no findings.
fn empty_like(record: &FileRecord) -> FileRecord {
    FileRecord {
        findings: Vec::new(),
        ..record.clone()
    }
}

/// The same file under another path: size, modified time, status and findings (counts and
/// sample fingerprints) all equal.
fn same_content(a: &FileRecord, b: &FileRecord) -> bool {
    let fingerprints = |r: &FileRecord| -> BTreeSet<(String, u64, Vec<String>)> {
        r.findings
            .iter()
            .map(|k| {
                let samples = k.samples.iter().map(|s| s.fingerprint.clone()).collect();
                (k.kind.clone(), k.count, samples)
            })
            .collect()
    };
    a.size == b.size
        && a.modified.is_some()
        && a.modified == b.modified
        && a.status == b.status
        && fingerprints(a) == fingerprints(b)
}

/// Per kind: counts before and after; distinct values added and removed as lower bounds from
/// the distinct counts. Kinds without a difference are left out.
fn kind_changes(before: &FileRecord, after: &FileRecord) -> BTreeMap<String, KindChange> {
    let mut kinds: BTreeMap<String, (KindChange, u64, u64)> = BTreeMap::new();
    for k in &before.findings {
        let entry = kinds.entry(k.kind.clone()).or_default();
        entry.0.before = k.count;
        entry.1 = k.distinct;
    }
    for k in &after.findings {
        let entry = kinds.entry(k.kind.clone()).or_default();
        entry.0.after = k.count;
        entry.2 = k.distinct;
    }
    kinds
        .into_iter()
        .map(|(kind, (mut change, distinct_before, distinct_after))| {
            change.added = distinct_after.saturating_sub(distinct_before);
            change.removed = distinct_before.saturating_sub(distinct_after);
            (kind, change)
        })
        .filter(|(_, c)| c.before != c.after || c.added > 0 || c.removed > 0)
        .collect()
}

/// The diff as CSV: one row per file and changed kind.
pub fn write_csv(diff: &Diff, out: &mut dyn Write) -> Result<()> {
    let mut csv = crate::report::csv_writer(out)?;
    csv.write_record([
        "path",
        "state",
        "moved_from",
        "kind",
        "before",
        "after",
        "added",
        "removed",
    ])?;
    for f in &diff.files {
        let state = crate::report::enum_name(&f.change.state);
        let moved_from = f.change.moved_from.clone().unwrap_or_default();
        if f.change.kinds.is_empty() {
            csv.write_record([&f.path, &state, &moved_from, "", "", "", "", ""])?;
        }
        for (kind, c) in &f.change.kinds {
            csv.write_record([
                &f.path,
                &state,
                &moved_from,
                kind,
                &c.before.to_string(),
                &c.after.to_string(),
                &c.added.to_string(),
                &c.removed.to_string(),
            ])?;
        }
    }
    csv.flush()?;
    Ok(())
}
