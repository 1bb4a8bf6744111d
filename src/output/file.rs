//! The files of a built site as render hands them over: a path and what goes in
//! it, and the hash of those bytes that decides whether a file must be written.
//! They live here, below render and search, so both can make them and the writer
//! can take them without any stage importing one above it.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::spill::Spill;

/// One file of the built site.
#[derive(Debug, Clone)]
pub(crate) struct OutputFile {
    /// Path inside the output folder, `/`-separated.
    pub(crate) path: String,
    pub(crate) contents: Contents,
}

#[derive(Debug, Clone)]
pub(crate) enum Contents {
    Bytes(Vec<u8>),
    Static(&'static [u8]),
    /// A file copied as it is (content assets, theme static files).
    Copy(PathBuf),
    /// Text made of pieces, one after another (`print.html`: every page's section),
    /// written out without being put together in memory.
    Pieces(Vec<Piece>),
    /// A page known to be as the last build wrote it (watch mode only): the hash of
    /// its bytes.
    Unchanged(u64),
}

/// A piece of a file made of pieces: in memory, or set aside in a scratch file.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    Text(Arc<String>),
    SetAside(Arc<Spill>, Range<u64>),
}

impl Piece {
    pub(crate) fn len(&self) -> usize {
        match self {
            Piece::Text(text) => text.len(),
            Piece::SetAside(_, at) => (at.end - at.start) as usize,
        }
    }

    /// Hands the piece's bytes to `each`, a block at a time.
    pub(crate) fn read(&self, each: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        match self {
            Piece::Text(text) => each(text.as_bytes()),
            Piece::SetAside(spill, at) => spill.read(at, each),
        }
    }
}

impl OutputFile {
    /// A file of text made in memory.
    pub(crate) fn text(path: impl Into<String>, text: String) -> Self {
        Self::bytes(path, text.into_bytes())
    }

    /// The bytes this file holds in memory (its pieces set aside in a scratch
    /// file, a file to copy and a static file hold none of their own).
    pub(crate) fn in_memory_len(&self) -> usize {
        match &self.contents {
            Contents::Bytes(bytes) => bytes.len(),
            Contents::Pieces(pieces) => pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Text(text) => text.len(),
                    Piece::SetAside(..) => 0,
                })
                .sum(),
            Contents::Static(_) | Contents::Copy(_) | Contents::Unchanged(_) => 0,
        }
    }

    /// A file of bytes made in memory.
    pub(crate) fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes),
        }
    }
}

/// A hash of a file's bytes (for a copied file: of its source's path, size and time,
/// so an unchanged image is not read again). It does not depend on how the bytes are
/// cut into pieces: print.html's sections come back from the scratch file cut
/// differently from one build to the next.
pub(crate) fn content_hash(contents: &Contents) -> io::Result<u64> {
    let mut stream = StreamHasher::default();
    match contents {
        Contents::Bytes(bytes) => stream.add(bytes),
        Contents::Static(bytes) => stream.add(bytes),
        Contents::Pieces(pieces) => {
            for piece in pieces {
                piece.read(&mut |bytes| {
                    stream.add(bytes);
                    Ok(())
                })?;
            }
        }
        Contents::Copy(source) => {
            let meta = fs::metadata(source)?;
            let mut hasher = rustc_hash::FxHasher::default();
            source.hash(&mut hasher);
            meta.len().hash(&mut hasher);
            meta.modified().ok().hash(&mut hasher);
            return Ok(hasher.finish());
        }
        Contents::Unchanged(hash) => return Ok(*hash),
    }
    Ok(stream.finish())
}

/// Hashes bytes given in pieces a block at a time, whatever the pieces' sizes.
#[derive(Default)]
struct StreamHasher {
    hasher: rustc_hash::FxHasher,
    /// The start of a block not yet whole.
    pending: Vec<u8>,
    len: usize,
}

impl StreamHasher {
    const BLOCK: usize = 4096;

    fn add(&mut self, mut piece: &[u8]) {
        self.len += piece.len();
        if !self.pending.is_empty() {
            let take = (Self::BLOCK - self.pending.len()).min(piece.len());
            self.pending.extend_from_slice(&piece[..take]);
            piece = &piece[take..];
            if self.pending.len() < Self::BLOCK {
                return;
            }
            self.hasher.write(&self.pending);
            self.pending.clear();
        }
        let whole = piece.len() / Self::BLOCK * Self::BLOCK;
        for block in piece[..whole].chunks(Self::BLOCK) {
            self.hasher.write(block);
        }
        self.pending.extend_from_slice(&piece[whole..]);
    }

    fn finish(mut self) -> u64 {
        self.hasher.write(&self.pending);
        self.hasher.write_usize(self.len);
        self.hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_does_not_depend_on_how_the_bytes_are_cut() {
        let text = |s: &str| Piece::Text(Arc::new(s.to_string()));
        let long = "页".repeat(5000);
        let whole = format!("<html>{long}</html>");
        let cut = vec![
            text("<html>"),
            text(&long[..3003]),
            text(&long[3003..]),
            text("</html>"),
        ];
        let hash = content_hash(&Contents::Bytes(whole.clone().into_bytes())).unwrap();
        assert_eq!(content_hash(&Contents::Pieces(cut)).unwrap(), hash);
        let shorter = whole.as_bytes()[1..].to_vec();
        assert_ne!(content_hash(&Contents::Bytes(shorter)).unwrap(), hash);
    }
}
