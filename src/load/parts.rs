//! The parts of a handbook: a folder holding chapters is a part, titled by its
//! `_part.yaml` or else by its name. Worked out after the chapters are loaded, as
//! a part exists only if some chapter (not left out as a draft) is in its folder.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use super::cache::LoadCache;
use super::config;
use crate::diag::{Diagnostic, FileId, Sources};
use crate::model::{Handbook, Part};
use crate::text::ids;
use crate::text::links;

/// Gives each chapter the part of its folder, making the parts in the order their
/// first chapters come; returns each part's index by folder.
pub(super) fn assign(handbook: &mut Handbook, cache: &mut LoadCache) -> HashMap<String, usize> {
    let mut part_of_dir: HashMap<String, usize> = HashMap::default();
    for chapter in &mut handbook.chapters {
        let dir = links::parent_dir(&chapter.rel_path);
        if dir.is_empty() {
            if chapter.part.is_some() {
                Arc::make_mut(chapter).part = None;
            }
            continue;
        }
        let index = part_index(&mut handbook.parts, &mut part_of_dir, dir);
        if chapter.part != Some(index) {
            Arc::make_mut(chapter).part = Some(index);
        }
        // The cache shares the chapter as the handbook has it, so the next load
        // copies nothing.
        if let Some(parsed) = cache.chapters.get_mut(&chapter.rel_path) {
            parsed.value = chapter.clone();
        }
    }
    part_of_dir
}

/// The index of the part of folder `dir`, made (titled by the folder's name) when
/// it is the first chapter there.
fn part_index(parts: &mut Vec<Part>, part_of_dir: &mut HashMap<String, usize>, dir: &str) -> usize {
    if let Some(&i) = part_of_dir.get(dir) {
        return i;
    }
    let name = dir.rsplit('/').next().unwrap_or(dir);
    parts.push(Part {
        title: ids::id_from_stem(name),
        summary: None,
    });
    part_of_dir.insert(dir.to_string(), parts.len() - 1);
    parts.len() - 1
}

/// Reads each `_part.yaml` into the part of its folder (one without chapters is
/// still read, for its problems).
pub(super) fn read_part_files(
    files: &[(String, FileId)],
    part_of_dir: &HashMap<String, usize>,
    sources: &Sources,
    handbook: &mut Handbook,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (rel, id) in files {
        let (title, summary) = config::load_part(*id, &sources.get(*id).text, diagnostics);
        let dir = links::parent_dir(rel);
        let Some(part) = part_of_dir.get(dir).map(|&i| &mut handbook.parts[i]) else {
            continue;
        };
        if let Some(title) = title {
            part.title = title;
        }
        part.summary = summary;
    }
}
