//! The mutations: a few stacked on each input, drawn from a seeded generator so that
//! a run is repeated exactly by its seed.

/// Pieces of the handbook's syntax and of text that parsers tend to trip on.
const TOKENS: &[&str] = &[
    "---\n",
    "...\n",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u{feff}",
    "\0",
    "```phrases\n",
    "```dialogue\n",
    "```\n",
    "~~~\n",
    "@",
    "#",
    "{#",
    "}",
    "](",
    "[",
    ")",
    "![",
    "%",
    "%E8%AF",
    "%2e%2e%2f",
    "../",
    "..\\",
    "/",
    "?",
    ":",
    "：",
    ": ",
    "- ",
    "  - ",
    "|\n",
    ">-\n",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "<<: ",
    "\"",
    "'",
    "\\",
    "\\x01",
    "\\u0000",
    "[[",
    "]]",
    "{{",
    "}}",
    "{% raw %}",
    "<script>",
    "&amp;",
    ",",
    ";",
    "~~~",
    "::",
    "=cmd|' /C calc'!A0",
    "title: ",
    "id: ",
    "kind: ",
    "entries:\n",
    "say: ",
    "avoid: ",
    "code: ",
    "see: ",
    "situation: ",
    "tags: ",
    "draft: true\n",
    "客服：",
    "买家：",
    "亲，",
    "退货",
    "運費險",
    "𠀀",
    "é",
    "e\u{301}",
    "\u{200b}",
    "\u{202e}",
    "\u{2028}",
    "\u{fffd}",
    "😀",
    "Ⅻ",
    "İ",
    "ß",
    "# ",
    "## ",
    "###### ",
    "* ",
    "1. ",
    "> ",
    "<!-- ",
    " -->",
    "|a|b|\n|-|-|\n",
    "[^1]",
    "$$",
];

/// Unicode characters at edges of ranges the code tests (`is_cjk`, UTF-16 widths).
const CHARS: &[char] = &[
    '\u{3400}',
    '\u{4dbf}',
    '\u{4e00}',
    '\u{9fff}',
    '\u{f900}',
    '\u{faff}',
    '\u{20000}',
    '\u{2fa1f}',
    '\u{2fa20}',
    '\u{10ffff}',
    '\u{e000}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{3000}',
    '\u{ff0c}',
    '\u{1}',
    '\u{1b}',
];

pub(super) struct Mutator {
    rng: fastrand::Rng,
}

impl Mutator {
    pub(super) fn new(seed: u64) -> Self {
        Mutator {
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    pub(super) fn pick<'c>(&mut self, corpus: &'c [Vec<u8>]) -> &'c Vec<u8> {
        &corpus[self.rng.usize(..corpus.len())]
    }

    /// Applies one to eight mutations to `input`; `corpus` gives splices.
    pub(super) fn mutate(&mut self, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
        let count = 1 + self.rng.usize(..8);
        for _ in 0..count {
            self.mutate_once(input, corpus);
        }
    }

    fn position(&mut self, input: &[u8]) -> usize {
        // Line starts half the time: the syntax is line-based.
        if self.rng.bool() {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(
                    input
                        .iter()
                        .enumerate()
                        .filter(|(_, &b)| b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect();
            starts[self.rng.usize(..starts.len())]
        } else {
            self.rng.usize(..=input.len())
        }
    }

    fn range(&mut self, input: &[u8]) -> std::ops::Range<usize> {
        let start = self.rng.usize(..=input.len());
        let max = (input.len() - start).min(if self.rng.bool() { 16 } else { 4096 });
        start..start + self.rng.usize(..=max)
    }

    fn lines(input: &[u8]) -> Vec<std::ops::Range<usize>> {
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, &b) in input.iter().enumerate() {
            if b == b'\n' {
                lines.push(start..i + 1);
                start = i + 1;
            }
        }
        if start < input.len() {
            lines.push(start..input.len());
        }
        lines
    }

    pub(super) fn mutate_once(&mut self, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
        match self.rng.u8(..14) {
            0 if !input.is_empty() => {
                let i = self.rng.usize(..input.len());
                input[i] ^= 1 << self.rng.u8(..8);
            }
            1 if !input.is_empty() => {
                let i = self.rng.usize(..input.len());
                input[i] = self.rng.u8(..);
            }
            2 | 3 => {
                let at = self.position(input);
                let token = TOKENS[self.rng.usize(..TOKENS.len())];
                input.splice(at..at, token.bytes());
            }
            4 => {
                let at = self.position(input);
                let mut buf = [0; 4];
                let c = if self.rng.bool() {
                    CHARS[self.rng.usize(..CHARS.len())]
                } else {
                    // Any scalar value, the CJK block most often.
                    let code = if self.rng.bool() {
                        self.rng.u32(0x4e00..0xa000)
                    } else {
                        self.rng.u32(..0x11_0000)
                    };
                    char::from_u32(code).unwrap_or('\u{fffd}')
                };
                input.splice(at..at, c.encode_utf8(&mut buf).bytes());
            }
            5 => {
                let range = self.range(input);
                input.drain(range);
            }
            6 => {
                let range = self.range(input);
                let piece = input[range].to_vec();
                let at = self.position(input);
                input.splice(at..at, piece);
            }
            7 => {
                let other = self.pick_nonempty(corpus);
                if !other.is_empty() {
                    let range = self.range(&other);
                    let at = self.position(input);
                    input.splice(at..at, other[range].iter().copied());
                }
            }
            8 => {
                // Swap, repeat or drop a line.
                let lines = Self::lines(input);
                if lines.len() >= 2 {
                    let a = lines[self.rng.usize(..lines.len())].clone();
                    let b = lines[self.rng.usize(..lines.len())].clone();
                    match self.rng.u8(..3) {
                        0 => {
                            let line = input[a.clone()].to_vec();
                            input.splice(b.start..b.start, line);
                        }
                        1 => {
                            input.drain(a);
                        }
                        _ => {
                            let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
                            if first.end <= second.start {
                                let mut out = input[..first.start].to_vec();
                                out.extend_from_slice(&input[second.clone()]);
                                out.extend_from_slice(&input[first.end..second.start]);
                                out.extend_from_slice(&input[first.clone()]);
                                out.extend_from_slice(&input[second.end..]);
                                *input = out;
                            }
                        }
                    }
                }
            }
            9 => {
                // Indent or dedent a line: YAML's structure is its indentation.
                let lines = Self::lines(input);
                if !lines.is_empty() {
                    let line = lines[self.rng.usize(..lines.len())].clone();
                    if self.rng.bool() {
                        input.splice(line.start..line.start, *b"  ");
                    } else if input[line.clone()].starts_with(b"  ") {
                        input.drain(line.start..line.start + 2);
                    }
                }
            }
            10 => {
                // Sizes: a token repeated many times (deep nesting, long lines).
                let at = self.position(input);
                let token = TOKENS[self.rng.usize(..TOKENS.len())];
                let times = [10, 100, 1_000, 5_000][self.rng.usize(..4)];
                input.splice(at..at, token.repeat(times).into_bytes());
            }
            11 => {
                let len = self.rng.usize(..=input.len());
                input.truncate(len);
            }
            12 => {
                // Another encoding of the same text: what an editor may save.
                let text = String::from_utf8_lossy(input).into_owned();
                *input = match self.rng.u8(..3) {
                    0 => encoding_rs::GBK.encode(&text).0.into_owned(),
                    1 => text.replace('\n', "\r\n").into_bytes(),
                    _ => text
                        .encode_utf16()
                        .flat_map(u16::to_le_bytes)
                        .collect::<Vec<u8>>(),
                };
            }
            _ => {
                // A number where there was one: counts, levels, codes.
                if let Some(i) = input.iter().position(u8::is_ascii_digit) {
                    let n =
                        [0u64, 1, 7, 255, 65_536, u32::MAX as u64, u64::MAX][self.rng.usize(..7)];
                    input.splice(i..i + 1, n.to_string().into_bytes());
                }
            }
        }
    }

    fn pick_nonempty(&mut self, corpus: &[Vec<u8>]) -> Vec<u8> {
        if corpus.is_empty() {
            Vec::new()
        } else {
            self.pick(corpus).clone()
        }
    }
}
