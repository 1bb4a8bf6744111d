//! Renaming a heading's anchor or a table entry's id, and every link, embed and
//! `see:` that names it, in one workspace edit.
//!
//! An entry's id is replaced where it is written. A heading's anchor is its text's
//! slug unless the heading sets one (`## 诚恳道歉 {#apology}`): renaming replaces
//! the one set, or sets one, leaving the heading's text as it is.

use std::collections::HashMap;
use std::ops::Range;

use lsp_types::{PrepareRenameResponse, TextEdit, Url, WorkspaceEdit};

use super::convert;
use super::locate::{self, Spot, Target};
use super::workspace::Workspace;
use crate::model::PageRef;

/// The anchor at `offset` that can be renamed, and where it is written there.
pub(crate) fn prepare(
    ws: &Workspace,
    page: PageRef,
    offset: usize,
) -> Result<PrepareRenameResponse, String> {
    let (target, span) = renamable(ws, page, offset)?;
    let file = ws.source(page);
    let anchor = target.anchor.unwrap_or_default();
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(file, &span),
        placeholder: anchor,
    })
}

/// What can be renamed at `offset`: a heading or entry id there, or the anchor
/// part of a link to one; with the span of the name under the cursor.
fn renamable(
    ws: &Workspace,
    page: PageRef,
    offset: usize,
) -> Result<(Target, Range<usize>), String> {
    let refuse = || {
        "only a heading's anchor or an entry id can be renamed: put the cursor on a heading, an entry's id, or the part after `#` of a link".to_string()
    };
    match locate::spot_at(ws, page, offset) {
        Spot::Definition { span, target } => Ok((target, span)),
        Spot::Reference { span, target } => {
            if target.anchor.is_none() {
                return Err(refuse());
            }
            let at = anchor_part(&ws.source(page).text, &span);
            Ok((target, at))
        }
        Spot::Page(_) => Err(refuse()),
    }
}

/// Where a reference names its anchor: after the `#` of a link (a `see:` in
/// quotes without them), or the whole of an embed's entry line.
fn anchor_part(text: &str, span: &Range<usize>) -> Range<usize> {
    let Some(written) = text.get(span.clone()) else {
        return span.clone();
    };
    let quotes = ['"', '\''];
    let end = span.start + written.trim_end_matches(quotes).len();
    let start = match written.rfind('#') {
        Some(i) => span.start + i + 1,
        None => span.start + (written.len() - written.trim_start_matches(quotes).len()),
    };
    start.min(end)..end
}

/// The edits that rename what stands at `offset` to `new_name`.
pub(crate) fn rename(
    ws: &Workspace,
    page: PageRef,
    offset: usize,
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    let (target, _) = renamable(ws, page, offset)?;
    let new_name = new_name.trim();
    check_name(ws, &target, new_name)?;
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    let mut edit = |page: PageRef, span: Range<usize>, text: String| {
        let file = ws.source(page);
        if let Some(uri) = ws.uri(&file.path) {
            changes.entry(uri).or_default().push(TextEdit {
                range: convert::range(file, &span),
                new_text: text,
            });
        }
    };
    let (span, text) = definition_edit(ws, &target, new_name)?;
    edit(target.page, span, text);
    for (from, span) in locate::references_to(ws, &target) {
        let at = anchor_part(&ws.source(from).text, &span);
        edit(from, at, new_name.to_string());
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// A new anchor must be one a link can name, and not taken on its page.
fn check_name(ws: &Workspace, target: &Target, new_name: &str) -> Result<(), String> {
    let bad = |c: char| c.is_whitespace() || "#?%\"'<>&/\\{}".contains(c);
    if new_name.is_empty() || new_name.contains(bad) {
        return Err(format!(
            "`{new_name}` cannot be an anchor: it must not be empty nor hold spaces or any of # ? % \" ' < > & / \\ {{ }}"
        ));
    }
    let taken = match target.page {
        PageRef::Chapter(i) => ws.checked.handbook.chapters[i]
            .headings
            .iter()
            .any(|h| h.anchor == new_name),
        PageRef::Table(i) => ws.checked.handbook.tables[i]
            .entries
            .iter()
            .any(|e| e.id.value == new_name),
    };
    if taken && target.anchor.as_deref() != Some(new_name) {
        return Err(format!("`#{new_name}` is already taken on that page"));
    }
    Ok(())
}

/// The edit where the anchor is defined: the entry's id, or the heading's
/// `{#anchor}` (set at the end of the heading's first line if it has none).
fn definition_edit(
    ws: &Workspace,
    target: &Target,
    new_name: &str,
) -> Result<(Range<usize>, String), String> {
    let anchor = target.anchor.as_deref().unwrap_or_default();
    match target.page {
        PageRef::Table(i) => {
            let entry = ws.checked.handbook.tables[i]
                .entries
                .iter()
                .find(|e| e.id.value == anchor)
                .ok_or_else(|| format!("no entry `{anchor}`"))?;
            let text = &ws.source(target.page).text;
            // The span may hold the quotes of a quoted id.
            let span = entry.id.span.clone();
            let written = text.get(span.clone()).unwrap_or_default();
            let at = written.find(anchor).map_or(span.clone(), |i| {
                span.start + i..span.start + i + anchor.len()
            });
            Ok((at, new_name.to_string()))
        }
        PageRef::Chapter(i) => {
            let heading = locate::headings(ws, i)
                .into_iter()
                .find(|h| h.anchor == anchor)
                .ok_or_else(|| format!("no heading `#{anchor}`"))?;
            if let Some(explicit) = heading.explicit {
                return Ok((explicit, new_name.to_string()));
            }
            let text = &ws.source(target.page).text;
            let first_line = text.get(heading.span.clone()).unwrap_or_default();
            let line_end = first_line.find('\n').unwrap_or(first_line.len());
            let line = first_line[..line_end].trim_end();
            // `## 标题 ##`: the closing marks stay last.
            let closing = line.trim_end_matches('#');
            let end =
                if closing.len() < line.len() && closing.ends_with(' ') && closing.starts_with('#')
                {
                    closing.trim_end().len()
                } else {
                    line.len()
                };
            let at = heading.span.start + end;
            Ok((at..at, format!(" {{#{new_name}}}")))
        }
    }
}
