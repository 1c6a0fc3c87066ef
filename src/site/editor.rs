//! What the language server needs of a site: files read from an editor's unsaved buffers
//! instead of the disk, and the checks of `check` without building any page.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::Site;
use crate::config;
use crate::content::load::{self, Kind};
use crate::content::{Entry, LoadError};
use crate::diagnostics::{self, Diagnostic};
use crate::model::Model;
use crate::paths::Refused;

impl Site {
    /// The kind of content a path (relative to the root) holds, if any.
    pub fn content_kind(rel: &str) -> Option<Kind> {
        rel.split('/')
            .nth(1)
            .and_then(|f| Kind::ALL.into_iter().find(|k| k.folder() == f))
            .filter(|k| rel.starts_with("content/") && k.accepts_path(rel))
    }

    /// Parse a content file from `text` (an editor's buffer), or from the disk again when
    /// `text` is `None`. Paths that are not content are left alone.
    pub fn set_text(&mut self, rel: &str, text: Option<&str>) {
        let Some(kind) = Site::content_kind(rel) else {
            return;
        };
        match text {
            Some(t) => self.buffers.insert(rel.to_string(), t.to_string()),
            None => self.buffers.remove(rel),
        };
        let limit = self.config.max_file_size;
        let parsed = match text {
            // The same size limit as on disk, so the editor agrees with `check`.
            Some(t) if t.len() as u64 > limit => {
                let size = t.len() as u64;
                (
                    None,
                    vec![Refused::TooLarge { size, limit }.diagnostic(rel)],
                )
            }
            Some(t) => load::parse_file(kind, rel, t.as_bytes(), &self.config),
            None => {
                if std::fs::symlink_metadata(self.opts.root.join(rel)).is_err() {
                    self.entries.remove(rel);
                    return;
                }
                let root = &self.opts.root;
                let bytes = load::read_site_file(root, rel, self.config.max_file_size);
                load::parse_read(kind, rel, bytes, &self.config)
            }
        };
        self.entries
            .insert(rel.to_string(), (kind, parsed.0, parsed.1));
    }

    /// Read site.yaml from `text` (or the disk when `None`), then every content file from
    /// the disk again, since they are read with its timezone and severities.
    pub fn set_config_text(&mut self, text: Option<&str>) -> Result<(), LoadError> {
        let (config, diags) = match text {
            Some(t) => config::parse(t),
            None => load::read_config(&self.opts.root)?,
        };
        self.config = config;
        self.config_diags = diags;
        let files: BTreeSet<String> = self.entries.keys().cloned().collect();
        self.reparse(&files);
        Ok(())
    }

    /// Take in paths changed on disk (as `serve` does) without building.
    pub fn reload(&mut self, changed: &[PathBuf]) -> Result<(), LoadError> {
        self.take_in(changed).map(|_| ())
    }

    /// Every diagnostic `check` would report, in file order: each file's own, duplicate
    /// ids, dangling references and cycles.
    pub fn content_diagnostics(&self, include_drafts: bool) -> Vec<Diagnostic> {
        let mut diags: Vec<Diagnostic> = self
            .config_diags
            .iter()
            .chain(&self.list_diags)
            .cloned()
            .collect();
        for (_, _, d) in self.entries.values() {
            diags.extend(d.iter().cloned());
        }
        let mut content = self.content();
        diags.extend(load::dedupe_ids(&mut content));
        if let Err(errors) = Model::build(content, include_drafts) {
            diags.extend(errors);
        }
        diagnostics::sort(&mut diags);
        diags
    }

    /// The content files as last parsed: path, kind and the entry when it could be read.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Kind, Option<&Entry>)> {
        self.entries
            .iter()
            .map(|(rel, (kind, entry, _))| (rel.as_str(), *kind, entry.as_ref()))
    }
}
