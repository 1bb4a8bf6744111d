//! Stage 2: what needs the whole handbook. Ids must be unique, `nav` must name real
//! pages, every link, anchor and embed must resolve. The result, [`Site`], is the map
//! the renderer uses to turn links into URLs and to lay out navigation.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, FileId, Location};
use crate::links;
use crate::model::{Embed, Handbook, Link, LinkTarget, NavItem, PageRef};
use crate::suggest::closest;

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

    pub(crate) fn page_id<'a>(&self, handbook: &'a Handbook, page: PageRef) -> &'a str {
        match page {
            PageRef::Chapter(i) => &handbook.chapters[i].id.value,
            PageRef::Table(i) => &handbook.tables[i].id.value,
        }
    }

    /// Resolves a link target written on page `from`; `Err` says what is wrong.
    pub(crate) fn resolve(&self, target: &LinkTarget, from: PageRef) -> Result<Resolved, String> {
        let (page, anchor) = match target {
            LinkTarget::Id { id, anchor } => match self.ids.get(id) {
                Some(&page) => (page, anchor.clone()),
                None => return Err(format!("no chapter or table has the id `{id}`")),
            },
            LinkTarget::Source { path, anchor } => match self.by_source.get(path) {
                Some(&page) => (page, anchor.clone()),
                None => return Err(format!("no chapter or table at content/{path}")),
            },
            LinkTarget::SamePage { anchor } => (from, Some(anchor.clone())),
            LinkTarget::Asset { path } => {
                return if self.assets.contains(path) {
                    Ok(Resolved::Asset(path.clone()))
                } else {
                    Err(format!("no file at content/{path}"))
                };
            }
            LinkTarget::External => return Err("external link".into()),
        };
        if let Some(anchor) = &anchor {
            let known = self.anchors.get(&page).is_some_and(|a| a.contains(anchor));
            if !known {
                return Err(format!("no heading or entry `#{anchor}` there"));
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
    let mut first_seen: HashMap<&str, Location> = HashMap::default();
    first_seen.reserve(page_count);
    Arc::make_mut(&mut site.ids).reserve(page_count);
    Arc::make_mut(&mut site.by_source).reserve(page_count);
    site.position.reserve(page_count);
    let pages = handbook
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (PageRef::Chapter(i), &c.id, c.file, &c.rel_path))
        .chain(
            handbook
                .tables
                .iter()
                .enumerate()
                .map(|(i, t)| (PageRef::Table(i), &t.id, t.file, &t.rel_path)),
        );
    for (page, id, file, rel_path) in pages {
        let here = Location {
            file,
            span: Some(id.span.clone()),
        };
        if let Some(first) = first_seen.get(id.value.as_str()) {
            diagnostics.push(
                Diagnostic::error(format!("duplicate id `{}`", id.value))
                    .at(file, id.span.clone())
                    .with_note("first used by", first.clone())
                    .with_help(
                        "ids are unique across chapters and tables: rename one file or set `id:`",
                    ),
            );
        } else {
            first_seen.insert(&id.value, here);
            Arc::make_mut(&mut site.ids).insert(id.value.clone(), page);
        }
        Arc::make_mut(&mut site.by_source).insert(rel_path.clone(), page);
    }
    // Sets of tens of thousands of strings: made in parallel.
    site.anchors = every_page(handbook)
        .into_par_iter()
        .map(|page| {
            let anchors: HashSet<String> = match page {
                PageRef::Chapter(i) => handbook.chapters[i]
                    .headings
                    .iter()
                    .map(|h| h.anchor.clone())
                    .collect(),
                PageRef::Table(i) => handbook.tables[i]
                    .entries
                    .iter()
                    .map(|e| e.id.value.clone())
                    .collect(),
            };
            (page, Arc::new(anchors))
        })
        .collect();
    site.assets = handbook.assets.iter().map(|a| a.rel_path.clone()).collect();

    site.sections = match &handbook.config.nav {
        Some(nav) => sections_from_nav(handbook, &site, nav, diagnostics),
        None => sections_from_paths(handbook),
    };
    for (s, section) in site.sections.iter().enumerate() {
        for &page in &section.pages {
            site.position.insert(page, (site.order.len(), s));
            site.order.push(page);
        }
    }
    site
}

/// Every link, embed and `see:` of the handbook, checked against the site's ids and
/// anchors; the site's backlinks are worked out on the way.
pub(crate) fn check_links(handbook: &Handbook, site: &mut Site, diagnostics: &mut Diagnostics) {
    let mut backlinks: HashMap<PageRef, BTreeSet<PageRef>> = HashMap::default();
    let pages = every_page(handbook);
    // Each page on its own, in parallel; gathered in page order, so the
    // diagnostics come in the same order every time.
    let checked: Vec<(BTreeSet<PageRef>, Diagnostics)> = pages
        .par_iter()
        .with_max_len(1)
        .map(|&from| {
            let mut found = Diagnostics::new();
            let targets = check_page_links(handbook, site, from, &mut found);
            (targets, found)
        })
        .collect();
    for (&from, (targets, found)) in pages.iter().zip(checked) {
        diagnostics.extend(found);
        for target in targets {
            backlinks.entry(target).or_default().insert(from);
        }
    }
    let order = &site.position;
    site.backlinks = backlinks
        .into_iter()
        .map(|(page, from)| {
            let mut from: Vec<PageRef> = from.into_iter().filter(|&f| f != page).collect();
            from.sort_by_key(|p| reading_index(order, p));
            (page, from)
        })
        .collect();
}

/// Checks the links, embeds and `see:` written on one page; returns the pages
/// they lead to (the pages this one is a backlink of).
pub(crate) fn check_page_links(
    handbook: &Handbook,
    site: &Site,
    from: PageRef,
    diagnostics: &mut Diagnostics,
) -> BTreeSet<PageRef> {
    let mut targets = BTreeSet::new();
    match from {
        PageRef::Chapter(i) => {
            let chapter = &handbook.chapters[i];
            for link in &chapter.links {
                targets.extend(check_link(
                    handbook,
                    site,
                    link,
                    from,
                    chapter.file,
                    diagnostics,
                ));
            }
            for embed in &chapter.embeds {
                targets.extend(check_embed(
                    handbook,
                    site,
                    embed,
                    chapter.file,
                    diagnostics,
                ));
            }
        }
        PageRef::Table(i) => {
            let table = &handbook.tables[i];
            for link in table.entries.iter().flat_map(|e| &e.see) {
                targets.extend(check_link(
                    handbook,
                    site,
                    link,
                    from,
                    table.file,
                    diagnostics,
                ));
            }
        }
    }
    targets
}

impl Site {
    /// Brings the backlinks up to date after the links on page `from` changed from
    /// leading to `old` to leading to `new`; returns the pages whose list changed.
    pub(crate) fn relink(
        &mut self,
        from: PageRef,
        old: &BTreeSet<PageRef>,
        new: &BTreeSet<PageRef>,
    ) -> Vec<PageRef> {
        let mut changed = Vec::new();
        for &page in old.difference(new).filter(|&&p| p != from) {
            if let Some(list) = self.backlinks.get_mut(&page) {
                list.retain(|&p| p != from);
            }
            changed.push(page);
        }
        let position = &self.position;
        for &page in new.difference(old).filter(|&&p| p != from) {
            let list = self.backlinks.entry(page).or_default();
            let at = reading_index(position, &from);
            let index = list.partition_point(|p| reading_index(position, p) < at);
            list.insert(index, from);
            changed.push(page);
        }
        changed
    }
}

/// Where a page comes in reading order: backlinks are listed in it.
fn reading_index(position: &HashMap<PageRef, (usize, usize)>, page: &PageRef) -> Option<usize> {
    position.get(page).map(|p| p.0)
}

/// The table an embed shows, if it is one; an unknown table or entry is reported.
fn check_embed(
    handbook: &Handbook,
    site: &Site,
    embed: &Embed,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> Option<PageRef> {
    match site.ids.get(&embed.table.value) {
        Some(&PageRef::Table(t)) => {
            let table = &handbook.tables[t];
            for wanted in &embed.entries {
                if !table.entries.iter().any(|e| e.id.value == wanted.value) {
                    let mut d = Diagnostic::error(format!(
                        "table `{}` has no entry `{}`",
                        table.id.value, wanted.value
                    ))
                    .at(file, wanted.span.clone());
                    if let Some(best) = closest(
                        &wanted.value,
                        table.entries.iter().map(|e| e.id.value.as_str()),
                    ) {
                        d = d.with_help(format!("did you mean `{best}`?"));
                    }
                    diagnostics.push(d);
                }
            }
            Some(PageRef::Table(t))
        }
        Some(&PageRef::Chapter(_)) => {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` is a chapter, not a phrase table: only tables can be embedded",
                    embed.table.value
                ))
                .at(file, embed.table.span.clone()),
            );
            None
        }
        None => {
            let mut d = Diagnostic::error(format!(
                "embed of unknown phrase table `{}`",
                embed.table.value
            ))
            .at(file, embed.table.span.clone());
            if let Some(best) = closest(
                &embed.table.value,
                handbook.tables.iter().map(|t| t.id.value.as_str()),
            ) {
                d = d.with_help(format!("did you mean `{best}`?"));
            }
            diagnostics.push(d);
            None
        }
    }
}

/// The page a link leads to, if it is one; a link that does not resolve is reported.
fn check_link(
    handbook: &Handbook,
    site: &Site,
    link: &Link,
    from: PageRef,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> Option<PageRef> {
    match site.resolve(&link.target, from) {
        Ok(Resolved::Page(page, _)) => Some(page),
        Ok(Resolved::Asset(_)) => None,
        Err(reason) => {
            let mut d = Diagnostic::error(format!("broken link `{}`: {reason}", link.written))
                .at(file, link.span.clone());
            if let Some(help) = suggestion(handbook, site, &link.target, from) {
                d = d.with_help(help);
            }
            diagnostics.push(d);
            None
        }
    }
}

/// "Did you mean …" for a link that does not resolve: the closest id, source path or
/// anchor, written the way the editor wrote the link.
fn suggestion(
    handbook: &Handbook,
    site: &Site,
    target: &LinkTarget,
    from: PageRef,
) -> Option<String> {
    let anchor_hint = |page: PageRef, anchor: &str, prefix: &str| {
        let anchors = site.anchors.get(&page)?;
        let mut sorted: Vec<&str> = anchors.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        closest(anchor, sorted).map(|best| format!("did you mean `{prefix}#{best}`?"))
    };
    match target {
        LinkTarget::Id { id, anchor } => match site.ids.get(id) {
            Some(&page) => anchor_hint(page, anchor.as_deref()?, &format!("@{id}")),
            None if handbook.drafts.contains(id) => Some(format!(
                "`{id}` is a draft, left out of this build: build with --drafts, or drop the link"
            )),
            None => {
                let mut ids: Vec<&str> = site.ids.keys().map(String::as_str).collect();
                ids.sort_unstable();
                closest(id, ids).map(|best| format!("did you mean `@{best}`?"))
            }
        },
        LinkTarget::Source { path, anchor } => match site.by_source.get(path) {
            Some(&page) => {
                let written = site.page_id(handbook, page);
                anchor_hint(page, anchor.as_deref()?, &format!("@{written}"))
            }
            None => {
                let mut paths: Vec<&str> = site.by_source.keys().map(String::as_str).collect();
                paths.sort_unstable();
                let name = path.rsplit('/').next().unwrap_or(path);
                closest(path, paths.iter().copied())
                    .or_else(|| {
                        paths
                            .iter()
                            .copied()
                            .find(|p| p.ends_with(&format!("/{name}")))
                    })
                    .map(|best| {
                        let id = site.page_id(handbook, site.by_source[best]);
                        format!("did you mean content/{best} (or `@{id}`)?")
                    })
            }
        },
        LinkTarget::SamePage { anchor } => anchor_hint(from, anchor, ""),
        LinkTarget::Asset { path } => {
            let dir = links::parent_dir(path);
            let mut assets: Vec<&str> = site.assets.iter().map(String::as_str).collect();
            assets.sort_unstable();
            closest(path, assets)
                .map(|best| format!("did you mean content/{best}? (looked in content/{dir})"))
        }
        LinkTarget::External => None,
    }
}

fn sections_from_paths(handbook: &Handbook) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut current_part: Option<Option<usize>> = None;
    for (i, chapter) in handbook.chapters.iter().enumerate() {
        if current_part != Some(chapter.part) {
            current_part = Some(chapter.part);
            let part = chapter.part.map(|p| &handbook.parts[p]);
            sections.push(Section {
                title: part.map(|p| p.title.clone()),
                summary: part.and_then(|p| p.summary.clone()),
                is_tables: false,
                pages: Vec::new(),
            });
        }
        if let Some(last) = sections.last_mut() {
            last.pages.push(PageRef::Chapter(i));
        }
    }
    push_tables(handbook, &mut sections, &HashSet::default());
    sections
}

fn push_tables(handbook: &Handbook, sections: &mut Vec<Section>, placed: &HashSet<PageRef>) {
    let tables: Vec<PageRef> = (0..handbook.tables.len())
        .map(PageRef::Table)
        .filter(|t| !placed.contains(t))
        .collect();
    if !tables.is_empty() {
        sections.push(Section {
            title: None,
            summary: None,
            is_tables: true,
            pages: tables,
        });
    }
}

fn sections_from_nav(
    handbook: &Handbook,
    site: &Site,
    nav: &[NavItem],
    diagnostics: &mut Diagnostics,
) -> Vec<Section> {
    let file = handbook.config.file;
    let mut placed: HashSet<PageRef> = HashSet::default();
    let mut sections: Vec<Section> = Vec::new();
    let mut place = |written: &crate::yaml::Spanned<String>, diagnostics: &mut Diagnostics| {
        let at = |d: Diagnostic| match file {
            Some(f) => d.at(f, written.span.clone()),
            None => d,
        };
        match site.ids.get(&written.value) {
            Some(&page) if placed.insert(page) => Some(page),
            Some(_) => {
                diagnostics.push(at(Diagnostic::error(format!(
                    "`nav` lists `{}` twice",
                    written.value
                ))));
                None
            }
            None => {
                let mut d = Diagnostic::error(format!(
                    "`nav` names `{}`, but no chapter or table has that id",
                    written.value
                ));
                let mut ids: Vec<&str> = site.ids.keys().map(String::as_str).collect();
                ids.sort_unstable();
                if let Some(best) = closest(&written.value, ids) {
                    d = d.with_help(format!("did you mean `{best}`?"));
                } else if handbook.drafts.contains(&written.value) {
                    d = d.with_help("that chapter is a draft: build with --drafts");
                }
                diagnostics.push(at(d));
                None
            }
        }
    };
    for item in nav {
        match item {
            NavItem::Page(id) => {
                if let Some(page) = place(id, diagnostics) {
                    match sections.last_mut() {
                        Some(last) if last.title.is_none() && !last.is_tables => {
                            last.pages.push(page)
                        }
                        _ => sections.push(Section {
                            title: None,
                            summary: None,
                            is_tables: false,
                            pages: vec![page],
                        }),
                    }
                }
            }
            NavItem::Part { title, items } => {
                let pages = items
                    .iter()
                    .filter_map(|id| place(id, diagnostics))
                    .collect();
                let summary = handbook
                    .parts
                    .iter()
                    .find(|p| &p.title == title)
                    .and_then(|p| p.summary.clone());
                sections.push(Section {
                    title: Some(title.clone()),
                    summary,
                    is_tables: false,
                    pages,
                });
            }
        }
    }
    let mut unlisted = Vec::new();
    for (i, chapter) in handbook.chapters.iter().enumerate() {
        let page = PageRef::Chapter(i);
        if !placed.contains(&page) && site.ids.get(&chapter.id.value) == Some(&page) {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "chapter `{}` is not listed in `nav`: it is added at the end",
                    chapter.id.value
                ))
                .in_file(chapter.file),
            );
            placed.insert(page);
            unlisted.push(page);
        }
    }
    if !unlisted.is_empty() {
        sections.push(Section {
            title: None,
            summary: None,
            is_tables: false,
            pages: unlisted,
        });
    }
    push_tables(handbook, &mut sections, &placed);
    sections
}
