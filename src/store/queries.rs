//! What `find` and `report` ask of an existing store: the fingerprint key it was made with,
//! the places of a value, the last finished scan, and every record and finding.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{connect, schema};
use crate::inventory::{FileRecord, Location};

/// An existing store, opened to answer questions.
pub struct StoreQueries {
    conn: Connection,
    /// Whether it could be opened for writing (to upgrade it and build the query index).
    writable: bool,
}

/// The last scan that finished.
#[derive(Debug, Clone)]
pub struct FinishedScan {
    /// When it started (RFC 3339).
    pub started_at: String,
    /// Its roots.
    pub roots: Vec<String>,
    /// Its retention policies (`GLOB=PERIOD`, `default=PERIOD`).
    pub retention: Vec<String>,
}

impl StoreQueries {
    /// Opens the store at `path` read-only, or, with `for_search`, for writing when allowed
    /// (to build the search index; read-only when the store may only be read). A missing
    /// store, or one older than the questions need, is an error that says what to do.
    pub fn open(path: &Path, for_search: bool) -> Result<StoreQueries> {
        if !path.is_file() {
            bail!("{}: no such store", path.display());
        }
        let read_only = || connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY);
        let (conn, writable) = match for_search {
            true => match connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE) {
                Ok(conn) => (conn, true),
                Err(_) => (read_only()?, false),
            },
            false => (read_only()?, false),
        };
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if (version as usize) < schema::MIGRATIONS.len() {
            bail!(
                "{}: the store is from an older piimap; run `piimap scan --store` once to upgrade it",
                path.display()
            );
        }
        Ok(StoreQueries { conn, writable })
    }

    /// The fingerprint key check of the last scan that recorded one.
    pub fn key_check(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT key_check FROM scans WHERE key_check IS NOT NULL ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Builds the index the searches use, when the store may be written; `false` when it may
    /// only be read (searches then go without it).
    pub fn index_for_search(&self) -> bool {
        self.writable && self.conn.execute_batch(schema::QUERY_INDEXES).is_ok()
    }

    /// Every place the value of `kind` with `fingerprint` was found, as of its file's last
    /// scan: the record's path and the location there, by path and place.
    pub fn places_of(&self, kind: &str, fingerprint: &str) -> Result<Vec<(String, Location)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.path, f.location FROM findings f
             JOIN records r ON r.file_id = f.file_id AND r.ordinal = f.ordinal
             WHERE f.fingerprint = ?1 AND f.kind = ?2
             ORDER BY r.path, f.logical",
        )?;
        let rows = stmt.query_map(params![fingerprint, kind], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut places = Vec::new();
        for row in rows {
            let (path, location) = row?;
            places.push((path, serde_json::from_str(&location)?));
        }
        Ok(places)
    }

    /// The last scan that finished.
    pub fn last_finished_scan(&self, path: &Path) -> Result<FinishedScan> {
        let (started_at, roots, retention): (String, String, Option<String>) = self
            .conn
            .query_row(
                "SELECT started_at, roots, retention FROM scans WHERE finished_at IS NOT NULL
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .with_context(|| format!("{}: no finished scan in the store", path.display()))?;
        Ok(FinishedScan {
            started_at,
            roots: serde_json::from_str(&roots)?,
            retention: retention
                .map(|r| serde_json::from_str(&r))
                .transpose()?
                .unwrap_or_default(),
        })
    }

    /// Calls `visit((file id, ordinal), record)` for every stored record.
    pub fn for_each_record(&self, mut visit: impl FnMut((i64, i64), FileRecord)) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT file_id, ordinal, record FROM records")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let record: FileRecord = serde_json::from_str(&row.get::<_, String>(2)?)?;
            visit((row.get(0)?, row.get(1)?), record);
        }
        Ok(())
    }

    /// Calls `visit((file id, ordinal), kind, fingerprint)` for every stored finding.
    pub fn for_each_finding(&self, mut visit: impl FnMut((i64, i64), &str, String)) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT file_id, ordinal, kind, fingerprint FROM findings")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let kind: String = row.get(2)?;
            visit((row.get(0)?, row.get(1)?), &kind, row.get(3)?);
        }
        Ok(())
    }
}
