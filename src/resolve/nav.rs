//! Navigation: the sections of the table of contents and so the reading order,
//! from `nav` in handbook.yaml when it has one (reporting what it names wrongly
//! and the chapters it leaves out), else from the chapters' folders.

use rustc_hash::FxHashSet as HashSet;

use super::{Section, Site};
use crate::diag::{tr, Code, Diagnostic, Diagnostics};
use crate::model::{Handbook, NavItem, PageRef};
use crate::text::suggest::closest;
use crate::yaml::{did_you_mean, Spanned};

/// Without `nav`: a section per run of chapters in one folder (part), in path
/// order, then the tables.
pub(super) fn sections_from_paths(handbook: &Handbook) -> Vec<Section> {
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

/// The tables not yet placed, as the automatic section of tables at the end.
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

/// The sections `nav` lays out, then the chapters it does not list (warned about),
/// then the tables it does not place.
pub(super) fn sections_from_nav(
    handbook: &Handbook,
    site: &Site,
    nav: &[NavItem],
    diagnostics: &mut Diagnostics,
) -> Vec<Section> {
    let mut placer = Placer {
        handbook,
        site,
        placed: HashSet::default(),
        meant: HashSet::default(),
    };
    let mut sections: Vec<Section> = Vec::new();
    for item in nav {
        match item {
            NavItem::Page(id) => {
                if let Some(page) = placer.place(id, diagnostics) {
                    push_loose(&mut sections, page);
                }
            }
            NavItem::Part { title, items } => {
                let pages = items
                    .iter()
                    .filter_map(|id| placer.place(id, diagnostics))
                    .collect();
                sections.push(part_section(handbook, title, pages));
            }
        }
    }
    let mut placed = placer.placed;
    let unlisted = unlisted_chapters(handbook, site, &mut placed, &placer.meant, diagnostics);
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

/// The pages `nav` has placed so far, each at most once.
struct Placer<'a> {
    handbook: &'a Handbook,
    site: &'a Site,
    placed: HashSet<PageRef>,
    /// The pages a misspelt id in `nav` most likely meant (its "did you mean"): that
    /// they are not listed follows from that error and is not warned about again.
    meant: HashSet<PageRef>,
}

impl Placer<'_> {
    /// The page an id written in `nav` names, unless it names none or one already
    /// placed (both reported).
    fn place(
        &mut self,
        written: &Spanned<String>,
        diagnostics: &mut Diagnostics,
    ) -> Option<PageRef> {
        let at = |d: Diagnostic| match self.handbook.config.file {
            Some(f) => d.at(f, written.span.clone()),
            None => d,
        };
        let Some(&page) = self.site.ids.get(&written.value) else {
            diagnostics.push(at(self.unknown(&written.value)));
            return None;
        };
        if !self.placed.insert(page) {
            diagnostics.push(at(Diagnostic::new(
                Code::E0407,
                tr!(
                    "`nav` lists `{}` twice",
                    "`nav` 里 `{}` 列了两次",
                    written.value
                ),
            )));
            return None;
        }
        Some(page)
    }

    /// The error for an id in `nav` that no page has, with the closest id (or,
    /// failing that, a word on drafts).
    fn unknown(&mut self, id: &str) -> Diagnostic {
        let d = Diagnostic::new(
            Code::E0408,
            tr!(
                "`nav` names `{}`, but no chapter or table has that id",
                "`nav` 里写了 `{}`，但没有哪个章节或话术表用这个 id",
                id
            ),
        );
        let mut ids: Vec<&str> = self.site.ids.keys().map(String::as_str).collect();
        ids.sort_unstable();
        if let Some(best) = closest(id, ids) {
            self.meant.insert(self.site.ids[best]);
            d.with_help(did_you_mean(best))
        } else if self.handbook.drafts.iter().any(|draft| draft == id) {
            d.with_help(tr!(
                "that chapter is a draft: build with --drafts",
                "这一章是草稿：要包含它，请加上 --drafts 构建"
            ))
        } else {
            d
        }
    }
}

/// A page `nav` lists outside any part: it joins the untitled section before it,
/// or starts one.
fn push_loose(sections: &mut Vec<Section>, page: PageRef) {
    match sections.last_mut() {
        Some(last) if last.title.is_none() && !last.is_tables => last.pages.push(page),
        _ => sections.push(Section {
            title: None,
            summary: None,
            is_tables: false,
            pages: vec![page],
        }),
    }
}

/// A part `nav` lays out, with the summary of the folder's part of that title.
fn part_section(handbook: &Handbook, title: &str, pages: Vec<PageRef>) -> Section {
    let summary = handbook
        .parts
        .iter()
        .find(|p| p.title == title)
        .and_then(|p| p.summary.clone());
    Section {
        title: Some(title.to_string()),
        summary,
        is_tables: false,
        pages,
    }
}

/// The chapters `nav` does not list, in path order, each warned about and placed.
/// A chapter whose id another page holds is left out: its id reaches only that one.
fn unlisted_chapters(
    handbook: &Handbook,
    site: &Site,
    placed: &mut HashSet<PageRef>,
    meant: &HashSet<PageRef>,
    diagnostics: &mut Diagnostics,
) -> Vec<PageRef> {
    let mut unlisted = Vec::new();
    for (i, chapter) in handbook.chapters.iter().enumerate() {
        let page = PageRef::Chapter(i);
        if placed.contains(&page) || site.ids.get(&chapter.id.value) != Some(&page) {
            continue;
        }
        placed.insert(page);
        unlisted.push(page);
        if handbook.config.nav_incomplete || meant.contains(&page) {
            continue;
        }
        diagnostics.push(
            Diagnostic::new(
                Code::W0401,
                tr!(
                    "chapter `{}` is not listed in `nav`: it is added at the end",
                    "章节 `{}` 没有列在 `nav` 里：已放到目录最后",
                    chapter.id.value
                ),
            )
            .in_file(chapter.file),
        );
    }
    unlisted
}
