//! `build --watch`: build into the output folder, then rebuild and rewrite it on every
//! change; errors are printed and the previous output kept.

use std::sync::mpsc::{self, Sender};

use crate::cli::Format;
use crate::output;
use crate::paths::OutputDir;
use crate::serve::watch::{self, WatchEvent, Watcher};
use crate::site::{BuildReport, Site};

use super::Exit;

pub fn build_watch(mut site: Site, out: OutputDir) -> Exit {
    let (tx, rx) = mpsc::channel();
    // Watch before the first build, so that nothing saved during it is missed.
    let refs = site.ref_folders();
    let ignored = [out.path().to_path_buf()];
    let _watcher = match Watcher::start(site.root(), &ignored, &refs, tx.clone()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    stop_on_ctrl_c(tx);
    // Built in memory (not straight to disk like `build`), so that rebuilds start from it.
    let report = site.build();
    if let Some(warning) = super::build::base_url_warning(&site.base_url()) {
        eprintln!("{warning}\n");
    }
    write(&site, &report, &out);
    eprintln!("watching for changes; press Ctrl+C to stop");
    while let Some(batch) = watch::next_batch(&rx) {
        for f in &batch.failures {
            eprintln!("warning: watching the site: {f}; reading everything again");
        }
        match site.rebuild(&batch.paths) {
            Ok(report) => write(&site, &report, &out),
            Err(e) => eprintln!("error: {e}"),
        }
    }
    Exit::Ok
}

/// Print the build's diagnostics; replace the output folder when the build is good and
/// something changed, then print the summary line.
fn write(site: &Site, report: &BuildReport, out: &OutputDir) {
    super::check::print(site.diagnostics(), Format::Human);
    if site.has_errors() {
        let errors = site.diagnostics().iter().filter(|d| d.is_error()).count();
        eprintln!(
            "build failed: {errors} error{}; the previous output is unchanged",
            if errors == 1 { "" } else { "s" }
        );
        return;
    }
    if !report.changed.is_empty() || !output::is_written(out) {
        match output::write(site.output(), out) {
            Ok(notes) => notes.iter().for_each(|n| eprintln!("{n}\n")),
            Err(e) => {
                eprintln!("error: {e}");
                return;
            }
        }
    }
    eprintln!("{}", super::build::summary(report, out));
    super::build::print_phases(report);
}

/// Ctrl+C ends the watch between builds, so an output folder is never left half-swapped.
fn stop_on_ctrl_c(tx: Sender<WatchEvent>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build();
    let Ok(runtime) = runtime else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("ctrl-c".into())
        .spawn(move || {
            if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
                let _ = tx.send(WatchEvent::Stop);
            }
        });
}
