//! Links from the error overlay into the editor: `serve --editor NAME` (a preset, or
//! a template of its own) or `editor_url:` in handbook.yaml give a URL template such
//! as `vscode://file/{path}:{line}:{column}`; each `file:line` of the overlay then
//! opens that file at that place. `{path}` is the file's absolute path,
//! percent-encoded (Chinese folder names, spaces), `{line}` and `{column}` are 1-based
//! (the column counts characters, as the terminal report does).

use std::path::Path;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// The editors that register a URL scheme for opening a file at a line, by the name
/// `--editor` takes.
pub(crate) const PRESETS: &[(&str, &str)] = &[
    ("vscode", "vscode://file/{path}:{line}:{column}"),
    ("vscodium", "vscodium://file/{path}:{line}:{column}"),
    ("cursor", "cursor://file/{path}:{line}:{column}"),
    (
        "idea",
        "idea://open?file={path}&line={line}&column={column}",
    ),
    (
        "webstorm",
        "webstorm://open?file={path}&line={line}&column={column}",
    ),
    (
        "sublime",
        "subl://open?url=file://{path}&line={line}&column={column}",
    ),
    (
        "textmate",
        "txmt://open?url=file://{path}&line={line}&column={column}",
    ),
    ("macvim", "mvim://open?url=file://{path}&line={line}"),
];

/// What a path keeps as it is: letters, digits, `/` and the few marks no URL scheme
/// of the presets gives a meaning to; the rest (spaces, `&`, `#`, `?`, `:`, Chinese)
/// is percent-encoded.
const PATH_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'\'');

/// The template `--editor` names: a preset's, or the value itself when it is a
/// template (it holds `{path}`). An error lists the presets.
/// Its message is English: clap reports it with its own English words for
/// `--editor` (`HANDBOOK_EDITOR`'s is given in both languages around it).
pub(crate) fn parse_editor(value: &str) -> Result<String, String> {
    if let Some((_, template)) = PRESETS.iter().find(|(name, _)| name == &value) {
        return Ok((*template).to_string());
    }
    if value.contains("{path}") {
        return crate::load::check_editor_url(value)
            .map(|()| value.to_string())
            .map_err(|problem| problem.get(crate::diag::Lang::En).to_string());
    }
    let names: Vec<&str> = PRESETS.iter().map(|(name, _)| *name).collect();
    Err(format!(
        "`{value}` is neither an editor this knows ({}) nor a URL template with {{path}} in it",
        names.join(", ")
    ))
}

/// The link that opens `path` at `line`:`column` with `template`.
pub(crate) fn link(template: &str, path: &Path, line: usize, column: usize) -> String {
    let mut text = path.to_string_lossy().replace('\\', "/");
    // A Windows path (C:/…) is written /C:/… in a URL, like a Unix one.
    if !text.starts_with('/') {
        text.insert(0, '/');
    }
    let encoded = utf8_percent_encode(&text, PATH_SET).to_string();
    // `file://{path}` takes the path with its slash (file:///home/…);
    // `vscode://file/{path}` has written it already.
    let before = &template[..template.find("{path}").unwrap_or(0)];
    let path = if before.ends_with('/') && !before.ends_with("//") {
        &encoded[1..]
    } else {
        &encoded[..]
    };
    // `{path}` goes in last, so that a path holding "{line}" stays as it is.
    template
        .replace("{line}", &line.to_string())
        .replace("{column}", &column.to_string())
        .replace("{path}", path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_templates() {
        assert_eq!(
            parse_editor("vscode").unwrap(),
            "vscode://file/{path}:{line}:{column}"
        );
        assert_eq!(
            parse_editor("myed://open?f={path}").unwrap(),
            "myed://open?f={path}"
        );
        let error = parse_editor("notepad").unwrap_err();
        assert!(error.contains("vscode, vscodium"), "{error}");
        assert!(parse_editor("javascript:alert('{path}')").is_err());
        assert!(parse_editor(" DATA:text/html,{path}").is_err());
        assert!(parse_editor("vscode://file/").is_err());
    }

    #[test]
    fn links_encode_the_path() {
        let path = Path::new("/home/客服 组/content/退货#1.md");
        assert_eq!(
            link(&parse_editor("vscode").unwrap(), path, 12, 3),
            "vscode://file/home/%E5%AE%A2%E6%9C%8D%20%E7%BB%84/content/%E9%80%80%E8%B4%A7%231.md:12:3"
        );
        assert_eq!(
            link(&parse_editor("idea").unwrap(), Path::new("/a/b.md"), 1, 1),
            "idea://open?file=/a/b.md&line=1&column=1"
        );
        assert_eq!(
            link(
                &parse_editor("sublime").unwrap(),
                Path::new("/a/b.md"),
                2,
                5
            ),
            "subl://open?url=file:///a/b.md&line=2&column=5"
        );
        assert_eq!(
            link("x://{path}", Path::new(r"C:\hb\a.md"), 1, 1),
            "x:///C:/hb/a.md"
        );
        assert_eq!(
            link(
                &parse_editor("vscode").unwrap(),
                Path::new(r"C:\hb\a.md"),
                1,
                1
            ),
            "vscode://file/C:/hb/a.md:1:1"
        );
    }
}
