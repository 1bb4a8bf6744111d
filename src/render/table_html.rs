//! The HTML of each whole table, as on its page, as embedded in a chapter and as
//! printed: made once per build for the tables the pages show, and (in watch mode)
//! kept while the table's view stays the same.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{hash_of, RenderCache};
use super::chapter_html::print_anchor;
use super::context::PhrasesContext;
use super::pages::PageRenderer;
use super::tables::{self, TableView};
use crate::diag::Diagnostic;
use crate::model::PageRef;

/// The tables' HTML for the pages being rendered, by table number.
pub(super) struct TablesHtml {
    /// A hash of each table's view (with the theme and handbook.yaml); 0 for a
    /// table these pages do not show.
    pub(super) view_hashes: Vec<u64>,
    html: Vec<Option<Arc<[String; 3]>>>,
}

impl TablesHtml {
    /// Table `t`'s HTML: on its page, embedded, printed.
    pub(super) fn of(&self, t: usize) -> &Arc<[String; 3]> {
        self.html[t]
            .as_ref()
            .expect("the HTML of every table these pages show was made")
    }
}

impl PageRenderer<'_> {
    /// The HTML of the tables the pages show: all of them, unless `only` some
    /// pages render.
    pub(super) fn tables_html(
        &self,
        only: Option<&[PageRef]>,
        generation: u64,
        cache: &mut RenderCache,
    ) -> Result<TablesHtml, Vec<Diagnostic>> {
        let needed = self.needed_tables(only);
        let made: Vec<(usize, u64, Arc<[String; 3]>)> = needed
            .par_iter()
            .with_max_len(1)
            .map(|&t| self.table_html(t, generation, cache))
            .collect::<Result<_, Diagnostic>>()
            .map_err(|d| vec![d])?;
        let count = self.handbook.tables.len();
        let mut tables = TablesHtml {
            view_hashes: vec![0; count],
            html: vec![None; count],
        };
        for (t, hash, html) in &made {
            tables.view_hashes[*t] = *hash;
            tables.html[*t] = Some(html.clone());
        }
        let made = made.into_iter().map(|(_, hash, html)| (hash, html));
        cache.keep_tables(made, only.is_some());
        Ok(tables)
    }

    /// The tables the pages `only` names show (as pages or embedded); all, for all
    /// pages.
    fn needed_tables(&self, only: Option<&[PageRef]>) -> Vec<usize> {
        let Some(pages) = only else {
            return (0..self.handbook.tables.len()).collect();
        };
        let mut needed = BTreeSet::new();
        for &page in pages {
            match page {
                PageRef::Table(t) => {
                    needed.insert(t);
                }
                PageRef::Chapter(c) => needed.extend(self.embedded_tables(c)),
            }
        }
        needed.into_iter().collect()
    }

    /// The tables chapter `c` embeds.
    fn embedded_tables(&self, c: usize) -> impl Iterator<Item = usize> + '_ {
        let embeds = &self.handbook.chapters[c].embeds;
        embeds
            .iter()
            .filter_map(|embed| match self.site.ids.get(&embed.table.value) {
                Some(&PageRef::Table(t)) => Some(t),
                _ => None,
            })
    }

    /// Table `t`'s view hash and HTML: as made before for the same view, or made.
    fn table_html(
        &self,
        t: usize,
        generation: u64,
        cache: &RenderCache,
    ) -> Result<(usize, u64, Arc<[String; 3]>), Diagnostic> {
        let view = self.table_view(t);
        // The printed view's links name the print volume of each page they lead to.
        let printed = tables::for_print(view, self.links);
        let hash = hash_of((generation, view, &printed));
        if let Some(known) = cache.known_table(hash) {
            return Ok((t, hash, known.clone()));
        }
        let print_prefix = format!("{}--", print_anchor(&view.id, ""));
        let (page, embedded) = self.phrases_html_twice(view)?;
        let html = Arc::new([
            page,
            embedded,
            entry_titles_as_h2(&self.phrases_html(&printed, false, &print_prefix)?),
        ]);
        Ok((t, hash, html))
    }

    /// The HTML of a chapter's embed of table `table_id`: the whole table, or only
    /// the listed entries; nothing for an id that names no table.
    pub(super) fn embed_html(
        &self,
        tables: &TablesHtml,
        table_id: &str,
        entries: &[String],
    ) -> Result<String, Diagnostic> {
        let Some(PageRef::Table(t)) = self.site.ids.get(table_id).copied() else {
            return Ok(String::new());
        };
        if entries.is_empty() {
            return Ok(tables.of(t)[1].clone());
        }
        let mut view = self.table_view(t).clone();
        view.entries = entries
            .iter()
            .filter_map(|id| view.entries.iter().find(|e| &e.id == id).cloned())
            .collect();
        self.phrases_html(&view, true, "")
    }

    pub(super) fn phrases_html(
        &self,
        table: &TableView,
        embed: bool,
        anchor_prefix: &str,
    ) -> Result<String, Diagnostic> {
        let context = PhrasesContext {
            root: "",
            table,
            embed,
            anchor_prefix,
        };
        self.render_template("phrases.html", &context)
    }

    /// A table's HTML as on its page and as embedded in a chapter, from one
    /// context: the table is made into template values once for both.
    fn phrases_html_twice(&self, table: &TableView) -> Result<(String, String), Diagnostic> {
        let template = "phrases.html";
        let context = PhrasesContext {
            root: "",
            table,
            embed: false,
            anchor_prefix: "",
        };
        let mut context = self.template_context(template, &context)?;
        let page = self.render_context(template, &context)?;
        context.insert("embed", &true);
        Ok((page, self.render_context(template, &context)?))
    }
}

/// A table's HTML with its entry titles (`<h3 class="entry-title">`) made H2: in
/// print.html, where a table's entries follow its page's H1, and in an embed that
/// comes before a chapter's first H2; headings then never skip a level.
pub(super) fn entry_titles_as_h2(html: &str) -> String {
    html.replace("<h3 class=\"entry-title\">", "<h2 class=\"entry-title\">")
        .replace("</h3>", "</h2>")
}
