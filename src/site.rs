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
        if let Ok(text) = std::fs::read_to_string(root.join(&d.file)) {
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
}

/// What a build did.
#[derive(Clone, Debug, Default)]
pub struct BuildReport {
    /// Output files whose bytes changed (added, changed or removed), sorted.
    pub changed: Vec<String>,
    /// Pages rendered by this build (the others were kept from the previous one).
    pub rendered: usize,
    pub pages: usize,
    pub charts: usize,
    pub warnings: usize,
    pub millis: u128,
    /// Milliseconds per build phase, for `THROUGHLINE_TIMINGS=1`.
    pub phases: Vec<(&'static str, f64)>,
}

/// Content files as parsed, by path relative to the root.
type Entries = BTreeMap<String, (Kind, Option<Entry>, Vec<Diagnostic>)>;

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
    /// Per output page of the last good build: its internal links and chart count.
    page_links: BTreeMap<String, Vec<String>>,
    page_charts: BTreeMap<String, usize>,
    /// Diagnostics of the latest build attempt (errors mean `output` is older).
    diagnostics: Vec<Diagnostic>,
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
            page_links: BTreeMap::new(),
            page_charts: BTreeMap::new(),
            diagnostics: Vec::new(),
        };
        site.read_all()?;
        Ok(site)
    }

    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// The last good build's files.
    pub fn output(&self) -> &SiteFiles {
        &self.output
    }

    /// The latest build's diagnostics, in file order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The base URL this build uses: `--base-url` when given, else site.yaml's `base_url`.
    pub fn base_url(&self) -> String {
        match &self.opts.base_url {
            Some(u) => {
                config::normalize_base_url(u).unwrap_or_else(|_| self.config.base_url.clone())
            }
            None => self.config.base_url.clone(),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }

    fn read_all(&mut self) -> Result<(), LoadError> {
        let root = self.opts.root.clone();
        let (config, diags) = load::read_config(&root)?;
        self.config = config;
        self.config_diags = diags;
        let (files, list_diags) = load::list_files(&root)?;
        self.list_diags = list_diags;
        let config = &self.config;
        use rayon::prelude::*;
        let parsed: Vec<(String, Kind, Option<Entry>, Vec<Diagnostic>)> = files
            .par_iter()
            .map(|(kind, path)| {
                let rel = relative(&root, path);
                let (entry, diags) = read_entry(*kind, &rel, path, config);
                (rel, *kind, entry, diags)
            })
            .collect();
        self.entries = parsed
            .into_iter()
            .map(|(rel, k, e, d)| (rel, (k, e, d)))
            .collect();
        self.reload_theme();
        Ok(())
    }

    fn reload_theme(&mut self) {
        let (files, mut diags) = theme::gather(&self.opts.root, &self.config);
        self.tera = match theme::compile(&files) {
            Ok(t) => Some(t),
            Err(d) => {
                diags.extend(d);
                None
            }
        };
        self.theme = files;
        self.theme_diags = diags;
    }

    /// Build everything into `staging`, page by page (a one-off build: pages are not kept in
    /// memory). The caller commits the staging folder when the build has no errors.
    pub fn build_into(&mut self, staging: &Staging) -> BuildReport {
        self.assemble(None, Some(staging))
    }

    /// Build everything, in memory.
    pub fn build(&mut self) -> BuildReport {
        self.assemble(None, None)
    }

    /// Take in changed paths (absolute or relative to the root) and rebuild what they affect:
    /// site.yaml → everything; a content file → that file re-parsed and the pages that
    /// depend on it; templates → every page re-rendered without re-parsing; static → copied.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<BuildReport, LoadError> {
        let root = self.opts.root.clone();
        let mut keys = BTreeSet::new();
        let mut full = false;
        let mut theme = false;
        for path in changed {
            let abs = if path.is_absolute() {
                path.clone()
            } else {
                root.join(path)
            };
            let rel = relative(&root, &abs);
            let first = rel.split('/').next().unwrap_or("");
            match first {
                _ if rel == CONFIG_FILE => full = true,
                "content" => {
                    if abs.is_dir()
                        || !abs.exists() && !self.entries.contains_key(&rel) && !rel.contains('.')
                    {
                        // A folder appeared or went away: list the content again.
                        full = true;
                        continue;
                    }
                    for key in self.reparse(&rel, &abs) {
                        keys.insert(key);
                    }
                }
                "templates" | "static" | "themes" => theme = true,
                _ => {}
            }
        }
        if full {
            self.read_all()?;
            return Ok(self.assemble(None, None));
        }
        if theme {
            self.reload_theme();
            return Ok(self.assemble(None, None));
        }
        Ok(self.assemble(Some(&keys), None))
    }

    /// Re-read one content file; the content keys (`roadmap/<id>`) it had and has.
    fn reparse(&mut self, rel: &str, abs: &Path) -> Vec<String> {
        let mut keys = Vec::new();
        if let Some((kind, Some(entry), _)) = self.entries.get(rel) {
            keys.push(entry_key(*kind, entry));
        }
        let kind = rel
            .split('/')
            .nth(1)
            .and_then(|f| Kind::ALL.into_iter().find(|k| k.folder() == f));
        let name = rel.rsplit('/').next().unwrap_or("");
        let listed = kind.is_some_and(|k| k.accepts_path(rel)) && !load::is_ignored_name(name);
        match kind {
            Some(kind) if listed && abs.is_file() => {
                let (entry, diags) = read_entry(kind, rel, abs, &self.config);
                if let Some(e) = &entry {
                    keys.push(entry_key(kind, e));
                }
                self.entries.insert(rel.to_string(), (kind, entry, diags));
            }
            _ => {
                self.entries.remove(rel);
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

    fn assemble(
        &mut self,
        changed_keys: Option<&BTreeSet<String>>,
        staging: Option<&Staging>,
    ) -> BuildReport {
        let started = Instant::now();
        let mut last = started;
        let mut phase = |report: &mut BuildReport, name: &'static str| {
            report
                .phases
                .push((name, last.elapsed().as_secs_f64() * 1000.0));
            last = Instant::now();
        };
        let mut diags = self.all_diagnostics();
        let mut report = BuildReport::default();
        let done = |site: &mut Site, mut diags: Vec<Diagnostic>, mut report: BuildReport| {
            attach_sources(&site.opts.root, &mut diags);
            diagnostics::sort(&mut diags);
            report.warnings = diags.iter().filter(|d| !d.is_error()).count();
            report.millis = started.elapsed().as_millis();
            site.diagnostics = diags;
            report
        };
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
        diags.extend(load::dedupe_ids(&mut content));
        // Cross-file checks run even when some files have errors: one pass reports all.
        phase(&mut report, "content");
        let model = Model::build(content, self.opts.drafts);
        if let Err(errors) = &model {
            diags.extend(errors.iter().cloned());
        }
        let (Ok(model), false) = (model, diags.iter().any(|d| d.is_error())) else {
            return done(self, diags, report);
        };
        let base_url = self.base_url();
        let Some(tera) = self.tera.as_mut() else {
            return done(self, diags, report);
        };
        let as_of = self.opts.as_of.or(self.config.as_of).unwrap_or_else(|| {
            jiff::Zoned::now()
                .with_time_zone(self.config.tz.clone())
                .date()
        });
        phase(&mut report, "model");
        let computed = metrics::compute(&model, as_of);
        let metrics_json = metrics::to_json(&computed);
        let metrics_value = serde_json::to_value(&computed).unwrap_or(serde_json::Value::Null);
        phase(&mut report, "metrics");
        let data = SiteData::new(&model, &metrics_value, &base_url);
        let used = render::used_globals(tera);
        *tera.global_context() = render::global_context(&data, &used);
        phase(&mut report, "context");
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
        let specs = pages::all(&model, &custom);
        let old_files: BTreeSet<&str> = self.specs.iter().map(|s| s.file.as_str()).collect();
        let to_render: Vec<&PageSpec> = specs
            .iter()
            .filter(|s| match (changed_keys, &s.deps) {
                (None, _) | (_, Deps::All) => true,
                (Some(keys), Deps::Keys(deps)) => {
                    !old_files.contains(s.file.as_str()) || deps.iter().any(|d| keys.contains(d))
                }
            })
            .collect();
        // Pages go straight to disk when building into a staging folder, else into memory.
        let in_memory: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
        let sink = |file: &str, html: String| -> Result<(), Diagnostic> {
            match staging {
                Some(st) => st.write(file, html.as_bytes()).map_err(|e| {
                    Diagnostic::error(file, diagnostics::Pos::file_start(), e.to_string())
                }),
                None => {
                    if let Ok(mut pages) = in_memory.lock() {
                        pages.push((file.to_string(), html));
                    }
                    Ok(())
                }
            }
        };
        let (rendered, errors) = render::render_pages(tera, &to_render, &data, &self.theme, &sink);
        if !errors.is_empty() {
            diags.extend(errors);
            return done(self, diags, report);
        }
        phase(&mut report, "render");
        report.rendered = rendered.len();
        report.pages = specs.len();

        let mut files = SiteFiles::default();
        let mut page_links: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut charts: BTreeMap<String, usize> = BTreeMap::new();
        for r in rendered {
            charts.insert(r.file.clone(), r.charts);
            page_links.insert(r.file, r.links);
        }
        for spec in &specs {
            if page_links.contains_key(&spec.file) {
                continue;
            }
            // Kept from the previous build: its bytes, links and chart count.
            if let Some(bytes) = self.output.get(&spec.file) {
                files.insert(spec.file.clone(), bytes.to_vec());
            }
            page_links.insert(
                spec.file.clone(),
                self.page_links.get(&spec.file).cloned().unwrap_or_default(),
            );
            charts.insert(
                spec.file.clone(),
                self.page_charts.get(&spec.file).copied().unwrap_or(0),
            );
        }
        for (file, html) in in_memory.into_inner().unwrap_or_default() {
            files.insert(file, html.into_bytes());
        }
        report.charts = charts.values().sum();
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

        let sources: BTreeMap<String, String> = specs
            .iter()
            .map(|s| {
                (
                    s.file.clone(),
                    s.source.clone().unwrap_or_else(|| {
                        self.theme
                            .templates
                            .get(&s.template)
                            .map_or_else(|| s.template.clone(), |t| t.origin.clone())
                    }),
                )
            })
            .collect();
        phase(&mut report, "files");
        let page_files: BTreeSet<&str> = specs.iter().map(|s| s.file.as_str()).collect();
        let exists = |p: &str| page_files.contains(p) || files.files.contains_key(p);
        let broken = links::check(&page_links, &exists, &data.base_path, &sources);
        if !broken.is_empty() {
            diags.extend(broken);
            return done(self, diags, report);
        }
        phase(&mut report, "links");
        if let Some(st) = staging {
            for (path, bytes) in &files.files {
                if let Err(e) = st.write(path, bytes) {
                    diags.push(Diagnostic::error(
                        path,
                        diagnostics::Pos::file_start(),
                        e.to_string(),
                    ));
                    return done(self, diags, report);
                }
            }
        }
        let mut changed: BTreeSet<String> = BTreeSet::new();
        for (path, bytes) in &files.files {
            if self.output.get(path) != Some(bytes.as_slice()) {
                changed.insert(path.clone());
            }
        }
        for path in self.output.files.keys() {
            if !files.files.contains_key(path) {
                changed.insert(path.clone());
            }
        }
        report.changed = changed.into_iter().collect();
        self.output = files;
        self.specs = specs;
        self.page_links = page_links;
        self.page_charts = charts;
        done(self, diags, report)
    }
}

fn read_entry(
    kind: Kind,
    rel: &str,
    path: &Path,
    config: &SiteConfig,
) -> (Option<Entry>, Vec<Diagnostic>) {
    match std::fs::read(path) {
        Ok(bytes) => load::parse_file(kind, rel, &bytes, config),
        Err(e) => (
            None,
            vec![Diagnostic::error(
                rel,
                diagnostics::Pos::file_start(),
                format!("cannot read the file: {e}"),
            )],
        ),
    }
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
