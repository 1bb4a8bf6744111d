//! A full build's output. Everything is written into a staging folder beside the
//! output folder, which is then swapped into place, so a reader never sees a
//! half-written site and a failed build leaves the previous one untouched.
//!
//! A build hands its files to a [`SiteWriter`] as they are rendered: a few threads
//! write them while the others render, and no page waits in memory for the whole
//! site to be done.
//!
//! The previous site is not deleted after the swap: it becomes the staging folder of
//! the next build (`.public.staging` beside `public/`), whose files are overwritten
//! in place and whose stale files are removed at the end. Creating thousands of
//! files right after deleting thousands makes ext4 search for inodes it may reuse,
//! which costs more than rendering. A file whose bytes are already right is left
//! alone, and a changed one is overwritten in place rather than truncated (ext4
//! flushes a file truncated to zero and rewritten as soon as it is closed).

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;
use std::thread::JoinHandle;

use super::file::{Contents, OutputFile, Piece};
use super::record;

/// Files rendered but not yet written, at most: enough to keep the writers busy,
/// few enough that memory does not grow with the handbook.
const QUEUE: usize = 256;

/// Files handed to the writer threads together: waking one for every page cost
/// more than writing the page.
const BATCH: usize = 32;

/// A batch goes to the writers at once when the bytes it holds in memory reach
/// this, however few its files: the exports, the finder and the practice page
/// (about 70 MB at 10,000 chapters) come before the pages and otherwise waited in
/// memory, as less than one batch, until the pages filled it.
const BATCH_BYTES: usize = 1 << 20;

/// Threads writing files. Creating and filling a file is mostly the kernel's work
/// (on ext4 much of it CPU, and it waits on the disk now and then): with one
/// thread, a clean build of a large handbook waited for its writer long after the
/// pages were rendered. More threads than cores only contend for the folders'
/// locks.
fn writer_count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4))
}

/// Writes a site into the staging folder as its files come, on threads of their
/// own; [`SiteWriter::finish`] swaps it into place.
pub(crate) struct SiteWriter {
    out: PathBuf,
    staging: PathBuf,
    sender: Option<SyncSender<Vec<OutputFile>>>,
    /// Files waiting to be handed over in one batch.
    batch: Mutex<Batch>,
    writer: Option<JoinHandle<io::Result<Written>>>,
    /// What the staging folder held before, listed meanwhile on another thread.
    existing: Option<JoinHandle<Vec<(PathBuf, bool)>>>,
}

/// Files waiting to be handed over together, and the bytes they hold in memory.
#[derive(Default)]
struct Batch {
    files: Vec<OutputFile>,
    bytes: usize,
}

/// What was written into the staging folder: the files, and the folders made.
#[derive(Default)]
struct Written {
    files: HashSet<String>,
    dirs: HashSet<PathBuf>,
    /// The record of what this build left there, written under a temporary name
    /// once the last file is written, for [`finish`] to put in place.
    prepared: Option<PathBuf>,
}

impl Written {
    /// Removes the prepared record of a build that is not swapped in.
    fn discard(self) {
        if let Some(prepared) = self.prepared {
            let _ = fs::remove_file(prepared);
        }
    }
}

/// The staging folder as the writer threads share it.
struct Folder {
    dir: PathBuf,
    /// Made empty by this build (a build into a new folder): no file is looked
    /// for before it is written.
    fresh: bool,
    /// What an earlier build left in the folder, as far as recorded.
    known: record::Files,
    /// The folders made (or found) so far; held while one is made, so that two
    /// threads never make the same folder.
    dirs: Mutex<HashSet<PathBuf>>,
    /// Set by the first thread that fails: the others stop writing.
    failed: AtomicBool,
}

/// What one writer thread wrote.
#[derive(Default)]
struct Part {
    files: HashSet<String>,
    /// What it leaves in the folder, for the record.
    left: record::Files,
}

impl Folder {
    fn new(staging: Staging, known: record::Files) -> Self {
        Folder {
            dir: staging.dir,
            fresh: staging.fresh,
            known,
            dirs: Mutex::default(),
            failed: AtomicBool::new(false),
        }
    }

    /// Writes the batches one thread takes from `batches` until they end. Every
    /// batch is taken, even after a failure, so no sender blocks.
    fn drain(&self, batches: &Mutex<Receiver<Vec<OutputFile>>>) -> io::Result<Part> {
        let mut part = Part::default();
        let mut failed = None;
        loop {
            let batch = match batches.lock().unwrap_or_else(|e| e.into_inner()).recv() {
                Ok(batch) => batch,
                Err(_) => break,
            };
            for file in batch {
                if failed.is_none() && !self.failed.load(Ordering::Relaxed) {
                    if let Err(e) = self.write(&mut part, &file) {
                        self.failed.store(true, Ordering::Relaxed);
                        failed = Some(e);
                    }
                }
            }
        }
        failed.map_or(Ok(part), Err)
    }

    /// Puts the threads' parts together and writes the record of what this build
    /// left in the folder, `out`'s staging folder, under a temporary name that
    /// [`finish`] puts in place.
    fn written(self, out: &Path, parts: Vec<Part>, known: record::Known) -> Written {
        let mut files = HashSet::with_capacity(parts.iter().map(|p| p.files.len()).sum());
        let mut left = record::Files::default();
        for part in parts {
            files.extend(part.files);
            left.extend(part.left);
        }
        // Only saves a later build some reading: no reason to fail this one.
        let prepared = record::prepare(out, &self.dir, left, known).ok().flatten();
        Written {
            files,
            dirs: self.dirs.into_inner().unwrap_or_else(|e| e.into_inner()),
            prepared,
        }
    }
}

impl SiteWriter {
    pub(crate) fn start(out: &Path) -> io::Result<Self> {
        let staging = staging_folder(out)?;
        let dir = staging.dir.clone();
        let existing = std::thread::spawn(move || list(&dir));
        let (sender, batches) = sync_channel::<Vec<OutputFile>>(QUEUE / BATCH);
        let staging_dir = staging.dir.clone();
        let site = out.to_path_buf();
        let writer = std::thread::spawn(move || {
            let mut known = record::load(&site, &staging.dir);
            let folder = Folder::new(staging, std::mem::take(&mut known.files));
            let batches = Mutex::new(batches);
            let parts = std::thread::scope(|scope| {
                let threads: Vec<_> = (0..writer_count())
                    .map(|_| scope.spawn(|| folder.drain(&batches)))
                    .collect();
                threads
                    .into_iter()
                    .map(|t| {
                        t.join()
                            .unwrap_or_else(|_| Err(io::Error::other("a writer thread failed")))
                    })
                    .collect::<io::Result<Vec<Part>>>()
            })?;
            Ok(folder.written(&site, parts, known))
        });
        Ok(SiteWriter {
            out: out.to_path_buf(),
            staging: staging_dir,
            sender: Some(sender),
            batch: Mutex::default(),
            writer: Some(writer),
            existing: Some(existing),
        })
    }

    /// Hands a file over; it is written while rendering goes on.
    pub(crate) fn send(&self, file: OutputFile) {
        let full = {
            let mut batch = self.batch.lock().unwrap_or_else(|e| e.into_inner());
            batch.bytes += file.in_memory_len();
            batch.files.push(file);
            if batch.files.len() < BATCH && batch.bytes < BATCH_BYTES {
                return;
            }
            std::mem::take(&mut *batch).files
        };
        self.hand_over(full);
    }

    fn hand_over(&self, batch: Vec<OutputFile>) {
        if let Some(sender) = &self.sender {
            // A writer that stopped has an error to report from `finish`.
            let _ = sender.send(batch);
        }
    }

    /// Waits until every file is written, removes what this build did not write,
    /// and swaps the staging folder into place.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        let written = self.wait();
        let existing = self.existing.take().and_then(|e| e.join().ok());
        finish(&self.staging, &self.out, written, existing)
    }

    /// Stops without touching the output folder (rendering failed).
    pub(crate) fn abandon(mut self) {
        if let Ok(written) = self.wait() {
            written.discard();
        }
    }

    fn wait(&mut self) -> io::Result<Written> {
        let rest = std::mem::take(&mut *self.batch.lock().unwrap_or_else(|e| e.into_inner())).files;
        if !rest.is_empty() {
            self.hand_over(rest);
        }
        self.sender = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the writer thread failed")),
            None => Err(io::Error::other("the site was already written")),
        }
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if self.writer.is_some() {
            if let Ok(written) = self.wait() {
                written.discard();
            }
        }
        if let Some(existing) = self.existing.take() {
            let _ = existing.join();
        }
    }
}

/// Writes `files` as the new content of `out`, here and now.
pub(crate) fn write_site(files: &[OutputFile], out: &Path) -> io::Result<()> {
    let staging = staging_folder(out)?;
    let mut known = record::load(out, &staging.dir);
    let dir = staging.dir.clone();
    let folder = Folder::new(staging, std::mem::take(&mut known.files));
    let mut part = Part::default();
    let result = files
        .iter()
        .try_for_each(|file| folder.write(&mut part, file));
    let written = result.map(|()| folder.written(out, vec![part], known));
    finish(&dir, out, written, None)
}

/// The staging folder, and whether this build made it.
struct Staging {
    dir: PathBuf,
    fresh: bool,
}

/// The staging folder beside `out`, there and a folder: the site the build before
/// the last one left (see [`swap`]), or a new empty folder.
fn staging_folder(out: &Path) -> io::Result<Staging> {
    fs::create_dir_all(super::folder_of(out))?;
    let dir = super::beside(out, "staging");
    if fs::symlink_metadata(&dir).is_ok_and(|m| !m.is_dir()) {
        fs::remove_file(&dir)?;
    }
    let fresh = match fs::create_dir(&dir) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => false,
        Err(e) => return Err(e),
    };
    Ok(Staging { dir, fresh })
}

/// Removes from the staging folder what was not written (of what it held before,
/// if that is known), then swaps it into place.
fn finish(
    staging: &Path,
    out: &Path,
    written: io::Result<Written>,
    existing: Option<Vec<(PathBuf, bool)>>,
) -> io::Result<()> {
    let written = match written {
        Ok(written) => written,
        Err(e) => {
            // A staging folder in an unknown state is not reused.
            let _ = fs::remove_dir_all(staging);
            return Err(e);
        }
    };
    let existing = existing.unwrap_or_else(|| list(staging));
    if let Err(e) = remove_unwritten(staging, existing, &written) {
        written.discard();
        return Err(e);
    }
    if let Some(prepared) = &written.prepared {
        // Only saves a later build some reading: no reason to fail this one.
        let _ = record::commit(out, prepared);
    }
    swap(staging, out)
}

fn swap(staging: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(staging, out);
    }
    let swapping = super::beside(out, &format!("swapping-{}", std::process::id()));
    fs::rename(out, &swapping)?;
    if let Err(e) = fs::rename(staging, out) {
        // Put the previous site back rather than leave no site at all.
        let _ = fs::rename(&swapping, out);
        return Err(e);
    }
    // Kept as the next build's staging folder; if that fails, it just goes.
    if fs::rename(&swapping, staging).is_err() {
        let _ = fs::remove_dir_all(&swapping);
    }
    Ok(())
}

/// Every file and folder under `dir` (relative, a folder after what it holds), and
/// whether it is a folder.
fn list(dir: &Path) -> Vec<(PathBuf, bool)> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
            (rel, e.file_type().is_dir())
        })
        .collect()
}

/// Removes the files and folders of an earlier build that this one did not write.
fn remove_unwritten(
    dir: &Path,
    existing: Vec<(PathBuf, bool)>,
    written: &Written,
) -> io::Result<()> {
    for (rel, is_dir) in existing {
        let path = dir.join(&rel);
        let result = if is_dir {
            if written.dirs.contains(&rel) {
                continue;
            }
            fs::remove_dir_all(&path)
        } else {
            if written.files.contains(rel.to_string_lossy().as_ref()) {
                continue;
            }
            fs::remove_file(&path)
        };
        match result {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

impl Folder {
    fn write(&self, part: &mut Part, file: &OutputFile) -> io::Result<()> {
        let dir = &self.dir;
        let rel = Path::new(&file.path);
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
            if !dirs.contains(parent) {
                make_dirs(dir, parent, &mut dirs)?;
            }
        }
        let target = dir.join(rel);
        // Looking for each file before writing it into a new folder found none and
        // cost a path lookup per file (with the one after, 3% of a clean build's CPU).
        let on_disk = match self.fresh {
            true => None,
            false => fs::symlink_metadata(&target).ok(),
        };
        // What an earlier build had as a folder is a file now.
        if on_disk.as_ref().is_some_and(|m| m.is_dir()) {
            fs::remove_dir_all(&target)?;
        }
        let on_disk = on_disk.filter(|m| m.is_file());
        let (bytes, list);
        let pieces: &dyn FileBytes = match &file.contents {
            Contents::Bytes(b) => {
                bytes = Bytes(b);
                &bytes
            }
            Contents::Static(b) => {
                bytes = Bytes(b);
                &bytes
            }
            Contents::Pieces(p) => {
                list = PieceList(p);
                &list
            }
            Contents::Copy(source) => {
                fs::copy(source, &target).map_err(|e| {
                    io::Error::new(e.kind(), format!("copying {}: {e}", source.display()))
                })?;
                part.files.insert(file.path.clone());
                return Ok(());
            }
            Contents::Unchanged(_) => {
                return Err(io::Error::other(format!(
                    "{} was not rendered (a full build renders every page)",
                    file.path
                )))
            }
        };
        let hash = super::file::content_hash(&file.contents)?;
        // As recorded, untouched since, and the same bytes again: nothing to do.
        let now = on_disk.as_ref().and_then(|m| record::Entry::of(m, hash));
        let unchanged = now.is_some_and(|now| {
            now.len == pieces.len() as u64 && self.known.get(&file.path) == Some(&now)
        });
        let left = if unchanged {
            now
        } else {
            write_if_changed(&target, on_disk.as_ref(), pieces)?
                .and_then(|m| record::Entry::of(&m, hash))
        };
        if let Some(entry) = left {
            part.left.insert(file.path.clone(), entry);
        }
        part.files.insert(file.path.clone());
        Ok(())
    }
}

/// Makes the folder `rel` and those above it in `dir`, noting them in `dirs`; a
/// file where one must be goes.
fn make_dirs(dir: &Path, rel: &Path, dirs: &mut HashSet<PathBuf>) -> io::Result<()> {
    let mut path = PathBuf::new();
    for part in rel.components() {
        path.push(part);
        if dirs.contains(&path) {
            continue;
        }
        let full = dir.join(&path);
        match fs::symlink_metadata(&full) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                fs::remove_file(&full)?;
                fs::create_dir(&full)?;
            }
            Err(_) => fs::create_dir(&full)?,
        }
        dirs.insert(path.clone());
    }
    Ok(())
}

/// A file's bytes, to be written or compared a piece at a time.
trait FileBytes {
    fn len(&self) -> usize;
    /// The bytes in one piece, where they are.
    fn whole(&self) -> Option<&[u8]> {
        None
    }
    /// Hands every piece to `each`, in order, stopping at its first error.
    fn each(&self, each: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()>;
}

struct Bytes<'a>(&'a [u8]);

impl FileBytes for Bytes<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn whole(&self) -> Option<&[u8]> {
        Some(self.0)
    }

    fn each(&self, each: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        each(self.0)
    }
}

struct PieceList<'a>(&'a [Piece]);

impl FileBytes for PieceList<'_> {
    fn len(&self) -> usize {
        self.0.iter().map(Piece::len).sum()
    }

    fn each(&self, each: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        self.0.iter().try_for_each(|piece| piece.read(each))
    }
}

/// Leaves a file alone whose bytes are already `pieces`; otherwise overwrites it,
/// then cuts it to length, without ever truncating it to zero (ext4 flushes a file
/// truncated to zero and rewritten as soon as it is closed).
///
/// `existing`: what the system said of the file already there, if there is one.
/// Returns what it says of the file now (for the build's record), if it says.
fn write_if_changed(
    target: &Path,
    existing: Option<&fs::Metadata>,
    pieces: &dyn FileBytes,
) -> io::Result<Option<fs::Metadata>> {
    let len = pieces.len();
    let Some(existing) = existing else {
        return write_new(target, pieces);
    };
    if existing.len() == len as u64 && holds(target, pieces).unwrap_or(false) {
        return Ok(Some(existing.clone()));
    }
    let file = fs::OpenOptions::new().write(true).open(target)?;
    let file = write_into(file, pieces)?;
    file.set_len(len as u64)?;
    Ok(file.metadata().ok())
}

/// Writes a file that is not there; what the system says of it once written, if
/// it says.
fn write_new(target: &Path, pieces: &dyn FileBytes) -> io::Result<Option<fs::Metadata>> {
    let file = write_into(fs::File::create(target)?, pieces)?;
    Ok(file.metadata().ok())
}

/// Writes the pieces one after another from the start of `file`.
fn write_into(mut file: fs::File, pieces: &dyn FileBytes) -> io::Result<fs::File> {
    if let Some(bytes) = pieces.whole() {
        file.write_all(bytes)?;
        return Ok(file);
    }
    let mut writer = io::BufWriter::with_capacity(1 << 16, file);
    pieces.each(&mut |piece| writer.write_all(piece))?;
    writer.into_inner().map_err(|e| e.into_error())
}

/// Writes a file made of pieces (watch mode's temporary files).
pub(super) fn write_pieces(target: &Path, pieces: &[Piece]) -> io::Result<()> {
    write_new(target, &PieceList(pieces)).map(drop)
}

/// True when the file's bytes are `pieces`, read a piece at a time.
fn holds(target: &Path, pieces: &dyn FileBytes) -> io::Result<bool> {
    let mut file = io::BufReader::with_capacity(1 << 16, fs::File::open(target)?);
    let mut buffer = Vec::new();
    let mut same = true;
    let compared = pieces.each(&mut |piece| {
        for chunk in piece.chunks(1 << 16) {
            buffer.resize(chunk.len(), 0);
            file.read_exact(&mut buffer)?;
            if buffer != chunk {
                same = false;
                // Stops the comparison; not reported as an error.
                return Err(io::ErrorKind::InvalidData.into());
            }
        }
        Ok(())
    });
    if !same {
        return Ok(false);
    }
    compared?;
    Ok(file.read(&mut [0])? == 0)
}

#[cfg(test)]
mod tests {
    use super::super::test_files::{file, tree};
    use super::*;
    use std::sync::Arc;

    #[test]
    fn each_build_leaves_exactly_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &[file("index.html", "one"), file("static/a.css", "a")],
            &out,
        )
        .unwrap();
        write_site(
            &[file("index.html", "two"), file("static", "now a file")],
            &out,
        )
        .unwrap();
        assert_eq!(
            tree(&out),
            [
                ("index.html".into(), "two".into()),
                ("static".into(), "now a file".into())
            ]
        );
        write_site(
            &[file("index.html", "three"), file("static/b/c.css", "c")],
            &out,
        )
        .unwrap();
        assert_eq!(
            tree(&out),
            [
                ("index.html".into(), "three".into()),
                ("static/b/c.css".into(), "c".into())
            ]
        );
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| n == "public" || n == ".public.staging" || n == ".public.written"),
            "{names:?}"
        );
    }

    #[test]
    fn a_staging_folder_is_fresh_only_when_this_build_made_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = staging_folder(&out).unwrap();
        assert!(first.fresh);
        fs::write(first.dir.join("page.html"), "old").unwrap();
        let again = staging_folder(&out).unwrap();
        assert!(!again.fresh, "a folder left by a build before is not fresh");
        // Written into a folder that is not fresh, a file there is found and
        // replaced, not appended to.
        write_site(&[file("page.html", "new")], &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("page.html")).unwrap(), "new");
    }

    #[test]
    fn a_batch_holding_a_megabyte_goes_to_the_writers_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let writer = SiteWriter::start(&out).unwrap();
        // A small file waits for its batch to fill; a large one sends the batch.
        writer.send(file("small.html", "s"));
        let staged = |name: &str| writer.staging.join(name).exists();
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!staged("small.html"), "a small file waits for its batch");
        writer.send(OutputFile::bytes(
            "exports/big.csv",
            vec![b'x'; BATCH_BYTES],
        ));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !(staged("small.html") && staged("exports/big.csv")) {
            assert!(
                std::time::Instant::now() < deadline,
                "the batch with a megabyte in it was not written before `finish`"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        writer.finish().unwrap();
        assert_eq!(
            fs::read(out.join("exports/big.csv")).unwrap().len(),
            BATCH_BYTES
        );
    }

    #[test]
    fn a_writer_streams_files_and_swaps_them_in_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&[file("old.html", "old"), file("a/b.html", "b")], &out).unwrap();

        let writer = SiteWriter::start(&out).unwrap();
        writer.send(file("index.html", "new"));
        // Sections in memory and set aside in a scratch file, as a large build has them.
        let spill = Arc::new(crate::output::spill::Spill::create(dir.path(), 0).unwrap());
        let second = spill.put("第二章").unwrap();
        let first = spill.put("第一章").unwrap();
        writer.send(OutputFile {
            path: "print.html".into(),
            contents: Contents::Pieces(vec![
                Piece::Text(Arc::new("<html>".to_string())),
                Piece::SetAside(spill.clone(), first),
                Piece::SetAside(spill.clone(), second),
                Piece::Text(Arc::new("</html>".to_string())),
            ]),
        });
        drop(spill);
        // Nothing is swapped in before `finish`.
        assert_eq!(tree(&out).len(), 2);
        writer.finish().unwrap();
        assert_eq!(
            tree(&out),
            [
                ("index.html".into(), "new".into()),
                ("print.html".into(), "<html>第一章第二章</html>".into())
            ]
        );
        assert!(!out.join("a").exists(), "folders of the old site go");
        let scratch = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(scratch, 0, "the scratch file goes with its last section");

        // Abandoned: the site stays as it was.
        let writer = SiteWriter::start(&out).unwrap();
        writer.send(file("index.html", "half-built"));
        writer.abandon();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
    }

    fn set_modified(path: &Path, time: std::time::SystemTime) {
        let file = fs::File::options().write(true).open(path).unwrap();
        file.set_modified(time).unwrap();
    }

    #[test]
    fn a_recorded_file_is_trusted_while_its_length_and_time_are_as_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = dir.path().join(".public.staging");
        let files = [file("a.html", "first"), file("b.html", "second")];
        // Two builds: the first build's folder is the staging folder of the third.
        write_site(&files, &out).unwrap();
        write_site(&files, &out).unwrap();
        assert_eq!(fs::read_to_string(staging.join("a.html")).unwrap(), "first");

        // Changed by hand, later: another time, so it is compared and rewritten.
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(10);
        fs::write(staging.join("a.html"), "FIRST").unwrap();
        set_modified(&staging.join("a.html"), later);
        write_site(&files, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "first");

        // Changed with its length and time put back, the file is what the record
        // trusts: it is left alone, unread (the limit of a record, as of make's).
        write_site(&files, &out).unwrap();
        let b = staging.join("b.html");
        let modified = fs::metadata(&b).unwrap().modified().unwrap();
        fs::write(&b, "SECOND").unwrap();
        set_modified(&b, modified);
        write_site(&files, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "SECOND");
    }

    #[test]
    fn a_file_is_rewritten_only_when_its_bytes_differ() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("page.html");
        let text = |s: &str| Piece::Text(Arc::new(s.to_string()));
        let spill = Arc::new(crate::output::spill::Spill::create(dir.path(), 0).unwrap());
        let set_aside = |s: &str| Piece::SetAside(spill.clone(), spill.put(s).unwrap());
        let pieces = [text("abc"), set_aside("def")];
        write_if_changed(&target, None, &PieceList(&pieces)).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"abcdef");
        assert!(holds(&target, &Bytes(b"abcdef")).unwrap());
        assert!(holds(&target, &PieceList(&pieces)).unwrap());
        assert!(!holds(&target, &Bytes(b"abcdeg")).unwrap());
        assert!(!holds(&target, &PieceList(&[text("abc"), set_aside("deg")])).unwrap());
        assert!(!holds(&target, &Bytes(b"abc")).unwrap());
        let on_disk = fs::metadata(&target).unwrap();
        let now = write_if_changed(
            &target,
            Some(&on_disk),
            &PieceList(&[text("ab"), set_aside("cdeg")]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"abcdeg");
        // What comes back is the file as written: its length, and the time the
        // system reports for it now.
        let after = fs::metadata(&target).unwrap();
        assert_eq!(now.len(), 6);
        assert_eq!(now.modified().unwrap(), after.modified().unwrap());
        let now = write_if_changed(&target, Some(&after), &Bytes(b"xy"))
            .unwrap()
            .unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"xy");
        assert_eq!(now.len(), 2);
    }
}
