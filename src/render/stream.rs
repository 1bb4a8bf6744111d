//! Handing files on as they are rendered. A full build gives render a [`Sink`]:
//! each page goes to the writer as soon as it is rendered instead of waiting in
//! memory for the whole site, and print sections past the first few megabytes go
//! to a scratch file the caller made. Render itself opens no file.

use std::sync::Arc;

use super::pages::PageOutput;
use crate::output::spill::Spill;
use crate::output::{OutputFile, Piece};

/// Where a full build sends each file as soon as it is rendered, instead of
/// holding it until all are: the files it takes are not in what
/// [`super::render`] returns.
pub(crate) struct Sink<'a> {
    pub(crate) file: FileSink<'a>,
    /// A scratch file the caller made, where print sections past the first few
    /// megabytes wait (see [`crate::output::spill`]); `None` keeps all in memory.
    pub(crate) spill: Option<Spill>,
}

/// Takes each file as soon as it is rendered.
pub(crate) type FileSink<'a> = &'a (dyn Fn(OutputFile) + Sync);

/// A [`Sink`] as rendering uses it, or nothing (watch mode keeps every file).
pub(super) struct Stream<'a> {
    file: Option<FileSink<'a>>,
    spill: Option<Arc<Spill>>,
}

impl<'a> Stream<'a> {
    pub(super) fn new(sink: Option<Sink<'a>>) -> Self {
        match sink {
            Some(Sink { file, spill }) => Stream {
                file: Some(file),
                spill: spill.map(Arc::new),
            },
            None => Stream::none(),
        }
    }

    /// No sink: every file is returned.
    pub(super) fn none() -> Self {
        Stream {
            file: None,
            spill: None,
        }
    }

    /// Where the files go as they are made, if anywhere.
    pub(super) fn file(&self) -> Option<FileSink<'a>> {
        self.file
    }

    /// Sends a page just rendered on: its file to the sink (the output keeps
    /// `None`), its print section to the scratch file unless it stays in memory.
    pub(super) fn hand_over(&self, output: &mut PageOutput) {
        if let Some(sink) = self.file {
            sink(output.file.take().expect("a page just rendered"));
        }
        if let (Some(spill), Piece::Text(text)) = (&self.spill, &output.print) {
            if let Some(at) = spill.put(text) {
                output.print = Piece::SetAside(spill.clone(), at);
            }
        }
    }

    /// Sends `files` to the sink, if there is one, and returns what is left.
    pub(super) fn hand_over_all(&self, files: Vec<OutputFile>) -> Vec<OutputFile> {
        match self.file {
            Some(sink) => {
                files.into_iter().for_each(sink);
                Vec::new()
            }
            None => files,
        }
    }

    /// Lets go of the scratch file once the pages are rendered: the print sections
    /// set aside hold it from here on, and the last one dropped closes it.
    pub(super) fn let_go_of_spill(&mut self) {
        self.spill = None;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn page(path: &str, print: &str) -> PageOutput {
        PageOutput {
            file: Some(OutputFile::text(path, format!("<p>{path}</p>"))),
            docs: Arc::new(Vec::new()),
            weights: None,
            print: Piece::Text(Arc::new(print.to_string())),
        }
    }

    #[test]
    fn a_page_goes_to_the_sink_and_its_print_section_to_the_scratch_file() {
        let dir = tempfile::tempdir().unwrap();
        let sent = Mutex::new(Vec::new());
        let send = |file: OutputFile| sent.lock().unwrap().push(file.path);
        let sink = Sink {
            file: &send,
            spill: Some(Spill::create(dir.path(), 0).unwrap()),
        };
        let stream = Stream::new(Some(sink));
        let mut output = page("a.html", "<section>一</section>");
        stream.hand_over(&mut output);
        assert!(output.file.is_none(), "the sink has the file now");
        assert_eq!(*sent.lock().unwrap(), ["a.html"]);
        let Piece::SetAside(_, at) = &output.print else {
            panic!("the section stays in memory: {:?}", output.print);
        };
        assert_eq!(at.end - at.start, "<section>一</section>".len() as u64);
        let left = stream.hand_over_all(vec![OutputFile::text("b.html", String::new())]);
        assert!(left.is_empty());
        assert_eq!(*sent.lock().unwrap(), ["a.html", "b.html"]);
    }

    #[test]
    fn without_a_sink_everything_stays() {
        let stream = Stream::none();
        let mut output = page("a.html", "<section>一</section>");
        stream.hand_over(&mut output);
        assert_eq!(
            output.file.as_ref().map(|f| f.path.as_str()),
            Some("a.html")
        );
        assert!(matches!(output.print, Piece::Text(_)));
        let left = stream.hand_over_all(vec![OutputFile::text("b.html", String::new())]);
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn the_scratch_file_goes_when_the_last_section_does() {
        let dir = tempfile::tempdir().unwrap();
        let send = |_: OutputFile| {};
        let spill = Spill::create(dir.path(), 0).unwrap();
        let mut stream = Stream::new(Some(Sink {
            file: &send,
            spill: Some(spill),
        }));
        let mut output = page("a.html", "<section>一</section>");
        stream.hand_over(&mut output);
        stream.let_go_of_spill();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        drop(output);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
