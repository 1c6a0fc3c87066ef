//! `/roadmap/` (the Now / Next / Later board, shipped and cancelled lists, timeline, lists by
//! team and type) and `/roadmap/<id>/` (one item with everything linked to it).

use super::figures::{self, chart_value};
use super::{LIST_LIMIT, View, at, definitions, labels, metric_key};
use crate::content::keywords::{Horizon, ItemStatus, Keyword};
use crate::metrics::delivery::ITEM_TYPES;
use crate::render::filters::format_number;
use crate::render::value::{Json, Value, merge, ser, with};
use crate::val;

/// Board order inside a column: in progress, planned, paused, idea; then by target date
/// (undated last) and title.
fn board_order(v: &View, items: &mut [usize]) {
    let rank = |s: ItemStatus| match s {
        ItemStatus::InProgress => 0,
        ItemStatus::Planned => 1,
        ItemStatus::Paused => 2,
        _ => 3,
    };
    items.sort_by(|&a, &b| {
        let (x, y) = (&v.model.items[a], &v.model.items[b]);
        rank(x.status)
            .cmp(&rank(y.status))
            .then_with(|| match (x.target, y.target) {
                (Some(p), Some(q)) => p.cmp(&q),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| x.title.cmp(&y.title))
    });
}

fn refs(v: &View, items: &[usize]) -> Vec<Value> {
    items.iter().map(|&i| v.item_ref(i)).collect()
}

/// The first [`LIST_LIMIT`] of `items` as refs, and how many were left out.
fn limited_refs(v: &View, items: &[usize]) -> (Vec<Value>, usize) {
    let shown = items.len().min(LIST_LIMIT);
    (refs(v, &items[..shown]), items.len() - shown)
}

/// Every item's status group, in board order, for `/items/`.
const STATUS_GROUPS: [(ItemStatus, &str); 6] = [
    (ItemStatus::InProgress, "In progress"),
    (ItemStatus::Planned, "Planned"),
    (ItemStatus::Paused, "Paused"),
    (ItemStatus::Idea, "Ideas"),
    (ItemStatus::Shipped, "Shipped"),
    (ItemStatus::Cancelled, "Cancelled"),
];

/// `/items/`: every roadmap item, by status; the complete list the capped lists point to.
pub fn all(v: &View) -> Value {
    let groups: Vec<Value> = STATUS_GROUPS
        .iter()
        .filter_map(|(status, title)| {
            let mut list: Vec<usize> = (0..v.model.items.len())
                .filter(|&i| v.model.items[i].status == *status)
                .collect();
            if *status == ItemStatus::Shipped {
                sort_shipped(v, &mut list);
            } else {
                board_order(v, &mut list);
            }
            (!list.is_empty()).then(|| {
                val!({
                    "status": status.as_str(),
                    "title": title,
                    "count": list.len(),
                    "items": refs(v, &list),
                })
            })
        })
        .collect();
    val!({
        "lead": "Every roadmap item, by status: in progress, planned, paused, ideas, shipped (latest first) and cancelled.",
        "count": v.model.items.len(),
        "groups": groups,
        "definitions": definitions(&["delivery.slip_days", "delivery.overdue_days"]),
    })
}

fn sort_shipped(v: &View, list: &mut [usize]) {
    list.sort_by(|&a, &b| {
        let (x, y) = (&v.model.items[a], &v.model.items[b]);
        y.shipped
            .cmp(&x.shipped)
            .then_with(|| x.title.cmp(&y.title))
    });
}

/// The board's columns, then shipped (latest first) and cancelled items, of `items`.
pub(super) fn board(v: &View, items: &[usize]) -> (Value, Vec<usize>, Vec<usize>) {
    let columns = [
        (
            Horizon::Now,
            "Being built now: in progress, or pulled forward.",
        ),
        (Horizon::Next, "Committed and planned to start next."),
        (Horizon::Later, "Ideas and paused work, not yet committed."),
    ];
    let board: Vec<Value> = columns
        .iter()
        .map(|(h, description)| {
            let mut list: Vec<usize> = items
                .iter()
                .copied()
                .filter(|&i| v.model.items[i].horizon == Some(*h))
                .collect();
            board_order(v, &mut list);
            let (shown, more) = limited_refs(v, &list);
            val!({
                "key": h.as_str(),
                "title": labels::horizon_label(*h),
                "description": description,
                "count": list.len(),
                "items": shown,
                "more": more,
                "more_url": v.url("items/"),
            })
        })
        .collect();
    let mut shipped: Vec<usize> = items
        .iter()
        .copied()
        .filter(|&i| v.model.items[i].status == ItemStatus::Shipped)
        .collect();
    sort_shipped(v, &mut shipped);
    let mut cancelled: Vec<usize> = items
        .iter()
        .copied()
        .filter(|&i| v.model.items[i].status == ItemStatus::Cancelled)
        .collect();
    cancelled.sort_by(|&a, &b| v.model.items[a].title.cmp(&v.model.items[b].title));
    (Value::from(board), shipped, cancelled)
}

/// Items of one team or type, as sections of the page (the filters without JavaScript).
pub(super) fn group(
    v: &View,
    anchor: String,
    (value, title): (&str, &str),
    url: Option<String>,
    items: &[usize],
) -> Value {
    let (board, shipped, cancelled) = board(v, items);
    let (shipped_refs, shipped_more) = limited_refs(v, &shipped);
    let (cancelled_refs, cancelled_more) = limited_refs(v, &cancelled);
    val!({
        "anchor": anchor,
        "value": value,
        "title": title,
        "url": url,
        "count": items.len(),
        "board": board,
        "shipped": shipped_refs,
        "shipped_count": shipped.len(),
        "shipped_more": shipped_more,
        "cancelled": cancelled_refs,
        "cancelled_count": cancelled.len(),
        "cancelled_more": cancelled_more,
        "more_url": v.url("items/"),
    })
}

pub fn index(v: &View) -> Value {
    let all: Vec<usize> = (0..v.model.items.len()).collect();
    let (board, shipped, cancelled) = board(v, &all);
    let (timeline, undated) = figures::roadmap_timeline(v, &all);
    let (shipped_refs, shipped_more) = limited_refs(v, &shipped);
    let (cancelled_refs, cancelled_more) = limited_refs(v, &cancelled);

    let mut teams: Vec<Value> = v
        .data
        .teams
        .iter()
        .filter_map(|(name, slug)| {
            let items: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| v.model.items[i].team.as_deref() == Some(name.as_str()))
                .collect();
            (!items.is_empty()).then(|| {
                group(
                    v,
                    format!("team-{slug}"),
                    (name, name),
                    v.team_url(name),
                    &items,
                )
            })
        })
        .collect();
    let no_team: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| v.model.items[i].team.is_none())
        .collect();
    if !no_team.is_empty() {
        teams.push(group(
            v,
            "without-team".into(),
            ("", "No team"),
            None,
            &no_team,
        ));
    }
    let types: Vec<Value> = ITEM_TYPES
        .iter()
        .filter_map(|t| {
            let items: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| v.model.items[i].item_type == *t)
                .collect();
            (!items.is_empty()).then(|| {
                group(
                    v,
                    format!("type-{}", t.as_str()),
                    (t.as_str(), labels::item_type_label(*t)),
                    None,
                    &items,
                )
            })
        })
        .collect();
    let overdue = all
        .iter()
        .filter(|&&i| !v.item_metrics(&v.model.items[i].id)["overdue_days"].is_null())
        .count();
    val!({
        "lead": "What we are building now, next and later; what shipped and what we stopped.",
        "counts": {
            "total": all.len(),
            "wip": v.metric(&["delivery", "wip"]),
            "blocked": v.metric(&["delivery", "blocked"]),
            "overdue": overdue,
            "shipped": shipped.len(),
        },
        "board": board,
        "shipped": shipped_refs,
        "shipped_more": shipped_more,
        "cancelled": cancelled_refs,
        "cancelled_more": cancelled_more,
        "all_url": v.url("items/"),
        "timeline": chart_value(&timeline, "chart-timeline"),
        "quarter_timelines": figures::quarter_timelines(v, &all)
            .iter()
            .map(|(q, chart)| {
                val!({
                    "quarter": q.to_string(),
                    "chart": chart.as_ref().map(|c| chart_value(c, &format!("chart-timeline-{q}"))),
                })
            })
            .collect::<Vec<_>>(),
        "undated": refs(v, &undated),
        "teams": teams,
        "types": types,
        "definitions": definitions(&[
            "delivery.wip",
            "delivery.blocked",
            "views.overdue_items",
            "delivery.slip_days",
            "delivery.overdue_days",
        ]),
    })
}

fn days_text(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}

/// One delivery figure of an item: its value, how it reads and how it was worked out.
fn figure(key: &str, id: &str, value: &Json, format: &str, worked: Option<String>) -> Value {
    let d = super::lookup(&format!("delivery.{key}"));
    val!({
        "key": metric_key(&["delivery", "items", id, key]),
        "label": d.map(|d| d.label),
        "formula": d.map(|d| labels::for_readers(d.formula)),
        "value": value,
        "format": format,
        "worked": worked,
    })
}

/// The delivery figures that apply to the item: slip, on time, lead time and the outcome
/// checks once shipped; overdue when late; the estimate ratio when efforts are known; RICE
/// when scored; blocked while in progress.
fn item_figures(v: &View, i: usize) -> Vec<Value> {
    let x = &v.model.items[i];
    let m = v.item_metrics(&x.id);
    let get = |k: &str| at(m, &[k]);
    let mut out = Vec::new();
    if let Some(shipped) = x.shipped {
        let slip = get("slip_days");
        out.push(figure(
            "slip_days",
            &x.id,
            slip,
            "signed_days",
            Some(match (x.baseline_target, slip.as_i64()) {
                (Some(b), Some(n)) => {
                    format!("shipped {shipped} − baseline target {b} = {}", days_text(n))
                }
                _ => "no baseline target".into(),
            }),
        ));
        out.push(figure(
            "on_time",
            &x.id,
            get("on_time"),
            "bool",
            x.baseline_target.map(|b| {
                format!(
                    "shipped {shipped} {} baseline target {b}",
                    if shipped <= b { "≤" } else { ">" }
                )
            }),
        ));
        let lead = get("lead_time_days");
        out.push(figure(
            "lead_time_days",
            &x.id,
            lead,
            "days",
            Some(match (x.start, lead.as_i64()) {
                (Some(st), Some(n)) => format!("shipped {shipped} − start {st} = {}", days_text(n)),
                _ => "no start date".into(),
            }),
        ));
    }
    let overdue = get("overdue_days");
    if let (Some(n), Some(b)) = (overdue.as_i64(), x.baseline_target) {
        out.push(figure(
            "overdue_days",
            &x.id,
            overdue,
            "days",
            Some(format!(
                "report date {} − baseline target {b} = {}",
                v.as_of,
                days_text(n)
            )),
        ));
    }
    if x.estimate.is_some() || x.actual.is_some() {
        let ratio = get("estimate_ratio");
        out.push(figure(
            "estimate_ratio",
            &x.id,
            ratio,
            "ratio",
            Some(match (x.actual, x.estimate, ratio.as_f64()) {
                (Some(a), Some(e), Some(r)) => format!(
                    "actual {} d ÷ estimate {} d = {}",
                    format_number(a, 2),
                    format_number(e, 2),
                    format_number(r, 2)
                ),
                _ => "needs both an estimate and an actual effort".into(),
            }),
        ));
    }
    if let (Some(r), rice) = (&x.rice, get("rice_score")) {
        out.push(figure(
            "rice_score",
            &x.id,
            rice,
            "num",
            rice.as_f64().map(|score| {
                format!(
                    "reach {} × impact {} × confidence {} ÷ effort {} = {}",
                    format_number(r.reach, 2),
                    format_number(r.impact, 2),
                    format_number(r.confidence, 2),
                    format_number(r.effort, 2),
                    format_number(score, 1)
                )
            }),
        ));
    }
    if x.status == ItemStatus::InProgress {
        let waiting: Vec<String> = v.model.links.item_dependencies[i]
            .iter()
            .map(|&d| &v.model.items[d])
            .filter(|d| d.status != ItemStatus::Shipped)
            .map(|d| format!("{} ({})", d.title, d.status))
            .collect();
        out.push(figure(
            "blocked",
            &x.id,
            get("blocked"),
            "bool",
            Some(if waiting.is_empty() {
                "every dependency has shipped".into()
            } else {
                format!("waiting on {}", waiting.join(", "))
            }),
        ));
    }
    if x.shipped.is_some() {
        out.push(figure(
            "outcome_measured",
            &x.id,
            get("outcome_measured"),
            "bool",
            None,
        ));
        out.push(figure(
            "outcome_moved",
            &x.id,
            get("outcome_moved"),
            "bool",
            None,
        ));
    }
    out
}

pub fn item(v: &View, i: usize) -> Value {
    let x = &v.model.items[i];
    let l = &v.model.links;
    let depends_on: Vec<Value> = l.item_dependencies[i]
        .iter()
        .map(|&d| {
            with(
                v.item_ref(d),
                "waiting",
                val!(v.model.items[d].status != ItemStatus::Shipped),
            )
        })
        .collect();
    let action_items: Vec<Value> = l.item_action_items[i]
        .iter()
        .filter_map(|&(p, a)| {
            let pm = v.model.postmortems.get(p)?;
            let action = pm.action_items.get(a)?;
            Some(val!({
                "title": action.title,
                "owner": action.owner,
                "due": action.due,
                "status": labels::action_status(action.status),
                "priority": labels::priority_label(action.priority),
                "overdue": crate::metrics::reliability::is_overdue(action, v.as_of),
                "postmortem": {"title": pm.title, "url": v.url(&format!("postmortems/{}/", pm.id))},
            }))
        })
        .collect();
    let readiness: Vec<Value> = x
        .readiness
        .iter()
        .map(|r| val!({"kind": r.risk_kind(), "message": r.message(), "hint": labels::for_readers(r.hint())}))
        .collect();
    let item = merge(
        v.item_ref(i),
        val!({
            "horizon_label": x.horizon.map(labels::horizon_label),
            "tags": x.tags,
            "services": x.services.iter().map(|s| v.service_ref(s)).collect::<Vec<_>>(),
            "hypothesis": x.hypothesis,
            "value": x.value,
            "estimate": x.estimate,
            "actual": x.actual,
            "confidence": x.confidence.map(labels::confidence_label),
            "rice": x.rice.as_ref().map(|r| val!({
                "reach": r.reach, "impact": r.impact, "confidence": r.confidence, "effort": r.effort,
                "score": v.item_metrics(&x.id)["rice_score"],
            })),
            "release": ser(&x.release),
            "path": x.path,
            "target_moved": x.target.is_some() && x.target != x.baseline_target,
        }),
    );
    val!({
        "item": item,
        "body_html": v.data.markdown(&x.body),
        "figures": item_figures(v, i),
        "forecast": super::forecast::item_panel(v, i),
        "figures_note": (x.shipped.is_none()).then_some("Slip, lead time and whether its outcomes moved are computed once the item ships."),
        "readiness": readiness,
        "depends_on": depends_on,
        "needed_by": l.item_dependents[i].iter().map(|&d| v.item_ref(d)).collect::<Vec<_>>(),
        "outcomes": l.item_outcomes[i].iter().map(|&o| v.outcome_card(o)).collect::<Vec<_>>(),
        "postmortems": l.item_postmortems[i].iter().map(|&p| v.postmortem_ref(p)).collect::<Vec<_>>(),
        "action_items": action_items,
        "risks": v.risks_of(&format!("roadmap/{}", x.id)),
        "definitions": definitions(&["outcomes.status", "outcomes.progress", "delivery.rice_score"]),
    })
}
