//! The pipeline: load -> resolve -> render -> write, as plain function calls.
//! `build`, `check` and `export` all go through here; watch and serve call it too.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::{tr, Diagnostic, Diagnostics, Lang, Sources, Text};
use crate::load::LoadCache;
use crate::load::{self, LoadError, LoadOptions};
use crate::model::Handbook;
use crate::output::spill::{self, Spill};
use crate::output::{self, OutputFile};
use crate::render;
use crate::render::{Phase, RenderCache};
use crate::resolve::{self, Site};
use crate::search::segment::Segmenter;
use crate::theme;

/// A problem that is not about content: exit code 2.
#[derive(Debug)]
pub(crate) enum Fatal {
    Load(LoadError),
    Output(PathBuf, std::io::Error),
    Usage(Text),
}

impl Fatal {
    /// What stopped the run, in `lang`.
    pub(crate) fn message(&self, lang: Lang) -> String {
        match self {
            Fatal::Load(e) => e.message(lang),
            Fatal::Output(path, e) => match lang {
                Lang::En => format!("cannot write {}: {e}", path.display()),
                Lang::Zh => format!("无法写入 {}：{e}", path.display()),
            },
            Fatal::Usage(message) => message.get(lang).to_string(),
        }
    }
}

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// A checked handbook and everything said about it.
#[derive(Default, Clone)]
pub(crate) struct Checked {
    pub(crate) handbook: Handbook,
    pub(crate) site: Site,
    pub(crate) sources: Sources,
    /// Everything found, from all stages, sorted.
    pub(crate) diagnostics: Diagnostics,
    /// The same, by the stage that found it: what watch mode needs to redo only the
    /// stages an edit touches.
    pub(crate) stages: StageDiagnostics,
    pub(crate) timings: Timings,
}

#[derive(Default, Clone)]
pub(crate) struct StageDiagnostics {
    /// Found reading each file on its own.
    pub(crate) load: Vec<Diagnostic>,
    /// Duplicate ids and `nav`.
    pub(crate) structure: Vec<Diagnostic>,
    /// Links, anchors, embeds.
    pub(crate) links: Vec<Diagnostic>,
}

impl Checked {
    /// The language to print in: `--lang`, `HANDBOOK_LANG`, else the handbook's.
    pub(crate) fn lang(&self) -> Lang {
        Lang::chosen(Some(&self.handbook.config.language))
    }

    /// `diagnostics` made again from the stages (after one of them was redone).
    pub(crate) fn gather_diagnostics(&mut self) {
        let mut all = Diagnostics::new();
        all.extend(self.stages.load.iter().cloned());
        all.extend(self.stages.structure.iter().cloned());
        all.extend(self.stages.links.iter().cloned());
        all.sort(&self.sources);
        self.diagnostics = all;
    }
}

/// How long each stage took (`build --timings`).
#[derive(Debug, Default, Clone)]
pub(crate) struct Timings {
    pub(crate) load: Duration,
    pub(crate) resolve: Duration,
    /// Rendering, pages written meanwhile on another thread.
    pub(crate) render: Duration,
    /// Writing what was still to write once rendering was done, and the swap.
    pub(crate) write: Duration,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "load {:.3}s, resolve {:.3}s, render {:.3}s, write {:.3}s",
            self.load.as_secs_f64(),
            self.resolve.as_secs_f64(),
            self.render.as_secs_f64(),
            self.write.as_secs_f64()
        )
    }
}

/// Told what the build is doing, for a progress line on a terminal.
pub(crate) type Progress<'a> = &'a (dyn Fn(&Text) + Sync);

/// A [`Progress`] that says nothing.
pub(crate) fn quiet(_: &Text) {}

/// What a build keeps for the next one. A one-shot build uses an empty set that
/// keeps nothing; watch mode keeps one for its whole run.
#[derive(Default)]
pub(crate) struct Caches {
    pub(crate) load: LoadCache,
    pub(crate) render: RenderCache,
    segmenter: Option<Arc<Segmenter>>,
    /// The theme of the last render: its templates compiled, kept while they read
    /// the same.
    pub(crate) theme: Option<theme::Theme>,
}

impl Caches {
    /// Caches that keep rendered pages between rebuilds (watch mode).
    pub(crate) fn keeping() -> Self {
        Caches {
            render: RenderCache::keeping(),
            ..Caches::default()
        }
    }

    /// The Chinese segmenter for the search index, its dictionary loaded once.
    pub(crate) fn segmenter(&mut self) -> Arc<Segmenter> {
        self.segmenter
            .get_or_insert_with(|| Arc::new(Segmenter::new()))
            .clone()
    }

    /// What the site-wide pages need, to make them on another thread.
    pub(crate) fn for_site_wide(&mut self) -> Caches {
        let segmenter = self.segmenter();
        Caches {
            load: LoadCache::default(),
            render: self.render.pages_snapshot(),
            segmenter: Some(segmenter),
            theme: self.theme.clone(),
        }
    }
}

/// Loads and resolves: everything `check` reports, without rendering.
pub(crate) fn check(root: &Path, options: &LoadOptions) -> Result<Checked, Fatal> {
    check_with(root, options, &quiet, &mut LoadCache::default())
}

pub(crate) fn check_with(
    root: &Path,
    options: &LoadOptions,
    progress: Progress,
    cache: &mut LoadCache,
) -> Result<Checked, Fatal> {
    progress(&tr!("loading content/", "正在读取 content/"));
    let mut sources = Sources::new();
    let mut found = Diagnostics::new();
    let mut timings = Timings::default();
    let started = Instant::now();
    let handbook =
        load::load_cached(root, options, &mut sources, &mut found, cache).map_err(Fatal::Load)?;
    let mut stages = StageDiagnostics {
        load: found.into_iter().collect(),
        ..StageDiagnostics::default()
    };
    timings.load = started.elapsed();
    progress(&tr!(
        "checking {} chapters and {} tables",
        "正在检查 {} 个章节和 {} 张话术表",
        handbook.chapters.len(),
        handbook.tables.len()
    ));
    let started = Instant::now();
    let t = crate::trace::span("resolve");
    let mut found = Diagnostics::new();
    let mut site = resolve::structure(&handbook, &mut found);
    stages.structure = found.into_iter().collect();
    let mut found = Diagnostics::new();
    resolve::check_links(&handbook, &mut site, &mut found);
    stages.links = found.into_iter().collect();
    drop(t);
    let mut checked = Checked {
        handbook,
        site,
        sources,
        diagnostics: Diagnostics::new(),
        stages,
        timings,
    };
    checked.gather_diagnostics();
    checked.timings.resolve = started.elapsed();
    Ok(checked)
}

/// Checks, then renders everything in memory unless content errors were found, so
/// that the templates' errors are found too; the files rendered are dropped.
pub(crate) fn check_by_rendering(
    root: &Path,
    options: &LoadOptions,
    progress: Progress,
) -> Result<Checked, Fatal> {
    let (mut checked, mut caches) = check_for_render(root, options, progress)?;
    render_checked_into(
        root,
        &mut checked,
        &mut caches,
        Phase::Everything,
        progress,
        None,
    );
    Ok(checked)
}

/// Checks, for a one-shot render, with the built-in theme's templates compiled
/// meanwhile (while the content folder is walked, a core is free for it): the
/// render uses them if the handbook names no theme of its own.
fn check_for_render(
    root: &Path,
    options: &LoadOptions,
    progress: Progress,
) -> Result<(Checked, Caches), Fatal> {
    let mut caches = Caches::default();
    let default_theme = std::thread::spawn(|| {
        let _t = crate::trace::span("render: built-in theme");
        let mut compiled = None;
        theme::load_theme_cached(
            Path::new(""),
            None,
            None,
            &mut Sources::new(),
            &mut Diagnostics::new(),
            &mut compiled,
        );
        // The search index's fold table, made here off the critical path.
        crate::search::fold::table();
        compiled
    });
    let checked = check_with(root, options, progress, &mut caches.load)?;
    caches.theme = default_theme.join().ok().flatten();
    Ok((checked, caches))
}

/// Renders a checked handbook (one phase of it, in watch mode), unless it has
/// errors; problems found while rendering join its diagnostics.
pub(crate) fn render_checked(
    root: &Path,
    checked: &mut Checked,
    caches: &mut Caches,
    phase: Phase,
    progress: Progress,
) -> Option<Vec<OutputFile>> {
    render_checked_into(root, checked, caches, phase, progress, None)
}

/// [`render_checked`], with pages handed to `sink` as they are rendered.
fn render_checked_into(
    root: &Path,
    checked: &mut Checked,
    caches: &mut Caches,
    phase: Phase,
    progress: Progress,
    sink: Option<render::Sink>,
) -> Option<Vec<OutputFile>> {
    if checked.diagnostics.has_errors() {
        return None;
    }
    progress(&tr!(
        "rendering {} pages",
        "正在生成 {} 个页面",
        checked.site.order.len() + 2
    ));
    let started = Instant::now();
    let rendered = render_with(
        root,
        &checked.handbook,
        &checked.site,
        &mut checked.sources,
        caches,
        phase,
        sink,
    );
    let result = match rendered {
        Ok(files) => Some(files),
        Err(errors) => {
            checked.diagnostics.extend(errors);
            None
        }
    };
    checked.diagnostics.sort(&checked.sources);
    checked.timings.render += started.elapsed();
    result
}

/// Renders (one phase of) a handbook checked without errors, with the theme it
/// names; `Err` holds the problems found on the way (the theme's templates are
/// added to `sources`, so those can be shown).
pub(crate) fn render_with(
    root: &Path,
    handbook: &Handbook,
    site: &Site,
    sources: &mut Sources,
    caches: &mut Caches,
    phase: Phase,
    sink: Option<render::Sink>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    // Watch mode keeps a segmenter with the whole dictionary for its rebuilds (and
    // hands it to the thread that makes the site-wide pages); a one-shot build has none and
    // leaves the search index to make one for its text.
    let segmenter = match caches.render.keeps() {
        true => Some(caches.segmenter()),
        false => caches.segmenter.clone(),
    };
    let mut found = Diagnostics::new();
    let t = crate::trace::span("render: theme");
    let theme = theme::load_theme_cached(
        root,
        handbook.config.theme.as_deref(),
        handbook.config.file,
        sources,
        &mut found,
        &mut caches.theme,
    );
    drop(t);
    match theme {
        Some(mut theme) if found.is_empty() => render::render(
            handbook,
            site,
            &mut theme,
            sources,
            segmenter.as_deref(),
            &mut caches.render,
            phase,
            sink,
        ),
        _ => Err(found.into_iter().collect()),
    }
}

/// What a build did: the checked handbook, and what it wrote unless it failed.
pub(crate) struct Built {
    pub(crate) checked: Checked,
    pub(crate) written: Option<WrittenCount>,
}

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WrittenCount {
    pub(crate) files: usize,
    pub(crate) pages: usize,
}

/// A full build into `out`. Pages are written into a staging folder as they are
/// rendered; the folder replaces `out` only once everything rendered, so a failed
/// build leaves `out` as it was.
pub(crate) fn build(
    root: &Path,
    out: &Path,
    options: &LoadOptions,
    progress: Progress,
) -> Result<Built, Fatal> {
    if let Some(problem) = output::unsafe_output(root, out) {
        return Err(Fatal::Usage(Text::new(
            format!(
                "refusing to build into {}: {}; the output folder is replaced on every build",
                out.display(),
                problem.get(Lang::En)
            ),
            format!(
                "不能构建到 {}：{}；每次构建都会整个替换输出文件夹",
                out.display(),
                problem.get(Lang::Zh)
            ),
        )));
    }
    let failed = |e| Fatal::Output(out.to_path_buf(), e);
    let (mut checked, mut caches) = check_for_render(root, options, progress)?;
    if checked.diagnostics.has_errors() {
        return Ok(Built {
            checked,
            written: None,
        });
    }
    // A one-shot build never loads again: what the load kept for a next one (the
    // files by path, the forbidden phrases' automaton, 11 MB at 10,000 chapters)
    // goes now rather than stay through the search index, the build's peak.
    drop(std::mem::take(&mut caches.load));
    let writer = output::SiteWriter::start(out).map_err(failed)?;
    let files = AtomicUsize::new(0);
    let pages = AtomicUsize::new(0);
    let send = |file: OutputFile| {
        files.fetch_add(1, Ordering::Relaxed);
        if file.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        writer.send(file);
    };
    // Print sections past the first few megabytes wait in a scratch file beside
    // the output folder, if one can be made there.
    let spill = Spill::create(output::folder_of(out), spill::HELD_IN_MEMORY).ok();
    let sink = render::Sink { file: &send, spill };
    let unsent = render_checked_into(
        root,
        &mut checked,
        &mut caches,
        Phase::Everything,
        progress,
        Some(sink),
    );
    let Some(unsent) = unsent else {
        writer.abandon();
        return Ok(Built {
            checked,
            written: None,
        });
    };
    progress(&tr!("writing to {}", "正在写入 {}", out.display()));
    let started = Instant::now();
    unsent.into_iter().for_each(&send);
    let _t = crate::trace::span("write: finish");
    writer.finish().map_err(failed)?;
    checked.timings.write = started.elapsed();
    Ok(Built {
        checked,
        written: Some(WrittenCount {
            files: files.into_inner(),
            pages: pages.into_inner(),
        }),
    })
}
