//! Shipping: the GitHub Actions workflows of this repository and the Pages workflow that
//! `throughline init` writes, read offline. Every workflow is checked for shape (jobs,
//! steps, permissions, action references, expressions); the Pages workflow for what it
//! does on pull requests and pushes, and — on Linux, by running its shell steps against a
//! fake release folder — for how it installs throughline; the release workflow, Cargo.toml's
//! binstall table and the Pages workflow for agreeing on the archive names and layout.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;
use throughline::commands::init::{Starter, starter_files};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(rel: &str) -> String {
    fs::read_to_string(root().join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .replace("\r\n", "\n")
}

pub fn yaml(name: &str, text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
}

/// The Pages workflow exactly as `init` writes it.
pub fn pages_text() -> String {
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

pub fn pages() -> Value {
    yaml("pages.yml", &pages_text())
}

/// This repository's workflows, by file name.
pub fn repository_workflows() -> BTreeMap<String, String> {
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

pub fn release() -> Value {
    yaml("release.yml", &read(".github/workflows/release.yml"))
}

/// A `[section]` of Cargo.toml as `key = "string"` pairs (the only kind these tests read).
pub fn cargo_section(section: &str) -> BTreeMap<String, String> {
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

/// The steps of a job.
pub fn steps_of<'a>(wf: &'a Value, job: &str) -> &'a [Value] {
    wf["jobs"][job]["steps"].as_array().unwrap()
}

/// The step with this `name`, and its index.
pub fn step_named<'a>(steps: &'a [Value], name: &str) -> (usize, &'a Value) {
    steps
        .iter()
        .enumerate()
        .find(|(_, s)| s["name"] == name)
        .unwrap_or_else(|| panic!("no step named {name:?}"))
}

mod documents;
mod install;
mod pages;
mod release;
mod shape;
