//! Helpers for the integration tests: copy a fixture handbook to a temporary folder,
//! run the real binary on it, and read what it wrote.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fixture copied into a fresh temporary folder, so a test may change it freely.
pub struct Handbook {
    pub dir: tempfile::TempDir,
}

impl Handbook {
    pub fn copy_of(name: &str) -> Self {
        Self::copy_from(&fixture(name))
    }

    /// The repository's sample, copied under `content/` of a temporary handbook root.
    pub fn sample() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            &dir.path().join("content"),
        );
        Handbook { dir }
    }

    pub fn copy_from(source: &Path) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(source, dir.path());
        Handbook { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Runs `handbook <args…> --root <this handbook>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        all.push("--root");
        let root = self.root().to_str().unwrap().to_string();
        all.push(&root);
        handbook(&all, self.root())
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().expect("exit code"),
            stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
        }
    }
}

/// Runs the binary. Messages are in English (`HANDBOOK_LANG=en`) whatever the
/// fixture's `language`: a test of the Chinese ones passes `--lang zh`, which wins.
pub fn handbook(args: &[&str], cwd: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("HANDBOOK_LANG", "en")
        .output()
        .expect("run handbook");
    Run::from(output)
}

/// Runs the binary with no language asked for: messages follow the handbook.
pub fn handbook_in_its_language(args: &[&str], cwd: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("HANDBOOK_LANG")
        .output()
        .expect("run handbook");
    Run::from(output)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file of a folder, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The values of every `attr="…"` in an HTML text.
pub fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let end = after.find('"').expect("closed attribute");
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

pub fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Checks every internal `href` and `src` of every page in `site`: the file must
/// exist and the fragment must name an element id there. Returns the problems.
pub fn broken_internal_links(site: &Path) -> (usize, Vec<String>) {
    let tree = read_tree(site);
    let mut ids: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (path, bytes) in &tree {
        if path.ends_with(".html") {
            let html = std::str::from_utf8(bytes).unwrap();
            ids.insert(
                path,
                attribute_values(html, "id")
                    .into_iter()
                    .map(html_unescape)
                    .collect(),
            );
        }
    }
    let mut checked = 0;
    let mut problems = Vec::new();
    for (path, bytes) in &tree {
        if !path.ends_with(".html") {
            continue;
        }
        let html = std::str::from_utf8(bytes).unwrap();
        let dir = Path::new(path).parent().unwrap_or(Path::new(""));
        for url in attribute_values(html, "href")
            .into_iter()
            .chain(attribute_values(html, "src"))
        {
            let url = html_unescape(url);
            if url.contains("://") || url.starts_with("mailto:") || url.starts_with("tel:") {
                continue;
            }
            checked += 1;
            if url.starts_with('/') {
                problems.push(format!("{path}: absolute URL {url}"));
                continue;
            }
            let (file, fragment) = match url.split_once('#') {
                Some((f, frag)) => (f, Some(percent_decode(frag))),
                None => (url.as_str(), None),
            };
            let target = if file.is_empty() {
                path.clone()
            } else {
                normalize(&dir.join(percent_decode(file)))
            };
            if !tree.contains_key(&target) {
                problems.push(format!("{path}: {url} -> missing file {target}"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = ids
                    .get(target.as_str())
                    .is_some_and(|ids| ids.contains(&fragment));
                if !known {
                    problems.push(format!("{path}: {url} -> no id `{fragment}` in {target}"));
                }
            }
        }
    }
    (checked, problems)
}

fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// `git ARGS` in `dir`, committing as a fixed person on `date`.
pub fn git(dir: &Path, date: &str, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Editor")
        .env("GIT_AUTHOR_EMAIL", "editor@example.com")
        .env("GIT_COMMITTER_NAME", "Editor")
        .env("GIT_COMMITTER_EMAIL", "editor@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

pub fn has_git() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}
