//! The internal link check: every `href`/`src` under the base path must name a file the
//! build wrote.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Pos};

/// The internal link targets in `html`, each once, in order of first appearance: attribute
/// values of `href=` and `src=` that start with `base_path`, without query or fragment.
pub fn internal_links<'a>(html: &'a str, base_path: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // One pass over every `="`, keeping those after an attribute name ending in href or src.
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(found) = html[from..].find('=') {
        let i = from + found;
        from = i + 1;
        let before = &bytes[..i];
        if bytes.get(i + 1) != Some(&b'"')
            || !(before.ends_with(b"href") || before.ends_with(b"src"))
        {
            continue;
        }
        let rest = &html[i + 2..];
        let value = &rest[..rest.find('"').unwrap_or(rest.len())];
        if value.starts_with(base_path) && !value.starts_with("//") {
            let cut = value.find(['#', '?']).unwrap_or(value.len());
            if seen.insert(&value[..cut]) {
                out.push(&value[..cut]);
            }
        }
    }
    out
}

/// Whether a URL path (under `base_path`) names an output file.
pub fn resolves(url: &str, base_path: &str, exists: &dyn Fn(&str) -> bool) -> bool {
    let rel = url.strip_prefix(base_path).unwrap_or(url);
    let rel = rel.replace("&amp;", "&");
    let rel = percent_decode(&rel);
    if rel.is_empty() || rel.ends_with('/') {
        exists(&format!("{rel}index.html"))
    } else {
        exists(&rel) || exists(&format!("{rel}/index.html"))
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// Check the internal links of every page. `page_links` holds each output page's link
/// targets; `sources` maps an output page to the file it was made from (content file or
/// template), which the error names.
pub fn check(
    page_links: &BTreeMap<String, Vec<String>>,
    exists: &dyn Fn(&str) -> bool,
    base_path: &str,
    sources: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    // Most links (navigation, shared rows) repeat on many pages: resolve each once.
    let mut known: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    let mut diags = Vec::new();
    for (file, links) in page_links {
        let mut seen = std::collections::BTreeSet::new();
        for link in links {
            let ok = *known
                .entry(link.as_str())
                .or_insert_with(|| resolves(link, base_path, exists));
            if !seen.insert(link.as_str()) || ok {
                continue;
            }
            let source = sources.get(file).cloned().unwrap_or_else(|| file.clone());
            diags.push(
                Diagnostic::error(&source, Pos::file_start(), format!("broken link to {link}"))
                    .with_label(format!(
                        "on the page {file}; no such page or file in the site"
                    )),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_internal_links_and_resolves_folders() {
        let html = r#"<a href="/r/roadmap/x/#top">x</a> <img src="/r/style.css?v=1"> <a href="https://e.com/r/">e</a> <a title="/r/no/" href="/r/missing/">m</a> <a href="/r/roadmap/x/">again</a>"#;
        let links = internal_links(html, "/r/");
        assert_eq!(links, vec!["/r/roadmap/x/", "/r/style.css", "/r/missing/"]);
        let files = ["roadmap/x/index.html", "style.css", "index.html"];
        let exists = |p: &str| files.contains(&p);
        let page_links = BTreeMap::from([(
            "index.html".to_string(),
            links.iter().map(|l| l.to_string()).collect(),
        )]);
        let diags = check(
            &page_links,
            &exists,
            "/r/",
            &BTreeMap::from([("index.html".to_string(), "content/pages/a.md".to_string())]),
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].file, "content/pages/a.md");
        assert_eq!(diags[0].message, "broken link to /r/missing/");
    }
}
