//! How keywords read on the page: human labels and a tone (the badge colour) for every
//! status, type and kind the site shows.

use crate::content::keywords::{
    ActionStatus, ActionType, Cause, Confidence, Detection, Horizon, ItemStatus, ItemType, Keyword,
    Priority,
};
use crate::render::value::{Value, merge};
use crate::val;

/// A badge: the raw value (for classes and data attributes), its label and its tone
/// (`good`, `info`, `warn`, `bad`, `neutral`, `muted`).
pub fn badge(value: &str, label: &str, tone: &str) -> Value {
    val!({"value": value, "label": label, "tone": tone})
}

pub fn item_status(s: ItemStatus) -> Value {
    let (label, tone) = match s {
        ItemStatus::Idea => ("Idea", "neutral"),
        ItemStatus::Planned => ("Planned", "neutral"),
        ItemStatus::InProgress => ("In progress", "info"),
        ItemStatus::Shipped => ("Shipped", "good"),
        ItemStatus::Paused => ("Paused", "warn"),
        ItemStatus::Cancelled => ("Cancelled", "muted"),
    };
    badge(s.as_str(), label, tone)
}

pub fn item_type_label(t: ItemType) -> &'static str {
    match t {
        ItemType::Feature => "Feature",
        ItemType::TechDebt => "Tech debt",
        ItemType::Infrastructure => "Infrastructure",
        ItemType::Experiment => "Experiment",
    }
}

pub fn item_type(t: ItemType) -> Value {
    badge(t.as_str(), item_type_label(t), "type")
}

pub fn horizon_label(h: Horizon) -> &'static str {
    match h {
        Horizon::Now => "Now",
        Horizon::Next => "Next",
        Horizon::Later => "Later",
    }
}

pub fn confidence_label(c: Confidence) -> &'static str {
    match c {
        Confidence::Low => "Low",
        Confidence::Medium => "Medium",
        Confidence::High => "High",
    }
}

/// Outcome statuses as metrics.json writes them (`on-track`, …).
pub fn outcome_status(s: &str) -> Value {
    let (label, tone) = match s {
        "achieved" => ("Achieved", "good"),
        "missed" => ("Missed", "bad"),
        "on-track" => ("On track", "good"),
        "at-risk" => ("At risk", "warn"),
        "off-track" => ("Off track", "bad"),
        _ => ("No data", "neutral"),
    };
    badge(s, label, tone)
}

/// Outcome statuses in the order the site lists outcomes: what needs attention first.
pub const OUTCOME_ATTENTION_ORDER: [&str; 6] = [
    "missed",
    "off-track",
    "at-risk",
    "no-data",
    "on-track",
    "achieved",
];

/// Outcome statuses in the order of the summary counts (metrics.md's order).
pub const OUTCOME_STATUSES: [&str; 6] = [
    "achieved",
    "on-track",
    "at-risk",
    "off-track",
    "missed",
    "no-data",
];

pub fn action_status(s: ActionStatus) -> Value {
    let (label, tone) = match s {
        ActionStatus::Open => ("Open", "neutral"),
        ActionStatus::InProgress => ("In progress", "info"),
        ActionStatus::Done => ("Done", "good"),
        ActionStatus::WontDo => ("Won't do", "muted"),
    };
    badge(s.as_str(), label, tone)
}

pub fn priority_label(p: Priority) -> &'static str {
    match p {
        Priority::P0 => "P0",
        Priority::P1 => "P1",
        Priority::P2 => "P2",
        Priority::P3 => "P3",
    }
}

pub fn action_type_label(t: ActionType) -> &'static str {
    match t {
        ActionType::Prevent => "Prevent",
        ActionType::Mitigate => "Mitigate",
        ActionType::Detect => "Detect",
        ActionType::Process => "Process",
    }
}

pub fn detection_label(d: Detection) -> &'static str {
    match d {
        Detection::Alert => "Alert",
        Detection::Customer => "Customer report",
        Detection::Internal => "Noticed internally",
        Detection::Other => "Other",
    }
}

pub fn cause_label(c: Cause) -> &'static str {
    match c {
        Cause::Deploy => "Deploy",
        Cause::Config => "Configuration",
        Cause::Dependency => "Dependency",
        Cause::Capacity => "Capacity",
        Cause::Hardware => "Hardware",
        Cause::Code => "Code",
        Cause::Data => "Data",
        Cause::Process => "Process",
        Cause::Other => "Other",
    }
}

/// A severity badge: its configured label, toned by rank (the first configured severity is
/// the most severe).
pub fn severity(config: &crate::config::SiteConfig, id: &str) -> Value {
    let rank = config
        .severities
        .iter()
        .position(|s| s.id == id)
        .unwrap_or(usize::MAX);
    let tone = match rank {
        0 => "bad",
        1 => "warn",
        2 => "info",
        _ => "neutral",
    };
    let label = config
        .severity(id)
        .map_or(id.to_string(), |s| s.label.clone());
    merge(
        badge(id, id, tone),
        crate::val!({
            "name": label,
            "description": config.severity(id).and_then(|s| s.description.as_deref()),
        }),
    )
}

/// Risk kinds in the order the site presents them: what an executive should see first
/// (missed and failing outcomes, blocked and late work, repeated incidents) before hygiene
/// warnings. Kinds not listed sort last, in the metrics' own order.
pub const RISK_PRIORITY: [&str; 16] = [
    "outcome-missed",
    "outcome-off-track",
    "blocked",
    "overdue",
    "recurring-service",
    "action-item-overdue",
    "outcome-at-risk",
    "capacity-below-target",
    "action-item-slo-breached",
    "likely-late",
    "beyond-history",
    "no-action-items",
    "not-ready",
    "no-rollback-plan",
    "no-business-value",
    "no-hypothesis",
];

pub fn risk_rank(kind: &str) -> usize {
    RISK_PRIORITY
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(RISK_PRIORITY.len())
}

pub fn risk_tone(kind: &str) -> &'static str {
    match kind {
        "outcome-missed"
        | "outcome-off-track"
        | "blocked"
        | "overdue"
        | "recurring-service"
        | "action-item-overdue" => "bad",
        "outcome-at-risk"
        | "capacity-below-target"
        | "action-item-slo-breached"
        | "likely-late"
        | "beyond-history" => "warn",
        _ => "neutral",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_risk_kind_has_a_rank() {
        for d in crate::metrics::risks::DEFINITIONS {
            let kind = d.key.trim_start_matches("risks.");
            assert!(risk_rank(kind) < RISK_PRIORITY.len(), "{kind}");
        }
    }

    #[test]
    fn severities_are_toned_by_rank() {
        let config = crate::config::SiteConfig::default();
        let field = |v: &Value, k: &str| {
            crate::render::value::get(v, k)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        assert_eq!(
            field(&severity(&config, "SEV1"), "tone").as_deref(),
            Some("bad")
        );
        assert_eq!(
            field(&severity(&config, "SEV4"), "tone").as_deref(),
            Some("neutral")
        );
        assert_eq!(
            field(&outcome_status("at-risk"), "label").as_deref(),
            Some("At risk")
        );
    }
}

/// A formula or hint as a reader sees it on a page: the field names it is written with
/// (`` `release.rollback_plan` ``, `as_of`, `baseline_target`) become words ("rollback plan",
/// "the report date", "baseline target"). metrics.json and `check` keep the exact names.
pub fn for_readers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, word) in text.split('`').enumerate() {
        // Odd pieces were between backticks: a field name, shown as its last part.
        let word = if i % 2 == 1 {
            word.rsplit('.').next().unwrap_or(word)
        } else {
            word
        };
        out.push_str(word);
    }
    let out = out
        .replace("as_of", "the report date")
        .replace("done_on", "its done date");
    // Remaining snake_case names read as words: "action_item_slo_days" → "action item slo days".
    let mut words = String::with_capacity(out.len());
    let chars: Vec<char> = out.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let joins = *c == '_'
            && i > 0
            && chars[i - 1].is_ascii_alphanumeric()
            && chars.get(i + 1).is_some_and(char::is_ascii_alphanumeric);
        words.push(if joins { ' ' } else { *c });
    }
    words.replace("slo days", "SLO days")
}

#[cfg(test)]
mod reader_tests {
    use super::for_readers;

    #[test]
    fn counts_say_one_in_the_singular() {
        assert_eq!(super::count(1, "item", "items"), "1 item");
        assert_eq!(super::count(0, "item", "items"), "0 items");
        assert_eq!(super::count(21, "incident", "incidents"), "21 incidents");
    }

    #[test]
    fn field_names_become_words() {
        assert_eq!(
            for_readers("an in-progress item has no `release.rollback_plan`"),
            "an in-progress item has no rollback plan"
        );
        assert_eq!(
            for_readers("the local date of `started` — in the 90 days ending at as_of"),
            "the local date of started — in the 90 days ending at the report date"
        );
        assert_eq!(
            for_readers("incident date + action_item_slo_days of its priority"),
            "incident date + action item SLO days of its priority"
        );
        assert_eq!(
            for_readers("done with done_on on or before"),
            "done with its done date on or before"
        );
    }
}

/// `n` and the noun in the right number: "1 item", "0 items", "3 items".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
