//! Hostile and odd input: each case must end in a clear error at the right place, or be
//! accepted, and never in a panic or a hang (`support::run_in` fails the test after a minute
//! and on death by signal; a panic would show as exit code 101).

use crate::support::{Diag, Site, assert_diags};

const RM: &str = "content/roadmap/payment-links.md";
const OUTCOME: &str = "content/outcomes/checkout-rate.yaml";
/// A valid roadmap item's front matter, without the closing fence: lines 1 to 4.
const HEAD: &str = "---\ntitle: Payment links\ntype: feature\nstatus: idea\n";

fn site() -> Site {
    Site::empty().file("site.yaml", "title: Hostile\n")
}

/// Check a site holding just `rel` with `contents`.
fn check_one(rel: &str, contents: impl AsRef<[u8]>) -> (i32, Vec<Diag>) {
    site().file(rel, contents).check_json(&[])
}

#[track_caller]
fn assert_accepted(rel: &str, contents: impl AsRef<[u8]>) {
    let (code, diags) = check_one(rel, contents);
    assert_diags(&diags, &[]);
    assert_eq!(code, 0);
}

#[test]
fn byte_order_mark_is_accepted_and_does_not_shift_columns() {
    let text = format!("\u{feff}{HEAD}estimate: lots\n---\nBody.\n");
    let (code, diags) = check_one(RM, text);
    assert_diags(
        &diags,
        &[("error", RM, 5, 11, "invalid effort in `estimate`")],
    );
    assert_eq!(code, 1);
}

#[test]
fn yaml_outcome_with_a_byte_order_mark() {
    let good = "\u{feff}title: Checkout\nunit: \"%\"\ndirection: increase\n\
                baseline: {value: 40, date: 2026-01-01}\ntarget: {value: 50, date: 2026-12-31}\n";
    assert_accepted(OUTCOME, good);
    // The BOM is not a column: `[` is the 8th character of line 1.
    let bad = good.replace("title: Checkout", "title: [Checkout]");
    let (code, diags) = check_one(OUTCOME, bad);
    assert_diags(
        &diags,
        &[("error", OUTCOME, 1, 8, "wrong type for `title`")],
    );
    assert_eq!(code, 1);
}

#[test]
fn crlf_line_endings_keep_positions_right() {
    let text = format!("{HEAD}horizon: soon\nestimate: lots\n---\nBody\n").replace('\n', "\r\n");
    let site = site().file(RM, &text);
    let (code, diags) = site.check_json(&[]);
    assert_diags(
        &diags,
        &[
            ("error", RM, 5, 10, "`soon` is not a valid `horizon`"),
            ("error", RM, 6, 11, "invalid effort in `estimate`"),
        ],
    );
    assert_eq!(code, 1);
    // The snippet shows the line without its `\r`, and the caret under the value.
    let run = site.run(&["check"]);
    assert!(
        run.stderr
            .contains("6 | estimate: lots\n  |           ^^^^ expected working days"),
        "{:?}",
        run.stderr
    );
    assert!(!run.stderr.contains('\r'), "{:?}", run.stderr);
}

#[test]
fn crlf_site_and_outcome_are_accepted() {
    let outcome = "title: Checkout\nunit: \"%\"\ndirection: increase\n\
                   baseline: {value: 40, date: 2026-01-01}\ntarget: {value: 50, date: 2026-12-31}\n\
                   description: |\n  Two lines\n  of text.\n";
    let site = Site::empty()
        .file("site.yaml", "title: Hostile\r\ntimezone: Europe/Berlin\r\n")
        .file(OUTCOME, outcome.replace('\n', "\r\n"))
        .file(RM, format!("{HEAD}---\nBody\n").replace('\n', "\r\n"));
    let (code, diags) = site.check_json(&[]);
    assert_diags(&diags, &[]);
    assert_eq!(code, 0);
}

#[test]
fn tab_indentation_is_an_error_at_the_tab() {
    let text = format!("{HEAD}rice:\n\treach: 1\n---\n");
    let (code, diags) = check_one(RM, text);
    assert_diags(&diags, &[("error", RM, 6, 1, "invalid YAML: tabs")]);
    assert_eq!(code, 1);
}

#[test]
fn tab_after_a_value_separator_is_accepted() {
    assert_accepted(RM, format!("{HEAD}summary:\tPay by link\n---\n"));
}

#[test]
fn empty_files() {
    let (code, diags) = check_one(RM, "");
    assert_diags(&diags, &[("error", RM, 1, 1, "the file is empty")]);
    assert_eq!(code, 1);
    let (code, diags) = check_one(RM, "\n\n  \n");
    assert_diags(&diags, &[("error", RM, 1, 1, "the file is empty")]);
    assert_eq!(code, 1);
    let (code, diags) = check_one(OUTCOME, "");
    assert_diags(&diags, &[("error", OUTCOME, 1, 1, "the file is empty")]);
    assert_eq!(code, 1);
    let (code, diags) = check_one(RM, "---\n---\nBody\n");
    assert_diags(&diags, &[("error", RM, 2, 1, "the front matter is empty")]);
    assert_eq!(code, 1);
}

#[test]
fn empty_file_human_output_says_what_is_expected() {
    let run = site().file(OUTCOME, "").run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/outcomes/checkout-rate.yaml:1:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("an outcome needs at least a `title`"),
        "{}",
        run.stderr
    );
}

#[test]
fn front_matter_that_is_a_list_or_a_scalar() {
    let (code, diags) = check_one(RM, "---\n- title: A\n- type: feature\n---\n");
    assert_diags(
        &diags,
        &[(
            "error",
            RM,
            2,
            1,
            "expected a roadmap item as a map of fields: found a list",
        )],
    );
    assert_eq!(code, 1);
    let (code, diags) = check_one(RM, "---\nPayment links\n---\n");
    assert_diags(
        &diags,
        &[(
            "error",
            RM,
            2,
            1,
            "expected a roadmap item as a map of fields: found a string",
        )],
    );
    assert_eq!(code, 1);
    let (code, diags) = check_one(OUTCOME, "42\n");
    assert_diags(
        &diags,
        &[(
            "error",
            OUTCOME,
            1,
            1,
            "expected an outcome as a map of fields: found a whole number",
        )],
    );
    assert_eq!(code, 1);
}

#[test]
fn non_utf8_bytes_are_an_error_with_line_and_column() {
    // `summary: "h` is 11 characters; the bad byte is the 12th. The ü before it is one column.
    let mut bytes = format!("{HEAD}summary: \"h").into_bytes();
    bytes.push(0xff);
    bytes.extend_from_slice(b"i\"\n---\n");
    let (code, diags) = check_one(RM, &bytes);
    assert_diags(
        &diags,
        &[("error", RM, 5, 12, "the file is not valid UTF-8")],
    );
    assert_eq!(code, 1);

    let mut bytes = format!("{HEAD}summary: \"ü").into_bytes();
    bytes.push(0xc3); // a lead byte with no continuation
    bytes.extend_from_slice(b"\"\n---\n");
    let (_, diags) = check_one(RM, &bytes);
    assert_diags(
        &diags,
        &[("error", RM, 5, 12, "the file is not valid UTF-8")],
    );

    // In the body, far from the front matter, and in site.yaml.
    let mut bytes = format!("{HEAD}---\nline 6\nline 7 ").into_bytes();
    bytes.push(0xfe);
    let (_, diags) = check_one(RM, &bytes);
    assert_diags(
        &diags,
        &[("error", RM, 7, 8, "the file is not valid UTF-8")],
    );
    let mut bytes = "\u{feff}title: Caf".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xe9\n");
    let (_, diags) = check_one(OUTCOME, &bytes);
    assert_diags(
        &diags,
        &[("error", OUTCOME, 1, 11, "the file is not valid UTF-8")],
    );
    let (code, diags) = Site::empty()
        .file("site.yaml", b"title: Caf\xe9\n")
        .check_json(&[]);
    assert_diags(
        &diags,
        &[("error", "site.yaml", 1, 11, "the file is not valid UTF-8")],
    );
    assert_eq!(code, 1);
}

#[test]
fn non_utf8_human_output_shows_where() {
    let mut bytes = format!("{HEAD}summary: \"h").into_bytes();
    bytes.push(0xff);
    bytes.extend_from_slice(b"i\"\n---\n");
    let run = site().file(RM, &bytes).run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/roadmap/payment-links.md:5:12"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("save it as UTF-8"), "{}", run.stderr);
}

#[test]
fn a_five_megabyte_body_is_accepted() {
    let body = "Lorem ipsum dolor sit amet, *consectetur* adipiscing elit.\n".repeat(90_000);
    assert!(body.len() > 5_000_000);
    // A hang or a runaway would be stopped by the runner's hang guard.
    assert_accepted(RM, format!("{HEAD}---\n{body}"));
}

#[test]
fn a_huge_single_line_is_accepted_and_columns_past_it_are_right() {
    let summary = "x".repeat(2_000_000);
    assert_accepted(RM, format!("{HEAD}summary: {summary}\n---\n"));
    assert_accepted(RM, format!("{HEAD}---\n{}", "y".repeat(5_000_000)));
    // A wrong type after a two-million-character value on the same line.
    let text = format!("{HEAD}release: {{monitoring: {summary}, feature_flag: [a]}}\n---\n");
    let (code, diags) = check_one(RM, text);
    // `release: {monitoring: ` is 22 characters, then the value, then `, feature_flag: `.
    let col = 22 + 2_000_000 + 16 + 1;
    assert_diags(
        &diags,
        &[("error", RM, 5, col, "wrong type for `feature_flag`")],
    );
    assert_eq!(code, 1);
}

#[test]
fn deep_flow_nesting_is_an_error() {
    let text = format!(
        "{HEAD}tags: {}{}\n---\n",
        "[".repeat(1000),
        "]".repeat(1000)
    );
    let (code, diags) = check_one(RM, text);
    assert_eq!(code, 1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!((diags[0].file.as_str(), diags[0].line), (RM, 5));
    assert!(diags[0].message.contains("nested too deeply"), "{diags:?}");
}

#[test]
fn deep_block_nesting_is_an_error_at_the_first_level_too_many() {
    // Line 5 opens `tags`; line L (from 6) holds a `-` at column L - 4, which opens the
    // (L - 4)th level counting the top map as 1. At most 48 levels: line 53 is the 49th.
    let mut text = format!("{HEAD}tags:\n");
    for i in 1..=1000 {
        text.push_str(&" ".repeat(i));
        text.push_str("-\n");
    }
    text.push_str("---\n");
    let (code, diags) = check_one(RM, text);
    assert_diags(
        &diags,
        &[(
            "error",
            RM,
            53,
            49,
            "invalid YAML: lists and maps are nested too deeply",
        )],
    );
    assert_eq!(code, 1);
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    let mut text = format!(
        "{HEAD}summary: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    let mut prev = "a".to_string();
    for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("x{name}: &{name} [{refs}]\n"));
        prev = name.to_string();
    }
    text.push_str("---\n");
    // Expanded, the aliases would be 9^8 nodes: only a refusal finishes within the hang guard.
    let (code, diags) = check_one(RM, text);
    assert_eq!(code, 1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0]
            .message
            .starts_with("invalid YAML: aliases (`*name`) expand to too much data"),
        "{diags:?}"
    );
}

#[test]
fn dates_that_do_not_exist() {
    let (code, diags) = check_one(RM, format!("{HEAD}start: 2026-02-30\n---\n"));
    assert_diags(
        &diags,
        &[(
            "error",
            RM,
            5,
            8,
            "2026-02-30 is not a valid date: February 2026 has 28 days",
        )],
    );
    assert_eq!(code, 1);
    let pm = "content/postmortems/p.md";
    let (_, diags) = check_one(
        pm,
        "---\ntitle: T\nseverity: SEV3\nservices: [api]\nstarted: 2026-02-30T10:00:00Z\n\
         detected: 2026-03-01T10:00Z\nresolved: 2026-03-01T11:00Z\n---\n",
    );
    assert_diags(
        &diags,
        &[(
            "error",
            pm,
            5,
            10,
            "2026-02-30 is not a valid date: February 2026 has 28 days",
        )],
    );
}

#[test]
fn front_matter_never_closed() {
    let (code, diags) = check_one(RM, format!("{HEAD}\n# Heading\nBody\n"));
    assert_diags(
        &diags,
        &[("error", RM, 1, 1, "the front matter is never closed")],
    );
    assert_eq!(code, 1);
}

#[test]
fn a_file_that_is_only_a_fence() {
    for text in ["---", "---\n", "---\r\n"] {
        let (code, diags) = check_one(RM, text);
        assert_diags(
            &diags,
            &[("error", RM, 1, 1, "the front matter is never closed")],
        );
        assert_eq!(code, 1);
    }
}

#[test]
fn no_front_matter_at_all() {
    let (code, diags) = check_one(RM, "# Payment links\n\nJust Markdown.\n");
    assert_diags(&diags, &[("error", RM, 1, 1, "missing front matter")]);
    assert_eq!(code, 1);
}

#[test]
fn nul_bytes() {
    let (code, diags) = check_one(RM, format!("{HEAD}summary: a\0b\n---\n"));
    assert_diags(&diags, &[("error", RM, 5, 11, "invalid YAML")]);
    assert_eq!(code, 1);
    // In the body a NUL is just text.
    assert_accepted(RM, format!("{HEAD}---\nbinary\0junk\n"));
}

#[test]
fn merge_keys_are_merged() {
    assert_accepted(
        RM,
        format!("{HEAD}rice: {{<<: {{reach: 10, impact: 1}}, confidence: 0.5, effort: 2}}\n---\n"),
    );
    // A merged map still has its fields checked.
    let (code, diags) = check_one(
        RM,
        format!("{HEAD}rice: {{<<: {{reach: 10, impact: 7}}, confidence: 0.5, effort: 2}}\n---\n"),
    );
    assert_eq!(code, 1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].message.contains("invalid RICE `impact`"),
        "{diags:?}"
    );
}

#[test]
fn yaml_tags() {
    // Tags that still give text are accepted; binary that is not text is an error.
    assert_accepted(
        RM,
        format!("{HEAD}summary: !!str 12\nteam: !custom payments\nowner: !!binary Sm9uYXM=\n---\n"),
    );
    let (code, diags) = check_one(RM, format!("{HEAD}summary: !!binary /w==\n---\n"));
    assert_diags(&diags, &[("error", RM, 5, 19, "invalid YAML: !!binary")]);
    assert_eq!(code, 1);
}

#[test]
fn keys_that_are_numbers_lists_or_maps() {
    let (code, diags) = check_one(
        RM,
        format!("{HEAD}2026: x\n[a, b]: y\n? {{a: 1}}\n: z\ntrue: w\n---\n"),
    );
    assert_diags(
        &diags,
        &[
            (
                "error",
                RM,
                5,
                1,
                "field names must be text: found a whole number",
            ),
            ("error", RM, 6, 1, "field names must be text: found a list"),
            ("error", RM, 7, 3, "field names must be text: found a map"),
            (
                "error",
                RM,
                9,
                1,
                "field names must be text: found a boolean",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn duplicate_keys_in_nested_maps() {
    let (code, diags) = check_one(
        RM,
        format!("{HEAD}rice:\n  reach: 100\n  impact: 1\n  reach: 200\n---\n"),
    );
    assert_diags(&diags, &[("error", RM, 8, 3, "duplicate key `reach`")]);
    assert_eq!(code, 1);
    let pm = "content/postmortems/p.md";
    let (_, diags) = check_one(
        pm,
        "---\ntitle: T\nseverity: SEV3\nservices: [api]\nstarted: 2026-03-01T10:00Z\n\
         detected: 2026-03-01T10:00Z\nresolved: 2026-03-01T11:00Z\n\
         impact: {users: 1, users: 2}\n---\n",
    );
    assert_diags(&diags, &[("error", pm, 8, 20, "duplicate key `users`")]);
}

#[test]
fn several_yaml_documents_in_one_outcome_file() {
    let (code, diags) = check_one(OUTCOME, "title: A\n---\ntitle: B\n");
    assert_eq!(code, 1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].message.contains("multiple"), "{diags:?}");
}

#[test]
fn columns_count_characters_not_bytes() {
    // `release: {feature_flag: "ünï", ` is 31 characters (34 bytes).
    let (code, diags) = check_one(
        RM,
        format!("{HEAD}release: {{feature_flag: \"ünï\", rolback_plan: x}}\n---\n"),
    );
    assert_diags(
        &diags,
        &[(
            "error",
            RM,
            5,
            32,
            "unknown field `rolback_plan` in `release`: not a field of the format (did you mean `rollback_plan`?)",
        )],
    );
    assert_eq!(code, 1);
    // Four-byte characters are one column too.
    let (_, diags) = check_one(RM, format!("{HEAD}summary: 🚀🚀\nhorizon: 🚀\n---\n"));
    assert_diags(
        &diags,
        &[("error", RM, 6, 10, "`🚀` is not a valid `horizon`")],
    );
}

#[test]
fn numbers_out_of_range() {
    let (code, diags) = check_one(RM, format!("{HEAD}estimate: 1e400\n---\n"));
    assert_diags(&diags, &[("error", RM, 5, 11, "is not a finite number")]);
    assert_eq!(code, 1);
    // Counts too large for 64 bits are still numbers.
    let pm = "content/postmortems/p.md";
    let (code, diags) = check_one(
        pm,
        "---\ntitle: T\nseverity: SEV3\nservices: [api]\nstarted: 2026-03-01T10:00Z\n\
         detected: 2026-03-01T10:00Z\nresolved: 2026-03-01T11:00Z\n\
         impact: {users: 100000000000000000000000}\n---\n",
    );
    assert_diags(&diags, &[]);
    assert_eq!(code, 0);
}

#[test]
fn unknown_anchor() {
    let (code, diags) = check_one(RM, format!("{HEAD}tags: [*nope]\n---\n"));
    assert_diags(&diags, &[("error", RM, 5, 8, "invalid YAML")]);
    assert_eq!(code, 1);
}

#[test]
fn editor_leftovers_and_other_files_are_not_content() {
    let site = site()
        .file(RM, format!("{HEAD}---\n"))
        .file("content/roadmap/.payment-links.md.swp", b"\0\xff\xfe")
        .file("content/roadmap/payment-links.md~", "junk")
        .file("content/roadmap/notes.txt", "not content");
    let (code, diags) = site.check_json(&[]);
    assert_diags(
        &diags,
        &[(
            "warning",
            "content/roadmap/notes.txt",
            1,
            1,
            "ignored: roadmap expects a .md file",
        )],
    );
    assert_eq!(code, 0);
}

#[cfg(unix)]
#[test]
fn a_link_back_up_the_content_folder_is_not_followed() {
    let site = site().file(RM, format!("{HEAD}---\n"));
    std::os::unix::fs::symlink("..", site.path().join("content/roadmap/loop")).expect("symlink");
    let (code, diags) = site.check_json(&[]);
    assert_diags(
        &diags,
        &[(
            "warning",
            "content/roadmap/loop",
            1,
            1,
            "ignored: a link to a folder that is already read",
        )],
    );
    assert_eq!(code, 0);
}

#[test]
fn twenty_thousand_problems_in_one_file_are_all_reported_promptly() {
    let fields: String = (0..20_000).map(|i| format!("k{i}: x\n")).collect();
    let (code, diags) = check_one(RM, format!("{HEAD}{fields}---\n"));
    assert_eq!(code, 1);
    assert_eq!(diags.len(), 20_000);
    // Line 5 holds `k0`, so `k19999` is on line 20,004 (sorted by position, not by name).
    let first = &diags[0];
    let last = &diags[19_999];
    assert_eq!((first.line, first.col), (5, 1), "{first:?}");
    assert!(first.message.starts_with("unknown field `k0`"), "{first:?}");
    assert_eq!((last.line, last.col), (20_004, 1), "{last:?}");
    assert!(
        last.message.starts_with("unknown field `k19999`"),
        "{last:?}"
    );
}
