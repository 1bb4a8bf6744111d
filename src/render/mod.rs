//! Stage 3: every output file, rendered in memory. Pure: reads the handbook, the
//! resolved site and the theme; writes nothing. Pages render in parallel.

mod chapter_html;
pub mod context;
mod dialogue_html;
pub mod export;
mod links;
mod search_docs;
mod sidebar;
mod special;
pub mod strings;
pub mod tables;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Sources};
use crate::model::{Handbook, Heading, PageRef};
use crate::resolve::Site;
use crate::search::{self, segment::Segmenter, IndexStats, SearchDoc};
use crate::theme::{StaticFile, Theme};
use chapter_html::ChapterRenderer;
use context::{PageContext, PageInfo, PhrasesContext, SiteInfo};
pub use links::{encode_path, Links};
use sidebar::{mark_current, SidebarKey};
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

impl OutputFile {
    fn bytes(path: impl Into<String>, text: String) -> Self {
        let mut bytes = text.into_bytes();
        // Every file is held until all are rendered: no growth slack.
        bytes.shrink_to_fit();
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes),
        }
    }
}

/// What rendering made, and how big the search index came out.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub search: IndexStats,
}

pub fn render(
    handbook: &Handbook,
    site: &Site,
    theme: &mut Theme,
    sources: &Sources,
    segmenter: &Segmenter,
) -> Result<Rendered, Vec<Diagnostic>> {
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
    renderer.render_all(sources, segmenter)
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

/// A content page, rendered: its file, its search documents, and its section of
/// `print.html`.
struct PageOutput {
    file: OutputFile,
    docs: Vec<SearchDoc>,
    print: String,
}

impl PageRenderer<'_> {
    fn render_all(
        &self,
        sources: &Sources,
        segmenter: &Segmenter,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        // The HTML of each whole table, as on its page, as embedded and as printed:
        // made once.
        let table_html: Vec<[String; 3]> = self
            .tables
            .par_iter()
            .map(|view| {
                let print_prefix = format!("{}--", chapter_html::print_anchor(&view.id, ""));
                Ok([
                    self.phrases_html(view, false, "")?,
                    self.phrases_html(view, true, "")?,
                    self.phrases_html(view, false, &print_prefix)?,
                ])
            })
            .collect::<Result<_, Diagnostic>>()
            .map_err(|d| vec![d])?;

        let embed = |table_id: &str, entries: &[String]| -> Result<String, Diagnostic> {
            let Some(PageRef::Table(t)) = self.site.ids.get(table_id).copied() else {
                return Ok(String::new());
            };
            if entries.is_empty() {
                return Ok(table_html[t][1].clone());
            }
            let mut view = self.tables[t].clone();
            view.entries = entries
                .iter()
                .filter_map(|id| view.entries.iter().find(|e| &e.id == id).cloned())
                .collect();
            self.phrases_html(&view, true, "")
        };
        let chapters = ChapterRenderer {
            links: self.links,
            embed: &embed,
        };
        let keys = self.site.order.iter().map(|&p| self.sidebar_key(Some(p)));
        let home = self.sidebar_key(None);
        let below = SidebarKey {
            root: "../",
            ..home
        };
        let sidebars = self
            .sidebars(keys.chain([home, below]))
            .map_err(|d| vec![d])?;

        let pages: Vec<Result<PageOutput, Diagnostic>> = self
            .site
            .order
            .par_iter()
            .map(|&page| match page {
                PageRef::Chapter(i) => {
                    let chapter = &self.handbook.chapters[i];
                    let text = &sources.get(chapter.file).text;
                    let rendered = chapters.render(i, chapter, text)?;
                    let html = self.render_page(page, &rendered.html, "chapter.html", &sidebars)?;
                    Ok(PageOutput {
                        file: OutputFile::bytes(self.links.page_url(page), html),
                        docs: search_docs::chapter_docs(self.links, i, rendered.sections),
                        print: self.print_section(page, &rendered.print_html),
                    })
                }
                PageRef::Table(i) => {
                    let html =
                        self.render_page(page, &table_html[i][0], "table.html", &sidebars)?;
                    Ok(PageOutput {
                        file: OutputFile::bytes(self.links.page_url(page), html),
                        docs: search_docs::table_docs(self.links, i),
                        print: self.print_section(page, &table_html[i][2]),
                    })
                }
            })
            .collect();

        let mut files = Vec::with_capacity(pages.len() + 16);
        let mut docs = Vec::new();
        let mut errors = Vec::new();
        let mut print = self.print_page().map_err(|d| vec![d])?;
        for page in pages {
            match page {
                Ok(output) => {
                    files.push(output.file);
                    docs.extend(output.docs);
                    print.add(output.print);
                }
                Err(d) => errors.push(d),
            }
        }
        let special = [
            self.index_page(&sidebars),
            self.not_found_page(&sidebars),
            self.finder_page(&sidebars),
            self.practice_page(&sidebars),
            Ok(print.finish()),
        ];
        for file in special {
            match file {
                Ok(file) => files.push(file),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let (index_files, search) = search::build_index(docs, segmenter);
        files.extend(index_files);
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
        files.push(OutputFile::bytes("phrases.csv", export::to_csv(&rows)));
        files.push(OutputFile::bytes("phrases.json", export::to_json(&rows)));
        Ok(Rendered { files, search })
    }

    fn phrases_html(
        &self,
        table: &TableView,
        embed: bool,
        anchor_prefix: &str,
    ) -> Result<String, Diagnostic> {
        let context = PhrasesContext {
            root: "",
            table,
            embed,
            anchor_prefix,
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
        let mut context = PageContext::new(
            "",
            info,
            mark_current(
                &sidebars[&self.sidebar_key(Some(page))],
                self.links.url(page),
            ),
        );
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
        self.render_template(template, &context)
    }
}
