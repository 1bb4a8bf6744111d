//! What the search index knows of each page: a document per section.

use super::chapter_html::SectionText;
use super::links::Links;
use crate::model::{EntryBody, PageRef};
use crate::search::SearchDoc;

/// A chapter's sections as search documents. The opening section stays even when
/// empty: it carries the page title.
pub(crate) fn chapter_docs(
    links: &Links,
    index: usize,
    sections: Vec<SectionText>,
) -> Vec<SearchDoc> {
    let page = PageRef::Chapter(index);
    let url = links.url(page);
    let title = links.page_title(page);
    let mut docs = Vec::with_capacity(sections.len());
    for (i, section) in sections.into_iter().enumerate() {
        if i > 0 && section.text.trim().is_empty() && section.heading.trim().is_empty() {
            continue;
        }
        let url = match &section.anchor {
            Some(anchor) => format!("{url}#{anchor}"),
            None => url.to_string(),
        };
        let mut text = section.text;
        if i == 0 {
            if let Some(summary) = links.page_summary(page) {
                text.insert_str(0, &format!("{summary}\n"));
            }
        }
        docs.push(SearchDoc {
            url,
            page_title: title.to_string(),
            heading: section.heading.trim().to_string(),
            text: text.trim().to_string(),
            first_of_page: i == 0,
        });
    }
    docs
}

/// A table's page as a document (its description), then one per entry.
pub(crate) fn table_docs(links: &Links, index: usize) -> Vec<SearchDoc> {
    let page = PageRef::Table(index);
    let table = &links.handbook.tables[index];
    let url = links.url(page);
    let mut docs = vec![SearchDoc {
        url: url.to_string(),
        page_title: table.title.clone(),
        heading: String::new(),
        text: table.description.clone().unwrap_or_default(),
        first_of_page: true,
    }];
    for entry in &table.entries {
        let mut lines: Vec<&str> = Vec::new();
        lines.extend(entry.say().iter().map(|s| s.value.as_str()));
        match &entry.body {
            EntryBody::Script { why, .. } => lines.extend(why.as_deref()),
            EntryBody::Steps { goal, r#do, .. } => {
                lines.extend(goal.as_deref());
                lines.extend(r#do.iter().map(String::as_str));
            }
            EntryBody::Tactic {
                when,
                how,
                example,
                risk,
                ..
            } => {
                lines.extend(when.as_deref());
                lines.push(how);
                lines.extend(example.iter().map(|l| l.text.as_str()));
                lines.extend(risk.as_deref());
            }
        }
        // Lines never to say are searchable too: staff look them up to learn why.
        lines.extend(entry.avoid().iter().map(|s| s.value.as_str()));
        docs.push(SearchDoc {
            url: format!("{url}#{}", entry.id.value),
            page_title: table.title.clone(),
            heading: entry.label().to_string(),
            text: lines.join("\n"),
            first_of_page: false,
        });
    }
    docs
}
