//! Reading one phrase table (`script`, `steps` or `tactics`) against its schema.

use rustc_hash::FxHashMap as HashMap;

use crate::diag::{Diagnostic, FileId};
use crate::model::{codes, DialogueLine, Entry, EntryBody, Link, LinkTarget, Table, TableKind};
use crate::text::ids;
use crate::text::links;
use crate::text::suggest::closest;
use crate::yaml::{Fields, Node, NodeValue, Spanned};

pub(crate) const TABLE_KEYS: &[&str] = &["id", "title", "kind", "description", "tags", "entries"];
const SCRIPT_KEYS: &[&str] = &["id", "situation", "say", "avoid", "why", "code", "see"];
const STEPS_KEYS: &[&str] = &["id", "title", "goal", "do", "avoid", "say", "code", "see"];
const TACTIC_KEYS: &[&str] = &["id", "name", "when", "how", "example", "risk", "see"];
const KINDS: &[&str] = &["script", "steps", "tactics"];

/// Loads a table; `None` when the file is too broken to say what table it is.
pub(crate) fn load_table(
    file: FileId,
    rel_path: &str,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Table> {
    let node = super::parse_yaml(file, text, 0, "phrase table", diagnostics)?;
    let mut fields = Fields::new(&node, "phrase table", TABLE_KEYS, file, diagnostics)?;
    let stem = rel_path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map_or(rel_path, |(stem, _)| stem);
    let id = fields.string("id").unwrap_or(Spanned {
        value: ids::id_from_stem(stem),
        span: 0..0,
    });
    if let Some(problem) = ids::id_problem(&id.value) {
        diagnostics.push(
            Diagnostic::error(format!("invalid table id `{}`: {problem}", id.value))
                .at(file, id.span.clone()),
        );
    }
    let title = fields.required_string("title");
    let kind = fields
        .required_string("kind")
        .and_then(|kind| table_kind(&kind, file, diagnostics));
    let description = fields.string("description").map(|d| d.value);
    let tags = fields
        .string_list("tags")
        .into_iter()
        .map(|t| t.value)
        .collect();
    let entry_nodes = fields.required_list("entries");
    fields.finish(diagnostics);

    let entries = match kind {
        Some(kind) => load_entries(entry_nodes, kind, file, rel_path, diagnostics),
        None => Vec::new(),
    };
    let mut table = Table {
        id,
        file,
        rel_path: rel_path.to_string(),
        title: title.map(|t| t.value).unwrap_or_default(),
        kind: kind.unwrap_or(TableKind::Script),
        description,
        tags,
        entries,
    };
    codes::assign(&mut table);
    Some(table)
}

/// The kind a table's `kind:` names; an unknown one is reported.
fn table_kind(
    kind: &Spanned<String>,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<TableKind> {
    match kind.value.as_str() {
        "script" => return Some(TableKind::Script),
        "steps" => return Some(TableKind::Steps),
        "tactics" => return Some(TableKind::Tactics),
        _ => {}
    }
    let mut d = Diagnostic::error(format!(
        "unknown table kind `{}`: use script, steps or tactics",
        kind.value
    ))
    .at(file, kind.span.clone());
    if let Some(best) = closest(&kind.value, KINDS.iter().copied()) {
        d = d.with_help(format!("did you mean `{best}`?"));
    }
    diagnostics.push(d);
    None
}

/// The entries of a table of `kind`; an entry whose id an earlier one has is
/// reported and left out.
fn load_entries(
    nodes: &[Node],
    kind: TableKind,
    file: FileId,
    rel_path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let dir = links::parent_dir(rel_path);
    let mut entries = Vec::new();
    let mut seen: HashMap<String, std::ops::Range<usize>> = HashMap::default();
    for (index, node) in nodes.iter().enumerate() {
        let Some(entry) = load_entry(node, index, kind, file, dir, diagnostics) else {
            continue;
        };
        if let Some(first) = seen.get(&entry.id.value) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "duplicate entry id `{}` in this table",
                    entry.id.value
                ))
                .at(file, entry.id.span.clone())
                .with_note(
                    "first used here",
                    crate::diag::Location {
                        file,
                        span: Some(first.clone()),
                    },
                ),
            );
            continue;
        }
        seen.insert(entry.id.value.clone(), entry.id.span.clone());
        entries.push(entry);
    }
    entries
}

/// One entry, read against the keys of its table's kind; `None` when it lacks
/// its id or a required key (reported).
fn load_entry(
    node: &Node,
    index: usize,
    kind: TableKind,
    file: FileId,
    dir: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let name = match node.get("id").and_then(Node::as_str) {
        Some(id) => format!("entry `{id}`"),
        None => format!("entry {}", index + 1),
    };
    let keys = entry_keys(kind);
    let mut fields = Fields::new(node, name, keys, file, diagnostics)?;
    let id = fields.required_string("id");
    let code = match kind {
        TableKind::Script | TableKind::Steps => fields.string("code"),
        TableKind::Tactics => None,
    };
    let see = read_see(&mut fields, file, dir);
    let body = match kind {
        TableKind::Script => script_body(&mut fields),
        TableKind::Steps => steps_body(&mut fields),
        TableKind::Tactics => tactic_body(&mut fields, file),
    };
    fields.finish(diagnostics);
    let id = id?;
    if let Some(problem) =
        ids::id_problem(&id.value).filter(|_| !ids::RESERVED.contains(&id.value.as_str()))
    {
        diagnostics.push(
            Diagnostic::error(format!("invalid entry id `{}`: {problem}", id.value))
                .at(file, id.span.clone()),
        );
    }
    let entry = Entry {
        id,
        see,
        body: body?,
        code,
        codes: Vec::new(),
    };
    check_code(&entry, file, diagnostics);
    Some(entry)
}

/// An entry's `code:`: a valid code, with room for the `-2`, `-3`, … of its
/// other `say` lines; a code on an entry with no `say` line is pointless.
fn check_code(entry: &Entry, file: FileId, diagnostics: &mut Vec<Diagnostic>) {
    let Some(code) = &entry.code else {
        return;
    };
    let say_count = entry.say().len();
    if let Some(problem) = codes::code_problem(&code.value, say_count) {
        let mut d = Diagnostic::error(format!("invalid code `{}`: {problem}", code.value))
            .at(file, code.span.clone());
        let lower = code.value.to_ascii_lowercase();
        if lower != code.value && codes::code_problem(&lower, say_count).is_none() {
            d = d.with_help(format!("did you mean `{lower}`?"));
        }
        diagnostics.push(d);
    } else if say_count == 0 {
        diagnostics.push(
            Diagnostic::warning(format!(
                "code `{}` is given to no line: entry `{}` has no `say` line",
                code.value, entry.id.value
            ))
            .at(file, code.span.clone()),
        );
    }
}

/// A `script` entry: what to say in a situation.
fn script_body(fields: &mut Fields) -> Option<EntryBody> {
    let situation = fields.required_string("situation");
    let say = fields.required_string_list("say");
    let avoid = fields.string_list("avoid");
    let why = fields.string("why").map(|w| w.value);
    situation.map(|situation| EntryBody::Script {
        situation: situation.value,
        say,
        avoid,
        why,
    })
}

/// A `steps` entry: one step of a procedure.
fn steps_body(fields: &mut Fields) -> Option<EntryBody> {
    let title = fields.required_string("title");
    let goal = fields.string("goal").map(|g| g.value);
    let r#do = fields
        .string_list("do")
        .into_iter()
        .map(|d| d.value)
        .collect();
    let avoid = fields.string_list("avoid");
    let say = fields.string_list("say");
    title.map(|title| EntryBody::Steps {
        title: title.value,
        goal,
        r#do,
        avoid,
        say,
    })
}

/// A `tactics` entry: a tactic, when and how to use it, with an example dialogue.
fn tactic_body(fields: &mut Fields, file: FileId) -> Option<EntryBody> {
    let name = fields.required_string("name");
    let when = fields.string("when").map(|w| w.value);
    let how = fields.required_string("how");
    let example = read_example(fields, file);
    let risk = fields.string("risk").map(|r| r.value);
    Some(EntryBody::Tactic {
        name: name?.value,
        when,
        how: how?.value,
        example,
        risk,
    })
}

/// The keys an entry of a table of this kind may have.
pub(crate) fn entry_keys(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Script => SCRIPT_KEYS,
        TableKind::Steps => STEPS_KEYS,
        TableKind::Tactics => TACTIC_KEYS,
    }
}

/// `see:` targets: `@id` / `@id#anchor`, or relative links to chapter files.
fn read_see(fields: &mut Fields, file: FileId, dir: &str) -> Vec<Link> {
    let mut links = Vec::new();
    for target in fields.string_list("see") {
        let classified = links::classify(&target.value, dir);
        match classified {
            LinkTarget::External | LinkTarget::Asset { .. } => {
                fields.diagnostics.push(
                    Diagnostic::error(format!(
                        "`see:` target `{}` must point into the handbook, as `@id` or `@id#anchor`",
                        target.value
                    ))
                    .at(file, target.span.clone()),
                );
            }
            target_kind => links.push(Link {
                target: target_kind,
                written: target.value,
                span: target.span,
            }),
        }
    }
    links
}

/// A tactic's `example`: a list of one-key mappings (`- 买家: 太贵了`) or of
/// `speaker: text` strings.
fn read_example(fields: &mut Fields, file: FileId) -> Vec<DialogueLine> {
    let mut lines = Vec::new();
    for item in fields.list("example") {
        let line = match &item.value {
            NodeValue::Map(pairs) if pairs.len() == 1 => {
                match (pairs[0].0.as_str(), pairs[0].1.as_str()) {
                    (Some(speaker), Some(text)) => Some(DialogueLine {
                        speaker: speaker.to_string(),
                        text: text.to_string(),
                    }),
                    _ => None,
                }
            }
            NodeValue::Scalar { text, .. } => crate::text::dialogue::parse(text)
                .into_iter()
                .next()
                .and_then(|parsed| parsed.line.ok()),
            _ => None,
        };
        match line {
            Some(line) => lines.push(line),
            None => fields.diagnostics.push(
                Diagnostic::error(
                    "each `example` line must be `- 说话人: 内容`, e.g. `- 买家: 太贵了`",
                )
                .at(file, item.span.clone()),
            ),
        }
    }
    lines
}
