//! How much each term of one document weighs: 10 if in the page title (first
//! document of a page only), +5 in the heading, + body occurrences up to 3.
//!
//! Kept apart from the postings because watch mode works out a page's weights when
//! the page is rendered ([`weights`]) and hands them to the next index build, which
//! then segments only the pages that changed.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use super::segment::Segmenter;
use super::SearchDoc;

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
pub(super) struct Vocabulary<'t> {
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
    /// The number of `term`, given it the first time it is met.
    pub(super) fn id(&mut self, term: Cow<'t, str>) -> u32 {
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

    /// The terms met, by number.
    pub(super) fn into_terms(self) -> Vec<Cow<'t, str>> {
        self.terms
    }

    /// Adds `doc`'s terms: `each` gets every term's number and its weight, 10 if in
    /// the page title (first document of a page only), +5 in the heading, + body
    /// occurrences up to 3.
    pub(super) fn add(
        &mut self,
        doc: &'t SearchDoc,
        segmenter: &Segmenter,
        mut each: impl FnMut(u32, u32),
    ) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::test_doc;

    #[test]
    fn title_heading_and_body_weigh_as_documented() {
        let docs = [
            test_doc("returns.html", "", "退货退货退货退货，运费。", true),
            test_doc("returns.html#运费", "运费 运费险 运费", "运费险。", false),
            test_doc("other.html", "", "SKU sku 换货", true),
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
    }
}
