//! `piimap rules list` and `piimap rules check`, built-in and from a directory.

mod harness;

use harness::TestEnv;

#[test]
fn builtin_rules_check_passes() {
    let env = TestEnv::new();
    let mut cmd = env.command();
    cmd.args(["rules", "check"]);
    let out = harness::run(cmd);
    assert_eq!(out.code, 0, "{}", out.stdout);
    // Every rule file in rules/ is built in.
    let files = std::fs::read_dir(harness::repo().join("rules"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count();
    assert!(files >= 16, "{files}");
    let expected = format!(" passed, 0 failed ({files} rules)");
    assert!(out.stdout.contains(&expected), "{}", out.stdout);
}

#[test]
fn rules_list_shows_every_rule_with_its_validator() {
    let env = TestEnv::new();
    let mut cmd = env.command();
    cmd.args(["rules", "list"]);
    let out = harness::run(cmd);
    assert_eq!(out.code, 0);
    for id in [
        "lv_personal_code",
        "lv_company_code",
        "email",
        "phone",
        "iban",
        "ipv4",
        "ipv6",
        "payment_card",
        "special_health",
    ] {
        assert!(out.stdout.contains(id), "{id}");
    }
    assert!(out.stdout.contains("mod-11 check digit"));
}

/// A copy of the built-in rules in a temp dir, for editing.
fn rules_copy(env: &TestEnv) -> std::path::PathBuf {
    let dir = env.temp.path().join("rules");
    std::fs::create_dir(&dir).unwrap();
    copy_tree(&harness::repo().join("rules"), &dir);
    dir
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Edits one rule file of a copy of the built-in rules and runs `rules check` on the copy.
fn check_edited(file: &str, from: &str, to: &str) -> harness::Scan {
    let env = TestEnv::new();
    let dir = rules_copy(&env);
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    let mut cmd = env.command();
    cmd.args(["rules", "check", "--rules"]).arg(&dir);
    harness::run(cmd)
}

#[test]
fn a_wrong_example_fails_the_check() {
    let out = check_edited(
        "email.toml",
        "\"logo@2x.png\",",
        "\"logo@2x.png\", \"anna@piemers.lv\",",
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("FAIL email: \"anna@piemers.lv\""),
        "{}",
        out.stdout
    );
}

/// The kinds found in `name` of a scan.
fn kinds_in(scan: &harness::Scan, name: &str) -> Vec<String> {
    scan.file(name)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kind"].as_str().unwrap().to_string())
        .collect()
}

/// An employee number rule written by a user: TOML only, the validator `none`.
const EMPLOYEE_NUMBER_RULE: &str = r#"
id = "employee_number"
name = "Employee number (darbinieka numurs)"
kind = "employee_number"
category = "identification"
description = "The personnel system's numbers: DARB- and six digits."
validator = "none"
priority = 50
patterns = ['DARB-[0-9]{6}']

negative_examples = ["DARB-12345", "DARB-1234567", { text = "Pasūtījums DARB-123456", max_confidence = "low" }]

[confidence]
match = "medium"

[context]
raise = ["darbinieka nr", "darbinieks", "employee"]
lower = ["pasūtījum", "order"]

[[examples]]
text = "Darbinieka nr. DARB-004217"
expect = "DARB-004217"
confidence = "high"

[[examples]]
text = "DARB-118200, Rīga"
expect = "DARB-118200"
confidence = "medium"
"#;

/// A new kind of identifier added by a rule file, without Rust: found (and masked, and its
/// examples checked) in the same run as the built-in rules, which still find personal codes.
#[test]
fn a_custom_rule_adds_a_kind_and_the_builtin_rules_still_run() {
    let env = TestEnv::new();
    let dir = env.temp.path().join("my-rules");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("employee_number.toml"), EMPLOYEE_NUMBER_RULE).unwrap();
    env.write(
        "personal.txt",
        "Darbinieks DARB-004217, personas kods 161175-19997\n",
    );
    let mut check = env.command();
    check.args(["rules", "check", "--rules"]).arg(&dir);
    let checked = harness::run(check);
    assert_eq!(checked.code, 0, "{}{}", checked.stdout, checked.stderr);
    let mut list = env.command();
    list.args(["rules", "list", "--rules"]).arg(&dir);
    let listed = harness::run(list);
    assert!(
        listed.stdout.contains("employee_number"),
        "{}",
        listed.stdout
    );
    assert!(
        listed.stdout.contains("lv_personal_code"),
        "{}",
        listed.stdout
    );

    let scan = env.scan(&["--rules", dir.to_str().unwrap(), "--samples", "3"]);
    let mut kinds = kinds_in(&scan, "personal.txt");
    kinds.sort();
    assert_eq!(kinds, ["employee_number", "lv_personal_code"]);
    let file = scan.file("personal.txt");
    let employee = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "employee_number")
        .unwrap();
    assert_eq!(employee["category"], "identification");
    assert_eq!(employee["max_confidence"], "high");
    assert_eq!(employee["samples"][0]["masked"], "XXXX-XXXX17");
    assert!(!scan.stdout.contains("DARB-004217"));
    assert!(
        scan.header()["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "employee_number")
    );
}

#[test]
fn no_builtin_rules_leaves_only_the_directorys_rules() {
    let env = TestEnv::new();
    let dir = rules_copy(&env);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.file_name().unwrap() != "email.toml" {
            std::fs::remove_file(path).unwrap();
        }
    }
    std::fs::remove_dir_all(dir.join("tables")).unwrap();
    env.write("a.txt", "personas kods 161175-19997, anna@piemers.lv\n");
    let scan = env.scan(&["--rules", dir.to_str().unwrap(), "--no-builtin-rules"]);
    assert_eq!(kinds_in(&scan, "a.txt"), ["email"]);
    assert_eq!(scan.header()["options"]["no_builtin_rules"], true);
    // Without the flag, the same directory adds to the built-in rules.
    let added = env.scan(&["--rules", dir.to_str().unwrap()]);
    let mut kinds = kinds_in(&added, "a.txt");
    kinds.sort();
    assert_eq!(kinds, ["email", "lv_personal_code"]);
    assert!(added.header()["options"].get("no_builtin_rules").is_none());
}

#[test]
fn a_column_class_of_an_unknown_kind_is_refused() {
    let env = TestEnv::new();
    let dir = env.temp.path().join("my-rules");
    std::fs::create_dir_all(dir.join("tables")).unwrap();
    std::fs::write(dir.join("employee_number.toml"), EMPLOYEE_NUMBER_RULE).unwrap();
    std::fs::write(
        dir.join("tables/columns.toml"),
        "[[column]]\nclass = \"employee\"\ncategory = \"identification\"\nkind = \"employee_nr\"\nwords = [\"darbinieka nr.\"]\n",
    )
    .unwrap();
    let mut check = env.command();
    check.args(["rules", "check", "--rules"]).arg(&dir);
    let checked = harness::run(check);
    assert_eq!(checked.code, 1);
    assert!(
        checked
            .stderr
            .contains("kind `employee_nr` is not a kind any rule finds"),
        "{}",
        checked.stderr
    );
}

#[test]
fn a_rules_directory_can_replace_the_column_classes() {
    let env = TestEnv::new();
    let dir = rules_copy(&env);
    std::fs::write(
        dir.join("tables/columns.toml"),
        "[[column]]\nclass = \"nationality\"\ncategory = \"special_category\"\nstems = [\"tautība\"]\n",
    )
    .unwrap();
    env.copy_fixture("spreadsheets/darbinieki.xlsx", "t.xlsx");
    let scan = env.scan(&["--rules", dir.to_str().unwrap(), "--no-builtin-rules"]);
    let columns = scan.file("t.xlsx")["columns"].as_array().unwrap().clone();
    let classed: Vec<_> = columns.iter().filter(|c| !c["class"].is_null()).collect();
    assert_eq!(classed.len(), 1, "{columns:?}");
    assert_eq!(classed[0]["class"], "nationality");
    assert_eq!(classed[0]["header"], "Tautība");
    assert_eq!(classed[0]["category"], "special_category");
}

#[test]
fn an_inconsistent_rule_is_a_fatal_error() {
    let out = check_edited("phone.toml", "lv_national = \"low\"\n", "");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("no confidence for tier `lv_national`"),
        "{}",
        out.stderr
    );
}

/// Document numbers and birth dates have no check of their own: only a keyword makes them
/// findings (people-and-documents.md, Identity documents and Dates of birth), and a child's
/// birth date marks the file as holding children's data.
#[test]
fn document_numbers_and_birth_dates_are_found_only_with_their_keywords() {
    let env = TestEnv::new();
    env.write(
        "iesniegums.txt",
        "Iesniedzējs: Jānis, dz. 02.05.2016., pases Nr. LV1234567\n",
    );
    env.write(
        "rekins.txt",
        "Rēķins Nr. AB1234567, datums 12.03.2025.\nSapulce 2024. gada 12. martā\n",
    );
    let scan = env.scan(&["--samples", "3"]);
    let mut kinds = kinds_in(&scan, "iesniegums.txt");
    kinds.sort();
    // The labelled first name is a name (issue 15).
    assert_eq!(kinds, ["birth_date", "id_document", "person_name"]);
    let record = scan.file("iesniegums.txt");
    assert_eq!(record["children_data"], true, "{record}");
    let masked: Vec<_> = record["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["samples"][0]["masked"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(masked, ["2016-XX-XX", "XXXXXXX67", "J."]);
    assert!(
        !scan.stdout.contains("LV1234567") && !scan.stdout.contains("02.05.2016"),
        "raw values in the output: {}",
        scan.stdout
    );
    assert!(
        scan.files()
            .iter()
            .all(|r| !r["path"].as_str().unwrap().ends_with("rekins.txt")),
        "{}",
        scan.stdout
    );
}
