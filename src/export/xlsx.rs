//! The Excel workbook export (`--format xlsx`), written with rust_xlsxwriter.
//!
//! - **Sheets.** First a sheet with every line, named `全部` when the handbook's
//!   language starts with `zh` and `All` otherwise; then one sheet per table, in the
//!   order the tables come in the lines, named by the table's title made valid for
//!   Excel: `[ ] : * ? / \` become their full-width forms (`／` …), control characters
//!   spaces, spaces and apostrophes at either end are trimmed, and the name is cut to
//!   Excel's 31 characters (UTF-16 units). An empty title gives the table's id instead.
//!   A name already taken (Excel compares names without case, and reserves `History`)
//!   gets ` (2)`, ` (3)`, … within the 31 characters.
//! - **Columns**, headed in the handbook's language (zh: 话术表 / 情境 / 快捷编码 / 可以说
//!   / 切忌说 / 原因; otherwise Table / Situation / Code / Say / Avoid / Why): the table's
//!   title, the situation (a steps table's step title), the code, the say text, the
//!   avoid text, the why.
//! - **Rows: one per line**, in the lines' order (table by table, entry by entry, an
//!   entry's say lines before its avoid lines). A say line fills the code and say
//!   columns; an avoid line fills only the avoid column (no code), in red and struck
//!   through, so filtering the say column for non-blanks leaves exactly the lines to
//!   send. Table, situation and why are repeated on every row of an entry so each row
//!   still reads whole once filtered or sorted.
//! - **Layout.** The header row is bold and frozen, the avoid header red; on the
//!   all-lines sheet it has a note saying what the column holds (a note on every
//!   table's sheet too was three more files in the workbook per table: at 10,000
//!   chapters 1.6 of its 4.3 MB and a sixth of its time). A filter covers the header
//!   and every row; each column is as wide as its longest text within bounds, the
//!   long-text columns wrap; a column's format is its cells'.
//! - **Same bytes every time**: the document's creation date is fixed (the zip
//!   entries' dates already are), so an unchanged handbook gives an unchanged file.

use std::collections::HashMap;
use std::collections::HashSet;

use rayon::prelude::*;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Workbook,
    Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::{ExportLine, LineKind};
use crate::diag::{tr, Code, Diagnostic, Text};

/// Excel's limit on a sheet name, in UTF-16 units.
const MAX_SHEET_NAME: usize = 31;
/// Excel's limit on a cell's text, in UTF-16 units.
const MAX_CELL_TEXT: usize = 32_767;
/// Excel's rows per sheet, the header row included.
const MAX_ROWS: usize = 1_048_576;

const TABLE: u16 = 0;
const SITUATION: u16 = 1;
const CODE: u16 = 2;
const SAY: u16 = 3;
const AVOID: u16 = 4;
const WHY: u16 = 5;
/// Each column's width bounds (in Excel's units: a CJK character counts two).
const MIN_WIDTH: f64 = 8.0;
const MAX_WIDTHS: [f64; 6] = [20.0, 28.0, 16.0, 48.0, 40.0, 40.0];
/// The workbook's deflate level (see [`to_xlsx`]).
const ZIP_LEVEL: u8 = 2;
/// The avoid lines' and their header's colour (the tests look for it).
const RED: Color = Color::RGB(0xC00000);

/// What the workbook says in the handbook's language.
struct Labels {
    all: &'static str,
    headers: [&'static str; 6],
    avoid_note: &'static str,
}

const ZH: Labels = Labels {
    all: "全部",
    headers: ["话术表", "情境", "快捷编码", "可以说", "切忌说", "原因"],
    avoid_note: "切忌说：绝不能对买家说的话，以红色删除线标出，切勿发送。",
};

const EN: Labels = Labels {
    all: "All",
    headers: ["Table", "Situation", "Code", "Say", "Avoid", "Why"],
    avoid_note: "Avoid: lines never to say to a buyer, in red and struck through. Never send them.",
};

fn labels(language: &str) -> &'static Labels {
    if language.to_ascii_lowercase().starts_with("zh") {
        &ZH
    } else {
        &EN
    }
}

/// The cell formats, made once per workbook.
struct Formats {
    header: Format,
    avoid_header: Format,
    plain: Format,
    wrap: Format,
    avoid: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border_bottom(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        let plain = Format::new().set_align(FormatAlign::Top);
        let wrap = plain.clone().set_text_wrap();
        Formats {
            avoid_header: header.clone().set_font_color(RED),
            header,
            avoid: wrap.clone().set_font_color(RED).set_font_strikethrough(),
            plain,
            wrap,
        }
    }

    /// The formats of the columns, in order: the avoid column red and struck
    /// through, the code column unwrapped, the rest wrapped.
    fn columns(&self) -> [&Format; 6] {
        let Formats {
            plain, wrap, avoid, ..
        } = self;
        [wrap, wrap, plain, wrap, avoid, wrap]
    }
}

/// The workbook of `lines`: an all-lines sheet, then a sheet per table (see the
/// module doc). `language` is handbook.yaml's `language`, for the sheet and header
/// names. An error, as a sentence naming the table and entry where one is at fault,
/// for text longer than an Excel cell holds or more lines than a sheet holds.
pub(crate) fn to_xlsx(lines: &[ExportLine], language: &str) -> Result<Vec<u8>, Text> {
    check_fits(lines)?;
    let labels = labels(language);
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&fixed_date()?));
    // Deflate's level 6 (the default) took a third of the workbook's CPU at 10,000
    // chapters; level 2 takes a fraction of that for a file a little larger.
    workbook.set_zip_compression_level(ZIP_LEVEL);
    let mut names = SheetNames::default();
    let all_name = names.claim(labels.all, "");
    let tables: Vec<(String, Vec<&ExportLine>)> = by_table(lines)
        .into_iter()
        .map(|table| (names.claim(table[0].table_title, table[0].table), table))
        .collect();
    let all: Vec<&ExportLine> = lines.iter().collect();
    // The all-lines sheet, half the workbook's cells, goes row by row through a
    // temporary file ("low memory" mode: the shared strings stay in memory) rather
    // than holding every cell until the end: 10,000 chapters' workbook took 150 MB
    // of memory, the build's peak. Beside it the tables' sheets are made (a
    // thousand of them at that size) and then added in order.
    // Where no temporary file can be made (a read-only temporary folder), the sheet
    // is made in memory like the others.
    let (all_sheet, table_sheets) = rayon::join(
        || -> Result<(), Text> {
            let sheet = match workbook.add_worksheet_with_low_memory() {
                Ok(sheet) => sheet,
                Err(_) => workbook.add_worksheet(),
            };
            write_sheet(sheet, &all_name, &all, labels, &formats, true)
        },
        || {
            tables
                .par_iter()
                .map(|(name, lines)| {
                    let mut sheet = Worksheet::new();
                    write_sheet(&mut sheet, name, lines, labels, &formats, false)?;
                    Ok(sheet)
                })
                .collect::<Vec<Result<Worksheet, Text>>>()
        },
    );
    all_sheet?;
    for sheet in table_sheets {
        workbook.push_worksheet(sheet?);
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

fn xlsx_error(error: XlsxError) -> Text {
    tr!(
        "cannot write the Excel workbook: {}",
        "无法写出 Excel 工作簿：{}",
        error
    )
}

/// 1980-01-01, the zip format's first date, for the document's creation date.
fn fixed_date() -> Result<ExcelDateTime, Text> {
    ExcelDateTime::from_ymd(1980, 1, 1).map_err(xlsx_error)
}

/// Every cell's text fits in a cell and every line in a sheet.
fn check_fits(lines: &[ExportLine]) -> Result<(), Text> {
    if lines.len() >= MAX_ROWS {
        return Err(tr!(
            "{} lines are more than an Excel sheet holds ({} rows under its header)",
            "{} 行超出了 Excel 一张工作表能放下的行数（表头下最多 {} 行）",
            lines.len(),
            MAX_ROWS - 1
        ));
    }
    match lines.iter().find_map(too_long) {
        Some(message) => Err(message),
        None => Ok(()),
    }
}

/// Why `line` does not fit in a row: a text longer than a cell holds.
fn too_long(line: &ExportLine) -> Option<Text> {
    let fields = [
        line.table_title,
        line.situation,
        line.code,
        line.text,
        line.why,
    ];
    let long = fields.iter().find(|f| utf16_len(f) > MAX_CELL_TEXT)?;
    Some(tr!(
        "table `{}`, entry `{}`: a text of {} characters is longer than an Excel \
         cell holds ({})",
        "话术表 `{}` 条目 `{}`：有一段 {} 个字符的文字，超出了 Excel 单元格的上限（{} 个）",
        line.table,
        line.entry,
        long.chars().count(),
        MAX_CELL_TEXT
    ))
}

/// [`to_xlsx`] as every export format is written: the problems as diagnostics, a
/// text too long for a cell at the line it belongs to (all of them, not the first).
pub(crate) fn write(lines: &[ExportLine], language: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let too_long: Vec<Diagnostic> = lines
        .iter()
        .filter_map(|line| {
            let message = too_long(line)?;
            Some(Diagnostic::new(Code::E0602, message).at(line.file, line.span.clone()))
        })
        .collect();
    if !too_long.is_empty() {
        return Err(too_long);
    }
    to_xlsx(lines, language).map_err(|message| vec![Diagnostic::new(Code::E0603, message)])
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The lines grouped by table id, tables in the order they first come.
fn by_table<'l, 'a>(lines: &'l [ExportLine<'a>]) -> Vec<Vec<&'l ExportLine<'a>>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut tables: Vec<Vec<&ExportLine>> = Vec::new();
    for line in lines {
        let at = *index.entry(line.table).or_insert_with(|| {
            tables.push(Vec::new());
            tables.len() - 1
        });
        tables[at].push(line);
    }
    tables
}

/// One sheet: header (`with_note`: the avoid header's note), a row per line,
/// frozen header, filter, widths.
fn write_sheet(
    sheet: &mut Worksheet,
    name: &str,
    lines: &[&ExportLine],
    labels: &Labels,
    formats: &Formats,
    with_note: bool,
) -> Result<(), Text> {
    sheet.set_name(name).map_err(xlsx_error)?;
    for (col, header) in (0..).zip(labels.headers) {
        let format = if col == AVOID {
            &formats.avoid_header
        } else {
            &formats.header
        };
        sheet
            .write_string_with_format(0, col, header, format)
            .map_err(xlsx_error)?;
    }
    if with_note {
        let note = Note::new(labels.avoid_note).add_author_prefix(false);
        sheet.insert_note(0, AVOID, &note).map_err(xlsx_error)?;
    }
    // Each column's format is the column's own, so its cells are written without
    // one (looking a cell's format up by value took a tenth of the workbook's
    // time) and text a reader adds below takes the column's look too.
    for (col, format) in (0..).zip(formats.columns()) {
        sheet.set_column_format(col, format).map_err(xlsx_error)?;
    }
    let mut last = 0;
    for line in lines {
        last += 1;
        write_row(sheet, last, line).map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    sheet.autofilter(0, TABLE, last, WHY).map_err(xlsx_error)?;
    for (col, width) in (0..).zip(widths(lines, labels)) {
        sheet.set_column_width(col, width).map_err(xlsx_error)?;
    }
    Ok(())
}

/// The row of one line; empty texts leave their cell empty.
fn write_row(sheet: &mut Worksheet, row: u32, line: &ExportLine) -> Result<(), XlsxError> {
    let (text_col, code) = match line.kind {
        LineKind::Say => (SAY, line.code),
        LineKind::Avoid => (AVOID, ""),
    };
    let cells = [
        (TABLE, line.table_title),
        (SITUATION, line.situation),
        (CODE, code),
        (text_col, line.text),
        (WHY, line.why),
    ];
    for (col, text) in cells {
        if !text.is_empty() {
            sheet.write_string(row, col, text)?;
        }
    }
    Ok(())
}

/// Each column's width: its longest line of text (header included, with room for
/// the filter button), within the column's bounds.
fn widths(lines: &[&ExportLine], labels: &Labels) -> [f64; 6] {
    let mut widest = labels.headers.map(|h| h.width() + 3);
    for line in lines {
        let text_col = match line.kind {
            LineKind::Say => SAY,
            LineKind::Avoid => AVOID,
        };
        let cells = [
            (TABLE, line.table_title),
            (SITUATION, line.situation),
            (CODE, line.code),
            (text_col, line.text),
            (WHY, line.why),
        ];
        for (col, text) in cells {
            let width = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
            let slot = &mut widest[usize::from(col)];
            *slot = (*slot).max(width + 1);
        }
    }
    let mut out = [0.0; 6];
    for (i, width) in widest.into_iter().enumerate() {
        out[i] = (width as f64).clamp(MIN_WIDTH, MAX_WIDTHS[i]);
    }
    out
}

/// The sheet names given so far, to keep each new one valid and unique.
#[derive(Default)]
struct SheetNames {
    /// Lower-cased, as Excel compares them.
    taken: HashSet<String>,
}

impl SheetNames {
    /// A valid, unused sheet name for `title`, or for `fallback` when the title
    /// leaves nothing.
    fn claim(&mut self, title: &str, fallback: &str) -> String {
        let mut base = clean(title);
        if base.is_empty() {
            base = clean(fallback);
        }
        if base.is_empty() {
            base = "Sheet".to_string();
        }
        let mut name = cut(&base, MAX_SHEET_NAME);
        let mut n = 1;
        while self.is_taken(&name) {
            n += 1;
            let suffix = format!(" ({n})");
            name = cut(&base, MAX_SHEET_NAME - suffix.len()) + &suffix;
        }
        self.taken.insert(name.to_lowercase());
        name
    }

    fn is_taken(&self, name: &str) -> bool {
        let lower = name.to_lowercase();
        lower == "history" || self.taken.contains(&lower)
    }
}

/// `title` with the characters Excel refuses in a sheet name replaced, and spaces
/// and apostrophes trimmed from both ends.
fn clean(title: &str) -> String {
    let replaced: String = title
        .chars()
        .map(|c| match c {
            '/' => '／',
            '\\' => '＼',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '[' => '［',
            ']' => '］',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    trim_name(&replaced).to_string()
}

fn trim_name(name: &str) -> &str {
    name.trim_matches(|c: char| c.is_whitespace() || c == '\'')
}

/// `name` cut to at most `units` UTF-16 units, never inside a character, and
/// trimmed again so the cut leaves no space or apostrophe at the end.
fn cut(name: &str, units: usize) -> String {
    let mut used = 0;
    let end = name
        .char_indices()
        .find(|(_, c)| {
            used += c.len_utf16();
            used > units
        })
        .map_or(name.len(), |(at, _)| at);
    trim_name(&name[..end]).to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::io::{Cursor, Read};

    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

    use super::*;
    use crate::diag::FileId;
    use LineKind::{Avoid, Say};

    const LONG_TITLE: &str =
        "这是一个非常非常长的话术表标题，用来检查工作表名称是否被截短到三十一个字符以内";

    type Row = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        LineKind,
        &'static str,
        &'static str,
        &'static str,
    );

    /// table, title, entry, situation, kind, code, text, why.
    #[rustfmt::skip]
    const ROWS: &[Row] = &[
        ("returns", "退货/换货", "refund", "买家要求七天无理由退货", Say, "th",
         "亲，没问题，请在订单页申请退货，我们收到后马上处理。", "先答应再讲流程，买家才安心。"),
        ("returns", "退货/换货", "refund", "买家要求七天无理由退货", Say, "th-2",
         "好的亲，退货运费由我们承担，您放心寄回。", "先答应再讲流程，买家才安心。"),
        ("returns", "退货/换货", "refund", "买家要求七天无理由退货", Avoid, "",
         "你自己没看清楚就买？", "先答应再讲流程，买家才安心。"),
        ("returns", "退货/换货", "late", "超过七天还要退", Say, "th-late",
         "亲，已经超过七天了，我帮您申请一次特殊处理看看。", ""),
        ("returns", "退货/换货", "late", "超过七天还要退", Avoid, "", "过了七天就别找我们了。", ""),
        ("returns", "退货/换货", "late", "超过七天还要退", Avoid, "", "这不归我管。", ""),
        ("long", LONG_TITLE, "greet", "买家第一次进店", Say, "hi",
         "亲，欢迎光临，有什么可以帮您？", "开场要热情。"),
        ("long", LONG_TITLE, "greet", "买家第一次进店", Avoid, "", "有事快说。", "开场要热情。"),
        ("ship-a", "物流问题", "where", "包裹到哪了", Say, "wl", "亲，我帮您查一下物流，请稍等。", ""),
        ("ship-b", "物流问题", "lost", "包裹丢了", Say, "wl-lost",
         "亲，非常抱歉，我马上联系快递核实，给您补发。", "先道歉。"),
        ("ship-b", "物流问题", "lost", "包裹丢了", Avoid, "", "快递丢的不关我们的事。", "先道歉。"),
        ("steps", "投诉处理步骤", "listen", "第一步：倾听", Say, "ts-1",
         "亲，您慢慢说，我都在听。\n请把订单号发我。", ""),
    ];

    fn lines() -> Vec<ExportLine<'static>> {
        ROWS.iter()
            .map(
                |&(table, table_title, entry, situation, kind, code, text, why)| ExportLine {
                    table,
                    table_title,
                    entry,
                    situation,
                    kind,
                    code,
                    text,
                    why,
                    tags: &[],
                    file: FileId::first(),
                    span: 0..0,
                },
            )
            .collect()
    }

    /// The row a line should be, as calamine reads it back.
    fn expected_row(line: &ExportLine) -> Vec<String> {
        let (code, say, avoid) = match line.kind {
            Say => (line.code, line.text, ""),
            Avoid => ("", "", line.text),
        };
        [line.table_title, line.situation, code, say, avoid, line.why]
            .map(String::from)
            .to_vec()
    }

    /// Every sheet, in order: its name and its cells as text.
    fn read_back(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
        let mut book: Xlsx<_> =
            open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens it");
        let names = book.sheet_names();
        names
            .into_iter()
            .map(|name| {
                let range = book.worksheet_range(&name).expect("sheet readable");
                assert_eq!(range.start(), Some((0, 0)), "sheet {name} starts at A1");
                let rows = range
                    .rows()
                    .map(|row| row.iter().map(cell_text).collect())
                    .collect();
                (name, rows)
            })
            .collect()
    }

    fn cell_text(cell: &Data) -> String {
        match cell {
            Data::String(text) => text.clone(),
            Data::Empty => String::new(),
            other => panic!("a cell that is not text: {other:?}"),
        }
    }

    fn headers(labels: &Labels) -> Vec<String> {
        labels.headers.map(String::from).to_vec()
    }

    #[test]
    fn every_line_is_a_row_of_the_all_sheet_and_of_its_tables_sheet() {
        let lines = lines();
        let sheets = read_back(&to_xlsx(&lines, "zh-CN").unwrap());
        let long_name: String = LONG_TITLE.chars().take(31).collect();
        assert!(LONG_TITLE.chars().count() > 31);
        let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "全部",
                "退货／换货",
                long_name.as_str(),
                "物流问题",
                "物流问题 (2)",
                "投诉处理步骤"
            ]
        );
        for (name, rows) in &sheets {
            assert_eq!(rows[0], headers(&ZH), "header row of {name}");
        }
        let all: Vec<Vec<String>> = lines.iter().map(expected_row).collect();
        assert_eq!(sheets[0].1[1..], all[..]);
        let tables = ["returns", "long", "ship-a", "ship-b", "steps"];
        let counts = [6, 2, 1, 2, 1];
        for ((table, count), (name, rows)) in tables.iter().zip(counts).zip(&sheets[1..]) {
            let expected: Vec<Vec<String>> = lines
                .iter()
                .filter(|line| line.table == *table)
                .map(expected_row)
                .collect();
            assert_eq!(rows.len(), count + 1, "rows of {name}");
            assert_eq!(rows[1..], expected[..], "rows of {name}");
        }
    }

    #[test]
    fn avoid_lines_are_only_in_the_avoid_column_and_have_no_code() {
        let lines = lines();
        let avoid: HashSet<&str> = lines
            .iter()
            .filter(|line| line.kind == Avoid)
            .map(|line| line.text)
            .collect();
        assert_eq!(avoid.len(), 5);
        let sheets = read_back(&to_xlsx(&lines, "zh").unwrap());
        let mut avoid_cells = 0;
        for (name, rows) in &sheets {
            for row in &rows[1..] {
                assert!(
                    !avoid.contains(row[3].as_str()),
                    "{name}: avoid line said: {row:?}"
                );
                assert!(
                    !avoid.contains(row[2].as_str()),
                    "{name}: avoid line as code: {row:?}"
                );
                if !row[4].is_empty() {
                    avoid_cells += 1;
                    assert!(avoid.contains(row[4].as_str()), "{name}: {row:?}");
                    assert_eq!((row[2].as_str(), row[3].as_str()), ("", ""), "{name}");
                } else {
                    assert!(!row[2].is_empty() && !row[3].is_empty(), "{name}: {row:?}");
                }
            }
        }
        // Each avoid line twice: on the all sheet and on its table's.
        assert_eq!(avoid_cells, 2 * avoid.len());
    }

    #[test]
    fn sheet_and_header_names_follow_the_language() {
        let lines = lines();
        for (language, labels) in [("en", &EN), ("", &EN), ("zh-Hant", &ZH), ("ZH", &ZH)] {
            let sheets = read_back(&to_xlsx(&lines, language).unwrap());
            assert_eq!(sheets[0].0, labels.all, "language {language:?}");
            assert_eq!(sheets[0].1[0], headers(labels), "language {language:?}");
        }
    }

    #[test]
    fn no_lines_give_one_sheet_with_its_header() {
        let bytes = to_xlsx(&[], "en").unwrap();
        let sheets = read_back(&bytes);
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].0, "All");
        assert_eq!(sheets[0].1, [headers(&EN)]);
        assert!(unzip(&bytes, "xl/worksheets/sheet1.xml").contains(r#"<autoFilter ref="A1:F1"/>"#));
    }

    fn unzip(bytes: &[u8], path: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip file");
        let mut file = archive.by_name(path).expect(path);
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        text
    }

    /// The value of attribute `name` in the first tag of `xml`.
    fn attr<'x>(xml: &'x str, name: &str) -> Option<&'x str> {
        let tag = &xml[..xml.find('>').unwrap_or(xml.len())];
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&tag[start..start + tag[start..].find('"')?])
    }

    /// The children of the element `<tag…>…</tag>` of `xml`, each from its `<child`
    /// up to the next one.
    fn children<'x>(xml: &'x str, tag: &str, child: &str) -> Vec<&'x str> {
        let start = xml.find(&format!("<{tag}")).expect(tag);
        let end = start + xml[start..].find(&format!("</{tag}>")).expect(tag);
        let inner = &xml[start..end];
        let inner = &inner[inner.find('>').unwrap() + 1..];
        inner.split(&format!("<{child}")).skip(1).collect()
    }

    /// Cell styles (xf indices) as (font xml, the xf's own xml).
    fn styles(bytes: &[u8]) -> Vec<(String, String)> {
        let xml = unzip(bytes, "xl/styles.xml");
        let fonts = children(&xml, "fonts", "font");
        children(&xml, "cellXfs", "xf")
            .into_iter()
            .map(|xf| {
                let font: usize = attr(xf, "fontId").unwrap_or("0").parse().unwrap();
                (fonts[font].to_string(), xf.to_string())
            })
            .collect()
    }

    /// The style index of cell `at` (like `E4`) in a sheet's xml.
    fn style_of(sheet: &str, at: &str) -> usize {
        let cell = &sheet[sheet.find(&format!("<c r=\"{at}\"")).expect(at)..];
        attr(cell, "s").unwrap_or("0").parse().unwrap()
    }

    #[test]
    fn the_sheets_freeze_the_header_filter_every_row_and_strike_avoid_lines() {
        let lines = lines();
        let bytes = to_xlsx(&lines, "zh").unwrap();
        let rows_per_sheet = [12, 6, 2, 1, 2, 1];
        for (i, rows) in rows_per_sheet.iter().enumerate() {
            let sheet = unzip(&bytes, &format!("xl/worksheets/sheet{}.xml", i + 1));
            let pane = &sheet[sheet.find("<pane ").expect("a pane")..];
            assert_eq!(attr(pane, "ySplit"), Some("1"), "sheet {}", i + 1);
            assert_eq!(attr(pane, "state"), Some("frozen"), "sheet {}", i + 1);
            assert_eq!(attr(pane, "xSplit"), None, "sheet {}", i + 1);
            let filter = format!(r#"<autoFilter ref="A1:F{}"/>"#, rows + 1);
            assert!(sheet.contains(&filter), "sheet {}: no {filter}", i + 1);
        }
        let styles = styles(&bytes);
        let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
        for (row, line) in (2..).zip(&lines) {
            let (col, other) = match line.kind {
                Say => ("D", "E"),
                Avoid => ("E", "D"),
            };
            let (font, xf) = &styles[style_of(&sheet, &format!("{col}{row}"))];
            let struck = font.contains("<strike/>") && font.contains("FFC00000");
            assert_eq!(struck, line.kind == Avoid, "row {row}: {font}");
            assert!(xf.contains(r#"wrapText="1""#), "row {row}: {xf}");
            assert!(
                !sheet.contains(&format!("<c r=\"{other}{row}\"")),
                "row {row}"
            );
        }
        for col in ["A", "B", "C", "D", "E", "F"] {
            let (font, _) = &styles[style_of(&sheet, &format!("{col}1"))];
            assert!(
                font.contains("<b/>") && !font.contains("<strike/>"),
                "{col}1: {font}"
            );
        }
        assert!(sheet.contains("<legacyDrawing "), "the avoid header's note");
        for i in 2..=rows_per_sheet.len() {
            let table_sheet = unzip(&bytes, &format!("xl/worksheets/sheet{i}.xml"));
            assert!(
                !table_sheet.contains("<legacyDrawing "),
                "sheet {i}: a note"
            );
        }
    }

    #[test]
    fn the_same_lines_give_the_same_bytes() {
        let lines = lines();
        let first = to_xlsx(&lines, "zh").unwrap();
        assert_eq!(first, to_xlsx(&lines, "zh").unwrap());
        let core = unzip(&first, "docProps/core.xml");
        assert!(core.contains("1980-01-01T00:00:00Z"), "{core}");
    }

    #[test]
    fn a_text_longer_than_a_cell_holds_is_an_error_naming_its_entry() {
        let long = "长".repeat(MAX_CELL_TEXT + 1);
        let mut lines = lines();
        lines[4].text = &long;
        let error = to_xlsx(&lines, "zh").unwrap_err();
        let error = error.get(crate::diag::Lang::En);
        assert!(error.contains("table `returns`, entry `late`"), "{error}");
        assert!(error.contains("32768"), "{error}");
        lines[4].text = &long[..long.len() - "长".len()];
        assert!(
            to_xlsx(&lines, "zh").is_ok(),
            "a text of exactly the limit fits"
        );
    }

    const THIRTY: &str = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";

    #[test]
    fn sheet_names_are_made_valid_and_unique() {
        let mut names = SheetNames::default();
        let emoji = "😀".repeat(20);
        let cases = [
            ("a/b\\c:d*e?f[g]h", "", "a／b＼c：d＊e？f［g］h"),
            ("'引号' ", "", "引号"),
            ("换行\n标题", "", "换行 标题"),
            ("", "table-id", "table-id"),
            (" ' ", "", "Sheet"),
            ("History", "", "History (2)"),
            ("FAQ", "", "FAQ"),
            ("faq", "", "faq (2)"),
            ("Faq", "", "Faq (3)"),
            (&emoji, "", &"😀".repeat(15)),
            (
                LONG_TITLE,
                "",
                &LONG_TITLE.chars().take(31).collect::<String>(),
            ),
            (
                LONG_TITLE,
                "",
                &(LONG_TITLE.chars().take(27).collect::<String>() + " (2)"),
            ),
            (&format!("{THIRTY} '"), "", THIRTY),
        ];
        for (title, fallback, expected) in cases {
            let name = names.claim(title, fallback);
            assert_eq!(name, expected, "title {title:?}");
            assert!(utf16_len(&name) <= MAX_SHEET_NAME, "{name}");
            assert!(
                Worksheet::new().set_name(&name).is_ok(),
                "Excel refuses {name:?}"
            );
        }
        let taken: Vec<String> = names.taken.iter().cloned().collect();
        assert_eq!(taken.len(), cases.len(), "every name unique: {taken:?}");
    }

    #[test]
    fn columns_fit_their_text_within_bounds() {
        let lines = lines();
        let refs: Vec<&ExportLine> = lines.iter().collect();
        let all = widths(&refs, &ZH);
        // The table column is capped; the code column fits its header and filter button.
        assert_eq!(all[usize::from(TABLE)], MAX_WIDTHS[0]);
        assert_eq!(all[usize::from(CODE)], 11.0);
        // The longest say line (26 wide characters) is capped.
        assert_eq!(all[usize::from(SAY)], MAX_WIDTHS[3]);
        // One of 22 wide characters: 44 units, plus one.
        let ship: Vec<&ExportLine> = lines.iter().filter(|l| l.table == "ship-b").collect();
        assert_eq!(widths(&ship, &ZH)[usize::from(SAY)], 45.0);
        // A multi-line text counts its longest line.
        let steps: Vec<&ExportLine> = lines.iter().filter(|l| l.table == "steps").collect();
        assert_eq!(widths(&steps, &ZH)[usize::from(SAY)], 25.0);
    }
}
