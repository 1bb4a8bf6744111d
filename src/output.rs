//! Stage 4: writing the site. Everything is written into a staging folder beside
//! the output folder, which is then swapped into place, so a reader never sees a
//! half-written site and a failed build leaves the previous one untouched.
//!
//! The previous site is not deleted after the swap: it becomes the staging folder of
//! the next build (`.public.staging` beside `public/`), whose files are overwritten
//! in place and whose stale files are removed. Creating thousands of files right
//! after deleting thousands makes ext4 search for inodes it may reuse, which cost
//! more than rendering. A file whose bytes are already right is left alone, and a
//! changed one is overwritten in place rather than truncated (ext4 flushes a file
//! truncated to zero and rewritten as soon as it is closed).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};

use crate::render::{Contents, OutputFile};

/// Writes `files` as the new content of `out`.
pub fn write_site(files: &[OutputFile], out: &Path) -> io::Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.staging"));
    let swapping = parent.join(format!(".{name}.swapping-{}", std::process::id()));

    if let Err(e) = write_into(files, &staging) {
        // A staging folder in an unknown state is not reused.
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        fs::rename(out, &swapping)?;
        if let Err(e) = fs::rename(&staging, out) {
            // Put the previous site back rather than leave no site at all.
            let _ = fs::rename(&swapping, out);
            return Err(e);
        }
        // Kept as the next build's staging folder; if that fails, it just goes.
        if fs::rename(&swapping, &staging).is_err() {
            let _ = fs::remove_dir_all(&swapping);
        }
        Ok(())
    } else {
        fs::rename(&staging, out)
    }
}

/// Makes `dir` hold exactly `files`: existing files are overwritten, others removed.
fn write_into(files: &[OutputFile], dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let wanted: HashSet<PathBuf> = files.iter().map(|f| PathBuf::from(&f.path)).collect();
    let mut wanted_dirs: HashSet<PathBuf> = HashSet::new();
    for file in &wanted {
        let mut parent = file.parent();
        while let Some(p) = parent.filter(|p| !p.as_os_str().is_empty()) {
            wanted_dirs.insert(p.to_path_buf());
            parent = p.parent();
        }
    }
    // Clear out what the new site does not have (files, and folders that became
    // files or vice versa) before writing.
    let existing: Vec<(PathBuf, bool)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
            (rel, e.file_type().is_dir())
        })
        .collect();
    for (rel, is_dir) in existing {
        let keep = if is_dir {
            wanted_dirs.contains(&rel)
        } else {
            wanted.contains(&rel)
        };
        if !keep {
            let path = dir.join(&rel);
            if is_dir {
                fs::remove_dir_all(&path)?;
            } else {
                fs::remove_file(&path)?;
            }
        }
    }
    let mut dirs: Vec<&PathBuf> = wanted_dirs.iter().collect();
    dirs.sort();
    for d in dirs {
        fs::create_dir_all(dir.join(d))?;
    }
    // One thread: files are created in few folders, and parallel creation in one
    // folder only contends on its lock (measured slower on ext4).
    for file in files {
        let target = dir.join(&file.path);
        match &file.contents {
            Contents::Bytes(bytes) => write_if_changed(&target, bytes)?,
            Contents::Static(bytes) => write_if_changed(&target, bytes)?,
            Contents::Copy(source) => {
                fs::copy(source, &target).map_err(|e| {
                    io::Error::new(e.kind(), format!("copying {}: {e}", source.display()))
                })?;
            }
            Contents::Unchanged(_) => return Err(not_rendered(&file.path)),
        }
    }
    Ok(())
}

fn not_rendered(path: &str) -> io::Error {
    io::Error::other(format!(
        "{path} was not rendered (a full build renders every page)"
    ))
}

fn write_if_changed(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let existing = match fs::metadata(target) {
        Ok(m) if m.is_file() => m.len(),
        _ => return fs::write(target, bytes),
    };
    if existing == bytes.len() as u64 && fs::read(target).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    // Overwrite, then cut to length, without ever truncating to zero: ext4 flushes a
    // file truncated to zero and rewritten as soon as it is closed.
    let mut file = fs::OpenOptions::new().write(true).open(target)?;
    io::Write::write_all(&mut file, bytes)?;
    file.set_len(bytes.len() as u64)
}

/// What is on disk in the output folder, file by file: a hash of each file's bytes,
/// so an incremental rebuild writes only what changed.
#[derive(Debug, Default, Clone)]
pub struct Manifest {
    files: HashMap<String, u64>,
}

/// What an incremental update did.
#[derive(Debug, Default, Clone)]
pub struct Update {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    /// Pages reported unchanged that are not on disk as expected: to render again.
    pub missing: Vec<String>,
}

impl Manifest {
    /// The manifest of a folder just written with exactly `files`.
    pub fn of(files: &[OutputFile]) -> io::Result<Self> {
        let mut manifest = Manifest::default();
        for file in files {
            manifest
                .files
                .insert(file.path.clone(), content_hash(&file.contents)?);
        }
        Ok(manifest)
    }
}

/// A hash of a file's bytes (for a copied file: of its source's path, size and time,
/// so an unchanged image is not read again).
pub fn content_hash(contents: &Contents) -> io::Result<u64> {
    let mut hasher = rustc_hash::FxHasher::default();
    match contents {
        Contents::Bytes(bytes) => bytes.hash(&mut hasher),
        Contents::Static(bytes) => bytes.hash(&mut hasher),
        Contents::Copy(source) => {
            let meta = fs::metadata(source)?;
            source.hash(&mut hasher);
            meta.len().hash(&mut hasher);
            meta.modified().ok().hash(&mut hasher);
        }
        Contents::Unchanged(hash) => return Ok(*hash),
    }
    Ok(hasher.finish())
}

/// Makes `out` hold exactly `files` by writing the files whose bytes changed (each
/// to a temporary name, then renamed over the old one, so a reader never gets half a
/// file) and removing the files that are gone. For watch mode, where `out` is
/// served while it changes; a full build swaps in a whole folder instead.
///
/// `owned` says which paths `files` is the whole set of: a file of the manifest that
/// `owned` accepts and `files` lacks is removed; others are left alone.
pub fn update_in_place(
    files: &[OutputFile],
    out: &Path,
    manifest: &mut Manifest,
    owned: &dyn Fn(&str) -> bool,
) -> io::Result<Update> {
    let mut update = Update::default();
    let mut seen = HashSet::with_capacity(files.len());
    for file in files {
        seen.insert(file.path.as_str());
        let hash = content_hash(&file.contents)?;
        let target = out.join(&file.path);
        if manifest.files.get(&file.path) == Some(&hash) && target.is_file() {
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let temp = target.with_file_name(format!(
            ".{}.handbook-tmp",
            target
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        match &file.contents {
            Contents::Bytes(bytes) => fs::write(&temp, bytes)?,
            Contents::Static(bytes) => fs::write(&temp, bytes)?,
            Contents::Copy(source) => {
                fs::copy(source, &temp)?;
            }
            Contents::Unchanged(_) => {
                // Not on disk as the last build left it (removed by hand?): the
                // caller must render it again.
                update.missing.push(file.path.clone());
                continue;
            }
        }
        fs::rename(&temp, &target)?;
        manifest.files.insert(file.path.clone(), hash);
        update.written.push(file.path.clone());
    }
    let gone: Vec<String> = manifest
        .files
        .keys()
        .filter(|path| !seen.contains(path.as_str()) && owned(path))
        .cloned()
        .collect();
    for path in gone {
        match fs::remove_file(out.join(&path)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        remove_empty_parents(out, Path::new(&path));
        manifest.files.remove(&path);
        update.removed.push(path);
    }
    update.written.sort();
    update.removed.sort();
    Ok(update)
}

/// Removes the folders of a removed file that are left empty, up to `out`.
fn remove_empty_parents(out: &Path, rel: &Path) {
    let mut dir = rel.parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        if fs::remove_dir(out.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Why `out` must not be used as the output folder, if so: the build replaces the
/// whole folder, so it must never be the handbook itself or hold its sources.
pub fn unsafe_output(root: &Path, out: &Path) -> Option<String> {
    let root = fs::canonicalize(root).ok()?;
    let out_abs = match fs::canonicalize(out) {
        Ok(p) => p,
        Err(_) => {
            // Not there yet: judge by its parent.
            let parent = out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            fs::canonicalize(parent).ok()?.join(out.file_name()?)
        }
    };
    let content = root.join("content");
    let themes = root.join("themes");
    if root.starts_with(&out_abs) {
        return Some(format!("{} holds the handbook itself", out.display()));
    }
    if out_abs.starts_with(&content) || out_abs.starts_with(&themes) {
        return Some(format!(
            "{} is inside the handbook's sources",
            out.display()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    }

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
                .all(|n| n == "public" || n == ".public.staging"),
            "{names:?}"
        );
    }

    #[test]
    fn in_place_updates_write_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = [
            file("index.html", "one"),
            file("a/b.html", "b"),
            file("c.html", "c"),
        ];
        write_site(&first, &out).unwrap();
        let mut manifest = Manifest::of(&first).unwrap();
        let all = |_: &str| true;
        let update = update_in_place(
            &[file("index.html", "two"), file("c.html", "c")],
            &out,
            &mut manifest,
            &all,
        )
        .unwrap();
        assert_eq!(update.written, ["index.html"]);
        assert_eq!(update.removed, ["a/b.html"]);
        assert_eq!(
            tree(&out),
            [
                ("c.html".into(), "c".into()),
                ("index.html".into(), "two".into())
            ]
        );
        assert!(!out.join("a").exists(), "empty folders go too");
        let again = update_in_place(
            &[file("index.html", "two"), file("c.html", "c")],
            &out,
            &mut manifest,
            &all,
        )
        .unwrap();
        assert!(again.written.is_empty() && again.removed.is_empty());
    }

    #[test]
    fn refuses_to_replace_the_handbook() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content")).unwrap();
        assert!(unsafe_output(dir.path(), dir.path()).is_some());
        assert!(unsafe_output(dir.path(), &dir.path().join("content/out")).is_some());
        assert!(unsafe_output(dir.path(), &dir.path().join("public")).is_none());
    }
}
