//! The only module that touches the output folder. A build produces a `SiteFiles` in memory;
//! `write` puts it on disk beside the old output and swaps it in, so a failed build or write
//! leaves the previous site exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub use crate::paths::MARKER;
use crate::paths::{self, OutputDir};

/// Every output file by its path relative to the output root (`/` separators, no leading `/`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteFiles {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl SiteFiles {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[derive(Debug)]
pub struct OutputError(pub String);

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The text of the marker file.
const MARKER_TEXT: &[u8] =
    b"This folder is made by throughline build and is replaced by the next build.\n";

/// A new output folder being written beside the real one. `commit` swaps it in; dropping
/// it uncommitted removes it, leaving the previous output as it was.
pub struct Staging {
    dir: Option<tempfile::TempDir>,
    out: OutputDir,
    /// What the build should know but that did not stop it (leftovers it could not delete).
    notes: Vec<String>,
}

/// The folder holding the output folder, and the output folder's name.
fn parent_and_name(out: &OutputDir) -> Result<(&Path, String), OutputError> {
    let path = out.path();
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => Ok((parent, name.to_string_lossy().to_string())),
        _ => Err(OutputError(format!(
            "{} cannot be an output folder",
            out.shown()
        ))),
    }
}

impl Staging {
    /// Start a new output beside `out`, after clearing what earlier builds of it left.
    pub fn new(out: &OutputDir) -> Result<Staging, OutputError> {
        out.recheck().map_err(OutputError)?;
        let (parent, name) = parent_and_name(out)?;
        fs::create_dir_all(parent)
            .map_err(|e| OutputError(format!("cannot create {}: {e}", parent.display())))?;
        let notes = clear_leftovers(parent, &name);
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(parent)
            .map_err(|e| {
                OutputError(format!(
                    "cannot create a folder in {}: {e}",
                    parent.display()
                ))
            })?;
        let staging = Staging {
            dir: Some(dir),
            out: out.clone(),
            notes,
        };
        // Marked first, so that a build killed half-way leaves a folder the next one knows.
        staging.write(MARKER, MARKER_TEXT)?;
        Ok(staging)
    }

    fn path(&self) -> &Path {
        self.dir.as_ref().map_or(self.out.path(), |d| d.path())
    }

    /// Write one file (safe to call from several threads at once).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        if !paths::is_plain_relative(rel) {
            return Err(OutputError(format!(
                "refusing to write `{rel}`: an output file must be a relative path of names"
            )));
        }
        let path = self.path().join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| OutputError(format!("cannot create {}: {e}", dir.display())))?;
        }
        fs::write(&path, bytes)
            .map_err(|e| OutputError(format!("cannot write {}: {e}", path.display())))
    }

    /// Swap the new folder in place of the previous output. Returns notes on leftovers that
    /// could not be deleted (the new output is in place all the same).
    pub fn commit(mut self) -> Result<Vec<String>, OutputError> {
        let Some(dir) = self.dir.take() else {
            return Ok(std::mem::take(&mut self.notes));
        };
        // Checked again right before anything is renamed: the folder may have changed since.
        self.out.recheck().map_err(OutputError)?;
        let staged = dir.keep();
        let out = self.out.path();
        let (parent, name) = parent_and_name(&self.out)?;
        let had_old = fs::symlink_metadata(out).is_ok();
        let old = free_name(parent, &format!(".{name}.old"));
        if had_old {
            fs::rename(out, &old).map_err(|e| {
                let _ = fs::remove_dir_all(&staged);
                OutputError(format!("cannot move the previous output aside: {e}"))
            })?;
        }
        if let Err(e) = fs::rename(&staged, out) {
            if had_old {
                let _ = fs::rename(&old, out);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(OutputError(format!(
                "cannot move the new output into place: {e}"
            )));
        }
        let mut notes = std::mem::take(&mut self.notes);
        if had_old && let Err(e) = remove_marked(&old) {
            notes.push(cannot_delete(&old, &e));
        }
        Ok(notes)
    }
}

/// `base`, or `base-1`, `base-2`… : the first name under `parent` that nothing has.
fn free_name(parent: &Path, base: &str) -> PathBuf {
    let mut path = parent.join(base);
    let mut n = 1;
    while fs::symlink_metadata(&path).is_ok() {
        path = parent.join(format!("{base}-{n}"));
        n += 1;
    }
    path
}

fn cannot_delete(dir: &Path, e: &std::io::Error) -> String {
    format!(
        "warning: could not delete {}, left by a build: {e}; delete it by hand (it carries the {MARKER} marker)",
        dir.display()
    )
}

/// Remove what earlier builds of `name` left in `parent` (a staging folder of a killed build,
/// a previous output that could not be deleted): only folders carrying the marker. Returns
/// notes on the ones that could not be deleted.
fn clear_leftovers(parent: &Path, name: &str) -> Vec<String> {
    let staging = format!(".{name}.new-");
    let old = format!(".{name}.old");
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let ours = file_name.starts_with(&staging)
            || file_name == old
            || file_name
                .strip_prefix(&old)
                .and_then(|n| n.strip_prefix('-'))
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if ours
            && is_dir
            && paths::has_marker(&path)
            && let Err(e) = remove_marked(&path)
        {
            notes.push(cannot_delete(&path, &e));
        }
    }
    notes
}

/// Delete a marked folder: everything in it, then the marker, then the folder, so that a
/// deletion that stops half-way still leaves a folder the next build recognises.
fn remove_marked(dir: &Path) -> std::io::Result<()> {
    remove_tree(dir);
    let marker = dir.join(MARKER);
    if fs::symlink_metadata(&marker).is_ok() {
        // Anything besides the marker still there keeps it.
        let others = fs::read_dir(dir)?
            .flatten()
            .any(|e| e.file_name() != MARKER);
        if others {
            return Err(std::io::Error::other(
                "some files in it could not be deleted",
            ));
        }
        fs::remove_file(&marker)?;
    }
    fs::remove_dir(dir)
}

/// Delete everything in a folder but its marker, the entries two levels down in parallel (a
/// site keeps most pages in folders like `roadmap/<id>/`). Best effort; links are removed,
/// never followed.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let children = |d: &Path| -> Vec<(PathBuf, bool)> {
        fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| d != dir || e.file_name() != MARKER)
            .map(|e| {
                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                (e.path(), is_dir)
            })
            .collect()
    };
    let mut entries = Vec::new();
    for (path, is_dir) in children(dir) {
        if is_dir {
            entries.extend(children(&path));
        }
        entries.push((path, is_dir));
    }
    // Deeper entries first, so a folder is emptied before it is removed.
    let (deeper, top): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|(p, _)| p.parent() != Some(dir));
    for level in [deeper, top] {
        level.par_iter().for_each(|(path, is_dir)| {
            let _ = if *is_dir {
                fs::remove_dir_all(path)
            } else {
                fs::remove_file(path)
            };
        });
    }
}

/// Whether the output folder is (still) there, made by a build.
pub fn is_written(out: &OutputDir) -> bool {
    paths::has_marker(out.path())
}

/// Write `site` to `out`: into a fresh sibling folder first, then swap it in.
pub fn write(site: &SiteFiles, out: &OutputDir) -> Result<Vec<String>, OutputError> {
    let staging = Staging::new(out)?;
    for (rel, bytes) in &site.files {
        staging.write(rel, bytes)?;
    }
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::{OutputFrom, output_dir};

    fn out(root: &Path, dir: &Path) -> OutputDir {
        output_dir(root, dir, OutputFrom::CommandLine).unwrap()
    }

    #[test]
    fn remove_marked_deletes_every_level_and_leaves_link_targets() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("keep");
        fs::create_dir_all(&keep).unwrap();
        fs::write(keep.join("precious.txt"), "x").unwrap();
        let old = dir.path().join("old");
        fs::create_dir_all(old.join("roadmap/a/deep/er")).unwrap();
        fs::write(old.join("roadmap/a/deep/er/index.html"), "x").unwrap();
        fs::write(old.join("roadmap/index.html"), "x").unwrap();
        fs::write(old.join("index.html"), "x").unwrap();
        fs::write(old.join(MARKER), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&keep, old.join("roadmap/link")).unwrap();
        remove_marked(&old).unwrap();
        assert!(!old.exists());
        assert!(keep.join("precious.txt").is_file());
    }

    #[test]
    fn refuses_a_foreign_non_empty_folder_but_replaces_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let foreign = dir.path().join("docs");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(output_dir(&root, &foreign, OutputFrom::CommandLine).is_err());
        assert_eq!(
            fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "mine"
        );

        let mut site = SiteFiles::default();
        site.insert("index.html", "hi");
        let public = out(&root, &root.join("public"));
        write(&site, &public).unwrap();
        site.insert("index.html", "again");
        write(&site, &public).unwrap();
        let public = root.join("public");
        assert_eq!(
            fs::read_to_string(public.join("index.html")).unwrap(),
            "again"
        );
        assert!(public.join(MARKER).is_file());
        let leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn a_folder_that_became_foreign_since_the_check_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let public = out(&root, &root.join("public"));
        let staging = Staging::new(&public).unwrap();
        staging.write("index.html", b"new").unwrap();
        // Someone puts their own files there before the swap.
        fs::create_dir_all(root.join("public")).unwrap();
        fs::write(root.join("public/mine.txt"), "mine").unwrap();
        let err = staging.commit().unwrap_err();
        assert!(err.0.contains("not made by throughline"), "{err}");
        assert_eq!(
            fs::read_to_string(root.join("public/mine.txt")).unwrap(),
            "mine"
        );
        // The staging folder went with the failed commit.
        let names: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn leftovers_with_the_marker_are_cleared_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        // A killed build's staging folder and a previous output it could not delete: marked.
        for leftover in [".public.new-abc123", ".public.old", ".public.old-2"] {
            fs::create_dir_all(root.join(leftover).join("roadmap")).unwrap();
            fs::write(root.join(leftover).join(MARKER), "x").unwrap();
            fs::write(root.join(leftover).join("roadmap/index.html"), "x").unwrap();
        }
        // Someone's own folders with similar names: no marker.
        fs::create_dir_all(root.join(".public.old-mine")).unwrap();
        fs::create_dir_all(root.join(".public.new-x")).unwrap();
        fs::write(root.join(".public.new-x/keep.txt"), "mine").unwrap();
        let mut site = SiteFiles::default();
        site.insert("index.html", "hi");
        let notes = write(&site, &out(&root, &root.join("public"))).unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        let mut names: Vec<String> = fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(names, vec![".public.new-x", ".public.old-mine", "public"]);
    }

    #[cfg(unix)]
    #[test]
    fn an_old_output_that_cannot_be_deleted_does_not_block_the_next_build() {
        use std::os::unix::fs::PermissionsExt;
        if is_root() {
            return; // permissions do not stop root
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let public = out(&root, &root.join("public"));
        let mut site = SiteFiles::default();
        site.insert("roadmap/x/index.html", "one");
        write(&site, &public).unwrap();
        // A folder of the output that cannot be emptied.
        let stuck = root.join("public/roadmap/x");
        fs::set_permissions(&stuck, fs::Permissions::from_mode(0o555)).unwrap();
        let notes = write(&site, &public).unwrap();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains(".public.old"), "{notes:?}");
        // The next build works, and names the folder it still cannot delete.
        let notes = write(&site, &public).unwrap();
        assert!(
            notes.iter().any(|n| n.contains("delete it by hand")),
            "{notes:?}"
        );
        for entry in fs::read_dir(&root).unwrap().flatten() {
            let x = entry.path().join("roadmap/x");
            if x.exists() {
                fs::set_permissions(&x, fs::Permissions::from_mode(0o755)).unwrap();
            }
        }
    }

    #[cfg(unix)]
    fn is_root() -> bool {
        fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
    }
}
