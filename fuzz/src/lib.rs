//! What each fuzz target does with its input, as plain functions: the targets in
//! `fuzz_targets/` call them under libFuzzer (`cargo +nightly fuzz run <target>`), and
//! `tests/fuzz_regressions.rs` in piimap replays every input kept in `fuzz/regressions/<target>/`
//! through them with an ordinary `cargo test`. Each function runs piimap's code on the input with
//! the production caps and checks what must hold of the result.

use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use clap::Parser;
use piimap::cli::{Cli, Command};
use piimap::commands::ReadSetup;
use piimap::detect::RuleSet;
use piimap::extract::archive::{self, Budget, Limits};
use piimap::extract::{
    self, Caps, Format, Sniffed, mail, metadata, office, ole, pdf, rtf, spreadsheet, text,
};
use piimap::inventory::Confidence;
use piimap::outcome::Group;
use piimap::scan::Scanner;

/// The targets, by name.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("text", text),
    ("detector", detector),
    ("spreadsheet", spreadsheet),
    ("office", office),
    ("pdf", pdf),
    ("rtf", rtf),
    ("ole", ole),
    ("mail", mail),
    ("archive", archive),
    ("scan_file", scan_file),
];

/// The caps a scan runs with by default, but for parts and members (64 MiB instead of 1 GiB and
/// 256 MiB, so that one input stays within the fuzzer's memory limit, the reader's budget).
pub const CAPS: Caps = Caps {
    max_part: 64 << 20,
    max_cells: 1_000_000,
    max_member: 64 << 20,
    max_members: 100_000,
    max_memory: 256 << 20,
    deadline: None,
};

/// Runs an extractor as production does: a panic in a parser piimap depends on is caught
/// (production lists that file as `internal_error` and goes on; it is a bug to report
/// upstream, not a crash), while a panic in piimap's own code aborts, so the fuzzer reports it.
fn guarded(extract: impl FnOnce()) {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let at = info
                .location()
                .map(|l| l.file().to_string())
                .unwrap_or_default();
            if !at.contains("/.cargo/registry/") {
                eprintln!("piimap's own code panicked: {info}");
                std::process::abort();
            }
        }))
    });
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(extract));
}

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules"))
}

/// A zip of `members`, deflated: fuzzed XML is carried into the office and spreadsheet parsers
/// inside fixed skeletons (mutating whole compressed files rarely gets past the zip layer).
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    out.into_inner()
}

/// Splits input in two at its first NUL byte (the whole is the first part when there is none).
fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// Text in any encoding: sniffing, decoding window by window (character references in
/// markup when the first byte is odd), and the detector on every window.
pub fn text(data: &[u8]) {
    let mut detector = rules().detector();
    let name = if data.first().is_some_and(|b| b & 1 == 1) {
        "a.html"
    } else {
        "a.txt"
    };
    let Sniffed::Text(encoding) = extract::sniff(data, std::path::Path::new(name)) else {
        return;
    };
    let mut buf = vec![0u8; text::CHUNK];
    let head = data.len().min(buf.len());
    buf[..head].copy_from_slice(&data[..head]);
    let mut rest = &data[head..];
    let mut findings = Vec::new();
    text::stream_windows(
        &mut rest,
        &mut buf,
        head,
        encoding,
        name.ends_with("html"),
        |window| {
            let next = detector.scan(
                window.text,
                window.report.clone(),
                window.resume,
                &mut findings,
            );
            findings.clear();
            next
        },
    );
}

/// The detector (patterns, validators, context, keywords) on any text, from its start and
/// from its middle; every finding's span lies on character boundaries inside the text.
pub fn detector(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut detector = rules().detector();
    let mut findings = Vec::new();
    let mid = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    for from in [0, mid] {
        findings.clear();
        detector.scan(text, from..text.len(), from, &mut findings);
        for f in &findings {
            assert!(f.span.start <= f.span.end && f.span.end <= text.len());
            assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        }
    }
}

const XLSX_TYPES: &[u8] = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
const XLSX_RELS: &[u8] = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const XLSX_WORKBOOK: &[u8] = br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const XLSX_WORKBOOK_RELS: &[u8] = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// Workbooks, by the first byte: fuzzed sheet and shared-strings XML (split at a NUL) inside an
/// xlsx skeleton, fuzzed `content.xml` inside an ods skeleton, raw bytes as xls, as xlsb.
pub fn spreadsheet(data: &[u8]) {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    let visit = |_: &str, _: (u32, u32), text: &str, _: Option<&str>| {
        std::hint::black_box(text);
    };
    let (format, file) = match selector % 4 {
        0 => {
            let (sheet, strings) = split(data);
            let file = zip_of(&[
                ("[Content_Types].xml", XLSX_TYPES),
                ("_rels/.rels", XLSX_RELS),
                ("xl/workbook.xml", XLSX_WORKBOOK),
                ("xl/_rels/workbook.xml.rels", XLSX_WORKBOOK_RELS),
                ("xl/worksheets/sheet1.xml", sheet),
                ("xl/sharedStrings.xml", strings),
            ]);
            (Format::Xlsx, file)
        }
        1 => (
            Format::Ods,
            zip_of(&[
                (
                    "mimetype",
                    b"application/vnd.oasis.opendocument.spreadsheet",
                ),
                ("content.xml", data),
            ]),
        ),
        2 => (Format::Xls, data.to_vec()),
        _ => (Format::Xlsb, data.to_vec()),
    };
    guarded(|| {
        let _ = spreadsheet::for_each_cell(Cursor::new(file), format, &CAPS, visit);
    });
}

/// Documents, by the first byte: fuzzed XML as a docx body, header and comments, a pptx slide,
/// an odt `content.xml`, docx metadata; or raw bytes as a docx.
pub fn office(data: &[u8]) {
    let Some((&selector, xml)) = data.split_first() else {
        return;
    };
    let (format, file) = match selector % 6 {
        0 => (Format::Docx, zip_of(&[("word/document.xml", xml)])),
        1 => (
            Format::Docx,
            zip_of(&[("word/header1.xml", xml), ("word/comments.xml", xml)]),
        ),
        2 => (Format::Pptx, zip_of(&[("ppt/slides/slide1.xml", xml)])),
        3 => (
            Format::Odt,
            zip_of(&[("content.xml", xml), ("META-INF/manifest.xml", xml)]),
        ),
        4 => (
            Format::Docx,
            zip_of(&[
                ("word/document.xml", b"<w:document/>"),
                ("docProps/core.xml", xml),
            ]),
        ),
        _ => (Format::Docx, xml.to_vec()),
    };
    guarded(|| {
        let _ = metadata::of_document(&mut Cursor::new(&file), format);
        let _ = office::for_each_paragraph(Cursor::new(file), format, &CAPS, |_, _, text| {
            std::hint::black_box(text);
        });
    });
}

/// PDF: raw bytes through the page-text extractor and the metadata reader.
pub fn pdf(data: &[u8]) {
    guarded(|| {
        let _ = metadata::of_pdf(data);
        let _ = pdf::for_each_page(data, &CAPS, |_, text| {
            std::hint::black_box(text);
        });
    });
}

/// RTF: raw bytes through the text reader and the `\info` reader.
pub fn rtf(data: &[u8]) {
    guarded(|| {
        let _ = rtf::people(data);
        let _ = rtf::for_each_line(data, &CAPS, |_, text| {
            std::hint::black_box(text);
        });
    });
}

/// OLE compound files: what a file is by its streams, then the Word, PowerPoint and Outlook
/// readers, and summary-information metadata.
pub fn ole(data: &[u8]) {
    guarded(|| {
        let _ = ole::kind(Cursor::new(data));
        let _ = metadata::of_ole(Cursor::new(data));
        let visit = |_: &str, _: u64, text: &str| {
            std::hint::black_box(text);
        };
        let _ = ole::for_each_doc_paragraph(Cursor::new(data), &CAPS, visit);
        let _ = ole::for_each_ppt_text(Cursor::new(data), &CAPS, visit);
        let _ = ole::read_msg(
            Cursor::new(data),
            &CAPS,
            |_, text| {
                std::hint::black_box(text);
            },
            |attachment| {
                std::hint::black_box(attachment);
            },
        );
    });
}

/// E-mail: raw bytes as an RFC 5322 message (headers, bodies, attachments).
pub fn mail(data: &[u8]) {
    guarded(|| {
        let _ = mail::read_message(
            data,
            &CAPS,
            |_, text| {
                std::hint::black_box(text);
            },
            |attachment| {
                std::hint::black_box(attachment);
            },
        );
    });
}

/// Archives: raw bytes as zip, gzip or tar (by the first byte), every member read under the
/// archive caps.
pub fn archive(data: &[u8]) {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    let format = [Format::Zip, Format::Gzip, Format::Tar][usize::from(selector % 3)];
    let limits = Limits {
        max_members: 10_000,
        max_member_size: 64 << 20,
        max_ratio: 200,
    };
    let budget = Budget::new(256 << 20);
    guarded(|| {
        let _ = archive::for_each_member(Cursor::new(data), format, "a.gz", limits, &budget, |m| {
            std::hint::black_box(m);
        });
    });
}

/// The extensions of [`scan_file`], chosen by the input's first byte.
pub const SCAN_EXTENSIONS: &[&str] = &[
    "txt", "csv", "tsv", "html", "eml", "rtf", "docx", "xlsx", "ods", "odt", "pptx", "pdf", "zip",
    "gz", "tar", "doc", "xls", "ppt", "msg", "json", "log", "xml",
];

struct Fixture {
    dir: tempfile::TempDir,
    scanners: Vec<Scanner>,
}

/// The whole scan of one file, as `piimap scan` does it (sniffing, every extractor, members and
/// attachments at any depth, the detector, the record), with the production caps and the
/// production panic handling: the input is written to a temporary file with the extension the
/// first byte chooses, and it must come back as exactly one record of its own (a panic becomes
/// that file's `internal_error`).
pub fn scan_file(data: &[u8]) {
    let Some((&selector, content)) = data.split_first() else {
        return;
    };
    let fixture = fixture();
    let index = usize::from(selector) % SCAN_EXTENSIONS.len();
    let folder = fixture.dir.path().join(format!("f{index}"));
    let path = folder.join(format!("x.{}", SCAN_EXTENSIONS[index]));
    std::fs::write(&path, content).unwrap();
    let mut own = 0;
    let mut own_code_panics = Vec::new();
    fixture.scanners[index]
        .run(|group| {
            let Group::Outcomes(outcomes) = group else {
                panic!("no store here")
            };
            own += outcomes
                .iter()
                .filter(|o| o.record.inside.is_none())
                .count();
            // A panic in piimap's own code is a bug even though the scan survives it.
            own_code_panics.extend(outcomes.iter().filter_map(|o| {
                let message = &o.record.reason.as_ref()?.message;
                message
                    .contains("internal error while scanning, at src/")
                    .then(|| message.clone())
            }));
            Ok(())
        })
        .unwrap();
    assert_eq!(
        own, 1,
        "the file got no record of its own, or more than one"
    );
    assert!(own_code_panics.is_empty(), "{own_code_panics:?}");
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        piimap::panics::install_hook();
        let dir = tempfile::tempdir().unwrap();
        let key: PathBuf = dir.path().join("fingerprint.key");
        std::fs::write(&key, format!("{}\n", "5a".repeat(32))).unwrap();
        let scanners = (0..SCAN_EXTENSIONS.len())
            .map(|i| {
                let folder = dir.path().join(format!("f{i}"));
                std::fs::create_dir(&folder).unwrap();
                let argv = [
                    "piimap",
                    "scan",
                    "-j",
                    "1",
                    "--max-file-time",
                    "10s",
                    "--key-file",
                ];
                let cli = Cli::parse_from(argv.iter().copied().chain([key.to_str().unwrap()]));
                let Command::Scan(args) = cli.command else {
                    unreachable!("parsed a scan")
                };
                let roots = vec![folder];
                let setup = ReadSetup::new(&args.read, &roots).unwrap();
                let mut options = setup.options(&args.read, &roots, Confidence::Low);
                // Read here, where the fuzzer watches (the reader process is the same code).
                options.readers = None;
                Scanner::new(setup.rules, setup.key, options)
            })
            .collect();
        Fixture { dir, scanners }
    })
}
