//! Hostile, corrupt and odd files: each must become a listed status with a reason (or be read
//! right), cost bounded memory and time, and never stop the scan of the rest of the tree.
//! The files are built in code (`harness/hostile.rs`).

mod harness;

use harness::hostile::*;
use harness::{TestEnv, run_measured};

/// An ordinary file scanned beside every hostile one: its personal code must always be found.
const ORDINARY: &str = "Iesniedzējs: Jānis Bērziņš, personas kods 161175-19997\n";

/// Scans a tree of `files` plus the ordinary file, and checks that the ordinary file was read.
fn scan_with_ordinary(files: &[(&str, Vec<u8>)], args: &[&str]) -> harness::Scan {
    let env = TestEnv::new();
    env.write("parasts.txt", ORDINARY);
    for (name, bytes) in files {
        env.write(name, bytes);
    }
    let scan = env.scan(args);
    assert!(
        scan.kind("parasts.txt", "lv_personal_code").is_some(),
        "the ordinary file was not read: {}\n{}",
        scan.stdout,
        scan.stderr
    );
    scan
}

#[test]
fn a_workbook_declaring_a_hundred_trillion_strings_is_capped_not_fatal() {
    // calamine reserved by the declared count: 2.4 PB, and the process aborted.
    let scan = scan_with_ordinary(
        &[
            (
                "milzis.xlsx",
                xlsx_declaring_strings("100000000000000", "161175-19997"),
            ),
            ("labs.xlsx", xlsx_declaring_strings("1", "161175-19997")),
        ],
        &[],
    );
    assert_eq!(scan.code, 3, "{}", scan.stderr);
    let rec = scan.assert_cut(
        "milzis.xlsx",
        "skipped",
        "limit_exceeded",
        "--max-file-memory",
    );
    assert_eq!(rec["format"], "xlsx");
    assert!(scan.kind("labs.xlsx", "lv_personal_code").is_some());
}

#[test]
fn the_memory_cap_holds_the_whole_process_tree() {
    let env = TestEnv::new();
    env.write(
        "milzis.xlsx",
        xlsx_declaring_strings("100000000000000", "x"),
    );
    let mut cmd = env.command();
    cmd.arg("scan").arg(&env.root).args([
        "--format",
        "jsonl",
        "-q",
        "-j",
        "2",
        "--max-file-memory",
        "64M",
    ]);
    let (scan, cost) = run_measured(cmd);
    scan.assert_cut("milzis.xlsx", "skipped", "limit_exceeded", "64 MiB");
    if cfg!(target_os = "linux") {
        assert!(
            cost.peak_rss > 0 && cost.peak_rss < 400 << 20,
            "{}",
            cost.peak_rss
        );
    }
}

/// Regression (found by fuzzing): text like `e-pasts<U+00A0>(janis.berzins@piemers.lv)` made
/// the e-mail validator slice inside the no-break space and panic, so every file holding it
/// became `internal_error` and lost all its findings; the panic message quoted the text.
#[test]
fn a_wide_space_before_an_address_does_not_lose_the_file() {
    let text = "e-pasts\u{a0}(janis.berzins@piemers.lv), e-pasts\u{2003}(anna@piemers.lv)\n";
    let scan = scan_with_ordinary(&[("vestule.txt", text.as_bytes().to_vec())], &[]);
    let rec = scan.file("vestule.txt");
    assert_eq!(rec["status"], "complete", "{rec}");
    assert_eq!(scan.kind("vestule.txt", "email").unwrap()["count"], 2);
    assert!(!scan.stderr.contains("janis"), "{}", scan.stderr);
}
