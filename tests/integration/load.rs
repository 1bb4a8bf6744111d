//! `serve` under load while edits land, bounded: the driver of `bench-gen load` on a
//! small handbook, with the same promises as the full run (README, Reliability): no
//! failed request, every listener told of the last rebuild, open files back to their
//! level once the clients leave, and `public/` identical to a clean build.

#[path = "../../src/bin/bench_gen/load.rs"]
#[allow(dead_code)]
mod driver;

use std::path::Path;
use std::process::Command;

#[test]
fn serve_holds_under_load_while_edits_land() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("handbook");
    let status = Command::new(env!("CARGO_BIN_EXE_bench-gen"))
        .args(["generate", "--chapters", "60", "--out"])
        .arg(&root)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let plan = driver::Plan {
        clients: 24,
        listeners: 6,
        edits: 80,
        checkout: 20,
    };
    let report = driver::run(
        Path::new(env!("CARGO_BIN_EXE_handbook")),
        &root,
        dir.path(),
        &plan,
    );
    report.print();
    assert!(report.requests > 100, "only {} requests", report.requests);
    assert!(
        report.failures.is_empty(),
        "failed requests: {:?}",
        report.failures
    );
    assert_eq!(report.edits, plan.edits);
    assert_eq!(
        report.listeners_up_to_date, plan.listeners,
        "listeners without the last rebuild's event"
    );
    assert!(
        report.fds_after <= report.fds_before + 4,
        "open files: {} before, {} after",
        report.fds_before,
        report.fds_after
    );
    assert!(
        report.differing.is_empty(),
        "differs from a clean build: {:?}",
        report.differing
    );
}
