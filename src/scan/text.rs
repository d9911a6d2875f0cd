//! Text, streamed window by window through the detector; CSV and TSV (and plain text that
//! starts as a table does) through a table view as well, so that findings get their row,
//! column and header.

use std::io::{self, Read};

use super::subject::{
    Subject, io_failed, reason_for_io, record_has_personal_data, record_of, take_findings,
};
use super::worker::Worker;
use crate::detect::Finding;
use crate::extract::text::{self, LineTracker};
use crate::extract::{self, Format, TextEncoding};
use crate::inventory::{Location, Reason, Status};
use crate::outcome::FileOutcome;
use crate::tables::CsvView;

impl Worker<'_> {
    /// Streams text through the detector, window by window; CSV/TSV, and plain text whose
    /// first lines are a table, through a table view too.
    pub(super) fn scan_text(
        &mut self,
        subject: &Subject<'_>,
        mut reader: impl Read,
        filled: usize,
        text_encoding: TextEncoding,
    ) -> FileOutcome {
        let format = extract::text_format(subject.name());
        let options = &self.scanner.options;
        let rules = self.scanner.rules.rules.rules();
        let mut findings = self.file_findings();
        let mut tracker = LineTracker::default();
        let columns = &self.scanner.rules.columns;
        let mut table =
            matches!(format, Format::Csv | Format::Tsv).then(|| CsvView::new(format, columns));
        // Plain text may be a table too: decided on its first window.
        let mut sniff = format == Format::Text;
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
            matches!(format, Format::Html | Format::Xml),
            |window| {
                if sniff {
                    sniff = false;
                    table = CsvView::sniff(window.text, columns).map(|f| CsvView::new(f, columns));
                }
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
        let mut record = record_of(subject, format.name(), status, reason);
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

    /// UTF-32 text (with a byte-order mark, which is skipped), decoded to UTF-8 as it streams.
    pub(super) fn scan_utf32(
        &mut self,
        subject: &Subject<'_>,
        reader: impl Read,
        filled: usize,
        big_endian: bool,
    ) -> FileOutcome {
        let head = self.buf[4.min(filled)..filled].to_vec();
        let mut utf8 = text::Utf32Reader::new(io::Cursor::new(head).chain(reader), big_endian);
        let filled = match text::read_full(&mut utf8, &mut self.buf) {
            Ok(n) => n,
            Err(e) => return io_failed(subject, &e),
        };
        let encoding = TextEncoding {
            encoding: encoding_rs::UTF_8,
            bom_len: 0,
            fallback: None,
        };
        let mut outcome = self.scan_text(subject, utf8, filled, encoding);
        let name = if big_endian { "UTF-32BE" } else { "UTF-32LE" };
        outcome.record.encoding = Some(name.into());
        outcome
    }
}
