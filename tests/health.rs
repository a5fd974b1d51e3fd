//! `spridning check` finds what is wrong with a database (each corruption made here with a
//! plain SQLite connection, as anyone with the file could), and `spridning backup` makes a
//! sound copy while someone keeps recording.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};
use serde_json::Value;

use common::{Sandbox, stdout_of};

impl Sandbox {
    /// `spridning init db.db`, two methods (M1, M2) and three sound events:
    /// M1/KH pilot 2023-05-01, M1/KH implemented 2024-02, M2/FA preparing 2022-03-15.
    fn small() -> Sandbox {
        let sb = Sandbox::init();
        std::fs::write(
            sb.path("methods.json"),
            r#"{"spridning": 1, "methods": [
                {"name": "Metod 1", "short_name": "M1", "kind": "intervention"},
                {"name": "Metod 2", "short_name": "M2", "kind": "instrument"}]}"#,
        )
        .expect("write methods.json");
        sb.ok(&["import", "methods.json"]);
        for (method, unit, stage, date) in [
            ("M1", "KH", "pilot", "2023-05-01"),
            ("M1", "KH", "implemented", "2024-02"),
            ("M2", "FA", "preparing", "2022-03-15"),
        ] {
            sb.ok(&[
                "adopt", "--method", method, "--unit", unit, "--stage", stage, "--date", date,
                "--note", "sound",
            ]);
        }
        sb.check_ok();
        sb
    }

    /// The number of events in the database at `db` (relative to the sandbox).
    fn events_in(&self, db: &str) -> usize {
        let text = stdout_of(self.run(&["--db", db, "history", "--format", "json"]));
        let v: Value = serde_json::from_str(&text).expect("history JSON");
        v.as_array().expect("an array").len()
    }

    /// A plain SQLite connection, as `sqlite3` would open it: no foreign keys.
    fn raw(&self) -> Connection {
        let conn = Connection::open(self.db()).expect("open raw");
        conn.execute_batch("PRAGMA foreign_keys = OFF;")
            .expect("foreign keys off");
        conn
    }
}

/// Runs `check`, which must fail with exactly `wanted` lines on stdout (each starting with
/// one of the prefixes, in any order) and one last line on stderr counting them.
fn check_finds(sb: &Sandbox, wanted: &[String]) {
    let out = sb.spr(&["check"]);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 stdout");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
    assert_eq!(
        out.status.code(),
        Some(1),
        "check should fail\nstdout: {stdout}\nstderr: {stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        wanted.len(),
        "expected {wanted:#?}\ngot {stdout}"
    );
    for w in wanted {
        assert!(
            lines.iter().any(|l| l.starts_with(w.as_str())),
            "no line starting {w:?} in:\n{stdout}"
        );
    }
    for text in [&stdout, &stderr] {
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "control characters reached the output: {text:?}"
        );
    }
    let err_lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(err_lines.len(), 1, "not one line on stderr: {stderr:?}");
    let last = err_lines[0];
    assert!(last.starts_with("spridning: "), "{last}");
    assert!(
        last.contains(&format!("{} problems found", wanted.len())),
        "{last}"
    );
}

fn adoption_of(conn: &Connection, method: &str, unit: &str) -> i64 {
    conn.query_row(
        "SELECT a.id FROM adoption a JOIN method m ON m.id = a.method_id
         JOIN unit u ON u.id = a.unit_id WHERE m.short_name = ?1 AND u.code = ?2",
        [method, unit],
        |r| r.get(0),
    )
    .expect("adoption")
}

fn id_of(conn: &Connection, sql: &str, args: &[&str]) -> i64 {
    conn.query_row(sql, rusqlite::params_from_iter(args), |r| r.get(0))
        .expect("id")
}

// --- corruptions, one at a time ----------------------------------------------------------

/// The cached stage of M1/KH says sustained; its latest event says implemented.
fn stale_stage(conn: &Connection) -> String {
    let a = adoption_of(conn, "M1", "KH");
    conn.execute("UPDATE adoption SET stage = 'sustained' WHERE id = ?1", [a])
        .unwrap();
    format!("adoption {a}: current stage sustained but its latest event says implemented")
}

/// The kept first day in use of M1/KH (its events say 2020-01-01 or so) moved a year back.
fn stale_milestones(conn: &Connection) -> String {
    let a = adoption_of(conn, "M1", "KH");
    let changed = conn
        .execute(
            "UPDATE adoption SET first_in_use = '1999-01-01' WHERE id = ?1 AND first_in_use IS NOT NULL",
            [a],
        )
        .unwrap();
    assert_eq!(changed, 1, "M1/KH has been in use");
    format!("adoption {a}: its first pilot, first use or lapse does not agree with its events")
}

/// An adoption (M2/NM) without a single event.
fn adoption_without_events(conn: &Connection) -> String {
    conn.execute(
        "INSERT INTO adoption (method_id, unit_id, created_at, created_by, updated_at, updated_by)
         VALUES ((SELECT id FROM method WHERE short_name = 'M2'),
                 (SELECT id FROM unit WHERE code = 'NM'),
                 '2024-01-01T00:00:00Z', 'raw', '2024-01-01T00:00:00Z', 'raw')",
        [],
    )
    .unwrap();
    format!("adoption {} has no events", conn.last_insert_rowid())
}

/// An event for Vantör (VA, until 2006-12-31) dated 2015-01-01, with its adoption kept in step
/// so that the date is the only thing wrong.
fn event_when_unit_did_not_exist(conn: &Connection) -> String {
    conn.execute(
        "INSERT INTO adoption (method_id, unit_id, created_at, created_by, updated_at, updated_by)
         VALUES ((SELECT id FROM method WHERE short_name = 'M1'),
                 (SELECT id FROM unit WHERE code = 'VA'),
                 '2024-01-01T00:00:00Z', 'raw', '2024-01-01T00:00:00Z', 'raw')",
        [],
    )
    .unwrap();
    let a = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO stage_event (adoption_id, stage, effective, note, source, recorded_at, recorded_by)
         VALUES (?1, 'pilot', '2015-01-01', 'efter Vantörs tid', '', '2024-01-01T00:00:00Z', 'raw')",
        [a],
    )
    .unwrap();
    let e = conn.last_insert_rowid();
    conn.execute(
        "UPDATE adoption SET stage = 'pilot', since = '2015-01-01', heard = '2015-01-01',
                             first_pilot = '2015-01-01', current_event_id = ?2
         WHERE id = ?1",
        params![a, e],
    )
    .unwrap();
    format!("event {e}: unit VA (Vantör) did not exist on 2015-01-01")
}

/// An older event for M2/FA whose note clears the screen; the adoption's current stage is
/// still its latest event, so the note is the only thing wrong.
fn escape_in_note(conn: &Connection) -> String {
    let a = adoption_of(conn, "M2", "FA");
    conn.execute(
        "INSERT INTO stage_event (adoption_id, stage, effective, note, source, recorded_at, recorded_by)
         VALUES (?1, 'exploring', '2021-06', 'rensa \x1b[2J skärmen', '', '2024-01-01T00:00:00Z', 'raw')",
        [a],
    )
    .unwrap();
    format!(
        "event {}: note holds a forbidden character (U+001B)",
        conn.last_insert_rowid()
    )
}

#[test]
fn check_passes_on_the_sample() {
    let sb = Sandbox::sample();
    let out = sb.ok(&["check"]);
    assert!(out.starts_with("ok:"), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn check_finds_an_adoption_whose_stage_is_not_its_latest_event() {
    let sb = Sandbox::small();
    let line = stale_stage(&sb.raw());
    check_finds(&sb, &[line]);
}

#[test]
fn check_finds_an_adoption_whose_kept_milestones_are_not_its_events() {
    let sb = Sandbox::small();
    let line = stale_milestones(&sb.raw());
    check_finds(&sb, &[line]);
}

#[test]
fn check_finds_an_adoption_without_events() {
    let sb = Sandbox::small();
    let line = adoption_without_events(&sb.raw());
    check_finds(&sb, &[line]);
}

#[test]
fn check_finds_an_event_dated_when_its_unit_did_not_exist() {
    let sb = Sandbox::small();
    let line = event_when_unit_did_not_exist(&sb.raw());
    check_finds(&sb, &[line]);
}

#[test]
fn check_finds_an_escape_sequence_in_a_note_and_does_not_print_it() {
    let sb = Sandbox::small();
    let line = escape_in_note(&sb.raw());
    check_finds(&sb, &[line]);
}

#[test]
fn check_finds_all_problems_at_once_and_counts_them() {
    let sb = Sandbox::small();
    let conn = sb.raw();
    let lines = vec![
        stale_stage(&conn),
        adoption_without_events(&conn),
        event_when_unit_did_not_exist(&conn),
        escape_in_note(&conn),
    ];
    drop(conn);
    check_finds(&sb, &lines);
}

#[test]
fn check_finds_a_stage_outside_the_vocabulary() {
    // Only possible with both foreign keys and CHECK constraints switched off.
    let sb = Sandbox::small();
    let conn = sb.raw();
    conn.execute_batch("PRAGMA ignore_check_constraints = ON;")
        .unwrap();
    let a = adoption_of(&conn, "M2", "FA");
    conn.execute("UPDATE adoption SET stage = 'finished' WHERE id = ?1", [a])
        .unwrap();
    let fk = id_of(&conn, "SELECT count(*) FROM pragma_foreign_key_check", &[]);
    assert_eq!(fk, 1, "the corruption is a dangling stage reference");
    drop(conn);
    let out = sb.spr(&["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("adoption {a}: current stage finished")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "foreign key: adoption row {a} refers to a missing stage"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("integrity: CHECK constraint failed in adoption"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("3 problems found"), "{stderr}");
}

/// An older event for M2/FA on a day that does not exist (the column's GLOB accepts it).
fn impossible_date(conn: &Connection) -> String {
    let a = adoption_of(conn, "M2", "FA");
    conn.execute(
        "INSERT INTO stage_event (adoption_id, stage, effective, note, source, recorded_at, recorded_by)
         VALUES (?1, 'exploring', '2021-02-30', '', '', '2024-01-01T00:00:00Z', 'raw')",
        [a],
    )
    .unwrap();
    format!("event {}", conn.last_insert_rowid())
}

#[test]
fn check_finds_an_event_on_a_day_that_does_not_exist() {
    let sb = Sandbox::small();
    let line = impossible_date(&sb.raw());
    check_finds(&sb, &[line]);
}

#[test]
fn check_finds_escape_sequences_in_other_text_fields() {
    let sb = Sandbox::small();
    let conn = sb.raw();
    conn.execute(
        "UPDATE method SET target_group = 'rensa \x1b[2J' WHERE short_name = 'M2'",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE unit SET name = 'Kungs\x1b[2Jholmen' WHERE code = 'KH'",
        [],
    )
    .unwrap();
    drop(conn);
    check_finds(
        &sb,
        &["method 'Metod 2'".to_string(), "unit KH".to_string()],
    );
}

// --- backup --------------------------------------------------------------------------------

#[test]
fn backup_while_someone_keeps_recording_is_a_sound_copy_of_a_moment() {
    let sb = Arc::new(Sandbox::small());
    let stop = Arc::new(AtomicBool::new(false));
    let recorded = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (sb, stop, recorded) = (Arc::clone(&sb), Arc::clone(&stop), Arc::clone(&recorded));
        std::thread::spawn(move || {
            let mut failures = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let note = format!("under backup {i}");
                let date = format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
                let unit = ["KH", "SN", "FA", "BR"][i % 4];
                let out = sb.spr(&[
                    "adopt", "--method", "M1", "--unit", unit, "--stage", "pilot", "--date", &date,
                    "--note", &note,
                ]);
                if out.status.success() && out.stderr.is_empty() {
                    recorded.fetch_add(1, Ordering::SeqCst);
                } else {
                    failures.push(format!(
                        "{note}: {} {}",
                        out.status,
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
                i += 1;
            }
            failures
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while recorded.load(Ordering::SeqCst) < 20 {
        assert!(Instant::now() < deadline, "the writer does not get going");
        std::thread::sleep(Duration::from_millis(10));
    }
    let before = sb.events_in("db.db");
    let backup = sb.spr(&["backup", "copy.db"]);
    let after = sb.events_in("db.db");
    // Keep writing a little after the backup too, then stop.
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::SeqCst);
    let failures = writer.join().expect("writer thread");
    assert!(failures.is_empty(), "writes failed: {failures:#?}");

    let said = stdout_of(backup);
    let copied = sb.events_in("copy.db");
    assert!(
        said.starts_with("backed up to copy.db (") && said.contains(&format!("({copied} events)")),
        "{said}"
    );
    assert!(
        before <= copied && copied <= after,
        "{before} events before, {copied} in the copy, {after} after"
    );
    assert!(before >= 3 + 20, "{before}");
    let checked = stdout_of(sb.run(&["--db", "copy.db", "check"]));
    assert!(checked.starts_with("ok:"), "{checked}");
    sb.check_ok();
    assert_eq!(
        sb.events_in("db.db"),
        3 + recorded.load(Ordering::SeqCst),
        "an acknowledged write is missing"
    );
}

#[test]
fn backup_refuses_an_existing_destination_and_leaves_it_unchanged() {
    let sb = Sandbox::small();
    let dest = sb.path("taken.db");
    std::fs::write(&dest, "someone else's file\n").unwrap();
    let out = sb.spr(&["backup", "taken.db"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr:?}");
    assert!(stderr.starts_with("spridning: "), "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&dest).unwrap(),
        "someone else's file\n"
    );
    // And a backup over the database itself is refused the same way.
    let before = std::fs::read(sb.db()).unwrap();
    let out = sb.spr(&["backup", "db.db"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(sb.db()).unwrap(), before);
    sb.check_ok();
}

#[test]
fn backup_of_a_missing_database_says_how_to_create_one() {
    let sb = Sandbox::bare();
    let out = sb.spr(&["backup", "copy.db"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr:?}");
    assert!(stderr.contains("spridning init"), "{stderr}");
    assert!(!sb.db().exists(), "a database was created");
    assert!(!sb.path("copy.db").exists(), "a copy was created");
}

#[test]
fn backup_into_a_folder_names_copies_by_time_and_keeps_the_newest() {
    let sb = Sandbox::small();
    let dir = sb.path("backups");
    std::fs::create_dir(&dir).unwrap();
    // Two older copies of this database, one of another, and a file of the admin's own.
    for name in [
        "db-20240101T031500Z.db",
        "db-20250101T031500Z.db",
        "other-20200101T031500Z.db",
        "README.txt",
    ] {
        std::fs::write(dir.join(name), "old\n").unwrap();
    }
    let said = stdout_of(sb.spr(&["backup", "--into", "backups", "--keep", "2"]));
    let mut lines = said.lines();
    let first = lines.next().unwrap_or_default();
    assert!(first.starts_with("backed up to backups/db-"), "{said}");
    assert_eq!(
        lines.collect::<Vec<_>>(),
        ["removed the old backup backups/db-20240101T031500Z.db"],
        "{said}"
    );
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left.len(), 4, "{left:?}");
    assert_eq!(left[0], "README.txt");
    assert_eq!(left[1], "db-20250101T031500Z.db");
    assert!(
        left[2].starts_with("db-20") && left[2].ends_with("Z.db"),
        "{left:?}"
    );
    assert_eq!(left[3], "other-20200101T031500Z.db");
    let copy = format!("backups/{}", left[2]);
    assert!(stdout_of(sb.run(&["--db", &copy, "check"])).starts_with("ok:"));

    // A missing folder, or --keep without --into, is one line and writes nothing.
    for args in [
        &["backup", "--into", "nowhere", "--keep", "2"][..],
        &["backup", "copy.db", "--keep", "2"][..],
        &["backup", "--into", "backups", "--keep", "0"][..],
        &["backup"][..],
    ] {
        let out = sb.spr(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_ne!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!sb.path("copy.db").exists(), "{args:?}");
        assert!(!sb.path("nowhere").exists(), "{args:?}");
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 4);
}
