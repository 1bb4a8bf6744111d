//! `handbook build`: check, then write the site, with a progress line on a terminal
//! and a one-line summary at the end.

use std::io::IsTerminal;
use std::time::Instant;

use super::print::print_human;
use super::BuildArgs;
use crate::load::LoadOptions;
use crate::pipeline::{self, Fatal};

pub(super) fn run(args: BuildArgs) -> Result<u8, Fatal> {
    let BuildArgs {
        root,
        out,
        drafts,
        timings,
    } = args;
    let out = out.unwrap_or_else(|| root.join("public"));
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let progress = |stage: &str| {
        if terminal {
            eprint!("\r\x1b[2K{stage} …");
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
    print_human(&checked.diagnostics, &checked.sources);
    let code = match &rendered.written {
        Some(written) => {
            eprintln!(
                "built {} pages ({} files) into {} in {:.2}s",
                written.pages,
                written.files,
                out.display(),
                started.elapsed().as_secs_f64()
            );
            if timings {
                eprintln!("timings: {}", checked.timings);
            }
            0
        }
        None => {
            eprintln!("build failed: {} was left as it was", out.display());
            1
        }
    };
    // The process ends here: freeing a large site piece by piece would only
    // make the user wait for the operating system to take the memory back.
    std::mem::forget(rendered);
    Ok(code)
}
