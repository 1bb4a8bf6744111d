//! `phrases.csv`: every line, say and avoid, one row each with its kind and code;
//! and the CSV writing the other CSV-like formats share.

use super::encoding::{self, Encoding};
use super::ExportLine;
use crate::diag::Diagnostic;

const HEADER: [&str; 8] = [
    "table",
    "table_title",
    "entry",
    "situation",
    "kind",
    "code",
    "text",
    "why",
];

pub(super) fn to_csv(lines: &[ExportLine], encoding: Encoding) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let fields = |line: &ExportLine| {
        let kind = match line.kind {
            super::LineKind::Say => "say",
            super::LineKind::Avoid => "avoid",
        };
        [
            line.table,
            line.table_title,
            line.entry,
            line.situation,
            kind,
            line.code,
            line.text,
            line.why,
        ]
        .map(str::to_string)
    };
    let text = write_rows(b',', &HEADER, lines.iter().map(fields));
    encoding::encode_checked(&text, encoding, lines.iter(), "csv", |l| fields(l).to_vec())
}

/// RFC 4180 CSV text: the header, then the rows, fields quoted where they must be,
/// lines ending in CRLF (what Windows tools expect).
pub(super) fn write_rows<const N: usize>(
    delimiter: u8,
    header: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into memory cannot fail, and every row has the header's length.
    writer.write_record(header).expect("a CSV row in memory");
    for row in rows {
        writer.write_record(&row).expect("a CSV row in memory");
    }
    let bytes = writer.into_inner().expect("CSV in memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_where_they_must_be() {
        let rows = [["买家问\"包邮吗\"", "满 99 元包邮，好的", "a,b", "x\ny"].map(String::from)];
        let text = write_rows(b',', &["a", "b", "c", "d"], rows.into_iter());
        assert_eq!(
            text,
            "a,b,c,d\r\n\"买家问\"\"包邮吗\"\"\",满 99 元包邮，好的,\"a,b\",\"x\ny\"\r\n"
        );
    }
}
