//! Files a handbook never reads: hidden files and the swap, backup and temporary files
//! that editors leave beside the file being edited. Watch mode uses the same rule.

/// True for a file or folder name to skip.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with("jb_tmp___")
        || name.starts_with("jb_old___")
        || [".swp", ".swx", ".swo", ".bck", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::is_ignored_name;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".complaints.md.swp",
            "complaints.md~",
            "4913",
            ".#complaints.md",
            "#complaints.md#",
            "complaints.md.bck",
            "x.tmp",
            "jb_tmp___complaints.md",
            ".goutputstream-ABC123",
            ".git",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in ["complaints.md", "phone-phrases.yaml", "4913.md", "logo.png"] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }
}
