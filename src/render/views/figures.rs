//! Chart inputs built from the model and metrics.json, drawn with `crate::charts`. Each
//! function returns a [`Chart`]; [`chart_value`] turns one into what templates get:
//! `{id, svg, svg_narrow, title, description, table: {headers, rows}}`.

use jiff::civil::Date;

use super::{View, at, labels};
use crate::charts::{
    self, BarInput, BarMode, BarOrientation, Chart, LineInput, Marker, Period, ReferenceKind,
    ReferenceLine, ScatterInput, ScatterPoint, Series, SparklineInput, TimelineInput, TimelineRow,
    TimelineStatus, ValueFormat, XAxis,
};
use crate::content::Outcome;
use crate::content::keywords::{ActionStatus, ItemStatus, Keyword, Priority};
use crate::metrics::Quarter;
use crate::metrics::delivery::ITEM_TYPES;
use crate::render::value::{Json, Value};
use crate::val;

/// A chart as templates see it. `id` becomes the `<figure>`'s id (an anchor).
pub fn chart_value(chart: &Chart, id: &str) -> Value {
    val!({
        "id": id,
        "svg": chart.svg,
        "svg_narrow": chart.svg_narrow,
        "title": chart.title,
        "description": chart.description,
        "table": {"headers": chart.table.headers, "rows": chart.table.rows},
    })
}

/// `%` sticks to the number; other units follow a space.
pub fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() || unit == "%" {
        unit.to_string()
    } else {
        format!(" {unit}")
    }
}

/// The fewest decimals (0–2) that show every value exactly as written.
fn decimals_for(values: impl IntoIterator<Item = f64>) -> u8 {
    values
        .into_iter()
        .map(|v| {
            if (v - v.round()).abs() < 1e-9 {
                0
            } else if (v * 10.0 - (v * 10.0).round()).abs() < 1e-9 {
                1
            } else {
                2
            }
        })
        .max()
        .unwrap_or(0)
}

/// An outcome's value with its unit, for chart descriptions.
fn with_unit(value: f64, unit: &str, decimals: u8) -> String {
    ValueFormat::number(decimals)
        .with_suffix(&unit_suffix(unit))
        .format(Some(value))
}

/// The points an outcome's charts draw: the baseline, then every measurement dated on or
/// before as_of (later ones count in no metric).
fn outcome_points(o: &Outcome, as_of: Date) -> Vec<(Date, f64)> {
    let mut points = vec![(o.baseline.date, o.baseline.value)];
    for m in o.measurements.iter().filter(|m| m.date <= as_of) {
        if m.date == o.baseline.date {
            points[0] = (m.date, m.value);
        } else {
            points.push((m.date, m.value));
        }
    }
    points
}

fn outcome_format(o: &Outcome, points: &[(Date, f64)]) -> (ValueFormat, u8) {
    let decimals = decimals_for(
        points
            .iter()
            .map(|p| p.1)
            .chain([o.baseline.value, o.target.value]),
    );
    (
        ValueFormat::number(decimals).with_suffix(&unit_suffix(&o.unit)),
        decimals,
    )
}

/// A card's sparkline: baseline then measurements, with the target line.
pub fn outcome_sparkline(o: &Outcome, as_of: Date) -> Chart {
    let points = outcome_points(o, as_of);
    let (format, decimals) = outcome_format(o, &points);
    let latest = points.last().map_or(o.baseline.value, |p| p.1);
    let description = format!(
        "From {} on {} to {} on {}; target {} by {}.",
        with_unit(o.baseline.value, &o.unit, decimals),
        o.baseline.date,
        with_unit(latest, &o.unit, decimals),
        points.last().map_or(o.baseline.date, |p| p.0),
        with_unit(o.target.value, &o.unit, decimals),
        o.target.date,
    );
    charts::sparkline(&SparklineInput {
        title: format!("{} trend", o.title),
        description,
        x_title: "Date".into(),
        x: XAxis::Dates(points.iter().map(|p| p.0).collect()),
        values: points.iter().map(|p| Some(p.1)).collect(),
        target: Some(o.target.value),
        format,
    })
}

/// An outcome's trend: measurements, baseline and target lines, the target date and each
/// linked item's ship date.
pub fn outcome_trend(v: &View, o: usize) -> Chart {
    let x = &v.model.outcomes[o];
    let points = outcome_points(x, v.as_of);
    let (format, decimals) = outcome_format(x, &points);
    let mut markers = vec![Marker {
        label: "Target date".into(),
        date: x.target.date,
    }];
    for &i in &v.model.links.outcome_items[o] {
        let item = &v.model.items[i];
        if let Some(shipped) = item.shipped {
            markers.push(Marker {
                label: format!("{} shipped", item.title),
                date: shipped,
            });
        }
    }
    let description = format!(
        "{} up to {}. Baseline {} on {}; target {} by {} ({} is better). Vertical lines mark the target date and the ship date of each linked roadmap item.",
        labels::count(points.len(), "measurement", "measurements"),
        v.as_of,
        with_unit(x.baseline.value, &x.unit, decimals),
        x.baseline.date,
        with_unit(x.target.value, &x.unit, decimals),
        x.target.date,
        match x.direction {
            crate::content::keywords::Direction::Increase => "higher",
            crate::content::keywords::Direction::Decrease => "lower",
        },
    );
    charts::line(&LineInput {
        title: x.title.clone(),
        description,
        x_title: "Date".into(),
        x: XAxis::Dates(points.iter().map(|p| p.0).collect()),
        series: vec![Series {
            name: x.title.clone(),
            values: points.iter().map(|p| Some(p.1)).collect(),
        }],
        reference_lines: vec![
            ReferenceLine {
                label: "Baseline".into(),
                value: x.baseline.value,
                kind: ReferenceKind::Baseline,
            },
            ReferenceLine {
                label: "Target".into(),
                value: x.target.value,
                kind: ReferenceKind::Target,
            },
        ],
        markers,
        format,
        include_zero: false,
        steps: false,
    })
}

fn quarter_labels(quarters: &[Json], key: &str) -> Vec<String> {
    quarters
        .iter()
        .map(|q| q.get(key).and_then(Json::as_str).unwrap_or("").to_string())
        .collect()
}

fn column(rows: &[Json], path: &[&str]) -> Vec<Option<f64>> {
    rows.iter().map(|r| at(r, path).as_f64()).collect()
}

/// Say/do per quarter.
pub fn say_do(quarters: &[Json]) -> Chart {
    charts::bar(&BarInput {
        title: "Say/do per quarter".into(),
        description: "Share of the items committed for each quarter (by baseline target) that shipped on or before that target. The current quarter is still running.".into(),
        category_title: "Quarter".into(),
        categories: quarter_labels(quarters, "quarter"),
        series: vec![Series {
            name: "Say/do".into(),
            values: column(quarters, &["say_do"]),
        }],
        format: ValueFormat::percent(0),
        ..BarInput::default()
    })
}

/// Items shipped per quarter, stacked by type.
pub fn shipped_by_type(quarters: &[Json]) -> Chart {
    charts::bar(&BarInput {
        title: "Shipped per quarter, by type".into(),
        description:
            "Roadmap items whose shipped date falls in each quarter, stacked by item type.".into(),
        category_title: "Quarter".into(),
        categories: quarter_labels(quarters, "quarter"),
        series: ITEM_TYPES
            .iter()
            .map(|t| Series {
                name: labels::item_type_label(*t).into(),
                values: column(quarters, &["shipped", t.as_str()]),
            })
            .collect(),
        mode: BarMode::Stacked,
        format: ValueFormat::number(0),
        ..BarInput::default()
    })
}

/// The share of shipped effort per type and quarter (stacked to 100%).
pub fn effort_mix(quarters: &[Json]) -> Chart {
    charts::bar(&BarInput {
        title: "Effort share per quarter, by type".into(),
        description: "How the effort of the items shipped in each quarter splits across item types (actual effort, else the estimate). Quarters that shipped no effort are empty.".into(),
        category_title: "Quarter".into(),
        categories: quarter_labels(quarters, "quarter"),
        series: ITEM_TYPES
            .iter()
            .map(|t| Series {
                name: labels::item_type_label(*t).into(),
                values: column(quarters, &["effort_share", t.as_str()]),
            })
            .collect(),
        mode: BarMode::Stacked,
        format: ValueFormat::percent(0),
        ..BarInput::default()
    })
}

/// The share of shipped effort of each type with a capacity target, against its target.
pub fn capacity(v: &View, quarters: &[Json]) -> Option<Chart> {
    let targets = &v.model.config.capacity_targets;
    if targets.is_empty() {
        return None;
    }
    let names: Vec<String> = targets
        .iter()
        .map(|(t, share)| {
            format!(
                "{} (target {})",
                labels::item_type_label(*t),
                ValueFormat::percent(0).format(Some(*share))
            )
        })
        .collect();
    Some(charts::bar(&BarInput {
        title: "Capacity against targets".into(),
        description: format!(
            "Effort share per quarter of the item types with a capacity target; dashed lines are the targets: {}.",
            names.join(", ")
        ),
        category_title: "Quarter".into(),
        categories: quarter_labels(quarters, "quarter"),
        series: targets
            .keys()
            .map(|t| Series {
                name: labels::item_type_label(*t).into(),
                values: column(quarters, &["effort_share", t.as_str()]),
            })
            .collect(),
        reference_lines: targets
            .iter()
            .map(|(t, share)| ReferenceLine {
                label: format!("{} target", labels::item_type_label(*t)),
                value: *share,
                kind: ReferenceKind::Target,
            })
            .collect(),
        format: ValueFormat::percent(0),
        ..BarInput::default()
    }))
}

/// Estimate against actual effort, one point per item with both.
pub fn estimates(v: &View) -> Chart {
    let points: Vec<ScatterPoint> = v
        .model
        .items
        .iter()
        .filter_map(|x| match (x.estimate, x.actual) {
            (Some(e), Some(a)) => Some(ScatterPoint {
                label: x.title.clone(),
                x: e,
                y: a,
            }),
            _ => None,
        })
        .collect();
    let above = points.iter().filter(|p| p.y > p.x).count();
    charts::scatter(&ScatterInput {
        title: "Estimate against actual effort".into(),
        description: format!(
            "{} with both an estimate and an actual effort, in working days. Points above the diagonal took longer than estimated ({} of them).",
            labels::count(points.len(), "item", "items"),
            above
        ),
        label_title: "Item".into(),
        x_title: "Estimate (days)".into(),
        y_title: "Actual (days)".into(),
        points,
        diagonal_label: "as estimated".into(),
        format: ValueFormat::number(1),
    })
}

/// The slip histogram's bins: (label, lowest, highest) in days, inclusive.
pub const SLIP_BINS: [(&str, i64, i64); 7] = [
    ("early", i64::MIN, -1),
    ("on the day", 0, 0),
    ("1–7 d", 1, 7),
    ("8–14 d", 8, 14),
    ("15–30 d", 15, 30),
    ("31–60 d", 31, 60),
    ("over 60 d", 61, i64::MAX),
];

/// How many shipped items fall in each slip bin.
pub fn slip_counts(v: &View) -> Vec<u32> {
    let mut counts = vec![0u32; SLIP_BINS.len()];
    for x in &v.model.items {
        if let Some(slip) = v
            .item_metrics(&x.id)
            .get("slip_days")
            .and_then(Json::as_i64)
            && let Some(bin) = SLIP_BINS
                .iter()
                .position(|(_, lo, hi)| (*lo..=*hi).contains(&slip))
        {
            counts[bin] += 1;
        }
    }
    counts
}

pub fn slip_histogram(v: &View) -> Chart {
    let counts = slip_counts(v);
    charts::bar(&BarInput {
        title: "Slip distribution".into(),
        description: format!(
            "Shipped items by days shipped after their baseline target ({}).",
            labels::count(counts.iter().sum::<u32>() as usize, "item", "items")
        ),
        category_title: "Slip".into(),
        categories: SLIP_BINS.iter().map(|b| b.0.to_string()).collect(),
        series: vec![Series {
            name: "Items".into(),
            values: counts.iter().map(|c| Some(f64::from(*c))).collect(),
        }],
        format: ValueFormat::number(0),
        ..BarInput::default()
    })
}

/// Incidents per month, stacked by severity in the configured order (most severe first).
/// `last` limits the chart to the latest months.
pub fn incidents_by_severity(v: &View, last: Option<usize>) -> Chart {
    let months = v
        .metric(&["reliability", "months"])
        .as_array()
        .cloned()
        .unwrap_or_default();
    let skip = last.map_or(0, |n| months.len().saturating_sub(n));
    let months = &months[skip..];
    let total: f64 = column(months, &["total"]).iter().flatten().sum();
    charts::bar(&BarInput {
        title: "Incidents per month, by severity".into(),
        description: format!(
            "{} from {} to {}, by the month of their local start date, stacked by severity.",
            labels::count(total as usize, "incident", "incidents"),
            months
                .first()
                .and_then(|m| m.get("month"))
                .and_then(Json::as_str)
                .unwrap_or(""),
            months
                .last()
                .and_then(|m| m.get("month"))
                .and_then(Json::as_str)
                .unwrap_or("")
        ),
        category_title: "Month".into(),
        categories: quarter_labels(months, "month"),
        series: v
            .model
            .config
            .severities
            .iter()
            .map(|s| Series {
                name: if s.label == s.id {
                    s.id.clone()
                } else {
                    format!("{} {}", s.id, s.label)
                },
                values: column(months, &["by_severity", &s.id]),
            })
            .collect(),
        mode: BarMode::Stacked,
        format: ValueFormat::number(0),
        ..BarInput::default()
    })
}

/// Mean time to detect, mitigate and resolve per quarter, in hours.
pub fn durations(v: &View) -> Chart {
    let quarters = v
        .metric(&["reliability", "quarters"])
        .as_array()
        .cloned()
        .unwrap_or_default();
    let hours = |key: &str| -> Vec<Option<f64>> {
        column(&quarters, &[key])
            .into_iter()
            .map(|m| m.map(|m| m / 60.0))
            .collect()
    };
    charts::line(&LineInput {
        title: "Time to detect, mitigate and resolve".into(),
        description: "Mean hours from the start of customer impact to detection (TTD), mitigation (TTM) and resolution (TTR), per quarter of the incident date. Quarters without incidents are gaps.".into(),
        x_title: "Quarter".into(),
        x: XAxis::Categories(quarter_labels(&quarters, "quarter")),
        series: vec![
            Series { name: "TTD".into(), values: hours("mean_ttd") },
            Series { name: "TTM".into(), values: hours("mean_ttm") },
            Series { name: "TTR".into(), values: hours("mean_ttr") },
        ],
        format: ValueFormat::number(1).with_suffix(" h"),
        include_zero: true,
        ..LineInput::default()
    })
}

/// Action items by status, overdue ones apart.
pub fn action_items(v: &View) -> Chart {
    let a = v.metric(&["reliability", "action_items"]);
    let n = |k: &str| at(a, &[k]).as_f64().unwrap_or(0.0);
    let overdue = n("overdue");
    charts::bar(&BarInput {
        title: "Action items by status".into(),
        description: format!(
            "{} from all post-mortems: done, still open (overdue ones apart) and decided against.",
            labels::count(n("total") as usize, "action item", "action items")
        ),
        category_title: "Status".into(),
        categories: ["Done", "Open, not yet due", "Open, overdue", "Won't do"]
            .map(String::from)
            .to_vec(),
        series: vec![Series {
            name: "Action items".into(),
            values: vec![
                Some(n("done")),
                Some(n("open") - overdue),
                Some(overdue),
                Some(n("wont_do")),
            ],
        }],
        orientation: BarOrientation::Horizontal,
        format: ValueFormat::number(0),
        ..BarInput::default()
    })
}

/// Action items within and past their SLO deadline, per priority (computed from the model
/// with the metrics' own rules; the totals equal `within_slo` and `breached`).
pub fn slo_by_priority(v: &View) -> Chart {
    let priorities = [Priority::P0, Priority::P1, Priority::P2, Priority::P3];
    let mut within = [0.0; 4];
    let mut breached = [0.0; 4];
    let config = &v.model.config;
    for pm in &v.model.postmortems {
        for a in &pm.action_items {
            let Some(p) = priorities.iter().position(|p| *p == a.priority) else {
                continue;
            };
            if crate::metrics::reliability::is_breached(pm, a, config, v.as_of) {
                breached[p] += 1.0;
            } else if a.status == ActionStatus::Done
                && a.done_on
                    .is_some_and(|d| d <= crate::metrics::reliability::deadline(pm, a, config))
            {
                within[p] += 1.0;
            }
        }
    }
    charts::bar(&BarInput {
        title: "Action item SLO by priority".into(),
        description: format!(
            "Action items closed within their SLO deadline and those closed late or still open past it, per priority. SLO days: {}.",
            priorities
                .iter()
                .map(|p| format!("{} {}", labels::priority_label(*p), config.slo_days(*p)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        category_title: "Priority".into(),
        categories: priorities
            .iter()
            .map(|p| labels::priority_label(*p).to_string())
            .collect(),
        series: vec![
            Series {
                name: "Within SLO".into(),
                values: within.iter().map(|x| Some(*x)).collect(),
            },
            Series {
                name: "Breached".into(),
                values: breached.iter().map(|x| Some(*x)).collect(),
            },
        ],
        mode: BarMode::Stacked,
        format: ValueFormat::number(0),
        ..BarInput::default()
    })
}

/// One incident's phases: minutes from the start of impact to detection, mitigation and
/// resolution (metrics.json's ttd, ttm and ttr).
pub fn incident_phases(v: &View, p: usize) -> Chart {
    let x = &v.model.postmortems[p];
    let m = v.incident_metrics(&x.id);
    let minutes = |k: &str| at(m, &[k]).as_f64();
    let (unit, scale, suffix) = match minutes("ttr") {
        Some(ttr) if ttr >= 48.0 * 60.0 => ("days", 1440.0, " d"),
        Some(ttr) if ttr >= 120.0 => ("hours", 60.0, " h"),
        _ => ("minutes", 1.0, " min"),
    };
    charts::bar(&BarInput {
        title: "Time to detect, mitigate and resolve".into(),
        description: format!(
            "Time from the start of customer impact to detection, mitigation and resolution, in {unit}."
        ),
        category_title: "Phase".into(),
        categories: ["Detected", "Mitigated", "Resolved"]
            .map(String::from)
            .to_vec(),
        series: vec![Series {
            name: format!("Since start ({unit})"),
            values: ["ttd", "ttm", "ttr"]
                .iter()
                .map(|k| minutes(k).map(|x| x / scale))
                .collect(),
        }],
        orientation: BarOrientation::Horizontal,
        format: ValueFormat::number(1).with_suffix(suffix),
        ..BarInput::default()
    })
}

/// Incidents per service in the 365 days ending at as_of, most first.
pub fn incidents_per_service(v: &View) -> Chart {
    let mut rows: Vec<(String, f64)> = v
        .metric(&["reliability", "services"])
        .as_object()
        .map(|services| {
            services
                .iter()
                .map(|(name, s)| {
                    (
                        name.clone(),
                        s.get("incidents").and_then(Json::as_f64).unwrap_or(0.0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    charts::bar(&BarInput {
        title: "Incidents per service, last 365 days".into(),
        description: "Incidents naming each service in the 365 days ending at the report date; one incident can name several services.".into(),
        category_title: "Service".into(),
        categories: rows.iter().map(|r| r.0.clone()).collect(),
        series: vec![Series {
            name: "Incidents".into(),
            values: rows.iter().map(|r| Some(r.1)).collect(),
        }],
        orientation: BarOrientation::Horizontal,
        format: ValueFormat::number(0),
        ..BarInput::default()
    })
}

/// An item's chance of having shipped by each date: the share of its possible ship dates
/// (samples or trials) on or before it, from the report date; target and baseline marked.
pub fn forecast_curve(v: &View, i: usize, detail: &crate::metrics::forecast::Detail) -> Chart {
    let x = &v.model.items[i];
    let total = f64::from(detail.total.max(1));
    let mut dates = Vec::with_capacity(detail.curve.len() + 1);
    let mut shares = Vec::with_capacity(detail.curve.len() + 1);
    if detail.curve.first().is_some_and(|(d, _)| *d > v.as_of) {
        dates.push(v.as_of);
        shares.push(Some(0.0));
    }
    let mut seen = 0u64;
    for &(date, count) in &detail.curve {
        seen += u64::from(count);
        dates.push(date);
        shares.push(Some(seen as f64 / total));
    }
    let mut markers = Vec::new();
    if let Some(target) = x.target {
        markers.push(Marker {
            label: format!("Target {target}"),
            date: target,
        });
    }
    if let Some(baseline) = x.baseline_target.filter(|b| Some(*b) != x.target) {
        markers.push(Marker {
            label: format!("Baseline target {baseline}"),
            date: baseline,
        });
    }
    // A pool holds at most 30 samples: a total of TRIALS means a simulation.
    let what = if detail.total == crate::metrics::forecast::TRIALS {
        format!("{} simulated trials", detail.total)
    } else {
        format!("{} possible ship dates", detail.total)
    };
    charts::line(&LineInput {
        title: format!("Chance that {} has shipped, by date", x.title),
        description: format!(
            "Share of its {what} on or before each date, from the report date {}. The curve crosses 50% at P50 and 85% at P85; vertical lines mark the target and the baseline target.",
            v.as_of
        ),
        x_title: "Date".into(),
        x: XAxis::Dates(dates),
        series: vec![Series {
            name: "Chance of having shipped".into(),
            values: shares,
        }],
        reference_lines: vec![
            ReferenceLine {
                label: "P50".into(),
                value: 0.5,
                kind: ReferenceKind::Baseline,
            },
            ReferenceLine {
                label: "P85".into(),
                value: 0.85,
                kind: ReferenceKind::Baseline,
            },
        ],
        markers,
        format: ValueFormat::percent(0),
        include_zero: true,
        steps: false,
    })
}

/// A quarter label that fits a timeline column: `Q3 ’26`, `Q1 FY27`.
fn short_quarter(q: Quarter) -> String {
    let yy = q.year.rem_euclid(100);
    if q.is_fiscal() {
        format!("Q{} FY{yy:02}", q.number)
    } else {
        format!("Q{} ’{yy:02}", q.number)
    }
}

fn next_quarter(q: Quarter) -> Quarter {
    let day = q.last_day().tomorrow().unwrap_or(q.last_day());
    Quarter::of(day, q.start_month)
}

/// The quarters the roadmap timeline shows: the previous quarter, the current one and the
/// next two.
pub fn timeline_quarters(v: &View) -> Vec<Quarter> {
    let current = Quarter::of(v.as_of, v.model.config.quarter_start_month);
    let first = current.previous();
    let mut out = vec![first];
    for _ in 0..3 {
        let last = *out.last().unwrap_or(&first);
        out.push(next_quarter(last));
    }
    out
}

/// How an item's bar is drawn on the timeline.
pub fn timeline_status(v: &View, i: usize) -> TimelineStatus {
    let x = &v.model.items[i];
    let overdue = !v.item_metrics(&x.id)["overdue_days"].is_null();
    match x.status {
        ItemStatus::Shipped => TimelineStatus::Shipped,
        ItemStatus::Cancelled => TimelineStatus::Cancelled,
        ItemStatus::Paused => TimelineStatus::Paused,
        _ if overdue => TimelineStatus::Overdue,
        ItemStatus::InProgress => TimelineStatus::InProgress,
        ItemStatus::Planned | ItemStatus::Idea => TimelineStatus::Planned,
    }
}

/// An open item's P50–P85 range, when it has a forecast.
fn forecast_range(v: &View, id: &str) -> Option<(Date, Date)> {
    let f = v.metric(&["forecast", "items", id]);
    let date = |k: &str| f.get(k).and_then(Json::as_str)?.parse::<Date>().ok();
    Some((date("p50")?, date("p85")?))
}

/// The most rows a roadmap timeline draws.
pub const TIMELINE_ROWS: usize = 80;

/// The roadmap timeline over the four quarters around as_of. Returns the chart and the ids
/// left out for lack of dates.
pub fn roadmap_timeline(v: &View, items: &[usize]) -> (Chart, Vec<usize>) {
    let (chart, undated, _) = timeline_rows(v, items, &timeline_quarters(v));
    (chart, undated)
}

/// One timeline per quarter of [`timeline_quarters`], with each quarter's label; `None` for
/// a quarter no dated item overlaps.
pub fn quarter_timelines(v: &View, items: &[usize]) -> Vec<(Quarter, Option<Chart>)> {
    timeline_quarters(v)
        .into_iter()
        .map(|q| {
            let (chart, _, drawn) = timeline_rows(v, items, &[q]);
            (q, (drawn > 0).then_some(chart))
        })
        .collect()
}

/// Items with a start and an end (shipped, else target) that overlap `quarters`, earliest
/// start first, the ids left out for lack of dates, and the number of rows drawn.
fn timeline_rows(v: &View, items: &[usize], quarters: &[Quarter]) -> (Chart, Vec<usize>, usize) {
    let (Some(first), Some(last)) = (quarters.first(), quarters.last()) else {
        return (charts::timeline(&TimelineInput::default()), Vec::new(), 0);
    };
    let (from, to) = (first.first_day(), last.last_day());
    let mut rows: Vec<(Date, String, TimelineRow)> = Vec::new();
    let mut undated = Vec::new();
    for &i in items {
        let x = &v.model.items[i];
        let end = x.shipped.or(x.target).or(x.baseline_target);
        match (x.start, end) {
            (Some(start), Some(end)) if end >= from && start <= to => {
                rows.push((
                    start,
                    x.title.clone(),
                    TimelineRow {
                        label: x.title.clone(),
                        start,
                        end,
                        status: timeline_status(v, i),
                        forecast: forecast_range(v, &x.id),
                    },
                ));
            }
            (None, _) | (_, None)
                if matches!(
                    x.status,
                    ItemStatus::Planned | ItemStatus::InProgress | ItemStatus::Paused
                ) =>
            {
                undated.push(i)
            }
            _ => {}
        }
    }
    // A large roadmap keeps the chart readable: open work first, then the latest shipped.
    let in_window = rows.len();
    if rows.len() > TIMELINE_ROWS {
        let done =
            |s: &TimelineStatus| matches!(s, TimelineStatus::Shipped | TimelineStatus::Cancelled);
        rows.sort_by(|a, b| {
            done(&a.2.status)
                .cmp(&done(&b.2.status))
                .then_with(|| b.2.end.cmp(&a.2.end))
                .then_with(|| a.1.cmp(&b.1))
        });
        rows.truncate(TIMELINE_ROWS);
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let drawn = if rows.len() < in_window {
        format!(
            "{} of the {} in these quarters (open work first, then the latest shipped; the board lists them all)",
            rows.len(),
            labels::count(in_window, "item", "items")
        )
    } else {
        labels::count(rows.len(), "item", "items")
    };
    let (title, span) = if first == last {
        (format!("Roadmap timeline, {first}"), "in the quarter")
    } else {
        (
            format!("Roadmap timeline, {first} to {last}"),
            "over four quarters",
        )
    };
    let drawn_rows = rows.len();
    let chart = charts::timeline(&TimelineInput {
        title,
        description: format!(
            "{drawn} drawn from their start to their ship date, or to their target when not shipped, {span}; an open item's forecast continues its bar as an outlined band from P50 to P85; the vertical line is the report date when it falls inside."
        ),
        rows: rows.into_iter().map(|r| r.2).collect(),
        periods: quarters
            .iter()
            .map(|q| Period {
                label: short_quarter(*q),
                start: q.first_day(),
                end: q.last_day(),
            })
            .collect(),
        markers: (from..=to)
            .contains(&v.as_of)
            .then(|| Marker {
                label: format!("Today ({})", v.as_of),
                date: v.as_of,
            })
            .into_iter()
            .collect(),
    });
    (chart, undated, drawn_rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_data() {
        assert_eq!(decimals_for([41.0, 30.0]), 0);
        assert_eq!(decimals_for([41.0, 30.5]), 1);
        assert_eq!(decimals_for([0.25, 30.5]), 2);
        assert_eq!(unit_suffix("%"), "%");
        assert_eq!(unit_suffix("days"), " days");
        let q = Quarter::of(jiff::civil::date(2026, 8, 1), 1);
        assert_eq!(short_quarter(q), "Q3 ’26");
        let fy = Quarter::of(jiff::civil::date(2026, 8, 1), 7);
        assert_eq!(short_quarter(fy), "Q1 FY27");
    }

    #[test]
    fn slip_bins_cover_every_day_once() {
        for slip in -400..400 {
            let hits = SLIP_BINS
                .iter()
                .filter(|(_, lo, hi)| (*lo..=*hi).contains(&slip))
                .count();
            assert_eq!(hits, 1, "{slip}");
        }
    }
}
