//! The Pages workflow's install steps, run for real with bash against a fake release folder
//! and a real git repository (`file://` URLs), with a stand-in for `cargo` that writes down
//! how it was called; and release.yml's packing step, whose archive they must unpack.
//! Linux only: the steps run on GitHub's Linux runners.
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{pages, release, step_named, steps_of};

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
        // `cargo` is a stand-in that writes down how it was called.
        write_exe(
            &r.path("bin/cargo"),
            "#!/bin/sh\necho \"$@\" >> \"$CALLS\"\nmkdir -p \"$HOME/.throughline/bin\"\nprintf '#!/bin/sh\\necho built\\n' > \"$HOME/.throughline/bin/throughline\"\n",
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
    assert_eq!(r.calls(), "", "cargo did not run");
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

/// Run git in `dir` with a fixed identity; its standard output, trimmed.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Fork", "-c", "user.email=fork@example.com"])
        .args(["-c", "init.defaultBranch=main", "-c", "tag.gpgSign=false"])
        .args(["-c", "commit.gpgSign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn a_git_source_is_resolved_to_a_commit_which_keys_the_cache_and_is_built() {
    let r = Runner::new();
    // A fork with two commits: the annotated tag v0.2.0 on the first, main on the second.
    let fork = r.path("fork");
    fs::create_dir_all(&fork).unwrap();
    git(&fork, &["init", "-q"]);
    git(&fork, &["commit", "-q", "--allow-empty", "-m", "first"]);
    git(&fork, &["tag", "-a", "v0.2.0", "-m", "throughline 0.2.0"]);
    git(&fork, &["commit", "-q", "--allow-empty", "-m", "second"]);
    let tagged = git(&fork, &["rev-parse", "v0.2.0^{commit}"]);
    let tag_object = git(&fork, &["rev-parse", "v0.2.0"]);
    let head = git(&fork, &["rev-parse", "HEAD"]);
    assert_ne!(tagged, tag_object);
    let url = format!("file://{}", fork.display());

    let resolve = |reference: &str| {
        r.run(
            "Choose the throughline to install",
            &[
                ("THROUGHLINE_GIT", url.as_str()),
                ("THROUGHLINE_GIT_REF", reference),
            ],
        )
    };
    // An annotated tag names the commit it points at, not the tag object.
    let source = resolve("v0.2.0");
    assert!(source.ok, "{}", source.stderr);
    assert_eq!(source.outputs["key"], format!("git-{tagged}"));
    assert_eq!(source.outputs["commit"], tagged);
    // A branch, and no ref at all (the default branch), name their newest commit.
    assert_eq!(resolve("main").outputs["commit"], head);
    assert_eq!(resolve("").outputs["commit"], head);
    // A name the repository does not have stops the run with an annotation.
    let missing = resolve("v9.9.9");
    assert!(!missing.ok);
    assert!(
        missing
            .stdout
            .contains("::error title=throughline source not found::"),
        "{}",
        missing.stdout
    );
    // A full commit id is used as it is, without asking the remote.
    let sha = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    let direct = r.run(
        "Choose the throughline to install",
        &[
            ("THROUGHLINE_GIT", "file:///nowhere"),
            ("THROUGHLINE_GIT_REF", sha),
        ],
    );
    assert!(direct.ok, "{}", direct.stderr);
    assert_eq!(direct.outputs["commit"], sha);

    let install = r.run(
        "Install throughline",
        &[
            ("THROUGHLINE_GIT", url.as_str()),
            ("COMMIT", tagged.as_str()),
        ],
    );
    assert!(install.ok, "{}", install.stderr);
    assert_eq!(
        r.calls(),
        format!(
            "install --locked --root {} --git {url} --rev {tagged} throughline\n",
            r.path("home/.throughline").display()
        )
    );
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
