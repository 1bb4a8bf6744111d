//! The quick way through a rebuild, for the edit an editor makes all day: the text
//! of a chapter or two changed, and nothing the rest of the site shows of them
//! (id, title, summary, tags, draft). Then the checked handbook of the last rebuild
//! is patched instead of made again: those chapters are read and parsed again,
//! every link is checked again (their anchors may have changed), and only their
//! pages, and the pages whose "referenced from" list changed, are rendered and
//! written. The outputs made from all pages follow on the other thread as usual.
//!
//! Anything else — a new, removed or renamed file, a table, handbook.yaml, the
//! theme, a changed title, a chapter whose headings a table's `see:` quotes, a last
//! rebuild that failed — goes the long way, which is always right.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use super::{Outcome, Session};
use crate::diag::{Diagnostic, Diagnostics, FileId};
use crate::load::RereadChapter;
use crate::model::{Chapter, PageRef};
use crate::output::{self, Update};
use crate::pipeline::{Checked, Fatal};
use crate::render;
use crate::resolve::{self, Resolved};

impl Session {
    /// Rebuilds after an edit of these files (relative to `content/`) by patching
    /// the last rebuild, when the edit allows it; `None` when it does not.
    pub(super) fn patch(
        &mut self,
        changed: &[String],
        started: Instant,
    ) -> Option<Result<Outcome, Fatal>> {
        let _t = crate::trace::span("patch");
        if !self.current_rendered || self.pages.is_none() || self.caches.theme.is_none() {
            return None;
        }
        let current = self.current.as_ref()?;
        if !current.stages.structure.is_empty() {
            return None;
        }
        let mut edits: Vec<(usize, RereadChapter, BTreeSet<PageRef>)> =
            Vec::with_capacity(changed.len());
        for rel in changed {
            let index = current
                .handbook
                .chapters
                .iter()
                .position(|c| &c.rel_path == rel)?;
            let old = &current.handbook.chapters[index];
            let reread = self.caches.load.reread_chapter(rel, old.file)?;
            if !same_outside(old, &reread.chapter)
                || (old.headings != reread.chapter.headings
                    && quoted_by_tables(current, PageRef::Chapter(index)))
            {
                return None;
            }
            // Where its links led before, to tell whose "referenced from" changes.
            let before = resolve::check_page_links(
                &current.handbook,
                &current.site,
                PageRef::Chapter(index),
                &mut Diagnostics::new(),
            );
            edits.push((index, reread, before));
        }

        let t = crate::trace::span("patch: make_mut");
        let checked = Arc::make_mut(self.current.as_mut()?);
        drop(t);
        let mut files: BTreeSet<FileId> = BTreeSet::new();
        let mut pages: BTreeSet<PageRef> = BTreeSet::new();
        // Pages whose links must be checked again: the edited ones, and those that
        // link to one of them whose headings changed (an anchor may be gone).
        let mut recheck: BTreeSet<PageRef> = BTreeSet::new();
        let mut found = Vec::new();
        let mut targets = Vec::with_capacity(edits.len());
        for (index, mut reread, before) in edits {
            let old = &mut checked.handbook.chapters[index];
            Arc::make_mut(&mut reread.chapter).part = old.part;
            self.caches.load.keep_chapter(&reread);
            let chapter = reread.chapter;
            checked.sources.replace(old.file, reread.file);
            checked.site.set_anchors(
                PageRef::Chapter(index),
                chapter.headings.iter().map(|h| h.anchor.clone()),
            );
            let page = PageRef::Chapter(index);
            if old.headings != chapter.headings {
                let from = checked.site.backlinks.get(&page);
                recheck.extend(from.into_iter().flatten());
            }
            files.insert(old.file);
            pages.insert(page);
            recheck.insert(page);
            found.extend(reread.diagnostics);
            targets.push((page, before));
            *old = chapter;
        }
        let stages = &mut checked.stages;
        forget_found_in(&mut stages.load, &files);
        stages.load.extend(found);
        let t = crate::trace::span("patch: links");
        let mut links = Diagnostics::new();
        for &page in &recheck {
            files.insert(page_file(checked, page));
            if !pages.contains(&page) {
                resolve::check_page_links(&checked.handbook, &checked.site, page, &mut links);
            }
        }
        for (page, before) in targets {
            let after =
                resolve::check_page_links(&checked.handbook, &checked.site, page, &mut links);
            // A page's "referenced from" list is the one thing of it another
            // page's text decides.
            pages.extend(checked.site.relink(page, &before, &after));
        }
        let stages = &mut checked.stages;
        forget_found_in(&mut stages.links, &files);
        stages.links.extend(links);
        checked.gather_diagnostics();
        drop(t);
        if checked.diagnostics.has_errors() {
            // The pages stay as the last good rebuild left them; the next one goes
            // the long way, which compares with those.
            self.current_rendered = false;
            return Some(Ok(self.outcome(false, Update::default(), started)));
        }

        let t = crate::trace::span("patch: render");
        let pages: Vec<PageRef> = pages.into_iter().collect();
        let segmenter = self.caches.segmenter();
        let theme = self.caches.theme.as_mut()?;
        let rendered = render::render_some(
            &checked.handbook,
            &checked.site,
            theme,
            &checked.sources,
            Some(&segmenter),
            &mut self.caches.render,
            &pages,
        );
        let list = match rendered {
            Ok(list) => list,
            Err(errors) => {
                checked.diagnostics.extend(errors);
                checked.diagnostics.sort(&checked.sources);
                self.current_rendered = false;
                return Some(Ok(self.outcome(false, Update::default(), started)));
            }
        };
        drop(t);
        let _t = crate::trace::span("patch: write");
        let manifest = self.pages.as_mut()?;
        let update = match output::update_in_place(&list, &self.out, manifest, &|_| false) {
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
