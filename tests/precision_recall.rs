//! Precision and recall per kind on a generated corpus of Latvian-like text with planted values
//! and hard negatives (company numbers, wrong check digits, impossible dates, version strings,
//! clause numbers, GUIDs, ISBNs, timestamps, image names with @, amounts, document-shaped
//! invoice numbers, issue dates, streets without numbers, event venues), in UTF-8,
//! Windows-1257 and UTF-16, and, as a share mixes them in, xlsx people lists, docx, PDF (text
//! without diacritics), e-mails (8-bit and base64 bodies, trace headers) and zip archives. The
//! issues' target: at least 0.98 for every kind, scored separately per format; for people's
//! names (issue 15) precision 0.95 and recall 0.90 (issue 15 asks 0.97/0.95 of identity
//! documents, birth dates and addresses: they are held to 0.98 like the identifiers).

mod harness;

use std::collections::{BTreeMap, BTreeSet};

use piimap_corpus::{self as corpus, Truth, WorkbookLayout};

/// (format group, kind) → (true positives, false positives, false negatives).
type Scores = BTreeMap<(&'static str, String), (usize, usize, usize)>;

#[test]
fn every_kind_reaches_the_precision_and_recall_target() {
    let spec = corpus::CorpusSpec {
        seed: 20261122,
        size: 8 << 20,
        density: 1200,
        workbook_cells: Some(4_000),
        mixed: true,
        ..corpus::CorpusSpec::default()
    };
    // Text, docx, PDF, e-mails and zip members: twelve kinds each (the eight identifiers,
    // names, identity documents, birth dates, personal and organisations' addresses); the
    // workbooks: personal codes, e-mails, phones, IBANs, cards (16-digit ones typed as numbers,
    // their last digit lost) and names. The density is high enough that each small office
    // file holds every kind a few times.
    assert_targets(&scores(&spec), 5 * 12 + 6);
}

#[test]
fn workbooks_saved_by_excel_reach_the_target() {
    // Shared strings and amounts stored as numbers, as Excel saves a people list.
    let spec = corpus::CorpusSpec {
        seed: 20261123,
        density: 400,
        workbook_cells: Some(20_000),
        workbook_layout: WorkbookLayout::Excel,
        ..corpus::CorpusSpec::default()
    };
    assert_targets(&scores(&spec), 6);
}

/// Generates `spec`'s corpus, scans it and scores what was found against what was planted.
fn scores(spec: &corpus::CorpusSpec) -> Scores {
    let env = harness::TestEnv::new();
    let dir = env.temp.path().join("corpus");
    let truth: Truth = corpus::generate(&dir, spec).unwrap();
    assert!(truth.planted > 1000);
    let mut cmd = env.command();
    cmd.arg("scan")
        .arg(dir.join("share"))
        .args(["--format", "jsonl", "-q", "--reveal"]);
    let scan = harness::run(cmd);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    let mut score = Scores::new();
    let mut found: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for rec in scan.files() {
        let rel = rec["path"]
            .as_str()
            .unwrap()
            .split("/share/")
            .nth(1)
            .unwrap()
            .to_string();
        for k in rec["findings"].as_array().unwrap() {
            let kind = k["kind"].as_str().unwrap();
            if kind.starts_with("special_") {
                continue; // keyword indicators are not planted values
            }
            let values = k["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string());
            found
                .entry(rel.clone())
                .or_default()
                .entry(kind.to_string())
                .or_default()
                .extend(values);
        }
    }
    let empty = BTreeMap::new();
    let files: BTreeSet<&String> = truth.by_file.keys().chain(found.keys()).collect();
    for file in files {
        let planted = truth.by_file.get(file).unwrap_or(&empty);
        let got = found.get(file).unwrap_or(&empty);
        let kinds: BTreeSet<&String> = planted.keys().chain(got.keys()).collect();
        for kind in kinds {
            let p = planted.get(kind).cloned().unwrap_or_default();
            let g = got.get(kind).cloned().unwrap_or_default();
            // Scored per format: text (with CSV, logs and HTML), each office format, zip
            // members.
            let group = match file.rsplit_once('.').map(|(_, ext)| ext) {
                _ if file.contains(".zip!/") => "zip",
                Some("xlsx") => "xlsx",
                Some("docx") => "docx",
                Some("pdf") => "pdf",
                Some("eml") => "eml",
                _ => "text",
            };
            let s = score.entry((group, kind.clone())).or_default();
            s.0 += p.intersection(&g).count();
            s.1 += g.difference(&p).count();
            s.2 += p.difference(&g).count();
        }
    }
    score
}

/// Asserts precision and recall of at least 0.98 (names: 0.95 and 0.90) for each of `groups`
/// (format, kind) pairs.
fn assert_targets(score: &Scores, groups: usize) {
    let mut report = String::new();
    let mut ok = true;
    for ((group, kind), (tp, fp, fn_)) in score {
        let precision = *tp as f64 / (tp + fp).max(1) as f64;
        let recall = *tp as f64 / (tp + fn_).max(1) as f64;
        report.push_str(&format!(
            "{group} {kind}: tp {tp} fp {fp} fn {fn_} precision {precision:.4} recall {recall:.4}\n"
        ));
        let (min_precision, min_recall) = match kind.as_str() {
            "person_name" => (0.95, 0.90),
            _ => (0.98, 0.98),
        };
        ok &= precision >= min_precision && recall >= min_recall && *tp > 0;
    }
    eprintln!("{report}");
    assert_eq!(score.len(), groups, "{report}");
    assert!(ok, "{report}");
}
