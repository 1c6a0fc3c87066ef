//! Content, site.yaml, static files and themes are untrusted (a pull request can change
//! them): nothing in them makes throughline delete, overwrite, read or publish anything
//! outside the site. Each case builds in a sandbox: a temporary folder holding the site in
//! `site/` and the things an attacker would aim at beside it; nothing outside it is touched.

use std::path::{Path, PathBuf};

use crate::support::{Run, copy_dir, run_in};

/// A temporary folder with the example report in `site/` and a folder of someone's work,
/// `victim/`, beside it.
struct Sandbox {
    dir: tempfile::TempDir,
}

const PRECIOUS: &str = "years of work";
const SECRET: &str = "SECRET-TOKEN-4f9a";

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = dir.path().join("site");
        copy_dir(&repo.join("content"), &site.join("content"));
        std::fs::copy(repo.join("site.yaml"), site.join("site.yaml")).expect("site.yaml");
        let sandbox = Sandbox { dir };
        sandbox.write("victim/precious.txt", PRECIOUS);
        sandbox.write("secret.txt", &format!("{SECRET}\nroot:x:0:0\n"));
        sandbox
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_default()
    }

    /// `throughline <args> --root site`, run from the sandbox folder.
    fn run(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.extend(["--root", "site"]);
        run_in(self.dir.path(), &all)
    }

    #[cfg(unix)]
    fn link(&self, target: &str, rel: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, path).expect("symlink");
    }

    #[cfg(unix)]
    fn fifo(&self, rel: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo");
        assert!(status.success());
    }

    /// Set one `key: value` line of site.yaml, at its end.
    fn set_in_site_yaml(&self, line: &str) {
        let key = line.split(':').next().unwrap_or_default();
        let text: String = self
            .read("site/site.yaml")
            .lines()
            .filter(|l| !l.starts_with(&format!("{key}:")))
            .map(|l| format!("{l}\n"))
            .collect();
        self.write("site/site.yaml", &format!("{text}{line}\n"));
    }

    /// Every file under the sandbox with its bytes: what must not change.
    fn files_outside_site(&self) -> Vec<(String, Vec<u8>)> {
        fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let path = e.path();
                let rel = path
                    .strip_prefix(base)
                    .expect("inside")
                    .to_string_lossy()
                    .to_string();
                if rel == "site" {
                    continue;
                }
                let meta = std::fs::symlink_metadata(&path).expect("meta");
                if meta.is_dir() {
                    walk(base, &path, out);
                } else if meta.is_file() {
                    out.push((rel, std::fs::read(&path).expect("read")));
                } else {
                    out.push((rel, Vec::new()));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.dir.path(), self.dir.path(), &mut out);
        out.sort();
        out
    }
}

#[track_caller]
fn assert_refused(run: &Run, words: &str) {
    assert_eq!(run.code, 2, "not refused: {}", run.stderr);
    assert!(run.stderr.contains(words), "{}", run.stderr);
    // One clear line.
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
}

#[test]
fn an_output_dir_through_a_missing_folder_and_back_up_is_refused() {
    let sb = Sandbox::new();
    let before = sb.files_outside_site();
    // site/nonexist/../../victim is victim/, beside the site and not made by throughline.
    let run = sb.run(&["build", "--output-dir", "site/nonexist/../../victim"]);
    assert_refused(&run, "not made by throughline");
    assert_eq!(sb.read("victim/precious.txt"), PRECIOUS);
    // site/nonexist/../content is the content folder; site/nonexist/../../site the site.
    let run = sb.run(&["build", "--output-dir", "site/nonexist/../content"]);
    assert_refused(&run, "content/ folder");
    let run = sb.run(&["build", "--output-dir", "site/nonexist/../../site"]);
    assert_refused(&run, "the site folder");
    assert!(
        sb.path("site/content/roadmap/sepa-direct-debit.md")
            .is_file()
    );
    assert!(
        !sb.path("site/nonexist").exists(),
        "a refused build created folders"
    );
    assert_eq!(sb.files_outside_site(), before);
}

#[test]
fn output_dir_in_site_yaml_must_stay_inside_the_site() {
    for dir in ["public/../../victim", "../victim", "/tmp/victim"] {
        let sb = Sandbox::new();
        let before = sb.files_outside_site();
        sb.set_in_site_yaml(&format!("output_dir: {dir}"));
        let line = sb.read("site/site.yaml").lines().count();
        for command in ["check", "build"] {
            let run = sb.run(&[command]);
            assert_eq!(
                run.code, 1,
                "{command} with output_dir {dir}: {}",
                run.stderr
            );
            assert!(
                run.stderr.contains(&format!("site.yaml:{line}:13")),
                "{command}: {}",
                run.stderr
            );
            assert!(
                run.stderr.contains("invalid `output_dir`"),
                "{}",
                run.stderr
            );
        }
        assert_eq!(sb.files_outside_site(), before, "output_dir: {dir}");
    }
}

#[cfg(unix)]
#[test]
fn output_dir_in_site_yaml_through_a_link_out_of_the_site_is_refused() {
    let sb = Sandbox::new();
    let before = sb.files_outside_site();
    // Inside the site as written, outside once the link is followed.
    sb.link("../victim", "site/elsewhere");
    sb.set_in_site_yaml("output_dir: elsewhere/out");
    let run = sb.run(&["build"]);
    assert_refused(&run, "outside the site folder");
    assert_eq!(sb.files_outside_site(), before);
}

#[test]
fn the_command_line_may_build_outside_but_never_over_an_unrelated_old_folder() {
    let sb = Sandbox::new();
    // A folder of someone's that happens to be called like the swap's leftovers.
    sb.write(".out.old/keep.txt", "mine");
    sb.write(".out.new-abc/keep.txt", "mine too");
    for _ in 0..2 {
        let run = sb.run(&["build", "--output-dir", "out"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(sb.path("out/index.html").is_file());
    assert_eq!(sb.read(".out.old/keep.txt"), "mine");
    assert_eq!(sb.read(".out.new-abc/keep.txt"), "mine too");
    // Nothing else was left beside the output.
    let mut names: Vec<String> = std::fs::read_dir(sb.path(""))
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".out"))
        .collect();
    names.sort();
    assert_eq!(names, [".out.new-abc", ".out.old"]);
}

#[test]
fn leftovers_of_an_interrupted_build_are_cleared() {
    let sb = Sandbox::new();
    assert_eq!(sb.run(&["build"]).code, 0);
    // What a build killed during its swap leaves: its staging folder and the old output,
    // both carrying the marker.
    for leftover in ["site/.public.new-x1y2z3", "site/.public.old"] {
        sb.write(&format!("{leftover}/.throughline"), "made by throughline");
        sb.write(&format!("{leftover}/roadmap/index.html"), "old");
    }
    let run = sb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!sb.path("site/.public.new-x1y2z3").exists());
    assert!(!sb.path("site/.public.old").exists());
    assert!(sb.path("site/public/index.html").is_file());
}

#[test]
fn a_file_where_the_output_folder_should_be_is_refused() {
    let sb = Sandbox::new();
    sb.write("victim.txt", PRECIOUS);
    let run = sb.run(&["build", "--output-dir", "victim.txt"]);
    assert_refused(&run, "it exists and is a file, not a folder");
    assert_eq!(sb.read("victim.txt"), PRECIOUS);
}

#[cfg(unix)]
#[test]
fn a_fifo_where_the_output_folder_should_be_is_refused() {
    let sb = Sandbox::new();
    sb.fifo("pipe");
    let run = sb.run(&["build", "--output-dir", "pipe"]);
    assert_refused(&run, "it exists and is a FIFO (named pipe), not a folder");
    let meta = std::fs::symlink_metadata(sb.path("pipe")).expect("still there");
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()));
    assert!(!sb.path(".pipe.old").exists());
}

#[test]
fn the_root_of_the_file_system_and_the_home_folder_are_refused() {
    let sb = Sandbox::new();
    assert_refused(&sb.run(&["build", "--output-dir", "/"]), "file system root");
    // HOME pointed at a folder of the sandbox, so that a broken guard could only hurt that.
    let home = sb.path("home");
    std::fs::create_dir_all(home.join("notes")).expect("mkdir");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_throughline"))
        .args(["build", "--root", "site", "--output-dir"])
        .arg(&home)
        .current_dir(sb.path(""))
        .env("HOME", &home)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("home folder"));
    assert!(home.join("notes").is_dir());
}

#[cfg(unix)]
#[test]
fn static_files_linked_out_of_the_site_are_not_published() {
    let sb = Sandbox::new();
    let secret = sb.path("secret.txt");
    sb.link(secret.to_str().expect("utf-8"), "site/static/shadow");
    sb.link("/proc/self/environ", "site/static/env.txt");
    sb.link("../../victim", "site/static/docs");
    let run = sb.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (link, target) in [
        ("static/shadow", secret.display().to_string()),
        ("static/env.txt", "/proc/self/environ".to_string()),
        ("static/docs", "../../victim".to_string()),
    ] {
        let error = format!(
            "error: a link to {target}, outside the site folder: throughline does not read outside the site\n--> {link}:1:1"
        );
        assert!(run.stderr.contains(&error), "{link}: {}", run.stderr);
    }
    assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
    assert!(!sb.path("site/public").exists());
}

#[cfg(unix)]
#[test]
fn content_linked_out_of_the_site_is_an_error_that_reads_nothing() {
    let sb = Sandbox::new();
    let secret = sb.path("secret.txt");
    sb.link(
        secret.to_str().expect("utf-8"),
        "site/content/pages/passwd.md",
    );
    sb.write(
        "outside/pages/leak.md",
        &format!("---\ntitle: {SECRET}\n---\n"),
    );
    sb.link("../../../outside/pages", "site/content/pages/more");
    for command in ["check", "build"] {
        let run = sb.run(&[command]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("content/pages/passwd.md"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("content/pages/more"), "{}", run.stderr);
        assert!(
            run.stderr.contains("outside the site folder"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
        assert!(!run.stderr.contains("root:x"), "{}", run.stderr);
    }
    assert!(!sb.path("site/public").exists());
}

#[cfg(unix)]
#[test]
fn links_inside_the_site_keep_working() {
    let sb = Sandbox::new();
    sb.write("site/assets/brand.css", "body { color: teal }");
    sb.link("../assets", "site/static/brand");
    sb.write(
        "site/shared/handbook.md",
        "---\ntitle: Team handbook\n---\nHow we plan.\n",
    );
    sb.link("../../shared/handbook.md", "site/content/pages/handbook.md");
    let run = sb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        sb.read("site/public/brand/brand.css"),
        "body { color: teal }"
    );
    assert!(
        sb.read("site/public/pages/handbook/index.html")
            .contains("How we plan."),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn two_links_up_the_tree_do_not_hang_the_build() {
    let sb = Sandbox::new();
    sb.link("..", "site/static/a");
    sb.link("..", "site/static/b");
    let run = sb.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Each link is reported once, and neither is walked.
    for link in ["static/a", "static/b"] {
        assert_eq!(
            run.stderr.matches(&format!("--> {link}")).count(),
            1,
            "{}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("a link to a folder that is already read")
    );
    assert!(!sb.path("site/public/a").exists());
    assert!(!sb.path("site/public/b").exists());
}

#[cfg(unix)]
#[test]
fn fifos_in_the_site_are_skipped_with_a_warning_and_never_opened() {
    let sb = Sandbox::new();
    // Opening either for reading would block the build forever.
    sb.fifo("site/content/roadmap/pipe.md");
    sb.fifo("site/static/pipe.css");
    sb.fifo("site/templates/pipe.html");
    for command in ["check", "build"] {
        let run = sb.run(&[command]);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("content/roadmap/pipe.md"),
            "{command}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("a FIFO (named pipe) is not a file throughline reads")
        );
    }
    let run = sb.run(&["build"]);
    assert!(run.stderr.contains("static/pipe.css"), "{}", run.stderr);
    assert!(run.stderr.contains("templates/pipe.html"), "{}", run.stderr);
    assert!(!sb.path("site/public/pipe.css").exists());
}

#[test]
fn a_content_file_over_the_size_limit_is_an_error_unless_site_yaml_raises_it() {
    let sb = Sandbox::new();
    // 11 MiB of body: over the default limit of 10 MiB.
    let body = "x".repeat(11 * 1024 * 1024);
    sb.write(
        "site/content/pages/huge.md",
        &format!("---\ntitle: Huge\n---\n{body}\n"),
    );
    let run = sb.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the file is 11 MiB, over the limit of 10 MiB"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/pages/huge.md"),
        "{}",
        run.stderr
    );
    sb.set_in_site_yaml("max_file_size: 20 MiB");
    let run = sb.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_bad_max_file_size_is_an_error_at_its_line() {
    let sb = Sandbox::new();
    sb.set_in_site_yaml("max_file_size: lots");
    let line = sb.read("site/site.yaml").lines().count();
    let run = sb.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("site.yaml:{line}:16")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("invalid `max_file_size`"),
        "{}",
        run.stderr
    );
}
