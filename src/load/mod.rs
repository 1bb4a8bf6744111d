//! Stage 1: read `content/` into a [`Handbook`] of plain values. Every file is read
//! and checked on its own here; what needs the whole handbook (ids, links, nav) is
//! checked by [`crate::resolve`].

mod chapter;
mod config;
mod front_matter;
mod table;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::ids;
use crate::ignore::is_ignored_name;
use crate::links;
use crate::lint::ForbiddenPhrases;
use crate::model::{Asset, Handbook, Part};

pub use chapter::forbidden_warning;

#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Keep chapters marked `draft: true`.
    pub drafts: bool,
}

/// A problem that stops loading before any content can be checked (exit code 2).
#[derive(Debug)]
pub enum LoadError {
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

struct Found {
    rel_path: String,
    path: PathBuf,
    kind: FileKind,
}

pub fn load(
    root: &Path,
    options: &LoadOptions,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
) -> Result<Handbook, LoadError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(LoadError::NoContent(content));
    }
    let found = walk(&content)?;
    let texts: Vec<Result<Option<(String, bool)>, LoadError>> = found
        .par_iter()
        .map(|f| {
            if f.kind == FileKind::Asset {
                return Ok(None);
            }
            let bytes = std::fs::read(&f.path).map_err(|e| LoadError::Io(f.path.clone(), e))?;
            // Invalid UTF-8 is reported below; the lossy text lets the rest be checked.
            Ok(Some(match String::from_utf8(bytes) {
                Ok(text) => (text, true),
                Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
            }))
        })
        .collect();

    let mut handbook = Handbook::default();
    let mut config_file = None;
    let mut part_files = Vec::new();
    let mut chapter_files = Vec::new();
    let mut table_files = Vec::new();
    for (f, text) in found.iter().zip(texts) {
        let Some((text, valid_utf8)) = text? else {
            handbook.assets.push(Asset {
                rel_path: f.rel_path.clone(),
                source: f.path.clone(),
            });
            continue;
        };
        let id = sources.add(format!("content/{}", f.rel_path), text);
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
    let tables: Vec<_> = table_files
        .par_iter()
        .map(|(rel, id)| {
            let mut diags = Vec::new();
            let table = table::load_table(*id, rel, &sources_ref.get(*id).text, &mut diags);
            (table, diags)
        })
        .collect();
    for (table, diags) in tables {
        found_diags.extend(diags);
        handbook.tables.extend(table);
    }

    let forbidden = ForbiddenPhrases::new(&handbook.tables);
    lint_say_lines(&handbook, &forbidden, sources_ref, &mut found_diags);

    let chapters: Vec<_> = chapter_files
        .par_iter()
        .map(|(rel, id)| {
            let mut diags = Vec::new();
            let chapter =
                chapter::load_chapter(*id, rel, &sources_ref.get(*id).text, &forbidden, &mut diags);
            (chapter, diags)
        })
        .collect();
    for (chapter, diags) in chapters {
        if chapter.draft && !options.drafts {
            handbook.drafts.push(chapter.id.value);
            continue;
        }
        found_diags.extend(diags);
        handbook.chapters.push(chapter);
    }

    // A folder holding chapters is a part, titled by its _part.yaml or its name.
    for chapter in &mut handbook.chapters {
        let dir = links::parent_dir(&chapter.rel_path);
        if dir.is_empty() {
            continue;
        }
        let index = match handbook.parts.iter().position(|p| p.dir == dir) {
            Some(i) => i,
            None => {
                let name = dir.rsplit('/').next().unwrap_or(dir);
                handbook.parts.push(Part {
                    dir: dir.to_string(),
                    title: ids::id_from_stem(name),
                    summary: None,
                });
                handbook.parts.len() - 1
            }
        };
        chapter.part = Some(index);
    }
    for (rel, id) in &part_files {
        let (title, summary) = config::load_part(*id, &sources_ref.get(*id).text, &mut found_diags);
        let dir = links::parent_dir(rel);
        if let Some(part) = handbook.parts.iter_mut().find(|p| p.dir == dir) {
            if let Some(title) = title {
                part.title = title;
            }
            part.summary = summary;
        }
    }
    diagnostics.extend(found_diags);
    Ok(handbook)
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
/// files and editor leftovers skipped.
fn walk(content: &Path) -> Result<Vec<Found>, LoadError> {
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
        found.push(Found {
            rel_path,
            path: entry.path().to_path_buf(),
            kind,
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
