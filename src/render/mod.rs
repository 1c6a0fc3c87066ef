//! Turning the model and metrics into pages: the template context, the page list, parallel
//! rendering with tera, and the internal link check.

pub mod feeds;
pub mod filters;
pub mod links;
pub mod markdown;
pub mod pages;
pub mod theme;
pub mod views;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::model::Model;
use pages::PageSpec;

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
pub fn global_context(data: &SiteData) -> Context {
    let mut ctx = Context::new();
    let config = &data.model.config;
    ctx.insert(
        "site",
        &json!({
            "title": config.title,
            "description": config.description,
            "base_url": data.base_url,
            "base_path": data.base_path,
            "links": config.links,
            "as_of": data.metrics.get("as_of"),
            "nav": views::nav(data),
            "pages": views::free_pages(data),
            "timezone": config.timezone,
        }),
    );
    ctx.insert("config", config);
    ctx.insert("metrics", data.metrics);
    ctx.insert("content", &views::content(data));
    ctx
}

/// Render `specs` in parallel. Returns (output file, html) per page and any template errors.
pub fn render_pages(
    tera: &Tera,
    specs: &[&PageSpec],
    data: &SiteData,
    theme: &theme::ThemeFiles,
) -> (Vec<(String, String)>, Vec<Diagnostic>) {
    let results: Vec<Result<(String, String), Diagnostic>> = specs
        .par_iter()
        .map(|spec| {
            let mut ctx = Context::new();
            ctx.insert("page", &views::page(spec, data));
            tera.render(&spec.template, &ctx)
                .map(|html| (spec.file.clone(), html))
                .map_err(|e| {
                    let mut d = theme::template_error(&e, theme);
                    d.message = format!("cannot render {} with {}", spec.url, spec.template);
                    d
                })
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(d) => errors.push(d),
        }
    }
    (pages, errors)
}
