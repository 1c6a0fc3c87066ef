//! A gallery of every chart kind for looking at by eye:
//! `THROUGHLINE_CHART_GALLERY=/tmp/charts cargo test --lib gallery -- --ignored`
//! writes one SVG per chart plus `index.html` (light), `dark.html` and `print.html`.

use super::*;
use jiff::civil::date;

fn samples() -> Vec<(&'static str, Chart)> {
    let quarters: Vec<String> = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
        .map(String::from)
        .to_vec();
    let months: Vec<String> = (0..14)
        .map(|i| format!("{}-{:02}", 2025 + (i + 9) / 12, (i + 9) % 12 + 1))
        .collect();
    let series = |name: &str, values: &[Option<f64>]| Series {
        name: name.into(),
        values: values.to_vec(),
    };
    vec![
        (
            "outcome-trend",
            line(&LineInput {
                title: "Checkout abandonment".into(),
                description: "Share of carts abandoned, measured monthly, from 35% towards a 25% target by 31 Dec 2026.".into(),
                x: XAxis::Dates(vec![
                    date(2026, 1, 15),
                    date(2026, 2, 15),
                    date(2026, 3, 15),
                    date(2026, 4, 15),
                    date(2026, 5, 15),
                    date(2026, 6, 15),
                    date(2026, 7, 15),
                    date(2026, 8, 15),
                ]),
                series: vec![series(
                    "Abandonment",
                    &[Some(0.35), Some(0.345), Some(0.33), Some(0.335), Some(0.31), Some(0.305), Some(0.29), Some(0.295)],
                )],
                reference_lines: vec![
                    ReferenceLine { label: "Baseline".into(), value: 0.35, kind: ReferenceKind::Baseline },
                    ReferenceLine { label: "Target".into(), value: 0.25, kind: ReferenceKind::Target },
                ],
                markers: vec![
                    Marker { label: "Deadline".into(), date: date(2026, 12, 31) },
                    Marker { label: "Checkout redesign".into(), date: date(2026, 4, 2) },
                    Marker { label: "One-click pay & <wallets>".into(), date: date(2026, 5, 1) },
                ],
                format: ValueFormat::percent(1),
                ..LineInput::default()
            }),
        ),
        (
            "reliability-trend",
            line(&LineInput {
                title: "Time to detect, mitigate and resolve".into(),
                description: "Mean minutes per month.".into(),
                x_title: "Month".into(),
                x: XAxis::Categories(months.clone()),
                series: vec![
                    series("TTD", &[Some(12.0), Some(8.0), None, Some(15.0), Some(6.0), Some(9.0), None, None, Some(4.0), Some(7.0), Some(5.0), Some(8.0), Some(6.0), Some(5.0)]),
                    series("TTM", &[Some(55.0), Some(40.0), None, Some(70.0), Some(35.0), Some(42.0), None, None, Some(30.0), Some(33.0), Some(28.0), Some(31.0), Some(26.0), Some(24.0)]),
                    series("TTR", &[Some(140.0), Some(120.0), None, Some(180.0), Some(95.0), Some(110.0), None, Some(90.0), Some(85.0), Some(80.0), Some(75.0), Some(70.0), Some(66.0), Some(60.0)]),
                ],
                format: ValueFormat::number(0).with_suffix(" min"),
                include_zero: true,
                ..LineInput::default()
            }),
        ),
        (
            "sparkline",
            sparkline(&SparklineInput {
                title: "Checkout abandonment trend".into(),
                description: "35% to 29.5%, target 25%".into(),
                x: XAxis::Dates(vec![date(2026, 1, 15), date(2026, 2, 15), date(2026, 3, 15), date(2026, 4, 15), date(2026, 5, 15)]),
                values: vec![Some(0.35), Some(0.34), Some(0.33), Some(0.31), Some(0.295)],
                target: Some(0.25),
                format: ValueFormat::percent(1),
                ..SparklineInput::default()
            }),
        ),
        (
            "shipped-by-type",
            bar(&BarInput {
                title: "Shipped by type per quarter".into(),
                description: "Items shipped each quarter, stacked by type.".into(),
                category_title: "Quarter".into(),
                categories: quarters.clone(),
                series: vec![
                    series("feature", &[Some(3.0), Some(4.0), Some(2.0), Some(5.0), Some(1.0)]),
                    series("tech-debt", &[Some(1.0), Some(0.0), Some(2.0), Some(1.0), Some(1.0)]),
                    series("infrastructure", &[Some(1.0), Some(2.0), Some(1.0), Some(0.0), None]),
                    series("experiment", &[Some(0.0), Some(1.0), Some(1.0), Some(2.0), Some(0.0)]),
                ],
                mode: BarMode::Stacked,
                ..BarInput::default()
            }),
        ),
        (
            "say-do",
            bar(&BarInput {
                title: "Say/do ratio per quarter".into(),
                description: "Committed items delivered on time.".into(),
                category_title: "Quarter".into(),
                categories: quarters.clone(),
                series: vec![series("Say/do", &[Some(0.6), Some(0.75), None, Some(0.5), Some(0.8)])],
                format: ValueFormat::percent(0),
                ..BarInput::default()
            }),
        ),
        (
            "effort-share",
            bar(&BarInput {
                title: "Effort share vs capacity target".into(),
                description: "Share of delivered effort by type; the line is the 20% tech-debt target.".into(),
                category_title: "Quarter".into(),
                categories: quarters.clone(),
                series: vec![
                    series("tech-debt", &[Some(0.1), Some(0.25), Some(0.15), Some(0.2), Some(0.3)]),
                    series("feature", &[Some(0.6), Some(0.5), Some(0.55), Some(0.6), Some(0.5)]),
                    series("infrastructure", &[Some(0.2), Some(0.15), Some(0.2), Some(0.1), Some(0.1)]),
                    series("experiment", &[Some(0.1), Some(0.1), Some(0.1), Some(0.1), Some(0.1)]),
                ],
                mode: BarMode::Stacked,
                reference_lines: vec![ReferenceLine { label: "Tech-debt target".into(), value: 0.2, kind: ReferenceKind::Target }],
                format: ValueFormat::percent(0),
                ..BarInput::default()
            }),
        ),
        (
            "incidents-by-severity",
            bar(&BarInput {
                title: "Incidents per month by severity".into(),
                description: "Count of incidents by month of start.".into(),
                category_title: "Month".into(),
                categories: months.clone(),
                series: vec![
                    series("SEV1", &[Some(0.0), Some(1.0), Some(0.0), Some(0.0), Some(1.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(1.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0)]),
                    series("SEV2", &[Some(1.0), Some(0.0), Some(2.0), Some(1.0), Some(0.0), Some(1.0), Some(0.0), Some(1.0), Some(1.0), Some(0.0), Some(0.0), Some(1.0), Some(0.0), Some(1.0)]),
                    series("SEV3", &[Some(2.0), Some(1.0), Some(1.0), Some(3.0), Some(2.0), Some(1.0), Some(0.0), Some(2.0), Some(1.0), Some(2.0), Some(1.0), Some(0.0), Some(2.0), Some(1.0)]),
                    series("SEV4", &[Some(1.0), Some(2.0), Some(0.0), Some(1.0), Some(1.0), Some(3.0), Some(1.0), Some(0.0), Some(2.0), Some(1.0), Some(1.0), Some(2.0), Some(1.0), Some(0.0)]),
                ],
                mode: BarMode::Stacked,
                ..BarInput::default()
            }),
        ),
        (
            "action-items",
            bar(&BarInput {
                title: "Action items by status".into(),
                description: "All action items of included post-mortems.".into(),
                category_title: "Status".into(),
                categories: ["open", "in-progress", "done", "wont-do", "overdue"].map(String::from).to_vec(),
                series: vec![series("Action items", &[Some(4.0), Some(3.0), Some(7.0), Some(1.0), Some(2.0)])],
                ..BarInput::default()
            }),
        ),
        (
            "incidents-per-service",
            bar(&BarInput {
                title: "Incidents per service".into(),
                description: "Incidents in the 365 days ending at as_of.".into(),
                category_title: "Service".into(),
                categories: ["payments-api", "checkout-web", "search-indexer", "identity & <auth>", "notifications-worker-long-name"].map(String::from).to_vec(),
                series: vec![series("Incidents", &[Some(5.0), Some(3.0), Some(2.0), Some(1.0), Some(1.0)])],
                orientation: BarOrientation::Horizontal,
                reference_lines: vec![ReferenceLine { label: "Recurring".into(), value: 2.0, kind: ReferenceKind::Baseline }],
                ..BarInput::default()
            }),
        ),
        (
            "slip-distribution",
            bar(&BarInput {
                title: "Slip distribution".into(),
                description: "Shipped items by days of slip against their baseline target.".into(),
                category_title: "Slip (days)".into(),
                categories: ["< -14", "-14..-1", "0", "1..7", "8..14", "15..30", "> 30"].map(String::from).to_vec(),
                series: vec![series("Items", &[Some(1.0), Some(3.0), Some(6.0), Some(4.0), Some(2.0), Some(2.0), Some(1.0)])],
                ..BarInput::default()
            }),
        ),
        (
            "estimate-vs-actual",
            scatter(&ScatterInput {
                title: "Estimate vs actual effort".into(),
                description: "Each shipped item; above the line took longer than estimated.".into(),
                x_title: "Estimate (days)".into(),
                y_title: "Actual (days)".into(),
                points: [("a", 5.0, 8.0), ("b", 10.0, 9.0), ("c", 3.0, 6.0), ("d", 20.0, 31.0), ("e", 8.0, 8.0), ("f", 13.0, 10.0)]
                    .map(|(l, x, y)| ScatterPoint { label: l.into(), x, y })
                    .to_vec(),
                diagonal_label: "On estimate".into(),
                format: ValueFormat::number(1),
                ..ScatterInput::default()
            }),
        ),
        (
            "timeline",
            timeline(&TimelineInput {
                title: "Roadmap 2026-Q3".into(),
                description: "Items active in July–September 2026.".into(),
                rows: vec![
                    TimelineRow { label: "Checkout redesign".into(), start: date(2026, 5, 1), end: date(2026, 7, 20), status: TimelineStatus::Shipped, forecast: None },
                    TimelineRow { label: "Search v2".into(), start: date(2026, 7, 6), end: date(2026, 10, 30), status: TimelineStatus::InProgress, forecast: None },
                    TimelineRow { label: "Payments retry & <idempotency>".into(), start: date(2026, 6, 15), end: date(2026, 8, 10), status: TimelineStatus::Overdue, forecast: None },
                    TimelineRow { label: "Billing export".into(), start: date(2026, 9, 1), end: date(2026, 9, 30), status: TimelineStatus::Planned, forecast: None },
                    TimelineRow { label: "Dark mode".into(), start: date(2026, 7, 15), end: date(2026, 8, 30), status: TimelineStatus::Paused, forecast: None },
                    TimelineRow { label: "Legacy API sunset".into(), start: date(2026, 8, 1), end: date(2026, 9, 15), status: TimelineStatus::Cancelled, forecast: None },
                ],
                periods: vec![
                    Period { label: "Jul".into(), start: date(2026, 7, 1), end: date(2026, 7, 31) },
                    Period { label: "Aug".into(), start: date(2026, 8, 1), end: date(2026, 8, 31) },
                    Period { label: "Sep".into(), start: date(2026, 9, 1), end: date(2026, 9, 30) },
                ],
                markers: vec![Marker { label: "Today".into(), date: date(2026, 8, 14) }],
            }),
        ),
        ("empty", line(&LineInput { title: "Nothing yet".into(), ..LineInput::default() })),
    ]
}

fn page(charts: &[(&str, Chart)], css: &str, body_style: &str, columns: usize) -> String {
    let mut html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><style>{css}\nbody{{font-family:sans-serif;margin:16px;{body_style}}}\
         .grid{{display:grid;grid-template-columns:repeat({columns},minmax(0,1fr));gap:16px}}figure{{margin:0}}\
         figcaption{{font-weight:bold;margin-bottom:4px}}</style></head><body><div class=\"grid\">"
    );
    for (_, chart) in charts {
        html.push_str(&format!(
            "<figure><figcaption>{}</figcaption>{}</figure>",
            svg::escape(&chart.title),
            chart.svg
        ));
    }
    html.push_str("</div></body></html>\n");
    html
}

#[test]
#[ignore = "writes files; run by hand to look at the charts"]
fn gallery() -> std::io::Result<()> {
    let dir = std::env::var("THROUGHLINE_CHART_GALLERY").unwrap_or_else(|_| "/tmp/charts".into());
    std::fs::create_dir_all(&dir)?;
    let charts = samples();
    for (name, chart) in &charts {
        std::fs::write(format!("{dir}/{name}.svg"), &chart.svg)?;
    }
    std::fs::write(format!("{dir}/index.html"), page(&charts, CHART_CSS, "", 3))?;
    std::fs::write(format!("{dir}/phone.html"), page(&charts, CHART_CSS, "", 1))?;
    let dark = CHART_CSS.replace("@media (prefers-color-scheme: dark)", "@media all");
    std::fs::write(
        format!("{dir}/dark.html"),
        page(
            &charts,
            &dark,
            "background:#0d1117;color:#e6edf3;color-scheme:dark",
            3,
        ),
    )?;
    let print = CHART_CSS.replace("@media print", "@media all");
    std::fs::write(format!("{dir}/print.html"), page(&charts, &print, "", 3))?;
    Ok(())
}

#[test]
fn every_sample_is_well_formed() {
    for (name, chart) in samples() {
        super::test_support::assert_well_formed(&chart.svg);
        assert!(!chart.svg.contains("Chart unavailable"), "{name}");
    }
}
