//! Post-mortems: `content/postmortems/<id>.md`.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::field_table;
use super::fields::{Fields, FileCtx, NameUse, Ref};
use super::keywords::{ActionStatus, ActionType, Cause, Detection, PostmortemStatus, Priority};
use super::readiness::Readiness;
use crate::config::SiteConfig;
use crate::diagnostics::Pos;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Impact {
    pub summary: Option<String>,
    pub users: Option<f64>,
    pub revenue: Option<f64>,
    pub support_tickets: Option<f64>,
    pub data_loss: Option<bool>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TimelineEntry {
    pub at: Timestamp,
    pub event: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionItem {
    pub title: String,
    pub owner: String,
    pub due: Date,
    pub status: ActionStatus,
    pub priority: Priority,
    #[serde(rename = "type")]
    pub action_type: Option<ActionType>,
    pub done_on: Option<Date>,
    pub roadmap: Option<Ref>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Postmortem {
    pub id: String,
    pub path: String,
    #[serde(skip)]
    pub id_pos: Pos,
    pub title: String,
    pub status: PostmortemStatus,
    pub severity: String,
    pub services: Vec<String>,
    pub teams: Vec<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub started: Timestamp,
    pub detected: Timestamp,
    /// `resolved` when not written.
    pub mitigated: Timestamp,
    pub resolved: Timestamp,
    /// The local date of `started` in the site timezone: the incident's date.
    pub date: Date,
    pub detection: Option<Detection>,
    pub cause: Option<Cause>,
    pub trigger: Option<String>,
    pub impact: Option<Impact>,
    pub timeline: Vec<TimelineEntry>,
    pub action_items: Vec<ActionItem>,
    pub roadmap: Vec<Ref>,
    pub readiness: Vec<Readiness>,
    pub body: String,
    #[serde(skip)]
    pub body_line: u32,
    /// `services` and `teams`, with where each is written.
    #[serde(skip)]
    pub names: Vec<NameUse>,
}

impl Postmortem {
    pub fn is_draft(&self) -> bool {
        self.status == PostmortemStatus::Draft
    }
}

const WHAT: &str = "a post-mortem";

/// "12 minutes", "3 hours 5 minutes", "2 days 4 hours".
pub fn human_duration(minutes: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    match (d, h, m) {
        (0, 0, m) => plural(m, "minute"),
        (0, h, 0) => plural(h, "hour"),
        (0, h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
        (d, 0, _) => plural(d, "day"),
        (d, h, _) => format!("{} {}", plural(d, "day"), plural(h, "hour")),
    }
}

#[allow(clippy::too_many_arguments)] // the same shape as the other kinds' `parse`, plus config
pub fn parse(
    cx: &mut FileCtx,
    f: &Fields,
    config: &SiteConfig,
    id: String,
    id_pos: Pos,
    path: &str,
    body: &str,
    body_line: u32,
) -> Option<Postmortem> {
    let title = cx.req_string(f, "title", WHAT);
    let status = cx
        .opt_keyword::<PostmortemStatus>(f, "status")
        .unwrap_or(PostmortemStatus::Published);
    let severity = cx.req_string(f, "severity", WHAT);
    if let Some(sev) = &severity
        && config.severity(sev).is_none()
    {
        let ids: Vec<&str> = config.severities.iter().map(|s| s.id.as_str()).collect();
        let label = format!("expected one of {}", super::fields::quote_list(&ids));
        match crate::diagnostics::did_you_mean(sev, &ids) {
            Some(hint) => cx.error_with_help(
                f.pos_of("severity"),
                format!("unknown severity `{sev}`"),
                label,
                format!("did you mean `{hint}`?"),
            ),
            None => cx.error(
                f.pos_of("severity"),
                format!("unknown severity `{sev}`"),
                label,
            ),
        }
    }

    let services = cx.name_list(f, "services", "service");
    if f.get("services").is_none() {
        cx.missing(f, "services", WHAT);
    } else if services.is_empty()
        && matches!(
            f.get("services").map(|n| &n.value),
            Some(super::yaml::Value::Seq(_))
        )
    {
        cx.error(
            f.pos_of("services"),
            "`services` is empty",
            "name at least one affected service",
        );
    }
    let started = cx.req_datetime(f, "started", WHAT);
    let detected = cx.req_datetime(f, "detected", WHAT);
    let mitigated = cx.opt_datetime(f, "mitigated");
    let resolved = cx.req_datetime(f, "resolved", WHAT);
    let impact = parse_impact(cx, f);
    let mut timeline = Vec::new();
    for (t, _) in cx.map_list(
        f,
        "timeline",
        &field_table::TIMELINE_ENTRY.names(),
        "a timeline entry",
    ) {
        let at = cx.req_datetime(&t, "at", "a timeline entry");
        let event = cx.req_string(&t, "event", "a timeline entry");
        if let (Some(at), Some(event)) = (at, event) {
            timeline.push(TimelineEntry { at, event });
        }
    }
    let action_items = parse_action_items(cx, f);
    let teams = cx.name_list(f, "teams", "team");
    let pm = Postmortem {
        id,
        path: path.to_string(),
        id_pos,
        title: title.clone().unwrap_or_default(),
        status,
        severity: severity.clone().unwrap_or_default(),
        services: services.iter().map(|s| s.name.clone()).collect(),
        teams: teams.iter().map(|t| t.name.clone()).collect(),
        authors: cx.string_list(f, "authors"),
        tags: cx.string_list(f, "tags"),
        started: started.unwrap_or_default(),
        detected: detected.unwrap_or_default(),
        mitigated: mitigated.or(resolved).unwrap_or_default(),
        resolved: resolved.unwrap_or_default(),
        date: started
            .map(|s| s.to_zoned_datetime(cx.tz.clone()).date())
            .unwrap_or_default(),
        detection: cx.opt_keyword::<Detection>(f, "detection"),
        cause: cx.opt_keyword::<Cause>(f, "cause"),
        trigger: cx.opt_string(f, "trigger"),
        impact,
        timeline,
        action_items,
        roadmap: cx.ref_list(f, "roadmap"),
        readiness: Vec::new(),
        body: body.to_string(),
        body_line,
        names: services.into_iter().chain(teams).collect(),
    };
    check_time_order(
        cx,
        f,
        [
            ("started", started),
            ("detected", detected),
            ("mitigated", mitigated),
            ("resolved", resolved),
        ],
    );
    let (Some(_), Some(sev), Some(_), Some(_), Some(_)) =
        (title, severity, started, detected, resolved)
    else {
        return None;
    };
    let mut pm = pm;
    if config.severity(&sev).is_some_and(|s| s.postmortem_required) && pm.action_items.is_empty() {
        pm.readiness.push(Readiness::NoActionItems);
        cx.warning(
            f.pos_of("severity"),
            format!("{sev} post-mortem with no action items"),
            Readiness::NoActionItems.hint(),
        );
    }
    Some(pm)
}

/// `started ≤ detected ≤ mitigated ≤ resolved`: each later time is compared with every
/// earlier one, and the first it precedes is named.
fn check_time_order(cx: &mut FileCtx, f: &Fields, times: [(&str, Option<Timestamp>); 4]) {
    for (i, (later, later_t)) in times.iter().enumerate().skip(1) {
        let Some(later_t) = later_t else { continue };
        let earlier = times[..i]
            .iter()
            .find_map(|(name, t)| t.filter(|t| later_t < t).map(|t| (*name, t)));
        if let Some((name, t)) = earlier {
            let minutes = (t.as_second() - later_t.as_second() + 59) / 60;
            cx.error(
                f.pos_of(later),
                format!("`{later}` is earlier than `{name}`"),
                format!(
                    "{} is {} before {name} (line {})",
                    f.get(later).map(|n| n.display()).unwrap_or_default(),
                    human_duration(minutes),
                    f.pos_of(name).line
                ),
            );
        }
    }
}

fn parse_impact(cx: &mut FileCtx, f: &Fields) -> Option<Impact> {
    let node = f.get("impact")?;
    let i = cx.fields(node, &field_table::IMPACT.names(), field_table::IMPACT.what)?;
    let mut count = |name: &str| i.get(name).and_then(|n| cx.non_negative(n, name));
    let users = count("users");
    let revenue = count("revenue");
    let support_tickets = count("support_tickets");
    Some(Impact {
        summary: cx.opt_string(&i, "summary"),
        users,
        revenue,
        support_tickets,
        data_loss: i.get("data_loss").and_then(|n| cx.bool(n, "data_loss")),
    })
}

fn parse_action_items(cx: &mut FileCtx, f: &Fields) -> Vec<ActionItem> {
    let mut out = Vec::new();
    let what = "an action item";
    for (a, _) in cx.map_list(f, "action_items", &field_table::ACTION_ITEM.names(), what) {
        let title = cx.req_string(&a, "title", what);
        let owner = cx.req_string(&a, "owner", what);
        let due = cx.req_date(&a, "due", what);
        let status = cx.req_keyword::<ActionStatus>(&a, "status", what);
        let priority = cx
            .opt_keyword::<Priority>(&a, "priority")
            .unwrap_or(Priority::P2);
        let action_type = cx.opt_keyword::<ActionType>(&a, "type");
        let done_on = cx.opt_date(&a, "done_on");
        let roadmap = a.get("roadmap").and_then(|n| cx.reference(n, "roadmap"));
        if let (Some(s), Some(_)) = (status, done_on)
            && s != ActionStatus::Done
        {
            cx.error(
                a.pos_of("done_on"),
                "`done_on` on an action item that is not done",
                format!("status is `{s}`; `done_on` is only for `status: done`"),
            );
        }
        if let (Some(title), Some(owner), Some(due), Some(status)) = (title, owner, due, status) {
            out.push(ActionItem {
                title,
                owner,
                due,
                status,
                priority,
                action_type,
                done_on,
                roadmap,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::human_duration;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(12), "12 minutes");
        assert_eq!(human_duration(1), "1 minute");
        assert_eq!(human_duration(60), "1 hour");
        assert_eq!(human_duration(185), "3 hours 5 minutes");
        assert_eq!(human_duration(2 * 1440 + 240), "2 days 4 hours");
    }
}
