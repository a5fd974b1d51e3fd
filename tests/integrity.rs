//! Issue 18's integrity cases, each a named test: every write checks its rules inside the
//! transaction that writes (writers racing a reorganisation never store an event after a
//! unit's close), the lineage never closes a circle or names a successor that did not exist,
//! a unit is never named twice, and `check` finds what another tool may have stored.

mod common;

use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use spridning::domain::{NewEvent, Stage};
use spridning::store::{MethodInput, Reorganisation, Store};

use common::{BIN, Sandbox, one_line_failure};

/// `init` plus one method, ASI.
fn init_with_asi() -> Sandbox {
    let sb = Sandbox::init();
    let file = serde_json::json!({"spridning": 1, "methods": [
        {"name": "ASI", "kind": "instrument"}]});
    sb.write("m.json", &file.to_string());
    sb.ok(&["import", "m.json"]);
    sb
}

/// Six writers record FA events dated April to September 2024 while a reorganisation
/// closes FA on 2024-05-31. Whatever order they land in, no event after the close is
/// stored: either the reorganisation comes first and the late events are refused, or an
/// event comes first and the reorganisation is refused. Repeated, so an unlucky order
/// would show.
#[test]
fn writers_racing_a_reorganisation_never_store_events_after_the_close_threads() {
    for round in 0..30 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("race.db");
        let mut store = Store::create(&path, "tester", Some("tester")).unwrap();
        let method = store
            .add_method(&MethodInput {
                name: "ASI".into(),
                kind: "instrument".into(),
                ..Default::default()
            })
            .unwrap();
        let fa = store.find_unit("FA").unwrap().0;
        drop(store);
        let start = Arc::new(Barrier::new(7));
        let mut threads = Vec::new();
        for month in 4..=9 {
            let (path, start) = (path.clone(), start.clone());
            threads.push(std::thread::spawn(move || {
                let mut s = Store::open(&path, "tester").unwrap();
                s.grant_owner();
                start.wait();
                s.record_stage(&NewEvent {
                    method_id: method,
                    unit_id: fa,
                    stage: Stage::Pilot,
                    date: format!("2024-{month:02}").parse().unwrap(),
                    note: String::new(),
                    source: String::new(),
                })
                .is_ok()
            }));
        }
        let reorganised = {
            let mut s = Store::open(&path, "tester").unwrap();
            s.grant_owner();
            start.wait();
            s.reorganise(&Reorganisation {
                from: vec!["FA".into()],
                into: vec!["Ny".into()],
                codes: vec!["NY".into()],
                region: None,
                on: "2024-06-01".parse().unwrap(),
                carry: false,
            })
            .is_ok()
        };
        let stored = threads
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|ok| *ok)
            .count();
        let store = Store::open(&path, "tester").unwrap();
        let problems = store.check().unwrap();
        assert!(
            problems.is_empty(),
            "round {round}: reorganised {reorganised}, {stored} stored: {problems:?}"
        );
        if reorganised {
            // Only April and May could land.
            assert!(stored <= 2, "round {round}: {stored} events stored");
        } else {
            assert!(stored >= 3, "round {round}: refused with {stored} events");
        }
    }
}

/// The repro with real processes: six `adopt` in the background while `reorganise`
/// runs, 12 times; `check` stays sound every time.
#[test]
fn adopt_processes_racing_reorganise_leave_check_sound() {
    for round in 0..12 {
        let sb = init_with_asi();
        let mut writers = Vec::new();
        for month in 4..=9 {
            let date = format!("2024-{month:02}");
            writers.push(
                Command::new(BIN)
                    .current_dir(sb.dir.path())
                    .args(["--db", "db.db", "adopt", "--method", "ASI", "--unit", "FA"])
                    .args(["--stage", "pilot", "--date", &date])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap(),
            );
        }
        let reorganise = sb.spr(&[
            "reorganise",
            "--from",
            "FA",
            "--into",
            "Ny",
            "--code",
            "NY",
            "--on",
            "2024-06-01",
        ]);
        for mut w in writers {
            w.wait().unwrap();
        }
        let out = sb.spr(&["check"]);
        assert!(
            out.status.success(),
            "round {round} (reorganise {}): {}",
            reorganise.status,
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn a_reorganisation_that_closes_a_lineage_circle_or_names_a_dead_successor_is_refused() {
    let sb = Sandbox::init();
    sb.ok(&[
        "reorganise",
        "--from",
        "FA",
        "--into",
        "SN,BR",
        "--on",
        "2025-01-01",
    ]);
    let before = sb.state();
    // SN took over from FA on 2025-01-01: it cannot end in 2024, and FA after SN would be
    // a circle.
    let out = sb.spr(&[
        "reorganise",
        "--from",
        "SN",
        "--into",
        "FA",
        "--on",
        "2024-06-01",
    ]);
    one_line_failure(&out, &["SN", "took over from FA on 2025-01-01"]);
    // A successor that no longer exists on the day.
    let out = sb.spr(&[
        "reorganise",
        "--from",
        "SN",
        "--into",
        "FA",
        "--on",
        "2026-01-01",
    ]);
    one_line_failure(&out, &["FA", "does not exist on 2026-01-01"]);
    assert_eq!(sb.state(), before);
    sb.check_ok();
}

#[test]
fn a_unit_or_a_code_named_twice_in_a_reorganisation_is_refused() {
    let sb = Sandbox::init();
    let before = sb.state();
    let cases: [(&[&str], &str); 5] = [
        (&["--into", "SN,SN", "--carry"], "SN is named twice"),
        (&["--into", "SN,Skarpnäck"], "SN is named twice"),
        (&["--into", "Ny,Ny", "--code", "NY,NZ"], "Ny is named twice"),
        (&["--into", "Ny", "--code", "NY,NZ"], "NZ has no new unit"),
        (&["--into", "Ny,Nz", "--code", "NY,NY"], "NY is given twice"),
    ];
    for (args, needle) in cases {
        let mut all = vec!["reorganise", "--from", "FA", "--on", "2025-01-01"];
        all.extend_from_slice(args);
        one_line_failure(&sb.spr(&all), &[needle]);
    }
    one_line_failure(
        &sb.spr(&[
            "reorganise",
            "--from",
            "FA,Farsta",
            "--into",
            "SN",
            "--on",
            "2025-01-01",
        ]),
        &["FA is named twice"],
    );
    assert_eq!(sb.state(), before);
}

/// What another SQLite tool may store: a circle in the lineage, a successor that did not
/// exist on its takeover day, and a gap between a predecessor's end and its successor's
/// takeover. `check` names each.
#[test]
fn check_finds_lineage_circles_dead_successors_and_gaps() {
    let sb = Sandbox::init();
    sb.ok(&[
        "reorganise",
        "--from",
        "FA",
        "--into",
        "SN,BR",
        "--on",
        "2025-01-01",
    ]);
    sb.check_ok();
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    conn.execute_batch(
        "UPDATE unit SET valid_to = '2024-05-31' WHERE code = 'SN';
         INSERT INTO unit_lineage (predecessor_id, successor_id, effective)
         SELECT s.id, f.id, '2024-06-01' FROM unit s, unit f WHERE s.code = 'SN' AND f.code = 'FA';
         UPDATE unit_lineage SET effective = '2025-02-01'
         WHERE successor_id = (SELECT id FROM unit WHERE code = 'BR');",
    )
    .unwrap();
    drop(conn);
    let out = sb.spr(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "the lineage goes round in a circle (FA → SN → FA)",
        "unit SN: took over from FA on 2025-01-01 but existed only",
        "unit FA: ended on 2024-12-31 but BR took over from it on 2025-02-01",
    ] {
        assert!(text.contains(needle), "{needle}\n{text}");
    }
}

/// A unit's new dates may not leave its recorded events outside its time.
#[test]
fn a_unit_edit_that_would_leave_events_outside_its_time_is_refused() {
    let sb = init_with_asi();
    sb.ok(&[
        "adopt", "--method", "ASI", "--unit", "FA", "--stage", "pilot", "--date", "2024-06",
    ]);
    let mut store = Store::open(&sb.db(), "tester").unwrap();
    store.grant_owner();
    let (id, _) = store.find_unit("FA").unwrap();
    let mut unit = store.unit(id).unwrap();
    unit.valid_to = Some("2024-05-31".parse().unwrap());
    let err = format!(
        "{:#}",
        store.update_unit(id, unit.version, &unit).unwrap_err()
    );
    assert!(err.contains("ASI 2024-06"), "{err}");
    // The last day of the month keeps a month-dated event inside.
    unit.valid_to = Some("2024-06-30".parse().unwrap());
    store.update_unit(id, unit.version, &unit).unwrap();
    assert!(store.check().unwrap().is_empty());
}
