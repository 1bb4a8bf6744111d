//! The sidebar: rendered by `sidebar.html` once per section (and window) and shared
//! by that section's pages, which only mark their own link.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use super::cache::hash_of;
use super::context::{self, SidebarContext, SidebarSection};
use super::pages::PageRenderer;
use crate::diag::Diagnostic;
use crate::model::PageRef;

/// Sections listed in a page's sidebar at most, and pages of the current section.
const SIDEBAR_SECTIONS: usize = 25;
const SIDEBAR_PAGES: usize = 61;

/// A range of at most `max` items of `len`, centred on `center` where it can be.
fn window(len: usize, center: usize, max: usize) -> std::ops::Range<usize> {
    if len <= max {
        return 0..len;
    }
    let start = center.saturating_sub(max / 2).min(len - max);
    start..start + max
}

/// Which sidebar a page gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SidebarKey {
    pub(crate) section: Option<usize>,
    pub(crate) pages_from: usize,
    /// The relative path to the site root (pages in `phrases/` are one level down).
    pub(crate) root: &'static str,
}

/// The sidebar HTML shared by a section's pages, with the current page marked:
/// `aria-current="page"` goes on the first link to it.
pub(crate) fn mark_current(sidebar: &str, href: &str) -> String {
    let needle = format!("href=\"{href}\"");
    match memchr::memmem::find(sidebar.as_bytes(), needle.as_bytes()) {
        Some(i) => {
            let at = i + needle.len();
            let mut out = String::with_capacity(sidebar.len() + 20);
            out.push_str(&sidebar[..at]);
            out.push_str(" aria-current=\"page\"");
            out.push_str(&sidebar[at..]);
            out
        }
        None => sidebar.to_string(),
    }
}

/// What to do with the cached sidebars: keep only those of this build, add to
/// them, or keep none (a one-shot build).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    Replace,
    Add,
    Nothing,
}

impl PageRenderer<'_> {
    /// Which sidebar a page gets: its section, and where the window of that
    /// section's pages starts (0 unless the section is longer than the window).
    pub(super) fn sidebar_key(&self, current: Option<PageRef>) -> SidebarKey {
        let Some(&(_, s)) = current.and_then(|p| self.site.position.get(&p)) else {
            return SidebarKey {
                section: None,
                pages_from: 0,
                root: "",
            };
        };
        let pages = &self.site.sections[s].pages;
        let center = pages.iter().position(|&p| Some(p) == current).unwrap_or(0);
        SidebarKey {
            section: Some(s),
            pages_from: window(pages.len(), center, SIDEBAR_PAGES).start,
            root: "",
        }
    }

    /// The sidebar: the sections, and the pages of the current one only, so a page's
    /// size does not grow with the whole handbook. A handbook with very many parts
    /// (or a part with very many pages) gets a window around the current one, with
    /// "…" leading to the full table of contents on the index page.
    fn sidebar(&self, key: SidebarKey) -> Vec<SidebarSection> {
        let sections: Vec<(usize, &crate::resolve::Section)> = self
            .site
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.pages.is_empty())
            .collect();
        let center = key
            .section
            .and_then(|s| sections.iter().position(|(i, _)| *i == s))
            .unwrap_or(0);
        let shown = window(sections.len(), center, SIDEBAR_SECTIONS);
        let mut out = Vec::with_capacity(shown.len() + 2);
        if shown.start > 0 {
            out.push(self.elided_section());
        }
        for &(i, section) in &sections[shown.clone()] {
            let is_current = key.section == Some(i);
            let expanded = is_current || (section.title.is_none() && !section.is_tables);
            let mut pages = Vec::new();
            if expanded {
                let from = if is_current { key.pages_from } else { 0 };
                let range = from..(from + SIDEBAR_PAGES).min(section.pages.len());
                if range.start > 0 {
                    pages.push(self.elided_link());
                }
                pages.extend(section.pages[range.clone()].iter().map(|&p| {
                    let mut link = self.links.link(p, None);
                    link.summary = None;
                    link
                }));
                if range.end < section.pages.len() {
                    pages.push(self.elided_link());
                }
            }
            out.push(SidebarSection {
                title: self.section_title(section),
                url: self.links.page_url(section.pages[0]),
                current: is_current,
                pages,
            });
        }
        if shown.end < sections.len() {
            out.push(self.elided_section());
        }
        out
    }

    /// Every sidebar the pages need, each rendered once through `sidebar.html`.
    /// `known` holds sidebars rendered before (watch mode), by a hash of their
    /// context and the templates; those are not rendered again, and the new ones are
    /// added to it.
    pub(super) fn sidebars(
        &self,
        keys: impl Iterator<Item = SidebarKey>,
        known: &mut HashMap<u64, String>,
        keep: Keep,
    ) -> Result<HashMap<SidebarKey, String>, Diagnostic> {
        let keys: BTreeSet<SidebarKey> = keys.collect();
        let generation = (self.theme.fingerprint, self.handbook.config.fingerprint);
        let keys: Vec<SidebarKey> = keys.into_iter().collect();
        let rendered: Vec<(SidebarKey, u64, String, bool)> = keys
            .into_par_iter()
            .with_max_len(1)
            .map(|key| {
                let context = SidebarContext {
                    root: key.root,
                    sidebar: self.sidebar(key),
                };
                let hash = hash_of((generation, &context));
                if let Some(html) = known.get(&hash) {
                    return Ok((key, hash, html.clone(), false));
                }
                let html = self.render_template("sidebar.html", &context)?;
                Ok((key, hash, html, true))
            })
            .collect::<Result<_, Diagnostic>>()?;
        let mut sidebars = HashMap::with_capacity_and_hasher(rendered.len(), Default::default());
        let mut kept = HashMap::default();
        for (key, hash, html, _) in rendered {
            if keep != Keep::Nothing {
                kept.insert(hash, html.clone());
            }
            sidebars.insert(key, html);
        }
        match keep {
            Keep::Replace => *known = kept,
            Keep::Add => known.extend(kept),
            Keep::Nothing => {}
        }
        Ok(sidebars)
    }

    fn elided_link(&self) -> context::LinkView {
        context::LinkView {
            title: "…".into(),
            url: "index.html".into(),
            summary: None,
            current: false,
        }
    }

    fn elided_section(&self) -> SidebarSection {
        SidebarSection {
            title: Some("…".into()),
            url: "index.html".into(),
            current: false,
            pages: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn windows_stay_inside_and_around_the_centre() {
        assert_eq!(window(5, 3, 41), 0..5);
        assert_eq!(window(400, 0, 41), 0..41);
        assert_eq!(window(400, 200, 41), 180..221);
        assert_eq!(window(400, 399, 41), 359..400);
    }
}
