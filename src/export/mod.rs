//! The export formats: the phrase tables' lines in the files chat tools and
//! spreadsheets import. [`lines`] gathers every line once; [`Filter`] keeps the tables
//! asked for; [`Format::write`] turns the lines into one format's bytes. `export`
//! writes one format, `build` all of them under `public/exports/`.
//!
//! Quick-reply formats (qianniu, zendesk, chatwoot, zammad) hold only `say` lines:
//! an `avoid` line must never become a reply an agent sends with two keystrokes.

mod chatwoot;
mod csv;
pub(crate) mod encoding;
mod json;
mod qianniu;
mod xlsx;
mod zammad;
mod zendesk;

use crate::diag::{tr, Diagnostic, Lang, Text};
use crate::model::{EntryBody, Handbook};
pub(crate) use encoding::Encoding;

/// One line of a phrase table as the export formats see it: every `say` and `avoid`
/// line of script and steps entries, in table and entry order, an entry's say lines
/// before its avoid lines. Tactics have no lines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct ExportLine<'a> {
    /// The table's id.
    pub(crate) table: &'a str,
    pub(crate) table_title: &'a str,
    /// The entry's id.
    pub(crate) entry: &'a str,
    /// The script entry's situation, or the step's title.
    pub(crate) situation: &'a str,
    pub(crate) kind: LineKind,
    /// The say line's quick-reply code; "" for an avoid line.
    pub(crate) code: &'a str,
    pub(crate) text: &'a str,
    /// The script entry's `why`; "" when none.
    pub(crate) why: &'a str,
    /// The table's tags.
    #[serde(skip)]
    pub(crate) tags: &'a [String],
    /// Where the line is written, for errors about it.
    #[serde(skip)]
    pub(crate) file: crate::diag::FileId,
    #[serde(skip)]
    pub(crate) span: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LineKind {
    Say,
    Avoid,
}

/// Every line of the handbook's tables, in table and entry order.
pub(crate) fn lines(handbook: &Handbook) -> Vec<ExportLine<'_>> {
    let mut rows = Vec::new();
    for table in &handbook.tables {
        for entry in &table.entries {
            let why = match &entry.body {
                EntryBody::Script { why, .. } => why.as_deref().unwrap_or(""),
                _ => "",
            };
            let say = entry.say().iter().enumerate().map(|(i, line)| {
                let code = entry.codes.get(i).map_or("", String::as_str);
                (LineKind::Say, code, line)
            });
            let avoid = entry.avoid().iter().map(|line| (LineKind::Avoid, "", line));
            for (kind, code, line) in say.chain(avoid) {
                rows.push(ExportLine {
                    table: &table.id.value,
                    table_title: &table.title,
                    entry: &entry.id.value,
                    situation: entry.label(),
                    kind,
                    code,
                    text: &line.value,
                    why,
                    tags: &table.tags,
                    file: table.file,
                    span: line.span.clone(),
                });
            }
        }
    }
    rows
}

/// The say lines alone: what a quick-reply format may hold.
fn say_lines<'l, 'a>(lines: &'l [ExportLine<'a>]) -> impl Iterator<Item = &'l ExportLine<'a>> {
    lines.iter().filter(|line| line.kind == LineKind::Say)
}

/// `--tables` and `--tags`: a line is kept when its table is among `tables` (if
/// any are given) and has one of `tags` (if any are given).
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub(crate) tables: Vec<String>,
    pub(crate) tags: Vec<String>,
}

impl Filter {
    /// The lines the filter keeps; an id or tag no table has is an error that says
    /// which, and lists those there are.
    pub(crate) fn apply<'a>(
        &self,
        handbook: &Handbook,
        lines: Vec<ExportLine<'a>>,
    ) -> Result<Vec<ExportLine<'a>>, Text> {
        let ids: Vec<&str> = handbook
            .tables
            .iter()
            .map(|t| t.id.value.as_str())
            .collect();
        let mut tags: Vec<&str> = handbook
            .tables
            .iter()
            .flat_map(|t| t.tags.iter().map(String::as_str))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        let mut problems = unknown(tr!("table", "话术表"), "--tables", &self.tables, &ids);
        problems.extend(unknown(tr!("tag", "标签"), "--tags", &self.tags, &tags));
        if !problems.is_empty() {
            let lines = |lang| {
                let lines: Vec<&str> = problems.iter().map(|p: &Text| p.get(lang)).collect();
                lines.join("\n")
            };
            return Err(Text::new(lines(Lang::En), lines(Lang::Zh)));
        }
        let wanted = |line: &ExportLine| {
            (self.tables.is_empty() || self.tables.iter().any(|t| t == line.table))
                && (self.tags.is_empty() || line.tags.iter().any(|t| self.tags.contains(t)))
        };
        Ok(lines.into_iter().filter(|l| wanted(l)).collect())
    }
}

/// One message per name in `asked` that is not in `known`.
fn unknown(what: Text, option: &str, asked: &[String], known: &[&str]) -> Vec<Text> {
    let list = match known {
        [] => tr!("there are none", "手册里一个也没有"),
        _ => tr!("there are: {}", "现有的：{}", known.join(", ")),
    };
    asked
        .iter()
        .filter(|name| !known.contains(&name.as_str()))
        .map(|name| {
            Text::new(
                format!(
                    "{option}: no {} `{name}` in this handbook; {}",
                    what.get(Lang::En),
                    list.get(Lang::En)
                ),
                format!(
                    "{option}：手册里没有{} `{name}`；{}",
                    what.get(Lang::Zh),
                    list.get(Lang::Zh)
                ),
            )
        })
        .collect()
}

/// An export format. Adding one: a variant here (its doc line is the `--help`
/// text), its file name and its writer in the matches below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// every line, say and avoid, with its kind and code (UTF-8 with BOM by default: opens in Excel)
    Csv,
    /// every line, say and avoid, with its kind and code, as a JSON array
    Json,
    /// 千牛 快捷短语 import: code, say line, group = table title (GBK by default)
    Qianniu,
    /// Zendesk macros, one `{"macro": …}` per say line, for POST /api/v2/macros
    Zendesk,
    /// Chatwoot canned responses `{short_code, content}`, for POST /api/v1/accounts/{id}/canned_responses
    Chatwoot,
    /// Zammad text modules CSV import (`;`-separated, UTF-8)
    Zammad,
    /// an Excel workbook: a sheet of every line, then one per table; avoid lines struck through
    Xlsx,
}

impl Format {
    /// Every format, in the order the finder lists them.
    pub(crate) const ALL: &'static [Format] = &[
        Format::Qianniu,
        Format::Xlsx,
        Format::Csv,
        Format::Zendesk,
        Format::Chatwoot,
        Format::Zammad,
        Format::Json,
    ];

    /// Its name on the command line and in the finder.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Qianniu => "qianniu",
            Format::Zendesk => "zendesk",
            Format::Chatwoot => "chatwoot",
            Format::Zammad => "zammad",
            Format::Xlsx => "xlsx",
        }
    }

    /// The tool it is for, as the finder's download list names it.
    pub(crate) fn tool(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Json => "JSON",
            Format::Qianniu => "千牛",
            Format::Zendesk => "Zendesk",
            Format::Chatwoot => "Chatwoot",
            Format::Zammad => "Zammad",
            Format::Xlsx => "Excel",
        }
    }

    /// Its file under `exports/` in a built site.
    pub(crate) fn file_name(self) -> &'static str {
        match self {
            Format::Csv => "phrases.csv",
            Format::Json => "phrases.json",
            Format::Qianniu => "qianniu.csv",
            Format::Zendesk => "zendesk.json",
            Format::Chatwoot => "chatwoot.json",
            Format::Zammad => "zammad.csv",
            Format::Xlsx => "phrases.xlsx",
        }
    }

    /// Its path in a built site, from the root (where the finder links it).
    pub(crate) fn site_path(self) -> String {
        format!("exports/{}", self.file_name())
    }

    /// The encoding it is written in unless `--encoding` says otherwise; `None` for
    /// the formats that have no choice of one (JSON is always UTF-8, a workbook's
    /// text always Unicode).
    pub(crate) fn default_encoding(self) -> Option<Encoding> {
        match self {
            Format::Csv => Some(Encoding::Utf8Bom),
            Format::Qianniu => Some(Encoding::Gbk),
            Format::Zammad => Some(Encoding::Utf8),
            Format::Json | Format::Zendesk | Format::Chatwoot | Format::Xlsx => None,
        }
    }

    /// The file's bytes, in `encoding` (the format's default if `None`); `language`
    /// is handbook.yaml's, for the workbook's sheet and column names. Errors: a
    /// character the encoding cannot hold, or a text too long for a workbook cell,
    /// one per line it is in.
    pub(crate) fn write(
        self,
        lines: &[ExportLine],
        encoding: Option<Encoding>,
        language: &str,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let encoding = encoding
            .or(self.default_encoding())
            .unwrap_or(Encoding::Utf8);
        match self {
            Format::Csv => csv::to_csv(lines, encoding),
            Format::Qianniu => qianniu::to_qianniu(lines, encoding),
            Format::Zammad => zammad::to_zammad(lines, encoding),
            Format::Json => Ok(json::to_json(lines).into_bytes()),
            Format::Zendesk => Ok(zendesk::to_zendesk(lines).into_bytes()),
            Format::Chatwoot => Ok(chatwoot::to_chatwoot(lines).into_bytes()),
            Format::Xlsx => xlsx::write(lines, language),
        }
    }
}

/// A name for each say line, from `base`, told apart where two would be the same:
/// an entry's second and later lines get ` (2)`, ` (3)`…, and a name still taken
/// gets the line's code, which is unique, in brackets. (Zendesk files macros by
/// title; Zammad's import takes two rows with one name for a duplicate.)
fn unique_names<'l>(
    lines: impl Iterator<Item = &'l ExportLine<'l>>,
    base: impl Fn(&ExportLine) -> String,
) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    let mut previous: Option<(&str, &str)> = None;
    let mut nth = 0;
    let mut names = Vec::new();
    for line in lines {
        let here = (line.table, line.entry);
        nth = if previous == Some(here) { nth + 1 } else { 1 };
        previous = Some(here);
        let mut name = base(line);
        if nth > 1 {
            name = format!("{name} ({nth})");
        }
        if !taken.insert(name.clone()) {
            name = format!("{name} [{}]", line.code);
            taken.insert(name.clone());
        }
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;

    fn say<'a>(
        table: &'a str,
        entry: &'a str,
        situation: &'a str,
        code: &'a str,
    ) -> ExportLine<'a> {
        ExportLine {
            table,
            table_title: "表",
            entry,
            situation,
            kind: LineKind::Say,
            code,
            text: "亲",
            why: "",
            tags: &[],
            file: FileId::first(),
            span: 0..0,
        }
    }

    #[test]
    fn every_format_is_built_and_has_its_import_sentence() {
        use clap::ValueEnum;
        let all: std::collections::BTreeSet<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        let variants: std::collections::BTreeSet<&str> =
            Format::value_variants().iter().map(|f| f.name()).collect();
        assert_eq!(all, variants);
        let files: std::collections::BTreeSet<&str> =
            Format::ALL.iter().map(|f| f.file_name()).collect();
        assert_eq!(files.len(), Format::ALL.len());
        for language in ["zh-CN", "en"] {
            let strings = crate::model::strings::ui_strings(language, &Default::default());
            for format in Format::ALL {
                assert!(strings.contains_key(&format!("import_{}", format.name())));
            }
        }
    }

    #[test]
    fn names_are_told_apart_by_number_then_by_code() {
        let lines = [
            say("t", "a", "退货", "a"),
            say("t", "a", "退货", "a-2"),
            say("t", "b", "换货", "b"),
            say("t", "c", "退货", "c"),
            say("u", "a", "退货", "u-a"),
        ];
        let names = unique_names(lines.iter(), |l| l.situation.to_string());
        assert_eq!(
            names,
            ["退货", "退货 (2)", "换货", "退货 [c]", "退货 [u-a]"]
        );
    }

    #[test]
    fn quick_reply_formats_leave_avoid_lines_out() {
        let mut avoid = say("t", "a", "退货", "");
        avoid.kind = LineKind::Avoid;
        avoid.text = "不退";
        let lines = [say("t", "a", "退货", "a"), avoid];
        for format in [Format::Zendesk, Format::Chatwoot] {
            let text = String::from_utf8(format.write(&lines, None, "zh-CN").unwrap()).unwrap();
            assert!(text.contains("亲") && !text.contains("不退"), "{text}");
        }
        let text = String::from_utf8(Format::Csv.write(&lines, None, "zh-CN").unwrap()).unwrap();
        assert!(text.contains("不退"), "{text}");
    }
}
