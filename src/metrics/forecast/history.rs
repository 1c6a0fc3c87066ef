//! The history forecasts draw from: the flow ratio of every shipped item, and the ratio pool
//! of a team (or of everyone) at a date.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::content::RoadmapItem;
use crate::content::keywords::ItemStatus;
use crate::metrics::calendar::Calendar;

/// The most ratios a pool holds: the most recently shipped.
pub const POOL_LIMIT: usize = 30;
/// The fewest ratios a pool needs.
pub const POOL_MINIMUM: usize = 5;

/// Which items a pool was taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Items of the same team.
    Team,
    /// Every team's items.
    All,
}

/// One shipped item's flow: `working_days ÷ estimate` working days per estimated day.
#[derive(Clone, Copy, Debug)]
struct Flow<'a> {
    shipped: Date,
    team: Option<&'a str>,
    /// `wd(start, shipped + 1 day)`.
    working_days: i64,
    estimate: f64,
}

/// Every flow ratio, sorted by (shipped, id).
pub struct History<'a> {
    flows: Vec<Flow<'a>>,
}

/// The ratios a forecast draws from, each `(working days, estimate)` of one shipped item.
#[derive(Clone, Debug, PartialEq)]
pub struct Pool {
    pub basis: Basis,
    pub ratios: Vec<(i64, f64)>,
}

impl Pool {
    /// The duration samples of an item estimated at `estimate` days: `max(1, ⌈estimate ×
    /// w ÷ e⌉)` for each ratio w ÷ e, in pool order, duplicates kept.
    pub fn durations(&self, estimate: f64) -> Vec<i64> {
        self.ratios
            .iter()
            .map(|&(w, e)| duration(estimate, w, e))
            .collect()
    }
}

/// The longest duration sample, in working days.
pub const MAX_DURATION: i64 = 10_000_000;

/// `max(1, ⌈estimate × w ÷ e⌉)`, exact for estimates written with up to four decimals (the
/// `− 1e-9` absorbs the rounding of binary floating point: 27 × 7 ÷ 3 is 63, never 64).
/// Capped at 10,000,000 working days (about 40,000 years) so that no date arithmetic can
/// overflow on absurd input.
pub fn duration(estimate: f64, w: i64, e: f64) -> i64 {
    let exact = estimate * w as f64 / e;
    let d = (exact - 1e-9).ceil();
    if d.is_nan() {
        1
    } else {
        d.clamp(1.0, MAX_DURATION as f64) as i64
    }
}

impl<'a> History<'a> {
    /// The flow ratios of `items`: status shipped, with `start`, `shipped` and an estimate
    /// above 0.
    pub fn new(items: &'a [RoadmapItem], calendar: &Calendar) -> History<'a> {
        let mut flows: Vec<(Flow<'a>, &str)> = items
            .iter()
            .filter(|x| x.status == ItemStatus::Shipped)
            .filter_map(|x| {
                let (start, shipped, estimate) = (x.start?, x.shipped?, x.estimate?);
                (estimate > 0.0).then(|| {
                    let flow = Flow {
                        shipped,
                        team: x.team.as_deref(),
                        working_days: (calendar.index_after(shipped) - calendar.index(start))
                            .max(0),
                        estimate,
                    };
                    (flow, x.id.as_str())
                })
            })
            .collect();
        flows.sort_by(|a, b| (a.0.shipped, a.1).cmp(&(b.0.shipped, b.1)));
        History {
            flows: flows.into_iter().map(|(f, _)| f).collect(),
        }
    }

    /// The pool of an item of `team` at `c`: the last [`POOL_LIMIT`] ratios of items shipped
    /// before `c` — of the same team when they are [`POOL_MINIMUM`] or more, else of every
    /// team when those are; `None` otherwise.
    pub fn pool(&self, team: Option<&str>, c: Date) -> Option<Pool> {
        let before = &self.flows[..self.flows.partition_point(|f| f.shipped < c)];
        let last = |flows: Vec<&Flow>| -> Vec<(i64, f64)> {
            let skip = flows.len().saturating_sub(POOL_LIMIT);
            flows[skip..]
                .iter()
                .map(|f| (f.working_days, f.estimate))
                .collect()
        };
        if let Some(team) = team {
            let mine: Vec<&Flow> = before.iter().filter(|f| f.team == Some(team)).collect();
            if mine.len() >= POOL_MINIMUM {
                return Some(Pool {
                    basis: Basis::Team,
                    ratios: last(mine),
                });
            }
        }
        (before.len() >= POOL_MINIMUM).then(|| Pool {
            basis: Basis::All,
            ratios: last(before.iter().collect()),
        })
    }
}

/// Pools at one date, taken once per team.
pub struct Pools<'h, 'a> {
    history: &'h History<'a>,
    at: Date,
    cache: HashMap<Option<&'a str>, Option<Pool>>,
}

impl<'h, 'a> Pools<'h, 'a> {
    pub fn new(history: &'h History<'a>, at: Date) -> Pools<'h, 'a> {
        Pools {
            history,
            at,
            cache: HashMap::new(),
        }
    }

    pub fn get(&mut self, team: Option<&'a str>) -> Option<&Pool> {
        let (history, at) = (self.history, self.at);
        self.cache
            .entry(team)
            .or_insert_with(|| history.pool(team, at))
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_exact_fractions() {
        // 27 × 7 ÷ 3 = 63 exactly
        assert_eq!(duration(27.0, 7, 3.0), 63);
        // 10 × 12 ÷ 8 = 15; 10 × 13 ÷ 8 = 16.25 → 17
        assert_eq!(duration(10.0, 12, 8.0), 15);
        assert_eq!(duration(10.0, 13, 8.0), 17);
        // 0.1 × 3 ÷ 0.3 = 1 (0.30000000000000004 ÷ 0.3 in floating point)
        assert_eq!(duration(0.1, 3, 0.3), 1);
        // 2.3 × 10 ÷ 2.3 = 10
        assert_eq!(duration(2.3, 10, 2.3), 10);
        // at least one day
        assert_eq!(duration(0.0, 10, 5.0), 1);
        assert_eq!(duration(1e300, 10, 1e-300), MAX_DURATION);
    }
}
