//! The scan: walker threads each scan whole files (sniff, extract, detect) and hand finished file
//! records to one consumer over a bounded channel. A failure in one file — an I/O error, a
//! parser panic — becomes that file's status; the scan goes on.
//!
//! The parts: [`options`] (what to scan and what reading may cost), `rules` (the rule set and
//! column classes), `worker` (one thread's state: the walk entry, the file on disk, its
//! deadline and panics), `subject` (what a record is about, and the records of what was not
//! read), `disk` (opening files without blocking or touching access times), `content` (the
//! dispatch on what a file is), `text`, `document` and `containers` (the three ways content is
//! scanned), `scrub` (reason messages without personal data) and `reader` (reader processes).

mod containers;
mod content;
mod disk;
mod document;
mod options;
mod reader;
mod rules;
mod scrub;
mod subject;
mod text;
mod worker;

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::sync::atomic::AtomicBool;

use anyhow::Result;
use ignore::WalkState;

use crate::detect::RuleSet;
use crate::inventory::fingerprint::FingerprintKey;
use crate::outcome::{FileOutcome, Group, PastScans};
use crate::walk::{self, WalkItem};

pub use disk::access_times;
pub use options::{Readers, ScanOptions};
pub use reader::serve_reader;
pub use rules::ScanRules;
pub use subject::rfc3339;
use worker::Worker;

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
            // The receiver is owned here: if `on_group` fails, returning drops it, so walker
            // threads blocked on a full channel get an error and quit instead of deadlocking.
            let rx = rx;
            for group in &rx {
                on_group(group)?;
            }
            Ok(())
        })
    }

    /// Whether the walk entry is one of the files the scan itself writes.
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
