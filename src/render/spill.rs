//! Print sections set aside on disk while a full build renders. `print.html` holds
//! every page once more; its sections are made with the pages but can only be put
//! in order when all are done, and at that moment the search index is being built
//! too. Written to a scratch file meanwhile, they cost no memory: the writer copies
//! them from there into `print.html` a piece at a time, so they are never all in
//! memory at once.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Bytes read back at a time.
const CHUNK: usize = 1 << 16;

/// A scratch file that sections are appended to; removed when dropped.
#[derive(Debug)]
pub struct Spill {
    path: PathBuf,
    file: File,
    /// Where the next section goes: each is given its place first, then written
    /// there, so threads write side by side.
    end: AtomicU64,
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
            file,
            end: AtomicU64::new(0),
        })
    }

    /// Appends a section; where it went, or `None` if the disk refused it (the
    /// caller keeps it in memory then; its place stays unused).
    pub fn put(&self, section: &str) -> Option<Range<u64>> {
        let len = section.len() as u64;
        let start = self.end.fetch_add(len, Ordering::Relaxed);
        write_all_at(&self.file, section.as_bytes(), start).ok()?;
        Some(start..start + len)
    }

    /// Hands the bytes put at `at` to `each`, a piece at a time.
    pub fn read(
        &self,
        at: &Range<u64>,
        each: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut buffer = vec![0; CHUNK.min((at.end - at.start) as usize)];
        let mut from = at.start;
        while from < at.end {
            let piece = &mut buffer[..CHUNK.min((at.end - from) as usize)];
            read_exact_at(&self.file, piece, from)?;
            each(piece)?;
            from += piece.len() as u64;
        }
        Ok(())
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_exact_at(file: &File, bytes: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut bytes: &[u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_write(bytes, offset)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => {
                bytes = &bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_read(bytes, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(spill: &Spill, at: &Range<u64>) -> Vec<u8> {
        let mut back = Vec::new();
        spill
            .read(at, &mut |piece| {
                back.extend_from_slice(piece);
                Ok(())
            })
            .unwrap();
        back
    }

    #[test]
    fn sections_come_back_as_they_went_and_the_file_goes() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create(dir.path()).unwrap();
        let a = spill.put("<section>第一章</section>").unwrap();
        let long = "长".repeat(CHUNK); // three chunks' worth of bytes
        let b = spill.put(&long).unwrap();
        assert_eq!(read_back(&spill, &b), long.as_bytes());
        assert_eq!(
            read_back(&spill, &a),
            "<section>第一章</section>".as_bytes()
        );
        assert_eq!(a.end, b.start);
        drop(spill);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
