//! What each page's template sees as `page`: the content it shows, with URLs resolved,
//! Markdown rendered, cross-links followed and charts drawn. Numbers stay raw (templates
//! format them with the filters) and come from metrics.json, so a page never disagrees
//! with it. The few numbers metrics.json does not hold (the home page's 90-day windows,
//! per-team counts, the slip histogram) are computed here and documented in
//! [`VIEW_DEFINITIONS`].
//!
//! Every page has `url`, `path`, `template`, `source`, `kind`, `title`, `section` (which
//! navigation entry it belongs to), `crumbs` (breadcrumb links) and `definitions` (how the
//! numbers on it are computed); the rest depends on the kind: see `docs/templates.md`.

mod delivery;
mod figures;
mod forecast;
mod history;
mod home;
mod labels;
mod outcomes;
mod postmortems;
mod reliability;
mod risks;
mod roadmap;
mod services;

use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::civil::Date;

use super::SiteData;
use super::pages::{PageKind, PageSpec};
use crate::content::keywords::Keyword;
use crate::metrics::Definition;
use crate::model::Model;
use crate::render::value::{Entries, Json, Value, merge, ser};
use crate::val;

pub use figures::chart_value;

/// The most entries a list on a page that gathers many (the roadmap board, a team's or a
/// service's items and incidents) shows; the rest are counted and linked to the complete
/// list (`/items/`, `/postmortems/`, `/outcomes/`).
pub const LIST_LIMIT: usize = 100;

/// The most outcome cards (each with its sparkline) a team or service page shows.
pub const CARD_LIMIT: usize = 48;

/// The main navigation, in order. `section` matches the `section` of the pages under it.
pub fn nav(data: &SiteData) -> Value {
    let entries = [
        ("Overview", "", "home"),
        ("Roadmap", "roadmap/", "roadmap"),
        ("Outcomes", "outcomes/", "outcomes"),
        ("Delivery", "delivery/", "delivery"),
        ("Post-mortems", "postmortems/", "postmortems"),
        ("Reliability", "reliability/", "reliability"),
        ("Risks", "risks/", "risks"),
        ("Services", "services/", "services"),
        ("Teams", "teams/", "teams"),
    ];
    Value::from(
        entries
            .iter()
            .map(|(title, path, section)| {
                val!({"title": title, "url": data.url(path), "path": path, "section": section})
            })
            .collect::<Vec<Value>>(),
    )
}

/// The free pages, for the footer: `[{title, url}]` sorted by id.
pub fn free_pages(data: &SiteData) -> Value {
    Value::from(
        data.model
            .pages
            .iter()
            .map(|p| val!({"title": p.title, "url": data.url(&format!("pages/{}/", p.id))}))
            .collect::<Vec<Value>>(),
    )
}

fn with_url(v: Value, url: String) -> Value {
    let mut map: Entries = v
        .as_map()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != Some("body"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    map.insert("url".into(), Value::from(url));
    Value::from(map)
}

/// `content`: every item, outcome, post-mortem and page by id, each with its `url`
/// (bodies are on their own pages only).
pub fn content(data: &SiteData) -> Value {
    let m = data.model;
    let by_id = |entries: Vec<(String, Value)>| {
        Value::from(
            entries
                .into_iter()
                .map(|(k, v)| (tera::value::Key::from(k), v))
                .collect::<Entries>(),
        )
    };
    val!({
        "items": by_id(m.items.iter().map(|x| (x.id.clone(), with_url(ser(x), data.url(&format!("roadmap/{}/", x.id))))).collect()),
        "outcomes": by_id(m.outcomes.iter().map(|x| (x.id.clone(), with_url(ser(x), data.url(&format!("outcomes/{}/", x.id))))).collect()),
        "postmortems": by_id(m.postmortems.iter().map(|x| (x.id.clone(), with_url(ser(x), data.url(&format!("postmortems/{}/", x.id))))).collect()),
        "pages": by_id(m.pages.iter().map(|x| (x.id.clone(), with_url(ser(x), data.url(&format!("pages/{}/", x.id))))).collect()),
        "services": data.services.iter().map(|(name, slug)| val!({"name": name, "url": data.url(&format!("services/{slug}/"))})).collect::<Vec<_>>(),
        "teams": data.teams.iter().map(|(name, slug)| val!({"name": name, "url": data.url(&format!("teams/{slug}/"))})).collect::<Vec<_>>(),
    })
}

/// The `page` object for one page.
pub fn page(spec: &PageSpec, data: &SiteData) -> Value {
    let v = View::new(data);
    let m = data.model;
    let (kind, section, title, extra) = match &spec.kind {
        PageKind::Home => (
            "home",
            "home",
            m.config.title.clone(),
            merge(home::page(&v), history::home(&v)),
        ),
        PageKind::Roadmap => ("roadmap", "roadmap", "Roadmap".into(), roadmap::index(&v)),
        PageKind::AllItems => (
            "items",
            "roadmap",
            "Every roadmap item".into(),
            roadmap::all(&v),
        ),
        PageKind::Item(i) => (
            "item",
            "roadmap",
            m.items[*i].title.clone(),
            merge(roadmap::item(&v, *i), history::item(&v, *i)),
        ),
        PageKind::Outcomes => (
            "outcomes",
            "outcomes",
            "Outcomes".into(),
            outcomes::index(&v),
        ),
        PageKind::Outcome(i) => (
            "outcome",
            "outcomes",
            m.outcomes[*i].title.clone(),
            outcomes::outcome(&v, *i),
        ),
        PageKind::Postmortems => (
            "postmortems",
            "postmortems",
            "Post-mortems".into(),
            postmortems::index(&v),
        ),
        PageKind::Postmortem(i) => (
            "postmortem",
            "postmortems",
            m.postmortems[*i].title.clone(),
            postmortems::postmortem(&v, *i),
        ),
        PageKind::Delivery => (
            "delivery",
            "delivery",
            "Delivery".into(),
            merge(delivery::page(&v), history::delivery(&v)),
        ),
        PageKind::Archive(list) => (
            "archive",
            "archive",
            "Archive".into(),
            history::archive(&v, list),
        ),
        PageKind::Changes => (
            "changes",
            "changes",
            "What changed".into(),
            history::page(&v),
        ),
        PageKind::Reliability => (
            "reliability",
            "reliability",
            "Reliability".into(),
            reliability::page(&v),
        ),
        PageKind::Risks => ("risks", "risks", "Risks".into(), risks::page(&v)),
        PageKind::Services => (
            "services",
            "services",
            "Services".into(),
            services::services_index(&v),
        ),
        PageKind::Service(name) => (
            "service",
            "services",
            name.clone(),
            services::service(&v, name),
        ),
        PageKind::Teams => ("teams", "teams", "Teams".into(), services::teams_index(&v)),
        PageKind::Team(name) => ("team", "teams", name.clone(), services::team(&v, name)),
        PageKind::Page(i) => {
            let x = &m.pages[*i];
            (
                "page",
                "pages",
                x.title.clone(),
                val!({"body_html": data.markdown(&x.body), "definitions": []}),
            )
        }
        PageKind::Custom(name) => ("custom", name.as_str(), name.clone(), val!({})),
        PageKind::NotFound => ("404", "404", "Page not found".into(), val!({})),
    };
    let mut page = Entries::new();
    page.insert("url".into(), data.url(&spec.url).into());
    page.insert("path".into(), spec.url.clone().into());
    page.insert("template".into(), spec.template.clone().into());
    page.insert("source".into(), spec.source.clone().into());
    page.insert("kind".into(), kind.into());
    page.insert("section".into(), section.into());
    page.insert("title".into(), title.into());
    page.insert("crumbs".into(), crumbs(&v, &spec.kind));
    page.insert("definitions".into(), val!([]));
    merge(Value::from(page), extra)
}

/// Breadcrumbs above the title of a detail page: `[{title, url}]` from the home page down.
fn crumbs(v: &View, kind: &PageKind) -> Value {
    let home = val!({"title": "Overview", "url": v.url("")});
    let parent = match kind {
        PageKind::Item(_) | PageKind::AllItems => Some(("Roadmap", "roadmap/")),
        PageKind::Outcome(_) => Some(("Outcomes", "outcomes/")),
        PageKind::Postmortem(_) => Some(("Post-mortems", "postmortems/")),
        PageKind::Service(_) => Some(("Services", "services/")),
        PageKind::Team(_) => Some(("Teams", "teams/")),
        _ => None,
    };
    match (kind, parent) {
        (PageKind::Home, _) => val!([]),
        (_, Some((title, path))) => val!([home, {"title": title, "url": v.url(path)}]),
        _ => val!([home]),
    }
}

/// Definitions of numbers the views compute themselves, because metrics.json does not
/// hold them (keys start with `views.`).
pub const VIEW_DEFINITIONS: &[Definition] = &[
    Definition {
        key: "views.incidents_90_days",
        label: "Incidents, last 90 days",
        formula: "post-mortems (drafts excluded) whose incident date — the local date of `started` — is in the 90 days ending at as_of (as_of − 89 … as_of); compared with the 90 days before (as_of − 179 … as_of − 90)",
    },
    Definition {
        key: "views.median_ttr_90_days",
        label: "Median TTR, last 90 days",
        formula: "median of resolved − started over the incidents of the 90 days ending at as_of, in minutes; compared with the same median over the 90 days before",
    },
    Definition {
        key: "views.overdue_items",
        label: "Overdue items",
        formula: "roadmap items with an overdue_days value: neither shipped nor cancelled, and past their baseline_target",
    },
    Definition {
        key: "views.likely_late",
        label: "Likely late",
        formula: "committed items — planned or in progress, with a target and a forecast — whose chance of shipping by the target is below 50%; the items the risk list names likely-late",
    },
    Definition {
        key: "views.slip_histogram",
        label: "Slip distribution",
        formula: "shipped items with a baseline_target, counted by slip = shipped − baseline_target in days, in bins: early (< 0), on the day (0), 1–7, 8–14, 15–30, 31–60, over 60",
    },
    Definition {
        key: "views.team_on_time",
        label: "On time (team)",
        formula: "the team's shipped items with a baseline_target that shipped on or before it ÷ all such items of the team",
    },
    Definition {
        key: "views.open_action_items",
        label: "Open action items",
        formula: "action items open or in progress, of the post-mortems shown",
    },
];

/// The definition of a metric or view number, as `{key, label, formula}`; `null` when the
/// key is unknown.
pub fn definition(key: &str) -> Value {
    // Built once: many pages list the same definitions.
    static ALL: OnceLock<HashMap<&'static str, Value>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        crate::metrics::definitions()
            .chain(VIEW_DEFINITIONS)
            .map(|d| {
                let value = val!({"key": d.key, "label": d.label, "formula": labels::for_readers(d.formula)});
                (d.key, value)
            })
            .collect()
    });
    all.get(key).cloned().unwrap_or_else(Value::none)
}

/// The formula of a metric or view number, in a reader's words.
pub fn formula(key: &str) -> Option<String> {
    lookup(key).map(|d| labels::for_readers(d.formula))
}

/// The definition of a metric or view number.
pub fn lookup(key: &str) -> Option<&'static Definition> {
    crate::metrics::definition(key).or_else(|| VIEW_DEFINITIONS.iter().find(|d| d.key == key))
}

/// The definitions of `keys`, in order, unknown keys left out.
pub fn definitions(keys: &[&str]) -> Value {
    Value::from(
        keys.iter()
            .map(|k| definition(k))
            .filter(|d| !d.is_none())
            .collect::<Vec<Value>>(),
    )
}

static NULL: Json = Json::Null;

/// The value at `path` in `value` (object keys), or null.
pub fn at<'v>(value: &'v Json, path: &[&str]) -> &'v Json {
    let mut cur = value;
    for key in path {
        match cur.get(*key) {
            Some(next) => cur = next,
            None => return &NULL,
        }
    }
    cur
}

/// A `data-metric` key: a path into metrics.json, segments joined by `/` with `~` and `/`
/// escaped as in JSON Pointer. A segment that meets an array picks the element whose
/// `quarter`, `month` or `date` equals it (`delivery/quarters/2026-Q3/say_do`,
/// `forecast/calibration/checkpoints/2026-07-01/hit_p50`).
pub fn metric_key(segments: &[&str]) -> String {
    let mut key = String::with_capacity(segments.iter().map(|s| s.len() + 1).sum());
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            key.push('/');
        }
        for c in segment.chars() {
            match c {
                '~' => key.push_str("~0"),
                '/' => key.push_str("~1"),
                c => key.push(c),
            }
        }
    }
    key
}

/// Fragments many pages show (an item's row, an outcome's badge and card with its
/// sparkline, a post-mortem's row), each built on first use and then shared: template
/// values are reference counted, so every page that lists one holds the same value.
pub struct Shared {
    item_refs: Vec<OnceLock<Value>>,
    outcome_badges: Vec<OnceLock<Value>>,
    outcome_cards: Vec<OnceLock<Value>>,
    postmortem_refs: Vec<OnceLock<Value>>,
    /// By index into `metrics.risks`.
    risks: Vec<OnceLock<Value>>,
}

impl Shared {
    pub fn new(model: &Model, metrics: &Json) -> Shared {
        let slots = |n: usize| (0..n).map(|_| OnceLock::new()).collect();
        let risks = metrics
            .get("risks")
            .and_then(Json::as_array)
            .map_or(0, Vec::len);
        Shared {
            item_refs: slots(model.items.len()),
            outcome_badges: slots(model.outcomes.len()),
            outcome_cards: slots(model.outcomes.len()),
            postmortem_refs: slots(model.postmortems.len()),
            risks: slots(risks),
        }
    }
}

/// The value in `slots[i]`, built by `make` the first time.
fn shared(slots: &[OnceLock<Value>], i: usize, make: impl FnOnce() -> Value) -> Value {
    match slots.get(i) {
        Some(slot) => slot.get_or_init(make).clone(),
        None => make(),
    }
}

/// The model, metrics and URLs one page is built from.
pub struct View<'a> {
    pub data: &'a SiteData<'a>,
    pub model: &'a Model,
    pub metrics: &'a Json,
    pub as_of: Date,
}

impl<'a> View<'a> {
    pub fn new(data: &'a SiteData<'a>) -> View<'a> {
        let as_of = data
            .metrics
            .get("as_of")
            .and_then(Json::as_str)
            .and_then(|s| s.parse::<Date>().ok())
            .or(data.model.config.as_of)
            .unwrap_or_default();
        View {
            data,
            model: data.model,
            metrics: data.metrics,
            as_of,
        }
    }

    pub fn url(&self, path: &str) -> String {
        self.data.url(path)
    }

    pub fn metric(&self, path: &[&str]) -> &'a Json {
        at(self.metrics, path)
    }

    pub fn item_metrics(&self, id: &str) -> &'a Json {
        self.metric(&["delivery", "items", id])
    }

    pub fn outcome_metrics(&self, id: &str) -> &'a Json {
        self.metric(&["outcomes", "items", id])
    }

    pub fn incident_metrics(&self, id: &str) -> &'a Json {
        self.metric(&["reliability", "incidents", id])
    }

    pub fn service_metrics(&self, name: &str) -> &'a Json {
        self.metric(&["reliability", "services", name])
    }

    pub fn service_url(&self, name: &str) -> Option<String> {
        self.data
            .services
            .get(name)
            .map(|slug| self.url(&format!("services/{slug}/")))
    }

    pub fn team_url(&self, name: &str) -> Option<String> {
        self.data
            .teams
            .get(name)
            .map(|slug| self.url(&format!("teams/{slug}/")))
    }

    /// `{name, url}` for a service (url null if it has no page).
    pub fn service_ref(&self, name: &str) -> Value {
        val!({"name": name, "url": self.service_url(name)})
    }

    pub fn team_ref(&self, name: &str) -> Value {
        val!({"name": name, "url": self.team_url(name)})
    }

    /// A roadmap item as lists and cards show it.
    pub fn item_ref(&self, i: usize) -> Value {
        shared(&self.data.shared.item_refs, i, || self.make_item_ref(i))
    }

    fn make_item_ref(&self, i: usize) -> Value {
        let x = &self.model.items[i];
        let m = self.item_metrics(&x.id);
        val!({
            "id": x.id,
            "title": x.title,
            "url": self.url(&format!("roadmap/{}/", x.id)),
            "summary": x.summary,
            "status": labels::item_status(x.status),
            "type": labels::item_type(x.item_type),
            "horizon": x.horizon.map(|h| h.as_str()),
            "team": x.team.as_deref().map(|t| self.team_ref(t)),
            "owner": x.owner,
            "start": x.start,
            "target": x.target,
            "baseline_target": x.baseline_target,
            "shipped": x.shipped,
            "blocked": m.get("blocked").and_then(Json::as_bool).unwrap_or(false),
            "overdue_days": at(m, &["overdue_days"]),
            "slip_days": at(m, &["slip_days"]),
            "on_time": at(m, &["on_time"]),
            "metric_key": metric_key(&["delivery", "items", &x.id]),
            "readiness": x.readiness.iter().map(|r| r.message()).collect::<Vec<_>>(),
            "outcomes": self.model.links.item_outcomes[i].iter().map(|&o| self.outcome_badge(o)).collect::<Vec<_>>(),
        })
    }

    /// An outcome's title, link and status: for lists of links.
    pub fn outcome_badge(&self, o: usize) -> Value {
        shared(&self.data.shared.outcome_badges, o, || {
            self.make_outcome_badge(o)
        })
    }

    fn make_outcome_badge(&self, o: usize) -> Value {
        let x = &self.model.outcomes[o];
        let status = self
            .outcome_metrics(&x.id)
            .get("status")
            .and_then(Json::as_str)
            .unwrap_or("no-data");
        val!({
            "id": x.id,
            "title": x.title,
            "url": self.url(&format!("outcomes/{}/", x.id)),
            "status": labels::outcome_status(status),
        })
    }

    /// An outcome with its numbers and sparkline: for cards and tables.
    pub fn outcome_card(&self, o: usize) -> Value {
        shared(&self.data.shared.outcome_cards, o, || {
            self.make_outcome_card(o)
        })
    }

    fn make_outcome_card(&self, o: usize) -> Value {
        let x = &self.model.outcomes[o];
        let m = self.outcome_metrics(&x.id);
        let progress = at(m, &["progress"]).as_f64();
        let expected = at(m, &["expected"]).as_f64();
        merge(
            self.outcome_badge(o),
            val!({
                    "unit": x.unit,
                    "direction": x.direction.as_str(),
                    "baseline": ser(&x.baseline),
                    "target": ser(&x.target),
                    "current": at(m, &["current"]),
                    "progress": at(m, &["progress"]),
                    "expected": at(m, &["expected"]),
                    "achieved_on": at(m, &["achieved_on"]),
                    "late": at(m, &["late"]),
                    "metric_key": metric_key(&["outcomes", "items", &x.id]),
                    // Bar widths in percent, clamped to the bar; the text shows the real value.
                    "progress_bar": progress.map(|p| (p * 100.0).clamp(0.0, 100.0).round()),
                    "expected_bar": expected.map(|p| (p * 100.0).clamp(0.0, 100.0).round()),
                    "owner": x.owner,
                    "team": x.team.as_deref().map(|t| self.team_ref(t)),
                    "sparkline": chart_value(&figures::outcome_sparkline(x, self.as_of), &format!("spark-{}", x.id)),
                    "linked_items": self.model.links.outcome_items[o].len(),
            }),
        )
    }

    /// A post-mortem as lists show it.
    pub fn postmortem_ref(&self, p: usize) -> Value {
        shared(&self.data.shared.postmortem_refs, p, || {
            self.make_postmortem_ref(p)
        })
    }

    fn make_postmortem_ref(&self, p: usize) -> Value {
        let x = &self.model.postmortems[p];
        let total = x.action_items.len();
        let done = x
            .action_items
            .iter()
            .filter(|a| a.status == crate::content::keywords::ActionStatus::Done)
            .count();
        let overdue = x
            .action_items
            .iter()
            .filter(|a| crate::metrics::reliability::is_overdue(a, self.as_of))
            .count();
        val!({
            "id": x.id,
            "title": x.title,
            "url": self.url(&format!("postmortems/{}/", x.id)),
            "date": x.date,
            "status": x.status.as_str(),
            "severity": labels::severity(&self.model.config, &x.severity),
            "services": x.services.iter().map(|s| self.service_ref(s)).collect::<Vec<_>>(),
            "ttr": at(self.incident_metrics(&x.id), &["ttr"]),
            "metric_key": metric_key(&["reliability", "incidents", &x.id]),
            "action_items": {"total": total, "done": done, "overdue": overdue},
        })
    }

    /// Where a risk's subject (`roadmap/<id>`, `services/<name>`, …) is shown, and its name.
    pub fn subject(&self, subject: &str) -> (String, Option<String>) {
        let (kind, rest) = subject.split_once('/').unwrap_or((subject, ""));
        match kind {
            "roadmap" => match self.model.item_index(rest) {
                Some(i) => (
                    self.model.items[i].title.clone(),
                    Some(self.url(&format!("roadmap/{rest}/"))),
                ),
                None => (rest.to_string(), None),
            },
            "outcomes" => match self.model.outcome_index(rest) {
                Some(i) => (
                    self.model.outcomes[i].title.clone(),
                    Some(self.url(&format!("outcomes/{rest}/"))),
                ),
                None => (rest.to_string(), None),
            },
            "postmortems" => match self.model.postmortem_index(rest) {
                Some(i) => (
                    self.model.postmortems[i].title.clone(),
                    Some(self.url(&format!("postmortems/{rest}/"))),
                ),
                None => (rest.to_string(), None),
            },
            "services" => (rest.to_string(), self.service_url(rest)),
            "delivery" => (
                format!("{} capacity", capacity_label(rest)),
                Some(self.url(&format!("delivery/#capacity-{rest}"))),
            ),
            _ => (subject.to_string(), None),
        }
    }

    /// One risk as lists show it: `{kind, label, tone, subject, name, url, message}`.
    pub fn risk(&self, risk: &Json) -> Value {
        let kind = risk.get("kind").and_then(Json::as_str).unwrap_or("");
        let subject = risk.get("subject").and_then(Json::as_str).unwrap_or("");
        let (name, url) = self.subject(subject);
        let label = crate::metrics::definition(&format!("risks.{kind}"))
            .map_or(kind.to_string(), |d| d.label.to_string());
        val!({
            "kind": kind,
            "label": label,
            "tone": labels::risk_tone(kind),
            "subject": subject,
            "name": name,
            "url": url,
            "message": risk.get("message"),
        })
    }

    /// Every risk, each as [`View::risk`], in the metrics' order.
    pub fn risks(&self) -> Vec<Value> {
        let count = self.metric(&["risks"]).as_array().map_or(0, Vec::len);
        (0..count).filter_map(|i| self.risk_at(i)).collect()
    }

    /// The risk at index `i` of `metrics.risks`, as [`View::risk`] (built once).
    fn risk_at(&self, i: usize) -> Option<Value> {
        let risk = self.metric(&["risks"]).as_array()?.get(i)?;
        Some(shared(&self.data.shared.risks, i, || self.risk(risk)))
    }

    /// The risks whose subject is `subject`.
    pub fn risks_of(&self, subject: &str) -> Vec<Value> {
        self.data
            .risks_by_subject
            .get(subject)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.risk_at(i))
            .collect()
    }

    /// A date-time as the site's local time: `2026-09-03 16:12 CEST`.
    pub fn local_time(&self, ts: jiff::Timestamp) -> String {
        ts.to_zoned_datetime(self.model.config.tz.clone())
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string()
    }

    /// The same moment as a `<time datetime>` value: `2026-07-14T14:45-04:00`, the local
    /// time with its offset (HTML's global date and time; the zone abbreviation is not valid).
    pub fn machine_time(&self, ts: jiff::Timestamp) -> String {
        ts.to_zoned_datetime(self.model.config.tz.clone())
            .strftime("%Y-%m-%dT%H:%M%:z")
            .to_string()
    }

    /// `as_of` moved by `days` (saturating at the ends of the calendar).
    pub fn days_from_as_of(&self, days: i64) -> Date {
        self.as_of
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(self.as_of)
    }
}

fn capacity_label(item_type: &str) -> &'static str {
    crate::content::keywords::parse_keyword::<crate::content::keywords::ItemType>(item_type)
        .map_or("Unknown type", labels::item_type_label)
}

/// Sort key for outcomes on lists: what needs attention first, then by title.
fn outcome_attention(status: &str) -> usize {
    labels::OUTCOME_ATTENTION_ORDER
        .iter()
        .position(|s| *s == status)
        .unwrap_or(labels::OUTCOME_ATTENTION_ORDER.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_keys_escape_like_json_pointer() {
        assert_eq!(
            metric_key(&["reliability", "services", "a/b~c", "last"]),
            "reliability/services/a~1b~0c/last"
        );
    }

    #[test]
    fn definitions_are_found_with_their_labels() {
        // The labels readers see beside these numbers, written out here rather than read
        // from the tables they come from.
        let expected = [
            ("views.incidents_90_days", "Incidents, last 90 days"),
            ("views.median_ttr_90_days", "Median TTR, last 90 days"),
            ("views.overdue_items", "Overdue items"),
            ("views.likely_late", "Likely late"),
            ("views.slip_histogram", "Slip distribution"),
            ("views.team_on_time", "On time (team)"),
            ("views.open_action_items", "Open action items"),
            ("delivery.say_do", "Say/do"),
            ("delivery.slip_days", "Slip"),
            ("delivery.rice_score", "RICE score"),
        ];
        for (key, label) in expected {
            let d = definition(key);
            let text = |field: &str| {
                crate::render::value::get(&d, field)
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            assert_eq!(text("key").as_deref(), Some(key));
            assert_eq!(text("label").as_deref(), Some(label), "{key}");
            assert!(text("formula").is_some_and(|f| f.len() > 20), "{key}");
            assert_eq!(lookup(key).map(|d| d.label), Some(label), "{key}");
        }
        // Every number the views compute is in the list above.
        let views: Vec<&str> = VIEW_DEFINITIONS.iter().map(|d| d.key).collect();
        assert_eq!(
            views,
            expected[..7].iter().map(|(k, _)| *k).collect::<Vec<_>>()
        );
        assert!(definition("nope").is_none());
        assert!(lookup("views.nope").is_none());
        // In the order asked for, unknown keys left out.
        let list = definitions(&["delivery.slip_days", "nope", "views.overdue_items"]);
        let labels: Vec<String> = list
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(|d| crate::render::value::get(d, "label"))
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(labels, ["Slip", "Overdue items"]);
    }
}
