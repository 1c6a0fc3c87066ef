//! In the editor: `throughline lsp` driven over stdio with JSON-RPC as an editor drives it,
//! and the JSON Schemas of `throughline schema` checked against the example and the
//! invalid fixtures.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::copy_dir;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The example report (site.yaml and content/) copied to a temp dir.
fn example_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&Path::new(REPO).join("content"), &site.join("content"));
    std::fs::copy(Path::new(REPO).join("site.yaml"), site.join("site.yaml")).unwrap();
    let site = site.canonicalize().unwrap();
    (tmp, site)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

// ---- a small LSP client ----

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications received while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
    root: PathBuf,
}

/// Reads `Content-Length` framed messages until the stream ends.
fn read_messages(out: impl Read, to: std::sync::mpsc::Sender<Value>) {
    let mut reader = BufReader::new(out);
    loop {
        let mut length = None;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some(n) = header.strip_prefix("Content-Length: ") {
                length = n.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        if to.send(serde_json::from_slice(&body).unwrap()).is_err() {
            return;
        }
    }
}

const WAIT: Duration = Duration::from_secs(20);

impl Server {
    fn start(root: &Path) -> (Server, Value) {
        Server::start_with(root, json!({}))
    }

    /// Start with the client capabilities given to `initialize`.
    fn start_with(root: &Path, capabilities: Value) -> (Server, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_throughline"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || read_messages(stdout, tx));
        let mut server = Server {
            child,
            stdin,
            messages: rx,
            backlog: Vec::new(),
            next_id: 1,
            root: root.to_path_buf(),
        };
        let root_uri = format!("file://{}", root.display());
        let init = server.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": capabilities,
                   "workspaceFolders": [{"uri": root_uri, "name": "site"}]}),
        );
        server.notify("initialized", json!({}));
        (server, init)
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Value {
        match self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => panic!("no answer from the server in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server stopped"),
        }
    }

    /// Send a request and wait for its result.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + WAIT;
        loop {
            let msg = self.next(deadline);
            if msg["id"] == json!(id) && msg.get("method").is_none() {
                assert!(msg.get("error").is_none(), "{method}: {msg}");
                return msg["result"].clone();
            }
            self.backlog.push(msg);
        }
    }

    /// Wait for a request from the server with `method`; answer it with a null result.
    fn answer_request(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        let is_it = |m: &Value| m["method"] == method && m.get("id").is_some();
        let msg = match self.backlog.iter().position(is_it) {
            Some(i) => self.backlog.remove(i),
            None => loop {
                let msg = self.next(deadline);
                if is_it(&msg) {
                    break msg;
                }
                self.backlog.push(msg);
            },
        };
        self.send(json!({"jsonrpc": "2.0", "id": msg["id"], "result": null}));
        msg["params"].clone()
    }

    fn uri(&self, rel: &str) -> String {
        format!("file://{}", self.root.join(rel).display())
    }

    /// Wait for diagnostics of `rel` that satisfy `want` (earlier ones are skipped).
    fn diagnostics(&mut self, rel: &str, want: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let uri = self.uri(rel);
        let deadline = Instant::now() + WAIT;
        let matches = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == json!(uri)
                && want(m["params"]["diagnostics"].as_array().unwrap())
        };
        if let Some(i) = self.backlog.iter().position(matches) {
            let m = self.backlog.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let msg = self.next(deadline);
            if matches(&msg) {
                return msg["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.backlog.push(msg);
        }
    }

    fn open(&mut self, rel: &str, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, rel: &str, version: i32, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    }

    fn at(&self, rel: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": self.uri(rel)},
               "position": {"line": line, "character": character}})
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "{status}");
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the server did not exit");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn range(d: &Value) -> (u64, u64, u64, u64) {
    let r = &d["range"];
    let n = |v: &Value| v.as_u64().unwrap();
    (
        n(&r["start"]["line"]),
        n(&r["start"]["character"]),
        n(&r["end"]["line"]),
        n(&r["end"]["character"]),
    )
}

const AUDIT: &str = "content/roadmap/audit-log-export.md";
const APPROVAL: &str = "content/roadmap/approval-workflows.md";

// ---- the protocol ----

#[test]
fn initialize_announces_what_the_server_does() {
    let (_tmp, site) = example_site();
    let (server, init) = Server::start(&site);
    let caps = &init["capabilities"];
    assert_eq!(caps["hoverProvider"], json!(true));
    assert_eq!(caps["definitionProvider"], json!(true));
    assert_eq!(caps["referencesProvider"], json!(true));
    assert!(caps["completionProvider"].is_object());
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(init["serverInfo"]["name"], "throughline");
    server.shutdown();
}

#[test]
fn shutdown_then_exit_ends_with_status_0_and_exit_alone_with_1() {
    let (_tmp, site) = example_site();
    // After `shutdown` the server answers requests with InvalidRequest (-32600).
    let (mut server, _) = Server::start(&site);
    server.request("shutdown", Value::Null);
    let id = 99;
    server.send(
        json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
                       "params": server.at(AUDIT, 3, 2)}),
    );
    let deadline = Instant::now() + WAIT;
    let answer = loop {
        let msg = server.next(deadline);
        if msg["id"] == json!(id) {
            break msg;
        }
    };
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    server.notify("exit", Value::Null);
    assert_eq!(exit_code(&mut server), Some(0));
    // `exit` without `shutdown` first: status 1.
    let (mut server, _) = Server::start(&site);
    server.notify("exit", Value::Null);
    assert_eq!(exit_code(&mut server), Some(1));
}

fn exit_code(server: &mut Server) -> Option<i32> {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = server.child.try_wait() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

#[test]
fn an_error_in_an_unsaved_buffer_is_flagged_at_its_range_and_cleared_when_fixed() {
    let (_tmp, site) = example_site();
    let original = read(&site.join(AUDIT));
    assert_eq!(original.lines().nth(3), Some("status: shipped"));
    let (mut server, _) = Server::start(&site);
    let broken = original.replacen("status: shipped", "status: shiped", 1);
    server.open(AUDIT, &broken);
    let diags = server.diagnostics(AUDIT, |d| !d.is_empty());
    assert_eq!(diags.len(), 1, "{diags:?}");
    // Line 4 (index 3), `shiped` starts after "status: " (8 characters) and is 6 long.
    assert_eq!(range(&diags[0]), (3, 8, 3, 14));
    assert_eq!(diags[0]["severity"], 1);
    let message = diags[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("`shiped` is not a valid `status`"),
        "{message}"
    );
    assert!(message.contains("did you mean `shipped`?"), "{message}");
    // The file on disk is untouched: the buffer is what was checked.
    assert_eq!(read(&site.join(AUDIT)), original);

    server.change(AUDIT, 2, &original);
    let diags = server.diagnostics(AUDIT, |d| d.is_empty());
    assert!(diags.is_empty());
    server.shutdown();
}

/// The audit item's text with a link to a page that does not exist, on its last line.
fn with_broken_link(site: &Path) -> String {
    let original = read(&site.join(AUDIT));
    format!(
        "{}\nSee [the plan](/roadmap/no-such-item/).\n",
        original.trim_end()
    )
}

fn is_broken_link(d: &Value) -> bool {
    d["message"]
        .as_str()
        .is_some_and(|m| m.contains("broken link to /roadmap/no-such-item/"))
}

#[test]
fn a_broken_link_in_markdown_is_flagged_at_the_link_as_check_does() {
    let (_tmp, site) = example_site();
    let text = with_broken_link(&site);
    // Only in the editor's buffer, not saved: the link is found where the buffer has it.
    let (mut server, _) = Server::start(&site);
    server.open(AUDIT, &text);
    let diags = server.diagnostics(AUDIT, |d| !d.is_empty());
    // The last line; `See [the plan](` is 15 characters, so the target starts at index 15.
    let last = text.lines().count() as u64 - 1;
    let broken: Vec<&Value> = diags.iter().filter(|d| is_broken_link(d)).collect();
    assert_eq!(broken.len(), 1, "{diags:?}");
    let (line, character, _, _) = range(broken[0]);
    assert_eq!((line, character), (last, 15), "{diags:?}");
    server.shutdown();
}

#[test]
fn requests_during_the_full_check_are_answered_and_the_check_still_reports() {
    let (_tmp, site) = example_site();
    let (mut server, _) = Server::start(&site);
    server.open(AUDIT, &with_broken_link(&site));
    // Hover requests every 10 ms for a second: the full check starts 320 ms after the
    // change, so some arrive while it runs; it gives way to them and runs again once they
    // stop. Each is answered with the field's documentation (line 4 is `status: …`).
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(1) {
        let hover = server.request("textDocument/hover", server.at(AUDIT, 3, 2));
        let doc = hover["contents"]["value"].as_str().unwrap_or_default();
        assert!(doc.contains("**status**"), "{hover}");
        std::thread::sleep(Duration::from_millis(10));
    }
    let diags = server.diagnostics(AUDIT, |d| d.iter().any(is_broken_link));
    assert_eq!(diags.len(), 1, "{diags:?}");
    server.shutdown();
}

#[test]
fn a_quick_fix_replaces_a_misspelled_field_name() {
    let (_tmp, site) = example_site();
    let original = read(&site.join(AUDIT));
    let (mut server, _) = Server::start(&site);
    let broken = original.replacen("status: shipped", "stauts: shipped", 1);
    server.open(AUDIT, &broken);
    let diags = server.diagnostics(AUDIT, |d| !d.is_empty());
    let typo = diags
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("unknown field `stauts`")
        })
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(range(typo), (3, 0, 3, 6));

    let params = json!({"textDocument": {"uri": server.uri(AUDIT)},
                        "range": typo["range"], "context": {"diagnostics": [typo]}});
    let actions = server.request("textDocument/codeAction", params);
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["title"], "Replace with `status`");
    assert_eq!(actions[0]["kind"], "quickfix");
    let edits = &actions[0]["edit"]["changes"][server.uri(AUDIT)];
    assert_eq!(edits.as_array().unwrap().len(), 1);
    assert_eq!(edits[0]["newText"], "status");

    // Applying the edit gives back the valid file, and the diagnostics go away.
    let (l, s, _, e) = range(&edits[0]);
    let fixed: String = broken
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i as u64 == l {
                format!("{}status{}\n", &line[..s as usize], &line[e as usize..])
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    assert_eq!(fixed, original);
    server.change(AUDIT, 2, &fixed);
    assert!(server.diagnostics(AUDIT, |d| d.is_empty()).is_empty());
    server.shutdown();
}

#[test]
fn completion_inside_outcomes_lists_the_outcome_ids() {
    let (_tmp, site) = example_site();
    let original = read(&site.join(APPROVAL));
    let (mut server, _) = Server::start(&site);
    // A new line 10 (index 9) `outcomes: [`, the cursor after the bracket (character 11).
    let text = original.replacen("depends_on:", "outcomes: [\ndepends_on:", 1);
    server.open(APPROVAL, &text);
    let items = server.request("textDocument/completion", server.at(APPROVAL, 9, 11));
    let labels: BTreeSet<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    // The nine files of content/outcomes/, none of which sets another `id`.
    let want: BTreeSet<&str> = [
        "annual-plan-mix",
        "days-sales-outstanding",
        "e-invoice-adoption",
        "enterprise-security-review-days",
        "international-invoice-share",
        "manual-reconciliation-time",
        "online-payment-share",
        "payment-link-paid-within-7-days",
        "trial-to-paid-conversion",
    ]
    .into();
    assert_eq!(labels, want);
    let online = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "online-payment-share")
        .unwrap();
    assert_eq!(online["detail"], "Invoice value collected online");

    // Typing narrows the list as editors filter, letters in order: "paid-c" is in
    // trial-to-paid-conversion only (payment-link-paid-within-7-days has no `c` after
    // "paid-").
    let text = original.replacen("depends_on:", "outcomes: [paid-c\ndepends_on:", 1);
    server.change(APPROVAL, 2, &text);
    let items = server.request("textDocument/completion", server.at(APPROVAL, 9, 17));
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    // The edit replaces the typed word: characters 11 to 17 of line 9.
    assert_eq!(range(&items[0]["textEdit"]), (9, 11, 9, 17));
    assert_eq!(items[0]["textEdit"]["newText"], "trial-to-paid-conversion");
    server.shutdown();
}

#[test]
fn completion_offers_field_names_with_their_docs_and_enum_values() {
    let (_tmp, site) = example_site();
    let original = read(&site.join(APPROVAL));
    let (mut server, _) = Server::start(&site);
    // Line 4 (index 3) becomes `status: ` with the cursor at its end; a new line 5 `hori`.
    let text = original.replacen("status: planned\nhorizon: next", "status: \nhori", 1);
    server.open(APPROVAL, &text);
    let items = server.request("textDocument/completion", server.at(APPROVAL, 3, 8));
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "idea",
            "planned",
            "in-progress",
            "shipped",
            "paused",
            "cancelled"
        ]
    );
    let items = server.request("textDocument/completion", server.at(APPROVAL, 4, 4));
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["label"], "horizon");
    assert_eq!(items[0]["textEdit"]["newText"], "horizon: ");
    let doc = items[0]["documentation"]["value"].as_str().unwrap();
    assert!(doc.contains("one of now, next, later"), "{doc}");

    // Team names already used in the site, inside `team: `.
    let text = original.replacen("team: platform", "team: ", 1);
    server.change(APPROVAL, 2, &text);
    let items = server.request("textDocument/completion", server.at(APPROVAL, 5, 6));
    let labels: BTreeSet<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains("platform") && labels.contains("payments"),
        "{labels:?}"
    );
    server.shutdown();
}

#[test]
fn definition_and_hover_on_a_depends_on_id() {
    let (_tmp, site) = example_site();
    let (mut server, _) = Server::start(&site);
    let text = read(&site.join(APPROVAL));
    // Line 10 (index 9): `depends_on: [audit-log-export]`; character 15 is inside the id.
    assert_eq!(text.lines().nth(9), Some("depends_on: [audit-log-export]"));
    server.open(APPROVAL, &text);
    let def = server.request("textDocument/definition", server.at(APPROVAL, 9, 15));
    assert_eq!(def["uri"], json!(server.uri(AUDIT)));
    // The id is the file name: the location is the start of the file.
    assert_eq!(range(&def), (0, 0, 0, 0));

    let hover = server.request("textDocument/hover", server.at(APPROVAL, 9, 15));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("**Audit log export for admins**"), "{value}");
    assert!(value.contains("feature · shipped"), "{value}");
    assert!(
        value.contains("content/roadmap/audit-log-export.md"),
        "{value}"
    );

    // On the field name: its documentation from the field table.
    let hover = server.request("textDocument/hover", server.at(APPROVAL, 9, 3));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("**depends_on**: a list of roadmap item ids"),
        "{value}"
    );
    assert!(value.contains("must not form a cycle"), "{value}");
    server.shutdown();
}

#[test]
fn references_of_an_outcome_are_the_items_naming_it() {
    let (_tmp, site) = example_site();
    let (mut server, _) = Server::start(&site);
    let rel = "content/outcomes/online-payment-share.yaml";
    let mut params = server.at(rel, 0, 0);
    params["context"] = json!({"includeDeclaration": false});
    let refs = server.request("textDocument/references", params);
    let mut found: Vec<(String, (u64, u64, u64, u64))> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["uri"].as_str().unwrap().to_string(), range(l)))
        .collect();
    found.sort();
    // grep "online-payment-share" content/roadmap: three items, each in `outcomes: [` at
    // character 11, the id 20 characters long.
    let want = vec![
        (
            server.uri("content/roadmap/crypto-payments-pilot.md"),
            (9, 11, 9, 31),
        ),
        (
            server.uri("content/roadmap/recurring-invoices-v2.md"),
            (9, 11, 9, 31),
        ),
        (
            server.uri("content/roadmap/sepa-direct-debit.md"),
            (8, 11, 8, 31),
        ),
    ];
    assert_eq!(found, want);
    server.shutdown();
}

#[test]
fn changing_an_outcome_id_flags_the_items_that_reference_it() {
    let (_tmp, site) = example_site();
    let rel = "content/outcomes/online-payment-share.yaml";
    let original = read(&site.join(rel));
    let (mut server, _) = Server::start(&site);
    server.open(rel, &format!("id: online-share\n{original}"));
    for (item, line) in [
        ("content/roadmap/crypto-payments-pilot.md", 9),
        ("content/roadmap/recurring-invoices-v2.md", 9),
        ("content/roadmap/sepa-direct-debit.md", 8),
    ] {
        let diags = server.diagnostics(item, |d| !d.is_empty());
        assert_eq!(diags.len(), 1, "{item}: {diags:?}");
        let message = diags[0]["message"].as_str().unwrap();
        assert!(
            message.starts_with("unknown outcome `online-payment-share` in `outcomes`"),
            "{message}"
        );
        assert_eq!(range(&diags[0]), (line, 11, line, 31), "{item}");
    }
    // Back to the old id: the three items are clean again.
    server.change(rel, 2, &original);
    for item in [
        "content/roadmap/crypto-payments-pilot.md",
        "content/roadmap/recurring-invoices-v2.md",
        "content/roadmap/sepa-direct-debit.md",
    ] {
        assert!(server.diagnostics(item, |d| d.is_empty()).is_empty());
    }
    server.shutdown();
}

#[test]
fn files_changed_on_disk_are_watched_through_the_client_and_read_again() {
    let (_tmp, site) = example_site();
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut server, _) = Server::start_with(&site, caps);
    let registered = server.answer_request("client/registerCapability");
    let registration = &registered["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["globPattern"].as_str())
        .collect();
    assert!(globs.contains(&"**/content/**"), "{globs:?}");
    assert!(globs.contains(&"**/site.yaml"), "{globs:?}");
    // A checkout changes a file nobody has open: the client reports it, the server reads
    // it from disk and flags it (line 4: `status: shiped`, characters 8–14).
    let original = read(&site.join(AUDIT));
    std::fs::write(
        site.join(AUDIT),
        original.replacen("status: shipped", "status: shiped", 1),
    )
    .unwrap();
    let uri = server.uri(AUDIT);
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 2}]}),
    );
    let diags = server.diagnostics(AUDIT, |d| !d.is_empty());
    assert_eq!(diags.iter().map(range).collect::<Vec<_>>(), [(3, 8, 3, 14)]);
    // Without the capability nothing is registered: the client's answer to `initialize`
    // is the only thing the server waits for.
    server.shutdown();
    let (mut plain, _) = Server::start(&site);
    plain.request("shutdown", Value::Null);
    assert!(
        !plain
            .backlog
            .iter()
            .any(|m| m["method"] == "client/registerCapability"),
        "{:?}",
        plain.backlog
    );
}

#[test]
fn a_folder_without_site_yaml_is_answered_without_failing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let (mut server, _) = Server::start(&root);
    let hover = server.request("textDocument/hover", server.at("site.yaml", 0, 0));
    assert_eq!(hover, Value::Null);
    let said = server
        .backlog
        .iter()
        .find(|m| m["method"] == "window/showMessage")
        .cloned();
    let said = said.unwrap_or_else(|| {
        loop {
            let m = server.next(Instant::now() + WAIT);
            if m["method"] == "window/showMessage" {
                break m;
            }
        }
    });
    assert!(
        said["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no site.yaml"),
        "{said}"
    );
    server.shutdown();
}

#[test]
fn a_report_in_a_subfolder_is_found_from_the_first_file_opened() {
    let (tmp, site) = example_site();
    let workspace = tmp.path().canonicalize().unwrap();
    assert!(!workspace.join("site.yaml").exists());
    let (mut server, _) = Server::start(&workspace);
    let original = read(&site.join(AUDIT));
    let broken = original.replacen("status: shipped", "status: shiped", 1);
    let rel = format!("site/{AUDIT}");
    server.open(&rel, &broken);
    let diags = server.diagnostics(&rel, |d| !d.is_empty());
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(range(&diags[0]), (3, 8, 3, 14));
    server.shutdown();
}

// ---- the JSON Schemas ----

/// The schemas `throughline schema --out DIR` writes, compiled.
fn schemas() -> (boon::Schemas, Vec<(String, boon::SchemaIndex)>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .args(["schema", "--out"])
        .arg(tmp.path().join("schemas"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut compiler = boon::Compiler::new();
    let mut schemas = boon::Schemas::new();
    let mut compiled = Vec::new();
    for name in ["site", "roadmap", "outcome", "postmortem"] {
        let path = tmp.path().join(format!("schemas/{name}.schema.json"));
        let doc: Value = serde_json::from_str(&read(&path)).unwrap();
        assert_eq!(
            doc["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let url = format!("file:///schemas/{name}.schema.json");
        compiler.add_resource(&url, doc).unwrap();
        let index = compiler.compile(&url, &mut schemas).unwrap();
        compiled.push((name.to_string(), index));
    }
    (schemas, compiled)
}

/// The YAML a schema applies to, as JSON: the whole file, or the front matter of a `.md`.
fn yaml_of(path: &Path) -> Value {
    let text = read(path);
    let yaml = if path.extension().is_some_and(|e| e == "md") {
        let mut parts = text.splitn(3, "---\n");
        assert_eq!(parts.next(), Some(""), "{}", path.display());
        parts.next().unwrap().to_string()
    } else {
        text
    };
    serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema_for(rel: &str) -> Option<&'static str> {
    match rel.split('/').collect::<Vec<_>>().as_slice() {
        ["site.yaml"] => Some("site"),
        ["content", "roadmap", ..] => Some("roadmap"),
        ["content", "outcomes", ..] => Some("outcome"),
        ["content", "postmortems", ..] => Some("postmortem"),
        _ => None,
    }
}

/// The instance locations (`/status`) the schema rejects in `rel` under `root`.
fn rejected(
    (schemas, compiled): &(boon::Schemas, Vec<(String, boon::SchemaIndex)>),
    root: &Path,
    rel: &str,
) -> BTreeSet<String> {
    fn leaves(e: &boon::ValidationError, out: &mut BTreeSet<String>) {
        if e.causes.is_empty() {
            out.insert(e.instance_location.to_string());
        }
        for c in &e.causes {
            leaves(c, out);
        }
    }
    let name = schema_for(rel).unwrap();
    let index = compiled.iter().find(|(n, _)| n == name).unwrap().1;
    let value = yaml_of(&root.join(rel));
    let mut out = BTreeSet::new();
    if let Err(e) = schemas.validate(&value, index) {
        leaves(&e, &mut out);
    }
    out
}

fn files_under(root: &Path, dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join(dir)).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        out.push(format!("{dir}/{name}"));
    }
    out.sort();
    out
}

#[test]
fn the_schemas_accept_every_file_of_the_example() {
    let compiled = schemas();
    let root = Path::new(REPO);
    let mut files = vec!["site.yaml".to_string()];
    for dir in ["content/roadmap", "content/outcomes", "content/postmortems"] {
        files.extend(files_under(root, dir));
    }
    assert!(files.len() > 40, "{files:?}");
    for rel in &files {
        assert_eq!(rejected(&compiled, root, rel), BTreeSet::new(), "{rel}");
    }
}

#[test]
fn the_schemas_reject_the_type_and_enum_errors_of_the_invalid_fixtures() {
    let compiled = schemas();
    let invalid = Path::new(REPO).join("tests/invalid");
    let cases: [(&str, &str, &[&str]); 6] = [
        // title: [Payment, links], tags: payments, release: yes
        (
            "wrong-type",
            "content/roadmap/payment-links.md",
            &["/release", "/tags", "/title"],
        ),
        // status: in-progres, confidence: hgh, horizon: someday
        (
            "bad-enum",
            "content/roadmap/payment-links.md",
            &["/confidence", "/horizon", "/status"],
        ),
        ("site-quarter", "site.yaml", &["/quarter_start_month"]),
        ("unknown-field", "content/roadmap/payment-links.md", &[""]),
        ("site-unknown-field", "site.yaml", &[""]),
        ("id-pattern", "content/roadmap/bad-id.md", &["/id"]),
    ];
    for (case, rel, want) in cases {
        let got = rejected(&compiled, &invalid.join(case), rel);
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "{case}");
    }
}
