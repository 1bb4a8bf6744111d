//! Finding the file a request names, inside the output folder and nowhere else.

use std::path::{Component, Path, PathBuf};

pub(crate) struct File {
    pub(crate) bytes: Vec<u8>,
    pub(crate) content_type: &'static str,
}

pub(crate) enum Lookup {
    Found(File),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    /// The theme's 404 page, if the site has one.
    NotFound(Option<File>),
    Forbidden,
}

/// Maps a request path to a file under `out`: percent-decoded, `..` and other
/// escapes refused, a folder served by its `index.html`, a miss answered by `404.html`.
pub(crate) fn lookup(out: &Path, request_path: &str) -> Lookup {
    let Some(rel) = safe_relative(request_path) else {
        return Lookup::Forbidden;
    };
    let mut path = out.join(&rel);
    if path.is_dir() {
        if !request_path.ends_with('/') {
            return Lookup::Redirect(format!("{request_path}/"));
        }
        path = path.join("index.html");
    }
    // A link inside the output folder must not lead outside it.
    let inside = match (path.canonicalize(), out.canonicalize()) {
        (Ok(file), Ok(root)) => file.starts_with(root),
        _ => false,
    };
    if inside && path.is_file() {
        if let Ok(bytes) = std::fs::read(&path) {
            return Lookup::Found(File {
                bytes,
                content_type: content_type(&path),
            });
        }
    }
    let page = std::fs::read(out.join("404.html")).ok().map(|bytes| File {
        bytes,
        content_type: "text/html; charset=utf-8",
    });
    Lookup::NotFound(page)
}

/// The request path as a relative path with only normal components, or `None`
/// when it tries to climb out (`..`, encoded or not), names a drive, or holds a
/// backslash or a NUL.
pub(crate) fn safe_relative(request_path: &str) -> Option<PathBuf> {
    let decoded = crate::text::links::percent_decode(request_path.split('?').next().unwrap_or(""));
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut rel = PathBuf::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part => {
                let component = Path::new(part).components().next();
                if !matches!(component, Some(Component::Normal(_))) || part.contains(':') {
                    return None;
                }
                rel.push(part);
            }
        }
    }
    Some(rel)
}

pub(crate) fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Puts the live-reload script before the page's first script (or before `</head>`,
/// or `</body>`, or at the end). Deferred like the theme's, it runs first of them:
/// it keeps a copy of the page as the server sent it before they change it (copy
/// buttons, marks), which is what a later version of the page is compared with.
pub(crate) fn inject_script(mut html: Vec<u8>, src: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{src}\" defer></script>");
    let find = |needle: &[u8]| {
        html.windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
    };
    let head_end = find(b"</head>");
    let first_script = find(b"<script");
    let at = match (first_script, head_end) {
        (Some(script), Some(head)) => script.min(head),
        (script, head) => script.or(head).unwrap_or_else(|| {
            html.windows(7)
                .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
                .unwrap_or(html.len())
        }),
    };
    html.splice(at..at, tag.into_bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_refused() {
        for path in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/a/..%2f..%2fx",
            "/..\\x",
            "/a%5c..%5cx",
            "/c:/windows",
            "/a%00.html",
        ] {
            assert!(safe_relative(path).is_none(), "{path}");
        }
        assert_eq!(safe_relative("/a/b.html"), Some(PathBuf::from("a/b.html")));
        assert_eq!(
            safe_relative("/%E9%80%80%E8%B4%A7.html"),
            Some(PathBuf::from("退货.html"))
        );
        assert_eq!(safe_relative("/"), Some(PathBuf::new()));
    }

    #[test]
    fn types_and_injection() {
        assert_eq!(content_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("a.woff2")), "font/woff2");
        assert_eq!(
            content_type(Path::new("x/search/index.js")),
            "text/javascript; charset=utf-8"
        );
        let html = inject_script(b"<p>x</p></BODY></html>".to_vec(), "/r.js");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<p>x</p><script src=\"/r.js\" defer></script></BODY></html>"
        );
        let html = inject_script(
            b"<head><title>t</title><SCRIPT>x()</SCRIPT></head><body><script></script>".to_vec(),
            "/r.js",
        );
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<head><title>t</title><script src=\"/r.js\" defer></script><SCRIPT>x()</SCRIPT></head><body><script></script>"
        );
        let html = inject_script(b"<head><title>t</title></head><body>".to_vec(), "/r.js");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<head><title>t</title><script src=\"/r.js\" defer></script></head><body>"
        );
    }

    #[test]
    fn lookup_serves_only_inside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("phrases")).unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        std::fs::write(out.join("phrases/index.html"), "finder").unwrap();
        std::fs::write(out.join("404.html"), "missing").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert!(matches!(lookup(&out, "/"), Lookup::Found(f) if f.bytes == b"home"));
        assert!(matches!(lookup(&out, "/phrases/"), Lookup::Found(f) if f.bytes == b"finder"));
        assert!(matches!(lookup(&out, "/phrases"), Lookup::Redirect(l) if l == "/phrases/"));
        assert!(
            matches!(lookup(&out, "/nope.html"), Lookup::NotFound(Some(f)) if f.bytes == b"missing")
        );
        assert!(matches!(lookup(&out, "/../secret.txt"), Lookup::Forbidden));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt"))
                .unwrap();
            assert!(matches!(lookup(&out, "/link.txt"), Lookup::NotFound(_)));
        }
    }
}
