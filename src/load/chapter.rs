//! Reading one chapter: front matter, headings and their anchors, links, embeds,
//! dialogue syntax, and the forbidden-phrase lint over its text.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::front_matter;
use crate::diag::{tr, Code, Diagnostic, FileId, Lang, Text};
use crate::model::{Chapter, Embed, Heading, Link, LinkTarget};
use crate::text::dialogue;
use crate::text::ids::{self, AnchorSet};
use crate::text::links;
use crate::text::lint::ForbiddenPhrases;
use crate::text::markdown::{self, Fence};
use crate::yaml::{self, Fields, Spanned};

const FRONT_MATTER_KEYS: &[&str] = &["title", "summary", "tags", "draft", "id"];

/// Loads a chapter from its text. Problems go to `diagnostics`; a chapter comes back
/// whenever its id is known, so later stages can still check links to it.
pub(crate) fn load_chapter(
    file: FileId,
    rel_path: &str,
    text: &str,
    forbidden: &ForbiddenPhrases,
    diagnostics: &mut Vec<Diagnostic>,
) -> Chapter {
    finish_chapter(
        begin_chapter(file, rel_path, text),
        text,
        forbidden,
        diagnostics,
    )
}

/// A chapter with its front matter read, its body not yet: that needs the forbidden
/// phrases, which a load makes meanwhile.
pub(crate) struct BegunChapter {
    chapter: Chapter,
    title: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads a chapter's front matter.
pub(crate) fn begin_chapter(file: FileId, rel_path: &str, text: &str) -> BegunChapter {
    let mut diagnostics = Vec::new();
    let stem = rel_path
        .rsplit('/')
        .next()
        .unwrap_or(rel_path)
        .rsplit_once('.')
        .map_or(rel_path, |(stem, _)| stem);
    let mut chapter = Chapter {
        id: Spanned {
            value: ids::id_from_stem(stem),
            span: 0..0,
        },
        file,
        rel_path: rel_path.to_string(),
        part: None,
        title: String::new(),
        title_in_body: false,
        summary: None,
        tags: Vec::new(),
        draft: false,
        body_start: 0,
        headings: Vec::new(),
        links: Vec::new(),
        embeds: Vec::new(),
    };
    let mut title = None;
    match front_matter::split(text) {
        Err(offset) => diagnostics.push(
            Diagnostic::new(
                Code::E0201,
                tr!(
                    "front matter is not closed: add a line `---` after it",
                    "文件头（front matter）没有结束：请在它后面加一行 `---`"
                ),
            )
            .at(file, offset..offset + 3),
        ),
        Ok(split) => {
            chapter.body_start = split.body_start;
            if let Some(range) = split.yaml {
                title = read_front_matter(&mut chapter, text, range, &mut diagnostics);
            }
        }
    }
    BegunChapter {
        chapter,
        title,
        diagnostics,
    }
}

/// Reads the body of a chapter whose front matter [`begin_chapter`] read.
pub(crate) fn finish_chapter(
    begun: BegunChapter,
    text: &str,
    forbidden: &ForbiddenPhrases,
    diagnostics: &mut Vec<Diagnostic>,
) -> Chapter {
    let BegunChapter {
        mut chapter,
        title,
        diagnostics: from_front_matter,
    } = begun;
    diagnostics.extend(from_front_matter);
    scan_body(&mut chapter, text, forbidden, diagnostics);
    chapter.title = title
        .or_else(|| {
            chapter
                .headings
                .iter()
                .find(|h| h.level == 1)
                .map(|h| h.text.clone())
        })
        .unwrap_or_else(|| chapter.id.value.clone());
    chapter
}

fn read_front_matter(
    chapter: &mut Chapter,
    text: &str,
    range: Range<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let file = chapter.file;
    let Some(node) = super::parse_yaml(
        file,
        &text[range.clone()],
        range.start,
        front_matter_name(),
        diagnostics,
    ) else {
        // The chapter keeps the id its front matter gives, if a line still says
        // it: links to it are not reported as well as the syntax error.
        let written = super::written_value(&text[range.clone()], "id")
            .filter(|id| ids::id_problem(&id.value).is_none());
        if let Some(mut id) = written {
            id.span = id.span.start + range.start..id.span.end + range.start;
            chapter.id = id;
        }
        return None;
    };
    if node.value == yaml::NodeValue::Null {
        return None;
    }
    let mut fields = Fields::new(
        &node,
        front_matter_name(),
        FRONT_MATTER_KEYS,
        file,
        diagnostics,
    )?;
    if let Some(id) = fields.name("id") {
        if let Some(problem) = ids::id_problem(&id.value) {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0202,
                    Text::new(
                        format!("invalid id `{}`: {}", id.value, problem.get(Lang::En)),
                        format!("id `{}` 不可用：{}", id.value, problem.get(Lang::Zh)),
                    ),
                )
                .at(file, id.span.clone()),
            );
        }
        chapter.id = id;
    }
    let title = fields.string("title").map(|t| t.value);
    chapter.summary = fields.string("summary").map(|s| s.value);
    chapter.tags = fields
        .name_list("tags")
        .into_iter()
        .map(|t| t.value)
        .collect();
    chapter.draft = fields.bool("draft").unwrap_or(false);
    fields.finish(diagnostics);
    title
}

/// One pass over the Markdown: everything later stages need to know without
/// parsing it again before rendering.
fn scan_body(
    chapter: &mut Chapter,
    text: &str,
    forbidden: &ForbiddenPhrases,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = chapter.file;
    let base = chapter.body_start;
    let mut scan = BodyScan {
        text,
        dir: links::parent_dir(&chapter.rel_path).to_string(),
        forbidden,
        anchors: AnchorSet::default(),
        heading: None,
        fence: None,
        struck: 0,
        prose: TextRun::default(),
    };
    let mut events = markdown::parser(&text[base..])
        .into_offset_iter()
        .peekable();
    if let Some((first, _)) = events.peek() {
        chapter.title_in_body = matches!(
            first,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        );
    }
    for (event, range) in events {
        let span = base + range.start..base + range.end;
        match event {
            Event::Text(ref t) => scan.text(t, true, span.start, file, diagnostics),
            Event::Code(ref t) => scan.text(t, false, span.start, file, diagnostics),
            // Chinese text wrapped over two lines is still one run of text.
            Event::SoftBreak => {}
            event => {
                scan.event(chapter, event, span, diagnostics);
                lint_run(&mut scan.prose, text, file, forbidden, diagnostics);
            }
        }
    }
    lint_run(&mut scan.prose, text, file, forbidden, diagnostics);
}

/// Where [`scan_body`] is in the Markdown: the heading or code block it is in, how
/// many strikethroughs deep, and the prose gathered since the last break.
struct BodyScan<'a> {
    text: &'a str,
    /// The chapter's folder, which relative links start from.
    dir: String,
    forbidden: &'a ForbiddenPhrases,
    anchors: AnchorSet,
    /// (level, explicit anchor, text so far)
    heading: Option<(u8, Option<String>, String)>,
    /// (info string, span of the block, text so far)
    fence: Option<(String, Range<usize>, TextRun)>,
    struck: usize,
    prose: TextRun,
}

impl BodyScan<'_> {
    /// A piece of text (or, not `prose`, of inline code) starting at `at`: part of
    /// a heading or a code block, prose to lint, or the end of the prose so far.
    fn text(
        &mut self,
        t: &str,
        prose: bool,
        at: usize,
        file: FileId,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if let Some((_, _, heading_text)) = self.heading.as_mut() {
            heading_text.push_str(t);
        }
        if let Some((_, _, run)) = self.fence.as_mut() {
            run.push(t, at);
        } else if self.struck == 0 && prose {
            self.prose.push(t, at);
        } else {
            lint_run(
                &mut self.prose,
                self.text,
                file,
                self.forbidden,
                diagnostics,
            );
        }
    }

    /// Any event but text: headings, links, code blocks and strikethrough matter.
    fn event(
        &mut self,
        chapter: &mut Chapter,
        event: Event,
        span: Range<usize>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((level as u8, id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(chapter),
            // An email autolink (`<kefu@example.com>`) is written as a `mailto:` link.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {}
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => self.link(chapter, &dest_url, span),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                self.fence = Some((info.to_string(), span, TextRun::default()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, block, run)) = self.fence.take() {
                    let (text, forbidden) = (self.text, self.forbidden);
                    scan_fence(chapter, text, &info, block, &run, forbidden, diagnostics);
                }
            }
            Event::Start(Tag::Strikethrough) => self.struck += 1,
            Event::End(TagEnd::Strikethrough) => self.struck = self.struck.saturating_sub(1),
            _ => {}
        }
    }

    /// The heading just read, with an anchor unique in the chapter.
    fn end_heading(&mut self, chapter: &mut Chapter) {
        let Some((level, explicit, text)) = self.heading.take() else {
            return;
        };
        let text = text.trim().to_string();
        let anchor = heading_anchor(&mut self.anchors, explicit, &text);
        chapter.headings.push(Heading {
            level,
            anchor,
            text,
        });
    }

    /// A link or image to a place in the handbook (one outside it is not checked).
    fn link(&self, chapter: &mut Chapter, dest_url: &str, span: Range<usize>) {
        let written = dest_url.to_string();
        let target = links::classify(&written, &self.dir);
        if target == LinkTarget::External {
            return;
        }
        let span = locate(self.text, span, &written);
        chapter.links.push(Link {
            target,
            written,
            span,
        });
    }
}

/// A heading's anchor: the one written (`{#anchor}`) or its text's slug, made
/// unique among the chapter's anchors so far.
fn heading_anchor(anchors: &mut AnchorSet, explicit: Option<String>, text: &str) -> String {
    anchors.unique(explicit.unwrap_or_else(|| ids::slugify(text)))
}

/// Where a heading stands in its chapter's text (the language server's outline,
/// definitions and renames; the handbook itself keeps no positions of headings,
/// so that moving one is not a change of the chapter's anchors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeadingSpan {
    pub(crate) level: u8,
    pub(crate) anchor: String,
    pub(crate) text: String,
    /// The whole heading, its marks and attributes included.
    pub(crate) span: Range<usize>,
    /// The anchor as written in `{#anchor}`, if it is written.
    pub(crate) explicit: Option<Range<usize>>,
}

/// The headings of a chapter's text whose body starts at `body_start`, with the
/// anchors loading gives them.
pub(crate) fn heading_spans(text: &str, body_start: usize) -> Vec<HeadingSpan> {
    let body_start = body_start.min(text.len());
    let mut anchors = AnchorSet::default();
    let mut found = Vec::new();
    let mut open: Option<(u8, Option<String>, String, Range<usize>)> = None;
    for (event, range) in markdown::parser(&text[body_start..]).into_offset_iter() {
        let span = body_start + range.start..body_start + range.end;
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                open = Some((level as u8, id.map(|i| i.to_string()), String::new(), span));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, heading_text, _)) = open.as_mut() {
                    heading_text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, explicit, heading_text, span)) = open.take() else {
                    continue;
                };
                let explicit_at = explicit.as_ref().and_then(|id| {
                    let written = format!("#{id}");
                    let at = text[span.clone()].rfind(&written)?;
                    let start = span.start + at + 1;
                    Some(start..start + id.len())
                });
                let heading_text = heading_text.trim().to_string();
                let anchor = heading_anchor(&mut anchors, explicit, &heading_text);
                found.push(HeadingSpan {
                    level,
                    anchor,
                    text: heading_text,
                    span,
                    explicit: explicit_at,
                });
            }
            _ => {}
        }
    }
    found
}

/// Narrows a link's span to where its destination is written, so the caret points
/// at the broken target rather than at the link text.
fn locate(text: &str, span: Range<usize>, written: &str) -> Range<usize> {
    if written.is_empty() {
        return span;
    }
    // Most links are `[text](destination)`: the destination ends just before the
    // closing parenthesis, found without searching.
    let inline = span
        .end
        .checked_sub(written.len() + 1)
        .map(|start| start..span.end - 1);
    if let Some(at) = inline.filter(|at| {
        at.start >= span.start
            && text.get(at.clone()) == Some(written)
            && text[span.clone()].ends_with(')')
    }) {
        return at;
    }
    match text[span.clone()].rfind(written) {
        Some(i) => span.start + i..span.start + i + written.len(),
        None => span,
    }
}

/// A fenced code block just read: a `phrases` block is an embed, a `dialogue`
/// block is checked line by line; other code is left alone.
fn scan_fence(
    chapter: &mut Chapter,
    text: &str,
    info: &str,
    block: Range<usize>,
    content: &TextRun,
    forbidden: &ForbiddenPhrases,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = chapter.file;
    // The info string sits on the block's first line, after the backticks. It is
    // found there as written; where it is not (pulldown-cmark hands it on with
    // `\_` and `&amp;` decoded), the whole line stands for it: an offset counted in
    // the decoded text could land anywhere, even inside a character.
    let opening = text[block.clone()].split(['\n', '\r']).next().unwrap_or("");
    let opening_span = block.start..block.start + opening.len();
    let find_in_opening = |from: usize, what: &str| {
        opening
            .get(from..)
            .and_then(|rest| rest.find(what))
            .map(|i| block.start + from + i..block.start + from + i + what.len())
    };
    match markdown::fence_kind(info) {
        Fence::Phrases("") => diagnostics.push(
            Diagnostic::new(
                Code::E0203,
                tr!(
                    "a `phrases` block needs a table id: ```phrases TABLE-ID",
                    "`phrases` 代码块要写明话术表的 id：```phrases 表的ID"
                ),
            )
            .at(
                file,
                find_in_opening(0, info.trim()).unwrap_or(opening_span),
            ),
        ),
        Fence::Phrases(table) => {
            let after_keyword = opening.find("phrases").map_or(0, |i| i + "phrases".len());
            chapter.embeds.push(Embed {
                table: Spanned {
                    value: table.to_string(),
                    span: find_in_opening(after_keyword, table).unwrap_or(opening_span),
                },
                entries: embedded_entries(text, content),
            });
        }
        Fence::Dialogue => check_dialogue(file, text, content, forbidden, diagnostics),
        Fence::Code => {}
    }
}

/// The entry ids a `phrases` block lists, one a line.
fn embedded_entries(source: &str, content: &TextRun) -> Vec<Spanned<String>> {
    let mut entries = Vec::new();
    let mut offset = 0;
    for line in content.text.split_inclusive('\n') {
        let id = line.trim();
        if !id.is_empty() {
            let start = offset + (line.len() - line.trim_start().len());
            entries.push(Spanned {
                value: id.to_string(),
                span: content.source_span(start..start + id.len(), source),
            });
        }
        offset += line.len();
    }
    entries
}

/// A `dialogue` block: each line must be `speaker: text`, and what is said must
/// not be a forbidden phrase.
fn check_dialogue(
    file: FileId,
    source: &str,
    content: &TextRun,
    forbidden: &ForbiddenPhrases,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for parsed in dialogue::parse(&content.text) {
        let line = match parsed.line {
            Ok(line) => line,
            Err(message) => {
                let span = content.source_span(parsed.range.clone(), source);
                diagnostics.push(Diagnostic::new(Code::E0204, message).at(file, span));
                continue;
            }
        };
        // A message continued over several lines is their trimmed texts joined by
        // `\n`: each line of it is found again in the block, in order, so that a hit
        // in a continuation line points there (it pointed past the first line, at
        // times into the middle of a character).
        let mut lines = Vec::new();
        let mut cursor = parsed.range.start;
        let mut in_message = 0;
        for piece in line.text.split('\n') {
            if let Some(found) = content.text[cursor..].find(piece) {
                lines.push((in_message..in_message + piece.len(), cursor + found));
                cursor += found + piece.len();
            }
            in_message += piece.len() + 1;
        }
        for hit in forbidden.find(&line.text) {
            let Some((piece, at)) = lines
                .iter()
                .find(|(piece, _)| piece.contains(&hit.range.start))
            else {
                continue;
            };
            let from = at + hit.range.start - piece.start;
            let to = at + hit.range.end.min(piece.end) - piece.start;
            diagnostics.push(forbidden_warning(
                file,
                content.source_span(from..to, source),
                hit.phrase,
                hit.origin,
            ));
        }
    }
}

/// Text gathered from several parser events, each piece remembering where it stands
/// in the file, so an offset in the joined text maps back to a source position.
/// (A code block inside a list has its indentation stripped, so its lines are not
/// one contiguous range of the file.)
#[derive(Default)]
struct TextRun {
    text: String,
    pieces: Vec<(usize, usize)>,
}

impl TextRun {
    fn push(&mut self, text: &str, source_start: usize) {
        self.pieces.push((self.text.len(), source_start));
        self.text.push_str(text);
    }

    fn source_offset(&self, at: usize) -> usize {
        let piece = self
            .pieces
            .partition_point(|&(start, _)| start <= at)
            .max(1)
            - 1;
        let (piece_at, source_at) = self.pieces.get(piece).copied().unwrap_or((0, 0));
        source_at + at - piece_at
    }

    /// Where `range` of the joined text stands in `source`: from its first
    /// character's place to the end of its last one's, in whole characters of
    /// `source`. The two ends are mapped apart because the pieces between them
    /// need not be contiguous in the file, nor as long as what it says (a list's
    /// indentation left out; a tab the parser turned into spaces).
    fn source_span(&self, range: Range<usize>, source: &str) -> Range<usize> {
        let start = self.source_offset(range.start);
        let last = self.text[range.start..range.end]
            .chars()
            .next_back()
            .map_or(0, char::len_utf8);
        let end = match last {
            0 => start,
            _ => self.source_offset(range.end - last) + last,
        };
        whole_characters(source, start..end.max(start))
    }
}

/// Lints a paragraph's prose, then empties the run for the next one. Consecutive
/// text events are joined so a phrase that the parser split (at `!`, `[`, a line
/// break) is still found.
fn lint_run(
    run: &mut TextRun,
    source: &str,
    file: FileId,
    forbidden: &ForbiddenPhrases,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if run.text.is_empty() {
        return;
    }
    for hit in forbidden.find(&run.text) {
        // A hit across two pieces (a list marker, a line break between) ends where
        // the source has its last character, not at its start plus its length.
        let span = run.source_span(hit.range.clone(), source);
        diagnostics.push(forbidden_warning(file, span, hit.phrase, hit.origin));
    }
    run.text.clear();
    run.pieces.clear();
}

/// `span` widened to whole characters of `source`, inside it and not empty where
/// `source` is not: text the parser decoded (an entity, an escape) is not as long
/// as what the file says, so an offset worked out from it may fall inside one.
fn whole_characters(source: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    if end == start {
        end += source[start..].chars().next().map_or(0, char::len_utf8);
    }
    start..end
}

pub(crate) fn forbidden_warning(
    file: FileId,
    span: Range<usize>,
    phrase: &str,
    origin: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::W0201,
        tr!(
            "「{}」 is listed as never to say (@{})",
            "「{}」是禁用说法（见 @{}）",
            phrase,
            origin
        ),
    )
    .at(file, span)
    .with_help(tr!(
        "reword it, or strike it through (~~…~~) to quote it as a bad example",
        "请换个说法；如果是作为反面例子引用，请用删除线（~~…~~）标出"
    ))
}

/// How messages name a chapter's front matter.
fn front_matter_name() -> Text {
    tr!("front matter", "文件头（front matter）")
}
