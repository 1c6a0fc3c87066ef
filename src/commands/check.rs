//! `throughline check`: everything `build` does — read, validate, compute, render every
//! page and check its links — except writing: whatever makes `build` fail makes `check` fail,
//! with the same diagnostics.

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::Format;
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::site::{BuildOptions, Site};

use super::Exit;

pub fn run(root: &Path, drafts: bool, strict: bool, format: Format) -> Exit {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        drafts,
        ..BuildOptions::default()
    };
    let mut site = match Site::open(opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    site.check();
    let mut diags = site.diagnostics().to_vec();
    // The process ends soon: the operating system reclaims the loaded site at once.
    std::mem::forget(site);
    if strict {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    print(&diags, format);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if format == Format::Human {
        eprintln!("{}", summary(errors, warnings));
    }
    if errors > 0 { Exit::Content } else { Exit::Ok }
}

pub fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "check: no problems found".to_string(),
        (0, w) => format!("check: {}, no errors", plural(w, "warning")),
        (e, w) => format!("check: {}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// Print diagnostics in the chosen format: human text to stderr, the others to stdout.
pub fn print(diags: &[Diagnostic], format: Format) {
    match format {
        Format::Human => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for d in diags {
                eprintln!("{}\n", d.render_human(color));
            }
        }
        Format::Json => println!("{}", diagnostics::render_json(diags)),
        Format::Github => {
            for d in diags {
                println!("{}", d.render_github());
            }
        }
    }
}
