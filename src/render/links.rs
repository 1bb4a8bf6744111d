//! URLs of pages and the rewriting of links written in content. All URLs are
//! relative to the site root (every content page sits there), so the output works
//! at a domain root, under a sub-path and from file://.

use super::chapter_html::print_anchor;
use super::context::LinkView;
use super::print_volumes::{PrintVolumes, Volume};
use crate::model::{Handbook, LinkTarget, PageRef};
use crate::resolve::{Resolved, Site};

pub(crate) struct Links<'a> {
    pub(crate) handbook: &'a Handbook,
    pub(crate) site: &'a Site,
    chapter_urls: Vec<String>,
    table_urls: Vec<String>,
    /// The print version's volumes, for a handbook too large for one `print.html`.
    pub(crate) print_volumes: Option<PrintVolumes>,
}

impl<'a> Links<'a> {
    /// Works out every page's URL once; pages ask for them many times.
    pub(crate) fn new(handbook: &'a Handbook, site: &'a Site) -> Self {
        let url = |id: &str| format!("{}.html", encode_path(id));
        Links {
            handbook,
            site,
            chapter_urls: handbook.chapters.iter().map(|c| url(&c.id.value)).collect(),
            table_urls: handbook.tables.iter().map(|t| url(&t.id.value)).collect(),
            print_volumes: PrintVolumes::plan(site),
        }
    }

    /// Where a link to `page` (at `anchor`, or its top) goes in the print version:
    /// its section of `print.html`, or of its volume's page (all volumes are in the
    /// same folder, `print/`, so the link is the same from every volume).
    pub(crate) fn print_href(&self, page: PageRef, anchor: &str) -> String {
        let id = self.site.page_id(self.handbook, page);
        let fragment = print_anchor(id, anchor);
        match self.print_volumes.as_ref().and_then(|v| v.of(page)) {
            Some(volume) => format!("{}#{fragment}", self.volume_file_name(volume)),
            None => format!("#{fragment}"),
        }
    }

    /// A volume's file name in `print/`: the URL of its first page.
    pub(crate) fn volume_file_name(&self, volume: &Volume) -> &str {
        self.url(self.site.order[volume.order.start])
    }

    /// The page's URL relative to the site root.
    pub(crate) fn url(&self, page: PageRef) -> &str {
        match page {
            PageRef::Chapter(i) => &self.chapter_urls[i],
            PageRef::Table(i) => &self.table_urls[i],
        }
    }

    pub(crate) fn page_url(&self, page: PageRef) -> String {
        self.url(page).to_string()
    }

    pub(crate) fn page_title(&self, page: PageRef) -> &'a str {
        match page {
            PageRef::Chapter(i) => &self.handbook.chapters[i].title,
            PageRef::Table(i) => &self.handbook.tables[i].title,
        }
    }

    pub(crate) fn page_summary(&self, page: PageRef) -> Option<&'a str> {
        match page {
            PageRef::Chapter(i) => self.handbook.chapters[i].summary.as_deref(),
            PageRef::Table(i) => self.handbook.tables[i].description.as_deref(),
        }
    }

    pub(crate) fn link(&self, page: PageRef, current: Option<PageRef>) -> LinkView {
        LinkView {
            title: self.page_title(page).to_string(),
            url: self.page_url(page),
            summary: self.page_summary(page).map(str::to_string),
            current: current == Some(page),
        }
    }

    /// The URL for a link written on page `from`; `None` for links left as written
    /// (external ones, and any that did not resolve).
    pub(crate) fn href(&self, target: &LinkTarget, from: PageRef) -> Option<String> {
        match self.site.resolve(target, from).ok()? {
            Resolved::Page(page, anchor)
                if page == from && matches!(target, LinkTarget::SamePage { .. }) =>
            {
                anchor.map(|a| format!("#{}", encode_fragment(&a)))
            }
            Resolved::Page(page, anchor) => {
                let mut url = self.url(page).to_string();
                if let Some(anchor) = anchor {
                    url.push('#');
                    url.push_str(&encode_fragment(&anchor));
                }
                Some(url)
            }
            Resolved::Asset(path) => Some(encode_path(&path)),
        }
    }

    /// A `see:` target as a link titled "page › section".
    pub(crate) fn link_view(&self, target: &LinkTarget, from: PageRef) -> Option<LinkView> {
        let url = self.href(target, from)?;
        let Ok(Resolved::Page(page, anchor)) = self.site.resolve(target, from) else {
            return None;
        };
        let mut title = self.page_title(page).to_string();
        if let Some(anchor) = anchor {
            let section = match page {
                PageRef::Chapter(i) => self.handbook.chapters[i]
                    .headings
                    .iter()
                    .find(|h| h.anchor == anchor)
                    .map(|h| h.text.as_str()),
                PageRef::Table(i) => self.handbook.tables[i]
                    .entries
                    .iter()
                    .find(|e| e.id.value == anchor)
                    .map(|e| e.label()),
            };
            if let Some(section) = section {
                title.push_str(" › ");
                title.push_str(section);
            }
        }
        Some(LinkView {
            title,
            url,
            summary: None,
            current: false,
        })
    }
}

/// Percent-encodes what would break a relative URL path (spaces, `#`, `?`, `%`);
/// other characters, Chinese included, stay readable.
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '%' => out.push_str("%25"),
            '"' => out.push_str("%22"),
            c => out.push(c),
        }
    }
    out
}

fn encode_fragment(anchor: &str) -> String {
    encode_path(anchor)
}

#[cfg(test)]
mod tests {
    use super::encode_path;

    #[test]
    fn paths_keep_chinese_and_escape_breakers() {
        assert_eq!(
            encode_path("图片/退货 流程#1.png"),
            "图片/退货%20流程%231.png"
        );
    }
}
