//! Splitting text into search terms, the same way for every page.
//!
//! Chinese text goes through jieba (a general dictionary of the 60,000 most frequent
//! words of jieba's own dictionary, plus a shop-term dictionary) in search mode, which
//! also yields the dictionary words inside long words. Where jieba falls back to single
//! characters (a word it does not know, such as a product name), the run of single
//! characters is indexed as its characters and as bigrams, so the unknown word can
//! still be found. Latin letters and digits form words of their own, lower-cased.
//!
//! The browser never segments with jieba: it splits a query against the index's own
//! vocabulary (longest terms first), so a query always meets the terms the index has.

use std::borrow::Cow;
use std::collections::HashMap;

use jieba_rs::Jieba;

const GENERAL_DICTIONARY: &str = include_str!("dict.txt");
const SHOP_TERMS: &str = include_str!("shop_terms.txt");

/// Single characters too common to be worth a posting list of their own (they still
/// take part in bigrams).
const STOP_CHARS: &str = "的了是在和与及或就都也而但又很还着过吗呢吧啊呀哦么之其被把给让对从向于以为这那个不有我你他她它们";

pub struct Segmenter {
    jieba: Jieba,
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter {
    pub fn new() -> Self {
        let mut jieba = Jieba::empty();
        jieba
            .load_dict(&mut GENERAL_DICTIONARY.as_bytes())
            .expect("the bundled dictionary is well-formed");
        for term in SHOP_TERMS.lines().map(str::trim) {
            if !term.is_empty() && !term.starts_with('#') {
                // Frequent enough to win over splitting into more common pieces.
                jieba.add_word(term, Some(50_000), None);
            }
        }
        Segmenter { jieba }
    }

    /// Calls `add` with every term of `text`, repeats included. Terms are slices of
    /// `text` where they can be (Latin words with capitals are lower-cased copies).
    pub fn for_each_term<'t>(&self, text: &'t str, mut add: impl FnMut(Cow<'t, str>)) {
        // Consecutive single-character tokens, as byte ranges of `text`.
        let mut singles: Vec<(usize, usize)> = Vec::new();
        let flush = |singles: &mut Vec<(usize, usize)>, add: &mut dyn FnMut(Cow<'t, str>)| {
            for (i, &(start, end)) in singles.iter().enumerate() {
                let c = &text[start..end];
                if !STOP_CHARS.contains(c) {
                    add(Cow::Borrowed(c));
                }
                if let Some(&(next_start, next_end)) = singles.get(i + 1) {
                    if next_start == end {
                        add(Cow::Borrowed(&text[start..next_end]));
                    }
                }
            }
            singles.clear();
        };
        for (offset, piece) in split_scripts(text) {
            match piece {
                Piece::Latin(word) => {
                    flush(&mut singles, &mut add);
                    if word.chars().any(char::is_uppercase) {
                        add(Cow::Owned(word.to_lowercase()));
                    } else {
                        add(Cow::Borrowed(word));
                    }
                }
                Piece::Other => flush(&mut singles, &mut add),
                Piece::Cjk(run) => {
                    for token in self.jieba.cut_for_search(run, false) {
                        let (start, end) = (offset + token.byte_start, offset + token.byte_end);
                        if token.word.chars().count() == 1 {
                            // cut_for_search repeats sub-words after their word; a
                            // single character only ever comes from the main cut.
                            singles.push((start, end));
                        } else {
                            flush(&mut singles, &mut add);
                            add(Cow::Borrowed(&text[start..end]));
                        }
                    }
                    flush(&mut singles, &mut add);
                }
            }
        }
        flush(&mut singles, &mut add);
    }

    /// Adds the terms of `text` to `terms`, counting repeats.
    pub fn terms(&self, text: &str, terms: &mut HashMap<String, u32>) {
        self.for_each_term(text, |term| {
            *terms.entry(term.into_owned()).or_insert(0) += 1
        });
    }
}

enum Piece<'a> {
    Cjk(&'a str),
    Latin(&'a str),
    Other,
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_latin(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Runs of CJK characters, runs of letters and digits, and everything else, each
/// with its byte offset in `text`.
fn split_scripts(text: &str) -> Vec<(usize, Piece<'_>)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut kind = 0u8; // 0 other, 1 CJK, 2 latin
    for (i, c) in text.char_indices() {
        let k = if is_cjk(c) {
            1
        } else if is_latin(c) {
            2
        } else {
            0
        };
        if k != kind {
            push_piece(&mut pieces, &text[..i], start, kind);
            start = i;
            kind = k;
        }
    }
    push_piece(&mut pieces, text, start, kind);
    pieces
}

fn push_piece<'a>(pieces: &mut Vec<(usize, Piece<'a>)>, text: &'a str, start: usize, kind: u8) {
    let text = &text[start..];
    if text.is_empty() {
        return;
    }
    pieces.push((
        start,
        match kind {
            1 => Piece::Cjk(text),
            2 => Piece::Latin(text),
            _ => Piece::Other,
        },
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut map = HashMap::new();
        Segmenter::new().terms(text, &mut map);
        let mut terms: Vec<String> = map.into_keys().collect();
        terms.sort();
        terms
    }

    #[test]
    fn shop_terms_stay_whole() {
        let t = terms("亲，七天无理由退货的运费险怎么赔付？仅退款可以吗");
        for expected in ["亲", "七天无理由退货", "退货", "运费险", "赔付", "仅退款"]
        {
            assert!(
                t.contains(&expected.to_string()),
                "{expected} missing from {t:?}"
            );
        }
    }

    #[test]
    fn unknown_words_get_bigrams_and_latin_words_are_lowercased() {
        let t = terms("这是 SKU-42 Return");
        assert!(t.contains(&"这是".to_string()), "{t:?}");
        assert!(t.contains(&"sku".to_string()) && t.contains(&"42".to_string()));
        assert!(t.contains(&"return".to_string()));
        assert!(!t.contains(&"的".to_string()));
    }
}
