//! `serve` and `build --watch` end to end: a copy of a fixture site in a temp dir, the server
//! on an ephemeral loopback port, plain HTTP over TCP, edits saved the way editors do.

use std::fs;
use std::io::{BufRead, BufReader as StdBufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use throughline::serve::{self, Limits, Options, Running};
use throughline::site::BuildOptions;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::timeout;

mod common;
use common::copy_dir;

/// Every wait in these tests ends after this.
const WAIT: Duration = Duration::from_secs(20);

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small"),
        dir.path(),
    );
    dir
}

/// Save the way editors do: write a temp file beside the target, then rename it over.
fn save(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let temp = path.with_file_name(format!(".{name}.tmp"));
    fs::write(&temp, text).unwrap();
    fs::rename(&temp, &path).unwrap();
}

fn replace(root: &Path, rel: &str, from: &str, to: &str) {
    let text = fs::read_to_string(root.join(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    save(root, rel, &text.replace(from, to));
}

async fn start(root: &Path, base_url: Option<&str>) -> Running {
    start_with(root, base_url, &[], Limits::default()).await
}

async fn start_with(
    root: &Path,
    base_url: Option<&str>,
    allow_hosts: &[&str],
    limits: Limits,
) -> Running {
    let opts = Options {
        build: BuildOptions {
            root: root.to_path_buf(),
            base_url: base_url.map(str::to_string),
            ..BuildOptions::default()
        },
        addr: "127.0.0.1:0".parse().unwrap(),
        log: false,
        allow_hosts: allow_hosts.iter().map(|h| h.to_string()).collect(),
        limits,
    };
    timeout(WAIT, serve::start(opts)).await.unwrap().unwrap()
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request with the path sent exactly as given.
async fn get(addr: SocketAddr, path: &str) -> Response {
    exchange(
        addr,
        &format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

/// `GET path` with this `Host` header.
async fn get_as(addr: SocketAddr, host: &str, path: &str) -> Response {
    exchange(
        addr,
        &format!("GET {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

/// Send `request` as it is, read the answer until the server closes the connection.
async fn exchange(addr: SocketAddr, request: &str) -> Response {
    let path = request.split(' ').nth(1).unwrap_or_default();
    timeout(WAIT, async {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        let text = String::from_utf8_lossy(&raw).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_string(),
        }
    })
    .await
    .unwrap_or_else(|_| panic!("GET {path} timed out"))
}

/// The live-reload event stream, read as plain text.
struct Events {
    reader: BufReader<TcpStream>,
    /// The id of the latest event read, as a browser keeps it (`lastEventId`).
    last_id: String,
    /// The data of `hello`: the server run.
    server: String,
}

impl Events {
    async fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let request = format!(
            "GET /__throughline/events HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        timeout(WAIT, async {
            loop {
                let mut line = String::new();
                assert!(reader.read_line(&mut line).await.unwrap() > 0);
                if line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
        })
        .await
        .unwrap();
        assert!(head.starts_with("HTTP/1.0 200"), "{head}");
        assert!(head.contains("text/event-stream"), "{head}");
        let mut events = Events {
            reader,
            last_id: String::new(),
            server: String::new(),
        };
        let (name, data) = events.next().await;
        assert_eq!(name, "hello");
        events.server = data;
        events
    }

    /// The next event: (name, data).
    async fn next(&mut self) -> (String, String) {
        timeout(WAIT, async {
            let (mut name, mut data) = (String::new(), String::new());
            loop {
                let mut line = String::new();
                let n = self.reader.read_line(&mut line).await.unwrap();
                assert!(n > 0, "the event stream ended");
                let line = line.trim_end_matches(['\r', '\n']);
                if line.is_empty() {
                    if !name.is_empty() {
                        return (name, data);
                    }
                    continue;
                }
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("id:") {
                    self.last_id = v.strip_prefix(' ').unwrap_or(v).to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.strip_prefix(' ').unwrap_or(v));
                }
            }
        })
        .await
        .expect("no event within the time limit")
    }

    /// Skip events until one named `name` whose data satisfies `want`; its data.
    async fn until(&mut self, name: &str, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            assert!(Instant::now() < deadline, "no {name} event as wanted");
            let (n, data) = self.next().await;
            if n == name && want(&data) {
                return data;
            }
        }
    }
}

fn urls(data: &str) -> Vec<String> {
    serde_json::from_str(data).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_pages_assets_redirects_and_the_sites_404_page() {
    let dir = fixture();
    let server = start(dir.path(), None).await;
    assert_eq!(server.url, format!("http://{}/", server.addr));

    let home = get(server.addr, "/").await;
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Small report"));
    assert!(
        home.body
            .contains("<script src=\"/__throughline/live.js\" data-url=\"/\" data-server=\""),
        "{}",
        home.body
    );
    assert!(
        home.body.contains("\" data-event=\"0\"></script></body>"),
        "{}",
        home.body
    );

    let item = get(server.addr, "/roadmap/alpha/").await;
    assert_eq!(item.status, 200);
    assert!(item.body.contains("Alpha checkout"));

    let redirect = get(server.addr, "/roadmap/alpha?x=1").await;
    assert_eq!(redirect.status, 302);
    assert_eq!(redirect.header("location"), Some("/roadmap/alpha/?x=1"));

    let css = get(server.addr, "/style.css").await;
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("__throughline"));

    let json = get(server.addr, "/metrics.json").await;
    assert_eq!(json.header("content-type"), Some("application/json"));

    let missing = get(server.addr, "/roadmap/nope/").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "{}", missing.body);
    assert!(missing.body.contains("/__throughline/live.js"));

    let script = get(server.addr, "/__throughline/live.js").await;
    assert_eq!(script.status, 200);
    assert!(script.body.contains("EventSource"));
    // One stream shared by the pages (a browser opens at most six connections to a server),
    // and none held by pages kept in the back/forward cache.
    assert!(script.body.contains("new SharedWorker("));
    assert!(script.body.contains("\"pagehide\""));
    assert!(
        script
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/javascript"))
    );

    // Nothing is injected into the build itself.
    let mut site = throughline::site::Site::open(BuildOptions {
        root: dir.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .unwrap();
    site.build();
    let built = String::from_utf8_lossy(site.output().get("index.html").unwrap()).to_string();
    assert!(!built.contains("__throughline"));

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paths_outside_the_site_are_refused() {
    let dir = fixture();
    fs::write(dir.path().join("secret.txt"), "top secret").unwrap();
    let server = start(dir.path(), None).await;
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2e%2e/site.yaml",
        "/roadmap/../../site.yaml",
        "/roadmap/%2e%2e/%2e%2e/secret.txt",
        "//etc/passwd",
        "/..\\site.yaml",
        "/%5c..%5csite.yaml",
        "/..%2fsite.yaml",
        "/index.html%00",
        "/../../../../etc/passwd",
        "/content/roadmap/alpha.md",
        "/site.yaml",
        "/secret.txt",
    ] {
        let r = get(server.addr, path).await;
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        for secret in ["as_of: 2026-11-20", "root:", "top secret", "Alpha makes"] {
            assert!(!r.body.contains(secret), "{path} served {secret:?}");
        }
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn atomic_saves_reload_the_changed_pages() {
    let dir = fixture();
    let root = dir.path();
    let server = start(root, None).await;
    let mut events = Events::connect(server.addr).await;

    replace(
        root,
        "content/roadmap/alpha.md",
        "Alpha checkout",
        "Alpha express checkout",
    );
    let data = events
        .until("reload", |d| d.contains("/roadmap/alpha/"))
        .await;
    let changed = urls(&data);
    assert!(
        changed.contains(&"/roadmap/alpha/".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&"/roadmap/gamma/".to_string()),
        "{changed:?}"
    );
    let page = get(server.addr, "/roadmap/alpha/").await;
    assert!(page.body.contains("Alpha express checkout"));

    // A burst of saves ends with the last one served.
    let text = fs::read_to_string(root.join("content/roadmap/alpha.md")).unwrap();
    for n in 0..20 {
        let title = format!("Alpha v{n}");
        save(
            root,
            "content/roadmap/alpha.md",
            &text.replace("Alpha express checkout", &title),
        );
    }
    events
        .until("reload", |d| d.contains("/roadmap/alpha/"))
        .await;
    let deadline = Instant::now() + WAIT;
    loop {
        let page = get(server.addr, "/roadmap/alpha/").await;
        if page.body.contains("Alpha v19") {
            break;
        }
        assert!(Instant::now() < deadline, "the last save is not served");
        events.until("reload", |_| true).await;
    }
    server.stop().await;
}

/// `data-server` and `data-event` of the live script in a served page.
fn live_marks(body: &str) -> (String, u64) {
    let attr = |name: &str| {
        let start = body
            .find(&format!("{name}=\""))
            .unwrap_or_else(|| panic!("no {name} in {body}"))
            + name.len()
            + 2;
        body[start..].split('"').next().unwrap().to_string()
    };
    (attr("data-server"), attr("data-event").parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_numbered_so_a_page_can_tell_what_it_missed() {
    let dir = fixture();
    let root = dir.path();
    let server = start(root, None).await;

    // A page says which server run and which event it was served at; `hello` says the
    // server run and, as its id, the latest event.
    let (run, seen) = live_marks(&get(server.addr, "/roadmap/alpha/").await.body);
    assert_eq!(seen, 0);
    let mut events = Events::connect(server.addr).await;
    assert_eq!(events.server, run);
    assert_eq!(events.last_id, "0");

    replace(
        root,
        "content/roadmap/alpha.md",
        "Alpha checkout",
        "Alpha express checkout",
    );
    events
        .until("reload", |d| d.contains("/roadmap/alpha/"))
        .await;
    let sent: u64 = events.last_id.parse().unwrap();
    assert!(sent >= 1, "{sent}");

    // A page served after the change is marked at least that far, so it does not reload
    // for a change it already shows; one that connects later is told of every event since.
    let page = get(server.addr, "/roadmap/alpha/").await;
    assert!(page.body.contains("Alpha express checkout"));
    let (again, marked) = live_marks(&page.body);
    assert_eq!(again, run);
    assert!(marked >= sent, "{marked} < {sent}");
    let late = Events::connect(server.addr).await;
    assert!(late.last_id.parse::<u64>().unwrap() >= sent);

    // A page that missed events gets them, in order, to handle as if it had listened.
    let missed = get(server.addr, "/__throughline/missed?after=0").await;
    assert_eq!(missed.status, 200);
    assert_eq!(missed.header("content-type"), Some("application/json"));
    let missed: serde_json::Value = serde_json::from_str(&missed.body).unwrap();
    let first = &missed.as_array().unwrap()[0];
    assert_eq!(first["id"], 1);
    assert_eq!(first["name"], "reload");
    assert!(urls(first["data"].as_str().unwrap()).contains(&"/roadmap/alpha/".to_string()));
    let none = get(server.addr, &format!("/__throughline/missed?after={sent}")).await;
    assert!(!none.body.contains("/roadmap/alpha/"), "{}", none.body);
    // Numbers this server never sent (a page from an earlier run): it can only reload.
    let unknown = get(server.addr, "/__throughline/missed?after=1000").await;
    assert_eq!(unknown.body, "null");
    assert_eq!(get(server.addr, "/__throughline/missed").await.status, 400);

    // Errors are numbered too: a page away while the site broke learns it on return.
    replace(
        root,
        "content/roadmap/alpha.md",
        "status: in-progress",
        "status: in-progres",
    );
    events.until("error", |_| true).await;
    assert!(events.last_id.parse::<u64>().unwrap() > sent);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_show_in_an_overlay_over_the_last_good_page_until_fixed() {
    let dir = fixture();
    let root = dir.path();
    let server = start(root, None).await;
    let mut events = Events::connect(server.addr).await;

    replace(
        root,
        "content/roadmap/gamma.md",
        "status: planned",
        "status: plannd",
    );
    let data = events.until("error", |_| true).await;
    let error: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(error["errors"], 1);
    let d = &error["diagnostics"][0];
    assert_eq!(d["file"], "content/roadmap/gamma.md");
    assert_eq!(d["line"], 4);
    assert_eq!(d["source_line"], "status: plannd");
    assert!(
        error["html"]
            .as_str()
            .unwrap()
            .contains("__throughline-overlay")
    );

    let page = get(server.addr, "/roadmap/gamma/").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Gamma database upgrade"),
        "the last good page"
    );
    assert!(page.body.contains("id=\"__throughline-overlay\""));
    assert!(page.body.contains("content/roadmap/gamma.md:4:9"));
    assert!(page.body.contains("status: plannd"));
    // The overlay is on every page, also those the error is not on.
    assert!(
        get(server.addr, "/")
            .await
            .body
            .contains("id=\"__throughline-overlay\"")
    );

    replace(
        root,
        "content/roadmap/gamma.md",
        "status: plannd",
        "status: planned",
    );
    events.until("reload", |_| true).await;
    let page = get(server.addr, "/roadmap/gamma/").await;
    assert!(!page.body.contains("__throughline-overlay"));
    assert!(page.body.contains("Gamma database upgrade"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_files_and_new_folders() {
    let dir = fixture();
    let root = dir.path();
    let server = start(root, None).await;
    let mut events = Events::connect(server.addr).await;

    let gamma = fs::read_to_string(root.join("content/roadmap/gamma.md")).unwrap();
    fs::remove_file(root.join("content/roadmap/gamma.md")).unwrap();
    events
        .until("reload", |d| {
            urls(d).contains(&"/roadmap/gamma/".to_string())
        })
        .await;
    assert_eq!(get(server.addr, "/roadmap/gamma/").await.status, 404);

    // A folder that did not exist when the server started.
    save(
        root,
        "content/roadmap/later/delta.md",
        &gamma.replace("Gamma", "Delta"),
    );
    events
        .until("reload", |d| {
            urls(d).contains(&"/roadmap/delta/".to_string())
        })
        .await;
    let page = get(server.addr, "/roadmap/delta/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Delta database upgrade"));

    // The folder renamed, then removed.
    fs::rename(
        root.join("content/roadmap/later"),
        root.join("content/roadmap/someday"),
    )
    .unwrap();
    fs::remove_dir_all(root.join("content/roadmap/someday")).unwrap();
    events
        .until("reload", |d| {
            urls(d).contains(&"/roadmap/delta/".to_string())
        })
        .await;
    assert_eq!(get(server.addr, "/roadmap/delta/").await.status, 404);

    // Editor leftovers change nothing.
    fs::write(root.join("content/roadmap/.alpha.md.swp"), "x").unwrap();
    fs::write(root.join("content/roadmap/alpha.md~"), "x").unwrap();
    fs::write(root.join("content/roadmap/4913"), "x").unwrap();
    replace(root, "content/pages/about.md", "small", "little");
    let data = events
        .until("reload", |d| d.contains("/pages/about/"))
        .await;
    assert_eq!(
        urls(&data),
        ["/pages/about/"],
        "only the about page changed"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stylesheet_change_names_only_the_stylesheet() {
    let dir = fixture();
    let root = dir.path();
    let server = start(root, None).await;
    let mut events = Events::connect(server.addr).await;

    save(root, "static/extra.css", "body { color: red }");
    let data = events.until("reload", |d| d != "[]").await;
    assert_eq!(urls(&data), ["/extra.css"]);
    save(root, "static/extra.css", "body { color: blue }");
    let data = events.until("reload", |d| d != "[]").await;
    assert_eq!(urls(&data), ["/extra.css"]);
    let css = get(server.addr, "/extra.css").await;
    assert_eq!(css.body, "body { color: blue }");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_under_a_path_prefix() {
    let dir = fixture();
    let root = dir.path();
    let server = start(root, Some("https://acme.github.io/repo/")).await;
    assert_eq!(server.url, format!("http://{}/repo/", server.addr));
    let mut events = Events::connect(server.addr).await;

    let top = get(server.addr, "/").await;
    assert_eq!(top.status, 302);
    assert_eq!(top.header("location"), Some("/repo/"));
    assert_eq!(get(server.addr, "/repo").await.status, 302);
    let home = get(server.addr, "/repo/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/repo/roadmap/\""));
    assert_eq!(get(server.addr, "/repo/roadmap/alpha/").await.status, 200);
    assert_eq!(get(server.addr, "/roadmap/alpha/").await.status, 404);

    replace(
        root,
        "content/roadmap/beta.md",
        "Beta payments API",
        "Beta API",
    );
    events
        .until("reload", |d| {
            urls(d).contains(&"/repo/roadmap/beta/".to_string())
        })
        .await;
    server.stop().await;
}

/// A child process that is killed when the test ends, however it ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn throughline(args: &[&str]) -> Process {
    Process(
        Command::new(env!("CARGO_BIN_EXE_throughline"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    )
}

/// Wait for the process to exit; its status code and stderr.
fn finish(mut p: Process) -> (Option<i32>, String) {
    let deadline = Instant::now() + WAIT;
    while p.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the process did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
    let code = p.0.wait().unwrap().code();
    let mut stderr = String::new();
    if let Some(mut e) = p.0.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    (code, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_prints_the_address_it_bound() {
    let dir = fixture();
    let root = dir.path().to_string_lossy().to_string();
    let mut p = throughline(&["serve", "--root", &root, "--port", "0"]);
    let stdout = p.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = StdBufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(WAIT).expect("no address printed");
    let url = line
        .trim()
        .strip_prefix("serving on http://")
        .unwrap_or_else(|| panic!("{line}"));
    let addr: SocketAddr = url.trim_end_matches('/').parse().unwrap();
    assert!(addr.ip().is_loopback());
    let home = get(addr, "/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Small report"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let dir = fixture();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let root = dir.path().to_string_lossy().to_string();
    let (code, stderr) = finish(throughline(&["serve", "--root", &root, "--port", &port]));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("the port is in use"), "{stderr}");
}

/// Poll until `check` holds, within the time limit.
fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn build_watch_rewrites_the_output_and_keeps_it_on_errors() {
    let dir = fixture();
    let root = dir.path();
    let out: PathBuf = root.join("public");
    let root_arg = root.to_string_lossy().to_string();
    let p = throughline(&["build", "--watch", "--root", &root_arg]);
    let alpha = out.join("roadmap/alpha/index.html");
    eventually("the first build", || {
        read(&alpha).contains("Alpha checkout")
    });

    replace(
        root,
        "content/roadmap/alpha.md",
        "Alpha checkout",
        "Alpha v2",
    );
    eventually("the rebuild", || read(&alpha).contains("Alpha v2"));

    replace(
        root,
        "content/roadmap/alpha.md",
        "type: feature",
        "type: featur",
    );
    replace(
        root,
        "content/roadmap/beta.md",
        "Beta payments API",
        "Beta v2",
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        read(&alpha).contains("Alpha v2"),
        "the previous output stays"
    );
    assert!(read(&out.join("roadmap/beta/index.html")).contains("Beta payments API"));

    replace(
        root,
        "content/roadmap/alpha.md",
        "type: featur",
        "type: feature",
    );
    eventually("the fix", || {
        read(&out.join("roadmap/beta/index.html")).contains("Beta v2")
    });
    let mut p = p;
    let _ = p.0.kill();
    let _ = p.0.wait();
    let mut stderr = String::new();
    p.0.stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("`featur` is not a valid `type`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("build failed: 1 error; the previous output is unchanged"),
        "{stderr}"
    );
    // The first build and the rebuild (the last one may not have printed yet).
    assert!(stderr.matches("built 23 pages").count() >= 2, "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_site_yaml_going_away_and_coming_back() {
    let dir = fixture();
    let root = dir.path();
    let server = start(root, None).await;
    let mut events = Events::connect(server.addr).await;

    let config = fs::read_to_string(root.join("site.yaml")).unwrap();
    fs::remove_file(root.join("site.yaml")).unwrap();
    let data = events.until("error", |_| true).await;
    assert!(data.contains("no site.yaml"), "{data}");
    let page = get(server.addr, "/").await;
    assert!(page.body.contains("Small report"), "the last good page");
    assert!(page.body.contains("no site.yaml"));

    save(
        root,
        "site.yaml",
        &config.replace("Small report", "Small report v2"),
    );
    events.until("reload", |d| d.contains("\"/\"")).await;
    let page = get(server.addr, "/").await;
    assert!(page.body.contains("Small report v2"));
    assert!(!page.body.contains("__throughline-overlay"));
    server.stop().await;
}

/// What the server says to a request for a host it does not answer to.
fn refusal(name: &str) -> String {
    format!(
        "forbidden: this preview answers only to localhost and its own address, not to the host \
         `{name}`; to allow it, restart with `throughline serve --allow-host {name}`\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_hosts_naming_this_server_are_answered() {
    let dir = fixture();
    let server = start(dir.path(), None).await;
    let port = server.addr.port();
    for host in [
        format!("localhost:{port}"),
        "localhost".to_string(),
        "LocalHost.".to_string(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "[::1]".to_string(),
    ] {
        let r = get_as(server.addr, &host, "/").await;
        assert_eq!(r.status, 200, "{host}");
        assert!(r.body.contains("Small report"), "{host}");
    }
    // A page under another name that points at 127.0.0.1 (DNS rebinding) reads nothing:
    // no page, no event stream, no overlay.
    for (host, name) in [
        (format!("evil.example:{port}"), "evil.example"),
        (
            "localhost.evil.example".to_string(),
            "localhost.evil.example",
        ),
        ("127.0.0.2".to_string(), "127.0.0.2"),
        ("192.168.1.20".to_string(), "192.168.1.20"),
    ] {
        for path in ["/", "/roadmap/alpha/", "/__throughline/events", "/nope"] {
            let r = get_as(server.addr, &host, path).await;
            assert_eq!(r.status, 403, "{host} {path}");
            assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
            assert_eq!(r.body, refusal(name), "{host} {path}");
        }
    }
    // No Host, two of them, or not a host at all.
    for request in [
        "GET / HTTP/1.0\r\n\r\n".to_string(),
        format!(
            "GET / HTTP/1.0\r\nHost: localhost\r\nHost: {}\r\n\r\n",
            server.addr
        ),
        "GET / HTTP/1.0\r\nHost: local host\r\n\r\n".to_string(),
        "GET / HTTP/1.0\r\nHost: localhost:http\r\n\r\n".to_string(),
    ] {
        let r = exchange(server.addr, &request).await;
        assert_eq!(r.status, 400, "{request:?}");
        assert_eq!(
            r.body,
            "bad request: expected one Host header naming this server\n"
        );
    }
    // An absolute request target names the host as well.
    let r = exchange(
        server.addr,
        "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.body, refusal("evil.example"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_host_adds_names_and_every_name_under_a_domain() {
    let dir = fixture();
    let server = start_with(
        dir.path(),
        None,
        &["Preview.Example.test", ".tunnel.test"],
        Limits::default(),
    )
    .await;
    for host in [
        "preview.example.test:8443",
        "tunnel.test",
        "abc123.tunnel.test",
        "localhost",
    ] {
        assert_eq!(get_as(server.addr, host, "/").await.status, 200, "{host}");
    }
    for (host, name) in [
        ("example.test", "example.test"),
        ("x.preview.example.test", "x.preview.example.test"),
        ("eviltunnel.test", "eviltunnel.test"),
    ] {
        let r = get_as(server.addr, host, "/").await;
        assert_eq!(r.status, 403, "{host}");
        assert_eq!(r.body, refusal(name));
    }
    server.stop().await;
}

/// Start the binary with `args` after `serve --root ROOT --port 0`: the process and the
/// address it printed.
fn serve_binary(root: &Path, args: &[&str]) -> (Process, SocketAddr) {
    let root = root.to_string_lossy().to_string();
    let mut all = vec!["serve", "--root", &root, "--port", "0"];
    all.extend_from_slice(args);
    let mut p = throughline(&all);
    let stdout = p.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = StdBufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(WAIT).expect("no address printed");
    let url = line
        .trim()
        .strip_prefix("serving on http://")
        .unwrap_or_else(|| panic!("{line}"));
    (p, url.trim_end_matches('/').parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_allow_host_flag_is_repeatable_and_checked() {
    let dir = fixture();
    let (_p, addr) = serve_binary(
        dir.path(),
        &[
            "--allow-host",
            "a.example.test",
            "--allow-host",
            "b.example.test",
        ],
    );
    for host in ["a.example.test", "b.example.test:1111", "localhost"] {
        assert_eq!(get_as(addr, host, "/").await.status, 200, "{host}");
    }
    let r = get_as(addr, "c.example.test", "/").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.body, refusal("c.example.test"));

    let root = dir.path().to_string_lossy().to_string();
    for bad in ["http://a.example.test", "a.example.test:8080", "a/b"] {
        let (code, stderr) = finish(throughline(&[
            "serve",
            "--root",
            &root,
            "--port",
            "0",
            "--allow-host",
            bad,
        ]));
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.starts_with(&format!(
                "error: invalid --allow-host `{bad}`: expected a host name"
            )),
            "{stderr}"
        );
    }
}

/// Read until the server closes the connection; what it sent.
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    timeout(WAIT, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("the server kept the connection open");
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_headers_do_not_arrive_in_time_is_closed() {
    let dir = fixture();
    let header_timeout = Duration::from_millis(300);
    let server = start_with(
        dir.path(),
        None,
        &[],
        Limits {
            header_timeout,
            ..Limits::default()
        },
    )
    .await;

    // Half a request header, then nothing: closed without an answer.
    let opened = Instant::now();
    let mut half = TcpStream::connect(server.addr).await.unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    assert_eq!(read_until_closed(&mut half).await, b"");
    assert!(
        opened.elapsed() >= header_timeout,
        "closed before the timeout"
    );

    // Nothing at all: the same.
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    assert_eq!(read_until_closed(&mut silent).await, b"");

    // A kept-alive connection is answered, then closed once no further request comes.
    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    kept.write_all(b"GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let answer = String::from_utf8_lossy(&read_until_closed(&mut kept).await).to_string();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert_eq!(answer.matches("HTTP/1.1").count(), 1, "{answer}");

    // The server still answers.
    assert_eq!(get(server.addr, "/").await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_hold_no_request_back_below_the_cap() {
    let dir = fixture();
    // Idle connections are never timed out here: only the cap decides.
    let server = start_with(
        dir.path(),
        None,
        &[],
        Limits {
            header_timeout: Duration::from_secs(3600),
            max_connections: 8,
        },
    )
    .await;
    let mut idle = Vec::new();
    for _ in 0..7 {
        idle.push(TcpStream::connect(server.addr).await.unwrap());
    }
    // 7 idle of 8: a request is answered while they stay open.
    assert_eq!(get(server.addr, "/").await.status, 200);

    // 8 idle of 8: the next connection waits for one of them to close.
    idle.push(TcpStream::connect(server.addr).await.unwrap());
    let addr = server.addr;
    let mut waiting = tokio::spawn(async move { get(addr, "/roadmap/alpha/").await });
    assert!(
        timeout(Duration::from_millis(300), &mut waiting)
            .await
            .is_err(),
        "answered over the cap"
    );
    drop(idle.pop());
    let r = timeout(WAIT, waiting).await.unwrap().unwrap();
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Alpha checkout"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_house_of_stalled_connections_is_cleared_by_the_timeout() {
    let dir = fixture();
    let server = start_with(
        dir.path(),
        None,
        &[],
        Limits {
            header_timeout: Duration::from_millis(300),
            max_connections: 4,
        },
    )
    .await;
    let mut stalled = Vec::new();
    for n in 0..8 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        if n % 2 == 0 {
            s.write_all(b"GET / HTTP/1.1\r\nHo").await.unwrap();
        }
        stalled.push(s);
    }
    let r = get(server.addr, "/").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Small report"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_stream_stays_open_past_the_header_timeout() {
    let dir = fixture();
    let root = dir.path();
    let header_timeout = Duration::from_millis(200);
    let server = start_with(
        root,
        None,
        &[],
        Limits {
            header_timeout,
            ..Limits::default()
        },
    )
    .await;
    let mut events = Events::connect(server.addr).await;
    tokio::time::sleep(header_timeout * 5).await;
    replace(
        root,
        "content/roadmap/alpha.md",
        "Alpha checkout",
        "Alpha express checkout",
    );
    events
        .until("reload", |d| d.contains("/roadmap/alpha/"))
        .await;
    server.stop().await;
}
