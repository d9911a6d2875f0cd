//! The scan: walker threads each scan whole files (sniff, extract, detect) and hand finished file
//! records to one consumer over a bounded channel. A failure in one file — an I/O error, a
//! parser panic — becomes that file's status; the scan goes on.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};
use ignore::WalkState;
use serde::{Deserialize, Serialize};

use crate::detect::{Detector, Finding, RuleSet, RuleSource};
use crate::extract::archive::{self, Budget, Member, Unread};
use crate::extract::mail::{self, Attachment, MailPart};
use crate::extract::text::{self, LineTracker};
use crate::extract::{self, Sniffed};
use crate::extract::{Caps, ExtractError, Shortfall, metadata, office, ole, pdf, rtf, spreadsheet};
use crate::findings::{self, FileFindings};
use crate::inventory::fingerprint::FingerprintKey;
use crate::inventory::{
    AccessTimes, Category, Confidence, FileRecord, Inside, Location, Occurrence, PathRepr, Reason,
    ReasonCode, Status,
};
use crate::isolation::{self, Ended, ReaderProcess, Received};
use crate::outcome::{DiskState, FileOutcome, Group, PastScans};
use crate::tables::{self, ColumnClasses, ColumnTally, CsvView};
use crate::walk::{self, WalkItem, WalkOptions};

/// What to scan and how. A reader process gets these options in its setup: all but the walk,
/// the scan's own files and the reader program, which are the scanner's alone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanOptions {
    /// Roots, excludes, links, threads.
    #[serde(skip)]
    pub walk: WalkOptions,
    /// Files larger than this are skipped.
    pub max_file_size: u64,
    /// No part of a document is decompressed beyond this many bytes.
    pub max_extracted_size: u64,
    /// Cells read per sheet.
    pub max_cells: u64,
    /// Wall time one file on disk (with its members) may take; `None`: no cap.
    pub max_file_time: Option<Duration>,
    /// Findings below this confidence are dropped.
    pub min_confidence: Confidence,
    /// List the distinct raw values (owner verification only).
    pub reveal: bool,
    /// Masked samples per kind per file.
    pub samples: usize,
    /// Caps on archives and their members.
    pub archives: ArchiveOptions,
    /// Files the scan itself writes (output, key file, store): never scanned.
    #[serde(skip)]
    pub own_files: Vec<PathBuf>,
    /// Keep every distinct value at its logical place on the outcomes (for the store and
    /// for `find`).
    pub track_occurrences: bool,
    /// The scan date, days since 1970-01-01 (UTC): children's ages are measured on it.
    pub today: i64,
    /// Bytes of memory a reader process may use for one file (`--max-file-memory`).
    pub max_file_memory: u64,
    /// Where the formats read by third-party parsers are read: in reader processes started
    /// from this program (`piimap` itself), or, when `None`, in the scanning threads.
    #[serde(skip)]
    pub readers: Option<Readers>,
}

/// How reader processes are started.
#[derive(Debug, Clone)]
pub struct Readers {
    /// The program: the running `piimap`.
    pub program: PathBuf,
}

/// What a scan finds things with: the detection rules and the table column classes, both from
/// one [`RuleSource`].
#[derive(Debug)]
pub struct ScanRules {
    /// Where they came from (a reader process loads them again from there).
    pub source: RuleSource,
    /// The compiled detection rules.
    pub rules: RuleSet,
    /// The column classes, each `kind` checked against the rules.
    pub columns: ColumnClasses,
}

impl ScanRules {
    /// Loads and checks the rules and column classes of `source`.
    pub fn load(source: &RuleSource) -> Result<ScanRules, crate::detect::RuleError> {
        let rules = RuleSet::load(source)?;
        let columns = ColumnClasses::load(source, &rules)?;
        Ok(ScanRules {
            source: source.clone(),
            rules,
            columns,
        })
    }

    /// A digest of all that shapes findings: stored records made under another are not
    /// reused, and a reader process refuses to run with rules other than the scanner's.
    pub fn digest(&self) -> String {
        let both = format!("{} {}", self.rules.digest(), self.columns.digest());
        blake3::hash(both.as_bytes()).to_hex().to_string()
    }
}

/// Bytes of a file read to sniff what it is (the sniffer looks at no more than 64 KiB).
const SNIFF_HEAD: usize = 64 << 10;

/// Opens, for one worker thread, what the scan asks about unchanged files (the store's read
/// connection).
pub type PastScansOpener = dyn Fn() -> Result<Box<dyn PastScans + Send>> + Send + Sync;

/// How a scan uses a store (`--store`).
struct PastScansUse {
    open: Box<PastScansOpener>,
    /// Take unchanged files from it; `false` with `--full` (every file is read again, and the
    /// store still learns what each file on disk is).
    reuse: bool,
}

impl std::fmt::Debug for PastScansUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PastScansUse")
            .field("reuse", &self.reuse)
            .finish_non_exhaustive()
    }
}

/// Caps on what archives (and e-mail attachments) may cost.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ArchiveOptions {
    /// Archives inside archives are opened this many levels deep.
    pub max_depth: usize,
    /// Members read per archive.
    pub max_members: usize,
    /// Decompressed bytes of one member (held in memory while it is scanned).
    pub max_member_size: u64,
    /// Decompressed bytes one file on disk may expand into, over all its nested archives.
    pub max_archive_bytes: u64,
    /// Decompressed over compressed bytes of a member (over 1 MiB) that marks a zip bomb.
    pub max_ratio: u64,
}

impl ArchiveOptions {
    fn member_limits(&self) -> archive::Limits {
        archive::Limits {
            max_members: self.max_members,
            max_member_size: self.max_member_size,
            max_ratio: self.max_ratio,
        }
    }
}

/// A configured scanner.
#[derive(Debug)]
pub struct Scanner {
    rules: ScanRules,
    key: FingerprintKey,
    options: ScanOptions,
    own_names: HashSet<OsString>,
    /// Set once a reader process could not be started (and the user was told).
    reader_warned: AtomicBool,
    /// The store, if the scan has one.
    past: Option<PastScansUse>,
}

impl Scanner {
    /// A scanner with compiled rules and a fingerprint key.
    pub fn new(rules: ScanRules, key: FingerprintKey, options: ScanOptions) -> Scanner {
        let own_names = options
            .own_files
            .iter()
            .filter_map(|p| p.file_name().map(OsString::from))
            .collect();
        Scanner {
            rules,
            key,
            options,
            own_names,
            reader_warned: AtomicBool::new(false),
            past: None,
        }
    }

    /// The scanner with a store: each worker opens its own connection with `open`, and takes
    /// unchanged files from it when `reuse` (not with `--full`).
    pub fn with_past_scans(mut self, open: Box<PastScansOpener>, reuse: bool) -> Scanner {
        self.past = Some(PastScansUse { open, reuse });
        self
    }

    /// The rules in use.
    pub fn rules(&self) -> &RuleSet {
        &self.rules.rules
    }

    /// Walks and scans every root, calling `on_group` (on the calling thread) for every entry
    /// the walk meets. Stops early if `on_group` fails, and returns that error.
    pub fn run(&self, mut on_group: impl FnMut(Group) -> Result<()>) -> Result<()> {
        let walker = walk::build(&self.options.walk)?;
        let (tx, rx) = crossbeam_channel::bounded::<Group>(self.options.walk.threads.max(1) * 64);
        std::thread::scope(move |scope| {
            scope.spawn(move || {
                walker.run(|| {
                    let tx = tx.clone();
                    let mut worker = Worker::new(self);
                    Box::new(move |result| {
                        let Some(item) = walk::classify(result) else {
                            return WalkState::Continue;
                        };
                        if self.is_own_file(&item) {
                            return WalkState::Continue;
                        }
                        if tx.send(worker.process(item)).is_err() {
                            return WalkState::Quit;
                        }
                        WalkState::Continue
                    })
                });
            });
            // The receiver is owned here: if `on_file` fails, returning drops it, so walker
            // threads blocked on a full channel get an error and quit instead of deadlocking.
            let rx = rx;
            for group in &rx {
                on_group(group)?;
            }
            Ok(())
        })
    }

    fn is_own_file(&self, item: &WalkItem) -> bool {
        let WalkItem::File(path) = item else {
            return false;
        };
        let named_like_own = path.file_name().is_some_and(|n| self.own_names.contains(n));
        named_like_own && fs::canonicalize(path).is_ok_and(|c| self.options.own_files.contains(&c))
    }
}

/// Where the outcomes of a file's members go as each is done: into the file's group, or, in a
/// reader process, straight to the scanner (so that a crash later in the file loses none).
trait Outcomes {
    /// Takes one member's outcome.
    fn push(&mut self, outcome: FileOutcome);
}

impl Outcomes for Vec<FileOutcome> {
    fn push(&mut self, outcome: FileOutcome) {
        Vec::push(self, outcome);
    }
}

/// Per-thread state: a detector with its regex cache and a reused read buffer.
struct Worker<'s> {
    scanner: &'s Scanner,
    detector: Detector<'s>,
    buf: Vec<u8>,
    findings: Vec<Finding>,
    /// When the file on disk being scanned must stop (`--max-file-time`).
    deadline: Option<Instant>,
    /// Members not read because the deadline passed, in the current archive.
    members_after_deadline: u64,
    /// The format of the innermost subject being read, for the record of a panic in it.
    format: &'static str,
    /// The store's past scans, when the scan has a store.
    past: Option<Box<dyn PastScans + Send>>,
    /// This thread's reader process, once started (`ScanOptions::readers`).
    reader: Option<ReaderProcess>,
}

impl<'s> Worker<'s> {
    fn new(scanner: &'s Scanner) -> Self {
        Worker {
            scanner,
            detector: scanner.rules.rules.detector(),
            buf: vec![0; text::CHUNK],
            findings: Vec::new(),
            deadline: None,
            members_after_deadline: 0,
            format: "unknown",
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
    fn file_findings(&self) -> FileFindings<'s> {
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
    fn caps(&self) -> Caps {
        let options = &self.scanner.options;
        Caps {
            max_part: options.max_extracted_size,
            max_cells: options.max_cells,
            max_member: options.archives.max_member_size,
            max_members: options.archives.max_members,
            max_memory: options.max_file_memory,
            deadline: self.deadline,
        }
    }

    /// Whether the current file on disk has used up its `--max-file-time`.
    fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Why a file stopped at the deadline.
    fn time_message(&self) -> String {
        let max = self.scanner.options.max_file_time.unwrap_or_default();
        format!(
            "stopped after {} (--max-file-time)",
            humantime::format_duration(max)
        )
    }

    /// Puts a read that failed or stopped because the deadline passed down to the time cap,
    /// not to damage: the reader refuses to read once the deadline has passed.
    fn time_capped(&self, mut outcome: FileOutcome) -> FileOutcome {
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
    fn process(&mut self, item: WalkItem) -> Group {
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
    fn scan_on_disk(
        &mut self,
        path: &Path,
        meta: &io::Result<fs::Metadata>,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        self.format = "unknown";
        let scanned = catch_unwind(AssertUnwindSafe(|| self.scan_file(path, meta, out)));
        let mut outcome =
            scanned.unwrap_or_else(|_| self.panicked(&Subject::on_disk(path, meta.as_ref().ok())));
        self.scrub(&mut outcome);
        outcome
    }

    /// Scrubs a record's reason of what a parser may have quoted from the file (an attribute's
    /// value, a cell's text, a tag): quoted spans become `…`, and every value the rules find
    /// in what is left is replaced by its kind (`[lv_personal_code]`).
    fn scrub(&mut self, outcome: &mut FileOutcome) {
        let Some(reason) = &mut outcome.record.reason else {
            return;
        };
        let mut text = unquoted(&reason.message);
        self.findings.clear();
        self.detector
            .scan(&text, 0..text.len(), 0, &mut self.findings);
        let rules = self.scanner.rules.rules.rules();
        let min = self.scanner.options.min_confidence;
        for f in self.findings.drain(..).rev() {
            // Weak shapes (a bare 8-digit number) are the sizes and counts of piimap's own
            // messages far more often than personal data.
            if f.confidence >= min {
                text.replace_range(f.span, &format!("[{}]", rules[f.rule].kind));
            }
        }
        reason.message = text;
    }

    /// The record of a subject whose scan panicked (a bug in piimap or in a parser). The
    /// panic's message may quote the text being read, so only where it happened is kept.
    fn panicked(&mut self, subject: &Subject<'_>) -> FileOutcome {
        // The detector's regex cache may be mid-search; start afresh.
        self.detector = self.scanner.rules.rules.detector();
        let mut outcome = not_scanned(
            subject,
            Status::Error,
            ReasonCode::InternalError,
            panic_message(),
        );
        outcome.record.format = self.format.into();
        outcome
    }

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
        let max = self.scanner.options.max_file_size;
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
        let budget = Budget::new(self.scanner.options.archives.max_archive_bytes);
        self.deadline = self
            .scanner
            .options
            .max_file_time
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
        let in_reader =
            self.scanner.options.readers.is_some() && read_by_parser(sniffed, &self.buf[..filled]);
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

    /// Has this thread's reader process read a file on disk. Returns `None` when no reader
    /// process could be started (the caller reads the file itself).
    fn scan_in_reader(
        &mut self,
        subject: &Subject<'_>,
        sniffed: Sniffed,
        out: &mut dyn Outcomes,
    ) -> Option<FileOutcome> {
        let request = ReaderRequest {
            path: crate::inventory::path::exact_bytes(subject.file),
        };
        // A reader that ended while idle (its input closed under it) is replaced once.
        let mut sent = false;
        for _ in 0..2 {
            let reader = self.reader_process()?;
            if reader.send(&request).is_ok() {
                sent = true;
                break;
            }
            self.reader = None;
        }
        if !sent {
            return None;
        }
        // The reader stops itself at the deadline; one that does not is killed a little later.
        let deadline = self.scanner.options.max_file_time.map(|max| {
            let grace = (max / 10).max(Duration::from_secs(2));
            Instant::now() + max + grace
        });
        let mut members = 0u64;
        let reader = self.reader.as_mut()?;
        loop {
            match reader.receive::<ReaderReply>(deadline) {
                Received::Frame(ReaderReply::Member(outcome)) => {
                    members += 1;
                    out.push(outcome);
                }
                Received::Frame(ReaderReply::File(outcome)) => return Some(outcome),
                Received::Ended(how) => {
                    self.reader = None;
                    let format = sniffed_format(sniffed, subject.name());
                    return Some(self.reader_ended(subject, format, &how, members));
                }
            }
        }
    }

    /// This thread's reader process, started if need be; `None` (after one warning per scan)
    /// when it cannot be started.
    fn reader_process(&mut self) -> Option<&mut ReaderProcess> {
        if self.reader.is_none() {
            let readers = self.scanner.options.readers.as_ref()?;
            let setup = ReaderSetup {
                key: self.scanner.key.to_hex(),
                rules: self.scanner.rules.source.clone(),
                rules_digest: self.scanner.rules.digest(),
                options: self.scanner.options.clone(),
            };
            match ReaderProcess::spawn(&readers.program, &setup) {
                Ok(reader) => self.reader = Some(reader),
                Err(e) => {
                    if !self.scanner.reader_warned.swap(true, Ordering::Relaxed) {
                        eprintln!(
                            "piimap: warning: cannot start a reader process ({e}): documents \
                             are read in the scanning threads, without a memory budget"
                        );
                    }
                    return None;
                }
            }
        }
        self.reader.as_mut()
    }

    /// The outcome of a file whose reader process ended before it was done with it; `members`
    /// of its members had been sent.
    fn reader_ended(
        &self,
        subject: &Subject<'_>,
        format: &'static str,
        how: &Ended,
        members: u64,
    ) -> FileOutcome {
        let options = &self.scanner.options;
        let (code, message) = match how {
            Ended::OverBudget => (
                ReasonCode::LimitExceeded,
                format!(
                    "reading it took more than {} of memory (--max-file-memory)",
                    size_text(options.max_file_memory)
                ),
            ),
            Ended::AllocationFailed => (
                ReasonCode::LimitExceeded,
                "the system refused its reader more memory".to_string(),
            ),
            Ended::TimedOut => (
                ReasonCode::LimitExceeded,
                format!(
                    "{}; its reader did not stop by itself and was killed",
                    self.time_message()
                ),
            ),
            Ended::Signal(_, "SIGKILL") => (
                ReasonCode::LimitExceeded,
                "its reader was killed (SIGKILL: the system's out-of-memory killer?)".to_string(),
            ),
            Ended::Signal(number, name) => (
                ReasonCode::InternalError,
                format!("its reader crashed (signal {number}, {name}; a stack overflow?)"),
            ),
            Ended::Exited(code) => (
                ReasonCode::InternalError,
                format!("its reader exited with code {code}"),
            ),
            Ended::Protocol(e) => (
                ReasonCode::InternalError,
                format!("its reader sent something unreadable ({e})"),
            ),
        };
        let status = match (members, code) {
            (1.., _) => Status::Partial,
            (0, ReasonCode::LimitExceeded) => Status::Skipped,
            (0, _) => Status::Error,
        };
        let message = if members > 0 {
            format!("{message}; {members} members were read before")
        } else {
            message
        };
        let mut outcome = not_scanned(subject, status, code, message);
        outcome.record.format = format.into();
        outcome
    }

    /// Scans what `reader` holds, by what its first bytes (then its name) say it is.
    fn scan_content<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        mut reader: R,
        budget: &Budget,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        let filled = match text::read_full(&mut reader, &mut self.buf) {
            Ok(n) => n,
            Err(e) => {
                return io_failed(subject, &e);
            }
        };
        let sniffed = extract::sniff(&self.buf[..filled], subject.name());
        self.scan_sniffed(subject, reader, filled, sniffed, budget, out)
    }

    /// Scans what `reader` holds (its first `filled` bytes already in the buffer) as `sniffed`.
    fn scan_sniffed<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        mut reader: R,
        filled: usize,
        sniffed: Sniffed,
        budget: &Budget,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        let name = subject.name();
        let caps = self.caps();
        let caps = &caps;
        self.format = sniffed_format(sniffed, name);
        let sniffed = match sniffed {
            // An OLE file's streams say what it is; the extension may be wrong or missing.
            Sniffed::Document(format @ ("ole" | "doc" | "ppt" | "msg" | "xls")) => {
                let kind = reader.rewind().ok().and_then(|()| ole::kind(&mut reader));
                Sniffed::Document(kind.unwrap_or(format))
            }
            sniffed => sniffed,
        };
        match sniffed {
            Sniffed::Document("eml") => self.scan_message(
                subject,
                reader,
                "eml",
                budget,
                out,
                |reader, caps, visit, attach| mail::read_message(reader, caps, visit, attach),
            ),
            Sniffed::Text(_) if rtf::is_rtf(&self.buf[..filled]) => {
                self.scan_structured(subject, reader, "rtf", |reader, visit| {
                    rtf::for_each_line(reader, caps, |line, text| {
                        visit(Location::line(line).into(), text, None)
                    })
                })
            }
            Sniffed::Text(encoding) => self.scan_text(subject, reader, filled, encoding),
            Sniffed::Utf32(big_endian) => {
                let head = self.buf[4.min(filled)..filled].to_vec();
                let mut utf8 =
                    text::Utf32Reader::new(io::Cursor::new(head).chain(reader), big_endian);
                let filled = match text::read_full(&mut utf8, &mut self.buf) {
                    Ok(n) => n,
                    Err(e) => {
                        return io_failed(subject, &e);
                    }
                };
                let encoding = extract::TextEncoding {
                    encoding: encoding_rs::UTF_8,
                    bom_len: 0,
                    fallback: None,
                };
                let mut outcome = self.scan_text(subject, utf8, filled, encoding);
                let name = if big_endian { "UTF-32BE" } else { "UTF-32LE" };
                outcome.record.encoding = Some(name.into());
                outcome
            }
            Sniffed::Document(format) if spreadsheet::FORMATS.contains(&format) => self
                .scan_structured(subject, reader, format, |reader, visit| {
                    spreadsheet::for_each_cell(
                        reader,
                        format,
                        caps,
                        |sheet, position, text, header| {
                            visit(Place::Cell { sheet, position }, text, header)
                        },
                    )
                }),
            Sniffed::Document(format) if office::FORMATS.contains(&format) => {
                self.scan_structured(subject, reader, format, |reader, visit| {
                    office::for_each_paragraph(reader, format, caps, |part, paragraph, text| {
                        visit(Location::paragraph(part, paragraph).into(), text, None)
                    })
                })
            }
            Sniffed::Document("doc") => {
                self.scan_structured(subject, reader, "doc", |reader, visit| {
                    ole::for_each_doc_paragraph(reader, caps, |paragraph, text| {
                        visit(
                            Location::paragraph("WordDocument", paragraph).into(),
                            text,
                            None,
                        )
                    })
                })
            }
            Sniffed::Document("ppt") => {
                self.scan_structured(subject, reader, "ppt", |reader, visit| {
                    ole::for_each_ppt_text(reader, caps, |number, text| {
                        visit(
                            Location::paragraph("PowerPoint Document", number).into(),
                            text,
                            None,
                        )
                    })
                })
            }
            Sniffed::Document("msg") => self.scan_message(
                subject,
                reader,
                "msg",
                budget,
                out,
                |reader, caps, visit, attach| ole::read_msg(reader, caps, visit, attach),
            ),
            Sniffed::Document("pdf") => {
                self.scan_structured(subject, reader, "pdf", |reader, visit| {
                    pdf::for_each_page(reader, caps, |page, text| {
                        visit(Location::page(page).into(), text, None)
                    })
                })
            }
            Sniffed::Document(format) if archive::FORMATS.contains(&format) => {
                self.scan_archive(subject, reader, format, budget, out)
            }
            Sniffed::Encrypted(format) => {
                let (status, reason) = encrypted_reason();
                let mut record = base_record(subject, format, status, reason);
                record.format = format.into();
                FileOutcome::new(record, 0)
            }
            not_text => not_text_outcome(subject, not_text),
        }
    }

    /// Streams text through the detector, window by window; CSV/TSV through a table view too.
    fn scan_text(
        &mut self,
        subject: &Subject<'_>,
        mut reader: impl Read,
        filled: usize,
        text_encoding: extract::TextEncoding,
    ) -> FileOutcome {
        let format = extract::text_format(subject.name());
        let options = &self.scanner.options;
        let rules = self.scanner.rules.rules.rules();
        let mut findings = self.file_findings();
        let mut tracker = LineTracker::default();
        let mut table = matches!(format, "csv" | "tsv")
            .then(|| CsvView::new(format, &self.scanner.rules.columns));
        let (detector, pending) = (&mut self.detector, &mut self.findings);
        let mut keep = |f: Finding, location: Location| {
            let rule = &rules[f.rule];
            (f.confidence >= options.min_confidence).then(|| {
                findings.add(rule, f, || location.clone());
                rule.kind.as_str()
            })
        };
        let streamed = text::stream_windows(
            &mut reader,
            &mut self.buf,
            filled,
            text_encoding,
            matches!(format, "html" | "xml"),
            |window| {
                let next =
                    detector.scan(window.text, window.report.clone(), window.resume, pending);
                for f in pending.drain(..) {
                    match &mut table {
                        Some(table) => table.place(window, f, detector, &mut keep),
                        None if f.confidence >= options.min_confidence => {
                            let location =
                                tracker.locate(window, window.base + f.span.start as u64);
                            keep(f, location);
                        }
                        None => {}
                    }
                }
                match &mut table {
                    Some(table) => table.end_window(window, detector, &mut keep),
                    None => tracker.advance(window, window.base + window.report.end as u64),
                }
                next
            },
        );
        let columns = table.map(|t| t.finish(detector, &mut keep));
        let (status, reason) = match streamed.error {
            None => (Status::Complete, None),
            Some(e) => {
                let reason = Reason {
                    code: reason_for_io(e.kind()),
                    message: format!("read failed after {} bytes: {e}", streamed.bytes_read),
                };
                (Status::Partial, Some(reason))
            }
        };
        let mut record = base_record(subject, format, status, reason);
        record.encoding = Some(streamed.encoding.name().to_string());
        let (occurrences, recount_on) = take_findings(findings, &mut record);
        record.columns = columns.unwrap_or_default();
        record.personal_data = record_has_personal_data(&record);
        FileOutcome {
            occurrences,
            recount_on,
            ..FileOutcome::new(record, streamed.bytes_read)
        }
    }

    /// Scans a structured document: `extract` reads it and hands each text segment with its
    /// location (and, in a table, its column header) to the visitor; it returns what it could
    /// not read to the end.
    fn scan_structured<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        mut reader: R,
        format: &'static str,
        extract: impl FnOnce(
            R,
            &mut dyn FnMut(Place<'_>, &str, Option<&str>),
        ) -> Result<Vec<Shortfall>, ExtractError>,
    ) -> FileOutcome {
        let people = metadata::of_document(&mut reader, format);
        if let Err(e) = reader.rewind() {
            return io_failed(subject, &e);
        }
        let options = &self.scanner.options;
        let rules = self.scanner.rules.rules.rules();
        let mut findings = self.file_findings();
        let classes = &self.scanner.rules.columns;
        let mut columns = ColumnTally::default();
        let mut segment = String::new();
        let (detector, pending) = (&mut self.detector, &mut self.findings);
        let deadline = self.deadline;
        let mut stopped = false;
        let mut segments = 0u64;
        let read = extract(reader, &mut |place, text, label| {
            // Parsers that hold the whole document (PDF, xls, ods) no longer read from the
            // file: stop scanning what they hand over once the time is up (the clock is read
            // every 256 segments, not for every cell).
            segments += 1;
            if segments.is_multiple_of(256) {
                stopped |= deadline.is_some_and(|d| Instant::now() >= d);
            }
            if stopped {
                return;
            }
            // The column of a cell under a header.
            let mut column = match (&place, label) {
                (Place::Cell { sheet, position }, Some(header)) => {
                    Some(
                        columns
                            .column(Some(sheet), position.1, header, || classes.classify(header)),
                    )
                }
                _ => None,
            };
            let class = column.as_ref().and_then(|c| c.class());
            let restored = class.and_then(|c| c.restore_number(text));
            let text = restored.as_deref().unwrap_or(text);
            tables::scan_labelled(detector, label, text, &mut segment, pending);
            if let Some(column) = &mut column {
                column.add_values(1);
            }
            for f in pending.drain(..) {
                if f.confidence >= options.min_confidence {
                    let rule = &rules[f.rule];
                    if let Some(column) = &mut column {
                        column.add_finding(&rule.kind);
                    }
                    findings.add(rule, f, || place.location());
                }
            }
        });
        let read = match read {
            Ok(mut shortfalls) if stopped => {
                shortfalls.insert(0, Shortfall::Capped(self.time_message()));
                Ok(shortfalls)
            }
            read => read,
        };
        let (status, reason) = read_status(read);
        let scanned = matches!(status, Status::Complete | Status::Partial);
        let mut record = base_record(subject, format, status, reason);
        let (occurrences, recount_on) = take_findings(findings, &mut record);
        record.columns = columns.into_summaries();
        record.metadata = people
            .iter()
            .map(|(field, name)| {
                findings::metadata_field(field, name, &self.scanner.key, options.reveal)
            })
            .collect();
        record.personal_data = record_has_personal_data(&record);
        let bytes_scanned = if scanned {
            subject.size.unwrap_or(0)
        } else {
            0
        };
        FileOutcome {
            occurrences,
            recount_on,
            ..FileOutcome::new(record, bytes_scanned)
        }
    }

    /// Scans an e-mail message (`eml`, `msg`): `read` hands its address headers, subject and
    /// body lines here, and its attachments, each scanned as a member of its own.
    fn scan_message<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        reader: R,
        format: &'static str,
        budget: &Budget,
        out: &mut dyn Outcomes,
        read: impl FnOnce(
            R,
            &Caps,
            &mut dyn FnMut(MailPart, &str),
            &mut dyn FnMut(Attachment),
        ) -> Result<Vec<Shortfall>, ExtractError>,
    ) -> FileOutcome {
        if let Some(too_deep) = self.too_deep(subject, format, "a message") {
            return too_deep;
        }
        let caps = self.caps();
        let mut attachments = Vec::new();
        let outcome = self.scan_structured(subject, reader, format, |reader, visit| {
            let mut line = String::new();
            read(
                reader,
                &caps,
                &mut |part, text| match part {
                    MailPart::Header(name) => {
                        line.clear();
                        line.push_str(name);
                        line.push_str(": ");
                        line.push_str(text);
                        visit(Location::part(name).into(), &line, None);
                    }
                    MailPart::Body { body, line } => {
                        visit(Location::body_line(body, line).into(), text, None)
                    }
                },
                &mut |attachment| attachments.push(attachment),
            )
        });
        let unread_before = std::mem::take(&mut self.members_after_deadline);
        for attachment in attachments {
            let member = Member {
                name: attachment.name,
                modified: None,
                content: Ok(attachment.content),
            };
            self.scan_member(subject, member, budget, out);
        }
        let unread = std::mem::replace(&mut self.members_after_deadline, unread_before);
        let mut outcome = outcome;
        if unread > 0 {
            let message = format!("{}: {unread} attachments not read", self.time_message());
            cut_short(&mut outcome.record, message);
        }
        outcome
    }

    /// The record of a container (`what`: an archive, a message) nested deeper than
    /// `--max-archive-depth`, which is not opened; `None` when it is not that deep.
    fn too_deep(
        &self,
        subject: &Subject<'_>,
        format: &'static str,
        what: &str,
    ) -> Option<FileOutcome> {
        let max = self.scanner.options.archives.max_depth;
        if subject.depth() < max {
            return None;
        }
        let message = format!(
            "{what} nested {} deep: not opened (--max-archive-depth {max})",
            subject.depth() + 1
        );
        let mut outcome = not_scanned(subject, Status::Skipped, ReasonCode::LimitExceeded, message);
        outcome.record.format = format.into();
        Some(outcome)
    }

    /// Scans an archive's members, each as a file of its own; the archive's own record says
    /// whether all of them could be listed and read.
    fn scan_archive<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        reader: R,
        format: &'static str,
        budget: &Budget,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        let limits = self.scanner.options.archives;
        if let Some(too_deep) = self.too_deep(subject, format, "an archive") {
            return too_deep;
        }
        let name = subject.name().to_string_lossy().into_owned();
        let unread_before = std::mem::take(&mut self.members_after_deadline);
        let read = archive::for_each_member(
            reader,
            format,
            &name,
            limits.member_limits(),
            budget,
            |member| {
                self.scan_member(subject, member, budget, out);
            },
        );
        let unread = std::mem::replace(&mut self.members_after_deadline, unread_before);
        let read = match read {
            Ok(mut shortfalls) if unread > 0 => {
                shortfalls.insert(
                    0,
                    Shortfall::Capped(format!(
                        "{}: {unread} members not read",
                        self.time_message()
                    )),
                );
                Ok(shortfalls)
            }
            read => read,
        };
        let (status, reason) = read_status(read);
        let scanned = matches!(status, Status::Complete | Status::Partial);
        FileOutcome::new(
            base_record(subject, format, status, reason),
            if scanned {
                subject.size.unwrap_or(0)
            } else {
                0
            },
        )
    }

    /// Scans one member of a container (archive member, attachment) as a file of its own.
    fn scan_member(
        &mut self,
        parent: &Subject<'_>,
        member: Member,
        budget: &Budget,
        out: &mut dyn Outcomes,
    ) {
        if self.out_of_time() {
            self.members_after_deadline += 1;
            return;
        }
        let size = member.content.as_ref().ok().map(|c| c.len() as u64);
        let subject = parent.member(member.name, size, member.modified);
        let mut outcome = match member.content {
            Ok(bytes) => {
                let container = self.format;
                let scanned = catch_unwind(AssertUnwindSafe(|| {
                    self.scan_content(&subject, io::Cursor::new(bytes), budget, out)
                }));
                let outcome = scanned.unwrap_or_else(|_| self.panicked(&subject));
                self.format = container;
                outcome
            }
            Err(Unread::Encrypted) => {
                let (status, reason) = encrypted_reason();
                FileOutcome::new(base_record(&subject, "unknown", status, reason), 0)
            }
            Err(Unread::Capped(message)) => not_scanned(
                &subject,
                Status::Skipped,
                ReasonCode::LimitExceeded,
                message,
            ),
            Err(Unread::Corrupt(message)) => {
                not_scanned(&subject, Status::Error, ReasonCode::Corrupt, message)
            }
            Err(Unread::Unsupported(message)) => not_scanned(
                &subject,
                Status::Skipped,
                ReasonCode::UnsupportedFormat,
                message,
            ),
        };
        // Members' bytes are the container's: counted once, there.
        outcome.bytes_scanned = 0;
        let mut outcome = self.time_capped(outcome);
        self.scrub(&mut outcome);
        out.push(outcome);
    }
}

/// The first frame a reader process gets: everything it needs to read files as the scanner
/// would.
#[derive(Serialize, Deserialize)]
struct ReaderSetup {
    /// The fingerprint key, hex (the pipe is private to the two processes).
    key: String,
    /// Where the scanner's rules came from.
    rules: RuleSource,
    /// The scanner's rule-set digest: the reader refuses to run with other rules.
    rules_digest: String,
    /// The scan options.
    options: ScanOptions,
}

/// A request to a reader process: read this file on disk.
#[derive(Serialize, Deserialize)]
struct ReaderRequest {
    /// The path's exact bytes (`inventory::path::exact_bytes`).
    path: Vec<u8>,
}

/// What a reader process answers: its members' outcomes as each is done, then the file's own.
#[derive(Serialize, Deserialize)]
enum ReaderReply {
    /// The outcome of an archive member or attachment.
    Member(FileOutcome),
    /// The outcome of the file itself: the last frame for the request.
    File(FileOutcome),
}

/// Sends a reader's member outcomes to the scanner as they are done.
struct MemberFrames<W: Write> {
    out: W,
}

impl<W: Write> Outcomes for MemberFrames<W> {
    fn push(&mut self, outcome: FileOutcome) {
        if isolation::write_frame(&mut self.out, &ReaderReply::Member(outcome)).is_err() {
            // The scanner is gone: nothing is waiting for this file.
            std::process::exit(0);
        }
    }
}

/// Runs a reader process (`piimap reader`): reads the setup, then one request after another
/// from `input`, and answers each on `output`, under the memory budget per file.
pub fn serve_reader(mut input: impl Read, output: impl Write) -> Result<()> {
    crate::memory::enable();
    isolation::end_with_parent();
    let setup: ReaderSetup =
        isolation::read_frame(&mut input)?.context("the scanner sent no setup")?;
    let rules = ScanRules::load(&setup.rules)?;
    if rules.digest() != setup.rules_digest {
        bail!("the rules changed since the scan began");
    }
    let key = FingerprintKey::from_hex(&setup.key)?;
    let budget = setup.options.max_file_memory;
    let scanner = Scanner::new(rules, key, setup.options);
    let mut worker = Worker::new(&scanner);
    let mut members = MemberFrames { out: output };
    while let Some(request) = isolation::read_frame::<ReaderRequest>(&mut input)? {
        let path = crate::inventory::path::from_exact_bytes(&request.path);
        crate::memory::begin_file(budget);
        let meta = fs::metadata(&path);
        let outcome = worker.scan_on_disk(&path, &meta, &mut members);
        isolation::write_frame(&mut members.out, &ReaderReply::File(outcome))?;
        crate::memory::end_file();
    }
    Ok(())
}

/// `message` with the inside of every quoted span (`'...'`, `"..."`, `` `...` ``) replaced by
/// `…`: parsers quote the text they stumbled on.
fn unquoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                // An apostrophe inside a word (`can't`) opens nothing.
                let opens = matches!(c, '"' | '`')
                    || (c == '\'' && !out[..out.len() - 1].ends_with(char::is_alphanumeric));
                if opens {
                    quote = Some(c);
                }
            }
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out
}

/// Whether a file sniffed as `sniffed` (first bytes `head`) is read by a parser that is not
/// piimap's own streaming code: those files are read in reader processes.
fn read_by_parser(sniffed: Sniffed, head: &[u8]) -> bool {
    match sniffed {
        Sniffed::Text(_) => rtf::is_rtf(head),
        Sniffed::Utf32(_) => false,
        Sniffed::Document(format) => {
            matches!(
                format,
                "pdf" | "eml" | "ole" | "doc" | "ppt" | "msg" | "xls"
            ) || spreadsheet::FORMATS.contains(&format)
                || office::FORMATS.contains(&format)
                || archive::FORMATS.contains(&format)
        }
        Sniffed::Encrypted(_) | Sniffed::Binary(_) => false,
    }
}

/// The format name a sniffed subject is recorded under until its reader says more.
fn sniffed_format(sniffed: Sniffed, name: &Path) -> &'static str {
    match sniffed {
        Sniffed::Text(_) | Sniffed::Utf32(_) => extract::text_format(name),
        Sniffed::Document(f) | Sniffed::Encrypted(f) | Sniffed::Binary(f) => f,
    }
}

/// A size for people: `256 MiB`, `1.5 GiB`, `512 bytes`.
fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = "bytes";
    for u in UNITS {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = u;
    }
    if unit == "bytes" {
        format!("{bytes} bytes")
    } else if value.fract() == 0.0 {
        format!("{value} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

/// A file that refuses to be read once its deadline has passed (`--max-file-time`), so that a
/// parser reading from it stops wherever it is.
struct TimedReader<R> {
    inner: R,
    deadline: Option<Instant>,
}

impl<R: Read> Read for TimedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the file's --max-file-time is up",
            ));
        }
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for TimedReader<R> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(to)
    }
}

/// What a record is about: a file on disk, or a member inside one (at any depth: an archive
/// member, an e-mail attachment).
#[derive(Debug, Clone)]
struct Subject<'p> {
    file: &'p Path,
    members: Vec<String>,
    size: Option<u64>,
    modified: Option<SystemTime>,
}

impl<'p> Subject<'p> {
    fn on_disk(file: &'p Path, meta: Option<&fs::Metadata>) -> Subject<'p> {
        Subject {
            file,
            members: Vec::new(),
            size: meta.map(fs::Metadata::len),
            modified: meta.and_then(|m| m.modified().ok()),
        }
    }

    fn member(&self, name: String, size: Option<u64>, modified: Option<SystemTime>) -> Subject<'p> {
        let mut members = self.members.clone();
        members.push(name);
        Subject {
            file: self.file,
            members,
            size,
            modified,
        }
    }

    /// The name its format is judged by: the innermost member's, else the file's path.
    fn name(&self) -> &Path {
        self.members.last().map_or(self.file, Path::new)
    }

    /// How many containers it is inside.
    fn depth(&self) -> usize {
        self.members.len()
    }
}

/// The status of a document or container from what its reader returned.
fn read_status(read: Result<Vec<Shortfall>, ExtractError>) -> (Status, Option<Reason>) {
    match read {
        Ok(incomplete) if incomplete.is_empty() => (Status::Complete, None),
        Ok(incomplete) => (Status::Partial, Some(shortfall_reason(&incomplete))),
        Err(ExtractError::Encrypted) => encrypted_reason(),
        Err(ExtractError::Corrupt(message)) => (
            Status::Error,
            Some(Reason {
                code: ReasonCode::Corrupt,
                message,
            }),
        ),
        Err(ExtractError::Capped(message)) => (
            Status::Skipped,
            Some(Reason {
                code: ReasonCode::LimitExceeded,
                message,
            }),
        ),
    }
}

/// Marks a record that was read as cut short by a cap after the fact (attachments left at the
/// deadline): `partial`, `limit_exceeded` first among its reasons.
fn cut_short(record: &mut FileRecord, message: String) {
    if !matches!(record.status, Status::Complete | Status::Partial) {
        return;
    }
    record.status = Status::Partial;
    let before = record.reason.take().map(|r| r.message);
    record.reason = Some(Reason {
        code: ReasonCode::LimitExceeded,
        message: match before {
            Some(before) => format!("{message}; {before}"),
            None => message,
        },
    });
}

/// A finding of personal data, or a classified column of personal data with values.
fn record_has_personal_data(record: &FileRecord) -> bool {
    record.findings.iter().any(|k| k.personal)
        || record
            .columns
            .iter()
            .any(|c| c.category.is_some_and(Category::is_personal) && c.values > 0)
}

/// The reason for what was not read: a cap that bit first, then damage, then missing text.
fn shortfall_reason(incomplete: &[Shortfall]) -> Reason {
    let code = |s: &Shortfall| match s {
        Shortfall::Capped(_) => ReasonCode::LimitExceeded,
        Shortfall::Unreadable(_) => ReasonCode::Corrupt,
        Shortfall::NoText(_) => ReasonCode::NoTextLayer,
    };
    let parts: Vec<&str> = incomplete
        .iter()
        .map(|s| match s {
            Shortfall::Unreadable(m) | Shortfall::Capped(m) | Shortfall::NoText(m) => m.as_str(),
        })
        .collect();
    Reason {
        code: incomplete
            .iter()
            .map(code)
            .min_by_key(|c| match c {
                ReasonCode::LimitExceeded => 0,
                ReasonCode::Corrupt => 1,
                _ => 2,
            })
            .unwrap_or(ReasonCode::Corrupt),
        message: format!("not read to the end: {}", parts.join("; ")),
    }
}

fn encrypted_reason() -> (Status, Option<Reason>) {
    let message = "password protected: not scanned".to_string();
    (
        Status::Skipped,
        Some(Reason {
            code: ReasonCode::Encrypted,
            message,
        }),
    )
}

/// Opens a file on disk for reading: never blocking (a file replaced by a FIFO since the walk
/// would block `open` until a writer came), refusing anything that is no longer a regular file,
/// and without updating its access time where the OS allows it (Linux `O_NOATIME`: the
/// file's owner, or root; see [`AccessTimes`]).
fn open_for_scan(path: &Path) -> io::Result<File> {
    let file = open_without_blocking(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no longer a regular file (replaced by a FIFO, socket or device after the walk): not read",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: F_GETFL/F_SETFL on a descriptor this function owns.
        unsafe {
            let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok(file)
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    #[cfg(target_os = "linux")]
    {
        // O_NOATIME is refused (EPERM) for files the user does not own; fall back then.
        if let Ok(f) = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOATIME)
            .open(path)
        {
            return Ok(f);
        }
    }
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Whether reading leaves files' last-access times as they were, as far as this process can
/// tell before it starts (recorded in the scan header).
pub fn access_times() -> AccessTimes {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            AccessTimes::Unchanged
        } else {
            AccessTimes::UnchangedForOwnFiles
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        AccessTimes::MayChange
    }
}

/// The record of a file that is not text: a format not read yet, or binary content.
fn not_text_outcome(subject: &Subject<'_>, sniffed: Sniffed) -> FileOutcome {
    let (code, format, message) = match sniffed {
        Sniffed::Document(f) => (
            ReasonCode::UnsupportedFormat,
            f,
            format!("{f} files are not read by this version of piimap"),
        ),
        Sniffed::Binary(f) => (
            ReasonCode::Binary,
            f,
            format!("{f} content holds no text to scan"),
        ),
        Sniffed::Text(_) | Sniffed::Utf32(_) | Sniffed::Encrypted(_) => {
            unreachable!("scanned or reported by the caller")
        }
    };
    let mut outcome = not_scanned(subject, Status::Skipped, code, message);
    outcome.record.format = format.into();
    outcome
}

/// The record of a subject whose reading failed with `e` (before anything was scanned).
fn io_failed(subject: &Subject<'_>, e: &io::Error) -> FileOutcome {
    not_scanned(
        subject,
        Status::Error,
        reason_for_io(e.kind()),
        e.to_string(),
    )
}

fn reason_for_io(kind: io::ErrorKind) -> ReasonCode {
    match kind {
        io::ErrorKind::PermissionDenied => ReasonCode::PermissionDenied,
        io::ErrorKind::NotFound => ReasonCode::NotFound,
        _ => ReasonCode::IoError,
    }
}

/// Where a document's extractor found a piece of text. A cell stays a sheet and two numbers
/// until a finding there is kept as a sample: a workbook has millions of cells, and each one's
/// `Location` (sheet name and A1 reference) cost two allocations.
enum Place<'a> {
    /// A spreadsheet cell: zero-based `(row, column)`.
    Cell {
        /// The sheet's name.
        sheet: &'a str,
        /// Zero-based row and column.
        position: (u32, u32),
    },
    /// Anywhere else, located already.
    Located(Location),
}

impl Place<'_> {
    /// The location for the inventory.
    fn location(&self) -> Location {
        match self {
            Place::Cell { sheet, position } => Location::cell(sheet, spreadsheet::a1(*position)),
            Place::Located(location) => location.clone(),
        }
    }
}

impl From<Location> for Place<'_> {
    fn from(location: Location) -> Self {
        Place::Located(location)
    }
}

fn not_scanned(
    subject: &Subject<'_>,
    status: Status,
    code: ReasonCode,
    message: String,
) -> FileOutcome {
    let reason = Some(Reason { code, message });
    FileOutcome::new(base_record(subject, "unknown", status, reason), 0)
}

/// A record with the subject's identity; a member's path is the file's path and the member
/// path at each level, joined by `!/`.
/// Moves a file's findings into its record (kinds, children); returns its occurrences and the
/// day its children count goes out of date.
fn take_findings(
    mut findings: FileFindings<'_>,
    record: &mut FileRecord,
) -> (Vec<Occurrence>, Option<i64>) {
    let occurrences = findings.take_occurrences();
    let (children, recount_on) = findings.children();
    record.children = children;
    record.children_data = children.is_some_and(|c| c.under_18 > 0);
    record.findings = findings.into_kinds();
    (occurrences, recount_on)
}

fn base_record(
    subject: &Subject<'_>,
    format: &str,
    status: Status,
    reason: Option<Reason>,
) -> FileRecord {
    let repr = PathRepr::of(subject.file);
    let mut path = repr.text.clone();
    for member in &subject.members {
        path.push_str("!/");
        path.push_str(member);
    }
    FileRecord {
        path,
        path_bytes: repr.bytes,
        inside: (!subject.members.is_empty()).then(|| Inside {
            file: repr.text,
            members: subject.members.clone(),
        }),
        size: subject.size,
        modified: subject.modified.and_then(rfc3339),
        format: format.to_string(),
        encoding: None,
        status,
        reason,
        personal_data: false,
        findings: Vec::new(),
        metadata: Vec::new(),
        columns: Vec::new(),
        change: None,
        children: None,
        children_data: false,
        retention: None,
    }
}

/// RFC 3339 UTC to the second, for times after 1970.
pub fn rfc3339(t: SystemTime) -> Option<String> {
    t.duration_since(UNIX_EPOCH)
        .ok()
        .map(|_| humantime::format_rfc3339_seconds(t).to_string())
}

/// The message of a panic's record: where it happened (kept by [`crate::panics`]), never
/// what it said, which may quote the text being read.
fn panic_message() -> String {
    match crate::panics::last_location() {
        Some(at) => format!("internal error while scanning, at {at} (please report)"),
        None => "internal error while scanning (please report)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a file replaced by a FIFO between the walk and the open blocked the scan
    /// forever in `open()`.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("was-a-file.txt");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid, NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(open_for_scan(&fifo).map(|_| ())).unwrap());
        let opened = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("open blocked on a FIFO");
        assert_eq!(opened.unwrap_err().kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn quoted_text_is_left_out_of_messages() {
        assert_eq!(
            unquoted("Unrecognized attribute value '010180-12347' for \"r\""),
            "Unrecognized attribute value '…' for \"…\""
        );
        assert_eq!(unquoted("can't read `x"), "can't read `…");
        assert_eq!(unquoted("no quotes here"), "no quotes here");
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(size_text(256 << 20), "256 MiB");
        assert_eq!(size_text(1536 << 20), "1.5 GiB");
        assert_eq!(size_text(512), "512 bytes");
    }
}
