//! From a request path to a file of the built site, and back from a file to its URL.
//! Files come from the in-memory build, never from the disk; still, paths that try to
//! leave the site (`..`, `%2e%2e`, `//`, backslashes, NUL) are rejected, not normalised.

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site (its key in the build, `roadmap/x/index.html`).
    File(String),
    /// Somewhere else to go: the folder with its trailing slash, or the base path.
    Redirect(String),
    NotFound,
    /// A path that is not a plain path inside the site.
    BadRequest,
}

/// Resolve `path` (the raw, percent-encoded request path) under `base_path` (`/` or
/// `/repo/`); `query` is kept on redirects; `exists` says whether a file is in the site.
pub fn resolve(
    path: &str,
    query: Option<&str>,
    base_path: &str,
    exists: impl Fn(&str) -> bool,
) -> Target {
    let base = segments(base_path).unwrap_or_default();
    let Some(segments) = segments(path) else {
        return Target::BadRequest;
    };
    let trailing_slash = path.ends_with('/');
    let with_query = |location: String| match query {
        Some(q) if !q.is_empty() => format!("{location}?{q}"),
        _ => location,
    };
    if !segments.starts_with(&base) || segments.len() == base.len() && !trailing_slash {
        // `/` or `/repo` while the site lives at `/repo/`.
        return if base.starts_with(&segments) {
            Target::Redirect(with_query(base_path.to_string()))
        } else {
            Target::NotFound
        };
    }
    let rel = segments[base.len()..].join("/");
    if rel.is_empty() || trailing_slash {
        let index = if rel.is_empty() {
            "index.html".to_string()
        } else {
            format!("{rel}/index.html")
        };
        return if exists(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if exists(&rel) {
        Target::File(rel)
    } else if exists(&format!("{rel}/index.html")) {
        Target::Redirect(with_query(format!("{path}/")))
    } else {
        Target::NotFound
    }
}

/// The decoded segments of an absolute path, or None when the path is not a plain one:
/// empty segments (`//`), `.` and `..` (also encoded), backslashes, NUL and other control
/// characters, an encoded `/`, or bytes that are not UTF-8.
fn segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let mut out = Vec::new();
    for raw in rest.split('/') {
        let segment = String::from_utf8(percent_decode(raw)?).ok()?;
        if segment.is_empty()
            || segment == "."
            || segment == ".."
            || segment.contains(['/', '\\'])
            || segment.chars().any(char::is_control)
        {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The URL path of an output file: `roadmap/x/index.html` → `/repo/roadmap/x/`.
pub fn file_url(file: &str, base_path: &str) -> String {
    let page = if file == "index.html" {
        ""
    } else {
        file.strip_suffix("/index.html")
            .map_or(file, |dir| &file[..dir.len() + 1])
    };
    format!("{base_path}{page}")
}

/// The Content-Type for a file, by its extension.
pub fn content_type(file: &str) -> &'static str {
    let name = file.rsplit('/').next().unwrap_or(file);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" if name == "atom.xml" => "application/atom+xml",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ if name == "CNAME" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: [&str; 5] = [
        "index.html",
        "roadmap/index.html",
        "roadmap/payment-links/index.html",
        "style.css",
        "img/a b.png",
    ];

    fn at(path: &str, base: &str) -> Target {
        resolve(path, None, base, |f| FILES.contains(&f))
    }

    fn file(f: &str) -> Target {
        Target::File(f.to_string())
    }

    #[test]
    fn folders_index_files_and_redirects() {
        assert_eq!(at("/", "/"), file("index.html"));
        assert_eq!(at("/roadmap/", "/"), file("roadmap/index.html"));
        assert_eq!(
            at("/roadmap/payment-links/", "/"),
            file("roadmap/payment-links/index.html")
        );
        assert_eq!(at("/style.css", "/"), file("style.css"));
        assert_eq!(at("/img/a%20b.png", "/"), file("img/a b.png"));
        assert_eq!(
            at("/roadmap/payment-links", "/"),
            Target::Redirect("/roadmap/payment-links/".into())
        );
        assert_eq!(
            resolve("/roadmap", Some("team=x"), "/", |f| FILES.contains(&f)),
            Target::Redirect("/roadmap/?team=x".into())
        );
        assert_eq!(at("/nope/", "/"), Target::NotFound);
        assert_eq!(at("/style.css/", "/"), Target::NotFound);
        assert_eq!(at("/nope.html", "/"), Target::NotFound);
    }

    #[test]
    fn a_site_under_a_path_prefix() {
        assert_eq!(at("/", "/repo/"), Target::Redirect("/repo/".into()));
        assert_eq!(at("/repo", "/repo/"), Target::Redirect("/repo/".into()));
        assert_eq!(at("/repo/", "/repo/"), file("index.html"));
        assert_eq!(at("/repo/style.css", "/repo/"), file("style.css"));
        assert_eq!(
            at("/repo/roadmap", "/repo/"),
            Target::Redirect("/repo/roadmap/".into())
        );
        assert_eq!(at("/style.css", "/repo/"), Target::NotFound);
        assert_eq!(at("/repository/", "/repo/"), Target::NotFound);
        assert_eq!(at("/a/b/", "/a/b/"), file("index.html"));
        assert_eq!(at("/a", "/a/b/"), Target::Redirect("/a/b/".into()));
    }

    #[test]
    fn paths_that_try_to_leave_the_site_are_rejected() {
        for path in [
            "/../site.yaml",
            "/roadmap/../../site.yaml",
            "/./index.html",
            "/%2e%2e/site.yaml",
            "/%2E%2E/site.yaml",
            "/.%2e/site.yaml",
            "//etc/passwd",
            "/roadmap//index.html",
            "/..\\site.yaml",
            "/%5c..%5csite.yaml",
            "/roadmap%2f..%2f..%2fsite.yaml",
            "/index.html%00.css",
            "/%ff.html",
            "/%zz",
            "/%2",
            "relative/path",
            "",
        ] {
            assert_eq!(at(path, "/"), Target::BadRequest, "{path}");
            assert_eq!(at(path, "/repo/"), Target::BadRequest, "{path}");
        }
    }

    #[test]
    fn files_map_back_to_urls() {
        assert_eq!(file_url("index.html", "/"), "/");
        assert_eq!(
            file_url("roadmap/x/index.html", "/repo/"),
            "/repo/roadmap/x/"
        );
        assert_eq!(file_url("style.css", "/repo/"), "/repo/style.css");
        assert_eq!(file_url("404.html", "/"), "/404.html");
    }

    #[test]
    fn content_types() {
        for (file, ct) in [
            ("index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("chart.svg", "image/svg+xml"),
            ("metrics.json", "application/json"),
            ("sitemap.xml", "application/xml"),
            ("atom.xml", "application/atom+xml"),
            ("a/logo.PNG", "image/png"),
            ("photo.jpg", "image/jpeg"),
            ("anim.gif", "image/gif"),
            ("pic.webp", "image/webp"),
            ("favicon.ico", "image/x-icon"),
            ("font.woff2", "font/woff2"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("CNAME", "text/plain; charset=utf-8"),
            (".nojekyll", "application/octet-stream"),
        ] {
            assert_eq!(content_type(file), ct, "{file}");
        }
    }
}
