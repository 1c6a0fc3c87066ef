//! Metrics: every number the site shows, computed from the model at a reference date.
//!
//! `compute` is a pure function of the `Model` and `as_of` (no clock, no disk), linear in the
//! content. The definitions are in `spec/metrics.md`; each module holds the metrics of one
//! area next to their human descriptions (`DEFINITIONS`), which pages show as footnotes.
//!
//! The typed tree serializes to exactly the shape of `metrics.json`: struct fields are
//! declared in alphabetical order and maps are `BTreeMap`s, so every object's keys are
//! sorted; absent values are `null`; medians of whole day counts follow [`stats::Days`].

pub mod calendar;
pub mod delivery;
pub mod forecast;
pub mod outcomes;
pub mod periods;
pub mod reliability;
pub mod risks;
pub mod stats;

use jiff::civil::Date;
use serde::Serialize;

use crate::model::Model;

pub use delivery::{ByType, Delivery, DeliveryQuarter, ItemMetrics, Shipped};
pub use forecast::{Forecast, ItemForecast};
pub use outcomes::{OutcomeMetrics, OutcomeStatus, Outcomes, Summary};
pub use periods::{Month, Quarter};
pub use reliability::{
    ActionItems, Incident, Reliability, ReliabilityMonth, ReliabilityQuarter, Service,
};
pub use risks::{Risk, RiskKind};
pub use stats::Days;

/// Everything in `metrics.json`. Fields in alphabetical order (the file's key order).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    pub as_of: Date,
    /// What changed since the review point (history.md); only when history is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<crate::history::changes::Changes>,
    pub delivery: Delivery,
    pub forecast: Forecast,
    /// Plan history from git (history.md); only when history is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<crate::history::HistoryMetrics>,
    pub outcomes: Outcomes,
    pub reliability: Reliability,
    /// Sorted by (kind, subject, message).
    pub risks: Vec<Risk>,
}

/// Every metric at `as_of`.
pub fn compute(model: &Model, as_of: Date) -> Metrics {
    let delivery = delivery::compute(model, as_of);
    let outcomes = outcomes::compute(model, as_of);
    let reliability = reliability::compute(model, as_of);
    let forecast = forecast::compute(model, as_of);
    let risks = risks::compute(
        model,
        as_of,
        &risks::Computed {
            delivery: &delivery,
            outcomes: &outcomes,
            reliability: &reliability,
            forecast: &forecast,
        },
    );
    Metrics {
        as_of,
        changes: None,
        delivery,
        forecast,
        history: None,
        outcomes,
        reliability,
        risks,
    }
}

/// `metrics.json`: pretty-printed, keys sorted, full-precision numbers, trailing newline.
pub fn to_json(metrics: &Metrics) -> String {
    // Serializing plain structs, maps with string keys and finite numbers cannot fail; the
    // fallback keeps a non-finite number (impossible by construction) from panicking.
    let mut text = serde_json::to_string_pretty(metrics).unwrap_or_else(|e| {
        format!(
            "{{\"error\": {}}}",
            serde_json::Value::String(e.to_string())
        )
    });
    text.push('\n');
    text
}

/// What a metric means, for the footnotes and `<details>` next to the numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Definition {
    /// `<area>.<name in metrics.json>`, e.g. `delivery.say_do`; service and action item
    /// metrics add their group (`reliability.services.mtbf_days`); risk kinds are
    /// `risks.<kind>`.
    pub key: &'static str,
    /// A short human name: "Say/do".
    pub label: &'static str,
    /// How it is computed, in words.
    pub formula: &'static str,
}

/// Every definition, area by area.
pub const DEFINITIONS: [&[Definition]; 6] = [
    delivery::DEFINITIONS,
    forecast::DEFINITIONS,
    outcomes::DEFINITIONS,
    reliability::DEFINITIONS,
    risks::DEFINITIONS,
    crate::history::plan::DEFINITIONS,
];

/// Every definition, area by area.
pub fn definitions() -> impl Iterator<Item = &'static Definition> {
    DEFINITIONS.into_iter().flatten()
}

/// The definition of `key` (e.g. `delivery.say_do`).
pub fn definition(key: &str) -> Option<&'static Definition> {
    definitions().find(|d| d.key == key)
}
