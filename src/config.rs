//! `site.yaml`: the raw file → a validated `SiteConfig` with every default filled in.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::content::field_table;
use crate::content::fields::{FileCtx, quote_list};
use crate::content::front_matter::strip_bom;
use crate::content::keywords::{ItemType, Priority, keyword_names, parse_keyword};
use crate::content::yaml::{self, Value};
use crate::diagnostics::{Diagnostic, Pos, did_you_mean};
use crate::version::{CONTENT_FORMAT, VERSION, first_release};

pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Clone, Debug, Serialize)]
pub struct Severity {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
    pub postmortem_required: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SiteConfig {
    /// The content format the report is written in (`format:`; 1 when absent).
    pub format: u32,
    pub title: String,
    pub description: Option<String>,
    /// Always ends with `/`: either a path (`/`, `/report/`) or an absolute URL.
    pub base_url: String,
    pub as_of: Option<Date>,
    pub timezone: String,
    #[serde(skip)]
    pub tz: TimeZone,
    /// A theme name (`[a-z0-9-]+`): a folder under `themes/` or a built-in theme.
    pub theme: String,
    /// Where `theme` is written in site.yaml, for the "unknown theme" error.
    #[serde(skip)]
    pub theme_pos: Pos,
    pub output_dir: String,
    /// The largest file read from the site, in bytes.
    pub max_file_size: u64,
    pub allow_html: bool,
    pub severities: Vec<Severity>,
    pub action_item_slo_days: BTreeMap<Priority, u32>,
    pub capacity_targets: BTreeMap<ItemType, f64>,
    pub quarter_start_month: u8,
    pub links: Vec<Link>,
    /// Non-working days for forecasts, sorted, without repeats.
    pub holidays: Vec<Date>,
    /// Read plan history from git when the site is in a repository (history.md).
    pub history: bool,
    /// The review point of `/changes/`: a date, tag or commit.
    pub review_since: Option<String>,
    /// Build past quarters under `/archive/`.
    pub snapshots: Option<Snapshots>,
}

/// `snapshots`: which past states of the report are built under `/archive/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Snapshots {
    Quarterly,
}

impl Default for SiteConfig {
    fn default() -> Self {
        let severity = |id: &str, required: bool| Severity {
            id: id.to_string(),
            label: id.to_string(),
            description: None,
            postmortem_required: required,
        };
        SiteConfig {
            format: 1,
            title: String::new(),
            description: None,
            base_url: "/".into(),
            as_of: None,
            timezone: "UTC".into(),
            tz: TimeZone::UTC,
            theme: "default".into(),
            theme_pos: Pos::file_start(),
            output_dir: "public".into(),
            max_file_size: crate::paths::DEFAULT_MAX_FILE_SIZE,
            allow_html: false,
            severities: vec![
                severity("SEV1", true),
                severity("SEV2", true),
                severity("SEV3", false),
                severity("SEV4", false),
            ],
            action_item_slo_days: BTreeMap::from([
                (Priority::P0, 14),
                (Priority::P1, 28),
                (Priority::P2, 56),
                (Priority::P3, 90),
            ]),
            capacity_targets: BTreeMap::from([(ItemType::TechDebt, 0.2)]),
            quarter_start_month: 1,
            links: Vec::new(),
            holidays: Vec::new(),
            history: true,
            review_since: None,
            snapshots: None,
        }
    }
}

impl SiteConfig {
    /// The path part of base_url, starting and ending with `/` (`/` or `/report/`).
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }

    pub fn severity(&self, id: &str) -> Option<&Severity> {
        self.severities.iter().find(|s| s.id == id)
    }

    pub fn slo_days(&self, p: Priority) -> u32 {
        self.action_item_slo_days.get(&p).copied().unwrap_or(0)
    }
}

/// Whether `name` can name a theme: `[a-z0-9-]+`, so that it is never a path.
pub fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Normalise a base URL to end with `/`; an error explains what is accepted.
pub fn normalize_base_url(text: &str) -> Result<String, String> {
    let t = text.trim();
    let ok = t.starts_with('/') || t.starts_with("https://") || t.starts_with("http://");
    if !ok || t.contains(char::is_whitespace) || t.contains(['?', '#']) {
        return Err(format!(
            "expected `/`, a path like `/report/`, or a URL like `https://acme.github.io/report/`, found `{t}`"
        ));
    }
    if let Some(rest) = t.strip_prefix("//") {
        return Err(format!("`{t}` starts with `//`; write `https://{rest}`"));
    }
    Ok(if t.ends_with('/') {
        t.to_string()
    } else {
        format!("{t}/")
    })
}

/// Whether a (normalised) base URL names a host, so that absolute URLs can be made from it.
pub fn has_host(base_url: &str) -> bool {
    base_url.contains("://")
}

pub fn base_path_of(base_url: &str) -> String {
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => base_url,
    };
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// Parse `site.yaml`. Returns the config (with defaults where a field was bad) and every
/// problem found; the caller treats errors as fatal.
pub fn parse(source: &str) -> (SiteConfig, Vec<Diagnostic>) {
    let source = strip_bom(source);
    let mut config = SiteConfig::default();
    let node = match yaml::parse(source, CONFIG_FILE, 1) {
        Ok(n) => n,
        Err(d) => return (config, vec![d.with_source(source)]),
    };
    let utc = TimeZone::UTC;
    let mut cx = FileCtx::new(CONFIG_FILE, source, &utc);
    if node.value == Value::Null {
        cx.error(
            node.pos,
            "site.yaml is empty",
            "it needs at least a `title`",
        );
        return (config, cx.diags);
    }
    // Before anything else: the fields of a newer format would read as a list of mistakes.
    if let Some(format) = declared_format(&mut cx, &node) {
        config.format = format;
        if format > CONTENT_FORMAT {
            return (config, cx.diags);
        }
    }
    let Some(f) = cx.fields(&node, &field_table::SITE.names(), "site.yaml") else {
        return (config, cx.diags);
    };

    if let Some(title) = cx.req_string(&f, "title", "site.yaml") {
        config.title = title;
    }
    config.description = cx.opt_string(&f, "description");
    if let Some(n) = f.get("base_url")
        && let Some(text) = cx.string(n, "base_url")
    {
        match normalize_base_url(&text) {
            Ok(url) => config.base_url = url,
            Err(e) => cx.error(n.pos, "invalid `base_url`", e),
        }
    }
    config.as_of = cx.opt_date(&f, "as_of");
    if let Some(n) = f.get("timezone")
        && let Some(name) = cx.string(n, "timezone")
    {
        match TimeZone::get(&name) {
            Ok(tz) => {
                config.tz = tz;
                config.timezone = name;
            }
            Err(_) => cx.error(
                n.pos,
                format!("unknown timezone `{name}`"),
                "expected an IANA name like `UTC`, `Europe/Berlin` or `America/New_York`",
            ),
        }
    }
    if let Some(n) = f.get("theme")
        && let Some(name) = cx.string(n, "theme")
    {
        if is_theme_name(&name) {
            config.theme = name;
            config.theme_pos = n.pos;
        } else {
            cx.error(
                n.pos,
                format!("`{name}` is not a theme name"),
                "a theme is named, not given as a path: lowercase letters, digits and `-`, naming a folder under themes/ or a built-in theme",
            );
        }
    }
    if let Some(n) = f.get("output_dir")
        && let Some(dir) = cx.string(n, "output_dir")
    {
        match relative_inside(&dir) {
            Ok(()) => config.output_dir = dir,
            Err(e) => cx.error(n.pos, "invalid `output_dir`", e),
        }
    }
    if let Some(n) = f.get("max_file_size") {
        match parse_size(n) {
            Some(bytes) => config.max_file_size = bytes,
            None => cx.error(
                n.pos,
                "invalid `max_file_size`",
                format!(
                    "expected a size like `20 MiB`, `500 KiB` or a number of bytes, found {}",
                    n.display()
                ),
            ),
        }
    }
    if let Some(n) = f.get("allow_html") {
        config.allow_html = cx.bool(n, "allow_html").unwrap_or(false);
    }
    if let Some(n) = f.get("quarter_start_month") {
        match &n.value {
            Value::Int(m) if (1..=12).contains(m) => config.quarter_start_month = *m as u8,
            _ => cx.error(
                n.pos,
                "invalid `quarter_start_month`",
                format!(
                    "expected a month number from 1 to 12, found {}",
                    n.display()
                ),
            ),
        }
    }
    if f.get("severities").is_some() {
        config.severities = parse_severities(&mut cx, &f);
    }
    if let Some(n) = f.get("action_item_slo_days") {
        parse_slo_days(&mut cx, n, &mut config.action_item_slo_days);
    }
    if let Some(n) = f.get("capacity_targets") {
        config.capacity_targets = parse_capacity_targets(&mut cx, n);
    }
    if let Some(n) = f.get("holidays") {
        config.holidays = parse_holidays(&mut cx, n);
    }
    if let Some(n) = f.get("history") {
        config.history = cx.bool(n, "history").unwrap_or(true);
    }
    config.review_since = cx.opt_string(&f, "review_since");
    if let Some(n) = f.get("snapshots")
        && let Some(text) = cx.string(n, "snapshots")
    {
        match text.as_str() {
            "quarterly" => config.snapshots = Some(Snapshots::Quarterly),
            _ => cx.error(
                n.pos,
                "invalid `snapshots`",
                format!("expected `quarterly` (or leave it out for none), found `{text}`"),
            ),
        }
    }
    for (link, _) in cx.map_list(&f, "links", &field_table::LINK.names(), "a link") {
        let title = cx.req_string(&link, "title", "a link");
        let url = cx.req_string(&link, "url", "a link");
        if let Some(u) = &url
            && crate::render::markdown::is_script_url(u)
        {
            cx.error(
                link.pos_of("url"),
                "a link must not run script",
                format!("expected a web address or a path, found `{u}`"),
            );
            continue;
        }
        if let (Some(title), Some(url)) = (title, url) {
            config.links.push(Link { title, url });
        }
    }
    (config, cx.diags)
}

/// `output_dir` is content under review: a relative path that stays inside the site folder
/// as written (links are resolved when the build checks it).
fn relative_inside(dir: &str) -> Result<(), String> {
    let path = std::path::Path::new(dir);
    let mut depth = 0usize;
    for part in path.components() {
        match part {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if depth > 0 => depth -= 1,
            _ => {
                return Err(format!(
                    "expected a folder inside the site folder, like `public`, found `{dir}`; use --output-dir to build elsewhere"
                ));
            }
        }
    }
    if depth == 0 {
        return Err(format!(
            "`{dir}` is the site folder itself; expected a folder inside it, like `public`"
        ));
    }
    Ok(())
}

/// A size in bytes: a positive whole number of bytes, or a number with a unit (`KiB`, `MiB`,
/// `GiB`, or `KB`, `MB`, `GB` read the same way).
fn parse_size(n: &yaml::Node) -> Option<u64> {
    match &n.value {
        Value::Int(b) if *b > 0 => u64::try_from(*b).ok(),
        Value::Str(text) => {
            let text = text.trim();
            let split = text
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len());
            let (number, unit) = text.split_at(split);
            let number: u64 = number.parse().ok().filter(|n| *n > 0)?;
            let scale: u64 = match unit.trim() {
                "" | "B" => 1,
                "KiB" | "KB" | "K" => 1024,
                "MiB" | "MB" | "M" => 1024 * 1024,
                "GiB" | "GB" | "G" => 1024 * 1024 * 1024,
                _ => return None,
            };
            number.checked_mul(scale)
        }
        _ => None,
    }
}

/// The `format:` of site.yaml, when it is a valid format number; an error for anything
/// else, and for a format newer than this release reads, saying which release reads it.
fn declared_format(cx: &mut FileCtx, node: &yaml::Node) -> Option<u32> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    let (_, n) = entries
        .iter()
        .find(|(k, _)| k.value == Value::Str("format".into()))?;
    let format = match &n.value {
        Value::Int(v) if *v >= 1 && *v <= i64::from(u32::MAX) => *v as u32,
        _ => {
            cx.error(
                n.pos,
                "invalid `format`",
                format!(
                    "expected a content format number such as {CONTENT_FORMAT}, found `{}`",
                    n.display()
                ),
            );
            return None;
        }
    };
    if format > CONTENT_FORMAT {
        let needed = first_release(format);
        cx.error_with_help(
            n.pos,
            format!(
                "this report is written in content format {format}, and throughline {VERSION} reads formats up to {CONTENT_FORMAT}"
            ),
            format!("needs throughline {needed} or newer"),
            format!(
                "install throughline {needed} or newer: `cargo binstall throughline@{needed}` or `cargo install throughline --locked --version {needed}`"
            ),
        );
    }
    Some(format)
}

fn parse_holidays(cx: &mut FileCtx, node: &yaml::Node) -> Vec<Date> {
    let Value::Seq(entries) = &node.value else {
        cx.error(
            node.pos,
            "wrong type for `holidays`",
            format!(
                "expected a list of dates like [2026-12-24, 2026-12-25], found {}",
                node.kind()
            ),
        );
        return Vec::new();
    };
    let mut out: Vec<Date> = entries
        .iter()
        .filter_map(|n| cx.date(n, "holidays"))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn parse_severities(cx: &mut FileCtx, f: &crate::content::fields::Fields) -> Vec<Severity> {
    let mut out: Vec<Severity> = Vec::new();
    let entries = cx.map_list(
        f,
        "severities",
        &field_table::SEVERITY.names(),
        "a severity",
    );
    for (s, pos) in entries {
        let Some(id) = cx.req_string(&s, "id", "a severity") else {
            continue;
        };
        if out.iter().any(|o| o.id == id) {
            cx.error(
                s.pos_of("id"),
                format!("duplicate severity `{id}`"),
                "each severity id must appear once",
            );
            continue;
        }
        let label = cx.opt_string(&s, "label").unwrap_or_else(|| id.clone());
        let description = cx.opt_string(&s, "description");
        let postmortem_required = s
            .get("postmortem_required")
            .and_then(|n| cx.bool(n, "postmortem_required"))
            .unwrap_or(false);
        let _ = pos;
        out.push(Severity {
            id,
            label,
            description,
            postmortem_required,
        });
    }
    if out.is_empty() {
        cx.error(
            f.pos_of("severities"),
            "`severities` is empty",
            "list at least one severity, most severe first",
        );
    }
    out
}

fn parse_slo_days(cx: &mut FileCtx, node: &yaml::Node, slo: &mut BTreeMap<Priority, u32>) {
    let Value::Map(entries) = &node.value else {
        cx.error(
            node.pos,
            "wrong type for `action_item_slo_days`",
            format!(
                "expected a map like {{p0: 14, p1: 28}}, found {}",
                node.kind()
            ),
        );
        return;
    };
    for (k, v) in entries {
        let key = k.display();
        let Some(p) = parse_keyword::<Priority>(&key) else {
            let names = keyword_names::<Priority>();
            let hint = did_you_mean(&key, &names)
                .map(|h| format!("did you mean `{h}`?"))
                .unwrap_or_else(|| format!("expected one of {}", quote_list(&names)));
            cx.error_with_help(
                k.pos,
                format!("`{key}` is not a priority"),
                "not a priority",
                hint,
            );
            continue;
        };
        match &v.value {
            Value::Int(days) if *days >= 0 && *days <= u32::MAX as i64 => {
                slo.insert(p, *days as u32);
            }
            _ => cx.error(
                v.pos,
                format!("invalid SLO for `{key}`"),
                format!(
                    "expected a whole number of days, 0 or more, found {}",
                    v.display()
                ),
            ),
        }
    }
}

fn parse_capacity_targets(cx: &mut FileCtx, node: &yaml::Node) -> BTreeMap<ItemType, f64> {
    let mut out = BTreeMap::new();
    let Value::Map(entries) = &node.value else {
        cx.error(
            node.pos,
            "wrong type for `capacity_targets`",
            format!(
                "expected a map like {{tech-debt: 0.2}}, found {}",
                node.kind()
            ),
        );
        return out;
    };
    for (k, v) in entries {
        let key = k.display();
        let Some(t) = parse_keyword::<ItemType>(&key) else {
            let names = keyword_names::<ItemType>();
            let hint = did_you_mean(&key, &names)
                .map(|h| format!("did you mean `{h}`?"))
                .unwrap_or_else(|| format!("expected one of {}", quote_list(&names)));
            cx.error_with_help(
                k.pos,
                format!("`{key}` is not an item type"),
                "not an item type",
                hint,
            );
            continue;
        };
        match cx.number(v, "capacity_targets") {
            Some(share) if (0.0..=1.0).contains(&share) => {
                out.insert(t, share);
            }
            Some(_) => cx.error(
                v.pos,
                format!("invalid capacity target for `{key}`"),
                format!("expected a share from 0 to 1, found {}", v.display()),
            ),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_everything_but_the_title() {
        let (c, diags) = parse("title: Acme\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(c.base_url, "/");
        assert_eq!(c.timezone, "UTC");
        assert_eq!(c.severities.len(), 4);
        assert!(c.severities[1].postmortem_required && !c.severities[2].postmortem_required);
        assert_eq!(c.slo_days(Priority::P3), 90);
        assert_eq!(c.capacity_targets.get(&ItemType::TechDebt), Some(&0.2));
    }

    #[test]
    fn partial_slo_map_is_merged_and_capacity_map_replaces() {
        let (c, diags) = parse(
            "title: A\naction_item_slo_days: {p0: 7}\ncapacity_targets: {infrastructure: 0.1}\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(c.slo_days(Priority::P0), 7);
        assert_eq!(c.slo_days(Priority::P1), 28);
        assert_eq!(c.capacity_targets.len(), 1);
        assert_eq!(
            c.capacity_targets.get(&ItemType::Infrastructure),
            Some(&0.1)
        );
    }

    #[test]
    fn base_url_gets_a_trailing_slash_and_a_path() {
        let (c, _) = parse("title: A\nbase_url: https://acme.github.io/report\n");
        assert_eq!(c.base_url, "https://acme.github.io/report/");
        assert_eq!(c.base_path(), "/report/");
        assert_eq!(base_path_of("https://acme.example"), "/");
        assert!(normalize_base_url("report/").is_err());
    }

    #[test]
    fn unknown_timezone_and_typo_field_are_reported_at_their_lines() {
        let (_, diags) = parse("title: A\ntimezone: Europe/Berln\ntheem: dark\n");
        assert_eq!(diags.len(), 2, "{diags:?}");
        let tz = diags
            .iter()
            .find(|d| d.message.contains("timezone"))
            .unwrap();
        assert_eq!((tz.pos.line, tz.pos.col), (2, 11));
        let typo = diags.iter().find(|d| d.message.contains("theem")).unwrap();
        assert_eq!((typo.pos.line, typo.pos.col), (3, 1));
        assert_eq!(typo.help.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn links_must_not_run_script() {
        let (c, diags) = parse(
            "title: A\nlinks:\n  - {title: Ok, url: https://e.com/}\n  - {title: Bad, url: \"javascript:alert(1)\"}\n",
        );
        assert_eq!(c.links.len(), 1);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].pos.line, diags[0].pos.col), (4, 23));
    }

    #[test]
    fn holidays_are_sorted_dates_and_bad_ones_are_reported_where_they_are() {
        let (c, diags) = parse("title: A\nholidays: [2026-12-25, 2026-12-24, 2026-12-25]\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            c.holidays,
            [
                jiff::civil::date(2026, 12, 24),
                jiff::civil::date(2026, 12, 25)
            ]
        );
        let (_, diags) = parse("title: A\nholidays:\n  - 2026-12-24\n  - 2026-02-30\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].message, "invalid date in `holidays`");
        assert_eq!((diags[0].pos.line, diags[0].pos.col), (4, 5));
        let (_, diags) = parse("title: A\nholidays: 2026-12-24\n");
        assert_eq!(diags[0].message, "wrong type for `holidays`");
        assert_eq!((diags[0].pos.line, diags[0].pos.col), (2, 11));
    }

    #[test]
    fn history_fields_default_to_on_without_review_point_or_snapshots() {
        let (c, diags) = parse("title: A\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert!(c.history);
        assert_eq!((c.review_since, c.snapshots), (None, None));
        let (c, diags) =
            parse("title: A\nhistory: false\nreview_since: review-2026-q3\nsnapshots: quarterly\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert!(!c.history);
        assert_eq!(c.review_since.as_deref(), Some("review-2026-q3"));
        assert_eq!(c.snapshots, Some(Snapshots::Quarterly));
        let (_, diags) = parse("title: A\nsnapshots: monthly\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].pos.line, diags[0].pos.col), (2, 12));
    }

    #[test]
    fn missing_title_is_an_error() {
        let (_, diags) = parse("description: x\n");
        assert_eq!(diags[0].message, "missing required field `title`");
    }
}
