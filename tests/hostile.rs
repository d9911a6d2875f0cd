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

/// Regression: only the first member of a multi-member gzip file was read.
#[test]
fn every_member_of_a_gzip_file_is_read() {
    let gz = gzip_members(&[b"pirmais: nekas\n", b"otrais: personas kods 161175-19997\n"]);
    let scan = scan_with_ordinary(&[("zurnals.log.gz", gz)], &[]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert!(
        scan.kind("zurnals.log.gz!/zurnals.log", "lv_personal_code")
            .is_some()
    );
}

/// Regression: tar members of type `7` and GNU sparse members were skipped silently, and a
/// pre-POSIX tar was called `binary`.
#[test]
fn every_kind_of_tar_file_member_is_read() {
    let code = b"personas kods 161175-19997\n";
    let scan = scan_with_ordinary(
        &[
            ("nepartraukts.tar", tar_of(b'7', "a.txt", code)),
            ("reta.tar", gnu_sparse_tar("b.txt", code)),
            ("veca.tar", v7_tar("c.txt", code)),
        ],
        &[],
    );
    assert_eq!(scan.code, 0, "{}\n{}", scan.stderr, scan.stdout);
    for member in [
        "nepartraukts.tar!/a.txt",
        "reta.tar!/b.txt",
        "veca.tar!/c.txt",
    ] {
        assert!(
            scan.kind(member, "lv_personal_code").is_some(),
            "{member}: {}",
            scan.stdout
        );
    }
}

/// Regression: a bzip2 zip member was `corrupt`, deflate64 and implode members too.
#[test]
fn zip_methods_are_read_or_named() {
    let code = b"personas kods 161175-19997\n";
    let scan = scan_with_ordinary(
        &[
            (
                "bzip2.zip",
                zip_with(&[("a.txt", code)], zip::CompressionMethod::Bzip2),
            ),
            ("deflate64.zip", zip_with_method("b.txt", code, 9)),
            ("implode.zip", zip_with_method("c.txt", code, 6)),
        ],
        &[],
    );
    assert_eq!(scan.code, 3, "{}", scan.stderr);
    assert!(scan.kind("bzip2.zip!/a.txt", "lv_personal_code").is_some());
    assert!(
        scan.kind("deflate64.zip!/b.txt", "lv_personal_code")
            .is_some()
    );
    scan.assert_cut(
        "implode.zip!/c.txt",
        "skipped",
        "unsupported_format",
        "does not read",
    );
}

/// Regression: `message/rfc822` attachments nested 40 deep were all opened, although
/// `--max-archive-depth` is documented to apply to attachments.
#[test]
fn attached_messages_are_messages_and_their_depth_is_capped() {
    let scan = scan_with_ordinary(
        &[
            ("divi.eml", nested_messages(2)),
            ("dzilš.eml", nested_messages(40)),
        ],
        &[],
    );
    assert_eq!(scan.code, 3, "{}\n{}", scan.stderr, scan.stdout);
    let inner = "divi.eml!/attachment-1.eml!/attachment-1.eml";
    assert_eq!(scan.file(inner)["format"], "eml");
    assert!(
        scan.kind(inner, "lv_personal_code").is_some(),
        "{}",
        scan.stdout
    );
    let deep = scan
        .files()
        .into_iter()
        .filter(|f| f["path"].as_str().unwrap().contains("dzilš.eml"))
        .map(|f| f["path"].as_str().unwrap().matches("!/").count())
        .max()
        .unwrap();
    assert_eq!(deep, 5, "nested no deeper than --max-archive-depth");
    let capped: Vec<_> = scan
        .files()
        .into_iter()
        .filter(|f| f["reason"]["code"] == "limit_exceeded")
        .collect();
    assert_eq!(capped.len(), 1, "{capped:?}");
    assert!(
        capped[0]["reason"]["message"]
            .as_str()
            .unwrap()
            .contains("--max-archive-depth")
    );
}

/// Regression: 30,000 attachments of one name took 156 s (naming them was quadratic).
#[test]
fn many_attachments_of_one_name_are_named_quickly() {
    let started = std::time::Instant::now();
    let scan = scan_with_ordinary(&[("daudz.eml", many_attachments(30_000))], &[]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert!(
        scan.kind("daudz.eml!/a.txt (30000)", "lv_personal_code")
            .is_some()
    );
    assert_eq!(scan.summary()["members_seen"], 30_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

/// Regression: with `--max-file-time`, attachments not read in time got no record and the
/// message was `complete`.
#[test]
fn attachments_left_at_the_deadline_are_reported() {
    let scan = scan_with_ordinary(
        &[("daudz.eml", many_attachments(30_000))],
        &["--max-file-time", "100ms"],
    );
    assert_eq!(scan.code, 3, "{}", scan.stderr);
    let rec = scan.file("daudz.eml");
    assert_eq!(rec["status"], "partial", "{rec}");
    assert_eq!(rec["reason"]["code"], "limit_exceeded");
    assert!(
        rec["reason"]["message"]
            .as_str()
            .unwrap()
            .contains("--max-file-time")
    );
}

/// Regression: of repeated `To:`/`Cc:` headers only the last was read; a message without the
/// `.eml` extension was plain text; a message with a raw UTF-16 part was `binary` as a whole;
/// and a message over `--max-member-size` was called `corrupt`.
#[test]
fn messages_are_recognised_and_read_whole() {
    let repeated = eml(
        &[
            "From: Anna <anna@piemers.lv>",
            "To: janis@piemers.lv",
            "To: peteris@piemers.lv",
            "Cc: ilze@piemers.lv",
            "Cc: maris@piemers.lv",
            "Subject: sapulce",
        ],
        "Labdien!\r\n",
    );
    let mut utf16 =
        b"From: anna@piemers.lv\r\nTo: b@piemers.lv\r\nSubject: x\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\
personas kods 161175-19997\r\n--b\r\nContent-Type: text/plain; charset=utf-16le\r\n\
Content-Transfer-Encoding: binary\r\n\r\n"
            .to_vec();
    utf16.extend(
        "Tālrunis 26123456 "
            .repeat(200)
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    utf16.extend_from_slice(b"\r\n--b--\r\n");
    let scan = scan_with_ordinary(
        &[
            ("atkartoti.eml", repeated.clone()),
            ("bez_paplasinajuma", repeated),
            ("utf16.eml", utf16),
        ],
        &[],
    );
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert_eq!(scan.kind("atkartoti.eml", "email").unwrap()["distinct"], 5);
    let plain = scan.file("bez_paplasinajuma");
    assert_eq!(plain["format"], "eml", "{plain}");
    assert_eq!(
        scan.kind("bez_paplasinajuma", "email").unwrap()["distinct"],
        5
    );
    assert_eq!(scan.file("utf16.eml")["format"], "eml");
    assert!(scan.kind("utf16.eml", "lv_personal_code").is_some());

    let big = scan_with_ordinary(
        &[("liela.eml", eml(&["From: a@piemers.lv"], &"x".repeat(4096)))],
        &["--max-member-size", "1K"],
    );
    big.assert_cut(
        "liela.eml",
        "skipped",
        "limit_exceeded",
        "--max-member-size",
    );
}
