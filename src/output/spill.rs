//! Print sections set aside on disk while a full build renders. `print.html` holds
//! every page once more; its sections are made with the pages but can only be put
//! in order when all are done, and at that moment the search index is being built
//! too. Past the first few megabytes, which stay in memory, they are written to a
//! scratch file meanwhile and cost no memory: the writer copies them from there into
//! `print.html` a piece at a time, so they are never all in memory at once.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Bytes read back at a time.
const CHUNK: usize = 1 << 16;

/// Bytes of sections a full build keeps in memory before it sets the rest aside:
/// all of them up to about 1,600 chapters (a 1,000-chapter build then makes no write
/// and no read per page for print.html); at 10,000 chapters peak memory grows by
/// 15-20 MB for it, to about 360 MB.
pub(crate) const HELD_IN_MEMORY: usize = 12 << 20;

/// A scratch file that sections are appended to; removed when dropped.
#[derive(Debug)]
pub(crate) struct Spill {
    path: PathBuf,
    file: File,
    /// Bytes of sections to keep in memory before setting any aside.
    held_in_memory: usize,
    /// Bytes of sections offered so far.
    offered: AtomicUsize,
    /// Where the next section goes: each is given its place first, then written
    /// there, so threads write side by side.
    end: AtomicU64,
}

impl Spill {
    /// A new scratch file in `dir`, named after this process, for the sections
    /// offered past the first `held_in_memory` bytes.
    pub(crate) fn create(dir: &Path, held_in_memory: usize) -> io::Result<Self> {
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
            held_in_memory,
            offered: AtomicUsize::new(0),
            end: AtomicU64::new(0),
        })
    }

    /// Appends a section; where it went, or `None` when the caller keeps it in
    /// memory: it came within the first bytes offered, or the disk refused it (its
    /// place then stays unused).
    pub(crate) fn put(&self, section: &str) -> Option<Range<u64>> {
        let offered_before = self.offered.fetch_add(section.len(), Ordering::Relaxed);
        if offered_before + section.len() <= self.held_in_memory {
            return None;
        }
        let len = section.len() as u64;
        let start = self.end.fetch_add(len, Ordering::Relaxed);
        write_all_at(&self.file, section.as_bytes(), start).ok()?;
        Some(start..start + len)
    }

    /// Hands the bytes put at `at` to `each`, a piece at a time.
    pub(crate) fn read(
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
        let spill = Spill::create(dir.path(), 0).unwrap();
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

    #[test]
    fn the_first_bytes_offered_stay_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create(dir.path(), 10).unwrap();
        assert_eq!(spill.put("一二三"), None, "9 bytes: held");
        let past = spill.put("四五").unwrap();
        assert_eq!(read_back(&spill, &past), "四五".as_bytes());
        assert!(
            spill.put("六").is_some(),
            "after the first 10, all are set aside"
        );
    }
}
