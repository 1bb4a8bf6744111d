//! Diagnostics: every problem found in a run is collected here and printed at the end,
//! so an editor sees all of them at once instead of fixing one error per build.
//!
//! A diagnostic points at a byte range of a source file registered in [`Sources`];
//! line and column are computed only when printing. It has a stable [`Code`] and its
//! texts in English and Chinese ([`Text`]); the language is chosen when printing
//! ([`Lang::chosen`]). What a tool reads of one (a language server, the overlay of
//! `serve`, `check --format json`):
//!
//! - [`Diagnostic::code`]: `"E0401"`, the same in every language and every release;
//! - [`Diagnostic::message`], [`Diagnostic::help`], [`Diagnostic::note`]: the texts in
//!   a given [`Lang`];
//! - `severity` and `location` (file and byte span; [`SourceFile::line_col`] turns an
//!   offset into the 1-based line and character column an editor shows).

mod codes;
mod report;
mod sources;
mod text;

pub(crate) use codes::Code;
pub(crate) use report::{render_human, render_json};
pub(crate) use sources::{FileId, SourceFile, Sources};
pub(crate) use text::{tr, Lang, Text};

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The word printed before a diagnostic.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::Zh) => "警告",
        }
    }
}

/// Where a diagnostic points: a file, and optionally a byte range inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) file: FileId,
    pub(crate) span: Option<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    pub(crate) code: Code,
    /// Always the code's severity: kept beside it so that sorting and counting read
    /// a field.
    pub(crate) severity: Severity,
    pub(crate) text: Text,
    pub(crate) location: Option<Location>,
    /// A hint such as "did you mean `@complaints`?".
    pub(crate) hint: Option<Text>,
    /// A second place worth showing, e.g. the first definition of a duplicate id.
    pub(crate) also: Option<Box<(Text, Location)>>,
}

impl Diagnostic {
    /// A diagnostic with its code (which says whether it is an error or a warning)
    /// and its message in both languages (`tr!`).
    pub(crate) fn new(code: Code, text: Text) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            text,
            location: None,
            hint: None,
            also: None,
        }
    }

    pub(crate) fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.location = Some(Location {
            file,
            span: Some(span),
        });
        self
    }

    pub(crate) fn in_file(mut self, file: FileId) -> Self {
        self.location = Some(Location { file, span: None });
        self
    }

    pub(crate) fn with_help(mut self, help: Text) -> Self {
        self.hint = Some(help);
        self
    }

    pub(crate) fn with_note(mut self, label: Text, location: Location) -> Self {
        self.also = Some(Box::new((label, location)));
        self
    }

    /// The stable code, e.g. `"E0401"`.
    pub(crate) fn code(&self) -> &'static str {
        self.code.as_str()
    }

    /// The message in `lang`, without code or position.
    pub(crate) fn message(&self, lang: Lang) -> &str {
        self.text.get(lang)
    }

    /// The hint in `lang`, if there is one.
    pub(crate) fn help(&self, lang: Lang) -> Option<&str> {
        self.hint.as_ref().map(|h| h.get(lang))
    }

    /// The second place worth showing and what it is, in `lang`, if there is one.
    pub(crate) fn note(&self, lang: Lang) -> Option<(&str, &Location)> {
        self.also
            .as_deref()
            .map(|(label, loc)| (label.get(lang), loc))
    }
}

/// The diagnostics of one run, in the order they were found until [`Diagnostics::sort`].
#[derive(Debug, Default, Clone)]
pub(crate) struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub(crate) fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub(crate) fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Orders diagnostics by file, then position, so output is the same on every run
    /// whatever order parallel loading found them in.
    pub(crate) fn sort(&mut self, sources: &Sources) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                let (path, start) = match &d.location {
                    Some(loc) => (
                        sources.get(loc.file).path.clone(),
                        loc.span.as_ref().map_or(0, |s| s.start),
                    ),
                    None => (String::new(), 0),
                };
                (path, start, d.severity, d.code, d.text.clone())
            };
            key(a).cmp(&key(b))
        });
        self.items.dedup();
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
