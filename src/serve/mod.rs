//! `serve` and `build --watch`: watch the site, rebuild what changed, serve the last good
//! build from memory and reload open browsers.
//!
//! Threads: the file watcher sends batches of changed paths to one rebuild thread, which
//! owns the `Site`; after each rebuild it updates the served snapshot and tells the open
//! pages (server-sent events). The HTTP server only reads the snapshot.

pub mod connections;
pub mod events;
pub mod hosts;
pub mod overlay;
pub mod resolve;
pub mod server;
pub mod watch;

use std::net::SocketAddr;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use connections::Limits;

use crate::content::LoadError;
use crate::diagnostics::{Diagnostic, Pos};
use crate::site::{BuildOptions, BuildReport, Site};
use events::{Hub, LiveEvent};
use server::{ServerState, Snapshot};
use watch::{Wait, WatchEvent, Watcher};

pub struct Options {
    pub build: BuildOptions,
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// Print diagnostics and a line per rebuild to stderr.
    pub log: bool,
    /// Host names answered besides the loopback names and the bound address
    /// (`--allow-host`); `.example.test` stands for it and every name under it.
    pub allow_hosts: Vec<String>,
    pub limits: Limits,
}

/// A server that is up: serving, watching and rebuilding until `stop`.
pub struct Running {
    /// The address actually bound.
    pub addr: SocketAddr,
    /// The site's address: `http://127.0.0.1:1111/` (with the base path).
    pub url: String,
    state: Arc<ServerState>,
    changes: Sender<WatchEvent>,
    watcher: Watcher,
    builder: std::thread::JoinHandle<()>,
    shutdown: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<()>,
}

/// Bind, read and build the site, start watching and serving. Errors are for people: a
/// port in use, a site that cannot be read, a watcher that cannot start.
pub async fn start(opts: Options) -> Result<Running, String> {
    let hosts = hosts::AllowedHosts::new(opts.addr.ip(), &opts.allow_hosts)?;
    let listener = TcpListener::bind(opts.addr)
        .await
        .map_err(|e| bind_error(opts.addr, &e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", opts.addr))?;
    let (changes, rx) = std::sync::mpsc::channel();
    let log = opts.log;
    let build = opts.build;
    let watch_tx = changes.clone();
    let opened = tokio::task::spawn_blocking(move || -> Result<(Site, Watcher), String> {
        let mut site = Site::open(build).map_err(|e| e.to_string())?;
        let output_dir = site.root().join(&site.config().output_dir);
        // Watch before building, so that nothing saved during the build is missed.
        let refs = site.ref_folders();
        let watcher = Watcher::start(site.root(), &[output_dir], &refs, watch_tx)?;
        let report = site.build();
        if log {
            print_diagnostics(site.diagnostics());
            eprintln!("{}", first_build_line(&site, &report));
        }
        Ok((site, watcher))
    })
    .await
    .map_err(|e| format!("the first build stopped: {e}"))?;
    let (site, watcher) = opened?;

    let base_path = site.base_path();
    let state = Arc::new(ServerState {
        snapshot: RwLock::new(Snapshot {
            files: site
                .output()
                .files
                .iter()
                .map(|(k, v)| (k.clone(), Bytes::from(v.clone())))
                .collect(),
            base_path: base_path.clone(),
            overlay: overlay::html(site.diagnostics()),
        }),
        hub: Hub::new(server_id()),
        hosts,
    });
    let builder = {
        let state = state.clone();
        std::thread::Builder::new()
            .name("rebuild".into())
            .spawn(move || rebuild_loop(site, &rx, &state, log))
            .map_err(|e| format!("cannot start the rebuild thread: {e}"))?
    };
    let (shutdown, stopped) = oneshot::channel::<()>();
    let app = server::router(state.clone());
    let server = tokio::spawn(connections::serve(listener, app, opts.limits, stopped));
    Ok(Running {
        addr,
        url: format!("http://{addr}{base_path}"),
        state,
        changes,
        watcher,
        builder,
        shutdown,
        server,
    })
}

impl Running {
    /// Stop watching, end the event streams and shut the server down.
    pub async fn stop(self) {
        let Running {
            state,
            changes,
            watcher,
            builder,
            shutdown,
            mut server,
            ..
        } = self;
        drop(watcher);
        let _ = changes.send(WatchEvent::Stop);
        let _ = tokio::task::spawn_blocking(move || builder.join()).await;
        state.hub.close();
        let _ = shutdown.send(());
        if tokio::time::timeout(Duration::from_secs(5), &mut server)
            .await
            .is_err()
        {
            server.abort();
        }
    }
}

fn bind_error(addr: SocketAddr, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let why = match e.kind() {
        ErrorKind::AddrInUse => {
            "the port is in use (another server?); choose another --port, or --port 0 for any free one"
                .to_string()
        }
        ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges); choose another --port".to_string()
        }
        ErrorKind::AddrNotAvailable => {
            "this machine has no such address; check --interface".to_string()
        }
        _ => e.to_string(),
    };
    format!("cannot listen on {addr}: {why}")
}

/// Unique per server run: pages that reconnect to a different one reload.
fn server_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}-{nanos:x}", std::process::id())
}

fn first_build_line(site: &Site, report: &BuildReport) -> String {
    if site.has_errors() {
        let errors = site.diagnostics().iter().filter(|d| d.is_error()).count();
        format!(
            "build failed: {}; pages show them until they are fixed",
            plural(errors, "error")
        )
    } else {
        crate::commands::build::summary_to(report, "served from memory")
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn print_diagnostics(diags: &[Diagnostic]) {
    crate::commands::check::print(diags, crate::cli::Format::Human);
}

/// Rebuild on every batch of changes until asked to stop. The pages of the changed files go
/// out first; the pages built from everything follow once no further change is waiting.
fn rebuild_loop(mut site: Site, rx: &Receiver<WatchEvent>, state: &ServerState, log: bool) {
    let mut shown: Vec<Diagnostic> = site.diagnostics().to_vec();
    let mut wait = None;
    loop {
        let (what, result) = match watch::wait_batch(rx, wait) {
            Wait::Stop => break,
            Wait::Quiet => ("home, lists and dashboards".to_string(), Ok(site.finish())),
            Wait::Batch(batch) => {
                if log {
                    for f in &batch.failures {
                        eprintln!("warning: watching the site: {f}; reading everything again");
                    }
                }
                (describe(&batch), site.rebuild_first(&batch.paths))
            }
        };
        publish(state, &site, result, &what, log, &mut shown);
        // A change saved right after this one is taken in before the slow pages.
        wait = site.unfinished().then_some(watch::DEBOUNCE);
    }
}

/// Serve what a build gave and tell the pages; print it when `log`.
fn publish(
    state: &ServerState,
    site: &Site,
    result: Result<BuildReport, LoadError>,
    what: &str,
    log: bool,
    shown: &mut Vec<Diagnostic>,
) {
    match result {
        Err(e) => {
            // The site itself cannot be read (site.yaml gone, a folder unreadable): the
            // message names the path.
            let diags = vec![Diagnostic::error("", Pos::new(0, 0, 0), e.0.clone())];
            publish_errors(state, &diags);
            if log {
                eprintln!("{what}: error: {e}");
            }
            *shown = diags;
        }
        Ok(_) if site.has_errors() => {
            publish_errors(state, site.diagnostics());
            if log {
                print_diagnostics(site.diagnostics());
                let errors = site.diagnostics().iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "{what}: build failed: {}; serving the last good build",
                    plural(errors, "error")
                );
            }
            *shown = site.diagnostics().to_vec();
        }
        Ok(report) => {
            publish_build(state, site, &report);
            if log {
                let new: Vec<Diagnostic> = site
                    .diagnostics()
                    .iter()
                    .filter(|d| !shown.contains(d))
                    .cloned()
                    .collect();
                print_diagnostics(&new);
                eprintln!(
                    "{what}: rendered {} of {}, {} changed, in {} ms",
                    report.rendered,
                    plural(report.pages, "page"),
                    plural(report.changed.len(), "file"),
                    report.millis
                );
                crate::commands::build::print_phases(&report);
            }
            *shown = site.diagnostics().to_vec();
        }
    }
}

/// `content/roadmap/a.md`, or `content/roadmap/a.md and 2 more`, or `git HEAD or tags`.
fn describe(batch: &watch::Batch) -> String {
    let paths = &batch.paths;
    let first = paths
        .first()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "git HEAD or tags".to_string());
    match paths.len() {
        0 | 1 => first,
        n => format!("{first} and {} more", n - 1),
    }
}

fn publish_errors(state: &ServerState, diags: &[Diagnostic]) {
    state.write().overlay = overlay::html(diags);
    state.hub.send(LiveEvent {
        name: "error",
        data: overlay::event_json(diags),
    });
}

/// Serve the new build and tell the pages what changed.
fn publish_build(state: &ServerState, site: &Site, report: &BuildReport) {
    let base_path = site.base_path();
    {
        let mut snapshot = state.write();
        for file in &report.changed {
            match site.output().get(file) {
                Some(bytes) => {
                    snapshot
                        .files
                        .insert(file.clone(), Bytes::copy_from_slice(bytes));
                }
                None => {
                    snapshot.files.remove(file);
                }
            }
        }
        snapshot.base_path = base_path.clone();
        snapshot.overlay = None;
    }
    let urls: Vec<String> = report
        .changed
        .iter()
        .map(|f| resolve::file_url(f, &base_path))
        .collect();
    state.hub.send(LiveEvent {
        name: "reload",
        data: serde_json::to_string(&urls).unwrap_or_else(|_| "[]".into()),
    });
}
