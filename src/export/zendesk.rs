//! `zendesk.json`: Zendesk macros, one `{"macro": …}` per say line, each the body of
//! one `POST /api/v2/macros`. The title `<table title>::<situation>` files the macro
//! in a folder per table; the macro sets the reply's text to the line.

use serde::Serialize;

use super::{say_lines, unique_names, ExportLine};

#[derive(Serialize)]
struct Wrapped<'a> {
    #[serde(rename = "macro")]
    r#macro: Macro<'a>,
}

#[derive(Serialize)]
struct Macro<'a> {
    title: String,
    actions: [Action<'a>; 1],
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    active: bool,
}

#[derive(Serialize)]
struct Action<'a> {
    field: &'static str,
    value: &'a str,
}

/// `::` inside a title or situation would make Zendesk nest one more folder.
fn part(text: &str) -> String {
    text.replace("::", ": ")
}

pub(super) fn to_zendesk(lines: &[ExportLine]) -> String {
    let titles = unique_names(say_lines(lines), |line| {
        format!("{}::{}", part(line.table_title), part(line.situation))
    });
    let macros: Vec<Wrapped> = say_lines(lines)
        .zip(titles)
        .map(|(line, title)| Wrapped {
            r#macro: Macro {
                title,
                actions: [Action {
                    field: "comment_value",
                    value: line.text,
                }],
                description: line.why,
                active: true,
            },
        })
        .collect();
    let mut json = serde_json::to_string(&macros).expect("macros serialize");
    json.push('\n');
    json
}
