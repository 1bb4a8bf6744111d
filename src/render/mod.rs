//! Stage 3: every output file, rendered in memory. Pure: reads the handbook, the
//! resolved site and the theme; writes nothing. Pages render in parallel.

mod chapter_html;
pub mod context;
mod dialogue_html;
pub mod export;
mod links;
pub mod strings;
pub mod tables;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Sources};
use crate::model::{Handbook, Heading, PageRef};
use crate::resolve::Site;
use crate::theme::{StaticFile, Theme};
use chapter_html::ChapterRenderer;

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn windows_stay_inside_and_around_the_centre() {
        assert_eq!(window(5, 3, 41), 0..5);
        assert_eq!(window(400, 0, 41), 0..41);
        assert_eq!(window(400, 200, 41), 180..221);
        assert_eq!(window(400, 399, 41), 359..400);
    }
}
use context::{
    PageContext, PageInfo, PhrasesContext, SidebarContext, SidebarSection, SiteInfo, Stats,
    TocSection,
};
pub use links::{encode_path, Links};
use tables::TableView;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    Static(&'static [u8]),
    /// A file copied as it is (content assets, theme static files).
    Copy(PathBuf),
}

pub fn render(
    handbook: &Handbook,
    site: &Site,
    theme: &mut Theme,
    sources: &Sources,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let config = &handbook.config;
    let strings = strings::ui_strings(&config.language, &config.strings);
    {
        let globals = theme.tera.global_context();
        globals.insert(
            "site",
            &SiteInfo {
                title: &config.title,
                description: config.description.as_deref(),
                language: &config.language,
            },
        );
        globals.insert("strings", &strings);
    }
    let theme = &*theme;
    let links = Links::new(handbook, site);
    let renderer = PageRenderer {
        handbook,
        site,
        theme,
        links: &links,
        strings: &strings,
        tables: (0..handbook.tables.len())
            .map(|t| tables::table_view(handbook, t, &links, &strings))
            .collect(),
        table_outlines: handbook
            .tables
            .iter()
            .map(|t| {
                t.entries
                    .iter()
                    .map(|e| Heading {
                        level: 2,
                        anchor: e.id.value.clone(),
                        text: e.label().to_string(),
                    })
                    .collect()
            })
            .collect(),
    };
    renderer.render_all(sources)
}

/// Sections listed in a page's sidebar at most, and pages of the current section.
const SIDEBAR_SECTIONS: usize = 25;
const SIDEBAR_PAGES: usize = 61;

/// A range of at most `max` items of `len`, centred on `center` where it can be.
fn window(len: usize, center: usize, max: usize) -> std::ops::Range<usize> {
    if len <= max {
        return 0..len;
    }
    let start = center.saturating_sub(max / 2).min(len - max);
    start..start + max
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct SidebarKey {
    section: Option<usize>,
    pages_from: usize,
}

/// The sidebar HTML shared by a section's pages, with the current page marked:
/// `aria-current="page"` goes on the first link to it.
fn mark_current(sidebar: &str, href: &str) -> String {
    let needle = format!("href=\"{href}\"");
    match sidebar.find(&needle) {
        Some(i) => {
            let at = i + needle.len();
            let mut out = String::with_capacity(sidebar.len() + 20);
            out.push_str(&sidebar[..at]);
            out.push_str(" aria-current=\"page\"");
            out.push_str(&sidebar[at..]);
            out
        }
        None => sidebar.to_string(),
    }
}

struct PageRenderer<'a> {
    handbook: &'a Handbook,
    site: &'a Site,
    theme: &'a Theme,
    links: &'a Links<'a>,
    strings: &'a BTreeMap<String, String>,
    tables: Vec<TableView>,
    /// A table page's outline: its entries.
    table_outlines: Vec<Vec<Heading>>,
}

impl PageRenderer<'_> {
    fn render_all(&self, sources: &Sources) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        // The HTML of each whole table, as on its page and as embedded: made once.
        let table_html: Vec<(String, String)> = self
            .tables
            .par_iter()
            .map(|view| {
                Ok((
                    self.phrases_html(view, false)?,
                    self.phrases_html(view, true)?,
                ))
            })
            .collect::<Result<_, Diagnostic>>()
            .map_err(|d| vec![d])?;

        let embed = |table_id: &str, entries: &[String]| -> Result<String, Diagnostic> {
            let Some(PageRef::Table(t)) = self.site.ids.get(table_id).copied() else {
                return Ok(String::new());
            };
            if entries.is_empty() {
                return Ok(table_html[t].1.clone());
            }
            let mut view = self.tables[t].clone();
            view.entries = entries
                .iter()
                .filter_map(|id| view.entries.iter().find(|e| &e.id == id).cloned())
                .collect();
            self.phrases_html(&view, true)
        };
        let chapters = ChapterRenderer {
            links: self.links,
            embed: &embed,
        };
        let sidebars = self
            .sidebars(
                self.site
                    .order
                    .iter()
                    .map(|&p| self.sidebar_key(Some(p)))
                    .chain([self.sidebar_key(None)]),
            )
            .map_err(|d| vec![d])?;

        let pages: Vec<Result<OutputFile, Diagnostic>> = self
            .site
            .order
            .par_iter()
            .map(|&page| {
                let chapter_html;
                let (content, template) = match page {
                    PageRef::Chapter(i) => {
                        let chapter = &self.handbook.chapters[i];
                        let text = &sources.get(chapter.file).text;
                        chapter_html = chapters.render(i, chapter, text)?;
                        (chapter_html.as_str(), "chapter.html")
                    }
                    PageRef::Table(i) => (table_html[i].0.as_str(), "table.html"),
                };
                let mut bytes = self
                    .render_page(page, content, template, &sidebars)?
                    .into_bytes();
                // Every page is held until all are rendered: no growth slack.
                bytes.shrink_to_fit();
                Ok(OutputFile {
                    path: self.links.page_url(page),
                    contents: Contents::Bytes(bytes),
                })
            })
            .collect();

        let mut files = Vec::with_capacity(pages.len() + 8);
        let mut errors = Vec::new();
        for page in pages {
            match page {
                Ok(file) => files.push(file),
                Err(d) => errors.push(d),
            }
        }
        for special in [self.index_page(&sidebars), self.not_found_page(&sidebars)] {
            match special {
                Ok(file) => files.push(file),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        for (path, file) in &self.theme.statics {
            files.push(OutputFile {
                path: format!("static/{path}"),
                contents: match file {
                    StaticFile::Builtin(bytes) => Contents::Static(bytes),
                    StaticFile::File(path) => Contents::Copy(path.clone()),
                },
            });
        }
        for asset in &self.handbook.assets {
            files.push(OutputFile {
                path: asset.rel_path.clone(),
                contents: Contents::Copy(asset.source.clone()),
            });
        }
        let rows = export::script_lines(self.handbook);
        files.push(OutputFile {
            path: "phrases.csv".into(),
            contents: Contents::Bytes(export::to_csv(&rows).into_bytes()),
        });
        files.push(OutputFile {
            path: "phrases.json".into(),
            contents: Contents::Bytes(export::to_json(&rows).into_bytes()),
        });
        Ok(files)
    }

    fn phrases_html(&self, table: &TableView, embed: bool) -> Result<String, Diagnostic> {
        let context = PhrasesContext {
            root: "",
            table,
            embed,
        };
        self.render_template("phrases.html", &context)
    }

    fn render_template<T: serde::Serialize>(
        &self,
        template: &str,
        context: &T,
    ) -> Result<String, Diagnostic> {
        let context = tera::Context::from_serialize(context)
            .map_err(|e| self.theme.template_error(&e, template))?;
        self.theme
            .tera
            .render(template, &context)
            .map_err(|e| self.theme.template_error(&e, template))
    }

    /// Which sidebar a page gets: its section, and where the window of that
    /// section's pages starts (0 unless the section is longer than the window).
    fn sidebar_key(&self, current: Option<PageRef>) -> SidebarKey {
        let Some(&(_, s)) = current.and_then(|p| self.site.position.get(&p)) else {
            return SidebarKey {
                section: None,
                pages_from: 0,
            };
        };
        let pages = &self.site.sections[s].pages;
        let center = pages.iter().position(|&p| Some(p) == current).unwrap_or(0);
        SidebarKey {
            section: Some(s),
            pages_from: window(pages.len(), center, SIDEBAR_PAGES).start,
        }
    }

    /// The sidebar: the sections, and the pages of the current one only, so a page's
    /// size does not grow with the whole handbook. A handbook with very many parts
    /// (or a part with very many pages) gets a window around the current one, with
    /// "…" leading to the full table of contents on the index page.
    fn sidebar(&self, key: SidebarKey) -> Vec<SidebarSection> {
        let sections: Vec<(usize, &crate::resolve::Section)> = self
            .site
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.pages.is_empty())
            .collect();
        let center = key
            .section
            .and_then(|s| sections.iter().position(|(i, _)| *i == s))
            .unwrap_or(0);
        let shown = window(sections.len(), center, SIDEBAR_SECTIONS);
        let mut out = Vec::with_capacity(shown.len() + 2);
        if shown.start > 0 {
            out.push(self.elided_section());
        }
        for &(i, section) in &sections[shown.clone()] {
            let is_current = key.section == Some(i);
            let expanded = is_current || (section.title.is_none() && !section.is_tables);
            let mut pages = Vec::new();
            if expanded {
                let from = if is_current { key.pages_from } else { 0 };
                let range = from..(from + SIDEBAR_PAGES).min(section.pages.len());
                if range.start > 0 {
                    pages.push(self.elided_link());
                }
                pages.extend(section.pages[range.clone()].iter().map(|&p| {
                    let mut link = self.links.link(p, None);
                    link.summary = None;
                    link
                }));
                if range.end < section.pages.len() {
                    pages.push(self.elided_link());
                }
            }
            out.push(SidebarSection {
                title: self.section_title(section),
                url: self.links.page_url(section.pages[0]),
                current: is_current,
                pages,
            });
        }
        if shown.end < sections.len() {
            out.push(self.elided_section());
        }
        out
    }

    /// Every sidebar the pages need, each rendered once through `sidebar.html`.
    fn sidebars(
        &self,
        keys: impl Iterator<Item = SidebarKey>,
    ) -> Result<HashMap<SidebarKey, String>, Diagnostic> {
        let keys: BTreeSet<SidebarKey> = keys.collect();
        keys.into_par_iter()
            .map(|key| {
                let context = SidebarContext {
                    root: "",
                    sidebar: self.sidebar(key),
                };
                Ok((key, self.render_template("sidebar.html", &context)?))
            })
            .collect()
    }

    fn elided_link(&self) -> context::LinkView {
        context::LinkView {
            title: "…".into(),
            url: "index.html".into(),
            summary: None,
            current: false,
        }
    }

    fn elided_section(&self) -> SidebarSection {
        SidebarSection {
            title: Some("…".into()),
            url: "index.html".into(),
            current: false,
            pages: Vec::new(),
        }
    }

    fn section_title(&self, section: &crate::resolve::Section) -> Option<String> {
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
        sidebars: &HashMap<SidebarKey, String>,
    ) -> Result<String, Diagnostic> {
        let (index, _) = self.site.position[&page];
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| self.site.order.get(i))
                .map(|&p| self.links.link(p, None))
        };
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
                let outline = self.table_outlines[i].iter().collect();
                (info, outline, Some(&self.tables[i]))
            }
        };
        let context = PageContext {
            root: "",
            page: info,
            content,
            outline,
            sidebar_html: mark_current(
                &sidebars[&self.sidebar_key(Some(page))],
                self.links.url(page),
            ),
            prev: neighbour(index.checked_sub(1)),
            next: neighbour(Some(index + 1)),
            backlinks: self
                .site
                .backlinks
                .get(&page)
                .map(|from| from.iter().map(|&p| self.links.link(p, None)).collect())
                .unwrap_or_default(),
            table,
            toc: Vec::new(),
            stats: None,
        };
        self.render_template(template, &context)
    }

    fn special_context<'b>(
        &self,
        kind: &'static str,
        title: &'b str,
        sidebars: &HashMap<SidebarKey, String>,
    ) -> PageContext<'b> {
        PageContext {
            root: "",
            page: PageInfo {
                kind,
                id: kind,
                title,
                heading: title,
                heading_anchor: None,
                summary: None,
                tags: &[],
            },
            content: "",
            outline: Vec::new(),
            sidebar_html: mark_current(
                &sidebars[&self.sidebar_key(None)],
                if kind == "index" { "index.html" } else { "" },
            ),
            prev: None,
            next: None,
            backlinks: Vec::new(),
            table: None,
            toc: Vec::new(),
            stats: None,
        }
    }

    fn index_page(&self, sidebars: &HashMap<SidebarKey, String>) -> Result<OutputFile, Diagnostic> {
        let mut context = self.special_context("index", &self.handbook.config.title, sidebars);
        context.next = self.site.order.first().map(|&p| self.links.link(p, None));
        context.toc = self
            .site
            .sections
            .iter()
            .filter(|s| !s.pages.is_empty())
            .map(|section| TocSection {
                title: self.section_title(section),
                summary: section.summary.clone(),
                pages: section
                    .pages
                    .iter()
                    .map(|&p| self.links.link(p, None))
                    .collect(),
            })
            .collect();
        context.stats = Some(Stats {
            chapters: self.handbook.chapters.len(),
            tables: self.handbook.tables.len(),
            script_lines: export::script_lines(self.handbook).len(),
        });
        let html = self.render_template("index.html", &context)?;
        Ok(OutputFile {
            path: "index.html".into(),
            contents: Contents::Bytes(html.into_bytes()),
        })
    }

    fn not_found_page(
        &self,
        sidebars: &HashMap<SidebarKey, String>,
    ) -> Result<OutputFile, Diagnostic> {
        let context = self.special_context("404", &self.strings["not_found_title"], sidebars);
        let html = self.render_template("404.html", &context)?;
        Ok(OutputFile {
            path: "404.html".into(),
            contents: Contents::Bytes(html.into_bytes()),
        })
    }
}
