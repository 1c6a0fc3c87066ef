//! Benchmarks for throughline, with their corpus generator.
//!
//! ```text
//! cargo run --release --example bench -- gen DIR [DOCS]      # a valid report of DOCS documents (default 10000)
//! cargo run --release --example bench -- hugo DIR [PAGES]    # a Hugo site of PAGES plain Markdown pages, one template
//! cargo run --release --example bench -- load DIR [RUNS]     # time load + validate (+ model), median of RUNS
//! cargo run --release --example bench -- metrics DIR [RUNS]  # time computing every metric, median of RUNS
//! cargo run --release --example bench -- history DIR [COMMITS]  # a 1,000-document report in a git repository of
//!                                                              # COMMITS commits (default 2000): build time with and without history
//! ```
//! The document mix follows the site benchmark: 60% roadmap items, 10% outcomes (12–60
//! measurements each), 30% post-mortems. Output is deterministic for a given DOCS.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A small deterministic generator (xorshift), so corpora are identical run to run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "checkout",
    "ledger",
    "invoice",
    "latency",
    "customers",
    "reconciliation",
    "gateway",
    "retry",
    "rollout",
    "dashboard",
    "queue",
    "export",
    "billing",
    "search",
    "onboarding",
    "alerts",
    "capacity",
    "schema",
    "migration",
    "release",
];
const SERVICES: &[&str] = &[
    "payments-api",
    "ledger",
    "auth",
    "search",
    "notifications",
    "web",
    "billing-worker",
    "exports",
];
const TEAMS: &[&str] = &["payments", "platform", "growth", "core"];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn body(rng: &mut Rng, paragraphs: usize) -> String {
    let mut s = String::from("## Problem\n\n");
    for _ in 0..paragraphs {
        let _ = writeln!(s, "{}.\n", sentence(rng, 40));
    }
    s.push_str("## Acceptance criteria\n\n- Given a customer, when they pay, then the ledger balances.\n- Given an outage, when it ends, then retries drain.\n");
    s
}

fn date(day: i64) -> jiff::civil::Date {
    jiff::civil::date(2025, 1, 1)
        .checked_add(jiff::Span::new().days(day))
        .unwrap_or(jiff::civil::date(2025, 1, 1))
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

fn generate(dir: &Path, docs: usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let items = docs * 6 / 10;
    let outcomes = docs / 10;
    let postmortems = docs - items - outcomes;
    write(
        &dir.join("site.yaml"),
        "title: Benchmark report\nas_of: 2026-11-20\ntimezone: Europe/Berlin\ncapacity_targets: {tech-debt: 0.2, infrastructure: 0.1}\n",
    );
    for o in 0..outcomes {
        let increase = o % 2 == 0;
        let start = rng.below(400) as i64;
        let (b, t) = if increase { (20.0, 40.0) } else { (40.0, 20.0) };
        let mut s = format!(
            "title: Outcome {o} {}\nunit: \"%\"\ndirection: {}\nteam: {}\nbaseline: {{value: {b}, date: {}}}\ntarget: {{value: {t}, date: {}}}\nmeasurements:\n",
            sentence(&mut rng, 2),
            if increase { "increase" } else { "decrease" },
            rng.pick(TEAMS),
            date(start),
            date(start + 200 + rng.below(200) as i64)
        );
        let n = 12 + rng.below(49);
        for m in 0..n {
            let v = b + (t - b) * (m as f64 / n as f64) + (rng.below(40) as f64 - 20.0) / 10.0;
            let _ = writeln!(
                s,
                "  - {{date: {}, value: {v:.1}}}",
                date(start + 1 + m as i64 * 7)
            );
        }
        let _ = writeln!(s, "description: {}", sentence(&mut rng, 30));
        write(&dir.join(format!("content/outcomes/outcome-{o}.yaml")), &s);
    }
    let types = ["feature", "tech-debt", "infrastructure", "experiment"];
    for i in 0..items {
        let t = types[i % 4];
        let status = match rng.below(10) {
            0 => "idea",
            1 | 2 => "planned",
            3 => "in-progress",
            4 => "paused",
            5 => "cancelled",
            _ => "shipped",
        };
        let start = rng.below(600) as i64;
        let target = start + 20 + rng.below(90) as i64;
        let mut s = format!(
            "---\ntitle: Item {i} {}\ntype: {t}\nstatus: {status}\nteam: {}\nowner: Owner {}\n",
            sentence(&mut rng, 3),
            rng.pick(TEAMS),
            rng.below(40)
        );
        let _ = writeln!(s, "summary: {}", sentence(&mut rng, 8));
        let _ = writeln!(
            s,
            "services: [{}, {}]",
            rng.pick(SERVICES),
            rng.pick(SERVICES)
        );
        if t == "experiment" {
            s.push_str("hypothesis: We believe a shorter flow will lift conversion.\n");
        }
        if t == "tech-debt" || t == "infrastructure" {
            s.push_str("value: Cuts release time 15%.\n");
        }
        if (t == "feature" || t == "experiment") && outcomes > 0 {
            let _ = writeln!(s, "outcomes: [outcome-{}]", rng.below(outcomes as u64));
        }
        if i > 10 && rng.below(4) == 0 {
            // Depend only on lower-numbered items: never a cycle.
            let _ = writeln!(s, "depends_on: [item-{}]", rng.below(i as u64));
        }
        let _ = writeln!(
            s,
            "start: {}\ntarget: {}",
            date(start),
            date(target + rng.below(20) as i64)
        );
        let _ = writeln!(s, "baseline_target: {}", date(target));
        if status == "shipped" {
            let _ = writeln!(s, "shipped: {}", date(target - 10 + rng.below(40) as i64));
            let _ = writeln!(s, "actual: {}", 2 + rng.below(30));
        }
        let _ = writeln!(s, "estimate: \"{}d\"", 2 + rng.below(25));
        let _ = writeln!(
            s,
            "rice: {{reach: {}, impact: 2, confidence: 0.8, effort: {}}}",
            100 + rng.below(5000),
            1 + rng.below(8)
        );
        s.push_str("release: {feature_flag: flag, rollback_plan: Turn the flag off., monitoring: Dashboard}\n---\n");
        s.push_str(&body(&mut rng, 3));
        write(&dir.join(format!("content/roadmap/item-{i}.md")), &s);
    }
    for p in 0..postmortems {
        let day = rng.below(680) as i64;
        let sev = ["SEV1", "SEV2", "SEV3", "SEV4"][rng.below(4) as usize];
        let d = date(day);
        let (ttd, ttm, ttr) = (1 + rng.below(30), 31 + rng.below(120), 160 + rng.below(600));
        let at = |m: u64| format!("{d}T{:02}:{:02}:00Z", 8 + m / 60 % 14, m % 60);
        let mut s = format!(
            "---\ntitle: Incident {p} {}\nseverity: {sev}\nservices: [{}]\nteams: [{}]\nstarted: {}\ndetected: {}\nmitigated: {}\nresolved: {}\ndetection: alert\ncause: deploy\n",
            sentence(&mut rng, 3),
            rng.pick(SERVICES),
            rng.pick(TEAMS),
            at(0),
            at(ttd),
            at(ttm),
            at(ttr)
        );
        let _ = writeln!(
            s,
            "impact: {{summary: {}, users: {}, support_tickets: {}}}",
            sentence(&mut rng, 6),
            rng.below(5000),
            rng.below(80)
        );
        s.push_str("timeline:\n");
        let _ = writeln!(
            s,
            "  - {{at: {}, event: Alert fired}}\n  - {{at: {}, event: Rolled back}}",
            at(ttd),
            at(ttm)
        );
        s.push_str("action_items:\n");
        for a in 0..(1 + rng.below(4)) {
            let status = ["open", "in-progress", "done", "done", "wont-do"][rng.below(5) as usize];
            let _ = write!(
                s,
                "  - {{title: Fix {a} {}, owner: Owner {}, due: {}, status: {status}, priority: p{}",
                sentence(&mut rng, 3),
                rng.below(40),
                date(day + 14 + rng.below(60) as i64),
                rng.below(4)
            );
            if status == "done" {
                let _ = write!(s, ", done_on: {}", date(day + 1 + rng.below(80) as i64));
            }
            if items > 0 && rng.below(3) == 0 {
                let _ = write!(s, ", roadmap: item-{}", rng.below(items as u64));
            }
            s.push_str("}\n");
        }
        s.push_str("---\n");
        s.push_str(&body(&mut rng, 3));
        write(&dir.join(format!("content/postmortems/pm-{p}.md")), &s);
    }
}

/// The peer benchmark: PAGES plain Markdown pages of about the same size, one template.
fn generate_hugo(dir: &Path, pages: usize) {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    write(
        &dir.join("hugo.toml"),
        "baseURL = 'https://example.org/'\ntitle = 'Benchmark'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n",
    );
    write(
        &dir.join("layouts/_default/single.html"),
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n",
    );
    write(
        &dir.join("layouts/_default/list.html"),
        "<!doctype html><html><body><h1>{{ .Title }}</h1></body></html>\n",
    );
    write(
        &dir.join("layouts/index.html"),
        "<!doctype html><html><body><h1>{{ .Site.Title }}</h1></body></html>\n",
    );
    for p in 0..pages {
        let s = format!(
            "---\ntitle: Page {p} {}\ndate: {}\n---\n{}",
            sentence(&mut rng, 3),
            date(rng.below(600) as i64),
            body(&mut rng, 3)
        );
        write(&dir.join(format!("content/posts/page-{p}.md")), &s);
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Single-threaded time per loading phase, to see where load time goes.
/// What `serve` pays before each rebuild to see whether HEAD or a tag moved: the repository
/// opened and its HEAD and tags read, `runs` times.
fn refs_check(dir: &Path, runs: usize) {
    let (config, _) = throughline::content::load::read_config(dir).expect("config");
    let cache = throughline::history::Cache::default();
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(cache.is_stale(dir, &config));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    println!(
        "HEAD and tags checked {runs} times: median {:.2} ms, p90 {:.2} ms",
        ms[runs / 2],
        ms[runs * 9 / 10]
    );
}

/// What `serve` does on an edit: the first roadmap item's title changed and the site rebuilt
/// in memory, `runs` times; each rebuild's phases in milliseconds.
fn rebuild_phases(dir: &Path, runs: usize) {
    use throughline::site::{BuildOptions, Site};
    let mut site = Site::open(BuildOptions {
        root: dir.to_path_buf(),
        ..BuildOptions::default()
    })
    .expect("open");
    site.build();
    let roadmap = dir.join("content/roadmap");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&roadmap)
        .expect("content/roadmap")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let item = names.first().expect("a roadmap item").clone();
    let original = std::fs::read_to_string(&item).expect("read");
    for run in 0..runs {
        let text = original.replacen("title: ", &format!("title: {run} "), 1);
        std::fs::write(&item, text).expect("write");
        let report = site.rebuild(std::slice::from_ref(&item)).expect("rebuild");
        let phases: Vec<String> = report
            .phases
            .iter()
            .map(|(n, ms)| format!("{n} {ms:.1}"))
            .collect();
        println!("rebuild {run}: {} ms: {}", report.millis, phases.join(", "));
    }
    std::fs::write(&item, original).expect("restore");
}

fn phases(dir: &Path) {
    use throughline::content::{front_matter, load, yaml};
    let (files, _) = load::list_files(dir).expect("list");
    let (config, _) = load::read_config(dir).expect("config");
    let t = Instant::now();
    let texts: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(_, f)| {
            (
                load::relative(dir, &f.path),
                std::fs::read(&f.path).expect("read"),
            )
        })
        .collect();
    let read = t.elapsed();
    let t = Instant::now();
    // Each file's YAML: the front matter of a .md file, the whole of a .yaml file.
    let docs: Vec<(&str, &str, u32)> = texts
        .iter()
        .map(|(rel, bytes)| {
            let text = std::str::from_utf8(bytes).expect("utf-8");
            if rel.ends_with(".md") {
                let s = front_matter::split(text, rel).expect("split");
                (rel.as_str(), s.yaml, s.yaml_line)
            } else {
                (rel.as_str(), text, 1)
            }
        })
        .collect();
    let split = t.elapsed();
    let t = Instant::now();
    for (rel, y, line) in &docs {
        std::hint::black_box(yaml::parse(y, rel, *line).expect("yaml"));
    }
    let parse = t.elapsed();
    let t = Instant::now();
    for (_, y, _) in &docs {
        std::hint::black_box(serde_saphyr::from_str::<serde_json::Value>(y).expect("yaml"));
    }
    println!("unspanned serde_json::Value: {:?}", t.elapsed());
    let t = Instant::now();
    for (_, y, _) in &docs {
        for event in serde_saphyr::granit_parser::Parser::new_from_str(y) {
            std::hint::black_box(event.expect("event"));
        }
    }
    println!("parser events alone (the floor): {:?}", t.elapsed());
    let t = Instant::now();
    for ((kind, _), (rel, bytes)) in files.iter().zip(&texts) {
        std::hint::black_box(load::parse_file(*kind, rel, bytes, &config));
    }
    let full = t.elapsed();
    println!(
        "{} files: read {:?}, front matter split {:?}, yaml into nodes {:?}, parse_file total {:?}",
        texts.len(),
        read,
        split,
        parse,
        full
    );
}

/// A git repository in `dir` holding a 1,000-document report, with `commits` commits: the
/// first adds the report, each later one moves one item's target a week later (cycling
/// over the items), six hours apart. Written with `git fast-import` (one process).
fn generate_history(dir: &Path, commits: usize) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let _ = std::fs::remove_dir_all(dir);
    generate(dir, 1000);
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .expect("run git");
        assert!(ok.success(), "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    let mut files: Vec<(String, String)> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read folder").flatten() {
            let path = e.path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .to_string();
                files.push((rel, std::fs::read_to_string(&path).expect("read")));
            }
        }
    }
    files.sort();
    let items: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].0.starts_with("content/roadmap/"))
        .collect();
    let mut stream: Vec<u8> = Vec::new();
    let start = 1_735_725_600i64; // 2025-01-01T10:00:00Z
    let data = |out: &mut Vec<u8>, text: &str| {
        let _ = write!(out, "data {}\n{text}\n", text.len());
    };
    for c in 0..commits {
        let when = start + c as i64 * 21_600;
        let _ = write!(
            stream,
            "commit refs/heads/main\nmark :{}\ncommitter Planner <planner@example.com> {when} +0000\n",
            c + 1
        );
        data(&mut stream, &format!("commit {c}"));
        if c > 0 {
            let _ = writeln!(stream, "from :{c}");
        }
        let changed: Vec<usize> = if c == 0 {
            (0..files.len()).collect()
        } else {
            let i = items[(c - 1) % items.len()];
            let text = &files[i].1;
            let moved: Vec<String> = text
                .lines()
                .map(|l| {
                    match l
                        .strip_prefix("target: ")
                        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
                    {
                        Some(d) => format!(
                            "target: {}",
                            d.checked_add(jiff::Span::new().days(7)).unwrap_or(d)
                        ),
                        None => l.to_string(),
                    }
                })
                .collect();
            files[i].1 = moved.join("\n") + "\n";
            vec![i]
        };
        for i in changed {
            let _ = writeln!(stream, "M 100644 inline {}", files[i].0);
            let text = files[i].1.clone();
            data(&mut stream, &text);
        }
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&stream)
        .expect("feed fast-import");
    assert!(child.wait().expect("fast-import").success());
    git(&["reset", "-q", "--hard"]);
}

/// Median build time (in memory) of the site at `dir`, over `runs` fresh opens.
fn build_time(dir: &Path, runs: usize) -> (f64, String) {
    let mut times = Vec::new();
    let mut line = String::new();
    for _ in 0..runs {
        let t = Instant::now();
        let mut site = throughline::site::Site::open(throughline::site::BuildOptions {
            root: dir.to_path_buf(),
            ..Default::default()
        })
        .expect("open");
        let report = site.build();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(!site.has_errors(), "{:?}", site.diagnostics().first());
        line = report.history.map(|h| h.line()).unwrap_or_default();
        let snapshots = site
            .output()
            .files
            .keys()
            .filter(|f| f.starts_with("archive/") && f.ends_with("/index.html"))
            .filter(|f| f.matches('/').count() == 2)
            .count();
        if snapshots > 0 {
            line.push_str(&format!(", {snapshots} snapshots"));
        }
        let history = report.phases.iter().find(|(n, _)| *n == "history");
        if let Some((_, ms)) = history {
            line.push_str(&format!(" (history phase {ms:.0} ms)"));
        }
    }
    (median(times), line)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.get(1)
            .cloned()
            .unwrap_or_else(|| "target/bench-corpus".into()),
    );
    let n = |default: usize| args.get(2).and_then(|s| s.parse().ok()).unwrap_or(default);
    match args.first().map(String::as_str) {
        Some("gen") => {
            let _ = std::fs::remove_dir_all(dir.join("content"));
            generate(&dir, n(10_000));
            eprintln!("wrote a {}-document report to {}", n(10_000), dir.display());
        }
        Some("hugo") => {
            let _ = std::fs::remove_dir_all(dir.join("content"));
            generate_hugo(&dir, n(10_000));
            eprintln!("wrote a {}-page Hugo site to {}", n(10_000), dir.display());
        }
        Some("load") => {
            let mut times = Vec::new();
            for _ in 0..n(5) {
                let t = Instant::now();
                let loaded = throughline::site::load(&dir, false).expect("load");
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                assert!(
                    loaded.model.is_some(),
                    "the corpus has errors: {:?}",
                    loaded.diagnostics.first()
                );
            }
            println!(
                "load + validate + model: median {:.1} ms over {} runs",
                median(times),
                n(5)
            );
        }
        Some("metrics") => {
            let loaded = throughline::site::load(&dir, false).expect("load");
            let model = loaded.model.expect("a valid corpus");
            let as_of = jiff::civil::date(2026, 11, 20);
            let mut times = Vec::new();
            for _ in 0..n(20) {
                let t = Instant::now();
                let m = throughline::metrics::compute(&model, as_of);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                std::hint::black_box(&m);
            }
            println!(
                "compute all metrics: median {:.2} ms over {} runs",
                median(times),
                n(20)
            );
        }
        Some("forecast") => {
            let loaded = throughline::site::load(&dir, false).expect("load");
            let model = loaded.model.expect("a valid corpus");
            let as_of = jiff::civil::date(2026, 11, 20);
            let mut times = Vec::new();
            let mut f = throughline::metrics::forecast::compute(&model, as_of);
            for _ in 0..n(20) {
                let t = Instant::now();
                f = throughline::metrics::forecast::compute(&model, as_of);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                std::hint::black_box(&f);
            }
            let simulated = f
                .items
                .values()
                .filter(|x| x.method == Some(throughline::metrics::forecast::Method::Simulated))
                .count();
            println!(
                "forecasts ({} open items, {simulated} simulated, {} calibration cases): median {:.2} ms over {} runs",
                f.items.len(),
                f.calibration.cases,
                median(times),
                n(20)
            );
        }
        Some("phases") => phases(&dir),
        Some("history") => {
            let commits = n(2000);
            let t = Instant::now();
            generate_history(&dir, commits);
            eprintln!(
                "made {commits} commits in {:.1} s",
                t.elapsed().as_secs_f64()
            );
            let (on, line) = build_time(&dir, 3);
            let config = dir.join("site.yaml");
            let text = std::fs::read_to_string(&config).expect("site.yaml");
            std::fs::write(&config, format!("{text}history: false\n")).expect("site.yaml");
            let (off, _) = build_time(&dir, 3);
            std::fs::write(&config, format!("{text}snapshots: quarterly\n")).expect("site.yaml");
            let (snap, snap_line) = build_time(&dir, 3);
            std::fs::write(&config, text).expect("site.yaml");
            println!("{line}");
            println!(
                "build with history {on:.0} ms, without {off:.0} ms: history adds {:.0} ms (median of 3)",
                on - off
            );
            println!("with quarterly snapshots: {snap:.0} ms ({snap_line})");
        }
        Some("links") => links(&dir, n(5)),
        Some("refs") => refs_check(&dir, n(200)),
        Some("rebuild") => rebuild_phases(&dir, n(5)),
        _ => eprintln!(
            "usage: bench gen|hugo|load|metrics|forecast|phases|links|history|refs|rebuild DIR [N]"
        ),
    }
}

/// Reading the link targets out of every page of the built site, single-threaded: the part
/// of the link check that runs on each page's HTML.
fn links(dir: &std::path::Path, runs: usize) {
    let mut site = throughline::site::Site::open(throughline::site::BuildOptions {
        root: dir.to_path_buf(),
        ..Default::default()
    })
    .expect("open");
    site.build();
    let base_path = site.base_path();
    let pages: Vec<String> = site
        .output()
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .collect();
    let bytes: usize = pages.iter().map(String::len).sum();
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let t = Instant::now();
        found = pages
            .iter()
            .map(|html| throughline::render::links::internal_links(html, &base_path).len())
            .sum::<usize>();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "link targets of {} pages ({} MB): {found} found, median {:.1} ms over {runs} runs",
        pages.len(),
        bytes / 1_000_000,
        median(times)
    );
}
