//! `/delivery/`: per-quarter delivery — what shipped, say/do, effort share against capacity
//! targets, estimate accuracy and slip — as charts and one table.

use super::figures::{self, chart_value};
use super::{View, at, definitions, labels, metric_key};
use crate::content::keywords::Keyword;
use crate::metrics::Quarter;
use crate::metrics::delivery::ITEM_TYPES;
use crate::render::value::{Json, ToVal, Value, merge};
use crate::val;

pub fn page(v: &View) -> Value {
    let quarters: &[Json] = v
        .metric(&["delivery", "quarters"])
        .as_array()
        .map_or(&[], Vec::as_slice);
    let rows: Vec<Value> = quarters
        .iter()
        .rev()
        .map(|q| {
            let label = q.get("quarter").and_then(Json::as_str).unwrap_or("");
            merge(
                q.to_val(),
                val!({
                    "key": metric_key(&["delivery", "quarters", label]),
                    "shipped_by_type": ITEM_TYPES
                        .iter()
                        .map(|t| at(q, &["shipped", t.as_str()]))
                        .collect::<Vec<_>>(),
                    "effort_by_type": ITEM_TYPES
                        .iter()
                        .map(|t| at(q, &["effort_share", t.as_str()]))
                        .collect::<Vec<_>>(),
                }),
            )
        })
        .collect();

    let current = Quarter::of(v.as_of, v.model.config.quarter_start_month);
    let previous = current.previous().to_string();
    let current = current.to_string();
    let share = |quarter: &str, t: &str| {
        quarters
            .iter()
            .find(|q| q.get("quarter").and_then(Json::as_str) == Some(quarter))
            .map_or(&Json::Null, |q| at(q, &["effort_share", t]))
    };
    let capacity: Vec<Value> = ITEM_TYPES
        .iter()
        .map(|t| {
            let target = v.model.config.capacity_targets.get(t).copied();
            let last = share(&previous, t.as_str());
            let risks = v.risks_of(&format!("delivery/{}", t.as_str()));
            val!({
                "type": t.as_str(),
                "label": labels::item_type_label(*t),
                "anchor": format!("capacity-{}", t.as_str()),
                "target": target,
                "previous": last,
                "previous_key": metric_key(&["delivery", "quarters", &previous, "effort_share", t.as_str()]),
                "current": share(&current, t.as_str()),
                "current_key": metric_key(&["delivery", "quarters", &current, "effort_share", t.as_str()]),
                "below": !risks.is_empty(),
                "risks": risks,
            })
        })
        .collect();

    let mut charts = vec![
        chart_value(&figures::shipped_by_type(quarters), "chart-shipped"),
        chart_value(&figures::say_do(quarters), "chart-say-do"),
        chart_value(&figures::effort_mix(quarters), "chart-effort"),
    ];
    if let Some(c) = figures::capacity(v, quarters) {
        charts.push(chart_value(&c, "chart-capacity"));
    }
    charts.push(chart_value(&figures::estimates(v), "chart-estimates"));
    charts.push(chart_value(&figures::slip_histogram(v), "chart-slip"));

    val!({
        "lead": "How reliably we ship what we commit to, what the effort goes into, and how good our estimates are.",
        "headline": {
            "wip": v.metric(&["delivery", "wip"]),
            "blocked": v.metric(&["delivery", "blocked"]),
            "outcome_coverage": v.metric(&["delivery", "outcome_coverage"]),
            "current": quarters.iter().find(|q| q.get("quarter").and_then(Json::as_str) == Some(current.as_str())),
            "previous": quarters.iter().find(|q| q.get("quarter").and_then(Json::as_str) == Some(previous.as_str())),
            "current_key": metric_key(&["delivery", "quarters", &current]),
            "previous_key": metric_key(&["delivery", "quarters", &previous]),
        },
        "types": ITEM_TYPES.iter().map(|t| val!({"value": t.as_str(), "label": labels::item_type_label(*t)})).collect::<Vec<_>>(),
        "quarters": rows,
        "capacity": capacity,
        "previous_quarter": previous,
        "current_quarter": current,
        "charts": charts,
        "forecast": super::forecast::delivery_section(v),
        "definitions": definitions(&[
            "delivery.committed",
            "delivery.delivered_on_time",
            "delivery.say_do",
            "delivery.shipped",
            "delivery.effort_share",
            "delivery.median_slip_days",
            "delivery.median_estimate_ratio",
            "delivery.median_lead_time_days",
            "delivery.wip",
            "delivery.blocked",
            "delivery.outcome_coverage",
            "views.slip_histogram",
            "risks.capacity-below-target",
            "forecast.p50",
            "forecast.p85",
            "forecast.p_on_target",
            "forecast.calibration.cases",
            "forecast.calibration.hit_p50",
            "forecast.calibration.hit_p85",
            "forecast.calibration.hit_baseline",
            "risks.likely-late",
        ]),
    })
}
