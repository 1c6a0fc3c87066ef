//! The forecasts on the pages: an item's forecast panel with its chart of possible ship
//! dates, the delivery page's calibration record and open items by their chance of making
//! the target, and the home page's count of committed items likely to be late.

use super::figures::{self, chart_value};
use super::{View, at, definition, metric_key};
use crate::content::keywords::ItemStatus;
use crate::metrics::forecast::Detail;
use crate::render::value::{Json, Value};
use crate::val;

/// The honest limits, written wherever forecasts are shown.
pub const LIMITS: &str = "Forecasts assume work starts when its dependencies ship and do not model team capacity; they are as good as the estimates and the history behind them.";

/// The definitions a forecast panel explains.
const ITEM_DEFINITIONS: [&str; 6] = [
    "forecast.flow_ratio",
    "forecast.p50",
    "forecast.p85",
    "forecast.p_on_target",
    "forecast.method",
    "forecast.basis",
];

fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The item's forecast in metrics.json (null when it is not planned or in progress).
fn entry<'a>(v: &View<'a>, id: &str) -> &'a Json {
    v.metric(&["forecast", "items", id])
}

fn detail<'a>(v: &View<'a>, id: &str) -> Option<&'a Detail> {
    v.data
        .forecast
        .and_then(|f| f.items.get(id))
        .map(|f| &f.detail)
}

/// "from 14 shipped items of team payments".
fn basis_text(v: &View, i: usize, f: &Json) -> String {
    let x = &v.model.items[i];
    let pool = detail(v, &x.id).map_or(0, |d| d.pool_size);
    let whose = match (f["basis"].as_str(), x.team.as_deref()) {
        (Some("team"), Some(team)) => format!("of team {team}"),
        (_, Some(team)) => format!("of all teams (team {team} has fewer than 5)"),
        _ => "of all teams".to_string(),
    };
    format!(
        "from {} {whose}",
        plural(pool as i64, "shipped item", "shipped items")
    )
}

/// Why an item has no forecast, in words.
fn reason_text(v: &View, i: usize, reason: &str) -> String {
    let x = &v.model.items[i];
    if let Some(id) = reason.strip_prefix("waits-on:") {
        let Some(d) = v.model.item_index(id) else {
            return format!("It waits on {id}, which has no forecast.");
        };
        let dep = &v.model.items[d];
        let why = match dep.status {
            ItemStatus::Idea => "still an idea".to_string(),
            ItemStatus::Paused => "paused".to_string(),
            ItemStatus::Cancelled => "cancelled".to_string(),
            _ => "without a forecast itself".to_string(),
        };
        return format!("It waits on “{}”, which is {why}.", dep.title);
    }
    match reason {
        "no-estimate" => "It has no estimate to scale the team's history by.".into(),
        "no-history" => "Fewer than 5 items have shipped with a start date and an estimate, in its team or in all teams together: there is no history to draw from.".into(),
        "beyond-history" => {
            let d = detail(v, &x.id);
            format!(
                "It has been in progress for {}, longer than any of the {} comparable shipped items took for an estimate like this (the longest took {}).",
                plural(d.and_then(|d| d.elapsed).unwrap_or(0), "working day", "working days"),
                d.map_or(0, |d| d.pool_size),
                plural(d.and_then(|d| d.longest).unwrap_or(0), "working day", "working days"),
            )
        }
        other => other.to_string(),
    }
}

/// How this item's dates were worked out, in words, with its own numbers.
fn worked(v: &View, i: usize, f: &Json) -> String {
    let x = &v.model.items[i];
    let samples = f["samples"].as_u64().unwrap_or(0);
    let estimate = x
        .estimate
        .map_or_else(String::new, |e| crate::render::filters::format_number(e, 2));
    let mut text = format!(
        "Each shipped item {} gives a flow ratio: the working days from its start to its ship date, inclusive, per estimated day. This item's estimate of {estimate} d times each ratio, rounded up, is one possible duration in working days.",
        basis_text(v, i, f),
    );
    if x.status == ItemStatus::InProgress {
        let elapsed = detail(v, &x.id).and_then(|d| d.elapsed).unwrap_or(0);
        text.push_str(&format!(
            " It has run {} already, so only the {} longer than that count, less what has run, from the report date.",
            plural(elapsed, "working day", "working days"),
            plural(samples as i64, "duration", "durations"),
        ));
    } else {
        text.push_str(
            " Each is counted from the report date, or from its start when that is later.",
        );
    }
    if f["method"] == "simulated" {
        text.push_str(" It waits on open work, so 10,000 trials each draw one duration for it and one for every open item it waits on, and it starts the working day after the last of them ships.");
    } else {
        text.push_str(" Each duration, counted in working days (weekends and the site's holidays skipped), gives one equally likely ship date.");
    }
    text.push_str(" P50 is the date by which half of the possible dates have come, P85 the date by which 85% have.");
    text
}

/// `page.forecast` of an item page: null unless the item is planned or in progress.
pub fn item_panel(v: &View, i: usize) -> Value {
    let x = &v.model.items[i];
    let f = entry(v, &x.id);
    if f.is_null() {
        return Value::none();
    }
    let reason = f["reason"].as_str();
    let chart = match (reason, detail(v, &x.id)) {
        (None, Some(d)) if !d.curve.is_empty() => Some(chart_value(
            &figures::forecast_curve(v, i, d),
            "chart-forecast",
        )),
        _ => None,
    };
    val!({
        "key": metric_key(&["forecast", "items", &x.id]),
        "dated": reason.is_none(),
        "p50": at(f, &["p50"]),
        "p85": at(f, &["p85"]),
        "p_on_target": at(f, &["p_on_target"]),
        "p_on_baseline": at(f, &["p_on_baseline"]),
        "method": at(f, &["method"]),
        "basis": at(f, &["basis"]),
        "samples": at(f, &["samples"]),
        "reason": reason,
        "reason_text": reason.map(|r| reason_text(v, i, r)),
        "basis_text": reason.is_none().then(|| basis_text(v, i, f)),
        "worked": reason.is_none().then(|| worked(v, i, f)),
        "target": x.target,
        "baseline_target": x.baseline_target,
        "chart": chart,
        "limits": LIMITS,
        "definitions": ITEM_DEFINITIONS.iter().map(|k| definition(k)).collect::<Vec<_>>(),
    })
}

/// `page.forecast` of the delivery page: the calibration record per checkpoint and open
/// items by their chance of making the target.
pub fn delivery_section(v: &View) -> Value {
    let cal = v.metric(&["forecast", "calibration"]);
    let checkpoints: Vec<Value> = cal["checkpoints"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|c| {
            let date = c["date"].as_str().unwrap_or("");
            val!({
                "date": date,
                "key": metric_key(&["forecast", "calibration", "checkpoints", date]),
                "cases": at(c, &["cases"]),
                "hit_p50": at(c, &["hit_p50"]),
                "hit_p85": at(c, &["hit_p85"]),
                "hit_baseline": at(c, &["hit_baseline"]),
            })
        })
        .collect();
    let mut dated: Vec<(f64, usize)> = Vec::new();
    let mut undated: Vec<usize> = Vec::new();
    for (i, x) in v.model.items.iter().enumerate() {
        let f = entry(v, &x.id);
        if f.is_null() {
            continue;
        }
        match f["p_on_target"].as_f64() {
            Some(p) => dated.push((p, i)),
            None => undated.push(i),
        }
    }
    // Least likely first; ties by target date, then title.
    dated.sort_by(|a, b| {
        let (x, y) = (&v.model.items[a.1], &v.model.items[b.1]);
        a.0.total_cmp(&b.0)
            .then_with(|| x.target.cmp(&y.target))
            .then_with(|| x.title.cmp(&y.title))
    });
    let row = |i: usize| {
        let x = &v.model.items[i];
        let f = entry(v, &x.id);
        let reason = f["reason"].as_str();
        val!({
            "item": v.item_ref(i),
            "key": metric_key(&["forecast", "items", &x.id]),
            "p50": at(f, &["p50"]),
            "p85": at(f, &["p85"]),
            "p_on_target": at(f, &["p_on_target"]),
            "method": at(f, &["method"]),
            "reason": reason,
            "reason_text": reason.map(|r| reason_text(v, i, r)),
            "likely_late": f["p_on_target"].as_f64().is_some_and(|p| p < 0.5),
        })
    };
    val!({
        "calibration": {
            "key": metric_key(&["forecast", "calibration"]),
            "checkpoints": checkpoints,
            "cases": at(cal, &["cases"]),
            "hit_p50": at(cal, &["hit_p50"]),
            "hit_p85": at(cal, &["hit_p85"]),
            "hit_baseline": at(cal, &["hit_baseline"]),
        },
        "by_chance": dated.iter().map(|&(_, i)| row(i)).collect::<Vec<_>>(),
        "without_target": undated.iter().map(|&i| row(i)).collect::<Vec<_>>(),
        "limits": LIMITS,
    })
}

/// The home page's count of committed items (open, with a target) likely to be late.
pub fn likely_late(v: &View) -> Value {
    let late: Vec<usize> = (0..v.model.items.len())
        .filter(|&i| {
            entry(v, &v.model.items[i].id)["p_on_target"]
                .as_f64()
                .is_some_and(|p| p < 0.5)
        })
        .collect();
    let committed = (0..v.model.items.len())
        .filter(|&i| !entry(v, &v.model.items[i].id)["p_on_target"].is_null())
        .count();
    val!({
        "count": late.len(),
        "committed": committed,
        "items": late.iter().map(|&i| v.item_ref(i)).collect::<Vec<_>>(),
        "url": v.url("delivery/#forecasts"),
        "definition": definition("views.likely_late"),
        "limits": LIMITS,
    })
}
