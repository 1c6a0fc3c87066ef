//! Reading the site folder: site.yaml, then every content file in parallel.

use std::path::Path;

use rayon::prelude::*;

use super::fields::{FileCtx, is_valid_id};
use super::front_matter::{split, strip_bom};
use super::outcome::Outcome;
use super::page::Page;
use super::postmortem::Postmortem;
use super::roadmap::RoadmapItem;
use super::{field_table, outcome, page, postmortem, roadmap, yaml};
use crate::config::{self, CONFIG_FILE, SiteConfig};
use crate::diagnostics::{self, Diagnostic, Pos};
use crate::paths::{self, Found, Visited};

/// Everything read from the site folder, before cross-file checks.
#[derive(Clone, Debug, Default)]
pub struct Content {
    pub config: SiteConfig,
    pub items: Vec<RoadmapItem>,
    pub outcomes: Vec<Outcome>,
    pub postmortems: Vec<Postmortem>,
    pub pages: Vec<Page>,
    /// `<folder>/<file stem>` of content files that could not be read, so that references
    /// to them are not also reported as dangling.
    pub unreadable: std::collections::BTreeSet<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Roadmap,
    Outcome,
    Postmortem,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Roadmap, Kind::Outcome, Kind::Postmortem, Kind::Page];

    /// The folder under `content/`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Roadmap => "roadmap",
            Kind::Outcome => "outcomes",
            Kind::Postmortem => "postmortems",
            Kind::Page => "pages",
        }
    }

    /// Whether a file at `rel` (relative to the root) is content of this kind.
    pub fn accepts_path(self, rel: &str) -> bool {
        let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
        !ext.contains('/') && self.accepts(ext)
    }

    fn accepts(self, ext: &str) -> bool {
        match self {
            Kind::Outcome => ext == "yaml" || ext == "md",
            _ => ext == "md",
        }
    }
}

/// One parsed content file.
#[derive(Clone, Debug)]
pub enum Entry {
    Roadmap(RoadmapItem),
    Outcome(Outcome),
    Postmortem(Postmortem),
    Page(Page),
}

/// A problem that stops before content can be checked: no site, unreadable folder.
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Files editors leave behind while saving, and hidden files: never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with('#')
}

/// The path relative to the root, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn read_config(root: &Path) -> Result<(SiteConfig, Vec<Diagnostic>), LoadError> {
    if !root.is_dir() {
        return Err(LoadError(if root.exists() {
            format!("{} is not a folder", root.display())
        } else {
            format!("there is no folder {}", root.display())
        }));
    }
    let path = root.join(CONFIG_FILE);
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(LoadError(format!(
            "no {CONFIG_FILE} in {} (is this a throughline site? `throughline init` makes one)",
            root.display()
        )));
    }
    let bytes = match read_site_file(root, CONFIG_FILE, paths::DEFAULT_MAX_FILE_SIZE) {
        Ok(bytes) => bytes,
        Err(d) => return Ok((SiteConfig::default(), vec![d])),
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(config::parse(text)),
        Err(e) => Ok((
            SiteConfig::default(),
            vec![not_utf8(CONFIG_FILE, &bytes, e)],
        )),
    }
}

fn not_utf8(file: &str, bytes: &[u8], e: std::str::Utf8Error) -> Diagnostic {
    // A byte-order mark is not a column, as everywhere else.
    let valid = &bytes[..e.valid_up_to()];
    let valid = valid.strip_prefix("\u{feff}".as_bytes()).unwrap_or(valid);
    let line = valid.iter().filter(|b| **b == b'\n').count() as u32 + 1;
    let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count() as u32
        + 1;
    Diagnostic::error(file, Pos::new(line, col, 1), "the file is not valid UTF-8")
        .with_label("save it as UTF-8")
}

/// Content files with their kind, and warnings about files that are not content.
pub type FileList = (Vec<(Kind, Found)>, Vec<Diagnostic>);

/// Every content file under `root/content`, sorted, with its kind; plus warnings for
/// files that are not content, and the errors and warnings of `paths::walk` (links out of
/// the site, special files, link cycles).
pub fn list_files(root: &Path) -> Result<FileList, LoadError> {
    let content = root.join("content");
    let walk = paths::walk(root, &content, &is_ignored_name, &mut Visited::default());
    let mut diags = walk.diags;
    let not_content = |path: &Path| {
        Diagnostic::warning(&relative(root, path), Pos::file_start(), "ignored: not a content folder")
            .with_help("content goes in content/roadmap, content/outcomes, content/postmortems or content/pages")
    };
    let kind_of = |folder: &str| Kind::ALL.into_iter().find(|k| k.folder() == folder);
    for dir in &walk.dirs {
        if dir.parent() == Some(content.as_path()) && kind_of(&file_name(dir)).is_none() {
            diags.push(not_content(dir));
        }
    }
    let mut files = Vec::new();
    for found in walk.files {
        let path = &found.path;
        let rel = path.strip_prefix(&content).unwrap_or(path);
        let folder = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().to_string());
        let kind = match folder.as_deref().and_then(kind_of) {
            Some(kind) if rel.components().count() > 1 => kind,
            // A file directly in content/ (folders of another name are warned about above).
            _ if rel.components().count() == 1 => {
                diags.push(not_content(path));
                continue;
            }
            _ => continue,
        };
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_string())
            .unwrap_or_default();
        if kind.accepts(&ext) {
            files.push((kind, found));
        } else {
            let expected = if kind == Kind::Outcome {
                "a .yaml or .md file"
            } else {
                "a .md file"
            };
            diags.push(Diagnostic::warning(
                &relative(root, path),
                Pos::file_start(),
                format!("ignored: {} expects {expected}", kind.folder()),
            ));
        }
    }
    Ok((files, diags))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// Read one file of the site (`rel` relative to the root) through the path checks: a
/// diagnostic on the file when it is refused.
pub fn read_site_file(root: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    paths::read_file(root, &root.join(rel), limit).map_err(|r| r.diagnostic(rel))
}

/// Parse one content file as read, or pass on why it could not be read.
pub fn parse_read(
    kind: Kind,
    rel: &str,
    bytes: Result<Vec<u8>, Diagnostic>,
    config: &SiteConfig,
) -> (Option<Entry>, Vec<Diagnostic>) {
    match bytes {
        Ok(bytes) => parse_file(kind, rel, &bytes, config),
        Err(d) => (None, vec![d]),
    }
}

/// Parse one content file from its bytes. `rel` is its path relative to the site root.
pub fn parse_file(
    kind: Kind,
    rel: &str,
    bytes: &[u8],
    config: &SiteConfig,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => strip_bom(t),
        Err(e) => return (None, vec![not_utf8(rel, bytes, e)]),
    };
    let markdown = rel.ends_with(".md");
    let (yaml_text, yaml_line, body, body_line) = if markdown {
        match split(text, rel) {
            Ok(s) => (s.yaml, s.yaml_line, s.body, s.body_line),
            Err(d) => return (None, vec![d]),
        }
    } else {
        (text, 1, "", 0)
    };
    let node = match yaml::parse(yaml_text, rel, yaml_line) {
        Ok(n) => n,
        Err(d) => return (None, vec![d.with_source(text)]),
    };
    let mut cx = FileCtx::new(rel, text, &config.tz);
    if node.value == yaml::Value::Null {
        cx.error(
            node.pos,
            if markdown {
                "the front matter is empty"
            } else {
                "the file is empty"
            },
            format!("{} needs at least a `title`", kind_name(kind)),
        );
        return (None, cx.diags);
    }
    let known = match kind {
        Kind::Roadmap => field_table::ROADMAP.names(),
        Kind::Outcome => outcome::fields_for(markdown),
        Kind::Postmortem => field_table::POSTMORTEM.names(),
        Kind::Page => field_table::PAGE.names(),
    };
    let Some(fields) = cx.fields(&node, &known, kind_name(kind)) else {
        return (None, cx.diags);
    };
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let (id, id_pos) = match fields.get("id") {
        Some(n) => match cx.reference(n, "id") {
            Some(r) => (r.id, r.pos),
            None => return (None, cx.diags),
        },
        None if is_valid_id(stem) => (stem.to_string(), Pos::file_start()),
        None => {
            cx.error_with_help(
                Pos::file_start(),
                format!("the file name `{stem}` is not a valid id"),
                "",
                "ids are lowercase letters, digits and `-`: rename the file or set `id:`",
            );
            return (None, cx.diags);
        }
    };
    let entry = match kind {
        Kind::Roadmap => {
            roadmap::parse(&mut cx, &fields, id, id_pos, rel, body, body_line).map(Entry::Roadmap)
        }
        Kind::Outcome => outcome::parse(
            &mut cx,
            &fields,
            id,
            id_pos,
            rel,
            markdown.then_some((body, body_line)),
        )
        .map(Entry::Outcome),
        Kind::Postmortem => {
            postmortem::parse(&mut cx, &fields, config, id, id_pos, rel, body, body_line)
                .map(Entry::Postmortem)
        }
        Kind::Page => {
            page::parse(&mut cx, &fields, id, id_pos, rel, body, body_line).map(Entry::Page)
        }
    };
    (entry, cx.diags)
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Roadmap => "a roadmap item",
        Kind::Outcome => "an outcome",
        Kind::Postmortem => "a post-mortem",
        Kind::Page => "a page",
    }
}

/// The content files to read with this config: none for a report in a newer content format,
/// whose files would only add errors about fields this release does not know (the one error
/// about the format says what to do).
pub fn list_content(root: &Path, config: &SiteConfig) -> Result<FileList, LoadError> {
    if config.format > crate::version::CONTENT_FORMAT {
        return Ok((Vec::new(), Vec::new()));
    }
    list_files(root)
}

/// Read and parse the whole site. Returns the content (what could be read) and every
/// diagnostic, sorted; `Err` only when the site itself cannot be read.
pub fn load(root: &Path) -> Result<(Content, Vec<Diagnostic>), LoadError> {
    let (config, mut diags) = read_config(root)?;
    let (files, list_diags) = list_content(root, &config)?;
    diags.extend(list_diags);
    let parsed: Vec<(Option<Entry>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|(kind, found)| {
            let rel = relative(root, &found.path);
            let bytes = found
                .read(config.max_file_size)
                .map_err(|r| r.diagnostic(&rel));
            parse_read(*kind, &rel, bytes, &config)
        })
        .collect();
    let mut content = Content {
        config,
        ..Content::default()
    };
    for ((entry, d), (kind, found)) in parsed.into_iter().zip(&files) {
        diags.extend(d);
        match entry {
            Some(Entry::Roadmap(x)) => content.items.push(x),
            Some(Entry::Outcome(x)) => content.outcomes.push(x),
            Some(Entry::Postmortem(x)) => content.postmortems.push(x),
            Some(Entry::Page(x)) => content.pages.push(x),
            None => {
                content
                    .unreadable
                    .insert(unreadable_key(*kind, &found.path));
            }
        }
    }
    diags.extend(dedupe_ids(&mut content));
    diagnostics::sort(&mut diags);
    Ok((content, diags))
}

/// The key a reference to an unreadable file would use: `<folder>/<file stem>`.
pub fn unreadable_key(kind: Kind, path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    format!("{}/{stem}", kind.folder())
}

/// Sort each kind by id and report ids used twice (the second file, naming the first).
pub fn dedupe_ids(content: &mut Content) -> Vec<Diagnostic> {
    fn dedupe<T>(
        list: &mut Vec<T>,
        key: impl Fn(&T) -> (&str, &str, Pos),
        what: &str,
    ) -> Vec<Diagnostic> {
        list.sort_by(|a, b| (key(a).0, key(a).1).cmp(&(key(b).0, key(b).1)));
        let mut diags = Vec::new();
        let mut keep = vec![true; list.len()];
        for i in 1..list.len() {
            let (prev_id, prev_path, _) = key(&list[i - 1]);
            let (id, path, pos) = key(&list[i]);
            if id == prev_id {
                keep[i] = false;
                diags.push(
                    Diagnostic::error(path, pos, format!("duplicate {what} id `{id}`"))
                        .with_label(format!("already used by {prev_path}")),
                );
            }
        }
        let mut flags = keep.into_iter();
        list.retain(|_| flags.next().unwrap_or(true));
        diags
    }
    let mut diags = dedupe(
        &mut content.items,
        |x| (&x.id, &x.path, x.id_pos),
        "roadmap item",
    );
    diags.extend(dedupe(
        &mut content.outcomes,
        |x| (&x.id, &x.path, x.id_pos),
        "outcome",
    ));
    diags.extend(dedupe(
        &mut content.postmortems,
        |x| (&x.id, &x.path, x.id_pos),
        "post-mortem",
    ));
    diags.extend(dedupe(
        &mut content.pages,
        |x| (&x.id, &x.path, x.id_pos),
        "page",
    ));
    diags
}
