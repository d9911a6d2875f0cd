//! Containers: archives and messages, whose members (archive members, attachments) are
//! scanned each as a file of its own, nested up to `--max-archive-depth`.

use std::io::{self, Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::Outcomes;
use super::subject::{Subject, cut_short, encrypted_reason, not_scanned, read_status, record_of};
use super::worker::Worker;
use crate::extract::archive::{self, Budget, Member, Unread};
use crate::extract::{Format, Shortfall, document};
use crate::inventory::{ReasonCode, Status};
use crate::outcome::FileOutcome;

impl Worker<'_> {
    /// Scans an e-mail message (`eml`, `msg`): its address headers, subject and body lines
    /// as a document, and its attachments, each scanned as a member of its own.
    pub(super) fn scan_message<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        reader: R,
        format: Format,
        budget: &Budget,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        if let Some(too_deep) = self.too_deep(subject, format, "a message") {
            return too_deep;
        }
        let caps = self.caps();
        let mut attachments = Vec::new();
        let mut outcome = self.scan_structured(subject, reader, format, |reader, visit| {
            document::read_message(reader, format, &caps, visit, &mut |attachment| {
                attachments.push(attachment)
            })
        });
        let ((), unread) = self.members_left_unread(|worker| {
            for attachment in attachments {
                let member = Member {
                    name: attachment.name,
                    modified: None,
                    content: Ok(attachment.content),
                };
                worker.scan_member(subject, member, budget, out);
            }
        });
        if let Some(message) = self.unread_message(unread, "attachments") {
            cut_short(&mut outcome.record, message);
        }
        outcome
    }

    /// The record of a container (`what`: an archive, a message) nested deeper than
    /// `--max-archive-depth`, which is not opened; `None` when it is not that deep.
    fn too_deep(&self, subject: &Subject<'_>, format: Format, what: &str) -> Option<FileOutcome> {
        let max = self.scanner.options.limits.max_archive_depth;
        if subject.depth() < max {
            return None;
        }
        let message = format!(
            "{what} nested {} deep: not opened (--max-archive-depth {max})",
            subject.depth() + 1
        );
        let mut outcome = not_scanned(subject, Status::Skipped, ReasonCode::LimitExceeded, message);
        outcome.record.format = format.name().into();
        Some(outcome)
    }

    /// Scans an archive's members, each as a file of its own; the archive's own record says
    /// whether all of them could be listed and read.
    pub(super) fn scan_archive<R: Read + Seek>(
        &mut self,
        subject: &Subject<'_>,
        reader: R,
        format: Format,
        budget: &Budget,
        out: &mut dyn Outcomes,
    ) -> FileOutcome {
        let limits = self.scanner.options.archive_limits();
        if let Some(too_deep) = self.too_deep(subject, format, "an archive") {
            return too_deep;
        }
        let name = subject.name().to_string_lossy().into_owned();
        let (read, unread) = self.members_left_unread(|worker| {
            archive::for_each_member(reader, format, &name, limits, budget, |member| {
                worker.scan_member(subject, member, budget, out);
            })
        });
        let read = match (read, self.unread_message(unread, "members")) {
            (Ok(mut shortfalls), Some(message)) => {
                shortfalls.insert(0, Shortfall::Capped(message));
                Ok(shortfalls)
            }
            (read, _) => read,
        };
        let (status, reason) = read_status(read);
        let scanned = matches!(status, Status::Complete | Status::Partial);
        FileOutcome::new(
            record_of(subject, format.name(), status, reason),
            if scanned {
                subject.size.unwrap_or(0)
            } else {
                0
            },
        )
    }

    /// Runs `scan` (which scans a container's members) and also returns how many of those
    /// members were left unread because the file's time ran out.
    fn members_left_unread<T>(&mut self, scan: impl FnOnce(&mut Self) -> T) -> (T, u64) {
        let outer = std::mem::take(&mut self.members_after_deadline);
        let scanned = scan(self);
        let unread = std::mem::replace(&mut self.members_after_deadline, outer);
        (scanned, unread)
    }

    /// What the container's record says when `unread` of its `members` were not read
    /// because the time ran out; `None` when all were read.
    fn unread_message(&self, unread: u64, members: &str) -> Option<String> {
        (unread > 0).then(|| format!("{}: {unread} {members} not read", self.time_message()))
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
                FileOutcome::new(record_of(&subject, "unknown", status, reason), 0)
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
