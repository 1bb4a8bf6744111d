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

pub(crate) use config::handbook_language;
mod walk;

/// The parsers of one file, for the fuzz targets (`crate::fuzz`).
#[cfg(test)]
pub(crate) use self::{
    chapter::load_chapter, front_matter::split as split_front_matter, table::load_table,
};

use std::path::{Path, PathBuf};

use crate::diag::{tr, Code, Diagnostic, Diagnostics, FileId, Lang, Location, Sources, Text};
use crate::model::{Config, Handbook};
use crate::yaml::Opened;

pub(crate) use cache::{LoadCache, RereadChapter};
pub(crate) use chapter::{heading_spans, HeadingSpan};
pub(crate) use config::check_editor_url;
pub(crate) use config::CONFIG_KEYS;
pub(crate) use table::{entry_keys, TABLE_KEYS};

#[derive(Debug, Clone, Default)]
pub(crate) struct LoadOptions {
    /// Keep chapters marked `draft: true`.
    pub(crate) drafts: bool,
    /// Leave the git history unread: only rendering shows it (the language
    /// server checks without rendering, and would run `git log` per keystroke).
    pub(crate) without_history: bool,
}

/// A problem that stops loading before any content can be checked (exit code 2).
#[derive(Debug)]
pub(crate) enum LoadError {
    NoContent(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl LoadError {
    /// What went wrong, in `lang`.
    pub(crate) fn message(&self, lang: Lang) -> String {
        let text = match self {
            LoadError::NoContent(dir) => tr!(
                "no handbook here: {} is not a folder (run `handbook init` to start one, or pass --root)",
                "这里没有手册：{} 不是文件夹（运行 `handbook init` 新建一本，或用 --root 指定手册所在的文件夹）",
                dir.display()
            ),
            LoadError::Io(path, e) => tr!("cannot read {}: {}", "读不了 {}：{}", path.display(), e),
        };
        text.get(lang).to_string()
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
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
        let history = scope.spawn(|| {
            if options.without_history {
                None
            } else {
                history::read(&content)
            }
        });
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
        diagnostics.push(Diagnostic::new(
            Code::E0102,
            tr!(
                "content/handbook.yaml is missing: it needs at least `title: …`",
                "缺少 content/handbook.yaml：至少要写一行 `title: …`"
            ),
        ));
        return config::load_config_default();
    };
    config::load_config(id, &sources.get(id).text, diagnostics)
}

/// Parses the YAML of a file (or of the part of it that starts at `offset`),
/// reporting a syntax error. An unclosed quote or bracket is reported where it
/// opens, with where the parser gave up as a note; anything else where the parser
/// stopped, in the parser's words (translated where they are known).
fn parse_yaml(
    file: crate::diag::FileId,
    text: &str,
    offset: usize,
    what: Text,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<crate::yaml::Node> {
    let e = match crate::yaml::parse(text, offset) {
        Ok(node) => return Some(node),
        Err(e) => e,
    };
    let said = parser_message(&e.message);
    // One whole character, inside the file (none at its very end).
    let stopped = e.offset..e.offset + char_len_at(text, e.offset - offset);
    let gave_up = Location {
        file,
        span: Some(stopped.clone()),
    };
    let what_en = what.get(Lang::En);
    let what_zh = what.zh_lead();
    let d = match crate::yaml::opened_before(text, e.offset - offset) {
        Some(Opened::Quote(at, quote)) => Diagnostic::new(
            Code::E0301,
            Text::new(
                format!("{what_en} is not valid YAML: the quote {quote} here is never closed"),
                format!("{what_zh}不是有效的 YAML：这里的引号 {quote} 没有配对的结束引号"),
            ),
        )
        .at(file, offset + at..offset + at + 1)
        .with_help(tr!(
            "end the text with {} on the same line, or remove this one",
            "请在这段文字末尾补上 {}，或者删掉这个引号",
            quote
        )),
        Some(Opened::Bracket(at, bracket)) => {
            let close = if bracket == '[' { ']' } else { '}' };
            Diagnostic::new(
                Code::E0301,
                Text::new(
                    format!("{what_en} is not valid YAML: the `{bracket}` here is never closed"),
                    format!("{what_zh}不是有效的 YAML：这里的 `{bracket}` 没有对应的 `{close}`"),
                ),
            )
            .at(file, offset + at..offset + at + 1)
            .with_help(tr!(
                "close it with `{}` at the end of the list, on the same line",
                "请在这一行列表的末尾补上 `{}`",
                close
            ))
        }
        None => {
            return {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E0301,
                        Text::new(
                            format!("{what_en} is not valid YAML: {}", said.get(Lang::En)),
                            format!("{what_zh}不是有效的 YAML：{}", said.get(Lang::Zh)),
                        ),
                    )
                    .at(file, stopped),
                );
                None
            }
        }
    };
    let note = Text::new(
        format!("the YAML parser gave up here ({})", said.get(Lang::En)),
        format!("YAML 解析在这一处中断：{}", said.get(Lang::Zh)),
    );
    diagnostics.push(d.with_note(note, gave_up));
    None
}

/// The value of a top-level `key: value` line of YAML the parser could not read,
/// and where it is: what a broken file still says of its id or language.
fn written_value(text: &str, key: &str) -> Option<crate::yaml::Spanned<String>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let value = rest.split(" #").next().unwrap_or("").trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'').trim();
            if value.is_empty() {
                return None;
            }
            let start = offset + line.find(value).unwrap_or(0);
            return Some(crate::yaml::Spanned {
                value: value.to_string(),
                span: start..start + value.len(),
            });
        }
        offset += line.len();
    }
    None
}

/// A YAML parser's message, in Chinese too where it is one this knows.
fn parser_message(message: &str) -> Text {
    const KNOWN: &[(&str, &str)] = &[
        (
            "mapping values are not allowed in this context",
            "这里不能再出现“键: 值”（文字里有 `: ` 时，请给整段文字加上引号）",
        ),
        (
            "did not find expected key",
            "这里缺少键，多半是缩进没有对齐",
        ),
        ("did not find expected ',' or ']'", "列表 `[...]` 没有写完"),
        ("did not find expected ',' or '}'", "`{...}` 没有写完"),
        (
            "found character that cannot start any token",
            "这个字符不能出现在开头（以 `@`、`` ` ``、`%` 开头的文字请加上引号）",
        ),
        (
            "block sequence entries are not allowed in this context",
            "这里不能开始 `- ` 列表，多半是缩进不对",
        ),
        ("found a tab character", "缩进里有 Tab 字符，请改用空格缩进"),
        ("unexpected end of stream", "文件意外结束"),
        ("did not find expected node content", "这里缺少内容"),
        ("duplicate", "同一个键写了两次"),
    ];
    match KNOWN.iter().find(|(en, _)| message.contains(en)) {
        Some((_, zh)) => Text::new(message, format!("{zh}（{message}）")),
        None => Text::same(message),
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
            let what = tr!("t", "t");
            assert!(parse_yaml(FileId::first(), text, 0, what, &mut diagnostics).is_none());
            let d = &diagnostics[0];
            let noted = d.note(Lang::En).map(|(_, at)| at.span.clone().unwrap());
            let span = d.location.as_ref().unwrap().span.clone().unwrap();
            for span in std::iter::once(span).chain(noted) {
                assert!(span.end <= text.len(), "{span:?} past the end of {text:?}");
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
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
            .map(|d| d.message(Lang::En).to_string())
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
    fn a_line_without_speaker_under_an_indented_fence_is_pointed_at_in_the_file() {
        // Found by the fuzzer: the fence is indented by two spaces, so the parser
        // takes two columns off each line; a line opening with a tab (four columns)
        // comes out as two spaces and the rest, longer than the file's bytes. The
        // span was the start plus that length, past the end of the file.
        let forbidden = crate::text::lint::ForbiddenPhrases::new(&[]);
        let text = "# 对话\n\n  ```dialogue\n\t\t没有说话人";
        let mut diagnostics = Vec::new();
        chapter::load_chapter(FileId::first(), "a.md", text, &forbidden, &mut diagnostics);
        let spans: Vec<_> = diagnostics
            .iter()
            .filter_map(|d| d.location.as_ref()?.span.clone())
            .collect();
        // The line's words, to the end of the file (where the parser's two spaces
        // begin is somewhere in the first tab: the span may start after it).
        assert_eq!(spans.len(), 1, "{diagnostics:?}");
        assert_eq!(spans[0].end, text.len(), "{diagnostics:?}");
        assert!(
            text[spans[0].clone()].ends_with("\t没有说话人"),
            "{diagnostics:?}"
        );
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
