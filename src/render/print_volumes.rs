//! The print version of a large handbook, in volumes. One `print.html` holding a
//! 10,000-chapter handbook is 70 MB: no phone opens it, and a desktop browser takes
//! minutes to lay it out for printing. Past [`WHOLE_BOOK_MAX_PAGES`] pages the book
//! is printed in volumes instead: one per section of the contents (a part, or the
//! phrase tables), a section longer than [`VOLUME_MAX_PAGES`] pages cut into
//! several, each under `print/`; `print.html` then lists them.
//!
//! The choice depends on the number of pages and their order only, never on their
//! text, so an edit that changes no page's place changes no print link: watch mode
//! re-renders only what the edit touched.

use rustc_hash::FxHashMap as HashMap;

use crate::model::PageRef;
use crate::resolve::Site;

/// The most pages `print.html` holds itself: a few megabytes at the sample's
/// chapter length, which a phone still opens.
pub(crate) const WHOLE_BOOK_MAX_PAGES: usize = 300;

/// The most pages in one volume, so that no volume grows past a few megabytes
/// whatever the size of a part.
pub(crate) const VOLUME_MAX_PAGES: usize = 200;

/// One volume: a run of pages of one section, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Volume {
    /// The section (of [`Site::sections`]) it prints.
    pub(crate) section: usize,
    /// Which part of its section, from 1, and of how many.
    pub(crate) part: (usize, usize),
    /// Its pages' places in [`Site::order`]: one run.
    pub(crate) order: std::ops::Range<usize>,
}

/// The volumes of a handbook printed in volumes, and each page's volume.
#[derive(Debug, Default)]
pub(crate) struct PrintVolumes {
    pub(crate) volumes: Vec<Volume>,
    of_page: HashMap<PageRef, usize>,
}

impl PrintVolumes {
    /// The volumes for `site`, or `None` where `print.html` holds the whole book.
    pub(crate) fn plan(site: &Site) -> Option<Self> {
        if site.order.len() <= WHOLE_BOOK_MAX_PAGES {
            return None;
        }
        let mut plan = PrintVolumes::default();
        for (s, section) in site.sections.iter().enumerate() {
            let Some(&first) = section.pages.first() else {
                continue;
            };
            // A section's pages follow one another in reading order.
            let start = site.position[&first].0;
            let count = section.pages.len().div_ceil(VOLUME_MAX_PAGES);
            for (n, pages) in section.pages.chunks(VOLUME_MAX_PAGES).enumerate() {
                let from = start + n * VOLUME_MAX_PAGES;
                for &page in pages {
                    plan.of_page.insert(page, plan.volumes.len());
                }
                plan.volumes.push(Volume {
                    section: s,
                    part: (n + 1, count),
                    order: from..from + pages.len(),
                });
            }
        }
        Some(plan)
    }

    /// The volume `page` is printed in.
    pub(crate) fn of(&self, page: PageRef) -> Option<&Volume> {
        self.of_page.get(&page).map(|&v| &self.volumes[v])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::Section;

    fn site(sections: &[usize]) -> Site {
        let mut site = Site::default();
        let mut c = 0;
        for (s, &count) in sections.iter().enumerate() {
            let pages: Vec<PageRef> = (c..c + count).map(PageRef::Chapter).collect();
            for &page in &pages {
                site.position.insert(page, (site.order.len(), s));
                site.order.push(page);
            }
            c += count;
            site.sections.push(Section {
                title: Some(format!("第{s}部分")),
                summary: None,
                is_tables: false,
                pages,
            });
        }
        site
    }

    #[test]
    fn a_handbook_up_to_the_limit_prints_whole() {
        assert!(PrintVolumes::plan(&site(&[WHOLE_BOOK_MAX_PAGES - 10, 10])).is_none());
    }

    #[test]
    fn past_the_limit_each_section_is_a_volume_and_a_long_one_is_cut() {
        let site = site(&[30, 0, VOLUME_MAX_PAGES * 2 + 1, 5]);
        let plan = PrintVolumes::plan(&site).expect("volumes");
        let shape: Vec<(usize, (usize, usize), usize)> = plan
            .volumes
            .iter()
            .map(|v| (v.section, v.part, v.order.len()))
            .collect();
        assert_eq!(
            shape,
            [
                (0, (1, 1), 30),
                (2, (1, 3), VOLUME_MAX_PAGES),
                (2, (2, 3), VOLUME_MAX_PAGES),
                (2, (3, 3), 1),
                (3, (1, 1), 5),
            ]
        );
        // Every page is in the volume whose run holds its place.
        for (i, &page) in site.order.iter().enumerate() {
            assert!(plan.of(page).unwrap().order.contains(&i), "page {i}");
        }
        let last = plan.volumes.last().unwrap();
        assert_eq!(last.order.end, site.order.len());
    }
}
