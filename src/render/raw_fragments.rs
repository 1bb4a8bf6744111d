//! Fragments of links written with their letters as they are (`href="a.html#投诉"`)
//! rather than percent-encoded (`#%E6%8A%95%E8%AF%89`), as the Markdown writer
//! leaves them. HTML allows any character but space in a URL's fragment, and a
//! browser following the link percent-encodes it back in UTF-8, so it goes to the
//! same place; each Chinese character is 3 bytes instead of 9.

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// `html` with the percent-encoded letters of every `href`'s fragment decoded:
/// only what decodes to a non-ASCII letter or digit (so never a quote, `<`, space or
/// control character); the rest, and any escape that is not UTF-8, stays as written.
pub(crate) fn with_raw_fragments(html: String) -> String {
    const HREF: &str = " href=\"";
    // A vectorised search: `str::find` for the attribute was a percent of a build.
    static HREFS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(HREF));
    if memchr::memchr(b'%', html.as_bytes()).is_none() {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(at) = HREFS.find(rest.as_bytes()) {
        let value_start = at + HREF.len();
        let Some(len) = memchr::memchr(b'"', &rest.as_bytes()[value_start..]) else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        match value.find('#') {
            Some(hash) => {
                out.push_str(&rest[..value_start + hash + 1]);
                push_decoded_letters(&mut out, &value[hash + 1..]);
            }
            None => out.push_str(&rest[..value_start + len]),
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

/// `fragment` with each run of `%XX` escapes decoded where it is UTF-8, its
/// non-ASCII letters and digits written as they are.
fn push_decoded_letters(out: &mut String, fragment: &str) {
    let mut rest = fragment;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let run = escape_run(&rest[at..]);
        let bytes: Vec<u8> = run
            .as_bytes()
            .chunks(3)
            .map(|escape| hex_byte(escape[1], escape[2]))
            .collect();
        match std::str::from_utf8(&bytes) {
            Ok(text) if !run.is_empty() => {
                let mut escapes = run.as_bytes().chunks(3);
                for c in text.chars() {
                    let escaped: Vec<&[u8]> = escapes.by_ref().take(c.len_utf8()).collect();
                    if !c.is_ascii() && c.is_alphanumeric() {
                        out.push(c);
                    } else {
                        for escape in escaped {
                            out.push_str(std::str::from_utf8(escape).expect("ASCII"));
                        }
                    }
                }
                rest = &rest[at + run.len()..];
            }
            _ => {
                // Not UTF-8, or a `%` not followed by two hex digits: as written.
                let keep = run.len().max(1);
                out.push_str(&rest[at..at + keep]);
                rest = &rest[at + keep..];
            }
        }
    }
    out.push_str(rest);
}

/// The longest run of `%XX` escapes at the start of `text`.
fn escape_run(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut end = 0;
    while end + 3 <= bytes.len()
        && bytes[end] == b'%'
        && bytes[end + 1].is_ascii_hexdigit()
        && bytes[end + 2].is_ascii_hexdigit()
    {
        end += 3;
    }
    &text[..end]
}

/// The byte two hex digits write.
fn hex_byte(high: u8, low: u8) -> u8 {
    let digit = |d: u8| (d as char).to_digit(16).expect("a hex digit") as u8;
    digit(high) * 16 + digit(low)
}

#[cfg(test)]
mod tests {
    use super::with_raw_fragments;

    #[test]
    fn letters_of_fragments_are_written_as_they_are() {
        let html = "<a href=\"ch1.html#%E6%8A%95%E8%AF%89%20a%E2%80%8B1\">投诉</a>".to_string();
        assert_eq!(
            with_raw_fragments(html),
            "<a href=\"ch1.html#投诉%20a%E2%80%8B1\">投诉</a>"
        );
    }

    #[test]
    fn paths_queries_broken_escapes_and_text_stay_as_written() {
        for html in [
            "<a href=\"%E6%8A%95.html?q=%E6%8A%95\">x</a>",
            "<a href=\"#%E6%8A\">cut short</a><a href=\"#%ZZ%\">x</a>",
            "<a href=\"#%FF%FE\">not UTF-8</a>",
            "<p>#%E6%8A%95</p><img src=\"a.png#%E6%8A%95\">",
            "<a href=\"#%22%3C\">quote</a><a href=\"#%E3%80%80\">wide space</a>",
            "<a href=\"#%E6%8A%95",
        ] {
            assert_eq!(with_raw_fragments(html.to_string()), html);
        }
    }

    #[test]
    fn a_run_mixing_letters_and_escapes_keeps_the_escapes() {
        let html = "<a href=\"#%E4%B8%AD%2F%E6%96%87\">".to_string();
        assert_eq!(with_raw_fragments(html), "<a href=\"#中%2F文\">");
    }
}
