//! `throughline lsp`: a Language Server Protocol server over standard input and output.
//! Open documents overlay the files on disk in the same `Site` that `serve` keeps; every
//! change re-parses that one file. Once typing pauses the content's diagnostics are
//! published; after a longer pause the site is built without writing, as `check` does, for
//! what only a build finds (template errors, broken links).

mod context;
mod features;
mod index;
mod protocol;
mod text;
mod workspace;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};
use lsp_server::{Connection, ErrorCode, Message, Response};
use serde_json::{Value, json};

pub use workspace::Workspace;

/// How long typing must pause before the content's diagnostics are published.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// How long after that, with no further change, the whole site is checked.
pub const CHECK_PAUSE: Duration = Duration::from_millis(300);

/// What runs when the timer fires.
#[derive(Clone, Copy)]
enum Step {
    Content,
    Check,
}

/// What the server can do, for `initialize`.
fn capabilities() -> Value {
    json!({
        "positionEncoding": "utf-16",
        "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}},
        "completionProvider": {"triggerCharacters": [":", "[", ",", " ", "-"]},
        "hoverProvider": true,
        "definitionProvider": true,
        "referencesProvider": true,
        "codeActionProvider": {"codeActionKinds": ["quickfix"]},
    })
}

/// The site folder: `--root`, else the first workspace folder, else the root URI, else
/// the current folder.
fn root_of(params: &Value, given: Option<&Path>) -> PathBuf {
    if let Some(root) = given {
        return root.to_path_buf();
    }
    let from_uri = |v: &Value| v.as_str().and_then(text::path_of_uri);
    params["workspaceFolders"]
        .get(0)
        .and_then(|f| from_uri(&f["uri"]))
        .or_else(|| from_uri(&params["rootUri"]))
        .or_else(|| params["rootPath"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Serve one client over `connection` until it asks to exit (or goes away). Whether it
/// asked to shut down first, as the protocol wants: the exit status says so.
pub fn serve(connection: &Connection, root: Option<&Path>) -> Result<bool, String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let result = json!({
        "capabilities": capabilities(),
        "serverInfo": {"name": "throughline", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let root = root_of(&params, root);
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let mut ws = Workspace::open(root);
    for m in ws.startup_messages() {
        send(connection, m)?;
    }
    if watches_files(&params) {
        send(connection, Message::Request(watch_files()))?;
    }
    let incoming = queue(connection);
    let mut due = Some((Instant::now(), Step::Content));
    let mut shutting_down = false;
    loop {
        let msg = match due {
            Some((at, step)) => {
                match incoming.recv_timeout(at.saturating_duration_since(Instant::now())) {
                    Ok(m) => m,
                    Err(RecvTimeoutError::Timeout) => {
                        due = run_step(connection, &incoming, &mut ws, step)?;
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(shutting_down),
                }
            }
            None => match incoming.recv() {
                Ok(m) => m,
                Err(_) => return Ok(shutting_down),
            },
        };
        match msg {
            Message::Request(req) => {
                let response = if shutting_down {
                    Response::new_err(
                        req.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".to_string(),
                    )
                } else if req.method == "shutdown" {
                    shutting_down = true;
                    due = None;
                    Response::new_ok(req.id, Value::Null)
                } else {
                    ws.answer(req)
                };
                send(connection, Message::Response(response))?;
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    return Ok(shutting_down);
                }
                if ws.take_in(n) {
                    due = Some((Instant::now() + DEBOUNCE, Step::Content));
                }
            }
            Message::Response(_) => {}
        }
    }
}

/// Whether the client watches files for a server that asks (dynamic registration).
fn watches_files(params: &Value) -> bool {
    params["capabilities"]["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"]
        == json!(true)
}

/// Ask the client to report changes on disk to what a site is made of (a checkout, a pull,
/// another program), besides the open documents. The client's answer is not needed.
fn watch_files() -> lsp_server::Request {
    let watchers: Vec<Value> = [
        "**/site.yaml",
        "**/content/**",
        "**/templates/**",
        "**/themes/**",
    ]
    .iter()
    .map(|glob| json!({"globPattern": glob}))
    .collect();
    lsp_server::Request::new(
        "throughline/watch-files".to_string().into(),
        "client/registerCapability".to_string(),
        json!({"registrations": [{
            "id": "throughline/watch-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": watchers},
        }]}),
    )
}

/// The editor's messages, queued as they arrive, so that a running check can see that
/// something is waiting (the connection itself hands a message over only when it is taken).
fn queue(connection: &Connection) -> Receiver<Message> {
    let (tx, rx) = crossbeam_channel::unbounded();
    let from_editor = connection.receiver.clone();
    std::thread::spawn(move || {
        for msg in from_editor {
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
    rx
}

/// Publish what `step` finds; what should run next, and when.
fn run_step(
    connection: &Connection,
    incoming: &Receiver<Message>,
    ws: &mut Workspace,
    step: Step,
) -> Result<Option<(Instant, Step)>, String> {
    match step {
        Step::Content => {
            let (messages, clean) = ws.publish_content();
            for m in messages {
                send(connection, m)?;
            }
            Ok(clean.then(|| (Instant::now() + CHECK_PAUSE, Step::Check)))
        }
        Step::Check => {
            // Whatever the editor sends meanwhile (a keystroke, a completion request) is
            // answered first: the check gives up and runs again after the next pause.
            let stop = || !incoming.is_empty();
            let Some(messages) = ws.publish_checked(&stop) else {
                return Ok(Some((Instant::now() + CHECK_PAUSE, Step::Check)));
            };
            for m in messages {
                send(connection, m)?;
            }
            Ok(None)
        }
    }
}

fn send(connection: &Connection, msg: Message) -> Result<(), String> {
    connection
        .sender
        .send(msg)
        .map_err(|_| "the editor closed the connection".to_string())
}

/// Run over standard input and output.
pub fn run_stdio(root: Option<&Path>) -> Result<bool, String> {
    let (connection, io) = Connection::stdio();
    let result = serve(&connection, root);
    drop(connection);
    io.join().map_err(|e| e.to_string())?;
    result
}
