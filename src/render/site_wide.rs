//! The site-wide pages: the files made from all pages together, beyond one per
//! chapter and table — the index, 404, the phrase finder, the practice drill, the
//! print version ([`super::print`]), the exports and the search index. Watch mode
//! makes them after the pages, on another thread.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use super::context::{Download, LinkView, PageContext, PageInfo, Stats, TocSection};
use super::pages::{PageOutput, PageRenderer};
use super::sidebar::NavPaths;
use super::stream::Stream;
use super::tables::TableView;
use crate::diag::Diagnostic;
use crate::export::{self, Format};
use crate::model::PageRef;
use crate::output::{OutputFile, Piece};
use crate::search::{self, segment::Segmenter, SearchDoc};
use crate::text::script_json::to_script_json;

/// True for the site-wide pages' files; every other file belongs to the pages
/// (a chapter's or table's page, or a file copied as it is).
pub(crate) fn is_site_wide_page(path: &str) -> bool {
    matches!(
        path,
        "index.html"
            | "404.html"
            | "print.html"
            | "practice.html"
            | "phrases/index.html"
            | "phrases.csv"
            | "phrases.json"
            | super::updates::UPDATES_JS
            | super::updates::CHANGES_HTML
    ) || path.starts_with("search/")
        || path.starts_with("exports/")
        || path.starts_with("print/")
}

/// The export files, or the errors of the lines that cannot be exported.
pub(super) type Exports = Result<Vec<OutputFile>, Vec<Diagnostic>>;

/// What the site-wide pages are made of, from every page in reading order: the
/// search documents, the weights of their terms where known, the print sections.
pub(super) struct Gathered {
    docs: Vec<SearchDoc>,
    /// Each document's weights: a page's list and the document's place in it.
    weights: Vec<Option<(Arc<Vec<search::Weights>>, usize)>>,
    sections: Vec<Piece>,
}

impl Gathered {
    /// Gathers the pages' documents and sections; their files join `files`, if
    /// given.
    pub(super) fn from(pages: Vec<PageOutput>, mut files: Option<&mut Vec<OutputFile>>) -> Self {
        let doc_count: usize = pages.iter().map(|p| p.docs.len()).sum();
        let mut gathered = Gathered {
            docs: Vec::with_capacity(doc_count),
            weights: Vec::with_capacity(doc_count),
            sections: Vec::with_capacity(pages.len()),
        };
        for page in pages {
            if let Some(files) = files.as_deref_mut() {
                files.extend(page.file);
            }
            gathered.sections.push(page.print);
            let count = page.docs.len();
            match Arc::try_unwrap(page.docs) {
                Ok(owned) => gathered.docs.extend(owned),
                Err(shared) => gathered.docs.extend(shared.iter().cloned()),
            }
            match page.weights {
                Some(known) => gathered
                    .weights
                    .extend((0..count).map(|i| Some((known.clone(), i)))),
                None => gathered.weights.extend((0..count).map(|_| None)),
            }
        }
        gathered
    }
}

impl PageRenderer<'_> {
    /// The site-wide pages and the search index, made side by side from what the
    /// pages gathered; `give_back`: the index gives memory back on the way (see
    /// `memory`).
    pub(super) fn site_wide_and_search(
        &self,
        sidebars: &NavPaths,
        gathered: Gathered,
        segmenter: Option<&Segmenter>,
        give_back: bool,
        tables_made: Option<Exports>,
        stream: &Stream,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let Gathered {
            docs,
            weights,
            sections,
        } = gathered;
        let known: Vec<Option<&search::Weights>> = weights
            .iter()
            .map(|w| w.as_ref().map(|(list, i)| &list[*i]))
            .collect();
        let (site_wide, index_files) = rayon::join(
            || {
                let made = self.site_wide_pages(sidebars, &sections, tables_made, stream);
                // Closing the scratch file frees its pages (70 MB at 10,000
                // chapters, 10 ms): done by whoever lets go of it last, the writer
                // once print.html is out, while the search index is still made,
                // rather than at the end of the build.
                drop(sections);
                made
            },
            || {
                let _t = crate::trace::span("render: search index");
                search::build_index(docs, &known, segmenter, give_back, stream.file())
            },
        );
        let mut files = site_wide?;
        files.extend(index_files);
        Ok(files)
    }

    /// The site-wide pages and what the tables alone make (unless `tables_made`
    /// has it already: see [`Self::table_files`]), handed to the stream's sink if
    /// it has one. `print.html`'s sections are in memory, or set aside in a scratch
    /// file.
    fn site_wide_pages(
        &self,
        sidebars: &NavPaths,
        print_sections: &[Piece],
        tables_made: Option<Exports>,
        stream: &Stream,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let _t = crate::trace::span("render: site-wide pages");
        type Make<'s> = &'s (dyn Fn() -> Result<Vec<OutputFile>, Diagnostic> + Sync);
        let print = || self.print_pages(print_sections);
        let index = || {
            let _t = crate::trace::span("site-wide: index");
            self.index_page(sidebars).map(|f| vec![f])
        };
        let not_found = || self.not_found_page(sidebars).map(|f| vec![f]);
        let makers: [Make; 3] = [&index, &not_found, &print];
        // What the tables make (the workbook above all) takes as long as the
        // pages: side by side.
        let (made, exports) = rayon::join(
            || makers.par_iter().map(|m| m()).collect::<Vec<_>>(),
            || tables_made.unwrap_or_else(|| self.table_files(sidebars, &|f| f, || {})),
        );
        let mut files = Vec::with_capacity(made.len() + 2 * Format::ALL.len());
        let mut errors = Vec::new();
        for made in made {
            match made {
                Ok(made) => files.extend(made),
                Err(d) => errors.push(d),
            }
        }
        match exports {
            Ok(exports) => files.extend(exports),
            Err(found) => errors.extend(found),
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Big pages, written now rather than held while the search index is made:
        // nothing is swapped in until everything rendered anyway.
        Ok(stream.hand_over_all(files))
    }

    /// What the phrase tables alone make: every export, then the finder's and the
    /// practice page, each step's files handed to `hand_over` as it is done and
    /// `between` called after each (a one-shot build gives back memory there).
    /// A full build makes them before the pages, while little else is in memory:
    /// beside the search index, the finder's making (40 MB at 10,000 chapters)
    /// was the build's peak.
    pub(super) fn table_files(
        &self,
        sidebars: &NavPaths,
        hand_over: &(dyn Fn(Vec<OutputFile>) -> Vec<OutputFile> + Sync),
        between: impl Fn(),
    ) -> Exports {
        let exports = self.export_files().map(hand_over);
        between();
        let finder = || {
            let _t = crate::trace::span("site-wide: finder");
            self.finder_page(sidebars)
        };
        let practice = || {
            let _t = crate::trace::span("site-wide: practice");
            self.practice_page(sidebars)
        };
        let (finder, practice) = rayon::join(finder, practice);
        let (mut files, mut errors) = match exports {
            Ok(files) => (files, Vec::new()),
            Err(found) => (Vec::new(), found),
        };
        let mut pages = Vec::new();
        for made in [finder, practice] {
            match made {
                Ok(file) => pages.push(file),
                Err(d) => errors.push(d),
            }
        }
        files.extend(hand_over(pages));
        between();
        match errors.is_empty() {
            true => Ok(files),
            false => Err(errors),
        }
    }

    /// Every export format under `exports/`, in its default encoding (where
    /// the finder links them); the CSV and JSON of every line also
    /// at the root as `phrases.csv` and `phrases.json`, where the design names them
    /// and sites built before `exports/` existed had them. A line the qianniu
    /// export cannot encode in GBK is an error, as it is for `handbook export`.
    pub(super) fn export_files(&self) -> Exports {
        let _t = crate::trace::span("site-wide: exports");
        let lines = export::lines(self.handbook);
        let language = &self.handbook.config.language;
        let written: Vec<_> = Format::ALL
            .par_iter()
            .map(|&format| (format, format.write(&lines, None, language)))
            .collect();
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for (format, written) in written {
            match written {
                Ok(bytes) => {
                    if matches!(format, Format::Csv | Format::Json) {
                        files.push(OutputFile::bytes(format.file_name(), bytes.clone()));
                    }
                    files.push(OutputFile::bytes(format.site_path(), bytes));
                }
                Err(found) => errors.extend(found),
            }
        }
        match errors.is_empty() {
            true => Ok(files),
            false => Err(errors),
        }
    }

    /// The finder's download list: each export, and how to import it.
    fn downloads(&self) -> Vec<Download> {
        Format::ALL
            .iter()
            .map(|format| Download {
                tool: format.tool(),
                url: format.site_path(),
                how: (self.strings)
                    .get(&format!("import_{}", format.name()))
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// What every site-wide page's context has; `sidebars` holds the scripts'
    /// paths (that of the pages of no part among them).
    pub(super) fn site_wide_context<'b>(
        &self,
        kind: &'static str,
        title: &'b str,
        root: &'b str,
        sidebars: &NavPaths,
    ) -> Result<PageContext<'b>, Diagnostic>
    where
        Self: 'b,
    {
        let key = self.sidebar_key(None);
        let script = match sidebars.get(&key) {
            Some(path) => path.clone(),
            None => self.nav_path(key),
        };
        let frame = self.sidebar_frame(root, &script, "", kind == "index")?;
        Ok(PageContext::new(
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
            frame,
        ))
    }

    pub(super) fn toc(&self, url: impl Fn(PageRef) -> String) -> Vec<TocSection> {
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

    fn index_page(&self, sidebars: &NavPaths) -> Result<OutputFile, Diagnostic> {
        let mut context =
            self.site_wide_context("index", &self.handbook.config.title, "", sidebars)?;
        context.next = self.site.order.first().map(|&p| self.links.link(p, None));
        context.toc = self.toc(|p| self.links.page_url(p));
        context.stats = Some(Stats {
            chapters: self.handbook.chapters.len(),
            tables: self.handbook.tables.len(),
            script_lines: export::lines(self.handbook).len(),
        });
        context.has_changes = self.handbook.history.is_some();
        let html = self.render_template("index.html", &context)?;
        Ok(OutputFile::text("index.html", html))
    }

    fn not_found_page(&self, sidebars: &NavPaths) -> Result<OutputFile, Diagnostic> {
        let context =
            self.site_wide_context("404", &self.strings["not_found_title"], "", sidebars)?;
        let html = self.render_template("404.html", &context)?;
        Ok(OutputFile::text("404.html", html))
    }

    /// `phrases/index.html`: every line to say, by table and situation.
    fn finder_page(&self, sidebars: &NavPaths) -> Result<OutputFile, Diagnostic> {
        let mut context =
            self.site_wide_context("phrases", &self.strings["phrase_finder"], "../", sidebars)?;
        let tables: Vec<&TableView> = self
            .all_table_views()
            .into_iter()
            .filter(|t| t.entries.iter().any(|e| !e.say.is_empty()))
            .collect();
        let tags: BTreeSet<&str> = tables
            .iter()
            .flat_map(|t| t.tags.iter().map(String::as_str))
            .collect();
        context.finder_tags = tags.into_iter().collect();
        // Each table made into template values once and its group of the finder
        // rendered from them, side by side: as one template over `finder` (9 MB at
        // 10,000 chapters), the finder kept one core busy while the other waited.
        // `finder` still holds every table, for a theme's own `finder.html`.
        let made = tables
            .par_iter()
            .map(|&table| {
                let value = tera::Value::from_serializable(table);
                let mut group = tera::Context::new();
                group.insert("root", "../");
                group.insert_value("table", value.clone());
                let html = self.render_context("finder_group.html", &group)?;
                Ok((value, html))
            })
            .collect::<Result<Vec<_>, Diagnostic>>()?;
        let (values, groups): (Vec<tera::Value>, Vec<String>) = made.into_iter().unzip();
        context.finder_groups = groups;
        context.downloads = self.downloads();
        let mut template_context = self.template_context("finder.html", &context)?;
        template_context.insert_value("finder", tera::Value::from(values));
        let html = self.render_context("finder.html", &template_context)?;
        Ok(OutputFile::text("phrases/index.html", html))
    }

    /// `practice.html`: the drill's data from every table; the page's script runs it.
    fn practice_page(&self, sidebars: &NavPaths) -> Result<OutputFile, Diagnostic> {
        let data = super::practice::practice_data(self.handbook, self.links);
        let mut context =
            self.site_wide_context("practice", &self.strings["practice"], "", sidebars)?;
        context.practice_json = to_script_json(&data);
        let html = self.render_template("practice.html", &context)?;
        Ok(OutputFile::text("practice.html", html))
    }
}

#[cfg(test)]
mod tests {
    use super::is_site_wide_page;

    #[test]
    fn the_site_wide_pages_are_those_made_from_all_pages() {
        for path in ["index.html", "404.html", "print.html", "phrases/index.html"] {
            assert!(is_site_wide_page(path), "{path}");
        }
        for path in [
            "practice.html",
            "updates.js",
            "changes.html",
            "phrases.csv",
            "phrases.json",
            "search/p-3.js",
            "exports/qianniu.csv",
            "exports/zendesk.json",
        ] {
            assert!(is_site_wide_page(path), "{path}");
        }
        for path in ["intro.html", "phrases/greetings.html", "static/handbook.js"] {
            assert!(!is_site_wide_page(path), "{path}");
        }
        assert!(!is_site_wide_page("images/logo.svg"));
    }
}
