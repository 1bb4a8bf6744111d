//! A build that lives on between rebuilds, for watch and serve.
//!
//! The first rebuild renders everything and swaps in a whole site, like `build`.
//! Each later one reads only the files whose size or time changed, renders only the
//! pages whose inputs changed, and writes into the output folder only the files whose
//! bytes changed, in two steps: the pages first (so an open tab can reload at once),
//! then, on another thread, the site-wide pages, made from all pages together
//! (search index, print version, index page, finder, practice, exports). Once both
//! are done the folder is exactly what a fresh `build` of the same files would leave.
//!
//! When only chapters' texts changed, [`patch`] takes a quicker way.

mod patch;
#[cfg(test)]
mod tests;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::{tr, Code, Diagnostic};
use crate::load::{LoadError, LoadOptions};
use crate::output::{self, Manifest, OutputFile, Update};
use crate::pipeline::{self, Caches, Checked, Fatal};
use crate::render::{self, Phase};

pub(crate) struct Session {
    root: PathBuf,
    /// `content/` as the watcher names it.
    watched_content: PathBuf,
    out: PathBuf,
    options: LoadOptions,
    caches: Caches,
    /// What the pages step wrote, once the first build has written the folder.
    pages: Option<Manifest>,
    /// What the site-wide pages wrote; away while a [`SiteWideJob`] has it.
    site_wide: Option<Manifest>,
    /// Counts page rebuilds, so a site-wide job knows whether it is still current.
    generation: u64,
    /// The generation the site-wide pages were last written for.
    site_wide_generation: u64,
    /// The generation a site-wide job was last started for (a failed one is not
    /// retried until the pages change again).
    site_wide_started: u64,
    /// The handbook as the last rebuild checked it.
    current: Option<Arc<Checked>>,
    /// True when `current` is what the pages in the output folder were rendered
    /// from: only then can an edit be patched in.
    current_rendered: bool,
    /// One thread for the site-wide jobs, made once (see [`SiteWideJob::run_aside`]).
    aside: Option<Arc<rayon::ThreadPool>>,
}

/// One rebuild: what it found and what it wrote.
pub(crate) struct Outcome {
    pub(crate) checked: Arc<Checked>,
    /// False when nothing was written: the handbook has errors.
    pub(crate) written: bool,
    /// What changed in the output folder (everything, for the first build).
    pub(crate) update: Update,
    pub(crate) elapsed: Duration,
}

impl Outcome {
    pub(crate) fn ok(&self) -> bool {
        self.written
    }
}

/// The files of one rendering step, `None` when the handbook has errors.
fn render(
    root: &Path,
    caches: &mut Caches,
    checked: &mut Checked,
    phase: Phase,
) -> Option<Vec<OutputFile>> {
    pipeline::render_checked(root, checked, caches, phase, &pipeline::quiet)
}

/// The report of a rebuild that found `content/` gone.
fn content_missing(dir: &Path) -> Checked {
    let mut checked = Checked::default();
    checked.diagnostics.push(Diagnostic::new(
        Code::E0103,
        tr!(
            "{} is missing: the last good site stays until it is back",
            "{} 不见了：在它回来之前，网站保持上一次成功构建的样子",
            dir.display()
        ),
    ));
    checked
}

/// Pages and copied files: what a rebuild writes before the site-wide pages.
fn pages_step(path: &str) -> bool {
    !render::is_site_wide_page(path)
}

impl Session {
    pub(crate) fn new(root: &Path, out: &Path, options: LoadOptions) -> Result<Self, Fatal> {
        if let Some(problem) = output::unsafe_output(root, out) {
            return Err(Fatal::Usage(crate::diag::Text::new(
                format!(
                    "refusing to write the site into {}: {}",
                    out.display(),
                    problem.get(crate::diag::Lang::En)
                ),
                format!(
                    "不能把网站写到 {}：{}",
                    out.display(),
                    problem.get(crate::diag::Lang::Zh)
                ),
            )));
        }
        Ok(Session {
            root: root.to_path_buf(),
            // The watcher reports canonical paths.
            watched_content: root
                .canonicalize()
                .unwrap_or_else(|_| root.to_path_buf())
                .join("content"),
            out: out.to_path_buf(),
            options,
            caches: Caches::keeping(),
            pages: None,
            site_wide: None,
            generation: 0,
            site_wide_generation: 0,
            site_wide_started: 0,
            current: None,
            current_rendered: false,
            aside: None,
        })
    }

    pub(crate) fn out(&self) -> &Path {
        &self.out
    }

    /// True when the site-wide pages are behind the pages.
    pub(crate) fn site_wide_due(&self) -> bool {
        self.site_wide_generation < self.generation && self.site_wide_started < self.generation
    }

    /// Rebuilds after `changed` paths changed (none, the first time) and writes the
    /// pages that changed. A build with errors writes nothing: the last good site
    /// stays.
    pub(crate) fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome, Fatal> {
        let _t = crate::trace::span("rebuild");
        let started = Instant::now();
        let in_content = self.in_content(changed);
        if in_content.len() == changed.len() && !changed.is_empty() {
            if let Some(outcome) = self.patch(&in_content, started) {
                return outcome;
            }
        }
        self.caches
            .load
            .invalidate(in_content.iter().map(String::as_str));
        let checked = pipeline::check_with(
            &self.root,
            &self.options,
            &pipeline::quiet,
            &mut self.caches.load,
        );
        let mut checked = match checked {
            // content/ gone for a moment (a branch switch, a restore): an error
            // like any other while watching, not the end of the session.
            Err(Fatal::Load(LoadError::NoContent(dir))) if self.pages.is_some() => {
                let checked = content_missing(&dir);
                return Ok(self.settle(checked, false, Update::default(), started));
            }
            other => other?,
        };
        let (written, update) = self
            .render_and_write(&mut checked)
            .map_err(|e| Fatal::Output(self.out.clone(), e))?;
        Ok(self.settle(checked, written, update, started))
    }

    /// The changed paths under `content/`, relative to it, with `/` between folders.
    fn in_content(&self, changed: &[PathBuf]) -> Vec<String> {
        changed
            .iter()
            .filter_map(|p| p.strip_prefix(&self.watched_content).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect()
    }

    /// Renders the pages (everything, the first time) and writes those that
    /// changed; false when nothing was written: the handbook has errors.
    fn render_and_write(&mut self, checked: &mut Checked) -> io::Result<(bool, Update)> {
        let first = self.pages.is_none();
        let phase = if first {
            Phase::Everything
        } else {
            Phase::Pages
        };
        let Some(list) = render(&self.root, &mut self.caches, checked, phase) else {
            return Ok((false, Update::default()));
        };
        let (written, update) = self.write(checked, &list)?;
        self.generation += 1;
        if first {
            self.site_wide_generation = self.generation;
            self.site_wide_started = self.generation;
        }
        Ok((written, update))
    }

    /// Writes the rendered files: the whole site the first time, then only the
    /// pages whose bytes changed. False when a render again (for pages removed from
    /// the folder by hand) found errors.
    fn write(&mut self, checked: &mut Checked, list: &[OutputFile]) -> io::Result<(bool, Update)> {
        let Session {
            root,
            out,
            caches,
            pages: Some(manifest),
            ..
        } = self
        else {
            return Ok((true, self.write_first(list)?));
        };
        let _t = crate::trace::span("update in place");
        let mut update = output::update_in_place(list, out, manifest, &pages_step)?;
        if update.missing.is_empty() {
            return Ok((true, update));
        }
        // Pages were removed from the folder by hand: render all again.
        caches.render = render::RenderCache::keeping();
        let Some(list) = render(root, caches, checked, Phase::Pages) else {
            return Ok((false, update));
        };
        let more = output::update_in_place(&list, out, manifest, &pages_step)?;
        update.written.extend(more.written);
        update.removed.extend(more.removed);
        update.missing = more.missing;
        Ok((true, update))
    }

    /// Writes the first build's site as a whole and notes what each step owns.
    fn write_first(&mut self, list: &[OutputFile]) -> io::Result<Update> {
        output::write_site(list, &self.out)?;
        let is_site_wide = |f: &&OutputFile| render::is_site_wide_page(&f.path);
        self.pages = Some(Manifest::of(list.iter().filter(|f| !is_site_wide(f)))?);
        self.site_wide = Some(Manifest::of(list.iter().filter(is_site_wide))?);
        Ok(Update {
            written: list.iter().map(|f| f.path.clone()).collect(),
            ..Update::default()
        })
    }

    /// Keeps `checked` as what this rebuild found (rendered into the folder if
    /// `written`), and reports it.
    fn settle(
        &mut self,
        checked: Checked,
        written: bool,
        update: Update,
        started: Instant,
    ) -> Outcome {
        self.current = Some(Arc::new(checked));
        self.current_rendered = written;
        self.outcome(written, update, started)
    }

    /// The report of a rebuild whose handbook is `current`.
    fn outcome(&self, written: bool, update: Update, started: Instant) -> Outcome {
        Outcome {
            checked: self.current.clone().expect("a rebuild keeps its handbook"),
            written,
            update,
            elapsed: started.elapsed(),
        }
    }

    /// The site-wide pages for the pages of the last good rebuild, to run on another
    /// thread; `None` when it is not due, or one is already out.
    pub(crate) fn site_wide_job(&mut self, checked: Arc<Checked>) -> Option<SiteWideJob> {
        if !self.site_wide_due() || checked.diagnostics.has_errors() {
            return None;
        }
        let manifest = self.site_wide.take()?;
        self.site_wide_started = self.generation;
        if self.aside.is_none() {
            self.aside = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .ok()
                .map(Arc::new);
        }
        Some(SiteWideJob {
            root: self.root.clone(),
            out: self.out.clone(),
            checked,
            caches: self.caches.for_site_wide(),
            manifest,
            generation: self.generation,
            aside: self.aside.clone(),
        })
    }

    /// Takes back what a [`SiteWideJob`] wrote.
    pub(crate) fn site_wide_done(&mut self, done: SiteWideDone) {
        self.site_wide = Some(done.manifest);
        if done.result.as_ref().is_ok_and(|r| r.is_ok()) {
            self.site_wide_generation = self.site_wide_generation.max(done.generation);
        }
    }

    /// The site-wide pages, made here and now (after the first build of watch mode).
    pub(crate) fn finish(&mut self, outcome: &Outcome) -> Result<(), Fatal> {
        let Some(job) = self.site_wide_job(outcome.checked.clone()) else {
            return Ok(());
        };
        let done = job.run();
        let failed = done.result.as_ref().err().map(|e| e.to_string());
        self.site_wide_done(done);
        match failed {
            Some(e) => Err(Fatal::Output(self.out.clone(), std::io::Error::other(e))),
            None => Ok(()),
        }
    }
}

/// The site-wide pages, made and written off the rebuild loop.
pub(crate) struct SiteWideJob {
    root: PathBuf,
    out: PathBuf,
    checked: Arc<Checked>,
    caches: Caches,
    manifest: Manifest,
    generation: u64,
    aside: Option<Arc<rayon::ThreadPool>>,
}

/// What a [`SiteWideJob`] did: the write, or the diagnostics of a template that failed.
pub(crate) struct SiteWideDone {
    pub(crate) result: std::io::Result<Result<Update, Box<Checked>>>,
    pub(crate) elapsed: Duration,
    manifest: Manifest,
    generation: u64,
}

impl SiteWideJob {
    /// Runs the job on a thread pool of its own, one thread wide, so the pages of
    /// the next edit never wait for its parallel work: an open tab reloads first.
    pub(crate) fn run_aside(mut self) -> SiteWideDone {
        match self.aside.take() {
            Some(pool) => pool.install(|| self.run()),
            None => self.run(),
        }
    }

    pub(crate) fn run(mut self) -> SiteWideDone {
        let _t = crate::trace::span("site-wide job");
        let started = Instant::now();
        let checked = &self.checked;
        let mut sources = checked.sources.clone();
        let rendered = pipeline::render_with(
            &self.root,
            &checked.handbook,
            &checked.site,
            &mut sources,
            &mut self.caches,
            Phase::SiteWide,
            None,
        );
        let result = match rendered {
            Ok(rendered) => {
                output::update_in_place(&rendered, &self.out, &mut self.manifest, &|p| {
                    render::is_site_wide_page(p)
                })
                .map(Ok)
            }
            Err(errors) => {
                let mut failed = Checked::clone(checked);
                failed.sources = sources;
                failed.diagnostics.extend(errors);
                failed.diagnostics.sort(&failed.sources);
                Ok(Err(Box::new(failed)))
            }
        };
        SiteWideDone {
            result,
            elapsed: started.elapsed(),
            manifest: self.manifest,
            generation: self.generation,
        }
    }
}
