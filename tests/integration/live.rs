//! `handbook serve` and `handbook watch`: the real binary on a copy of a fixture,
//! on a port the test picks, with every wait bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use crate::support::{read_tree, Handbook};

const WAIT: Duration = Duration::from_secs(10);

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `handbook serve` (or `watch`), stopped when dropped. The fault tests
/// start their servers with it too.
pub(crate) struct Live {
    child: Child,
    lines: Receiver<String>,
    pub(crate) port: u16,
}

impl Live {
    pub(crate) fn serve(hb: &Handbook) -> Live {
        let port = free_port();
        let live = Live::start(hb, &["serve", "--port", &port.to_string()], port);
        live.wait_line("serving", WAIT);
        live
    }

    fn watch(hb: &Handbook) -> Live {
        let live = Live::start(hb, &["watch"], 0);
        live.wait_line("watching", WAIT);
        live
    }

    fn start(hb: &Handbook, args: &[&str], port: u16) -> Live {
        Live::start_in(hb, args, port, hb.root())
    }

    /// Runs in `hb`'s folder with `--root .`, as an editor would type it.
    fn watch_here(hb: &Handbook) -> Live {
        let live = Live::start_in(hb, &["watch"], 0, Path::new("."));
        live.wait_line("watching", WAIT);
        live
    }

    fn start_in(hb: &Handbook, args: &[&str], port: u16, root: &Path) -> Live {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(args)
            .current_dir(hb.root())
            .arg("--root")
            .arg(root)
            .env("NO_COLOR", "1")
            .env("HANDBOOK_LANG", "en")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start handbook");
        let stderr: ChildStderr = child.stderr.take().unwrap();
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Live { child, lines, port }
    }

    /// Waits for a line of standard error containing `needle`; returns it.
    fn wait_line(&self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!(
            "no line with `{needle}` within {within:?}; saw:\n{}",
            seen.join("\n")
        );
    }

    /// Lines of standard error that arrive within `within`.
    fn lines_for(&self, within: Duration) -> Vec<String> {
        let deadline = Instant::now() + within;
        let mut lines = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => lines.push(line),
                Err(_) => break,
            }
        }
        lines
    }

    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        http_get(self.port, path)
    }

    fn page(&self, path: &str) -> String {
        let (status, _, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}");
        String::from_utf8(body).unwrap()
    }

    fn events(&self) -> Events {
        Events::connect(self.port)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A bare HTTP/1.1 GET: status, content type, body.
fn http_get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-type")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default();
    let mut body = response[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, content_type, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// A connected live-reload client: reads server-sent event names as they come.
struct Events {
    names: Receiver<(String, String)>,
}

impl Events {
    fn connect(port: u16) -> Events {
        Events::connect_to(port, "/__handbook/events")
    }

    /// Connects as a tab showing `page` does.
    fn connect_as(port: u16, page: &str) -> Events {
        Events::connect_to(port, &format!("/__handbook/events?page={page}"))
    }

    fn connect_to(port: u16, path: &str) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (sender, names) = channel();
        std::thread::spawn(move || {
            // An event's data may come in several `data:` lines: joined by line
            // breaks, sent at the blank line that ends the event.
            let mut event = String::new();
            let mut data: Option<String> = None;
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_string();
                } else if let Some(more) =
                    line.strip_prefix("data: ").or(line.strip_prefix("data:"))
                {
                    data = Some(match data.take() {
                        Some(before) => format!("{before}\n{more}"),
                        None => more.to_string(),
                    });
                } else if line.is_empty() {
                    if let Some(data) = data.take() {
                        if sender.send((event.clone(), data)).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        let events = Events { names };
        events.expect("hello", WAIT);
        events
    }

    /// Waits for an event called `name`, skipping others; returns its data.
    fn expect(&self, name: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.names.recv_timeout(left) {
                Ok((event, data)) if event == name => return data,
                Ok((event, _)) => seen.push(event),
                Err(_) => break,
            }
        }
        panic!("no `{name}` event within {within:?}; saw {seen:?}");
    }

    /// Waits for an event called one of `names`, skipping others; returns its name
    /// and data.
    fn expect_one_of(&self, names: &[&str], within: Duration) -> (String, String) {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.names.recv_timeout(left) {
                Ok((event, data)) if names.contains(&event.as_str()) => return (event, data),
                Ok((event, _)) => seen.push(event),
                Err(_) => break,
            }
        }
        panic!("no {names:?} event within {within:?}; saw {seen:?}");
    }

    /// Waits for updates (a `change` or a `reload`) until `done` holds: on a busy
    /// machine one save may come as two batches (a delete, then the file again),
    /// each with its update.
    fn reload_until(&self, within: Duration, done: impl Fn() -> bool) {
        let deadline = Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            self.expect_one_of(&["change", "reload"], left);
            if done() {
                return;
            }
        }
        panic!("no reload within {within:?} showed the change");
    }

    /// The events that arrive within `within`.
    fn quiet_for(&self, within: Duration) -> Vec<String> {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.names.recv_timeout(left) {
                Ok((event, _)) => seen.push(event),
                Err(_) => break,
            }
        }
        seen
    }
}

const INTRO: &str = "content/01-basics/01-intro.md";

fn intro_with(text: &str) -> String {
    format!("---\ntitle: 入门\n---\n\n{text}\n\n## 要点 {{#key-points}}\n")
}

#[test]
fn serves_the_site_and_reloads_after_an_edit() {
    let hb = Handbook::copy_of("good");
    let live = Live::serve(&hb);
    let page = live.page("/intro.html");
    // Before the page's own scripts, so it sees the page before they change it.
    let script = page
        .find("<script src=\"/__handbook/reload.js\" defer></script>")
        .expect("the live-update script");
    assert!(script < page.find("<script").unwrap() + 1 && script < page.find("</head>").unwrap());
    assert!(
        !hb.read("public/intro.html").contains("__handbook"),
        "files on disk have no reload script"
    );
    let events = live.events();
    hb.write(INTRO, &intro_with("第一次修改。"));
    let change: serde_json::Value = serde_json::from_str(&events.expect("change", WAIT)).unwrap();
    assert!(
        change["pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "intro.html"),
        "{change}"
    );
    assert_eq!(change["removed"], serde_json::json!([]));
    assert!(live.page("/intro.html").contains("第一次修改。"));
    live.wait_line("rebuilt in", WAIT);
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_and_shows_the_errors() {
    let hb = Handbook::copy_of("good");
    let live = Live::serve(&hb);
    let events = live.events();
    hb.write(INTRO, &intro_with("好的版本。"));
    events.expect("change", WAIT);
    hb.write(INTRO, &intro_with("坏的版本，[链接](@nowhere)。"));
    let failed: serde_json::Value = serde_json::from_str(&events.expect("errors", WAIT)).unwrap();
    assert_eq!(
        failed["lang"], "en",
        "the messages' language: HANDBOOK_LANG=en here"
    );
    assert_eq!(failed["build"], 1);
    let errors = &failed["errors"];
    assert_eq!(errors[0]["file"], INTRO);
    assert_eq!(errors[0]["line"], 5);
    assert_eq!(errors[0]["code"], "E0401");
    assert!(errors[0]["message"].as_str().unwrap().contains("@nowhere"));
    // In the language the server was started with (`HANDBOOK_LANG=en` here).
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("broken link"));
    // The source line and the caret under the link, in characters.
    let source = errors[0]["source"].as_str().unwrap();
    assert_eq!(source, "坏的版本，[链接](@nowhere)。");
    let start = errors[0]["caret_start"].as_u64().unwrap() as usize;
    let width = errors[0]["caret_width"].as_u64().unwrap() as usize;
    let marked: String = source.chars().skip(start).take(width).collect();
    assert!(marked.contains("@nowhere"), "the caret marks {marked:?}");
    assert_eq!(errors[0]["column"].as_u64().unwrap() as usize, start + 1);
    // No editor named: no link.
    assert!(errors[0]["editor"].is_null());
    live.wait_line("rebuild failed", WAIT);
    let page = live.page("/intro.html");
    assert!(page.contains("好的版本。") && !page.contains("坏的版本"));
    // A tab that connects while the build is broken gets the errors at once.
    let late = live.events();
    let again: serde_json::Value = serde_json::from_str(&late.expect("errors", WAIT)).unwrap();
    assert_eq!(again, failed, "the same failed build, numbered the same");
    hb.write(INTRO, &intro_with("修好了。"));
    events.expect("change", WAIT);
    assert!(live.page("/intro.html").contains("修好了。"));
    // The next failure is numbered anew: a collapsed overlay comes back.
    hb.write(INTRO, &intro_with("又坏了，[链接](@gone)。"));
    let next: serde_json::Value = serde_json::from_str(&events.expect("errors", WAIT)).unwrap();
    assert_eq!(next["build"], 2);
}

#[test]
fn every_way_an_editor_saves_gives_a_correct_rebuild() {
    let hb = Handbook::copy_of("good");
    let live = Live::serve(&hb);
    let events = live.events();
    let intro = hb.path(INTRO);

    // Write in place.
    std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&intro)
        .unwrap()
        .write_all(intro_with("就地写入。").as_bytes())
        .unwrap();
    events.expect("change", WAIT);
    assert!(live.page("/intro.html").contains("就地写入。"));

    // Write a temporary file, then rename it over (vim, VS Code, JetBrains).
    let temp = intro.with_file_name("01-intro.md.tmp");
    std::fs::write(&temp, intro_with("改名覆盖。")).unwrap();
    std::fs::rename(&temp, &intro).unwrap();
    events.reload_until(WAIT, || live.page("/intro.html").contains("改名覆盖。"));

    // Delete, then create again.
    std::fs::remove_file(&intro).unwrap();
    std::fs::write(&intro, intro_with("删除后重建。")).unwrap();
    events.reload_until(WAIT, || {
        let (status, _, body) = live.get("/intro.html");
        status == 200 && String::from_utf8_lossy(&body).contains("删除后重建。")
    });

    // A new chapter.
    hb.write("content/01-basics/03-new.md", "# 新章节\n\n新内容。\n");
    events.reload_until(WAIT, || live.get("/new.html").0 == 200);
    assert!(live.page("/new.html").contains("新内容。"));

    // Renamed: the old page is gone, the new one served.
    std::fs::rename(
        hb.path("content/01-basics/03-new.md"),
        hb.path("content/01-basics/03-renamed.md"),
    )
    .unwrap();
    events.reload_until(WAIT, || live.get("/renamed.html").0 == 200);
    assert!(live.page("/renamed.html").contains("新内容。"));
    assert_eq!(live.get("/new.html").0, 404);

    // Deleted.
    std::fs::remove_file(hb.path("content/01-basics/03-renamed.md")).unwrap();
    events.reload_until(WAIT, || live.get("/renamed.html").0 == 404);
    // Whatever the steps above left coming, before the burst is counted.
    events.quiet_for(Duration::from_millis(300));

    // A burst of 200 files, as from `git checkout`.
    for i in 0..200 {
        hb.write(
            &format!("content/03-burst/{i:03}-b{i}.md"),
            &format!("# 批量 {i}\n\n第 {i} 个文件。\n"),
        );
    }
    let seen = events.quiet_for(Duration::from_millis(2500));
    assert_eq!(
        seen.iter()
            .filter(|e| *e == "reload" || *e == "change")
            .count(),
        1,
        "one rebuild for the whole burst: {seen:?}"
    );
    assert_eq!(live.get("/b0.html").0, 200);
    assert!(live.page("/b199.html").contains("第 199 个文件。"));

    // After all that, the served folder is what a fresh build makes.
    std::thread::sleep(Duration::from_millis(300));
    assert_output_is_a_fresh_build(&hb);
}

/// A save in place empties the file, then fills it. A writer held up between the two
/// (a loaded machine) must not get its empty file built: one rebuild, of the text.
#[test]
fn a_save_held_up_between_emptying_and_filling_gives_one_rebuild() {
    let hb = Handbook::copy_of("good");
    let live = Live::serve(&hb);
    let events = live.events();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(hb.path(INTRO))
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    file.write_all(intro_with("慢慢写入。").as_bytes()).unwrap();
    drop(file);
    let seen = events.quiet_for(Duration::from_millis(1500));
    let builds: Vec<_> = seen
        .iter()
        .filter(|e| ["change", "reload", "errors"].contains(&e.as_str()))
        .collect();
    assert_eq!(builds, ["change"], "one rebuild, after the file was filled");
    assert!(live.page("/intro.html").contains("慢慢写入。"));
}

/// The served folder holds exactly what a fresh `build` of the same files makes.
fn assert_output_is_a_fresh_build(hb: &Handbook) {
    let fresh = hb.run(&["build", "--out", hb.path("fresh").to_str().unwrap()]);
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);
    let served = read_tree(&hb.path("public"));
    let expected = read_tree(&hb.path("fresh"));
    let differing: Vec<&String> = expected
        .keys()
        .chain(served.keys())
        .filter(|k| served.get(*k) != expected.get(*k))
        .collect();
    assert!(
        differing.is_empty(),
        "served output differs from a fresh build: {differing:?}"
    );
}

/// The "referenced from" list of a served page: the titles in it.
fn referenced_from(page: &str) -> Vec<String> {
    let Some(start) = page.find("class=\"backlinks\"") else {
        return Vec::new();
    };
    let list = &page[start
        ..page[start..]
            .find("</aside>")
            .map_or(page.len(), |e| start + e)];
    list.split("<li><a href=")
        .skip(1)
        .filter_map(|item| item.split_once("\">")?.1.split("</a>").next())
        .map(str::to_string)
        .collect()
}

#[test]
fn edits_of_chapter_text_alone_update_links_anchors_and_backlinks() {
    const COMPLAINTS: &str = "content/02-aftersales/01-complaints.md";
    const EXTRA: &str = "content/01-basics/02-extra.md";
    let hb = Handbook::copy_of("good");
    let complaints = hb.read(COMPLAINTS);
    let extra = |anchor: &str| format!("# 附录\n\n正文。\n\n## 常见问题 {{#{anchor}}}\n\n问答。\n");
    let live = Live::serve(&hb);
    let events = live.events();
    hb.write(EXTRA, &extra("faq"));
    events.expect("change", WAIT);
    assert!(referenced_from(&live.page("/extra.html")).is_empty());

    // A link to it, added in another chapter's text: that page lists it now.
    hb.write(
        COMPLAINTS,
        &complaints.replacen(
            "## 诚恳道歉",
            "见[常见问题](@extra#faq)。\n\n## 诚恳道歉",
            1,
        ),
    );
    // Both pages were written: the tabs showing either patch theirs.
    let change: serde_json::Value = serde_json::from_str(&events.expect("change", WAIT)).unwrap();
    let mut pages: Vec<&str> = change["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    pages.sort();
    assert_eq!(pages, ["complaints.html", "extra.html"]);
    assert!(live
        .page("/complaints.html")
        .contains("href=\"extra.html#faq\""));
    assert_eq!(referenced_from(&live.page("/extra.html")), ["投诉处理"]);

    // Its heading renamed: the link to it breaks, in the other chapter's file.
    hb.write(EXTRA, &extra("questions"));
    let failed: serde_json::Value = serde_json::from_str(&events.expect("errors", WAIT)).unwrap();
    let errors = &failed["errors"];
    assert_eq!(errors[0]["file"], COMPLAINTS, "{errors}");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("@extra#faq"));

    // Renamed back: all good again; then the link goes and so does the backlink.
    hb.write(EXTRA, &extra("faq"));
    events.expect("change", WAIT);
    hb.write(
        COMPLAINTS,
        &complaints.replacen("买家不满时", "顾客不满时", 1),
    );
    events.expect("change", WAIT);
    assert!(live.page("/complaints.html").contains("顾客不满时"));
    assert!(referenced_from(&live.page("/extra.html")).is_empty());

    // A new heading and a new embed in one save.
    hb.write(
        COMPLAINTS,
        &format!("{complaints}\n## 问候\n\n```phrases greetings\n```\n"),
    );
    events.expect("change", WAIT);
    assert!(live.page("/complaints.html").contains("id=\"问候\""));
    assert!(referenced_from(&live.page("/greetings.html")).contains(&"投诉处理".to_string()));

    // The folder is what a fresh build makes, the search index and print version
    // included, once the second step is through.
    let lines = live.lines_for(Duration::from_millis(1500));
    assert!(
        lines.iter().any(|l| l.contains("then the search index")),
        "{lines:?}"
    );
    assert_output_is_a_fresh_build(&hb);
}

#[test]
fn content_folder_removed_and_made_again_is_still_watched() {
    let hb = Handbook::copy_of("good");
    let live = Live::serve(&hb);
    let events = live.events();
    let content = hb.path("content");
    let away = hb.path("content-away");
    // Moved away and back (a `git stash`, a restore from a copy).
    std::fs::rename(&content, &away).unwrap();
    events.expect("errors", WAIT);
    std::fs::rename(&away, &content).unwrap();
    events.expect_one_of(&["change", "reload"], WAIT);
    hb.write(INTRO, &intro_with("搬回来以后的修改。"));
    events.expect("change", WAIT);
    assert!(live.page("/intro.html").contains("搬回来以后的修改。"));
    // Deleted and made again from a copy.
    copy_dir(&content, &away);
    std::fs::remove_dir_all(&content).unwrap();
    events.expect("errors", WAIT);
    copy_dir(&away, &content);
    events.expect_one_of(&["change", "reload"], WAIT);
    hb.write(INTRO, &intro_with("重建以后的修改。"));
    events.expect("change", WAIT);
    assert!(live.page("/intro.html").contains("重建以后的修改。"));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn swap_and_backup_files_are_ignored() {
    let hb = Handbook::copy_of("good");
    let live = Live::serve(&hb);
    let events = live.events();
    for name in [
        ".01-intro.md.swp",
        "01-intro.md~",
        "4913",
        ".#01-intro.md",
        "#01-intro.md#",
        "x.bck",
        "jb_tmp___x.md",
    ] {
        hb.write(&format!("content/01-basics/{name}"), "# 不该出现\n");
    }
    let seen = events.quiet_for(Duration::from_millis(700));
    assert!(seen.is_empty(), "editor files caused {seen:?}");
    assert!(live
        .lines_for(Duration::from_millis(100))
        .iter()
        .all(|l| !l.contains("rebuilt")));
}

#[test]
fn files_are_served_from_inside_the_output_only_with_their_types() {
    let hb = Handbook::copy_of("good");
    hb.write("content/files/app.wasm", "\0asm");
    hb.write("content/files/font.woff2", "wOF2");
    hb.write("outside.txt", "secret");
    let live = Live::serve(&hb);
    assert_eq!(live.get("/files/app.wasm").1, "application/wasm");
    assert_eq!(live.get("/files/font.woff2").1, "font/woff2");
    assert_eq!(live.get("/phrases.json").1, "application/json");
    assert!(live.get("/static/style.css").1.starts_with("text/css"));
    assert!(live
        .get("/search/index.js")
        .1
        .starts_with("text/javascript"));
    let (status, content_type, body) = live.get("/no-such-page.html");
    assert_eq!(status, 404);
    assert!(content_type.starts_with("text/html"));
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("class=\"not-found\""),
        "the theme's 404 page"
    );
    for path in [
        "/../outside.txt",
        "/%2e%2e/outside.txt",
        "/%2E%2E%2Foutside.txt",
        "/static/..%2f..%2foutside.txt",
        "/..%5coutside.txt",
    ] {
        let (status, _, body) = live.get(path);
        assert!(status == 403 || status == 404, "{path}: {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("secret"),
            "{path} escaped"
        );
    }
    let (status, _, _) = live.get("/phrases");
    assert_eq!(status, 301, "a folder without its slash redirects");
    assert!(live.page("/phrases/").contains("data-finder"));
}

#[test]
fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let hb = Handbook::copy_of("custom-theme");
    let live = Live::serve(&hb);
    let events = live.events();
    hb.write("themes/mine/static/style.css", "body { color: navy; }\n");
    let data = events.expect("css", WAIT);
    assert_eq!(data, "[\"static/style.css\"]");
    assert_eq!(live.page("/static/style.css"), "body { color: navy; }\n");
    // A template change reloads every page.
    hb.write(
        "themes/mine/templates/chapter.html",
        "{% extends \"base.html\" %}\n{% block main %}<div class=\"mine v2\">{{ content | safe }}</div>{% endblock main %}\n",
    );
    events.expect("reload", WAIT);
    assert!(live.page("/intro.html").contains("mine v2"));
}

#[test]
fn watch_rebuilds_and_prints_one_line_per_rebuild() {
    let hb = Handbook::copy_of("good");
    let live = Live::watch(&hb);
    hb.write(INTRO, &intro_with("监视模式。"));
    let line = live.wait_line("rebuilt in", WAIT);
    assert!(
        line.contains("content/01-basics/01-intro.md changed"),
        "{line}"
    );
    assert!(hb.read("public/intro.html").contains("监视模式。"));
    hb.write(INTRO, &intro_with("[坏](@nowhere)"));
    live.wait_line("rebuild failed", WAIT);
    assert!(
        hb.read("public/intro.html").contains("监视模式。"),
        "the last good site stays"
    );
    assert!(Path::new(&hb.path("public/index.html")).is_file());
}

#[test]
fn a_relative_root_sees_every_edit() {
    let hb = Handbook::copy_of("good");
    let live = Live::watch_here(&hb);
    for text in ["第一次。", "第二次。", "第三次。"] {
        hb.write(INTRO, &intro_with(text));
        let line = live.wait_line("rebuilt in", WAIT);
        assert!(!line.contains(" 0 files written"), "{line}");
        assert!(hb.read("public/intro.html").contains(text), "{text}");
    }
}

#[test]
fn watch_keeps_a_large_handbooks_print_volumes_right() {
    // 361 pages: printed in volumes, one per part.
    let hb = crate::print::large_handbook(3, 120);
    let live = Live::watch(&hb);
    let chapter = "content/01-part/070.md";
    let text = hb.read(chapter);
    hb.write(chapter, &format!("{text}\n卷中新句。\n"));
    live.wait_line("rebuilt in", WAIT);
    // The print version is made after the pages, with the search index.
    live.wait_line("then the search index", WAIT);
    assert!(hb.read("public/print/p1c0.html").contains("卷中新句。"));
    assert!(!hb.read("public/print.html").contains("卷中新句。"));

    // Down to 243 pages: printed whole again, and the volumes are gone.
    for part in ["00-part", "01-part"] {
        for c in 1..60 {
            std::fs::remove_file(hb.path(&format!("content/{part}/{c:03}.md"))).unwrap();
        }
    }
    let start = std::time::Instant::now();
    while hb.path("public/print").exists() && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(hb.read("public/print.html").contains("卷中新句。"));
    assert!(!hb.path("public/print").exists(), "the volumes stay");
    assert_output_is_a_fresh_build(&hb);
}

#[test]
fn a_tab_that_names_its_page_gets_the_new_version_with_the_event() {
    let hb = Handbook::copy_of("good");
    let live = Live::serve(&hb);
    let intro_tab = Events::connect_as(live.port, "intro.html");
    let other_tab = Events::connect_as(live.port, "complaints.html");
    hb.write(INTRO, &intro_with("随事件送到。"));
    let change: serde_json::Value =
        serde_json::from_str(&intro_tab.expect("change", WAIT)).unwrap();
    let html = change["html"].as_str().expect("the page with the event");
    assert!(html.contains("随事件送到。"));
    assert_eq!(html, live.page("/intro.html"), "as the page is served");
    let change: serde_json::Value =
        serde_json::from_str(&other_tab.expect("change", WAIT)).unwrap();
    if !change["pages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "complaints.html")
    {
        assert!(change.get("html").is_none(), "{change}");
    }
}

#[test]
fn tabs_are_told_which_pages_changed_and_which_went() {
    let hb = Handbook::copy_of("good");
    hb.write("content/01-basics/03-gone.md", "# 将删除\n\n很快就没了。\n");
    let live = Live::serve(&hb);
    let events = live.events();
    std::fs::remove_file(hb.path("content/01-basics/03-gone.md")).unwrap();
    let change: serde_json::Value = serde_json::from_str(&events.expect("change", WAIT)).unwrap();
    assert_eq!(
        change["removed"],
        serde_json::json!(["gone.html"]),
        "{change}"
    );
    assert!(
        !change["pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "gone.html"),
        "{change}"
    );
    // handbook.yaml may change every page: every tab reloads.
    let config = hb.read("content/handbook.yaml");
    hb.write(
        "content/handbook.yaml",
        &config.replacen("title:", "title: 新", 1),
    );
    events.expect("reload", WAIT);
    // The site-wide pages after a change are named for the tabs showing them.
    hb.write(INTRO, &intro_with("首页也会更新。"));
    events.expect("change", WAIT);
    let updated: serde_json::Value = serde_json::from_str(&events.expect("updated", WAIT)).unwrap();
    assert!(
        updated
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "print.html"),
        "{updated}"
    );
}

#[test]
fn the_overlay_links_each_file_to_the_editor() {
    let hb = Handbook::copy_of("good");
    let port = free_port();
    let live = Live::start(
        &hb,
        &["serve", "--port", &port.to_string(), "--editor", "vscode"],
        port,
    );
    live.wait_line("serving", WAIT);
    let events = live.events();
    hb.write(INTRO, &intro_with("坏链接 [链接](@nowhere)。"));
    let failed: serde_json::Value = serde_json::from_str(&events.expect("errors", WAIT)).unwrap();
    let error = &failed["errors"][0];
    let root = hb.root().canonicalize().unwrap();
    let expected = format!(
        "vscode://file{}/content/01-basics/01-intro.md:5:{}",
        root.display(),
        error["column"]
    );
    assert_eq!(error["editor"], expected.as_str(), "{error}");
    drop(live);

    // `editor_url` in handbook.yaml, when serve names no editor.
    let hb = Handbook::copy_of("good");
    let config = hb.read("content/handbook.yaml");
    hb.write(
        "content/handbook.yaml",
        &format!("{config}editor_url: \"myeditor://open?file={{path}}&line={{line}}\"\n"),
    );
    let live = Live::serve(&hb);
    let events = live.events();
    hb.write(INTRO, &intro_with("坏链接 [链接](@nowhere)。"));
    let failed: serde_json::Value = serde_json::from_str(&events.expect("errors", WAIT)).unwrap();
    let root = hb.root().canonicalize().unwrap();
    assert_eq!(
        failed["errors"][0]["editor"],
        format!(
            "myeditor://open?file={}/content/01-basics/01-intro.md&line=5",
            root.display()
        )
        .as_str()
    );
}

#[test]
fn an_unknown_editor_or_a_bad_editor_url_is_refused() {
    let hb = Handbook::copy_of("good");
    let run = hb.run(&["serve", "--editor", "notepad"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("vscode, vscodium, cursor, idea"),
        "{}",
        run.stderr
    );
    let config = hb.read("content/handbook.yaml");
    hb.write(
        "content/handbook.yaml",
        &format!("{config}editor_url: \"javascript:alert('{{path}}')\"\n"),
    );
    let check = hb.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let line = config.lines().count() + 1;
    assert!(
        check
            .stderr
            .contains(&format!("content/handbook.yaml:{line}:13")),
        "{}",
        check.stderr
    );
    assert!(check.stderr.contains("javascript:"), "{}", check.stderr);
}

#[test]
fn the_overlay_speaks_the_language_of_the_messages() {
    // An English handbook served with `--lang zh`: the flag wins, for the messages
    // and the overlay's own words alike.
    let hb = Handbook::copy_of("good");
    let config = hb.read("content/handbook.yaml");
    hb.write(
        "content/handbook.yaml",
        &config.replace("language: zh-CN", "language: en"),
    );
    assert!(hb.read("content/handbook.yaml").contains("language: en"));
    let port = free_port();
    let live = Live::start(
        &hb,
        &["serve", "--port", &port.to_string(), "--lang", "zh"],
        port,
    );
    live.wait_line("http://", WAIT);
    let events = live.events();
    hb.write(INTRO, &intro_with("[broken](@nowhere)"));
    let failed: serde_json::Value = serde_json::from_str(&events.expect("errors", WAIT)).unwrap();
    assert_eq!(failed["lang"], "zh");
    let message = failed["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("链接"), "{message}");
}
