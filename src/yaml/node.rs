use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) value: NodeValue,
    /// Byte range in the file the YAML came from (the caller's offset included).
    pub(crate) span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeValue {
    Null,
    /// A scalar's text; `plain` is false for quoted and block scalars, which are always strings.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The text of a scalar that reads as a string (any scalar but null).
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match &self.value {
            NodeValue::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A plain scalar YAML reads as a number (the core schema: `12`, `-3`, `0x1f`,
    /// `0o17`, `1.5`, `1e3`, `.inf`, `.nan`), which a quoted one never is.
    pub(crate) fn is_number(&self) -> bool {
        let NodeValue::Scalar { text, plain: true } = &self.value else {
            return false;
        };
        is_number(text)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Map(pairs) => pairs
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(
        unsigned,
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
    ) {
        return true;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return !octal.is_empty() && octal.chars().all(|c| ('0'..='7').contains(&c));
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (whole.is_empty() || digits(whole))
                && (fraction.is_empty() || digits(fraction))
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) message: String,
    /// Byte offset in the file (the caller's offset included).
    pub(crate) offset: usize,
}

/// Parses one YAML document that starts at byte `offset` of its file.
/// An empty document is a `Null` node. A syntax error is described by serde_yaml
/// (its messages and locations are the ones editors know), falling back to
/// yaml-rust2's own where serde_yaml accepts what yaml-rust2 does not.
pub(crate) fn parse(text: &str, offset: usize) -> Result<Node, SyntaxError> {
    let mut builder = TreeBuilder {
        text,
        offset,
        char_starts: if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        },
        stack: Vec::new(),
        anchors: HashMap::default(),
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = load_first_document(&mut parser, &mut builder) {
        return Err(serde_yaml_error(text, offset).unwrap_or(SyntaxError {
            message: e.info().to_string(),
            offset: offset + byte_offset(text, &builder.char_starts, e.marker().index()),
        }));
    }
    if let Some(error) = duplicate_key(builder.root.as_ref()) {
        return Err(serde_yaml_error(text, offset).unwrap_or(SyntaxError {
            message: format!("duplicate key `{}`", error.0),
            offset: error.1,
        }));
    }
    Ok(builder.root.unwrap_or(Node {
        value: NodeValue::Null,
        span: offset..offset,
    }))
}

/// How deep collections may nest: serde_yaml's own limit, so that both parsers
/// refuse the same documents.
const MAX_DEPTH: usize = 128;

/// Hands the first document's events to `builder` in a loop. yaml-rust2's own
/// `Parser::load` recurses once per level of nesting, so a document nested a few
/// thousand levels deep (a front matter of `- - - - …`) overflowed the stack and
/// aborted the whole process; here nesting deeper than [`MAX_DEPTH`] is a syntax
/// error instead.
fn load_first_document(
    parser: &mut Parser<std::str::Chars<'_>>,
    builder: &mut TreeBuilder<'_>,
) -> Result<(), ScanError> {
    loop {
        let (event, mark) = parser.next_token()?;
        let done = matches!(event, Event::DocumentEnd | Event::StreamEnd);
        builder.on_event(event, mark);
        if done {
            return Ok(());
        }
        if builder.stack.len() > MAX_DEPTH {
            return Err(ScanError::new(mark, "recursion limit exceeded"));
        }
    }
}

fn serde_yaml_error(text: &str, offset: usize) -> Option<SyntaxError> {
    let error = serde_yaml::from_str::<serde_yaml::Value>(text).err()?;
    let at = error.location().map_or(0, |l| l.index().min(text.len()));
    let message = error.to_string();
    let message = match message.find(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    };
    Some(SyntaxError {
        message,
        offset: offset + at,
    })
}

/// The first key that a mapping repeats, and where (YAML forbids repeats; yaml-rust2
/// would quietly keep both).
fn duplicate_key(node: Option<&Node>) -> Option<(String, usize)> {
    let node = node?;
    match &node.value {
        NodeValue::Map(pairs) => {
            for (i, (key, value)) in pairs.iter().enumerate() {
                if let Some(name) = key.as_str() {
                    if pairs[..i].iter().any(|(k, _)| k.as_str() == Some(name)) {
                        return Some((name.to_string(), key.span.start));
                    }
                }
                if let Some(found) = duplicate_key(Some(value)) {
                    return Some(found);
                }
            }
            None
        }
        NodeValue::Seq(items) => items.iter().find_map(|item| duplicate_key(Some(item))),
        _ => None,
    }
}

enum Open {
    Seq(Node, usize),
    /// A mapping, its anchor, and a key waiting for its value.
    Map(Node, usize, Option<Node>),
}

struct TreeBuilder<'a> {
    text: &'a str,
    offset: usize,
    /// Byte offset of each character: yaml-rust2's marks count characters.
    /// Empty for ASCII text, where the two agree.
    char_starts: Vec<usize>,
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
}

impl TreeBuilder<'_> {
    fn start(&self, mark: Marker) -> usize {
        byte_offset(self.text, &self.char_starts, mark.index())
    }

    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Open::Seq(seq, _)) => {
                if let NodeValue::Seq(items) = &mut seq.value {
                    seq.span.end = seq.span.end.max(node.span.end);
                    items.push(node);
                }
            }
            Some(Open::Map(map, _, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    if let NodeValue::Map(pairs) = &mut map.value {
                        map.span.end = map.span.end.max(node.span.end);
                        pairs.push((key, node));
                    }
                }
            },
        }
    }

    /// Where the character at `start` ends (a collection's first span, grown as its
    /// items come): `start` itself at the end of the text, which a collection opened
    /// by the document's last character starts at.
    fn one_char_end(&self, start: usize) -> usize {
        start + self.text[start..].chars().next().map_or(0, char::len_utf8)
    }

    /// A scalar's end: its text's length past the start (plus quotes), kept on its
    /// first line so a caret never runs past it.
    fn scalar_end(&self, start: usize, value: &str, style: TScalarStyle) -> usize {
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let quotes = match style {
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => 2,
            _ => 0,
        };
        floor(self.text, (start + value.len() + quotes).min(line_end))
    }
}

fn byte_offset(text: &str, char_starts: &[usize], char_index: usize) -> usize {
    if char_starts.is_empty() {
        char_index.min(text.len())
    } else {
        char_starts.get(char_index).copied().unwrap_or(text.len())
    }
}

fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl MarkedEventReceiver for TreeBuilder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let start = self.start(mark);
        let base = self.offset;
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let plain = matches!(style, TScalarStyle::Plain);
                let end = self.scalar_end(start, &text, style);
                let value = if plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
                {
                    NodeValue::Null
                } else {
                    NodeValue::Scalar { text, plain }
                };
                self.finish(
                    Node {
                        value,
                        span: base + start..base + end,
                    },
                    anchor,
                );
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Open::Seq(
                Node {
                    value: NodeValue::Seq(Vec::new()),
                    span: base + start..base + self.one_char_end(start),
                },
                anchor,
            )),
            Event::MappingStart(anchor, _) => self.stack.push(Open::Map(
                Node {
                    value: NodeValue::Map(Vec::new()),
                    span: base + start..base + self.one_char_end(start),
                },
                anchor,
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.stack.pop() {
                    let (node, anchor) = match open {
                        Open::Seq(node, anchor) | Open::Map(node, anchor, _) => (node, anchor),
                    };
                    self.finish(node, anchor);
                }
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node {
                    value: NodeValue::Null,
                    span: base + start..base + start,
                });
                self.finish(node, 0);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_carry_byte_spans() {
        let text = "title: 投诉\nentries:\n  - id: a\n    say: [您好, '请稍等']\n";
        let node = parse(text, 100).unwrap();
        let entries = node.get("entries").unwrap();
        let NodeValue::Seq(items) = &entries.value else {
            panic!("entries is a list")
        };
        let id = items[0].get("id").unwrap();
        assert_eq!(id.span.start - 100, text.find(" a\n").unwrap() + 1);
        let say = items[0].get("say").unwrap();
        let NodeValue::Seq(lines) = &say.value else {
            panic!("say is a list")
        };
        assert_eq!(lines[1].as_str(), Some("请稍等"));
        assert_eq!(
            &text[lines[1].span.start - 100..lines[1].span.end - 100],
            "'请稍等'"
        );
    }

    #[test]
    fn syntax_error_has_an_offset() {
        let text = "title: a\nkind: [script\n";
        let error = parse(text, 0).unwrap_err();
        assert!(error.offset >= text.find('[').unwrap(), "{error:?}");
        assert!(!error.message.contains("at line"));
    }

    #[test]
    fn duplicate_keys_are_syntax_errors() {
        let text = "title: a\nentries:\n  - id: x\n    id: y\n";
        let error = parse(text, 0).unwrap_err();
        assert!(error.message.contains("duplicate"), "{error:?}");
    }

    #[test]
    fn numbers_as_yaml_reads_them() {
        for yes in [
            "123", "-7", "+1.5", "1e3", "2.", ".5", "0x1F", "0o17", ".inf", "-.Inf", ".nan",
        ] {
            assert!(is_number(yes), "{yes}");
        }
        for no in [
            "",
            "1a",
            "12:30",
            "0x",
            ".",
            "1e",
            "1.2.3",
            "一二三",
            "e3",
            "-",
        ] {
            assert!(!is_number(no), "{no}");
        }
        let node = parse("a: 123\nb: '123'\n", 0).unwrap();
        assert!(node.get("a").unwrap().is_number());
        assert!(!node.get("b").unwrap().is_number());
    }

    #[test]
    fn null_and_empty() {
        assert_eq!(parse("", 0).unwrap().value, NodeValue::Null);
        assert_eq!(
            parse("a: ~", 0).unwrap().get("a").unwrap().value,
            NodeValue::Null
        );
        assert_eq!(
            parse("a: 'null'", 0).unwrap().get("a").unwrap().as_str(),
            Some("null")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        // Found by the fuzzer: 1,000 nested `- ` in a front matter aborted the process.
        for text in [
            format!("tags:\n{}x\n", "- ".repeat(5_000)),
            format!("a: {}", "[".repeat(5_000)),
            format!("a: {}{}", "{a: ".repeat(1_000), "}".repeat(1_000)),
        ] {
            let error = parse(&text, 10).unwrap_err();
            assert!(
                error.message.contains("recursion limit"),
                "{}",
                error.message
            );
            assert!(error.offset >= 10 && error.offset <= 10 + text.len());
        }
        let fine = format!("a: {}x{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&fine, 0).is_ok());
    }

    #[test]
    fn a_collection_opened_at_the_last_character_ends_inside_the_text() {
        // Found by the fuzzer: the span of `entries:` with a bare `-` at the end of
        // the file, and of the mapping holding it, reached one byte past the file.
        for text in ["entries:\r\n-", "a:\n- ", "[", "a: {"] {
            let (node, _) = match parse(text, 3) {
                Ok(node) => (node, ()),
                Err(_) => continue,
            };
            fn check(node: &Node, end: usize) {
                assert!(
                    node.span.start <= node.span.end && node.span.end <= end,
                    "{node:?}"
                );
                match &node.value {
                    NodeValue::Seq(items) => items.iter().for_each(|n| check(n, end)),
                    NodeValue::Map(pairs) => pairs.iter().for_each(|(k, v)| {
                        check(k, end);
                        check(v, end)
                    }),
                    _ => {}
                }
            }
            check(&node, 3 + text.len());
        }
        let node = parse("entries:\r\n-", 0).unwrap();
        assert_eq!(node.span.end, "entries:\r\n-".len());
    }
}
