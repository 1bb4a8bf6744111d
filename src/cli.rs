//! The command line: what the user typed, turned into calls of the pipeline, and
//! an exit code: 0 ok, 1 content errors, 2 usage or I/O problems.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::{render_human, render_json, Diagnostics, Severity, Sources};
use crate::init;
use crate::load::LoadOptions;
use crate::pipeline::{self, Fatal};
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
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
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
    /// Build, serve the site on this computer, and rebuild and reload on every save
    Serve {
        /// The handbook folder: the one holding content/
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Port to listen on [default: 3000, or the next free one]
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on; keep the default unless others must reach it
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Look for changes every 300 ms instead of relying on file-system events
        /// (network drives, some containers)
        #[arg(long)]
        poll: bool,
        /// Include chapters marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Build, then rebuild on every change (no server)
    Watch {
        /// The handbook folder: the one holding content/
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Look for changes every 300 ms instead of relying on file-system events
        #[arg(long)]
        poll: bool,
        /// Include chapters marked `draft: true`
        #[arg(long)]
        drafts: bool,
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
pub(crate) enum Format {
    Human,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
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
            let rendered = pipeline::build(&root, &out, &LoadOptions { drafts }, &progress)?;
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
        Command::Check { root, format } => {
            let rendered = pipeline::render_site(&root, &LoadOptions::default(), &pipeline::quiet)?;
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
        Command::Serve {
            root,
            port,
            bind,
            open,
            poll,
            drafts,
        } => {
            let out = root.join("public");
            let listener = crate::live::serve::bind(bind, port).map_err(|e| {
                Fatal::Usage(match port {
                    Some(port) => format!("cannot listen on {bind}:{port}: {e}"),
                    None => format!("cannot listen on {bind} (ports 3000 to 3100): {e}"),
                })
            })?;
            let (mut session, watcher) = start_live(&root, &out, drafts, poll)?;
            let server = crate::live::serve::start(listener, out.clone())
                .map_err(|e| Fatal::Usage(format!("cannot start the server: {e}")))?;
            let host = match server.address.ip() {
                ip if ip.is_unspecified() => "127.0.0.1".to_string(),
                std::net::IpAddr::V6(ip) => format!("[{ip}]"),
                ip => ip.to_string(),
            };
            let url = format!("http://{host}:{}/", server.address.port());
            eprintln!("serving {} at {url} (Ctrl-C to stop)", out.display());
            if !bind.is_loopback() {
                eprintln!("warning: listening on {bind}: other computers on the network can read the site");
            }
            if open {
                open_browser(&url);
            }
            let mut report = crate::live::Terminal {
                root: watcher.root(),
                color: color(),
            };
            crate::live::run(&mut session, &watcher, &mut report, Some(&server.notifier))?;
            Ok(0)
        }
        Command::Watch {
            root,
            out,
            poll,
            drafts,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let (mut session, watcher) = start_live(&root, &out, drafts, poll)?;
            eprintln!("watching {} (Ctrl-C to stop)", root.display());
            let mut report = crate::live::Terminal {
                root: watcher.root(),
                color: color(),
            };
            crate::live::run(&mut session, &watcher, &mut report, None)?;
            Ok(0)
        }
        Command::Export { root, format, out } => {
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

/// The first build of watch and serve, and the watcher for the rest. A first build
/// with content errors does not stop them: the editor is about to fix it.
fn start_live(
    root: &Path,
    out: &Path,
    drafts: bool,
    poll: bool,
) -> Result<
    (
        crate::live::session::Session,
        crate::live::watch::FolderWatcher,
    ),
    Fatal,
> {
    if !root.join("content").is_dir() {
        return Err(Fatal::Load(crate::load::LoadError::NoContent(
            root.join("content"),
        )));
    }
    let mut session = crate::live::session::Session::new(root, out, LoadOptions { drafts })?;
    // Watch first, so no save between the first build and the watch is missed.
    let watcher = crate::live::watch::FolderWatcher::new(root, poll)
        .map_err(|e| Fatal::Usage(format!("cannot watch {}: {e}", root.display())))?;
    let outcome = session.rebuild(&[])?;
    session.finish(&outcome)?;
    let checked = &outcome.checked;
    print_human(&checked.diagnostics, &checked.sources);
    if outcome.ok() {
        eprintln!(
            "built {} files into {} in {:.0} ms",
            outcome.update.written.len(),
            out.display(),
            outcome.elapsed.as_secs_f64() * 1000.0
        );
    } else {
        eprintln!("the first build failed: fix the errors above and save");
    }
    Ok((session, watcher))
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        vec!["open", url]
    } else if cfg!(windows) {
        vec!["cmd", "/C", "start", "", url]
    } else {
        vec!["xdg-open", url]
    };
    if std::process::Command::new(command[0])
        .args(&command[1..])
        .spawn()
        .is_err()
    {
        eprintln!("could not open a browser: visit {url}");
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
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
    eprint!("{}", render_human(diagnostics, sources, color()));
}
