//! The theme: Tera templates and static files. The default theme in
//! `themes/default/` is compiled into the binary; a handbook's own theme folder
//! (`theme:` in handbook.yaml) holds only what it changes, and every template or
//! static file it lacks comes from the default. Templates are parsed once per build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{tr, Code, Diagnostic, Diagnostics, FileId, Sources};

/// (name under `templates/`, source)
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "chapter.html",
        include_str!("../themes/default/templates/chapter.html"),
    ),
    (
        "table.html",
        include_str!("../themes/default/templates/table.html"),
    ),
    (
        "index.html",
        include_str!("../themes/default/templates/index.html"),
    ),
    (
        "404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
    (
        "phrases.html",
        include_str!("../themes/default/templates/phrases.html"),
    ),
    (
        "sidebar.html",
        include_str!("../themes/default/templates/sidebar.html"),
    ),
    (
        "sidebar_nav.html",
        include_str!("../themes/default/templates/sidebar_nav.html"),
    ),
    (
        "outline.html",
        include_str!("../themes/default/templates/outline.html"),
    ),
    (
        "finder.html",
        include_str!("../themes/default/templates/finder.html"),
    ),
    (
        "finder_group.html",
        include_str!("../themes/default/templates/finder_group.html"),
    ),
    (
        "practice.html",
        include_str!("../themes/default/templates/practice.html"),
    ),
    (
        "print.html",
        include_str!("../themes/default/templates/print.html"),
    ),
    (
        "changes.html",
        include_str!("../themes/default/templates/changes.html"),
    ),
    (
        "say_code.html",
        include_str!("../themes/default/templates/say_code.html"),
    ),
];

/// (path under `static/`, contents)
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "handbook.js",
        include_bytes!("../themes/default/static/handbook.js"),
    ),
    (
        "search.js",
        include_bytes!("../themes/default/static/search.js"),
    ),
    (
        "finder.js",
        include_bytes!("../themes/default/static/finder.js"),
    ),
    (
        "practice.js",
        include_bytes!("../themes/default/static/practice.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "marks.js",
        include_bytes!("../themes/default/static/marks.js"),
    ),
];

/// A static file of the theme, to be copied to `static/` in the output.
#[derive(Debug, Clone)]
pub(crate) enum StaticFile {
    Builtin(&'static [u8]),
    File(PathBuf),
}

#[derive(Clone)]
pub(crate) struct Theme {
    pub(crate) tera: tera::Tera,
    /// A hash of every template: pages rendered with an equal one look the same.
    pub(crate) fingerprint: u64,
    /// Path under `static/` -> contents.
    pub(crate) statics: BTreeMap<String, StaticFile>,
    /// Template name -> the source registered for diagnostics.
    template_files: BTreeMap<String, FileId>,
}

impl Theme {
    /// Turns a Tera error into a diagnostic that names the template file and line.
    pub(crate) fn template_error(&self, error: &tera::Error, template: &str) -> Diagnostic {
        template_diagnostic(error, template, &self.template_files)
    }
}

/// Template name -> (the path shown in diagnostics, source).
type Templates = BTreeMap<String, (String, String)>;

/// Loads the theme named in handbook.yaml on top of the built-in default.
/// `None` when a template does not parse (the diagnostics say where). `cache`
/// (watch mode) is reused when every template reads the same as when it was
/// compiled: compiling the templates is most of loading a theme.
pub(crate) fn load_theme_cached(
    root: &Path,
    name: Option<&str>,
    config_file: Option<FileId>,
    sources: &mut Sources,
    diagnostics: &mut Diagnostics,
    cache: &mut Option<Theme>,
) -> Option<Theme> {
    let (mut templates, mut statics) = default_files();
    if let Some(name) = name.filter(|n| *n != "default") {
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            let d = Diagnostic::new(
                Code::E0505,
                tr!(
                    "theme `{0}` not found: expected a folder themes/{0}/ with templates/ and/or static/",
                    "找不到主题 `{0}`：应当有文件夹 themes/{0}/，里面有 templates/ 或 static/",
                    name
                ),
            );
            diagnostics.push(match config_file {
                Some(f) => d.in_file(f),
                None => d,
            });
            return None;
        }
        add_theme_folder(&dir, name, &mut templates, &mut statics, diagnostics);
    }

    let mut template_files = BTreeMap::new();
    for (name, (display, text)) in &templates {
        template_files.insert(name.clone(), sources.add(display.clone(), text.as_str()));
    }
    let fingerprint = fingerprint(&templates);
    if let Some(known) = cache.as_mut().filter(|t| t.fingerprint == fingerprint) {
        // The same templates, with this run's static files and template sources.
        known.statics = statics;
        known.template_files = template_files;
        return Some(known.clone());
    }
    let tera = compile(&templates, &template_files, diagnostics)?;
    let theme = Theme {
        tera,
        fingerprint,
        statics,
        template_files,
    };
    *cache = Some(theme.clone());
    Some(theme)
}

/// The built-in theme's templates and static files.
fn default_files() -> (Templates, BTreeMap<String, StaticFile>) {
    let templates = DEFAULT_TEMPLATES
        .iter()
        .map(|&(n, src)| {
            (
                n.to_string(),
                (format!("(built-in theme) templates/{n}"), src.to_string()),
            )
        })
        .collect();
    let statics = DEFAULT_STATIC
        .iter()
        .map(|&(n, bytes)| (n.to_string(), StaticFile::Builtin(bytes)))
        .collect();
    (templates, statics)
}

/// Puts the templates and static files of the theme folder `dir` (theme `name`)
/// in place of the default ones of the same name.
fn add_theme_folder(
    dir: &Path,
    name: &str,
    templates: &mut Templates,
    statics: &mut BTreeMap<String, StaticFile>,
    diagnostics: &mut Diagnostics,
) {
    for (rel, path) in files_under(&dir.join("templates")) {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                templates.insert(
                    rel.clone(),
                    (format!("themes/{name}/templates/{rel}"), text),
                );
            }
            Err(e) => diagnostics.push(Diagnostic::new(
                Code::E0506,
                tr!(
                    "cannot read themes/{}/templates/{}: {}",
                    "读不了 themes/{}/templates/{}：{}",
                    name,
                    rel,
                    e
                ),
            )),
        }
    }
    for (rel, path) in files_under(&dir.join("static")) {
        statics.insert(rel, StaticFile::File(path));
    }
}

/// A hash of every template's name and source.
fn fingerprint(templates: &Templates) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    for (name, (_, text)) in templates {
        (name, text).hash(&mut hasher);
    }
    hasher.finish()
}

/// The templates compiled together; `None` when one does not parse or compile.
fn compile(
    templates: &Templates,
    template_files: &BTreeMap<String, FileId>,
    diagnostics: &mut Diagnostics,
) -> Option<tera::Tera> {
    // Each template on its own first, so every syntax error is reported, not just one.
    let mut broken = false;
    for (name, (_, text)) in templates {
        let mut scratch = tera::Tera::new();
        let Err(e) = scratch.add_raw_template(name, text) else {
            continue;
        };
        if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
            diagnostics.push(template_diagnostic(&e, name, template_files));
            broken = true;
        }
    }
    if broken {
        return None;
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html"]);
    if let Err(e) =
        tera.add_raw_templates(templates.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
    {
        diagnostics.push(template_diagnostic(&e, "", template_files));
        return None;
    }
    Some(tera)
}

fn template_diagnostic(
    error: &tera::Error,
    template: &str,
    files: &BTreeMap<String, FileId>,
) -> Diagnostic {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                template
            } else {
                report.filename()
            };
            let d = Diagnostic::new(
                Code::E0507,
                tr!("template error: {}", "模板错误：{}", report.message()),
            );
            match files.get(name) {
                Some(&file) => d.at(file, report.span().range.clone()),
                None => d.with_help(tr!("in template `{}`", "出错的模板：`{}`", name)),
            }
        }
        _ => {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(inner) = source {
                message.push_str(&format!(": {inner}"));
                source = inner.source();
            }
            let d = Diagnostic::new(
                Code::E0507,
                tr!("template error: {}", "模板错误：{}", message),
            );
            match files.get(template) {
                Some(&file) => d.in_file(file),
                None => d,
            }
        }
    }
}

/// Files under `dir`, as (`/`-separated path relative to `dir`, full path), sorted.
fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::ignore::is_ignored_name(&e.file_name().to_string_lossy())
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (rel, e.path().to_path_buf())
        })
        .collect()
}
