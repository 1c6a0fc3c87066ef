//! What pages show of plan history (metrics.json's `history` and `changes`): the plan
//! history of an item, re-plans per quarter on `/delivery/`, `/changes/` and the line that
//! links it from the home page. Every key is present (null or empty when history is off),
//! so templates can test it.

use jiff::civil::Date;

use super::figures::chart_value;
use super::{View, at};
use crate::charts::{self, LineInput, ReferenceKind, ReferenceLine, Series, ValueFormat, XAxis};
use crate::render::value::{Json, Value};
use crate::val;

fn text(j: &Json) -> String {
    match j {
        Json::Null => "none".to_string(),
        Json::String(s) => s.clone(),
        Json::Number(n) => match n.as_f64() {
            Some(days) => format!("{days}d"),
            None => n.to_string(),
        },
        other => other.to_string(),
    }
}

fn date(j: &Json) -> Option<Date> {
    j.as_str().and_then(|s| s.parse().ok())
}

/// One change as a sentence: "target 2026-04-30 → 2026-06-30 (61 days later)".
fn change_line(c: &Json) -> String {
    let field = c.get("field").and_then(Json::as_str).unwrap_or("");
    let (from, to) = (&c["from"], &c["to"]);
    let mut line = format!("{} {} → {}", field.replace('_', " "), text(from), text(to));
    if field == "target"
        && let (Some(a), Some(b)) = (date(from), date(to))
    {
        let days = (b - a).get_days();
        match days {
            d if d > 0 => line.push_str(&format!(" ({d} days later)")),
            d if d < 0 => line.push_str(&format!(" ({} days earlier)", -d)),
            _ => {}
        }
    }
    line
}

/// `page.plan_history` of an item page: null without history, else its events as lines,
/// its figures and, when the target moved, a step chart of the target date.
pub fn item(v: &View, i: usize) -> Value {
    let id = &v.model.items[i].id;
    let h = at(v.metrics, &["history", "items", id]);
    if h.is_null() {
        return val!({ "plan_history": null });
    }
    let events: Vec<Value> = h["events"]
        .as_array()
        .into_iter()
        .flatten()
        .rev()
        .map(|e| {
            let what = if e["created"] == true {
                "added to the roadmap".to_string()
            } else if e["removed"] == true {
                "removed".to_string()
            } else {
                String::new()
            };
            let changes: Vec<String> = e["changes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|_| e["created"] != true)
                .map(change_line)
                .collect();
            val!({
                "date": e["date"].as_str(),
                "author": e["author"].as_str(),
                "commit": e["commit"].as_str(),
                "what": what,
                "changes": changes,
            })
        })
        .collect();
    val!({
        "plan_history": {
            "events": events,
            "replans": h["replans"].as_u64(),
            "replanned_days": h["replanned_days"].as_i64(),
            "first_target": h["first_target"].as_str(),
            "baseline_source": v.item_metrics(id)["baseline_source"].as_str(),
            "chart": target_chart(v, h),
        }
    })
}

/// The target date over time, drawn as steps: each commit that moved it, then as_of. None
/// when it never moved.
fn target_chart(v: &View, h: &Json) -> Value {
    let mut steps: Vec<(Date, Date)> = Vec::new();
    for e in h["events"].as_array().into_iter().flatten() {
        let Some(change) = e["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["field"] == "target")
        else {
            continue;
        };
        if let (Some(day), Some(target)) = (date(&e["date"]), date(&change["to"])) {
            steps.retain(|(d, _)| *d != day);
            steps.push((day, target));
        }
    }
    let (Some(&(_, first)), Some(&(last_day, latest))) = (steps.first(), steps.last()) else {
        return Value::none();
    };
    if steps.len() < 2 {
        return Value::none();
    }
    if v.as_of > last_day {
        steps.push((v.as_of, latest));
    }
    let (x, y): (Vec<Date>, Vec<Option<f64>>) = steps
        .iter()
        .map(|(day, target)| (*day, Some(charts::day_value(*target))))
        .unzip();
    let chart = charts::line(&LineInput {
        title: "Target date over time".into(),
        description: format!(
            "The target date at each commit that moved it: first {first}, now {latest}."
        ),
        x_title: "Date".into(),
        x: XAxis::Dates(x),
        series: vec![Series {
            name: "Target".into(),
            values: y,
        }],
        reference_lines: vec![ReferenceLine {
            label: "First target".into(),
            value: charts::day_value(first),
            kind: ReferenceKind::Baseline,
        }],
        markers: Vec::new(),
        format: ValueFormat::date(),
        include_zero: false,
        steps: true,
    });
    chart_value(&chart, "plan-history")
}

/// `page.replans` of `/delivery/`: re-plans per quarter (null without history).
pub fn delivery(v: &View) -> Value {
    let quarters = at(v.metrics, &["history", "quarters"]);
    let Some(list) = quarters.as_array() else {
        return val!({ "replans": null });
    };
    let rows: Vec<Value> = list
        .iter()
        .map(|q| {
            val!({
                "quarter": q["quarter"].as_str(),
                "replans": q["replans"].as_u64(),
                "median_days_later": q["median_days_later"].as_f64(),
            })
        })
        .collect();
    val!({ "replans": rows })
}

/// `page.changes` of the home page: the review point and the one-line summary (null
/// without history).
pub fn home(v: &View) -> Value {
    let c = at(v.metrics, &["changes"]);
    if c.is_null() {
        return val!({ "changes": null });
    }
    val!({
        "changes": {
            "url": v.url("changes/"),
            "since": c["since"].as_str(),
            "summary": summary(c),
        }
    })
}

/// "3 items added, 1 shipped, …" from the `changes` section.
pub fn summary(c: &Json) -> String {
    let n = |path: &[&str]| at(c, path).as_array().map_or(0, Vec::len);
    let parts = [
        (n(&["roadmap", "added"]), "item added", "items added"),
        (n(&["roadmap", "shipped"]), "shipped", "shipped"),
        (n(&["roadmap", "target"]), "target moved", "targets moved"),
        (n(&["roadmap", "status"]), "status change", "status changes"),
        (
            n(&["outcomes", "measurements"]),
            "new measurement",
            "new measurements",
        ),
        (
            n(&["reliability", "postmortems"]),
            "new post-mortem",
            "new post-mortems",
        ),
        (n(&["risks", "new"]), "new risk", "new risks"),
        (n(&["risks", "resolved"]), "risk resolved", "risks resolved"),
    ];
    let said: Vec<String> = parts
        .iter()
        .filter(|(k, _, _)| *k > 0)
        .map(|(k, one, many)| format!("{k} {}", if *k == 1 { one } else { many }))
        .collect();
    if said.is_empty() {
        "nothing changed".into()
    } else {
        said.join(", ")
    }
}

/// One line of `/changes/`: what it names (linked when it has a page) and what happened.
fn entry(title: String, url: Option<String>, detail: String) -> Value {
    val!({"title": title, "url": url, "detail": detail})
}

/// A titled list of entries; left out when empty.
fn group(title: &str, entries: Vec<Value>) -> Option<(usize, Value)> {
    (!entries.is_empty()).then(|| {
        let n = entries.len();
        (n, val!({"title": title, "count": n, "entries": entries}))
    })
}

/// A section of `/changes/` with its groups and their total count.
fn section(id: &str, title: &str, groups: Vec<Option<(usize, Value)>>) -> Value {
    let (counts, groups): (Vec<usize>, Vec<Value>) = groups.into_iter().flatten().unzip();
    let count: usize = counts.iter().sum();
    val!({"id": id, "title": title, "count": count, "groups": groups})
}

/// `/changes/`: sections (roadmap, outcomes, reliability, risks) of titled groups of
/// entries, and the headline numbers then and now.
pub fn page(v: &View) -> Value {
    let c = at(v.metrics, &["changes"]);
    let m = v.model;
    let item = |id: &str| -> (String, Option<String>) {
        match m.item_index(id) {
            Some(i) => (
                m.items[i].title.clone(),
                Some(v.url(&format!("roadmap/{id}/"))),
            ),
            None => (id.to_string(), None),
        }
    };
    let outcome = |id: &str| -> (String, Option<String>) {
        match m.outcome_index(id) {
            Some(i) => (
                m.outcomes[i].title.clone(),
                Some(v.url(&format!("outcomes/{id}/"))),
            ),
            None => (id.to_string(), None),
        }
    };
    let postmortem = |id: &str| -> (String, Option<String>) {
        match m.postmortem_index(id) {
            Some(i) => (
                m.postmortems[i].title.clone(),
                Some(v.url(&format!("postmortems/{id}/"))),
            ),
            None => (id.to_string(), None),
        }
    };
    let list = |path: &[&str]| -> Vec<Json> { at(c, path).as_array().cloned().unwrap_or_default() };
    let ids = |path: &[&str], detail: &str| -> Vec<Value> {
        list(path)
            .iter()
            .filter_map(Json::as_str)
            .map(|id| {
                let (title, url) = item(id);
                entry(title, url, detail.to_string())
            })
            .collect()
    };
    type Named<'a> = &'a dyn Fn(&str) -> (String, Option<String>);
    let moves = |path: &[&str], named: Named, show: &dyn Fn(&Json) -> String| -> Vec<Value> {
        list(path)
            .iter()
            .map(|x| {
                let (title, url) = named(x["id"].as_str().unwrap_or(""));
                let mut detail = format!("{} → {}", show(&x["from"]), show(&x["to"]));
                match x["days"].as_i64() {
                    Some(d) if d > 0 => detail.push_str(&format!(" ({d} days later)")),
                    Some(d) if d < 0 => detail.push_str(&format!(" ({} days earlier)", -d)),
                    _ => {}
                }
                entry(title, url, detail)
            })
            .collect()
    };
    let pct = |j: &Json| {
        j.as_f64()
            .map_or("none".to_string(), |p| format!("{:.0}%", p * 100.0))
    };
    let measurements: Vec<Value> = list(&["outcomes", "measurements"])
        .iter()
        .map(|x| {
            let (title, url) = outcome(x["id"].as_str().unwrap_or(""));
            let detail = format!(
                "{} on {}",
                text(&x["value"]).trim_end_matches('d'),
                text(&x["date"])
            );
            entry(title, url, detail)
        })
        .collect();
    let actions = |path: &[&str]| -> Vec<Value> {
        list(path)
            .iter()
            .map(|a| {
                let (pm_title, url) = postmortem(a["postmortem"].as_str().unwrap_or(""));
                entry(text(&a["title"]), url, format!("from {pm_title}"))
            })
            .collect()
    };
    let postmortems: Vec<Value> = list(&["reliability", "postmortems"])
        .iter()
        .filter_map(Json::as_str)
        .map(|id| {
            let (title, url) = postmortem(id);
            entry(title, url, String::new())
        })
        .collect();
    let risks = |path: &[&str]| -> Vec<Value> {
        list(path)
            .iter()
            .map(|r| {
                entry(
                    text(&r["subject"]),
                    None,
                    text(&r["kind"]).replace('-', " "),
                )
            })
            .collect()
    };
    let h = &c["headline"];
    let pair = |key: &str, label: &str, percent: bool| {
        let show = |j: &Json| {
            if percent {
                pct(j)
            } else {
                text(j).trim_end_matches('d').to_string()
            }
        };
        val!({"label": label, "then": show(&h[key]["then"]), "now": show(&h[key]["now"])})
    };
    let since = c["since"].as_str().unwrap_or("");
    let plain = |j: &Json| text(j);
    let days = |j: &Json| text(j);
    val!({
        "lead": format!(
            "The report now against the report at {}: each side's numbers computed at its own date.",
            c["commit"].as_str().map_or("the start of its history".to_string(), |x| format!("commit {x}"))
        ),
        "since": since,
        "commit": c["commit"].as_str(),
        "summary": summary(c),
        "sections": [
            section("roadmap", "Roadmap", vec![
                group("Added", ids(&["roadmap", "added"], "new")),
                group("Shipped", ids(&["roadmap", "shipped"], "shipped")),
                group("Removed", ids(&["roadmap", "removed"], "removed")),
                group("Status changes", moves(&["roadmap", "status"], &item, &plain)),
                group("Target moves", moves(&["roadmap", "target"], &item, &plain)),
                group("Estimate changes", moves(&["roadmap", "estimate"], &item, &days)),
            ]),
            section("outcomes", "Outcomes", vec![
                group("New measurements", measurements),
                group("Status changes", moves(&["outcomes", "status"], &outcome, &plain)),
                group("Progress", moves(&["outcomes", "progress"], &outcome, &pct)),
            ]),
            section("reliability", "Reliability", vec![
                group("New post-mortems", postmortems),
                group("Action items done", actions(&["reliability", "action_items_done"])),
                group("Action items opened", actions(&["reliability", "action_items_opened"])),
                group("Action items newly overdue", actions(&["reliability", "action_items_overdue"])),
            ]),
            section("risks", "Risks", vec![
                group("New", risks(&["risks", "new"])),
                group("Resolved", risks(&["risks", "resolved"])),
            ]),
        ],
        "headline": [
            pair("say_do", "Say/do, current quarter", true),
            pair("attainment", "Outcome attainment", true),
            pair("overdue_action_items", "Overdue action items", false),
            pair("open_risks", "Open risks", false),
        ],
        "definitions": [],
    })
}

/// `/archive/`: one entry per snapshot, newest first.
pub fn archive(v: &View, snapshots: &[(String, String, String)]) -> Value {
    let list: Vec<Value> = snapshots
        .iter()
        .rev()
        .map(|(quarter, as_of, commit)| {
            val!({"quarter": quarter, "url": v.url(&format!("archive/{quarter}/")), "as_of": as_of, "commit": commit})
        })
        .collect();
    val!({
        "lead": "The report as it stood at the end of each past quarter: the content of the last commit of the quarter, with every figure computed at the quarter's last day.",
        "snapshots": list,
        "definitions": [],
    })
}
