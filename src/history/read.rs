//! Reading a site's history: the first-parent chain of HEAD, and the plan fields of every
//! roadmap item that changed in each commit (only changed blobs are parsed).

use std::collections::BTreeMap;

use gix::ObjectId;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::git::{CommitInfo, Repo};
use super::items::{Event, FileState, Stamp, Tracker, state_of};
use crate::config::SiteConfig;
use crate::content::load::{Entry, Kind, parse_file};

/// One commit of the first-parent chain, with its local date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub id: ObjectId,
    /// 12 hex digits.
    pub short: String,
    /// The committer date in the site timezone.
    pub date: Date,
    pub tree: ObjectId,
    /// Committer time, seconds since the Unix epoch (orders commits of one day).
    pub seconds: i64,
}

/// Everything read from git for a build.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// The first-parent chain of HEAD, oldest first.
    pub commits: Vec<Commit>,
    /// Per item id, oldest first.
    pub events: BTreeMap<String, Vec<Event>>,
    /// Roadmap files skipped because they did not parse, once per commit.
    pub unreadable: usize,
    /// The chain ends before the first commit (shallow clone, missing objects, the cap).
    pub partial: bool,
    /// Tags naming commits, by name.
    pub tags: Vec<(String, ObjectId)>,
}

/// The local date in `tz` of a time in seconds since the Unix epoch.
pub fn local_date(seconds: i64, tz: &TimeZone) -> Option<Date> {
    let ts = jiff::Timestamp::from_second(seconds).ok()?;
    Some(ts.to_zoned_datetime(tz.clone()).date())
}

/// Read the history of the site in `repo`. `progress` hears how many commits were walked.
pub fn read(repo: &Repo, config: &SiteConfig, progress: &mut dyn FnMut(usize)) -> History {
    let mut history = History {
        tags: repo.tags(),
        ..History::default()
    };
    let Some(head) = repo.head() else {
        return history;
    };
    let chain = repo.chain(head, progress);
    history.partial = chain.partial;
    history.commits = chain
        .commits
        .iter()
        .map(|c| commit(c, &config.tz))
        .collect();

    // Which roadmap files changed in each commit (cheap: unchanged folders are skipped).
    let mut per_commit: Vec<Vec<(String, Option<ObjectId>)>> = Vec::new();
    let mut jobs: Vec<(String, ObjectId)> = Vec::new();
    let mut previous = None;
    for c in &chain.commits {
        let changed: Vec<(String, Option<ObjectId>)> = repo
            .content_changes(previous, c.tree)
            .into_iter()
            .filter(|f| is_roadmap(&f.rel))
            .map(|f| (f.rel, f.new))
            .collect();
        for (rel, new) in &changed {
            if let Some(id) = new {
                jobs.push((rel.clone(), *id));
            }
        }
        per_commit.push(changed);
        previous = Some(c.tree);
    }
    // Parse every changed blob once, in parallel.
    let parsed = repo.map_blobs(&jobs, config.max_file_size, |rel, bytes| {
        roadmap_state(rel, bytes, config)
    });
    let mut parsed = jobs
        .iter()
        .zip(parsed)
        .map(|((rel, _), s)| (rel.clone(), s));

    let mut tracker = Tracker::default();
    for ((c, info), changed) in history.commits.iter().zip(&chain.commits).zip(per_commit) {
        let stamp = Stamp {
            commit: c.short.clone(),
            date: c.date,
            author: info.author.clone(),
        };
        let files: Vec<(String, FileState)> = changed
            .into_iter()
            .map(|(rel, new)| match new {
                None => (rel, FileState::Gone),
                Some(_) => parsed
                    .next()
                    .map(|(_, s)| (rel.clone(), s))
                    .unwrap_or((rel, FileState::Unreadable)),
            })
            .collect();
        tracker.apply(&stamp, files);
    }
    history.events = tracker.events;
    history.unreadable = tracker.unreadable;
    history
}

pub fn commit(c: &CommitInfo, tz: &TimeZone) -> Commit {
    Commit {
        seconds: c.seconds,
        id: c.id,
        short: c.short(),
        date: local_date(c.seconds, tz).unwrap_or(Date::ZERO),
        tree: c.tree,
    }
}

fn is_roadmap(rel: &str) -> bool {
    rel.starts_with("content/roadmap/") && Kind::Roadmap.accepts_path(rel)
}

/// A roadmap file's plan fields at one commit; unreadable when it has errors.
fn roadmap_state(rel: &str, bytes: Option<Vec<u8>>, config: &SiteConfig) -> FileState {
    let Some(bytes) = bytes else {
        return FileState::Unreadable;
    };
    match parse_file(Kind::Roadmap, rel, &bytes, config) {
        (Some(Entry::Roadmap(item)), diags) if !diags.iter().any(|d| d.is_error()) => {
            FileState::Item(item.id.clone(), Box::new(state_of(&item)))
        }
        _ => FileState::Unreadable,
    }
}
