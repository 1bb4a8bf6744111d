//! `chatwoot.json`: Chatwoot canned responses, one `{short_code, content}` per say
//! line, for `POST /api/v1/accounts/{id}/canned_responses` (one call each).

use serde::Serialize;

use super::{say_lines, ExportLine};

#[derive(Serialize)]
struct CannedResponse<'a> {
    short_code: &'a str,
    content: &'a str,
}

pub(super) fn to_chatwoot(lines: &[ExportLine]) -> String {
    let responses: Vec<CannedResponse> = say_lines(lines)
        .map(|line| CannedResponse {
            short_code: line.code,
            content: line.text,
        })
        .collect();
    let mut json = serde_json::to_string(&responses).expect("canned responses serialize");
    json.push('\n');
    json
}
