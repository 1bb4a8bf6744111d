//! The query splitter's Rust twin (`src/search/query.rs`, held to `search.js` by
//! `tests/external/query_split.rs`): what the search box makes of a typed query.

use std::sync::OnceLock;

use super::{as_text, fxhash};
use crate::search::query::{is_js_space, script_runs, Piece, QueryStore};

/// The store the fuzzed queries meet: the whole dictionary and the shop terms
/// (CJK words), a few Latin words and digits, words beyond the Basic Multilingual
/// Plane (the script once measured their length in UTF-16 units: eight of them, 16
/// units, made it try no CJK term longer than 8), the indexer's
/// stop characters and the fold table, as `index.js` and `fold.js` hand them over.
fn store() -> &'static QueryStore {
    static STORE: OnceLock<QueryStore> = OnceLock::new();
    STORE.get_or_init(|| {
        let dict = include_str!("../search/dict.txt");
        let shop = include_str!("../search/shop_terms.txt");
        let mut terms: Vec<String> = dict
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .chain(shop.lines().filter(|l| !l.starts_with('#')).map(str::trim))
            // The indexer never makes a stop character a term of its own.
            .filter(|w| !w.is_empty() && (w.chars().count() != 1 || !stop().contains(w)))
            .map(str::to_string)
            .chain(
                [
                    "abc",
                    "abd",
                    "iphone",
                    "ipx4",
                    "sku",
                    "12",
                    "100",
                    "ｓｋｕ",
                    "𠀀𠀁",
                    "𠀀𠀁𠀂𠀃𠀄",
                    "𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇",
                    "𪚥",
                ]
                .iter()
                .map(|s| s.to_string()),
            )
            .collect();
        terms.sort();
        terms.dedup();
        let (from, to) = crate::search::fold::table().strings();
        QueryStore::new(terms, &stop(), Some((&from, &to)))
    })
}

fn stop() -> String {
    crate::search::segment::STOP_CHARS.iter().collect()
}

/// Query seeds: the lines of the fixtures' and the sample's chapters.
pub(super) fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = [
        "退貨 運費",
        "怎么退款的呢",
        "ＡＢＣ 包邮？",
        "  iPhone 12　耳機 😀 的了",
        "𠀀𠀁𠀂𠀃𠀄𪚥",
        "中华人民共和国中央人民政府的售后",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    for file in super::seed_files(&[".md"]) {
        let text = String::from_utf8_lossy(&file).into_owned();
        seeds.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .take(40)
                .map(|l| l.as_bytes().to_vec()),
        );
    }
    seeds.truncate(600);
    seeds
}

/// The cost `splitCjk` gives a split (summed from the end, as it does).
fn cost(pieces: &[Piece]) -> f64 {
    pieces.iter().rev().fold(0.0, |total, piece| {
        total
            + match piece {
                Piece::Term(t) if t.chars().count() > 1 => 1.0,
                Piece::Term(_) => 1.01,
                Piece::Dropped(_) => 1.005,
            }
    })
}

/// The least cost of any split of `chars`, with terms of any length.
fn least_cost(store: &QueryStore, chars: &[char]) -> f64 {
    let n = chars.len();
    let mut best = vec![f64::INFINITY; n + 1];
    best[n] = 0.0;
    for i in (0..n).rev() {
        for j in i + 1..=n {
            let piece: String = chars[i..j].iter().collect();
            if store.has(&piece) {
                best[i] = best[i].min(best[j] + if j - i > 1 { 1.0 } else { 1.01 });
            }
        }
        if !store.has(&chars[i].to_string()) {
            best[i] = best[i].min(best[i + 1] + 1.005);
        }
    }
    best[0]
}

pub(super) fn query_splitter(input: &[u8]) -> u64 {
    let text = as_text(input);
    let query: String = text.chars().take(120).collect();
    let store = store();
    let analysis = store.analyse(&query);
    let normalized = &analysis.normalized;
    assert!(
        !normalized.starts_with(is_js_space) && !normalized.ends_with(is_js_space),
        "{normalized:?} not trimmed"
    );
    assert!(
        !normalized.contains("  "),
        "{normalized:?} keeps a run of spaces"
    );
    assert_eq!(analysis.parts.join(" "), *normalized, "parts");
    for slot in &analysis.slots {
        assert!(!slot.is_empty() && slot.len() <= 12, "slot {slot:?}");
        for term in slot {
            assert!(store.has(term), "{term:?} is not in the vocabulary");
        }
    }

    // The CJK runs: their pieces give back the run, in order; only characters that
    // are no term of their own are left out, and those that are no stop character
    // are reported missing, in order; no split costs less.
    let folded = store.fold_text(&query.to_lowercase());
    let mut cjk_text = String::new();
    let mut missing = Vec::new();
    let mut cjk_terms = Vec::new();
    let mut outcome = Vec::new();
    for (cjk, run) in script_runs(normalized) {
        if !cjk {
            outcome.push(0u8);
            continue;
        }
        let pieces = store.split_cjk(&run);
        for piece in &pieces {
            match piece {
                Piece::Term(term) => {
                    assert!(store.has(term), "{term:?} is not in the vocabulary");
                    cjk_text.push_str(term);
                    cjk_terms.push(term.clone());
                    outcome.push(term.chars().count().min(8) as u8);
                }
                Piece::Dropped(c) => {
                    assert!(
                        !store.has(&c.to_string()),
                        "{c:?} is a term but was left out"
                    );
                    cjk_text.push(*c);
                    if !store.is_stop(*c) {
                        missing.push(*c);
                    }
                    outcome.push(9 + u8::from(store.is_stop(*c)));
                }
            }
        }
        let chars: Vec<char> = run.chars().collect();
        if chars.len() <= 16 {
            let least = least_cost(store, &chars);
            let got = cost(&pieces);
            assert!(
                got <= least + 1e-6,
                "{run:?} split as {pieces:?} (cost {got}) where a split costs {least}"
            );
        }
    }
    let query_cjk: String = folded
        .chars()
        .filter(|&c| crate::search::query::is_cjk(c))
        .collect();
    assert_eq!(
        cjk_text, query_cjk,
        "the terms and what was left out are not the query's CJK text"
    );
    assert_eq!(analysis.missing, missing, "missing characters");

    // The terms, typed again with spaces between them, come back as themselves
    // (where folding leaves them as they are).
    if cjk_terms.iter().all(|t| store.fold_text(t) == *t) {
        let again = store.analyse(&cjk_terms.join(" "));
        let mut expected: Vec<Vec<String>> = Vec::new();
        for term in &cjk_terms {
            if !expected.iter().any(|s| s[0] == *term) {
                expected.push(vec![term.clone()]);
            }
        }
        assert_eq!(again.slots, expected, "the terms of {query:?} typed again");
        assert!(
            again.missing.is_empty(),
            "missing {:?} in terms typed again",
            again.missing
        );
    }
    outcome.truncate(24);
    fxhash(&outcome)
}
