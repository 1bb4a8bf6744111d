//! The drill's data on `practice.html`: every table with entries, each entry in the
//! shape its kind's drill asks it (`static/practice.js` runs the drill): a script
//! entry's situation and lines, a step's title and goal, a tactic's name, when, how,
//! example and risk.

use serde::Serialize;

use crate::model::{DialogueLine, Entry, EntryBody, Handbook, PageRef};
use crate::yaml::Spanned;

use super::links::Links;

#[derive(Serialize)]
pub(super) struct PracticeData<'a> {
    tables: Vec<PracticeTable<'a>>,
}

#[derive(Serialize)]
struct PracticeTable<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    entries: Vec<PracticeEntry<'a>>,
}

/// One entry; the fields its kind has (`kind` is on the table).
#[derive(Serialize)]
#[serde(untagged)]
enum PracticeEntry<'a> {
    Script {
        id: &'a str,
        situation: &'a str,
        say: Vec<&'a str>,
        avoid: Vec<&'a str>,
        why: Option<&'a str>,
    },
    Step {
        id: &'a str,
        title: &'a str,
        goal: Option<&'a str>,
    },
    Tactic {
        id: &'a str,
        name: &'a str,
        when: Option<&'a str>,
        how: &'a str,
        example: &'a [DialogueLine],
        risk: Option<&'a str>,
    },
}

impl<'a> PracticeEntry<'a> {
    fn of(entry: &'a Entry) -> Self {
        let id = entry.id.value.as_str();
        let lines = |lines: &'a [Spanned<String>]| -> Vec<&'a str> {
            lines.iter().map(|s| s.value.as_str()).collect()
        };
        match &entry.body {
            EntryBody::Script {
                situation,
                say,
                avoid,
                why,
            } => PracticeEntry::Script {
                id,
                situation,
                say: lines(say),
                avoid: lines(avoid),
                why: why.as_deref(),
            },
            EntryBody::Steps { title, goal, .. } => PracticeEntry::Step {
                id,
                title,
                goal: goal.as_deref(),
            },
            EntryBody::Tactic {
                name,
                when,
                how,
                example,
                risk,
            } => PracticeEntry::Tactic {
                id,
                name,
                when: when.as_deref(),
                how,
                example,
                risk: risk.as_deref(),
            },
        }
    }
}

/// The drill's data: every table with entries, in the handbook's order.
pub(super) fn practice_data<'a>(handbook: &'a Handbook, links: &'a Links<'a>) -> PracticeData<'a> {
    let tables = handbook
        .tables
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.entries.is_empty())
        .map(|(i, t)| PracticeTable {
            id: &t.id.value,
            title: &t.title,
            url: links.url(PageRef::Table(i)),
            kind: t.kind.name(),
            entries: t.entries.iter().map(PracticeEntry::of).collect(),
        })
        .collect();
    PracticeData { tables }
}
