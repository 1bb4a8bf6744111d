//! What rendering keeps between the rebuilds of watch mode, and the keys that say
//! whether a page must be rendered again: everything a page is made from, hashed.
//! A page whose key is the one it had last time is not rendered again.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::pages::{PageOutput, PageRenderer};
use crate::diag::{tr, Code, Diagnostic, Sources};
use crate::model::PageRef;
use crate::output::{content_hash, Contents, OutputFile, Piece};
use crate::search::{self, SearchDoc};

/// What rendering keeps between the rebuilds of watch mode. A page whose inputs
/// hash to the same key as last time is not rendered again: its file is reported
/// unchanged, its search documents and print section come from here. A one-shot
/// build starts empty and keeps nothing.
#[derive(Default)]
pub(crate) struct RenderCache {
    keep: bool,
    pages: HashMap<String, CachedPage>,
    /// Each table's HTML (page, embedded, printed), by a hash of its view.
    tables: HashMap<u64, Arc<[String; 3]>>,
    /// The sidebars' scripts, by a hash of their context (see `sidebar.rs`).
    pub(super) sidebars: HashMap<u64, String>,
}

/// A page as last rendered: its key, a hash of its file's bytes, and what the
/// site-wide pages need of it.
#[derive(Clone)]
struct CachedPage {
    key: u64,
    file_hash: u64,
    docs: Arc<Vec<SearchDoc>>,
    weights: Option<Arc<Vec<search::Weights>>>,
    print: Piece,
}

impl RenderCache {
    /// A cache that keeps what it renders, for watch mode.
    pub(crate) fn keeping() -> Self {
        RenderCache {
            keep: true,
            ..RenderCache::default()
        }
    }

    /// Whether this cache keeps what it renders (watch mode).
    pub(crate) fn keeps(&self) -> bool {
        self.keep
    }

    /// What the site-wide pages need of the pages (every page's search documents
    /// and print section), for a rebuild that makes them on another thread.
    pub(crate) fn pages_snapshot(&self) -> RenderCache {
        RenderCache {
            keep: false,
            pages: self.pages.clone(),
            tables: HashMap::default(),
            sidebars: HashMap::default(),
        }
    }

    /// The page at `url` as last rendered, if its key is still `key`: its file
    /// reported unchanged.
    pub(super) fn known_page(&self, url: &str, key: u64) -> Option<PageOutput> {
        let known = self.pages.get(url).filter(|c| c.key == key)?;
        Some(PageOutput {
            file: Some(OutputFile {
                path: url.to_string(),
                contents: Contents::Unchanged(known.file_hash),
            }),
            docs: known.docs.clone(),
            weights: known.weights.clone(),
            print: known.print.clone(),
        })
    }

    /// Every page at `urls` as the pages phase left it (its file not included), for
    /// the site-wide pages.
    pub(super) fn pages_at<'u>(
        &self,
        urls: impl Iterator<Item = &'u str>,
    ) -> Result<Vec<PageOutput>, Vec<Diagnostic>> {
        urls.map(|url| {
            let cached = self.pages.get(url).ok_or_else(|| {
                vec![Diagnostic::new(
                    Code::E0509,
                    tr!(
                        "internal: page {} was not rendered before the search index",
                        "内部错误：生成搜索索引时页面 {} 还没有生成",
                        url
                    ),
                )]
            })?;
            Ok(PageOutput {
                file: None,
                docs: cached.docs.clone(),
                weights: cached.weights.clone(),
                print: cached.print.clone(),
            })
        })
        .collect()
    }

    /// The pages' outputs, or every problem found rendering them. A keeping cache
    /// remembers each page's key and output: in place of all it had, or, when
    /// `only_some` pages were rendered, beside the others.
    pub(super) fn keep_pages(
        &mut self,
        outputs: Vec<Result<(u64, PageOutput), Diagnostic>>,
        only_some: bool,
    ) -> Result<Vec<PageOutput>, Vec<Diagnostic>> {
        let mut pages = Vec::with_capacity(outputs.len());
        let mut errors = Vec::new();
        let capacity = if self.keep { outputs.len() } else { 0 };
        let mut kept = HashMap::with_capacity_and_hasher(capacity, Default::default());
        for output in outputs {
            let (key, page) = match output {
                Ok(output) => output,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            // Watch mode keeps every page's file (it has no sink).
            if let Some(file) = page.file.as_ref().filter(|_| self.keep) {
                kept.insert(file.path.clone(), CachedPage::of(key, file, &page));
            }
            pages.push(page);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if self.keep {
            if !only_some {
                self.pages.clear();
            }
            self.pages.extend(kept);
        }
        Ok(pages)
    }

    /// A table's HTML made before from a view that hashed to `hash`.
    pub(super) fn known_table(&self, hash: u64) -> Option<&Arc<[String; 3]>> {
        self.tables.get(&hash)
    }

    /// Keeps the tables' HTML just made, by the hash of each view, if this cache
    /// keeps anything: in place of all it had, or beside it when `only_some`
    /// tables were needed.
    pub(super) fn keep_tables(
        &mut self,
        made: impl Iterator<Item = (u64, Arc<[String; 3]>)>,
        only_some: bool,
    ) {
        if !self.keep {
            return;
        }
        if !only_some {
            self.tables.clear();
        }
        self.tables.extend(made);
    }
}

impl CachedPage {
    fn of(key: u64, file: &OutputFile, page: &PageOutput) -> Self {
        CachedPage {
            key,
            file_hash: content_hash(&file.contents).unwrap_or(0),
            docs: page.docs.clone(),
            weights: page.weights.clone(),
            print: page.print.clone(),
        }
    }
}

/// A hash of `value`, for the keys of the cache.
pub(super) fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

impl PageRenderer<'_> {
    /// Everything a page's file, search documents and print section are made from,
    /// hashed: the same key means the same output. Of the sidebar, only the path of
    /// its script is on the page: a page is not rendered again when the list changes.
    pub(super) fn page_key(
        &self,
        page: PageRef,
        generation: u64,
        sources: &Sources,
        nav_script: &str,
        view_hashes: &[u64],
    ) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        generation.hash(&mut hasher);
        self.links.url(page).hash(&mut hasher);
        nav_script.hash(&mut hasher);
        let (index, _) = self.site.position[&page];
        for neighbour in [index.checked_sub(1), Some(index + 1)] {
            if let Some(&p) = neighbour.and_then(|i| self.site.order.get(i)) {
                (self.links.url(p), self.links.page_title(p)).hash(&mut hasher);
            }
        }
        self.updated(page).hash(&mut hasher);
        for &from in self.site.backlinks.get(&page).into_iter().flatten() {
            (self.links.url(from), self.links.page_title(from)).hash(&mut hasher);
        }
        match page {
            PageRef::Chapter(i) => self.chapter_inputs(i, sources, view_hashes, &mut hasher),
            PageRef::Table(i) => view_hashes[i].hash(&mut hasher),
        }
        hasher.finish()
    }

    /// What a chapter's page is made from besides what every page is: its text,
    /// where its links lead, and the tables it embeds.
    fn chapter_inputs(
        &self,
        i: usize,
        sources: &Sources,
        view_hashes: &[u64],
        hasher: &mut impl Hasher,
    ) {
        let page = PageRef::Chapter(i);
        let chapter = &self.handbook.chapters[i];
        sources.get(chapter.file).text.hash(hasher);
        // Where its links lead: a target renamed by its `id:` moves the URL.
        for link in &chapter.links {
            if let Ok(crate::resolve::Resolved::Page(target, _)) =
                self.site.resolve(&link.target, page)
            {
                self.links.url(target).hash(hasher);
                // And where it is printed: a page moved to another print volume.
                self.links.print_href(target, "").hash(hasher);
            }
        }
        for embed in &chapter.embeds {
            if let Some(PageRef::Table(t)) = self.site.ids.get(&embed.table.value) {
                view_hashes[*t].hash(hasher);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> PageOutput {
        PageOutput {
            file: Some(OutputFile::text(path, html.to_string())),
            docs: Arc::new(Vec::new()),
            weights: None,
            print: Piece::Text(Arc::new(format!("<section>{html}</section>"))),
        }
    }

    fn unchanged_hash(output: &PageOutput) -> Option<u64> {
        match output.file.as_ref()?.contents {
            Contents::Unchanged(hash) => Some(hash),
            _ => None,
        }
    }

    #[test]
    fn an_unchanged_page_is_reused_and_a_changed_key_is_not() {
        let mut cache = RenderCache::keeping();
        let pages = cache
            .keep_pages(vec![Ok((7, page("a.html", "<p>一</p>")))], false)
            .unwrap();
        assert_eq!(pages.len(), 1);
        let reused = cache.known_page("a.html", 7).expect("the same key");
        let bytes = Contents::Bytes("<p>一</p>".as_bytes().to_vec());
        assert_eq!(unchanged_hash(&reused), Some(content_hash(&bytes).unwrap()));
        let Piece::Text(print) = &reused.print else {
            panic!("kept in memory");
        };
        assert_eq!(print.as_str(), "<section><p>一</p></section>");
        assert!(cache.known_page("a.html", 8).is_none(), "the key changed");
        assert!(cache.known_page("b.html", 7).is_none(), "never rendered");
    }

    #[test]
    fn a_one_shot_cache_keeps_nothing() {
        let mut cache = RenderCache::default();
        cache
            .keep_pages(vec![Ok((7, page("a.html", "a")))], false)
            .unwrap();
        cache.keep_tables(
            [(1, Arc::new([String::new(), String::new(), String::new()]))].into_iter(),
            false,
        );
        assert!(cache.known_page("a.html", 7).is_none());
        assert!(cache.known_table(1).is_none());
    }

    #[test]
    fn some_pages_rendered_keep_the_others_and_all_rendered_replace_them() {
        let mut cache = RenderCache::keeping();
        let both = vec![Ok((1, page("a.html", "a"))), Ok((2, page("b.html", "b")))];
        cache.keep_pages(both, false).unwrap();
        cache
            .keep_pages(vec![Ok((3, page("a.html", "a2")))], true)
            .unwrap();
        assert!(cache.known_page("a.html", 3).is_some());
        assert!(
            cache.known_page("b.html", 2).is_some(),
            "b was not rendered"
        );
        cache
            .keep_pages(vec![Ok((3, page("a.html", "a2")))], false)
            .unwrap();
        assert!(cache.known_page("b.html", 2).is_none(), "b is gone");
        let snapshot = cache.pages_snapshot();
        assert!(!snapshot.keeps());
        let at = snapshot.pages_at(["a.html"].into_iter()).unwrap();
        assert!(at[0].file.is_none());
        assert!(snapshot.pages_at(["b.html"].into_iter()).is_err());
    }

    #[test]
    fn a_failed_page_keeps_nothing() {
        let mut cache = RenderCache::keeping();
        let outputs = vec![
            Ok((1, page("a.html", "a"))),
            Err(Diagnostic::new(
                Code::E0507,
                crate::diag::Text::same("template error"),
            )),
        ];
        let errors = cache.keep_pages(outputs, false).err().expect("an error");
        assert_eq!(errors.len(), 1);
        assert!(cache.known_page("a.html", 1).is_none());
    }
}
