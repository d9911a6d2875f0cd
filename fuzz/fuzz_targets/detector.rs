//! The detector (patterns, validators, context, keywords) on any text, with every report range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use piimap::detect::RuleSet;

fuzz_target!(|data: &[u8]| {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    let rules = RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules"));
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut detector = rules.detector();
    let mut findings = Vec::new();
    detector.scan(text, 0..text.len(), 0, &mut findings);
    for f in &findings {
        assert!(f.span.start <= f.span.end && f.span.end <= text.len());
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
    }
    // A report range starting inside the text, as a window after the first has.
    let mid = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    findings.clear();
    detector.scan(text, mid..text.len(), mid, &mut findings);
});
