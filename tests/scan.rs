//! End-to-end tests of `piimap scan` on fixture trees built in a temp dir.

mod harness;

use harness::TestEnv;
use serde_json::Value;

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

#[test]
fn encodings_are_decoded_and_located() {
    let env = TestEnv::new();
    let line = "Vārds: Jānis\nTālrunis: 26123456; personas kods 161175-19997\n";
    env.write("utf8.txt", line);
    env.write("utf16_bom.txt", utf16le(line, true));
    env.write("utf16_nobom.txt", utf16le(line, false));
    // Windows-1257 (reference §7): "Tālrunis" only raises the phone if ā (E2) is decoded.
    env.write("cp1257.txt", encoding_rs::WINDOWS_1257.encode(line).0);
    let scan = env.scan(&[]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    for (file, encoding) in [
        ("utf8.txt", "UTF-8"),
        ("utf16_bom.txt", "UTF-16LE"),
        ("utf16_nobom.txt", "UTF-16LE"),
        ("cp1257.txt", "windows-1257"),
    ] {
        let rec = scan.file(file);
        assert_eq!(rec["encoding"], encoding, "{file}");
        assert_eq!(rec["status"], "complete");
        let phone = scan
            .kind(file, "phone")
            .unwrap_or_else(|| panic!("phone in {file}"));
        assert_eq!(
            phone["max_confidence"], "high",
            "{file}: context keyword decoded"
        );
        assert_eq!(
            phone["samples"][0]["location"],
            serde_json::json!({"line": 2, "column": 11}),
            "{file}"
        );
        let code = scan.kind(file, "lv_personal_code").unwrap();
        assert_eq!(code["samples"][0]["location"]["column"], 35, "{file}");
        assert_eq!(code["samples"][0]["masked"], "XXXXXX-XXX97");
    }
}

#[test]
fn raw_values_never_appear_without_reveal() {
    let env = TestEnv::new();
    let values = [
        "161175-19997",
        "16117519997",
        "janis.berzins@pasts.lv",
        "26123456",
        "LV80BANK0000435195001",
        "4111111111111111",
    ];
    env.write(
        "a.txt",
        "p.k. 161175-19997, 16117519997\ne-pasts janis.berzins@pasts.lv tālr. 26123456\nIBAN LV80BANK0000435195001 karte 4111111111111111\n",
    );
    let scan = env.scan(&[]);
    for v in values {
        assert!(
            !scan.stdout.contains(v),
            "raw value {v} leaked into the inventory"
        );
        assert!(!scan.stderr.contains(v), "raw value {v} leaked into stderr");
    }
    let code = scan.kind("a.txt", "lv_personal_code").unwrap();
    assert_eq!(code["count"], 2);
    assert_eq!(
        code["distinct"], 1,
        "the hyphenated and plain forms are one person"
    );
    assert!(code.get("values").is_none());

    let revealed = env.scan(&["--reveal"]);
    let values_of = |kind: &str| revealed.kind("a.txt", kind).unwrap()["values"].clone();
    assert_eq!(
        values_of("lv_personal_code"),
        serde_json::json!(["16117519997"])
    );
    assert_eq!(values_of("phone"), serde_json::json!(["+37126123456"]));
    assert_eq!(
        values_of("iban"),
        serde_json::json!(["LV80BANK0000435195001"])
    );
}

#[test]
fn fingerprints_are_keyed_and_stable() {
    let env = TestEnv::new();
    env.write("a.txt", "personas kods 161175-19997\n");
    env.write("b.txt", "p.k. 16117519997\n");
    let scan = env.scan(&[]);
    let fp =
        |f: &str| scan.kind(f, "lv_personal_code").unwrap()["samples"][0]["fingerprint"].clone();
    assert_eq!(fp("a.txt"), fp("b.txt"), "same person across files");
    let other = TestEnv::new();
    other.write("a.txt", "personas kods 161175-19997\n");
    let other_scan = other.scan(&[]);
    let other_fp =
        other_scan.kind("a.txt", "lv_personal_code").unwrap()["samples"][0]["fingerprint"].clone();
    assert_ne!(
        fp("a.txt"),
        other_fp,
        "another key gives another fingerprint"
    );
}

#[test]
fn every_file_is_accounted_for() {
    let env = TestEnv::new();
    env.write("clean.txt", "nekā personiska\n");
    env.write("img.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR");
    env.write("mail.msg", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00");
    env.write("archive.zip", b"PK\x03\x04\x14\x00");
    env.write("archive.7z", b"7z\xBC\xAF\x27\x1C\x00\x04");
    env.write("sheet.xlsx", b"PK\x03\x04\x14\x00");
    env.write("blob.bin", [0u8, 1, 2, 3, 0, 0, 7, 8, 9, 0, 0, 0, 200, 1]);
    env.write("big.txt", "personas kods 161175-19997\n".repeat(100));
    let scan = env.scan(&["--max-file-size", "1K"]);
    assert_eq!(
        scan.code, 3,
        "unsupported and too-large files make the scan incomplete"
    );
    let reason = |f: &str| scan.file(f)["reason"]["code"].as_str().unwrap().to_string();
    assert_eq!(reason("img.png"), "binary");
    assert_eq!(reason("blob.bin"), "binary");
    assert_eq!(
        reason("mail.msg"),
        "corrupt",
        "an Outlook message is opened; this one is broken"
    );
    assert_eq!(reason("archive.7z"), "unsupported_format");
    assert_eq!(scan.file("archive.7z")["format"], "7z");
    assert_eq!(
        reason("archive.zip"),
        "corrupt",
        "a zip is opened; this one is broken"
    );
    assert_eq!(scan.file("archive.zip")["format"], "zip");
    assert_eq!(
        reason("sheet.xlsx"),
        "corrupt",
        "a spreadsheet is opened, and this one is broken"
    );
    assert_eq!(scan.file("sheet.xlsx")["status"], "error");
    assert_eq!(reason("big.txt"), "too_large");
    assert_eq!(scan.file("big.txt")["status"], "skipped");
    let s = scan.summary();
    assert_eq!(s["files_seen"], 8);
    assert_eq!(s["files_clean"], 1);
    assert_eq!(
        s["not_fully_scanned"],
        serde_json::json!({"too_large": 1, "binary": 2, "unsupported_format": 1, "corrupt": 3})
    );
    assert_eq!(scan.files().len(), 7, "clean files are counted, not listed");
}

#[test]
fn binary_only_scan_exits_zero() {
    let env = TestEnv::new();
    env.write("img.png", b"\x89PNG\r\n\x1a\n\x00\x00");
    env.write("a.txt", "e-pasts: anna@piemers.lv\n");
    let scan = env.scan(&[]);
    assert_eq!(scan.code, 0, "images hold no text: not a coverage gap");
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_listed() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let env = TestEnv::new();
    env.write("ok.txt", "e-pasts: anna@piemers.lv\n");
    let secret = env.write("secret.txt", "personas kods 161175-19997\n");
    env.write("locked/inner.txt", "x\n");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(
        env.root.join("locked"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let mut cmd = env.command();
    cmd.arg("scan")
        .arg(&env.root)
        .args(["--format", "jsonl", "-q"]);
    // Root reads everything: run as `nobody` so permissions bite.
    if unsafe { libc::geteuid() } == 0 {
        for p in [env.temp.path(), env.root.as_path(), env.key.as_path()] {
            std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
        }
        cmd.uid(65534).gid(65534);
    }
    let scan = harness::run(cmd);
    std::fs::set_permissions(
        env.root.join("locked"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(scan.code, 3, "{}", scan.stderr);
    let secret = scan.file("secret.txt");
    assert_eq!(secret["status"], "error");
    assert_eq!(secret["reason"]["code"], "permission_denied");
    let locked = scan.file("locked");
    assert_eq!(locked["reason"]["code"], "unreadable_directory");
    assert!(scan.kind("ok.txt", "email").is_some(), "the scan went on");
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_kept_exact() {
    use base64::Engine;
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    let name = std::ffi::OsStr::from_bytes(b"V\xe2rds.txt"); // cp1257 "Vārds"
    std::fs::write(env.root.join(name), "e-pasts: anna@piemers.lv\n").unwrap();
    let scan = env.scan(&[]);
    let rec = scan.files()[0];
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(rec["path_bytes"].as_str().unwrap())
        .unwrap();
    assert!(bytes.ends_with(b"/V\xe2rds.txt"));
    assert!(rec["path"].as_str().unwrap().ends_with("V\u{fffd}rds.txt"));
}

#[cfg(unix)]
#[test]
fn symlinks_are_listed_not_followed_unless_asked() {
    let env = TestEnv::new();
    let outside = env.temp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("x.txt"), "e-pasts: anna@piemers.lv\n").unwrap();
    std::os::unix::fs::symlink(&outside, env.root.join("link")).unwrap();
    let scan = env.scan(&[]);
    assert_eq!(scan.file("link")["reason"]["code"], "symlink_not_followed");
    assert_eq!(scan.code, 0);
    let followed = env.scan(&["--follow-links"]);
    assert!(followed.kind("link/x.txt", "email").is_some());
}

#[test]
fn excludes_leave_paths_out() {
    let env = TestEnv::new();
    env.write("keep/a.txt", "e-pasts: anna@piemers.lv\n");
    env.write("skip/b.txt", "e-pasts: anna@piemers.lv\n");
    env.write("c.log", "e-pasts: anna@piemers.lv\n");
    let scan = env.scan(&["--exclude", "skip", "--exclude", "*.log"]);
    let paths: Vec<_> = scan
        .files()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(paths[0].ends_with("keep/a.txt"));
}

#[test]
fn output_file_is_atomic_private_and_not_scanned() {
    let env = TestEnv::new();
    env.write("a.txt", "e-pasts: anna@piemers.lv\n");
    let out = env.root.join("inventory.json");
    let mut cmd = env.command();
    cmd.arg("scan").arg(&env.root).arg("-o").arg(&out).arg("-q");
    let scan = harness::run(cmd);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["schema_version"], 5);
    assert_eq!(doc["files"].as_array().unwrap().len(), 1);
    assert_eq!(
        doc["summary"]["files_seen"], 1,
        "the inventory's own temp file is not scanned"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&env.root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temp file left behind: {leftovers:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o077,
            0
        );
        assert_eq!(
            std::fs::metadata(&env.key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn a_value_across_a_chunk_edge_is_found_once() {
    let env = TestEnv::new();
    // Put the code across the 1 MiB read boundary, with its label before it.
    let chunk = 1 << 20;
    let label = "personas kods ";
    let filler_line = "x".repeat(99) + "\n";
    let mut text = filler_line.repeat((chunk - 7 - label.len()) / 100);
    let pad = chunk - 7 - label.len() - text.len();
    text.push_str(&"y".repeat(pad - 1));
    text.push(' ');
    let line = text.matches('\n').count() + 1;
    let column = pad + label.len() + 1;
    text.push_str(label);
    text.push_str("161175-19997\n");
    text.push_str(&filler_line.repeat(20_000));
    text.push_str("e-pasts: anna@piemers.lv\n");
    assert!(text.len() > 2 * chunk);
    env.write("big.txt", &text);
    let scan = env.scan(&[]);
    let code = scan.kind("big.txt", "lv_personal_code").unwrap();
    assert_eq!(code["count"], 1);
    assert_eq!(
        code["max_confidence"], "high",
        "the label in the previous chunk still counts"
    );
    assert_eq!(
        code["samples"][0]["location"],
        serde_json::json!({"line": line, "column": column})
    );
    let mail = scan.kind("big.txt", "email").unwrap();
    assert_eq!(mail["samples"][0]["location"]["line"], line + 20_001);
}

/// A CSV over several read windows: every row's header-labelled phone and lost-zero personal
/// code is found, whichever window edge it straddles, and the last one is named by its cell.
#[test]
fn a_large_csv_keeps_rows_and_columns_across_windows() {
    let env = TestEnv::new();
    let rows = 60_000;
    let mut text = String::from("Nr.p.k.;Personas kods;Tālrunis;Piezīmes\r\n");
    for i in 0..rows {
        // 050788-12379 kept by Excel as the number 5078812379 (reference §1.5).
        text.push_str(&format!("{i};5078812379;26000005;\"rinda\n{i}\"\r\n"));
    }
    assert!(text.len() > 2 << 20);
    env.write("liels.csv", &text);
    let scan = env.scan(&[]);
    let code = scan.kind("liels.csv", "lv_personal_code").unwrap();
    assert_eq!(code["count"], rows);
    assert_eq!(code["max_confidence"], "high");
    let phone = scan.kind("liels.csv", "phone").unwrap();
    assert_eq!(phone["count"], rows, "bare phones count under their header");
    let columns = scan.file("liels.csv")["columns"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(columns[0]["header"], "Personas kods");
    assert_eq!(columns[0]["values"], rows);
    assert_eq!(columns[0]["kinds"]["lv_personal_code"], rows);
    // One distinct value: its sample is the first occurrence, row 2 on line 2.
    assert_eq!(
        code["samples"][0]["location"],
        serde_json::json!({"line": 2, "column": 3, "cell": "B2"})
    );
}

#[test]
fn line_less_file_spanning_windows_is_located_by_column() {
    let env = TestEnv::new();
    let unit = "Jānis personas kods 161175-19997, e-pasts janis@pasts.lv; ";
    let n = 3 * (1 << 20) / unit.len();
    env.write("oneline.txt", unit.repeat(n));
    let scan = env.scan(&["--samples", "1"]);
    let code = scan.kind("oneline.txt", "lv_personal_code").unwrap();
    assert_eq!(code["count"], n);
    assert_eq!(code["distinct"], 1);
    assert_eq!(
        code["samples"][0]["location"],
        serde_json::json!({"line": 1, "column": 21})
    );
    assert_eq!(scan.kind("oneline.txt", "email").unwrap()["count"], n);
}

#[test]
fn html_character_references_and_no_break_spaces() {
    let env = TestEnv::new();
    env.write(
        "kontakti.html",
        "<p>T&#257;lrunis:&nbsp;+371&nbsp;26&nbsp;123&nbsp;456, e-pasts janis&#64;pasts.lv</p>\n",
    );
    env.write(
        "word.txt",
        "tālr.\u{a0}67\u{a0}123\u{a0}456 „citāts“ – domuzīme\n",
    );
    let scan = env.scan(&["--reveal"]);
    let phone = scan.kind("kontakti.html", "phone").unwrap();
    assert_eq!(phone["values"], serde_json::json!(["+37126123456"]));
    assert_eq!(
        phone["max_confidence"], "high",
        "T&#257;lrunis decodes to the keyword"
    );
    assert_eq!(
        scan.kind("kontakti.html", "email").unwrap()["values"],
        serde_json::json!(["janis@pasts.lv"])
    );
    let word = scan.kind("word.txt", "phone").unwrap();
    assert_eq!(word["values"], serde_json::json!(["+37167123456"]));
    assert_eq!(word["samples"][0]["location"]["column"], 7);
}

#[test]
fn min_confidence_filters() {
    let env = TestEnv::new();
    env.write("a.txt", "Līguma summa 26123456 euro\n");
    assert!(env.scan(&[]).files().is_empty());
    let low = env.scan(&["--min-confidence", "low"]);
    assert_eq!(low.kind("a.txt", "phone").unwrap()["max_confidence"], "low");
}

#[test]
fn company_numbers_are_not_personal_data() {
    let env = TestEnv::new();
    env.write("a.txt", "SIA Piemērs, reģ. Nr. 40003521600\n");
    let scan = env.scan(&[]);
    let rec = scan.file("a.txt");
    assert_eq!(rec["personal_data"], false);
    let k = scan.kind("a.txt", "lv_company_code").unwrap();
    assert_eq!(
        (k["category"].as_str(), k["personal"].as_bool()),
        (Some("organisation"), Some(false))
    );
    assert_eq!(
        k["samples"][0]["masked"], "40003521600",
        "public register numbers are shown whole"
    );
    assert_eq!(scan.summary()["files_with_personal_data"], 0);
}

#[test]
fn json_document_format() {
    let env = TestEnv::new();
    env.write("a.txt", "e-pasts: anna@piemers.lv\n");
    let mut cmd = env.command();
    cmd.arg("scan").arg(&env.root).arg("-q");
    let scan = harness::run(cmd);
    let doc: Value = serde_json::from_str(&scan.stdout).unwrap();
    assert_eq!(doc["scan"]["tool"], "piimap");
    assert_eq!(doc["files"][0]["findings"][0]["kind"], "email");
    assert_eq!(doc["summary"]["kinds"]["email"]["count"], 1);
}

#[test]
fn summary_goes_to_stderr() {
    let env = TestEnv::new();
    env.write("a.txt", "e-pasts: anna@piemers.lv\n");
    let mut cmd = env.command();
    cmd.arg("scan").arg(&env.root);
    let scan = harness::run(cmd);
    assert!(scan.stderr.contains("1 files seen"), "{}", scan.stderr);
    assert!(scan.stderr.contains("email"));
}

#[test]
fn usage_and_fatal_errors_have_their_codes() {
    let env = TestEnv::new();
    let mut missing = env.command();
    missing.args(["scan", "/no/such/place"]);
    let scan = harness::run(missing);
    assert_eq!(scan.code, 2);
    assert!(scan.stderr.contains("no such file"));
    let mut bad_flag = env.command();
    bad_flag.args(["scan", "--no-such-flag"]);
    assert_eq!(harness::run(bad_flag).code, 2);
    let mut bad_rules = env.command();
    bad_rules
        .arg("scan")
        .arg(&env.root)
        .arg("--rules")
        .arg(env.temp.path());
    let scan = harness::run(bad_rules);
    assert_eq!(scan.code, 1);
    assert!(scan.stderr.contains("no rule files"), "{}", scan.stderr);
}

#[cfg(unix)]
#[test]
fn a_failing_output_stops_the_scan_with_an_error() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let env = TestEnv::new();
    for i in 0..3000 {
        env.write(
            &format!("d{}/f{i}.txt", i % 30),
            format!("e-pasts: anna{i}@piemers.lv\n"),
        );
    }
    // stdout on /dev/full: the first flush fails (ENOSPC) while walker threads still send.
    let mut cmd = env.command();
    cmd.arg("scan").arg(&env.root).args(["-q", "-j", "2"]);
    cmd.stdout(std::fs::File::create("/dev/full").unwrap())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("piimap hung after its output failed (deadlock regression)");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(1));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("piimap: error"), "{stderr}");
}

/// A docx written in the test: `[Content_Types].xml` and `word/document.xml` with `paragraphs`.
fn docx(paragraphs: &[String]) -> Vec<u8> {
    use std::io::Write;
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
        .collect();
    let xml = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_extraction_cap_that_bites_is_reported() {
    let env = TestEnv::new();
    let mut paragraphs = vec!["personas kods 161175-19997".to_string()];
    paragraphs.extend((0..5000).map(|i| format!("rindkopa {i} bez personas datiem")));
    env.write("liels.docx", docx(&paragraphs));
    let capped = env.scan(&["--max-extracted-size", "4K"]);
    assert_eq!(capped.code, 3);
    capped.assert_cut(
        "liels.docx",
        "partial",
        "limit_exceeded",
        "word/document.xml",
    );
    assert_eq!(
        capped.kind("liels.docx", "lv_personal_code").unwrap()["samples"][0]["location"],
        serde_json::json!({"part": "word/document.xml", "paragraph": 1})
    );
    let full = env.scan(&[]);
    assert_eq!(full.code, 0);
    assert_eq!(full.file("liels.docx")["status"], "complete");
}

/// Archive caps are configurable and reported where they bite: the archive nested too deep is
/// listed (and not opened), an archive with too many members is `partial`.
#[test]
fn archive_caps_are_listed_where_they_bite() {
    let env = TestEnv::new();
    env.copy_fixture("containers/arhivs.zip", "arhivs.zip");
    let scan = env.scan(&["--max-archive-depth", "2", "--max-archive-members", "3"]);
    assert_eq!(scan.code, 3);
    let outer = scan.file("arhivs.zip");
    assert_eq!(outer["status"], "partial");
    assert_eq!(outer["reason"]["code"], "limit_exceeded");
    assert!(
        outer["reason"]["message"]
            .as_str()
            .unwrap()
            .contains("first 3 of about 4"),
        "{outer}"
    );
    // The fourth member (the nested zip) was not read at all with three allowed.
    assert!(
        scan.files()
            .iter()
            .all(|r| !r["path"].as_str().unwrap().contains("limenis"))
    );
    let scan = env.scan(&["--max-archive-depth", "2"]);
    let deep = scan.file("arhivs.zip!/1/limenis1.zip!/2/limenis2.zip");
    assert_eq!(deep["status"], "skipped");
    assert_eq!(deep["reason"]["code"], "limit_exceeded");
    assert_eq!(
        deep["inside"],
        serde_json::json!({"file": scan.file("arhivs.zip!/2024/saraksts.csv")["inside"]["file"], "members": ["1/limenis1.zip", "2/limenis2.zip"]})
    );
    assert_eq!(scan.summary()["members_seen"], 5);
}

/// People named in document metadata are masked and fingerprinted like findings; their names
/// appear only with `--reveal`.
#[test]
fn metadata_names_are_masked_unless_revealed() {
    let env = TestEnv::new();
    env.copy_fixture("documents/iesniegums.docx", "iesniegums.docx");
    let scan = env.scan(&[]);
    assert!(!scan.stdout.contains("Bērziņa") && !scan.stdout.contains("Ozoliņš"));
    let metadata = scan.file("iesniegums.docx")["metadata"].clone();
    assert_eq!(metadata[0]["field"], "author");
    assert_eq!(metadata[0]["masked"], "A*** B***");
    assert_eq!(metadata[0]["fingerprint"].as_str().unwrap().len(), 32);
    let revealed = env.scan(&["--reveal"]);
    assert_eq!(
        revealed.file("iesniegums.docx")["metadata"][1]["value"],
        "Jānis Ozoliņš"
    );
}

/// `--max-cells` stops a sheet where it bites and says which sheet; the cells read before it
/// are still scanned.
#[test]
fn the_sheet_cell_cap_is_reported_where_it_bites() {
    let env = TestEnv::new();
    env.copy_fixture("spreadsheets/darbinieki.xlsx", "darbinieki.xlsx");
    let full = env.scan(&[]);
    assert_eq!(full.file("darbinieki.xlsx")["status"], "complete");
    let capped = env.scan(&["--max-cells", "12"]);
    assert_eq!(capped.code, 3);
    capped.assert_cut(
        "darbinieki.xlsx",
        "partial",
        "limit_exceeded",
        "Darbinieki: stopped after 12 cells (--max-cells)",
    );
    let count = |scan: &harness::Scan| {
        scan.kind("darbinieki.xlsx", "lv_personal_code")
            .map_or(0, |k| k["count"].as_u64().unwrap())
    };
    assert!(count(&capped) >= 1 && count(&capped) < count(&full));
}

/// `--max-file-time` stops a file, archive members included, and lists it as cut by the cap,
/// not as damaged; `0` turns the cap off.
#[test]
fn the_file_time_cap_is_reported_not_mistaken_for_damage() {
    let env = TestEnv::new();
    env.write("ligums.txt", "personas kods 161175-19997\n".repeat(200_000));
    env.copy_fixture("containers/arhivs.zip", "arhivs.zip");
    let capped = env.scan(&["--max-file-time", "1ns"]);
    assert_eq!(capped.code, 3);
    for file in ["ligums.txt", "arhivs.zip"] {
        let rec = capped.file(file);
        assert_eq!(rec["reason"]["code"], "limit_exceeded", "{rec}");
        assert_eq!(
            rec["reason"]["message"],
            "stopped after 1ns (--max-file-time)"
        );
        assert_ne!(rec["status"], "error");
    }
    assert_eq!(capped.summary()["members_seen"], 0);
    let uncapped = env.scan(&["--max-file-time", "0"]);
    assert_eq!(uncapped.code, 0, "{}", uncapped.stderr);
}

/// Regression: `-o /dev/null` once renamed a temporary file over the device, leaving a regular
/// file there (and breaking every later reader of /dev/null on the machine). An output that
/// exists and is not a regular file is written in place. Tested on a FIFO, never on the real
/// /dev/null.
#[cfg(unix)]
#[test]
fn an_output_that_is_not_a_regular_file_is_written_in_place() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let env = TestEnv::new();
    env.write("a.txt", "personas kods 161175-19997\n");
    let fifo = env.temp.path().join("inventory.fifo");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let mut cmd = env.command();
    cmd.arg("scan").arg(&env.root).args(["-q", "-o"]).arg(&fifo);
    let scan = harness::run(cmd);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    // Checked before joining: a replaced FIFO would leave the reader waiting for ever.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let inventory: Value = serde_json::from_str(&reader.join().unwrap()).unwrap();
    assert_eq!(inventory["files"].as_array().unwrap().len(), 1);
}

/// Regression: `-o -` wrote a file named `-` in the working directory; it is standard output.
#[test]
fn output_dash_is_stdout() {
    let env = TestEnv::new();
    env.write("a.txt", "personas kods 161175-19997\n");
    let mut cmd = env.command();
    cmd.current_dir(env.temp.path())
        .arg("scan")
        .arg(&env.root)
        .args(["--format", "jsonl", "-q", "-o", "-"]);
    let scan = harness::run(cmd);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert_eq!(scan.files().len(), 1, "{}", scan.stdout);
    assert!(!env.temp.path().join("-").exists());
}
