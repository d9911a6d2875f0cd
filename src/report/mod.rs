//! Writers: the inventory (one JSON document or JSON Lines), streamed record by record from the
//! single consumer thread, written atomically to a private file; and the terminal summary.

mod terminal;

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::inventory::{FileRecord, RecordDigest, RetentionCheck, ScanHeader, Status, Summary};
use crate::outcome::StoredRecord;
pub use terminal::{Progress, print_summary};

/// Inventory format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON document: `{schema_version, scan, files: [...], summary}`.
    Json,
    /// JSON Lines: a `header` line, one `file` line per record, a `summary` line.
    Jsonl,
    /// CSV of the file records for spreadsheets: UTF-8 with a byte-order mark, `;`-separated,
    /// one row per record (no header or summary).
    Csv,
}

/// A JSON Lines line.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Line<'a> {
    Header(&'a ScanHeader),
    File(&'a FileRecord),
    Summary(&'a Summary),
}

/// Where the inventory goes.
enum Destination {
    Stdout(BufWriter<io::Stdout>),
    /// An existing target that is not a regular file (`/dev/null`, a FIFO, a terminal): written
    /// in place. Renaming a temporary file over it would replace the device itself.
    Special(BufWriter<std::fs::File>),
    /// A temporary file beside the target, renamed over it when the scan finishes.
    File {
        temp: BufWriter<tempfile::NamedTempFile>,
        target: PathBuf,
    },
}

/// The inventory's write buffer: a re-scan can write hundreds of megabytes, and fewer, larger
/// writes took about 5 % off one (docs/BENCHMARKS.md).
const OUTPUT_BUFFER: usize = 1 << 20;

/// Streams an inventory.
pub struct InventoryWriter {
    dest: Destination,
    format: OutputFormat,
    records: u64,
}

impl InventoryWriter {
    /// Writes to stdout, or to `path` (atomically, owner-only permissions).
    pub fn create(path: Option<&Path>, format: OutputFormat) -> Result<InventoryWriter> {
        let special = path
            .and_then(|p| std::fs::metadata(p).ok())
            .is_some_and(|m| !m.is_file());
        let dest = match path {
            None => Destination::Stdout(BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout())),
            Some(target) if special => Destination::Special(BufWriter::with_capacity(
                OUTPUT_BUFFER,
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(target)
                    .with_context(|| format!("cannot write to {}", target.display()))?,
            )),
            Some(target) => {
                let dir = target
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                remove_stale_temps(dir);
                let temp = tempfile::Builder::new()
                    .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
                    .suffix(".tmp")
                    .tempfile_in(dir)
                    .with_context(|| format!("cannot create output file in {}", dir.display()))?;
                remove_on_interrupt(temp.path());
                Destination::File {
                    temp: BufWriter::with_capacity(OUTPUT_BUFFER, temp),
                    target: target.to_path_buf(),
                }
            }
        };
        Ok(InventoryWriter {
            dest,
            format,
            records: 0,
        })
    }

    /// The temporary file being written (so the scan can leave it out), if writing to a file.
    pub fn temp_path(&self) -> Option<&Path> {
        match &self.dest {
            Destination::File { temp, .. } => Some(temp.get_ref().path()),
            Destination::Stdout(_) | Destination::Special(_) => None,
        }
    }

    fn out(&mut self) -> &mut dyn Write {
        match &mut self.dest {
            Destination::Stdout(w) => w,
            Destination::Special(w) => w,
            Destination::File { temp, .. } => temp,
        }
    }

    /// Writes the header.
    pub fn begin(&mut self, header: &ScanHeader) -> Result<()> {
        match self.format {
            OutputFormat::Json => {
                let out = self.out();
                write!(
                    out,
                    "{{\"schema_version\":{},\"scan\":",
                    header.schema_version
                )?;
                serde_json::to_writer(&mut *out, header)?;
                out.write_all(b",\"files\":[")?;
            }
            OutputFormat::Jsonl => self.line(&Line::Header(header))?,
            OutputFormat::Csv => {
                let header = csv_line(CSV_COLUMNS)?;
                let out = self.out();
                out.write_all(UTF8_BOM.as_bytes())?;
                out.write_all(&header)?;
            }
        }
        Ok(())
    }

    /// Writes one file record.
    pub fn record(&mut self, record: &FileRecord) -> Result<()> {
        match self.format {
            OutputFormat::Json => {
                let sep: &[u8] = if self.records == 0 { b"\n" } else { b",\n" };
                let out = self.out();
                out.write_all(sep)?;
                serde_json::to_writer(out, record)?;
            }
            OutputFormat::Jsonl => self.line(&Line::File(record))?,
            OutputFormat::Csv => {
                let row = csv_row(record)?;
                self.out().write_all(&row)?;
            }
        }
        self.records += 1;
        Ok(())
    }

    /// Writes a record reused from the store: as stored, with its change and retention check
    /// appended (the bytes `record` writes for the same record).
    pub fn stored(
        &mut self,
        stored: &StoredRecord,
        retention: Option<&RetentionCheck>,
    ) -> Result<()> {
        let opening: &[u8] = match self.format {
            OutputFormat::Json if self.records == 0 => b"\n{",
            OutputFormat::Json => b",\n{",
            OutputFormat::Jsonl => b"{\"type\":\"file\",",
            OutputFormat::Csv => {
                let mut record: FileRecord = serde_json::from_str(&stored.json)?;
                record.change = stored.change.clone();
                record.retention = retention.cloned();
                return self.record(&record);
            }
        };
        let fields = stored
            .json
            .strip_prefix('{')
            .and_then(|j| j.strip_suffix('}'))
            .context("a stored record is not a JSON object")?;
        let jsonl = self.format == OutputFormat::Jsonl;
        let out = self.out();
        out.write_all(opening)?;
        out.write_all(fields.as_bytes())?;
        if let Some(change) = &stored.change {
            out.write_all(b",\"change\":")?;
            serde_json::to_writer(&mut *out, change)?;
        }
        if let Some(retention) = retention {
            out.write_all(b",\"retention\":")?;
            serde_json::to_writer(&mut *out, retention)?;
        }
        out.write_all(if jsonl { b"}\n" } else { b"}" })?;
        self.records += 1;
        Ok(())
    }

    fn line(&mut self, line: &Line<'_>) -> Result<()> {
        let out = self.out();
        serde_json::to_writer(&mut *out, line)?;
        out.write_all(b"\n")?;
        Ok(())
    }

    /// Writes the summary and, for a file, renames it into place.
    pub fn finish(mut self, summary: &Summary) -> Result<()> {
        match self.format {
            OutputFormat::Json => {
                let out = self.out();
                out.write_all(b"\n],\"summary\":")?;
                serde_json::to_writer(&mut *out, summary)?;
                out.write_all(b"}\n")?;
            }
            OutputFormat::Jsonl => self.line(&Line::Summary(summary))?,
            OutputFormat::Csv => {}
        }
        match self.dest {
            Destination::Stdout(mut w) => {
                w.flush().context("cannot write the inventory to stdout")?
            }
            Destination::Special(mut w) => w.flush().context("cannot write the inventory")?,
            Destination::File { temp, target } => {
                let temp = temp.into_inner().map_err(|e| e.into_error())?;
                temp.as_file().sync_all()?;
                temp.persist(&target).with_context(|| {
                    format!("cannot move the inventory into {}", target.display())
                })?;
            }
        }
        Ok(())
    }
}

/// Temporary inventories are named `.piimap-<pid>-<random>.tmp` beside their target.
const TEMP_PREFIX: &str = ".piimap-";

/// Files to remove if the scan is interrupted (Ctrl-C, SIGTERM, SIGHUP).
static ON_INTERRUPT: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn remove_on_interrupt(path: &Path) {
    if let Ok(mut paths) = ON_INTERRUPT.lock() {
        paths.push(path.to_path_buf());
    }
}

/// Ends the program after an interrupt: the temporary inventory is removed (the store, if
/// any, is left consistent by SQLite), and the exit code is the shell's for a signal, 130.
pub fn exit_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        if let Ok(paths) = ON_INTERRUPT.lock() {
            for path in paths.iter() {
                let _ = std::fs::remove_file(path);
            }
        }
        eprintln!("piimap: interrupted; the inventory was not written");
        std::process::exit(130);
    });
    if let Err(e) = installed {
        eprintln!("piimap: warning: an interrupt will leave the temporary inventory behind: {e}");
    }
}

/// Removes the temporary inventories in `dir` left by scans that were killed (whose process is
/// gone); on systems where that cannot be told, those over a day old.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !rest.ends_with(".tmp") || pid == std::process::id() || process_alive(pid, &entry) {
            continue;
        }
        let _ = std::fs::remove_file(entry.path());
    }
}

#[cfg(unix)]
fn process_alive(pid: u32, _entry: &std::fs::DirEntry) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 only asks whether the process exists.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    alive || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32, entry: &std::fs::DirEntry) -> bool {
    let day = std::time::Duration::from_secs(86_400);
    entry
        .metadata()
        .and_then(|m| m.modified())
        .map_or(true, |t| t.elapsed().map_or(true, |age| age < day))
}

/// A CSV writer as Excel opens it in Latvian locales: a UTF-8 byte-order mark, then
/// `;`-separated fields.
pub fn csv_writer(mut out: impl Write) -> Result<csv::Writer<impl Write>> {
    out.write_all(UTF8_BOM.as_bytes())?;
    Ok(csv_builder().from_writer(out))
}

/// The byte-order mark that tells Excel a CSV file is UTF-8.
const UTF8_BOM: &str = "\u{feff}";

/// `;`-separated CSV with a small buffer (a row is written at a time).
fn csv_builder() -> csv::WriterBuilder {
    let mut builder = csv::WriterBuilder::new();
    builder.delimiter(b';').buffer_capacity(1024);
    builder
}

/// One CSV line (`;`-separated, quoted where needed).
fn csv_line<I: AsRef<[u8]>>(fields: impl IntoIterator<Item = I>) -> Result<Vec<u8>> {
    let mut line = csv_builder().from_writer(Vec::new());
    line.write_record(fields)?;
    Ok(line.into_inner().map_err(|e| e.into_error())?)
}

/// The serialised name of a unit enum value (`complete`, `over_retention`...).
pub fn enum_name(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// One file record as a CSV row (`--format csv`).
fn csv_row(record: &FileRecord) -> Result<Vec<u8>> {
    let kinds: Vec<String> = record
        .findings
        .iter()
        .map(|k| format!("{} {}", k.kind, k.count))
        .collect();
    let mut categories: Vec<&str> = record.findings.iter().map(|k| k.category.name()).collect();
    categories.sort_unstable();
    categories.dedup();
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    csv_line([
        record.path.as_str(),
        &record.format,
        &number(record.size),
        record.modified.as_deref().unwrap_or_default(),
        &enum_name(&record.status),
        &record
            .reason
            .as_ref()
            .map(|r| format!("{}: {}", enum_name(&r.code), r.message))
            .unwrap_or_default(),
        if record.personal_data { "yes" } else { "no" },
        &categories.join(", "),
        &kinds.join(", "),
        &number(record.children.map(|c| c.under_18)),
        &number(record.retention.as_ref().map(|r| r.age_days)),
        match &record.retention {
            Some(r) if r.over_retention => "yes",
            Some(_) => "no",
            None => "",
        },
        &record
            .change
            .as_ref()
            .map(|c| enum_name(&c.state))
            .unwrap_or_default(),
    ])
}

/// The CSV columns, in the order `csv_row` writes them.
const CSV_COLUMNS: [&str; 13] = [
    "path",
    "format",
    "size",
    "modified",
    "status",
    "reason",
    "personal_data",
    "categories",
    "kinds",
    "children_under_18",
    "age_days",
    "over_retention",
    "change",
];

/// Folds every file outcome into the summary.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    summary: Summary,
}

impl SummaryBuilder {
    /// Counts one file: its record's digest, retention check and bytes scanned now.
    pub fn add(
        &mut self,
        r: &RecordDigest,
        retention: Option<&RetentionCheck>,
        bytes_scanned: u64,
    ) {
        let s = &mut self.summary;
        s.files_seen += 1;
        if r.member {
            s.members_seen += 1;
        }
        *s.by_status.entry(r.status).or_default() += 1;
        if let Some(code) = r.reason {
            *s.not_fully_scanned.entry(code).or_default() += 1;
        }
        if matches!(r.status, Status::Complete | Status::Partial) {
            s.files_scanned += 1;
            s.bytes_scanned += bytes_scanned;
        }
        if r.personal_data {
            s.files_with_personal_data += 1;
        } else if r.status == Status::Complete {
            s.files_clean += 1;
        }
        s.files_with_children_data += u64::from(r.children_data);
        if let Some(check) = retention {
            let over = s.over_retention.get_or_insert_with(Default::default);
            if check.over_retention {
                over.files += 1;
                over.paths.push(r.path.clone());
            }
        }
        for k in &r.findings {
            let kind = s.kinds.entry(k.kind.clone()).or_default();
            kind.count += k.count;
            kind.files += 1;
            let cat = s.categories.entry(k.category).or_default();
            cat.count += k.count;
        }
        let mut categories: Vec<_> = r.findings.iter().map(|k| k.category).collect();
        categories.sort();
        categories.dedup();
        for c in categories {
            s.categories.entry(c).or_default().files += 1;
        }
    }

    /// The summary so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Adds what the scan did with its store.
    pub fn set_store(&mut self, counts: crate::inventory::StoreCounts) {
        self.summary.store = Some(counts);
    }

    /// Completes the summary.
    pub fn finish(mut self, finished_at: String, elapsed_seconds: f64) -> Summary {
        self.summary.finished_at = finished_at;
        if let Some(over) = &mut self.summary.over_retention {
            over.paths.sort();
        }
        self.summary.elapsed_seconds = elapsed_seconds;
        self.summary.mb_per_second = if elapsed_seconds > 0.0 {
            self.summary.bytes_scanned as f64 / 1e6 / elapsed_seconds
        } else {
            0.0
        };
        self.summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record with most fields set, `change` and `retention` included.
    fn record() -> FileRecord {
        serde_json::from_value(serde_json::json!({
            "path": "share/a\"b\\\\c.txt", "size": 10, "modified": "2024-01-01T00:00:00Z",
            "format": "text", "encoding": "utf-8", "status": "partial",
            "reason": {"code": "limit_exceeded", "message": "cut at 1 MB"},
            "personal_data": true,
            "findings": [{"kind": "email", "category": "contact", "personal": true, "count": 2,
                "distinct": 1, "max_confidence": "high",
                "samples": [{"masked": "j***@pasts.lv", "fingerprint": "ab",
                    "location": {"line": 3, "column": 1}, "confidence": "high",
                    "checks": ["public_suffix"]}]}],
            "children": {"under_18": 1, "age_unknown": 0}, "children_data": true,
            "change": {"state": "changed", "kinds": {"email": {"before": 1, "after": 2,
                "added": 1, "removed": 0}}},
            "retention": {"policy": "default", "period": "1y", "age_days": 1056,
                "over_retention": true}
        }))
        .unwrap()
    }

    /// What a writer in `format` writes for `write`.
    fn written(format: OutputFormat, write: impl FnOnce(&mut InventoryWriter)) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let mut writer = InventoryWriter::create(Some(&path), format).unwrap();
        write(&mut writer);
        writer.finish(&Summary::default()).unwrap();
        std::fs::read(path).unwrap()
    }

    #[test]
    fn a_stored_record_is_written_as_the_record_itself() {
        let mut full = record();
        let stored = StoredRecord {
            json: full.to_stored_json().unwrap(),
            digest: RecordDigest::of(&full),
            change: full.change.clone(),
        };
        assert!(!stored.json.contains("change") && !stored.json.contains("retention"));
        for format in [OutputFormat::Json, OutputFormat::Jsonl, OutputFormat::Csv] {
            let direct = written(format, |w| {
                w.record(&full).unwrap();
                w.record(&full).unwrap();
            });
            let passed = written(format, |w| {
                w.stored(&stored, full.retention.as_ref()).unwrap();
                w.stored(&stored, full.retention.as_ref()).unwrap();
            });
            assert_eq!(
                String::from_utf8(passed).unwrap(),
                String::from_utf8(direct).unwrap(),
                "{format:?}"
            );
        }
        // Without a change or a retention check, nothing is appended.
        full.change = None;
        full.retention = None;
        let bare = StoredRecord {
            change: None,
            ..stored
        };
        let direct = written(OutputFormat::Json, |w| w.record(&full).unwrap());
        let passed = written(OutputFormat::Json, |w| w.stored(&bare, None).unwrap());
        assert_eq!(passed, direct);
    }

    #[test]
    fn a_digest_read_from_json_is_the_digest_of_the_record() {
        let mut full = record();
        let json = full.to_stored_json().unwrap();
        let read: RecordDigest = serde_json::from_str(&json).unwrap();
        assert_eq!(read, RecordDigest::of(&full));
        assert!(!read.member && read.reason.is_some() && read.children_data);
        full.inside = Some(crate::inventory::Inside {
            file: "share/a.zip".into(),
            members: vec!["b.txt".into()],
        });
        full.reason = None;
        let read: RecordDigest = serde_json::from_str(&full.to_stored_json().unwrap()).unwrap();
        assert_eq!(read, RecordDigest::of(&full));
        assert!(read.member && read.reason.is_none());
    }
}
