//! The Markdown dialect of chapters, shared by loading (which scans) and rendering.

use pulldown_cmark::{Options, Parser};

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub(crate) fn parser(body: &str) -> Parser<'_> {
    Parser::new_ext(body, options())
}

/// What a fenced code block's info string asks for.
pub(crate) enum Fence<'a> {
    Phrases(&'a str),
    Dialogue,
    Code,
}

pub(crate) fn fence_kind(info: &str) -> Fence<'_> {
    let mut words = info.split_whitespace();
    match words.next() {
        Some("phrases") => Fence::Phrases(words.next().unwrap_or("")),
        Some("dialogue") => Fence::Dialogue,
        _ => Fence::Code,
    }
}
