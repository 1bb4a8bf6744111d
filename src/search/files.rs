//! The index's files: `search/index.js` (counts and every term), the posting shards
//! `search/p-N.js` and the document shards `search/d-N.js`, in the format the module
//! doc of [`super`] describes.
//!
//! Apart from the postings so that what the browser loads (file names, the shard a
//! term lands in, the JSON around the data) is in one place, next to the hash the
//! search client must compute the same way.

use rayon::prelude::*;
use serde::Serialize;

use super::SearchDoc;
use crate::output::{Contents, OutputFile};
use crate::text::script_json::to_script_json;

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
    /// The characters never indexed on their own: a query may leave them out.
    stop: String,
}

/// `search/index.js` (the counts and every term) and the posting shards
/// `search/p-N.js`, each handed to `emit`. `postings` are every term with its
/// encoded postings, sorted by term.
pub(super) fn posting_files(
    postings: &[(String, String)],
    doc_count: usize,
    emit: &(dyn Fn(OutputFile) + Sync),
) {
    let total: usize = postings.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
    let shards = total.div_ceil(SHARD_BYTES).clamp(1, 4096);
    let shard_of: Vec<u32> = postings
        .par_iter()
        .map(|(term, _)| (fnv1a_utf16(term) as usize % shards) as u32)
        .collect();
    // Terms come sorted, so each shard's list is too, as its JSON object wants.
    let mut shard_lists: Vec<Vec<(&str, &str)>> = vec![Vec::new(); shards];
    for ((term, list), &shard) in postings.iter().zip(&shard_of) {
        shard_lists[shard as usize].push((term, list));
    }
    let meta = IndexMeta {
        version: 1,
        docs: doc_count,
        shards,
        docs_per_shard: DOCS_PER_SHARD,
        terms: postings.iter().map(|(t, _)| t.as_str()).collect(),
        stop: super::segment::STOP_CHARS.iter().collect(),
    };
    emit(script_file(
        "search/index.js",
        format!("handbookSearch.index({});\n", to_script_json(&meta)),
    ));
    shard_lists
        .par_iter()
        .enumerate()
        .with_max_len(1)
        .for_each(|(n, list)| {
            emit(script_file(
                &format!("search/p-{n}.js"),
                format!(
                    "handbookSearch.postings({n},{});\n",
                    to_script_json(&SortedMap(list))
                ),
            ))
        });
}

/// Every document shard `search/d-N.js`, made in parallel and each handed to `emit`.
pub(super) fn doc_files(docs: &[SearchDoc], emit: &(dyn Fn(OutputFile) + Sync)) {
    docs.par_chunks(DOCS_PER_SHARD)
        .enumerate()
        .with_max_len(1)
        .for_each(|(shard, chunk)| emit(doc_file(shard, chunk)));
}

/// `search/d-N.js`: what the results of documents N×docsPerShard onwards show, as
/// `handbookSearch.docs(N, pages, rows)`. A page's sections follow one another, so
/// each page's url and title are written once, in `pages` (`[url, title]`), and a
/// row is `[page, anchor, heading, text]`: `page` its index in `pages`, `anchor`
/// the part of its url after `#` ("" for none), or 1 where that is the heading as
/// written (the usual case: a Chinese heading is its own anchor). The client puts
/// each row back together as `[url, title, heading, text]`.
fn doc_file(shard: usize, docs: &[SearchDoc]) -> OutputFile {
    let mut pages: Vec<(&str, &str)> = Vec::new();
    let mut rows: Vec<(usize, DocAnchor, &str, &str)> = Vec::with_capacity(docs.len());
    for doc in docs {
        let (url, anchor) = doc.url.split_once('#').unwrap_or((doc.url.as_str(), ""));
        if pages.last() != Some(&(url, doc.page_title.as_str())) {
            pages.push((url, doc.page_title.as_str()));
        }
        let anchor = match anchor {
            a if !a.is_empty() && a == doc.heading => DocAnchor::Heading,
            a => DocAnchor::Written(a),
        };
        rows.push((
            pages.len() - 1,
            anchor,
            doc.heading.as_str(),
            doc.text.as_str(),
        ));
    }
    script_file(
        &format!("search/d-{shard}.js"),
        format!(
            "handbookSearch.docs({shard},{},{});\n",
            to_script_json(&pages),
            to_script_json(&rows)
        ),
    )
}

/// A document's anchor in its shard's rows: 1 for "the heading", else the text.
enum DocAnchor<'a> {
    Heading,
    Written(&'a str),
}

impl Serialize for DocAnchor<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DocAnchor::Heading => serializer.serialize_u8(1),
            DocAnchor::Written(anchor) => serializer.serialize_str(anchor),
        }
    }
}

/// Pairs sorted by key, written as a JSON object.
struct SortedMap<'a>(&'a [(&'a str, &'a str)]);

impl Serialize for SortedMap<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().copied())
    }
}

pub(super) fn script_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}

/// FNV-1a over UTF-16 code units, as the browser computes it with `charCodeAt`:
/// it picks the posting shard of a term.
fn fnv1a_utf16(term: &str) -> u32 {
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

    #[test]
    fn hashing_matches_the_browser() {
        // The cases the browser tests check the theme's script against in Chromium
        // (tests/browser/run.mjs): Chinese and an emoji outside the BMP, whose UTF-16
        // units differ from their UTF-8 bytes and their code points.
        let file = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/browser/fnv1a.json"
        ));
        let file: serde_json::Value = serde_json::from_str(file).unwrap();
        let cases = file["cases"].as_array().unwrap();
        let texts: Vec<&str> = cases.iter().map(|c| c[0].as_str().unwrap()).collect();
        assert!(texts.iter().any(|t| !t.is_ascii()), "a case beyond ASCII");
        assert!(
            texts
                .iter()
                .any(|t| t.encode_utf16().count() > t.chars().count()),
            "a case outside the BMP"
        );
        for (text, case) in texts.iter().zip(cases) {
            assert_eq!(
                fnv1a_utf16(text) as u64,
                case[1].as_u64().unwrap(),
                "{text}"
            );
        }
    }
}
