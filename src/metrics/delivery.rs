//! Delivery: how roadmap items slip, ship and move their outcomes, per item and per quarter.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::Serialize;

use super::Definition;
use super::outcomes::measured;
use super::periods::{Quarter, quarter_series};
use super::stats::{Days, median, median_days, ratio};
use crate::content::dates::days_between;
use crate::content::keywords::{ItemStatus, ItemType};
use crate::content::{Outcome, RoadmapItem};
use crate::model::Model;

pub const DEFINITIONS: &[Definition] = &[
    Definition {
        key: "delivery.slip_days",
        label: "Slip",
        formula: "shipped − baseline_target, in days (negative = early)",
    },
    Definition {
        key: "delivery.on_time",
        label: "On time",
        formula: "shipped on or before baseline_target",
    },
    Definition {
        key: "delivery.lead_time_days",
        label: "Lead time",
        formula: "shipped − start, in days",
    },
    Definition {
        key: "delivery.overdue_days",
        label: "Overdue",
        formula: "as_of − baseline_target, in days, for items neither shipped nor cancelled whose baseline_target has passed",
    },
    Definition {
        key: "delivery.estimate_ratio",
        label: "Estimate ratio",
        formula: "actual ÷ estimate (above 1 = underestimated)",
    },
    Definition {
        key: "delivery.blocked",
        label: "Blocked",
        formula: "in progress while some depends_on item is not shipped (cancelled counts as not shipped); the headline counts such items",
    },
    Definition {
        key: "delivery.rice_score",
        label: "RICE score",
        formula: "reach × impact × confidence ÷ effort",
    },
    Definition {
        key: "delivery.outcome_measured",
        label: "Outcome measured",
        formula: "some linked outcome has a measurement dated after shipped",
    },
    Definition {
        key: "delivery.outcome_moved",
        label: "Outcome moved",
        formula: "some linked outcome's latest measurement is strictly better than its last value on or before shipped (the baseline if none)",
    },
    Definition {
        key: "delivery.committed",
        label: "Committed",
        formula: "items, not ideas, whose baseline_target falls in the quarter (cancelled and paused count)",
    },
    Definition {
        key: "delivery.delivered_on_time",
        label: "Delivered on time",
        formula: "committed items shipped on or before their baseline_target",
    },
    Definition {
        key: "delivery.say_do",
        label: "Say/do",
        formula: "delivered on time ÷ committed, per quarter of baseline_target",
    },
    Definition {
        key: "delivery.shipped",
        label: "Shipped",
        formula: "items whose shipped date falls in the quarter, in total and per type",
    },
    Definition {
        key: "delivery.effort_share",
        label: "Effort share",
        formula: "effort of a type's items shipped in the quarter ÷ effort of all items shipped in it; effort is actual, else estimate, else the item is left out",
    },
    Definition {
        key: "delivery.median_slip_days",
        label: "Median slip",
        formula: "median of slip days over items shipped in the quarter",
    },
    Definition {
        key: "delivery.median_estimate_ratio",
        label: "Median estimate ratio",
        formula: "median of actual ÷ estimate over items shipped in the quarter",
    },
    Definition {
        key: "delivery.median_lead_time_days",
        label: "Median lead time",
        formula: "median of shipped − start over items shipped in the quarter",
    },
    Definition {
        key: "delivery.wip",
        label: "Work in progress",
        formula: "items in progress",
    },
    Definition {
        key: "delivery.outcome_coverage",
        label: "Outcome coverage",
        formula: "shipped features and experiments with an outcome measured after shipping ÷ all shipped features and experiments",
    },
];

/// One value per item type; serialized with the types' content names as keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ByType<T> {
    pub experiment: T,
    pub feature: T,
    pub infrastructure: T,
    #[serde(rename = "tech-debt")]
    pub tech_debt: T,
}

impl<T> ByType<T> {
    pub fn get(&self, t: ItemType) -> &T {
        match t {
            ItemType::Experiment => &self.experiment,
            ItemType::Feature => &self.feature,
            ItemType::Infrastructure => &self.infrastructure,
            ItemType::TechDebt => &self.tech_debt,
        }
    }

    pub fn get_mut(&mut self, t: ItemType) -> &mut T {
        match t {
            ItemType::Experiment => &mut self.experiment,
            ItemType::Feature => &mut self.feature,
            ItemType::Infrastructure => &mut self.infrastructure,
            ItemType::TechDebt => &mut self.tech_debt,
        }
    }
}

/// The item types, in the order their keys sort.
pub const ITEM_TYPES: [ItemType; 4] = [
    ItemType::Experiment,
    ItemType::Feature,
    ItemType::Infrastructure,
    ItemType::TechDebt,
];

/// Items shipped in a quarter, per type and in total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Shipped {
    pub experiment: u32,
    pub feature: u32,
    pub infrastructure: u32,
    #[serde(rename = "tech-debt")]
    pub tech_debt: u32,
    pub total: u32,
}

impl Shipped {
    pub fn get(&self, t: ItemType) -> u32 {
        match t {
            ItemType::Experiment => self.experiment,
            ItemType::Feature => self.feature,
            ItemType::Infrastructure => self.infrastructure,
            ItemType::TechDebt => self.tech_debt,
        }
    }

    fn add(&mut self, t: ItemType) {
        let slot = match t {
            ItemType::Experiment => &mut self.experiment,
            ItemType::Feature => &mut self.feature,
            ItemType::Infrastructure => &mut self.infrastructure,
            ItemType::TechDebt => &mut self.tech_debt,
        };
        *slot += 1;
        self.total += 1;
    }
}

/// One roadmap item's numbers. Fields in alphabetical order (metrics.json's key order).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ItemMetrics {
    /// Where the baseline target comes from; present only when history is on, so that a
    /// site outside git keeps the same metrics.json.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_source: Option<crate::content::roadmap::BaselineSource>,
    pub blocked: bool,
    pub estimate_ratio: Option<f64>,
    pub lead_time_days: Option<i64>,
    pub on_time: Option<bool>,
    pub outcome_measured: Option<bool>,
    pub outcome_moved: Option<bool>,
    pub overdue_days: Option<i64>,
    pub rice_score: Option<f64>,
    pub slip_days: Option<i64>,
}

/// One quarter of delivery. Fields in alphabetical order (metrics.json's key order).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeliveryQuarter {
    pub committed: u32,
    pub delivered_on_time: u32,
    /// Every type `None` when nothing shipped in the quarter had a known effort.
    pub effort_share: ByType<Option<f64>>,
    pub median_estimate_ratio: Option<f64>,
    pub median_lead_time_days: Option<Days>,
    pub median_slip_days: Option<Days>,
    pub quarter: Quarter,
    pub say_do: Option<f64>,
    pub shipped: Shipped,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Delivery {
    /// In-progress items waiting on an unshipped dependency.
    pub blocked: u32,
    /// Every roadmap item, by id.
    pub items: BTreeMap<String, ItemMetrics>,
    pub outcome_coverage: Option<f64>,
    /// From the earliest baseline_target or shipped date to the quarter holding as_of.
    pub quarters: Vec<DeliveryQuarter>,
    /// In-progress items.
    pub wip: u32,
}

impl Delivery {
    pub fn quarter(&self, q: Quarter) -> Option<&DeliveryQuarter> {
        self.quarters.iter().find(|x| x.quarter == q)
    }
}

/// What one quarter collects before its ratios and medians are taken.
#[derive(Default)]
struct QuarterBucket {
    committed: u32,
    delivered_on_time: u32,
    shipped: Shipped,
    effort: ByType<f64>,
    slips: Vec<i64>,
    estimate_ratios: Vec<f64>,
    lead_times: Vec<i64>,
}

pub fn compute(model: &Model, as_of: Date) -> Delivery {
    let start_month = model.config.quarter_start_month;
    let mut out = Delivery::default();
    let mut buckets: HashMap<Quarter, QuarterBucket> = HashMap::new();
    let mut dated: Vec<Date> = Vec::new();
    let (mut covered, mut coverable) = (0u32, 0u32);

    for (i, item) in model.items.iter().enumerate() {
        let outcomes: Vec<&Outcome> = model
            .links
            .item_outcomes
            .get(i)
            .map(|os| os.iter().map(|&o| &model.outcomes[o]).collect())
            .unwrap_or_default();
        let dependencies_shipped = model.links.item_dependencies.get(i).is_none_or(|ds| {
            ds.iter()
                .all(|&d| model.items[d].status == ItemStatus::Shipped)
        });
        let m = of_item(item, as_of, &outcomes, dependencies_shipped);

        out.wip += u32::from(item.status == ItemStatus::InProgress);
        out.blocked += u32::from(m.blocked);
        if matches!(item.item_type, ItemType::Feature | ItemType::Experiment)
            && item.status == ItemStatus::Shipped
        {
            coverable += 1;
            covered += u32::from(m.outcome_measured == Some(true));
        }

        if let Some(baseline) = item
            .baseline_target
            .filter(|_| item.status != ItemStatus::Idea)
        {
            dated.push(baseline);
            let b = buckets
                .entry(Quarter::of(baseline, start_month))
                .or_default();
            b.committed += 1;
            b.delivered_on_time += u32::from(m.on_time == Some(true));
        }
        if let Some(shipped) = item.shipped {
            dated.push(shipped);
            let b = buckets
                .entry(Quarter::of(shipped, start_month))
                .or_default();
            b.shipped.add(item.item_type);
            if let Some(effort) = item.actual.or(item.estimate) {
                *b.effort.get_mut(item.item_type) += effort;
            }
            b.slips.extend(m.slip_days);
            b.estimate_ratios.extend(m.estimate_ratio);
            b.lead_times.extend(m.lead_time_days);
        }
        out.items.insert(item.id.clone(), m);
    }

    out.outcome_coverage = ratio(f64::from(covered), f64::from(coverable));
    out.quarters = quarter_series(dated, as_of, start_month)
        .into_iter()
        .map(|q| of_quarter(q, buckets.remove(&q).unwrap_or_default()))
        .collect();
    out
}

fn of_quarter(quarter: Quarter, b: QuarterBucket) -> DeliveryQuarter {
    let total_effort: f64 = ITEM_TYPES.iter().map(|&t| *b.effort.get(t)).sum();
    let mut effort_share = ByType::default();
    for t in ITEM_TYPES {
        *effort_share.get_mut(t) = ratio(*b.effort.get(t), total_effort);
    }
    DeliveryQuarter {
        committed: b.committed,
        delivered_on_time: b.delivered_on_time,
        effort_share,
        median_estimate_ratio: median(&b.estimate_ratios),
        median_lead_time_days: median_days(&b.lead_times),
        median_slip_days: median_days(&b.slips),
        quarter,
        say_do: ratio(f64::from(b.delivered_on_time), f64::from(b.committed)),
        shipped: b.shipped,
    }
}

/// One item's numbers. `outcomes` are the outcomes it lists; `dependencies_shipped` says
/// whether every `depends_on` item is shipped.
pub fn of_item(
    item: &RoadmapItem,
    as_of: Date,
    outcomes: &[&Outcome],
    dependencies_shipped: bool,
) -> ItemMetrics {
    let shipped = item.shipped.filter(|_| item.status == ItemStatus::Shipped);
    let open = !matches!(item.status, ItemStatus::Shipped | ItemStatus::Cancelled);
    ItemMetrics {
        baseline_source: None,
        blocked: item.status == ItemStatus::InProgress && !dependencies_shipped,
        estimate_ratio: match (item.actual, item.estimate) {
            (Some(actual), Some(estimate)) if estimate > 0.0 => Some(actual / estimate),
            _ => None,
        },
        lead_time_days: shipped
            .zip(item.start)
            .map(|(s, start)| days_between(start, s)),
        on_time: shipped.zip(item.baseline_target).map(|(s, b)| s <= b),
        outcome_measured: shipped.map(|s| outcomes.iter().any(|o| measured_after(o, s, as_of))),
        outcome_moved: shipped.map(|s| outcomes.iter().any(|o| moved_since(o, s, as_of))),
        overdue_days: item
            .baseline_target
            .filter(|&b| open && b < as_of)
            .map(|b| days_between(b, as_of)),
        rice_score: item.rice.as_ref().map(|r| r.score()),
        slip_days: shipped
            .zip(item.baseline_target)
            .map(|(s, b)| days_between(b, s)),
    }
}

/// Some measurement (that counts at as_of) is dated after `shipped`.
fn measured_after(outcome: &Outcome, shipped: Date, as_of: Date) -> bool {
    measured(outcome, as_of)
        .last()
        .is_some_and(|m| m.date > shipped)
}

/// The latest measurement is strictly better than the last value on or before `shipped`
/// (the baseline value when nothing was measured by then).
fn moved_since(outcome: &Outcome, shipped: Date, as_of: Date) -> bool {
    let ms = measured(outcome, as_of);
    let Some(latest) = ms.last() else {
        return false;
    };
    let before = ms.partition_point(|m| m.date <= shipped);
    let reference = match before {
        0 => outcome.baseline.value,
        n => ms[n - 1].value,
    };
    outcome.is_better(latest.value, reference)
}
