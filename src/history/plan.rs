//! History metrics: per item re-plans and first targets, re-plans per quarter, and the
//! baselines taken from git. Pure functions of the model, the history and `as_of`.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::items::Event;
use super::read::History;
use crate::content::roadmap::BaselineSource;
use crate::metrics::periods::{Quarter, quarter_series};
use crate::metrics::stats::{Days, median_days};
use crate::model::Model;

/// `history.items.<id>` in metrics.json. Fields in alphabetical order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemHistory {
    pub events: Vec<Event>,
    pub first_target: Option<Date>,
    pub replanned_days: i64,
    pub replans: usize,
}

/// `history.quarters[]`: target moves to a later date made in the quarter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplanQuarter {
    pub median_days_later: Option<Days>,
    pub quarter: Quarter,
    pub replans: usize,
}

/// `history` in metrics.json.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryMetrics {
    pub commits_read: usize,
    pub items: BTreeMap<String, ItemHistory>,
    pub quarters: Vec<ReplanQuarter>,
    pub unreadable: usize,
}

pub const DEFINITIONS: &[crate::metrics::Definition] = &[
    crate::metrics::Definition {
        key: "history.replans",
        label: "Re-plans",
        formula: "commits in which an item's target moved to a later date",
    },
    crate::metrics::Definition {
        key: "history.replanned_days",
        label: "Days re-planned",
        formula: "the sum of the days each re-plan moved the target later",
    },
    crate::metrics::Definition {
        key: "history.first_target",
        label: "First target",
        formula: "the first target committed while the status was neither idea nor cancelled; the baseline when baseline_target is not written",
    },
    crate::metrics::Definition {
        key: "history.median_days_later",
        label: "Median days later",
        formula: "the median of the days by which re-plans in the quarter moved targets later",
    },
];

/// The days by which an event moved the target later (None: not a move later).
pub fn days_later(event: &Event) -> Option<i64> {
    let change = event.change("target")?;
    let (from, to) = (change.from.as_ref()?.date()?, change.to.as_ref()?.date()?);
    let days = (to - from).get_days() as i64;
    (to > from).then_some(days)
}

/// Per item figures from its events.
pub fn item_history(events: &[Event]) -> ItemHistory {
    let moves: Vec<i64> = events.iter().filter_map(days_later).collect();
    ItemHistory {
        events: events.to_vec(),
        first_target: first_target(events),
        replanned_days: moves.iter().sum(),
        replans: moves.len(),
    }
}

/// The first target recorded while the status was neither idea nor cancelled.
fn first_target(events: &[Event]) -> Option<Date> {
    let (mut status, mut target): (Option<String>, Option<Date>) = (None, None);
    for e in events {
        if e.removed {
            status = None;
            target = None;
            continue;
        }
        for c in &e.changes {
            match c.field {
                "status" => status = c.to.as_ref().map(|v| v.text()),
                "target" => target = c.to.as_ref().and_then(|v| v.date()),
                _ => {}
            }
        }
        let idea_or_cancelled = matches!(status.as_deref(), Some("idea" | "cancelled") | None);
        if let (false, Some(t)) = (idea_or_cancelled, target) {
            return Some(t);
        }
    }
    None
}

/// The `history` section of metrics.json.
pub fn compute(model: &Model, history: &History, as_of: Date) -> HistoryMetrics {
    let items: BTreeMap<String, ItemHistory> = history
        .events
        .iter()
        .map(|(id, events)| (id.clone(), item_history(events)))
        .collect();
    let start = model.config.quarter_start_month;
    let mut moves: BTreeMap<Quarter, Vec<i64>> = BTreeMap::new();
    for events in history.events.values() {
        for e in events {
            if let Some(days) = days_later(e) {
                moves
                    .entry(Quarter::of(e.date, start))
                    .or_default()
                    .push(days);
            }
        }
    }
    let first = history.commits.first().map(|c| c.date);
    let quarters = quarter_series(first, as_of, start)
        .into_iter()
        .map(|quarter| {
            let days = moves.get(&quarter).map(Vec::as_slice).unwrap_or_default();
            ReplanQuarter {
                median_days_later: median_days(days),
                quarter,
                replans: days.len(),
            }
        })
        .collect();
    HistoryMetrics {
        commits_read: history.commits.len(),
        items,
        quarters,
        unreadable: history.unreadable,
    }
}

/// Where an item does not write `baseline_target`, its baseline becomes the first target
/// history recorded (even when equal to the target).
pub fn apply_baselines(model: &mut Model, metrics: &HistoryMetrics) {
    for item in &mut model.items {
        if item.baseline_source == BaselineSource::Field {
            continue;
        }
        if let Some(first) = metrics.items.get(&item.id).and_then(|h| h.first_target) {
            item.baseline_target = Some(first);
            item.baseline_source = BaselineSource::Git;
        }
    }
}
