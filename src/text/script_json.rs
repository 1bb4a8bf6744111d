//! JSON that goes inside a `<script>`: a page's `<script type="application/json">`
//! element, or the argument of a call in one of the search index's `.js` files.

use serde::Serialize;

/// `value` as JSON that cannot end its script early or change how the page around
/// it parses: every `<` is written `\u003c` (so neither `</script>` nor `<!--`
/// appears), and the line separators U+2028 and U+2029, which older JavaScript
/// engines refuse inside a string, are escaped too. All are JSON escapes, so
/// `JSON.parse` and JavaScript read the same value.
pub(crate) fn to_script_json<T: Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_string(value).expect("plain data serializes to JSON");
    // Looked for before replacing: text seldom has any, and a replace copies the
    // whole string (30 MB of search documents at 10,000 chapters).
    let json = if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    };
    let has =
        |c: char| memchr::memmem::find(json.as_bytes(), c.encode_utf8(&mut [0; 4]).as_bytes());
    if has('\u{2028}').is_some() || has('\u{2029}').is_some() {
        json.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    } else {
        json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_inside_can_close_the_script_or_open_a_comment() {
        let json = to_script_json(&["</script>", "<!-- 注释 -->", "行\u{2028}分隔"]);
        assert_eq!(
            json,
            r#"["\u003c/script>","\u003c!-- 注释 -->","行\u2028分隔"]"#
        );
        assert!(!json.contains('<'));
    }

    #[test]
    fn the_same_value_comes_back() {
        let value = vec!["</script>".to_string(), "<!--".into(), "a\u{2029}b".into()];
        let json = to_script_json(&value);
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, value);
    }
}
