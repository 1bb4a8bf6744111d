//! Stage 2: what needs the whole handbook. Ids must be unique, `nav` must name real
//! pages, every link, anchor and embed must resolve. The result, [`Site`], is the map
//! the renderer uses to turn links into URLs and to lay out navigation.
//!
//! This file holds the site model and [`structure`] (ids, anchors, order);
//! [`links`] checks the links and works out the backlinks, [`nav`] lays out the
//! sections, [`codes`] checks that quick-reply codes are unique.

mod codes;
mod links;
mod nav;
#[cfg(test)]
mod tests;

pub(crate) use links::{check_links, check_page_links};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{tr, Code, Diagnostic, Diagnostics, Location, Text};
use crate::model::{Handbook, LinkTarget, PageRef};

/// A group in the table of contents: a part, loose chapters, or the phrase tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    pub(crate) title: Option<String>,
    pub(crate) summary: Option<String>,
    /// The automatic group of tables that `nav` did not place.
    pub(crate) is_tables: bool,
    pub(crate) pages: Vec<PageRef>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Site {
    pub(crate) sections: Vec<Section>,
    /// Reading order: previous / next follow it.
    pub(crate) order: Vec<PageRef>,
    /// For each page: its index in `order` and its section.
    pub(crate) position: HashMap<PageRef, (usize, usize)>,
    // Shared, not copied, when watch mode copies the site to patch it.
    pub(crate) ids: Arc<HashMap<String, PageRef>>,
    by_source: Arc<HashMap<String, PageRef>>,
    anchors: HashMap<PageRef, Arc<HashSet<String>>>,
    /// For each page, the pages that link to it or embed it, in reading order.
    pub(crate) backlinks: HashMap<PageRef, Vec<PageRef>>,
    assets: HashSet<String>,
    /// Tables that could not be read ([`crate::model::Table::unreadable`]): a link
    /// to one leads nowhere, but is not reported again.
    unreadable: HashSet<PageRef>,
}

/// Why a link does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unresolved {
    /// It leads nowhere: the reason, for the error.
    Missing(Text),
    /// It leads to a table that could not be read: that table's error says
    /// everything, the link is not reported again.
    Unreadable,
}

/// Where a link goes, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    Page(PageRef, Option<String>),
    Asset(String),
}

impl Site {
    /// The anchors a chapter's page has now (its headings changed).
    pub(crate) fn set_anchors(&mut self, page: PageRef, anchors: impl IntoIterator<Item = String>) {
        self.anchors
            .insert(page, Arc::new(anchors.into_iter().collect()));
    }

    /// The page made from this file (a path relative to `content/`), if one is.
    pub(crate) fn page_at_source(&self, rel_path: &str) -> Option<PageRef> {
        self.by_source.get(rel_path).copied()
    }

    pub(crate) fn page_id<'a>(&self, handbook: &'a Handbook, page: PageRef) -> &'a str {
        match page {
            PageRef::Chapter(i) => &handbook.chapters[i].id.value,
            PageRef::Table(i) => &handbook.tables[i].id.value,
        }
    }

    /// Resolves a link target written on page `from`; `Err` says what is wrong.
    pub(crate) fn resolve(
        &self,
        target: &LinkTarget,
        from: PageRef,
    ) -> Result<Resolved, Unresolved> {
        let (page, anchor) = match target {
            LinkTarget::Id { id, anchor } => match self.ids.get(id) {
                Some(&page) => (page, anchor.clone()),
                None => {
                    return Err(Unresolved::Missing(tr!(
                        "no chapter or table has the id `{}`",
                        "没有哪个章节或话术表的 id 是 `{}`",
                        id
                    )))
                }
            },
            LinkTarget::Source { path, anchor } => match self.by_source.get(path) {
                Some(&page) => (page, anchor.clone()),
                None => {
                    return Err(Unresolved::Missing(tr!(
                        "no chapter or table at content/{}",
                        "content/{} 不是章节或话术表",
                        path
                    )))
                }
            },
            LinkTarget::SamePage { anchor } => (from, Some(anchor.clone())),
            LinkTarget::Asset { path } => {
                return if self.assets.contains(path) {
                    Ok(Resolved::Asset(path.clone()))
                } else {
                    Err(Unresolved::Missing(tr!(
                        "no file at content/{}",
                        "找不到文件 content/{}",
                        path
                    )))
                };
            }
            LinkTarget::External => {
                return Err(Unresolved::Missing(tr!("external link", "外部链接")))
            }
        };
        if self.unreadable.contains(&page) {
            return Err(Unresolved::Unreadable);
        }
        if let Some(anchor) = &anchor {
            let known = self.anchors.get(&page).is_some_and(|a| a.contains(anchor));
            if !known {
                return Err(Unresolved::Missing(tr!(
                    "no heading or entry `#{}` there",
                    "那一页没有标题或条目 `#{}`",
                    anchor
                )));
            }
        }
        Ok(Resolved::Page(page, anchor))
    }
}

/// Every chapter, then every table.
fn every_page(handbook: &Handbook) -> Vec<PageRef> {
    (0..handbook.chapters.len())
        .map(PageRef::Chapter)
        .chain((0..handbook.tables.len()).map(PageRef::Table))
        .collect()
}

/// Ids, anchors and navigation: the shape of the site, which an edit to a chapter's
/// text alone does not change.
pub(crate) fn structure(handbook: &Handbook, diagnostics: &mut Diagnostics) -> Site {
    let mut site = Site::default();
    let page_count = handbook.chapters.len() + handbook.tables.len();
    site.position.reserve(page_count);
    index_ids(handbook, &mut site, diagnostics);
    codes::check_codes(handbook, diagnostics);
    site.anchors = anchors(handbook);
    site.assets = handbook.assets.iter().map(|a| a.rel_path.clone()).collect();
    site.unreadable = (handbook.tables.iter().enumerate())
        .filter(|(_, t)| t.unreadable)
        .map(|(i, _)| PageRef::Table(i))
        .collect();

    site.sections = match &handbook.config.nav {
        Some(nav) => nav::sections_from_nav(handbook, &site, nav, diagnostics),
        None => nav::sections_from_paths(handbook),
    };
    for (s, section) in site.sections.iter().enumerate() {
        for &page in &section.pages {
            site.position.insert(page, (site.order.len(), s));
            site.order.push(page);
        }
    }
    site
}

/// Each page by its id and by its source path; a second page with an id already
/// taken is reported, and the id stays the first one's.
fn index_ids(handbook: &Handbook, site: &mut Site, diagnostics: &mut Diagnostics) {
    let page_count = handbook.chapters.len() + handbook.tables.len();
    let mut first_seen: HashMap<&str, Location> = HashMap::default();
    first_seen.reserve(page_count);
    let ids = Arc::make_mut(&mut site.ids);
    let by_source = Arc::make_mut(&mut site.by_source);
    ids.reserve(page_count);
    by_source.reserve(page_count);
    let chapters = handbook.chapters.iter().enumerate();
    let tables = handbook.tables.iter().enumerate();
    let pages = chapters
        .map(|(i, c)| (PageRef::Chapter(i), &c.id, c.file, &c.rel_path))
        .chain(tables.map(|(i, t)| (PageRef::Table(i), &t.id, t.file, &t.rel_path)));
    for (page, id, file, rel_path) in pages {
        by_source.insert(rel_path.clone(), page);
        let Some(first) = first_seen.get(id.value.as_str()) else {
            let here = Location {
                file,
                span: Some(id.span.clone()),
            };
            first_seen.insert(&id.value, here);
            ids.insert(id.value.clone(), page);
            continue;
        };
        diagnostics.push(
            Diagnostic::new(
                Code::E0405,
                tr!("duplicate id `{}`", "id `{}` 重复了", id.value),
            )
            .at(file, id.span.clone())
            .with_note(tr!("first used by", "先用这个 id 的是"), first.clone())
            .with_help(tr!(
                "ids are unique across chapters and tables: rename one file or set `id:`",
                "章节和话术表的 id 不能重复：请给其中一个文件改名，或写上 `id:`"
            )),
        );
    }
}

/// The anchors of each page: a chapter's headings, a table's entries. Sets of tens
/// of thousands of strings: made in parallel.
fn anchors(handbook: &Handbook) -> HashMap<PageRef, Arc<HashSet<String>>> {
    every_page(handbook)
        .into_par_iter()
        .map(|page| {
            let anchors: HashSet<String> = match page {
                PageRef::Chapter(i) => handbook.chapters[i]
                    .headings
                    .iter()
                    .map(|h| h.anchor.clone())
                    .collect(),
                PageRef::Table(i) => {
                    let table = &handbook.tables[i];
                    let read = table.entries.iter().map(|e| e.id.value.clone());
                    read.chain(table.unread_entries.iter().cloned()).collect()
                }
            };
            (page, Arc::new(anchors))
        })
        .collect()
}
