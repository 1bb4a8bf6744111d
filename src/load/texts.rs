//! Every file's text for one load: taken from the cache when the file's size and
//! time are unchanged, read again (many at once) when not, then registered as a
//! source and sorted by kind for the parsing steps.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use super::cache::LoadCache;
use super::read_many::read_many;
use super::walk::{FileKind, Found, Stamp};
use super::LoadError;
use crate::diag::{tr, Code, Diagnostic, Diagnostics, FileId, SourceFile, Sources};
use crate::model::{Asset, Handbook};

/// A source file as read.
pub(super) struct ReadText {
    pub(super) file: Arc<SourceFile>,
    pub(super) valid_utf8: bool,
    pub(super) stamp: Stamp,
}

/// Per file found, its text: none for assets.
pub(super) type Text = Option<ReadText>;

/// The registered sources of one load, by kind, in path order.
#[derive(Default)]
pub(super) struct Sorted {
    pub(super) config: Option<FileId>,
    pub(super) parts: Vec<(String, FileId)>,
    pub(super) chapters: Vec<(String, FileId)>,
    pub(super) tables: Vec<(String, FileId)>,
}

/// A file's text, and whether it was valid UTF-8: invalid UTF-8 is reported by
/// the caller, and the lossy text lets the rest of the file be checked. A text in
/// `overlay` (an editor's unsaved buffer) stands in for the file's.
pub(super) fn read_source(
    f: &Found,
    overlay: &HashMap<String, Arc<str>>,
) -> Result<ReadText, LoadError> {
    use std::io::Read;
    if let Some(text) = overlay.get(&f.rel_path) {
        // Stamped as the file on disk is, so the cache keeps the buffer's text
        // until the overlay changes (which invalidates it).
        let stamp = std::fs::metadata(&f.path).map_or(Stamp::default(), |m| Stamp::of(&m));
        let path = format!("content/{}", f.rel_path);
        return Ok(ReadText {
            file: Arc::new(SourceFile::new(path, text.clone())),
            valid_utf8: true,
            stamp,
        });
    }
    let io = |e| LoadError::Io(f.path.clone(), e);
    let mut opened = std::fs::File::open(&f.path).map_err(io)?;
    // Stamped before the text is read: a save in between is seen by the next load.
    let stamp = Stamp::of(&opened.metadata().map_err(io)?);
    let mut bytes = Vec::with_capacity(stamp.len as usize);
    opened.read_to_end(&mut bytes).map_err(io)?;
    // Checked a block of bytes at a time: std's check, a byte at a time, took a
    // sixtieth of a whole build's time.
    let (text, valid): (Arc<str>, bool) = match simdutf8::basic::from_utf8(&bytes) {
        Ok(text) => (Arc::from(text), true),
        Err(_) => (Arc::from(String::from_utf8_lossy(&bytes)), false),
    };
    let path = format!("content/{}", f.rel_path);
    Ok(ReadText {
        file: Arc::new(SourceFile::new(path, text)),
        valid_utf8: valid,
        stamp,
    })
}

/// The text of each file found, in their order: the cached one when the file is
/// unchanged, else read. Takes the cache's texts; [`register`] puts them back.
pub(super) fn read_texts(found: &[Found], cache: &mut LoadCache) -> Vec<Result<Text, LoadError>> {
    let previous = std::mem::take(&mut cache.texts);
    let overlay = &cache.overlay;
    let unchanged = |f: &Found| {
        previous
            .get(&f.rel_path)
            .filter(|known| known.stamp == f.stamp && f.stamp.modified.is_some())
    };
    // Only what changed is read (in watch mode, a file or two: no threads for that).
    let changed: Vec<&Found> = found
        .iter()
        .filter(|f| f.kind != FileKind::Asset && unchanged(f).is_none())
        .collect();
    let mut read = read_many(&changed, |f| read_source(f, overlay)).into_iter();
    found
        .iter()
        .map(|f| {
            if f.kind == FileKind::Asset {
                return Ok(None);
            }
            if let Some(known) = unchanged(f) {
                return Ok(Some(ReadText {
                    file: known.file.clone(),
                    valid_utf8: known.valid_utf8,
                    stamp: known.stamp,
                }));
            }
            // Read above, in this order (read here should the lists ever disagree).
            read.next()
                .unwrap_or_else(|| read_source(f, overlay))
                .map(Some)
        })
        .collect()
}

/// Keeps each text in the cache and adds it to `sources`, reporting text that is
/// not UTF-8; assets go straight into the handbook. Stops at the first file that
/// could not be read.
pub(super) fn register(
    found: &[Found],
    texts: Vec<Result<Text, LoadError>>,
    cache: &mut LoadCache,
    sources: &mut Sources,
    handbook: &mut Handbook,
    diagnostics: &mut Diagnostics,
) -> Result<Sorted, LoadError> {
    let mut sorted = Sorted::default();
    for (n, (f, text)) in found.iter().zip(texts).enumerate() {
        let Some(text) = text? else {
            handbook.assets.push(Asset {
                rel_path: f.rel_path.clone(),
                source: f.path.clone(),
            });
            continue;
        };
        cache.keep_text(n, f, &text);
        let id = sources.add_shared(text.file);
        if !text.valid_utf8 {
            diagnostics.push(
                Diagnostic::new(
                    Code::E0101,
                    tr!(
                        "file is not UTF-8 text: save it as UTF-8",
                        "文件不是 UTF-8 编码的文本：请另存为 UTF-8 编码"
                    ),
                )
                .in_file(id),
            );
        }
        match f.kind {
            FileKind::Config => sorted.config = Some(id),
            FileKind::Part => sorted.parts.push((f.rel_path.clone(), id)),
            FileKind::Chapter => sorted.chapters.push((f.rel_path.clone(), id)),
            FileKind::Table => sorted.tables.push((f.rel_path.clone(), id)),
            FileKind::Asset => {}
        }
    }
    Ok(sorted)
}
