//! Hostile, corrupt and odd files: each must become a listed status with a reason (or be read
//! right), cost bounded memory and time, and never stop the scan of the rest of the tree.
//! The files are built in code (`harness/hostile.rs`).

mod harness;

use harness::TestEnv;
use harness::hostile::*;

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

/// Regression: a workbook declaring a hundred trillion shared strings made calamine reserve
/// 2.4 PB, and the process aborted. The count is not trusted now: the workbook is read.
#[test]
fn a_workbook_declaring_a_hundred_trillion_strings_is_read() {
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
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    for file in ["milzis.xlsx", "labs.xlsx"] {
        assert_eq!(scan.file(file)["status"], "complete");
        assert!(scan.kind(file, "lv_personal_code").is_some(), "{file}");
    }
}

/// The last line of defence: a file whose reading takes more memory than `--max-file-memory`
/// ends its reader process, is listed as `limit_exceeded`, and the scan goes on with a new
/// reader; the whole process tree stays within the bound.
#[test]
fn the_memory_cap_holds_the_whole_process_tree() {
    let env = TestEnv::new();
    env.write("parasts.txt", ORDINARY);
    let big = "Iesniedzējs Jānis Bērziņš, tālr. 26123456\n".repeat(1 << 20);
    // Two of them: the second is read by a reader started after the first one ended.
    env.write("liels.zip", zip_of(&[("saraksts.txt", big.as_bytes())]));
    env.write(
        "otrs/liels.zip",
        zip_of(&[("saraksts.txt", big.as_bytes())]),
    );
    env.write("aiz.xlsx", xlsx_declaring_strings("1", "161175-19997"));
    let (scan, cost) = env.scan_measured(&[
        "-j",
        "1",
        "--max-file-memory",
        "16M",
        "--max-compression-ratio",
        "100000",
    ]);
    assert_eq!(scan.code, 3, "{}", scan.stderr);
    for zip in ["share/liels.zip", "otrs/liels.zip"] {
        let rec = scan.assert_cut(zip, "skipped", "limit_exceeded", "--max-file-memory");
        assert_eq!(rec["format"], "zip");
    }
    assert!(scan.kind("parasts.txt", "lv_personal_code").is_some());
    assert!(
        scan.kind("aiz.xlsx", "lv_personal_code").is_some(),
        "a new reader read on"
    );
    if cfg!(target_os = "linux") {
        assert!(
            cost.peak_rss > 0 && cost.peak_rss < 200 << 20,
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

/// Regression: an ods repeating 16,384 cells on 20,000 rows grew past 9 GB in 20 s, and
/// `--max-cells` did not apply.
#[test]
fn repeated_ods_cells_cost_what_they_hold() {
    let env = TestEnv::new();
    env.write("atkartots.ods", ods_repeating(20_000));
    let (scan, cost) = env.scan_measured(&["-j", "1"]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert!(scan.kind("atkartots.ods", "lv_personal_code").is_some());
    assert!(
        cost.wall < std::time::Duration::from_secs(30),
        "{:?}",
        cost.wall
    );
    if cfg!(target_os = "linux") {
        assert!(cost.peak_rss < 200 << 20, "{}", cost.peak_rss);
    }
    let capped = scan_with_ordinary(
        &[("atkartots.ods", ods_repeating(300))],
        &["--max-cells", "100"],
    );
    capped.assert_cut("atkartots.ods", "partial", "limit_exceeded", "--max-cells");
}

/// Regression: an xls whose DIMENSIONS record declared a huge range made calamine reserve it
/// and abort; a truncated xls panicked inside calamine (its own compound-file reader) and its
/// record said `unknown`. The cfb crate, which reports such damage as an error, now opens it
/// first.
#[test]
fn damaged_xls_workbooks_are_named_for_what_they_are() {
    let scan = scan_with_ordinary(
        &[
            ("milzis.xls", xls_declaring(0x00FF_FFFF, 0x3FFF)),
            // Cut here, calamine panicked (its own cfb reader, src/cfb.rs:320).
            ("nogriezts.xls", truncated_xls(4096)),
        ],
        &[],
    );
    assert_eq!(scan.code, 3, "{}", scan.stderr);
    scan.assert_cut(
        "milzis.xls",
        "skipped",
        "limit_exceeded",
        "--max-file-memory",
    );
    let cut = scan.assert_cut("nogriezts.xls", "error", "corrupt", "compound file");
    assert_eq!(cut["format"], "xls", "{cut}");
}

/// Regression: a workbook with an Excel 4 macro sheet was an `error` as a whole, one with a
/// chartsheet `partial/corrupt`, and an ods with whitespace between cells an `error`.
#[test]
fn odd_sheets_do_not_cost_the_others() {
    let code = "161175-19997";
    let people = Sheet::with_rows(
        "Darbinieki",
        "worksheets/sheet1.xml",
        &[&["Vārds", "Personas kods"], &["Anna", code]],
    );
    let macros = Sheet {
        name: "Makro1",
        kind: "xlMacrosheet",
        part: "macrosheets/sheet1.xml",
        xml: worksheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>=HALT()</t></is></c></row>"#),
    };
    let chart = Sheet {
        name: "Grafiks",
        kind: "chartsheet",
        part: "chartsheets/sheet1.xml",
        xml: r#"<?xml version="1.0"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><drawing/></chartsheet>"#.into(),
    };
    let spaced = ods(&format!(
        "<table:table table:name=\"S\">\n  <table:table-row>\n    <table:table-cell office:value-type=\"string\">\n      <text:p>{code}</text:p>\n    </table:table-cell>\n  </table:table-row>\n</table:table>"
    ));
    let scan = scan_with_ordinary(
        &[
            ("makro.xlsm", xlsx(&[macros, people], None)),
            (
                "grafiks.xlsx",
                xlsx(
                    &[
                        chart,
                        Sheet::with_rows("Dati", "worksheets/sheet1.xml", &[&[code]]),
                    ],
                    None,
                ),
            ),
            ("atstarpes.ods", spaced),
        ],
        &[],
    );
    assert_eq!(scan.code, 0, "{}\n{}", scan.stderr, scan.stdout);
    for file in ["makro.xlsm", "grafiks.xlsx", "atstarpes.ods"] {
        assert_eq!(scan.file(file)["status"], "complete", "{file}");
        assert!(scan.kind(file, "lv_personal_code").is_some(), "{file}");
    }
}

/// Regression: a 1 GB shared string took 3.1 GB and was called `complete`:
/// `--max-extracted-size` was not applied to workbook parts. (Shown here at 4 MiB against a
/// 1 MiB cap.)
#[test]
fn workbook_parts_are_held_to_the_extraction_cap() {
    let long = "x".repeat(4 << 20);
    let book = xlsx_declaring_strings("1", &long);
    let scan = scan_with_ordinary(&[("gars.xlsx", book)], &["--max-extracted-size", "1M"]);
    let rec = scan.file("gars.xlsx");
    assert_ne!(rec["status"], "complete", "{rec}");
    assert_eq!(rec["reason"]["code"], "limit_exceeded", "{rec}");
    assert!(
        rec["reason"]["message"]
            .as_str()
            .unwrap()
            .contains("--max-extracted-size")
    );
}

/// Regression: a 306 KB PDF whose content stream inflated to 200 MB of `0 0 m` operators grew
/// past 9 GB (lopdf decoded every operator); a 31 KB one took 1.95 GB. (Here 60 MB.)
#[test]
fn a_content_stream_of_millions_of_operators_costs_time_not_memory() {
    let mut content = pdf_lines(&["personas kods 161175-19997"]);
    content.extend(b"0 0 m\n".repeat(10 << 20));
    let env = TestEnv::new();
    env.write("celi.pdf", pdf_pages(&[content], &[], ""));
    let (scan, cost) = env.scan_measured(&["-j", "1"]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert!(scan.kind("celi.pdf", "lv_personal_code").is_some());
    if cfg!(target_os = "linux") {
        assert!(cost.peak_rss < 150 << 20, "{}", cost.peak_rss);
    }
}

/// Regression: a PDF of 20,000 empty pages ran 160-200 s despite `--max-file-time 10s`
/// (looking each page up was quadratic, and the deadline was not checked there).
#[test]
fn many_pages_are_read_in_linear_time_under_the_deadline() {
    let pages: Vec<Vec<u8>> = (0..20_000).map(|_| b"q Q\n".to_vec()).collect();
    let mut last = pages;
    *last.last_mut().unwrap() = pdf_lines(&["personas kods 161175-19997"]);
    let book = pdf_pages(&last, &[], "");
    let started = std::time::Instant::now();
    let scan = scan_with_ordinary(&[("lapas.pdf", book.clone())], &[]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    let rec = scan.assert_cut(
        "lapas.pdf",
        "partial",
        "no_text_layer",
        "19999 of 20000 pages",
    );
    assert!(
        rec["reason"]["message"].as_str().unwrap().len() < 400,
        "{rec}"
    );
    assert!(scan.kind("lapas.pdf", "lv_personal_code").is_some());
    let stopped = scan_with_ordinary(&[("lapas.pdf", book)], &["--max-file-time", "1ms"]);
    let rec = stopped.file("lapas.pdf");
    assert_eq!(rec["reason"]["code"], "limit_exceeded", "{rec}");
}

/// Regression: a Pages node listing itself hid the text page (status `complete`); text in a
/// form XObject was not read; a Type0 font whose `/Encoding` is an embedded CMap gave no text
/// although it has a ToUnicode map; adjacent text runs were glued (two table cells became one
/// 16-digit card, an IBAN after its label was missed).
#[test]
fn pdf_layouts_from_real_documents_are_read() {
    // A page tree whose root lists itself before the page.
    let looped = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
            .to_vec(),
        pdf_stream("", &pdf_lines(&["personas kods 161175-19997"]), true),
    ]);
    // Text only inside a form XObject (as OCR sandwiches and stamps have it).
    let form_text = pdf_lines(&["e-pasts anna.berzina@piemers.lv"]);
    let form = pdf_pages(
        &[b"q 1 0 0 1 0 0 cm /Fm1 Do Q\n".to_vec()],
        &[pdf_stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>",
            &form_text,
            true,
        )],
        "/XObject << /Fm1 6 0 R >>",
    );
    // A Type0 font with an embedded CMap as its encoding and a ToUnicode map.
    let to_unicode = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
3 beginbfrange <0001> <000A> <0030> <000B> <000B> <002D> <000C> <0025> <0061> endbfrange\n\
endcmap CMapName currentdict /CMap defineresource pop end end"
        .to_vec();
    let encoding_cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
/CMapName /Custom def /CMapType 1 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
1 begincidrange <0000> <FFFF> 0 endcidrange\n\
endcmap CMapName currentdict /CMap defineresource pop end end"
        .to_vec();
    // "161175-19997": codes 0001..000A are digits 0..9 (0001 = '0'), 000B is '-'.
    let code: String = "161175-19997"
        .chars()
        .map(|c| match c {
            '-' => "000B".to_string(),
            d => format!("{:04X}", d.to_digit(10).unwrap() + 1),
        })
        .collect();
    let type0 = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F9 5 0 R >> >> >>"
            .to_vec(),
        pdf_stream(
            "",
            format!("BT /F9 12 Tf 72 770 Td (personas kods ) Tj <{code}> Tj ET").as_bytes(),
            true,
        ),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Custom /Encoding 6 0 R /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>".to_vec(),
        pdf_stream("/Type /CMap /CMapName /Custom", &encoding_cmap, true),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Custom /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>".to_vec(),
        pdf_stream("", &to_unicode, true),
    ]);
    // Two table cells side by side, and an IBAN placed after its label.
    let cells = pdf_pages(
        &[
            b"BT /F1 10 Tf 72 700 Td (4111 1111) Tj 120 0 Td (1111 1111) Tj ET\n\
BT /F1 10 Tf 72 680 Td (Konts:) Tj 40 0 Td (LV80BANK0000435195001) Tj ET\n"
                .to_vec(),
        ],
        &[],
        "",
    );
    let scan = scan_with_ordinary(
        &[
            ("cilpa.pdf", looped),
            ("forma.pdf", form),
            ("type0.pdf", type0),
            ("tabula.pdf", cells),
        ],
        &[],
    );
    assert_eq!(scan.code, 0, "{}\n{}", scan.stderr, scan.stdout);
    assert!(
        scan.kind("cilpa.pdf", "lv_personal_code").is_some(),
        "{}",
        scan.stdout
    );
    assert!(scan.kind("forma.pdf", "email").is_some(), "{}", scan.stdout);
    assert!(
        scan.kind("type0.pdf", "lv_personal_code").is_some(),
        "{}",
        scan.stdout
    );
    assert!(
        scan.kind("tabula.pdf", "payment_card").is_none(),
        "{}",
        scan.stdout
    );
    assert!(scan.kind("tabula.pdf", "iban").is_some(), "{}", scan.stdout);
}

/// Regression: a PDF stream over the decompression cap was `corrupt` ("couldn't decompress
/// stream"); a cap is `limit_exceeded`.
#[test]
fn a_pdf_stream_over_the_cap_is_a_cap_not_damage() {
    let mut content = pdf_lines(&["personas kods 161175-19997"]);
    content.extend(b"0 0 m\n".repeat(1 << 20));
    let scan = scan_with_ordinary(
        &[("liela.pdf", pdf_pages(&[content], &[], ""))],
        &["--max-extracted-size", "1M"],
    );
    let rec = scan.assert_cut(
        "liela.pdf",
        "partial",
        "limit_exceeded",
        "--max-extracted-size",
    );
    assert_eq!(rec["format"], "pdf");
    assert!(scan.kind("liela.pdf", "lv_personal_code").is_some());
}

/// Regression: a 40 MB RTF of nested `{` took 848 MB (16 bytes per open group, never capped).
#[test]
fn deep_rtf_groups_cost_no_memory_per_brace() {
    let mut rtf = b"{\\rtf1\\ansi personas kods 161175-19997 ".to_vec();
    rtf.extend(std::iter::repeat_n(b'{', 40 << 20));
    let env = TestEnv::new();
    env.write("dzilš.rtf", rtf);
    let (scan, cost) = env.scan_measured(&["-j", "1"]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert!(scan.kind("dzilš.rtf", "lv_personal_code").is_some());
    if cfg!(target_os = "linux") {
        assert!(cost.peak_rss < 250 << 20, "{}", cost.peak_rss);
    }
}

/// Regression: UTF-32 text with a BOM was `binary` (big-endian) or complete-and-empty
/// (little-endian).
#[test]
fn utf32_text_is_read() {
    let text = "Vārds: Jānis, personas kods 161175-19997\n";
    let le: Vec<u8> = [0xFF, 0xFE, 0, 0]
        .into_iter()
        .chain(text.chars().flat_map(|c| (c as u32).to_le_bytes()))
        .collect();
    let be: Vec<u8> = [0, 0, 0xFE, 0xFF]
        .into_iter()
        .chain(text.chars().flat_map(|c| (c as u32).to_be_bytes()))
        .collect();
    let scan = scan_with_ordinary(&[("le.txt", le), ("be.txt", be)], &[]);
    for (file, encoding) in [("le.txt", "UTF-32LE"), ("be.txt", "UTF-32BE")] {
        let rec = scan.file(file);
        assert_eq!(rec["encoding"], encoding, "{rec}");
        let code = scan.kind(file, "lv_personal_code").unwrap();
        assert_eq!(code["samples"][0]["location"]["column"], 29, "{rec}");
    }
}

/// Regression: parser messages put raw values into `reason.message`: an e-mail address from a
/// docx's bad end tag, a personal code quoted by a parser.
#[test]
fn parser_messages_never_carry_a_raw_value() {
    let body = "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>x</janis.berzins@piemers.lv></w:p></w:body></w:document>";
    let docx = zip_of(&[("word/document.xml", body.as_bytes())]);
    let scan = scan_with_ordinary(&[("bojats.docx", docx)], &[]);
    let rec = scan.file("bojats.docx");
    assert_ne!(rec["status"], "complete", "{rec}");
    let everything = format!("{}{}", scan.stdout, scan.stderr);
    assert!(!everything.contains("janis"), "{everything}");
}

/// The whole promise at once: a tree mixing every hostile file above with ordinary ones, scanned
/// with the defaults on 2 threads, exits 3, lists each hostile file that cannot be read fully
/// with its reason and reads the others, finds the personal data in the ordinary files, stays
/// under 1 GB of memory for the whole process tree, and prints no raw value.
#[test]
fn a_tree_of_hostile_files_costs_each_file_only_itself() {
    let env = TestEnv::new();
    let ordinary = "Iesniedzējs: Jānis Bērziņš, personas kods 161175-19997, e-pasts \
                    janis.berzins@piemers.lv, tālr. 26123456, konts LV80BANK0000435195001\n";
    env.write("parasti/iesniegums.txt", ordinary);
    env.write(
        "parasti/saraksts.xlsx",
        xlsx(
            &[Sheet::with_rows(
                "Darbinieki",
                "worksheets/sheet1.xml",
                &[&["Vārds", "Personas kods"], &["Anna", "161175-19997"]],
            )],
            None,
        ),
    );
    env.write(
        "parasti/vestule.pdf",
        pdf_pages(&[pdf_lines(&["e-pasts anna.berzina@piemers.lv"])], &[], ""),
    );
    let mut bomb = pdf_lines(&["personas kods 161175-19997"]);
    bomb.extend(b"0 0 m\n".repeat(4 << 20));
    let mut braces = b"{\\rtf1\\ansi personas kods 161175-19997 ".to_vec();
    braces.extend(std::iter::repeat_n(b'{', 8 << 20));
    let pages: Vec<Vec<u8>> = (0..20_000).map(|_| b"q Q\n".to_vec()).collect();
    // Compresses 1000:1, five times more than --max-compression-ratio allows.
    let bomb_member = vec![b'a'; 48 << 20];
    let hostile: Vec<(&str, Vec<u8>)> = vec![
        (
            "naidigi/milzis.xlsx",
            xlsx_declaring_strings("100000000000000", "161175-19997"),
        ),
        ("naidigi/atkartots.ods", ods_repeating(20_000)),
        ("naidigi/celi.pdf", pdf_pages(&[bomb], &[], "")),
        ("naidigi/lapas.pdf", pdf_pages(&pages, &[], "")),
        ("naidigi/dzilš.rtf", braces),
        ("naidigi/milzis.xls", xls_declaring(0x00FF_FFFF, 0x3FFF)),
        ("naidigi/nogriezts.xls", truncated_xls(4096)),
        ("naidigi/daudz.eml", many_attachments(30_000)),
        ("naidigi/dzilš.eml", nested_messages(40)),
        (
            "naidigi/implode.zip",
            zip_with_method("c.txt", b"personas kods 161175-19997", 6),
        ),
        (
            "naidigi/bumba.zip",
            zip_of(&[("saraksts.txt", &bomb_member)]),
        ),
        (
            "naidigi/bojats.docx",
            zip_of(&[(
                "word/document.xml",
                b"<w:p><w:t>x</janis.berzins@piemers.lv></w:p>",
            )]),
        ),
        (
            "naidigi/veca.tar",
            v7_tar("c.txt", b"personas kods 161175-19997"),
        ),
        (
            "naidigi/zurnals.log.gz",
            gzip_members(&[b"a\n", b"personas kods 161175-19997\n"]),
        ),
    ];
    for (name, bytes) in &hostile {
        env.write(name, bytes);
    }
    let (scan, cost) = env.scan_measured(&["-j", "2"]);
    assert_eq!(scan.code, 3, "{}", scan.stderr);
    // Read in full, the personal data found.
    for file in [
        "parasti/iesniegums.txt",
        "parasti/saraksts.xlsx",
        "naidigi/milzis.xlsx",
        "naidigi/atkartots.ods",
        "naidigi/celi.pdf",
        "naidigi/dzilš.rtf",
        "veca.tar!/c.txt",
        "zurnals.log.gz!/zurnals.log",
    ] {
        assert!(
            scan.kind(file, "lv_personal_code").is_some(),
            "{file}: {}",
            scan.file(file)
        );
    }
    assert!(scan.kind("parasti/vestule.pdf", "email").is_some());
    // Listed with their reasons.
    for (file, code) in [
        ("naidigi/lapas.pdf", "no_text_layer"),
        ("naidigi/milzis.xls", "limit_exceeded"),
        ("naidigi/nogriezts.xls", "corrupt"),
        ("implode.zip!/c.txt", "unsupported_format"),
        ("bumba.zip!/saraksts.txt", "limit_exceeded"),
        ("naidigi/bojats.docx", "corrupt"),
    ] {
        let rec = scan.file(file);
        assert_eq!(rec["reason"]["code"], code, "{rec}");
    }
    let too_deep = scan
        .files()
        .into_iter()
        .filter(|f| f["path"].as_str().unwrap().contains("dzilš.eml!/"))
        .filter(|f| f["reason"]["code"] == "limit_exceeded")
        .count();
    assert_eq!(too_deep, 1);
    // 17 files on disk; members: 30,000 attachments, 5 nested messages, 4 archive members.
    assert_eq!(scan.summary()["files_seen"], 17 + 30_000 + 5 + 4);
    // Memory for the whole tree of processes, and no raw value anywhere.
    if cfg!(target_os = "linux") {
        assert!(cost.peak_rss < 1 << 30, "peak {} bytes", cost.peak_rss);
    }
    eprintln!(
        "hostile tree: {:?}, peak {} MB",
        cost.wall,
        cost.peak_rss >> 20
    );
    let everything = format!("{}{}", scan.stdout, scan.stderr);
    for raw in [
        "161175-19997",
        "16117519997",
        "janis.berzins",
        "anna.berzina",
        "LV80BANK0000435195001",
        "26123456",
    ] {
        assert!(!everything.contains(raw), "{raw} leaked");
    }
}

/// A reader process that crashes (here: sent SIGABRT, as an abort in a parser would end it,
/// while it reads a slow file) costs that file only: it is `internal_error` with the signal
/// named, and the rest is scanned.
#[cfg(target_os = "linux")]
#[test]
fn a_crashed_reader_costs_only_its_file() {
    let env = TestEnv::new();
    env.write("parasts.txt", ORDINARY);
    let mut slow = pdf_lines(&["personas kods 161175-19997"]);
    slow.extend(b"0 0 m\n".repeat(16 << 20));
    env.write("lens.pdf", pdf_pages(&[slow], &[], ""));
    let mut cmd = env.command();
    cmd.arg("scan")
        .arg(&env.root)
        .args(["--format", "jsonl", "-q", "-j", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    // The reader is the scanner's only child process; it reads the PDF as soon as it exists.
    let reader = (0..2000).find_map(|_| {
        std::thread::sleep(std::time::Duration::from_millis(5));
        let tasks = std::fs::read_dir(format!("/proc/{}/task", child.id())).ok()?;
        tasks
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
            .flat_map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .next()
    });
    let reader: i32 = reader.expect("a reader process").parse().unwrap();
    // It is killed once it has read the PDF (its start-up builds the rules first).
    let pdf_size = std::fs::metadata(env.root.join("lens.pdf")).unwrap().len();
    let reading = (0..4000).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(5));
        std::fs::read_to_string(format!("/proc/{reader}/io")).is_ok_and(|io| {
            io.lines()
                .find_map(|l| l.strip_prefix("rchar: "))
                .and_then(|n| n.trim().parse::<u64>().ok())
                .is_some_and(|read| read >= pdf_size)
        })
    });
    assert!(reading, "the reader never read the PDF");
    std::thread::sleep(std::time::Duration::from_millis(50));
    // SAFETY: signalling the scanner's own child.
    unsafe { libc::kill(reader, libc::SIGABRT) };
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let pdf = lines
        .iter()
        .find(|l| l["path"].as_str().is_some_and(|p| p.ends_with("lens.pdf")))
        .expect("a record for the PDF");
    assert_eq!(pdf["status"], "error", "{pdf}");
    assert_eq!(pdf["reason"]["code"], "internal_error", "{pdf}");
    assert!(
        pdf["reason"]["message"]
            .as_str()
            .unwrap()
            .contains("SIGABRT"),
        "{pdf}"
    );
    assert_eq!(pdf["format"], "pdf");
    let ordinary = lines
        .iter()
        .find(|l| {
            l["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("parasts.txt"))
        })
        .expect("the ordinary file was scanned");
    assert_eq!(ordinary["status"], "complete");
    assert_eq!(output.status.code(), Some(3));
}
