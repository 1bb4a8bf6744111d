//! `handbook lsp`: the real binary on a copy of a fixture, spoken to in JSON-RPC
//! over its stdin and stdout, as an editor does. Every wait is bounded.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::Handbook;

const WAIT: Duration = Duration::from_secs(20);

/// The server, and what it has said that no one has asked for yet.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications read while waiting for something else.
    notes: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(handbook: &Handbook) -> Self {
        Self::start_with(handbook, true)
    }

    /// The server started with `--root`, or (not `root_arg`) in another folder,
    /// finding the handbook from the editor's workspace folder.
    fn start_with(handbook: &Handbook, root_arg: bool) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_handbook"));
        // The messages in English, as `check` gives them with the same setting.
        command.arg("lsp").env("HANDBOOK_LANG", "en");
        if root_arg {
            command.arg("--root").arg(handbook.root());
        } else {
            command.current_dir(std::env::temp_dir());
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start handbook lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            notes: Vec::new(),
            next_id: 1,
        };
        // The workspace folder is `content/`: the handbook is the folder above.
        let folder = url(&handbook.path("content"));
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": folder,
                "workspaceFolders": [{"uri": folder, "name": "content"}],
                "capabilities": {},
            }),
        );
        assert!(
            init["result"]["capabilities"]["completionProvider"].is_object(),
            "{init}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (the whole message).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + WAIT;
        loop {
            let message = self.next(deadline, method);
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
            if message.get("method").is_some() && message.get("id").is_some() {
                // A request of the server's (registering watchers): answered.
                let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": null});
                self.send(reply);
                continue;
            }
            self.notes.push(message);
        }
    }

    fn next(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        self.messages
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no answer to {waiting_for} within {WAIT:?}"))
    }

    /// Waits for diagnostics of `uri` that `done` accepts; returns them.
    fn diagnostics_until(&mut self, uri: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        let mut last = None;
        loop {
            let notes = std::mem::take(&mut self.notes);
            for note in notes {
                if note["method"] == "textDocument/publishDiagnostics"
                    && note["params"]["uri"] == uri
                {
                    last = Some(note["params"]["diagnostics"].as_array().unwrap().clone());
                }
            }
            if let Some(list) = &last {
                if done(list) {
                    return list.clone();
                }
            }
            if Instant::now() >= deadline {
                panic!("diagnostics of {uri} never as expected; last: {last:?}");
            }
            let message = self.next(deadline, "diagnostics");
            self.notes.push(message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        let doc = json!({"uri": uri, "languageId": "markdown", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    fn at(&mut self, method: &str, uri: &str, line: u32, character: u32, extra: Value) -> Value {
        let mut params = json!({
            "textDocument": {"uri": uri},
            "position": {"line": line, "character": character},
        });
        if let (Some(params), Some(extra)) = (params.as_object_mut(), extra.as_object()) {
            params.extend(extra.clone());
        }
        self.request(method, params)
    }

    /// shutdown, then exit: the server must end on its own, with code 0.
    fn shutdown(mut self) {
        let reply = self.request("shutdown", Value::Null);
        assert!(reply.get("error").is_none(), "{reply}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "server ended with {status}");
                return;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One message: `Content-Length` framing, the body parsed as JSON.
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
    Some(serde_json::from_slice(&body).expect("a JSON body"))
}

/// A file's URI; a file not made yet by its folder's.
fn url(path: &std::path::Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| {
        let folder = path.parent().unwrap().canonicalize().unwrap();
        folder.join(path.file_name().unwrap())
    });
    format!("file://{}", path.display())
}

fn range(value: &Value) -> (u64, u64, u64, u64) {
    let n = |v: &Value| v.as_u64().unwrap();
    (
        n(&value["start"]["line"]),
        n(&value["start"]["character"]),
        n(&value["end"]["line"]),
        n(&value["end"]["character"]),
    )
}

fn labels(reply: &Value) -> Vec<String> {
    let items = match &reply["result"] {
        Value::Array(items) => items.clone(),
        other => other["items"].as_array().cloned().unwrap_or_default(),
    };
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn diagnostics_follow_the_unsaved_text() {
    let handbook = Handbook::copy_of("lsp");
    let mut client = Client::start(&handbook);
    let complaints = url(&handbook.path("content/02-complaints.md"));
    // Published at start, from disk: the broken link on line 8, after Chinese text.
    let list = client.diagnostics_until(&complaints, |d| !d.is_empty());
    assert_eq!(list.len(), 1, "{list:?}");
    assert!(list[0]["message"]
        .as_str()
        .unwrap()
        .contains("@intro#missing"));
    assert_eq!(list[0]["severity"], 1);
    // `见[入门](` is six UTF-16 units (twelve bytes), the link fourteen.
    assert_eq!(range(&list[0]["range"]), (7, 6, 7, 20));

    let text = handbook.read("content/02-complaints.md");
    client.open(&complaints, &text);
    // Fixed in the buffer, by a range: `missing` becomes `tone`.
    client.change(
        &complaints,
        2,
        json!([{
            "range": {"start": {"line": 7, "character": 13}, "end": {"line": 7, "character": 20}},
            "text": "tone",
        }]),
    );
    client.diagnostics_until(&complaints, |d| d.is_empty());
    assert!(
        handbook
            .read("content/02-complaints.md")
            .contains("#missing"),
        "the file on disk is left alone"
    );

    // Broken again with a whole new text, and a second error further down.
    let broken = text.replace("first-visit\n", "first-vist\n");
    client.change(&complaints, 3, json!([{ "text": broken }]));
    let list = client.diagnostics_until(&complaints, |d| d.len() == 2);
    let messages: Vec<&str> = list
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[1].contains("no entry `first-vist`"),
        "{messages:?}"
    );
    assert_eq!(list[1]["code"], "E0404", "the code `check` prints");
    assert!(
        messages[1].contains("help: did you mean `first-visit`?"),
        "{messages:?}"
    );

    // Closed without saving: back to what the disk says.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": complaints}}),
    );
    let list = client.diagnostics_until(&complaints, |d| d.len() == 1);
    assert!(list[0]["message"]
        .as_str()
        .unwrap()
        .contains("@intro#missing"));
    client.shutdown();
}

#[test]
fn a_renamed_heading_flags_the_links_to_it_elsewhere() {
    let handbook = Handbook::copy_of("lsp");
    let mut client = Client::start(&handbook);
    let intro = url(&handbook.path("content/01-intro.md"));
    let greetings = url(&handbook.path("content/phrases/greetings.yaml"));
    let text = handbook.read("content/01-intro.md");
    client.open(&intro, &text);
    // `{#tone}` goes: the table's `see: @intro#tone` breaks, in a file not open.
    client.change(&intro, 2, json!([{ "text": text.replace(" {#tone}", "") }]));
    let list = client.diagnostics_until(&greetings, |d| !d.is_empty());
    assert!(
        list[0]["message"].as_str().unwrap().contains("@intro#tone"),
        "{list:?}"
    );
    client.change(&intro, 3, json!([{ "text": text }]));
    client.diagnostics_until(&greetings, |d| d.is_empty());
    client.shutdown();
}

#[test]
fn completion_offers_ids_anchors_entries_and_keys() {
    let handbook = Handbook::copy_of("lsp");
    let mut client = Client::start(&handbook);
    let intro = url(&handbook.path("content/01-intro.md"));
    let text = handbook.read("content/01-intro.md");
    client.open(
        &intro,
        &(text.clone()
            + "\n见 @\n见 @complaints#\n见 [x](phrases/greetings.yaml#\n见 @%63omplaints#%E8%AF%9A\n"),
    );
    let last = text.lines().count() as u32;

    let ids = labels(&client.at("textDocument/completion", &intro, last + 1, 3, json!({})));
    for id in ["intro", "complaints", "greetings"] {
        assert!(ids.contains(&id.to_string()), "{ids:?}");
    }
    let anchors = labels(&client.at("textDocument/completion", &intro, last + 2, 14, json!({})));
    assert_eq!(anchors, ["投诉处理", "诚恳道歉"]);
    let entries = labels(&client.at("textDocument/completion", &intro, last + 3, 29, json!({})));
    assert_eq!(entries, ["first-visit", "returning"]);
    // Percent-encoded, as a link may be written: the id and the anchor decoded.
    let encoded = labels(&client.at("textDocument/completion", &intro, last + 4, 25, json!({})));
    assert_eq!(encoded, ["诚恳道歉"]);
    // `](#` on the same page: its own anchors.
    client.change(&intro, 2, json!([{ "text": text.clone() + "\n见[x](#" }]));
    let own = labels(&client.at("textDocument/completion", &intro, last + 1, 6, json!({})));
    assert_eq!(own, ["入门", "要点", "tone"]);

    // Inside a ```phrases block: the table's entries; in a dialogue: speakers.
    let complaints = url(&handbook.path("content/02-complaints.md"));
    let text = handbook.read("content/02-complaints.md");
    client.open(&complaints, &text.replace("first-visit\n", "re\n"));
    let line = text.lines().position(|l| l == "first-visit").unwrap() as u32;
    let entries = labels(&client.at("textDocument/completion", &complaints, line, 2, json!({})));
    assert_eq!(entries, ["returning"]);
    let line = text.lines().position(|l| l == "客服：非常抱歉").unwrap() as u32;
    let speakers = labels(&client.at("textDocument/completion", &complaints, line, 0, json!({})));
    assert!(
        speakers.contains(&"客服".to_string()) && speakers.contains(&"买家".to_string()),
        "{speakers:?}"
    );

    // A phrase table: entry keys for its kind, and the values of `kind`.
    let greetings = url(&handbook.path("content/phrases/greetings.yaml"));
    let table = handbook.read("content/phrases/greetings.yaml");
    client.open(
        &greetings,
        &(table.clone() + "    wh\nkind: s\n    see: [\"@comp\n"),
    );
    let last = table.lines().count() as u32;
    // A `see:` value completes like an `@` link.
    let ids = labels(&client.at(
        "textDocument/completion",
        &greetings,
        last + 2,
        16,
        json!({}),
    ));
    assert_eq!(ids, ["complaints"]);
    let keys = labels(&client.at("textDocument/completion", &greetings, last, 6, json!({})));
    assert_eq!(keys, ["why"]);
    let kinds = labels(&client.at(
        "textDocument/completion",
        &greetings,
        last + 1,
        7,
        json!({}),
    ));
    assert_eq!(kinds, ["script", "steps"]);
    client.shutdown();
}

#[test]
fn definition_references_hover_symbols_and_rename() {
    let handbook = Handbook::copy_of("lsp");
    let mut client = Client::start(&handbook);
    let intro = url(&handbook.path("content/01-intro.md"));
    let complaints = url(&handbook.path("content/02-complaints.md"));
    let greetings = url(&handbook.path("content/phrases/greetings.yaml"));

    // `先看[投诉处理](@complaints#诚恳道歉)。` on line 9: the heading in the other file.
    let reply = client.at("textDocument/definition", &intro, 9, 12, json!({}));
    assert_eq!(reply["result"]["uri"], complaints.as_str(), "{reply}");
    assert_eq!(range(&reply["result"]["range"]).0, 9, "{reply}");

    // The embed's entry line: the entry's id in the table.
    let reply = client.at("textDocument/definition", &complaints, 12, 3, json!({}));
    assert_eq!(reply["result"]["uri"], greetings.as_str(), "{reply}");
    assert_eq!(range(&reply["result"]["range"]), (3, 8, 3, 19));

    // A `see:` in the table: the heading `## 语气 {#tone}` in the chapter.
    let reply = client.at("textDocument/definition", &greetings, 7, 14, json!({}));
    assert_eq!(reply["result"]["uri"], intro.as_str(), "{reply}");
    assert_eq!(range(&reply["result"]["range"]).0, 11, "{reply}");

    // References of the heading `## 语气 {#tone}`: the table's `see:`.
    let reply = client.at(
        "textDocument/references",
        &intro,
        11,
        4,
        json!({"context": {"includeDeclaration": false}}),
    );
    let found = reply["result"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{reply}");
    assert_eq!(found[0]["uri"], greetings.as_str());
    // References of the table (from anywhere in it): the embed in complaints.
    let reply = client.at(
        "textDocument/references",
        &greetings,
        0,
        0,
        json!({"context": {"includeDeclaration": false}}),
    );
    let uris: Vec<&str> = reply["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert!(uris.contains(&complaints.as_str()), "{reply}");

    // Hover on the embedded entry: its situation, say and avoid lines.
    let reply = client.at("textDocument/hover", &complaints, 12, 3, json!({}));
    let shown = reply["result"]["contents"]["value"].as_str().unwrap();
    for part in ["新买家进店", "亲，您好！", "有事说事。"] {
        assert!(shown.contains(part), "{shown}");
    }
    // Hover on a chapter link: its title and summary.
    let reply = client.at("textDocument/hover", &complaints, 6, 18, json!({}));
    let shown = reply["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("入门") && shown.contains("新客服第一天要读的内容。"),
        "{shown}"
    );

    // The outline: the H1 with its sections under it; a table's entries.
    let reply = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": intro}}),
    );
    let top = reply["result"].as_array().unwrap();
    assert_eq!(top.len(), 1, "{reply}");
    assert_eq!(top[0]["name"], "入门");
    let children: Vec<&str> = top[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["要点", "语气"]);
    let reply = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": greetings}}),
    );
    let names: Vec<&str> = reply["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["first-visit", "returning"]);

    // Rename the entry `first-visit` from its id in the table: the embed follows.
    let reply = client.at(
        "textDocument/rename",
        &greetings,
        3,
        10,
        json!({"newName": "new-buyer"}),
    );
    let changes = &reply["result"]["changes"];
    assert_eq!(
        changes[greetings.as_str()][0]["newText"],
        "new-buyer",
        "{reply}"
    );
    assert_eq!(
        range(&changes[greetings.as_str()][0]["range"]),
        (3, 8, 3, 19)
    );
    assert_eq!(
        range(&changes[complaints.as_str()][0]["range"]),
        (12, 0, 12, 11),
        "{reply}"
    );

    // Rename a heading's anchor from a link to it: `{#…}` set on the heading.
    let reply = client.at(
        "textDocument/rename",
        &intro,
        9,
        22,
        json!({"newName": "apology"}),
    );
    let changes = &reply["result"]["changes"];
    let at_heading = &changes[complaints.as_str()][0];
    assert_eq!(at_heading["newText"], " {#apology}", "{reply}");
    assert_eq!(range(&at_heading["range"]), (9, 7, 9, 7));
    let at_link = &changes[intro.as_str()][0];
    assert_eq!(at_link["newText"], "apology");
    // `先看[投诉处理](@complaints#`: 21 units before the anchor, 4 in it.
    assert_eq!(range(&at_link["range"]), (9, 21, 9, 25));

    // Rename an anchor the heading sets, from the heading: the quoted `see:`
    // keeps its quotes.
    let reply = client.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": intro}, "position": {"line": 11, "character": 3}}),
    );
    assert_eq!(reply["result"]["placeholder"], "tone", "{reply}");
    let reply = client.at(
        "textDocument/rename",
        &intro,
        11,
        3,
        json!({"newName": "voice"}),
    );
    let changes = &reply["result"]["changes"];
    assert_eq!(
        range(&changes[intro.as_str()][0]["range"]),
        (11, 8, 11, 12),
        "{reply}"
    );
    let in_table = &changes[greetings.as_str()][0];
    assert_eq!(range(&in_table["range"]), (7, 18, 7, 22), "{reply}");
    assert_eq!(in_table["newText"], "voice");
    // A name taken on the page, or one no link can hold, is refused.
    for (name, why) in [("要点", "already taken"), ("a b", "cannot be an anchor")] {
        let reply = client.at(
            "textDocument/rename",
            &intro,
            11,
            3,
            json!({ "newName": name }),
        );
        let message = reply["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(why), "{name}: {reply}");
    }
    client.shutdown();
}

#[test]
fn handbook_yaml_as_typed_and_files_changed_on_disk() {
    let handbook = Handbook::copy_of("lsp");
    let mut client = Client::start(&handbook);
    let config = url(&handbook.path("content/handbook.yaml"));
    let text = handbook.read("content/handbook.yaml");
    client.open(&config, &text);
    let last = text.lines().count();
    // Typed in two steps, two changes in one notification.
    client.change(
        &config,
        2,
        json!([
            {"range": {"start": {"line": last, "character": 0}, "end": {"line": last, "character": 0}}, "text": "col"},
            {"range": {"start": {"line": last, "character": 3}, "end": {"line": last, "character": 3}}, "text": "our: red\n"},
        ]),
    );
    let list = client.diagnostics_until(&config, |d| !d.is_empty());
    let message = list[0]["message"].as_str().unwrap();
    assert!(
        message.contains("unknown key `colour` in handbook.yaml"),
        "{message}"
    );
    assert!(message.contains("help: known keys: title"), "{message}");
    assert_eq!(range(&list[0]["range"]), (last as u64, 0, last as u64, 6));
    // Key completion in handbook.yaml.
    client.change(&config, 3, json!([{ "text": text.clone() + "lang" }]));
    let keys = labels(&client.at(
        "textDocument/completion",
        &config,
        last as u32,
        4,
        json!({}),
    ));
    assert_eq!(keys, ["language"]);
    client.change(&config, 4, json!([{ "text": text }]));
    client.diagnostics_until(&config, |d| d.is_empty());

    // A file not open changes on disk: the editor says so, the server reads it.
    let greetings = url(&handbook.path("content/phrases/greetings.yaml"));
    let intro = handbook.read("content/01-intro.md");
    handbook.write("content/01-intro.md", &intro.replace(" {#tone}", ""));
    let changed = url(&handbook.path("content/01-intro.md"));
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": changed, "type": 2}]}),
    );
    let list = client.diagnostics_until(&greetings, |d| !d.is_empty());
    assert!(
        list[0]["message"].as_str().unwrap().contains("@intro#tone"),
        "{list:?}"
    );

    // Relative paths complete in a link's destination, from the chapter's folder.
    let complaints = url(&handbook.path("content/02-complaints.md"));
    let text = handbook.read("content/02-complaints.md");
    client.open(&complaints, &(text.clone() + "[x](\n"));
    let line = text.lines().count() as u32;
    let paths = labels(&client.at("textDocument/completion", &complaints, line, 4, json!({})));
    assert_eq!(paths, ["01-intro.md", "phrases/greetings.yaml"]);
    client.shutdown();
}

#[test]
fn without_root_the_handbook_is_found_from_the_workspace_folder() {
    let handbook = Handbook::copy_of("lsp");
    let mut client = Client::start_with(&handbook, false);
    let complaints = url(&handbook.path("content/02-complaints.md"));
    let list = client.diagnostics_until(&complaints, |d| !d.is_empty());
    assert!(list[0]["message"]
        .as_str()
        .unwrap()
        .contains("@intro#missing"));
    client.shutdown();
}

#[test]
fn no_handbook_is_an_error_the_editor_shows() {
    let empty = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .env("HANDBOOK_LANG", "en")
        .args(["lsp", "--root"])
        .arg(empty.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}})
    .to_string();
    let mut stdin = child.stdin.take().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, reply) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(read_message(&mut BufReader::new(stdout)));
    });
    let reply = reply
        .recv_timeout(WAIT)
        .expect("an answer")
        .expect("a message");
    let message = reply["error"]["message"].as_str().unwrap();
    assert!(message.contains("no handbook here"), "{reply}");
    drop(stdin);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not end");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(2));
}

#[test]
fn a_file_made_in_the_editor_and_not_saved_is_checked() {
    let handbook = Handbook::copy_of("lsp");
    let mut client = Client::start(&handbook);
    let new = url(&handbook
        .path("content")
        .canonicalize()
        .unwrap()
        .join("03-new.md"));
    client.open(&new, "# 新章\n\n见[入门](@nowhere)。\n");
    let list = client.diagnostics_until(&new, |d| !d.is_empty());
    assert!(
        list[0]["message"].as_str().unwrap().contains("@nowhere"),
        "{list:?}"
    );
    // Typed on, patched in: mended.
    client.change(
        &new,
        2,
        json!([{ "text": "# 新章\n\n见[入门](@intro)。\n" }]),
    );
    client.diagnostics_until(&new, |d| d.is_empty());
    client.change(
        &new,
        3,
        json!([{ "text": "# 新章\n\n见[入门](@intro#x)。\n" }]),
    );
    client.diagnostics_until(&new, |d| d.len() == 1);
    // Its id is known to the others: `@new` completes.
    let intro = url(&handbook.path("content/01-intro.md"));
    let text = handbook.read("content/01-intro.md");
    client.open(&intro, &(text.clone() + "@ne"));
    let line = text.lines().count() as u32;
    let ids = labels(&client.at("textDocument/completion", &intro, line, 3, json!({})));
    assert!(ids.contains(&"new".to_string()), "{ids:?}");
    // Closed without saving: gone, and its diagnostics with it.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": new}}),
    );
    client.diagnostics_until(&new, |d| d.is_empty());
    assert!(!handbook.path("content/03-new.md").exists());
    client.shutdown();
}
