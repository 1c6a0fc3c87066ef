//! Releases: release.yml's targets and archive names, Cargo.toml's binstall table and the
//! Pages workflow's download agree.

use std::collections::BTreeSet;

use serde_json::json;

use crate::{cargo_section, pages, release, step_named, steps_of};

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
