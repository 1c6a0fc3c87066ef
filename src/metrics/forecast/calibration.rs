//! Calibration: at the start of each of the four previous quarters, every item then in
//! progress is forecast as of that day, and the record says how often it shipped by its P50,
//! its P85 and its committed date.

use jiff::civil::Date;
use serde::Serialize;

use super::draws::Distribution;
use super::history::{History, Pools};
use crate::content::RoadmapItem;
use crate::content::keywords::ItemStatus;
use crate::metrics::calendar::Calendar;
use crate::metrics::periods::Quarter;
use crate::metrics::stats::ratio;
use crate::model::Model;

/// One checkpoint's record. Fields in alphabetical order (metrics.json's key order).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Checkpoint {
    pub cases: u32,
    pub date: Date,
    pub hit_baseline: Option<f64>,
    pub hit_p50: Option<f64>,
    pub hit_p85: Option<f64>,
    #[serde(skip)]
    pub tally: Tally,
}

/// The record over every checkpoint (a case at two checkpoints counts twice).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Calibration {
    pub cases: u32,
    /// Oldest first, all four even without cases.
    pub checkpoints: Vec<Checkpoint>,
    pub hit_baseline: Option<f64>,
    pub hit_p50: Option<f64>,
    pub hit_p85: Option<f64>,
    #[serde(skip)]
    pub tally: Tally,
}

/// Hits and decided cases, for P50, P85 and the baseline target.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub p50: Hits,
    pub p85: Hits,
    pub baseline: Hits,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    pub hits: u32,
    pub decided: u32,
}

impl Hits {
    fn add(&mut self, outcome: Option<bool>) {
        if let Some(hit) = outcome {
            self.decided += 1;
            self.hits += u32::from(hit);
        }
    }

    fn rate(self) -> Option<f64> {
        ratio(f64::from(self.hits), f64::from(self.decided))
    }

    fn plus(self, other: Hits) -> Hits {
        Hits {
            hits: self.hits + other.hits,
            decided: self.decided + other.decided,
        }
    }
}

/// The first days of the four quarters before the one holding `as_of`, oldest first.
pub fn checkpoints(as_of: Date, quarter_start_month: u8) -> Vec<Date> {
    let mut q = Quarter::of(as_of, quarter_start_month);
    let mut out = Vec::with_capacity(4);
    for _ in 0..4 {
        q = q.previous();
        out.push(q.first_day());
    }
    out.reverse();
    out
}

/// Whether a date held: `Some(true)` when shipped on or before it, `Some(false)` when shipped
/// after it or still open once it has passed (before as_of), `None` while undecided.
fn held(item: &RoadmapItem, date: Date, as_of: Date) -> Option<bool> {
    match (item.status, item.shipped) {
        (ItemStatus::Shipped, Some(shipped)) => Some(shipped <= date),
        _ if date < as_of => Some(false),
        _ => None,
    }
}

pub fn compute(model: &Model, as_of: Date, calendar: &Calendar, history: &History) -> Calibration {
    let mut out = Calibration::default();
    for c in checkpoints(as_of, model.config.quarter_start_month) {
        let point = checkpoint(model, c, as_of, calendar, history);
        out.cases += point.cases;
        out.tally.p50 = out.tally.p50.plus(point.tally.p50);
        out.tally.p85 = out.tally.p85.plus(point.tally.p85);
        out.tally.baseline = out.tally.baseline.plus(point.tally.baseline);
        out.checkpoints.push(point);
    }
    out.hit_p50 = out.tally.p50.rate();
    out.hit_p85 = out.tally.p85.rate();
    out.hit_baseline = out.tally.baseline.rate();
    out
}

/// The cases at `c`: items started before it, with an estimate, shipped on or after it or
/// still in progress; each forecast as an in-progress item at `c` (exact, dependencies
/// ignored), with the pool of items shipped before `c`.
fn checkpoint(
    model: &Model,
    c: Date,
    as_of: Date,
    calendar: &Calendar,
    history: &History,
) -> Checkpoint {
    let mut pools = Pools::new(history, c);
    let mut point = Checkpoint {
        date: c,
        ..Checkpoint::default()
    };
    let at = calendar.index(c);
    for x in &model.items {
        let (Some(start), Some(estimate)) = (x.start, x.estimate) else {
            continue;
        };
        let running = match (x.status, x.shipped) {
            (ItemStatus::Shipped, Some(shipped)) => shipped >= c,
            (ItemStatus::InProgress, _) => true,
            _ => false,
        };
        if start >= c || !running {
            continue;
        }
        let Some(pool) = pools.get(x.team.as_deref()) else {
            continue;
        };
        let e = calendar.wd(start, c);
        let mut dates: Vec<i64> = pool
            .durations(estimate)
            .into_iter()
            .filter(|&d| d > e)
            .map(|d| at + (d - e) - 1)
            .collect();
        let dist = Distribution::of(&mut dates);
        let (Some(p50), Some(p85)) = (dist.percentile(50), dist.percentile(85)) else {
            continue;
        };
        point.cases += 1;
        point.tally.p50.add(held(x, calendar.date(p50), as_of));
        point.tally.p85.add(held(x, calendar.date(p85), as_of));
        if let Some(b) = x.baseline_target {
            point.tally.baseline.add(held(x, b, as_of));
        }
    }
    point.hit_p50 = point.tally.p50.rate();
    point.hit_p85 = point.tally.p85.rate();
    point.hit_baseline = point.tally.baseline.rate();
    point
}
