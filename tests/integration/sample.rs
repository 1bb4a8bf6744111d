//! The sample handbook in `content/`: it must build cleanly, every link must land,
//! and it must be a real manual (enough chapters, tables, script lines, cross-links).
//! That it is written in its own words, not copied from the seed texts, is tested in
//! `tests/external/seeds.rs` (the seed texts are not in the repository).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::{attribute_values, broken_internal_links, Handbook};

#[test]
fn sample_checks_with_no_error_and_no_warning() {
    let hb = Handbook::sample();
    let run = hb.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert!(run.stderr.starts_with("ok: "), "{}", run.stderr);
}

#[test]
fn sample_build_has_no_broken_internal_link() {
    let hb = Handbook::sample();
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (checked, problems) = broken_internal_links(&hb.path("public"));
    assert!(checked > 500, "only {checked} links checked");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn sample_is_a_real_manual() {
    let hb = Handbook::sample();
    assert_eq!(hb.run(&["build"]).code, 0);
    let json = hb.run(&["check", "--format", "json"]);
    assert_eq!(json.code, 0);

    let content = hb.path("content");
    let mut chapters = BTreeMap::new();
    let mut tables = Vec::new();
    for entry in walkdir::WalkDir::new(&content)
        .into_iter()
        .map(Result::unwrap)
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            chapters.insert(
                entry.path().to_path_buf(),
                std::fs::read_to_string(entry.path()).unwrap(),
            );
        } else if name.ends_with(".yaml") && name != "handbook.yaml" && name != "_part.yaml" {
            let stem = name.trim_end_matches(".yaml").to_string();
            tables.push((stem, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    assert!(chapters.len() >= 14, "{} chapters", chapters.len());
    assert!(tables.len() >= 8, "{} tables", tables.len());
    for kind in ["script", "steps", "tactics"] {
        assert!(
            tables
                .iter()
                .any(|(_, t)| t.contains(&format!("kind: {kind}"))),
            "no {kind} table"
        );
    }

    // Script entries, from the export of the built site.
    let rows: serde_json::Value = serde_json::from_str(&hb.read("public/phrases.json")).unwrap();
    let script_tables = tables_of_kind(&tables, "script");
    let script_entries: BTreeSet<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| script_tables.iter().any(|t| r["table"] == t.as_str()))
        .map(|r| {
            (
                r["table"].as_str().unwrap().to_string(),
                r["entry"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        script_entries.len() >= 60,
        "{} script entries",
        script_entries.len()
    );

    // Cross-links between pages, from the built chapter pages' content.
    let public = hb.path("public");
    let mut links_between: BTreeSet<(String, String)> = BTreeSet::new();
    let mut internal_links = 0;
    let chapter_pages: Vec<String> = std::fs::read_dir(&public)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html") && n != "index.html" && n != "404.html")
        .filter(|n| {
            let html = std::fs::read_to_string(public.join(n)).unwrap();
            html.contains("class=\"page-chapter\"")
        })
        .collect();
    assert!(chapter_pages.len() >= 14);
    for page in &chapter_pages {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        let body = html
            .split("<div class=\"content\">")
            .nth(1)
            .unwrap()
            .split("</article>")
            .next()
            .unwrap();
        for href in attribute_values(body, "href") {
            if href.starts_with('#') || href.contains("://") {
                continue;
            }
            let target = href.split('#').next().unwrap().to_string();
            if target != *page {
                internal_links += 1;
                links_between.insert((page.clone(), target));
            }
        }
    }
    assert!(
        internal_links >= 40,
        "{internal_links} internal cross-links"
    );
    for page in &chapter_pages {
        let connected = links_between.iter().any(|(from, to)| {
            (from == page && chapter_pages.contains(to))
                || (to == page && chapter_pages.contains(from))
        });
        assert!(
            connected,
            "{page} neither links to nor is linked from another chapter"
        );
    }
}

/// Ids (file stems: the sample sets no `id:`) of the tables of one kind.
fn tables_of_kind(tables: &[(String, String)], kind: &str) -> Vec<String> {
    tables
        .iter()
        .filter(|(_, t)| t.lines().any(|l| l.trim() == format!("kind: {kind}")))
        .map(|(stem, _)| stem.clone())
        .collect()
}

/// A say line and its quick-reply code.
type LineCode = (String, String);

/// Each say line of an HTML page with its quick-reply code; a say line without a
/// code gives an empty code.
fn say_codes(html: &str) -> Vec<LineCode> {
    html.split("<li class=\"say-line\" data-line=\"")
        .skip(1)
        .map(|item| {
            let (line, rest) = item.split_once('"').unwrap();
            let li = rest.split("</li>").next().unwrap();
            let code = li
                .split_once("<code title=\"")
                .and_then(|(_, c)| c.split_once('>'))
                .map_or("", |(_, c)| c.split('<').next().unwrap());
            (crate::support::html_unescape(line), code.to_string())
        })
        .collect()
}

/// The say lines and codes of the finder and of every table page of a built site.
fn built_codes(public: &Path) -> (Vec<LineCode>, BTreeSet<LineCode>) {
    let finder = say_codes(&std::fs::read_to_string(public.join("phrases/index.html")).unwrap());
    let mut on_pages = BTreeSet::new();
    for entry in std::fs::read_dir(public).unwrap() {
        let html = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        if html.contains("class=\"page-table\"") {
            on_pages.extend(say_codes(&html));
        }
    }
    (finder, on_pages)
}

fn is_valid_code(code: &str) -> bool {
    (1..=16).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !code.starts_with('-')
        && !code.ends_with('-')
}

#[test]
fn every_say_line_of_the_sample_has_its_own_valid_code() {
    let hb = Handbook::sample();
    assert_eq!(hb.run(&["build"]).code, 0);
    let (finder, on_pages) = built_codes(&hb.path("public"));
    assert!(
        finder.len() >= 100,
        "{} say lines in the finder",
        finder.len()
    );
    let mut seen = BTreeSet::new();
    for (line, code) in &finder {
        assert!(is_valid_code(code), "`{code}` of {line}");
        assert!(seen.insert(code.clone()), "`{code}` twice");
    }
    // The table pages show the same code beside the same line.
    let in_finder: BTreeSet<_> = finder.iter().cloned().collect();
    assert_eq!(in_finder, on_pages);
}

#[test]
fn codes_are_the_same_in_every_build_and_survive_unrelated_edits() {
    let first = Handbook::sample();
    assert_eq!(first.run(&["build"]).code, 0);
    let (codes, _) = built_codes(&first.path("public"));

    let second = Handbook::sample();
    assert_eq!(second.run(&["build"]).code, 0);
    assert_eq!(built_codes(&second.path("public")).0, codes);

    // Another entry in a table, another table: every line keeps its code.
    let table = "content/phrases/chat-greetings.yaml";
    let mut text = second.read(table);
    text.push_str("  - id: a-new-entry\n    situation: 新情境\n    say: 新的一句。\n");
    second.write(table, &text);
    second.write(
        "content/phrases/extra.yaml",
        "title: 新表\nkind: script\nentries:\n  - id: first-visit\n    situation: 新情境\n    say: 又一句。\n",
    );
    let run = second.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (after, _) = built_codes(&second.path("public"));
    for pair in &codes {
        assert!(after.contains(pair), "{pair:?} changed");
    }
    assert_eq!(after.len(), codes.len() + 2);
}
