//! The text of every file a run read, kept so diagnostics can quote the offending line.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct FileId(u32);

impl FileId {
    /// An id for a placeholder where no file applies; never looked up.
    pub(crate) fn first() -> Self {
        FileId(0)
    }
}

#[derive(Debug)]
pub(crate) struct SourceFile {
    /// The path as shown to the user: relative to the handbook root, `/`-separated.
    pub(crate) path: String,
    pub(crate) text: Arc<str>,
    /// Where each line starts, worked out when first asked: only a file with
    /// something to report needs it.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub(crate) fn new(path: String, text: Arc<str>) -> Self {
        SourceFile {
            path,
            text,
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts
        })
    }

    /// 1-based line and column of a byte offset; the column counts characters, not
    /// bytes, so it matches what an editor shows for Chinese text.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let col = self.text[starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// The byte range of a 1-based line, without its line break.
    pub(crate) fn line_range(&self, line: usize) -> Range<usize> {
        let starts = self.line_starts();
        let start = starts[line - 1];
        let end = starts.get(line).map_or(self.text.len(), |&next| next - 1);
        let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }

    /// Byte offset of a 1-based line and character column (as other parsers report them).
    #[cfg(test)]
    pub(crate) fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let range = self.line_range(line.max(1));
        self.text[range.clone()]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(range.end, |(i, _)| start + i)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Sources {
    files: Vec<Arc<SourceFile>>,
}

impl Sources {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn add(&mut self, path: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        self.add_shared(Arc::new(SourceFile::new(path.into(), text.into())))
    }

    /// Adds a file read (and indexed by line) before: watch mode keeps them.
    pub(crate) fn add_shared(&mut self, file: Arc<SourceFile>) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// Puts a new text of a file in the place of the old one (watch mode, after
    /// an edit), so its id stays the same.
    pub(crate) fn replace(&mut self, id: FileId, file: Arc<SourceFile>) {
        self.files[id.0 as usize] = file;
    }

    pub(crate) fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let mut sources = Sources::new();
        let id = sources.add("a.md", "第一行\n投诉处理 @x\n");
        let file = sources.get(id);
        let offset = file.text.find('@').unwrap();
        assert_eq!(file.line_col(offset), (2, 6));
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.offset_of(2, 6), offset);
        assert_eq!(&file.text[file.line_range(2)], "投诉处理 @x");
    }

    #[test]
    fn offset_inside_a_character_is_rounded_down() {
        let mut sources = Sources::new();
        let id = sources.add("a.md", "投诉");
        assert_eq!(sources.get(id).line_col(1), (1, 1));
        assert_eq!(sources.get(id).line_col(3), (1, 2));
    }
}
