//! `serve` under load while edits land: clients fetching pages and assets, live-reload
//! listeners, and edits in bursts (single saves, atomic renames, checkouts of many
//! files, broken saves fixed by the next one). Used by `bench-gen load` (the full
//! run) and by the integration tests (a bounded one), so only the standard library.
//!
//! What counts as a failed request: a status other than 200, a connection refused or
//! reset, a body shorter or longer than its `Content-Length`. Every path asked for
//! exists throughout (edits change chapters' text, never their names), and a broken
//! save keeps the last good site served, so every answer should be a 200.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How big a run is.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Threads fetching pages and assets, one request at a time each.
    pub clients: usize,
    /// Connected live-reload listeners.
    pub listeners: usize,
    /// Files written in all (a checkout counts each of its files).
    pub edits: usize,
    /// Files a checkout rewrites at once.
    pub checkout: usize,
    /// A soak: edits go on landing for this long, whatever `edits` says.
    pub soak: Option<Duration>,
    /// How often the server's memory and open files are sampled for the table.
    pub sample_every: Duration,
    /// The longest pause between two bursts of edits (each pause is random below it).
    pub max_pause: Duration,
}

/// The server's memory and open files at one moment.
#[derive(Debug, Clone)]
pub struct Sample {
    pub seconds: f64,
    pub requests: u64,
    pub rss_kb: u64,
    pub fds: usize,
    /// `before` (no client yet), `load`, or `after` (the clients left).
    pub phase: &'static str,
}

/// What a run saw.
#[derive(Debug, Default)]
pub struct Report {
    pub requests: u64,
    pub bytes: u64,
    pub failures: Vec<String>,
    pub failure_count: u64,
    pub edits: usize,
    pub bursts: usize,
    pub rebuild_lines: usize,
    pub listeners: usize,
    /// Listeners whose last event came after the last edit and was not `errors`.
    pub listeners_up_to_date: usize,
    pub rss_before_kb: u64,
    pub rss_peak_kb: u64,
    pub rss_after_kb: u64,
    pub fds_before: usize,
    pub fds_peak: usize,
    pub fds_after: usize,
    /// Files of `public/` that differ from a clean build's (or exist in one only).
    pub differing: Vec<String>,
    pub seconds: f64,
    /// Memory and open files at the start, every `sample_every` under load, and after.
    pub samples: Vec<Sample>,
}

impl Report {
    pub fn print(&self) {
        println!(
            "{} requests ({:.0} MB) in {:.1} s, {} failed; {} edits in {} bursts, {} rebuild lines",
            self.requests,
            self.bytes as f64 / 1e6,
            self.seconds,
            self.failure_count,
            self.edits,
            self.bursts,
            self.rebuild_lines
        );
        println!(
            "listeners with the last rebuild's event: {}/{}",
            self.listeners_up_to_date, self.listeners
        );
        println!(
            "server RSS: {} MB before, {} MB peak, {} MB after the clients left",
            self.rss_before_kb / 1024,
            self.rss_peak_kb / 1024,
            self.rss_after_kb / 1024
        );
        println!(
            "server open files: {} before, {} peak, {} after the clients left",
            self.fds_before, self.fds_peak, self.fds_after
        );
        println!(
            "public/ against a clean build: {} files differ",
            self.differing.len()
        );
        for failure in self.failures.iter().take(10) {
            println!("  failed: {failure}");
        }
        for file in self.differing.iter().take(10) {
            println!("  differs: {file}");
        }
    }

    /// The samples as a table.
    pub fn print_samples(&self) {
        println!(
            "{:>8} {:>10} {:>9} {:>10}  phase",
            "time (s)", "requests", "RSS (MB)", "open files"
        );
        for s in &self.samples {
            println!(
                "{:>8.0} {:>10} {:>9.1} {:>10}  {}",
                s.seconds,
                s.requests,
                s.rss_kb as f64 / 1024.0,
                s.fds,
                s.phase
            );
        }
    }

    /// Whether memory stayed flat under load: the median RSS of the last third of
    /// the samples under load against that of the first third. `None` with fewer
    /// than three samples under load (too short a run to tell).
    pub fn memory_verdict(&self) -> Option<MemoryVerdict> {
        let under_load: Vec<u64> = self
            .samples
            .iter()
            .filter(|s| s.phase == "load")
            .map(|s| s.rss_kb)
            .collect();
        let third = under_load.len() / 3;
        if third == 0 {
            return None;
        }
        let median = |part: &[u64]| {
            let mut sorted = part.to_vec();
            sorted.sort_unstable();
            sorted[sorted.len() / 2]
        };
        let first = median(&under_load[..third]);
        let last = median(&under_load[under_load.len() - third..]);
        Some(MemoryVerdict {
            first_kb: first,
            last_kb: last,
            flat: last as f64 <= first as f64 * (1.0 + FLAT_GROWTH),
        })
    }
}

/// How much the last third's median RSS may exceed the first third's and still
/// count as flat: a server that leaks grows without bound over a soak; one that does
/// not wanders by a few percent as its allocator keeps and returns pages.
pub const FLAT_GROWTH: f64 = 0.10;

/// The soak's verdict on memory.
#[derive(Debug, Clone, Copy)]
pub struct MemoryVerdict {
    pub first_kb: u64,
    pub last_kb: u64,
    pub flat: bool,
}

impl std::fmt::Display for MemoryVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "memory {}: median RSS {:.1} MB in the last third of the run, {:.1} MB in the first ({:+.1}%, at most {:+.0}% counts as flat)",
            if self.flat { "flat" } else { "GROWING" },
            self.last_kb as f64 / 1024.0,
            self.first_kb as f64 / 1024.0,
            (self.last_kb as f64 / self.first_kb.max(1) as f64 - 1.0) * 100.0,
            FLAT_GROWTH * 100.0
        )
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("its address")
        .port()
}

/// `(VmRSS, VmHWM)` in kB, and the open file descriptors, of a process.
fn usage(pid: u32) -> (u64, u64, usize) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count());
    (field("VmRSS:"), field("VmHWM:"), fds)
}

/// One GET with `Connection: close`: `Err` says what failed.
fn fetch(port: u16, path: &str) -> Result<usize, String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| format!("read: {e}"))?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no header end in {} bytes", response.len()))?;
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).unwrap_or("");
    if status != "200" {
        return Err(format!("status {status}"));
    }
    let body = response.len() - split - 4;
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(length) if length != body => Err(format!("body of {body} bytes, {length} announced")),
        None => Err("no content-length".to_string()),
        _ => Ok(response.len()),
    }
}

/// The paths clients ask for: every top-level page, the theme's files, the search
/// index's entry file.
fn paths(public: &Path) -> Vec<String> {
    let mut paths = vec!["/".to_string()];
    for entry in std::fs::read_dir(public).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".html") {
            paths.push(format!("/{name}"));
        }
    }
    for dir in ["static", "search"] {
        for entry in std::fs::read_dir(public.join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".css") || name.ends_with(".js") {
                paths.push(format!("/{dir}/{name}"));
            }
        }
    }
    paths.sort();
    paths
}

/// The chapters of a handbook, with their text as generated.
fn chapters(root: &Path) -> Vec<(PathBuf, String)> {
    let mut found: Vec<(PathBuf, String)> = Vec::new();
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                found.push((path, text));
            }
        }
    }
    found.sort();
    found
}

/// A small deterministic generator (the run is repeatable).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Writes the edits in bursts (`plan.edits` of them, or for `plan.soak`); returns
/// (edits, bursts, when the last write was made). That moment, not the end of the
/// pause after the last burst, is what the last rebuild's event must follow: the
/// rebuild may well be done before the pause is.
fn edit(chapters: &[(PathBuf, String)], plan: &Plan) -> (usize, usize, Instant) {
    let mut last_write = Instant::now();
    let soak_end = plan.soak.map(|soak| Instant::now() + soak);
    let more = |edits: usize| match soak_end {
        Some(end) => Instant::now() < end,
        None => edits < plan.edits,
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut edits, mut bursts, mut n) = (0, 0, 0u64);
    let text_of = |i: usize, n: &mut u64| {
        *n += 1;
        format!("{}\n修改第 {n} 次：新的说法。\n", chapters[i].1)
    };
    while more(edits) {
        bursts += 1;
        let left = if soak_end.is_some() {
            usize::MAX
        } else {
            plan.edits - edits
        };
        match rng.below(8) {
            // A checkout: many files at once.
            0 if left >= plan.checkout => {
                let start = rng.below(chapters.len());
                for k in 0..plan.checkout {
                    let i = (start + k) % chapters.len();
                    let _ = std::fs::write(&chapters[i].0, text_of(i, &mut n));
                }
                edits += plan.checkout;
            }
            // A broken save, fixed by the next one.
            1 if left >= 2 => {
                let i = rng.below(chapters.len());
                let _ = std::fs::write(&chapters[i].0, "---\ntitle: [未闭合\n# 坏了\n");
                std::thread::sleep(Duration::from_millis(rng.below(300) as u64));
                let _ = std::fs::write(&chapters[i].0, text_of(i, &mut n));
                edits += 2;
            }
            // Atomic saves: a temporary file renamed over the chapter.
            2 | 3 => {
                for _ in 0..(1 + rng.below(5)).min(left) {
                    let i = rng.below(chapters.len());
                    let temp = chapters[i].0.with_extension("md.tmp~");
                    if std::fs::write(&temp, text_of(i, &mut n)).is_ok() {
                        let _ = std::fs::rename(&temp, &chapters[i].0);
                    }
                    edits += 1;
                }
            }
            // Single saves, a few in a row as an editor's autosave makes them.
            _ => {
                for _ in 0..(1 + rng.below(10)).min(left) {
                    let i = rng.below(chapters.len());
                    let _ = std::fs::write(&chapters[i].0, text_of(i, &mut n));
                    edits += 1;
                    std::thread::sleep(Duration::from_millis(rng.below(20) as u64));
                }
            }
        }
        last_write = Instant::now();
        let pause = plan.max_pause.as_millis() as usize;
        std::thread::sleep(Duration::from_millis(rng.below(pause) as u64));
    }
    (edits, bursts, last_write)
}

fn start(binary: &Path, root: &Path, port: u16) -> (Child, Arc<Mutex<Vec<String>>>) {
    let mut child = Command::new(binary)
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .env("HANDBOOK_LANG", "en")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start handbook serve");
    let stderr = child.stderr.take().expect("its standard error");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let kept = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            kept.lock().unwrap().push(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(300);
    while !lines.lock().unwrap().iter().any(|l| l.contains("serving")) {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, lines)
}

/// A live-reload listener: its events, with when they came.
fn listen(port: u16, stop: Arc<AtomicBool>) -> Arc<Mutex<Vec<(String, Instant)>>> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let kept = events.clone();
    std::thread::spawn(move || {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
        let _ = write!(
            stream,
            "GET /__handbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        );
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while !stop.load(Ordering::Relaxed) {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) => break,
                Ok(_) => {
                    if let Some(name) = line.trim_end().strip_prefix("event: ") {
                        kept.lock()
                            .unwrap()
                            .push((name.to_string(), Instant::now()));
                    }
                }
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => break,
            }
        }
    });
    events
}

/// The tree of a folder: relative path to bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    files
}

/// Runs `serve` on the handbook at `root` (its `public/` is written by the server)
/// under `plan`, then compares `public/` with a clean build into `scratch`.
pub fn run(binary: &Path, root: &Path, scratch: &Path, plan: &Plan) -> Report {
    let started = Instant::now();
    let port = free_port();
    let (mut child, lines) = start(binary, root, port);
    let pid = child.id();
    let mut report = Report {
        listeners: plan.listeners,
        ..Report::default()
    };
    std::thread::sleep(Duration::from_secs(1));
    (report.rss_before_kb, _, report.fds_before) = usage(pid);
    report.samples.push(Sample {
        seconds: started.elapsed().as_secs_f64(),
        requests: 0,
        rss_kb: report.rss_before_kb,
        fds: report.fds_before,
        phase: "before",
    });
    let paths = Arc::new(paths(&root.join("public")));
    let stop_clients = Arc::new(AtomicBool::new(false));
    let stop_listeners = Arc::new(AtomicBool::new(false));
    let listeners: Vec<_> = (0..plan.listeners)
        .map(|_| listen(port, stop_listeners.clone()))
        .collect();
    let requests = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(Mutex::new((0u64, Vec::new())));
    let clients: Vec<_> = (0..plan.clients)
        .map(|c| {
            let (paths, stop) = (paths.clone(), stop_clients.clone());
            let (requests, bytes, failures) = (requests.clone(), bytes.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut rng = Rng(c as u64 * 7919 + 1);
                while !stop.load(Ordering::Relaxed) {
                    let path = &paths[rng.below(paths.len())];
                    match fetch(port, path) {
                        Ok(n) => {
                            bytes.fetch_add(n as u64, Ordering::Relaxed);
                        }
                        Err(why) => {
                            let mut f = failures.lock().unwrap();
                            f.0 += 1;
                            if f.1.len() < 100 {
                                f.1.push(format!("GET {path}: {why}"));
                            }
                        }
                    }
                    requests.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (sampling, requests) = (sampling.clone(), requests.clone());
        let every = plan.sample_every;
        std::thread::spawn(move || {
            let mut peak_fds = 0;
            let mut samples = Vec::new();
            let mut next = Instant::now() + every;
            while sampling.load(Ordering::Relaxed) {
                let (rss_kb, _, fds) = usage(pid);
                peak_fds = peak_fds.max(fds);
                if Instant::now() >= next {
                    next += every;
                    samples.push(Sample {
                        seconds: started.elapsed().as_secs_f64(),
                        requests: requests.load(Ordering::Relaxed),
                        rss_kb,
                        fds,
                        phase: "load",
                    });
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            (peak_fds, samples)
        })
    };
    let chapters = chapters(root);
    let last_edit;
    (report.edits, report.bursts, last_edit) = edit(&chapters, plan);
    // Quiet: no event for three seconds (at most two minutes).
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let latest = listeners
            .iter()
            .filter_map(|l| l.lock().unwrap().last().map(|e| e.1))
            .max();
        let quiet = latest.is_none_or(|t| t.elapsed() > Duration::from_secs(3))
            && last_edit.elapsed() > Duration::from_secs(3);
        if quiet || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    stop_clients.store(true, Ordering::Relaxed);
    for client in clients {
        let _ = client.join();
    }
    report.listeners_up_to_date = listeners
        .iter()
        .filter(|l| {
            l.lock()
                .unwrap()
                .last()
                .is_some_and(|(name, at)| *at > last_edit && name != "errors")
        })
        .count();
    stop_listeners.store(true, Ordering::Relaxed);
    sampling.store(false, Ordering::Relaxed);
    let (fds_peak, samples) = sampler.join().unwrap_or_default();
    report.fds_peak = fds_peak;
    report.samples.extend(samples);
    std::thread::sleep(Duration::from_secs(3));
    let (rss_after, peak, fds_after) = usage(pid);
    (report.rss_after_kb, report.rss_peak_kb, report.fds_after) = (rss_after, peak, fds_after);
    report.requests = requests.load(Ordering::Relaxed);
    report.samples.push(Sample {
        seconds: started.elapsed().as_secs_f64(),
        requests: report.requests,
        rss_kb: rss_after,
        fds: fds_after,
        phase: "after",
    });
    report.bytes = bytes.load(Ordering::Relaxed);
    let (count, list) = std::mem::take(&mut *failures.lock().unwrap());
    (report.failure_count, report.failures) = (count, list);
    report.rebuild_lines = lines
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("rebuil"))
        .count();
    let _ = child.kill();
    let _ = child.wait();
    let clean = scratch.join("clean-public");
    let _ = std::fs::remove_dir_all(&clean);
    let status = Command::new(binary)
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&clean)
        .stderr(Stdio::null())
        .status()
        .expect("a clean build");
    assert!(status.success(), "the clean build failed");
    let served = tree(&root.join("public"));
    let expected = tree(&clean);
    report.differing = served
        .keys()
        .chain(expected.keys())
        .filter(|k| served.get(*k) != expected.get(*k))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    report.seconds = started.elapsed().as_secs_f64();
    report
}
