//! Metrics on small hand-written sites. Every expected number is worked out by hand in the
//! comment next to it, from the YAML in the test.

use std::path::Path;

use jiff::civil::Date;
use throughline::config::{self, SiteConfig};
use throughline::content::{self, Content, Entry, Kind};
use throughline::metrics::{self, Days, Metrics, OutcomeStatus, RiskKind};
use throughline::model::Model;

// ---------------------------------------------------------------------------------------
// Building sites from YAML

/// A site held in memory: site.yaml and content files, parsed exactly as the loader does.
struct Site {
    config: SiteConfig,
    files: Vec<(Kind, String, String)>,
}

fn site(site_yaml: &str) -> Site {
    let (config, diags) = config::parse(&dedent(site_yaml));
    let errors: Vec<String> = diags.iter().map(|d| d.one_line()).collect();
    assert!(errors.is_empty(), "site.yaml: {errors:?}");
    Site {
        config,
        files: Vec::new(),
    }
}

fn default_site() -> Site {
    site("title: Test")
}

impl Site {
    fn roadmap(mut self, id: &str, yaml: &str) -> Site {
        let text = format!("---\n{}---\n", dedent(yaml));
        self.files
            .push((Kind::Roadmap, format!("content/roadmap/{id}.md"), text));
        self
    }

    fn outcome(mut self, id: &str, yaml: &str) -> Site {
        self.files.push((
            Kind::Outcome,
            format!("content/outcomes/{id}.yaml"),
            dedent(yaml),
        ));
        self
    }

    fn postmortem(mut self, id: &str, yaml: &str) -> Site {
        let text = format!("---\n{}---\n", dedent(yaml));
        self.files.push((
            Kind::Postmortem,
            format!("content/postmortems/{id}.md"),
            text,
        ));
        self
    }

    fn content(&self) -> Content {
        let mut c = Content {
            config: self.config.clone(),
            ..Content::default()
        };
        for (kind, rel, text) in &self.files {
            let (entry, diags) = content::parse_file(*kind, rel, text.as_bytes(), &self.config);
            let errors: Vec<String> = diags
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.one_line())
                .collect();
            assert!(errors.is_empty(), "{rel}: {errors:?}");
            match entry {
                Some(Entry::Roadmap(x)) => c.items.push(x),
                Some(Entry::Outcome(x)) => c.outcomes.push(x),
                Some(Entry::Postmortem(x)) => c.postmortems.push(x),
                Some(Entry::Page(x)) => c.pages.push(x),
                None => panic!("{rel} did not parse"),
            }
        }
        assert!(content::load::dedupe_ids(&mut c).is_empty());
        c
    }

    fn model(&self) -> Model {
        Model::build(self.content(), false).expect("the model builds")
    }

    fn metrics(&self, as_of: &str) -> Metrics {
        metrics::compute(&self.model(), d(as_of))
    }
}

/// Remove the indentation common to all non-blank lines, so YAML can sit indented in tests.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line.get(indent..).unwrap_or("").trim_end());
        out.push('\n');
    }
    out.trim_start_matches('\n').to_string()
}

fn d(text: &str) -> Date {
    text.parse().expect("a date")
}

#[track_caller]
fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected {expected}, got {actual}"
    );
}

#[track_caller]
fn close_some(actual: Option<f64>, expected: f64) {
    match actual {
        Some(a) => close(a, expected),
        None => panic!("expected {expected}, got null"),
    }
}

fn risks_of(m: &Metrics, kind: RiskKind) -> Vec<(String, String)> {
    m.risks
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| (r.subject.clone(), r.message.clone()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Delivery

fn delivery_site() -> Site {
    default_site()
        .outcome(
            "signups",
            r#"
            title: Signups
            unit: users
            direction: increase
            baseline: {value: 10, date: 2026-06-01}
            target: {value: 20, date: 2026-12-31}
            measurements:
              - {date: 2026-09-30, value: 15}
              - {date: 2026-08-01, value: 12}
            "#,
        )
        .roadmap(
            "a",
            r#"
            title: A
            type: feature
            status: shipped
            outcomes: [signups]
            start: 2026-07-01
            baseline_target: 2026-08-10
            target: 2026-08-20
            shipped: 2026-08-13
            estimate: 10
            actual: 14
            rice: {reach: 1000, impact: 2, confidence: 0.8, effort: 1.5}
            "#,
        )
        .roadmap(
            "b",
            r#"
            title: B
            type: tech-debt
            status: shipped
            value: faster builds
            start: 2026-07-06
            target: 2026-09-30
            shipped: 2026-09-25
            estimate: "2w"
            "#,
        )
        .roadmap(
            "c",
            r#"
            title: C
            type: feature
            status: in-progress
            outcomes: [signups]
            depends_on: [d]
            target: 2026-11-13
            release: {rollback_plan: turn it off}
            "#,
        )
        .roadmap(
            "d",
            r#"
            title: D
            type: infrastructure
            status: planned
            value: capacity
            target: 2027-01-15
            "#,
        )
        .roadmap(
            "e",
            r#"
            title: E
            type: experiment
            status: cancelled
            hypothesis: we believe
            baseline_target: 2026-08-31
            "#,
        )
        .roadmap(
            "f",
            r#"
            title: F
            type: feature
            status: idea
            target: 2026-05-01
            "#,
        )
}

#[test]
fn delivery_per_item() {
    let m = delivery_site().metrics("2026-11-20");
    let a = &m.delivery.items["a"];
    // shipped 08-13 − baseline 08-10 = 3 days late
    assert_eq!(a.slip_days, Some(3));
    assert_eq!(a.on_time, Some(false));
    // 07-01 → 08-01 is 31 days, → 08-13 is 12 more: 43
    assert_eq!(a.lead_time_days, Some(43));
    // actual 14 ÷ estimate 10
    close_some(a.estimate_ratio, 1.4);
    // 1000 × 2 × 0.8 ÷ 1.5 = 1600 ÷ 1.5
    close_some(a.rice_score, 1066.6666666666667);
    // signups measured 09-30, after shipping 08-13
    assert_eq!(a.outcome_measured, Some(true));
    // latest 15 is better than 12, the last value on or before 08-13
    assert_eq!(a.outcome_moved, Some(true));
    assert_eq!(a.overdue_days, None);
    assert!(!a.blocked);

    let b = &m.delivery.items["b"];
    // baseline_target defaults to target 09-30; shipped 09-25: 5 days early
    assert_eq!(b.slip_days, Some(-5));
    assert_eq!(b.on_time, Some(true));
    // 07-06 → 08-06 31, → 09-06 31, → 09-25 19: 81
    assert_eq!(b.lead_time_days, Some(81));
    // no actual
    assert_eq!(b.estimate_ratio, None);
    assert_eq!(b.rice_score, None);
    // shipped with no outcomes: false, not null
    assert_eq!(b.outcome_measured, Some(false));
    assert_eq!(b.outcome_moved, Some(false));

    let c = &m.delivery.items["c"];
    // in progress, depends on d which is only planned
    assert!(c.blocked);
    // as_of 11-20 − baseline 11-13
    assert_eq!(c.overdue_days, Some(7));
    // not shipped: null
    assert_eq!(c.outcome_measured, None);
    assert_eq!(c.outcome_moved, None);
    assert_eq!(
        (c.slip_days, c.on_time, c.lead_time_days),
        (None, None, None)
    );

    // planned, target after as_of
    assert_eq!(m.delivery.items["d"].overdue_days, None);
    // cancelled items are never overdue
    assert_eq!(m.delivery.items["e"].overdue_days, None);
    // an idea with a past target is taken as written: 05-01 → 11-01 is
    // 31+30+31+31+30+31 = 184 days, → 11-20 19 more: 203
    assert_eq!(m.delivery.items["f"].overdue_days, Some(203));

    assert_eq!(m.delivery.items.len(), 6);
    // c is the only item in progress, and it is blocked
    assert_eq!((m.delivery.wip, m.delivery.blocked), (1, 1));
    // shipped features/experiments: only a, and it is measured: 1 ÷ 1
    assert_eq!(m.delivery.outcome_coverage, Some(1.0));
}

#[test]
fn delivery_per_quarter() {
    let m = delivery_site().metrics("2026-11-20");
    let labels: Vec<String> = m
        .delivery
        .quarters
        .iter()
        .map(|q| q.quarter.to_string())
        .collect();
    // earliest non-idea baseline_target or shipped date is a's 08-10 (f's 05-01 is an
    // idea and does not count); d's 2027-01-15 is after the as_of quarter
    assert_eq!(labels, ["2026-Q3", "2026-Q4"]);

    let q3 = &m.delivery.quarters[0];
    // baseline_target in Q3: a 08-10, b 09-30, e 08-31 (cancelled counts)
    assert_eq!(q3.committed, 3);
    // only b shipped on or before its baseline target
    assert_eq!(q3.delivered_on_time, 1);
    close_some(q3.say_do, 1.0 / 3.0);
    // shipped in Q3: a (feature), b (tech-debt)
    assert_eq!(
        (q3.shipped.total, q3.shipped.feature, q3.shipped.tech_debt),
        (2, 1, 1)
    );
    assert_eq!((q3.shipped.infrastructure, q3.shipped.experiment), (0, 0));
    // effort: a actual 14, b estimate 2w = 10; total 24
    close_some(q3.effort_share.feature, 14.0 / 24.0);
    close_some(q3.effort_share.tech_debt, 10.0 / 24.0);
    assert_eq!(q3.effort_share.infrastructure, Some(0.0));
    assert_eq!(q3.effort_share.experiment, Some(0.0));
    // slips 3 and −5: (3 − 5) ÷ 2 = −1
    assert_eq!(q3.median_slip_days, Some(Days(-1.0)));
    // only a has both estimate and actual
    close_some(q3.median_estimate_ratio, 1.4);
    // lead times 43 and 81: 62
    assert_eq!(q3.median_lead_time_days, Some(Days(62.0)));

    let q4 = &m.delivery.quarters[1];
    // c's baseline 11-13; nothing delivered
    assert_eq!((q4.committed, q4.delivered_on_time), (1, 0));
    assert_eq!(q4.say_do, Some(0.0));
    assert_eq!(q4.shipped.total, 0);
    assert_eq!(q4.effort_share.feature, None);
    assert_eq!(q4.effort_share.tech_debt, None);
    assert_eq!(q4.median_slip_days, None);
    assert_eq!(q4.median_estimate_ratio, None);
    assert_eq!(q4.median_lead_time_days, None);
}

#[test]
fn empty_quarters_are_present_with_zero_counts_and_null_ratios() {
    let s = default_site().roadmap(
        "x",
        r#"
        title: X
        type: infrastructure
        status: shipped
        value: v
        baseline_target: 2026-01-10
        shipped: 2026-01-15
        estimate: 3
        "#,
    );
    let m = s.metrics("2026-08-01");
    let labels: Vec<String> = m
        .delivery
        .quarters
        .iter()
        .map(|q| q.quarter.to_string())
        .collect();
    assert_eq!(labels, ["2026-Q1", "2026-Q2", "2026-Q3"]);
    let q1 = &m.delivery.quarters[0];
    // committed 1, shipped 5 days late
    assert_eq!(
        (q1.committed, q1.delivered_on_time, q1.say_do),
        (1, 0, Some(0.0))
    );
    assert_eq!(q1.effort_share.infrastructure, Some(1.0));
    for q in &m.delivery.quarters[1..] {
        // zero committed: say_do is null, not 0
        assert_eq!((q.committed, q.say_do), (0, None));
        assert_eq!(q.shipped.total, 0);
        assert_eq!(q.effort_share.infrastructure, None);
        assert_eq!(q.median_slip_days, None);
    }
    let json = metrics::to_json(&m);
    assert!(json.contains("\"quarter\": \"2026-Q2\""), "{json}");
    assert!(json.contains("\"say_do\": null"), "{json}");
}

#[test]
fn no_dated_content_gives_just_the_as_of_periods() {
    let m = default_site()
        .roadmap("idea", "title: I\ntype: feature\nstatus: idea\n")
        .metrics("2026-05-05");
    assert_eq!(m.delivery.quarters.len(), 1);
    assert_eq!(m.delivery.quarters[0].quarter.to_string(), "2026-Q2");
    assert_eq!(m.reliability.months.len(), 1);
    assert_eq!(m.reliability.months[0].month.to_string(), "2026-05");
    assert_eq!(m.reliability.quarters[0].total, 0);
    // no shipped features: coverage is null
    assert_eq!(m.delivery.outcome_coverage, None);
}

#[test]
fn outcome_moved_compares_with_the_baseline_when_nothing_was_measured_before_shipping() {
    let s = default_site()
        .outcome(
            "latency",
            r#"
            title: Latency
            unit: ms
            direction: decrease
            baseline: {value: 300, date: 2026-01-01}
            target: {value: 200, date: 2026-12-31}
            measurements:
              - {date: 2026-03-01, value: 310}
            "#,
        )
        .outcome(
            "errors",
            r#"
            title: Errors
            unit: "%"
            direction: decrease
            baseline: {value: 5, date: 2026-01-01}
            target: {value: 1, date: 2026-12-31}
            measurements:
              - {date: 2026-02-01, value: 4}
              - {date: 2026-04-01, value: 4}
              - {date: 2026-12-01, value: 2}
            "#,
        )
        .roadmap(
            "faster",
            r#"
            title: Faster
            type: feature
            status: shipped
            outcomes: [latency]
            shipped: 2026-02-01
            "#,
        )
        .roadmap(
            "fewer-errors",
            r#"
            title: Fewer errors
            type: feature
            status: shipped
            outcomes: [errors]
            shipped: 2026-03-01
            "#,
        );
    let m = s.metrics("2026-11-20");
    let faster = &m.delivery.items["faster"];
    // 310 measured after shipping, but worse than the baseline 300 (decrease)
    assert_eq!(faster.outcome_measured, Some(true));
    assert_eq!(faster.outcome_moved, Some(false));
    let fewer = &m.delivery.items["fewer-errors"];
    // measured 04-01 (4) after shipping 03-01; the 12-01 reading is after as_of and ignored
    assert_eq!(fewer.outcome_measured, Some(true));
    // latest counted value 4 equals the last value before shipping (02-01: 4): not strictly better
    assert_eq!(fewer.outcome_moved, Some(false));
    // 2 shipped features, both measured
    assert_eq!(m.delivery.outcome_coverage, Some(1.0));
}

#[test]
fn fiscal_quarters_starting_in_july() {
    let s = site("title: T\nquarter_start_month: 7\n")
        .roadmap(
            "x",
            r#"
            title: X
            type: feature
            status: shipped
            outcomes: []
            baseline_target: 2026-08-31
            shipped: 2026-08-10
            "#,
        )
        .postmortem(
            "p",
            r#"
            title: P
            severity: SEV3
            services: [api]
            started: 2026-06-30T10:00Z
            detected: 2026-06-30T10:05Z
            resolved: 2026-06-30T11:00Z
            "#,
        );
    let m = s.metrics("2026-11-20");
    let labels: Vec<String> = m
        .delivery
        .quarters
        .iter()
        .map(|q| q.quarter.to_string())
        .collect();
    // July–September 2026 is FY2027-Q1, October–December FY2027-Q2
    assert_eq!(labels, ["FY2027-Q1", "FY2027-Q2"]);
    assert_eq!(m.delivery.quarters[0].committed, 1);
    assert_eq!(m.delivery.quarters[0].delivered_on_time, 1);
    let labels: Vec<String> = m
        .reliability
        .quarters
        .iter()
        .map(|q| q.quarter.to_string())
        .collect();
    // the incident on 30 June 2026 is in the last quarter of the year ending June 2026
    assert_eq!(labels, ["FY2026-Q4", "FY2027-Q1", "FY2027-Q2"]);
    assert_eq!(m.reliability.quarters[0].total, 1);
    let json = metrics::to_json(&m);
    assert!(json.contains("\"quarter\": \"FY2027-Q1\""), "{json}");
}

// ---------------------------------------------------------------------------------------
// Outcomes

/// 2026-01-01 → 2026-11-20 is 31+28+31+30+31+30+31+31+30+31 = 304 days + 19 = 323;
/// 2026-01-01 → 2027-01-01 is 365. So a year-long outcome expects 323 ÷ 365 at 2026-11-20.
const YEAR_EXPECTED: f64 = 323.0 / 365.0;

fn outcomes_site() -> Site {
    default_site()
        .outcome(
            "no-data",
            r#"
            title: Never measured
            unit: "%"
            direction: increase
            baseline: {value: 1, date: 2026-01-01}
            target: {value: 2, date: 2027-01-01}
            "#,
        )
        .outcome(
            "on-target",
            r#"
            title: Exactly on the target
            unit: "%"
            direction: increase
            baseline: {value: 10, date: 2026-01-01}
            target: {value: 20, date: 2026-12-31}
            measurements:
              - {date: 2026-10-01, value: 20}
            "#,
        )
        .outcome(
            "down-at-risk",
            r#"
            title: Decreasing, behind
            unit: days
            direction: decrease
            baseline: {value: 40, date: 2026-01-01}
            target: {value: 30, date: 2027-01-01}
            measurements:
              - {date: 2026-11-01, value: 34}
            "#,
        )
        .outcome(
            "down-achieved",
            r#"
            title: Decreasing, below the target
            unit: days
            direction: decrease
            baseline: {value: 40, date: 2026-01-01}
            target: {value: 30, date: 2027-01-01}
            measurements:
              - {date: 2026-11-01, value: 29}
            "#,
        )
        .outcome(
            "late",
            r#"
            title: Achieved late
            unit: "%"
            direction: increase
            baseline: {value: 0, date: 2026-01-01}
            target: {value: 10, date: 2026-06-30}
            measurements:
              - {date: 2026-05-31, value: 8}
              - {date: 2026-07-31, value: 10.5}
            "#,
        )
        .outcome(
            "fell-back",
            r#"
            title: Met the target once, then fell back
            unit: "%"
            direction: increase
            baseline: {value: 0, date: 2026-01-01}
            target: {value: 10, date: 2026-06-30}
            measurements:
              - {date: 2026-05-31, value: 11}
              - {date: 2026-08-31, value: 9}
            "#,
        )
        .outcome(
            "future-reading",
            r#"
            title: A reading after as_of
            unit: "%"
            direction: increase
            baseline: {value: 0, date: 2026-01-01}
            target: {value: 10, date: 2027-01-01}
            measurements:
              - {date: 2026-10-31, value: 5}
              - {date: 2026-12-01, value: 12}
            "#,
        )
        .outcome(
            "on-track",
            r#"
            title: On track
            unit: users
            direction: increase
            baseline: {value: 0, date: 2026-01-01}
            target: {value: 100, date: 2027-01-01}
            measurements:
              - {date: 2026-11-01, value: 80}
            "#,
        )
        .roadmap(
            "z-item",
            "title: Z\ntype: feature\nstatus: planned\noutcomes: [on-track]\n",
        )
        .roadmap(
            "a-item",
            "title: A\ntype: feature\nstatus: planned\noutcomes: [on-track, late]\n",
        )
}

#[test]
fn outcome_without_measurements_has_no_data_but_an_expected_value() {
    let m = outcomes_site().metrics("2026-11-20");
    let o = &m.outcomes.items["no-data"];
    assert_eq!(o.status, OutcomeStatus::NoData);
    assert_eq!((o.current, o.progress), (None, None));
    close(o.expected, YEAR_EXPECTED);
    assert_eq!((o.achieved_on, o.late), (None, None));
    assert!(o.linked_items.is_empty());
}

#[test]
fn a_measurement_exactly_on_the_target_is_achieved() {
    let m = outcomes_site().metrics("2026-11-20");
    let o = &m.outcomes.items["on-target"];
    assert_eq!(o.status, OutcomeStatus::Achieved);
    assert_eq!(o.current, Some(20.0));
    // (20 − 10) ÷ (20 − 10)
    assert_eq!(o.progress, Some(1.0));
    assert_eq!(o.achieved_on, Some(d("2026-10-01")));
    assert_eq!(o.late, Some(false));
}

#[test]
fn decreasing_outcomes() {
    let m = outcomes_site().metrics("2026-11-20");
    let o = &m.outcomes.items["down-at-risk"];
    // (34 − 40) ÷ (30 − 40) = 0.6; expected 323/365 ≈ 0.885: 0.6 < 0.785 but ≥ 0.585
    close_some(o.progress, 0.6);
    close(o.expected, YEAR_EXPECTED);
    assert_eq!(o.status, OutcomeStatus::AtRisk);
    assert_eq!(o.achieved_on, None);
    let o = &m.outcomes.items["down-achieved"];
    // 29 ≤ 30 meets a decreasing target; progress (29 − 40) ÷ (30 − 40) = 1.1, not clamped
    assert_eq!(o.status, OutcomeStatus::Achieved);
    close_some(o.progress, 1.1);
    assert_eq!(o.achieved_on, Some(d("2026-11-01")));
}

#[test]
fn achieved_late_and_missed_after_once_achieved() {
    let m = outcomes_site().metrics("2026-11-20");
    let o = &m.outcomes.items["late"];
    // 10.5 ≥ 10 on 07-31, a month after the target date 06-30
    assert_eq!(o.status, OutcomeStatus::Achieved);
    assert_eq!(o.achieved_on, Some(d("2026-07-31")));
    assert_eq!(o.late, Some(true));
    // past the target date: expected clamps to 1
    assert_eq!(o.expected, 1.0);

    let o = &m.outcomes.items["fell-back"];
    // 11 met the target on 05-31; the latest, 9, does not, and 06-30 has passed
    assert_eq!(o.status, OutcomeStatus::Missed);
    assert_eq!(o.achieved_on, Some(d("2026-05-31")));
    assert_eq!(o.late, Some(false));
    close_some(o.progress, 0.9);
}

#[test]
fn measurements_after_as_of_are_ignored() {
    let m = outcomes_site().metrics("2026-11-20");
    let o = &m.outcomes.items["future-reading"];
    // 12 on 12-01 is after as_of: current is 5 from 10-31
    assert_eq!(o.current, Some(5.0));
    close_some(o.progress, 0.5);
    assert_eq!(o.achieved_on, None);
    // 0.5 < 0.885 − 0.30
    assert_eq!(o.status, OutcomeStatus::OffTrack);
    // the same outcome a month later counts the reading: 12 ≥ 10
    let later = outcomes_site().metrics("2026-12-02");
    assert_eq!(
        later.outcomes.items["future-reading"].status,
        OutcomeStatus::Achieved
    );
}

#[test]
fn outcome_summary_and_linked_items() {
    let m = outcomes_site().metrics("2026-11-20");
    let o = &m.outcomes.items["on-track"];
    // 80 ÷ 100 = 0.8 ≥ 0.885 − 0.10
    assert_eq!(o.status, OutcomeStatus::OnTrack);
    assert_eq!(o.linked_items, ["a-item", "z-item"]);
    assert_eq!(m.outcomes.items["late"].linked_items, ["a-item"]);

    let s = &m.outcomes.summary;
    // achieved: on-target, down-achieved, late; missed: fell-back; at-risk: down-at-risk;
    // off-track: future-reading; on-track: on-track; no-data: no-data
    assert_eq!((s.achieved, s.missed, s.at_risk), (3, 1, 1));
    assert_eq!((s.off_track, s.on_track, s.no_data), (1, 1, 1));
    // due by as_of: late (achieved) and fell-back (missed); on-target is due 12-31
    assert_eq!(s.attainment, Some(0.5));
    assert_eq!(s.count(OutcomeStatus::Achieved), 3);
}

#[test]
fn status_boundaries_are_inclusive() {
    // 10 days from baseline to target; at 01-06, 5 days in: expected 5 ÷ 10 = 0.5
    let outcome = |id: &str, value: &str| {
        format!(
            "title: {id}\nunit: \"%\"\ndirection: increase\n\
             baseline: {{value: 0, date: 2026-01-01}}\n\
             target: {{value: 100, date: 2026-01-11}}\n\
             measurements:\n  - {{date: 2026-01-05, value: {value}}}\n"
        )
    };
    let s = default_site()
        .outcome("on-edge", &outcome("on-edge", "40"))
        .outcome("risk-edge", &outcome("risk-edge", "20"))
        .outcome("below", &outcome("below", "19.9"));
    let m = s.metrics("2026-01-06");
    close(m.outcomes.items["on-edge"].expected, 0.5);
    // progress 0.4 = 0.5 − 0.10: on-track
    assert_eq!(m.outcomes.items["on-edge"].status, OutcomeStatus::OnTrack);
    // progress 0.2 = 0.5 − 0.30: at-risk
    assert_eq!(m.outcomes.items["risk-edge"].status, OutcomeStatus::AtRisk);
    // 0.199 < 0.2
    assert_eq!(m.outcomes.items["below"].status, OutcomeStatus::OffTrack);
    // before the baseline date, expected clamps to 0
    let early = s.metrics("2025-12-01");
    assert_eq!(early.outcomes.items["on-edge"].expected, 0.0);
    assert_eq!(
        early.outcomes.items["on-edge"].status,
        OutcomeStatus::NoData
    );
}

// ---------------------------------------------------------------------------------------
// Reliability

fn reliability_site() -> Site {
    default_site()
        .postmortem(
            "2026-08-14-api",
            r#"
            title: API errors
            severity: SEV2
            services: [api, db]
            started: 2026-08-14T09:00Z
            detected: 2026-08-14T09:08Z
            mitigated: 2026-08-14T09:53Z
            resolved: 2026-08-14T11:18Z
            action_items:
              - {title: Fix, owner: Ann, due: 2026-08-20, status: done, done_on: 2026-08-19}
            "#,
        )
        .postmortem(
            "2026-08-23-api",
            r#"
            title: API down
            severity: SEV1
            services: [api]
            started: 2026-08-23T10:00Z
            detected: 2026-08-23T10:30Z
            resolved: 2026-08-23T12:00Z
            action_items:
              - {title: Fix, owner: Ann, due: 2026-08-30, status: done, done_on: 2026-08-24}
            "#,
        )
        .postmortem(
            "2026-10-01-web",
            r#"
            title: Web slow
            severity: SEV3
            services: [web, api]
            started: 2026-10-01T00:00Z
            detected: 2026-10-01T00:10Z
            mitigated: 2026-10-01T01:00Z
            resolved: 2026-10-02T00:00Z
            "#,
        )
        .postmortem(
            "2026-11-25-api",
            r#"
            title: After as_of
            severity: SEV2
            services: [api, billing]
            started: 2026-11-25T08:00Z
            detected: 2026-11-25T08:01Z
            resolved: 2026-11-25T08:31Z
            action_items:
              - {title: Fix, owner: Ann, due: 2026-11-30, status: open}
            "#,
        )
        .postmortem(
            "2025-11-21-db",
            r#"
            title: DB blip
            severity: SEV4
            services: [db]
            started: 2025-11-21T00:00Z
            detected: 2025-11-21T00:05Z
            resolved: 2025-11-21T00:05Z
            "#,
        )
        .postmortem(
            "2025-11-20-db",
            r#"
            title: DB and queue
            severity: SEV4
            services: [db, queue]
            started: 2025-11-20T12:00Z
            detected: 2025-11-20T12:20Z
            resolved: 2025-11-20T13:00Z
            "#,
        )
}

#[test]
fn incident_durations_in_minutes() {
    let m = reliability_site().metrics("2026-11-20");
    let i = &m.reliability.incidents;
    assert_eq!(i.len(), 6);
    let api = i["2026-08-14-api"];
    // 09:00 → 09:08, → 09:53, → 11:18
    assert_eq!((api.ttd, api.ttm, api.ttr), (8.0, 53.0, 138.0));
    let down = i["2026-08-23-api"];
    // no mitigated: it is resolved, 2 hours after the start
    assert_eq!((down.ttd, down.ttm, down.ttr), (30.0, 120.0, 120.0));
    // after as_of, still measured: 08:00 → 08:01, → 08:31 (no mitigated), → 08:31
    let later = i["2026-11-25-api"];
    assert_eq!((later.ttd, later.ttm, later.ttr), (1.0, 31.0, 31.0));
    let json = metrics::to_json(&m);
    assert!(json.contains("\"ttd\": 8.0"), "{json}");
}

#[test]
fn incidents_per_month_and_quarter() {
    let m = reliability_site().metrics("2026-11-20");
    let months: Vec<String> = m
        .reliability
        .months
        .iter()
        .map(|x| x.month.to_string())
        .collect();
    // earliest incident 2025-11-20 through as_of's month: 13 months
    assert_eq!(months.len(), 13);
    assert_eq!(months.first().map(String::as_str), Some("2025-11"));
    assert_eq!(months.last().map(String::as_str), Some("2026-11"));

    let nov25 = &m.reliability.months[0];
    // two SEV4: ttr 5 and 60, ttd 5 and 20, ttm 5 and 60
    assert_eq!(nov25.total, 2);
    assert_eq!(nov25.by_severity["SEV4"], 2);
    assert_eq!(nov25.mean_ttr, Some(32.5));
    assert_eq!(nov25.median_ttr, Some(32.5));
    assert_eq!(nov25.mean_ttd, Some(12.5));
    assert_eq!(nov25.mean_ttm, Some(32.5));

    let dec25 = &m.reliability.months[1];
    // empty months are present: every severity 0, every ratio null
    assert_eq!(dec25.total, 0);
    assert_eq!(dec25.by_severity.len(), 4);
    assert!(dec25.by_severity.values().all(|&n| n == 0));
    assert_eq!(
        (
            dec25.mean_ttr,
            dec25.median_ttr,
            dec25.mean_ttd,
            dec25.mean_ttm
        ),
        (None, None, None, None)
    );

    let aug = &m.reliability.months[9];
    assert_eq!(aug.month.to_string(), "2026-08");
    // SEV2 (138 ttr, 8 ttd, 53 ttm) and SEV1 (120, 30, 120)
    assert_eq!(aug.total, 2);
    assert_eq!((aug.by_severity["SEV1"], aug.by_severity["SEV2"]), (1, 1));
    assert_eq!((aug.by_severity["SEV3"], aug.by_severity["SEV4"]), (0, 0));
    // (138 + 120) ÷ 2 = 129; (8 + 30) ÷ 2 = 19; (53 + 120) ÷ 2 = 86.5
    assert_eq!(aug.mean_ttr, Some(129.0));
    assert_eq!(aug.median_ttr, Some(129.0));
    assert_eq!(aug.mean_ttd, Some(19.0));
    assert_eq!(aug.mean_ttm, Some(86.5));

    let oct = &m.reliability.months[11];
    // one SEV3 resolved a day later: 1440 minutes
    assert_eq!((oct.total, oct.mean_ttr), (1, Some(1440.0)));

    let nov26 = &m.reliability.months[12];
    // the 11-25 incident is after as_of: in no period
    assert_eq!(nov26.total, 0);

    let quarters: Vec<(String, u32)> = m
        .reliability
        .quarters
        .iter()
        .map(|q| (q.quarter.to_string(), q.total))
        .collect();
    assert_eq!(
        quarters,
        [
            ("2025-Q4".to_string(), 2),
            ("2026-Q1".to_string(), 0),
            ("2026-Q2".to_string(), 0),
            ("2026-Q3".to_string(), 2),
            // 10-01 only; 11-25 is after as_of
            ("2026-Q4".to_string(), 1),
        ]
    );
    assert_eq!(m.reliability.quarters[3].mean_ttm, Some(86.5));
    assert_eq!(m.reliability.quarters[1].mean_ttr, None);
}

#[test]
fn services_over_the_year_and_the_last_90_days() {
    let m = reliability_site().metrics("2026-11-20");
    let s = &m.reliability.services;
    let names: Vec<&str> = s.keys().map(String::as_str).collect();
    assert_eq!(names, ["api", "billing", "db", "queue", "web"]);

    let api = &s["api"];
    // in the 365 days from 2025-11-21: 08-14, 08-23, 10-01 (11-25 is after as_of)
    assert_eq!(api.incidents, 3);
    assert_eq!(api.last, Some(d("2026-10-01")));
    // impact 53 + 120 + 60 = 233 minutes; (365 − 233/1440) ÷ 3 = 525367 ÷ 4320
    close_some(api.mtbf_days, 525367.0 / 4320.0);
    // 90 days ending 11-20 start on 08-23 (89 days before): 08-23 and 10-01 count
    assert!(api.recurring);

    let db = &s["db"];
    // 08-14 and 2025-11-21 (364 days before as_of); 2025-11-20 is 365 days before: out
    assert_eq!(db.incidents, 2);
    assert_eq!(db.last, Some(d("2026-08-14")));
    // impact 53 + 5 = 58 minutes; (365 − 58/1440) ÷ 2 = 525542 ÷ 2880
    close_some(db.mtbf_days, 525542.0 / 2880.0);
    assert!(!db.recurring);

    let web = &s["web"];
    // one incident with an hour of impact: 365 − 1/24
    assert_eq!(web.incidents, 1);
    close_some(web.mtbf_days, 365.0 - 1.0 / 24.0);
    assert!(!web.recurring);

    let queue = &s["queue"];
    // its only incident is just outside the year: no mtbf, but a last date
    assert_eq!(queue.incidents, 0);
    assert_eq!(queue.mtbf_days, None);
    assert_eq!(queue.last, Some(d("2025-11-20")));

    let billing = &s["billing"];
    // named only by an incident after as_of
    assert_eq!(
        (
            billing.incidents,
            billing.last,
            billing.mtbf_days,
            billing.recurring
        ),
        (0, None, None, false)
    );

    assert_eq!(
        risks_of(&m, RiskKind::RecurringService),
        [(
            "services/api".to_string(),
            "2 incidents in the 90 days to 2026-11-20".to_string()
        )]
    );
}

#[test]
fn action_items() {
    // Incident on 2026-09-01: deadlines p0 09-15, p1 09-29, p2 10-27, p3 11-30.
    // A second incident on 2026-10-01: p2 deadline 11-26.
    let s = default_site()
        .postmortem(
            "first",
            r#"
            title: First
            severity: SEV3
            services: [api]
            started: 2026-09-01T10:00Z
            detected: 2026-09-01T10:05Z
            resolved: 2026-09-01T11:00Z
            action_items:
              - {title: A1 done within, owner: o, due: 2026-09-25, status: done, priority: p1, done_on: 2026-09-20}
              - {title: A2 done late, owner: o, due: 2026-09-10, status: done, priority: p0, done_on: 2026-09-17}
              - {title: A3 done undated, owner: o, due: 2026-09-10, status: done}
              - {title: A4 open overdue, owner: o, due: 2026-10-01, status: open}
              - {title: A5 in progress, owner: o, due: 2026-11-30, status: in-progress, priority: p3}
              - {title: A6 wont do, owner: o, due: 2026-09-10, status: wont-do, priority: p1}
              - {title: A7 open breached, owner: o, due: 2026-11-25, status: open, priority: p1}
              - {title: A8 done on deadline, owner: o, due: 2026-10-27, status: done, done_on: 2026-10-27}
              - {title: A9 open overdue p0, owner: o, due: 2026-11-19, status: open, priority: p0}
              - {title: A10 due today, owner: o, due: 2026-11-20, status: open}
            "#,
        )
        .postmortem(
            "second",
            r#"
            title: Second
            severity: SEV3
            services: [web]
            started: 2026-10-01T10:00Z
            detected: 2026-10-01T10:05Z
            resolved: 2026-10-01T11:00Z
            action_items:
              - {title: B1 done, owner: o, due: 2026-10-10, status: done, done_on: 2026-10-06}
            "#,
        );
    let m = s.metrics("2026-11-20");
    let a = &m.reliability.action_items;
    assert_eq!(a.total, 11);
    // open or in progress: A4, A5, A7, A9, A10
    assert_eq!(a.open, 5);
    // done: A1, A2, A3, A8, B1
    assert_eq!(a.done, 5);
    assert_eq!(a.wont_do, 1);
    // due before 11-20 and open: A4 (10-01), A9 (11-19); A10 is due today, A7 later
    assert_eq!(a.overdue, 2);
    // 5 ÷ (11 − 1): the wont-do item is not in the denominator
    assert_eq!(a.completion_rate, Some(0.5));
    // within: A1 (09-20 ≤ 09-29), A8 (10-27 ≤ 10-27), B1 (10-06 ≤ 11-26); A3 has no done_on
    assert_eq!(a.within_slo, 3);
    // breached: A2 (09-17 > 09-15), A4 (open past 10-27), A7 (open past 09-29),
    // A9 (open past 09-15), A10 (open past 10-27); A5's deadline 11-30 is ahead
    assert_eq!(a.breached, 5);
    // 3 ÷ (3 + 5)
    assert_eq!(a.slo_compliance, Some(0.375));
    // days to close: A1 19, A2 16, A8 56, B1 5 → 5, 16, 19, 56 → (16 + 19) ÷ 2
    assert_eq!(a.median_days_to_close, Some(Days(17.5)));
    assert!(metrics::to_json(&m).contains("\"median_days_to_close\": 17.5"));

    let overdue: Vec<String> = risks_of(&m, RiskKind::ActionItemOverdue)
        .into_iter()
        .map(|(subject, message)| format!("{subject}: {message}"))
        .collect();
    assert_eq!(
        overdue,
        [
            "postmortems/first: A4 open overdue",
            "postmortems/first: A9 open overdue p0"
        ]
    );
    let breached: Vec<String> = risks_of(&m, RiskKind::ActionItemSloBreached)
        .into_iter()
        .map(|(_, message)| message)
        .collect();
    // sorted by message within the subject
    assert_eq!(
        breached,
        [
            "A10 due today",
            "A2 done late",
            "A4 open overdue",
            "A7 open breached",
            "A9 open overdue p0"
        ]
    );
}

#[test]
fn months_are_taken_from_the_incident_date_not_the_utc_start() {
    // 02:30Z on 1 August is 22:30 on 31 July in New York; 02:30Z on 1 July is 30 June there.
    let s = site("title: T\ntimezone: America/New_York\n")
        .postmortem(
            "late-night",
            r#"
            title: Late night
            severity: SEV3
            services: [api]
            started: 2026-08-01T02:30:00Z
            detected: 2026-08-01T02:40:00Z
            resolved: 2026-08-01T03:30:00Z
            "#,
        )
        .postmortem(
            "quarter-edge",
            r#"
            title: Quarter edge
            severity: SEV3
            services: [api]
            started: 2026-07-01T02:30:00Z
            detected: 2026-07-01T02:40:00Z
            resolved: 2026-07-01T03:30:00Z
            "#,
        );
    let model = s.model();
    assert_eq!(model.postmortems[0].date, d("2026-07-31"));
    let m = metrics::compute(&model, d("2026-08-15"));
    let months: Vec<(String, u32)> = m
        .reliability
        .months
        .iter()
        .map(|x| (x.month.to_string(), x.total))
        .collect();
    assert_eq!(
        months,
        [
            ("2026-06".to_string(), 1),
            ("2026-07".to_string(), 1),
            ("2026-08".to_string(), 0)
        ]
    );
    let quarters: Vec<(String, u32)> = m
        .reliability
        .quarters
        .iter()
        .map(|x| (x.quarter.to_string(), x.total))
        .collect();
    assert_eq!(
        quarters,
        [("2026-Q2".to_string(), 1), ("2026-Q3".to_string(), 1)]
    );
}

#[test]
fn bucketing_reads_the_incident_date_field() {
    // The loader sets `date`; the metrics must use it, not the UTC date of `started`.
    let mut model = reliability_site().model();
    let i = model
        .postmortem_index("2026-10-01-web")
        .expect("the incident");
    model.postmortems[i].date = d("2026-09-30");
    let m = metrics::compute(&model, d("2026-11-20"));
    let sep = &m.reliability.months[10];
    assert_eq!(
        (sep.month.to_string(), sep.total),
        ("2026-09".to_string(), 1)
    );
    assert_eq!(m.reliability.months[11].total, 0);
    assert_eq!(m.reliability.services["web"].last, Some(d("2026-09-30")));
}

#[test]
fn drafts_count_only_when_included() {
    let s = default_site()
        .postmortem(
            "published",
            r#"
            title: Published
            severity: SEV3
            services: [api]
            started: 2026-10-01T10:00Z
            detected: 2026-10-01T10:05Z
            resolved: 2026-10-01T11:00Z
            action_items:
              - {title: Done, owner: o, due: 2026-10-10, status: done, done_on: 2026-10-02}
            "#,
        )
        .postmortem(
            "draft",
            r#"
            title: Draft
            status: draft
            severity: SEV1
            services: [api, web]
            started: 2026-11-01T10:00Z
            detected: 2026-11-01T10:05Z
            resolved: 2026-11-01T11:00Z
            "#,
        )
        .roadmap(
            "fix",
            "title: Fix\ntype: feature\nstatus: planned\noutcomes: []\npostmortems: [draft]\n",
        );
    let content = s.content();
    let as_of = d("2026-11-20");

    let without = metrics::compute(
        &Model::build(content.clone(), false).expect("builds"),
        as_of,
    );
    assert_eq!(without.reliability.incidents.len(), 1);
    assert!(!without.reliability.services.contains_key("web"));
    // October only: the draft's November is empty
    let totals: Vec<u32> = without.reliability.months.iter().map(|x| x.total).collect();
    assert_eq!(totals, [1, 0]);
    assert!(!without.reliability.services["api"].recurring);
    assert!(risks_of(&without, RiskKind::NoActionItems).is_empty());

    let with = metrics::compute(&Model::build(content, true).expect("builds"), as_of);
    assert_eq!(with.reliability.incidents.len(), 2);
    let totals: Vec<u32> = with.reliability.months.iter().map(|x| x.total).collect();
    assert_eq!(totals, [1, 1]);
    assert_eq!(with.reliability.months[1].by_severity["SEV1"], 1);
    // api: 10-01 and 11-01 in the last 90 days
    assert!(with.reliability.services["api"].recurring);
    assert_eq!(with.reliability.services["web"].incidents, 1);
    // a SEV1 draft without action items is a risk once drafts are in
    assert_eq!(
        risks_of(&with, RiskKind::NoActionItems),
        [(
            "postmortems/draft".to_string(),
            "no action items".to_string()
        )]
    );
}

// ---------------------------------------------------------------------------------------
// Risks

#[test]
fn the_risk_list_is_complete_and_sorted() {
    let s = default_site()
        .outcome(
            "conv",
            r#"
            title: Conversion
            unit: "%"
            direction: increase
            baseline: {value: 10, date: 2026-01-01}
            target: {value: 20, date: 2027-01-01}
            measurements:
              - {date: 2026-11-01, value: 16}
            "#,
        )
        .roadmap(
            "checkout",
            r#"
            title: Checkout
            type: feature
            status: in-progress
            depends_on: [search, payments]
            target: 2026-11-17
            "#,
        )
        .roadmap(
            "payments",
            "title: P\ntype: feature\nstatus: cancelled\noutcomes: [conv]\n",
        )
        .roadmap(
            "search",
            "title: S\ntype: infrastructure\nstatus: planned\nvalue: v\ntarget: 2027-02-01\n",
        )
        .postmortem(
            "2026-11-01-outage",
            r#"
            title: Outage
            severity: SEV1
            services: [api]
            started: 2026-11-01T10:00Z
            detected: 2026-11-01T10:05Z
            resolved: 2026-11-01T11:00Z
            "#,
        )
        .postmortem(
            "2026-10-10-slow",
            r#"
            title: Slow
            severity: SEV3
            services: [api]
            started: 2026-10-10T10:00Z
            detected: 2026-10-10T10:05Z
            resolved: 2026-10-10T11:00Z
            action_items:
              - {title: Add a retry budget, owner: o, due: 2026-11-12, status: open, priority: p0}
            "#,
        );
    let m = s.metrics("2026-11-20");
    let risks: Vec<(&str, &str, &str)> = m
        .risks
        .iter()
        .map(|r| (r.kind.as_str(), r.subject.as_str(), r.message.as_str()))
        .collect();
    // conv: progress (16 − 10) ÷ 10 = 0.6, expected 323/365 ≈ 0.885 → at-risk.
    // The action item is due 11-12 (overdue) and its p0 deadline 10-10 + 14 = 10-24 passed.
    // api had incidents on 10-10 (41 days back) and 11-01 (19 days back): recurring.
    // capacity: nothing shipped in 2026-Q3, so the tech-debt share is null: no risk.
    assert_eq!(
        risks,
        [
            (
                "action-item-overdue",
                "postmortems/2026-10-10-slow",
                "Add a retry budget"
            ),
            (
                "action-item-slo-breached",
                "postmortems/2026-10-10-slow",
                "Add a retry budget"
            ),
            (
                "blocked",
                "roadmap/checkout",
                "waiting on payments (cancelled), search (planned)"
            ),
            (
                "no-action-items",
                "postmortems/2026-11-01-outage",
                "no action items"
            ),
            ("no-rollback-plan", "roadmap/checkout", "no rollback plan"),
            ("not-ready", "roadmap/checkout", "no success metric"),
            (
                "outcome-at-risk",
                "outcomes/conv",
                "progress 60%, expected 88% by now (target 20% by 2027-01-01)"
            ),
            (
                "overdue",
                "roadmap/checkout",
                "3 days past its baseline target 2026-11-17"
            ),
            (
                "recurring-service",
                "services/api",
                "2 incidents in the 90 days to 2026-11-20"
            ),
        ]
    );
}

#[test]
fn capacity_below_target_in_the_last_full_quarter() {
    let s = site(
        r#"
        title: T
        capacity_targets: {tech-debt: 0.2, infrastructure: 0.1, experiment: 0.05, feature: 0.8}
        "#,
    )
    .roadmap(
        "big-feature",
        "title: F\ntype: feature\nstatus: shipped\noutcomes: []\nshipped: 2026-08-01\nestimate: 30\nactual: 40\n",
    )
    .roadmap(
        "unsized-feature",
        "title: U\ntype: feature\nstatus: shipped\noutcomes: []\nshipped: 2026-08-02\n",
    )
    .roadmap(
        "debt",
        "title: D\ntype: tech-debt\nstatus: shipped\nvalue: v\nshipped: 2026-09-01\nestimate: 6\n",
    )
    .roadmap(
        "infra",
        "title: I\ntype: infrastructure\nstatus: shipped\nvalue: v\nshipped: 2026-07-15\nestimate: 10\nactual: 4\n",
    )
    .roadmap(
        "this-quarter",
        "title: T\ntype: tech-debt\nstatus: shipped\nvalue: v\nshipped: 2026-10-15\nestimate: 100\n",
    );
    let m = s.metrics("2026-11-20");
    let q3 = m
        .delivery
        .quarter(throughline::metrics::Quarter::of(d("2026-08-01"), 1))
        .expect("2026-Q3");
    // effort: feature 40 (actual), unsized left out, tech-debt 6 (estimate), infra 4
    // (actual); total 50
    close_some(q3.effort_share.feature, 0.8);
    close_some(q3.effort_share.tech_debt, 0.12);
    close_some(q3.effort_share.infrastructure, 0.08);
    assert_eq!(q3.effort_share.experiment, Some(0.0));
    assert_eq!(q3.shipped.feature, 2);
    let capacity = risks_of(&m, RiskKind::CapacityBelowTarget);
    // feature 0.8 is exactly on its target: not below. The Q4 tech-debt item does not
    // count: as_of is in Q4, so the last full quarter is Q3.
    assert_eq!(
        capacity,
        [
            (
                "delivery/experiment".to_string(),
                "experiment share 0% below target 5% in 2026-Q3".to_string()
            ),
            (
                "delivery/infrastructure".to_string(),
                "infrastructure share 8% below target 10% in 2026-Q3".to_string()
            ),
            (
                "delivery/tech-debt".to_string(),
                "tech-debt share 12% below target 20% in 2026-Q3".to_string()
            ),
        ]
    );
    // a quarter later, Q4 is the last full quarter: tech-debt 100 of 100
    let next = s.metrics("2027-01-05");
    let capacity: Vec<String> = risks_of(&next, RiskKind::CapacityBelowTarget)
        .into_iter()
        .map(|(subject, _)| subject)
        .collect();
    assert_eq!(
        capacity,
        [
            "delivery/experiment",
            "delivery/feature",
            "delivery/infrastructure"
        ]
    );
    // two quarters later, nothing shipped in Q1 2027: shares are null, no risk
    let later = s.metrics("2027-04-05");
    assert!(risks_of(&later, RiskKind::CapacityBelowTarget).is_empty());
}

// ---------------------------------------------------------------------------------------
// metrics.json

/// Checks, while parsing, that every object's keys are in strictly increasing order.
struct SortedKeys;

impl<'de> serde::Deserialize<'de> for SortedKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SortedKeysVisitor)
    }
}

struct SortedKeysVisitor;

impl<'de> serde::de::Visitor<'de> for SortedKeysVisitor {
    type Value = SortedKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<SortedKeys, E> {
        Ok(SortedKeys)
    }
    fn visit_i64<E>(self, _: i64) -> Result<SortedKeys, E> {
        Ok(SortedKeys)
    }
    fn visit_u64<E>(self, _: u64) -> Result<SortedKeys, E> {
        Ok(SortedKeys)
    }
    fn visit_f64<E>(self, _: f64) -> Result<SortedKeys, E> {
        Ok(SortedKeys)
    }
    fn visit_str<E>(self, _: &str) -> Result<SortedKeys, E> {
        Ok(SortedKeys)
    }
    fn visit_unit<E>(self) -> Result<SortedKeys, E> {
        Ok(SortedKeys)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<SortedKeys, A::Error> {
        while seq.next_element::<SortedKeys>()?.is_some() {}
        Ok(SortedKeys)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<SortedKeys, A::Error> {
        let mut previous: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            if let Some(p) = previous.as_ref().filter(|p| **p >= key) {
                return Err(serde::de::Error::custom(format!(
                    "key `{key}` comes after `{p}`"
                )));
            }
            map.next_value::<SortedKeys>()?;
            previous = Some(key);
        }
        Ok(SortedKeys)
    }
}

fn example() -> Model {
    let loaded = throughline::site::load(Path::new(env!("CARGO_MANIFEST_DIR")), false)
        .expect("the example site loads");
    loaded.model.expect("the example site has no errors")
}

#[test]
fn metrics_json_has_sorted_keys_nulls_and_integers_where_the_spec_has_them() {
    let model = example();
    let m = metrics::compute(&model, d("2026-11-20"));
    let json = metrics::to_json(&m);
    serde_json::from_str::<SortedKeys>(&json).expect("every object's keys are sorted");
    assert!(serde_json::from_str::<SortedKeys>(r#"[{"a": {"c": 1, "b": 2}}]"#).is_err());
    assert!(json.ends_with("}\n"));
    // deterministic
    assert_eq!(
        json,
        metrics::to_json(&metrics::compute(&model, d("2026-11-20")))
    );

    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let top: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        top,
        [
            "as_of",
            "delivery",
            "forecast",
            "outcomes",
            "reliability",
            "risks"
        ]
    );
    assert_eq!(v["as_of"], "2026-11-20");
    // forecast: the spec's shape, key for key
    let keys_of = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let f = &v["forecast"];
    assert_eq!(keys_of(f), ["calibration", "items", "trials"]);
    assert_eq!(f["trials"], 10000);
    let some_item = f["items"]
        .as_object()
        .and_then(|o| o.values().next())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        keys_of(&some_item),
        [
            "basis",
            "method",
            "p50",
            "p85",
            "p_on_baseline",
            "p_on_target",
            "reason",
            "samples"
        ]
    );
    assert_eq!(
        keys_of(&f["calibration"]),
        ["cases", "checkpoints", "hit_baseline", "hit_p50", "hit_p85"]
    );
    assert_eq!(
        keys_of(&f["calibration"]["checkpoints"][0]),
        ["cases", "date", "hit_baseline", "hit_p50", "hit_p85"]
    );
    assert_eq!(
        f["calibration"]["checkpoints"].as_array().map(Vec::len),
        Some(4)
    );
    // every planned and in-progress item has an entry, nothing else
    let open = model
        .items
        .iter()
        .filter(|x| {
            matches!(
                x.status,
                throughline::content::keywords::ItemStatus::Planned
                    | throughline::content::keywords::ItemStatus::InProgress
            )
        })
        .count();
    assert_eq!(f["items"].as_object().map(|o| o.len()), Some(open));
    // counts and day numbers are integers; minutes and ratios are floats
    let q = &v["delivery"]["quarters"][4];
    assert_eq!(q["quarter"], "2026-Q3");
    assert!(q["committed"].is_u64());
    assert!(q["median_slip_days"].is_i64());
    assert!(v["delivery"]["items"]["datev-accounting-sync"]["overdue_days"].is_i64());
    assert!(v["delivery"]["items"]["datev-accounting-sync"]["slip_days"].is_null());
    assert!(v["reliability"]["incidents"]["2026-01-19-webhook-backlog"]["ttd"].is_f64());
    assert!(
        json.contains("\"ttd\": 42.0"),
        "webhook backlog: 08:05 → 08:47"
    );
    // every item and outcome is present
    assert_eq!(
        v["delivery"]["items"].as_object().map(|o| o.len()),
        Some(model.items.len())
    );
    assert_eq!(
        v["outcomes"]["items"].as_object().map(|o| o.len()),
        Some(model.outcomes.len())
    );
    let summary: Vec<&str> = v["outcomes"]["summary"]
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        summary,
        [
            "achieved",
            "at-risk",
            "attainment",
            "missed",
            "no-data",
            "off-track",
            "on-track"
        ]
    );
    let shipped: Vec<&str> = q["shipped"]
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        shipped,
        [
            "experiment",
            "feature",
            "infrastructure",
            "tech-debt",
            "total"
        ]
    );
}

#[test]
fn every_metric_in_the_json_has_a_definition() {
    let m = metrics::compute(&example(), d("2026-11-20"));
    let v = serde_json::to_value(&m).expect("serializes");
    let keys = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut wanted = Vec::new();
    for area in ["delivery", "outcomes"] {
        let items = &v[area]["items"];
        let first = items.as_object().and_then(|o| o.values().next()).cloned();
        wanted.extend(
            keys(&first.unwrap_or_default())
                .into_iter()
                .map(|k| format!("{area}.{k}")),
        );
    }
    for k in keys(&v["delivery"]["quarters"][0]) {
        if k != "quarter" {
            wanted.push(format!("delivery.{k}"));
        }
    }
    for k in keys(&v["delivery"]) {
        if !matches!(k.as_str(), "items" | "quarters") {
            wanted.push(format!("delivery.{k}"));
        }
    }
    for k in keys(&v["outcomes"]["summary"]) {
        if k == "attainment" {
            wanted.push("outcomes.attainment".into());
        }
    }
    for k in keys(&v["reliability"]["months"][0]) {
        if k != "month" {
            wanted.push(format!("reliability.{k}"));
        }
    }
    let first_incident = v["reliability"]["incidents"]
        .as_object()
        .and_then(|o| o.values().next())
        .cloned()
        .unwrap_or_default();
    wanted.extend(
        keys(&first_incident)
            .into_iter()
            .map(|k| format!("reliability.{k}")),
    );
    let first_service = v["reliability"]["services"]
        .as_object()
        .and_then(|o| o.values().next())
        .cloned()
        .unwrap_or_default();
    wanted.extend(
        keys(&first_service)
            .into_iter()
            .map(|k| format!("reliability.services.{k}")),
    );
    wanted.extend(
        keys(&v["reliability"]["action_items"])
            .into_iter()
            .map(|k| format!("reliability.action_items.{k}")),
    );
    let first_forecast = v["forecast"]["items"]
        .as_object()
        .and_then(|o| o.values().next())
        .cloned()
        .unwrap_or_default();
    wanted.extend(
        keys(&first_forecast)
            .into_iter()
            .map(|k| format!("forecast.{k}")),
    );
    wanted.push("forecast.trials".into());
    for k in keys(&v["forecast"]["calibration"]) {
        if k != "checkpoints" {
            wanted.push(format!("forecast.calibration.{k}"));
        }
    }
    assert!(wanted.len() > 40, "{wanted:?}");
    for key in &wanted {
        let def = metrics::definition(key);
        assert!(def.is_some(), "no definition for {key}");
        assert!(def.is_some_and(|d| !d.label.is_empty() && !d.formula.is_empty()));
    }
    let mut all: Vec<&str> = metrics::definitions().map(|d| d.key).collect();
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n, "definition keys are unique");
    assert_eq!(
        metrics::definition("delivery.say_do").map(|d| d.label),
        Some("Say/do")
    );
}

// ---------------------------------------------------------------------------------------
// The example report (site.yaml + content/ at the repository root), as_of 2026-11-20

#[test]
fn example_outcome_statuses() {
    let m = metrics::compute(&example(), d("2026-11-20"));
    let status = |id: &str| m.outcomes.items[id].status;
    use OutcomeStatus::*;
    // latest 1.8 h ≤ 2.0 (decrease); 10.6% ≥ 10
    assert_eq!(status("manual-reconciliation-time"), Achieved);
    assert_eq!(status("international-invoice-share"), Achieved);
    // latest 23.2 < 25 and the target date 10-31 has passed
    assert_eq!(status("annual-plan-mix"), Missed);
    assert_eq!(status("days-sales-outstanding"), OnTrack);
    assert_eq!(status("online-payment-share"), OnTrack);
    assert_eq!(status("enterprise-security-review-days"), OnTrack);
    assert_eq!(status("trial-to-paid-conversion"), AtRisk);
    assert_eq!(status("e-invoice-adoption"), OffTrack);
    // the only reading, 11-27, is after as_of
    assert_eq!(status("payment-link-paid-within-7-days"), NoData);

    let mix = &m.outcomes.items["annual-plan-mix"];
    // 25.3 on 09-15 met the target before it fell back
    assert_eq!(mix.achieved_on, Some(d("2026-09-15")));
    assert_eq!(mix.late, Some(false));
    let intl = &m.outcomes.items["international-invoice-share"];
    // 9.4 on 08-31 fell short; 10.6 on 10-31, a month after the 09-30 target
    assert_eq!(intl.achieved_on, Some(d("2026-10-31")));
    assert_eq!(intl.late, Some(true));
    let trial = &m.outcomes.items["trial-to-paid-conversion"];
    // (17.3 − 14) ÷ (20 − 14) = 0.55; 2025-11-01 → 2026-11-20 is 365 + 19 = 384 days,
    // → 2027-03-31 is 365 + 150 = 515
    close_some(trial.progress, 3.3 / 6.0);
    close(trial.expected, 384.0 / 515.0);
    let link = &m.outcomes.items["payment-link-paid-within-7-days"];
    // 10-01 → 11-20 = 31 + 19 = 50; 10-01 → 2027-06-30 = 31+30+31+31+28+31+30+31 + 29 = 272
    close(link.expected, 50.0 / 272.0);
    assert_eq!(
        m.outcomes.items["days-sales-outstanding"].linked_items,
        [
            "customer-portal-redesign",
            "dunning-reminders",
            "recurring-invoices-v2",
            "smart-dunning-experiment"
        ]
    );
    let s = &m.outcomes.summary;
    assert_eq!((s.achieved, s.missed, s.on_track), (2, 1, 3));
    assert_eq!((s.at_risk, s.off_track, s.no_data), (1, 1, 1));
    // due by as_of: annual-plan-mix (missed), international-invoice-share (achieved)
    assert_eq!(s.attainment, Some(0.5));
}

#[test]
fn example_delivery() {
    let m = metrics::compute(&example(), d("2026-11-20"));
    let items = &m.delivery.items;
    // baseline 10-30 → 11-20: 1 + 20 = 21 days
    assert_eq!(items["datev-accounting-sync"].overdue_days, Some(21));
    // paused; target 09-30 → 11-20: 31 + 20 = 51 days
    assert_eq!(items["customer-portal-redesign"].overdue_days, Some(51));
    let overdue: Vec<&str> = items
        .iter()
        .filter(|(_, x)| x.overdue_days.is_some())
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(
        overdue,
        ["customer-portal-redesign", "datev-accounting-sync"]
    );
    // smart-dunning waits on dunning-event-stream (planned)
    assert!(items["smart-dunning-experiment"].blocked);
    // in progress: datev, idempotency-keys, legacy-invoice-api-sunset, payment-links,
    // reporting-read-replica, smart-dunning
    assert_eq!((m.delivery.wip, m.delivery.blocked), (6, 1));
    // all 8 shipped features and experiments have a measurement after shipping
    assert_eq!(m.delivery.outcome_coverage, Some(1.0));

    let labels: Vec<String> = m
        .delivery
        .quarters
        .iter()
        .map(|q| q.quarter.to_string())
        .collect();
    // earliest: sepa-direct-debit's baseline 2025-09-30
    assert_eq!(
        labels,
        [
            "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"
        ]
    );
    let q3 = &m.delivery.quarters[4];
    // committed: annual-plan (08-14), ci-pipeline (09-11), customer-portal (09-30),
    // e-invoicing (08-31); only ci-pipeline (09-04) shipped on time
    assert_eq!((q3.committed, q3.delivered_on_time), (4, 1));
    assert_eq!(q3.say_do, Some(0.25));
    // shipped: annual-plan 08-27 (experiment, actual 8), ci-pipeline 09-04 (tech-debt, 15),
    // e-invoicing 09-29 (feature, 45): total effort 68
    assert_eq!(q3.shipped.total, 3);
    close_some(q3.effort_share.experiment, 8.0 / 68.0);
    close_some(q3.effort_share.tech_debt, 15.0 / 68.0);
    close_some(q3.effort_share.feature, 45.0 / 68.0);
    assert_eq!(q3.effort_share.infrastructure, Some(0.0));
    // slips 13, −7, 29 → 13
    assert_eq!(q3.median_slip_days, Some(Days(13.0)));
    // ratios 8/5, 15/15, 45/35 → 45/35
    close_some(q3.median_estimate_ratio, 45.0 / 35.0);
    // lead times 52, 53, 141 → 53
    assert_eq!(q3.median_lead_time_days, Some(Days(53.0)));
}

#[test]
fn example_reliability() {
    let m = metrics::compute(&example(), d("2026-11-20"));
    let gw = &m.reliability.services["payments-gateway"];
    // 04-14, 09-03 and 10-21 in the year; 09-03 and 10-21 in the last 90 days
    assert_eq!(gw.incidents, 3);
    assert!(gw.recurring);
    assert_eq!(gw.last, Some(d("2026-10-21")));
    // impact 129 + 173 + 48 = 350 minutes: (365 − 350/1440) ÷ 3
    close_some(gw.mtbf_days, 525250.0 / 4320.0);
    let recurring: Vec<&str> = m
        .reliability
        .services
        .iter()
        .filter(|(_, s)| s.recurring)
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(recurring, ["payments-gateway"]);

    // the draft of 11-12 is left out: 8 incidents from 2025-08 to 2026-11
    assert_eq!(m.reliability.incidents.len(), 8);
    assert_eq!(m.reliability.months.len(), 16);
    assert_eq!(m.reliability.months[15].total, 0);

    let a = &m.reliability.action_items;
    // 3 + 4 + 2 + 5 + 0 + 3 + 4 + 4 action items over the eight post-mortems
    assert_eq!((a.total, a.done, a.open, a.wont_do), (25, 15, 8, 2));
    // open and due before 11-20: status-page (06-30), SAML alert (09-30),
    // duplicate-charge alert (10-15), connection pool (11-13)
    assert_eq!(a.overdue, 4);
    // 15 ÷ 23
    close_some(a.completion_rate, 15.0 / 23.0);
    // breached when done late: renderer rewrite, webhook retry queue, circuit breaker;
    // open past the deadline: status page, SAML alert, SSO smoke test, idempotency keys,
    // duplicate-charge alert, contract tests, read replica (deadline 11-18)
    assert_eq!((a.within_slo, a.breached), (11, 10));
    close_some(a.slo_compliance, 11.0 / 21.0);
    // 14 dated closes: 0 0 2 2 3 6 7 | 7 14 24 26 47 50 51 → (7 + 7) ÷ 2
    assert_eq!(a.median_days_to_close, Some(Days(7.0)));

    let with_drafts = throughline::site::load(Path::new(env!("CARGO_MANIFEST_DIR")), true)
        .expect("loads")
        .model
        .expect("no errors");
    let m = metrics::compute(&with_drafts, d("2026-11-20"));
    assert_eq!(m.reliability.months[15].total, 1);
    assert_eq!(m.reliability.months[15].by_severity["SEV4"], 1);
}

#[test]
fn example_risks() {
    let m = metrics::compute(&example(), d("2026-11-20"));
    assert_eq!(
        risks_of(&m, RiskKind::Overdue),
        [
            (
                "roadmap/customer-portal-redesign".to_string(),
                "51 days past its baseline target 2026-09-30".to_string()
            ),
            (
                "roadmap/datev-accounting-sync".to_string(),
                "21 days past its baseline target 2026-10-30".to_string()
            ),
        ]
    );
    assert_eq!(
        risks_of(&m, RiskKind::Blocked),
        [(
            "roadmap/smart-dunning-experiment".to_string(),
            "waiting on dunning-event-stream (planned)".to_string()
        )]
    );
    assert_eq!(
        risks_of(&m, RiskKind::OutcomeMissed),
        [(
            "outcomes/annual-plan-mix".to_string(),
            "latest 23.2% misses the target 25% due 2026-10-31".to_string()
        )]
    );
    // Q3 effort: infrastructure 0 of 68 against a 0.1 target; tech-debt 15/68 ≈ 0.22 ≥ 0.2
    assert_eq!(
        risks_of(&m, RiskKind::CapacityBelowTarget),
        [(
            "delivery/infrastructure".to_string(),
            "infrastructure share 0% below target 10% in 2026-Q3".to_string()
        )]
    );
    assert_eq!(
        risks_of(&m, RiskKind::NoActionItems),
        [(
            "postmortems/2026-06-30-ledger-balance-drift".to_string(),
            "no action items".to_string()
        )]
    );
    assert_eq!(risks_of(&m, RiskKind::ActionItemOverdue).len(), 4);
    assert_eq!(risks_of(&m, RiskKind::ActionItemSloBreached).len(), 10);
    let mut sorted = m.risks.clone();
    sorted.sort_by(|a, b| {
        (a.kind.as_str(), &a.subject, &a.message).cmp(&(b.kind.as_str(), &b.subject, &b.message))
    });
    assert_eq!(sorted, m.risks);
}

// ---------------------------------------------------------------------------------------
// Forecasts (spec/forecast.md)
//
// Calendar notes used below: 2026-06-01, 2026-06-29, 2026-10-26, 2026-11-02 and 2026-11-09
// are Mondays; 2026-07-01 is a Wednesday.

/// Team a's five shipped items, each started Monday 2026-06-01. Flow ratio = working days
/// from start to ship date inclusive ÷ estimate; sorted by ship date:
/// h4 06-03: 3 ÷ 2 = 1.5; h1 06-05: 5 ÷ 5 = 1; h3 06-10: 8 ÷ 4 = 2; h2 06-12: 10 ÷ 5 = 2;
/// h5 06-19: 15 ÷ 5 = 3.
fn history_site(site_yaml: &str) -> Site {
    let shipped = |shipped: &str, estimate: u32| {
        format!(
            "title: H\ntype: tech-debt\nvalue: v\nstatus: shipped\nteam: a\nstart: 2026-06-01\nshipped: {shipped}\nestimate: {estimate}\n"
        )
    };
    site(site_yaml)
        .roadmap("h1", &shipped("2026-06-05", 5))
        .roadmap("h2", &shipped("2026-06-12", 5))
        .roadmap("h3", &shipped("2026-06-10", 4))
        .roadmap("h4", &shipped("2026-06-03", 2))
        .roadmap("h5", &shipped("2026-06-19", 5))
}

fn open_item(status: &str, team: &str, extra: &str) -> String {
    format!("title: O\ntype: tech-debt\nvalue: v\nstatus: {status}\nteam: {team}\n{extra}")
}

fn forecast_of<'m>(m: &'m Metrics, id: &str) -> &'m metrics::ItemForecast {
    m.forecast
        .items
        .get(id)
        .unwrap_or_else(|| panic!("no forecast entry for {id}"))
}

#[track_caller]
fn dated(m: &Metrics, id: &str, p50: &str, p85: &str, samples: u32) {
    let f = forecast_of(m, id);
    assert_eq!(f.reason, None, "{id}");
    assert_eq!(
        (f.p50, f.p85, f.samples),
        (Some(d(p50)), Some(d(p85)), Some(samples)),
        "{id}"
    );
}

#[test]
fn exact_forecasts_by_nearest_rank() {
    let m = history_site("title: T")
        .roadmap(
            "p",
            &open_item(
                "planned",
                "a",
                "estimate: 4\ntarget: 2026-11-10\nbaseline_target: 2026-11-12\n",
            ),
        )
        .metrics("2026-11-02");
    // D = ⌈4 × r⌉ for r = 1.5, 1, 2, 2, 3: 6, 4, 8, 8, 12 working days from Mon 11-02:
    // 4 → Thu 11-05, 6 → Mon 11-09, 8 → Wed 11-11, 12 → Tue 11-17.
    // Sorted 05, 09, 11, 11, 17: P50 at ⌈0.5 × 5⌉ = 3 → 11-11; P85 at ⌈0.85 × 5⌉ = 5 → 11-17.
    dated(&m, "p", "2026-11-11", "2026-11-17", 5);
    let f = forecast_of(&m, "p");
    assert_eq!(f.method, Some(metrics::forecast::Method::Exact));
    assert_eq!(f.basis, Some(metrics::forecast::Basis::Team));
    // on or before the target 11-10: 05, 09 → 2 of 5; the baseline 11-12: 4 of 5
    assert_eq!((f.p_on_target, f.p_on_baseline), (Some(0.4), Some(0.8)));
    assert_eq!(
        risks_of(&m, RiskKind::LikelyLate),
        [(
            "roadmap/p".to_string(),
            "40% chance of shipping by its target 2026-11-10; P50 2026-11-11".to_string()
        )]
    );
    assert_eq!(m.forecast.trials, 10_000);
    // shipped items get no entry
    assert!(!m.forecast.items.contains_key("h1"));
}

#[test]
fn holidays_count_in_history_and_in_forecasts() {
    let m = history_site("title: T\nholidays: [2026-06-10, 2026-11-11, 2026-11-14]")
        .roadmap(
            "p",
            &open_item("planned", "a", "estimate: 4\ntarget: 2026-11-10\n"),
        )
        .metrics("2026-11-02");
    // h3 shipped on the holiday 06-10: 7 working days (06-01…06-09) ÷ 4 = 1.75 → D = 7.
    // D = 6, 4, 7, 8, 12 from Mon 11-02, Wed 11-11 off (Sat 11-14 changes nothing):
    // 4 → 11-05, 6 → 11-09, 7 → 11-10, 8 → Thu 11-12, 12 → Wed 11-18.
    // P50 3rd → 11-10; P85 5th → 11-18; by the target 11-10: 3 of 5.
    dated(&m, "p", "2026-11-10", "2026-11-18", 5);
    assert_eq!(forecast_of(&m, "p").p_on_target, Some(0.6));
    assert!(risks_of(&m, RiskKind::LikelyLate).is_empty());
}

#[test]
fn in_progress_items_keep_only_the_samples_longer_than_they_have_run() {
    let m = history_site("title: T")
        .roadmap(
            "q",
            &open_item("in-progress", "a", "estimate: 4\nstart: 2026-10-26\n"),
        )
        .roadmap("r", &open_item("in-progress", "a", "estimate: 4\n"))
        .metrics("2026-11-02");
    // e = wd(Mon 10-26, Mon 11-02) = 5. D = 6, 4, 8, 8, 12; those above 5: 6, 8, 8, 12,
    // less 5: 1, 3, 3, 7 from 11-02 → 11-02, 11-04, 11-04, 11-10.
    // P50 at ⌈2⌉ = 2 → 11-04; P85 at ⌈3.4⌉ = 4 → 11-10.
    dated(&m, "q", "2026-11-04", "2026-11-10", 4);
    // Without start, e = 0: all five, as if planned from as_of.
    dated(&m, "r", "2026-11-11", "2026-11-17", 5);
}

#[test]
fn a_start_after_as_of_and_a_dependency_shipped_after_as_of_move_the_start() {
    let m = history_site("title: T")
        .roadmap(
            "later",
            &open_item("planned", "a", "estimate: 2\nstart: 2026-11-11\n"),
        )
        .roadmap(
            "x",
            "title: X\ntype: tech-debt\nvalue: v\nstatus: shipped\nteam: b\nstart: 2026-10-01\nshipped: 2026-11-06\nestimate: 3\n",
        )
        .roadmap(
            "s",
            &open_item("planned", "b", "estimate: 2\ndepends_on: [x]\n"),
        )
        .metrics("2026-11-02");
    // D = ⌈2 × r⌉: 3, 2, 4, 4, 6 working days.
    // From Wed 11-11: 2 → Thu 11-12, 3 → Fri 11-13, 4 → Mon 11-16, 6 → Wed 11-18.
    // Sorted 12, 13, 16, 16, 18: P50 3rd → 11-16; P85 5th → 11-18.
    dated(&m, "later", "2026-11-16", "2026-11-18", 5);
    // x shipped Fri 11-06 (after as_of: not in any pool): s starts the day after, Sat 11-07,
    // so from Mon 11-09: 2 → 11-10, 3 → 11-11, 4 → 11-12, 6 → 11-16.
    // Sorted 10, 11, 12, 12, 16: P50 → 11-12; P85 → 11-16.
    dated(&m, "s", "2026-11-12", "2026-11-16", 5);
    let s = forecast_of(&m, "s");
    // team b has no history: every team's items, which are team a's five
    assert_eq!(s.basis, Some(metrics::forecast::Basis::All));
    assert_eq!(s.method, Some(metrics::forecast::Method::Exact));
    assert_eq!(s.p_on_target, None);
}

#[test]
fn every_reason_for_no_forecast() {
    let m = history_site("title: T")
        .roadmap("p", &open_item("planned", "a", "estimate: 4\n"))
        .roadmap("idea", &open_item("idea", "a", "estimate: 4\n"))
        .roadmap("ne", &open_item("planned", "a", "target: 2026-12-01\n"))
        .roadmap(
            "w1",
            &open_item("planned", "a", "estimate: 1\ndepends_on: [p, idea, ne]\n"),
        )
        .roadmap(
            "w2",
            &open_item("planned", "a", "estimate: 1\ndepends_on: [ne]\n"),
        )
        .roadmap("w3", &open_item("planned", "a", "depends_on: [idea]\n"))
        .roadmap(
            "old",
            &open_item("in-progress", "a", "estimate: 1\nstart: 2026-06-01\n"),
        )
        .roadmap(
            "w4",
            &open_item("planned", "a", "estimate: 1\ndepends_on: [old]\n"),
        )
        .metrics("2026-11-02");
    let reason = |id: &str| {
        let f = forecast_of(&m, id);
        // an undated entry has every other field null
        assert_eq!(
            (
                f.p50,
                f.p85,
                f.p_on_target,
                f.p_on_baseline,
                f.method,
                f.basis,
                f.samples
            ),
            (None, None, None, None, None, None, None),
            "{id}"
        );
        f.reason.as_ref().map(|r| r.to_string())
    };
    assert_eq!(reason("ne").as_deref(), Some("no-estimate"));
    // p is dated; idea is the first dependency in depends_on order without a forecast
    assert_eq!(reason("w1").as_deref(), Some("waits-on:idea"));
    assert_eq!(reason("w2").as_deref(), Some("waits-on:ne"));
    // no estimate comes before waiting
    assert_eq!(reason("w3").as_deref(), Some("no-estimate"));
    // D = ⌈1 × r⌉ = 2, 1, 2, 2, 3, but it has run wd(06-01, 11-02) = 22 weeks = 110 days
    assert_eq!(reason("old").as_deref(), Some("beyond-history"));
    assert_eq!(reason("w4").as_deref(), Some("waits-on:old"));
    assert_eq!(
        risks_of(&m, RiskKind::BeyondHistory),
        [(
            "roadmap/old".to_string(),
            "running 110 working days; at the pace of the slowest of 5 comparable items it would have taken 3".to_string()
        )]
    );
    // ideas get no entry at all
    assert!(!m.forecast.items.contains_key("idea"));

    // Four shipped items in all: no pool, team or all.
    let m = site("title: T")
        .roadmap(
            "h1",
            "title: H\ntype: tech-debt\nvalue: v\nstatus: shipped\nteam: a\nstart: 2026-06-01\nshipped: 2026-06-05\nestimate: 5\n",
        )
        .roadmap("p", &open_item("planned", "a", "estimate: 4\n"))
        .metrics("2026-11-02");
    assert_eq!(
        forecast_of(&m, "p").reason.as_ref().map(|r| r.to_string()),
        Some("no-history".to_string())
    );
}

#[test]
fn a_simulated_chain_adds_up_its_durations() {
    // Ratios 5 ÷ 5 = 1 (twice) and 10 ÷ 5 = 2 (three times): an item estimated at 5 takes
    // 5 working days with probability 0.4 and 10 with 0.6.
    let shipped = |shipped: &str| {
        format!(
            "title: H\ntype: tech-debt\nvalue: v\nstatus: shipped\nteam: a\nstart: 2026-06-01\nshipped: {shipped}\nestimate: 5\n"
        )
    };
    let m = site("title: T")
        .roadmap("h1", &shipped("2026-06-05"))
        .roadmap("h2", &shipped("2026-06-05"))
        .roadmap("h3", &shipped("2026-06-12"))
        .roadmap("h4", &shipped("2026-06-12"))
        .roadmap("h5", &shipped("2026-06-12"))
        .roadmap("a", &open_item("planned", "a", "estimate: 5\n"))
        .roadmap(
            "b",
            &open_item("planned", "a", "estimate: 5\ndepends_on: [a]\n"),
        )
        .roadmap(
            "c",
            &open_item(
                "planned",
                "a",
                "estimate: 5\ndepends_on: [b]\ntarget: 2026-12-04\n",
            ),
        )
        .metrics("2026-11-02");
    // a (exact): 5, 5, 10, 10, 10 days from Mon 11-02: P50 3rd = 10 days → Fri 11-13.
    dated(&m, "a", "2026-11-13", "2026-11-13", 5);
    // Each starts the working day after the one before ships, so c ships after the sum S
    // of three independent draws: S = 15, 20, 25, 30 with the binomial weights of 0, 1, 2,
    // 3 ten-day draws (p = 0.6): 0.064, 0.288, 0.432, 0.216. P(S ≤ 20) = 0.352 and
    // P(S ≤ 25) = 0.784: over 10,000 trials (σ of a share ≤ 0.005) the median is 25 days,
    // more than 25σ from either edge, and P85 is 30 days (0.784 < 0.85 by 13σ).
    // 25 working days from Mon 11-02 → Fri 12-04; 30 → Fri 12-11.
    let c = forecast_of(&m, "c");
    assert_eq!(c.method, Some(metrics::forecast::Method::Simulated));
    assert_eq!(
        (c.p50, c.p85),
        (Some(d("2026-12-04")), Some(d("2026-12-11")))
    );
    let p = c.p_on_target.expect("a target");
    assert!((p - 0.784).abs() < 0.02, "P(S ≤ 25) = 0.784, got {p}");
    // b: 10 (0.16), 15 (0.48), 20 (0.36): P(≤ 10) = 0.16, P(≤ 15) = 0.64 → 15 days → Fri 11-20
    let b = forecast_of(&m, "b");
    assert_eq!(b.p50, Some(d("2026-11-20")));
    // samples is the pool's size, trials apart
    assert_eq!((b.samples, c.samples), (Some(5), Some(5)));
}

#[test]
fn a_calibration_checkpoint_worked_by_hand() {
    let m = history_site("title: T")
        // started Mon 06-22: e = wd(06-22, Wed 07-01) = 7; D = 6, 4, 8, 8, 12; above 7:
        // 8, 8, 12 → 1, 1, 5 from Wed 07-01 → 07-01, 07-01, Tue 07-07.
        // P50 2nd = 07-01, P85 3rd = 07-07. Shipped 07-07: P50 missed, P85 hit; baseline
        // 07-10 hit.
        .roadmap(
            "k1",
            "title: K\ntype: tech-debt\nvalue: v\nstatus: shipped\nteam: a\nstart: 2026-06-22\nshipped: 2026-07-07\nestimate: 4\nbaseline_target: 2026-07-10\n",
        )
        // started Mon 06-29: e = 2; D = ⌈2r⌉ = 3, 2, 4, 4, 6; above 2: 3, 4, 4, 6 → 1, 2,
        // 2, 4 → 07-01, 07-02, 07-02, Mon 07-06. P50 2nd = 07-02, P85 4th = 07-06.
        // Shipped 07-02: both hit; baseline 06-30 missed.
        .roadmap(
            "k2",
            "title: K\ntype: tech-debt\nvalue: v\nstatus: shipped\nteam: a\nstart: 2026-06-29\nshipped: 2026-07-02\nestimate: 2\nbaseline_target: 2026-06-30\n",
        )
        // the same forecast, still in progress at 11-02: both dates passed, both missed;
        // baseline 12-31 not yet passed: undecided
        .roadmap(
            "k3",
            &open_item(
                "in-progress",
                "a",
                "start: 2026-06-29\nestimate: 2\nbaseline_target: 2026-12-31\n",
            ),
        )
        // estimate 200: D − 2 = 298, 198, 398, 398, 598 working days from 07-01, all far
        // beyond 11-02 (88 working days on): undecided; no baseline: left out
        .roadmap(
            "k4",
            &open_item("in-progress", "a", "start: 2026-06-29\nestimate: 200\n"),
        )
        // skipped: nothing left above e = wd(01-05, 07-01); not started before 07-01;
        // planned
        .roadmap(
            "gone",
            &open_item("in-progress", "a", "start: 2026-01-05\nestimate: 1\n"),
        )
        .roadmap(
            "new",
            &open_item("in-progress", "a", "start: 2026-07-01\nestimate: 1\n"),
        )
        .roadmap(
            "plan",
            &open_item("planned", "a", "start: 2026-06-01\nestimate: 1\n"),
        )
        .metrics("2026-11-02");
    let cal = &m.forecast.calibration;
    let dates: Vec<String> = cal.checkpoints.iter().map(|c| c.date.to_string()).collect();
    // the four quarters before 2026-Q4
    assert_eq!(
        dates,
        ["2025-10-01", "2026-01-01", "2026-04-01", "2026-07-01"]
    );
    // nothing had shipped before the first three: no pool, no case
    for c in &cal.checkpoints[..3] {
        assert_eq!(
            (c.cases, c.hit_p50, c.hit_p85, c.hit_baseline),
            (0, None, None, None)
        );
    }
    let q3 = &cal.checkpoints[3];
    assert_eq!(q3.cases, 4);
    // P50: k2 hit; k1, k3 missed; k4 undecided → 1 ÷ 3
    close_some(q3.hit_p50, 1.0 / 3.0);
    // P85: k1, k2 hit; k3 missed → 2 ÷ 3
    close_some(q3.hit_p85, 2.0 / 3.0);
    // baseline: k1 hit, k2 missed; k3 undecided; k4 none → 1 ÷ 2
    close_some(q3.hit_baseline, 0.5);
    assert_eq!(cal.cases, 4);
    close_some(cal.hit_p50, 1.0 / 3.0);
    close_some(cal.hit_p85, 2.0 / 3.0);
    close_some(cal.hit_baseline, 0.5);
}

#[test]
fn no_forecast_is_ever_earlier_than_as_of() {
    let model = example();
    // a Saturday, a holiday-free Monday, the example's as_of and a day in another year
    for as_of in ["2026-11-21", "2026-11-23", "2026-11-20", "2027-03-01"] {
        let m = metrics::compute(&model, d(as_of));
        assert!(!m.forecast.items.is_empty());
        for (id, f) in &m.forecast.items {
            for date in [f.p50, f.p85].into_iter().flatten() {
                assert!(date >= d(as_of), "{id}: {date} before {as_of}");
            }
            if let Some(first) = f.detail.curve.first() {
                assert!(first.0 >= d(as_of), "{id}");
            }
        }
    }
}

#[test]
fn example_forecasts() {
    let m = metrics::compute(&example(), d("2026-11-20"));
    // Platform's eight shipped items, working days start → ship inclusive (site.yaml's
    // Berlin holidays skipped) ÷ estimate:
    //   feature-flag-service 2025-06-02 → 07-25: 8 weeks less Whit Monday = 39 ÷ 15
    //   container-platform-migration 2025-04-07 → 08-29: 21 weeks = 105 less 5 holidays
    //     (04-18, 04-21, 05-01, 05-29, 06-09) = 100 ÷ 40 = 2.5
    //   error-tracking-rollout 2025-08-04 → 09-17: 30 + 3 = 33 ÷ 10 = 3.3
    //   invoice-pdf-renderer-rewrite 2025-09-01 → 10-15: 30 + 3 less 10-03 = 32 ÷ 15
    //   postgres-16-upgrade 2025-10-13 → 12-03: 35 + 3 = 38 ÷ 10 = 3.8
    //   webhook-retry-queue 2026-02-02 → 03-11: 25 + 3 = 28 ÷ 15
    //   ci-pipeline-parallelisation 2026-07-13 → 09-04: 40 ÷ 15
    //   audit-log-export 2026-08-24 → 10-16: 40 ÷ 20 = 2
    // reporting-read-replica (estimate 12) has run wd(10-19, 11-20) = 20 + 4 = 24 days.
    // D = ⌈12 r⌉: 32 (31.2), 30, 40 (39.6), 26 (25.6), 46 (45.6), 23 (22.4), 32, 24;
    // above 24: 32, 30, 40, 26, 46, 32, less 24: 8, 6, 16, 2, 22, 8 working days from
    // Fri 11-20: 2 → 11-23, 6 → 11-27, 8 → 12-01 (twice), 16 → 12-11, 22 → 12-21.
    // P50 at ⌈3⌉ = 3 → 12-01; P85 at ⌈5.1⌉ = 6 → 12-21; by the target 12-04: 4 of 6.
    dated(&m, "reporting-read-replica", "2026-12-01", "2026-12-21", 6);
    let replica = forecast_of(&m, "reporting-read-replica");
    assert_eq!(replica.basis, Some(metrics::forecast::Basis::Team));
    close_some(replica.p_on_target, 4.0 / 6.0);

    // The v1 API sunset (estimate 2w = 10) has run wd(02-16, 11-20) = 39 weeks + 4 days =
    // 199 less 5 holidays (04-03, 04-06, 05-01, 05-14, 05-25) = 194; the slowest platform
    // ratio, 3.8, gives 38.
    assert_eq!(
        risks_of(&m, RiskKind::BeyondHistory),
        [(
            "roadmap/legacy-invoice-api-sunset".to_string(),
            "running 194 working days; at the pace of the slowest of 8 comparable items it would have taken 38".to_string()
        )]
    );
    // The planned chain: the scheduler waits on the event stream, which is planned too.
    let scheduler = forecast_of(&m, "scheduler-on-event-stream");
    let stream = forecast_of(&m, "dunning-event-stream");
    assert_eq!(scheduler.method, Some(metrics::forecast::Method::Simulated));
    assert_eq!(stream.method, Some(metrics::forecast::Method::Exact));
    // it starts after the stream ships: its P50 is after the stream's
    assert!(scheduler.p50 > stream.p50);
    // Every checkpoint has decided cases.
    for c in &m.forecast.calibration.checkpoints {
        assert!(c.cases > 0 && c.hit_p50.is_some(), "{}", c.date);
    }
}
