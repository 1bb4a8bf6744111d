//! Quick-reply codes unique across the handbook: a code two `say` lines share is
//! reported at both, whether each was written (`code:`) or derived.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diag::{tr, Code, Diagnostic, Diagnostics, Lang, Location, Text};
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

    fn describe(&self) -> Text {
        let (entry, table) = (&self.entry.id.value, &self.table.id.value);
        if self.entry.code.is_some() {
            tr!(
                "set by `code:` on entry `{}` of table `{}`",
                "由话术表 `{1}` 条目 `{0}` 的 `code:` 指定",
                entry,
                table
            )
        } else {
            tr!(
                "derived for entry `{}` of table `{}`",
                "由话术表 `{1}` 条目 `{0}` 自动生成",
                entry,
                table
            )
        }
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
    let here_said = here.describe();
    let mut d = Diagnostic::new(
        Code::E0406,
        Text::new(
            format!("duplicate code `{code}`, {}", here_said.get(Lang::En)),
            format!("快捷短语编码 `{code}` 重复了，{}", here_said.get(Lang::Zh)),
        ),
    );
    d.location = Some(here.location());
    let help = if here.entry.code.is_some() {
        tr!(
            "codes are unique across the handbook: choose another `code:`",
            "整本手册里编码不能重复：请换一个 `code:`"
        )
    } else {
        tr!(
            "codes are unique across the handbook: set `code:` on one of the two entries",
            "整本手册里编码不能重复：请给这两个条目之一写上 `code:`"
        )
    };
    let earlier_said = earlier.describe();
    d.with_note(
        Text::new(
            format!("also the code {}", earlier_said.get(Lang::En)),
            format!("同一编码也{}", earlier_said.get(Lang::Zh)),
        ),
        earlier.location(),
    )
    .with_help(help)
}
