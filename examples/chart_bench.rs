//! Times chart drawing alone, through the public chart functions, with inputs shaped like the
//! 10,000-document benchmark's charts: outcome sparklines (20–44 weekly points, target line),
//! outcome trends (line with baseline, target and ship-date markers), incident phase bars
//! (horizontal, three categories), two dashboard bar charts, an 80-row roadmap timeline and a
//! 400-point scatter.
//!
//! ```sh
//! cargo run --release --example chart_bench -- [rounds]
//! ```
//!
//! Prints ns per chart and SVG size for each kind, the mix weighted as in the benchmark build
//! (4,588 sparklines, 1,001 line charts, 3,011 bar charts, 1 scatter, 3 timelines), and a hash
//! of every SVG and table drawn, which must not change when only speed is meant to.

use std::hint::black_box;
use std::time::Instant;

use jiff::civil::{Date, date};
use throughline::charts::{
    self, BarInput, BarMode, BarOrientation, Chart, LineInput, Marker, Period, ReferenceKind,
    ReferenceLine, ScatterInput, ScatterPoint, Series, SparklineInput, TimelineInput, TimelineRow,
    TimelineStatus, ValueFormat, XAxis,
};

/// A small deterministic generator, so every run draws the same charts.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn weeks(start: Date, n: usize) -> Vec<Date> {
    (0..n)
        .map(|i| {
            start
                .checked_add(jiff::Span::new().days(7 * i as i64))
                .unwrap_or(start)
        })
        .collect()
}

/// (dates, values, target, format) of one outcome.
fn outcome(rng: &mut Lcg, i: usize) -> (Vec<Date>, Vec<Option<f64>>, f64, ValueFormat) {
    let n = 20 + (rng.next() * 25.0) as usize;
    let dates = weeks(date(2025, 7, 9), n);
    let base = 10.0 + rng.next() * 50.0;
    let values = (0..n)
        .map(|k| Some(((base + k as f64 * 0.5 + rng.next() * 3.0) * 10.0).round() / 10.0))
        .collect();
    let (format, target) = match i % 3 {
        0 => (ValueFormat::number(1).with_suffix("%"), base + 20.0),
        1 => (ValueFormat::number(1).with_suffix(" ms"), base * 2.0),
        _ => (ValueFormat::number(0).with_suffix(" tickets"), base.round()),
    };
    (dates, values, target, format)
}

fn sparklines(rng: &mut Lcg) -> Vec<SparklineInput> {
    (0..16)
        .map(|i| {
            let (dates, values, target, format) = outcome(rng, i);
            SparklineInput {
                title: format!("Outcome {i} onboarding queue trend"),
                description: format!(
                    "From 20% on 2025-07-09 to 37.6% on 2026-03-19; target {target}."
                ),
                x_title: "Date".into(),
                x: XAxis::Dates(dates),
                values,
                target: Some(target),
                format,
            }
        })
        .collect()
}

fn lines(rng: &mut Lcg) -> Vec<LineInput> {
    (0..16)
        .map(|i| {
            let (dates, values, target, format) = outcome(rng, i);
            let mut markers = vec![Marker {
                label: "Target date".into(),
                date: date(2026, 4, 3),
            }];
            for k in 0..(i % 3) {
                markers.push(Marker {
                    label: format!("Item {} checkout <v{k}> shipped", 4000 + i),
                    date: dates[(k * 7 + 5) % dates.len()],
                });
            }
            LineInput {
                title: format!("Outcome {i} export rollout"),
                description: "Measurements up to 2026-03-19, baseline and target.".into(),
                x_title: "Date".into(),
                x: XAxis::Dates(dates),
                series: vec![Series {
                    name: format!("Outcome {i} export rollout"),
                    values,
                }],
                reference_lines: vec![
                    ReferenceLine {
                        label: "Baseline".into(),
                        value: 20.0,
                        kind: ReferenceKind::Baseline,
                    },
                    ReferenceLine {
                        label: "Target".into(),
                        value: target,
                        kind: ReferenceKind::Target,
                    },
                ],
                markers,
                format,
                include_zero: false,
                steps: false,
            }
        })
        .collect()
}

fn phase_bars(rng: &mut Lcg) -> Vec<BarInput> {
    (0..16)
        .map(|i| {
            let ttd = rng.next() * 60.0;
            let ttm = ttd + rng.next() * 120.0;
            let ttr = ttm + rng.next() * 600.0 * (1 + i % 4) as f64;
            let (unit, scale, suffix) = if ttr >= 120.0 {
                ("hours", 60.0, " h")
            } else {
                ("minutes", 1.0, " min")
            };
            BarInput {
                title: "Time to detect, mitigate and resolve".into(),
                description: format!("Time from the start of customer impact, in {unit}."),
                category_title: "Phase".into(),
                categories: ["Detected", "Mitigated", "Resolved"]
                    .map(String::from)
                    .to_vec(),
                series: vec![Series {
                    name: format!("Since start ({unit})"),
                    values: [ttd, ttm, ttr].iter().map(|m| Some(m / scale)).collect(),
                }],
                orientation: BarOrientation::Horizontal,
                format: ValueFormat::number(1).with_suffix(suffix),
                ..BarInput::default()
            }
        })
        .collect()
}

fn dashboard_bars(rng: &mut Lcg) -> Vec<BarInput> {
    let quarters: Vec<String> = [
        "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2",
    ]
    .map(String::from)
    .to_vec();
    let mut col = |scale: f64| -> Vec<Option<f64>> {
        (0..quarters.len())
            .map(|_| Some((rng.next() * scale).round()))
            .collect()
    };
    vec![
        BarInput {
            title: "Say/do per quarter".into(),
            categories: quarters.clone(),
            series: vec![Series {
                name: "Say/do".into(),
                values: col(100.0)
                    .into_iter()
                    .map(|v| v.map(|v| v / 100.0))
                    .collect(),
            }],
            format: ValueFormat::percent(0),
            ..BarInput::default()
        },
        BarInput {
            title: "Shipped per quarter, by type".into(),
            categories: quarters.clone(),
            series: ["Feature", "Tech debt", "Bug", "Research"]
                .iter()
                .map(|n| Series {
                    name: (*n).into(),
                    values: col(400.0),
                })
                .collect(),
            mode: BarMode::Stacked,
            format: ValueFormat::number(0),
            ..BarInput::default()
        },
    ]
}

fn timelines(rng: &mut Lcg) -> Vec<TimelineInput> {
    let rows = (0..80)
        .map(|i| {
            let start = date(2025, 10, 1)
                .checked_add(jiff::Span::new().days((rng.next() * 200.0) as i64))
                .unwrap_or(date(2025, 10, 1));
            let end = start
                .checked_add(jiff::Span::new().days(10 + (rng.next() * 120.0) as i64))
                .unwrap_or(start);
            TimelineRow {
                label: format!("Item {i} checkout ledger migration"),
                start,
                end,
                status: TimelineStatus::ALL[i % 6],
                forecast: None,
            }
        })
        .collect();
    let periods = [(2026, 1), (2026, 4), (2026, 7), (2026, 10)]
        .iter()
        .map(|&(y, m)| Period {
            label: format!("Q{} ’{}", (m - 1) / 3 + 1, y % 100),
            start: date(y, m, 1),
            end: date(y, m, 1)
                .checked_add(jiff::Span::new().months(3))
                .and_then(|d| d.yesterday())
                .unwrap_or(date(y, m, 28)),
        })
        .collect();
    vec![TimelineInput {
        title: "Roadmap timeline, 2026-Q1 to 2026-Q4".into(),
        description: "80 items drawn from their start to their ship date.".into(),
        rows,
        periods,
        markers: vec![Marker {
            label: "Today (2026-03-19)".into(),
            date: date(2026, 3, 19),
        }],
    }]
}

fn scatters(rng: &mut Lcg) -> Vec<ScatterInput> {
    vec![ScatterInput {
        title: "Estimate against actual effort".into(),
        x_title: "Estimate (days)".into(),
        y_title: "Actual (days)".into(),
        points: (0..400)
            .map(|i| ScatterPoint {
                label: format!("Item {i}"),
                x: (rng.next() * 40.0).round(),
                y: (rng.next() * 60.0).round(),
            })
            .collect(),
        diagonal_label: "as estimated".into(),
        format: ValueFormat::number(1),
        ..ScatterInput::default()
    }]
}

/// FNV-1a over every chart's SVG and table.
fn hash_chart(hash: &mut u64, chart: &Chart) {
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            *hash ^= u64::from(*b);
            *hash = hash.wrapping_mul(0x100_0000_01b3);
        }
        *hash ^= 0xff;
    };
    eat(chart.svg.as_bytes());
    eat(chart.title.as_bytes());
    eat(chart.description.as_bytes());
    for h in &chart.table.headers {
        eat(h.as_bytes());
    }
    for row in &chart.table.rows {
        for cell in row {
            eat(cell.as_bytes());
        }
    }
}

/// Draw every input `rounds` times; ns per chart, mean SVG bytes and the hash of one round.
fn time<T>(inputs: &[T], rounds: usize, draw: fn(&T) -> Chart) -> (f64, usize, u64) {
    let mut hash = 0xcbf2_9ce4_8422_2325;
    let mut bytes = 0;
    for input in inputs {
        let chart = draw(input);
        bytes += chart.svg.len();
        hash_chart(&mut hash, &chart);
    }
    let start = Instant::now();
    for _ in 0..rounds {
        for input in inputs {
            black_box(draw(black_box(input)));
        }
    }
    let ns = start.elapsed().as_nanos() as f64 / (rounds * inputs.len()) as f64;
    (ns, bytes / inputs.len(), hash)
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let mut rng = Lcg(42);
    let spark = sparklines(&mut rng);
    let line = lines(&mut rng);
    let phases = phase_bars(&mut rng);
    let dash = dashboard_bars(&mut rng);
    let tl = timelines(&mut rng);
    let sc = scatters(&mut rng);

    let few = (rounds / 16).max(1);
    let results = [
        ("sparkline", 4588.0, time(&spark, rounds, charts::sparkline)),
        ("line", 1001.0, time(&line, rounds, charts::line)),
        ("bar (phases)", 3000.0, time(&phases, rounds, charts::bar)),
        ("bar (dashboard)", 11.0, time(&dash, few * 8, charts::bar)),
        ("timeline", 3.0, time(&tl, few, charts::timeline)),
        ("scatter", 1.0, time(&sc, few, charts::scatter)),
    ];
    let mut hash: u64 = 0;
    let (mut total_ns, mut total_n) = (0.0, 0.0);
    for (name, weight, (ns, bytes, h)) in &results {
        println!("{name:<16} {ns:>10.0} ns/chart {bytes:>7} bytes of SVG");
        hash = hash.rotate_left(7) ^ h;
        total_ns += weight * ns;
        total_n += weight;
    }
    println!(
        "mix (8,604 as in the benchmark build): {:.0} ns/chart, {:.1} ms for all",
        total_ns / total_n,
        total_ns / 1e6
    );
    println!("output hash {hash:016x}");
}
