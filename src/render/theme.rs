//! The theme: templates and static files, layered — the built-in default theme, then the
//! site's `themes/<name>/`, then the site's own `templates/` and `static/` — file by file.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;

use crate::config::SiteConfig;
use crate::content::load::{is_ignored_name, relative};
use crate::diagnostics::{Diagnostic, Pos};
use crate::paths::{self, Visited};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/themes.rs"));
}

/// A template's text and where it came from (for error messages).
#[derive(Clone, Debug)]
pub struct Source {
    pub text: String,
    pub origin: String,
}

#[derive(Clone, Debug, Default)]
pub struct ThemeFiles {
    /// Template name (path under `templates/`) → source.
    pub templates: BTreeMap<String, Source>,
    /// Path under `static/` → bytes, copied to the output root.
    pub statics: BTreeMap<String, Vec<u8>>,
}

pub fn builtin_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = embedded::FILES.iter().map(|(t, _, _)| *t).collect();
    names.dedup();
    names
}

fn add_builtin(files: &mut ThemeFiles, theme: &str) {
    for (t, path, bytes) in embedded::FILES {
        if *t != theme {
            continue;
        }
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).to_string();
            files.templates.insert(
                name.to_string(),
                Source {
                    text,
                    origin: format!("(built-in theme {t})/templates/{name}"),
                },
            );
        } else if let Some(name) = path.strip_prefix("static/") {
            files.statics.insert(name.to_string(), bytes.to_vec());
        }
    }
}

/// The templates and static files of one layer folder (the site, or `themes/<name>/`),
/// read through the path checks: a link out of the site or an unreadable file is an error on
/// it, a special file a warning, and none of them is read.
fn add_folder(
    files: &mut ThemeFiles,
    root: &Path,
    dir: &Path,
    limit: u64,
    diags: &mut Vec<Diagnostic>,
) {
    let skip = |name: &str| is_ignored_name(name) && name != ".nojekyll";
    for (folder, is_template) in [("templates", true), ("static", false)] {
        let base = dir.join(folder);
        let walk = paths::walk(root, &base, &skip, &mut Visited::default());
        diags.extend(walk.diags);
        for found in walk.files {
            let name = relative(&base, &found.path);
            let origin = relative(root, &found.path);
            let bytes = match found.read(limit) {
                Ok(bytes) => bytes,
                Err(refused) => {
                    diags.push(refused.diagnostic(&origin));
                    continue;
                }
            };
            if !is_template {
                files.statics.insert(name, bytes);
                continue;
            }
            match String::from_utf8(bytes) {
                Ok(text) => {
                    files.templates.insert(name, Source { text, origin });
                }
                Err(_) => diags.push(Diagnostic::error(
                    &origin,
                    Pos::file_start(),
                    "cannot read the template: it is not valid UTF-8",
                )),
            }
        }
    }
}

/// Gather the theme's files in layer order.
pub fn gather(root: &Path, config: &SiteConfig) -> (ThemeFiles, Vec<Diagnostic>) {
    let mut files = ThemeFiles::default();
    let mut diags = Vec::new();
    add_builtin(&mut files, "default");
    let local = root.join("themes").join(&config.theme);
    if config.theme != "default" {
        if local.is_dir() {
            // A local theme falls back to the built-in default for what it does not have.
        } else if builtin_names().contains(&config.theme.as_str()) {
            add_builtin(&mut files, &config.theme);
        } else {
            diags.push(
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    config.theme_pos,
                    format!("unknown theme `{}`", config.theme),
                )
                .with_label("no such folder under themes/ and no built-in theme of that name")
                .with_help(format!(
                    "put it in themes/{}/ or use one of the built-in themes: {}",
                    config.theme,
                    builtin_names().join(", ")
                )),
            );
        }
    }
    if local.is_dir() {
        add_folder(&mut files, root, &local, config.max_file_size, &mut diags);
    }
    add_folder(&mut files, root, root, config.max_file_size, &mut diags);
    (files, diags)
}

/// Compile the templates. Errors point at the template file and line.
pub fn compile(files: &ThemeFiles) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    super::filters::register(&mut tera);
    let templates: Vec<(&str, &str)> = files
        .templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.text.as_str()))
        .collect();
    match tera.add_raw_templates(templates) {
        Ok(()) => Ok(tera),
        Err(e) => Err(vec![template_error(&e, files)]),
    }
}

/// A tera error as a diagnostic on the template file it comes from.
pub fn template_error(e: &tera::Error, files: &ThemeFiles) -> Diagnostic {
    let (name, pos, message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            (
                r.filename().to_string(),
                Pos::new(span.start_line as u32, span.start_col as u32 + 1, 1),
                r.message().to_string(),
            )
        }
        _ => (String::new(), Pos::file_start(), e.to_string()),
    };
    let source = files.templates.get(&name);
    let file = source.map_or_else(
        || {
            if name.is_empty() {
                "templates".to_string()
            } else {
                format!("templates/{name}")
            }
        },
        |s| s.origin.clone(),
    );
    let mut chain = message;
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        chain.push_str(": ");
        chain.push_str(&c.to_string());
        cause = c.source();
    }
    let d = Diagnostic::error(&file, pos, "template error").with_label(chain);
    match source {
        Some(s) if pos.line > 0 => d.with_source(&s.text),
        _ => d,
    }
}
