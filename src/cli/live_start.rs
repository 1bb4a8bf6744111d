//! What `watch` and `serve` share: the first build, the watcher, and the rebuild
//! loop reporting on the terminal.

use std::path::Path;

use super::print::{color, print_human};
use crate::live::serve::Notifier;
use crate::live::session::Session;
use crate::live::watch::FolderWatcher;
use crate::live::{self, Terminal};
use crate::load::{LoadError, LoadOptions};
use crate::pipeline::Fatal;

/// The first build of watch and serve, and the watcher for the rest. A first build
/// with content errors does not stop them: the editor is about to fix it.
pub(super) fn start_live(
    root: &Path,
    out: &Path,
    drafts: bool,
    poll: bool,
) -> Result<(Session, FolderWatcher), Fatal> {
    if !root.join("content").is_dir() {
        return Err(Fatal::Load(LoadError::NoContent(root.join("content"))));
    }
    let mut session = Session::new(
        root,
        out,
        LoadOptions {
            drafts,
            ..LoadOptions::default()
        },
    )?;
    // Watch first, so no save between the first build and the watch is missed.
    let watcher = FolderWatcher::new(root, poll)
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

/// Rebuilds on every change until writing fails, one line per rebuild on the
/// terminal; `notifier` tells open tabs (serve only).
pub(super) fn run_live(
    session: &mut Session,
    watcher: &FolderWatcher,
    notifier: Option<&Notifier>,
) -> Result<u8, Fatal> {
    let mut report = Terminal {
        root: watcher.root(),
        color: color(),
    };
    live::run(session, watcher, &mut report, notifier)?;
    Ok(0)
}
