//! The reader features in a real browser: builds the sample handbook and runs
//! `tests/browser/run.mjs` (headless Chromium through playwright-core) on it.
//! The sample is built in a git repository, as a team keeps it.
//!
//! Needs Chromium (`/usr/bin/chromium`, or `$CHROMIUM`), `node` and `git`; where one is
//! missing the test is ignored, saying what to install, except under `CI=true`,
//! where that is a failure (`.ci/run` installs them). The npm packages are installed
//! here (`npm ci --prefix tests/browser`) whenever `node_modules` does not hold the
//! versions `package-lock.json` names.

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use libtest_mimic::{Completion, Failed};

use crate::support::{copy_dir, git, Handbook};

/// What installs the browser, with the fonts its screenshots need for Chinese.
const INSTALL_CHROMIUM: &str = "apt-get install chromium fonts-noto-cjk";
const INSTALL_NODE: &str = "apt-get install nodejs npm";
const INSTALL_GIT: &str = "apt-get install git";
/// `npm ci` downloads one package of a few megabytes: minutes mean it is stuck.
const NPM_TIME_LIMIT: Duration = Duration::from_secs(300);

pub fn reader_features_work_in_chromium() -> Result<Completion, Failed> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = repo.join("tests/browser");
    let mut missing = missing_tools();
    if missing.is_empty() && !packages_installed(&browser_dir) && !runs("npm") {
        missing.push(format!("no npm: {INSTALL_NODE}"));
    }
    if !missing.is_empty() {
        let what = missing.join("; ");
        if crate::under_ci() {
            return Err(format!("browser tests cannot run under CI=true: {what}").into());
        }
        return Ok(Completion::ignored_with(what));
    }
    if !packages_installed(&browser_dir) {
        install_packages(&browser_dir)?;
    }

    let hb = sample_in_git(repo);
    let build = hb.run(&["build"]);
    if build.code != 0 {
        return Err(format!("building the sample failed:\n{}", build.stderr).into());
    }

    let updated = updated_sample(repo)?;
    let output = Command::new("node")
        .arg(browser_dir.join("run.mjs"))
        .arg(hb.path("public"))
        .arg(updated.path("public"))
        .env("HANDBOOK_BIN", env!("CARGO_BIN_EXE_handbook"))
        .current_dir(&browser_dir)
        .output()
        .map_err(|e| format!("running node: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = stdout.lines().last().unwrap_or_default();
    if !output.status.success() || !summary.ends_with(" 0 failed") {
        return Err(format!(
            "browser tests failed ({}):\n{stdout}\n{stderr}",
            output.status
        )
        .into());
    }
    eprintln!("browser tests: {summary}");
    Ok(Completion::Completed)
}

/// The sample in a new git repository, committed once on a fixed date. Both sites
/// start from that commit, so a page not edited since carries the same date (and
/// hash) in both, and each has a `changes.html`.
fn sample_in_git(repo: &Path) -> Handbook {
    let hb = Handbook {
        dir: tempfile::tempdir().unwrap(),
    };
    copy_dir(&repo.join("content"), &hb.path("content"));
    let date = "2026-01-05T09:00:00+08:00";
    git(hb.root(), date, &["init", "-q", "-b", "main"]);
    git(hb.root(), date, &["add", "."]);
    git(hb.root(), date, &["commit", "-qm", "初版"]);
    hb
}

/// The sample rebuilt after an update, committed: one chapter (`returns.html`)
/// edited and one added (`new-rules.html`), for the "updated since you last read"
/// marks and `changes.html`.
fn updated_sample(repo: &Path) -> Result<Handbook, Failed> {
    let hb = sample_in_git(repo);
    let returns = hb.path("content/04-aftersales/02-returns.md");
    let text = std::fs::read_to_string(&returns).unwrap();
    std::fs::write(
        &returns,
        format!(
            "{text}
运费险理赔以平台规则为准。
"
        ),
    )
    .unwrap();
    hb.write(
        "content/04-aftersales/08-new-rules.md",
        "---\ntitle: 新规则速览\n---\n\n本月的新规则。\n",
    );
    let date = "2026-02-01T10:00:00+08:00";
    git(hb.root(), date, &["add", "-A"]);
    git(
        hb.root(),
        date,
        &["commit", "-qm", "运费险理赔；新规则速览"],
    );
    let build = hb.run(&["build"]);
    if build.code != 0 {
        return Err(format!("building the updated sample failed:\n{}", build.stderr).into());
    }
    Ok(hb)
}

/// Chromium and node, each with the command that installs it, if it is missing.
fn missing_tools() -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.is_file() {
        missing.push(format!(
            "no Chromium at {}: {INSTALL_CHROMIUM}, or set CHROMIUM to its path",
            chromium.display()
        ));
    }
    if !runs("node") {
        missing.push(format!("no node: {INSTALL_NODE}"));
    }
    // The sites are built in a repository, for the pages' dates and `changes.html`.
    if !runs("git") {
        missing.push(format!("no git: {INSTALL_GIT}"));
    }
    missing
}

/// Whether `PROGRAM --version` runs and succeeds.
fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether every package `package-lock.json` names is installed at its version.
fn packages_installed(browser_dir: &Path) -> bool {
    let lock = std::fs::read_to_string(browser_dir.join("package-lock.json"))
        .expect("tests/browser/package-lock.json is readable");
    let lock: serde_json::Value = serde_json::from_str(&lock).expect("package-lock.json is JSON");
    let packages = lock["packages"]
        .as_object()
        .expect("package-lock.json lists its packages");
    packages
        .iter()
        .filter(|(path, _)| path.starts_with("node_modules/"))
        .all(|(path, locked)| {
            let installed = std::fs::read_to_string(browser_dir.join(path).join("package.json"))
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
            installed.is_some_and(|installed| installed["version"] == locked["version"])
        })
}

/// `npm ci --prefix tests/browser`, stopped if it takes longer than [`NPM_TIME_LIMIT`].
fn install_packages(browser_dir: &Path) -> Result<(), Failed> {
    let mut log = tempfile::tempfile().map_err(|e| format!("a log file for npm: {e}"))?;
    let mut child = Command::new("npm")
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(browser_dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log.try_clone().unwrap())
        .spawn()
        .map_err(|e| format!("running npm: {e}"))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > NPM_TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut output = String::new();
    log.rewind().unwrap();
    let _ = log.read_to_string(&mut output);
    let command = format!("npm ci --prefix {}", browser_dir.display());
    match status {
        Some(status) if status.success() => Ok(()),
        Some(status) => Err(format!("`{command}` failed ({status}):\n{output}").into()),
        None => Err(format!(
            "`{command}` took more than {} s and was stopped:\n{output}",
            NPM_TIME_LIMIT.as_secs()
        )
        .into()),
    }
}
