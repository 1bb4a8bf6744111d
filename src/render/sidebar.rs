//! The sidebar. A page holds only its frame (`sidebar_nav.html`: the `<nav>`, the
//! link to the table of contents and a `<script src>`); the list of parts and pages
//! is rendered by `sidebar.html` once per part (and window) into a script of its
//! own, `nav/<first page>.js`, shared by the part's pages (those at the root and
//! those one folder down alike: each tells the script its root and its own URL),
//! which puts the list in right where it stands while the page is parsed.
//!
//! Why: the list was 2.8 KB of every chapter page, the same for all of a part's
//! pages; as a script it is written once per part and cached by the browser. A
//! classic script rather than a fetch, as script tags load from `file://` too. The
//! price: without JavaScript the sidebar holds only the 目录 link (the index page
//! lists every page); the print pages, which must work without it, have no sidebar.
//! A script is named by its part's first page, so a page's HTML changes with its
//! part, not with the titles listed: a changed title rewrites one script, and the
//! pages are not rendered again for it.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use super::cache::hash_of;
use super::context::{self, SidebarContext, SidebarNavContext, SidebarSection};
use super::pages::PageRenderer;
use crate::diag::Diagnostic;
use crate::model::PageRef;
use crate::output::OutputFile;

/// Sections listed in a page's sidebar at most, and pages of the current section.
const SIDEBAR_SECTIONS: usize = 25;
const SIDEBAR_PAGES: usize = 61;
/// A part longer than [`SIDEBAR_PAGES`] is listed in windows that start at a
/// multiple of this, so that its pages share a few scripts rather than each having
/// its own; the current page has at least this many pages of the list before it
/// (unless the list starts with the part) and after it (unless it ends with it).
const WINDOW_STEP: usize = 20;

/// The folder of the scripts.
const NAV_DIR: &str = "nav/";
/// The script of the pages that belong to no part (the index, the finder…).
const SITE_WIDE_NAV: &str = "nav/index.js";

/// Whether `path` (from the site root) is one of the sidebars' scripts.
pub(crate) fn is_nav_script(path: &str) -> bool {
    path.starts_with(NAV_DIR) && path.ends_with(".js")
}

/// The code of every script, before the list's HTML (as a string) and `);`.
const NAV_SCRIPT: &str = include_str!("sidebar_nav.js");

/// A range of at most `max` items of `len`, centred on `center` where it can be.
fn window(len: usize, center: usize, max: usize) -> std::ops::Range<usize> {
    if len <= max {
        return 0..len;
    }
    let start = center.saturating_sub(max / 2).min(len - max);
    start..start + max
}

/// Where the window of a part's pages around page `center` starts: a multiple of
/// [`WINDOW_STEP`] (see there), 0 when the part fits.
fn pages_from(len: usize, center: usize) -> usize {
    if len <= SIDEBAR_PAGES {
        return 0;
    }
    let start = center.saturating_sub(WINDOW_STEP) / WINDOW_STEP * WINDOW_STEP;
    start.min(len - SIDEBAR_PAGES)
}

/// Which sidebar a page gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SidebarKey {
    pub(crate) section: Option<usize>,
    pub(crate) pages_from: usize,
}

/// What to do with the cached sidebars: keep only those of this build, or none
/// (a one-shot build).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    Replace,
    Nothing,
}

/// Each sidebar's script: its path from the site root, by key.
pub(super) type NavPaths = HashMap<SidebarKey, String>;

/// A script that puts `list` (the HTML of `sidebar.html`) in where it stands. The
/// list is a JSON string as such (a file of its own: no `</script>` to fear), the
/// line separators escaped for older engines.
fn nav_script(list: &str) -> String {
    // Trimmed: the script puts in one element, the list, and nothing around it.
    let json = serde_json::to_string(list.trim()).expect("a string serializes to JSON");
    let json = json
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    let code = NAV_SCRIPT.trim_end();
    let mut js = String::with_capacity(code.len() + json.len() + 4);
    js.push_str(code);
    js.push_str(&json);
    js.push_str(");\n");
    js
}

impl PageRenderer<'_> {
    /// Which sidebar a page gets: its section, and where the window of that
    /// section's pages starts (0 unless the section is longer than the window).
    pub(super) fn sidebar_key(&self, current: Option<PageRef>) -> SidebarKey {
        let Some(&(_, s)) = current.and_then(|p| self.site.position.get(&p)) else {
            return SidebarKey {
                section: None,
                pages_from: 0,
            };
        };
        let pages = &self.site.sections[s].pages;
        let center = pages.iter().position(|&p| Some(p) == current).unwrap_or(0);
        SidebarKey {
            section: Some(s),
            pages_from: pages_from(pages.len(), center),
        }
    }

    /// The path of a sidebar's script from the site root: `nav/<id>.js` after the
    /// first page of its part (ids are unique and never `index`), with the start of
    /// the window for the later windows of a long part (`nav/<id>/<start>.js`), and
    /// `nav/index.js` for the pages of no part.
    pub(super) fn nav_path(&self, key: SidebarKey) -> String {
        let Some(first) = key
            .section
            .and_then(|s| self.site.sections[s].pages.first())
        else {
            return SITE_WIDE_NAV.to_string();
        };
        let url = self.links.url(*first);
        let stem = url.strip_suffix(".html").unwrap_or(url);
        match key.pages_from {
            0 => format!("{NAV_DIR}{stem}.js"),
            from => format!("{NAV_DIR}{stem}/{from}.js"),
        }
    }

    /// The paths of the scripts of these sidebars, without making the scripts.
    pub(super) fn nav_paths(&self, keys: impl Iterator<Item = SidebarKey>) -> NavPaths {
        keys.map(|key| (key, self.nav_path(key))).collect()
    }

    /// The frame of the sidebar on a page at `root` (`sidebar_nav.html`): the
    /// link to the table of contents, marked on the index page (`home`), and the
    /// `<script>` of `script` (a path from the root), told the page's URL from the
    /// root (`page`, empty on pages the list does not hold).
    pub(super) fn sidebar_frame(
        &self,
        root: &str,
        script: &str,
        page: &str,
        home: bool,
    ) -> Result<String, Diagnostic> {
        let context = SidebarNavContext {
            root,
            script,
            page,
            home,
        };
        self.render_template("sidebar_nav.html", &context)
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

    /// The scripts of these sidebars, each list rendered once through
    /// `sidebar.html`, and their paths. `known` holds scripts made before (watch
    /// mode), by a hash of their context and the templates; those are not rendered
    /// again, and (with [`Keep::Replace`]) the cache then holds this build's.
    pub(super) fn sidebars(
        &self,
        keys: impl Iterator<Item = SidebarKey>,
        known: &mut HashMap<u64, String>,
        keep: Keep,
    ) -> Result<(NavPaths, Vec<OutputFile>), Diagnostic> {
        let keys: BTreeSet<SidebarKey> = keys.collect();
        let generation = (self.theme.fingerprint, self.handbook.config.fingerprint);
        let keys: Vec<SidebarKey> = keys.into_iter().collect();
        let rendered: Vec<(SidebarKey, u64, String)> = keys
            .into_par_iter()
            .with_max_len(1)
            .map(|key| {
                let context = SidebarContext {
                    root: "",
                    sidebar: self.sidebar(key),
                };
                let hash = hash_of((generation, &context));
                if let Some(js) = known.get(&hash) {
                    return Ok((key, hash, js.clone()));
                }
                let html = self.render_template("sidebar.html", &context)?;
                Ok((key, hash, nav_script(&html)))
            })
            .collect::<Result<_, Diagnostic>>()?;
        let mut paths = HashMap::with_capacity_and_hasher(rendered.len(), Default::default());
        let mut files = Vec::with_capacity(rendered.len());
        let mut kept = HashMap::default();
        for (key, hash, js) in rendered {
            let path = self.nav_path(key);
            if keep != Keep::Nothing {
                kept.insert(hash, js.clone());
            }
            files.push(OutputFile::text(path.clone(), js));
            paths.insert(key, path);
        }
        if keep == Keep::Replace {
            *known = kept;
        }
        Ok((paths, files))
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
    use super::{nav_script, pages_from, window, SIDEBAR_PAGES, WINDOW_STEP};

    #[test]
    fn windows_stay_inside_and_around_the_centre() {
        assert_eq!(window(5, 3, 41), 0..5);
        assert_eq!(window(400, 0, 41), 0..41);
        assert_eq!(window(400, 200, 41), 180..221);
        assert_eq!(window(400, 399, 41), 359..400);
    }

    #[test]
    fn a_long_part_is_listed_in_few_windows_around_each_page() {
        assert_eq!(pages_from(SIDEBAR_PAGES, 60), 0);
        let len = 400;
        let mut starts = std::collections::BTreeSet::new();
        for center in 0..len {
            let from = pages_from(len, center);
            starts.insert(from);
            let last = len - SIDEBAR_PAGES;
            assert!(from.is_multiple_of(WINDOW_STEP) || from == last, "{center}");
            assert!(from + SIDEBAR_PAGES <= len, "{center}");
            assert!((from..from + SIDEBAR_PAGES).contains(&center), "{center}");
            assert!(from == 0 || center - from >= WINDOW_STEP, "{center}");
            let after = from + SIDEBAR_PAGES - 1 - center;
            assert!(
                from + SIDEBAR_PAGES == len || after >= WINDOW_STEP,
                "{center}"
            );
        }
        // 0, 20, … 320, and the last window (339..400).
        assert_eq!(starts.len(), (len - SIDEBAR_PAGES) / WINDOW_STEP + 2);
    }

    #[test]
    fn the_script_holds_the_list_as_a_string_argument() {
        let js = nav_script("<ul><li><a href=\"a.html\">退货</a></li></ul>\u{2028}</script>");
        assert!(js.starts_with("/*"), "{js}");
        assert!(js.ends_with("\");\n"), "{js}");
        assert!(js.contains(r#"})("<ul><li>"#), "{js}");
        assert!(js.contains(r#"\u2028</script>"#), "{js}");
        assert!(js.contains(r#"href=\"a.html\""#), "{js}");
    }
}
