//! The one-screen summary and the live progress line, both on stderr.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::inventory::{Category, Summary};

/// A progress line redrawn at most a few times a second, only when stderr is a terminal.
#[derive(Debug)]
pub struct Progress {
    enabled: bool,
    last: Instant,
    drawn: bool,
}

impl Progress {
    /// A progress line; `enabled` is further limited to a terminal on stderr.
    pub fn new(enabled: bool) -> Progress {
        Progress {
            enabled: enabled && std::io::stderr().is_terminal(),
            last: Instant::now(),
            drawn: false,
        }
    }

    /// Redraws if enough time has passed.
    pub fn tick(&mut self, s: &Summary, started: Instant) {
        if !self.enabled || self.last.elapsed() < Duration::from_millis(200) {
            return;
        }
        self.last = Instant::now();
        self.drawn = true;
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        eprint!(
            "\r\x1b[Kscanning: {} files seen, {} scanned ({:.1} MB, {:.1} MB/s), {} with personal data",
            s.files_seen,
            s.files_scanned,
            s.bytes_scanned as f64 / 1e6,
            s.bytes_scanned as f64 / 1e6 / secs,
            s.files_with_personal_data
        );
    }

    /// Erases the line.
    pub fn clear(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[K");
            self.drawn = false;
        }
    }
}

/// Prints the summary to stderr.
pub fn print_summary(s: &Summary) {
    let mut out = String::new();
    let not_full: u64 = s.not_fully_scanned.values().sum();
    out.push_str(&format!(
        "piimap: {} files seen, {} scanned ({:.1} MB) in {:.2} s, {:.1} MB/s\n",
        s.files_seen,
        s.files_scanned,
        s.bytes_scanned as f64 / 1e6,
        s.elapsed_seconds,
        s.mb_per_second
    ));
    out.push_str(&format!(
        "  with personal data: {}   clean: {}   not fully scanned: {not_full}\n",
        s.files_with_personal_data, s.files_clean
    ));
    if !s.not_fully_scanned.is_empty() {
        let reasons: Vec<String> = s
            .not_fully_scanned
            .iter()
            .map(|(code, n)| {
                format!(
                    "{} {n}",
                    serde_json::to_value(code)
                        .unwrap_or_default()
                        .as_str()
                        .unwrap_or("?")
                )
            })
            .collect();
        out.push_str(&format!(
            "  not fully scanned, by reason: {}\n",
            reasons.join(", ")
        ));
    }
    if s.files_with_children_data > 0 {
        out.push_str(&format!(
            "  with personal codes of children (under 18): {} files\n",
            s.files_with_children_data
        ));
    }
    if let Some(over) = &s.over_retention {
        out.push_str(&format!(
            "  over their retention period: {} files\n",
            over.files
        ));
    }
    if let Some(store) = &s.store {
        out.push_str(&format!(
            "  store: {} files read, {} unchanged and reused ({} moved), {} removed\n",
            store.read, store.reused, store.moved, store.removed
        ));
    }
    if !s.kinds.is_empty() {
        out.push_str("  findings by kind:\n");
        for (kind, t) in &s.kinds {
            out.push_str(&format!(
                "    {kind:<28} {:>9} in {} files\n",
                t.count, t.files
            ));
        }
        out.push_str("  by register category:\n");
        for (cat, t) in &s.categories {
            let note = if *cat == Category::Organisation {
                "  (not personal data)"
            } else {
                ""
            };
            out.push_str(&format!(
                "    {:<28} {:>9} in {} files{note}\n",
                cat.name(),
                t.count,
                t.files
            ));
        }
    }
    let _ = std::io::stderr().write_all(out.as_bytes());
}
