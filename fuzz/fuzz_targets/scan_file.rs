//! The whole scan of one file, as `piimap scan` does it (sniffing, every extractor, members
//! and attachments at any depth, the detector, the record), with the production caps and the
//! production panic handling: the input is written to a temporary file whose extension is
//! chosen by the first byte, and any panic must come back as that file's `internal_error`.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use clap::Parser;
use libfuzzer_sys::fuzz_target;
use piimap::cli::{Cli, Command};
use piimap::commands::ReadSetup;
use piimap::inventory::Confidence;
use piimap::scan::{Group, Scanner};

const EXTENSIONS: &[&str] = &[
    "txt", "csv", "tsv", "html", "eml", "rtf", "docx", "xlsx", "ods", "odt", "pptx", "pdf",
    "zip", "gz", "tar", "doc", "xls", "ppt", "msg", "json", "log", "xml",
];

struct Fixture {
    dir: tempfile::TempDir,
    scanners: Vec<Scanner>,
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else { return };
    let fixture = fixture();
    let index = usize::from(selector) % EXTENSIONS.len();
    let path = fixture.dir.path().join(format!("f{index}")).join(format!("x.{}", EXTENSIONS[index]));
    std::fs::write(&path, content).unwrap();
    let mut records = 0;
    fixture.scanners[index]
        .run(|group| {
            let Group::Outcomes(outcomes) = group else { panic!("no store here") };
            records += outcomes.len();
            Ok(())
        })
        .unwrap();
    assert!(records >= 1, "the file got no record");
});

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        piimap::panics::install_hook();
        let dir = tempfile::tempdir().unwrap();
        let key: PathBuf = dir.path().join("fingerprint.key");
        let scanners = (0..EXTENSIONS.len())
            .map(|i| {
                let folder = dir.path().join(format!("f{i}"));
                std::fs::create_dir(&folder).unwrap();
                let argv = ["piimap", "scan", "-j", "1", "--max-file-time", "10s", "--key-file"];
                let cli = Cli::parse_from(argv.iter().copied().chain([key.to_str().unwrap()]));
                let Command::Scan(args) = cli.command else { unreachable!() };
                let roots = vec![folder];
                let setup = ReadSetup::new(&args.read, &roots).unwrap();
                let mut options = setup.options(&args.read, &roots, Confidence::Low);
                options.readers = None; // read here, where the fuzzer watches
                Scanner::new(setup.rules, setup.key, options)
            })
            .collect();
        Fixture { dir, scanners }
    })
}
