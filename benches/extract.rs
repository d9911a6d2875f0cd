//! Each extractor on a typical file: text, CSV, HTML, xlsx, docx, PDF and zip files of a
//! generated mixed share (the median-sized file of each format), scanned end to end on one
//! thread as `piimap scan` does (sniff, extract, detect, aggregate; no output written). Each
//! iteration scans a folder of `COPIES` copies of the file, so the worker's regex cache is warm
//! as in a real scan and the walker's start is spread over them.
//! Run: `cargo bench --bench extract`.

use std::path::{Path, PathBuf};

use clap::Parser;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use piimap::cli::{Cli, Command};
use piimap::commands::ReadSetup;
use piimap::inventory::Confidence;
use piimap::scan::Scanner;
use piimap_corpus::{self as corpus, CorpusSpec};

/// Copies of the file scanned per iteration.
const COPIES: u64 = 32;

/// The median-sized file of each extension under `dir`.
fn typical_files(dir: &Path) -> Vec<(String, PathBuf, u64)> {
    let mut by_ext: std::collections::BTreeMap<String, Vec<(u64, PathBuf)>> = Default::default();
    for entry in ignore::WalkBuilder::new(dir).build().flatten() {
        let path = entry.path();
        if let (Some(ext), Ok(meta)) = (path.extension(), path.metadata())
            && meta.is_file()
        {
            let ext = ext.to_string_lossy().into_owned();
            by_ext
                .entry(ext)
                .or_default()
                .push((meta.len(), path.to_path_buf()));
        }
    }
    by_ext
        .into_iter()
        .map(|(ext, mut files)| {
            files.sort();
            let (size, path) = files.swap_remove(files.len() / 2);
            (ext, path, size)
        })
        .collect()
}

fn extractors(c: &mut Criterion) {
    let temp = tempfile::tempdir().expect("temp dir");
    let spec = CorpusSpec {
        seed: 5,
        size: 8 << 20,
        density: 50,
        mixed: true,
        ..CorpusSpec::default()
    };
    corpus::generate(&temp.path().join("corpus"), &spec).expect("corpus");
    let key = temp.path().join("fingerprint.key");
    let mut group = c.benchmark_group("extract");
    for (ext, path, size) in typical_files(&temp.path().join("corpus/share")) {
        let folder = temp.path().join(&ext);
        std::fs::create_dir(&folder).expect("folder");
        for i in 0..COPIES {
            std::fs::copy(&path, folder.join(format!("{i}.{ext}"))).expect("copy");
        }
        let argv = ["piimap", "scan", "-j", "1", "--key-file"];
        let cli = Cli::parse_from(argv.iter().copied().chain([key.to_str().unwrap()]));
        let Command::Scan(args) = cli.command else {
            unreachable!("parsed a scan")
        };
        let roots = vec![folder];
        let setup = ReadSetup::new(&args.read, &roots).expect("rules and key");
        let options = setup.options(&args.read, &roots, Confidence::Low);
        let scanner = Scanner::new(setup.rules, setup.key, options);
        group.throughput(Throughput::Bytes(size * COPIES));
        group.bench_function(format!("{ext} ({} KB)", size / 1000), |b| {
            b.iter(|| {
                let mut records = 0;
                scanner
                    .run(|_| {
                        records += 1;
                        Ok(())
                    })
                    .expect("scan");
                records
            })
        });
    }
    group.finish();
}

criterion_group!(benches, extractors);
criterion_main!(benches);
