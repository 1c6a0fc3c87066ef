//! `throughline build`: the output folder, determinism, failure safety, links under a
//! sub-path.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Site, copy_dir, run_in};

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read output folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read output file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn builds_every_page_type_with_one_summary_line() {
    let site = Site::example();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.stderr.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("built ")
            && summary.contains(" pages, ")
            && summary.contains(" warnings in "),
        "{summary}"
    );
    let out = site.path().join("public");
    for page in [
        "index.html",
        "roadmap/index.html",
        "roadmap/sepa-direct-debit/index.html",
        "outcomes/index.html",
        "outcomes/online-payment-share/index.html",
        "postmortems/index.html",
        "postmortems/2026-04-14-payments-gateway-outage/index.html",
        "delivery/index.html",
        "reliability/index.html",
        "risks/index.html",
        "services/index.html",
        "services/payments-gateway/index.html",
        "teams/index.html",
        "teams/payments/index.html",
        "pages/about/index.html",
        "404.html",
        "metrics.json",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        ".throughline",
        "style.css",
        "charts.css",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    // The chart colours come from the chart module, linked from every page.
    let charts_css = std::fs::read_to_string(out.join("charts.css")).unwrap_or_default();
    assert_eq!(charts_css, throughline::charts::CHART_CSS);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap_or_default();
    assert!(
        home.contains(r#"<link rel="stylesheet" href="/charts.css">"#),
        "charts.css is not linked"
    );
    // The draft post-mortem is left out without --drafts, and shown with it.
    assert!(
        !out.join("postmortems/2026-11-12-dashboard-chart-blank/index.html")
            .exists()
    );
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        out.join("postmortems/2026-11-12-dashboard-chart-blank/index.html")
            .is_file()
    );
}

#[test]
fn two_builds_are_byte_identical() {
    // A custom page that walks maps: their order must not depend on the process.
    let pack = r#"{% extends "base.html" %}{% block main %}<h1>Pack</h1>
<ul>{% for id, o in content.outcomes %}<li class="pk">{{ id }}: {{ metrics.outcomes.items[id].status }}</li>{% endfor %}</ul>
<ul>{% for key, value in metrics.delivery %}<li>{{ key }}</li>{% endfor %}</ul>
<p class="cfg">{{ config.title }}|{% for key, value in config %}{{ key }},{% endfor %}</p>
<p class="pg">{% for key, value in page %}{{ key }},{% endfor %}</p>
{% endblock main %}"#;
    let a = Site::example().file("templates/custom/pack.html", pack);
    let b = Site::example().file("templates/custom/pack.html", pack);
    assert_eq!(a.run(&["build"]).code, 0);
    assert_eq!(b.run(&["build"]).code, 0);
    let (sa, sb) = (
        snapshot(&a.path().join("public")),
        snapshot(&b.path().join("public")),
    );
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (path, bytes) in &sa {
        assert!(sb[path] == *bytes, "{path} differs between two builds");
    }
    // Keys come in sorted order.
    let pack = String::from_utf8_lossy(&sa["pack/index.html"]).to_string();
    let ids: Vec<&str> = pack
        .split("<li class=\"pk\">")
        .skip(1)
        .filter_map(|li| li.split(':').next())
        .take(3)
        .collect();
    assert_eq!(
        ids,
        [
            "annual-plan-mix",
            "days-sales-outstanding",
            "e-invoice-adoption"
        ]
    );
    // `config` and `page` are maps like any other: sorted keys.
    let keys = |class: &str| -> Vec<String> {
        let start = pack
            .find(&format!("<p class=\"{class}\">"))
            .expect("paragraph")
            + class.len()
            + 12;
        let text = &pack[start..start + pack[start..].find("</p>").expect("end")];
        let keys = text.rsplit('|').next().unwrap_or(text);
        keys.split(',')
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect()
    };
    assert!(
        pack.contains("<p class=\"cfg\">Harbourbill product report|"),
        "{pack}"
    );
    for class in ["cfg", "pg"] {
        let found = keys(class);
        let mut sorted = found.clone();
        sorted.sort();
        assert!(found.len() > 5, "{class}: {found:?}");
        assert_eq!(found, sorted, "{class}");
    }
    assert!(keys("cfg").contains(&"capacity_targets".to_string()));
    assert!(
        keys("pg").contains(&"crumbs".to_string()),
        "{:?}",
        keys("pg")
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::example();
    assert_eq!(site.run(&["build"]).code, 0);
    let before = snapshot(&site.path().join("public"));
    let broken = site.file(
        "content/roadmap/payment-links.md",
        "---\ntitle: Payment links\ntype: feature\nstatus: shiped\n---\n",
    );
    let run = broken.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/roadmap/payment-links.md:4:9"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the previous output is unchanged"),
        "{}",
        run.stderr
    );
    assert!(
        snapshot(&broken.path().join("public")) == before,
        "the output changed after a failed build"
    );
}

#[test]
fn dangerous_output_folders_are_refused() {
    // The site sits one level down in its temporary folder, so that `..` is still inside it.
    let sandbox = tempfile::tempdir().expect("temp dir");
    let site = Site::example().file("docs/notes.txt", "my notes");
    let root = sandbox.path().join("site");
    copy_dir(site.path(), &root);
    for dir in [".", "content", "content/roadmap", "..", "docs"] {
        let run = run_in(&root, &["build", "--output-dir", dir]);
        assert_eq!(
            run.code, 2,
            "--output-dir {dir} was not refused: {}",
            run.stderr
        );
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(root.join("docs/notes.txt")).unwrap_or_default(),
        "my notes"
    );
    assert!(root.join("content/roadmap/sepa-direct-debit.md").is_file());
    let beside: Vec<_> = std::fs::read_dir(sandbox.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        beside,
        ["site"],
        "a refused build left files beside the site"
    );
    // An empty folder, or one made by an earlier build, is fine.
    std::fs::create_dir_all(root.join("empty")).expect("mkdir");
    assert_eq!(run_in(&root, &["build", "--output-dir", "empty"]).code, 0);
    assert_eq!(run_in(&root, &["build", "--output-dir", "empty"]).code, 0);
}

#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    let site = Site::example();
    let run = site.run(&["build", "--base-url", "https://acme.github.io/report/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = snapshot(&site.path().join("public"));
    let selector =
        scraper::Selector::parse("a[href], link[href], img[src], script[src]").expect("selector");
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
        for el in html.select(&selector) {
            let url = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap_or_default();
            if url.starts_with("http") || url.starts_with("mailto:") || url.starts_with('#') {
                continue;
            }
            assert!(
                url.starts_with("/report/"),
                "{path}: link {url} is not under /report/"
            );
            let rel = url.trim_start_matches("/report/");
            let rel = rel.split(['#', '?']).next().unwrap_or_default();
            let target = if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel.to_string()
            };
            assert!(
                files.contains_key(&target),
                "{path}: link {url} goes nowhere"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn a_broken_link_in_markdown_fails_the_build_naming_the_source_file() {
    let site = Site::example().file(
        "content/pages/links.md",
        "---\ntitle: Links\n---\nSee [the old page](/roadmap/no-such-item/).\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("broken link to /roadmap/no-such-item/"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/pages/links.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_custom_page_may_not_take_a_built_in_address() {
    let site = Site::example().file(
        "templates/custom/items.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Mine</h1>{% endblock main %}",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: the custom page `/items/` would replace the built-in page at the same address\n--> templates/custom/items.html:1:1"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn metrics_only_prints_metrics_json_and_writes_nothing() {
    let site = Site::example();
    let run = site.run(&["build", "--metrics-only"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&run.stdout).expect("metrics.json on stdout");
    assert_eq!(json["as_of"], "2026-11-20");
    assert!(!site.path().join("public").exists());
}

#[test]
fn bad_flags_are_usage_errors() {
    let site = Site::example();
    assert_eq!(site.run(&["build", "--as-of", "2026-02-30"]).code, 2);
    assert_eq!(site.run(&["build", "--base-url", "report/"]).code, 2);
    assert_eq!(site.run(&["build", "--root", "no-such-folder"]).code, 2);
}

#[test]
fn forecasts_are_the_same_on_one_thread_and_on_two() {
    let site = Site::example();
    let metrics_with = |threads: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_throughline"))
            .args(["build", "--metrics-only"])
            .current_dir(site.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .expect("run throughline");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let one = metrics_with("1");
    let two = metrics_with("2");
    assert!(one == two, "metrics.json differs between 1 and 2 threads");
    let json: serde_json::Value = serde_json::from_slice(&one).expect("metrics.json");
    // the example has simulated forecasts, so the trials ran on both pools
    let simulated = json["forecast"]["items"].as_object().map_or(0, |o| {
        o.values().filter(|f| f["method"] == "simulated").count()
    });
    assert!(simulated > 0, "no simulated forecast in the example");
}
