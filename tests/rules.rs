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
    assert!(
        out.stdout.contains(" passed, 0 failed (16 rules)"),
        "{}",
        out.stdout
    );
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

#[test]
fn a_rules_directory_replaces_the_builtin_rules() {
    let env = TestEnv::new();
    let dir = rules_copy(&env);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.file_name().unwrap() != "email.toml" {
            std::fs::remove_file(path).unwrap();
        }
    }
    env.write("a.txt", "personas kods 161175-19997, anna@piemers.lv\n");
    let scan = env.scan(&["--rules", dir.to_str().unwrap()]);
    let kinds: Vec<_> = scan.file("a.txt")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kind"].clone())
        .collect();
    assert_eq!(kinds, ["email"]);
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
    let scan = env.scan(&["--rules", dir.to_str().unwrap()]);
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
