//! Positions and diagnostics in the protocol's terms: LSP counts columns in UTF-16
//! code units (a Chinese character is one, an emoji two), the handbook in bytes.

use std::ops::Range;

use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, Location, Position, Url};

use crate::diag::{Diagnostic, Lang, Severity, SourceFile, Sources};

/// The position of a byte offset of `file`'s text.
pub(crate) fn position(file: &SourceFile, offset: usize) -> Position {
    let text = &*file.text;
    let offset = floor_boundary(text, offset.min(text.len()));
    let (line, _) = file.line_col(offset);
    let start = file.line_range(line).start.min(offset);
    Position {
        line: (line - 1) as u32,
        character: text[start..offset].encode_utf16().count() as u32,
    }
}

pub(crate) fn range(file: &SourceFile, span: &Range<usize>) -> lsp_types::Range {
    lsp_types::Range {
        start: position(file, span.start),
        end: position(file, span.end.max(span.start)),
    }
}

/// The byte offset of a position in `text`; a position past the end of its line
/// (or of the text) is the end of it, as the protocol asks.
pub(crate) fn offset(text: &str, at: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..at.line {
        match memchr::memchr(b'\n', &text.as_bytes()[line_start..]) {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= at.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_start + line.len()
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One of the handbook's diagnostics as the editor shows it, in `file`, its texts
/// in `lang`. The one place that reads a diagnostic's fields: its code, its message
/// with its help, its severity, where it points, and the second place it names
/// (the first use of a duplicate id), which `uri` turns into a link.
pub(crate) fn diagnostic(
    d: &Diagnostic,
    file: &SourceFile,
    sources: &Sources,
    lang: Lang,
    uri: &dyn Fn(&str) -> Option<Url>,
) -> lsp_types::Diagnostic {
    let span = d.location.as_ref().and_then(|at| at.span.clone());
    let mut message = d.message(lang).to_string();
    if let Some(help) = d.help(lang) {
        message.push('\n');
        message.push_str(crate::diag::tr!("help", "提示").get(lang));
        message.push_str(": ");
        message.push_str(help);
    }
    let related = d.note(lang).and_then(|(label, at)| {
        let noted = sources.get(at.file);
        let span = at.span.clone().unwrap_or(0..0);
        Some(vec![DiagnosticRelatedInformation {
            location: Location {
                uri: uri(&noted.path)?,
                range: range(noted, &span),
            },
            message: label.to_string(),
        }])
    });
    lsp_types::Diagnostic {
        range: range(file, &span.unwrap_or(0..0)),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp_types::NumberOrString::String(d.code().to_string())),
        code_description: None,
        source: Some("handbook".into()),
        message,
        related_information: related,
        tags: None,
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn columns_count_utf16_units() {
        let text = "第一行\n投诉😀 @x\n";
        let file = SourceFile::new("a.md".into(), Arc::from(text));
        let at = text.find('@').unwrap();
        // 投 诉 one unit each, the emoji two, the space one.
        assert_eq!(
            position(&file, at),
            Position {
                line: 1,
                character: 5
            }
        );
        assert_eq!(offset(text, position(&file, at)), at);
        assert_eq!(
            offset(
                text,
                Position {
                    line: 0,
                    character: 99
                }
            ),
            "第一行".len()
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 9,
                    character: 0
                }
            ),
            text.len()
        );
    }
}
