//! `handbook check`: everything `build` checks, nothing written; the problems as a
//! compiler prints them, or as JSON for CI and editors.

use super::print::print_human;
use super::{CheckArgs, Format};
use crate::diag::{render_json, tr, Diagnostics, Severity};
use crate::load::LoadOptions;
use crate::pipeline::{self, Fatal};

pub(super) fn run(CheckArgs { root, format }: CheckArgs) -> Result<u8, Fatal> {
    let checked = &pipeline::check_by_rendering(&root, &LoadOptions::default(), &pipeline::quiet)?;
    let lang = checked.lang();
    match format {
        Format::Human => {
            print_human(&checked.diagnostics, &checked.sources, lang);
            if checked.diagnostics.is_empty() {
                let (chapters, tables) = (
                    checked.handbook.chapters.len(),
                    checked.handbook.tables.len(),
                );
                let ok = tr!(
                    "ok: {} chapters, {} phrase tables, no problems",
                    "检查通过：{} 个章节、{} 张话术表，没有问题",
                    chapters,
                    tables
                );
                eprintln!("{}", ok.get(lang));
            }
        }
        Format::Json => println!(
            "{}",
            render_json(&checked.diagnostics, &checked.sources, lang)
        ),
    }
    Ok(exit_code(&checked.diagnostics))
}

/// 1 when there is an error; warnings alone do not fail a check.
fn exit_code(diagnostics: &Diagnostics) -> u8 {
    if diagnostics.count(Severity::Error) > 0 {
        1
    } else {
        0
    }
}
