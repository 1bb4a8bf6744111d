//! Stage 1: read `content/` into a [`Handbook`] of plain values. Every file is read
//! and checked on its own here; what needs the whole handbook (ids, links, nav) is
//! checked by [`crate::resolve`].
//!
//! A load is a row of steps, each in its own file: [`walk`] finds the files,
//! [`texts`] reads those that changed, [`parse`] parses the tables and chapters
//! ([`table`], [`chapter`], [`front_matter`]), [`parts`] groups chapters by folder,
//! and [`config`] reads handbook.yaml and `_part.yaml`. [`cache`] is what watch
//! mode keeps from one load to the next.

mod cache;
mod chapter;
mod config;
mod front_matter;
mod history;
mod parse;
mod parts;
mod read_many;
mod table;
mod texts;
mod walk;

/// The parsers of one file, for the fuzz targets (`crate::fuzz`).
#[cfg(test)]
pub(crate) use self::{
    chapter::load_chapter, front_matter::split as split_front_matter, table::load_table,
};

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, FileId, Sources};
use crate::model::{Config, Handbook};

pub(crate) use cache::{LoadCache, RereadChapter};

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

/// Loads the handbook under `root`, reusing from `cache` what did not change since
/// the last load, and leaves in `cache` what this load read.
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
    // Read beside the files: git takes a few milliseconds.
    let (handbook, history) = std::thread::scope(|scope| {
        let history = scope.spawn(|| history::read(&content));
        let handbook = load_files(&content, options, sources, diagnostics, cache);
        (handbook, history.join().ok().flatten())
    });
    let mut handbook = handbook?;
    handbook.history = history.map(std::sync::Arc::new);
    Ok(handbook)
}

/// The handbook from the files in `content`.
fn load_files(
    content: &Path,
    options: &LoadOptions,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
    cache: &mut LoadCache,
) -> Result<Handbook, LoadError> {
    let t = crate::trace::span("load: files");
    let found = cache.files(content)?;
    drop(t);
    let t = crate::trace::span("load: texts");
    let texts = texts::read_texts(&found, cache);
    let mut handbook = Handbook::default();
    let files = texts::register(&found, texts, cache, sources, &mut handbook, diagnostics)?;
    drop(t);

    // Problems found in the files, reported after any file that is not UTF-8.
    let mut found_diags = Vec::new();
    handbook.config = read_config(files.config, sources, &mut found_diags);
    let t = crate::trace::span("load: tables");
    parse::tables(
        &files.tables,
        sources,
        cache,
        &mut handbook,
        &mut found_diags,
    );
    drop(t);
    let t = crate::trace::span("load: chapters");
    parse::chapters(
        &files.chapters,
        options,
        sources,
        cache,
        &mut handbook,
        &mut found_diags,
    );
    drop(t);
    let part_of_dir = parts::assign(&mut handbook, cache);
    parts::read_part_files(
        &files.parts,
        &part_of_dir,
        sources,
        &mut handbook,
        &mut found_diags,
    );
    diagnostics.extend(found_diags);
    Ok(handbook)
}

/// The handbook's settings from handbook.yaml, or the defaults when it is missing.
fn read_config(
    file: Option<FileId>,
    sources: &Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Config {
    let Some(id) = file else {
        diagnostics.push(Diagnostic::error(
            "content/handbook.yaml is missing: it needs at least `title: …`",
        ));
        return config::load_config_default();
    };
    config::load_config(id, &sources.get(id).text, diagnostics)
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
                Diagnostic::error(format!("{what} is not valid YAML: {}", e.message)).at(
                    file,
                    e.offset..e.offset + char_len_at(text, e.offset - offset),
                ),
            );
            None
        }
    }
}

/// The length of the character at byte `at` of `text` (0 at its end): a span that
/// covers one character, never half of one, nor past the end of the file.
fn char_len_at(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_error_covers_one_whole_character_inside_the_file() {
        // Found by the fuzzer: the span was one byte, which cuts a Chinese character.
        for text in [
            "a: b\n- 退\n",
            "a:\n  - x\n 退: y\n",
            "title: [退\n",
            "a: 'b\n",
        ] {
            let mut diagnostics = Vec::new();
            assert!(parse_yaml(FileId::first(), text, 0, "t", &mut diagnostics).is_none());
            let span = diagnostics[0]
                .location
                .as_ref()
                .unwrap()
                .span
                .clone()
                .unwrap();
            assert!(span.end <= text.len(), "{span:?} past the end of {text:?}");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    }
    use crate::diag::SourceFile;
    use rustc_hash::FxHashMap as HashMap;
    use std::sync::Arc;

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

    #[test]
    fn a_forbidden_phrase_in_a_continued_dialogue_line_is_pointed_at_where_it_is() {
        // Found by the fuzzer: the span was counted from the message's first line.
        let table_text = "title: 电话\nkind: script\nentries:\n  - id: greeting\n    \
                          situation: 接电话\n    say: [您好]\n    avoid: [喂，说话呀]\n";
        let mut diagnostics = Vec::new();
        let table = table::load_table(FileId::first(), "t.yaml", table_text, &mut diagnostics)
            .expect("a table");
        let forbidden = crate::text::lint::ForbiddenPhrases::new(&[std::sync::Arc::new(table)]);
        let text = "# 接电话\n\n```dialogue\n买家: 在吗？\n客服: 您好，稍等一下\n  \
                    千万别回喂，说话呀这种话\n```\n";
        let mut diagnostics = Vec::new();
        chapter::load_chapter(FileId::first(), "a.md", text, &forbidden, &mut diagnostics);
        let spans: Vec<&str> = diagnostics
            .iter()
            .filter_map(|d| d.location.as_ref()?.span.clone())
            .map(|span| &text[span])
            .collect();
        assert_eq!(spans, ["喂，说话呀"], "{diagnostics:?}");
    }

    #[test]
    fn a_phrases_block_table_id_is_pointed_at_as_written() {
        // Found by the fuzzer: an info string written with an escape or an entity
        // (decoded by the Markdown parser) gave a span that cut a character.
        let forbidden = crate::text::lint::ForbiddenPhrases::new(&[]);
        for (text, expected) in [
            ("# 问\n\n```phrases 问候表\na\n```\n", "问候表"),
            ("# 问\n\n```phrases phrases\na\n```\n", "phrases"),
            (
                "# 问\n\n```phrases 问&#x5019;表\na\n```\n",
                "```phrases 问&#x5019;表",
            ),
            ("# 问\n\n```phrases 问\\_候\na\n```\n", "```phrases 问\\_候"),
        ] {
            let mut diagnostics = Vec::new();
            let chapter =
                chapter::load_chapter(FileId::first(), "a.md", text, &forbidden, &mut diagnostics);
            let span = chapter.embeds[0].table.span.clone();
            assert_eq!(text.get(span.clone()), Some(expected), "{text:?} {span:?}");
        }
    }
}
