//! What scanning one entry of the walk produces, shared by the scan (which makes it), the store
//! (which keeps it and gives unchanged files back) and the consumer (which writes it): the
//! outcome of each file and member, the state of a file on disk, the [`PastScans`] a scan asks
//! about unchanged files, and the [`ScanRecorder`] the consumer tells what it got. The store
//! implements both traits, so neither the scan nor the writers depend on it. It depends only
//! on the inventory's types.

use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::inventory::{FileChange, FileRecord, Occurrence, RecordDigest, StoreCounts};

/// What a scan asks of the store it runs with: whether a file on disk is unchanged since the
/// store's last scan (or moved there from another path), and then its records, unread.
pub trait PastScans {
    /// The stored group of an unchanged file, or of a moved one; `None`: read it.
    fn lookup(&self, disk: &DiskState) -> Result<Option<Group>>;
}

/// What the scan's consumer tells the store it runs with, as the scan goes.
pub trait ScanRecorder {
    /// Records one file on disk with its members (`group`: members first, the file last) and
    /// sets each record's `change`. Returns records of members that were there before and are
    /// gone now (as last seen, marked `removed`).
    fn record_group(&mut self, group: &mut [FileOutcome]) -> Result<Vec<FileRecord>>;

    /// Records that an unchanged file was seen.
    fn record_unchanged(&mut self, file: &StoredFile) -> Result<()>;

    /// Ends a scan that went to its end: the files it did not see are gone; returns their
    /// records (marked `removed`) and what the scan did with the store.
    fn finish(self: Box<Self>, finished_at: &str) -> Result<(Vec<FileRecord>, StoreCounts)>;
}

/// What the consumer gets for one entry of the walk.
#[derive(Debug)]
pub enum Group {
    /// Its outcomes (read now, or a moved file rebuilt from the store): those of any archive
    /// members or attachments first, the entry's own last.
    Outcomes(Vec<FileOutcome>),
    /// A file on disk unchanged since the store's last scan: its records as stored, unread.
    Unchanged(StoredFile),
}

/// One file's result, sent to the consumer (and from a reader process to the scanner).
#[derive(Debug, Serialize, Deserialize)]
pub struct FileOutcome {
    /// The record (written to the inventory when it has findings or is not complete).
    pub record: FileRecord,
    /// Bytes read and scanned.
    pub bytes_scanned: u64,
    /// With a store: every distinct value at its logical place (capped per file).
    pub occurrences: Vec<Occurrence>,
    /// With a store, on the outcome of a file on disk (the last of its group): what it was.
    #[serde(skip)]
    pub disk: Option<DiskState>,
    /// Taken from the store instead of read: an unchanged file found under a new path.
    #[serde(skip)]
    pub moved: Option<Moved>,
    /// The first day (days since 1970-01-01) on which a child in the file turns 18: the
    /// record's `children` count is out of date from then on.
    pub recount_on: Option<i64>,
}

/// A file on disk as the store compares it: unchanged when all of these are equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskState {
    /// The exact path bytes (Unix) or UTF-16 units (Windows), as the store keys files.
    pub path: Vec<u8>,
    /// The path as text.
    pub path_text: String,
    /// Bytes.
    pub size: u64,
    /// Last modification, nanoseconds since the Unix epoch.
    pub modified_ns: i64,
    /// Device and inode (file index on Windows): the file's identity, kept across renames.
    pub device: u64,
    /// See `device`.
    pub inode: u64,
}

impl DiskState {
    /// The state of `path` from its metadata.
    pub fn of(path: &Path, meta: &fs::Metadata) -> DiskState {
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        DiskState {
            path: crate::inventory::path::exact_bytes(path),
            path_text: path.to_string_lossy().into_owned(),
            size: meta.len(),
            modified_ns,
            device,
            inode,
        }
    }
}

/// An unchanged file found in the store under another path (same identity, size and time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// The store's id of the file.
    pub file_id: i64,
    /// The path it had.
    pub from: String,
}

impl FileOutcome {
    /// The outcome of a file read now.
    pub fn new(record: FileRecord, bytes_scanned: u64) -> FileOutcome {
        FileOutcome {
            record,
            bytes_scanned,
            occurrences: Vec::new(),
            disk: None,
            moved: None,
            recount_on: None,
        }
    }
}

/// A file on disk unchanged since the store's last scan: its records as stored, reused unread.
#[derive(Debug)]
pub struct StoredFile {
    /// The store's id of the file.
    pub file_id: i64,
    /// Its records: members first, the file last.
    pub records: Vec<StoredRecord>,
}

/// A record reused from the store.
#[derive(Debug)]
pub struct StoredRecord {
    /// Its JSON without `change` and `retention` (see [`FileRecord::to_stored_json`]).
    pub json: String,
    /// What the summary and retention use of it.
    pub digest: RecordDigest,
    /// Its change since the previous scan.
    pub change: Option<FileChange>,
}
