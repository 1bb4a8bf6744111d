//! The loaded handbook: plain values that flow from loading through resolving to
//! rendering, and the UI strings' keys and texts ([`strings`]) that both loading
//! and rendering read.

pub(crate) mod codes;
pub(crate) mod history;
pub(crate) mod strings;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::diag::FileId;
use crate::yaml::Spanned;

#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) language: String,
    /// A folder under `themes/`; `None` or `default` is the built-in theme alone.
    pub(crate) theme: Option<String>,
    pub(crate) nav: Option<Vec<NavItem>>,
    /// `nav` had an item that could not be read (reported): a chapter it leaves out
    /// may be the one that item meant, so that is not warned about as well.
    pub(crate) nav_incomplete: bool,
    pub(crate) dialogue: DialogueSpeakers,
    /// UI string overrides, by key (see [`strings`]).
    pub(crate) strings: BTreeMap<String, String>,
    pub(crate) raw_html: bool,
    /// `editor_url`: the URL template the error overlay of `serve` links each
    /// `file:line` with (`vscode://file/{path}:{line}:{column}`); no page uses it.
    pub(crate) editor_url: Option<String>,
    pub(crate) file: Option<FileId>,
    /// A hash of handbook.yaml: what every page depends on.
    pub(crate) fingerprint: u64,
}

#[derive(Debug, Clone)]
pub(crate) enum NavItem {
    Page(Spanned<String>),
    Part {
        title: String,
        items: Vec<Spanned<String>>,
    },
}

/// Which dialogue speakers sit on the staff (right) side and which on the customer (left).
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct DialogueSpeakers {
    pub(crate) staff: Vec<String>,
    pub(crate) customer: Vec<String>,
}

impl Default for DialogueSpeakers {
    fn default() -> Self {
        DialogueSpeakers {
            staff: vec!["客服".into(), "Agent".into(), "Staff".into()],
            customer: vec![
                "买家".into(),
                "顾客".into(),
                "客户".into(),
                "Customer".into(),
            ],
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) title: String,
    pub(crate) summary: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Chapter {
    pub(crate) id: Spanned<String>,
    pub(crate) file: FileId,
    /// Path relative to `content/`, `/`-separated.
    pub(crate) rel_path: String,
    /// The part folder this chapter sits in, if any.
    pub(crate) part: Option<usize>,
    pub(crate) title: String,
    /// True when the Markdown opens with its own H1, which then serves as the page title.
    pub(crate) title_in_body: bool,
    pub(crate) summary: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) draft: bool,
    /// Byte offset where the Markdown body starts (after the front matter).
    pub(crate) body_start: usize,
    pub(crate) headings: Vec<Heading>,
    pub(crate) links: Vec<Link>,
    pub(crate) embeds: Vec<Embed>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) anchor: String,
    pub(crate) text: String,
}

/// A link written in a chapter (or a table's `see:`), as found, before resolving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) target: LinkTarget,
    /// The whole destination as written, for messages.
    pub(crate) written: String,
    pub(crate) span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkTarget {
    /// `@id` or `@id#anchor`.
    Id { id: String, anchor: Option<String> },
    /// A relative link to a `.md` / `.yaml` file, normalised relative to `content/`.
    Source {
        path: String,
        anchor: Option<String>,
    },
    /// `#anchor` on the same page.
    SamePage { anchor: String },
    /// Another file under `content/` (an image, a PDF), normalised relative to `content/`.
    Asset { path: String },
    /// Anything with a scheme, `//host`, an absolute path: left as written.
    External,
}

#[derive(Debug, Clone)]
pub(crate) struct Embed {
    pub(crate) table: Spanned<String>,
    /// Only these entries; empty for the whole table.
    pub(crate) entries: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TableKind {
    Script,
    Steps,
    Tactics,
}

impl TableKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            TableKind::Script => "script",
            TableKind::Steps => "steps",
            TableKind::Tactics => "tactics",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) id: Spanned<String>,
    pub(crate) file: FileId,
    pub(crate) rel_path: String,
    pub(crate) title: String,
    pub(crate) kind: TableKind,
    pub(crate) description: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) entries: Vec<Entry>,
    /// Ids of entries that are there but could not be read (reported where they
    /// are): a link to one is not reported again.
    pub(crate) unread_entries: Vec<String>,
    /// The file could not be read far enough to know all its entries (a YAML syntax
    /// error, not a mapping, `entries` not a list, an entry without a readable id):
    /// the table keeps its id, and links to it and its entries are not reported as
    /// well as that error.
    pub(crate) unreadable: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) id: Spanned<String>,
    pub(crate) see: Vec<Link>,
    pub(crate) body: EntryBody,
    /// The entry's `code:` as written, if it sets one (script and steps entries).
    pub(crate) code: Option<Spanned<String>>,
    /// The quick-reply code of each `say` line, in order (see [`codes`]).
    pub(crate) codes: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum EntryBody {
    Script {
        situation: String,
        say: Vec<Spanned<String>>,
        avoid: Vec<Spanned<String>>,
        why: Option<String>,
    },
    Steps {
        title: String,
        goal: Option<String>,
        r#do: Vec<String>,
        avoid: Vec<Spanned<String>>,
        say: Vec<Spanned<String>>,
    },
    Tactic {
        name: String,
        when: Option<String>,
        how: String,
        example: Vec<DialogueLine>,
        risk: Option<String>,
    },
}

impl Entry {
    /// The entry's heading as a reader sees it.
    pub(crate) fn label(&self) -> &str {
        match &self.body {
            EntryBody::Script { situation, .. } => situation,
            EntryBody::Steps { title, .. } => title,
            EntryBody::Tactic { name, .. } => name,
        }
    }

    pub(crate) fn say(&self) -> &[Spanned<String>] {
        match &self.body {
            EntryBody::Script { say, .. } | EntryBody::Steps { say, .. } => say,
            EntryBody::Tactic { .. } => &[],
        }
    }

    pub(crate) fn avoid(&self) -> &[Spanned<String>] {
        match &self.body {
            EntryBody::Script { avoid, .. } | EntryBody::Steps { avoid, .. } => avoid,
            EntryBody::Tactic { .. } => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct DialogueLine {
    pub(crate) speaker: String,
    pub(crate) text: String,
}

/// A file under `content/` that is neither a chapter nor YAML: copied as it is.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    pub(crate) rel_path: String,
    pub(crate) source: std::path::PathBuf,
}

/// A page of the site made from content: a chapter or a phrase table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum PageRef {
    Chapter(usize),
    Table(usize),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Handbook {
    pub(crate) config: Config,
    pub(crate) parts: Vec<Part>,
    /// Shared with the load cache and with the other thread of watch mode: a
    /// copy of the handbook copies only pointers.
    pub(crate) chapters: Vec<Arc<Chapter>>,
    pub(crate) tables: Vec<Arc<Table>>,
    pub(crate) assets: Vec<Asset>,
    /// Ids of draft chapters left out of this build, so a link to one can say why.
    pub(crate) drafts: Vec<String>,
    /// The content folder's git history, if it is in a repository.
    pub(crate) history: Option<Arc<history::History>>,
}
