//! What a file (or a member) is decides how it is scanned: one dispatch on the sniffed format.

use std::io::{Read, Seek};

use super::Outcomes;
use super::subject::{Subject, encrypted_reason, io_failed, not_scanned, record_of};
use super::worker::Worker;
use crate::extract::archive::Budget;
use crate::extract::{self, Family, Sniffed, ole, text};
use crate::inventory::{ReasonCode, Status};
use crate::outcome::FileOutcome;

impl Worker<'_> {
    /// Scans what `reader` holds, by what its first bytes (then its name) say it is.
    pub(super) fn scan_content<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        mut reader: R,
        budget: &Budget,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        let filled = match text::read_full(&mut reader, &mut self.buf) {
            Ok(n) => n,
            Err(e) => return io_failed(subject, &e),
        };
        let sniffed = extract::sniff(&self.buf[..filled], subject.name());
        self.scan_sniffed(subject, reader, filled, sniffed, budget, out)
    }

    /// Scans what `reader` holds (its first `filled` bytes already in the buffer) as `sniffed`.
    pub(super) fn scan_sniffed<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        mut reader: R,
        filled: usize,
        sniffed: Sniffed,
        budget: &Budget,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        let sniffed = match sniffed {
            // An OLE file's streams say what it is; the extension may be wrong or missing.
            Sniffed::Document(format) if format.is_ole() => {
                let kind = reader.rewind().ok().and_then(|()| ole::kind(&mut reader));
                Sniffed::Document(kind.unwrap_or(format))
            }
            sniffed => sniffed,
        };
        self.format = Some(sniffed.format(subject.name()));
        match sniffed {
            Sniffed::Text(encoding) => self.scan_text(subject, reader, filled, encoding),
            Sniffed::Utf32(big_endian) => self.scan_utf32(subject, reader, filled, big_endian),
            Sniffed::Document(format) => match format.family() {
                Family::Document => self.scan_document(subject, reader, format),
                Family::Message => self.scan_message(subject, reader, format, budget, out),
                Family::Archive => self.scan_archive(subject, reader, format, budget, out),
                Family::Text | Family::Unsupported | Family::Binary => {
                    let message = format!("{format} files are not read by this version of piimap");
                    let mut outcome = not_scanned(
                        subject,
                        Status::Skipped,
                        ReasonCode::UnsupportedFormat,
                        message,
                    );
                    outcome.record.format = format.name().into();
                    outcome
                }
            },
            Sniffed::Encrypted(format) => {
                let (status, reason) = encrypted_reason();
                FileOutcome::new(record_of(subject, format.name(), status, reason), 0)
            }
            Sniffed::Binary(format) => {
                let message = format!("{format} content holds no text to scan");
                let mut outcome =
                    not_scanned(subject, Status::Skipped, ReasonCode::Binary, message);
                outcome.record.format = format.name().into();
                outcome
            }
        }
    }
}
