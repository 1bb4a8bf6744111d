//! Typed template contexts: what every template can use, checked by the compiler
//! rather than filled into a map by string keys.

use serde::Serialize;

use crate::model::Heading;

#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct LinkView {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) summary: Option<String>,
    pub(crate) current: bool,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct SidebarSection {
    pub(crate) title: Option<String>,
    /// The section's first page: where a click on a part's title leads.
    pub(crate) url: String,
    /// The section of the page being rendered: only it lists its pages.
    pub(crate) current: bool,
    pub(crate) pages: Vec<LinkView>,
}

/// The context of `sidebar.html`, the list that goes into a part's script.
#[derive(Debug, Serialize, Hash)]
pub(crate) struct SidebarContext<'a> {
    /// Always `""`: the script puts each page's own root in front of every link.
    pub(crate) root: &'a str,
    pub(crate) sidebar: Vec<SidebarSection>,
}

/// The context of `sidebar_nav.html`, the sidebar's frame on every page.
#[derive(Debug, Serialize)]
pub(crate) struct SidebarNavContext<'a> {
    pub(crate) root: &'a str,
    /// The path of the part's script from the site root (`nav/….js`).
    pub(crate) script: &'a str,
    /// The page's URL from the site root; empty when the list does not hold it.
    pub(crate) page: &'a str,
    /// The index page: its link in the sidebar is the current page's.
    pub(crate) home: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TocSection {
    pub(crate) title: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) pages: Vec<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Stats {
    pub(crate) chapters: usize,
    pub(crate) tables: usize,
    pub(crate) script_lines: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageInfo<'a> {
    /// `chapter`, `table`, `index`, `404`, `phrases` (the finder) or `practice`.
    pub(crate) kind: &'static str,
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    /// The page's H1: the chapter's own opening `# heading` if it has one, else the title.
    pub(crate) heading: &'a str,
    /// The anchor of that opening heading, so links to it still land.
    pub(crate) heading_anchor: Option<&'a str>,
    pub(crate) summary: Option<&'a str>,
    pub(crate) tags: &'a [String],
}

/// The context of every page template. Fields a page kind does not use are empty,
/// so the shared layout never meets an undefined variable.
#[derive(Debug, Serialize)]
pub(crate) struct PageContext<'a> {
    /// The relative path from this page to the site root: `""` or `"../"`.
    pub(crate) root: &'a str,
    pub(crate) page: PageInfo<'a>,
    pub(crate) content: &'a str,
    pub(crate) outline: Vec<&'a Heading>,
    /// The sidebar's frame (`sidebar_nav.html`): the list comes from the part's script.
    pub(crate) sidebar_html: String,
    pub(crate) prev: Option<LinkView>,
    pub(crate) next: Option<LinkView>,
    pub(crate) backlinks: Vec<LinkView>,
    pub(crate) table: Option<&'a super::tables::TableView>,
    pub(crate) toc: Vec<TocSection>,
    pub(crate) stats: Option<Stats>,
    /// Every table tag, for the finder's filter.
    pub(crate) finder_tags: Vec<&'a str>,
    /// The phrase finder's groups, rendered (`finder_group.html`), one per table
    /// with lines to say. The finder's context also has `finder`: those tables.
    pub(crate) finder_groups: Vec<String>,
    /// The practice drill's data, as JSON safe inside a `<script>` element.
    pub(crate) practice_json: String,
    /// The finder's download list: one export file per tool.
    pub(crate) downloads: Vec<Download>,
    /// The page's last change in git (`YYYY-MM-DD`), where the content is in git.
    pub(crate) updated: Option<&'a str>,
    /// Whether the site has `changes.html` (the content is in git).
    pub(crate) has_changes: bool,
    /// `changes.html`: the recent commits that changed pages.
    pub(crate) changes: Vec<super::updates::ChangeView>,
}

/// One line of the finder's download list.
#[derive(Debug, Serialize)]
pub(crate) struct Download {
    pub(crate) tool: &'static str,
    /// From the site root.
    pub(crate) url: String,
    /// One sentence on how to import it.
    pub(crate) how: String,
}

impl<'a> PageContext<'a> {
    /// A context with only what every page has; the rest empty.
    pub(crate) fn new(root: &'a str, page: PageInfo<'a>, sidebar_html: String) -> Self {
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
            finder_tags: Vec::new(),
            finder_groups: Vec::new(),
            practice_json: String::new(),
            downloads: Vec::new(),
            updated: None,
            has_changes: false,
            changes: Vec::new(),
        }
    }
}

/// The context of `phrases.html`, the entries of one table.
#[derive(Debug, Serialize)]
pub(crate) struct PhrasesContext<'a> {
    pub(crate) root: &'a str,
    pub(crate) table: &'a super::tables::TableView,
    /// True inside a chapter: no anchors, entries link to the table page.
    pub(crate) embed: bool,
    /// Put before each entry's anchor: empty on the table's page; in `print.html`,
    /// where every page is a section, `print-<table id>--`.
    pub(crate) anchor_prefix: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct SiteInfo<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) language: &'a str,
}
