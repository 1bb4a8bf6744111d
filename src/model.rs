//! The loaded handbook: plain values that flow from loading through resolving to rendering.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::diag::FileId;
use crate::yaml::Spanned;

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    /// A folder under `themes/`; `None` or `default` is the built-in theme alone.
    pub theme: Option<String>,
    pub nav: Option<Vec<NavItem>>,
    pub dialogue: DialogueSpeakers,
    /// UI string overrides, by key (see `render::strings`).
    pub strings: BTreeMap<String, String>,
    pub raw_html: bool,
    pub file: Option<FileId>,
    /// A hash of handbook.yaml: what every page depends on.
    pub fingerprint: u64,
}

#[derive(Debug, Clone)]
pub enum NavItem {
    Page(Spanned<String>),
    Part {
        title: String,
        items: Vec<Spanned<String>>,
    },
}

/// Which dialogue speakers sit on the staff (right) side and which on the customer (left).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DialogueSpeakers {
    pub staff: Vec<String>,
    pub customer: Vec<String>,
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
pub struct Part {
    /// Folder path relative to `content/`.
    pub dir: String,
    pub title: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub id: Spanned<String>,
    pub file: FileId,
    /// Path relative to `content/`, `/`-separated.
    pub rel_path: String,
    /// The part folder this chapter sits in, if any.
    pub part: Option<usize>,
    pub title: String,
    /// True when the Markdown opens with its own H1, which then serves as the page title.
    pub title_in_body: bool,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    /// Byte offset where the Markdown body starts (after the front matter).
    pub body_start: usize,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub embeds: Vec<Embed>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub anchor: String,
    pub text: String,
}

/// A link written in a chapter (or a table's `see:`), as found, before resolving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: LinkTarget,
    /// The whole destination as written, for messages.
    pub written: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
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
pub struct Embed {
    pub table: Spanned<String>,
    /// Only these entries; empty for the whole table.
    pub entries: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    Script,
    Steps,
    Tactics,
}

impl TableKind {
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Script => "script",
            TableKind::Steps => "steps",
            TableKind::Tactics => "tactics",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub id: Spanned<String>,
    pub file: FileId,
    pub rel_path: String,
    pub title: String,
    pub kind: TableKind,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: Spanned<String>,
    pub see: Vec<Link>,
    pub body: EntryBody,
}

#[derive(Debug, Clone)]
pub enum EntryBody {
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
    pub fn label(&self) -> &str {
        match &self.body {
            EntryBody::Script { situation, .. } => situation,
            EntryBody::Steps { title, .. } => title,
            EntryBody::Tactic { name, .. } => name,
        }
    }

    pub fn say(&self) -> &[Spanned<String>] {
        match &self.body {
            EntryBody::Script { say, .. } | EntryBody::Steps { say, .. } => say,
            EntryBody::Tactic { .. } => &[],
        }
    }

    pub fn avoid(&self) -> &[Spanned<String>] {
        match &self.body {
            EntryBody::Script { avoid, .. } | EntryBody::Steps { avoid, .. } => avoid,
            EntryBody::Tactic { .. } => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DialogueLine {
    pub speaker: String,
    pub text: String,
}

/// A file under `content/` that is neither a chapter nor YAML: copied as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel_path: String,
    pub source: std::path::PathBuf,
}

/// A page of the site made from content: a chapter or a phrase table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageRef {
    Chapter(usize),
    Table(usize),
}

#[derive(Debug, Clone, Default)]
pub struct Handbook {
    pub config: Config,
    pub parts: Vec<Part>,
    /// Shared with the load cache and with the other thread of watch mode: a
    /// copy of the handbook copies only pointers.
    pub chapters: Vec<Arc<Chapter>>,
    pub tables: Vec<Arc<Table>>,
    pub assets: Vec<Asset>,
    /// Ids of draft chapters left out of this build, so a link to one can say why.
    pub drafts: Vec<String>,
}
