//! A worker's read connection: whether a file on disk can be taken from the store unread.

use std::path::Path;

use anyhow::Result;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::rows::{occurrences_of, records_of};
use super::{connect, schema};
use crate::inventory::{ChangeState, FileChange};
use crate::outcome::{DiskState, FileOutcome, Group, Moved, PastScans, StoredFile, StoredRecord};

/// A worker's read connection: finds what can be reused instead of read.
pub struct StoreReader {
    conn: Connection,
    records_key: String,
    baseline: i64,
    /// The scan date (days since 1970-01-01): a file whose children count is out of date by
    /// then is read again.
    today: i64,
}

impl StoreReader {
    /// Opens a read connection to a store that `Store::begin` has set up.
    pub fn open(path: &Path, records_key: &str, scan_id: i64, today: i64) -> Result<StoreReader> {
        let conn = connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let baseline = schema::last_finished(&conn, scan_id)?;
        Ok(StoreReader {
            conn,
            records_key: records_key.to_string(),
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
                    self.records_key,
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
                    self.records_key,
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
