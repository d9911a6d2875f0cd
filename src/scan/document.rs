//! Documents (workbooks, word-processing and presentation files, PDFs, RTF) and the text part
//! of messages: each piece of text their extractor hands over is scanned at its place, a cell
//! with its column's header as its label, and the people named in the metadata are listed.

use std::io::{Read, Seek};
use std::time::Instant;

use super::options::ScanOptions;
use super::subject::{
    Subject, io_failed, read_status, record_has_personal_data, record_of, take_findings,
};
use super::worker::Worker;
use crate::detect::Rule;
use crate::extract::document::{self, Place, Visit};
use crate::extract::{ExtractError, Format, Shortfall, metadata};
use crate::findings::{self, FileFindings};
use crate::inventory::Status;
use crate::outcome::FileOutcome;
use crate::tables::{self, ColumnTally, NAME_KIND, NameOfRow, RowName};

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
        // The name cells of the row being read, and its sheet.
        let mut row_name = RowName::default();
        let mut name_sheet = String::new();
        let mut names: Vec<(NameOfRow, String)> = Vec::new();
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
            let name_part = class.zip(label).and_then(|(c, header)| c.name_part(header));
            if let (Some(part), Place::Cell { sheet, position }) = (name_part, &place) {
                if name_sheet != *sheet {
                    names.extend(row_name.finish(detector).map(|n| (n, name_sheet.clone())));
                    name_sheet.clear();
                    name_sheet.push_str(sheet);
                }
                let (row, col) = *position;
                let ended = row_name.add(detector, u64::from(row), col, part, text, || {
                    place.location()
                });
                names.extend(ended.map(|n| (n, name_sheet.clone())));
            }
            let restored = class.and_then(|c| c.restore_number(text));
            let text = restored.as_deref().unwrap_or(text);
            tables::scan_labelled(detector, label, text, &mut segment, pending);
            if let Some(class) = class.filter(|_| name_part.is_none()) {
                let fallback = tables::column_fallback(detector, class, text, pending);
                pending.extend(fallback);
            }
            if let Some(column) = &mut column {
                column.add_values(1);
            }
            for f in pending.drain(..) {
                let rule = &rules[f.rule];
                // A name in a name column is the row's name.
                if f.confidence >= options.min_confidence
                    && !(name_part.is_some() && rule.kind == NAME_KIND)
                {
                    if let Some(column) = &mut column {
                        column.add_finding(&rule.kind);
                    }
                    findings.add(rule, f, || place.location());
                }
            }
            for (name, sheet) in names.drain(..) {
                add_row_name(&mut findings, &mut columns, rules, options, name, &sheet);
            }
        });
        if let Some(name) = row_name.finish(detector) {
            add_row_name(
                &mut findings,
                &mut columns,
                rules,
                options,
                name,
                &name_sheet,
            );
        }
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

/// Adds the name of a table row that ended to the file's findings and to the tallies of the
/// columns its cells are in (on `sheet`).
fn add_row_name(
    findings: &mut FileFindings<'_>,
    columns: &mut ColumnTally<'_>,
    rules: &[Rule],
    options: &ScanOptions,
    name: NameOfRow,
    sheet: &str,
) {
    if name.finding.confidence < options.min_confidence {
        return;
    }
    let rule = &rules[name.finding.rule];
    for &column in &name.columns {
        columns.count_finding(Some(sheet), column, &rule.kind);
    }
    let location = name.location;
    findings.add(rule, name.finding, || location.clone());
}
