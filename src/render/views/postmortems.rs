//! `/postmortems/` (every incident, latest first) and `/postmortems/<id>/` (one incident:
//! durations, impact, timeline, action items and their SLO, linked roadmap items).

use super::{View, at, definitions, labels, metric_key};
use crate::content::Postmortem;
use crate::content::keywords::Keyword;
use crate::content::postmortem::ActionItem;
use crate::metrics::reliability::{deadline, is_breached, is_overdue};
use crate::render::value::{Value, merge, ser};
use crate::val;

pub fn index(v: &View) -> Value {
    let mut order: Vec<usize> = (0..v.model.postmortems.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&v.model.postmortems[a], &v.model.postmortems[b]);
        y.started.cmp(&x.started).then_with(|| x.id.cmp(&y.id))
    });
    let severities: Vec<Value> = v
        .model
        .config
        .severities
        .iter()
        .map(|s| {
            val!({
                "severity": labels::severity(&v.model.config, &s.id),
                "count": v.model.postmortems.iter().filter(|p| p.severity == s.id).count(),
            })
        })
        .collect();
    val!({
        "lead": "Every incident review, latest first: how bad, how long, and whether the follow-up is done.",
        "postmortems": order.iter().map(|&p| v.postmortem_ref(p)).collect::<Vec<_>>(),
        "severities": severities,
        "definitions": definitions(&[
            "reliability.ttr",
            "reliability.action_items.done",
            "reliability.action_items.overdue",
        ]),
    })
}

/// One action item as tables show it, with its SLO deadline and flags.
pub fn action_item(v: &View, pm: &Postmortem, p: usize, a: usize, action: &ActionItem) -> Value {
    let config = &v.model.config;
    let roadmap = v
        .model
        .links
        .action_item_roadmap
        .get(p)
        .and_then(|list| list.get(a))
        .copied()
        .flatten()
        .map(|i| v.item_ref(i));
    val!({
        "title": action.title,
        "owner": action.owner,
        "due": action.due,
        "status": labels::action_status(action.status),
        "priority": labels::priority_label(action.priority),
        "type": action.action_type.map(labels::action_type_label),
        "done_on": action.done_on,
        "deadline": deadline(pm, action, config),
        "slo_days": config.slo_days(action.priority),
        "overdue": is_overdue(action, v.as_of),
        "breached": is_breached(pm, action, config, v.as_of),
        "open": action.status.is_open(),
        "roadmap": roadmap,
        "postmortem": {"title": pm.title, "url": v.url(&format!("postmortems/{}/", pm.id)), "date": pm.date},
    })
}

pub fn postmortem(v: &View, p: usize) -> Value {
    let x = &v.model.postmortems[p];
    let inc = v.incident_metrics(&x.id);
    let key = |k: &str| metric_key(&["reliability", "incidents", &x.id, k]);
    let durations = [
        ("ttd", "Time to detect", x.detected),
        ("ttm", "Time to mitigate", x.mitigated),
        ("ttr", "Time to resolve", x.resolved),
    ]
    .iter()
    .map(|(k, label, end)| {
        val!({
            "key": key(k),
            "label": label,
            "short": k.to_uppercase(),
            "value": at(inc, &[k]),
            "formula": super::formula(&format!("reliability.{k}")),
            "worked": format!("{} − started {}", v.local_time(*end), v.local_time(x.started)),
        })
    })
    .collect::<Vec<_>>();
    let action_items: Vec<Value> = x
        .action_items
        .iter()
        .enumerate()
        .map(|(a, action)| action_item(v, x, p, a, action))
        .collect();
    let done = x
        .action_items
        .iter()
        .filter(|a| a.status == crate::content::keywords::ActionStatus::Done)
        .count();
    let timeline: Vec<Value> = x
        .timeline
        .iter()
        .map(|t| {
            val!({"at": v.local_time(t.at), "datetime": v.machine_time(t.at), "event": t.event})
        })
        .collect();
    let pm = merge(
        v.postmortem_ref(p),
        val!({
            "teams": x.teams.iter().map(|t| v.team_ref(t)).collect::<Vec<_>>(),
            "authors": x.authors,
            "tags": x.tags,
            "started": v.local_time(x.started),
            "detected": v.local_time(x.detected),
            "mitigated": v.local_time(x.mitigated),
            "resolved": v.local_time(x.resolved),
            "detection": x.detection.map(labels::detection_label),
            "cause": x.cause.map(labels::cause_label),
            "trigger": x.trigger,
            "impact": ser(&x.impact),
            "draft": x.is_draft(),
            "status_label": match x.status.as_str() {
                "draft" => "Draft",
                "in-review" => "In review",
                _ => "Published",
            },
        }),
    );
    let roadmap: Vec<Value> = v.model.links.postmortem_items[p]
        .iter()
        .map(|&i| v.item_ref(i))
        .collect();
    val!({
        "postmortem": pm,
        "durations": durations,
        "phases": super::chart_value(&super::figures::incident_phases(v, p), "chart-phases"),
        "timeline": timeline,
        "action_items": action_items,
        "action_summary": {"total": x.action_items.len(), "done": done},
        "roadmap": roadmap,
        "readiness": x.readiness.iter().map(|r| val!({"kind": r.risk_kind(), "message": r.message(), "hint": labels::for_readers(r.hint())})).collect::<Vec<_>>(),
        "risks": v.risks_of(&format!("postmortems/{}", x.id)),
        "body_html": v.data.markdown(&x.body),
        "definitions": definitions(&[
            "reliability.action_items.overdue",
            "reliability.action_items.within_slo",
            "reliability.action_items.breached",
        ]),
    })
}
