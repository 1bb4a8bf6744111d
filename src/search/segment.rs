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

/// Single characters too common to be worth a posting list of their own (they still
/// take part in bigrams).
pub(crate) const STOP_CHARS: &[char] = &[
    '的', '了', '是', '在', '和', '与', '及', '或', '就', '都', '也', '而', '但', '又', '很', '还',
    '着', '过', '吗', '呢', '吧', '啊', '呀', '哦', '么', '之', '其', '被', '把', '给', '让', '对',
    '从', '向', '于', '以', '为', '这', '那', '个', '不', '有', '我', '你', '他', '她', '它', '们',
];

pub(crate) struct Segmenter {
    jieba: Jieba,
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

/// The bundled dictionary, as the build script prepared it: the 60,000 most frequent
/// words of jieba's own dictionary and the shop terms (`shop_terms.txt`), merged.
mod dictionary {
    include!(concat!(env!("OUT_DIR"), "/dictionary.rs"));
}

/// Stands for the dictionary words a fitted segmenter leaves out. A private-use
/// character: the segmenter only ever hands jieba runs of CJK characters, so this
/// word never matches.
const LEFT_OUT: &str = "\u{E000}";

impl Segmenter {
    /// A segmenter with the whole dictionary, for texts not known yet (watch mode
    /// segments each edit as it comes).
    pub(crate) fn new() -> Self {
        Self::with_words(|_| true)
    }

    /// A segmenter for texts that use only the characters in `chars`: it segments
    /// them exactly as [`Segmenter::new`] would, and is quicker to make.
    ///
    /// A dictionary word with a character the texts lack can never match in them, so
    /// it is left out; its frequency still counts in the dictionary's total (through
    /// a stand-in word that cannot match), because every word's probability is its
    /// frequency over that total.
    pub(crate) fn fitted(chars: &CharSet) -> Self {
        Self::with_words(|c| chars.contains(c))
    }

    /// A segmenter with the dictionary words made only of characters `usable` says
    /// yes to.
    fn with_words(usable: impl Fn(char) -> bool) -> Self {
        let mut jieba = Jieba::empty();
        let mut kept = 0;
        for &(first, start, end) in dictionary::GROUPS {
            if !usable(first) {
                continue;
            }
            for line in dictionary::WORDS[start as usize..end as usize].lines() {
                let Some((word, frequency)) = line.split_once(' ') else {
                    continue;
                };
                if word.chars().skip(1).all(&usable) {
                    let frequency = frequency.parse().unwrap_or(1);
                    jieba.add_word(word, Some(frequency), None);
                    kept += frequency;
                }
            }
        }
        if kept < dictionary::TOTAL {
            jieba.add_word(LEFT_OUT, Some(dictionary::TOTAL - kept), None);
        }
        Segmenter { jieba }
    }

    /// Calls `add` with every term of `text`, repeats included, Traditional
    /// characters folded to Simplified first ([`super::fold`]). Terms are slices of
    /// `text` where they can be (Latin words with capitals are lower-cased copies,
    /// terms of folded text are copies).
    pub(crate) fn for_each_term<'t>(&self, text: &'t str, mut add: impl FnMut(Cow<'t, str>)) {
        match super::fold::table().fold(text) {
            Cow::Borrowed(text) => self.terms_of(text, add),
            Cow::Owned(folded) => {
                self.terms_of(&folded, |term| add(Cow::Owned(term.into_owned())));
            }
        }
    }

    /// [`Self::for_each_term`] of text already folded.
    fn terms_of<'t>(&self, text: &'t str, mut add: impl FnMut(Cow<'t, str>)) {
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
                    if needs_lowering(piece) {
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

/// Whether lower-casing changes `piece`: an upper-case letter, or a title-case one
/// such as `ǅ`, which is not upper case but lower-cases (as the browser lower-cases
/// a query) to `ǆ`.
fn needs_lowering(piece: &str) -> bool {
    piece.chars().any(|c| {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            c.to_lowercase().ne(std::iter::once(c))
        }
    })
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

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The CJK characters some texts use: those are all that jieba is ever handed
/// (see [`Segmenter::for_each_term`]), so all a fitted dictionary needs.
#[derive(Clone)]
pub(crate) struct CharSet {
    bits: Vec<u64>,
}

/// One past the last character [`is_cjk`] accepts.
const CJK_END: usize = 0x2FA20;

impl Default for CharSet {
    fn default() -> Self {
        CharSet {
            bits: vec![0; CJK_END.div_ceil(64)],
        }
    }
}

impl CharSet {
    pub(crate) fn add(&mut self, text: &str) {
        // Decoded by hand, in about two thirds of the time `chars()` takes: ASCII
        // is stepped over, a three-byte character (every CJK one below U+20000) is
        // put in the set whatever it is, since `contains` asks `is_cjk` anyway, and
        // the rare others go through `chars()`. Checked against `chars()` in a test.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let lead = bytes[i];
            if lead < 0x80 {
                i += 1;
            } else if lead & 0xF0 == 0xE0 && i + 2 < bytes.len() {
                let c = (lead as usize & 0x0F) << 12
                    | (bytes[i + 1] as usize & 0x3F) << 6
                    | (bytes[i + 2] as usize & 0x3F);
                self.insert(c);
                i += 3;
            } else {
                // A two- or four-byte character: `i` is at its start, a boundary.
                let c = text[i..].chars().next().unwrap_or(' ');
                if is_cjk(c) {
                    self.insert(c as usize);
                }
                i += c.len_utf8();
            }
        }
    }

    fn insert(&mut self, c: usize) {
        self.bits[c / 64] |= 1 << (c % 64);
    }

    pub(crate) fn contains(&self, c: char) -> bool {
        is_cjk(c) && self.bits[c as usize / 64] & (1 << (c as usize % 64)) != 0
    }

    /// The characters of both sets.
    pub(crate) fn union(mut self, other: &CharSet) -> CharSet {
        for (mine, theirs) in self.bits.iter_mut().zip(&other.bits) {
            *mine |= theirs;
        }
        self
    }
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
    fn traditional_text_gives_the_terms_of_its_simplified_twin() {
        assert_eq!(
            terms("差評要回訪，退貨的運費險"),
            terms("差评要回访，退货的运费险")
        );
    }

    #[test]
    fn unknown_words_get_bigrams_and_latin_words_are_lowercased() {
        let t = terms("这是 SKU-42 Return");
        assert!(t.contains(&"这是".to_string()), "{t:?}");
        assert!(t.contains(&"sku".to_string()) && t.contains(&"42".to_string()));
        assert!(t.contains(&"return".to_string()));
        assert!(!t.contains(&"的".to_string()));
    }

    #[test]
    fn title_case_letters_are_lowercased_too() {
        // Found by the fuzzer: `ǅ` is not upper case, so it stayed; a query
        // lower-cased in the browser asks for `ǆ`.
        assert_eq!(terms("ǅemal Ǆ ⅅx"), ["ǆ", "ǆemal", "ⅅx"]);
    }

    #[test]
    fn char_sets_hold_exactly_the_cjk_characters() {
        let text = "退货 SKU-42 café 𠀀𪚥 ①，运费险。\u{3400}\u{9FFF}ÿ";
        let mut set = CharSet::default();
        set.add(text);
        for c in text.chars() {
            assert_eq!(set.contains(c), is_cjk(c), "{c:?}");
        }
        for c in ['换', '\u{20001}', 'a', '，'] {
            assert!(!set.contains(c), "{c:?}");
        }
        let mut other = CharSet::default();
        other.add("换");
        let both = set.union(&other);
        assert!(both.contains('换') && both.contains('退') && both.contains('𠀀'));
    }

    /// The sample handbook's texts, one per file.
    fn sample_texts() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
        let texts: Vec<String> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        assert!(texts.len() > 10, "the sample handbook is in content/");
        texts
    }

    fn all_terms(segmenter: &Segmenter, text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        segmenter.for_each_term(text, |term| terms.push(term.into_owned()));
        terms
    }

    #[test]
    fn a_fitted_segmenter_cuts_as_the_whole_dictionary_does() {
        let whole = Segmenter::new();
        let texts = sample_texts();
        let mut compared = 0;
        for text in &texts {
            // Fitted to one file's characters, it leaves out most of the
            // dictionary: what it keeps must weigh exactly what it did.
            let mut chars = CharSet::default();
            chars.add(text);
            let fitted = Segmenter::fitted(&chars);
            let expected = all_terms(&whole, text);
            assert_eq!(all_terms(&fitted, text), expected);
            compared += expected.len();
        }
        assert!(compared > 10_000, "only {compared} terms compared");
    }
}
