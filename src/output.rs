//! Stage 4: writing the site. Everything is written into a fresh staging folder
//! beside the output folder, which is then swapped into place, so a reader never
//! sees a half-written site and a failed build leaves the previous one untouched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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
    let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    remove_if_present(&staging)?;
    remove_if_present(&old)?;

    let result = write_into(files, &staging).and_then(|()| swap_in(&staging, out, &old));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_into(files: &[OutputFile], dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d)?;
    }
    files.par_iter().try_for_each(|file| {
        let target = dir.join(&file.path);
        match &file.contents {
            Contents::Bytes(bytes) => fs::write(&target, bytes),
            Contents::Static(bytes) => fs::write(&target, bytes),
            Contents::Copy(source) => fs::copy(source, &target).map(|_| ()).map_err(|e| {
                io::Error::new(e.kind(), format!("copying {}: {e}", source.display()))
            }),
        }
    })
}

fn swap_in(staging: &Path, out: &Path, old: &Path) -> io::Result<()> {
    if out.exists() {
        fs::rename(out, old)?;
        if let Err(e) = fs::rename(staging, out) {
            // Put the previous site back rather than leave no site at all.
            let _ = fs::rename(old, out);
            return Err(e);
        }
        fs::remove_dir_all(old)
    } else {
        fs::rename(staging, out)
    }
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
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

    #[test]
    fn swaps_in_a_new_site_and_drops_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let file = |path: &str, text: &str| OutputFile {
            path: path.into(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        };
        write_site(
            &[file("index.html", "one"), file("static/a.css", "a")],
            &out,
        )
        .unwrap();
        write_site(&[file("index.html", "two")], &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("static/a.css").exists(), "stale files are gone");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
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
