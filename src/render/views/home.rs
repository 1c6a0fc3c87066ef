//! `/`: the five-minute answer. Are the promised outcomes moving, what slipped, what broke
//! and is it being fixed, what the top risks are; then the key charts.

use jiff::civil::Date;

use super::figures::{self, chart_value};
use super::{View, at, definitions, labels, metric_key, outcome_attention};
use crate::metrics::Quarter;
use crate::metrics::stats::median;
use crate::render::value::{Json, Value, get};
use crate::val;

/// How many risks the home page lists.
const TOP_RISKS: usize = 5;

pub fn page(v: &View) -> Value {
    val!({
        "lead": v.model.config.description,
        "headline": {
            "outcomes": outcomes(v),
            "delivery": delivery(v),
            "incidents": incidents(v),
            "followup": followup(v),
            "risks": risks(v),
            "likely_late": super::forecast::likely_late(v),
        },
        "outcomes": outcome_rows(v),
        "outcomes_total": v.model.outcomes.len(),
        "charts": {
            "say_do": chart_value(&figures::say_do(quarters(v)), "chart-say-do"),
            "incidents": chart_value(&figures::incidents_by_severity(v, Some(12)), "chart-incidents"),
        },
        "definitions": definitions(&[
            "outcomes.status",
            "outcomes.attainment",
            "delivery.say_do",
            "views.overdue_items",
            "delivery.blocked",
            "views.incidents_90_days",
            "views.median_ttr_90_days",
            "reliability.action_items.overdue",
            "reliability.action_items.slo_compliance",
            "outcomes.progress",
        ]),
    })
}

fn quarters<'a>(v: &View<'a>) -> &'a [Json] {
    v.metric(&["delivery", "quarters"])
        .as_array()
        .map_or(&[], Vec::as_slice)
}

fn outcomes(v: &View) -> Value {
    let summary = v.metric(&["outcomes", "summary"]);
    let counts: Vec<Value> = labels::OUTCOME_STATUSES
        .iter()
        .map(|s| {
            val!({
                "status": labels::outcome_status(s),
                "count": at(summary, &[s]),
                "key": metric_key(&["outcomes", "summary", s]),
            })
        })
        .collect();
    val!({
        "total": v.model.outcomes.len(),
        "counts": counts,
        "attainment": at(summary, &["attainment"]),
        "attainment_key": metric_key(&["outcomes", "summary", "attainment"]),
        "url": v.url("outcomes/"),
        "definition": super::definition("outcomes.attainment"),
    })
}

/// A quarter's say/do as the headline shows it, or null when the series lacks it.
fn quarter_say_do(v: &View, q: Quarter) -> Value {
    let label = q.to_string();
    let Some(row) = quarters(v)
        .iter()
        .find(|r| r.get("quarter").and_then(Json::as_str) == Some(label.as_str()))
    else {
        return Value::none();
    };
    val!({
        "quarter": label,
        "say_do": at(row, &["say_do"]),
        "committed": at(row, &["committed"]),
        "delivered_on_time": at(row, &["delivered_on_time"]),
        "key": metric_key(&["delivery", "quarters", &label]),
    })
}

fn delivery(v: &View) -> Value {
    let current = Quarter::of(v.as_of, v.model.config.quarter_start_month);
    let overdue: Vec<usize> = (0..v.model.items.len())
        .filter(|&i| !v.item_metrics(&v.model.items[i].id)["overdue_days"].is_null())
        .collect();
    val!({
        "current": quarter_say_do(v, current),
        "previous": quarter_say_do(v, current.previous()),
        "overdue_items": overdue.len(),
        "overdue": overdue.iter().map(|&i| v.item_ref(i)).collect::<Vec<_>>(),
        "blocked": v.metric(&["delivery", "blocked"]),
        "wip": v.metric(&["delivery", "wip"]),
        "url": v.url("delivery/"),
        "roadmap_url": v.url("roadmap/"),
        "definition": super::definition("delivery.say_do"),
    })
}

/// Incidents and their median TTR in a window of dates (inclusive).
pub fn incident_window(v: &View, from: Date, to: Date) -> Value {
    let ttrs: Vec<f64> = v
        .model
        .postmortems
        .iter()
        .filter(|p| p.date >= from && p.date <= to)
        .map(|p| crate::metrics::reliability::incident(p).ttr)
        .collect();
    val!({
        "from": from,
        "to": to,
        "count": ttrs.len(),
        "median_ttr": median(&ttrs),
    })
}

/// `up`, `down` or `same` from `before` to `now` (nulls compare as `same`).
fn direction(now: Option<f64>, before: Option<f64>) -> &'static str {
    match (now, before) {
        (Some(a), Some(b)) if a > b => "up",
        (Some(a), Some(b)) if a < b => "down",
        _ => "same",
    }
}

fn incidents(v: &View) -> Value {
    let recent = incident_window(v, v.days_from_as_of(-89), v.as_of);
    let previous = incident_window(v, v.days_from_as_of(-179), v.days_from_as_of(-90));
    val!({
        "count_trend": direction(
            get(&recent, "count").and_then(Value::as_f64),
            get(&previous, "count").and_then(Value::as_f64),
        ),
        "ttr_trend": direction(
            get(&recent, "median_ttr").and_then(Value::as_f64),
            get(&previous, "median_ttr").and_then(Value::as_f64),
        ),
        "recent": recent,
        "previous": previous,
        "url": v.url("reliability/"),
        "definition": super::definition("views.incidents_90_days"),
        "ttr_definition": super::definition("views.median_ttr_90_days"),
    })
}

fn followup(v: &View) -> Value {
    let a = v.metric(&["reliability", "action_items"]);
    val!({
        "overdue": at(a, &["overdue"]),
        "open": at(a, &["open"]),
        "total": at(a, &["total"]),
        "slo_compliance": at(a, &["slo_compliance"]),
        "within_slo": at(a, &["within_slo"]),
        "breached": at(a, &["breached"]),
        "key": metric_key(&["reliability", "action_items"]),
        "url": v.url("reliability/#action-items"),
        "definition": super::definition("reliability.action_items.slo_compliance"),
    })
}

fn risks(v: &View) -> Value {
    let mut all = v.risks();
    let total = all.len();
    // Stable: within a kind the metrics' order (subject, message) is kept.
    all.sort_by_key(|r| labels::risk_rank(get(r, "kind").and_then(Value::as_str).unwrap_or("")));
    let top: Vec<Value> = all.iter().take(TOP_RISKS).cloned().collect();
    val!({
        "total": total,
        "top": top,
        "more": total.saturating_sub(TOP_RISKS),
        "url": v.url("risks/"),
    })
}

/// How many outcomes the home page lists; the outcomes page has them all.
pub const HOME_OUTCOMES: usize = 12;

/// The outcomes that need attention first, with their sparklines, at most [`HOME_OUTCOMES`].
fn outcome_rows(v: &View) -> Vec<Value> {
    let status = |o: usize| {
        let id = &v.model.outcomes[o].id;
        outcome_attention(v.outcome_metrics(id)["status"].as_str().unwrap_or(""))
    };
    let mut order: Vec<usize> = (0..v.model.outcomes.len()).collect();
    order.sort_by(|&a, &b| {
        status(a)
            .cmp(&status(b))
            .then_with(|| v.model.outcomes[a].title.cmp(&v.model.outcomes[b].title))
    });
    order.truncate(HOME_OUTCOMES);
    order.into_iter().map(|o| v.outcome_card(o)).collect()
}

#[cfg(test)]
mod tests {
    use super::direction;

    #[test]
    fn trends_compare_now_with_before() {
        assert_eq!(direction(Some(3.0), Some(2.0)), "up");
        assert_eq!(direction(Some(1.0), Some(2.0)), "down");
        assert_eq!(direction(Some(2.0), Some(2.0)), "same");
        assert_eq!(direction(None, Some(2.0)), "same");
    }
}
