//! The content folder's git history, from one `git log` per build: each file's
//! last change and the recent commits ([`History`]). No git, no repository, a
//! shallow clone or any failure gives no history, never an error: the build is
//! then the same as without git.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::model::history::{Commit, History};

/// How many commits are read: enough for the recent changes and most pages' dates,
/// bounded so that a long history costs no more than a few milliseconds.
const MAX_COMMITS: usize = 1000;
/// Separates commits, and a commit's date from its subject, in `git log`'s output.
const RECORD: char = '\u{1e}';
const FIELD: char = '\u{1f}';

/// The history of `content`, if it is in a git repository with its full history.
pub(crate) fn read(content: &Path) -> Option<History> {
    let _t = crate::trace::span("load: git history");
    // A shallow clone's oldest commit would seem to add every file.
    let shallow = git(content, &["rev-parse", "--is-shallow-repository"])?;
    if shallow.trim() != "false" {
        return None;
    }
    let log = git(
        content,
        &[
            "-c",
            "core.quotePath=false",
            "log",
            &format!("-n{MAX_COMMITS}"),
            "--no-merges",
            "--format=%x1e%cs%x1f%s",
            "--name-status",
            "-M",
            "--relative",
            "--",
            ".",
        ],
    )?;
    let history = parse(&log);
    (!history.commits.is_empty()).then_some(history)
}

/// `git -C dir ARGS`'s output, if git runs and succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Parses `git log --format=%x1e%cs%x1f%s --name-status -M`, newest commit first,
/// following renames back: a file's older commits count under its name today.
pub(crate) fn parse(log: &str) -> History {
    let mut history = History::default();
    // A name in older commits → the file's name today.
    let mut renamed: rustc_hash::FxHashMap<String, String> = Default::default();
    for record in log.split(RECORD).filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let Some((date, subject)) = lines.next().and_then(|l| l.split_once(FIELD)) else {
            continue;
        };
        let mut commit = Commit {
            date: date.to_string(),
            subject: subject.to_string(),
            paths: Vec::new(),
        };
        for line in lines.filter(|l| !l.is_empty()) {
            let mut fields = line.split('\t');
            let (Some(status), Some(path)) = (fields.next(), fields.next()) else {
                continue;
            };
            let (path, moved_from) = match fields.next() {
                Some(new) => (new, Some(path)),
                None => (path, None),
            };
            let today = renamed
                .get(path)
                .cloned()
                .unwrap_or_else(|| path.to_string());
            // A rename that keeps the text is no change to it.
            if status != "R100" {
                history
                    .updated
                    .entry(today.clone())
                    .or_insert_with(|| commit.date.clone());
            }
            if let Some(old) = moved_from.filter(|_| status.starts_with('R')) {
                renamed.insert(old.to_string(), today.clone());
            }
            if !commit.paths.contains(&today) {
                commit.paths.push(today);
            }
        }
        history.commits.push(commit);
    }
    history
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(commits: &[(&str, &str, &[&str])]) -> String {
        let mut text = String::new();
        for (date, subject, changes) in commits {
            text.push_str(&format!("{RECORD}{date}{FIELD}{subject}\n\n"));
            for change in *changes {
                text.push_str(change);
                text.push('\n');
            }
        }
        text
    }

    #[test]
    fn each_file_is_dated_by_its_newest_commit() {
        let history = parse(&log(&[
            ("2026-03-02", "运费险的新规则", &["M\t02-returns.md"]),
            (
                "2026-03-01",
                "First draft",
                &["A\t02-returns.md", "A\t01-welcome.md"],
            ),
        ]));
        assert_eq!(history.updated["02-returns.md"], "2026-03-02");
        assert_eq!(history.updated["01-welcome.md"], "2026-03-01");
        assert_eq!(history.commits.len(), 2);
        assert_eq!(history.commits[0].subject, "运费险的新规则");
        assert_eq!(history.commits[1].paths, ["02-returns.md", "01-welcome.md"]);
    }

    #[test]
    fn a_rename_keeps_the_date_of_the_last_change_to_the_text() {
        let history = parse(&log(&[
            ("2026-03-05", "Move", &["R100\told/a.md\tpart/a.md"]),
            ("2026-03-04", "Edit and move", &["R087\tb.md\tpart/b.md"]),
            ("2026-03-03", "Edit", &["M\told/a.md", "M\tb.md"]),
            ("2026-03-01", "Start", &["A\told/a.md"]),
        ]));
        assert_eq!(history.updated["part/a.md"], "2026-03-03");
        assert_eq!(history.updated["part/b.md"], "2026-03-04");
        assert!(!history.updated.contains_key("old/a.md"));
        // Older commits list the files by their names today.
        assert_eq!(history.commits[2].paths, ["part/a.md", "part/b.md"]);
        assert_eq!(history.commits[0].paths, ["part/a.md"]);
    }

    #[test]
    fn a_subject_with_tabs_and_odd_lines_are_read_as_they_are() {
        let mut text = log(&[("2026-01-02", "Fix\ttypo: a\u{1f}b", &["D\tgone.md", "junk"])]);
        text.push_str(&format!("{RECORD}not a commit\n"));
        let history = parse(&text);
        assert_eq!(history.commits.len(), 1);
        assert_eq!(history.commits[0].subject, "Fix\ttypo: a\u{1f}b");
        assert_eq!(history.commits[0].paths, ["gone.md"]);
    }

    #[test]
    fn no_repository_gives_no_history() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()), None);
        assert_eq!(parse(""), History::default());
    }
}
