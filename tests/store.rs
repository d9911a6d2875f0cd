//! Re-scans with a store (`--store`): only changed files are read again, records say what
//! changed since the previous scan, removed files are listed, moved files are recognised, and
//! an interrupted scan leaves a store the next run completes from.

mod harness;

use std::time::Duration;

use harness::TestEnv;
use serde_json::{Value, json};

/// A labelled first name, a personal code and a phone: three kinds.
const PERSON: &str = "Vārds: Jānis\npersonas kods 161175-19997, tālr. 26123456\n";

fn state(record: &Value) -> &str {
    record["change"]["state"].as_str().unwrap_or("none")
}

#[test]
fn a_rescan_reads_only_what_changed_and_says_what_changed() {
    let env = TestEnv::new();
    env.write("nemainits.txt", PERSON);
    env.write("mainits.txt", PERSON);
    env.write("dzests.txt", PERSON);
    env.write("parvietots.txt", PERSON);
    env.write("tirs.txt", "nekā personiska\n");
    env.copy_fixture("containers/arhivs.zip", "arhivs.zip");
    let store = env.temp.path().join("piimap.db");
    let store_arg = store.to_str().unwrap();

    let first = env.scan(&["--store", store_arg]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(state(first.file("nemainits.txt")), "new");
    assert_eq!(state(first.file("arhivs.zip!/2024/saraksts.csv")), "new");
    assert_eq!(first.summary()["store"]["read"], 6);

    // An edit above the finding adds one value and moves the old one down a line.
    std::thread::sleep(Duration::from_millis(20));
    env.write(
        "mainits.txt",
        format!("Jauna rinda: 050788-12379\n\n{PERSON}"),
    );
    env.write("jauns.txt", PERSON);
    std::fs::remove_file(env.root.join("dzests.txt")).unwrap();
    std::fs::create_dir(env.root.join("mape")).unwrap();
    std::fs::rename(
        env.root.join("parvietots.txt"),
        env.root.join("mape/parvietots.txt"),
    )
    .unwrap();

    let second = env.scan(&["--store", store_arg]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(
        second.summary()["store"],
        json!({"read": 2, "reused": 4, "moved": 1, "removed": 1}),
        "exactly the changed and the new file are read"
    );
    assert_eq!(state(second.file("nemainits.txt")), "unchanged");
    assert_eq!(state(second.file("jauns.txt")), "new");
    let changed = second.file("/mainits.txt");
    assert_eq!(state(changed), "changed");
    assert_eq!(
        changed["change"]["kinds"],
        json!({"lv_personal_code": {"before": 1, "after": 2, "added": 1, "removed": 0}}),
        "keyed on content: the moved lines are not new findings"
    );
    let removed = second.file("dzests.txt");
    assert_eq!(state(removed), "removed");
    assert_eq!(removed["findings"][0]["kind"], "lv_personal_code");
    let moved = second.file("mape/parvietots.txt");
    assert_eq!(state(moved), "moved");
    assert!(
        moved["change"]["moved_from"]
            .as_str()
            .unwrap()
            .ends_with("share/parvietots.txt")
    );
    // Archive members are reused with their archive.
    assert_eq!(
        state(second.file("arhivs.zip!/2024/saraksts.csv")),
        "unchanged"
    );
    assert_eq!(
        second.files().len(),
        first.files().len() + 1,
        "the new file is added; the removed one is still listed, once"
    );

    // Nothing changed: everything reused, and the third scan sees the moves as settled.
    let third = env.scan(&["--store", store_arg]);
    assert_eq!(
        third.summary()["store"],
        json!({"read": 0, "reused": 6, "moved": 0, "removed": 0})
    );
    assert!(third.files().iter().all(|r| state(r) == "unchanged"));
    // Findings taken from the store are those of a fresh scan.
    let fresh = env.scan(&[]);
    let strip = |scan: &harness::Scan| -> Vec<Value> {
        let mut records: Vec<Value> = scan
            .files()
            .into_iter()
            .map(|r| {
                let mut r = r.clone();
                r.as_object_mut().unwrap().remove("change");
                r
            })
            .collect();
        records.sort_by_key(|r| r["path"].as_str().unwrap().to_string());
        records
    };
    assert_eq!(strip(&third), strip(&fresh));
}

#[test]
fn full_and_changed_options_read_everything_again() {
    let env = TestEnv::new();
    env.write("a.txt", PERSON);
    env.write("b.txt", PERSON);
    let store = env.temp.path().join("piimap.db");
    let store_arg = store.to_str().unwrap();
    env.scan(&["--store", store_arg]);
    let full = env.scan(&["--store", store_arg, "--full"]);
    assert_eq!(full.summary()["store"]["read"], 2);
    assert!(full.files().iter().all(|r| state(r) == "unchanged"));
    let other_options = env.scan(&["--store", store_arg, "--min-confidence", "high"]);
    assert_eq!(other_options.summary()["store"]["read"], 2);
    let same_again = env.scan(&["--store", store_arg, "--min-confidence", "high"]);
    assert_eq!(same_again.summary()["store"]["reused"], 2);
}

#[test]
fn an_interrupted_scan_loses_nothing_the_next_run_needs() {
    let env = TestEnv::new();
    let files = 6000;
    for i in 0..files {
        env.write(
            &format!("d{}/f{i}.txt", i % 30),
            format!("{PERSON}Nr. {i}\n").repeat(20),
        );
    }
    let store = env.temp.path().join("piimap.db");
    let store_arg = store.to_str().unwrap();
    let mut cmd = env.command();
    cmd.arg("scan")
        .arg(&env.root)
        .args(["--store", store_arg, "-q", "-j", "2"])
        .stdout(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    // Wait until the scan has committed some files, then kill it mid-way.
    let committed = || -> i64 {
        rusqlite::Connection::open_with_flags(&store, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(|c| c.query_row("SELECT count(*) FROM files", [], |r| r.get(0)))
            .unwrap_or(0)
    };
    while committed() == 0 {
        assert!(child.try_wait().unwrap().is_none(), "the scan ended first");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the scan ended before it was killed"
    );
    // SIGKILL: no chance to clean up, as after a crash or power loss.
    child.kill().unwrap();
    child.wait().unwrap();
    let recorded = committed();
    assert!(recorded > 0 && recorded < files as i64, "{recorded}");

    let next = env.scan(&["--store", store_arg]);
    assert_eq!(next.code, 0, "{}", next.stderr);
    let counts = &next.summary()["store"];
    assert_eq!(counts["reused"].as_i64().unwrap(), recorded);
    assert_eq!(
        counts["read"].as_u64().unwrap() + counts["reused"].as_u64().unwrap(),
        files
    );
    assert_eq!(next.files().len() as u64, files);
    // No scan finished before: every file is still news.
    assert!(next.files().iter().all(|r| state(r) == "new"));
    assert!(
        next.files()
            .iter()
            .all(|r| r["findings"].as_array().unwrap().len() == 3)
    );
    let after = env.scan(&["--store", store_arg]);
    assert_eq!(after.summary()["store"]["reused"], files);
    assert!(after.files().iter().all(|r| state(r) == "unchanged"));
}
