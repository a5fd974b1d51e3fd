//! Inventory rounds on the command line: start, answer, confirm everything, checklist,
//! status, close and report; each refusal in one line with nothing changed; the round trip
//! through export.

mod common;

use common::{Sandbox, one_line_failure};

/// Stockholm's units; two methods with stages in Farsta (pilot 2020, preparing 2021) and one
/// in Skärholmen; a third method with no stage anywhere; a member for Farsta (anna) and a
/// viewer (olle).
fn sandbox() -> Sandbox {
    let sb = Sandbox::init();
    sb.write(
        "in.json",
        r#"{"spridning": 1,
            "methods": [
              {"name": "Alfa", "short_name": "A", "kind": "intervention", "area": "missbruk"},
              {"name": "Beta", "short_name": "B", "kind": "intervention", "area": "barn"},
              {"name": "Gamma", "short_name": "G", "kind": "instrument", "area": "missbruk"}],
            "events": [
              {"method": "A", "unit": "FA", "stage": "pilot", "date": "2020-03-01",
               "recorded_at": "2020-03-02T12:00:00Z"},
              {"method": "B", "unit": "FA", "stage": "preparing", "date": "2021-05-01",
               "recorded_at": "2021-05-02T12:00:00Z"},
              {"method": "A", "unit": "SH", "stage": "implemented", "date": "2019-01",
               "recorded_at": "2019-02-01T12:00:00Z"}
            ]}"#,
    );
    sb.ok(&["import", "in.json"]);
    sb.ok(&["user", "add", "anna", "--role", "member", "--unit", "FA"]);
    sb.ok(&["user", "add", "olle", "--role", "viewer"]);
    sb
}

fn status_of(sb: &Sandbox, unit: &str) -> serde_json::Value {
    sb.json(&["round", "status", "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == unit)
        .cloned()
        .unwrap_or_else(|| panic!("no {unit}"))
}

#[test]
fn a_round_is_started_answered_closed_and_reported() {
    let sb = sandbox();
    let said = sb.ok(&[
        "round",
        "start",
        "Inventering 2027",
        "--due",
        "2099-03-31",
        "--methods",
        "Gamma",
    ]);
    assert!(
        said.starts_with("started round 'Inventering 2027' (due 2099-03-31)"),
        "{said}"
    );
    // Farsta is asked about its two stages and the named method.
    let list = sb.json(&["round", "checklist", "--unit", "FA", "--format", "json"]);
    let methods: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["A", "B", "G"]);
    assert_eq!(list[0]["last_heard"], "2020-03-01");
    let fa = status_of(&sb, "FA");
    assert_eq!(
        (fa["answered"].as_u64(), fa["total"].as_u64()),
        (Some(0), Some(3))
    );
    // The member answers: Beta moved on, Gamma never used, then everything else confirmed.
    sb.ok(&[
        "--as", "anna", "round", "answer", "--unit", "FA", "--method", "B", "--stage", "pilot",
    ]);
    sb.ok(&[
        "--as",
        "anna",
        "round",
        "answer",
        "--unit",
        "FA",
        "--method",
        "G",
        "--not-used",
    ]);
    let all = sb.ok(&["--as", "anna", "round", "confirm-all", "--unit", "FA"]);
    assert_eq!(all.trim(), "confirmed 1 stages of FA as they stand today");
    let fa = status_of(&sb, "FA");
    assert_eq!(fa["answered"], 3);
    assert_eq!(fa["total"], 3);
    assert_eq!(fa["changed"], 1);
    assert_eq!(fa["last_by"], "anna");
    // The change is an event with the round as its source; Alfa's pilot is fresh again.
    let history = sb.json(&[
        "history", "--unit", "FA", "--method", "B", "--format", "json",
    ]);
    let last = history.as_array().unwrap().last().unwrap();
    assert_eq!(last["stage"], "pilot");
    assert_eq!(last["source"], "Inventering 2027");
    let matrix = sb.ok(&["matrix", "--format", "csv"]);
    let alfa = matrix.lines().find(|l| l.starts_with("A,")).unwrap();
    assert!(
        alfa.contains(",pilot,") || alfa.ends_with(",pilot"),
        "{alfa}"
    );
    // Skärholmen, asked about Alfa and Gamma, answered nothing.
    let sh = status_of(&sb, "SH");
    assert_eq!(
        (sh["answered"].as_u64(), sh["total"].as_u64()),
        (Some(0), Some(2))
    );
    // CSV has one row per unit with the fields unit, answered, total, changed.
    let csv = sb.ok(&["round", "status", "--format", "csv"]);
    assert!(
        csv.starts_with("unit,unit_name,answered,total,changed,"),
        "{csv}"
    );
    // Closing ends it; the report lists what changed and who did not answer.
    assert_eq!(
        sb.ok(&["round", "close"]).trim(),
        "closed round 'Inventering 2027'"
    );
    let report = sb.json(&["round", "report", "Inventering 2027", "--format", "json"]);
    assert_eq!(report["new_stages"].as_array().unwrap().len(), 1);
    assert_eq!(report["new_stages"][0]["method"], "B");
    assert_eq!(report["confirmations"].as_array().unwrap().len(), 1);
    let silent: Vec<&str> = report["unanswered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert!(
        silent.contains(&"SH") && !silent.contains(&"FA"),
        "{silent:?}"
    );
    // A second round may start now; its report starts where this one opened.
    sb.ok(&["round", "start", "Inventering 2028", "--due", "2099-12-31"]);
    sb.check_ok();
}

#[test]
fn every_refused_round_action_says_why_in_one_line_and_changes_nothing() {
    let sb = sandbox();
    sb.ok(&[
        "round",
        "start",
        "Inventering 2027",
        "--due",
        "2099-03-31",
        "--area",
        "missbruk",
    ]);
    let before = sb.state();
    let refusals: [(&[&str], &[&str]); 9] = [
        // A second open round.
        (
            &["round", "start", "Ny", "--due", "2099-01-01"],
            &["is open already"],
        ),
        // Only coordinators start rounds.
        (&["--as", "anna", "round", "close"], &["anna"]),
        // Another unit's round answer.
        (
            &[
                "--as",
                "anna",
                "round",
                "answer",
                "--unit",
                "SH",
                "--method",
                "A",
                "--confirm",
            ],
            &["anna", "SH"],
        ),
        // A viewer answers nothing.
        (
            &[
                "--as",
                "olle",
                "round",
                "answer",
                "--unit",
                "FA",
                "--method",
                "A",
                "--confirm",
            ],
            &["olle"],
        ),
        // Beta is not of the round's area.
        (
            &[
                "round",
                "answer",
                "--unit",
                "FA",
                "--method",
                "B",
                "--confirm",
            ],
            &["does not ask FA about B"],
        ),
        // Not used here, for a method that has a stage there.
        (
            &[
                "round",
                "answer",
                "--unit",
                "FA",
                "--method",
                "A",
                "--not-used",
            ],
            &["is at pilot in FA"],
        ),
        // A stage that does not exist.
        (
            &[
                "round", "answer", "--unit", "FA", "--method", "A", "--stage", "klar",
            ],
            &["klar"],
        ),
        // A unit the round does not ask (ceased before it opened).
        (
            &[
                "round",
                "answer",
                "--unit",
                "VA",
                "--method",
                "A",
                "--confirm",
            ],
            &["does not ask VA"],
        ),
        // A report of a round that does not exist, with the nearest name.
        (
            &["round", "report", "Inventering 2072"],
            &["no round called", "Inventering 2027"],
        ),
    ];
    for (args, needles) in refusals {
        one_line_failure(&sb.spr(args), needles);
    }
    assert_eq!(sb.state(), before, "nothing was written");
    sb.ok(&["round", "close"]);
    let closed = sb.state();
    one_line_failure(&sb.spr(&["round", "close"]), &["no round is open"]);
    one_line_failure(
        &sb.spr(&["round", "start", "Inventering 2027", "--due", "2099-01-01"]),
        &["already a round called"],
    );
    one_line_failure(
        &sb.spr(&["round", "start", "Gammal", "--due", "2001-01-01"]),
        &["has passed"],
    );
    one_line_failure(
        &sb.spr(&[
            "round",
            "start",
            "Okänt",
            "--due",
            "2099-01-01",
            "--area",
            "missbrk",
        ]),
        &["unknown area", "missbruk"],
    );
    assert_eq!(sb.state(), closed, "nothing was written");
}

#[test]
fn rounds_and_their_answers_go_through_export_and_import() {
    let sb = sandbox();
    sb.ok(&[
        "round",
        "start",
        "Inventering 2027",
        "--due",
        "2099-03-31",
        "--methods",
        "G",
    ]);
    sb.ok(&[
        "round",
        "answer",
        "--unit",
        "FA",
        "--method",
        "A",
        "--confirm",
    ]);
    sb.ok(&[
        "round",
        "answer",
        "--unit",
        "FA",
        "--method",
        "B",
        "--stage",
        "discontinued",
        "--note",
        "slutade",
    ]);
    sb.ok(&[
        "round",
        "answer",
        "--unit",
        "SH",
        "--method",
        "G",
        "--not-used",
    ]);
    sb.ok(&["export", "--format", "json", "--out", "x.json"]);
    let export = sb.json(&["export", "--format", "json"]);
    let answers = export["rounds"][0]["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[1]["answer"], "discontinued");
    sb.run(&["init", "new.db"]);
    let out = sb.run(&["--db", "new.db", "import", "x.json"]);
    assert!(out.status.success(), "{out:?}");
    let again: serde_json::Value = serde_json::from_slice(
        &sb.run(&["--db", "new.db", "export", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(again["rounds"], export["rounds"]);
    // The imported round is open and goes on.
    let status = sb.run(&["--db", "new.db", "round", "status", "--format", "json"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let fa = status
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == "FA")
        .unwrap();
    // Farsta answered two of its three questions (Gamma's "not used" was Skärholmen's).
    assert_eq!(
        (fa["answered"].as_u64(), fa["total"].as_u64()),
        (Some(2), Some(3))
    );
}

#[test]
fn a_report_with_round_has_its_sheet_and_its_section() {
    use calamine::{Reader, Xlsx, open_workbook};
    let sb = sandbox();
    sb.ok(&["round", "start", "Inventering 2027", "--due", "2099-03-31"]);
    sb.ok(&[
        "round", "answer", "--unit", "FA", "--method", "B", "--stage", "pilot",
    ]);
    sb.ok(&[
        "round",
        "answer",
        "--unit",
        "FA",
        "--method",
        "A",
        "--confirm",
    ]);
    sb.ok(&[
        "--lang",
        "sv",
        "report",
        "--format",
        "xlsx",
        "--round",
        "inventering 2027",
        "--out",
        "r.xlsx",
    ]);
    let mut book: Xlsx<_> = open_workbook(sb.path("r.xlsx")).expect("an xlsx file");
    assert!(book.sheet_names().contains(&"Inventering".to_string()));
    let sheet = book.worksheet_range("Inventering").unwrap();
    let text: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(text.iter().any(|c| c == "Nya steg (1)"), "{text:?}");
    assert!(text.iter().any(|c| c == "Bekräftelser (1)"), "{text:?}");
    sb.ok(&[
        "--lang",
        "en",
        "report",
        "--format",
        "html",
        "--round",
        "Inventering 2027",
        "--out",
        "r.html",
    ]);
    let html = std::fs::read_to_string(sb.path("r.html")).unwrap();
    assert!(
        html.contains(r#"<section id="round">"#),
        "the round's section"
    );
    // Only Skärholmen was asked and did not answer (units with no question are not listed).
    assert!(
        html.contains("Units that did not answer every question (1)"),
        "{html}"
    );
    // An unknown round is refused before anything is written.
    one_line_failure(
        &sb.spr(&[
            "report",
            "--format",
            "html",
            "--round",
            "Inventering 2072",
            "--out",
            "x.html",
        ]),
        &["no round called"],
    );
    assert!(!sb.path("x.html").exists());
}
