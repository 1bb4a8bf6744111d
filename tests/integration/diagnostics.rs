//! What an editor is told, and in which language: one error per mistake, codes,
//! positions of type and syntax errors, and the reports of every broken fixture in
//! Chinese and in English.

use crate::support::{handbook, handbook_in_its_language, Handbook};

/// `check --format json` of a handbook, parsed.
fn check_json(hb: &Handbook, lang: &str) -> serde_json::Value {
    let run = hb.run(&["check", "--format", "json", "--lang", lang]);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// (code, file, line, column) of every diagnostic of a JSON report.
fn positions(json: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn a_broken_table_linked_from_three_chapters_is_one_error() {
    // The table's YAML has an unclosed quote on line 6; three chapters link to it,
    // its entry and embed it, `nav` lists it and another table's `see:` names an
    // entry after the quote.
    let hb = Handbook::copy_of("broken-table");
    let run = hb.run(&["check", "--lang", "en"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("error[").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(
        "error[E0301]: content/phrases/refunds.yaml:6:10: phrase table is not valid YAML: \
         the quote \" here is never closed"
    ));
    assert!(run.stderr.contains(
        "note: the YAML parser gave up here (found unexpected end of stream): \
         content/phrases/refunds.yaml:11:1"
    ));
    assert!(
        run.stderr.ends_with("1 error, 0 warnings\n"),
        "{}",
        run.stderr
    );

    let json = check_json(&hb, "en");
    assert_eq!(json["errors"], 1);
    assert_eq!(
        positions(&json),
        [(
            "E0301".to_string(),
            "content/phrases/refunds.yaml".to_string(),
            6,
            10
        )]
    );
}

#[test]
fn a_table_of_an_unknown_kind_is_one_error() {
    let hb = Handbook::copy_of("broken-table");
    hb.write(
        "content/phrases/refunds.yaml",
        "title: 退款话术\nkind: tactic\nentries:\n  - id: late\n    situation: 退款迟迟没到\n    \
         say: [亲，退款已经在路上了]\n  - id: partial\n    situation: 只退了一部分\n    say: [好的]\n",
    );
    let json = check_json(&hb, "en");
    assert_eq!(
        positions(&json),
        [(
            "E0309".to_string(),
            "content/phrases/refunds.yaml".to_string(),
            2,
            7
        )]
    );
    assert_eq!(json["diagnostics"][0]["help"], "did you mean `tactics`?");
    // A link to an entry the table does not have is still an error.
    hb.write(
        "content/intro.md",
        "# 入门\n\n见[退款话术](@refunds#nowhere)。\n",
    );
    let json = check_json(&hb, "en");
    let codes: Vec<String> = positions(&json).into_iter().map(|p| p.0).collect();
    assert_eq!(codes, ["E0401", "E0309"]);
}

#[test]
fn an_entry_that_fails_to_load_is_one_error() {
    let hb = Handbook::copy_of("broken-table");
    // `late` lacks its situation: the entry is left out, links to it are not errors.
    hb.write(
        "content/phrases/refunds.yaml",
        "title: 退款话术\nkind: script\nentries:\n  - id: late\n    say: [亲，退款已经在路上了]\n  \
         - id: partial\n    situation: 只退了一部分\n    say: [好的]\n",
    );
    let json = check_json(&hb, "en");
    assert_eq!(
        positions(&json),
        [(
            "E0304".to_string(),
            "content/phrases/refunds.yaml".to_string(),
            4,
            7
        )]
    );
}

#[test]
fn an_entry_without_a_readable_id_is_one_error() {
    let hb = Handbook::copy_of("broken-table");
    // The first entry is a line of text, not a mapping: which id it meant is not
    // known, so links to the table's entries are not checked until it is fixed.
    hb.write(
        "content/phrases/refunds.yaml",
        "title: 退款话术\nkind: script\nentries:\n  - 亲，退款已经在路上了\n  \
         - id: partial\n    situation: 只退了一部分\n    say: [好的]\n",
    );
    let json = check_json(&hb, "en");
    assert_eq!(
        positions(&json),
        [(
            "E0302".to_string(),
            "content/phrases/refunds.yaml".to_string(),
            4,
            5
        )],
        "{json:#}"
    );
}

#[test]
fn numbers_where_text_is_expected_are_errors_at_their_place() {
    let hb = Handbook::copy_of("broken-table");
    hb.write(
        "content/phrases/refunds.yaml",
        "title: 退款话术\nkind: script\nentries:\n  - id: late\n    situation: 退款迟迟没到\n    \
         say: 123\n    why: 7\n  - id: partial\n    situation: 只退了一部分\n    \
         say: [好的]\n    avoid: [概不退换。, 123]\n",
    );
    hb.write("content/intro.md", "---\ntitle: true\n---\n\n正文\n");
    let json = check_json(&hb, "en");
    let found: Vec<(String, String, u64, u64)> = positions(&json);
    let expected = [
        ("E0307", "content/intro.md", 2, 8),
        ("E0307", "content/phrases/refunds.yaml", 6, 10),
        ("E0307", "content/phrases/refunds.yaml", 7, 10),
        ("E0307", "content/phrases/refunds.yaml", 11, 20),
    ];
    let expected: Vec<(String, String, u64, u64)> = expected
        .iter()
        .map(|(c, f, l, col)| (c.to_string(), f.to_string(), *l, *col))
        .collect();
    assert_eq!(found, expected, "{json:#}");
    let say = &json["diagnostics"][1];
    assert_eq!(
        say["message"],
        "`say` in entry `late` must be text, found a number (`123`)"
    );
    assert_eq!(
        say["help"],
        "if `123` is meant as text, put it in quotes: `say: \"123\"`"
    );
    let zh = check_json(&hb, "zh");
    assert_eq!(
        zh["diagnostics"][1]["message"],
        "条目 `late` 的 `say` 应当是文字，这里却是数字 `123`"
    );
    // Nothing is exported: `123` is no forbidden line.
    let export = hb.run(&["export", "--format", "csv"]);
    assert_eq!(export.code, 1, "{}", export.stderr);
    assert!(export.stdout.is_empty());
}

#[test]
fn an_unclosed_quote_in_front_matter_is_reported_at_the_quote() {
    let hb = Handbook::copy_of("broken-table");
    hb.write(
        "content/phrases/refunds.yaml",
        "title: 退款话术\nkind: script\nentries:\n  - id: late\n    situation: 退款迟迟没到\n    \
         say: [好的]\n  - id: partial\n    situation: 只退了一部分\n    say: [好的]\n",
    );
    hb.write(
        "content/intro.md",
        "---\nid: start\ntitle: 入门\nsummary: '先读这一章\ntags: [新人]\n---\n\n正文\n",
    );
    hb.write("content/returns.md", "# 退货\n\n先读[入门](@start)。\n");
    hb.write(
        "content/handbook.yaml",
        "title: 售后手册\nnav: [start, refunds-guide, returns, refunds, greetings]\n",
    );
    let run = hb.run(&["check", "--lang", "en"]);
    assert!(
        run.stderr.contains(
            "error[E0301]: content/intro.md:4:10: front matter is not valid YAML: \
             the quote ' here is never closed"
        ),
        "{}",
        run.stderr
    );
    // The chapter keeps the id its front matter says: the link and `nav` to
    // `@start` are not errors as well.
    assert_eq!(run.stderr.matches("error[").count(), 1, "{}", run.stderr);
    assert!(!run.stderr.contains("warning["), "{}", run.stderr);
}

#[test]
fn messages_follow_the_handbook_unless_told() {
    let hb = Handbook::copy_of("broken-link");
    // No `language:` in handbook.yaml: the default, zh-CN.
    let run =
        handbook_in_its_language(&["check", "--root", hb.root().to_str().unwrap()], hb.root());
    assert!(
        run.stderr
            .contains("错误[E0401]: content/01-intro.md:3:7: 链接 `@complaint` 无效"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("   = 提示: 是不是想写 `@complaints`？"));
    assert!(
        run.stderr.ends_with("2 个错误，0 个警告\n"),
        "{}",
        run.stderr
    );
    // HANDBOOK_LANG=en (the tests' default) beats the handbook, --lang beats both.
    let run = hb.run(&["check"]);
    assert!(run.stderr.contains("error[E0401]"), "{}", run.stderr);
    let run = hb.run(&["check", "--lang", "zh"]);
    assert!(run.stderr.contains("错误[E0401]"), "{}", run.stderr);
    // A handbook in English.
    hb.write("content/handbook.yaml", "title: Handbook\nlanguage: en\n");
    let run =
        handbook_in_its_language(&["check", "--root", hb.root().to_str().unwrap()], hb.root());
    assert!(run.stderr.contains("error[E0401]"), "{}", run.stderr);
    // handbook.yaml that does not load still says its language.
    hb.write("content/handbook.yaml", "title: [Handbook\nlanguage: en\n");
    let run =
        handbook_in_its_language(&["check", "--root", hb.root().to_str().unwrap()], hb.root());
    assert!(
        run.stderr
            .contains("error[E0301]: content/handbook.yaml:1:8: handbook.yaml is not valid YAML"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_fatal_error_and_the_summary_lines_are_localized() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing");
    let run = handbook(
        &["check", "--lang", "zh", "--root", missing.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("错误: 这里没有手册："),
        "{}",
        run.stderr
    );
    let hb = Handbook::copy_of("good");
    let run = hb.run(&["check", "--lang", "zh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("检查通过："), "{}", run.stderr);
    let run = hb.run(&["build", "--lang", "zh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("已生成 "), "{}", run.stderr);
    let run = hb.run(&["check", "--lang", "fr"]);
    assert_eq!(run.code, 2, "clap refuses a language it does not know");
}

#[test]
fn a_chapter_nav_leaves_out_is_warned_about_unless_an_error_explains_it() {
    let hb = Handbook::copy_of("nav-missing");
    hb.write("content/handbook.yaml", "title: 手册\nnav: [intro]\n");
    let json = check_json(&hb, "en");
    assert_eq!(
        positions(&json),
        [(
            "W0401".to_string(),
            "content/complaints.md".to_string(),
            0,
            0
        )]
    );
    // An item `nav` cannot read might have been meant for it: no warning then.
    hb.write(
        "content/handbook.yaml",
        "title: 手册\nnav: [intro, [complaints]]\n",
    );
    let json = check_json(&hb, "en");
    let codes: Vec<String> = positions(&json).into_iter().map(|p| p.0).collect();
    assert_eq!(codes, ["E0501"], "{json:#}");
}

#[test]
fn json_reports_carry_codes_beside_localized_messages() {
    let hb = Handbook::copy_of("broken-link");
    hb.write("content/handbook.yaml", "title: 手册\nnav: [intro]\n");
    let zh = check_json(&hb, "zh");
    let en = check_json(&hb, "en");
    assert_eq!(zh["language"], "zh");
    assert_eq!(en["language"], "en");
    assert_eq!(positions(&zh), positions(&en));
    let first = &zh["diagnostics"][0];
    assert_eq!(first["code"], "E0401");
    assert_eq!(first["severity"], "error");
    assert_eq!(
        first["message"],
        "链接 `@complaint` 无效：没有哪个章节或话术表的 id 是 `complaint`"
    );
    assert_eq!(first["help"], "是不是想写 `@complaints`？");
    assert_eq!(
        en["diagnostics"][0]["message"],
        "broken link `@complaint`: no chapter or table has the id `complaint`"
    );
    let warning = zh["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "W0401")
        .expect("a chapter not in nav");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(
        warning["message"],
        "章节 `complaints` 没有列在 `nav` 里：已放到目录最后"
    );
}

/// Every broken fixture's report, in both languages.
#[test]
fn reports_of_the_broken_fixtures_in_both_languages() {
    for fixture in [
        "bad-code",
        "bad-yaml",
        "broken-anchor",
        "broken-link",
        "broken-table",
        "code-clash",
        "duplicate-id",
        "forbidden",
        "nav-missing",
        "template-error",
        "unknown-embed",
        "unknown-key",
    ] {
        for lang in ["zh", "en"] {
            let hb = Handbook::copy_of(fixture);
            let run = hb.run(&["check", "--lang", lang]);
            insta::assert_snapshot!(format!("{fixture}_{lang}"), run.stderr);
        }
    }
    // The export's own error: a character GBK cannot hold.
    for lang in ["zh", "en"] {
        let hb = Handbook::copy_of("unencodable");
        let run = hb.run(&["export", "--format", "qianniu", "--lang", lang]);
        assert_eq!(run.code, 1);
        insta::assert_snapshot!(format!("unencodable_{lang}"), run.stderr);
    }
}
