//! Roadmap items: `content/roadmap/<id>.md`.

use jiff::civil::Date;
use serde::Serialize;

use super::field_table;
use super::fields::{Fields, FileCtx, NameUse, Ref};
use super::keywords::{Confidence, Horizon, ItemStatus, ItemType};
use super::readiness::{self, Readiness};
use crate::diagnostics::Pos;

#[derive(Clone, Debug, Serialize)]
pub struct Rice {
    pub reach: f64,
    pub impact: f64,
    pub confidence: f64,
    pub effort: f64,
}

impl Rice {
    pub fn score(&self) -> f64 {
        self.reach * self.impact * self.confidence / self.effort
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Release {
    pub feature_flag: Option<String>,
    pub rollback_plan: Option<String>,
    pub monitoring: Option<String>,
}

/// Where an item's baseline target comes from (`delivery.items.<id>.baseline_source`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineSource {
    /// `baseline_target` is written in the file.
    Field,
    /// The first target recorded in git history (history.md).
    Git,
    /// Not written and no history: the current `target`.
    #[default]
    Target,
}

#[derive(Clone, Debug, Serialize)]
pub struct RoadmapItem {
    pub id: String,
    /// Path relative to the site root.
    pub path: String,
    #[serde(skip)]
    pub id_pos: Pos,
    pub title: String,
    #[serde(rename = "type")]
    pub item_type: ItemType,
    pub status: ItemStatus,
    /// The board column: as written, else the status default; None once shipped/cancelled.
    pub horizon: Option<Horizon>,
    pub team: Option<String>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub hypothesis: Option<String>,
    pub value: Option<String>,
    pub outcomes: Vec<Ref>,
    pub depends_on: Vec<Ref>,
    pub services: Vec<String>,
    pub start: Option<Date>,
    pub target: Option<Date>,
    /// The first committed target; `target` when not written (history may replace that
    /// default with the first target recorded in git).
    pub baseline_target: Option<Date>,
    /// Where `baseline_target` comes from.
    #[serde(skip)]
    pub baseline_source: BaselineSource,
    /// `horizon` as written in the file (`horizon` above has the status default).
    #[serde(skip)]
    pub horizon_written: Option<Horizon>,
    pub shipped: Option<Date>,
    pub estimate: Option<f64>,
    pub actual: Option<f64>,
    pub confidence: Option<Confidence>,
    pub rice: Option<Rice>,
    pub release: Option<Release>,
    pub postmortems: Vec<Ref>,
    /// The "not ready" rules this item breaks (validation warnings).
    pub readiness: Vec<Readiness>,
    pub body: String,
    #[serde(skip)]
    pub body_line: u32,
    /// `team` and `services`, with where each is written.
    #[serde(skip)]
    pub names: Vec<NameUse>,
}

const WHAT: &str = "a roadmap item";

/// Read one roadmap item from its front matter fields. `None` when a required field is
/// missing or unreadable (the diagnostics say why).
pub fn parse(
    cx: &mut FileCtx,
    f: &Fields,
    id: String,
    id_pos: Pos,
    path: &str,
    body: &str,
    body_line: u32,
) -> Option<RoadmapItem> {
    let title = cx.req_string(f, "title", WHAT);
    let item_type = cx.req_keyword::<ItemType>(f, "type", WHAT);
    let status = cx.req_keyword::<ItemStatus>(f, "status", WHAT);
    let horizon = cx.opt_keyword::<Horizon>(f, "horizon");
    let start = cx.opt_date(f, "start");
    let target = cx.opt_date(f, "target");
    let written_baseline = cx.opt_date(f, "baseline_target");
    let baseline_source = if written_baseline.is_some() {
        BaselineSource::Field
    } else {
        BaselineSource::Target
    };
    let baseline_target = written_baseline.or(target);
    let shipped = cx.opt_date(f, "shipped");
    let rice = parse_rice(cx, f);
    let team = cx.opt_name(f, "team", "team");
    let services = cx.name_list(f, "services", "service");
    let release = f
        .get("release")
        .and_then(|n| cx.fields(n, &field_table::RELEASE.names(), field_table::RELEASE.what))
        .map(|r| Release {
            feature_flag: cx.opt_string(&r, "feature_flag"),
            rollback_plan: cx.opt_string(&r, "rollback_plan"),
            monitoring: cx.opt_string(&r, "monitoring"),
        });
    let item = RoadmapItem {
        id,
        path: path.to_string(),
        id_pos,
        title: title.clone().unwrap_or_default(),
        item_type: item_type.unwrap_or(ItemType::Feature),
        status: status.unwrap_or(ItemStatus::Idea),
        horizon: None,
        team: team.as_ref().map(|t| t.name.clone()),
        owner: cx.opt_string(f, "owner"),
        tags: cx.string_list(f, "tags"),
        summary: cx.opt_string(f, "summary"),
        hypothesis: cx.opt_string(f, "hypothesis"),
        value: cx.opt_string(f, "value"),
        outcomes: cx.ref_list(f, "outcomes"),
        depends_on: cx.ref_list(f, "depends_on"),
        services: services.iter().map(|s| s.name.clone()).collect(),
        start,
        target,
        baseline_target,
        baseline_source,
        horizon_written: horizon,
        shipped,
        estimate: cx.effort(f, "estimate"),
        actual: cx.effort(f, "actual"),
        confidence: cx.opt_keyword::<Confidence>(f, "confidence"),
        rice,
        release,
        postmortems: cx.ref_list(f, "postmortems"),
        readiness: Vec::new(),
        body: body.to_string(),
        body_line,
        names: team.into_iter().chain(services).collect(),
    };
    match (status, shipped) {
        (Some(ItemStatus::Shipped), None) => cx.error(
            f.pos_of("status"),
            "a shipped item needs a `shipped` date",
            "status is `shipped` but there is no `shipped:` date",
        ),
        (Some(s), Some(_)) if s != ItemStatus::Shipped => cx.error(
            f.pos_of("shipped"),
            "`shipped` is set on an item that is not shipped",
            format!("status is `{s}`; remove `shipped` or set `status: shipped`"),
        ),
        _ => {}
    }
    if let (Some(start), Some(shipped)) = (start, shipped)
        && shipped < start
    {
        cx.error(
            f.pos_of("shipped"),
            "`shipped` is earlier than `start`",
            format!(
                "{shipped} is before start {start} (line {})",
                f.pos_of("start").line
            ),
        );
    }
    let (Some(_), Some(item_type), Some(status)) = (title, item_type, status) else {
        return None;
    };

    let mut item = RoadmapItem {
        horizon: horizon.or(status.default_horizon()),
        ..item
    };
    if matches!(status, ItemStatus::Shipped | ItemStatus::Cancelled) {
        item.horizon = None;
    }
    let _ = item_type;
    item.readiness = readiness::of_item(&item);
    for r in &item.readiness {
        let field = match r {
            Readiness::NoSuccessMetric | Readiness::NoRollbackPlan => "status",
            Readiness::NoBusinessValue | Readiness::NoHypothesis => "type",
            Readiness::NoActionItems => "severity",
        };
        cx.warning(f.pos_of(field), r.message(), r.hint());
    }
    Some(item)
}

fn parse_rice(cx: &mut FileCtx, f: &Fields) -> Option<Rice> {
    let node = f.get("rice")?;
    let r = cx.fields(node, &field_table::RICE.names(), field_table::RICE.what)?;
    let mut get = |name: &str| match r.get(name) {
        Some(n) => cx.number(n, name).map(|v| (v, n.pos)),
        None => {
            cx.missing(&r, name, "`rice`");
            None
        }
    };
    let (reach, impact, confidence, effort) = (
        get("reach"),
        get("impact"),
        get("confidence"),
        get("effort"),
    );
    let (reach, impact, confidence, effort) = (reach?, impact?, confidence?, effort?);
    let mut ok = true;
    if reach.0 < 0.0 {
        cx.error(
            reach.1,
            "`reach` cannot be negative",
            format!("found {}", reach.0),
        );
        ok = false;
    }
    if ![0.25, 0.5, 1.0, 2.0, 3.0].contains(&impact.0) {
        cx.error(
            impact.1,
            "invalid RICE `impact`",
            format!("expected one of 0.25, 0.5, 1, 2, 3, found {}", impact.0),
        );
        ok = false;
    }
    if !(confidence.0 > 0.0 && confidence.0 <= 1.0) {
        cx.error(
            confidence.1,
            "invalid RICE `confidence`",
            format!(
                "expected a share above 0 and at most 1, found {}",
                confidence.0
            ),
        );
        ok = false;
    }
    if effort.0 <= 0.0 {
        cx.error(
            effort.1,
            "invalid RICE `effort`",
            format!("expected more than 0, found {}", effort.0),
        );
        ok = false;
    }
    ok.then_some(Rice {
        reach: reach.0,
        impact: impact.0,
        confidence: confidence.0,
        effort: effort.0,
    })
}
