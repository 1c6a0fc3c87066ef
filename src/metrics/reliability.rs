//! Reliability: incident durations, incidents per month and quarter, per service, and how
//! action items are followed up.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::Definition;
use super::periods::{Month, Quarter, month_series, quarter_series};
use super::stats::{Days, mean, median, median_days, ratio};
use crate::config::SiteConfig;
use crate::content::Postmortem;
use crate::content::dates::days_between;
use crate::content::keywords::ActionStatus;
use crate::content::postmortem::ActionItem;
use crate::model::Model;

pub const DEFINITIONS: &[Definition] = &[
    Definition {
        key: "reliability.ttd",
        label: "Time to detect",
        formula: "detected − started, in minutes",
    },
    Definition {
        key: "reliability.ttm",
        label: "Time to mitigate",
        formula: "mitigated − started, in minutes (mitigated defaults to resolved)",
    },
    Definition {
        key: "reliability.ttr",
        label: "Time to resolve",
        formula: "resolved − started, in minutes",
    },
    Definition {
        key: "reliability.total",
        label: "Incidents",
        formula: "post-mortems whose incident date (local date of started) falls in the period",
    },
    Definition {
        key: "reliability.by_severity",
        label: "By severity",
        formula: "incidents in the period per configured severity",
    },
    Definition {
        key: "reliability.mean_ttr",
        label: "Mean TTR",
        formula: "mean of resolved − started over the period's incidents, in minutes",
    },
    Definition {
        key: "reliability.median_ttr",
        label: "Median TTR",
        formula: "median of resolved − started over the period's incidents, in minutes",
    },
    Definition {
        key: "reliability.mean_ttd",
        label: "Mean TTD",
        formula: "mean of detected − started over the period's incidents, in minutes",
    },
    Definition {
        key: "reliability.mean_ttm",
        label: "Mean TTM",
        formula: "mean of mitigated − started over the period's incidents, in minutes",
    },
    Definition {
        key: "reliability.services.incidents",
        label: "Incidents (365 days)",
        formula: "incidents naming the service in the 365 days ending at as_of",
    },
    Definition {
        key: "reliability.services.last",
        label: "Last incident",
        formula: "date of the service's latest incident on or before as_of",
    },
    Definition {
        key: "reliability.services.mtbf_days",
        label: "MTBF",
        formula: "max(0, (365 − Σ days of impact) ÷ incidents) over the 365 days ending at as_of; impact = mitigated − started",
    },
    Definition {
        key: "reliability.services.recurring",
        label: "Recurring",
        formula: "2 or more incidents in the 90 days ending at as_of",
    },
    Definition {
        key: "reliability.action_items.total",
        label: "Action items",
        formula: "action items of all post-mortems",
    },
    Definition {
        key: "reliability.action_items.open",
        label: "Open",
        formula: "action items open or in progress",
    },
    Definition {
        key: "reliability.action_items.done",
        label: "Done",
        formula: "action items done",
    },
    Definition {
        key: "reliability.action_items.wont_do",
        label: "Won't do",
        formula: "action items decided against",
    },
    Definition {
        key: "reliability.action_items.overdue",
        label: "Overdue",
        formula: "open action items whose due date is before as_of",
    },
    Definition {
        key: "reliability.action_items.completion_rate",
        label: "Completion rate",
        formula: "done ÷ (total − won't do)",
    },
    Definition {
        key: "reliability.action_items.within_slo",
        label: "Within SLO",
        formula: "done with done_on on or before the deadline = incident date + action_item_slo_days of its priority",
    },
    Definition {
        key: "reliability.action_items.breached",
        label: "SLO breached",
        formula: "done after the deadline, or still open after it",
    },
    Definition {
        key: "reliability.action_items.slo_compliance",
        label: "SLO compliance",
        formula: "within SLO ÷ (within SLO + breached); done items without done_on are in neither",
    },
    Definition {
        key: "reliability.action_items.median_days_to_close",
        label: "Median days to close",
        formula: "median of done_on − incident date over done items with done_on",
    },
];

/// One incident's durations, in minutes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Incident {
    pub ttd: f64,
    pub ttm: f64,
    pub ttr: f64,
}

/// Incidents of one month. Fields in alphabetical order (metrics.json's key order).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReliabilityMonth {
    /// Every configured severity, 0 when none.
    pub by_severity: BTreeMap<String, u32>,
    pub mean_ttd: Option<f64>,
    pub mean_ttm: Option<f64>,
    pub mean_ttr: Option<f64>,
    pub median_ttr: Option<f64>,
    pub month: Month,
    pub total: u32,
}

/// Incidents of one quarter. Fields in alphabetical order (metrics.json's key order).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReliabilityQuarter {
    /// Every configured severity, 0 when none.
    pub by_severity: BTreeMap<String, u32>,
    pub mean_ttd: Option<f64>,
    pub mean_ttm: Option<f64>,
    pub mean_ttr: Option<f64>,
    pub median_ttr: Option<f64>,
    pub quarter: Quarter,
    pub total: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Service {
    /// In the 365 days ending at as_of.
    pub incidents: u32,
    pub last: Option<Date>,
    pub mtbf_days: Option<f64>,
    pub recurring: bool,
    /// Incidents in the 90 days ending at as_of (for messages; not in metrics.json).
    #[serde(skip)]
    pub incidents_90_days: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ActionItems {
    pub breached: u32,
    pub completion_rate: Option<f64>,
    pub done: u32,
    pub median_days_to_close: Option<Days>,
    pub open: u32,
    pub overdue: u32,
    pub slo_compliance: Option<f64>,
    pub total: u32,
    pub within_slo: u32,
    pub wont_do: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Reliability {
    pub action_items: ActionItems,
    /// Every included post-mortem, by id, whatever its date.
    pub incidents: BTreeMap<String, Incident>,
    /// From the earliest incident's month to as_of's month.
    pub months: Vec<ReliabilityMonth>,
    pub quarters: Vec<ReliabilityQuarter>,
    /// Every service named by an included post-mortem.
    pub services: BTreeMap<String, Service>,
}

fn minutes(from: Timestamp, to: Timestamp) -> f64 {
    to.duration_since(from).as_secs_f64() / 60.0
}

pub fn incident(pm: &Postmortem) -> Incident {
    Incident {
        ttd: minutes(pm.started, pm.detected),
        ttm: minutes(pm.started, pm.mitigated),
        ttr: minutes(pm.started, pm.resolved),
    }
}

/// When an action item should be closed: its incident's date + the SLO of its priority.
pub fn deadline(pm: &Postmortem, action: &ActionItem, config: &SiteConfig) -> Date {
    let days = i64::from(config.slo_days(action.priority));
    pm.date
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(Date::MAX)
}

/// Still to do and past its `due` date.
pub fn is_overdue(action: &ActionItem, as_of: Date) -> bool {
    action.status.is_open() && action.due < as_of
}

/// Closed after its SLO deadline, or still open past it.
pub fn is_breached(pm: &Postmortem, action: &ActionItem, config: &SiteConfig, as_of: Date) -> bool {
    let deadline = deadline(pm, action, config);
    match action.status {
        ActionStatus::Done => action.done_on.is_some_and(|d| d > deadline),
        ActionStatus::Open | ActionStatus::InProgress => as_of > deadline,
        ActionStatus::WontDo => false,
    }
}

/// What a period collects before its means and medians are taken.
#[derive(Default)]
struct PeriodBucket {
    by_severity: BTreeMap<String, u32>,
    ttd: Vec<f64>,
    ttm: Vec<f64>,
    ttr: Vec<f64>,
}

struct PeriodStats {
    by_severity: BTreeMap<String, u32>,
    mean_ttd: Option<f64>,
    mean_ttm: Option<f64>,
    mean_ttr: Option<f64>,
    median_ttr: Option<f64>,
    total: u32,
}

impl PeriodBucket {
    fn add(&mut self, pm: &Postmortem, i: &Incident) {
        *self.by_severity.entry(pm.severity.clone()).or_default() += 1;
        self.ttd.push(i.ttd);
        self.ttm.push(i.ttm);
        self.ttr.push(i.ttr);
    }

    fn finish(self, config: &SiteConfig) -> PeriodStats {
        let mut by_severity: BTreeMap<String, u32> = config
            .severities
            .iter()
            .map(|s| (s.id.clone(), 0))
            .collect();
        for (severity, n) in self.by_severity {
            *by_severity.entry(severity).or_default() += n;
        }
        PeriodStats {
            by_severity,
            mean_ttd: mean(&self.ttd),
            mean_ttm: mean(&self.ttm),
            mean_ttr: mean(&self.ttr),
            median_ttr: median(&self.ttr),
            total: self.ttr.len() as u32,
        }
    }
}

/// What a service collects over the windows ending at as_of.
#[derive(Default)]
struct ServiceBucket {
    in_year: u32,
    in_90_days: u32,
    impact_days: f64,
    last: Option<Date>,
}

pub fn compute(model: &Model, as_of: Date) -> Reliability {
    let config = &model.config;
    let start_month = config.quarter_start_month;
    let mut out = Reliability::default();
    let mut months: HashMap<Month, PeriodBucket> = HashMap::new();
    let mut quarters: HashMap<Quarter, PeriodBucket> = HashMap::new();
    let mut services: BTreeMap<String, ServiceBucket> = BTreeMap::new();
    let mut dated: Vec<Date> = Vec::new();
    let mut days_to_close: Vec<i64> = Vec::new();
    let ai = &mut out.action_items;

    for pm in &model.postmortems {
        let i = incident(pm);
        out.incidents.insert(pm.id.clone(), i);
        let counted = pm.date <= as_of;
        if counted {
            dated.push(pm.date);
            months.entry(Month::of(pm.date)).or_default().add(pm, &i);
            quarters
                .entry(Quarter::of(pm.date, start_month))
                .or_default()
                .add(pm, &i);
        }
        // Days from the incident back from as_of: 0 on as_of itself.
        let age = days_between(pm.date, as_of);
        for name in &pm.services {
            let s = services.entry(name.clone()).or_default();
            if !counted {
                continue;
            }
            s.last = s.last.max(Some(pm.date));
            if age < 365 {
                s.in_year += 1;
                s.impact_days += minutes(pm.started, pm.mitigated) / (24.0 * 60.0);
            }
            s.in_90_days += u32::from(age < 90);
        }

        for action in &pm.action_items {
            ai.total += 1;
            match action.status {
                ActionStatus::Open | ActionStatus::InProgress => ai.open += 1,
                ActionStatus::Done => ai.done += 1,
                ActionStatus::WontDo => ai.wont_do += 1,
            }
            ai.overdue += u32::from(is_overdue(action, as_of));
            if is_breached(pm, action, config, as_of) {
                ai.breached += 1;
            } else if action.status == ActionStatus::Done && action.done_on.is_some() {
                ai.within_slo += 1;
            }
            if let (ActionStatus::Done, Some(done_on)) = (action.status, action.done_on) {
                days_to_close.push(days_between(pm.date, done_on));
            }
        }
    }
    ai.completion_rate = ratio(f64::from(ai.done), f64::from(ai.total - ai.wont_do));
    ai.slo_compliance = ratio(
        f64::from(ai.within_slo),
        f64::from(ai.within_slo + ai.breached),
    );
    ai.median_days_to_close = median_days(&days_to_close);

    out.months = month_series(dated.iter().copied(), as_of)
        .into_iter()
        .map(|month| {
            let s = months.remove(&month).unwrap_or_default().finish(config);
            ReliabilityMonth {
                by_severity: s.by_severity,
                mean_ttd: s.mean_ttd,
                mean_ttm: s.mean_ttm,
                mean_ttr: s.mean_ttr,
                median_ttr: s.median_ttr,
                month,
                total: s.total,
            }
        })
        .collect();
    out.quarters = quarter_series(dated, as_of, start_month)
        .into_iter()
        .map(|quarter| {
            let s = quarters.remove(&quarter).unwrap_or_default().finish(config);
            ReliabilityQuarter {
                by_severity: s.by_severity,
                mean_ttd: s.mean_ttd,
                mean_ttm: s.mean_ttm,
                mean_ttr: s.mean_ttr,
                median_ttr: s.median_ttr,
                quarter,
                total: s.total,
            }
        })
        .collect();
    out.services = services
        .into_iter()
        .map(|(name, s)| {
            let mtbf_days = ratio(365.0 - s.impact_days, f64::from(s.in_year)).map(|d| d.max(0.0));
            let service = Service {
                incidents: s.in_year,
                last: s.last,
                mtbf_days,
                recurring: s.in_90_days >= 2,
                incidents_90_days: s.in_90_days,
            };
            (name, service)
        })
        .collect();
    out
}
