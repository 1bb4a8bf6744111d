//! A build that lives on between rebuilds, for watch and serve.
//!
//! The first rebuild renders everything and swaps in a whole site, like `build`.
//! Each later one reads only the files whose size or time changed, renders only the
//! pages whose inputs changed, and writes into the output folder only the files whose
//! bytes changed, in two steps: the pages first (so an open tab can reload at once),
//! then what is made from all pages together (search index, print version, index
//! page, finder, practice, exports). After both, the folder is exactly what a fresh
//! `build` of the same files would leave.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::{self, Caches, Checked, Fatal, Rendered};
use crate::load::LoadOptions;
use crate::output::{self, Manifest, Update};
use crate::render::{self, Phase};

pub struct Session {
    root: PathBuf,
    out: PathBuf,
    options: LoadOptions,
    caches: Caches,
    /// What is in `out`, once the first build has written it.
    manifest: Option<Manifest>,
    /// The pages changed since the outputs made from all of them were last written.
    rest_due: bool,
}

/// One rebuild: what it found and what it wrote.
pub struct Outcome {
    pub rendered: Rendered,
    /// What changed in the output folder (everything, for the first build).
    pub update: Update,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.rendered.files.is_some()
    }

    pub fn checked(&self) -> &Checked {
        &self.rendered.checked
    }
}

/// Pages and copied files: what the first step of a rebuild writes.
fn pages_step(path: &str) -> bool {
    !render::made_from_all_pages(path)
}

impl Session {
    pub fn new(root: &Path, out: &Path, options: LoadOptions) -> Result<Self, Fatal> {
        if let Some(problem) = output::unsafe_output(root, out) {
            return Err(Fatal::Usage(format!(
                "refusing to write the site into {}: {problem}",
                out.display()
            )));
        }
        Ok(Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            options,
            caches: Caches::keeping(),
            manifest: None,
            rest_due: false,
        })
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    /// True when [`Session::finish`] has work to do.
    pub fn rest_due(&self) -> bool {
        self.rest_due
    }

    /// Rebuilds after `changed` paths changed (all of them, the first time) and
    /// writes the pages that changed. A build with errors writes nothing: the last
    /// good site stays.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Outcome, Fatal> {
        let started = Instant::now();
        let content = self.root.join("content");
        let rel: Vec<String> = changed
            .iter()
            .filter_map(|p| p.strip_prefix(&content).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        self.caches.load.invalidate(rel.iter().map(String::as_str));
        let mut checked = build::check_with(
            &self.root,
            &self.options,
            &build::quiet,
            &mut self.caches.load,
        )?;
        let out = self.out.clone();
        let failed = move |e| Fatal::Output(out.clone(), e);
        let mut update = Update::default();
        let phase = if self.manifest.is_some() {
            Phase::Pages
        } else {
            Phase::Everything
        };
        let (mut files, mut search) = build::render_checked(
            &self.root,
            &mut checked,
            &mut self.caches,
            phase,
            &build::quiet,
        );
        if let Some(list) = &files {
            match &mut self.manifest {
                None => {
                    output::write_site(list, &self.out).map_err(&failed)?;
                    self.manifest = Some(Manifest::of(list).map_err(&failed)?);
                    update.written = list.iter().map(|f| f.path.clone()).collect();
                }
                Some(manifest) => {
                    update = output::update_in_place(list, &self.out, manifest, &pages_step)
                        .map_err(&failed)?;
                    if !update.missing.is_empty() {
                        // Pages were removed from the folder by hand: render all again.
                        self.caches.render = render::RenderCache::keeping();
                        (files, search) = build::render_checked(
                            &self.root,
                            &mut checked,
                            &mut self.caches,
                            Phase::Pages,
                            &build::quiet,
                        );
                        if let Some(list) = &files {
                            let more =
                                output::update_in_place(list, &self.out, manifest, &pages_step)
                                    .map_err(&failed)?;
                            update.written.extend(more.written);
                            update.removed.extend(more.removed);
                            update.missing = more.missing;
                        }
                    }
                    self.rest_due = true;
                }
            }
        }
        Ok(Outcome {
            rendered: Rendered {
                checked,
                files,
                search,
            },
            update,
            elapsed: started.elapsed(),
        })
    }

    /// Writes what is made from all pages together, after [`Session::rebuild`] wrote
    /// the pages. `None` when there was nothing to do.
    pub fn finish(&mut self, outcome: &mut Outcome) -> Result<Option<Update>, Fatal> {
        if !self.rest_due || !outcome.ok() {
            return Ok(None);
        }
        let Some(manifest) = &mut self.manifest else {
            return Ok(None);
        };
        let (files, search) = build::render_checked(
            &self.root,
            &mut outcome.rendered.checked,
            &mut self.caches,
            Phase::Rest,
            &build::quiet,
        );
        let Some(files) = files else {
            // A template error in one of those pages: reported like any other.
            outcome.rendered.files = None;
            return Ok(None);
        };
        outcome.rendered.search = search;
        let update = output::update_in_place(&files, &self.out, manifest, &|p| {
            render::made_from_all_pages(p)
        })
        .map_err(|e| Fatal::Output(self.out.clone(), e))?;
        self.rest_due = false;
        Ok(Some(update))
    }
}
