//! What changed since a review: the report "then" (the review commit's content, its metrics
//! at the review date) against "now" (the work tree at as_of). Pure.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use crate::content::keywords::ItemStatus;
use crate::metrics::Metrics;
use crate::metrics::periods::Quarter;
use crate::model::Model;

/// One side of the comparison.
pub struct Side<'a> {
    pub model: &'a Model,
    pub metrics: &'a Metrics,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Move<T> {
    pub from: Option<T>,
    pub id: String,
    pub to: Option<T>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetMove {
    /// Days later (negative: earlier); null when either side has no target.
    pub days: Option<i64>,
    pub from: Option<Date>,
    pub id: String,
    pub to: Option<Date>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RoadmapChanges {
    pub added: Vec<String>,
    pub estimate: Vec<Move<f64>>,
    pub removed: Vec<String>,
    pub shipped: Vec<String>,
    pub status: Vec<Move<String>>,
    pub target: Vec<TargetMove>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewMeasurement {
    pub date: Date,
    pub id: String,
    pub value: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OutcomeChanges {
    pub measurements: Vec<NewMeasurement>,
    pub progress: Vec<Move<f64>>,
    pub status: Vec<Move<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ActionItemRef {
    pub index: usize,
    pub postmortem: String,
    pub title: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ReliabilityChanges {
    pub action_items_done: Vec<ActionItemRef>,
    pub action_items_opened: Vec<ActionItemRef>,
    pub action_items_overdue: Vec<ActionItemRef>,
    pub postmortems: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RiskRef {
    pub kind: String,
    pub subject: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RiskChanges {
    pub new: Vec<RiskRef>,
    pub resolved: Vec<RiskRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ThenNow<T> {
    pub now: Option<T>,
    pub then: Option<T>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Headline {
    pub attainment: ThenNow<f64>,
    pub open_risks: ThenNow<usize>,
    pub overdue_action_items: ThenNow<u32>,
    pub say_do: ThenNow<f64>,
}

/// `changes` in metrics.json. Fields in alphabetical order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Changes {
    /// The review commit (12 hex); null when no commit is that old.
    pub commit: Option<String>,
    pub headline: Headline,
    pub outcomes: OutcomeChanges,
    pub reliability: ReliabilityChanges,
    pub risks: RiskChanges,
    pub roadmap: RoadmapChanges,
    pub since: Date,
}

/// Compare the report then (at `since`, from `commit`) with now.
pub fn compare(then: &Side, now: &Side, since: Date, commit: Option<String>) -> Changes {
    Changes {
        commit,
        headline: headline(then, now, since),
        outcomes: outcomes(then, now),
        reliability: reliability(then, now, since),
        risks: risks(then, now),
        roadmap: roadmap(then, now),
        since,
    }
}

fn roadmap(then: &Side, now: &Side) -> RoadmapChanges {
    let before: BTreeMap<&str, _> = then
        .model
        .items
        .iter()
        .map(|x| (x.id.as_str(), x))
        .collect();
    let after: BTreeMap<&str, _> = now.model.items.iter().map(|x| (x.id.as_str(), x)).collect();
    let mut out = RoadmapChanges::default();
    for (id, x) in &after {
        let Some(old) = before.get(id) else {
            out.added.push(id.to_string());
            if x.status == ItemStatus::Shipped {
                out.shipped.push(id.to_string());
            }
            continue;
        };
        if x.status == ItemStatus::Shipped && old.status != ItemStatus::Shipped {
            out.shipped.push(id.to_string());
        }
        if x.status != old.status {
            out.status.push(Move {
                from: Some(old.status.to_string()),
                id: id.to_string(),
                to: Some(x.status.to_string()),
            });
        }
        if x.target != old.target {
            out.target.push(TargetMove {
                days: old
                    .target
                    .zip(x.target)
                    .map(|(a, b)| (b - a).get_days() as i64),
                from: old.target,
                id: id.to_string(),
                to: x.target,
            });
        }
        if x.estimate != old.estimate {
            out.estimate.push(Move {
                from: old.estimate,
                id: id.to_string(),
                to: x.estimate,
            });
        }
    }
    out.removed = before
        .keys()
        .filter(|id| !after.contains_key(*id))
        .map(|id| id.to_string())
        .collect();
    out
}

fn outcomes(then: &Side, now: &Side) -> OutcomeChanges {
    let before: BTreeMap<&str, _> = then
        .model
        .outcomes
        .iter()
        .map(|x| (x.id.as_str(), x))
        .collect();
    let mut out = OutcomeChanges::default();
    for x in &now.model.outcomes {
        let old = before.get(x.id.as_str());
        let known: BTreeSet<Date> = old
            .map(|o| o.measurements.iter().map(|m| m.date).collect())
            .unwrap_or_default();
        let mut fresh: Vec<NewMeasurement> = x
            .measurements
            .iter()
            .filter(|m| !known.contains(&m.date) && m.date <= now.metrics.as_of)
            .map(|m| NewMeasurement {
                date: m.date,
                id: x.id.clone(),
                value: m.value,
            })
            .collect();
        fresh.sort_by_key(|m| m.date);
        out.measurements.extend(fresh);
        let (Some(_), Some(a), Some(b)) = (
            old,
            then.metrics.outcomes.items.get(&x.id),
            now.metrics.outcomes.items.get(&x.id),
        ) else {
            continue;
        };
        if a.status != b.status {
            out.status.push(Move {
                from: Some(a.status.to_string()),
                id: x.id.clone(),
                to: Some(b.status.to_string()),
            });
        }
        if a.progress != b.progress {
            out.progress.push(Move {
                from: a.progress,
                id: x.id.clone(),
                to: b.progress,
            });
        }
    }
    out
}

/// Action items by (post-mortem, index): (title, status, due).
fn action_items<'a>(
    side: &Side<'a>,
) -> BTreeMap<(String, usize), &'a crate::content::postmortem::ActionItem> {
    side.model
        .postmortems
        .iter()
        .flat_map(|p| {
            p.action_items
                .iter()
                .enumerate()
                .map(move |(i, a)| ((p.id.clone(), i), a))
        })
        .collect()
}

fn reliability(then: &Side, now: &Side, since: Date) -> ReliabilityChanges {
    let before = action_items(then);
    let after = action_items(now);
    let as_of = now.metrics.as_of;
    let item = |(pm, i): &(String, usize), title: &str| ActionItemRef {
        index: *i,
        postmortem: pm.clone(),
        title: title.to_string(),
    };
    let overdue =
        |a: &crate::content::postmortem::ActionItem, at: Date| a.status.is_open() && a.due < at;
    let mut out = ReliabilityChanges::default();
    for (key, a) in &after {
        let old = before.get(key);
        let done = |x: &crate::content::postmortem::ActionItem| {
            x.status == crate::content::keywords::ActionStatus::Done
        };
        if done(a) && !old.is_some_and(|o| done(o)) {
            out.action_items_done.push(item(key, &a.title));
        }
        if old.is_none() {
            out.action_items_opened.push(item(key, &a.title));
        }
        if overdue(a, as_of) && !old.is_some_and(|o| overdue(o, since)) {
            out.action_items_overdue.push(item(key, &a.title));
        }
    }
    let known: BTreeSet<&str> = then
        .model
        .postmortems
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    out.postmortems = now
        .model
        .postmortems
        .iter()
        .filter(|p| !known.contains(p.id.as_str()))
        .map(|p| p.id.clone())
        .collect();
    out
}

fn risk_set(side: &Side) -> BTreeSet<RiskRef> {
    side.metrics
        .risks
        .iter()
        .map(|r| RiskRef {
            kind: r.kind.to_string(),
            subject: r.subject.clone(),
        })
        .collect()
}

fn risks(then: &Side, now: &Side) -> RiskChanges {
    let (a, b) = (risk_set(then), risk_set(now));
    RiskChanges {
        new: b.difference(&a).cloned().collect(),
        resolved: a.difference(&b).cloned().collect(),
    }
}

fn headline(then: &Side, now: &Side, since: Date) -> Headline {
    let say_do = |side: &Side, date: Date| {
        let q = Quarter::of(date, side.model.config.quarter_start_month);
        side.metrics
            .delivery
            .quarters
            .iter()
            .find(|x| x.quarter == q)
            .and_then(|x| x.say_do)
    };
    Headline {
        attainment: ThenNow {
            now: now.metrics.outcomes.summary.attainment,
            then: then.metrics.outcomes.summary.attainment,
        },
        open_risks: ThenNow {
            now: Some(now.metrics.risks.len()),
            then: Some(then.metrics.risks.len()),
        },
        overdue_action_items: ThenNow {
            now: Some(now.metrics.reliability.action_items.overdue),
            then: Some(then.metrics.reliability.action_items.overdue),
        },
        say_do: ThenNow {
            now: say_do(now, now.metrics.as_of),
            then: say_do(then, since),
        },
    }
}
