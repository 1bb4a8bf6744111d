//! Chat bubbles for ```dialogue blocks and for tactics' examples.

use crate::model::{DialogueLine, DialogueSpeakers};
use crate::text::markdown;

/// Staff on the right, customers on the left, anyone else in a neutral colour.
/// Each message's text is inline Markdown, so `~~…~~` marks a line never to say.
pub(crate) fn dialogue_html(
    lines: &[DialogueLine],
    speakers: &DialogueSpeakers,
    raw_html: bool,
) -> String {
    let mut out = String::from("<div class=\"dialogue\">\n");
    for line in lines {
        let side = if speakers.staff.iter().any(|s| s == &line.speaker) {
            "from-staff"
        } else if speakers.customer.iter().any(|s| s == &line.speaker) {
            "from-customer"
        } else {
            "from-other"
        };
        out.push_str("<div class=\"bubble ");
        out.push_str(side);
        out.push_str("\"><span class=\"speaker\">");
        escape_into(&mut out, &line.speaker);
        out.push_str("</span><div class=\"text\">");
        inline_markdown(&mut out, &line.text, raw_html);
        out.push_str("</div></div>\n");
    }
    out.push_str("</div>\n");
    out
}

fn inline_markdown(out: &mut String, text: &str, raw_html: bool) {
    // Most lines are plain sentences: no parser needed to know their HTML.
    if is_plain(text) {
        out.push_str(text);
        return;
    }
    parsed_inline_markdown(out, text, raw_html);
}

/// True when Markdown leaves `text` as it is and it has nothing to escape: no
/// character with a meaning in Markdown or HTML, nothing a block could start
/// with, no whitespace at either end for a paragraph to trim.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    !(first.is_ascii_whitespace()
        || first.is_ascii_digit()
        || matches!(first, b'-' | b'+' | b'=')
        || last.is_ascii_whitespace()
        || bytes.iter().any(|b| {
            matches!(
                b,
                b'\\'
                    | b'`'
                    | b'*'
                    | b'_'
                    | b'~'
                    | b'['
                    | b']'
                    | b'<'
                    | b'>'
                    | b'&'
                    | b'!'
                    | b'#'
                    | b'|'
                    | b'{'
                    | b'}'
                    | b'"'
                    | b'\''
                    | b'\n'
                    | b'\r'
                    | b'\t'
            )
        }))
}

fn parsed_inline_markdown(out: &mut String, text: &str, raw_html: bool) {
    let mut html = String::new();
    let events = markdown::parser(text).map(|event| match event {
        pulldown_cmark::Event::Html(h) | pulldown_cmark::Event::InlineHtml(h) if !raw_html => {
            pulldown_cmark::Event::Text(h)
        }
        other => other,
    });
    pulldown_cmark::html::push_html(&mut html, events);
    let html = html.trim_end();
    let html = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .filter(|h| !h.contains("<p>"))
        .unwrap_or(html);
    out.push_str(html);
}

pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_are_what_the_parser_would_make_of_them() {
        let lines = [
            "您好，请问有什么可以帮您？",
            "3天内发货",
            "1. 先道歉",
            "- 列表",
            "  前后有空格 ",
            "~~没有了~~",
            "a_b_c",
            "<b>粗</b>",
            "价格 & 运费",
            "他说\"好\"",
            "it's",
            "# 标题",
            "> 引用",
            "[链接](x.html)",
            "`代码`",
            "表|格",
            "第二行\n换行",
            "",
            "SKU-123 共 2 件，合计 ¥99.5（含运费）",
        ];
        for line in lines {
            let mut parsed = String::new();
            parsed_inline_markdown(&mut parsed, line, false);
            if is_plain(line) {
                assert_eq!(parsed, line, "{line:?} is plain but parses otherwise");
            }
        }
        assert!(is_plain("您好，请问有什么可以帮您？"));
        assert!(is_plain("SKU-123 共 2 件，合计 ¥99.5（含运费）"));
        assert!(!is_plain("1. 先道歉"));
    }

    #[test]
    fn sides_and_escaping() {
        let lines = vec![
            DialogueLine {
                speaker: "买家".into(),
                text: "太贵了 <b>".into(),
            },
            DialogueLine {
                speaker: "客服".into(),
                text: "~~没有了~~ 每天不到一块钱".into(),
            },
        ];
        let html = dialogue_html(&lines, &DialogueSpeakers::default(), false);
        assert!(html.contains("<div class=\"bubble from-customer\"><span class=\"speaker\">买家</span><div class=\"text\">太贵了 &lt;b&gt;</div></div>"), "{html}");
        assert!(html.contains("from-staff"));
        assert!(html.contains("<del>没有了</del> 每天不到一块钱"), "{html}");
    }
}
