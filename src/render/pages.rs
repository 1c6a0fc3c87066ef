//! Which pages the site has, where each goes, which template draws it, and which content
//! it depends on (so a change re-renders only what it must).

use std::collections::BTreeMap;

use crate::model::Model;
use crate::render::markdown::slugify;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageKind {
    Home,
    Roadmap,
    /// `/items/`: every roadmap item, the complete list behind the capped ones.
    AllItems,
    Item(usize),
    Outcomes,
    Outcome(usize),
    Postmortems,
    Postmortem(usize),
    Delivery,
    /// `/changes/`: what changed since the review point (only when history is on).
    Changes,
    /// `/archive/`: the quarterly snapshots, each `(quarter, as_of, commit)`.
    Archive(Vec<(String, String, String)>),
    Reliability,
    Risks,
    Services,
    Service(String),
    Teams,
    Team(String),
    Page(usize),
    /// A site template `templates/custom/<name>.html`, rendered at `/<name>/`.
    Custom(String),
    NotFound,
}

/// What a page's output depends on: everything (lists, dashboards, metrics pages), or the
/// content files with these keys (`roadmap/<id>`, `outcomes/<id>`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deps {
    All,
    Keys(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageSpec {
    pub kind: PageKind,
    /// Output file, relative to the output root (`roadmap/x/index.html`).
    pub file: String,
    /// URL path relative to the base (`roadmap/x/`).
    pub url: String,
    pub template: String,
    /// The content file the page shows, for error messages (broken links).
    pub source: Option<String>,
    pub deps: Deps,
}

/// URL slugs for free-text names (services, teams), unique per name.
pub fn name_slugs<'a>(names: impl Iterator<Item = &'a String>) -> BTreeMap<String, String> {
    let mut slugs: BTreeMap<String, String> = BTreeMap::new();
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut sorted: Vec<&String> = names.collect();
    sorted.sort();
    sorted.dedup();
    for name in sorted {
        let base = slugify(name);
        let mut slug = base.clone();
        let mut n = 2;
        while used.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        used.insert(slug.clone());
        slugs.insert(name.clone(), slug);
    }
    slugs
}

pub fn services(model: &Model) -> BTreeMap<String, String> {
    name_slugs(
        model
            .items
            .iter()
            .flat_map(|i| i.services.iter())
            .chain(model.postmortems.iter().flat_map(|p| p.services.iter())),
    )
}

pub fn teams(model: &Model) -> BTreeMap<String, String> {
    name_slugs(
        model
            .items
            .iter()
            .filter_map(|i| i.team.as_ref())
            .chain(model.outcomes.iter().filter_map(|o| o.team.as_ref()))
            .chain(model.postmortems.iter().flat_map(|p| p.teams.iter())),
    )
}

fn spec(
    kind: PageKind,
    url: String,
    template: &str,
    source: Option<String>,
    deps: Deps,
) -> PageSpec {
    let file = if url.is_empty() {
        "index.html".to_string()
    } else {
        format!("{url}index.html")
    };
    PageSpec {
        kind,
        file,
        url,
        template: template.to_string(),
        source,
        deps,
    }
}

/// `/changes/`, added to the pages when history is on.
pub fn changes() -> PageSpec {
    spec(
        PageKind::Changes,
        "changes/".into(),
        "changes.html",
        None,
        Deps::All,
    )
}

/// `/archive/`, listing the snapshots built under `/archive/<quarter>/`.
pub fn archive(snapshots: Vec<(String, String, String)>) -> PageSpec {
    spec(
        PageKind::Archive(snapshots),
        "archive/".into(),
        "archive.html",
        None,
        Deps::All,
    )
}

/// The custom pages whose output file is also a built-in page's, by name.
pub fn custom_clashes(specs: &[PageSpec]) -> Vec<String> {
    let built_in: std::collections::HashSet<&str> = specs
        .iter()
        .filter(|s| !matches!(s.kind, PageKind::Custom(_)))
        .map(|s| s.file.as_str())
        .collect();
    specs
        .iter()
        .filter_map(|s| match &s.kind {
            PageKind::Custom(name) if built_in.contains(s.file.as_str()) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// Every page of the site, in a stable order.
pub fn all(model: &Model, custom_templates: &[String]) -> Vec<PageSpec> {
    let l = &model.links;
    let mut pages = vec![
        spec(PageKind::Home, String::new(), "index.html", None, Deps::All),
        spec(
            PageKind::Roadmap,
            "roadmap/".into(),
            "roadmap.html",
            None,
            Deps::All,
        ),
        spec(
            PageKind::AllItems,
            "items/".into(),
            "items.html",
            None,
            Deps::All,
        ),
        spec(
            PageKind::Outcomes,
            "outcomes/".into(),
            "outcomes.html",
            None,
            Deps::All,
        ),
        spec(
            PageKind::Postmortems,
            "postmortems/".into(),
            "postmortems.html",
            None,
            Deps::All,
        ),
        spec(
            PageKind::Delivery,
            "delivery/".into(),
            "delivery.html",
            None,
            Deps::All,
        ),
        spec(
            PageKind::Reliability,
            "reliability/".into(),
            "reliability.html",
            None,
            Deps::All,
        ),
        spec(
            PageKind::Risks,
            "risks/".into(),
            "risks.html",
            None,
            Deps::All,
        ),
        spec(
            PageKind::Services,
            "services/".into(),
            "services.html",
            None,
            Deps::All,
        ),
        spec(
            PageKind::Teams,
            "teams/".into(),
            "teams.html",
            None,
            Deps::All,
        ),
    ];
    for (i, item) in model.items.iter().enumerate() {
        let mut keys = vec![format!("roadmap/{}", item.id)];
        keys.extend(
            l.item_outcomes[i]
                .iter()
                .map(|&o| format!("outcomes/{}", model.outcomes[o].id)),
        );
        keys.extend(
            l.item_dependencies[i]
                .iter()
                .chain(&l.item_dependents[i])
                .map(|&d| format!("roadmap/{}", model.items[d].id)),
        );
        keys.extend(
            l.item_postmortems[i]
                .iter()
                .map(|&p| format!("postmortems/{}", model.postmortems[p].id)),
        );
        keys.extend(
            l.item_action_items[i]
                .iter()
                .map(|&(p, _)| format!("postmortems/{}", model.postmortems[p].id)),
        );
        pages.push(spec(
            PageKind::Item(i),
            format!("roadmap/{}/", item.id),
            "item.html",
            Some(item.path.clone()),
            Deps::Keys(keys),
        ));
    }
    for (o, outcome) in model.outcomes.iter().enumerate() {
        let mut keys = vec![format!("outcomes/{}", outcome.id)];
        keys.extend(
            l.outcome_items[o]
                .iter()
                .map(|&i| format!("roadmap/{}", model.items[i].id)),
        );
        pages.push(spec(
            PageKind::Outcome(o),
            format!("outcomes/{}/", outcome.id),
            "outcome.html",
            Some(outcome.path.clone()),
            Deps::Keys(keys),
        ));
    }
    for (p, pm) in model.postmortems.iter().enumerate() {
        let mut keys = vec![format!("postmortems/{}", pm.id)];
        keys.extend(
            l.postmortem_items[p]
                .iter()
                .map(|&i| format!("roadmap/{}", model.items[i].id)),
        );
        keys.extend(
            l.action_item_roadmap[p]
                .iter()
                .flatten()
                .map(|&i| format!("roadmap/{}", model.items[i].id)),
        );
        pages.push(spec(
            PageKind::Postmortem(p),
            format!("postmortems/{}/", pm.id),
            "postmortem.html",
            Some(pm.path.clone()),
            Deps::Keys(keys),
        ));
    }
    for (name, slug) in services(model) {
        pages.push(spec(
            PageKind::Service(name),
            format!("services/{slug}/"),
            "service.html",
            None,
            Deps::All,
        ));
    }
    for (name, slug) in teams(model) {
        pages.push(spec(
            PageKind::Team(name),
            format!("teams/{slug}/"),
            "team.html",
            None,
            Deps::All,
        ));
    }
    for (i, page) in model.pages.iter().enumerate() {
        pages.push(spec(
            PageKind::Page(i),
            format!("pages/{}/", page.id),
            "page.html",
            Some(page.path.clone()),
            Deps::Keys(vec![format!("pages/{}", page.id)]),
        ));
    }
    for name in custom_templates {
        pages.push(spec(
            PageKind::Custom(name.clone()),
            format!("{name}/"),
            &format!("custom/{name}.html"),
            None,
            Deps::All,
        ));
    }
    let mut not_found = spec(
        PageKind::NotFound,
        String::new(),
        "404.html",
        None,
        Deps::All,
    );
    not_found.file = "404.html".into();
    not_found.url = "404.html".into();
    pages.push(not_found);
    pages
}
