//! `/outcomes/` (every outcome as a card) and `/outcomes/<id>/` (trend, measurements,
//! linked items, and how each number was worked out).

use super::figures::{self, chart_value, unit_suffix};
use super::{View, at, definitions, labels, metric_key, outcome_attention};
use crate::content::dates::days_between;
use crate::content::keywords::{Direction, Keyword};
use crate::render::filters::format_number;
use crate::render::value::{Json, ToVal, Value, with};
use crate::val;

fn summary(v: &View) -> Value {
    let s = v.metric(&["outcomes", "summary"]);
    val!({
        "counts": labels::OUTCOME_STATUSES.iter().map(|k| val!({
            "status": labels::outcome_status(k),
            "count": at(s, &[k]),
            "key": metric_key(&["outcomes", "summary", k]),
        })).collect::<Vec<_>>(),
        "attainment": at(s, &["attainment"]),
        "attainment_key": metric_key(&["outcomes", "summary", "attainment"]),
    })
}

pub fn index(v: &View) -> Value {
    let status = |o: usize| {
        let id = &v.model.outcomes[o].id;
        outcome_attention(
            v.outcome_metrics(id)
                .get("status")
                .and_then(Json::as_str)
                .unwrap_or("no-data"),
        )
    };
    let mut order: Vec<usize> = (0..v.model.outcomes.len()).collect();
    order.sort_by(|&a, &b| {
        status(a)
            .cmp(&status(b))
            .then_with(|| v.model.outcomes[a].title.cmp(&v.model.outcomes[b].title))
    });
    let cards: Vec<Value> = order.into_iter().map(|o| v.outcome_card(o)).collect();
    val!({
        "lead": "The success metrics the roadmap promises to move: where each stands against its target, and whether it is on pace.",
        "summary": summary(v),
        "outcomes": cards,
        "definitions": definitions(&[
            "outcomes.current",
            "outcomes.progress",
            "outcomes.expected",
            "outcomes.status",
            "outcomes.attainment",
        ]),
    })
}

pub fn outcome(v: &View, o: usize) -> Value {
    let x = &v.model.outcomes[o];
    let m = v.outcome_metrics(&x.id);
    let suffix = unit_suffix(&x.unit);
    let n = |value: f64| format!("{}{suffix}", format_number(value, 2));
    let (b, t) = (x.baseline.value, x.target.value);

    let current = at(m, &["current"]).as_f64();
    let worked_progress = current.map(|c| {
        format!(
            "({} − {}) ÷ ({} − {}) = {}",
            format_number(c, 2),
            format_number(b, 2),
            format_number(t, 2),
            format_number(b, 2),
            at(m, &["progress"])
                .as_f64()
                .map_or("–".into(), |p| format_number(p, 3))
        )
    });
    let elapsed = days_between(x.baseline.date, v.as_of);
    let window = days_between(x.baseline.date, x.target.date);
    let worked_expected = format!(
        "{elapsed} days since the baseline date ÷ {window} days from baseline to target date = {}, clamped to 0…1",
        if window > 0 {
            format_number(elapsed as f64 / window as f64, 3)
        } else {
            "–".into()
        }
    );
    let latest = x.measurements.iter().rfind(|mm| mm.date <= v.as_of);
    let worked_current = latest.map_or_else(
        || format!("no measurement on or before {}", v.as_of),
        |mm| format!("measured {} on {}", n(mm.value), mm.date),
    );

    let mut previous: Option<f64> = Some(b);
    let measurements: Vec<Value> = x
        .measurements
        .iter()
        .map(|mm| {
            let counted = mm.date <= v.as_of;
            let change = if counted {
                previous.map(|p| mm.value - p)
            } else {
                None
            };
            let better = change.map(|c| match x.direction {
                Direction::Increase => c > 0.0,
                Direction::Decrease => c < 0.0,
            });
            if counted {
                previous = Some(mm.value);
            }
            val!({
                "date": mm.date,
                "value": mm.value,
                "change": change,
                "better": better,
                "meets_target": x.meets_target(mm.value),
                "note": mm.note,
                "counted": counted,
            })
        })
        .collect();

    let items: Vec<Value> = v.model.links.outcome_items[o]
        .iter()
        .map(|&i| {
            with(
                v.item_ref(i),
                "outcome_moved",
                at(v.item_metrics(&v.model.items[i].id), &["outcome_moved"]).to_val(),
            )
        })
        .collect();

    let card = v.outcome_card(o);
    let key = |k: &str| metric_key(&["outcomes", "items", &x.id, k]);
    let figures = vec![
        val!({"key": key("current"), "label": "Current", "value": at(m, &["current"]), "format": "qty", "worked": worked_current, "formula": super::formula("outcomes.current")}),
        val!({"key": key("progress"), "label": "Progress", "value": at(m, &["progress"]), "format": "pct", "worked": worked_progress, "formula": super::formula("outcomes.progress")}),
        val!({"key": key("expected"), "label": "Expected by now", "value": at(m, &["expected"]), "format": "pct", "worked": worked_expected, "formula": super::formula("outcomes.expected")}),
    ];
    let mut figures = figures;
    if !at(m, &["achieved_on"]).is_null() {
        figures.push(val!({"key": key("achieved_on"), "label": "Achieved on", "value": at(m, &["achieved_on"]), "format": "date", "worked": null, "formula": super::formula("outcomes.achieved_on")}));
        figures.push(val!({"key": key("late"), "label": "Late", "value": at(m, &["late"]), "format": "bool", "worked": format!("target date {}", x.target.date), "formula": super::formula("outcomes.late")}));
    }
    val!({
        "outcome": card,
        "unit": x.unit,
        "direction": x.direction.as_str(),
        "direction_text": match x.direction {
            Direction::Increase => "Higher is better",
            Direction::Decrease => "Lower is better",
        },
        "tags": x.tags,
        "status_key": key("status"),
        "status_value": at(m, &["status"]),
        "figures": figures,
        "trend": chart_value(&figures::outcome_trend(v, o), "chart-trend"),
        "measurements": measurements,
        "items": items,
        "body_html": v.data.markdown(&x.description),
        "risks": v.risks_of(&format!("outcomes/{}", x.id)),
        "definitions": definitions(&["outcomes.status", "outcomes.linked_items", "delivery.outcome_moved"]),
    })
}
