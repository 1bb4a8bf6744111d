//! Stage 3: every output file, rendered in memory and in parallel, from the
//! handbook, the resolved site and the theme. Render creates and opens no file: a
//! full build hands in a [`Sink`] that takes each file as it is rendered, and a
//! scratch file it made, which print sections past the first megabytes are put
//! in (see [`stream`]).
//!
//! - [`pages`]: the chapter and table pages; [`table_html`] the tables' HTML.
//! - [`site_wide`]: the pages made from all pages (index, finder, practice, print,
//!   exports, search index); [`print`] the print version.
//! - [`cache`]: what watch mode keeps between rebuilds, and the pages' keys.
//! - [`templates`]: the templates' globals and helpers.

mod cache;
mod chapter_html;
mod context;
mod dialogue_html;
mod links;
mod pages;
mod practice;
mod print;
mod print_volumes;
mod raw_fragments;
mod search_docs;
mod sidebar;
mod site_wide;
mod stream;
mod strings;
mod table_html;
mod tables;
mod templates;
mod updates;

use crate::diag::{Diagnostic, Sources};
use crate::model::{Handbook, PageRef};
use crate::output::{Contents, OutputFile};
use crate::resolve::Site;
use crate::search::segment::Segmenter;
use crate::theme::{StaticFile, Theme};
pub(crate) use cache::RenderCache;
use pages::PageRenderer;
pub(crate) use sidebar::is_nav_script;
use sidebar::{Keep, NavPaths};
pub(crate) use site_wide::is_site_wide_page;
use site_wide::Gathered;
pub(crate) use stream::Sink;
use stream::Stream;
use templates::with_renderer;

/// Which outputs to render. Watch mode renders the pages first and the site-wide
/// pages (search index, print version, index page, finder, practice, exports)
/// right after, so an open tab reloads as soon as its page is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Everything,
    Pages,
    SiteWide,
}

/// Renders the site: the files not handed to `sink` on the way. `segmenter` is the
/// one watch mode keeps for its rebuilds; a one-shot build passes none, and the
/// search index makes one fitted to its text.
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
        renderer.render_all(sources, segmenter, cache, phase, Stream::new(sink))
    })
}

/// Renders just these pages, for watch mode after an edit that changed nothing
/// else: their files, with their entries in the cache brought up to date (the
/// site-wide pages then come from the cache, as after [`Phase::Pages`]).
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
        // An edit of text alone changes no sidebar: its scripts stay as written.
        let keys = pages.iter().map(|&p| renderer.sidebar_key(Some(p)));
        let sidebars = renderer.nav_paths(keys);
        let stream = Stream::none();
        let outputs =
            renderer.render_pages(sources, &sidebars, cache, segmenter, Some(pages), &stream)?;
        Ok(outputs.into_iter().filter_map(|p| p.file).collect())
    })
}

impl PageRenderer<'_> {
    fn render_all(
        &self,
        sources: &Sources,
        segmenter: Option<&Segmenter>,
        cache: &mut RenderCache,
        phase: Phase,
        mut stream: Stream,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let (sidebars, nav_scripts) = self.phase_sidebars(phase, cache).map_err(|d| vec![d])?;
        let mut files = nav_scripts;
        let mut pages = Vec::new();
        let mut tables_made = None;
        // A large one-shot build (no segmenter kept) gives back what each step freed
        // before the next one (see `memory`).
        let give_back =
            segmenter.is_none() && crate::memory::worth_giving_back(self.site.order.len());
        let between = || {
            if give_back {
                crate::memory::give_back_freed();
            }
        };
        if phase != Phase::SiteWide {
            // The exports, the finder and the practice page need nothing the pages
            // make: made first, and handed on at once, while little else is in
            // memory, rather than beside the search index, whose postings are the
            // build's peak of memory (the workbook alone holds 100 MB at 10,000
            // chapters while it is made). Each keeps both cores busy.
            tables_made = (phase == Phase::Everything)
                .then(|| self.table_files(&sidebars, &|f| stream.hand_over_all(f), between));
            pages = self.render_pages(sources, &sidebars, cache, segmenter, None, &stream)?;
            between();
            files.extend(self.copied_files());
        }
        // The pages' print sections hold the scratch file from here on; the last
        // one dropped closes it (see `site_wide_and_search`).
        stream.let_go_of_spill();
        match phase {
            Phase::Pages => {
                files.extend(pages.into_iter().filter_map(|p| p.file));
                return Ok(files);
            }
            // Every page's documents and print section, as the pages phase left them.
            Phase::SiteWide => {
                pages = cache.pages_at(self.site.order.iter().map(|&p| self.links.url(p)))?
            }
            Phase::Everything => {}
        }
        let page_files = (phase == Phase::Everything).then_some(&mut files);
        let gathered = Gathered::from(pages, page_files);
        files.extend(self.site_wide_and_search(
            &sidebars,
            gathered,
            segmenter,
            give_back,
            tables_made,
            &stream,
        )?);
        files.push(self.updates_file(sources));
        if let Some(changes) = self.changes_page(&sidebars) {
            files.push(changes.map_err(|d| vec![d])?);
        }
        Ok(files)
    }

    /// The sidebars a phase needs, the paths of their scripts by key, and the
    /// scripts: every page's and the site-wide pages' (kept in watch mode), or for
    /// the site-wide phase the path of the site-wide pages' alone (the pages phase
    /// wrote the scripts).
    fn phase_sidebars(
        &self,
        phase: Phase,
        cache: &mut RenderCache,
    ) -> Result<(NavPaths, Vec<OutputFile>), Diagnostic> {
        let home = self.sidebar_key(None);
        if phase == Phase::SiteWide {
            return Ok((self.nav_paths([home].into_iter()), Vec::new()));
        }
        let keys = self.site.order.iter().map(|&p| self.sidebar_key(Some(p)));
        let keep = if cache.keeps() {
            Keep::Replace
        } else {
            Keep::Nothing
        };
        let _t = crate::trace::span("render: sidebars");
        self.sidebars(keys.chain([home]), &mut cache.sidebars, keep)
    }

    /// The theme's static files and the content's assets, copied as they are.
    fn copied_files(&self) -> impl Iterator<Item = OutputFile> + '_ {
        let statics = self.theme.statics.iter().map(|(path, file)| OutputFile {
            path: format!("static/{path}"),
            contents: match file {
                StaticFile::Builtin(bytes) => Contents::Static(bytes),
                StaticFile::File(path) => Contents::Copy(path.clone()),
            },
        });
        let assets = self.handbook.assets.iter().map(|asset| OutputFile {
            path: asset.rel_path.clone(),
            contents: Contents::Copy(asset.source.clone()),
        });
        statics.chain(assets)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::diag::Diagnostics;
    use crate::load::LoadOptions;
    use crate::pipeline::{self, Checked};

    /// A copy of the `good` fixture, to edit.
    fn good_handbook() -> tempfile::TempDir {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        dir
    }

    fn checked(root: &Path) -> Checked {
        let checked = pipeline::check(root, &LoadOptions::default()).unwrap();
        assert!(!checked.diagnostics.has_errors());
        checked
    }

    /// One phase rendered with the built-in theme: each file's path, and whether it
    /// was rendered (not reported unchanged).
    fn render_phase(
        checked: &mut Checked,
        cache: &mut RenderCache,
        phase: Phase,
    ) -> BTreeMap<String, bool> {
        let mut found = Diagnostics::new();
        let sources = &mut checked.sources;
        let theme = crate::theme::load_theme_cached(
            Path::new(""),
            None,
            None,
            sources,
            &mut found,
            &mut None,
        );
        let mut theme = theme.expect("the built-in theme");
        let (handbook, site) = (&checked.handbook, &checked.site);
        let files = render(
            handbook, site, &mut theme, sources, None, cache, phase, None,
        )
        .unwrap();
        let rendered = |f: &OutputFile| !matches!(f.contents, Contents::Unchanged(_));
        files
            .iter()
            .map(|f| (f.path.clone(), rendered(f)))
            .collect()
    }

    fn rendered(files: &BTreeMap<String, bool>) -> Vec<&str> {
        let pages = files.iter().filter(|(path, _)| path.ends_with(".html"));
        pages.filter(|(_, &r)| r).map(|(p, _)| p.as_str()).collect()
    }

    #[test]
    fn an_unchanged_page_is_not_rendered_again_and_an_edited_one_is() {
        let dir = good_handbook();
        let mut cache = RenderCache::keeping();
        let mut first = checked(dir.path());
        let files = render_phase(&mut first, &mut cache, Phase::Pages);
        let pages = rendered(&files);
        assert!(pages.len() >= 4, "{pages:?}");

        assert_eq!(
            rendered(&render_phase(&mut first, &mut cache, Phase::Pages)),
            Vec::<&str>::new()
        );

        let chapter = dir.path().join("content/02-aftersales/01-complaints.md");
        let text = std::fs::read_to_string(&chapter).unwrap();
        std::fs::write(&chapter, format!("{text}\n新的一段。\n")).unwrap();
        let mut edited = checked(dir.path());
        let again = render_phase(&mut edited, &mut cache, Phase::Pages);
        assert_eq!(rendered(&again).len(), 1, "{again:?}");
        assert!(rendered(&again)[0].contains("complaints"), "{again:?}");
    }

    #[test]
    fn the_phases_split_the_files_by_whether_they_are_site_wide() {
        let dir = good_handbook();
        let mut checked = checked(dir.path());
        let mut cache = RenderCache::keeping();
        let pages = render_phase(&mut checked, &mut cache, Phase::Pages);
        assert!(
            pages.keys().all(|path| !is_site_wide_page(path)),
            "{pages:?}"
        );
        let mut snapshot = cache.pages_snapshot();
        let site_wide = render_phase(&mut checked, &mut snapshot, Phase::SiteWide);
        assert!(
            site_wide.keys().all(|path| is_site_wide_page(path)),
            "{site_wide:?}"
        );
        for path in [
            "index.html",
            "404.html",
            "print.html",
            "practice.html",
            "phrases/index.html",
        ] {
            assert!(site_wide.contains_key(path), "{path} is missing");
        }
        assert!(site_wide.contains_key("search/index.js"));

        let mut one_shot = RenderCache::default();
        let everything = render_phase(&mut checked, &mut one_shot, Phase::Everything);
        let both: Vec<&String> = pages.keys().chain(site_wide.keys()).collect();
        assert_eq!(everything.len(), both.len());
        assert!(both.iter().all(|path| everything.contains_key(*path)));
    }
}
