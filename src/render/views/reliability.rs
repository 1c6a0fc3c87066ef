//! `/reliability/`: incidents per month by severity, detection and recovery times, how the
//! follow-up is going (action items and their SLO), and which services keep failing.

use super::figures::{self, chart_value};
use super::home::incident_window;
use super::postmortems::action_item;
use super::{View, at, definitions, metric_key};
use crate::render::value::Value;
use crate::val;

/// Every open action item, overdue first, then by due date.
pub fn open_action_items(v: &View, postmortems: &[usize]) -> Vec<Value> {
    let mut rows: Vec<(bool, jiff::civil::Date, String, Value)> = Vec::new();
    for &p in postmortems {
        let pm = &v.model.postmortems[p];
        for (a, action) in pm.action_items.iter().enumerate() {
            if action.status.is_open() {
                let row = action_item(v, pm, p, a, action);
                let overdue = crate::metrics::reliability::is_overdue(action, v.as_of);
                rows.push((!overdue, action.due, action.title.clone(), row));
            }
        }
    }
    rows.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    rows.into_iter().map(|r| r.3).collect()
}

/// The services table: every service named by a post-mortem, with its metrics.
pub fn service_rows(v: &View) -> Vec<Value> {
    v.metric(&["reliability", "services"])
        .as_object()
        .map(|services| {
            services
                .iter()
                .map(|(name, s)| {
                    val!({
                        "name": name,
                        "url": v.service_url(name),
                        "incidents": at(s, &["incidents"]),
                        "last": at(s, &["last"]),
                        "mtbf_days": at(s, &["mtbf_days"]),
                        "recurring": at(s, &["recurring"]),
                        "key": metric_key(&["reliability", "services", name]),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn page(v: &View) -> Value {
    let a = v.metric(&["reliability", "action_items"]);
    let all: Vec<usize> = (0..v.model.postmortems.len()).collect();
    val!({
        "lead": "What broke, how fast we noticed and recovered, and whether the follow-up work gets done.",
        "headline": {
            "recent": incident_window(v, v.days_from_as_of(-89), v.as_of),
            "previous": incident_window(v, v.days_from_as_of(-179), v.days_from_as_of(-90)),
            "action_items": a,
            "action_items_key": metric_key(&["reliability", "action_items"]),
        },
        "charts": {
            "incidents": chart_value(&figures::incidents_by_severity(v, None), "chart-incidents"),
            "durations": chart_value(&figures::durations(v), "chart-durations"),
            "action_items": chart_value(&figures::action_items(v), "chart-action-items"),
            "slo": chart_value(&figures::slo_by_priority(v), "chart-slo"),
            "services": chart_value(&figures::incidents_per_service(v), "chart-services"),
        },
        "services": service_rows(v),
        "open_action_items": open_action_items(v, &all),
        "slo_days": v.model.config.action_item_slo_days.iter().map(|(p, d)| val!({"priority": super::labels::priority_label(*p), "days": d})).collect::<Vec<_>>(),
        "definitions": definitions(&[
            "views.incidents_90_days",
            "views.median_ttr_90_days",
            "reliability.ttd",
            "reliability.ttm",
            "reliability.ttr",
            "reliability.action_items.open",
            "reliability.action_items.overdue",
            "reliability.action_items.completion_rate",
            "reliability.action_items.within_slo",
            "reliability.action_items.breached",
            "reliability.action_items.slo_compliance",
            "reliability.action_items.median_days_to_close",
            "reliability.services.incidents",
            "reliability.services.last",
            "reliability.services.mtbf_days",
            "reliability.services.recurring",
        ]),
    })
}
