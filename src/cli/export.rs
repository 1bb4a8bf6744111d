//! `handbook export`: every script line as CSV or JSON, to a file or standard output;
//! only from a handbook without errors.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::print::print_human;
use super::{ExportArgs, ExportFormat};
use crate::load::LoadOptions;
use crate::pipeline::{self, Fatal};
use crate::render::export;

pub(super) fn run(ExportArgs { root, format, out }: ExportArgs) -> Result<u8, Fatal> {
    let checked = pipeline::check(&root, &LoadOptions::default())?;
    if checked.diagnostics.has_errors() {
        print_human(&checked.diagnostics, &checked.sources);
        eprintln!("export failed: fix the errors above first");
        return Ok(1);
    }
    let rows = export::script_lines(&checked.handbook);
    let text = match format {
        ExportFormat::Csv => export::to_csv(&rows),
        ExportFormat::Json => export::to_json(&rows),
    };
    match out {
        Some(path) => write_file(&path, &text)?,
        None => write_stdout(&text)?,
    }
    Ok(0)
}

fn write_file(path: &Path, text: &str) -> Result<(), Fatal> {
    std::fs::write(path, text).map_err(|e| Fatal::Output(path.to_path_buf(), e))
}

fn write_stdout(text: &str) -> Result<(), Fatal> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .map_err(|e| Fatal::Output(PathBuf::from("standard output"), e))
}
