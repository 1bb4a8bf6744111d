//! Prepares the segmenter's bundled dictionary at compile time: the general
//! dictionary with the shop terms merged in, grouped by first character, with the
//! sum of all frequencies. A build then loads only the groups its text can use
//! (see `Segmenter::fitted` in `src/search/segment.rs`).

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
}
