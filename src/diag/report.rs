//! Printing diagnostics: like a compiler for people, as JSON for CI.

use std::fmt::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::{Diagnostic, Diagnostics, Lang, Location, Severity, Sources};

/// `error[E0401]: content/a.md:12:5: message`, the source line, a caret underline
/// (sized by display width, so it stays aligned under Chinese text), then notes and
/// help; a summary line at the end. All in `lang`.
pub(crate) fn render_human(
    diagnostics: &Diagnostics,
    sources: &Sources,
    color: bool,
    lang: Lang,
) -> String {
    let mut out = String::new();
    for d in diagnostics.iter() {
        render_one(&mut out, d, sources, color, lang);
    }
    let errors = diagnostics.count(Severity::Error);
    let warnings = diagnostics.count(Severity::Warning);
    if errors + warnings > 0 {
        let _ = writeln!(out, "{}", summary(errors, warnings, lang));
    }
    out
}

/// "2 errors, 1 warning" / "2 个错误，1 个警告".
fn summary(errors: usize, warnings: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{} error{}, {} warning{}",
            errors,
            plural(errors),
            warnings,
            plural(warnings)
        ),
        Lang::Zh => format!("{errors} 个错误，{warnings} 个警告"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &Sources, color: bool, lang: Lang) {
    let paint = match d.severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
    };
    let label = d.severity.label(lang);
    let code = d.code();
    let (on, off) = if color { (paint, "\x1b[0m") } else { ("", "") };
    let message = d.message(lang);
    match &d.location {
        Some(loc) => {
            let _ = writeln!(
                out,
                "{on}{label}[{code}]{off}: {}: {message}",
                position(loc, sources),
            );
            excerpt(out, loc, sources);
        }
        None => {
            let _ = writeln!(out, "{on}{label}[{code}]{off}: {message}");
        }
    }
    let (note_word, help_word) = match lang {
        Lang::En => ("note", "help"),
        Lang::Zh => ("注", "提示"),
    };
    if let Some((label, loc)) = d.note(lang) {
        let _ = writeln!(out, "   = {note_word}: {label}: {}", position(loc, sources));
    }
    if let Some(help) = d.help(lang) {
        let _ = writeln!(out, "   = {help_word}: {help}");
    }
    out.push('\n');
}

fn position(loc: &Location, sources: &Sources) -> String {
    let file = sources.get(loc.file);
    match &loc.span {
        Some(span) => {
            let (line, col) = file.line_col(span.start);
            format!("{}:{line}:{col}", file.path)
        }
        None => file.path.clone(),
    }
}

fn excerpt(out: &mut String, loc: &Location, sources: &Sources) {
    let Some(span) = &loc.span else { return };
    let file = sources.get(loc.file);
    let (line, _) = file.line_col(span.start);
    let range = file.line_range(line);
    let text = &file.text[range.clone()];
    let start = span.start.clamp(range.start, range.end) - range.start;
    let end = span.end.clamp(range.start, range.end) - range.start;
    let start = floor_boundary(text, start);
    let end = floor_boundary(text, end.max(start));
    let indent = UnicodeWidthStr::width(&text[..start]);
    let width = UnicodeWidthStr::width(&text[start..end]).max(1);
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{line} | {}", text.replace('\t', " "));
    let _ = writeln!(out, "{pad} | {}{}", " ".repeat(indent), "^".repeat(width));
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Serialize)]
struct JsonReport<'a> {
    /// The language of the messages: `en` or `zh`.
    language: &'static str,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    help: Option<&'a str>,
    note: Option<String>,
}

/// The same diagnostics as one JSON document (`check --format json`), the texts in
/// `lang` beside each stable code.
pub(crate) fn render_json(diagnostics: &Diagnostics, sources: &Sources, lang: Lang) -> String {
    let items = diagnostics
        .iter()
        .map(|d| {
            let file = d.location.as_ref().map(|l| sources.get(l.file));
            let span = d.location.as_ref().and_then(|l| l.span.clone());
            let (start, end) = match (file, span) {
                (Some(f), Some(s)) => (Some(f.line_col(s.start)), Some(f.line_col(s.end))),
                _ => (None, None),
            };
            JsonDiagnostic {
                severity: d.severity,
                code: d.code(),
                message: d.message(lang),
                file: file.map(|f| f.path.as_str()),
                line: start.map(|p| p.0),
                column: start.map(|p| p.1),
                end_line: end.map(|p| p.0),
                end_column: end.map(|p| p.1),
                help: d.help(lang),
                note: d
                    .note(lang)
                    .map(|(label, loc)| format!("{label}: {}", position(loc, sources))),
            }
        })
        .collect();
    let report = JsonReport {
        language: match lang {
            Lang::En => "en",
            Lang::Zh => "zh",
        },
        errors: diagnostics.count(Severity::Error),
        warnings: diagnostics.count(Severity::Warning),
        diagnostics: items,
    };
    serde_json::to_string_pretty(&report).expect("diagnostics serialize to JSON")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{tr, Code};

    #[test]
    fn caret_sits_under_the_span_in_chinese_text() {
        let mut sources = Sources::new();
        let text = "前言\n见[投诉](@complaint)。\n";
        let file = sources.add("content/a.md", text);
        let start = text.find("@complaint").unwrap();
        let mut diags = Diagnostics::new();
        diags.push(
            Diagnostic::new(
                Code::E0401,
                tr!("broken link `@complaint`", "链接 `@complaint` 无效"),
            )
            .at(file, start..start + "@complaint".len())
            .with_help(tr!(
                "did you mean `@complaints`?",
                "是不是想写 `@complaints`？"
            )),
        );
        let out = render_human(&diags, &sources, false, Lang::En);
        let expected = "error[E0401]: content/a.md:2:7: broken link `@complaint`\n  |\n2 | 见[投诉](@complaint)。\n  |          ^^^^^^^^^^\n   = help: did you mean `@complaints`?\n\n1 error, 0 warnings\n";
        assert_eq!(out, expected);
        let out = render_human(&diags, &sources, false, Lang::Zh);
        let expected = "错误[E0401]: content/a.md:2:7: 链接 `@complaint` 无效\n  |\n2 | 见[投诉](@complaint)。\n  |          ^^^^^^^^^^\n   = 提示: 是不是想写 `@complaints`？\n\n1 个错误，0 个警告\n";
        assert_eq!(out, expected);
    }

    #[test]
    fn json_report_has_positions() {
        let mut sources = Sources::new();
        let file = sources.add("content/t.yaml", "title: x\nkind: scrip\n");
        let mut diags = Diagnostics::new();
        diags.push(Diagnostic::new(Code::W0301, tr!("odd", "奇怪")).at(file, 15..20));
        let json: serde_json::Value =
            serde_json::from_str(&render_json(&diags, &sources, Lang::Zh)).unwrap();
        assert_eq!(json["language"], "zh");
        assert_eq!(json["diagnostics"][0]["code"], "W0301");
        assert_eq!(json["diagnostics"][0]["message"], "奇怪");
        assert_eq!(json["warnings"], 1);
        assert_eq!(json["diagnostics"][0]["line"], 2);
        assert_eq!(json["diagnostics"][0]["column"], 7);
        assert_eq!(json["diagnostics"][0]["file"], "content/t.yaml");
    }
}
