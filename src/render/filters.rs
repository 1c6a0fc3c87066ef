//! Template filters for showing numbers the way the site shows them everywhere.

use tera::{Kwargs, State, Tera, TeraResult, Value};

/// `{{ 0.625 | pct }}` → `62.5%`; `{{ x | pct(decimals=0) }}`; null → `–`.
fn pct(v: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let decimals = kwargs.get::<i64>("decimals")?.unwrap_or(0).clamp(0, 6) as usize;
    Ok(match v.as_number().map(|n| n.as_float()) {
        Some(x) if x.is_finite() => format!("{}%", trim(format!("{:.*}", decimals, x * 100.0))),
        _ => "–".to_string(),
    })
}

/// `{{ 3.14159 | num(decimals=1) }}` → `3.1`; whole numbers without decimals; null → `–`.
fn num(v: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let decimals = kwargs.get::<i64>("decimals")?.unwrap_or(1).clamp(0, 6) as usize;
    Ok(match v.as_number().map(|n| n.as_float()) {
        Some(x) if x.is_finite() => format_number(x, decimals),
        _ => "–".to_string(),
    })
}

/// `{{ 28.4 | qty(unit="%") }}` → `28.4%`, `{{ 31 | qty(unit="days") }}` → `31 days`: a
/// measured value with its unit (`%` sticks to the number), at most `decimals` (default 2)
/// decimals; null → `–`.
fn qty(v: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let decimals = kwargs.get::<i64>("decimals")?.unwrap_or(2).clamp(0, 6) as usize;
    let unit = kwargs.get::<String>("unit")?.unwrap_or_default();
    Ok(match v.as_number().map(|n| n.as_float()) {
        Some(x) if x.is_finite() => {
            let n = format_number(x, decimals);
            match unit.as_str() {
                "" => n,
                "%" => format!("{n}%"),
                u => format!("{n} {u}"),
            }
        }
        _ => "–".to_string(),
    })
}

/// `{{ 12 | days }}` → `12 days`, `1 day`; `{{ 12 | days(signed=true) }}` → `+12 days`
/// (for slips: negative is early); null → `–`.
fn days(v: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let signed = kwargs.get::<bool>("signed")?.unwrap_or(false);
    Ok(match v.as_number().map(|n| n.as_float()) {
        Some(x) if x.is_finite() => {
            let n = format_number(x, 1);
            let unit = if (x.abs() - 1.0).abs() < f64::EPSILON {
                "day"
            } else {
                "days"
            };
            if signed && x > 0.0 {
                format!("+{n} {unit}")
            } else {
                format!("{n} {unit}")
            }
        }
        _ => "–".to_string(),
    })
}

/// A number with at most `decimals` decimals, trailing zeros dropped, thousands grouped:
/// what the `num` filter prints.
pub fn format_number(x: f64, decimals: usize) -> String {
    let s = group(&trim(format!("{:.*}", decimals, x)));
    // `-0` after rounding a tiny negative number reads as zero.
    if s == "-0" { "0".to_string() } else { s }
}

/// Minutes as `45 min`, `3 h 5 min`, `2 d 4 h`; null → `–`.
fn duration(v: Value, _: Kwargs, _: &State) -> TeraResult<String> {
    Ok(match v.as_number().map(|n| n.as_float()) {
        Some(m) if m.is_finite() => format_minutes(m),
        _ => "–".to_string(),
    })
}

pub fn format_minutes(minutes: f64) -> String {
    let m = minutes.round() as i64;
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    match (d, h, min) {
        (0, 0, min) => format!("{min} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, min) => format!("{h} h {min} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Thousands separators for the integer part: 12500 → 12,500.
fn group(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// `{{ n | plural(one="item", many="items") }}` → `1 item`, `3 items` (a count and its noun).
fn plural(v: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let one = kwargs.get::<String>("one")?.unwrap_or_default();
    let many = kwargs
        .get::<String>("many")?
        .unwrap_or_else(|| format!("{one}s"));
    Ok(match v.as_number().map(|n| n.as_float()) {
        Some(x) if x.is_finite() => {
            let noun = if x == 1.0 { one } else { many };
            format!("{} {noun}", format_number(x, 0))
        }
        _ => format!("– {many}"),
    })
}

pub fn register(tera: &mut Tera) {
    tera.register_filter("plural", plural);
    tera.register_filter("pct", pct);
    tera.register_filter("num", num);
    tera.register_filter("duration", duration);
    tera.register_filter("qty", qty);
    tera.register_filter("days", days);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, value: serde_json::Value) -> String {
        let mut tera = Tera::default();
        register(&mut tera);
        let mut ctx = tera::Context::new();
        ctx.insert("x", &value);
        tera.render_str(template, &ctx, false).unwrap()
    }

    #[test]
    fn percentages_numbers_and_durations() {
        assert_eq!(render("{{ x | pct }}", serde_json::json!(0.6251)), "63%");
        assert_eq!(
            render("{{ x | pct(decimals=1) }}", serde_json::json!(0.625)),
            "62.5%"
        );
        assert_eq!(render("{{ x | pct }}", serde_json::Value::Null), "–");
        assert_eq!(render("{{ x | num }}", serde_json::json!(12500)), "12,500");
        assert_eq!(
            render("{{ x | num(decimals=2) }}", serde_json::json!(-1234.5)),
            "-1,234.5"
        );
        assert_eq!(
            render("{{ x | duration }}", serde_json::json!(185.0)),
            "3 h 5 min"
        );
        assert_eq!(render("{{ x | duration }}", serde_json::json!(2900)), "2 d");
        assert_eq!(
            render("{{ x | qty(unit=\"%\") }}", serde_json::json!(28.4)),
            "28.4%"
        );
        assert_eq!(
            render("{{ x | qty(unit=\"days\") }}", serde_json::json!(31.0)),
            "31 days"
        );
        assert_eq!(render("{{ x | qty }}", serde_json::Value::Null), "–");
        assert_eq!(render("{{ x | days }}", serde_json::json!(1)), "1 day");
        assert_eq!(
            render("{{ x | days(signed=true) }}", serde_json::json!(12)),
            "+12 days"
        );
        assert_eq!(
            render("{{ x | days(signed=true) }}", serde_json::json!(-14)),
            "-14 days"
        );
        assert_eq!(format_number(-0.0001, 2), "0");
    }
}
