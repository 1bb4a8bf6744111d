//! `content/handbook.yaml` and `_part.yaml`.

use std::collections::BTreeMap;

use crate::diag::{tr, Code, Diagnostic, FileId, Lang, Text};
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
    "editor_url",
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
    let Some(node) = super::parse_yaml(file, text, 0, Text::same("handbook.yaml"), diagnostics)
    else {
        // Its errors are still printed in the language it says, if a line says it.
        if let Some(language) = super::written_value(text, "language") {
            config.language = language.value;
        }
        return config;
    };
    let Some(mut fields) = Fields::new(
        &node,
        Text::same("handbook.yaml"),
        CONFIG_KEYS,
        file,
        diagnostics,
    ) else {
        return config;
    };
    if let Some(title) = fields.required_string("title") {
        config.title = title.value;
    }
    config.description = fields.string("description").map(|d| d.value);
    if let Some(language) = fields.name("language") {
        config.language = language.value;
    }
    config.theme = fields.name("theme").map(|t| t.value);
    if let Some(node) = fields.node("nav") {
        let items = fields.list("nav");
        // `nav` that is not a list says nothing of the order: as if it were not there.
        if matches!(node.value, NodeValue::Seq(_)) {
            let before = fields.diagnostics.len();
            config.nav = Some(read_nav(items, file, &mut fields.diagnostics));
            config.nav_incomplete = fields.diagnostics.len() > before;
        }
    }
    if let Some(node) = fields.node("dialogue") {
        if let Some(mut sides) = Fields::new(
            node,
            Text::same("`dialogue`"),
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
    if let Some(url) = fields.string("editor_url") {
        match check_editor_url(&url.value) {
            Ok(()) => config.editor_url = Some(url.value),
            Err(problem) => fields
                .diagnostics
                .push(Diagnostic::new(Code::E0510, problem).at(file, url.span.clone())),
        }
    }
    if let Some(node) = fields.node("markdown") {
        if let Some(mut markdown) = Fields::new(
            node,
            Text::same("`markdown`"),
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

/// Why `editor_url` (the error overlay's link into the editor, used by `serve`)
/// cannot be used, if it cannot: it must name the file, and open an editor rather
/// than run code in the page.
pub(crate) fn check_editor_url(template: &str) -> Result<(), Text> {
    if !template.contains("{path}") {
        return Err(tr!(
            "`editor_url` has no `{{path}}` in it, like `vscode://file/{{path}}:{{line}}:{{column}}`",
            "`editor_url` 里没有 `{{path}}`，应当像 `vscode://file/{{path}}:{{line}}:{{column}}` 这样写"
        ));
    }
    let lower = template.trim_start().to_ascii_lowercase();
    if let Some(scheme) = ["javascript:", "data:", "vbscript:"]
        .into_iter()
        .find(|s| lower.starts_with(s))
    {
        return Err(tr!(
            "`editor_url` cannot start with `{}`: it must open an editor, like `vscode://file/{{path}}:{{line}}:{{column}}`",
            "`editor_url` 不能以 `{}` 开头：它应当打开编辑器，像 `vscode://file/{{path}}:{{line}}:{{column}}` 这样写",
            scheme
        ));
    }
    Ok(())
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
                    Fields::new(
                    item,
                    tr!("a `nav` part", "`nav` 里的分组"),
                    &["part", "items"],
                    file,
                    diagnostics,
                )
                else {
                    continue;
                };
                let title = part.required_string("part");
                let ids = part.required_name_list("items");
                part.finish(diagnostics);
                if let Some(title) = title {
                    nav.push(NavItem::Part {
                        title: title.value,
                        items: ids,
                    });
                }
            }
            _ => diagnostics.push(
                Diagnostic::new(Code::E0501, {
                    let found = yaml::found(item);
                    Text::new(
                        format!(
                            "a `nav` item must be a page id or `{{ part: 标题, items: [...] }}`, found {}",
                            found.get(Lang::En)
                        ),
                        format!(
                            "`nav` 的每一项应当是页面 id 或 `{{ part: 标题, items: [...] }}`，这里却是{}",
                            found.get(Lang::Zh)
                        ),
                    )
                })
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
            Diagnostic::new(
                Code::E0502,
                tr!(
                    "`strings` must map UI string keys to text",
                    "`strings` 应当是一组“界面文字的键: 文字”"
                ),
            )
            .at(file, node.span.clone()),
        );
        return strings;
    };
    for (key, value) in pairs {
        let name = key.as_str().unwrap_or_default();
        if !string_keys().any(|key| key == name) {
            let mut d = Diagnostic::new(
                Code::E0503,
                tr!(
                    "unknown UI string `{}` in `strings`",
                    "`strings` 里有未知的界面文字 `{}`",
                    name
                ),
            )
            .at(file, key.span.clone());
            if let Some(best) = closest(name, string_keys()) {
                d = d.with_help(yaml::did_you_mean(best));
            }
            diagnostics.push(d);
            continue;
        }
        let as_written = match &value.value {
            NodeValue::Scalar { text, plain } => {
                (!plain || !(value.is_number() || value.as_bool().is_some())).then_some(text)
            }
            _ => None,
        };
        match as_written {
            Some(text) => {
                strings.insert(name.to_string(), text.to_string());
            }
            None => diagnostics.push(
                Diagnostic::new(Code::E0504, {
                    let found = yaml::found(value);
                    Text::new(
                        format!(
                            "UI string `{name}` must be text, found {}",
                            found.get(Lang::En)
                        ),
                        format!(
                            "界面文字 `{name}` 应当是文字，这里却是{}",
                            found.get(Lang::Zh)
                        ),
                    )
                })
                .at(file, value.span.clone())
                .with_help(tr!(
                    "put it in quotes if it is meant as text",
                    "如果这就是要写的文字，请加上引号"
                )),
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
    let Some(node) = super::parse_yaml(file, text, 0, Text::same("_part.yaml"), diagnostics) else {
        return (None, None);
    };
    if node.value == NodeValue::Null {
        return (None, None);
    }
    let Some(mut fields) = Fields::new(
        &node,
        Text::same("_part.yaml"),
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

/// The `language:` of the handbook under `root`, read from its handbook.yaml line by
/// line, without loading it: the language to print in before (or without) a load,
/// e.g. for an error that stops the run. `None` when there is no handbook.yaml; the
/// default language (`zh-CN`) when it does not say.
pub(crate) fn handbook_language(root: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join("content/handbook.yaml")).ok()?;
    Some(
        super::written_value(&text, "language")
            .map_or_else(|| load_config_default().language, |language| language.value),
    )
}
