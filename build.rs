//! Prepares the segmenter's bundled dictionary at compile time: the general
//! dictionary with the shop terms merged in, grouped by first character, with the
//! sum of all frequencies. A build then loads only the groups its text can use
//! (see `Segmenter::fitted` in `src/search/segment.rs`).
//!
//! Also the search index's fold table (`src/search/fold.rs`): which Traditional
//! characters fold to which Simplified ones, from OpenCC's data. Working it out takes
//! a conversion of every CJK character, ~20 ms of CPU: done here once, not in every
//! build of a handbook.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const GENERAL: &str = "src/search/dict.txt";
const SHOP: &str = "src/search/shop_terms.txt";
/// Frequency of a shop term: enough to win over splitting into more common pieces.
const SHOP_TERM_FREQUENCY: u64 = 50_000;

fn main() {
    println!("cargo:rerun-if-changed={GENERAL}");
    println!("cargo:rerun-if-changed={SHOP}");
    let general = std::fs::read_to_string(GENERAL).expect("the general dictionary is readable");
    let shop = std::fs::read_to_string(SHOP).expect("the shop terms are readable");

    // Sorted by word, so each first character's words lie together.
    let mut words: BTreeMap<&str, u64> = BTreeMap::new();
    for (n, line) in general.lines().enumerate() {
        let mut fields = line.split_whitespace();
        let (Some(word), Some(frequency)) = (fields.next(), fields.next()) else {
            panic!("{GENERAL}:{}: expected `word frequency`", n + 1);
        };
        let frequency = frequency
            .parse()
            .unwrap_or_else(|_| panic!("{GENERAL}:{}: bad frequency", n + 1));
        words.insert(word, frequency);
    }
    for term in shop.lines().map(str::trim) {
        if !term.is_empty() && !term.starts_with('#') {
            words.insert(term, SHOP_TERM_FREQUENCY);
        }
    }

    let mut text = String::new();
    let mut groups: Vec<(char, usize, usize)> = Vec::new();
    for (word, frequency) in &words {
        let first = word.chars().next().expect("words are not empty");
        if groups.last().is_none_or(|group| group.0 != first) {
            groups.push((first, text.len(), text.len()));
        }
        writeln!(text, "{word} {frequency}").expect("writing to a string");
        groups.last_mut().expect("pushed above").2 = text.len();
    }
    let total: u64 = words.values().sum();

    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    std::fs::write(out.join("dictionary.txt"), &text).expect("OUT_DIR is writable");
    let mut code = String::new();
    writeln!(code, "/// The sum of every word's frequency.").unwrap();
    writeln!(code, "pub const TOTAL: usize = {total};").unwrap();
    writeln!(code, "/// `word frequency` lines, sorted by word.").unwrap();
    writeln!(
        code,
        "pub const WORDS: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/dictionary.txt\"));"
    )
    .unwrap();
    writeln!(
        code,
        "/// Each first character, with the byte range of its words in [`WORDS`]."
    )
    .unwrap();
    writeln!(code, "pub const GROUPS: &[(char, u32, u32)] = &[").unwrap();
    for (first, start, end) in groups {
        writeln!(code, "    ({first:?}, {start}, {end}),").unwrap();
    }
    writeln!(code, "];").unwrap();
    std::fs::write(out.join("dictionary.rs"), code).expect("OUT_DIR is writable");
    write_fold_pairs(out);
}

/// `fold_pairs.rs`: `PAIRS`, every CJK character of the Basic Multilingual Plane
/// that OpenCC's Traditional->Simplified conversion turns, on its own, into one other
/// character of the same UTF-16 length, with that character; sorted.
///
/// One character per line, so no phrase spans two. The few hundred rare characters
/// of the planes beyond, outside everyday text, are not folded. Same UTF-16 length:
/// the browser's folded text keeps its offsets.
fn write_fold_pairs(out: &Path) {
    use ferrous_opencc::{config::BuiltinConfig, OpenCC};
    // The range `is_cjk` in src/search/segment.rs accepts, below U+10000.
    let is_cjk = |c: char| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF);
    let chars: Vec<char> = (0..=0xFFFF_u32)
        .filter_map(char::from_u32)
        .filter(|&c| is_cjk(c))
        .collect();
    let mut input = String::with_capacity(chars.len() * 5);
    for &c in &chars {
        input.push(c);
        input.push('\n');
    }
    let opencc = OpenCC::from_config(BuiltinConfig::T2s).expect("OpenCC's built-in T2s loads");
    let output = opencc.convert(&input);
    let lines: Vec<&str> = output.split('\n').collect();
    assert!(
        lines.len() >= chars.len(),
        "OpenCC gave {} lines for {} characters",
        lines.len(),
        chars.len()
    );
    let mut pairs: Vec<(char, char)> = chars
        .into_iter()
        .zip(lines)
        .filter_map(|(from, line)| {
            let mut to = line.chars();
            let (Some(to), None) = (to.next(), to.next()) else {
                return None;
            };
            (to != from && to.len_utf16() == from.len_utf16()).then_some((from, to))
        })
        .collect();
    pairs.sort_unstable();
    let mut code = String::new();
    writeln!(code, "/// (Traditional, Simplified), sorted.").unwrap();
    writeln!(code, "pub const PAIRS: &[(char, char)] = &[").unwrap();
    for (from, to) in pairs {
        writeln!(code, "    ({from:?}, {to:?}),").unwrap();
    }
    writeln!(code, "];").unwrap();
    std::fs::write(out.join("fold_pairs.rs"), code).expect("OUT_DIR is writable");
}
