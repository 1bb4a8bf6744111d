//! Tests of the resolve stage on small handbooks written to a temporary folder and
//! loaded as a build loads them: building the model by hand would test a model no
//! load makes.

use crate::diag::Lang;
use std::collections::BTreeSet;
use std::path::Path;

use super::{check_links, check_page_links, structure, Resolved, Section, Site};
use crate::diag::{Diagnostic, Diagnostics, Severity, Sources};
use crate::load::{self, LoadCache, LoadOptions};
use crate::model::{Handbook, LinkTarget, PageRef};

/// A handbook resolved: the model, the site, and what resolving found wrong.
struct Checked {
    handbook: Handbook,
    site: Site,
    found: Vec<Diagnostic>,
}

const CONFIG: (&str, &str) = ("handbook.yaml", "title: 手册\n");

const PHONE: (&str, &str) = (
    "phrases/phone.yaml",
    "title: 电话\nkind: script\nentries:\n  - id: greeting\n    situation: 接电话\n    say: [您好]\n  - id: goodbye\n    situation: 挂电话\n    say: [再见]\n",
);

/// Writes `files` under `content/`, loads them and resolves the handbook. Loading
/// must find nothing wrong: each test is about what resolving finds.
fn resolve(files: &[(&str, &str)]) -> Checked {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    let mut sources = Sources::new();
    let mut loaded = Diagnostics::new();
    let options = LoadOptions::default();
    let mut cache = LoadCache::default();
    let handbook =
        load::load_cached(dir.path(), &options, &mut sources, &mut loaded, &mut cache).unwrap();
    let problems: Vec<&str> = loaded.iter().map(|d| d.message(Lang::En)).collect();
    assert!(problems.is_empty(), "the load found {problems:?}");
    let mut found = Diagnostics::new();
    let mut site = structure(&handbook, &mut found);
    check_links(&handbook, &mut site, &mut found);
    Checked {
        handbook,
        site,
        found: found.iter().cloned().collect(),
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join("content").join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The page with this id.
fn page(resolved: &Checked, id: &str) -> PageRef {
    resolved.site.ids[id]
}

fn id_link(id: &str, anchor: Option<&str>) -> LinkTarget {
    LinkTarget::Id {
        id: id.to_string(),
        anchor: anchor.map(str::to_string),
    }
}

/// Each diagnostic as its message and help.
fn reported(found: &[Diagnostic]) -> Vec<(&str, Option<&str>)> {
    found
        .iter()
        .map(|d| (d.message(Lang::En), d.help(Lang::En)))
        .collect()
}

#[test]
fn an_id_and_anchor_resolve_to_a_heading_or_a_table_entry() {
    let r = resolve(&[
        CONFIG,
        (
            "intro.md",
            "# 入门\n\n## 打招呼\n\n见[问候](@phone#greeting)。\n",
        ),
        PHONE,
    ]);
    assert!(r.found.is_empty(), "{:?}", reported(&r.found));
    let intro = page(&r, "intro");
    let phone = page(&r, "phone");
    assert_eq!(intro, PageRef::Chapter(0));
    assert_eq!(phone, PageRef::Table(0));
    assert_eq!(
        r.site.resolve(&id_link("intro", Some("打招呼")), phone),
        Ok(Resolved::Page(intro, Some("打招呼".into())))
    );
    assert_eq!(
        r.site.resolve(&id_link("phone", Some("goodbye")), intro),
        Ok(Resolved::Page(phone, Some("goodbye".into())))
    );
    assert_eq!(
        r.site.resolve(&id_link("phone", None), intro),
        Ok(Resolved::Page(phone, None))
    );
    let same_page = LinkTarget::SamePage {
        anchor: "入门".into(),
    };
    assert_eq!(
        r.site.resolve(&same_page, intro),
        Ok(Resolved::Page(intro, Some("入门".into())))
    );
    // A table's anchors are its entries, not a chapter's headings.
    assert_eq!(
        r.site.resolve(&id_link("phone", Some("打招呼")), intro),
        Err(super::Unresolved::Missing(crate::diag::tr!(
            "no heading or entry `#{}` there",
            "那一页没有标题或条目 `#{}`",
            "打招呼"
        )))
    );
}

#[test]
fn a_link_that_does_not_resolve_is_reported_with_the_closest_target() {
    let r = resolve(&[
        CONFIG,
        (
            "intro.md",
            "# 入门\n\n[甲](@phnoe) [乙](@phone#greting) [丙](#入门门) [丁](other.md)\n",
        ),
        ("others.md", "# 其他\n"),
        PHONE,
    ]);
    assert_eq!(
        reported(&r.found),
        [
            (
                "broken link `@phnoe`: no chapter or table has the id `phnoe`",
                Some("did you mean `@phone`?")
            ),
            (
                "broken link `@phone#greting`: no heading or entry `#greting` there",
                Some("did you mean `@phone#greeting`?")
            ),
            (
                "broken link `#入门门`: no heading or entry `#入门门` there",
                Some("did you mean `#入门`?")
            ),
            (
                "broken link `other.md`: no chapter or table at content/other.md",
                Some("did you mean content/others.md (or `@others`)?")
            ),
        ]
    );
    assert!(r.found.iter().all(|d| d.severity == Severity::Error));
    // Each is reported where the target is written in intro.md.
    let at: Vec<_> = r
        .found
        .iter()
        .map(|d| d.location.as_ref().unwrap().span.clone().unwrap())
        .collect();
    let text = "# 入门\n\n[甲](@phnoe) [乙](@phone#greting) [丙](#入门门) [丁](other.md)\n";
    let written: Vec<&str> = at.iter().map(|span| &text[span.clone()]).collect();
    assert_eq!(written, ["@phnoe", "@phone#greting", "#入门门", "other.md"]);
}

#[test]
fn a_link_to_a_draft_says_it_is_a_draft() {
    let r = resolve(&[
        CONFIG,
        ("intro.md", "# 入门\n\n[草稿](@later)\n"),
        ("later.md", "---\ndraft: true\n---\n\n# 以后\n"),
    ]);
    assert_eq!(r.handbook.drafts, ["later"]);
    assert_eq!(
        reported(&r.found),
        [(
            "broken link `@later`: no chapter or table has the id `later`",
            Some(
                "`later` is a draft, left out of this build: build with --drafts, or drop the link"
            )
        )]
    );
}

#[test]
fn a_duplicate_id_is_reported_and_the_first_page_keeps_it() {
    let r = resolve(&[
        CONFIG,
        ("a/phone.md", "# 电话一\n"),
        ("b/phone.md", "# 电话二\n"),
        ("c.md", "---\nid: phone\n---\n\n# 电话三\n"),
    ]);
    let duplicates: Vec<&Diagnostic> = r
        .found
        .iter()
        .filter(|d| d.message(Lang::En) == "duplicate id `phone`")
        .collect();
    assert_eq!(duplicates.len(), 2, "{:?}", reported(&r.found));
    let first = r.handbook.chapters[0].file;
    for d in &duplicates {
        let note = d.note(Lang::En).expect("a note on the first use");
        assert_eq!(note.0, "first used by");
        assert_eq!(note.1.file, first);
        assert_ne!(d.location.as_ref().unwrap().file, first);
    }
    assert_eq!(r.handbook.chapters[0].rel_path, "a/phone.md");
    assert_eq!(page(&r, "phone"), PageRef::Chapter(0));
    // Still reachable by its source path.
    let by_path = LinkTarget::Source {
        path: "b/phone.md".into(),
        anchor: None,
    };
    assert_eq!(
        r.site.resolve(&by_path, PageRef::Chapter(0)),
        Ok(Resolved::Page(PageRef::Chapter(1), None))
    );
}

#[test]
fn a_code_used_twice_is_reported_at_both_places() {
    let r = resolve(&[
        CONFIG,
        PHONE,
        (
            "phrases/phones.yaml",
            // `phone` and `phones` both abbreviate to `pho`: `greeting` derives
            // `pho-greeting` in both tables; `code: pho-goodbye` takes the other
            // table's derived code.
            "title: 来电\nkind: script\nentries:\n  - id: greeting\n    situation: 接\n    say: [您好]\n  - id: bye\n    situation: 挂\n    say: [再见]\n    code: pho-goodbye\n",
        ),
    ]);
    let table = |id: &str| r.handbook.tables.iter().find(|t| t.id.value == id).unwrap();
    let (phone, phones) = (table("phone"), table("phones"));
    let clashes: Vec<&Diagnostic> = r
        .found
        .iter()
        .filter(|d| d.message(Lang::En).starts_with("duplicate code"))
        .collect();
    assert_eq!(clashes.len(), 2, "{:?}", reported(&r.found));
    // Tables load in path order: `phone` first, so the `phones` lines are reported.
    let derived = clashes
        .iter()
        .find(|d| d.message(Lang::En).contains("`pho-greeting`"))
        .unwrap();
    assert!(derived
        .message(Lang::En)
        .contains("derived for entry `greeting` of table `phones`"));
    let at = derived.location.as_ref().unwrap();
    assert_eq!(at.file, phones.file);
    assert_eq!(at.span, Some(phones.entries[0].id.span.clone()));
    let note = derived.note(Lang::En).unwrap();
    assert_eq!(note.1.file, phone.file);
    assert_eq!(note.1.span, Some(phone.entries[0].id.span.clone()));

    let written = clashes
        .iter()
        .find(|d| d.message(Lang::En).contains("`pho-goodbye`"))
        .unwrap();
    assert!(written
        .message(Lang::En)
        .contains("set by `code:` on entry `bye`"));
    let at = written.location.as_ref().unwrap();
    assert_eq!(at.file, phones.file);
    assert_eq!(
        at.span,
        phones.entries[1].code.as_ref().map(|c| c.span.clone())
    );
    let note = written.note(Lang::En).unwrap();
    assert!(
        note.0
            .contains("derived for entry `goodbye` of table `phone`"),
        "{}",
        note.0
    );
    assert_eq!(note.1.span, Some(phone.entries[1].id.span.clone()));
}

#[test]
fn an_embed_must_name_a_table_and_its_entries() {
    let r = resolve(&[
        CONFIG,
        (
            "intro.md",
            "# 入门\n\n```phrases phone\ngreeting\ngoodby\n```\n\n```phrases phon\n```\n\n```phrases other\n```\n",
        ),
        ("other.md", "# 其他\n"),
        PHONE,
    ]);
    assert_eq!(
        reported(&r.found),
        [
            (
                "table `phone` has no entry `goodby`",
                Some("did you mean `goodbye`?")
            ),
            (
                "embed of unknown phrase table `phon`",
                Some("did you mean `phone`?")
            ),
            (
                "`other` is a chapter, not a phrase table: only tables can be embedded",
                None
            ),
        ]
    );
    // The embed of a real table makes the chapter one of its backlinks.
    let phone = page(&r, "phone");
    assert_eq!(r.site.backlinks[&phone], [page(&r, "intro")]);
}

/// The pages of each section, by id, and the sections' titles.
fn layout(r: &Checked) -> Vec<(Option<&str>, bool, Vec<&str>)> {
    r.site
        .sections
        .iter()
        .map(|s: &Section| {
            let ids = s
                .pages
                .iter()
                .map(|&p| r.site.page_id(&r.handbook, p))
                .collect();
            (s.title.as_deref(), s.is_tables, ids)
        })
        .collect()
}

#[test]
fn nav_sets_the_order_and_reports_what_it_names_wrongly() {
    let config = "title: 手册\nnav:\n  - b\n  - part: 售后\n    items: [c, a, b]\n  - phnoe\n";
    let r = resolve(&[
        ("handbook.yaml", config),
        ("a.md", "# 甲\n"),
        ("b.md", "# 乙\n"),
        ("c.md", "# 丙\n"),
        ("d.md", "# 丁\n"),
        PHONE,
    ]);
    assert_eq!(
        layout(&r),
        [
            (None, false, vec!["b"]),
            (Some("售后"), false, vec!["c", "a"]),
            (None, false, vec!["d"]),
            (None, true, vec!["phone"]),
        ]
    );
    let order: Vec<&str> = r
        .site
        .order
        .iter()
        .map(|&p| r.site.page_id(&r.handbook, p))
        .collect();
    assert_eq!(order, ["b", "c", "a", "d", "phone"]);
    let d = page(&r, "d");
    assert_eq!(r.site.position[&d], (3, 2));
    assert_eq!(
        reported(&r.found),
        [
            ("`nav` lists `b` twice", None),
            (
                "`nav` names `phnoe`, but no chapter or table has that id",
                Some("did you mean `phone`?")
            ),
            (
                "chapter `d` is not listed in `nav`: it is added at the end",
                None
            ),
        ]
    );
    assert_eq!(r.found[2].severity, Severity::Warning);
}

#[test]
fn without_nav_each_folder_is_a_section_then_the_tables() {
    // In path order: numbers sort the folders; a part without `_part.yaml` is
    // titled by its folder's name, without the number.
    let r = resolve(&[
        CONFIG,
        ("01-intro.md", "# 入门\n"),
        ("02-sales/_part.yaml", "title: 销售\nsummary: 卖东西\n"),
        ("02-sales/a.md", "# 甲\n"),
        ("02-sales/b.md", "# 乙\n"),
        ("03-after/c.md", "# 丙\n"),
        PHONE,
    ]);
    assert!(r.found.is_empty(), "{:?}", reported(&r.found));
    assert_eq!(
        layout(&r),
        [
            (None, false, vec!["intro"]),
            (Some("销售"), false, vec!["a", "b"]),
            (Some("after"), false, vec!["c"]),
            (None, true, vec!["phone"]),
        ]
    );
    assert_eq!(r.site.sections[1].summary.as_deref(), Some("卖东西"));
}

#[test]
fn backlinks_come_in_reading_order_and_follow_an_edit() {
    let r = resolve(&[
        CONFIG,
        ("a.md", "# 甲\n\n[丙](@c) [自己](@a)\n"),
        ("b.md", "# 乙\n\n[丙](@c)\n"),
        ("c.md", "# 丙\n\n[甲](@a)\n"),
    ]);
    let (a, b, c) = (page(&r, "a"), page(&r, "b"), page(&r, "c"));
    assert_eq!(r.site.backlinks[&c], [a, b]);
    // A page's link to itself is no backlink.
    assert_eq!(r.site.backlinks[&a], [c]);
    assert!(!r.site.backlinks.contains_key(&b));

    // b's links as they are now, then as if it linked to a instead of c.
    let mut found = Diagnostics::new();
    let old = check_page_links(&r.handbook, &r.site, b, &mut found);
    assert!(found.is_empty());
    assert_eq!(old, BTreeSet::from([c]));
    let mut site = r.site.clone();
    let changed = site.relink(b, &old, &BTreeSet::from([a]));
    assert_eq!(changed, [c, a]);
    assert_eq!(site.backlinks[&c], [a]);
    assert_eq!(
        site.backlinks[&a],
        [b, c],
        "b comes before c in reading order"
    );
}
