//! The scan's one consumer: every group of outcomes the scanning threads send is recorded in
//! the store (when there is one), checked against the retention policies, folded into the
//! summary and written, in that order, on the thread that called the scan.

use std::time::Instant;

use anyhow::Result;

use super::{Progress, RecordSink, SummaryBuilder};
use crate::inventory::{RecordDigest, RetentionCheck, Summary};
use crate::outcome::{Group, ScanRecorder};
use crate::retention::Retention;

/// Takes each group of outcomes as the scan sends it.
pub struct Consumer<'r> {
    sink: Box<dyn RecordSink>,
    summary: SummaryBuilder,
    store: Option<Box<dyn ScanRecorder>>,
    retention: Option<&'r Retention>,
    progress: Progress,
    started: Instant,
}

impl<'r> Consumer<'r> {
    /// A consumer writing to `sink`, recording in `store`, checking `retention`, and drawing a
    /// progress line when `progress`; the scan's rate is measured from `started`.
    pub fn new(
        sink: Box<dyn RecordSink>,
        store: Option<Box<dyn ScanRecorder>>,
        retention: Option<&'r Retention>,
        progress: bool,
        started: Instant,
    ) -> Consumer<'r> {
        Consumer {
            sink,
            summary: SummaryBuilder::default(),
            store,
            retention,
            progress: Progress::new(progress),
            started,
        }
    }

    /// The retention check of a record (ages change with the scan date: checked on every
    /// scan, never stored).
    fn check(&self, digest: &RecordDigest) -> Option<RetentionCheck> {
        self.retention?.check(
            &digest.path,
            digest.modified.as_deref(),
            digest.personal_data,
        )
    }

    /// Records, checks, counts and writes one group.
    pub fn take(&mut self, group: Group) -> Result<()> {
        match group {
            Group::Outcomes(mut outcomes) => {
                let gone = match &mut self.store {
                    Some(store) => store.record_group(&mut outcomes)?,
                    None => Vec::new(),
                };
                for outcome in &mut outcomes {
                    let digest = RecordDigest::of(&outcome.record);
                    outcome.record.retention = self.check(&digest);
                    let record = &outcome.record;
                    self.summary
                        .add(&digest, record.retention.as_ref(), outcome.bytes_scanned);
                    if record.is_listed() {
                        self.sink.record(record)?;
                    }
                }
                for record in &gone {
                    self.sink.record(record)?;
                }
            }
            Group::Unchanged(file) => {
                if let Some(store) = &mut self.store {
                    store.record_unchanged(&file)?;
                }
                for stored in &file.records {
                    let check = self.check(&stored.digest);
                    self.summary.add(&stored.digest, check.as_ref(), 0);
                    if stored.digest.is_listed(stored.change.as_ref()) {
                        self.sink.stored(stored, check.as_ref())?;
                    }
                }
            }
        }
        self.progress.tick(self.summary.summary(), self.started);
        Ok(())
    }

    /// Ends the scan: the store's files that are gone are written as `removed`, the summary
    /// is completed (`finished_at`) and written, and the inventory put in place.
    pub fn finish(mut self, finished_at: String) -> Result<Summary> {
        self.progress.clear();
        if let Some(store) = self.store.take() {
            let (removed, counts) = store.finish(&finished_at)?;
            for record in &removed {
                self.sink.record(record)?;
            }
            self.summary.set_store(counts);
        }
        let summary = self
            .summary
            .finish(finished_at, self.started.elapsed().as_secs_f64());
        self.sink.finish(&summary)?;
        Ok(summary)
    }
}
