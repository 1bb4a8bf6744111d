//! `print.html`: the whole handbook on one page in reading order. Each page's
//! section is made with the page; the page itself is a frame from the template
//! with the sections put in, as pieces, never as one string.

use std::sync::Arc;

use serde::Serialize;

use super::chapter_html::print_anchor;
use super::context::TocSection;
use super::dialogue_html::escape;
use super::pages::PageRenderer;
use crate::diag::{tr, Code, Diagnostic};
use crate::model::PageRef;
use crate::output::{Contents, OutputFile, Piece};

/// Stands where `print.html` puts the pages; replaced by them after rendering, so
/// the whole handbook never passes through the template engine as one value.
const PRINT_BODY: &str = "\u{E000}handbook-print-body\u{E000}";

#[derive(Serialize)]
struct PrintContext<'a> {
    root: &'a str,
    toc: Vec<TocSection>,
    body: &'a str,
}

impl PageRenderer<'_> {
    /// A page's section of `print.html`.
    pub(super) fn print_section(&self, page: PageRef, html: &str) -> String {
        let id = self.site.page_id(self.handbook, page);
        let title = self.links.page_title(page);
        let summary = self.links.page_summary(page);
        let mut out = String::with_capacity(html.len() + 200);
        out.push_str("<section class=\"print-page\" id=\"");
        out.push_str(&escape(&print_anchor(id, "")));
        out.push_str("\">\n<h1 class=\"print-title\">");
        out.push_str(&escape(title));
        out.push_str("</h1>\n");
        if let Some(summary) = summary {
            out.push_str("<p class=\"page-summary\">");
            out.push_str(&escape(summary));
            out.push_str("</p>\n");
        }
        out.push_str(html);
        out.push_str("</section>\n");
        out
    }

    /// The frame of `print.html` from the template, the pages' sections left out.
    fn print_frame(&self) -> Result<PrintPage, Diagnostic> {
        let context = PrintContext {
            root: "",
            toc: self
                .toc(|p| format!("#{}", print_anchor(self.site.page_id(self.handbook, p), ""))),
            body: PRINT_BODY,
        };
        let frame = self.render_template("print.html", &context)?;
        let Some((head, tail)) = frame.split_once(PRINT_BODY) else {
            return Err(Diagnostic::new(
                Code::E0508,
                tr!(
                    "template error: print.html must contain {{{{ body | safe }}}}",
                    "模板错误：print.html 里必须有 {{{{ body | safe }}}}"
                ),
            ));
        };
        Ok(PrintPage {
            html: head.to_string(),
            tail: tail.to_string(),
        })
    }

    /// `print.html` with `sections`, in memory or set aside in a scratch file.
    pub(super) fn print_page(&self, sections: &[Piece]) -> Result<OutputFile, Diagnostic> {
        let _t = crate::trace::span("site-wide: print");
        Ok(self.print_frame()?.finish(join_set_aside(sections)))
    }
}

/// The sections, those set aside one after another in the scratch file joined
/// into one piece, so they are copied as one.
fn join_set_aside(sections: &[Piece]) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::with_capacity(sections.len());
    for section in sections {
        match (pieces.last_mut(), section) {
            (Some(Piece::SetAside(_, last)), Piece::SetAside(_, at)) if last.end == at.start => {
                last.end = at.end
            }
            _ => pieces.push(section.clone()),
        }
    }
    pieces
}

/// The frame of `print.html`: what comes before the pages' sections and after.
struct PrintPage {
    html: String,
    tail: String,
}

impl PrintPage {
    /// The whole page, as pieces: the sections are not copied into one string.
    fn finish(self, sections: Vec<Piece>) -> OutputFile {
        let mut pieces = Vec::with_capacity(sections.len() + 2);
        pieces.push(Piece::Text(Arc::new(self.html)));
        pieces.extend(sections);
        pieces.push(Piece::Text(Arc::new(self.tail)));
        OutputFile {
            path: "print.html".into(),
            contents: Contents::Pieces(pieces),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::spill::Spill;

    #[test]
    fn sections_set_aside_one_after_another_are_joined() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Arc::new(Spill::create(dir.path(), 0).unwrap());
        let aside = |s: &str| Piece::SetAside(spill.clone(), spill.put(s).unwrap());
        let text = |s: &str| Piece::Text(Arc::new(s.to_string()));
        let sections = [aside("一"), aside("二"), text("三"), aside("四")];
        let joined = join_set_aside(&sections);
        let ranges: Vec<Option<std::ops::Range<u64>>> = joined
            .iter()
            .map(|p| match p {
                Piece::SetAside(_, at) => Some(at.clone()),
                Piece::Text(_) => None,
            })
            .collect();
        assert_eq!(ranges, [Some(0..6), None, Some(6..9)]);
    }

    #[test]
    fn the_frame_goes_around_the_sections() {
        let frame = PrintPage {
            html: "<main>".into(),
            tail: "</main>".into(),
        };
        let file = frame.finish(vec![Piece::Text(Arc::new("<section>".into()))]);
        assert_eq!(file.path, "print.html");
        let Contents::Pieces(pieces) = &file.contents else {
            panic!("print.html is made of pieces");
        };
        let mut bytes = Vec::new();
        for piece in pieces {
            piece
                .read(&mut |b| {
                    bytes.extend_from_slice(b);
                    Ok(())
                })
                .unwrap();
        }
        assert_eq!(bytes, b"<main><section></main>");
    }
}
