//! `--encoding`: the bytes the CSV-like formats (csv, qianniu, zammad) are written
//! in, and the check that every character fits before a line is written in GBK.

use super::ExportLine;
use crate::diag::{tr, Code, Diagnostic, Lang, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Encoding {
    /// UTF-8 without a byte-order mark
    #[value(name = "utf-8")]
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel needs to read UTF-8)
    #[value(name = "utf-8-bom")]
    Utf8Bom,
    /// GBK, what Windows in Simplified Chinese reads a CSV file as
    Gbk,
}

impl Encoding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Gbk => "GBK",
        }
    }
}

/// `text` in `encoding`. Through [`encode_checked`]: a character GBK cannot hold
/// would come out as an HTML character reference.
fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => {
            let mut bytes = Vec::with_capacity(text.len() + 3);
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
            bytes.extend_from_slice(text.as_bytes());
            bytes
        }
        Encoding::Gbk => encoding_rs::GBK.encode(text).0.into_owned(),
    }
}

/// `text`, the rows of `lines`, in `encoding`; or, where a character does not fit,
/// an error for each line whose `fields` hold one (see [`check`]; `format` names
/// the file's use). The whole text is encoded once: each line is looked at only
/// when something did not fit, which a handbook written for GBK never has.
pub(crate) fn encode_checked<'a>(
    text: &str,
    encoding: Encoding,
    lines: impl Iterator<Item = &'a ExportLine<'a>>,
    format: &str,
    fields: impl Fn(&ExportLine) -> Vec<String>,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    if encoding != Encoding::Gbk {
        return Ok(encode(text, encoding));
    }
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    if unmappable {
        let errors = check(lines, encoding, format, fields);
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    Ok(bytes.into_owned())
}

/// The characters of `text` that `encoding` cannot hold, each once, in order.
pub(crate) fn unencodable(text: &str, encoding: Encoding) -> Vec<char> {
    if encoding != Encoding::Gbk || text.is_ascii() || fits_gbk(text) {
        return Vec::new();
    }
    let mut found: Vec<char> = Vec::new();
    let mut buffer = [0u8; 4];
    for c in text.chars() {
        if !c.is_ascii() && !found.contains(&c) && !fits_gbk(c.encode_utf8(&mut buffer)) {
            found.push(c);
        }
    }
    found
}

fn fits_gbk(text: &str) -> bool {
    !encoding_rs::GBK.encode(text).2
}

/// An error for each line whose `fields` hold a character `encoding` cannot, at
/// the line, naming its entry and the characters; `format` names the file's use.
fn check<'a>(
    lines: impl Iterator<Item = &'a ExportLine<'a>>,
    encoding: Encoding,
    format: &str,
    fields: impl Fn(&ExportLine) -> Vec<String>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for line in lines {
        let mut bad = Vec::new();
        for field in fields(line) {
            for c in unencodable(&field, encoding) {
                if !bad.contains(&c) {
                    bad.push(c);
                }
            }
        }
        if bad.is_empty() {
            continue;
        }
        let named = |lang: Lang| {
            let named: Vec<String> = bad
                .iter()
                .map(|&c| {
                    let place = where_in(line, c);
                    format!("`{c}` (U+{:04X}){}", u32::from(c), place.get(lang))
                })
                .collect();
            named.join(match lang {
                Lang::En => ", ",
                Lang::Zh => "、",
            })
        };
        let message = Text::new(
            format!(
                "entry `{}` of table `{}`: {} cannot be written in {}, the encoding of the {format} export",
                line.entry,
                line.table,
                named(Lang::En),
                encoding.name(),
            ),
            format!(
                "话术表 `{}` 条目 `{}`：{} 无法用 {} 编码写出（{format} 导出用这种编码）",
                line.table,
                line.entry,
                named(Lang::Zh),
                encoding.name(),
            ),
        );
        errors.push(
            Diagnostic::new(Code::E0601, message)
                .at(line.file, line.span.clone())
                .with_help(tr!(
                    "replace or remove the character; `handbook export --encoding utf-8-bom` \
                     writes this format in UTF-8, for a tool that reads it",
                    "请替换或删掉这个字符；如果导入的工具认 UTF-8，\
                     也可以用 `handbook export --encoding utf-8-bom` 以 UTF-8 写出"
                )),
        );
    }
    errors
}

/// Where in a line's fields `c` is, when not in the line's text, which the error
/// points at.
fn where_in(line: &ExportLine, c: char) -> Text {
    if line.text.contains(c) {
        Text::same("")
    } else if line.situation.contains(c) {
        tr!(" in its situation", "（在 situation 里）")
    } else if line.table_title.contains(c) {
        tr!(" in the table's title", "（在表的标题里）")
    } else if line.why.contains(c) {
        tr!(" in its `why`", "（在 `why` 里）")
    } else {
        tr!(
            " in its code, ids or the table's tags",
            "（在编码、id 或表的标签里）"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_holds_chinese_but_not_emoji() {
        assert_eq!(
            unencodable("亲，您好！€ é", Encoding::Gbk),
            Vec::<char>::new()
        );
        assert_eq!(unencodable("好的😊👍😊", Encoding::Gbk), vec!['😊', '👍']);
        assert_eq!(unencodable("好的😊", Encoding::Utf8), Vec::<char>::new());
    }

    #[test]
    fn the_encodings_write_their_bytes() {
        assert_eq!(encode("亲", Encoding::Utf8Bom), b"\xEF\xBB\xBF\xE4\xBA\xB2");
        assert_eq!(encode("亲", Encoding::Gbk), b"\xC7\xD7");
        assert_eq!(encode("亲", Encoding::Utf8), "亲".as_bytes());
    }
}
