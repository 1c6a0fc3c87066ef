//! The crate's metadata, licences and changelog, and the documents that repeat the
//! Pages workflow.

use crate::{cargo_section, pages_text, read};

#[test]
fn the_crate_says_what_it_is_and_how_it_is_licensed() {
    let package = cargo_section("package");
    for key in [
        "description",
        "license",
        "repository",
        "readme",
        "rust-version",
    ] {
        assert!(
            package.get(key).is_some_and(|v| !v.is_empty()),
            "Cargo.toml has no {key}"
        );
    }
    assert_eq!(package["license"], "MIT OR Apache-2.0");
    assert!(read("LICENSE-MIT").starts_with("MIT License\n"));
    let apache = read("LICENSE-APACHE");
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));
}

#[test]
fn the_changelog_has_a_section_for_this_version() {
    let changelog = read("CHANGELOG.md");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        changelog
            .lines()
            .any(|l| l.starts_with(&format!("## [{version}] - "))),
        "CHANGELOG.md needs `## [{version}] - <date>`"
    );
    assert!(changelog.contains("## [Unreleased]"));
}

/// The first ```yaml block after `marker` in a Markdown file.
fn yaml_block_after(doc: &str, marker: &str) -> String {
    let after = doc
        .split_once(marker)
        .unwrap_or_else(|| panic!("no {marker:?}"))
        .1;
    let start = after.find("```yaml\n").expect("a ```yaml block") + "```yaml\n".len();
    let end = after[start..].find("\n```").expect("the block ends") + start;
    format!("{}\n", &after[start..end])
}

#[test]
fn the_docs_carry_the_workflow_init_writes() {
    let doc = read("docs/publishing.md");
    let shown = yaml_block_after(&doc, "<!-- the file `throughline init` writes -->");
    assert!(
        shown == pages_text(),
        "docs/publishing.md's copy of .github/workflows/pages.yml differs from the one init writes ({} and {} bytes)",
        shown.len(),
        pages_text().len()
    );
}

#[test]
fn the_readme_says_to_set_the_pages_source_before_the_first_push() {
    let readme = read("README.md");
    let section = readme
        .split("\n## Publishing to GitHub Pages\n")
        .nth(1)
        .expect("README has a Publishing to GitHub Pages section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let source = section
        .find("Settings → Pages → Source: GitHub Actions")
        .expect("the Pages setting");
    let push = section.find("git push").expect("the push");
    assert!(source < push, "the setting comes before the push");
    assert!(
        section.contains("Get Pages site failed"),
        "what the wrong order looks like"
    );
    assert!(
        section.contains("THROUGHLINE_GIT"),
        "the git-source variable"
    );
    assert!(section.contains("docs/publishing.md"));
}
