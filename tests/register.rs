//! What a data-protection officer does with the inventory: subject search (`find`), comparing
//! two inventories (`diff`), the register view (`report`), retention, children's data, CSV, the
//! config file and the schema.

mod harness;

use std::io::Write;
use std::time::{Duration, SystemTime};

use harness::{TestEnv, repo, run};
use serde_json::{Value, json};

/// The planted person of the document fixtures (tests/fixtures/make_documents.py,
/// make_pdfs.py, make_spreadsheets.py): personas kods pk("0101801234") and their account.
const CODE: &str = "010180-12347";
const IBAN: &str = "LV11HABA0000000000123";

/// A tree where the planted person is in text, xlsx, pdf, docx and a zip member, beside
/// someone else.
fn person_tree(env: &TestEnv) {
    env.write(
        "klienti.txt",
        "Jānis Paraudziņš, p.k. 01018012347\nCits klients: 161175-19997\n",
    );
    env.write("citi.txt", "Tikai cits: 161175-19997\n");
    env.copy_fixture("documents/iesniegums.docx", "Iesniegumi/iesniegums.docx");
    env.copy_fixture("pdf/iesniegums.pdf", "Iesniegumi/iesniegums.pdf");
    env.copy_fixture("spreadsheets/darbinieki.xlsx", "Personals/darbinieki.xlsx");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "2023/saraksts.txt",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(format!("Nr. 1; personas kods {CODE}; Jānis\n").as_bytes())
        .unwrap();
    env.write("Arhivs/2023.zip", zip.finish().unwrap().into_inner());
}

/// `piimap find ... --format json`, parsed.
fn find(env: &TestEnv, args: &[&str]) -> (i32, Value, String) {
    let mut cmd = env.command();
    cmd.arg("find").args(args).args(["--format", "json"]);
    let out = run(cmd);
    let doc = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    (out.code, doc, out.stderr)
}

/// The files (paths relative to the share) of value `i` in a `find` document.
fn files_of(doc: &Value, i: usize) -> Vec<String> {
    let mut files: Vec<String> = doc["values"][i]["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let path = p["path"].as_str().unwrap();
            path[path.find("share/").unwrap() + 6..].to_string()
        })
        .collect();
    files.sort();
    files.dedup();
    files
}

#[test]
fn find_locates_every_file_of_a_person_in_the_store_and_by_scanning() {
    let env = TestEnv::new();
    person_tree(&env);
    let store = env.temp.path().join("piimap.db");
    let store = store.to_str().unwrap();
    let scan = env.scan(&["--store", store]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);

    let expected = [
        "Arhivs/2023.zip!/2023/saraksts.txt",
        "Iesniegumi/iesniegums.docx",
        "Iesniegumi/iesniegums.pdf",
        "Personals/darbinieki.xlsx",
        "klienti.txt",
    ];
    let (code, doc, stderr) = find(&env, &["--store", store, CODE, IBAN]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(files_of(&doc, 0), expected, "{doc:#}");
    assert_eq!(doc["values"][0]["kind"], "lv_personal_code");
    assert_eq!(doc["values"][1]["kind"], "iban");
    assert!(
        files_of(&doc, 1).contains(&"Personals/darbinieki.xlsx".to_string()),
        "{doc:#}"
    );
    // Places say where: the cell in the workbook, the page in the PDF.
    let places = doc["values"][0]["places"].as_array().unwrap();
    let xlsx = places
        .iter()
        .find(|p| p["path"].as_str().unwrap().ends_with(".xlsx"))
        .unwrap();
    assert!(xlsx["location"]["cell"].as_str().unwrap().starts_with('D'));
    let pdf = places
        .iter()
        .find(|p| p["path"].as_str().unwrap().ends_with(".pdf"))
        .unwrap();
    assert_eq!(pdf["location"]["page"], 1);
    // No raw value in the answer.
    assert!(!doc.to_string().contains("12347"), "{doc}");

    // A targeted scan without a store finds the same files.
    let root = env.root.to_str().unwrap();
    let (code, scanned, stderr) = find(&env, &[root, "--value", CODE]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(files_of(&scanned, 0), expected);

    // Written another way, the same person.
    let (_, undashed, _) = find(&env, &["--store", store, "01018012347"]);
    assert_eq!(files_of(&undashed, 0), expected);
    // Someone who is nowhere.
    let (code, nobody, _) = find(&env, &["--store", store, "250280-11117"]);
    assert_eq!(code, 0);
    assert_eq!(nobody["values"][0]["places"], json!([]));
}

/// Regression (issue 15): a CSV of `Vārds;Uzvārds;Adrese` counted as holding personal data
/// but gave no record, no CSV row and no report row. Now each row's name cells are one name,
/// and `find` by a name finds every inflected occurrence of it, in the store and by a scan;
/// the `Adrese` cells are addresses.
#[test]
fn name_columns_make_records_and_find_finds_a_name_in_every_case() {
    let env = TestEnv::new();
    env.write(
        "Personals/saraksts.csv",
        "Vārds;Uzvārds;Adrese\nJānis;Bērziņš;Parauga iela 1, Rīga\nŽanna;Ivanova;Jelgava\n",
    );
    env.write(
        "Iesniegumi/a.txt",
        "Jāņa Bērziņa iesniegums par pabalstu.\n",
    );
    env.write("Iesniegumi/b.txt", "Izziņu izsniegt Jānim Bērziņam.\n");
    env.write(
        "Iesniegumi/c.txt",
        "Birojs Krišjāņa Barona ielā 3, SIA Bērziņš un partneri.\n",
    );
    let store = env.temp.path().join("piimap.db");
    let store = store.to_str().unwrap();
    let scan = env.scan(&["--store", store, "--reveal"]);
    let csv = scan.file("saraksts.csv");
    assert_eq!(csv["personal_data"], true, "{csv}");
    let names = scan
        .kind("saraksts.csv", "person_name")
        .expect("names of the rows");
    assert_eq!(names["values"], json!(["Jānis Bērziņš", "Žanna Ivanova"]));
    // The address column's cells are addresses (a town alone is not).
    let addresses = scan
        .kind("saraksts.csv", "postal_address")
        .expect("addresses");
    assert_eq!(addresses["values"], json!(["Parauga iela 1"]));
    // A street and a company are no people; the office's address is the company's.
    let office = scan.file("c.txt");
    assert_eq!(office["personal_data"], false, "{office}");
    assert!(scan.kind("c.txt", "person_name").is_none(), "{office}");
    assert_eq!(
        scan.kind("c.txt", "organisation_address")
            .expect("an office")["values"],
        json!(["Krišjāņa Barona iela 3"])
    );
    let mut cmd = env.command();
    cmd.args(["scan", "-q", "--format", "csv"]).arg(&env.root);
    let rows = run(cmd).stdout;
    assert!(
        rows.lines()
            .any(|l| l.contains("saraksts.csv") && l.contains("person_name")),
        "{rows}"
    );
    let expected = [
        "Iesniegumi/a.txt",
        "Iesniegumi/b.txt",
        "Personals/saraksts.csv",
    ];
    let (code, doc, stderr) = find(&env, &["--store", store, "Jānis Bērziņš"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(files_of(&doc, 0), expected);
    let root = env.root.to_str().unwrap();
    let (_, scanned, _) = find(&env, &[root, "--value", "Jāņa Bērziņa"]);
    assert_eq!(files_of(&scanned, 0), expected);
}

#[test]
fn find_refuses_what_it_cannot_answer() {
    let env = TestEnv::new();
    env.write("a.txt", format!("{CODE}\n"));
    let store = env.temp.path().join("piimap.db");
    let store = store.to_str().unwrap();
    assert_eq!(env.scan(&["--store", store]).code, 0);
    // Not a valid personal code (check digit): refused, without echoing it.
    let (code, _, stderr) = find(&env, &["--store", store, "010180-12348"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("value 1") && !stderr.contains("12348"),
        "{stderr}"
    );
    // Another fingerprint key would match nothing: an error, not an empty answer.
    let other_key = env.temp.path().join("other.key");
    let (code, _, stderr) = find(
        &env,
        &[
            "--store",
            store,
            CODE,
            "--key-file",
            other_key.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("another fingerprint key"), "{stderr}");
    // Neither a store nor a value.
    let (code, _, _) = find(&env, &[CODE]);
    assert_eq!(code, 2);
}

/// Writes an inventory to `name` in the temp dir (JSON document), returns its path.
fn scan_to(env: &TestEnv, name: &str, args: &[&str]) -> String {
    let out = env.temp.path().join(name);
    let mut cmd = env.command();
    cmd.arg("scan")
        .arg(&env.root)
        .args(["-q", "-o", out.to_str().unwrap()])
        .args(args);
    let result = run(cmd);
    assert!(result.code == 0 || result.code == 3, "{}", result.stderr);
    out.to_str().unwrap().to_string()
}

#[test]
fn diff_compares_two_inventories_without_a_store() {
    let env = TestEnv::new();
    env.write("paliek.txt", "personas kods 161175-19997\n");
    env.write("mainas.txt", "personas kods 161175-19997\n");
    env.write("izdzests.txt", "personas kods 161175-19997\n");
    env.write("vecs/parvietots.txt", "e-pasts janis@piemers.lv\n");
    let old = scan_to(&env, "old.json", &[]);

    std::thread::sleep(Duration::from_millis(20));
    env.write("mainas.txt", "personas kods 161175-19997, 050788-12379\n");
    env.write("jauns.txt", "tālr. +371 26123456\n");
    std::fs::remove_file(env.root.join("izdzests.txt")).unwrap();
    std::fs::create_dir(env.root.join("jauns")).unwrap();
    std::fs::rename(
        env.root.join("vecs/parvietots.txt"),
        env.root.join("jauns/parvietots.txt"),
    )
    .unwrap();
    let new = scan_to(&env, "new.jsonl", &["--format", "jsonl"]);

    let mut cmd = env.command();
    cmd.args(["diff", &old, &new]);
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let diff: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        diff["counts"],
        json!({"new": 1, "changed": 1, "unchanged": 1, "moved": 1, "removed": 1})
    );
    let state = |suffix: &str| {
        diff["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} in {diff:#}"))
            .clone()
    };
    let changed = state("mainas.txt");
    assert_eq!(changed["state"], "changed");
    assert_eq!(
        changed["kinds"]["lv_personal_code"],
        json!({"before": 1, "after": 2, "added": 1, "removed": 0})
    );
    assert_eq!(state("jauns.txt")["state"], "new");
    assert_eq!(state("izdzests.txt")["state"], "removed");
    let moved = state("parvietots.txt");
    assert_eq!(moved["state"], "moved");
    assert!(
        moved["moved_from"]
            .as_str()
            .unwrap()
            .ends_with("vecs/parvietots.txt")
    );
    assert!(
        !diff["files"].to_string().contains("paliek.txt"),
        "unchanged files only with --all"
    );

    // CSV for spreadsheets: BOM, `;`.
    let mut cmd = env.command();
    cmd.args(["diff", &old, &new, "--format", "csv"]);
    let csv = run(cmd).stdout;
    assert!(csv.starts_with("\u{feff}path;state;moved_from;kind;before;after;added;removed\n"));
    assert!(
        csv.contains(";changed;;lv_personal_code;1;2;1;0\n"),
        "{csv}"
    );
}

/// Sets a file's modified time `days` ago.
fn age(env: &TestEnv, rel: &str, days: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(env.root.join(rel))
        .unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(days * 86_400))
        .unwrap();
}

#[test]
fn retention_children_and_the_register_view() {
    let env = TestEnv::new();
    // Reference §1.1: ddmmyy + century digit (2 = 2000s). Born 1 Jan 2015: a child until 2033.
    let child = "010115-20007";
    let new_format = "329999-99995";
    env.write(
        "Pasakumi/2023/dalibnieki.txt",
        format!("Bērns: personas kods {child}\nVecāks: personas kods 161175-19997\n"),
    );
    env.write(
        "Pasakumi/2026/dalibnieki.txt",
        format!("personas kods {new_format}\n"),
    );
    env.write(
        "Personals/ligums.txt",
        "personas kods 161175-19997\ne-pasts janis@piemers.lv\n",
    );
    env.write("cits/piezimes.txt", "e-pasts janis@piemers.lv\n");
    age(&env, "Pasakumi/2023/dalibnieki.txt", 800);
    age(&env, "Personals/ligums.txt", 20 * 365);
    age(&env, "cits/piezimes.txt", 11 * 365);
    let store = env.temp.path().join("piimap.db");
    let store = store.to_str().unwrap();
    let args = [
        "--store",
        store,
        "--retention",
        "**/Pasakumi/**=1y",
        "--retention",
        "**/Personals/**=75y",
        "--default-retention",
        "10y",
    ];
    let scan = env.scan(&args);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    // A re-scan reuses every record: retention, children and the summary are the same.
    let again = env.scan(&args);
    assert_eq!(again.summary()["store"]["reused"], 4);
    let without_change = |scan: &harness::Scan| -> Vec<Value> {
        let mut records: Vec<Value> = scan.files().into_iter().cloned().collect();
        for r in &mut records {
            r.as_object_mut().unwrap().remove("change");
        }
        records.sort_by_key(|r| r["path"].as_str().unwrap().to_string());
        records
    };
    assert_eq!(without_change(&again), without_change(&scan));
    for field in [
        "over_retention",
        "files_with_children_data",
        "kinds",
        "categories",
    ] {
        assert_eq!(again.summary()[field], scan.summary()[field], "{field}");
    }

    let event = scan.file("Pasakumi/2023/dalibnieki.txt");
    assert_eq!(event["children"], json!({"under_18": 1, "age_unknown": 0}));
    assert_eq!(event["children_data"], true);
    assert_eq!(event["retention"]["policy"], "**/Pasakumi/**");
    assert_eq!(event["retention"]["over_retention"], true);
    assert!(event["retention"]["age_days"].as_u64().unwrap() >= 799);
    let recent = scan.file("Pasakumi/2026/dalibnieki.txt");
    assert_eq!(recent["children"], json!({"under_18": 0, "age_unknown": 1}));
    assert!(recent.get("children_data").is_none());
    assert_eq!(recent["retention"]["over_retention"], false);
    assert_eq!(
        scan.file("Personals/ligums.txt")["retention"]["over_retention"],
        false
    );
    let other = scan.file("cits/piezimes.txt");
    assert_eq!(other["retention"]["policy"], "default");
    assert_eq!(other["retention"]["over_retention"], true);
    let summary = scan.summary();
    assert_eq!(summary["files_with_children_data"], 1);
    assert_eq!(summary["over_retention"]["files"], 2);
    assert!(
        summary["over_retention"]["paths"][0]
            .as_str()
            .unwrap()
            .ends_with("Pasakumi/2023/dalibnieki.txt")
    );

    // The register view: folder (one level below the root) × category.
    let mut cmd = env.command();
    cmd.args(["report", "--store", store, "--depth", "1"]);
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let view: Value = serde_json::from_str(&out.stdout).unwrap();
    let row = |folder: &str, category: &str| {
        view["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["folder"].as_str().unwrap().ends_with(folder) && r["category"] == category)
            .unwrap_or_else(|| panic!("{folder} {category} in {view:#}"))
            .clone()
    };
    let events = row("share/Pasakumi", "identification");
    assert_eq!(events["files"], 2);
    assert_eq!(events["findings"], 3);
    assert_eq!(events["distinct_persons"], 3);
    assert_eq!(events["over_retention"], 1);
    assert_eq!(events["files_with_children_data"], 1);
    assert!(events["oldest"].as_str().unwrap() < events["newest"].as_str().unwrap());
    let hr = row("share/Personals", "contact");
    assert_eq!(
        (hr["files"].as_u64(), hr["distinct_persons"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(view["retention"][2], "default=10y");

    let mut cmd = env.command();
    cmd.args([
        "report", "--store", store, "--depth", "1", "--format", "csv",
    ]);
    let csv = run(cmd).stdout;
    assert!(csv.starts_with("\u{feff}folder;category;files;findings;distinct_persons;"));
    assert!(
        csv.contains("/share/Pasakumi;identification;2;3;3;"),
        "{csv}"
    );
}

#[test]
fn a_config_file_makes_a_scheduled_scan_one_command() {
    let env = TestEnv::new();
    env.write("Pasakumi/saraksts.txt", "personas kods 161175-19997\n");
    env.write("tmp/kopija.txt", "personas kods 161175-19997\n");
    age(&env, "Pasakumi/saraksts.txt", 400);
    let dir = env.temp.path().join("etc");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("piimap.toml"),
        r#"
roots = ["../share"]
exclude = ["tmp/"]
output = "inventory.json"
store = "store.db"
quiet = true
format = "jsonl"

[retention]
"**/Pasakumi/**" = "1y"
"#,
    )
    .unwrap();
    let config = dir.join("piimap.toml");
    let mut cmd = env.command();
    cmd.args(["scan", "--config", config.to_str().unwrap()]);
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "quiet from the file: {}", out.stderr);
    assert!(dir.join("store.db").is_file());
    let written = std::fs::read_to_string(dir.join("inventory.json")).unwrap();
    let records: Vec<Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|l: &Value| l["type"] == "file")
        .collect();
    assert_eq!(records.len(), 1, "tmp/ excluded: {written}");
    assert_eq!(records[0]["retention"]["over_retention"], true);

    // A flag on the command line wins over the file.
    let elsewhere = env.temp.path().join("cits.json");
    let mut cmd = env.command();
    cmd.args(["scan", "--config", config.to_str().unwrap()])
        .args(["-o", elsewhere.to_str().unwrap()]);
    assert_eq!(run(cmd).code, 0);
    assert!(elsewhere.is_file());

    // A typo is named.
    std::fs::write(&config, "exclud = [\"tmp/\"]\n").unwrap();
    let mut cmd = env.command();
    cmd.args(["scan", "--config", config.to_str().unwrap()]);
    let out = run(cmd);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown key `exclud`"),
        "{}",
        out.stderr
    );
}

#[test]
fn scan_writes_csv_for_spreadsheets() {
    let env = TestEnv::new();
    env.write(
        "a;b.txt",
        "personas kods 161175-19997, e-pasts janis@piemers.lv\n",
    );
    let mut cmd = env.command();
    cmd.arg("scan")
        .arg(&env.root)
        .args(["-q", "--format", "csv"]);
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut lines = out.stdout.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}path;format;size;modified;status;reason;personal_data;categories;kinds;children_under_18;age_days;over_retention;change"
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with('"') && row.contains("a;b.txt\";text;"),
        "quoted: {row}"
    );
    assert!(
        row.contains(";complete;;yes;contact, identification;email 1, lv_personal_code 1;0;;;"),
        "{row}"
    );
    assert!(!row.contains("19997"));
}

#[test]
fn the_committed_schema_is_the_generated_one_and_real_output_validates() {
    let env = TestEnv::new();
    let mut cmd = env.command();
    cmd.arg("schema");
    let out = run(cmd);
    assert_eq!(out.code, 0);
    let generated: Value = serde_json::from_str(&out.stdout).unwrap();
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/inventory.schema.json")).unwrap(),
    )
    .unwrap();
    assert!(
        generated == committed,
        "docs/inventory.schema.json is out of date: run `cargo run -- schema > docs/inventory.schema.json`"
    );

    // A scan with most record fields: findings, columns, metadata, change, children,
    // retention, members, a cut file.
    person_tree(&env);
    env.copy_fixture("documents/truncated.docx", "bojats.docx");
    let store = env.temp.path().join("piimap.db");
    let inventory = scan_to(
        &env,
        "inventory.json",
        &[
            "--store",
            store.to_str().unwrap(),
            "--default-retention",
            "1y",
        ],
    );
    // The re-scan writes the records it reuses as stored: they must validate too.
    let rescan = scan_to(
        &env,
        "rescan.json",
        &[
            "--store",
            store.to_str().unwrap(),
            "--default-retention",
            "1y",
        ],
    );
    let validator = jsonschema::validator_for(&committed).unwrap();
    let mut instance = Value::Null;
    for inventory in [inventory, rescan] {
        instance = serde_json::from_str(&std::fs::read_to_string(inventory).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    assert!(instance["summary"]["store"]["reused"].as_u64().unwrap() > 0);
    // And the schema is not vacuous: a wrong type is caught.
    let mut broken = instance.clone();
    broken["files"][0]["status"] = json!("fine");
    assert!(!validator.is_valid(&broken));
}
