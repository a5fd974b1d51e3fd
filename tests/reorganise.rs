//! Reorganisations on the command line: merges and splits, what is carried over and what is
//! left to review, and every refusal (one line, nothing changed).

mod common;

use common::{Sandbox, one_line_failure};
use serde_json::Value;

/// A database made by `init` with two methods and a few events in Farsta and Skarpnäck.
fn two_districts() -> Sandbox {
    let sb = Sandbox::init();
    sb.write(
        "m.json",
        r#"{"spridning": 1, "methods": [
            {"name": "Metod A", "short_name": "MA", "kind": "intervention"},
            {"name": "Metod B", "short_name": "MB", "kind": "instrument"},
            {"name": "Metod C", "short_name": "MC", "kind": "instrument"}]}"#,
    );
    sb.ok(&["import", "m.json"]);
    for (m, u, stage, date) in [
        ("MA", "FA", "pilot", "2020-01"),
        ("MA", "FA", "implemented", "2022-03-01"),
        ("MA", "SN", "implemented", "2021-05"),
        ("MB", "FA", "pilot", "2021-01"),
        ("MB", "SN", "preparing", "2021-02"),
        ("MC", "FA", "exploring", "2021-02"),
    ] {
        sb.ok(&[
            "adopt", "--method", m, "--unit", u, "--stage", stage, "--date", date,
        ]);
    }
    sb
}

fn unit(sb: &Sandbox, code: &str) -> Value {
    let units = sb.json(&["units", "--format", "json"]);
    units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
        .cloned()
        .unwrap_or_else(|| panic!("no unit {code}"))
}

#[test]
fn a_merge_closes_the_predecessors_and_carries_what_they_agree_on() {
    let sb = two_districts();
    let out = sb.ok(&[
        "reorganise",
        "--from",
        "FA,Skarpnäck",
        "--into",
        "Farsta-Skarpnäck",
        "--code",
        "FS",
        "--on",
        "2024-01-01",
        "--carry",
    ]);
    assert!(
        out.starts_with("reorganised on 2024-01-01: FA, SN closed, FS (new) took over"),
        "{out}"
    );
    assert!(
        out.contains("carried over: 1 events; to review: 2 methods"),
        "{out}"
    );
    assert!(
        out.contains("to review: MB (FA pilot, SN preparing)"),
        "{out}"
    );
    assert!(
        out.contains("to review: MC (FA exploring, SN none)"),
        "{out}"
    );
    for old in ["FA", "SN"] {
        let u = unit(&sb, old);
        assert_eq!(u["valid_to"], "2023-12-31", "{old}");
        assert_eq!(u["successor"], "FS", "{old}");
    }
    let fs = unit(&sb, "FS");
    assert_eq!(fs["valid_from"], "2024-01-01");
    assert_eq!(fs["region"], "söderort", "the predecessors' common region");
    let history = sb.json(&["history", "--unit", "FS", "--format", "json"]);
    let events = history.as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["method"], "MA");
    assert_eq!(events[0]["stage"], "implemented");
    assert_eq!(events[0]["date"], "2024-01-01");
    assert_eq!(events[0]["source"], "reorganisation");
    let note = events[0]["note"].as_str().unwrap();
    assert!(
        note.contains("FA (ordinarie verksamhet)") && note.contains("SN (ordinarie verksamhet)"),
        "{note}"
    );
    sb.check_ok();
    // The predecessors can no longer take events after they closed.
    one_line_failure(
        &sb.spr(&[
            "adopt", "--method", "MA", "--unit", "FA", "--stage", "pilot", "--date", "2024-02",
        ]),
        &["did not exist on 2024-02", "FS"],
    );
}

#[test]
fn without_carry_nothing_is_recorded() {
    let sb = two_districts();
    let before = sb.json(&["history", "--format", "json"]);
    let out = sb.ok(&[
        "reorganise",
        "--from",
        "FA,SN",
        "--into",
        "Farsta-Skarpnäck",
        "--code",
        "FS",
        "--on",
        "2024-01-01",
    ]);
    assert!(!out.contains("carried"), "{out}");
    assert_eq!(sb.json(&["history", "--format", "json"]), before);
}

#[test]
fn a_split_gives_each_successor_the_predecessors_stages() {
    let sb = two_districts();
    let out = sb.ok(&[
        "reorganise",
        "--from",
        "FA",
        "--into",
        "Farsta norra,Farsta södra",
        "--code",
        "FN,FSÖ",
        "--on",
        "2024-01-01",
        "--carry",
    ]);
    assert!(out.contains("FN (new), FSÖ (new) took over"), "{out}");
    assert!(
        out.contains("carried over: 6 events; to review: 0 methods"),
        "{out}"
    );
    for code in ["FN", "FSÖ"] {
        let h = sb.json(&["history", "--unit", code, "--format", "json"]);
        assert_eq!(h.as_array().unwrap().len(), 3, "{code}");
    }
    let fa = unit(&sb, "FA");
    assert_eq!(fa["valid_to"], "2023-12-31");
    assert_eq!(
        fa["successor"],
        Value::Null,
        "a split has no single successor"
    );
    sb.check_ok();
}

#[test]
fn an_existing_successor_is_reused_and_its_own_history_is_left_to_review() {
    let sb = two_districts();
    sb.ok(&[
        "adopt", "--method", "MA", "--unit", "SH", "--stage", "pilot", "--date", "2021-01",
    ]);
    let out = sb.ok(&[
        "reorganise",
        "--from",
        "FA",
        "--into",
        "Skärholmen",
        "--on",
        "2024-01-01",
        "--carry",
    ]);
    assert!(out.contains("FA closed, SH took over"), "{out}");
    assert!(
        out.contains("to review: MA (FA implemented; a successor has its own history)"),
        "{out}"
    );
    assert!(out.contains("carried over: 2 events"), "{out}");
}

#[test]
fn bad_reorganisations_are_refused_in_one_line_and_change_nothing() {
    let sb = two_districts();
    sb.ok(&[
        "adopt",
        "--method",
        "MA",
        "--unit",
        "SH",
        "--stage",
        "pilot",
        "--date",
        "2024-03-15",
    ]);
    let before = sb.state();
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec![
                "--from",
                "RK",
                "--into",
                "Ny",
                "--code",
                "NY",
                "--on",
                "2025-01-01",
            ],
            vec!["RK (Rinkeby-Kista) is already closed", "2023-06-30"],
        ),
        (
            vec![
                "--from",
                "JÄ",
                "--into",
                "Ny",
                "--code",
                "NY",
                "--on",
                "2023-01-01",
            ],
            vec!["JÄ (Järva) starts on 2023-07-01"],
        ),
        (
            vec![
                "--from",
                "SH",
                "--into",
                "Ny",
                "--code",
                "NY",
                "--on",
                "2024-01-01",
            ],
            vec![
                "SH has events dated on or after 2024-01-01",
                "MA 2024-03-15",
            ],
        ),
        (
            vec![
                "--from",
                "FA",
                "--into",
                "Ny",
                "--code",
                "SN",
                "--on",
                "2024-01-01",
            ],
            vec!["'SN' is already the code or name of unit SN"],
        ),
        (
            vec!["--from", "FA", "--into", "Ny", "--on", "2024-01-01"],
            vec!["'Ny' is a new unit: give its code with --code"],
        ),
        (
            vec![
                "--from",
                "Frasta",
                "--into",
                "Ny",
                "--code",
                "NY",
                "--on",
                "2024-01-01",
            ],
            vec!["unknown unit 'Frasta' (did you mean: FA?)"],
        ),
        (
            vec!["--from", "FA", "--into", "FA", "--on", "2024-01-01"],
            vec!["FA cannot both end and take over"],
        ),
        (
            vec![
                "--from",
                "FA",
                "--into",
                "Ny",
                "--code",
                "NY",
                "--on",
                "2024-13-01",
            ],
            vec!["invalid date '2024-13-01'"],
        ),
    ];
    for (args, needles) in cases {
        let mut all = vec!["reorganise"];
        all.extend(args);
        one_line_failure(&sb.spr(&all), &needles);
    }
    assert!(
        sb.state() == before,
        "a refused reorganisation changed the database"
    );
}

#[test]
fn only_a_coordinator_reorganises() {
    let sb = two_districts();
    sb.ok(&["user", "add", "maja", "--role", "member", "--unit", "FA"]);
    let before = sb.state();
    let out = sb.spr(&[
        "--as",
        "maja",
        "reorganise",
        "--from",
        "FA",
        "--into",
        "Ny",
        "--code",
        "NY",
        "--on",
        "2024-01-01",
    ]);
    one_line_failure(&out, &["maja is a member and cannot edit a unit"]);
    assert!(sb.state() == before);
}

#[test]
fn advice_follows_the_whole_lineage() {
    let sb = Sandbox::init();
    sb.write(
        "m.json",
        r#"{"spridning": 1, "methods": [{"name": "Metod A", "short_name": "MA", "kind": "intervention"}]}"#,
    );
    sb.ok(&["import", "m.json"]);
    let adopt = |unit: &str, date: &str| {
        sb.spr(&[
            "adopt", "--method", "MA", "--unit", unit, "--stage", "pilot", "--date", date,
        ])
    };
    // Hägersten → Hägersten-Liljeholmen (2007) → Hägersten-Älvsjö (2020).
    one_line_failure(
        &adopt("Hägersten", "2024-01"),
        &["did not exist on 2024-01", "use its successor HAE"],
    );
    one_line_failure(&adopt("RI", "2024-01-15"), &["use its successor JÄ"]);
    // Before a unit began: the units that were there then.
    one_line_failure(
        &adopt("JÄ", "2005-01"),
        &[
            "exists from 2023-07-01",
            "its predecessors KI, RI, ST existed then",
        ],
    );
    one_line_failure(
        &adopt("HAE", "2019-12-31"),
        &["its predecessors HL, AL existed then"],
    );
}
