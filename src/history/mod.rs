//! Plan history from git (spec/history.md): re-plans, baselines nobody keeps by hand, what
//! changed since a review, and snapshots of past quarters.
//!
//! `git` is the only module that reads the repository; `read` turns its commits into per
//! item events; the rest are pure functions of the model, the history and `as_of`.

pub mod git;
pub mod items;
mod pack_cache;
pub mod plan;
pub mod read;

pub use plan::{HistoryMetrics, ItemHistory, ReplanQuarter};
pub use read::{Commit, History};
pub mod changes;
pub mod review;
pub mod tree;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use crate::config::SiteConfig;

/// History kept between builds: read again only when HEAD or the tags move.
#[derive(Default)]
pub struct Cache {
    fingerprint: Option<String>,
    history: Option<Arc<History>>,
    /// The model of a commit's content, by commit (the review point's, the snapshots').
    models: std::collections::BTreeMap<gix::ObjectId, Result<Arc<crate::model::Model>, String>>,
    /// The report at the review point of the last build, and what it was made from: it
    /// does not change with the content now, so an edit reuses it.
    then: Option<(ThenKey, ThenFound)>,
    /// How long the last read took, in milliseconds.
    pub millis: f64,
    /// Times history was read (for `serve`: an edit to content reads nothing).
    pub reads: usize,
}

impl Cache {
    /// The history of the site at `root`, read again when HEAD or a tag moved; None when
    /// history is off (`history: false`, or no repository).
    pub fn refresh(
        &mut self,
        root: &Path,
        config: &SiteConfig,
        progress: &mut dyn FnMut(usize),
    ) -> Option<Arc<History>> {
        let repo = config.history.then(|| git::Repo::discover(root)).flatten();
        let Some(repo) = repo else {
            *self = Cache {
                reads: self.reads,
                ..Cache::default()
            };
            return None;
        };
        let fingerprint = fingerprint(&repo, config);
        if self.fingerprint.as_ref() != Some(&fingerprint) || self.history.is_none() {
            let started = Instant::now();
            self.history = Some(Arc::new(read::read(&repo, config, progress)));
            self.millis = started.elapsed().as_secs_f64() * 1000.0;
            self.reads += 1;
            self.models.clear();
            self.then = None;
            self.fingerprint = Some(fingerprint);
        }
        self.history.clone()
    }

    /// Whether history read now would differ from what is kept: HEAD or a tag moved, or
    /// history was turned on or off.
    pub fn is_stale(&self, root: &Path, config: &SiteConfig) -> bool {
        let repo = config.history.then(|| git::Repo::discover(root)).flatten();
        let now = repo.map(|r| fingerprint(&r, config));
        now != self.fingerprint
    }

    /// The model of the content at a commit (kept for the next build); when it does not
    /// make a consistent report, the first reason why.
    pub fn model_at(
        &mut self,
        root: &Path,
        config: &SiteConfig,
        commit: &Commit,
        drafts: bool,
    ) -> Result<Arc<crate::model::Model>, String> {
        if let Some(m) = self.models.get(&commit.id) {
            return m.clone();
        }
        let model = git::Repo::discover(root)
            .ok_or_else(|| "the repository cannot be opened".to_string())
            .and_then(|repo| tree::model_at(&repo, commit.tree, config, drafts))
            .map(Arc::new);
        self.models.insert(commit.id, model.clone());
        model
    }
}

/// What history depends on besides the content: the timezone its dates are read in, HEAD's
/// commit and every tag.
fn fingerprint(repo: &git::Repo, config: &SiteConfig) -> String {
    format!("{}\n{}", config.timezone, repo.fingerprint())
}

/// Commits off the first-parent chain, looked up in the repository.
struct RepoLookup<'a> {
    repo: &'a git::Repo,
    tz: &'a jiff::tz::TimeZone,
}

impl review::Lookup for RepoLookup<'_> {
    fn commit(&self, hex: &str) -> Option<Commit> {
        let id = self.repo.resolve(hex)?;
        self.tagged(id)
    }

    fn tagged(&self, id: gix::ObjectId) -> Option<Commit> {
        self.repo.commit(id).map(|c| read::commit(&c, self.tz))
    }
}

impl Cache {
    /// The review point for `/changes/` (see `review::resolve`) and, when a given REF
    /// names nothing, why.
    pub fn review(
        &self,
        root: &Path,
        config: &SiteConfig,
        flag: Option<&str>,
        as_of: jiff::civil::Date,
    ) -> Option<(review::ReviewPoint, Option<String>)> {
        let history = self.history.as_ref()?;
        let repo = git::Repo::discover(root)?;
        let lookup = RepoLookup {
            repo: &repo,
            tz: &config.tz,
        };
        Some(review::resolve(
            history,
            flag,
            config.review_since.as_deref(),
            as_of,
            &lookup,
        ))
    }
}

/// What the summary line says about history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub commits: usize,
    pub unreadable: usize,
    /// The chain ends before the first commit (shallow clone, the cap).
    pub partial: bool,
}

impl Summary {
    /// `history: 18 commits read, 1 unreadable file skipped (shallow clone: partial)`.
    pub fn line(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let mut text = format!("history: {} read", plural(self.commits, "commit"));
        if self.commits == 0 && !self.partial {
            text = "history: no commits yet".to_string();
        }
        if self.unreadable > 0 {
            text.push_str(&format!(
                ", {} skipped",
                plural(self.unreadable, "unreadable file")
            ));
        }
        if self.partial {
            text.push_str(" (partial: the history ends before the first commit)");
        }
        text
    }
}

/// What the report at the review point is made from, besides the history read.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ThenKey {
    since: jiff::civil::Date,
    commit: Option<gix::ObjectId>,
    drafts: bool,
    config: String,
}

/// The report at the review point, or why there is none.
type ThenFound = (Option<Arc<Then>>, Option<String>);

/// The report as it stood at the review point, ready to compare with now.
pub struct Then {
    pub model: crate::model::Model,
    pub metrics: crate::metrics::Metrics,
    pub point: review::ReviewPoint,
}

/// History's part of a build: its metrics, the report then, what the summary line and
/// the warnings say.
pub struct ForMetrics {
    pub metrics: HistoryMetrics,
    pub then: Option<Arc<Then>>,
    pub summary: Summary,
    /// A review point that names nothing, or content that cannot be compared.
    pub problem: Option<String>,
    /// The quarterly snapshots to build (`snapshots: quarterly`) and the quarters left out
    /// with why; None when they were not made (off, or those of an earlier build stand).
    pub snapshots: Option<(Vec<Snapshot>, Vec<String>)>,
}

impl History {
    /// The history up to and including `commit` (events of later commits left out).
    pub fn until(&self, commit: &Commit) -> History {
        let upto: std::collections::BTreeSet<&str> =
            match self.commits.iter().position(|c| c.id == commit.id) {
                Some(i) => self.commits[..=i]
                    .iter()
                    .map(|c| c.short.as_str())
                    .collect(),
                None => self
                    .commits
                    .iter()
                    .filter(|c| c.date <= commit.date)
                    .map(|c| c.short.as_str())
                    .collect(),
            };
        let events = self
            .events
            .iter()
            .map(|(id, events)| {
                let kept: Vec<items::Event> = events
                    .iter()
                    .filter(|e| upto.contains(e.commit.as_str()))
                    .cloned()
                    .collect();
                (id.clone(), kept)
            })
            .filter(|(_, e)| !e.is_empty())
            .collect();
        History {
            commits: self
                .commits
                .iter()
                .filter(|c| upto.contains(c.short.as_str()))
                .cloned()
                .collect(),
            events,
            ..self.clone()
        }
    }
}

/// Everything history adds to a build: git baselines put into `model`, the history
/// metrics, and the report at the review point.
pub fn for_build(
    cache: &mut Cache,
    root: &Path,
    config: &SiteConfig,
    history: &History,
    model: &mut crate::model::Model,
    since: Option<&str>,
    as_of: jiff::civil::Date,
) -> ForMetrics {
    let metrics = plan::compute(model, history, as_of);
    plan::apply_baselines(model, &metrics);
    let summary = Summary {
        commits: history.commits.len(),
        unreadable: history.unreadable,
        partial: history.partial,
    };
    let mut found = ForMetrics {
        metrics,
        then: None,
        summary,
        problem: None,
        snapshots: None,
    };
    let Some((point, problem)) = cache.review(root, config, since, as_of) else {
        return found;
    };
    let key = ThenKey {
        since: point.since,
        commit: point.commit.as_ref().map(|c| c.id),
        drafts: model.include_drafts,
        config: serde_json::to_string(config).unwrap_or_default(),
    };
    let (then, inconsistent) = match &cache.then {
        Some((k, kept)) if *k == key => kept.clone(),
        _ => {
            let made = then_at(cache, root, config, history, point, key.drafts);
            cache.then = Some((key, made.clone()));
            made
        }
    };
    found.problem = problem.or(inconsistent);
    found.then = then;
    found
}

/// The report at the review point: the content of its commit (an empty report when no
/// commit is that old), baselines from the history up to it, metrics at its date.
fn then_at(
    cache: &mut Cache,
    root: &Path,
    config: &SiteConfig,
    history: &History,
    point: review::ReviewPoint,
    drafts: bool,
) -> ThenFound {
    let model = match &point.commit {
        Some(c) => match cache.model_at(root, config, c, drafts) {
            Ok(m) => {
                let mut m = (*m).clone();
                let past = history.until(c);
                let figures = plan::compute(&m, &past, point.since);
                plan::apply_baselines(&mut m, &figures);
                m
            }
            Err(why) => {
                let problem = format!(
                    "the content at commit {} does not make a consistent report ({why}), so /changes/ is left out",
                    c.short
                );
                return (None, Some(problem));
            }
        },
        None => match crate::model::Model::build(
            crate::content::Content {
                config: config.clone(),
                ..Default::default()
            },
            drafts,
        ) {
            Ok(m) => m,
            Err(_) => return (None, None),
        },
    };
    let then = Then {
        metrics: crate::metrics::compute(&model, point.since),
        model,
        point,
    };
    (Some(Arc::new(then)), None)
}

/// Put history's figures into the metrics of the report now.
pub fn attach(
    computed: &mut crate::metrics::Metrics,
    model: &crate::model::Model,
    found: ForMetrics,
) {
    for item in &model.items {
        if let Some(m) = computed.delivery.items.get_mut(&item.id) {
            m.baseline_source = Some(item.baseline_source);
        }
    }
    let changes = found.then.map(|then| {
        changes::compare(
            &changes::Side {
                model: &then.model,
                metrics: &then.metrics,
            },
            &changes::Side {
                model,
                metrics: computed,
            },
            then.point.since,
            then.point.commit.as_ref().map(|c| c.short.clone()),
        )
    });
    computed.history = Some(found.metrics);
    computed.changes = changes;
}

/// One quarterly snapshot, ready to render under `/archive/<quarter>/`.
pub struct Snapshot {
    pub quarter: crate::metrics::Quarter,
    /// The quarter's last day: the snapshot's as_of.
    pub as_of: jiff::civil::Date,
    pub commit: Commit,
    pub model: crate::model::Model,
    pub metrics: crate::metrics::Metrics,
}

/// The last eight quarters that ended on or before `as_of` and inside the history, each
/// with the last commit dated on or before its last day; oldest first.
pub fn snapshot_points(
    history: &History,
    as_of: jiff::civil::Date,
    start_month: u8,
) -> Vec<(crate::metrics::Quarter, Commit)> {
    let Some(first) = history.commits.first() else {
        return Vec::new();
    };
    let mut quarter = crate::metrics::Quarter::of(as_of, start_month);
    if quarter.last_day() > as_of {
        quarter = quarter.previous();
    }
    let mut out = Vec::new();
    while out.len() < 8 && quarter.last_day() >= first.date {
        let end = quarter.last_day();
        if let Some(c) = history.commits.iter().rev().find(|c| c.date <= end) {
            out.push((quarter, c.clone()));
        }
        quarter = quarter.previous();
    }
    out.reverse();
    out
}

/// The report at each snapshot point (`snapshots: quarterly`), and for each point whose
/// content does not make a consistent report (left out), a warning saying why.
pub fn snapshots(
    cache: &mut Cache,
    root: &Path,
    config: &SiteConfig,
    history: &History,
    as_of: jiff::civil::Date,
    drafts: bool,
) -> (Vec<Snapshot>, Vec<String>) {
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for (quarter, commit) in snapshot_points(history, as_of, config.quarter_start_month) {
        let model = match cache.model_at(root, config, &commit, drafts) {
            Ok(model) => model,
            Err(why) => {
                left_out.push(format!(
                    "the snapshot {quarter} is left out: the content at commit {} does not make a consistent report ({why})",
                    commit.short
                ));
                continue;
            }
        };
        let mut model = (*model).clone();
        let day = quarter.last_day();
        let past = history.until(&commit);
        let figures = plan::compute(&model, &past, day);
        plan::apply_baselines(&mut model, &figures);
        let mut metrics = crate::metrics::compute(&model, day);
        attach(
            &mut metrics,
            &model,
            ForMetrics {
                metrics: figures,
                then: None,
                summary: Summary::default(),
                problem: None,
                snapshots: None,
            },
        );
        out.push(Snapshot {
            quarter,
            as_of: day,
            commit,
            model,
            metrics,
        });
    }
    (out, left_out)
}
