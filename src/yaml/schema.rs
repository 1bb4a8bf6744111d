//! Reading a YAML mapping against a fixed set of keys, collecting every problem.

use std::ops::Range;

use super::{Node, NodeValue};
use crate::diag::{tr, Code, Diagnostic, FileId, Lang, Text};
use crate::text::suggest::closest;

/// "did you mean `x`?", the hint of every near miss.
pub(crate) fn did_you_mean(best: &str) -> Text {
    tr!("did you mean `{}`?", "是不是想写 `{}`？", best)
}

/// A value with the byte range it came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    #[serde(skip)]
    pub(crate) span: Range<usize>,
}

/// The keys of one mapping. Creating it reports unknown keys; each getter reports a
/// missing required key or a value of the wrong type. Nothing stops at the first error.
///
/// Text is taken as written: a plain `123`, `true` or an empty value where text is
/// expected is an error (YAML reads them as a number, a boolean, nothing), with the
/// hint to quote it. Names (ids, codes, tags, the language) may be written as plain
/// numbers (`code: 101`): the text is kept as written, nothing is lost.
pub(crate) struct Fields<'a> {
    node: &'a Node,
    what: Text,
    file: FileId,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// What a getter accepts as text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Accept {
    /// Only text: a plain number or boolean is an error.
    Text,
    /// A name: a plain number is its text too.
    Name,
}

/// What a node is, as messages name it.
pub(crate) fn found(node: &Node) -> Text {
    match &node.value {
        NodeValue::Null => tr!("nothing", "空值"),
        NodeValue::Scalar { text, .. } if node.as_bool().is_some() => {
            tr!("a boolean (`{}`)", "布尔值 `{}`", text)
        }
        NodeValue::Scalar { text, .. } if node.is_number() => {
            tr!("a number (`{}`)", "数字 `{}`", text)
        }
        NodeValue::Scalar { .. } => tr!("text", "文字"),
        NodeValue::Seq(_) => tr!("a list", "列表"),
        NodeValue::Map(_) => tr!("a mapping", "一组“键: 值”"),
    }
}

impl<'a> Fields<'a> {
    /// `what` names the mapping in messages ("phrase table", "entry `greeting`").
    /// Returns `None` (after reporting) when the node is not a mapping.
    pub(crate) fn new(
        node: &'a Node,
        what: Text,
        known: &[&str],
        file: FileId,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let NodeValue::Map(pairs) = &node.value else {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0302,
                    Text::new(
                        format!(
                            "{} must be a mapping of keys to values, found {}",
                            what.get(Lang::En),
                            found(node).get(Lang::En)
                        ),
                        format!(
                            "{}应当是一组“键: 值”，这里却是{}",
                            what.zh_lead(),
                            found(node).get(Lang::Zh)
                        ),
                    ),
                )
                .at(file, node.span.clone()),
            );
            return None;
        };
        for (key, _) in pairs {
            let name = key.as_str().unwrap_or("");
            if !known.contains(&name) {
                let mut d = Diagnostic::new(
                    Code::E0303,
                    Text::new(
                        format!("unknown key `{name}` in {}", what.get(Lang::En)),
                        format!("{}里有未知的键 `{name}`", what.zh_lead()),
                    ),
                )
                .at(file, key.span.clone());
                d = match closest(name, known.iter().copied()) {
                    Some(best) => d.with_help(did_you_mean(best)),
                    None => d.with_help(tr!("known keys: {}", "可以用的键：{}", known.join(", "))),
                };
                diagnostics.push(d);
            }
        }
        Some(Fields {
            node,
            what,
            file,
            diagnostics: Vec::new(),
        })
    }

    pub(crate) fn node(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key).filter(|n| n.value != NodeValue::Null)
    }

    fn missing(&mut self, key: &str) {
        let d = Diagnostic::new(
            Code::E0304,
            Text::new(
                format!(
                    "{} is missing the required key `{key}`",
                    self.what.get(Lang::En)
                ),
                format!("{}缺少必填的键 `{key}`", self.what.zh_lead()),
            ),
        )
        .at(self.file, self.node.span.clone());
        self.diagnostics.push(d);
    }

    fn wrong_type(&mut self, key: &str, expected: Text, node: &Node) {
        let found = found(node);
        let d = Diagnostic::new(
            Code::E0305,
            Text::new(
                format!(
                    "`{key}` in {} must be {}, found {}",
                    self.what.get(Lang::En),
                    expected.get(Lang::En),
                    found.get(Lang::En)
                ),
                format!(
                    "{}的 `{key}` 应当是{}，这里却是{}",
                    self.what.zh_lead(),
                    expected.get(Lang::Zh),
                    found.get(Lang::Zh)
                ),
            ),
        )
        .at(self.file, node.span.clone());
        self.diagnostics.push(d);
    }

    /// A number, boolean or nothing where text is expected: an error with the hint
    /// to quote it (or, for nothing, to write it or drop the key).
    fn not_text(&mut self, key: &str, node: &Node, in_list: bool) {
        let found = found(node);
        let help = match (&node.value, in_list) {
            (NodeValue::Null, false) => tr!(
                "write the text after `{}:`, or remove the line",
                "请在 `{}:` 后面写上文字，或者删掉这一行",
                key
            ),
            (NodeValue::Null, true) => tr!(
                "write the text, or remove the empty item",
                "请写上文字，或者删掉这个空项"
            ),
            (NodeValue::Scalar { text, .. }, false) => tr!(
                "if `{}` is meant as text, put it in quotes: `{}: \"{}\"`",
                "如果 `{}` 就是要写的文字，请加上引号：`{}: \"{}\"`",
                text,
                key,
                text
            ),
            (NodeValue::Scalar { text, .. }, true) => tr!(
                "if `{}` is meant as text, put it in quotes: `\"{}\"`",
                "如果 `{}` 就是要写的文字，请加上引号：`\"{}\"`",
                text,
                text
            ),
            _ => return self.wrong_type(key, tr!("text", "文字"), node),
        };
        let d = Diagnostic::new(
            Code::E0307,
            Text::new(
                format!(
                    "`{key}` in {} must be text, found {}",
                    self.what.get(Lang::En),
                    found.get(Lang::En)
                ),
                format!(
                    "{}的 `{key}` 应当是文字，这里却是{}",
                    self.what.zh_lead(),
                    found.get(Lang::Zh)
                ),
            ),
        )
        .at(self.file, self.place_of(key, node, in_list))
        .with_help(help);
        self.diagnostics.push(d);
    }

    /// Where to point at a value: an empty one (`goal:`) has no text of its own, and
    /// the parser places it at the next token, so the key is pointed at instead.
    fn place_of(&self, key: &str, node: &Node, in_list: bool) -> std::ops::Range<usize> {
        if node.value != NodeValue::Null || in_list {
            return node.span.clone();
        }
        match &self.node.value {
            NodeValue::Map(pairs) => pairs
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map_or(node.span.clone(), |(k, _)| k.span.clone()),
            _ => node.span.clone(),
        }
    }

    /// The text of a scalar taken as `accept` says, or the problem reported.
    fn text_of(
        &mut self,
        key: &str,
        node: &Node,
        accept: Accept,
        in_list: bool,
    ) -> Option<Spanned<String>> {
        match &node.value {
            NodeValue::Scalar { text, plain } => {
                let typed = *plain
                    && (node.as_bool().is_some() || (accept == Accept::Text && node.is_number()));
                if typed {
                    self.not_text(key, node, in_list);
                    return None;
                }
                Some(Spanned {
                    value: text.clone(),
                    span: node.span.clone(),
                })
            }
            NodeValue::Null => {
                self.not_text(key, node, in_list);
                None
            }
            _ if in_list => {
                self.wrong_type(key, tr!("a list of text lines", "文字列表"), node);
                None
            }
            _ => {
                self.wrong_type(key, tr!("text", "文字"), node);
                None
            }
        }
    }

    /// One item of the list under `key` that must be text (reported if it is not).
    pub(crate) fn text_item(&mut self, key: &str, node: &Node) -> Option<Spanned<String>> {
        self.text_of(key, node, Accept::Text, true)
    }

    /// Text; an empty value (`why:`) is reported as such.
    pub(crate) fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.node.get(key)?;
        self.text_of(key, node, Accept::Text, false)
    }

    /// A name (an id, a code, a language tag): text, or a number written plainly.
    pub(crate) fn name(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.node.get(key)?;
        self.text_of(key, node, Accept::Name, false)
    }

    pub(crate) fn required_string(&mut self, key: &str) -> Option<Spanned<String>> {
        self.required(key, Accept::Text)
    }

    pub(crate) fn required_name(&mut self, key: &str) -> Option<Spanned<String>> {
        self.required(key, Accept::Name)
    }

    fn required(&mut self, key: &str, accept: Accept) -> Option<Spanned<String>> {
        let Some(node) = self.node.get(key) else {
            self.missing(key);
            return None;
        };
        let value = self.text_of(key, node, accept, false)?;
        if value.value.trim().is_empty() {
            let d = Diagnostic::new(
                Code::E0306,
                Text::new(
                    format!("`{key}` in {} must not be empty", self.what.get(Lang::En)),
                    format!("{}的 `{key}` 不能为空", self.what.zh_lead()),
                ),
            )
            .at(self.file, value.span.clone());
            self.diagnostics.push(d);
        }
        Some(value)
    }

    /// A string or a list of strings (`say: 您好` and `say: [您好, 在的]` both work).
    pub(crate) fn string_list(&mut self, key: &str) -> Vec<Spanned<String>> {
        self.list_of(key, Accept::Text)
    }

    /// Names, one or a list (`tags`).
    pub(crate) fn name_list(&mut self, key: &str) -> Vec<Spanned<String>> {
        self.list_of(key, Accept::Name)
    }

    fn list_of(&mut self, key: &str, accept: Accept) -> Vec<Spanned<String>> {
        let Some(node) = self.node.get(key) else {
            return Vec::new();
        };
        match &node.value {
            NodeValue::Scalar { .. } | NodeValue::Null => {
                self.text_of(key, node, accept, false).into_iter().collect()
            }
            NodeValue::Seq(items) => items
                .iter()
                .filter_map(|item| self.text_of(key, item, accept, true))
                .collect(),
            NodeValue::Map(_) => {
                self.wrong_type(
                    key,
                    tr!("text or a list of text lines", "文字或文字列表"),
                    node,
                );
                Vec::new()
            }
        }
    }

    pub(crate) fn required_string_list(&mut self, key: &str) -> Vec<Spanned<String>> {
        self.required_list_of(key, Accept::Text)
    }

    pub(crate) fn required_name_list(&mut self, key: &str) -> Vec<Spanned<String>> {
        self.required_list_of(key, Accept::Name)
    }

    fn required_list_of(&mut self, key: &str, accept: Accept) -> Vec<Spanned<String>> {
        if self.node.get(key).is_none() {
            self.missing(key);
            return Vec::new();
        }
        let list = self.list_of(key, accept);
        if list.is_empty()
            && matches!(self.node(key).map(|n| &n.value), Some(NodeValue::Seq(items)) if items.is_empty())
        {
            let span = self.node(key).map(|n| n.span.clone()).unwrap_or_default();
            let d = Diagnostic::new(
                Code::E0306,
                Text::new(
                    format!("`{key}` in {} must not be empty", self.what.get(Lang::En)),
                    format!("{}的 `{key}` 不能为空", self.what.zh_lead()),
                ),
            )
            .at(self.file, span);
            self.diagnostics.push(d);
        }
        list
    }

    pub(crate) fn bool(&mut self, key: &str) -> Option<bool> {
        let node = self.node(key)?;
        let value = node.as_bool();
        if value.is_none() {
            self.wrong_type(key, tr!("true or false", "true 或 false"), node);
        }
        value
    }

    /// A list's items, reporting a value that is not a list.
    pub(crate) fn list(&mut self, key: &str) -> &'a [Node] {
        let Some(node) = self.node(key) else {
            return &[];
        };
        match &node.value {
            NodeValue::Seq(items) => items,
            _ => {
                self.wrong_type(key, tr!("a list", "列表"), node);
                &[]
            }
        }
    }

    pub(crate) fn required_list(&mut self, key: &str) -> &'a [Node] {
        if self.node(key).is_none() {
            self.missing(key);
            return &[];
        }
        self.list(key)
    }

    /// Hands the collected problems to the caller's list.
    pub(crate) fn finish(self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.extend(self.diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;

    #[test]
    fn reports_every_problem_of_a_mapping() {
        let text = "title: 表\nkindd: script\nsay: [一, {a: b}]\n";
        let mut sources = Sources::new();
        let file = sources.add("t.yaml", text);
        let node = crate::yaml::parse(text, 0).unwrap();
        let mut diags = Vec::new();
        let mut fields = Fields::new(
            &node,
            Text::new("phrase table", "话术表"),
            &["title", "kind", "say"],
            file,
            &mut diags,
        )
        .unwrap();
        assert!(fields.required_string("kind").is_none());
        let say = fields.string_list("say");
        assert_eq!(say.len(), 1);
        fields.finish(&mut diags);
        let messages: Vec<_> = diags.iter().map(|d| d.message(Lang::En)).collect();
        assert_eq!(
            messages,
            [
                "unknown key `kindd` in phrase table",
                "phrase table is missing the required key `kind`",
                "`say` in phrase table must be a list of text lines, found a mapping",
            ]
        );
        assert_eq!(diags[0].help(Lang::En), Some("did you mean `kind`?"));
        let first = diags[0].location.as_ref().unwrap().span.clone().unwrap();
        assert_eq!(sources.get(file).line_col(first.start), (2, 1));
        assert_eq!(diags[0].code(), "E0303");
        assert_eq!(diags[0].message(Lang::Zh), "话术表里有未知的键 `kindd`");
    }

    /// Reads `keys` of `text` as text (`names` as names) and returns what was said:
    /// (code, line, column, message, help).
    fn typed(
        text: &str,
        keys: &[&str],
        names: &[&str],
    ) -> Vec<(String, usize, usize, String, String)> {
        let mut sources = Sources::new();
        let file = sources.add("t.yaml", text);
        let node = crate::yaml::parse(text, 0).unwrap();
        let mut diags = Vec::new();
        let known: Vec<&str> = keys.iter().chain(names).copied().collect();
        let mut fields =
            Fields::new(&node, Text::new("entry", "条目"), &known, file, &mut diags).unwrap();
        for key in keys {
            fields.string_list(key);
        }
        for key in names {
            fields.name(key);
        }
        fields.finish(&mut diags);
        diags
            .iter()
            .map(|d| {
                let span = d.location.as_ref().unwrap().span.clone().unwrap();
                let (line, col) = sources.get(file).line_col(span.start);
                let help = d.help(Lang::En).unwrap_or_default().to_string();
                (
                    d.code().to_string(),
                    line,
                    col,
                    d.message(Lang::En).to_string(),
                    help,
                )
            })
            .collect()
    }

    #[test]
    fn numbers_booleans_and_nothing_are_not_text() {
        let text = "say: 123\nwhy: 7\navoid: [概不退换。, 123]\nsituation: true\ngoal:\ndo: ['456', \"789\"]\n";
        let found = typed(
            text,
            &["say", "why", "avoid", "situation", "goal", "do"],
            &[],
        );
        let at: Vec<(&str, usize, usize)> = found
            .iter()
            .map(|(c, l, col, _, _)| (c.as_str(), *l, *col))
            .collect();
        assert_eq!(
            at,
            [
                ("E0307", 1, 6),
                ("E0307", 2, 6),
                ("E0307", 3, 16),
                ("E0307", 4, 12),
                ("E0307", 5, 1),
            ],
            "{found:#?}"
        );
        assert_eq!(
            found[0].3,
            "`say` in entry must be text, found a number (`123`)"
        );
        assert_eq!(
            found[0].4,
            "if `123` is meant as text, put it in quotes: `say: \"123\"`"
        );
        assert_eq!(
            found[2].4,
            "if `123` is meant as text, put it in quotes: `\"123\"`"
        );
        assert_eq!(
            found[3].3,
            "`situation` in entry must be text, found a boolean (`true`)"
        );
        assert_eq!(found[4].3, "`goal` in entry must be text, found nothing");
        assert_eq!(
            found[4].4,
            "write the text after `goal:`, or remove the line"
        );
    }

    #[test]
    fn names_may_be_numbers_but_not_booleans() {
        let found = typed(
            "id: 101\ncode: 0420\nsee: false\n",
            &[],
            &["id", "code", "see"],
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].1, found[0].2), (3, 6));
    }
}
