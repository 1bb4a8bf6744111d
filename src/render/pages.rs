//! The pages of chapters and tables: the renderer every page shares, and each
//! page rendered (or, in watch mode, known unchanged) into its file, its search
//! documents and its section of `print.html`, in parallel.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::cache::{hash_of, RenderCache};
use super::chapter_html::ChapterRenderer;
use super::context::{PageContext, PageInfo};
use super::links::Links;
use super::search_docs;
use super::sidebar::NavPaths;
use super::stream::Stream;
use super::table_html::TablesHtml;
use super::tables::{self, TableView};
use crate::diag::{Diagnostic, Sources};
use crate::model::{Handbook, Heading, PageRef};
use crate::output::{OutputFile, Piece};
use crate::resolve::Site;
use crate::search::{self, segment::Segmenter, SearchDoc};
use crate::theme::Theme;

/// What every page is rendered with: the handbook, its links and the theme.
pub(super) struct PageRenderer<'a> {
    pub(super) handbook: &'a Handbook,
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    pub(super) links: &'a Links<'a>,
    pub(super) strings: &'a BTreeMap<String, String>,
    /// Each table's view, made when first needed (after an edit, few are).
    table_views: Vec<OnceLock<TableView>>,
}

/// A content page, rendered (or known unchanged): its file, its search documents,
/// and its section of `print.html`.
pub(super) struct PageOutput {
    /// `None` once handed to a sink (see [`super::stream`]).
    pub(super) file: Option<OutputFile>,
    pub(super) docs: Arc<Vec<SearchDoc>>,
    /// Each document's search terms, worked out once per page in watch mode.
    pub(super) weights: Option<Arc<Vec<search::Weights>>>,
    /// Its section of `print.html`: in memory, or set aside on disk while a full
    /// build renders (see [`crate::output::spill`]).
    pub(super) print: Piece,
}

/// What rendering one page needs besides the page, shared by all pages.
struct PageInputs<'p> {
    sources: &'p Sources,
    /// Each sidebar's script, by key.
    sidebars: &'p NavPaths,
    tables: &'p TablesHtml,
    chapters: &'p ChapterRenderer<'p>,
    /// A hash of the theme and handbook.yaml: what every page depends on.
    generation: u64,
    cache: &'p RenderCache,
    stream: &'p Stream<'p>,
    /// Where the pages' search terms are worked out as they render (watch mode).
    segmenter: Option<&'p Segmenter>,
}

impl<'a> PageRenderer<'a> {
    pub(super) fn new(
        handbook: &'a Handbook,
        site: &'a Site,
        theme: &'a Theme,
        links: &'a Links<'a>,
        strings: &'a BTreeMap<String, String>,
    ) -> Self {
        PageRenderer {
            handbook,
            site,
            theme,
            links,
            strings,
            table_views: (0..handbook.tables.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    pub(super) fn table_view(&self, t: usize) -> &TableView {
        self.table_views[t]
            .get_or_init(|| tables::table_view(self.handbook, t, self.links, self.strings))
    }

    /// Every table's view, made in parallel where not made yet.
    pub(super) fn all_table_views(&self) -> Vec<&TableView> {
        (0..self.table_views.len())
            .into_par_iter()
            .with_max_len(1)
            .map(|t| self.table_view(t))
            .collect()
    }

    /// A table page's outline: its entries.
    fn table_outline(&self, t: usize) -> Vec<Heading> {
        self.handbook.tables[t]
            .entries
            .iter()
            .map(|e| Heading {
                level: 2,
                anchor: e.id.value.clone(),
                text: e.label().to_string(),
            })
            .collect()
    }

    /// Every chapter and table page in reading order (or only the pages `only`
    /// names); with a cache, only those whose inputs changed are rendered.
    pub(super) fn render_pages(
        &self,
        sources: &Sources,
        sidebars: &NavPaths,
        cache: &mut RenderCache,
        segmenter: Option<&Segmenter>,
        only: Option<&[PageRef]>,
        stream: &Stream,
    ) -> Result<Vec<PageOutput>, Vec<Diagnostic>> {
        let t = crate::trace::span("render: table html");
        let generation = hash_of((self.theme.fingerprint, self.handbook.config.fingerprint));
        let tables = self.tables_html(only, generation, cache)?;
        let embed =
            |table_id: &str, entries: &[String]| self.embed_html(&tables, table_id, entries);
        let chapters = ChapterRenderer {
            links: self.links,
            embed: &embed,
        };
        drop(t);
        let t = crate::trace::span("render: pages");
        let inputs = PageInputs {
            sources,
            sidebars,
            tables: &tables,
            chapters: &chapters,
            generation,
            cache,
            stream,
            segmenter: segmenter.filter(|_| cache.keeps()),
        };
        let outputs: Vec<Result<(u64, PageOutput), Diagnostic>> = only
            .unwrap_or(&self.site.order)
            .par_iter()
            // One job per item: rayon splits a range only while the other thread steals,
            // and the run it left unsplit ended phases with one thread working alone.
            .with_max_len(1)
            .map(|&page| self.render_one(page, &inputs))
            .collect();
        drop(t);
        let _t = crate::trace::span("render: keep pages");
        cache.keep_pages(outputs, only.is_some())
    }

    /// One page and its key: as last rendered if the key is unchanged; otherwise
    /// rendered, handed on, and (in watch mode) its search terms worked out.
    fn render_one(
        &self,
        page: PageRef,
        inputs: &PageInputs,
    ) -> Result<(u64, PageOutput), Diagnostic> {
        let url = self.links.url(page);
        let nav_script = &inputs.sidebars[&self.sidebar_key(Some(page))];
        // A one-shot build has nothing to compare keys with.
        let key = match inputs.cache.keeps() {
            true => {
                let view_hashes = &inputs.tables.view_hashes;
                self.page_key(
                    page,
                    inputs.generation,
                    inputs.sources,
                    nav_script,
                    view_hashes,
                )
            }
            false => 0,
        };
        if let Some(known) = inputs.cache.known_page(url, key) {
            return Ok((key, known));
        }
        let mut output = self.page_output(page, inputs)?;
        inputs.stream.hand_over(&mut output);
        if let Some(segmenter) = inputs.segmenter {
            // Worked out now, for this page only, so the search index after a
            // rebuild need not segment every page again.
            let weights = output
                .docs
                .iter()
                .map(|d| search::weights(d, segmenter))
                .collect();
            output.weights = Some(Arc::new(weights));
        }
        Ok((key, output))
    }

    /// A page rendered: its file, search documents and print section.
    fn page_output(&self, page: PageRef, inputs: &PageInputs) -> Result<PageOutput, Diagnostic> {
        let url = self.links.url(page);
        let sidebars = inputs.sidebars;
        match page {
            PageRef::Chapter(i) => {
                let chapter = &self.handbook.chapters[i];
                let text = &inputs.sources.get(chapter.file).text;
                let rendered = inputs.chapters.render(i, chapter, text)?;
                let html = self.render_page(page, &rendered.html, "chapter.html", sidebars)?;
                Ok(PageOutput {
                    file: Some(OutputFile::bytes(url, html)),
                    docs: Arc::new(search_docs::chapter_docs(self.links, i, rendered.sections)),
                    weights: None,
                    print: Piece::Text(Arc::new(self.print_section(page, &rendered.print_html))),
                })
            }
            PageRef::Table(i) => {
                let html = inputs.tables.of(i);
                let page_html = self.render_page(page, &html[0], "table.html", sidebars)?;
                Ok(PageOutput {
                    file: Some(OutputFile::bytes(url, page_html)),
                    docs: Arc::new(search_docs::table_docs(self.links, i)),
                    weights: None,
                    print: Piece::Text(Arc::new(self.print_section(page, &html[2]))),
                })
            }
        }
    }

    pub(super) fn section_title(&self, section: &crate::resolve::Section) -> Option<String> {
        if section.is_tables {
            Some(self.strings["phrase_tables"].clone())
        } else {
            section.title.clone()
        }
    }

    fn render_page(
        &self,
        page: PageRef,
        content: &str,
        template: &str,
        sidebars: &NavPaths,
    ) -> Result<Vec<u8>, Diagnostic> {
        let (index, _) = self.site.position[&page];
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| self.site.order.get(i))
                .map(|&p| self.links.link(p, None))
        };
        let table_outline;
        let (info, outline, table) = match page {
            PageRef::Chapter(i) => {
                let c = &self.handbook.chapters[i];
                let opening = c.headings.first().filter(|_| c.title_in_body);
                let info = PageInfo {
                    kind: "chapter",
                    id: &c.id.value,
                    title: &c.title,
                    heading: opening.map_or(c.title.as_str(), |h| h.text.as_str()),
                    heading_anchor: opening.map(|h| h.anchor.as_str()),
                    summary: c.summary.as_deref(),
                    tags: &c.tags,
                };
                let outline = c
                    .headings
                    .iter()
                    .filter(|h| h.level == 2 || h.level == 3)
                    .collect();
                (info, outline, None)
            }
            PageRef::Table(i) => {
                let t = &self.handbook.tables[i];
                let info = PageInfo {
                    kind: "table",
                    id: &t.id.value,
                    title: &t.title,
                    heading: &t.title,
                    heading_anchor: None,
                    summary: t.description.as_deref(),
                    tags: &t.tags,
                };
                table_outline = self.table_outline(i);
                let outline = table_outline.iter().collect();
                (info, outline, Some(self.table_view(i)))
            }
        };
        let nav_script = &sidebars[&self.sidebar_key(Some(page))];
        let frame = self.sidebar_frame("", nav_script, self.links.url(page), false)?;
        let mut context = PageContext::new("", info, frame);
        context.content = content;
        context.outline = outline;
        context.prev = neighbour(index.checked_sub(1));
        context.next = neighbour(Some(index + 1));
        context.backlinks = self
            .site
            .backlinks
            .get(&page)
            .map(|from| from.iter().map(|&p| self.links.link(p, None)).collect())
            .unwrap_or_default();
        context.table = table;
        context.updated = self.updated(page);
        context.has_changes = context.updated.is_some();
        let size_hint = content.len() + context.sidebar_html.len() + 16 * 1024;
        self.render_template_bytes(template, &context, size_hint)
    }
}
