//! Reading a YAML mapping against a fixed set of keys, collecting every problem.

use std::ops::Range;

use super::{Node, NodeValue};
use crate::diag::{Diagnostic, FileId};
use crate::text::suggest::closest;

/// A value with the byte range it came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    #[serde(skip)]
    pub(crate) span: Range<usize>,
}

/// The keys of one mapping. Creating it reports unknown keys; each getter reports a
/// missing required key or a value of the wrong type. Nothing stops at the first error.
pub(crate) struct Fields<'a> {
    node: &'a Node,
    what: String,
    file: FileId,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// `what` names the mapping in messages ("phrase table", "entry `greeting`").
    /// Returns `None` (after reporting) when the node is not a mapping.
    pub(crate) fn new(
        node: &'a Node,
        what: impl Into<String>,
        known: &[&str],
        file: FileId,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let what = what.into();
        let NodeValue::Map(pairs) = &node.value else {
            diagnostics.push(
                Diagnostic::error(format!(
                    "{what} must be a mapping of keys to values, found {}",
                    node.type_name()
                ))
                .at(file, node.span.clone()),
            );
            return None;
        };
        for (key, _) in pairs {
            let name = key.as_str().unwrap_or("");
            if !known.contains(&name) {
                let mut d = Diagnostic::error(format!("unknown key `{name}` in {what}"))
                    .at(file, key.span.clone());
                d = match closest(name, known.iter().copied()) {
                    Some(best) => d.with_help(format!("did you mean `{best}`?")),
                    None => d.with_help(format!("known keys: {}", known.join(", "))),
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
        let d = Diagnostic::error(format!("{} is missing the required key `{key}`", self.what))
            .at(self.file, self.node.span.clone());
        self.diagnostics.push(d);
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Node) {
        let d = Diagnostic::error(format!(
            "`{key}` in {} must be {expected}, found {}",
            self.what,
            found.type_name()
        ))
        .at(self.file, found.span.clone());
        self.diagnostics.push(d);
    }

    pub(crate) fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        match &node.value {
            NodeValue::Scalar { text, .. } => Some(Spanned {
                value: text.clone(),
                span: node.span.clone(),
            }),
            _ => {
                self.wrong_type(key, "text", node);
                None
            }
        }
    }

    pub(crate) fn required_string(&mut self, key: &str) -> Option<Spanned<String>> {
        if self.node(key).is_none() {
            self.missing(key);
            return None;
        }
        let value = self.string(key)?;
        if value.value.trim().is_empty() {
            let d = Diagnostic::error(format!("`{key}` in {} must not be empty", self.what))
                .at(self.file, value.span.clone());
            self.diagnostics.push(d);
        }
        Some(value)
    }

    /// A string or a list of strings (`say: 您好` and `say: [您好, 在的]` both work).
    pub(crate) fn string_list(&mut self, key: &str) -> Vec<Spanned<String>> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        match &node.value {
            NodeValue::Scalar { text, .. } => vec![Spanned {
                value: text.clone(),
                span: node.span.clone(),
            }],
            NodeValue::Seq(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(text) => out.push(Spanned {
                            value: text.to_string(),
                            span: item.span.clone(),
                        }),
                        None => self.wrong_type(key, "a list of text lines", item),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(key, "text or a list of text lines", node);
                Vec::new()
            }
        }
    }

    pub(crate) fn required_string_list(&mut self, key: &str) -> Vec<Spanned<String>> {
        if self.node(key).is_none() {
            self.missing(key);
            return Vec::new();
        }
        let list = self.string_list(key);
        if list.is_empty() && matches!(self.node(key).map(|n| &n.value), Some(NodeValue::Seq(_))) {
            let span = self.node(key).map(|n| n.span.clone()).unwrap_or_default();
            let d = Diagnostic::error(format!("`{key}` in {} must not be empty", self.what))
                .at(self.file, span);
            self.diagnostics.push(d);
        }
        list
    }

    pub(crate) fn bool(&mut self, key: &str) -> Option<bool> {
        let node = self.node(key)?;
        let value = node.as_bool();
        if value.is_none() {
            self.wrong_type(key, "true or false", node);
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
                self.wrong_type(key, "a list", node);
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
        let text = "title: 表\nkindd: script\nsay: [1, {a: b}]\n";
        let mut sources = Sources::new();
        let file = sources.add("t.yaml", text);
        let node = crate::yaml::parse(text, 0).unwrap();
        let mut diags = Vec::new();
        let mut fields = Fields::new(
            &node,
            "phrase table",
            &["title", "kind", "say"],
            file,
            &mut diags,
        )
        .unwrap();
        assert!(fields.required_string("kind").is_none());
        let say = fields.string_list("say");
        assert_eq!(say.len(), 1);
        fields.finish(&mut diags);
        let messages: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown key `kindd` in phrase table",
                "phrase table is missing the required key `kind`",
                "`say` in phrase table must be a list of text lines, found a mapping",
            ]
        );
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `kind`?"));
        let first = diags[0].location.as_ref().unwrap().span.clone().unwrap();
        assert_eq!(sources.get(file).line_col(first.start), (2, 1));
    }
}
