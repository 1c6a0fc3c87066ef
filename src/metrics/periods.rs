//! Periods the metrics are bucketed into: months and (possibly fiscal) quarters, and the
//! gap-free series of them that the site's tables and charts run over.

use std::fmt;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

/// A calendar month, serialized as `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i16,
    /// 1..=12.
    pub month: i8,
}

impl Month {
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Months since year 0: consecutive months have consecutive indices.
    pub fn index(self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.month) - 1
    }

    fn from_index(index: i32) -> Month {
        Month {
            year: index.div_euclid(12) as i16,
            month: (index.rem_euclid(12) + 1) as i8,
        }
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A quarter of a year that starts in `start_month` (`quarter_start_month`).
///
/// `year` names the year: the calendar year when quarters are calendar quarters
/// (`start_month` 1), otherwise the calendar year in which the fiscal year ends. Labels are
/// `2026-Q3` and `FY2027-Q1` respectively.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i16,
    /// 1..=4.
    pub number: u8,
    /// The first month of the (fiscal) year, 1..=12.
    pub start_month: u8,
}

impl Quarter {
    /// The quarter containing `date` when years start in `start_month` (1 = January).
    pub fn of(date: Date, start_month: u8) -> Quarter {
        let start = i32::from(start_month.clamp(1, 12));
        let month = i32::from(date.month());
        let months_into_year = (month - start).rem_euclid(12);
        // A fiscal year starting in month s of year Y runs to month s − 1 of Y + 1 and is
        // named by Y + 1; calendar years are named by themselves.
        let year = if start == 1 || month < start {
            date.year()
        } else {
            date.year() + 1
        };
        Quarter {
            year,
            number: (months_into_year / 3 + 1) as u8,
            start_month: start as u8,
        }
    }

    /// Quarters since year 0: consecutive quarters have consecutive indices.
    pub fn index(self) -> i32 {
        i32::from(self.year) * 4 + i32::from(self.number) - 1
    }

    fn from_index(index: i32, start_month: u8) -> Quarter {
        Quarter {
            year: index.div_euclid(4) as i16,
            number: (index.rem_euclid(4) + 1) as u8,
            start_month,
        }
    }

    /// The quarter before this one.
    pub fn previous(self) -> Quarter {
        Quarter::from_index(self.index() - 1, self.start_month)
    }

    /// Whether the labels are fiscal (`FYyyyy-Qn`).
    pub fn is_fiscal(self) -> bool {
        self.start_month != 1
    }

    /// The first calendar month of the quarter.
    pub fn first_month(self) -> Month {
        let start = i32::from(self.start_month) - 1;
        let calendar_month0 = start + 3 * (i32::from(self.number) - 1);
        // Months from the fiscal start through December belong to the year before the one
        // that names a fiscal year.
        let year = if self.is_fiscal() && calendar_month0 < 12 {
            self.year - 1
        } else {
            self.year
        };
        Month {
            year,
            month: (calendar_month0.rem_euclid(12) + 1) as i8,
        }
    }

    pub fn first_day(self) -> Date {
        self.first_month().first_day()
    }

    pub fn last_day(self) -> Date {
        Month::from_index(self.first_month().index() + 2).last_day()
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_fiscal() {
            write!(f, "FY{:04}-Q{}", self.year, self.number)
        } else {
            write!(f, "{:04}-Q{}", self.year, self.number)
        }
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Every month from the one holding the earliest of `dates` to the one holding `as_of`,
/// none missing; just `as_of`'s month when there are no dates (or all are later).
pub fn month_series(dates: impl IntoIterator<Item = Date>, as_of: Date) -> Vec<Month> {
    let last = Month::of(as_of).index();
    let first = dates
        .into_iter()
        .map(|d| Month::of(d).index())
        .min()
        .map_or(last, |m| m.min(last));
    (first..=last).map(Month::from_index).collect()
}

/// Every quarter from the one holding the earliest of `dates` to the one holding `as_of`,
/// none missing; just `as_of`'s quarter when there are no dates (or all are later).
pub fn quarter_series(
    dates: impl IntoIterator<Item = Date>,
    as_of: Date,
    start_month: u8,
) -> Vec<Quarter> {
    let last = Quarter::of(as_of, start_month);
    let first = dates
        .into_iter()
        .map(|d| Quarter::of(d, start_month).index())
        .min()
        .map_or(last.index(), |q| q.min(last.index()));
    (first..=last.index())
        .map(|i| Quarter::from_index(i, last.start_month))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::constant(y, m, day)
    }

    #[test]
    fn calendar_quarters() {
        assert_eq!(Quarter::of(d(2026, 1, 1), 1).to_string(), "2026-Q1");
        assert_eq!(Quarter::of(d(2026, 3, 31), 1).to_string(), "2026-Q1");
        assert_eq!(Quarter::of(d(2026, 4, 1), 1).to_string(), "2026-Q2");
        assert_eq!(Quarter::of(d(2026, 11, 20), 1).to_string(), "2026-Q4");
        let q3 = Quarter::of(d(2026, 8, 14), 1);
        assert_eq!(
            (q3.first_day(), q3.last_day()),
            (d(2026, 7, 1), d(2026, 9, 30))
        );
    }

    #[test]
    fn fiscal_quarters_starting_in_july_are_named_by_the_year_they_end() {
        // July–September 2026 opens the fiscal year that ends in June 2027.
        assert_eq!(Quarter::of(d(2026, 7, 1), 7).to_string(), "FY2027-Q1");
        assert_eq!(Quarter::of(d(2026, 9, 30), 7).to_string(), "FY2027-Q1");
        assert_eq!(Quarter::of(d(2026, 12, 31), 7).to_string(), "FY2027-Q2");
        assert_eq!(Quarter::of(d(2027, 1, 1), 7).to_string(), "FY2027-Q3");
        assert_eq!(Quarter::of(d(2026, 6, 30), 7).to_string(), "FY2026-Q4");
        let q = Quarter::of(d(2027, 2, 10), 7);
        assert_eq!(
            (q.first_day(), q.last_day()),
            (d(2027, 1, 1), d(2027, 3, 31))
        );
        let q = Quarter::of(d(2026, 8, 10), 7);
        assert_eq!(
            (q.first_day(), q.last_day()),
            (d(2026, 7, 1), d(2026, 9, 30))
        );
    }

    #[test]
    fn fiscal_quarters_starting_in_february_straddle_years() {
        // Feb–Apr 2026 is Q1 of the year Feb 2026–Jan 2027, which ends in 2027.
        assert_eq!(Quarter::of(d(2026, 2, 1), 2).to_string(), "FY2027-Q1");
        // Nov 2026–Jan 2027 is Q4 of that same year.
        assert_eq!(Quarter::of(d(2026, 11, 30), 2).to_string(), "FY2027-Q4");
        assert_eq!(Quarter::of(d(2027, 1, 31), 2).to_string(), "FY2027-Q4");
        let q = Quarter::of(d(2027, 1, 31), 2);
        assert_eq!(
            (q.first_day(), q.last_day()),
            (d(2026, 11, 1), d(2027, 1, 31))
        );
    }

    #[test]
    fn series_have_no_gaps_and_end_at_as_of() {
        let labels: Vec<String> = quarter_series([d(2025, 11, 3), d(2026, 2, 1)], d(2026, 8, 1), 1)
            .iter()
            .map(|q| q.to_string())
            .collect();
        assert_eq!(labels, ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]);
        let labels: Vec<String> = quarter_series([d(2026, 5, 3)], d(2026, 11, 1), 7)
            .iter()
            .map(|q| q.to_string())
            .collect();
        assert_eq!(labels, ["FY2026-Q4", "FY2027-Q1", "FY2027-Q2"]);
        let months: Vec<String> = month_series([d(2025, 11, 30)], d(2026, 2, 1))
            .iter()
            .map(|m| m.to_string())
            .collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
    }

    #[test]
    fn a_series_without_dates_or_with_only_later_dates_is_the_as_of_period() {
        let none: [Date; 0] = [];
        assert_eq!(quarter_series(none, d(2026, 5, 5), 1).len(), 1);
        assert_eq!(month_series([d(2027, 1, 1)], d(2026, 5, 5)).len(), 1);
        assert_eq!(month_series(none, d(2026, 5, 5))[0].to_string(), "2026-05");
    }

    #[test]
    fn previous_quarter_crosses_year_ends() {
        assert_eq!(
            Quarter::of(d(2026, 2, 1), 1).previous().to_string(),
            "2025-Q4"
        );
        assert_eq!(
            Quarter::of(d(2026, 8, 1), 7).previous().to_string(),
            "FY2026-Q4"
        );
    }
}
