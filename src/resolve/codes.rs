//! Quick-reply codes unique across the handbook: a code two `say` lines share is
//! reported at both, whether each was written (`code:`) or derived.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{Entry, Handbook, Table};

/// Where one code comes from, for messages.
struct Origin<'a> {
    table: &'a Table,
    entry: &'a Entry,
}

impl Origin<'_> {
    /// The entry's `code:`; a derived code has no place of its own: the entry's id.
    fn location(&self) -> Location {
        let span = match &self.entry.code {
            Some(code) => code.span.clone(),
            None => self.entry.id.span.clone(),
        };
        Location {
            file: self.table.file,
            span: Some(span),
        }
    }

    fn describe(&self) -> String {
        let how = if self.entry.code.is_some() {
            "set by `code:` on"
        } else {
            "derived for"
        };
        format!(
            "{how} entry `{}` of table `{}`",
            self.entry.id.value, self.table.id.value
        )
    }
}

/// Reports every code used by a `say` line before it, naming both places. A second
/// table with the same id (reported as a duplicate id) is left out: its derived
/// codes would all repeat the first one's.
pub(crate) fn check_codes(handbook: &Handbook, diagnostics: &mut Diagnostics) {
    let mut first: HashMap<&str, Origin> = HashMap::default();
    let mut table_ids: HashSet<&str> = HashSet::default();
    for table in &handbook.tables {
        if !table_ids.insert(&table.id.value) {
            continue;
        }
        for entry in &table.entries {
            for code in &entry.codes {
                let here = Origin { table, entry };
                let Some(earlier) = first.get(code.as_str()) else {
                    first.insert(code, here);
                    continue;
                };
                diagnostics.push(clash(code, &here, earlier));
            }
        }
    }
}

fn clash(code: &str, here: &Origin, earlier: &Origin) -> Diagnostic {
    let mut d = Diagnostic::error(format!("duplicate code `{code}`, {}", here.describe()));
    d.location = Some(here.location());
    let help = if here.entry.code.is_some() {
        "codes are unique across the handbook: choose another `code:`"
    } else {
        "codes are unique across the handbook: set `code:` on one of the two entries"
    };
    d.with_note(
        format!("also the code {}", earlier.describe()),
        earlier.location(),
    )
    .with_help(help)
}
