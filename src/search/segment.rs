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

use jieba_rs::Jieba;

const GENERAL_DICTIONARY: &str = include_str!("dict.txt");
const SHOP_TERMS: &str = include_str!("shop_terms.txt");

/// Single characters too common to be worth a posting list of their own (they still
/// take part in bigrams).
const STOP_CHARS: &[char] = &[
    '的', '了', '是', '在', '和', '与', '及', '或', '就', '都', '也', '而', '但', '又', '很', '还',
    '着', '过', '吗', '呢', '吧', '啊', '呀', '哦', '么', '之', '其', '被', '把', '给', '让', '对',
    '从', '向', '于', '以', '为', '这', '那', '个', '不', '有', '我', '你', '他', '她', '它', '们',
];

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
        let mut singles = Singles {
            text,
            runs: Vec::new(),
        };
        let mut start = 0;
        let mut kind = Script::Other;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            let k = script(c);
            if k == kind && i < text.len() {
                continue;
            }
            let piece = &text[start..i];
            match kind {
                Script::Cjk => {
                    for token in self.jieba.cut_for_search(piece, false) {
                        let (from, to) = (start + token.byte_start, start + token.byte_end);
                        if token.end - token.start == 1 {
                            // cut_for_search repeats sub-words after their word; a
                            // single character only ever comes from the main cut.
                            singles.runs.push((from, to));
                        } else {
                            singles.flush(&mut add);
                            add(Cow::Borrowed(&text[from..to]));
                        }
                    }
                    singles.flush(&mut add);
                }
                Script::Latin => {
                    if piece.chars().any(char::is_uppercase) {
                        add(Cow::Owned(piece.to_lowercase()));
                    } else {
                        add(Cow::Borrowed(piece));
                    }
                }
                Script::Other => {}
            }
            start = i;
            kind = k;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Cjk,
    Latin,
    Other,
}

fn script(c: char) -> Script {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            Script::Latin
        } else {
            Script::Other
        }
    } else if is_cjk(c) {
        Script::Cjk
    } else if matches!(
        c,
        '，' | '。' | '、' | '：' | '；' | '？' | '！' | '“' | '”' | '（' | '）' | '《' | '》'
    ) {
        // The punctuation of Chinese text, answered before the Unicode tables are
        // searched for it.
        Script::Other
    } else if c.is_alphanumeric() {
        Script::Latin
    } else {
        Script::Other
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A run of single characters that jieba could not join into words: indexed as its
/// characters (but the commonest) and as bigrams.
struct Singles<'t> {
    text: &'t str,
    runs: Vec<(usize, usize)>,
}

impl<'t> Singles<'t> {
    fn flush(&mut self, add: &mut impl FnMut(Cow<'t, str>)) {
        for (i, &(start, end)) in self.runs.iter().enumerate() {
            let c = &self.text[start..end];
            if !is_stop_char(c) {
                add(Cow::Borrowed(c));
            }
            if let Some(&(next_start, next_end)) = self.runs.get(i + 1) {
                if next_start == end {
                    add(Cow::Borrowed(&self.text[start..next_end]));
                }
            }
        }
        self.runs.clear();
    }
}

fn is_stop_char(c: &str) -> bool {
    c.chars().next().is_some_and(|c| STOP_CHARS.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut terms: Vec<String> = Vec::new();
        Segmenter::new().for_each_term(text, |term| terms.push(term.into_owned()));
        terms.sort();
        terms.dedup();
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
