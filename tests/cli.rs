//! The command line as scripts use it: the real binary, run in a temporary directory on a
//! fresh database or a copy of `sample.db`. Bad input exits non-zero with one line on stderr
//! and leaves the database as it was.

#![allow(
    unsafe_code,
    reason = "the ownership cases call geteuid and chown through libc"
)]

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

use common::{Sandbox, one_line_failure, stdout_of};

const SAMPLE_JSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.json");

/// Terminal escapes (OSC title, clear screen, 8-bit CSI) and a bidi override.
const NASTY: &str = "\x1b]0;pwned\x07 \x1b[2J \u{9b} \u{202e}";
const FORBIDDEN: [char; 4] = ['\x1b', '\x07', '\u{9b}', '\u{202e}'];

fn sample_json() -> Value {
    let text = std::fs::read_to_string(SAMPLE_JSON).expect("read data/sample.json");
    serde_json::from_str(&text).expect("parse data/sample.json")
}

fn len(v: &Value) -> usize {
    v.as_array().expect("a JSON array").len()
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn me() -> String {
    spridning::identity::os_login()
}

/// The id from "recorded event N: …".
fn recorded_id(stdout: &str) -> i64 {
    stdout
        .strip_prefix("recorded event ")
        .and_then(|s| s.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no event id in {stdout:?}"))
}

// --- init ------------------------------------------------------------------------------

#[test]
fn init_creates_a_database_and_refuses_an_existing_path() {
    let sb = Sandbox::bare();
    let out = stdout_of(sb.run(&["init", "new.db"]));
    assert!(out.contains("created new.db"), "{out}");
    assert!(out.contains(&me()), "{out}");
    assert!(sb.path("new.db").is_file());
    let methods = sb.run(&["--db", "new.db", "methods", "--format", "json"]);
    assert_eq!(len(&serde_json::from_str(&stdout_of(methods)).unwrap()), 0);
    let units: Value = serde_json::from_str(&stdout_of(
        sb.run(&["--db", "new.db", "units", "--format", "json"]),
    ))
    .unwrap();
    // 18 districts of 1999, the successors of 2007, 2020 and 2023, three central units.
    assert_eq!(len(&units), 28);
    let users = stdout_of(sb.run(&["--db", "new.db", "user", "list"]));
    assert!(
        users
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == [me().as_str(), "coordinator"]),
        "{users}"
    );

    let before = std::fs::read(sb.path("new.db")).unwrap();
    one_line_failure(&sb.run(&["init", "new.db"]), &["new.db", "already exists"]);
    assert_eq!(std::fs::read(sb.path("new.db")).unwrap(), before);
    // A file of something else is not overwritten either.
    sb.write("notes.txt", "inköpslista\n");
    one_line_failure(&sb.run(&["init", "notes.txt"]), &["notes.txt"]);
    assert_eq!(
        std::fs::read_to_string(sb.path("notes.txt")).unwrap(),
        "inköpslista\n"
    );
}

// --- adopt -----------------------------------------------------------------------------

#[test]
fn adopt_records_an_event_that_history_shows_with_every_field() {
    let sb = Sandbox::sample();
    let before = len(&sb.json(&["history", "--format", "json"]));
    let out = sb.ok(&[
        "adopt",
        "--method",
        "asi",
        "--unit",
        "farsta",
        "--stage",
        "Pilot",
        "--date",
        "2020-02-01",
        "--note",
        "Startade i Farsta\nmed två handläggare",
        "--source",
        "KF 2020:17 s. 4",
    ]);
    let id = recorded_id(&out);
    assert_eq!(
        out.trim_end(),
        format!("recorded event {id}: ASI in FA is pilot from 2020-02-01")
    );

    let history = sb.json(&[
        "history", "--method", "ASI", "--unit", "FA", "--format", "json",
    ]);
    let all = sb.json(&["history", "--format", "json"]);
    assert_eq!(len(&all), before + 1);
    let ev = history
        .as_array()
        .unwrap()
        .last()
        .expect("an event")
        .as_object()
        .unwrap();
    let mut keys: Vec<&str> = ev.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "date",
            "id",
            "kind",
            "method",
            "method_name",
            "note",
            "recorded_at",
            "recorded_by",
            "retracted",
            "retraction",
            "source",
            "stage",
            "unit",
            "unit_name",
        ]
    );
    assert_eq!(ev["id"], id);
    assert_eq!(ev["method"], "ASI");
    assert_eq!(ev["method_name"], "Addiction Severity Index");
    assert_eq!(ev["unit"], "FA");
    assert_eq!(ev["unit_name"], "Farsta");
    assert_eq!(ev["stage"], "pilot");
    assert_eq!(ev["date"], "2020-02-01");
    assert_eq!(ev["note"], "Startade i Farsta\nmed två handläggare");
    assert_eq!(ev["source"], "KF 2020:17 s. 4");
    assert_eq!(ev["recorded_by"], me().as_str());
    assert_eq!(ev["retracted"], false);
    assert_eq!(ev["retraction"], Value::Null);
    let at = ev["recorded_at"].as_str().unwrap();
    let parsed = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%SZ");
    assert!(parsed.is_ok(), "recorded_at {at}");
    // The matrix shows the new stage.
    let (header, rows) = csv_rows(&sb.ok(&["matrix", "--format", "csv"]));
    let fa = header.iter().position(|h| h == "FA").unwrap();
    let asi = rows.iter().find(|r| r[0] == "ASI").unwrap();
    // Recorded for 2020: not heard from since, so marked stale.
    assert_eq!(asi[fa], "pilot°");
}

#[test]
fn adopt_without_a_date_records_today_and_as_records_who() {
    let sb = Sandbox::sample();
    sb.ok(&["user", "add", "karin", "--role", "member", "--unit", "SH"]);
    let day_before = today();
    let id = recorded_id(&sb.ok(&[
        "--as",
        "karin",
        "adopt",
        "--method",
        "OPERA",
        "--unit",
        "SH",
        "--stage",
        "exploring",
    ]));
    let day_after = today();
    let history = sb.json(&[
        "history", "--method", "opera", "--unit", "sh", "--format", "json",
    ]);
    let ev = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .expect("the event");
    let date = ev["date"].as_str().unwrap();
    assert!(
        date == day_before.to_string() || date == day_after.to_string(),
        "{date}"
    );
    assert_eq!(ev["recorded_by"], "karin");
    assert_eq!(ev["note"], "");
    assert_eq!(ev["source"], "");
}

#[test]
fn adopt_with_bad_input_fails_with_one_line_and_changes_nothing() {
    let sb = Sandbox::sample();
    let before = sb.state();
    let adopt = |method: &str, unit: &str, stage: &str, date: &str| {
        sb.spr(&[
            "adopt", "--method", method, "--unit", unit, "--stage", stage, "--date", date,
        ])
    };
    let cases: Vec<(Output, Vec<&str>)> = vec![
        (
            adopt("Metod som inte finns", "FA", "pilot", "2010-01-01"),
            vec!["unknown method", "'Metod som inte finns'"],
        ),
        (
            adopt("ASI", "Atlantis", "pilot", "2010-01-01"),
            vec!["unknown unit", "'Atlantis'"],
        ),
        (
            adopt("ASI", "FA", "flying", "2010-01-01"),
            vec!["unknown stage", "'flying'"],
        ),
        (
            adopt("ASI", "FA", "pilot", "2023-02-30"),
            vec!["invalid date", "'2023-02-30'"],
        ),
        (
            adopt("ASI", "FA", "pilot", "2010/01/01"),
            vec!["'2010/01/01'"],
        ),
        (
            adopt("ASI", "FA", "pilot", "2999-01-01"),
            vec!["2999-01-01", "future"],
        ),
        (
            adopt("ASI", "VA", "pilot", "2024-01-01"),
            vec!["VA", "2024-01-01", "EAV"],
        ),
        (
            adopt("ASI", "EAV", "pilot", "2003-05"),
            vec!["EAV", "2003-05"],
        ),
        (
            adopt("ASI", "HAE", "pilot", "2019-12-31"),
            vec!["HAE", "2019-12-31"],
        ),
        (adopt("", "FA", "pilot", "2010-01-01"), vec!["no method"]),
    ];
    for (out, needles) in &cases {
        one_line_failure(out, needles);
    }
    let long_note = "x".repeat(2001);
    let out = sb.spr(&[
        "adopt", "--method", "ASI", "--unit", "FA", "--stage", "pilot", "--note", &long_note,
    ]);
    one_line_failure(&out, &["note is too long"]);
    // A missing required argument is a usage error, not a half-recorded event.
    let out = sb.spr(&["adopt", "--method", "ASI", "--unit", "FA"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--stage"));
    assert!(sb.state() == before, "a failed adopt changed the database");
    // The comparison notices a change: a good adopt does change the state.
    sb.ok(&[
        "adopt",
        "--method",
        "ASI",
        "--unit",
        "FA",
        "--stage",
        "pilot",
        "--date",
        "2010-01-01",
    ]);
    assert!(sb.state() != before);
}

#[test]
fn adopt_with_an_ambiguous_unit_fails_and_names_the_matches() {
    let sb = Sandbox::init();
    // spridning refuses a unit whose name is another unit's code …
    sb.write(
        "extra.json",
        r#"{"spridning": 1,
            "units": [{"code": "ZZ", "name": "Kh", "kind": "partner", "region": null,
                       "valid_from": null, "valid_to": null, "successor": null}],
            "methods": [{"name": "Testmetod", "short_name": null, "kind": "instrument"}]}"#,
    );
    one_line_failure(&sb.spr(&["import", "extra.json"]), &["units[0]", "Kh"]);
    sb.write(
        "method.json",
        r#"{"spridning": 1, "methods": [{"name": "Testmetod", "short_name": null, "kind": "instrument"}]}"#,
    );
    sb.ok(&["import", "method.json"]);
    // … but another tool may write one; then `--unit kh` is ambiguous, not guessed.
    rusqlite::Connection::open(sb.db())
        .unwrap()
        .execute(
            "INSERT INTO unit (code, name, kind, search, sort_key, created_at, created_by, updated_at, updated_by)
             VALUES ('ZZ', 'Kh', 'partner', 'zz kh', 'kh', 'x', 'x', 'x', 'x')",
            [],
        )
        .unwrap();
    let before = sb.state();
    let out = sb.spr(&[
        "adopt",
        "--method",
        "Testmetod",
        "--unit",
        "kh",
        "--stage",
        "pilot",
        "--date",
        "2010-01-01",
    ]);
    one_line_failure(&out, &["ambiguous unit 'kh'", "KH", "ZZ"]);
    assert!(sb.state() == before, "a failed adopt changed the database");
    // Two methods whose names differ only in the case of a Swedish letter are one name.
    sb.write(
        "twins.json",
        r#"{"spridning": 1,
            "methods": [{"name": "Åtgärdsplan", "short_name": null, "kind": "instrument"},
                        {"name": "åtgärdsplan", "short_name": null, "kind": "instrument"}]}"#,
    );
    let init2 = Sandbox::init();
    std::fs::copy(sb.path("twins.json"), init2.path("twins.json")).unwrap();
    let before = init2.state();
    one_line_failure(
        &init2.spr(&["import", "twins.json"]),
        &["methods[1]", "åtgärdsplan"],
    );
    assert!(init2.state() == before);
}

// --- which database --------------------------------------------------------------------

#[test]
fn the_database_is_the_flag_else_the_environment_else_spridning_db_here() {
    let sb = Sandbox::bare();
    for (db, login) in [
        ("a.db", "alice"),
        ("b.db", "bertil"),
        ("spridning.db", "cecilia"),
    ] {
        stdout_of(sb.run(&["init", db]));
        stdout_of(sb.run(&["--db", db, "user", "add", login, "--role", "viewer"]));
    }
    let users = |cmd: &mut Command| stdout_of(cmd.args(["user", "list"]).output().unwrap());
    let has = |list: &str, login: &str| list.lines().any(|l| l.starts_with(login));

    let flag = users(sb.command().args(["--db", "a.db"]));
    assert!(
        has(&flag, "alice") && !has(&flag, "bertil") && !has(&flag, "cecilia"),
        "{flag}"
    );
    let env = users(sb.command().env("SPRIDNING_DB", "b.db"));
    assert!(
        has(&env, "bertil") && !has(&env, "alice") && !has(&env, "cecilia"),
        "{env}"
    );
    let both = users(
        sb.command()
            .env("SPRIDNING_DB", "b.db")
            .args(["--db", "a.db"]),
    );
    assert!(
        has(&both, "alice") && !has(&both, "bertil"),
        "the flag must win: {both}"
    );
    let default = users(&mut sb.command());
    assert!(
        has(&default, "cecilia") && !has(&default, "alice") && !has(&default, "bertil"),
        "{default}"
    );
    let empty_env = users(sb.command().env("SPRIDNING_DB", ""));
    assert!(has(&empty_env, "cecilia"), "{empty_env}");
    // The flag after the subcommand works too.
    let after = stdout_of(
        sb.command()
            .args(["user", "list", "--db", "b.db"])
            .output()
            .unwrap(),
    );
    assert!(has(&after, "bertil"), "{after}");
}

#[test]
fn a_missing_database_is_explained_with_init_and_the_sample() {
    let sb = Sandbox::bare();
    let out = sb.run(&["--db", "nowhere.db", "methods"]);
    one_line_failure(&out, &["nowhere.db", "init", "sample.db"]);
    assert!(
        !sb.path("nowhere.db").exists(),
        "a failed open created the file"
    );
    let out = sb.command().arg("history").output().unwrap();
    one_line_failure(&out, &["spridning.db", "spridning init"]);
    assert!(!sb.path("spridning.db").exists());
    let out = sb
        .command()
        .env("SPRIDNING_DB", "från-miljön.db")
        .arg("units")
        .output()
        .unwrap();
    one_line_failure(&out, &["från-miljön.db", "init"]);
}

#[test]
fn files_that_are_not_spridning_databases_are_refused_and_left_alone() {
    let sb = Sandbox::bare();
    sb.write("text.db", &"inte en databas\n".repeat(50));
    one_line_failure(
        &sb.run(&["--db", "text.db", "methods"]),
        &["text.db", "not a SQLite database"],
    );
    assert_eq!(
        std::fs::read_to_string(sb.path("text.db")).unwrap(),
        "inte en databas\n".repeat(50)
    );
    {
        let conn = rusqlite::Connection::open(sb.path("other.db")).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(sb.path("other.db")).unwrap();
    one_line_failure(
        &sb.run(&["--db", "other.db", "methods"]),
        &["other.db", "not a spridning database"],
    );
    assert_eq!(std::fs::read(sb.path("other.db")).unwrap(), before);
}

// --- listings --------------------------------------------------------------------------

#[test]
fn methods_are_listed_as_table_csv_and_json() {
    let sb = Sandbox::sample();
    let expected = len(&sample_json()["methods"]);
    assert!(expected >= 20);

    let json = sb.json(&["methods", "--format", "json"]);
    assert_eq!(len(&json), expected);
    let asi = json
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["short_name"] == "ASI")
        .expect("ASI");
    assert_eq!(asi["name"], "Addiction Severity Index");
    assert_eq!(asi["kind"], "instrument");
    assert!(asi.get("id").is_none() && asi.get("version").is_none());

    let (header, rows) = csv_rows(&sb.ok(&["methods", "--format", "csv"]));
    assert_eq!(header, ["short_name", "name", "kind", "area"]);
    assert_eq!(rows.len(), expected);
    assert!(
        rows.iter()
            .any(|r| r[0] == "ASI" && r[1] == "Addiction Severity Index")
    );

    let table = sb.ok(&["methods"]);
    assert_eq!(table.lines().count(), expected + 1);
    assert!(table.lines().next().unwrap().starts_with("short_name"));
    assert_eq!(table, sb.ok(&["methods", "--format", "table"]));
    // Swedish order: names starting with Ö come last, after Å and Ä.
    let names: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    let first_o = names
        .iter()
        .position(|n| n.starts_with('Ö'))
        .expect("a method starting with Ö");
    assert!(
        names[first_o..].iter().all(|n| n.starts_with('Ö')),
        "{names:?}"
    );
}

#[test]
fn units_are_listed_as_table_csv_and_json() {
    let sb = Sandbox::sample();
    let fresh = Sandbox::init();
    let builtin = fresh.json(&["units", "--format", "json"]);
    let builtin_codes: Vec<&str> = builtin
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    let sample = sample_json();
    let extra = sample["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| !builtin_codes.contains(&u["code"].as_str().unwrap()))
        .count();
    let expected = builtin_codes.len() + extra;

    let json = sb.json(&["units", "--format", "json"]);
    assert_eq!(len(&json), expected);
    let va = json
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "VA")
        .expect("VA");
    assert_eq!(va["name"], "Vantör");
    assert_eq!(va["valid_to"], "2006-12-31");
    assert_eq!(va["successor"], "EAV");

    let (header, rows) = csv_rows(&sb.ok(&["units", "--format", "csv"]));
    assert_eq!(
        header,
        [
            "code",
            "name",
            "kind",
            "region",
            "valid_from",
            "valid_to",
            "successor"
        ]
    );
    assert_eq!(rows.len(), expected);
    let hae = rows.iter().find(|r| r[0] == "HAE").expect("HAE");
    assert_eq!(
        hae[1..],
        [
            "Hägersten-Älvsjö",
            "district",
            "söderort",
            "2020-07-01",
            "",
            ""
        ]
    );

    let table = sb.ok(&["units"]);
    assert_eq!(table.lines().count(), expected + 1);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("EAV ") && l.contains("Enskede-Årsta-Vantör"))
    );
}

#[test]
fn history_is_listed_as_table_csv_and_json_and_filtered() {
    let sb = Sandbox::sample();
    let sample = sample_json();
    let expected = len(&sample["events"]);

    let json = sb.json(&["history", "--format", "json"]);
    assert_eq!(len(&json), expected);
    let dates: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "history is in the order events took effect");

    let (header, rows) = csv_rows(&sb.ok(&["history", "--format", "csv"]));
    assert_eq!(
        header,
        [
            "id",
            "date",
            "method",
            "unit",
            "stage",
            "note",
            "source",
            "recorded_by",
            "recorded_at",
            "retracted",
            "kind"
        ]
    );
    assert_eq!(rows.len(), expected);
    assert!(rows.iter().all(|r| r[10] == "event"));
    let table = sb.ok(&["history"]);
    assert_eq!(table.lines().count(), expected + 1);

    // Filters by method and unit match the sample's own events.
    let by_method = |m: &str| {
        sample["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["method"] == m)
            .count()
    };
    let fd = sb.json(&["history", "--method", "fördjupningen", "--format", "json"]);
    assert_eq!(len(&fd), by_method("Fördjupningen"));
    assert!(len(&fd) > 0);
    let by_unit = sample["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["unit"] == "VA")
        .count();
    let va = sb.json(&["history", "--unit", "vantör", "--format", "json"]);
    assert_eq!(len(&va), by_unit);
    one_line_failure(
        &sb.spr(&["history", "--method", "Ingen sådan"]),
        &["'Ingen sådan'"],
    );
}

// --- matrix ----------------------------------------------------------------------------

/// `matrix --format csv` is written row by row as it is read; with `--last-heard` it is
/// made as a whole table, as the other formats are. Apart from the days `--last-heard` adds,
/// the two are the same cells, own and rolled up, today and a day back, for Excel too.
#[test]
fn matrix_csv_streamed_is_the_table_without_its_days() {
    let sb = Sandbox::sample();
    let without_days = |text: &str| {
        text.lines()
            .map(|line| {
                line.split([',', ';'])
                    .map(|cell| match cell.rsplit_once(' ') {
                        Some((stage, day)) if day.len() == 10 && day.as_bytes()[4] == b'-' => {
                            stage.to_string()
                        }
                        _ => cell.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect::<Vec<_>>()
    };
    for flags in [
        &[][..],
        &["--roll-up"],
        &["--as-of", "2005-12-31"],
        &["--roll-up", "--as-of", "2010-01-01"],
    ] {
        for excel in [false, true] {
            let run = |more: &[&str]| {
                let mut args: Vec<&str> = if excel { vec!["--excel"] } else { vec![] };
                args.extend(["matrix", "--format", "csv"]);
                args.extend(flags);
                args.extend(more);
                sb.ok(&args)
            };
            let streamed = run(&[]);
            let table = run(&["--last-heard"]);
            assert!(streamed.lines().count() > 50, "{streamed}");
            assert_ne!(streamed, table, "{flags:?}: --last-heard adds days");
            assert_eq!(
                without_days(&streamed),
                without_days(&table),
                "{flags:?} excel {excel}"
            );
        }
    }
}

#[test]
fn matrix_csv_has_the_units_valid_today_and_stage_codes() {
    let sb = Sandbox::sample();
    let day = today();
    let units = sb.json(&["units", "--format", "json"]);
    let valid_today: Vec<&str> = units
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| {
            let date = |k: &str| {
                u[k].as_str()
                    .map(|s| s.parse::<chrono::NaiveDate>().unwrap())
            };
            date("valid_from").is_none_or(|f| f <= day) && date("valid_to").is_none_or(|t| day <= t)
        })
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    let (header, rows) = csv_rows(&sb.ok(&["matrix", "--format", "csv"]));
    assert_eq!(header[0], "method");
    assert_eq!(header[1..], valid_today[..]);
    // The 11 districts since 2023-07-01.
    for code in ["HAE", "EAV", "JÄ", "NI", "SOD"] {
        assert!(
            header.iter().any(|h| h == code),
            "{code} missing: {header:?}"
        );
    }
    for code in ["VA", "RI", "HL", "AL", "RK", "ST", "NM", "OM"] {
        assert!(
            !header.iter().any(|h| h == code),
            "{code} shown today: {header:?}"
        );
    }
    assert_eq!(rows.len(), len(&sample_json()["methods"]));
    let codes = [
        "",
        "exploring",
        "preparing",
        "pilot",
        "implemented",
        "sustained",
        "paused",
        "discontinued",
    ];
    for row in &rows {
        assert_eq!(row.len(), header.len());
        assert!(
            row[1..]
                .iter()
                .all(|c| codes.contains(&c.trim_end_matches('°'))),
            "{row:?}"
        );
    }
    assert!(
        rows.iter().any(|r| r[1..].iter().any(|c| !c.is_empty())),
        "an empty matrix"
    );
}

#[test]
fn matrix_as_of_2005_shows_the_districts_of_that_time() {
    let sb = Sandbox::sample();
    let (header, rows) = csv_rows(&sb.ok(&["matrix", "--as-of", "2005-01-01", "--format", "csv"]));
    for code in ["VA", "RI", "KI", "HA", "LH", "EA", "KS", "MG", "AL"] {
        assert!(
            header.iter().any(|h| h == code),
            "{code} missing in 2005: {header:?}"
        );
    }
    for code in ["EAV", "RK", "SOD", "HL", "HAE"] {
        assert!(
            !header.iter().any(|h| h == code),
            "{code} shown in 2005: {header:?}"
        );
    }
    // Stages then are the latest events on or before the day.
    let sample = sample_json();
    let ev = sample["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["unit"] == "RI" && e["date"].as_str().unwrap() <= "2005-01-01")
        .max_by_key(|e| e["date"].as_str().unwrap().to_string())
        .expect("an event in Rinkeby before 2005");
    let method = ev["method"].as_str().unwrap();
    let methods = sb.json(&["methods", "--format", "json"]);
    let label = methods
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == method || m["short_name"] == method)
        .map(|m| {
            m["short_name"]
                .as_str()
                .unwrap_or(m["name"].as_str().unwrap())
        })
        .unwrap();
    let ri = header.iter().position(|h| h == "RI").unwrap();
    let row = rows
        .iter()
        .find(|r| r[0] == label)
        .expect("the method's row");
    assert_eq!(row[ri], ev["stage"].as_str().unwrap(), "{label} in RI");

    let before_all = csv_rows(&sb.ok(&["matrix", "--as-of", "1997-01-01", "--format", "csv"])).1;
    assert!(
        before_all
            .iter()
            .all(|r| r[1..].iter().all(String::is_empty)),
        "stages before any event"
    );
}

#[test]
fn matrix_as_table_and_markdown_has_glyphs_and_a_legend() {
    let sb = Sandbox::sample();
    let table = sb.ok(&["matrix"]);
    assert!(table.lines().next().unwrap().starts_with("method"));
    assert!(
        table.contains("● implemented") && table.contains("· none"),
        "{table}"
    );
    let md = sb.ok(&["matrix", "--format", "md"]);
    assert!(md.starts_with("| method |"), "{md}");
    assert!(md.lines().nth(1).unwrap().starts_with("|---|"));
    assert!(md.contains("◐ pilot"));
}

#[test]
fn matrix_with_a_bad_date_fails_with_one_line() {
    let sb = Sandbox::sample();
    for bad in ["2005-13-01", "2005-02-30", "igår", "2005"] {
        one_line_failure(&sb.spr(&["matrix", "--as-of", bad]), &[&format!("'{bad}'")]);
    }
    // A month is its first day, as for event dates.
    assert_eq!(
        sb.ok(&["matrix", "--as-of", "2005-01", "--format", "csv"]),
        sb.ok(&["matrix", "--as-of", "2005-01-01", "--format", "csv"])
    );
}

// --- retract ---------------------------------------------------------------------------

#[test]
fn retract_keeps_the_event_and_the_stage_falls_back() {
    let sb = Sandbox::sample();
    let adopt = |stage: &str, date: &str| {
        recorded_id(&sb.ok(&[
            "adopt", "--method", "ASI", "--unit", "FA", "--stage", stage, "--date", date,
        ]))
    };
    let first = adopt("exploring", "2020-02-01");
    let second = adopt("pilot", "2021-03-01");
    let fa_cell = || {
        let (header, rows) = csv_rows(&sb.ok(&["matrix", "--format", "csv"]));
        let fa = header.iter().position(|h| h == "FA").unwrap();
        rows.iter().find(|r| r[0] == "ASI").unwrap()[fa].clone()
    };
    assert_eq!(fa_cell(), "pilot°");

    let out = sb.ok(&["retract", &second.to_string(), "--reason", "fel datum"]);
    assert_eq!(out.trim_end(), format!("retracted event {second}"));
    assert_eq!(fa_cell(), "exploring°");
    let history = sb.json(&[
        "history", "--method", "ASI", "--unit", "FA", "--format", "json",
    ]);
    let ev = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == second)
        .expect("still in history");
    assert_eq!(ev["retracted"], true);
    assert_eq!(ev["retraction"]["reason"], "fel datum");
    assert_eq!(ev["retraction"]["by"], me().as_str());
    let kept = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == first)
        .unwrap();
    assert_eq!(kept["retracted"], false);
    let csv = sb.ok(&["history", "--format", "csv"]);
    assert!(csv.contains("retracted: fel datum"));

    let before = sb.state();
    one_line_failure(
        &sb.spr(&["retract", &second.to_string(), "--reason", "igen"]),
        &["already retracted"],
    );
    one_line_failure(&sb.spr(&["retract", "99999", "--reason", "x"]), &["99999"]);
    one_line_failure(
        &sb.spr(&["retract", &first.to_string(), "--reason", " "]),
        &["reason"],
    );
    assert!(
        sb.state() == before,
        "a failed retract changed the database"
    );
}

// --- export and import -----------------------------------------------------------------

#[test]
fn export_then_import_into_a_fresh_database_exports_the_same_bytes() {
    let a = Sandbox::init();
    let imported = a.ok(&["import", SAMPLE_JSON]);
    assert!(
        imported.contains(&format!("{} methods", len(&sample_json()["methods"]))),
        "{imported}"
    );
    let id = recorded_id(&a.ok(&[
        "adopt", "--method", "ASI", "--unit", "HAE", "--stage", "pilot", "--date", "2021-05",
    ]));
    a.ok(&["retract", &id.to_string(), "--reason", "dubblett"]);
    a.ok(&[
        "user", "add", "anna", "--role", "member", "--unit", "FA", "--unit", "SH",
    ]);
    let first = a.ok(&["export"]);
    assert_eq!(first, a.ok(&["export", "--format", "json"]));

    let b = Sandbox::init();
    b.write("export.json", &first);
    let out = b.ok(&["import", "export.json"]);
    assert!(out.starts_with("imported "), "{out}");
    let second = b.ok(&["export", "--format", "json"]);
    assert!(first == second, "export → import → export differs");
    let data: Value = serde_json::from_str(&second).unwrap();
    assert_eq!(len(&data["events"]), len(&sample_json()["events"]) + 1);
    assert_eq!(
        data["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["retracted"] == true)
            .count(),
        1
    );
}

#[test]
fn the_sample_survives_export_and_import_apart_from_the_new_coordinator() {
    let sb = Sandbox::sample();
    let exported = sb.ok(&["export", "--out", "sample-export.json"]);
    assert!(exported.is_empty());
    let fresh = Sandbox::init();
    std::fs::copy(sb.path("sample-export.json"), fresh.path("in.json")).unwrap();
    fresh.ok(&["import", "in.json"]);
    let mut first: Value =
        serde_json::from_str(&std::fs::read_to_string(sb.path("sample-export.json")).unwrap())
            .unwrap();
    let mut second = fresh.json(&["export"]);
    assert_eq!(first["users"], serde_json::json!([]));
    let registered = &second["users"][0];
    assert_eq!(len(&second["users"]), 1);
    assert_eq!(registered["login"], me());
    assert_eq!(registered["role"], "coordinator");
    assert_eq!(registered["created_by"], me());
    // Everything else, the change log and the lineage among it, made the trip whole.
    assert!(len(&second["changes"]) > len(&second["events"]));
    assert!(len(&second["lineage"]) > 0);
    first["users"].take();
    second["users"].take();
    assert!(
        first == second,
        "the sample changed on its way through export and import"
    );
}

#[test]
fn export_writes_csv_and_markdown_and_to_a_file() {
    let sb = Sandbox::sample();
    let events = len(&sample_json()["events"]);
    let (header, rows) = csv_rows(&sb.ok(&["export", "--format", "csv"]));
    assert_eq!(header[..3], ["id", "date", "method"]);
    assert_eq!(rows.len(), events);

    let md = sb.ok(&["export", "--format", "md"]);
    assert!(md.starts_with("# spridning\n"), "{md}");
    assert!(md.contains("## Matrix") && md.contains("## History"));
    assert!(md.contains("| date | method | unit | stage |"));
    assert!(
        md.lines()
            .filter(|l| l.starts_with("| 20") || l.starts_with("| 19"))
            .count()
            >= events
    );

    let json = sb.ok(&["export", "--format", "json"]);
    for (format, name) in [("json", "out.json"), ("csv", "out.csv"), ("md", "out.md")] {
        let stdout = sb.ok(&["export", "--format", format, "--out", name]);
        assert!(stdout.is_empty(), "{stdout}");
        let written = std::fs::read_to_string(sb.path(name)).unwrap();
        assert_eq!(written, sb.ok(&["export", "--format", format]), "{format}");
    }
    assert_eq!(std::fs::read_to_string(sb.path("out.json")).unwrap(), json);
    let leftovers: Vec<_> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A directory that does not exist is one line, not a panic.
    one_line_failure(
        &sb.spr(&["export", "--out", "finns/inte/ut.json"]),
        &["finns/inte/ut"],
    );
}

#[test]
fn import_of_broken_json_names_the_line_and_changes_nothing() {
    let sb = Sandbox::init();
    let before = sb.state();
    sb.write(
        "broken.json",
        "{\n  \"spridning\": 1,\n  \"units\": [\n    oops\n  ]\n}\n",
    );
    one_line_failure(
        &sb.spr(&["import", "broken.json"]),
        &["broken.json", "line 4"],
    );
    sb.write("unknown-field.json", "{\"spridning\": 1,\n\"metoder\": []}");
    one_line_failure(
        &sb.spr(&["import", "unknown-field.json"]),
        &["metoder", "line 2"],
    );
    one_line_failure(&sb.spr(&["import", "saknas.json"]), &["saknas.json"]);
    assert!(sb.state() == before, "a failed import changed the database");
}

#[test]
fn import_of_a_bad_record_names_it_and_changes_nothing() {
    let sb = Sandbox::init();
    let before = sb.state();
    let mut data = sample_json();
    let n = len(&data["events"]);
    let middle = n / 2;
    data["events"][middle]["stage"] = "flying".into();
    sb.write("bad.json", &serde_json::to_string_pretty(&data).unwrap());
    one_line_failure(
        &sb.spr(&["import", "bad.json"]),
        &[&format!("events[{middle}]"), "'flying'"],
    );
    assert!(sb.state() == before, "a failed import changed the database");

    let mut data = sample_json();
    data["events"][n - 1]["unit"] = "VA".into();
    data["events"][n - 1]["date"] = "2015-01-01".into();
    sb.write("late.json", &serde_json::to_string_pretty(&data).unwrap());
    one_line_failure(
        &sb.spr(&["import", "late.json"]),
        &[&format!("events[{}]", n - 1), "EAV"],
    );
    assert!(sb.state() == before, "a failed import changed the database");
    assert_eq!(len(&sb.json(&["methods", "--format", "json"])), 0);
}

#[test]
fn import_refuses_a_database_that_already_holds_data() {
    let sb = Sandbox::sample();
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["import", SAMPLE_JSON]),
        &["already holds", "init"],
    );
    assert!(sb.state() == before);
}

// --- users -----------------------------------------------------------------------------

#[test]
fn users_are_added_listed_changed_and_removed() {
    let sb = Sandbox::init();
    assert_eq!(
        sb.ok(&[
            "user", "add", "anna", "--role", "member", "--unit", "fa", "--unit", "SH"
        ])
        .trim_end(),
        "anna is member of Farsta (FA), Skärholmen (SH)"
    );
    sb.ok(&["user", "add", "bo", "--role", "viewer"]);
    let list = sb.ok(&["user", "list"]);
    let rows: Vec<Vec<&str>> = list
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0], ["login", "role", "units"]);
    assert!(rows.contains(&vec!["anna", "member", "FA,SH"]), "{list}");
    assert!(rows.contains(&vec!["bo", "viewer"]), "{list}");
    assert!(rows.contains(&vec![me().as_str(), "coordinator"]), "{list}");
    assert_eq!(rows.len(), 4);

    sb.ok(&["user", "add", "bo", "--role", "coordinator"]);
    assert!(
        sb.ok(&["user", "list"])
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["bo", "coordinator"])
    );

    let before = sb.state();
    // An unknown role is a usage error: clap's message and exit 2.
    let out = sb.spr(&["user", "add", "cecilia", "--role", "admin"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("'admin'") && stderr.contains("coordinator, member, viewer"),
        "{stderr}"
    );
    one_line_failure(
        &sb.spr(&["user", "add", "cecilia", "--role", "member", "--unit", "XX"]),
        &["'XX'"],
    );
    one_line_failure(
        &sb.spr(&["user", "add", " \u{202e} ", "--role", "member"]),
        &["login"],
    );
    one_line_failure(&sb.spr(&["user", "remove", "okänd"]), &["'okänd'"]);
    assert!(
        sb.state() == before,
        "a failed user command changed the database"
    );

    assert_eq!(
        sb.ok(&["user", "remove", "anna"]).trim_end(),
        "removed anna"
    );
    let list = sb.ok(&["user", "list"]);
    assert!(!list.lines().any(|l| l.starts_with("anna")), "{list}");
    assert_eq!(list.lines().count(), 3);
}

// --- text that could take over a terminal ------------------------------------------------

fn assert_clean(what: &str, text: &str) {
    for c in FORBIDDEN {
        assert!(!text.contains(c), "{what} contains {c:?}: {text:?}");
    }
    // JSON would spell ESC and BEL as escapes: they must not be there in that form either.
    for escaped in ["\\u001b", "\\u0007", "\\u009b", "\\u202e"] {
        assert!(
            !text.to_lowercase().contains(escaped),
            "{what} contains {escaped}"
        );
    }
}

#[test]
fn escape_codes_never_reach_the_output() {
    let sb = Sandbox::sample();
    let note = format!("Anteckning {NASTY} slut");
    let out = sb.ok(&[
        "adopt",
        "--method",
        "ASI",
        "--unit",
        "FA",
        "--stage",
        "pilot",
        "--date",
        "2020-01-01",
        "--note",
        &note,
        "--source",
        &format!("källa {NASTY}"),
    ]);
    assert_clean("adopt", &out);
    let id = recorded_id(&out);
    sb.ok(&[
        "retract",
        &id.to_string(),
        "--reason",
        &format!("skäl {NASTY}"),
    ]);
    sb.ok(&[
        "adopt",
        "--method",
        "ASI",
        "--unit",
        "SH",
        "--stage",
        "pilot",
        "--date",
        "2020-01-01",
        "--note",
        &note,
    ]);

    // Text written into the file by something other than spridning is cleaned on the way out.
    {
        let conn = rusqlite::Connection::open(sb.db()).unwrap();
        conn.execute(
            "UPDATE method SET name = ?1, short_name = ?2, description = ?1 WHERE short_name = 'OPERA'",
            [format!("OPERA {NASTY}"), "OP\x1b[31m\u{202e}".to_string()],
        )
        .unwrap();
        conn.execute(
            "UPDATE unit SET name = ?1 WHERE code = 'SH'",
            [format!("Skärholmen {NASTY}")],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO user (login, role, created_at, created_by) VALUES (?1, 'viewer', 'x', 'x')",
            [format!("mallory{NASTY}")],
        )
        .unwrap();
        let adoption: i64 = conn
            .query_row(
                "SELECT a.id FROM adoption a JOIN unit u ON u.id = a.unit_id WHERE u.code = 'SH' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        conn.execute(
            "INSERT INTO stage_event (adoption_id, stage, effective, note, source, recorded_at, recorded_by)
             VALUES (?1, 'paused', '2021-01-01', ?2, ?2, '2026-01-01T00:00:00Z', ?2)",
            rusqlite::params![adoption, format!("rått {NASTY}")],
        )
        .unwrap();
        // The codes are really in the file: only the output side stands between them and a
        // terminal.
        let name: String = conn
            .query_row(
                "SELECT name FROM method WHERE name LIKE 'OPERA %'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(name.contains('\x1b') && name.contains('\u{202e}'));
    }

    let outputs: &[&[&str]] = &[
        &["history"],
        &["history", "--format", "csv"],
        &["history", "--format", "json"],
        &["export", "--format", "json"],
        &["export", "--format", "csv"],
        &["export", "--format", "md"],
        &["matrix"],
        &["matrix", "--format", "csv"],
        &["matrix", "--format", "md"],
        &["matrix", "--as-of", "2021-06-01"],
        &["methods"],
        &["methods", "--format", "csv"],
        &["methods", "--format", "json"],
        &["units"],
        &["units", "--format", "csv"],
        &["units", "--format", "json"],
        &["user", "list"],
    ];
    for args in outputs {
        let text = sb.ok(args);
        assert_clean(&args.join(" "), &text);
    }
    // The text itself is still there, only without the codes.
    let history = sb.ok(&["history", "--format", "json"]);
    assert!(
        history.contains("Anteckning ]0;pwned [2J   slut"),
        "{history}"
    );
    assert!(history.contains("rått"));
    assert!(sb.ok(&["user", "list"]).contains("mallory"));
    // And error messages that repeat typed input are cleaned too.
    let out = sb.spr(&[
        "adopt",
        "--method",
        &format!("ASI{NASTY}"),
        "--unit",
        "FA",
        "--stage",
        "pilot",
    ]);
    let line = one_line_failure(&out, &["unknown method"]);
    assert_clean("stderr", &line);
    let out = sb.spr(&[
        "adopt",
        "--method",
        "ASI",
        "--unit",
        "FA",
        "--stage",
        &format!("pilot\n{NASTY}"),
    ]);
    let line = one_line_failure(&out, &["unknown stage"]);
    assert_clean("stderr", &line);
}

#[test]
fn excel_csv_has_semicolons_crlf_and_a_byte_order_mark() {
    let sb = Sandbox::sample();
    let plain = sb.ok(&["matrix", "--format", "csv"]);
    let excel = sb.ok(&["matrix", "--format", "csv", "--excel"]);
    let body = excel.strip_prefix('\u{feff}').expect("starts with a BOM");
    let first = body.split("\r\n").next().unwrap();
    assert_eq!(first, plain.lines().next().unwrap().replace(',', ";"));
    assert_eq!(body.matches("\r\n").count(), plain.lines().count());
    let history = sb.ok(&["history", "--format", "csv", "--excel"]);
    assert!(history.starts_with("\u{feff}id;date;method;unit;stage;"));
    let export = sb.ok(&["export", "--format", "csv", "--excel"]);
    assert_eq!(export, history, "the CSV export is the whole history");
}

// --- roles ---------------------------------------------------------------------------------

#[test]
fn roles_decide_who_may_write_and_refusals_change_nothing() {
    let sb = Sandbox::sample();
    sb.ok(&["user", "add", "maja", "--role", "member", "--unit", "FA"]);
    sb.ok(&["user", "add", "vera", "--role", "viewer"]);
    let adopt = |login: &str, unit: &str| {
        sb.spr(&[
            "--as",
            login,
            "adopt",
            "--method",
            "ASI",
            "--unit",
            unit,
            "--stage",
            "pilot",
            "--date",
            "2020-02-01",
        ])
    };
    // A member records for their own unit …
    assert!(adopt("maja", "FA").status.success());
    let before = sb.state();
    // … but not for another one.
    one_line_failure(
        &adopt("maja", "KH"),
        &["maja", "cannot record a stage for KH"],
    );
    // A viewer and an unregistered login write nothing, and are told why.
    one_line_failure(&adopt("vera", "FA"), &["vera is a viewer"]);
    one_line_failure(
        &adopt("ulla", "FA"),
        &["ulla is not registered", "spridning user add ulla"],
    );
    // Only coordinators manage users, retract others' units, or import.
    one_line_failure(
        &sb.spr(&[
            "--as",
            "maja",
            "user",
            "add",
            "maja",
            "--role",
            "coordinator",
        ]),
        &["maja is a member"],
    );
    one_line_failure(
        &sb.spr(&["--as", "vera", "retract", "1", "--reason", "x"]),
        &["vera is a viewer"],
    );
    assert!(sb.state() == before, "a refused write changed the database");
    // Everyone may read.
    for login in ["maja", "vera", "ulla"] {
        assert!(
            sb.spr(&["--as", login, "history", "--format", "json"])
                .status
                .success()
        );
    }
}

#[test]
fn init_registers_the_creator_as_coordinator() {
    let sb = Sandbox::init();
    let users = sb.ok(&["user", "list"]);
    let me = spridning::identity::os_login();
    assert!(
        users
            .lines()
            .any(|l| l.starts_with(&me) && l.contains("coordinator")),
        "{users}"
    );
}

#[test]
fn as_is_refused_for_anyone_but_the_owner_of_the_database_file() {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let sb = Sandbox::sample();
    let db = if root {
        // Hand the file to another account; root may still read and write it.
        let path = sb.db();
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::chown(c.as_ptr(), 54321, 54321) }, 0);
        path
    } else {
        // A file this account does not own.
        PathBuf::from("/etc/passwd")
    };
    let out = sb
        .command()
        .arg("--db")
        .arg(&db)
        .args(["--as", "alice", "methods"])
        .output()
        .unwrap();
    one_line_failure(&out, &["--as is only for the account that owns"]);
}

#[test]
fn a_database_in_a_folder_you_cannot_write_says_why_it_cannot_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::sample();
    let dir = sb.db().parent().unwrap().to_path_buf();
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let out = if root {
        // root may write anywhere, so run as `nobody`, who may read but not write the folder.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(sb.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
        // A copy of the binary where `nobody` can reach it, wherever the project is checked out.
        let bin = dir.join("spridning");
        std::fs::copy(common::BIN, &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::process::Command::new("runuser")
            .args(["-u", "nobody", "--"])
            .arg(&bin)
            .arg("--db")
            .arg(sb.db())
            .arg("methods")
            .output()
            .expect("runuser (util-linux)")
    } else {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let out = sb.spr(&["methods"]);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        out
    };
    one_line_failure(
        &out,
        &[
            "cannot read",
            "is not writable for you",
            "Running on a shared server",
        ],
    );
}

#[test]
fn title_is_shown_set_cleaned_and_reset_and_refused_to_a_viewer() {
    let sb = Sandbox::sample();
    assert_eq!(sb.ok(&["title"]).trim(), "Metodspridning i Stockholms stad");
    let set = sb.ok(&["title", "Metoder i \x1b[31mSöderort\x1b[0m 2027"]);
    // The escape character goes; what was typed after it stays, as plain text.
    assert_eq!(set.trim(), "Metoder i [31mSöderort[0m 2027");
    assert!(
        !set.contains('\x1b'),
        "escape codes are not stored or printed: {set:?}"
    );
    assert_eq!(sb.ok(&["title"]).trim(), set.trim());
    let before = sb.state();
    one_line_failure(&sb.spr(&["title", &"x".repeat(500)]), &["title", "long"]);
    assert!(sb.state() == before, "a refused title changed nothing");
    sb.ok(&["user", "add", "bo", "--role", "viewer"]);
    one_line_failure(
        &sb.spr(&["--as", "bo", "title", "Mitt"]),
        &["bo", "viewer", "title"],
    );
    assert_eq!(
        sb.ok(&["title", ""]).trim(),
        "Metodspridning i Stockholms stad"
    );
    assert_eq!(sb.ok(&["title"]).trim(), "Metodspridning i Stockholms stad");
    sb.check_ok();
}

#[test]
fn show_and_activity_answer_the_detail_views_and_activity_in_plain_text() {
    let sb = Sandbox::sample();
    let method = sb.ok(&["--lang", "en", "show", "method", "asi"]);
    assert!(
        method.starts_with("ASI – Addiction Severity Index\n"),
        "{method}"
    );
    assert!(
        method.contains("Kista (KI): Pilot since 2004-01, until 2006-12-31 (then RK)."),
        "{method}"
    );
    assert!(
        method.contains("2003: 1 pilot or beyond, 0 implemented or beyond."),
        "{method}"
    );
    assert!(method.contains("History: 3 events"), "{method}");
    // A method in use on a stale word: the headline says how many of those uses are stale.
    let physicians = |day: &str| {
        sb.ok(&[
            "--lang",
            "en",
            "show",
            "method",
            "Konsultläkare (förtroendeläkare/socialläkare)",
            "--as-of",
            day,
        ])
    };
    let fresh = physicians("2005-06-30");
    assert!(
        fresh.contains("As of 2005-06-30: in ordinary use in 1 of 18 districts.\n"),
        "{fresh}"
    );
    let stale = physicians("2010-01-01");
    assert!(
        stale.contains("in ordinary use in 1 of 14 districts (1 not heard from in 24 months).\n"),
        "{stale}"
    );
    let unit = sb.ok(&[
        "--lang",
        "en",
        "show",
        "unit",
        "Kista",
        "--as-of",
        "2005-01-01",
    ]);
    assert!(
        unit.starts_with("Kista (KI): District, västerort, valid 1999-01-01–2006-12-31.\n"),
        "{unit}"
    );
    assert!(
        unit.contains(
            "Addiction Severity Index (ASI): Pilot since 2004-01, last heard 2004-01, 12 months ago."
        ),
        "{unit}"
    );
    // A stage not heard from in the fresh months says so, in words.
    assert!(
        unit.contains(
            "Stockholms matchning: Pilot since 2002-01, last heard 2002-01, 3 years ago — not heard from in 24 months."
        ),
        "{unit}"
    );
    assert!(!unit.contains('\u{1b}'));
    // In Swedish too, from --lang.
    let sv = sb.ok(&["--lang", "sv", "show", "unit", "FA"]);
    assert!(sv.contains("Läget") && sv.contains("sedan"), "{sv}");
    // Bad input: one line, with the nearest names.
    one_line_failure(
        &sb.spr(&["show", "method", "ASJ"]),
        &["unknown method 'ASJ'", "ASI"],
    );
    one_line_failure(
        &sb.spr(&["show", "unit", "Frasta"]),
        &["unknown unit 'Frasta'", "FA"],
    );
    one_line_failure(
        &sb.spr(&["show", "unit", "FA", "--as-of", "2099-01-01"]),
        &["2099-01-01"],
    );
    // Activity: newest first, with the filter's terms; a retraction says why.
    sb.ok(&["retract", "1", "--reason", "fel enhet"]);
    let rows = sb.ok(&[
        "--lang", "en", "activity", "--limit", "2", "--format", "csv",
    ]);
    let lines: Vec<&str> = rows.lines().collect();
    assert_eq!(lines[0], "id,at,by,change,method,unit,what");
    assert_eq!(lines.len(), 3, "{rows}");
    assert!(
        lines[1].contains("retracted") && lines[1].contains("fel enhet"),
        "{rows}"
    );
    let none = sb.ok(&["activity", "--filter", "by:nobody", "--format", "json"]);
    assert_eq!(none.trim(), "[]");
    one_line_failure(
        &sb.spr(&["activity", "--filter", "since:2025-13"]),
        &["2025-13"],
    );
}

#[test]
fn the_markdown_export_is_in_one_language_from_lang() {
    let sb = Sandbox::sample();
    let en = sb.ok(&["--lang", "en", "export", "--format", "md"]);
    assert!(
        en.contains("## Matrix") && en.contains("## History"),
        "{en}"
    );
    assert!(en.contains("| date | method | unit | stage |"));
    assert!(en.contains("Implemented") && en.contains("· none"));
    for sv in [
        "Ordinarie verksamhet",
        "## Matris",
        "## Historik",
        "Utforskar",
    ] {
        assert!(!en.contains(sv), "{sv} in the English report");
    }
    let sv = sb.ok(&["--lang", "sv", "export", "--format", "md"]);
    assert!(
        sv.contains("## Matris") && sv.contains("## Historik"),
        "{sv}"
    );
    assert!(sv.contains("| datum | metod | enhet | steg |"));
    assert!(sv.contains("Ordinarie verksamhet") && sv.contains("· inget steg"));
    for en in ["## Matrix", "## History", "Implemented", "| date |"] {
        assert!(!sv.contains(en), "{en} in the Swedish report");
    }
}

/// What a newcomer types wrong or wants to hear: a mistyped command gets the nearest one, a
/// report says what it wrote (a web page for a file ending in .html), `--excel` where it does
/// nothing is refused, and a member refused for another unit hears which units are theirs.
#[test]
fn the_command_line_answers_a_newcomer() {
    let sb = Sandbox::sample();
    for (typed, meant) in [
        ("metrcs", "metrics"),
        ("hist", "history"),
        ("reprot", "report"),
    ] {
        let out = sb.spr(&[typed]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("did you mean '{meant}'?")),
            "{typed}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let out = sb.spr(&["report", "--out", "r.html"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("wrote the web page report") && said.contains("r.html"),
        "{said}"
    );
    let page = std::fs::read_to_string(sb.path("r.html")).unwrap();
    assert!(
        page.starts_with("<!DOCTYPE html>"),
        "a web page, not a workbook"
    );
    let out = sb.spr(&["report", "--out", "r.xlsx"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote the workbook report"));
    assert_eq!(&std::fs::read(sb.path("r.xlsx")).unwrap()[..2], b"PK");
    let before = sb.state();
    let out = sb.spr(&["--excel", "user", "add", "x", "--role", "viewer"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--excel acts only where CSV is written")
    );
    assert_eq!(sb.state(), before, "nothing was written");
    // --excel is offered where CSV is written; global options under their own heading.
    let help = |args: &[&str]| String::from_utf8_lossy(&sb.run(args).stdout).to_string();
    assert!(help(&["history", "--help"]).contains("with --excel, CSV for"));
    assert!(!help(&["user", "add", "--help"]).contains("excel"));
    assert!(!help(&["adopt", "--help"]).contains("excel"));
    let top = help(&["--help"]);
    assert!(top.contains("Global options (for every command):") && !top.contains("--excel"));
    assert!(top.contains("of `report`"), "--lang says where it applies");
    sb.ok(&["user", "add", "maja", "--role", "member", "--unit", "FA"]);
    let out = sb.spr(&[
        "--as", "maja", "adopt", "--method", "ASI", "--unit", "KH", "--stage", "pilot",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("maja records for FA"), "{err}");
}

/// SSH keys from the command line: added with the person or later, listed with their
/// fingerprint, refused when broken or someone else's (nothing written), removed by
/// fingerprint; `authorized-keys` prints sshd's line for a registered key and nothing else
/// on standard output, and a removed key gets nothing.
#[test]
fn keys_are_added_listed_removed_and_told_to_sshd() {
    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGT4xpNGUaSCf1tA1Hs61sbt9Q8MaHRRaeYPuV0JUmJ bertil@laptop";
    const OTHER: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMj2iUBji/9MgaFGTN/UokN+BY2GBZpl/ORBK+0GCQIv key1";
    const FINGERPRINT: &str = "SHA256:ulF3KGdrbWQ9/rrLWSxWIStQ7aTphbCwJhYY15sQ05k";
    let sb = Sandbox::init();
    let said = sb.ok(&[
        "user", "add", "bertil", "--role", "member", "--unit", "FA", "--key", KEY,
    ]);
    assert_eq!(
        said.trim_end(),
        format!("bertil is member of Farsta (FA), with the key {FINGERPRINT}")
    );
    sb.ok(&["user", "add", "cia", "--role", "viewer"]);
    let before = sb.state();
    for (args, needle) in [
        (
            vec!["user", "key", "add", "cia", KEY],
            "is already bertil's; a key belongs to one person",
        ),
        (
            vec!["user", "key", "add", "cia", "ssh-ed25519 AAAA"],
            "is not a ssh-ed25519 key",
        ),
        (
            vec![
                "user",
                "key",
                "add",
                "cia",
                "command=\"sh\" ssh-ed25519 AAAA",
            ],
            "is not a key type sshd accepts",
        ),
        (
            vec!["user", "key", "add", "nobody", OTHER],
            "unknown user 'nobody'",
        ),
        (
            vec!["user", "key", "remove", "cia", FINGERPRINT],
            "cia has no key",
        ),
        // A new person with a broken key: not registered either.
        (
            vec![
                "user",
                "add",
                "dan",
                "--role",
                "viewer",
                "--key",
                "ssh-rsa x",
            ],
            "is not a ssh-rsa key",
        ),
    ] {
        one_line_failure(&sb.spr(&args), &[needle]);
        assert_eq!(sb.state(), before, "{args:?} changed nothing");
    }
    sb.ok(&["user", "key", "add", "cia", OTHER]);
    let list = sb.ok(&["user", "key", "list"]);
    assert!(
        list.contains("bertil") && list.contains(FINGERPRINT),
        "{list}"
    );
    assert!(list.contains("cia") && list.contains("key1"), "{list}");
    assert!(!sb.ok(&["user", "key", "list", "cia"]).contains("bertil"));

    // sshd's question, as the database's owner (this process's account).
    let me = spridning::identity::os_login();
    let body = KEY.split(' ').nth(1).unwrap();
    let line = sb.ok(&["authorized-keys", &me, "ssh-ed25519", body]);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.starts_with("command=\""), "{line}");
    assert!(
        line.contains("--as 'bertil'\",restrict,pty ssh-ed25519 "),
        "{line}"
    );
    assert!(line.trim_end().ends_with(body), "{line}");
    // Another account, an unknown key: nothing on standard output.
    let out = sb.spr(&["authorized-keys", "someone-else", "ssh-ed25519", body]);
    assert!(out.status.success() && out.stdout.is_empty());
    let other_body = OTHER.split(' ').nth(1).unwrap();
    assert!(
        sb.ok(&[
            "authorized-keys",
            &me,
            "ssh-ed25519",
            &other_body.replace('C', "D")
        ])
        .is_empty()
    );
    // A database that is not there: a fault on standard error, nothing on standard output.
    let out = sb.run(&[
        "--db",
        "nope.db",
        "authorized-keys",
        &me,
        "ssh-ed25519",
        body,
    ]);
    assert!(!out.status.success() && out.stdout.is_empty());

    // Removed by its fingerprint, the key gets nothing from then on.
    let removed = sb.ok(&["user", "key", "remove", "bertil", FINGERPRINT]);
    assert!(removed.contains(FINGERPRINT), "{removed}");
    assert!(
        sb.ok(&["authorized-keys", &me, "ssh-ed25519", body])
            .is_empty()
    );
    // A removed person's keys go with them.
    sb.ok(&["user", "remove", "cia"]);
    assert!(sb.ok(&["user", "key", "list"]).trim().lines().count() <= 1);
    assert!(
        sb.ok(&["authorized-keys", &me, "ssh-ed25519", other_body])
            .is_empty()
    );
}

/// An administrator who is not registered, on a database another account owns (a server
/// being set up), is told to run spridning as that account, not to become a member.
#[test]
#[cfg_attr(
    lacks_root,
    ignore = "giving the database to another account needs root"
)]
fn an_unregistered_admin_is_told_which_account_owns_the_register() {
    let sb = Sandbox::init();
    let me = spridning::identity::os_login();
    sb.ok(&["user", "add", "bo", "--role", "coordinator"]);
    sb.ok(&["user", "remove", &me]);
    let owner = "nobody";
    let status = std::process::Command::new("chown")
        .arg(owner)
        .arg(sb.db())
        .status()
        .unwrap();
    assert!(status.success());
    let out = sb.spr(&["user", "add", "bertil", "--role", "member", "--unit", "FA"]);
    let said = one_line_failure(
        &out,
        &[&format!(
            "run spridning as {owner}, the account that owns it"
        )],
    );
    assert!(!said.contains("--role member --unit CODE"), "{said}");
    assert!(
        said.contains(&format!("runuser -u {owner} -- spridning --db ")),
        "{said}"
    );
}

/// root creating the register in a folder a service account owns (the package's
/// /var/lib/spridning) is refused and told to run `init` as that account: otherwise root
/// would own a file the account cannot write and sshd's key command would not answer for.
#[test]
#[cfg_attr(lacks_root, ignore = "giving a folder to another account needs root")]
fn root_is_told_to_create_the_register_as_the_account_owning_its_folder() {
    let sb = Sandbox::bare();
    let folder = sb.path("service-home");
    std::fs::create_dir(&folder).unwrap();
    let status = std::process::Command::new("chown")
        .arg("nobody")
        .arg(&folder)
        .status()
        .unwrap();
    assert!(status.success());
    let out = sb.run(&["init", "service-home/register.db"]);
    one_line_failure(
        &out,
        &[
            "belongs to nobody",
            "runuser -u nobody -- spridning init service-home/register.db",
        ],
    );
    assert!(!folder.join("register.db").exists());
    // In a folder of root's own, init goes ahead.
    let out = sb.run(&["init", "mine.db"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
