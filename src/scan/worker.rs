//! One scanning thread's state, and what it does with each walk entry: a file on disk (its
//! size cap, its deadline, a panic in it), a link, a special file, an unreadable folder.

use std::fs;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::disk::{SNIFF_HEAD, TimedReader, open_for_scan};
use super::subject::{Subject, io_failed, not_scanned, reason_for_io};
use super::{Outcomes, Scanner};
use crate::detect::{Detector, Finding};
use crate::extract::archive::Budget;
use crate::extract::{self, Caps, Format, text};
use crate::findings::FileFindings;
use crate::inventory::{Reason, ReasonCode, Status};
use crate::isolation::ReaderProcess;
use crate::outcome::{DiskState, FileOutcome, Group, PastScans};
use crate::walk::WalkItem;

/// Per-thread state: a detector with its regex cache and a reused read buffer.
pub(super) struct Worker<'s> {
    pub(super) scanner: &'s Scanner,
    pub(super) detector: Detector<'s>,
    pub(super) buf: Vec<u8>,
    pub(super) findings: Vec<Finding>,
    /// When the file on disk being scanned must stop (`--max-file-time`).
    pub(super) deadline: Option<Instant>,
    /// Members not read because the deadline passed, in the current archive.
    pub(super) members_after_deadline: u64,
    /// The format of the innermost subject being read, for the record of a panic in it.
    pub(super) format: Option<Format>,
    /// The store's past scans, when the scan has a store.
    past: Option<Box<dyn PastScans + Send>>,
    /// This thread's reader process, once started (`ScanOptions::readers`).
    pub(super) reader: Option<ReaderProcess>,
}

impl<'s> Worker<'s> {
    /// A worker of `scanner`, with its own connection to the store's past scans.
    pub(super) fn new(scanner: &'s Scanner) -> Self {
        Worker {
            scanner,
            detector: scanner.rules.rules.detector(),
            buf: vec![0; text::CHUNK],
            findings: Vec::new(),
            deadline: None,
            members_after_deadline: 0,
            format: None,
            reader: None,
            past: scanner.past.as_ref().and_then(|p| {
                (p.open)()
                    .map_err(|e| {
                        eprintln!("piimap: warning: files will be read, not reused: {e:#}")
                    })
                    .ok()
            }),
        }
    }

    /// An accumulator for one file's findings, with the scan's options.
    pub(super) fn file_findings(&self) -> FileFindings<'s> {
        let options = &self.scanner.options;
        FileFindings::new(
            &self.scanner.key,
            options.samples,
            options.reveal,
            options.today,
        )
        .tracking_occurrences(options.track_occurrences)
    }

    /// The caps on reading the current file.
    pub(super) fn caps(&self) -> Caps {
        self.scanner.options.caps(self.deadline)
    }

    /// Whether the current file on disk has used up its `--max-file-time`.
    pub(super) fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Why a file stopped at the deadline.
    pub(super) fn time_message(&self) -> String {
        let max = self.scanner.options.limits.max_file_time;
        format!(
            "stopped after {} (--max-file-time)",
            humantime::format_duration(max)
        )
    }

    /// Puts a read that failed or stopped because the deadline passed down to the time cap,
    /// not to damage: the reader refuses to read once the deadline has passed.
    pub(super) fn time_capped(&self, mut outcome: FileOutcome) -> FileOutcome {
        let record = &mut outcome.record;
        let failed = record
            .reason
            .as_ref()
            .is_some_and(|r| matches!(r.code, ReasonCode::Corrupt | ReasonCode::IoError));
        if failed && self.out_of_time() {
            if record.status == Status::Error {
                record.status = Status::Skipped;
            }
            record.reason = Some(Reason {
                code: ReasonCode::LimitExceeded,
                message: self.time_message(),
            });
        }
        outcome
    }

    /// Scans one walk entry (or takes it from the store).
    pub(super) fn process(&mut self, item: WalkItem) -> Group {
        let mut out = Vec::new();
        let outcome = match item {
            WalkItem::File(path) => {
                // One stat serves the store's comparison and the scan.
                let meta = fs::metadata(&path);
                // With a store: an unchanged file's records are taken from it, unread.
                let disk = match (&self.scanner.past, &meta) {
                    (Some(_), Ok(meta)) => Some(DiskState::of(&path, meta)),
                    _ => None,
                };
                let reuse = self.scanner.past.as_ref().is_some_and(|p| p.reuse);
                if let (Some(past), Some(disk), true) = (&self.past, &disk, reuse) {
                    match past.lookup(disk) {
                        Ok(Some(stored)) => return stored,
                        Ok(None) => {}
                        Err(e) => eprintln!("piimap: warning: store lookup failed: {e:#}"),
                    }
                }
                let mut outcome = self.scan_on_disk(&path, &meta, &mut out);
                outcome.disk = disk;
                outcome
            }
            WalkItem::Symlink(path) => {
                let target =
                    fs::read_link(&path).map_or_else(|_| "?".into(), |t| t.display().to_string());
                let meta = fs::symlink_metadata(&path).ok();
                let message =
                    format!("symbolic link to {target}, not followed (use --follow-links)");
                not_scanned(
                    &Subject::on_disk(&path, meta.as_ref()),
                    Status::Skipped,
                    ReasonCode::SymlinkNotFollowed,
                    message,
                )
            }
            WalkItem::Special(path) => {
                let meta = fs::symlink_metadata(&path).ok();
                not_scanned(
                    &Subject::on_disk(&path, meta.as_ref()),
                    Status::Skipped,
                    ReasonCode::SpecialFile,
                    "not a regular file".into(),
                )
            }
            WalkItem::Error {
                path,
                io_kind,
                message,
            } => {
                let path = path.unwrap_or_else(|| PathBuf::from("<unknown>"));
                let code = if path.is_dir() {
                    ReasonCode::UnreadableDirectory
                } else {
                    io_kind.map_or(ReasonCode::IoError, reason_for_io)
                };
                let meta = fs::symlink_metadata(&path).ok();
                let mut outcome = not_scanned(
                    &Subject::on_disk(&path, meta.as_ref()),
                    Status::Error,
                    code,
                    message,
                );
                if code == ReasonCode::UnreadableDirectory {
                    outcome.record.format = "directory".into();
                }
                outcome
            }
        };
        out.push(outcome);
        Group::Outcomes(out)
    }

    /// Scans a file on disk; a panic becomes its `internal_error`.
    pub(super) fn scan_on_disk(
        &mut self,
        path: &Path,
        meta: &io::Result<fs::Metadata>,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        self.format = None;
        let scanned = catch_unwind(AssertUnwindSafe(|| self.scan_file(path, meta, out)));
        let mut outcome =
            scanned.unwrap_or_else(|_| self.panicked(&Subject::on_disk(path, meta.as_ref().ok())));
        self.scrub(&mut outcome);
        outcome
    }

    /// The record of a subject whose scan panicked (a bug in piimap or in a parser). The
    /// panic's message may quote the text being read, so only where it happened is kept.
    pub(super) fn panicked(&mut self, subject: &Subject<'_>) -> FileOutcome {
        // The detector's regex cache may be mid-search; start afresh.
        self.detector = self.scanner.rules.rules.detector();
        let mut outcome = not_scanned(
            subject,
            Status::Error,
            ReasonCode::InternalError,
            panic_message(),
        );
        outcome.record.format = self.format.map_or("unknown", Format::name).into();
        outcome
    }

    /// Scans a file on disk: its size cap, its deadline, its head sniffed, then read in this
    /// thread or in its reader process.
    fn scan_file(
        &mut self,
        path: &Path,
        meta: &io::Result<fs::Metadata>,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        let meta = match meta {
            Ok(m) => m,
            Err(e) => {
                return io_failed(&Subject::on_disk(path, None), e);
            }
        };
        let subject = Subject::on_disk(path, Some(meta));
        let max = self.scanner.options.limits.max_file_size;
        if meta.len() > max {
            let message = format!("{} bytes is over --max-file-size {max}", meta.len());
            return not_scanned(&subject, Status::Skipped, ReasonCode::TooLarge, message);
        }
        let file = match open_for_scan(path) {
            Ok(f) => f,
            Err(e) => {
                let mut outcome = io_failed(&subject, &e);
                if e.kind() == io::ErrorKind::InvalidInput {
                    // Replaced by a FIFO, socket or device since the walk saw a file.
                    outcome.record.status = Status::Skipped;
                    outcome.record.reason = Some(Reason {
                        code: ReasonCode::SpecialFile,
                        message: e.to_string(),
                    });
                }
                return outcome;
            }
        };
        let budget = Budget::new(self.scanner.options.limits.max_archive_bytes);
        self.deadline = self
            .scanner
            .options
            .limits
            .file_time()
            .map(|max| Instant::now() + max);
        let mut file = TimedReader {
            inner: file,
            deadline: self.deadline,
        };
        // The head is enough to tell what the file is; a file for a reader process is read
        // again there, so only text goes on to fill the whole first chunk.
        let mut filled = match text::read_full(&mut file, &mut self.buf[..SNIFF_HEAD]) {
            Ok(n) => n,
            Err(e) => {
                let outcome = io_failed(&subject, &e);
                return self.time_capped(outcome);
            }
        };
        let sniffed = extract::sniff(&self.buf[..filled], path);
        let in_reader = self.scanner.options.readers.is_some() && sniffed.is_read_by_parsers();
        if !in_reader && filled == SNIFF_HEAD {
            match text::read_full(&mut file, &mut self.buf[filled..]) {
                Ok(n) => filled += n,
                Err(e) => {
                    let outcome = io_failed(&subject, &e);
                    return self.time_capped(outcome);
                }
            }
        }
        if in_reader {
            drop(file);
            if let Some(outcome) = self.scan_in_reader(&subject, sniffed, out) {
                return outcome;
            }
            // No reader process could be started: read it here after all.
            file = match open_for_scan(path) {
                Ok(f) => TimedReader {
                    inner: f,
                    deadline: self.deadline,
                },
                Err(e) => {
                    return io_failed(&subject, &e);
                }
            };
        }
        let outcome = self.scan_sniffed(&subject, file, filled, sniffed, &budget, out);
        self.time_capped(outcome)
    }
}

/// The message of a panic's record: where it happened (kept by [`crate::panics`]), never
/// what it said, which may quote the text being read.
fn panic_message() -> String {
    match crate::panics::last_location() {
        Some(at) => format!("internal error while scanning, at {at} (please report)"),
        None => "internal error while scanning (please report)".into(),
    }
}
