//! Diagnostics: every problem found in a run is collected here and printed at the end,
//! so an editor sees all of them at once instead of fixing one error per build.
//!
//! A diagnostic points at a byte range of a source file registered in [`Sources`];
//! line and column are computed only when printing.

mod report;
mod sources;

pub(crate) use report::{render_human, render_json};
pub(crate) use sources::{FileId, SourceFile, Sources};

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// Where a diagnostic points: a file, and optionally a byte range inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) file: FileId,
    pub(crate) span: Option<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) location: Option<Location>,
    /// A hint such as "did you mean `@complaints`?".
    pub(crate) help: Option<String>,
    /// A second place worth showing, e.g. the first definition of a duplicate id.
    pub(crate) note: Option<Box<(String, Location)>>,
}

impl Diagnostic {
    pub(crate) fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            help: None,
            note: None,
        }
    }

    pub(crate) fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
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

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn with_note(mut self, label: impl Into<String>, location: Location) -> Self {
        self.note = Some(Box::new((label.into(), location)));
        self
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
                (path, start, d.severity, d.message.clone())
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
