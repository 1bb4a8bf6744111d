//! The targets that read a handbook's text: front matter, YAML with positions,
//! phrase tables, chapters (Markdown, links, anchors, embeds, dialogue), slugs and
//! the search segmenter.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use super::{as_text, assert_span, fxhash};
use crate::diag::{Diagnostic, FileId};
use crate::model::LinkTarget;
use crate::search::segment::{is_cjk, CharSet, Segmenter};
use crate::text::ids::{slugify, AnchorSet};
use crate::text::lint::ForbiddenPhrases;
use crate::text::{dialogue as dialogue_syntax, links};
use crate::yaml::{Node, NodeValue};

/// Every diagnostic's span (and its note's, in the same text) lies inside `text`;
/// returns the diagnostics' codes and first words, as an outcome.
#[track_caller]
fn check_diagnostics(text: &str, diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let message = d.message(crate::diag::Lang::En);
            if let Some(span) = d.location.as_ref().and_then(|l| l.span.as_ref()) {
                assert_span(text, span, message);
            }
            if let Some((_, noted)) = d.note(crate::diag::Lang::En) {
                if let Some(span) = &noted.span {
                    assert_span(text, span, message);
                }
            }
            let words: String = message.chars().take(24).collect();
            format!("{} {words}", d.code())
        })
        .collect()
}

pub(super) fn front_matter(input: &[u8]) -> u64 {
    let text = as_text(input);
    match crate::load::split_front_matter(&text) {
        Ok(split) => {
            if let Some(yaml) = &split.yaml {
                assert_span(&text, yaml, "front matter");
                assert!(
                    yaml.end <= split.body_start,
                    "the body starts after the YAML"
                );
            }
            assert_span(&text, &(split.body_start..text.len()), "body");
            fxhash(&(1, split.yaml.is_some()))
        }
        Err(offset) => {
            assert_span(&text, &(offset..offset + 3), "unclosed front matter");
            assert_eq!(&text[offset..offset + 3], "---");
            2
        }
    }
}

/// Every node's span inside `offset..offset + text.len()`, on character boundaries;
/// the nodes' shape as an outcome.
fn check_node(text: &str, offset: usize, node: &Node, shape: &mut Vec<u8>) {
    let local = node.span.start - offset.min(node.span.start)..node.span.end.saturating_sub(offset);
    assert!(
        node.span.start >= offset,
        "node span {:?} before the document",
        node.span
    );
    assert_span(text, &local, "YAML node");
    match &node.value {
        NodeValue::Null => shape.push(0),
        NodeValue::Scalar { plain, .. } => shape.push(1 + u8::from(*plain)),
        NodeValue::Seq(items) => {
            shape.push(3);
            for item in items.iter().take(64) {
                check_node(text, offset, item, shape);
            }
        }
        NodeValue::Map(pairs) => {
            shape.push(4);
            for (key, value) in pairs.iter().take(64) {
                check_node(text, offset, key, shape);
                check_node(text, offset, value, shape);
            }
        }
    }
}

pub(super) fn yaml_positions(input: &[u8]) -> u64 {
    let text = as_text(input);
    // The front matter's YAML starts inside its file: offsets are shifted.
    let offset = input.len() % 7;
    match crate::yaml::parse(&text, offset) {
        Ok(node) => {
            let mut shape = Vec::new();
            check_node(&text, offset, &node, &mut shape);
            shape.truncate(32);
            fxhash(&shape)
        }
        Err(error) => {
            let local =
                error.offset - offset.min(error.offset)..error.offset.saturating_sub(offset);
            assert!(error.offset >= offset, "error before the document");
            assert_span(&text, &local, &error.message);
            assert!(
                !error.message.is_empty(),
                "a syntax error says what is wrong"
            );
            fxhash(&error.message.chars().take(20).collect::<String>())
        }
    }
}

pub(super) fn phrase_table(input: &[u8]) -> u64 {
    let text = as_text(input);
    let mut diagnostics = Vec::new();
    let table = crate::load::load_table(FileId::first(), "phrases/t.yaml", &text, &mut diagnostics);
    let mut outcome = check_diagnostics(&text, &diagnostics);
    if let Some(table) = &table {
        assert_span(&text, &table.id.span, "table id");
        let mut ids = HashSet::new();
        for entry in &table.entries {
            assert_span(&text, &entry.id.span, "entry id");
            ids.insert(entry.id.value.as_str());
            for line in entry.say().iter().chain(entry.avoid()) {
                assert_span(&text, &line.span, "say or avoid line");
            }
            for link in &entry.see {
                assert_span(&text, &link.span, "see link");
            }
        }
        outcome.push(format!("{:?} {}", table.kind, table.entries.len().min(3)));
    }
    fxhash(&outcome)
}

/// Forbidden phrases from the fixture that has some, so the lint runs too.
fn forbidden() -> &'static ForbiddenPhrases {
    static FORBIDDEN: OnceLock<ForbiddenPhrases> = OnceLock::new();
    FORBIDDEN.get_or_init(|| {
        let mut tables = Vec::new();
        for seed in super::seed_files(&[".yaml"]) {
            let text = as_text(&seed);
            let mut diagnostics = Vec::new();
            if let Some(table) =
                crate::load::load_table(FileId::first(), "t.yaml", &text, &mut diagnostics)
            {
                tables.push(Arc::new(table));
            }
        }
        ForbiddenPhrases::new(&tables)
    })
}

pub(super) fn chapter(input: &[u8]) -> u64 {
    let text = as_text(input);
    let mut diagnostics = Vec::new();
    let load = |diagnostics: &mut Vec<Diagnostic>| {
        crate::load::load_chapter(
            FileId::first(),
            "01-part/02-chapter.md",
            &text,
            forbidden(),
            diagnostics,
        )
    };
    let chapter = load(&mut diagnostics);
    let mut outcome = check_diagnostics(&text, &diagnostics);
    assert_span(&text, &(chapter.body_start..text.len()), "body");
    assert_span(&text, &chapter.id.span, "chapter id");
    for link in &chapter.links {
        assert_span(&text, &link.span, &format!("link {}", link.written));
        outcome.push(
            match link.target {
                LinkTarget::Id { .. } => "id",
                LinkTarget::Source { .. } => "source",
                LinkTarget::SamePage { .. } => "same",
                LinkTarget::Asset { .. } => "asset",
                LinkTarget::External => "external",
            }
            .to_string(),
        );
    }
    for embed in &chapter.embeds {
        assert_span(&text, &embed.table.span, "embedded table");
        for entry in &embed.entries {
            assert_span(&text, &entry.span, "embedded entry");
        }
        outcome.push("embed".to_string());
    }
    // Anchors: unique on the page, never empty, and the same on every load.
    let mut anchors = HashSet::new();
    for heading in &chapter.headings {
        assert!(!heading.anchor.is_empty(), "an empty anchor");
        assert!(
            anchors.insert(heading.anchor.as_str()),
            "anchor `{}` twice on one page",
            heading.anchor
        );
        outcome.push(format!("h{}", heading.level));
    }
    let again = load(&mut Vec::new());
    let first: Vec<&str> = chapter.headings.iter().map(|h| h.anchor.as_str()).collect();
    let second: Vec<&str> = again.headings.iter().map(|h| h.anchor.as_str()).collect();
    assert_eq!(first, second, "anchors change between two loads");
    outcome.sort();
    outcome.dedup();
    fxhash(&outcome)
}

pub(super) fn dialogue(input: &[u8]) -> u64 {
    let text = as_text(input);
    let mut outcome = Vec::new();
    for parsed in dialogue_syntax::parse(&text) {
        assert_span(&text, &parsed.range, "dialogue line");
        match parsed.line {
            Ok(line) => {
                assert!(!line.speaker.is_empty() && line.speaker == line.speaker.trim());
                assert!(!line.text.is_empty(), "a message without text");
                assert!(
                    text[parsed.range.clone()].contains(line.speaker.as_str()),
                    "the speaker is not in its line"
                );
                outcome.push(1u8);
            }
            Err(_) => outcome.push(0),
        }
    }
    outcome.truncate(16);
    fxhash(&outcome)
}

/// Link destinations: the seeds' lines, each a destination to classify.
pub(super) fn link_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = [
        "@complaints#诚恳道歉",
        "../04-aftersales/03-complaints.md#%E8%AF%9A",
        "img/a.png",
        "https://example.com/a?b#c",
        "#要点",
        "..\\..\\x.md",
        "a/./b/../c.yaml?x=1",
        "%2e%2e/%2e%2e/etc/passwd",
        "mailto:a@b.c",
    ]
    .iter()
    .map(|s| format!("01-basics\n{s}").into_bytes())
    .collect();
    seeds.push(b"\n".to_vec());
    seeds
}

/// The input's first line is the linking file's folder, the rest the destination.
pub(super) fn link_destinations(input: &[u8]) -> u64 {
    let text = as_text(input);
    let (dir, dest) = text.split_once('\n').unwrap_or(("", &text));
    let dir = links::normalize("", dir);
    let dir = dir.trim_start_matches("../");
    let target = links::classify(dest, dir);
    let check_path = |path: &str| {
        // Normalised: no `.` or empty parts, and `..` only at the front. (An empty
        // path is `content/` itself, which resolving reports as no file.)
        if path.is_empty() || path.split('/').all(|p| p == ".." || p.is_empty()) {
            return;
        }
        let parts: Vec<&str> = path.split('/').collect();
        let climbs = parts.iter().take_while(|p| **p == "..").count();
        for part in &parts[climbs..] {
            assert!(
                !part.is_empty() && *part != "." && *part != ".." && !part.contains('\\'),
                "`{path}` is not normalised"
            );
        }
        // Normalising again changes nothing.
        if climbs == 0 {
            assert_eq!(links::normalize("", path), path, "normalising twice");
        }
    };
    match &target {
        LinkTarget::Source { path, anchor } => {
            check_path(path);
            // Only a `#` as written separates the anchor; a `%23` is decoded after.
            assert_eq!(anchor.is_some(), dest.contains('#'), "anchor of {dest:?}");
        }
        LinkTarget::Asset { path } => check_path(path),
        LinkTarget::Id { id, anchor } => {
            let written = dest.trim().strip_prefix('@').unwrap_or_default();
            let written_id = written.split('#').next().unwrap_or_default();
            assert_eq!(
                anchor.is_some(),
                written.contains('#'),
                "an id keeps its anchor: {dest:?}"
            );
            // A `#` in the id can only come from a `%23` written in it (ids may not
            // hold `#`, so such a link names no page and is reported as such).
            if id.contains('#') {
                assert!(
                    written_id.to_ascii_lowercase().contains("%23"),
                    "an id took in its anchor: {id:?} from {dest:?}"
                );
            }
            assert!(id.len() <= written_id.len(), "an id longer than written");
        }
        LinkTarget::SamePage { .. } | LinkTarget::External => {}
    }
    // Decoding is lenient and never grows the text.
    assert!(links::percent_decode(dest).len() <= dest.len());
    fxhash(&std::mem::discriminant(&target))
}

pub(super) fn slugs(input: &[u8]) -> u64 {
    let text = as_text(input);
    let mut first = AnchorSet::default();
    let mut second = AnchorSet::default();
    let mut given = HashSet::new();
    let mut outcome = 0u64;
    for line in text.lines().take(500) {
        let slug = slugify(line);
        assert!(!slug.is_empty(), "an empty slug for {line:?}");
        assert!(
            slug.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-'),
            "slug `{slug}` has a character a URL fragment would escape"
        );
        assert!(
            !slug.starts_with('-') && !slug.ends_with('-'),
            "slug `{slug}`"
        );
        assert_eq!(slugify(&slug), slug, "a slug is its own slug");
        let anchor = first.unique(slug.clone());
        assert_eq!(second.unique(slug.clone()), anchor, "anchors are stable");
        assert!(
            given.insert(anchor.clone()),
            "anchor `{anchor}` handed out twice"
        );
        outcome = outcome.wrapping_add(u64::from(anchor != slug));
    }
    outcome.min(4)
}

fn segmenter_whole() -> &'static Segmenter {
    static WHOLE: OnceLock<Segmenter> = OnceLock::new();
    WHOLE.get_or_init(Segmenter::new)
}

pub(super) fn segmenter(input: &[u8]) -> u64 {
    let text = as_text(input);
    // jieba is slow in a debug build: the first 4 KB are plenty of text.
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let folded = crate::search::fold::table().fold(text);
    let lower = folded.to_lowercase();
    let mut terms = Vec::new();
    segmenter_whole().for_each_term(text, |term| terms.push(term.into_owned()));
    for term in &terms {
        assert!(!term.is_empty(), "an empty term");
        assert!(
            !term.chars().any(char::is_whitespace),
            "term {term:?} has a space"
        );
        assert!(
            folded.contains(term.as_str()) || lower.contains(term.as_str()),
            "term {term:?} is not in the text"
        );
        let cjk = term.chars().filter(|&c| is_cjk(c)).count();
        assert!(
            cjk == 0 || cjk == term.chars().count(),
            "term {term:?} mixes CJK and other characters"
        );
        // Lower-cased as the browser lower-cases a query (`𝐀`, mathematical bold,
        // counts as upper case and has no lower case: it stays).
        assert_eq!(term.to_lowercase(), *term, "term {term:?} not lower-cased");
    }
    // A segmenter fitted to the text cuts it as the whole dictionary does (checked
    // now and then: making one takes a while).
    if fxhash(text).is_multiple_of(64) {
        // As the build makes it: the text's characters and what they fold to.
        let mut chars = CharSet::default();
        chars.add(text);
        crate::search::fold::table().add_folded(&mut chars);
        let mut fitted_terms = Vec::new();
        Segmenter::fitted(&chars).for_each_term(text, |t| fitted_terms.push(t.into_owned()));
        assert_eq!(fitted_terms, terms, "a fitted segmenter cuts differently");
    }
    let mut kinds: Vec<usize> = terms.iter().map(|t| t.chars().count().min(5)).collect();
    kinds.sort();
    kinds.dedup();
    fxhash(&kinds)
}
