//! The handbook as the editor has it: the files on disk with the open buffers'
//! unsaved texts in their place, checked, and kept checked after every change.
//!
//! A change to a chapter's text that leaves what other pages show of it alone (the
//! edit made all day) patches the checked handbook ([`crate::patch`]): that chapter
//! is parsed again and the links that could have changed are checked again, in
//! milliseconds whatever the handbook's size. Anything else checks the whole
//! handbook again with the load cache, which reads and parses only what changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::{PublishDiagnosticsParams, TextDocumentContentChangeEvent, Url};
use rustc_hash::FxHashMap as HashMap;

use super::convert;
use crate::diag::{FileId, SourceFile};
use crate::load::{LoadCache, LoadOptions};
use crate::model::PageRef;
use crate::patch;
use crate::pipeline::{self, Checked, Fatal};

/// A file open in the editor.
struct Document {
    uri: Url,
    text: String,
}

pub(crate) struct Workspace {
    root: PathBuf,
    content: PathBuf,
    options: LoadOptions,
    load: LoadCache,
    pub(crate) checked: Checked,
    /// Open files by path relative to `content/`.
    open: HashMap<String, Document>,
    /// Files changed since the last check, relative to `content/`.
    pending: BTreeSet<String>,
    /// What the editor was last told of each file (by its path as the
    /// diagnostics name it, `content/…`): files not named have none.
    published: BTreeMap<String, Vec<lsp_types::Diagnostic>>,
}

impl Workspace {
    /// The handbook under `root`, checked from disk.
    pub(crate) fn new(root: &Path, options: LoadOptions) -> Result<Self, Fatal> {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut load = LoadCache::default();
        let checked = pipeline::check_with(&root, &options, &pipeline::quiet, &mut load)?;
        Ok(Workspace {
            content: root.join("content"),
            root,
            options,
            load,
            checked,
            open: HashMap::default(),
            pending: BTreeSet::new(),
            published: BTreeMap::new(),
        })
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// A file's path relative to `content/`, if the URI names one under it.
    pub(crate) fn rel_path(&self, uri: &Url) -> Option<String> {
        let path = uri.to_file_path().ok()?;
        let rel = match path.strip_prefix(&self.content) {
            Ok(rel) => rel.to_path_buf(),
            // A path through a symbolic link, or spelt otherwise.
            Err(_) => {
                let parent = path.parent()?.canonicalize().ok()?;
                parent
                    .join(path.file_name()?)
                    .strip_prefix(&self.content)
                    .ok()?
                    .to_path_buf()
            }
        };
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    /// The URI of a file by its path as diagnostics name it (`content/…`): the
    /// one the editor opened it by, if it is open.
    pub(crate) fn uri(&self, path: &str) -> Option<Url> {
        if let Some(doc) = path.strip_prefix("content/").and_then(|r| self.open.get(r)) {
            return Some(doc.uri.clone());
        }
        Url::from_file_path(self.root.join(path)).ok()
    }

    /// The text of a file as the editor has it, if it is open.
    pub(crate) fn open_text(&self, rel: &str) -> Option<&str> {
        self.open.get(rel).map(|d| d.text.as_str())
    }

    pub(crate) fn did_open(&mut self, uri: Url, text: String) {
        let Some(rel) = self.rel_path(&uri) else {
            return;
        };
        self.load.set_overlay(&rel, Some(Arc::from(text.as_str())));
        self.open.insert(rel.clone(), Document { uri, text });
        self.pending.insert(rel);
    }

    /// Applies the editor's changes, whole texts or ranges, in order.
    pub(crate) fn did_change(&mut self, uri: &Url, changes: Vec<TextDocumentContentChangeEvent>) {
        let Some(rel) = self.rel_path(uri) else {
            return;
        };
        let Some(doc) = self.open.get_mut(&rel) else {
            return;
        };
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = convert::offset(&doc.text, range.start);
                    let end = convert::offset(&doc.text, range.end).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
                None => doc.text = change.text,
            }
        }
        self.load
            .set_overlay(&rel, Some(Arc::from(doc.text.as_str())));
        self.pending.insert(rel);
    }

    /// A closed file is read from disk again.
    pub(crate) fn did_close(&mut self, uri: &Url) {
        let Some(rel) = self.rel_path(uri) else {
            return;
        };
        if self.open.remove(&rel).is_some() {
            self.load.set_overlay(&rel, None);
            self.pending.insert(rel);
        }
    }

    /// A file changed on disk (saved, made, deleted, by the editor or anything
    /// else); an open one keeps the editor's text.
    pub(crate) fn changed_on_disk(&mut self, uri: &Url) {
        let Some(rel) = self.rel_path(uri) else {
            return;
        };
        if !self.open.contains_key(&rel) {
            self.load.invalidate([rel.as_str()]);
            self.pending.insert(rel);
        }
    }

    /// Checks what changed since the last time, if anything did; the
    /// diagnostics to publish, for every file whose set changed (an empty set
    /// clears a file's).
    pub(crate) fn refresh(&mut self) -> Vec<PublishDiagnosticsParams> {
        if self.pending.is_empty() {
            return Vec::new();
        }
        let _t = crate::trace::span("lsp: refresh");
        let changed: Vec<String> = std::mem::take(&mut self.pending).into_iter().collect();
        match patch::edits(&self.checked, &self.load, &changed) {
            Some(edits) => {
                patch::apply(&mut self.checked, &mut self.load, edits);
            }
            None => self.check_all(),
        }
        self.publish()
    }

    /// Checks the whole handbook again, reading only what changed.
    fn check_all(&mut self) {
        let checked =
            pipeline::check_with(&self.root, &self.options, &pipeline::quiet, &mut self.load);
        match checked {
            Ok(checked) => self.checked = checked,
            // content/ gone for a moment: keep what was known until it is back.
            Err(e) => eprintln!("handbook lsp: {e}"),
        }
    }

    /// The diagnostics of every file whose set differs from the last published.
    fn publish(&mut self) -> Vec<PublishDiagnosticsParams> {
        let _t = crate::trace::span("lsp: diagnostics");
        let sources = &self.checked.sources;
        let config = self.checked.handbook.config.file;
        let mut now: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        let uri = |path: &str| self.uri(path);
        // In the language `check` prints them in: --lang, HANDBOOK_LANG, else the
        // handbook's `language`.
        let lang = self.checked.lang();
        for d in self.checked.diagnostics.iter() {
            // A problem with no file (handbook.yaml missing) shows on handbook.yaml.
            let (path, file) = match (&d.location, config) {
                (Some(at), _) => {
                    let file = sources.get(at.file);
                    (file.path.clone(), Some(file))
                }
                (None, Some(id)) => (sources.get(id).path.clone(), Some(sources.get(id))),
                (None, None) => ("content/handbook.yaml".to_string(), None),
            };
            let empty = SourceFile::new(path.clone(), Arc::from(""));
            let file = file.unwrap_or(&empty);
            now.entry(path)
                .or_default()
                .push(convert::diagnostic(d, file, sources, lang, &uri));
        }
        let mut out = Vec::new();
        for (path, old) in &self.published {
            if !now.contains_key(path) && !old.is_empty() {
                out.extend(self.params(path, Vec::new()));
            }
        }
        for (path, list) in &now {
            if self.published.get(path) != Some(list) {
                out.extend(self.params(path, list.clone()));
            }
        }
        self.published = now;
        out
    }

    fn params(
        &self,
        path: &str,
        diagnostics: Vec<lsp_types::Diagnostic>,
    ) -> Option<PublishDiagnosticsParams> {
        Some(PublishDiagnosticsParams {
            uri: self.uri(path)?,
            diagnostics,
            version: None,
        })
    }

    /// The diagnostics of the first check, for every file that has some.
    pub(crate) fn publish_first(&mut self) -> Vec<PublishDiagnosticsParams> {
        self.publish()
    }

    /// The page made from a file, by its path relative to `content/`;
    /// handbook.yaml and `_part.yaml` make none.
    pub(crate) fn page(&self, rel: &str) -> Option<PageRef> {
        self.checked.site.page_at_source(rel)
    }

    pub(crate) fn page_file(&self, page: PageRef) -> FileId {
        match page {
            PageRef::Chapter(i) => self.checked.handbook.chapters[i].file,
            PageRef::Table(i) => self.checked.handbook.tables[i].file,
        }
    }

    /// The text of a page's file as checked.
    pub(crate) fn source(&self, page: PageRef) -> &SourceFile {
        self.checked.sources.get(self.page_file(page))
    }
}
