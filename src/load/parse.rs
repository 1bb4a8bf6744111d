//! The parsing steps of a load: every phrase table, then every chapter, each one
//! taken from the cache when its text is the very one parsed last time, else
//! parsed on rayon's threads. Results are gathered in path order, so the
//! diagnostics come in the same order every time.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{refiled, LoadCache, Parsed};
use super::chapter::{self, forbidden_warning, BegunChapter};
use super::table;
use super::LoadOptions;
use crate::diag::{Diagnostic, FileId, Sources};
use crate::model::{Chapter, Handbook, Table};
use crate::text::lint::ForbiddenPhrases;

/// One file parsed in this load (or taken from the cache): what came of it, its
/// problems, and the text it was parsed from.
struct Parse<'a, T> {
    rel: &'a String,
    value: T,
    diagnostics: Vec<Diagnostic>,
    text: Arc<str>,
}

/// The previous load's parses, by path.
type Previous<T> = HashMap<String, Parsed<T>>;

/// Parses the phrase tables into the handbook, keeping each parse in the cache.
pub(super) fn tables(
    files: &[(String, FileId)],
    sources: &Sources,
    cache: &mut LoadCache,
    handbook: &mut Handbook,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let previous = std::mem::take(&mut cache.tables);
    let parsed: Vec<_> = files
        .par_iter()
        .with_max_len(1)
        .map(|(rel, id)| parse_table(rel, *id, sources, &previous))
        .collect();
    for Parse {
        rel,
        value: table,
        diagnostics: diags,
        text,
    } in parsed
    {
        diagnostics.extend(diags.iter().cloned());
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
}

/// One table: the cached parse if its text is the same, else a new one.
fn parse_table<'a>(
    rel: &'a String,
    id: FileId,
    sources: &Sources,
    previous: &Previous<Option<Arc<Table>>>,
) -> Parse<'a, Option<Arc<Table>>> {
    let text = &sources.get(id).text;
    if let Some(parsed) = previous.get(rel).filter(|p| Arc::ptr_eq(&p.text, text)) {
        let mut table = parsed.value.clone();
        if let Some(table) = table.as_mut().filter(|t| t.file != id) {
            Arc::make_mut(table).file = id;
        }
        return Parse {
            rel,
            value: table,
            diagnostics: refiled(&parsed.diagnostics, parsed.file, id),
            text: text.clone(),
        };
    }
    let mut diagnostics = Vec::new();
    let table = table::load_table(id, rel, text, &mut diagnostics).map(Arc::new);
    Parse {
        rel,
        value: table,
        diagnostics,
        text: text.clone(),
    }
}

/// Parses the chapters into the handbook (drafts only by id, unless kept), keeping
/// each parse in the cache; lints the tables' `say` lines on the way, once the
/// forbidden phrases are known.
pub(super) fn chapters(
    files: &[(String, FileId)],
    options: &LoadOptions,
    sources: &Sources,
    cache: &mut LoadCache,
    handbook: &mut Handbook,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let previous = std::mem::take(&mut cache.chapters);
    let (forbidden, mut begun) = begin_changed(files, sources, &previous, handbook);
    lint_say_lines(handbook, &forbidden, sources, diagnostics);

    // Chapters are linted against the forbidden phrases: new phrases, new lint.
    let phrases = forbidden.fingerprint();
    let reuse = cache.phrases == phrases;
    let parsed: Vec<_> = files
        .par_iter()
        .zip(begun.par_iter_mut())
        // One job per item: rayon splits a range only while the other thread steals,
        // and the run it left unsplit ended phases with one thread working alone.
        .with_max_len(1)
        .map(|((rel, id), begun)| {
            let previous = Some(&previous).filter(|_| reuse);
            finish_chapter(rel, *id, sources, previous, begun.take(), &forbidden)
        })
        .collect();
    cache.phrases = phrases;
    cache.forbidden = Some(forbidden.clone());
    keep_chapters(parsed, options, cache, handbook, diagnostics);
}

/// The forbidden phrases are made into a matcher on one thread while the other
/// reads the front matter of the chapters that changed: the matcher is needed
/// only for their bodies.
fn begin_changed(
    files: &[(String, FileId)],
    sources: &Sources,
    previous: &Previous<Arc<Chapter>>,
    handbook: &Handbook,
) -> (Arc<ForbiddenPhrases>, Vec<Option<BegunChapter>>) {
    rayon::join(
        || Arc::new(ForbiddenPhrases::new(&handbook.tables)),
        || {
            files
                .par_iter()
                .with_max_len(1)
                .map(|(rel, id)| {
                    let text = &sources.get(*id).text;
                    match known(previous, rel, text) {
                        Some(_) => None,
                        None => Some(chapter::begin_chapter(*id, rel, text)),
                    }
                })
                .collect()
        },
    )
}

/// The previous parse of a file, if it was parsed from this very text.
fn known<'p, T>(previous: &'p Previous<T>, rel: &String, text: &Arc<str>) -> Option<&'p Parsed<T>> {
    previous.get(rel).filter(|p| Arc::ptr_eq(&p.text, text))
}

/// One chapter: the cached parse if its text is the same (and `previous` is given:
/// the phrases did not change), else its body read after its front matter.
fn finish_chapter<'a>(
    rel: &'a String,
    id: FileId,
    sources: &Sources,
    previous: Option<&Previous<Arc<Chapter>>>,
    begun: Option<BegunChapter>,
    forbidden: &ForbiddenPhrases,
) -> Parse<'a, Arc<Chapter>> {
    let text = &sources.get(id).text;
    if let Some(parsed) = previous.and_then(|previous| known(previous, rel, text)) {
        let mut chapter = parsed.value.clone();
        if chapter.file != id {
            Arc::make_mut(&mut chapter).file = id;
        }
        return Parse {
            rel,
            value: chapter,
            diagnostics: refiled(&parsed.diagnostics, parsed.file, id),
            text: text.clone(),
        };
    }
    let mut diagnostics = Vec::new();
    let begun = begun.unwrap_or_else(|| chapter::begin_chapter(id, rel, text));
    let chapter = chapter::finish_chapter(begun, text, forbidden, &mut diagnostics);
    Parse {
        rel,
        value: Arc::new(chapter),
        diagnostics,
        text: text.clone(),
    }
}

/// Keeps each chapter's parse in the cache and puts the chapter into the handbook,
/// or only its id into its drafts when drafts are left out.
fn keep_chapters(
    parsed: Vec<Parse<'_, Arc<Chapter>>>,
    options: &LoadOptions,
    cache: &mut LoadCache,
    handbook: &mut Handbook,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for Parse {
        rel,
        value: chapter,
        diagnostics: diags,
        text,
    } in parsed
    {
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
        diagnostics.extend(diags);
        handbook.chapters.push(chapter);
    }
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
        for say in table.entries.iter().flat_map(|entry| entry.say()) {
            for hit in forbidden.find(&say.value) {
                let matched = &say.value[hit.range.clone()];
                // Where the phrase is written in the file: the value may be quoted.
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
