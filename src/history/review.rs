//! The review point of `/changes/`: `--since`, else site.yaml's `review_since`, else the
//! newest `review-*` tag, else 28 days before as_of.

use jiff::ToSpan;
use jiff::civil::Date;

use super::read::{Commit, History};
use crate::content::dates::parse_date;

/// Where the comparison starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewPoint {
    /// The date "then" is computed at.
    pub since: Date,
    /// The commit whose content is "then"; None when no commit is that old.
    pub commit: Option<Commit>,
    /// What named it, for people: `--since 2026-08-14`, `tag review-q3`, `28 days`.
    pub named_by: String,
}

/// How to look up what history alone does not hold: a commit off the first-parent chain.
pub trait Lookup {
    /// The commit with this full hex id.
    fn commit(&self, hex: &str) -> Option<Commit>;
    /// The commit a tag points at.
    fn tagged(&self, id: gix::ObjectId) -> Option<Commit>;
}

/// The last commit dated on or before `date`.
fn last_on_or_before(history: &History, date: Date) -> Option<Commit> {
    history
        .commits
        .iter()
        .rev()
        .find(|c| c.date <= date)
        .cloned()
}

/// Resolve the review point. `flag` is `--since`; an error says why a given REF names
/// nothing (the caller falls back to the next rule).
pub fn resolve(
    history: &History,
    flag: Option<&str>,
    config: Option<&str>,
    as_of: Date,
    lookup: &dyn Lookup,
) -> (ReviewPoint, Option<String>) {
    let mut problem = None;
    for (what, text) in [("--since", flag), ("review_since", config)] {
        let Some(text) = text else { continue };
        match by_ref(history, text.trim(), lookup) {
            Some((since, commit)) => {
                return (
                    ReviewPoint {
                        since,
                        commit,
                        named_by: format!("{what} {text}"),
                    },
                    problem,
                );
            }
            None => {
                problem.get_or_insert(format!(
                    "{what} `{text}` is not a date, a tag or a commit of this repository"
                ));
            }
        }
    }
    if let Some((name, commit)) = newest_review_tag(history, lookup) {
        return (
            ReviewPoint {
                since: commit.date,
                commit: Some(commit),
                named_by: format!("tag {name}"),
            },
            problem,
        );
    }
    let since = as_of.checked_sub(28.days()).unwrap_or(as_of);
    (
        ReviewPoint {
            since,
            commit: last_on_or_before(history, since),
            named_by: "28 days before as_of".to_string(),
        },
        problem,
    )
}

/// A date (the last commit on or before it), a tag, or a commit (full id or a prefix of
/// at least 4 hex digits of a first-parent commit).
fn by_ref(history: &History, text: &str, lookup: &dyn Lookup) -> Option<(Date, Option<Commit>)> {
    if let Ok(date) = parse_date(text) {
        return Some((date, last_on_or_before(history, date)));
    }
    if let Some((_, id)) = history.tags.iter().find(|(n, _)| n == text) {
        let commit = on_chain(history, *id).or_else(|| lookup.tagged(*id))?;
        return Some((commit.date, Some(commit)));
    }
    let hex = text.to_ascii_lowercase();
    if hex.len() < 4 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut found = history
        .commits
        .iter()
        .filter(|c| c.id.to_string().starts_with(&hex));
    let commit = match (found.next(), found.next()) {
        (Some(c), None) => Some(c.clone()),
        _ => lookup.commit(&hex),
    }?;
    Some((commit.date, Some(commit)))
}

fn on_chain(history: &History, id: gix::ObjectId) -> Option<Commit> {
    history.commits.iter().find(|c| c.id == id).cloned()
}

/// The `review-*` tag on the latest commit (by committer time, then name).
fn newest_review_tag(history: &History, lookup: &dyn Lookup) -> Option<(String, Commit)> {
    history
        .tags
        .iter()
        .filter(|(name, _)| name.starts_with("review-"))
        .filter_map(|(name, id)| {
            let commit = on_chain(history, *id).or_else(|| lookup.tagged(*id))?;
            Some((name.clone(), commit))
        })
        .max_by(|(na, a), (nb, b)| (a.seconds, na).cmp(&(b.seconds, nb)))
}
