//! What the content folder's git history says about its files: when each was last
//! changed, and the recent commits. Read by `load::history`, once per full build;
//! shown by `render` (each page's date, `changes.html`).

use rustc_hash::FxHashMap as HashMap;

/// The history read from git; a handbook outside git has none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct History {
    /// Each file's last change (`YYYY-MM-DD`), by its path under `content/` today:
    /// a rename without changes to the text is not a change.
    pub(crate) updated: HashMap<String, String>,
    /// The commits read, newest first.
    pub(crate) commits: Vec<Commit>,
}

/// One commit that touched `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    pub(crate) date: String,
    pub(crate) subject: String,
    /// The files it changed, added or renamed, by their paths today.
    pub(crate) paths: Vec<String>,
}
