//! Layout shared by the chart kinds: sizes, text measuring, nice ticks, date ticks, legends and
//! the axis furniture (grid, tick labels, reference lines) drawn with plotters.

use jiff::civil::Date;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::svg::{DrawError, Paint, Root};
use super::{ReferenceKind, ReferenceLine, ValueFormat, svg};
use crate::metrics::calendar::{civil_from_days, days_from_civil};

/// ViewBox widths of every full-size chart: each is drawn twice and the page shows the one that
/// suits the width it has (see `figure.chart` in the theme's stylesheet). Text sizes are chosen
/// against them: the wide drawing is shown from 520 CSS px (the 13-unit labels are then
/// 13 × 520 / 560 ≈ 12.1 px), the narrow one below that, e.g. on a 390 px phone at about
/// 332 px (13 × 332 / 360 ≈ 12.0 px).
pub(crate) const WIDE: u32 = 560;
pub(crate) const NARROW: u32 = 360;
/// Both widths, in the order [`super::Chart`] holds them.
pub(crate) const WIDTHS: [u32; 2] = [WIDE, NARROW];
/// Tick labels, legend and category labels.
pub(crate) const FONT: f64 = 14.0;
/// Labels on reference lines and markers.
pub(crate) const SMALL: f64 = 13.0;
/// Height of one legend or label row.
pub(crate) const ROW: i32 = 22;
/// Height of the plotting area of line and vertical bar charts.
pub(crate) const PLOT_H: i32 = 200;
/// Space below the plot for x labels.
pub(crate) const X_LABELS_H: i32 = 28;
/// Space above the plot so the top tick label is not cut.
pub(crate) const TOP_PAD: i32 = 12;
/// Space right of the plot.
pub(crate) const RIGHT_PAD: i32 = 16;

/// Height of `n` rows of `row` units, saturating instead of overflowing on absurd counts.
pub(crate) fn rows_height(n: usize, row: i32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX).saturating_mul(row)
}

/// Sum of layout heights as a canvas height, saturating.
pub(crate) fn total_height(parts: &[i32]) -> u32 {
    let sum = parts.iter().fold(0i32, |a, b| a.saturating_add(*b));
    u32::try_from(sum).unwrap_or(0)
}

pub(crate) type XY<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Estimated width of `text` in viewBox units (sans-serif averages ~0.55 em; we round up).
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * size
}

/// Width of one character in ems, as [`text_width`] counts it: wide for CJK and beyond.
fn char_width(c: char) -> f64 {
    if u32::from(c) >= 0x2E80 { 1.0 } else { 0.6 }
}

/// Shorten `text` with an ellipsis so that it is at most `max_width` wide.
pub(crate) fn truncate(text: &str, max_width: f64, size: f64) -> String {
    if text_width(text, size) <= max_width {
        return text.to_string();
    }
    let budget = max_width - text_width("…", size);
    // The longest prefix whose width fits, summed in the same order as `text_width` sums.
    let mut width = 0.0;
    let end = text
        .char_indices()
        .find_map(|(i, c)| {
            width += char_width(c);
            (width * size > budget).then_some(i)
        })
        .unwrap_or(text.len());
    let kept = text[..end].trim_end();
    let mut out = String::with_capacity(kept.len() + '…'.len_utf8());
    out.push_str(kept);
    out.push('…');
    out
}

/// A value axis: its range (a multiple of the step at both ends), tick values, and how many
/// decimals the tick labels need.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub values: Vec<f64>,
    pub decimals: usize,
    /// Labels of date ticks ("Jul 2026", "Aug"); empty for ticks the format writes.
    pub names: Vec<String>,
}

impl Ticks {
    pub(crate) fn labels(&self, format: &ValueFormat) -> Vec<String> {
        if self.names.len() == self.values.len() && !self.names.is_empty() {
            return self.names.clone();
        }
        self.values
            .iter()
            .map(|v| format.format_with(*v, self.decimals))
            .collect()
    }

    pub(crate) fn max_label_width(&self, format: &ValueFormat) -> f64 {
        self.labels(format)
            .iter()
            .map(|l| text_width(l, FONT))
            .fold(0.0, f64::max)
    }
}

/// "Nice" ticks (steps of 1, 2 or 5 × 10^k) covering `lo..hi` with at most `max_ticks` ticks.
/// Values shown without decimals (counts: a plain number format with no decimals) tick at whole
/// numbers only. Non-finite or degenerate input gives a usable axis rather than a panic.
pub(crate) fn nice_ticks(lo: f64, hi: f64, max_ticks: usize, format: &ValueFormat) -> Ticks {
    if format.dates
        && let Some(ticks) = date_value_ticks(lo, hi, max_ticks)
    {
        return ticks;
    }
    let percent = format.percent;
    let whole = !format.percent && format.decimals == 0;
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    if hi == lo {
        if lo == 0.0 {
            hi = 1.0;
        } else {
            let pad = lo.abs() * 0.1;
            lo -= pad;
            hi += pad;
        }
    }
    let fallback = Ticks {
        lo,
        hi,
        values: vec![lo, hi],
        decimals: 2,
        names: Vec::new(),
    };
    let raw = (hi - lo) / (max_ticks.max(2) - 1) as f64;
    if !raw.is_finite() || raw <= 0.0 {
        return fallback;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let Some(step) = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
    else {
        return fallback;
    };
    let step = if whole { step.max(1.0) } else { step };
    let first = (lo / step + 1e-9).floor();
    let last = (hi / step - 1e-9).ceil();
    let count = last - first;
    if !step.is_finite() || step <= 0.0 || !count.is_finite() || !(0.0..=50.0).contains(&count) {
        return fallback;
    }
    let values: Vec<f64> = (0..=count as i64)
        .map(|i| (first + i as f64) * step)
        .collect();
    let shown_step = if percent { step * 100.0 } else { step };
    let decimals = (-(shown_step.log10() + 1e-9).floor()).clamp(0.0, 10.0) as usize;
    Ticks {
        lo: first * step,
        hi: last * step,
        values,
        decimals,
        names: Vec::new(),
    }
}

/// A value axis of dates (day numbers): the range padded by a twentieth (at least three days)
/// and at most `max_ticks` ticks on the finest of days, weeks, months, quarters or years
/// that gives at least two. None for ranges that are not dates.
fn date_value_ticks(lo: f64, hi: f64, max_ticks: usize) -> Option<Ticks> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if !(date_of_day(lo).is_some() && date_of_day(hi).is_some()) {
        return None;
    }
    let pad = ((hi - lo) * 0.05).max(3.0).round();
    let (lo, hi) = (lo.round() - pad, hi.round() + pad);
    let ticks = date_ticks(lo as i64, hi as i64, |t| {
        (2..=max_ticks.max(2)).contains(&t.len())
    });
    if ticks.is_empty() {
        return Some(Ticks {
            lo,
            hi,
            values: vec![lo, hi],
            decimals: 0,
            names: Vec::new(),
        });
    }
    Some(Ticks {
        lo,
        hi,
        values: ticks.iter().map(|t| t.day as f64).collect(),
        decimals: 0,
        names: ticks.into_iter().map(|t| t.label).collect(),
    })
}

/// The date of a day number (days since 1970-01-01), for day numbers of years 1–9999.
pub(crate) fn date_of_day(day: f64) -> Option<Date> {
    // 0001-01-01 and 9999-12-31.
    if !(-719_162.0..=2_932_896.0).contains(&day.round()) {
        return None;
    }
    let (y, m, d) = civil_from_days(day.round() as i64);
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// `date` as its `Display` writes it (`YYYY-MM-DD`), without the formatting machinery for
/// the years 0–9999; other years (written with a sign and six digits) go through `Display`.
pub(crate) fn iso_date(date: Date) -> String {
    let Ok(year) = u32::try_from(date.year()) else {
        return date.to_string();
    };
    if year > 9999 {
        return date.to_string();
    }
    let mut out = String::with_capacity(10);
    push_padded(&mut out, year, 4);
    out.push('-');
    push_padded(&mut out, u32::from(date.month().unsigned_abs()), 2);
    out.push('-');
    push_padded(&mut out, u32::from(date.day().unsigned_abs()), 2);
    out
}

/// The last `width` decimal digits of `n`, zero-padded.
fn push_padded(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Days since 1970-01-01 (proleptic Gregorian), exact for every `jiff` date.
pub(crate) fn day_number(date: Date) -> i64 {
    days_from_civil(
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_name(m: i64) -> &'static str {
    MONTHS[((m - 1).rem_euclid(12)) as usize]
}

/// A labelled tick on a date axis, at a day number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DateTick {
    pub day: i64,
    pub label: String,
}

#[derive(Clone, Copy)]
enum DateStep {
    Days(i64),
    Months(i64),
    Years(i64),
}

/// Ticks for the day range `lo..=hi`: the finest of days, weeks, months, quarters, half-years
/// and years whose labels `fit`. Month labels carry the year on the first tick and in January.
pub(crate) fn date_ticks(lo: i64, hi: i64, fit: impl Fn(&[DateTick]) -> bool) -> Vec<DateTick> {
    let span = (hi - lo).max(0);
    let mut steps = Vec::new();
    if span <= 120 {
        steps.extend([1, 2, 7, 14].map(DateStep::Days));
    }
    steps.extend([1, 2, 3, 6].map(DateStep::Months));
    steps.extend(
        [
            1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000,
        ]
        .map(DateStep::Years),
    );
    for step in steps {
        let approx_days = match step {
            DateStep::Days(n) => n as f64,
            DateStep::Months(n) => n as f64 * 30.4,
            DateStep::Years(n) => n as f64 * 365.2,
        };
        if span as f64 / approx_days > 60.0 {
            continue;
        }
        let ticks = date_ticks_with(lo, hi, step);
        if fit(&ticks) {
            return ticks;
        }
    }
    Vec::new()
}

fn date_ticks_with(lo: i64, hi: i64, step: DateStep) -> Vec<DateTick> {
    let mut ticks = Vec::new();
    match step {
        DateStep::Days(n) => {
            for day in lo..=hi {
                // Weekly ticks fall on Mondays (1970-01-05 was one); others on any day.
                let aligned = if n % 7 == 0 {
                    (day - 4).rem_euclid(n) == 0
                } else {
                    day.rem_euclid(n) == 0
                };
                if aligned {
                    let (_, m, d) = civil_from_days(day);
                    ticks.push(DateTick {
                        day,
                        label: format!("{} {}", month_name(m), d),
                    });
                }
            }
        }
        DateStep::Months(n) => {
            let (mut y, mut m, _) = civil_from_days(lo);
            let (y_end, m_end, _) = civil_from_days(hi);
            while (y, m) <= (y_end, m_end) {
                let day = days_from_civil(y, m, 1);
                if day >= lo && (m - 1) % n == 0 {
                    let label = if ticks.is_empty() || m == 1 {
                        format!("{} {}", month_name(m), y)
                    } else {
                        month_name(m).to_string()
                    };
                    ticks.push(DateTick { day, label });
                }
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
        DateStep::Years(n) => {
            let (y0, _, _) = civil_from_days(lo);
            let (y1, _, _) = civil_from_days(hi);
            for y in y0..=y1 {
                let day = days_from_civil(y, 1, 1);
                if day >= lo && day <= hi && y.rem_euclid(n) == 0 {
                    ticks.push(DateTick {
                        day,
                        label: y.to_string(),
                    });
                }
            }
        }
    }
    ticks
}

/// Whether centred labels at pixel `x` with the given widths leave `gap` between neighbours
/// and stay inside `0..width`.
pub(crate) fn labels_fit(labels: &[(f64, f64)], gap: f64) -> bool {
    labels
        .windows(2)
        .all(|pair| pair[0].0 + pair[0].1 / 2.0 + gap <= pair[1].0 - pair[1].1 / 2.0)
}

/// Labels of evenly spaced categories along x: all of them, on two alternating rows when
/// neighbours would touch, or every `step`-th when even that is too tight.
pub(crate) struct CategoryAxis {
    labels: Vec<String>,
    step: usize,
    stagger: bool,
}

/// Vertical offset of the second row of staggered labels.
const STAGGER: i32 = 17;

impl CategoryAxis {
    /// `labels` are cleaned category names; `plot_width` is the pixel width they share.
    pub(crate) fn new(labels: &[String], plot_width: f64) -> Self {
        let labels: Vec<String> = labels.iter().map(|l| truncate(l, 110.0, FONT)).collect();
        let n = labels.len().max(1);
        let widest = labels
            .iter()
            .map(|l| text_width(l, FONT))
            .fold(0.0, f64::max);
        let band = plot_width / n as f64;
        let needed = ((widest + 8.0) / band).ceil();
        let step = if needed.is_finite() && needed >= 1.0 {
            (needed as usize).min(n)
        } else {
            1
        };
        if step == 2 && n <= 16 {
            CategoryAxis {
                labels,
                step: 1,
                stagger: true,
            }
        } else {
            CategoryAxis {
                labels,
                step,
                stagger: false,
            }
        }
    }

    /// Extra height the labels need below the usual one row.
    pub(crate) fn extra_height(&self) -> i32 {
        if self.stagger { STAGGER } else { 0 }
    }

    /// Draw the labels; `at(i)` is the pixel point on the x axis under category `i`.
    pub(crate) fn draw(
        &self,
        root: &Root<'_>,
        at: impl Fn(usize) -> (i32, i32),
    ) -> Result<(), DrawError> {
        for (i, label) in self.labels.iter().enumerate().step_by(self.step) {
            let (x, y) = at(i);
            let y = if self.stagger && i % 2 == 1 {
                y + 7 + STAGGER
            } else {
                y + 7
            };
            draw_centered_label(root, label, x, y, FONT, Paint::Muted)?;
        }
        Ok(())
    }
}

/// Draw a label centred at `x`, shifted to stay inside the canvas width.
pub(crate) fn draw_centered_label(
    root: &Root<'_>,
    text: &str,
    x: i32,
    y: i32,
    size: f64,
    paint: Paint,
) -> Result<(), DrawError> {
    let half = (text_width(text, size) / 2.0).ceil() as i32;
    let width = i32::try_from(root.dim_in_pixel().0).unwrap_or(i32::MAX);
    let x = x.min(width - half - 2).max(half + 2);
    root.draw(&Text::new(
        text.to_string(),
        (x, y),
        paint.text(size, HPos::Center, VPos::Top),
    ))
}

/// One legend entry: a swatch in `paint` and a label.
pub(crate) struct LegendEntry {
    pub label: String,
    pub paint: Paint,
    pub swatch: Swatch,
}

/// How a legend swatch is drawn: a filled square (bars), an outlined one (planned bars), or a
/// short stroke that takes the line's dash pattern from its class (reference lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Swatch {
    Fill,
    Outline,
    Line,
}

/// Legend entries placed left to right, wrapping into rows.
pub(crate) struct Legend {
    placed: Vec<(i32, i32, LegendEntry)>,
    pub rows: i32,
}

const SWATCH: i32 = 12;
const LINE_SWATCH: i32 = 22;

/// Lay out `entries` between pixel columns `left..right`.
pub(crate) fn legend(entries: Vec<LegendEntry>, left: i32, right: i32) -> Legend {
    let mut placed = Vec::new();
    let (mut x, mut row) = (left, 0);
    for mut entry in entries {
        entry.label = truncate(&entry.label, f64::from(right - left) * 0.9, FONT);
        let swatch = if entry.swatch == Swatch::Line {
            LINE_SWATCH
        } else {
            SWATCH
        };
        let w = swatch + 5 + text_width(&entry.label, FONT).ceil() as i32;
        if x > left && x + w > right {
            x = left;
            row += 1;
        }
        placed.push((x, row, entry));
        x += w + 16;
    }
    let rows = if placed.is_empty() { 0 } else { row + 1 };
    Legend { placed, rows }
}

/// Draw the legend with its first row starting at pixel `top`.
pub(crate) fn draw_legend(root: &Root<'_>, legend: &Legend, top: i32) -> Result<(), DrawError> {
    for (x, row, entry) in &legend.placed {
        let y = top + row * ROW + ROW / 2;
        let swatch = match entry.swatch {
            Swatch::Fill | Swatch::Outline => {
                let style = if entry.swatch == Swatch::Outline {
                    entry.paint.stroke(2)
                } else {
                    entry.paint.fill()
                };
                root.draw(&Rectangle::new(
                    [(*x, y - SWATCH / 2), (x + SWATCH, y + SWATCH / 2)],
                    style,
                ))?;
                SWATCH
            }
            Swatch::Line => {
                root.draw(&PathElement::new(
                    vec![(*x, y), (x + LINE_SWATCH, y)],
                    entry.paint.stroke(2),
                ))?;
                LINE_SWATCH
            }
        };
        root.draw(&Text::new(
            entry.label.clone(),
            (x + swatch + 5, y),
            Paint::Text.text(FONT, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(())
}

/// Horizontal grid lines at `ticks` across `x_lo..x_hi` (data units).
pub(crate) fn draw_h_grid(
    chart: &mut XY<'_, '_>,
    ticks: &Ticks,
    x: (f64, f64),
) -> Result<(), DrawError> {
    chart.draw_series(
        ticks
            .values
            .iter()
            .map(|t| PathElement::new(vec![(x.0, *t), (x.1, *t)], Paint::Grid.stroke(1))),
    )?;
    Ok(())
}

/// Vertical grid lines at `ticks` across `y_lo..y_hi` (data units).
pub(crate) fn draw_v_grid(
    chart: &mut XY<'_, '_>,
    ticks: &Ticks,
    y: (f64, f64),
) -> Result<(), DrawError> {
    chart.draw_series(
        ticks
            .values
            .iter()
            .map(|t| PathElement::new(vec![(*t, y.0), (*t, y.1)], Paint::Grid.stroke(1))),
    )?;
    Ok(())
}

/// Tick labels right-aligned just left of the plot, at each tick's height.
pub(crate) fn draw_y_labels(
    root: &Root<'_>,
    chart: &XY<'_, '_>,
    ticks: &Ticks,
    format: &ValueFormat,
    x: f64,
) -> Result<(), DrawError> {
    for (value, label) in ticks.values.iter().zip(ticks.labels(format)) {
        let (px, py) = chart.backend_coord(&(x, *value));
        root.draw(&Text::new(
            label,
            (px - 6, py),
            Paint::Muted.text(FONT, HPos::Right, VPos::Center),
        ))?;
    }
    Ok(())
}

/// Tick labels centred under the plot at each tick's x.
pub(crate) fn draw_x_value_labels(
    root: &Root<'_>,
    chart: &XY<'_, '_>,
    ticks: &Ticks,
    format: &ValueFormat,
    y: f64,
) -> Result<(), DrawError> {
    for (value, label) in ticks.values.iter().zip(ticks.labels(format)) {
        let (px, py) = chart.backend_coord(&(*value, y));
        draw_centered_label(root, &label, px, py + 6, FONT, Paint::Muted)?;
    }
    Ok(())
}

/// Left margin for y tick labels: the widest label plus a gap, within sane bounds.
pub(crate) fn left_margin(ticks: &Ticks, format: &ValueFormat) -> i32 {
    let widest = ticks.max_label_width(format);
    (widest.min(160.0).ceil() as i32 + 12).max(28)
}

/// How many value ticks fit along `length` pixels when labels sit side by side.
pub(crate) fn ticks_for_width(lo: f64, hi: f64, length: f64, format: &ValueFormat) -> Ticks {
    let mut max = 6;
    loop {
        let ticks = nice_ticks(lo, hi, max, format);
        let widest = ticks.max_label_width(format) + 14.0;
        if max <= 2 || widest * ticks.values.len() as f64 <= length {
            return ticks;
        }
        max -= 1;
    }
}

/// Reference lines that are finite, cleaned, with their display label. Successive targets
/// take the target, marker and series paints in turn, so two targets never share a colour or
/// a dash pattern (and still differ in grayscale print).
pub(crate) fn reference_labels(
    lines: &[ReferenceLine],
    format: &ValueFormat,
) -> Vec<(f64, String, Paint)> {
    const TARGETS: [Paint; 3] = [Paint::Target, Paint::Marker, Paint::Series(5)];
    let mut targets = 0;
    lines
        .iter()
        .filter(|r| r.value.is_finite())
        .map(|r| {
            let value = format.format(Some(r.value));
            let label = svg::clean(&r.label);
            let text = if label.is_empty() {
                value
            } else {
                format!("{label} {value}")
            };
            let paint = match r.kind {
                ReferenceKind::Target => {
                    targets += 1;
                    TARGETS[(targets - 1) % TARGETS.len()]
                }
                ReferenceKind::Baseline => Paint::Reference,
            };
            (r.value, truncate(&text, 200.0, SMALL), paint)
        })
        .collect()
}

/// Horizontal reference lines across `x`, without labels (they are in the legend).
pub(crate) fn draw_h_reference_lines(
    chart: &mut XY<'_, '_>,
    lines: &[(f64, String, Paint)],
    x: (f64, f64),
) -> Result<(), DrawError> {
    for (value, _, paint) in lines {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x.0, *value), (x.1, *value)],
            paint.stroke(2),
        )))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn nice_ticks_cover_the_range_with_round_steps() {
        let t = nice_ticks(0.0, 2.0, 6, &ValueFormat::number(1));
        assert_eq!(t.values, vec![0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(t.decimals, 1);
        let t = nice_ticks(0.0, 1.0, 6, &ValueFormat::percent(0));
        assert_eq!((t.lo, t.hi, t.values.len(), t.decimals), (0.0, 1.0, 6, 0));
        let t = nice_ticks(23.0, 41.0, 6, &ValueFormat::number(1));
        assert_eq!((t.lo, t.hi), (20.0, 45.0));
    }

    #[test]
    fn dates_as_values_show_as_dates_and_tick_on_month_starts() {
        let day = |y, m, d| super::super::day_value(date(y, m, d));
        let f = ValueFormat::date();
        assert_eq!(f.format(Some(day(2026, 3, 31))), "2026-03-31");
        assert_eq!(f.format(Some(day(1969, 12, 31))), "1969-12-31");
        assert_eq!(f.format(None), "—");
        // 2026-01-15 … 2026-12-20, padded by a twentieth of 339 days (17): 2025-12-29 …
        // 2027-01-06. Monthly would be 13 ticks, every other month 7 (January to January),
        // so quarterly: 5, the year written in January.
        let t = nice_ticks(day(2026, 1, 15), day(2026, 12, 20), 6, &f);
        assert_eq!(t.labels(&f), ["Jan 2026", "Apr", "Jul", "Oct", "Jan 2027"]);
        assert_eq!(t.values[0], day(2026, 1, 1));
        assert_eq!((t.lo, t.hi), (day(2025, 12, 29), day(2027, 1, 6)));
        // One date: three days either side, ticks on days.
        let t = nice_ticks(day(2026, 6, 30), day(2026, 6, 30), 6, &f);
        assert_eq!((t.lo, t.hi), (day(2026, 6, 27), day(2026, 7, 3)));
        assert_eq!(t.labels(&f), ["Jun 28", "Jun 30", "Jul 2"]);
        // Not dates: plain ticks.
        let t = nice_ticks(f64::NAN, 1e12, 6, &f);
        assert!(t.values.iter().all(|v| v.is_finite()), "{t:?}");
    }

    #[test]
    fn counts_tick_at_whole_numbers() {
        // 0..2 items in at most 6 ticks: the raw step 2 / 5 = 0.4 rounds up to 0.5, which a
        // count cannot be; the step becomes 1, so the ticks are 0, 1, 2.
        let t = nice_ticks(0.0, 2.0, 6, &ValueFormat::number(0));
        assert_eq!((t.values.clone(), t.decimals), (vec![0.0, 1.0, 2.0], 0));
        // 0..1 item: 0 and 1 only (not 0, 0.2, … 1).
        let t = nice_ticks(0.0, 1.0, 6, &ValueFormat::number(0));
        assert_eq!(t.values, vec![0.0, 1.0]);
        // Larger counts keep their nice step: 0..37 → raw 7.4 → step 10 → 0, 10, 20, 30, 40.
        let t = nice_ticks(0.0, 37.0, 6, &ValueFormat::number(0));
        assert_eq!(t.values, vec![0.0, 10.0, 20.0, 30.0, 40.0]);
    }

    #[test]
    fn nice_ticks_survive_bad_input() {
        let close = |a: &[f64], b: &[f64]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
        };
        let zero_to_one = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
        // Not finite, or nothing to span: the axis 0…1 in steps of 1 ÷ 5 = 0.2.
        for (lo, hi) in [
            (f64::NAN, 1.0),
            (f64::INFINITY, f64::NEG_INFINITY),
            (0.0, 0.0),
        ] {
            let t = nice_ticks(lo, hi, 6, &ValueFormat::number(1));
            assert!(close(&t.values, &zero_to_one), "{lo} {hi}: {:?}", t.values);
            assert_eq!((t.lo, t.hi, t.decimals), (0.0, 1.0, 1));
        }
        // One value: ±10 % around it, 4.5…5.5, in steps of 1 ÷ 5 = 0.2 from ⌊4.5 ÷ 0.2⌋ × 0.2
        // = 4.4 to ⌈5.5 ÷ 0.2⌉ × 0.2 = 5.6.
        let t = nice_ticks(5.0, 5.0, 6, &ValueFormat::number(1));
        assert!(
            close(&t.values, &[4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6]),
            "{:?}",
            t.values
        );
        // A span too wide for a step: the two ends, as they are.
        let t = nice_ticks(-f64::MAX, f64::MAX, 6, &ValueFormat::number(1));
        assert_eq!(t.values, [-f64::MAX, f64::MAX]);
        // Subnormal numbers: some axis that covers them.
        let t = nice_ticks(1e-320, 2e-320, 6, &ValueFormat::number(1));
        assert!((2..=51).contains(&t.values.len()));
        assert!(t.lo <= 1e-320 && t.hi >= 2e-320, "{t:?}");
    }

    #[test]
    fn day_numbers_match_the_calendar() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(2000, 3, 1)), 11_017);
        assert_eq!(
            day_number(date(2026, 1, 1)) - day_number(date(2025, 1, 1)),
            365
        );
        for d in [date(2024, 2, 29), date(-9999, 1, 1), date(9999, 12, 31)] {
            let (y, m, dd) = civil_from_days(day_number(d));
            assert_eq!(
                (y, m, dd),
                (
                    i64::from(d.year()),
                    i64::from(d.month()),
                    i64::from(d.day())
                )
            );
        }
    }

    #[test]
    fn date_ticks_pick_the_finest_step_that_fits() {
        let lo = day_number(date(2026, 1, 1));
        let hi = day_number(date(2026, 12, 31));
        let monthly = date_ticks(lo, hi, |t| t.len() <= 12);
        assert_eq!(monthly.len(), 12);
        assert_eq!(monthly[0].label, "Jan 2026");
        assert_eq!(monthly[1].label, "Feb");
        let quarterly = date_ticks(lo, hi, |t| t.len() <= 4);
        let labels: Vec<_> = quarterly.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Jan 2026", "Apr", "Jul", "Oct"]);
        let weekly = date_ticks(lo, lo + 20, |t| t.len() <= 3);
        assert_eq!(weekly[0].label, "Jan 5"); // a Monday
    }

    #[test]
    fn iso_dates_match_display() {
        for year in -9999i16..=9999 {
            let (month, day) = (
                (year.rem_euclid(12) + 1) as i8,
                (year.rem_euclid(28) + 1) as i8,
            );
            let d = date(year, month, day);
            assert_eq!(iso_date(d), d.to_string());
        }
        for d in [
            date(2026, 12, 31),
            date(0, 1, 1),
            date(9999, 12, 31),
            date(-1, 1, 1),
        ] {
            assert_eq!(iso_date(d), d.to_string());
        }
    }

    #[test]
    fn truncate_keeps_the_longest_prefix_that_fits() {
        // The prefix grown one character at a time, as measured by `text_width`.
        let slow = |text: &str, max: f64, size: f64| {
            if text_width(text, size) <= max {
                return text.to_string();
            }
            let budget = max - text_width("…", size);
            let mut out = String::new();
            for c in text.chars() {
                let mut next = out.clone();
                next.push(c);
                if text_width(&next, size) > budget {
                    break;
                }
                out = next;
            }
            format!("{}…", out.trim_end())
        };
        for text in [
            "a rather long label",
            "日本語のとても長いラベル",
            "x  y  z  w  v",
            "",
            "é",
        ] {
            for max in [0.0, 5.0, 13.0, 40.0, 60.0, 77.7, 150.0] {
                for size in [10.0, 13.0, 14.0] {
                    assert_eq!(
                        truncate(text, max, size),
                        slow(text, max, size),
                        "{text} {max}"
                    );
                }
            }
        }
    }

    #[test]
    fn truncate_adds_an_ellipsis_only_when_needed() {
        assert_eq!(truncate("short", 100.0, 10.0), "short");
        let t = truncate("a rather long label", 60.0, 10.0);
        assert!(t.ends_with('…') && text_width(&t, 10.0) <= 60.0, "{t}");
    }
}
