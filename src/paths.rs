//! The one checkpoint for paths. Every path that comes from content, site.yaml or the command
//! line is resolved and checked here before any file is opened, written, renamed or removed:
//! reading never leaves the site folder and never opens anything but a regular file, and the
//! output folder is never one whose loss would destroy work.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::content::load::relative;
use crate::diagnostics::{Diagnostic, Pos};

/// Marks a folder as made by throughline: only such folders are ever replaced or deleted.
pub const MARKER: &str = ".throughline";

/// The largest file read from the site unless site.yaml's `max_file_size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// The folders of a site that hold its sources: never an output folder, never inside one.
const SOURCE_FOLDERS: [&str; 5] = ["content", "templates", "static", "themes", ".git"];

/// `p` made absolute (against the working folder) with `.` and `..` removed by their
/// meaning as written, not as the file system would follow them.
pub fn normalize(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `p` normalised, then with the symbolic links of its longest existing prefix resolved: the
/// folder every later operation uses.
pub fn resolve(p: &Path) -> PathBuf {
    let normal = normalize(p);
    let mut existing = normal.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

/// The site folder as the file system has it (links resolved).
pub fn real_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| normalize(root))
}

/// Where an output folder was asked for. site.yaml is content under review, so its
/// `output_dir` must stay inside the site; only the command line may point elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFrom {
    CommandLine,
    SiteYaml,
}

/// An output folder that passed every check: the only kind `output` writes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputDir {
    real: PathBuf,
    shown: String,
}

impl OutputDir {
    /// The resolved folder.
    pub fn path(&self) -> &Path {
        &self.real
    }

    /// The folder as the user wrote it, for messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Check again, right before a rename or delete, that the folder is still one this
    /// build may replace: absent, empty, or carrying the marker.
    pub fn recheck(&self) -> Result<(), String> {
        replaceable(&self.real, &self.shown)
    }
}

/// Resolve and check an output folder. `requested` is relative to the working folder when it
/// comes from the command line, to the site folder when it comes from site.yaml.
pub fn output_dir(root: &Path, requested: &Path, from: OutputFrom) -> Result<OutputDir, String> {
    let shown = requested.display().to_string();
    let refuse = |why: &str| {
        Err(format!(
            "refusing to use {shown} as the output folder: {why}"
        ))
    };
    let root = real_root(root);
    let real = match from {
        OutputFrom::CommandLine => resolve(requested),
        OutputFrom::SiteYaml => resolve(&root.join(requested)),
    };
    if real.parent().is_none() {
        return refuse("it is the file system root");
    }
    if std::env::home_dir().is_some_and(|home| real_root(&home).starts_with(&real)) {
        return refuse("it is your home folder or contains it");
    }
    if root.starts_with(&real) {
        return refuse("it is the site folder or contains it");
    }
    for folder in SOURCE_FOLDERS {
        let source = root.join(folder);
        if source.starts_with(&real) || real.starts_with(&source) {
            return refuse(&format!(
                "it is, holds or is inside the site's {folder}/ folder"
            ));
        }
    }
    if from == OutputFrom::SiteYaml && !real.starts_with(&root) {
        return refuse(&format!(
            "`output_dir` in site.yaml resolves to {}, outside the site folder; only --output-dir may point elsewhere",
            real.display()
        ));
    }
    replaceable(&real, &shown)?;
    Ok(OutputDir { real, shown })
}

/// Whether `dir` may be replaced: it does not exist, or it is a real folder (not a link, file
/// or device) that is empty or carries the marker.
fn replaceable(dir: &Path, shown: &str) -> Result<(), String> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot inspect the output folder {shown}: {e}")),
    };
    if !meta.is_dir() {
        return Err(format!(
            "refusing to use {shown} as the output folder: it exists and is {}, not a folder",
            describe(&meta.file_type())
        ));
    }
    if has_marker(dir) {
        return Ok(());
    }
    let empty = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    if empty {
        Ok(())
    } else {
        Err(format!(
            "refusing to replace {shown}: it is not empty and was not made by throughline (no {MARKER} file); choose another --output-dir or empty it"
        ))
    }
}

/// Whether `dir` carries the marker as a regular file (a link named like it does not count).
pub fn has_marker(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Whether `rel` is a plain relative path of named parts (`a/b.html`): what an output file
/// may be called.
pub fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && rel.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part.len() <= 255
                && !part.contains(['\\', '\0'])
        })
}

/// What kind of file system entry a file type is, in words.
fn describe(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if t.is_symlink() {
        "a link"
    } else if t.is_dir() {
        "a folder"
    } else if t.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

/// Why a file of the site was not read.
#[derive(Debug)]
pub enum Refused {
    /// The path, or a link on the way to it, leads outside the site folder.
    Outside {
        points_to: PathBuf,
    },
    /// Not a regular file: a FIFO, socket or device is never opened.
    Special(&'static str),
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Outside { points_to } => write!(
                f,
                "a link to {}, outside the site folder: throughline does not read outside the site",
                points_to.display()
            ),
            Refused::Special(what) => write!(f, "ignored: {what} is not a file throughline reads"),
            Refused::TooLarge { size, limit } => write!(
                f,
                "the file is {}, over the limit of {} (site.yaml `max_file_size` raises it)",
                mib(*size),
                mib(*limit)
            ),
            Refused::Io(e) => write!(f, "cannot read the file: {e}"),
        }
    }
}

impl Refused {
    /// As a diagnostic on the file (`rel`, relative to the site root). Special files are
    /// skipped with a warning; everything else is an error.
    pub fn diagnostic(&self, rel: &str) -> Diagnostic {
        match self {
            Refused::Special(_) => Diagnostic::warning(rel, Pos::file_start(), self.to_string()),
            _ => Diagnostic::error(rel, Pos::file_start(), self.to_string()),
        }
    }
}

fn mib(bytes: u64) -> String {
    let m = bytes as f64 / (1024.0 * 1024.0);
    if m >= 10.0 || m.fract() == 0.0 {
        format!("{m:.0} MiB")
    } else {
        format!("{m:.1} MiB")
    }
}

/// Where a link leads: its target as written, or the resolved path.
fn link_target(path: &Path, real: Option<&Path>) -> PathBuf {
    std::fs::read_link(path)
        .ok()
        .or_else(|| real.map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Resolve `path` (a file or folder of the site) and check that it stays inside `root`
/// (already resolved). Returns the resolved path and what is there.
fn inside(root: &Path, path: &Path) -> Result<(PathBuf, std::fs::Metadata), Refused> {
    let real = std::fs::canonicalize(path).map_err(|e| match std::fs::symlink_metadata(path) {
        // A link whose target is missing: say where it points.
        Ok(m) if m.is_symlink() => Refused::Io(std::io::Error::new(
            e.kind(),
            format!(
                "it is a link to {}, which cannot be read: {e}",
                link_target(path, None).display()
            ),
        )),
        _ => Refused::Io(e),
    })?;
    if !real.starts_with(root) {
        return Err(Refused::Outside {
            points_to: link_target(path, Some(&real)),
        });
    }
    let meta = std::fs::metadata(&real).map_err(Refused::Io)?;
    Ok((real, meta))
}

/// Read a file of the site: inside the site folder, a regular file, at most `limit` bytes.
/// Nothing of a refused file is read.
pub fn read_file(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    let (real, meta) = inside(&real_root(root), path)?;
    if !meta.is_file() {
        return Err(Refused::Special(describe(&meta.file_type())));
    }
    read_regular(&real, limit)
}

/// Read a resolved path that must be a regular file of at most `limit` bytes.
fn read_regular(real: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    let file = open_regular(real).map_err(Refused::Io)?;
    let size = file.metadata().map_err(Refused::Io)?.len();
    if size > limit {
        return Err(Refused::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may have grown since it was measured.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Open a resolved path for reading without following a link put there since it was
/// resolved, and without blocking on a FIFO; then make sure it is a regular file.
fn open_regular(real: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(real)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    Ok(file)
}

/// A regular file found by `walk`: its path as it appears in the site (through links, not
/// their targets) and the resolved path it is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    real: PathBuf,
}

impl Found {
    /// The file's bytes, at most `limit` of them (checked when the file is opened, not when
    /// it was found).
    pub fn read(&self, limit: u64) -> Result<Vec<u8>, Refused> {
        read_regular(&self.real, limit)
    }
}

/// The regular files under a folder of the site, found by `walk`.
#[derive(Debug, Default)]
pub struct Walk {
    /// Sorted per folder, depth first.
    pub files: Vec<Found>,
    /// Folders found (as they appear in the site), for callers that look at folder names.
    pub dirs: Vec<PathBuf>,
    pub diags: Vec<Diagnostic>,
}

/// Folders already walked (resolved), so that no folder is read twice and no link cycle is
/// followed.
#[derive(Debug, Default)]
pub struct Visited {
    dirs: HashSet<PathBuf>,
    /// Resolved folders a walk started from: a link to one of them or above is a cycle.
    starts: Vec<PathBuf>,
}

/// Every regular file under `dir` (a folder of the site at `root`), recursively, skipping
/// names for which `skip` is true. Links are followed only while they stay inside the site;
/// a link out is an error naming it, a link to a folder already read a warning; FIFOs,
/// sockets and devices are skipped with a warning and never opened.
pub fn walk(root: &Path, dir: &Path, skip: &dyn Fn(&str) -> bool, visited: &mut Visited) -> Walk {
    let real_root = real_root(root);
    let mut walk = Walk::default();
    match inside(&real_root, dir) {
        Ok((real, meta)) if meta.is_dir() => {
            visited.starts.push(real.clone());
            visited.dirs.insert(real.clone());
            let at = Place {
                path: dir,
                real: &real,
            };
            walk_dir(root, &real_root, at, skip, visited, &mut walk);
        }
        Ok(_) => {}
        Err(Refused::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(refused) => walk.diags.push(refused.diagnostic(&relative(root, dir))),
    }
    walk
}

/// A folder being walked: as it appears in the site, and resolved.
#[derive(Clone, Copy)]
struct Place<'a> {
    path: &'a Path,
    real: &'a Path,
}

fn walk_dir(
    root: &Path,
    real_root: &Path,
    dir: Place,
    skip: &dyn Fn(&str) -> bool,
    visited: &mut Visited,
    walk: &mut Walk,
) {
    let entries = match std::fs::read_dir(dir.real) {
        Ok(entries) => entries,
        Err(e) => {
            walk.diags.push(Diagnostic::error(
                &relative(root, dir.path),
                Pos::file_start(),
                format!("cannot read the folder: {e}"),
            ));
            return;
        }
    };
    let mut names: Vec<(std::ffi::OsString, Option<std::fs::FileType>)> = entries
        .filter_map(|e| e.ok().map(|e| (e.file_name(), e.file_type().ok())))
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, file_type) in names {
        if skip(&name.to_string_lossy()) {
            continue;
        }
        let path = dir.path.join(&name);
        let rel = relative(root, &path);
        // Only links need resolving: anything else is where its folder is.
        let (real, file_type) = match file_type {
            Some(t) if !t.is_symlink() => (dir.real.join(&name), t),
            _ => match inside(real_root, &path) {
                Ok((real, meta)) => (real, meta.file_type()),
                Err(refused) => {
                    walk.diags.push(refused.diagnostic(&rel));
                    continue;
                }
            },
        };
        if file_type.is_file() {
            walk.files.push(Found { path, real });
        } else if file_type.is_dir() {
            let cycle = visited.starts.iter().any(|s| s.starts_with(&real));
            if cycle || !visited.dirs.insert(real.clone()) {
                walk.diags.push(Diagnostic::warning(
                    &rel,
                    Pos::file_start(),
                    "ignored: a link to a folder that is already read",
                ));
                continue;
            }
            walk.dirs.push(path.clone());
            let at = Place {
                path: &path,
                real: &real,
            };
            walk_dir(root, real_root, at, skip, visited, walk);
        } else {
            walk.diags
                .push(Refused::Special(describe(&file_type)).diagnostic(&rel));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_removes_dots_by_what_is_written() {
        assert_eq!(
            normalize(Path::new("/a/nonexist/../../victim")),
            PathBuf::from("/victim")
        );
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("/../..")), PathBuf::from("/"));
    }

    #[test]
    fn plain_relative_paths() {
        assert!(is_plain_relative("roadmap/x/index.html"));
        assert!(!is_plain_relative("../x"));
        assert!(!is_plain_relative("/etc/passwd"));
        assert!(!is_plain_relative("a//b"));
        assert!(!is_plain_relative(""));
        assert!(!is_plain_relative(&"a".repeat(256)));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_never_an_output_folder() {
        // Only inspected: the check fails before anything could be done to it.
        let err = replaceable(Path::new("/dev/null"), "/dev/null").unwrap_err();
        assert_eq!(
            err,
            "refusing to use /dev/null as the output folder: it exists and is a device, not a folder"
        );
    }

    #[test]
    fn output_folders_resolve_before_they_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let real = real_root(dir.path());
        let site_yaml = |p: &str| output_dir(&root, Path::new(p), OutputFrom::SiteYaml);
        assert_eq!(
            site_yaml("public").unwrap().path(),
            real.join("site/public")
        );
        assert_eq!(
            site_yaml("a/nonexist/../../public").unwrap().path(),
            real.join("site/public")
        );
        assert!(site_yaml("nonexist/../..").is_err());
        assert!(site_yaml("nonexist/../../elsewhere").is_err());
        assert!(site_yaml("x/../content").is_err());
        assert!(site_yaml("content/x").is_err());
        assert!(site_yaml(".git").is_err());
        let flag = |p: &Path| output_dir(&root, p, OutputFrom::CommandLine);
        assert_eq!(
            flag(&dir.path().join("elsewhere")).unwrap().path(),
            real.join("elsewhere")
        );
        assert!(flag(dir.path()).is_err());
        assert!(flag(Path::new("/")).is_err());
    }

    #[test]
    fn sizes_in_mebibytes() {
        assert_eq!(mib(10 * 1024 * 1024), "10 MiB");
        assert_eq!(mib(1024 * 1024 + 512 * 1024), "1.5 MiB");
    }
}
