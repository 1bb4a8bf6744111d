//! The print version: `print.html`, the whole handbook on one page in reading
//! order, or for a large handbook one page per volume ([`super::print_volumes`]).
//! Each page's section is made with the page; a print page is a frame from the
//! template with the sections put in, as pieces, never as one string.

use std::sync::Arc;

use serde::Serialize;

use super::chapter_html::print_anchor;
use super::context::{LinkView, TocSection};
use super::dialogue_html::escape;
use super::pages::PageRenderer;
use super::print_volumes::{PrintVolumes, Volume};
use crate::diag::{tr, Code, Diagnostic};
use crate::model::PageRef;
use crate::output::{Contents, OutputFile, Piece};

/// What only the site's scripts read, left out of print pages, which load none: a
/// say line's `data-line` (its text again, for the copy button and the finder).
const SCRIPT_ATTRIBUTE: &str = " data-line=\"";

/// `html` with each [`SCRIPT_ATTRIBUTE`] left out. Its value is escaped (no `"`
/// inside), so it ends at the next `"`.
fn push_without_script_attributes(out: &mut String, html: &str) {
    let mut rest = html;
    while let Some(at) = rest.find(SCRIPT_ATTRIBUTE) {
        let value = &rest[at + SCRIPT_ATTRIBUTE.len()..];
        let Some(end) = value.find('"') else {
            break;
        };
        out.push_str(&rest[..at]);
        rest = &value[end + 1..];
    }
    out.push_str(rest);
}

/// Stands where `print.html` puts the pages; replaced by them after rendering, so
/// the whole handbook never passes through the template engine as one value.
const PRINT_BODY: &str = "\u{E000}handbook-print-body\u{E000}";

#[derive(Serialize)]
struct PrintContext<'a> {
    root: &'a str,
    toc: Vec<TocSection>,
    body: &'a str,
    /// A volume's title on its page; none on `print.html`.
    volume: Option<&'a str>,
}

impl PageRenderer<'_> {
    /// A page's section of the print version.
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
        push_without_script_attributes(&mut out, html);
        out.push_str("</section>\n");
        out
    }

    /// A print page's frame from the template, the pages' sections left out.
    fn print_frame(
        &self,
        root: &str,
        toc: Vec<TocSection>,
        volume: Option<&str>,
    ) -> Result<PrintPage, Diagnostic> {
        let context = PrintContext {
            root,
            toc,
            body: PRINT_BODY,
            volume,
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

    /// The print version from every page's section (in memory, or set aside in a
    /// scratch file): `print.html` with all of them, or, for a book printed in
    /// volumes, `print.html` listing the volumes and a page for each in `print/`.
    pub(super) fn print_pages(&self, sections: &[Piece]) -> Result<Vec<OutputFile>, Diagnostic> {
        let _t = crate::trace::span("site-wide: print");
        let whole_toc = self.toc(|p| {
            let href = self.links.print_href(p, "");
            match href.starts_with('#') {
                true => href,
                false => format!("print/{href}"),
            }
        });
        let Some(plan) = &self.links.print_volumes else {
            let page = self.print_frame("", whole_toc, None)?;
            return Ok(vec![page.finish("print.html", join_set_aside(sections))]);
        };
        let mut files = Vec::with_capacity(plan.volumes.len() + 1);
        let list = Piece::Text(Arc::new(self.volume_list(plan)));
        files.push(
            self.print_frame("", whole_toc, None)?
                .finish("print.html", vec![list]),
        );
        for volume in &plan.volumes {
            let title = self.volume_title(volume);
            let pages = &self.site.order[volume.order.clone()];
            let toc = vec![TocSection {
                title: Some(title.clone()),
                summary: None,
                pages: pages
                    .iter()
                    .map(|&p| LinkView {
                        url: format!("#{}", print_anchor(self.site.page_id(self.handbook, p), "")),
                        ..self.links.link(p, None)
                    })
                    .collect(),
            }];
            let path = format!("print/{}", self.links.volume_file_name(volume));
            let page = self.print_frame("../", toc, Some(&title))?;
            files.push(page.finish(&path, join_set_aside(&sections[volume.order.clone()])));
        }
        Ok(files)
    }

    /// A volume's title: its section's (or its first page's, for pages in no
    /// part), with which part of the section it is where it is cut.
    fn volume_title(&self, volume: &Volume) -> String {
        let section = &self.site.sections[volume.section];
        let title = self.section_title(section).unwrap_or_else(|| {
            let first = self.site.order[volume.order.start];
            self.links.page_title(first).to_string()
        });
        match volume.part {
            (_, 1) => title,
            (n, count) => format!("{title} {n}/{count}"),
        }
    }

    /// `print.html`'s body for a book printed in volumes: the list of volumes.
    fn volume_list(&self, plan: &PrintVolumes) -> String {
        let mut out = String::from(
            "<section class=\"print-volumes\" aria-labelledby=\"print-volumes-title\">\n",
        );
        out.push_str("<h2 id=\"print-volumes-title\">");
        out.push_str(&escape(&self.strings["print_volumes"]));
        out.push_str("</h2>\n<p>");
        out.push_str(&escape(&self.strings["print_volumes_note"]));
        out.push_str("</p>\n<ol>\n");
        for volume in &plan.volumes {
            let pages =
                self.strings["print_volume_pages"].replace("{n}", &volume.order.len().to_string());
            out.push_str("<li><a href=\"print/");
            out.push_str(&escape(self.links.volume_file_name(volume)));
            out.push_str("\">");
            out.push_str(&escape(&self.volume_title(volume)));
            out.push_str("</a> <span class=\"print-volume-pages\">");
            out.push_str(&escape(&pages));
            out.push_str("</span></li>\n");
        }
        out.push_str("</ol>\n</section>\n");
        out
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

/// The frame of a print page: what comes before the pages' sections and after.
struct PrintPage {
    html: String,
    tail: String,
}

impl PrintPage {
    /// The whole page, as pieces: the sections are not copied into one string.
    fn finish(self, path: &str, sections: Vec<Piece>) -> OutputFile {
        let mut pieces = Vec::with_capacity(sections.len() + 2);
        pieces.push(Piece::Text(Arc::new(self.html)));
        pieces.extend(sections);
        pieces.push(Piece::Text(Arc::new(self.tail)));
        OutputFile {
            path: path.into(),
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
        let file = frame.finish(
            "print.html",
            vec![Piece::Text(Arc::new("<section>".into()))],
        );
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

    #[test]
    fn print_leaves_out_what_only_scripts_read() {
        let mut out = String::new();
        push_without_script_attributes(
            &mut out,
            "<li class=\"say-line\" data-line=\"您好 &quot;亲&quot;\">您好 &quot;亲&quot;</li>\
             <li data-line=\"\">x</li><p>data-line=\"文字\"</p><b data-line=\"",
        );
        assert_eq!(
            out,
            "<li class=\"say-line\">您好 &quot;亲&quot;</li><li>x</li>\
             <p>data-line=\"文字\"</p><b data-line=\""
        );
    }
}
