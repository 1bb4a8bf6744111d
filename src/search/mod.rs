//! The search index: built at build time, queried in the browser.
//!
//! Every section of every page (a chapter's text under each `##`/`###` heading, a
//! table's entries) is a document. Terms come from [`segment`]. The index is written
//! as JavaScript files that call back into the search client, because `<script>`
//! tags load from `file://` where `fetch` cannot:
//!
//! - `search/index.js`: `handbookSearch.index({version, docs, shards, docsPerShard, terms})`:
//!   counts, and the vocabulary (every term, sorted) that the client splits queries
//!   against.
//! - `search/p-N.js`: `handbookSearch.postings(N, {term: postings, …})` for the terms
//!   whose FNV-1a hash (32-bit, over UTF-16 code units) modulo `shards` is N. Postings
//!   are `doc:weight` pairs joined by `,`, both in base 36, each doc number the gap
//!   from the previous one. Weight: 10 if the term is in the page title (first
//!   section only), +5 in the section heading, + body occurrences (at most 3).
//! - `search/d-N.js`: `handbookSearch.docs(N, [[url, page title, heading, text], …])`
//!   for documents N×docsPerShard onwards: what a result shows.
//!
//! A query loads the index, the posting shards of its terms, and the document shards
//! of the results it shows: a 10,000-chapter handbook does not download megabytes.

pub mod segment;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::render::{Contents, OutputFile};
use segment::Segmenter;

/// A piece of a page that search can point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// Relative to the site root, with `#anchor` for a section.
    pub url: String,
    pub page_title: String,
    /// Empty for the opening of a page, before its first heading.
    pub heading: String,
    pub text: String,
    /// True for the first document of a page, which carries the page title's terms.
    pub first_of_page: bool,
}

const DOCS_PER_SHARD: usize = 100;
/// Posting bytes aimed at per shard.
const SHARD_BYTES: usize = 48 * 1024;

#[derive(Serialize)]
struct IndexMeta<'a> {
    version: u32,
    docs: usize,
    shards: usize,
    #[serde(rename = "docsPerShard")]
    docs_per_shard: usize,
    terms: Vec<&'a str>,
}

/// Sizes of what was written, for reports.
#[derive(Debug, Default, Clone, Copy)]
pub struct IndexStats {
    pub docs: usize,
    pub terms: usize,
    pub bytes: usize,
    pub files: usize,
}

pub fn build_index(docs: &[SearchDoc], segmenter: &Segmenter) -> (Vec<OutputFile>, IndexStats) {
    let weighted: Vec<HashMap<String, u32>> = docs
        .par_iter()
        .map(|doc| {
            let mut weights: HashMap<String, u32> = HashMap::new();
            let mut body = HashMap::new();
            segmenter.terms(&doc.text, &mut body);
            for (term, count) in body {
                weights.insert(term, count.min(3));
            }
            let mut heading = HashMap::new();
            segmenter.terms(&doc.heading, &mut heading);
            for term in heading.into_keys() {
                *weights.entry(term).or_insert(0) += 5;
            }
            if doc.first_of_page {
                let mut title = HashMap::new();
                segmenter.terms(&doc.page_title, &mut title);
                for term in title.into_keys() {
                    *weights.entry(term).or_insert(0) += 10;
                }
            }
            weights
        })
        .collect();

    let mut postings: BTreeMap<&str, String> = BTreeMap::new();
    let mut last_doc: HashMap<&str, usize> = HashMap::new();
    for (doc, weights) in weighted.iter().enumerate() {
        let mut terms: Vec<(&String, &u32)> = weights.iter().collect();
        terms.sort();
        for (term, weight) in terms {
            let list = postings.entry(term.as_str()).or_default();
            let previous = last_doc.insert(term.as_str(), doc);
            if !list.is_empty() {
                list.push(',');
            }
            let gap = previous.map_or(doc, |p| doc - p);
            list.push_str(&base36(gap));
            list.push(':');
            list.push_str(&base36(*weight as usize));
        }
    }

    let total: usize = postings.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
    let shards = total.div_ceil(SHARD_BYTES).clamp(1, 4096);
    let mut shard_maps: Vec<BTreeMap<&str, &str>> = vec![BTreeMap::new(); shards];
    for (term, list) in &postings {
        shard_maps[fnv1a_utf16(term) as usize % shards].insert(term, list);
    }

    let mut files = Vec::new();
    let meta = IndexMeta {
        version: 1,
        docs: docs.len(),
        shards,
        docs_per_shard: DOCS_PER_SHARD,
        terms: postings.keys().copied().collect(),
    };
    files.push(script_file(
        "search/index.js",
        format!("handbookSearch.index({});\n", json(&meta)),
    ));
    for (n, map) in shard_maps.iter().enumerate() {
        files.push(script_file(
            &format!("search/p-{n}.js"),
            format!("handbookSearch.postings({n},{});\n", json(map)),
        ));
    }
    for (n, chunk) in docs.chunks(DOCS_PER_SHARD).enumerate() {
        let rows: Vec<[&str; 4]> = chunk
            .iter()
            .map(|d| {
                [
                    d.url.as_str(),
                    d.page_title.as_str(),
                    d.heading.as_str(),
                    d.text.as_str(),
                ]
            })
            .collect();
        files.push(script_file(
            &format!("search/d-{n}.js"),
            format!("handbookSearch.docs({n},{});\n", json(&rows)),
        ));
    }
    let stats = IndexStats {
        docs: docs.len(),
        terms: postings.len(),
        bytes: files
            .iter()
            .map(|f| match &f.contents {
                Contents::Bytes(b) => b.len(),
                _ => 0,
            })
            .sum(),
        files: files.len(),
    };
    (files, stats)
}

fn script_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}

/// JSON that is also safe inside a `<script>` file: no `</script>` can end it early
/// and the two line separators JavaScript once rejected are escaped.
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value)
        .expect("index data serializes")
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

pub fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".into();
    }
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[n % 36]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII digits")
}

/// FNV-1a over UTF-16 code units, as the browser computes it with `charCodeAt`.
pub fn fnv1a_utf16(term: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for unit in term.encode_utf16() {
        hash ^= unit as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, heading: &str, text: &str, first: bool) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            page_title: "退货处理".into(),
            heading: heading.into(),
            text: text.into(),
            first_of_page: first,
        }
    }

    #[test]
    fn postings_are_gap_encoded_and_weighted() {
        let docs = vec![
            doc("returns.html", "", "买家申请退货时先问原因。", true),
            doc(
                "returns.html#运费",
                "运费险",
                "退货的运费由运费险赔付。",
                false,
            ),
        ];
        let (files, stats) = build_index(&docs, &Segmenter::new());
        assert_eq!(stats.docs, 2);
        let text = |path: &str| match &files.iter().find(|f| f.path == path).unwrap().contents {
            Contents::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            _ => unreachable!(),
        };
        let index = text("search/index.js");
        assert!(index.starts_with("handbookSearch.index({\"version\":1,\"docs\":2,\"shards\":1,"));
        let postings = text("search/p-0.js");
        // 退货: doc 0 with title weight 10 + body 1, then doc 1 (gap 1), body 1.
        assert!(postings.contains("\"退货\":\"0:b,1:1\""), "{postings}");
        // 运费险: only doc 1, heading 5 + body 1.
        assert!(postings.contains("\"运费险\":\"1:6\""), "{postings}");
        assert!(text("search/d-0.js").contains("[\"returns.html#运费\",\"退货处理\",\"运费险\","));
    }

    #[test]
    fn hashing_matches_the_browser() {
        // Values computed with the same function in JavaScript (charCodeAt).
        assert_eq!(fnv1a_utf16("a"), 0xe40c292c);
        assert_eq!(fnv1a_utf16(""), 0x811c9dc5);
        assert_eq!(base36(0), "0");
        assert_eq!(base36(71), "1z");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        assert_eq!(json("</script>"), "\"<\\/script>\"");
    }
}
