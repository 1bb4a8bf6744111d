//! What tells a reader what changed: `updates.js`, a short hash of each page's own
//! text that the pages' script compares with what the reader last read, and, where
//! the content is in git, each page's date and `changes.html`, the recent commits.

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::context::LinkView;
use super::pages::PageRenderer;
use super::sidebar::NavPaths;
use crate::diag::{Diagnostic, Sources};
use crate::model::PageRef;
use crate::output::OutputFile;
use crate::text::script_json::to_script_json;

/// The file the pages load, at the site root.
pub(crate) const UPDATES_JS: &str = "updates.js";
/// The recent changes, where the content is in git.
pub(crate) const CHANGES_HTML: &str = "changes.html";
/// How many commits `changes.html` lists.
const CHANGES_LISTED: usize = 50;

/// One commit on `changes.html`: its date, subject and the pages it changed.
#[derive(Debug, Serialize)]
pub(crate) struct ChangeView {
    pub(crate) date: String,
    pub(crate) subject: String,
    pub(crate) pages: Vec<LinkView>,
}

#[derive(Serialize)]
struct Updates<'a> {
    /// Names the handbook, so two on one origin keep apart what their reader read.
    site: String,
    /// Each page's URL and the hash of its text.
    pages: std::collections::BTreeMap<&'a str, String>,
    /// Each part's pages, in reading order: a part's link in the sidebar (to its
    /// first page) is marked when one of them is.
    parts: Vec<Vec<&'a str>>,
}

/// FNV-1a, 32 bits, in hex: fixed by its definition, so a page's hash stays the same
/// from one build (and version of Rust) to the next while its text does.
fn short_hash(text: &str) -> String {
    let hash = text.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    format!("{hash:08x}")
}

impl PageRenderer<'_> {
    /// The page's source file: a chapter's Markdown, a table's YAML.
    fn source_of(&self, page: PageRef) -> (crate::diag::FileId, &str) {
        match page {
            PageRef::Chapter(i) => {
                let c = &self.handbook.chapters[i];
                (c.file, &c.rel_path)
            }
            PageRef::Table(i) => {
                let t = &self.handbook.tables[i];
                (t.file, &t.rel_path)
            }
        }
    }

    /// The date of the page's last change in git, if known.
    pub(super) fn updated(&self, page: PageRef) -> Option<&str> {
        let history = self.handbook.history.as_ref()?;
        let (_, rel_path) = self.source_of(page);
        history.updated.get(rel_path).map(String::as_str)
    }

    /// `updates.js`: every page's hash, from its own source text only, so that a
    /// change to another page, the navigation or the theme marks nothing.
    pub(super) fn updates_file(&self, sources: &Sources) -> OutputFile {
        let config = &self.handbook.config;
        let updates = Updates {
            site: short_hash(&format!("{}\n{}", config.title, config.language)),
            pages: (self.site.order.iter())
                .map(|&page| {
                    let text = &sources.get(self.source_of(page).0).text;
                    (self.links.url(page), short_hash(text))
                })
                .collect(),
            parts: (self.site.sections.iter())
                .filter(|s| !s.pages.is_empty())
                .map(|s| s.pages.iter().map(|&p| self.links.url(p)).collect())
                .collect(),
        };
        let js = format!("window.handbookUpdates = {};\n", to_script_json(&updates));
        OutputFile::text(UPDATES_JS, js)
    }

    /// `changes.html`, where the content is in git: the recent commits that changed
    /// pages, newest first.
    pub(super) fn changes_page(
        &self,
        sidebars: &NavPaths,
    ) -> Option<Result<OutputFile, Diagnostic>> {
        let history = self.handbook.history.as_ref()?;
        let by_path: HashMap<&str, PageRef> = (self.site.order.iter())
            .map(|&page| (self.source_of(page).1, page))
            .collect();
        let changes = (history.commits.iter())
            .filter_map(|commit| {
                let pages: Vec<LinkView> = (commit.paths.iter())
                    .filter_map(|path| by_path.get(path.as_str()))
                    .map(|&page| self.links.link(page, None))
                    .collect();
                (!pages.is_empty()).then(|| ChangeView {
                    date: commit.date.clone(),
                    subject: commit.subject.clone(),
                    pages,
                })
            })
            .take(CHANGES_LISTED)
            .collect();
        let title = &self.strings["recent_changes"];
        let page = self
            .site_wide_context("changes", title, "", sidebars)
            .and_then(|mut context| {
                context.changes = changes;
                self.render_template("changes.html", &context)
            });
        Some(page.map(|html| OutputFile::text(CHANGES_HTML, html)))
    }
}

#[cfg(test)]
mod tests {
    use super::short_hash;

    #[test]
    fn the_hash_is_short_and_fixed_by_the_text() {
        assert_eq!(short_hash(""), "811c9dc5");
        assert_eq!(short_hash("a"), "e40c292c");
        assert_ne!(short_hash("退货"), short_hash("退貨"));
    }
}
