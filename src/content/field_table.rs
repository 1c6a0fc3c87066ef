//! Every field of every kind of file, defined once: its name, type, whether it is required
//! and a one-line description. The loader's lists of known fields, the JSON Schemas
//! (`throughline schema`), the editor's completion and hover, and the check against
//! docs/content.md all read these tables.

use super::keywords::{
    ActionStatus, ActionType, Cause, Confidence, Detection, Direction, Horizon, ItemStatus,
    ItemType, Keyword, PostmortemStatus, Priority,
};

/// The kinds of file an id can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Roadmap,
    Outcome,
    Postmortem,
}

impl Target {
    /// "roadmap item", for descriptions and hovers.
    pub fn noun(self) -> &'static str {
        match self {
            Target::Roadmap => "roadmap item",
            Target::Outcome => "outcome",
            Target::Postmortem => "post-mortem",
        }
    }
}

/// What a field holds, as the content format writes it.
#[derive(Clone, Copy, Debug)]
pub enum Type {
    /// Text; a number written without quotes reads as text too.
    Text,
    Bool,
    /// A whole number within `min..=max`.
    Whole {
        min: i64,
        max: i64,
    },
    /// A number, at least `min` when given.
    Number {
        min: Option<f64>,
    },
    /// A share: more than 0 (or 0 itself when `zero_ok`), at most 1.
    Share {
        zero_ok: bool,
    },
    /// One of these numbers.
    OneOfNumbers(&'static [f64]),
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339, seconds optional, a space may replace the `T`.
    DateTime,
    /// Working days: a number, or `"3d"`, `"2w"`.
    Effort,
    /// The id of another file.
    Ref(Target),
    /// A list of ids of other files.
    Refs(Target),
    /// A list of text; `non_empty` when at least one is required.
    Texts {
        non_empty: bool,
    },
    /// A list of dates.
    Dates,
    /// One of a fixed set of words.
    Keyword(&'static [&'static str]),
    /// The id of a severity of site.yaml.
    Severity,
    /// A map of these fields.
    Object(&'static Table),
    /// A list of maps of these fields.
    Objects(&'static Table),
    /// A map from these words to values of one type.
    KeyedMap {
        keys: &'static [&'static str],
        value: &'static Type,
    },
    /// A byte size: a whole number of bytes or text like `10 MiB`.
    Size,
}

impl Type {
    /// How the type reads in a hover: "a date (YYYY-MM-DD)".
    pub fn describe(&self) -> String {
        match self {
            Type::Text => "text".into(),
            Type::Bool => "true or false".into(),
            Type::Whole { min, max } => format!("a whole number from {min} to {max}"),
            Type::Number { min: Some(m) } => format!("a number, {m} or more"),
            Type::Number { min: None } => "a number".into(),
            Type::Share { zero_ok: true } => "a share from 0 to 1".into(),
            Type::Share { zero_ok: false } => "a share above 0, at most 1".into(),
            Type::OneOfNumbers(ns) => format!(
                "one of {}",
                ns.iter().map(f64::to_string).collect::<Vec<_>>().join(", ")
            ),
            Type::Date => "a date (YYYY-MM-DD)".into(),
            Type::DateTime => "a date-time (2026-08-14T09:12:00Z)".into(),
            Type::Effort => "working days (3, 2.5, \"3d\", \"2w\")".into(),
            Type::Ref(t) => format!("a {} id", t.noun()),
            Type::Refs(t) => format!("a list of {} ids", t.noun()),
            Type::Texts { non_empty: true } => "a non-empty list of text".into(),
            Type::Texts { non_empty: false } => "a list of text".into(),
            Type::Dates => "a list of dates".into(),
            Type::Keyword(words) => format!("one of {}", words.join(", ")),
            Type::Severity => "a severity id of site.yaml".into(),
            Type::Object(t) => format!("a map: {{{}}}", t.names().join(", ")),
            Type::Objects(t) => format!("a list of {{{}}}", t.names().join(", ")),
            Type::KeyedMap { keys, value } => {
                format!("a map from {} to {}", keys.join("/"), value.describe())
            }
            Type::Size => "a size (20 MiB, 500 KiB, or bytes as a number)".into(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    pub doc: &'static str,
}

/// The fields of one kind of map: a file's front matter or a nested map.
#[derive(Debug)]
pub struct Table {
    /// What the map is, in messages: "a roadmap item", "`rice`".
    pub what: &'static str,
    pub fields: &'static [Field],
}

impl Table {
    pub fn names(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }

    pub fn get(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const fn field(name: &'static str, ty: Type, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        doc,
    }
}

const fn required(name: &'static str, ty: Type, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        doc,
    }
}

const ID_DOC: &str = "The id other files use to refer to this one: lowercase letters, digits and `-`; defaults to the file name";

pub static SITE: Table = Table {
    what: "site.yaml",
    fields: &[
        field(
            "format",
            Type::Whole {
                min: 1,
                max: u32::MAX as i64,
            },
            "The content format the report is written in; default 1.",
        ),
        required("title", Type::Text, "Site title."),
        field("description", Type::Text, "One line under the title."),
        field(
            "base_url",
            Type::Text,
            "Where the site is published, e.g. `https://acme.github.io/report/`; default `/`.",
        ),
        field(
            "as_of",
            Type::Date,
            "The date every \"now\" metric is computed at; default today in `timezone`.",
        ),
        field(
            "timezone",
            Type::Text,
            "IANA time zone name for date-times without offset and for \"today\"; default `UTC`.",
        ),
        field(
            "theme",
            Type::Text,
            "Theme name: `themes/<name>/` in the site, else a built-in theme; default `default`.",
        ),
        field(
            "output_dir",
            Type::Text,
            "Output folder, relative to the site root; default `public`.",
        ),
        field(
            "max_file_size",
            Type::Size,
            "The largest file read from the site: bytes, or `20 MiB`, `500 KiB`, `1 GiB`; default 10 MiB.",
        ),
        field(
            "allow_html",
            Type::Bool,
            "Keep raw HTML in Markdown (otherwise it is escaped); default false.",
        ),
        field(
            "severities",
            Type::Objects(&SEVERITY),
            "Incident severities, most severe first; default SEV1..SEV4.",
        ),
        field(
            "action_item_slo_days",
            Type::KeyedMap {
                keys: Priority::NAMES,
                value: &Type::Whole {
                    min: 0,
                    max: u32::MAX as i64,
                },
            },
            "Days an action item of each priority may stay open; merged over p0 14, p1 28, p2 56, p3 90.",
        ),
        field(
            "capacity_targets",
            Type::KeyedMap {
                keys: ItemType::NAMES,
                value: &Type::Share { zero_ok: true },
            },
            "Target share of delivered effort per item type (0..1); replaces the default `{tech-debt: 0.2}`.",
        ),
        field(
            "quarter_start_month",
            Type::Whole { min: 1, max: 12 },
            "First month of quarter 1, for fiscal years; default 1.",
        ),
        field("links", Type::Objects(&LINK), "Extra navigation links."),
        field(
            "holidays",
            Type::Dates,
            "Non-working days for forecasts; order and repeats do not matter.",
        ),
        field(
            "history",
            Type::Bool,
            "Read plan history from git when the site is in a repository; default true.",
        ),
        field(
            "review_since",
            Type::Text,
            "The review point of /changes/: a date, tag or commit; --since overrides.",
        ),
        field(
            "snapshots",
            Type::Keyword(&["quarterly"]),
            "Build the last eight quarters under /archive/; off when absent.",
        ),
    ],
};

pub static SEVERITY: Table = Table {
    what: "a severity",
    fields: &[
        required("id", Type::Text, "The id post-mortems give as `severity`."),
        field("label", Type::Text, "Shown instead of the id."),
        field("description", Type::Text, "What this severity means."),
        field(
            "postmortem_required",
            Type::Bool,
            "Post-mortems of this severity are expected to have action items.",
        ),
    ],
};

pub static LINK: Table = Table {
    what: "a link",
    fields: &[
        required("title", Type::Text, "The link text."),
        required("url", Type::Text, "A web address or a path."),
    ],
};

pub static ROADMAP: Table = Table {
    what: "a roadmap item",
    fields: &[
        field("id", Type::Ref(Target::Roadmap), ID_DOC),
        required("title", Type::Text, "The item's title."),
        required("type", Type::Keyword(ItemType::NAMES), "The kind of work."),
        required(
            "status",
            Type::Keyword(ItemStatus::NAMES),
            "Where the work stands.",
        ),
        field(
            "horizon",
            Type::Keyword(Horizon::NAMES),
            "Board column; defaults: in-progress→now, planned→next, idea/paused→later.",
        ),
        field("team", Type::Text, "The team doing the work."),
        field("owner", Type::Text, "The person answerable for it."),
        field("tags", Type::Texts { non_empty: false }, "Free labels."),
        field("summary", Type::Text, "One line for cards and lists."),
        field(
            "hypothesis",
            Type::Text,
            "\"We believe … will …\"; expected on experiments.",
        ),
        field(
            "value",
            Type::Text,
            "Business value in business terms; expected on tech-debt and infrastructure.",
        ),
        field(
            "outcomes",
            Type::Refs(Target::Outcome),
            "The outcomes (success metrics) this item should move.",
        ),
        field(
            "depends_on",
            Type::Refs(Target::Roadmap),
            "Roadmap items this one waits for; must not form a cycle.",
        ),
        field(
            "services",
            Type::Texts { non_empty: false },
            "Systems touched (the blast radius).",
        ),
        field("start", Type::Date, "When work started."),
        field("target", Type::Date, "The current target date."),
        field(
            "baseline_target",
            Type::Date,
            "The first committed target; defaults to `target`; slip is measured against it.",
        ),
        field(
            "shipped",
            Type::Date,
            "When it shipped; required when status is shipped, and only then.",
        ),
        field("estimate", Type::Effort, "Planned effort in working days."),
        field(
            "actual",
            Type::Effort,
            "Spent effort in working days, when known.",
        ),
        field(
            "confidence",
            Type::Keyword(Confidence::NAMES),
            "Confidence in the target date.",
        ),
        field(
            "rice",
            Type::Object(&RICE),
            "RICE score inputs: reach × impact × confidence ÷ effort.",
        ),
        field("release", Type::Object(&RELEASE), "Release readiness."),
        field(
            "postmortems",
            Type::Refs(Target::Postmortem),
            "Incidents this item responds to.",
        ),
    ],
};

pub static RICE: Table = Table {
    what: "`rice`",
    fields: &[
        required(
            "reach",
            Type::Number { min: Some(0.0) },
            "People or events affected per period.",
        ),
        required(
            "impact",
            Type::OneOfNumbers(&[0.25, 0.5, 1.0, 2.0, 3.0]),
            "Impact per person: 0.25, 0.5, 1, 2 or 3.",
        ),
        required(
            "confidence",
            Type::Share { zero_ok: false },
            "Confidence in the estimates: above 0, at most 1.",
        ),
        required(
            "effort",
            Type::Number { min: None },
            "Effort in person-periods; more than 0.",
        ),
    ],
};

pub static RELEASE: Table = Table {
    what: "`release`",
    fields: &[
        field(
            "feature_flag",
            Type::Text,
            "The flag that turns the change on.",
        ),
        field(
            "rollback_plan",
            Type::Text,
            "How to undo the change; expected on in-progress items.",
        ),
        field(
            "monitoring",
            Type::Text,
            "How the change is watched once live.",
        ),
    ],
};

pub static OUTCOME: Table = Table {
    what: "an outcome",
    fields: &[
        field("id", Type::Ref(Target::Outcome), ID_DOC),
        required(
            "title",
            Type::Text,
            "The metric's name, e.g. \"Checkout abandonment\".",
        ),
        required(
            "unit",
            Type::Text,
            "Shown after values: `%`, `days`, `ms`, `users`, …",
        ),
        required(
            "direction",
            Type::Keyword(Direction::NAMES),
            "Which way is better.",
        ),
        required(
            "baseline",
            Type::Object(&BASELINE),
            "Where the metric started.",
        ),
        required(
            "target",
            Type::Object(&TARGET),
            "Where it must be, by when; strictly on the `direction` side of the baseline.",
        ),
        field(
            "measurements",
            Type::Objects(&MEASUREMENT),
            "Observations; dates unique and not before the baseline date.",
        ),
        field("owner", Type::Text, "The person answerable for the metric."),
        field("team", Type::Text, "The team that owns the metric."),
        field("tags", Type::Texts { non_empty: false }, "Free labels."),
        field(
            "description",
            Type::Text,
            "Markdown, in `.yaml` files; a `.md` file uses its body instead.",
        ),
    ],
};

pub static BASELINE: Table = Table {
    what: "`baseline`",
    fields: &POINT_FIELDS,
};

pub static TARGET: Table = Table {
    what: "`target`",
    fields: &POINT_FIELDS,
};

const POINT_FIELDS: [Field; 2] = [
    required("value", Type::Number { min: None }, "The metric's value."),
    required("date", Type::Date, "The date of the value."),
];

pub static MEASUREMENT: Table = Table {
    what: "a measurement",
    fields: &[
        required("date", Type::Date, "When it was measured."),
        required("value", Type::Number { min: None }, "The measured value."),
        field("note", Type::Text, "A remark shown with the value."),
    ],
};

pub static POSTMORTEM: Table = Table {
    what: "a post-mortem",
    fields: &[
        field("id", Type::Ref(Target::Postmortem), ID_DOC),
        required("title", Type::Text, "The incident's title."),
        field(
            "status",
            Type::Keyword(PostmortemStatus::NAMES),
            "Default published; drafts are left out unless `--drafts`.",
        ),
        required(
            "severity",
            Type::Severity,
            "A severity id from site.yaml's `severities`.",
        ),
        required(
            "services",
            Type::Texts { non_empty: true },
            "Affected services; at least one.",
        ),
        field("teams", Type::Texts { non_empty: false }, "Teams involved."),
        field("authors", Type::Texts { non_empty: false }, "Who wrote it."),
        field("tags", Type::Texts { non_empty: false }, "Free labels."),
        required("started", Type::DateTime, "When customer impact began."),
        required("detected", Type::DateTime, "When the incident was noticed."),
        field(
            "mitigated",
            Type::DateTime,
            "When impact stopped; defaults to `resolved`.",
        ),
        required("resolved", Type::DateTime, "When it was fully resolved."),
        field(
            "detection",
            Type::Keyword(Detection::NAMES),
            "How it was noticed.",
        ),
        field("cause", Type::Keyword(Cause::NAMES), "Root-cause category."),
        field("trigger", Type::Text, "What set it off."),
        field(
            "impact",
            Type::Object(&IMPACT),
            "Who and what was affected; numbers 0 or more.",
        ),
        field(
            "timeline",
            Type::Objects(&TIMELINE_ENTRY),
            "What happened when.",
        ),
        field(
            "action_items",
            Type::Objects(&ACTION_ITEM),
            "Follow-up work, tracked to closure.",
        ),
        field(
            "roadmap",
            Type::Refs(Target::Roadmap),
            "Roadmap items that respond to this incident.",
        ),
    ],
};

pub static IMPACT: Table = Table {
    what: "`impact`",
    fields: &[
        field("summary", Type::Text, "The impact in one line."),
        field("users", Type::Number { min: Some(0.0) }, "Users affected."),
        field("revenue", Type::Number { min: Some(0.0) }, "Revenue lost."),
        field(
            "support_tickets",
            Type::Number { min: Some(0.0) },
            "Support tickets raised.",
        ),
        field("data_loss", Type::Bool, "Whether data was lost."),
    ],
};

pub static TIMELINE_ENTRY: Table = Table {
    what: "a timeline entry",
    fields: &[
        required("at", Type::DateTime, "When it happened."),
        required("event", Type::Text, "What happened."),
    ],
};

pub static ACTION_ITEM: Table = Table {
    what: "an action item",
    fields: &[
        required("title", Type::Text, "What is to be done."),
        required("owner", Type::Text, "Who does it."),
        required("due", Type::Date, "When it is due."),
        required(
            "status",
            Type::Keyword(ActionStatus::NAMES),
            "Where it stands.",
        ),
        field(
            "priority",
            Type::Keyword(Priority::NAMES),
            "Default p2; sets how long it may stay open (site.yaml `action_item_slo_days`).",
        ),
        field(
            "type",
            Type::Keyword(ActionType::NAMES),
            "What the action does about the incident.",
        ),
        field(
            "done_on",
            Type::Date,
            "When it was done; only with status done.",
        ),
        field(
            "roadmap",
            Type::Ref(Target::Roadmap),
            "The roadmap item that carries the work.",
        ),
    ],
};

pub static PAGE: Table = Table {
    what: "a page",
    fields: &[
        field("id", Type::Text, ID_DOC),
        required("title", Type::Text, "The page title."),
    ],
};

/// The top-level tables with a JSON Schema each: (file name stem, table).
pub const SCHEMAS: [(&str, &Table); 4] = [
    ("site", &SITE),
    ("roadmap", &ROADMAP),
    ("outcome", &OUTCOME),
    ("postmortem", &POSTMORTEM),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::config::{self, SiteConfig};
    use crate::content::load::{Kind, parse_file};

    const CONTENT_DOC: &str = include_str!("../../docs/content.md");

    /// The rows of the field table under the `## {heading}` section of docs/content.md:
    /// (field names, type column, required column).
    fn doc_rows(heading: &str) -> Vec<(Vec<String>, String, String)> {
        let section = CONTENT_DOC
            .split("\n## ")
            .find(|s| s.starts_with(heading))
            .unwrap_or_else(|| panic!("no section `{heading}` in docs/content.md"));
        section
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| field"))
            .map(|l| {
                let cols: Vec<&str> = l.split('|').map(str::trim).collect();
                let names = cols[1].split(", ").map(str::to_string).collect();
                (names, cols[2].to_string(), cols[3].to_string())
            })
            .collect()
    }

    fn table_names(table: &Table) -> BTreeSet<String> {
        // `id` is described once in the prose above the tables, for every kind.
        table
            .names()
            .into_iter()
            .filter(|n| *n != "id")
            .map(str::to_string)
            .collect()
    }

    /// The backquoted words of a type column that lists enum values: `a` `b` → {a, b}.
    fn listed_words(column: &str) -> Option<BTreeSet<String>> {
        let words: Vec<&str> = column.split_whitespace().collect();
        let all_quoted = words
            .iter()
            .all(|w| w.len() > 2 && w.starts_with('`') && w.ends_with('`'));
        all_quoted.then(|| {
            words
                .iter()
                .map(|w| w.trim_matches('`').to_string())
                .collect()
        })
    }

    fn check_against_doc(heading: &str, table: &Table, required_column: fn(&str, &str) -> bool) {
        let rows = doc_rows(heading);
        let documented: BTreeSet<String> = rows.iter().flat_map(|r| r.0.clone()).collect();
        assert_eq!(documented, table_names(table), "fields of `{heading}`");
        for (names, ty, req) in &rows {
            for name in names {
                let f = table.get(name).unwrap();
                assert_eq!(
                    f.required,
                    required_column(ty, req),
                    "`{name}` in `{heading}`: required in the table is {}",
                    f.required
                );
                match (&f.ty, listed_words(ty)) {
                    (Type::Keyword(words), Some(listed)) => {
                        let ours: BTreeSet<String> = words.iter().map(|w| w.to_string()).collect();
                        assert_eq!(ours, listed, "values of `{name}` in `{heading}`");
                    }
                    (Type::Keyword(_), None) => panic!("`{name}` in `{heading}` lists no values"),
                    (_, Some(_)) => {
                        panic!("`{name}` in `{heading}` lists values; the table has none")
                    }
                    _ => {}
                }
            }
        }
    }

    fn yes_column(_ty: &str, req: &str) -> bool {
        req == "yes"
    }

    #[test]
    fn docs_tables_agree_with_the_field_tables() {
        check_against_doc("site.yaml", &SITE, |ty, _| ty.contains("required"));
        check_against_doc("Roadmap item", &ROADMAP, yes_column);
        check_against_doc("Outcome", &OUTCOME, yes_column);
        check_against_doc("Post-mortem", &POSTMORTEM, yes_column);
    }

    /// Splits at commas outside parentheses.
    fn top_level_parts(text: &str) -> Vec<String> {
        let (mut parts, mut cur, mut depth) = (Vec::new(), String::new(), 0);
        for c in text.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(std::mem::take(&mut cur));
                    continue;
                }
                _ => {}
            }
            cur.push(c);
        }
        parts.push(cur);
        parts
    }

    #[test]
    fn docs_action_item_line_agrees_with_the_table() {
        let start = CONTENT_DOC.find("Action item: `{").unwrap() + "Action item: `{".len();
        let end = start + CONTENT_DOC[start..].find("}`").unwrap();
        let text = CONTENT_DOC[start..end].replace('\n', " ");
        let mut documented = BTreeSet::new();
        for part in top_level_parts(&text) {
            let part = part.trim();
            let name_end = part.find(['?', ':']).unwrap_or(part.len());
            let name = &part[..name_end];
            let optional = part[name_end..].starts_with('?');
            let f = ACTION_ITEM.get(name).unwrap_or_else(|| panic!("`{name}`"));
            assert_eq!(f.required, !optional, "action item `{name}`");
            documented.insert(name.to_string());
        }
        assert_eq!(documented, table_names(&ACTION_ITEM));
    }

    const FULL_ITEM: &str = "---\ntitle: T\ntype: feature\nstatus: shipped\nhorizon: now\nteam: a\nowner: b\ntags: [x]\nsummary: s\nhypothesis: h\nvalue: v\noutcomes: [o]\ndepends_on: [d]\nservices: [s]\nstart: 2026-01-01\ntarget: 2026-02-01\nbaseline_target: 2026-02-01\nshipped: 2026-02-02\nestimate: 3\nactual: 4\nconfidence: low\nrice: {reach: 1, impact: 1, confidence: 1, effort: 1}\nrelease: {monitoring: m}\npostmortems: [p]\n---\n";
    const FULL_OUTCOME: &str = "title: T\nunit: '%'\ndirection: increase\nbaseline: {value: 1, date: 2026-01-01}\ntarget: {value: 2, date: 2026-06-01}\nmeasurements: [{date: 2026-02-01, value: 1.5}]\nowner: a\nteam: b\ntags: [x]\ndescription: d\n";
    const FULL_POSTMORTEM: &str = "---\ntitle: T\nstatus: draft\nseverity: SEV3\nservices: [a]\nteams: [t]\nauthors: [u]\ntags: [x]\nstarted: 2026-01-01T10:00Z\ndetected: 2026-01-01T10:05Z\nmitigated: 2026-01-01T10:10Z\nresolved: 2026-01-01T10:20Z\ndetection: alert\ncause: code\ntrigger: t\nimpact: {users: 1}\ntimeline: [{at: 2026-01-01T10:00Z, event: e}]\naction_items: [{title: a, owner: b, due: 2026-02-01, status: open}]\nroadmap: [r]\n---\n";
    const FULL_SITE: &str = "format: 1\ntitle: T\ndescription: d\nbase_url: /\nas_of: 2026-01-01\ntimezone: UTC\ntheme: default\noutput_dir: public\nmax_file_size: 1 MiB\nallow_html: false\nseverities: [{id: SEV1}]\naction_item_slo_days: {p0: 1}\ncapacity_targets: {tech-debt: 0.1}\nquarter_start_month: 2\nlinks: [{title: a, url: /}]\nholidays: [2026-12-25]\nhistory: false\nreview_since: review-2026-q3\nsnapshots: quarterly\n";

    /// Removes the top-level line `name: …` of a file.
    fn without(text: &str, name: &str) -> String {
        text.lines()
            .filter(|l| !l.starts_with(&format!("{name}:")))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    fn missing_reported(diags: &[crate::diagnostics::Diagnostic], name: &str) -> bool {
        let want = format!("missing required field `{name}`");
        diags.iter().any(|d| d.message == want)
    }

    /// The loader's required fields are the table's: a file that lacks a field is told so
    /// exactly when the table marks it required.
    #[test]
    fn loader_requires_what_the_table_requires() {
        let config = SiteConfig::default();
        for (kind, rel, full, table) in [
            (Kind::Roadmap, "content/roadmap/x.md", FULL_ITEM, &ROADMAP),
            (
                Kind::Outcome,
                "content/outcomes/x.yaml",
                FULL_OUTCOME,
                &OUTCOME,
            ),
            (
                Kind::Postmortem,
                "content/postmortems/x.md",
                FULL_POSTMORTEM,
                &POSTMORTEM,
            ),
        ] {
            let (entry, diags) = parse_file(kind, rel, full.as_bytes(), &config);
            assert!(entry.is_some() && diags.is_empty(), "{rel}: {diags:?}");
            for f in table.fields.iter().filter(|f| f.name != "id") {
                let text = without(full, f.name);
                assert_ne!(text, full, "{rel} lacks `{}`", f.name);
                let (_, diags) = parse_file(kind, rel, text.as_bytes(), &config);
                assert_eq!(
                    missing_reported(&diags, f.name),
                    f.required,
                    "{rel} `{}`",
                    f.name
                );
            }
        }
        let (_, diags) = config::parse(FULL_SITE);
        assert!(diags.is_empty(), "{diags:?}");
        for f in SITE.fields {
            let text = without(FULL_SITE, f.name);
            assert_ne!(text, FULL_SITE, "site.yaml lacks `{}`", f.name);
            let (_, diags) = config::parse(&text);
            assert_eq!(
                missing_reported(&diags, f.name),
                f.required,
                "site.yaml `{}`",
                f.name
            );
        }
    }
}
