//! Context keywords around a candidate: the nearest keyword before the match decides (labels
//! precede values: `Personas kods: …`); if there is none before, the nearest one after.

use aho_corasick::{AhoCorasick, BuildError, MatchKind};

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
    raise_by: u8,
    lower_by: u8,
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
        // Each keyword also without its diacritics (`talr` for `tālr`): Latvian is often
        // typed without them. A hit reports the keyword as listed.
        let mut patterns = Vec::new();
        let mut keywords = Vec::new();
        let mut effects = Vec::new();
        for (keyword, effect) in tagged {
            let keyword = keyword.to_lowercase();
            let plain = super::without_diacritics(&keyword);
            if plain != keyword {
                patterns.push(plain.into_owned());
                keywords.push(keyword.clone());
                effects.push(effect);
            }
            patterns.push(keyword.clone());
            keywords.push(keyword);
            effects.push(effect);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)?;
        Ok(ContextMatcher {
            automaton,
            effects,
            keywords,
            before: spec.before,
            after: spec.after,
            raise_by: spec.raise_by,
            lower_by: spec.lower_by,
        })
    }

    /// Applies the context around `text[start..end]` to a base confidence.
    pub fn apply(
        &self,
        text: &str,
        start: usize,
        end: usize,
        base: Confidence,
    ) -> (Confidence, Option<ContextEvidence>) {
        // The window is `before`/`after` characters, cut at line breaks: a neighbouring line (a
        // table header, the previous sentence) is not the value's label. Only the window is
        // searched for the break, so a line-less file costs no more than any other.
        let before_start = text[..start]
            .char_indices()
            .rev()
            .nth(self.before.saturating_sub(1))
            .map_or(0, |(i, _)| i);
        let before_start = text[before_start..start]
            .rfind('\n')
            .map_or(before_start, |i| before_start + i + 1);
        let after_end = text[end..]
            .char_indices()
            .nth(self.after)
            .map_or(text.len(), |(i, _)| end + i);
        let after_end = text[end..after_end]
            .find('\n')
            .map_or(after_end, |i| end + i);
        let before = text[before_start..start].to_lowercase();
        let after = text[end..after_end].to_lowercase();
        // Nearest before: the last keyword; its distance is the characters between it and the match.
        let hit = self
            .hits(&before)
            .last()
            .map(|(k, e, _, kw_end)| (k, e, before[kw_end..].chars().count()))
            .or_else(|| {
                self.hits(&after)
                    .next()
                    .map(|(k, e, kw_start, _)| (k, e, after[..kw_start].chars().count()))
            });
        match hit {
            None => (base, None),
            Some((keyword, effect, distance)) => {
                let confidence = match effect {
                    ContextEffect::Raise => base.raised(self.raise_by),
                    ContextEffect::Lower => base.lowered(self.lower_by),
                };
                let evidence = ContextEvidence {
                    keyword: keyword.to_string(),
                    distance,
                    effect,
                };
                (confidence, Some(evidence))
            }
        }
    }

    /// Keyword hits at a word start in `window`: `(keyword, effect, start, end)`.
    fn hits<'a>(
        &'a self,
        window: &'a str,
    ) -> impl Iterator<Item = (&'a str, ContextEffect, usize, usize)> + 'a {
        self.automaton.find_iter(window).filter_map(move |m| {
            let at_word_start = !window[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let effect = self.effects[m.pattern().as_usize()]?;
            at_word_start.then(|| {
                (
                    self.keywords[m.pattern().as_usize()].as_str(),
                    effect,
                    m.start(),
                    m.end(),
                )
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> ContextMatcher {
        ContextMatcher::new(&ContextSpec {
            before: 30,
            after: 10,
            raise: vec!["personas kod".into(), "p.k.".into()],
            lower: vec!["tālr".into()],
            ignore: vec!["nr.p.k.".into()],
            raise_by: 1,
            lower_by: 1,
        })
        .unwrap()
    }

    fn apply(text: &str, value: &str) -> (Confidence, Option<ContextEvidence>) {
        let start = text.find(value).unwrap();
        matcher().apply(text, start, start + value.len(), Confidence::Medium)
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
}
