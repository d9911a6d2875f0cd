//! The command line (clap derive). Every flag is documented here once; `--help` is generated.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::detect::RuleSource;
use crate::inventory::{Confidence, ReadLimits};
use crate::report::OutputFormat;
use crate::retention::{Period, RetentionPolicy, parse_period, parse_retention_policy};

/// Finds where personal data lives: Latvian personal codes, e-mails, phones, IBANs, IP
/// addresses, payment cards and special-category indicators, written as a JSON inventory.
#[derive(Debug, Parser)]
#[command(name = "piimap", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders and write the inventory.
    Scan(ScanArgs),
    /// Find every file and place holding a person's personal code, e-mail, phone or IBAN (for
    /// access and erasure requests): in a store, or by scanning paths.
    Find(FindArgs),
    /// Compare two inventories: files new, removed and changed, with per-kind counts.
    Diff(DiffArgs),
    /// The register view of a store: per folder and register category, files, findings,
    /// distinct people, oldest and newest file, files over retention.
    Report(ReportArgs),
    /// Print the JSON Schema of the inventory.
    Schema,
    /// List the detection rules or check their examples.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Run as a reader process for a scan (started by `scan` and `find` themselves).
    #[command(hide = true)]
    Reader,
}

/// `piimap scan`.
#[derive(Debug, Args)]
#[command(args_override_self = true)]
pub struct ScanArgs {
    /// Files or folders to scan [default: the roots in --config, else the current directory].
    pub paths: Vec<PathBuf>,
    /// Take defaults from the config file FILE (`piimap.toml`: roots, excludes, caps,
    /// retention, store, output, key file); flags given here override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write the inventory to FILE (atomically, owner-only) instead of stdout (`-`: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Inventory format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: OutputFormat,
    /// Also list the distinct raw values per kind (for the data owner's own verification).
    #[arg(long)]
    pub reveal: bool,
    /// What to read and the caps on what one file may cost.
    #[command(flatten)]
    pub read: ReadArgs,
    /// Drop findings below this confidence.
    #[arg(long, value_enum, default_value = "medium")]
    pub min_confidence: Confidence,
    /// Masked samples to keep per kind per file.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub samples: usize,
    /// No summary or progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Keep state in the SQLite store FILE (created if missing): a re-scan reads only files
    /// whose size, modified time or identity changed, and records say what changed.
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
    /// With --store: read every file again, reusing nothing.
    #[arg(long, requires = "store")]
    pub full: bool,
    /// Keep files whose path matches GLOB for PERIOD (`1y`, `75y`, `6months`), given as
    /// `GLOB=PERIOD`; repeatable, the last matching policy applies. Files with personal data
    /// kept longer are flagged `over_retention`.
    #[arg(long, value_name = "GLOB=PERIOD", value_parser = parse_retention_policy)]
    pub retention: Vec<RetentionPolicy>,
    /// The retention period of files no --retention policy matches.
    #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
    pub default_retention: Option<Period>,
}

/// What to read and how much any one file may cost: shared by `scan` and `find`.
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// Leave out paths matching GLOB (gitignore syntax, relative to the first root); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Worker threads [default, or 0: the number of CPUs; at most 64]. On slow network shares
    /// more threads than CPUs can help. Each thread may run one reader process.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Skip (and list) files larger than SIZE: bytes, or with K, M, G, T (powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "4G", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Decompress at most SIZE of any one part of a document (zip-bomb guard); a part cut here
    /// makes the file `partial`.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_extracted_size: u64,
    /// Read at most N cells of one sheet; the rest make the workbook `partial`.
    #[arg(long, value_name = "N", default_value_t = 50_000_000)]
    pub max_cells: u64,
    /// Memory one file may take while it is read (documents, workbooks, PDFs, archives and
    /// messages are read in reader processes held to this); a file that needs more is listed
    /// as `limit_exceeded`. Peak memory is about threads x SIZE at worst.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_file_memory: u64,
    /// Stop reading one file (with its archive members and attachments) after DURATION
    /// (`90s`, `10m`, `1h`; `0` for no cap); a file stopped here is `partial`.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub max_file_time: Duration,
    /// Open archives inside archives (and attachments inside messages) this many levels deep.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_archive_depth: usize,
    /// Read at most N members of one archive; the rest make the archive `partial`.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub max_archive_members: usize,
    /// Skip (and list) an archive member or attachment larger than SIZE decompressed; each one
    /// read is held in memory while it is scanned.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_member_size: u64,
    /// Stop expanding one file's archives, at any depth, after SIZE decompressed in all.
    #[arg(long, value_name = "SIZE", default_value = "8G", value_parser = parse_size)]
    pub max_archive_bytes: u64,
    /// Skip (and list) a member over 1 MiB that expands more than N times its compressed size
    /// (a zip bomb).
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_compression_ratio: u64,
    /// Which rules to use.
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Fingerprint key file [default: $PIIMAP_KEY_FILE, else piimap/fingerprint.key in the user
    /// config directory]; created with owner-only permissions on first use.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Follow symbolic links (by default they are listed, not followed).
    #[arg(short = 'L', long)]
    pub follow_links: bool,
}

/// `piimap find`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["store", "value"])))]
pub struct FindArgs {
    /// With --store: the values to look for (personal codes, e-mails, phones, IBANs). With
    /// --value: the files and folders to scan.
    #[arg(value_name = "VALUE|PATH")]
    pub targets: Vec<std::ffi::OsString>,
    /// Look the values up in the store FILE that `scan --store` keeps (nothing is read).
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
    /// Scan the PATHs for VALUE (repeatable), without a store.
    #[arg(long, value_name = "VALUE")]
    pub value: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: FindFormat,
    /// What to read and the caps on what one file may cost (with --value).
    #[command(flatten)]
    pub read: ReadArgs,
}

/// `piimap diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier inventory (`--format json` or `jsonl`).
    pub old: PathBuf,
    /// The later inventory.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: TableFormat,
    /// List unchanged files too.
    #[arg(long)]
    pub all: bool,
}

/// `piimap report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The store that `scan --store` keeps.
    #[arg(long, value_name = "FILE", required = true)]
    pub store: PathBuf,
    /// Group files by their folder down to N levels below the scan root.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub depth: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: TableFormat,
}

/// JSON for programs, CSV for spreadsheets (UTF-8 with a byte-order mark, `;`-separated, as
/// Excel opens it in Latvian locales).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// One JSON document.
    Json,
    /// CSV: UTF-8 with BOM, `;`.
    Csv,
}

/// How `find` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FindFormat {
    /// One line per place: path, kind and location.
    Text,
    /// One JSON document.
    Json,
}

/// `piimap rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Every rule: id, kind, category, and what validates it.
    List {
        /// Which rules to list.
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run every rule's own positive and negative examples.
    Check {
        /// Which rules to check.
        #[command(flatten)]
        rules: RuleArgs,
    },
}

impl ReadArgs {
    /// The caps on reading one file that the flags set.
    pub fn limits(&self) -> ReadLimits {
        ReadLimits {
            max_file_size: self.max_file_size,
            max_extracted_size: self.max_extracted_size,
            max_cells: self.max_cells,
            max_file_time: self.max_file_time,
            max_file_memory: self.max_file_memory,
            max_archive_depth: self.max_archive_depth,
            max_archive_members: self.max_archive_members,
            max_member_size: self.max_member_size,
            max_archive_bytes: self.max_archive_bytes,
            max_compression_ratio: self.max_compression_ratio,
        }
    }
}

/// Which rules a command uses: the built-in ones, plus or instead of a directory's.
#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    /// Add the rule files (*.toml) in DIR to the built-in rules; a rule with the id of a
    /// built-in one replaces it. DIR/tables/columns.toml adds column classes the same way.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Use only the rules (and column classes) of --rules DIR, none of the built-in ones.
    #[arg(long, requires = "rules")]
    pub no_builtin_rules: bool,
}

impl RuleArgs {
    /// Where the rules come from.
    pub fn source(&self) -> RuleSource {
        RuleSource {
            dir: self.rules.clone(),
            no_builtin: self.no_builtin_rules,
        }
    }
}

/// Parses a duration such as `90s`, `10m` or `1h 30m` (humantime); a bare number is seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if let Ok(seconds) = t.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(t).map_err(|e| format!("{t:?}: {e}"))
}

/// Parses `1234`, `64K`, `100M`, `4G`, `1.5T` (optionally with `B` or `iB`), powers of 1024.
pub fn parse_size(s: &str) -> Result<u64, String> {
    parse_size::Config::new()
        .with_binary()
        .parse_size(s.trim())
        .map_err(|e| format!("`{s}` is not a size ({e}); use a number with K, M, G or T"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64K"), Ok(65536));
        assert_eq!(parse_size("100MB"), Ok(100 << 20));
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("1t"), Ok(1 << 40));
        assert!(parse_size("12X").is_err());
        assert!(parse_size("M").is_err());
    }

    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
