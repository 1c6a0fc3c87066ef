//! Forecasts (spec/forecast.md): when each open item will likely ship, drawn from the flow
//! of the team's own shipped items, and how often such forecasts held (calibration).
//!
//! Everything is counted in working days ([`Calendar`] indices). An open item's possible
//! ship dates are its duration samples laid from its start; an item waiting on open work is
//! simulated jointly with what it waits on ([`simulate`]), one draw per item per trial.

pub mod calibration;
pub mod draws;
pub mod history;
mod simulate;

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

use super::Definition;
use super::calendar::Calendar;
use crate::content::keywords::ItemStatus;
use crate::model::Model;
pub use calibration::{Calibration, Checkpoint};
pub use draws::{Distribution, TRIALS};
pub use history::{Basis, History, Pool, Pools};

pub const DEFINITIONS: &[Definition] = &[
    Definition {
        key: "forecast.p50",
        label: "P50",
        formula: "the ship date at position ⌈0.5 × N⌉ of the N possible ship dates, sorted (nearest rank): as likely to ship by then as not",
    },
    Definition {
        key: "forecast.p85",
        label: "P85",
        formula: "the ship date at position ⌈0.85 × N⌉ of the N possible ship dates, sorted (nearest rank)",
    },
    Definition {
        key: "forecast.p_on_target",
        label: "Chance of making the target",
        formula: "share of the possible ship dates on or before target",
    },
    Definition {
        key: "forecast.p_on_baseline",
        label: "Chance of making the baseline",
        formula: "share of the possible ship dates on or before baseline_target",
    },
    Definition {
        key: "forecast.method",
        label: "Method",
        formula: "exact when nothing it depends on is still open: each duration sample gives one ship date; simulated otherwise: 10,000 trials drawing one sample for it and for each open item it waits on",
    },
    Definition {
        key: "forecast.basis",
        label: "Basis",
        formula: "team when its team has 5 or more shipped items with start and estimate, else all teams' items when those are 5 or more",
    },
    Definition {
        key: "forecast.samples",
        label: "Samples",
        formula: "flow ratios in the pool (at most the 30 most recently shipped); for an item in progress, only those that took longer than it has run so far",
    },
    Definition {
        key: "forecast.reason",
        label: "No forecast",
        formula: "no-estimate, no-history (fewer than 5 shipped items with start and estimate), waits-on:<id> (a dependency that is an idea, paused, cancelled or has no forecast), beyond-history (running longer than any comparable item took)",
    },
    Definition {
        key: "forecast.flow_ratio",
        label: "Flow ratio",
        formula: "working days from start to ship date inclusive ÷ estimate, of a shipped item; a duration sample is max(1, ⌈estimate × ratio⌉) working days",
    },
    Definition {
        key: "forecast.trials",
        label: "Trials",
        formula: "trials of a simulated forecast",
    },
    Definition {
        key: "forecast.calibration.cases",
        label: "Cases",
        formula: "items in progress at a checkpoint (started before it, with an estimate, shipped on or after it or still in progress), each forecast as of that day",
    },
    Definition {
        key: "forecast.calibration.hit_p50",
        label: "Shipped by P50",
        formula: "cases shipped on or before their P50 ÷ decided cases (a case still open counts as missed once P50 is before the report date, undecided before); well calibrated near 50%",
    },
    Definition {
        key: "forecast.calibration.hit_p85",
        label: "Shipped by P85",
        formula: "cases shipped on or before their P85 ÷ decided cases; well calibrated near 85%",
    },
    Definition {
        key: "forecast.calibration.hit_baseline",
        label: "Shipped by the committed date",
        formula: "cases shipped on or before their baseline_target ÷ decided cases with one",
    },
];

/// Why an open item has no forecast.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    NoEstimate,
    NoHistory,
    /// A dependency that is an idea, paused, cancelled, or has no forecast itself.
    WaitsOn(String),
    /// In progress longer than every duration sample.
    BeyondHistory,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoEstimate => f.write_str("no-estimate"),
            Reason::NoHistory => f.write_str("no-history"),
            Reason::WaitsOn(id) => write!(f, "waits-on:{id}"),
            Reason::BeyondHistory => f.write_str("beyond-history"),
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    Exact,
    Simulated,
}

/// One open item's forecast. Fields in alphabetical order (metrics.json's key order); an
/// undated entry has only `reason`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ItemForecast {
    pub basis: Option<Basis>,
    pub method: Option<Method>,
    pub p50: Option<Date>,
    pub p85: Option<Date>,
    pub p_on_baseline: Option<f64>,
    pub p_on_target: Option<f64>,
    pub reason: Option<Reason>,
    pub samples: Option<u32>,
    /// Not in metrics.json: what pages show around the numbers.
    #[serde(skip)]
    pub detail: Detail,
}

/// What the site shows around an item's forecast.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detail {
    /// Every possible ship date with how many of the N samples or trials give it, by date.
    pub curve: Vec<(Date, u32)>,
    /// N: samples (exact) or trials (simulated).
    pub total: u32,
    /// Ratios in the pool before the in-progress filter.
    pub pool_size: usize,
    /// Working days an in-progress item has run by as_of.
    pub elapsed: Option<i64>,
    /// The longest duration sample (for `beyond-history`).
    pub longest: Option<i64>,
}

/// `forecast` in metrics.json. Fields in alphabetical order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Forecast {
    pub calibration: Calibration,
    /// Every planned or in-progress item, by id.
    pub items: BTreeMap<String, ItemForecast>,
    pub trials: u32,
}

/// How one open item's ship date follows from a duration sample `d` (working days, ≥ 1) and
/// `after`, the index of the first working day after its latest dependency's ship date.
#[derive(Clone, Debug)]
struct Plan {
    in_progress: bool,
    /// Planned: the index of its start (as_of, or a later `start`); in progress: of as_of.
    floor: i64,
    /// The first working day after its latest shipped dependency (i64::MIN without).
    after_shipped: i64,
    /// Duration samples: D for a planned item, D − e for one in progress (D > e kept).
    durations: Vec<i64>,
    /// Planned and in-progress dependencies (each with a dated forecast).
    open_dependencies: Vec<usize>,
}

impl Plan {
    fn ship(&self, d: i64, after: i64) -> i64 {
        let after = after.max(self.after_shipped);
        if self.in_progress {
            (self.floor + d - 1).max(after)
        } else {
            self.floor.max(after) + d - 1
        }
    }
}

fn is_open(status: ItemStatus) -> bool {
    matches!(status, ItemStatus::Planned | ItemStatus::InProgress)
}

/// Every open item's forecast and the calibration record at `as_of`.
pub fn compute(model: &Model, as_of: Date) -> Forecast {
    let calendar = Calendar::new(&model.config.holidays);
    let history = History::new(&model.items, &calendar);
    let (plans, mut items) = plans(model, as_of, &calendar, &history);

    let simulated: Vec<usize> = (0..model.items.len())
        .filter(|&i| {
            plans[i]
                .as_ref()
                .is_some_and(|p| !p.open_dependencies.is_empty())
        })
        .collect();
    for (i, plan) in plans.iter().enumerate() {
        let Some(plan) = plan else { continue };
        if plan.open_dependencies.is_empty() {
            let mut dates: Vec<i64> = plan
                .durations
                .iter()
                .map(|&d| plan.ship(d, i64::MIN))
                .collect();
            let dist = Distribution::of(&mut dates);
            report(model, i, &calendar, &dist, Method::Exact, &mut items);
        }
    }
    for (i, dist) in simulate::run(model, &plans, &simulated) {
        report(model, i, &calendar, &dist, Method::Simulated, &mut items);
    }

    Forecast {
        calibration: calibration::compute(model, as_of, &calendar, &history),
        items: model
            .items
            .iter()
            .zip(items)
            .filter_map(|(x, f)| f.map(|f| (x.id.clone(), f)))
            .collect(),
        trials: TRIALS,
    }
}

/// The plan of every open item with a forecast (`None` for the others), and every open
/// item's entry as far as it is known: the reason when undated, else basis and samples.
fn plans(
    model: &Model,
    as_of: Date,
    calendar: &Calendar,
    history: &History,
) -> (Vec<Option<Plan>>, Vec<Option<ItemForecast>>) {
    let n = model.items.len();
    let mut plans: Vec<Option<Plan>> = vec![None; n];
    let mut entries: Vec<Option<ItemForecast>> = vec![None; n];
    let mut pools = Pools::new(history, as_of.tomorrow().unwrap_or(as_of));
    let now = calendar.index(as_of);
    for i in dependencies_first(model) {
        let x = &model.items[i];
        if !is_open(x.status) {
            continue;
        }
        let mut entry = ItemForecast::default();
        let outcome = (|| {
            let estimate = x.estimate.ok_or(Reason::NoEstimate)?;
            let pool = pools.get(x.team.as_deref()).ok_or(Reason::NoHistory)?;
            let mut after_shipped = i64::MIN;
            let mut open_dependencies = Vec::new();
            for r in &x.depends_on {
                let Some(d) = model.item_index(&r.id) else {
                    continue;
                };
                let dep = &model.items[d];
                match (dep.status, dep.shipped) {
                    (ItemStatus::Shipped, Some(shipped)) => {
                        after_shipped = after_shipped.max(calendar.index_after(shipped));
                    }
                    (s, _) if is_open(s) && plans[d].is_some() => open_dependencies.push(d),
                    _ => return Err(Reason::WaitsOn(dep.id.clone())),
                }
            }
            open_dependencies.sort_unstable();
            open_dependencies.dedup();
            entry.basis = Some(pool.basis);
            entry.detail.pool_size = pool.ratios.len();
            let all = pool.durations(estimate);
            entry.detail.longest = all.iter().copied().max();
            let (in_progress, floor, durations) = if x.status == ItemStatus::InProgress {
                let e = x.start.map_or(0, |s| calendar.wd(s, as_of));
                entry.detail.elapsed = Some(e);
                let left: Vec<i64> = all.iter().filter(|&&d| d > e).map(|d| d - e).collect();
                (true, now, left)
            } else {
                let start = x.start.map_or(now, |s| calendar.index(s).max(now));
                (false, start, all)
            };
            if durations.is_empty() {
                return Err(Reason::BeyondHistory);
            }
            entry.samples = Some(durations.len() as u32);
            Ok(Plan {
                in_progress,
                floor,
                after_shipped,
                durations,
                open_dependencies,
            })
        })();
        match outcome {
            Ok(plan) => plans[i] = Some(plan),
            Err(reason) => {
                entry = ItemForecast {
                    reason: Some(reason),
                    detail: Detail {
                        elapsed: entry.detail.elapsed,
                        longest: entry.detail.longest,
                        pool_size: entry.detail.pool_size,
                        ..Detail::default()
                    },
                    ..ItemForecast::default()
                }
            }
        }
        entries[i] = Some(entry);
    }
    (plans, entries)
}

/// Fill in a dated entry from its distribution of ship dates.
fn report(
    model: &Model,
    i: usize,
    calendar: &Calendar,
    dist: &Distribution,
    method: Method,
    entries: &mut [Option<ItemForecast>],
) {
    let x = &model.items[i];
    let Some(entry) = entries.get_mut(i).and_then(Option::as_mut) else {
        return;
    };
    // Dates on or before `limit`: indices below the first working day after it.
    let by = |limit: Option<Date>| limit.and_then(|l| dist.share_below(calendar.index_after(l)));
    entry.method = Some(method);
    entry.p50 = dist.percentile(50).map(|k| calendar.date(k));
    entry.p85 = dist.percentile(85).map(|k| calendar.date(k));
    entry.p_on_target = by(x.target);
    entry.p_on_baseline = by(x.baseline_target);
    entry.detail.total = dist.total;
    entry.detail.curve = dist
        .counts
        .iter()
        .map(|&(k, c)| (calendar.date(k), c))
        .collect();
}

/// Every item index, each after all the items it depends on (the model has no cycles).
fn dependencies_first(model: &Model) -> Vec<usize> {
    let n = model.items.len();
    let deps = &model.links.item_dependencies;
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if done[root] {
            continue;
        }
        stack.push((root, 0));
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            match deps.get(node).and_then(|ds| ds.get(*next)) {
                Some(&d) => {
                    *next += 1;
                    if !done[d] {
                        stack.push((d, 0));
                    }
                }
                None => {
                    stack.pop();
                    if !done[node] {
                        done[node] = true;
                        order.push(node);
                    }
                }
            }
        }
    }
    order
}
