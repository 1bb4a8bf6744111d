//! `handbook build`: check, then write the site, with a progress line on a terminal
//! and a one-line summary at the end.

use std::io::IsTerminal;
use std::time::Instant;

use super::print::print_human;
use super::BuildArgs;
use crate::diag::{tr, Lang, Text};
use crate::load::LoadOptions;
use crate::pipeline::{self, Fatal};

pub(super) fn run(args: BuildArgs, lang: Lang) -> Result<u8, Fatal> {
    let BuildArgs {
        root,
        out,
        drafts,
        timings,
    } = args;
    let out = out.unwrap_or_else(|| root.join("public"));
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let progress = |stage: &Text| {
        if terminal {
            eprint!("\r\x1b[2K{} …", stage.get(lang));
        }
    };
    let rendered = pipeline::build(
        &root,
        &out,
        &LoadOptions {
            drafts,
            ..LoadOptions::default()
        },
        &progress,
    )?;
    if terminal {
        eprint!("\r\x1b[2K");
    }
    let checked = &rendered.checked;
    let lang = checked.lang();
    print_human(&checked.diagnostics, &checked.sources, lang);
    let code = match &rendered.written {
        Some(written) => {
            let seconds = format!("{:.2}", started.elapsed().as_secs_f64());
            let built = tr!(
                "built {} pages ({} files) into {} in {}s",
                "已生成 {} 个页面（{} 个文件），写入 {}，用时 {} 秒",
                written.pages,
                written.files,
                out.display(),
                seconds
            );
            eprintln!("{}", built.get(lang));
            if timings {
                let label = match lang {
                    Lang::En => "timings",
                    Lang::Zh => "各阶段用时",
                };
                eprintln!("{label}: {}", checked.timings);
            }
            0
        }
        None => {
            let failed = tr!(
                "build failed: {} was left as it was",
                "构建失败：{} 保持原样，没有改动",
                out.display()
            );
            eprintln!("{}", failed.get(lang));
            1
        }
    };
    // The process ends here: freeing a large site piece by piece would only
    // make the user wait for the operating system to take the memory back.
    std::mem::forget(rendered);
    Ok(code)
}
