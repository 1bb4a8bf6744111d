//! Every term's postings, gathered from all documents and encoded as the posting
//! shards carry them: `doc:weight` pairs joined by `,`, in base 36, each doc number
//! the gap from the one before.
//!
//! Documents are weighed a chunk at a time in parallel, each chunk numbering its own
//! terms; the chunks are then merged a group of terms at a time, also in parallel,
//! and the lists encoded in runs of about equal work. This is the costly part of a
//! build with search, hence the care for both cores.

use std::borrow::Cow;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::segment::Segmenter;
use super::weights::{Vocabulary, Weights};
use super::SearchDoc;

/// Documents are indexed a chunk at a time in parallel, then merged in order.
pub(super) const DOCS_PER_CHUNK: usize = 256;
/// Terms are merged in this many groups, in parallel.
const BUCKETS: usize = 64;
/// Posting runs encoded in parallel.
const ENCODE_RUNS: usize = 64;

/// The group a term is merged in.
fn bucket_of(term: &str) -> usize {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(term) as usize % BUCKETS
}

/// The postings of a chunk of documents, by merge group.
struct ChunkPostings<'t> {
    buckets: Vec<BucketPostings<'t>>,
}

/// One merge group's part of a chunk: each term's `(document, weight)` pairs lie
/// together in `postings`, in document order, where `terms` says. Held per group
/// so the merge frees each part as soon as its group is merged: with one list per
/// chunk, every chunk's pairs stayed until the last group was done, beside the
/// merged lists (the build's peak of memory).
struct BucketPostings<'t> {
    postings: Vec<(u32, u32)>,
    terms: TermRanges<'t>,
}

/// Terms, each with where its pairs lie in its chunk's postings.
type TermRanges<'t> = Vec<(Cow<'t, str>, Range<usize>)>;

/// A chunk's part of a merge group, its terms numbered within the group: each
/// term's number and where its pairs lie, and the pairs.
type PlacedPart = (Vec<(usize, Range<usize>)>, Vec<(u32, u32)>);

/// A term and its `(document, weight)` pairs.
type TermPostings<'t> = (Cow<'t, str>, Vec<(u32, u32)>);

/// Every term with its encoded postings, sorted by term. `known` holds, where the
/// caller has them (watch mode keeps them per page), each document's weights;
/// `give_back`: memory freed on the way is given back to the system (a large
/// one-shot build, see `memory`).
pub(super) fn encoded_postings(
    docs: &[SearchDoc],
    known: &[Option<&Weights>],
    segmenter: &Segmenter,
    give_back: bool,
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
    if give_back {
        // What the segmentation freed, before the merge: a one-shot build's peak.
        crate::memory::give_back_freed();
    }
    let t = crate::trace::span("search: merge");
    let mut terms = merge_chunks(chunks);
    drop(t);
    if give_back {
        // What the merge freed (the chunks' pairs), before the lists are encoded.
        crate::memory::give_back_freed();
    }
    let _t = crate::trace::span("search: sort+encode");
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // Each run owns its terms, so a list is freed once encoded rather than held
    // until every list is.
    let runs = balanced_runs(&terms);
    let mut owned_runs: Vec<Vec<TermPostings>> = Vec::with_capacity(runs.len());
    for run in runs.iter().rev() {
        owned_runs.push(terms.split_off(run.start));
    }
    owned_runs.reverse();
    let encoded: Vec<Vec<(String, String)>> = owned_runs
        .into_par_iter()
        .with_max_len(1)
        .map(|run| {
            run.into_iter()
                .map(|(term, list)| (term.into_owned(), encode_postings(&list)))
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
    ChunkPostings::grouped(&found, vocabulary.into_terms())
}

impl<'t> ChunkPostings<'t> {
    /// `found`'s pairs grouped by merge group and term, keeping document order (a
    /// counting sort); `terms` are the terms by number.
    fn grouped(found: &[(u32, u32, u32)], terms: Vec<Cow<'t, str>>) -> Self {
        // Each term's rank: the terms ordered by group, then by number.
        let group: Vec<usize> = terms.iter().map(|term| bucket_of(term)).collect();
        let mut group_start = vec![0usize; BUCKETS + 1];
        for &g in &group {
            group_start[g + 1] += 1;
        }
        for g in 1..group_start.len() {
            group_start[g] += group_start[g - 1];
        }
        let mut next_rank = group_start.clone();
        let rank: Vec<usize> = group
            .iter()
            .map(|&g| {
                next_rank[g] += 1;
                next_rank[g] - 1
            })
            .collect();
        // Where each rank's pairs start, counted over all groups.
        let mut starts = vec![0usize; terms.len() + 1];
        for &(term, ..) in found {
            starts[rank[term as usize] + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut buckets: Vec<BucketPostings> = (0..BUCKETS)
            .map(|g| BucketPostings {
                postings: vec![(0, 0); starts[group_start[g + 1]] - starts[group_start[g]]],
                terms: Vec::with_capacity(group_start[g + 1] - group_start[g]),
            })
            .collect();
        let mut next = starts.clone();
        for &(term, doc, weight) in found {
            let (r, g) = (rank[term as usize], group[term as usize]);
            let at = next[r] - starts[group_start[g]];
            buckets[g].postings[at] = (doc, weight);
            next[r] += 1;
        }
        for (id, term) in terms.into_iter().enumerate() {
            let (r, g) = (rank[id], group[id]);
            let offset = starts[group_start[g]];
            buckets[g]
                .terms
                .push((term, starts[r] - offset..starts[r + 1] - offset));
        }
        ChunkPostings { buckets }
    }
}

/// Every term with its postings from all chunks, merged a group of terms at a time
/// in parallel, each chunk's part of a group freed once merged; in no order.
fn merge_chunks(chunks: Vec<ChunkPostings>) -> Vec<TermPostings> {
    let mut by_bucket: Vec<Vec<BucketPostings>> = (0..BUCKETS)
        .map(|_| Vec::with_capacity(chunks.len()))
        .collect();
    for chunk in chunks {
        for (b, part) in chunk.buckets.into_iter().enumerate() {
            by_bucket[b].push(part);
        }
    }
    // Chunks are merged in document order, so every posting list stays sorted.
    by_bucket
        .into_par_iter()
        .with_max_len(1)
        .flat_map_iter(|parts| {
            // First each term's number in the group and its pairs' count, so each
            // list is made once at its size: grown by doubling, the lists' old
            // buffers were freed into memory the allocator kept (at the peak) and
            // copied again and again.
            let mut slots: HashMap<Cow<str>, usize> = HashMap::default();
            let mut lengths: Vec<usize> = Vec::new();
            let mut placed: Vec<PlacedPart> = Vec::with_capacity(parts.len());
            for part in parts {
                let mut ranges = Vec::with_capacity(part.terms.len());
                for (term, range) in part.terms {
                    let next = lengths.len();
                    let slot = *slots.entry(term).or_insert(next);
                    if slot == next {
                        lengths.push(0);
                    }
                    lengths[slot] += range.len();
                    ranges.push((slot, range));
                }
                placed.push((ranges, part.postings));
            }
            let mut lists: Vec<Vec<(u32, u32)>> =
                lengths.into_iter().map(Vec::with_capacity).collect();
            for (ranges, postings) in placed {
                for (slot, range) in ranges {
                    lists[slot].extend_from_slice(&postings[range]);
                }
            }
            slots
                .into_iter()
                .map(move |(term, slot)| (term, std::mem::take(&mut lists[slot])))
                .collect::<Vec<_>>()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base36_writes_digits_then_letters() {
        assert_eq!(base36(0), "0");
        assert_eq!(base36(71), "1z");
    }
}
