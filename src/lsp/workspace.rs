//! The server's state: the site, the documents open in the editor (overlaying the disk),
//! and the diagnostics last published per file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::protocol::{Position, Range, TextEdit};
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use serde_json::{Value, json};

use super::features::{self, Cursor};
use super::index::Index;
use super::text;
use crate::config::CONFIG_FILE;
use crate::content::load::relative;
use crate::diagnostics::{self, Diagnostic, Pos, Severity};
use crate::site::{BuildOptions, Site};

pub struct Workspace {
    root: PathBuf,
    /// `None` when the folder is not a site (no site.yaml): the server then answers
    /// nothing, and says why once.
    site: Option<Site>,
    problem: Option<String>,
    /// Open documents by path relative to the root.
    open: BTreeMap<String, String>,
    /// What each file's diagnostics were when last published.
    published: BTreeMap<String, Value>,
    /// What the last full check found beyond the content's own diagnostics.
    build_findings: Vec<Diagnostic>,
}

impl Workspace {
    pub fn open(root: PathBuf) -> Workspace {
        let (site, problem) = match Site::open(BuildOptions {
            root: root.clone(),
            ..BuildOptions::default()
        }) {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e.0)),
        };
        Workspace {
            root,
            site,
            problem,
            open: BTreeMap::new(),
            published: BTreeMap::new(),
            build_findings: Vec::new(),
        }
    }

    pub fn startup_messages(&self) -> Vec<Message> {
        self.problem
            .iter()
            .map(|p| {
                notification(
                    "window/showMessage",
                    json!({"type": 2, "message": format!("throughline: {p}")}),
                )
            })
            .collect()
    }

    /// The path relative to the root of a URI inside the site.
    fn rel_of(&self, uri: &str) -> Option<String> {
        let path = text::path_of_uri(uri)?;
        let path = match path.parent().and_then(|p| std::fs::canonicalize(p).ok()) {
            Some(dir) => dir.join(path.file_name()?),
            None => path,
        };
        path.starts_with(&self.root)
            .then(|| relative(&self.root, &path))
    }

    fn uri_of(&self, rel: &str) -> String {
        text::uri_of_path(&self.root.join(rel))
    }

    /// The text of a file: the editor's when open, else the disk's.
    fn text_of(&self, rel: &str) -> String {
        match self.open.get(rel) {
            Some(t) => t.clone(),
            None => std::fs::read_to_string(self.root.join(rel)).unwrap_or_default(),
        }
    }

    /// Read a document's text into the site: site.yaml means every file again (and the
    /// open ones from their buffers).
    fn load_text(&mut self, rel: &str) {
        let Some(site) = self.site.as_mut() else {
            return;
        };
        if rel == CONFIG_FILE {
            let _ = site.set_config_text(self.open.get(rel).map(String::as_str));
            for (path, text) in &self.open {
                site.set_text(path, Some(text));
            }
        } else {
            site.set_text(rel, self.open.get(rel).map(String::as_str));
        }
    }

    /// When the workspace folder is not a site, the nearest folder above `uri` that is.
    fn find_site_of(&mut self, uri: &str) {
        let Some(path) = text::path_of_uri(uri) else {
            return;
        };
        let found = path
            .ancestors()
            .skip(1)
            .find(|dir| dir.join(CONFIG_FILE).is_file());
        if let Some(dir) = found {
            let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
            *self = Workspace::open(dir);
        }
    }

    /// Take in a notification; whether the diagnostics must be computed again.
    pub fn take_in(&mut self, n: Notification) -> bool {
        let uri = n.params["textDocument"]["uri"].as_str().unwrap_or_default();
        if self.site.is_none() && n.method == "textDocument/didOpen" {
            self.find_site_of(uri);
        }
        let rel = self.rel_of(uri);
        match (n.method.as_str(), rel) {
            ("textDocument/didOpen", Some(rel)) => {
                let text = n.params["textDocument"]["text"]
                    .as_str()
                    .unwrap_or_default();
                self.open.insert(rel.clone(), text.to_string());
                self.load_text(&rel);
                true
            }
            ("textDocument/didChange", Some(rel)) => {
                // Full synchronisation: the last change holds the whole text.
                let changes = n.params["contentChanges"].as_array();
                let Some(text) = changes
                    .and_then(|c| c.last())
                    .and_then(|c| c["text"].as_str())
                else {
                    return false;
                };
                self.open.insert(rel.clone(), text.to_string());
                self.load_text(&rel);
                true
            }
            ("textDocument/didClose", Some(rel)) => {
                self.open.remove(&rel);
                self.load_text(&rel);
                true
            }
            ("workspace/didChangeWatchedFiles", _) => self.files_changed(&n.params),
            _ => false,
        }
    }

    /// Files changed on disk: read them as `serve` does, except those open in the editor.
    fn files_changed(&mut self, params: &Value) -> bool {
        let changed: Vec<PathBuf> = params["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["uri"].as_str().and_then(|u| self.rel_of(u)))
            .map(|rel| self.root.join(rel))
            .collect();
        let Some(site) = self.site.as_mut() else {
            return false;
        };
        if changed.is_empty() || site.reload(&changed).is_err() {
            return false;
        }
        if let Some(config) = self.open.get(CONFIG_FILE) {
            let _ = site.set_config_text(Some(config));
        }
        for (path, text) in &self.open {
            site.set_text(path, Some(text));
        }
        true
    }

    /// Publish what reading the content finds: each file's own problems, duplicate ids,
    /// dangling references and cycles (one file parsed again, the model linked). While the
    /// content reads cleanly, what the last full check found besides stays shown until the
    /// next one replaces it. Returns whether a full check should follow.
    pub fn publish_content(&mut self) -> (Vec<Message>, bool) {
        let Some(site) = self.site.as_ref() else {
            return (Vec::new(), false);
        };
        let mut diags = site.content_diagnostics(true);
        let clean = !diags.iter().any(Diagnostic::is_error);
        if clean {
            diags.extend(self.build_findings.iter().cloned());
            diagnostics::sort(&mut diags);
        }
        (self.send_diagnostics(diags), clean)
    }

    /// Build the site without writing, as `check` does, and publish everything it finds:
    /// template errors, broken links and unusable names too. None when `stop` said to give
    /// up (the editor sent something): nothing is published and the check must run again.
    pub fn publish_checked(&mut self, stop: &(dyn Fn() -> bool + Sync)) -> Option<Vec<Message>> {
        let Some(site) = self.site.as_mut() else {
            return Some(Vec::new());
        };
        let content = site.content_diagnostics(true);
        if content.iter().any(Diagnostic::is_error) {
            return Some(self.send_diagnostics(content));
        }
        if site.check_unless(stop).interrupted {
            return None;
        }
        let all = site.diagnostics().to_vec();
        self.build_findings = only_in(&all, &content);
        Some(self.send_diagnostics(all))
    }

    /// `textDocument/publishDiagnostics` for every file whose diagnostics changed,
    /// including files that no longer have any.
    fn send_diagnostics(&mut self, diags: Vec<Diagnostic>) -> Vec<Message> {
        let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        for d in diags {
            by_file.entry(d.file.clone()).or_default().push(d);
        }
        let mut now: BTreeMap<String, Value> = BTreeMap::new();
        for (rel, diags) in by_file {
            let text = self.text_of(&rel);
            let list: Vec<Value> = diags.iter().map(|d| to_lsp(&text, d)).collect();
            now.insert(rel, Value::Array(list));
        }
        let files: BTreeSet<String> = self.published.keys().chain(now.keys()).cloned().collect();
        let mut out = Vec::new();
        for rel in files {
            let diags = now.get(&rel).cloned().unwrap_or(json!([]));
            if self.published.get(&rel) == Some(&diags) {
                continue;
            }
            out.push(notification(
                "textDocument/publishDiagnostics",
                json!({"uri": self.uri_of(&rel), "diagnostics": diags}),
            ));
        }
        self.published = now;
        out
    }

    /// The response to a request.
    pub fn answer(&self, req: Request) -> Response {
        let result = match req.method.as_str() {
            "textDocument/completion" => self.with_cursor(&req.params, |ix, cfg, cur| {
                json!(features::completion(ix, cfg, cur))
            }),
            "textDocument/hover" => self.with_cursor(&req.params, |ix, cfg, cur| {
                match features::hover(ix, cfg, cur) {
                    Some(md) => json!({"contents": {"kind": "markdown", "value": md}}),
                    None => Value::Null,
                }
            }),
            "textDocument/definition" => self.with_cursor(&req.params, |ix, _, cur| {
                match features::definition(ix, cur) {
                    Some((rel, pos)) => self.location(&rel, pos),
                    None => Value::Null,
                }
            }),
            "textDocument/references" => self.with_cursor(&req.params, |ix, _, cur| {
                let decl = req.params["context"]["includeDeclaration"].as_bool() == Some(true);
                let locations: Vec<Value> = features::references(ix, cur, decl)
                    .into_iter()
                    .map(|(rel, pos)| self.location(&rel, pos))
                    .collect();
                json!(locations)
            }),
            "textDocument/codeAction" => quick_fixes(&req.params),
            _ => {
                return Response::new_err(
                    req.id,
                    ErrorCode::MethodNotFound as i32,
                    format!("{} is not supported", req.method),
                );
            }
        };
        Response::new_ok(req.id, result)
    }

    fn with_cursor(
        &self,
        params: &Value,
        f: impl FnOnce(&Index, &crate::config::SiteConfig, &Cursor) -> Value,
    ) -> Value {
        let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
        let (Some(site), Some(rel)) = (&self.site, self.rel_of(uri)) else {
            return Value::Null;
        };
        let Ok(position) = serde_json::from_value::<Position>(params["position"].clone()) else {
            return Value::Null;
        };
        let text = self.text_of(&rel);
        let cursor = Cursor {
            rel: &rel,
            text: &text,
            position,
        };
        f(&Index::of(site), site.config(), &cursor)
    }

    fn location(&self, rel: &str, pos: Pos) -> Value {
        let range = text::range_of(&self.text_of(rel), pos);
        json!({"uri": self.uri_of(rel), "range": range})
    }
}

fn notification(method: &str, params: Value) -> Message {
    Message::Notification(Notification::new(method.to_string(), params))
}

/// A diagnostic as the protocol writes it. A "did you mean" hint travels along as the
/// replacement a quick fix makes.
fn to_lsp(text: &str, d: &Diagnostic) -> Value {
    let range = text::range_of(text, d.pos);
    let severity = match d.severity {
        Severity::Error => 1,
        Severity::Warning => 2,
    };
    let mut v = json!({
        "range": range,
        "severity": severity,
        "source": "throughline",
        "message": d.one_line(),
    });
    if let Some(replacement) = d.help.as_deref().and_then(did_you_mean) {
        v["data"] = json!({"replacement": replacement});
    }
    v
}

/// The diagnostics of `all` that are not among `some` (compared by file, place, severity
/// and message, since a build also attaches the source line).
fn only_in(all: &[Diagnostic], some: &[Diagnostic]) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| (d.file.clone(), d.pos, d.severity, d.message.clone());
    let mut counts: BTreeMap<_, usize> = BTreeMap::new();
    for d in some {
        *counts.entry(key(d)).or_default() += 1;
    }
    all.iter()
        .filter(|d| match counts.get_mut(&key(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// `X` out of "did you mean `X`?".
fn did_you_mean(help: &str) -> Option<&str> {
    help.strip_prefix("did you mean `")?.strip_suffix("`?")
}

/// A quick fix for each diagnostic with a replacement: the misspelled text → the hint.
fn quick_fixes(params: &Value) -> Value {
    let uri = params["textDocument"]["uri"].clone();
    let mut actions = Vec::new();
    for d in params["context"]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let Some(replacement) = d["data"]["replacement"].as_str() else {
            continue;
        };
        let Ok(range) = serde_json::from_value::<Range>(d["range"].clone()) else {
            continue;
        };
        let edit = TextEdit::new(range, replacement.to_string());
        let mut changes = serde_json::Map::new();
        if let Some(uri) = uri.as_str() {
            changes.insert(uri.to_string(), json!([edit]));
        }
        actions.push(json!({
            "title": format!("Replace with `{replacement}`"),
            "kind": "quickfix",
            "diagnostics": [d],
            "isPreferred": true,
            "edit": {"changes": changes},
        }));
    }
    Value::Array(actions)
}
