//! Ids from file names, and heading anchors.

use std::collections::HashSet;

use crate::diag::{tr, Text};

/// A file stem without its ordering prefix: `01-communication` -> `communication`,
/// `1_intro` -> `intro`. A stem that is only a number keeps it.
pub(crate) fn id_from_stem(stem: &str) -> String {
    let digits = stem.len() - stem.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let rest = &stem[digits..];
        if let Some(id) = rest.strip_prefix(['-', '_', '.', ' ']) {
            if !id.is_empty() {
                return id.to_string();
            }
        }
    }
    stem.to_string()
}

/// Why an id can't name a page, if it can't. Ids become file names and URL parts.
pub(crate) fn id_problem(id: &str) -> Option<Text> {
    if id.is_empty() {
        return Some(tr!("an id must not be empty", "id 不能为空"));
    }
    if id
        .chars()
        .any(|c| c.is_whitespace() || "/\\#?%\"'<>&:*|".contains(c))
    {
        return Some(tr!(
            "an id must not contain spaces or any of / \\ # ? % \" ' < > & : * |",
            "id 里不能有空格，也不能有 / \\ # ? % \" ' < > & : * | 这些字符"
        ));
    }
    if id.starts_with('.') {
        return Some(tr!("an id must not start with a dot", "id 不能以点号开头"));
    }
    if RESERVED.contains(&id) {
        return Some(tr!(
            "this id is taken by a page the site makes itself",
            "这个 id 已被网站自动生成的页面占用"
        ));
    }
    None
}

/// Output names that a build writes for itself.
pub(crate) const RESERVED: &[&str] = &[
    "index", "404", "print", "practice", "search", "phrases", "static", "exports", "changes",
];

/// An anchor slug that keeps CJK characters: letters and digits of any script stay
/// (ASCII lower-cased), spaces become `-`, other punctuation goes.
/// `## 诚恳道歉` -> `诚恳道歉`; `## Step 2: Listen!` -> `step-2-listen`.
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            slug.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// Hands out anchors unique within one page: a repeat gets `-1`, `-2`, ...
#[derive(Default)]
pub(crate) struct AnchorSet {
    used: HashSet<String>,
}

impl AnchorSet {
    pub(crate) fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let mut n = 1;
        loop {
            let candidate = format!("{base}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_lose_their_number_prefix() {
        assert_eq!(id_from_stem("01-communication"), "communication");
        assert_eq!(id_from_stem("1_intro"), "intro");
        assert_eq!(id_from_stem("complaints"), "complaints");
        assert_eq!(id_from_stem("2024"), "2024");
        assert_eq!(id_from_stem("3d-printing"), "3d-printing");
    }

    #[test]
    fn slugs_keep_chinese() {
        assert_eq!(slugify("诚恳道歉"), "诚恳道歉");
        assert_eq!(slugify("第一步：倾听！"), "第一步倾听");
        assert_eq!(slugify("Step 2: Listen!"), "step-2-listen");
        assert_eq!(slugify("  运费险 与 赔付 "), "运费险-与-赔付");
        assert_eq!(slugify("？！"), "section");
    }

    #[test]
    fn repeated_anchors_are_numbered() {
        let mut set = AnchorSet::default();
        assert_eq!(set.unique("要点".into()), "要点");
        assert_eq!(set.unique("要点".into()), "要点-1");
        assert_eq!(set.unique("要点".into()), "要点-2");
    }

    #[test]
    fn reserved_and_unsafe_ids_are_refused() {
        assert!(id_problem("index").is_some());
        assert!(id_problem("changes").is_some());
        assert!(id_problem("a b").is_some());
        assert!(id_problem("退货").is_none());
    }
}
