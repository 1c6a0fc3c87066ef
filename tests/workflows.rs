//! Shipping: the GitHub Actions workflows of this repository and the Pages workflow that
//! `throughline init` writes, read offline. Every workflow is checked for shape (jobs,
//! steps, permissions, action references, expressions); the Pages workflow for what it
//! does on pull requests and pushes, and — on Linux, by running its shell steps against a
//! fake release folder — for how it installs throughline; the release workflow, Cargo.toml's
//! binstall table and the Pages workflow for agreeing on the archive names and layout.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use throughline::commands::init::{Starter, starter_files};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(name: &str, text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
}

/// The Pages workflow exactly as `init` writes it.
fn pages_text() -> String {
    let starter = Starter {
        title: "Report".into(),
        today: jiff::civil::date(2026, 3, 1),
    };
    starter_files(&starter)
        .unwrap()
        .into_iter()
        .find(|(path, _)| *path == ".github/workflows/pages.yml")
        .expect("init writes a Pages workflow")
        .1
}

fn pages() -> Value {
    yaml("pages.yml", &pages_text())
}

/// This repository's workflows, by file name.
fn repository_workflows() -> BTreeMap<String, String> {
    let dir = root().join(".github/workflows");
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.ends_with(".yml"), "{name}: workflows here end in .yml");
        out.insert(name, fs::read_to_string(&path).unwrap());
    }
    out
}

fn release() -> Value {
    yaml("release.yml", &read(".github/workflows/release.yml"))
}

/// A `[section]` of Cargo.toml as `key = "string"` pairs (the only kind these tests read).
fn cargo_section(section: &str) -> BTreeMap<String, String> {
    let text = read("Cargo.toml");
    let header = format!("[{section}]");
    let mut inside = false;
    let mut out = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == header;
        } else if inside
            && let Some((key, value)) = line.split_once(" = ")
            && let Some(value) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'))
        {
            out.insert(key.to_string(), value.to_string());
        }
    }
    out
}

// ---- the shape of every workflow ----

const TOP_KEYS: &[&str] = &[
    "name",
    "run-name",
    "on",
    "permissions",
    "env",
    "defaults",
    "concurrency",
    "jobs",
];
const JOB_KEYS: &[&str] = &[
    "name",
    "needs",
    "runs-on",
    "permissions",
    "environment",
    "concurrency",
    "outputs",
    "env",
    "defaults",
    "if",
    "steps",
    "timeout-minutes",
    "strategy",
    "continue-on-error",
];
const STEP_KEYS: &[&str] = &[
    "id",
    "if",
    "name",
    "uses",
    "run",
    "shell",
    "with",
    "env",
    "continue-on-error",
    "timeout-minutes",
    "working-directory",
];
/// The scopes of GITHUB_TOKEN a workflow may name.
const SCOPES: &[&str] = &[
    "actions",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "models",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
];

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn check_keys(problems: &mut Vec<String>, at: &str, v: &Value, allowed: &[&str]) {
    for k in keys(v) {
        if !allowed.contains(&k.as_str()) {
            problems.push(format!("{at}: unknown key `{k}`"));
        }
    }
}

fn check_permissions(problems: &mut Vec<String>, at: &str, v: &Value) {
    match v {
        Value::String(s) if s == "read-all" || s == "write-all" => {}
        Value::Object(m) => {
            for (scope, level) in m {
                if !SCOPES.contains(&scope.as_str()) {
                    problems.push(format!("{at}: unknown permission `{scope}`"));
                }
                let ok = matches!(level.as_str(), Some("read" | "write" | "none"))
                    && !(scope == "id-token" && level == "read");
                if !ok {
                    problems.push(format!("{at}: `{scope}: {level}` is not a level"));
                }
            }
        }
        other => problems.push(format!("{at}: permissions must be a map, found {other}")),
    }
}

/// `owner/repo@ref` or `owner/repo/path@ref`, each part made of the characters GitHub allows.
fn well_formed_action(uses: &str) -> bool {
    let Some((path, reference)) = uses.split_once('@') else {
        return false;
    };
    let part = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    let segments: Vec<&str> = path.split('/').collect();
    segments.len() >= 2
        && segments.iter().all(|s| part(s))
        && !reference.is_empty()
        && reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

/// Every `${{ … }}` in a string, or an error for one left open.
fn expressions(s: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("`${{{{` without `}}}}` in {s:?}"))?;
        out.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    Ok(out)
}

/// Words such as `steps.pages.outputs` in an expression: `(context, name)` pairs.
fn references<'e>(expr: &'e str, context: &str) -> Vec<&'e str> {
    let prefix = format!("{context}.");
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = expr[i..].find(&prefix) {
        let at = i + found;
        let boundary = at == 0
            || !expr[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        let name_start = at + prefix.len();
        let len = expr[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(expr.len() - name_start);
        if boundary {
            out.push(&expr[name_start..name_start + len]);
        }
        i = name_start + len;
    }
    out
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Everything wrong with a workflow, as readable lines (empty when it is well formed).
fn problems(name: &str, wf: &Value) -> Vec<String> {
    let mut p = Vec::new();
    if !wf.is_object() {
        return vec![format!("{name}: not a map")];
    }
    check_keys(&mut p, name, wf, TOP_KEYS);
    if wf.get("on").is_none() {
        p.push(format!("{name}: no `on`"));
    }
    if let Some(perms) = wf.get("permissions") {
        check_permissions(&mut p, &format!("{name}: permissions"), perms);
    }
    let Some(jobs) = wf
        .get("jobs")
        .and_then(Value::as_object)
        .filter(|j| !j.is_empty())
    else {
        p.push(format!("{name}: no jobs"));
        return p;
    };
    let mut all = Vec::new();
    strings(wf, &mut all);
    for s in &all {
        if let Err(e) = expressions(s) {
            p.push(format!("{name}: {e}"));
        }
    }
    for (job_id, job) in jobs {
        let at = format!("{name}: job `{job_id}`");
        check_keys(&mut p, &at, job, JOB_KEYS);
        if job.get("runs-on").is_none() {
            p.push(format!("{at}: no `runs-on`"));
        }
        if let Some(perms) = job.get("permissions") {
            check_permissions(&mut p, &format!("{at}: permissions"), perms);
        }
        let needs: Vec<String> = match job.get("needs") {
            None => vec![],
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            Some(other) => {
                p.push(format!("{at}: `needs` is {other}"));
                vec![]
            }
        };
        for n in &needs {
            if n == job_id || !jobs.contains_key(n) {
                p.push(format!("{at}: needs `{n}`, which is not another job"));
            }
        }
        let matrix_keys: BTreeSet<String> = job
            .pointer("/strategy/matrix")
            .map(|m| {
                let mut k: BTreeSet<String> = keys(m).into_iter().collect();
                for entry in m
                    .get("include")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    k.extend(keys(entry));
                }
                k
            })
            .unwrap_or_default();
        let Some(steps) = job
            .get("steps")
            .and_then(Value::as_array)
            .filter(|s| !s.is_empty())
        else {
            p.push(format!("{at}: no steps"));
            continue;
        };
        let mut ids: Vec<String> = Vec::new();
        let mut job_strings = Vec::new();
        for key in [
            "if",
            "env",
            "outputs",
            "environment",
            "runs-on",
            "name",
            "strategy",
        ] {
            if let Some(v) = job.get(key) {
                strings(v, &mut job_strings);
            }
        }
        let all_ids: BTreeSet<String> = steps
            .iter()
            .filter_map(|s| s.get("id").and_then(Value::as_str).map(String::from))
            .collect();
        for (i, step) in steps.iter().enumerate() {
            let at = format!("{at} step {}", i + 1);
            check_keys(&mut p, &at, step, STEP_KEYS);
            match (step.get("uses"), step.get("run")) {
                (Some(Value::String(u)), None) => {
                    if !u.starts_with("./") && !u.starts_with("docker://") && !well_formed_action(u)
                    {
                        p.push(format!("{at}: `uses: {u}` is not owner/repo@ref"));
                    }
                }
                (None, Some(Value::String(_))) => {
                    if step.get("with").is_some() {
                        p.push(format!("{at}: `with` on a `run` step"));
                    }
                }
                _ => p.push(format!("{at}: needs exactly one of `uses` and `run`")),
            }
            let mut own = Vec::new();
            strings(step, &mut own);
            for s in &own {
                for e in expressions(s).unwrap_or_default() {
                    // A step sees the outputs of the steps before it, never its own or later ones.
                    for id in references(e, "steps") {
                        if !ids.iter().any(|x| x == id) {
                            p.push(format!("{at}: `steps.{id}` is not an earlier step"));
                        }
                    }
                    for id in references(e, "needs") {
                        if !needs.iter().any(|x| x == id) {
                            p.push(format!("{at}: `needs.{id}` is not in `needs`"));
                        }
                    }
                    for k in references(e, "matrix") {
                        if !matrix_keys.contains(k) {
                            p.push(format!("{at}: `matrix.{k}` is not in the matrix"));
                        }
                    }
                }
            }
            if let Some(id) = step.get("id").and_then(Value::as_str) {
                if ids.iter().any(|x| x == id) {
                    p.push(format!("{at}: duplicate step id `{id}`"));
                }
                ids.push(id.to_string());
            }
        }
        // Job-level fields (outputs, environment url, …) may name any step of the job.
        for s in &job_strings {
            for e in expressions(s).unwrap_or_default() {
                for id in references(e, "steps") {
                    if !all_ids.contains(id) {
                        p.push(format!("{at}: `steps.{id}` is not a step of the job"));
                    }
                }
                for k in references(e, "matrix") {
                    if !matrix_keys.contains(k) {
                        p.push(format!("{at}: `matrix.{k}` is not in the matrix"));
                    }
                }
            }
        }
    }
    p
}

#[test]
fn every_workflow_is_well_formed() {
    let mut found = Vec::new();
    let mut all = repository_workflows();
    assert!(
        all.contains_key("ci.yml") && all.contains_key("release.yml"),
        "{:?}",
        all.keys()
    );
    all.insert("init's pages.yml".into(), pages_text());
    for (name, text) in &all {
        found.extend(problems(name, &yaml(name, text)));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_shape_check_finds_what_github_would_reject() {
    let bad = yaml(
        "bad",
        r#"
on: push
permissions: {contents: reed, pagez: write}
jobs:
  a:
    needs: missing
    steps:
      - uses: actions/checkout
      - run: echo ${{ steps.later.outputs.x }}
        with: {a: 1}
      - id: later
        uses: owner@v1
        run: echo
      - run: echo ${{ matrix.os }} ${{ needs.b.outputs.v }}
      - run: echo ${{ github.ref
"#,
    );
    let found = problems("bad", &bad);
    let want = [
        "bad: permissions: `contents: \"reed\"` is not a level",
        "bad: permissions: unknown permission `pagez`",
        "bad: job `a`: no `runs-on`",
        "bad: job `a`: needs `missing`, which is not another job",
        "bad: job `a` step 1: `uses: actions/checkout` is not owner/repo@ref",
        "bad: job `a` step 2: `with` on a `run` step",
        "bad: job `a` step 2: `steps.later` is not an earlier step",
        "bad: job `a` step 3: needs exactly one of `uses` and `run`",
        "bad: job `a` step 4: `needs.b` is not in `needs`",
        "bad: job `a` step 4: `matrix.os` is not in the matrix",
    ];
    for w in want {
        assert!(
            found.iter().any(|f| f == w),
            "missing {w:?} in:\n{}",
            found.join("\n")
        );
    }
    assert!(
        found.iter().any(|f| f.contains("`${{` without `}}`")),
        "{}",
        found.join("\n")
    );
}

// ---- the Pages workflow ----

fn steps_of<'a>(wf: &'a Value, job: &str) -> &'a [Value] {
    wf["jobs"][job]["steps"].as_array().unwrap()
}

fn step_named<'a>(steps: &'a [Value], name: &str) -> (usize, &'a Value) {
    steps
        .iter()
        .enumerate()
        .find(|(_, s)| s["name"] == name)
        .unwrap_or_else(|| panic!("no step named {name:?}"))
}

fn step_using<'a>(steps: &'a [Value], action: &str) -> (usize, &'a Value) {
    steps
        .iter()
        .enumerate()
        .find(|(_, s)| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with(&format!("{action}@")))
        })
        .unwrap_or_else(|| panic!("no step uses {action}"))
}

const NOT_PR: &str = "github.event_name != 'pull_request'";

#[test]
fn pages_only_the_deploy_job_can_write_to_pages_or_mint_a_token() {
    let wf = pages();
    assert_eq!(wf["permissions"], json!({}), "nothing by default");
    let jobs = wf["jobs"].as_object().unwrap();
    assert_eq!(
        jobs.keys().collect::<Vec<_>>(),
        ["build", "deploy"],
        "two jobs"
    );
    assert_eq!(
        jobs["build"]["permissions"],
        json!({"contents": "read", "pages": "read"})
    );
    assert_eq!(
        jobs["deploy"]["permissions"],
        json!({"pages": "write", "id-token": "write"})
    );
    assert_eq!(jobs["deploy"]["needs"], "build");
    assert_eq!(jobs["deploy"]["if"], NOT_PR);
    assert_eq!(jobs["deploy"]["environment"]["name"], "github-pages");
    assert_eq!(
        jobs["deploy"]["environment"]["url"],
        "${{ steps.deployment.outputs.page_url }}"
    );
    let (_, deploy) = step_using(steps_of(&wf, "deploy"), "actions/deploy-pages");
    assert_eq!(deploy["id"], "deployment");
    // The checkout keeps no token for later steps to find.
    let (_, checkout) = step_using(steps_of(&wf, "build"), "actions/checkout");
    assert_eq!(checkout["with"]["persist-credentials"], false);
}

#[test]
fn pages_pull_requests_check_and_build_without_pages_steps_and_pushes_deploy() {
    let wf = pages();
    assert_eq!(wf["on"]["push"]["branches"], json!(["main"]));
    assert_eq!(wf["on"]["pull_request"]["branches"], json!(["main"]));
    assert!(wf["on"].get("workflow_dispatch").is_some());
    // Pushes share the `pages` group and are never cancelled; pull requests get their own.
    assert_eq!(
        wf["concurrency"]["group"],
        "${{ github.event_name == 'pull_request' && format('pages-pr-{0}', github.event.number) || 'pages' }}"
    );
    assert_eq!(
        wf["concurrency"]["cancel-in-progress"],
        "${{ github.event_name == 'pull_request' }}"
    );

    let steps = steps_of(&wf, "build");
    let (check_at, check) = step_named(steps, "Check the content");
    assert_eq!(check["run"], "throughline check --format github");
    assert!(check.get("if").is_none(), "every run checks");
    let (pages_at, configure) = step_using(steps, "actions/configure-pages");
    assert_eq!(configure["id"], "pages");
    assert_eq!(configure["if"], NOT_PR);
    let (explain_at, explain) = step_named(steps, "Explain a failed Pages setup");
    assert_eq!(
        explain["if"],
        "failure() && steps.pages.outcome == 'failure'"
    );
    assert!(
        explain["run"]
            .as_str()
            .unwrap()
            .contains("Settings → Pages and set Source to GitHub Actions, then re-run")
    );
    let (build_at, build) = step_named(steps, "Build the site");
    assert!(
        build.get("if").is_none(),
        "pull requests build the whole site too"
    );
    assert_eq!(
        build["run"],
        "throughline build --base-url \"$BASE_URL/\" --output-dir public"
    );
    // Pages' address on a push; on a pull request a placeholder under a sub-path.
    assert_eq!(
        build["env"]["BASE_URL"],
        "${{ steps.pages.outputs.base_url || 'https://pull-request.invalid/report' }}"
    );
    let (upload_at, upload) = step_using(steps, "actions/upload-pages-artifact");
    assert_eq!(upload["if"], NOT_PR);
    assert_eq!(upload["with"]["path"], "public");
    assert!(
        check_at < pages_at
            && pages_at < explain_at
            && explain_at < build_at
            && build_at < upload_at,
        "steps out of order"
    );
    // Nothing else in the build job talks to Pages.
    for s in steps {
        if let Some(u) = s["uses"].as_str() {
            assert!(
                !u.contains("pages") || s["if"] == NOT_PR,
                "{u} runs on pull requests"
            );
        }
    }
}

#[test]
fn pages_installs_a_pinned_release_cached_by_version_or_a_git_source() {
    let wf = pages();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        wf["env"]["THROUGHLINE_VERSION"],
        format!("${{{{ vars.THROUGHLINE_VERSION || '{version}' }}}}"),
        "the version that ran init, unless a repository variable says otherwise"
    );
    assert_eq!(
        wf["env"]["THROUGHLINE_GIT"],
        "${{ vars.THROUGHLINE_GIT || '' }}"
    );
    assert_eq!(
        wf["env"]["THROUGHLINE_GIT_REF"],
        "${{ vars.THROUGHLINE_GIT_REF || '' }}"
    );
    let repository = cargo_section("package")["repository"].clone();
    assert_eq!(
        wf["env"]["THROUGHLINE_RELEASES"],
        format!("{repository}/releases/download")
    );

    let steps = steps_of(&wf, "build");
    let (source_at, source) = step_named(steps, "Choose the throughline to install");
    assert_eq!(source["id"], "source");
    let (cache_at, cache) = step_using(steps, "actions/cache");
    assert_eq!(cache["id"], "cache");
    assert_eq!(cache["with"]["path"], "~/.throughline/bin");
    assert_eq!(
        cache["with"]["key"],
        "throughline-${{ runner.os }}-${{ runner.arch }}-${{ steps.source.outputs.key }}"
    );
    let (install_at, install) = step_named(steps, "Install throughline");
    assert_eq!(install["if"], "steps.cache.outputs.cache-hit != 'true'");
    let (path_at, _) = step_named(steps, "Put throughline on the PATH");
    let (check_at, _) = step_named(steps, "Check the content");
    assert!(
        source_at < cache_at && cache_at < install_at && install_at < path_at && path_at < check_at
    );
}

// ---- the Pages install steps, run for real against a fake release (Linux) ----

#[cfg(target_os = "linux")]
mod install {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;

    /// The release target this machine's runner would download.
    fn target() -> &'static str {
        match std::env::consts::ARCH {
            "aarch64" => "aarch64-unknown-linux-musl",
            _ => "x86_64-unknown-linux-musl",
        }
    }

    fn script(name: &str) -> String {
        let wf = pages();
        let (_, step) = step_named(steps_of(&wf, "build"), name);
        step["run"].as_str().unwrap().to_string()
    }

    fn write_exe(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }

    struct Runner {
        tmp: tempfile::TempDir,
    }

    struct Ran {
        ok: bool,
        stdout: String,
        stderr: String,
        outputs: BTreeMap<String, String>,
    }

    const FAKE_BINARY: &str = "#!/bin/sh\necho \"throughline from the release\"\n";

    impl Runner {
        fn new() -> Runner {
            let r = Runner {
                tmp: tempfile::tempdir().unwrap(),
            };
            fs::create_dir_all(r.path("home")).unwrap();
            // `cargo` and `git` are stand-ins that write down how they were called.
            write_exe(
                &r.path("bin/cargo"),
                "#!/bin/sh\necho \"$@\" >> \"$CALLS\"\nmkdir -p \"$HOME/.throughline/bin\"\nprintf '#!/bin/sh\\necho built\\n' > \"$HOME/.throughline/bin/throughline\"\n",
            );
            write_exe(
                &r.path("bin/git"),
                "#!/bin/sh\necho \"git $@\" >> \"$CALLS\"\nprintf '1111111111111111111111111111111111111111\\trefs/tags/v0.2.0\\n2222222222222222222222222222222222222222\\trefs/tags/v0.2.0^{}\\n'\n",
            );
            r
        }

        fn path(&self, rel: &str) -> PathBuf {
            self.tmp.path().join(rel)
        }

        /// A release `v<version>` holding this machine's archive, laid out as release.yml
        /// packs it, with its sum (or a wrong sum).
        fn publish(&self, version: &str, good_sum: bool) {
            let dir = self.path(&format!("releases/v{version}"));
            let folder = format!("throughline-{}", target());
            let stage = self.path("stage");
            write_exe(&stage.join(&folder).join("throughline"), FAKE_BINARY);
            let archive = format!("{folder}.tar.xz");
            fs::create_dir_all(&dir).unwrap();
            let tar = Command::new("tar")
                .arg("-cJf")
                .arg(dir.join(&archive))
                .arg("-C")
                .arg(&stage)
                .arg(&folder)
                .status()
                .unwrap();
            assert!(tar.success());
            let sum = Command::new("sha256sum")
                .arg(&archive)
                .current_dir(&dir)
                .output()
                .unwrap();
            let mut line = String::from_utf8(sum.stdout).unwrap();
            if !good_sum {
                line = format!("{}{}", "0".repeat(64), &line[64..]);
            }
            fs::write(dir.join(format!("{archive}.sha256")), line).unwrap();
        }

        fn run(&self, step: &str, env: &[(&str, &str)]) -> Ran {
            let outputs = self.path("outputs");
            fs::write(&outputs, "").unwrap();
            let path = format!(
                "{}:{}",
                self.path("bin").display(),
                std::env::var("PATH").unwrap_or_default()
            );
            let out = Command::new("bash")
                .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
                .arg(script(step))
                .current_dir(self.tmp.path())
                .env("PATH", path)
                .env("HOME", self.path("home"))
                .env("GITHUB_OUTPUT", &outputs)
                .env("CALLS", self.path("calls"))
                .env("THROUGHLINE_VERSION", "0.1.0")
                .env("THROUGHLINE_GIT", "")
                .env("THROUGHLINE_GIT_REF", "")
                .env(
                    "THROUGHLINE_RELEASES",
                    format!("file://{}", self.path("releases").display()),
                )
                .envs(env.iter().copied())
                .output()
                .unwrap();
            Ran {
                ok: out.status.success(),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                outputs: fs::read_to_string(&outputs)
                    .unwrap()
                    .lines()
                    .filter_map(|l| l.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            }
        }

        fn calls(&self) -> String {
            fs::read_to_string(self.path("calls")).unwrap_or_default()
        }

        fn installed(&self) -> Option<String> {
            fs::read_to_string(self.path("home/.throughline/bin/throughline")).ok()
        }
    }

    #[test]
    fn a_release_archive_is_checked_against_its_sum_and_installed_without_compiling() {
        let r = Runner::new();
        r.publish("0.1.0", true);
        let source = r.run("Choose the throughline to install", &[]);
        assert!(source.ok, "{}", source.stderr);
        assert_eq!(
            source.outputs["key"], "v0.1.0",
            "the cache is keyed by version"
        );

        let install = r.run("Install throughline", &[]);
        assert!(install.ok, "{}\n{}", install.stdout, install.stderr);
        assert!(
            install.stdout.contains(": OK"),
            "the sum was checked: {}",
            install.stdout
        );
        assert_eq!(r.installed().as_deref(), Some(FAKE_BINARY));
        let mode = fs::metadata(r.path("home/.throughline/bin/throughline"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
        assert_eq!(r.calls(), "", "neither cargo nor git ran");
    }

    #[test]
    fn an_archive_that_does_not_match_its_sum_stops_the_run_and_installs_nothing() {
        let r = Runner::new();
        r.publish("0.1.0", false);
        let install = r.run("Install throughline", &[]);
        assert!(!install.ok, "{}", install.stdout);
        assert!(
            install.stdout.contains(": FAILED") && install.stderr.contains("did NOT match"),
            "{}\n{}",
            install.stdout,
            install.stderr
        );
        assert_eq!(r.installed(), None);
        assert_eq!(
            r.calls(),
            "",
            "no fallback to building: a bad sum is not a missing release"
        );
    }

    #[test]
    fn without_a_release_archive_it_builds_the_pinned_version_from_crates_io() {
        let r = Runner::new();
        let install = r.run("Install throughline", &[]);
        assert!(install.ok, "{}", install.stderr);
        assert!(
            install
                .stdout
                .contains("::notice title=Building throughline::No prebuilt throughline 0.1.0"),
            "{}",
            install.stdout
        );
        let root = r.path("home/.throughline");
        assert_eq!(
            r.calls(),
            format!(
                "install --locked --root {} --version 0.1.0 throughline\n",
                root.display()
            )
        );
        assert_eq!(r.installed().as_deref(), Some("#!/bin/sh\necho built\n"));
    }

    #[test]
    fn a_git_source_is_resolved_to_a_commit_which_keys_the_cache_and_is_built() {
        let r = Runner::new();
        let git = [
            ("THROUGHLINE_GIT", "https://github.com/fork/throughline"),
            ("THROUGHLINE_GIT_REF", "v0.2.0"),
        ];
        let source = r.run("Choose the throughline to install", &git);
        assert!(source.ok, "{}", source.stderr);
        // The annotated tag's `^{}` line names the commit.
        let commit = "2222222222222222222222222222222222222222";
        assert_eq!(source.outputs["key"], format!("git-{commit}"));
        assert_eq!(source.outputs["commit"], commit);

        let mut env = git.to_vec();
        env.push(("COMMIT", commit));
        let install = r.run("Install throughline", &env);
        assert!(install.ok, "{}", install.stderr);
        let root = r.path("home/.throughline");
        assert_eq!(
            r.calls(),
            format!(
                "git ls-remote -- https://github.com/fork/throughline v0.2.0\ninstall --locked --root {} --git https://github.com/fork/throughline --rev {commit} throughline\n",
                root.display()
            )
        );

        // A full commit id is used as it is, without asking the remote.
        let r = Runner::new();
        let sha = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
        let source = r.run(
            "Choose the throughline to install",
            &[
                ("THROUGHLINE_GIT", "https://github.com/fork/throughline"),
                ("THROUGHLINE_GIT_REF", sha),
            ],
        );
        assert!(source.ok, "{}", source.stderr);
        assert_eq!(source.outputs["commit"], sha);
        assert_eq!(r.calls(), "");
    }

    #[test]
    fn the_release_package_step_lays_out_the_archive_the_pages_workflow_unpacks() {
        // release.yml's Package step, run on stand-in files for this machine's target.
        let wf = release();
        let (_, step) = step_named(steps_of(&wf, "build"), "Package");
        let r = Runner::new();
        let work = r.path("work");
        let target = target();
        write_exe(
            &work.join(format!("target/{target}/release/throughline")),
            FAKE_BINARY,
        );
        for f in ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            fs::write(work.join(f), f).unwrap();
        }
        let archive = format!("throughline-{target}.tar.xz");
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(step["run"].as_str().unwrap())
            .current_dir(&work)
            .env("TARGET", target)
            .env("ARCHIVE", &archive)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let listing = Command::new("tar")
            .arg("-tJf")
            .arg(work.join("dist").join(&archive))
            .output()
            .unwrap();
        let mut names: Vec<String> = String::from_utf8(listing.stdout)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        names.sort();
        let folder = format!("throughline-{target}");
        assert_eq!(
            names,
            [
                format!("{folder}/"),
                format!("{folder}/CHANGELOG.md"),
                format!("{folder}/LICENSE-APACHE"),
                format!("{folder}/LICENSE-MIT"),
                format!("{folder}/README.md"),
                format!("{folder}/throughline"),
            ]
        );
        let sum = fs::read_to_string(work.join("dist").join(format!("{archive}.sha256"))).unwrap();
        assert!(sum.ends_with(&format!("  {archive}\n")), "{sum}");

        // The Pages workflow installs from exactly that archive and sum.
        let releases = r.path("releases/v0.1.0");
        fs::create_dir_all(&releases).unwrap();
        for f in [archive.clone(), format!("{archive}.sha256")] {
            fs::copy(work.join("dist").join(&f), releases.join(&f)).unwrap();
        }
        let install = r.run("Install throughline", &[]);
        assert!(install.ok, "{}", install.stderr);
        assert_eq!(r.installed().as_deref(), Some(FAKE_BINARY));
    }
}

// ---- releases: names and layout agree everywhere ----

/// `(target, archive)` of every binary release.yml builds.
fn release_archives() -> Vec<(String, String)> {
    let wf = release();
    wf["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["target"].as_str().unwrap().to_string(),
                e["archive"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn release_builds_the_five_targets_with_cargo_dist_names() {
    let archives = release_archives();
    let targets: Vec<&str> = archives.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc",
        ]
    );
    // cargo-dist: `<name>-<target>.tar.xz`, and `.zip` on Windows.
    for (target, archive) in &archives {
        let ext = if target.contains("windows") {
            "zip"
        } else {
            "tar.xz"
        };
        assert_eq!(archive, &format!("throughline-{target}.{ext}"));
    }
    let wf = release();
    assert_eq!(
        wf["on"],
        json!({"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+*"]}})
    );
    assert_eq!(wf["permissions"], json!({"contents": "read"}));
    // Only the job that creates the release may write to the repository.
    for (id, job) in wf["jobs"].as_object().unwrap() {
        let writes = job["permissions"]["contents"] == "write";
        assert_eq!(writes, id == "release", "job {id}");
    }
    let (_, publish) = step_named(steps_of(&wf, "crate"), "Publish on crates.io");
    assert_eq!(publish["if"], "env.CARGO_REGISTRY_TOKEN != ''");
    assert_eq!(
        wf["jobs"]["crate"]["env"]["CARGO_REGISTRY_TOKEN"],
        "${{ secrets.CARGO_REGISTRY_TOKEN }}"
    );
}

#[test]
fn binstall_fetches_the_archives_release_builds() {
    let package = cargo_section("package");
    let binstall = cargo_section("package.metadata.binstall");
    let windows = cargo_section("package.metadata.binstall.overrides.x86_64-pc-windows-msvc");
    let version = env!("CARGO_PKG_VERSION");
    for (target, archive) in release_archives() {
        let on_windows = target.contains("windows");
        let fmt = if on_windows {
            &windows["pkg-fmt"]
        } else {
            &binstall["pkg-fmt"]
        };
        let suffix = match fmt.as_str() {
            "txz" => ".tar.xz",
            "zip" => ".zip",
            other => panic!("pkg-fmt {other}"),
        };
        let url = binstall["pkg-url"]
            .replace("{ repo }", &package["repository"])
            .replace("{ version }", version)
            .replace("{ name }", "throughline")
            .replace("{ target }", &target)
            .replace("{ archive-suffix }", suffix);
        assert_eq!(
            url,
            format!(
                "{}/releases/download/v{version}/{archive}",
                package["repository"]
            )
        );
        // A .tar.xz holds `<name>-<target>/`, a zip holds the files at its root.
        let bin_dir = if on_windows {
            &windows["bin-dir"]
        } else {
            &binstall["bin-dir"]
        };
        let bin_dir = bin_dir
            .replace("{ name }", "throughline")
            .replace("{ target }", &target)
            .replace("{ bin }", "throughline")
            .replace("{ binary-ext }", if on_windows { ".exe" } else { "" });
        let expected = match archive.strip_suffix(".tar.xz") {
            Some(folder) => format!("{folder}/throughline"),
            None => "throughline.exe".to_string(),
        };
        assert_eq!(bin_dir, expected, "{target}");
    }
}

#[test]
fn the_pages_workflow_downloads_only_archives_that_release_builds() {
    let wf = pages();
    let (_, install) = step_named(steps_of(&wf, "build"), "Install throughline");
    let script = install["run"].as_str().unwrap();
    assert!(
        script.contains("archive=\"throughline-$target.tar.xz\""),
        "{script}"
    );
    assert!(script.contains("url=\"$THROUGHLINE_RELEASES/v$THROUGHLINE_VERSION/$archive\""));
    assert!(script.contains("cp \"$tmp/throughline-$target/throughline\""));
    let built: BTreeSet<String> = release_archives().into_iter().map(|(t, _)| t).collect();
    let named: Vec<&str> = script
        .lines()
        .filter_map(|l| {
            l.split_once(") target=")
                .map(|(_, t)| t.trim_end_matches(" ;;"))
        })
        .filter(|t| *t != "none")
        .collect();
    assert_eq!(named.len(), 4, "{named:?}");
    for t in named {
        assert!(built.contains(t), "{t} is not built by release.yml");
    }
}

// ---- the crate and its documents ----

#[test]
fn the_crate_says_what_it_is_and_how_it_is_licensed() {
    let package = cargo_section("package");
    for key in [
        "description",
        "license",
        "repository",
        "readme",
        "rust-version",
    ] {
        assert!(
            package.get(key).is_some_and(|v| !v.is_empty()),
            "Cargo.toml has no {key}"
        );
    }
    assert_eq!(package["license"], "MIT OR Apache-2.0");
    assert!(read("LICENSE-MIT").starts_with("MIT License\n"));
    let apache = read("LICENSE-APACHE");
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));
}

#[test]
fn the_changelog_has_a_section_for_this_version() {
    let changelog = read("CHANGELOG.md");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        changelog
            .lines()
            .any(|l| l.starts_with(&format!("## [{version}] - "))),
        "CHANGELOG.md needs `## [{version}] - <date>`"
    );
    assert!(changelog.contains("## [Unreleased]"));
}

/// The first ```yaml block after `marker` in a Markdown file.
fn yaml_block_after(doc: &str, marker: &str) -> String {
    let after = doc
        .split_once(marker)
        .unwrap_or_else(|| panic!("no {marker:?}"))
        .1;
    let start = after.find("```yaml\n").expect("a ```yaml block") + "```yaml\n".len();
    let end = after[start..].find("\n```").expect("the block ends") + start;
    format!("{}\n", &after[start..end])
}

#[test]
fn the_docs_carry_the_workflow_init_writes() {
    let doc = read("docs/publishing.md");
    let shown = yaml_block_after(&doc, "<!-- the file `throughline init` writes -->");
    assert!(
        shown == pages_text(),
        "docs/publishing.md's copy of .github/workflows/pages.yml differs from the one init writes ({} and {} bytes)",
        shown.len(),
        pages_text().len()
    );
}

#[test]
fn the_readme_says_to_set_the_pages_source_before_the_first_push() {
    let readme = read("README.md");
    let section = readme
        .split("\n## Publishing to GitHub Pages\n")
        .nth(1)
        .expect("README has a Publishing to GitHub Pages section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let source = section
        .find("Settings → Pages → Source: GitHub Actions")
        .expect("the Pages setting");
    let push = section.find("git push").expect("the push");
    assert!(source < push, "the setting comes before the push");
    assert!(
        section.contains("Get Pages site failed"),
        "what the wrong order looks like"
    );
    assert!(
        section.contains("THROUGHLINE_GIT"),
        "the git-source variable"
    );
    assert!(section.contains("docs/publishing.md"));
}
