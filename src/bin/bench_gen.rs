//! Benchmark harness: generates synthetic handbooks of any size and times full
//! builds of them with the binary of the `dist` profile (whole-program optimized, as
//! handed out), in a fresh process per run.
//!
//! ```text
//! cargo build --profile dist
//! target/dist/bench-gen run --sizes 100,1000,10000 --runs 5
//! target/dist/bench-gen generate --chapters 1000 --out /tmp/hb-1000
//! ```
//!
//! Each chapter has about 3 KB of Chinese text, 4-6 headings, a Markdown table,
//! lists, a dialogue and 3 links to other chapters' headings; every 10 chapters share
//! one 10-entry phrase table (embedded in the first of them); parts hold 25 chapters.
//! `run` times, for each size, what a user times first: a **clean build into a new
//! empty folder** (a fresh clone, CI, `rm -rf public`), and beside it a rebuild over
//! the folder the last build left, alternating the two; it prints their medians (wall
//! and CPU time), the peak memory (max RSS), the output's size per chapter and its
//! largest file. `--out-base` puts the output folders elsewhere, e.g. on a tmpfs
//! (`/dev/shm`), where creating files costs the kernel little and the build is
//! compute-bound. `ab` compares two binaries by alternating clean builds of each.
//! `lsp` times `handbook lsp`: keystrokes sent as `didChange` notifications, each
//! timed to the diagnostics it changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

#[path = "bench_gen/lsp_bench.rs"]
mod lsp_bench;

#[derive(Parser)]
#[command(about = "Generate synthetic handbooks and time builds of them")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write a synthetic handbook with this many chapters
    Generate {
        #[arg(long)]
        chapters: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// Generate handbooks of each size and time clean builds into new empty folders,
    /// alternating with rebuilds over an existing one
    Run {
        /// Comma-separated chapter counts
        #[arg(long, value_delimiter = ',', default_value = "100,1000,10000")]
        sizes: Vec<usize>,
        /// Builds of each kind per size (the median is reported)
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Where the handbooks are generated
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        /// Where the output folders go (default: beside the handbooks)
        #[arg(long)]
        out_base: Option<PathBuf>,
        /// The handbook binary to time
        #[arg(long, default_value = "target/dist/handbook")]
        binary: PathBuf,
    },
    /// Compare two handbook binaries: clean builds into new empty folders, one of
    /// each in turn, on each size
    Ab {
        /// Comma-separated chapter counts
        #[arg(long, value_delimiter = ',', default_value = "1000")]
        sizes: Vec<usize>,
        /// Builds of each binary per size
        #[arg(long, default_value_t = 9)]
        runs: usize,
        /// Where the handbooks are generated
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        /// Where the output folders go (default: beside the handbooks)
        #[arg(long)]
        out_base: Option<PathBuf>,
        /// The binary before a change
        a: PathBuf,
        /// The binary after it
        b: PathBuf,
    },
    /// Time live updates on the server's side: `handbook serve` on each size, then
    /// edits of one chapter, each timed from the write to the `change` (or, from a
    /// server that reloads every tab, `reload`) event a connected client receives.
    /// What a reader sees, in a browser, is timed by tests/browser/live-bench.mjs
    /// (README, Performance)
    Live {
        /// Comma-separated chapter counts
        #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
        sizes: Vec<usize>,
        /// Edits per size
        #[arg(long, default_value_t = 20)]
        edits: usize,
        /// Where the handbooks are generated
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        /// The handbook binary to time
        #[arg(long, default_value = "target/dist/handbook")]
        binary: PathBuf,
    },
    /// Time the language server: `handbook lsp` on each size, a chapter opened,
    /// then keystrokes in it, each timed from its `didChange` notification to the
    /// diagnostics it changes (every other one breaks a link, the next mends it),
    /// and keystrokes in prose, each timed to the answer of a request sent right
    /// after it (answered once the keystroke is checked)
    Lsp {
        /// Comma-separated chapter counts
        #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
        sizes: Vec<usize>,
        /// Keystrokes of each kind per size
        #[arg(long, default_value_t = 50)]
        keystrokes: usize,
        /// Where the handbooks are generated
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        /// The handbook binary to time
        #[arg(long, default_value = "target/dist/handbook")]
        binary: PathBuf,
    },
    /// `handbook serve` under load while edits land: clients fetching pages and
    /// assets, live-reload listeners, edits in bursts; prints requests, failures,
    /// memory and open files, and how public/ compares with a clean build
    Load {
        #[arg(long, default_value_t = 1000)]
        chapters: usize,
        /// Threads fetching pages and assets
        #[arg(long, default_value_t = 180)]
        clients: usize,
        /// Live-reload listeners
        #[arg(long, default_value_t = 20)]
        listeners: usize,
        /// Files written in all (a checkout counts each file)
        #[arg(long, default_value_t = 1000)]
        edits: usize,
        /// Files one checkout rewrites
        #[arg(long, default_value_t = 200)]
        checkout: usize,
        /// A soak: keep clients fetching and edits landing for this many seconds
        /// (instead of stopping after --edits), sample the server's memory and open
        /// files every --sample-secs, and judge whether memory stayed flat
        #[arg(long)]
        soak_secs: Option<u64>,
        /// Seconds between two samples of memory and open files
        #[arg(long, default_value_t = 30)]
        sample_secs: u64,
        /// The longest pause between two bursts of edits, in milliseconds
        #[arg(long, default_value_t = 400)]
        max_pause_ms: u64,
        /// Where the handbook is generated (anew: the run edits it)
        #[arg(long, default_value = "target/bench/load")]
        dir: PathBuf,
        /// The handbook binary to run
        #[arg(long, default_value = "target/dist/handbook")]
        binary: PathBuf,
    },
}

#[path = "bench_gen/load.rs"]
mod load;

fn main() {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Generate { chapters, out } => {
            generate(chapters, &out).expect("generate the handbook");
            println!("wrote {chapters} chapters to {}", out.display());
        }
        Cmd::Load {
            chapters,
            clients,
            listeners,
            edits,
            checkout,
            soak_secs,
            sample_secs,
            max_pause_ms,
            dir,
            binary,
        } => {
            let root = dir.join(format!("handbook-{chapters}"));
            generate(chapters, &root).expect("generate the handbook");
            let _ = std::fs::remove_dir_all(root.join("public"));
            let plan = load::Plan {
                clients,
                listeners,
                edits,
                checkout,
                soak: soak_secs.map(Duration::from_secs),
                sample_every: Duration::from_secs(sample_secs.max(1)),
                max_pause: Duration::from_millis(max_pause_ms.max(1)),
            };
            match soak_secs {
                Some(secs) => println!(
                    "{chapters} chapters, {clients} clients, {listeners} listeners, edits for {secs} s (soak)"
                ),
                None => println!(
                    "{chapters} chapters, {clients} clients, {listeners} listeners, {edits} edits"
                ),
            }
            let report = load::run(&binary, &root, &dir, &plan);
            report.print();
            report.print_samples();
            let mut flat = true;
            if soak_secs.is_some() {
                match report.memory_verdict() {
                    Some(verdict) => {
                        println!("{verdict}");
                        flat = verdict.flat;
                    }
                    None => println!("memory: too few samples under load to tell"),
                }
            }
            if !report.failures.is_empty()
                || report.listeners_up_to_date < report.listeners
                || !report.differing.is_empty()
                || !flat
            {
                std::process::exit(1);
            }
        }
        Cmd::Live {
            sizes,
            edits,
            dir,
            binary,
        } => {
            println!(
                "{:>8} {:>14} {:>12} {:>12}",
                "chapters", "edits", "median (ms)", "max (ms)"
            );
            for size in sizes {
                let root = dir.join(format!("handbook-{size}"));
                if !root.join("content/handbook.yaml").is_file() {
                    generate(size, &root).expect("generate the handbook");
                }
                let mut times = live_latency(&binary, &root, edits);
                times.sort();
                println!(
                    "{:>8} {:>14} {:>12.1} {:>12.1}",
                    size,
                    times.len(),
                    times[times.len() / 2].as_secs_f64() * 1000.0,
                    times[times.len() - 1].as_secs_f64() * 1000.0
                );
            }
        }
        Cmd::Lsp {
            sizes,
            keystrokes,
            dir,
            binary,
        } => {
            println!(
                "{:>8} {:>26} {:>8} {:>12} {:>10} {:>10}",
                "chapters", "keystroke", "count", "median (ms)", "p90 (ms)", "max (ms)"
            );
            for size in sizes {
                let root = dir.join(format!("handbook-{size}"));
                if !root.join("content/handbook.yaml").is_file() {
                    generate(size, &root).expect("generate the handbook");
                }
                let timed = lsp_bench::keystrokes(&binary, &root, keystrokes);
                for (what, mut times) in timed {
                    times.sort();
                    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
                    println!(
                        "{:>8} {:>26} {:>8} {:>12.1} {:>10.1} {:>10.1}",
                        size,
                        what,
                        times.len(),
                        ms(times[times.len() / 2]),
                        ms(times[times.len() * 9 / 10]),
                        ms(times[times.len() - 1])
                    );
                }
            }
        }
        Cmd::Run {
            sizes,
            runs,
            dir,
            out_base,
            binary,
        } => {
            require(&binary);
            println!(
                "{:>8} | {:>9} {:>9} {:>9} | {:>9} {:>9} | {:>8} | {:>8} {:>9} | largest file",
                "chapters",
                "clean (s)",
                "min (s)",
                "CPU (s)",
                "again (s)",
                "CPU (s)",
                "RSS (MB)",
                "MB",
                "KB/ch"
            );
            for size in sizes {
                let root = handbook_of(&dir, size);
                let out_base = out_base.clone().unwrap_or_else(|| dir.clone());
                let run = clean_and_again(
                    &binary,
                    &root,
                    &out_base.join(format!("out-{size}")),
                    runs.max(1),
                );
                let (largest, largest_bytes) = &run.largest;
                println!(
                    "{:>8} | {:>9.3} {:>9.3} {:>9.3} | {:>9.3} {:>9.3} | {:>8.0} | {:>8.1} {:>9.1} | {} ({:.1} MB)",
                    size,
                    run.clean.median().as_secs_f64(),
                    run.clean.min().as_secs_f64(),
                    run.clean.cpu_median().as_secs_f64(),
                    run.again.median().as_secs_f64(),
                    run.again.cpu_median().as_secs_f64(),
                    run.clean.max_rss_kb.max(run.again.max_rss_kb) as f64 / 1024.0,
                    run.output_bytes as f64 / 1_048_576.0,
                    run.output_bytes as f64 / 1024.0 / size as f64,
                    largest,
                    *largest_bytes as f64 / 1_048_576.0,
                );
            }
        }
        Cmd::Ab {
            sizes,
            runs,
            dir,
            out_base,
            a,
            b,
        } => {
            require(&a);
            require(&b);
            println!(
                "{:>8} | {:>11} {:>9} | {:>11} {:>9} | {:>12}",
                "chapters", "A clean (s)", "CPU (s)", "B clean (s)", "CPU (s)", "B/A (paired)"
            );
            for size in sizes {
                let root = handbook_of(&dir, size);
                let out_base = out_base.clone().unwrap_or_else(|| dir.clone());
                let (ta, tb) = alternate(
                    &a,
                    &b,
                    &root,
                    &out_base.join(format!("ab-{size}")),
                    runs.max(1),
                );
                let mut ratios: Vec<f64> = ta
                    .wall
                    .iter()
                    .zip(&tb.wall)
                    .map(|(a, b)| b.as_secs_f64() / a.as_secs_f64())
                    .collect();
                ratios.sort_by(f64::total_cmp);
                println!(
                    "{:>8} | {:>11.3} {:>9.3} | {:>11.3} {:>9.3} | {:>12.3}",
                    size,
                    ta.median().as_secs_f64(),
                    ta.cpu_median().as_secs_f64(),
                    tb.median().as_secs_f64(),
                    tb.cpu_median().as_secs_f64(),
                    ratios[ratios.len() / 2],
                );
            }
        }
    }
}

/// Starts `handbook serve`, connects as a live-reload client, and times `edits`
/// edits of one chapter from the write to the `change` (or `reload`) event.
fn live_latency(binary: &Path, root: &Path, edits: usize) -> Vec<Duration> {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::mpsc::channel;

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(binary)
        .args([
            "serve",
            "--lang",
            "en",
            "--port",
            &port.to_string(),
            "--root",
        ])
        .arg(root)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start handbook serve");
    let stderr = child.stderr.take().unwrap();
    let (ready_tx, ready) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("serving") {
                let _ = ready_tx.send(());
            }
        }
    });
    ready
        .recv_timeout(Duration::from_secs(120))
        .expect("the server started");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__handbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let (event_tx, events) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                if event_tx.send((name.to_string(), Instant::now())).is_err() {
                    break;
                }
            }
        }
    });
    let hello = events
        .recv_timeout(Duration::from_secs(10))
        .expect("connected");
    assert_eq!(hello.0, "hello");
    let chapter = std::fs::read_dir(root.join("content/0000-part"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a chapter");
    let original = std::fs::read_to_string(&chapter).unwrap();
    let mut times = Vec::new();
    for edit in 0..edits {
        std::thread::sleep(Duration::from_millis(150));
        let text = format!("{original}\n本次修改编号 {edit}。\n");
        let started = Instant::now();
        std::fs::write(&chapter, text).unwrap();
        loop {
            let (name, at) = events
                .recv_timeout(Duration::from_secs(60))
                .expect("a change event");
            if name == "change" || name == "reload" {
                times.push(at.duration_since(started));
                break;
            }
        }
    }
    std::fs::write(&chapter, original).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    times
}

fn require(binary: &Path) {
    if !binary.is_file() {
        eprintln!(
            "{} not found: run `cargo build --profile dist` first",
            binary.display()
        );
        std::process::exit(2);
    }
}

/// The synthetic handbook of `size` chapters in `dir`, generated if not there yet.
fn handbook_of(dir: &Path, size: usize) -> PathBuf {
    let root = dir.join(format!("handbook-{size}"));
    if !root.join("content/handbook.yaml").is_file() {
        generate(size, &root).expect("generate the handbook");
    }
    root
}

/// Wall and CPU times of one kind of build, and its peak memory.
#[derive(Default)]
struct Timing {
    wall: Vec<Duration>,
    /// User and system CPU time: unlike wall time, not stretched when the machine
    /// lends its cores to others.
    cpu: Vec<Duration>,
    max_rss_kb: i64,
}

impl Timing {
    fn add(&mut self, build: Build) {
        self.wall.push(build.wall);
        self.cpu.push(build.cpu);
        self.max_rss_kb = self.max_rss_kb.max(build.max_rss_kb);
    }

    fn median(&self) -> Duration {
        median(&self.wall)
    }

    fn min(&self) -> Duration {
        self.wall.iter().copied().min().unwrap_or_default()
    }

    fn cpu_median(&self) -> Duration {
        median(&self.cpu)
    }
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// What `run` measures of one size.
struct CleanAndAgain {
    clean: Timing,
    again: Timing,
    output_bytes: u64,
    /// The largest output file, relative to the output folder, and its size.
    largest: (String, u64),
}

/// `runs` clean builds into new empty folders in `base`, each followed by a rebuild
/// over the folder a first build left there.
fn clean_and_again(binary: &Path, root: &Path, base: &Path, runs: usize) -> CleanAndAgain {
    let kept = base.join("kept");
    remove_output(&kept);
    build(binary, root, &kept); // the folder the rebuilds find
    let mut clean = Timing::default();
    let mut again = Timing::default();
    let mut measured = None;
    for i in 0..runs {
        let fresh = base.join(format!("clean-{i}"));
        remove_output(&fresh);
        clean.add(build(binary, root, &fresh));
        if measured.is_none() {
            measured = Some((dir_size(&fresh), largest_file(&fresh)));
        }
        remove_output(&fresh);
        again.add(build(binary, root, &kept));
    }
    remove_output(&kept);
    let (output_bytes, largest) = measured.unwrap_or_default();
    CleanAndAgain {
        clean,
        again,
        output_bytes,
        largest,
    }
}

/// Clean builds into new empty folders in `base`, by `a` and `b` in turn.
fn alternate(a: &Path, b: &Path, root: &Path, base: &Path, runs: usize) -> (Timing, Timing) {
    let (mut ta, mut tb) = (Timing::default(), Timing::default());
    for i in 0..runs {
        // Who goes first alternates too: the second of a pair finds the page cache warm.
        let order = if i % 2 == 0 {
            [(a, &mut ta), (b, &mut tb)]
        } else {
            [(b, &mut tb), (a, &mut ta)]
        };
        for (binary, timing) in order {
            let fresh = base.join(format!("clean-{i}"));
            remove_output(&fresh);
            timing.add(build(binary, root, &fresh));
            remove_output(&fresh);
        }
    }
    (ta, tb)
}

/// An output folder gone, and what a build keeps beside it (`.NAME.staging`, the
/// record of what it wrote).
fn remove_output(out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let path = entry.path();
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
    }
}

/// One timed build.
struct Build {
    wall: Duration,
    cpu: Duration,
    max_rss_kb: i64,
}

fn build(binary: &Path, root: &Path, out: &Path) -> Build {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start handbook");
    let (status, max_rss_kb, cpu) = wait_with_rusage(&mut child);
    let wall = started.elapsed();
    assert!(
        status == 0,
        "build of {} failed (exit {status})",
        root.display()
    );
    Build {
        wall,
        cpu,
        max_rss_kb,
    }
}

/// The largest file under `dir`, relative to it, and its size.
fn largest_file(dir: &Path) -> (String, u64) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            (
                rel.display().to_string(),
                e.metadata().map_or(0, |m| m.len()),
            )
        })
        .max_by_key(|(_, size)| *size)
        .unwrap_or_default()
}

/// Waits for the child and returns its exit status, peak resident memory (KB) and
/// CPU time (user and system).
fn wait_with_rusage(child: &mut std::process::Child) -> (i32, i64, Duration) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in; pid is our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (
        code,
        usage.ru_maxrss,
        time(usage.ru_utime) + time(usage.ru_stime),
    )
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

/// A small deterministic generator, so every run of a size measures the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

const SUBJECTS: &[&str] = &[
    "买家",
    "客服",
    "店长",
    "新同事",
    "老顾客",
    "快递员",
    "售后组",
    "仓库",
];
const VERBS: &[&str] = &[
    "询问", "确认", "解释", "处理", "记录", "跟进", "安抚", "核对", "回复", "说明",
];
const OBJECTS: &[&str] = &[
    "退货原因",
    "物流信息",
    "商品尺码",
    "优惠活动",
    "发货时间",
    "赔付标准",
    "差评内容",
    "订单备注",
    "运费险",
    "七天无理由退货",
    "仅退款申请",
    "中差评回访",
    "换货流程",
    "质量问题",
];
const TAILS: &[&str] = &[
    "，并把结果及时告诉对方。",
    "，语气要平和耐心。",
    "，不要让买家等太久。",
    "，必要时请主管协助。",
    "，处理完成后在系统里备注。",
    "，同时说明下一步怎么做。",
    "，先道歉再给出方案。",
];
const HEADINGS: &[&str] = &[
    "基本原则",
    "常见情况",
    "处理步骤",
    "注意事项",
    "话术示例",
    "案例分析",
];

fn sentence(rng: &mut Rng) -> String {
    format!(
        "{}{}{}{}",
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(TAILS)
    )
}

fn chapter_id(i: usize) -> String {
    format!("ch{i:05}")
}

fn heading_text(chapter: usize, h: usize) -> String {
    format!("{}{}", HEADINGS[h % HEADINGS.len()], chapter * 10 + h)
}

fn headings_of(chapter: usize) -> usize {
    4 + chapter % 3
}

fn generate(chapters: usize, root: &Path) -> std::io::Result<()> {
    let content = root.join("content");
    if content.exists() {
        std::fs::remove_dir_all(&content)?;
    }
    std::fs::create_dir_all(content.join("phrases"))?;
    std::fs::write(
        content.join("handbook.yaml"),
        format!(
            "title: 合成手册 {chapters} 章\ndescription: 基准测试用的合成手册\nlanguage: zh-CN\n"
        ),
    )?;
    let mut rng = Rng(chapters as u64);
    for i in 0..chapters {
        let part = i / 25;
        let part_dir = content.join(format!("{part:04}-part"));
        if i % 25 == 0 {
            write_part(&part_dir, part, i)?;
        }
        let text = chapter_text(i, chapters, &mut rng);
        std::fs::write(
            part_dir.join(format!("{:05}-{}.md", i, chapter_id(i))),
            text,
        )?;
        if i % 10 == 0 {
            std::fs::write(
                content.join("phrases").join(format!("t{:05}.yaml", i / 10)),
                table_text(i, &mut rng),
            )?;
        }
    }
    Ok(())
}

/// A part's folder and its `_part.yaml`; `first` is its first chapter.
fn write_part(part_dir: &Path, part: usize, first: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(part_dir)?;
    std::fs::write(
        part_dir.join("_part.yaml"),
        format!(
            "title: 第{}部分\nsummary: 第{}到{}章\n",
            part + 1,
            first + 1,
            first + 25
        ),
    )
}

/// Chapter `i`: front matter, then its sections.
fn chapter_text(i: usize, chapters: usize, rng: &mut Rng) -> String {
    let mut text = format!(
        "---\ntitle: 第{}章 {}\nsummary: {}\ntags: [合成, 第{}部分]\n---\n\n",
        i + 1,
        rng.pick(OBJECTS),
        sentence(rng),
        i / 25 + 1
    );
    for h in 0..headings_of(i) {
        section(&mut text, i, h, chapters, rng);
    }
    text
}

/// Section `h` of chapter `i`: a heading, three paragraphs, and by its number a
/// list of links, a table, a dialogue or numbered steps.
fn section(text: &mut String, i: usize, h: usize, chapters: usize, rng: &mut Rng) {
    let _ = writeln!(text, "## {}\n", heading_text(i, h));
    for _ in 0..3 {
        for _ in 0..3 {
            text.push_str(&sentence(rng));
        }
        text.push_str("\n\n");
    }
    match h {
        0 => see_also(text, chapters, rng),
        1 => markdown_table(text, rng),
        2 => dialogue(text, rng),
        3 => steps(text, i, rng),
        _ => {}
    }
}

/// Three links to headings of other chapters.
fn see_also(text: &mut String, chapters: usize, rng: &mut Rng) {
    for _ in 0..3 {
        let target = rng.next() % chapters;
        let th = rng.next() % headings_of(target);
        let _ = writeln!(
            text,
            "- 参见[{}](@{}#{})。",
            heading_text(target, th),
            chapter_id(target),
            heading_text(target, th)
        );
    }
    text.push('\n');
}

fn markdown_table(text: &mut String, rng: &mut Rng) {
    text.push_str("| 情况 | 做法 | 时限 |\n| --- | --- | --- |\n");
    for _ in 0..4 {
        let _ = writeln!(
            text,
            "| {} | {} | {} 小时 |",
            rng.pick(OBJECTS),
            rng.pick(VERBS),
            1 + rng.next() % 48
        );
    }
    text.push('\n');
}

fn dialogue(text: &mut String, rng: &mut Rng) {
    text.push_str("```dialogue\n");
    for turn in 0..4 {
        let speaker = if turn % 2 == 0 { "买家" } else { "客服" };
        let _ = writeln!(text, "{speaker}: {}", sentence(rng));
    }
    text.push_str("```\n\n");
}

/// Numbered steps; every tenth chapter then embeds its phrase table.
fn steps(text: &mut String, i: usize, rng: &mut Rng) {
    for n in 1..=4 {
        let _ = writeln!(text, "{n}. {}", sentence(rng));
    }
    text.push('\n');
    if i.is_multiple_of(10) {
        let _ = writeln!(text, "```phrases t{:05}\n```\n", i / 10);
    }
}

/// The phrase table of chapters `i` to `i + 9`: ten entries seeing chapter `i`.
fn table_text(i: usize, rng: &mut Rng) -> String {
    let mut table = format!(
        "title: 话术表 {}\nkind: script\ntags: [合成]\nentries:\n",
        i / 10 + 1
    );
    for e in 0..10 {
        let _ = write!(
            table,
            "  - id: e{e}\n    situation: {}\n    say: [\"{}\", \"{}\"]\n    avoid: \"不归我管{e}号{i}\"\n    why: {}\n    see: [\"@{}#{}\"]\n",
            sentence(rng).trim_end_matches('。'),
            sentence(rng),
            sentence(rng),
            sentence(rng),
            chapter_id(i),
            heading_text(i, 0)
        );
    }
    table
}
