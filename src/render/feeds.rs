//! Files for the outside world: `atom.xml`, `sitemap.xml`, `robots.txt`, `.nojekyll`.

use jiff::civil::Date;

use crate::content::keywords::{ItemStatus, PostmortemStatus};
use crate::model::Model;

/// `base_url` + a site path: an absolute URL when the base URL has a host. With only a path
/// (`/`, `/report/`) it is root-relative, which is all that can be said; `build` warns then.
pub fn absolute(base_url: &str, path: &str) -> String {
    format!("{base_url}{path}")
}

struct Entry {
    date: Date,
    title: String,
    path: String,
    summary: String,
    kind: &'static str,
}

/// Published post-mortems and shipped items, newest first.
pub fn atom(model: &Model, base_url: &str, as_of: Date) -> String {
    let mut entries: Vec<Entry> = Vec::new();
    for pm in model
        .postmortems
        .iter()
        .filter(|p| p.status == PostmortemStatus::Published && p.date <= as_of)
    {
        let summary = pm
            .impact
            .as_ref()
            .and_then(|i| i.summary.clone())
            .unwrap_or_else(|| {
                format!(
                    "{} incident affecting {}",
                    pm.severity,
                    pm.services.join(", ")
                )
            });
        entries.push(Entry {
            date: pm.date,
            title: format!("Post-mortem: {}", pm.title),
            path: format!("postmortems/{}/", pm.id),
            summary,
            kind: "postmortem",
        });
    }
    for item in model
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Shipped)
    {
        let Some(shipped) = item.shipped.filter(|d| *d <= as_of) else {
            continue;
        };
        let summary = item
            .summary
            .clone()
            .unwrap_or_else(|| format!("{} shipped", item.item_type));
        entries.push(Entry {
            date: shipped,
            title: format!("Shipped: {}", item.title),
            path: format!("roadmap/{}/", item.id),
            summary,
            kind: "roadmap",
        });
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    let updated = entries.first().map_or(as_of, |e| e.date);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    out.push_str(&format!(
        "  <title>{}</title>\n",
        crate::xml::escape(&model.config.title)
    ));
    if let Some(d) = &model.config.description {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            crate::xml::escape(d)
        ));
    }
    out.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n",
        crate::xml::escape(&absolute(base_url, "atom.xml"))
    ));
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n",
        crate::xml::escape(&absolute(base_url, ""))
    ));
    out.push_str(&format!(
        "  <id>{}</id>\n",
        crate::xml::escape(&absolute(base_url, ""))
    ));
    out.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n"));
    out.push_str("  <generator>throughline</generator>\n");
    for e in &entries {
        let url = crate::xml::escape(&absolute(base_url, &e.path));
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n",
            crate::xml::escape(&e.title)
        ));
        out.push_str(&format!("    <link href=\"{url}\"/>\n    <id>{url}</id>\n"));
        out.push_str(&format!("    <updated>{}T00:00:00Z</updated>\n", e.date));
        out.push_str(&format!("    <category term=\"{}\"/>\n", e.kind));
        out.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            crate::xml::escape(&model.config.title)
        ));
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            crate::xml::escape(&e.summary)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Every HTML page (but 404) with its absolute URL.
pub fn sitemap(page_urls: &[String], base_url: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in page_urls {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::xml::escape(&absolute(base_url, path))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(base_url: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        absolute(base_url, "sitemap.xml")
    )
}
