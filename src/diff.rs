//! `piimap diff OLD NEW`: what changed between two inventories, without a store. Records are
//! matched by path; a record gone from one path and new at another with the same size,
//! modified time and findings is `moved`.
//!
//! An inventory lists only files with findings or gaps, so a file missing from NEW was deleted,
//! cleaned of personal data, or left outside NEW's roots: `removed` means "not listed any
//! more". Inventories carry counts and a few samples, not every fingerprint, so per kind
//! `added` and `removed` are lower bounds from the distinct counts (a store gives exact ones).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::inventory::{ChangeState, FileChange, FileRecord, KindChange, KindFindings};

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
    // Records gone from their path, by size and modified time: the candidates for a move.
    let mut gone: HashMap<MoveKey<'_>, Vec<&FileRecord>> = HashMap::new();
    for (path, record) in &before {
        if !after.contains_key(path) {
            gone.entry(move_key(record)).or_default().push(record);
        }
    }
    let mut files = Vec::new();
    for (path, record) in &after {
        let change = match before.get(path) {
            Some(previous) => {
                let kinds = kind_changes(&previous.findings, &record.findings);
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
            None => {
                let candidates = gone.get_mut(&move_key(record));
                let moved = candidates.and_then(|c| {
                    let i = c.iter().position(|g| same_content(g, record))?;
                    Some(c.swap_remove(i))
                });
                match moved {
                    Some(from) => FileChange {
                        moved_from: Some(from.path.clone()),
                        ..FileChange::plain(ChangeState::Moved)
                    },
                    None => FileChange {
                        kinds: kind_changes(&[], &record.findings),
                        ..FileChange::plain(ChangeState::New)
                    },
                }
            }
        };
        files.push(FileDiff {
            path: path.to_string(),
            change,
        });
    }
    for record in gone.into_values().flatten() {
        files.push(FileDiff {
            path: record.path.clone(),
            change: FileChange {
                kinds: kind_changes(&record.findings, &[]),
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

/// Size and modified time: a moved file keeps both.
type MoveKey<'a> = (Option<u64>, Option<&'a str>);

fn move_key(record: &FileRecord) -> MoveKey<'_> {
    (record.size, record.modified.as_deref())
}

/// The same file under another path (same size and modified time, which `move_key` already
/// matched): a known modified time, the same status and the same findings (counts and sample
/// fingerprints).
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
    a.modified.is_some() && a.status == b.status && fingerprints(a) == fingerprints(b)
}

/// Per kind: counts before and after; distinct values added and removed as lower bounds from
/// the distinct counts. Kinds without a difference are left out.
fn kind_changes(before: &[KindFindings], after: &[KindFindings]) -> BTreeMap<String, KindChange> {
    let distinct = |list: &[KindFindings], kind: &str| {
        list.iter()
            .find(|k| k.kind == kind)
            .map_or(0, |k| k.distinct)
    };
    let mut kinds = KindChange::counts(before, after);
    for (kind, change) in &mut kinds {
        let (was, is) = (distinct(before, kind), distinct(after, kind));
        change.added = is.saturating_sub(was);
        change.removed = was.saturating_sub(is);
    }
    kinds.retain(|_, c| c.is_change());
    kinds
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
