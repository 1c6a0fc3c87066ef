//! Plan history from git (spec/history.md): repositories with scripted history are built in
//! temp dirs with the `git` command line (fixed author, committer and dates), then the site
//! is built and what users see is checked: metrics.json, the item pages, `/changes/`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use throughline::site::{BuildOptions, Site};

/// A git repository in a temp dir, committed to with fixed identities and dates.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        repo.git(&["init", "-q", "-b", "main"], "2026-01-01T12:00:00Z");
        // As `throughline init` leaves it: the built site and the folders a build swaps
        // through are never committed, so `git add -A` during `build --watch` skips them.
        repo.write(".gitignore", include_str!("../src/commands/init/gitignore"));
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Run git here with a fixed identity and date; no user or system configuration.
    fn git(&self, args: &[&str], date: &str) -> String {
        self.git_as(args, date, "Ada Lovelace")
    }

    fn git_as(&self, args: &[&str], date: &str, author: &str) -> String {
        let out = Command::new("git")
            .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_AUTHOR_EMAIL", "team@example.com")
            .env("GIT_COMMITTER_NAME", author)
            .env("GIT_COMMITTER_EMAIL", "team@example.com")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("run git (is it installed?)");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, text).expect("write");
    }

    /// Write (Some) or delete (None) files, then commit everything at `date`.
    fn commit(&self, date: &str, files: &[(&str, Option<&str>)]) -> String {
        for (rel, text) in files {
            match text {
                Some(t) => self.write(rel, t),
                None => std::fs::remove_file(self.path().join(rel)).expect("remove"),
            }
        }
        self.git(&["add", "-A"], date);
        self.git(&["commit", "-q", "--allow-empty", "-m", "edit"], date);
        self.git(&["rev-parse", "HEAD"], date)
    }
}

fn item(status: &str, target: Option<&str>) -> String {
    let target = target.map(|t| format!("target: {t}\n")).unwrap_or_default();
    format!(
        "---\ntitle: Ledger migration\ntype: infrastructure\nvalue: cheaper ledgers\nstatus: {status}\n{target}---\nBody.\n"
    )
}

fn site_yaml(extra: &str) -> String {
    format!("title: History test\nas_of: 2026-06-15\n{extra}")
}

struct Built {
    files: BTreeMap<String, Vec<u8>>,
    summary: Option<throughline::history::Summary>,
    warnings: Vec<String>,
}

impl Built {
    fn metrics(&self) -> Value {
        serde_json::from_slice(&self.files["metrics.json"]).expect("metrics.json")
    }

    fn page(&self, file: &str) -> String {
        String::from_utf8_lossy(&self.files[file]).to_string()
    }
}

fn build_with(root: &Path, since: Option<&str>) -> Built {
    let mut site = Site::open(BuildOptions {
        root: root.to_path_buf(),
        since: since.map(str::to_string),
        ..BuildOptions::default()
    })
    .expect("open");
    let report = site.build();
    let errors: Vec<String> = site
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{d:?}"))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    Built {
        files: site.output().files.clone(),
        summary: report.history,
        warnings: site
            .diagnostics()
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| d.message.clone())
            .collect(),
    }
}

fn build(root: &Path) -> Built {
    build_with(root, None)
}

/// Item `a` (no baseline_target written): target 2026-03-31, moved later by 30 days,
/// earlier by 10, later by 41.
fn replanned_repo(extra_yaml: &str) -> Repo {
    let repo = Repo::new();
    let config = site_yaml(extra_yaml);
    repo.commit(
        "2026-01-05T10:00:00Z",
        &[
            ("site.yaml", Some(&config)),
            (
                "content/roadmap/a.md",
                Some(&item("planned", Some("2026-03-31"))),
            ),
        ],
    );
    repo.commit(
        "2026-02-01T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("planned", Some("2026-04-30"))),
        )],
    );
    repo.commit(
        "2026-03-01T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("in-progress", Some("2026-04-20"))),
        )],
    );
    repo.commit(
        "2026-04-10T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("in-progress", Some("2026-05-31"))),
        )],
    );
    repo
}

#[test]
fn a_target_moved_later_twice_and_earlier_once() {
    let repo = replanned_repo("");
    let built = build(repo.path());
    let m = built.metrics();
    let a = &m["history"]["items"]["a"];
    // Later: 03-31 → 04-30 is 30 days; 04-20 → 05-31 is 11 + 30 = 41 days. Earlier: -10.
    assert_eq!(a["replans"], 2);
    assert_eq!(a["replanned_days"], 30 + 41);
    assert_eq!(a["first_target"], "2026-03-31");
    let events = a["events"].as_array().expect("events");
    assert_eq!(events.len(), 4);
    assert_eq!(events[0]["created"], true);
    assert_eq!(events[0]["date"], "2026-01-05");
    assert_eq!(events[0]["author"], "Ada Lovelace");
    assert_eq!(events[0]["commit"].as_str().map(str::len), Some(12));
    assert_eq!(
        events[1]["changes"],
        serde_json::json!([{"field": "target", "from": "2026-03-31", "to": "2026-04-30"}])
    );
    assert_eq!(
        events[2]["changes"],
        serde_json::json!([
            {"field": "status", "from": "planned", "to": "in-progress"},
            {"field": "target", "from": "2026-04-30", "to": "2026-04-20"}
        ])
    );
    assert_eq!(m["history"]["commits_read"], 4);
    assert_eq!(m["history"]["unreadable"], 0);
    // Re-plans per quarter of the commit: Q1 holds the 30-day move (1 February), Q2 the
    // 41-day one (10 April); the series runs from the first commit's quarter to as_of's.
    assert_eq!(
        m["history"]["quarters"],
        serde_json::json!([
            {"quarter": "2026-Q1", "replans": 1, "median_days_later": 30},
            {"quarter": "2026-Q2", "replans": 1, "median_days_later": 41}
        ])
    );
    // The baseline is the first target from git, not the current target: overdue at
    // as_of 2026-06-15 by 30 (April) + 31 (May) + 15 = 76 days, not by 15.
    let d = &m["delivery"]["items"]["a"];
    assert_eq!(d["baseline_source"], "git");
    assert_eq!(d["overdue_days"], 76);
    assert_eq!(
        built.summary,
        Some(throughline::history::Summary {
            commits: 4,
            unreadable: 0,
            partial: false
        })
    );
}

#[test]
fn the_item_page_draws_the_target_date_over_time_as_steps_of_dates() {
    let built = build(replanned_repo("").path());
    let page = scraper::Html::parse_document(&built.page("roadmap/a/index.html"));
    let sel = |css: &str| scraper::Selector::parse(css).expect("selector");
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_string();
    let figure = page
        .select(&sel(
            "section[aria-labelledby=plan-title] figure#plan-history",
        ))
        .next()
        .expect("the plan history chart");
    let desc = figure.select(&sel(".chart-desc")).next().map(text);
    assert_eq!(
        desc.as_deref(),
        Some("The target date at each commit that moved it: first 2026-03-31, now 2026-05-31.")
    );
    // One row per commit that moved the target, then as_of (2026-06-15) with the target
    // that holds now; the first target closes the table as the reference line.
    let rows: Vec<Vec<String>> = figure
        .select(&sel("table tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect();
    let expected = [
        ["2026-01-05", "2026-03-31"],
        ["2026-02-01", "2026-04-30"],
        ["2026-03-01", "2026-04-20"],
        ["2026-04-10", "2026-05-31"],
        ["2026-06-15", "2026-05-31"],
        ["First target", "2026-03-31"],
    ];
    assert_eq!(
        rows,
        expected.map(|r| r.map(String::from).to_vec()).to_vec()
    );
    // The value axis is in dates: targets 03-31 … 05-31 (padded 3 days each side) tick
    // every other Monday.
    let svg = figure.select(&sel(".chart-wide svg")).next().expect("svg");
    let y_labels: Vec<String> = svg
        .select(&sel("text[text-anchor=end]"))
        .map(text)
        .collect();
    assert_eq!(y_labels, ["Mar 30", "Apr 13", "Apr 27", "May 11", "May 25"]);
}

#[test]
fn a_written_baseline_wins_and_an_item_without_history_keeps_its_target() {
    let repo = replanned_repo("");
    repo.commit(
        "2026-05-01T10:00:00Z",
        &[(
            "content/roadmap/b.md",
            Some(
                "---\ntitle: B\ntype: infrastructure\nvalue: v\nstatus: planned\ntarget: 2026-07-31\nbaseline_target: 2026-06-30\n---\n",
            ),
        )],
    );
    // Not committed: no history, so the baseline is the target (content.md's default).
    repo.write("content/roadmap/c.md", &item("planned", Some("2026-09-30")));
    let m = build(repo.path()).metrics();
    assert_eq!(m["delivery"]["items"]["b"]["baseline_source"], "field");
    assert_eq!(m["delivery"]["items"]["c"]["baseline_source"], "target");
    assert_eq!(m["history"]["items"]["c"], Value::Null);
}

#[test]
fn a_target_set_while_an_idea_is_not_the_first_target() {
    let repo = Repo::new();
    repo.commit(
        "2026-01-05T10:00:00Z",
        &[
            ("site.yaml", Some(&site_yaml(""))),
            (
                "content/roadmap/a.md",
                Some(&item("idea", Some("2026-02-15"))),
            ),
        ],
    );
    repo.commit(
        "2026-02-01T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("idea", Some("2026-03-01"))),
        )],
    );
    repo.commit(
        "2026-03-01T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("planned", Some("2026-05-15"))),
        )],
    );
    let m = build(repo.path()).metrics();
    assert_eq!(m["history"]["items"]["a"]["first_target"], "2026-05-15");
    // The idea-time move (02-15 → 03-01, 14 days) and the commitment (03-01 → 05-15,
    // 31 + 30 + 15 = 75 days) both moved the target later.
    assert_eq!(m["history"]["items"]["a"]["replans"], 2);
    assert_eq!(m["history"]["items"]["a"]["replanned_days"], 14 + 75);
    // Committed on 15 May: 31 days overdue at 15 June.
    assert_eq!(m["delivery"]["items"]["a"]["overdue_days"], 31);
}

#[test]
fn a_file_renamed_with_the_same_id_is_the_same_item() {
    let repo = replanned_repo("");
    repo.git(
        &["mv", "content/roadmap/a.md", "content/roadmap/ledger.md"],
        "2026-05-01T10:00:00Z",
    );
    repo.commit(
        "2026-05-01T10:00:00Z",
        &[(
            "content/roadmap/ledger.md",
            Some(
                &item("in-progress", Some("2026-05-31")).replace("---\ntitle", "---\nid: a\ntitle"),
            ),
        )],
    );
    let m = build(repo.path()).metrics();
    let events = m["history"]["items"]["a"]["events"]
        .as_array()
        .expect("events")
        .clone();
    assert_eq!(events.len(), 4, "{events:#?}");
    assert!(events.iter().all(|e| e["removed"] == false));
    assert_eq!(m["history"]["items"]["ledger"], Value::Null);
}

#[test]
fn an_unparseable_revision_is_skipped_and_counted() {
    let repo = replanned_repo("");
    repo.commit(
        "2026-05-01T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("in-progres", Some("2026-06-30"))),
        )],
    );
    repo.commit(
        "2026-05-02T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("in-progress", Some("2026-07-31"))),
        )],
    );
    let built = build(repo.path());
    let m = built.metrics();
    assert_eq!(m["history"]["unreadable"], 1);
    let events = m["history"]["items"]["a"]["events"]
        .as_array()
        .expect("events")
        .clone();
    // No removed or created event; the fix moves the target from the last readable state.
    assert_eq!(events.len(), 5);
    assert_eq!(
        events[4]["changes"],
        serde_json::json!([{"field": "target", "from": "2026-05-31", "to": "2026-07-31"}])
    );
    assert_eq!(events[4]["date"], "2026-05-02");
    assert!(
        built
            .summary
            .as_ref()
            .is_some_and(|s| s.line() == "history: 6 commits read, 1 unreadable file skipped"),
        "{:?}",
        built.summary.map(|s| s.line())
    );
}

#[test]
fn a_revision_larger_than_max_file_size_is_not_read_and_counted() {
    // The limit is site.yaml's, as for files on disk: 400 bytes here.
    let repo = replanned_repo("max_file_size: 400\n");
    let padded = format!(
        "{}{}\n",
        item("in-progress", Some("2026-06-30")),
        "x".repeat(500)
    );
    repo.commit(
        "2026-05-01T10:00:00Z",
        &[("content/roadmap/a.md", Some(&padded))],
    );
    repo.commit(
        "2026-05-02T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("in-progress", Some("2026-07-31"))),
        )],
    );
    let m = build(repo.path()).metrics();
    assert_eq!(m["history"]["unreadable"], 1);
    let events = m["history"]["items"]["a"]["events"]
        .as_array()
        .expect("events");
    // The oversized revision is skipped: 05-31 → 07-31 in one step on 2 May.
    assert_eq!(events.len(), 5);
    assert_eq!(
        events[4]["changes"],
        serde_json::json!([{"field": "target", "from": "2026-05-31", "to": "2026-07-31"}])
    );
}

#[test]
fn a_merge_is_one_event_and_side_branch_commits_are_not() {
    let repo = replanned_repo("");
    repo.git(&["checkout", "-q", "-b", "side"], "2026-05-01T10:00:00Z");
    repo.commit(
        "2026-05-01T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("in-progress", Some("2026-06-30"))),
        )],
    );
    repo.commit(
        "2026-05-02T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&item("in-progress", Some("2026-07-31"))),
        )],
    );
    repo.git(&["checkout", "-q", "main"], "2026-05-03T10:00:00Z");
    repo.git(
        &["merge", "-q", "--no-ff", "-m", "merge side", "side"],
        "2026-05-03T10:00:00Z",
    );
    let m = build(repo.path()).metrics();
    // Four commits on main before, plus the merge.
    assert_eq!(m["history"]["commits_read"], 5);
    let events = m["history"]["items"]["a"]["events"]
        .as_array()
        .expect("events")
        .clone();
    assert_eq!(events.len(), 5);
    assert_eq!(events[4]["date"], "2026-05-03");
    // 05-31 → 07-31: 30 + 31 = 61 days, one re-plan.
    assert_eq!(
        events[4]["changes"],
        serde_json::json!([{"field": "target", "from": "2026-05-31", "to": "2026-07-31"}])
    );
    assert_eq!(m["history"]["items"]["a"]["replans"], 3);
    assert_eq!(m["history"]["items"]["a"]["replanned_days"], 30 + 41 + 61);
}

#[test]
fn a_commit_takes_its_local_date_in_the_site_timezone() {
    let repo = Repo::new();
    // 02:30 UTC on 1 March is 21:30 on 28 February in New York.
    repo.commit(
        "2026-03-01T02:30:00Z",
        &[
            (
                "site.yaml",
                Some(&site_yaml("timezone: America/New_York\n")),
            ),
            (
                "content/roadmap/a.md",
                Some(&item("planned", Some("2026-03-31"))),
            ),
        ],
    );
    let m = build(repo.path()).metrics();
    assert_eq!(
        m["history"]["items"]["a"]["events"][0]["date"],
        "2026-02-28"
    );
}

#[test]
fn a_shallow_clone_reads_what_it_has_and_says_so() {
    let repo = replanned_repo("");
    let clone = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", repo.path().display());
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "2", &url])
        .arg(clone.path().join("site"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("git clone");
    assert!(status.success());
    let built = build(&clone.path().join("site"));
    let m = built.metrics();
    assert_eq!(m["history"]["commits_read"], 2);
    // The oldest commit read (1 March) shows the item as created there, at 04-20.
    assert_eq!(m["history"]["items"]["a"]["first_target"], "2026-04-20");
    let summary = built.summary.expect("history on");
    assert!(summary.partial);
    assert_eq!(
        summary.line(),
        "history: 2 commits read (partial: the history ends before the first commit)"
    );
}

#[test]
fn a_site_in_a_subfolder_reads_only_its_own_content() {
    let repo = Repo::new();
    repo.commit(
        "2026-01-05T10:00:00Z",
        &[
            ("report/site.yaml", Some(&site_yaml(""))),
            (
                "report/content/roadmap/a.md",
                Some(&item("planned", Some("2026-03-31"))),
            ),
            // Another report's content at the top of the repository.
            (
                "content/roadmap/other.md",
                Some(&item("planned", Some("2026-01-31"))),
            ),
        ],
    );
    repo.commit(
        "2026-02-01T10:00:00Z",
        &[(
            "report/content/roadmap/a.md",
            Some(&item("planned", Some("2026-04-30"))),
        )],
    );
    let m = build(&repo.path().join("report")).metrics();
    let items: Vec<&String> = m["history"]["items"]
        .as_object()
        .expect("items")
        .keys()
        .collect();
    assert_eq!(items, ["a"]);
    assert_eq!(m["history"]["items"]["a"]["replanned_days"], 30);
}

#[test]
fn no_repository_and_history_false_build_the_same_bytes() {
    let plain = tempfile::tempdir().expect("temp dir");
    let write = |root: &Path, rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, text).expect("write");
    };
    write(plain.path(), "site.yaml", &site_yaml(""));
    write(
        plain.path(),
        "content/roadmap/a.md",
        &item("in-progress", Some("2026-05-31")),
    );
    let outside = build(plain.path());
    let m = outside.metrics();
    assert!(m.get("history").is_none() && m.get("changes").is_none());
    assert!(m["delivery"]["items"]["a"].get("baseline_source").is_none());
    assert!(outside.summary.is_none());
    assert!(!outside.files.contains_key("changes/index.html"));

    let repo = replanned_repo("history: false\n");
    std::fs::write(repo.path().join("site.yaml"), site_yaml("")).expect("write");
    let off = Repo { dir: repo.dir };
    // Same site.yaml as outside git, history switched off in the file that is read.
    write(off.path(), "site.yaml", &site_yaml("history: false\n"));
    write(plain.path(), "site.yaml", &site_yaml("history: false\n"));
    let outside = build(plain.path());
    let inside = build(off.path());
    assert!(inside.summary.is_none());
    assert_eq!(
        outside.files.keys().collect::<Vec<_>>(),
        inside.files.keys().collect::<Vec<_>>()
    );
    for (file, bytes) in &outside.files {
        assert!(inside.files[file] == *bytes, "{file} differs");
    }
}

/// A repository reviewed on 1 March (tag `review-2026-q1`), changed since.
fn reviewed_repo() -> Repo {
    let repo = Repo::new();
    let outcome = "title: Ledger cost\nunit: \"%\"\ndirection: decrease\nbaseline: {value: 100, date: 2026-01-01}\ntarget: {value: 50, date: 2026-12-31}\nmeasurements:\n  - {date: 2026-02-01, value: 90}\n";
    let pm = |actions: &str| {
        format!(
            "---\ntitle: Ledger outage\nseverity: SEV3\nservices: [ledger]\nstarted: 2026-02-10T10:00:00Z\ndetected: 2026-02-10T10:05:00Z\nresolved: 2026-02-10T11:00:00Z\naction_items:\n{actions}---\nBody.\n"
        )
    };
    repo.commit(
        "2026-02-15T10:00:00Z",
        &[
            ("site.yaml", Some(&site_yaml(""))),
            (
                "content/roadmap/a.md",
                Some(&item("planned", Some("2026-04-30"))),
            ),
            (
                "content/roadmap/gone.md",
                Some(&item("planned", Some("2026-09-30"))),
            ),
            (
                "content/roadmap/ship.md",
                Some(&item("in-progress", Some("2026-05-31"))),
            ),
            ("content/outcomes/cost.yaml", Some(outcome)),
            (
                "content/postmortems/p.md",
                Some(&pm(
                    "  - {title: Add alert, owner: ops, due: 2026-03-10, status: open}\n",
                )),
            ),
        ],
    );
    repo.git(&["tag", "review-2026-q1"], "2026-03-01T10:00:00Z");
    repo.commit(
        "2026-04-01T10:00:00Z",
        &[
            ("content/roadmap/a.md", Some(&item("in-progress", Some("2026-06-30")))),
            ("content/roadmap/gone.md", None),
            ("content/roadmap/new.md", Some(&item("planned", Some("2026-10-31")))),
            (
                "content/roadmap/ship.md",
                Some(
                    "---\ntitle: Ship\ntype: infrastructure\nvalue: v\nstatus: shipped\ntarget: 2026-05-31\nshipped: 2026-05-20\n---\n",
                ),
            ),
            (
                "content/outcomes/cost.yaml",
                Some(&format!("{outcome}  - {{date: 2026-05-01, value: 70}}\n")),
            ),
            (
                "content/postmortems/p.md",
                Some(&pm(
                    "  - {title: Add alert, owner: ops, due: 2026-03-10, status: done, done_on: 2026-04-01}\n  - {title: Runbook, owner: ops, due: 2026-05-01, status: open}\n",
                )),
            ),
        ],
    );
    repo
}

#[test]
fn changes_since_the_newest_review_tag() {
    let repo = reviewed_repo();
    let built = build(repo.path());
    let c = &built.metrics()["changes"];
    // The tag's commit is dated 15 February (the tag's own date does not count).
    assert_eq!(c["since"], "2026-02-15");
    assert_eq!(c["commit"].as_str().map(str::len), Some(12));
    let r = &c["roadmap"];
    assert_eq!(r["added"], serde_json::json!(["new"]));
    assert_eq!(r["removed"], serde_json::json!(["gone"]));
    assert_eq!(r["shipped"], serde_json::json!(["ship"]));
    assert_eq!(
        r["status"],
        serde_json::json!([
            {"id": "a", "from": "planned", "to": "in-progress"},
            {"id": "ship", "from": "in-progress", "to": "shipped"}
        ])
    );
    // 04-30 → 06-30: 31 + 30 = 61 days later.
    assert_eq!(
        r["target"],
        serde_json::json!([{"id": "a", "from": "2026-04-30", "to": "2026-06-30", "days": 61}])
    );
    assert_eq!(
        c["outcomes"]["measurements"],
        serde_json::json!([{"id": "cost", "date": "2026-05-01", "value": 70.0}])
    );
    // Progress then (at 15 Feb): (90 − 100) ÷ (50 − 100) = 0.2; now: (70 − 100) ÷ −50 = 0.6.
    assert_eq!(
        c["outcomes"]["progress"],
        serde_json::json!([{"id": "cost", "from": 0.2, "to": 0.6}])
    );
    let rel = &c["reliability"];
    assert_eq!(
        rel["action_items_done"],
        serde_json::json!([{"postmortem": "p", "index": 0, "title": "Add alert"}])
    );
    assert_eq!(
        rel["action_items_opened"],
        serde_json::json!([{"postmortem": "p", "index": 1, "title": "Runbook"}])
    );
    // The runbook was due 1 May and is open at 15 June.
    assert_eq!(
        rel["action_items_overdue"],
        serde_json::json!([{"postmortem": "p", "index": 1, "title": "Runbook"}])
    );
    assert_eq!(rel["postmortems"], serde_json::json!([]));
    let page = built.page("changes/index.html");
    assert!(page.contains("href=\"/roadmap/new/\""), "{page}");
    assert!(page.contains("61 days later"), "{page}");
    let home = built.page("index.html");
    assert!(home.contains("href=\"/changes/\""), "{home}");
    assert!(home.contains("1 item added"), "{home}");
}

#[test]
fn since_a_date_takes_the_last_commit_on_or_before_it() {
    let repo = reviewed_repo();
    // Before every commit: "then" is an empty report and everything is added.
    let early = build_with(repo.path(), Some("2026-01-01")).metrics();
    assert_eq!(early["changes"]["commit"], Value::Null);
    assert_eq!(
        early["changes"]["roadmap"]["added"],
        serde_json::json!(["a", "new", "ship"])
    );
    // On the day of the second commit: nothing changed since.
    let late = build_with(repo.path(), Some("2026-04-01")).metrics();
    assert_eq!(late["changes"]["since"], "2026-04-01");
    assert_eq!(late["changes"]["roadmap"]["added"], serde_json::json!([]));
    // A REF that names nothing is a warning, and the newest review tag is used.
    let bad = build_with(repo.path(), Some("no-such-tag"));
    assert!(
        bad.warnings
            .iter()
            .any(|w| w.contains("`no-such-tag` is not a date, a tag or a commit")),
        "{:?}",
        bad.warnings
    );
    assert_eq!(bad.metrics()["changes"]["since"], "2026-02-15");
}

#[test]
fn an_edit_to_content_does_not_read_history_again_and_a_commit_does() {
    let repo = replanned_repo("");
    let mut site = Site::open(BuildOptions {
        root: repo.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .expect("open");
    site.build();
    assert_eq!(site.history_reads(), 1);
    let changes = |site: &Site| -> Value {
        let m: Value = serde_json::from_slice(site.output().get("metrics.json").expect("metrics"))
            .expect("json");
        m["changes"]["roadmap"]["target"].clone()
    };
    // The review point, 28 days before as_of (2026-05-18), is the commit of 10 April:
    // target 05-31, as now.
    assert_eq!(changes(&site), serde_json::json!([]));
    let a = repo.path().join("content/roadmap/a.md");
    std::fs::write(&a, item("in-progress", Some("2026-08-31"))).expect("write");
    site.rebuild(std::slice::from_ref(&a)).expect("rebuild");
    assert!(!site.has_errors(), "{:?}", site.diagnostics());
    assert_eq!(site.history_reads(), 1);
    // "Then" is kept from the last build, "now" has the edit: 05-31 → 08-31 is 92 days.
    assert_eq!(
        changes(&site),
        serde_json::json!([{"id": "a", "from": "2026-05-31", "to": "2026-08-31", "days": 92}])
    );
    repo.commit("2026-05-01T10:00:00Z", &[]);
    site.rebuild(std::slice::from_ref(&a)).expect("rebuild");
    assert_eq!(site.history_reads(), 2);
    let m: Value =
        serde_json::from_slice(site.output().get("metrics.json").expect("metrics")).expect("json");
    // The commit of 1 May moved the target 05-31 → 08-31: 30 + 31 + 31 = 92 days later.
    assert_eq!(m["history"]["items"]["a"]["replanned_days"], 30 + 41 + 92);
}

#[test]
fn snapshots_are_made_again_only_when_what_they_are_made_of_changes() {
    let repo = replanned_repo("snapshots: quarterly\n");
    let mut site = Site::open(BuildOptions {
        root: repo.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .expect("open");
    let made = |r: &throughline::site::BuildReport| r.phases.iter().any(|(n, _)| *n == "snapshots");
    let page = "archive/2026-Q1/roadmap/a/index.html";
    assert!(made(&site.build()));
    let before = site
        .output()
        .get(page)
        .expect("the 2026-Q1 snapshot")
        .to_vec();
    // An edit to content: the snapshots stand, every file of them still served.
    let a = repo.path().join("content/roadmap/a.md");
    std::fs::write(&a, item("in-progress", Some("2026-08-31"))).expect("write");
    let report = site.rebuild(std::slice::from_ref(&a)).expect("rebuild");
    assert!(!site.has_errors(), "{:?}", site.diagnostics());
    assert!(!made(&report));
    assert_eq!(site.output().get(page), Some(before.as_slice()));
    assert!(site.output().get("archive/2026-Q1/metrics.json").is_some());
    assert!(
        !report
            .changed
            .iter()
            .any(|f| f.starts_with("archive/2026-Q1/"))
    );
    // A new template: made again, with the new page.
    let note = repo.path().join("templates/custom/note.html");
    std::fs::create_dir_all(note.parent().expect("parent")).expect("folder");
    std::fs::write(
        &note,
        "{% extends \"base.html\" %}{% block main %}<h1>Note</h1>{% endblock main %}\n",
    )
    .expect("write");
    let report = site.rebuild(std::slice::from_ref(&note)).expect("rebuild");
    assert!(made(&report));
    assert!(
        site.output()
            .get("archive/2026-Q1/note/index.html")
            .is_some()
    );
    // A commit: history is read again, and so are the snapshots made.
    repo.commit("2026-05-01T10:00:00Z", &[]);
    let report = site.rebuild(std::slice::from_ref(&a)).expect("rebuild");
    assert!(made(&report));
    assert_eq!(site.output().get(page), Some(before.as_slice()));
}

#[test]
fn a_check_told_to_stop_gives_up_while_rendering_snapshots_too() {
    let repo = replanned_repo("snapshots: quarterly\n");
    let mut site = Site::open(BuildOptions {
        root: repo.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .expect("open");
    // Asked before each page, snapshots first: the third time says stop.
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let stop = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 2;
    let report = site.check_unless(&stop);
    assert!(report.interrupted);
    assert!(!report.phases.iter().any(|(n, _)| *n == "snapshots"));
    let report = site.check();
    assert!(!report.interrupted);
    assert!(report.phases.iter().any(|(n, _)| *n == "snapshots"));
    assert!(!site.has_errors(), "{:?}", site.diagnostics());
}

#[test]
fn quarterly_snapshots_build_the_report_as_it_stood_at_each_quarter_end() {
    let repo = replanned_repo("snapshots: quarterly\n");
    let built = build(repo.path());
    // as_of 2026-06-15: 2026-Q1 is the only quarter that ended inside the history (the
    // first commit is dated 5 January; 2025-Q4 ended before it).
    let archive = built.page("archive/index.html");
    assert!(archive.contains("href=\"/archive/2026-Q1/\""), "{archive}");
    assert!(!archive.contains("2025-Q4"), "{archive}");
    assert!(!built.files.contains_key("archive/2025-Q4/index.html"));
    // Its content is the commit of 1 March (target 04-20, in progress), at as_of 03-31.
    let m: Value =
        serde_json::from_slice(&built.files["archive/2026-Q1/metrics.json"]).expect("json");
    assert_eq!(m["as_of"], "2026-03-31");
    // Up to 1 March: one re-plan, 03-31 → 04-30 (30 days); the move to 04-20 was earlier.
    assert_eq!(m["history"]["items"]["a"]["replans"], 1);
    assert_eq!(m["history"]["items"]["a"]["replanned_days"], 30);
    assert_eq!(m["delivery"]["items"]["a"]["baseline_source"], "git");
    let page = built.page("archive/2026-Q1/roadmap/a/index.html");
    assert!(page.contains("as it stood at the end of 2026-Q1"), "{page}");
    assert!(page.contains("2026-04-20"), "{page}");
    assert!(page.contains("href=\"/\""), "{page}");
    // Every page, live or archived, links to the archive from its footer.
    for file in ["index.html", "archive/2026-Q1/roadmap/a/index.html"] {
        let page = built.page(file);
        assert!(
            page.contains("<a href=\"/archive/\">Past quarters</a>"),
            "{file}: {page}"
        );
    }
    assert!(
        built.files.contains_key("archive/2026-Q1/style.css")
            || built
                .files
                .keys()
                .any(|k| k.starts_with("archive/2026-Q1/") && k.ends_with(".css"))
    );
}

#[test]
fn a_quarter_whose_content_was_inconsistent_is_left_out_with_a_warning() {
    let repo = Repo::new();
    let with = |extra: &str| {
        format!(
            "---\ntitle: Ledger migration\ntype: infrastructure\nvalue: cheaper ledgers\nstatus: planned\ntarget: 2026-03-31\n{extra}---\n"
        )
    };
    repo.commit(
        "2025-11-05T10:00:00Z",
        &[
            ("site.yaml", Some(&site_yaml("snapshots: quarterly\n"))),
            ("content/roadmap/a.md", Some(&with(""))),
        ],
    );
    // Through 2026-Q1 the item depends on an item that does not exist (line 7).
    let broken = repo.commit(
        "2026-02-05T10:00:00Z",
        &[(
            "content/roadmap/a.md",
            Some(&with("depends_on: [nothing]\n")),
        )],
    );
    repo.commit(
        "2026-04-05T10:00:00Z",
        &[("content/roadmap/a.md", Some(&with("")))],
    );
    let built = build(repo.path());
    assert!(built.files.contains_key("archive/2025-Q4/index.html"));
    assert!(!built.files.contains_key("archive/2026-Q1/index.html"));
    let archive = built.page("archive/index.html");
    assert!(!archive.contains("2026-Q1"), "{archive}");
    assert_eq!(
        built
            .warnings
            .iter()
            .filter(|w| w.contains("snapshot"))
            .collect::<Vec<_>>(),
        [&format!(
            "the snapshot 2026-Q1 is left out: the content at commit {} does not make a consistent report (content/roadmap/a.md:7: unknown roadmap item `nothing` in `depends_on`)",
            &broken[..12]
        )]
    );
}

#[test]
fn a_snapshot_a_template_fails_on_is_left_out_and_the_build_goes_on() {
    // The custom page names item `b`, which the report gained in 2026-Q2: the 2026-Q1
    // snapshot (content of 1 March, item `a` only) cannot render it.
    let repo = replanned_repo("snapshots: quarterly\n");
    repo.commit(
        "2026-04-20T10:00:00Z",
        &[
            ("content/roadmap/b.md", Some(&item("planned", Some("2026-09-30")))),
            (
                "templates/custom/board.html",
                Some(
                    "{% extends \"base.html\" %}{% block main %}<h1>Board</h1><p>{{ metrics.delivery.items.b.baseline_source }}</p>{% endblock main %}\n",
                ),
            ),
        ],
    );
    let built = build(repo.path());
    assert!(built.page("board/index.html").contains("<p>git</p>"));
    assert!(
        !built
            .files
            .keys()
            .any(|f| f.starts_with("archive/2026-Q1/"))
    );
    let archive = built.page("archive/index.html");
    assert!(!archive.contains("2026-Q1"), "{archive}");
    assert!(archive.contains("none could be built"), "{archive}");
    let warnings: Vec<&String> = built
        .warnings
        .iter()
        .filter(|w| w.contains("snapshot"))
        .collect();
    assert_eq!(
        warnings,
        ["the snapshot 2026-Q1 is left out: cannot render board/ with custom/board.html"]
    );
}

#[test]
fn a_corrupt_commit_ends_the_history_there_and_the_build_goes_on() {
    let repo = replanned_repo("");
    // A commit object whose dates cannot be read (git itself refuses it), made the tip.
    let tree = repo.git(&["write-tree"], "2026-05-01T10:00:00Z");
    let parent = repo.git(&["rev-parse", "HEAD"], "2026-05-01T10:00:00Z");
    repo.write(
        "bad-commit",
        &format!(
            "tree {tree}\nparent {parent}\nauthor Bad <b@x> notadate +zz00\ncommitter Bad <b@x> 99999999999999999999 +9999\n\nbad\n"
        ),
    );
    let bad = repo.git(
        &[
            "hash-object",
            "-t",
            "commit",
            "--literally",
            "-w",
            "bad-commit",
        ],
        "2026-05-01T10:00:00Z",
    );
    std::fs::remove_file(repo.path().join("bad-commit")).expect("remove");
    repo.git(
        &["update-ref", "refs/heads/main", &bad],
        "2026-05-01T10:00:00Z",
    );
    let built = build(repo.path());
    assert_eq!(built.metrics()["history"]["commits_read"], 0);
    assert_eq!(
        built.summary.as_ref().map(|s| s.line()),
        Some(
            "history: 0 commits read (partial: the history ends before the first commit)"
                .to_string()
        )
    );
    // The content now is what the site shows.
    assert_eq!(
        built.metrics()["delivery"]["items"]["a"]["baseline_source"],
        "target"
    );
}

#[test]
fn no_commits_yet_and_a_detached_head_still_build() {
    let repo = Repo::new();
    repo.write("site.yaml", &site_yaml(""));
    repo.write("content/roadmap/a.md", &item("planned", Some("2026-03-31")));
    let built = build(repo.path());
    assert_eq!(built.metrics()["history"]["commits_read"], 0);
    assert_eq!(
        built.summary.map(|s| s.line()),
        Some("history: no commits yet".to_string())
    );

    let repo = replanned_repo("");
    repo.git(
        &["checkout", "-q", "--detach", "HEAD~1"],
        "2026-05-01T10:00:00Z",
    );
    let m = build(repo.path()).metrics();
    // HEAD~1 is the commit of 1 March: three commits, one re-plan of 30 days.
    assert_eq!(m["history"]["commits_read"], 3);
    assert_eq!(m["history"]["items"]["a"]["replanned_days"], 30);
}

/// Poll until `check` holds, for at most ten seconds.
fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !check() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

#[test]
fn build_watch_follows_a_new_review_tag_and_a_new_commit() {
    let repo = reviewed_repo();
    let mut watch = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .args(["build", "--watch", "--root"])
        .arg(repo.path())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start build --watch");
    let metrics = repo.path().join("public/metrics.json");
    let changes = |field: &str| -> Value {
        std::fs::read(&metrics)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .map(|m| m["changes"][field].clone())
            .unwrap_or(Value::Null)
    };
    let result = std::panic::catch_unwind(|| {
        eventually("the first build", || changes("since") == "2026-02-15");
        // Tagging the newest commit (1 April) moves the review point: nothing in the
        // working tree changes, only a ref.
        repo.git(&["tag", "review-2026-q2"], "2026-04-02T10:00:00Z");
        eventually("the review point to move", || {
            changes("since") == "2026-04-01"
        });
        assert_eq!(changes("roadmap")["added"], serde_json::json!([]));
        // An edit moving item `a`'s target 06-30 → 07-31 shows at once as a change since
        // the tag, but is not plan history until it is committed.
        let history = |field: &str| -> Value {
            std::fs::read(&metrics)
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                .map(|m| m["history"]["items"]["a"][field].clone())
                .unwrap_or(Value::Null)
        };
        assert_eq!(history("replanned_days"), 61);
        repo.write(
            "content/roadmap/a.md",
            &item("in-progress", Some("2026-07-31")),
        );
        eventually("the edit", || {
            changes("roadmap")["target"]
                == serde_json::json!([{"id": "a", "from": "2026-06-30", "to": "2026-07-31", "days": 31}])
        });
        assert_eq!(history("replanned_days"), 61);
        // Committing it changes nothing in the working tree, only HEAD.
        repo.commit("2026-05-01T10:00:00Z", &[]);
        eventually("the commit to count", || {
            history("replanned_days") == 61 + 31
        });
    });
    let _ = watch.kill();
    let _ = watch.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn files_and_folders_whose_names_share_a_prefix_are_compared_name_by_name() {
    // Git orders `a.md` < `a/` < `ab.md` (a folder's name counts as ending in `/`); `a.md`
    // is added beside the folder `a/` in the second commit.
    let repo = Repo::new();
    let planned = |t: &str| item("planned", Some(t));
    repo.commit(
        "2026-01-05T10:00:00Z",
        &[
            ("site.yaml", Some(&site_yaml(""))),
            ("content/roadmap/a/x.md", Some(&planned("2026-03-31"))),
            ("content/roadmap/ab.md", Some(&planned("2026-03-31"))),
        ],
    );
    repo.commit(
        "2026-02-01T10:00:00Z",
        &[
            ("content/roadmap/a.md", Some(&planned("2026-05-31"))),
            ("content/roadmap/a/x.md", Some(&planned("2026-04-30"))),
            ("content/roadmap/ab.md", Some(&planned("2026-04-30"))),
        ],
    );
    let m = build(repo.path()).metrics();
    for id in ["x", "ab"] {
        let h = &m["history"]["items"][id];
        assert_eq!(h["replans"], 1, "{id}: {h}");
        assert_eq!(h["replanned_days"], 30, "{id}: {h}");
        assert_eq!(h["first_target"], "2026-03-31", "{id}: {h}");
        assert_eq!(h["events"].as_array().map(Vec::len), Some(2), "{id}: {h}");
    }
    let a = &m["history"]["items"]["a"];
    assert_eq!(a["replans"], 0, "{a}");
    assert_eq!(a["first_target"], "2026-05-31", "{a}");
    assert_eq!(a["events"].as_array().map(Vec::len), Some(1), "{a}");
}

#[test]
fn the_gitignore_from_init_keeps_the_built_site_and_its_swap_folders_out_of_commits() {
    let repo = Repo::new();
    let paths = [
        "public/index.html",
        ".public.new-x1y2z3/index.html",
        ".public.old/index.html",
        ".public.old-2/index.html",
    ];
    for rel in paths {
        repo.write(rel, "built");
    }
    repo.write("content/roadmap/a.md", &item("planned", None));
    let mut args = vec!["check-ignore", "--no-index"];
    args.extend(paths);
    let ignored = repo.git(&args, "2026-01-02T12:00:00Z");
    assert_eq!(ignored.lines().collect::<Vec<_>>(), paths);
    repo.commit("2026-01-02T12:00:00Z", &[]);
    let committed = repo.git(&["ls-files"], "2026-01-02T12:00:00Z");
    assert_eq!(
        committed.lines().collect::<Vec<_>>(),
        [".gitignore", "content/roadmap/a.md"]
    );
}
