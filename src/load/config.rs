//! `content/handbook.yaml` and `_part.yaml`.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, FileId};
use crate::model::strings::string_keys;
use crate::model::{Config, DialogueSpeakers, NavItem};
use crate::text::suggest::closest;
use crate::yaml::{self, Fields, NodeValue, Spanned};

pub(crate) const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "language",
    "theme",
    "nav",
    "dialogue",
    "strings",
    "markdown",
];

/// The settings a handbook gets for whatever its handbook.yaml does not say.
pub(crate) fn load_config_default() -> Config {
    Config {
        title: "Handbook".into(),
        language: "zh-CN".into(),
        raw_html: true,
        ..Config::default()
    }
}

pub(crate) fn load_config(file: FileId, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Config {
    let mut config = Config {
        file: Some(file),
        fingerprint: {
            use std::hash::{Hash, Hasher};
            let mut hasher = rustc_hash::FxHasher::default();
            text.hash(&mut hasher);
            hasher.finish()
        },
        ..load_config_default()
    };
    let Some(node) = super::parse_yaml(file, text, 0, "handbook.yaml", diagnostics) else {
        return config;
    };
    let Some(mut fields) = Fields::new(&node, "handbook.yaml", CONFIG_KEYS, file, diagnostics)
    else {
        return config;
    };
    if let Some(title) = fields.required_string("title") {
        config.title = title.value;
    }
    config.description = fields.string("description").map(|d| d.value);
    if let Some(language) = fields.string("language") {
        config.language = language.value;
    }
    config.theme = fields.string("theme").map(|t| t.value);
    if fields.node("nav").is_some() {
        let items = fields.list("nav");
        config.nav = Some(read_nav(items, file, &mut fields.diagnostics));
    }
    if let Some(node) = fields.node("dialogue") {
        if let Some(mut sides) = Fields::new(
            node,
            "`dialogue`",
            &["staff", "customer"],
            file,
            &mut fields.diagnostics,
        ) {
            let mut speakers = DialogueSpeakers::default();
            if sides.node("staff").is_some() {
                speakers.staff = sides
                    .string_list("staff")
                    .into_iter()
                    .map(|s| s.value)
                    .collect();
            }
            if sides.node("customer").is_some() {
                speakers.customer = sides
                    .string_list("customer")
                    .into_iter()
                    .map(|s| s.value)
                    .collect();
            }
            sides.finish(&mut fields.diagnostics);
            config.dialogue = speakers;
        }
    }
    if let Some(node) = fields.node("strings") {
        config.strings = read_strings(node, file, &mut fields.diagnostics);
    }
    if let Some(node) = fields.node("markdown") {
        if let Some(mut markdown) = Fields::new(
            node,
            "`markdown`",
            &["raw_html"],
            file,
            &mut fields.diagnostics,
        ) {
            config.raw_html = markdown.bool("raw_html").unwrap_or(true);
            markdown.finish(&mut fields.diagnostics);
        }
    }
    fields.finish(diagnostics);
    config
}

fn read_nav(items: &[yaml::Node], file: FileId, diagnostics: &mut Vec<Diagnostic>) -> Vec<NavItem> {
    let mut nav = Vec::new();
    for item in items {
        match &item.value {
            NodeValue::Scalar { text, .. } => nav.push(NavItem::Page(Spanned {
                value: text.clone(),
                span: item.span.clone(),
            })),
            NodeValue::Map(_) => {
                let Some(mut part) =
                    Fields::new(item, "a `nav` part", &["part", "items"], file, diagnostics)
                else {
                    continue;
                };
                let title = part.required_string("part");
                let ids = part.required_string_list("items");
                part.finish(diagnostics);
                if let Some(title) = title {
                    nav.push(NavItem::Part {
                        title: title.value,
                        items: ids,
                    });
                }
            }
            _ => diagnostics.push(
                Diagnostic::error(format!(
                    "a `nav` item must be a page id or `{{ part: 标题, items: [...] }}`, found {}",
                    item.type_name()
                ))
                .at(file, item.span.clone()),
            ),
        }
    }
    nav
}

fn read_strings(
    node: &yaml::Node,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut strings = BTreeMap::new();
    let NodeValue::Map(pairs) = &node.value else {
        diagnostics.push(
            Diagnostic::error("`strings` must map UI string keys to text")
                .at(file, node.span.clone()),
        );
        return strings;
    };
    for (key, value) in pairs {
        let name = key.as_str().unwrap_or_default();
        if !string_keys().any(|key| key == name) {
            let mut d = Diagnostic::error(format!("unknown UI string `{name}` in `strings`"))
                .at(file, key.span.clone());
            if let Some(best) = closest(name, string_keys()) {
                d = d.with_help(format!("did you mean `{best}`?"));
            }
            diagnostics.push(d);
            continue;
        }
        match value.as_str() {
            Some(text) => {
                strings.insert(name.to_string(), text.to_string());
            }
            None => diagnostics.push(
                Diagnostic::error(format!("UI string `{name}` must be text"))
                    .at(file, value.span.clone()),
            ),
        }
    }
    strings
}

/// A part's `_part.yaml`: `{ title, summary }`.
pub(crate) fn load_part(
    file: FileId,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<String>, Option<String>) {
    let Some(node) = super::parse_yaml(file, text, 0, "_part.yaml", diagnostics) else {
        return (None, None);
    };
    if node.value == NodeValue::Null {
        return (None, None);
    }
    let Some(mut fields) = Fields::new(
        &node,
        "_part.yaml",
        &["title", "summary"],
        file,
        diagnostics,
    ) else {
        return (None, None);
    };
    let title = fields.string("title").map(|t| t.value);
    let summary = fields.string("summary").map(|s| s.value);
    fields.finish(diagnostics);
    (title, summary)
}
