//! `handbook serve`: the output folder over HTTP on a loopback address, with live
//! updates. Served HTML gets a small script (`reload.js`) that listens for
//! server-sent events:
//!
//! - `change` `{"pages": [...], "removed": [...]}` after a good rebuild of content
//!   alone: a tab showing one of `pages` patches what changed in place (a tab on a
//!   removed page reloads, to show the 404 page; the others do nothing). A tab that
//!   connected as `/__handbook/events?page=PATH` gets its page's new version in the
//!   event too (`"html"`, as it would be served), which spares it a request: the
//!   time between a save and the edit on screen is what this server is for.
//!   `pages` names the sidebars' scripts written too (`nav/….js`): a tab whose
//!   sidebar loads one of them loads it again;
//! - `updated` `[...]`: the site-wide pages (index, print version, finder…) rewritten
//!   after that; patched the same way;
//! - `reload`: a change every page may show (the theme, handbook.yaml, a file copied
//!   as it is): every tab reloads;
//! - `css` `[...]`: only these stylesheets changed, swapped without a reload;
//! - `errors` `{"lang", "build", "errors": [...]}`: the failed build's diagnostics,
//!   shown in an overlay over the last good page (see [`ErrorView`]).
//!
//! The files on disk are never touched by this: they stay exactly as `build` writes them.

mod editor;
mod files;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

pub(crate) use editor::parse_editor;

const RELOAD_SCRIPT: &str = include_str!("reload.js");
const EVENTS_PATH: &str = "/__handbook/events";
const SCRIPT_PATH: &str = "/__handbook/reload.js";
/// The longest source excerpt the overlay shows: a longer line (a paragraph is one
/// line in Markdown) is cut around the caret.
const EXCERPT_CHARS: usize = 120;

/// A diagnostic as the overlay shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct ErrorView {
    pub(crate) severity: String,
    /// The stable code, e.g. `E0401`.
    pub(crate) code: String,
    pub(crate) file: Option<String>,
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    /// The source line the terminal report shows, tabs as spaces; a long one cut to
    /// the [`EXCERPT_CHARS`] around the problem, with `…` where it was cut.
    pub(crate) source: Option<String>,
    /// Where the caret goes under `source`: the first character and how many, in
    /// characters (not bytes, not display columns: the overlay lines the caret up
    /// by laying out the same text, whatever the font's widths).
    pub(crate) caret_start: Option<usize>,
    pub(crate) caret_width: Option<usize>,
    /// The link that opens the file at this line in the editor, when `serve
    /// --editor` or `editor_url:` gives a template.
    pub(crate) editor: Option<String>,
    /// The diagnostic's note (`label: file:line:column`), with its own editor link.
    pub(crate) note: Option<NoteView>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct NoteView {
    pub(crate) label: String,
    pub(crate) file: String,
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
    pub(crate) editor: Option<String>,
}

/// A failed build, as the overlay gets it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct FailedBuild {
    /// The overlay's own words: `zh` for a handbook whose `language` is `zh*`, else `en`.
    pub(crate) lang: &'static str,
    /// Counts failed builds: a tab that collapsed the overlay keeps it collapsed
    /// (across pages) until a later build fails.
    pub(crate) build: u64,
    pub(crate) errors: Vec<ErrorView>,
}

/// What the server tells open tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Notice {
    /// Every tab reloads: something every page may show changed.
    Reload,
    /// Only these stylesheets (paths under the site root) changed.
    Css(Vec<String>),
    /// Content alone changed: these pages were rewritten, these removed.
    Pages {
        written: Vec<String>,
        removed: Vec<String>,
    },
    Errors(FailedBuild),
    /// Site-wide pages (index, print version, finder…) were rewritten
    /// after the pages: a tab showing one of them patches it.
    Updated(Vec<String>),
}

#[derive(Serialize)]
struct PagesData<'a> {
    pages: &'a [String],
    removed: &'a [String],
    /// The tab's own page as served now, when it is one of `pages`.
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<String>,
}

impl Notice {
    /// The event for a tab showing `page` (a path under the site root, if it said).
    fn event_for(&self, page: Option<&str>, out: &std::path::Path) -> Event {
        if let (Notice::Pages { written, removed }, Some(page)) = (self, page) {
            if written.iter().any(|p| p == page) {
                let html = served_page(out, page);
                return Event::default().event("change").data(json(&PagesData {
                    pages: written,
                    removed,
                    html,
                }));
            }
        }
        self.event()
    }

    fn event(&self) -> Event {
        match self {
            Notice::Reload => Event::default().event("reload").data("{}"),
            Notice::Css(paths) => Event::default().event("css").data(json(paths)),
            Notice::Pages { written, removed } => {
                Event::default().event("change").data(json(&PagesData {
                    pages: written,
                    removed,
                    html: None,
                }))
            }
            Notice::Errors(failed) => Event::default().event("errors").data(json(failed)),
            Notice::Updated(paths) => Event::default().event("updated").data(json(paths)),
        }
    }
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// What every request handler shares: the folder, and the channel to the tabs.
struct Shared {
    out: PathBuf,
    notices: broadcast::Sender<Notice>,
    /// The last build, if it failed: a tab that connects meanwhile gets its errors
    /// at once.
    current_errors: Mutex<Option<FailedBuild>>,
    /// Failed builds so far, to number them.
    failed_builds: AtomicU64,
    /// For the overlay's links into the editor.
    editor: Editor,
}

/// What the overlay's editor links need: where the handbook is, and the template
/// `serve --editor` gave (it wins over `editor_url:` in handbook.yaml: the person
/// at the keyboard picks the editor, the handbook is shared by a team).
#[derive(Debug, Clone, Default)]
pub(crate) struct Editor {
    /// The handbook folder, absolute: the links open files by absolute path.
    pub(crate) root: PathBuf,
    pub(crate) template: Option<String>,
}

/// The handle the rebuild loop uses to tell tabs what happened.
#[derive(Clone)]
pub(crate) struct Notifier {
    shared: Arc<Shared>,
}

impl Notifier {
    pub(crate) fn send(&self, notice: Notice) {
        let mut current = self
            .shared
            .current_errors
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *current = match &notice {
            Notice::Errors(failed) => Some(failed.clone()),
            Notice::Updated(_) => current.take(),
            _ => None,
        };
        // No tab listening is fine.
        let _ = self.shared.notices.send(notice);
    }

    /// The notice of a build that failed with `checked`'s diagnostics.
    pub(crate) fn failed(&self, checked: &crate::pipeline::Checked) -> Notice {
        let build = self.shared.failed_builds.fetch_add(1, Ordering::Relaxed) + 1;
        Notice::Errors(failed_build(checked, &self.shared.editor, build))
    }
}

/// `checked`'s diagnostics for the overlay, in the handbook's language.
pub(crate) fn failed_build(
    checked: &crate::pipeline::Checked,
    editor: &Editor,
    build: u64,
) -> FailedBuild {
    let config = &checked.handbook.config;
    let template = editor.template.as_deref().or(config.editor_url.as_deref());
    FailedBuild {
        lang: overlay_language(checked.lang()),
        build,
        errors: error_views(
            &checked.diagnostics,
            &checked.sources,
            checked.lang(),
            template.map(|t| (t, editor.root.as_path())),
        ),
    }
}

/// The overlay's own words in the language its messages are in (`--lang`,
/// `HANDBOOK_LANG`, else the handbook's `language`).
pub(crate) fn overlay_language(lang: crate::diag::Lang) -> &'static str {
    match lang {
        crate::diag::Lang::Zh => "zh",
        crate::diag::Lang::En => "en",
    }
}

/// A running server.
pub(crate) struct Server {
    pub(crate) address: SocketAddr,
    pub(crate) notifier: Notifier,
    // The runtime lives as long as the server.
    _runtime: tokio::runtime::Runtime,
}

/// Binds `bind:port`, or, when no port was asked for, the first free port from 3000.
pub(crate) fn bind(bind: IpAddr, port: Option<u16>) -> std::io::Result<TcpListener> {
    match port {
        Some(port) => TcpListener::bind((bind, port)),
        None => {
            let mut last = None;
            for port in 3000..=3100 {
                match TcpListener::bind((bind, port)) {
                    Ok(listener) => return Ok(listener),
                    Err(e) => last = Some(e),
                }
            }
            Err(last.unwrap_or_else(|| std::io::Error::other("no free port")))
        }
    }
}

/// Starts serving `out` on `listener` in background threads.
pub(crate) fn start(
    listener: TcpListener,
    out: PathBuf,
    editor: Editor,
) -> std::io::Result<Server> {
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("handbook-serve")
        .enable_all()
        .build()?;
    let (notices, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        out,
        notices,
        current_errors: Mutex::new(None),
        failed_builds: AtomicU64::new(0),
        editor,
    });
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(reload_script))
        .fallback(serve_file)
        .with_state(shared.clone());
    let listener = runtime.block_on(async { tokio::net::TcpListener::from_std(listener) })?;
    runtime.spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            let lang = crate::diag::Lang::chosen(None);
            let stopped =
                crate::diag::tr!("error: the server stopped: {}", "错误: 服务器停止了：{}", e);
            eprintln!("{}", stopped.get(lang));
        }
    });
    Ok(Server {
        address,
        notifier: Notifier { shared },
        _runtime: runtime,
    })
}

/// The HTML page at `page` (under the site root) as `serve_file` answers it, if it
/// is one. Read on the server's thread: a page is some tens of kilobytes, just
/// written, so in memory.
fn served_page(out: &std::path::Path, page: &str) -> Option<String> {
    match files::lookup(out, &format!("/{page}")) {
        files::Lookup::Found(file) if file.content_type.starts_with("text/html") => {
            String::from_utf8(files::inject_script(file.bytes, SCRIPT_PATH)).ok()
        }
        _ => None,
    }
}

/// The `page` a tab names in the events' URL, decoded.
fn page_of(uri: &Uri) -> Option<String> {
    uri.query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))
        .map(|value| crate::text::links::percent_decode(&value.replace('+', " ")))
        .filter(|page| !page.is_empty())
}

async fn events(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let page = page_of(&uri);
    let out = shared.out.clone();
    let receiver = shared.notices.subscribe();
    let current = shared
        .current_errors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let first = current.map(|errors| Notice::Errors(errors).event());
    let hello = Event::default().event("hello").data("{}");
    let stream = tokio_stream::iter([Some(hello), first].into_iter().flatten().map(Ok)).chain(
        BroadcastStream::new(receiver)
            .filter_map(move |notice| notice.ok().map(|n| Ok(n.event_for(page.as_deref(), &out)))),
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn reload_script() -> Response {
    let mut response = RELOAD_SCRIPT.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    response
}

async fn serve_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let out = shared.out.clone();
    let path = uri.path().to_string();
    let found = tokio::task::spawn_blocking(move || files::lookup(&out, &path)).await;
    let (status, file) = match found {
        Ok(files::Lookup::Found(file)) => (StatusCode::OK, Some(file)),
        Ok(files::Lookup::Redirect(location)) => {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(&location) {
                headers.insert(header::LOCATION, value);
            }
            return (StatusCode::MOVED_PERMANENTLY, headers).into_response();
        }
        Ok(files::Lookup::Forbidden) => return StatusCode::FORBIDDEN.into_response(),
        Ok(files::Lookup::NotFound(page)) => (StatusCode::NOT_FOUND, page),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let Some(file) = file else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mut body = file.bytes;
    if file.content_type.starts_with("text/html") {
        body = files::inject_script(body, SCRIPT_PATH);
    }
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    // Every request sees the latest build.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if method == Method::HEAD {
        *response.body_mut() = axum::body::Body::empty();
    }
    response
}

/// The diagnostics of a failed build, for the overlay, their texts in `lang`;
/// `editor` is the URL template and the handbook folder its paths are under.
pub(crate) fn error_views(
    diagnostics: &crate::diag::Diagnostics,
    sources: &crate::diag::Sources,
    lang: crate::diag::Lang,
    editor: Option<(&str, &std::path::Path)>,
) -> Vec<ErrorView> {
    let link = |file: &crate::diag::SourceFile, position: Option<(usize, usize)>| {
        let (template, root) = editor?;
        let (line, column) = position.unwrap_or((1, 1));
        Some(editor::link(template, &root.join(&file.path), line, column))
    };
    diagnostics
        .iter()
        .map(|d| {
            let file = d.location.as_ref().map(|l| sources.get(l.file));
            let span = d.location.as_ref().and_then(|l| l.span.clone());
            let position = match (file, &span) {
                (Some(f), Some(span)) => Some(f.line_col(span.start)),
                _ => None,
            };
            let excerpt = match (file, &span) {
                (Some(f), Some(span)) => Some(excerpt(f, span.clone())),
                _ => None,
            };
            let note = d.note(lang).map(|(label, location)| {
                let file = sources.get(location.file);
                let position = location.span.as_ref().map(|s| file.line_col(s.start));
                NoteView {
                    label: label.to_string(),
                    file: file.path.clone(),
                    line: position.map(|p| p.0),
                    column: position.map(|p| p.1),
                    editor: link(file, position),
                }
            });
            ErrorView {
                severity: match d.severity {
                    crate::diag::Severity::Error => "error".into(),
                    crate::diag::Severity::Warning => "warning".into(),
                },
                file: file.map(|f| f.path.clone()),
                line: position.map(|p| p.0),
                column: position.map(|p| p.1),
                code: d.code().to_string(),
                message: d.message(lang).to_string(),
                help: d.help(lang).map(str::to_string),
                editor: file.and_then(|f| link(f, position)),
                source: excerpt.as_ref().map(|e| e.text.clone()),
                caret_start: excerpt.as_ref().map(|e| e.caret_start),
                caret_width: excerpt.as_ref().map(|e| e.caret_width),
                note,
            }
        })
        .collect()
}

/// A source line with the caret's place, in characters.
struct Excerpt {
    text: String,
    caret_start: usize,
    caret_width: usize,
}

/// The line `span` starts on and where under it the caret goes, as the terminal
/// report draws it (`diag/report.rs`): from the span's start to its end on that
/// line, at least one character (a span at the end of a line puts the caret just
/// after it).
fn excerpt(file: &crate::diag::SourceFile, span: std::ops::Range<usize>) -> Excerpt {
    let (line, _) = file.line_col(span.start);
    let range = file.line_range(line);
    let text = &file.text[range.clone()];
    let start = floor_boundary(text, span.start.clamp(range.start, range.end) - range.start);
    let end = floor_boundary(text, span.end.clamp(range.start, range.end) - range.start);
    let end = end.max(start);
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let caret_start = text[..start].chars().count();
    let caret_width = text[start..end].chars().count().max(1);
    // A long line: the part around the caret, cut at both ends if need be.
    let from = caret_start.saturating_sub(EXCERPT_CHARS / 3);
    let to = chars
        .len()
        .min(from + EXCERPT_CHARS)
        .max(caret_start.min(chars.len()));
    let mut shown: String = chars[from..to].iter().collect();
    let mut caret_start = caret_start - from;
    if from > 0 {
        shown.insert(0, '…');
        caret_start += 1;
    }
    if to < chars.len() {
        shown.push('…');
    }
    let room = shown.chars().count().saturating_sub(caret_start).max(1);
    Excerpt {
        text: shown,
        caret_start,
        caret_width: caret_width.min(room),
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/a.md".into(), Arc::from(text))
    }

    fn marked(e: &Excerpt) -> String {
        e.text
            .chars()
            .skip(e.caret_start)
            .take(e.caret_width)
            .collect()
    }

    #[test]
    fn the_excerpt_marks_the_span_in_characters() {
        let text = "标题\n\t见[链接](@nowhere)。\n";
        let f = file(text);
        let start = text.find("(@").unwrap() + 1;
        let e = excerpt(&f, start..start + "@nowhere".len());
        assert_eq!(
            e.text, " 见[链接](@nowhere)。",
            "a tab is a space, as in the terminal"
        );
        assert_eq!(marked(&e), "@nowhere");
        // A span that runs past the line stops at its end; an empty one at the end
        // of a line puts one caret after it.
        let e = excerpt(&f, start..text.len());
        assert_eq!(marked(&e), "@nowhere)。");
        let end = text.find("。\n").unwrap() + "。".len();
        let e = excerpt(&f, end..end);
        assert_eq!((e.caret_start, e.caret_width), (e.text.chars().count(), 1));
    }

    #[test]
    fn a_long_line_is_cut_around_the_caret() {
        let text = format!("{}[坏](@x){}", "甲".repeat(300), "乙".repeat(300));
        let f = file(&text);
        let start = text.find("(@x)").unwrap() + 1;
        let e = excerpt(&f, start..start + 2);
        assert!(
            e.text.starts_with('…') && e.text.ends_with('…'),
            "{}",
            e.text
        );
        assert!(e.text.chars().count() <= EXCERPT_CHARS + 2);
        assert_eq!(marked(&e), "@x");
    }

    #[test]
    fn the_overlay_gets_the_code_and_the_texts_in_the_language_asked() {
        use crate::diag::{tr, Code, Diagnostic, Diagnostics, Lang, Sources};
        let mut sources = Sources::new();
        let text = "# 入门\n\n见[投诉](@complaint)。\n";
        let file = sources.add("content/a.md", text);
        let start = text.find('@').unwrap();
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(
            Diagnostic::new(Code::E0401, tr!("broken link", "链接无效"))
                .at(file, start..start + 10)
                .with_help(tr!(
                    "did you mean `@complaints`?",
                    "是不是想写 `@complaints`？"
                )),
        );
        let views = error_views(&diagnostics, &sources, Lang::Zh, None);
        let view = &views[0];
        assert_eq!(views.len(), 1);
        assert_eq!(
            (
                view.severity.as_str(),
                view.code.as_str(),
                view.file.as_deref()
            ),
            ("error", "E0401", Some("content/a.md"))
        );
        assert_eq!((view.line, view.column), (Some(3), Some(7)));
        assert_eq!(view.message, "链接无效");
        assert_eq!(view.help.as_deref(), Some("是不是想写 `@complaints`？"));
        assert_eq!(view.source.as_deref(), Some("见[投诉](@complaint)。"));
        assert!(view.editor.is_none());
        assert_eq!(
            error_views(&diagnostics, &sources, Lang::En, None)[0].message,
            "broken link"
        );
    }

    #[test]
    fn the_overlay_speaks_the_language_of_the_messages() {
        assert_eq!(overlay_language(crate::diag::Lang::Zh), "zh");
        assert_eq!(overlay_language(crate::diag::Lang::En), "en");
    }
}
