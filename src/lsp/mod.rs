//! `handbook lsp`: a language server (LSP 3.17 over stdio) that keeps the handbook
//! checked in memory, with the editor's unsaved texts in place of the files, and
//! answers from it: diagnostics as you type, completion, definition, references,
//! hover, the outline and renames.
//!
//! It sits on top of the stages like `live/`: it loads and resolves through them
//! ([`workspace`]), patching the checked handbook after an edit of a chapter's
//! text as watch mode does ([`crate::patch`]). Messages are handled one at a time
//! on this thread; whatever has arrived meanwhile is taken in before checking
//! again, so a burst of keystrokes costs one check, and a request is answered from
//! a handbook checked with every change sent before it.

mod complete;
mod convert;
mod locate;
mod navigate;
mod rename;
mod workspace;

use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest, PrepareRenameRequest,
    References, RegisterCapability, Rename, Request as _,
};
use lsp_types::{
    CompletionList, CompletionOptions, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher,
    GlobPattern, InitializeParams, OneOf, Position, Registration, RegistrationParams,
    RenameOptions, SaveOptions, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
};
use serde_json::Value;

use crate::diag::tr;
use crate::load::LoadOptions;
use crate::model::PageRef;
use crate::pipeline::Fatal;
use workspace::Workspace;

/// Runs the server on stdin and stdout until the editor says `exit`. `root` is
/// the handbook folder; without one, the editor's workspace folder (or, failing
/// that, the working folder) or the nearest folder above it holding `content/`.
pub(crate) fn run(root: Option<&Path>, options: LoadOptions) -> Result<u8, Fatal> {
    let (connection, io_threads) = Connection::stdio();
    let io = |e: lsp_server::ProtocolError| {
        Fatal::Usage(tr!("language server: {}", "语言服务器：{}", e))
    };
    let (id, params) = connection.initialize_start().map_err(io)?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| {
        Fatal::Usage(tr!(
            "language server: bad initialize request: {}",
            "语言服务器：initialize 请求有误：{}",
            e
        ))
    })?;
    let root = match root {
        Some(root) => root.to_path_buf(),
        None => find_root(&params),
    };
    let mut ws = match Workspace::new(&root, options) {
        Ok(ws) => ws,
        Err(fatal) => {
            let error = Response::new_err(id, ErrorCode::RequestFailed as i32, fatal.to_string());
            let _ = connection.sender.send(error.into());
            drop(connection);
            let _ = io_threads.join();
            return Err(fatal);
        }
    };
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "handbook", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).map_err(io)?;
    watch_files(&connection, &params, ws.root());
    let mut server = Server {
        connection: &connection,
        ws: &mut ws,
    };
    for publish in server.ws.publish_first() {
        server.notify::<PublishDiagnostics>(publish);
    }
    let outcome = server.serve();
    drop(connection);
    io_threads
        .join()
        .map_err(|e| Fatal::Usage(tr!("language server: {}", "语言服务器：{}", e)))?;
    outcome.map(|()| 0)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                ["@", "#", "(", "/", " "]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            ),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        ..ServerCapabilities::default()
    }
}

/// The handbook folder of the editor's workspace: its first folder, or the
/// working folder, or the nearest folder above either that holds `content/`.
#[allow(deprecated)] // `root_uri`: older editors send only that
fn find_root(params: &InitializeParams) -> PathBuf {
    let from_editor = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|f| f.uri.clone())
        .or_else(|| params.root_uri.clone())
        .and_then(|uri| uri.to_file_path().ok());
    let start = from_editor
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    start
        .ancestors()
        .find(|dir| dir.join("content").is_dir())
        .map_or(start.clone(), Path::to_path_buf)
}

/// Asks the editor to report changes to files under `content/` (a file made,
/// deleted or changed by anything but the editor's buffers), if it can.
fn watch_files(connection: &Connection, params: &InitializeParams, root: &Path) {
    let dynamic = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    if !dynamic {
        return;
    }
    let pattern = format!("{}/content/**/*", root.display());
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String(pattern),
            kind: None,
        }],
    };
    let params = RegistrationParams {
        registrations: vec![Registration {
            id: "handbook-content".into(),
            method: DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(options).ok(),
        }],
    };
    let request = Request::new(
        RequestId::from("register-watchers".to_string()),
        RegisterCapability::METHOD.into(),
        params,
    );
    let _ = connection.sender.send(request.into());
}

struct Server<'a> {
    connection: &'a Connection,
    ws: &'a mut Workspace,
}

impl Server<'_> {
    /// Handles messages until `exit`.
    fn serve(&mut self) -> Result<(), Fatal> {
        let receiver = self.connection.receiver.clone();
        while let Ok(message) = receiver.recv() {
            if self.handle(message)? {
                return Ok(());
            }
            // Take in what arrived meanwhile, then check once for all of it.
            while let Ok(message) = receiver.try_recv() {
                if self.handle(message)? {
                    return Ok(());
                }
            }
            self.check();
        }
        Ok(())
    }

    /// Checks what changed and publishes the diagnostics that differ.
    fn check(&mut self) {
        for publish in self.ws.refresh() {
            self.notify::<PublishDiagnostics>(publish);
        }
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        let _ = self
            .connection
            .sender
            .send(Notification::new(N::METHOD.into(), params).into());
    }

    /// One message; true when it was the last (shutdown done, `exit` came).
    fn handle(&mut self, message: Message) -> Result<bool, Fatal> {
        match message {
            Message::Request(request) => {
                let shutdown = self
                    .connection
                    .handle_shutdown(&request)
                    .map_err(|e| Fatal::Usage(tr!("language server: {}", "语言服务器：{}", e)))?;
                if shutdown {
                    return Ok(true);
                }
                self.check();
                let response = self.answer(request);
                let _ = self.connection.sender.send(response.into());
            }
            Message::Notification(notification) => self.notice(notification),
            Message::Response(_) => {}
        }
        Ok(false)
    }

    fn notice(&mut self, n: Notification) {
        let ws = &mut *self.ws;
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    ws.did_open(p.text_document.uri, p.text_document.text);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) {
                    ws.did_change(&p.text_document.uri, p.content_changes);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    n.extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    ws.did_close(&p.text_document.uri);
                }
            }
            DidSaveTextDocument::METHOD => {}
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = n.extract::<lsp_types::DidChangeWatchedFilesParams>(
                    DidChangeWatchedFiles::METHOD,
                ) {
                    for change in p.changes {
                        ws.changed_on_disk(&change.uri);
                    }
                }
            }
            _ => {}
        }
    }

    /// The response to a request (the handbook checked with every change before it).
    fn answer(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match self.result(request) {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn result(&mut self, request: Request) -> Result<Value, (ErrorCode, String)> {
        let params = request.params;
        let failed = |e: String| (ErrorCode::RequestFailed, e);
        match request.method.as_str() {
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = parse(params)?;
                json(&self.completion(&p.text_document_position))
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = parse(params)?;
                self.at(&p.text_document_position_params, |ws, page, offset| {
                    json(&navigate::definition(ws, page, offset))
                })
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = parse(params)?;
                let with_declaration = p.context.include_declaration;
                self.at(&p.text_document_position, |ws, page, offset| {
                    json(&navigate::references(ws, page, offset, with_declaration))
                })
            }
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = parse(params)?;
                self.at(&p.text_document_position_params, |ws, page, offset| {
                    json(&navigate::hover(ws, page, offset))
                })
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = parse(params)?;
                let ws = &*self.ws;
                match ws
                    .rel_path(&p.text_document.uri)
                    .and_then(|rel| ws.page(&rel))
                {
                    Some(page) => json(&navigate::symbols(ws, page)),
                    None => Ok(Value::Null),
                }
            }
            PrepareRenameRequest::METHOD => {
                let p: lsp_types::TextDocumentPositionParams = parse(params)?;
                self.at(&p, |ws, page, offset| {
                    json(&rename::prepare(ws, page, offset).map_err(failed)?)
                })
            }
            Rename::METHOD => {
                let p: lsp_types::RenameParams = parse(params)?;
                let new_name = p.new_name;
                self.at(&p.text_document_position, |ws, page, offset| {
                    json(&rename::rename(ws, page, offset, &new_name).map_err(failed)?)
                })
            }
            other => Err((ErrorCode::MethodNotFound, format!("not supported: {other}"))),
        }
    }

    /// A request about a position in a chapter or table: `answer` with its page
    /// and byte offset; `null` for a file that is neither.
    fn at(
        &self,
        at: &lsp_types::TextDocumentPositionParams,
        answer: impl FnOnce(&Workspace, PageRef, usize) -> Result<Value, (ErrorCode, String)>,
    ) -> Result<Value, (ErrorCode, String)> {
        match self.place(&at.text_document.uri, at.position) {
            Some((page, offset)) => answer(self.ws, page, offset),
            None => Ok(Value::Null),
        }
    }

    /// Completion works in any file under `content/`, a page's or not
    /// (handbook.yaml), from the editor's text of it.
    fn completion(&self, at: &lsp_types::TextDocumentPositionParams) -> Option<CompletionList> {
        let ws = &*self.ws;
        let rel = ws.rel_path(&at.text_document.uri)?;
        let text = match (ws.open_text(&rel), ws.page(&rel)) {
            (Some(text), _) => text.to_string(),
            (None, Some(page)) => ws.source(page).text.to_string(),
            (None, None) => std::fs::read_to_string(ws.root().join("content").join(&rel)).ok()?,
        };
        let offset = convert::offset(&text, at.position);
        Some(complete::complete(ws, &rel, &text, offset))
    }

    /// The page of a file and the byte offset of a position in it, as checked.
    fn place(&self, uri: &Url, at: Position) -> Option<(PageRef, usize)> {
        let page = self.ws.page(&self.ws.rel_path(uri)?)?;
        let offset = convert::offset(&self.ws.source(page).text, at);
        Some((page, offset))
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn json<T: serde::Serialize>(value: &T) -> Result<Value, (ErrorCode, String)> {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}
