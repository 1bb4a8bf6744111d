//! Reading one phrase table (`script`, `steps` or `tactics`) against its schema.

use rustc_hash::FxHashMap as HashMap;

use crate::diag::{tr, Code, Diagnostic, FileId, Lang, Location, Text};
use crate::model::{codes, DialogueLine, Entry, EntryBody, Link, LinkTarget, Table, TableKind};
use crate::text::ids;
use crate::text::links;
use crate::text::suggest::closest;
use crate::yaml::{did_you_mean, Fields, Node, NodeValue, Spanned};

pub(crate) const TABLE_KEYS: &[&str] = &["id", "title", "kind", "description", "tags", "entries"];
const SCRIPT_KEYS: &[&str] = &["id", "situation", "say", "avoid", "why", "code", "see"];
const STEPS_KEYS: &[&str] = &["id", "title", "goal", "do", "avoid", "say", "code", "see"];
const TACTIC_KEYS: &[&str] = &["id", "name", "when", "how", "example", "risk", "see"];
const KINDS: &[&str] = &["script", "steps", "tactics"];

/// How messages name a phrase table.
fn table_name() -> Text {
    tr!("phrase table", "话术表")
}

/// Loads a table. A file too broken to read (a YAML syntax error, not a mapping)
/// still gives a table, empty and marked `unreadable`, under the id it would have:
/// its error is reported once, and links to it are not reported again.
pub(crate) fn load_table(
    file: FileId,
    rel_path: &str,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Table> {
    let stem = rel_path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map_or(rel_path, |(stem, _)| stem);
    let from_stem = || Spanned {
        value: ids::id_from_stem(stem),
        span: 0..0,
    };
    let unreadable = |id: Spanned<String>| Table {
        id,
        file,
        rel_path: rel_path.to_string(),
        title: String::new(),
        kind: TableKind::Script,
        description: None,
        tags: Vec::new(),
        entries: Vec::new(),
        unread_entries: Vec::new(),
        unreadable: true,
    };
    let Some(node) = super::parse_yaml(file, text, 0, table_name(), diagnostics) else {
        return Some(unreadable(written_id(text).unwrap_or_else(from_stem)));
    };
    let Some(mut fields) = Fields::new(&node, table_name(), TABLE_KEYS, file, diagnostics) else {
        return Some(unreadable(from_stem()));
    };
    let id = fields.name("id").unwrap_or_else(from_stem);
    if let Some(problem) = ids::id_problem(&id.value) {
        diagnostics.push(
            Diagnostic::new(
                Code::E0308,
                Text::new(
                    format!("invalid table id `{}`: {}", id.value, problem.get(Lang::En)),
                    format!(
                        "话术表的 id `{}` 不可用：{}",
                        id.value,
                        problem.get(Lang::Zh)
                    ),
                ),
            )
            .at(file, id.span.clone()),
        );
    }
    let title = fields.required_string("title");
    let kind = fields
        .required_string("kind")
        .and_then(|kind| table_kind(&kind, file, diagnostics));
    let description = fields.string("description").map(|d| d.value);
    let tags = fields
        .name_list("tags")
        .into_iter()
        .map(|t| t.value)
        .collect();
    // `entries` that is not a list, or an entry whose id cannot be read, leaves the
    // table's entries not all known: links to its entries are then not checked.
    let entries_known = fields
        .node("entries")
        .is_none_or(|n| matches!(n.value, NodeValue::Seq(_)));
    let entry_nodes = fields.required_list("entries");
    let entries_known = entries_known && entry_nodes.iter().all(|n| entry_id(n).is_some());
    fields.finish(diagnostics);

    let mut unread_entries = Vec::new();
    let entries = match kind {
        Some(kind) => load_entries(
            entry_nodes,
            kind,
            file,
            rel_path,
            &mut unread_entries,
            diagnostics,
        ),
        // The kind says what an entry holds: without it, only the ids are known.
        None => {
            unread_entries.extend(entry_nodes.iter().filter_map(entry_id));
            Vec::new()
        }
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
        unread_entries,
        unreadable: !entries_known,
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
    let mut d = Diagnostic::new(
        Code::E0309,
        tr!(
            "unknown table kind `{}`: use script, steps or tactics",
            "未知的表类型 `{}`：请用 script（话术）、steps（步骤）或 tactics（技巧）",
            kind.value
        ),
    )
    .at(file, kind.span.clone());
    if let Some(best) = closest(&kind.value, KINDS.iter().copied()) {
        d = d.with_help(did_you_mean(best));
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
    unread: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let dir = links::parent_dir(rel_path);
    let mut entries = Vec::new();
    let mut seen: HashMap<String, std::ops::Range<usize>> = HashMap::default();
    for (index, node) in nodes.iter().enumerate() {
        let Some(entry) = load_entry(node, index, kind, file, dir, diagnostics) else {
            unread.extend(entry_id(node));
            continue;
        };
        if let Some(first) = seen.get(&entry.id.value) {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0310,
                    tr!(
                        "duplicate entry id `{}` in this table",
                        "本表里的条目 id `{}` 重复了",
                        entry.id.value
                    ),
                )
                .at(file, entry.id.span.clone())
                .with_note(
                    tr!("first used here", "第一次出现在"),
                    Location {
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
        Some(id) => tr!("entry `{}`", "条目 `{}`", id),
        None => tr!("entry {}", "第 {} 个条目", index + 1),
    };
    let keys = entry_keys(kind);
    let mut fields = Fields::new(node, name, keys, file, diagnostics)?;
    let id = fields.required_name("id");
    let code = match kind {
        TableKind::Script | TableKind::Steps => fields.name("code"),
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
            Diagnostic::new(
                Code::E0311,
                Text::new(
                    format!("invalid entry id `{}`: {}", id.value, problem.get(Lang::En)),
                    format!("条目 id `{}` 不可用：{}", id.value, problem.get(Lang::Zh)),
                ),
            )
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
        let mut d = Diagnostic::new(
            Code::E0312,
            Text::new(
                format!("invalid code `{}`: {}", code.value, problem.get(Lang::En)),
                format!(
                    "快捷短语编码 `{}` 不可用：{}",
                    code.value,
                    problem.get(Lang::Zh)
                ),
            ),
        )
        .at(file, code.span.clone());
        let lower = code.value.to_ascii_lowercase();
        if lower != code.value && codes::code_problem(&lower, say_count).is_none() {
            d = d.with_help(did_you_mean(&lower));
        }
        diagnostics.push(d);
    } else if say_count == 0 {
        diagnostics.push(
            Diagnostic::new(
                Code::W0301,
                tr!(
                    "code `{}` is given to no line: entry `{}` has no `say` line",
                    "编码 `{}` 没有用处：条目 `{}` 没有 `say` 话术",
                    code.value,
                    entry.id.value
                ),
            )
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
    for target in fields.name_list("see") {
        let classified = links::classify(&target.value, dir);
        match classified {
            LinkTarget::External | LinkTarget::Asset { .. } => {
                fields.diagnostics.push(
                    Diagnostic::new(
                        Code::E0313,
                        tr!(
                            "`see:` target `{}` must point into the handbook, as `@id` or `@id#anchor`",
                            "`see:` 的目标 `{}` 必须是手册里的页面，写成 `@id` 或 `@id#锚点`",
                            target.value
                        ),
                    )
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
                let said = &pairs[0].1;
                if matches!(said.value, NodeValue::Scalar { .. } | NodeValue::Null) {
                    // What is said is text as written: `- 买家: 123` is reported as such.
                    let Some(text) = fields.text_item("example", said) else {
                        continue;
                    };
                    pairs[0].0.as_str().map(|speaker| DialogueLine {
                        speaker: speaker.to_string(),
                        text: text.value,
                    })
                } else {
                    None
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
                Diagnostic::new(
                    Code::E0314,
                    tr!(
                        "each `example` line must be `- 说话人: 内容`, e.g. `- 买家: 太贵了`",
                        "`example` 的每一行都要写成 `- 说话人: 内容`，例如 `- 买家: 太贵了`"
                    ),
                )
                .at(file, item.span.clone()),
            ),
        }
    }
    lines
}

/// The id an entry's mapping says, if it says one.
fn entry_id(node: &Node) -> Option<String> {
    node.get("id").and_then(Node::as_str).map(str::to_string)
}

/// A table's `id:` line, read from a file the YAML parser could not read: a
/// top-level `id: x` before the problem usually still says it.
fn written_id(text: &str) -> Option<Spanned<String>> {
    super::written_value(text, "id").filter(|id| ids::id_problem(&id.value).is_none())
}
