//! `serve` under load while edits land, bounded: the driver of `bench-gen load` on a
//! small handbook, with the same promises as the full run (README, Reliability): no
//! failed request, every listener told of the last rebuild, open files back to their
//! level once the clients leave, and `public/` identical to a clean build.

#[path = "../../src/bin/bench_gen/load.rs"]
#[allow(dead_code)]
mod driver;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Runs the driver on a handbook `bench-gen` generates with `chapters` chapters, in a
/// folder of its own, and prints what it found.
fn run_on_generated(chapters: usize, plan: &driver::Plan) -> driver::Report {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("handbook");
    let status = Command::new(env!("CARGO_BIN_EXE_bench-gen"))
        .args(["generate", "--chapters", &chapters.to_string(), "--out"])
        .arg(&root)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let report = driver::run(
        Path::new(env!("CARGO_BIN_EXE_handbook")),
        &root,
        dir.path(),
        plan,
    );
    report.print();
    report
}

/// The end checks of every run: no failed request, every listener told of the last
/// rebuild, `public/` as a clean build makes it.
fn assert_ended_well(report: &driver::Report, plan: &driver::Plan) {
    assert!(
        report.failures.is_empty(),
        "failed requests: {:?}",
        report.failures
    );
    assert_eq!(
        report.listeners_up_to_date, plan.listeners,
        "listeners without the last rebuild's event"
    );
    assert!(
        report.differing.is_empty(),
        "differs from a clean build: {:?}",
        report.differing
    );
}

#[test]
fn serve_holds_under_load_while_edits_land() {
    let plan = driver::Plan {
        clients: 24,
        listeners: 6,
        edits: 80,
        checkout: 20,
        soak: None,
        sample_every: Duration::from_secs(2),
        max_pause: Duration::from_millis(400),
    };
    let report = run_on_generated(60, &plan);
    assert!(report.requests > 100, "only {} requests", report.requests);
    assert_eq!(report.edits, plan.edits);
    assert_ended_well(&report, &plan);
    assert!(
        report.fds_after <= report.fds_before + 4,
        "open files: {} before, {} after",
        report.fds_before,
        report.fds_after
    );
    let phases: Vec<&str> = report.samples.iter().map(|s| s.phase).collect();
    assert_eq!(phases.first(), Some(&"before"), "samples: {phases:?}");
    assert_eq!(phases.last(), Some(&"after"), "samples: {phases:?}");
    assert!(report.samples.iter().all(|s| s.rss_kb > 0 && s.fds > 0));
}

/// A soak, short: edits land for a set time rather than a set count, samples are
/// taken along the way, and the end checks are those of a counted run. (Whether
/// memory stays flat takes the half hour of README's soak to tell.)
#[test]
fn a_short_soak_samples_memory_and_ends_like_a_counted_run() {
    let plan = driver::Plan {
        clients: 8,
        listeners: 3,
        edits: 0,
        checkout: 10,
        soak: Some(Duration::from_secs(8)),
        sample_every: Duration::from_secs(1),
        max_pause: Duration::from_millis(400),
    };
    let report = run_on_generated(30, &plan);
    report.print_samples();
    assert!(report.edits > 10, "only {} edits in the soak", report.edits);
    assert_ended_well(&report, &plan);
    let under_load = report.samples.iter().filter(|s| s.phase == "load").count();
    assert!(under_load >= 6, "{under_load} samples under load in 8 s");
    let counts: Vec<u64> = report.samples.iter().map(|s| s.requests).collect();
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "requests {counts:?}"
    );
    let verdict = report.memory_verdict().expect("a verdict from six samples");
    assert!(verdict.first_kb > 0 && verdict.last_kb > 0, "{verdict}");
}
