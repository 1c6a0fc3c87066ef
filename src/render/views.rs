//! What each page's template sees as `page`: the content it shows, with URLs resolved and
//! Markdown rendered. Keep numbers here raw; templates format them with the filters.

use serde_json::{Map, Value, json};

use super::SiteData;
use super::pages::{PageKind, PageSpec};

/// The main navigation, in order.
pub fn nav(data: &SiteData) -> Value {
    let entries = [
        ("Overview", ""),
        ("Roadmap", "roadmap/"),
        ("Outcomes", "outcomes/"),
        ("Delivery", "delivery/"),
        ("Post-mortems", "postmortems/"),
        ("Reliability", "reliability/"),
        ("Risks", "risks/"),
    ];
    Value::Array(
        entries
            .iter()
            .map(|(title, path)| json!({"title": title, "url": data.url(path), "path": path}))
            .collect(),
    )
}

fn with_url(mut v: Value, url: String) -> Value {
    if let Value::Object(map) = &mut v {
        map.insert("url".into(), Value::String(url));
        map.remove("body");
    }
    v
}

/// `content`: every item, outcome, post-mortem and page by id, each with its `url`
/// (bodies are on their own pages only).
pub fn content(data: &SiteData) -> Value {
    let m = data.model;
    let by_id = |entries: Vec<(String, Value)>| {
        Value::Object(entries.into_iter().collect::<Map<String, Value>>())
    };
    json!({
        "items": by_id(m.items.iter().map(|x| (x.id.clone(), with_url(json!(x), data.url(&format!("roadmap/{}/", x.id))))).collect()),
        "outcomes": by_id(m.outcomes.iter().map(|x| (x.id.clone(), with_url(json!(x), data.url(&format!("outcomes/{}/", x.id))))).collect()),
        "postmortems": by_id(m.postmortems.iter().map(|x| (x.id.clone(), with_url(json!(x), data.url(&format!("postmortems/{}/", x.id))))).collect()),
        "pages": by_id(m.pages.iter().map(|x| (x.id.clone(), with_url(json!(x), data.url(&format!("pages/{}/", x.id))))).collect()),
        "services": data.services.iter().map(|(name, slug)| json!({"name": name, "url": data.url(&format!("services/{slug}/"))})).collect::<Vec<_>>(),
        "teams": data.teams.iter().map(|(name, slug)| json!({"name": name, "url": data.url(&format!("teams/{slug}/"))})).collect::<Vec<_>>(),
    })
}

/// The `page` object for one page.
pub fn page(spec: &PageSpec, data: &SiteData) -> Value {
    let m = data.model;
    let mut page = json!({
        "url": data.url(&spec.url),
        "path": spec.url,
        "template": spec.template,
        "source": spec.source,
    });
    let (kind, title, extra) = match &spec.kind {
        PageKind::Home => ("home", m.config.title.clone(), json!({})),
        PageKind::Roadmap => ("roadmap", "Roadmap".into(), json!({})),
        PageKind::Outcomes => ("outcomes", "Outcomes".into(), json!({})),
        PageKind::Postmortems => ("postmortems", "Post-mortems".into(), json!({})),
        PageKind::Delivery => ("delivery", "Delivery".into(), json!({})),
        PageKind::Reliability => ("reliability", "Reliability".into(), json!({})),
        PageKind::Risks => ("risks", "Risks".into(), json!({})),
        PageKind::Services => ("services", "Services".into(), json!({})),
        PageKind::Teams => ("teams", "Teams".into(), json!({})),
        PageKind::Item(i) => {
            let x = &m.items[*i];
            (
                "item",
                x.title.clone(),
                json!({"item": x, "body_html": data.markdown(&x.body)}),
            )
        }
        PageKind::Outcome(i) => {
            let x = &m.outcomes[*i];
            (
                "outcome",
                x.title.clone(),
                json!({"outcome": x, "body_html": data.markdown(&x.description)}),
            )
        }
        PageKind::Postmortem(i) => {
            let x = &m.postmortems[*i];
            (
                "postmortem",
                x.title.clone(),
                json!({"postmortem": x, "body_html": data.markdown(&x.body)}),
            )
        }
        PageKind::Service(name) => ("service", name.clone(), json!({"name": name})),
        PageKind::Team(name) => ("team", name.clone(), json!({"name": name})),
        PageKind::Page(i) => {
            let x = &m.pages[*i];
            (
                "page",
                x.title.clone(),
                json!({"body_html": data.markdown(&x.body)}),
            )
        }
        PageKind::Custom(name) => ("custom", name.clone(), json!({})),
        PageKind::NotFound => ("404", "Page not found".into(), json!({})),
    };
    if let (Value::Object(p), Value::Object(e)) = (&mut page, extra) {
        p.insert("kind".into(), kind.into());
        p.insert("title".into(), title.into());
        p.extend(e);
    }
    page
}
