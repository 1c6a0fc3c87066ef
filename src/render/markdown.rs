//! Markdown → HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists and
//! heading anchors. Raw HTML is escaped unless the site allows it, and then cleaned.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Render `text`; links written root-relative (`/roadmap/x/`) are moved under `base_path`.
pub fn render(text: &str, allow_html: bool, base_path: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<Event> = Parser::new_ext(text, options).collect();
    let events = add_heading_ids(events);
    let events = events.into_iter().map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) if !allow_html => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: rebase(dest_url, base_path),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: rebase(dest_url, base_path),
            title,
            id,
        }),
        other => other,
    });
    let events = events.flat_map(phone_friendly);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    if allow_html { clean(&out) } else { out }
}

/// Tables scroll sideways inside their own box instead of widening the page, and task-list
/// checkboxes say what they mean to a screen reader (they are read-only marks, not inputs).
fn phone_friendly(event: Event<'_>) -> Vec<Event<'_>> {
    match event {
        Event::Start(Tag::Table(_)) => vec![
            Event::Html(CowStr::Borrowed(r#"<div class="table-scroll">"#)),
            event,
        ],
        Event::End(TagEnd::Table) => vec![event, Event::Html(CowStr::Borrowed("</div>"))],
        Event::TaskListMarker(done) => vec![Event::Html(CowStr::Borrowed(if done {
            r#"<input type="checkbox" disabled checked aria-label="Done"> "#
        } else {
            r#"<input type="checkbox" disabled aria-label="Not done"> "#
        }))],
        other => vec![other],
    }
}

/// Whether a link target would run script when followed (`javascript:`, `vbscript:`,
/// `data:`), however it is capitalised or padded with spaces and control characters.
pub fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|c| *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    url.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

fn rebase<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if is_script_url(&url) {
        return CowStr::from("#");
    }
    if url.starts_with('/') && !url.starts_with("//") && base_path != "/" {
        CowStr::from(format!("{}{}", base_path.trim_end_matches('/'), url))
    } else {
        url
    }
}

/// Keep safe HTML only: no scripts, event handlers or `javascript:` URLs.
fn clean(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class", "align"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        .clean(html)
        .to_string()
}

/// Give every heading without an explicit id a slug of its text, unique within the page.
fn add_heading_ids(events: Vec<Event>) -> Vec<Event> {
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            id: None,
            classes,
            attrs,
        }) = &events[i]
        {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let slug = unique(slugify(&text), &mut used);
            out.push(Event::Start(Tag::Heading {
                level: *level,
                id: Some(CowStr::from(slug)),
                classes: classes.clone(),
                attrs: attrs.clone(),
            }));
        } else {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[i] {
                used.insert(id.to_string());
            }
            out.push(events[i].clone());
        }
        i += 1;
    }
    out
}

/// A heading's anchor: `slug`, or `section` when that is empty.
pub fn slugify(text: &str) -> String {
    let slug = slug(text);
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

/// Lowercase letters and digits of `text`, other runs of characters made one `-`; empty
/// when `text` has no letter or digit.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

fn unique(slug: String, used: &mut HashSet<String>) -> String {
    let mut candidate = slug.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{slug}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped_by_default() {
        let html = render("Hi <script>alert(1)</script> <b>x</b>", false, "/");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn allowed_html_is_cleaned() {
        let html = render(
            "<b onclick=\"x()\">bold</b>\n\n<script>alert(1)</script>",
            true,
            "/",
        );
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(
            !html.contains("onclick") && !html.contains("<script"),
            "{html}"
        );
    }

    #[test]
    fn headings_get_unique_anchors() {
        let html = render(
            "# Root cause\n\n## Root cause\n\n## What went well?\n",
            false,
            "/",
        );
        assert!(html.contains("<h1 id=\"root-cause\">"), "{html}");
        assert!(html.contains("<h2 id=\"root-cause-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"what-went-well\">"), "{html}");
    }

    #[test]
    fn tables_footnotes_strikethrough_and_tasks() {
        let html = render(
            "|a|b|\n|-|-|\n|1|2|\n\n~~old~~ text[^1]\n\n[^1]: note\n\n- [x] done\n- [ ] todo\n",
            false,
            "/",
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
    }

    #[test]
    fn tables_scroll_in_their_own_box_and_checkboxes_are_labelled() {
        // With and without raw HTML (the cleaner must keep the wrapper and the labels).
        for allow_html in [false, true] {
            let html = render(
                "|a|b|\n|-|-|\n|1|2|\n\n- [x] done\n- [ ] todo\n",
                allow_html,
                "/",
            );
            assert!(
                html.starts_with("<div class=\"table-scroll\"><table>"),
                "{html}"
            );
            assert!(
                html.contains("</table></div>") || html.contains("</table>\n</div>"),
                "{html}"
            );
            assert_eq!(html.matches("aria-label=\"Done\"").count(), 1, "{html}");
            assert_eq!(html.matches("aria-label=\"Not done\"").count(), 1, "{html}");
            assert_eq!(html.matches("type=\"checkbox\"").count(), 2, "{html}");
        }
    }

    #[test]
    fn script_links_are_neutralised() {
        let html = render(
            "[a](javascript:alert(1)) [b]( JaVaScRiPt:x) [c](data:text/html,x) ![d](vbscript:x) [e](https://ok.example/javascript:)",
            false,
            "/",
        );
        assert!(!html.to_lowercase().contains("javascript:alert"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(!html.contains("vbscript"), "{html}");
        assert!(
            html.contains("href=\"https://ok.example/javascript:\""),
            "{html}"
        );
        assert_eq!(html.matches("href=\"#\"").count(), 3, "{html}");
    }

    #[test]
    fn root_relative_links_follow_the_base_path() {
        let html = render(
            "[item](/roadmap/x/) [ext](https://e.com/) [rel](../y/)",
            false,
            "/report/",
        );
        assert!(html.contains("href=\"/report/roadmap/x/\""), "{html}");
        assert!(html.contains("href=\"https://e.com/\""), "{html}");
        assert!(html.contains("href=\"../y/\""), "{html}");
    }
}
