//! Reading a stored file's records and occurrences, for the writer (to compare) and the
//! readers (to reuse).

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

use crate::inventory::{FileRecord, Occurrence};

/// A stored file's records, in order (their index is their ordinal).
pub(super) fn records_of(conn: &Connection, file_id: i64) -> Result<Vec<FileRecord>> {
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
pub(super) fn occurrences_of(
    conn: &Connection,
    file_id: i64,
) -> Result<HashMap<i64, Vec<Occurrence>>> {
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
