//! Phrase-table lines as the export formats see them.
//!
//! The line type every format reads; each format has its own file.

// Wired into `handbook export` and the build when the export module is merged in.
#![allow(dead_code)]

pub(crate) mod xlsx;

/// One line of a phrase table as the export formats see it: every `say` and `avoid`
/// line of script and steps entries, in table and entry order, an entry's say lines
/// before its avoid lines. Tactics have no lines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct ExportLine<'a> {
    /// The table's id.
    pub(crate) table: &'a str,
    pub(crate) table_title: &'a str,
    /// The entry's id.
    pub(crate) entry: &'a str,
    /// The script entry's situation, or the step's title.
    pub(crate) situation: &'a str,
    pub(crate) kind: LineKind,
    /// The say line's quick-reply code; "" for an avoid line.
    pub(crate) code: &'a str,
    pub(crate) text: &'a str,
    /// The script entry's `why`; "" when none.
    pub(crate) why: &'a str,
    /// The table's tags.
    #[serde(skip)]
    pub(crate) tags: &'a [String],
    /// Where the line is written, for errors about it.
    #[serde(skip)]
    pub(crate) file: crate::diag::FileId,
    #[serde(skip)]
    pub(crate) span: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LineKind {
    Say,
    Avoid,
}
