//! Watch mode, all of it: the rebuild loop of `watch` and `serve` lives here (wait
//! for a batch of changes, rebuild, report; a content error never ends it, only a
//! failure to write the site does), on top of its three parts: [`session`] (a build
//! that lives on between rebuilds), [`watch`] (file-system changes gathered into
//! batches) and [`serve`] (the site over HTTP with live reload). It sits above the
//! pipeline's stages and only calls them.

pub(crate) mod serve;
pub(crate) mod session;
pub(crate) mod watch;

use std::path::Path;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::diag::{tr, Lang, Text};
use crate::pipeline::Fatal;
use serve::{Notice, Notifier};
use session::{Outcome, Session, SiteWideDone};
use watch::{Batch, ChangeKind, FolderWatcher};

/// What the loop tells whoever runs it after each rebuild.
pub(crate) trait Report {
    fn rebuilt(&mut self, batch: &Batch, outcome: &Outcome);
    /// The site-wide pages: search index, print version and the others made from all pages.
    fn finished(&mut self, update: &crate::output::Update, elapsed: Duration);
    /// Those pages failed (a template error).
    fn failed(&mut self, checked: &crate::pipeline::Checked);
}

/// How long the site-wide pages wait after a rebuild of the pages under `serve`.
/// The open tabs patch their page in this time (some 5 ms after the event) and should
/// have the processor to themselves meanwhile, rather than share it with the search
/// index and the print version (a few hundred milliseconds of work at 1,000
/// chapters). A save within this time also spares that work.
const SITE_WIDE_GRACE: Duration = Duration::from_millis(60);

/// Runs until writing fails; every wait is bounded so the loop keeps turning.
pub(crate) fn run(
    session: &mut Session,
    watcher: &FolderWatcher,
    report: &mut dyn Report,
    notifier: Option<&Notifier>,
) -> Result<(), Fatal> {
    let mut failing = false;
    // The site-wide pages of a rebuild, made on their own thread.
    let mut site_wide: Option<JoinHandle<SiteWideDone>> = None;
    // The last good rebuild's handbook, until a site-wide job takes it.
    let mut latest: Option<std::sync::Arc<crate::pipeline::Checked>> = None;
    // When the pages were last rebuilt, while tabs may be patching them.
    let mut rebuilt_at: Option<std::time::Instant> = None;
    loop {
        let grace_left = rebuilt_at
            .filter(|_| notifier.is_some())
            .and_then(|at| SITE_WIDE_GRACE.checked_sub(at.elapsed()))
            .filter(|left| !left.is_zero());
        if site_wide.as_ref().is_some_and(|job| job.is_finished()) {
            let done = site_wide
                .take()
                .expect("a job")
                .join()
                .expect("the job ran");
            failing |= take_back(session, done, report, notifier)?;
        }
        // The site-wide pages come after the pages, off this thread, unless
        // more changes are already waiting (the next rebuild sees to it then).
        if site_wide.is_none()
            && grace_left.is_none()
            && session.site_wide_due()
            && !watcher.pending()
        {
            if let Some(job) = latest
                .take()
                .and_then(|checked| session.site_wide_job(checked))
            {
                site_wide = Some(std::thread::spawn(move || job.run_aside()));
            }
        }
        let wait = match grace_left {
            _ if site_wide.is_some() => Duration::from_millis(20),
            Some(left) => left,
            None => Duration::from_millis(500),
        };
        let Some(batch) = watcher.next_batch(wait) else {
            continue;
        };
        if batch.is_empty() {
            continue;
        }
        let changed: Vec<_> = batch.changes.keys().cloned().collect();
        let outcome = session.rebuild(&changed)?;
        rebuilt_at = Some(std::time::Instant::now());
        report.rebuilt(&batch, &outcome);
        if let Some(notifier) = notifier {
            let notice = if outcome.ok() {
                notice_for(&batch, &outcome, failing)
            } else {
                Some(notifier.failed(&outcome.checked))
            };
            if let Some(notice) = notice {
                notifier.send(notice);
            }
        }
        failing = !outcome.ok();
        if outcome.ok() {
            latest = Some(outcome.checked);
        }
    }
}

/// Takes back a finished site-wide job: reports it, tells open tabs, and gives the
/// session its manifest. True when its pages failed (a template error); a write
/// error ends the loop.
fn take_back(
    session: &mut Session,
    done: SiteWideDone,
    report: &mut dyn Report,
    notifier: Option<&Notifier>,
) -> Result<bool, Fatal> {
    let failed = match &done.result {
        Ok(Ok(update)) => {
            report.finished(update, done.elapsed);
            let changed = !update.written.is_empty() || !update.removed.is_empty();
            if let (Some(notifier), true) = (notifier, changed) {
                notifier.send(Notice::Updated(update.written.clone()));
            }
            false
        }
        Ok(Err(checked)) => {
            report.failed(checked);
            if let Some(notifier) = notifier {
                notifier.send(notifier.failed(checked));
            }
            true
        }
        Err(e) => {
            let error = Fatal::Output(
                session.out().to_path_buf(),
                std::io::Error::other(e.to_string()),
            );
            session.site_wide_done(done);
            return Err(error);
        }
    };
    session.site_wide_done(done);
    Ok(failed)
}

/// What open tabs should do after a good rebuild, if anything: swap stylesheets
/// when only they changed; when only chapters and tables changed and only pages
/// (and sidebars' scripts) were written, tell which (each tab patches its page if
/// it is one of them, and loads its sidebar's script again if that is); else
/// reload every tab (the theme, handbook.yaml or a copied file may show on any page).
pub(crate) fn notice_for(batch: &Batch, outcome: &Outcome, was_failing: bool) -> Option<Notice> {
    let written = &outcome.update;
    let changed = !written.written.is_empty() || !written.removed.is_empty();
    let only_css = batch.only_static()
        && written.removed.is_empty()
        && written.written.iter().all(|p| p.ends_with(".css"));
    // A sidebar's script changes with the titles of its part's pages: the tabs
    // that load it put it in again (`reload.js`), the others have nothing to do.
    let only_pages = !batch.is_empty()
        && batch.changes.values().all(|&k| k == ChangeKind::Content)
        && (written.written.iter())
            .all(|p| p.ends_with(".html") || crate::render::is_nav_script(p));
    if only_css && changed && !was_failing {
        Some(Notice::Css(written.written.clone()))
    } else if only_pages && (changed || was_failing) {
        Some(Notice::Pages {
            written: written.written.clone(),
            removed: written.removed.clone(),
        })
    } else if changed || was_failing {
        Some(Notice::Reload)
    } else {
        None
    }
}

/// One line per rebuild on standard error, and the diagnostics of a failed one.
pub(crate) struct Terminal<'a> {
    pub(crate) root: &'a Path,
    pub(crate) color: bool,
    /// The language of the last rebuild's handbook, for the lines that follow it.
    pub(crate) lang: Lang,
}

impl Report for Terminal<'_> {
    fn rebuilt(&mut self, batch: &Batch, outcome: &Outcome) {
        let checked = &outcome.checked;
        let ms = outcome.elapsed.as_secs_f64() * 1000.0;
        let lang = checked.lang();
        self.lang = lang;
        let what = batch.describe(self.root, lang);
        let ms = format!("{ms:.0}");
        let diagnostics =
            || crate::diag::render_human(&checked.diagnostics, &checked.sources, self.color, lang);
        if outcome.ok() {
            if !checked.diagnostics.is_empty() {
                eprint!("{}", diagnostics());
            }
            let written = outcome.update.written.len();
            let removed = outcome.update.removed.len();
            let plural = if written == 1 { "" } else { "s" };
            let said = Text::new(
                format!(
                    "rebuilt in {ms} ms: {what} changed; {written} file{plural} written, {removed} removed"
                ),
                format!("{ms} 毫秒重建完成：{what} 有改动；写入 {written} 个文件，删除 {removed} 个"),
            );
            eprintln!("{}", said.get(lang));
        } else {
            eprint!("{}", diagnostics());
            let said = tr!(
                "rebuild failed in {} ms: {} changed; the last good site stays",
                "重建失败（{} 毫秒）：{} 有改动；网站保持上一次成功构建的样子",
                ms,
                what
            );
            eprintln!("{}", said.get(lang));
        }
    }

    fn failed(&mut self, checked: &crate::pipeline::Checked) {
        let lang = checked.lang();
        eprint!(
            "{}",
            crate::diag::render_human(&checked.diagnostics, &checked.sources, self.color, lang)
        );
        let said = tr!(
            "the search index, print version and index pages failed to build",
            "搜索索引、打印版和目录页生成失败"
        );
        eprintln!("{}", said.get(lang));
    }

    fn finished(&mut self, update: &crate::output::Update, elapsed: Duration) {
        let written = update.written.len();
        let ms = format!("{:.0}", elapsed.as_secs_f64() * 1000.0);
        let plural = if written == 1 { "" } else { "s" };
        let said = Text::new(
            format!(
                "  then the search index, print version and index pages in {ms} ms; {written} file{plural} written"
            ),
            format!("  随后用 {ms} 毫秒生成了搜索索引、打印版和目录页；写入 {written} 个文件"),
        );
        eprintln!("{}", said.get(self.lang));
    }
}
