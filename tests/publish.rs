//! Publishing: `throughline init` and the files every
//! build makes for the outside world (atom.xml, sitemap.xml, robots.txt, .nojekyll, CNAME,
//! 404.html), checked by running the real binary on a temporary copy of a site.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

mod common;
use common::copy_dir;

const BASE: &str = "https://acme.github.io/report/";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn throughline(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The `publish` fixture, copied to a temp dir and built with `args`.
fn build_fixture(args: &[&str]) -> (tempfile::TempDir, PathBuf, Run) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publish"),
        &site,
    );
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = throughline(&site, &all);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    (tmp, site, run)
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn warning_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect()
}

/// Every page of a built site, as its URL under `base`.
fn page_urls(public: &Path, base: &str) -> BTreeSet<String> {
    fn walk(dir: &Path, rel: &str, base: &str, out: &mut BTreeSet<String>) {
        for name in listing(dir) {
            let path = dir.join(&name);
            if path.is_dir() {
                walk(&path, &format!("{rel}{name}/"), base, out);
            } else if name == "index.html" {
                out.insert(format!("{base}{rel}"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(public, "", base, &mut out);
    out
}

// ---- init ----

#[test]
fn init_then_check_and_build_are_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let run = throughline(tmp.path(), &["init", "product-report"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("cd product-report"), "{}", run.stdout);
    assert!(run.stdout.contains("throughline serve"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("Settings → Pages → Source: GitHub Actions"),
        "{}",
        run.stdout
    );

    let site = tmp.path().join("product-report");
    for file in [
        "site.yaml",
        ".gitignore",
        ".github/workflows/pages.yml",
        "content/pages/about.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    // Editor support: every schema the VS Code settings map is there, for files that are.
    let settings: Value = serde_json::from_str(&read(&site.join(".vscode/settings.json"))).unwrap();
    let mapped = settings["yaml.schemas"].as_object().unwrap();
    assert_eq!(mapped.len(), 2);
    for (schema, globs) in mapped {
        let schema: Value = serde_json::from_str(&read(&site.join(schema))).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert!(!globs.as_array().unwrap().is_empty());
    }
    assert_eq!(
        listing(&site.join("schemas")),
        [
            "outcome.schema.json",
            "postmortem.schema.json",
            "roadmap.schema.json",
            "site.schema.json"
        ]
    );
    let extensions: Value =
        serde_json::from_str(&read(&site.join(".vscode/extensions.json"))).unwrap();
    assert_eq!(extensions["recommendations"], json!(["redhat.vscode-yaml"]));
    assert_eq!(listing(&site.join("content/roadmap")).len(), 4);
    assert_eq!(listing(&site.join("content/outcomes")).len(), 2);
    assert_eq!(listing(&site.join("content/postmortems")).len(), 2);
    assert!(read(&site.join("site.yaml")).contains("\ntitle: \"Product report\"\n"));
    assert!(
        read(&site.join(".gitignore"))
            .lines()
            .any(|l| l == "/public/")
    );

    let check = throughline(&site, &["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert_eq!(check.stderr, "check: no problems found\n");
    let strict = throughline(&site, &["check", "--strict", "--format", "github"]);
    assert_eq!(strict.code, Some(0), "{}", strict.stdout);
    assert_eq!(strict.stdout, "");

    let build = throughline(&site, &["build", "--base-url", BASE]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert_eq!(warning_lines(&build.stderr), Vec::<&str>::new());
    assert_eq!(build.stderr.lines().count(), 1, "{}", build.stderr);
    assert!(build.stderr.contains(" 0 warnings "), "{}", build.stderr);

    // The sample's two post-mortems and two shipped items are all in the feed.
    let atom = read(&site.join("public/atom.xml"));
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let entries = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .count();
    assert_eq!(entries, 4);
}

#[test]
fn init_refuses_a_non_empty_folder_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("notes");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("todo.txt"), "mine").unwrap();

    let run = throughline(tmp.path(), &["init", "notes"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert!(run.stderr.contains("todo.txt"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(listing(&dir), vec!["todo.txt"]);
    assert_eq!(read(&dir.join("todo.txt")), "mine");

    // The same from inside the folder.
    let run = throughline(&dir, &["init"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(listing(&dir), vec!["todo.txt"]);

    // A file is not a folder.
    let run = throughline(tmp.path(), &["init", "notes/todo.txt"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("not a folder"), "{}", run.stderr);
    assert_eq!(listing(tmp.path()), vec!["notes"]);
}

#[test]
fn init_accepts_an_empty_current_folder_and_a_fresh_clone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("q3_report");
    fs::create_dir(&dir).unwrap();
    let run = throughline(&dir, &["init", "."]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stdout.contains("cd "), "{}", run.stdout);
    assert!(read(&dir.join("site.yaml")).contains("\ntitle: \"Q3 report\"\n"));

    // A folder holding only .git, as after `git init` or a clone of an empty repository.
    let clone = tmp.path().join("it's \"ours\"");
    fs::create_dir_all(clone.join(".git")).unwrap();
    let run = throughline(tmp.path(), &["init", "it's \"ours\""]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains(r#"cd 'it'\''s "ours"'"#),
        "{}",
        run.stdout
    );
    let check = throughline(&clone, &["check"]);
    assert_eq!(check.stderr, "check: no problems found\n");
    assert!(read(&clone.join("site.yaml")).contains(r#"title: "It's \"ours\"""#));
}

#[test]
fn site_yaml_options_shown_in_comments_are_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let run = throughline(tmp.path(), &["init", "r"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let site = tmp.path().join("r");
    let text = read(&site.join("site.yaml"));
    // Option lines are `# key: …`, `#   key: …` or `#   - …`; prose starts with a capital.
    let uncommented: Vec<String> = text
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest)
                if rest.trim_start().starts_with("- ")
                    || rest.trim_start().split_once(':').is_some_and(|(k, _)| {
                        !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    }) =>
            {
                rest.to_string()
            }
            _ => line.to_string(),
        })
        .collect();
    let uncommented = uncommented.join("\n");
    for key in [
        "base_url:",
        "as_of:",
        "timezone:",
        "quarter_start_month:",
        "capacity_targets:",
        "action_item_slo_days:",
        "severities:",
        "links:",
        "theme:",
        "output_dir:",
        "allow_html:",
    ] {
        assert!(
            uncommented.lines().any(|l| l.starts_with(key)),
            "{key} is not shown"
        );
    }
    fs::write(site.join("site.yaml"), &uncommented).unwrap();
    let check = throughline(&site, &["check"]);
    assert_eq!(check.stderr, "check: no problems found\n", "{uncommented}");
}

// The Pages workflow itself: tests/workflows.rs.

// ---- what every build writes ----

#[test]
fn feed_and_sitemap_have_absolute_urls_under_a_sub_path() {
    let (_tmp, site, run) = build_fixture(&["--base-url", BASE]);
    assert_eq!(warning_lines(&run.stderr), Vec::<&str>::new());
    let public = site.join("public");

    let sitemap = read(&public.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    assert!(locs.iter().all(|l| l.starts_with(BASE)), "{locs:?}");
    // Exactly the site's pages: no 404, nothing missing.
    assert_eq!(locs, page_urls(&public, BASE));
    assert!(locs.contains(BASE));
    assert!(locs.contains(&format!("{BASE}roadmap/early-feature/")));
    assert!(!locs.iter().any(|l| l.contains("404")));

    let atom = read(&public.join("atom.xml"));
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let hrefs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("link"))
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(hrefs.len() > 2);
    assert!(hrefs.iter().all(|h| h.starts_with(BASE)), "{hrefs:?}");
    assert!(hrefs.contains(&format!("{BASE}atom.xml").as_str()));
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("id"))
        .filter_map(|n| n.text())
        .collect();
    assert!(ids.iter().all(|h| h.starts_with(BASE)), "{ids:?}");
}

#[test]
fn feed_holds_published_postmortems_and_shipped_items_newest_first() {
    let (_tmp, site, _) = build_fixture(&["--base-url", BASE]);
    let atom = read(&site.join("public/atom.xml"));
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let entries: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|entry| {
            let child = |name: &str| entry.children().find(|c| c.has_tag_name(name)).unwrap();
            let href = child("link").attribute("href").unwrap_or_default();
            let updated = child("updated").text().unwrap_or_default();
            (
                href.strip_prefix(BASE).unwrap_or(href).to_string(),
                updated[..10].to_string(),
            )
        })
        .collect();
    // Worked out from the fixture (as_of 2026-06-30): left out are the in-review and draft
    // post-mortems, the in-progress item and the item shipped after as_of. Same-day entries
    // keep a fixed order (by path).
    let expected = [
        ("postmortems/2026-06-12-login-outage/", "2026-06-12"),
        ("postmortems/2026-05-20-queue-backlog/", "2026-05-20"),
        ("roadmap/late-cleanup/", "2026-05-20"),
        ("postmortems/2026-03-05-cache-misses/", "2026-03-05"),
        ("roadmap/early-feature/", "2026-02-10"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(entries, expected);
    let updated = doc
        .root_element()
        .children()
        .find(|c| c.has_tag_name("updated"))
        .and_then(|n| n.text());
    assert_eq!(updated, Some("2026-06-12T00:00:00Z"));
}

#[test]
fn robots_nojekyll_and_cname_are_written() {
    let (_tmp, site, _) = build_fixture(&["--base-url", BASE]);
    let public = site.join("public");
    let robots = read(&public.join("robots.txt"));
    assert!(
        robots
            .lines()
            .any(|l| l == format!("Sitemap: {BASE}sitemap.xml")),
        "{robots}"
    );
    assert!(public.join(".nojekyll").is_file());
    assert_eq!(read(&public.join("CNAME")), "reports.example.com\n");
}

#[test]
fn the_404_page_links_stay_under_the_base_path_at_any_depth() {
    let (_tmp, site, _) = build_fixture(&["--base-url", BASE]);
    let public = site.join("public");
    let html = read(&public.join("404.html"));
    let doc = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("[href], [src]").unwrap();
    let mut internal = Vec::new();
    for el in doc.select(&selector) {
        for attr in ["href", "src"] {
            let Some(url) = el.value().attr(attr) else {
                continue;
            };
            let external = ["https://", "http://", "mailto:"]
                .iter()
                .any(|p| url.starts_with(p))
                && !url.starts_with(BASE);
            if external || url.starts_with('#') {
                continue;
            }
            // GitHub Pages serves this page for any missing path, however deep: only
            // root-absolute URLs under the base path work from everywhere.
            assert!(url.starts_with("/report/"), "{attr}=\"{url}\" in 404.html");
            internal.push(url.to_string());
        }
    }
    assert!(
        internal.iter().any(|u| u == "/report/"),
        "404.html links home: {internal:?}"
    );
    for url in &internal {
        let rel = url["/report/".len()..]
            .split(['#', '?'])
            .next()
            .unwrap_or_default();
        let target = if rel.is_empty() || rel.ends_with('/') {
            public.join(rel).join("index.html")
        } else {
            public.join(rel)
        };
        assert!(target.is_file(), "{url} in 404.html resolves");
    }
}

#[test]
fn a_path_only_base_url_keeps_root_relative_urls_and_warns_once() {
    let (_tmp, site, run) = build_fixture(&[]);
    let warnings = warning_lines(&run.stderr);
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("warning: base_url is only a path (`/`)"),
        "{}",
        warnings[0]
    );
    assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
    assert!(run.stderr.contains(" 1 warning "), "{}", run.stderr);
    let robots = read(&site.join("public/robots.txt"));
    assert!(robots.lines().any(|l| l == "Sitemap: /sitemap.xml"));

    let (_tmp, site, run) = build_fixture(&["--base-url", "/report/"]);
    assert_eq!(warning_lines(&run.stderr).len(), 1, "{}", run.stderr);
    let public = site.join("public");
    let sitemap = read(&public.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    assert_eq!(locs, page_urls(&public, "/report/"));
    let atom = read(&public.join("atom.xml"));
    assert!(atom.contains("<link href=\"/report/roadmap/early-feature/\"/>"));
}
