//! Timeline (Gantt-like): one row per item with a bar from start to end, coloured by status,
//! over labelled periods (e.g. quarters) with lines at their boundaries.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::layout::{self, DateTick, FONT, LegendEntry, NARROW, ROW, SMALL, Swatch};
use super::svg::{self, Meta, Paint};
use super::{Chart, DataTable, Marker};
use jiff::civil::Date;

const KIND: &str = "timeline";
const ROW_H: i32 = 24;
/// Row height on the narrow drawing, where each label sits on its own line above its bar.
const STACKED_ROW_H: i32 = 42;
const RIGHT: i32 = 12;
/// The legend and table name of forecast ranges.
const FORECAST_LABEL: &str = "Forecast P50–P85";

/// The state a bar shows; each has its own class (`tl-st-*`) and legend entry. Planned bars
/// are outlined, the others filled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimelineStatus {
    #[default]
    Planned,
    InProgress,
    Shipped,
    /// Past its target and not shipped.
    Overdue,
    Paused,
    Cancelled,
}

impl TimelineStatus {
    pub const ALL: [TimelineStatus; 6] = [
        TimelineStatus::Planned,
        TimelineStatus::InProgress,
        TimelineStatus::Shipped,
        TimelineStatus::Overdue,
        TimelineStatus::Paused,
        TimelineStatus::Cancelled,
    ];

    /// The CSS class of bars in this status.
    pub fn class(self) -> &'static str {
        match self {
            TimelineStatus::Planned => "tl-st-planned",
            TimelineStatus::InProgress => "tl-st-in-progress",
            TimelineStatus::Shipped => "tl-st-shipped",
            TimelineStatus::Overdue => "tl-st-overdue",
            TimelineStatus::Paused => "tl-st-paused",
            TimelineStatus::Cancelled => "tl-st-cancelled",
        }
    }

    /// The legend and table text.
    pub fn label(self) -> &'static str {
        match self {
            TimelineStatus::Planned => "Planned",
            TimelineStatus::InProgress => "In progress",
            TimelineStatus::Shipped => "Shipped",
            TimelineStatus::Overdue => "Overdue",
            TimelineStatus::Paused => "Paused",
            TimelineStatus::Cancelled => "Cancelled",
        }
    }

    pub(crate) fn index(self) -> u8 {
        self as u8
    }
}

/// One row: an item and its date range (both ends inclusive).
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineRow {
    pub label: String,
    pub start: Date,
    /// Inclusive; an end before `start` is read as `start`.
    pub end: Date,
    pub status: TimelineStatus,
    /// A forecast range (P50 to P85, inclusive), drawn as an outlined band that continues the
    /// bar; listed in the table's last column.
    pub forecast: Option<(Date, Date)>,
}

/// A labelled span of the time axis, e.g. "2026-Q3" from 2026-07-01 to 2026-09-30 (inclusive).
#[derive(Clone, Debug, PartialEq)]
pub struct Period {
    pub label: String,
    pub start: Date,
    pub end: Date,
}

/// Input of [`timeline`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimelineInput {
    pub title: String,
    pub description: String,
    /// Drawn top to bottom in this order.
    pub rows: Vec<TimelineRow>,
    /// The window shown is the span of the periods; bars are clipped to it. Without periods,
    /// the window is the span of the rows, with date ticks instead of period labels.
    pub periods: Vec<Period>,
    /// Vertical lines with a label under the rows, e.g. "Today".
    pub markers: Vec<Marker>,
}

/// Draw a timeline. The table has one row per item (label, start, end, status, and the
/// forecast range when any row has one) and then one per marker (label, date).
pub fn timeline(input: &TimelineInput) -> Chart {
    let title = svg::clean(&input.title);
    let description = svg::clean(&input.description);
    let forecasts = input.rows.iter().any(|r| r.forecast.is_some());
    let mut rows: Vec<Vec<String>> = input
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![
                svg::clean(&r.label),
                layout::iso_date(r.start),
                layout::iso_date(r.end.max(r.start)),
                r.status.label().to_string(),
            ];
            if forecasts {
                row.push(r.forecast.map_or_else(String::new, |(a, b)| {
                    format!("{} – {}", layout::iso_date(a), layout::iso_date(b.max(a)))
                }));
            }
            row
        })
        .collect();
    rows.extend(input.markers.iter().map(|m| {
        let mut row = vec![
            svg::clean(&m.label),
            m.date.to_string(),
            String::new(),
            String::new(),
        ];
        if forecasts {
            row.push(String::new());
        }
        row
    }));
    let mut headers: Vec<String> = ["Item", "Start", "End", "Status"]
        .map(String::from)
        .to_vec();
    if forecasts {
        headers.push(FORECAST_LABEL.to_string());
    }
    let table = DataTable { headers, rows };
    let [svg, svg_narrow] = layout::WIDTHS.map(|width| {
        if input.rows.is_empty() {
            svg::no_data(&Meta {
                kind: KIND,
                title: &title,
                description: &description,
                size: (width, 120),
            })
        } else {
            let full = input.rows.iter().map(|r| &r.label);
            let full = full.chain(input.markers.iter().map(|m| &m.label));
            svg::title_cut_labels(draw(input, &title, &description, width), full)
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

/// Day range of a row, end exclusive.
fn span(start: Date, end: Date) -> (i64, i64) {
    let s = layout::day_number(start);
    (s, layout::day_number(end).max(s) + 1)
}

fn draw(input: &TimelineInput, title: &str, description: &str, width: u32) -> String {
    let n = input.rows.len();
    // On a phone-wide canvas a label column would leave the bars no room: each label goes on
    // its own line above its bar instead, across the whole width.
    let stacked = width <= NARROW;
    let (lo, hi) = if input.periods.is_empty() {
        input
            .rows
            .iter()
            .map(|r| span(r.start, r.end))
            .fold((i64::MAX, i64::MIN), |(lo, hi), (s, e)| {
                (lo.min(s), hi.max(e))
            })
    } else {
        input
            .periods
            .iter()
            .map(|p| span(p.start, p.end))
            .fold((i64::MAX, i64::MIN), |(lo, hi), (s, e)| {
                (lo.min(s), hi.max(e))
            })
    };
    let (x_lo, x_hi) = (lo as f64, hi.max(lo + 1) as f64);

    let labels: Vec<String> = input
        .rows
        .iter()
        .map(|r| {
            let room = if stacked {
                f64::from(width) - 8.0
            } else {
                f64::from(width) * 0.45
            };
            layout::truncate(&svg::clean(&r.label), room, FONT)
        })
        .collect();
    let left = if stacked {
        4
    } else {
        labels
            .iter()
            .map(|l| layout::text_width(l, FONT))
            .fold(0.0, f64::max)
            .ceil() as i32
            + 14
    };
    let right = width as i32 - RIGHT;
    let statuses: Vec<TimelineStatus> = TimelineStatus::ALL
        .into_iter()
        .filter(|s| input.rows.iter().any(|r| r.status == *s))
        .collect();
    let mut entries: Vec<LegendEntry> = statuses
        .iter()
        .map(|s| LegendEntry {
            label: s.label().to_string(),
            paint: Paint::Status(*s),
            swatch: if *s == TimelineStatus::Planned {
                Swatch::Outline
            } else {
                Swatch::Fill
            },
        })
        .collect();
    if input.rows.iter().any(|r| r.forecast.is_some()) {
        entries.push(LegendEntry {
            label: FORECAST_LABEL.to_string(),
            paint: Paint::Reference,
            swatch: Swatch::Outline,
        });
    }
    let legend = layout::legend(entries, 4, right);
    let period_row_top = 4 + legend.rows * ROW;
    let top = period_row_top + ROW + 4;
    let markers: Vec<&Marker> = input
        .markers
        .iter()
        .filter(|m| (lo..hi).contains(&layout::day_number(m.date)))
        .collect();
    let bottom = if markers.is_empty() { 8 } else { ROW + 8 };
    let plot_h = layout::rows_height(n, if stacked { STACKED_ROW_H } else { ROW_H });
    let size = (width, layout::total_height(&[top, plot_h, 1, bottom]));
    // A bar's extent across its row, in rows; stacked rows keep the upper part for the label.
    let (bar_lo, bar_hi) = if stacked { (-0.42, 0.0) } else { (-0.3, 0.3) };
    // Row i is centred at y = n - i - 0.5 so the first row is at the top.
    let centre = |i: usize| n as f64 - i as f64 - 0.5;

    let rendered = svg::render(size, |root| {
        let chart = ChartBuilder::on(root)
            .margin_left(left)
            .margin_right(RIGHT)
            .margin_top(top)
            .margin_bottom(bottom)
            .build_cartesian_2d(x_lo..x_hi, 0.0..n as f64)?;
        let px = |day: f64| chart.backend_coord(&(day, 0.0)).0;
        let (_, plot_bottom) = chart.backend_coord(&(x_lo, 0.0));
        let label_y = period_row_top + ROW / 2;

        // Row separators, then period boundaries and labels (or date ticks without periods).
        let plot = chart.plotting_area();
        for i in 0..=n {
            plot.draw(&PathElement::new(
                vec![(x_lo, i as f64), (x_hi, i as f64)],
                Paint::Grid.stroke(1),
            ))?;
        }
        let mut boundaries: Vec<i64> = Vec::new();
        if input.periods.is_empty() {
            let fit = |t: &[DateTick]| {
                let placed: Vec<(f64, f64)> = t
                    .iter()
                    .map(|t| {
                        (
                            f64::from(px(t.day as f64)),
                            layout::text_width(&t.label, FONT),
                        )
                    })
                    .collect();
                layout::labels_fit(&placed, 10.0)
            };
            for tick in layout::date_ticks(lo, hi - 1, fit) {
                boundaries.push(tick.day);
                let x = px(tick.day as f64);
                root.draw(&Text::new(
                    tick.label,
                    (x + 3, label_y),
                    Paint::Muted.text(FONT, HPos::Left, VPos::Center),
                ))?;
            }
        } else {
            for period in &input.periods {
                let (s, e) = span(period.start, period.end);
                boundaries.extend([s, e]);
                let (a, b) = (px(s.max(lo) as f64), px(e.min(hi) as f64));
                if b - a < 24 {
                    continue;
                }
                let text = layout::truncate(&svg::clean(&period.label), f64::from(b - a - 6), FONT);
                root.draw(&Text::new(
                    text,
                    ((a + b) / 2, label_y),
                    Paint::Text.text(FONT, HPos::Center, VPos::Center),
                ))?;
            }
        }
        boundaries.sort_unstable();
        boundaries.dedup();
        for day in boundaries.into_iter().filter(|d| (lo..=hi).contains(d)) {
            let x = px(day as f64);
            root.draw(&PathElement::new(
                vec![(x, period_row_top + 2), (x, plot_bottom)],
                Paint::Axis.stroke(1),
            ))?;
        }

        for (i, row) in input.rows.iter().enumerate() {
            let (s, e) = span(row.start, row.end);
            let (s, e) = (s.max(lo), e.min(hi));
            if s >= e {
                continue;
            }
            let paint = Paint::Status(row.status);
            let style = if row.status == TimelineStatus::Planned {
                paint.stroke(2)
            } else {
                paint.fill()
            };
            let c = centre(i);
            plot.draw(&Rectangle::new(
                [(s as f64, c + bar_lo), (e as f64, c + bar_hi)],
                style,
            ))?;
        }
        // Forecast ranges: a thin outlined band from P50 to P85, joined to the bar's end.
        for (i, row) in input.rows.iter().enumerate() {
            let Some((p50, p85)) = row.forecast else {
                continue;
            };
            let (s, e) = span(p50, p85);
            let (s, e) = (s.max(lo), e.min(hi));
            if s >= e {
                continue;
            }
            let c = centre(i);
            let bar_end = span(row.start, row.end).1.clamp(lo, hi);
            if bar_end < s {
                plot.draw(&PathElement::new(
                    vec![(bar_end as f64, c), (s as f64, c)],
                    Paint::Reference.stroke(1),
                ))?;
            }
            plot.draw(&Rectangle::new(
                [(s as f64, c - 0.15), (e as f64, c + 0.15)],
                Paint::Reference.stroke(2),
            ))?;
        }
        for (i, label) in labels.iter().enumerate() {
            let at = if stacked { centre(i) + 0.24 } else { centre(i) };
            let (_, y) = chart.backend_coord(&(x_lo, at));
            root.draw(&Text::new(
                label.clone(),
                (4, y),
                Paint::Text.text(FONT, HPos::Left, VPos::Center),
            ))?;
        }
        for marker in &markers {
            let x = px(layout::day_number(marker.date) as f64);
            root.draw(&PathElement::new(
                vec![(x, top), (x, plot_bottom + 4)],
                Paint::Marker.stroke(2),
            ))?;
            let text = layout::truncate(&svg::clean(&marker.label), f64::from(width) * 0.6, SMALL);
            layout::draw_centered_label(root, &text, x, plot_bottom + 6, SMALL, Paint::Marker)?;
        }
        layout::draw_legend(root, &legend, 4)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::{
        assert_well_formed, attr, has_class, same_twice, start_tags,
    };
    use jiff::civil::date;

    fn quarter() -> TimelineInput {
        TimelineInput {
            title: "2026-Q3".into(),
            description: "Roadmap items active in the quarter.".into(),
            rows: vec![
                TimelineRow {
                    label: "Checkout <v2> & co".into(),
                    start: date(2026, 6, 1),
                    end: date(2026, 8, 15),
                    status: TimelineStatus::Shipped,
                    forecast: None,
                },
                TimelineRow {
                    label: "Search v2".into(),
                    start: date(2026, 8, 1),
                    end: date(2026, 11, 30),
                    status: TimelineStatus::InProgress,
                    forecast: None,
                },
                TimelineRow {
                    label: "Billing".into(),
                    start: date(2026, 9, 1),
                    end: date(2026, 9, 30),
                    status: TimelineStatus::Planned,
                    forecast: None,
                },
                TimelineRow {
                    label: "Old thing".into(),
                    start: date(2025, 1, 1),
                    end: date(2025, 2, 1),
                    status: TimelineStatus::Cancelled,
                    forecast: None,
                },
            ],
            periods: vec![Period {
                label: "2026-Q3".into(),
                start: date(2026, 7, 1),
                end: date(2026, 9, 30),
            }],
            markers: vec![Marker {
                label: "Today".into(),
                date: date(2026, 8, 14),
            }],
        }
    }

    #[test]
    fn bars_are_clipped_to_the_periods_and_classed_by_status() {
        let chart = timeline(&quarter());
        assert_well_formed(&chart.svg);
        let tags = start_tags(&chart.svg);
        let bar = |class: &str| {
            tags.iter()
                .filter(|t| t.0 == "rect" && has_class(t, class))
                .filter_map(|t| Some((attr(t, "x")?, attr(t, "width")?)))
                .collect::<Vec<_>>()
        };
        let shipped = bar("tl-st-shipped");
        let active = bar("tl-st-in-progress");
        let planned = bar("tl-st-planned");
        // Legend swatches are 12 wide; bars are the wider rects.
        let widest = |v: Vec<(f64, f64)>| {
            v.into_iter()
                .fold((0.0, 0.0), |a, b| if b.1 > a.1 { b } else { a })
        };
        let (sx, sw) = widest(shipped);
        let (ax, aw) = widest(active);
        let (px, pw) = widest(planned);
        // The window is 2026-Q3, 07-01 up to 10-01: 31 + 31 + 30 = 92 days, drawn from the
        // plot's left edge L (where the row lines start) to 440 − 12 − 1 = 427; day d of the
        // window sits at L + ⌊(427 − L) × d ÷ 92⌋.
        let grid = tags
            .iter()
            .find(|t| t.0 == "polyline" && has_class(t, "tl-grid"))
            .and_then(|t| t.1.iter().find(|a| a.0 == "points"))
            .map(|a| a.1.clone())
            .unwrap_or_default();
        let ends: Vec<f64> = grid
            .split_whitespace()
            .filter_map(|p| p.split_once(',').and_then(|(x, _)| x.parse().ok()))
            .collect();
        let (left, right) = (ends[0], ends[1]);
        // The wide drawing: 560 − 12 − 1.
        assert_eq!(right, 547.0);
        let at = |day: f64| left + ((right - left) * day / 92.0 + 1e-3).floor();
        // Shipped 06-01…08-15, clipped at 07-01: days 0 up to 08-16 = 31 + 15 = 46.
        assert_eq!((sx, sx + sw), (left, at(46.0)));
        // In progress 08-01…11-30, clipped at the end: day 31 up to 92.
        assert_eq!((ax, ax + aw), (at(31.0), right));
        // Planned 09-01…09-30: day 31 + 31 = 62 up to 92.
        assert_eq!((px, px + pw), (at(62.0), right));
        assert!(
            bar("tl-st-cancelled").len() <= 1,
            "outside the window: only a legend swatch"
        );
        assert!(chart.svg.contains("Checkout &lt;v2&gt; &amp; co"));
        assert!(chart.svg.contains(">2026-Q3</text>"));
        assert!(chart.svg.contains(">Today</text>"));
        assert_eq!(
            chart.table.rows[0],
            ["Checkout <v2> & co", "2026-06-01", "2026-08-15", "Shipped"]
        );
        assert_eq!(chart.table.rows[4], ["Today", "2026-08-14", "", ""]);
        same_twice(&quarter(), timeline);
    }

    #[test]
    fn without_periods_the_rows_set_the_window() {
        let mut input = quarter();
        input.periods.clear();
        input.rows[1].end = date(2020, 1, 1); // end before start: one day
        let chart = timeline(&input);
        assert_well_formed(&chart.svg);
        assert_eq!(chart.table.rows[1][2], "2026-08-01");
        // The window runs from the earliest start, 2025-01-01 (Old thing), to the day after
        // the latest end, 2026-10-01 (Billing ends 09-30): 365 + 273 = 638 days, so Old thing
        // starts at the left edge, Billing ends at the right edge (440 − 12 − 1 = 427), and the
        // one-day Search v2 (08-01, day 365 + 212 = 577) is one day wide.
        let tags = start_tags(&chart.svg);
        let bars = |class: &str| {
            tags.iter()
                .filter(|t| t.0 == "rect" && has_class(t, class))
                // Legend swatches sit above the period row; bars below it.
                .filter(|t| attr(t, "y").is_some_and(|y| y > 50.0))
                .filter_map(|t| Some((attr(t, "x")?, attr(t, "width")?)))
                .collect::<Vec<_>>()
        };
        let old = bars("tl-st-cancelled");
        let billing = bars("tl-st-planned");
        assert_eq!(old.len(), 1, "{old:?}");
        assert_eq!(billing.len(), 1, "{billing:?}");
        let (left, right) = (old[0].0, billing[0].0 + billing[0].1);
        // The wide drawing: 560 − 12 − 1.
        assert_eq!(right, 547.0);
        let at = |day: f64| left + ((right - left) * day / 638.0 + 1e-3).floor();
        // Old thing: 01-01 up to 02-02, 32 days.
        assert_eq!(old[0].1, at(32.0) - left);
        // Billing from 09-01: day 365 + 243 = 608.
        assert_eq!(billing[0].0, at(608.0));
        let search = bars("tl-st-in-progress");
        assert_eq!(search, [(at(577.0), at(578.0) - at(577.0))]);
    }

    #[test]
    fn forecast_ranges_continue_the_bars_and_join_the_table() {
        let mut input = quarter();
        input.rows[1].forecast = Some((date(2026, 9, 10), date(2026, 9, 25)));
        let chart = timeline(&input);
        assert_well_formed(&chart.svg);
        assert_eq!(chart.table.headers[4], "Forecast P50–P85");
        assert_eq!(chart.table.rows[1][4], "2026-09-10 – 2026-09-25");
        assert_eq!(chart.table.rows[0][4], "");
        assert_eq!(chart.table.rows[4].len(), 5);
        assert!(chart.svg.contains(">Forecast P50–P85</text>"));
        let bands = start_tags(&chart.svg)
            .into_iter()
            .filter(|t| t.0 == "rect" && has_class(t, "tl-ref"))
            .count();
        // the band and the legend swatch
        assert_eq!(bands, 2);
        // without forecasts nothing changes
        assert_eq!(timeline(&quarter()).table.headers.len(), 4);
    }

    #[test]
    fn empty_says_no_data() {
        let chart = timeline(&TimelineInput::default());
        assert_well_formed(&chart.svg);
        assert!(chart.svg.contains(">No data</text>"));
    }
}
