//! Splitting a chapter into YAML front matter and Markdown body.

/// Where the front matter's YAML and the body start, as byte ranges of the file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Split {
    pub(crate) yaml: Option<std::ops::Range<usize>>,
    pub(crate) body_start: usize,
}

/// Front matter is a block that starts on the file's first line with `---` and ends
/// at the next line that is `---` (or `...`). `Err` gives the offset of an opening
/// `---` that is never closed.
pub(crate) fn split(text: &str) -> Result<Split, usize> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[start..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            body_start: start,
        });
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                yaml: Some(yaml_start..offset),
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let text = "---\ntitle: 投诉\n---\n# 正文\n";
        let split = split(text).unwrap();
        assert_eq!(&text[split.yaml.unwrap()], "title: 投诉\n");
        assert_eq!(&text[split.body_start..], "# 正文\n");
    }

    #[test]
    fn no_front_matter() {
        let split = split("# 正文\n---\n").unwrap();
        assert_eq!(split.yaml, None);
        assert_eq!(split.body_start, 0);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert_eq!(split("---\ntitle: x\n# 正文\n"), Err(0));
    }

    #[test]
    fn windows_line_ends_and_empty_front_matter() {
        let text = "---\r\n---\r\nbody";
        let split = split(text).unwrap();
        assert_eq!(split.yaml, Some(5..5));
        assert_eq!(&text[split.body_start..], "body");
    }
}
