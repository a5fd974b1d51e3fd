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
                kind: spridning::domain::MethodKind::Instrument,
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
    // The same findings, said in Swedish for the terminal app (issue 19).
    let store = Store::open(&sb.db(), "tester").unwrap();
    let swedish: Vec<String> = store
        .findings()
        .unwrap()
        .iter()
        .map(|f| f.text(spridning::i18n::Lang::Sv))
        .collect();
    assert!(
        swedish
            .iter()
            .any(|f| f.contains("härstamningen går runt i en cirkel (FA → SN → FA)")),
        "{swedish:?}"
    );
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

/// Turns a database made by `init` back into what spridning wrote before schema 4: the 2020
/// reorganisation on 2020-01-01, no 2023 units, no lineage, no change log, no settings.
fn as_schema_3(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DROP TABLE user_key; DROP INDEX stage_event_by_effective; ALTER TABLE adoption DROP COLUMN first_pilot;
         ALTER TABLE adoption DROP COLUMN first_in_use; ALTER TABLE adoption DROP COLUMN lapsed;
         DROP TABLE round_answer; DROP TABLE round_method; DROP TABLE round_unit;
         DROP TABLE round; DROP TABLE confirmation_retraction; DROP TABLE confirmation;
         DROP INDEX adoption_by_heard; DROP INDEX adoption_by_method; DROP INDEX adoption_by_unit;
         DROP INDEX adoption_by_stage; DROP INDEX adoption_by_stage_heard;
         ALTER TABLE adoption DROP COLUMN heard;
         CREATE INDEX adoption_by_method ON adoption (method_id, stage, since);
         CREATE INDEX adoption_by_unit ON adoption (unit_id, stage, since);
         UPDATE unit SET valid_to = '2019-12-31' WHERE code IN ('HL', 'AL');
         UPDATE unit SET valid_from = '2020-01-01' WHERE code = 'HAE';
         UPDATE unit SET valid_to = NULL, successor_id = NULL WHERE code IN ('RK', 'ST', 'NM', 'OM');
         DELETE FROM unit WHERE code IN ('JÄ', 'NI');
         DROP TABLE unit_lineage;
         DROP TRIGGER change_event; DROP TRIGGER change_retraction;
         DROP TRIGGER change_method_added; DROP TRIGGER change_method_edited;
         DROP TRIGGER change_unit_added; DROP TRIGGER change_unit_edited;
         DROP TABLE change; DROP TABLE change_paused; DROP TABLE setting;
         DROP INDEX method_by_label; ALTER TABLE method DROP COLUMN label_key;
         DELETE FROM counter WHERE name = 'changes';
         PRAGMA user_version = 3;",
    )
    .unwrap();
}

#[test]
fn an_older_database_gets_the_2020_date_corrected_and_the_2023_units_added() {
    let day = |s: &str| Some(s.parse::<chrono::NaiveDate>().unwrap());
    let sb = init_with_asi();
    as_schema_3(&sb.db());
    let store = Store::open(&sb.db(), "tester").unwrap();
    assert!(store.upgrade_notes().is_empty());
    let unit = |code: &str| {
        store
            .units()
            .unwrap()
            .into_iter()
            .find(|u| u.code == code)
            .unwrap_or_else(|| panic!("no {code}"))
    };
    assert_eq!(unit("HL").valid_to, day("2020-06-30"));
    assert_eq!(unit("AL").valid_to, day("2020-06-30"));
    assert_eq!(unit("HAE").valid_from, day("2020-07-01"));
    for (old, new) in [("RK", "JÄ"), ("ST", "JÄ"), ("NM", "NI"), ("OM", "NI")] {
        assert_eq!(unit(old).valid_to, day("2023-06-30"), "{old}");
        assert_eq!(unit(old).successor.as_deref(), Some(new), "{old}");
        assert_eq!(unit(new).valid_from, day("2023-07-01"), "{new}");
    }
    // The lineage is filled in from the successors, and nothing else changed.
    let detail = store
        .unit_detail(
            store.find_unit("HAE").unwrap().0,
            &spridning::store::Moment::today(),
        )
        .unwrap();
    assert_eq!(detail.predecessors, ["HL", "AL"], "in Swedish name order");
    assert_eq!(store.methods().unwrap().len(), 1);
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    // A database without Stockholm's units gets no 2023 units, and no note about them.
    let other = Sandbox::init();
    as_schema_3(&other.db());
    let conn = rusqlite::Connection::open(other.db()).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF; DELETE FROM unit WHERE code IN ('RK', 'NM');")
        .unwrap();
    drop(conn);
    let store = Store::open(&other.db(), "tester").unwrap();
    assert!(store.upgrade_notes().is_empty());
    assert!(store.find_unit("JÄ").is_err());
    assert!(store.find_unit("NI").is_err());
}

fn user_version(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Ten people start the new spridning on a schema-3 database at the same moment: every one
/// opens it (one upgrades, the others wait and find it upgraded), and it is sound. Five
/// rounds, so an unlucky order would show.
#[test]
fn ten_processes_opening_an_old_database_at_once_all_get_in() {
    for round in 0..5 {
        let sb = init_with_asi();
        sb.ok(&[
            "adopt", "--method", "ASI", "--unit", "RK", "--stage", "pilot", "--date", "2010-03",
        ]);
        as_schema_3(&sb.db());
        let start = Arc::new(Barrier::new(10));
        let runs: Vec<_> = (0..10)
            .map(|_| {
                let (start, dir) = (start.clone(), sb.dir.path().to_path_buf());
                std::thread::spawn(move || {
                    start.wait();
                    Command::new(BIN)
                        .current_dir(dir)
                        .args(["--db", "db.db", "units", "--format", "csv"])
                        .output()
                        .unwrap()
                })
            })
            .collect();
        for run in runs {
            let out = run.join().unwrap();
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(String::from_utf8_lossy(&out.stdout).contains("JÄ"));
        }
        assert_eq!(user_version(&sb.db()), spridning::store::SCHEMA_VERSION);
        sb.check_ok();
    }
}

/// An upgrade that cannot add Järva (its name is taken by a district renamed by hand) says
/// so once, in words, and `check` reports what is not recorded until someone records it.
#[test]
fn an_upgrade_that_skips_a_correction_says_so_once_and_check_reports_it() {
    let sb = Sandbox::init();
    as_schema_3(&sb.db());
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    conn.execute("UPDATE unit SET name = 'Järva' WHERE code = 'BR'", [])
        .unwrap();
    drop(conn);
    let first = sb.spr(&["units", "--format", "csv"]);
    assert!(first.status.success());
    let said = String::from_utf8_lossy(&first.stderr);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.contains(
            "RK, ST into JÄ Järva) was not recorded: the code or name is already used by BR (Järva)"
        ),
        "{said}"
    );
    // Said once: the next process finds the database upgraded.
    let second = sb.spr(&["units", "--format", "csv"]);
    assert!(second.stderr.is_empty());
    let out = sb.spr(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("unit RK, ST: still open with nobody taking over")
            && text.contains("JÄ Järva"),
        "{text}"
    );
    // The other reorganisation of 2023 (Norra innerstaden) was applied.
    assert!(!text.contains("NI"), "{text}");
    // Recorded by hand, the problem is gone.
    sb.ok(&["user", "list"]);
    sb.ok(&[
        "reorganise",
        "--from",
        "RK,ST",
        "--into",
        "Järva Nya",
        "--code",
        "JÄ",
        "--on",
        "2023-07-01",
    ]);
    sb.check_ok();
}

/// A negative schema version (no spridning writes one) gets one line in words.
#[test]
fn a_negative_schema_version_is_said_in_words() {
    let sb = Sandbox::init();
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    conn.pragma_update(None, "user_version", -3).unwrap();
    drop(conn);
    let before = std::fs::read(sb.db()).unwrap();
    let line = one_line_failure(
        &sb.spr(&["units"]),
        &["schema version -3", "another program"],
    );
    assert!(!line.contains("rusqlite"), "{line}");
    assert_eq!(std::fs::read(sb.db()).unwrap(), before);
}

// --- clear answers ------------------------------------------------------------------------

#[test]
fn the_app_without_a_terminal_says_it_needs_one_and_names_the_commands() {
    let sb = Sandbox::sample();
    let out = sb
        .command()
        .args(["--db", "db.db"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let line = one_line_failure(&out, &["needs a terminal", "ssh -t", "spridning matrix"]);
    assert!(!line.contains("os error"), "{line}");
}

#[test]
fn a_database_path_that_is_a_device_or_has_a_damaged_header_is_said_in_words() {
    let sb = Sandbox::init();
    std::os::unix::fs::symlink("/dev/null", sb.path("null.db")).unwrap();
    one_line_failure(
        &sb.run(&["--db", "null.db", "units"]),
        &["null.db is not a regular file"],
    );
    // The header's schema format number (bytes 44–47) says 9: no SQLite writes that.
    let mut bytes = std::fs::read(sb.db()).unwrap();
    bytes[44..48].copy_from_slice(&9u32.to_be_bytes());
    std::fs::write(sb.path("damaged.db"), &bytes).unwrap();
    let line = one_line_failure(
        &sb.run(&["--db", "damaged.db", "units"]),
        &["damaged.db is damaged", "restore a backup"],
    );
    assert!(!line.contains("Error code"), "{line}");
}

#[test]
fn a_value_that_held_an_invisible_character_is_said_to_have_held_one() {
    let sb = Sandbox::sample();
    let line = one_line_failure(
        &sb.spr(&["matrix", "--as-of", "2005-01-01\u{200b}"]),
        &["invalid date '2005-01-01'", "invisible", "U+200B"],
    );
    assert!(!line.contains('\u{200b}'));
    one_line_failure(
        &sb.spr(&[
            "adopt",
            "--method",
            "ASI",
            "--unit",
            "FA",
            "--stage",
            "pi\u{200b}lot",
        ]),
        &["unknown stage 'pilot'", "U+200B"],
    );
}

#[test]
fn metrics_refuses_an_unknown_area_with_the_nearest() {
    let sb = Sandbox::sample();
    one_line_failure(
        &sb.spr(&["metrics", "--area", "socialmedicn"]),
        &["unknown area 'socialmedicn'", "socialmedicin"],
    );
    one_line_failure(
        &sb.spr(&["metrics", "--area", "socialmedicin", "--by", "unit"]),
        &["--by method"],
    );
    let some = sb.ok(&["metrics", "--area", "socialmedicin", "--format", "csv"]);
    let all = sb.ok(&["metrics", "--format", "csv"]);
    assert!(some.lines().count() > 1 && some.lines().count() < all.lines().count());
}

#[test]
fn a_member_needs_a_unit_and_a_viewer_or_coordinator_has_none() {
    let sb = Sandbox::init();
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["user", "add", "m", "--role", "member"]),
        &["m is to be a member", "unit"],
    );
    one_line_failure(
        &sb.spr(&["user", "add", "v", "--role", "viewer", "--unit", "FA"]),
        &["v is to be a viewer", "only to a member"],
    );
    one_line_failure(
        &sb.spr(&["user", "add", "c", "--role", "coordinator", "--unit", "FA"]),
        &["c is to be a coordinator"],
    );
    assert_eq!(sb.state(), before);
    sb.ok(&["user", "add", "m", "--role", "member", "--unit", "FA"]);
}

// --- the review's cases -------------------------------------------------------------------

/// The lineage's rules hold on every path that changes units, not only `reorganise`: a unit's
/// form cannot close a circle, name a successor that had ended, or open a gap.
#[test]
fn unit_edits_cannot_make_a_lineage_circle_a_dead_successor_or_a_gap() {
    let sb = Sandbox::init();
    sb.ok(&[
        "reorganise",
        "--from",
        "FA",
        "--into",
        "Farsta Norra,Farsta Södra",
        "--code",
        "FAN,FAS",
        "--on",
        "2025-01-01",
    ]);
    let mut store = Store::open(&sb.db(), "tester").unwrap();
    store.grant_owner();
    let before = sb.state();
    let edit = |store: &mut Store, code: &str, change: &dyn Fn(&mut spridning::domain::Unit)| {
        let id = store.find_unit(code).unwrap().0;
        let mut u = store.unit(id).unwrap();
        change(&mut u);
        store
            .update_unit(id, u.version, &u)
            .map_err(|e| format!("{e:#}"))
    };
    type Change<'a> = &'a dyn Fn(&mut spridning::domain::Unit);
    let cases: [(&str, Change, &str); 4] = [
        // FA → FAN → FA.
        ("FAN", &|u| u.successor = Some("FA".into()), "unit FAN"),
        // Vantör ended in 2006: it cannot take over Skarpnäck's work later.
        (
            "SN",
            &|u| {
                u.valid_to = Some("2024-12-31".parse().unwrap());
                u.successor = Some("VA".into())
            },
            "VA",
        ),
        // FAN starting two months after FA ended.
        (
            "FAN",
            &|u| u.valid_from = Some("2025-03-01".parse().unwrap()),
            "FAN",
        ),
        // FA without an end, though FAN and FAS took over.
        ("FA", &|u| u.valid_to = None, "no end date"),
    ];
    for (code, change, needle) in cases {
        let err = edit(&mut store, code, change).unwrap_err();
        assert!(
            err.contains("lineage of units unsound") && err.contains(needle),
            "{code}: {err}"
        );
    }
    drop(store);
    assert_eq!(sb.state(), before);
    sb.check_ok();
}

/// An import is held to the lineage's rules whatever keys it has: a `successor` that the
/// file's lineage does not hold is refused, and so is an old-format file whose successors
/// leave a gap.
#[test]
fn an_import_whose_successors_and_lineage_disagree_is_refused() {
    let sb = Sandbox::init();
    sb.ok(&[
        "reorganise",
        "--from",
        "FA",
        "--into",
        "Farsta Norra,Farsta Södra",
        "--code",
        "FAN,FAS",
        "--on",
        "2025-01-01",
    ]);
    let export: serde_json::Value =
        serde_json::from_str(&sb.ok(&["export", "--format", "json"])).unwrap();
    let mut mixed = export.clone();
    for u in mixed["units"].as_array_mut().unwrap() {
        if u["code"] == "FAN" {
            u["successor"] = "FA".into();
        }
    }
    let mut old_format = serde_json::json!({
        "spridning": 1,
        "units": [{"code": "SN", "name": "Skarpnäck", "kind": "district",
                   "region": "söderort", "valid_from": "1999-01-01",
                   "valid_to": null, "successor": "BR"}],
    });
    old_format["methods"] = serde_json::json!([]);
    for (data, needle) in [
        (mixed, "lineage of units unsound"),
        (old_format, "no end date"),
    ] {
        let fresh = Sandbox::init();
        fresh.write("in.json", &data.to_string());
        let before = fresh.state();
        one_line_failure(&fresh.spr(&["import", "in.json"]), &[needle]);
        assert_eq!(fresh.state(), before);
    }
}

/// Codes are compared as they are stored: `Aß` and `ASS` are one code.
#[test]
fn an_import_with_two_spellings_of_one_code_is_refused() {
    let unit = |code: &str, name: &str| {
        serde_json::json!({"code": code, "name": name, "kind": "partner",
                           "region": null, "valid_from": null, "valid_to": null,
                           "successor": null})
    };
    let data = serde_json::json!({"spridning": 1,
        "units": [unit("Aß", "Ett förbund"), unit("ASS", "Ett annat förbund")]});
    let sb = Sandbox::init();
    sb.write("in.json", &data.to_string());
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["import", "in.json"]),
        &["units[0] (Aß) and units[1] (ASS) are both called 'ASS'"],
    );
    assert_eq!(sb.state(), before);
}

/// A unit whose code (and name) was edited comes through export and import as it is, and
/// no unit `init` made is left beside it.
#[test]
fn an_edited_code_and_name_survive_export_and_import() {
    let sb = Sandbox::init();
    let mut store = Store::open(&sb.db(), "tester").unwrap();
    store.grant_owner();
    for (code, new_code, new_name) in [("FA", "FAR", "Farsta"), ("SN", "SKN", "Skarpnäck SDF")] {
        let id = store.find_unit(code).unwrap().0;
        let mut u = store.unit(id).unwrap();
        u.code = new_code.into();
        u.name = new_name.into();
        store.update_unit(id, u.version, &u).unwrap();
    }
    drop(store);
    let export = sb.ok(&["export", "--format", "json"]);
    let fresh = Sandbox::init();
    fresh.write("in.json", &export);
    fresh.ok(&["import", "in.json"]);
    assert_eq!(fresh.ok(&["export", "--format", "json"]), export);
    fresh.check_ok();
}

/// An export taken while others record is one moment: every export imports.
#[test]
fn an_export_taken_while_others_record_imports_whole() {
    let sb = Sandbox::sample();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (sb.db(), stop.clone());
        std::thread::spawn(move || {
            let mut s = Store::open(&db, "writer").unwrap();
            s.grant_owner();
            let method = s.find_method("ASI").unwrap().0;
            let unit = s.find_unit("FA").unwrap().0;
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                s.record_stage(&NewEvent {
                    method_id: method,
                    unit_id: unit,
                    stage: Stage::Pilot,
                    date: "2024-03".parse().unwrap(),
                    note: format!("{n}"),
                    source: String::new(),
                })
                .unwrap();
                n += 1;
            }
            n
        })
    };
    let reader = Store::open(&sb.db(), "reader").unwrap();
    for round in 0..15 {
        let mut out = Vec::new();
        reader.write_export(&mut out).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut fresh = Store::create(&dir.path().join("f.db"), "reader", Some("reader")).unwrap();
        fresh
            .import_from(&out[..])
            .unwrap_or_else(|e| panic!("round {round}: {e:#}"));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(writer.join().unwrap() > 0);
}

/// `user add` cannot make the last coordinator something else, as `user remove` cannot
/// remove them.
#[test]
fn the_last_coordinator_cannot_be_made_a_viewer() {
    let sb = Sandbox::init();
    sb.ok(&["user", "add", "boss", "--role", "coordinator"]);
    let me = sb.ok(&["user", "list"]);
    let me = me
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .find(|l| l != "boss")
        .unwrap();
    sb.ok(&["user", "add", &me, "--role", "viewer"]);
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["user", "add", "boss", "--role", "viewer"]),
        &["boss is the last coordinator"],
    );
    assert_eq!(sb.state(), before);
}

#[test]
fn a_known_at_that_held_an_invisible_character_is_said_to_have_held_one() {
    let sb = Sandbox::sample();
    one_line_failure(
        &sb.spr(&["matrix", "--known-at", "2025-06-01\u{200b}"]),
        &["invalid --known-at '2025-06-01'", "U+200B"],
    );
}
