//! Chat bubbles for ```dialogue blocks and for tactics' examples.

use crate::markdown;
use crate::model::{DialogueLine, DialogueSpeakers};

/// Staff on the right, customers on the left, anyone else in a neutral colour.
/// Each message's text is inline Markdown, so `~~…~~` marks a line never to say.
pub fn dialogue_html(
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

pub fn escape_into(out: &mut String, text: &str) {
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

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
