//! The sample handbook is written in its own words: no run of twenty characters
//! (whitespace aside) is copied from the seed texts it was written from. The seed
//! texts live beside the repository (`../shared/seeds`), not in it: where they are
//! absent the test is ignored, saying so.

use std::collections::BTreeSet;
use std::path::Path;

use libtest_mimic::{Completion, Failed};

const RUN: usize = 20;

pub fn sample_copies_no_run_of_twenty_characters_from_the_seeds() -> Result<Completion, Failed> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = repo.join("../shared/seeds");
    if !seeds.is_dir() {
        return Ok(Completion::ignored_with(format!(
            "no seed texts at {}: they are kept beside the repository, not in it",
            seeds.display()
        )));
    }
    let mut runs: BTreeSet<String> = BTreeSet::new();
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let chars = squash(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
            for window in chars.windows(RUN) {
                runs.insert(window.iter().collect());
            }
        }
    }
    if runs.len() <= 10_000 {
        return Err(format!("only {} runs read from {}", runs.len(), seeds.display()).into());
    }
    let mut copied = Vec::new();
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let chars = squash(&std::fs::read_to_string(entry.path()).unwrap());
        if let Some(window) = chars
            .windows(RUN)
            .map(|w| w.iter().collect::<String>())
            .find(|w| runs.contains(w))
        {
            copied.push(format!("{}: {window}", entry.path().display()));
        }
    }
    if !copied.is_empty() {
        return Err(format!("copied from the seeds:\n{}", copied.join("\n")).into());
    }
    Ok(Completion::Completed)
}

/// The text's characters without whitespace, so line breaks do not hide a copy.
fn squash(text: &str) -> Vec<char> {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
