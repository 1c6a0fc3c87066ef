//! `throughline build`: load, check, compute, render, write — or leave the previous output
//! untouched when anything fails.

use std::path::Path;

use crate::cli::{BuildArgs, Format};
use crate::config;
use crate::content::dates::parse_date;
use crate::output;
use crate::paths::{self, OutputDir, OutputFrom};
use crate::site::{BuildOptions, Site};

use super::Exit;

/// Turn the shared flags into build options, or a usage error.
pub fn options(
    root: &Path,
    base_url: Option<&str>,
    as_of: Option<&str>,
    drafts: bool,
) -> Result<BuildOptions, String> {
    let base_url = match base_url {
        Some(u) => {
            Some(config::normalize_base_url(u).map_err(|e| format!("invalid --base-url: {e}"))?)
        }
        None => None,
    };
    let as_of = match as_of {
        Some(d) => Some(parse_date(d).map_err(|e| format!("invalid --as-of: {e}"))?),
        None => None,
    };
    if !root.is_dir() {
        return Err(format!("the site folder {} does not exist", root.display()));
    }
    Ok(BuildOptions {
        root: root.to_path_buf(),
        base_url,
        as_of,
        drafts,
        since: None,
    })
}

/// The output folder, resolved and checked: `--output-dir` when given (relative to the
/// working folder), else site.yaml's `output_dir` (relative to the site folder).
pub fn output_dir(site: &Site, flag: Option<&Path>) -> Result<OutputDir, String> {
    match flag {
        Some(p) => paths::output_dir(site.root(), p, OutputFrom::CommandLine),
        None => paths::output_dir(
            site.root(),
            Path::new(&site.config().output_dir),
            OutputFrom::SiteYaml,
        ),
    }
}

pub fn run(args: &BuildArgs) -> Exit {
    let opts = match options(
        &args.root,
        args.base_url.as_deref(),
        args.as_of.as_deref(),
        args.drafts,
    ) {
        Ok(o) => BuildOptions {
            since: args.since.clone(),
            ..o
        },
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    let mut site = match Site::open(opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    let out = if args.metrics_only {
        None
    } else {
        match output_dir(&site, args.output_dir.as_deref()) {
            Ok(out) => Some(out),
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Usage;
            }
        }
    };
    if args.watch {
        let Some(out) = out else {
            eprintln!("error: --watch writes the site; it cannot be used with --metrics-only");
            return Exit::Usage;
        };
        return super::watch::build_watch(site, out);
    }
    let exit = build_once(&mut site, out.as_ref());
    // The process ends here: the operating system reclaims the loaded site at once, which
    // is faster than freeing its many small allocations one by one.
    std::mem::forget(site);
    exit
}

/// One build into `out` (metrics.json to stdout when there is none); prints diagnostics and
/// the summary line.
pub fn build_once(site: &mut Site, out: Option<&OutputDir>) -> Exit {
    let staging = match out.map(output::Staging::new).transpose() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    let mut report = match &staging {
        Some(st) => site.build_into(st),
        None => site.build(),
    };
    super::check::print(site.diagnostics(), Format::Human);
    if site.has_errors() {
        let errors = site.diagnostics().iter().filter(|d| d.is_error()).count();
        eprintln!(
            "build failed: {errors} error{}; the previous output is unchanged",
            if errors == 1 { "" } else { "s" }
        );
        return Exit::Content;
    }
    let (Some(staging), Some(out)) = (staging, out) else {
        let json = site.output().get("metrics.json").unwrap_or_default();
        print!("{}", String::from_utf8_lossy(json));
        return Exit::Ok;
    };
    let committing = std::time::Instant::now();
    match staging.commit() {
        Ok(notes) => {
            for note in &notes {
                eprintln!("{note}\n");
            }
            report.warnings += notes.len();
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    }
    report.phases.insert(0, ("read", site.read_millis()));
    report
        .phases
        .push(("commit", committing.elapsed().as_secs_f64() * 1000.0));
    if let Some(warning) = base_url_warning(&site.base_url()) {
        eprintln!("{warning}\n");
        report.warnings += 1;
    }
    eprintln!("{}", summary(&report, out));
    print_phases(&report);
    Exit::Ok
}

/// Milliseconds per build phase, when `THROUGHLINE_TIMINGS` is set.
pub fn print_phases(report: &crate::site::BuildReport) {
    if std::env::var_os("THROUGHLINE_TIMINGS").is_some() {
        let phases: Vec<String> = report
            .phases
            .iter()
            .map(|(n, ms)| format!("{n} {ms:.0} ms"))
            .collect();
        eprintln!("phases: {}", phases.join(", "));
    }
}

/// atom.xml, sitemap.xml and robots.txt need the site's full address; with only a path they
/// get root-relative URLs, which feed readers and search engines may not accept.
pub fn base_url_warning(base_url: &str) -> Option<String> {
    (!config::has_host(base_url)).then(|| {
        format!(
            "warning: base_url is only a path (`{base_url}`), so atom.xml, sitemap.xml and robots.txt have root-relative URLs, which feed readers and search engines may not accept\n  = help: set `base_url` in site.yaml to the full address, like https://acme.github.io/report/, or pass --base-url"
        )
    })
}

pub fn summary(r: &crate::site::BuildReport, out: &OutputDir) -> String {
    summary_to(r, out.shown())
}

/// The summary line, naming where the site went.
pub fn summary_to(r: &crate::site::BuildReport, destination: &str) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let history = r
        .history
        .as_ref()
        .map(|h| format!("; {}", h.line()))
        .unwrap_or_default();
    format!(
        "built {}, {}, {} in {:.2} s → {}{history}",
        plural(r.pages, "page"),
        plural(r.charts, "chart"),
        plural(r.warnings, "warning"),
        r.millis as f64 / 1000.0,
        destination
    )
}
