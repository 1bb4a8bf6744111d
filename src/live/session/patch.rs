//! The quick way through a rebuild, for the edit an editor makes all day: the text
//! of a chapter or two changed, and nothing the rest of the site shows of them
//! (id, title, summary, tags, draft). Then the checked handbook of the last rebuild
//! is patched instead of made again: those chapters are read and parsed again,
//! every link is checked again (their anchors may have changed), and only their
//! pages, and the pages whose "referenced from" list changed, are rendered and
//! written. The site-wide pages follow on the other thread as usual.
//!
//! Anything else — a new, removed or renamed file, a table, handbook.yaml, the
//! theme, a changed title, a chapter whose headings a table's `see:` quotes, a last
//! rebuild that failed — goes the long way, which is always right.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use super::{Outcome, Session};
use crate::diag::{Diagnostic, Diagnostics, FileId};
use crate::load::{LoadCache, RereadChapter};
use crate::model::{Chapter, PageRef};
use crate::output::{self, OutputFile, Update};
use crate::pipeline::{Caches, Checked, Fatal};
use crate::render;
use crate::resolve::{self, Resolved};

/// A chapter whose text changed, read again, with where its links led before.
struct Edit {
    index: usize,
    reread: RereadChapter,
    before: BTreeSet<PageRef>,
}

/// What patching the edits into the handbook touched, for the link checks.
struct Touched {
    /// Files whose link findings are about to be found again.
    files: BTreeSet<FileId>,
    /// The edited pages.
    pages: BTreeSet<PageRef>,
    /// Pages whose links must be checked again: the edited ones, and those that
    /// link to one of them whose headings changed (an anchor may be gone).
    recheck: BTreeSet<PageRef>,
    /// Each edited page with where its links led before the edit.
    targets: Vec<(PageRef, BTreeSet<PageRef>)>,
}

impl Session {
    /// Rebuilds after an edit of these files (relative to `content/`) by patching
    /// the last rebuild, when the edit allows it; `None` when it does not.
    pub(super) fn patch(
        &mut self,
        changed: &[String],
        started: Instant,
    ) -> Option<Result<Outcome, Fatal>> {
        let _t = crate::trace::span("patch");
        let edits = self.edits(changed)?;
        let t = crate::trace::span("patch: make_mut");
        let checked = Arc::make_mut(self.current.as_mut()?);
        drop(t);
        let touched = apply_edits(checked, &mut self.caches.load, edits);
        let pages = recheck_links(checked, touched);
        if checked.diagnostics.has_errors() {
            return Some(Ok(self.not_rendered(started)));
        }
        let list = match render_pages(checked, &mut self.caches, pages)? {
            Ok(list) => list,
            Err(errors) => {
                checked.diagnostics.extend(errors);
                checked.diagnostics.sort(&checked.sources);
                return Some(Ok(self.not_rendered(started)));
            }
        };
        self.write_patched(&list, started)
    }

    /// The edited chapters read again, when the edit can be patched in; `None`
    /// sends the rebuild the long way.
    fn edits(&self, changed: &[String]) -> Option<Vec<Edit>> {
        if !self.current_rendered || self.pages.is_none() || self.caches.theme.is_none() {
            return None;
        }
        let current = self.current.as_ref()?;
        if !current.stages.structure.is_empty() {
            return None;
        }
        changed.iter().map(|rel| self.edit(current, rel)).collect()
    }

    /// One edited chapter read again, if nothing other pages show of it changed.
    fn edit(&self, current: &Checked, rel: &str) -> Option<Edit> {
        let chapters = &current.handbook.chapters;
        let index = chapters.iter().position(|c| c.rel_path == rel)?;
        let old = &chapters[index];
        let page = PageRef::Chapter(index);
        let reread = self.caches.load.reread_chapter(rel, old.file)?;
        let headings_changed = old.headings != reread.chapter.headings;
        if !same_outside(old, &reread.chapter)
            || (headings_changed && quoted_by_tables(current, page))
        {
            return None;
        }
        // Where its links led before, to tell whose "referenced from" changes.
        let before = resolve::check_page_links(
            &current.handbook,
            &current.site,
            page,
            &mut Diagnostics::new(),
        );
        Some(Edit {
            index,
            reread,
            before,
        })
    }

    /// A patch that found errors writes nothing. The pages stay as the last good
    /// rebuild left them; the next one goes the long way, which compares with those.
    fn not_rendered(&mut self, started: Instant) -> Outcome {
        self.current_rendered = false;
        self.outcome(false, Update::default(), started)
    }

    /// Writes the patched pages whose bytes changed.
    fn write_patched(
        &mut self,
        list: &[OutputFile],
        started: Instant,
    ) -> Option<Result<Outcome, Fatal>> {
        let _t = crate::trace::span("patch: write");
        let manifest = self.pages.as_mut()?;
        let update = match output::update_in_place(list, &self.out, manifest, &|_| false) {
            Ok(update) => update,
            Err(e) => return Some(Err(Fatal::Output(self.out.clone(), e))),
        };
        if !update.missing.is_empty() {
            // Pages removed from the folder by hand: the long way renders them again.
            self.current_rendered = false;
            return None;
        }
        self.generation += 1;
        Some(Ok(self.outcome(true, update, started)))
    }
}

/// Puts the edited chapters, their sources, anchors and load findings into the
/// checked handbook of the last rebuild.
fn apply_edits(checked: &mut Checked, load: &mut LoadCache, edits: Vec<Edit>) -> Touched {
    let mut touched = Touched {
        files: BTreeSet::new(),
        pages: BTreeSet::new(),
        recheck: BTreeSet::new(),
        targets: Vec::with_capacity(edits.len()),
    };
    let mut found = Vec::new();
    for edit in edits {
        let Edit {
            index,
            mut reread,
            before,
        } = edit;
        let page = PageRef::Chapter(index);
        let old = &mut checked.handbook.chapters[index];
        Arc::make_mut(&mut reread.chapter).part = old.part;
        load.keep_chapter(&reread);
        let chapter = reread.chapter;
        checked.sources.replace(old.file, reread.file);
        checked
            .site
            .set_anchors(page, chapter.headings.iter().map(|h| h.anchor.clone()));
        if old.headings != chapter.headings {
            let from = checked.site.backlinks.get(&page);
            touched.recheck.extend(from.into_iter().flatten());
        }
        touched.files.insert(old.file);
        touched.pages.insert(page);
        touched.recheck.insert(page);
        touched.targets.push((page, before));
        found.extend(reread.diagnostics);
        *old = chapter;
    }
    forget_found_in(&mut checked.stages.load, &touched.files);
    checked.stages.load.extend(found);
    touched
}

/// Checks again the links of the pages that need it, and gathers the diagnostics.
/// Returns the pages to render: the edited ones, and those whose "referenced
/// from" list changed.
fn recheck_links(checked: &mut Checked, touched: Touched) -> BTreeSet<PageRef> {
    let _t = crate::trace::span("patch: links");
    let Touched {
        mut files,
        mut pages,
        recheck,
        targets,
    } = touched;
    let mut links = Diagnostics::new();
    for &page in &recheck {
        files.insert(page_file(checked, page));
        if !pages.contains(&page) {
            resolve::check_page_links(&checked.handbook, &checked.site, page, &mut links);
        }
    }
    for (page, before) in targets {
        let after = resolve::check_page_links(&checked.handbook, &checked.site, page, &mut links);
        // A page's "referenced from" list is the one thing of it another
        // page's text decides.
        pages.extend(checked.site.relink(page, &before, &after));
    }
    forget_found_in(&mut checked.stages.links, &files);
    checked.stages.links.extend(links);
    checked.gather_diagnostics();
    pages
}

/// Renders these pages with the theme of the last rebuild (`None` without one):
/// the files, or the diagnostics of a template that failed.
fn render_pages(
    checked: &Checked,
    caches: &mut Caches,
    pages: BTreeSet<PageRef>,
) -> Option<Result<Vec<OutputFile>, Vec<Diagnostic>>> {
    let _t = crate::trace::span("patch: render");
    let pages: Vec<PageRef> = pages.into_iter().collect();
    let segmenter = caches.segmenter();
    let theme = caches.theme.as_mut()?;
    Some(render::render_some(
        &checked.handbook,
        &checked.site,
        theme,
        &checked.sources,
        Some(&segmenter),
        &mut caches.render,
        &pages,
    ))
}

/// Drops what was found in these files: it is about to be found again.
fn forget_found_in(found: &mut Vec<Diagnostic>, files: &BTreeSet<FileId>) {
    found.retain(|d| {
        d.location
            .as_ref()
            .is_none_or(|at| !files.contains(&at.file))
    });
}

fn page_file(checked: &Checked, page: PageRef) -> FileId {
    match page {
        PageRef::Chapter(i) => checked.handbook.chapters[i].file,
        PageRef::Table(i) => checked.handbook.tables[i].file,
    }
}

/// True when what other pages show of a chapter is the same in both versions.
fn same_outside(old: &Chapter, new: &Chapter) -> bool {
    old.id.value == new.id.value
        && old.title == new.title
        && old.summary == new.summary
        && old.tags == new.tags
        && old.draft == new.draft
}

/// True when a table's `see:` links to a section of this page: the table shows
/// that section's heading.
fn quoted_by_tables(checked: &Checked, page: PageRef) -> bool {
    checked
        .handbook
        .tables
        .iter()
        .enumerate()
        .any(|(t, table)| {
            table.entries.iter().flat_map(|e| &e.see).any(|link| {
                matches!(
                    checked.site.resolve(&link.target, PageRef::Table(t)),
                    Ok(Resolved::Page(p, _)) if p == page
                )
            })
        })
}
