//! Confirmations on the command line: `confirm`, `retract --confirmation`, the history and
//! Activity that show them, each refusal (one line, nothing changed), `setting
//! fresh-months`, `--fresh-months`, `--current-only` and the round trip through export.

mod common;

use common::{Sandbox, one_line_failure};

/// Stockholm's units, one method, Farsta at pilot since 2020-03-01 and Skärholmen exploring
/// since 2021-01; a member for Farsta (anna) and a viewer (olle).
fn sandbox() -> Sandbox {
    let sb = Sandbox::init();
    sb.write(
        "in.json",
        r#"{"spridning": 1,
            "methods": [{"name": "Metod", "short_name": "M", "kind": "intervention"}],
            "events": [
              {"method": "M", "unit": "FA", "stage": "pilot", "date": "2020-03-01"},
              {"method": "M", "unit": "SH", "stage": "exploring", "date": "2021-01"}
            ]}"#,
    );
    sb.ok(&["import", "in.json"]);
    sb.ok(&["user", "add", "anna", "--role", "member", "--unit", "FA"]);
    sb.ok(&["user", "add", "olle", "--role", "viewer"]);
    sb
}

/// The cell of `matrix --format csv` for method M and a unit code.
fn cell(sb: &Sandbox, unit: &str, extra: &[&str]) -> String {
    let mut args = vec!["matrix", "--format", "csv"];
    args.extend_from_slice(extra);
    let text = sb.ok(&args);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == unit).unwrap();
    let row = lines.find(|l| l.starts_with("M,")).unwrap();
    row.split(',').nth(col).unwrap().to_string()
}

#[test]
fn a_confirmation_makes_a_stale_stage_fresh_and_a_retraction_takes_it_back() {
    let sb = sandbox();
    // Pilot since 2020: today not heard from in 24 months.
    assert_eq!(cell(&sb, "FA", &[]), "pilot°");
    let said = sb.ok(&[
        "--as",
        "anna",
        "confirm",
        "--method",
        "Metod",
        "--unit",
        "Farsta",
        "--note",
        "enligt enhetschefen",
    ]);
    let today = chrono::Local::now().date_naive();
    assert_eq!(
        said.trim(),
        format!("recorded confirmation 1: M in FA is still pilot on {today}")
    );
    assert_eq!(cell(&sb, "FA", &[]), "pilot");
    assert_eq!(cell(&sb, "FA", &["--last-heard"]), format!("pilot {today}"));
    assert_eq!(
        cell(&sb, "SH", &["--last-heard"]),
        "exploring° 2021-01-01",
        "a month counts as its first day"
    );
    // The history shows it, marked, after the event; so does Activity.
    let history = sb.json(&["history", "--unit", "FA", "--format", "json"]);
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["kind"], "event");
    assert_eq!(rows[1]["kind"], "confirmation");
    assert_eq!(rows[1]["recorded_by"], "anna");
    assert_eq!(rows[1]["note"], "enligt enhetschefen");
    let activity = sb.ok(&["activity", "--limit", "1"]);
    assert!(activity.contains("confirmed"), "{activity}");
    assert!(activity.contains("pilot"), "{activity}");
    // Seen as of a day before it was said, the stage is stale again.
    assert_eq!(cell(&sb, "FA", &["--as-of", "2024-01-01"]), "pilot°");
    // And as the register knew it before the confirmation was recorded.
    assert_eq!(
        cell(
            &sb,
            "FA",
            &[
                "--known-at",
                "2000-01-01T00:00:00Z",
                "--as-of",
                "2021-01-01"
            ]
        ),
        ""
    );
    // Retracted, it no longer counts, and stays in the history.
    let out = sb.ok(&[
        "--as",
        "anna",
        "retract",
        "--confirmation",
        "1",
        "--reason",
        "fel metod",
    ]);
    assert_eq!(out.trim(), "retracted confirmation 1");
    assert_eq!(cell(&sb, "FA", &[]), "pilot°");
    let history = sb.json(&["history", "--unit", "FA", "--format", "json"]);
    assert_eq!(history[1]["retracted"], true);
    assert_eq!(history[1]["retraction"]["reason"], "fel metod");
    sb.check_ok();
}

#[test]
fn every_refused_confirmation_says_why_in_one_line_and_changes_nothing() {
    let sb = sandbox();
    let before = sb.state();
    let refusals: [(&[&str], &[&str]); 8] = [
        // A viewer may not confirm.
        (
            &["--as", "olle", "confirm", "--method", "M", "--unit", "FA"],
            &["olle", "viewer"],
        ),
        // A member only for their own units.
        (
            &["--as", "anna", "confirm", "--method", "M", "--unit", "SH"],
            &["anna", "SH"],
        ),
        // Before the stage's own event there was nothing to confirm.
        (
            &[
                "confirm",
                "--method",
                "M",
                "--unit",
                "FA",
                "--date",
                "2020-02-29",
            ],
            &["no stage in FA on 2020-02-29"],
        ),
        // Not in the future.
        (
            &[
                "confirm",
                "--method",
                "M",
                "--unit",
                "FA",
                "--date",
                "2999-01-01",
            ],
            &["in the future"],
        ),
        // A whole day, not a month.
        (
            &[
                "confirm", "--method", "M", "--unit", "FA", "--date", "2024-05",
            ],
            &["invalid date"],
        ),
        // A unit that did not exist then.
        (
            &[
                "confirm",
                "--method",
                "M",
                "--unit",
                "JÄ",
                "--date",
                "2021-01-01",
            ],
            &["did not exist"],
        ),
        // An unknown method, with a suggestion.
        (
            &["confirm", "--method", "Metd", "--unit", "FA"],
            &["unknown method 'Metd'", "did you mean"],
        ),
        // A method with no stage in the unit.
        (
            &["confirm", "--method", "M", "--unit", "KH"],
            &["no stage in KH"],
        ),
    ];
    for (args, needles) in refusals {
        one_line_failure(&sb.spr(args), needles);
    }
    one_line_failure(
        &sb.spr(&["retract", "--confirmation", "9", "--reason", "x"]),
        &["no confirmation 9"],
    );
    one_line_failure(
        &sb.spr(&["retract", "--confirmation", "9", "--reason", " "]),
        &["reason"],
    );
    assert_eq!(sb.state(), before, "nothing was written");
}

#[test]
fn fresh_months_is_a_setting_an_option_and_part_of_the_export() {
    let sb = sandbox();
    assert_eq!(sb.ok(&["setting", "fresh-months"]).trim(), "24");
    // Ten years: the pilot of 2020 is fresh.
    assert_eq!(cell(&sb, "FA", &["--fresh-months", "120"]), "pilot");
    one_line_failure(
        &sb.spr(&["matrix", "--fresh-months", "0"]),
        &["fresh-months"],
    );
    // Only coordinators change it; a bad value is refused.
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["--as", "anna", "setting", "fresh-months", "120"]),
        &["anna"],
    );
    one_line_failure(
        &sb.spr(&["setting", "fresh-months", "tolv"]),
        &["fresh-months"],
    );
    one_line_failure(&sb.spr(&["setting", "färg", "blå"]), &["unknown setting"]);
    assert_eq!(sb.state(), before);
    assert_eq!(
        sb.ok(&["setting", "fresh-months", "120"]).trim(),
        "fresh-months 120"
    );
    assert_eq!(cell(&sb, "FA", &[]), "pilot");
    // The export carries it and the confirmations; a new register gets both.
    sb.ok(&[
        "confirm",
        "--method",
        "M",
        "--unit",
        "SH",
        "--date",
        "2022-06-01",
    ]);
    let export = sb.json(&["export", "--format", "json"]);
    assert_eq!(export["settings"]["fresh-months"], "120");
    assert_eq!(export["confirmations"].as_array().unwrap().len(), 1);
    sb.ok(&["export", "--format", "json", "--out", "x.json"]);
    sb.run(&["init", "new.db"]);
    let again = sb.run(&["--db", "new.db", "import", "x.json"]);
    assert!(again.status.success(), "{again:?}");
    let moved = String::from_utf8(
        sb.run(&["--db", "new.db", "export", "--format", "json"])
            .stdout,
    )
    .unwrap();
    let moved: serde_json::Value = serde_json::from_str(&moved).unwrap();
    assert_eq!(moved["settings"], export["settings"]);
    assert_eq!(moved["confirmations"], export["confirmations"]);
    // Back to the default.
    assert_eq!(
        sb.ok(&["setting", "fresh-months", ""]).trim(),
        "fresh-months 24 (the default)"
    );
}

#[test]
fn current_only_leaves_stale_stages_out_and_not_heard_from_lists_them() {
    let sb = sandbox();
    assert_eq!(cell(&sb, "FA", &["--current-only"]), "");
    let ask = sb.json(&["stalled", "--not-heard-from", "--format", "json"]);
    let units: Vec<&str> = ask
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["unit"].as_str().unwrap())
        .collect();
    // Oldest word first: Farsta (2020-03-01), then Skärholmen (2021-01).
    assert_eq!(units, ["FA", "SH"]);
    assert_eq!(ask[0]["last_heard"], "2020-03-01");
    // Stalled counts only fresh pilots: confirmed today, Farsta's pilot is known to be stuck.
    assert!(
        sb.json(&["stalled", "--format", "json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    sb.ok(&["confirm", "--method", "M", "--unit", "FA"]);
    let stalled = sb.json(&["stalled", "--format", "json"]);
    assert_eq!(stalled.as_array().unwrap().len(), 1);
    assert_eq!(stalled[0]["unit"], "FA");
    let m = &sb.json(&["metrics", "--format", "json"])[0];
    assert_eq!(
        (m["stalled"].as_u64(), m["not_heard_from"].as_u64()),
        (Some(1), Some(1))
    );
}
