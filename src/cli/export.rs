//! `handbook export`: the tables' lines in one format (see [`crate::export`]), to a
//! file or standard output; only from a handbook without errors.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::print::print_human;
use super::ExportArgs;
use crate::diag::{tr, Diagnostics};
use crate::export::{self, Filter};
use crate::load::LoadOptions;
use crate::pipeline::{self, Fatal};

pub(super) fn run(args: ExportArgs) -> Result<u8, Fatal> {
    let ExportArgs {
        root,
        format,
        encoding,
        tables,
        tags,
        out,
    } = args;
    if encoding.is_some() && format.default_encoding().is_none() {
        return Err(Fatal::Usage(tr!(
            "--encoding applies to csv, qianniu and zammad; {} has no encoding to choose (JSON is always UTF-8, a workbook always Unicode)",
            "--encoding 只用于 csv、qianniu 和 zammad；{} 没有编码可选（JSON 总是 UTF-8，Excel 工作簿总是 Unicode）",
            format.name()
        )));
    }
    let checked = pipeline::check(&root, &LoadOptions::default())?;
    let lang = checked.lang();
    if checked.diagnostics.has_errors() {
        print_human(&checked.diagnostics, &checked.sources, lang);
        let failed = tr!(
            "export failed: fix the errors above first",
            "导出失败：请先改正上面的错误"
        );
        eprintln!("{}", failed.get(lang));
        return Ok(1);
    }
    let filter = Filter { tables, tags };
    let lines = filter
        .apply(&checked.handbook, export::lines(&checked.handbook))
        .map_err(Fatal::Usage)?;
    let bytes = match format.write(&lines, encoding, &checked.handbook.config.language) {
        Ok(bytes) => bytes,
        Err(errors) => {
            let mut found = Diagnostics::new();
            found.extend(errors);
            found.sort(&checked.sources);
            print_human(&found, &checked.sources, lang);
            let failed = tr!(
                "export failed: nothing was written",
                "导出失败：什么也没有写出"
            );
            eprintln!("{}", failed.get(lang));
            return Ok(1);
        }
    };
    match out {
        Some(path) => write_file(&path, &bytes)?,
        None => write_stdout(&bytes)?,
    }
    Ok(0)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    std::fs::write(path, bytes).map_err(|e| Fatal::Output(path.to_path_buf(), e))
}

fn write_stdout(bytes: &[u8]) -> Result<(), Fatal> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .map_err(|e| Fatal::Output(PathBuf::from("-"), e))
}
