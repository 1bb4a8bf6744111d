//! `phrases.json`: every line, say and avoid, as an array of objects with the
//! fields of [`ExportLine`] (its position left out).

use super::ExportLine;

pub(super) fn to_json(lines: &[ExportLine]) -> String {
    let mut json = serde_json::to_string(lines).expect("export lines serialize to JSON");
    json.push('\n');
    json
}
