//! Outcomes: where each success metric stands at `as_of`, and how many made it.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

use super::Definition;
use super::stats::ratio;
use crate::content::Outcome;
use crate::content::dates::days_between;
use crate::content::outcome::Measurement;
use crate::model::Model;

pub const DEFINITIONS: &[Definition] = &[
    Definition {
        key: "outcomes.current",
        label: "Current",
        formula: "value of the latest measurement dated on or before as_of",
    },
    Definition {
        key: "outcomes.progress",
        label: "Progress",
        formula: "(current − baseline) ÷ (target − baseline), not clamped: below 0 moved the wrong way, above 1 beyond the target",
    },
    Definition {
        key: "outcomes.expected",
        label: "Expected progress",
        formula: "days from baseline date to as_of ÷ days from baseline date to target date, clamped to 0…1",
    },
    Definition {
        key: "outcomes.achieved_on",
        label: "Achieved on",
        formula: "date of the first measurement that meets the target (≥ target when increasing, ≤ when decreasing)",
    },
    Definition {
        key: "outcomes.late",
        label: "Late",
        formula: "achieved_on is after the target date",
    },
    Definition {
        key: "outcomes.status",
        label: "Status",
        formula: "first that applies: no-data (no measurement yet); achieved (latest measurement meets the target); missed (past the target date); on-track (progress ≥ expected − 0.10); at-risk (progress ≥ expected − 0.30); off-track",
    },
    Definition {
        key: "outcomes.linked_items",
        label: "Linked items",
        formula: "roadmap items that list this outcome",
    },
    Definition {
        key: "outcomes.attainment",
        label: "Attainment",
        formula: "achieved ÷ (achieved + missed), over outcomes whose target date has passed",
    },
];

/// Slack for comparisons against thresholds, so a value that sits exactly on a boundary by
/// hand is not pushed off it by floating-point rounding.
pub(crate) const TOLERANCE: f64 = 1e-9;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutcomeStatus {
    Achieved,
    Missed,
    OnTrack,
    AtRisk,
    OffTrack,
    NoData,
}

impl OutcomeStatus {
    /// In the order the site lists them.
    pub const ALL: [OutcomeStatus; 6] = [
        OutcomeStatus::Achieved,
        OutcomeStatus::Missed,
        OutcomeStatus::OnTrack,
        OutcomeStatus::AtRisk,
        OutcomeStatus::OffTrack,
        OutcomeStatus::NoData,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeStatus::Achieved => "achieved",
            OutcomeStatus::Missed => "missed",
            OutcomeStatus::OnTrack => "on-track",
            OutcomeStatus::AtRisk => "at-risk",
            OutcomeStatus::OffTrack => "off-track",
            OutcomeStatus::NoData => "no-data",
        }
    }
}

impl fmt::Display for OutcomeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for OutcomeStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Fields in alphabetical order: that is the order of metrics.json's keys.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutcomeMetrics {
    pub achieved_on: Option<Date>,
    pub current: Option<f64>,
    pub expected: f64,
    pub late: Option<bool>,
    pub linked_items: Vec<String>,
    pub progress: Option<f64>,
    pub status: OutcomeStatus,
}

/// Count per status, and attainment.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub achieved: u32,
    #[serde(rename = "at-risk")]
    pub at_risk: u32,
    pub attainment: Option<f64>,
    pub missed: u32,
    #[serde(rename = "no-data")]
    pub no_data: u32,
    #[serde(rename = "off-track")]
    pub off_track: u32,
    #[serde(rename = "on-track")]
    pub on_track: u32,
}

impl Summary {
    pub fn count(&self, status: OutcomeStatus) -> u32 {
        match status {
            OutcomeStatus::Achieved => self.achieved,
            OutcomeStatus::Missed => self.missed,
            OutcomeStatus::OnTrack => self.on_track,
            OutcomeStatus::AtRisk => self.at_risk,
            OutcomeStatus::OffTrack => self.off_track,
            OutcomeStatus::NoData => self.no_data,
        }
    }

    fn count_mut(&mut self, status: OutcomeStatus) -> &mut u32 {
        match status {
            OutcomeStatus::Achieved => &mut self.achieved,
            OutcomeStatus::Missed => &mut self.missed,
            OutcomeStatus::OnTrack => &mut self.on_track,
            OutcomeStatus::AtRisk => &mut self.at_risk,
            OutcomeStatus::OffTrack => &mut self.off_track,
            OutcomeStatus::NoData => &mut self.no_data,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Outcomes {
    /// Every outcome, by id.
    pub items: BTreeMap<String, OutcomeMetrics>,
    pub summary: Summary,
}

/// The measurements that count at `as_of`: those dated on or before it, by date.
pub fn measured(outcome: &Outcome, as_of: Date) -> &[Measurement] {
    let end = outcome.measurements.partition_point(|m| m.date <= as_of);
    &outcome.measurements[..end]
}

pub fn compute(model: &Model, as_of: Date) -> Outcomes {
    let mut out = Outcomes::default();
    let (mut achieved_due, mut missed_due) = (0u32, 0u32);
    for (o, outcome) in model.outcomes.iter().enumerate() {
        let linked_items = model
            .links
            .outcome_items
            .get(o)
            .map(|items| items.iter().map(|&i| model.items[i].id.clone()).collect())
            .unwrap_or_default();
        let m = of_outcome(outcome, as_of, linked_items);
        *out.summary.count_mut(m.status) += 1;
        if outcome.target.date <= as_of {
            match m.status {
                OutcomeStatus::Achieved => achieved_due += 1,
                OutcomeStatus::Missed => missed_due += 1,
                _ => {}
            }
        }
        out.items.insert(outcome.id.clone(), m);
    }
    out.summary.attainment = ratio(
        f64::from(achieved_due),
        f64::from(achieved_due + missed_due),
    );
    out
}

/// One outcome's numbers at `as_of`; `linked_items` sorted ids.
pub fn of_outcome(outcome: &Outcome, as_of: Date, mut linked_items: Vec<String>) -> OutcomeMetrics {
    linked_items.sort();
    let (baseline, target) = (outcome.baseline, outcome.target);
    let measurements = measured(outcome, as_of);
    let current = measurements.last().map(|m| m.value);
    let progress = current.and_then(|c| ratio(c - baseline.value, target.value - baseline.value));
    let expected = ratio(
        days_between(baseline.date, as_of) as f64,
        days_between(baseline.date, target.date) as f64,
    )
    // A target dated on its baseline is rejected by validation; treat it as due at once.
    .map_or(1.0, |e| e.clamp(0.0, 1.0));
    let achieved_on = measurements
        .iter()
        .find(|m| outcome.meets_target(m.value))
        .map(|m| m.date);
    let status = match (current, progress) {
        (None, _) => OutcomeStatus::NoData,
        (Some(c), _) if outcome.meets_target(c) => OutcomeStatus::Achieved,
        _ if as_of > target.date => OutcomeStatus::Missed,
        (_, Some(p)) if p >= expected - 0.10 - TOLERANCE => OutcomeStatus::OnTrack,
        (_, Some(p)) if p >= expected - 0.30 - TOLERANCE => OutcomeStatus::AtRisk,
        _ => OutcomeStatus::OffTrack,
    };
    OutcomeMetrics {
        achieved_on,
        current,
        expected,
        late: achieved_on.map(|d| d > target.date),
        linked_items,
        progress,
        status,
    }
}
