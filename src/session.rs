//! A build that lives on between rebuilds, for watch and serve: the first rebuild
//! swaps in a whole site like `build`; each later one writes into the output folder
//! only the files whose bytes changed, and removes the ones that are gone, so the
//! folder always ends up exactly as a fresh `build` would leave it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::{self, Fatal, Rendered};
use crate::load::LoadOptions;
use crate::output::{self, Manifest, Update};

pub struct Session {
    root: PathBuf,
    out: PathBuf,
    options: LoadOptions,
    /// What is in `out`, once the first build has written it.
    manifest: Option<Manifest>,
}

/// One rebuild: what it found and what it wrote.
pub struct Outcome {
    pub rendered: Rendered,
    /// What changed in the output folder; everything, for the first build.
    pub update: Update,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.rendered.files.is_some()
    }
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
            manifest: None,
        })
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Rebuilds and writes what changed. A build with errors writes nothing: the
    /// last good site stays.
    pub fn rebuild(&mut self) -> Result<Outcome, Fatal> {
        let started = Instant::now();
        let rendered = build::render_site(&self.root, &self.options, &build::quiet)?;
        let mut update = Update::default();
        if let Some(files) = &rendered.files {
            let failed = |e| Fatal::Output(self.out.clone(), e);
            match &mut self.manifest {
                Some(manifest) => {
                    update = output::update_in_place(files, &self.out, manifest).map_err(failed)?;
                }
                None => {
                    output::write_site(files, &self.out).map_err(failed)?;
                    self.manifest = Some(Manifest::of(files).map_err(failed)?);
                    update.written = files.iter().map(|f| f.path.clone()).collect();
                }
            }
        }
        Ok(Outcome {
            rendered,
            update,
            elapsed: started.elapsed(),
        })
    }
}
