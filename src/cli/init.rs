//! `handbook init`: a small handbook that builds cleanly, to start from, and where to
//! go from there. The default theme is built into the binary, so the new folder holds
//! content only; a theme folder is needed only to change something (see README).

use std::fs;
use std::path::Path;

use super::InitArgs;
use crate::diag::{tr, Lang, Text};
use crate::pipeline::Fatal;

pub(super) fn run(InitArgs { dir }: InitArgs, lang: Lang) -> Result<u8, Fatal> {
    scaffold(&dir).map_err(Fatal::Usage)?;
    let created = tr!(
        "created a handbook in {0}: run `handbook build --root {0}` and open public/index.html",
        "已在 {0} 新建一本手册：运行 `handbook build --root {0}`，然后打开 public/index.html",
        dir.display()
    );
    eprintln!("{}", created.get(lang));
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

fn scaffold(dir: &Path) -> Result<(), Text> {
    if dir.join("content").exists() {
        return Err(tr!(
            "{} already holds a content/ folder: init never overwrites a handbook",
            "{} 里已经有 content/ 文件夹：init 不会覆盖已有的手册",
            dir.display()
        ));
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        if *path == ".gitignore" && target.exists() {
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                tr!(
                    "cannot create {}: {}",
                    "无法创建 {}：{}",
                    parent.display(),
                    e
                )
            })?;
        }
        fs::write(&target, text).map_err(|e| {
            tr!(
                "cannot write {}: {}",
                "无法写入 {}：{}",
                target.display(),
                e
            )
        })?;
    }
    Ok(())
}
