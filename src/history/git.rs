//! The one module that reads git: the repository holding the site, the first-parent chain of
//! HEAD, which content files changed between two commits, blobs, tags and references.
//!
//! Everything here is read in-process from the repository's object database (no `git`
//! executable), with the repository's own configuration only (no user or system config, no
//! environment). A repository is untrusted input: names that are not plain file names are
//! skipped, trees are descended to a bounded depth and blobs are read up to `max_file_size`.

use std::path::Path;

use gix::ObjectId;
use gix::objs::tree::EntryRef;

/// Past this many first-parent commits the walk stops (the oldest are left out).
pub const MAX_COMMITS: usize = 100_000;
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Tree,
    Blob,
}

/// A tree entry that a checkout would write as a file or folder: name, kind, object.
type Entry<'a> = (&'a str, EntryKind, ObjectId);

/// The entry as content sees it; None for links, submodules and names that are not plain.
fn entry(e: EntryRef<'_>) -> Option<Entry<'_>> {
    let name = std::str::from_utf8(e.filename).ok()?;
    if !plain_name(name) {
        return None;
    }
    let kind = if e.mode.is_tree() {
        EntryKind::Tree
    } else if e.mode.is_blob() {
        EntryKind::Blob
    } else {
        return None;
    };
    Some((name, kind, e.oid.to_owned()))
}

/// Git's order of tree entries: by name, a folder's name read as if it ended in `/`.
fn git_order(a: &EntryRef<'_>, b: &EntryRef<'_>) -> std::cmp::Ordering {
    let (x, y): (&[u8], &[u8]) = (a.filename, b.filename);
    let common = x.len().min(y.len());
    x[..common].cmp(&y[..common]).then_with(|| {
        let next = |name: &[u8], e: &EntryRef<'_>| {
            name.get(common)
                .copied()
                .or(e.mode.is_tree().then_some(b'/'))
        };
        next(x, a).cmp(&next(y, b))
    })
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
        let mut repo = repo;
        repo.objects
            .set_pack_cache(|| Box::new(super::pack_cache::PackCache::default()));
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
    /// runs in parallel; results in job order. A blob over `limit` bytes (site.yaml's
    /// `max_file_size`, as for files on disk) is handed over as None, like one that cannot
    /// be read.
    pub fn map_blobs<J: Sync, T: Send>(
        &self,
        jobs: &[(J, ObjectId)],
        limit: u64,
        f: impl Fn(&J, Option<Vec<u8>>) -> T + Sync,
    ) -> Vec<T> {
        use rayon::prelude::*;
        let mut out = Vec::with_capacity(jobs.len());
        for batch in jobs.chunks(1024) {
            let read: Vec<(&J, Option<Vec<u8>>)> = batch
                .iter()
                .map(|(job, id)| (job, read_blob(&self.repo, *id, limit)))
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
            let data = self.tree_data(id)?;
            match self.find(&data, name) {
                Some((EntryKind::Tree, sub)) => id = sub,
                _ => return None,
            }
        }
        Some(id)
    }

    /// A tree object's bytes (empty when it cannot be read).
    fn tree_data(&self, tree: ObjectId) -> Option<Vec<u8>> {
        let mut tree = self.repo.find_tree(tree).ok()?;
        Some(std::mem::take(&mut tree.data))
    }

    /// The entry called `name` in a tree, when it is a plain file or folder.
    fn find(&self, data: &[u8], name: &str) -> Option<(EntryKind, ObjectId)> {
        gix::objs::TreeRefIter::from_bytes(data, self.repo.object_hash())
            .map_while(Result::ok)
            .filter(|e| e.filename == name.as_bytes())
            .find_map(entry)
            .map(|e| (e.1, e.2))
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
        let data = |t: Option<ObjectId>| t.and_then(|t| self.tree_data(t)).unwrap_or_default();
        let (old_data, new_data) = (data(old), data(new));
        let hash = self.repo.object_hash();
        let mut a = gix::objs::TreeRefIter::from_bytes(&old_data, hash).map_while(Result::ok);
        let mut b = gix::objs::TreeRefIter::from_bytes(&new_data, hash).map_while(Result::ok);
        let (mut x, mut y) = (a.next(), b.next());
        // Both trees are in git's order: walk them side by side, and look closer only at
        // entries that differ (most of a large folder is the same from commit to commit).
        while x.is_some() || y.is_some() {
            let order = match (&x, &y) {
                (Some(e), Some(f)) => git_order(e, f),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            let (before, after) = match order {
                std::cmp::Ordering::Less => (x.take(), None),
                std::cmp::Ordering::Greater => (None, y.take()),
                std::cmp::Ordering::Equal => (x.take(), y.take()),
            };
            if x.is_none() && before.is_some() {
                x = a.next();
            }
            if y.is_none() && after.is_some() {
                y = b.next();
            }
            let same = match (&before, &after) {
                (Some(e), Some(f)) => e.oid == f.oid && e.mode == f.mode,
                _ => false,
            };
            if same {
                continue;
            }
            let (before, after) = (before.and_then(entry), after.and_then(entry));
            let Some(name) = before.or(after).map(|e| e.0) else {
                continue;
            };
            let rel = format!("{path}/{name}");
            let tree = |e: Option<Entry>| e.filter(|e| e.1 == EntryKind::Tree).map(|e| e.2);
            let blob = |e: Option<Entry>| e.filter(|e| e.1 == EntryKind::Blob).map(|e| e.2);
            if tree(before).is_some() || tree(after).is_some() {
                self.diff_trees(tree(before), tree(after), &rel, depth + 1, out);
            }
            if blob(before) != blob(after) {
                out.push(FileChange {
                    rel,
                    old: blob(before),
                    new: blob(after),
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

/// A blob's bytes; None when it cannot be read or is larger than `limit`.
fn read_blob(repo: &gix::Repository, id: ObjectId, limit: u64) -> Option<Vec<u8>> {
    let header = repo.find_header(id).ok()?;
    if header.size() > limit {
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

#[cfg(test)]
mod tests {
    use super::*;
    use gix::objs::tree::EntryKind as Mode;

    #[test]
    fn a_folder_sorts_as_if_its_name_ended_in_a_slash() {
        let id = ObjectId::null(gix::hash::Kind::Sha1);
        let e = |name: &'static str, mode: Mode| EntryRef {
            mode: mode.into(),
            filename: name.into(),
            oid: &id,
        };
        let (file, folder) = (Mode::Blob, Mode::Tree);
        use std::cmp::Ordering::*;
        // `a.md` < `a/` < `ab.md`, though `a` < `a.md` byte by byte.
        assert_eq!(git_order(&e("a.md", file), &e("a", folder)), Less);
        assert_eq!(git_order(&e("a", folder), &e("ab.md", file)), Less);
        // A file `a` comes before a folder `a/`: two different entries.
        assert_eq!(git_order(&e("a", file), &e("a", folder)), Less);
        assert_eq!(git_order(&e("a", folder), &e("a", folder)), Equal);
        assert_eq!(git_order(&e("b", file), &e("a", folder)), Greater);
    }
}
