//! Go to definition, find references, hover and the outline of a file.

use lsp_types::{
    DocumentSymbol, Hover, HoverContents, Location, MarkupContent, MarkupKind, SymbolKind,
};

use super::convert;
use super::locate::{self, Spot, Target};
use super::workspace::Workspace;
use crate::model::{EntryBody, PageRef, Table};

/// Where a target is: its file and the heading or entry in it.
pub(crate) fn location(ws: &Workspace, target: &Target) -> Option<Location> {
    let file = ws.source(target.page);
    let span = locate::definition_span(ws, target);
    Some(Location {
        uri: ws.uri(&file.path)?,
        range: convert::range(file, &span),
    })
}

/// The definition of what a link, embed or `see:` at `offset` points at.
pub(crate) fn definition(ws: &Workspace, page: PageRef, offset: usize) -> Option<Location> {
    match locate::spot_at(ws, page, offset) {
        Spot::Reference { target, .. } => location(ws, &target),
        _ => None,
    }
}

/// Every link and embed that points at what stands at `offset`: the heading or
/// entry there, what a link there points at, or else the page itself.
pub(crate) fn references(
    ws: &Workspace,
    page: PageRef,
    offset: usize,
    with_declaration: bool,
) -> Vec<Location> {
    let target = locate::spot_at(ws, page, offset).target();
    let mut found: Vec<Location> = Vec::new();
    if with_declaration && target.anchor.is_some() {
        found.extend(location(ws, &target));
    }
    for (from, span) in locate::references_to(ws, &target) {
        let file = ws.source(from);
        if let Some(uri) = ws.uri(&file.path) {
            found.push(Location {
                uri,
                range: convert::range(file, &span),
            });
        }
    }
    found
}

/// What a link at `offset` points at, in a few lines: a script entry's
/// situation, say and avoid lines; a chapter's title and summary. The same for a
/// heading or an entry's id itself.
pub(crate) fn hover(ws: &Workspace, page: PageRef, offset: usize) -> Option<Hover> {
    let (span, target) = match locate::spot_at(ws, page, offset) {
        Spot::Reference { span, target } | Spot::Definition { span, target } => (span, target),
        Spot::Page(_) => return None,
    };
    let text = describe(ws, &target);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(convert::range(ws.source(page), &span)),
    })
}

/// A target described in Markdown.
pub(crate) fn describe(ws: &Workspace, target: &Target) -> String {
    let handbook = &ws.checked.handbook;
    let mut out = String::new();
    match (target.page, &target.anchor) {
        (PageRef::Chapter(i), anchor) => {
            let chapter = &handbook.chapters[i];
            out.push_str(&format!(
                "**{}** (`@{}`)\n",
                chapter.title, chapter.id.value
            ));
            if let Some(summary) = &chapter.summary {
                out.push_str(&format!("\n{summary}\n"));
            }
            if let Some(anchor) = anchor {
                if let Some(h) = chapter.headings.iter().find(|h| &h.anchor == anchor) {
                    out.push_str(&format!("\n§ {}\n", h.text));
                }
            }
        }
        (PageRef::Table(i), None) => {
            let table = &handbook.tables[i];
            out.push_str(&format!(
                "**{}** (`@{}`, {} table, {} entries)\n",
                table.title,
                table.id.value,
                table.kind.name(),
                table.entries.len()
            ));
            if let Some(description) = &table.description {
                out.push_str(&format!("\n{description}\n"));
            }
        }
        (PageRef::Table(i), Some(anchor)) => describe_entry(&mut out, &handbook.tables[i], anchor),
    }
    out
}

/// A table's entry: its heading, then what it says to do, say and avoid.
fn describe_entry(out: &mut String, table: &Table, anchor: &str) {
    let Some(entry) = table.entries.iter().find(|e| e.id.value == anchor) else {
        return;
    };
    out.push_str(&format!(
        "**{}** (`@{}#{}`)\n",
        entry.label(),
        table.id.value,
        anchor
    ));
    match &entry.body {
        EntryBody::Script { why, .. } => {
            if let Some(why) = why {
                out.push_str(&format!("\n{why}\n"));
            }
        }
        EntryBody::Steps { goal, r#do, .. } => {
            if let Some(goal) = goal {
                out.push_str(&format!("\n{goal}\n"));
            }
            for (n, step) in r#do.iter().enumerate() {
                out.push_str(&format!("\n{}. {step}", n + 1));
            }
            out.push('\n');
        }
        EntryBody::Tactic { when, how, .. } => {
            if let Some(when) = when {
                out.push_str(&format!("\n{when}\n"));
            }
            out.push_str(&format!("\n{how}\n"));
        }
    }
    if !entry.say().is_empty() {
        out.push_str("\nsay:\n");
        for line in entry.say() {
            out.push_str(&format!("- ✓ {}\n", line.value));
        }
    }
    if !entry.avoid().is_empty() {
        out.push_str("\navoid:\n");
        for line in entry.avoid() {
            out.push_str(&format!("- ✗ {}\n", line.value));
        }
    }
}

/// The outline of a page's file: a chapter's headings, nested by level; a
/// table's entries.
pub(crate) fn symbols(ws: &Workspace, page: PageRef) -> Vec<DocumentSymbol> {
    let file = ws.source(page);
    match page {
        PageRef::Chapter(i) => {
            let flat = locate::headings(ws, i).into_iter().map(|h| {
                let range = convert::range(file, &h.span);
                (
                    h.level,
                    symbol(h.text, Some(h.anchor), SymbolKind::STRING, range),
                )
            });
            nest(flat.collect())
        }
        PageRef::Table(i) => ws.checked.handbook.tables[i]
            .entries
            .iter()
            .map(|e| {
                let range = convert::range(file, &e.id.span);
                let detail = Some(e.label().to_string());
                symbol(e.id.value.clone(), detail, SymbolKind::FIELD, range)
            })
            .collect(),
    }
}

#[allow(deprecated)] // `deprecated` is a field the type still has
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: lsp_types::Range,
) -> DocumentSymbol {
    DocumentSymbol {
        // An empty name is refused by some editors.
        name: if name.is_empty() { "…".into() } else { name },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children: None,
    }
}

/// Headings in order, nested: each under the last heading of a lower level.
fn nest(flat: Vec<(u8, DocumentSymbol)>) -> Vec<DocumentSymbol> {
    let mut roots: Vec<DocumentSymbol> = Vec::new();
    // The open path: levels and symbols not yet placed in their parents.
    let mut stack: Vec<(u8, DocumentSymbol)> = Vec::new();
    let close = |stack: &mut Vec<(u8, DocumentSymbol)>, roots: &mut Vec<DocumentSymbol>| {
        let (_, done) = stack.pop().expect("closing an open heading");
        match stack.last_mut() {
            Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(done),
            None => roots.push(done),
        }
    };
    for (level, symbol) in flat {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            close(&mut stack, &mut roots);
        }
        stack.push((level, symbol));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}
