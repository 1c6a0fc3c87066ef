//! Outcomes (success metrics): `content/outcomes/<id>.yaml` or `.md`.

use jiff::civil::Date;
use serde::Serialize;

use super::field_table;
use super::fields::{Fields, FileCtx, NameUse};
use super::keywords::Direction;
use crate::diagnostics::Pos;

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Point {
    pub value: f64,
    pub date: Date,
}

#[derive(Clone, Debug, Serialize)]
pub struct Measurement {
    pub date: Date,
    pub value: f64,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub id: String,
    pub path: String,
    #[serde(skip)]
    pub id_pos: Pos,
    pub title: String,
    pub unit: String,
    pub direction: Direction,
    pub baseline: Point,
    pub target: Point,
    /// Sorted by date (the file may list them in any order).
    pub measurements: Vec<Measurement>,
    pub owner: Option<String>,
    pub team: Option<String>,
    pub tags: Vec<String>,
    /// Markdown: `description` in a `.yaml` file, the body in a `.md` file.
    pub description: String,
    #[serde(skip)]
    pub description_line: u32,
    /// `team`, with where it is written.
    #[serde(skip)]
    pub names: Vec<NameUse>,
}

impl Outcome {
    /// Whether `value` meets the target, by the outcome's direction.
    pub fn meets_target(&self, value: f64) -> bool {
        match self.direction {
            Direction::Increase => value >= self.target.value,
            Direction::Decrease => value <= self.target.value,
        }
    }

    /// Whether `a` is strictly better than `b`, by the outcome's direction.
    pub fn is_better(&self, a: f64, b: f64) -> bool {
        match self.direction {
            Direction::Increase => a > b,
            Direction::Decrease => a < b,
        }
    }
}

const WHAT: &str = "an outcome";

/// The known fields: a `.md` outcome has its body instead of `description`.
pub fn fields_for(markdown: bool) -> Vec<&'static str> {
    let mut names = field_table::OUTCOME.names();
    if markdown {
        names.retain(|n| *n != "description");
    }
    names
}

fn point(cx: &mut FileCtx, f: &Fields, name: &str) -> Option<(Point, Pos, Pos)> {
    let Some(node) = f.get(name) else {
        cx.missing(f, name, WHAT);
        return None;
    };
    let p = cx.fields(node, &field_table::BASELINE.names(), &format!("`{name}`"))?;
    let value = match p.get("value") {
        Some(n) => cx.number(n, "value"),
        None => {
            cx.missing(&p, "value", &format!("`{name}`"));
            None
        }
    };
    let date = cx.req_date(&p, "date", &format!("`{name}`"));
    Some((
        Point {
            value: value?,
            date: date?,
        },
        p.pos_of("value"),
        p.pos_of("date"),
    ))
}

pub fn parse(
    cx: &mut FileCtx,
    f: &Fields,
    id: String,
    id_pos: Pos,
    path: &str,
    body: Option<(&str, u32)>,
) -> Option<Outcome> {
    let title = cx.req_string(f, "title", WHAT);
    let unit = cx.req_string(f, "unit", WHAT);
    let direction = cx.req_keyword::<Direction>(f, "direction", WHAT);
    let baseline = point(cx, f, "baseline");
    let target = point(cx, f, "target");
    let (description, description_line) = match body {
        Some((text, line)) => (text.to_string(), line),
        None => (
            cx.opt_string(f, "description").unwrap_or_default(),
            f.get("description").map_or(0, |n| n.pos.line),
        ),
    };

    let mut measurements: Vec<(Measurement, Pos)> = Vec::new();
    for (m, pos) in cx.map_list(
        f,
        "measurements",
        &field_table::MEASUREMENT.names(),
        field_table::MEASUREMENT.what,
    ) {
        let date = cx.req_date(&m, "date", "a measurement");
        let value = match m.get("value") {
            Some(n) => cx.number(n, "value"),
            None => {
                cx.missing(&m, "value", "a measurement");
                None
            }
        };
        let note = cx.opt_string(&m, "note");
        let _ = pos;
        if let (Some(date), Some(value)) = (date, value) {
            measurements.push((Measurement { date, value, note }, m.pos_of("date")));
        }
    }
    let owner = cx.opt_string(f, "owner");
    let team = cx.opt_name(f, "team", "team");
    let tags = cx.string_list(f, "tags");

    // Each check runs when the values it compares are readable, whatever else is missing.
    if let (Some((baseline, _, baseline_date_pos)), Some((target, _, target_date_pos))) =
        (baseline, target)
        && baseline.date >= target.date
    {
        cx.error(
            target_date_pos,
            "`target.date` must be after `baseline.date`",
            format!(
                "{} is not after the baseline date {} (line {})",
                target.date, baseline.date, baseline_date_pos.line
            ),
        );
    }
    if let (Some(direction), Some((baseline, _, _)), Some((target, target_value_pos, _))) =
        (direction, baseline, target)
    {
        let wrong_side = match direction {
            Direction::Increase => target.value <= baseline.value,
            Direction::Decrease => target.value >= baseline.value,
        };
        if wrong_side {
            let side = match direction {
                Direction::Increase => "above",
                Direction::Decrease => "below",
            };
            cx.error(
                target_value_pos,
                "the target does not improve on the baseline",
                format!(
                    "direction is `{direction}`, so the target must be {side} the baseline {}",
                    baseline.value
                ),
            );
        }
    }

    measurements.sort_by_key(|(m, _)| m.date);
    for pair in measurements.windows(2) {
        if pair[0].0.date == pair[1].0.date {
            let (first, second) = if pair[0].1 < pair[1].1 {
                (pair[0].1, pair[1].1)
            } else {
                (pair[1].1, pair[0].1)
            };
            cx.error(
                second,
                "duplicate measurement date",
                format!(
                    "{} is already measured on line {}",
                    pair[0].0.date, first.line
                ),
            );
        }
    }
    if let Some((baseline, _, _)) = baseline {
        for (m, pos) in &measurements {
            if m.date < baseline.date {
                cx.error(
                    *pos,
                    "measurement before the baseline",
                    format!("{} is before baseline.date {}", m.date, baseline.date),
                );
            }
        }
    }

    let (title, unit, direction, (baseline, _, _), (target, _, _)) =
        (title?, unit?, direction?, baseline?, target?);
    Some(Outcome {
        id,
        path: path.to_string(),
        id_pos,
        title,
        unit,
        direction,
        baseline,
        target,
        measurements: measurements.into_iter().map(|(m, _)| m).collect(),
        owner,
        team: team.as_ref().map(|t| t.name.clone()),
        tags,
        description,
        description_line,
        names: team.into_iter().collect(),
    })
}
