//! Quarterly snapshots in a build: each past quarter rendered under `archive/<quarter>/`,
//! and kept while nothing they are made from changes (the history read, site.yaml, the
//! theme, as_of, the base URL), so that an edit in `serve` does not render every past
//! quarter again.

use std::collections::BTreeSet;

use jiff::civil::Date;
use tera::Tera;

use super::same_templates;
use crate::config::{CONFIG_FILE, SiteConfig, base_path_of};
use crate::diagnostics::{Diagnostic, Pos, Severity};
use crate::history::Snapshot;
use crate::metrics;
use crate::render::pages::{self, PageSpec};
use crate::render::theme::ThemeFiles;
use crate::render::{self, SiteData};

/// Output files: path and bytes.
type Files = Vec<(String, Vec<u8>)>;

/// What snapshots are made from, besides the theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// Times history was read: it is read again when HEAD or a tag moved.
    reads: usize,
    as_of: Date,
    config: String,
    base_url: String,
}

impl Key {
    pub fn new(reads: usize, as_of: Date, config: &SiteConfig, base_url: &str) -> Key {
        Key {
            reads,
            as_of,
            config: serde_json::to_string(config).unwrap_or_default(),
            base_url: base_url.to_string(),
        }
    }
}

/// The snapshots of the last build that made them.
#[derive(Clone)]
pub struct Archive {
    key: Key,
    theme: ThemeFiles,
    /// (quarter, as_of, commit) of each snapshot made, oldest first: what `/archive/` lists.
    pub listing: Vec<(String, String, String)>,
    /// Every file of every snapshot.
    pub paths: BTreeSet<String>,
    /// Quarters left out, and why.
    pub warnings: Vec<Diagnostic>,
    /// Whether the files are in the site's output (a check keeps none).
    pub in_output: bool,
}

impl Archive {
    /// The same snapshots, their files now in the site's output.
    pub fn in_output(self) -> Archive {
        Archive {
            in_output: true,
            ..self
        }
    }

    /// Whether these snapshots are what a build with `key` and `theme` would make; a build
    /// that keeps its output (`need_files`) also needs their files to be there.
    pub fn is_current(&self, key: &Key, theme: &ThemeFiles, need_files: bool) -> bool {
        self.key == *key
            && same_templates(&self.theme, theme)
            && self.theme.statics == theme.statics
            && (self.in_output || !need_files)
    }
}

/// What rendering snapshots needs from the build.
pub struct Renderer<'a> {
    pub theme: &'a ThemeFiles,
    pub base_url: &'a str,
    pub custom: &'a [String],
}

impl Renderer<'_> {
    /// Render each snapshot; one a template fails on is left out, the template's first error
    /// a warning at its place (reading history never fails a build), as are the quarters
    /// `left_out` before. None when `stop` said to give up (it is asked before each page).
    /// Leaves a snapshot's context in `tera`: the caller restores its own.
    pub fn render(
        &self,
        tera: &mut Tera,
        snapshots: &[Snapshot],
        left_out: Vec<String>,
        key: Key,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<(Archive, Files)> {
        let used = render::used_globals(tera);
        let mut archive = Archive {
            key,
            theme: self.theme.clone(),
            listing: Vec::new(),
            paths: BTreeSet::new(),
            warnings: left_out
                .into_iter()
                .map(|why| Diagnostic::warning(CONFIG_FILE, Pos::file_start(), why))
                .collect(),
            in_output: false,
        };
        let mut files = Vec::new();
        for snap in snapshots {
            let quarter = snap.quarter.to_string();
            let result = self.one(tera, snap, &used, stop);
            if stop() {
                return None;
            }
            match result {
                Ok(out) => {
                    archive.paths.extend(out.iter().map(|(p, _)| p.clone()));
                    files.extend(out);
                    let commit = snap.commit.short.clone();
                    archive
                        .listing
                        .push((quarter, snap.as_of.to_string(), commit));
                }
                Err(errors) => archive.warnings.extend(left_out_by(&quarter, errors)),
            }
        }
        Some((archive, files))
    }

    /// The pages, statics and metrics.json of one snapshot, under `archive/<quarter>/`.
    fn one(
        &self,
        tera: &mut Tera,
        snap: &Snapshot,
        used: &BTreeSet<String>,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Files, Vec<Diagnostic>> {
        let base_url = self.base_url;
        let prefix = format!("archive/{}/", snap.quarter);
        let value = serde_json::to_value(&snap.metrics).unwrap_or(serde_json::Value::Null);
        let mut data = SiteData::new(&snap.model, &value, &format!("{base_url}{prefix}"));
        data.snapshot = Some((snap.quarter.to_string(), base_url.to_string()));
        data.archive_url = Some(format!("{}archive/", base_path_of(base_url)));
        *tera.global_context() = render::global_context(&data, used);
        let specs = pages::all(&snap.model, self.custom);
        let refs: Vec<&PageSpec> = specs.iter().collect();
        let out: std::sync::Mutex<Vec<(String, Vec<u8>)>> = std::sync::Mutex::new(Vec::new());
        let sink = |file: &str, html: String| -> Result<(), Diagnostic> {
            if let Ok(mut pages) = out.lock() {
                pages.push((format!("{prefix}{file}"), html.into_bytes()));
            }
            Ok(())
        };
        let (_, errors) = render::render_pages(tera, &refs, &data, self.theme, &sink, stop);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut files = out.into_inner().unwrap_or_default();
        files.push((
            format!("{prefix}charts.css"),
            crate::charts::CHART_CSS.as_bytes().to_vec(),
        ));
        for (path, bytes) in &self.theme.statics {
            files.push((format!("{prefix}{path}"), bytes.clone()));
        }
        files.push((
            format!("{prefix}metrics.json"),
            metrics::to_json(&snap.metrics).into_bytes(),
        ));
        Ok(files)
    }
}

/// The template's first error, as a warning at the same place, saying the snapshot is left
/// out.
fn left_out_by(quarter: &str, errors: Vec<Diagnostic>) -> Option<Diagnostic> {
    let mut first = errors.into_iter().next()?;
    first.severity = Severity::Warning;
    first.message = format!("the snapshot {quarter} is left out: {}", first.message);
    Some(first)
}
