//! Running the real binary on a site in a temporary folder.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

#[path = "../common/mod.rs"]
mod common;
pub use common::copy_dir;
use tempfile::TempDir;

/// How long one run may take before the test calls it a hang: far beyond any run's time on a
/// loaded machine, so that only a hang reaches it.
const TIMEOUT: Duration = Duration::from_secs(300);

/// A site folder in a temporary directory, removed when dropped.
pub struct Site {
    dir: TempDir,
}

/// What one run of the binary printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// One entry of `check --format json`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Diag {
    pub severity: String,
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl Site {
    /// An empty folder (no site.yaml).
    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("create a temporary folder"),
        }
    }

    /// A copy of `tests/<fixture>` (e.g. `invalid/unknown-field`).
    pub fn fixture(fixture: &str) -> Site {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join(fixture);
        assert!(from.is_dir(), "no fixture folder {}", from.display());
        let site = Site::empty();
        copy_dir(&from, site.path());
        site
    }

    /// A copy of the example report at the repository root (site.yaml and content/).
    pub fn example() -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Site::empty();
        std::fs::copy(root.join("site.yaml"), site.path().join("site.yaml"))
            .expect("copy site.yaml");
        copy_dir(&root.join("content"), &site.path().join("content"));
        site
    }

    /// Write (or overwrite) a file, creating its folders.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Site {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, contents).expect("write a site file");
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Run `throughline <args>` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// `throughline check --format json`: the exit code and the parsed diagnostics.
    pub fn check_json(&self, extra: &[&str]) -> (i32, Vec<Diag>) {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        let diags: Vec<Diag> = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not a JSON list of diagnostics ({e}):\n{}\nstderr:\n{}",
                run.stdout, run.stderr
            )
        });
        (run.code, diags)
    }
}

/// Run the binary with `cwd` as working directory, failing the test if it takes too long.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start throughline");
    // Drain both pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for throughline") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("throughline {args:?} did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = String::from_utf8_lossy(&out_thread.join().expect("stdout reader")).into_owned();
    let stderr = String::from_utf8_lossy(&err_thread.join().expect("stderr reader")).into_owned();
    let code = status
        .code()
        .unwrap_or_else(|| panic!("throughline {args:?} was killed by a signal: {stderr}"));
    Run {
        code,
        stdout,
        stderr,
    }
}

/// What a diagnostic is expected to be: severity, file, line, column, and a piece of its
/// message.
pub type Want<'a> = (&'a str, &'a str, u32, u32, &'a str);

/// Assert that `diags` are exactly `want`, in order (the program sorts by file and position).
#[track_caller]
pub fn assert_diags(diags: &[Diag], want: &[Want]) {
    let show = || {
        diags
            .iter()
            .map(|d| {
                format!(
                    "  {} {}:{}:{} {}",
                    d.severity, d.file, d.line, d.col, d.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        diags.len(),
        want.len(),
        "expected {} diagnostics, got:\n{}",
        want.len(),
        show()
    );
    for (d, (severity, file, line, col, text)) in diags.iter().zip(want) {
        let got = (d.severity.as_str(), d.file.as_str(), d.line, d.col);
        assert_eq!(
            got,
            (*severity, *file, *line, *col),
            "diagnostic `{}` is not where expected; all:\n{}",
            d.message,
            show()
        );
        assert!(
            d.message.contains(text),
            "expected the message at {}:{}:{} to contain {text:?}, got {:?}",
            d.file,
            d.line,
            d.col,
            d.message
        );
    }
}

/// Check a fixture from `tests/invalid/<case>` and compare with `want`; returns the exit code.
#[track_caller]
pub fn check_invalid(case: &str, want: &[Want]) -> i32 {
    let site = Site::fixture(&format!("invalid/{case}"));
    let (code, diags) = site.check_json(&[]);
    assert_diags(&diags, want);
    code
}
