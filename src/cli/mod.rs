//! The command line: what the user typed, turned into calls of the pipeline, and
//! an exit code: 0 ok, 1 content errors, 2 usage or I/O problems.
//!
//! This file holds the clap types (the `--help` text lives in their doc comments)
//! and [`run`], which hands each subcommand to its own file.

mod build;
mod check;
mod export;
mod init;
mod live_start;
mod lsp;
mod print;
mod serve;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diag::{Lang, Severity};
use crate::pipeline::Fatal;

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
    /// Language of messages: zh or en [default: the handbook's `language`, or the
    /// HANDBOOK_LANG environment variable]
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang)]
    pub(crate) lang: Option<Lang>,
}

fn parse_lang(value: &str) -> Result<Lang, String> {
    Lang::parse(value).ok_or_else(|| format!("`{value}` is not zh or en"))
}

impl Command {
    /// The handbook folder the command works on, if it works on one.
    fn root(&self) -> Option<&std::path::Path> {
        match self {
            Command::Init(_) => None,
            Command::Build(a) => Some(&a.root),
            Command::Check(a) => Some(&a.root),
            Command::Serve(a) => Some(&a.root),
            Command::Watch(a) => Some(&a.root),
            Command::Export(a) => Some(&a.root),
            Command::Lsp(a) => a.root.as_deref(),
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Create a new handbook with a small sample you can build straight away
    Init(InitArgs),
    /// Check everything, then write the site (only if there are no errors)
    Build(BuildArgs),
    /// Check content, links and phrase tables without writing anything
    Check(CheckArgs),
    /// Build, serve the site on this computer, and rebuild and reload on every save
    Serve(ServeArgs),
    /// Build, then rebuild on every change (no server)
    Watch(WatchArgs),
    /// Write the phrase tables' lines in a format a chat tool or spreadsheet imports
    Export(ExportArgs),
    /// Run the language server an editor starts (LSP over stdin and stdout): the
    /// checks as you type, completion of links, ids and keys, go to definition,
    /// references, hover, outline and rename
    Lsp(LspArgs),
}

// The argument structs carry no doc comment of their own: clap would take it for
// the subcommand's description in place of the variant's above.

#[derive(Args, Debug)]
pub(crate) struct InitArgs {
    /// Folder to create the handbook in (it must not already hold a content/ folder)
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct BuildArgs {
    /// The handbook folder: the one holding content/
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub(crate) root: PathBuf,
    /// Where to write the site [default: <root>/public]
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Include chapters marked `draft: true`
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Print how long each stage of the build took
    #[arg(long)]
    pub(crate) timings: bool,
}

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// The handbook folder: the one holding content/
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub(crate) root: PathBuf,
    /// `human` reads like a compiler; `json` is for CI and editors
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
}

#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// The handbook folder: the one holding content/
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub(crate) root: PathBuf,
    /// Port to listen on [default: 3000, or the next free one]
    #[arg(long)]
    pub(crate) port: Option<u16>,
    /// Address to listen on; keep the default unless others must reach it
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub(crate) bind: std::net::IpAddr,
    /// Open the site in the default browser
    #[arg(long)]
    pub(crate) open: bool,
    /// Look for changes every 300 ms instead of relying on file-system events
    /// (network drives, some containers)
    #[arg(long)]
    pub(crate) poll: bool,
    /// Include chapters marked `draft: true`
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Link each file:line of the error overlay to this editor: vscode, vscodium,
    /// cursor, idea, webstorm, sublime, textmate, macvim, or a URL template such as
    /// `vscode://file/{path}:{line}:{column}` [default: $HANDBOOK_EDITOR, else
    /// `editor_url` in handbook.yaml]
    #[arg(long, value_name = "EDITOR", value_parser = crate::live::serve::parse_editor)]
    pub(crate) editor: Option<String>,
}

#[derive(Args, Debug)]
pub(crate) struct WatchArgs {
    /// The handbook folder: the one holding content/
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub(crate) root: PathBuf,
    /// Where to write the site [default: <root>/public]
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Look for changes every 300 ms instead of relying on file-system events
    #[arg(long)]
    pub(crate) poll: bool,
    /// Include chapters marked `draft: true`
    #[arg(long)]
    pub(crate) drafts: bool,
}

#[derive(Args, Debug)]
pub(crate) struct ExportArgs {
    /// The handbook folder: the one holding content/
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub(crate) root: PathBuf,
    /// What to write; qianniu, zendesk, chatwoot and zammad hold only lines to say
    #[arg(long, value_enum)]
    pub(crate) format: crate::export::Format,
    /// The bytes of csv [default: utf-8-bom], qianniu [default: gbk] and zammad
    /// [default: utf-8]; the JSON formats are always UTF-8
    #[arg(long, value_enum, value_name = "ENCODING")]
    pub(crate) encoding: Option<crate::export::Encoding>,
    /// Only these tables, by id, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "ID,ID")]
    pub(crate) tables: Vec<String>,
    /// Only tables with one of these tags, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "TAG,TAG")]
    pub(crate) tags: Vec<String>,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub(crate) struct LspArgs {
    /// The handbook folder: the one holding content/ [default: the editor's
    /// workspace folder, or the nearest folder above it that holds content/]
    #[arg(long, value_name = "DIR")]
    pub(crate) root: Option<PathBuf>,
    /// Include chapters marked `draft: true`
    #[arg(long)]
    pub(crate) drafts: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(lang) = cli.lang {
        Lang::set_flag(lang);
    }
    // What is printed before the handbook is loaded (and an error that stops the
    // run) is in the language its handbook.yaml says, read without loading it.
    let lang = Lang::chosen(
        cli.command
            .root()
            .and_then(crate::load::handbook_language)
            .as_deref(),
    );
    let code = match run(cli, lang) {
        Ok(code) => code,
        Err(fatal) => {
            eprintln!("{}: {}", Severity::Error.label(lang), fatal.message(lang));
            2
        }
    };
    ExitCode::from(code)
}

/// Runs one subcommand; the exit code, or the problem that stopped it (exit 2).
/// `lang` is for what is printed before a handbook is loaded.
fn run(cli: Cli, lang: Lang) -> Result<u8, Fatal> {
    match cli.command {
        Command::Init(args) => init::run(args, lang),
        Command::Build(args) => build::run(args, lang),
        Command::Check(args) => check::run(args),
        Command::Serve(args) => serve::run(args, lang),
        Command::Watch(args) => watch::run(args, lang),
        Command::Export(args) => export::run(args),
        Command::Lsp(args) => lsp::run(args),
    }
}
