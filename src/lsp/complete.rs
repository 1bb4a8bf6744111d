//! Completion, from what is written before the cursor on its line:
//!
//! - after `@`, the ids of chapters and tables (with their titles); after
//!   `@id#`, that page's anchors or that table's entry ids (with their headings
//!   or situations) — in chapters and in a table's `see:` alike;
//! - in a Markdown link's destination (`](`), the relative paths of the other
//!   chapters and tables, and after `file.md#` or `#` their anchors;
//! - inside a ```` ```phrases TABLE ```` block, that table's entry ids; on its
//!   first line, the table ids;
//! - at the start of a line in a ```` ```dialogue ```` block, the speakers;
//! - in a phrase table's YAML, its keys (the table's, or an entry's for the
//!   table's kind) and the values of `kind`; in handbook.yaml, its keys.
//!
//! At most [`LIMIT`] items go back; the list then says it is incomplete, so the
//! editor asks again as more is typed.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, TextEdit};

use super::convert;
use super::workspace::Workspace;
use crate::diag::SourceFile;
use crate::load::{entry_keys, CONFIG_KEYS, TABLE_KEYS};
use crate::model::{PageRef, TableKind};
use crate::text::links;

const LIMIT: usize = 500;

/// The items to offer at byte `offset` of the file `rel` (relative to `content/`)
/// whose text is `text`.
pub(crate) fn complete(ws: &Workspace, rel: &str, text: &str, offset: usize) -> CompletionList {
    let offset = floor_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let file = SourceFile::new(rel.to_string(), text.into());
    let mut out = Items {
        file: &file,
        end: offset,
        list: Vec::new(),
        incomplete: false,
    };
    let lower = rel.to_ascii_lowercase();
    let is_yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    if is_chapter_text(&lower) {
        match fence_at(text, line_start) {
            Some(Fence::Phrases(table)) => entry_ids(ws, &mut out, &table, before, offset),
            Some(Fence::Dialogue) => speakers(ws, &mut out, text, before, offset),
            Some(Fence::Other) => {}
            None => in_prose(ws, &mut out, rel, before, offset),
        }
    } else if is_yaml {
        if let Some(token) = at_token(before) {
            at_targets(ws, &mut out, token, offset);
        } else if rel.rsplit('/').next() == Some("handbook.yaml") {
            keys(&mut out, CONFIG_KEYS, before, offset, true);
        } else if !rel.rsplit('/').next().unwrap_or("").starts_with('_') {
            in_table(&mut out, text, before, offset);
        }
    }
    CompletionList {
        is_incomplete: out.incomplete,
        items: out.list,
    }
}

fn is_chapter_text(lower: &str) -> bool {
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The items gathered, each replacing what was typed from its start to `end`.
struct Items<'a> {
    file: &'a SourceFile,
    end: usize,
    list: Vec<CompletionItem>,
    incomplete: bool,
}

impl Items<'_> {
    fn push(
        &mut self,
        start: usize,
        label: &str,
        insert: &str,
        detail: Option<String>,
        kind: CompletionItemKind,
    ) {
        if self.list.len() >= LIMIT {
            self.incomplete = true;
            return;
        }
        self.list.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            filter_text: Some(label.to_string()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: convert::range(self.file, &(start..self.end)),
                new_text: insert.to_string(),
            })),
            ..CompletionItem::default()
        });
    }
}

/// The code block a line is in, if it is in one.
enum Fence {
    Phrases(String),
    Dialogue,
    Other,
}

/// The fenced block the line starting at `line_start` is inside (not its opening
/// line), found by following the fences from the top.
fn fence_at(text: &str, line_start: usize) -> Option<Fence> {
    let mut fences = Fences::default();
    for line in text[..line_start].lines() {
        fences.line(line);
    }
    fences.open.map(|(_, fence)| fence)
}

/// Follows fenced code blocks line by line.
#[derive(Default)]
struct Fences {
    /// The open block's marker (```` ``` ```` or `~~~`, or longer) and kind.
    open: Option<(String, Fence)>,
}

impl Fences {
    /// Takes in one line; true if it opened or closed a block.
    fn line(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        let first = trimmed.chars().next().unwrap_or(' ');
        if first != '`' && first != '~' {
            return false;
        }
        let marker: String = trimmed.chars().take_while(|&c| c == first).collect();
        if marker.len() < 3 {
            return false;
        }
        let rest = trimmed[marker.len()..].trim();
        match &self.open {
            Some((opened, _)) if marker.starts_with(opened.as_str()) && rest.is_empty() => {
                self.open = None;
                true
            }
            Some(_) => false,
            None => {
                let mut words = rest.split_whitespace();
                let fence = match words.next() {
                    Some("phrases") => Fence::Phrases(words.next().unwrap_or("").to_string()),
                    Some("dialogue") => Fence::Dialogue,
                    _ => Fence::Other,
                };
                self.open = Some((marker, fence));
                true
            }
        }
    }

    fn in_dialogue(&self) -> bool {
        matches!(self.open, Some((_, Fence::Dialogue)))
    }
}

/// Chapter prose: `@` targets, a link's destination, or the table of a
/// ```` ```phrases ```` line being written.
fn in_prose(ws: &Workspace, out: &mut Items, rel: &str, before: &str, offset: usize) {
    let trimmed = before.trim_start();
    if let Some(rest) = trimmed
        .strip_prefix("```phrases ")
        .or_else(|| trimmed.strip_prefix("~~~phrases "))
    {
        let typed = rest.trim_start();
        let start = offset - typed.len();
        for table in &ws.checked.handbook.tables {
            if table.id.value.starts_with(typed) {
                out.push(
                    start,
                    &table.id.value,
                    &table.id.value,
                    Some(table.title.clone()),
                    CompletionItemKind::CLASS,
                );
            }
        }
        return;
    }
    if let Some(token) = at_token(before) {
        at_targets(ws, out, token, offset);
        return;
    }
    if let Some(dest) = before.rfind("](").map(|i| &before[i + 2..]) {
        if !dest.contains([')', ' ']) {
            destination(ws, out, rel, dest, offset);
        }
    }
}

/// What follows the last `@` before the cursor, if the cursor is in an `@` link.
fn at_token(before: &str) -> Option<&str> {
    let at = before.rfind('@')?;
    let token = &before[at + 1..];
    let ends = |c: char| c.is_whitespace() || "()[]<>\"'`,，;；".contains(c);
    if token.contains(ends) {
        return None;
    }
    // Not an e-mail address: the `@` starts a word.
    let prev = before[..at].chars().next_back();
    if prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    Some(token)
}

/// After `@`: ids; after `@id#`: that page's anchors.
fn at_targets(ws: &Workspace, out: &mut Items, token: &str, offset: usize) {
    match token.split_once('#') {
        Some((id, typed)) => {
            // Ids and anchors may be written percent-encoded, as links are read.
            if let Some(&page) = ws.checked.site.ids.get(links::percent_decode(id).as_str()) {
                anchors(ws, out, page, typed, offset);
            }
        }
        None => {
            let start = offset - token.len();
            let handbook = &ws.checked.handbook;
            let mut pages: Vec<(&str, &str, CompletionItemKind)> = handbook
                .chapters
                .iter()
                .map(|c| {
                    (
                        c.id.value.as_str(),
                        c.title.as_str(),
                        CompletionItemKind::FILE,
                    )
                })
                .chain(handbook.tables.iter().map(|t| {
                    (
                        t.id.value.as_str(),
                        t.title.as_str(),
                        CompletionItemKind::CLASS,
                    )
                }))
                .filter(|(id, title, _)| matches(id, token) || title.contains(token))
                .collect();
            pages.sort_by_key(|(id, _, _)| (!id.starts_with(token), *id));
            for (id, title, kind) in pages {
                out.push(start, id, id, Some(title.to_string()), kind);
            }
        }
    }
}

/// Typed text matches a candidate when the candidate starts with it or holds it.
fn matches(candidate: &str, typed: &str) -> bool {
    typed.is_empty() || candidate.contains(typed)
}

/// A page's anchors: a chapter's headings, a table's entries. What is typed after
/// `#` is matched as a link reads it, percent-decoded; the offered anchor replaces
/// it as typed.
fn anchors(ws: &Workspace, out: &mut Items, page: PageRef, typed: &str, offset: usize) {
    let start = offset - typed.len();
    let decoded = links::percent_decode(typed);
    let typed = decoded.as_str();
    let handbook = &ws.checked.handbook;
    match page {
        PageRef::Chapter(i) => {
            for h in &handbook.chapters[i].headings {
                if matches(&h.anchor, typed) || h.text.contains(typed) {
                    out.push(
                        start,
                        &h.anchor,
                        &h.anchor,
                        Some(h.text.clone()),
                        CompletionItemKind::REFERENCE,
                    );
                }
            }
        }
        PageRef::Table(i) => {
            for e in &handbook.tables[i].entries {
                if matches(&e.id.value, typed) || e.label().contains(typed) {
                    out.push(
                        start,
                        &e.id.value,
                        &e.id.value,
                        Some(e.label().to_string()),
                        CompletionItemKind::FIELD,
                    );
                }
            }
        }
    }
}

/// A Markdown link's destination: relative paths of pages, or anchors after `#`.
fn destination(ws: &Workspace, out: &mut Items, rel: &str, dest: &str, offset: usize) {
    let dir = links::parent_dir(rel);
    if let Some((path, typed)) = dest.split_once('#') {
        let page = if path.is_empty() {
            ws.page(rel)
        } else {
            ws.checked
                .site
                .page_at_source(&links::normalize(dir, &links::percent_decode(path)))
        };
        if let Some(page) = page {
            anchors(ws, out, page, typed, offset);
        }
        return;
    }
    if dest.contains(':') {
        return; // a URL
    }
    let start = offset - dest.len();
    let handbook = &ws.checked.handbook;
    let pages = handbook
        .chapters
        .iter()
        .map(|c| (&c.rel_path, &c.title, CompletionItemKind::FILE))
        .chain(
            handbook
                .tables
                .iter()
                .map(|t| (&t.rel_path, &t.title, CompletionItemKind::CLASS)),
        );
    for (path, title, kind) in pages {
        if path == rel {
            continue;
        }
        let relative = relative_path(dir, path);
        if matches(&relative, dest) {
            out.push(start, &relative, &relative, Some(title.clone()), kind);
        }
    }
}

/// `to` (relative to `content/`) as a link written in folder `dir` reaches it.
fn relative_path(dir: &str, to: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// Inside a ```` ```phrases TABLE ```` block: the table's entry ids.
fn entry_ids(ws: &Workspace, out: &mut Items, table: &str, before: &str, offset: usize) {
    let typed = before.trim_start();
    if typed.contains(char::is_whitespace) {
        return;
    }
    if let Some(&page @ PageRef::Table(_)) = ws.checked.site.ids.get(table) {
        anchors(ws, out, page, typed, offset);
    }
}

/// At the start of a dialogue line: the speakers handbook.yaml places, and those
/// already speaking in this chapter.
fn speakers(ws: &Workspace, out: &mut Items, text: &str, before: &str, offset: usize) {
    let typed = before.trim_start();
    if typed.contains([':', '：']) {
        return;
    }
    let dialogue = &ws.checked.handbook.config.dialogue;
    let mut names: Vec<String> = dialogue
        .staff
        .iter()
        .chain(&dialogue.customer)
        .cloned()
        .collect();
    let mut fences = Fences::default();
    for line in text.lines() {
        if fences.line(line) || !fences.in_dialogue() {
            continue;
        }
        let Some((name, _)) = line.split_once(['：', ':']) else {
            continue;
        };
        let name = name.trim();
        let plausible = !name.is_empty() && name.chars().count() <= 12 && !name.contains('`');
        if plausible && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    let start = offset - typed.len();
    for name in names {
        if matches(&name, typed) {
            out.push(
                start,
                &name,
                &format!("{name}："),
                None,
                CompletionItemKind::VALUE,
            );
        }
    }
}

/// In a phrase table: the value of `kind`, or a key.
fn in_table(out: &mut Items, text: &str, before: &str, offset: usize) {
    if let Some(rest) = before.strip_prefix("kind:") {
        let typed = rest.trim_start();
        let start = offset - typed.len();
        for kind in [TableKind::Script, TableKind::Steps, TableKind::Tactics] {
            if kind.name().starts_with(typed) {
                out.push(
                    start,
                    kind.name(),
                    kind.name(),
                    None,
                    CompletionItemKind::ENUM_MEMBER,
                );
            }
        }
        return;
    }
    let top = !before.starts_with([' ', '\t', '-']);
    if top {
        keys(out, TABLE_KEYS, before, offset, true);
        return;
    }
    let kind = text.lines().find_map(|line| {
        let value = line.strip_prefix("kind:")?.trim();
        [TableKind::Script, TableKind::Steps, TableKind::Tactics]
            .into_iter()
            .find(|k| k.name() == value.trim_matches(['"', '\'']))
    });
    keys(
        out,
        entry_keys(kind.unwrap_or(TableKind::Script)),
        before,
        offset,
        false,
    );
}

/// A mapping's keys, when the line so far is only (indentation, `- ` and) a key
/// being typed.
fn keys(out: &mut Items, keys: &[&str], before: &str, offset: usize, top: bool) {
    let rest = before.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix("- ").unwrap_or(rest);
    if top && before.len() != rest.len() {
        return;
    }
    if !rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return;
    }
    let start = offset - rest.len();
    for key in keys {
        if key.starts_with(rest) {
            out.push(
                start,
                key,
                &format!("{key}: "),
                None,
                CompletionItemKind::PROPERTY,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_and_descend() {
        assert_eq!(relative_path("", "a/b.md"), "a/b.md");
        assert_eq!(relative_path("a", "a/b.md"), "b.md");
        assert_eq!(relative_path("a/x", "b/c.md"), "../../b/c.md");
    }

    #[test]
    fn at_tokens_skip_email_addresses() {
        assert_eq!(at_token("见 @compl"), Some("compl"));
        assert_eq!(at_token("[x](@a#b"), Some("a#b"));
        assert_eq!(at_token("kefu@shop"), None);
        assert_eq!(at_token("@a b"), None);
    }

    #[test]
    fn fences_are_followed_from_the_top() {
        let text = "# T\n\n```phrases greet\nhel";
        let line_start = text.rfind('\n').unwrap() + 1;
        assert!(matches!(fence_at(text, line_start), Some(Fence::Phrases(t)) if t == "greet"));
        let closed = "```dialogue\n客服：好\n```\n";
        assert!(fence_at(closed, closed.len()).is_none());
    }
}
