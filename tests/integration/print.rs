//! The print version: one `print.html` for a handbook of a few hundred pages; a
//! larger one printed in volumes, one page per part under `print/`, listed by
//! `print.html`, with links between volumes that land on the right section.

use crate::support::{attribute_values, broken_internal_links, Handbook};

/// A handbook of `parts` parts of `per_part` chapters each and one phrase table.
/// Every chapter links to a heading in the first chapter of the next part; the
/// table's entry points at the last chapter with `see:`.
pub fn large_handbook(parts: usize, per_part: usize) -> Handbook {
    let hb = Handbook {
        dir: tempfile::tempdir().unwrap(),
    };
    hb.write("content/handbook.yaml", "title: 大手册\nlanguage: zh-CN\n");
    for p in 0..parts {
        let part = format!("content/{p:02}-part");
        hb.write(
            &format!("{part}/_part.yaml"),
            &format!("title: 第{p}部分\n"),
        );
        for c in 0..per_part {
            let next = (p + 1) % parts;
            hb.write(
                &format!("{part}/{c:03}.md"),
                &format!(
                    "---\ntitle: 第{p}部分第{c}章\nid: p{p}c{c}\n---\n\n\
                     ## Key points\n\n先看[下一部分](@p{next}c0#key-points)。\n"
                ),
            );
        }
    }
    let last = format!("p{}c{}", parts - 1, per_part - 1);
    hb.write(
        "content/phrases/greetings.yaml",
        &format!(
            "title: 问候\nkind: script\nentries:\n  - id: hello\n    situation: 新买家\n    \
             say: 亲，您好！\n    see: [\"@{last}#key-points\"]\n"
        ),
    );
    hb
}

#[test]
fn a_small_handbook_prints_on_one_page() {
    let hb = large_handbook(2, 10);
    let build = hb.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!hb.path("public/print").exists());
    let print = hb.read("public/print.html");
    assert_eq!(print.matches("<section class=\"print-page\"").count(), 21);
    assert!(
        print.contains("href=\"#print-p1c0--key-points\""),
        "a link between parts"
    );
}

#[test]
fn a_large_handbook_prints_in_volumes_whose_links_all_land() {
    // 3 parts of 120 chapters and a table: 361 pages, past the 300 of one page.
    let hb = large_handbook(3, 120);
    let build = hb.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);

    let print = hb.read("public/print.html");
    assert!(
        !print.contains("<section class=\"print-page\""),
        "print.html holds pages"
    );
    let volumes: Vec<&str> = attribute_values(&print, "href")
        .into_iter()
        .filter(|href| href.starts_with("print/") && !href.contains('#'))
        .collect();
    assert_eq!(
        volumes,
        [
            "print/p0c0.html",
            "print/p1c0.html",
            "print/p2c0.html",
            "print/greetings.html"
        ],
    );
    assert!(
        print.contains("第1部分") && print.contains("120 页"),
        "{print}"
    );
    // Its contents lead into the volumes.
    assert!(print.contains("href=\"print/p1c0.html#print-p1c5\""));

    let volume = hb.read("public/print/p0c0.html");
    assert_eq!(volume.matches("<section class=\"print-page\"").count(), 120);
    assert!(
        volume.contains("<title>第0部分 · 大手册"),
        "the volume's title"
    );
    assert!(volume.contains("href=\"../static/style.css\""));
    // A link into the next part goes to the next volume; the table's `see:` too.
    assert!(volume.contains("href=\"p1c0.html#print-p1c0--key-points\""));
    let table = hb.read("public/print/greetings.html");
    assert!(
        table.contains("href=\"p2c0.html#print-p2c119--key-points\""),
        "{table}"
    );

    let (checked, problems) = broken_internal_links(&hb.path("public"));
    assert!(checked > 1000, "only {checked} links checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_part_longer_than_a_volume_is_cut() {
    let hb = large_handbook(1, 420);
    let build = hb.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let print = hb.read("public/print.html");
    for (file, title) in [
        ("print/p0c0.html", "第0部分 1/3"),
        ("print/p0c200.html", "第0部分 2/3"),
        ("print/p0c400.html", "第0部分 3/3"),
    ] {
        assert!(
            print.contains(&format!("<a href=\"{file}\">{title}</a>")),
            "{file}"
        );
    }
    let last = hb.read("public/print/p0c400.html");
    assert_eq!(last.matches("<section class=\"print-page\"").count(), 20);
    // The first chapter links to itself (the next part is the same part).
    let first = hb.read("public/print/p0c0.html");
    assert!(first.contains("href=\"p0c0.html#print-p0c0--key-points\""));
}
