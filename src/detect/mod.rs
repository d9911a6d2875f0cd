//! Detection: rules (data) compiled into one multi-pattern regex plus one keyword automaton;
//! validators, boundaries and context keywords run only on candidates.

mod context;
mod literals;
mod plain_letters;
pub mod rules;
pub mod validators;

use std::ops::Range;

use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, PatternID};
use regex_syntax::hir::literal;

use crate::inventory::{Confidence, ContextEvidence};
use context::ContextMatcher;
use literals::{Literals, LiteralsCache};
pub use plain_letters::without_diacritics;
pub use rules::{Boundary, Rule, RuleError, RuleSource};
use validators::{Candidates, Tier};

/// Lazy-DFA cache per thread. Numbers written with separators (dates, amounts, grouped phones,
/// IBANs) give the union of digit patterns many states; with the default 2 MiB the cache is
/// cleared and rebuilt over and over. Measured on the generated 105 MB share, one thread: 2 MiB
/// 1.55 s, 8 MiB 1.37 s, 16 MiB 1.30 s, 32 MiB 1.26 s. ripgrep's default is 10M.
const LAZY_DFA_CACHE: usize = 16 << 20;

/// One validated match in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the rule in the [`RuleSet`].
    pub rule: usize,
    /// Byte span of the value in the scanned text.
    pub span: Range<usize>,
    /// The normalised value (see [`validators::Validated::value`]).
    pub value: String,
    /// Final confidence, after context.
    pub confidence: Confidence,
    /// Checks the value passed.
    pub checks: &'static [&'static str],
    /// Non-personal facts about the value.
    pub attributes: Vec<(&'static str, std::borrow::Cow<'static, str>)>,
    /// The context keyword that changed the confidence, if any.
    pub context: Option<ContextEvidence>,
}

/// The compiled rule set; shared by all threads (each has its own [`Detector`]).
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    regex: Option<Regex>,
    /// Rule indexes of each regex pattern, in precedence order: rules that give the same
    /// pattern (`postal_address` and `organisation_address`) share one, compiled once.
    pattern_rules: Vec<Vec<usize>>,
    /// Per regex pattern, whether a match can start with each byte: when a validator rejects a
    /// candidate, only the patterns that can start there are tried in its place.
    pattern_starts: Vec<[bool; 256]>,
    keywords: Option<KeywordMatcher>,
    /// Rules whose candidates are capitalised words (names), in precedence order.
    word_rules: Vec<usize>,
    contexts: Vec<Option<ContextMatcher>>,
}

/// All keyword-rule terms and validators' candidate words in one automaton.
#[derive(Debug)]
struct KeywordMatcher {
    automaton: Literals,
    /// What each automaton pattern is.
    terms: Vec<Term>,
}

/// What a hit of the keyword automaton is.
#[derive(Debug)]
enum Term {
    /// A term of keyword rule `rule`: a finding at `tier` whose value is the canonical term.
    Keyword {
        rule: usize,
        tier: Tier,
        term: String,
    },
    /// A candidate word of the validator of `rules` (see [`validators::Validator::words`]),
    /// judged by each rule in precedence order.
    Candidate { rules: Vec<usize> },
}

impl RuleSet {
    /// The built-in rules.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::load(&RuleSource::default())
    }

    /// The rules of `source`.
    pub fn load(source: &RuleSource) -> Result<RuleSet, RuleError> {
        RuleSet::new(source.rules()?)
    }

    /// A digest of everything in the rule set that shapes findings: stored findings made under
    /// another digest are not reused.
    pub fn digest(&self) -> String {
        let text = format!("{:?}", self.rules);
        blake3::hash(text.as_bytes()).to_hex().to_string()
    }

    /// Compiles a rule set. Rules are tried in order of priority, highest first, then of id.
    pub fn new(mut rules: Vec<Rule>) -> Result<RuleSet, RuleError> {
        rules::refuse_duplicates(&rules)?;
        rules.sort_by(|a, b| b.priority.cmp(&a.priority).then_with(|| a.id.cmp(&b.id)));
        let mut patterns = Vec::new();
        let mut pattern_rules: Vec<Vec<usize>> = Vec::new();
        let mut pattern_starts = Vec::new();
        let mut terms = Vec::new();
        let mut variants = Vec::new();
        let mut word_terms: std::collections::HashMap<String, usize> = Default::default();
        for (i, rule) in rules.iter().enumerate() {
            for p in &rule.patterns {
                let starts = first_bytes(p)?;
                let pattern = match rule.boundary {
                    Boundary::Alphanumeric => guard_word_start(p, starts.as_deref()),
                    Boundary::None => p.clone(),
                };
                // The same pattern of another rule: one pattern, tried for each rule in turn
                // (a second copy doubled the lazy DFA's states for it).
                if let Some(shared) = patterns.iter().position(|q| *q == pattern) {
                    pattern_rules[shared].push(i);
                    continue;
                }
                patterns.push(pattern);
                pattern_rules.push(vec![i]);
                let mut can_start = [starts.is_none(); 256];
                for &b in starts.iter().flatten() {
                    can_start[usize::from(b)] = true;
                }
                pattern_starts.push(can_start);
            }
            if let Some(k) = &rule.keywords {
                let tier = |name| rule.validator.tier(name).expect("keyword tiers");
                let tiered = k
                    .strong
                    .iter()
                    .map(|t| (tier("strong"), t))
                    .chain(k.weak.iter().map(|t| (tier("weak"), t)));
                for (tier, term) in tiered {
                    let lower = term.to_lowercase();
                    for variant in case_variants(&lower) {
                        variants.push(variant);
                        terms.push(Term::Keyword {
                            rule: i,
                            tier,
                            term: lower.clone(),
                        });
                    }
                }
            }
            for word in rule.validator.words() {
                // After a space: a match inside a word (`šķērsiela`) is no candidate.
                let spaced = format!(" {word}");
                match word_terms.get(&spaced) {
                    Some(&t) => {
                        if let Term::Candidate { rules } = &mut terms[t] {
                            rules.push(i);
                        }
                    }
                    None => {
                        word_terms.insert(spaced.clone(), terms.len());
                        variants.push(spaced);
                        terms.push(Term::Candidate { rules: vec![i] });
                    }
                }
            }
        }
        refuse_hidden_words(&rules, &variants, &terms)?;
        let regex = if patterns.is_empty() {
            None
        } else {
            Some(
                Regex::builder()
                    .syntax(syntax::Config::new().unicode(false).utf8(false))
                    .configure(meta::Config::new().hybrid_cache_capacity(LAZY_DFA_CACHE))
                    .build_many(&patterns)
                    .map_err(|e| RuleError::Compile(e.to_string()))?,
            )
        };
        let keywords = if variants.is_empty() {
            None
        } else {
            let automaton = Literals::new(&variants).map_err(RuleError::Compile)?;
            Some(KeywordMatcher { automaton, terms })
        };
        let contexts = rules
            .iter()
            .map(|r| r.context.as_ref().map(ContextMatcher::new).transpose())
            .collect::<Result<_, _>>()
            .map_err(|e: aho_corasick::BuildError| RuleError::Compile(e.to_string()))?;
        let word_rules = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.validator.candidates == Candidates::CapitalisedWords)
            .map(|(i, _)| i)
            .collect();
        for rule in &rules {
            rule.validator.prepare();
        }
        Ok(RuleSet {
            rules,
            regex,
            pattern_rules,
            pattern_starts,
            keywords,
            word_rules,
            contexts,
        })
    }

    /// The rules, in precedence order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// A per-thread detector.
    pub fn detector(&self) -> Detector<'_> {
        Detector {
            set: self,
            cache: self.regex.as_ref().map(Regex::create_cache),
            keyword_cache: self.keywords.as_ref().map(|k| k.automaton.cache()),
            contexts: self.rules.iter().map(|_| Default::default()).collect(),
        }
    }
}

/// Refuses a keyword term and a candidate word (after its space) that one automaton match
/// could cover both of: the automaton finds the longest match at a position and goes on after
/// it, so a keyword that starts alike with the word (`iel`, ` iela`), or that holds a space
/// followed by the word's start, would hide one of them.
fn refuse_hidden_words(
    rules: &[Rule],
    variants: &[String],
    terms: &[Term],
) -> Result<(), RuleError> {
    let (words, keywords): (Vec<_>, Vec<_>) = variants
        .iter()
        .zip(terms)
        .partition(|(_, t)| matches!(t, Term::Candidate { .. }));
    for (keyword, term) in &keywords {
        let Term::Keyword { rule, .. } = term else {
            unreachable!("partitioned")
        };
        let starts = std::iter::once(0).chain(keyword.match_indices(' ').map(|(i, _)| i));
        for at in starts {
            let tail = &keyword[at..];
            let hidden = words.iter().find(|(word, _)| {
                let word = if at == 0 { &word[1..] } else { word.as_str() };
                word.starts_with(tail) || tail.starts_with(word)
            });
            if let Some((word, _)) = hidden {
                return Err(RuleError::Invalid {
                    id: rules[*rule].id.clone(),
                    message: format!(
                        "keyword `{keyword}` and the candidate word `{}` overlap: the keyword \
                         automaton would find only one of them",
                        word.trim_start()
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The bytes every match of `pattern` starts with, or `None` when the pattern does not bound
/// them (a class too large, or a match that may be empty).
fn first_bytes(pattern: &str) -> Result<Option<Vec<u8>>, RuleError> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| RuleError::Compile(e.to_string()))?;
    let prefixes = literal::Extractor::new()
        .kind(literal::ExtractKind::Prefix)
        .limit_class(256)
        .limit_literal_len(1)
        .extract(&hir);
    Ok(prefixes.literals().and_then(|starts| {
        let firsts: Option<Vec<u8>> = starts
            .iter()
            .map(|l| l.as_bytes().first().copied())
            .collect();
        firsts.filter(|f| !f.is_empty())
    }))
}

/// A pattern whose every match starts with an ASCII letter or digit (`starts`, its first
/// bytes), prefixed with an ASCII word boundary, so that the regex engine itself skips starts
/// inside a run of letters and digits. The rule's boundary check (in Rust, Unicode-aware) would
/// reject them anyway; without the guard, each start inside a long run of digits is a candidate
/// of its own, rejected one by one (`LV00BANK3071269749820` took 2 µs a byte). Other patterns
/// are left alone.
fn guard_word_start(pattern: &str, starts: Option<&[u8]>) -> String {
    if starts.is_some_and(|starts| starts.iter().all(u8::is_ascii_alphanumeric)) {
        format!("(?-u:\\b)(?:{pattern})")
    } else {
        pattern.to_string()
    }
}

/// The lower-case, Capitalised and UPPER-CASE forms of a term, each also without its
/// diacritics (Latvian is often typed without them), deduplicated.
fn case_variants(lower: &str) -> Vec<String> {
    let mut chars = lower.chars();
    let capitalised: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let cased = [lower.to_string(), capitalised, lower.to_uppercase()];
    let mut out: Vec<String> = cased
        .iter()
        .map(|v| without_diacritics(v).into_owned())
        .chain(cased.iter().cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Scans texts with a [`RuleSet`]; holds the per-thread regex cache.
#[derive(Debug)]
pub struct Detector<'r> {
    set: &'r RuleSet,
    cache: Option<meta::Cache>,
    keyword_cache: Option<LiteralsCache>,
    /// Context scratch space, one per rule.
    contexts: Vec<context::ContextScratch>,
}

impl Detector<'_> {
    /// Finds everything in `text` whose match starts in `report`, appending to `out` in order of
    /// position. Text outside `report` is context only. Regex search starts at `resume` if that
    /// is later than `report.start` (a value accepted in the previous window ended there).
    /// Returns where the next window's search should resume (the end of the last accepted regex
    /// match, if it ran past `report.end`).
    pub fn scan(
        &mut self,
        text: &str,
        report: Range<usize>,
        resume: usize,
        out: &mut Vec<Finding>,
    ) -> usize {
        let first = out.len();
        let next = self.scan_patterns(text, report.clone(), resume, out);
        self.scan_keywords(text, report.clone(), out);
        self.scan_words(text, report, out);
        out[first..].sort_by_key(|f| (f.span.start, f.span.end));
        next
    }

    /// The rules it scans with.
    pub fn rules(&self) -> &[Rule] {
        &self.set.rules
    }

    /// The finding a table cell's `text` is under a header whose column class names `kind`
    /// (`Vārds` → `person_name`): of the first rule of that kind whose validator takes column
    /// values (see [`validators::Validator::column_value`]), at its `column` tier, spanning
    /// the whole text. `None` when no rule takes such values or the text has not the shape.
    pub fn column_finding(&self, kind: &str, text: &str) -> Option<Finding> {
        self.set.rules.iter().enumerate().find_map(|(rule, r)| {
            if r.kind != kind {
                return None;
            }
            let tier = r.validator.tier(validators::COLUMN_TIER)?;
            let value = r.validator.column_value(text)?;
            Some(Finding {
                rule,
                span: 0..text.len(),
                value,
                confidence: r.tier_confidence(tier),
                checks: &["column"],
                attributes: Vec::new(),
                context: None,
            })
        })
    }

    /// Judges `text[span]` as a candidate of rule `rule` alone (validator, boundary, context),
    /// as a scan would if that rule's pattern matched there: a value found elsewhere, judged
    /// again in another context (a table cell under its header).
    pub fn judge(&mut self, text: &str, rule: usize, span: Range<usize>) -> Option<Finding> {
        self.set
            .accept_first(text, &[rule], span.start, span.end, &mut self.contexts)
    }

    fn scan_patterns(
        &mut self,
        text: &str,
        report: Range<usize>,
        resume: usize,
        out: &mut Vec<Finding>,
    ) -> usize {
        let (Some(regex), Some(cache)) = (self.set.regex.as_ref(), self.cache.as_mut()) else {
            return report.end;
        };
        let hay = text.as_bytes();
        let mut pos = report.start.max(resume);
        let mut last_end = report.end;
        while pos < report.end {
            let Some(m) = regex.search_with(cache, &Input::new(hay).range(pos..)) else {
                break;
            };
            if m.start() >= report.end {
                break;
            }
            if !text.is_char_boundary(m.start()) {
                pos = m.start() + 1;
                continue;
            }
            // The first pattern (in rule order) that matches here wins, for the first of its
            // rules that accepts it; if none does, later patterns get their chance at the same
            // start.
            let mut accepted;
            let mut pid = m.pattern().as_usize();
            let mut end = m.end();
            loop {
                let rules = &self.set.pattern_rules[pid];
                accepted = self
                    .set
                    .accept_first(text, rules, m.start(), end, &mut self.contexts);
                if accepted.is_some() {
                    break;
                }
                let starts = &self.set.pattern_starts;
                let Some((next_pid, next_end)) =
                    next_anchored(regex, cache, starts, hay, m.start(), pid)
                else {
                    break;
                };
                pid = next_pid;
                end = next_end;
            }
            match accepted {
                Some(f) => {
                    pos = f.span.end.max(m.start() + 1);
                    last_end = f.span.end.max(report.end);
                    out.push(f);
                }
                None => pos = next_char(text, m.start()),
            }
        }
        last_end
    }

    /// Keyword findings that start at a word start in `report`, and the findings of candidate
    /// words (after their space) that start there; a candidate word inside an accepted one's
    /// span is not judged again.
    fn scan_keywords(&mut self, text: &str, report: Range<usize>, out: &mut Vec<Finding>) {
        let (Some(kw), Some(cache)) = (&self.set.keywords, self.keyword_cache.as_mut()) else {
            return;
        };
        // From the space before the report, if there is one: a candidate word's space.
        let from = match report.start.checked_sub(1) {
            Some(before) if text.as_bytes()[before] == b' ' => before,
            _ => report.start,
        };
        let mut taken = 0;
        for m in kw.automaton.find_iter(cache, text.as_bytes(), from) {
            let (start, end) = (m.start, m.end);
            match &kw.terms[m.literal] {
                Term::Keyword { rule, tier, term } => {
                    if start >= report.end {
                        break;
                    }
                    let inside_a_word = text[..start]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric);
                    if start < report.start || inside_a_word {
                        continue;
                    }
                    out.push(Finding {
                        rule: *rule,
                        span: start..end,
                        value: term.clone(),
                        confidence: self.set.rules[*rule].tier_confidence(*tier),
                        checks: &["keyword"],
                        attributes: Vec::new(),
                        context: None,
                    });
                }
                Term::Candidate { rules } => {
                    // The word starts after its space.
                    let start = start + 1;
                    if start >= report.end {
                        break;
                    }
                    if start < taken {
                        continue;
                    }
                    let found = self
                        .set
                        .accept_first(text, rules, start, end, &mut self.contexts);
                    if let Some(f) = found {
                        taken = f.span.end;
                        out.push(f);
                    }
                }
            }
        }
    }
}

impl Detector<'_> {
    /// Offers every capitalised word that starts in `report` to the word rules (names); a
    /// word inside an accepted name is not offered again.
    fn scan_words(&mut self, text: &str, report: Range<usize>, out: &mut Vec<Finding>) {
        if self.set.word_rules.is_empty() {
            return;
        }
        let bytes = text.as_bytes();
        let mut pos = report.start;
        let mut taken = 0;
        while let Some(at) = next_word_start_candidate(bytes, pos, report.end) {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                pos = at + 1;
                continue;
            };
            let word_start = c.is_uppercase()
                && !(before.is_some_and(|b| b >= 0x80)
                    && text[..at]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric));
            let end = at + c.len_utf8();
            let rules = &self.set.rules;
            let wanted = || {
                self.set
                    .word_rules
                    .iter()
                    .any(|&rule| rules[rule].validator.may_start_a_candidate(&bytes[at..]))
            };
            if !word_start || !wanted() {
                pos = end;
                continue;
            }
            let word_end = letters_end(text, end);
            pos = word_end;
            for &rule in &self.set.word_rules {
                let found = self
                    .set
                    .accept_first(text, &[rule], at, word_end, &mut self.contexts)
                    .filter(|f| f.span.start >= taken);
                if let Some(f) = found {
                    taken = f.span.end;
                    pos = f.span.end;
                    out.push(f);
                    break;
                }
            }
            if pos >= report.end {
                break;
            }
        }
    }
}

/// Whether `b` may start a capital letter: `A-Z`, or the lead byte of the Latin Extended-A
/// block that holds the Latvian capitals (`Ā`...`Ž`, lead bytes `0xC4`, `0xC5`).
fn may_start_capital(b: u8) -> bool {
    b.wrapping_sub(b'A') < 26 || b & 0xFE == 0xC4
}

/// Whether a word may start after byte `b`: ASCII that is no letter or digit, or the last byte
/// of a quotation mark (`„` `“` `”` `«` `»`). A word after any other non-ASCII character is
/// checked by the caller.
fn may_precede_word(b: u8) -> bool {
    (b < 0x80 && !b.is_ascii_alphanumeric()) || matches!(b, 0x9C | 0x9D | 0x9E | 0xAB | 0xBB)
}

/// The first offset in `from..to` where a capitalised word may start: a byte that may start a
/// capital after one that may precede a word (or at the text's start). Tests 32 bytes at a
/// time (see [`word_starts_mask`]): in Latvian prose most `0xC4`/`0xC5` bytes are inside
/// words (`pašvaldība`) and are passed over there.
fn next_word_start_candidate(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    let candidate =
        |i: usize| may_start_capital(bytes[i]) && (i == 0 || may_precede_word(bytes[i - 1]));
    let mut i = from;
    if i == 0 && i < to {
        if candidate(0) {
            return Some(0);
        }
        i = 1;
    }
    while i + WORD_CHUNK <= to {
        let here = bytes[i..i + WORD_CHUNK].try_into().expect("a chunk");
        let before = bytes[i - 1..i - 1 + WORD_CHUNK]
            .try_into()
            .expect("a chunk");
        let mask = word_starts_mask(here, before);
        if mask != 0 {
            return Some(i + mask.trailing_zeros() as usize);
        }
        i += WORD_CHUNK;
    }
    (i..to).find(|&j| candidate(j))
}

/// Bytes tested at once for a word start.
const WORD_CHUNK: usize = 32;

/// Bit `j` set where `here[j]` may start a capital and `before[j]` (the byte before it) may
/// precede a word: [`may_start_capital`] and [`may_precede_word`] on vector registers, 32
/// bytes in about twenty AVX2 instructions, or twice as many SSE2 ones (SSE2 is part of every
/// x86-64 processor; AVX2 is checked for once and remembered by `std`).
#[cfg(target_arch = "x86_64")]
fn word_starts_mask(here: &[u8; WORD_CHUNK], before: &[u8; WORD_CHUNK]) -> u32 {
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2.
        unsafe { simd::word_starts_mask_avx2(here, before) }
    } else {
        word_starts_mask_sse2(here, before)
    }
}

/// [`word_starts_mask`] in two SSE2 halves.
#[cfg(target_arch = "x86_64")]
fn word_starts_mask_sse2(here: &[u8; WORD_CHUNK], before: &[u8; WORD_CHUNK]) -> u32 {
    let (here, before) = (here.as_chunks::<16>().0, before.as_chunks::<16>().0);
    // SAFETY: SSE2 is in the baseline of every x86-64 target.
    unsafe {
        simd::word_starts_mask_sse2(&here[0], &before[0])
            | simd::word_starts_mask_sse2(&here[1], &before[1]) << 16
    }
}

/// The vector forms of [`word_starts_mask`], one body for both register widths.
#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    macro_rules! word_starts_mask {
        ($name:ident, $feature:literal, $width:literal, $load:ident, $set1:ident, $sub:ident,
         $min:ident, $cmpeq:ident, $cmpgt:ident, $and:ident, $or:ident, $andnot:ident,
         $movemask:ident) => {
            /// See `word_starts_mask`.
            #[target_feature(enable = $feature)]
            pub(super) fn $name(here: &[u8; $width], before: &[u8; $width]) -> u32 {
                macro_rules! splat {
                    ($b:expr) => {
                        $set1(i8::from_ne_bytes([$b]))
                    };
                }
                // Lanes where `v - low` is at most `span` (unsigned): bytes in
                // `low..=low + span`.
                macro_rules! within {
                    ($v:expr, $low:expr, $span:expr) => {{
                        let d = $sub($v, splat!($low));
                        $cmpeq($min(d, splat!($span)), d)
                    }};
                }
                // SAFETY: unaligned loads from references to arrays of the register's width.
                let (b, p) =
                    unsafe { ($load(here.as_ptr().cast()), $load(before.as_ptr().cast())) };
                let capital = $or(
                    within!(b, b'A', 25),
                    $cmpeq($and(b, splat!(0xFE)), splat!(0xC4)),
                );
                let ascii = $cmpgt(p, splat!(0xFF));
                let alphanumeric =
                    $or(within!(p, b'0', 9), within!($or(p, splat!(0x20)), b'a', 25));
                let quote = $or(
                    within!(p, 0x9C, 2),
                    $or($cmpeq(p, splat!(0xAB)), $cmpeq(p, splat!(0xBB))),
                );
                let precedes = $or($andnot(alphanumeric, ascii), quote);
                $movemask($and(capital, precedes)) as u32
            }
        };
    }

    word_starts_mask!(
        word_starts_mask_sse2,
        "sse2",
        16,
        _mm_loadu_si128,
        _mm_set1_epi8,
        _mm_sub_epi8,
        _mm_min_epu8,
        _mm_cmpeq_epi8,
        _mm_cmpgt_epi8,
        _mm_and_si128,
        _mm_or_si128,
        _mm_andnot_si128,
        _mm_movemask_epi8
    );
    word_starts_mask!(
        word_starts_mask_avx2,
        "avx2",
        32,
        _mm256_loadu_si256,
        _mm256_set1_epi8,
        _mm256_sub_epi8,
        _mm256_min_epu8,
        _mm256_cmpeq_epi8,
        _mm256_cmpgt_epi8,
        _mm256_and_si256,
        _mm256_or_si256,
        _mm256_andnot_si256,
        _mm256_movemask_epi8
    );
}

/// Bit `j` set where `here[j]` may start a capital and `before[j]` may precede a word.
#[cfg(not(target_arch = "x86_64"))]
fn word_starts_mask(here: &[u8; WORD_CHUNK], before: &[u8; WORD_CHUNK]) -> u32 {
    word_starts_mask_bytes(here, before)
}

/// [`word_starts_mask`] a byte at a time: on other processors, and the vector tests' reference.
#[cfg(any(not(target_arch = "x86_64"), test))]
fn word_starts_mask_bytes(here: &[u8; WORD_CHUNK], before: &[u8; WORD_CHUNK]) -> u32 {
    (0..WORD_CHUNK).fold(0, |mask, j| {
        mask | u32::from(may_start_capital(here[j]) && may_precede_word(before[j])) << j
    })
}

/// The end of the run of letters at `at` (ASCII letters without decoding).
pub(crate) fn letters_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphabetic() {
            i += 1;
        } else if b < 0x80 {
            return i;
        } else if matches!(b, 0xC4 | 0xC5 | 0xD0 | 0xD1) {
            // Latin Extended-A (`ā`...`ž`) and the basic Cyrillic block: letters all.
            i += 2;
        } else {
            match text[i..].chars().next() {
                Some(c) if c.is_alphabetic() => i += c.len_utf8(),
                _ => return i,
            }
        }
    }
    i
}

/// The next pattern after `after` (in precedence order) that matches anchored at `start`;
/// patterns that cannot start with the byte there (`starts`) are not searched.
fn next_anchored(
    regex: &Regex,
    cache: &mut meta::Cache,
    starts: &[[bool; 256]],
    hay: &[u8],
    start: usize,
    after: usize,
) -> Option<(usize, usize)> {
    let first = usize::from(hay[start]);
    (after + 1..regex.pattern_len())
        .filter(|&pid| starts[pid][first])
        .find_map(|pid| {
            let input = Input::new(hay)
                .range(start..)
                .anchored(Anchored::Pattern(PatternID::new_unchecked(pid)));
            regex.search_with(cache, &input).map(|m| (pid, m.end()))
        })
}

/// The byte index of the character after the one at `i`.
fn next_char(text: &str, i: usize) -> usize {
    i + text[i..].chars().next().map_or(1, char::len_utf8)
}

impl RuleSet {
    /// The first of `rules` (in precedence order) that accepts the candidate at `start..end`:
    /// validator, boundary, context. Rules that share a validator (a person's and an
    /// organisation's address) share its verdict, reached once.
    fn accept_first(
        &self,
        text: &str,
        rules: &[usize],
        start: usize,
        end: usize,
        contexts: &mut [context::ContextScratch],
    ) -> Option<Finding> {
        let mut verdict: Option<(&validators::Validator, Option<validators::Validated>)> = None;
        for &rule in rules {
            let validator = self.rules[rule].validator;
            if verdict
                .as_ref()
                .is_none_or(|(shared, _)| *shared != validator)
            {
                verdict = Some((validator, validator.validate(text, start, end)));
            }
            let Some((_, Some(v))) = &verdict else {
                continue;
            };
            if let Some((span, confidence, context)) =
                self.judge_validated(text, rule, start, v, &mut contexts[rule])
            {
                let Some((_, Some(v))) = verdict else {
                    unreachable!("judged a verdict")
                };
                return Some(Finding {
                    rule,
                    span,
                    value: v.value,
                    confidence,
                    checks: v.checks,
                    attributes: v.attributes,
                    context,
                });
            }
        }
        None
    }

    /// The span, confidence and context evidence of rule `rule`'s finding, when its validator
    /// accepted the candidate at `start` as `v` and its boundary and context allow it.
    fn judge_validated(
        &self,
        text: &str,
        rule: usize,
        start: usize,
        v: &validators::Validated,
        context: &mut context::ContextScratch,
    ) -> Option<(Range<usize>, Confidence, Option<ContextEvidence>)> {
        let r = &self.rules[rule];
        let start = v.start.unwrap_or(start);
        if r.boundary == Boundary::Alphanumeric && !boundary_ok(text, start, v.end) {
            return None;
        }
        let base = r.tier_confidence(v.tier);
        let (confidence, context) = match &self.contexts[rule] {
            Some(ctx) => ctx.apply(text, start, v.end, base, context)?,
            None => (base, None),
        };
        Some((start..v.end, confidence, context))
    }
}

/// No letter or digit right next to the span, and no separator that continues a longer number
/// (`-`, `.`, `/` followed by a digit on the far side).
fn boundary_ok(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].chars().rev();
    let mut after = text[end..].chars();
    let continues = |sep: Option<char>, next: Option<char>| {
        matches!(sep, Some('-' | '.' | '/')) && next.is_some_and(|c| c.is_ascii_digit())
    };
    let (b1, a1) = (before.next(), after.next());
    if b1.is_some_and(char::is_alphanumeric) || a1.is_some_and(char::is_alphanumeric) {
        return false;
    }
    !continues(b1, before.next()) && !continues(a1, after.next())
}

/// The result of checking one rule's examples.
#[derive(Debug)]
pub struct ExampleFailure {
    /// The rule id.
    pub rule: String,
    /// The example text.
    pub text: String,
    /// What went wrong.
    pub problem: String,
}

impl RuleSet {
    /// Runs every rule's positive and negative examples through the whole rule set (so rules
    /// are tested together, with precedence and boundaries as in a real scan).
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        let mut det = self.detector();
        let mut found = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let mut fail = |text: &str, problem: String| {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    text: text.to_string(),
                    problem,
                })
            };
            for ex in &rule.examples {
                found.clear();
                det.scan(&ex.text, 0..ex.text.len(), 0, &mut found);
                let hit = found
                    .iter()
                    .find(|f| f.rule == i && ex.text[f.span.clone()] == ex.expect);
                match hit {
                    None => {
                        let got: Vec<_> = found
                            .iter()
                            .map(|f| {
                                format!("{}:{:?}", self.rules[f.rule].id, &ex.text[f.span.clone()])
                            })
                            .collect();
                        fail(&ex.text, format!("expected {:?}, found {got:?}", ex.expect));
                    }
                    Some(f) if f.confidence != ex.confidence => fail(
                        &ex.text,
                        format!(
                            "{:?} found at {} confidence, expected {}",
                            ex.expect, f.confidence, ex.confidence
                        ),
                    ),
                    Some(_) => {}
                }
            }
            for ex in &rule.negative_examples {
                found.clear();
                det.scan(ex.text(), 0..ex.text().len(), 0, &mut found);
                let limit = ex.max_confidence();
                if let Some(f) = found
                    .iter()
                    .find(|f| f.rule == i && limit.is_none_or(|l| f.confidence > l))
                {
                    fail(
                        ex.text(),
                        format!(
                            "must not find {:?} at {} confidence",
                            &ex.text()[f.span.clone()],
                            f.confidence
                        ),
                    );
                }
            }
        }
        failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_that_start_with_a_letter_or_digit_get_a_word_start_guard() {
        let guarded = |p: &str| {
            guard_word_start(p, first_bytes(p).unwrap().as_deref()).starts_with("(?-u:\\b)")
        };
        assert!(guarded("[0-3][0-9][01][0-9]{3}-?[0-2][0-9]{4}"));
        assert!(guarded("(?:LV ?)?[459][0-9]{10}"));
        assert!(guarded("[A-Z]{2}[0-9]{2}(?:[ \\-]?[A-Z0-9]{4}){2,7}"));
        assert!(!guarded(
            "(?:\\+|\\(\\+|00371[ \\-]?)[0-9][0-9 \\-()]{5,20}[0-9]"
        ));
        assert!(!guarded("[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}"));
    }

    #[test]
    fn first_bytes_bound_where_a_pattern_can_start() {
        let sorted = |p: &str| {
            first_bytes(p).unwrap().map(|mut b| {
                b.sort_unstable();
                b.dedup();
                String::from_utf8(b).unwrap()
            })
        };
        assert_eq!(sorted("(?:LV ?)?[459][0-9]{10}").as_deref(), Some("459L"));
        assert_eq!(
            sorted("(?:\\+|\\(\\+|00371[ \\-]?)[0-9]").as_deref(),
            Some("(+0")
        );
        // A match that may be empty bounds nothing; a look-around takes no byte.
        assert_eq!(sorted("[0-9]*x?"), None);
        assert_eq!(sorted("\\bab").as_deref(), Some("a"));
    }

    /// Regression: each start inside a long run of digits was a candidate of its own (2 µs a
    /// byte on a column of invalid account numbers). Values glued to letters or digits are
    /// still not found; values after a non-ASCII letter are still judged by the Rust check.
    #[test]
    fn capitalised_word_starts_are_candidates_and_letters_inside_words_are_not() {
        let starts = |text: &str| {
            let mut found = Vec::new();
            let mut at = 0;
            while let Some(i) = next_word_start_candidate(text.as_bytes(), at, text.len()) {
                found.push(i);
                at = i + 1;
            }
            found
        };
        // `š`, `ī` and `Ž` inside words are passed over; a capital after a blank, a quotation
        // mark or the text's start is a candidate, in short texts and past the 16-byte chunks.
        let text = "pašvaldības lēmums ŽŪRIJA";
        assert_eq!(starts(text), [text.find('Ž').unwrap()]);
        let text = "Ēriks un „Jānis“ un ĀBOLS";
        assert_eq!(
            starts(text),
            [0, text.find('J').unwrap(), text.find('Ā').unwrap()]
        );
        let long = format!("{} Ģirts", "pašvaldībā ".repeat(5));
        assert_eq!(starts(&long), [long.len() - "Ģirts".len()]);
        assert!(starts("rakstiet uz janisBērziņš").is_empty());
    }

    #[test]
    fn starts_inside_a_run_are_not_candidates() {
        let set = RuleSet::builtin().unwrap();
        let kinds = |text: &str| {
            let mut out = Vec::new();
            set.detector().scan(text, 0..text.len(), 0, &mut out);
            out.iter()
                .map(|f| set.rules()[f.rule].kind.clone())
                .collect::<Vec<_>>()
        };
        assert!(kinds("LV00BANK3071269749820 x26123456 161175199971").is_empty());
        assert!(kinds("ā161175-19997").is_empty());
        assert_eq!(kinds("(161175-19997)"), ["lv_personal_code"]);
    }

    fn scan(text: &str) -> Vec<(String, String, Confidence)> {
        let set = RuleSet::builtin().unwrap();
        let mut det = set.detector();
        let mut out = Vec::new();
        det.scan(text, 0..text.len(), 0, &mut out);
        out.into_iter()
            .map(|f| {
                (
                    set.rules()[f.rule].kind.clone(),
                    text[f.span].to_string(),
                    f.confidence,
                )
            })
            .collect()
    }

    #[test]
    fn builtin_examples_pass() {
        let set = RuleSet::builtin().unwrap();
        let failures = set.check_examples();
        assert!(failures.is_empty(), "{failures:#?}");
    }

    fn kinds(text: &str) -> Vec<String> {
        scan(text).into_iter().map(|f| f.0).collect()
    }

    #[test]
    fn rules_that_give_the_same_pattern_share_it() {
        let set = RuleSet::builtin().unwrap();
        let shared: Vec<Vec<&str>> = set
            .pattern_rules
            .iter()
            .filter(|rules| rules.len() > 1)
            .map(|rules| rules.iter().map(|&r| set.rules[r].id.as_str()).collect())
            .collect();
        let both = vec!["organisation_address", "postal_address"];
        assert_eq!(shared, std::slice::from_ref(&both));
        // Their validator's candidate words (street types) are one term for both, in order.
        let keywords = set.keywords.as_ref().unwrap();
        let ids = |rules: &[usize]| -> Vec<&str> {
            rules.iter().map(|&r| set.rules[r].id.as_str()).collect()
        };
        let words: Vec<Vec<&str>> = keywords
            .terms
            .iter()
            .filter_map(|t| match t {
                Term::Candidate { rules } => Some(ids(rules)),
                Term::Keyword { .. } => None,
            })
            .collect();
        assert!(!words.is_empty());
        assert!(words.iter().all(|w| *w == both));
        assert_eq!(
            set.regex.as_ref().unwrap().pattern_len(),
            set.pattern_rules.len()
        );
        // The organisation's rule is tried first; without its words, the person's takes it.
        assert_eq!(kinds("dzīvo Brīvības ielā 5"), ["postal_address"]);
        assert_eq!(
            kinds("SIA \"Ābols\", Brīvības ielā 5"),
            ["organisation_address"]
        );
    }

    /// Street types are candidates after a space in each case form, lower-case or in
    /// capitals, with or without diacritics; inside a word (`Šķērsiela`), capitalised
    /// (`Iela 5` starts a sentence) or without a house number they are not addresses.
    #[test]
    fn street_types_are_candidate_words_after_a_space() {
        for text in [
            "dzīvo Brīvības ielā 5",
            "dzīvo Brivibas iela 5",
            "dzīvo BRĪVĪBAS IELĀ 5",
            "dzīvo BRIVIBAS IELA 5",
            "dzīvo Krišjāņa Valdemāra gatvē 7",
            "dzīvo Rīgas bulv. 3",
            "dzīvo Maskavas šosejā 12",
            "dzīvo Maskavas sosejas 12",
        ] {
            assert_eq!(kinds(text), ["postal_address"], "{text}");
        }
        for text in [
            "Šķērsiela 5 ir slēgta.",
            "Gaismas ielā notiks svētki.",
            "Brīvības Iela 5",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
        // At a window's start, the word's space is just before the report range.
        let set = RuleSet::builtin().unwrap();
        let mut det = set.detector();
        let text = "dzīvo Brīvības ielā 5";
        let at = text.find("ielā").unwrap();
        let mut out = Vec::new();
        det.scan(text, at..text.len(), 0, &mut out);
        assert!(out.iter().any(|f| set.rules[f.rule].id == "postal_address"));
        out.clear();
        det.scan(text, 0..at, 0, &mut out);
        assert!(!out.iter().any(|f| set.rules[f.rule].id == "postal_address"));
    }

    /// A keyword that one automaton match would share with a candidate word is refused: the
    /// automaton would find only one of them.
    #[test]
    fn a_keyword_that_hides_a_candidate_word_is_refused() {
        let rule = |keyword: &str| {
            format!(
                "id = \"x\"\nname = \"X\"\nkind = \"special_health\"\ncategory = \"special_category\"\n\
                 description = \"x\"\nvalidator = \"keyword\"\nnegative_examples = [\"a\"]\n\
                 [keywords]\nstrong = [\"{keyword}\"]\nweak = []\n[confidence]\nstrong = \"medium\"\n\
                 weak = \"low\"\n[[examples]]\ntext = \"{keyword}\"\nexpect = \"{keyword}\"\nconfidence = \"medium\"\n"
            )
        };
        let with = |keyword: &str| {
            let mut rules = RuleSource::default().rules().unwrap();
            rules.push(rules::parse_rule("x.toml", &rule(keyword)).unwrap());
            RuleSet::new(rules)
        };
        for hiding in ["iel", "ielaicin", "iet uz ielu"] {
            let refused = with(hiding).unwrap_err().to_string();
            assert!(refused.contains("overlap"), "{hiding}: {refused}");
        }
        if let Err(e) = with("pieteikum") {
            panic!("no street type starts alike: {e}");
        }
    }

    proptest::proptest! {
        /// The SSE2 word-start test agrees with the byte-by-byte one.
        #[test]
        fn word_start_masks_agree_with_the_byte_tests(
            here in proptest::array::uniform32(proptest::prelude::any::<u8>()),
            before in proptest::array::uniform32(proptest::prelude::any::<u8>()),
        ) {
            let bytes = word_starts_mask_bytes(&here, &before);
            proptest::prop_assert_eq!(word_starts_mask(&here, &before), bytes);
            #[cfg(target_arch = "x86_64")]
            proptest::prop_assert_eq!(word_starts_mask_sse2(&here, &before), bytes);
        }
    }

    #[test]
    fn a_value_judged_again_under_its_label_gets_the_labels_confidence() {
        let set = RuleSet::builtin().unwrap();
        let phone = set.rules.iter().position(|r| r.id == "phone").unwrap();
        let mut detector = set.detector();
        let bare = detector.judge("26566847", phone, 0..8).unwrap();
        let labelled = detector.judge("Tālrunis: 26566847", phone, 11..19).unwrap();
        assert_eq!(bare.confidence, Confidence::Low);
        assert_eq!(labelled.confidence, Confidence::High);
        assert_eq!(labelled.value, "+37126566847");
        assert!(
            detector
                .judge("Tālrunis: 12345678", phone, 11..19)
                .is_none()
        );
    }

    #[test]
    fn card_wins_over_a_personal_code_prefix() {
        assert_eq!(kinds("karte 4111111111111111 derīga"), ["payment_card"]);
    }

    #[test]
    fn company_number_is_not_a_phone() {
        assert_eq!(kinds("Reģ. Nr. 90000528023"), ["lv_company_code"]);
    }

    #[test]
    fn pieces_of_longer_numbers_are_not_found() {
        assert!(scan("12-161175-19997").is_empty());
        assert!(scan("161175-19997.5").is_empty());
        assert!(scan("A161175-19997").is_empty());
    }

    #[test]
    fn smart_id_semantics_identifier() {
        assert_eq!(kinds("PNOLV-329999-99901"), ["lv_personal_code"]);
    }

    #[test]
    fn report_range_limits_starts_not_context() {
        let set = RuleSet::builtin().unwrap();
        let mut det = set.detector();
        let text = "Personas kods: 161175-19997";
        let at = text.find("161175").unwrap();
        let mut out = Vec::new();
        det.scan(text, at..text.len(), 0, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].confidence, Confidence::High);
        out.clear();
        det.scan(text, 0..at, 0, &mut out);
        assert!(
            out.iter()
                .all(|f| set.rules()[f.rule].kind != "lv_personal_code")
        );
    }

    #[test]
    fn case_variants_cover_latvian_capitals_and_plain_letters() {
        let mut expected = vec!["Ārsts", "ārsts", "ĀRSTS", "Arsts", "arsts", "ARSTS"];
        expected.sort();
        assert_eq!(case_variants("ārsts"), expected);
        assert_eq!(without_diacritics("Tālrunis ŠĶĒRSTS"), "Talrunis SKERSTS");
        assert!(matches!(
            without_diacritics("e-pasts"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
