//! Scatter chart: labelled (x, y) points on equal axes with the y = x line, e.g. estimate vs
//! actual effort (points above the line took longer than estimated).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::layout::{self, FONT, RIGHT_PAD, ROW, SMALL, TOP_PAD, X_LABELS_H};
use super::svg::{self, Meta, Paint};
use super::{Chart, DataTable, ValueFormat};

const KIND: &str = "scatter";
const PLOT_H: i32 = 240;

/// One point; `label` names it in the table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScatterPoint {
    pub label: String,
    pub x: f64,
    pub y: f64,
}

/// Input of [`scatter`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScatterInput {
    pub title: String,
    pub description: String,
    /// Header of the table's label column; empty gives "Item".
    pub label_title: String,
    /// Axis titles, also the table's headers, e.g. "Estimate (days)"; empty gives "x" / "y".
    pub x_title: String,
    pub y_title: String,
    /// Points with a NaN or infinite coordinate are listed in the table but not drawn.
    pub points: Vec<ScatterPoint>,
    /// Label of the y = x line; empty gives "y = x".
    pub diagonal_label: String,
    /// Formats the table and both axes' tick labels.
    pub format: ValueFormat,
}

fn or_default(text: &str, default: &str) -> String {
    match svg::clean(text) {
        t if t.is_empty() => default.to_string(),
        t => t,
    }
}

/// Draw a scatter chart. Both axes share one range (from 0, or below if values are negative)
/// so the y = x line is the diagonal. The table lists every point in input order.
pub fn scatter(input: &ScatterInput) -> Chart {
    let title = svg::clean(&input.title);
    let description = svg::clean(&input.description);
    let x_title = or_default(&input.x_title, "x");
    let y_title = or_default(&input.y_title, "y");
    let table = DataTable {
        headers: vec![
            or_default(&input.label_title, "Item"),
            x_title.clone(),
            y_title.clone(),
        ],
        rows: input
            .points
            .iter()
            .map(|p| {
                vec![
                    svg::clean(&p.label),
                    input.format.format(Some(p.x)),
                    input.format.format(Some(p.y)),
                ]
            })
            .collect(),
    };
    let points: Vec<(f64, f64)> = input
        .points
        .iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .map(|p| (p.x, p.y))
        .collect();

    let draw = |width: u32| -> String {
        let top = ROW + TOP_PAD;
        let bottom = X_LABELS_H + ROW;
        let size = (width, (top + PLOT_H + 1 + bottom) as u32);
        let meta = Meta {
            kind: KIND,
            title: &title,
            description: &description,
            size,
        };
        if points.is_empty() {
            svg::no_data(&meta)
        } else {
            let (lo, hi) = points
                .iter()
                .flat_map(|p| [p.0, p.1])
                .fold((0.0, f64::NEG_INFINITY), |(lo, hi): (f64, f64), v| {
                    (lo.min(v), hi.max(v))
                });
            let ticks = layout::nice_ticks(lo, hi, 6, &input.format);
            let left = layout::left_margin(&ticks, &input.format);
            let range = (ticks.lo, ticks.hi);
            let diagonal =
                layout::truncate(&or_default(&input.diagonal_label, "y = x"), 160.0, SMALL);
            let x_title = layout::truncate(&x_title, 300.0, FONT);
            let y_title = layout::truncate(&y_title, 300.0, FONT);
            let rendered = svg::render(size, |root| {
                let mut chart = ChartBuilder::on(root)
                    .margin_left(left)
                    .margin_right(RIGHT_PAD)
                    .margin_top(top)
                    .margin_bottom(bottom)
                    .build_cartesian_2d(range.0..range.1, range.0..range.1)?;
                layout::draw_h_grid(&mut chart, &ticks, range)?;
                layout::draw_v_grid(&mut chart, &ticks, range)?;
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(range.0, range.1), (range.0, range.0), (range.1, range.0)],
                    Paint::Axis.stroke(1),
                )))?;
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(range.0, range.0), (range.1, range.1)],
                    Paint::Reference.stroke(2),
                )))?;
                let (dx, dy) = chart.backend_coord(&(range.1, range.1));
                root.draw(&Text::new(
                    diagonal.clone(),
                    (dx - 6, dy + 6),
                    Paint::Reference.text(SMALL, HPos::Right, VPos::Top),
                ))?;
                let dot = ShapeStyle {
                    color: Paint::Series(0).color().mix(0.8),
                    filled: true,
                    stroke_width: 1,
                };
                chart.draw_series(points.iter().map(|p| Circle::new(*p, 5, dot)))?;
                layout::draw_y_labels(root, &chart, &ticks, &input.format, range.0)?;
                layout::draw_x_value_labels(root, &chart, &ticks, &input.format, range.0)?;
                let (_, plot_bottom) = chart.backend_coord(&(range.0, range.0));
                let (plot_left, plot_top) = chart.backend_coord(&(range.0, range.1));
                let (plot_right, _) = chart.backend_coord(&(range.1, range.0));
                layout::draw_centered_label(
                    root,
                    &x_title,
                    (plot_left + plot_right) / 2,
                    plot_bottom + X_LABELS_H + 2,
                    FONT,
                    Paint::Text,
                )?;
                root.draw(&Text::new(
                    y_title.clone(),
                    (4, plot_top - ROW / 2 - 4),
                    Paint::Text.text(FONT, HPos::Left, VPos::Center),
                ))?;
                Ok(())
            });
            svg::finish(&meta, rendered)
        }
    };
    let [svg, svg_narrow] = layout::WIDTHS.map(draw);
    Chart {
        svg,
        svg_narrow,
        title,
        description,
        table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{
        assert_well_formed, attr, has_class, same_twice, start_tags,
    };

    fn input() -> ScatterInput {
        ScatterInput {
            title: "Estimate vs actual".into(),
            description: "Effort in working days.".into(),
            x_title: "Estimate (days)".into(),
            y_title: "Actual (days)".into(),
            points: vec![
                ScatterPoint {
                    label: "search <v2>".into(),
                    x: 5.0,
                    y: 10.0,
                },
                ScatterPoint {
                    label: "billing".into(),
                    x: 10.0,
                    y: 5.0,
                },
                ScatterPoint {
                    label: "broken".into(),
                    x: f64::NAN,
                    y: 1.0,
                },
            ],
            diagonal_label: "On estimate".into(),
            format: ValueFormat::number(1),
            ..ScatterInput::default()
        }
    }

    #[test]
    fn points_land_where_their_values_say() {
        let chart = scatter(&input());
        assert_well_formed(&chart.svg);
        let dots: Vec<(f64, f64)> = start_tags(&chart.svg)
            .iter()
            .filter(|t| t.0 == "circle" && has_class(t, "tl-s1"))
            .filter_map(|t| Some((attr(t, "cx")?, attr(t, "cy")?)))
            .collect();
        assert_eq!(dots.len(), 2, "the NaN point is not drawn");
        // (5, 10) and (10, 5) mirror each other across the diagonal of a square range: the
        // first is left of and above the second by the same number of units (±1 px rounding).
        assert!(dots[0].0 < dots[1].0 && dots[0].1 < dots[1].1);
        assert!(chart.svg.contains(">On estimate</text>"));
        assert!(chart.svg.contains("class=\"tl-ref\""));
        assert_eq!(
            chart.table.headers,
            ["Item", "Estimate (days)", "Actual (days)"]
        );
        assert_eq!(chart.table.rows[0], ["search <v2>", "5.0", "10.0"]);
        assert_eq!(chart.table.rows[2], ["broken", "—", "1.0"]);
        same_twice(&input(), scatter);
    }

    #[test]
    fn empty_says_no_data() {
        let chart = scatter(&ScatterInput::default());
        assert_well_formed(&chart.svg);
        assert!(chart.svg.contains(">No data</text>"));
    }
}
