//! A temp-dir test environment that runs the real `piimap` binary (in the style of fd's TestEnv).

#![allow(dead_code)] // each test file uses a different part of the harness

pub mod hostile;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A scratch tree to scan, with a private key file and an output directory outside the tree.
pub struct TestEnv {
    pub temp: tempfile::TempDir,
    pub root: PathBuf,
    pub key: PathBuf,
}

/// A finished scan: exit code, stderr, and the parsed JSON Lines inventory.
pub struct Scan {
    pub code: i32,
    pub stderr: String,
    pub stdout: String,
    pub lines: Vec<Value>,
}

impl Scan {
    /// The file records.
    pub fn files(&self) -> Vec<&Value> {
        self.lines.iter().filter(|l| l["type"] == "file").collect()
    }

    /// The header line.
    pub fn header(&self) -> &Value {
        self.lines
            .iter()
            .find(|l| l["type"] == "header")
            .expect("a header line")
    }

    /// The record of the file whose path ends with `suffix`.
    pub fn file(&self, suffix: &str) -> &Value {
        let hits: Vec<_> = self
            .files()
            .into_iter()
            .filter(|f| f["path"].as_str().unwrap().ends_with(suffix))
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "expected one record for {suffix}, got {}: {}",
            hits.len(),
            self.stdout
        );
        hits[0]
    }

    /// The findings of `kind` in the file whose path ends with `suffix`.
    pub fn kind(&self, suffix: &str, kind: &str) -> Option<&Value> {
        self.file(suffix)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kind"] == kind)
    }

    /// The record of `suffix`, which must be cut short: its status, its reason code, and a
    /// message that contains `message`.
    pub fn assert_cut(&self, suffix: &str, status: &str, code: &str, message: &str) -> &Value {
        let rec = self.file(suffix);
        assert_eq!(
            (rec["status"].as_str(), rec["reason"]["code"].as_str()),
            (Some(status), Some(code)),
            "{rec}"
        );
        let text = rec["reason"]["message"].as_str().unwrap();
        assert!(text.contains(message), "{rec}");
        rec
    }

    /// The summary line.
    pub fn summary(&self) -> &Value {
        self.lines
            .iter()
            .find(|l| l["type"] == "summary")
            .expect("summary line")
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("share");
        fs::create_dir(&root).unwrap();
        // The key exists, as on a machine that has scanned before: a new key is announced on
        // stderr, which tests of quiet output would otherwise see.
        let key = temp.path().join("fingerprint.key");
        let hex = blake3::hash(temp.path().as_os_str().as_encoded_bytes()).to_hex();
        fs::write(&key, format!("{hex}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();
        }
        TestEnv { temp, root, key }
    }

    /// Writes a file under the tree, creating folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }

    /// Copies `tests/fixtures/<fixture>` into the tree as `rel`.
    pub fn copy_fixture(&self, fixture: &str, rel: &str) -> PathBuf {
        self.write(
            rel,
            fs::read(repo().join("tests/fixtures").join(fixture)).unwrap(),
        )
    }

    /// The binary, with the test key file.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_piimap"));
        cmd.env("PIIMAP_KEY_FILE", &self.key);
        cmd
    }

    /// `piimap scan <root> --format jsonl -q <args>`, measured ([`run_measured`]).
    pub fn scan_measured(&self, args: &[&str]) -> (Scan, Cost) {
        let mut cmd = self.command();
        cmd.arg("scan")
            .arg(&self.root)
            .args(["--format", "jsonl", "-q"])
            .args(args);
        run_measured(cmd)
    }

    /// `piimap scan <root> --format jsonl -q <args>`.
    pub fn scan(&self, args: &[&str]) -> Scan {
        let mut cmd = self.command();
        cmd.arg("scan")
            .arg(&self.root)
            .args(["--format", "jsonl", "-q"])
            .args(args);
        run(cmd)
    }
}

/// Runs a command and parses its stdout as JSON Lines (when it is).
pub fn run(mut cmd: Command) -> Scan {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    let stdout = String::from_utf8(stdout).unwrap();
    let lines = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    Scan {
        code: status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        stdout,
        lines,
    }
}

/// How much a command took: its resident memory at the peak, summed over it and every process
/// it started (reader processes), sampled every few milliseconds; and its wall time.
pub struct Cost {
    pub peak_rss: u64,
    pub wall: Duration,
}

/// Runs a command as [`run`] does, measuring what it cost (peak memory on Linux only; 0
/// elsewhere).
pub fn run_measured(mut cmd: Command) -> (Scan, Cost) {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let mut peak_rss = 0;
    let status = loop {
        peak_rss = peak_rss.max(tree_rss(child.id()));
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(3));
    };
    let wall = started.elapsed();
    let stdout = String::from_utf8(stdout.join().unwrap()).unwrap();
    let stderr = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
    let lines = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let scan = Scan {
        code: status.code().unwrap_or(-1),
        stderr,
        stdout,
        lines,
    };
    (scan, Cost { peak_rss, wall })
}

/// The resident bytes of process `pid` and all its descendants, now (Linux `/proc`).
fn tree_rss(pid: u32) -> u64 {
    let rss = fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb * 1024)
        })
        .unwrap_or(0);
    let children: u64 = fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|task| fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|p| p.parse::<u32>().ok())
                .collect::<Vec<_>>()
        })
        .map(tree_rss)
        .sum();
    rss + children
}

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}
