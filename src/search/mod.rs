//! The search index: built at build time, queried in the browser.
//!
//! Every section of every page (a chapter's text under each `##`/`###` heading, a
//! table's entries) is a document. Terms come from [`segment`]. The index is written
//! as JavaScript files that call back into the search client, because `<script>`
//! tags load from `file://` where `fetch` cannot:
//!
//! - `search/index.js`: `handbookSearch.index({version, docs, shards, docsPerShard, terms,
//!   stop})`: counts, the vocabulary (every term, sorted) that the client splits
//!   queries against, and the stop characters, never terms on their own: a query's
//!   other characters that no term covers mean no section has the whole query.
//! - `search/p-N.js`: `handbookSearch.postings(N, {term: postings, …})` for the terms
//!   whose FNV-1a hash (32-bit, over UTF-16 code units) modulo `shards` is N. Postings
//!   are `doc:weight` pairs joined by `,`, both in base 36, each doc number the gap
//!   from the previous one. Weight: 10 if the term is in the page title (first
//!   section only), +5 in the section heading, + body occurrences (at most 3).
//! - `search/d-N.js`: `handbookSearch.docs(N, [[url, page title], …], [[page, anchor,
//!   heading, text], …])` for documents N×docsPerShard onwards: what a result shows,
//!   as written, each page's url and title once (`page` indexes them; `anchor` is
//!   1 where it is the heading itself), which the client puts back together.
//! - `search/fold.js`: `handbookSearch.fold(from, to)`: the Traditional characters
//!   and the Simplified ones they fold to ([`fold`]). Terms are made of folded text,
//!   and the client folds a query the same way, so either script finds both.
//!
//! A query loads the index, the posting shards of its terms, and the document shards
//! of the results it shows: a 10,000-chapter handbook does not download megabytes.
//!
//! This file holds the documents and [`build_index`], which runs the steps:
//! `weights.rs` weighs one document's terms, `postings.rs` gathers and encodes every
//! term's postings, `files.rs` writes them and the documents into the files above.

mod files;
pub(crate) mod fold;
mod postings;
#[cfg(test)]
pub(crate) mod query;
pub(crate) mod segment;
mod weights;

pub(crate) use weights::{weights, Weights};

use rayon::prelude::*;

use crate::output::OutputFile;
use postings::DOCS_PER_CHUNK;
use segment::{CharSet, Segmenter};

/// A piece of a page that search can point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchDoc {
    /// Relative to the site root, with `#anchor` for a section.
    pub(crate) url: String,
    pub(crate) page_title: String,
    /// Empty for the opening of a page, before its first heading.
    pub(crate) heading: String,
    pub(crate) text: String,
    /// True for the first document of a page, which carries the page title's terms.
    pub(crate) first_of_page: bool,
}

/// Builds the index files, handing each to `sink` as it is made when there is one
/// (then none are returned). Without a `segmenter`, one fitted to the documents'
/// characters is made (see [`Segmenter::fitted`]). With `give_back`, memory freed
/// on the way is given back to the system (a large one-shot build: see `memory`).
pub(crate) fn build_index(
    docs: Vec<SearchDoc>,
    known: &[Option<&Weights>],
    segmenter: Option<&Segmenter>,
    give_back: bool,
    sink: Option<&(dyn Fn(OutputFile) + Sync)>,
) -> Vec<OutputFile> {
    let files = std::sync::Mutex::new(Vec::new());
    let emit = |file: OutputFile| match sink {
        Some(sink) => sink(file),
        None => files.lock().expect("no panic while pushing").push(file),
    };
    let doc_count = docs.len();
    // What a result shows does not depend on the postings: those files are made
    // while the text is segmented, rather than after it with a core idle.
    let (postings, ()) = rayon::join(
        || {
            let _t = crate::trace::span("search: postings");
            let fitted;
            let segmenter = match segmenter {
                Some(segmenter) => segmenter,
                None => {
                    fitted = fitted_segmenter(&docs);
                    &fitted
                }
            };
            postings::encoded_postings(&docs, known, segmenter, give_back)
        },
        || {
            let _t = crate::trace::span("search: doc files");
            files::doc_files(&docs, &emit);
        },
    );
    emit(files::script_file("search/fold.js", fold::table().script()));
    let _t = crate::trace::span("search: posting files");
    files::posting_files(&postings, doc_count, &emit);
    drop(postings);
    let mut files = files.into_inner().expect("no panic while pushing");
    // The same order every build, whatever order the threads finished in.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// A segmenter with the dictionary words the documents' characters can make.
fn fitted_segmenter(docs: &[SearchDoc]) -> Segmenter {
    let _t = crate::trace::span("search: dictionary");
    let chars = docs
        .par_chunks(DOCS_PER_CHUNK)
        .with_max_len(1)
        .map(|chunk| {
            let mut chars = CharSet::default();
            for doc in chunk {
                chars.add(&doc.text);
                chars.add(&doc.heading);
                chars.add(&doc.page_title);
            }
            chars
        })
        .reduce(CharSet::default, |a, b| a.union(&b));
    let mut chars = chars;
    fold::table().add_folded(&mut chars);
    Segmenter::fitted(&chars)
}

/// A document of the page 退货处理, for the tests of this module and the ones below.
#[cfg(test)]
fn test_doc(url: &str, heading: &str, text: &str, first: bool) -> SearchDoc {
    SearchDoc {
        url: url.into(),
        page_title: "退货处理".into(),
        heading: heading.into(),
        text: text.into(),
        first_of_page: first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Contents;

    #[test]
    fn postings_are_gap_encoded_and_weighted() {
        let docs = vec![
            test_doc("returns.html", "", "买家申请退货时先问原因。", true),
            test_doc(
                "returns.html#运费",
                "运费险",
                "退货的运费由运费险赔付。",
                false,
            ),
        ];
        let files = build_index(docs, &[], None, false, None);
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
        // One page, its url and title once; the second section's anchor is its heading.
        assert!(text("search/d-0.js").starts_with(
            "handbookSearch.docs(0,[[\"returns.html\",\"退货处理\"]],[[0,\"\",\"\",\"买家申请退货时先问原因。\"],[0,\"运费\",\"运费险\","
        ));
    }

    #[test]
    fn weights_worked_out_per_page_give_the_same_index() {
        let docs = vec![
            test_doc("returns.html", "", "退货退货退货退货，运费。", true),
            test_doc("returns.html#运费", "运费 运费险 运费", "运费险。", false),
            test_doc("other.html", "", "SKU sku 换货", true),
        ];
        let segmenter = Segmenter::new();
        let lists: Vec<Weights> = docs.iter().map(|d| weights(d, &segmenter)).collect();
        let known: Vec<Option<&Weights>> = lists.iter().map(Some).collect();
        let with_known = build_index(docs.clone(), &known, None, false, None);
        let from_text = build_index(docs, &[], Some(&segmenter), false, None);
        let bytes = |files: &[OutputFile]| -> Vec<(String, Vec<u8>)> {
            files
                .iter()
                .map(|f| match &f.contents {
                    Contents::Bytes(b) => (f.path.clone(), b.clone()),
                    _ => unreachable!(),
                })
                .collect()
        };
        assert!(!with_known.is_empty());
        assert_eq!(bytes(&with_known), bytes(&from_text));
    }
}
