//! The command line: what the user typed, turned into calls of the pipeline, and
//! an exit code: 0 ok, 1 content errors, 2 usage or I/O problems.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{self, Fatal};
use crate::diag::{render_human, render_json, Diagnostics, Severity, Sources};
use crate::init;
use crate::load::LoadOptions;
use crate::render::export;

#[derive(Parser, Debug)]
#[command(
    name = "handbook",
    version,
    about = "Build a training handbook site from Markdown chapters and YAML phrase tables",
    long_about = "handbook turns a folder of Markdown chapters and YAML phrase tables \
(what to say, what never to say, step-by-step procedures, tactics) into a static, \
cross-linked website that staff can read on a phone or a desktop, online or straight \
from a copied folder.\n\nStart with `handbook init my-handbook`, then `handbook build` \
inside it. Every link, anchor and table reference is checked; all problems are listed \
with file, line and column.",
    after_help = "Exit codes: 0 ok, 1 content errors, 2 usage or file-system problems."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new handbook with a small sample you can build straight away
    Init {
        /// Folder to create the handbook in (it must not already hold a content/ folder)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Check everything, then write the site (only if there are no errors)
    Build {
        /// The handbook folder: the one holding content/
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Include chapters marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage of the build took
        #[arg(long)]
        timings: bool,
    },
    /// Check content, links and phrase tables without writing anything
    Check {
        /// The handbook folder: the one holding content/
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// `human` reads like a compiler; `json` is for CI and editors
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write every script line (say / never say) as CSV or JSON for chat tools
    Export {
        /// The handbook folder: the one holding content/
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// csv (opens in spreadsheets) or json
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(fatal) => {
            eprintln!("error: {fatal}");
            2
        }
    };
    ExitCode::from(code)
}

fn run(cli: Cli) -> Result<u8, Fatal> {
    match cli.command {
        Command::Init { dir } => {
            init::scaffold(&dir).map_err(Fatal::Usage)?;
            eprintln!(
                "created a handbook in {}: run `handbook build --root {}` and open public/index.html",
                dir.display(),
                dir.display()
            );
            Ok(0)
        }
        Command::Build {
            root,
            out,
            drafts,
            timings,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let started = Instant::now();
            let terminal = std::io::stderr().is_terminal();
            let progress = |stage: &str| {
                if terminal {
                    eprint!("\r\x1b[2K{stage} …");
                }
            };
            let rendered = build::build(&root, &out, &LoadOptions { drafts }, &progress)?;
            if terminal {
                eprint!("\r\x1b[2K");
            }
            let checked = &rendered.checked;
            print_human(&checked.diagnostics, &checked.sources);
            match &rendered.files {
                Some(files) => {
                    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
                    eprintln!(
                        "built {} pages ({} files) into {} in {:.2}s",
                        pages,
                        files.len(),
                        out.display(),
                        started.elapsed().as_secs_f64()
                    );
                    if timings {
                        eprintln!("timings: {}", checked.timings);
                    }
                    Ok(0)
                }
                None => {
                    eprintln!("build failed: {} was left as it was", out.display());
                    Ok(1)
                }
            }
        }
        Command::Check { root, format } => {
            let rendered = build::render_site(&root, &LoadOptions::default(), &build::quiet)?;
            let checked = &rendered.checked;
            match format {
                Format::Human => {
                    print_human(&checked.diagnostics, &checked.sources);
                    if checked.diagnostics.is_empty() {
                        eprintln!(
                            "ok: {} chapters, {} phrase tables, no problems",
                            checked.handbook.chapters.len(),
                            checked.handbook.tables.len()
                        );
                    }
                }
                Format::Json => println!("{}", render_json(&checked.diagnostics, &checked.sources)),
            }
            Ok(exit_code(&checked.diagnostics))
        }
        Command::Export { root, format, out } => {
            let checked = build::check(&root, &LoadOptions::default())?;
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
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout
                        .write_all(text.as_bytes())
                        .map_err(|e| Fatal::Output(PathBuf::from("standard output"), e))?;
                }
            }
            Ok(0)
        }
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), Fatal> {
    std::fs::write(path, text).map_err(|e| Fatal::Output(path.to_path_buf(), e))
}

fn exit_code(diagnostics: &Diagnostics) -> u8 {
    if diagnostics.count(Severity::Error) > 0 {
        1
    } else {
        0
    }
}

fn print_human(diagnostics: &Diagnostics, sources: &Sources) {
    if diagnostics.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render_human(diagnostics, sources, color));
}
