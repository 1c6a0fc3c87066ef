//! Upgrades: `throughline --version` names the content format it reads, and a report in a
//! newer format is refused with one error that says which release to install.

use crate::support::{Site, assert_diags};

#[test]
fn version_prints_the_release_and_the_content_format() {
    let run = Site::empty().run(&["--version"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "throughline {} (content format 1)\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn a_report_in_a_newer_format_gets_one_error_naming_the_release_to_install() {
    // Format 4 is first read by 0.4.0; the unknown fields of that format (here in site.yaml
    // and in a roadmap item) are not reported on top of it.
    let site = Site::fixture("invalid/unknown-field").file(
        "site.yaml",
        "title: Acme\nforecast_horizon: 12\nformat: 4\n",
    );
    let (code, diags) = site.check_json(&[]);
    assert_eq!(code, 1);
    assert_diags(
        &diags,
        &[(
            "error",
            "site.yaml",
            3,
            9,
            "this report is written in content format 4, and throughline",
        )],
    );
    assert!(
        diags[0]
            .message
            .contains("reads formats up to 1: needs throughline 0.4.0 or newer"),
        "{}",
        diags[0].message
    );

    let human = site.run(&["check"]);
    assert_eq!(human.code, 1);
    assert!(
        human
            .stderr
            .contains("install throughline 0.4.0 or newer: `cargo binstall throughline@0.4.0`"),
        "{}",
        human.stderr
    );
    // build stops the same way and writes nothing.
    let build = site.run(&["build"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(
        build.stderr.contains("content format 4"),
        "{}",
        build.stderr
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn the_current_format_is_accepted_and_a_bad_one_is_pointed_at() {
    let ok = Site::example();
    let text = std::fs::read_to_string(ok.path().join("site.yaml")).unwrap();
    assert!(
        text.starts_with("format: 1\n"),
        "the example declares its format"
    );
    let (code, diags) = ok.check_json(&[]);
    assert_eq!(code, 0, "{diags:?}");
    assert!(diags.iter().all(|d| d.severity == "warning"), "{diags:?}");

    let bad = Site::empty().file("site.yaml", "title: Acme\nformat: two\n");
    let (code, diags) = bad.check_json(&[]);
    assert_eq!(code, 1);
    assert_diags(
        &diags,
        &[(
            "error",
            "site.yaml",
            2,
            9,
            "invalid `format`: expected a content format number such as 1, found `two`",
        )],
    );
}
