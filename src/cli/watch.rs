//! `handbook watch`: build, then rebuild on every change, without a server.

use super::live_start::{run_live, start_live};
use super::WatchArgs;
use crate::diag::{tr, Lang};
use crate::pipeline::Fatal;

pub(super) fn run(args: WatchArgs, lang: Lang) -> Result<u8, Fatal> {
    let WatchArgs {
        root,
        out,
        poll,
        drafts,
    } = args;
    let out = out.unwrap_or_else(|| root.join("public"));
    let (mut session, watcher, lang) = start_live(&root, &out, drafts, poll, lang)?;
    let watching = tr!(
        "watching {} (Ctrl-C to stop)",
        "正在监视 {} 的改动（按 Ctrl-C 停止）",
        root.display()
    );
    eprintln!("{}", watching.get(lang));
    run_live(&mut session, &watcher, None, lang)
}
