//! The search box's query analysis, in Rust: a twin of `analyse` in
//! `themes/default/static/search.js` (with `foldText`, `scriptRuns`, `splitCjk` and
//! `termsWithPrefix`), step for step, from the same inputs the script gets from the
//! index (`search/index.js`'s sorted `terms` and `stop`, `search/fold.js`'s table).
//!
//! Why a twin: the splitter runs only in the browser, where a fuzzer cannot reach it.
//! This file is fuzzed (`src/fuzz/`), and `tests/external/query_split.rs` runs
//! thousands of queries through both and asserts they agree, so what the fuzzer
//! proves of the twin holds for the script. It uses only `std`, because that test
//! includes this file as a module of its own (the library's items are not public).
//!
//! JavaScript's rules are kept where they differ from Rust's: `\s` and `trim` are
//! ECMAScript's white space (U+FEFF yes, U+0085 no), strings compare by UTF-16 code
//! units, and costs are the same `f64` sums.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// What the script's `store` holds for analysing a query.
pub(crate) struct QueryStore {
    /// Sorted as the index lists them (by code point), searched by UTF-16 order as
    /// the script does.
    terms: Vec<String>,
    vocabulary: HashSet<String>,
    stop: HashSet<char>,
    max_cjk_length: usize,
    fold: HashMap<char, char>,
}

/// One query, analysed: what `analyse` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Analysis {
    /// Lower-cased, folded, spaces collapsed and trimmed.
    pub(crate) normalized: String,
    /// `normalized` split at its spaces.
    pub(crate) parts: Vec<String>,
    /// Each slot's alternative terms (a document must match one of each slot).
    pub(crate) slots: Vec<Vec<String>>,
    /// The characters of CJK runs that no term covers, stop characters aside.
    pub(crate) missing: Vec<char>,
}

/// A piece of a CJK run as split: a vocabulary term, or a character left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    Term(String),
    Dropped(char),
}

/// The longest CJK term the splitter tries.
const MAX_CJK_LENGTH: usize = 24;

impl QueryStore {
    /// `terms` as `index.js` lists them, `stop` its stop characters, `fold` the two
    /// strings of `fold.js` (`None`: an index without a fold table).
    pub(crate) fn new(terms: Vec<String>, stop: &str, fold: Option<(&str, &str)>) -> Self {
        let mut longest = 1;
        for term in &terms {
            let length = term.chars().count();
            if length > longest && term.chars().any(is_cjk) {
                longest = length;
            }
        }
        QueryStore {
            vocabulary: terms.iter().cloned().collect(),
            terms,
            stop: stop.chars().collect(),
            max_cjk_length: longest.min(MAX_CJK_LENGTH),
            fold: fold
                .map(|(from, to)| from.chars().zip(to.chars()).collect())
                .unwrap_or_default(),
        }
    }

    pub(crate) fn has(&self, term: &str) -> bool {
        self.vocabulary.contains(term)
    }

    pub(crate) fn is_stop(&self, c: char) -> bool {
        self.stop.contains(&c)
    }

    /// `foldText`: each Traditional character made Simplified.
    pub(crate) fn fold_text(&self, value: &str) -> String {
        value
            .chars()
            .map(|c| self.fold.get(&c).copied().unwrap_or(c))
            .collect()
    }

    /// `termsWithPrefix`: at most `limit` terms starting with `prefix`, from a binary
    /// search in UTF-16 order.
    pub(crate) fn terms_with_prefix(&self, prefix: &str, limit: usize) -> Vec<String> {
        let (mut lo, mut hi) = (0, self.terms.len());
        while lo < hi {
            let mid = (lo + hi) >> 1;
            if utf16_cmp(&self.terms[mid], prefix) == Ordering::Less {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        self.terms[lo..]
            .iter()
            .take_while(|t| t.starts_with(prefix))
            .take(limit)
            .cloned()
            .collect()
    }

    /// `splitCjk`, with the characters left out kept in place: the fewest pieces and,
    /// of equally few, fewer single-character terms and longer earlier pieces; a
    /// character that is not a term on its own may be left out.
    pub(crate) fn split_cjk(&self, run: &str) -> Vec<Piece> {
        let chars: Vec<char> = run.chars().collect();
        let n = chars.len();
        // best[i]: (cost, next, is a term) for chars[i..].
        let mut best: Vec<(f64, usize, bool)> = vec![(0.0, n, false); n + 1];
        let mut piece = String::new();
        for i in (0..n).rev() {
            let mut choice: Option<(f64, usize, bool)> = None;
            for j in ((i + 1)..=n.min(i + self.max_cjk_length)).rev() {
                piece.clear();
                piece.extend(&chars[i..j]);
                if self.vocabulary.contains(&piece) {
                    let cost = best[j].0 + if j - i > 1 { 1.0 } else { 1.01 };
                    if choice.is_none_or(|c| cost < c.0 - 1e-9) {
                        choice = Some((cost, j, true));
                    }
                }
            }
            let skip = best[i + 1].0 + 1.005;
            let single = self
                .vocabulary
                .contains(chars[i].encode_utf8(&mut [0; 4]) as &str);
            if !single && choice.is_none_or(|c| skip < c.0 - 1e-9) {
                choice = Some((skip, i + 1, false));
            }
            // Some: a character that is a term on its own can always be taken.
            best[i] = choice.unwrap_or((f64::INFINITY, i + 1, false));
        }
        let mut pieces = Vec::new();
        let mut i = 0;
        while i < n {
            let (_, next, term) = best[i];
            pieces.push(if term {
                Piece::Term(chars[i..next].iter().collect())
            } else {
                Piece::Dropped(chars[i])
            });
            i = next;
        }
        pieces
    }

    /// `analyse`: the query as slots, parts and missing characters.
    pub(crate) fn analyse(&self, query: &str) -> Analysis {
        let lower = query.to_lowercase();
        let collapsed = collapse_js_spaces(lower.trim_matches(is_js_space));
        let normalized = self.fold_text(&collapsed);
        let parts = if normalized.is_empty() {
            Vec::new()
        } else {
            normalized.split(' ').map(str::to_string).collect()
        };
        let mut slots: Vec<Vec<String>> = Vec::new();
        let mut seen: HashSet<Vec<String>> = HashSet::new();
        let mut missing = Vec::new();
        let mut add = |terms: Vec<String>| {
            if !terms.is_empty() && seen.insert(terms.clone()) {
                slots.push(terms);
            }
        };
        for (cjk, run) in script_runs(&normalized) {
            if !cjk {
                if self.has(&run) {
                    add(vec![run]);
                } else {
                    add(self.terms_with_prefix(&run, 12)); // a word still being typed
                }
                continue;
            }
            for piece in self.split_cjk(&run) {
                match piece {
                    Piece::Term(term) => add(vec![term]),
                    Piece::Dropped(c) if !self.is_stop(c) => missing.push(c),
                    Piece::Dropped(_) => {}
                }
            }
        }
        Analysis {
            normalized,
            parts,
            slots,
            missing,
        }
    }
}

/// The script's `CJK` class.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// The script's `LATIN` class, `[\p{Alphabetic}\p{N}]`.
pub(crate) fn is_latin(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// `scriptRuns`: the runs of CJK (`true`) and of letters and digits (`false`), in
/// order; everything else separates them.
pub(crate) fn script_runs(text: &str) -> Vec<(bool, String)> {
    let mut runs: Vec<(bool, String)> = Vec::new();
    let mut current: Option<(Option<bool>, String)> = None;
    for c in text.chars() {
        let kind = if is_cjk(c) {
            Some(true)
        } else if is_latin(c) {
            Some(false)
        } else {
            None
        };
        match &mut current {
            Some((k, run)) if *k == kind => run.push(c),
            _ => {
                if let Some((Some(k), run)) = current.take() {
                    runs.push((k, run));
                }
                current = Some((kind, c.to_string()));
            }
        }
    }
    if let Some((Some(k), run)) = current {
        runs.push((k, run));
    }
    runs
}

/// ECMAScript's white space and line terminators: what `\s` and `trim` match.
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// `replace(/\s+/g, " ")`.
fn collapse_js_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if is_js_space(c) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// How JavaScript compares strings: by UTF-16 code units.
fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> QueryStore {
        let mut terms: Vec<String> = ["售后", "退货", "退款", "运费", "包邮", "好", "abc", "abd"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        terms.sort();
        QueryStore::new(terms, "的了", Some(("貨運費", "货运费")))
    }

    #[test]
    fn folds_splits_and_reports_missing() {
        let a = store().analyse("  退貨的 運費，ABx\u{3000}好嘛 ");
        assert_eq!(a.normalized, "退货的 运费，abx 好嘛");
        assert_eq!(a.parts, ["退货的", "运费，abx", "好嘛"]);
        let slots: Vec<Vec<&str>> = a
            .slots
            .iter()
            .map(|s| s.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(slots, [vec!["退货"], vec!["运费"], vec!["好"]]);
        // `的` is a stop character: dropped quietly; `嘛` is reported.
        assert_eq!(a.missing, ['嘛']);
    }

    #[test]
    fn a_word_being_typed_matches_by_prefix() {
        let a = store().analyse("ab");
        assert_eq!(a.slots, [vec!["abc".to_string(), "abd".to_string()]]);
    }
}
