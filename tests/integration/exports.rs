//! The export formats, read back with real readers (the csv crate, serde_json,
//! encoding_rs for GBK, calamine for the workbook) and compared with the lines the tables' YAML holds.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::support::{handbook, Handbook};

/// One line of a table as its YAML says: table id, table title, situation, kind,
/// text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Line {
    table: String,
    title: String,
    situation: String,
    kind: &'static str,
    text: String,
}

/// Every say and avoid line of the tables under `content/`, read from their YAML
/// without the handbook's own loader.
fn table_lines(root: &Path) -> Vec<Line> {
    let mut lines = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.ends_with(".yaml") || name == "handbook.yaml" || name == "_part.yaml" {
            continue;
        }
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
        let table = match yaml["id"].as_str() {
            Some(id) => id.to_string(),
            None => name.trim_end_matches(".yaml").to_string(),
        };
        let title = yaml["title"].as_str().unwrap().to_string();
        for e in yaml["entries"].as_sequence().unwrap() {
            let situation = e["situation"].as_str().or(e["title"].as_str());
            let Some(situation) = situation else { continue };
            for kind in ["say", "avoid"] {
                for text in strings(&e[kind]) {
                    lines.push(Line {
                        table: table.clone(),
                        title: title.clone(),
                        situation: situation.to_string(),
                        kind,
                        text,
                    });
                }
            }
        }
    }
    lines.sort();
    lines
}

/// A YAML string or list of strings.
fn strings(value: &serde_yaml::Value) -> Vec<String> {
    match value {
        serde_yaml::Value::String(s) => vec![s.clone()],
        serde_yaml::Value::Sequence(items) => items
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

fn says(lines: &[Line]) -> Vec<Line> {
    lines.iter().filter(|l| l.kind == "say").cloned().collect()
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}

/// CSV records, the header first.
fn csv_records(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn read_bytes(hb: &Handbook, rel: &str) -> Vec<u8> {
    std::fs::read(hb.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

fn decode_gbk(bytes: &[u8]) -> String {
    let (text, _, malformed) = encoding_rs::GBK.decode(bytes);
    assert!(!malformed, "not GBK");
    text.into_owned()
}

/// A JSON export read back; each is written compact, on one line ended by a line
/// break (a line break inside a string is written `\n`).
fn json(hb: &Handbook, rel: &str) -> Vec<Value> {
    let bytes = read_bytes(hb, rel);
    let line_breaks = bytes.iter().filter(|b| **b == b'\n').count();
    assert!(
        line_breaks == 1 && bytes.ends_with(b"]\n"),
        "{rel} is not compact: {line_breaks} line breaks"
    );
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    value.as_array().unwrap().clone()
}

/// The quick-reply formats of a built site, read back: each one's reply texts.
struct QuickReplies {
    qianniu: Vec<Vec<String>>,
    zendesk: Vec<Value>,
    chatwoot: Vec<Value>,
    zammad: Vec<Vec<String>>,
}

impl QuickReplies {
    fn read(hb: &Handbook) -> Self {
        let qianniu = decode_gbk(&read_bytes(hb, "public/exports/qianniu.csv"));
        assert!(
            qianniu.starts_with("快捷短语编码,快捷短语,快捷短语分组\r\n"),
            "{qianniu}"
        );
        let zammad = String::from_utf8(read_bytes(hb, "public/exports/zammad.csv")).unwrap();
        assert!(zammad.starts_with("name;keywords;content;note;active\r\n"));
        QuickReplies {
            qianniu: csv_records(&qianniu, b',').split_off(1),
            zendesk: json(hb, "public/exports/zendesk.json"),
            chatwoot: json(hb, "public/exports/chatwoot.json"),
            zammad: csv_records(&zammad, b';').split_off(1),
        }
    }

    /// Every reply text of every quick-reply format.
    fn texts(&self) -> Vec<String> {
        let zendesk = self.zendesk.iter().map(|m| {
            assert_eq!(m["macro"]["actions"][0]["field"], "comment_value");
            m["macro"]["actions"][0]["value"]
                .as_str()
                .unwrap()
                .to_string()
        });
        let chatwoot = self
            .chatwoot
            .iter()
            .map(|c| c["content"].as_str().unwrap().to_string());
        let zammad = self.zammad.iter().map(|r| unescape(&r[2]));
        self.qianniu
            .iter()
            .map(|r| r[1].clone())
            .chain(zendesk)
            .chain(chatwoot)
            .chain(zammad)
            .collect()
    }
}

fn unescape(html: &str) -> String {
    html.replace("<br>", "\n")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every sheet of an xlsx file read back with calamine: its name and its rows of
/// cell texts, the header first.
fn workbook(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("calamine opens it");
    let text = |cell: &Data| match cell {
        Data::String(text) => text.clone(),
        Data::Empty => String::new(),
        other => panic!("a cell that is not text: {other:?}"),
    };
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("a readable sheet");
            let rows = range.rows().map(|row| row.iter().map(text).collect());
            (name, rows.collect())
        })
        .collect()
}

/// `exports/phrases.xlsx`: a sheet of every line, then one per table; say lines in
/// the say column with their codes, avoid lines only in the avoid column.
fn workbook_matches_the_tables(hb: &Handbook, all: &[Line], codes: &[&str]) {
    let sheets = workbook(&read_bytes(hb, "public/exports/phrases.xlsx"));
    let titles: BTreeSet<&str> = all.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(
        sheets.len(),
        titles.len() + 1,
        "a sheet per table and one of all"
    );
    let (first, rows) = &sheets[0];
    assert_eq!(first, "全部");
    assert_eq!(
        rows[0],
        ["话术表", "情境", "快捷编码", "可以说", "切忌说", "原因"]
    );
    let lines: Vec<Line> = rows[1..]
        .iter()
        .map(|r| {
            let say = !r[3].is_empty();
            assert!(say == r[4].is_empty(), "a row with both or neither: {r:?}");
            assert_eq!(
                say,
                !r[2].is_empty(),
                "a code on an avoid row, or none on a say row"
            );
            let table = all
                .iter()
                .find(|l| l.title == r[0])
                .expect("a table's title");
            Line {
                table: table.table.clone(),
                title: r[0].clone(),
                situation: r[1].clone(),
                kind: if say { "say" } else { "avoid" },
                text: if say { r[3].clone() } else { r[4].clone() },
            }
        })
        .collect();
    assert_eq!(sorted(lines), all);
    let in_book: Vec<&str> = rows[1..]
        .iter()
        .filter(|r| !r[2].is_empty())
        .map(|r| r[2].as_str())
        .collect();
    assert_eq!(sorted(in_book), sorted(codes.to_vec()));
    let per_table: usize = sheets[1..].iter().map(|(_, rows)| rows.len() - 1).sum();
    assert_eq!(per_table, all.len(), "each line once on its table's sheet");
}

/// Builds `hb` and checks every export against its tables' YAML.
fn every_format_matches_the_tables(hb: &Handbook) {
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = table_lines(hb.root());
    let say = says(&all);
    assert!(say.len() > 3 && all.len() > say.len(), "{all:#?}");

    // phrases.csv: a BOM, then every line with its kind and code.
    let csv_bytes = read_bytes(hb, "public/exports/phrases.csv");
    assert!(csv_bytes.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    assert_eq!(csv_bytes, read_bytes(hb, "public/phrases.csv"));
    let records = csv_records(std::str::from_utf8(&csv_bytes[3..]).unwrap(), b',');
    assert_eq!(
        records[0],
        [
            "table",
            "table_title",
            "entry",
            "situation",
            "kind",
            "code",
            "text",
            "why"
        ]
    );
    let from_csv: Vec<Line> = records[1..]
        .iter()
        .map(|r| Line {
            table: r[0].clone(),
            title: r[1].clone(),
            situation: r[3].clone(),
            kind: if r[4] == "say" { "say" } else { "avoid" },
            text: r[6].clone(),
        })
        .collect();
    assert_eq!(sorted(from_csv), all);
    assert!(records[1..]
        .iter()
        .all(|r| (r[4] == "say") != r[5].is_empty()));
    let csv_codes: Vec<&str> = records[1..]
        .iter()
        .filter(|r| r[4] == "say")
        .map(|r| r[5].as_str())
        .collect();
    workbook_matches_the_tables(hb, &all, &csv_codes);

    // phrases.json: the same lines.
    let rows = json(hb, "public/exports/phrases.json");
    let from_json: Vec<Line> = rows
        .iter()
        .map(|r| Line {
            table: r["table"].as_str().unwrap().into(),
            title: r["table_title"].as_str().unwrap().into(),
            situation: r["situation"].as_str().unwrap().into(),
            kind: if r["kind"] == "say" { "say" } else { "avoid" },
            text: r["text"].as_str().unwrap().into(),
        })
        .collect();
    assert_eq!(sorted(from_json), all);

    let quick = QuickReplies::read(hb);
    // 千牛: code, say line, table title; codes as in the CSV, each once.
    let qianniu: Vec<(String, String)> = quick
        .qianniu
        .iter()
        .map(|r| (r[2].clone(), r[1].clone()))
        .collect();
    let expected: Vec<(String, String)> = say
        .iter()
        .map(|l| (l.title.clone(), l.text.clone()))
        .collect();
    assert_eq!(sorted(qianniu), sorted(expected.clone()));
    let codes: Vec<&str> = quick.qianniu.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(codes, csv_codes);
    assert_eq!(codes.iter().collect::<BTreeSet<_>>().len(), codes.len());

    // Zendesk: "<table title>::<situation>" titles, all different.
    let zendesk: Vec<(String, String)> = quick
        .zendesk
        .iter()
        .map(|m| {
            let m = &m["macro"];
            assert_eq!(m["active"], true);
            let title = m["title"].as_str().unwrap();
            let table = title.split("::").next().unwrap().to_string();
            (
                table,
                m["actions"][0]["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(sorted(zendesk), sorted(expected));
    let titles: BTreeSet<&str> = quick
        .zendesk
        .iter()
        .map(|m| m["macro"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), say.len());
    for line in &say {
        let title = format!("{}::{}", line.title, line.situation);
        assert!(titles.iter().any(|t| t.starts_with(&title)), "{title}");
    }

    // Chatwoot: the codes and the say lines.
    let chatwoot: Vec<&str> = quick
        .chatwoot
        .iter()
        .map(|c| c["short_code"].as_str().unwrap())
        .collect();
    assert_eq!(chatwoot, codes);

    // Zammad: name from the situation (unique), keywords from the code, active.
    let zammad: Vec<(String, String)> = quick
        .zammad
        .iter()
        .map(|r| {
            assert_eq!(r[4], "true");
            (r[0].clone(), unescape(&r[2]))
        })
        .collect();
    let names: BTreeSet<&str> = quick.zammad.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names.len(), say.len());
    for (name, text) in &zammad {
        let named = say
            .iter()
            .any(|l| &l.text == text && name.starts_with(&l.situation));
        assert!(named, "{name}: {text}");
    }
    let texts: Vec<String> = quick.zammad.iter().map(|r| unescape(&r[2])).collect();
    let say_texts: Vec<String> = say.iter().map(|l| l.text.clone()).collect();
    assert_eq!(sorted(texts), sorted(say_texts));
    for (record, code) in quick.zammad.iter().zip(&codes) {
        assert!(record[1].split(' ').next() == Some(*code), "{record:?}");
    }
}

#[test]
fn every_format_of_the_good_fixture_reads_back_as_its_tables() {
    every_format_matches_the_tables(&Handbook::copy_of("good"));
}

#[test]
fn every_format_of_the_sample_reads_back_as_its_tables() {
    every_format_matches_the_tables(&Handbook::sample());
}

#[test]
fn no_avoid_line_of_the_sample_is_in_any_quick_reply_format() {
    let hb = Handbook::sample();
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let texts: BTreeSet<String> = QuickReplies::read(&hb).texts().into_iter().collect();
    let avoid: Vec<Line> = table_lines(hb.root())
        .into_iter()
        .filter(|l| l.kind == "avoid")
        .collect();
    assert!(avoid.len() > 50, "only {} avoid lines", avoid.len());
    for line in &avoid {
        assert!(!texts.contains(&line.text), "avoid line exported: {line:?}");
    }
    // And the say lines are all there, so the check above looked at real files.
    for line in says(&table_lines(hb.root())) {
        assert!(texts.contains(&line.text), "say line missing: {line:?}");
    }
}

#[test]
fn export_writes_one_format_with_its_encoding() {
    let hb = Handbook::copy_of("good");
    let out = hb.path("out.csv");
    let out = out.to_str().unwrap();
    let run = hb.run(&["export", "--format", "csv", "--out", out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read_bytes(&hb, "out.csv"), {
        hb.run(&["build"]);
        read_bytes(&hb, "public/exports/phrases.csv")
    });
    let run = hb.run(&["export", "--format", "csv", "--encoding", "utf-8"]);
    assert!(
        run.stdout.starts_with("table,table_title,"),
        "{}",
        run.stdout
    );

    let run = hb.run(&["export", "--format", "qianniu", "--encoding", "utf-8-bom"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run
        .stdout
        .starts_with("\u{feff}快捷短语编码,快捷短语,快捷短语分组\r\n"));
    let run = hb.run(&["export", "--format", "qianniu", "--out", out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let gbk = decode_gbk(&read_bytes(&hb, "out.csv"));
    assert!(gbk.contains("亲，您好！"), "{gbk}");

    let run = hb.run(&["export", "--format", "zendesk", "--encoding", "gbk"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("always UTF-8"), "{}", run.stderr);
}

#[test]
fn filters_keep_the_tables_asked_for_and_name_unknown_ones() {
    let hb = Handbook::copy_of("good");
    let lines = |args: &[&str]| -> BTreeSet<String> {
        let mut all = vec!["export", "--format", "json"];
        all.extend(args);
        let run = hb.run(&all);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let rows: Value = serde_json::from_str(&run.stdout).unwrap();
        let tables = rows.as_array().unwrap().iter();
        tables
            .map(|r| r["table"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(lines(&[]).len(), 2, "{:?}", lines(&[]));
    assert_eq!(
        lines(&["--tables", "greetings"]),
        BTreeSet::from(["greetings".into()])
    );
    assert_eq!(
        lines(&["--tags", "售前"]),
        BTreeSet::from(["greetings".into()])
    );
    assert_eq!(
        lines(&["--tables", "greetings,complaint-steps", "--tags", "售前"]),
        BTreeSet::from(["greetings".into()])
    );

    let run = hb.run(&[
        "export",
        "--format",
        "csv",
        "--tables",
        "greetings,nope",
        "--tags",
        "售后",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no table `nope`"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("bargaining, complaint-steps, greetings"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no tag `售后`"), "{}", run.stderr);
    assert!(run.stderr.contains("there are: 售前"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn a_character_gbk_cannot_hold_is_an_error_at_its_line() {
    let hb = Handbook::copy_of("unencodable");
    let out = hb.path("qianniu.csv");
    let run = hb.run(&[
        "export",
        "--format",
        "qianniu",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!out.exists(), "nothing is written");
    let report = run.stderr;
    assert!(
        report.contains("error[E0601]: content/phrases/greetings.yaml:8:9: entry `first-visit`"),
        "{report}"
    );
    assert!(report.contains("`😊` (U+1F60A)"), "{report}");
    assert!(
        report.contains("content/phrases/greetings.yaml:12:10: entry `thanks`"),
        "{report}"
    );
    assert!(
        report.contains("`👍` (U+1F44D), `🌸` (U+1F338)"),
        "{report}"
    );
    assert!(
        !report.contains("bye"),
        "qianniu writes no situation: {report}"
    );
    insta::assert_snapshot!(report);

    // Zammad writes the situation: in GBK, its character is an error too.
    let run = hb.run(&["export", "--format", "zammad", "--encoding", "gbk"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("entry `bye` of table `greetings`: `🙋` (U+1F64B) in its situation"),
        "{}",
        run.stderr
    );

    // The build and check stop too, and say why; in UTF-8 the export is fine.
    let run = hb.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("greetings.yaml:12:10"),
        "{}",
        run.stderr
    );
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("`😊` (U+1F60A)"), "{}", run.stderr);
    assert!(!hb.path("public").exists());
    let run = hb.run(&["export", "--format", "qianniu", "--encoding", "utf-8"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("欢迎光临😊"));
}

#[test]
fn export_help_explains_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let run = handbook(&["export", "--help"], dir.path());
    assert_eq!(run.code, 0);
    for format in [
        "csv", "json", "qianniu", "zendesk", "chatwoot", "zammad", "xlsx",
    ] {
        let line = run
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("- {format}:")));
        assert!(line.is_some(), "{format} is not explained:\n{}", run.stdout);
    }
    for option in ["--encoding", "--tables", "--tags", "--out"] {
        assert!(run.stdout.contains(option), "{}", run.stdout);
    }
}

#[test]
fn a_text_too_long_for_a_workbook_cell_is_an_error_at_its_line() {
    let hb = Handbook::copy_of("good");
    let path = hb.path("content/phrases/long.yaml");
    let long = "好".repeat(32_768);
    let yaml = format!(
        "title: 长话术\nkind: script\nentries:\n  - id: long\n    situation: 太长\n    say: {long}\n"
    );
    std::fs::write(&path, yaml).unwrap();
    let out = hb.path("out.xlsx");
    let run = hb.run(&["export", "--format", "xlsx", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("phrases/long.yaml:6:10"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("entry `long`"), "{}", run.stderr);
    assert!(!out.exists());
    // The other formats have no such limit.
    let csv = hb.run(&["export", "--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
}

/// The all-lines sheet goes through a temporary file; where none can be made, the
/// workbook is still written, with the same sheets and rows.
#[test]
fn the_workbook_is_written_without_a_usable_temporary_folder() {
    let hb = Handbook::copy_of("good");
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = workbook(&read_bytes(&hb, "public/exports/phrases.xlsx"));
    let out = hb.path("out.xlsx");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["export", "--format", "xlsx", "--out", out.to_str().unwrap()])
        .arg("--root")
        .arg(hb.root())
        .env("HANDBOOK_LANG", "en")
        .env("TMPDIR", hb.path("no-such-folder"))
        .output()
        .expect("run handbook");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!hb.path("no-such-folder").exists());
    assert!(built.len() > 1 && built[0].1.len() > 1, "{built:?}");
    assert_eq!(workbook(&read_bytes(&hb, "out.xlsx")), built);
}
