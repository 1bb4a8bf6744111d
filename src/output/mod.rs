//! Stage 4: writing the site. A full build writes into a staging folder that is
//! then swapped into place ([`site`]); watch mode updates the served folder file
//! by file ([`update_in_place`]). The types of an output file and its content
//! hash ([`file`]) and the scratch file print sections wait in ([`spill`]) live
//! here too, below render and search, which make them.

mod file;
mod record;
mod site;
pub(crate) mod spill;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;

pub(crate) use file::{content_hash, Contents, OutputFile, Piece};
pub(crate) use site::{write_site, SiteWriter};

/// What is on disk in the output folder, file by file: a hash of each file's bytes,
/// so an incremental rebuild writes only what changed.
#[derive(Debug, Default, Clone)]
pub(crate) struct Manifest {
    files: HashMap<String, u64>,
}

/// What an incremental update did.
#[derive(Debug, Default, Clone)]
pub(crate) struct Update {
    pub(crate) written: Vec<String>,
    pub(crate) removed: Vec<String>,
    /// Pages reported unchanged that are not on disk as expected: to render again.
    pub(crate) missing: Vec<String>,
}

impl Manifest {
    /// The manifest of a folder just written with exactly `files`.
    pub(crate) fn of<'f>(files: impl IntoIterator<Item = &'f OutputFile>) -> io::Result<Self> {
        let mut manifest = Manifest::default();
        for file in files {
            manifest
                .files
                .insert(file.path.clone(), content_hash(&file.contents)?);
        }
        Ok(manifest)
    }
}

/// Makes `out` hold exactly `files` by writing the files whose bytes changed (each
/// to a temporary name, then renamed over the old one, so a reader never gets half a
/// file) and removing the files that are gone. For watch mode, where `out` is
/// served while it changes; a full build swaps in a whole folder instead.
///
/// `owned` says which paths `files` is the whole set of: a file of the manifest that
/// `owned` accepts and `files` lacks is removed; others are left alone.
pub(crate) fn update_in_place(
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
            Contents::Pieces(pieces) => site::write_pieces(&temp, pieces)?,
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

/// The folder the output folder `out` lives in, where its staging folder, its record
/// and a build's scratch file go too.
pub(crate) fn folder_of(out: &Path) -> &Path {
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `.{name}.{what}` beside the output folder `out` (`.public.staging` for
/// `public/`).
fn beside(out: &Path, what: &str) -> std::path::PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    folder_of(out).join(format!(".{name}.{what}"))
}

/// Why `out` must not be used as the output folder, if so: the build replaces the
/// whole folder, so it must never be the handbook itself or hold its sources.
pub(crate) fn unsafe_output(root: &Path, out: &Path) -> Option<crate::diag::Text> {
    let root = fs::canonicalize(root).ok()?;
    let out_abs = match fs::canonicalize(out) {
        Ok(p) => p,
        // Not there yet: judge by its parent.
        Err(_) => fs::canonicalize(folder_of(out))
            .ok()?
            .join(out.file_name()?),
    };
    let content = root.join("content");
    let themes = root.join("themes");
    if root.starts_with(&out_abs) {
        return Some(crate::diag::tr!(
            "{} holds the handbook itself",
            "{} 里面就是手册本身",
            out.display()
        ));
    }
    if out_abs.starts_with(&content) || out_abs.starts_with(&themes) {
        return Some(crate::diag::tr!(
            "{} is inside the handbook's sources",
            "{} 在手册的源文件里面",
            out.display()
        ));
    }
    None
}

/// Files and folder listings for the tests of this module and its children.
#[cfg(test)]
mod test_files {
    use std::fs;
    use std::path::Path;

    use super::{Contents, OutputFile};

    pub(crate) fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    pub(crate) fn tree(dir: &Path) -> Vec<(String, String)> {
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
}

#[cfg(test)]
mod tests {
    use super::test_files::{file, tree};
    use super::*;

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
