//! Context keywords around a candidate: the nearest keyword before the match decides (labels
//! precede values: `Personas kods: …`); if there is none before, the nearest one after.

use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError, MatchKind};

use super::rules::ContextSpec;
use crate::inventory::{Confidence, ContextEffect, ContextEvidence};

/// One rule's compiled context keywords.
#[derive(Debug)]
pub struct ContextMatcher {
    automaton: AhoCorasick,
    /// Effect of each automaton pattern; `None` for ignored look-alikes.
    effects: Vec<Option<ContextEffect>>,
    keywords: Vec<String>,
    before: usize,
    after: usize,
    lines_before: usize,
    raise_by: u8,
    lower_by: u8,
    required: bool,
}

impl ContextMatcher {
    /// Compiles a rule's context section.
    pub fn new(spec: &ContextSpec) -> Result<ContextMatcher, BuildError> {
        let tagged = spec
            .raise
            .iter()
            .map(|k| (k, Some(ContextEffect::Raise)))
            .chain(spec.lower.iter().map(|k| (k, Some(ContextEffect::Lower))))
            .chain(spec.ignore.iter().map(|k| (k, None)));
        // Each keyword in its case forms, also without its diacritics (`talr` for `tālr`:
        // Latvian is often typed without them), matched ASCII-case-insensitively: the window
        // is searched as it is, not lower-cased first. A hit reports the keyword as listed.
        let mut patterns = Vec::new();
        let mut keywords = Vec::new();
        let mut effects = Vec::new();
        for (keyword, effect) in tagged {
            let keyword = keyword.to_lowercase();
            let mut variants = super::case_variants(&keyword);
            variants.sort_by_key(|v| v.to_ascii_lowercase());
            variants.dedup_by_key(|v| v.to_ascii_lowercase());
            for variant in variants {
                patterns.push(variant);
                keywords.push(keyword.clone());
                effects.push(effect);
            }
        }
        // Windows are a few dozen characters: a DFA walks them faster than a prefilter
        // (measured: the packed prefilter was 1.3 % of a workbook's instructions).
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)?;
        Ok(ContextMatcher {
            automaton,
            effects,
            keywords,
            before: spec.before,
            after: spec.after,
            lines_before: spec.lines_before,
            raise_by: spec.raise_by,
            lower_by: spec.lower_by,
            required: spec.required,
        })
    }

    /// Applies the context around `text[start..end]` to a base confidence. `scratch` is the
    /// caller's (one per thread and rule): the window before the last candidate is remembered
    /// there with its outcome, since a column's cells all have the header as that window.
    /// `None` when the rule requires a raising keyword and none is there: the candidate is no
    /// finding.
    pub fn apply(
        &self,
        text: &str,
        start: usize,
        end: usize,
        base: Confidence,
        scratch: &mut ContextScratch,
    ) -> Option<(Confidence, Option<ContextEvidence>)> {
        // The nearest keyword before decides (labels precede values); the window after is only
        // read when there is none.
        let hit = self
            .hit_before(text, start, scratch)
            .or_else(|| self.hit_after(text, end));
        let Some((pattern, distance)) = hit else {
            return (!self.required).then_some((base, None));
        };
        let effect = self.effects[pattern].expect("hits have an effect");
        if self.required && effect != ContextEffect::Raise {
            return None;
        }
        let confidence = match effect {
            ContextEffect::Raise => base.raised(self.raise_by),
            ContextEffect::Lower => base.lowered(self.lower_by),
        };
        let evidence = ContextEvidence {
            keyword: self.keywords[pattern].clone(),
            distance,
            effect,
        };
        Some((confidence, Some(evidence)))
    }

    /// The last keyword in the window before `start`, as `(pattern, characters between it and
    /// the match)`. The window is `before` characters, cut at a line break: a neighbouring line
    /// (a table header, the previous sentence) is not the value's label. Only the window is
    /// searched for the break, so a line-less file costs no more than any other.
    fn hit_before(
        &self,
        text: &str,
        start: usize,
        scratch: &mut ContextScratch,
    ) -> Option<(usize, usize)> {
        // A text shorter in bytes than the window is shorter in characters too (a cell's label).
        let from = if start <= self.before {
            0
        } else {
            text[..start]
                .char_indices()
                .rev()
                .nth(self.before.saturating_sub(1))
                .map_or(0, |(i, _)| i)
        };
        let from = text[from..start]
            .rmatch_indices('\n')
            .nth(self.lines_before)
            .map_or(from, |(i, _)| from + i + 1);
        let window = &text[from..start];
        if scratch.before != window {
            scratch.before_hit = self
                .hits(window)
                .last()
                .map(|(pattern, _, kw_end)| (pattern, window[kw_end..].chars().count()));
            scratch.before.clear();
            scratch.before.push_str(window);
        }
        scratch.before_hit
    }

    /// The first keyword in the window of `after` characters after `end` (cut at a line
    /// break), as `(pattern, characters between the match and it)`.
    fn hit_after(&self, text: &str, end: usize) -> Option<(usize, usize)> {
        let to = if text.len() - end <= self.after {
            text.len()
        } else {
            text[end..]
                .char_indices()
                .nth(self.after)
                .map_or(text.len(), |(i, _)| end + i)
        };
        let to = text[end..to].find('\n').map_or(to, |i| end + i);
        let window = &text[end..to];
        self.hits(window)
            .next()
            .map(|(pattern, kw_start, _)| (pattern, window[..kw_start].chars().count()))
    }

    /// Keyword hits at a word start in `window` (anywhere for one that starts with a sign) that
    /// have an effect: `(pattern, start, end)`.
    fn hits<'s, 'w>(
        &'s self,
        window: &'w str,
    ) -> impl Iterator<Item = (usize, usize, usize)> + use<'s, 'w> {
        self.automaton.find_iter(window).filter_map(move |m| {
            let pattern = m.pattern().as_usize();
            // A keyword that starts with a sign (`@`, `€`, `=`) is its own boundary.
            let at_word_start = !window[m.start()..].starts_with(char::is_alphanumeric)
                || !window[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
            (at_word_start && self.effects[pattern].is_some()).then_some((
                pattern,
                m.start(),
                m.end(),
            ))
        })
    }
}

/// One thread's scratch space for one rule's context: the last window before a candidate with
/// the keyword hit found in it (`(pattern, distance)`). An empty window has no hit, so the
/// default is a true memo.
#[derive(Debug, Default)]
pub struct ContextScratch {
    before: String,
    before_hit: Option<(usize, usize)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> ContextMatcher {
        matcher_requiring(false)
    }

    fn matcher_requiring(required: bool) -> ContextMatcher {
        ContextMatcher::new(&ContextSpec {
            before: 30,
            after: 10,
            lines_before: 0,
            raise: vec!["personas kod".into(), "p.k.".into()],
            lower: vec!["tālr".into()],
            ignore: vec!["nr.p.k.".into()],
            raise_by: 1,
            lower_by: 1,
            required,
        })
        .unwrap()
    }

    fn apply(text: &str, value: &str) -> (Confidence, Option<ContextEvidence>) {
        let start = text.find(value).unwrap();
        matcher()
            .apply(
                text,
                start,
                start + value.len(),
                Confidence::Medium,
                &mut ContextScratch::default(),
            )
            .expect("not required")
    }

    /// A rule that requires its keyword: a raising one makes the candidate a finding; a
    /// lowering one, or none, makes it no finding at all.
    #[test]
    fn a_required_keyword_must_raise() {
        let m = matcher_requiring(true);
        let mut scratch = ContextScratch::default();
        let mut apply = |text: &str| {
            let start = text.find("161175").unwrap();
            m.apply(text, start, start + 12, Confidence::Medium, &mut scratch)
        };
        assert_eq!(
            apply("Personas kods: 161175-19997").map(|(c, _)| c),
            Some(Confidence::High)
        );
        assert_eq!(apply("Tālr.: 161175-19997"), None);
        assert_eq!(apply("Kods: 161175-19997"), None);
    }

    #[test]
    fn label_before_raises_with_distance() {
        let (c, ev) = apply("Personas kods: 161175-19997", "161175-19997");
        assert_eq!(c, Confidence::High);
        let ev = ev.unwrap();
        assert_eq!((ev.keyword.as_str(), ev.distance), ("personas kod", 3));
    }

    #[test]
    fn row_number_header_is_not_a_keyword() {
        assert_eq!(
            apply("Nr.p.k. 161175-19997", "161175-19997").0,
            Confidence::Medium
        );
        assert_eq!(
            apply("P.K. 161175-19997", "161175-19997").0,
            Confidence::High
        );
    }

    #[test]
    fn label_before_beats_keyword_after() {
        assert_eq!(
            apply("Personas kods 161175-19997, tālr. 2", "161175-19997").0,
            Confidence::High
        );
        assert_eq!(
            apply("161175-19997, tālr. 2", "161175-19997").0,
            Confidence::Low
        );
    }

    #[test]
    fn keyword_inside_a_word_does_not_count() {
        assert_eq!(
            apply("xpersonas kods 161175-19997", "161175-19997").0,
            Confidence::Medium
        );
    }

    #[test]
    fn window_stays_on_the_line() {
        assert_eq!(
            apply("Personas kods; Tālrunis\n1;161175-19997", "161175-19997").0,
            Confidence::Medium
        );
        assert_eq!(
            apply("161175-19997\ntālr. 2", "161175-19997").0,
            Confidence::Medium
        );
    }

    #[test]
    fn window_is_bounded() {
        let far = format!("personas kods {} 161175-19997", "x".repeat(40));
        assert_eq!(apply(&far, "161175-19997").0, Confidence::Medium);
    }

    /// Regression guard for the remembered window: one scratch serves a whole scan, so a new
    /// window must be looked at afresh, and a window without a keyword must not keep one.
    #[test]
    fn a_remembered_window_is_reused_only_while_it_is_the_same() {
        let m = matcher();
        let mut scratch = ContextScratch::default();
        let mut apply = |text: &str| {
            let start = text.find("161175").unwrap();
            m.apply(text, start, start + 12, Confidence::Medium, &mut scratch)
                .expect("not required")
        };
        let labelled = "Personas kods: 161175-19997";
        assert_eq!(apply(labelled).0, Confidence::High);
        assert_eq!(apply(labelled).1.unwrap().distance, 3);
        assert_eq!(apply("Tālr.: 161175-19997").0, Confidence::Low);
        assert_eq!(apply("Kods: 161175-19997").0, Confidence::Medium);
        // The window after is still read when the one before has no keyword.
        assert_eq!(apply("Kods: 161175-19997 tālr.").0, Confidence::Low);
        assert_eq!(apply(labelled).0, Confidence::High);
        assert_eq!(apply("161175-19997").0, Confidence::Medium);
    }

    /// Keywords are matched in the window as written: ASCII letters in any case, a Latvian
    /// letter lower-case, capitalised or in capitals, and the keyword without its diacritics.
    #[test]
    fn keywords_match_in_their_case_forms() {
        for label in [
            "tālr.", "Tālr.", "TĀLR.", "TāLR.", "talr.", "TALR.", "Talr.",
        ] {
            let text = format!("{label} 161175-19997");
            assert_eq!(apply(&text, "161175-19997").0, Confidence::Low, "{label}");
        }
        for label in ["PERSONAS KODS:", "Personas Kods:", "personas kods:"] {
            let text = format!("{label} 161175-19997");
            assert_eq!(apply(&text, "161175-19997").0, Confidence::High, "{label}");
        }
    }
}
