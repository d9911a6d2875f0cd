//! Text in any encoding: sniffing, decoding window by window (character references in markup),
//! and the detector on every window.
#![no_main]

use libfuzzer_sys::fuzz_target;
use piimap::detect::RuleSet;
use piimap::extract::{self, Sniffed, text};

fuzz_target!(|data: &[u8]| {
    let rules = rules();
    let mut detector = rules.detector();
    let name = if data.first().is_some_and(|b| b & 1 == 1) { "a.html" } else { "a.txt" };
    let Sniffed::Text(encoding) = extract::sniff(data, std::path::Path::new(name)) else {
        return;
    };
    let mut buf = vec![0u8; text::CHUNK];
    let head = data.len().min(buf.len());
    buf[..head].copy_from_slice(&data[..head]);
    let mut rest = &data[head..];
    let mut findings = Vec::new();
    text::stream_windows(&mut rest, &mut buf, head, encoding, name.ends_with("html"), |window| {
        let next = detector.scan(window.text, window.report.clone(), window.resume, &mut findings);
        findings.clear();
        next
    });
});

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules"))
}
