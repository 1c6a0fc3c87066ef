//! `check` finds whatever makes `build` fail, at the same place with the same words, and
//! `serve` (the library's in-memory build) agrees: every invalid fixture is run through all
//! three. Then one case per way a build can fail after the content is valid: broken links in
//! Markdown, themes, templates, and names that cannot become page addresses. Positions are
//! counted by hand from the fixture files.

use std::path::Path;

use throughline::site::{BuildOptions, Site as Library};

use crate::support::{Site, Want, assert_diags, check_invalid};

/// The diagnostics a run printed: stderr without its summary line, and without the note
/// a successful build adds about a base URL that is only a path.
fn diagnostics_text(stderr: &str) -> String {
    let mut lines: Vec<&str> = stderr.lines().collect();
    lines.pop();
    let text = lines.join("\n");
    match text.find("warning: base_url is only a path") {
        Some(i) => text[..i].to_string(),
        None => text + "\n",
    }
}

fn invalid_cases() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/invalid")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    cases.sort();
    cases
}

#[test]
fn check_build_and_serve_report_the_same_on_every_invalid_fixture() {
    let cases = invalid_cases();
    // The 29 fixtures of the content rules and the 8 of this file.
    assert!(cases.len() >= 37, "{cases:?}");
    for case in cases {
        let site = Site::fixture(&format!("invalid/{case}"));
        let check = site.run(&["check"]);
        let build = site.run(&["build"]);
        assert_eq!(
            check.code, build.code,
            "{case}: check exits {} and build {}\ncheck:\n{}\nbuild:\n{}",
            check.code, build.code, check.stderr, build.stderr
        );
        assert_eq!(
            diagnostics_text(&check.stderr),
            diagnostics_text(&build.stderr),
            "{case}: check and build print different diagnostics"
        );
        assert!(
            check.code == 0 || !site.path().join("public").exists(),
            "{case}: a failed build wrote its output"
        );
        // serve builds in memory with the library; it must see the same problems.
        let (_, from_check) = site.check_json(&[]);
        let mut served = Library::open(BuildOptions {
            root: site.path().to_path_buf(),
            ..BuildOptions::default()
        })
        .expect("open the site");
        served.build();
        let from_serve: Vec<(String, u32, u32, String)> = served
            .diagnostics()
            .iter()
            .map(|d| (d.file.clone(), d.pos.line, d.pos.col, d.one_line()))
            .collect();
        let from_check: Vec<(String, u32, u32, String)> = from_check
            .into_iter()
            .map(|d| (d.file, d.line, d.col, d.message))
            .collect();
        assert_eq!(from_serve, from_check, "{case}: serve and check differ");
    }
}

#[test]
fn broken_markdown_links_are_reported_at_the_link() {
    const GAMMA: &str = "content/roadmap/gamma.md";
    let code = check_invalid(
        "broken-markdown-link",
        &[
            // `[list]: ` is 8 characters: the target starts in column 9 of line 7.
            (
                "error",
                "content/pages/upgrade.md",
                7,
                9,
                "broken link to /pages/checklist/",
            ),
            // Line 11: `It follows [the plan](` is 22 characters, so column 23; the second
            // link follows `/pages/plan/) and [delta](`, 26 more: column 49.
            ("error", GAMMA, 11, 23, "broken link to /pages/plan/"),
            ("error", GAMMA, 11, 49, "broken link to /roadmap/delta/"),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn broken_markdown_links_under_a_base_path_point_at_the_link_as_written() {
    let site = Site::fixture("invalid/broken-markdown-link").file(
        "site.yaml",
        "title: Fixture report\nas_of: 2026-11-20\nbase_url: /report/\n",
    );
    let (code, diags) = site.check_json(&[]);
    assert_eq!(code, 1);
    assert_diags(
        &diags,
        &[
            (
                "error",
                "content/pages/upgrade.md",
                7,
                9,
                "broken link to /report/pages/checklist/",
            ),
            (
                "error",
                "content/roadmap/gamma.md",
                11,
                23,
                "broken link to /report/pages/plan/",
            ),
            (
                "error",
                "content/roadmap/gamma.md",
                11,
                49,
                "broken link to /report/roadmap/delta/",
            ),
        ],
    );
}

#[test]
fn a_broken_link_in_a_template_is_one_error_at_its_line_not_one_per_page() {
    // Line 3 of the template: `<p><a href="` is 12 characters, so the link is at column 13.
    let site = Site::fixture("invalid/template-render").file(
        "templates/item.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p><a href=\"/nowhere/\">x</a></p>\n{% endblock main %}\n",
    );
    let (code, diags) = site.check_json(&[]);
    assert_eq!(code, 1);
    assert_diags(
        &diags,
        &[(
            "error",
            "templates/item.html",
            3,
            13,
            "broken link to /nowhere/",
        )],
    );
    let run = site.run(&["check"]);
    assert!(
        run.stderr
            .contains("on the page roadmap/alpha/index.html and 1 more"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_theme_is_reported_at_its_line_in_site_yaml() {
    let code = check_invalid(
        "unknown-theme",
        &[("error", "site.yaml", 3, 8, "unknown theme `fancy`")],
    );
    assert_eq!(code, 1);
}

#[test]
fn a_theme_given_as_a_path_is_an_error_and_never_read() {
    let code = check_invalid(
        "theme-path",
        &[(
            "error",
            "site.yaml",
            2,
            8,
            "`../../shared` is not a theme name",
        )],
    );
    assert_eq!(code, 1);
    // A folder the path would name (themes/../outside = outside/, inside the temp dir):
    // its static files must not be published, and the build must fail.
    for theme in ["../outside", "<absolute>", "a/b", "Default"] {
        let site = Site::fixture("invalid/theme-path")
            .file("outside/static/secret.txt", "secret")
            .file("outside/templates/base.html", "{{ nope(")
            .file("themes/a/b/static/secret.txt", "secret");
        let theme = match theme {
            "<absolute>" => site.path().join("outside").display().to_string(),
            name => name.to_string(),
        };
        let site = site.file(
            "site.yaml",
            format!("title: Fixture report\ntheme: \"{theme}\"\nas_of: 2026-11-20\n"),
        );
        let (code, diags) = site.check_json(&[]);
        assert_eq!(code, 1, "{theme}");
        // `theme: ` is 7 characters: the quoted value starts in column 8 of line 2.
        assert_diags(
            &diags,
            &[(
                "error",
                "site.yaml",
                2,
                8,
                &format!("`{theme}` is not a theme name"),
            )],
        );
        let run = site.run(&["build"]);
        assert_eq!(run.code, 1, "{theme}: {}", run.stderr);
        assert!(!site.path().join("public").exists(), "{theme}");
    }
}

#[test]
fn a_template_syntax_error_is_reported_at_the_template_line() {
    // Line 3 is `<h1>{{ page.title }</h1>`: the lone `}` after 18 characters, column 19.
    let code = check_invalid(
        "template-syntax",
        &[("error", "templates/item.html", 3, 19, "template error")],
    );
    assert_eq!(code, 1);
}

#[test]
fn a_template_render_error_is_reported_once_for_all_the_pages_it_breaks() {
    let site = Site::fixture("invalid/template-render");
    let (code, diags) = site.check_json(&[]);
    assert_eq!(code, 1);
    // Both roadmap items use item.html; the error is once, on line 4 at the field that does
    // not exist: `<p>{{ page.` is 11 characters, so `no_such_field` starts in column 12.
    let want: [Want; 1] = [(
        "error",
        "templates/item.html",
        4,
        12,
        "cannot render roadmap/alpha/ and 1 more pages with item.html",
    )];
    assert_diags(&diags, &want);
}

#[test]
fn a_name_over_200_bytes_is_an_error_at_the_name_not_a_write_failure() {
    let code = check_invalid(
        "long-name",
        &[(
            "error",
            "content/roadmap/gamma.md",
            5,
            7,
            "the team name `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…` is too long",
        )],
    );
    assert_eq!(code, 1);
    // 201 letters make a 201-byte slug; 200 fit.
    let site = Site::fixture("invalid/long-name");
    let run = site.run(&["check", "--format", "json"]);
    assert!(run.stdout.contains("is 201 bytes"), "{}", run.stderr);
    let fine = "a".repeat(200);
    let site = Site::fixture("invalid/long-name").file(
        "content/roadmap/gamma.md",
        std::fs::read_to_string(site.path().join("content/roadmap/gamma.md"))
            .expect("gamma")
            .replace(&"a".repeat(201), &fine),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.path()
            .join(format!("public/teams/{fine}/index.html"))
            .is_file()
    );
}

#[test]
fn a_name_without_letters_or_digits_is_an_error_at_the_name() {
    // `services: [database, ` is 21 characters: the quoted name starts in column 22.
    let code = check_invalid(
        "empty-slug-name",
        &[(
            "error",
            "content/roadmap/gamma.md",
            7,
            22,
            "the service name `!!!` cannot become a page address",
        )],
    );
    assert_eq!(code, 1);
}

#[test]
fn two_spellings_of_one_name_are_an_error_naming_the_first() {
    // First uses in file order: the post-mortem names `cache` (4:12), `Payments` (5:9) and
    // `PAYMENTS` (5:19); gamma.md names `payments!` (5:7) and `Cache` (7:12). Each later
    // spelling clashes with the first.
    let code = check_invalid(
        "slug-clash",
        &[
            (
                "error",
                "content/postmortems/2026-08-14-payments.md",
                5,
                19,
                "the team names `PAYMENTS` and `Payments` would share the page /teams/payments/",
            ),
            (
                "error",
                "content/roadmap/gamma.md",
                5,
                7,
                "the team names `payments!` and `Payments` would share the page /teams/payments/",
            ),
            (
                "error",
                "content/roadmap/gamma.md",
                7,
                12,
                "the service names `Cache` and `cache` would share the page /services/cache/",
            ),
        ],
    );
    assert_eq!(code, 1);
    let run = Site::fixture("invalid/slug-clash").run(&["check"]);
    assert!(
        run.stderr.contains(
            "`Payments` is at content/postmortems/2026-08-14-payments.md:5:9; spell the team the same way everywhere"
        ),
        "{}",
        run.stderr
    );
}
