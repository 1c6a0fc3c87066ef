//! `/services/`, `/services/<name>/`, `/teams/`, `/teams/<name>/`: everything touching one
//! service or one team — roadmap items, incidents, outcomes, open follow-ups.

use std::collections::BTreeSet;

use super::reliability::{open_action_items, service_rows};
use super::roadmap::group;
use super::{CARD_LIMIT, LIST_LIMIT, View, at, definitions, metric_key, outcome_attention};
use crate::content::keywords::ItemStatus;
use crate::render::value::{Json, Value, get};
use crate::val;

fn items_of(v: &View, service: &str) -> Vec<usize> {
    (0..v.model.items.len())
        .filter(|&i| v.model.items[i].services.iter().any(|s| s == service))
        .collect()
}

fn postmortems_of(v: &View, keep: impl Fn(&crate::content::Postmortem) -> bool) -> Vec<usize> {
    let mut list: Vec<usize> = (0..v.model.postmortems.len())
        .filter(|&p| keep(&v.model.postmortems[p]))
        .collect();
    list.sort_by(|&a, &b| {
        let (x, y) = (&v.model.postmortems[a], &v.model.postmortems[b]);
        y.started.cmp(&x.started).then_with(|| x.id.cmp(&y.id))
    });
    list
}

/// Outcome cards, what needs attention first, at most [`CARD_LIMIT`]; and how many were
/// left out.
fn outcome_cards(v: &View, outcomes: &BTreeSet<usize>) -> (Vec<Value>, usize) {
    let mut list: Vec<(usize, &str, usize)> = outcomes
        .iter()
        .map(|&o| {
            let status = at(v.outcome_metrics(&v.model.outcomes[o].id), &["status"]);
            (
                outcome_attention(status.as_str().unwrap_or("no-data")),
                v.model.outcomes[o].title.as_str(),
                o,
            )
        })
        .collect();
    list.sort();
    let shown = list.len().min(CARD_LIMIT);
    let cards = list[..shown]
        .iter()
        .map(|&(_, _, o)| v.outcome_card(o))
        .collect();
    (cards, list.len() - shown)
}

/// The latest [`LIST_LIMIT`] post-mortems of `list` (already latest first) as rows, and how
/// many were left out.
fn postmortem_rows(v: &View, list: &[usize]) -> (Vec<Value>, usize) {
    let shown = list.len().min(LIST_LIMIT);
    let rows = list[..shown].iter().map(|&p| v.postmortem_ref(p)).collect();
    (rows, list.len() - shown)
}

fn active(v: &View, items: &[usize]) -> usize {
    items
        .iter()
        .filter(|&&i| {
            !matches!(
                v.model.items[i].status,
                ItemStatus::Shipped | ItemStatus::Cancelled
            )
        })
        .count()
}

pub fn services_index(v: &View) -> Value {
    let rows: Vec<Value> = v
        .data
        .services
        .keys()
        .map(|name| {
            let items = items_of(v, name);
            let m = v.service_metrics(name);
            val!({
                "name": name,
                "url": v.service_url(name),
                "items": items.len(),
                "active_items": active(v, &items),
                "postmortems": v.model.postmortems.iter().filter(|p| p.services.iter().any(|s| s == name)).count(),
                "metrics": m,
                "key": metric_key(&["reliability", "services", name]),
            })
        })
        .collect();
    val!({
        "lead": "Every system the roadmap touches or an incident named, with its incident record.",
        "services": rows,
        "definitions": definitions(&[
            "reliability.services.incidents",
            "reliability.services.last",
            "reliability.services.mtbf_days",
            "reliability.services.recurring",
        ]),
    })
}

pub fn service(v: &View, name: &str) -> Value {
    let items = items_of(v, name);
    let postmortems = postmortems_of(v, |p| p.services.iter().any(|s| s == name));
    let outcomes: BTreeSet<usize> = items
        .iter()
        .flat_map(|&i| v.model.links.item_outcomes[i].iter().copied())
        .collect();
    let mut teams: BTreeSet<&str> = items
        .iter()
        .filter_map(|&i| v.model.items[i].team.as_deref())
        .collect();
    teams.extend(
        postmortems
            .iter()
            .flat_map(|&p| v.model.postmortems[p].teams.iter().map(String::as_str)),
    );
    let metrics = v.service_metrics(name);
    let (postmortem_list, postmortems_more) = postmortem_rows(v, &postmortems);
    let (cards, outcomes_more) = outcome_cards(v, &outcomes);
    val!({
        "lead": format!("Roadmap items that touch {name}, the incidents that named it and the outcomes those items should move."),
        "name": name,
        "metrics": metrics,
        "key": metric_key(&["reliability", "services", name]),
        "roadmap": group(v, "items".into(), ("", "Roadmap items"), None, &items),
        "postmortems": postmortem_list,
        "postmortems_count": postmortems.len(),
        "postmortems_more": postmortems_more,
        "postmortems_url": v.url("postmortems/"),
        "open_action_items": open_action_items(v, &postmortems),
        "outcomes": cards,
        "outcomes_count": outcomes.len(),
        "outcomes_more": outcomes_more,
        "outcomes_url": v.url("outcomes/"),
        "teams": teams.iter().map(|t| v.team_ref(t)).collect::<Vec<_>>(),
        "risks": v.risks_of(&format!("services/{name}")),
        "definitions": definitions(&[
            "reliability.services.incidents",
            "reliability.services.last",
            "reliability.services.mtbf_days",
            "reliability.services.recurring",
            "reliability.ttr",
        ]),
    })
}

fn team_items(v: &View, name: &str) -> Vec<usize> {
    (0..v.model.items.len())
        .filter(|&i| v.model.items[i].team.as_deref() == Some(name))
        .collect()
}

/// On-time share of a team's shipped items that had a baseline target.
fn on_time(v: &View, items: &[usize]) -> (usize, usize, Option<f64>) {
    let judged: Vec<bool> = items
        .iter()
        .filter_map(|&i| v.item_metrics(&v.model.items[i].id)["on_time"].as_bool())
        .collect();
    let yes = judged.iter().filter(|b| **b).count();
    let share = (!judged.is_empty()).then(|| yes as f64 / judged.len() as f64);
    (yes, judged.len(), share)
}

pub fn teams_index(v: &View) -> Value {
    let rows: Vec<Value> = v
        .data
        .teams
        .keys()
        .map(|name| {
            let items = team_items(v, name);
            let (yes, judged, share) = on_time(v, &items);
            val!({
                "name": name,
                "url": v.team_url(name),
                "items": items.len(),
                "active_items": active(v, &items),
                "shipped": items.iter().filter(|&&i| v.model.items[i].status == ItemStatus::Shipped).count(),
                "on_time": share,
                "on_time_count": yes,
                "judged": judged,
                "outcomes": v.model.outcomes.iter().filter(|o| o.team.as_deref() == Some(name.as_str())).count(),
                "postmortems": v.model.postmortems.iter().filter(|p| p.teams.iter().any(|t| t == name)).count(),
            })
        })
        .collect();
    val!({
        "lead": "Who builds what: each team's roadmap, outcomes and incidents.",
        "teams": rows,
        "definitions": definitions(&["views.team_on_time"]),
    })
}

pub fn team(v: &View, name: &str) -> Value {
    let items = team_items(v, name);
    let postmortems = postmortems_of(v, |p| p.teams.iter().any(|t| t == name));
    let mut outcomes: BTreeSet<usize> = (0..v.model.outcomes.len())
        .filter(|&o| v.model.outcomes[o].team.as_deref() == Some(name))
        .collect();
    outcomes.extend(
        items
            .iter()
            .flat_map(|&i| v.model.links.item_outcomes[i].iter().copied()),
    );
    let services: BTreeSet<&str> = items
        .iter()
        .flat_map(|&i| v.model.items[i].services.iter().map(String::as_str))
        .collect();
    let (yes, judged, share) = on_time(v, &items);
    let count = |f: &dyn Fn(&Json) -> bool| {
        items
            .iter()
            .filter(|&&i| f(v.item_metrics(&v.model.items[i].id)))
            .count()
    };
    let (postmortem_list, postmortems_more) = postmortem_rows(v, &postmortems);
    let (cards, outcomes_more) = outcome_cards(v, &outcomes);
    val!({
        "lead": format!("The roadmap items of the {name} team, the outcomes they own or move, and the incidents they reviewed."),
        "name": name,
        "stats": {
            "items": items.len(),
            "wip": items.iter().filter(|&&i| v.model.items[i].status == ItemStatus::InProgress).count(),
            "blocked": count(&|m| at(m, &["blocked"]).as_bool() == Some(true)),
            "overdue": count(&|m| !at(m, &["overdue_days"]).is_null()),
            "shipped": items.iter().filter(|&&i| v.model.items[i].status == ItemStatus::Shipped).count(),
            "on_time": share,
            "on_time_count": yes,
            "judged": judged,
        },
        "roadmap": group(v, "items".into(), ("", "Roadmap items"), None, &items),
        "outcomes": cards,
        "outcomes_count": outcomes.len(),
        "outcomes_more": outcomes_more,
        "outcomes_url": v.url("outcomes/"),
        "postmortems": postmortem_list,
        "postmortems_count": postmortems.len(),
        "postmortems_more": postmortems_more,
        "postmortems_url": v.url("postmortems/"),
        "open_action_items": open_action_items(v, &postmortems),
        "services": services.iter().map(|s| v.service_ref(s)).collect::<Vec<_>>(),
        "service_rows": service_rows(v).into_iter().filter(|r| get(r, "name").and_then(Value::as_str).is_some_and(|n| services.contains(n))).collect::<Vec<_>>(),
        "definitions": definitions(&["views.team_on_time", "delivery.blocked", "views.overdue_items"]),
    })
}
