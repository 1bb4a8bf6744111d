//! Random mutations of the fixture handbooks through the real binary's `check` and
//! `build`: bytes, lines, YAML keys, encodings and sizes of one file at a time (with
//! the mutations of the library's fuzz targets, `src/fuzz/mutate.rs`), and whole
//! files added, copied over another or deleted. Every run must:
//!
//! - exit with 0 (no errors), 1 (errors in the handbook) or 2 (a usage or I/O
//!   error), never a panic or a signal;
//! - report every position (`check --format json`) inside the file it names, which
//!   exists: line within the file, column within the line;
//! - agree: `check` fails exactly when `build` does;
//! - when `build` fails, leave the previous `public/` byte for byte. (The staging
//!   folder beside it is kept by design: the previous site becomes the next
//!   build's staging folder, see `src/output/site.rs`.)
//!
//! The test suite runs a bounded number (`mutations_hold_the_promises`); the full
//! campaign is `HANDBOOK_MUTATIONS=5000 cargo test --release --test integration
//! mutation_campaign -- --ignored` (`HANDBOOK_MUTATION_SEED` repeats one).

#[path = "../../src/fuzz/mutate.rs"]
#[allow(dead_code)]
mod mutate;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{copy_dir, fixture, read_tree};

/// The output folder's files; none when a fixture with errors never wrote one.
fn output(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let public = root.join("public");
    if public.exists() {
        read_tree(&public)
    } else {
        Default::default()
    }
}

/// What one run of the binary did.
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(root: &Path, args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .env("HANDBOOK_LANG", "en")
        .output()
        .expect("run handbook");
    Outcome {
        // A signal (an abort) has no code: -1 fails the exit-code check.
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The handbook's text files (chapters, tables, parts, handbook.yaml), relative to
/// the root.
fn text_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .filter(|p| !p.starts_with("public"))
        .filter(|p| {
            let name = p.to_string_lossy();
            [".md", ".yaml", ".yml", ".html"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .collect();
    files.sort();
    files
}

/// Checks that a JSON report's positions lie inside the files they name.
fn check_positions(root: &Path, report: &str, what: &str) {
    let json: serde_json::Value = serde_json::from_str(report)
        .unwrap_or_else(|e| panic!("{what}: check --format json is not JSON ({e}): {report}"));
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        let Some(file) = d["file"].as_str() else {
            continue;
        };
        let path = root.join(file);
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{what}: a diagnostic names {file}, unreadable: {e}\n{d}"));
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.split('\n').collect();
        for (line_key, column_key) in [("line", "column"), ("end_line", "end_column")] {
            let (Some(line), Some(column)) = (d[line_key].as_u64(), d[column_key].as_u64()) else {
                continue;
            };
            let line = line as usize;
            assert!(
                (1..=lines.len()).contains(&line),
                "{what}: {line_key} {line} outside {file} ({} lines)\n{d}",
                lines.len()
            );
            let width = lines[line - 1].chars().count();
            assert!(
                (1..=width + 1).contains(&(column as usize)),
                "{what}: {column_key} {column} outside line {line} of {file} ({width} characters)\n{d}"
            );
        }
    }
}

/// One handbook-level change: mutate a file's bytes, copy a file over another
/// name, or delete one. Returns what it did, for messages.
fn change(root: &Path, mutator: &mut mutate::Mutator, rng: &mut fastrand::Rng) -> String {
    let files = text_files(root);
    if files.is_empty() {
        return "nothing to change".into();
    }
    let file = files[rng.usize(..files.len())].clone();
    let path = root.join(&file);
    let corpus: Vec<Vec<u8>> = files
        .iter()
        .take(8)
        .filter_map(|f| std::fs::read(root.join(f)).ok())
        .collect();
    match rng.u8(..10) {
        0 => {
            std::fs::remove_file(&path).unwrap();
            format!("deleted {}", file.display())
        }
        1 => {
            // A copy beside it: duplicate ids, codes and titles.
            let copy = path
                .with_file_name(format!("copy-{}", rng.u32(..1000)))
                .with_extension(path.extension().unwrap_or_default());
            std::fs::copy(&path, &copy).unwrap();
            format!("copied {} beside itself", file.display())
        }
        _ => {
            let mut bytes = std::fs::read(&path).unwrap();
            // One small change half the time (an editor's typo), a pile of them
            // otherwise.
            if rng.bool() {
                mutator.mutate_once(&mut bytes, &corpus);
            } else {
                mutator.mutate(&mut bytes, &corpus);
            }
            std::fs::write(&path, &bytes).unwrap();
            format!("mutated {} ({} bytes)", file.display(), bytes.len())
        }
    }
}

/// A copy of each fixture handbook, built once so that it has a `public/`.
struct Subject {
    original: PathBuf,
    /// Where in the handbook the original goes (`content` for the sample).
    inside: String,
    dir: tempfile::TempDir,
}

impl Subject {
    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Puts the handbook's sources back as the fixture has them (keeping
    /// `public/`).
    fn restore(&self) {
        for entry in std::fs::read_dir(self.root()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() != "public" {
                let path = entry.path();
                if path.is_dir() {
                    std::fs::remove_dir_all(&path).unwrap();
                } else {
                    std::fs::remove_file(&path).unwrap();
                }
            }
        }
        copy_dir(&self.original, &self.root().join(&self.inside));
    }
}

/// Runs `count` mutations (or until `time` is spent); returns how many ran and how
/// many builds failed.
fn campaign(count: usize, time: Duration, seed: u64) -> (usize, usize) {
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    let subject = |original: PathBuf, inside: &str| {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&original, &dir.path().join(inside));
        run(dir.path(), &["build"]);
        Subject {
            original,
            inside: inside.to_string(),
            dir,
        }
    };
    // Most fixtures hold a mistake on purpose, so their builds fail whatever the
    // mutation; the good one and the repository's sample are picked half the time,
    // so that mutated handbooks also build and replace a site.
    let good: Vec<Subject> = vec![
        subject(fixture("good"), ""),
        subject(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            "content",
        ),
    ];
    let others: Vec<Subject> = fixtures.into_iter().map(|f| subject(f, "")).collect();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut mutator = mutate::Mutator::new(seed);
    let started = Instant::now();
    let (mut done, mut failed_builds) = (0, 0);
    while done < count && started.elapsed() < time {
        let pool = if rng.bool() { &good } else { &others };
        let subject = &pool[rng.usize(..pool.len())];
        let root = subject.root();
        let mut changes = Vec::new();
        for _ in 0..1 + rng.usize(..3) * rng.usize(..2) {
            changes.push(change(root, &mut mutator, &mut rng));
        }
        let what = format!(
            "mutation {done} (seed {seed}) of {}: {}",
            subject.original.display(),
            changes.join("; ")
        );
        let before = output(root);
        let check = run(root, &["check", "--format", "json"]);
        let build = run(root, &["build"]);
        for (name, outcome) in [("check", &check), ("build", &build)] {
            assert!(
                [0, 1, 2].contains(&outcome.code),
                "{what}: {name} exited with {}\n{}",
                outcome.code,
                outcome.stderr
            );
            assert!(
                !outcome.stderr.contains("panicked") && !outcome.stderr.contains("RUST_BACKTRACE"),
                "{what}: {name} panicked\n{}",
                outcome.stderr
            );
        }
        check_positions(root, &check.stdout, &what);
        assert_eq!(
            check.code == 0,
            build.code == 0,
            "{what}: check exited {} but build {}\n{}\n{}",
            check.code,
            build.code,
            check.stdout,
            build.stderr
        );
        if build.code != 0 {
            failed_builds += 1;
            assert!(
                output(root) == before,
                "{what}: a failed build changed public/\n{}",
                build.stderr
            );
        }
        subject.restore();
        done += 1;
    }
    (done, failed_builds)
}

#[test]
fn mutations_hold_the_promises() {
    // A fixed seed, bounded in count and time (about a minute at most on two cores).
    let (done, failed) = campaign(300, Duration::from_secs(40), 17);
    eprintln!("{done} mutations, {failed} failed builds");
    assert!(done >= 50, "only {done} mutations ran");
    assert!(
        failed > 0,
        "no mutation broke a build: the mutations are too gentle"
    );
}

#[test]
#[ignore = "the full campaign: HANDBOOK_MUTATIONS=5000 cargo test --release --test integration mutation_campaign -- --ignored"]
fn mutation_campaign() {
    let count = std::env::var("HANDBOOK_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000);
    let seed = std::env::var("HANDBOOK_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let started = Instant::now();
    let (done, failed) = campaign(count, Duration::from_secs(6 * 3600), seed);
    eprintln!(
        "mutation campaign: {done} mutations (seed {seed}) in {:.0} s, {failed} failed builds, \
         every one leaving public/ as it was",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(done, count);
}
