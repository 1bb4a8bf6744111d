//! The query splitter's Rust twin (`src/search/query.rs`, which the fuzzer checks)
//! against the real one: thousands of queries (a fixed seed) through both, the same
//! normalised text, parts, slots and missing characters for every one.
//!
//! The script side is the theme's `search.js`, loaded in node with the sample's
//! built `search/index.js` and `search/fold.js` (`tests/browser/query-split.mjs`):
//! the analysis touches no page, so node is enough. Needs `node`; without it the
//! test is ignored, saying what to install, except under `CI=true`.

use std::path::Path;
use std::process::Command;

use libtest_mimic::{Completion, Failed};
use serde_json::Value;

use crate::query::{Analysis, QueryStore};
use crate::support::Handbook;

const INSTALL_NODE: &str = "apt-get install nodejs";
const QUERIES: usize = 4_000;
const SEED: u64 = 20_261_206;

pub fn the_rust_twin_splits_queries_as_search_js_does() -> Result<Completion, Failed> {
    let node_runs = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_runs {
        let what = format!("no node: {INSTALL_NODE}");
        if crate::under_ci() {
            return Err(format!("the query splitter test cannot run under CI=true: {what}").into());
        }
        return Ok(Completion::ignored_with(what));
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hb = Handbook::sample();
    let build = hb.run(&["build"]);
    if build.code != 0 {
        return Err(format!("building the sample failed:\n{}", build.stderr).into());
    }
    let index = script_args(&hb.read("public/search/index.js"), "handbookSearch.index(")?;
    let fold = script_args(&hb.read("public/search/fold.js"), "handbookSearch.fold(")?;
    let meta = &index[0];
    let terms: Vec<String> = meta["terms"]
        .as_array()
        .ok_or("index.js has no terms")?
        .iter()
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect();
    let stop = meta["stop"].as_str().ok_or("index.js has no stop")?;
    let (from, to) = (
        fold[0].as_str().ok_or("fold.js: no from")?,
        fold[1].as_str().ok_or("fold.js: no to")?,
    );
    let dictionary = std::fs::read_to_string(repo.join("src/search/dict.txt"))
        .map_err(|e| format!("reading the dictionary: {e}"))?;
    let queries = queries(&terms, stop, from, &dictionary);

    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let queries_file = dir.path().join("queries.json");
    std::fs::write(&queries_file, serde_json::to_string(&queries).unwrap())
        .map_err(|e| e.to_string())?;
    let output = Command::new("node")
        .arg(repo.join("tests/browser/query-split.mjs"))
        .arg(repo.join("themes/default/static/search.js"))
        .arg(hb.path("public/search/index.js"))
        .arg(hb.path("public/search/fold.js"))
        .arg(&queries_file)
        .output()
        .map_err(|e| format!("running node: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "node failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let scripted: Vec<Value> =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("node's answer: {e}"))?;
    if scripted.len() != queries.len() {
        return Err(format!("{} answers to {} queries", scripted.len(), queries.len()).into());
    }

    let store = QueryStore::new(terms.clone(), stop, Some((from, to)));
    let mut differ = Vec::new();
    let (mut with_terms, mut with_missing) = (0, 0);
    for (query, js) in queries.iter().zip(&scripted) {
        let twin = store.analyse(query);
        with_terms += usize::from(!twin.slots.is_empty());
        with_missing += usize::from(!twin.missing.is_empty());
        let js = analysis_of(js).ok_or_else(|| format!("node's answer for {query:?}: {js}"))?;
        if twin != js {
            differ.push(format!(
                "{query:?}\n  search.js: {js:?}\n  twin:      {twin:?}"
            ));
        }
    }
    // The queries must exercise both: terms found and characters missing.
    if with_terms < QUERIES / 2 || with_missing < QUERIES / 20 {
        return Err(format!(
            "the queries are too one-sided: {with_terms} with terms, {with_missing} with missing characters"
        )
        .into());
    }
    if !differ.is_empty() {
        let shown: Vec<&str> = differ.iter().take(10).map(String::as_str).collect();
        return Err(format!(
            "{} of {} queries analysed differently:\n{}",
            differ.len(),
            queries.len(),
            shown.join("\n")
        )
        .into());
    }
    eprintln!(
        "query splitter: {} queries agree ({with_terms} with terms, {with_missing} with missing characters)",
        queries.len()
    );
    Ok(Completion::Completed)
}

/// The arguments of `call(...);` in a script of the built index, as JSON values.
fn script_args(script: &str, call: &str) -> Result<Vec<Value>, String> {
    let inner = script
        .trim()
        .strip_prefix(call)
        .and_then(|s| s.strip_suffix(");"))
        .ok_or_else(|| format!("not a `{call}…);` script"))?;
    serde_json::from_str(&format!("[{inner}]")).map_err(|e| format!("{call}: {e}"))
}

/// search.js's answer, as the twin's type.
fn analysis_of(js: &Value) -> Option<Analysis> {
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_string))
            .collect()
    };
    Some(Analysis {
        normalized: js["normalized"].as_str()?.to_string(),
        parts: strings(&js["parts"])?,
        slots: js["slots"]
            .as_array()?
            .iter()
            .map(strings)
            .collect::<Option<_>>()?,
        missing: strings(&js["missing"])?
            .iter()
            .map(|s| {
                let mut chars = s.chars();
                let c = chars.next()?;
                chars.next().is_none().then_some(c)
            })
            .collect::<Option<_>>()?,
    })
}

/// Random queries as a reader might type them, and worse: the index's words and the
/// dictionary's, Traditional characters, Latin words in any case, their beginnings,
/// digits, full-width forms, punctuation, emoji, stop characters and odd spaces.
fn queries(terms: &[String], stop: &str, traditional: &str, dictionary: &str) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let cjk_terms: Vec<&str> = terms
        .iter()
        .map(String::as_str)
        .filter(|t| t.chars().all(crate::query::is_cjk))
        .collect();
    let latin_terms: Vec<&str> = terms
        .iter()
        .map(String::as_str)
        .filter(|t| !t.chars().any(crate::query::is_cjk))
        .collect();
    let words: Vec<&str> = dictionary
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let traditional: Vec<char> = traditional.chars().collect();
    let stop: Vec<char> = stop.chars().collect();
    let odd = [
        "，", "。", "？", "！", "、", "（", "）", "《", "》", ",", ".", "?", "!", "-", "_", "/",
        "'", "\"", "😀", "👍🏻", "🇨🇳", "\u{3000}", "\u{A0}", "\t", "\n", "\u{FEFF}", "\u{85}",
        "\u{200B}", "Σ", "ΟΔΟΣ", "İ", "ǅ", "ß", "Ⅻ", "①", "²", "𠀀", "𪚥", "ｱ", "ー", "ㄅ", "한",
        "の", "〇", "々",
    ];
    let mut queries = Vec::with_capacity(QUERIES);
    for _ in 0..QUERIES {
        let mut query = String::new();
        for _ in 0..rng.usize(1..=6) {
            let token = match rng.u8(..14) {
                0..=2 if !cjk_terms.is_empty() => pick(&mut rng, &cjk_terms),
                3 | 4 => pick(&mut rng, &words),
                5 => {
                    // A word with some characters written Traditional.
                    let word = pick(&mut rng, &cjk_terms);
                    let mut t: String = word.chars().collect();
                    for _ in 0..2 {
                        t.push(traditional[rng.usize(..traditional.len())]);
                    }
                    t
                }
                6 if !latin_terms.is_empty() => {
                    let word = pick(&mut rng, &latin_terms);
                    let cut = rng.usize(1..=word.chars().count().max(1));
                    let begun: String = word.chars().take(cut).collect();
                    if rng.bool() {
                        begun.to_uppercase()
                    } else {
                        begun
                    }
                }
                7 => {
                    // Full-width forms of ASCII letters and digits.
                    let word = pick(&mut rng, &latin_terms);
                    word.chars()
                        .map(|c| {
                            char::from_u32(c as u32 + 0xFEE0)
                                .filter(|_| c.is_ascii_graphic())
                                .unwrap_or(c)
                        })
                        .collect()
                }
                8 => rng.u32(..100_000).to_string(),
                9 => stop[rng.usize(..stop.len())].to_string(),
                10 => odd[rng.usize(..odd.len())].to_string(),
                11 => traditional[rng.usize(..traditional.len())].to_string(),
                _ => " ".repeat(rng.usize(0..3)),
            };
            query.push_str(&token);
            if rng.u8(..3) == 0 {
                query.push(' ');
            }
        }
        queries.push(query);
    }
    queries
}

fn pick(rng: &mut fastrand::Rng, list: &[&str]) -> String {
    list[rng.usize(..list.len())].to_string()
}
