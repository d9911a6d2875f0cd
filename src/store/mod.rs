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

//!
//! The parts: `schema` (the tables, their indexes and the migrations), `writer` (the scan's
//! [`Store`]), `reader` (the workers' [`StoreReader`]), `rows` (reading a stored file's records
//! and occurrences) and `queries` ([`StoreQueries`], what `find` and `report` ask of a store).

mod queries;
mod reader;
mod rows;
mod schema;
#[cfg(test)]
mod test_records;
mod writer;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

pub use queries::{FinishedScan, StoreQueries};
pub use reader::StoreReader;
pub use writer::{ScanStart, Store};

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
