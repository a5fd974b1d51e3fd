//! `spridning restore BACKUP`: the backup's content comes back whole, through the open
//! database, while other processes keep it open and keep writing; the replaced state is kept;
//! every bad backup and every refused person gets one line and changes nothing.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde_json::Value;

use common::{Sandbox, Tty, one_line_failure, stdout_of};

impl Sandbox {
    /// `spridning init db.db`, two methods (M1, M2) and three events.
    fn small() -> Sandbox {
        let sb = Sandbox::init();
        sb.write(
            "methods.json",
            r#"{"spridning": 1, "methods": [
                {"name": "Metod 1", "short_name": "M1", "kind": "intervention"},
                {"name": "Metod 2", "short_name": "M2", "kind": "instrument"}]}"#,
        );
        sb.ok(&["import", "methods.json"]);
        for (method, unit, stage, date) in [
            ("M1", "KH", "pilot", "2023-05-01"),
            ("M1", "KH", "implemented", "2024-02"),
            ("M2", "FA", "preparing", "2022-03-15"),
        ] {
            sb.adopt(method, unit, stage, date, "före säkerhetskopian");
        }
        sb
    }

    fn adopt(&self, method: &str, unit: &str, stage: &str, date: &str, note: &str) {
        self.ok(&[
            "adopt", "--method", method, "--unit", unit, "--stage", stage, "--date", date,
            "--note", note,
        ]);
    }

    /// `history --format json` of the database `db` (relative to the sandbox).
    fn history_of(&self, db: &str) -> Vec<Value> {
        let text = stdout_of(self.run(&["--db", db, "history", "--format", "json"]));
        match serde_json::from_str(&text) {
            Ok(Value::Array(events)) => events,
            other => panic!("history is not a JSON array: {other:?}\n{text}"),
        }
    }

    /// The notes of the events of `db`.
    fn notes_of(&self, db: &str) -> Vec<String> {
        self.history_of(db)
            .iter()
            .map(|e| e["note"].as_str().expect("a note").to_string())
            .collect()
    }

    /// The one file the restore kept, by the name it said.
    fn kept_from(&self, said: &str) -> String {
        let (_, rest) = said
            .split_once("the previous state is kept in ")
            .unwrap_or_else(|| panic!("no kept copy named: {said}"));
        let kept = rest.trim().to_string();
        assert!(
            kept.starts_with("db.db.before-restore-") && kept.ends_with("Z.db"),
            "{kept}"
        );
        assert!(self.path(&kept).is_file(), "{kept} is not there");
        kept
    }

    /// Every file in the sandbox but the database's own.
    fn others(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                !matches!(
                    n.as_str(),
                    "db.db" | "db.db-wal" | "db.db-shm" | "methods.json"
                )
            })
            .collect();
        v.sort();
        v
    }
}

fn exported(sb: &Sandbox, db: &str) -> String {
    stdout_of(sb.run(&["--db", db, "export", "--format", "json"]))
}

/// A connection as another program holds it: WAL, reading now and then.
fn holder(sb: &Sandbox) -> Connection {
    let conn = Connection::open(sb.db()).expect("open");
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    conn
}

fn data_version(conn: &Connection) -> i64 {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
        .expect("data_version")
}

fn count_events(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM stage_event", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn restore_brings_back_exactly_the_backup_and_keeps_what_it_replaced() {
    let sb = Sandbox::small();
    std::fs::set_permissions(sb.db(), std::fs::Permissions::from_mode(0o640)).unwrap();
    sb.ok(&["title", "Före"]);
    let at_backup = exported(&sb, "db.db");
    let said = sb.ok(&["backup", "bk.db"]);
    assert!(said.contains("(3 events)"), "{said}");
    let backup_bytes = std::fs::read(sb.path("bk.db")).unwrap();
    // Changes after the backup, of every kind: events, a retraction, the title, a user.
    sb.adopt("M2", "FA", "pilot", "2023-01", "efter säkerhetskopian");
    sb.adopt("M1", "SN", "exploring", "2023-02", "efter säkerhetskopian");
    sb.ok(&["retract", "1", "--reason", "fel"]);
    sb.ok(&["title", "Efter"]);
    sb.ok(&["user", "add", "bertil", "--role", "viewer"]);
    let before_restore = exported(&sb, "db.db");
    assert_ne!(before_restore, at_backup);

    let said = sb.ok(&["restore", "bk.db"]);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.starts_with("restored bk.db into db.db (3 events); "),
        "{said}"
    );
    let kept = sb.kept_from(&said);
    sb.check_ok();
    assert_eq!(
        exported(&sb, "db.db"),
        at_backup,
        "not the backup's content"
    );
    assert_eq!(sb.ok(&["title"]).trim(), "Före");
    assert_eq!(
        sb.notes_of("db.db"),
        ["före säkerhetskopian"; 3],
        "exactly the backup's events"
    );
    // The backup itself is untouched, and nothing appeared beside it.
    assert_eq!(std::fs::read(sb.path("bk.db")).unwrap(), backup_bytes);
    assert_eq!(sb.others(), vec!["bk.db".to_string(), kept.clone()]);
    // The kept copy holds the replaced state, sound, no wider than the database.
    let out = sb.run(&["--db", &kept, "check"]);
    assert!(stdout_of(out).starts_with("ok:"));
    assert_eq!(exported(&sb, &kept), before_restore);
    let mode = std::fs::metadata(sb.path(&kept))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode & !0o640, 0, "the kept copy is {mode:o}");
    // Recording goes on as before.
    sb.adopt("M2", "FA", "pilot", "2023-03", "efter återläsningen");
    sb.check_ok();
    assert_eq!(sb.notes_of("db.db").len(), 4);
}

#[test]
fn restore_with_no_keep_keeps_nothing_and_an_older_backup_is_upgraded() {
    let sb = Sandbox::small();
    sb.ok(&["backup", "bk.db"]);
    let at_backup = exported(&sb, "db.db");
    // The backup as the previous schema wrote it: no label keys.
    let old = Connection::open(sb.path("bk.db")).unwrap();
    old.execute_batch(
        "DROP TABLE user_key; DROP INDEX stage_event_by_effective; ALTER TABLE adoption DROP COLUMN first_pilot;
         ALTER TABLE adoption DROP COLUMN first_in_use; ALTER TABLE adoption DROP COLUMN lapsed;
         DROP TABLE round_answer; DROP TABLE round_method; DROP TABLE round_unit;
         DROP TABLE round; DROP TABLE confirmation_retraction; DROP TABLE confirmation;
         DROP INDEX adoption_by_heard; DROP INDEX adoption_by_method; DROP INDEX adoption_by_unit;
         DROP INDEX adoption_by_stage; DROP INDEX adoption_by_stage_heard;
         ALTER TABLE adoption DROP COLUMN heard;
         CREATE INDEX adoption_by_method ON adoption (method_id, stage, since, unit_id);
         CREATE INDEX adoption_by_unit ON adoption (unit_id, stage, since);
         CREATE INDEX adoption_by_stage ON adoption (stage, since);
         DROP INDEX method_by_label; ALTER TABLE method DROP COLUMN label_key;
         PRAGMA user_version = 8; PRAGMA journal_mode = DELETE;",
    )
    .unwrap();
    drop(old);
    sb.adopt("M2", "FA", "pilot", "2023-01", "efter säkerhetskopian");
    let said = sb.ok(&["restore", "bk.db", "--no-keep"]);
    assert_eq!(
        said.trim(),
        "restored bk.db into db.db (3 events, upgraded from schema version 8); the previous state was not kept (--no-keep)"
    );
    assert_eq!(sb.others(), ["bk.db"]);
    sb.check_ok();
    assert_eq!(exported(&sb, "db.db"), at_backup);
    // The matrix orders by the label keys the upgrade filled in.
    let matrix = sb.ok(&["matrix", "--format", "csv"]);
    let rows: Vec<&str> = matrix.lines().skip(1).map(|l| &l[..2]).collect();
    assert_eq!(rows, ["M1", "M2"], "{matrix}");
}

/// The issue's repro: a terminal app open, so the `-wal` holds frames; a backup; more
/// records; then the restore. (`cp bk.db db.db` here damaged the database.)
#[test]
fn restore_while_an_app_holds_the_write_ahead_log_leaves_a_sound_database_it_sees() {
    let sb = Sandbox::small();
    let mut tty = Tty::start(&sb.db(), &["--lang", "en"]);
    tty.wait_for("Methods 1–");
    tty.go_to("Activity");
    tty.wait_for("Activity 1–");
    let reader = holder(&sb);
    sb.adopt("M1", "SN", "exploring", "2023-02", "i loggen");
    sb.ok(&["backup", "bk.db"]);
    sb.adopt("M2", "FA", "pilot", "2023-01", "efter kopian");
    tty.wait_for("efter kopian");
    let wal = std::fs::metadata(sb.path("db.db-wal")).map_or(0, |m| m.len());
    assert!(wal > 0, "the write-ahead log holds no frames");
    let (version, count) = (data_version(&reader), count_events(&reader));
    assert_eq!(count, 5);

    let said = sb.ok(&["restore", "bk.db"]);
    assert!(said.contains("(4 events)"), "{said}");
    sb.check_ok();
    // Another connection sees the restore on its next read.
    assert_ne!(
        data_version(&reader),
        version,
        "data_version did not change"
    );
    assert_eq!(count_events(&reader), 4);
    let ok: String = reader
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    // The app drops the replaced record within a poll or two, and keeps working.
    let deadline = Instant::now() + Duration::from_secs(3);
    while tty.screen().contains("efter kopian") {
        assert!(
            Instant::now() < deadline,
            "the app still shows the replaced record:\n{}",
            tty.screen()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    sb.adopt("M2", "FA", "implemented", "2024-01", "efter återläsningen");
    tty.wait_for_within("efter återläsningen", Duration::from_secs(2));
    let screen = tty.screen();
    for bad in ["malformed", "damaged", "Error code"] {
        assert!(!screen.contains(bad), "{bad}:\n{screen}");
    }
    tty.send("q");
    assert!(tty.wait_exit().success());
    drop(reader);
    sb.check_ok();
    assert_eq!(sb.notes_of("db.db").len(), 5);
}

/// What one writer did: the note, when the command started and ended, and whether it said
/// the event was recorded.
struct Write {
    note: String,
    started: Instant,
    ended: Instant,
    recorded: bool,
    stderr: String,
}

/// Several processes record, and another connection reads, all through a restore. Every
/// acknowledged write is in exactly one of the kept copy (before the restore took the lock)
/// and the restored database (after), none is lost or doubled, and the database holds the
/// backup's events plus only those written after.
#[test]
fn restore_under_load_loses_no_acknowledged_write_and_keeps_the_rest_out() {
    const WRITERS: usize = 3;
    let sb = Arc::new(Sandbox::small());
    sb.ok(&["backup", "bk.db"]);
    let backup = sb.history_of("db.db");
    sb.adopt("M2", "FA", "pilot", "2023-01", "efter kopian");

    let stop = Arc::new(AtomicBool::new(false));
    let stop_reading = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(Mutex::new(Vec::<Write>::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|k| {
            let (sb, stop, writes) = (Arc::clone(&sb), Arc::clone(&stop), Arc::clone(&writes));
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let note = format!("skrivare {k} nr {i}");
                    let date = format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
                    let (method, unit) = [("M1", "KH"), ("M2", "FA"), ("M1", "SN")][k % 3];
                    let started = Instant::now();
                    let out = sb.spr(&[
                        "adopt", "--method", method, "--unit", unit, "--stage", "pilot", "--date",
                        &date, "--note", &note,
                    ]);
                    let ended = Instant::now();
                    writes.lock().unwrap().push(Write {
                        note,
                        started,
                        ended,
                        recorded: out.status.success()
                            && String::from_utf8_lossy(&out.stdout).starts_with("recorded event"),
                        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                    });
                    i += 1;
                }
            })
        })
        .collect();
    let reader = {
        let (sb, stop) = (Arc::clone(&sb), Arc::clone(&stop_reading));
        std::thread::spawn(move || {
            let conn = holder(&sb);
            let mut versions = BTreeSet::new();
            while !stop.load(Ordering::SeqCst) {
                versions.insert(data_version(&conn));
                count_events(&conn);
                std::thread::sleep(Duration::from_millis(5));
            }
            let ok: String = conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            (versions.len(), count_events(&conn), ok)
        })
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while writes.lock().unwrap().len() < 10 * WRITERS {
        assert!(Instant::now() < deadline, "the writers do not get going");
        std::thread::sleep(Duration::from_millis(10));
    }
    let restore_started = Instant::now();
    let out = sb.spr(&["restore", "bk.db"]);
    let restore_ended = Instant::now();
    // Writers go on after the restore, then stop.
    let after = writes.lock().unwrap().len();
    let deadline = Instant::now() + Duration::from_secs(30);
    while writes.lock().unwrap().len() < after + 5 * WRITERS {
        assert!(
            Instant::now() < deadline,
            "the writers stopped after the restore"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().expect("writer");
    }
    stop_reading.store(true, Ordering::SeqCst);
    let (versions_seen, reader_count, reader_ok) = reader.join().expect("reader");

    let said = stdout_of(out);
    let kept = sb.kept_from(&said);
    assert!(
        said.contains(&format!("({} events)", backup.len())),
        "{said}"
    );
    sb.check_ok();
    let writes = writes.lock().unwrap();
    let failed: Vec<String> = writes
        .iter()
        .filter(|w| !w.recorded)
        .map(|w| format!("{}: {}", w.note, w.stderr))
        .collect();
    assert!(failed.is_empty(), "writes failed: {failed:#?}");

    let restored = sb.history_of("db.db");
    let writer_notes = |events: &[Value]| -> BTreeSet<String> {
        events
            .iter()
            .filter_map(|e| e["note"].as_str())
            .filter(|n| n.starts_with("skrivare "))
            .map(str::to_string)
            .collect()
    };
    let in_db = writer_notes(&restored);
    let in_kept = writer_notes(&sb.history_of(&kept));
    // The backup's events, every one as it was, and besides them only writers' events.
    let by_id: BTreeMap<i64, &Value> = restored
        .iter()
        .map(|e| (e["id"].as_i64().unwrap(), e))
        .collect();
    for e in &backup {
        assert_eq!(by_id.get(&e["id"].as_i64().unwrap()), Some(&e), "{e}");
    }
    assert_eq!(restored.len(), backup.len() + in_db.len());
    assert!(!sb.notes_of("db.db").contains(&"efter kopian".to_string()));
    // Each acknowledged write is in exactly one of the two.
    let recorded: BTreeSet<String> = writes.iter().map(|w| w.note.clone()).collect();
    assert!(
        in_db.is_disjoint(&in_kept),
        "{:?}",
        in_db.intersection(&in_kept)
    );
    let union: BTreeSet<String> = in_db.union(&in_kept).cloned().collect();
    assert_eq!(union, recorded, "an acknowledged write is lost");
    // Done before the restore began: replaced (and kept); begun after it ended: restored.
    for w in writes.iter() {
        if w.ended < restore_started {
            assert!(
                in_kept.contains(&w.note),
                "{} is not in the kept copy",
                w.note
            );
        }
        if w.started > restore_ended {
            assert!(in_db.contains(&w.note), "{} was lost", w.note);
        }
    }
    assert!(!in_db.is_empty() && !in_kept.is_empty());
    // The reader kept reading through it, and sees what the database holds.
    assert!(versions_seen > 1, "the reader saw no change");
    assert_eq!(reader_count as usize, restored.len());
    assert_eq!(reader_ok, "ok");
}

// --- refusals ----------------------------------------------------------------------------

#[test]
fn a_bad_backup_or_a_person_who_may_not_is_refused_in_one_line_and_nothing_changes() {
    let sb = Sandbox::small();
    sb.ok(&["backup", "bk.db"]);
    sb.ok(&["user", "add", "vera", "--role", "viewer"]);
    sb.ok(&["user", "add", "mats", "--role", "member", "--unit", "FA"]);
    sb.write("text.txt", "inte en databas\n");
    sb.write("empty.db", "");
    std::fs::create_dir(sb.path("folder")).unwrap();
    // Another application's SQLite file.
    Connection::open(sb.path("other.db"))
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    // A backup from a newer spridning.
    std::fs::copy(sb.path("bk.db"), sb.path("newer.db")).unwrap();
    Connection::open(sb.path("newer.db"))
        .unwrap()
        .execute_batch("PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;")
        .unwrap();
    // A damaged backup: the first page of its events overwritten.
    std::fs::copy(sb.path("bk.db"), sb.path("damaged.db")).unwrap();
    let (root, size): (i64, i64) = {
        let conn = Connection::open(sb.path("damaged.db")).unwrap();
        conn.execute_batch("PRAGMA journal_mode = DELETE;").unwrap();
        let q = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        (
            q("SELECT rootpage FROM sqlite_schema WHERE name = 'stage_event'"),
            q("PRAGMA page_size"),
        )
    };
    let mut bytes = std::fs::read(sb.path("damaged.db")).unwrap();
    let at = ((root - 1) * size) as usize;
    bytes[at..at + size as usize].fill(0x5a);
    std::fs::write(sb.path("damaged.db"), bytes).unwrap();
    let files = sb.others();
    let before = sb.state();

    for (args, needles) in [
        (vec!["restore", "nosuch.db"], vec!["no backup at nosuch.db"]),
        (
            vec!["restore", "text.txt"],
            vec!["text.txt is not a SQLite database"],
        ),
        (
            vec!["restore", "empty.db"],
            vec!["empty.db is an empty file"],
        ),
        (vec!["restore", "folder"], vec!["folder is a folder"]),
        (
            vec!["restore", "other.db"],
            vec!["other.db is a SQLite file but not a spridning database"],
        ),
        (
            vec!["restore", "newer.db"],
            vec!["newer.db was written by a newer spridning", "99"],
        ),
        (vec!["restore", "damaged.db"], vec!["damaged.db", "damaged"]),
        (
            vec!["restore", "db.db"],
            vec!["db.db is the database itself"],
        ),
        (vec!["restore", "./db.db-wal"], vec!["the database itself"]),
        (
            vec!["--as", "vera", "restore", "bk.db"],
            vec!["vera is a viewer", "restore a backup"],
        ),
        (
            vec!["--as", "mats", "restore", "bk.db"],
            vec!["mats is a member and cannot restore a backup"],
        ),
        (
            vec!["--as", "nobody", "restore", "bk.db"],
            vec!["nobody is not registered"],
        ),
    ] {
        let line = one_line_failure(&sb.spr(&args), &needles);
        assert!(
            !line.contains(".partial") && !line.contains(".restoring"),
            "{line}"
        );
        assert!(sb.state() == before, "{args:?} changed the database");
        assert_eq!(sb.others(), files, "{args:?} left files behind");
    }
    // A link to the database is the database too.
    std::os::unix::fs::symlink(sb.db(), sb.path("link.db")).unwrap();
    one_line_failure(&sb.spr(&["restore", "link.db"]), &["the database itself"]);
    assert!(sb.state() == before);
    sb.check_ok();
}
