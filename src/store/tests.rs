//! Unit tests of the store, each on its own database in a temporary directory.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::Connection;
use tempfile::TempDir;

use super::*;
use crate::domain::{ChangeKind, EventDate, NewEvent, Stage};

const USER: &str = "tester";

fn db_path(dir: &TempDir) -> PathBuf {
    dir.path().join("test.db")
}

fn new_store(dir: &TempDir) -> Store {
    Store::create(&db_path(dir), USER, None).expect("create store")
}

/// The role `login` is registered with, if any.
fn role_of(store: &Store, login: &str) -> Option<String> {
    store
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.login == login)
        .map(|u| u.role)
}

fn method(name: &str, short: Option<&str>) -> MethodInput {
    MethodInput {
        name: name.to_string(),
        short_name: short.map(String::from),
        kind: crate::domain::MethodKind::Instrument,
        area: "missbruk".to_string(),
        ..Default::default()
    }
}

fn unit_id(store: &Store, code: &str) -> i64 {
    store.find_unit(code).expect("unit").0
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a day")
}

fn event(method_id: i64, unit_id: i64, stage: Stage, date: &str) -> NewEvent {
    NewEvent {
        method_id,
        unit_id,
        stage,
        date: date.parse().expect("a date"),
        note: format!("{stage} from {date}"),
        source: "001_6b207ed5c5c2315e.txt 2.1".to_string(),
    }
}

fn record(store: &mut Store, method_id: i64, unit: &str, stage: Stage, date: &str) -> i64 {
    let u = unit_id(store, unit);
    store
        .record_stage(&event(method_id, u, stage, date))
        .expect("record stage")
}

/// The current stage of one adoption, as the adoption row holds it.
fn current(store: &Store, method_id: i64, unit: &str) -> Option<(String, String)> {
    let u = unit_id(store, unit);
    store
        .conn
        .query_row(
            "SELECT stage, since FROM adoption WHERE method_id = ?1 AND unit_id = ?2",
            [method_id, u],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                ))
            },
        )
        .ok()
        .and_then(|(stage, since)| Some((stage?, since?)))
}

/// The cell of the matrix for a method label and a unit code; `None` if the column is absent.
fn cell(m: &Matrix, label: &str, code: &str) -> Option<Option<Stage>> {
    let col = m.units.iter().position(|u| u.code == code)?;
    let (_, stages) = m
        .rows
        .iter()
        .find(|(method, _)| method.label() == label)
        .expect("method row");
    Some(stages[col].map(|c| c.stage))
}

fn counts(store: &Store) -> (usize, usize, usize, usize) {
    (
        store.units().unwrap().len(),
        store.methods().unwrap().len(),
        store.history(&Default::default()).unwrap().len(),
        store.users().unwrap().len(),
    )
}

fn err_text<T>(r: Result<T>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => format!("{e:#}"),
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

// --- create and open -------------------------------------------------------------------

#[test]
fn create_then_open_keeps_data_and_create_refuses_an_existing_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    {
        let mut store = Store::create(&path, USER, Some("coord")).unwrap();
        store
            .add_method(&method("Addiction Severity Index", Some("ASI")))
            .unwrap();
    }
    let store = Store::open(&path, "someone").unwrap();
    assert_eq!(store.user(), "someone");
    assert_eq!(store.path(), path.as_path());
    assert_eq!(store.methods().unwrap().len(), 1);
    assert_eq!(role_of(&store, "coord").as_deref(), Some("coordinator"));
    // 18 districts of 1999, the successors of 2007, 2020 and 2023, and three central
    // administrations.
    assert_eq!(store.units().unwrap().len(), 28);
    drop(store);

    let before = read(&path);
    let err = err_text(Store::create(&path, USER, None));
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(read(&path), before);
}

#[test]
fn open_refuses_a_missing_file_and_does_not_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.db");
    let err = err_text(Store::open(&path, USER));
    assert!(err.contains("spridning init"), "{err}");
    assert!(err.contains("missing.db"), "{err}");
    assert!(!path.exists());
}

#[test]
fn open_refuses_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let err = err_text(Store::open(dir.path(), USER));
    assert!(err.contains("directory"), "{err}");
}

#[test]
fn open_refuses_a_file_that_is_not_sqlite_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let text = "Det här är ingen databas, bara anteckningar.\n".repeat(100);
    std::fs::write(&path, &text).unwrap();
    let err = err_text(Store::open(&path, USER));
    assert!(err.contains("not a SQLite database"), "{err}");
    assert_eq!(read(&path), text.as_bytes());
}

#[test]
fn open_refuses_a_sqlite_file_of_another_app_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE recipe (id INTEGER PRIMARY KEY, name TEXT);
             INSERT INTO recipe (name) VALUES ('kanelbullar'), ('pepparkakor');",
        )
        .unwrap();
    }
    let before = read(&path);
    let err = err_text(Store::open(&path, USER));
    assert!(err.contains("not a spridning database"), "{err}");
    assert_eq!(read(&path), before, "the other app's file was changed");
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "the other app's journal mode was changed");
}

#[test]
fn open_refuses_a_database_from_a_newer_spridning_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    drop(new_store(&dir));
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = read(&path);
    let err = err_text(Store::open(&path, USER));
    assert!(err.contains("newer"), "{err}");
    assert!(err.contains("99"), "{err}");
    assert_eq!(read(&path), before);
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99);
}

// --- connection settings and the schema's own rules -----------------------------------

#[test]
fn connections_use_wal_full_sync_foreign_keys_and_a_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    drop(new_store(&dir));
    let store = Store::open(&path, USER).unwrap();
    {
        let pragma = |name: &str| -> String {
            store
                .conn
                .query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
                .unwrap()
        };
        assert_eq!(pragma("journal_mode"), "wal");
        assert_eq!(pragma("synchronous"), "2", "synchronous=FULL");
        assert_eq!(pragma("foreign_keys"), "1");
        assert_eq!(pragma("busy_timeout"), "2000");
        assert_eq!(pragma("application_id"), APPLICATION_ID.to_string());
        assert_eq!(pragma("user_version"), SCHEMA_VERSION.to_string());
    }
    // WAL is a property of the file: another connection sees it too.
    let other = Connection::open(&path).unwrap();
    let mode: String = other
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

/// A raw connection to the file, with foreign keys on as every spridning connection has them.
fn raw(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    conn
}

#[test]
fn the_database_refuses_a_stage_outside_the_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let mut store = new_store(&dir);
    let asi = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    record(&mut store, asi, "KH", Stage::Pilot, "2004-03-01");
    drop(store);

    let conn = raw(&path);
    let adoption: i64 = conn
        .query_row("SELECT id FROM adoption", [], |r| r.get(0))
        .unwrap();
    let insert = conn.execute(
        "INSERT INTO stage_event (adoption_id, stage, effective, recorded_at, recorded_by)
         VALUES (?1, 'flying', '2004-04-01', '2026-01-01T00:00:00Z', 'x')",
        [adoption],
    );
    assert!(insert.is_err(), "an unknown stage was stored");
    let update = conn.execute("UPDATE adoption SET stage = 'flying'", []);
    assert!(update.is_err(), "an adoption took an unknown stage");
    let err = conn
        .execute("INSERT INTO stage (code, rank) VALUES ('flying', 8)", [])
        .unwrap_err();
    assert!(err.to_string().contains("vocabulary is fixed"), "{err}");
    let err = conn
        .execute("UPDATE stage SET code = 'flying' WHERE code = 'pilot'", [])
        .unwrap_err();
    assert!(err.to_string().contains("vocabulary is fixed"), "{err}");
    let err = conn
        .execute("DELETE FROM stage WHERE code = 'paused'", [])
        .unwrap_err();
    assert!(err.to_string().contains("vocabulary is fixed"), "{err}");
    let bad_date = conn.execute(
        "INSERT INTO stage_event (adoption_id, stage, effective, recorded_at, recorded_by)
         VALUES (?1, 'pilot', '4 april 2004', '2026-01-01T00:00:00Z', 'x')",
        [adoption],
    );
    assert!(bad_date.is_err(), "a date that is not ISO 8601 was stored");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM stage_event", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    drop(conn);

    // Also a connection without foreign keys (a plain sqlite3 shell) cannot store one.
    let bare = Connection::open(&path).unwrap();
    bare.pragma_update(None, "foreign_keys", false).unwrap();
    let insert = bare.execute(
        "INSERT INTO stage_event (adoption_id, stage, effective, recorded_at, recorded_by)
         VALUES (?1, 'flying', '2004-04-01', '2026-01-01T00:00:00Z', 'x')",
        [adoption],
    );
    assert!(insert.unwrap_err().to_string().contains("CHECK"));
    assert!(
        bare.execute("UPDATE adoption SET stage = 'flying'", [])
            .is_err()
    );
}

#[test]
fn the_database_refuses_to_rewrite_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let mut store = new_store(&dir);
    let asi = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    let id = record(&mut store, asi, "KH", Stage::Pilot, "2004-03-01");
    store.retract(id, "fel stadsdel").unwrap();
    drop(store);

    let conn = Connection::open(&path).unwrap();
    for sql in [
        "UPDATE stage_event SET note = 'ändrad'",
        "UPDATE stage_event SET stage = 'implemented'",
        "DELETE FROM stage_event",
    ] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    for sql in [
        "UPDATE retraction SET reason = 'x'",
        "DELETE FROM retraction",
    ] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    let (stage, note): (String, String) = conn
        .query_row("SELECT stage, note FROM stage_event", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (stage.as_str(), note.as_str()),
        ("pilot", "pilot from 2004-03-01")
    );
}

// --- stages ----------------------------------------------------------------------------

#[test]
fn the_latest_effective_date_wins_and_a_back_dated_event_does_not_override() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let asi = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    assert_eq!(current(&store, asi, "KH"), None);

    record(&mut store, asi, "KH", Stage::Exploring, "2004-01-15");
    assert_eq!(
        current(&store, asi, "KH"),
        Some(("exploring".into(), "2004-01-15".into()))
    );
    record(&mut store, asi, "KH", Stage::Pilot, "2006-05");
    assert_eq!(
        current(&store, asi, "KH"),
        Some(("pilot".into(), "2006-05".into()))
    );
    // Recorded later, but took effect earlier: history gains it, the current stage stays.
    record(&mut store, asi, "KH", Stage::Preparing, "2005-02-01");
    assert_eq!(
        current(&store, asi, "KH"),
        Some(("pilot".into(), "2006-05".into()))
    );
    // On the same date, the later record wins.
    record(&mut store, asi, "KH", Stage::Implemented, "2006-05");
    assert_eq!(
        current(&store, asi, "KH"),
        Some(("implemented".into(), "2006-05".into()))
    );

    let history = store.history(&Default::default()).unwrap();
    let dates: Vec<&str> = history.iter().map(|e| e.date.as_str()).collect();
    assert_eq!(dates, ["2004-01-15", "2005-02-01", "2006-05", "2006-05"]);
    assert!(
        history
            .iter()
            .all(|e| e.recorded_by == USER && e.method == "ASI" && e.unit == "KH")
    );
    let m = store.matrix(&Moment::today()).unwrap();
    assert_eq!(cell(&m, "ASI", "KH"), Some(Some(Stage::Implemented)));
    let detail = store.method_detail(asi, &Moment::today()).unwrap();
    assert_eq!(detail.current.len(), 1);
    assert_eq!(detail.current[0].stage, Stage::Implemented);
    assert_eq!(detail.current[0].note, "implemented from 2006-05");
}

#[test]
fn record_stage_cleans_text_and_refuses_overlong_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let asi = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    let kh = unit_id(&store, "KH");
    let mut ev = event(asi, kh, Stage::Pilot, "2004-03-01");
    ev.note = "rad 1\x1b[2J\r\nrad 2\u{202e}\x07".into();
    ev.source = " rapport\n2.1\u{9b} ".into();
    let id = store.record_stage(&ev).unwrap();
    let row = store.event(id).unwrap();
    assert_eq!(row.note, "rad 1[2J\nrad 2");
    assert_eq!(row.source, "rapport 2.1");

    ev.note = "x".repeat(crate::domain::text::MAX_NOTE + 1);
    let err = err_text(store.record_stage(&ev));
    assert!(err.contains("note is too long"), "{err}");
    assert_eq!(store.history(&Default::default()).unwrap().len(), 1);
}

#[test]
fn a_retracted_event_stays_in_history_and_the_stage_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let asi = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    let first = record(&mut store, asi, "FA", Stage::Exploring, "2004-01-01");
    let second = record(&mut store, asi, "FA", Stage::Pilot, "2005-01-01");
    assert_eq!(current(&store, asi, "FA").unwrap().0, "pilot");

    store.retract(second, "  fel metod  ").unwrap();
    assert_eq!(
        current(&store, asi, "FA"),
        Some(("exploring".into(), "2004-01-01".into()))
    );
    let history = store.history(&Default::default()).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].id, first);
    assert_eq!(history[0].retraction, None);
    assert_eq!(history[1].id, second);
    assert_eq!(history[1].stage, Stage::Pilot);
    let r = history[1].retraction.as_ref().expect("retraction");
    assert_eq!((r.reason.as_str(), r.by.as_str()), ("fel metod", USER));

    let err = err_text(store.retract(second, "igen"));
    assert!(err.contains("already retracted"), "{err}");
    let err = err_text(store.retract(first, " \n "));
    assert!(err.contains("needs a reason"), "{err}");
    let err = err_text(store.retract(9999, "finns inte"));
    assert!(err.contains("9999"), "{err}");

    // With every event retracted, the adoption has no stage and the matrix cell is empty.
    store.retract(first, "dubblett").unwrap();
    assert_eq!(current(&store, asi, "FA"), None);
    assert_eq!(
        cell(&store.matrix(&Moment::today()).unwrap(), "ASI", "FA"),
        Some(None)
    );
    assert_eq!(store.history(&Default::default()).unwrap().len(), 2);
}

#[test]
fn the_matrix_as_of_a_date_shows_the_stage_then_and_the_units_valid_then() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let asi = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    let fas = store
        .add_method(&method(
            "Försörjningsstöd avvecklas för sjukskrivna",
            Some("FAS"),
        ))
        .unwrap();
    record(&mut store, asi, "VA", Stage::Pilot, "2003-05-01");
    record(&mut store, asi, "EAV", Stage::Implemented, "2008-01-01");
    record(&mut store, asi, "KH", Stage::Exploring, "2004-01-01");
    record(&mut store, asi, "KH", Stage::Implemented, "2010-06");
    let wrong = record(&mut store, fas, "KH", Stage::Sustained, "2004-06-01");
    record(&mut store, fas, "KH", Stage::Pilot, "2004-02-01");
    store.retract(wrong, "fel år").unwrap();

    let then = store.matrix(&Moment::on(day("2005-06-01"))).unwrap();
    let codes: Vec<&str> = then.units.iter().map(|u| u.code.as_str()).collect();
    for code in [
        "VA", "RI", "KI", "HA", "LH", "AL", "KS", "MG", "EA", "KH", "SOF", "INF",
    ] {
        assert!(
            codes.contains(&code),
            "{code} missing on 2005-06-01: {codes:?}"
        );
    }
    for code in ["EAV", "RK", "SOD", "HL", "HAE"] {
        assert!(!codes.contains(&code), "{code} shown on 2005-06-01");
    }
    assert_eq!(cell(&then, "ASI", "VA"), Some(Some(Stage::Pilot)));
    assert_eq!(cell(&then, "ASI", "KH"), Some(Some(Stage::Exploring)));
    assert_eq!(
        cell(&then, "FAS", "KH"),
        Some(Some(Stage::Pilot)),
        "a retracted event counted"
    );
    assert_eq!(cell(&then, "ASI", "FA"), Some(None));
    // The day an event takes effect counts; the day before does not.
    let day_before = store.matrix(&Moment::on(day("2003-04-30"))).unwrap();
    assert_eq!(cell(&day_before, "ASI", "VA"), Some(None));
    let on_the_day = store.matrix(&Moment::on(day("2003-05-01"))).unwrap();
    assert_eq!(cell(&on_the_day, "ASI", "VA"), Some(Some(Stage::Pilot)));
    // A month takes effect on its first day.
    let june_2010 = store.matrix(&Moment::on(day("2010-06-01"))).unwrap();
    assert_eq!(
        cell(&june_2010, "ASI", "KH"),
        Some(Some(Stage::Implemented))
    );
    let may_2010 = store.matrix(&Moment::on(day("2010-05-31"))).unwrap();
    assert_eq!(cell(&may_2010, "ASI", "KH"), Some(Some(Stage::Exploring)));

    let later = store.matrix(&Moment::on(day("2012-01-01"))).unwrap();
    assert_eq!(cell(&later, "ASI", "VA"), None, "Vantör shown in 2012");
    assert_eq!(cell(&later, "ASI", "EAV"), Some(Some(Stage::Implemented)));
    assert_eq!(cell(&later, "ASI", "HL"), Some(None));
    assert_eq!(cell(&later, "ASI", "HAE"), None);
    let now = store.matrix(&Moment::today()).unwrap();
    assert_eq!(cell(&now, "ASI", "HAE"), Some(None));
    assert_eq!(cell(&now, "ASI", "HL"), None);
    assert_eq!(now.rows.len(), 2);
    assert_eq!(store.matrix_units(MatrixColumns::All).unwrap().len(), 28);
}

#[test]
fn events_are_refused_for_units_that_did_not_exist_then_or_dates_in_the_future() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let asi = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    let va = unit_id(&store, "VA");
    let eav = unit_id(&store, "EAV");

    let err = err_text(store.record_stage(&event(asi, va, Stage::Pilot, "2024-03-01")));
    assert!(err.contains("VA") && err.contains("Vantör"), "{err}");
    assert!(err.contains("successor EAV"), "{err}");
    assert!(err.contains("2024-03-01"), "{err}");
    let err = err_text(store.record_stage(&event(asi, eav, Stage::Pilot, "2006-12-31")));
    assert!(err.contains("EAV") && err.contains("2007-01-01"), "{err}");
    // A month counts if the unit existed on some day of it.
    let err = err_text(store.record_stage(&event(asi, eav, Stage::Pilot, "2006-12")));
    assert!(err.contains("EAV"), "{err}");
    let err = err_text(store.record_stage(&event(asi, va, Stage::Pilot, "2007-01")));
    assert!(err.contains("successor EAV"), "{err}");
    let tomorrow = chrono::Local::now().date_naive() + chrono::Days::new(2);
    let mut future = event(asi, eav, Stage::Pilot, "2010-01-01");
    future.date = EventDate::Day(tomorrow);
    let err = err_text(store.record_stage(&future));
    assert!(err.contains("future"), "{err}");
    assert!(store.history(&Default::default()).unwrap().is_empty());

    store
        .record_stage(&event(asi, va, Stage::Pilot, "2006-12-31"))
        .unwrap();
    store
        .record_stage(&event(asi, va, Stage::Implemented, "2006-12"))
        .unwrap();
    store
        .record_stage(&event(asi, eav, Stage::Pilot, "2007-01"))
        .unwrap();
    assert_eq!(store.history(&Default::default()).unwrap().len(), 3);
}

// --- lookups ---------------------------------------------------------------------------

#[test]
fn methods_and_units_are_found_case_insensitively_also_for_swedish_letters() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let omc = store
        .add_method(&method("Öppna samordningsmetoden", Some("OMC")))
        .unwrap();
    let ar = store
        .add_method(&method(
            "Ärendefördelning enligt födelsedatumprincipen",
            None,
        ))
        .unwrap();
    let asi = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();

    for typed in [
        "Öppna samordningsmetoden",
        "öppna SAMORDNINGSMETODEN",
        "ÖPPNA samordningsmetoden",
        " omc ",
    ] {
        assert_eq!(
            store.find_method(typed).unwrap(),
            (omc, "OMC".to_string()),
            "{typed}"
        );
    }
    let found = store
        .find_method("ÄRENDEFÖRDELNING ENLIGT FÖDELSEDATUMPRINCIPEN")
        .unwrap();
    assert_eq!(
        found,
        (
            ar,
            "Ärendefördelning enligt födelsedatumprincipen".to_string()
        )
    );
    assert_eq!(store.find_method("asi").unwrap().0, asi);
    assert_eq!(
        store.find_method("addiction severity index").unwrap().0,
        asi
    );

    for (typed, code) in [
        ("södermalm", "SOD"),
        ("SÖDERMALM", "SOD"),
        ("sod", "SOD"),
        ("ÄLVSJÖ", "AL"),
        ("älvsjö", "AL"),
        ("Hägersten-Älvsjö", "HAE"),
        ("östermalm", "OM"),
        ("enskede-årsta-vantör", "EAV"),
        ("ENSKEDE-ÅRSTA", "EA"),
    ] {
        let (id, found) = store.find_unit(typed).unwrap();
        assert_eq!(found, code, "{typed}");
        assert_eq!(store.unit(id).unwrap().code, code);
    }
}

#[test]
fn unknown_names_are_errors_that_name_the_value_and_suggest() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    store
        .add_method(&method("Öppna samordningsmetoden", Some("OMC")))
        .unwrap();

    let err = err_text(store.find_method("Kristeamet"));
    assert_eq!(err, "unknown method 'Kristeamet'");
    let err = err_text(store.find_method("samordning"));
    assert!(
        err.contains("'samordning'") && err.contains("did you mean: OMC"),
        "{err}"
    );
    let err = err_text(store.find_method("   "));
    assert!(err.contains("no method"), "{err}");
    let err = err_text(store.find_unit("Atlantis"));
    assert_eq!(err, "unknown unit 'Atlantis'");
    let err = err_text(store.find_unit("hägerst"));
    assert!(err.contains("did you mean"), "{err}");
    assert!(
        err.contains("HA") && err.contains("HAE") && err.contains("HL"),
        "{err}"
    );
}

#[test]
fn ambiguous_names_are_errors_that_list_the_matches() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    // Codes and names share one namespace: a unit named like another's code is refused …
    let err = err_text(store.add_unit(&UnitInput {
        code: "ZZ".into(),
        name: "Kh".into(),
        kind: crate::domain::UnitKind::Partner,
        ..Default::default()
    }));
    assert!(err.contains("'Kh'"), "{err}");
    // … but if another tool wrote one, a lookup reports the ambiguity instead of guessing.
    store
        .conn
        .execute(
            "INSERT INTO unit (code, name, kind, search, sort_key, created_at, created_by, updated_at, updated_by)
             VALUES ('ZZ', 'Kh', 'partner', 'zz kh', 'kh', 'x', 'x', 'x', 'x')",
            [],
        )
        .unwrap();
    let err = err_text(store.find_unit("kh"));
    assert!(err.contains("ambiguous unit 'kh'"), "{err}");
    assert!(err.contains("KH") && err.contains("ZZ"), "{err}");

    // The store keeps method names unique (see below); two that differ only in the case of
    // a Swedish letter, written past it, are reported as ambiguous rather than guessed.
    store.add_method(&method("Åtgärdsplan", None)).unwrap();
    store
        .conn
        .execute(
            "INSERT INTO method (name, kind, search, sort_key, created_at, created_by, updated_at, updated_by)
             VALUES ('åtgärdsplan', 'instrument', 'åtgärdsplan', 'åtgärdsplan', 'x', 'x', 'x', 'x')",
            [],
        )
        .unwrap();
    let err = err_text(store.find_method("ÅTGÄRDSPLAN"));
    assert!(err.contains("ambiguous method 'ÅTGÄRDSPLAN'"), "{err}");
}

#[test]
fn method_names_and_short_names_share_one_case_insensitive_namespace() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    store
        .add_method(&method("Öppna samordningsmetoden", Some("OMC")))
        .unwrap();
    store.add_method(&method("Ärendeforum", None)).unwrap();
    for clash in [
        method("öppna samordningsmetoden", None),
        method("ÖPPNA SAMORDNINGSMETODEN", Some("X")),
        method("Open method of coordination", Some("omc")),
        method("omc", None),
        method("Annan", Some("ÄRENDEFORUM")),
        method("ärendeforum", None),
    ] {
        let err = err_text(store.add_method(&clash));
        assert!(
            err.contains("already the name or short name"),
            "{clash:?}: {err}"
        );
    }
    assert_eq!(store.methods().unwrap().len(), 2);
    // Units: a name that differs only in the case of å, ä, ö is the same name.
    let err = err_text(store.add_unit(&UnitInput {
        code: "ALV".into(),
        name: "ÄLVSJÖ".into(),
        kind: crate::domain::UnitKind::Partner,
        ..Default::default()
    }));
    assert!(err.contains("already the code or name of unit AL"), "{err}");
    assert_eq!(store.units().unwrap().len(), 28);
}

// --- editing ---------------------------------------------------------------------------

#[test]
fn update_method_with_a_stale_version_fails_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let id = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    let read_by_both = store.method(id).unwrap().version;
    assert_eq!(read_by_both, 1);

    let mut mine = method("Addiction Severity Index", Some("ASI"));
    mine.description = "Min beskrivning".into();
    store.update_method(id, read_by_both, &mine).unwrap();
    let saved = store.method(id).unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(saved.description, "Min beskrivning");

    let mut theirs = method("Addiction Severity Index", Some("ASI"));
    theirs.description = "Deras beskrivning".into();
    let err = err_text(store.update_method(id, read_by_both, &theirs));
    assert!(err.contains("changed by someone else"), "{err}");
    let after = store.method(id).unwrap();
    assert_eq!(after, saved);
    // With the fresh version it goes through.
    store.update_method(id, after.version, &theirs).unwrap();
    assert_eq!(store.method(id).unwrap().description, "Deras beskrivning");
}

#[test]
fn update_unit_with_a_stale_version_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let id = store
        .add_unit(&UnitInput {
            code: "ASR".into(),
            name: "Afrosvenskarnas Riksförbund".into(),
            kind: crate::domain::UnitKind::Partner,
            ..Default::default()
        })
        .unwrap();
    let unit = store.unit(id).unwrap();
    let input = UnitInput {
        code: "ASR".into(),
        name: "Simba Center".into(),
        kind: crate::domain::UnitKind::Partner,
        ..Default::default()
    };
    store.update_unit(id, unit.version, &input).unwrap();
    let err = err_text(store.update_unit(id, unit.version, &input));
    assert!(err.contains("changed by someone else"), "{err}");
    assert_eq!(store.unit(id).unwrap().version, unit.version + 1);
}

// --- export and import -----------------------------------------------------------------

/// A small database with something of everything: methods, a partner unit, events in
/// historical and current units, a retraction and users.
fn populated(dir: &TempDir) -> Store {
    let mut store = new_store(dir);
    let asi = store
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    let mut full = method("Öppna samordningsmetoden", Some("OMC"));
    full.kind = crate::domain::MethodKind::WayOfWorking;
    full.description = "Rad 1\nRad 2".into();
    full.target_group = Some("Unga vuxna".into());
    full.origin = Some("Farsta 2010".into());
    full.evidence = Some("Utvärderad".into());
    full.evidence_link = Some("https://example.org/omc".into());
    full.contact = Some("samordnare@example.org".into());
    let omc = store.add_method(&full).unwrap();
    store.add_method(&method("Kristeamet", None)).unwrap();
    store
        .add_unit(&UnitInput {
            code: "ASR".into(),
            name: "Afrosvenskarnas Riksförbund".into(),
            kind: crate::domain::UnitKind::Partner,
            region: Some("västerort".into()),
            valid_from: Some(day("2001-01-01")),
            ..Default::default()
        })
        .unwrap();
    record(&mut store, asi, "VA", Stage::Pilot, "2003-04");
    record(&mut store, asi, "EAV", Stage::Implemented, "2007-03-01");
    let wrong = record(&mut store, asi, "KH", Stage::Sustained, "2005-01-01");
    record(&mut store, omc, "ASR", Stage::Exploring, "2011-09-15");
    record(&mut store, omc, "FA", Stage::Pilot, "2012-01");
    store.retract(wrong, "fel stadsdel").unwrap();
    store
        .add_user("anna", "member", &["fa".into(), "SH".into()])
        .unwrap();
    store.add_user("bo", "viewer", &[]).unwrap();
    store
}

#[test]
fn export_then_import_into_a_fresh_database_gives_the_same_export() {
    let dir = tempfile::tempdir().unwrap();
    let store = populated(&dir);
    let exported = store.export().unwrap();
    assert_eq!(exported.spridning, 1);
    assert_eq!(exported.methods.len(), 3);
    assert_eq!(exported.units.len(), 29);
    assert_eq!(exported.events.len(), 5);
    assert_eq!(exported.users.len(), 2);
    assert_eq!(exported.events.iter().filter(|e| e.retracted).count(), 1);

    let other = tempfile::tempdir().unwrap();
    let mut fresh = Store::create(&db_path(&other), "importer", None).unwrap();
    let n = fresh.import(&exported).unwrap();
    assert_eq!((n.units, n.methods, n.events), (29, 3, 5));
    let again = fresh.export().unwrap();
    assert_eq!(again, exported);
    // Through JSON text too, as the command line does it.
    let text = serde_json::to_string_pretty(&exported).unwrap();
    let parsed: ExportData = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_string_pretty(&parsed).unwrap(), text);
    assert_eq!(serde_json::to_string_pretty(&again).unwrap(), text);
    // Who recorded what, and when, survives the trip.
    assert!(
        again
            .events
            .iter()
            .all(|e| e.recorded_by.as_deref() == Some(USER))
    );
    let retracted = again.events.iter().find(|e| e.retracted).unwrap();
    assert_eq!(
        retracted.retraction.as_ref().unwrap().reason,
        "fel stadsdel"
    );
    assert_eq!(retracted.retraction.as_ref().unwrap().by, USER);
    // And the current stages follow from the imported events.
    let m = fresh.matrix(&Moment::today()).unwrap();
    assert_eq!(cell(&m, "ASI", "KH"), Some(None));
    assert_eq!(cell(&m, "ASI", "EAV"), Some(Some(Stage::Implemented)));
    assert_eq!(cell(&m, "OMC", "FA"), Some(Some(Stage::Pilot)));
}

#[test]
fn an_import_with_a_bad_event_changes_nothing_and_names_the_event() {
    let dir = tempfile::tempdir().unwrap();
    let exported = populated(&dir).export().unwrap();

    let other = tempfile::tempdir().unwrap();
    let mut fresh = new_store(&other);
    let before = counts(&fresh);
    let before_export = fresh.export().unwrap();
    type Spoil = fn(&mut ExportEvent);
    let bad_cases: [(&str, Spoil); 5] = [
        ("unknown unit 'NOPE'", |e| e.unit = "NOPE".into()),
        ("unknown method 'Finns inte'", |e| {
            e.method = "Finns inte".into()
        }),
        ("unknown stage 'flying'", |e| e.stage = "flying".into()),
        ("invalid date '2003-02-30'", |e| {
            e.date = "2003-02-30".into()
        }),
        ("successor EAV", |e| {
            e.unit = "VA".into();
            e.date = "2020-01-01".into()
        }),
    ];
    for (expected, spoil) in bad_cases {
        let mut data = exported.clone();
        spoil(&mut data.events[2]);
        let err = err_text(fresh.import(&data));
        assert!(err.contains("events[2]"), "{err}");
        assert!(err.contains(expected), "{err}");
        assert_eq!(counts(&fresh), before, "{expected}");
        assert_eq!(fresh.export().unwrap(), before_export, "{expected}");
    }
    let mut data = serde_json::to_value(&exported).unwrap();
    data["methods"][1]["kind"] = "tool".into();
    let err = err_text(fresh.import_from(data.to_string().as_bytes()));
    assert!(
        err.contains("methods[1]") && err.contains("'tool'"),
        "{err}"
    );
    assert_eq!(counts(&fresh), before);
    let mut data = exported.clone();
    data.spridning = 2;
    let err = err_text(fresh.import(&data));
    assert!(err.contains("version 2"), "{err}");
    // The database is still empty enough to take the good file.
    fresh.import(&exported).unwrap();
    assert_eq!(fresh.history(&Default::default()).unwrap().len(), 5);
}

#[test]
fn import_refuses_a_database_that_already_holds_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = populated(&dir);
    let exported = store.export().unwrap();
    let err = err_text(store.import(&exported));
    assert!(
        err.contains("already holds 3 methods and 5 events"),
        "{err}"
    );
    assert!(err.contains("spridning init"), "{err}");
    assert_eq!(store.export().unwrap(), exported);

    // Methods alone are enough to refuse.
    let other = tempfile::tempdir().unwrap();
    let mut fresh = new_store(&other);
    fresh.add_method(&method("Kristeamet", None)).unwrap();
    let err = err_text(fresh.import(&exported));
    assert!(
        err.contains("already holds 1 methods and 0 events"),
        "{err}"
    );
    assert_eq!(fresh.methods().unwrap().len(), 1);
}

#[test]
fn users_are_added_changed_listed_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    store
        .add_user("anna", "member", &[" fa ".into(), "sh".into()])
        .unwrap();
    let users = store.users().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].units, ["FA", "SH"]);
    store.add_user("anna", "coordinator", &[]).unwrap();
    assert_eq!(role_of(&store, "anna").as_deref(), Some("coordinator"));
    assert!(store.users().unwrap()[0].units.is_empty());

    let err = err_text(store.add_user("bo", "admin", &[]));
    assert!(err.contains("unknown role 'admin'"), "{err}");
    let err = err_text(store.add_user("bo", "member", &["XX".into()]));
    assert!(err.contains("unknown unit 'XX'"), "{err}");
    assert_eq!(
        store.users().unwrap().len(),
        1,
        "a failed add left a user behind"
    );

    store.add_user("cilla", "coordinator", &[]).unwrap();
    store.remove_user("anna").unwrap();
    let err = err_text(store.remove_user("cilla"));
    assert!(err.contains("last coordinator"), "{err}");
    assert_eq!(store.users().unwrap().len(), 1);
    let err = err_text(store.remove_user("anna"));
    assert!(err.contains("unknown user 'anna'"), "{err}");
}

#[test]
fn changes_since_a_mark_name_the_methods_and_units_touched_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let mut writer = new_store(&dir);
    let asi = writer
        .add_method(&method("Addiction Severity Index", Some("ASI")))
        .unwrap();
    let fuel = writer.add_method(&method("FUEL", None)).unwrap();
    let reader = Store::open(&path, "reader").unwrap();
    let mark = reader.log_mark().unwrap();
    // Nothing since: nothing changed, and the mark stays.
    let (changes, same) = reader.changes_since(mark).unwrap();
    assert!(changes.is_empty());
    assert_eq!(same, mark);

    // A stage event names its method and unit, and only those.
    record(&mut writer, asi, "FA", Stage::Pilot, "2026-01-10");
    let (changes, mark) = reader.changes_since(mark).unwrap();
    let fa = unit_id(&writer, "FA");
    assert_eq!(changes.methods, [asi].into());
    assert_eq!(changes.units, [fa].into());
    assert!(!changes.structure);
    assert!(changes.touch_method(asi) && !changes.touch_method(fuel));
    assert!(!changes.touch_unit(unit_id(&writer, "SN")));

    // People and settings are not the register's rows: nothing to fetch again.
    writer.add_user("bertil", "member", &["FA".into()]).unwrap();
    writer.set_fresh_months(Some(12)).unwrap();
    let (changes, mark) = reader.changes_since(mark).unwrap();
    assert!(changes.is_empty(), "{changes:?}");

    // A method added moves rows: structure.
    writer.add_method(&method("Kristeamet", None)).unwrap();
    let (changes, mark) = reader.changes_since(mark).unwrap();
    assert!(changes.structure && changes.touch_method(fuel));

    // A restore of an older state takes the log back: everything.
    let backup = dir.path().join("backup.db");
    writer.backup(&backup).unwrap();
    record(&mut writer, fuel, "SN", Stage::Preparing, "2026-02-01");
    let (_, after) = reader.changes_since(mark).unwrap();
    writer.restore(&backup, false).unwrap();
    let (changes, _) = reader.changes_since(after).unwrap();
    assert!(changes.structure && changes.methods.is_empty());
    assert_eq!(changes.at, reader.generation().unwrap());
}

#[test]
fn data_version_changes_when_another_connection_commits() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let reader = new_store(&dir);
    let before = reader.data_version().unwrap();
    let mut writer = Store::open(&path, "other").unwrap();
    writer.grant_owner();
    writer.add_method(&method("Kristeamet", None)).unwrap();
    assert_ne!(reader.data_version().unwrap(), before);
    assert_eq!(reader.methods().unwrap().len(), 1);
}

/// The Activity rows of `filter` (all of them), planned with `drive_below` as the index
/// threshold: 0 walks the log, a large number drives through an index wherever it can.
fn activity_ids(store: &Store, filter: &str, drive_below: usize) -> (Vec<i64>, usize) {
    let plan = store.plan_activity(filter, drive_below).unwrap();
    let rows = store.activity(&plan, 0, 10_000).unwrap();
    let count = store.activity_count(&plan, 10_000).unwrap();
    (rows.iter().map(|c| c.id).collect(), count)
}

#[test]
fn activity_lists_every_change_and_filters_by_text_person_and_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let units_at_start = store.units().unwrap().len();
    let ev = |unit: &str, stage: &str, date: &str, by: &str, at: &str| {
        serde_json::json!({"method": "ASI", "unit": unit, "stage": stage, "date": date,
                           "recorded_by": by, "recorded_at": format!("{at}T12:00:00Z")})
    };
    let mut wrong = ev("FA", "paused", "2005-01-01", "bertil", "2026-10-02");
    wrong["retracted"] = true.into();
    wrong["retraction"] =
        serde_json::json!({"reason": "fel enhet", "by": "anna", "at": "2026-10-05T08:00:00Z"});
    let data: ExportData = serde_json::from_value(serde_json::json!({
        "spridning": 1,
        "methods": [{"name": "Addiction Severity Index", "short_name": "ASI",
                     "kind": "instrument"}],
        "events": [
            ev("KH", "pilot", "2004-03-01", "anna", "2004-03-02"),
            ev("KH", "implemented", "2005-03-01", "anna", "2005-03-02"),
            ev("SN", "pilot", "2026-09", "bertil", "2026-09-15"),
            wrong
        ]
    }))
    .unwrap();
    store.import(&data).unwrap();
    // An edit of the method (two fields) and of a unit (one field), by the tester.
    let (asi, _) = store.find_method("ASI").unwrap();
    let m = store.method(asi).unwrap();
    let edited = crate::domain::Method {
        area: "missbruk".into(),
        description: "Strukturerad intervju".into(),
        ..m.clone()
    };
    store.update_method(asi, m.version, &edited).unwrap();
    let far = store.unit(unit_id(&store, "FA")).unwrap();
    let input = UnitInput {
        region: Some("Söderort".into()),
        ..far.clone()
    };
    store.update_unit(far.id, far.version, &input).unwrap();

    let all = store
        .activity(&store.activity_plan("").unwrap(), 0, 100)
        .unwrap();
    // Units from init, the method, four events, one retraction, two edits.
    assert_eq!(all.len(), units_at_start + 1 + 4 + 1 + 2);
    assert_eq!(
        store
            .activity_count(&store.activity_plan("").unwrap(), 1000)
            .unwrap(),
        all.len(),
        "the counter"
    );
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let kinds: Vec<ChangeKind> = all.iter().take(3).map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::UnitEdited,
            ChangeKind::MethodEdited,
            ChangeKind::Retraction
        ]
    );
    assert_eq!(
        (all[0].unit.as_str(), all[0].fields.as_str()),
        ("FA", "region")
    );
    assert_eq!(all[1].fields, "area description");
    assert_eq!(all[1].login, USER);
    let retraction = &all[2];
    assert_eq!(retraction.login, "anna");
    let event = retraction.event.as_ref().unwrap();
    assert_eq!(
        (
            event.stage,
            event.retraction.as_ref().unwrap().reason.as_str()
        ),
        (Stage::Paused, "fel enhet")
    );

    let kinds_of = |filter: &str| -> Vec<(ChangeKind, String)> {
        store
            .activity(&store.activity_plan(filter).unwrap(), 0, 100)
            .unwrap()
            .into_iter()
            .map(|c| (c.kind, c.unit.clone()))
            .collect()
    };
    use ChangeKind::*;
    // A person: bertil's two events (the retraction of one of them was anna's).
    assert_eq!(
        kinds_of("by:bertil"),
        [(Event, "FA".to_string()), (Event, "SN".to_string())]
    );
    // Dates: what came in from 2026-10-01 to 2026-10-31 (the retraction and the event).
    assert_eq!(
        kinds_of("since:2026-10-01 until:2026-10"),
        [(Retraction, "FA".to_string()), (Event, "FA".to_string())]
    );
    assert_eq!(
        kinds_of("until:2004-03-02").len(),
        1,
        "a day counts to its end"
    );
    // Words and terms together: Farsta's changes by anna (the retraction).
    assert_eq!(kinds_of("farsta av:anna"), [(Retraction, "FA".to_string())]);
    // A unit's word finds its edit and its events; a stage word its events.
    assert_eq!(
        kinds_of("farsta"),
        [
            (UnitEdited, "FA".to_string()),
            (Retraction, "FA".to_string()),
            (Event, "FA".to_string()),
            (UnitAdded, "FA".to_string())
        ]
    );
    assert_eq!(kinds_of("ordinarie").len(), 1);
    // Nothing: a word, a person or a period no change has.
    assert!(kinds_of("zzz").is_empty());
    assert!(kinds_of("by:nobody").is_empty());
    assert!(kinds_of("since:2030-01-01").is_empty());
    // A bad date is an error, not an empty list.
    assert!(store.activity_plan("since:2026-13-01").is_err());
    // The count is capped.
    let plan = store.activity_plan("tester").unwrap();
    assert_eq!(store.activity_count(&plan, 4).unwrap(), 4);
    // Where a change stands in the filtered list.
    let plan = store.activity_plan("farsta").unwrap();
    assert_eq!(store.activity_position(&plan, all[2].id).unwrap(), Some(1));
    assert_eq!(store.activity_position(&plan, all[1].id).unwrap(), None);
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn activity_walking_the_log_and_driving_through_an_index_agree() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let a = store.add_method(&method("Alfa", Some("A"))).unwrap();
    let b = store.add_method(&method("Beta", Some("B"))).unwrap();
    for (i, unit) in ["KH", "FA", "SN", "KH", "BR", "FA"].iter().enumerate() {
        let m = if i % 2 == 0 { a } else { b };
        record(
            &mut store,
            m,
            unit,
            Stage::ALL[i % 7],
            &format!("2010-0{}-01", i + 1),
        );
    }
    let first = store
        .activity(&store.activity_plan("").unwrap(), 0, 1)
        .unwrap();
    store
        .retract(first[0].event.as_ref().unwrap().id, "fel")
        .unwrap();
    for filter in [
        "",
        "alfa",
        "kungs",
        "pilot",
        "tester",
        "fa",
        "by:test",
        "since:2000-01-01",
        "until:2000-01-01",
        "alfa by:tester",
        "kungs since:2020-01",
        "zzz",
        "by:zzz",
    ] {
        let walked = activity_ids(&store, filter, 0);
        let driven = activity_ids(&store, filter, usize::MAX);
        assert_eq!(walked, driven, "{filter}");
        assert_eq!(walked.0.len(), walked.1, "{filter}: the count");
    }
    assert!(!activity_ids(&store, "alfa", 0).0.is_empty());
}

// --- reorganisations ---------------------------------------------------------------------

// --- the moment a screen shows ------------------------------------------------------------

#[test]
fn counts_follow_the_day_the_units_valid_then_and_what_was_known_when() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let data: ExportData = serde_json::from_value(serde_json::json!({
        "spridning": 1,
        "methods": [{"name": "Metod", "short_name": "M", "kind": "intervention"}],
        "events": [
            // Vantör: pilot 2003, ended with the unit in 2006.
            {"method": "M", "unit": "VA", "stage": "pilot", "date": "2003-05",
             "recorded_at": "2003-06-01T12:00:00Z"},
            // Farsta: pilot 2010, implemented 2012 — recorded late, in 2015.
            {"method": "M", "unit": "FA", "stage": "pilot", "date": "2010-01-15",
             "recorded_at": "2010-02-01T12:00:00Z"},
            {"method": "M", "unit": "FA", "stage": "implemented", "date": "2012-03",
             "recorded_at": "2015-01-01T12:00:00Z"},
            // Kungsholmen: implemented 2011, retracted in 2014 as a mistake.
            {"method": "M", "unit": "KH", "stage": "implemented", "date": "2011-01-01",
             "recorded_at": "2011-01-02T12:00:00Z", "retracted": true,
             "retraction": {"reason": "fel enhet", "by": "anna", "at": "2014-06-01T12:00:00Z"}}
        ]
    }))
    .unwrap();
    store.import(&data).unwrap();
    let counts = |moment: Moment| -> [u32; 7] {
        let c = store.method_summaries("", (0, 10), &moment).unwrap()[0].counts;
        Stage::ALL.map(|s| c[s])
    };
    let idx = |s: Stage| s.index();
    let at = |d: &str| Moment::on(day(d));
    let known = |d: &str, t: &str| Moment {
        known_at: Some(t.parse().unwrap()),
        ..at(d)
    };
    // 2004: Vantör's pilot; Farsta nothing yet.
    let c = counts(at("2004-01-01"));
    assert_eq!(c[idx(Stage::Pilot)], 1);
    assert_eq!(c.iter().sum::<u32>(), 1);
    // A month takes effect on its first day: not on 2003-04-30, on 2003-05-01.
    assert_eq!(counts(at("2003-04-30")).iter().sum::<u32>(), 0);
    assert_eq!(counts(at("2003-05-01"))[idx(Stage::Pilot)], 1);
    // 2013: Vantör has ceased and no longer counts; Farsta implemented; Kungsholmen's
    // event is retracted, so it never counted.
    let c = counts(at("2013-01-01"));
    assert_eq!(c[idx(Stage::Implemented)], 1);
    assert_eq!(c.iter().sum::<u32>(), 1);
    // As the register knew it at the start of 2013: Farsta still pilot (recorded in 2015)
    // and Kungsholmen implemented (the retraction came in 2014).
    let c = counts(known("2013-01-01", "2013-01-01T00:00:00Z"));
    assert_eq!(c[idx(Stage::Pilot)], 1);
    assert_eq!(c[idx(Stage::Implemented)], 1);
    // Today, with every unit, Vantör's last stage counts too.
    let all = Moment {
        all_units: true,
        ..Moment::today()
    };
    assert_eq!(counts(all).iter().sum::<u32>(), 2);
    assert_eq!(counts(Moment::today()).iter().sum::<u32>(), 1);
    // The detail lists Vantör last, until its end, then its successor.
    let detail = store
        .method_detail(store.find_method("M").unwrap().0, &Moment::today())
        .unwrap();
    let va = detail.current.last().unwrap();
    assert_eq!(va.label, "VA");
    assert_eq!(va.until.as_deref(), Some("2006-12-31"));
    assert_eq!(va.then.as_deref(), Some("EAV"));
    assert_eq!(detail.current[0].until, None);
}

// --- spread metrics, computed by hand ------------------------------------------------------

/// One method's history in eight units, every event stamped with the day it was recorded,
/// and two confirmations: Skarpnäck's pilot confirmed on 2019-05-01 (recorded the next
/// day), and Farsta's implementation confirmed on 2019-02-01 and retracted on 2019-08-01.
fn metrics_store(dir: &TempDir) -> Store {
    let mut store = new_store(dir);
    let ev = |unit: &str, stage: &str, date: &str, at: &str| {
        serde_json::json!({"method": "M", "unit": unit, "stage": stage, "date": date,
                           "recorded_at": format!("{at}T12:00:00Z")})
    };
    let mut hv = ev("HV", "pilot", "2019-06-01", "2019-06-01");
    hv["retracted"] = true.into();
    hv["retraction"] =
        serde_json::json!({"reason": "fel enhet", "by": "anna", "at": "2019-07-01T12:00:00Z"});
    let data: ExportData = serde_json::from_value(serde_json::json!({
        "spridning": 1,
        "methods": [{"name": "Metod", "short_name": "M", "kind": "intervention"}],
        "events": [
            ev("FA", "pilot", "2015-01-01", "2015-01-01"),
            ev("FA", "implemented", "2016-07-01", "2016-07-01"),
            ev("SN", "pilot", "2017-03", "2017-03-01"),
            ev("KH", "implemented", "2018-06-01", "2018-06-01"),
            ev("BR", "pilot", "2016-01-01", "2016-01-01"),
            ev("BR", "implemented", "2017-01-01", "2017-01-01"),
            ev("BR", "paused", "2018-01-01", "2018-01-01"),
            ev("ST", "exploring", "2019-12", "2019-12-01"),
            ev("HL", "pilot", "2019-01-01", "2019-01-01"),
            ev("VA", "pilot", "2004-01", "2004-01-01"),
            hv
        ],
        "confirmations": [
            {"method": "M", "unit": "FA", "stage": "implemented", "date": "2019-02-01",
             "recorded_by": "anna", "recorded_at": "2019-02-02T12:00:00Z", "retracted": true,
             "retraction": {"reason": "gällde en annan metod", "by": "anna",
                            "at": "2019-08-01T12:00:00Z"}},
            {"method": "M", "unit": "SN", "stage": "pilot", "date": "2019-05-01",
             "recorded_by": "bertil", "recorded_at": "2019-05-02T12:00:00Z"}
        ]
    }))
    .unwrap();
    store.import(&data).unwrap();
    store
}

#[test]
fn spread_metrics_match_their_definitions_on_a_hand_built_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = metrics_store(&dir);
    let on = |d: &str| MetricsScope::new(Moment::on(day(d)));
    // On 2020-01-01 with 24 fresh months, a stage is fresh when last heard on 2018-01-01
    // or later.
    let m = &store.method_metrics(&on("2020-01-01")).unwrap()[0];
    // Reached pilot or beyond: FA, SN, KH (implemented at once), BR, HL. Not VA (ceased in
    // 2006), not HV (its only event is retracted), not ST (exploring).
    assert_eq!(m.reached, 5);
    // In use: FA and KH (last known: FA's stale implementation still counts); BR is
    // paused. 14 districts existed on 2020-01-01.
    assert_eq!(m.in_use, 2);
    assert!((m.share - 2.0 / 14.0).abs() < 1e-9, "{}", m.share);
    assert_eq!(m.first_pilot, Some(day("2015-01-01")));
    // Months from first pilot to first implementation: FA 547 days = 17.97, KH 0, BR 366
    // days = 12.02; the median is BR's.
    let median = m.median_months.unwrap();
    assert!((median - 366.0 / (365.25 / 12.0)).abs() < 1e-9, "{median}");
    // On the way: SN and HL are at pilot without implementation.
    assert_eq!(m.on_the_way, 2);
    // Preparing: nobody.
    assert_eq!(m.preparing, 0);
    // Stalled (18 months at preparing or pilot, fresh): SN's pilot since 2017-03 (a month:
    // its first day) was confirmed on 2019-05-01, so it is known to be stuck; HL's pilot
    // from 2019-01-01 is 12 months old.
    assert_eq!(m.stalled, 1);
    // Not heard from: FA's implementation of 2016-07-01, whose only confirmation was
    // retracted. BR's pause was heard exactly 24 months before (fresh, and paused stages
    // never count); KH (2018-06-01), ST (2019-12) and HL are fresh.
    assert_eq!(m.not_heard_from, 1);
    // Sustained (in use 12 months, not paused since): FA and KH; BR was paused.
    assert_eq!(m.sustained, 2);
    assert_eq!((m.paused, m.discontinued), (1, 0));

    // Current only: FA's stale implementation is left out of every count but not heard
    // from.
    let current = MetricsScope::new(Moment {
        current_only: true,
        ..Moment::on(day("2020-01-01"))
    });
    let c = &store.method_metrics(&current).unwrap()[0];
    assert_eq!((c.reached, c.in_use, c.sustained), (4, 1, 1));
    assert_eq!(c.not_heard_from, 1);
    assert!((c.share - 1.0 / 14.0).abs() < 1e-9, "{}", c.share);

    // With roll-up, Enskede-Årsta-Vantör takes Vantör's pilot of 2004 (it has none of its
    // own): one more reached and on the way, and an earlier first pilot; not heard from
    // since 2004, it is not heard from, not stalled.
    let rolled = MetricsScope {
        roll_up: true,
        ..on("2020-01-01")
    };
    let r = &store.method_metrics(&rolled).unwrap()[0];
    assert_eq!((r.reached, r.on_the_way, r.stalled), (6, 3, 1));
    assert_eq!(r.not_heard_from, 2);
    assert_eq!(r.first_pilot, Some(day("2004-01-01")));

    // As known in mid-June 2019: HV's retraction (July) and ST's exploring (December) were
    // not yet recorded, so HV's pilot counts; FA's confirmation was not yet retracted, so
    // FA is fresh.
    let known = MetricsScope::new(Moment {
        known_at: Some("2019-06-15T00:00:00Z".parse().unwrap()),
        ..Moment::on(day("2020-01-01"))
    });
    let k = &store.method_metrics(&known).unwrap()[0];
    assert_eq!(k.reached, 6);
    assert_eq!((k.stalled, k.not_heard_from), (1, 0));
    // As known on 2019-05-01, before SN's confirmation was recorded: SN's pilot had not
    // been heard from since 2017 — not heard from, not stalled.
    let before = MetricsScope::new(Moment {
        known_at: Some("2019-05-01T23:59:59Z".parse().unwrap()),
        ..Moment::on(day("2020-01-01"))
    });
    let b = &store.method_metrics(&before).unwrap()[0];
    assert_eq!((b.stalled, b.not_heard_from), (0, 1));

    // The line: KH's implementation of 2018-06-01 is fresh on 2020-06-01 (exactly 24
    // months) and stale the day after.
    assert_eq!(
        store.method_metrics(&on("2020-06-01")).unwrap()[0].not_heard_from,
        1
    );
    assert_eq!(
        store.method_metrics(&on("2020-06-02")).unwrap()[0].not_heard_from,
        2
    );
    // Twelve fresh months make SN's confirmation of 2019-05-01 stale by 2020-06-01.
    let twelve = MetricsScope::new(Moment {
        fresh_months: 12,
        ..Moment::on(day("2020-06-01"))
    });
    let t = &store.method_metrics(&twelve).unwrap()[0];
    assert_eq!((t.stalled, t.not_heard_from), (0, 4));

    // Today Hägersten-Liljeholmen has ceased (2020-06-30) and no longer counts.
    let t = &store
        .method_metrics(&MetricsScope::new(Moment::today()))
        .unwrap()[0];
    assert_eq!((t.reached, t.in_use, t.on_the_way), (4, 2, 1));

    // The same the other way round: Farsta has its one method in use.
    let fa = store
        .unit_metrics(&on("2020-01-01"))
        .unwrap()
        .into_iter()
        .find(|u| u.label == "FA")
        .unwrap();
    assert_eq!((fa.reached, fa.in_use, fa.sustained), (1, 1, 1));
    assert_eq!(fa.not_heard_from, 1);
    assert!((fa.share - 1.0).abs() < 1e-9);

    // The stalled pilots, for the work list.
    let stalled = store.stalled(&on("2020-01-01")).unwrap();
    assert_eq!(stalled.len(), 1);
    let s = &stalled[0];
    assert_eq!(
        (s.method.as_str(), s.unit.as_str(), s.stage),
        ("M", "SN", Stage::Pilot)
    );
    assert_eq!((s.since, s.months), (day("2017-03-01"), 34));
    assert_eq!(s.heard, day("2019-05-01"));
    // Dated by month, shown by month; heard from later by a confirmation, shown to the day.
    assert_eq!(
        (s.since_shown(), s.heard_shown()),
        ("2017-03".into(), "2019-05-01".into())
    );
    let longer = MetricsScope {
        stalled_after: 40,
        ..on("2020-01-01")
    };
    assert!(store.stalled(&longer).unwrap().is_empty());
    // Whom to ask: FA, not heard from since 2016-07-01, 42 months.
    let ask = store.not_heard_from(&on("2020-01-01"), None).unwrap();
    assert_eq!(ask.len(), 1);
    assert_eq!(
        (
            ask[0].unit.as_str(),
            ask[0].stage,
            ask[0].heard,
            ask[0].months
        ),
        ("FA", Stage::Implemented, day("2016-07-01"), 42)
    );
    // An event given to the day: shown to the day.
    assert_eq!(
        (ask[0].since_shown(), ask[0].heard_shown()),
        ("2016-07-01".into(), "2016-07-01".into())
    );
}

#[test]
fn the_adoption_curve_counts_units_while_they_are_heard_from() {
    let dir = tempfile::tempdir().unwrap();
    let store = metrics_store(&dir);
    let m = store.find_method("M").unwrap().0;
    let curve = |moment: Moment| {
        store
            .adoption_curve(m, &moment)
            .unwrap()
            .into_iter()
            .map(|p| (p.year, p.reached, p.in_use))
            .collect::<Vec<_>>()
    };
    // First pilots: VA 2004 (heard from until the end of 2005, ceased 2006), FA 2015, BR
    // 2016, SN 2017 (a month; confirmed 2019), KH 2018 (implemented at once), HL 2019; HV's
    // pilot is retracted and ST only explores. First implementations: FA 2016 (its 2019
    // confirmation is retracted: not heard from after 2017), BR 2017 (paused 2018-01-01,
    // heard from until 2020), KH 2018. A unit counts in a year while it was heard from in
    // the 24 months up to the year's end.
    let on_2020 = curve(Moment::on(day("2020-01-01")));
    assert_eq!(on_2020.len(), 17, "{on_2020:?}");
    assert_eq!(on_2020[0], (2004, 1, 0));
    assert_eq!(on_2020[1], (2005, 1, 0));
    assert_eq!(on_2020[2], (2006, 0, 0), "Vantör not heard from since 2004");
    assert_eq!(on_2020[10], (2014, 0, 0));
    assert_eq!(
        on_2020[11..],
        [
            (2015, 1, 0),
            (2016, 2, 1),
            (2017, 3, 2),
            (2018, 3, 2),
            (2019, 4, 2),
            (2020, 4, 2)
        ]
    );
    // In the middle of 2016 the curve ends there: BR piloted in January, FA was implemented
    // in July.
    let mid_2016 = curve(Moment::on(day("2016-06-30")));
    assert_eq!(mid_2016.last(), Some(&(2016, 2, 0)));
    // As known in mid-June 2019, HV's pilot was not yet retracted, nor FA's confirmation.
    let known = curve(Moment {
        known_at: Some("2019-06-15T00:00:00Z".parse().unwrap()),
        ..Moment::on(day("2019-12-31"))
    });
    assert_eq!(known.last(), Some(&(2019, 6, 3)));
    // Before anyone piloted it, there is no curve.
    assert!(curve(Moment::on(day("2003-12-31"))).is_empty());
}

#[test]
fn a_method_never_implemented_has_no_median_and_counts_its_units_on_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let data: ExportData = serde_json::from_value(serde_json::json!({
        "spridning": 1,
        "methods": [{"name": "Metod", "short_name": "M", "kind": "intervention"}],
        "events": [
            {"method": "M", "unit": "FA", "stage": "pilot", "date": "2020-01-01"},
            {"method": "M", "unit": "SN", "stage": "pilot", "date": "2020-02-01"},
            {"method": "M", "unit": "SN", "stage": "discontinued", "date": "2021-02-01"}
        ]
    }))
    .unwrap();
    store.import(&data).unwrap();
    let m = &store
        .method_metrics(&MetricsScope::new(Moment::on(day("2022-01-01"))))
        .unwrap()[0];
    assert_eq!(m.median_months, None);
    assert_eq!((m.reached, m.in_use, m.on_the_way), (2, 0, 1));
    assert_eq!(m.discontinued, 1);
    // FA's pilot of 2020-01-01 is 24 months old but heard from exactly 24 months before:
    // fresh, so stalled.
    assert_eq!(m.stalled, 1, "FA's pilot of 2020-01-01 is 24 months old");
}

#[test]
fn the_current_stage_shortcut_agrees_with_reading_the_history() {
    // A stage on a past day is read from the adoption row where its current stage took
    // effect by then, and from the history otherwise. With known-at (here: later than every
    // record) the history is always read: both must agree on every cell and every count.
    let (_dir, db) = sample_copy();
    let mut store = Store::open(&db, USER).unwrap();
    store.grant_owner();
    // A retracted latest event, and a month-dated one, so both edge cases are in play.
    let (m, _) = store.find_method("FUEL").unwrap();
    let kh = unit_id(&store, "KH");
    let late = record(&mut store, m, "KH", Stage::Implemented, "2015-06");
    record(&mut store, m, "KH", Stage::Paused, "2016-02-01");
    store.retract(late, "fel månad").unwrap();
    let later: chrono::DateTime<chrono::Utc> = "2999-01-01T00:00:00Z".parse().unwrap();
    let mut checked = 0;
    for day in [
        "2002-06-30",
        "2004-01-01",
        "2005-01-01",
        "2007-01-01",
        "2010-07-01",
        "2015-05-31",
        "2015-06-01",
        "2016-01-31",
        "2016-02-01",
        "2020-01-01",
        "2024-01-01",
    ] {
        let plain = Moment::on(self::day(day));
        let known = Moment {
            known_at: Some(later),
            ..plain
        };
        assert_eq!(
            store.matrix(&plain).unwrap(),
            store.matrix(&known).unwrap(),
            "{day}"
        );
        for per in [CountPer::Method, CountPer::Unit] {
            let units: Vec<i64> = store.units().unwrap().iter().map(|u| u.id).collect();
            assert_eq!(
                store.matrix_counts(per, None, &units, &plain).unwrap(),
                store.matrix_counts(per, None, &units, &known).unwrap(),
                "{day}"
            );
        }
        let n = store.method_count("").unwrap();
        assert_eq!(
            store.method_summaries("", (0, n), &plain).unwrap(),
            store.method_summaries("", (0, n), &known).unwrap(),
            "{day}"
        );
        let cells = |moment: &Moment| store.matrix_window(&[m], &[kh], moment).unwrap();
        assert_eq!(cells(&plain), cells(&known), "{day}");
        checked += 1;
    }
    assert_eq!(checked, 11);
    // The edge itself: in February 2016 KH is paused; in mid-2015 the retracted
    // implementation does not count.
    let cell = |d: &str| {
        store
            .matrix_window(&[m], &[kh], &Moment::on(day(d)))
            .unwrap()
            .get(&(m, kh))
            .map(|c| c.stage)
    };
    assert_eq!(cell("2016-02-01"), Some(Stage::Paused));
    assert_ne!(cell("2015-07-01"), Some(Stage::Implemented));
}

#[test]
fn a_failed_import_leaves_the_change_log_its_indexes_and_its_triggers_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let count =
        |store: &Store, sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let changes = count(&store, "SELECT count(*) FROM change");
    let indexes = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'change' AND sql IS NOT NULL";
    assert_eq!(count(&store, indexes), 4);
    let data: ExportData = serde_json::from_value(serde_json::json!({
        "spridning": 1,
        "methods": [{"name": "Metod", "short_name": "M", "kind": "intervention"}],
        "events": [
            {"method": "M", "unit": "FA", "stage": "pilot", "date": "2015-01-01"},
            {"method": "M", "unit": "NOWHERE", "stage": "pilot", "date": "2015-01-01"}
        ]
    }))
    .unwrap();
    let schema = schema_of(&store);
    assert!(store.import(&data).is_err());
    assert_eq!(count(&store, "SELECT count(*) FROM change"), changes);
    assert_eq!(count(&store, indexes), 4);
    // The events' and adoptions' indexes and triggers, set aside while loading, are back.
    assert_eq!(schema_of(&store), schema);
    assert_eq!(count(&store, "SELECT count(*) FROM change_paused"), 0);
    // The triggers log again: a method added now is listed.
    store.add_method(&method("Efteråt", None)).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM change"), changes + 1);
}

/// The schema as `sqlite_master` holds it: every table, index and trigger with its SQL.
fn schema_of(store: &Store) -> Vec<(String, String, Option<String>)> {
    store
        .conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn figures_computed_in_the_background_are_the_figures() {
    let (_dir, db) = sample_copy();
    let store = Store::open(&db, USER).unwrap();
    for day in ["2010-06-30", "2026-01-01"] {
        let moment = Moment::on(day.parse().unwrap());
        for roll_up in [false, true] {
            let scope = MetricsScope {
                roll_up,
                ..MetricsScope::new(moment)
            };
            let background = store.method_metrics_in_background(&scope);
            let here = store.method_metrics(&scope).unwrap();
            assert!(!here.is_empty());
            assert_eq!(background.wait().unwrap(), here, "{day} roll-up {roll_up}");
        }
    }
}

#[test]
fn an_import_may_swap_names_with_inits_units_but_never_leaves_two_alike() {
    // A whole register (with its lineage) whose Maria-Gamla stan became AA "Aaaä" and whose
    // Katarina-Sofia then took the code MG: init's MG is the file's MG (by code) and takes
    // Katarina-Sofia's name, so init's KS is moved aside, then removed.
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let mut units: Vec<serde_json::Value> = Vec::new();
    for (code, name) in [("MG", "Katarina-Sofia"), ("AA", "Aaaä")] {
        units.push(serde_json::json!({"code": code, "name": name, "kind": "district"}));
    }
    let whole: ExportData = serde_json::from_value(serde_json::json!({
        "spridning": 1, "units": units, "lineage": []
    }))
    .unwrap();
    store.import(&whole).unwrap();
    let name_of = |store: &Store, code: &str| -> Option<String> {
        store
            .conn
            .query_row("SELECT name FROM unit WHERE code = ?1", [code], |r| {
                r.get(0)
            })
            .ok()
    };
    assert_eq!(name_of(&store, "MG").as_deref(), Some("Katarina-Sofia"));
    assert_eq!(name_of(&store, "AA").as_deref(), Some("Aaaä"));
    assert_eq!(name_of(&store, "KS"), None, "init's KS is gone");
    assert!(
        store.find_unit("Maria-Gamla stan").is_err(),
        "and init's MG's name"
    );
    // A file that only adds (no lineage) keeps init's units: the same names would clash.
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let adds: ExportData = serde_json::from_value(serde_json::json!({
        "spridning": 1,
        "units": [{"code": "MG", "name": "Katarina-Sofia", "kind": "district"}]
    }))
    .unwrap();
    let err = format!("{:#}", store.import(&adds).unwrap_err());
    assert!(
        err.contains("units[0] (MG)") && err.contains("'Katarina-Sofia' is already"),
        "{err}"
    );
    assert_eq!(
        name_of(&store, "KS").as_deref(),
        Some("Katarina-Sofia"),
        "nothing changed"
    );
    assert_eq!(name_of(&store, "MG").as_deref(), Some("Maria-Gamla stan"));
}

#[test]
fn an_import_sets_indexes_and_triggers_aside_and_brings_every_one_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    let before = schema_of(&store);
    // Events, a retraction, a confirmation and the change log: every table that is set aside.
    let data: ExportData = serde_json::from_value(serde_json::json!({
        "spridning": 1,
        "methods": [{"name": "Metod", "short_name": "M", "kind": "intervention"}],
        "events": [
            {"method": "M", "unit": "FA", "stage": "pilot", "date": "2015-01-01",
             "recorded_by": "anna", "recorded_at": "2015-01-02T10:00:00Z"},
            {"method": "m", "unit": "fa", "stage": "implemented", "date": "2016-01-01",
             "recorded_by": "bo", "recorded_at": "2016-01-02T10:00:00Z"},
            {"method": "Metod", "unit": "KH", "stage": "exploring", "date": "2016-01",
             "recorded_by": "anna", "recorded_at": "2016-02-02T10:00:00Z", "retracted": true,
             "retraction": {"reason": "fel", "at": "2016-02-03T10:00:00Z", "by": "cilla"}}
        ],
        "confirmations": [
            {"method": "M", "unit": "FA", "stage": "implemented", "date": "2017-01-01",
             "recorded_by": "dan", "recorded_at": "2017-01-01T12:00:00Z"}
        ]
    }))
    .unwrap();
    store.import(&data).unwrap();
    assert_eq!(
        schema_of(&store),
        before,
        "every index and trigger is back, unchanged"
    );
    let count = |sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    // What the bookkeeping triggers keep row by row was done once at the end.
    assert_eq!(
        count("SELECT value FROM counter WHERE name = 'events'"),
        count("SELECT count(*) FROM stage_event")
    );
    assert_eq!(count("SELECT count(*) FROM stage_event"), 3);
    assert_eq!(
        count("SELECT value FROM counter WHERE name = 'changes'"),
        count("SELECT count(*) FROM change")
    );
    for login in ["anna", "bo", "cilla", "dan"] {
        assert_eq!(
            count(&format!(
                "SELECT count(*) FROM recorder WHERE login = '{login}'"
            )),
            1,
            "{login} is among the recorders"
        );
    }
    // Both of FA's events found one adoption (by name and short name, in any case), whose
    // stage is the later one; the indexes answer as before.
    assert_eq!(count("SELECT count(*) FROM adoption"), 2);
    assert_eq!(
        store
            .conn
            .query_row(
                "SELECT a.stage FROM adoption a JOIN unit u ON u.id = a.unit_id
                 WHERE u.code = 'FA'",
                [],
                |r| r.get::<_, String>(0)
            )
            .unwrap(),
        "implemented"
    );
    let integrity: String = store
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

#[test]
fn todays_stalled_pilots_from_the_adoption_rows_agree_with_reading_the_history() {
    let (_dir, db) = sample_copy();
    let mut store = Store::open(&db, USER).unwrap();
    store.grant_owner();
    // A retracted latest pilot and a month-dated one, so the current stage must be right.
    let (m, _) = store.find_method("FUEL").unwrap();
    let late = record(&mut store, m, "KH", Stage::Pilot, "2023-06");
    record(&mut store, m, "KH", Stage::Preparing, "2022-02-01");
    record(&mut store, m, "FA", Stage::Pilot, "2021-03");
    store.retract(late, "fel").unwrap();
    // Stalled pilots are fresh ones: both are confirmed today, and so known to be stuck.
    for code in ["KH", "FA"] {
        let (unit_id, _) = store.find_unit(code).unwrap();
        store
            .confirm(&crate::domain::NewConfirmation {
                method_id: m,
                unit_id,
                date: Moment::today().day,
                note: String::new(),
            })
            .unwrap();
    }
    // A dozen more, confirmed on days in another order than their stages' since, so a
    // page read from the fresh end must order them itself.
    let today = Moment::today();
    let stale = store
        .not_heard_from(&MetricsScope::new(today), None)
        .unwrap();
    let pilots = stale.iter().filter(|s| s.stage == Stage::Pilot).take(12);
    for (i, s) in pilots.enumerate() {
        let (method_id, _) = store.find_method(&s.method).unwrap();
        let (unit_id, _) = store.find_unit(&s.unit).unwrap();
        store
            .confirm(&crate::domain::NewConfirmation {
                method_id,
                unit_id,
                date: today.day - chrono::Months::new(((i * 5) % 12) as u32),
                note: String::new(),
            })
            .unwrap();
    }
    let later: chrono::DateTime<chrono::Utc> = "2999-01-01T00:00:00Z".parse().unwrap();
    let only = [m];
    for all_units in [false, true] {
        for subset in [None, Some(&only[..])] {
            let fast = MetricsScope::new(Moment { all_units, ..today });
            let history = MetricsScope::new(Moment {
                all_units,
                known_at: Some(later),
                ..today
            });
            let a = store.stalled_of(&fast, subset).unwrap();
            let b = store.stalled_of(&history, subset).unwrap();
            assert!(!a.is_empty());
            assert_eq!(a, b, "all units: {all_units}, subset: {subset:?}");
            let a = store.not_heard_from(&fast, subset).unwrap();
            let b = store.not_heard_from(&history, subset).unwrap();
            assert_eq!(
                a, b,
                "not heard from; all units: {all_units}, subset: {subset:?}"
            );
        }
    }
    // The deck's page: the head of the same list, and the count of all of it, whichever
    // end the stage's rows are read from (0: always from the oldest `since`; a billion:
    // always all the fresh rows; the default chooses per stage).
    for limit in [1, 3, 100] {
        for subset in [None, Some(&only[..])] {
            let all = store.stalled_of(&MetricsScope::new(today), subset).unwrap();
            for read_whole in [0, 1_000_000_000] {
                let (page, total) = store
                    .stalled_top_walking(&MetricsScope::new(today), subset, limit, read_whole)
                    .unwrap();
                assert_eq!(total, all.len(), "read whole below {read_whole}");
                assert_eq!(
                    page,
                    all.iter().take(limit).cloned().collect::<Vec<_>>(),
                    "limit {limit}, read whole below {read_whole}, subset: {subset:?}"
                );
            }
            let (page, total) = store
                .stalled_top(&MetricsScope::new(today), subset, limit)
                .unwrap();
            assert_eq!((page.len(), total), (limit.min(all.len()), all.len()));
        }
    }
    assert!(
        store
            .stalled_of(&MetricsScope::new(today), Some(&only))
            .unwrap()
            .iter()
            .any(|s| s.unit == "KH" && s.stage == Stage::Preparing),
        "KH's retracted pilot leaves it preparing since 2022"
    );
}

#[test]
fn the_films_history_in_memory_gives_the_rolled_up_matrix_of_every_year() {
    let (_dir, db) = sample_copy();
    let mut store = Store::open(&db, USER).unwrap();
    store.grant_owner();
    // A retracted event, a month-dated one and one on a unit that later merged.
    let (fuel, _) = store.find_method("FUEL").unwrap();
    let late = record(&mut store, fuel, "KH", Stage::Implemented, "2015-06");
    record(&mut store, fuel, "KH", Stage::Paused, "2016-02-01");
    record(&mut store, fuel, "RK", Stage::Pilot, "2010-03");
    store.retract(late, "fel månad").unwrap();
    let methods: Vec<i64> = store.methods().unwrap().iter().map(|m| m.id).collect();
    let today = Moment::today();
    let units: Vec<i64> = store
        .matrix_units(MatrixColumns::ValidOn(today.day))
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    let history = store.film_history(&methods, &units, &today).unwrap();
    let mut inherited = 0;
    for year in 2000..=2026 {
        let day = NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap()
            .min(today.day);
        let moment = Moment { day, ..today };
        let sql = store
            .matrix_window_rolled(&methods, &units, &moment)
            .unwrap();
        let memory = history.cells(&methods, &units, day);
        inherited += sql.values().filter(|c| c.inherited()).count();
        assert_eq!(memory, sql, "{year}");
    }
    assert!(
        inherited > 0,
        "the sample has stages taken over from predecessors"
    );
}

#[test]
fn candidates_while_typing_come_by_prefix_then_word_then_spelling() {
    let (_dir, db) = sample_copy();
    let store = Store::open(&db, USER).unwrap();
    let units = |typed: &str| store.unit_candidates(typed, 3).unwrap();
    let methods = |typed: &str| store.method_candidates(typed, 3).unwrap();
    assert_eq!(units("Far")[0], ("FA".to_string(), "Farsta".to_string()));
    assert_eq!(units("frasta")[0].0, "FA", "a typo still finds it");
    assert_eq!(
        units("häg")[0].0,
        "HAE",
        "a unit of today before the ceased ones"
    );
    assert_eq!(methods("as")[0].0, "ASI");
    assert_eq!(methods("severity")[0].0, "ASI", "a word of the name");
    assert!(units("").is_empty());
    assert!(methods("zzqx").is_empty());
}

#[test]
fn the_matrix_lists_methods_in_the_order_of_the_labels_it_shows() {
    let (_dir, db) = sample_copy();
    let store = Store::open(&db, USER).unwrap();
    let keys = |labels: Vec<String>| labels.iter().map(|l| sort_key(l)).collect::<Vec<_>>();
    let window: Vec<String> = store
        .method_labels(0, 100)
        .unwrap()
        .into_iter()
        .map(|m| m.label)
        .collect();
    let mut sorted = keys(window.clone());
    sorted.sort();
    assert_eq!(keys(window.clone()), sorted, "{window:?}");
    let afso = window.iter().position(|l| l == "AFSO").unwrap();
    let asi = window.iter().position(|l| l == "ASI").unwrap();
    assert!(afso < asi, "AFSO before ASI, as they read");
    let whole: Vec<String> = store
        .matrix(&Moment::today())
        .unwrap()
        .rows
        .iter()
        .map(|(m, _)| m.label().to_string())
        .collect();
    assert_eq!(whole, window, "the command line's matrix in the same order");
    let filtered: Vec<String> = store
        .matrix_methods("", None)
        .unwrap()
        .into_iter()
        .map(|m| m.label)
        .collect();
    assert_eq!(filtered, window);
}

#[test]
fn a_reports_figures_and_curves_from_one_reading_equal_each_read_alone() {
    let (_dir, db) = sample_copy();
    let store = Store::open(&db, USER).unwrap();
    let mut every = Moment::on(day("2010-01-01"));
    every.all_units = true;
    for moment in [Moment::on(day("2010-01-01")), Moment::today(), every] {
        for roll_up in [false, true] {
            let scope = MetricsScope {
                roll_up,
                ..MetricsScope::new(moment)
            };
            let f = store.figures_and_curves(&scope, None).unwrap();
            let (methods, units, curves) = (f.methods, f.units, f.curves);
            assert_eq!(methods, store.method_metrics(&scope).unwrap());
            assert_eq!(units, store.unit_metrics(&scope).unwrap());
            assert_eq!(curves, store.adoption_curves(None, &moment).unwrap());
            assert!(methods.iter().any(|m| m.reached > 0));
            assert!(curves.values().any(|c| c.len() > 3));
            // Some methods: their figures and curves only.
            let some: Vec<i64> = methods.iter().take(3).map(|m| m.id).collect();
            let f = store.figures_and_curves(&scope, Some(&some)).unwrap();
            let (methods, curves) = (f.methods, f.curves);
            assert_eq!(
                methods,
                store.method_metrics_of(&scope, Some(&some)).unwrap()
            );
            assert!(curves.keys().all(|id| some.contains(id)));
        }
    }
}

/// A copy of the sample (as `data/sample.json` builds it) in a folder of its own.
fn sample_copy() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sample.db");
    std::fs::copy(crate::sample::pristine(), &db).unwrap();
    (dir, db)
}

/// Every message the store gives a person is a `Problem` kind, said in both languages: no
/// `bail!` or `anyhow!` with English words in `src/store/` outside tests, except where a
/// comment says `internal:` on the line before (an error no person can act on).
#[test]
fn the_store_says_every_message_as_a_problem() {
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/store"
    ))];
    let mut found = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs")
                || path.file_name().is_some_and(|n| n == "tests.rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let lines: Vec<&str> = code.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let raised = line.contains("bail!(") || line.contains("anyhow!(");
                let internal = i > 0 && lines[i - 1].trim_start().starts_with("// internal:");
                if raised && !internal {
                    found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "messages that are not Problems:\n{}",
        found.join("\n")
    );
}

#[test]
fn confirmations_in_bulk_are_logged_and_leave_every_last_heard_day_right() {
    let (_dir, db) = sample_copy();
    let mut store = Store::open(&db, USER).unwrap();
    store.grant_owner();
    let count =
        |store: &Store, sql: &str| -> i64 { store.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let stages = count(
        &store,
        "SELECT count(*) FROM adoption WHERE stage IS NOT NULL",
    );
    let changes = count(&store, "SELECT count(*) FROM change");
    let n = store.add_confirmations_bulk(3, 400).unwrap();
    assert_eq!(n as i64, stages * 3);
    assert_eq!(
        count(&store, "SELECT count(*) FROM change"),
        changes + stages * 3
    );
    // Every stage was confirmed on its own day + 1200 days at the latest (or today).
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM adoption WHERE heard <= since AND stage IS NOT NULL"
        ),
        0
    );
    assert!(store.check().unwrap().is_empty());
}

/// The sample with 1 500 more events of ASI: a filter (`asi`) matching more than a screen's
/// cap.
fn sample_with_many_changes() -> (TempDir, Store) {
    let (dir, db) = sample_copy();
    let mut store = Store::open(&db, "tester").unwrap();
    store.grant_owner();
    crate::app::testing::add_asi_events(&mut store, 1500);
    (dir, store)
}

/// A window read from the oldest end (the older half of the list) is the same rows, in the
/// same order, as one read past the offset from the newest: with no filter, a word, a person
/// and both, at the top, the middle and the very end.
#[test]
fn activity_windows_from_either_end_are_the_same_rows() {
    let (_dir, store) = sample_with_many_changes();
    for filter in ["", "asi", "by:user3", "asi by:user3", "pilot"] {
        let plan = store.activity_plan(filter).unwrap();
        let total = store.activity_count(&plan, usize::MAX).unwrap();
        assert!(total > 100, "{filter}: {total}");
        for offset in [
            0,
            1,
            total / 2 - 1,
            total / 2,
            total - 36,
            total - 35,
            total - 3,
        ] {
            let from_top: Vec<i64> = store
                .activity(&plan, offset, 35)
                .unwrap()
                .iter()
                .map(|c| c.id)
                .collect();
            let window: Vec<i64> = store
                .activity_window(&plan, (offset, 35), total)
                .unwrap()
                .iter()
                .map(|c| c.id)
                .collect();
            assert_eq!(window, from_top, "{filter} at {offset} of {total}");
        }
    }
}

/// The background count of a filter is the exact count; one that matches nothing, or no
/// filter at all, is known at once.
#[test]
fn a_filter_is_counted_exactly_on_a_connection_of_its_own() {
    let (_dir, store) = sample_with_many_changes();
    for filter in ["asi", "by:user3", "asi by:user3", "pilot", "", "zzqx"] {
        let plan = store.activity_plan(filter).unwrap();
        let exact = store.activity_count(&plan, usize::MAX).unwrap();
        let counting = store.count_activity(&plan).unwrap();
        let started = std::time::Instant::now();
        let counted = loop {
            if let Some(n) = counting.done() {
                break n.unwrap();
            }
            assert!(started.elapsed().as_secs() < 30, "{filter}: no count");
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert_eq!(counted, exact, "{filter}");
    }
    let plan = store.activity_plan("asi").unwrap();
    assert!(store.activity_count(&plan, usize::MAX).unwrap() > 1500);
}

/// What an adoption's row keeps for today's figures (`stages::milestones`) is what folding
/// its events gives, after events that lapse an in-use stage, take it up again, a
/// retraction of the first in-use event and a confirmation: on the sample, adoption by
/// adoption.
#[test]
fn kept_milestones_are_what_the_events_say() {
    let (_dir, db) = sample_copy();
    let mut store = Store::open(&db, "tester").unwrap();
    store.grant_owner();
    let (asi, _) = store.find_method("ASI").unwrap();
    let unit = unit_id(&store, "FA");
    let record = |store: &mut Store, stage: Stage, date: &str| {
        store
            .record_stage(&NewEvent {
                method_id: asi,
                unit_id: unit,
                stage,
                date: date.parse().unwrap(),
                note: String::new(),
                source: String::new(),
            })
            .unwrap()
    };
    let first_in_use = record(&mut store, Stage::Implemented, "2015-03");
    record(&mut store, Stage::Paused, "2016-01-10");
    record(&mut store, Stage::Pilot, "2012-05-01");
    record(&mut store, Stage::Implemented, "2018-02-01");
    store.retract(first_in_use, "fel år").unwrap();
    store
        .confirm(&crate::domain::NewConfirmation {
            method_id: asi,
            unit_id: unit,
            date: "2020-01-01".parse().unwrap(),
            note: String::new(),
        })
        .unwrap();
    let kept = store.own_standings(&Moment::today(), None, false).unwrap();
    // Known now: the same day, read from the events.
    let read = Moment {
        known_at: Some(chrono::Utc::now() + chrono::Duration::seconds(5)),
        ..Moment::today()
    };
    let folded = store.own_standings(&read, None, false).unwrap();
    assert_eq!(kept.len(), folded.len());
    let fields = |s: &super::metrics::Standing| {
        (
            s.stage,
            s.since,
            s.first_pilot,
            s.first_in_use,
            s.lapsed_since_in_use,
            s.heard,
        )
    };
    for (key, s) in &folded {
        assert_eq!(fields(&kept[key]), fields(s), "{key:?}");
    }
    // With 2015's use retracted: first a pilot in 2012, first in use in 2018, and the
    // 2016 pause came before that use, so it did not lapse.
    let fa = &kept[&(asi, unit)];
    assert_eq!(fa.first_pilot, Some("2012-05-01".parse().unwrap()));
    assert_eq!(fa.first_in_use, Some("2018-02-01".parse().unwrap()));
    assert!(!fa.lapsed_since_in_use);
    // Paused after 2018's use: lapsed.
    record(&mut store, Stage::Paused, "2019-06-01");
    let kept = store.own_standings(&Moment::today(), None, false).unwrap();
    assert!(kept[&(asi, unit)].lapsed_since_in_use);
    assert_eq!(kept[&(asi, unit)].stage, Stage::Paused);
}

/// Today's counts per method over most units (every unit counted, the few left out taken
/// away) and over a few (the units listed) equal the counts over each unit alone added up,
/// with and without the stale left out, for every method and for some.
#[test]
fn counts_per_method_over_most_units_equal_the_units_added_up() {
    let (_dir, db) = sample_copy();
    let store = Store::open(&db, USER).unwrap();
    type Flat = std::collections::BTreeMap<(i64, usize), u32>;
    let flat = |counts: &std::collections::HashMap<i64, crate::domain::StageCounts>| {
        let mut out = Flat::new();
        for (m, c) in counts {
            for stage in Stage::ALL {
                *out.entry((*m, stage.index())).or_default() += c[stage];
            }
            *out.entry((*m, 99)).or_default() += c.stale;
        }
        out.retain(|_, n| *n > 0);
        out
    };
    let all: Vec<i64> = store.units().unwrap().iter().map(|u| u.id).collect();
    let some: Vec<i64> = store
        .methods()
        .unwrap()
        .iter()
        .step_by(3)
        .map(|m| m.id)
        .collect();
    let today = Moment::today();
    // Three units with stages left out: the count takes them away from every unit's.
    let with_stages: Vec<i64> = all
        .iter()
        .copied()
        .filter(|u| {
            !store
                .matrix_counts(CountPer::Method, None, &[*u], &today)
                .unwrap()
                .is_empty()
        })
        .collect();
    assert!(with_stages.len() > 6);
    let most: Vec<i64> = all
        .iter()
        .copied()
        .filter(|u| !with_stages[..3].contains(u))
        .collect();
    let few = with_stages[3..6].to_vec();
    let mut checked = 0;
    for units in [&all, &most, &few] {
        for current_only in [false, true] {
            let moment = Moment {
                current_only,
                fresh_months: 12,
                ..Moment::today()
            };
            assert!(moment.is_current());
            for methods in [None, Some(&some[..])] {
                let together = flat(
                    &store
                        .matrix_counts(CountPer::Method, methods, units, &moment)
                        .unwrap(),
                );
                let mut one_by_one = Flat::new();
                for unit in units {
                    let counts = store
                        .matrix_counts(CountPer::Method, methods, &[*unit], &moment)
                        .unwrap();
                    for (key, n) in flat(&counts) {
                        *one_by_one.entry(key).or_default() += n;
                    }
                }
                assert!(!together.is_empty());
                assert_eq!(
                    together,
                    one_by_one,
                    "{} units, current only {current_only}",
                    units.len()
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 12);
    // The units left out are not counted.
    let most = flat(
        &store
            .matrix_counts(CountPer::Method, None, &most, &today)
            .unwrap(),
    );
    let every = flat(
        &store
            .matrix_counts(CountPer::Method, None, &all, &today)
            .unwrap(),
    );
    assert!(most.values().sum::<u32>() < every.values().sum::<u32>());
}

// --- natural order ----------------------------------------------------------------------

#[test]
fn sort_keys_put_numbers_in_natural_order_and_swedish_letters_last() {
    let mut names = vec![
        "M10",
        "M2",
        "M1",
        "M100",
        "m3",
        "Område 10",
        "Område 9",
        "Öppen",
        "Äldre",
        "Åtgärd",
        "Zeta",
        "M02",
        "a",
        "M",
    ];
    names.sort_by_cached_key(|n| sort_key(n));
    assert_eq!(
        names,
        [
            "a",
            "M",
            "M1",
            "M2",
            "M02",
            "m3",
            "M10",
            "M100",
            "Område 9",
            "Område 10",
            "Zeta",
            "Åtgärd",
            "Äldre",
            "Öppen"
        ]
    );
    // A number longer than any other sorts after them, not by its first digit.
    assert!(sort_key("x 123456789012") > sort_key("x 99"));
    assert_eq!(
        sort_key("M007"),
        sort_key("M7"),
        "leading zeros do not count"
    );
    // A run's length, then its digits, then what follows; a run of zeros is one zero.
    assert_eq!(sort_key("M007x10Ä"), "m017x0210|");
    assert_eq!(sort_key("a000b"), "a010b");
    assert!(sort_key("M2b") < sort_key("M10"));
    // Comparing two names without their keys gives the keys' order.
    let all = [
        "M10",
        "M2",
        "m3",
        "Område 10",
        "Öppen",
        "Äldre",
        "Åtgärd",
        "M02",
        "a",
        "M",
        "ẞ",
        "İx",
        "x 123456789012",
        "x 99",
        "0",
        "00",
        "",
    ];
    for a in all {
        for b in all {
            assert_eq!(
                natural_cmp(a, b),
                sort_key(a).cmp(&sort_key(b)),
                "{a} / {b}"
            );
        }
    }
}

#[test]
fn methods_units_and_people_are_listed_in_natural_order_also_after_an_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let mut store = new_store(&dir);
    for name in ["Metod 10", "Metod 2", "Metod 1"] {
        store.add_method(&method(name, None)).unwrap();
    }
    for code in ["E10", "E2"] {
        store
            .add_unit(&UnitInput {
                code: code.into(),
                name: format!("Enhet {}", &code[1..]),
                kind: crate::domain::UnitKind::Partner,
                ..Default::default()
            })
            .unwrap();
    }
    for login in ["user10", "user2"] {
        store.add_user(login, "viewer", &[]).unwrap();
    }
    let listed = |store: &Store| {
        let methods: Vec<String> = store
            .methods()
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect();
        let labels: Vec<String> = store
            .method_labels(0, 10)
            .unwrap()
            .into_iter()
            .map(|m| m.label)
            .collect();
        let units: Vec<String> = store
            .units()
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .filter(|n| n.starts_with("Enhet"))
            .collect();
        let users: Vec<String> = store
            .users()
            .unwrap()
            .into_iter()
            .map(|u| u.login)
            .filter(|l| l.starts_with("user"))
            .collect();
        (methods, labels, units, users)
    };
    let natural = (
        vec!["Metod 1".to_string(), "Metod 2".into(), "Metod 10".into()],
        vec!["Metod 1".to_string(), "Metod 2".into(), "Metod 10".into()],
        vec!["Enhet 2".to_string(), "Enhet 10".into()],
        vec!["user2".to_string(), "user10".into()],
    );
    assert_eq!(listed(&store), natural);
    // A database written before schema 15 kept text-order keys: the upgrade writes them again.
    drop(store);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "UPDATE method SET sort_key = lower(name), label_key = lower(name);
             UPDATE unit SET sort_key = lower(name);
             PRAGMA user_version = 14;",
        )
        .unwrap();
    }
    let store = Store::open(&path, USER).unwrap();
    assert_eq!(listed(&store), natural);
}
