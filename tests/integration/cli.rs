//! Integration tests: the real binary on fixture handbooks.

use crate::support::{broken_internal_links, handbook, read_tree, Handbook};

/// `check` on a broken fixture: exit code 1 and the whole report, positions included.
fn check_report(fixture: &str) -> String {
    let hb = Handbook::copy_of(fixture);
    let run = hb.run(&["check"]);
    assert_eq!(
        run.code, 1,
        "{fixture} must fail the check:\n{}",
        run.stderr
    );
    run.stderr
}

#[test]
fn bad_yaml_is_reported_with_its_position() {
    insta::assert_snapshot!(check_report("bad-yaml"));
}

#[test]
fn every_schema_error_of_a_file_is_listed() {
    let report = check_report("unknown-key");
    for expected in [
        "error[E0303]: content/intro.md:2:1: unknown key `titel` in front matter",
        "error[E0303]: content/phrases/table.yaml:3:1: unknown key `colour` in phrase table",
        "error[E0304]: content/phrases/table.yaml:5:7: entry `a` is missing the required key `say`",
        "error[E0303]: content/phrases/table.yaml:7:5: unknown key `sya` in entry `a`",
        "error[E0305]: content/phrases/table.yaml:12:10: `why` in entry `b` must be text, found a list",
        "5 errors, 0 warnings",
    ] {
        assert!(
            report.contains(expected),
            "missing `{expected}` in:\n{report}"
        );
    }
    insta::assert_snapshot!(report);
}

#[test]
fn duplicate_ids_name_both_files() {
    let report = check_report("duplicate-id");
    assert!(report
        .contains("error[E0405]: content/phrases/complaints.yaml:1:1: duplicate id `complaints`"));
    assert!(report.contains("first used by: content/a/01-complaints.md:1:1"));
    assert!(report.contains("content/phrases/complaints.yaml:7:9: duplicate entry id `a`"));
    insta::assert_snapshot!(report);
}

#[test]
fn code_clashes_name_both_places() {
    let report = check_report("code-clash");
    for expected in [
        // Derived from table and entry ids: `refunds` and `refusals` both give `ref`.
        "error[E0406]: content/phrases/refusals.yaml:4:9: duplicate code `ref-ask`, derived for entry `ask` of table `refusals`",
        "note: also the code derived for entry `ask` of table `refunds`: content/phrases/refunds.yaml:4:9",
        // Two `code:`.
        "error[E0406]: content/phrases/refusals.yaml:10:11: duplicate code `hi`, set by `code:` on entry `greet`",
        "note: also the code set by `code:` on entry `hello` of table `refunds`: content/phrases/refunds.yaml:10:11",
        // A `code:` equal to the derived code of another entry's second line.
        "error[E0406]: content/phrases/refusals.yaml:14:11: duplicate code `ref-wait-2`",
        "note: also the code derived for entry `wait` of table `refunds`: content/phrases/refunds.yaml:11:9",
        "3 errors, 0 warnings",
    ] {
        assert!(
            report.contains(expected),
            "missing `{expected}` in:\n{report}"
        );
    }
    insta::assert_snapshot!(report);
}

#[test]
fn bad_codes_are_reported_where_written() {
    let report = check_report("bad-code");
    for expected in [
        "error[E0312]: content/phrases/codes.yaml:7:11: invalid code `Hello`: a code holds only lower-case ASCII letters, digits and `-`, not an upper-case letter",
        "did you mean `hello`?",
        "error[E0312]: content/phrases/codes.yaml:13:11: invalid code `abcdefghijklmnop`: with 2 `say` lines the last code would be `abcdefghijklmnop-2`",
        "error[E0312]: content/phrases/codes.yaml:17:11: invalid code `你好`",
        "warning[W0301]: content/phrases/steps.yaml:11:11: code `ji` is given to no line",
        "error[E0303]: content/phrases/tactics.yaml:7:5: unknown key `code` in entry `wait`",
        "4 errors, 1 warning",
    ] {
        assert!(
            report.contains(expected),
            "missing `{expected}` in:\n{report}"
        );
    }
    assert!(
        !report.contains("steps.yaml:7"),
        "a steps entry may set `code:`:\n{report}"
    );
    insta::assert_snapshot!(report);
}

/// The say lists of a page: each `<ul>` holding say lines, one per line of text.
fn say_lists(html: &str) -> String {
    let mut out = String::new();
    for part in html.split("<ul").skip(1) {
        let list = part.split("</ul>").next().unwrap();
        if list.contains("say-line") {
            out.push_str("<ul");
            out.push_str(list);
            out.push_str("</ul>\n");
        }
    }
    out
}

#[test]
fn codes_show_beside_each_say_line() {
    let hb = Handbook::copy_of("good");
    let table = "content/phrases/greetings.yaml";
    let text = hb.read(table).replace(
        "  - id: returning\n",
        "  - id: returning\n    code: welcome-back\n",
    );
    hb.write(table, &text);
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = say_lists(&hb.read("public/greetings.html"));
    let finder = say_lists(&hb.read("public/phrases/index.html"));
    // Derived (two alternatives) and written.
    for code in ["gre-first-tr58", "gre-first-tr58-2", "welcome-back"] {
        let shown = format!("<code title=\"快捷编码\">{code}</code>");
        assert!(page.contains(&shown), "{code} on the table page:\n{page}");
        assert!(finder.contains(&shown), "{code} in the finder:\n{finder}");
    }
    assert!(page.contains("<span class=\"visually-hidden\">快捷编码：</span>"));
    insta::assert_snapshot!("table_page", page);
    insta::assert_snapshot!("finder", finder);
}

#[test]
fn broken_links_suggest_the_intended_target() {
    let report = check_report("broken-link");
    assert!(report.contains("error[E0401]: content/01-intro.md:3:7: broken link `@complaint`"));
    assert!(report.contains("did you mean `@complaints`?"));
    assert!(report.contains("error[E0401]: content/01-intro.md:3:24: broken link `returns.md`"));
    assert!(
        !report.contains("example.com"),
        "external links are not checked"
    );
    insta::assert_snapshot!(report);
}

#[test]
fn broken_anchors_suggest_the_closest_heading() {
    let report = check_report("broken-anchor");
    assert!(report.contains("content/01-intro.md:3:7: broken link `@complaints#诚恳道谦`"));
    assert!(report.contains("did you mean `@complaints#诚恳道歉`?"));
    assert!(report.contains("content/01-intro.md:3:33: broken link `#入门的开头`"));
    insta::assert_snapshot!(report);
}

#[test]
fn unknown_embeds_are_errors() {
    let report = check_report("unknown-embed");
    assert!(report.contains("content/intro.md:3:12: embed of unknown phrase table `greeting`"));
    assert!(report.contains("content/intro.md:8:1: table `greetings` has no entry `frist-visit`"));
    insta::assert_snapshot!(report);
}

#[test]
fn nav_naming_a_missing_id_is_an_error() {
    let report = check_report("nav-missing");
    assert!(report.contains("content/handbook.yaml:5:13: `nav` names `complaint`"));
    assert!(report.contains("content/handbook.yaml:5:24: `nav` names `refunds`"));
    // `complaint` most likely meant `complaints`: that `complaints` is then not
    // listed follows from that error and is not warned about again.
    assert!(!report.contains("W0401"), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn forbidden_phrases_warn_but_do_not_fail() {
    let hb = Handbook::copy_of("forbidden");
    let run = hb.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning["))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning[W0201]: content/intro.md:3:10: 「喂，说话呀」 is listed as never to say (@phone#greeting)",
            "warning[W0201]: content/intro.md:8:5: 「喂，说话呀」 is listed as never to say (@phone#greeting)",
            "warning[W0201]: content/phrases/phone.yaml:6:22: 「喂，说话呀」 is listed as never to say (@phone#greeting)",
        ],
        "struck-through quotes are exempt:\n{}",
        run.stderr
    );
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let report = check_report("template-error");
    assert!(
        report.contains("error[E0507]: themes/broken/templates/chapter.html:3:18: template error"),
        "{report}"
    );
}

#[test]
fn check_json_lists_the_same_diagnostics() {
    let hb = Handbook::copy_of("broken-anchor");
    let run = hb.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(json["errors"], 2);
    let first = &json["diagnostics"][0];
    assert_eq!(first["file"], "content/01-intro.md");
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 7);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["help"], "did you mean `@complaints#诚恳道歉`?");
}

#[test]
fn good_fixture_builds_with_every_link_resolved() {
    let hb = Handbook::copy_of("good");
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let public = hb.path("public");
    for page in [
        "index.html",
        "404.html",
        "intro.html",
        "complaints.html",
        "greetings.html",
        "complaint-steps.html",
        "bargaining.html",
        "01-basics/images/logo.svg",
        "static/style.css",
        "phrases.csv",
        "phrases.json",
    ] {
        assert!(public.join(page).is_file(), "{page} missing");
    }
    assert!(!public.join("draft.html").exists(), "drafts are left out");
    let (checked, problems) = broken_internal_links(&public);
    assert!(checked > 40, "only {checked} links checked");
    assert!(problems.is_empty(), "{problems:#?}");

    let intro = hb.read("public/intro.html");
    // Both link forms become relative .html URLs; anchors keep Chinese, written as
    // it is rather than percent-encoded.
    assert!(
        intro.contains(r#"href="complaints.html#诚恳道歉""#),
        "{intro}"
    );
    assert!(intro.contains(r#"href="complaint-steps.html#listen""#));
    // An email autolink is a mailto: link, not a file next to the chapter.
    assert!(
        intro.contains(r#"<a href="mailto:kefu@example.com">"#),
        "{intro}"
    );
    assert!(intro.contains(r#"<h2 id="key-points">"#));
    assert!(intro.contains(r#"<h2 id="要点">"#) && intro.contains(r#"<h2 id="要点-1">"#));
    assert!(intro.contains(r#"<div class="bubble from-staff"><span class="speaker">客服</span>"#));
    // The embed lists only the entry asked for.
    assert!(intro.contains("新买家") && !intro.contains("老顾客"));
    // Text from YAML is escaped.
    assert!(hb
        .read("public/greetings.html")
        .contains("老顾客 &lt;回访&gt;"));
    // Backlinks: the tables list the chapters that embed or link them.
    let steps = hb.read("public/complaint-steps.html");
    let backlinks = steps
        .split("class=\"backlinks\"")
        .nth(1)
        .expect("referenced-from section");
    assert!(
        backlinks.contains("href=\"intro.html\"") && backlinks.contains("href=\"complaints.html\"")
    );
    // Heading anchors with punctuation.
    assert!(hb
        .read("public/complaints.html")
        .contains(r#"id="step-2-listen""#));
}

/// An element of a piece of markup written as XHTML (every element closed), read
/// back by a real XML reader: its name, attributes, own text and children.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        (self.attrs.iter())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }
}

/// `xml`'s elements, as the children of an unnamed root; panics on markup that is
/// not well formed (an element left open, an end tag that closes another).
fn parse_xml(xml: &str) -> Element {
    use quick_xml::events::{BytesStart, Event};
    let element = |e: &BytesStart| Element {
        name: e.name().as_ref().to_string(),
        attrs: (e.attributes())
            .map(|a| a.unwrap_or_else(|err| panic!("{err} in {xml}")))
            .map(|a| {
                let key = a.key.as_ref().to_string();
                (key, a.value.to_string())
            })
            .collect(),
        ..Element::default()
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack = vec![Element::default()];
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("{e} in {xml}"))
        {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack
                    .last_mut()
                    .expect("an end tag too many")
                    .children
                    .push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text += t.as_ref(),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "elements left open in {xml}");
    stack.pop().unwrap()
}

/// A page's sidebar as its HTML holds it (the `<nav>` element, read as XML).
fn sidebar_frame(html: &str) -> Element {
    let start = html.find("<nav class=\"sidebar\"").expect("a sidebar");
    let end = start + html[start..].find("</nav>").unwrap() + "</nav>".len();
    let mut frame = parse_xml(&html[start..end]);
    assert_eq!(frame.children.len(), 1);
    frame.children.pop().unwrap()
}

/// The list a sidebar script puts in: the string it is called with, read as
/// JSON, its HTML read as XML (one `<ul>`).
fn script_list(js: &str) -> Element {
    let (_, call) = js.rsplit_once("})(").expect("the script's call");
    let argument = call.strip_suffix(");\n").expect("the call ends the script");
    let html: String = serde_json::from_str(argument).unwrap();
    let mut list = parse_xml(&html);
    assert_eq!(list.names(), ["ul"], "{html}");
    list.children.pop().unwrap()
}

#[test]
fn a_page_holds_the_sidebars_frame_and_its_parts_script_the_list() {
    let hb = Handbook::copy_of("good");
    assert_eq!(hb.run(&["build"]).code, 0);
    let intro = hb.read("public/intro.html");
    assert!(!intro.contains("sidebar-sections"), "{intro}");
    let nav = sidebar_frame(&intro);
    assert_eq!(nav.attr("id"), Some("sidebar"));
    assert_eq!(nav.names(), ["a", "script"]);
    let (home, script) = (&nav.children[0], &nav.children[1]);
    assert_eq!(home.attr("href"), Some("index.html"));
    assert_eq!(home.attr("aria-current"), None);
    // A classic script that runs where it stands, told the page's root and URL.
    assert!(script.attr("defer").is_none() && script.attr("async").is_none());
    assert_eq!(script.attr("data-root"), Some(""));
    assert_eq!(script.attr("data-page"), Some("intro.html"));
    let src = script.attr("src").unwrap();
    assert!(src.starts_with("nav/") && src.ends_with(".js"), "{src}");

    let list = script_list(&hb.read(&format!("public/{src}")));
    assert_eq!(list.attr("class"), Some("sidebar-sections"));
    let current: Vec<&Element> = (list.children.iter())
        .filter(|li| li.attr("class") == Some("current"))
        .collect();
    assert_eq!(current.len(), 1, "{list:?}");
    let pages: Vec<(&str, &str)> = current[0].children[1]
        .children
        .iter()
        .map(|li| {
            (
                li.children[0].attr("href").unwrap(),
                li.children[0].text.as_str(),
            )
        })
        .collect();
    assert!(pages.contains(&("intro.html", "入门")), "{pages:?}");
    // The script marks the page's link: no link of the list is marked in the file.
    assert!(!format!("{list:?}").contains("aria-current"));
    // The after-sales part shows as one link, not with its chapters.
    let others = list.children.iter().filter(|li| li.attr("class").is_none());
    for part in others {
        assert_eq!(part.names(), ["a"], "{part:?}");
        assert_ne!(part.children[0].text, "投诉处理");
    }

    // Another part's page loads another script; the pages of no part share one,
    // from the root and one folder down.
    let other = sidebar_frame(&hb.read("public/complaints.html"));
    assert_ne!(other.children[1].attr("src"), Some(src));
    let index = sidebar_frame(&hb.read("public/index.html"));
    assert_eq!(index.children[0].attr("aria-current"), Some("page"));
    assert_eq!(index.children[1].attr("src"), Some("nav/index.js"));
    assert_eq!(index.children[1].attr("data-page"), Some(""));
    let finder = sidebar_frame(&hb.read("public/phrases/index.html"));
    assert_eq!(finder.children[1].attr("src"), Some("../nav/index.js"));
    assert_eq!(finder.children[1].attr("data-root"), Some("../"));
    let site_wide = script_list(&hb.read("public/nav/index.js"));
    assert!(site_wide
        .children
        .iter()
        .all(|li| li.attr("class").is_none()));

    let index = hb.read("public/index.html");
    let toc = index.split("<nav class=\"toc\"").nth(1).unwrap();
    assert!(
        toc.contains(">投诉处理<") && toc.contains(">入门<"),
        "index has the full TOC"
    );
}

#[test]
fn drafts_build_only_when_asked() {
    let hb = Handbook::copy_of("good");
    assert_eq!(hb.run(&["build", "--drafts"]).code, 0);
    assert!(hb.path("public/draft.html").is_file());
}

/// The names in `dir` that start with `prefix`.
fn names_in(dir: &std::path::Path, prefix: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect()
}

#[test]
fn building_twice_gives_identical_output() {
    let good = Handbook::copy_of("good");
    assert_eq!(good.run(&["build", "--out", "first"]).code, 0);
    assert_eq!(good.run(&["build", "--out", "second"]).code, 0);
    let first = read_tree(&good.path("first"));
    let second = read_tree(&good.path("second"));
    assert!(!first.is_empty());
    assert!(first.keys().any(|k| k == "print.html"));
    assert_eq!(first, second);
    // The print sections set aside while rendering are gone with the build.
    let scratch = names_in(good.root(), ".handbook");
    assert!(scratch.is_empty(), "{scratch:?}");
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let hb = Handbook::copy_of("good");
    assert_eq!(hb.run(&["build"]).code, 0);
    let before = read_tree(&hb.path("public"));
    hb.write(
        "content/02-aftersales/01-complaints.md",
        "# 投诉\n\n[坏链接](@nowhere)\n",
    );
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("was left as it was"), "{}", run.stderr);
    assert_eq!(read_tree(&hb.path("public")), before);
    // The record of what the first build wrote stays; no staging folder does.
    let leftovers: Vec<_> = names_in(hb.root(), ".public")
        .into_iter()
        .filter(|n| n != ".public.written")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_template_failing_mid_build_leaves_the_previous_site_untouched() {
    let hb = Handbook::copy_of("custom-theme");
    assert_eq!(hb.run(&["build"]).code, 0);
    let before = read_tree(&hb.path("public"));
    // Fails only when a page is rendered, after others were already written into
    // the staging folder.
    hb.write(
        "themes/mine/templates/table.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_value.title }}{% endblock main %}",
    );
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("table.html"), "{}", run.stderr);
    assert_eq!(read_tree(&hb.path("public")), before);
    let scratch = names_in(hb.root(), ".handbook");
    assert!(scratch.is_empty(), "{scratch:?}");
}

#[test]
fn a_theme_folder_overrides_only_what_it_holds() {
    let hb = Handbook::copy_of("custom-theme");
    let icon = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n";
    hb.write("themes/mine/static/favicon.svg", icon);
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let intro = hb.read("public/intro.html");
    assert!(
        intro.contains("<div class=\"mine\">"),
        "own chapter template"
    );
    assert!(intro.contains("<html lang=\"en\""), "default base template");
    assert!(intro.contains("Next") || intro.contains("Previous") || intro.contains("Contents"));
    assert_eq!(
        hb.read("public/static/style.css"),
        "body { color: teal; }\n"
    );
    assert!(hb.path("public/static/extra.css").is_file());
    assert_eq!(hb.read("public/static/favicon.svg"), icon, "own icon");
    assert!(
        intro.contains("<link rel=\"icon\" href=\"static/favicon.svg\""),
        "pages link the icon relatively"
    );
    for script in ["handbook.js", "search.js", "finder.js", "practice.js"] {
        assert!(
            hb.path(&format!("public/static/{script}")).is_file(),
            "default static files stay: {script}"
        );
    }
    assert!(
        hb.read("public/practice.html")
            .contains("static/practice.js\" defer"),
        "the default practice template names its script"
    );
    assert!(
        hb.read("public/t.html").contains("禁用语"),
        "string override"
    );
}

#[test]
fn a_theme_base_template_naming_only_handbook_js_still_builds() {
    // Like the base.html of a theme made before the scripts were split: it names only handbook.js.
    let hb = Handbook::copy_of("custom-theme");
    hb.write(
        "themes/mine/templates/base.html",
        "<html><head><title>{% block title %}{% endblock title %}</title><script src=\"{{ root }}static/handbook.js\" defer></script></head>\n\
         <body data-root=\"{{ root }}\">{% block main %}{% endblock main %}</body></html>\n",
    );
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(hb
        .read("public/practice.html")
        .contains("static/practice.js\" defer"));
    assert!(hb
        .read("public/phrases/index.html")
        .contains("static/finder.js\" defer"));
    assert!(!hb.read("public/intro.html").contains("search.js"));
}

#[test]
fn a_themes_own_finder_templates_get_the_tables() {
    let hb = Handbook::copy_of("custom-theme");
    // A finder.html of its own, written before each table's group had a template:
    // it walks `finder`, every table with its entries.
    hb.write(
        "themes/mine/templates/finder.html",
        "{% extends \"base.html\" %}{% block main %}<ul id=\"own\">{% for table in finder %}\
         <li>{{ table.title }}:{% for entry in table.entries %}[{{ entry.label }}]{% endfor %}</li>\
         {% endfor %}</ul>{% endblock main %}\n",
    );
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let finder = hb.read("public/phrases/index.html");
    assert!(
        finder.contains("<ul id=\"own\"><li>T:[S]</li></ul>"),
        "{finder}"
    );

    // Only a group of its own: the default finder.html places it for each table.
    std::fs::remove_file(hb.path("themes/mine/templates/finder.html")).unwrap();
    hb.write(
        "themes/mine/templates/finder_group.html",
        "<section class=\"mine\">{{ root }}|{{ table.title }}|{{ table.entries | length }}</section>",
    );
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let finder = hb.read("public/phrases/index.html");
    assert!(
        finder.contains("<section class=\"mine\">../|T|1</section>"),
        "{finder}"
    );
    assert!(
        finder.contains("<option value=\"t\">T</option>"),
        "{finder}"
    );
}

#[test]
fn init_scaffolds_a_handbook_that_builds_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let run = handbook(&["init", "new-book"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let root = dir.path().join("new-book");
    let run = handbook(&["check", "--root", root.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let run = handbook(&["build", "--root", root.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(root.join("public/index.html").is_file());
    let (_, problems) = broken_internal_links(&root.join("public"));
    assert!(problems.is_empty(), "{problems:#?}");
    // A second init never overwrites.
    let again = handbook(&["init", "new-book"], dir.path());
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already holds a content/ folder"));
}

#[test]
fn usage_and_io_problems_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = handbook(
        &["build", "--root", dir.path().to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no handbook here"), "{}", run.stderr);
    assert_eq!(handbook(&["build", "--no-such-flag"], dir.path()).code, 2);
    assert_eq!(handbook(&["export", "--format", "xml"], dir.path()).code, 2);

    let hb = Handbook::copy_of("good");
    let run = hb.run(&["build", "--out", hb.root().to_str().unwrap()]);
    assert_eq!(run.code, 2, "must refuse to replace the handbook itself");
    assert!(hb.path("content/handbook.yaml").is_file());
}

#[test]
fn help_explains_each_command() {
    let dir = tempfile::tempdir().unwrap();
    let run = handbook(&["--help"], dir.path());
    assert_eq!(run.code, 0);
    for command in ["init", "build", "check", "export"] {
        assert!(run.stdout.contains(command), "{}", run.stdout);
    }
    let run = handbook(&["build", "--help"], dir.path());
    assert!(run.stdout.contains("--drafts") && run.stdout.contains("--out"));
}
