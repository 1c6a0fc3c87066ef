//! The only module that touches the output folder. A build produces a `SiteFiles` in memory;
//! `write` puts it on disk beside the old output and swaps it in, so a failed build or write
//! leaves the previous site exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Marks a folder as made by throughline: only such folders are ever replaced.
pub const MARKER: &str = ".throughline";

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

fn absolute(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Resolve what exists (symlinks, `..`), keep the rest as written.
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

/// Refuse output folders that would destroy the user's work: the site root, the content
/// folder, a parent of either, or a non-empty folder that throughline did not make.
pub fn check_output_dir(site_root: &Path, out: &Path) -> Result<(), OutputError> {
    let root = absolute(site_root);
    let out_abs = absolute(out);
    let content = root.join("content");
    let shown = out.display();
    if out_abs == root || root.starts_with(&out_abs) {
        return Err(OutputError(format!(
            "refusing to use {shown} as the output folder: it is the site folder or contains it"
        )));
    }
    if out_abs == content || content.starts_with(&out_abs) || out_abs.starts_with(&content) {
        return Err(OutputError(format!(
            "refusing to use {shown} as the output folder: it is, holds or is inside the content folder"
        )));
    }
    for special in ["templates", "static", "themes"] {
        if out_abs == root.join(special) || out_abs.starts_with(root.join(special)) {
            return Err(OutputError(format!(
                "refusing to use {shown} as the output folder: it is inside the site's {special}/ folder"
            )));
        }
    }
    if out_abs.is_file() {
        return Err(OutputError(format!(
            "refusing to use {shown} as the output folder: it is a file"
        )));
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).is_file() {
        let empty = fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(OutputError(format!(
                "refusing to replace {shown}: it is not empty and was not made by throughline (no {MARKER} file); choose another --output-dir or empty it"
            )));
        }
    }
    Ok(())
}

/// A new output folder being written beside the real one. `commit` swaps it in; dropping
/// it uncommitted removes it, leaving the previous output as it was.
pub struct Staging {
    dir: Option<tempfile::TempDir>,
    out: PathBuf,
}

impl Staging {
    pub fn new(site_root: &Path, out: &Path) -> Result<Staging, OutputError> {
        check_output_dir(site_root, out)?;
        let out = absolute(out);
        let parent = out
            .parent()
            .ok_or_else(|| OutputError(format!("{} has no parent folder", out.display())))?;
        fs::create_dir_all(parent)
            .map_err(|e| OutputError(format!("cannot create {}: {e}", parent.display())))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(parent)
            .map_err(|e| {
                OutputError(format!(
                    "cannot create a folder in {}: {e}",
                    parent.display()
                ))
            })?;
        Ok(Staging {
            dir: Some(dir),
            out,
        })
    }

    fn path(&self) -> &Path {
        self.dir.as_ref().map_or(self.out.as_path(), |d| d.path())
    }

    /// Write one file (safe to call from several threads at once).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.path().join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| OutputError(format!("cannot create {}: {e}", dir.display())))?;
        }
        fs::write(&path, bytes)
            .map_err(|e| OutputError(format!("cannot write {}: {e}", path.display())))
    }

    /// Mark the folder as ours and swap it in place of the previous output.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.write(
            MARKER,
            b"This folder is made by throughline build and is replaced by the next build.\n",
        )?;
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        let staged = dir.keep();
        let out = &self.out;
        let parent = out.parent().unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let old = parent.join(format!(".{name}.old"));
        if old.exists() {
            remove_tree(&old);
        }
        let had_old = out.exists();
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
        if had_old {
            remove_tree(&old);
        }
        Ok(())
    }
}

/// Delete a folder and everything in it, the entries two levels down in parallel (a site
/// keeps most pages in folders like `roadmap/<id>/`). Best effort, like `remove_dir_all`.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let children = |d: &Path| -> Vec<(PathBuf, bool)> {
        fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
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
    let _ = fs::remove_dir_all(dir);
}

/// Write `site` to `out`: into a fresh sibling folder first, then swap it in.
pub fn write(site: &SiteFiles, site_root: &Path, out: &Path) -> Result<(), OutputError> {
    let staging = Staging::new(site_root, out)?;
    for (rel, bytes) in &site.files {
        staging.write(rel, bytes)?;
    }
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_site_root_its_parent_and_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content/roadmap")).unwrap();
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, dir.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content")).is_err());
        assert!(check_output_dir(&root, &root.join("content/roadmap/out")).is_err());
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
    }

    #[test]
    fn remove_tree_deletes_every_level_and_leaves_link_targets() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("keep");
        fs::create_dir_all(&keep).unwrap();
        fs::write(keep.join("precious.txt"), "x").unwrap();
        let old = dir.path().join("old");
        fs::create_dir_all(old.join("roadmap/a/deep/er")).unwrap();
        fs::write(old.join("roadmap/a/deep/er/index.html"), "x").unwrap();
        fs::write(old.join("roadmap/index.html"), "x").unwrap();
        fs::write(old.join("index.html"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&keep, old.join("roadmap/link")).unwrap();
        remove_tree(&old);
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
        let mut site = SiteFiles::default();
        site.insert("index.html", "hi");
        assert!(write(&site, &root, &foreign).is_err());
        assert_eq!(
            fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "mine"
        );

        let out = root.join("public");
        write(&site, &root, &out).unwrap();
        site.insert("index.html", "again");
        write(&site, &root, &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "again");
        assert!(out.join(MARKER).is_file());
        let leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
