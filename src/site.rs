//! A site folder, loaded and built: the state kept between builds so that `serve` can
//! re-parse one file and re-render only the pages that depend on it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use jiff::civil::Date;
use tera::Tera;

use crate::config::{self, CONFIG_FILE, SiteConfig};
use crate::content::load::{self, Kind, relative};
use crate::content::{Content, Entry, LoadError};
use crate::diagnostics::{self, Diagnostic};
use crate::metrics;
use crate::model::Model;
use crate::output::{SiteFiles, Staging};
use crate::render::pages::{self, Deps, PageSpec};
use crate::render::theme::{self, ThemeFiles};
use crate::render::{self, SiteData, feeds, links};

mod editor;
mod snapshots;

/// The result of reading a site for `check`: the model when there are no errors, and every
/// diagnostic in file order.
pub struct Loaded {
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn load(root: &Path, include_drafts: bool) -> Result<Loaded, LoadError> {
    let (content, mut diags) = crate::content::load(root)?;
    // Cross-file checks run even when some files have errors, so that one pass reports all.
    let file_errors = diags.iter().any(|d| d.is_error());
    let model = match Model::build(content, include_drafts) {
        Ok(m) if !file_errors => Some(m),
        Ok(_) => None,
        Err(errors) => {
            diags.extend(errors);
            None
        }
    };
    attach_sources(root, &mut diags);
    diagnostics::sort(&mut diags);
    Ok(Loaded {
        model,
        diagnostics: diags,
    })
}

/// Fill in the source line of diagnostics made without the file at hand.
pub fn attach_sources(root: &Path, diags: &mut [Diagnostic]) {
    for d in diags
        .iter_mut()
        .filter(|d| d.source_line.is_none() && d.pos.len > 0)
    {
        if let Ok(bytes) = load::read_site_file(root, &d.file, u64::MAX)
            && let Ok(text) = String::from_utf8(bytes)
        {
            let text = crate::content::front_matter::strip_bom(&text).to_string();
            *d = d.clone().with_source(&text);
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub as_of: Option<Date>,
    pub drafts: bool,
    /// `--since`: the review point of `/changes/` (a date, tag or commit).
    pub since: Option<String>,
}

/// What a build did.
#[derive(Clone, Debug, Default)]
pub struct BuildReport {
    /// Output files whose bytes changed (added, changed or removed), sorted.
    pub changed: Vec<String>,
    /// Pages rendered by this build (the others were kept from the previous one).
    pub rendered: usize,
    /// The output files of the pages rendered by this build, sorted.
    pub rendered_pages: Vec<String>,
    /// Content files parsed since the previous build.
    pub parsed: usize,
    pub pages: usize,
    pub charts: usize,
    pub warnings: usize,
    pub millis: u128,
    /// Milliseconds per build phase, for `THROUGHLINE_TIMINGS=1`.
    pub phases: Vec<(&'static str, f64)>,
    /// What history was read, for the summary line; None when history is off.
    pub history: Option<crate::history::Summary>,
    /// The check stopped before rendering every page because it was asked to (see
    /// [`Site::check_unless`]); its diagnostics are incomplete.
    pub interrupted: bool,
}

/// Where a build's pages go.
#[derive(Clone, Copy)]
enum Target<'a> {
    /// Kept in `Site::output` (serve, tests).
    Memory,
    /// Written to a staging folder as they are rendered (build).
    Staging(&'a Staging),
    /// Rendered, checked and dropped (check); rendering stops early once the function
    /// says so.
    Nowhere(&'a (dyn Fn() -> bool + Sync)),
}

/// One content file as parsed: its kind, the entry when it could be read, its diagnostics.
type Parsed = (Kind, Option<Entry>, Vec<Diagnostic>);

/// Content files as parsed, by path relative to the root.
type Entries = BTreeMap<String, Parsed>;

/// Which pages a build renders besides new ones; the others keep their bytes from the last
/// good build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Scope {
    /// Every page: the first build, site.yaml, templates, a new as-of day.
    all: bool,
    /// Changed content keys (`roadmap/<id>`): the pages naming one in their dependencies,
    /// before or after the change.
    keys: BTreeSet<String>,
    /// The pages built from everything (home, lists, dashboards).
    global: bool,
    /// The pages built from everything are left to a second step, which checks their links.
    global_later: bool,
}

impl Scope {
    const ALL: Scope = Scope {
        all: true,
        keys: BTreeSet::new(),
        global: true,
        global_later: false,
    };

    /// The pages that depend on these keys, including the global ones when any changed.
    fn keys(keys: BTreeSet<String>) -> Scope {
        Scope {
            global: !keys.is_empty(),
            keys,
            ..Scope::default()
        }
    }

    fn merge(mut self, other: Scope) -> Scope {
        self.all |= other.all;
        self.keys.extend(other.keys);
        self.global |= other.global || self.global_later || other.global_later;
        self.global_later = false;
        self
    }

    /// Whether a page with dependencies `deps` (and `old` in the last good build) is in.
    fn wants(&self, deps: &Deps, old: &Deps) -> bool {
        let names = |d: &Deps| match d {
            Deps::All => false,
            Deps::Keys(d) => d.iter().any(|k| self.keys.contains(k)),
        };
        self.all || self.global && *deps == Deps::All || names(deps) || names(old)
    }
}

/// What a changed path means for the build.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    /// site.yaml: read everything again.
    Config,
    /// A content file: parse it again (or drop it when it is gone).
    ContentFile,
    /// Something else under content/ (a folder, a file that is not content): list the
    /// content files again and parse the ones that appeared.
    ContentTree,
    /// A template or static file of the site or of its theme.
    Theme,
    /// Not part of the site: editor temp files, hidden files, other folders and themes.
    Ignored,
}

pub struct Site {
    pub opts: BuildOptions,
    config: SiteConfig,
    config_diags: Vec<Diagnostic>,
    list_diags: Vec<Diagnostic>,
    entries: Entries,
    theme: ThemeFiles,
    theme_diags: Vec<Diagnostic>,
    tera: Option<Tera>,
    /// The last good build.
    output: SiteFiles,
    specs: Vec<PageSpec>,
    /// `<svg` count per output page of the last good build.
    charts: BTreeMap<String, usize>,
    /// Internal link targets per output page of the last good build.
    page_links: BTreeMap<String, Vec<String>>,
    /// The as-of date of the last good build: when it moves, every page is rendered again.
    as_of: Option<Date>,
    /// What failed builds since the last good one should have rendered.
    pending: Option<Scope>,
    /// The pages built from everything wait for `finish`.
    unfinished: bool,
    /// Content files parsed since the last build.
    parsed: usize,
    /// How long opening the site took: reading and parsing every file.
    read_millis: f64,
    /// Diagnostics of the latest build attempt (errors mean `output` is older).
    diagnostics: Vec<Diagnostic>,
    /// Plan history from git, kept until HEAD or the tags move.
    history: crate::history::Cache,
    /// Content files given as text by an editor (`set_text`), standing in for the disk
    /// where a problem is located in its source.
    buffers: BTreeMap<String, String>,
    /// The quarterly snapshots last made, kept until what they are made from changes.
    archive: Option<snapshots::Archive>,
}

impl Site {
    /// Read the whole site folder. Nothing is built yet.
    pub fn open(opts: BuildOptions) -> Result<Site, LoadError> {
        let mut site = Site {
            opts,
            config: SiteConfig::default(),
            config_diags: Vec::new(),
            list_diags: Vec::new(),
            entries: BTreeMap::new(),
            theme: ThemeFiles::default(),
            theme_diags: Vec::new(),
            tera: None,
            output: SiteFiles::default(),
            specs: Vec::new(),
            charts: BTreeMap::new(),
            page_links: BTreeMap::new(),
            as_of: None,
            pending: None,
            unfinished: false,
            parsed: 0,
            diagnostics: Vec::new(),
            read_millis: 0.0,
            history: crate::history::Cache::default(),
            buffers: BTreeMap::new(),
            archive: None,
        };
        let started = Instant::now();
        site.read_all()?;
        site.read_millis = started.elapsed().as_secs_f64() * 1000.0;
        Ok(site)
    }

    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// Milliseconds spent reading and parsing the files when the site was opened.
    pub fn read_millis(&self) -> f64 {
        self.read_millis
    }

    /// The folders whose changes move HEAD or a tag, to watch while plan history is on.
    pub fn ref_folders(&self) -> Vec<PathBuf> {
        if !self.config.history {
            return Vec::new();
        }
        crate::history::git::Repo::discover(&self.opts.root)
            .map(|r| r.ref_folders())
            .unwrap_or_default()
    }

    /// How many times plan history was read from git (again only when HEAD or a tag moved).
    pub fn history_reads(&self) -> usize {
        self.history.reads
    }

    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// Where the site is published: `--base-url` when given, else site.yaml's `base_url`.
    pub fn base_url(&self) -> String {
        match &self.opts.base_url {
            Some(u) => {
                config::normalize_base_url(u).unwrap_or_else(|_| self.config.base_url.clone())
            }
            None => self.config.base_url.clone(),
        }
    }

    /// The path part of the base URL: `/` or `/repo/`.
    pub fn base_path(&self) -> String {
        config::base_path_of(&self.base_url())
    }

    /// The last good build's files.
    pub fn output(&self) -> &SiteFiles {
        &self.output
    }

    /// The latest build's diagnostics, in file order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }

    fn read_all(&mut self) -> Result<(), LoadError> {
        let root = self.opts.root.clone();
        let (config, diags) = load::read_config(&root)?;
        let (files, list_diags) = load::list_content(&root, &config)?;
        self.config = config;
        self.config_diags = diags;
        self.list_diags = list_diags;
        let config = &self.config;
        use rayon::prelude::*;
        let parsed: Vec<(String, Kind, Option<Entry>, Vec<Diagnostic>)> = files
            .par_iter()
            .map(|(kind, found)| {
                let rel = relative(&root, &found.path);
                let bytes = found
                    .read(config.max_file_size)
                    .map_err(|r| r.diagnostic(&rel));
                let (entry, diags) = load::parse_read(*kind, &rel, bytes, config);
                (rel, *kind, entry, diags)
            })
            .collect();
        self.parsed += parsed.len();
        self.entries = parsed
            .into_iter()
            .map(|(rel, k, e, d)| (rel, (k, e, d)))
            .collect();
        self.reload_theme(true);
        Ok(())
    }

    /// Gather the theme's files again; compile the templates unless they are the same as
    /// before (`force` compiles anyway). Returns whether they were compiled.
    fn reload_theme(&mut self, force: bool) -> bool {
        let (files, mut diags) = theme::gather(&self.opts.root, &self.config);
        let same = !force && self.tera.is_some() && same_templates(&files, &self.theme);
        if !same {
            self.tera = match theme::compile(&files) {
                Ok(t) => Some(t),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            };
        }
        self.theme = files;
        self.theme_diags = diags;
        !same
    }

    /// Build everything into `staging`, page by page (a one-off build: pages are not kept in
    /// memory). The caller commits the staging folder when the build has no errors.
    pub fn build_into(&mut self, staging: &Staging) -> BuildReport {
        self.assemble(Scope::ALL, Target::Staging(staging))
    }

    /// Build everything, in memory.
    pub fn build(&mut self) -> BuildReport {
        self.assemble(Scope::ALL, Target::Memory)
    }

    /// Run every step of a build, render every page and check its links, and keep nothing:
    /// what `check` does, so that it finds whatever would make `build` fail.
    pub fn check(&mut self) -> BuildReport {
        self.check_unless(&|| false)
    }

    /// [`Site::check`], given up as soon as `stop` says so (it is asked before each page
    /// is rendered): the report then says `interrupted` and its diagnostics are
    /// incomplete. The language server stops a check when the editor sends something.
    pub fn check_unless(&mut self, stop: &(dyn Fn() -> bool + Sync)) -> BuildReport {
        self.assemble(Scope::ALL, Target::Nowhere(stop))
    }

    /// Take in changed paths (absolute or relative to the root) and rebuild what they affect:
    /// site.yaml → everything; a content file → that file re-parsed and the pages that
    /// depend on it (before or after the change) plus the global pages; a content folder
    /// → the files in it listed again, new ones parsed, gone ones dropped; a template →
    /// every page re-rendered without re-parsing; a static file → copied, nothing rendered.
    /// Editor temp files, hidden files and other folders are ignored.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<BuildReport, LoadError> {
        let first = self.rebuild_first(changed)?;
        if !self.unfinished() {
            return Ok(first);
        }
        let second = self.finish();
        Ok(merge_reports(first, second))
    }

    /// The first part of `rebuild`: when content changed, only the pages that name it
    /// (its own, its neighbours'), leaving the pages built from everything (home, lists,
    /// dashboards), which take longest, to `finish`. A preview shows the edited page sooner
    /// that way, and can take in further changes before finishing.
    pub fn rebuild_first(&mut self, changed: &[PathBuf]) -> Result<BuildReport, LoadError> {
        let mut scope = self.take_in(changed)?;
        // HEAD or a tag moved: plan history, and every page showing it, may differ.
        if self.history.is_stale(&self.opts.root, &self.config) {
            scope = Scope::ALL;
        }
        let deferred = std::mem::take(&mut self.unfinished);
        if !scope.all && self.pending.is_none() && (scope.global || deferred) {
            scope.global = false;
            scope.global_later = true;
        }
        let report = self.assemble(scope.clone(), Target::Memory);
        self.unfinished = scope.global_later && !self.has_errors();
        Ok(report)
    }

    /// Whether `rebuild_first` left pages for `finish`.
    pub fn unfinished(&self) -> bool {
        self.unfinished
    }

    /// Render the pages `rebuild_first` left (nothing when it left none).
    pub fn finish(&mut self) -> BuildReport {
        if !std::mem::take(&mut self.unfinished) {
            return BuildReport::default();
        }
        self.assemble(
            Scope {
                global: true,
                ..Scope::default()
            },
            Target::Memory,
        )
    }

    /// Read what changed; which pages must be rendered.
    fn take_in(&mut self, changed: &[PathBuf]) -> Result<Scope, LoadError> {
        let root = self.opts.root.clone();
        let mut files = BTreeSet::new();
        let (mut config, mut tree, mut theme) = (false, false, false);
        for path in changed {
            let abs = if path.is_absolute() {
                path.clone()
            } else {
                root.join(path)
            };
            if !abs.starts_with(&root) {
                continue;
            }
            let rel = relative(&root, &abs);
            match self.classify(&rel, &abs) {
                Change::Config => config = true,
                Change::ContentFile => {
                    files.insert(rel);
                }
                Change::ContentTree => tree = true,
                Change::Theme => theme = true,
                Change::Ignored => {}
            }
        }
        if config {
            self.read_all()?;
            return Ok(Scope::ALL);
        }
        if tree {
            self.relist(&mut files)?;
        }
        let keys = self.reparse(&files);
        Ok(if theme && self.reload_theme(false) {
            Scope::ALL
        } else {
            Scope::keys(keys)
        })
    }

    fn classify(&self, rel: &str, abs: &Path) -> Change {
        let parts: Vec<&str> = rel.split('/').collect();
        if rel.is_empty()
            || parts
                .iter()
                .any(|p| p.is_empty() || *p == ".." || load::is_ignored_name(p))
        {
            return Change::Ignored;
        }
        match parts.as_slice() {
            [name] if *name == CONFIG_FILE => Change::Config,
            ["content"] | ["content", _] => Change::ContentTree,
            ["content", folder, ..] => match Kind::ALL.iter().find(|k| k.folder() == *folder) {
                Some(kind)
                    if kind.accepts_path(rel)
                        && (abs.is_file() || !abs.exists() && self.entries.contains_key(rel)) =>
                {
                    Change::ContentFile
                }
                // A folder, or a file that is not content (it has a warning) came or went.
                Some(_) => Change::ContentTree,
                None => Change::Ignored,
            },
            ["templates", ..] | ["static", ..] | ["themes"] => Change::Theme,
            ["themes", name, ..] if *name == self.config.theme => Change::Theme,
            _ => Change::Ignored,
        }
    }

    /// List the content files again: add the ones that appeared and the ones that went
    /// away to `files` (to be parsed or dropped).
    fn relist(&mut self, files: &mut BTreeSet<String>) -> Result<(), LoadError> {
        let root = self.opts.root.clone();
        let (listed, diags) = load::list_content(&root, &self.config)?;
        self.list_diags = diags;
        let listed: BTreeSet<String> = listed
            .iter()
            .map(|(_, f)| relative(&root, &f.path))
            .collect();
        files.extend(
            self.entries
                .keys()
                .filter(|rel| !listed.contains(*rel))
                .cloned(),
        );
        files.extend(
            listed
                .into_iter()
                .filter(|rel| !self.entries.contains_key(rel)),
        );
        Ok(())
    }

    /// Re-read content files (in parallel); the content keys (`roadmap/<id>`) they had and
    /// have. A file that is gone, or is no longer content, is dropped.
    fn reparse(&mut self, files: &BTreeSet<String>) -> BTreeSet<String> {
        use rayon::prelude::*;
        let root = &self.opts.root;
        let config = &self.config;
        let parsed: Vec<(&String, Option<Parsed>)> = files
            .par_iter()
            .map(|rel| {
                let abs = root.join(rel);
                let kind = rel
                    .split('/')
                    .nth(1)
                    .and_then(|f| Kind::ALL.into_iter().find(|k| k.folder() == f))
                    .filter(|k| k.accepts_path(rel));
                let entry = match kind {
                    Some(kind) if std::fs::symlink_metadata(&abs).is_ok() => {
                        let bytes = load::read_site_file(root, rel, config.max_file_size);
                        let (entry, diags) = load::parse_read(kind, rel, bytes, config);
                        Some((kind, entry, diags))
                    }
                    _ => None,
                };
                (rel, entry)
            })
            .collect();
        let mut keys = BTreeSet::new();
        for (rel, new) in parsed {
            if let Some((kind, Some(entry), _)) = self.entries.get(rel) {
                keys.insert(entry_key(*kind, entry));
            }
            match new {
                Some(new) => {
                    if let (kind, Some(entry), _) = &new {
                        keys.insert(entry_key(*kind, entry));
                    }
                    self.parsed += 1;
                    self.entries.insert(rel.clone(), new);
                }
                None => {
                    self.entries.remove(rel);
                }
            }
        }
        keys
    }

    fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut diags: Vec<Diagnostic> = self
            .config_diags
            .iter()
            .chain(&self.list_diags)
            .chain(&self.theme_diags)
            .cloned()
            .collect();
        for (_, _, d) in self.entries.values() {
            diags.extend(d.iter().cloned());
        }
        diags
    }

    /// Plan history for this build (read again only when HEAD or the tags moved): its
    /// baselines go into `model`; the history and what changed since the review point are
    /// returned for metrics.json. None when history is off.
    fn read_history(
        &mut self,
        model: &mut Model,
        as_of: Date,
        need_files: bool,
        diags: &mut Vec<Diagnostic>,
        report: &mut BuildReport,
    ) -> Option<crate::history::ForMetrics> {
        let root = self.opts.root.clone();
        let mut progress = |n: usize| eprintln!("reading history: {n} commits…");
        let history = self.history.refresh(&root, &self.config, &mut progress)?;
        let found = crate::history::for_build(
            &mut self.history,
            &root,
            &self.config,
            &history,
            model,
            self.opts.since.as_deref(),
            as_of,
        );
        let mut found = found;
        let key = self.snapshot_key(as_of);
        let kept = self
            .archive
            .as_ref()
            .is_some_and(|a| a.is_current(&key, &self.theme, need_files));
        if self.config.snapshots.is_some() && !kept {
            found.snapshots = Some(crate::history::snapshots(
                &mut self.history,
                &root,
                &self.config,
                &history,
                as_of,
                model.include_drafts,
            ));
        }
        report.history = Some(found.summary.clone());
        if let Some(problem) = &found.problem {
            diags.push(Diagnostic::warning(
                CONFIG_FILE,
                diagnostics::Pos::file_start(),
                problem.clone(),
            ));
        }
        Some(found)
    }

    /// What the snapshots of a build at `as_of` are made from, besides the theme.
    fn snapshot_key(&self, as_of: Date) -> snapshots::Key {
        snapshots::Key::new(self.history.reads, as_of, &self.config, &self.base_url())
    }

    /// The content as last parsed, before cross-file checks: every entry that could be read,
    /// and the keys of the files that could not.
    fn content(&self) -> Content {
        let mut content = Content {
            config: self.config.clone(),
            ..Content::default()
        };
        for (rel, (kind, entry, _)) in &self.entries {
            match entry {
                Some(Entry::Roadmap(x)) => content.items.push(x.clone()),
                Some(Entry::Outcome(x)) => content.outcomes.push(x.clone()),
                Some(Entry::Postmortem(x)) => content.postmortems.push(x.clone()),
                Some(Entry::Page(x)) => content.pages.push(x.clone()),
                None => {
                    content
                        .unreadable
                        .insert(load::unreadable_key(*kind, Path::new(rel)));
                }
            }
        }
        content
    }

    fn assemble(&mut self, scope: Scope, target: Target) -> BuildReport {
        let started = Instant::now();
        // What failed since the last good build still has to be rendered.
        let scope = match self.pending.take() {
            Some(pending) => pending.merge(scope),
            None => scope,
        };
        let mut diags = self.all_diagnostics();
        let mut report = BuildReport {
            parsed: std::mem::take(&mut self.parsed),
            ..BuildReport::default()
        };
        let built = self.render(&scope, target, &mut diags, &mut report);
        if !built {
            // Whatever this build should have rendered, the next one must.
            self.pending = Some(scope.merge(Scope::default()));
        }
        attach_sources(&self.opts.root, &mut diags);
        diagnostics::sort(&mut diags);
        report.warnings = diags.iter().filter(|d| !d.is_error()).count();
        report.millis = started.elapsed().as_millis();
        self.diagnostics = diags;
        report
    }

    /// Model, metrics, pages, feeds and the link check. On success the new site replaces
    /// `output` (pages go to `staging` instead when given) and `true` is returned; on errors
    /// they are added to `diags`. Cross-file checks run even when files have errors, so one
    /// pass reports everything.
    fn render(
        &mut self,
        scope: &Scope,
        target: Target,
        diags: &mut Vec<Diagnostic>,
        report: &mut BuildReport,
    ) -> bool {
        let mut last = Instant::now();
        let mut phase = |report: &mut BuildReport, name: &'static str| {
            report
                .phases
                .push((name, last.elapsed().as_secs_f64() * 1000.0));
            last = Instant::now();
        };
        let mut content = self.content();
        diags.extend(load::dedupe_ids(&mut content));
        phase(report, "content");
        let model = Model::build(content, self.opts.drafts);
        if let Err(errors) = &model {
            diags.extend(errors.iter().cloned());
        }
        let (Ok(mut model), false) = (model, diags.iter().any(|d| d.is_error())) else {
            return false;
        };
        let unusable_names = render::names::problems(&model);
        if !unusable_names.is_empty() {
            diags.extend(unusable_names);
            return false;
        }
        phase(report, "model");
        let as_of = self.opts.as_of.or(self.config.as_of).unwrap_or_else(|| {
            jiff::ZonedDateTime::now()
                .with_time_zone(self.config.tz.clone())
                .date()
        });
        let need_files = !matches!(target, Target::Nowhere(_));
        let history = self.read_history(&mut model, as_of, need_files, diags, report);
        let snapshot_key = self.snapshot_key(as_of);
        phase(report, "history");
        let base_url = self.base_url();
        let Some(tera) = self.tera.as_mut() else {
            return false;
        };
        // A new day changes every "now" figure: render everything.
        let scope = if self.as_of == Some(as_of) {
            scope
        } else {
            &Scope::ALL
        };
        let mut computed = metrics::compute(&model, as_of);
        let history_on = history.is_some();
        let mut fresh = None;
        if let Some(mut history) = history {
            fresh = history.snapshots.take();
            crate::history::attach(&mut computed, &model, history);
        }
        let metrics_json = metrics::to_json(&computed);
        let metrics_value = serde_json::to_value(&computed).unwrap_or(serde_json::Value::Null);
        phase(report, "metrics");
        let mut data =
            SiteData::new(&model, &metrics_value, &base_url).with_forecast(&computed.forecast);
        let has_archive = history_on && self.config.snapshots.is_some();
        data.archive_url = has_archive.then(|| data.url("archive/"));
        let custom: Vec<String> = self
            .theme
            .templates
            .keys()
            .filter_map(|n| {
                n.strip_prefix("custom/")
                    .and_then(|n| n.strip_suffix(".html"))
            })
            .map(str::to_string)
            .collect();
        let never = || false;
        let stop = match target {
            Target::Nowhere(stop) => stop,
            _ => &never,
        };
        // Snapshots first, so that /archive/ lists only those that rendered; kept from the
        // last build when nothing they are made from changed.
        let mut snapshot_files = Vec::new();
        let made = has_archive && fresh.is_some();
        let archive = match (has_archive, fresh) {
            (false, _) => None,
            (true, Some((list, left_out))) => {
                let renderer = snapshots::Renderer {
                    theme: &self.theme,
                    base_url: &base_url,
                    custom: &custom,
                };
                let Some((archive, files)) =
                    renderer.render(tera, &list, left_out, snapshot_key, stop)
                else {
                    report.interrupted = true;
                    return false;
                };
                let used = render::used_globals(tera);
                *tera.global_context() = render::global_context(&data, &used);
                snapshot_files = files;
                phase(report, "snapshots");
                Some(archive)
            }
            (true, None) => self.archive.clone(),
        };
        let reused = match (&archive, made) {
            (Some(a), false) => a.paths.clone(),
            _ => BTreeSet::new(),
        };
        if let Some(a) = &archive {
            diags.extend(a.warnings.iter().cloned());
        }
        let mut specs = pages::all(&model, &custom);
        if computed.changes.is_some() {
            specs.push(pages::changes());
        }
        if let Some(a) = &archive {
            specs.push(pages::archive(a.listing.clone()));
        }
        let clashes = pages::custom_clashes(&specs);
        if !clashes.is_empty() {
            diags.extend(clashes.into_iter().map(|name| {
                Diagnostic::error(
                    &format!("templates/custom/{name}.html"),
                    diagnostics::Pos::file_start(),
                    format!("the custom page `/{name}/` would replace the built-in page at the same address"),
                )
                .with_help(format!("rename the template, e.g. templates/custom/my-{name}.html"))
            }));
            return false;
        }
        let old_deps: BTreeMap<&str, &Deps> = self
            .specs
            .iter()
            .filter(|s| self.output.get(&s.file).is_some())
            .map(|s| (s.file.as_str(), &s.deps))
            .collect();
        let to_render: Vec<&PageSpec> = specs
            .iter()
            .filter(|s| {
                old_deps
                    .get(s.file.as_str())
                    .is_none_or(|old| scope.wants(&s.deps, old))
            })
            .collect();
        if !to_render.is_empty() {
            let used = render::used_globals(tera);
            *tera.global_context() = render::global_context(&data, &used);
        }
        phase(report, "context");
        // Pages go straight to disk when building into a staging folder, else into memory.
        let in_memory: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
        let sink = |file: &str, html: String| -> Result<(), Diagnostic> {
            match target {
                Target::Staging(st) => st.write(file, html.as_bytes()).map_err(|e| {
                    Diagnostic::error(file, diagnostics::Pos::file_start(), e.to_string())
                }),
                Target::Memory => {
                    if let Ok(mut pages) = in_memory.lock() {
                        pages.push((file.to_string(), html));
                    }
                    Ok(())
                }
                Target::Nowhere(_) => Ok(()),
            }
        };
        let (rendered, errors) =
            render::render_pages(tera, &to_render, &data, &self.theme, &sink, stop);
        if stop() {
            report.interrupted = true;
            return false;
        }
        if !errors.is_empty() {
            diags.extend(errors);
            return false;
        }
        phase(report, "render");
        report.rendered = rendered.len();
        report.rendered_pages = rendered.iter().map(|r| r.file.clone()).collect();
        report.rendered_pages.sort();
        report.pages = specs.len();

        // The pages rendered now, statics and feeds; pages kept from the last good build
        // join them once every check has passed (moved, not copied).
        let mut files = SiteFiles::default();
        let mut new_links: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut new_charts: BTreeMap<String, usize> = BTreeMap::new();
        for r in rendered {
            new_charts.insert(r.file.clone(), r.charts);
            new_links.insert(r.file, r.links);
        }
        // Snapshots kept from the last build are kept files too.
        let kept: Vec<String> = specs
            .iter()
            .filter(|s| !new_links.contains_key(&s.file))
            .map(|s| s.file.clone())
            .chain(reused.iter().cloned())
            .collect();
        for (file, html) in in_memory.into_inner().unwrap_or_default() {
            files.insert(file, html.into_bytes());
        }
        // The charts' colours, from the chart module itself; a theme may bring its own.
        files.insert("charts.css", crate::charts::CHART_CSS.as_bytes().to_vec());
        for (path, bytes) in &self.theme.statics {
            files.insert(path.clone(), bytes.clone());
        }
        files.insert("metrics.json", metrics_json.into_bytes());
        files.insert(
            "atom.xml",
            feeds::atom(&model, &base_url, as_of).into_bytes(),
        );
        let urls: Vec<String> = specs
            .iter()
            .filter(|s| s.kind != pages::PageKind::NotFound)
            .map(|s| s.url.clone())
            .collect();
        files.insert("sitemap.xml", feeds::sitemap(&urls, &base_url).into_bytes());
        files.insert("robots.txt", feeds::robots(&base_url).into_bytes());
        files.insert(".nojekyll", Vec::new());
        phase(report, "files");
        for (path, bytes) in snapshot_files {
            files.insert(path, bytes);
        }

        let page_files: BTreeMap<&str, &PageSpec> =
            specs.iter().map(|s| (s.file.as_str(), s)).collect();
        let exists = |p: &str| {
            page_files.contains_key(p) || files.files.contains_key(p) || reused.contains(p)
        };
        let removed: Vec<String> = self
            .output
            .files
            .keys()
            .chain(self.page_links.keys())
            .filter(|p| !exists(p))
            .cloned()
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect();
        // Kept pages had their links checked by the last good build; they still resolve
        // unless a file went away. Global pages left to the next step are checked there.
        let mut to_check = new_links.clone();
        if !removed.is_empty() {
            to_check.extend(
                self.page_links
                    .iter()
                    .filter(|(file, _)| !new_links.contains_key(*file))
                    .filter(|(file, _)| {
                        page_files
                            .get(file.as_str())
                            .is_some_and(|s| !(scope.global_later && s.deps == Deps::All))
                    })
                    .map(|(file, links)| (file.clone(), links.clone())),
            );
        }
        let origin = |file: &str| links::Origin {
            content: page_files.get(file).and_then(|s| s.source.clone()),
            template: page_files
                .get(file)
                .map_or_else(String::new, |s| s.template.clone()),
        };
        let root = &self.opts.root;
        let buffers = &self.buffers;
        let read = |rel: &str| {
            let text = match buffers.get(rel) {
                Some(text) => text.clone(),
                None => {
                    let bytes = load::read_site_file(root, rel, u64::MAX).ok()?;
                    String::from_utf8(bytes).ok()?
                }
            };
            Some(crate::content::front_matter::strip_bom(&text).to_string())
        };
        let broken = links::check(
            &to_check,
            &exists,
            &data.base_path,
            &origin,
            &read,
            &self.theme,
        );
        if !broken.is_empty() {
            diags.extend(broken);
            return false;
        }
        phase(report, "links");
        if matches!(target, Target::Nowhere(_)) {
            // What a check made stands for the next check; a build needs the files too.
            if made || archive.is_none() {
                self.archive = archive;
            }
            return true;
        }
        if let Target::Staging(st) = target {
            let kept_bytes = kept
                .iter()
                .filter_map(|f| self.output.get(f).map(|b| (f, b)));
            for (path, bytes) in files
                .files
                .iter()
                .map(|(p, b)| (p, b.as_slice()))
                .chain(kept_bytes)
            {
                if let Err(e) = st.write(path, bytes) {
                    diags.push(Diagnostic::error(
                        path,
                        diagnostics::Pos::file_start(),
                        e.to_string(),
                    ));
                    return false;
                }
            }
        }
        let mut changed: BTreeSet<String> = files
            .files
            .iter()
            .filter(|(path, bytes)| self.output.get(path) != Some(bytes.as_slice()))
            .map(|(path, _)| path.clone())
            .collect();
        changed.extend(
            removed
                .iter()
                .filter(|p| self.output.get(p).is_some())
                .cloned(),
        );
        report.changed = changed.into_iter().collect();

        let mut old = std::mem::take(&mut self.output.files);
        for file in &kept {
            if let Some(bytes) = old.remove(file) {
                files.files.insert(file.clone(), bytes);
            }
        }
        let mut page_links = std::mem::take(&mut self.page_links);
        page_links.retain(|file, _| page_files.contains_key(file.as_str()));
        page_links.extend(new_links);
        let mut charts = std::mem::take(&mut self.charts);
        charts.retain(|file, _| page_files.contains_key(file.as_str()));
        charts.extend(new_charts);
        report.charts = charts.values().sum();
        self.output = files;
        self.archive = archive.map(snapshots::Archive::in_output);
        self.specs = specs;
        self.charts = charts;
        self.page_links = page_links;
        self.as_of = Some(as_of);
        true
    }
}

/// One report for the two parts of `rebuild`.
fn merge_reports(first: BuildReport, second: BuildReport) -> BuildReport {
    let union = |a: Vec<String>, b: Vec<String>| -> Vec<String> {
        a.into_iter()
            .chain(b)
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect()
    };
    BuildReport {
        changed: union(first.changed, second.changed),
        rendered: first.rendered + second.rendered,
        rendered_pages: union(first.rendered_pages, second.rendered_pages),
        parsed: first.parsed + second.parsed,
        millis: first.millis + second.millis,
        phases: first.phases.into_iter().chain(second.phases).collect(),
        ..second
    }
}

fn same_templates(a: &ThemeFiles, b: &ThemeFiles) -> bool {
    a.templates.len() == b.templates.len()
        && a.templates
            .iter()
            .zip(&b.templates)
            .all(|((na, sa), (nb, sb))| na == nb && sa.text == sb.text && sa.origin == sb.origin)
}

/// The key pages use to name their dependencies: `roadmap/<id>`, `outcomes/<id>`, …
pub fn entry_key(kind: Kind, entry: &Entry) -> String {
    let id = match entry {
        Entry::Roadmap(x) => &x.id,
        Entry::Outcome(x) => &x.id,
        Entry::Postmortem(x) => &x.id,
        Entry::Page(x) => &x.id,
    };
    format!("{}/{id}", kind.folder())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    /// The small fixture site in a temp dir, built once.
    fn built() -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small");
        copy_dir(&fixture, dir.path());
        let mut site = Site::open(BuildOptions {
            root: dir.path().to_path_buf(),
            ..BuildOptions::default()
        })
        .unwrap();
        let report = site.build();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert_eq!(report.rendered, report.pages);
        (dir, site)
    }

    fn edit(root: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        fs::write(&path, text.replace(from, to)).unwrap();
        path
    }

    fn page(site: &Site, file: &str) -> String {
        String::from_utf8_lossy(site.output().get(file).unwrap_or_default()).to_string()
    }

    #[test]
    fn a_check_told_to_stop_renders_no_further_pages_and_says_it_was_interrupted() {
        let (_dir, mut site) = built();
        // Asked before each page: the fourth time says stop; the pages in flight finish,
        // but none is reported as rendered.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let stop = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 3;
        let report = site.check_unless(&stop);
        assert!(report.interrupted);
        assert_eq!(report.rendered, 0);
        let finished = site.check();
        assert!(!finished.interrupted);
        assert_eq!(finished.rendered, finished.pages);
    }

    fn has(files: &[String], file: &str) -> bool {
        files.iter().any(|f| f == file)
    }

    const GLOBAL: [&str; 4] = [
        "index.html",
        "roadmap/index.html",
        "outcomes/index.html",
        "404.html",
    ];

    #[test]
    fn editing_an_item_renders_its_page_the_pages_linking_it_and_the_global_pages() {
        let (dir, mut site) = built();
        let alpha = edit(
            dir.path(),
            "content/roadmap/alpha.md",
            "Alpha checkout",
            "Alpha express checkout",
        );
        let report = site.rebuild(&[alpha]).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert_eq!(report.parsed, 1);
        let rendered = &report.rendered_pages;
        assert_eq!(report.rendered, rendered.len());
        for file in [
            "roadmap/alpha/index.html",
            // alpha depends on beta: beta lists it as a dependent.
            "roadmap/beta/index.html",
            "outcomes/signup-rate/index.html",
        ]
        .iter()
        .chain(&GLOBAL)
        {
            assert!(has(rendered, file), "{file} not in {rendered:?}");
        }
        for file in [
            "roadmap/gamma/index.html",
            "postmortems/2026-08-03-payments-outage/index.html",
            "pages/about/index.html",
        ] {
            assert!(!has(rendered, file), "{file} in {rendered:?}");
        }
        assert!(report.rendered < report.pages);
        assert!(has(&report.changed, "roadmap/alpha/index.html"));
        assert!(!has(&report.changed, "roadmap/gamma/index.html"));
        assert!(page(&site, "roadmap/alpha/index.html").contains("Alpha express checkout"));
    }

    #[test]
    fn dropping_a_dependency_renders_the_former_neighbour_too() {
        let (dir, mut site) = built();
        let alpha = edit(
            dir.path(),
            "content/roadmap/alpha.md",
            "depends_on: [beta]\n",
            "",
        );
        let report = site.rebuild(&[alpha]).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        let rendered = &report.rendered_pages;
        assert!(has(rendered, "roadmap/beta/index.html"), "{rendered:?}");
    }

    #[test]
    fn a_template_change_renders_every_page_without_parsing() {
        let (dir, mut site) = built();
        let templates = dir.path().join("templates");
        fs::create_dir_all(&templates).unwrap();
        let item = templates.join("item.html");
        fs::write(
            &item,
            "{% extends \"base.html\" %}{% block main %}<h1 class=\"item\">{{ page.title }}</h1>{% endblock main %}",
        )
        .unwrap();
        let report = site.rebuild(&[item]).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert_eq!(report.parsed, 0);
        assert_eq!(report.rendered, report.pages);
        assert!(has(&report.changed, "roadmap/gamma/index.html"));
        assert!(page(&site, "roadmap/gamma/index.html").contains("<h1 class=\"item\">"));
    }

    #[test]
    fn a_static_file_change_copies_it_and_renders_nothing() {
        let (dir, mut site) = built();
        let statics = dir.path().join("static");
        fs::create_dir_all(statics.join("img")).unwrap();
        let logo = statics.join("img/logo.svg");
        fs::write(&logo, "<svg/>").unwrap();
        let report = site.rebuild(std::slice::from_ref(&logo)).unwrap();
        assert_eq!(report.changed, ["img/logo.svg"]);
        assert_eq!((report.parsed, report.rendered), (0, 0));
        assert_eq!(site.output().get("img/logo.svg"), Some(&b"<svg/>"[..]));

        fs::write(&logo, "<svg></svg>").unwrap();
        let report = site.rebuild(std::slice::from_ref(&logo)).unwrap();
        assert_eq!(report.changed, ["img/logo.svg"]);
        assert_eq!(site.output().get("img/logo.svg"), Some(&b"<svg></svg>"[..]));

        fs::remove_dir_all(&statics).unwrap();
        let report = site.rebuild(&[statics]).unwrap();
        assert_eq!(report.changed, ["img/logo.svg"]);
        assert!(site.output().get("img/logo.svg").is_none());
    }

    #[test]
    fn a_deleted_file_disappears_and_a_new_one_appears() {
        let (dir, mut site) = built();
        let gamma = dir.path().join("content/roadmap/gamma.md");
        let text = fs::read_to_string(&gamma).unwrap();
        fs::remove_file(&gamma).unwrap();
        let report = site.rebuild(std::slice::from_ref(&gamma)).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert!(has(&report.changed, "roadmap/gamma/index.html"));
        assert!(site.output().get("roadmap/gamma/index.html").is_none());

        let delta = dir.path().join("content/roadmap/delta.md");
        fs::write(&delta, text.replace("Gamma", "Delta")).unwrap();
        let report = site.rebuild(&[delta]).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert!(has(&report.changed, "roadmap/delta/index.html"));
        assert!(page(&site, "roadmap/delta/index.html").contains("Delta database upgrade"));
    }

    #[test]
    fn folders_created_renamed_and_removed() {
        let (dir, mut site) = built();
        let later = dir.path().join("content/roadmap/later");
        fs::create_dir_all(&later).unwrap();
        fs::copy(
            dir.path().join("content/roadmap/gamma.md"),
            later.join("epsilon.md"),
        )
        .unwrap();
        let report = site.rebuild(std::slice::from_ref(&later)).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert_eq!(report.parsed, 1);
        assert!(site.output().get("roadmap/epsilon/index.html").is_some());

        let renamed = dir.path().join("content/roadmap/someday");
        fs::rename(&later, &renamed).unwrap();
        let report = site.rebuild(&[later, renamed.clone()]).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert_eq!(report.parsed, 1);
        assert!(site.output().get("roadmap/epsilon/index.html").is_some());

        fs::remove_dir_all(&renamed).unwrap();
        let report = site.rebuild(&[renamed]).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert!(has(&report.changed, "roadmap/epsilon/index.html"));
        assert!(site.output().get("roadmap/epsilon/index.html").is_none());
    }

    #[test]
    fn edits_made_while_the_site_is_broken_show_once_it_is_fixed() {
        let (dir, mut site) = built();
        let before = site.output().clone();
        let gamma = edit(
            dir.path(),
            "content/roadmap/gamma.md",
            "status: planned",
            "status: plannd",
        );
        site.rebuild(std::slice::from_ref(&gamma)).unwrap();
        assert!(site.has_errors());
        assert_eq!(site.output(), &before);

        let beta = edit(
            dir.path(),
            "content/roadmap/beta.md",
            "Beta payments API",
            "Beta payments client",
        );
        site.rebuild(&[beta]).unwrap();
        assert!(site.has_errors());
        assert_eq!(site.output(), &before);

        edit(
            dir.path(),
            "content/roadmap/gamma.md",
            "status: plannd",
            "status: planned",
        );
        let report = site.rebuild(&[gamma]).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert!(has(&report.changed, "roadmap/beta/index.html"));
        assert!(page(&site, "roadmap/beta/index.html").contains("Beta payments client"));
    }

    #[test]
    fn editor_temp_files_and_other_folders_are_ignored() {
        let (dir, mut site) = built();
        let root = dir.path();
        let paths: Vec<PathBuf> = [
            "content/roadmap/.alpha.md.swp",
            "content/roadmap/alpha.md~",
            "content/roadmap/4913",
            "content/roadmap/.#alpha.md",
            "templates/.item.html.swp",
            "public/index.html",
            "themes/other/templates/item.html",
            ".git/index",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        for p in &paths {
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x").unwrap();
        }
        let report = site.rebuild(&paths).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert_eq!((report.parsed, report.rendered), (0, 0));
        assert!(report.changed.is_empty(), "{:?}", report.changed);
    }

    #[test]
    fn a_site_yaml_change_reads_everything_again() {
        let (dir, mut site) = built();
        let config = edit(dir.path(), "site.yaml", "Small report", "Tiny report");
        let report = site.rebuild(&[config]).unwrap();
        assert_eq!(report.parsed, 6);
        assert_eq!(report.rendered, report.pages);
        assert!(page(&site, "index.html").contains("Tiny report"));
    }

    #[test]
    fn the_pages_of_an_edit_come_first_and_the_global_pages_on_finish() {
        let (dir, mut site) = built();
        let home_before = page(&site, "roadmap/index.html");
        let alpha = edit(
            dir.path(),
            "content/roadmap/alpha.md",
            "Alpha checkout",
            "Alpha express checkout",
        );
        let first = site.rebuild_first(&[alpha]).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        let rendered = &first.rendered_pages;
        assert!(has(rendered, "roadmap/alpha/index.html"), "{rendered:?}");
        assert!(has(rendered, "roadmap/beta/index.html"), "{rendered:?}");
        for file in GLOBAL {
            assert!(!has(rendered, file), "{file} in {rendered:?}");
        }
        assert!(site.unfinished());
        assert!(page(&site, "roadmap/alpha/index.html").contains("Alpha express checkout"));
        assert_eq!(page(&site, "roadmap/index.html"), home_before);

        // Another edit before finishing: the global pages still wait.
        let gamma = edit(
            dir.path(),
            "content/roadmap/gamma.md",
            "Gamma database upgrade",
            "Gamma database move",
        );
        let first = site.rebuild_first(&[gamma]).unwrap();
        assert!(has(&first.rendered_pages, "roadmap/gamma/index.html"));
        assert!(!has(&first.rendered_pages, "index.html"));
        assert!(site.unfinished());

        let second = site.finish();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert!(!site.unfinished());
        for file in GLOBAL {
            assert!(has(&second.rendered_pages, file), "{file}");
        }
        assert!(!has(&second.rendered_pages, "roadmap/alpha/index.html"));
        let board = page(&site, "roadmap/index.html");
        assert!(board.contains("Alpha express checkout"), "{board}");
        assert!(board.contains("Gamma database move"), "{board}");
        assert_eq!(site.finish().rendered, 0, "nothing left");
    }

    #[test]
    fn a_deleted_item_is_gone_before_the_lists_linking_it_are_rendered_again() {
        let (dir, mut site) = built();
        let gamma = dir.path().join("content/roadmap/gamma.md");
        fs::remove_file(&gamma).unwrap();
        let first = site.rebuild_first(&[gamma]).unwrap();
        // The roadmap list still links to gamma until finish: not a broken link yet.
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert!(has(&first.changed, "roadmap/gamma/index.html"));
        assert!(page(&site, "roadmap/index.html").contains("/roadmap/gamma/"));
        site.finish();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert!(!page(&site, "roadmap/index.html").contains("/roadmap/gamma/"));
    }

    #[test]
    fn a_broken_first_part_leaves_nothing_unfinished_and_the_fix_renders_everything_needed() {
        let (dir, mut site) = built();
        let alpha = edit(
            dir.path(),
            "content/roadmap/alpha.md",
            "Alpha checkout",
            "Alpha one-page checkout",
        );
        site.rebuild_first(&[alpha]).unwrap();
        assert!(site.unfinished());
        let gamma = edit(
            dir.path(),
            "content/roadmap/gamma.md",
            "status: planned",
            "status: plannd",
        );
        site.rebuild_first(std::slice::from_ref(&gamma)).unwrap();
        assert!(site.has_errors());
        assert!(!site.unfinished());
        edit(
            dir.path(),
            "content/roadmap/gamma.md",
            "status: plannd",
            "status: planned",
        );
        let report = site.rebuild_first(&[gamma]).unwrap();
        assert!(!site.has_errors(), "{:?}", site.diagnostics());
        assert!(!site.unfinished());
        assert!(has(&report.rendered_pages, "roadmap/index.html"));
        assert!(page(&site, "roadmap/index.html").contains("Alpha one-page checkout"));
    }
}
