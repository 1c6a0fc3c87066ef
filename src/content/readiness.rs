//! The practice's "not ready" rules: validation warnings, and entries of the risk list.

use serde::Serialize;

use super::keywords::{ItemStatus, ItemType};
use super::roadmap::RoadmapItem;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Readiness {
    /// feature/experiment, planned or in-progress, with no outcomes.
    NoSuccessMetric,
    /// tech-debt/infrastructure with no `value`.
    NoBusinessValue,
    /// experiment with no `hypothesis`.
    NoHypothesis,
    /// in-progress with no `release.rollback_plan`.
    NoRollbackPlan,
    /// post-mortem of a severity that requires one, with no action items.
    NoActionItems,
}

impl Readiness {
    /// The risk-list kind (metrics.md).
    pub fn risk_kind(self) -> &'static str {
        match self {
            Readiness::NoSuccessMetric => "not-ready",
            Readiness::NoBusinessValue => "no-business-value",
            Readiness::NoHypothesis => "no-hypothesis",
            Readiness::NoRollbackPlan => "no-rollback-plan",
            Readiness::NoActionItems => "no-action-items",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Readiness::NoSuccessMetric => "no success metric",
            Readiness::NoBusinessValue => "no business value stated",
            Readiness::NoHypothesis => "no hypothesis",
            Readiness::NoRollbackPlan => "no rollback plan",
            Readiness::NoActionItems => "no action items",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Readiness::NoSuccessMetric => {
                "planned and in-progress features and experiments should list the `outcomes` they will move"
            }
            Readiness::NoBusinessValue => {
                "say in `value` what this is worth in business terms (\"cuts release time 15%\")"
            }
            Readiness::NoHypothesis => {
                "experiments should state a `hypothesis` (\"we believe … will …\")"
            }
            Readiness::NoRollbackPlan => "in-progress items should have `release.rollback_plan`",
            Readiness::NoActionItems => "this severity requires a post-mortem with `action_items`",
        }
    }
}

pub fn of_item(item: &RoadmapItem) -> Vec<Readiness> {
    let mut out = Vec::new();
    let active = matches!(item.status, ItemStatus::Planned | ItemStatus::InProgress);
    if matches!(item.item_type, ItemType::Feature | ItemType::Experiment)
        && active
        && item.outcomes.is_empty()
    {
        out.push(Readiness::NoSuccessMetric);
    }
    if matches!(
        item.item_type,
        ItemType::TechDebt | ItemType::Infrastructure
    ) && item.value.is_none()
    {
        out.push(Readiness::NoBusinessValue);
    }
    if item.item_type == ItemType::Experiment && item.hypothesis.is_none() {
        out.push(Readiness::NoHypothesis);
    }
    let has_rollback = item
        .release
        .as_ref()
        .is_some_and(|r| r.rollback_plan.is_some());
    if item.status == ItemStatus::InProgress && !has_rollback {
        out.push(Readiness::NoRollbackPlan);
    }
    out
}
