//! Faults from outside: what the disk, the content folder and hostile clients do to a
//! build and to `serve`. Each must end in a clear error or a refusal, the previous
//! site intact and still served, the server answering other clients.
//! (The disk filling up and the output folder turning read-only mid-build need a
//! tmpfs, so root: they are in `tests/external/faults.rs`.)

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::live::Live;
use crate::support::{read_tree, Handbook, Run};

const WAIT: Duration = Duration::from_secs(20);

fn raw_get(port: u16, path: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(path);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(&request).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response[(split + 4).min(response.len())..].to_vec())
}

#[test]
fn traversal_attempts_are_refused_and_the_server_stays_up() {
    let hb = Handbook::copy_of("good");
    hb.write("outside.txt", "secret-outside");
    let server = Live::serve(&hb);
    let attempts: &[&[u8]] = &[
        b"/../outside.txt",
        b"/%2e%2e/outside.txt",
        b"/%252e%252e/outside.txt",
        b"/%252e%252e%252foutside.txt",
        b"/..%2foutside.txt",
        b"/..%252foutside.txt",
        b"/..\\outside.txt",
        b"/..%5coutside.txt",
        b"/..%255coutside.txt",
        b"/%5c..%5coutside.txt",
        b"/index.html%00.png",
        b"/%00/../outside.txt",
        b"/..%00/outside.txt",
        b"/static/../../outside.txt",
        b"/static/%2e%2e/%2e%2e/outside.txt",
        b"//outside.txt",
        b"/C:/outside.txt",
        b"/c:%5coutside.txt",
        b"/%c0%ae%c0%ae/outside.txt",
        b"/.%2e/outside.txt",
        b"/%2e./outside.txt",
        b"/....//outside.txt",
        b"/static/..;/..;/outside.txt",
    ];
    for path in attempts {
        let shown = String::from_utf8_lossy(path);
        let (status, body) = raw_get(server.port, path);
        assert!(
            [400, 403, 404].contains(&status),
            "{shown}: status {status}"
        );
        assert!(
            !String::from_utf8_lossy(&body).contains("secret-outside"),
            "{shown} escaped the output folder"
        );
    }
    // Still serving the site.
    let (status, body) = raw_get(server.port, b"/");
    assert_eq!(status, 200);
    assert!(!body.is_empty());
}

#[test]
fn clients_that_never_finish_or_never_read_do_not_stop_the_others() {
    let hb = Handbook::copy_of("good");
    let server = Live::serve(&hb);
    let (_, page) = raw_get(server.port, b"/");
    // Half a request each, then nothing (slowloris), and requests whose answers
    // are never read.
    let mut idle = Vec::new();
    for i in 0..100 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        if i % 2 == 0 {
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .unwrap();
        } else {
            for _ in 0..20 {
                let _ = stream.write_all(b"GET /print.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            }
        }
        idle.push(stream);
    }
    let started = Instant::now();
    for _ in 0..20 {
        let (status, body) = raw_get(server.port, b"/");
        assert_eq!(status, 200);
        assert_eq!(body, page, "a whole page, the same one");
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "20 requests took {:?} beside idle clients",
        started.elapsed()
    );
    drop(idle);
    let (status, _) = raw_get(server.port, b"/");
    assert_eq!(status, 200);
}

#[test]
fn content_behind_a_symlink_builds_as_if_it_were_there() {
    let hb = Handbook::copy_of("good");
    let expected = {
        let fresh = Handbook::copy_of("good");
        let run = fresh.run(&["build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        read_tree(&fresh.path("public"))
    };
    let real = hb.path("real-content");
    std::fs::rename(hb.path("content"), &real).unwrap();
    std::os::unix::fs::symlink(&real, hb.path("content")).unwrap();
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read_tree(&hb.path("public")) == expected, "the same site");
    // A symlink that leads nowhere: a clear error, the site as it was.
    std::fs::remove_file(hb.path("content")).unwrap();
    std::os::unix::fs::symlink(hb.path("nowhere"), hb.path("content")).unwrap();
    let run = hb.run(&["build"]);
    assert_ne!(run.code, 0);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_refused_and_kept(&hb, &run, &["content"], &expected);
}

/// A build that failed: its message says each of `words` (the file, the folder, what
/// went wrong), and `public/` is still the site it was before.
fn assert_refused_and_kept(
    hb: &Handbook,
    run: &Run,
    words: &[&str],
    before: &BTreeMap<String, Vec<u8>>,
) {
    for word in words {
        assert!(run.stderr.contains(word), "says {word:?}: {}", run.stderr);
    }
    assert!(
        read_tree(&hb.path("public")) == *before,
        "the last site kept"
    );
}

#[test]
fn a_fifty_megabyte_chapter_builds_or_is_refused_clearly() {
    let hb = Handbook::copy_of("good");
    let first = hb.run(&["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = read_tree(&hb.path("public"));
    let paragraph = "亲，您好！关于退货运费险的赔付，我们会在签收后 48 小时内处理。\n\n";
    let text = format!(
        "# 大章节\n\n{}",
        paragraph.repeat(50_000_000 / paragraph.len())
    );
    hb.write("content/01-basics/99-huge.md", &text);
    let started = Instant::now();
    let run = hb.run(&["build"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(300),
        "{:?}",
        started.elapsed()
    );
    match run.code {
        0 => {
            let page = std::fs::read(hb.path("public/huge.html")).expect("the page");
            assert!(page.len() > 50_000_000, "the whole chapter is on its page");
        }
        1 => assert_refused_and_kept(&hb, &run, &["99-huge.md"], &before),
        code => panic!("exit {code}: {}", run.stderr),
    }
}

#[test]
fn chapters_deleted_and_made_again_during_builds_never_crash_one() {
    let hb = Handbook::copy_of("good");
    assert_eq!(hb.run(&["build"]).code, 0);
    let chapter = hb.path("content/01-basics/98-flicker.md");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flicker = {
        let stop = stop.clone();
        let chapter = chapter.clone();
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::write(&chapter, format!("# 闪烁 {n}\n\n正文。\n"));
                let _ = std::fs::remove_file(&chapter);
                n += 1;
            }
            n
        })
    };
    let mut codes = Vec::new();
    for _ in 0..30 {
        let before = read_tree(&hb.path("public"));
        let run = hb.run(&["build"]);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        match run.code {
            0 => {}
            // Listed, then gone when read: an I/O error that names the file.
            2 => assert_refused_and_kept(&hb, &run, &["cannot read", "98-flicker.md"], &before),
            code => panic!("exit {code}: {}", run.stderr),
        }
        codes.push(run.code);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(flicker.join().unwrap() > 0);
    // Whatever the builds saw, the site is whole: a clean build of what is left.
    let run = hb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
#[ignore = "100,000 files take minutes to write and build: cargo test --release --test integration a_hundred_thousand -- --ignored"]
fn a_hundred_thousand_tiny_files_build() {
    let hb = Handbook::copy_of("good");
    for i in 0..100_000 {
        let dir = format!("content/9{:03}-many", i / 1_000);
        if i % 1_000 == 0 {
            hb.write(
                &format!("{dir}/_part.yaml"),
                &format!("title: 第 {} 部分\n", i / 1_000),
            );
        }
        hb.write(
            &format!("{dir}/t{i:06}.md"),
            &format!("# 小节 {i}\n\n内容 {i}。\n"),
        );
    }
    let started = Instant::now();
    let run = hb.run(&["build"]);
    eprintln!(
        "100,000 tiny chapters built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(hb.path("public/t099999.html").is_file());
}
