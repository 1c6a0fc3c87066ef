//! Watching the site folder: one recursive watch on the root (so folders created later are
//! seen), debounced, filtered down to the paths a build reads.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::content::load::is_ignored_name;

/// How long the site must be quiet before a batch of changes is reported: long enough to
/// take an editor's save (temp file, rename) or a `git checkout` as one change.
pub const DEBOUNCE: Duration = Duration::from_millis(50);
const TICK: Duration = Duration::from_millis(5);

/// What the watcher reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    /// These paths (relative to the site root) changed.
    Changed(Vec<PathBuf>),
    /// HEAD, a branch or a tag of the repository holding the site may have moved.
    RefsMoved,
    /// The system dropped events: everything must be read again.
    Rescan,
    /// Watching failed for a while; it goes on.
    Failed(String),
    /// Not from the watcher: the command asks whoever reads the channel to stop.
    Stop,
}

/// Watches while alive.
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    _refs: Option<Debouncer<RecommendedWatcher, RecommendedCache>>,
}

impl Watcher {
    /// Watch `root` recursively and send what changes to `tx`. Paths under `ignored`
    /// (the output folder) are left out, as are editor temp files and hidden files.
    /// `ref_folders` are the repository folders holding HEAD and the refs (none when plan
    /// history is off): a commit, checkout or new tag there is reported as `RefsMoved`.
    pub fn start(
        root: &Path,
        ignored: &[PathBuf],
        ref_folders: &[PathBuf],
        tx: Sender<WatchEvent>,
    ) -> Result<Watcher, String> {
        let refs = match ref_folders {
            [] => None,
            // The site's own files still rebuild it: a repository that cannot be watched
            // only means a commit or a new tag shows at the next change.
            folders => match watch_refs(folders, tx.clone()) {
                Ok(w) => Some(w),
                Err(e) => {
                    eprintln!("warning: {e}; commits and tags show at the next change to the site");
                    None
                }
            },
        };
        let root = std::fs::canonicalize(root)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let ignored: Vec<PathBuf> = ignored
            .iter()
            .filter_map(|p| relative_to(&root, p))
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        let watched = root.clone();
        let handler = move |result: DebounceEventResult| {
            let event = match result {
                Ok(events) if events.iter().any(|e| e.need_rescan()) => WatchEvent::Rescan,
                Ok(events) => {
                    let mut paths: Vec<PathBuf> = events
                        .iter()
                        .filter(|e| changes_files(&e.kind))
                        .flat_map(|e| e.paths.iter())
                        .filter_map(|p| p.strip_prefix(&watched).ok())
                        .filter(|rel| is_watched(rel, &ignored))
                        .map(Path::to_path_buf)
                        .collect();
                    paths.sort();
                    paths.dedup();
                    if paths.is_empty() {
                        return;
                    }
                    WatchEvent::Changed(paths)
                }
                Err(errors) => WatchEvent::Failed(
                    errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            // The receiver is gone only while shutting down.
            let _ = tx.send(event);
        };
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), handler)
            .map_err(|e| format!("cannot start watching files: {}", explain(&e)))?;
        debouncer
            .watch(&root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {}", root.display(), explain(&e)))?;
        Ok(Watcher {
            _debouncer: debouncer,
            _refs: refs,
        })
    }
}

/// Watch HEAD, packed-refs and the refs folder of each repository folder.
fn watch_refs(
    folders: &[PathBuf],
    tx: Sender<WatchEvent>,
) -> Result<Debouncer<RecommendedWatcher, RecommendedCache>, String> {
    let watched: Vec<PathBuf> = folders.to_vec();
    let handler = move |result: DebounceEventResult| {
        let moves_ref = |p: &PathBuf| watched.iter().any(|f| p.strip_prefix(f).is_ok_and(is_ref));
        let moved = match result {
            Ok(events) => events.iter().any(|e| {
                e.need_rescan() || (changes_files(&e.kind) && e.paths.iter().any(moves_ref))
            }),
            Err(_) => true,
        };
        if moved {
            let _ = tx.send(WatchEvent::RefsMoved);
        }
    };
    let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), handler)
        .map_err(|e| format!("cannot start watching the repository: {}", explain(&e)))?;
    for folder in folders {
        let cannot =
            |e: notify::Error| format!("cannot watch {}: {}", folder.display(), explain(&e));
        debouncer
            .watch(folder, RecursiveMode::NonRecursive)
            .map_err(cannot)?;
        let refs = folder.join("refs");
        if refs.is_dir() {
            debouncer
                .watch(&refs, RecursiveMode::Recursive)
                .map_err(cannot)?;
        }
    }
    Ok(debouncer)
}

/// Whether a path relative to a repository folder can move HEAD or a ref: HEAD,
/// packed-refs or anything under refs/, but not the lock files git writes first.
fn is_ref(rel: &Path) -> bool {
    if rel
        .file_name()
        .and_then(|n| n.to_str())
        .is_none_or(|n| n.ends_with(".lock"))
    {
        return false;
    }
    rel == Path::new("HEAD") || rel == Path::new("packed-refs") || rel.starts_with("refs")
}

/// The changes to build at once: everything that arrived while the last build ran.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// Changed paths relative to the site root; site.yaml alone when everything must be
    /// read again.
    pub paths: Vec<PathBuf>,
    /// Watch errors to report.
    pub failures: Vec<String>,
    /// HEAD or a ref moved (the site then decides whether plan history changed).
    pub refs_moved: bool,
}

/// What waiting for changes gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Wait {
    Batch(Batch),
    /// Nothing changed in the time given.
    Quiet,
    /// Asked to stop, or the watcher is gone.
    Stop,
}

/// Wait for the next change and take every change already queued behind it. None when
/// asked to stop or when the watcher is gone.
pub fn next_batch(rx: &Receiver<WatchEvent>) -> Option<Batch> {
    match wait_batch(rx, None) {
        Wait::Batch(b) => Some(b),
        Wait::Quiet | Wait::Stop => None,
    }
}

/// `next_batch`, waiting at most `timeout` when one is given.
pub fn wait_batch(rx: &Receiver<WatchEvent>, timeout: Option<Duration>) -> Wait {
    let mut paths = BTreeSet::new();
    let mut refs_moved = false;
    let mut rescan = false;
    let mut failures = Vec::new();
    let first = match timeout {
        Some(t) => rx
            .recv_timeout(t)
            .map_err(|e| e == RecvTimeoutError::Timeout),
        None => rx.recv().map_err(|_| false),
    };
    let mut event = match first {
        Ok(event) => event,
        Err(true) => return Wait::Quiet,
        Err(false) => return Wait::Stop,
    };
    loop {
        match event {
            WatchEvent::Changed(p) => paths.extend(p),
            WatchEvent::RefsMoved => refs_moved = true,
            WatchEvent::Rescan => rescan = true,
            // Events may have been lost with the error: read everything again.
            WatchEvent::Failed(e) => {
                failures.push(e);
                rescan = true;
            }
            WatchEvent::Stop => return Wait::Stop,
        }
        match rx.try_recv() {
            Ok(next) => event = next,
            Err(_) => break,
        }
    }
    let paths = if rescan {
        vec![PathBuf::from(CONFIG_FILE)]
    } else {
        paths.into_iter().collect()
    };
    Wait::Batch(Batch {
        paths,
        failures,
        refs_moved,
    })
}

/// Whether an event can change what a build reads: not the opens and reads of the build
/// itself, nor permission or timestamp changes.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}

fn explain(e: &notify::Error) -> String {
    match e.kind {
        notify::ErrorKind::MaxFilesWatch => format!(
            "{e} (the system limit on watched folders is reached; raise it, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`)"
        ),
        _ => e.to_string(),
    }
}

/// `path` relative to `root` when it is inside it (made absolute the way the root was).
fn relative_to(root: &Path, path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
    abs.strip_prefix(root).ok().map(Path::to_path_buf)
}

/// Whether a change at `rel` (relative to the site root) can change the site: site.yaml and
/// anything under content/, templates/, static/ and themes/, except hidden files, editor
/// temp files and the `ignored` folders.
pub fn is_watched(rel: &Path, ignored: &[PathBuf]) -> bool {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(name) => parts.push(name.to_string_lossy()),
            _ => return false,
        }
    }
    if parts.iter().any(|p| is_ignored_name(p)) || ignored.iter().any(|i| rel.starts_with(i)) {
        return false;
    }
    match parts.first().map(|p| p.as_ref()) {
        Some(CONFIG_FILE) => parts.len() == 1,
        Some("content" | "templates" | "static" | "themes") => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_take_what_is_queued_and_stop_on_request() {
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(WatchEvent::Changed(vec!["content/a.md".into()]))
            .unwrap();
        tx.send(WatchEvent::Changed(vec![
            "content/b.md".into(),
            "content/a.md".into(),
        ]))
        .unwrap();
        assert_eq!(
            next_batch(&rx),
            Some(Batch {
                paths: vec!["content/a.md".into(), "content/b.md".into()],
                failures: vec![],
                refs_moved: false,
            })
        );
        tx.send(WatchEvent::Changed(vec!["content/a.md".into()]))
            .unwrap();
        tx.send(WatchEvent::Failed("queue overflow".into()))
            .unwrap();
        assert_eq!(
            next_batch(&rx),
            Some(Batch {
                paths: vec![CONFIG_FILE.into()],
                failures: vec!["queue overflow".into()],
                refs_moved: false,
            })
        );
        assert_eq!(wait_batch(&rx, Some(Duration::from_millis(1))), Wait::Quiet);
        tx.send(WatchEvent::Stop).unwrap();
        assert_eq!(next_batch(&rx), None);
        drop(tx);
        assert_eq!(next_batch(&rx), None);
    }

    #[test]
    fn refs_are_head_packed_refs_and_the_refs_folder_without_lock_files() {
        for p in [
            "HEAD",
            "packed-refs",
            "refs/heads/main",
            "refs/tags/review-q3",
        ] {
            assert!(is_ref(Path::new(p)), "{p}");
        }
        for p in [
            "index",
            "ORIG_HEAD",
            "FETCH_HEAD",
            "HEAD.lock",
            "refs/heads/main.lock",
        ] {
            assert!(!is_ref(Path::new(p)), "{p}");
        }
        for p in [
            "objects/ab/cdef",
            "logs/refs/heads/main",
            "packed-refs.lock",
        ] {
            assert!(!is_ref(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn watches_what_a_build_reads_and_nothing_else() {
        let out = [PathBuf::from("public"), PathBuf::from("static/generated")];
        let yes = |p: &str| is_watched(Path::new(p), &out);
        for p in [
            "site.yaml",
            "content",
            "content/roadmap/a.md",
            "content/roadmap/sub/b.md",
            "templates/item.html",
            "static/css/site.css",
            "themes/dark/templates/base.html",
        ] {
            assert!(yes(p), "{p}");
        }
        for p in [
            "",
            "public/index.html",
            "static/generated/x.css",
            "README.md",
            "target/debug/x",
            ".git/index",
            "content/site.yaml/../x",
            "sub/site.yaml",
            "content/roadmap/.a.md.swp",
            "content/roadmap/a.md~",
            "content/roadmap/4913",
            "content/roadmap/.#a.md",
            "content/roadmap/#a.md#",
            "content/.hidden/a.md",
            "templates/item.html.tmp",
            "/etc/passwd",
        ] {
            assert!(!yes(p), "{p}");
        }
    }
}
