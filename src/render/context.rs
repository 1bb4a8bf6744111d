//! Typed template contexts: what every template can use, checked by the compiler
//! rather than filled into a map by string keys.

use serde::Serialize;

use crate::model::Heading;

#[derive(Debug, Clone, Serialize, Hash)]
pub struct LinkView {
    pub title: String,
    pub url: String,
    pub summary: Option<String>,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct SidebarSection {
    pub title: Option<String>,
    /// The section's first page: where a click on a part's title leads.
    pub url: String,
    /// The section of the page being rendered: only it lists its pages.
    pub current: bool,
    pub pages: Vec<LinkView>,
}

/// The context of `sidebar.html`.
#[derive(Debug, Serialize, Hash)]
pub struct SidebarContext<'a> {
    pub root: &'a str,
    pub sidebar: Vec<SidebarSection>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocSection {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub pages: Vec<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub chapters: usize,
    pub tables: usize,
    pub script_lines: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageInfo<'a> {
    /// `chapter`, `table`, `index`, `404`, `phrases` (the finder) or `practice`.
    pub kind: &'static str,
    pub id: &'a str,
    pub title: &'a str,
    /// The page's H1: the chapter's own opening `# heading` if it has one, else the title.
    pub heading: &'a str,
    /// The anchor of that opening heading, so links to it still land.
    pub heading_anchor: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub tags: &'a [String],
}

/// The context of every page template. Fields a page kind does not use are empty,
/// so the shared layout never meets an undefined variable.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// The relative path from this page to the site root: `""` or `"../"`.
    pub root: &'a str,
    pub page: PageInfo<'a>,
    pub content: &'a str,
    pub outline: Vec<&'a Heading>,
    /// The sidebar, rendered by `sidebar.html` once per section and shared.
    pub sidebar_html: String,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    pub backlinks: Vec<LinkView>,
    pub table: Option<&'a super::tables::TableView>,
    pub toc: Vec<TocSection>,
    pub stats: Option<Stats>,
    /// The phrase finder: every table with lines to say.
    pub finder: Vec<&'a super::tables::TableView>,
    /// Every table tag, for the finder's filter.
    pub finder_tags: Vec<&'a str>,
    /// The practice drill's data, as JSON safe inside a `<script>` element.
    pub practice_json: String,
}

impl<'a> PageContext<'a> {
    /// A context with only what every page has; the rest empty.
    pub fn new(root: &'a str, page: PageInfo<'a>, sidebar_html: String) -> Self {
        PageContext {
            root,
            page,
            content: "",
            outline: Vec::new(),
            sidebar_html,
            prev: None,
            next: None,
            backlinks: Vec::new(),
            table: None,
            toc: Vec::new(),
            stats: None,
            finder: Vec::new(),
            finder_tags: Vec::new(),
            practice_json: String::new(),
        }
    }
}

/// The context of `phrases.html`, the entries of one table.
#[derive(Debug, Serialize)]
pub struct PhrasesContext<'a> {
    pub root: &'a str,
    pub table: &'a super::tables::TableView,
    /// True inside a chapter: no anchors, entries link to the table page.
    pub embed: bool,
    /// Put before each entry's anchor: empty on the table's page; in `print.html`,
    /// where every page is a section, `print-<table id>--`.
    pub anchor_prefix: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: &'a str,
}
