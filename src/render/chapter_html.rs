//! A chapter's Markdown to HTML: heading anchors, rewritten links, embedded phrase
//! tables and dialogue bubbles.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

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

/// The id of a page's section of `print.html` (`anchor` empty), or of a heading in it.
pub fn print_anchor(page_id: &str, anchor: &str) -> String {
    if anchor.is_empty() {
        format!("print-{page_id}")
    } else {
        format!("print-{page_id}--{anchor}")
    }
}

/// A chapter's HTML, and its text by section for the search index.
pub struct RenderedChapter {
    pub html: String,
    /// The same content for `print.html`: ids prefixed with the chapter id so they
    /// stay unique on one page, and links to pages turned into links within it.
    pub print_html: String,
    pub sections: Vec<SectionText>,
}

/// The plain text of a chapter under one heading (or before the first one).
#[derive(Debug, Default)]
pub struct SectionText {
    pub anchor: Option<String>,
    pub heading: String,
    pub text: String,
}

impl ChapterRenderer<'_> {
    pub fn render(
        &self,
        index: usize,
        chapter: &Chapter,
        text: &str,
    ) -> Result<RenderedChapter, crate::diag::Diagnostic> {
        let config = &self.links.handbook.config;
        let from = PageRef::Chapter(index);
        let body = &text[chapter.body_start..];
        let dir = link_syntax::parent_dir(&chapter.rel_path);
        // About one event per 20 bytes of Markdown: sized once rather than grown.
        let expected_events = body.len() / 12 + 16;
        let mut events: Vec<Event> = Vec::with_capacity(expected_events);
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
        let mut print: Vec<Event> = Vec::with_capacity(expected_events);
        let mut sections = vec![SectionText::default()];
        let mut in_heading = false;
        while let Some(event) = parser.next() {
            match &event {
                Event::Text(t) | Event::Code(t) => {
                    let section = sections.last_mut().expect("a section");
                    if in_heading {
                        section.heading.push_str(t);
                    } else {
                        section.text.push_str(t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => in_heading = false,
                Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell)
                | Event::HardBreak => sections.last_mut().expect("a section").text.push('\n'),
                _ => {}
            }
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
                    if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                        sections.push(SectionText {
                            anchor: Some(anchor.clone()),
                            ..SectionText::default()
                        });
                        in_heading = true;
                    }
                    let self_link = format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\">#</a>",
                        escape(&anchor)
                    );
                    print.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(print_anchor(&chapter.id.value, &anchor))),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    }));
                    events.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(anchor)),
                        classes,
                        attrs,
                    }));
                    events.push(Event::InlineHtml(self_link.into()));
                }
                Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                    print.push(Event::Start(self.rewrite_for_print(tag.clone(), dir, from)));
                    events.push(Event::Start(self.rewrite(tag, dir, from)));
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    match markdown::fence_kind(&info) {
                        Fence::Code => {
                            let start = Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)));
                            print.push(start.clone());
                            events.push(start);
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
                                    let section = sections.last_mut().expect("a section");
                                    for line in &lines {
                                        section.text.push_str(&line.speaker);
                                        section.text.push('：');
                                        section.text.push_str(&line.text);
                                        section.text.push('\n');
                                    }
                                    dialogue_html(&lines, &config.dialogue, config.raw_html)
                                }
                            };
                            let html = CowStr::from(html);
                            print.push(Event::Html(html.clone()));
                            events.push(Event::Html(html));
                        }
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) if !config.raw_html => {
                    print.push(Event::Text(html.clone()));
                    events.push(Event::Text(html));
                }
                other => {
                    print.push(other.clone());
                    events.push(other);
                }
            }
        }
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        let mut print_html = String::with_capacity(html.len());
        pulldown_cmark::html::push_html(&mut print_html, print.into_iter());
        print_html.shrink_to_fit();
        Ok(RenderedChapter {
            html,
            print_html,
            sections,
        })
    }

    /// The same for `print.html`, where every chapter and table is a section of one
    /// page: a link to a page goes to that section instead.
    fn rewrite_for_print<'t>(&self, tag: Tag<'t>, dir: &str, from: PageRef) -> Tag<'t> {
        let is_link = matches!(tag, Tag::Link { .. });
        with_destination(tag, |dest| {
            let target = link_syntax::classify(dest, dir);
            match self.links.site.resolve(&target, from) {
                Ok(crate::resolve::Resolved::Page(page, anchor)) if is_link => {
                    let id = self.links.site.page_id(self.links.handbook, page);
                    Some(format!(
                        "#{}",
                        print_anchor(id, anchor.as_deref().unwrap_or(""))
                    ))
                }
                _ => self.links.href(&target, from),
            }
        })
    }

    /// A link or image with its destination turned into the URL of what it names.
    fn rewrite<'t>(&self, tag: Tag<'t>, dir: &str, from: PageRef) -> Tag<'t> {
        with_destination(tag, |dest| {
            self.links.href(&link_syntax::classify(dest, dir), from)
        })
    }
}

/// A link or image whose destination `new` maps to another URL; unchanged where it
/// gives none.
fn with_destination<'t>(tag: Tag<'t>, new: impl Fn(&str) -> Option<String>) -> Tag<'t> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: new(&dest_url).map_or(dest_url, CowStr::from),
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
            dest_url: new(&dest_url).map_or(dest_url, CowStr::from),
            title,
            id,
        },
        other => other,
    }
}
