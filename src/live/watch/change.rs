//! What a changed path means for the site: the pure decision at the heart of watch
//! mode, kept apart from the file-system events so it can be tested on its own.

use std::path::{Component, Path};

use crate::ignore::is_ignored_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ChangeKind {
    /// `content/handbook.yaml`: everything may change.
    Config,
    /// A chapter or phrase table.
    Content,
    /// Any other file under `content/`: copied as it is.
    Asset,
    /// A template of the handbook's theme folder: every page.
    Template,
    /// A theme's static file: copied; a stylesheet can be swapped without a reload.
    Static,
}

/// The kind of change a path under `root` makes, or `None` for paths the site does not
/// depend on (the output folder, hidden files, editors' swap and backup files).
pub(crate) fn classify(root: &Path, path: &Path) -> Option<ChangeKind> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str().unwrap_or(""),
            _ => "",
        })
        .collect();
    if parts.iter().any(|p| p.is_empty() || is_ignored_name(p)) {
        return None;
    }
    let name = parts.last()?.to_ascii_lowercase();
    match parts.as_slice() {
        ["content", "handbook.yaml" | "handbook.yml"] => Some(ChangeKind::Config),
        ["content", ..] if parts.len() > 1 => {
            let chapter_or_table = [".md", ".markdown", ".yaml", ".yml"]
                .iter()
                .any(|ext| name.ends_with(ext));
            Some(if chapter_or_table {
                ChangeKind::Content
            } else {
                ChangeKind::Asset
            })
        }
        // A folder under content/ created or removed as a whole.
        ["content"] => Some(ChangeKind::Content),
        ["themes", _theme, "templates", ..] => Some(ChangeKind::Template),
        ["themes", _theme, "static", ..] => Some(ChangeKind::Static),
        ["themes", ..] => Some(ChangeKind::Template),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<ChangeKind> {
        classify(Path::new("/hb"), &Path::new("/hb").join(path))
    }

    #[test]
    fn paths_map_to_kinds() {
        assert_eq!(kind("content/handbook.yaml"), Some(ChangeKind::Config));
        assert_eq!(
            kind("content/01-basics/01-intro.md"),
            Some(ChangeKind::Content)
        );
        assert_eq!(
            kind("content/phrases/greetings.yaml"),
            Some(ChangeKind::Content)
        );
        assert_eq!(
            kind("content/01-basics/_part.yaml"),
            Some(ChangeKind::Content)
        );
        assert_eq!(kind("content/images/logo.png"), Some(ChangeKind::Asset));
        assert_eq!(
            kind("themes/mine/templates/base.html"),
            Some(ChangeKind::Template)
        );
        assert_eq!(
            kind("themes/mine/static/style.css"),
            Some(ChangeKind::Static)
        );
        // A folder created or removed: rebuilt like any change under content/.
        assert!(kind("content/01-basics").is_some());
    }

    #[test]
    fn output_and_editor_files_are_ignored() {
        for path in [
            "public/index.html",
            ".public.staging/x.html",
            "content/.01-intro.md.swp",
            "content/01-intro.md~",
            "content/4913",
            "content/.#01-intro.md",
            "content/#01-intro.md#",
            "content/jb_tmp___01-intro.md",
            "content/.goutputstream-XYZ",
            "content/x.tmp",
            "README.md",
            "target/debug/handbook",
        ] {
            assert_eq!(kind(path), None, "{path}");
        }
        assert_eq!(
            classify(Path::new("/hb"), Path::new("/elsewhere/a.md")),
            None
        );
    }
}
