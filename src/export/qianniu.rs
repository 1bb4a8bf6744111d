//! `qianniu.csv`: 千牛's 快捷短语 (quick phrases) import. The header is the one
//! 千牛's own phrase export writes; one row per say line: its code, the line, and
//! the table's title as the group. The encoding is not documented: GBK by default,
//! what Windows tools in China read a CSV file as.

use super::csv::write_rows;
use super::encoding::{self, Encoding};
use super::{say_lines, ExportLine};
use crate::diag::Diagnostic;

pub(crate) const HEADER: [&str; 3] = ["快捷短语编码", "快捷短语", "快捷短语分组"];

pub(super) fn to_qianniu(
    lines: &[ExportLine],
    encoding: Encoding,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let fields = |line: &ExportLine| [line.code, line.text, line.table_title].map(str::to_string);
    let text = write_rows(b',', &HEADER, say_lines(lines).map(fields));
    encoding::encode_checked(&text, encoding, say_lines(lines), "qianniu", |l| {
        fields(l).to_vec()
    })
}
