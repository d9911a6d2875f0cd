//! What a record is about (a file on disk, or a member inside one at any depth) and the
//! records of subjects: not scanned, failed, cut short, or with their findings.

use std::fs;
use std::io;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::extract::{ExtractError, Shortfall};
use crate::findings::FileFindings;
use crate::inventory::{
    Category, FileRecord, Inside, Occurrence, PathRepr, Reason, ReasonCode, Status,
};
use crate::outcome::FileOutcome;

/// What a record is about: a file on disk, or a member inside one (at any depth: an archive
/// member, an e-mail attachment).
#[derive(Debug, Clone)]
pub(super) struct Subject<'p> {
    /// The file on disk.
    pub(super) file: &'p Path,
    /// Member paths, outermost first.
    pub(super) members: Vec<String>,
    /// Its size, when known.
    pub(super) size: Option<u64>,
    /// Its modification time, when known.
    pub(super) modified: Option<SystemTime>,
}

impl<'p> Subject<'p> {
    /// A file on disk.
    pub(super) fn on_disk(file: &'p Path, meta: Option<&fs::Metadata>) -> Subject<'p> {
        Subject {
            file,
            members: Vec::new(),
            size: meta.map(fs::Metadata::len),
            modified: meta.and_then(|m| m.modified().ok()),
        }
    }

    /// A member of this subject.
    pub(super) fn member(
        &self,
        name: String,
        size: Option<u64>,
        modified: Option<SystemTime>,
    ) -> Subject<'p> {
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
    pub(super) fn name(&self) -> &Path {
        self.members.last().map_or(self.file, Path::new)
    }

    /// How many containers it is inside.
    pub(super) fn depth(&self) -> usize {
        self.members.len()
    }
}

/// The status of a document or container from what its reader returned.
pub(super) fn read_status(read: Result<Vec<Shortfall>, ExtractError>) -> (Status, Option<Reason>) {
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
pub(super) fn cut_short(record: &mut FileRecord, message: String) {
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
pub(super) fn record_has_personal_data(record: &FileRecord) -> bool {
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

/// A password-protected file's status and reason.
pub(super) fn encrypted_reason() -> (Status, Option<Reason>) {
    let message = "password protected: not scanned".to_string();
    (
        Status::Skipped,
        Some(Reason {
            code: ReasonCode::Encrypted,
            message,
        }),
    )
}

/// The record of a subject whose reading failed with `e` (before anything was scanned).
pub(super) fn io_failed(subject: &Subject<'_>, e: &io::Error) -> FileOutcome {
    not_scanned(
        subject,
        Status::Error,
        reason_for_io(e.kind()),
        e.to_string(),
    )
}

/// The reason code of an I/O error.
pub(super) fn reason_for_io(kind: io::ErrorKind) -> ReasonCode {
    match kind {
        io::ErrorKind::PermissionDenied => ReasonCode::PermissionDenied,
        io::ErrorKind::NotFound => ReasonCode::NotFound,
        _ => ReasonCode::IoError,
    }
}

/// The record of a subject that was not scanned: its status and why.
pub(super) fn not_scanned(
    subject: &Subject<'_>,
    status: Status,
    code: ReasonCode,
    message: String,
) -> FileOutcome {
    let reason = Some(Reason { code, message });
    FileOutcome::new(record_of(subject, "unknown", status, reason), 0)
}

/// Moves a file's findings into its record (kinds, children); returns its occurrences and the
/// day its children count goes out of date.
pub(super) fn take_findings(
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

/// A record of `format` with the subject's identity; a member's path is the file's path and
/// the member path at each level, joined by `!/`.
pub(super) fn record_of(
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
