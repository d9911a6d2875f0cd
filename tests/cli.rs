//! The command line on ordinary mistakes: scanning where the inventory is written, absurd
//! thread counts, closed pipes, interrupts, key files that are not where they were said to be.

mod harness;

use std::process::Stdio;
use std::time::{Duration, Instant};

use harness::TestEnv;
use serde_json::Value;

/// Regression: `scan . -o inventory.json`, run twice in the same folder, scanned its own
/// previous output, and the inventory grew findings on every run.
#[test]
fn a_scan_never_reads_its_own_previous_inventory() {
    let env = TestEnv::new();
    env.write("a.txt", "e-pasts: anna@piemers.lv\n");
    let run = || {
        let mut cmd = env.command();
        cmd.current_dir(&env.root)
            .args(["scan", ".", "-q", "-o", "inventory.json"]);
        let scan = harness::run(cmd);
        assert_eq!(scan.code, 0, "{}", scan.stderr);
        let doc: Value =
            serde_json::from_slice(&std::fs::read(env.root.join("inventory.json")).unwrap())
                .unwrap();
        doc
    };
    let first = run();
    let second = run();
    assert_eq!(first["summary"]["files_seen"], 1);
    assert_eq!(second["summary"]["files_seen"], 1, "{second}");
    assert_eq!(second["files"].as_array().unwrap().len(), 1);
}

/// Regression: `-j 100000` on 16 files started 6,372 threads and never finished.
#[test]
fn thread_counts_are_bounded_and_zero_means_automatic() {
    let env = TestEnv::new();
    for i in 0..16 {
        env.write(&format!("f{i}.txt"), "p.k. 161175-19997\n");
    }
    let started = Instant::now();
    let huge = env.scan(&["-j", "100000"]);
    assert_eq!(huge.code, 0, "{}", huge.stderr);
    assert!(huge.stderr.contains("using 64"), "{}", huge.stderr);
    assert_eq!(huge.summary()["files_seen"], 16);
    assert!(started.elapsed() < Duration::from_secs(60));
    let auto = env.scan(&["-j", "0"]);
    assert_eq!(auto.code, 0, "{}", auto.stderr);
    assert_eq!(
        auto.lines[0]["options"]["threads"].as_u64().map(|t| t > 0),
        Some(true)
    );
}

/// Runs `piimap args` with its stdout closed before it writes: it must end quietly with 0.
fn with_closed_stdout(env: &TestEnv, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = env.command();
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status.code(), stderr)
}

/// Regression: `piimap schema | true` panicked with exit 101, and `scan | true` printed
/// `error: Broken pipe` and exited 1.
#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    let env = TestEnv::new();
    for i in 0..200 {
        env.write(&format!("f{i}.txt"), "e-pasts anna@piemers.lv\n");
    }
    let root = env.root.to_str().unwrap().to_string();
    for args in [
        vec!["schema"],
        vec!["rules", "list"],
        vec!["scan", root.as_str(), "-q"],
        vec!["scan", root.as_str(), "-q", "--format", "csv"],
    ] {
        let (code, stderr) = with_closed_stdout(&env, &args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Regression: `piimap schema > /dev/full` panicked (exit 101); a full disk is an error.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_not_a_panic() {
    let env = TestEnv::new();
    let mut cmd = env.command();
    cmd.arg("schema")
        .stdout(std::fs::File::create("/dev/full").unwrap());
    let scan = harness::run(cmd);
    assert_eq!(scan.code, 1, "{}", scan.stderr);
    assert!(scan.stderr.contains("piimap: error"), "{}", scan.stderr);
}

/// The temporary inventories in `dir`.
fn temporaries(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".piimap-"))
        .collect()
}

/// Regression: SIGTERM or Ctrl-C during `scan -o DIR/inv.json` left `DIR/.piimap-*.tmp`
/// behind, and later runs never cleaned it up.
#[cfg(unix)]
#[test]
fn an_interrupted_scan_leaves_no_temporary_inventory() {
    let env = TestEnv::new();
    for i in 0..3000 {
        env.write(
            &format!("d{}/f{i}.txt", i % 30),
            format!("e-pasts anna{i}@piemers.lv\n").repeat(50),
        );
    }
    let out = env.temp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let mut cmd = env.command();
        cmd.arg("scan")
            .arg(&env.root)
            .args(["-q", "-j", "1", "-o"])
            .arg(out.join("inv.json"))
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let started = Instant::now();
        while temporaries(&out).is_empty() && started.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(5));
        }
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "signal {signal}");
        assert_eq!(temporaries(&out), Vec::<String>::new(), "signal {signal}");
        assert!(!out.join("inv.json").exists());
    }
}

#[test]
fn a_temporary_inventory_of_a_killed_scan_is_cleaned_up() {
    let env = TestEnv::new();
    env.write("a.txt", "e-pasts anna@piemers.lv\n");
    let out = env.temp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // No process has this id (Linux pid_max is at most 2^22).
    let stale = out.join(".piimap-4194305-Ab12Cd.tmp");
    std::fs::write(&stale, "{\"schema_version\":4,").unwrap();
    let other = out.join(".piimap-notes.txt");
    std::fs::write(&other, "kept").unwrap();
    let mut cmd = env.command();
    cmd.arg("scan")
        .arg(&env.root)
        .args(["-q", "-o"])
        .arg(out.join("inv.json"));
    let scan = harness::run(cmd);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert!(
        !stale.exists(),
        "the killed scan's temporary file is still there"
    );
    assert!(other.exists());
}

/// Regression: `--key-file /nonexistent/dir/k.key` silently created the folders and a new
/// key, so every fingerprint stopped matching earlier scans with no message.
#[test]
fn a_key_file_is_created_only_where_it_was_said_to_be_and_loudly() {
    let env = TestEnv::new();
    env.write("a.txt", "e-pasts anna@piemers.lv\n");
    let missing = env.temp.path().join("nav").join("k.key");
    let mut cmd = env.command();
    cmd.arg("scan")
        .arg(&env.root)
        .arg("-q")
        .arg("--key-file")
        .arg(&missing);
    let scan = harness::run(cmd);
    assert_eq!(scan.code, 1, "{}", scan.stderr);
    assert!(
        scan.stderr.contains("neither does its folder"),
        "{}",
        scan.stderr
    );
    assert!(!missing.parent().unwrap().exists());

    let new = env.temp.path().join("jauna.key");
    let mut cmd = env.command();
    cmd.arg("scan")
        .arg(&env.root)
        .arg("-q")
        .arg("--key-file")
        .arg(&new);
    let scan = harness::run(cmd);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert!(
        scan.stderr.contains("created a new fingerprint key"),
        "{}",
        scan.stderr
    );
    let mut again = env.command();
    again
        .arg("scan")
        .arg(&env.root)
        .arg("-q")
        .arg("--key-file")
        .arg(&new);
    let scan = harness::run(again);
    assert!(!scan.stderr.contains("created"), "{}", scan.stderr);
}

#[test]
fn a_store_made_under_another_key_is_said_to_be() {
    let env = TestEnv::new();
    env.write("a.txt", "e-pasts anna@piemers.lv\n");
    let store = env.temp.path().join("piimap.db");
    let scan_with = |key: &std::path::Path| {
        let mut cmd = env.command();
        cmd.arg("scan")
            .arg(&env.root)
            .arg("-q")
            .arg("--store")
            .arg(&store)
            .arg("--key-file")
            .arg(key);
        harness::run(cmd)
    };
    let first = scan_with(&env.key);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let same = scan_with(&env.key);
    assert!(
        !same.stderr.contains("another fingerprint key"),
        "{}",
        same.stderr
    );
    std::fs::remove_file(&env.key).unwrap();
    let lost = scan_with(&env.key);
    assert!(
        lost.stderr.contains("created a new fingerprint key"),
        "{}",
        lost.stderr
    );
    assert!(
        lost.stderr.contains("another fingerprint key"),
        "{}",
        lost.stderr
    );
}

/// The header says whether access times are kept, and on Linux, for a file the scanning account
/// owns, they are: its access time two days old (so `relatime` would move it) stays as it was.
#[test]
fn access_times_are_left_alone_and_the_header_says_so() {
    let env = TestEnv::new();
    let file = env.write("a.txt", "e-pasts anna@piemers.lv\n");
    let old = std::time::SystemTime::now() - Duration::from_secs(2 * 86_400);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_times(std::fs::FileTimes::new().set_accessed(old))
        .unwrap();
    let before = std::fs::metadata(&file).unwrap().accessed().unwrap();
    let scan = env.scan(&[]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    let header = &scan.lines[0];
    let policy = header["access_times"].as_str().unwrap();
    if cfg!(target_os = "linux") {
        assert!(
            ["unchanged", "unchanged_for_own_files"].contains(&policy),
            "{policy}"
        );
        let after = std::fs::metadata(&file).unwrap().accessed().unwrap();
        assert_eq!(before, after, "the scan changed the access time");
    } else {
        assert_eq!(policy, "may_change");
    }
}
