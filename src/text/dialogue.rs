//! ```` ```dialogue ```` blocks: one `speaker: text` line per message.

use std::ops::Range;

use crate::diag::{tr, Text};
use crate::model::DialogueLine;

/// A parsed line and its byte range inside the block body.
pub(crate) struct ParsedLine {
    pub(crate) line: Result<DialogueLine, Text>,
    pub(crate) range: Range<usize>,
}

/// Splits a dialogue body into messages. Both `:` and the full-width `：` separate
/// speaker from text; a line with neither continues the previous message; blank lines
/// are skipped.
pub(crate) fn parse(body: &str) -> Vec<ParsedLine> {
    let mut out: Vec<ParsedLine> = Vec::new();
    let mut offset = 0;
    for raw in body.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let range = start..start + line.len();
        match split_speaker(line) {
            Some((speaker, text)) => out.push(ParsedLine {
                line: Ok(DialogueLine {
                    speaker: speaker.to_string(),
                    text: text.to_string(),
                }),
                range,
            }),
            None => match out.last_mut() {
                Some(ParsedLine {
                    line: Ok(previous), ..
                }) => {
                    previous.text.push('\n');
                    previous.text.push_str(line.trim());
                }
                _ => out.push(ParsedLine {
                    line: Err(tr!(
                        "a dialogue line needs a speaker: write `买家: …` or `客服: …`",
                        "对话的每一行都要写明说话人：`买家: …` 或 `客服: …`"
                    )),
                    range,
                }),
            },
        }
    }
    out
}

fn split_speaker(line: &str) -> Option<(&str, &str)> {
    let cut = line.find([':', '：'])?;
    let speaker = line[..cut].trim();
    let sep_len = line[cut..].chars().next().map_or(1, char::len_utf8);
    let text = line[cut + sep_len..].trim();
    // A speaker is a short name, not a sentence that happens to contain a colon.
    if speaker.is_empty() || speaker.chars().count() > 16 || text.is_empty() {
        return None;
    }
    Some((speaker, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_colons_and_continuations() {
        let lines = parse("买家：太贵了\n客服: 算下来每天\n不到一块钱。\n\n");
        assert_eq!(lines.len(), 2);
        let second = lines[1].line.as_ref().unwrap();
        assert_eq!(second.speaker, "客服");
        assert_eq!(second.text, "算下来每天\n不到一块钱。");
        assert_eq!(lines[0].line.as_ref().unwrap().text, "太贵了");
    }

    #[test]
    fn a_first_line_without_speaker_is_an_error() {
        let lines = parse("太贵了\n");
        assert!(lines[0].line.is_err());
        assert_eq!(lines[0].range, 0..9);
    }
}
