//! Fuzzing on stable Rust: every parser of user text, driven by a seeded mutation loop.
//!
//! Why here, and why this way:
//! - The parsers are `pub(crate)`, and the library exposes only `cli::main`; a fuzz
//!   crate or a `tests/` binary could not call them without widening the library's
//!   surface for tests alone. So the targets live inside the library, compiled only
//!   under `#[cfg(test)]`: the shipped binary carries none of it.
//! - Nightly is not available, so neither `cargo fuzz` (libFuzzer) nor `-Z`
//!   sanitizer coverage is. The loop here is a mutational fuzzer with cheap
//!   feedback instead of coverage: it starts from the fixture handbooks' and the
//!   sample's files, applies stacked mutations (bytes, tokens of the handbook's
//!   syntax, lines, splices between files, sizes, Unicode oddities), and keeps in
//!   its corpus every input whose *outcome* is new (each target returns a hash of
//!   what it saw: which diagnostics, how many headings, which link kinds…), so
//!   inputs that reach new behaviour are mutated further.
//! - Each target checks properties, not only "no panic": positions inside the
//!   file and on character boundaries, slugs stable and unique per page, exports
//!   that a real reader parses back into the lines that went in.
//!
//! Running it:
//! - `cargo test --lib fuzz::` is the smoke run (part of `cargo test`): a fixed
//!   seed, a few seconds per target.
//! - `HANDBOOK_FUZZ_SECS=600 cargo test --release --lib fuzz::campaign -- --ignored
//!   --test-threads 1` is a campaign: each target for that many seconds, a seed
//!   from the clock (`HANDBOOK_FUZZ_SEED` to repeat one), printed.
//! - A failing input is written to `target/fuzz-found/<target>/` and the failure
//!   names the file. Once fixed, it goes in `tests/fuzz-regressions/<target>/`,
//!   whose files every run (smoke or campaign) replays first.

mod export;
mod mutate;
mod query;
mod text;

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mutate::Mutator;

/// One fuzz target: checks its properties on one input (panicking when one fails)
/// and returns a hash of the outcome, the loop's only feedback.
pub(super) type Check = fn(&[u8]) -> u64;

/// How long a run goes on.
#[derive(Clone, Copy, Debug)]
pub(super) struct Budget {
    time: Duration,
    max_runs: u64,
    seed: u64,
}

impl Budget {
    /// The smoke run's: fixed seed, a few seconds (the suite has about ten targets
    /// and must finish them all in under a minute on two cores, in a debug build).
    pub(super) fn smoke() -> Self {
        Budget {
            time: Duration::from_millis(2_500),
            max_runs: 20_000,
            seed: 0x5eed_0001,
        }
    }

    /// A campaign's: `HANDBOOK_FUZZ_SECS` (default 600) per target.
    pub(super) fn campaign() -> Self {
        let secs = std::env::var("HANDBOOK_FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(600);
        let seed = std::env::var("HANDBOOK_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        Budget {
            time: Duration::from_secs(secs),
            max_runs: u64::MAX,
            seed,
        }
    }
}

/// What one run did, for the campaign's report.
#[derive(Debug)]
pub(super) struct Stats {
    pub(super) runs: u64,
    pub(super) corpus: usize,
    pub(super) outcomes: usize,
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The seed inputs: the files under `tests/fixtures/` and the sample `content/`
/// whose name ends in one of `extensions`.
pub(super) fn seed_files(extensions: &[&str]) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for root in ["tests/fixtures", "content"] {
        for entry in walkdir::WalkDir::new(manifest_dir().join(root))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let name = entry.file_name().to_string_lossy();
            if extensions.iter().any(|ext| name.ends_with(ext)) {
                if let Ok(bytes) = std::fs::read(entry.path()) {
                    seeds.push(bytes);
                }
            }
        }
    }
    seeds
}

/// The inputs kept for `target` after a failure was fixed.
fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = manifest_dir().join("tests/fuzz-regressions").join(target);
    let mut cases: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.path(), std::fs::read(e.path()).ok()?)))
        .collect();
    cases.sort();
    cases
}

/// Where a failing input is written.
fn found_dir(target: &str) -> PathBuf {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("target"));
    target_dir.join("fuzz-found").join(target)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// Inputs larger than this are cut: the loop is after odd inputs, not big ones
/// (sizes have their own tests).
const MAX_INPUT: usize = 64 * 1024;
/// The most inputs the corpus keeps.
const MAX_CORPUS: usize = 2_000;

/// Runs `check` on the regression cases, the seeds, then mutations of the corpus
/// until the budget is spent. Panics, naming the saved input, at the first failure.
pub(super) fn run(target: &str, seeds: Vec<Vec<u8>>, check: Check, budget: Budget) -> Stats {
    for (path, input) in regressions(target) {
        if let Err(payload) = catch_unwind(|| check(&input)) {
            panic!(
                "fuzz target `{target}`: regression case {} fails again: {}",
                path.display(),
                panic_message(&*payload)
            );
        }
    }
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    let mut outcomes: HashSet<u64> = HashSet::new();
    let mut mutator = Mutator::new(budget.seed);
    let started = Instant::now();
    let mut runs = 0u64;
    let mut pending = seeds.into_iter();
    loop {
        let input = match pending.next() {
            Some(seed) => seed,
            None => {
                if runs >= budget.max_runs || started.elapsed() >= budget.time {
                    break;
                }
                if corpus.is_empty() {
                    corpus.push(Vec::new());
                }
                let mut input = mutator.pick(&corpus).clone();
                mutator.mutate(&mut input, &corpus);
                input.truncate(MAX_INPUT);
                input
            }
        };
        runs += 1;
        let result = quietly(|| catch_unwind(AssertUnwindSafe(|| check(&input))));
        match result {
            Ok(outcome) => {
                if outcomes.insert(outcome) && corpus.len() < MAX_CORPUS {
                    corpus.push(input);
                }
            }
            Err(payload) => {
                let dir = found_dir(target);
                let _ = std::fs::create_dir_all(&dir);
                let path = dir.join(format!("{:016x}", fxhash(&input)));
                let _ = std::fs::write(&path, &input);
                panic!(
                    "fuzz target `{target}` failed after {runs} runs (seed {}): {}\n\
                     input saved in {}\ninput: {:?}",
                    budget.seed,
                    panic_message(&*payload),
                    path.display(),
                    String::from_utf8_lossy(&input[..input.len().min(2_000)])
                );
            }
        }
    }
    Stats {
        runs,
        corpus: corpus.len(),
        outcomes: outcomes.len(),
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with this thread's panics kept quiet: the default hook would print every
/// panic the loop catches; a failure is reported once, with its input's file. Other
/// threads (other tests) keep the hook as it was.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = f();
    QUIET.with(|q| q.set(false));
    result
}

/// A hash of anything hashable, for outcomes.
pub(super) fn fxhash(value: &(impl std::hash::Hash + ?Sized)) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(value)
}

/// Text as the loader hands it to the parsers: always UTF-8 (a file that is not is
/// refused before any parser sees it).
pub(super) fn as_text(input: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(input)
}

/// Panics unless `span` lies inside `text`, on character boundaries.
#[track_caller]
pub(super) fn assert_span(text: &str, span: &std::ops::Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} is not inside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} cuts a character"
    );
}

/// One smoke test and one campaign test per target.
macro_rules! targets {
    ($($name:ident => $seeds:expr, $check:expr;)*) => {
        mod smoke {
            use super::*;
            $(
                #[test]
                fn $name() {
                    let stats = super::run(stringify!($name), $seeds, $check, super::Budget::smoke());
                    assert!(stats.runs >= 20, "only {} runs", stats.runs);
                }
            )*
        }
        mod campaign {
            use super::*;
            $(
                #[test]
                #[ignore = "a fuzz campaign: HANDBOOK_FUZZ_SECS=600 cargo test --release --lib fuzz::campaign -- --ignored --test-threads 1"]
                fn $name() {
                    let budget = super::Budget::campaign();
                    let started = std::time::Instant::now();
                    let stats = super::run(stringify!($name), $seeds, $check, budget);
                    eprintln!(
                        "fuzz campaign {}: {} runs in {:.0} s (seed {}), corpus {}, outcomes {}",
                        stringify!($name), stats.runs, started.elapsed().as_secs_f64(),
                        budget.seed, stats.corpus, stats.outcomes
                    );
                }
            )*
        }
    };
}

targets! {
    front_matter => seed_files(&[".md"]), text::front_matter;
    yaml_positions => seed_files(&[".yaml", ".yml"]), text::yaml_positions;
    phrase_table => seed_files(&[".yaml"]), text::phrase_table;
    chapter => seed_files(&[".md"]), text::chapter;
    dialogue => seed_files(&[".md"]), text::dialogue;
    link_destinations => text::link_seeds(), text::link_destinations;
    slugs => seed_files(&[".md"]), text::slugs;
    segmenter => seed_files(&[".md"]), text::segmenter;
    exports => export::seeds(), export::exports;
    query_splitter => query::seeds(), query::query_splitter;
}
