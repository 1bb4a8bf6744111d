//! The language server's latency: `handbook lsp` started on a handbook, spoken to
//! over its stdio as an editor does (Content-Length framing, JSON bodies).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(120);

struct Server {
    stdin: ChildStdin,
    messages: Receiver<(Value, Instant)>,
    next_id: i64,
}

impl Server {
    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The first message `wanted` accepts, and when it arrived.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Instant {
        loop {
            let (message, at) = self
                .messages
                .recv_timeout(WAIT)
                .expect("the server answered in time");
            if wanted(&message) {
                return at;
            }
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A position in `text` at byte `offset`, in UTF-16 units as LSP counts them.
fn position(text: &str, offset: usize) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    let character = text[line_start..offset].encode_utf16().count();
    json!({"line": line, "character": character})
}

/// Keystrokes in the first chapter of the first part: those that break and mend a
/// link (timed to their diagnostics) and those in prose (timed to the answer of a
/// request sent after each), `count` of each.
pub(crate) fn keystrokes(
    binary: &Path,
    root: &Path,
    count: usize,
) -> Vec<(&'static str, Vec<Duration>)> {
    let root = root.canonicalize().unwrap();
    let mut child = Command::new(binary)
        .args(["lsp", "--root"])
        .arg(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start handbook lsp");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, messages) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        while let Some(message) = read_message(&mut reader) {
            if send.send((message, Instant::now())).is_err() {
                break;
            }
        }
    });
    let mut server = Server {
        stdin,
        messages,
        next_id: 1,
    };
    let started = Instant::now();
    let id = server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    server.wait_for(|m| m["id"] == id);
    println!(
        "{:>8} initialized (handbook checked) in {:.2?}",
        "",
        started.elapsed()
    );
    server.notify("initialized", json!({}));

    let chapter = std::fs::read_dir(root.join("content/0000-part"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .min()
        .expect("a chapter");
    let uri = format!("file://{}", chapter.display());
    let mut text = std::fs::read_to_string(&chapter).unwrap();
    let doc = json!({"uri": uri, "languageId": "markdown", "version": 1, "text": text});
    server.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    let mut version = 1;

    // After the `#` of the first link to a heading: a letter there breaks it.
    let link = text.find("](@").expect("a link in the chapter");
    let hash = link + text[link..].find('#').expect("a link to a heading");
    let at = position(&text, hash + 1);
    let is_diagnostics = |uri: &str, m: &Value| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    };
    let mut links = Vec::new();
    for n in 0..count {
        std::thread::sleep(Duration::from_millis(30));
        version += 1;
        let (change, broken) = if n % 2 == 0 {
            (
                json!({"range": {"start": at, "end": at}, "text": "x"}),
                true,
            )
        } else {
            let end =
                json!({"line": at["line"], "character": at["character"].as_u64().unwrap() + 1});
            (
                json!({"range": {"start": at, "end": end}, "text": ""}),
                false,
            )
        };
        let params =
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]});
        let sent = Instant::now();
        server.notify("textDocument/didChange", params);
        let arrived = server.wait_for(|m| {
            is_diagnostics(&uri, m)
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.is_empty() != broken)
        });
        links.push(arrived.duration_since(sent));
    }

    // Typing at the end of the text, each keystroke followed by a request.
    let mut prose = Vec::new();
    for n in 0..count {
        std::thread::sleep(Duration::from_millis(30));
        version += 1;
        let end = position(&text, text.len());
        let typed = if n % 2 == 0 { "好" } else { "。" };
        text.push_str(typed);
        let change = json!({"range": {"start": end, "end": end}, "text": typed});
        let params =
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]});
        let sent = Instant::now();
        server.notify("textDocument/didChange", params);
        let id = server.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        let answered = server.wait_for(|m| m["id"] == id);
        prose.push(answered.duration_since(sent));
    }

    // Typing in a phrase table: the whole handbook is checked again (with the
    // load cache: only that table read and parsed again).
    let table = root.join("content/phrases/t00000.yaml");
    let table_uri = format!("file://{}", table.display());
    let mut table_text = std::fs::read_to_string(&table).unwrap();
    let doc = json!({"uri": table_uri, "languageId": "yaml", "version": 1, "text": table_text});
    server.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    let why = table_text.find("why: ").expect("a why line") + "why: ".len();
    let mut tables = Vec::new();
    for n in 0..count.min(10) {
        std::thread::sleep(Duration::from_millis(30));
        version += 1;
        let at = position(&table_text, why);
        let typed = if n % 2 == 0 { "好" } else { "的" };
        table_text.insert_str(why, typed);
        let change = json!({"range": {"start": at, "end": at}, "text": typed});
        let params = json!({"textDocument": {"uri": table_uri, "version": version}, "contentChanges": [change]});
        let sent = Instant::now();
        server.notify("textDocument/didChange", params);
        let id = server.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": table_uri}}),
        );
        let answered = server.wait_for(|m| m["id"] == id);
        tables.push(answered.duration_since(sent));
    }

    let id = server.request("shutdown", Value::Null);
    server.wait_for(|m| m["id"] == id);
    server.notify("exit", Value::Null);
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    vec![
        ("link broken / mended", links),
        ("prose, then a request", prose),
        ("phrase table, then a request", tables),
    ]
}
