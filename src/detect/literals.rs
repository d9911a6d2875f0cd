//! Many literal strings searched at once with a lazy DFA: the leftmost-longest matches, one
//! after another without overlap, as an Aho-Corasick automaton gives them, at less than half of
//! its cost per byte (regex-automata's search loop is unrolled; aho-corasick's is not).

use regex_automata::hybrid::dfa::DFA;
use regex_automata::hybrid::regex::{Cache, Regex};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

/// A compiled set of literals.
#[derive(Debug)]
pub struct Literals {
    /// One alternation of all literals, longest first, so that its leftmost-first match is the
    /// leftmost-longest one. As one pattern, the literals compile into a trie: a lazy DFA's
    /// states are then small sets (many patterns would put every pattern's start in each).
    regex: Regex,
    /// Each literal's index.
    index: foldhash::HashMap<Box<[u8]>, usize>,
}

/// A search's scratch space, one per thread.
#[derive(Debug, Clone)]
pub struct LiteralsCache(Cache);

/// One match: which literal, where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiteralMatch {
    /// The literal's index in the list it was built from.
    pub literal: usize,
    /// Its start in the text.
    pub start: usize,
    /// Its end in the text.
    pub end: usize,
}

impl Literals {
    /// Compiles `literals` (none empty).
    pub fn new<S: AsRef<[u8]>>(literals: &[S]) -> Result<Literals, String> {
        let mut order: Vec<usize> = (0..literals.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(literals[i].as_ref().len()));
        let mut pattern = String::new();
        for (n, &i) in order.iter().enumerate() {
            if literals[i].as_ref().is_empty() {
                return Err("an empty literal".into());
            }
            if n > 0 {
                pattern.push('|');
            }
            for b in literals[i].as_ref() {
                pattern.push_str(&format!("\\x{b:02X}"));
            }
        }
        let mut index = foldhash::HashMap::default();
        for (i, l) in literals.iter().enumerate() {
            index.entry(l.as_ref().into()).or_insert(i);
        }
        let regex = Regex::builder()
            .dfa(DFA::config().match_kind(MatchKind::LeftmostFirst))
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .thompson(thompson::Config::new().utf8(false))
            .build(&pattern)
            .map_err(|e| e.to_string())?;
        Ok(Literals { regex, index })
    }

    /// A cache for searching with this set.
    pub fn cache(&self) -> LiteralsCache {
        LiteralsCache(self.regex.create_cache())
    }

    /// The matches in `hay` from `from` on, in order.
    pub fn find_iter<'a>(
        &'a self,
        cache: &'a mut LiteralsCache,
        hay: &'a [u8],
        from: usize,
    ) -> impl Iterator<Item = LiteralMatch> + 'a {
        let mut at = from;
        std::iter::from_fn(move || {
            if at >= hay.len() {
                return None;
            }
            let input = Input::new(hay).range(at..);
            // The DFAs never quit (no quit bytes, no give-up count), so no error can occur.
            let m = self.regex.try_search(&mut cache.0, &input).ok()??;
            at = m.end();
            Some(LiteralMatch {
                literal: self.index[&hay[m.range()]],
                start: m.start(),
                end: m.end(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind as AcKind};
    use proptest::prelude::*;

    fn matches(literals: &[&str], hay: &str) -> Vec<(usize, usize, usize)> {
        let set = Literals::new(literals).unwrap();
        let mut cache = set.cache();
        set.find_iter(&mut cache, hay.as_bytes(), 0)
            .map(|m| (m.literal, m.start, m.end))
            .collect()
    }

    #[test]
    fn leftmost_then_longest_without_overlap() {
        // `Brīvības ` is 11 bytes; `ā` is two.
        let literals = ["iel", "iela", "ela", "a b", "ārst"];
        assert_eq!(
            matches(&literals, "Brīvības iela a b ārsts"),
            [(1, 11, 15), (3, 16, 19), (4, 20, 25)]
        );
        assert_eq!(matches(&literals, "xx"), []);
    }

    proptest! {
        /// The same matches as an Aho-Corasick automaton's leftmost-longest ones.
        #[test]
        fn agrees_with_aho_corasick(
            literals in prop::collection::hash_set("[abč ]{1,4}", 1..12),
            hay in "[abčd ]{0,60}",
        ) {
            let literals: Vec<&str> = literals.iter().map(String::as_str).collect();
            let ac = AhoCorasick::builder()
                .match_kind(AcKind::LeftmostLongest)
                .build(&literals)
                .unwrap();
            let expected: Vec<_> = ac
                .find_iter(&hay)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
            prop_assert_eq!(matches(&literals, &hay), expected);
        }
    }
}
