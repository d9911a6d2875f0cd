//! The store's writer: one per scan, on the thread that consumes outcomes. It records each
//! file on disk with its members, sets each record's `change` against what was stored, and at
//! the end removes the files the scan did not see.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::rows::{occurrences_of, records_of};
use super::{connect, schema};
use crate::inventory::{
    ChangeState, FileChange, FileRecord, KindChange, Occurrence, Status, StoreCounts,
};
use crate::outcome::{DiskState, FileOutcome, Moved, ScanRecorder, StoredFile};

/// Commit at least this often while a scan runs (an interruption loses at most this much)...
const COMMIT_EVERY: Duration = Duration::from_secs(1);
/// ... or after this many files on disk.
const COMMIT_FILES: usize = 500;

/// The store's writer: one per scan, on the thread that consumes outcomes.
pub struct Store {
    conn: Connection,
    scan_id: i64,
    /// The last scan that finished before this one: changes recorded after it (by an
    /// interrupted scan) are still news.
    baseline: i64,
    /// The key of the records this scan makes (`ScanOptions::records_key`).
    records_key: String,
    /// The scan's roots: files under them that it does not see are gone.
    roots: Vec<PathBuf>,
    since_commit: usize,
    last_commit: Instant,
    /// What this scan did with the store.
    counts: StoreCounts,
}

/// What a scan tells its store when it starts.
#[derive(Debug, Clone, Copy)]
pub struct ScanStart<'a> {
    /// When it started (RFC 3339).
    pub started_at: &'a str,
    /// Its roots.
    pub roots: &'a [PathBuf],
    /// The key of the records it makes: stored records of another key are not reused.
    pub records_key: &'a str,
    /// A digest of its fingerprint key (`find` refuses a store made with another key).
    pub key_check: &'a str,
    /// Its retention policies, as the header records them.
    pub retention: &'a [String],
}

impl Store {
    /// Opens (creating or upgrading) the store and starts a scan in it.
    pub fn begin(path: &Path, scan: ScanStart<'_>) -> Result<Store> {
        let mut conn = connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // A 64 MiB page cache: inserts into a large store stay in memory until commit.
        conn.pragma_update(None, "cache_size", -65_536)?;
        schema::migrate(&mut conn)?;
        let root_names: Vec<String> = scan.roots.iter().map(|r| r.display().to_string()).collect();
        conn.execute(
            "INSERT INTO scans (started_at, roots, options_key, key_check, retention)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                scan.started_at,
                serde_json::to_string(&root_names)?,
                scan.records_key,
                scan.key_check,
                serde_json::to_string(scan.retention)?
            ],
        )?;
        let scan_id = conn.last_insert_rowid();
        let baseline = schema::last_finished(&conn, scan_id)?;
        conn.execute_batch("BEGIN")?;
        Ok(Store {
            conn,
            scan_id,
            baseline,
            records_key: scan.records_key.to_string(),
            roots: scan.roots.to_vec(),
            since_commit: 0,
            last_commit: Instant::now(),
            counts: StoreCounts::default(),
        })
    }

    /// The id of this scan.
    pub fn scan_id(&self) -> i64 {
        self.scan_id
    }

    /// Whether the last finished scan used another fingerprint key than `key_check` says.
    pub fn baseline_key_differs(&self, key_check: &str) -> Result<bool> {
        let previous: Option<String> = self
            .conn
            .query_row(
                "SELECT key_check FROM scans WHERE id = ?1",
                [self.baseline],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok(previous.is_some_and(|p| p != key_check))
    }
}

impl ScanRecorder for Store {
    /// Records one file on disk with its members (`group`: members first, the file last) and
    /// sets each record's `change`. Returns records of members that were there before and are
    /// gone now (as last seen, marked `removed`).
    fn record_group(&mut self, group: &mut [FileOutcome]) -> Result<Vec<FileRecord>> {
        let Some(disk) = group.last().and_then(|o| o.disk.clone()) else {
            return Ok(Vec::new());
        };
        let moved = group.last().and_then(|o| o.moved.clone());
        let removed = match moved {
            Some(moved) => {
                self.keep_moved(&disk, &moved, group)?;
                self.counts.reused += 1;
                self.counts.moved += 1;
                Vec::new()
            }
            None => {
                self.counts.read += 1;
                self.replace(&disk, group)?
            }
        };
        self.file_done()?;
        Ok(removed)
    }

    /// Records that an unchanged file was seen in this scan.
    fn record_unchanged(&mut self, file: &StoredFile) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE files SET last_seen_scan = ?2 WHERE id = ?1")?
            .execute(params![file.file_id, self.scan_id])?;
        self.counts.reused += 1;
        self.file_done()
    }

    /// Ends the scan: files under its roots that it did not see are removed from the store
    /// and returned (their records as last seen that had personal data or gaps, marked
    /// `removed`), with what the scan did with the store. A scan that stops early (an error,
    /// an interrupt) never gets here: it removes nothing, and its batches stay committed.
    fn finish(mut self: Box<Self>, finished_at: &str) -> Result<(Vec<FileRecord>, StoreCounts)> {
        let mut removed = Vec::new();
        let stale: Vec<(i64, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id, path_text FROM files WHERE last_seen_scan < ?1")?;
            let rows = stmt.query_map([self.scan_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (file_id, path) in stale {
            if !self
                .roots
                .iter()
                .any(|root| Path::new(&path).starts_with(root))
            {
                continue;
            }
            self.counts.removed += 1;
            for mut record in records_of(&self.conn, file_id)? {
                if record.is_listed() {
                    record.change = Some(FileChange::plain(ChangeState::Removed));
                    removed.push(record);
                }
            }
            self.conn
                .execute("DELETE FROM files WHERE id = ?1", [file_id])?;
        }
        self.conn.execute(
            "UPDATE scans SET finished_at = ?2 WHERE id = ?1",
            params![self.scan_id, finished_at],
        )?;
        self.conn.execute_batch("COMMIT")?;
        Ok((removed, self.counts))
    }
}

impl Store {
    /// Commits when a batch is full or old enough.
    fn file_done(&mut self) -> Result<()> {
        self.since_commit += 1;
        if self.since_commit >= COMMIT_FILES || self.last_commit.elapsed() >= COMMIT_EVERY {
            self.conn.execute_batch("COMMIT; BEGIN")?;
            self.since_commit = 0;
            self.last_commit = Instant::now();
        }
        Ok(())
    }

    /// A file found under a new path: its records now carry that path and the `moved` change.
    fn keep_moved(
        &mut self,
        disk: &DiskState,
        moved: &Moved,
        group: &mut [FileOutcome],
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE files SET path = ?2, path_text = ?3, last_seen_scan = ?4, change_scan = ?4
             WHERE id = ?1",
            params![moved.file_id, disk.path, disk.path_text, self.scan_id],
        )?;
        self.conn
            .execute("DELETE FROM records WHERE file_id = ?1", [moved.file_id])?;
        self.conn
            .execute("DELETE FROM findings WHERE file_id = ?1", [moved.file_id])?;
        self.insert_records(moved.file_id, group)
    }

    /// A file read now: compares with what was stored, then replaces it.
    fn replace(&mut self, disk: &DiskState, group: &mut [FileOutcome]) -> Result<Vec<FileRecord>> {
        let previous: Option<(i64, DiskState)> = self
            .conn
            .prepare_cached(
                "SELECT id, size, modified_ns, device, inode FROM files WHERE path = ?1",
            )?
            .query_row([&disk.path], |r| {
                Ok((
                    r.get(0)?,
                    DiskState {
                        path: disk.path.clone(),
                        path_text: disk.path_text.clone(),
                        size: r.get::<_, i64>(1)? as u64,
                        modified_ns: r.get(2)?,
                        device: r.get::<_, i64>(3)? as u64,
                        inode: r.get::<_, i64>(4)? as u64,
                    },
                ))
            })
            .optional()?;
        let mut gone = Vec::new();
        match &previous {
            None => {
                for outcome in group.iter_mut() {
                    outcome.record.change = Some(FileChange::plain(ChangeState::New));
                }
            }
            Some((file_id, before)) => {
                let state = if before == disk {
                    ChangeState::Unchanged
                } else {
                    ChangeState::Changed
                };
                let mut occurrences = occurrences_of(&self.conn, *file_id)?;
                // Stored records by path, each with its `(kind, fingerprint, place)` set.
                let mut old: BTreeMap<String, (FileRecord, BTreeSet<OccurrenceKey>)> =
                    records_of(&self.conn, *file_id)?
                        .into_iter()
                        .enumerate()
                        .map(|(ordinal, record)| {
                            let keys = occurrences
                                .remove(&(ordinal as i64))
                                .unwrap_or_default()
                                .into_iter()
                                .map(|o| (o.kind, o.fingerprint, o.logical))
                                .collect();
                            (record.path.clone(), (record, keys))
                        })
                        .collect();
                for outcome in group.iter_mut() {
                    let change = match old.remove(&outcome.record.path) {
                        None => FileChange::plain(ChangeState::New),
                        Some((previous, before)) => FileChange {
                            state,
                            moved_from: None,
                            kinds: kind_changes(
                                &previous,
                                &outcome.record,
                                &before,
                                &outcome.occurrences,
                            ),
                        },
                    };
                    outcome.record.change = Some(change);
                }
                for (_, (mut record, _)) in old {
                    record.change = Some(FileChange::plain(ChangeState::Removed));
                    gone.push(record);
                }
                self.conn
                    .prepare_cached("DELETE FROM files WHERE id = ?1")?
                    .execute([file_id])?;
            }
        }
        let reusable = group
            .last()
            .is_some_and(|o| o.record.status != Status::Error);
        let recount_on = group.iter().filter_map(|o| o.recount_on).min();
        self.conn
            .prepare_cached(
                "INSERT INTO files (path, path_text, size, modified_ns, device, inode, options_key,
                                reusable, last_seen_scan, change_scan, recount_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)",
            )?
            .execute(params![
                disk.path,
                disk.path_text,
                disk.size as i64,
                disk.modified_ns,
                disk.device as i64,
                disk.inode as i64,
                self.records_key,
                reusable,
                self.scan_id,
                recount_on
            ])?;
        let file_id = self.conn.last_insert_rowid();
        self.insert_records(file_id, group)?;
        Ok(gone)
    }

    /// Stores a group's records and their occurrences.
    fn insert_records(&self, file_id: i64, group: &mut [FileOutcome]) -> Result<()> {
        let mut records = self.conn.prepare_cached(
            "INSERT INTO records (file_id, ordinal, path, record, change)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut findings = self.conn.prepare_cached(
            "INSERT INTO findings (file_id, ordinal, kind, fingerprint, logical, location)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (ordinal, outcome) in group.iter_mut().enumerate() {
            let record = &mut outcome.record;
            let change = record
                .change
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?;
            let json = record.to_stored_json()?;
            records.execute(params![file_id, ordinal as i64, record.path, json, change])?;
            for o in &outcome.occurrences {
                findings.execute(params![
                    file_id,
                    ordinal as i64,
                    o.kind,
                    o.fingerprint,
                    o.logical,
                    serde_json::to_string(&o.location)?
                ])?;
            }
        }
        Ok(())
    }
}

/// `(kind, fingerprint, logical place)`.
type OccurrenceKey = (String, String, String);

/// Per-kind changes between a record before and now: counts, and distinct values at their
/// logical place added and removed. Kinds without a difference are left out.
fn kind_changes(
    before: &FileRecord,
    after: &FileRecord,
    before_occurrences: &BTreeSet<OccurrenceKey>,
    after_occurrences: &[Occurrence],
) -> BTreeMap<String, KindChange> {
    let now: BTreeSet<OccurrenceKey> = after_occurrences
        .iter()
        .map(|o| (o.kind.clone(), o.fingerprint.clone(), o.logical.clone()))
        .collect();
    let mut kinds = KindChange::counts(&before.findings, &after.findings);
    for key in now.difference(before_occurrences) {
        kinds.entry(key.0.clone()).or_default().added += 1;
    }
    for key in before_occurrences.difference(&now) {
        kinds.entry(key.0.clone()).or_default().removed += 1;
    }
    kinds.retain(|_, c| c.is_change());
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Location;
    use crate::store::test_records::record;

    fn occurrence(kind: &str, fingerprint: &str, logical: &str) -> Occurrence {
        Occurrence {
            kind: kind.into(),
            fingerprint: fingerprint.into(),
            logical: logical.into(),
            location: Location::default(),
        }
    }

    #[test]
    fn kind_changes_count_values_at_their_place_and_leave_out_the_unchanged() {
        let before_set: BTreeSet<OccurrenceKey> = [
            ("lv_personal_code".into(), "aa".into(), "Saraksts!C2".into()),
            ("email".into(), "bb".into(), String::new()),
        ]
        .into();
        let after = [
            // The same code in another cell: one removed, one added.
            occurrence("lv_personal_code", "aa", "Saraksts!C3"),
            occurrence("email", "bb", ""),
        ];
        let changes = kind_changes(
            &record(&[("lv_personal_code", 1), ("email", 1)]),
            &record(&[("lv_personal_code", 1), ("email", 1)]),
            &before_set,
            &after,
        );
        assert_eq!(
            changes,
            BTreeMap::from([(
                "lv_personal_code".to_string(),
                KindChange {
                    before: 1,
                    after: 1,
                    added: 1,
                    removed: 1
                }
            )])
        );
    }
}
