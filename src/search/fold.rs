//! Traditional characters folded to Simplified, so that `退貨` finds what `退货` finds.
//!
//! The table comes from OpenCC's Traditional→Simplified data (the `ferrous-opencc`
//! crate, pure Rust), worked out when the program is compiled (`build.rs`): every CJK
//! character [`is_cjk`] accepts in the Basic Multilingual Plane is converted on its
//! own, and those that come out as one other character of the same UTF-16 length are
//! kept. Folding is character by character, both when text is indexed
//! ([`super::segment::Segmenter::for_each_term`]) and in the browser, which loads the
//! same table as `search/fold.js` ([`FoldTable::script`]). Phrase-level differences
//! (軟體/软件) are not folded. What a result shows stays as written.
//!
//! [`is_cjk`]: super::segment::is_cjk

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use super::segment::CharSet;

/// The pairs `build.rs` worked out from OpenCC's data.
mod pairs {
    include!(concat!(env!("OUT_DIR"), "/fold_pairs.rs"));
}

/// The characters that fold, and what each folds to.
pub(crate) struct FoldTable {
    /// Sorted by the Traditional character.
    pairs: &'static [(char, char)],
    map: HashMap<char, char>,
    from: CharSet,
}

/// The table, made once per process.
pub(crate) fn table() -> &'static FoldTable {
    static TABLE: OnceLock<FoldTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let _t = crate::trace::span("search: fold table");
        FoldTable::new(pairs::PAIRS)
    })
}

impl FoldTable {
    fn new(pairs: &'static [(char, char)]) -> Self {
        let mut from = CharSet::default();
        for (c, _) in pairs {
            from.add(c.encode_utf8(&mut [0; 4]));
        }
        FoldTable {
            map: pairs.iter().copied().collect(),
            pairs,
            from,
        }
    }

    /// `text` with every Traditional character of the table made Simplified; the
    /// text itself when none is in it.
    pub(crate) fn fold<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let Some(first) = text.char_indices().find(|&(_, c)| self.from.contains(c)) else {
            return Cow::Borrowed(text);
        };
        let mut folded = String::with_capacity(text.len());
        folded.push_str(&text[..first.0]);
        folded.extend(text[first.0..].chars().map(|c| self.one(c)));
        Cow::Owned(folded)
    }

    fn one(&self, c: char) -> char {
        if self.from.contains(c) {
            self.map.get(&c).copied().unwrap_or(c)
        } else {
            c
        }
    }

    /// Adds to `chars` what the characters in it fold to (a fitted segmenter must
    /// know the words of the folded text).
    pub(crate) fn add_folded(&self, chars: &mut CharSet) {
        for &(from, to) in self.pairs {
            if chars.contains(from) {
                chars.add(to.encode_utf8(&mut [0; 4]));
            }
        }
    }

    /// The table as `search/fold.js` hands it over: the i-th character of the first
    /// string folds to the i-th of the second.
    pub(crate) fn strings(&self) -> (String, String) {
        (
            self.pairs.iter().map(|p| p.0).collect(),
            self.pairs.iter().map(|p| p.1).collect(),
        )
    }

    /// `search/fold.js`: `handbookSearch.fold(from, to)`, two strings of the same
    /// length, the i-th character of `from` folding to the i-th of `to`.
    pub(crate) fn script(&self) -> String {
        let (from, to) = self.strings();
        format!(
            "handbookSearch.fold({},{});\n",
            crate::text::script_json::to_script_json(&from),
            crate::text::script_json::to_script_json(&to)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_text_folds_to_simplified() {
        let t = table();
        assert_eq!(t.fold("退貨"), "退货");
        assert_eq!(t.fold("差評 回訪，運費險"), "差评 回访，运费险");
        assert_eq!(t.fold("買家申請退款 SKU-42"), "买家申请退款 SKU-42");
        assert!(t.pairs.len() > 2000, "only {} pairs", t.pairs.len());
    }

    #[test]
    fn simplified_text_is_left_as_it_is() {
        let t = table();
        for text in [
            "退货",
            "差评 回访",
            "亲，七天无理由退货的运费险怎么赔付？",
            "YKK vs",
        ] {
            assert!(matches!(t.fold(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn the_script_pairs_characters_one_to_one() {
        let script = table().script();
        let args = script
            .strip_prefix("handbookSearch.fold(")
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap();
        let (from, to): (String, String) = serde_json::from_str(&format!("[{args}]")).unwrap();
        assert_eq!(from.chars().count(), to.chars().count());
        assert_eq!(from.encode_utf16().count(), to.encode_utf16().count());
        let at = from.chars().position(|c| c == '貨').unwrap();
        assert_eq!(to.chars().nth(at), Some('货'));
        assert!(script.len() < 64 * 1024, "{} bytes", script.len());
    }
}
