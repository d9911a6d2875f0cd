//! Documents (workbooks, word-processing and presentation files, PDFs, RTF) and the text part
//! of messages: each piece of text their extractor hands over is scanned at its place, a cell
//! with its column's header as its label, and the people named in the metadata are listed.

use std::io::{Read, Seek};
use std::time::Instant;

use super::subject::{
    Subject, io_failed, read_status, record_has_personal_data, record_of, take_findings,
};
use super::worker::Worker;
use crate::extract::document::{self, Place, Visit};
use crate::extract::{ExtractError, Format, Shortfall, metadata};
use crate::findings;
use crate::inventory::Status;
use crate::outcome::FileOutcome;
use crate::tables::{self, ColumnTally};

impl Worker<'_> {
    /// Scans a document of a [`crate::extract::Family::Document`] format.
    pub(super) fn scan_document<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        reader: R,
        format: Format,
    ) -> FileOutcome {
        let caps = self.caps();
        self.scan_structured(subject, reader, format, |reader, visit| {
            document::for_each_segment(reader, format, &caps, visit)
        })
    }

    /// Scans a structured document: `extract` reads it and hands each text segment with its
    /// location (and, in a table, its column header) to the visitor; it returns what it could
    /// not read to the end.
    pub(super) fn scan_structured<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        mut reader: R,
        format: Format,
        extract: impl FnOnce(R, &mut Visit<'_>) -> Result<Vec<Shortfall>, ExtractError>,
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
        let mut record = record_of(subject, format.name(), status, reason);
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
}
