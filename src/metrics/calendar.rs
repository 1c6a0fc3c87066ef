//! Working days: Monday to Friday, minus site.yaml's `holidays` (spec/forecast.md).
//!
//! Forecasts count in working days, so every date they touch is turned into a *working-day
//! index* once: `index(d)` is the number of working days before `d` (counted from a fixed
//! Monday long ago). Then `wd(a, b) = index(b) − index(a)` and `nth(d, n)` is the working day
//! whose index is `index(d) + n − 1`; the simulation adds and compares plain integers and
//! turns an index back into a date only to report it.

use jiff::civil::Date;

/// The working-day calendar of one site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Holidays that fall on a weekday, as weekday numbers (see [`weekday_number`]), sorted,
    /// without repeats. Weekend holidays change nothing and are dropped.
    holidays: Vec<i64>,
}

/// Days since 1970-01-01 (a Thursday), for any date jiff can hold.
pub fn day_number(d: Date) -> i64 {
    days_from_civil(
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    )
}

/// Days after 1970-01-01 of a year, month and day (Howard Hinnant's days_from_civil:
/// integer-only, no failure cases).
pub fn days_from_civil(y: i64, m: i64, day: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month and day of the date `n` days after 1970-01-01 (Howard Hinnant's
/// civil_from_days: integer-only, no failure cases).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The date `n` days after 1970-01-01, clamped to the dates jiff can hold.
pub fn date_of_day(n: i64) -> Date {
    let (year, month, day) = civil_from_days(n);
    match Date::new(year.clamp(-9999, 9999) as i16, month as i8, day as i8) {
        Ok(d) if (-9999..=9999).contains(&year) => d,
        _ if year < 0 => Date::MIN,
        _ => Date::MAX,
    }
}

/// Weekdays before day `n`, counted from Monday 1970-01-05 (negative before it).
fn weekday_number(n: i64) -> i64 {
    let m = n - 4;
    5 * m.div_euclid(7) + m.rem_euclid(7).min(5)
}

/// Whether day `n` is a Saturday or Sunday.
fn is_weekend(n: i64) -> bool {
    (n - 4).rem_euclid(7) >= 5
}

impl Calendar {
    pub fn new(holidays: &[Date]) -> Calendar {
        let mut weekday_holidays: Vec<i64> = holidays
            .iter()
            .map(|&d| day_number(d))
            .filter(|&n| !is_weekend(n))
            .map(weekday_number)
            .collect();
        weekday_holidays.sort_unstable();
        weekday_holidays.dedup();
        Calendar {
            holidays: weekday_holidays,
        }
    }

    /// Working days before `d`: also the index of the first working day on or after `d`.
    pub fn index(&self, d: Date) -> i64 {
        self.index_of_day(day_number(d))
    }

    fn index_of_day(&self, n: i64) -> i64 {
        let w = weekday_number(n);
        w - self.holidays.partition_point(|&h| h < w) as i64
    }

    /// The index of the first working day after `d` (`index(d + 1 day)`).
    pub fn index_after(&self, d: Date) -> i64 {
        self.index_of_day(day_number(d) + 1)
    }

    /// The working day with index `k`.
    pub fn date(&self, k: i64) -> Date {
        // The k-th weekday, moved past every weekday holiday at or before it.
        let mut w = k;
        for &h in &self.holidays {
            if h <= w {
                w += 1;
            } else {
                break;
            }
        }
        date_of_day(7 * w.div_euclid(5) + w.rem_euclid(5) + 4)
    }

    /// `wd(a, b)`: working days d with a ≤ d < b (0 when b ≤ a).
    pub fn wd(&self, a: Date, b: Date) -> i64 {
        (self.index(b) - self.index(a)).max(0)
    }

    /// `nth(d, n)`, n ≥ 1: the n-th working day counting from d itself.
    pub fn nth(&self, d: Date, n: i64) -> Date {
        self.date(self.index(d) + n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        // 2026-01-01: 56 × 365 + 14 leap days = 20,454; + 323 days to 11-20
        assert_eq!(day_number(date(2026, 11, 20)), 20_777);
        for n in [-800_000, -1, 0, 59, 60, 20_777, 700_000] {
            assert_eq!(day_number(date_of_day(n)), n);
        }
        assert_eq!(date_of_day(i64::MAX / 4), Date::MAX);
    }

    #[test]
    fn weekends_are_skipped() {
        let cal = Calendar::default();
        // Fri 2026-11-20 → Mon 11-23: Friday only
        assert_eq!(cal.wd(date(2026, 11, 20), date(2026, 11, 23)), 1);
        // Mon 11-23 → Mon 11-30: five
        assert_eq!(cal.wd(date(2026, 11, 23), date(2026, 11, 30)), 5);
        assert_eq!(cal.wd(date(2026, 11, 30), date(2026, 11, 23)), 0);
        // nth from a Saturday starts on Monday
        assert_eq!(cal.nth(date(2026, 11, 21), 1), date(2026, 11, 23));
        assert_eq!(cal.nth(date(2026, 11, 20), 1), date(2026, 11, 20));
        assert_eq!(cal.nth(date(2026, 11, 20), 2), date(2026, 11, 23));
        assert_eq!(cal.nth(date(2026, 11, 20), 6), date(2026, 11, 27));
    }

    #[test]
    fn holidays_are_skipped_and_weekend_holidays_change_nothing() {
        // Thu 2026-12-24 and Fri 12-25 off; Sat 12-26 listed too
        let cal = Calendar::new(&[date(2026, 12, 25), date(2026, 12, 24), date(2026, 12, 26)]);
        // Mon 12-21 → Mon 12-28: Mon, Tue, Wed
        assert_eq!(cal.wd(date(2026, 12, 21), date(2026, 12, 28)), 3);
        // the 4th working day from Mon 12-21 is Mon 12-28
        assert_eq!(cal.nth(date(2026, 12, 21), 4), date(2026, 12, 28));
        assert_eq!(cal.nth(date(2026, 12, 24), 1), date(2026, 12, 28));
        assert_eq!(
            cal.index_after(date(2026, 12, 23)),
            cal.index(date(2026, 12, 28))
        );
        // every working day is found again from its index
        for day in 0..60 {
            let d = date_of_day(day_number(date(2026, 12, 1)) + day);
            let k = cal.index(d);
            assert!(cal.date(k) >= d);
            assert_eq!(cal.index(cal.date(k)), k);
        }
    }
}
