//! The shape of every workflow: keys, jobs, steps, permissions, action references and
//! the names expressions refer to, checked the way GitHub would reject a file.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::{pages_text, repository_workflows, yaml};

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
