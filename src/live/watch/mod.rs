//! Watching a handbook for changes: file-system events (or polling), filtered and
//! gathered into batches, so that an editor's save, however it writes the file, and
//! a `git checkout` of many files each give one rebuild.

mod change;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use notify::{PollWatcher, RecursiveMode};

pub(crate) use change::{classify, ChangeKind};

/// How long the folder must stay quiet before a batch is handed over: long enough
/// to take in all of one save (temp file, rename, delete), short enough not to be felt.
pub(crate) const QUIET: Duration = Duration::from_millis(5);
/// The quiet wait once a batch holds more than one file: a burst (`git checkout`,
/// a search-and-replace over many files) may pause between files. One editor save
/// touches one file the site reads (its temporary and backup files are ignored).
pub(crate) const BURST_QUIET: Duration = Duration::from_millis(150);
/// The quiet wait once the one file of a batch has been closed after writing
/// (Linux says so): that save is complete, and what an editor writes beside it
/// (backup and swap files) is ignored anyway. A later event lengthens the wait again.
pub(crate) const CLOSED_QUIET: Duration = Duration::from_millis(1);
/// The quiet wait while a file of the batch has been written and not yet closed
/// (only where the system reports closes: Linux, without polling). A save in place
/// empties the file and then fills it; a writer delayed between the two (a loaded
/// machine) must not have its empty file built. The close ends the wait at once.
pub(crate) const OPEN_QUIET: Duration = Duration::from_millis(500);
/// A batch is handed over after this long even if events keep coming.
pub(crate) const MAX_WAIT: Duration = Duration::from_millis(1500);

/// The changes of one batch: each path once, with its kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Batch {
    pub(crate) changes: BTreeMap<PathBuf, ChangeKind>,
}

impl Batch {
    pub(crate) fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// True when only theme static files changed.
    pub(crate) fn only_static(&self) -> bool {
        !self.is_empty() && self.changes.values().all(|&k| k == ChangeKind::Static)
    }

    /// A short description for the rebuild line: the first path and how many more.
    pub(crate) fn describe(&self, root: &Path, lang: crate::diag::Lang) -> String {
        let mut paths = self.changes.keys();
        let first = paths
            .next()
            .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
            .unwrap_or_default();
        match self.changes.len() {
            0 | 1 => first,
            n => match lang {
                crate::diag::Lang::En => format!("{first} and {} more", n - 1),
                crate::diag::Lang::Zh => format!("{first} 等 {n} 个文件"),
            },
        }
    }
}

/// Watches `content/`, `themes/` and `handbook.yaml` under a root.
pub(crate) struct FolderWatcher {
    root: PathBuf,
    events: Receiver<notify::Result<notify::Event>>,
    /// An event taken off the channel by [`FolderWatcher::pending`], not yet batched.
    early: std::cell::RefCell<Option<notify::Result<notify::Event>>>,
    /// Kept alive for as long as the watcher is; told again to watch `content/` or
    /// `themes/` when one is created (anew) after it started.
    watcher: std::cell::RefCell<Box<dyn notify::Watcher + Send>>,
    /// Whether the events say when a file written is closed (see [`OPEN_QUIET`]).
    reports_closes: bool,
}

impl FolderWatcher {
    /// `poll`: scan for changes every 300 ms instead of using the system's events
    /// (for network drives and containers where events do not arrive).
    pub(crate) fn new(root: &Path, poll: bool) -> notify::Result<Self> {
        let root = root.canonicalize().map_err(notify::Error::io)?;
        let (sender, events) = channel();
        let mut watcher: Box<dyn notify::Watcher + Send> = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
            Box::new(PollWatcher::new(sender, config)?)
        } else {
            Box::new(notify::recommended_watcher(sender)?)
        };
        // The root itself (not recursively) sees content/ or themes/ appear or go.
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
        for dir in ["content", "themes"] {
            let path = root.join(dir);
            if path.is_dir() {
                watcher.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(FolderWatcher {
            root,
            events,
            early: std::cell::RefCell::new(None),
            watcher: std::cell::RefCell::new(watcher),
            reports_closes: cfg!(any(target_os = "linux", target_os = "android")) && !poll,
        })
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Waits (at most `timeout`) for changes, then gathers events until the folder
    /// has been quiet for [`QUIET`]. `None` when the timeout passed with no change.
    pub(crate) fn next_batch(&self, timeout: Duration) -> Option<Batch> {
        let mut batch = Batch::default();
        let early = self.early.borrow_mut().take();
        // Timed out or disconnected: no change.
        let first = match early {
            Some(event) => event,
            None => self.events.recv_timeout(timeout).ok()?,
        };
        // A new folder is the start of a burst (a checkout, a copied part): no
        // editor makes one to save a file.
        let mut open = std::collections::BTreeSet::new();
        self.note_writes(&mut open, &first);
        let mut burst = self.add(&mut batch, first);
        let mut closed = false;
        let started = Instant::now();
        while started.elapsed() < MAX_WAIT {
            let quiet = if burst || batch.changes.len() > 1 {
                BURST_QUIET
            } else if !open.is_empty() {
                OPEN_QUIET
            } else if closed {
                CLOSED_QUIET
            } else {
                QUIET
            };
            match self.events.recv_timeout(quiet) {
                Ok(event) => {
                    self.note_writes(&mut open, &event);
                    if closes_a_write(&event, &batch) {
                        closed = true;
                    } else if relevant(&self.root, &event) {
                        closed = false;
                    }
                    burst |= self.add(&mut batch, event);
                }
                Err(_) => break,
            }
        }
        Some(batch)
    }

    /// Keeps `open` as the site's files written and not yet closed, where the
    /// system reports closes: a file made or written joins; its close, removal or
    /// renaming takes it out.
    fn note_writes(
        &self,
        open: &mut std::collections::BTreeSet<PathBuf>,
        event: &notify::Result<notify::Event>,
    ) {
        use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
        let Ok(event) = event else { return };
        if !self.reports_closes {
            return;
        }
        match event.kind {
            EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_)) => {
                for path in &event.paths {
                    if classify(&self.root, path).is_some() {
                        open.insert(path.clone());
                    }
                }
            }
            // Closed, or gone (a file removed or renamed is no longer written there).
            EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_)) => {
                for path in &event.paths {
                    open.remove(path);
                }
            }
            _ => {}
        }
    }

    /// True when a change the site depends on is waiting to be batched.
    pub(crate) fn pending(&self) -> bool {
        let mut early = self.early.borrow_mut();
        while early.is_none() {
            let Ok(event) = self.events.try_recv() else {
                return false;
            };
            if relevant(&self.root, &event) {
                *early = Some(event);
            }
        }
        true
    }

    /// Adds the event's changes to `batch`; true when it made a folder the site reads.
    /// (An access, such as a file closed, changes nothing.)
    fn add(&self, batch: &mut Batch, event: notify::Result<notify::Event>) -> bool {
        let Ok(event) = event else { return false };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return false;
        }
        let created = matches!(event.kind, notify::EventKind::Create(_));
        let mut new_folder = false;
        for path in event.paths {
            let top = path.parent() == Some(self.root.as_path())
                && (path.ends_with("content") || path.ends_with("themes"));
            if top && path.is_dir() {
                // A folder removed and made again is a new folder to the system: the
                // watch on the old one went with it.
                let _ = self
                    .watcher
                    .borrow_mut()
                    .watch(&path, RecursiveMode::Recursive);
            }
            if let Some(kind) = classify(&self.root, &path) {
                new_folder |= created && path.is_dir();
                batch.changes.insert(path, kind);
            }
        }
        new_folder
    }
}

/// Whether `event` changes something the site depends on (an access does not).
fn relevant(root: &Path, event: &notify::Result<notify::Event>) -> bool {
    event.as_ref().is_ok_and(|e| {
        !matches!(e.kind, notify::EventKind::Access(_))
            && e.paths.iter().any(|p| classify(root, p).is_some())
    })
}

/// Whether `event` says a file of `batch` was closed after writing.
fn closes_a_write(event: &notify::Result<notify::Event>, batch: &Batch) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    event.as_ref().is_ok_and(|e| {
        e.kind == EventKind::Access(AccessKind::Close(AccessMode::Write))
            && !e.paths.is_empty()
            && e.paths.iter().all(|p| batch.changes.contains_key(p))
    })
}
