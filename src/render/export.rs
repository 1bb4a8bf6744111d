//! `phrases.csv` / `phrases.json`: every line to say or never say, one row each, for
//! import into chat tools' quick-reply libraries. Script entries give their
//! situation; steps give the step title as the situation. Tactics have no lines.

use serde::Serialize;

use crate::model::{EntryBody, Handbook};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ScriptLine<'a> {
    pub(crate) table: &'a str,
    pub(crate) table_title: &'a str,
    pub(crate) entry: &'a str,
    pub(crate) situation: &'a str,
    /// `say` or `avoid`.
    pub(crate) kind: &'static str,
    pub(crate) text: &'a str,
    pub(crate) why: &'a str,
}

pub(crate) fn script_lines(handbook: &Handbook) -> Vec<ScriptLine<'_>> {
    let mut rows = Vec::new();
    for table in &handbook.tables {
        for entry in &table.entries {
            let why = match &entry.body {
                EntryBody::Script { why, .. } => why.as_deref().unwrap_or(""),
                _ => "",
            };
            for (kind, lines) in [("say", entry.say()), ("avoid", entry.avoid())] {
                for line in lines {
                    rows.push(ScriptLine {
                        table: &table.id.value,
                        table_title: &table.title,
                        entry: &entry.id.value,
                        situation: entry.label(),
                        kind,
                        text: &line.value,
                        why,
                    });
                }
            }
        }
    }
    rows
}

/// RFC 4180 CSV with a header row, UTF-8 without a byte-order mark.
pub(crate) fn to_csv(rows: &[ScriptLine]) -> String {
    let mut out = String::from("table,table_title,entry,situation,kind,text,why\r\n");
    for row in rows {
        let fields = [
            row.table,
            row.table_title,
            row.entry,
            row.situation,
            row.kind,
            row.text,
            row.why,
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if field.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&field.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(field);
            }
        }
        out.push_str("\r\n");
    }
    out
}

pub(crate) fn to_json(rows: &[ScriptLine]) -> String {
    let mut json = serde_json::to_string_pretty(rows).expect("script lines serialize to JSON");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let rows = [ScriptLine {
            table: "t",
            table_title: "表",
            entry: "e",
            situation: "买家问\"包邮吗\"",
            kind: "say",
            text: "亲，满 99 元包邮，好的",
            why: "",
        }];
        assert_eq!(
            to_csv(&rows),
            "table,table_title,entry,situation,kind,text,why\r\nt,表,e,\"买家问\"\"包邮吗\"\"\",say,亲，满 99 元包邮，好的,\r\n"
        );
    }
}
