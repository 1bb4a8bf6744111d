//! `handbook init`: a small handbook that builds cleanly, to start from, and where to
//! go from there. The default theme is built into the binary, so the new folder holds
//! content only; a theme folder is needed only to change something (see README).

use std::fs;
use std::path::Path;

use super::InitArgs;
use crate::pipeline::Fatal;

pub(super) fn run(InitArgs { dir }: InitArgs) -> Result<u8, Fatal> {
    scaffold(&dir).map_err(Fatal::Usage)?;
    eprintln!(
        "created a handbook in {}: run `handbook build --root {}` and open public/index.html",
        dir.display(),
        dir.display()
    );
    Ok(0)
}

/// (path under the new handbook, contents)
const FILES: &[(&str, &str)] = &[
    (
        "content/handbook.yaml",
        include_str!("init_sample/handbook.yaml"),
    ),
    (
        "content/01-basics/_part.yaml",
        include_str!("init_sample/_part.yaml"),
    ),
    (
        "content/01-basics/01-welcome.md",
        include_str!("init_sample/01-welcome.md"),
    ),
    (
        "content/01-basics/02-complaints.md",
        include_str!("init_sample/02-complaints.md"),
    ),
    (
        "content/phrases/greetings.yaml",
        include_str!("init_sample/greetings.yaml"),
    ),
    (
        "content/phrases/complaint-steps.yaml",
        include_str!("init_sample/complaint-steps.yaml"),
    ),
    (
        "content/phrases/bargaining.yaml",
        include_str!("init_sample/bargaining.yaml"),
    ),
    (".gitignore", "/public/\n/.public.*\n"),
];

fn scaffold(dir: &Path) -> Result<(), String> {
    if dir.join("content").exists() {
        return Err(format!(
            "{} already holds a content/ folder: init never overwrites a handbook",
            dir.display()
        ));
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        if *path == ".gitignore" && target.exists() {
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&target, text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    Ok(())
}
