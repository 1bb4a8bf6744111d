//! Where a YAML syntax error began. A parser reports where it gave up, which for an
//! unclosed quote or bracket is often lines later (`7:1: unexpected end of stream`);
//! the editor needs the quote or bracket that was left open. This scans the text the
//! way YAML reads it, up to where the parser gave up, for the last one still open.

/// What was left open, and where (a byte offset into the scanned text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opened {
    /// A `"` or `'` quoted scalar with no closing quote.
    Quote(usize, char),
    /// A flow `[` or `{` with no closing bracket.
    Bracket(usize, char),
}

/// The quote or bracket still open when the parser gave up at `gave_up`, if any.
/// A quote opens a scalar only where one may start (after `key: `, `- `, `[`, `{`, `,`,
/// or at the start of a line): `it's` in plain text is not one.
pub(crate) fn opened_before(text: &str, gave_up: usize) -> Option<Opened> {
    let end = gave_up.min(text.len());
    let bytes = text.as_bytes();
    let mut brackets: Vec<(usize, char)> = Vec::new();
    let mut i = 0;
    // Whether a scalar may start here (nothing but spaces since a separator).
    let mut may_start = true;
    // The indentation of the line being read.
    let mut indent = 0;
    while i < end {
        let c = bytes[i];
        match c {
            b'|' | b'>' if may_start && brackets.is_empty() => {
                // A block scalar: its lines, indented deeper, are text, not YAML.
                i = after_block(bytes, i, indent);
                may_start = true;
                indent = 0;
                continue;
            }
            b'"' | b'\'' if may_start => match closing_quote(bytes, i, c) {
                Some(close) if close < end => {
                    i = close + 1;
                    may_start = false;
                    continue;
                }
                _ => return Some(Opened::Quote(i, c as char)),
            },
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                // A comment runs to the end of the line.
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'[' | b'{' if may_start || !brackets.is_empty() => {
                brackets.push((i, c as char));
                may_start = true;
            }
            b']' | b'}' if !brackets.is_empty() => {
                brackets.pop();
                may_start = false;
            }
            b',' if !brackets.is_empty() => may_start = true,
            b'\n' => {
                may_start = true;
                indent = bytes[i + 1..].iter().take_while(|&&b| b == b' ').count();
            }
            b' ' | b'\t' | b'\r' => {}
            b':' | b'-' | b'?'
                if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r')) =>
            {
                may_start = true
            }
            _ => may_start = false,
        }
        i += 1;
    }
    brackets
        .last()
        .map(|&(at, bracket)| Opened::Bracket(at, bracket))
}

/// Where the YAML after a block scalar (`|` or `>` at `at`, on a line indented
/// `indent`) starts: the first line after it indented no deeper than its key.
fn after_block(bytes: &[u8], at: usize, indent: usize) -> usize {
    let mut line_start = match memchr::memchr(b'\n', &bytes[at..]) {
        Some(n) => at + n + 1,
        None => return bytes.len(),
    };
    while line_start < bytes.len() {
        let line = &bytes[line_start..];
        let spaces = line.iter().take_while(|&&b| b == b' ').count();
        let blank = matches!(line.get(spaces), None | Some(b'\n' | b'\r'));
        if !blank && spaces <= indent {
            return line_start;
        }
        line_start = match memchr::memchr(b'\n', line) {
            Some(n) => line_start + n + 1,
            None => bytes.len(),
        };
    }
    bytes.len()
}

/// The byte offset of the quote that closes the one at `open`.
fn closing_quote(bytes: &[u8], open: usize, quote: u8) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        let text =
            "title: 表\nkind: script\nentries:\n  - id: a\n    situation: 问\n    say: \"您好\n";
        let quote = text.find('"').unwrap();
        assert_eq!(
            opened_before(text, text.len()),
            Some(Opened::Quote(quote, '"'))
        );
    }

    #[test]
    fn quotes_inside_plain_text_and_closed_ones_are_not_causes() {
        let text = "a: it's fine\nb: 'it''s' # a 'comment\nc: \"x\\\"y\"\nd: [1, 2]\n";
        assert_eq!(opened_before(text, text.len()), None);
    }

    #[test]
    fn block_scalars_are_text() {
        let text = "how: |\n  {不要这样 'x\n  第二行\nwhy: \"没关\n";
        let quote = text.rfind('"').unwrap();
        assert_eq!(
            opened_before(text, text.len()),
            Some(Opened::Quote(quote, '"'))
        );
        let text = "- how: >-\n    [a\n  why: ok\n";
        assert_eq!(opened_before(text, text.len()), None);
    }

    #[test]
    fn an_unclosed_bracket_is_found() {
        let text = "title: 入门\ntags: [a, b\n";
        let at = text.find('[').unwrap();
        assert_eq!(
            opened_before(text, text.len()),
            Some(Opened::Bracket(at, '['))
        );
    }
}
