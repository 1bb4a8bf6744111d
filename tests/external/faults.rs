//! Faults of the disk under a build: the output folder's file system filling up (a
//! small tmpfs of its own, so mounting) and the output folder made unwritable (the
//! build run as `nobody`), in the middle of a build. Both need root: where it is
//! missing, the test is ignored, saying why.
//! A failed build must say what went wrong and leave the previous site byte for
//! byte.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use libtest_mimic::{Completion, Failed};

use crate::support::read_tree;

/// A tmpfs mounted on a temporary folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(megabytes: u64) -> Result<Tmpfs, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "cannot mount a tmpfs (needs root): {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.path()).status();
    }
}

/// A synthetic handbook of `chapters` chapters (bench-gen's).
fn generated(chapters: usize) -> Result<tempfile::TempDir, Failed> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let status = Command::new(env!("CARGO_BIN_EXE_bench-gen"))
        .args(["generate", "--chapters", &chapters.to_string(), "--out"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("bench-gen generate failed".into());
    }
    Ok(dir)
}

fn build(root: &Path, out: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .env("NO_COLOR", "1")
        .env("HANDBOOK_LANG", "en")
        .output()
        .expect("run handbook");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn megabytes(tree: &std::collections::BTreeMap<String, Vec<u8>>) -> u64 {
    tree.values().map(|v| v.len() as u64).sum::<u64>() / 1_000_000 + 1
}

/// The second build of a site into a file system that holds one and a half sites
/// runs out of room while writing its staging folder.
pub fn a_full_disk_mid_build_keeps_the_previous_site() -> Result<Completion, Failed> {
    let handbook = generated(300)?;
    let reference = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (code, stderr) = build(handbook.path(), &reference.path().join("public"));
    if code != 0 {
        return Err(format!("the reference build failed: {stderr}").into());
    }
    let site = read_tree(&reference.path().join("public"));
    let size = megabytes(&site);
    let tmpfs = match Tmpfs::mount(size + size / 2) {
        Ok(tmpfs) => tmpfs,
        Err(why) => return Ok(Completion::ignored_with(why)),
    };
    let out = tmpfs.path().join("public");
    let (code, stderr) = build(handbook.path(), &out);
    if code != 0 {
        return Err(format!("the first build into {size} MB failed: {stderr}").into());
    }
    let (code, stderr) = build(handbook.path(), &out);
    if stderr.contains("panicked") || ![1, 2].contains(&code) {
        return Err(format!("exit {code} on a full disk: {stderr}").into());
    }
    if !stderr.contains("No space left") {
        return Err(format!("the error does not say the disk is full: {stderr}").into());
    }
    if read_tree(&out) != site {
        return Err("a build that ran out of room changed the site".into());
    }
    Ok(Completion::Completed)
}

/// The staging folder made unwritable while a build writes into it. The build
/// runs as `nobody` (root may write anywhere), so this needs root to switch users.
pub fn an_output_made_unwritable_mid_build_keeps_the_previous_site() -> Result<Completion, Failed> {
    let handbook = generated(1000)?;
    let outside = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = outside.path().join("public");
    for path in [handbook.path(), outside.path()] {
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(path)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Ok(Completion::ignored_with(
                "cannot hand the handbook to `nobody` (needs root)",
            ));
        }
    }
    let as_nobody = |args: &[&std::ffi::OsStr]| {
        let mut command = Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_handbook"))
            .args(args)
            .env("NO_COLOR", "1")
            .env("HANDBOOK_LANG", "en")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command
    };
    let args: Vec<&std::ffi::OsStr> = vec![
        "build".as_ref(),
        "--root".as_ref(),
        handbook.path().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    let first = as_nobody(&args).output().map_err(|e| e.to_string())?;
    if !first.status.success() {
        let stderr = String::from_utf8_lossy(&first.stderr);
        if stderr.contains("setpriv") {
            return Ok(Completion::ignored_with(format!(
                "cannot run as nobody: {stderr}"
            )));
        }
        return Err(format!("the first build failed: {stderr}").into());
    }
    let site = read_tree(&out);
    // A change to every page, so that the second build writes them all.
    let config = handbook.path().join("content/handbook.yaml");
    let text = std::fs::read_to_string(&config).map_err(|e| e.to_string())?;
    std::fs::write(&config, text.replacen("title:", "title: 新版", 1))
        .map_err(|e| e.to_string())?;
    let staging: PathBuf = outside.path().join(".public.staging");
    let child = as_nobody(&args).spawn().map_err(|e| e.to_string())?;
    // Once the staging folder has files in it, the build is writing.
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline && std::fs::read_dir(&staging).map_or(0, |d| d.count()) < 3 {
        std::thread::sleep(Duration::from_millis(1));
    }
    let locked = Command::new("chmod")
        .args(["-R", "a-w"])
        .arg(&staging)
        .status()
        .is_ok_and(|s| s.success());
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !locked {
        return Err("cannot make the staging folder read-only".into());
    }
    let code = output.status.code().unwrap_or(-1);
    if code == 0 {
        return Err("the build finished before the folder was locked: no fault was made".into());
    }
    if stderr.contains("panicked") || ![1, 2].contains(&code) {
        return Err(format!("exit {code}: {stderr}").into());
    }
    if !stderr.contains("Permission denied") {
        return Err(format!("the error does not say why: {stderr}").into());
    }
    if read_tree(&out) != site {
        return Err("a build stopped by an unwritable folder changed the site".into());
    }
    Ok(Completion::Completed)
}
