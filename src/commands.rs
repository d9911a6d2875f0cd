//! The subcommands: turn parsed arguments into library calls and an exit code. Errors are
//! printed here, once, as `piimap: error: ...`.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{Result, bail};
use clap::Parser;

use crate::cli::{
    Cli, Command, DiffArgs, FindArgs, FindFormat, ReadArgs, ReportArgs, RuleArgs, RulesCommand,
    ScanArgs, TableFormat,
};
use crate::exit_code::ExitCode;
use crate::inventory::fingerprint::FingerprintKey;
use crate::inventory::{Confidence, SCHEMA_VERSION, ScanHeader};
use crate::outcome::{Group, PastScans, ScanRecorder};
use crate::report::{Consumer, Destination, print_summary};
use crate::retention::Retention;
use crate::scan::{Readers, ScanOptions, ScanRules, Scanner, rfc3339};
use crate::store::{ScanStart, Store, StoreReader};
use crate::walk::WalkOptions;
use crate::{config, diff, find, register};

/// Runs a parsed command line; `argv` is the command line it came from (a config file's
/// settings are merged into it).
pub fn run(cli: Cli, argv: &[OsString]) -> ExitCode {
    let result = match cli.command {
        Command::Scan(args) if args.config.is_some() => scan_with_config(args, argv),
        Command::Scan(args) => scan(args),
        Command::Find(args) => find(args),
        Command::Diff(args) => diff(args),
        Command::Report(args) => report(args),
        Command::Schema => schema(),
        Command::Rules(RulesCommand::List { rules }) => rules_list(rules),
        Command::Rules(RulesCommand::Check { rules }) => rules_check(rules),
        Command::Reader => {
            crate::scan::serve_reader(std::io::stdin().lock(), std::io::stdout().lock())
                .map(|()| ExitCode::Success)
        }
    };
    result.unwrap_or_else(|err| {
        // Output piped into `head` or `true` that stopped reading: the reader has what it
        // wanted, so the program ends quietly, as ripgrep does.
        if is_broken_pipe(&err) {
            return ExitCode::Success;
        }
        eprintln!("piimap: error: {err:#}");
        match err.downcast_ref::<UsageError>() {
            Some(_) => ExitCode::UsageError,
            None => ExitCode::FatalError,
        }
    })
}

/// Whether an error comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                .is_some_and(|kind| kind == std::io::ErrorKind::BrokenPipe)
    })
}

/// A mistake on the command line found after parsing (a root that does not exist...).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

/// `scan --config FILE`: the file's settings become flags before the command line's own.
fn scan_with_config(args: ScanArgs, argv: &[OsString]) -> Result<ExitCode> {
    let path = args.config.as_deref().expect("called with --config");
    let config = config::load(path).map_err(|e| UsageError(format!("{e:#}")))?;
    let merged = config::merge(argv, &config, !args.paths.is_empty());
    match Cli::try_parse_from(merged) {
        Ok(Cli {
            command: Command::Scan(args),
        }) => scan(args),
        Ok(_) => unreachable!("the merged command line is a scan"),
        Err(e) => bail!(UsageError(format!(
            "with the config file {}: {}",
            path.display(),
            e.render()
                .to_string()
                .trim_start_matches("error: ")
                .trim_end()
        ))),
    }
}

/// What every command that reads files needs: rules, the fingerprint key and its file, and
/// the number of threads.
pub struct ReadSetup {
    /// The compiled rules and column classes.
    pub rules: ScanRules,
    /// The fingerprint key.
    pub key: FingerprintKey,
    /// Its file (never scanned).
    pub key_path: PathBuf,
    /// Worker threads.
    pub threads: usize,
}

impl ReadSetup {
    /// Loads the rules and the key that `read` names, for a scan of `roots` (which must exist).
    pub fn new(read: &ReadArgs, roots: &[PathBuf]) -> Result<ReadSetup> {
        if let Some(missing) = roots.iter().find(|r| std::fs::symlink_metadata(r).is_err()) {
            bail!(UsageError(format!(
                "{}: no such file or directory",
                missing.display()
            )));
        }
        // A key file the user named (flag, config, PIIMAP_KEY_FILE) must be where they said.
        let named = read.key_file.is_some() || std::env::var_os("PIIMAP_KEY_FILE").is_some();
        let key_path = match &read.key_file {
            Some(p) => p.clone(),
            None => FingerprintKey::default_path()?,
        };
        Ok(ReadSetup {
            rules: ScanRules::load(&read.rules.source())?,
            key: FingerprintKey::load_or_create(&key_path, !named)?,
            key_path,
            threads: threads(read.threads),
        })
    }

    /// Scan options for `roots` with these read args; no store, nothing of ours to skip yet.
    pub fn options(
        &self,
        read: &ReadArgs,
        roots: &[PathBuf],
        min_confidence: Confidence,
    ) -> ScanOptions {
        ScanOptions {
            walk: WalkOptions {
                roots: roots.to_vec(),
                exclude: read.exclude.clone(),
                follow_links: read.follow_links,
                threads: self.threads,
            },
            limits: read.limits(),
            min_confidence,
            reveal: false,
            samples: 0,
            own_files: canonical([Some(self.key_path.as_path())]),
            track_occurrences: false,
            today: today(),
            readers: reader_program().map(|program| Readers { program }),
        }
    }

    /// A digest that changes with the fingerprint key, kept in the store to tell keys apart.
    fn key_check(&self) -> String {
        crate::inventory::fingerprint::to_hex(&self.key.fingerprint("store", "key check"))
    }
}

/// The most worker threads a scan runs: each holds a read buffer, a detector's caches and
/// possibly a reader process, and past a few dozen more threads no longer help even on a slow
/// network share.
pub const MAX_THREADS: usize = 64;

/// The worker threads for `-j`: the number of CPUs when absent or 0, at most [`MAX_THREADS`].
fn threads(asked: Option<usize>) -> usize {
    let cpus = || std::thread::available_parallelism().map_or(2, usize::from);
    match asked {
        None | Some(0) => cpus().min(MAX_THREADS),
        Some(n) if n > MAX_THREADS => {
            eprintln!("piimap: warning: -j {n} is more than {MAX_THREADS}: using {MAX_THREADS}");
            MAX_THREADS
        }
        Some(n) => n,
    }
}

/// The program reader processes run: this one. `None` (documents are then read in the
/// scanning threads) only when the OS cannot say what it is.
fn reader_program() -> Option<PathBuf> {
    std::env::current_exe()
        .map_err(|e| eprintln!("piimap: warning: cannot start reader processes: {e}"))
        .ok()
}

/// The scan date: days since 1970-01-01, UTC.
fn today() -> i64 {
    SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i64)
}

/// The canonical paths of those that exist.
fn canonical<'p>(paths: impl IntoIterator<Item = Option<&'p Path>>) -> Vec<PathBuf> {
    paths
        .into_iter()
        .flatten()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect()
}

fn scan(args: ScanArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let now = SystemTime::now();
    let started_at = rfc3339(now).unwrap_or_default();
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let setup = ReadSetup::new(&args.read, &roots)?;
    let retention = Retention::new(args.retention.clone(), args.default_retention.clone(), now)?;
    crate::report::exit_on_interrupt();
    // `-o -` is standard output, as with most tools.
    let output = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    let destination = Destination::create(output)?;
    let mut options = setup.options(&args.read, &roots, args.min_confidence);
    options.reveal = args.reveal;
    options.samples = args.samples;
    options.own_files.extend(canonical(
        [destination.temp_path(), output].into_iter().chain(
            store_files(args.store.as_deref())
                .iter()
                .map(|p| Some(p.as_path())),
        ),
    ));
    options.track_occurrences = args.store.is_some();
    let records_key = options.records_key(&setup.rules.digest(), &setup.key_check());
    let policies = retention_policies(&args);
    let header = ScanHeader {
        tool: "piimap".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        schema_version: SCHEMA_VERSION,
        started_at: started_at.clone(),
        host: gethostname::gethostname().to_string_lossy().into_owned(),
        roots: roots.iter().map(|r| r.display().to_string()).collect(),
        options: options.record(&setup.rules.source, policies.clone()),
        rules: rule_ids(setup.rules.rules.rules()),
        access_times: crate::scan::access_times(),
    };
    let mut store = None;
    let mut past_scans = None;
    if let Some(path) = &args.store {
        let begun = Store::begin(
            path,
            ScanStart {
                started_at: &started_at,
                roots: &roots,
                records_key: &records_key,
                key_check: &setup.key_check(),
                retention: &policies,
            },
        )?;
        if begun.baseline_key_differs(&setup.key_check())? {
            eprintln!(
                "piimap: warning: the store's last scan used another fingerprint key than {}: \
                 every file is read again, and fingerprints will not match earlier inventories \
                 (was the key file replaced or lost?)",
                setup.key_path.display()
            );
        }
        // Each worker asks its own read connection whether a file is unchanged.
        let (path, scan_id, today) = (path.clone(), begun.scan_id(), options.today);
        let records_key = records_key.clone();
        let open = move || -> Result<Box<dyn PastScans + Send>> {
            Ok(Box::new(StoreReader::open(
                &path,
                &records_key,
                scan_id,
                today,
            )?))
        };
        past_scans = Some(Box::new(open));
        store = Some(Box::new(begun) as Box<dyn ScanRecorder>);
    }
    let mut scanner = Scanner::new(setup.rules, setup.key, options);
    if let Some(open) = past_scans {
        scanner = scanner.with_past_scans(open, !args.full);
    }
    let mut sink = crate::report::sink(args.format, destination);
    sink.begin(&header)?;
    let mut consumer = Consumer::new(sink, store, retention.as_ref(), !args.quiet, started);
    scanner.run(|group| consumer.take(group))?;
    let summary = consumer.finish(rfc3339(SystemTime::now()).unwrap_or_default())?;
    if !args.quiet {
        print_summary(&summary);
    }
    Ok(if summary.leaves_gaps() {
        ExitCode::Incomplete
    } else {
        ExitCode::Success
    })
}

/// The store's database and the files SQLite keeps beside it: never scanned.
fn store_files(store: Option<&Path>) -> Vec<PathBuf> {
    store
        .iter()
        .flat_map(|p| {
            ["", "-wal", "-shm", "-journal"].map(|suffix| {
                let mut name = p.as_os_str().to_owned();
                name.push(suffix);
                PathBuf::from(name)
            })
        })
        .collect()
}

/// The retention policies as recorded in the header and the store: `GLOB=PERIOD`, then
/// `default=PERIOD`.
fn retention_policies(args: &ScanArgs) -> Vec<String> {
    args.retention
        .iter()
        .map(|p| format!("{}={}", p.glob, p.period.text))
        .chain(
            args.default_retention
                .iter()
                .map(|p| format!("default={}", p.text)),
        )
        .collect()
}

/// `piimap find`: in a store, or by a targeted scan of paths.
fn find(args: FindArgs) -> Result<ExitCode> {
    let (values, roots): (Vec<String>, Vec<PathBuf>) = match &args.store {
        Some(_) => {
            let values = args
                .targets
                .iter()
                .map(|v| v.to_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| UsageError("a value is not valid UTF-8".into()))?;
            (values, Vec::new())
        }
        None => (
            args.value.clone(),
            args.targets.iter().map(PathBuf::from).collect(),
        ),
    };
    if values.is_empty() {
        bail!(UsageError("give at least one value to find".into()));
    }
    let roots = if args.store.is_none() && roots.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        roots
    };
    let setup = ReadSetup::new(&args.read, &roots)?;
    let queries = find::queries(&setup.rules.rules, &setup.key, &values)
        .map_err(|e| UsageError(format!("{e:#}")))?;
    let mut gaps = Vec::new();
    let hits = match &args.store {
        Some(store) => find::in_store(store, &setup.key_check(), &queries)?,
        None => {
            let mut options = setup.options(&args.read, &roots, Confidence::Low);
            options.track_occurrences = true;
            let scanner = Scanner::new(setup.rules, setup.key, options);
            let mut hits = Vec::new();
            scanner.run(|group| {
                let Group::Outcomes(group) = group else {
                    bail!("a search without a store got a stored file");
                };
                for outcome in &group {
                    let record = &outcome.record;
                    hits.extend(find::hits_in(&queries, &record.path, &outcome.occurrences));
                    if record.reason.as_ref().is_some_and(|r| r.code.leaves_gap()) {
                        gaps.push(record.path.clone());
                    }
                }
                Ok(())
            })?;
            hits
        }
    };
    let grouped = find::by_value(&queries, &hits);
    let mut out = std::io::stdout().lock();
    match args.format {
        FindFormat::Json => {
            let doc = serde_json::json!({
                "values": grouped.iter().map(|(q, hits)| serde_json::json!({
                    "value": q.value, "kind": q.kind, "masked": q.masked,
                    "fingerprint": q.fingerprint, "places": hits,
                })).collect::<Vec<_>>(),
                "not_fully_scanned": gaps,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        FindFormat::Text => {
            for (q, hits) in &grouped {
                let files: std::collections::BTreeSet<&str> =
                    hits.iter().map(|h| h.path.as_str()).collect();
                writeln!(
                    out,
                    "value {} ({} {}): {} places in {} files",
                    q.value,
                    q.kind,
                    q.masked,
                    hits.len(),
                    files.len()
                )?;
                for h in hits {
                    writeln!(out, "  {}\t{}", h.path, find::describe(&h.location))?;
                }
            }
            if !gaps.is_empty() {
                writeln!(
                    out,
                    "not fully scanned ({}), the value may also be in:",
                    gaps.len()
                )?;
                for path in &gaps {
                    writeln!(out, "  {path}")?;
                }
            }
        }
    }
    Ok(if gaps.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::Incomplete
    })
}

/// `piimap diff OLD NEW`.
fn diff(args: DiffArgs) -> Result<ExitCode> {
    let old = diff::Inventory::read(&args.old)?;
    let new = diff::Inventory::read(&args.new)?;
    let report = diff::compare(&old, &new, args.all);
    print_table(&report, args.format, |out| diff::write_csv(&report, out))
}

/// `piimap report --store FILE`.
fn report(args: ReportArgs) -> Result<ExitCode> {
    let view = register::from_store(&args.store, args.depth, SystemTime::now())?;
    print_table(&view, args.format, |out| register::write_csv(&view, out))
}

/// Prints `value` to stdout as pretty JSON, or as CSV with `write_csv`.
fn print_table(
    value: &impl serde::Serialize,
    format: TableFormat,
    write_csv: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match format {
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut out, value)?;
            writeln!(out)?;
        }
        TableFormat::Csv => write_csv(&mut out)?,
    }
    Ok(ExitCode::Success)
}

/// `piimap schema`.
fn schema() -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", crate::inventory::schema::json_schema())?;
    out.flush()?;
    Ok(ExitCode::Success)
}

/// The ids of the rules in use, sorted (the order they are tried in is their priority's).
fn rule_ids(rules: &[crate::detect::Rule]) -> Vec<String> {
    let mut ids: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
    ids.sort();
    ids
}

/// `piimap rules list`: in the order rules are tried.
fn rules_list(args: RuleArgs) -> Result<ExitCode> {
    let loaded = ScanRules::load(&args.source())?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<28} {:<22} {:<18} {:<8} validator",
        "id", "kind", "category", "priority"
    )?;
    for rule in loaded.rules.rules() {
        writeln!(
            out,
            "{:<28} {:<22} {:<18} {:<8} {}",
            rule.id,
            rule.kind,
            rule.category.name(),
            rule.priority,
            rule.validator.name
        )?;
        writeln!(out, "    {}", rule.name)?;
        writeln!(out, "    checks: {}", rule.validator.description)?;
    }
    out.flush()?;
    Ok(ExitCode::Success)
}

/// `piimap rules check`: loads the rules and column classes, and runs every rule's examples.
fn rules_check(args: RuleArgs) -> Result<ExitCode> {
    let loaded = ScanRules::load(&args.source())?;
    let set = &loaded.rules;
    let failures = set.check_examples();
    let examples: usize = set
        .rules()
        .iter()
        .map(|r| r.examples.len() + r.negative_examples.len())
        .sum();
    let mut out = std::io::stdout().lock();
    for f in &failures {
        writeln!(out, "FAIL {}: {:?}: {}", f.rule, f.text, f.problem)?;
    }
    writeln!(
        out,
        "{} passed, {} failed ({} rules)",
        examples - failures.len(),
        failures.len(),
        set.rules().len()
    )?;
    out.flush()?;
    Ok(if failures.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::FatalError
    })
}
