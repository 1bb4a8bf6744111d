//! The export writers: lines made of arbitrary text go into every format, and a real
//! reader (the csv crate, serde_json, calamine) must give back the lines that went in.

use std::collections::HashSet;

use super::{as_text, fxhash};
use crate::diag::FileId;
use crate::export::{Encoding, ExportLine, Format, LineKind};

/// Lines written as `table|title|entry|situation|code|text|why` per line: the
/// mutations move, add and drop separators, so fields come out with any text.
pub(super) fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = [
        "returns|退货话术|ask|买家问\"包邮吗\"|r1|亲，满 99 元包邮，好的|因为,\n所以|\
         returns|退货话术|ask|买家问|r2|不退|\n",
        "t|表|a|a;b;c|x|<b>&amp;</b> ~~~ line\r\nnext|why ::|u|表 (2)|a|a|c|\"|\"\"\n",
        "t|=1+1|e|@SUM(A1)|-2|+3|\u{1}\u{7f}\t|",
        "运费|運費險|e|全部|History|||||",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    seeds.extend(super::seed_files(&["steps.yaml", "replies.yaml"]));
    seeds
}

/// The text cut into lines of seven fields; the code's length says whether the line
/// is a say or an avoid line (avoid lines have no code). A say line's code is
/// never empty and never another's, as loading and resolving make sure
/// (`resolve/codes.rs`): a repeated one gets the line's number.
fn fields(text: &str) -> Vec<[String; 7]> {
    let pieces: Vec<&str> = text.split('|').collect();
    let mut codes = HashSet::new();
    pieces
        .chunks(7)
        .enumerate()
        .map(|(n, chunk)| {
            let mut row: [String; 7] =
                std::array::from_fn(|i| chunk.get(i).copied().unwrap_or("").to_string());
            let mut k = 0;
            while row[4].len() % 3 != 2 && !codes.insert(row[4].clone()) {
                row[4] = format!("line-{n}-{k}");
                k += 1;
            }
            row
        })
        .collect()
}

fn lines_of(rows: &[[String; 7]]) -> Vec<ExportLine<'_>> {
    rows.iter()
        .map(|f| {
            let kind = if f[4].len() % 3 == 2 {
                LineKind::Avoid
            } else {
                LineKind::Say
            };
            ExportLine {
                table: &f[0],
                table_title: &f[1],
                entry: &f[2],
                situation: &f[3],
                kind,
                code: if kind == LineKind::Say { &f[4] } else { "" },
                text: &f[5],
                why: &f[6],
                tags: &[],
                file: FileId::first(),
                span: 0..0,
            }
        })
        .collect()
}

fn kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Say => "say",
        LineKind::Avoid => "avoid",
    }
}

/// Every record of a CSV file, the header included.
fn read_csv(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.expect("the csv crate reads the export")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn decode(bytes: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf8 => String::from_utf8(bytes.to_vec()).expect("UTF-8"),
        Encoding::Utf8Bom => {
            let rest = bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .expect("a byte-order mark");
            String::from_utf8(rest.to_vec()).expect("UTF-8")
        }
        Encoding::Gbk => {
            let (text, _, bad) = encoding_rs::GBK.decode(bytes);
            assert!(!bad, "GBK that does not decode");
            text.into_owned()
        }
    }
}

/// Whether GBK holds every character of these lines' fields.
fn gbk_holds(lines: &[ExportLine]) -> bool {
    lines.iter().all(|l| {
        [
            l.table,
            l.table_title,
            l.entry,
            l.situation,
            l.code,
            l.text,
            l.why,
        ]
        .iter()
        .all(|f| crate::export::encoding::unencodable(f, Encoding::Gbk).is_empty())
    })
}

fn check_csv(lines: &[ExportLine], encoding: Encoding) {
    let bytes = match Format::Csv.write(lines, Some(encoding), "zh-CN") {
        Ok(bytes) => bytes,
        Err(errors) => {
            assert_eq!(encoding, Encoding::Gbk, "only GBK refuses a line");
            assert!(!gbk_holds(lines), "refused lines GBK holds: {errors:?}");
            return;
        }
    };
    let records = read_csv(&decode(&bytes, encoding), b',');
    assert_eq!(
        records.len(),
        lines.len() + 1,
        "one record per line and a header"
    );
    for (record, line) in records[1..].iter().zip(lines) {
        let expected = [
            line.table,
            line.table_title,
            line.entry,
            line.situation,
            kind_name(line.kind),
            line.code,
            line.text,
            line.why,
        ];
        assert_eq!(record, &expected, "CSV ({encoding:?}) read back");
    }
}

fn json_of(bytes: &[u8]) -> Vec<serde_json::Value> {
    serde_json::from_slice(bytes).expect("serde_json reads the export")
}

fn say<'l, 'a>(lines: &'l [ExportLine<'a>]) -> Vec<&'l ExportLine<'a>> {
    lines.iter().filter(|l| l.kind == LineKind::Say).collect()
}

fn check_json(lines: &[ExportLine]) {
    let values = json_of(&Format::Json.write(lines, None, "zh-CN").expect("JSON"));
    assert_eq!(values.len(), lines.len());
    for (value, line) in values.iter().zip(lines) {
        for (key, expected) in [
            ("table", line.table),
            ("table_title", line.table_title),
            ("entry", line.entry),
            ("situation", line.situation),
            ("kind", kind_name(line.kind)),
            ("code", line.code),
            ("text", line.text),
            ("why", line.why),
        ] {
            assert_eq!(
                value[key].as_str(),
                Some(expected),
                "JSON `{key}` read back"
            );
        }
    }
}

fn check_quick_replies(lines: &[ExportLine]) {
    let says = say(lines);
    // 千牛, in UTF-8 so that any text fits.
    let bytes = Format::Qianniu
        .write(lines, Some(Encoding::Utf8), "zh-CN")
        .expect("qianniu in UTF-8");
    let records = read_csv(&decode(&bytes, Encoding::Utf8), b',');
    assert_eq!(records.len(), says.len() + 1);
    for (record, line) in records[1..].iter().zip(&says) {
        assert_eq!(
            record,
            &[line.code, line.text, line.table_title],
            "qianniu read back"
        );
    }
    // Zammad: unique names, the content's HTML gives the text back.
    let bytes = Format::Zammad
        .write(lines, None, "zh-CN")
        .expect("zammad in UTF-8");
    let records = read_csv(&decode(&bytes, Encoding::Utf8), b';');
    assert_eq!(records.len(), says.len() + 1);
    let mut names = HashSet::new();
    for (record, line) in records[1..].iter().zip(&says) {
        assert!(
            names.insert(record[0].clone()),
            "two modules named {:?}",
            record[0]
        );
        for field in record {
            assert!(
                !field.contains("~~~"),
                "a `~~~` list separator in {field:?}"
            );
        }
        let content = record[2]
            .replace("<br>", "\n")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        // `~~~` is written `~ ~ ~` until none is left (a run of tildes needs more
        // than one pass).
        let mut expected = line.text.to_string();
        while expected.contains("~~~") {
            expected = expected.replace("~~~", "~ ~ ~");
        }
        assert_eq!(content, expected, "zammad content");
    }
    // Zendesk: unique titles, the reply's text and the why.
    let macros = json_of(
        &Format::Zendesk
            .write(lines, None, "zh-CN")
            .expect("zendesk"),
    );
    assert_eq!(macros.len(), says.len());
    let mut titles = HashSet::new();
    for (value, line) in macros.iter().zip(&says) {
        let m = &value["macro"];
        let title = m["title"].as_str().expect("a title").to_string();
        assert!(titles.insert(title.clone()), "two macros titled {title:?}");
        assert_eq!(m["actions"][0]["value"].as_str(), Some(line.text));
        assert_eq!(m["description"].as_str().unwrap_or(""), line.why);
    }
    // Chatwoot: code and text.
    let canned = json_of(
        &Format::Chatwoot
            .write(lines, None, "zh-CN")
            .expect("chatwoot"),
    );
    assert_eq!(canned.len(), says.len());
    for (value, line) in canned.iter().zip(&says) {
        assert_eq!(value["short_code"].as_str(), Some(line.code));
        assert_eq!(value["content"].as_str(), Some(line.text));
    }
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

fn check_xlsx(lines: &[ExportLine]) {
    use calamine::{Data, Reader, Xlsx};
    let bytes = match Format::Xlsx.write(lines, None, "zh-CN") {
        Ok(bytes) => bytes,
        Err(errors) => {
            let too_long = lines.iter().any(|l| {
                [l.table_title, l.situation, l.code, l.text, l.why]
                    .iter()
                    .any(|f| utf16_len(f) > 32_767)
            });
            assert!(too_long, "a workbook refused: {errors:?}");
            return;
        }
    };
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .expect("calamine opens the workbook");
    let names = book.sheet_names();
    let tables: HashSet<&str> = lines.iter().map(|l| l.table).collect();
    assert_eq!(
        names.len(),
        1 + tables.len(),
        "a sheet of all lines, one per table"
    );
    let lowered: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(
        lowered.len(),
        names.len(),
        "sheet names differ without case"
    );
    let range = book
        .worksheet_range(&names[0])
        .expect("calamine reads the sheet");
    let cell = |data: &Data| match data {
        Data::String(text) => text.clone(),
        Data::Empty => String::new(),
        other => panic!("a cell that is not text: {other:?}"),
    };
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|row| row.iter().map(cell).collect())
        .collect();
    // calamine's range ends at the last cell with text: rows of empty cells at
    // the end are not in it.
    assert!(rows.len() <= lines.len() + 1, "a row per line and a header");
    let empty = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut row = rows.get(i + 1).unwrap_or(&empty).clone();
        row.resize(6, String::new());
        let (say_text, avoid_text) = match line.kind {
            LineKind::Say => (line.text, ""),
            LineKind::Avoid => ("", line.text),
        };
        let expected = [
            line.table_title,
            line.situation,
            line.code,
            say_text,
            avoid_text,
            line.why,
        ];
        assert_eq!(row, expected, "workbook row read back");
    }
}

pub(super) fn exports(input: &[u8]) -> u64 {
    let text = as_text(input);
    let rows = fields(&text);
    let lines = lines_of(&rows);
    check_csv(&lines, Encoding::Utf8);
    check_csv(&lines, Encoding::Utf8Bom);
    check_csv(&lines, Encoding::Gbk);
    check_json(&lines);
    check_quick_replies(&lines);
    check_xlsx(&lines);
    fxhash(&(lines.len().min(8), gbk_holds(&lines)))
}
