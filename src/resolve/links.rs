//! Link checking: every link, embed and `see:` of the handbook against the site's
//! ids and anchors, with a "did you mean" for each that does not resolve, and the
//! backlinks this gives each page. Watch mode checks one edited page again with
//! [`check_page_links`] and updates the backlinks with [`Site::relink`].

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use super::{every_page, Resolved, Site, Unresolved};
use crate::diag::{tr, Code, Diagnostic, Diagnostics, FileId, Lang, Text};
use crate::model::{Embed, Handbook, Link, LinkTarget, PageRef, Table};
use crate::text::links;
use crate::text::suggest::closest;
use crate::yaml::Spanned;

/// Every link, embed and `see:` of the handbook, checked against the site's ids and
/// anchors; the site's backlinks are worked out on the way.
pub(crate) fn check_links(handbook: &Handbook, site: &mut Site, diagnostics: &mut Diagnostics) {
    let mut backlinks: HashMap<PageRef, BTreeSet<PageRef>> = HashMap::default();
    let pages = every_page(handbook);
    // Each page on its own, in parallel; gathered in page order, so the
    // diagnostics come in the same order every time.
    let checked: Vec<(BTreeSet<PageRef>, Diagnostics)> = pages
        .par_iter()
        .with_max_len(1)
        .map(|&from| {
            let mut found = Diagnostics::new();
            let targets = check_page_links(handbook, site, from, &mut found);
            (targets, found)
        })
        .collect();
    for (&from, (targets, found)) in pages.iter().zip(checked) {
        diagnostics.extend(found);
        for target in targets {
            backlinks.entry(target).or_default().insert(from);
        }
    }
    let order = &site.position;
    site.backlinks = backlinks
        .into_iter()
        .map(|(page, from)| {
            let mut from: Vec<PageRef> = from.into_iter().filter(|&f| f != page).collect();
            from.sort_by_key(|p| reading_index(order, p));
            (page, from)
        })
        .collect();
}

/// Checks the links, embeds and `see:` written on one page; returns the pages
/// they lead to (the pages this one is a backlink of).
pub(crate) fn check_page_links(
    handbook: &Handbook,
    site: &Site,
    from: PageRef,
    diagnostics: &mut Diagnostics,
) -> BTreeSet<PageRef> {
    let mut targets = BTreeSet::new();
    match from {
        PageRef::Chapter(i) => {
            let chapter = &handbook.chapters[i];
            for link in &chapter.links {
                targets.extend(check_link(
                    handbook,
                    site,
                    link,
                    from,
                    chapter.file,
                    diagnostics,
                ));
            }
            for embed in &chapter.embeds {
                targets.extend(check_embed(
                    handbook,
                    site,
                    embed,
                    chapter.file,
                    diagnostics,
                ));
            }
        }
        PageRef::Table(i) => {
            let table = &handbook.tables[i];
            for link in table.entries.iter().flat_map(|e| &e.see) {
                targets.extend(check_link(
                    handbook,
                    site,
                    link,
                    from,
                    table.file,
                    diagnostics,
                ));
            }
        }
    }
    targets
}

impl Site {
    /// Brings the backlinks up to date after the links on page `from` changed from
    /// leading to `old` to leading to `new`; returns the pages whose list changed.
    pub(crate) fn relink(
        &mut self,
        from: PageRef,
        old: &BTreeSet<PageRef>,
        new: &BTreeSet<PageRef>,
    ) -> Vec<PageRef> {
        let mut changed = Vec::new();
        for &page in old.difference(new).filter(|&&p| p != from) {
            if let Some(list) = self.backlinks.get_mut(&page) {
                list.retain(|&p| p != from);
            }
            changed.push(page);
        }
        let position = &self.position;
        for &page in new.difference(old).filter(|&&p| p != from) {
            let list = self.backlinks.entry(page).or_default();
            let at = reading_index(position, &from);
            let index = list.partition_point(|p| reading_index(position, p) < at);
            list.insert(index, from);
            changed.push(page);
        }
        changed
    }
}

/// Where a page comes in reading order: backlinks are listed in it.
fn reading_index(position: &HashMap<PageRef, (usize, usize)>, page: &PageRef) -> Option<usize> {
    position.get(page).map(|p| p.0)
}

/// The table an embed shows, if it is one; an unknown table or entry is reported.
fn check_embed(
    handbook: &Handbook,
    site: &Site,
    embed: &Embed,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> Option<PageRef> {
    let name = &embed.table;
    match site.ids.get(&name.value) {
        Some(&PageRef::Table(t)) => {
            let table = &handbook.tables[t];
            for wanted in &embed.entries {
                // An entry that is there but could not be read was reported where it is.
                let there = table.unreadable
                    || table.entries.iter().any(|e| e.id.value == wanted.value)
                    || table.unread_entries.contains(&wanted.value);
                if !there {
                    diagnostics.push(missing_entry(table, wanted, file));
                }
            }
            Some(PageRef::Table(t))
        }
        Some(&PageRef::Chapter(_)) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0403,
                    tr!(
                        "`{}` is a chapter, not a phrase table: only tables can be embedded",
                        "`{}` 是章节，不是话术表：只有话术表可以嵌入",
                        name.value
                    ),
                )
                .at(file, name.span.clone()),
            );
            None
        }
        None => {
            let d = Diagnostic::new(
                Code::E0402,
                tr!(
                    "embed of unknown phrase table `{}`",
                    "嵌入的话术表 `{}` 不存在",
                    name.value
                ),
            )
            .at(file, name.span.clone());
            let ids = handbook.tables.iter().map(|t| t.id.value.as_str());
            diagnostics.push(did_you_mean(d, &name.value, ids));
            None
        }
    }
}

/// An embed names an entry its table does not have.
fn missing_entry(table: &Table, wanted: &Spanned<String>, file: FileId) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0404,
        tr!(
            "table `{}` has no entry `{}`",
            "话术表 `{}` 里没有条目 `{}`",
            table.id.value,
            wanted.value
        ),
    )
    .at(file, wanted.span.clone());
    let ids = table.entries.iter().map(|e| e.id.value.as_str());
    did_you_mean(d, &wanted.value, ids)
}

/// `d` with the closest of `known` to `written` as its help, if one is close.
fn did_you_mean<'a>(
    d: Diagnostic,
    written: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    match closest(written, known) {
        Some(best) => d.with_help(crate::yaml::did_you_mean(best)),
        None => d,
    }
}

/// The page a link leads to, if it is one; a link that does not resolve is reported.
fn check_link(
    handbook: &Handbook,
    site: &Site,
    link: &Link,
    from: PageRef,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> Option<PageRef> {
    match site.resolve(&link.target, from) {
        Ok(Resolved::Page(page, _)) => Some(page),
        Ok(Resolved::Asset(_)) => None,
        Err(Unresolved::Unreadable) => None,
        Err(Unresolved::Missing(reason)) => {
            let mut d = Diagnostic::new(
                Code::E0401,
                Text::new(
                    format!("broken link `{}`: {}", link.written, reason.get(Lang::En)),
                    format!("链接 `{}` 无效：{}", link.written, reason.get(Lang::Zh)),
                ),
            )
            .at(file, link.span.clone());
            if let Some(help) = suggestion(handbook, site, &link.target, from) {
                d = d.with_help(help);
            }
            diagnostics.push(d);
            None
        }
    }
}

/// "Did you mean …" for a link that does not resolve: the closest id, source path or
/// anchor, written the way the editor wrote the link.
fn suggestion(
    handbook: &Handbook,
    site: &Site,
    target: &LinkTarget,
    from: PageRef,
) -> Option<Text> {
    let anchor_hint = |page: PageRef, anchor: &str, prefix: &str| {
        let anchors = site.anchors.get(&page)?;
        let mut sorted: Vec<&str> = anchors.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        closest(anchor, sorted).map(|best| crate::yaml::did_you_mean(&format!("{prefix}#{best}")))
    };
    match target {
        LinkTarget::Id { id, anchor } => match site.ids.get(id) {
            Some(&page) => anchor_hint(page, anchor.as_deref()?, &format!("@{id}")),
            None if handbook.drafts.contains(id) => Some(tr!(
                "`{}` is a draft, left out of this build: build with --drafts, or drop the link",
                "`{}` 是草稿，这次构建没有包含它：请加上 --drafts 构建，或者去掉这个链接",
                id
            )),
            None => {
                let mut ids: Vec<&str> = site.ids.keys().map(String::as_str).collect();
                ids.sort_unstable();
                closest(id, ids).map(|best| crate::yaml::did_you_mean(&format!("@{best}")))
            }
        },
        LinkTarget::Source { path, anchor } => match site.by_source.get(path) {
            Some(&page) => {
                let written = site.page_id(handbook, page);
                anchor_hint(page, anchor.as_deref()?, &format!("@{written}"))
            }
            None => {
                let mut paths: Vec<&str> = site.by_source.keys().map(String::as_str).collect();
                paths.sort_unstable();
                let name = path.rsplit('/').next().unwrap_or(path);
                closest(path, paths.iter().copied())
                    .or_else(|| {
                        paths
                            .iter()
                            .copied()
                            .find(|p| p.ends_with(&format!("/{name}")))
                    })
                    .map(|best| {
                        let id = site.page_id(handbook, site.by_source[best]);
                        tr!(
                            "did you mean content/{} (or `@{}`)?",
                            "是不是想写 content/{}（或 `@{}`）？",
                            best,
                            id
                        )
                    })
            }
        },
        LinkTarget::SamePage { anchor } => anchor_hint(from, anchor, ""),
        LinkTarget::Asset { path } => {
            let dir = links::parent_dir(path);
            let mut assets: Vec<&str> = site.assets.iter().map(String::as_str).collect();
            assets.sort_unstable();
            closest(path, assets).map(|best| {
                tr!(
                    "did you mean content/{}? (looked in content/{})",
                    "是不是想写 content/{}？（在 content/{} 里找过）",
                    best,
                    dir
                )
            })
        }
        LinkTarget::External => None,
    }
}
