//! The Pages workflow `init` writes: what runs on a pull request and on a push, who may
//! publish, and which throughline it installs.

use serde_json::{Value, json};

use crate::{cargo_section, pages, step_named, steps_of};

pub fn step_using<'a>(steps: &'a [Value], action: &str) -> (usize, &'a Value) {
    steps
        .iter()
        .enumerate()
        .find(|(_, s)| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with(&format!("{action}@")))
        })
        .unwrap_or_else(|| panic!("no step uses {action}"))
}

const NOT_PR: &str = "github.event_name != 'pull_request'";

#[test]
fn pages_only_the_deploy_job_can_write_to_pages_or_mint_a_token() {
    let wf = pages();
    assert_eq!(wf["permissions"], json!({}), "nothing by default");
    let jobs = wf["jobs"].as_object().unwrap();
    assert_eq!(
        jobs.keys().collect::<Vec<_>>(),
        ["build", "deploy"],
        "two jobs"
    );
    assert_eq!(
        jobs["build"]["permissions"],
        json!({"contents": "read", "pages": "read"})
    );
    assert_eq!(
        jobs["deploy"]["permissions"],
        json!({"pages": "write", "id-token": "write"})
    );
    assert_eq!(jobs["deploy"]["needs"], "build");
    assert_eq!(jobs["deploy"]["if"], NOT_PR);
    assert_eq!(jobs["deploy"]["environment"]["name"], "github-pages");
    assert_eq!(
        jobs["deploy"]["environment"]["url"],
        "${{ steps.deployment.outputs.page_url }}"
    );
    let (_, deploy) = step_using(steps_of(&wf, "deploy"), "actions/deploy-pages");
    assert_eq!(deploy["id"], "deployment");
    // The checkout keeps no token for later steps to find.
    let (_, checkout) = step_using(steps_of(&wf, "build"), "actions/checkout");
    assert_eq!(checkout["with"]["persist-credentials"], false);
}

#[test]
fn pages_pull_requests_check_and_build_without_pages_steps_and_pushes_deploy() {
    let wf = pages();
    assert_eq!(wf["on"]["push"]["branches"], json!(["main"]));
    assert_eq!(wf["on"]["pull_request"]["branches"], json!(["main"]));
    assert!(wf["on"].get("workflow_dispatch").is_some());
    // Pushes share the `pages` group and are never cancelled; pull requests get their own.
    assert_eq!(
        wf["concurrency"]["group"],
        "${{ github.event_name == 'pull_request' && format('pages-pr-{0}', github.event.number) || 'pages' }}"
    );
    assert_eq!(
        wf["concurrency"]["cancel-in-progress"],
        "${{ github.event_name == 'pull_request' }}"
    );

    let steps = steps_of(&wf, "build");
    let (check_at, check) = step_named(steps, "Check the content");
    assert_eq!(check["run"], "throughline check --format github");
    assert!(check.get("if").is_none(), "every run checks");
    let (pages_at, configure) = step_using(steps, "actions/configure-pages");
    assert_eq!(configure["id"], "pages");
    assert_eq!(configure["if"], NOT_PR);
    let (explain_at, explain) = step_named(steps, "Explain a failed Pages setup");
    assert_eq!(
        explain["if"],
        "failure() && steps.pages.outcome == 'failure'"
    );
    assert!(
        explain["run"]
            .as_str()
            .unwrap()
            .contains("Settings → Pages and set Source to GitHub Actions, then re-run")
    );
    let (build_at, build) = step_named(steps, "Build the site");
    assert!(
        build.get("if").is_none(),
        "pull requests build the whole site too"
    );
    assert_eq!(
        build["run"],
        "throughline build --base-url \"$BASE_URL/\" --output-dir public"
    );
    // Pages' address on a push; on a pull request a placeholder under a sub-path.
    assert_eq!(
        build["env"]["BASE_URL"],
        "${{ steps.pages.outputs.base_url || 'https://pull-request.invalid/report' }}"
    );
    let (upload_at, upload) = step_using(steps, "actions/upload-pages-artifact");
    assert_eq!(upload["if"], NOT_PR);
    assert_eq!(upload["with"]["path"], "public");
    assert!(
        check_at < pages_at
            && pages_at < explain_at
            && explain_at < build_at
            && build_at < upload_at,
        "steps out of order"
    );
    // Nothing else in the build job talks to Pages.
    for s in steps {
        if let Some(u) = s["uses"].as_str() {
            assert!(
                !u.contains("pages") || s["if"] == NOT_PR,
                "{u} runs on pull requests"
            );
        }
    }
}

#[test]
fn pages_installs_a_pinned_release_cached_by_version_or_a_git_source() {
    let wf = pages();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        wf["env"]["THROUGHLINE_VERSION"],
        format!("${{{{ vars.THROUGHLINE_VERSION || '{version}' }}}}"),
        "the version that ran init, unless a repository variable says otherwise"
    );
    assert_eq!(
        wf["env"]["THROUGHLINE_GIT"],
        "${{ vars.THROUGHLINE_GIT || '' }}"
    );
    assert_eq!(
        wf["env"]["THROUGHLINE_GIT_REF"],
        "${{ vars.THROUGHLINE_GIT_REF || '' }}"
    );
    let repository = cargo_section("package")["repository"].clone();
    assert_eq!(
        wf["env"]["THROUGHLINE_RELEASES"],
        format!("{repository}/releases/download")
    );

    let steps = steps_of(&wf, "build");
    let (source_at, source) = step_named(steps, "Choose the throughline to install");
    assert_eq!(source["id"], "source");
    let (cache_at, cache) = step_using(steps, "actions/cache");
    assert_eq!(cache["id"], "cache");
    assert_eq!(cache["with"]["path"], "~/.throughline/bin");
    assert_eq!(
        cache["with"]["key"],
        "throughline-${{ runner.os }}-${{ runner.arch }}-${{ steps.source.outputs.key }}"
    );
    let (install_at, install) = step_named(steps, "Install throughline");
    assert_eq!(install["if"], "steps.cache.outputs.cache-hit != 'true'");
    let (path_at, _) = step_named(steps, "Put throughline on the PATH");
    let (check_at, _) = step_named(steps, "Check the content");
    assert!(
        source_at < cache_at && cache_at < install_at && install_at < path_at && path_at < check_at
    );
}
