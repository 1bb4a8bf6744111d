//! The forbidden-phrase lint: every `avoid` line of every table is a phrase staff must
//! never be taught as a good one. A chapter's text or a `say` line containing one gets
//! a warning. Text struck through (`~~…~~`) is exempt: that is how a chapter quotes a
//! line as a bad example.
//!
//! Matching is by substring, with the phrase's trailing punctuation ignored
//! (`喂，说话呀！` also matches `喂，说话呀。`); phrases shorter than two characters
//! after that are left out, since they would match everywhere.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use std::sync::Arc;

use crate::model::Table;

/// Up to this many phrases are matched with a DFA (see [`ForbiddenPhrases::new`]).
const DFA_PHRASES: usize = 20_000;

pub(crate) struct ForbiddenPhrases {
    matcher: Option<AhoCorasick>,
    /// Per pattern: the phrase as matched, and where it is listed (`table#entry`).
    origins: Vec<(String, String)>,
}

pub(crate) struct Hit<'a> {
    pub(crate) range: Range<usize>,
    pub(crate) phrase: &'a str,
    pub(crate) origin: &'a str,
}

const TRAILING: &[char] = &[
    '。', '！', '？', '，', '、', '；', '：', '…', '～', '.', '!', '?', ',', ';', ':', '~', ' ',
    '　', '"', '\'', '”', '’', '」', '』', '）', ')',
];

pub(crate) fn normalize(phrase: &str) -> &str {
    phrase
        .trim()
        .trim_start_matches(['"', '\'', '“', '‘', '「', '『'])
        .trim_end_matches(TRAILING)
}

impl ForbiddenPhrases {
    pub(crate) fn new(tables: &[Arc<Table>]) -> Self {
        let mut origins: Vec<(String, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for table in tables {
            for entry in &table.entries {
                for avoid in entry.avoid() {
                    let phrase = normalize(&avoid.value);
                    if phrase.chars().count() >= 2 && seen.insert(phrase) {
                        origins.push((
                            phrase.to_string(),
                            format!("{}#{}", table.id.value, entry.id.value),
                        ));
                    }
                }
            }
        }
        let matcher = if origins.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                // The prefilter looks for bytes rare in English text; in Chinese
                // text those are the lead bytes of most characters, so it stops
                // at nearly every one: scanning without it is a fifth faster.
                .prefilter(false)
                // A DFA scans a fifth faster than the NFA the builder would pick
                // for this many phrases (10,000 phrases: 81 ms against 105-131 ms
                // over 10,000 chapters), for 5 MB and a slower build, made while
                // the chapters' front matter is read. Far more phrases than any
                // handbook has would make it too big: then the NFA.
                .kind((origins.len() <= DFA_PHRASES).then_some(AhoCorasickKind::DFA))
                .build(origins.iter().map(|(p, _)| p))
                .ok()
        };
        ForbiddenPhrases { matcher, origins }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    /// A hash of the phrase list: chapters linted against an equal list need no new lint.
    pub(crate) fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        self.origins.hash(&mut hasher);
        hasher.finish()
    }

    /// The forbidden phrases in `text`, outside struck-through `~~…~~` runs.
    pub(crate) fn find<'a>(&'a self, text: &str) -> Vec<Hit<'a>> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let struck = struck_ranges(text);
        matcher
            .find_iter(text)
            .filter(|m| {
                !struck
                    .iter()
                    .any(|s| s.start <= m.start() && m.end() <= s.end)
            })
            .map(|m| {
                let (phrase, origin) = &self.origins[m.pattern().as_usize()];
                Hit {
                    range: m.range(),
                    phrase,
                    origin,
                }
            })
            .collect()
    }
}

/// Byte ranges of `~~…~~` runs in raw text (used for dialogue lines and YAML strings,
/// which are not parsed as Markdown before the lint sees them).
fn struck_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = find_tildes(text, rest) {
        match find_tildes(text, open + 2) {
            Some(close) => {
                out.push(open..close + 2);
                rest = close + 2;
            }
            None => break,
        }
    }
    out
}

/// Where the next `~~` starts at or after `from` (most text has no `~` at all).
fn find_tildes(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memchr(b'~', bytes.get(at..)?) {
        if bytes.get(at + i + 1) == Some(&b'~') {
            return Some(at + i);
        }
        at += i + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entry, EntryBody, TableKind};
    use crate::yaml::Spanned;

    fn spanned(text: &str) -> Spanned<String> {
        Spanned {
            value: text.to_string(),
            span: 0..0,
        }
    }

    fn table(avoid: &[&str]) -> Table {
        Table {
            id: spanned("phone"),
            file: crate::diag::Sources::new().add("x", ""),
            rel_path: "phone.yaml".into(),
            title: "t".into(),
            kind: TableKind::Script,
            description: None,
            tags: vec![],
            unread_entries: vec![],
            unreadable: false,
            entries: vec![Entry {
                id: spanned("greeting"),
                see: vec![],
                body: EntryBody::Script {
                    situation: "s".into(),
                    say: vec![spanned("您好")],
                    avoid: avoid.iter().map(|a| spanned(a)).collect(),
                    why: None,
                },
                code: None,
                codes: vec![],
            }],
        }
    }

    #[test]
    fn struck_runs_are_found_between_pairs_of_tildes() {
        assert_eq!(struck_ranges("a~~~b~~c ~单~ ~~d"), vec![1..7]);
        assert_eq!(struck_ranges("~~一~~二~~三~~"), vec![0..7, 10..17]);
        assert!(struck_ranges("没有删除线").is_empty());
    }

    #[test]
    fn finds_phrases_but_not_struck_ones() {
        let phrases = ForbiddenPhrases::new(&[Arc::new(table(&["喂，说话呀！", "不"]))]);
        let text = "千万别说喂，说话呀。也别说~~喂，说话呀！~~";
        let hits = phrases.find(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(&text[hits[0].range.clone()], "喂，说话呀");
        assert_eq!(hits[0].origin, "phone#greeting");
        assert!(
            phrases.find("不行").is_empty(),
            "one-character phrases are left out"
        );
    }
}
