//! Stage 3: every output file, rendered in memory. Pure: reads the handbook, the
//! resolved site and the theme; writes nothing. Pages render in parallel.

mod chapter_html;
pub(crate) mod context;
mod dialogue_html;
pub(crate) mod export;
mod links;
mod search_docs;
mod sidebar;
mod special;
pub(crate) mod strings;
pub(crate) mod tables;

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Sources};
use crate::model::{Handbook, Heading, PageRef};
use crate::output::spill::Spill;
use crate::output::{Contents, OutputFile, Piece};
use crate::resolve::Site;
use crate::search::{self, segment::Segmenter, SearchDoc};
use crate::theme::{StaticFile, Theme};
use chapter_html::ChapterRenderer;
use context::{PageContext, PageInfo, PhrasesContext, SiteInfo};
pub(crate) use links::Links;
use sidebar::{mark_current, SidebarKey};
use tables::TableView;

/// Renders the site: the files not handed to `sink` on the way. `segmenter` is the one watch mode keeps for its rebuilds; a
/// one-shot build passes none, and the search index makes one fitted to its text.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render(
    handbook: &Handbook,
    site: &Site,
    theme: &mut Theme,
    sources: &Sources,
    segmenter: Option<&Segmenter>,
    cache: &mut RenderCache,
    phase: Phase,
    sink: Option<Sink>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    with_renderer(handbook, site, theme, |renderer| {
        renderer.render_all(sources, segmenter, cache, phase, sink)
    })
}

/// Where a full build sends each file as soon as it is rendered, instead of
/// holding it until all are: the files it takes are not in what [`render`] returns.
pub(crate) struct Sink<'a> {
    pub(crate) file: FileSink<'a>,
    /// A scratch file the caller made, where print sections past the first few
    /// megabytes wait (see [`crate::output::spill`]); `None` keeps all in memory.
    pub(crate) spill: Option<Spill>,
}

/// Takes each file as soon as it is rendered.
pub(crate) type FileSink<'a> = &'a (dyn Fn(OutputFile) + Sync);

/// Renders just these pages, for watch mode after an edit that changed nothing
/// else: their files, with their entries in the cache brought up to date (the
/// outputs made from all pages then come from the cache, as after [`Phase::Pages`]).
pub(crate) fn render_some(
    handbook: &Handbook,
    site: &Site,
    theme: &mut Theme,
    sources: &Sources,
    segmenter: Option<&Segmenter>,
    cache: &mut RenderCache,
    pages: &[PageRef],
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    with_renderer(handbook, site, theme, |renderer| {
        let keys = pages.iter().map(|&p| renderer.sidebar_key(Some(p)));
        let sidebars = renderer
            .sidebars(keys, &mut cache.sidebars, Keep::Add)
            .map_err(|d| vec![d])?;
        let outputs =
            renderer.render_pages(sources, &sidebars, cache, segmenter, Some(pages), None)?;
        Ok(outputs.into_iter().filter_map(|p| p.file).collect())
    })
}

/// Runs `work` with a renderer for this handbook, the templates' globals set.
fn with_renderer<R>(
    handbook: &Handbook,
    site: &Site,
    theme: &mut Theme,
    work: impl FnOnce(&PageRenderer) -> R,
) -> R {
    let t = crate::trace::span("render: links");
    let strings = set_globals(handbook, theme);
    let links = Links::new(handbook, site);
    let renderer = PageRenderer::new(handbook, site, theme, &links, &strings);
    drop(t);
    work(&renderer)
}

/// The UI strings, and the values every template sees.
fn set_globals(handbook: &Handbook, theme: &mut Theme) -> BTreeMap<String, String> {
    let config = &handbook.config;
    let strings = crate::model::strings::ui_strings(&config.language, &config.strings);
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
        globals.insert(
            "client_strings_json",
            &strings::client_json(&strings, strings::CLIENT_STRINGS),
        );
        globals.insert(
            "practice_strings_json",
            &strings::client_json(&strings, strings::PRACTICE_STRINGS),
        );
    }
    strings
}

struct PageRenderer<'a> {
    handbook: &'a Handbook,
    site: &'a Site,
    theme: &'a Theme,
    links: &'a Links<'a>,
    strings: &'a BTreeMap<String, String>,
    /// Each table's view, made when first needed (after an edit, few are).
    table_views: Vec<OnceLock<TableView>>,
}

/// What to do with the cached sidebars: keep only those of this build, add to
/// them, or keep none (a one-shot build).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    Replace,
    Add,
    Nothing,
}

impl<'a> PageRenderer<'a> {
    fn new(
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

    fn table_view(&self, t: usize) -> &TableView {
        self.table_views[t]
            .get_or_init(|| tables::table_view(self.handbook, t, self.links, self.strings))
    }

    /// Every table's view, made in parallel where not made yet.
    fn all_table_views(&self) -> Vec<&TableView> {
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
}

/// A content page, rendered (or known unchanged): its file, its search documents,
/// and its section of `print.html`.
struct PageOutput {
    /// `None` once handed to a [`Sink`].
    file: Option<OutputFile>,
    docs: Arc<Vec<SearchDoc>>,
    /// Each document's search terms, worked out once per page in watch mode.
    weights: Option<Arc<Vec<search::Weights>>>,
    /// Its section of `print.html`: in memory, or set aside on disk while a full
    /// build renders (see [`crate::output::spill`]).
    print: Piece,
}

/// Which outputs to render. Watch mode renders the pages first and the outputs made
/// from all pages together (search index, print version, index page, finder,
/// practice, exports) right after, so an open tab reloads as soon as its page is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Everything,
    Pages,
    SiteWide,
}

/// True for the files made from all pages together (the second step of a watch
/// rebuild); every other file belongs to the pages step.
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
    ) || path.starts_with("search/")
}

/// What rendering keeps between the rebuilds of watch mode. A page whose inputs
/// hash to the same key as last time is not rendered again: its file is reported
/// unchanged, its search documents and print section come from here. A one-shot
/// build starts empty and keeps nothing.
#[derive(Default)]
pub(crate) struct RenderCache {
    keep: bool,
    pages: HashMap<String, CachedPage>,
    tables: HashMap<u64, Arc<[String; 3]>>,
    sidebars: HashMap<u64, String>,
}

impl RenderCache {
    /// A cache that keeps what it renders, for watch mode.
    pub(crate) fn keeping() -> Self {
        RenderCache {
            keep: true,
            ..RenderCache::default()
        }
    }

    /// Whether this cache keeps what it renders (watch mode).
    pub(crate) fn keeps(&self) -> bool {
        self.keep
    }

    /// What the second step needs of the first (every page's search documents and
    /// print section), for a rebuild that runs it on another thread.
    pub(crate) fn pages_snapshot(&self) -> RenderCache {
        RenderCache {
            keep: false,
            pages: self.pages.clone(),
            tables: HashMap::default(),
            sidebars: HashMap::default(),
        }
    }
}

#[derive(Clone)]
struct CachedPage {
    key: u64,
    file_hash: u64,
    docs: Arc<Vec<SearchDoc>>,
    weights: Option<Arc<Vec<search::Weights>>>,
    print: Piece,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

impl PageRenderer<'_> {
    fn render_all(
        &self,
        sources: &Sources,
        segmenter: Option<&Segmenter>,
        cache: &mut RenderCache,
        phase: Phase,
        sink: Option<Sink>,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        // A full build sets the print sections past the first few megabytes aside on
        // disk (if its caller could make a scratch file).
        let (sink, spill) = match sink {
            Some(Sink { file, spill }) => (Some(file), spill.map(Arc::new)),
            None => (None, None),
        };
        let home = self.sidebar_key(None);
        let below = SidebarKey {
            root: "../",
            ..home
        };
        let mut files = Vec::new();
        let mut pages = Vec::new();
        let sidebars = if phase == Phase::SiteWide {
            self.sidebars(
                [home, below].into_iter(),
                &mut HashMap::default(),
                Keep::Nothing,
            )
            .map_err(|d| vec![d])?
        } else {
            let keys = self.site.order.iter().map(|&p| self.sidebar_key(Some(p)));
            let keep = if cache.keep {
                Keep::Replace
            } else {
                Keep::Nothing
            };
            let _t = crate::trace::span("render: sidebars");
            let sidebars = self
                .sidebars(keys.chain([home, below]), &mut cache.sidebars, keep)
                .map_err(|d| vec![d])?;
            drop(_t);
            pages = self.render_pages(
                sources,
                &sidebars,
                cache,
                segmenter,
                None,
                sink.map(|sink| (sink, spill.as_ref())),
            )?;
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
            sidebars
        };
        // The pages' print sections hold the scratch file from here on; the last
        // one dropped closes it (see below).
        drop(spill);
        if phase == Phase::Pages {
            files.extend(pages.into_iter().filter_map(|p| p.file));
            return Ok(files);
        }
        if phase == Phase::SiteWide {
            // Every page's documents and print section, as the page phase left them.
            for &page in &self.site.order {
                let cached = cache.pages.get(self.links.url(page)).ok_or_else(|| {
                    vec![Diagnostic::error(format!(
                        "internal: page {} was not rendered before the search index",
                        self.links.url(page)
                    ))]
                })?;
                pages.push(PageOutput {
                    file: None,
                    docs: cached.docs.clone(),
                    weights: cached.weights.clone(),
                    print: cached.print.clone(),
                });
            }
        }

        let doc_count: usize = pages.iter().map(|p| p.docs.len()).sum();
        let mut docs = Vec::with_capacity(doc_count);
        let mut weights = Vec::with_capacity(doc_count);
        let mut sections = Vec::with_capacity(pages.len());
        for page in pages {
            if phase == Phase::Everything {
                files.extend(page.file);
            }
            sections.push(page.print);
            let count = page.docs.len();
            match Arc::try_unwrap(page.docs) {
                Ok(owned) => docs.extend(owned),
                Err(shared) => docs.extend(shared.iter().cloned()),
            }
            match page.weights {
                Some(known) => weights.extend((0..count).map(|i| Some((known.clone(), i)))),
                None => weights.extend((0..count).map(|_| None)),
            }
        }
        let known: Vec<Option<&search::Weights>> = weights
            .iter()
            .map(|w| w.as_ref().map(|(list, i)| &list[*i]))
            .collect();
        // The pages made from all pages, and the search index, side by side.
        let (special, index_files) = rayon::join(
            || {
                let made = self.made_from_all(&sidebars, &sections, sink);
                // Closing the scratch file frees its pages (70 MB at 10,000
                // chapters, 10 ms): done by whoever lets go of it last, the writer
                // once print.html is out, while the search index is still made,
                // rather than at the end of the build.
                drop(sections);
                made
            },
            || {
                let _t = crate::trace::span("render: search index");
                search::build_index(docs, &known, segmenter, sink)
            },
        );
        files.extend(special?);
        files.extend(index_files);
        Ok(files)
    }

    /// The index, 404, finder, practice and print pages, and the exports.
    /// `print.html`'s sections are in memory, or set aside in a scratch file.
    fn made_from_all(
        &self,
        sidebars: &HashMap<SidebarKey, String>,
        print_sections: &[Piece],
        sink: Option<FileSink>,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let _t = crate::trace::span("render: special pages");
        type Make<'s> = &'s (dyn Fn() -> Result<OutputFile, Diagnostic> + Sync);
        let print = || {
            let _t = crate::trace::span("special: print");
            let frame = self.print_page()?;
            let mut parts: Vec<Piece> = Vec::with_capacity(print_sections.len());
            for section in print_sections {
                match (parts.last_mut(), section) {
                    // Sections set aside one after another are copied as one.
                    (Some(Piece::SetAside(_, last)), Piece::SetAside(_, at))
                        if last.end == at.start =>
                    {
                        last.end = at.end
                    }
                    _ => parts.push(section.clone()),
                }
            }
            Ok(frame.finish(parts))
        };
        let index = || {
            let _t = crate::trace::span("special: index");
            self.index_page(sidebars)
        };
        let not_found = || self.not_found_page(sidebars);
        let finder = || {
            let _t = crate::trace::span("special: finder");
            self.finder_page(sidebars)
        };
        let practice = || {
            let _t = crate::trace::span("special: practice");
            self.practice_page(sidebars)
        };
        let makers: [Make; 5] = [&index, &not_found, &finder, &practice, &print];
        let made: Vec<Result<OutputFile, Diagnostic>> = makers.par_iter().map(|m| m()).collect();
        let mut files = Vec::with_capacity(made.len() + 2);
        let mut errors = Vec::new();
        for file in made {
            match file {
                Ok(file) => files.push(file),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let rows = export::script_lines(self.handbook);
        files.push(OutputFile::text("phrases.csv", export::to_csv(&rows)));
        files.push(OutputFile::text("phrases.json", export::to_json(&rows)));
        // Big pages, written now rather than held while the search index is made:
        // nothing is swapped in until everything rendered anyway.
        if let Some(sink) = sink {
            files.into_iter().for_each(sink);
            return Ok(Vec::new());
        }
        Ok(files)
    }

    /// Every chapter and table page in reading order (or only the pages `only`
    /// names); with a cache, only those whose inputs changed are rendered.
    fn render_pages(
        &self,
        sources: &Sources,
        sidebars: &HashMap<SidebarKey, String>,
        cache: &mut RenderCache,
        segmenter: Option<&Segmenter>,
        only: Option<&[PageRef]>,
        streaming: Option<(FileSink, Option<&Arc<Spill>>)>,
    ) -> Result<Vec<PageOutput>, Vec<Diagnostic>> {
        let (sink, spill) = match streaming {
            Some((sink, spill)) => (Some(sink), spill),
            None => (None, None),
        };
        let t = crate::trace::span("render: table html");
        let generation = hash_of((self.theme.fingerprint, self.handbook.config.fingerprint));
        let targets = only.unwrap_or(&self.site.order);
        // The tables these pages show: all of them, unless only some pages render.
        let needed: Vec<usize> = match only {
            None => (0..self.handbook.tables.len()).collect(),
            Some(pages) => {
                let mut needed = BTreeSet::new();
                for &page in pages {
                    match page {
                        PageRef::Table(t) => {
                            needed.insert(t);
                        }
                        PageRef::Chapter(c) => {
                            for embed in &self.handbook.chapters[c].embeds {
                                if let Some(&PageRef::Table(t)) =
                                    self.site.ids.get(&embed.table.value)
                                {
                                    needed.insert(t);
                                }
                            }
                        }
                    }
                }
                needed.into_iter().collect()
            }
        };
        // The HTML of each whole table, as on its page, as embedded and as printed:
        // made once, and kept while the table's view stays the same.
        let made: Vec<(usize, u64, Arc<[String; 3]>)> = needed
            .par_iter()
            .with_max_len(1)
            .map(|&t| {
                let view = self.table_view(t);
                let hash = hash_of((generation, view));
                if let Some(known) = cache.tables.get(&hash) {
                    return Ok((t, hash, known.clone()));
                }
                let print_prefix = format!("{}--", chapter_html::print_anchor(&view.id, ""));
                let (page, embedded) = self.phrases_html_twice(view)?;
                let html = Arc::new([
                    page,
                    embedded,
                    self.phrases_html(&tables::for_print(view), false, &print_prefix)?,
                ]);
                Ok((t, hash, html))
            })
            .collect::<Result<_, Diagnostic>>()
            .map_err(|d| vec![d])?;
        let mut view_hashes = vec![0; self.handbook.tables.len()];
        let mut table_html: Vec<Option<Arc<[String; 3]>>> = vec![None; view_hashes.len()];
        for (t, hash, html) in &made {
            view_hashes[*t] = *hash;
            table_html[*t] = Some(html.clone());
        }
        if cache.keep {
            let made = made.into_iter().map(|(_, hash, html)| (hash, html));
            match only {
                None => cache.tables = made.collect(),
                Some(_) => cache.tables.extend(made),
            }
        }
        let table_html = |t: usize| -> &Arc<[String; 3]> {
            table_html[t]
                .as_ref()
                .expect("the HTML of every table these pages show was made above")
        };

        let embed = |table_id: &str, entries: &[String]| -> Result<String, Diagnostic> {
            let Some(PageRef::Table(t)) = self.site.ids.get(table_id).copied() else {
                return Ok(String::new());
            };
            if entries.is_empty() {
                return Ok(table_html(t)[1].clone());
            }
            let mut view = self.table_view(t).clone();
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

        drop(t);
        let t = crate::trace::span("render: pages");
        let keep = cache.keep;
        let cached = &cache.pages;
        let outputs: Vec<Result<(u64, PageOutput), Diagnostic>> = targets
            .par_iter()
            // One job per item: rayon splits a range only while the other thread steals,
            // and the run it left unsplit ended phases with one thread working alone.
            .with_max_len(1)
            .map(|&page| {
                let url = self.links.url(page);
                let sidebar = &sidebars[&self.sidebar_key(Some(page))];
                // A one-shot build has nothing to compare keys with.
                let key = if keep {
                    self.page_key(page, generation, sources, sidebar, &view_hashes)
                } else {
                    0
                };
                if let Some(known) = cached.get(url).filter(|c| c.key == key) {
                    let file = OutputFile {
                        path: url.to_string(),
                        contents: Contents::Unchanged(known.file_hash),
                    };
                    let output = PageOutput {
                        file: Some(file),
                        docs: known.docs.clone(),
                        weights: known.weights.clone(),
                        print: known.print.clone(),
                    };
                    return Ok((key, output));
                }
                let mut output = match page {
                    PageRef::Chapter(i) => {
                        let chapter = &self.handbook.chapters[i];
                        let text = &sources.get(chapter.file).text;
                        let rendered = chapters.render(i, chapter, text)?;
                        let html =
                            self.render_page(page, &rendered.html, "chapter.html", sidebars)?;
                        PageOutput {
                            file: Some(OutputFile::bytes(url, html)),
                            docs: Arc::new(search_docs::chapter_docs(
                                self.links,
                                i,
                                rendered.sections,
                            )),
                            weights: None,
                            print: Piece::Text(Arc::new(
                                self.print_section(page, &rendered.print_html),
                            )),
                        }
                    }
                    PageRef::Table(i) => {
                        let html =
                            self.render_page(page, &table_html(i)[0], "table.html", sidebars)?;
                        PageOutput {
                            file: Some(OutputFile::bytes(url, html)),
                            docs: Arc::new(search_docs::table_docs(self.links, i)),
                            weights: None,
                            print: Piece::Text(Arc::new(
                                self.print_section(page, &table_html(i)[2]),
                            )),
                        }
                    }
                };
                if let Some(sink) = sink {
                    sink(output.file.take().expect("a page just rendered"));
                }
                if let (Some(spill), Piece::Text(text)) = (spill, &output.print) {
                    if let Some(at) = spill.put(text) {
                        output.print = Piece::SetAside(spill.clone(), at);
                    }
                }
                if let Some(segmenter) = segmenter.filter(|_| keep) {
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
            })
            .collect();

        drop(t);
        let _t = crate::trace::span("render: keep pages");
        let mut pages = Vec::with_capacity(outputs.len());
        let mut errors = Vec::new();
        let mut kept = HashMap::with_capacity_and_hasher(
            if cache.keep { outputs.len() } else { 0 },
            Default::default(),
        );
        for output in outputs {
            match output {
                Ok((key, page)) => {
                    // Watch mode keeps every page's file (it has no sink).
                    if let Some(file) = page.file.as_ref().filter(|_| cache.keep) {
                        let file_hash = crate::output::content_hash(&file.contents).unwrap_or(0);
                        kept.insert(
                            file.path.clone(),
                            CachedPage {
                                key,
                                file_hash,
                                docs: page.docs.clone(),
                                weights: page.weights.clone(),
                                print: page.print.clone(),
                            },
                        );
                    }
                    pages.push(page);
                }
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if cache.keep {
            match only {
                None => cache.pages = kept,
                Some(_) => cache.pages.extend(kept),
            }
        }
        Ok(pages)
    }

    /// Everything a page's file, search documents and print section are made from,
    /// hashed: the same key means the same output.
    fn page_key(
        &self,
        page: PageRef,
        generation: u64,
        sources: &Sources,
        sidebar: &str,
        view_hashes: &[u64],
    ) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        generation.hash(&mut hasher);
        self.links.url(page).hash(&mut hasher);
        sidebar.hash(&mut hasher);
        let (index, _) = self.site.position[&page];
        for neighbour in [index.checked_sub(1), Some(index + 1)] {
            if let Some(&p) = neighbour.and_then(|i| self.site.order.get(i)) {
                (self.links.url(p), self.links.page_title(p)).hash(&mut hasher);
            }
        }
        for &from in self.site.backlinks.get(&page).into_iter().flatten() {
            (self.links.url(from), self.links.page_title(from)).hash(&mut hasher);
        }
        match page {
            PageRef::Chapter(i) => {
                let chapter = &self.handbook.chapters[i];
                sources.get(chapter.file).text.hash(&mut hasher);
                // Where its links lead: a target renamed by its `id:` moves the URL.
                for link in &chapter.links {
                    if let Ok(crate::resolve::Resolved::Page(target, _)) =
                        self.site.resolve(&link.target, page)
                    {
                        self.links.url(target).hash(&mut hasher);
                    }
                }
                for embed in &chapter.embeds {
                    if let Some(PageRef::Table(t)) = self.site.ids.get(&embed.table.value) {
                        view_hashes[*t].hash(&mut hasher);
                    }
                }
            }
            PageRef::Table(i) => view_hashes[i].hash(&mut hasher),
        }
        hasher.finish()
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

    /// A table's HTML as on its page and as embedded in a chapter, from one
    /// context: the table is made into template values once for both.
    fn phrases_html_twice(&self, table: &TableView) -> Result<(String, String), Diagnostic> {
        let template = "phrases.html";
        let context = PhrasesContext {
            root: "",
            table,
            embed: false,
            anchor_prefix: "",
        };
        let mut context = self.template_context(template, &context)?;
        let page = self.render_context(template, &context)?;
        context.insert("embed", &true);
        Ok((page, self.render_context(template, &context)?))
    }

    fn render_template<T: serde::Serialize>(
        &self,
        template: &str,
        context: &T,
    ) -> Result<String, Diagnostic> {
        self.render_context(template, &self.template_context(template, context)?)
    }

    /// A typed context made into template values.
    fn template_context<T: serde::Serialize>(
        &self,
        template: &str,
        context: &T,
    ) -> Result<tera::Context, Diagnostic> {
        tera::Context::from_serialize(context).map_err(|e| self.theme.template_error(&e, template))
    }

    fn render_context(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<String, Diagnostic> {
        Ok(utf8_string(self.render_bytes(template, context, 0)?))
    }

    /// A whole page's bytes: written as they come, with no second pass to check
    /// they are UTF-8 (they are: every piece is a `str`).
    fn render_template_bytes<T: serde::Serialize>(
        &self,
        template: &str,
        context: &T,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        self.render_bytes(
            template,
            &self.template_context(template, context)?,
            size_hint,
        )
    }

    /// What `template` writes with `context`, into a buffer of `size_hint` bytes.
    fn render_bytes(
        &self,
        template: &str,
        context: &tera::Context,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut bytes = Vec::with_capacity(size_hint);
        self.theme
            .tera
            .render_to(template, context, &mut bytes)
            .map_err(|e| self.theme.template_error(&e, template))?;
        Ok(bytes)
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
        let size_hint = content.len() + context.sidebar_html.len() + 16 * 1024;
        self.render_template_bytes(template, &context, size_hint)
    }
}

/// What a template wrote, as a string. The bytes are checked a block at a time:
/// `String::from_utf8` checks a byte at a time, slow on Chinese text (1% of a
/// build, for the tables and pages rendered to strings).
fn utf8_string(bytes: Vec<u8>) -> String {
    match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: the bytes were checked to be UTF-8 just above.
        Ok(_) => unsafe { String::from_utf8_unchecked(bytes) },
        // Templates write `str` pieces only; kept whole should that ever change.
        Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
    }
}
