//! Reader processes: the documents, archives and messages that third-party parsers read are
//! read in a child process of this program (`piimap reader`), held to a memory budget per file,
//! so that a parser that crashes, loops or allocates without end costs that file alone.

use std::fs;
use std::io::{self, Read, Write};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::subject::{Subject, not_scanned};
use super::worker::Worker;
use super::{Outcomes, ScanOptions, ScanRules, Scanner};
use crate::detect::RuleSource;
use crate::extract::{Format, Sniffed};
use crate::inventory::fingerprint::FingerprintKey;
use crate::inventory::{ReasonCode, Status};
use crate::isolation::{self, Ended, ReaderProcess, Received};
use crate::outcome::FileOutcome;

impl Worker<'_> {
    /// Has this thread's reader process read a file on disk. Returns `None` when no reader
    /// process could be started (the caller reads the file itself).
    pub(super) fn scan_in_reader(
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
        let deadline = self.scanner.options.limits.file_time().map(|max| {
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
                Received::Frame(ReaderReply::Ready) => {}
                Received::Ended(how) => {
                    self.reader = None;
                    let format = sniffed.format(subject.name());
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
            let ready = ReaderProcess::spawn(&readers.program, &setup).and_then(|mut reader| {
                match reader.receive::<ReaderReply>(None) {
                    Received::Frame(ReaderReply::Ready) => Ok(reader),
                    Received::Frame(_) => Err(io::Error::other("it answered before its setup")),
                    Received::Ended(how) => Err(io::Error::other(format!(
                        "it ended during its setup ({how:?})"
                    ))),
                }
            });
            match ready {
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
        format: Format,
        how: &Ended,
        members: u64,
    ) -> FileOutcome {
        let options = &self.scanner.options;
        let (code, message) = match how {
            Ended::OverBudget => (
                ReasonCode::LimitExceeded,
                format!(
                    "reading it took more than {} of memory (--max-file-memory)",
                    size_text(options.limits.max_file_memory)
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
        outcome.record.format = format.name().into();
        outcome
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

/// What a reader process answers: that it is ready (once, after its setup), then per request
/// its members' outcomes as each is done, and the file's own.
#[derive(Serialize, Deserialize)]
enum ReaderReply {
    /// The setup is done (the rules are built): the first file's time starts now, not while
    /// the reader was still starting.
    Ready,
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
    let budget = setup.options.limits.max_file_memory;
    let scanner = Scanner::new(rules, key, setup.options);
    let mut worker = Worker::new(&scanner);
    let mut members = MemberFrames { out: output };
    isolation::write_frame(&mut members.out, &ReaderReply::Ready)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_for_people() {
        assert_eq!(size_text(256 << 20), "256 MiB");
        assert_eq!(size_text(1536 << 20), "1.5 GiB");
        assert_eq!(size_text(512), "512 bytes");
    }
}
