//! The inventory: the record types that are the contract with the register tool and scheduled
//! jobs (documented field by field in `docs/inventory.md`), and the keyed fingerprints and path
//! forms they carry. It imports nothing else of the crate.

pub mod fingerprint;
pub mod path;
pub mod schema;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use path::PathRepr;

/// Version of the inventory format. Bump when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 5;

/// How sure a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Shape and validator fit, nothing else supports it.
    Low,
    /// A validated value (check digit, public suffix...).
    Medium,
    /// A validated value with supporting context.
    High,
}

impl Confidence {
    const LEVELS: [Confidence; 3] = [Confidence::Low, Confidence::Medium, Confidence::High];

    /// `levels` steps higher, at most `High`.
    pub fn raised(self, levels: u8) -> Confidence {
        Self::LEVELS[(self as usize + usize::from(levels)).min(2)]
    }

    /// `levels` steps lower, at least `Low`.
    pub fn lowered(self, levels: u8) -> Confidence {
        Self::LEVELS[(self as usize).saturating_sub(usize::from(levels))]
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        })
    }
}

/// Register category of a kind of data.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Identifies a person directly (personal code).
    Identification,
    /// Contact data (e-mail, phone).
    Contact,
    /// Financial data (IBAN, payment card).
    Financial,
    /// Online identifiers (IP addresses).
    OnlineIdentifier,
    /// GDPR Art. 9 special categories (health, religion, ethnicity...).
    SpecialCategory,
    /// GDPR Art. 10 criminal convictions and offences.
    CriminalRecords,
    /// Identifies an organisation, not a person (company numbers); never counted as personal.
    Organisation,
}

impl Category {
    /// Whether findings of this category are personal data.
    pub fn is_personal(self) -> bool {
        self != Category::Organisation
    }

    /// The name used in the inventory.
    pub fn name(self) -> &'static str {
        match self {
            Category::Identification => "identification",
            Category::Contact => "contact",
            Category::Financial => "financial",
            Category::OnlineIdentifier => "online_identifier",
            Category::SpecialCategory => "special_category",
            Category::CriminalRecords => "criminal_records",
            Category::Organisation => "organisation",
        }
    }
}

/// Whether a context keyword raised or lowered the confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContextEffect {
    /// Raised.
    Raise,
    /// Lowered.
    Lower,
}

/// The context keyword behind a confidence change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContextEvidence {
    /// The keyword (stem) as listed in the rule, lower-case.
    pub keyword: String,
    /// Characters between the keyword and the value.
    pub distance: usize,
    /// What it did.
    pub effect: ContextEffect,
}

/// Where in a file a finding is: line and column in text, sheet and cell in a spreadsheet,
/// part and paragraph in an office document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Location {
    /// 1-based line of extracted text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u64>,
    /// 1-based column, in characters.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub column: Option<u64>,
    /// Sheet name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sheet: Option<String>,
    /// Cell reference in A1 notation.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cell: Option<String>,
    /// Part of an office document (`word/document.xml`, `ppt/slides/slide3.xml`, `content.xml`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub part: Option<String>,
    /// 1-based paragraph number within the part.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub paragraph: Option<u64>,
    /// 1-based page number (PDF).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<u32>,
}

impl Location {
    /// A line and column in text.
    pub fn text(line: u64, column: u64) -> Location {
        Location {
            line: Some(line),
            column: Some(column),
            ..Location::default()
        }
    }

    /// A line of extracted text, without a column (RTF: columns of the stripped text would not
    /// match the file).
    pub fn line(line: u64) -> Location {
        Location {
            line: Some(line),
            ..Location::default()
        }
    }

    /// A named part of a document without lines (an e-mail header: `From`).
    pub fn part(part: &str) -> Location {
        Location {
            part: Some(part.to_string()),
            ..Location::default()
        }
    }

    /// Line `line` of text body `body` of an e-mail (`body` for the first, `body2`...).
    pub fn body_line(body: usize, line: u64) -> Location {
        let part = if body == 1 {
            "body".to_string()
        } else {
            format!("body{body}")
        };
        Location {
            part: Some(part),
            line: Some(line),
            ..Location::default()
        }
    }

    /// A spreadsheet cell.
    pub fn cell(sheet: &str, cell: String) -> Location {
        Location {
            sheet: Some(sheet.to_string()),
            cell: Some(cell),
            ..Location::default()
        }
    }

    /// A page of a PDF.
    pub fn page(page: u32) -> Location {
        Location {
            page: Some(page),
            ..Location::default()
        }
    }

    /// A paragraph of an office document part.
    pub fn paragraph(part: &str, paragraph: u64) -> Location {
        Location {
            part: Some(part.to_string()),
            paragraph: Some(paragraph),
            ..Location::default()
        }
    }

    /// The part of the location that an edit elsewhere in the file does not move, for telling
    /// what changed between scans: `Sheet!C7` in a workbook, the column letters in CSV/TSV, the
    /// part in a document or e-mail (`word/header1.xml`, `From`), nothing for lines and pages.
    pub fn logical(&self) -> String {
        match (&self.sheet, &self.cell, &self.part) {
            (Some(sheet), Some(cell), _) => format!("{sheet}!{cell}"),
            (None, Some(cell), _) => cell.trim_end_matches(|c: char| c.is_ascii_digit()).into(),
            (_, _, Some(part)) => part.clone(),
            _ => String::new(),
        }
    }
}

/// One distinct personal value at one logical place in a file: what the store keeps to tell
/// changes apart and to answer subject searches (no raw value, only its fingerprint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    /// The finding's kind.
    pub kind: String,
    /// Keyed fingerprint of the normalised value (hex).
    pub fingerprint: String,
    /// `Location::logical` of where it was found.
    pub logical: String,
    /// The first location where it was found there.
    pub location: Location,
}

/// How a file compares with the previous scan.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ChangeState {
    /// Not in the previous scan.
    New,
    /// Read again because its size, modified time or identity changed.
    Changed,
    /// Size, modified time and identity as before: its findings were kept, not read again.
    Unchanged,
    /// The same file (same identity, size and modified time) under a new path.
    Moved,
    /// In the previous scan, gone now; the record is as last seen.
    Removed,
}

/// A file's change since the previous scan (present when there is one: `--store`, `diff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileChange {
    /// What happened to the file.
    pub state: ChangeState,
    /// For `moved`: the path it had.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub moved_from: Option<String>,
    /// Per kind whose findings differ: counts before and after, and distinct values (at their
    /// logical place) added and removed. Absent kinds did not change.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub kinds: BTreeMap<String, KindChange>,
}

/// The change of one kind's findings in a file.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct KindChange {
    /// `count` in the previous scan.
    pub before: u64,
    /// `count` now.
    pub after: u64,
    /// Distinct values at a logical place that are new.
    pub added: u64,
    /// Distinct values at a logical place that are gone.
    pub removed: u64,
}

impl KindChange {
    /// Per kind in either list: its count before and after (`added`/`removed` left at 0 for
    /// the caller, which knows how values are compared).
    pub fn counts(before: &[KindFindings], after: &[KindFindings]) -> BTreeMap<String, KindChange> {
        let mut kinds: BTreeMap<String, KindChange> = BTreeMap::new();
        for k in before {
            kinds.entry(k.kind.clone()).or_default().before = k.count;
        }
        for k in after {
            kinds.entry(k.kind.clone()).or_default().after = k.count;
        }
        kinds
    }

    /// Whether anything differs.
    pub fn is_change(&self) -> bool {
        self.before != self.after || self.added > 0 || self.removed > 0
    }
}

/// How completely a file was scanned.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every byte was read and scanned.
    Complete,
    /// Some of the file was scanned; `reason` says what was not.
    Partial,
    /// Not scanned, on purpose; `reason` says why.
    Skipped,
    /// Could not be read; `reason` carries the error.
    Error,
}

/// Why a file was not fully scanned.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Larger than `--max-file-size`.
    TooLarge,
    /// Content is not text and in no format piimap reads (images, executables...).
    Binary,
    /// A document or archive format piimap does not open yet (pdf, docx, zip...).
    UnsupportedFormat,
    /// The OS denied access.
    PermissionDenied,
    /// The file disappeared between the walk and the read.
    NotFound,
    /// Another I/O error.
    IoError,
    /// Password protected: the content cannot be read without the password.
    Encrypted,
    /// The file's format was recognised but it could not be parsed (truncated, corrupt).
    Corrupt,
    /// A configured cap (such as `--max-extracted-size`) stopped reading part of the file.
    LimitExceeded,
    /// Pages without a text layer (a scanned PDF): their content was not read.
    NoTextLayer,
    /// A directory could not be listed; its contents are unknown.
    UnreadableDirectory,
    /// A symbolic link, not followed (see `--follow-links`).
    SymlinkNotFollowed,
    /// Not a regular file (FIFO, socket, device).
    SpecialFile,
    /// The scanner failed on this file (a bug); the scan went on.
    InternalError,
}

impl ReasonCode {
    /// Whether this reason means personal data may have been missed. `binary` (images,
    /// executables) and special files hold no text to scan, symlinks are reported at their
    /// target when it is inside the scanned tree.
    pub fn leaves_gap(self) -> bool {
        !matches!(
            self,
            ReasonCode::Binary | ReasonCode::SpecialFile | ReasonCode::SymlinkNotFollowed
        )
    }
}

/// A status reason: a stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reason {
    /// Stable machine-readable code.
    pub code: ReasonCode,
    /// Details (the OS or parser message, the limit that bit).
    pub message: String,
}

/// One masked example of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Sample {
    /// The value with most of it hidden (`XXXXXX-XXX97`, `j***@pasts.lv`).
    pub masked: String,
    /// Keyed fingerprint of the normalised value (hex); equal values give equal fingerprints
    /// under the same key.
    pub fingerprint: String,
    /// Where it is.
    pub location: Location,
    /// This finding's confidence.
    pub confidence: Confidence,
    /// Checks the value passed (`check_digit`, `mod97`...).
    pub checks: Vec<String>,
    /// Non-personal facts (`format`, `range`, `country`, `brand`...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub attributes: BTreeMap<String, String>,
    /// The context keyword that changed the confidence.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub context: Option<ContextEvidence>,
}

/// Everything found of one kind in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KindFindings {
    /// The kind (`lv_personal_code`, `email`...).
    pub kind: String,
    /// Register category.
    pub category: Category,
    /// Whether this is personal data (`false` for organisation identifiers).
    pub personal: bool,
    /// Number of findings.
    pub count: u64,
    /// Number of distinct values (counted by a keyed 64-bit hash of each value, exact in practice).
    pub distinct: u64,
    /// `true` when distinct values stopped being counted at the cap; `distinct` is then a
    /// lower bound.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub distinct_capped: bool,
    /// Highest confidence among the findings.
    pub max_confidence: Confidence,
    /// A few masked samples, highest confidence first.
    pub samples: Vec<Sample>,
    /// The distinct raw values; only with `--reveal`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub values: Option<Vec<String>>,
}

/// One file's record.
///
/// `change` and `retention` are the last fields: they are set on every scan, so the store keeps
/// a record's JSON without them ([`FileRecord::to_stored_json`]) and the writer appends them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileRecord {
    /// The path as found (lossy UTF-8 if the name is not UTF-8).
    pub path: String,
    /// The exact path bytes, base64, only when the name is not valid UTF-8.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path_bytes: Option<String>,
    /// For a member of an archive or an attachment of a message: the file on disk and the
    /// member path at each level (`path` joins them with `!/`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub inside: Option<Inside>,
    /// Size in bytes (`null` if unknown).
    pub size: Option<u64>,
    /// Last modification time, RFC 3339 UTC.
    pub modified: Option<String>,
    /// Format detected from content (then extension): `text`, `csv`, `pdf`, `png`...
    pub format: String,
    /// Text encoding, for text formats.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub encoding: Option<String>,
    /// How completely it was scanned.
    pub status: Status,
    /// Why not completely (absent when `complete`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<Reason>,
    /// Whether any finding is personal data.
    pub personal_data: bool,
    /// Findings per kind, sorted by kind.
    pub findings: Vec<KindFindings>,
    /// People named in the document's metadata (author, last modified by).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub metadata: Vec<MetadataField>,
    /// Table columns (spreadsheets) with a header class or with findings.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub columns: Vec<ColumnSummary>,
    /// Ages behind the personal codes (present when the file holds any).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub children: Option<Children>,
    /// `true` when a personal code belongs to someone under 18 on the scan date.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub children_data: bool,
    /// Change since the previous scan (with `--store`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub change: Option<FileChange>,
    /// The retention policy and the file's age (with retention policies, for files holding
    /// personal data).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub retention: Option<RetentionCheck>,
}

/// Ages behind a file's personal codes: old-format codes carry the birth date.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Children {
    /// Distinct old-format codes of people under 18 on the scan date.
    pub under_18: u64,
    /// Distinct new-format codes (issued from 1 July 2017), which carry no birth date.
    pub age_unknown: u64,
}

/// A file checked against its retention policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RetentionCheck {
    /// The glob of the policy that applies, or `default`.
    pub policy: String,
    /// Its period as configured (`1y`, `75y`).
    pub period: String,
    /// Whole days since the file was last modified.
    pub age_days: u64,
    /// Kept longer than the period.
    pub over_retention: bool,
}

/// A person named in a document's metadata: masked and fingerprinted like a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetadataField {
    /// `author` or `last_modified_by`.
    pub field: String,
    /// The name with all but each word's first letter hidden (`A*** B***`).
    pub masked: String,
    /// Keyed fingerprint of the name (kind `person_name`), as for findings.
    pub fingerprint: String,
    /// The name itself, only with `--reveal`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value: Option<String>,
}

impl FileRecord {
    /// Whether the inventory lists this file: it has findings, was not fully scanned, or its
    /// findings changed since the previous scan (a file cleaned of personal data is news).
    pub fn is_listed(&self) -> bool {
        listed(self.status, !self.findings.is_empty(), self.change.as_ref())
    }

    /// The record's JSON as the store keeps it: without `change` and `retention`. Being the
    /// last fields, they are appended on output to give what serialising the whole record gives.
    pub fn to_stored_json(&mut self) -> serde_json::Result<String> {
        let change = self.change.take();
        let retention = self.retention.take();
        let json = serde_json::to_string(self);
        self.change = change;
        self.retention = retention;
        json
    }
}

/// See [`FileRecord::is_listed`].
fn listed(status: Status, has_findings: bool, change: Option<&FileChange>) -> bool {
    status != Status::Complete || has_findings || change.is_some_and(|c| !c.kinds.is_empty())
}

/// What the summary, retention and the exit code use of a record. Read from a stored record's
/// JSON, it skips the rest (samples, columns, metadata) without building it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RecordDigest {
    /// See [`FileRecord::path`].
    pub path: String,
    /// Whether it is a member of an archive or an attachment.
    #[serde(rename = "inside", default, deserialize_with = "present")]
    pub member: bool,
    /// See [`FileRecord::modified`].
    pub modified: Option<String>,
    /// See [`FileRecord::status`].
    pub status: Status,
    /// The code of [`FileRecord::reason`].
    #[serde(default, deserialize_with = "reason_code")]
    pub reason: Option<ReasonCode>,
    /// See [`FileRecord::personal_data`].
    pub personal_data: bool,
    /// Kind, category and count of each of [`FileRecord::findings`].
    pub findings: Vec<KindCount>,
    /// See [`FileRecord::children_data`].
    #[serde(default)]
    pub children_data: bool,
}

/// A kind's count in a [`RecordDigest`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KindCount {
    /// See [`KindFindings::kind`].
    pub kind: String,
    /// See [`KindFindings::category`].
    pub category: Category,
    /// See [`KindFindings::count`].
    pub count: u64,
}

impl RecordDigest {
    /// The digest of a record in memory.
    pub fn of(record: &FileRecord) -> RecordDigest {
        RecordDigest {
            path: record.path.clone(),
            member: record.inside.is_some(),
            modified: record.modified.clone(),
            status: record.status,
            reason: record.reason.as_ref().map(|r| r.code),
            personal_data: record.personal_data,
            findings: record
                .findings
                .iter()
                .map(|k| KindCount {
                    kind: k.kind.clone(),
                    category: k.category,
                    count: k.count,
                })
                .collect(),
            children_data: record.children_data,
        }
    }

    /// See [`FileRecord::is_listed`]; `change` is the record's.
    pub fn is_listed(&self, change: Option<&FileChange>) -> bool {
        listed(self.status, !self.findings.is_empty(), change)
    }
}

/// `true` for a field that is there (whatever its value).
fn present<'de, D: serde::Deserializer<'de>>(field: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(field).map(|_| true)
}

/// The code of a reason, skipping its message.
fn reason_code<'de, D: serde::Deserializer<'de>>(
    reason: D,
) -> Result<Option<ReasonCode>, D::Error> {
    #[derive(Deserialize)]
    struct Code {
        code: ReasonCode,
    }
    Ok(Option::<Code>::deserialize(reason)?.map(|r| r.code))
}

impl FileChange {
    /// A change with no per-kind detail.
    pub fn plain(state: ChangeState) -> FileChange {
        FileChange {
            state,
            moved_from: None,
            kinds: BTreeMap::new(),
        }
    }
}

/// Where a member sits: the file on disk that holds it, and its path inside each container
/// from the outermost in (`["2024.zip", "saraksts.xlsx"]` for `arhivs.zip!/2024.zip!/saraksts.xlsx`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Inside {
    /// The file on disk.
    pub file: String,
    /// Member paths, outermost first.
    pub members: Vec<String>,
}

/// What one table column holds: its header, the class the header gives it, and its findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ColumnSummary {
    /// Sheet name (none for CSV/TSV).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sheet: Option<String>,
    /// Column letters (`C`).
    pub column: String,
    /// Header text.
    pub header: String,
    /// Class from the header alone (`personal_code`, `name`, `address`, `ethnicity`...).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub class: Option<String>,
    /// Register category of that class.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub category: Option<Category>,
    /// Non-empty values below the header.
    pub values: u64,
    /// Findings in the column, per kind.
    pub kinds: BTreeMap<String, u64>,
    /// The header promises a kind with a detector (`Personas kods`), but no value validated.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub suspicious: bool,
}

/// The scan header: what ran, where, with which options.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScanHeader {
    /// Always `piimap`.
    pub tool: String,
    /// piimap version.
    pub version: String,
    /// Inventory schema version.
    pub schema_version: u32,
    /// Start time, RFC 3339 UTC.
    pub started_at: String,
    /// Host name.
    pub host: String,
    /// The roots as given.
    pub roots: Vec<String>,
    /// Options that affect results.
    pub options: ScanOptionsRecord,
    /// Rule ids in effect.
    pub rules: Vec<String>,
    /// Whether reading leaves the files' last-access times as they were.
    #[serde(default = "AccessTimes::may_change")]
    pub access_times: AccessTimes,
}

impl AccessTimes {
    /// What an inventory written before this field existed is taken to say.
    fn may_change() -> AccessTimes {
        AccessTimes::MayChange
    }
}

/// Whether a scan leaves files' last-access times as they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessTimes {
    /// Every file is opened without updating its access time (Linux, as root: `O_NOATIME`).
    Unchanged,
    /// Files owned by the scanning account keep their access time; reading others may update it
    /// (Linux allows `O_NOATIME` only to a file's owner; under the usual `relatime` mount option
    /// the time moves at most once a day).
    UnchangedForOwnFiles,
    /// Reading may update files' access times (as the file system is mounted).
    MayChange,
}

/// What reading any one file may cost: the caps a scan applies, each set by its `--max-*` flag.
/// Defined once: the scan applies them, the header records them (flattened into
/// [`ScanOptionsRecord`]) and the store's key of reusable records hashes them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReadLimits {
    /// Larger files are skipped (`--max-file-size`, bytes).
    pub max_file_size: u64,
    /// Most bytes decompressed from one part of a document (`--max-extracted-size`).
    pub max_extracted_size: u64,
    /// `--max-cells`: cells read per sheet.
    pub max_cells: u64,
    /// `--max-file-time` in seconds; 0: no cap.
    #[serde(rename = "max_file_time_seconds", with = "seconds")]
    #[schemars(with = "f64")]
    pub max_file_time: std::time::Duration,
    /// `--max-file-memory`, bytes: what reading one file may take.
    #[serde(default)]
    pub max_file_memory: u64,
    /// `--max-archive-depth`.
    pub max_archive_depth: usize,
    /// `--max-archive-members`.
    pub max_archive_members: usize,
    /// `--max-member-size`, bytes.
    pub max_member_size: u64,
    /// `--max-archive-bytes`, bytes.
    pub max_archive_bytes: u64,
    /// `--max-compression-ratio`.
    pub max_compression_ratio: u64,
}

impl ReadLimits {
    /// The wall time one file may take, `None` for no cap.
    pub fn file_time(&self) -> Option<std::time::Duration> {
        (!self.max_file_time.is_zero()).then_some(self.max_file_time)
    }
}

/// A duration as (fractional) seconds.
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        Duration::try_from_secs_f64(secs).map_err(serde::de::Error::custom)
    }
}

/// The options recorded in the header.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScanOptionsRecord {
    /// Findings below this confidence are dropped.
    pub min_confidence: Confidence,
    /// The caps on reading one file.
    #[serde(flatten)]
    pub limits: ReadLimits,
    /// Exclude globs.
    pub exclude: Vec<String>,
    /// Whether symbolic links were followed.
    pub follow_links: bool,
    /// Whether raw values are listed.
    pub reveal: bool,
    /// Samples per kind per file.
    pub samples: usize,
    /// Worker threads.
    pub threads: usize,
    /// The `--rules` directory whose rules add to (or, with `no_builtin_rules`, replace) the
    /// built-in ones.
    pub rules_dir: Option<String>,
    /// The built-in rules were left out (`--no-builtin-rules`); absent when they were used.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub no_builtin_rules: bool,
    /// Retention policies, `GLOB=PERIOD` in the order given (the last match applies), then
    /// `default=PERIOD`.
    #[serde(default)]
    pub retention: Vec<String>,
}

/// Totals for one kind or category across the scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Totals {
    /// Findings.
    pub count: u64,
    /// Files with at least one.
    pub files: u64,
}

/// The scan summary: every file the walk met is counted here.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Summary {
    /// Finish time, RFC 3339 UTC.
    pub finished_at: String,
    /// Wall time in seconds.
    pub elapsed_seconds: f64,
    /// Every entry the walk met (files, unreadable directories, links, special files), and
    /// every member of an archive or attachment of a message (each is counted as a file).
    pub files_seen: u64,
    /// How many of `files_seen` are members inside containers.
    pub members_seen: u64,
    /// Files scanned completely or partially.
    pub files_scanned: u64,
    /// Bytes of files scanned.
    pub bytes_scanned: u64,
    /// Scan throughput, MB (10⁶ bytes) per second of wall time.
    pub mb_per_second: f64,
    /// Files with at least one personal-data finding.
    pub files_with_personal_data: u64,
    /// Files scanned completely with no personal-data finding.
    pub files_clean: u64,
    /// Files by status.
    pub by_status: BTreeMap<Status, u64>,
    /// Files not fully scanned, by reason.
    pub not_fully_scanned: BTreeMap<ReasonCode, u64>,
    /// Totals per kind.
    pub kinds: BTreeMap<String, Totals>,
    /// Totals per register category.
    pub categories: BTreeMap<Category, Totals>,
    /// With `--store`: files read, reused, moved and removed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub store: Option<StoreCounts>,
    /// Files with personal codes of people under 18 on the scan date.
    #[serde(default)]
    pub files_with_children_data: u64,
    /// With retention policies: the files kept longer than their period.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub over_retention: Option<OverRetention>,
}

impl Summary {
    /// Whether a file was not fully read for a reason that leaves a gap in the inventory
    /// (the scan then exits with code 3).
    pub fn leaves_gaps(&self) -> bool {
        self.not_fully_scanned.keys().any(|code| code.leaves_gap())
    }
}

/// What a scan did with its store, for the summary.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct StoreCounts {
    /// Files on disk read (new, changed, or read again because the options changed).
    pub read: u64,
    /// Files on disk whose records were taken from the store, unread.
    pub reused: u64,
    /// Of those, found under a new path.
    pub moved: u64,
    /// Files on disk in the previous scan and gone now.
    pub removed: u64,
}

/// Files over their retention period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OverRetention {
    /// How many.
    pub files: u64,
    /// Their paths, sorted.
    pub paths: Vec<String>,
}
