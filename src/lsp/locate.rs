//! What stands at a place in a file — a link, an embed, a heading, an entry — and
//! what it points at: the questions definition, references, hover and rename ask.

use std::ops::Range;

use super::workspace::Workspace;
use crate::load::{heading_spans, HeadingSpan};
use crate::model::{Link, LinkTarget, PageRef};
use crate::resolve::Resolved;

/// A page, or a place in it: a chapter's heading or a table's entry, by anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) page: PageRef,
    pub(crate) anchor: Option<String>,
}

/// What the cursor is on.
pub(crate) enum Spot {
    /// A link, an embed's table or entry, a `see:`: it points at `target`.
    Reference { span: Range<usize>, target: Target },
    /// A heading of a chapter, or an entry's id in a table: it is `target`.
    Definition { span: Range<usize>, target: Target },
    /// Anywhere else in a page's file: the page itself.
    Page(PageRef),
}

impl Spot {
    pub(crate) fn target(&self) -> Target {
        match self {
            Spot::Reference { target, .. } | Spot::Definition { target, .. } => target.clone(),
            Spot::Page(page) => Target {
                page: *page,
                anchor: None,
            },
        }
    }
}

/// Where a link goes, if it goes to a page.
pub(crate) fn resolve_link(ws: &Workspace, link: &LinkTarget, from: PageRef) -> Option<Target> {
    match ws.checked.site.resolve(link, from) {
        Ok(Resolved::Page(page, anchor)) => Some(Target { page, anchor }),
        _ => None,
    }
}

/// Every place in the handbook that points at something, with where it points:
/// links, embeds and their entries, `see:`, written on `page`.
pub(crate) fn references_on(ws: &Workspace, page: PageRef) -> Vec<(Range<usize>, Target)> {
    let handbook = &ws.checked.handbook;
    let mut found = Vec::new();
    let mut links = |list: &mut dyn Iterator<Item = &Link>| {
        for link in list {
            if let Some(target) = resolve_link(ws, &link.target, page) {
                found.push((link.span.clone(), target));
            }
        }
    };
    match page {
        PageRef::Chapter(i) => {
            let chapter = &handbook.chapters[i];
            links(&mut chapter.links.iter());
            for embed in &chapter.embeds {
                let Some(&table) = ws.checked.site.ids.get(&embed.table.value) else {
                    continue;
                };
                if !matches!(table, PageRef::Table(_)) {
                    continue;
                }
                found.push((
                    embed.table.span.clone(),
                    Target {
                        page: table,
                        anchor: None,
                    },
                ));
                for entry in &embed.entries {
                    found.push((
                        entry.span.clone(),
                        Target {
                            page: table,
                            anchor: Some(entry.value.clone()),
                        },
                    ));
                }
            }
        }
        PageRef::Table(i) => {
            links(&mut handbook.tables[i].entries.iter().flat_map(|e| &e.see));
        }
    }
    found
}

/// The headings of a chapter with where they stand.
pub(crate) fn headings(ws: &Workspace, chapter: usize) -> Vec<HeadingSpan> {
    let c = &ws.checked.handbook.chapters[chapter];
    heading_spans(&ws.checked.sources.get(c.file).text, c.body_start)
}

/// What stands at byte `offset` of `page`'s file.
pub(crate) fn spot_at(ws: &Workspace, page: PageRef, offset: usize) -> Spot {
    let inside = |span: &Range<usize>| span.start <= offset && offset <= span.end;
    if let Some((span, target)) = references_on(ws, page)
        .into_iter()
        .find(|(span, _)| inside(span))
    {
        return Spot::Reference { span, target };
    }
    match page {
        PageRef::Chapter(i) => {
            if let Some(h) = headings(ws, i).into_iter().find(|h| inside(&h.span)) {
                return Spot::Definition {
                    span: h.explicit.clone().unwrap_or(h.span.clone()),
                    target: Target {
                        page,
                        anchor: Some(h.anchor),
                    },
                };
            }
        }
        PageRef::Table(i) => {
            let table = &ws.checked.handbook.tables[i];
            if let Some(entry) = table.entries.iter().find(|e| inside(&e.id.span)) {
                return Spot::Definition {
                    span: entry.id.span.clone(),
                    target: Target {
                        page,
                        anchor: Some(entry.id.value.clone()),
                    },
                };
            }
        }
    }
    Spot::Page(page)
}

/// Where a target is defined: the heading, the entry's id, or the top of the file.
pub(crate) fn definition_span(ws: &Workspace, target: &Target) -> Range<usize> {
    let Some(anchor) = &target.anchor else {
        return 0..0;
    };
    match target.page {
        PageRef::Chapter(i) => headings(ws, i)
            .into_iter()
            .find(|h| &h.anchor == anchor)
            .map_or(0..0, |h| h.span),
        PageRef::Table(i) => ws.checked.handbook.tables[i]
            .entries
            .iter()
            .find(|e| &e.id.value == anchor)
            .map_or(0..0, |e| e.id.span.clone()),
    }
}

/// Every place that points at `target` (at the page, any place in it too, when
/// the target has no anchor): the pages that link to it, and the page itself.
pub(crate) fn references_to(ws: &Workspace, target: &Target) -> Vec<(PageRef, Range<usize>)> {
    let mut from: Vec<PageRef> = ws
        .checked
        .site
        .backlinks
        .get(&target.page)
        .cloned()
        .unwrap_or_default();
    from.push(target.page);
    let mut found = Vec::new();
    for page in from {
        for (span, to) in references_on(ws, page) {
            let hit =
                to.page == target.page && (target.anchor.is_none() || to.anchor == target.anchor);
            if hit {
                found.push((page, span));
            }
        }
    }
    found
}
