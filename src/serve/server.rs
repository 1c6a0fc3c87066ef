//! HTTP: the last good build from memory, the live-reload script and event stream, the
//! error overlay injected into pages while the site has errors.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::events::Hub;
use super::hosts::{AllowedHosts, Verdict};
use super::resolve::{self, Target};

/// Where the live-reload endpoints live: at the server root, whatever the base path.
pub const EVENTS_PATH: &str = "/__throughline/events";
pub const SCRIPT_PATH: &str = "/__throughline/live.js";
/// The events after a number, for a page that missed them: `?after=N`.
pub const MISSED_PATH: &str = "/__throughline/missed";

const LIVE_JS: &str = include_str!("live.js");

/// What is being served: the last good build and, while the site has errors, the overlay.
#[derive(Default)]
pub struct Snapshot {
    pub files: HashMap<String, Bytes>,
    /// `/` or `/repo/`.
    pub base_path: String,
    pub overlay: Option<String>,
}

pub struct ServerState {
    pub snapshot: RwLock<Snapshot>,
    pub hub: Hub,
    pub hosts: AllowedHosts,
}

impl ServerState {
    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> std::sync::RwLockWriteGuard<'_, Snapshot> {
        self.snapshot.write().unwrap_or_else(|e| e.into_inner())
    }
}

pub fn router(state: Arc<ServerState>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(live_js))
        .route(MISSED_PATH, get(missed))
        .fallback(site)
        .layer(middleware::from_fn_with_state(state.clone(), host_check))
        .with_state(state)
}

/// Only requests addressed to this server by name are answered: see `hosts`.
async fn host_check(
    State(state): State<Arc<ServerState>>,
    request: Request,
    next: Next,
) -> Response {
    let hosts = request
        .headers()
        .get_all(header::HOST)
        .iter()
        .map(HeaderValue::as_bytes);
    match state
        .hosts
        .check(hosts, request.uri().authority().map(|a| a.as_str()))
    {
        Verdict::Allowed => next.run(request).await,
        Verdict::Malformed => respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            Body::from("bad request: expected one Host header naming this server\n"),
        ),
        Verdict::Refused(name) => respond(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            Body::from(format!(
                "forbidden: this preview answers only to localhost and its own address, not to \
                 the host `{name}`; to allow it, restart with `throughline serve --allow-host {name}`\n"
            )),
        ),
    }
}

async fn events(State(state): State<Arc<ServerState>>) -> impl IntoResponse {
    Sse::new(state.hub.subscribe()).keep_alive(KeepAlive::default())
}

/// `[{id, name, data}]`, oldest first, or `null` when they are no longer all kept.
async fn missed(State(state): State<Arc<ServerState>>, uri: Uri) -> Response {
    let after = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("after="))
        .and_then(|n| n.parse::<u64>().ok());
    let Some(after) = after else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            Body::from("bad request: expected ?after=N\n"),
        );
    };
    let json = serde_json::to_string(&state.hub.missed(after)).unwrap_or_else(|_| "null".into());
    respond(StatusCode::OK, "application/json", Body::from(json))
}

async fn live_js() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        Body::from(LIVE_JS),
    )
}

async fn site(State(state): State<Arc<ServerState>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            Body::from("method not allowed\n"),
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    // The number of the latest event, read before the snapshot, so that a page is never
    // marked newer than it is (at worst it is handed an event it already shows).
    let live = Live {
        server: state.hub.server_id(),
        event: state.hub.last_id(),
    };
    let snapshot = state.read();
    let target = resolve::resolve(uri.path(), uri.query(), &snapshot.base_path, |f| {
        snapshot.files.contains_key(f)
    });
    match target {
        Target::File(file) => match snapshot.files.get(&file) {
            Some(bytes) => page(&snapshot, &live, StatusCode::OK, &file, bytes.clone()),
            None => not_found(&snapshot, &live),
        },
        Target::Redirect(location) => {
            let mut r = respond(
                StatusCode::FOUND,
                "text/plain; charset=utf-8",
                Body::empty(),
            );
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Target::NotFound => not_found(&snapshot, &live),
        Target::BadRequest => respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            Body::from("bad request: not a path inside the site\n"),
        ),
    }
}

/// The site's own 404 page, or a stand-in while no build has succeeded yet.
fn not_found(snapshot: &Snapshot, live: &Live) -> Response {
    match snapshot.files.get("404.html") {
        Some(bytes) => page(
            snapshot,
            live,
            StatusCode::NOT_FOUND,
            "404.html",
            bytes.clone(),
        ),
        None => page(
            snapshot,
            live,
            StatusCode::NOT_FOUND,
            "404.html",
            Bytes::from_static(
                b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
                  <body><h1>Not found</h1><p>There is no page here (yet).</p></body></html>",
            ),
        ),
    }
}

/// What a page's script is told about the server it came from: the server run and the
/// number of the latest event, so that it can tell a change it missed before its event
/// stream was open (a save while the page was loading, a restart).
struct Live<'a> {
    server: &'a str,
    event: u64,
}

/// A file as served: HTML gets the live-reload script (and the overlay while the site has
/// errors); everything else goes out as built.
fn page(
    snapshot: &Snapshot,
    live: &Live,
    status: StatusCode,
    file: &str,
    bytes: Bytes,
) -> Response {
    let content_type = resolve::content_type(file);
    if !content_type.starts_with("text/html") {
        return respond(status, content_type, Body::from(bytes));
    }
    let mut extra = snapshot.overlay.clone().unwrap_or_default();
    extra.push_str(&script_tag(
        &resolve::file_url(file, &snapshot.base_path),
        live,
    ));
    respond(status, content_type, Body::from(inject(&bytes, &extra)))
}

fn script_tag(url: &str, live: &Live) -> String {
    use super::overlay::escape;
    format!(
        "<script src=\"{SCRIPT_PATH}\" data-url=\"{}\" data-server=\"{}\" data-event=\"{}\"></script>",
        escape(url),
        escape(live.server),
        live.event
    )
}

/// `extra` inserted before the last `</body>` (any case), or at the end without one.
pub fn inject(html: &[u8], extra: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn respond(status: StatusCode, content_type: &'static str, body: Body) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_closing_body_tag() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        assert_eq!(
            String::from_utf8(inject(html, "<script></script>")).unwrap(),
            "<html><body><p>&lt;/body&gt;</p><script></script></BODY></html>"
        );
        assert_eq!(
            String::from_utf8(inject(b"<p>no body", "<s>")).unwrap(),
            "<p>no body<s>"
        );
    }
}
