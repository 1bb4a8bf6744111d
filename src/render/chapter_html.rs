//! A chapter's Markdown to HTML: heading anchors, rewritten links, embedded phrase
//! tables and dialogue bubbles.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::dialogue_html::{dialogue_html, escape};
use super::links::Links;
use crate::dialogue;
use crate::links as link_syntax;
use crate::markdown::{self, Fence};
use crate::model::{Chapter, PageRef};

/// What chapter rendering needs besides the chapter: link rewriting, and the HTML of
/// an embed (the renderer renders the table partial, cached for whole tables).
pub struct ChapterRenderer<'a> {
    pub links: &'a Links<'a>,
    pub embed: &'a EmbedFn<'a>,
}

/// Renders the embed of a table (by id), limited to the listed entries if any.
pub type EmbedFn<'a> =
    dyn Fn(&str, &[String]) -> Result<String, crate::diag::Diagnostic> + Sync + 'a;

impl ChapterRenderer<'_> {
    pub fn render(
        &self,
        index: usize,
        chapter: &Chapter,
        text: &str,
    ) -> Result<String, crate::diag::Diagnostic> {
        let config = &self.links.handbook.config;
        let from = PageRef::Chapter(index);
        let body = &text[chapter.body_start..];
        let dir = link_syntax::parent_dir(&chapter.rel_path);
        let mut events: Vec<Event> = Vec::new();
        let mut headings = chapter.headings.iter();
        let mut parser = markdown::parser(body);
        if chapter.title_in_body {
            // The opening H1 is the page heading, which the template places (with its
            // anchor) above the outline; it is left out of the content.
            headings.next();
            for event in parser.by_ref() {
                if matches!(event, Event::End(TagEnd::Heading(_))) {
                    break;
                }
            }
        }
        while let Some(event) = parser.next() {
            match event {
                Event::Start(Tag::Heading {
                    level,
                    classes,
                    attrs,
                    ..
                }) => {
                    let anchor = headings
                        .next()
                        .map(|h| h.anchor.clone())
                        .unwrap_or_default();
                    let self_link = format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\">#</a>",
                        escape(&anchor)
                    );
                    events.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(anchor)),
                        classes,
                        attrs,
                    }));
                    events.push(Event::InlineHtml(self_link.into()));
                }
                Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                    events.push(Event::Start(self.rewrite(tag, dir, from)));
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    match markdown::fence_kind(&info) {
                        Fence::Code => {
                            events.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))))
                        }
                        kind => {
                            let mut content = String::new();
                            for inner in parser.by_ref() {
                                match inner {
                                    Event::End(TagEnd::CodeBlock) => break,
                                    Event::Text(t) => content.push_str(&t),
                                    _ => {}
                                }
                            }
                            let html = match kind {
                                Fence::Phrases(table) => {
                                    let entries: Vec<String> = content
                                        .lines()
                                        .map(str::trim)
                                        .filter(|l| !l.is_empty())
                                        .map(str::to_string)
                                        .collect();
                                    (self.embed)(table, &entries)?
                                }
                                _ => {
                                    let lines: Vec<_> = dialogue::parse(&content)
                                        .into_iter()
                                        .filter_map(|p| p.line.ok())
                                        .collect();
                                    dialogue_html(&lines, &config.dialogue, config.raw_html)
                                }
                            };
                            events.push(Event::Html(html.into()));
                        }
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) if !config.raw_html => {
                    events.push(Event::Text(html));
                }
                other => events.push(other),
            }
        }
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        Ok(html)
    }

    /// A link or image with its destination turned into the URL of what it names.
    fn rewrite<'t>(&self, tag: Tag<'t>, dir: &str, from: PageRef) -> Tag<'t> {
        let href = |dest: &CowStr| self.links.href(&link_syntax::classify(dest, dir), from);
        match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                link_type,
                dest_url: href(&dest_url).map_or(dest_url, CowStr::from),
                title,
                id,
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Image {
                link_type,
                dest_url: href(&dest_url).map_or(dest_url, CowStr::from),
                title,
                id,
            },
            other => other,
        }
    }
}
