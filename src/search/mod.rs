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

pub(crate) mod segment;

use std::borrow::Cow;
use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::output::{Contents, OutputFile};
use crate::text::script_json::to_script_json;
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

/// Documents are indexed a chunk at a time in parallel, then merged in order.
const DOCS_PER_CHUNK: usize = 256;
/// Terms are merged in this many groups, in parallel.
const BUCKETS: usize = 64;

/// The group a term is merged in.
fn bucket_of(term: &str) -> usize {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(term) as usize % BUCKETS
}

/// Builds the index files, handing each to `sink` as it is made when there is one
/// (then none are returned). Without a `segmenter`, one fitted to the documents'
/// characters is made (see [`Segmenter::fitted`]).
pub(crate) fn build_index(
    docs: Vec<SearchDoc>,
    known: &[Option<&Weights>],
    segmenter: Option<&Segmenter>,
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
            encoded_postings(&docs, known, segmenter)
        },
        || {
            let _t = crate::trace::span("search: doc files");
            docs.par_chunks(DOCS_PER_SHARD)
                .enumerate()
                .with_max_len(1)
                .for_each(|(shard, chunk)| emit(doc_file(shard, chunk)));
        },
    );
    let _t = crate::trace::span("search: posting files");
    posting_files(&postings, doc_count, &emit);
    drop(postings);
    let mut files = files.into_inner().expect("no panic while pushing");
    // The same order every build, whatever order the threads finished in.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// `search/index.js` (the counts and every term) and the posting shards
/// `search/p-N.js`, each handed to `emit`.
fn posting_files(
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
    Segmenter::fitted(&chars)
}

/// `search/d-N.js`: what the results of documents N×docsPerShard onwards show.
fn doc_file(shard: usize, docs: &[SearchDoc]) -> OutputFile {
    let rows: Vec<[&str; 4]> = docs
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
    script_file(
        &format!("search/d-{shard}.js"),
        format!("handbookSearch.docs({shard},{});\n", to_script_json(&rows)),
    )
}

/// Pairs sorted by key, written as a JSON object.
struct SortedMap<'a>(&'a [(&'a str, &'a str)]);

impl Serialize for SortedMap<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().copied())
    }
}

/// A document's terms with their weights: 10 if in the page title (first document
/// of a page only), +5 in the heading, + body occurrences up to 3.
pub(crate) type Weights = Vec<(Box<str>, u32)>;

/// The weighted terms of one document.
pub(crate) fn weights(doc: &SearchDoc, segmenter: &Segmenter) -> Weights {
    let mut vocabulary = Vocabulary::default();
    let mut ids = Vec::new();
    vocabulary.add(doc, segmenter, |id, weight| ids.push((id, weight)));
    let mut list: Weights = ids
        .into_iter()
        .map(|(id, weight)| (Box::from(vocabulary.terms[id as usize].as_ref()), weight))
        .collect();
    list.sort_unstable();
    list
}

/// The terms met so far, numbered as they come, and the weights of the document
/// being added. Weights live in an array indexed by term number rather than in a
/// map per document, so a term is looked up once per occurrence and no more.
#[derive(Default)]
struct Vocabulary<'t> {
    ids: HashMap<Cow<'t, str>, u32>,
    terms: Vec<Cow<'t, str>>,
    /// The current document's weight of each term; 0 for a term it lacks.
    weight: Vec<u32>,
    /// The last field (heading, title) that counted each term: those count a
    /// term once however often it appears.
    counted_in: Vec<u32>,
    field: u32,
    /// The terms of the current document.
    touched: Vec<u32>,
}

impl<'t> Vocabulary<'t> {
    fn id(&mut self, term: Cow<'t, str>) -> u32 {
        if let Some(&id) = self.ids.get(term.as_ref()) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.clone());
        self.ids.insert(term, id);
        self.weight.push(0);
        self.counted_in.push(0);
        id
    }

    /// Adds `doc`'s terms: `each` gets every term's number and its weight, 10 if in
    /// the page title (first document of a page only), +5 in the heading, + body
    /// occurrences up to 3.
    fn add(&mut self, doc: &'t SearchDoc, segmenter: &Segmenter, mut each: impl FnMut(u32, u32)) {
        segmenter.for_each_term(&doc.text, |term| {
            let id = self.id(term) as usize;
            if self.weight[id] == 0 {
                self.touched.push(id as u32);
            }
            self.weight[id] = (self.weight[id] + 1).min(3);
        });
        let title = if doc.first_of_page {
            doc.page_title.as_str()
        } else {
            ""
        };
        for (text, points) in [(doc.heading.as_str(), 5), (title, 10)] {
            self.field += 1;
            let field = self.field;
            segmenter.for_each_term(text, |term| {
                let id = self.id(term) as usize;
                if self.counted_in[id] != field {
                    self.counted_in[id] = field;
                    if self.weight[id] == 0 {
                        self.touched.push(id as u32);
                    }
                    self.weight[id] += points;
                }
            });
        }
        for id in self.touched.drain(..) {
            each(id, std::mem::take(&mut self.weight[id as usize]));
        }
    }
}

/// The postings of a chunk of documents: every term's `(document, weight)` pairs
/// lie together in `postings`, in document order; `buckets` says where, for the
/// terms of each merge group.
struct ChunkPostings<'t> {
    postings: Vec<(u32, u32)>,
    buckets: Vec<TermRanges<'t>>,
}

/// Terms, each with where its pairs lie in its chunk's postings.
type TermRanges<'t> = Vec<(Cow<'t, str>, Range<usize>)>;

/// A term and its `(document, weight)` pairs.
type TermPostings<'t> = (Cow<'t, str>, Vec<(u32, u32)>);

/// Every term with its encoded postings, sorted by term. `known` holds, where the
/// caller has them (watch mode keeps them per page), each document's weights.
fn encoded_postings(
    docs: &[SearchDoc],
    known: &[Option<&Weights>],
    segmenter: &Segmenter,
) -> Vec<(String, String)> {
    let t = crate::trace::span("search: segment");
    let chunks: Vec<ChunkPostings> = docs
        .par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        // One job per item: rayon splits a range only while the other thread steals,
        // and the run it left unsplit ended phases with one thread working alone.
        .with_max_len(1)
        .map(|(c, chunk)| chunk_postings(c * DOCS_PER_CHUNK, chunk, known, segmenter))
        .collect();
    drop(t);
    let t = crate::trace::span("search: merge");
    let mut terms = merge_chunks(chunks);
    drop(t);
    let _t = crate::trace::span("search: sort+encode");
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let encoded: Vec<Vec<(String, String)>> = balanced_runs(&terms)
        .into_par_iter()
        .with_max_len(1)
        .map(|run| {
            terms[run]
                .iter()
                .map(|(term, list)| (term.to_string(), encode_postings(list)))
                .collect()
        })
        .collect();
    encoded.into_iter().flatten().collect()
}

/// The postings of the documents of one chunk, the first of which is document
/// `first`: from their known weights, or from their text.
fn chunk_postings<'t>(
    first: usize,
    chunk: &'t [SearchDoc],
    known: &[Option<&'t Weights>],
    segmenter: &Segmenter,
) -> ChunkPostings<'t> {
    let mut vocabulary = Vocabulary::default();
    // (term, document, weight), in document order.
    let mut found: Vec<(u32, u32, u32)> = Vec::new();
    for (k, doc) in chunk.iter().enumerate() {
        let id = first + k;
        if let Some(Some(list)) = known.get(id) {
            for (term, weight) in list.iter() {
                let term = vocabulary.id(Cow::Borrowed(term.as_ref()));
                found.push((term, id as u32, *weight));
            }
            continue;
        }
        vocabulary.add(doc, segmenter, |term, weight| {
            found.push((term, id as u32, weight))
        });
    }
    ChunkPostings::grouped(&found, vocabulary.terms)
}

impl<'t> ChunkPostings<'t> {
    /// `found`'s pairs grouped by term, keeping document order (a counting sort);
    /// `terms` are the terms by number.
    fn grouped(found: &[(u32, u32, u32)], terms: Vec<Cow<'t, str>>) -> Self {
        let mut starts = vec![0usize; terms.len() + 1];
        for &(term, ..) in found {
            starts[term as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut postings = vec![(0, 0); found.len()];
        for &(term, doc, weight) in found {
            postings[next[term as usize]] = (doc, weight);
            next[term as usize] += 1;
        }
        let mut buckets: Vec<TermRanges> = (0..BUCKETS).map(|_| Vec::new()).collect();
        for (id, term) in terms.into_iter().enumerate() {
            buckets[bucket_of(&term)].push((term, starts[id]..starts[id + 1]));
        }
        ChunkPostings { postings, buckets }
    }
}

/// Every term with its postings from all chunks, merged a group of terms at a time
/// in parallel; in no order.
fn merge_chunks(chunks: Vec<ChunkPostings>) -> Vec<TermPostings> {
    let mut by_bucket: Vec<Vec<(usize, TermRanges)>> = (0..BUCKETS).map(|_| Vec::new()).collect();
    let mut postings = Vec::with_capacity(chunks.len());
    for (c, chunk) in chunks.into_iter().enumerate() {
        for (b, terms) in chunk.buckets.into_iter().enumerate() {
            by_bucket[b].push((c, terms));
        }
        postings.push(chunk.postings);
    }
    // Chunks are merged in document order, so every posting list stays sorted.
    by_bucket
        .into_par_iter()
        .with_max_len(1)
        .flat_map_iter(|chunks| {
            let mut merged: HashMap<Cow<str>, Vec<(u32, u32)>> = HashMap::default();
            for (c, terms) in chunks {
                for (term, range) in terms {
                    merged
                        .entry(term)
                        .or_default()
                        .extend_from_slice(&postings[c][range]);
                }
            }
            merged.into_iter()
        })
        .collect()
}

/// Runs of terms holding about equal numbers of postings, to encode in parallel:
/// the few words found in nearly every section hold most of them, so runs of
/// equal numbers of terms would leave one thread encoding while the other waits.
fn balanced_runs(terms: &[TermPostings]) -> Vec<Range<usize>> {
    let total: usize = terms.iter().map(|(_, list)| list.len()).sum();
    let per_run = total / ENCODE_RUNS + 1;
    let mut runs = Vec::with_capacity(ENCODE_RUNS + 1);
    let (mut start, mut held) = (0, 0);
    for (i, (_, list)) in terms.iter().enumerate() {
        held += list.len();
        if held >= per_run {
            runs.push(start..i + 1);
            (start, held) = (i + 1, 0);
        }
    }
    runs.push(start..terms.len());
    runs
}

/// Posting runs encoded in parallel.
const ENCODE_RUNS: usize = 64;

/// `doc:weight` pairs joined by `,`, in base 36, each doc the gap from the one before.
fn encode_postings(list: &[(u32, u32)]) -> String {
    let mut encoded = String::with_capacity(list.len() * 4);
    let mut previous = 0;
    for (i, &(doc, weight)) in list.iter().enumerate() {
        if i > 0 {
            encoded.push(',');
        }
        push_base36(&mut encoded, (doc - previous) as usize);
        encoded.push(':');
        push_base36(&mut encoded, weight as usize);
        previous = doc;
    }
    encoded
}

fn script_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}

#[cfg(test)]
fn base36(n: usize) -> String {
    let mut out = String::new();
    push_base36(&mut out, n);
    out
}

fn push_base36(out: &mut String, mut n: usize) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = [0u8; 16];
    let mut len = 0;
    loop {
        digits[len] = DIGITS[n % 36];
        len += 1;
        n /= 36;
        if n == 0 {
            break;
        }
    }
    for &d in digits[..len].iter().rev() {
        out.push(d as char);
    }
}

/// FNV-1a over UTF-16 code units, as the browser computes it with `charCodeAt`.
pub(crate) fn fnv1a_utf16(term: &str) -> u32 {
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
        let files = build_index(docs, &[], None, None);
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
    fn weights_worked_out_per_page_give_the_same_index() {
        let docs = vec![
            doc("returns.html", "", "退货退货退货退货，运费。", true),
            doc("returns.html#运费", "运费 运费险 运费", "运费险。", false),
            doc("other.html", "", "SKU sku 换货", true),
        ];
        let segmenter = Segmenter::new();
        let lists: Vec<Weights> = docs.iter().map(|d| weights(d, &segmenter)).collect();
        let weight = |list: &Weights, term: &str| {
            list.iter()
                .find(|(t, _)| t.as_ref() == term)
                .map(|(_, w)| *w)
        };
        // Body occurrences count up to 3; the title adds 10 once.
        assert_eq!(weight(&lists[0], "退货"), Some(13));
        // A heading adds 5 once, however often the term appears in it (+1: the
        // body's 运费险 holds 运费 as a search sub-word).
        assert_eq!(weight(&lists[1], "运费"), Some(6));
        assert_eq!(weight(&lists[1], "运费险"), Some(6));
        // Latin words are lower-cased.
        assert_eq!(weight(&lists[2], "sku"), Some(2));

        let known: Vec<Option<&Weights>> = lists.iter().map(Some).collect();
        let with_known = build_index(docs.clone(), &known, None, None);
        let from_text = build_index(docs, &[], Some(&segmenter), None);
        let bytes = |files: &[OutputFile]| -> Vec<(String, Vec<u8>)> {
            files
                .iter()
                .map(|f| match &f.contents {
                    Contents::Bytes(b) => (f.path.clone(), b.clone()),
                    _ => unreachable!(),
                })
                .collect()
        };
        assert_eq!(bytes(&with_known), bytes(&from_text));
    }

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
        assert_eq!(base36(0), "0");
        assert_eq!(base36(71), "1z");
    }
}
