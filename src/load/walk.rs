//! The walk of `content/`: which files a handbook has, what each one is (config,
//! part, chapter, table or asset) by its name, and its size and time, by which a
//! later load knows a file unchanged without reading it.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::LoadError;
use crate::ignore::is_ignored_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    Config,
    Part,
    Chapter,
    Table,
    Asset,
}

/// A file under `content/`, as the walk found it.
#[derive(Clone)]
pub(super) struct Found {
    pub(super) rel_path: String,
    pub(super) path: PathBuf,
    pub(super) kind: FileKind,
    pub(super) stamp: Stamp,
}

/// A file's size and time, as seen just before its text was read: a save after
/// that gives it another, and the next load reads it again.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Stamp {
    pub(super) len: u64,
    pub(super) modified: Option<SystemTime>,
}

impl Stamp {
    pub(super) fn of(meta: &std::fs::Metadata) -> Self {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// Every file under `content/` in path order (sorted by name at each level), hidden
/// files and editor leftovers skipped; stamped if `stamp`, else their stamps are
/// empty.
pub(super) fn walk(content: &Path, stamp: bool) -> Result<Vec<Found>, LoadError> {
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
        let kind = kind_of(&rel_path, &entry.file_name().to_string_lossy());
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

/// What a file is, by its path under `content/` and its name.
pub(super) fn kind_of(rel_path: &str, name: &str) -> FileKind {
    let lower = name.to_ascii_lowercase();
    if rel_path == "handbook.yaml" || rel_path == "handbook.yml" {
        FileKind::Config
    } else if lower == "_part.yaml" || lower == "_part.yml" {
        FileKind::Part
    } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
        FileKind::Chapter
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        FileKind::Table
    } else {
        FileKind::Asset
    }
}
