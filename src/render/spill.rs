//! Print sections set aside on disk while a full build renders. `print.html` holds
//! every page once more; its sections are made with the pages but can only be put
//! in order when all are done, and at that moment the search index is being built
//! too. Written to a scratch file meanwhile, they cost no memory until the end.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// A scratch file that sections are appended to; removed when dropped.
pub struct Spill {
    path: PathBuf,
    /// The file, and where its end is.
    file: Mutex<(File, u64)>,
}

impl Spill {
    /// A new scratch file in `dir`, named after this process.
    pub fn create(dir: &Path) -> io::Result<Self> {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let path = dir.join(format!(
            ".handbook-print-{}-{}.tmp",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Spill {
            path,
            file: Mutex::new((file, 0)),
        })
    }

    /// Appends a section; where it went, or `None` if the disk refused it (the
    /// caller keeps it in memory then).
    pub fn put(&self, section: &str) -> Option<Range<u64>> {
        let mut guard = self.file.lock().ok()?;
        let (file, end) = &mut *guard;
        let start = *end;
        file.seek(SeekFrom::Start(start)).ok()?;
        file.write_all(section.as_bytes()).ok()?;
        *end += section.len() as u64;
        Some(start..*end)
    }

    /// Appends the section put at `at` to `bytes`.
    pub fn read_into(&self, bytes: &mut Vec<u8>, at: &Range<u64>) -> io::Result<()> {
        let mut guard = self
            .file
            .lock()
            .map_err(|_| io::Error::other("the print scratch file was poisoned"))?;
        let from = bytes.len();
        bytes.resize(from + (at.end - at.start) as usize, 0);
        guard.0.seek(SeekFrom::Start(at.start))?;
        guard.0.read_exact(&mut bytes[from..])
    }

    /// How many bytes were put.
    pub fn len(&self) -> u64 {
        self.file.lock().map_or(0, |guard| guard.1)
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_come_back_as_they_went_and_the_file_goes() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create(dir.path()).unwrap();
        let a = spill.put("<section>第一章</section>").unwrap();
        let b = spill.put("<section>二</section>").unwrap();
        let mut back = Vec::new();
        spill.read_into(&mut back, &b).unwrap();
        spill.read_into(&mut back, &a).unwrap();
        assert_eq!(
            back,
            "<section>二</section><section>第一章</section>".as_bytes()
        );
        assert_eq!(spill.len(), back.len() as u64);
        drop(spill);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
