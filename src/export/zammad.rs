//! `zammad.csv`: Zammad's text modules CSV import (Settings → Text modules →
//! Import). `;`-separated with the header `name;keywords;content;note;active`; one
//! row per say line. Zammad finds an existing module by `name` (a second import
//! updates it; two rows with one name fail the import, so names are made unique),
//! trims every value, reads `~~~` as a list separator, and takes `content` as HTML.

use super::csv::write_rows;
use super::encoding::{self, Encoding};
use super::{say_lines, unique_names, ExportLine};
use crate::diag::Diagnostic;

pub(crate) const HEADER: [&str; 5] = ["name", "keywords", "content", "note", "active"];

pub(super) fn to_zammad(
    lines: &[ExportLine],
    encoding: Encoding,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let names = unique_names(say_lines(lines), |line| line.situation.to_string());
    let rows: Vec<[String; 5]> = say_lines(lines)
        .zip(names)
        .map(|(line, name)| {
            [
                name,
                keywords(line),
                html_text(line.text),
                line.why.to_string(),
                "true".to_string(),
            ]
            .map(|field| without_list_separator(&field))
        })
        .collect();
    let text = write_rows(b';', &HEADER, rows.into_iter());
    encoding::encode_checked(&text, encoding, say_lines(lines), "zammad", |line| {
        vec![
            line.situation.to_string(),
            keywords(line),
            line.text.to_string(),
            line.why.to_string(),
        ]
    })
}

/// `field` with every `~~~` written `~ ~ ~`, the list separator Zammad splits a value
/// at. One pass is not enough: in a run of tildes, `~~~~~~~~` becomes
/// `~ ~ ~~ ~ ~~~`, whose junctions make new separators.
fn without_list_separator(field: &str) -> String {
    let mut field = field.to_string();
    while field.contains("~~~") {
        field = field.replace("~~~", "~ ~ ~");
    }
    field
}

/// The code, then the table's tags, space-separated: what an agent may type after
/// `::` to find the module.
fn keywords(line: &ExportLine) -> String {
    let mut words = vec![line.code];
    words.extend(line.tags.iter().map(String::as_str));
    words.join(" ")
}

/// A line as the HTML Zammad keeps a module's content in.
fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_run_of_tildes_leaves_a_list_separator() {
        // Found by the fuzzer: a run of eight tildes kept one after a single pass.
        for n in 0..40 {
            let field = format!("a{}b", "~".repeat(n));
            let written = without_list_separator(&field);
            assert!(!written.contains("~~~"), "{field:?} -> {written:?}");
            assert_eq!(written.replace(' ', ""), field, "only spaces are added");
        }
        assert_eq!(without_list_separator("退~~~货"), "退~ ~ ~货");
    }
}
