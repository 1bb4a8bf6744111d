//! Dates from git: each page's last change and `changes.html`, from a real
//! repository with fixed dates and a rename; and a handbook without a usable
//! history (no repository, no commits, a shallow clone, no git) built exactly the
//! same as outside git.
//!
//! Without git these cannot run: each is reported as ignored, saying what to install
//! (under `CI=true`, a failure).

use std::path::Path;
use std::process::Command;

use libtest_mimic::{Completion, Failed};

use crate::support::{git, has_git, read_tree, Handbook};

/// The `good` fixture in a repository, committed once.
fn good_committed() -> Handbook {
    let hb = Handbook::copy_of("good");
    let dir = hb.root();
    git(
        dir,
        "2026-01-05T09:00:00+08:00",
        &["init", "-q", "-b", "main"],
    );
    git(dir, "2026-01-05T09:00:00+08:00", &["add", "."]);
    git(dir, "2026-01-05T09:00:00+08:00", &["commit", "-qm", "初版"]);
    hb
}

/// The `good` fixture in a repository: three commits, the last a rename.
fn good_in_git() -> Handbook {
    let hb = good_committed();
    let dir = hb.root();
    let complaints = "content/02-aftersales/01-complaints.md";
    let text = hb.read(complaints);
    hb.write(complaints, &format!("{text}\n运费险的新规则。\n"));
    git(
        dir,
        "2026-02-01T10:00:00+08:00",
        &["commit", "-qam", "新的投诉规则"],
    );
    git(
        dir,
        "2026-03-01T10:00:00+08:00",
        &["mv", "content/01-basics", "content/00-basics"],
    );
    git(
        dir,
        "2026-03-01T10:00:00+08:00",
        &["commit", "-qm", "Rename the first part"],
    );
    hb
}

/// The date a page shows, if any.
fn page_date(hb: &Handbook, page: &str) -> Option<String> {
    let html = hb.read(&format!("public/{page}"));
    let at = html.find("<p class=\"page-updated\">")?;
    let from = at + html[at..].find("datetime=\"")? + "datetime=\"".len();
    Some(html[from..from + 10].to_string())
}

/// Why a test that needs git cannot run here: `Err` under CI, ignored otherwise.
fn without_git() -> Result<Completion, Failed> {
    let why = "no git: apt-get install git";
    if crate::under_ci() {
        return Err(format!("cannot run under CI=true: {why}").into());
    }
    Ok(Completion::ignored_with(why))
}

pub fn pages_show_their_last_change_and_changes_html_lists_the_commits(
) -> Result<Completion, Failed> {
    if !has_git() {
        return without_git();
    }
    let hb = good_in_git();
    let build = hb.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);

    assert_eq!(
        page_date(&hb, "complaints.html").as_deref(),
        Some("2026-02-01")
    );
    // Moved, not edited: still the date of its last edit.
    assert_eq!(page_date(&hb, "intro.html").as_deref(), Some("2026-01-05"));
    assert_eq!(
        page_date(&hb, "greetings.html").as_deref(),
        Some("2026-01-05")
    );

    let changes = hb.read("public/changes.html");
    let commits: Vec<&str> = changes.split("<li><time").skip(1).collect();
    assert_eq!(commits.len(), 3, "{changes}");
    assert!(commits[0].contains("2026-03-01") && commits[0].contains("Rename the first part"));
    assert!(commits[0].contains("href=\"intro.html\""), "{}", commits[0]);
    assert!(!commits[0].contains("complaints.html"), "{}", commits[0]);
    assert!(commits[1].contains("2026-02-01") && commits[1].contains("新的投诉规则"));
    assert!(commits[1].contains("href=\"complaints.html\""));
    assert!(commits[2].contains("初版") && commits[2].contains("greetings.html"));
    assert!(hb
        .read("public/index.html")
        .contains("href=\"changes.html\""));
    Ok(Completion::Completed)
}

fn contains(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

/// `bytes` without every span from `start` to the next `end`, both included.
fn without(bytes: &[u8], start: &str, end: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(start) {
        kept.push_str(&rest[..at]);
        let after = &rest[at..];
        rest = &after[after.find(end).map_or(after.len(), |e| e + end.len())..];
    }
    kept.push_str(rest);
    kept.into_bytes()
}

/// Every file the build wrote, for a handbook whose history git cannot give.
fn built_tree(hb: &Handbook, path: Option<&str>) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_handbook"));
    command.args(["build", "--root"]).arg(hb.root());
    command.current_dir(hb.root()).env("NO_COLOR", "1");
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let output = command.output().expect("run handbook");
    assert!(output.status.success(), "{output:?}");
    read_tree(&hb.path("public"))
}

pub fn without_a_usable_history_the_site_is_the_same_as_outside_git() -> Result<Completion, Failed>
{
    let outside = Handbook::copy_of("good");
    let expected = built_tree(&outside, None);
    assert!(!expected.contains_key("changes.html"));
    assert!(expected.contains_key("updates.js"));
    let html = String::from_utf8_lossy(&expected["complaints.html"]).into_owned();
    assert!(!html.contains("page-updated") && !html.contains("changes.html"));
    if !has_git() {
        return without_git();
    }

    let no_commits = Handbook::copy_of("good");
    git(no_commits.root(), "2026-01-05T09:00:00Z", &["init", "-q"]);
    assert!(
        built_tree(&no_commits, None) == expected,
        "a repository without commits"
    );

    let repository = good_committed();
    let empty = tempfile::tempdir().unwrap();
    let no_git = empty.path().to_str().unwrap();
    assert!(
        built_tree(&repository, Some(no_git)) == expected,
        "git missing"
    );

    // With git, the dates and changes.html are all that differs, to the byte.
    let mut with_git = built_tree(&repository, None);
    assert!(
        with_git.remove("changes.html").is_some(),
        "git gives dates here"
    );
    let dated = with_git
        .values()
        .filter(|b| contains(b, "page-updated"))
        .count();
    assert!(dated > 3, "{dated} pages with a date");
    for bytes in with_git.values_mut() {
        for start in ["<p class=\"page-updated\">", "<p class=\"changes-link\">"] {
            *bytes = without(bytes, start, "</p>");
        }
    }
    assert!(with_git == expected, "more than the dates differs");

    // Cloned with only its last commit, which would seem to add every file.
    let shallow = Handbook {
        dir: tempfile::tempdir().unwrap(),
    };
    let source = good_in_git();
    let from = format!("file://{}", source.root().display());
    let into = shallow.root().to_str().unwrap();
    let (date, depth) = ("2026-01-05T09:00:00Z", ["clone", "-q", "--depth", "1"]);
    git(
        Path::new("."),
        date,
        &[&depth[..], &[from.as_str(), into]].concat(),
    );
    let from_shallow = built_tree(&shallow, None);
    std::fs::remove_dir_all(shallow.path(".git")).unwrap();
    assert!(
        from_shallow == built_tree(&shallow, None),
        "a shallow clone"
    );
    Ok(Completion::Completed)
}
