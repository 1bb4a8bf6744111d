//! What loading keeps between the rebuilds of watch mode, and the ways watch mode
//! updates it: a chapter read again on its own ([`LoadCache::reread_chapter`],
//! [`LoadCache::keep_chapter`]) and paths said to have changed
//! ([`LoadCache::invalidate`]). Kept apart from the load itself, which only reads
//! and fills it.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::Arc;

use super::chapter;
use super::texts::{read_source, ReadText};
use super::walk::{kind_of, walk, FileKind, Found, Stamp};
use super::LoadError;
use crate::diag::{Diagnostic, FileId, SourceFile};
use crate::model::{Chapter, Table};
use crate::text::lint::ForbiddenPhrases;

/// What loading keeps between the rebuilds of watch mode: each file's text (known
/// unchanged by its size and time) and what was parsed from it. A full build is a
/// load with an empty cache.
#[derive(Default)]
pub(crate) struct LoadCache {
    /// The files of the last load, and the paths said to have changed since: when
    /// all of those are files already known, the folder need not be walked again.
    pub(super) found: Option<Vec<Found>>,
    pub(super) dirty: Vec<String>,
    pub(super) texts: HashMap<String, CachedText>,
    pub(super) chapters: HashMap<String, Parsed<Arc<Chapter>>>,
    pub(super) tables: HashMap<String, Parsed<Option<Arc<Table>>>>,
    /// The forbidden phrases the cached chapters were linted against.
    pub(super) phrases: u64,
    pub(super) forbidden: Option<Arc<ForbiddenPhrases>>,
    /// Texts that stand in for what is on disk: an editor's unsaved buffers (the
    /// language server), by path relative to `content/`; a file only here (made
    /// in the editor, not saved) is loaded as if the walk had found it.
    pub(super) overlay: HashMap<String, Arc<str>>,
}

/// A chapter read and parsed again after an edit, not yet kept in the cache nor put
/// into a handbook.
pub(crate) struct RereadChapter {
    pub(crate) rel_path: String,
    pub(crate) file: Arc<SourceFile>,
    pub(crate) chapter: Arc<Chapter>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    stamp: Stamp,
}

pub(super) struct CachedText {
    pub(super) stamp: Stamp,
    pub(super) file: Arc<SourceFile>,
    pub(super) valid_utf8: bool,
}

/// A parse result and the text it was parsed from (compared by identity).
pub(super) struct Parsed<T> {
    pub(super) text: Arc<str>,
    pub(super) file: FileId,
    pub(super) value: T,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Diagnostics of a cached parse, pointed at the file's id in this load.
pub(super) fn refiled(diagnostics: &[Diagnostic], old: FileId, new: FileId) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .cloned()
        .map(|mut d| {
            if let Some(location) = &mut d.location {
                if location.file == old {
                    location.file = new;
                }
            }
            if let Some(note) = &mut d.also {
                if note.1.file == old {
                    note.1.file = new;
                }
            }
            d
        })
        .collect()
}

impl LoadCache {
    /// Reads and parses a chapter known from the last load again, as `load` would
    /// (as file `id`), without touching the cache. `None` when it cannot be done on
    /// its own: not a chapter of the last load, unreadable, or not UTF-8.
    pub(crate) fn reread_chapter(&self, rel: &str, id: FileId) -> Option<RereadChapter> {
        let forbidden = self.forbidden.as_ref()?;
        let found = self.found.as_ref()?.iter().find(|f| f.rel_path == rel)?;
        if found.kind != FileKind::Chapter {
            return None;
        }
        let ReadText {
            file,
            valid_utf8,
            stamp,
        } = read_source(found, &self.overlay).ok()?;
        if !valid_utf8 {
            return None;
        }
        let mut diagnostics = Vec::new();
        let chapter = chapter::load_chapter(id, rel, &file.text, forbidden, &mut diagnostics);
        let chapter = Arc::new(chapter);
        Some(RereadChapter {
            rel_path: rel.to_string(),
            file,
            chapter,
            diagnostics,
            stamp,
        })
    }

    /// Keeps a chapter read again, as if the last load had read it.
    pub(crate) fn keep_chapter(&mut self, reread: &RereadChapter) {
        let rel = &reread.rel_path;
        if let Some(found) = self
            .found
            .as_mut()
            .and_then(|found| found.iter_mut().find(|f| &f.rel_path == rel))
        {
            found.stamp = reread.stamp;
        }
        self.texts.insert(
            rel.clone(),
            CachedText {
                stamp: reread.stamp,
                file: reread.file.clone(),
                valid_utf8: true,
            },
        );
        self.chapters.insert(
            rel.clone(),
            Parsed {
                text: reread.file.text.clone(),
                file: reread.chapter.file,
                value: reread.chapter.clone(),
                diagnostics: reread.diagnostics.clone(),
            },
        );
    }

    /// Reads `rel` (relative to `content/`) from `text` instead of the disk from
    /// now on, or from the disk again when `text` is `None`; the next load or
    /// [`LoadCache::reread_chapter`] sees the change.
    pub(crate) fn set_overlay(&mut self, rel: &str, text: Option<Arc<str>>) {
        match text {
            Some(text) => self.overlay.insert(rel.to_string(), text),
            None => self.overlay.remove(rel),
        };
        self.invalidate([rel]);
    }

    /// Forgets the texts of these files (paths relative to `content/`), so they are
    /// read again even if their size and time look the same.
    pub(crate) fn invalidate<'a>(&mut self, rel_paths: impl IntoIterator<Item = &'a str>) {
        for path in rel_paths {
            self.texts.remove(path);
            self.dirty.push(path.to_string());
        }
    }

    /// The files under `content/`: the last walk's list when only known files
    /// changed (their sizes and times looked up again), else a new walk.
    pub(super) fn files(&mut self, content: &Path) -> Result<Vec<Found>, LoadError> {
        let dirty = std::mem::take(&mut self.dirty);
        if let Some(found) = &mut self.found {
            let overlay = &self.overlay;
            let known = dirty.iter().all(|path| {
                found.iter().any(|f| &f.rel_path == path)
                    && (content.join(path).is_file() || overlay.contains_key(path))
            });
            if known {
                for f in found.iter_mut().filter(|f| dirty.contains(&f.rel_path)) {
                    f.stamp = std::fs::metadata(&f.path)
                        .map_or(Stamp::default(), |meta| Stamp::of(&meta));
                }
                return Ok(found.clone());
            }
        }
        // Without texts to compare with, files need no stamps before they are read
        // (reading stamps them), and the walk is a third quicker without them.
        let mut found = walk(content, !self.texts.is_empty())?;
        add_unsaved(&mut found, content, &self.overlay);
        self.found = Some(found.clone());
        Ok(found)
    }

    /// Keeps the text of the `n`th file found, as this load read it (or reused it).
    pub(super) fn keep_text(&mut self, n: usize, f: &Found, text: &ReadText) {
        if let Some(kept) = self.found.as_mut().and_then(|kept| kept.get_mut(n)) {
            kept.stamp = text.stamp;
        }
        self.texts.insert(
            f.rel_path.clone(),
            CachedText {
                stamp: text.stamp,
                file: text.file.clone(),
                valid_utf8: text.valid_utf8,
            },
        );
    }
}

/// Files that exist only as an editor's unsaved buffers (made, not yet saved),
/// put among the files found where the walk would have found them.
fn add_unsaved(found: &mut Vec<Found>, content: &Path, overlay: &HashMap<String, Arc<str>>) {
    let order = |rel: &str| rel.split('/').map(str::to_string).collect::<Vec<_>>();
    for rel in overlay.keys() {
        let ignored = rel.split('/').any(crate::ignore::is_ignored_name);
        if ignored || found.iter().any(|f| &f.rel_path == rel) {
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let at = found.partition_point(|f| order(&f.rel_path) < order(rel));
        found.insert(
            at,
            Found {
                rel_path: rel.clone(),
                path: content.join(rel),
                kind: kind_of(rel, name),
                stamp: Stamp::default(),
            },
        );
    }
}
