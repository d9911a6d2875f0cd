//! The store's tables and indexes, and the migrations that bring an older store up to date
//! (`PRAGMA user_version` is how many have run). `docs/store.md` describes the tables.

use anyhow::Result;
use rusqlite::Connection;

/// Schema migrations, in order; `PRAGMA user_version` is how many have run.
pub(super) const MIGRATIONS: &[&str] = &[
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

/// An index for questions, not for scans: `find` looks findings up by fingerprint. It is made
/// on the first search (`CREATE INDEX IF NOT EXISTS`), not by a migration: kept up to date
/// during scans it would cost every insert of a finding, and on a large share more than the
/// scan itself.
pub(super) const QUERY_INDEXES: &str =
    "CREATE INDEX IF NOT EXISTS findings_fingerprint ON findings(fingerprint)";

/// Runs the migrations a store has not had yet.
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
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

/// The id of the last scan that finished before scan `before`, or 0.
pub(super) fn last_finished(conn: &Connection, before: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(id), 0) FROM scans WHERE finished_at IS NOT NULL AND id < ?1",
        [before],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{ChangeState, FileChange};
    use crate::store::test_records::record;

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
