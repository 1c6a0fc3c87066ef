//! The internal link check: every `href`/`src` under the base path must name a file the
//! build wrote.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Pos};
use crate::render::theme::ThemeFiles;

/// The internal link targets in `html`, each once, in order of first appearance: values of
/// `href`, `src` and `xlink:href` attributes (any case, quoted with `"` or `'` or unquoted)
/// that start with `base_path`, without query or fragment. Comments and the text of
/// `script`, `style`, `textarea` and `title` elements are not markup and are skipped.
pub fn internal_links<'a>(html: &'a str, base_path: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for value in attribute_links(html) {
        if value.starts_with(base_path) && !value.starts_with("//") {
            let cut = value.find(['#', '?']).unwrap_or(value.len());
            if seen.insert(&value[..cut]) {
                out.push(&value[..cut]);
            }
        }
    }
    out
}

/// The values of the link attributes of every start tag, in order: a small HTML tokenizer
/// (tags, attributes, comments, raw text elements), enough to read what a browser follows.
fn attribute_links(html: &str) -> Vec<&str> {
    let bytes = html.as_bytes();
    let mut values = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        i += found + 1;
        match bytes.get(i) {
            Some(b'!') if bytes[i..].starts_with(b"!--") => {
                i = find(bytes, i + 3, b"-->").map_or(bytes.len(), |e| e + 3);
            }
            Some(b'!' | b'?' | b'/') => {
                i = memchr::memchr(b'>', &bytes[i..]).map_or(bytes.len(), |e| i + e + 1);
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let name_end = i + bytes[i..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
                    .unwrap_or(bytes.len() - i);
                let name = &bytes[i..name_end];
                i = start_tag_attributes(html, name_end, &mut values);
                if let Some(raw) = RAW_TEXT.iter().find(|r| name.eq_ignore_ascii_case(r)) {
                    i = end_of_raw_text(bytes, i, raw);
                }
            }
            // A `<` that opens no tag is text.
            _ => {}
        }
    }
    values
}

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: [&[u8]; 4] = [b"script", b"style", b"textarea", b"title"];

/// Read the attributes of a start tag from `i` (after its name) to its `>`; push the values
/// of link attributes; return the index after the tag.
fn start_tag_attributes<'a>(html: &'a str, mut i: usize, values: &mut Vec<&'a str>) -> usize {
    let bytes = html.as_bytes();
    let skip_space = |mut i: usize| {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        i
    };
    loop {
        i = skip_space(i);
        if i >= bytes.len() {
            return i;
        }
        if bytes[i] == b'>' {
            return i + 1;
        }
        // An attribute name runs to a space, `/`, `>` or `=` (a leading `=` belongs to it).
        let name_start = i;
        i += 1;
        while i < bytes.len()
            && !matches!(
                bytes[i],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
            )
        {
            i += 1;
        }
        let name = &bytes[name_start..i];
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let (value, next) = match bytes.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(q, &bytes[j + 1..]).map_or(bytes.len(), |e| j + 1 + e);
                (&html[j + 1..end], (end + 1).min(bytes.len()))
            }
            _ => {
                let end = j + bytes[j..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'>')
                    .unwrap_or(bytes.len() - j);
                (&html[j..end], end)
            }
        };
        if LINK_ATTRIBUTES.iter().any(|a| name.eq_ignore_ascii_case(a)) {
            values.push(value);
        }
        i = next;
    }
}

/// The attributes that name a page or file the browser loads or follows.
const LINK_ATTRIBUTES: [&[u8]; 3] = [b"href", b"src", b"xlink:href"];

/// The index after the end tag `</name` (any case) that closes a raw text element.
fn end_of_raw_text(bytes: &[u8], mut i: usize, name: &[u8]) -> usize {
    while let Some(found) = find(bytes, i, b"</") {
        let after = found + 2;
        let closes = bytes
            .get(after..after + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(after + name.len())
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/');
        if closes {
            return after;
        }
        i = after;
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|e| from + e)
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

/// Where a page comes from: the content file it shows (if any) and its template.
pub struct Origin {
    pub content: Option<String>,
    pub template: String,
}

/// Check the internal links of every page. `page_links` holds each output page's link
/// targets. Each broken target is reported once where it is written: in the content files of
/// the pages showing it (at its line and column), else in site.yaml, else in a template;
/// `read` gives a file's text by path relative to the site root.
pub fn check(
    page_links: &BTreeMap<String, Vec<String>>,
    exists: &dyn Fn(&str) -> bool,
    base_path: &str,
    origin: &dyn Fn(&str) -> Origin,
    read: &dyn Fn(&str) -> Option<String>,
    theme: &ThemeFiles,
) -> Vec<Diagnostic> {
    broken(page_links, exists, base_path)
        .into_iter()
        .flat_map(|(link, pages)| place(&link, &pages, base_path, origin, read, theme))
        .collect()
}

/// Every target that names no file, with the pages that link to it (in page order).
fn broken(
    page_links: &BTreeMap<String, Vec<String>>,
    exists: &dyn Fn(&str) -> bool,
    base_path: &str,
) -> BTreeMap<String, Vec<String>> {
    // Most links (navigation, shared rows) repeat on many pages: resolve each once.
    let mut known: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    let mut broken: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, links) in page_links {
        for link in links {
            let ok = *known
                .entry(link.as_str())
                .or_insert_with(|| resolves(link, base_path, exists));
            if !ok {
                let pages = broken.entry(link.clone()).or_default();
                if pages.last() != Some(file) {
                    pages.push(file.clone());
                }
            }
        }
    }
    broken
}

/// The diagnostics for one broken link: where it is written.
fn place(
    link: &str,
    pages: &[String],
    base_path: &str,
    origin: &dyn Fn(&str) -> Origin,
    read: &dyn Fn(&str) -> Option<String>,
    theme: &ThemeFiles,
) -> Vec<Diagnostic> {
    let message = format!("broken link to {link}");
    let missing = "no such page or file in the site";
    let at = |file: &str, text: &str| {
        locate(text, link, base_path).map(|pos| {
            Diagnostic::error(file, pos, message.clone())
                .with_label(missing)
                .with_source(text)
        })
    };
    let mut contents: Vec<String> = pages.iter().filter_map(|p| origin(p).content).collect();
    contents.dedup();
    let in_content: Vec<Diagnostic> = contents
        .iter()
        .filter_map(|file| at(file.as_str(), &read(file.as_str())?))
        .collect();
    if !in_content.is_empty() {
        return in_content;
    }
    if let Some(d) =
        read(crate::config::CONFIG_FILE).and_then(|text| at(crate::config::CONFIG_FILE, &text))
    {
        return vec![d];
    }
    let first = &pages[0];
    let on_pages = match pages.len() {
        1 => format!("on the page {first}; {missing}"),
        n => format!("on the page {first} and {} more; {missing}", n - 1),
    };
    let first_origin = origin(first);
    let template = first_origin.template.as_str();
    let templates = theme
        .templates
        .get_key_value(template)
        .into_iter()
        .chain(&theme.templates);
    for (_, source) in templates {
        if let Some(pos) = locate(&source.text, link, base_path) {
            return vec![
                Diagnostic::error(&source.origin, pos, message)
                    .with_label(on_pages)
                    .with_source(&source.text),
            ];
        }
    }
    // Not written anywhere as it is: the template made it from values.
    let file = theme
        .templates
        .get(template)
        .map_or_else(|| template.to_string(), |s| s.origin.clone());
    vec![Diagnostic::error(&file, Pos::file_start(), message).with_label(on_pages)]
}

/// Where `link` (as found in the HTML) is written in `text`: as it is, or as the
/// root-relative path Markdown is written with (`/roadmap/x/` for `/report/roadmap/x/`),
/// with `&amp;` and percent escapes undone. The first whole match wins.
pub fn locate(text: &str, link: &str, base_path: &str) -> Option<Pos> {
    let mut forms = vec![link.to_string()];
    if let Some(rest) = link.strip_prefix(base_path) {
        forms.push(format!("/{rest}"));
    }
    for form in forms.clone() {
        let unescaped = form.replace("&amp;", "&");
        forms.push(percent_decode(&unescaped));
        forms.push(unescaped);
    }
    forms.dedup();
    let starts = |b: Option<&u8>| {
        b.is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'(' | b'<' | b'"' | b'\'' | b'='))
    };
    let ends = |b: Option<&u8>| {
        b.is_none_or(|b| {
            b.is_ascii_whitespace() || matches!(b, b')' | b'>' | b'"' | b'\'' | b'#' | b'?')
        })
    };
    let bytes = text.as_bytes();
    let found = forms
        .iter()
        .filter(|f| !f.is_empty())
        .filter_map(|form| {
            text.match_indices(form.as_str())
                .map(|(i, _)| i)
                .find(|&i| {
                    starts(i.checked_sub(1).and_then(|b| bytes.get(b)))
                        && ends(bytes.get(i + form.len()))
                })
                .map(|i| (i, form))
        })
        .min()?;
    let (i, form) = found;
    let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    let line = text[..i].matches('\n').count() + 1;
    let col = text[line_start..i].chars().count() + 1;
    Some(Pos::new(
        line as u32,
        col as u32,
        form.chars().count() as u32,
    ))
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
        let origin = |_: &str| Origin {
            content: Some("content/pages/a.md".to_string()),
            template: "page.html".to_string(),
        };
        // The link is on line 4 of the page's file, after `See [this](`: column 12.
        let read = |_: &str| Some("---\nid: a\n---\nSee [this](/missing/) page.\n".to_string());
        let diags = check(
            &page_links,
            &exists,
            "/r/",
            &origin,
            &read,
            &ThemeFiles::default(),
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].file, "content/pages/a.md");
        assert_eq!(diags[0].message, "broken link to /r/missing/");
        assert_eq!(diags[0].pos, Pos::new(4, 12, 9));
    }

    #[test]
    fn reads_every_quoting_and_case_and_skips_comments_and_script() {
        let html = concat!(
            "<A HREF='/one/'>1</A>",
            "<a href=/two/ class=x>2</a>",
            "<img\n  Src = \"/three.png\" >",
            "<svg><a xlink:href=\"/four/\"></a></svg>",
            "<!-- <a href=\"/comment/\"> -->",
            "<script>var a = '<a href=\"/script/\">';</script>",
            "<STYLE>a[href=\"/style/\"]{}</STYLE>",
            "<p title=\"<a href='/attr/'>\" data-href=\"/data/\">x</p>",
            "<a href=\"/five/\">5</a>",
        );
        assert_eq!(
            internal_links(html, "/"),
            vec!["/one/", "/two/", "/three.png", "/four/", "/five/"]
        );
    }

    #[test]
    fn a_tag_cut_short_at_the_end_of_the_page_is_read_as_far_as_it_goes() {
        assert_eq!(internal_links("<a href=\"/x/", "/"), vec!["/x/"]);
        assert_eq!(internal_links("<a href=", "/"), vec![""; 0]);
        assert!(internal_links("<script>no end", "/").is_empty());
        assert!(internal_links("<!-- no end <a href=/x/>", "/").is_empty());
    }

    #[test]
    fn locates_a_link_as_written_in_markdown_under_a_base_path() {
        // `/roadmap/x/` is written on line 2 at column 9; `/roadmap/x/y/` on line 1 is
        // another link and must not match.
        let text = "[a](/roadmap/x/y/)\nSee [b](/roadmap/x/#part).\n";
        assert_eq!(
            locate(text, "/report/roadmap/x/", "/report/"),
            Some(Pos::new(2, 9, 11))
        );
        assert_eq!(locate(text, "/report/roadmap/z/", "/report/"), None);
        // Escapes in the HTML are undone: `&amp;` and percent escapes of non-ASCII text.
        assert_eq!(
            locate("[c](/a&b/) [d](/é/)", "/%C3%A9/", "/"),
            Some(Pos::new(1, 16, 3))
        );
    }

    #[test]
    fn a_broken_link_in_a_template_is_reported_once_at_its_line() {
        let mut theme = ThemeFiles::default();
        theme.templates.insert(
            "base.html".to_string(),
            crate::render::theme::Source {
                text: "<nav>\n  <a href=\"/gone/\">x</a>\n</nav>".to_string(),
                origin: "templates/base.html".to_string(),
            },
        );
        let page_links: BTreeMap<String, Vec<String>> = ["a/index.html", "b/index.html"]
            .iter()
            .map(|p| (p.to_string(), vec!["/gone/".to_string()]))
            .collect();
        let origin = |_: &str| Origin {
            content: Some("content/pages/a.md".to_string()),
            template: "page.html".to_string(),
        };
        let read = |_: &str| Some("no links here".to_string());
        let diags = check(&page_links, &|_| false, "/", &origin, &read, &theme);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].file, "templates/base.html");
        // Line 2, after `  <a href="`: column 12, 6 characters.
        assert_eq!(diags[0].pos, Pos::new(2, 12, 6));
        assert_eq!(
            diags[0].label,
            "on the page a/index.html and 1 more; no such page or file in the site"
        );
    }
}
