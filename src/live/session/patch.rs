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
//! rebuild that failed — goes the long way, which is always right. The patching of
//! the checked handbook is [`crate::patch`]'s; here are its rendering and writing.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use super::{Outcome, Session};
use crate::diag::Diagnostic;
use crate::model::PageRef;
use crate::output::{self, OutputFile, Update};
use crate::patch::{self, Edit};
use crate::pipeline::{Caches, Checked, Fatal};
use crate::render;

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
        let pages = patch::apply(checked, &mut self.caches.load, edits);
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
        patch::edits(self.current.as_ref()?, &self.caches.load, changed)
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
