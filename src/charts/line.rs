//! Line chart: one or more series over dates or categories, with reference lines (baseline,
//! target) and vertical markers at dates (deadline, ship dates).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::layout::{
    self, CategoryAxis, DateTick, FONT, LegendEntry, PLOT_H, RIGHT_PAD, ROW, SMALL, Swatch,
    TOP_PAD, Ticks, X_LABELS_H, XY,
};
use super::svg::{self, DrawError, Meta, Paint, Root};
use super::{Chart, DataTable, Marker, ReferenceLine, Series, ValueFormat, XAxis};

const KIND: &str = "line";

/// Input of [`line`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineInput {
    pub title: String,
    pub description: String,
    /// Header of the table's x column, e.g. "Month"; empty gives "Date" or "Category".
    pub x_title: String,
    /// Dates are placed by time and drawn in date order; categories evenly, in the given order.
    pub x: XAxis,
    /// Series values align with `x`; gaps (None, NaN, ±inf) break the line.
    pub series: Vec<Series>,
    /// Horizontal lines across the plot, labelled "label value" at the right end.
    pub reference_lines: Vec<ReferenceLine>,
    /// Vertical lines at dates, labelled at the top; drawn (and tabled) on date axes only.
    pub markers: Vec<Marker>,
    /// Formats the table, the tick labels and the reference-line labels.
    pub format: ValueFormat,
    /// Start the y axis at zero (durations, counts) instead of fitting the data (outcomes).
    pub include_zero: bool,
    /// Each value holds until the next point, where the line steps to the new value (a
    /// target date re-planned); the table lists the given points only.
    pub steps: bool,
}

/// Draw a line chart. The table has one row per x value (in date order on date axes), one
/// column per series, a "Note" column with marker labels when there are markers, and one row
/// per reference line at the end.
pub fn line(input: &LineInput) -> Chart {
    let title = svg::clean(&input.title);
    let description = svg::clean(&input.description);
    let order = x_order(&input.x);
    let table = table(input, &order);
    let has_data = input
        .series
        .iter()
        .any(|s| (0..input.x.len()).any(|i| s.value(i).is_some()));
    let [svg, svg_narrow] = layout::WIDTHS.map(|width| {
        if has_data {
            let full = input.markers.iter().map(|m| &m.label);
            let full = full.chain(input.series.iter().map(|s| &s.name));
            let full = full.chain(input.reference_lines.iter().map(|r| &r.label));
            svg::title_cut_labels(draw(input, &order, &title, &description, width), full)
        } else {
            svg::no_data(&Meta {
                kind: KIND,
                title: &title,
                description: &description,
                size: (width, (TOP_PAD + PLOT_H + 1 + X_LABELS_H) as u32),
            })
        }
    });
    Chart {
        svg,
        svg_narrow,
        title,
        description,
        table,
    }
}

/// Indices of `x` in drawing order: by date on date axes (stable), as given otherwise.
fn x_order(x: &XAxis) -> Vec<usize> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    if let XAxis::Dates(dates) = x {
        order.sort_by_key(|i| dates.get(*i).map(|d| layout::day_number(*d)));
    }
    order
}

fn series_name(series: &Series, i: usize) -> String {
    let name = svg::clean(&series.name);
    if name.is_empty() {
        format!("Series {}", i + 1)
    } else {
        name
    }
}

fn markers_on_axis(input: &LineInput) -> &[Marker] {
    match input.x {
        XAxis::Dates(_) => &input.markers,
        XAxis::Categories(_) => &[],
    }
}

fn table(input: &LineInput, order: &[usize]) -> DataTable {
    let markers = markers_on_axis(input);
    let x_title = match (svg::clean(&input.x_title), &input.x) {
        (t, _) if !t.is_empty() => t,
        (_, XAxis::Dates(_)) => "Date".to_string(),
        (_, XAxis::Categories(_)) => "Category".to_string(),
    };
    let mut headers = vec![x_title];
    headers.extend(
        input
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| series_name(s, i)),
    );
    if !markers.is_empty() {
        headers.push("Note".to_string());
    }
    let columns = headers.len();

    // (sort key, row); date rows and marker-only rows interleave by date.
    let mut keyed: Vec<(i64, Vec<String>)> = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        let mut row = vec![input.x.label(i)];
        row.extend(input.series.iter().map(|s| input.format.format(s.value(i))));
        let key = match &input.x {
            XAxis::Dates(d) => d.get(i).map(|d| layout::day_number(*d)).unwrap_or(0),
            XAxis::Categories(_) => pos as i64,
        };
        if !markers.is_empty() {
            row.push(String::new());
        }
        keyed.push((key, row));
    }
    let mut markers: Vec<&Marker> = markers.iter().collect();
    markers.sort_by_key(|m| layout::day_number(m.date));
    for marker in markers {
        let day = layout::day_number(marker.date);
        let label = svg::clean(&marker.label);
        match keyed.iter_mut().find(|(k, _)| *k == day) {
            Some((_, row)) => {
                if let Some(note) = row.last_mut() {
                    if !note.is_empty() {
                        note.push_str("; ");
                    }
                    note.push_str(&label);
                }
            }
            None => {
                let mut row = vec![marker.date.to_string()];
                row.resize(columns - 1, String::new());
                row.push(label);
                keyed.push((day, row));
            }
        }
    }
    keyed.sort_by_key(|(k, _)| *k);
    let mut rows: Vec<Vec<String>> = keyed.into_iter().map(|(_, r)| r).collect();
    for (value, label) in input
        .reference_lines
        .iter()
        .filter(|r| r.value.is_finite())
        .map(|r| (r.value, svg::clean(&r.label)))
    {
        let mut row = vec![label, input.format.format(Some(value))];
        row.resize(columns, String::new());
        rows.push(row);
    }
    DataTable { headers, rows }
}

/// A marker's line position and, if there was room, its label's place.
struct PlacedMarker {
    day: f64,
    label: Option<(String, i32, HPos, i32)>,
}

const MAX_MARKER_ROWS: usize = 3;

fn draw(input: &LineInput, order: &[usize], title: &str, description: &str, width: u32) -> String {
    let n = input.x.len();
    // x positions in data units: day numbers or category indices.
    let xs: Vec<f64> = match &input.x {
        XAxis::Dates(d) => d.iter().map(|d| layout::day_number(*d) as f64).collect(),
        XAxis::Categories(_) => (0..n).map(|i| i as f64).collect(),
    };
    let markers = markers_on_axis(input);
    let (x_lo, x_hi) = match &input.x {
        XAxis::Dates(_) => {
            let days = xs
                .iter()
                .copied()
                .chain(markers.iter().map(|m| layout::day_number(m.date) as f64));
            let (lo, hi) = days.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), d| {
                (lo.min(d), hi.max(d))
            });
            if hi > lo {
                let pad = ((hi - lo) * 0.03).max(1.0);
                (lo - pad, hi + pad)
            } else {
                (lo - 15.0, hi + 15.0)
            }
        }
        XAxis::Categories(_) => (-0.5, n as f64 - 0.5),
    };

    let references = layout::reference_labels(&input.reference_lines, &input.format);
    let values = input
        .series
        .iter()
        .flat_map(|s| (0..n).filter_map(|i| s.value(i)))
        .chain(references.iter().map(|r| r.0))
        .chain(input.include_zero.then_some(0.0));
    let (y_lo, y_hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let ticks = layout::nice_ticks(y_lo, y_hi, 6, &input.format);

    let left = layout::left_margin(&ticks, &input.format);
    let right = width as i32 - RIGHT_PAD;
    // Series (when there are several), then the reference lines: their labels would otherwise
    // sit on the data.
    let mut entries: Vec<LegendEntry> = Vec::new();
    if input.series.len() > 1 {
        entries.extend(input.series.iter().enumerate().map(|(i, s)| LegendEntry {
            label: series_name(s, i),
            paint: Paint::Series(i),
            swatch: Swatch::Line,
        }));
    }
    entries.extend(references.iter().map(|(_, label, paint)| LegendEntry {
        label: label.clone(),
        paint: *paint,
        swatch: Swatch::Line,
    }));
    let legend = layout::legend(entries, 4, right);
    let to_px = |x: f64| left as f64 + (x - x_lo) / (x_hi - x_lo) * f64::from(right - left - 1);
    let placed = place_markers(markers, &to_px, left, right);
    let marker_rows = placed
        .iter()
        .filter_map(|m| m.label.as_ref().map(|l| l.3 + 1))
        .max()
        .unwrap_or(0);
    let legend_top = 4;
    let markers_top = legend_top + legend.rows * ROW;
    let top = markers_top + marker_rows * ROW + TOP_PAD;
    let categories = match &input.x {
        XAxis::Categories(_) => {
            let labels: Vec<String> = (0..n).map(|i| input.x.label(i)).collect();
            Some(CategoryAxis::new(&labels, f64::from(right - left)))
        }
        XAxis::Dates(_) => None,
    };
    let bottom = X_LABELS_H + categories.as_ref().map_or(0, CategoryAxis::extra_height);
    let height = top + PLOT_H + 1 + bottom;
    let size = (width, height as u32);

    let rendered = svg::render(size, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin_left(left)
            .margin_right(RIGHT_PAD)
            .margin_top(top)
            .margin_bottom(bottom)
            .build_cartesian_2d(x_lo..x_hi, ticks.lo..ticks.hi)?;
        layout::draw_h_grid(&mut chart, &ticks, (x_lo, x_hi))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x_lo, ticks.lo), (x_hi, ticks.lo)],
            Paint::Axis.stroke(1),
        )))?;
        draw_markers(root, &chart, &placed, &ticks, markers_top)?;
        layout::draw_h_reference_lines(&mut chart, &references, (x_lo, x_hi))?;
        draw_series(&mut chart, input, order, &xs)?;
        layout::draw_y_labels(root, &chart, &ticks, &input.format, x_lo)?;
        draw_x_labels(
            root,
            &chart,
            input,
            categories.as_ref(),
            (x_lo, x_hi),
            &ticks,
        )?;
        layout::draw_legend(root, &legend, legend_top)?;
        Ok(())
    });
    svg::finish(
        &Meta {
            kind: KIND,
            title,
            description,
            size,
        },
        rendered,
    )
}

/// Give each marker label a row (up to three) where it does not overlap its neighbours;
/// labels with no room are left off (the table still lists them).
fn place_markers(
    markers: &[Marker],
    to_px: &dyn Fn(f64) -> f64,
    left: i32,
    right: i32,
) -> Vec<PlacedMarker> {
    let mut sorted: Vec<&Marker> = markers.iter().collect();
    sorted.sort_by_key(|m| layout::day_number(m.date));
    let mut row_ends = [f64::NEG_INFINITY; MAX_MARKER_ROWS];
    sorted
        .into_iter()
        .map(|m| {
            let day = layout::day_number(m.date) as f64;
            let px = to_px(day);
            let text =
                layout::truncate(&svg::clean(&m.label), f64::from(right - left) * 0.6, SMALL);
            let w = layout::text_width(&text, SMALL);
            let (start, anchor_x, h) = if px + 4.0 + w <= f64::from(right) {
                (px + 4.0, px + 4.0, HPos::Left)
            } else {
                (
                    (px - 4.0 - w).max(f64::from(left) - 8.0),
                    px - 4.0,
                    HPos::Right,
                )
            };
            let row = row_ends.iter().position(|end| *end + 8.0 <= start);
            let label = match row {
                Some(r) if !text.is_empty() => {
                    row_ends[r] = start + w;
                    Some((text, anchor_x.round() as i32, h, r as i32))
                }
                _ => None,
            };
            PlacedMarker { day, label }
        })
        .collect()
}

fn draw_markers(
    root: &Root<'_>,
    chart: &XY<'_, '_>,
    placed: &[PlacedMarker],
    ticks: &Ticks,
    markers_top: i32,
) -> Result<(), DrawError> {
    for marker in placed {
        let (px, bottom) = chart.backend_coord(&(marker.day, ticks.lo));
        let (_, plot_top) = chart.backend_coord(&(marker.day, ticks.hi));
        let label_y = marker
            .label
            .as_ref()
            .map(|l| markers_top + l.3 * ROW + ROW / 2);
        let line_top = label_y.map(|y| y + 7).unwrap_or(plot_top);
        root.draw(&PathElement::new(
            vec![(px, line_top), (px, bottom)],
            Paint::Marker.stroke(1),
        ))?;
        if let (Some((text, x, h, _)), Some(y)) = (&marker.label, label_y) {
            root.draw(&Text::new(
                text.clone(),
                (*x, y),
                Paint::Marker.text(SMALL, *h, VPos::Center),
            ))?;
        }
    }
    Ok(())
}

fn draw_series(
    chart: &mut XY<'_, '_>,
    input: &LineInput,
    order: &[usize],
    xs: &[f64],
) -> Result<(), DrawError> {
    for (si, series) in input.series.iter().enumerate() {
        let paint = Paint::Series(si);
        // Runs of consecutive present values, in drawing order.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for &i in order {
            match (series.value(i), xs.get(i)) {
                (Some(v), Some(x)) => {
                    if let Some(run) = runs.last_mut() {
                        run.push((*x, v));
                    }
                }
                _ => runs.push(Vec::new()),
            }
        }
        let points: usize = runs.iter().map(Vec::len).sum();
        for run in runs.iter().filter(|r| r.len() > 1) {
            let line = if input.steps {
                stepped(run)
            } else {
                run.clone()
            };
            chart.draw_series(LineSeries::new(line, paint.stroke(2)))?;
        }
        // Dots on every point while they stay readable; lone points always need one.
        let dots = runs
            .iter()
            .filter(|r| points <= 40 || r.len() == 1)
            .flatten()
            .map(|p| Circle::new(*p, 3, paint.fill()));
        chart.draw_series(dots)?;
    }
    Ok(())
}

/// The corners of a step line through `points`: each value held until the next x.
fn stepped(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for (i, &(x, y)) in points.iter().enumerate() {
        if let Some(&(_, before)) = i.checked_sub(1).and_then(|p| points.get(p)) {
            out.push((x, before));
        }
        out.push((x, y));
    }
    out
}

fn draw_x_labels(
    root: &Root<'_>,
    chart: &XY<'_, '_>,
    input: &LineInput,
    categories: Option<&CategoryAxis>,
    x_range: (f64, f64),
    ticks: &Ticks,
) -> Result<(), DrawError> {
    let px = |x: f64| chart.backend_coord(&(x, ticks.lo));
    match &input.x {
        XAxis::Dates(_) => {
            let lo = x_range.0.ceil() as i64;
            let hi = x_range.1.floor() as i64;
            let fit = |t: &[DateTick]| {
                let placed: Vec<(f64, f64)> = t
                    .iter()
                    .map(|t| {
                        (
                            f64::from(px(t.day as f64).0),
                            layout::text_width(&t.label, FONT),
                        )
                    })
                    .collect();
                layout::labels_fit(&placed, 10.0)
            };
            for tick in layout::date_ticks(lo, hi, fit) {
                let (x, y) = px(tick.day as f64);
                root.draw(&PathElement::new(
                    vec![(x, y), (x, y + 4)],
                    Paint::Axis.stroke(1),
                ))?;
                layout::draw_centered_label(root, &tick.label, x, y + 7, FONT, Paint::Muted)?;
            }
        }
        XAxis::Categories(_) => {
            if let Some(axis) = categories {
                axis.draw(root, |i| px(i as f64))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{assert_well_formed, has_class, same_twice, start_tags};
    use crate::charts::{ReferenceKind, Series};
    use jiff::civil::date;

    fn outcome() -> LineInput {
        LineInput {
            title: "Checkout abandonment".into(),
            description: "Monthly measurements against baseline and target.".into(),
            x: XAxis::Dates(vec![date(2026, 3, 1), date(2026, 1, 10), date(2026, 2, 1)]),
            series: vec![Series {
                name: "Abandonment".into(),
                values: vec![Some(0.31), Some(0.35), None],
            }],
            reference_lines: vec![
                ReferenceLine {
                    label: "Baseline".into(),
                    value: 0.35,
                    kind: ReferenceKind::Baseline,
                },
                ReferenceLine {
                    label: "Target".into(),
                    value: 0.25,
                    kind: ReferenceKind::Target,
                },
            ],
            markers: vec![
                Marker {
                    label: "Deadline".into(),
                    date: date(2026, 6, 30),
                },
                Marker {
                    label: "Ship <one> & \"two\"".into(),
                    date: date(2026, 2, 1),
                },
            ],
            format: ValueFormat::percent(1),
            ..LineInput::default()
        }
    }

    #[test]
    fn outcome_trend_renders_with_markers_and_references() {
        let chart = line(&outcome());
        assert_well_formed(&chart.svg);
        assert!(chart.svg.contains("class=\"tl-target\""));
        assert!(chart.svg.contains("class=\"tl-ref\""));
        assert!(chart.svg.contains("class=\"tl-marker\""));
        assert!(chart.svg.contains("Ship &lt;one&gt; &amp; &quot;two&quot;"));
        assert!(!chart.svg.contains("<one>"));
        assert!(chart.svg.contains(">Target 25.0%</text>"));
        same_twice(&outcome(), line);
    }

    #[test]
    fn table_is_in_date_order_with_notes_and_reference_rows() {
        let t = line(&outcome()).table;
        assert_eq!(t.headers, ["Date", "Abandonment", "Note"]);
        let rows: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            rows,
            [
                vec!["2026-01-10", "35.0%", ""],
                vec!["2026-02-01", "—", "Ship <one> & \"two\""],
                vec!["2026-03-01", "31.0%", ""],
                vec!["2026-06-30", "", "Deadline"],
                vec!["Baseline", "35.0%", ""],
                vec!["Target", "25.0%", ""],
            ]
        );
    }

    /// (x, y) pairs of the `points` attribute of the first `<polyline>` of `class`.
    fn polyline(svg: &str, class: &str) -> Vec<(i32, i32)> {
        start_tags(svg)
            .iter()
            .find(|t| t.0 == "polyline" && has_class(t, class))
            .and_then(|t| t.1.iter().find(|a| a.0 == "points"))
            .map(|a| {
                a.1.split_whitespace()
                    .filter_map(|p| {
                        let (x, y) = p.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn points_land_where_their_values_say() {
        let input = LineInput {
            x: XAxis::Categories(["a", "b", "c", "d", "e"].map(String::from).to_vec()),
            series: vec![Series {
                name: "n".into(),
                values: vec![Some(0.0), Some(2.5), Some(5.0), Some(7.5), Some(10.0)],
            }],
            include_zero: true,
            ..LineInput::default()
        };
        let chart = line(&input);
        assert_well_formed(&chart.svg);
        // Ticks of 0..10: 10 ÷ 5 = 2 → 0, 2, 4, 6, 8, 10. One series, no markers: no legend,
        // the plot starts at y = 4 + TOP_PAD 12 = 16 and spans PLOT_H 200 px, so a value v
        // sits at 216 − 200 × v ÷ 10: 216, 166, 116, 66, 16; tick t at 216 − 20 t.
        let points = polyline(&chart.svg, "tl-s1");
        let ys: Vec<i32> = points.iter().map(|p| p.1).collect();
        assert_eq!(ys, [216, 166, 116, 66, 16]);
        for (tick, y) in [
            ("0", 216),
            ("2", 176),
            ("4", 136),
            ("6", 96),
            ("8", 56),
            ("10", 16),
        ] {
            assert!(
                chart.svg.contains(&format!(
                    "y=\"{y}\" dy=\"0.5ex\" text-anchor=\"end\" font-family=\"sans-serif\" font-size=\"14\" fill=\"currentColor\">{tick}</text>"
                )),
                "tick {tick} at y = {y}"
            );
        }
        // Five categories share the plot's width evenly, each point in the middle of its
        // band: from the plot's left edge L (where the axis starts) to 560 − 16 − 1 = 543 (the wide
        // drawing),
        // category i sits at L + ⌊(i + ½) × (423 − L) ÷ 5⌋.
        let axis = polyline(&chart.svg, "tl-axis");
        let left = axis[0].0;
        assert_eq!(axis[1].0, 543, "the axis runs along 0");
        let xs: Vec<i32> = points.iter().map(|p| p.0).collect();
        let expected: Vec<i32> = (0..5)
            .map(|i| left + ((f64::from(i) + 0.5) * f64::from(543 - left) / 5.0).floor() as i32)
            .collect();
        assert_eq!(xs, expected);
        // The dots sit on the line.
        for (x, y) in points {
            assert!(
                chart
                    .svg
                    .contains(&format!("<circle class=\"tl-s1\" cx=\"{x}\" cy=\"{y}\""))
            );
        }
    }

    #[test]
    fn a_step_line_holds_each_value_until_the_next_point() {
        let input = LineInput {
            x: XAxis::Categories(["a", "b", "c"].map(String::from).to_vec()),
            series: vec![Series {
                name: "n".into(),
                values: vec![Some(0.0), Some(10.0), Some(5.0)],
            }],
            include_zero: true,
            steps: true,
            ..LineInput::default()
        };
        let chart = line(&input);
        // As above, a value v sits at y = 216 − 20 v: 0 → 216, 10 → 16, 5 → 116. The line
        // goes along at 0 to b's x, up to 10, along to c's x, down to 5.
        let points = polyline(&chart.svg, "tl-s1");
        let xs: Vec<i32> = points.iter().map(|p| p.0).collect();
        let ys: Vec<i32> = points.iter().map(|p| p.1).collect();
        assert_eq!(ys, [216, 216, 16, 16, 116]);
        assert_eq!((xs[1], xs[3]), (xs[2], xs[4]), "{points:?}");
        assert!(xs[0] < xs[1] && xs[2] < xs[3], "{points:?}");
        // Dots only where the values are, and one table row per value.
        assert_eq!(chart.svg.matches("<circle class=\"tl-s1\"").count(), 3);
        assert_eq!(chart.table.rows.len(), 3);
    }

    #[test]
    fn gaps_split_the_line() {
        let input = LineInput {
            title: "TTR".into(),
            x: XAxis::Categories(
                ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
                    .map(String::from)
                    .to_vec(),
            ),
            series: vec![Series {
                name: "TTR".into(),
                values: vec![Some(10.0), Some(20.0), None, Some(f64::NAN), Some(5.0)],
            }],
            include_zero: true,
            ..LineInput::default()
        };
        let chart = line(&input);
        assert_well_formed(&chart.svg);
        // One run of two points is a line; the lone last point is only a dot.
        assert_eq!(chart.svg.matches("<polyline class=\"tl-s1\"").count(), 1);
        assert_eq!(chart.svg.matches("<circle class=\"tl-s1\"").count(), 3);
        assert_eq!(chart.table.rows[3], ["2026-04", "—"]);
    }

    #[test]
    fn empty_and_all_missing_inputs_say_no_data() {
        for input in [
            LineInput::default(),
            LineInput {
                x: XAxis::Dates(vec![date(2026, 1, 1)]),
                series: vec![Series {
                    name: "x".into(),
                    values: vec![Some(f64::INFINITY)],
                }],
                ..LineInput::default()
            },
        ] {
            let chart = line(&input);
            assert_well_formed(&chart.svg);
            assert!(chart.svg.contains(">No data</text>"));
        }
    }

    #[test]
    fn many_categories_get_few_labels() {
        let months: Vec<String> = (0..36)
            .map(|i| format!("20{:02}-{:02}", 24 + i / 12, i % 12 + 1))
            .collect();
        let input = LineInput {
            x: XAxis::Categories(months.clone()),
            series: vec![Series {
                name: "TTD".into(),
                values: (0..36).map(|i| Some(f64::from(i))).collect(),
            }],
            ..LineInput::default()
        };
        let svg = line(&input).svg;
        let shown = months
            .iter()
            .filter(|m| svg.contains(&format!(">{m}</text>")))
            .count();
        assert!((3..=8).contains(&shown), "{shown} labels");
    }

    #[test]
    fn extreme_values_do_not_panic() {
        let input = LineInput {
            x: XAxis::Dates(vec![date(-9999, 1, 1), date(9999, 12, 31)]),
            series: vec![Series {
                name: "x".into(),
                values: vec![Some(-f64::MAX), Some(f64::MAX)],
            }],
            markers: vec![Marker {
                label: String::new(),
                date: date(2000, 1, 1),
            }],
            ..LineInput::default()
        };
        let svg = line(&input).svg;
        assert_well_formed(&svg);
        // The earliest date is drawn left of the latest.
        let points = polyline(&svg, "tl-s1");
        assert_eq!(points.len(), 2);
        assert!(points[0].0 < points[1].0, "{points:?}");
    }
}
