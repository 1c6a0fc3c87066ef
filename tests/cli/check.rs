//! `throughline check`: every validation rule of the content format, each on a small site
//! under `tests/invalid/<case>/`, with the exact file, line and column it must point at.
//! Expected positions are counted by hand from the fixture files.

use crate::support::{Site, assert_diags, check_invalid};

const RM: &str = "content/roadmap/payment-links.md";
const PM: &str = "content/postmortems/2026-08-14-payments.md";

// ---- YAML and field errors ----

#[test]
fn yaml_syntax_error_points_at_the_offending_colon() {
    let code = check_invalid("yaml-syntax", &[("error", RM, 5, 21, "invalid YAML")]);
    assert_eq!(code, 1);
}

#[test]
fn wrong_types_point_at_each_value() {
    let code = check_invalid(
        "wrong-type",
        &[
            (
                "error",
                RM,
                2,
                8,
                "wrong type for `title`: expected text, found a list",
            ),
            (
                "error",
                RM,
                5,
                7,
                "wrong type for `tags`: expected a list, found a string",
            ),
            (
                "error",
                RM,
                6,
                10,
                "expected `release` as a map of fields: found a string",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn unknown_fields_point_at_the_key_with_a_hint_when_one_is_close() {
    let code = check_invalid(
        "unknown-field",
        &[
            (
                "error",
                RM,
                5,
                1,
                "unknown field `sumary` in a roadmap item: not a field of the format (did you mean `summary`?)",
            ),
            (
                "error",
                RM,
                6,
                1,
                "unknown field `colour` in a roadmap item: not a field of the format (expected one of `id`, `title`",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn missing_fields_point_at_the_map_or_at_the_empty_key() {
    let code = check_invalid(
        "missing-field",
        &[
            (
                "error",
                "content/outcomes/checkout-rate.yaml",
                1,
                1,
                "missing required field `baseline`: an outcome needs a `baseline`",
            ),
            (
                "error",
                "content/outcomes/checkout-rate.yaml",
                5,
                3,
                "missing required field `date`: `target` needs a `date`",
            ),
            (
                "error",
                "content/roadmap/empty-status.md",
                4,
                1,
                "`status` has no value: a roadmap item needs a `status`",
            ),
            (
                "error",
                "content/roadmap/no-status.md",
                2,
                1,
                "missing required field `status`",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn duplicate_key_points_at_the_second_one() {
    let code = check_invalid(
        "duplicate-key",
        &[("error", RM, 5, 1, "duplicate key `title`")],
    );
    assert_eq!(code, 1);
}

#[test]
fn bad_enum_values_list_the_choices_and_hint_near_misses() {
    let code = check_invalid(
        "bad-enum",
        &[
            (
                "error",
                RM,
                4,
                9,
                "`in-progres` is not a valid `status`: expected one of `idea`, `planned`, `in-progress`, `shipped`, `paused`, `cancelled` (did you mean `in-progress`?)",
            ),
            (
                "error",
                RM,
                5,
                13,
                "`hgh` is not a valid `confidence`: expected one of `low`, `medium`, `high` (did you mean `high`?)",
            ),
            (
                "error",
                RM,
                6,
                10,
                "`someday` is not a valid `horizon`: expected one of `now`, `next`, `later`",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn ids_must_match_the_pattern_in_id_and_in_the_file_name() {
    let code = check_invalid(
        "id-pattern",
        &[
            (
                "error",
                "content/roadmap/Payment_Links.md",
                1,
                1,
                "the file name `Payment_Links` is not a valid id",
            ),
            (
                "error",
                "content/roadmap/bad-id.md",
                2,
                5,
                "`Payment_Links` is not a valid id",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn duplicate_id_within_a_kind_is_an_error_but_not_across_kinds() {
    let code = check_invalid(
        "duplicate-id",
        &[(
            "error",
            "content/roadmap/links-b.md",
            2,
            5,
            "duplicate roadmap item id `payment-links`: already used by content/roadmap/links-a.md",
        )],
    );
    assert_eq!(code, 1);
}

// ---- references ----

#[test]
fn dangling_references_point_at_each_id() {
    let code = check_invalid(
        "dangling-references",
        &[
            (
                "error",
                PM,
                8,
                11,
                "unknown roadmap item `payment-link` in `roadmap`: no roadmap item has this id (did you mean `payment-links`?)",
            ),
            (
                "error",
                PM,
                14,
                14,
                "unknown roadmap item `circuit-breaker` in an action item's `roadmap`",
            ),
            (
                "error",
                RM,
                5,
                14,
                "unknown roadmap item `sepa-debit` in `depends_on`",
            ),
            (
                "error",
                RM,
                6,
                12,
                "unknown outcome `checkout-rate` in `outcomes`",
            ),
            (
                "error",
                RM,
                7,
                15,
                "unknown post-mortem `2026-08-14-outage` in `postmortems`",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn depends_on_cycles_name_the_whole_cycle() {
    let code = check_invalid(
        "depends-on-cycle",
        &[
            (
                "error",
                "content/roadmap/alpha.md",
                5,
                14,
                "`depends_on` forms a cycle: alpha → beta → alpha",
            ),
            (
                "error",
                "content/roadmap/checkout.md",
                5,
                14,
                "`depends_on` forms a cycle: checkout → ledger → payouts → checkout",
            ),
            (
                "error",
                "content/roadmap/gamma.md",
                5,
                14,
                "`depends_on` forms a cycle: gamma → gamma",
            ),
        ],
    );
    assert_eq!(code, 1);
}

// ---- time order ----

#[test]
fn postmortem_times_must_be_in_order() {
    let dir = "content/postmortems";
    let code = check_invalid(
        "postmortem-time-order",
        &[
            (
                "error",
                &format!("{dir}/detected-early.md"),
                6,
                11,
                "`detected` is earlier than `started`: 2026-08-14T09:50:00Z is 10 minutes before started (line 5)",
            ),
            (
                "error",
                &format!("{dir}/mitigated-early.md"),
                7,
                12,
                "`mitigated` is earlier than `detected`: 2026-08-14T10:20:00Z is 10 minutes before detected (line 6)",
            ),
            (
                "error",
                &format!("{dir}/resolved-early.md"),
                8,
                11,
                "`resolved` is earlier than `mitigated`: 2026-08-14T11:00:00+00:00 is 1 hour before mitigated (line 7)",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn outcome_target_must_come_after_the_baseline_and_improve_on_it() {
    let dir = "content/outcomes";
    let code = check_invalid(
        "outcome-target",
        &[
            (
                "error",
                &format!("{dir}/decrease-above.md"),
                9,
                10,
                "the target does not improve on the baseline: direction is `decrease`, so the target must be below the baseline 38",
            ),
            (
                "error",
                &format!("{dir}/decrease-equal.yaml"),
                5,
                17,
                "so the target must be below the baseline 38",
            ),
            (
                "error",
                &format!("{dir}/increase-below.yaml"),
                5,
                17,
                "direction is `increase`, so the target must be above the baseline 40",
            ),
            (
                "error",
                &format!("{dir}/increase-equal.yaml"),
                5,
                17,
                "so the target must be above the baseline 40",
            ),
            (
                "error",
                &format!("{dir}/same-date.yaml"),
                9,
                9,
                "`target.date` must be after `baseline.date`: 2026-06-01 is not after the baseline date 2026-06-01 (line 6)",
            ),
            (
                "error",
                &format!("{dir}/target-first.yaml"),
                5,
                27,
                "2026-05-31 is not after the baseline date 2026-06-01 (line 4)",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn measurements_have_unique_dates_not_before_the_baseline() {
    let file = "content/outcomes/checkout-rate.yaml";
    let code = check_invalid(
        "measurements",
        &[
            (
                "error",
                file,
                9,
                11,
                "measurement before the baseline: 2026-02-28 is before baseline.date 2026-03-01",
            ),
            (
                "error",
                file,
                13,
                11,
                "duplicate measurement date: 2026-06-30 is already measured on line 7",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn shipped_goes_with_status_shipped_and_not_before_start() {
    let dir = "content/roadmap";
    let code = check_invalid(
        "roadmap-shipped",
        &[
            (
                "error",
                &format!("{dir}/paused-with-date.md"),
                5,
                10,
                "`shipped` is set on an item that is not shipped: status is `paused`",
            ),
            (
                "error",
                &format!("{dir}/shipped-before-start.md"),
                6,
                10,
                "`shipped` is earlier than `start`: 2026-05-01 is before start 2026-05-10 (line 5)",
            ),
            (
                "error",
                &format!("{dir}/shipped-no-date.md"),
                4,
                9,
                "a shipped item needs a `shipped` date",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn done_on_only_with_status_done() {
    let code = check_invalid(
        "action-item-done-on",
        &[(
            "error",
            PM,
            18,
            14,
            "`done_on` on an action item that is not done: status is `in-progress`",
        )],
    );
    assert_eq!(code, 1);
}

// ---- numbers, severities, dates ----

#[test]
fn negative_efforts_and_counts_are_errors() {
    let code = check_invalid(
        "negative-numbers",
        &[
            ("error", PM, 9, 10, "`users` cannot be negative"),
            ("error", PM, 11, 20, "`support_tickets` cannot be negative"),
            (
                "error",
                RM,
                5,
                11,
                "invalid effort in `estimate`: effort cannot be negative",
            ),
            (
                "error",
                RM,
                6,
                9,
                "invalid effort in `actual`: effort cannot be negative",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn unknown_severity_lists_the_configured_ones() {
    let dir = "content/postmortems";
    let code = check_invalid(
        "unknown-severity",
        &[
            (
                "error",
                &format!("{dir}/near-miss.md"),
                3,
                11,
                "unknown severity `sev1`: expected one of `SEV1`, `SEV2`, `SEV3`, `SEV4` (did you mean `SEV1`?)",
            ),
            (
                "error",
                &format!("{dir}/not-configured.md"),
                3,
                11,
                "unknown severity `P1`: expected one of `SEV1`, `SEV2`, `SEV3`, `SEV4`",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn dates_must_exist() {
    let code = check_invalid(
        "invalid-date",
        &[
            (
                "error",
                RM,
                5,
                9,
                "invalid date in `target`: 2026-02-30 is not a valid date: February 2026 has 28 days",
            ),
            (
                "error",
                RM,
                6,
                18,
                "2026-13-01 is not a valid date: there is no month 13",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn a_bare_date_is_not_a_date_time() {
    let code = check_invalid(
        "bare-date",
        &[
            (
                "error",
                PM,
                5,
                10,
                "invalid date-time in `started`: expected a date-time like 2026-08-14T09:12:00Z, found the date `2026-08-14` without a time",
            ),
            ("error", PM, 9, 9, "invalid date-time in `at`"),
        ],
    );
    assert_eq!(code, 1);
}

// ---- site.yaml ----

#[test]
fn site_yaml_unknown_field_has_a_hint() {
    let code = check_invalid(
        "site-unknown-field",
        &[
            (
                "error",
                "site.yaml",
                2,
                1,
                "unknown field `time_zone` in site.yaml: not a field of the format (did you mean `timezone`?)",
            ),
            (
                "error",
                "site.yaml",
                3,
                1,
                "unknown field `color` in site.yaml",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn site_yaml_unknown_timezone() {
    let code = check_invalid(
        "site-timezone",
        &[(
            "error",
            "site.yaml",
            2,
            11,
            "unknown timezone `Europe/Berln`: expected an IANA name",
        )],
    );
    assert_eq!(code, 1);
}

#[test]
fn site_yaml_quarter_start_month_is_1_to_12() {
    let code = check_invalid(
        "site-quarter",
        &[(
            "error",
            "site.yaml",
            2,
            22,
            "invalid `quarter_start_month`: expected a month number from 1 to 12, found 13",
        )],
    );
    assert_eq!(code, 1);
}

#[test]
fn site_yaml_base_url_must_be_a_path_or_url() {
    let code = check_invalid(
        "site-base-url",
        &[(
            "error",
            "site.yaml",
            2,
            11,
            "invalid `base_url`: expected `/`, a path like `/report/`, or a URL",
        )],
    );
    assert_eq!(code, 1);
}

#[test]
fn site_yaml_severities_are_checked_one_by_one() {
    let code = check_invalid(
        "site-severities",
        &[
            (
                "error",
                "site.yaml",
                4,
                26,
                "wrong type for `postmortem_required`: expected true or false, found a string",
            ),
            ("error", "site.yaml", 5, 9, "duplicate severity `SEV1`"),
            (
                "error",
                "site.yaml",
                6,
                5,
                "missing required field `id`: a severity needs an `id`",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn site_yaml_severities_may_not_be_empty() {
    let code = check_invalid(
        "site-no-severities",
        &[("error", "site.yaml", 2, 13, "`severities` is empty")],
    );
    assert_eq!(code, 1);
}

// ---- warnings ----

const WARNINGS: &[(&str, u32, u32, &str)] = &[
    (
        "content/postmortems/2026-08-14-payments.md",
        4,
        11,
        "SEV1 post-mortem with no action items",
    ),
    (
        "content/roadmap/approval-workflows.md",
        4,
        9,
        "no success metric",
    ),
    ("content/roadmap/read-replica.md", 5, 9, "no rollback plan"),
    ("content/roadmap/smart-dunning.md", 4, 7, "no hypothesis"),
    (
        "content/roadmap/tax-engine.md",
        3,
        7,
        "no business value stated",
    ),
];

#[test]
fn not_ready_rules_are_warnings_and_exit_zero() {
    let want: Vec<_> = WARNINGS
        .iter()
        .map(|(f, l, c, m)| ("warning", *f, *l, *c, *m))
        .collect();
    assert_eq!(check_invalid("warnings", &want), 0);
}

#[test]
fn strict_turns_warnings_into_errors() {
    let site = Site::fixture("invalid/warnings");
    let (code, diags) = site.check_json(&["--strict"]);
    let want: Vec<_> = WARNINGS
        .iter()
        .map(|(f, l, c, m)| ("error", *f, *l, *c, *m))
        .collect();
    assert_diags(&diags, &want);
    assert_eq!(code, 1);
}

// ---- all at once, and where lines are counted from ----

#[test]
fn every_error_in_every_file_is_reported_in_one_run() {
    let outcome = "content/outcomes/checkout-rate.yaml";
    let code = check_invalid(
        "many-errors",
        &[
            ("error", outcome, 3, 12, "`up` is not a valid `direction`"),
            ("error", outcome, 5, 27, "June 2026 has 30 days"),
            ("error", PM, 3, 11, "unknown severity `SEV9`"),
            ("error", PM, 4, 11, "`services` is empty"),
            ("error", RM, 3, 7, "`feture` is not a valid `type`"),
            ("error", RM, 5, 10, "`soon` is not a valid `horizon`"),
            ("error", RM, 6, 11, "invalid effort in `estimate`"),
            ("error", RM, 7, 8, "invalid date in `start`"),
            ("error", RM, 8, 7, "wrong type for `tags`"),
            ("error", RM, 9, 8, "wrong type for `owner`"),
        ],
    );
    assert_eq!(code, 1);
    let run = Site::fixture("invalid/many-errors").run(&["check"]);
    assert!(
        run.stderr.ends_with("check: 10 errors, 0 warnings\n"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("\nerror: ").count() + 1, 10);
}

#[test]
fn lines_are_file_lines_not_front_matter_lines() {
    // The `---` line is line 1, so the 4th line of front matter is line 5 of the file; a
    // `.yaml` outcome has no fence, so its 5th line is line 5 too.
    let site = Site::empty()
        .file("site.yaml", "title: Lines\n")
        .file(
            "content/roadmap/payment-links.md",
            "---\ntitle: Payment links\ntype: feature\nstatus: idea\nestimate: lots\n---\n",
        )
        .file(
            "content/outcomes/checkout-rate.yaml",
            "title: Checkout\nunit: \"%\"\ndirection: increase\nbaseline: {value: 40, date: 2026-01-01}\nunit: x\n",
        );
    let (code, diags) = site.check_json(&[]);
    assert_diags(
        &diags,
        &[
            (
                "error",
                "content/outcomes/checkout-rate.yaml",
                5,
                1,
                "duplicate key `unit`",
            ),
            ("error", RM, 5, 11, "invalid effort in `estimate`"),
        ],
    );
    assert_eq!(code, 1);
}

// ---- output formats and exit codes ----

#[test]
fn human_output_is_rustc_like() {
    let run = Site::fixture("invalid/human-output").run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "\
error: `resolved` is earlier than `started`
 --> content/postmortems/2026-08-14-payments.md:9:11
  |
9 | resolved: 2026-08-14T09:00:00Z
  |           ^^^^^^^^^^^^^^^^^^^^ 2026-08-14T09:00:00Z is 12 minutes before started (line 6)

check: 1 error, 0 warnings
"
    );
}

#[test]
fn human_output_shows_the_hint() {
    let run = Site::fixture("invalid/duplicate-key").run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains(" --> content/roadmap/payment-links.md:5:1\n"),
        "{}",
        run.stderr
    );
    let run = Site::fixture("invalid/unknown-field").run(&["check"]);
    assert!(
        run.stderr.contains(
            "\
error: unknown field `sumary` in a roadmap item
 --> content/roadmap/payment-links.md:5:1
  |
5 | sumary: Pay by link
  | ^^^^^^ not a field of the format
  |
help: did you mean `summary`?
"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn github_format_prints_workflow_commands() {
    let run = Site::fixture("invalid/wrong-type").run(&["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "\
::error file=content/roadmap/payment-links.md,line=2,col=8::wrong type for `title`: expected text, found a list
::error file=content/roadmap/payment-links.md,line=5,col=7::wrong type for `tags`: expected a list, found a string
::error file=content/roadmap/payment-links.md,line=6,col=10::expected `release` as a map of fields: found a string
"
    );
    let run = Site::fixture("invalid/warnings").run(&["check", "--format", "github"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.starts_with(
            "::warning file=content/postmortems/2026-08-14-payments.md,line=4,col=11::SEV1 post-mortem with no action items: "
        ),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 5);
}

#[test]
fn json_format_is_an_empty_list_for_a_clean_site() {
    let site = Site::empty().file("site.yaml", "title: Clean\n").file(
        "content/roadmap/payment-links.md",
        "---\ntitle: Payment links\ntype: feature\nstatus: idea\n---\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!((run.code, run.stdout.trim()), (0, "[]"));
    let run = site.run(&["check"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "check: no problems found\n")
    );
}

#[test]
fn missing_site_yaml_is_a_usage_error() {
    let site = Site::empty().file("content/roadmap/a.md", "---\ntitle: A\n---\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: no site.yaml in "),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_root_folder_is_a_usage_error() {
    let site = Site::empty();
    let run = site.run(&["check", "--root", "no-such-folder"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: there is no folder no-such-folder\n");
    assert_eq!(run.stdout, "");
    let run = site.run(&["check", "--format", "json", "--root", "no-such-folder"]);
    assert_eq!(run.code, 2);
}

#[test]
fn root_flag_reads_another_folder() {
    let site = Site::fixture("invalid/duplicate-key");
    let run = crate::support::run_in(
        site.path().parent().expect("temp parent"),
        &[
            "check",
            "--format",
            "json",
            "--root",
            site.path().to_str().expect("utf-8 temp path"),
        ],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("\"line\": 5"), "{}", run.stdout);
}

#[test]
fn a_missing_field_does_not_hide_other_errors_in_the_file() {
    let outcome = "content/outcomes/checkout-rate.yaml";
    let code = check_invalid(
        "missing-field-and-order",
        &[
            ("error", outcome, 1, 1, "missing required field `unit`"),
            ("error", outcome, 4, 17, "the target does not improve"),
            ("error", outcome, 4, 27, "`target.date` must be after"),
            ("error", outcome, 7, 12, "duplicate measurement date"),
            ("error", PM, 2, 1, "missing required field `title`"),
            ("error", PM, 5, 11, "`detected` is earlier than `started`"),
            ("error", RM, 2, 1, "missing required field `title`"),
            ("error", RM, 5, 10, "`shipped` is earlier than `start`"),
            (
                "error",
                RM,
                5,
                10,
                "`shipped` is set on an item that is not",
            ),
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn file_errors_and_cross_file_errors_are_reported_in_one_pass() {
    // beta.md has a bad status (a file error), alpha.md names an item that does not exist
    // (a cross-file error) and a broken file whose id would be `broken` is referenced by
    // gamma.md: that reference is not also called dangling.
    let site = Site::empty()
        .file("site.yaml", "title: One pass\n")
        .file(
            "content/roadmap/alpha.md",
            "---\ntitle: Alpha\ntype: tech-debt\nstatus: idea\nvalue: Saves a day a week.\ndepends_on: [nope]\n---\n",
        )
        .file(
            "content/roadmap/beta.md",
            "---\ntitle: Beta\ntype: tech-debt\nstatus: shiped\nvalue: Saves a day a week.\n---\n",
        )
        .file("content/roadmap/broken.md", "---\ntitle: [unclosed\n---\n")
        .file(
            "content/roadmap/gamma.md",
            "---\ntitle: Gamma\ntype: tech-debt\nstatus: idea\nvalue: Saves a day a week.\ndepends_on: [broken]\n---\n",
        );
    let (code, diags) = site.check_json(&[]);
    assert_eq!(code, 1);
    let places: Vec<(&str, u32, u32)> = diags
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.col))
        .collect();
    assert!(
        places.contains(&("content/roadmap/alpha.md", 6, 14)),
        "{diags:?}"
    );
    assert!(
        places.contains(&("content/roadmap/beta.md", 4, 9)),
        "{diags:?}"
    );
    assert!(
        places.iter().any(|p| p.0 == "content/roadmap/broken.md"),
        "{diags:?}"
    );
    assert!(
        !places.iter().any(|p| p.0 == "content/roadmap/gamma.md"),
        "{diags:?}"
    );
    assert_eq!(diags.len(), 3, "{diags:?}");
}
