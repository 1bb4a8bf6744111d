//! The session driven as watch mode drives it, on a small handbook in a temporary
//! folder: which way a rebuild goes (patch or the long way), which files it writes,
//! and what stays when an edit breaks the handbook. The integration tests watch the
//! real binary from outside; these look at each rebuild's outcome.

use crate::diag::Lang;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Outcome, Session};
use crate::diag::FileId;
use crate::load::LoadOptions;
use crate::pipeline;

const A: &str = "01-a.md";
const B: &str = "02-b.md";
const C: &str = "03-c.md";

/// `a` has a heading that `b` links to; `c` stands alone. No phrase tables, so no
/// heading is quoted by one.
fn chapter_a(anchor: &str) -> String {
    format!("---\ntitle: 甲\n---\n\n甲的正文。\n\n## 常见问题 {{#{anchor}}}\n\n问答。\n")
}

fn chapter_b(link: &str) -> String {
    format!("---\ntitle: 乙\n---\n\n乙的正文，见[常见问题]({link})。\n")
}

fn chapter_c(title: &str, text: &str) -> String {
    format!("---\ntitle: {title}\n---\n\n{text}\n")
}

/// A handbook in a temporary folder, a session on it, and the first build done
/// (both steps), as `watch` starts.
struct Live {
    dir: tempfile::TempDir,
    session: Session,
}

impl Live {
    fn start() -> Live {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let session = Session::new(root, &root.join("public"), LoadOptions::default());
        let mut live = Live {
            session: session.expect("a session"),
            dir,
        };
        live.write("handbook.yaml", "title: 小手册\nlanguage: zh-CN\n");
        live.write(A, &chapter_a("faq"));
        live.write(B, &chapter_b("@a#faq"));
        live.write(C, &chapter_c("丙", "丙的正文。"));
        let outcome = live.session.rebuild(&[]).expect("first build");
        assert!(outcome.ok(), "{:?}", messages(&outcome));
        live.session.finish(&outcome).expect("site-wide pages");
        live
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// The path of a file under `content/` as the watcher reports it.
    fn watched(&self, rel: &str) -> PathBuf {
        self.dir
            .path()
            .canonicalize()
            .unwrap()
            .join("content")
            .join(rel)
    }

    /// Rebuilds after these files under `content/` changed.
    fn rebuild(&mut self, rels: &[&str]) -> Outcome {
        let changed: Vec<PathBuf> = rels.iter().map(|rel| self.watched(rel)).collect();
        self.session.rebuild(&changed).expect("no write error")
    }

    /// The patch of an edit of these files, `None` when it must go the long way.
    fn patch(&mut self, rels: &[&str]) -> Option<Outcome> {
        let changed: Vec<String> = rels.iter().map(|rel| rel.to_string()).collect();
        let outcome = self.session.patch(&changed, Instant::now())?;
        Some(outcome.expect("no write error"))
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    fn page(&self, name: &str) -> String {
        std::fs::read_to_string(self.out().join(name)).unwrap()
    }
}

/// Every file under `dir`, by its path relative to it.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(entry.path()).unwrap())
        })
        .collect()
}

fn messages(outcome: &Outcome) -> Vec<String> {
    let diagnostics = outcome.checked.diagnostics.iter();
    diagnostics
        .map(|d| d.message(Lang::En).to_string())
        .collect()
}

fn file_of(outcome: &Outcome, rel: &str) -> FileId {
    let chapters = &outcome.checked.handbook.chapters;
    chapters.iter().find(|c| c.rel_path == rel).unwrap().file
}

/// Asserts the rebuild failed with one error, naming `needle`, placed in `rel`'s
/// file, and wrote nothing.
fn assert_one_error(outcome: &Outcome, needle: &str, rel: &str) {
    assert!(!outcome.ok());
    assert!(outcome.update.written.is_empty());
    let errors: Vec<_> = outcome.checked.diagnostics.iter().collect();
    assert_eq!(errors.len(), 1, "{:?}", messages(outcome));
    assert!(
        errors[0].message(Lang::En).contains(needle),
        "{}",
        errors[0].message(Lang::En)
    );
    let at = errors[0].location.as_ref().expect("a location").file;
    assert_eq!(at, file_of(outcome, rel));
}

/// The paths that differ between two trees, either way.
fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let paths: BTreeSet<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    paths.into_iter().cloned().collect()
}

#[test]
fn a_text_edit_is_patched_and_rewrites_only_its_page() {
    let mut live = Live::start();
    let before = read_tree(&live.out());
    live.write(C, &chapter_c("丙", "丙的新正文。"));
    let outcome = live.patch(&[C]).expect("a text edit is patched");
    assert!(outcome.ok(), "{:?}", messages(&outcome));
    assert_eq!(outcome.update.written, ["c.html"]);
    assert!(outcome.update.removed.is_empty());
    assert!(live.page("c.html").contains("丙的新正文。"));
    let after = read_tree(&live.out());
    assert_eq!(differing(&before, &after), ["c.html"]);

    // The site-wide pages follow, on their own.
    assert!(live.session.site_wide_due());
    live.session.finish(&outcome).expect("site-wide pages");
    assert!(!live.session.site_wide_due());
    assert!(live.page("print.html").contains("丙的新正文。"));
    let changed = differing(&after, &read_tree(&live.out()));
    assert!(changed.contains(&"print.html".to_string()), "{changed:?}");
    assert!(
        changed.iter().all(|p| crate::render::is_site_wide_page(p)),
        "{changed:?}"
    );
    // The page hashes the reader's browser compares: only c.html's changed.
    assert!(changed.contains(&"updates.js".to_string()), "{changed:?}");
    let hashes = |tree: &BTreeMap<String, Vec<u8>>| {
        let js = String::from_utf8(tree["updates.js"].clone()).unwrap();
        let json = js.trim_start_matches("window.handbookUpdates = ");
        let json: serde_json::Value =
            serde_json::from_str(json.trim_end().trim_end_matches(';')).unwrap();
        json["pages"].as_object().unwrap().clone()
    };
    let (old, new) = (hashes(&after), hashes(&read_tree(&live.out())));
    let moved: Vec<&String> = old.keys().filter(|page| old[*page] != new[*page]).collect();
    assert_eq!(moved, ["c.html"]);

    // Now the folder is what a fresh build of the same files makes.
    let fresh = live.dir.path().join("fresh");
    let root = live.dir.path();
    pipeline::build(root, &fresh, &LoadOptions::default(), &pipeline::quiet).unwrap();
    assert_eq!(
        differing(&read_tree(&fresh), &read_tree(&live.out())),
        Vec::<String>::new()
    );
}

#[test]
fn a_changed_title_goes_the_long_way_and_rewrites_what_shows_it() {
    let mut live = Live::start();
    live.write(C, &chapter_c("丙丙", "丙的正文。"));
    assert!(live.patch(&[C]).is_none(), "other pages show the title");
    let outcome = live.rebuild(&[C]);
    assert!(outcome.ok(), "{:?}", messages(&outcome));
    let written = &outcome.update.written;
    // The page, its neighbour (previous / next) and the sidebar's script.
    for path in ["b.html", "c.html", "nav/a.js"] {
        assert!(written.contains(&path.to_string()), "{written:?}");
    }
    assert!(live.page("b.html").contains("丙丙"));
    assert!(live.page("nav/a.js").contains("丙丙"));
    // a.html shows the title only in its sidebar, which its script puts in.
    assert!(!written.contains(&"a.html".to_string()), "{written:?}");
    assert!(live.page("a.html").contains("src=\"nav/a.js\""));
}

#[test]
fn a_new_part_brings_its_sidebar_script_and_takes_it_away_again() {
    let mut live = Live::start();
    const D: &str = "02-more/01-d.md";
    live.write(D, &chapter_c("丁", "丁的正文。"));
    let added = live.rebuild(&[D]);
    assert!(added.ok(), "{:?}", messages(&added));
    let written = &added.update.written;
    for path in ["nav/a.js", "nav/d.js", "d.html"] {
        assert!(written.contains(&path.to_string()), "{written:?}");
    }
    assert!(live.page("d.html").contains("src=\"nav/d.js\""));
    // The other part's pages name the same script as before: only a page next to
    // the new one changes, and the script lists the new part.
    assert!(!written.contains(&"a.html".to_string()), "{written:?}");
    // (A folder's part is titled by its name.)
    assert!(live
        .page("nav/a.js")
        .contains(r#"<a href=\"d.html\">more</a>"#));

    std::fs::remove_file(live.dir.path().join("content").join(D)).unwrap();
    let removed = live.rebuild(&[D]);
    assert!(removed.ok(), "{:?}", messages(&removed));
    assert!(
        removed.update.removed.contains(&"nav/d.js".to_string()),
        "{:?}",
        removed.update
    );
    assert!(!live.out().join("nav/d.js").exists());
    assert!(!live.page("nav/a.js").contains("d.html"));
}

#[test]
fn a_broken_link_keeps_the_last_good_page_until_it_is_fixed() {
    let mut live = Live::start();
    live.write(B, &chapter_b("@nowhere"));
    let broken = live.rebuild(&[B]);
    assert_one_error(&broken, "@nowhere", B);
    assert!(live.page("b.html").contains("a.html#faq"));

    // The folder no longer matches the handbook: the fix goes the long way.
    live.write(B, &chapter_b("@c"));
    assert!(live.patch(&[B]).is_none());
    let fixed = live.rebuild(&[B]);
    assert!(fixed.ok(), "{:?}", messages(&fixed));
    assert!(fixed.checked.diagnostics.is_empty());
    assert!(fixed.update.written.contains(&"b.html".to_string()));
    let page = live.page("b.html");
    assert!(page.contains("href=\"c.html\"") && !page.contains("a.html#faq"));
}

#[test]
fn a_renamed_heading_flags_the_links_to_it_in_their_own_file() {
    let mut live = Live::start();
    live.write(A, &chapter_a("questions"));
    let renamed = live.patch(&[A]).expect("the heading is quoted by no table");
    assert_one_error(&renamed, "@a#faq", B);
    assert!(live.page("a.html").contains("id=\"faq\""));

    live.write(A, &chapter_a("faq"));
    let back = live.rebuild(&[A]);
    assert!(back.ok(), "{:?}", messages(&back));
    assert!(live.page("a.html").contains("id=\"faq\""));
}

#[test]
fn a_heading_a_table_quotes_goes_the_long_way() {
    let mut live = Live::start();
    let table = "title: 问候\nkind: script\nentries:\n  - id: hello\n    situation: 新买家\n    say: 您好！\n    see: [\"@a#faq\"]\n";
    live.write("phrases/greetings.yaml", table);
    let added = live.rebuild(&["phrases/greetings.yaml"]);
    assert!(added.ok(), "{:?}", messages(&added));
    assert!(live.page("greetings.html").contains("常见问题"));

    // The table shows the heading's text: a new one is not a patch of `a` alone.
    live.write(A, &chapter_a("faq").replace("## 常见问题", "## 常问的问题"));
    assert!(live.patch(&[A]).is_none());
    let outcome = live.rebuild(&[A]);
    assert!(outcome.ok(), "{:?}", messages(&outcome));
    let written = &outcome.update.written;
    assert!(
        written.contains(&"greetings.html".to_string()),
        "{written:?}"
    );
    assert!(live.page("greetings.html").contains("常问的问题"));
}
