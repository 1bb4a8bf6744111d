//! Phrase tables as template data: one view per table, built once per build and
//! shared by the table's page and every chapter that embeds it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::LinkView;
use super::dialogue_html::dialogue_html;
use super::links::Links;
use crate::model::{EntryBody, Handbook, PageRef, Table};

#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct TableView {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) kind: &'static str,
    pub(crate) kind_label: String,
    pub(crate) description: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) url: String,
    pub(crate) entry_count: usize,
    pub(crate) entries: Vec<EntryView>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct EntryView {
    pub(crate) id: String,
    /// The entry on its table's page.
    pub(crate) url: String,
    /// What a reader sees as the entry's title: situation, step title or tactic name.
    pub(crate) label: String,
    pub(crate) say: Vec<String>,
    /// The quick-reply code of each `say` line, in order.
    pub(crate) codes: Vec<String>,
    pub(crate) avoid: Vec<String>,
    pub(crate) why: Option<String>,
    pub(crate) goal: Option<String>,
    pub(crate) r#do: Vec<String>,
    pub(crate) when: Option<String>,
    pub(crate) how: Option<String>,
    pub(crate) example_html: String,
    pub(crate) risk: Option<String>,
    pub(crate) see: Vec<LinkView>,
}

pub(crate) fn table_view(
    handbook: &Handbook,
    index: usize,
    links: &Links,
    strings: &BTreeMap<String, String>,
) -> TableView {
    let table: &Table = &handbook.tables[index];
    let url = links.page_url(PageRef::Table(index));
    let speakers = &handbook.config.dialogue;
    let entries = table
        .entries
        .iter()
        .map(|entry| {
            let lines = |list: &[crate::yaml::Spanned<String>]| {
                list.iter().map(|s| s.value.clone()).collect::<Vec<_>>()
            };
            let mut view = EntryView {
                id: entry.id.value.clone(),
                url: format!("{url}#{}", entry.id.value),
                label: entry.label().to_string(),
                say: lines(entry.say()),
                codes: entry.codes.clone(),
                avoid: lines(entry.avoid()),
                why: None,
                goal: None,
                r#do: Vec::new(),
                when: None,
                how: None,
                example_html: String::new(),
                risk: None,
                see: entry
                    .see
                    .iter()
                    .filter_map(|link| links.link_view(&link.target, PageRef::Table(index)))
                    .collect(),
            };
            match &entry.body {
                EntryBody::Script { why, .. } => view.why = why.clone(),
                EntryBody::Steps { goal, r#do, .. } => {
                    view.goal = goal.clone();
                    view.r#do = r#do.clone();
                }
                EntryBody::Tactic {
                    when,
                    how,
                    example,
                    risk,
                    ..
                } => {
                    view.when = when.clone();
                    view.how = Some(how.clone());
                    if !example.is_empty() {
                        view.example_html =
                            dialogue_html(example, speakers, handbook.config.raw_html);
                    }
                    view.risk = risk.clone();
                }
            }
            view
        })
        .collect::<Vec<_>>();
    let kind = table.kind.name();
    TableView {
        id: table.id.value.clone(),
        title: table.title.clone(),
        kind,
        kind_label: strings
            .get(&format!("kind_{kind}"))
            .cloned()
            .unwrap_or_default(),
        description: table.description.clone(),
        tags: table.tags.clone(),
        url,
        entry_count: entries.len(),
        entries,
    }
}

/// The view as the print version shows it: links to pages become links to their
/// sections of the print version (`page.html#anchor` -> `#print-page--anchor`, or
/// `volume.html#print-page--anchor` where the book is printed in volumes).
pub(crate) fn for_print(view: &TableView, links: &Links) -> TableView {
    let mut view = view.clone();
    for entry in &mut view.entries {
        entry.url = print_url(&entry.url, links);
        for link in &mut entry.see {
            link.url = print_url(&link.url, links);
        }
    }
    view
}

fn print_url(url: &str, links: &Links) -> String {
    let (page, anchor) = url.split_once('#').unwrap_or((url, ""));
    let Some(id) = page.strip_suffix(".html") else {
        return url.to_string();
    };
    match links.site.ids.get(id) {
        Some(&target) => links.print_href(target, anchor),
        None => format!("#{}", super::chapter_html::print_anchor(id, anchor)),
    }
}
