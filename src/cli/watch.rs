//! `handbook watch`: build, then rebuild on every change, without a server.

use super::live_start::{run_live, start_live};
use super::WatchArgs;
use crate::pipeline::Fatal;

pub(super) fn run(args: WatchArgs) -> Result<u8, Fatal> {
    let WatchArgs {
        root,
        out,
        poll,
        drafts,
    } = args;
    let out = out.unwrap_or_else(|| root.join("public"));
    let (mut session, watcher) = start_live(&root, &out, drafts, poll)?;
    eprintln!("watching {} (Ctrl-C to stop)", root.display());
    run_live(&mut session, &watcher, None)
}
