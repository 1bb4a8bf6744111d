//! Every diagnostic's stable code, like a compiler's: `E` for errors, `W` for
//! warnings, then two digits for the stage that finds it and two for the problem.
//! A code never changes meaning and is never reused; README lists them all (a test
//! below holds it to that).
//!
//! - `01` files: reading the content folder
//! - `02` chapters: front matter, Markdown, dialogue, the forbidden-phrase lint
//! - `03` YAML and phrase tables: syntax, keys, types, entries, codes
//! - `04` links and the whole handbook: ids, links, embeds, `see:`, `nav`, code clashes
//! - `05` `handbook.yaml` and the theme
//! - `06` exports

use super::Severity;

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A diagnostic's stable code (see the module's comment for the scheme).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub(crate) enum Code {
            $($(#[$doc])* $name,)*
        }

        impl Code {
            #[cfg(test)]
            pub(crate) const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// `E0401`, as printed and in JSON.
            pub(crate) fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => stringify!($name),)*
                }
            }
        }
    };
}

codes! {
    /// A file is not UTF-8 text.
    E0101,
    /// `content/handbook.yaml` is missing.
    E0102,
    /// The content folder went away while watching.
    E0103,

    /// The front matter has no closing `---`.
    E0201,
    /// A chapter's `id:` is not a usable id.
    E0202,
    /// A ```` ```phrases ```` block names no table.
    E0203,
    /// A `dialogue` line has no speaker.
    E0204,
    /// A chapter says a phrase listed under `avoid:`.
    W0201,

    /// A YAML syntax error.
    E0301,
    /// A mapping was expected.
    E0302,
    /// An unknown key.
    E0303,
    /// A required key is missing.
    E0304,
    /// A value of the wrong kind (a list where text was expected, …).
    E0305,
    /// A required value is empty.
    E0306,
    /// A number, `true`/`false` or nothing where text is expected.
    E0307,
    /// A table's `id:` is not a usable id.
    E0308,
    /// An unknown `kind:`.
    E0309,
    /// An entry id used twice in one table.
    E0310,
    /// An entry's `id:` is not a usable id.
    E0311,
    /// A `code:` that is not a usable quick-reply code.
    E0312,
    /// A `see:` target outside the handbook.
    E0313,
    /// An `example` line that is not `说话人: 内容`.
    E0314,
    /// A `code:` on an entry with no `say` line.
    W0301,

    /// A link that leads nowhere.
    E0401,
    /// An embed of a table that does not exist.
    E0402,
    /// An embed of a chapter.
    E0403,
    /// A reference to an entry a table does not have.
    E0404,
    /// Two pages with one id.
    E0405,
    /// Two `say` lines with one quick-reply code.
    E0406,
    /// `nav` lists a page twice.
    E0407,
    /// `nav` names an id nothing has.
    E0408,
    /// A chapter `nav` does not list.
    W0401,

    /// A `nav` item that is neither an id nor a part.
    E0501,
    /// `strings` is not a mapping.
    E0502,
    /// An unknown UI string key.
    E0503,
    /// A UI string that is not text.
    E0504,
    /// The theme folder is missing.
    E0505,
    /// A theme file cannot be read.
    E0506,
    /// A template does not compile or fails to render.
    E0507,
    /// `print.html` has no place for the body.
    E0508,
    /// A page was missing when the search index was made: a fault of handbook itself.
    E0509,
    /// An `editor_url` that cannot open an editor.
    E0510,

    /// A character the export's encoding cannot hold.
    E0601,
    /// A text too long for a spreadsheet cell.
    E0602,
    /// The workbook could not be written.
    E0603,
}

impl Code {
    /// Errors stop a build; warnings do not.
    pub(crate) fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert_eq!(s.len(), 5, "{s}");
            assert!(s.starts_with('E') || s.starts_with('W'), "{s}");
            assert!(s[1..].chars().all(|c| c.is_ascii_digit()), "{s}");
        }
    }

    #[test]
    fn readme_lists_every_code() {
        let readme = include_str!("../../README.md");
        for code in Code::ALL {
            let row = format!("| `{}` |", code.as_str());
            assert!(readme.contains(&row), "README has no row for {code}");
        }
    }
}
