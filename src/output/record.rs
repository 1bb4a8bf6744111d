//! What a full build left in a folder: each file's length, modification time and a
//! hash of its bytes. The folder comes back as the staging folder two builds later;
//! a file whose length and time are still as recorded, and whose new bytes hash as
//! recorded, is then left alone without being read back to compare.
//!
//! The record is kept beside the output folder (`.public.written` for `public/`),
//! one per folder, under the folder's device and inode: a rename keeps those, so a
//! record never speaks for another folder. A file changed since (by hand, by a
//! copy) has another time or length and is compared as before.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// A file as a build left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) len: u64,
    /// Modification time: seconds and nanoseconds since the Unix epoch.
    pub(crate) modified: (i64, u32),
    pub(crate) hash: u64,
}

impl Entry {
    /// The entry for a file on disk (its length and time) holding bytes that hash to
    /// `hash`; none where the system gives no time.
    pub(crate) fn of(meta: &fs::Metadata, hash: u64) -> Option<Entry> {
        let modified = meta.modified().ok()?;
        let modified = match modified.duration_since(UNIX_EPOCH) {
            Ok(after) => (after.as_secs() as i64, after.subsec_nanos()),
            Err(e) => {
                let before = e.duration();
                (-(before.as_secs() as i64), before.subsec_nanos())
            }
        };
        Some(Entry {
            len: meta.len(),
            modified,
            hash,
        })
    }
}

/// The files of one folder, by path inside it.
pub(crate) type Files = HashMap<String, Entry>;

#[derive(Default, Serialize, Deserialize)]
struct RecordFile {
    version: u32,
    folders: Vec<Folder>,
}

#[derive(Serialize, Deserialize)]
struct Folder {
    device: u64,
    inode: u64,
    /// Path, length, time (seconds, nanoseconds), hash: a list rather than a map of
    /// objects, smaller by a quarter (the record is written after every build).
    files: Vec<(String, u64, i64, u32, u64)>,
}

const VERSION: u32 = 1;

/// Where the records of `out` and of its staging folder are kept.
fn record_path(out: &Path) -> PathBuf {
    super::beside(out, "written")
}

#[cfg(unix)]
fn identity(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::symlink_metadata(dir).ok()?;
    meta.is_dir().then(|| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_dir: &Path) -> Option<(u64, u64)> {
    None
}

fn read(out: &Path) -> RecordFile {
    fs::read(record_path(out))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<RecordFile>(&bytes).ok())
        .filter(|record| record.version == VERSION)
        .unwrap_or_default()
}

/// What the record says when a build starts: what the last build that wrote into
/// `dir` left there, and the records of the other folders, which the record this
/// build writes keeps without reading the file again.
#[derive(Default)]
pub(crate) struct Known {
    pub(crate) files: Files,
    others: Vec<Folder>,
}

/// What the record of `out` (the output folder) says about `dir` (`out` or its
/// staging folder); nothing when nothing is known.
pub(crate) fn load(out: &Path, dir: &Path) -> Known {
    let Some((device, inode)) = identity(dir) else {
        return Known::default();
    };
    let (mine, others): (Vec<Folder>, Vec<Folder>) = read(out)
        .folders
        .into_iter()
        .partition(|f| f.device == device && f.inode == inode);
    let files = mine
        .into_iter()
        .next()
        .map(|f| {
            f.files
                .into_iter()
                .map(|(path, len, secs, nanos, hash)| {
                    let modified = (secs, nanos);
                    (
                        path,
                        Entry {
                            len,
                            modified,
                            hash,
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Known { files, others }
}

/// Records `files` as what this build left in `staging`, before it is swapped in as
/// `out` (the record of the folder now at `out`, the next staging folder, is kept
/// from `known`, read when the build started): written under a temporary name that
/// [`commit`] puts in place, so the writer thread prepares it while the build
/// finishes.
pub(crate) fn prepare(
    out: &Path,
    staging: &Path,
    files: Files,
    known: Known,
) -> io::Result<Option<PathBuf>> {
    let Some((device, inode)) = identity(staging) else {
        return Ok(None);
    };
    let previous = identity(out);
    let mut record = RecordFile {
        version: VERSION,
        folders: known.others,
    };
    record
        .folders
        .retain(|f| Some((f.device, f.inode)) == previous);
    let mut files: Vec<_> = files
        .into_iter()
        .map(|(path, e)| (path, e.len, e.modified.0, e.modified.1, e.hash))
        .collect();
    files.sort_unstable();
    record.folders.push(Folder {
        device,
        inode,
        files,
    });
    let temp = record_path(out).with_extension(format!("{}.tmp", std::process::id()));
    fs::write(
        &temp,
        serde_json::to_vec(&record).map_err(io::Error::other)?,
    )?;
    Ok(Some(temp))
}

/// Puts a prepared record in place.
pub(crate) fn commit(out: &Path, prepared: &Path) -> io::Result<()> {
    fs::rename(prepared, record_path(out))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_record_speaks_only_for_its_own_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = dir.path().join(".public.staging");
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join("a.html"), "a").unwrap();
        let meta = fs::metadata(staging.join("a.html")).unwrap();
        let entry = Entry::of(&meta, 7).unwrap();
        let mut files = Files::default();
        files.insert("a.html".into(), entry);
        let known = load(&out, &staging);
        let prepared = prepare(&out, &staging, files, known).unwrap().unwrap();
        commit(&out, &prepared).unwrap();

        assert_eq!(load(&out, &staging).files.get("a.html"), Some(&entry));
        assert!(
            load(&out, &out).files.is_empty(),
            "the other folder has no record"
        );

        // The folders swap names, as a build does: the record follows its folder.
        let swapping = dir.path().join(".swapping");
        fs::rename(&out, &swapping).unwrap();
        fs::rename(&staging, &out).unwrap();
        fs::rename(&swapping, &staging).unwrap();
        assert_eq!(load(&out, &out).files.get("a.html"), Some(&entry));
        assert!(load(&out, &staging).files.is_empty());

        // The next build writes into the old folder, now staging: the record it
        // prepares keeps the entry of the folder now at `out`, read when it started.
        let known = load(&out, &staging);
        let prepared = prepare(&out, &staging, Files::default(), known)
            .unwrap()
            .unwrap();
        commit(&out, &prepared).unwrap();
        assert_eq!(load(&out, &out).files.get("a.html"), Some(&entry));
        assert!(load(&out, &staging).files.is_empty());
    }
}
