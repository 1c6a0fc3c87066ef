//! Sparkline: a tiny line for cards. No axes and no visible text; an optional target line.

use plotters::prelude::*;

use super::layout;
use super::svg::{self, Meta, Paint};
use super::{Chart, DataTable, ValueFormat, XAxis};

const KIND: &str = "sparkline";
/// Drawn at about 128 CSS px wide (see CHART_CSS); the viewBox is larger so that plotters'
/// whole-pixel coordinates stay smooth when scaled down.
const SIZE: (u32, u32) = (240, 60);
const PAD: i32 = 6;

/// Input of [`sparkline`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparklineInput {
    pub title: String,
    pub description: String,
    /// Header of the table's x column; empty gives "Date" or "Category".
    pub x_title: String,
    /// Dates are placed by time and drawn in date order; categories evenly.
    pub x: XAxis,
    /// Values align with `x`; gaps (None, NaN, ±inf) break the line.
    pub values: Vec<Option<f64>>,
    /// A dashed horizontal line (class `tl-target`).
    pub target: Option<f64>,
    /// Formats the table.
    pub format: ValueFormat,
}

/// Draw a sparkline: the line, a dot on the latest value and the target line. The table has
/// one row per x value (date order on date axes) and a "Target" row.
pub fn sparkline(input: &SparklineInput) -> Chart {
    let title = svg::clean(&input.title);
    let description = svg::clean(&input.description);
    let n = input.x.len();
    let value = |i: usize| {
        input
            .values
            .get(i)
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
    };
    let mut order: Vec<usize> = (0..n).collect();
    let xs: Vec<f64> = match &input.x {
        XAxis::Dates(dates) => {
            order.sort_by_key(|i| dates.get(*i).map(|d| layout::day_number(*d)));
            dates
                .iter()
                .map(|d| layout::day_number(*d) as f64)
                .collect()
        }
        XAxis::Categories(_) => (0..n).map(|i| i as f64).collect(),
    };
    let target = input.target.filter(|t| t.is_finite());

    let x_title = match (svg::clean(&input.x_title), &input.x) {
        (t, _) if !t.is_empty() => t,
        (_, XAxis::Dates(_)) => "Date".to_string(),
        (_, XAxis::Categories(_)) => "Category".to_string(),
    };
    let mut rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| vec![input.x.label(i), input.format.format(value(i))])
        .collect();
    if let Some(t) = target {
        rows.push(vec!["Target".to_string(), input.format.format(Some(t))]);
    }
    let table = DataTable {
        headers: vec![x_title, "Value".to_string()],
        rows,
    };

    let meta = Meta {
        kind: KIND,
        title: &title,
        description: &description,
        size: SIZE,
    };
    let points: Vec<Option<(f64, f64)>> = order
        .iter()
        .map(|&i| value(i).and_then(|v| xs.get(i).map(|x| (*x, v))))
        .collect();
    let present: Vec<(f64, f64)> = points.iter().flatten().copied().collect();
    let svg = match (present.first(), present.last()) {
        (Some(first), Some(last)) => {
            let (x_lo, x_hi) = if last.0 > first.0 {
                (first.0, last.0)
            } else {
                (first.0 - 1.0, first.0 + 1.0)
            };
            let (mut y_lo, mut y_hi) = present
                .iter()
                .map(|p| p.1)
                .chain(target)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                });
            let pad = if y_hi > y_lo {
                (y_hi - y_lo) * 0.08
            } else {
                y_lo.abs().max(1.0) * 0.1
            };
            y_lo -= pad;
            y_hi += pad;
            let latest = *last;
            let rendered = svg::render(SIZE, |root| {
                let mut chart = ChartBuilder::on(root)
                    .margin(PAD)
                    .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
                if let Some(t) = target {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x_lo, t), (x_hi, t)],
                        Paint::Target.stroke(1),
                    )))?;
                }
                for run in points.split(Option::is_none) {
                    let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
                    if run.len() > 1 {
                        chart.draw_series(LineSeries::new(run, Paint::Series(0).stroke(2)))?;
                    } else {
                        chart.draw_series(
                            run.into_iter()
                                .map(|p| Circle::new(p, 3, Paint::Series(0).fill())),
                        )?;
                    }
                }
                chart.draw_series(std::iter::once(Circle::new(
                    latest,
                    4,
                    Paint::Series(0).fill(),
                )))?;
                Ok(())
            });
            svg::finish(&meta, rendered)
        }
        _ => svg::no_data(&meta),
    };
    Chart {
        svg,
        svg_narrow: String::new(),
        title,
        description,
        table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{assert_well_formed, same_twice, start_tags};
    use jiff::civil::date;

    fn input() -> SparklineInput {
        SparklineInput {
            title: "Abandonment <&>".into(),
            description: "Falling towards 25%".into(),
            x: XAxis::Dates(vec![date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]),
            values: vec![Some(0.35), Some(0.33), Some(0.30)],
            target: Some(0.25),
            format: ValueFormat::percent(0),
            ..SparklineInput::default()
        }
    }

    #[test]
    fn renders_line_target_and_no_visible_text() {
        let chart = sparkline(&input());
        assert_well_formed(&chart.svg);
        assert!(
            chart
                .svg
                .contains("<title>Abandonment &lt;&amp;&gt;</title>")
        );
        assert!(!chart.svg.contains("<text"));
        let tags = start_tags(&chart.svg);
        assert!(
            tags.iter()
                .any(|t| t.0 == "polyline" && t.1.iter().any(|a| a.1 == "tl-target"))
        );
        assert!(
            tags.iter()
                .any(|t| t.0 == "polyline" && t.1.iter().any(|a| a.1 == "tl-s1"))
        );
        assert_eq!(
            chart.table.rows.last(),
            Some(&vec!["Target".to_string(), "25%".to_string()])
        );
        // 240 × 60 with 6 px on every side: x from 6 to 233 (227 px), y from 53 up to 6
        // (47 px). Values 0.30…0.35 and the target 0.25 give 0.25…0.35, padded by 8 % of
        // 0.10 on each side: 0.242…0.358 (0.116). A value v sits at
        // 53 − ⌊47 × (v − 0.242) ÷ 0.116⌋: 0.35 → 53 − ⌊43.76⌋ = 10, 0.33 → 53 − ⌊35.66⌋ = 18,
        // 0.30 → 53 − ⌊23.5⌋ = 30, the target 0.25 → 53 − ⌊3.24⌋ = 50. The dates 01-01, 02-01
        // and 03-01 are days 0, 31 and 59: x = 6, 6 + ⌊227 × 31 ÷ 59⌋ = 6 + ⌊119.27⌋ = 125, 233.
        let points = |class: &str| {
            tags.iter()
                .find(|t| t.0 == "polyline" && t.1.iter().any(|a| a.1 == class))
                .and_then(|t| t.1.iter().find(|a| a.0 == "points"))
                .map(|a| a.1.trim().to_string())
        };
        assert_eq!(points("tl-s1").as_deref(), Some("6,10 125,18 233,30"));
        assert_eq!(points("tl-target").as_deref(), Some("6,50 233,50"));
        // The latest value gets the larger dot.
        assert!(
            chart
                .svg
                .contains("<circle class=\"tl-s1\" cx=\"233\" cy=\"30\" r=\"4\"")
        );
        same_twice(&input(), sparkline);
    }

    #[test]
    fn rising_values_rise_on_screen() {
        // Screen y grows downward, so a rising series has falling y coordinates.
        let chart = sparkline(&SparklineInput {
            x: XAxis::Categories(vec!["a".into(), "b".into()]),
            values: vec![Some(1.0), Some(2.0)],
            ..SparklineInput::default()
        });
        let tags = start_tags(&chart.svg);
        let line = tags
            .iter()
            .find(|t| t.0 == "polyline")
            .and_then(|t| t.1.iter().find(|a| a.0 == "points"))
            .map(|a| a.1.clone())
            .unwrap_or_default();
        let ys: Vec<i32> = line
            .split_whitespace()
            .filter_map(|p| p.split_once(',').and_then(|(_, y)| y.parse().ok()))
            .collect();
        assert_eq!(ys.len(), 2);
        assert!(ys[0] > ys[1], "{ys:?}");
    }

    #[test]
    fn empty_says_no_data() {
        let chart = sparkline(&SparklineInput::default());
        assert_well_formed(&chart.svg);
        assert!(chart.svg.contains(">No data</text>"));
        let chart = sparkline(&SparklineInput {
            x: XAxis::Categories(vec!["a".into()]),
            values: vec![Some(f64::NAN)],
            ..SparklineInput::default()
        });
        assert!(chart.svg.contains(">No data</text>"));
    }

    #[test]
    fn a_single_point_is_a_dot() {
        let chart = sparkline(&SparklineInput {
            x: XAxis::Dates(vec![date(2026, 1, 1)]),
            values: vec![Some(5.0)],
            ..SparklineInput::default()
        });
        assert_well_formed(&chart.svg);
        assert!(chart.svg.contains("<circle class=\"tl-s1\""));
    }
}
