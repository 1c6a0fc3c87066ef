//! Per-item events: the plan fields of each roadmap item, followed commit by commit.
//!
//! Pure: commits and the parsed states of the files that changed in each come in, events
//! come out. An item is known by its id at each commit, so a file renamed with the same id
//! stays the same item; a file that does not parse at a commit keeps its last readable state.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use serde::Serialize;

use crate::content::RoadmapItem;

/// The fields whose changes are events, in the order they are listed.
pub const FIELDS: [&str; 9] = [
    "title",
    "status",
    "horizon",
    "team",
    "target",
    "baseline_target",
    "start",
    "shipped",
    "estimate",
];

/// A field's value as written: text (titles, keywords, dates) or working days.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Text(String),
    Days(f64),
}

impl FieldValue {
    pub fn date(&self) -> Option<Date> {
        match self {
            FieldValue::Text(t) => t.parse().ok(),
            FieldValue::Days(_) => None,
        }
    }

    pub fn text(&self) -> String {
        match self {
            FieldValue::Text(t) => t.clone(),
            FieldValue::Days(d) => format!("{d}d"),
        }
    }
}

/// The plan fields of one item at one commit, in `FIELDS` order.
pub type State = [Option<FieldValue>; 9];

/// The plan fields of a parsed item.
pub fn state_of(item: &RoadmapItem) -> State {
    let text = |s: &str| Some(FieldValue::Text(s.to_string()));
    let date = |d: Option<Date>| d.map(|d| FieldValue::Text(d.to_string()));
    let baseline = match item.baseline_source {
        crate::content::roadmap::BaselineSource::Field => item.baseline_target,
        _ => None,
    };
    [
        text(&item.title),
        text(&item.status.to_string()),
        item.horizon_written.and_then(|h| text(&h.to_string())),
        item.team.as_deref().and_then(text),
        date(item.target),
        date(baseline),
        date(item.start),
        date(item.shipped),
        item.estimate.map(FieldValue::Days),
    ]
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: Option<FieldValue>,
    pub to: Option<FieldValue>,
}

/// One commit's changes to one item. Fields in alphabetical order (metrics.json).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub author: String,
    pub changes: Vec<FieldChange>,
    /// 12 hex digits.
    pub commit: String,
    pub created: bool,
    pub date: Date,
    pub removed: bool,
}

impl Event {
    /// The change to `field` in this event, if any.
    pub fn change(&self, field: &str) -> Option<&FieldChange> {
        self.changes.iter().find(|c| c.field == field)
    }
}

/// Which commit an event belongs to.
#[derive(Clone, Debug)]
pub struct Stamp {
    pub commit: String,
    pub date: Date,
    pub author: String,
}

/// One changed roadmap file at a commit, as read.
#[derive(Clone, Debug)]
pub enum FileState {
    /// Deleted (or no longer a roadmap file).
    Gone,
    /// Present but not readable at this commit: its item keeps its last readable state.
    Unreadable,
    /// Read: the item's id and plan fields.
    Item(String, Box<State>),
}

/// Follows items commit by commit.
#[derive(Default)]
pub struct Tracker {
    /// The last readable state of each roadmap file.
    paths: HashMap<String, (String, Box<State>)>,
    /// The files holding each id.
    ids: HashMap<String, BTreeSet<String>>,
    pub events: BTreeMap<String, Vec<Event>>,
    /// Files skipped because they did not parse, counted once per commit.
    pub unreadable: usize,
}

impl Tracker {
    /// The state of an item: that of the first file (by path) holding its id.
    fn state(&self, id: &str) -> Option<&State> {
        let rel = self.ids.get(id)?.iter().next()?;
        self.paths.get(rel).map(|(_, s)| &**s)
    }

    fn forget(&mut self, rel: &str) {
        if let Some((old, _)) = self.paths.remove(rel)
            && let Some(set) = self.ids.get_mut(&old)
        {
            set.remove(rel);
            if set.is_empty() {
                self.ids.remove(&old);
            }
        }
    }

    /// Take in one commit's changed files; record an event for each item whose plan fields
    /// changed, appeared or disappeared.
    pub fn apply(&mut self, stamp: &Stamp, files: Vec<(String, FileState)>) {
        let mut affected: BTreeSet<String> = BTreeSet::new();
        for (rel, file) in &files {
            if let Some((id, _)) = self.paths.get(rel) {
                affected.insert(id.clone());
            }
            if let FileState::Item(id, _) = file {
                affected.insert(id.clone());
            }
        }
        let before: Vec<Option<State>> =
            affected.iter().map(|id| self.state(id).cloned()).collect();
        for (rel, file) in files {
            match file {
                FileState::Gone => self.forget(&rel),
                FileState::Unreadable => self.unreadable += 1,
                FileState::Item(id, state) => {
                    self.forget(&rel);
                    self.ids.entry(id.clone()).or_default().insert(rel.clone());
                    self.paths.insert(rel, (id, state));
                }
            }
        }
        for (id, before) in affected.into_iter().zip(before) {
            let after = self.state(&id).cloned();
            if let Some(event) = event(stamp, before.as_ref(), after.as_ref()) {
                self.events.entry(id).or_default().push(event);
            }
        }
    }
}

/// The event between two states of an item, if anything changed.
fn event(stamp: &Stamp, before: Option<&State>, after: Option<&State>) -> Option<Event> {
    let none: State = Default::default();
    let (created, removed) = (before.is_none(), after.is_none());
    if created && removed {
        return None;
    }
    let (a, b) = (before.unwrap_or(&none), after.unwrap_or(&none));
    let changes: Vec<FieldChange> = if removed {
        Vec::new()
    } else {
        FIELDS
            .iter()
            .zip(a.iter().zip(b.iter()))
            .filter(|(_, (x, y))| x != y)
            .map(|(field, (x, y))| FieldChange {
                field,
                from: x.clone(),
                to: y.clone(),
            })
            .collect()
    };
    if !created && !removed && changes.is_empty() {
        return None;
    }
    Some(Event {
        author: stamp.author.clone(),
        changes,
        commit: stamp.commit.clone(),
        created,
        date: stamp.date,
        removed,
    })
}
