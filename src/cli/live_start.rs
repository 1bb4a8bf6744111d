//! What `watch` and `serve` share: the first build, the watcher, and the rebuild
//! loop reporting on the terminal.

use std::path::Path;

use super::print::{color, print_human};
use crate::diag::{tr, Lang};
use crate::live::serve::Notifier;
use crate::live::session::Session;
use crate::live::watch::FolderWatcher;
use crate::live::{self, Terminal};
use crate::load::{LoadError, LoadOptions};
use crate::pipeline::Fatal;

/// The first build of watch and serve, and the watcher for the rest. A first build
/// with content errors does not stop them: the editor is about to fix it. `lang`
/// is the language before the first build; the one after it is returned.
pub(super) fn start_live(
    root: &Path,
    out: &Path,
    drafts: bool,
    poll: bool,
    lang: Lang,
) -> Result<(Session, FolderWatcher, Lang), Fatal> {
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
    let watcher = FolderWatcher::new(root, poll).map_err(|e| {
        Fatal::Usage(tr!(
            "cannot watch {}: {}",
            "无法监视 {}：{}",
            root.display(),
            e
        ))
    })?;
    let outcome = session.rebuild(&[])?;
    session.finish(&outcome)?;
    let checked = &outcome.checked;
    let lang = if checked.handbook.config.file.is_some() {
        checked.lang()
    } else {
        lang
    };
    print_human(&checked.diagnostics, &checked.sources, lang);
    let said = if outcome.ok() {
        let ms = format!("{:.0}", outcome.elapsed.as_secs_f64() * 1000.0);
        tr!(
            "built {} files into {} in {} ms",
            "已生成 {} 个文件，写入 {}，用时 {} 毫秒",
            outcome.update.written.len(),
            out.display(),
            ms
        )
    } else {
        tr!(
            "the first build failed: fix the errors above and save",
            "第一次构建失败：请改正上面的错误后保存"
        )
    };
    eprintln!("{}", said.get(lang));
    Ok((session, watcher, lang))
}

/// Rebuilds on every change until writing fails, one line per rebuild on the
/// terminal; `notifier` tells open tabs (serve only).
pub(super) fn run_live(
    session: &mut Session,
    watcher: &FolderWatcher,
    notifier: Option<&Notifier>,
    lang: Lang,
) -> Result<u8, Fatal> {
    let mut report = Terminal {
        root: watcher.root(),
        color: color(),
        lang,
    };
    live::run(session, watcher, &mut report, notifier)?;
    Ok(0)
}
