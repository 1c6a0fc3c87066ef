//! Build-time SVG charts, drawn with plotters.
//!
//! Every chart is a pure function: a plain input struct in, a [`Chart`] out. No I/O, no clock,
//! no knowledge of the content model: the caller maps metrics into these inputs.
//!
//! Output contract, shared by every kind:
//! - The SVG has `role="img"`, a `viewBox` and no fixed width/height, and its first children
//!   are `<title>` and `<desc>` (from the input's `title` and `description`).
//! - No colour is hard-coded: shapes and text use `currentColor` and carry a class
//!   (`tl-s1`…`tl-s6`, `tl-text`, `tl-muted`, `tl-axis`, `tl-grid`, `tl-target`, `tl-ref`,
//!   `tl-marker`, `tl-st-*`) that [`CHART_CSS`] colours for light, dark and print. Without that
//!   CSS everything falls back to the page's text colour, which still reads.
//! - Output is byte-identical for the same input.
//! - User text (labels, names) is cleaned of control characters and XML-escaped.
//! - Empty input draws "No data"; a plotters failure draws "Chart unavailable". Nothing panics.
//!
//! Numbers are formatted by [`ValueFormat`] (fixed decimals, optional percent and suffix); the
//! same rule fills the [`DataTable`], so the table shows exactly what was drawn.

mod bar;
mod css;
mod layout;
mod line;
mod scatter;
mod sparkline;
mod svg;
mod timeline;

#[cfg(test)]
mod gallery;
#[cfg(test)]
mod test_support;

pub use bar::{BarInput, BarMode, BarOrientation, bar};
pub use css::CHART_CSS;
pub use line::{LineInput, line};
pub use scatter::{ScatterInput, ScatterPoint, scatter};
pub use sparkline::{SparklineInput, sparkline};
pub use timeline::{Period, TimelineInput, TimelineRow, TimelineStatus, timeline};

use jiff::civil::Date;

/// A rendered chart: inline SVG plus the text a page needs around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    /// The `<svg>` element, ready to inline in HTML, drawn for a desktop column.
    pub svg: String,
    /// The same chart drawn for a phone-wide column (narrower canvas, labels laid out for it);
    /// empty for charts without text (sparklines), which scale as they are.
    pub svg_narrow: String,
    /// The chart's title (also the SVG `<title>`), cleaned of control characters, not escaped.
    pub title: String,
    /// The chart's description (also the SVG `<desc>`), cleaned, not escaped.
    pub description: String,
    /// The data drawn, as display strings, for a `<details>` table.
    pub table: DataTable,
}

/// The data behind a chart, formatted as the chart formats it. Strings are not escaped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The x axis of a line chart or sparkline: dates (spaced by time) or categories (evenly spaced).
#[derive(Clone, Debug, PartialEq)]
pub enum XAxis {
    Dates(Vec<Date>),
    Categories(Vec<String>),
}

impl Default for XAxis {
    fn default() -> Self {
        XAxis::Categories(Vec::new())
    }
}

impl XAxis {
    pub(crate) fn len(&self) -> usize {
        match self {
            XAxis::Dates(d) => d.len(),
            XAxis::Categories(c) => c.len(),
        }
    }

    /// The x value as the table shows it: `YYYY-MM-DD` for dates, the cleaned category otherwise.
    pub(crate) fn label(&self, i: usize) -> String {
        match self {
            XAxis::Dates(d) => d.get(i).map(|d| layout::iso_date(*d)).unwrap_or_default(),
            XAxis::Categories(c) => c.get(i).map(|c| svg::clean(c)).unwrap_or_default(),
        }
    }
}

/// One named series. `values[i]` belongs to the i-th x value or category; `None`, NaN and
/// infinities are gaps (nothing drawn). Missing trailing values are gaps, extra ones are ignored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

impl Series {
    /// The value at `i` if it is present and finite.
    pub(crate) fn value(&self, i: usize) -> Option<f64> {
        self.values
            .get(i)
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
    }
}

/// How a horizontal (or, on horizontal bars, vertical) reference line looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReferenceKind {
    /// A goal: accent colour, dashed (class `tl-target`).
    #[default]
    Target,
    /// A starting point or norm: muted, dotted (class `tl-ref`).
    Baseline,
}

/// A labelled line at a value, e.g. "Target 25%" or "Baseline".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReferenceLine {
    pub label: String,
    pub value: f64,
    pub kind: ReferenceKind,
}

/// A labelled vertical line at a date, e.g. a deadline or a ship date.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub label: String,
    pub date: Date,
}

/// The fixed rule that turns a number into display text, for tables, tick labels and labels.
///
/// `decimals` digits after the point (Rust's `{:.N}` rounding, at most 12); with `percent` the
/// value is a ratio and is shown ×100 followed by `%`; `suffix` (e.g. `" min"`) is appended last.
/// Missing or non-finite values show as `—`; negative zero shows as `0`. With `dates` a value
/// is a day number (days since 1970-01-01) and shows as `YYYY-MM-DD`; a value axis in this
/// format ticks on month, quarter or year starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueFormat {
    pub decimals: u8,
    pub percent: bool,
    pub suffix: String,
    pub dates: bool,
}

impl ValueFormat {
    /// Plain numbers with `decimals` digits after the point.
    pub fn number(decimals: u8) -> Self {
        ValueFormat {
            decimals,
            ..ValueFormat::default()
        }
    }

    /// Dates given as day numbers (see [`day_value`]), shown as `YYYY-MM-DD`.
    pub fn date() -> Self {
        ValueFormat {
            dates: true,
            ..ValueFormat::default()
        }
    }

    /// Ratios (0..1) shown as percentages with `decimals` digits after the point.
    pub fn percent(decimals: u8) -> Self {
        ValueFormat {
            decimals,
            percent: true,
            ..ValueFormat::default()
        }
    }

    /// The same format with `suffix` appended to every value.
    pub fn with_suffix(mut self, suffix: &str) -> Self {
        self.suffix = suffix.to_string();
        self
    }

    /// Format a value for the table: `decimals` digits, `—` when missing or not finite.
    pub fn format(&self, value: Option<f64>) -> String {
        match value.filter(|v| v.is_finite()) {
            Some(v) => self.format_with(v, usize::from(self.decimals)),
            None => MISSING.to_string(),
        }
    }

    /// Format with an explicit number of decimals (tick labels use the tick step's precision).
    pub(crate) fn format_with(&self, value: f64, decimals: usize) -> String {
        if self.dates
            && let Some(date) = layout::date_of_day(value)
        {
            let mut text = layout::iso_date(date);
            svg::push_without_controls(&mut text, &self.suffix);
            return text;
        }
        let shown = if self.percent { value * 100.0 } else { value };
        let mut text = String::with_capacity(24 + self.suffix.len());
        svg::push_fixed(&mut text, shown, decimals.min(12));
        if let Some(digits) = text.strip_prefix('-')
            && digits.bytes().all(|b| b == b'0' || b == b'.')
        {
            text.remove(0);
        }
        if self.percent {
            text.push('%');
        }
        svg::push_without_controls(&mut text, &self.suffix);
        text
    }
}

/// A date as the value [`ValueFormat::date`] shows: its day number, days since 1970-01-01.
pub fn day_value(date: Date) -> f64 {
    layout::day_number(date) as f64
}

/// What the table shows for a missing value.
pub(crate) const MISSING: &str = "—";
