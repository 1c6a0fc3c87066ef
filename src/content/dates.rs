//! Dates, date-times and effort durations as the content format writes them.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// `YYYY-MM-DD`, a day that exists.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let shape_ok = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(format!("expected a date like 2026-08-14, found `{t}`"));
    }
    let num = |r: std::ops::Range<usize>| t[r].parse::<i16>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    if !(1..=12).contains(&m) {
        return Err(format!("{t} is not a valid date: there is no month {m}"));
    }
    Date::new(y, m as i8, d as i8).map_err(|_| {
        let days = Date::new(y, m as i8, 1)
            .map(|first| first.days_in_month())
            .unwrap_or(31);
        format!(
            "{t} is not a valid date: {} {y} has {days} days",
            month_name(m)
        )
    })
}

fn month_name(m: i16) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get((m - 1) as usize).copied().unwrap_or("that month")
}

/// RFC 3339 date-time; seconds may be omitted, a space may replace the `T`, and a
/// date-time without an offset is read in `tz`.
pub fn parse_datetime(text: &str, tz: &TimeZone) -> Result<Timestamp, String> {
    let t = text.trim();
    if parse_date(t).is_ok() {
        return Err(format!(
            "expected a date-time like {t}T09:12:00Z, found the date `{t}` without a time"
        ));
    }
    let normalized = match t.get(10..11) {
        Some(" ") => format!("{}T{}", &t[..10], &t[11..]),
        _ => t.to_string(),
    };
    if let Some(date_part) = normalized.get(..10) {
        parse_date(date_part)?;
    }
    if let Ok(ts) = normalized.parse::<Timestamp>() {
        return Ok(ts);
    }
    match normalized.parse::<DateTime>() {
        Ok(dt) if !has_offset(&normalized) => dt
            .to_zoned_datetime(tz.clone())
            .map(|z| z.timestamp())
            .map_err(|e| format!("`{t}` does not exist in the site timezone: {e}")),
        _ => Err(format!(
            "expected a date-time like 2026-08-14T09:12:00Z (RFC 3339), found `{t}`"
        )),
    }
}

fn has_offset(t: &str) -> bool {
    let time = t.get(11..).unwrap_or("");
    time.contains(['+', 'Z', 'z']) || time.contains('-') || time.contains('[')
}

/// Working days: a number, or a string `"3d"`, `"2.5d"`, `"2w"` (1w = 5d). `None` is returned
/// by the caller's type check; here a string that is not one of these shapes is an error.
pub fn parse_effort_text(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let (num, factor) = if let Some(n) = t.strip_suffix('d') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('w') {
        (n, 5.0)
    } else {
        (t, 1.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v * factor),
        Ok(v) if v < 0.0 => Err(format!("effort cannot be negative, found `{t}`")),
        _ => Err(format!(
            "expected working days: a number (3, 2.5) or a string like \"3d\" or \"2w\", found `{t}`"
        )),
    }
}

/// Whole calendar days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|span| span.get_days() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(
            parse_date("2026-02-28").unwrap(),
            Date::constant(2026, 2, 28)
        );
        assert_eq!(
            parse_date("2026-02-30").unwrap_err(),
            "2026-02-30 is not a valid date: February 2026 has 28 days"
        );
        assert!(parse_date("2024-02-29").is_ok());
        assert!(
            parse_date("2026-13-01")
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(parse_date("26-1-5").is_err());
    }

    #[test]
    fn date_times_in_every_accepted_spelling() {
        let utc = TimeZone::UTC;
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let want: Timestamp = "2026-08-14T09:12:00Z".parse().unwrap();
        assert_eq!(parse_datetime("2026-08-14T09:12:00Z", &utc).unwrap(), want);
        assert_eq!(parse_datetime("2026-08-14T09:12Z", &utc).unwrap(), want);
        assert_eq!(parse_datetime("2026-08-14 09:12:00Z", &utc).unwrap(), want);
        assert_eq!(
            parse_datetime("2026-08-14T11:12+02:00", &utc).unwrap(),
            want
        );
        // No offset: read in the site timezone (Berlin is UTC+2 in August).
        assert_eq!(parse_datetime("2026-08-14T11:12", &berlin).unwrap(), want);
        assert_eq!(
            parse_datetime("2026-08-14 11:12:00", &berlin).unwrap(),
            want
        );
    }

    #[test]
    fn a_bare_date_is_not_a_date_time() {
        let err = parse_datetime("2026-08-14", &TimeZone::UTC).unwrap_err();
        assert!(err.contains("without a time"), "{err}");
        assert!(
            parse_datetime("2026-02-30T10:00Z", &TimeZone::UTC)
                .unwrap_err()
                .contains("not a valid date")
        );
        assert!(parse_datetime("yesterday", &TimeZone::UTC).is_err());
    }

    #[test]
    fn effort_units() {
        assert_eq!(parse_effort_text("3d").unwrap(), 3.0);
        assert_eq!(parse_effort_text("2w").unwrap(), 10.0);
        assert_eq!(parse_effort_text("2.5").unwrap(), 2.5);
        assert!(parse_effort_text("-1d").unwrap_err().contains("negative"));
        assert!(parse_effort_text("3h").is_err());
    }

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(
            days_between(Date::constant(2026, 2, 27), Date::constant(2026, 3, 2)),
            3
        );
        assert_eq!(
            days_between(Date::constant(2026, 3, 2), Date::constant(2026, 2, 27)),
            -3
        );
        assert_eq!(
            days_between(Date::constant(2025, 1, 1), Date::constant(2026, 1, 1)),
            365
        );
    }
}
