//! Stage 1: read `content/` into a [`Handbook`] of plain values. Every file is read
//! and checked on its own here; what needs the whole handbook (ids, links, nav) is
//! checked by [`crate::resolve`].

mod chapter;
mod config;
mod front_matter;
mod read_many;
mod table;

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, FileId, SourceFile, Sources};
use crate::ids;
use crate::ignore::is_ignored_name;
use crate::links;
use crate::lint::ForbiddenPhrases;
use crate::model::{Asset, Chapter, Handbook, Part, Table};

pub(crate) use chapter::forbidden_warning;

#[derive(Debug, Clone, Default)]
pub(crate) struct LoadOptions {
    /// Keep chapters marked `draft: true`.
    pub(crate) drafts: bool,
}

/// A problem that stops loading before any content can be checked (exit code 2).
#[derive(Debug)]
pub(crate) enum LoadError {
    NoContent(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NoContent(dir) => write!(
                f,
                "no handbook here: {} is not a folder (run `handbook init` to start one, or pass --root)",
                dir.display()
            ),
            LoadError::Io(path, e) => write!(f, "cannot read {}: {e}", path.display()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Part,
    Chapter,
    Table,
    Asset,
}

#[derive(Clone)]
struct Found {
    rel_path: String,
    path: PathBuf,
    kind: FileKind,
    stamp: Stamp,
}

/// Diagnostics of a cached parse, pointed at the file's id in this load.
fn refiled(diagnostics: &[Diagnostic], old: FileId, new: FileId) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .cloned()
        .map(|mut d| {
            if let Some(location) = &mut d.location {
                if location.file == old {
                    location.file = new;
                }
            }
            if let Some(note) = &mut d.note {
                if note.1.file == old {
                    note.1.file = new;
                }
            }
            d
        })
        .collect()
}

/// What loading keeps between the rebuilds of watch mode: each file's text (known
/// unchanged by its size and time) and what was parsed from it. A full build is a
/// load with an empty cache.
#[derive(Default)]
pub(crate) struct LoadCache {
    /// The files of the last load, and the paths said to have changed since: when
    /// all of those are files already known, the folder need not be walked again.
    found: Option<Vec<Found>>,
    dirty: Vec<String>,
    texts: HashMap<String, CachedText>,
    chapters: HashMap<String, Parsed<Arc<Chapter>>>,
    tables: HashMap<String, Parsed<Option<Arc<Table>>>>,
    /// The forbidden phrases the cached chapters were linted against.
    phrases: u64,
    forbidden: Option<Arc<ForbiddenPhrases>>,
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

/// A file's size and time, as seen just before its text was read: a save after
/// that gives it another, and the next load reads it again.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Self {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

struct CachedText {
    stamp: Stamp,
    file: Arc<SourceFile>,
    valid_utf8: bool,
}

/// A source file as read.
struct ReadText {
    file: Arc<SourceFile>,
    valid_utf8: bool,
    stamp: Stamp,
}

/// A parse result and the text it was parsed from (compared by identity).
struct Parsed<T> {
    text: Arc<str>,
    file: FileId,
    value: T,
    diagnostics: Vec<Diagnostic>,
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
        } = read_source(found).ok()?;
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
    fn files(&mut self, content: &Path) -> Result<Vec<Found>, LoadError> {
        let dirty = std::mem::take(&mut self.dirty);
        if let Some(found) = &mut self.found {
            let known = dirty.iter().all(|path| {
                found.iter().any(|f| &f.rel_path == path) && content.join(path).is_file()
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
        let found = walk(content, !self.texts.is_empty())?;
        self.found = Some(found.clone());
        Ok(found)
    }
}

pub(crate) fn load_cached(
    root: &Path,
    options: &LoadOptions,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
    cache: &mut LoadCache,
) -> Result<Handbook, LoadError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(LoadError::NoContent(content));
    }
    let t = crate::trace::span("load: files");
    let found = cache.files(&content)?;
    drop(t);
    let t = crate::trace::span("load: texts");
    let previous = std::mem::take(&mut cache.texts);
    // Per file, none for assets.
    type Text = Option<ReadText>;
    let unchanged = |f: &Found| {
        previous
            .get(&f.rel_path)
            .filter(|known| known.stamp == f.stamp && f.stamp.modified.is_some())
    };
    // Only what changed is read (in watch mode, a file or two: no threads for that).
    let changed: Vec<&Found> = found
        .iter()
        .filter(|f| f.kind != FileKind::Asset && unchanged(f).is_none())
        .collect();
    let mut read = read_many::read_many(&changed, |f| read_source(f)).into_iter();
    let texts: Vec<Result<Text, LoadError>> = found
        .iter()
        .map(|f| {
            if f.kind == FileKind::Asset {
                return Ok(None);
            }
            if let Some(known) = unchanged(f) {
                return Ok(Some(ReadText {
                    file: known.file.clone(),
                    valid_utf8: known.valid_utf8,
                    stamp: known.stamp,
                }));
            }
            // Read above, in this order (read here should the lists ever disagree).
            read.next().unwrap_or_else(|| read_source(f)).map(Some)
        })
        .collect();

    let mut handbook = Handbook::default();
    let mut config_file = None;
    let mut part_files = Vec::new();
    let mut chapter_files = Vec::new();
    let mut table_files = Vec::new();
    for (n, (f, text)) in found.iter().zip(texts).enumerate() {
        let Some(ReadText {
            file,
            valid_utf8,
            stamp,
        }) = text?
        else {
            handbook.assets.push(Asset {
                rel_path: f.rel_path.clone(),
                source: f.path.clone(),
            });
            continue;
        };
        if let Some(kept) = cache.found.as_mut().and_then(|kept| kept.get_mut(n)) {
            kept.stamp = stamp;
        }
        cache.texts.insert(
            f.rel_path.clone(),
            CachedText {
                stamp,
                file: file.clone(),
                valid_utf8,
            },
        );
        let id = sources.add_shared(file);
        if !valid_utf8 {
            diagnostics
                .push(Diagnostic::error("file is not UTF-8 text: save it as UTF-8").in_file(id));
        }
        match f.kind {
            FileKind::Config => config_file = Some(id),
            FileKind::Part => part_files.push((f.rel_path.clone(), id)),
            FileKind::Chapter => chapter_files.push((f.rel_path.clone(), id)),
            FileKind::Table => table_files.push((f.rel_path.clone(), id)),
            FileKind::Asset => {}
        }
    }

    drop(t);
    let mut found_diags = Vec::new();
    handbook.config = match config_file {
        Some(id) => config::load_config(id, &sources.get(id).text, &mut found_diags),
        None => {
            found_diags.push(Diagnostic::error(
                "content/handbook.yaml is missing: it needs at least `title: …`",
            ));
            config::load_config_default()
        }
    };

    let sources_ref = &*sources;
    let t = crate::trace::span("load: tables");
    let previous_tables = std::mem::take(&mut cache.tables);
    let tables: Vec<_> = table_files
        .par_iter()
        .with_max_len(1)
        .map(|(rel, id)| {
            let text = &sources_ref.get(*id).text;
            if let Some(parsed) = previous_tables
                .get(rel)
                .filter(|p| Arc::ptr_eq(&p.text, text))
            {
                let mut table = parsed.value.clone();
                if let Some(table) = table.as_mut().filter(|t| t.file != *id) {
                    Arc::make_mut(table).file = *id;
                }
                return (
                    rel,
                    table,
                    refiled(&parsed.diagnostics, parsed.file, *id),
                    text.clone(),
                );
            }
            let mut diags = Vec::new();
            let table = table::load_table(*id, rel, text, &mut diags).map(Arc::new);
            (rel, table, diags, text.clone())
        })
        .collect();
    for (rel, table, diags, text) in tables {
        found_diags.extend(diags.iter().cloned());
        handbook.tables.extend(table.clone());
        let file = table.as_ref().map(|t| t.file).unwrap_or(FileId::first());
        cache.tables.insert(
            rel.clone(),
            Parsed {
                text,
                file,
                value: table,
                diagnostics: diags,
            },
        );
    }

    drop(t);
    let t = crate::trace::span("load: chapters");
    let previous_chapters = std::mem::take(&mut cache.chapters);
    let is_known = |rel: &String, text: &Arc<str>| {
        previous_chapters
            .get(rel)
            .filter(|p| Arc::ptr_eq(&p.text, text))
    };
    // The forbidden phrases are made into a matcher on one thread while the other
    // reads the front matter of the chapters that changed: the matcher is needed
    // only for their bodies.
    let (forbidden, mut begun): (_, Vec<Option<chapter::BegunChapter>>) = rayon::join(
        || Arc::new(ForbiddenPhrases::new(&handbook.tables)),
        || {
            chapter_files
                .par_iter()
                .with_max_len(1)
                .map(|(rel, id)| {
                    let text = &sources_ref.get(*id).text;
                    match is_known(rel, text) {
                        Some(_) => None,
                        None => Some(chapter::begin_chapter(*id, rel, text)),
                    }
                })
                .collect()
        },
    );
    lint_say_lines(&handbook, &forbidden, sources_ref, &mut found_diags);

    // Chapters are linted against the forbidden phrases: new phrases, new lint.
    let phrases = forbidden.fingerprint();
    let reuse = cache.phrases == phrases;
    let chapters: Vec<_> = chapter_files
        .par_iter()
        .zip(begun.par_iter_mut())
        // One job per item: rayon splits a range only while the other thread steals,
        // and the run it left unsplit ended phases with one thread working alone.
        .with_max_len(1)
        .map(|((rel, id), begun)| {
            let text = &sources_ref.get(*id).text;
            let cached = is_known(rel, text).filter(|_| reuse);
            if let Some(parsed) = cached {
                let mut chapter = parsed.value.clone();
                if chapter.file != *id {
                    Arc::make_mut(&mut chapter).file = *id;
                }
                return (
                    rel,
                    chapter,
                    refiled(&parsed.diagnostics, parsed.file, *id),
                    text.clone(),
                );
            }
            let mut diags = Vec::new();
            let begun = begun
                .take()
                .unwrap_or_else(|| chapter::begin_chapter(*id, rel, text));
            let chapter = chapter::finish_chapter(begun, text, &forbidden, &mut diags);
            (rel, Arc::new(chapter), diags, text.clone())
        })
        .collect();
    cache.phrases = phrases;
    cache.forbidden = Some(forbidden.clone());
    for (rel, chapter, diags, text) in chapters {
        cache.chapters.insert(
            rel.clone(),
            Parsed {
                text,
                file: chapter.file,
                value: chapter.clone(),
                diagnostics: diags.clone(),
            },
        );
        if chapter.draft && !options.drafts {
            handbook.drafts.push(chapter.id.value.clone());
            continue;
        }
        found_diags.extend(diags);
        handbook.chapters.push(chapter);
    }

    drop(t);
    // A folder holding chapters is a part, titled by its _part.yaml or its name.
    let mut part_of_dir: HashMap<String, usize> = HashMap::default();
    for chapter in &mut handbook.chapters {
        let dir = links::parent_dir(&chapter.rel_path);
        if dir.is_empty() {
            if chapter.part.is_some() {
                Arc::make_mut(chapter).part = None;
            }
            continue;
        }
        let index = match part_of_dir.get(dir) {
            Some(&i) => i,
            None => {
                let name = dir.rsplit('/').next().unwrap_or(dir);
                handbook.parts.push(Part {
                    title: ids::id_from_stem(name),
                    summary: None,
                });
                part_of_dir.insert(dir.to_string(), handbook.parts.len() - 1);
                handbook.parts.len() - 1
            }
        };
        if chapter.part != Some(index) {
            Arc::make_mut(chapter).part = Some(index);
        }
        // The cache shares the chapter as the handbook has it, so the next load
        // copies nothing.
        if let Some(parsed) = cache.chapters.get_mut(&chapter.rel_path) {
            parsed.value = chapter.clone();
        }
    }
    for (rel, id) in &part_files {
        let (title, summary) = config::load_part(*id, &sources_ref.get(*id).text, &mut found_diags);
        let dir = links::parent_dir(rel);
        if let Some(part) = part_of_dir.get(dir).map(|&i| &mut handbook.parts[i]) {
            if let Some(title) = title {
                part.title = title;
            }
            part.summary = summary;
        }
    }
    diagnostics.extend(found_diags);
    Ok(handbook)
}

/// A file's text, and whether it was valid UTF-8: invalid UTF-8 is reported by
/// the caller, and the lossy text lets the rest of the file be checked.
fn read_source(f: &Found) -> Result<ReadText, LoadError> {
    use std::io::Read;
    let io = |e| LoadError::Io(f.path.clone(), e);
    let mut opened = std::fs::File::open(&f.path).map_err(io)?;
    // Stamped before the text is read: a save in between is seen by the next load.
    let stamp = Stamp::of(&opened.metadata().map_err(io)?);
    let mut bytes = Vec::with_capacity(stamp.len as usize);
    opened.read_to_end(&mut bytes).map_err(io)?;
    // Checked a block of bytes at a time: std's check, a byte at a time, took a
    // sixtieth of a whole build's time.
    let (text, valid): (Arc<str>, bool) = match simdutf8::basic::from_utf8(&bytes) {
        Ok(text) => (Arc::from(text), true),
        Err(_) => (Arc::from(String::from_utf8_lossy(&bytes)), false),
    };
    let path = format!("content/{}", f.rel_path);
    Ok(ReadText {
        file: Arc::new(SourceFile::new(path, text)),
        valid_utf8: valid,
        stamp,
    })
}

/// Parses the YAML of a file (or of the part of it that starts at `offset`),
/// reporting a syntax error as `{what} is not valid YAML: …` at its position.
fn parse_yaml(
    file: crate::diag::FileId,
    text: &str,
    offset: usize,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<crate::yaml::Node> {
    match crate::yaml::parse(text, offset) {
        Ok(node) => Some(node),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(format!("{what} is not valid YAML: {}", e.message))
                    .at(file, e.offset..e.offset + 1),
            );
            None
        }
    }
}

/// Every file under `content/` in path order (sorted by name at each level), hidden
/// files and editor leftovers skipped; stamped if `stamp`, else their stamps are
/// empty.
fn walk(content: &Path, stamp: bool) -> Result<Vec<Found>, LoadError> {
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map_or_else(|| content.to_path_buf(), Path::to_path_buf);
            LoadError::Io(path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(content).unwrap_or(entry.path());
        let rel_path = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let name = entry.file_name().to_string_lossy();
        let lower = name.to_ascii_lowercase();
        let kind = if rel_path == "handbook.yaml" || rel_path == "handbook.yml" {
            FileKind::Config
        } else if lower == "_part.yaml" || lower == "_part.yml" {
            FileKind::Part
        } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
            FileKind::Chapter
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            FileKind::Table
        } else {
            FileKind::Asset
        };
        let stamp = match stamp {
            true => entry.metadata().map_or(Stamp::default(), |m| Stamp::of(&m)),
            false => Stamp::default(),
        };
        found.push(Found {
            rel_path,
            path: entry.path().to_path_buf(),
            kind,
            stamp,
        });
    }
    Ok(found)
}

/// A `say` line must never contain a phrase that some table lists under `avoid`.
fn lint_say_lines(
    handbook: &Handbook,
    forbidden: &ForbiddenPhrases,
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if forbidden.is_empty() {
        return;
    }
    for table in &handbook.tables {
        let text = &sources.get(table.file).text;
        for entry in &table.entries {
            for say in entry.say() {
                for hit in forbidden.find(&say.value) {
                    let matched = &say.value[hit.range.clone()];
                    let start = text
                        .get(say.span.start..)
                        .and_then(|rest| rest.find(matched))
                        .map_or(say.span.start, |i| say.span.start + i);
                    diagnostics.push(forbidden_warning(
                        table.file,
                        start..start + matched.len(),
                        hit.phrase,
                        hit.origin,
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A load with `cache`, and what it found wrong.
    fn load_with(root: &Path, cache: &mut LoadCache) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        load_cached(
            root,
            &LoadOptions::default(),
            &mut Sources::new(),
            &mut diagnostics,
            cache,
        )
        .unwrap();
        diagnostics
    }

    /// The text each file has in the cache after a load with it.
    fn load_texts(root: &Path, cache: &mut LoadCache) -> HashMap<String, Arc<SourceFile>> {
        load_with(root, cache);
        cache
            .texts
            .iter()
            .map(|(rel, text)| (rel.clone(), text.file.clone()))
            .collect()
    }

    #[test]
    fn a_kept_cache_reads_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "handbook.yaml", "title: 手册\n");
        write(root, "a.md", "---\ntitle: 甲\n---\n\n正文。\n");
        write(root, "b.md", "---\ntitle: 乙\n---\n\n正文。\n");
        let mut cache = LoadCache::default();
        let first = load_texts(root, &mut cache);
        assert_eq!(first.len(), 3);

        // An edit, as watch mode reports it: the folder is not walked again.
        write(root, "a.md", "---\ntitle: 甲\n---\n\n改过的正文。\n");
        cache.invalidate(["a.md"]);
        let second = load_texts(root, &mut cache);
        assert!(second["a.md"].text.contains("改过"));
        assert!(
            Arc::ptr_eq(&first["b.md"], &second["b.md"]),
            "b.md read again"
        );

        // A new file: the folder is walked again, and b.md still not read.
        write(root, "c.md", "---\ntitle: 丙\n---\n\n新的。\n");
        cache.invalidate(["c.md"]);
        let third = load_texts(root, &mut cache);
        assert!(third.contains_key("c.md"));
        assert!(
            Arc::ptr_eq(&first["b.md"], &third["b.md"]),
            "b.md read again"
        );
        assert!(
            Arc::ptr_eq(&second["a.md"], &third["a.md"]),
            "a.md read again"
        );
    }

    /// The forbidden-phrase warnings of a load.
    fn warnings(root: &Path, cache: &mut LoadCache) -> Vec<String> {
        load_with(root, cache)
            .into_iter()
            .map(|d| d.message)
            .filter(|m| m.contains("喂，说话呀"))
            .collect()
    }

    #[test]
    fn chapters_unchanged_are_linted_again_when_the_phrases_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let table = |avoid: &str| {
            format!(
                "title: 电话\nkind: script\nentries:\n  - id: greeting\n    \
                 situation: 接电话\n    say: [您好]\n{avoid}"
            )
        };
        write(root, "handbook.yaml", "title: 手册\n");
        write(root, "intro.md", "# 入门\n\n千万不能说喂，说话呀这种话。\n");
        write(root, "phone.yaml", &table(""));
        let mut cache = LoadCache::default();
        assert!(warnings(root, &mut cache).is_empty());

        write(root, "phone.yaml", &table("    avoid: 喂，说话呀！\n"));
        cache.invalidate(["phone.yaml"]);
        assert_eq!(
            warnings(root, &mut cache).len(),
            1,
            "the new phrase is found"
        );

        write(root, "phone.yaml", &table(""));
        cache.invalidate(["phone.yaml"]);
        assert!(
            warnings(root, &mut cache).is_empty(),
            "the old warning stays"
        );
    }
}
