//! The subcommands: turn parsed arguments into library calls and an exit code. Errors are
//! printed here, once, as `piimap: error: ...`.

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result, bail};

use crate::cli::{Cli, Command, CorpusArgs, RulesCommand, ScanArgs};
use crate::detect::RuleSet;
use crate::exit_code::ExitCode;
use crate::inventory::fingerprint::FingerprintKey;
use crate::inventory::{SCHEMA_VERSION, ScanHeader, ScanOptionsRecord};
use crate::report::{InventoryWriter, Progress, SummaryBuilder, print_summary};
use crate::scan::{ArchiveOptions, ScanOptions, Scanner, StoreUse, rfc3339};
use crate::store::Store;
use crate::walk::WalkOptions;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Scan(args) => scan(args),
        Command::Rules(RulesCommand::List { rules }) => rules_list(rules),
        Command::Rules(RulesCommand::Check { rules }) => rules_check(rules),
        Command::GenerateCorpus(args) => generate_corpus(args),
    };
    result.unwrap_or_else(|err| {
        eprintln!("piimap: error: {err:#}");
        match err.downcast_ref::<UsageError>() {
            Some(_) => ExitCode::UsageError,
            None => ExitCode::FatalError,
        }
    })
}

/// A mistake on the command line found after parsing (a root that does not exist...).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn scan(args: ScanArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let started_at = rfc3339(SystemTime::now()).unwrap_or_default();
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    if let Some(missing) = roots.iter().find(|r| std::fs::symlink_metadata(r).is_err()) {
        bail!(UsageError(format!(
            "{}: no such file or directory",
            missing.display()
        )));
    }
    if args.threads == Some(0) {
        bail!(UsageError("--threads must be at least 1".into()));
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from));
    let rules = RuleSet::load(args.rules.as_deref())?;
    let key_path = match &args.key_file {
        Some(p) => p.clone(),
        None => FingerprintKey::default_path()?,
    };
    let key = FingerprintKey::load_or_create(&key_path)?;
    let mut writer = InventoryWriter::create(args.output.as_deref(), args.format)?;
    let root_names: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    let options_key = options_key(&args, &rules, &key);
    let mut store = match &args.store {
        Some(path) => Some(Store::begin(path, &started_at, &root_names, &options_key)?),
        None => None,
    };
    let store_files: Vec<PathBuf> = args
        .store
        .iter()
        .flat_map(|p| {
            ["", "-wal", "-shm", "-journal"].map(|suffix| {
                let mut name = p.clone().into_os_string();
                name.push(suffix);
                PathBuf::from(name)
            })
        })
        .collect();
    let own_files = [Some(key_path.as_path()), writer.temp_path()]
        .into_iter()
        .flatten()
        .chain(store_files.iter().map(PathBuf::as_path))
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let options = ScanOptions {
        walk: WalkOptions {
            roots: roots.clone(),
            exclude: args.exclude.clone(),
            follow_links: args.follow_links,
            threads,
        },
        max_file_size: args.max_file_size,
        max_extracted_size: args.max_extracted_size,
        max_cells: args.max_cells,
        max_file_time: (!args.max_file_time.is_zero()).then_some(args.max_file_time),
        min_confidence: args.min_confidence,
        reveal: args.reveal,
        samples: args.samples,
        archives: ArchiveOptions {
            max_depth: args.max_archive_depth,
            max_members: args.max_archive_members,
            max_member_size: args.max_member_size,
            max_archive_bytes: args.max_archive_bytes,
            max_ratio: args.max_compression_ratio,
        },
        own_files,
        store: match (&args.store, &store) {
            (Some(path), Some(store)) => Some(StoreUse {
                path: path.clone(),
                options_key,
                full: args.full,
                scan_id: store.scan_id(),
            }),
            _ => None,
        },
    };
    let header = ScanHeader {
        tool: "piimap".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        schema_version: SCHEMA_VERSION,
        started_at,
        host: gethostname::gethostname().to_string_lossy().into_owned(),
        roots: roots.iter().map(|r| r.display().to_string()).collect(),
        options: ScanOptionsRecord {
            min_confidence: args.min_confidence,
            max_file_size: args.max_file_size,
            max_extracted_size: args.max_extracted_size,
            max_cells: args.max_cells,
            max_file_time_seconds: args.max_file_time.as_secs_f64(),
            max_archive_depth: args.max_archive_depth,
            max_archive_members: args.max_archive_members,
            max_member_size: args.max_member_size,
            max_archive_bytes: args.max_archive_bytes,
            max_compression_ratio: args.max_compression_ratio,
            exclude: args.exclude.clone(),
            follow_links: args.follow_links,
            reveal: args.reveal,
            samples: args.samples,
            threads,
            rules_dir: args.rules.as_ref().map(|d| d.display().to_string()),
        },
        rules: rules.rules().iter().map(|r| r.id.clone()).collect(),
    };
    let scanner = Scanner::new(rules, key, options);
    writer.begin(&header)?;
    let mut summary = SummaryBuilder::default();
    let mut progress = Progress::new(!args.quiet);
    let mut gaps = false;
    scanner.run(|mut group| {
        let gone = match &mut store {
            Some(store) => store.record_group(&mut group)?,
            None => Vec::new(),
        };
        for outcome in &group {
            summary.add(outcome);
            gaps |= outcome
                .record
                .reason
                .as_ref()
                .is_some_and(|r| r.code.leaves_gap());
            if outcome.record.is_listed() {
                writer.record(&outcome.record)?;
            }
        }
        for record in &gone {
            writer.record(record)?;
        }
        progress.tick(summary.summary(), started);
        Ok(())
    })?;
    progress.clear();
    let finished_at = rfc3339(SystemTime::now()).unwrap_or_default();
    if let Some(store) = store {
        let (removed, counts) = store.finish(&finished_at, &roots, true)?;
        for record in &removed {
            writer.record(record)?;
        }
        summary.set_store(counts);
    }
    let summary = summary.finish(finished_at, started.elapsed().as_secs_f64());
    writer.finish(&summary)?;
    if !args.quiet {
        print_summary(&summary);
    }
    Ok(if gaps {
        ExitCode::Incomplete
    } else {
        ExitCode::Success
    })
}

/// The digest of everything that shapes a file's records: piimap's version, the rules, the
/// fingerprint key and the options. Stored records made under another digest are not reused.
fn options_key(args: &ScanArgs, rules: &RuleSet, key: &FingerprintKey) -> String {
    let key_check = crate::inventory::fingerprint::to_hex(&key.fingerprint("store", "key check"));
    let text = format!(
        "{} {} {key_check} {:?} {} {} {} {} {} {:?} {} {} {} {} {}",
        env!("CARGO_PKG_VERSION"),
        rules.digest(),
        args.min_confidence,
        args.samples,
        args.reveal,
        args.max_extracted_size,
        args.max_cells,
        args.max_file_size,
        args.max_file_time,
        args.max_archive_depth,
        args.max_archive_members,
        args.max_member_size,
        args.max_archive_bytes,
        args.max_compression_ratio,
    );
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

fn rules_list(dir: Option<PathBuf>) -> Result<ExitCode> {
    let set = RuleSet::load(dir.as_deref())?;
    println!("{:<28} {:<22} {:<18} validator", "id", "kind", "category");
    for rule in set.rules() {
        println!(
            "{:<28} {:<22} {:<18} {}",
            rule.id,
            rule.kind,
            rule.category.name(),
            rule.validator
        );
        println!("    {}", rule.name);
        println!("    checks: {}", rule.validator().describe());
    }
    Ok(ExitCode::Success)
}

fn rules_check(dir: Option<PathBuf>) -> Result<ExitCode> {
    let set = RuleSet::load(dir.as_deref())?;
    let failures = set.check_examples();
    let examples: usize = set
        .rules()
        .iter()
        .map(|r| r.examples.len() + r.negative_examples.len())
        .sum();
    for f in &failures {
        println!("FAIL {}: {:?}: {}", f.rule, f.text, f.problem);
    }
    println!(
        "{} passed, {} failed ({} rules)",
        examples - failures.len(),
        failures.len(),
        set.rules().len()
    );
    Ok(if failures.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::FatalError
    })
}

fn generate_corpus(args: CorpusArgs) -> Result<ExitCode> {
    let truth = crate::corpus::generate(
        &args.dir,
        args.seed,
        args.size,
        args.density,
        args.xlsx_cells,
    )
    .with_context(|| format!("cannot generate a corpus in {}", args.dir.display()))?;
    eprintln!(
        "piimap: wrote {} files, {} planted values, to {}",
        truth.files,
        truth.planted,
        args.dir.display()
    );
    Ok(ExitCode::Success)
}
