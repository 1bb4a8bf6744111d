//! A checked handbook patched, not made again, after the text of a chapter or two
//! changed and nothing the rest of the handbook shows of them (id, title, summary,
//! tags, draft): those chapters are parsed again, every link that could have
//! changed is checked again, and the diagnostics gathered. Watch mode renders the
//! pages this returns (`live/session/patch.rs`); the language server publishes the
//! diagnostics after each keystroke (`lsp/`).
//!
//! Anything else — a new, removed or renamed file, a table, handbook.yaml, a
//! changed title, a chapter whose headings a table's `see:` quotes, a handbook with
//! duplicate ids — is for a whole check, which is always right: [`edits`] says
//! `None`.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, FileId};
use crate::load::{LoadCache, RereadChapter};
use crate::model::{Chapter, LinkTarget, PageRef};
use crate::pipeline::Checked;
use crate::resolve::{self, Resolved};

/// The edited chapters (paths relative to `content/`) read again, through `load`
/// (and its overlay), when the edit can be patched into `current`; `None` when a
/// whole check is needed.
pub(crate) fn edits(current: &Checked, load: &LoadCache, changed: &[String]) -> Option<Vec<Edit>> {
    if !current.stages.structure.is_empty() {
        return None;
    }
    changed.iter().map(|rel| edit(current, load, rel)).collect()
}

/// One edited chapter read again, if nothing other pages show of it changed.
fn edit(current: &Checked, load: &LoadCache, rel: &str) -> Option<Edit> {
    let chapters = &current.handbook.chapters;
    let index = chapters.iter().position(|c| c.rel_path == rel)?;
    let old = &chapters[index];
    let page = PageRef::Chapter(index);
    let reread = load.reread_chapter(rel, old.file)?;
    let headings_changed = old.headings != reread.chapter.headings;
    if !same_outside(old, &reread.chapter) || (headings_changed && quoted_by_tables(current, page))
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

/// Patches the edits into `checked` (and keeps them in `load`), checks again the
/// links that could have changed, and gathers the diagnostics. Returns the pages
/// whose rendering changed: the edited ones, and those whose "referenced from"
/// list changed.
pub(crate) fn apply(
    checked: &mut Checked,
    load: &mut LoadCache,
    edits: Vec<Edit>,
) -> BTreeSet<PageRef> {
    let touched = apply_edits(checked, load, edits);
    recheck_links(checked, touched)
}

/// A chapter whose text changed, read again, with where its links led before.
pub(crate) struct Edit {
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
    let broken = pages_with_broken_links(checked);
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
            // A link broken before may lead to one of the new headings.
            touched.recheck.extend(broken.iter().copied());
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
    let edited = pages.clone();
    for &page in &recheck {
        files.insert(page_file(checked, page));
        if edited.contains(&page) {
            continue;
        }
        let after = resolve::check_page_links(&checked.handbook, &checked.site, page, &mut links);
        // Of this page's links, only those to the edited pages can have come to
        // resolve or stopped resolving (their anchors changed).
        let before: BTreeSet<PageRef> = edited
            .iter()
            .copied()
            .filter(|e| {
                checked
                    .site
                    .backlinks
                    .get(e)
                    .is_some_and(|from| from.contains(&page))
            })
            .collect();
        let after: BTreeSet<PageRef> = after.intersection(&edited).copied().collect();
        pages.extend(checked.site.relink(page, &before, &after));
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

/// The pages with a link, embed or `see:` that does not resolve.
fn pages_with_broken_links(checked: &Checked) -> Vec<PageRef> {
    let files: BTreeSet<FileId> = checked
        .stages
        .links
        .iter()
        .filter_map(|d| d.location.as_ref().map(|at| at.file))
        .collect();
    if files.is_empty() {
        return Vec::new();
    }
    let handbook = &checked.handbook;
    let chapters = handbook.chapters.iter().enumerate();
    let tables = handbook.tables.iter().enumerate();
    chapters
        .map(|(i, c)| (PageRef::Chapter(i), c.file))
        .chain(tables.map(|(i, t)| (PageRef::Table(i), t.file)))
        .filter(|(_, file)| files.contains(file))
        .map(|(page, _)| page)
        .collect()
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
            // Its anchor aside: a `see:` broken before may lead to a new heading.
            table.entries.iter().flat_map(|e| &e.see).any(|link| {
                let target = match &link.target {
                    LinkTarget::Id { id, .. } => LinkTarget::Id {
                        id: id.clone(),
                        anchor: None,
                    },
                    LinkTarget::Source { path, .. } => LinkTarget::Source {
                        path: path.clone(),
                        anchor: None,
                    },
                    other => other.clone(),
                };
                matches!(
                    checked.site.resolve(&target, PageRef::Table(t)),
                    Ok(Resolved::Page(p, _)) if p == page
                )
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::LoadOptions;
    use crate::pipeline;

    #[test]
    fn a_new_heading_mends_a_link_broken_before() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("handbook.yaml"), "title: 手册\n").unwrap();
        std::fs::write(content.join("a.md"), "# 甲\n\n## 要点\n").unwrap();
        std::fs::write(content.join("b.md"), "# 乙\n\n见[甲](@a#faq)。\n").unwrap();
        let mut load = LoadCache::default();
        let options = LoadOptions::default();
        let mut checked = pipeline::check_with(dir.path(), &options, &pipeline::quiet, &mut load)
            .expect("checked");
        assert_eq!(checked.diagnostics.count(crate::diag::Severity::Error), 1);

        // The heading is added in an editor's buffer, not on disk.
        load.set_overlay("a.md", Some("# 甲\n\n## 要点 {#faq}\n".into()));
        let changed = ["a.md".to_string()];
        let reread = edits(&checked, &load, &changed).expect("a text edit is patched in");
        apply(&mut checked, &mut load, reread);
        assert!(checked.diagnostics.is_empty(), "the link in b.md is mended");

        // Dropped again: the link is broken again.
        load.set_overlay("a.md", None);
        let reread = edits(&checked, &load, &changed).expect("a text edit is patched in");
        apply(&mut checked, &mut load, reread);
        assert_eq!(checked.diagnostics.count(crate::diag::Severity::Error), 1);
    }
}
