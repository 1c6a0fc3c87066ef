//! Checks every chart test shares: the SVG is well-formed and follows the output contract.

use super::Chart;

/// Start tags (name, attributes) of `svg`, in order; panics on malformed markup.
pub(crate) fn start_tags(svg: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tags = Vec::new();
    let mut rest = svg;
    while let Some(lt) = rest.find('<') {
        let tail = &rest[lt..];
        let gt = tail
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in {tail}"));
        let tag = &tail[1..gt];
        rest = &tail[gt + 1..];
        if tag.starts_with('/') {
            continue;
        }
        let tag = tag.strip_suffix('/').unwrap_or(tag);
        let (name, mut attrs_text) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut attrs = Vec::new();
        while let Some((key, after)) = attrs_text.trim_start().split_once("=\"") {
            let (value, after) = after
                .split_once('"')
                .unwrap_or_else(|| panic!("unterminated attribute in <{tag}>"));
            attrs.push((key.to_string(), value.to_string()));
            attrs_text = after;
        }
        assert!(attrs_text.trim().is_empty(), "junk in <{tag}>");
        tags.push((name.to_string(), attrs));
    }
    tags
}

/// Numeric attribute `key` of a start tag.
pub(crate) fn attr(tag: &(String, Vec<(String, String)>), key: &str) -> Option<f64> {
    tag.1
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.parse().ok())
}

/// Whether the start tag has `class` among its classes.
pub(crate) fn has_class(tag: &(String, Vec<(String, String)>), class: &str) -> bool {
    tag.1
        .iter()
        .any(|(k, v)| k == "class" && v.split(' ').any(|c| c == class))
}

/// The output contract: one balanced `<svg>` root with role, viewBox and no fixed size; title and
/// desc first; unique attributes; only known entities; no hard-coded colours; classed text.
pub(crate) fn assert_well_formed(svg: &str) {
    assert!(svg.starts_with("<svg "), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"), "{svg}");
    let root_end = svg.find('>').unwrap_or(0);
    let root = &svg[..root_end];
    for needed in ["role=\"img\"", "viewBox=\"0 0 ", "class=\"tl-chart "] {
        assert!(root.contains(needed), "root lacks {needed}: {root}");
    }
    assert!(
        !root.contains(" width=") && !root.contains(" height="),
        "{root}"
    );
    let body = svg[root_end + 1..].trim_start();
    assert!(body.starts_with("<title>"), "title first: {body}");
    let after_title = body
        .split_once("</title>")
        .map(|(_, a)| a.trim_start())
        .unwrap_or("");
    assert!(after_title.starts_with("<desc>"), "desc second");

    // Balanced tags, and text content that is properly escaped.
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(lt) = rest.find('<') {
        assert_entities(&rest[..lt]);
        let tail = &rest[lt..];
        let gt = tail.find('>').unwrap_or_else(|| panic!("unclosed tag"));
        let tag = &tail[1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            let name = tag.split(' ').next().unwrap_or(tag);
            stack.push(name);
        }
        assert_entities(tag);
        rest = &tail[gt + 1..];
        if stack.is_empty() {
            assert!(rest.trim().is_empty(), "content after the root: {rest}");
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");

    assert!(!svg.contains("=\"#"), "hard-coded colour left");
    for tag in start_tags(svg) {
        let mut keys: Vec<&str> = tag.1.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "duplicate attribute in <{}>", tag.0);
        if tag.0 == "text" {
            assert!(tag.1.iter().any(|(k, _)| k == "class"), "unclassed text");
        }
        for (key, value) in &tag.1 {
            if key == "fill" || key == "stroke" {
                assert!(value == "none" || value == "currentColor", "{key}={value}");
            }
            if key == "font-family" {
                assert_eq!(value, "sans-serif");
            }
        }
    }
}

fn assert_entities(text: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "bare & in {text}"
        );
    }
}

/// The same input renders to the same bytes.
pub(crate) fn same_twice<T>(input: &T, draw: fn(&T) -> Chart) {
    assert_eq!(draw(input), draw(input));
}
