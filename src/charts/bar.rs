//! Bar chart: categories × series, grouped or stacked, vertical or horizontal, with optional
//! reference lines. Histograms are vertical bars whose categories are the bin labels.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::layout::{
    self, CategoryAxis, FONT, LegendEntry, PLOT_H, RIGHT_PAD, ROW, SMALL, Swatch, TOP_PAD,
    X_LABELS_H,
};
use super::svg::{self, DrawError, Meta, Paint};
use super::{Chart, DataTable, ReferenceLine, Series, ValueFormat};

const KIND: &str = "bar";
/// Height of one category band on horizontal bars.
const BAND_H: i32 = 28;

/// How several series share a category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BarMode {
    /// Side by side.
    #[default]
    Grouped,
    /// On top of each other (positive values up, negative values down).
    Stacked,
}

/// Which way the bars grow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BarOrientation {
    /// Categories along x, values up.
    #[default]
    Vertical,
    /// Categories down the left (first at the top), values to the right: for long labels.
    Horizontal,
}

/// Input of [`bar`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BarInput {
    pub title: String,
    pub description: String,
    /// Header of the table's category column; empty gives "Category".
    pub category_title: String,
    pub categories: Vec<String>,
    /// Values align with `categories`; gaps (None, NaN, ±inf) draw nothing.
    pub series: Vec<Series>,
    pub mode: BarMode,
    pub orientation: BarOrientation,
    /// Lines across the value axis, e.g. a capacity target; labelled "label value".
    pub reference_lines: Vec<ReferenceLine>,
    /// Formats the table, the tick labels and the reference-line labels.
    pub format: ValueFormat,
}

/// One drawn rectangle, in data units along the value axis.
struct Segment {
    /// Category position and the bar's extent across it.
    band: (f64, f64),
    from: f64,
    to: f64,
    series: usize,
}

/// Draw a bar chart. The table has one row per category, one column per series (the values
/// as given, not stacked sums), then one row per reference line.
pub fn bar(input: &BarInput) -> Chart {
    let title = svg::clean(&input.title);
    let description = svg::clean(&input.description);
    let table = table(input);
    let segments = segments(input);
    let meta = |size| Meta {
        kind: KIND,
        title: &title,
        description: &description,
        size,
    };
    let [svg, svg_narrow] = layout::WIDTHS.map(|width| {
        if segments.is_empty() {
            return svg::no_data(&meta((width, (TOP_PAD + PLOT_H + 1 + X_LABELS_H) as u32)));
        }
        let (size, rendered) = match input.orientation {
            BarOrientation::Vertical => draw_vertical(input, &segments, width),
            BarOrientation::Horizontal => draw_horizontal(input, &segments, width),
        };
        let full = input
            .categories
            .iter()
            .chain(input.series.iter().map(|s| &s.name));
        svg::title_cut_labels(svg::finish(&meta(size), rendered), full)
    });
    Chart {
        svg,
        svg_narrow,
        title,
        description,
        table,
    }
}

fn series_name(series: &Series, i: usize) -> String {
    let name = svg::clean(&series.name);
    if name.is_empty() {
        format!("Series {}", i + 1)
    } else {
        name
    }
}

fn table(input: &BarInput) -> DataTable {
    let category_title = match svg::clean(&input.category_title) {
        t if t.is_empty() => "Category".to_string(),
        t => t,
    };
    let mut headers = vec![category_title];
    headers.extend(
        input
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| series_name(s, i)),
    );
    let columns = headers.len().max(2);
    let mut rows: Vec<Vec<String>> = input
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut row = vec![svg::clean(c)];
            row.extend(input.series.iter().map(|s| input.format.format(s.value(i))));
            row
        })
        .collect();
    for r in input.reference_lines.iter().filter(|r| r.value.is_finite()) {
        let mut row = vec![svg::clean(&r.label), input.format.format(Some(r.value))];
        row.resize(columns, String::new());
        rows.push(row);
    }
    DataTable { headers, rows }
}

fn segments(input: &BarInput) -> Vec<Segment> {
    let k = input.series.len();
    let mut out = Vec::new();
    for i in 0..input.categories.len() {
        let c = i as f64;
        let (mut up, mut down) = (0.0, 0.0);
        for (j, series) in input.series.iter().enumerate() {
            let Some(v) = series.value(i).filter(|v| *v != 0.0) else {
                continue;
            };
            match input.mode {
                BarMode::Stacked => {
                    let base = if v > 0.0 { &mut up } else { &mut down };
                    out.push(Segment {
                        band: (c - 0.3, c + 0.3),
                        from: *base,
                        to: *base + v,
                        series: j,
                    });
                    *base += v;
                }
                BarMode::Grouped => {
                    let group = if k > 1 { 0.8 } else { 0.6 };
                    let width = group / k as f64;
                    let start = c - group / 2.0 + j as f64 * width;
                    out.push(Segment {
                        band: (start, start + width),
                        from: 0.0,
                        to: v,
                        series: j,
                    });
                }
            }
        }
    }
    out
}

fn value_range(segments: &[Segment], references: &[(f64, String, Paint)]) -> (f64, f64) {
    segments
        .iter()
        .flat_map(|s| [s.from, s.to])
        .chain(references.iter().map(|r| r.0))
        .fold((0.0, 0.0), |(lo, hi): (f64, f64), v| (lo.min(v), hi.max(v)))
}

/// Percent bars of ratios (all within 0..1) get the whole 0–100% axis, so 80% looks like 80%.
fn whole_ratio(lo: f64, hi: f64, format: &ValueFormat) -> f64 {
    if format.percent && lo >= 0.0 && hi <= 1.0 {
        1.0
    } else {
        hi
    }
}

/// Series (when there are several) and then reference lines (on vertical bars, where a label
/// on the line would sit over the bars).
fn legend_for(
    input: &BarInput,
    references: &[(f64, String, Paint)],
    left: i32,
    right: i32,
) -> layout::Legend {
    let mut entries: Vec<LegendEntry> = Vec::new();
    if input.series.len() > 1 {
        entries.extend(input.series.iter().enumerate().map(|(i, s)| LegendEntry {
            label: series_name(s, i),
            paint: Paint::Series(i),
            swatch: Swatch::Fill,
        }));
    }
    entries.extend(references.iter().map(|(_, label, paint)| LegendEntry {
        label: label.clone(),
        paint: *paint,
        swatch: Swatch::Line,
    }));
    layout::legend(entries, left, right)
}

fn draw_vertical(
    input: &BarInput,
    segments: &[Segment],
    width: u32,
) -> ((u32, u32), Result<String, DrawError>) {
    let n = input.categories.len();
    let references = layout::reference_labels(&input.reference_lines, &input.format);
    let (lo, hi) = value_range(segments, &references);
    let hi = whole_ratio(lo, hi, &input.format);
    let ticks = layout::nice_ticks(lo, hi, 6, &input.format);
    let left = layout::left_margin(&ticks, &input.format);
    let right = width as i32 - RIGHT_PAD;
    let legend = legend_for(input, &references, left, right);
    let top = if legend.rows > 0 {
        4 + legend.rows * ROW + TOP_PAD
    } else {
        TOP_PAD
    };
    let labels: Vec<String> = input.categories.iter().map(|c| svg::clean(c)).collect();
    let categories = CategoryAxis::new(&labels, f64::from(right - left));
    let bottom = X_LABELS_H + categories.extra_height();
    let size = (width, (top + PLOT_H + 1 + bottom) as u32);
    let x = (-0.5, n as f64 - 0.5);
    let rendered = svg::render(size, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin_left(left)
            .margin_right(RIGHT_PAD)
            .margin_top(top)
            .margin_bottom(bottom)
            .build_cartesian_2d(x.0..x.1, ticks.lo..ticks.hi)?;
        layout::draw_h_grid(&mut chart, &ticks, x)?;
        chart.draw_series(segments.iter().map(|s| {
            Rectangle::new(
                [(s.band.0, s.from), (s.band.1, s.to)],
                Paint::Series(s.series).fill(),
            )
        }))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x.0, 0.0), (x.1, 0.0)],
            Paint::Axis.stroke(1),
        )))?;
        layout::draw_h_reference_lines(&mut chart, &references, x)?;
        layout::draw_y_labels(root, &chart, &ticks, &input.format, x.0)?;
        categories.draw(root, |i| chart.backend_coord(&(i as f64, ticks.lo)))?;
        layout::draw_legend(root, &legend, 4)?;
        Ok(())
    });
    (size, rendered)
}

fn draw_horizontal(
    input: &BarInput,
    segments: &[Segment],
    width: u32,
) -> ((u32, u32), Result<String, DrawError>) {
    let n = input.categories.len();
    let references = layout::reference_labels(&input.reference_lines, &input.format);
    let labels: Vec<String> = input
        .categories
        .iter()
        .map(|c| layout::truncate(&svg::clean(c), f64::from(width) * 0.4, FONT))
        .collect();
    let widest = labels
        .iter()
        .map(|l| layout::text_width(l, FONT))
        .fold(0.0, f64::max);
    let left = widest.ceil() as i32 + 14;
    // Half the last tick label may hang past the plot's right edge.
    let right_pad = RIGHT_PAD + 12;
    let plot_w = f64::from(width as i32 - left - right_pad);
    let (lo, hi) = value_range(segments, &references);
    let hi = whole_ratio(lo, hi, &input.format);
    let ticks = layout::ticks_for_width(lo, hi, plot_w, &input.format);
    let legend = legend_for(input, &[], left, width as i32 - right_pad);
    let top = if legend.rows > 0 {
        4 + legend.rows * ROW + 8
    } else {
        8
    };
    // Each reference label gets its own row above the plot, so none sits on a bar or on
    // another label.
    let top = top + layout::rows_height(references.len(), ROW);
    let plot_h = layout::rows_height(n, BAND_H).max(2 * BAND_H);
    let size = (width, layout::total_height(&[top, plot_h, 1, X_LABELS_H]));
    // Category i sits at y = n - 1 - i so the first category is at the top.
    let flip = |c: f64| n as f64 - 1.0 - c;
    let y = (-0.5, n as f64 - 0.5);
    let rendered = svg::render(size, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin_left(left)
            .margin_right(right_pad)
            .margin_top(top)
            .margin_bottom(X_LABELS_H)
            .build_cartesian_2d(ticks.lo..ticks.hi, y.0..y.1)?;
        layout::draw_v_grid(&mut chart, &ticks, y)?;
        chart.draw_series(segments.iter().map(|s| {
            Rectangle::new(
                [(s.from, flip(s.band.0)), (s.to, flip(s.band.1))],
                Paint::Series(s.series).fill(),
            )
        }))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, y.0), (0.0, y.1)],
            Paint::Axis.stroke(1),
        )))?;
        let rows = layout::rows_height(references.len(), ROW);
        for (r, (value, label, paint)) in references.iter().enumerate() {
            let (px, plot_top) = chart.backend_coord(&(*value, y.1));
            let label_y = plot_top - rows + layout::rows_height(r, ROW) + 3;
            root.draw(&PathElement::new(
                vec![(px, label_y + SMALL as i32 + 2), (px, plot_top)],
                paint.stroke(1),
            ))?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(*value, y.0), (*value, y.1)],
                paint.stroke(2),
            )))?;
            layout::draw_centered_label(root, label, px, label_y, SMALL, *paint)?;
        }
        for (i, label) in labels.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(ticks.lo, flip(i as f64)));
            root.draw(&Text::new(
                label.clone(),
                (px - 8, py),
                Paint::Muted.text(FONT, HPos::Right, VPos::Center),
            ))?;
        }
        layout::draw_x_value_labels(root, &chart, &ticks, &input.format, y.0)?;
        layout::draw_legend(root, &legend, 4)?;
        Ok(())
    });
    (size, rendered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{
        assert_well_formed, attr, has_class, same_twice, start_tags,
    };
    use crate::charts::{ReferenceKind, ReferenceLine};

    /// Bars of `class` as (x, y, width, height); legend swatches (12×12 near the top) left out.
    fn rects(svg: &str, class: &str) -> Vec<(f64, f64, f64, f64)> {
        start_tags(svg)
            .iter()
            .filter(|t| t.0 == "rect" && has_class(t, class))
            .filter_map(|t| {
                Some((
                    attr(t, "x")?,
                    attr(t, "y")?,
                    attr(t, "width")?,
                    attr(t, "height")?,
                ))
            })
            .filter(|r| !(r.1 < 30.0 && r.2 == 12.0 && r.3 == 12.0))
            .collect()
    }

    fn two_bars() -> BarInput {
        BarInput {
            title: "Two bars".into(),
            description: "One and two.".into(),
            categories: vec!["a".into(), "b".into()],
            series: vec![Series {
                name: "n".into(),
                values: vec![Some(1.0), Some(2.0)],
            }],
            ..BarInput::default()
        }
    }

    #[test]
    fn bar_height_is_proportional_to_value() {
        let chart = bar(&two_bars());
        assert_well_formed(&chart.svg);
        // No legend, so the plot spans y = 12 (TOP_PAD) to 212 (12 + PLOT_H) and the axis is
        // 0..2: the bar for 2 fills all 200 units, the bar for 1 half of them, both from 212.
        let r = rects(&chart.svg, "tl-s1");
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].1, r[0].3), (112.0, 100.0));
        assert_eq!((r[1].1, r[1].3), (12.0, 200.0));
        assert!(
            (r[0].2 - r[1].2).abs() <= 1.0,
            "equal widths ±1 px rounding"
        );
        same_twice(&two_bars(), bar);
    }

    #[test]
    fn stacked_segments_sit_on_each_other() {
        let input = BarInput {
            categories: vec!["2026-Q1".into(), "2026-Q2".into()],
            series: vec![
                Series {
                    name: "feature".into(),
                    values: vec![Some(1.0), Some(3.0)],
                },
                Series {
                    name: "tech-debt".into(),
                    values: vec![Some(1.0), None],
                },
            ],
            mode: BarMode::Stacked,
            reference_lines: vec![ReferenceLine {
                label: "Target".into(),
                value: 2.0,
                kind: ReferenceKind::Target,
            }],
            ..BarInput::default()
        };
        let chart = bar(&input);
        assert_well_formed(&chart.svg);
        let first = rects(&chart.svg, "tl-s1");
        let second = rects(&chart.svg, "tl-s2");
        assert_eq!((first.len(), second.len()), (2, 1), "None draws nothing");
        // The tech-debt segment of Q1 starts where the feature segment ends.
        assert_eq!(second[0].1 + second[0].3, first[0].1);
        assert!(
            (second[0].3 - first[0].3).abs() <= 1.0,
            "equal values, equal heights ±1 px"
        );
        assert!(chart.svg.contains("class=\"tl-target\""));
        assert!(chart.svg.contains(">feature</text>"), "legend");
        assert_eq!(chart.table.rows[0], ["2026-Q1", "1", "1"]);
        assert_eq!(chart.table.rows[1], ["2026-Q2", "3", "—"]);
        assert_eq!(chart.table.rows[2], ["Target", "2", ""]);
    }

    #[test]
    fn percent_axis_and_escaped_labels() {
        let input = BarInput {
            categories: vec!["<&>".into(), "b".into()],
            series: vec![Series {
                name: "say/do".into(),
                values: vec![Some(0.5), Some(1.0)],
            }],
            format: ValueFormat::percent(0),
            ..BarInput::default()
        };
        let chart = bar(&input);
        assert_well_formed(&chart.svg);
        assert!(chart.svg.contains(">&lt;&amp;&gt;</text>"));
        assert!(chart.svg.contains(">100%</text>") && chart.svg.contains(">0%</text>"));
        assert_eq!(chart.table.rows[1], ["b", "100%"]);
    }

    #[test]
    fn horizontal_bars_grow_right_and_keep_order() {
        let input = BarInput {
            categories: vec!["payments-api".into(), "search".into()],
            series: vec![Series {
                name: "incidents".into(),
                values: vec![Some(4.0), Some(2.0)],
            }],
            orientation: BarOrientation::Horizontal,
            ..BarInput::default()
        };
        let chart = bar(&input);
        assert_well_formed(&chart.svg);
        let r = rects(&chart.svg, "tl-s1");
        assert_eq!(r.len(), 2);
        assert!(r[0].1 < r[1].1, "first category on top");
        assert_eq!(r[0].0, r[1].0, "both start at zero");
        assert!((r[0].2 - 2.0 * r[1].2).abs() <= 1.0, "{r:?}");
    }

    #[test]
    fn empty_and_degenerate_inputs() {
        for input in [
            BarInput::default(),
            BarInput {
                categories: vec!["a".into()],
                series: vec![Series {
                    name: "x".into(),
                    values: vec![Some(f64::NAN)],
                }],
                ..BarInput::default()
            },
        ] {
            let chart = bar(&input);
            assert_well_formed(&chart.svg);
            assert!(chart.svg.contains(">No data</text>"));
        }
        let huge = BarInput {
            categories: vec!["a".into(), "b".into()],
            series: vec![Series {
                name: "slip".into(),
                values: vec![Some(-3.0), Some(f64::MAX)],
            }],
            mode: BarMode::Stacked,
            ..BarInput::default()
        };
        assert_well_formed(&bar(&huge).svg);
    }

    #[test]
    fn negative_bars_hang_below_the_zero_line() {
        let input = BarInput {
            categories: vec!["early".into(), "late".into()],
            series: vec![Series {
                name: "slip".into(),
                values: vec![Some(-3.0), Some(6.0)],
            }],
            ..BarInput::default()
        };
        let chart = bar(&input);
        assert_well_formed(&chart.svg);
        // Values −3..6: 9 ÷ 5 = 1.8 → steps of 2 from ⌊−3 ÷ 2⌋ × 2 = −4 to ⌈6 ÷ 2⌉ × 2 = 6.
        // No legend: the plot runs from y = 12 (6) to 212 (−4), 20 px a unit, so 0 is at
        // 212 − 4 × 20 = 132, 6 at 12 and −3 at 212 − 1 × 20 = 192.
        for tick in ["-4", "-2", "0", "2", "4", "6"] {
            assert!(
                chart.svg.contains(&format!(">{tick}</text>")),
                "tick {tick}"
            );
        }
        assert!(!chart.svg.contains(">8</text>") && !chart.svg.contains(">-6</text>"));
        let r = rects(&chart.svg, "tl-s1");
        assert_eq!(r.len(), 2);
        // −3 hangs from 132 down to 192; 6 stands from 132 up to 12.
        assert_eq!((r[0].1, r[0].3), (132.0, 60.0));
        assert_eq!((r[1].1, r[1].3), (12.0, 120.0));
        assert!(r[0].0 < r[1].0, "categories left to right");
        assert!(
            chart
                .svg
                .contains("<polyline class=\"tl-axis\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1\" points=\""),
        );
    }

    #[test]
    fn many_categories_get_few_labels() {
        let categories: Vec<String> = (1..=24).map(|i| format!("2026-{i:02}")).collect();
        let input = BarInput {
            categories: categories.clone(),
            series: vec![Series {
                name: "incidents".into(),
                values: (0..24).map(|i| Some(f64::from(i % 5))).collect(),
            }],
            ..BarInput::default()
        };
        let svg = bar(&input).svg;
        let shown = categories
            .iter()
            .filter(|c| svg.contains(&format!(">{c}</text>")))
            .count();
        assert!((3..=8).contains(&shown), "{shown}");
    }
}
