//! The store (`--store FILE`): an SQLite database of scans, files on disk, their records and
//! the fingerprints of what they hold. A re-scan reads again only files whose size, modified
//! time or identity changed (or everything, when the rules or options that shape findings
//! changed); the rest keep their records. Each record says how it changed since the previous
//! scan. Raw personal values are never stored: only keyed fingerprints.
//!
//! One writer (`Store`, on the scan's consumer thread) and one read connection per worker
//! (`StoreReader`); WAL mode lets them run side by side. The writer commits in batches, so an
//! interrupted scan loses at most its last batch, and the next run reuses everything committed.
//! The schema is in `docs/store.md`; `MIGRATIONS` upgrades older stores in place.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::inventory::{ChangeState, FileChange, FileRecord, KindChange, Occurrence, StoreCounts};
use crate::outcome::{DiskState, FileOutcome, Group, Moved, PastScans, StoredFile, StoredRecord};

/// Schema migrations, in order; `PRAGMA user_version` is how many have run.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE scans (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    roots       TEXT NOT NULL,
    options_key TEXT NOT NULL
);
CREATE TABLE files (
    id             INTEGER PRIMARY KEY,
    path           BLOB NOT NULL UNIQUE,
    path_text      TEXT NOT NULL,
    size           INTEGER NOT NULL,
    modified_ns    INTEGER NOT NULL,
    device         INTEGER NOT NULL,
    inode          INTEGER NOT NULL,
    options_key    TEXT NOT NULL,
    reusable       INTEGER NOT NULL,
    last_seen_scan INTEGER NOT NULL REFERENCES scans(id),
    change_scan    INTEGER NOT NULL REFERENCES scans(id)
);
CREATE INDEX files_identity ON files(device, inode);
CREATE TABLE records (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    path    TEXT NOT NULL,
    record  TEXT NOT NULL,
    PRIMARY KEY (file_id, ordinal)
);
CREATE TABLE findings (
    file_id     INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    ordinal     INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    logical     TEXT NOT NULL,
    location    TEXT NOT NULL
);
CREATE INDEX findings_file ON findings(file_id);
"#,
    r#"
ALTER TABLE scans ADD COLUMN key_check TEXT;
ALTER TABLE scans ADD COLUMN retention TEXT;
ALTER TABLE files ADD COLUMN recount_on INTEGER;
"#,
    // Records are kept without `change` (now a column of its own) so that a re-scan writes
    // them out as stored.
    r#"
ALTER TABLE records ADD COLUMN change TEXT;
UPDATE records SET change = json_extract(record, '$.change'),
                   record = json_remove(record, '$.change', '$.retention');
"#,
];

/// Commit at least this often while a scan runs (an interruption loses at most this much)...
const COMMIT_EVERY: Duration = Duration::from_secs(1);
/// ... or after this many files on disk.
const COMMIT_FILES: usize = 500;

/// Opens a connection with the store's settings.
fn connect(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)
        .with_context(|| format!("cannot open the store {}", path.display()))?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
    // Query-planner stability: otherwise a statement whose plan may depend on a bound value
    // (`recount_on > ?`) is compiled again every time it is reused with new values.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(conn)
}

/// Opens an existing store to answer questions (`find`, `report`): read-write when `writable`
/// and allowed (to build an index), else read-only. A missing store, or one whose schema is
/// older than the questions need, is an error that says what to do.
pub fn open_existing(path: &Path, writable: bool) -> Result<Connection> {
    if !path.is_file() {
        anyhow::bail!("{}: no such store", path.display());
    }
    let read_only = || connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY);
    let conn = match writable {
        true => connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE).or_else(|_| read_only())?,
        false => read_only()?,
    };
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if (version as usize) < MIGRATIONS.len() {
        anyhow::bail!(
            "{}: the store is from an older piimap; run `piimap scan --store` once to upgrade it",
            path.display()
        );
    }
    Ok(conn)
}

/// The id of the last scan that finished before scan `before`, or 0.
fn last_finished(conn: &Connection, before: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(id), 0) FROM scans WHERE finished_at IS NOT NULL AND id < ?1",
        [before],
        |r| r.get(0),
    )?)
}

/// The store's writer: one per scan, on the thread that consumes outcomes.
pub struct Store {
    conn: Connection,
    scan_id: i64,
    /// The last scan that finished before this one: changes recorded after it (by an
    /// interrupted scan) are still news.
    baseline: i64,
    options_key: String,
    since_commit: usize,
    last_commit: Instant,
    /// What this scan did with the store.
    pub counts: StoreCounts,
}

impl Store {
    /// Opens (creating or upgrading) the store and starts a scan in it.
    pub fn begin(
        path: &Path,
        started_at: &str,
        roots: &[String],
        options_key: &str,
        key_check: &str,
        retention: &[String],
    ) -> Result<Store> {
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
        migrate(&mut conn)?;
        conn.execute(
            "INSERT INTO scans (started_at, roots, options_key, key_check, retention)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                started_at,
                serde_json::to_string(roots)?,
                options_key,
                key_check,
                serde_json::to_string(retention)?
            ],
        )?;
        let scan_id = conn.last_insert_rowid();
        let baseline = last_finished(&conn, scan_id)?;
        conn.execute_batch("BEGIN")?;
        Ok(Store {
            conn,
            scan_id,
            baseline,
            options_key: options_key.to_string(),
            since_commit: 0,
            last_commit: Instant::now(),
            counts: StoreCounts::default(),
        })
    }

    /// Records one file on disk with its members (`group`: members first, the file last) and
    /// sets each record's `change`. Returns records of members that were there before and are
    /// gone now (as last seen, marked `removed`).
    pub fn record_group(&mut self, group: &mut [FileOutcome]) -> Result<Vec<FileRecord>> {
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
    pub fn record_unchanged(&mut self, file: &StoredFile) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE files SET last_seen_scan = ?2 WHERE id = ?1")?
            .execute(params![file.file_id, self.scan_id])?;
        self.counts.reused += 1;
        self.file_done()
    }

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
            .is_some_and(|o| o.record.status != crate::inventory::Status::Error);
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
                self.options_key,
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

    /// Ends the scan. When it covered its roots to the end (`complete`), files under `roots`
    /// that it did not see are removed from the store and returned (their records as last
    /// seen that had personal data or gaps, marked `removed`).
    pub fn finish(
        mut self,
        finished_at: &str,
        roots: &[PathBuf],
        complete: bool,
    ) -> Result<(Vec<FileRecord>, StoreCounts)> {
        let mut removed = Vec::new();
        if complete {
            let stale: Vec<(i64, String)> = {
                let mut stmt = self
                    .conn
                    .prepare("SELECT id, path_text FROM files WHERE last_seen_scan < ?1")?;
                let rows = stmt.query_map([self.scan_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for (file_id, path) in stale {
                if !roots.iter().any(|root| Path::new(&path).starts_with(root)) {
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
        }
        self.conn.execute_batch("COMMIT")?;
        Ok((removed, self.counts))
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

    /// The scan whose records count as "before" for this one.
    pub fn baseline(&self) -> i64 {
        self.baseline
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

/// Runs the migrations a store has not had yet.
fn migrate(conn: &mut Connection) -> Result<()> {
    let done: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let done = done as usize;
    if done > MIGRATIONS.len() {
        anyhow::bail!(
            "the store has schema version {done}, newer than this piimap knows ({}): use a newer piimap",
            MIGRATIONS.len()
        );
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// A worker's read connection: finds what can be reused instead of read.
pub struct StoreReader {
    conn: Connection,
    options_key: String,
    baseline: i64,
    /// The scan date (days since 1970-01-01): a file whose children count is out of date by
    /// then is read again.
    today: i64,
}

impl StoreReader {
    /// Opens a read connection to a store that `Store::begin` has set up.
    pub fn open(path: &Path, options_key: &str, scan_id: i64, today: i64) -> Result<StoreReader> {
        let conn = connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let baseline = last_finished(&conn, scan_id)?;
        Ok(StoreReader {
            conn,
            options_key: options_key.to_string(),
            baseline,
            today,
        })
    }
}

impl PastScans for StoreReader {
    /// What the store holds of a file on disk that has not changed (same size, modified time
    /// and identity, read with the same options), found by its path (its stored records) or,
    /// when it has moved, by its identity (its records under the new path). `None`: it must be
    /// read.
    fn lookup(&self, disk: &DiskState) -> Result<Option<Group>> {
        let by_path = self
            .conn
            .prepare_cached(
                "SELECT id, change_scan FROM files WHERE path = ?1 AND size = ?2 AND modified_ns = ?3
                 AND device = ?4 AND inode = ?5 AND options_key = ?6 AND reusable
                 AND (recount_on IS NULL OR recount_on > ?7)",
            )?
            .query_row(
                params![
                    disk.path,
                    disk.size as i64,
                    disk.modified_ns,
                    disk.device as i64,
                    disk.inode as i64,
                    self.options_key,
                    self.today
                ],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()?;
        if let Some((file_id, change_scan)) = by_path {
            return Ok(Some(Group::Unchanged(
                self.unchanged(file_id, change_scan)?,
            )));
        }
        let known_path: bool = self
            .conn
            .prepare_cached("SELECT 1 FROM files WHERE path = ?1")?
            .exists([&disk.path])?;
        if known_path || (disk.device == 0 && disk.inode == 0) {
            return Ok(None);
        }
        // A new path: the same file moved here (its old path gone)?
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, path_text FROM files WHERE device = ?1 AND inode = ?2 AND size = ?3
             AND modified_ns = ?4 AND options_key = ?5 AND reusable
             AND (recount_on IS NULL OR recount_on > ?6)",
        )?;
        let candidates: Vec<(i64, String)> = stmt
            .query_map(
                params![
                    disk.device as i64,
                    disk.inode as i64,
                    disk.size as i64,
                    disk.modified_ns,
                    self.options_key,
                    self.today
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        for (file_id, old_path) in candidates {
            if std::fs::symlink_metadata(&old_path).is_err() {
                return Ok(Some(Group::Outcomes(self.moved(file_id, disk, old_path)?)));
            }
        }
        Ok(None)
    }
}

impl StoreReader {
    /// An unchanged file's records as stored, each with its change: what an interrupted scan
    /// recorded after the baseline, or `unchanged`.
    fn unchanged(&self, file_id: i64, change_scan: i64) -> Result<StoredFile> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record, change FROM records WHERE file_id = ?1 ORDER BY ordinal",
        )?;
        let mut rows = stmt.query([file_id])?;
        let mut records = Vec::new();
        while let Some(row) = rows.next()? {
            let json: String = row.get(0)?;
            let change = match change_scan > self.baseline {
                true => row
                    .get::<_, Option<String>>(1)?
                    .map(|c| serde_json::from_str(&c))
                    .transpose()?,
                false => Some(FileChange::plain(ChangeState::Unchanged)),
            };
            records.push(StoredRecord {
                digest: serde_json::from_str(&json)?,
                json,
                change,
            });
        }
        Ok(StoredFile { file_id, records })
    }

    /// A moved file's records as outcomes under its new path, marked `moved`, with their
    /// occurrences (to be stored again).
    fn moved(&self, file_id: i64, disk: &DiskState, old: String) -> Result<Vec<FileOutcome>> {
        let mut occurrences = occurrences_of(&self.conn, file_id)?;
        let mut outcomes = Vec::new();
        for (ordinal, mut record) in records_of(&self.conn, file_id)?.into_iter().enumerate() {
            // The stored path starts with the file's old path (`old!/member`).
            let stored = std::mem::take(&mut record.path);
            let member = stored.strip_prefix(old.as_str()).unwrap_or_default();
            record.path = format!("{}{member}", disk.path_text);
            if let Some(inside) = &mut record.inside {
                inside.file = disk.path_text.clone();
            }
            record.change = Some(FileChange {
                moved_from: Some(stored),
                ..FileChange::plain(ChangeState::Moved)
            });
            let mut outcome = FileOutcome::new(record, 0);
            outcome.occurrences = occurrences.remove(&(ordinal as i64)).unwrap_or_default();
            outcomes.push(outcome);
        }
        if let Some(last) = outcomes.last_mut() {
            last.disk = Some(disk.clone());
            last.moved = Some(Moved { file_id, from: old });
        }
        Ok(outcomes)
    }
}

/// A stored file's records, in order (their index is their ordinal).
fn records_of(conn: &Connection, file_id: i64) -> Result<Vec<FileRecord>> {
    let mut stmt =
        conn.prepare_cached("SELECT record FROM records WHERE file_id = ?1 ORDER BY ordinal")?;
    let rows = stmt.query_map([file_id], |r| r.get::<_, String>(0))?;
    let mut records = Vec::new();
    for row in rows {
        records.push(serde_json::from_str(&row?)?);
    }
    Ok(records)
}

/// A stored file's occurrences, by the ordinal of their record.
fn occurrences_of(conn: &Connection, file_id: i64) -> Result<HashMap<i64, Vec<Occurrence>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ordinal, kind, fingerprint, logical, location FROM findings WHERE file_id = ?1",
    )?;
    let rows = stmt.query_map([file_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out: HashMap<i64, Vec<Occurrence>> = HashMap::new();
    for row in rows {
        let (ordinal, kind, fingerprint, logical, location) = row?;
        out.entry(ordinal).or_default().push(Occurrence {
            kind,
            fingerprint,
            logical,
            location: serde_json::from_str(&location)?,
        });
    }
    Ok(out)
}

impl FileChange {
    /// A change with no per-kind detail.
    pub fn plain(state: ChangeState) -> FileChange {
        FileChange {
            state,
            moved_from: None,
            kinds: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Category, Confidence, KindFindings, Location};

    fn record(counts: &[(&str, u64)]) -> FileRecord {
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

    #[test]
    fn migration_3_moves_the_change_out_of_stored_records() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        let mut before = record(&[("email", 1)]);
        before.change = Some(FileChange::plain(ChangeState::New));
        conn.execute_batch(
            "INSERT INTO scans (id, started_at, roots, options_key) VALUES (1, '', '[]', '');
             INSERT INTO files VALUES (1, x'61', 'a.txt', 1, 0, 0, 0, '', 1, 1, 1, NULL);",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO records VALUES (1, 0, 'a.txt', ?1)",
            [serde_json::to_string(&before).unwrap()],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let (json, change): (String, String) = conn
            .query_row("SELECT record, change FROM records", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(json, before.to_stored_json().unwrap());
        assert_eq!(
            serde_json::from_str::<FileChange>(&change).unwrap(),
            FileChange::plain(ChangeState::New)
        );
    }

    #[test]
    fn migrations_run_once_and_a_newer_store_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        conn.pragma_update(None, "user_version", 99).unwrap();
        let err = migrate(&mut conn).unwrap_err().to_string();
        assert!(err.contains("newer than this piimap knows"), "{err}");
    }
}
