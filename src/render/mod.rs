//! Turning the model and metrics into pages: the template context, the page list, parallel
//! rendering with tera, and the internal link check.

pub mod feeds;
pub mod filters;
pub mod links;
pub mod markdown;
pub mod names;
pub mod pages;
pub mod theme;
pub mod value;
pub mod views;

use rayon::prelude::*;
use serde_json::Value;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::model::Model;
use crate::val;
use pages::PageSpec;
use value::ser;

/// Everything the views need, computed once per build.
pub struct SiteData<'a> {
    pub model: &'a Model,
    /// metrics.json as a value (what templates see as `metrics`).
    pub metrics: &'a Value,
    /// `/` or `/report/`.
    pub base_path: String,
    /// The configured base URL (absolute when the site has one).
    pub base_url: String,
    pub services: std::collections::BTreeMap<String, String>,
    pub teams: std::collections::BTreeMap<String, String>,
    /// Risk subject (`roadmap/<id>`, …) → indices into `metrics.risks`.
    pub risks_by_subject: std::collections::HashMap<String, Vec<usize>>,
    /// Fragments many pages show, each built once.
    pub shared: views::Shared,
    /// The forecasts with what metrics.json leaves out (each item's distribution of ship
    /// dates, for its chart); `None` when the pages are built from metrics.json alone.
    pub forecast: Option<&'a crate::metrics::Forecast>,
    /// When these pages are a snapshot under `/archive/<quarter>/`: the quarter and the
    /// address of the live report (the templates see it as `site.snapshot`).
    pub snapshot: Option<(String, String)>,
    /// The address of `/archive/` when the report has quarterly snapshots.
    pub archive_url: Option<String>,
}

impl<'a> SiteData<'a> {
    pub fn new(model: &'a Model, metrics: &'a Value, base_url: &str) -> SiteData<'a> {
        let mut risks_by_subject: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        if let Some(risks) = metrics.get("risks").and_then(Value::as_array) {
            for (i, r) in risks.iter().enumerate() {
                if let Some(subject) = r.get("subject").and_then(Value::as_str) {
                    risks_by_subject
                        .entry(subject.to_string())
                        .or_default()
                        .push(i);
                }
            }
        }
        SiteData {
            model,
            metrics,
            base_path: crate::config::base_path_of(base_url),
            base_url: base_url.to_string(),
            services: pages::services(model),
            teams: pages::teams(model),
            risks_by_subject,
            shared: views::Shared::new(model, metrics),
            forecast: None,
            snapshot: None,
            archive_url: None,
        }
    }

    /// The same data with the computed forecasts, for the charts of possible ship dates.
    pub fn with_forecast(self, forecast: &'a crate::metrics::Forecast) -> SiteData<'a> {
        SiteData {
            forecast: Some(forecast),
            ..self
        }
    }
}

impl SiteData<'_> {
    /// A site-relative URL path (`roadmap/x/`) under the base path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    pub fn markdown(&self, text: &str) -> String {
        markdown::render(text, self.model.config.allow_html, &self.base_path)
    }
}

/// The context every template gets: `site`, `config`, `metrics`, `content`.
/// The top-level names any template uses. `metrics` and `content` hold the whole site and
/// cost time and memory to hand to the template engine, so they are given only when used.
pub fn used_globals(tera: &Tera) -> std::collections::BTreeSet<String> {
    tera.get_template_names()
        .filter_map(|name| tera.get_template_variables(name).ok())
        .flat_map(|vars| vars.into_iter().map(str::to_string))
        .collect()
}

pub fn global_context(data: &SiteData, used: &std::collections::BTreeSet<String>) -> Context {
    let mut ctx = Context::new();
    let config = &data.model.config;
    ctx.insert_value(
        "site",
        val!({
            "title": config.title,
            "description": config.description,
            "base_url": data.base_url,
            "base_path": data.base_path,
            "links": ser(&config.links),
            "as_of": data.metrics.get("as_of"),
            "nav": views::nav(data),
            "pages": views::free_pages(data),
            "timezone": config.timezone,
            "snapshot": data.snapshot.as_ref().map(|(quarter, live)| val!({"quarter": quarter, "live_url": live})),
            "archive_url": data.archive_url,
        }),
    );
    ctx.insert_value("config", ser(config));
    if used.contains("metrics") {
        ctx.insert("metrics", data.metrics);
    }
    if used.contains("content") {
        ctx.insert_value("content", views::content(data));
    }
    ctx
}

/// What is kept of a rendered page once its HTML went to the sink.
pub struct Rendered {
    pub file: String,
    /// Internal link targets (under the base path), for the link check.
    pub links: Vec<String>,
    pub charts: usize,
}

/// Render `specs` in parallel, handing each page's HTML to `sink` as soon as it is made.
/// Pages not yet started once `stop` says so are skipped (and missing from the result).
pub fn render_pages(
    tera: &Tera,
    specs: &[&PageSpec],
    data: &SiteData,
    theme: &theme::ThemeFiles,
    sink: &(dyn Fn(&str, String) -> Result<(), Diagnostic> + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> (Vec<Rendered>, Vec<Diagnostic>) {
    // An error names the page when the template failed on it (None: the sink failed).
    let results: Vec<Result<Rendered, (Option<&PageSpec>, Diagnostic)>> = specs
        .par_iter()
        .filter(|_| !stop())
        .map(|spec| {
            let mut ctx = Context::new();
            ctx.insert_value("page", views::page(spec, data));
            let html = tera
                .render(&spec.template, &ctx)
                .map_err(|e| (Some(*spec), theme::template_error(&e, theme)))?;
            let links = links::internal_links(&html, &data.base_path)
                .into_iter()
                .map(str::to_string)
                .collect();
            // A chart drawn twice (desktop and phone) counts once.
            let charts = html
                .matches("<svg")
                .count()
                .saturating_sub(html.matches("class=\"chart-narrow\"").count());
            sink(&spec.file, html).map_err(|d| (None, d))?;
            Ok(Rendered {
                file: spec.file.clone(),
                links,
                charts,
            })
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut template_errors = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err((Some(spec), d)) => template_errors.push((spec, d)),
            Err((None, d)) => errors.push(d),
        }
    }
    errors.extend(once_per_place(template_errors));
    (pages, errors)
}

/// One diagnostic per place in a template, however many pages fail there: a mistake in
/// `item.html` would otherwise be reported once per roadmap item.
fn once_per_place(errors: Vec<(&PageSpec, Diagnostic)>) -> Vec<Diagnostic> {
    let mut places: Vec<(Diagnostic, &PageSpec, usize)> = Vec::new();
    for (spec, d) in errors {
        match places
            .iter_mut()
            .find(|(p, _, _)| p.file == d.file && p.pos == d.pos)
        {
            Some((_, _, n)) => *n += 1,
            None => places.push((d, spec, 1)),
        }
    }
    places
        .into_iter()
        .map(|(mut d, spec, n)| {
            d.message = match n {
                1 => format!("cannot render {} with {}", spec.url, spec.template),
                n => format!(
                    "cannot render {} and {} more pages with {}",
                    spec.url,
                    n - 1,
                    spec.template
                ),
            };
            d
        })
        .collect()
}
