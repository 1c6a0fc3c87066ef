//! The risk list: everything that needs a PM's attention, one entry per occurrence.

use std::fmt;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

use super::Definition;
use super::delivery::{Delivery, ITEM_TYPES};
use super::forecast::{Forecast, Reason};
use super::outcomes::{OutcomeStatus, Outcomes, TOLERANCE};
use super::periods::Quarter;
use super::reliability::{self, Reliability};
use crate::content::Outcome;
use crate::content::keywords::ItemStatus;
use crate::content::readiness::Readiness;
use crate::model::Model;

pub const DEFINITIONS: &[Definition] = &[
    Definition {
        key: "risks.not-ready",
        label: "Not ready",
        formula: "a planned or in-progress feature or experiment lists no outcomes (no success metric)",
    },
    Definition {
        key: "risks.no-business-value",
        label: "No business value",
        formula: "a tech-debt or infrastructure item does not state its `value`",
    },
    Definition {
        key: "risks.no-hypothesis",
        label: "No hypothesis",
        formula: "an experiment states no `hypothesis`",
    },
    Definition {
        key: "risks.no-rollback-plan",
        label: "No rollback plan",
        formula: "an in-progress item has no `release.rollback_plan`",
    },
    Definition {
        key: "risks.no-action-items",
        label: "No action items",
        formula: "a post-mortem of a severity that requires one has no action items",
    },
    Definition {
        key: "risks.blocked",
        label: "Blocked",
        formula: "an in-progress item depends on an item that is not shipped",
    },
    Definition {
        key: "risks.overdue",
        label: "Overdue",
        formula: "an item neither shipped nor cancelled is past its baseline target",
    },
    Definition {
        key: "risks.outcome-at-risk",
        label: "Outcome at risk",
        formula: "progress is below expected − 0.10",
    },
    Definition {
        key: "risks.outcome-off-track",
        label: "Outcome off track",
        formula: "progress is below expected − 0.30",
    },
    Definition {
        key: "risks.outcome-missed",
        label: "Outcome missed",
        formula: "the target date has passed and the latest measurement does not meet the target",
    },
    Definition {
        key: "risks.action-item-overdue",
        label: "Action item overdue",
        formula: "an open action item is past its due date",
    },
    Definition {
        key: "risks.action-item-slo-breached",
        label: "Action item SLO breached",
        formula: "an action item was closed after, or is still open past, incident date + action_item_slo_days of its priority",
    },
    Definition {
        key: "risks.recurring-service",
        label: "Recurring service",
        formula: "a service had 2 or more incidents in the 90 days ending at as_of",
    },
    Definition {
        key: "risks.capacity-below-target",
        label: "Capacity below target",
        formula: "in the last full quarter, a type's effort share (0 when it shipped nothing) is below its capacity target",
    },
    Definition {
        key: "risks.likely-late",
        label: "Likely late",
        formula: "an open item with a target is less likely than not to ship by it: its chance of making the target is below 50%",
    },
    Definition {
        key: "risks.beyond-history",
        label: "Beyond history",
        formula: "an item in progress has run longer than any comparable shipped item took, so its history cannot forecast it",
    },
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RiskKind {
    NotReady,
    NoBusinessValue,
    NoHypothesis,
    NoRollbackPlan,
    NoActionItems,
    Blocked,
    Overdue,
    OutcomeAtRisk,
    OutcomeOffTrack,
    OutcomeMissed,
    ActionItemOverdue,
    ActionItemSloBreached,
    RecurringService,
    CapacityBelowTarget,
    LikelyLate,
    BeyondHistory,
}

impl RiskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskKind::NotReady => "not-ready",
            RiskKind::NoBusinessValue => "no-business-value",
            RiskKind::NoHypothesis => "no-hypothesis",
            RiskKind::NoRollbackPlan => "no-rollback-plan",
            RiskKind::NoActionItems => "no-action-items",
            RiskKind::Blocked => "blocked",
            RiskKind::Overdue => "overdue",
            RiskKind::OutcomeAtRisk => "outcome-at-risk",
            RiskKind::OutcomeOffTrack => "outcome-off-track",
            RiskKind::OutcomeMissed => "outcome-missed",
            RiskKind::ActionItemOverdue => "action-item-overdue",
            RiskKind::ActionItemSloBreached => "action-item-slo-breached",
            RiskKind::RecurringService => "recurring-service",
            RiskKind::CapacityBelowTarget => "capacity-below-target",
            RiskKind::LikelyLate => "likely-late",
            RiskKind::BeyondHistory => "beyond-history",
        }
    }
}

impl From<Readiness> for RiskKind {
    fn from(r: Readiness) -> RiskKind {
        match r {
            Readiness::NoSuccessMetric => RiskKind::NotReady,
            Readiness::NoBusinessValue => RiskKind::NoBusinessValue,
            Readiness::NoHypothesis => RiskKind::NoHypothesis,
            Readiness::NoRollbackPlan => RiskKind::NoRollbackPlan,
            Readiness::NoActionItems => RiskKind::NoActionItems,
        }
    }
}

impl fmt::Display for RiskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RiskKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One risk. Fields in alphabetical order (metrics.json's key order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Risk {
    pub kind: RiskKind,
    pub message: String,
    /// `roadmap/<id>`, `outcomes/<id>`, `postmortems/<id>`, `services/<name>` or
    /// `delivery/<type>`.
    pub subject: String,
}

impl Risk {
    fn new(kind: RiskKind, subject: String, message: impl Into<String>) -> Risk {
        Risk {
            kind,
            message: message.into(),
            subject,
        }
    }
}

/// The metrics the risks are read from.
pub struct Computed<'a> {
    pub delivery: &'a Delivery,
    pub outcomes: &'a Outcomes,
    pub reliability: &'a Reliability,
    pub forecast: &'a Forecast,
}

/// Every risk at `as_of`, sorted by (kind, subject, message) as written.
pub fn compute(model: &Model, as_of: Date, computed: &Computed) -> Vec<Risk> {
    let Computed {
        delivery,
        outcomes,
        reliability,
        forecast,
    } = *computed;
    let mut risks = Vec::new();

    for (i, item) in model.items.iter().enumerate() {
        let subject = format!("roadmap/{}", item.id);
        for r in &item.readiness {
            risks.push(Risk::new((*r).into(), subject.clone(), r.message()));
        }
        let Some(m) = delivery.items.get(&item.id) else {
            continue;
        };
        if m.blocked {
            let waiting: Vec<String> = model
                .links
                .item_dependencies
                .get(i)
                .into_iter()
                .flatten()
                .map(|&d| &model.items[d])
                .filter(|d| d.status != ItemStatus::Shipped)
                .map(|d| format!("{} ({})", d.id, d.status))
                .collect();
            risks.push(Risk::new(
                RiskKind::Blocked,
                subject.clone(),
                format!("waiting on {}", waiting.join(", ")),
            ));
        }
        if let (Some(days), Some(baseline)) = (m.overdue_days, item.baseline_target) {
            risks.push(Risk::new(
                RiskKind::Overdue,
                subject,
                format!(
                    "{} past its baseline target {baseline}",
                    plural(days, "day")
                ),
            ));
        }
    }

    for outcome in &model.outcomes {
        let Some(m) = outcomes.items.get(&outcome.id) else {
            continue;
        };
        let subject = format!("outcomes/{}", outcome.id);
        // "progress 60%, expected 88% by now (target 20% by 2027-01-01)"
        let behind = || {
            format!(
                "progress {}%, expected {}% by now (target {} by {})",
                m.progress.map_or_else(|| "?".to_string(), percent),
                percent(m.expected),
                value(outcome, outcome.target.value),
                outcome.target.date
            )
        };
        let risk = match m.status {
            OutcomeStatus::AtRisk => Risk::new(RiskKind::OutcomeAtRisk, subject, behind()),
            OutcomeStatus::OffTrack => Risk::new(RiskKind::OutcomeOffTrack, subject, behind()),
            OutcomeStatus::Missed => Risk::new(
                RiskKind::OutcomeMissed,
                subject,
                format!(
                    "latest {} misses the target {} due {}",
                    m.current.map_or_else(String::new, |c| value(outcome, c)),
                    value(outcome, outcome.target.value),
                    outcome.target.date
                ),
            ),
            _ => continue,
        };
        risks.push(risk);
    }

    for pm in &model.postmortems {
        let subject = format!("postmortems/{}", pm.id);
        for r in &pm.readiness {
            risks.push(Risk::new((*r).into(), subject.clone(), r.message()));
        }
        for action in &pm.action_items {
            if reliability::is_overdue(action, as_of) {
                risks.push(Risk::new(
                    RiskKind::ActionItemOverdue,
                    subject.clone(),
                    action.title.clone(),
                ));
            }
            if reliability::is_breached(pm, action, &model.config, as_of) {
                risks.push(Risk::new(
                    RiskKind::ActionItemSloBreached,
                    subject.clone(),
                    action.title.clone(),
                ));
            }
        }
    }

    for (name, service) in &reliability.services {
        if service.recurring {
            risks.push(Risk::new(
                RiskKind::RecurringService,
                format!("services/{name}"),
                format!(
                    "{} in the 90 days to {as_of}",
                    plural(i64::from(service.incidents_90_days), "incident")
                ),
            ));
        }
    }

    let last_quarter = Quarter::of(as_of, model.config.quarter_start_month).previous();
    if let Some(q) = delivery.quarter(last_quarter) {
        for t in ITEM_TYPES {
            let target = model.config.capacity_targets.get(&t).copied();
            let (Some(target), Some(share)) = (target, *q.effort_share.get(t)) else {
                continue;
            };
            if share < target - TOLERANCE {
                risks.push(Risk::new(
                    RiskKind::CapacityBelowTarget,
                    format!("delivery/{t}"),
                    format!(
                        "{t} share {} below target {} in {last_quarter}",
                        share_text(share),
                        share_text(target)
                    ),
                ));
            }
        }
    }

    risks.extend(forecast_risks(model, forecast));

    risks.sort_by(|a, b| {
        (a.kind.as_str(), &a.subject, &a.message).cmp(&(b.kind.as_str(), &b.subject, &b.message))
    });
    risks
}

/// `likely-late` and `beyond-history`.
fn forecast_risks(model: &Model, forecast: &Forecast) -> Vec<Risk> {
    let mut risks = Vec::new();
    for item in &model.items {
        let Some(f) = forecast.items.get(&item.id) else {
            continue;
        };
        let subject = format!("roadmap/{}", item.id);
        if let (Some(p), Some(target), Some(p50)) = (f.p_on_target, item.target, f.p50)
            && p < 0.5
        {
            risks.push(Risk::new(
                RiskKind::LikelyLate,
                subject.clone(),
                format!(
                    "{}% chance of shipping by its target {target}; P50 {p50}",
                    // Rounded like the pages, but an item below 50% never reads as "50%".
                    (p * 100.0).round().min(49.0)
                ),
            ));
        }
        if f.reason == Some(Reason::BeyondHistory) {
            let d = &f.detail;
            risks.push(Risk::new(
                RiskKind::BeyondHistory,
                subject,
                format!(
                    "running {} working days; at the pace of the slowest of {} comparable items it would have taken {}",
                    d.elapsed.unwrap_or(0),
                    d.pool_size,
                    d.longest.unwrap_or(0)
                ),
            ));
        }
    }
    risks
}

fn plural(n: i64, unit: &str) -> String {
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// A share as a whole percentage: 0.4567 → "46".
fn percent(share: f64) -> String {
    format!("{:.0}", share * 100.0)
}

/// A share to two decimals without trailing zeros: 0.1234 → "0.12", 0.1 → "0.1", 0 → "0".
/// A share as the delivery page shows it: a whole percentage ("12%").
fn share_text(share: f64) -> String {
    let text = format!("{:.0}%", share * 100.0);
    if text == "-0%" {
        "0%".to_string()
    } else {
        text
    }
}

/// A value with the outcome's unit: "25%", "30 days".
fn value(outcome: &Outcome, v: f64) -> String {
    match outcome.unit.as_str() {
        "%" => format!("{v}%"),
        unit => format!("{v} {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_warnings_keep_their_risk_kind_names() {
        for r in [
            Readiness::NoSuccessMetric,
            Readiness::NoBusinessValue,
            Readiness::NoHypothesis,
            Readiness::NoRollbackPlan,
            Readiness::NoActionItems,
        ] {
            assert_eq!(RiskKind::from(r).as_str(), r.risk_kind());
        }
    }

    #[test]
    fn shares_read_short() {
        assert_eq!(share_text(0.12), "12%");
        assert_eq!(share_text(0.1), "10%");
        assert_eq!(share_text(0.0), "0%");
        assert_eq!(share_text(1.0), "100%");
        // 10 / 24 = 0.41666… → 41.67 → 42%.
        assert_eq!(share_text(10.0 / 24.0), "42%");
        assert_eq!(percent(0.6), "60");
        assert_eq!(
            (plural(1, "day"), plural(3, "day")),
            ("1 day".into(), "3 days".into())
        );
    }
}
