//! The one module that reads git: the repository holding the site, the first-parent chain of
//! HEAD, which content files changed between two commits, blobs, tags and references.
//!
//! Everything here is read in-process from the repository's object database (no `git`
//! executable), with the repository's own configuration only (no user or system config, no
//! environment). A repository is untrusted input: names that are not plain file names are
//! skipped, trees are descended to a bounded depth and blobs are read up to a size cap.

use std::collections::BTreeMap;
use std::path::Path;

use gix::ObjectId;

/// Past this many first-parent commits the walk stops (the oldest are left out).
pub const MAX_COMMITS: usize = 100_000;
/// A content blob larger than this is not read (it counts as unreadable).
pub const MAX_BLOB: u64 = 10 * 1024 * 1024;
/// Trees nested deeper than this under `content/` are not descended.
const MAX_DEPTH: usize = 32;

/// One commit of the first-parent chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: ObjectId,
    pub tree: ObjectId,
    /// Committer time, seconds since the Unix epoch.
    pub seconds: i64,
    pub author: String,
}

impl CommitInfo {
    /// The first 12 hex digits of the id.
    pub fn short(&self) -> String {
        let mut hex = self.id.to_string();
        hex.truncate(12);
        hex
    }
}

/// The first-parent chain of HEAD, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Chain {
    pub commits: Vec<CommitInfo>,
    /// The chain ends before a root commit: a shallow clone, a missing object, or the cap.
    pub partial: bool,
}

/// A content file that differs between two commits: its path relative to the site root
/// (`content/roadmap/a.md`) and its blob before and after (None: absent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub rel: String,
    pub old: Option<ObjectId>,
    pub new: Option<ObjectId>,
}

/// The repository holding a site.
pub struct Repo {
    repo: gix::Repository,
    /// The site root relative to the work tree, as path components (empty: the top).
    prefix: Vec<String>,
}

#[derive(Clone, Copy)]
enum EntryKind {
    Tree,
    Blob,
}

impl Repo {
    /// The repository whose work tree holds `root` (the root or an ancestor has `.git`);
    /// None outside any work tree or when the repository cannot be opened.
    pub fn discover(root: &Path) -> Option<Repo> {
        let root = root.canonicalize().ok()?;
        let repo = gix::ThreadSafeRepository::discover_opts(
            &root,
            gix::discover::upwards::Options::default(),
            |_, _| gix::open::Options::isolated(),
        )
        .ok()?
        .to_thread_local();
        let workdir = repo.workdir()?.canonicalize().ok()?;
        let rel = root.strip_prefix(&workdir).ok()?;
        let mut prefix = Vec::new();
        for c in rel.components() {
            match c {
                std::path::Component::Normal(name) => prefix.push(name.to_str()?.to_string()),
                _ => return None,
            }
        }
        Some(Repo { repo, prefix })
    }

    /// Read blobs (in order, a batch at a time) and hand each with its job to `f`, which
    /// runs in parallel; results in job order.
    pub fn map_blobs<J: Sync, T: Send>(
        &self,
        jobs: &[(J, ObjectId)],
        f: impl Fn(&J, Option<Vec<u8>>) -> T + Sync,
    ) -> Vec<T> {
        use rayon::prelude::*;
        let mut out = Vec::with_capacity(jobs.len());
        for batch in jobs.chunks(1024) {
            let read: Vec<(&J, Option<Vec<u8>>)> = batch
                .iter()
                .map(|(job, id)| (job, read_blob(&self.repo, *id)))
                .collect();
            out.extend(
                read.into_par_iter()
                    .map(|(job, bytes)| f(job, bytes))
                    .collect::<Vec<T>>(),
            );
        }
        out
    }

    /// The commit HEAD points at (branch or detached); None when there is no commit yet.
    pub fn head(&self) -> Option<ObjectId> {
        let mut head = self.repo.head().ok()?;
        let commit = head.peel_to_commit().ok()?;
        Some(commit.id)
    }

    /// The folders whose changes can move HEAD or a tag: the repository's own folder (HEAD,
    /// packed-refs) and, for a linked work tree, the shared one too.
    pub fn ref_folders(&self) -> Vec<std::path::PathBuf> {
        let mut folders = vec![self.repo.git_dir().to_path_buf()];
        let common = self.repo.common_dir().to_path_buf();
        if !folders.contains(&common) {
            folders.push(common);
        }
        folders
    }

    /// Whether the repository is a shallow clone.
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow().unwrap_or(false)
    }

    /// HEAD's commit and every tag's target: when this changes, history must be read again.
    pub fn fingerprint(&self) -> String {
        let mut text = self.head().map(|h| h.to_string()).unwrap_or_default();
        for (name, id) in self.tags() {
            text.push_str(&format!("\n{name} {id}"));
        }
        text
    }

    /// One commit, or None when it cannot be read.
    pub fn commit(&self, id: ObjectId) -> Option<CommitInfo> {
        let commit = self.repo.find_commit(id).ok()?;
        let seconds = commit.committer().ok()?.time().ok()?.seconds;
        let author = commit
            .author()
            .ok()
            .map(|a| String::from_utf8_lossy(a.trim().name).to_string())
            .unwrap_or_default();
        Some(CommitInfo {
            id,
            tree: commit.tree_id().ok()?.detach(),
            seconds,
            author,
        })
    }

    /// The first-parent chain from `tip`, oldest first; at most `MAX_COMMITS`. `progress` is
    /// called with the count read so far every 10,000 commits.
    pub fn chain(&self, tip: ObjectId, progress: &mut dyn FnMut(usize)) -> Chain {
        let mut chain = Chain::default();
        let mut next = Some(tip);
        while let Some(id) = next {
            if chain.commits.len() >= MAX_COMMITS {
                chain.partial = true;
                break;
            }
            let Ok(commit) = self.repo.find_commit(id) else {
                // A shallow boundary or a missing object: the chain ends here.
                chain.partial = true;
                break;
            };
            next = commit.parent_ids().next().map(|p| p.detach());
            drop(commit);
            match self.commit(id) {
                Some(info) => chain.commits.push(info),
                None => {
                    chain.partial = true;
                    break;
                }
            }
            if chain.commits.len() % 10_000 == 0 {
                progress(chain.commits.len());
            }
        }
        // A shallow clone's oldest commit lists a parent that is not there.
        if self.is_shallow() {
            chain.partial = true;
        }
        chain.commits.reverse();
        chain
    }

    /// The tree of the site's `content/` folder in a commit's tree, if any.
    fn content_tree(&self, tree: ObjectId) -> Option<ObjectId> {
        let mut id = tree;
        for name in self.prefix.iter().map(String::as_str).chain(["content"]) {
            let entries = self.entries(id)?;
            match entries.get(name) {
                Some((EntryKind::Tree, sub)) => id = *sub,
                _ => return None,
            }
        }
        Some(id)
    }

    /// A tree's entries that are plain files or folders with plain names, by name.
    fn entries(&self, tree: ObjectId) -> Option<BTreeMap<String, (EntryKind, ObjectId)>> {
        let tree = self.repo.find_tree(tree).ok()?;
        let decoded = tree.decode().ok()?;
        let mut out = BTreeMap::new();
        for e in &decoded.entries {
            let Ok(name) = std::str::from_utf8(e.filename) else {
                continue;
            };
            if !plain_name(name) {
                continue;
            }
            let kind = if e.mode.is_tree() {
                EntryKind::Tree
            } else if e.mode.is_blob() {
                EntryKind::Blob
            } else {
                // Links and submodules are not content.
                continue;
            };
            out.insert(name.to_string(), (kind, e.oid.to_owned()));
        }
        Some(out)
    }

    /// Content files that differ between two commit trees (`old` None: every file is new),
    /// sorted by path. Folders whose tree is unchanged are not descended.
    pub fn content_changes(&self, old: Option<ObjectId>, new: ObjectId) -> Vec<FileChange> {
        let old = old.and_then(|t| self.content_tree(t));
        let new = self.content_tree(new);
        let mut out = Vec::new();
        if old != new {
            self.diff_trees(old, new, "content", 0, &mut out);
        }
        out
    }

    fn diff_trees(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        path: &str,
        depth: usize,
        out: &mut Vec<FileChange>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let list = |t: Option<ObjectId>| t.and_then(|t| self.entries(t)).unwrap_or_default();
        let (a, b) = (list(old), list(new));
        let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for name in names {
            let rel = format!("{path}/{name}");
            let (x, y) = (a.get(name).copied(), b.get(name).copied());
            if x.map(|e| e.1) == y.map(|e| e.1) {
                continue;
            }
            let tree = |e: Option<(EntryKind, ObjectId)>| match e {
                Some((EntryKind::Tree, id)) => Some(id),
                _ => None,
            };
            let blob = |e: Option<(EntryKind, ObjectId)>| match e {
                Some((EntryKind::Blob, id)) => Some(id),
                _ => None,
            };
            if tree(x).is_some() || tree(y).is_some() {
                self.diff_trees(tree(x), tree(y), &rel, depth + 1, out);
            }
            if blob(x) != blob(y) {
                out.push(FileChange {
                    rel,
                    old: blob(x),
                    new: blob(y),
                });
            }
        }
    }

    /// Every content file in a commit tree: path relative to the site root and blob.
    pub fn content_files(&self, tree: ObjectId) -> Vec<(String, ObjectId)> {
        self.content_changes(None, tree)
            .into_iter()
            .filter_map(|c| c.new.map(|id| (c.rel, id)))
            .collect()
    }

    /// A blob's bytes; None when it cannot be read or is larger than `MAX_BLOB`.
    pub fn blob(&self, id: ObjectId) -> Option<Vec<u8>> {
        read_blob(&self.repo, id)
    }

    /// Every tag that points (through annotated tags) at a commit: name without
    /// `refs/tags/`, and the commit. Sorted by name.
    pub fn tags(&self) -> Vec<(String, ObjectId)> {
        let Ok(platform) = self.repo.references() else {
            return Vec::new();
        };
        let Ok(tags) = platform.tags() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for mut r in tags.flatten() {
            let name = r.name().shorten().to_string();
            let Ok(id) = r.peel_to_id() else { continue };
            let Ok(object) = self.repo.find_object(id) else {
                continue;
            };
            if let Ok(commit) = object.peel_to_commit() {
                out.push((name, commit.id));
            }
        }
        out.sort();
        out
    }

    /// A commit named by a full hex id, or by a tag.
    pub fn resolve(&self, text: &str) -> Option<ObjectId> {
        if let Some((_, id)) = self.tags().into_iter().find(|(n, _)| n == text) {
            return Some(id);
        }
        let id = ObjectId::from_hex(text.as_bytes()).ok()?;
        self.repo.find_commit(id).ok().map(|c| c.id)
    }
}

fn read_blob(repo: &gix::Repository, id: ObjectId) -> Option<Vec<u8>> {
    let header = repo.find_header(id).ok()?;
    if header.size() > MAX_BLOB {
        return None;
    }
    let mut blob = repo.find_blob(id).ok()?;
    Some(blob.take_data())
}

/// A name a checkout would write as one file or folder.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !crate::content::load::is_ignored_name(name)
}
