//! `handbook serve`: the output folder over HTTP on a loopback address, with live
//! reload. Served HTML gets a small script that listens for server-sent events:
//! `reload` after a good rebuild, `css` when only stylesheets changed, `errors` (the
//! failed build's diagnostics, shown in an overlay over the last good page) and `ok`.
//! The files on disk are never touched by this: they stay exactly as `build` writes them.

mod files;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
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

const RELOAD_SCRIPT: &str = include_str!("reload.js");
const EVENTS_PATH: &str = "/__handbook/events";
const SCRIPT_PATH: &str = "/__handbook/reload.js";

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
}

/// What the server tells open tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Notice {
    Reload,
    /// Only these stylesheets (paths under the site root) changed.
    Css(Vec<String>),
    Errors(Vec<ErrorView>),
    /// Site-wide pages (index, print version, finder…) were rewritten
    /// after the reload: a tab showing one of them reloads.
    Updated(Vec<String>),
}

impl Notice {
    fn event(&self) -> Event {
        match self {
            Notice::Reload => Event::default().event("reload").data("{}"),
            Notice::Css(paths) => Event::default()
                .event("css")
                .data(serde_json::to_string(paths).unwrap_or_default()),
            Notice::Errors(errors) => Event::default()
                .event("errors")
                .data(serde_json::to_string(errors).unwrap_or_default()),
            Notice::Updated(paths) => Event::default()
                .event("updated")
                .data(serde_json::to_string(paths).unwrap_or_default()),
        }
    }
}

/// What every request handler shares: the folder, and the channel to the tabs.
struct Shared {
    out: PathBuf,
    notices: broadcast::Sender<Notice>,
    /// The errors of the last build, if it failed: a tab that connects meanwhile
    /// gets them at once.
    current_errors: Mutex<Option<Vec<ErrorView>>>,
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
            Notice::Errors(errors) => Some(errors.clone()),
            Notice::Updated(_) => current.take(),
            _ => None,
        };
        // No tab listening is fine.
        let _ = self.shared.notices.send(notice);
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
pub(crate) fn start(listener: TcpListener, out: PathBuf) -> std::io::Result<Server> {
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

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.notices.subscribe();
    let current = shared
        .current_errors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let first = current.map(|errors| Notice::Errors(errors).event());
    let hello = Event::default().event("hello").data("{}");
    let stream = tokio_stream::iter([Some(hello), first].into_iter().flatten().map(Ok)).chain(
        BroadcastStream::new(receiver).filter_map(|notice| notice.ok().map(|n| Ok(n.event()))),
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

/// The diagnostics of a failed build, for the overlay, their texts in `lang`.
pub(crate) fn error_views(
    diagnostics: &crate::diag::Diagnostics,
    sources: &crate::diag::Sources,
    lang: crate::diag::Lang,
) -> Vec<ErrorView> {
    diagnostics
        .iter()
        .map(|d| {
            let file = d.location.as_ref().map(|l| sources.get(l.file));
            let position = match (file, d.location.as_ref().and_then(|l| l.span.clone())) {
                (Some(f), Some(span)) => Some(f.line_col(span.start)),
                _ => None,
            };
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
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{tr, Code, Diagnostic, Diagnostics, Lang, Sources};

    #[test]
    fn the_overlay_gets_the_code_and_the_texts_in_the_language_asked() {
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
        let views = error_views(&diagnostics, &sources, Lang::Zh);
        assert_eq!(
            views,
            [ErrorView {
                severity: "error".into(),
                code: "E0401".into(),
                file: Some("content/a.md".into()),
                line: Some(3),
                column: Some(7),
                message: "链接无效".into(),
                help: Some("是不是想写 `@complaints`？".into()),
            }]
        );
        assert_eq!(
            error_views(&diagnostics, &sources, Lang::En)[0].message,
            "broken link"
        );
    }
}
