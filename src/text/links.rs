//! What a link destination written in a chapter points at. Loading uses this to
//! validate links, rendering to rewrite them: one function, so both always agree.

use crate::model::LinkTarget;

/// Classifies `dest` as written in a file that sits in `dir` (relative to `content/`,
/// `""` for the top level).
pub(crate) fn classify(dest: &str, dir: &str) -> LinkTarget {
    let dest = dest.trim();
    if let Some(rest) = dest.strip_prefix('@') {
        let (id, anchor) = split_anchor(rest);
        return LinkTarget::Id {
            id: percent_decode(id),
            anchor,
        };
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return LinkTarget::SamePage {
            anchor: percent_decode(anchor),
        };
    }
    if dest.is_empty() || is_external(dest) {
        return LinkTarget::External;
    }
    let (path, anchor) = split_anchor(dest);
    let path = path.split('?').next().unwrap_or("");
    let path = normalize(dir, &percent_decode(path));
    let lower = path.to_ascii_lowercase();
    if [".md", ".markdown", ".yaml", ".yml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        LinkTarget::Source { path, anchor }
    } else {
        LinkTarget::Asset { path }
    }
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with('/') || dest.starts_with('\\') {
        return true;
    }
    // A scheme: letters, digits, + - . before the first ':' (and before any '/').
    match dest.find(':') {
        Some(colon) => {
            let scheme = &dest[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Splits off the anchor at the first `#` *as written*, before anything is decoded:
/// a `%23` belongs to the path or id it is written in (as in browsers and
/// CommonMark), so `@a%23b#c` is id `a#b` (which no page can have: the link is
/// reported) with anchor `c`, never id `a` with anchor `b#c`.
fn split_anchor(text: &str) -> (&str, Option<String>) {
    match text.split_once('#') {
        Some((path, anchor)) => (path, Some(percent_decode(anchor))),
        None => (text, None),
    }
}

/// Joins `path` onto `dir` and folds `.` and `..`. A path that climbs out of
/// `content/` keeps its leading `..` so that it can never match a file inside.
pub(crate) fn normalize(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut escaped = 0;
    let joined = dir.split('/').chain(path.split(['/', '\\']));
    for part in joined {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    escaped += 1;
                }
            }
            other => parts.push(other),
        }
    }
    let mut out = "../".repeat(escaped);
    out.push_str(&parts.join("/"));
    out
}

/// Decodes `%XX` escapes; invalid ones stay as written.
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(value) = u8::from_str_radix(hex, 16) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The directory part of a `content/`-relative path.
pub(crate) fn parent_dir(rel_path: &str) -> &str {
    rel_path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_links() {
        assert_eq!(
            classify("@complaints#诚恳道歉", "a"),
            LinkTarget::Id {
                id: "complaints".into(),
                anchor: Some("诚恳道歉".into())
            }
        );
        assert_eq!(
            classify("@returns", ""),
            LinkTarget::Id {
                id: "returns".into(),
                anchor: None
            }
        );
    }

    #[test]
    fn an_encoded_hash_is_not_an_anchor() {
        assert_eq!(
            classify("@com%23plaints#%E8%AF%9A", ""),
            LinkTarget::Id {
                id: "com#plaints".into(),
                anchor: Some("诚".into())
            }
        );
        assert_eq!(
            classify("a%23b.md", "x"),
            LinkTarget::Source {
                path: "x/a#b.md".into(),
                anchor: None
            }
        );
        assert_eq!(
            classify("a%3Fq.md#b%23c", ""),
            LinkTarget::Source {
                path: "a?q.md".into(),
                anchor: Some("b#c".into())
            }
        );
    }

    #[test]
    fn relative_source_links_are_normalised() {
        assert_eq!(
            classify("../04-aftersales/03-complaints.md#%E8%AF%9A", "01-basics"),
            LinkTarget::Source {
                path: "04-aftersales/03-complaints.md".into(),
                anchor: Some("诚".into())
            }
        );
        assert_eq!(
            classify("img/a.png", "01-basics"),
            LinkTarget::Asset {
                path: "01-basics/img/a.png".into()
            }
        );
        assert_eq!(
            classify("../../x.md", "a"),
            LinkTarget::Source {
                path: "../x.md".into(),
                anchor: None
            }
        );
    }

    #[test]
    fn externals_and_same_page() {
        assert_eq!(classify("https://example.com", ""), LinkTarget::External);
        assert_eq!(classify("mailto:a@b.c", ""), LinkTarget::External);
        assert_eq!(classify("/abs", ""), LinkTarget::External);
        assert_eq!(
            classify("#要点", ""),
            LinkTarget::SamePage {
                anchor: "要点".into()
            }
        );
    }

    #[test]
    fn percent_decoding_is_lenient() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
