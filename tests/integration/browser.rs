//! The reader features in a real browser: builds the sample handbook and runs
//! `tests/browser/run.mjs` (headless Chromium through playwright-core) on it.
//!
//! Needs Chromium (`/usr/bin/chromium`, or `$CHROMIUM`), `node`, and
//! `tests/browser/node_modules` (`npm ci --prefix tests/browser`). Where one is
//! missing the test prints a notice and passes, except under `CI=true`, where a
//! missing browser is a failure: `.ci/run` installs all three.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::Handbook;

fn missing_tools(browser_dir: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium at {} (apt-get install chromium, or set CHROMIUM)",
            chromium.display()
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        missing.push("node".to_string());
    }
    if !browser_dir
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        missing.push(format!(
            "{}/node_modules/playwright-core (npm ci --prefix tests/browser)",
            browser_dir.display()
        ));
    }
    missing
}

#[test]
fn reader_features_work_in_chromium() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let missing = missing_tools(&browser_dir);
    if !missing.is_empty() {
        let what = missing.join("; ");
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("browser tests cannot run under CI=true: missing {what}");
        }
        // Straight to the process's stderr: the test harness captures eprintln!
        // of passing tests, and this notice must be seen.
        let _ = writeln!(std::io::stderr(), "SKIPPED browser tests: missing {what}");
        return;
    }

    let hb = Handbook {
        dir: tempfile::tempdir().unwrap(),
    };
    crate::support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &hb.path("content"),
    );
    let build = hb.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);

    let output = Command::new("node")
        .arg(browser_dir.join("run.mjs"))
        .arg(hb.path("public"))
        .current_dir(&browser_dir)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "browser tests failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(summary.ends_with(" 0 failed"), "{stdout}");
    eprintln!("browser tests: {summary}");
}
