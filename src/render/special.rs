//! Pages a build makes beyond one per chapter and table: the index, 404, the phrase
//! finder, the practice drill and the print version.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::chapter_html::print_anchor;
use super::context::{LinkView, PageContext, PageInfo, Stats, TocSection};
use super::dialogue_html::escape;
use super::sidebar::{mark_current, SidebarKey};
use super::{export, Contents, OutputFile, PageRenderer, Piece};
use crate::diag::Diagnostic;
use crate::model::{EntryBody, PageRef, TableKind};
use crate::script_json::to_script_json;

/// Stands where `print.html` puts the pages; replaced by them after rendering, so
/// the whole handbook never passes through the template engine as one value.
const PRINT_BODY: &str = "\u{E000}handbook-print-body\u{E000}";

#[derive(Serialize)]
struct PrintContext<'a> {
    root: &'a str,
    toc: Vec<TocSection>,
    body: &'a str,
}

#[derive(Serialize)]
struct PracticeData<'a> {
    tables: Vec<PracticeTable<'a>>,
}

#[derive(Serialize)]
struct PracticeTable<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    entries: Vec<PracticeEntry<'a>>,
}

#[derive(Serialize)]
struct PracticeEntry<'a> {
    id: &'a str,
    situation: &'a str,
    say: Vec<&'a str>,
    avoid: Vec<&'a str>,
    why: Option<&'a str>,
}

impl PageRenderer<'_> {
    fn special_context<'b>(
        &self,
        kind: &'static str,
        title: &'b str,
        root: &'b str,
        sidebars: &HashMap<SidebarKey, String>,
    ) -> PageContext<'b>
    where
        Self: 'b,
    {
        let key = SidebarKey {
            root: if root.is_empty() { "" } else { "../" },
            ..self.sidebar_key(None)
        };
        let current = match kind {
            "index" => format!("{root}index.html"),
            _ => String::new(),
        };
        PageContext::new(
            root,
            PageInfo {
                kind,
                id: kind,
                title,
                heading: title,
                heading_anchor: None,
                summary: None,
                tags: &[],
            },
            mark_current(&sidebars[&key], &current),
        )
    }

    fn toc(&self, url: impl Fn(PageRef) -> String) -> Vec<TocSection> {
        self.site
            .sections
            .iter()
            .filter(|s| !s.pages.is_empty())
            .map(|section| TocSection {
                title: self.section_title(section),
                summary: section.summary.clone(),
                pages: section
                    .pages
                    .iter()
                    .map(|&p| LinkView {
                        url: url(p),
                        ..self.links.link(p, None)
                    })
                    .collect(),
            })
            .collect()
    }

    pub(super) fn index_page(
        &self,
        sidebars: &HashMap<SidebarKey, String>,
    ) -> Result<OutputFile, Diagnostic> {
        let mut context = self.special_context("index", &self.handbook.config.title, "", sidebars);
        context.next = self.site.order.first().map(|&p| self.links.link(p, None));
        context.toc = self.toc(|p| self.links.page_url(p));
        context.stats = Some(Stats {
            chapters: self.handbook.chapters.len(),
            tables: self.handbook.tables.len(),
            script_lines: export::script_lines(self.handbook).len(),
        });
        let html = self.render_template("index.html", &context)?;
        Ok(OutputFile::text("index.html", html))
    }

    pub(super) fn not_found_page(
        &self,
        sidebars: &HashMap<SidebarKey, String>,
    ) -> Result<OutputFile, Diagnostic> {
        let context = self.special_context("404", &self.strings["not_found_title"], "", sidebars);
        let html = self.render_template("404.html", &context)?;
        Ok(OutputFile::text("404.html", html))
    }

    /// `phrases/index.html`: every line to say, by table and situation.
    pub(super) fn finder_page(
        &self,
        sidebars: &HashMap<SidebarKey, String>,
    ) -> Result<OutputFile, Diagnostic> {
        let mut context =
            self.special_context("phrases", &self.strings["phrase_finder"], "../", sidebars);
        context.finder = self
            .all_table_views()
            .into_iter()
            .filter(|t| t.entries.iter().any(|e| !e.say.is_empty()))
            .collect();
        let tags: BTreeSet<&str> = context
            .finder
            .iter()
            .flat_map(|t| t.tags.iter().map(String::as_str))
            .collect();
        context.finder_tags = tags.into_iter().collect();
        let html = self.render_template("finder.html", &context)?;
        Ok(OutputFile::text("phrases/index.html", html))
    }

    /// `practice.html`: the drill's data from the script tables; the page's script
    /// runs it.
    pub(super) fn practice_page(
        &self,
        sidebars: &HashMap<SidebarKey, String>,
    ) -> Result<OutputFile, Diagnostic> {
        let data = PracticeData {
            tables: self
                .handbook
                .tables
                .iter()
                .enumerate()
                .filter(|(_, t)| t.kind == TableKind::Script && !t.entries.is_empty())
                .map(|(i, t)| PracticeTable {
                    id: &t.id.value,
                    title: &t.title,
                    url: self.links.url(PageRef::Table(i)),
                    entries: t
                        .entries
                        .iter()
                        .filter_map(|e| match &e.body {
                            EntryBody::Script {
                                situation,
                                say,
                                avoid,
                                why,
                            } => Some(PracticeEntry {
                                id: &e.id.value,
                                situation,
                                say: say.iter().map(|s| s.value.as_str()).collect(),
                                avoid: avoid.iter().map(|s| s.value.as_str()).collect(),
                                why: why.as_deref(),
                            }),
                            _ => None,
                        })
                        .collect(),
                })
                .collect(),
        };
        let mut context = self.special_context("practice", &self.strings["practice"], "", sidebars);
        context.practice_json = to_script_json(&data);
        let html = self.render_template("practice.html", &context)?;
        Ok(OutputFile::text("practice.html", html))
    }

    /// A page's section of `print.html`.
    pub(super) fn print_section(&self, page: PageRef, html: &str) -> String {
        let id = self.site.page_id(self.handbook, page);
        let title = self.links.page_title(page);
        let summary = self.links.page_summary(page);
        let mut out = String::with_capacity(html.len() + 200);
        out.push_str("<section class=\"print-page\" id=\"");
        out.push_str(&escape(&print_anchor(id, "")));
        out.push_str("\">\n<h1 class=\"print-title\">");
        out.push_str(&escape(title));
        out.push_str("</h1>\n");
        if let Some(summary) = summary {
            out.push_str("<p class=\"page-summary\">");
            out.push_str(&escape(summary));
            out.push_str("</p>\n");
        }
        out.push_str(html);
        out.push_str("</section>\n");
        out
    }

    /// `print.html`, the whole handbook on one page in reading order: the frame
    /// from the template, to which each page's section is added as it comes.
    pub(super) fn print_page(&self) -> Result<PrintPage, Diagnostic> {
        let context = PrintContext {
            root: "",
            toc: self
                .toc(|p| format!("#{}", print_anchor(self.site.page_id(self.handbook, p), ""))),
            body: PRINT_BODY,
        };
        let frame = self.render_template("print.html", &context)?;
        let Some((head, tail)) = frame.split_once(PRINT_BODY) else {
            return Err(Diagnostic::error(
                "template error: print.html must contain {{ body | safe }}",
            ));
        };
        Ok(PrintPage {
            html: head.to_string(),
            tail: tail.to_string(),
        })
    }
}

/// The frame of `print.html`: what comes before the pages' sections and after.
pub(super) struct PrintPage {
    html: String,
    tail: String,
}

impl PrintPage {
    /// The whole page, as parts: the sections are not copied into one string.
    pub(crate) fn finish(self, sections: Vec<Piece>) -> OutputFile {
        let mut parts = Vec::with_capacity(sections.len() + 2);
        parts.push(Piece::Text(Arc::new(self.html)));
        parts.extend(sections);
        parts.push(Piece::Text(Arc::new(self.tail)));
        OutputFile {
            path: "print.html".into(),
            contents: Contents::Pieces(parts),
        }
    }
}
