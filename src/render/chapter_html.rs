//! A chapter's Markdown to HTML: heading anchors, rewritten links, embedded phrase
//! tables and dialogue bubbles.

use std::cell::Cell;
use std::fmt;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::dialogue_html::{dialogue_html, escape};
use super::links::Links;
use super::raw_fragments::with_raw_fragments;
use crate::diag::Diagnostic;
use crate::model::{Chapter, Heading, PageRef};
use crate::text::dialogue;
use crate::text::links as link_syntax;
use crate::text::markdown::{self, Fence};

/// What chapter rendering needs besides the chapter: link rewriting, and the HTML of
/// an embed (the renderer renders the table partial, cached for whole tables).
pub(crate) struct ChapterRenderer<'a> {
    pub(crate) links: &'a Links<'a>,
    pub(crate) embed: &'a EmbedFn<'a>,
}

/// Renders the embed of a table (by id), limited to the listed entries if any.
pub(crate) type EmbedFn<'a> =
    dyn Fn(&str, &[String]) -> Result<String, crate::diag::Diagnostic> + Sync + 'a;

/// The id of a page's section of `print.html` (`anchor` empty), or of a heading in it.
pub(crate) fn print_anchor(page_id: &str, anchor: &str) -> String {
    if anchor.is_empty() {
        format!("print-{page_id}")
    } else {
        format!("print-{page_id}--{anchor}")
    }
}

/// A chapter's HTML, and its text by section for the search index.
pub(crate) struct RenderedChapter {
    pub(crate) html: String,
    /// The same content for `print.html`: ids prefixed with the chapter id so they
    /// stay unique on one page, and links to pages turned into links within it.
    pub(crate) print_html: String,
    pub(crate) sections: Vec<SectionText>,
}

/// The plain text of a chapter under one heading (or before the first one).
#[derive(Debug, Default)]
pub(crate) struct SectionText {
    pub(crate) anchor: Option<String>,
    pub(crate) heading: String,
    pub(crate) text: String,
}

impl ChapterRenderer<'_> {
    /// A chapter's page HTML, its print copy and its text by section.
    pub(crate) fn render(
        &self,
        index: usize,
        chapter: &Chapter,
        text: &str,
    ) -> Result<RenderedChapter, Diagnostic> {
        let body = &text[chapter.body_start..];
        let mut pass = ChapterPass {
            renderer: self,
            chapter,
            from: PageRef::Chapter(index),
            dir: link_syntax::parent_dir(&chapter.rel_path),
            // About one event per 20 bytes of Markdown: sized once rather than grown.
            events: Vec::with_capacity(body.len() / 12 + 16),
            headings: chapter.headings.iter(),
            print: Vec::new(),
            sections: vec![SectionText::default()],
            in_heading: false,
            below_title: false,
        };
        let mut parser = markdown::parser(body);
        if chapter.title_in_body {
            // The opening H1 is the page heading, which the template places (with its
            // anchor) above the outline; it is left out of the content.
            pass.headings.next();
            let heading_end = |e: &Event| matches!(e, Event::End(TagEnd::Heading(_)));
            parser.by_ref().find(heading_end);
        }
        while let Some(event) = parser.next() {
            pass.note_text(&event);
            pass.take(event, &mut parser)?;
        }
        let (html, starts) = html_with_starts(pass.events, body.len() * 3 / 2);
        let print_html = patch_for_print(&html, &starts, &pass.print);
        let html = with_raw_fragments(html);
        let mut print_html = with_raw_fragments(print_html);
        print_html.shrink_to_fit();
        Ok(RenderedChapter {
            html,
            print_html,
            sections: pass.sections,
        })
    }

    /// Where a link goes in the print version, where every chapter and table is a
    /// section of one page (`print.html`, or a volume's): a link to a page goes to
    /// that section instead. None for what goes
    /// where it does on the page (images, files, other sites, email addresses).
    fn print_destination(&self, tag: &Tag, dir: &str, from: PageRef) -> Option<String> {
        let Tag::Link {
            link_type,
            dest_url,
            ..
        } = tag
        else {
            return None;
        };
        if *link_type == LinkType::Email {
            return None;
        }
        match self
            .links
            .site
            .resolve(&link_syntax::classify(dest_url, dir), from)
        {
            Ok(crate::resolve::Resolved::Page(page, anchor)) => {
                Some(self.links.print_href(page, anchor.as_deref().unwrap_or("")))
            }
            _ => None,
        }
    }

    /// A link or image with its destination turned into the URL of what it names.
    fn rewrite<'t>(&self, tag: Tag<'t>, dir: &str, from: PageRef) -> Tag<'t> {
        with_destination(tag, |dest| {
            self.links.href(&link_syntax::classify(dest, dir), from)
        })
    }
}

/// One chapter's events on their way to HTML: headings given their anchors,
/// links rewritten, fenced phrase tables and dialogues made into HTML, and the
/// text gathered by section for the search index.
struct ChapterPass<'r, 'e> {
    renderer: &'r ChapterRenderer<'r>,
    chapter: &'r Chapter,
    from: PageRef,
    /// The chapter's folder, which its relative links start from.
    dir: &'r str,
    events: Vec<Event<'e>>,
    /// The chapter's headings in order, each giving its anchor when met.
    headings: std::slice::Iter<'r, Heading>,
    /// Where print.html's copy differs from the page's (heading ids, links to
    /// pages): it is made from the page's HTML rather than written again.
    print: Vec<PrintPatch>,
    sections: Vec<SectionText>,
    in_heading: bool,
    /// Whether a heading below the page's title (H2 or deeper) has been met: an
    /// embed before any has its entry titles as H2, not H3, so that no level is
    /// skipped after the title.
    below_title: bool,
}

impl<'e> ChapterPass<'_, 'e> {
    /// Adds an event's text to the current section's heading or text.
    fn note_text(&mut self, event: &Event) {
        let section = self.sections.last_mut().expect("a section");
        match event {
            Event::Text(t) | Event::Code(t) if self.in_heading => section.heading.push_str(t),
            Event::Text(t) | Event::Code(t) => section.text.push_str(t),
            Event::End(TagEnd::Heading(_)) => self.in_heading = false,
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) | Event::HardBreak => {
                section.text.push('\n')
            }
            _ => {}
        }
    }

    /// Takes an event into the page; a fenced block takes the events up to its end
    /// from `parser`.
    fn take(
        &mut self,
        event: Event<'e>,
        parser: &mut impl Iterator<Item = Event<'e>>,
    ) -> Result<(), Diagnostic> {
        let raw_html = self.renderer.links.handbook.config.raw_html;
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => self.heading(level, classes, attrs),
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => self.link(tag),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                self.fenced(info, parser)?
            }
            Event::Html(html) | Event::InlineHtml(html) if !raw_html => {
                self.events.push(Event::Text(html));
            }
            other => self.events.push(other),
        }
        Ok(())
    }

    /// A heading with its anchor as id and a self-link; an H2 or H3 starts a
    /// section for the search index.
    fn heading(
        &mut self,
        level: HeadingLevel,
        classes: Vec<CowStr<'e>>,
        attrs: Vec<(CowStr<'e>, Option<CowStr<'e>>)>,
    ) {
        let anchor = self
            .headings
            .next()
            .map(|h| h.anchor.clone())
            .unwrap_or_default();
        self.below_title |= level != HeadingLevel::H1;
        if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
            self.sections.push(SectionText {
                anchor: Some(anchor.clone()),
                ..SectionText::default()
            });
            self.in_heading = true;
        }
        let self_link = format!(
            "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>",
            escape(&anchor)
        );
        self.print.push(PrintPatch {
            event: self.events.len(),
            spans: 2,
            change: PrintChange::HeadingId(print_anchor(&self.chapter.id.value, &anchor)),
        });
        self.events.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(anchor)),
            classes,
            attrs,
        }));
        self.events.push(Event::InlineHtml(self_link.into()));
    }

    /// A link or image, its destination rewritten (and noted for print).
    fn link(&mut self, tag: Tag<'e>) {
        let renderer = self.renderer;
        if let Some(in_print) = renderer.print_destination(&tag, self.dir, self.from) {
            self.print.push(PrintPatch {
                event: self.events.len(),
                spans: 1,
                change: PrintChange::Destination(in_print),
            });
        }
        let tag = renderer.rewrite(tag, self.dir, self.from);
        self.events.push(Event::Start(tag));
    }

    /// A fenced block: code as it is; a phrase table or a dialogue as its HTML.
    fn fenced(
        &mut self,
        info: CowStr<'e>,
        parser: &mut impl Iterator<Item = Event<'e>>,
    ) -> Result<(), Diagnostic> {
        if let Fence::Code = markdown::fence_kind(&info) {
            let code = Tag::CodeBlock(CodeBlockKind::Fenced(info));
            self.events.push(Event::Start(code));
            return Ok(());
        }
        let kind = markdown::fence_kind(&info);
        let mut content = String::new();
        for inner in parser {
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
                let html = (self.renderer.embed)(table, &entries)?;
                if self.below_title {
                    html
                } else {
                    super::table_html::entry_titles_as_h2(&html)
                }
            }
            _ => self.dialogue(&content),
        };
        self.events.push(Event::Html(CowStr::from(html)));
        Ok(())
    }

    /// A dialogue's HTML; its lines join the current section's text.
    fn dialogue(&mut self, content: &str) -> String {
        let config = &self.renderer.links.handbook.config;
        let lines: Vec<_> = dialogue::parse(content)
            .into_iter()
            .filter_map(|p| p.line.ok())
            .collect();
        let section = self.sections.last_mut().expect("a section");
        for line in &lines {
            section.text.push_str(&line.speaker);
            section.text.push('：');
            section.text.push_str(&line.text);
            section.text.push('\n');
        }
        dialogue_html(&lines, &config.dialogue, config.raw_html)
    }
}

/// A link or image whose destination `new` maps to another URL; unchanged where it
/// gives none.
fn with_destination<'t>(tag: Tag<'t>, new: impl Fn(&str) -> Option<String>) -> Tag<'t> {
    match tag {
        // An email address, which the writer turns into a `mailto:` link.
        email @ Tag::Link {
            link_type: LinkType::Email,
            ..
        } => email,
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

/// Where print.html's copy of a chapter differs from the page's HTML: the HTML of
/// `spans` events from `event` on is replaced.
struct PrintPatch {
    event: usize,
    spans: usize,
    change: PrintChange,
}

enum PrintChange {
    /// A heading's id; its self-link (the event after it) is left out.
    HeadingId(String),
    /// A link's or image's destination.
    Destination(String),
}

/// Lets the HTML writer's caller see how much it has written.
struct CountingString<'c> {
    html: String,
    written: &'c Cell<usize>,
}

impl fmt::Write for CountingString<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.html.push_str(s);
        self.written.set(self.html.len());
        Ok(())
    }
}

/// `events` as HTML, with where the HTML of each event starts (and its length last).
/// The writer takes an event when it has written all before it, so the starts are
/// exact (an image's alt text is written as its events are taken, after its `src`).
fn html_with_starts(events: Vec<Event>, capacity: usize) -> (String, Vec<usize>) {
    let written = Cell::new(0);
    let mut starts = Vec::with_capacity(events.len() + 1);
    let mut out = CountingString {
        html: String::with_capacity(capacity),
        written: &written,
    };
    let events = events.into_iter().inspect(|_| starts.push(written.get()));
    // Writing to a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(&mut out, events);
    starts.push(out.html.len());
    (out.html, starts)
}

/// print.html's copy of a chapter: its page HTML with `patches` applied. Each patch
/// changes the value of the first attribute of a tag (`id`, `href`, `src`), which
/// the writer wrote escaped, with no `"` inside.
fn patch_for_print(html: &str, starts: &[usize], patches: &[PrintPatch]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for patch in patches {
        let start = starts[patch.event];
        let tag = &html[start..starts[patch.event + 1]];
        out.push_str(&html[copied..start]);
        let value = tag.find("=\"").and_then(|at| {
            let from = at + 2;
            tag[from..].find('"').map(|len| from..from + len)
        });
        match value {
            Some(value) => {
                out.push_str(&tag[..value.start]);
                let _ = match &patch.change {
                    PrintChange::HeadingId(id) => escape_html(&mut out, id),
                    PrintChange::Destination(url) => escape_href(&mut out, url),
                };
                out.push_str(&tag[value.end..]);
            }
            None => out.push_str(tag),
        }
        copied = starts[patch.event + patch.spans];
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the page's HTML becomes in print, against a second rendering of the
    /// print events: the way it used to be made.
    #[test]
    fn print_patches_match_rendering_the_print_events() {
        let markdown = "# 标题 & <一>\n\n看![图 *强* `码`](a.png \"题\")和[链接](b.md \"t\")。\n\n\
                        ## 二 {#two .c}\n\n| a | b |\n|---|---|\n| [x](c.md) | ![](d.png) |\n";
        let page: Vec<Event> =
            pulldown_cmark::Parser::new_ext(markdown, crate::text::markdown::options()).collect();
        let mut events = Vec::new();
        let mut print = Vec::new();
        let mut patches = Vec::new();
        for event in page {
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let id = id.map_or("h".to_string(), |i| i.to_string());
                    let print_id = format!("print-x--{id}\"&");
                    patches.push(PrintPatch {
                        event: events.len(),
                        spans: 2,
                        change: PrintChange::HeadingId(print_id.clone()),
                    });
                    print.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(print_id.into()),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    }));
                    events.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(id.into()),
                        classes,
                        attrs,
                    }));
                    events.push(Event::InlineHtml("<a href=\"#x\">#</a>".into()));
                }
                Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                    let printed_destination = |d: &str| format!("#print-{d}?a&b");
                    let printed = with_destination(tag.clone(), |d| Some(printed_destination(d)));
                    let (Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &tag else {
                        unreachable!("matched above")
                    };
                    patches.push(PrintPatch {
                        event: events.len(),
                        spans: 1,
                        change: PrintChange::Destination(printed_destination(dest_url)),
                    });
                    print.push(Event::Start(printed));
                    events.push(Event::Start(tag));
                }
                other => {
                    print.push(other.clone());
                    events.push(other);
                }
            }
        }
        assert_eq!(patches.len(), 6, "two headings, two links, two images");
        let mut expected_page = String::new();
        pulldown_cmark::html::push_html(&mut expected_page, events.clone().into_iter());
        let mut expected_print = String::new();
        pulldown_cmark::html::push_html(&mut expected_print, print.into_iter());

        let (html, starts) = html_with_starts(events, 0);
        assert_eq!(html, expected_page);
        assert_eq!(patch_for_print(&html, &starts, &patches), expected_print);
        assert!(
            expected_print.contains("id=\"print-x--two&quot;&amp;\""),
            "{expected_print}"
        );
    }
}
